//! Reading a crate's module tree from disk with rustc's rules, and recording registrations.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::{canonical, position_id};

/// Index of a scope (a module or a block with items) in [`Crate::scopes`].
pub type ScopeId = usize;

/// Everything the scan learned about a crate.
#[derive(Debug, Default)]
pub struct Crate {
    /// Modules and blocks; index 0 is the crate root.
    #[doc(hidden)]
    pub scopes: Vec<Scope>,
    /// Registrations in source order.
    pub registrations: Vec<Registration>,
    /// Static and const items by the position of their name: `(file, line, column) -> scope`.
    pub(crate) items_at: HashMap<(PathBuf, usize, usize), ScopeId>,
    /// Files that could not be read or parsed; rustc reports those itself.
    pub unreadable: Vec<PathBuf>,
    pub(crate) by_id: std::sync::OnceLock<HashMap<u64, usize>>,
}

/// A file and the (line, column) range of a scope's text in it.
pub(crate) type Extent = (PathBuf, (usize, usize), (usize, usize));

/// A module or a block that can hold items and `use` declarations.
#[derive(Debug, Default)]
pub struct Scope {
    /// The enclosing scope (for a module: where it is declared).
    pub parent: Option<ScopeId>,
    /// The module this scope belongs to (itself for a module), for `self::` and `super::`.
    pub module: ScopeId,
    /// Whether this is a module (as opposed to a block).
    pub is_module: bool,
    /// Child modules by name.
    pub modules: HashMap<String, ScopeId>,
    /// Names of other items declared here (statics, consts, ...).
    pub items: Vec<String>,
    /// `use` declarations binding a name: name -> path.
    pub imports: HashMap<String, Vec<String>>,
    /// Glob imports: paths of the modules imported with `::*`.
    pub globs: Vec<Vec<String>>,
    /// Paths of the macros invoked here at item level, e.g. a framework's `main!()`.
    pub macro_calls: Vec<Vec<String>>,
    /// How visible the module is, as declared in its parent (modules only).
    pub vis: Vis,
    /// Names of registries declared here with a literal `#[registry]`.
    pub registries: Vec<String>,
    /// Where the scope's text is: file and the span of lines/columns (for a module file, all).
    pub(crate) extent: Option<Extent>,
}

/// A module's declared visibility.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Vis {
    /// `pub` or `pub(crate)`: reachable from anywhere in the crate.
    Crate,
    /// `pub(super)`.
    Super,
    /// No visibility, `pub(self)`, or `pub(in path)` (taken as the narrowest).
    #[default]
    Private,
}

fn vis_of(v: &syn::Visibility) -> Vis {
    match v {
        syn::Visibility::Public(_) => Vis::Crate,
        syn::Visibility::Restricted(r) if r.in_token.is_none() && r.path.is_ident("crate") => {
            Vis::Crate
        }
        syn::Visibility::Restricted(r) if r.in_token.is_none() && r.path.is_ident("super") => {
            Vis::Super
        }
        _ => Vis::Private,
    }
}

/// What kind of registration the scan found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistrationKind {
    /// `register!(PATH, expr)`.
    One,
    /// `register_many!(PATH, source)`.
    Many,
    /// `#[register_item(PATH)]`.
    Item,
    /// An attribute whose meaning a framework defines, e.g. `#[my_framework::test]`; the path is
    /// that of the attribute.
    Attribute,
}

/// One registration found in the source.
#[derive(Clone, Debug)]
pub struct Registration {
    /// What was found.
    pub kind: RegistrationKind,
    /// The path naming the registry (or, for [`RegistrationKind::Attribute`], the attribute),
    /// segment by segment; a leading `::` is kept as an empty first segment.
    pub path: Vec<String>,
    /// The scope the path is resolved in.
    pub scope: ScopeId,
    /// The registration id (see [`crate::position_id`]).
    pub id: u64,
    /// Canonical file, 1-based line, 0-based column, for messages.
    pub file: PathBuf,
    /// Line of the registration.
    pub line: usize,
    /// Column of the registration.
    pub column: usize,
    /// `#[cfg]` predicates that all must hold for rustc to compile the registration.
    pub cfg: Vec<String>,
    /// Whether it is inside a body (a function, a block, an initializer) rather than directly
    /// in a module, where an item it generates could be named by a path.
    pub in_body: bool,
}

pub(crate) fn scan_crate(root: &Path) -> Crate {
    let mut krate = Crate::default();
    krate.scopes.push(Scope {
        is_module: true,
        ..Scope::default()
    });
    let dir = root.parent().unwrap_or(Path::new("")).to_path_buf();
    // Parse with proc-macro2's own parser: it reports line/column for every token of text that
    // did not come from rustc.
    proc_macro2::fallback::force();
    let mut walker = Walker {
        krate: &mut krate,
        scope: 0,
        file: root.to_path_buf(),
        mod_dir: dir,
        cfg: Vec::new(),
        depth: 0,
        body_depth: 0,
    };
    walker.scan_file(root, &[]);
    proc_macro2::fallback::unforce();
    krate
}

struct Walker<'a> {
    krate: &'a mut Crate,
    scope: ScopeId,
    file: PathBuf,
    /// The directory in which `mod x;` of the current scope looks for `x.rs` / `x/mod.rs`.
    mod_dir: PathBuf,
    cfg: Vec<String>,
    depth: usize,
    body_depth: usize,
}

fn parse_file(path: &Path) -> Option<syn::File> {
    let text = std::fs::read_to_string(path).ok()?;
    // rustc drops a byte-order mark before counting columns; so must we.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    syn::parse_file(text).ok()
}

fn start(span: Span) -> (usize, usize) {
    let lc = span.start();
    (lc.line, lc.column)
}

fn end(span: Span) -> (usize, usize) {
    let lc = span.end();
    (lc.line, lc.column)
}

fn path_segments(path: &syn::Path) -> Vec<String> {
    let mut v = Vec::new();
    if path.leading_colon.is_some() {
        v.push(String::new());
    }
    v.extend(path.segments.iter().map(|s| s.ident.to_string()));
    v
}

/// `#[cfg(p)]` -> `p`; `#[cfg_attr(c, cfg(p), ..)]` -> `any(not(c), p)` (nested cfg_attr too).
fn cfg_predicates(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs {
        collect_cfg(&attr.meta, None, &mut out);
    }
    out
}

fn collect_cfg(meta: &syn::Meta, condition: Option<String>, out: &mut Vec<String>) {
    let syn::Meta::List(list) = meta else { return };
    if list.path.is_ident("cfg") {
        let pred = list.tokens.to_string();
        out.push(match condition {
            Some(c) => format!("any(not({c}), {pred})"),
            None => pred,
        });
    } else if list.path.is_ident("cfg_attr") {
        let Ok(parts) = list.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        ) else {
            return;
        };
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else { return };
        let c = first.to_token_stream().to_string();
        let c = match condition {
            Some(outer) => format!("all({outer}, {c})"),
            None => c,
        };
        for inner in parts {
            collect_cfg(&inner, Some(c.clone()), out);
        }
    }
}

/// `#[path = ".."]` alternatives of a module declaration: `(condition, path)` in order, where the
/// condition is `None` for a plain `#[path]`.
fn path_attrs(attrs: &[syn::Attribute]) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    for attr in attrs {
        collect_path(&attr.meta, None, &mut out);
    }
    out
}

fn collect_path(
    meta: &syn::Meta,
    condition: Option<String>,
    out: &mut Vec<(Option<String>, String)>,
) {
    match meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
            {
                out.push((condition, s.value()));
            }
        }
        syn::Meta::List(list) if list.path.is_ident("cfg_attr") => {
            let Ok(parts) = list.parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            ) else {
                return;
            };
            let mut parts = parts.into_iter();
            let Some(first) = parts.next() else { return };
            let c = first.to_token_stream().to_string();
            let c = match condition {
                Some(outer) => format!("all({outer}, {c})"),
                None => c,
            };
            for inner in parts {
                collect_path(&inner, Some(c.clone()), out);
            }
        }
        _ => {}
    }
}

/// The file named by `include!(..)`'s argument: a literal, or `concat!` of literals and `env!`.
fn include_target(tokens: &proc_macro2::TokenStream) -> Option<String> {
    let expr: syn::Expr = syn::parse2(tokens.clone()).ok()?;
    eval_str(&expr)
}

fn eval_str(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        syn::Expr::Macro(m) => {
            let name = m.mac.path.segments.last()?.ident.to_string();
            let args = m
                .mac
                .parse_body_with(
                    syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
                )
                .ok()?;
            match name.as_str() {
                "concat" => args.iter().map(eval_str).collect(),
                "env" => std::env::var(eval_str(args.first()?)?).ok(),
                _ => None,
            }
        }
        _ => None,
    }
}

const REGISTER: &str = "register";
const REGISTER_MANY: &str = "register_many";
const REGISTER_ITEM: &str = "register_item";

// Attributes that are never a framework's registration; skipping them keeps the list short.
const BUILTIN_ATTRS: &[&str] = &[
    "doc",
    "cfg",
    "cfg_attr",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "inline",
    "must_use",
    "derive",
    "path",
    "repr",
    "test",
    "ignore",
    "should_panic",
    "deprecated",
    "no_mangle",
    "export_name",
    "link_section",
    "used",
    "cold",
    "track_caller",
    "non_exhaustive",
    "automatically_derived",
    "macro_export",
    "diagnostic",
    "rustfmt",
    "clippy",
    "target_feature",
    "unsafe",
];

impl Walker<'_> {
    fn new_scope(&mut self, is_module: bool, extent: Option<Extent>) -> ScopeId {
        let parent = self.scope;
        let module = self.krate.scopes[parent].module;
        let id = self.krate.scopes.len();
        self.krate.scopes.push(Scope {
            parent: Some(parent),
            module: if is_module { id } else { module },
            is_module,
            extent,
            ..Scope::default()
        });
        id
    }

    /// Scans a module file into the current scope, under the extra cfg `cfgs`.
    fn scan_file(&mut self, path: &Path, cfgs: &[String]) {
        if self.depth > 64 {
            return; // a `#[path]` cycle; rustc reports it
        }
        let Some(file) = parse_file(path) else {
            self.krate.unreadable.push(path.to_path_buf());
            return;
        };
        let saved_file = std::mem::replace(&mut self.file, canonical(path));
        let saved_len = self.cfg.len();
        self.cfg.extend(cfgs.iter().cloned());
        self.cfg.extend(cfg_predicates(&file.attrs));
        if self.krate.scopes[self.scope].extent.is_none() {
            self.krate.scopes[self.scope].extent =
                Some((self.file.clone(), (0, 0), (usize::MAX, usize::MAX)));
        }
        self.depth += 1;
        for item in &file.items {
            self.visit_item(item);
        }
        self.depth -= 1;
        self.cfg.truncate(saved_len);
        self.file = saved_file;
    }

    fn record(&mut self, kind: RegistrationKind, path: Vec<String>, at: Span) {
        let (line, column) = start(at);
        self.krate.registrations.push(Registration {
            kind,
            path,
            scope: self.scope,
            id: position_id(&self.file, line, column),
            file: self.file.clone(),
            line,
            column,
            cfg: self.cfg.clone(),
            in_body: self.body_depth > 0,
        });
    }

    /// `register!(PATH, ..)` / `register_many!(PATH, ..)` and `include!(..)` invocations.
    fn visit_macro_call(&mut self, mac: &syn::Macro) {
        let Some(last) = mac.path.segments.last() else {
            return;
        };
        let name = last.ident.to_string();
        let kind = match name.as_str() {
            REGISTER => RegistrationKind::One,
            REGISTER_MANY => RegistrationKind::Many,
            "include" => {
                self.visit_include(mac);
                return;
            }
            _ => return,
        };
        let Some(first) = mac.tokens.clone().into_iter().next() else {
            return;
        };
        // The registry path: tokens up to the first top-level comma.
        let head: proc_macro2::TokenStream = mac
            .tokens
            .clone()
            .into_iter()
            .take_while(|t| !matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ','))
            .collect();
        let Ok(path) = syn::parse2::<syn::Path>(head) else {
            return;
        };
        // `register!(R)` without a value is an error of its own; it registers nothing.
        let has_value = mac
            .tokens
            .clone()
            .into_iter()
            .skip_while(|t| !matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ','))
            .nth(1)
            .is_some();
        if !has_value {
            return;
        }
        self.record(kind, path_segments(&path), first.span());
    }

    fn visit_include(&mut self, mac: &syn::Macro) {
        let Some(target) = include_target(&mac.tokens) else {
            return;
        };
        let base = self.file.parent().unwrap_or(Path::new("")).to_path_buf();
        let path = base.join(target);
        let Some(file) = parse_file(&path) else {
            return;
        };
        let saved = std::mem::replace(&mut self.file, canonical(&path));
        for item in &file.items {
            self.visit_item(item);
        }
        self.file = saved;
    }

    /// Registration attributes on an item: `#[register_item(PATH)]` and framework attributes.
    fn visit_item_attrs(&mut self, attrs: &[syn::Attribute]) {
        for attr in attrs {
            let path = attr.path();
            let Some(last) = path.segments.last() else {
                continue;
            };
            let name = last.ident.to_string();
            if path.segments.len() == 1 && BUILTIN_ATTRS.contains(&name.as_str()) {
                // A bare `test` may still be a framework's (`use gather_test::test;`); keep
                // those that some `use` imports, which resolution sorts out.
                if name != "test" && name != "bench" {
                    continue;
                }
            }
            if name == REGISTER_ITEM {
                if let syn::Meta::List(list) = &attr.meta
                    && let Ok(target) = syn::parse2::<syn::Path>(list.tokens.clone())
                {
                    self.record(
                        RegistrationKind::Item,
                        path_segments(&target),
                        attr.pound_token.span,
                    );
                }
                continue;
            }
            self.record(
                RegistrationKind::Attribute,
                path_segments(path),
                attr.pound_token.span,
            );
        }
    }

    /// On items `#[register_item]` does not accept, only framework attributes count.
    fn visit_framework_attrs(&mut self, attrs: &[syn::Attribute]) {
        let others: Vec<syn::Attribute> = attrs
            .iter()
            .filter(|a| {
                a.path()
                    .segments
                    .last()
                    .is_none_or(|s| s.ident != REGISTER_ITEM)
            })
            .cloned()
            .collect();
        self.visit_item_attrs(&others);
    }

    fn with_cfg(&mut self, attrs: &[syn::Attribute], f: impl FnOnce(&mut Self)) {
        let saved = self.cfg.len();
        self.cfg.extend(cfg_predicates(attrs));
        f(self);
        self.cfg.truncate(saved);
    }

    fn visit_use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.visit_use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let mut path = prefix.clone();
                if name == "self" {
                    // `use a::b::{self}` binds `b`.
                    if let Some(last) = prefix.last().cloned() {
                        self.krate.scopes[self.scope].imports.insert(last, path);
                    }
                    return;
                }
                path.push(name.clone());
                self.krate.scopes[self.scope].imports.insert(name, path);
            }
            syn::UseTree::Rename(r) => {
                let mut path = prefix.clone();
                let name = r.ident.to_string();
                if name != "self" {
                    path.push(name);
                }
                let alias = r.rename.to_string();
                if alias != "_" {
                    self.krate.scopes[self.scope].imports.insert(alias, path);
                }
            }
            syn::UseTree::Glob(_) => {
                self.krate.scopes[self.scope].globs.push(prefix.clone());
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.visit_use_tree(prefix, t);
                }
            }
        }
    }

    fn visit_mod(&mut self, m: &syn::ItemMod) {
        let name = m.ident.to_string();
        let paths = path_attrs(&m.attrs);
        let parent = self.scope;
        if let Some((_, content)) = &m.content {
            // Inline module: its `mod x;` look in `<dir>/<name>/`, and a `#[path]` inside it is
            // relative to that directory as well.
            let extent = Some((self.file.clone(), start(m.span()), end(m.span())));
            let id = self.new_scope(true, extent);
            self.krate.scopes[id].vis = vis_of(&m.vis);
            self.krate.scopes[parent].modules.insert(name.clone(), id);
            let dir = match paths.iter().find(|(c, _)| c.is_none()) {
                Some((_, p)) => self.mod_dir.join(p),
                None => self.mod_dir.join(&name),
            };
            let saved_dir = std::mem::replace(&mut self.mod_dir, dir);
            let saved_scope = std::mem::replace(&mut self.scope, id);
            for item in content {
                self.visit_item(item);
            }
            self.scope = saved_scope;
            self.mod_dir = saved_dir;
            return;
        }
        // `mod name;`: the file alternatives, each under the cfg that selects it.
        let mut alternatives: Vec<(Vec<String>, PathBuf, bool)> = Vec::new();
        let mut earlier: Vec<String> = Vec::new();
        for (cond, p) in &paths {
            let path = self.path_attr_base().join(p);
            let mut cfgs: Vec<String> = earlier.iter().map(|c| format!("not({c})")).collect();
            match cond {
                Some(c) => {
                    cfgs.push(c.clone());
                    alternatives.push((cfgs, path, true));
                    earlier.push(c.clone());
                }
                None => {
                    alternatives.push((cfgs, path, true));
                    earlier.clear();
                    break;
                }
            }
        }
        let plain = paths.iter().all(|(c, _)| c.is_some());
        if plain {
            let cfgs: Vec<String> = earlier.iter().map(|c| format!("not({c})")).collect();
            let a = self.mod_dir.join(format!("{name}.rs"));
            let b = self.mod_dir.join(&name).join("mod.rs");
            let (path, mod_rs) = if a.is_file() { (a, false) } else { (b, true) };
            alternatives.push((cfgs, path, mod_rs));
        }
        let mut first = None;
        for (cfgs, path, mod_rs) in alternatives {
            let id = self.new_scope(true, None);
            self.krate.scopes[id].vis = vis_of(&m.vis);
            first.get_or_insert(id);
            let dir = if mod_rs {
                path.parent().unwrap_or(Path::new("")).to_path_buf()
            } else {
                self.mod_dir.join(&name)
            };
            let saved_dir = std::mem::replace(&mut self.mod_dir, dir);
            let saved_scope = std::mem::replace(&mut self.scope, id);
            self.scan_file(&path, &cfgs);
            self.scope = saved_scope;
            self.mod_dir = saved_dir;
        }
        if let Some(id) = first {
            self.krate.scopes[parent].modules.insert(name, id);
        }
    }

    /// Directory a `#[path]` on `mod x;` is relative to: the current file's directory for a file
    /// scope, the inline modules' directory inside inline modules.
    fn path_attr_base(&self) -> PathBuf {
        let in_inline = self.krate.scopes[self.scope]
            .extent
            .as_ref()
            .is_some_and(|(_, s, _)| *s != (0, 0));
        if in_inline {
            self.mod_dir.clone()
        } else {
            self.file.parent().unwrap_or(Path::new("")).to_path_buf()
        }
    }
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            syn::Item::ExternCrate(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::ForeignMod(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Macro(i) => &i.attrs,
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Trait(i) => &i.attrs,
            syn::Item::TraitAlias(i) => &i.attrs,
            syn::Item::Type(i) => &i.attrs,
            syn::Item::Union(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            _ => &[],
        };
        self.with_cfg(attrs, |w| match item {
            syn::Item::Mod(m) => w.visit_mod(m),
            syn::Item::Use(u) => {
                let mut prefix = Vec::new();
                if u.leading_colon.is_some() {
                    prefix.push(String::new());
                }
                w.visit_use_tree(&mut prefix, &u.tree);
            }
            syn::Item::Macro(m) => {
                if m.mac.path.is_ident("macro_rules") {
                    return; // registrations inside a macro definition are not registrations
                }
                if let Some(ident) = &m.ident {
                    w.krate.scopes[w.scope].items.push(ident.to_string());
                }
                let path = path_segments(&m.mac.path);
                w.krate.scopes[w.scope].macro_calls.push(path);
                w.visit_macro_call(&m.mac);
            }
            syn::Item::Static(s) => {
                w.item_name(&s.ident);
                w.visit_item_attrs(&s.attrs);
                syn::visit::visit_item_static(w, s);
            }
            syn::Item::Const(c) => {
                w.item_name(&c.ident);
                w.visit_item_attrs(&c.attrs);
                syn::visit::visit_item_const(w, c);
            }
            syn::Item::Fn(f) => {
                w.visit_item_attrs(&f.attrs);
                syn::visit::visit_item_fn(w, f);
            }
            syn::Item::Struct(s) => w.visit_framework_attrs(&s.attrs),
            syn::Item::Enum(e) => w.visit_framework_attrs(&e.attrs),
            // `static NAME: Registry<T>;` has no initializer, which syn leaves unparsed.
            syn::Item::Verbatim(tokens) => w.verbatim_item(tokens),
            syn::Item::Impl(i) => {
                w.body_depth += 1;
                syn::visit::visit_item_impl(w, i);
                w.body_depth -= 1;
            }
            syn::Item::Trait(t) => {
                w.body_depth += 1;
                syn::visit::visit_item_trait(w, t);
                w.body_depth -= 1;
            }
            _ => syn::visit::visit_item(w, item),
        });
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs: &[syn::Attribute] = match item {
            syn::ImplItem::Const(i) => &i.attrs,
            syn::ImplItem::Fn(i) => &i.attrs,
            syn::ImplItem::Type(i) => &i.attrs,
            syn::ImplItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        self.with_cfg(attrs, |w| {
            if let syn::ImplItem::Macro(m) = item {
                w.visit_macro_call(&m.mac);
            }
            syn::visit::visit_impl_item(w, item)
        });
    }

    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        let attrs: &[syn::Attribute] = match item {
            syn::TraitItem::Const(i) => &i.attrs,
            syn::TraitItem::Fn(i) => &i.attrs,
            syn::TraitItem::Type(i) => &i.attrs,
            syn::TraitItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        self.with_cfg(attrs, |w| syn::visit::visit_trait_item(w, item));
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        // A block is a scope of its own for the items and `use`s declared in it.
        self.body_depth += 1;
        let has_items = block.stmts.iter().any(|s| matches!(s, syn::Stmt::Item(_)));
        if has_items {
            let extent = Some((self.file.clone(), start(block.span()), end(block.span())));
            let id = self.new_scope(false, extent);
            let saved = std::mem::replace(&mut self.scope, id);
            syn::visit::visit_block(self, block);
            self.scope = saved;
        } else {
            syn::visit::visit_block(self, block);
        }
        self.body_depth -= 1;
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        match stmt {
            syn::Stmt::Macro(m) => self.with_cfg(&m.attrs, |w| {
                w.body_depth += 1;
                w.visit_macro_call(&m.mac);
                w.body_depth -= 1;
            }),
            syn::Stmt::Local(l) => self.with_cfg(&l.attrs, |w| syn::visit::visit_local(w, l)),
            _ => syn::visit::visit_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        let attrs: &[syn::Attribute] = expr_attrs(expr);
        self.with_cfg(attrs, |w| {
            w.body_depth += 1;
            if let syn::Expr::Macro(m) = expr {
                w.visit_macro_call(&m.mac);
            }
            syn::visit::visit_expr(w, expr);
            w.body_depth -= 1;
        });
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.with_cfg(&arm.attrs, |w| syn::visit::visit_arm(w, arm));
    }

    fn visit_field_value(&mut self, fv: &'ast syn::FieldValue) {
        self.with_cfg(&fv.attrs, |w| syn::visit::visit_field_value(w, fv));
    }
}

impl Walker<'_> {
    fn verbatim_item(&mut self, tokens: &proc_macro2::TokenStream) {
        let mut after_keyword = false;
        let mut is_registry = false;
        for t in tokens.clone() {
            match t {
                proc_macro2::TokenTree::Ident(i) if i == "static" || i == "const" || i == "mut" => {
                    after_keyword = true
                }
                proc_macro2::TokenTree::Ident(i) if after_keyword => {
                    self.item_name(&i);
                    if is_registry {
                        self.krate.scopes[self.scope].registries.push(i.to_string());
                    }
                    return;
                }
                proc_macro2::TokenTree::Punct(p) if p.as_char() == '#' => {}
                proc_macro2::TokenTree::Group(g) if !after_keyword => {
                    // An attribute: `[registry]`, `[gather::registry(..)]`, ...
                    let mut last = None;
                    for t in g.stream() {
                        match t {
                            proc_macro2::TokenTree::Ident(i) => last = Some(i.to_string()),
                            proc_macro2::TokenTree::Punct(p) if p.as_char() == ':' => {}
                            _ => break,
                        }
                    }
                    if last.as_deref() == Some("registry") {
                        is_registry = true;
                    }
                }
                _ if after_keyword => return,
                _ => {}
            }
        }
    }

    fn item_name(&mut self, ident: &syn::Ident) {
        let name = ident.to_string();
        let (line, column) = start(ident.span());
        self.krate
            .items_at
            .insert((self.file.clone(), line, column), self.scope);
        self.krate.scopes[self.scope].items.push(name);
    }
}

fn expr_attrs(expr: &syn::Expr) -> &[syn::Attribute] {
    use syn::Expr::*;
    match expr {
        Array(e) => &e.attrs,
        Assign(e) => &e.attrs,
        Async(e) => &e.attrs,
        Await(e) => &e.attrs,
        Binary(e) => &e.attrs,
        Block(e) => &e.attrs,
        Break(e) => &e.attrs,
        Call(e) => &e.attrs,
        Cast(e) => &e.attrs,
        Closure(e) => &e.attrs,
        Const(e) => &e.attrs,
        Continue(e) => &e.attrs,
        Field(e) => &e.attrs,
        ForLoop(e) => &e.attrs,
        Group(e) => &e.attrs,
        If(e) => &e.attrs,
        Index(e) => &e.attrs,
        Let(e) => &e.attrs,
        Lit(e) => &e.attrs,
        Loop(e) => &e.attrs,
        Macro(e) => &e.attrs,
        Match(e) => &e.attrs,
        MethodCall(e) => &e.attrs,
        Paren(e) => &e.attrs,
        Path(e) => &e.attrs,
        Range(e) => &e.attrs,
        Reference(e) => &e.attrs,
        Repeat(e) => &e.attrs,
        Return(e) => &e.attrs,
        Struct(e) => &e.attrs,
        Try(e) => &e.attrs,
        TryBlock(e) => &e.attrs,
        Tuple(e) => &e.attrs,
        Unary(e) => &e.attrs,
        Unsafe(e) => &e.attrs,
        While(e) => &e.attrs,
        Yield(e) => &e.attrs,
        _ => &[],
    }
}

impl Crate {
    /// The scope that declares the static or const whose name is at this position, or else the
    /// innermost scope whose text contains it (for a registry that a macro declares).
    #[doc(hidden)]
    pub fn scope_at(&self, file: &Path, line: usize, column: usize) -> ScopeId {
        if let Some(&s) = self.items_at.get(&(file.to_path_buf(), line, column)) {
            return s;
        }
        let mut best = 0;
        let mut best_size = (usize::MAX, usize::MAX);
        for (i, scope) in self.scopes.iter().enumerate() {
            let Some((f, s, e)) = &scope.extent else {
                continue;
            };
            if f != file || (line, column) < *s || (line, column) > *e {
                continue;
            }
            let size = (e.0.saturating_sub(s.0), e.1.wrapping_sub(s.1));
            if size <= best_size {
                best = i;
                best_size = size;
            }
        }
        best
    }
}
