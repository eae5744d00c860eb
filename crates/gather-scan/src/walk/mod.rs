//! The walker: reads a crate's module tree from disk with rustc's rules and records scopes,
//! names and registrations into a [`Crate`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::attrs::{Attr, BUILTIN_ATTRS, cfg_predicates, read_attrs};
use crate::cfg::Cfg;
use crate::env::canonical;
use crate::id::position_id;
use crate::lex::{Kind, Tok, lex};
use crate::model::{Crate, Extent, Registration, RegistrationKind, Scope, ScopeId, Vis};
mod bodies;
mod macros;
mod modules;
#[cfg(test)]
mod tests;
mod writers;

use crate::tokens::{
    close_of, find_body, find_punct, group, parse_path, skip_item, skip_macro, split_commas, unraw,
};

pub(crate) fn scan_crate(root: &Path) -> Crate {
    let mut krate = Crate::default();
    krate.scopes.push(Scope {
        is_module: true,
        vis: Vis::Crate,
        ..Scope::default()
    });
    let dir = root.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut walker = Walker {
        krate: &mut krate,
        scope: 0,
        file: canonical(root),
        mod_dir: dir,
        file_as_named: root.to_path_buf(),
        cfg: Vec::new(),
        reading: Vec::new(),
        files_read: 0,
        body_depth: 0,
        nesting: 0,
        through_macro: false,
        in_macro_definition: false,
        macro_bodies: HashMap::new(),
        macro_stack: Vec::new(),
        invoked_at: (0, 0),
        writers_seen: Default::default(),
        in_impl: false,
    };
    walker.scan_file(root, &[]);
    let local_macros = walker.macro_bodies.keys().cloned().collect();
    krate.local_macros = local_macros;
    merge_exclusive_twins(&mut krate.registrations);
    krate
}

/// Whether an attribute is one of rustc's own that no macro stands behind (`#[inline]`,
/// `#[rustfmt::skip]`, ..): never a registration, and it changes nothing for the ones below it.
pub(super) fn is_inert(attr: &Attr) -> bool {
    match attr.path.as_slice() {
        [name] => BUILTIN_ATTRS.contains(&name.as_str()),
        [tool, _] => matches!(tool.as_str(), "rustfmt" | "clippy" | "diagnostic"),
        _ => false,
    }
}

/// Whether the function at `toks[0]` (`fn name<..>`) has type or const parameters.
fn has_type_or_const_params(toks: &[Tok]) -> bool {
    if !toks.get(2).is_some_and(|t| t.is_punct('<')) {
        return false;
    }
    let mut depth = 0;
    let mut expect_param = true;
    for t in &toks[2..] {
        if t.is_punct('<') {
            depth += 1;
            expect_param = depth == 1;
            continue;
        }
        if t.is_punct('>') {
            depth -= 1;
            if depth == 0 {
                return false;
            }
            continue;
        }
        if depth == 1 && t.is_punct(',') {
            expect_param = true;
            continue;
        }
        if depth == 1 && expect_param {
            if t.kind != Kind::Lifetime {
                return true;
            }
            expect_param = false;
        }
    }
    false
}

/// A file that two `mod` declarations under different cfgs read (`#[cfg(feature = "std")] pub mod
/// ser;` and `#[cfg(not(feature = "std"))] mod ser;`) holds each registration twice, with one id:
/// rustc compiles it once, under whichever holds, so it becomes one registration that rustc alone
/// places. Twins under the same cfgs stay: the file is compiled twice, which the registry reports.
///
/// A macro call that a framework may hook and an attribute of the call's first item share a
/// position, and an id: they are not twins.
fn merge_exclusive_twins(registrations: &mut Vec<Registration>) {
    let mut first: HashMap<(u64, bool), usize> = HashMap::new();
    let mut keep = vec![true; registrations.len()];
    for i in 0..registrations.len() {
        let key = (
            registrations[i].id,
            registrations[i].kind == RegistrationKind::Macro,
        );
        match first.get(&key) {
            Some(&j)
                if registrations[j].cfg != registrations[i].cfg
                    || registrations[i].through_macro =>
            {
                registrations[j].through_macro = true;
                keep[i] = false;
            }
            Some(_) => {}
            None => {
                first.insert(key, i);
            }
        }
    }
    let mut k = keep.into_iter();
    registrations.retain(|_| k.next().unwrap_or(true));
}

pub(super) struct Walker<'a> {
    pub(super) krate: &'a mut Crate,
    pub(super) scope: ScopeId,
    /// The file being read, canonical (registration ids are computed from it).
    pub(super) file: PathBuf,
    /// The directory in which `mod x;` of the current scope looks for `x.rs` / `x/mod.rs`, as
    /// rustc names it (through symlinks, not resolving them).
    pub(super) mod_dir: PathBuf,
    /// The file being read as rustc names it: `#[path]` and `include!` are relative to it.
    pub(super) file_as_named: PathBuf,
    pub(super) cfg: Vec<Cfg>,
    /// The files being read, outermost first.
    pub(super) reading: Vec<PathBuf>,
    /// How many files were read, every reading counted.
    pub(super) files_read: usize,
    pub(super) body_depth: usize,
    /// How many item lists (modules, blocks, bodies) enclose the current one.
    pub(super) nesting: usize,
    /// Inside a macro invocation whose expansion the scan cannot know (a crate's own macro):
    /// rustc alone decides what of it is compiled.
    pub(super) through_macro: bool,
    /// Inside a `macro_rules!` body: its tokens' positions are the definition's, the same for
    /// every invocation, so no registration is recorded there; its `mod` declarations are.
    pub(super) in_macro_definition: bool,
    /// The rules' bodies of the crate's `macro_rules!` macros, by name, as text.
    pub(super) macro_bodies: HashMap<String, Vec<String>>,
    /// Directly in an `impl` or `trait` body, whose items `#[register_item]` refuses.
    pub(super) in_impl: bool,
    /// Where the outermost macro invocation being followed is, in the file being read.
    pub(super) invoked_at: (usize, usize),
    /// The test writers recorded: scope, line, column, file.
    pub(super) writers_seen: std::collections::HashSet<(ScopeId, usize, usize, PathBuf)>,
    /// The macros being followed into, innermost last (a recursive macro is followed once).
    pub(super) macro_stack: Vec<String>,
}

pub(super) fn read_source(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    // rustc drops a byte-order mark before counting columns; so must we.
    Some(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_owned(),
        None => text,
    })
}

/// How many module files (counting each reading) one crate's scan reads at most.
const MAX_FILES_READ: usize = 20_000;

/// How deeply nested item lists are followed (see `Walker::items`).
const MAX_NESTING: usize = 256;

pub(super) const REGISTER: &str = "register";
pub(super) const REGISTER_MANY: &str = "register_many";
pub(super) const REGISTER_INDEX: &str = "register_index";
pub(super) const REGISTER_ITEM: &str = "register_item";

impl Walker<'_> {
    pub(super) fn new_scope(&mut self, is_module: bool, extent: Option<Extent>) -> ScopeId {
        let parent = self.scope;
        let module = self.krate.scopes[parent].module;
        let id = self.krate.scopes.len();
        self.krate.scopes.push(Scope {
            parent: Some(parent),
            module: if is_module { id } else { module },
            is_module,
            extent,
            through_macro: self.through_macro,
            ..Scope::default()
        });
        id
    }

    /// Scans a module file into the current scope, under the extra cfg `cfgs`.
    pub(super) fn scan_file(&mut self, path: &Path, cfgs: &[Cfg]) {
        let file = canonical(path);
        if !self.may_read(&file) {
            return;
        }
        let Some(text) = read_source(path) else {
            self.krate.unreadable.push(path.to_path_buf());
            return;
        };
        let toks = lex(&text);
        self.krate.files.push(file.clone());
        self.reading.push(file.clone());
        let saved_file = std::mem::replace(&mut self.file, file);
        let saved_named = std::mem::replace(&mut self.file_as_named, path.to_path_buf());
        // A file's tokens are where they are, even if a macro's body declared the module.
        let saved_definition = std::mem::replace(&mut self.in_macro_definition, false);
        let saved_len = self.cfg.len();
        self.cfg.extend(cfgs.iter().cloned());
        if self.krate.scopes[self.scope].extent.is_none() {
            self.krate.scopes[self.scope].extent =
                Some((self.file.clone(), (0, 0), (usize::MAX, usize::MAX)));
        }
        self.items(&toks, true);
        self.cfg.truncate(saved_len);
        self.file = saved_file;
        self.file_as_named = saved_named;
        self.in_macro_definition = saved_definition;
        self.reading.pop();
    }

    /// Whether a file may be read now: not while it is being read (a `#[path]` or `include!`
    /// cycle, which rustc reports), and not past a budget no real crate comes near (the same
    /// files declared twice at every level would otherwise double the work per level).
    pub(super) fn may_read(&mut self, file: &Path) -> bool {
        if self.reading.iter().any(|f| f == file) || self.files_read >= MAX_FILES_READ {
            return false;
        }
        self.files_read += 1;
        true
    }

    /// Records a registration at `at`, under the current cfgs and, for an attribute inside
    /// `cfg_attr`, its condition.
    pub(super) fn record(
        &mut self,
        kind: RegistrationKind,
        path: Vec<String>,
        at: (usize, usize),
        condition: Option<&Cfg>,
    ) {
        if self.in_macro_definition {
            return;
        }
        let (line, column) = at;
        // A macro call that ends a block without `;` is read as an item and as an expression.
        if self.krate.registrations.last().is_some_and(|r| {
            (r.line, r.column, r.scope) == (line, column, self.scope)
                && r.file == self.file
                && r.kind == kind
        }) {
            return;
        }
        let mut cfg = self.cfg.clone();
        cfg.extend(condition.cloned());
        self.krate.registrations.push(Registration {
            kind,
            path,
            scope: self.scope,
            id: position_id(&self.file, line, column),
            file: self.file.clone(),
            line,
            column,
            cfg,
            in_body: self.body_depth > 0,
            through_macro: self.through_macro,
            imported: None,
            after_attribute: false,
            key: None,
        });
    }

    /// Walks items: a module's contents, or an impl's / trait's. `module_level` is false inside
    /// bodies (blocks), where statements also occur.
    pub(super) fn items(&mut self, toks: &[Tok], module_level: bool) {
        // Deeper nesting than any real crate has: not followed, so that the walk's recursion
        // stays far from the end of the stack whatever the input (rustc reports such code).
        if self.nesting >= MAX_NESTING {
            return;
        }
        self.nesting += 1;
        self.items_at_this_level(toks, module_level);
        self.nesting -= 1;
    }

    fn items_at_this_level(&mut self, toks: &[Tok], module_level: bool) {
        let mut i = 0;
        // Inner attributes of the file or module.
        let inner = read_attrs(toks, &mut i, true);
        self.cfg.extend(cfg_predicates(&inner));
        while i < toks.len() {
            let before = i;
            i = self.item(toks, i, module_level);
            if i <= before {
                i = before + 1;
            }
        }
    }

    /// One item (or, in a body, one statement) starting at `i`; returns where the next begins.
    pub(super) fn item(&mut self, toks: &[Tok], mut i: usize, module_level: bool) -> usize {
        let attrs = read_attrs(toks, &mut i, false);
        let saved = self.cfg.len();
        self.cfg.extend(cfg_predicates(&attrs));
        let next = self.item_after_attrs(toks, i, &attrs, module_level);
        self.cfg.truncate(saved);
        next
    }

    pub(super) fn item_after_attrs(
        &mut self,
        toks: &[Tok],
        mut i: usize,
        attrs: &[Attr],
        module_level: bool,
    ) -> usize {
        // Visibility and qualifiers.
        let mut vis = Vis::Private;
        loop {
            let Some(t) = toks.get(i) else { return i };
            if t.is("pub") {
                vis = Vis::Crate;
                if toks.get(i + 1).is_some_and(|g| g.is_open('(')) {
                    let inner = group(toks, i + 1);
                    vis = match inner {
                        [c] if c.is("crate") => Vis::Crate,
                        [s] if s.is("super") => Vis::Super,
                        _ => Vis::Private,
                    };
                    i = close_of(toks, i + 1) + 1;
                } else {
                    i += 1;
                }
            } else if t.is("unsafe") || t.is("async") || t.is("default") || t.is("auto") {
                i += 1;
            } else if t.is("extern") && toks.get(i + 1).is_some_and(|n| n.kind == Kind::Literal) {
                i += 2;
            } else if t.is("const")
                && toks.get(i + 1).is_some_and(|n| {
                    n.is("fn") || n.is("unsafe") || n.is("async") || n.is("extern")
                })
            {
                i += 1;
            } else {
                break;
            }
        }
        let Some(t) = toks.get(i).copied() else {
            return i;
        };
        let kw = if t.kind == Kind::Ident { t.text } else { "" };
        match kw {
            "mod" => self.module(toks, i, attrs, vis),
            "use" => {
                let end = find_punct(toks, i, ';');
                let mut prefix = Vec::new();
                self.use_tree(&toks[i + 1..end], &mut prefix);
                end + 1
            }
            "static" | "const"
                if toks
                    .get(i + 1)
                    .is_some_and(|n| n.kind == Kind::Ident || n.is_punct('_')) =>
            {
                let mut j = i + 1;
                // `#[register_item]` refuses a `static mut` (with an error of its own), so the
                // registry must not expect it.
                let mutable = toks[j].is("mut");
                if mutable {
                    j += 1;
                }
                let name = toks[j];
                if name.kind == Kind::Ident {
                    self.item_name(name);
                    if attrs
                        .iter()
                        .any(|a| a.path.last().is_some_and(|p| p == "registry"))
                    {
                        let scope = &mut self.krate.scopes[self.scope];
                        scope.registries.push(unraw(name.text).to_owned());
                        // `NAME: path::Map<..>`: the segment before the first `<`.
                        let ty = &toks[(j + 2).min(toks.len())..];
                        let angle = ty.iter().position(|t| t.is_punct('<'));
                        if angle.is_some_and(|a| a > 0 && ty[a - 1].is("Map")) {
                            scope.maps.push(unraw(name.text).to_owned());
                        }
                    }
                }
                self.item_attrs(attrs, !mutable);
                let end = find_punct(toks, j, ';');
                // An initializer is a body.
                self.body_depth += 1;
                self.expr(&toks[j..end]);
                self.body_depth -= 1;
                end + 1
            }
            "fn" => {
                // Likewise a generic function (lifetime parameters are fine) and a method.
                let registrable = !self.in_impl && !has_type_or_const_params(&toks[i..]);
                self.item_attrs(attrs, registrable);
                let (body, end) = find_body(toks, i);
                if let Some(b) = body {
                    self.block(toks, b);
                }
                end
            }
            "impl" | "trait" => {
                let (body, end) = find_body(toks, i);
                if let Some(b) = body {
                    let (open, close) = (toks[b], toks[close_of(toks, b).min(toks.len() - 1)]);
                    self.krate.impl_bodies.push((
                        self.file.clone(),
                        (open.line as usize, open.col as usize),
                        (close.line as usize, close.col as usize),
                    ));
                    let saved = std::mem::replace(&mut self.in_impl, true);
                    self.body_depth += 1;
                    self.items(group(toks, b), false);
                    self.body_depth -= 1;
                    self.in_impl = saved;
                }
                end
            }
            "struct" | "enum" | "union" => {
                self.item_attrs(attrs, false);
                skip_item(toks, i)
            }
            "type" | "extern" => skip_item(toks, i),
            "macro_rules" => {
                // Registrations inside a macro definition are not registrations (see
                // `in_macro_definition`); its body is read where the macro is invoked.
                self.macro_rules(toks, i);
                skip_macro(toks, i)
            }
            _ if t.kind == Kind::Ident || t.is("::") => {
                // A macro invocation `path! (..)`, or (in a body) a statement.
                if let Some((path, used)) = parse_path(&toks[i..])
                    && toks.get(i + used).is_some_and(|b| b.is_punct('!'))
                    && toks.get(i + used + 1).is_some_and(|g| g.kind == Kind::Open)
                {
                    let g = i + used + 1;
                    let mut end = close_of(toks, g) + 1;
                    if toks.get(end).is_some_and(|t| t.is_punct(';')) {
                        end += 1;
                    }
                    // Otherwise an expression that goes on (`vec![..].len()`), read as one.
                    if module_level
                        || toks[g].is_open('{')
                        || toks.get(end - 1).is_some_and(|t| t.is_punct(';'))
                    {
                        self.macro_call(toks, &path, g, module_level);
                        return end;
                    }
                }
                if module_level {
                    return i + 1;
                }
                self.statement(toks, i)
            }
            _ if module_level => i + 1,
            _ => self.statement(toks, i),
        }
    }

    /// Registration attributes on an item: `#[register_item(PATH)]` (where `item_ok`) and
    /// framework attributes. One written below an attribute that may be a macro is marked
    /// `after_attribute` (that macro may remove or copy the item).
    pub(super) fn item_attrs(&mut self, attrs: &[Attr], item_ok: bool) {
        let mut after_macro = false;
        for (k, attr) in attrs.iter().enumerate() {
            let Some(name) = attr.path.last().map(String::as_str) else {
                continue;
            };
            if is_inert(attr) {
                continue;
            }
            if name == REGISTER_ITEM {
                let parts = split_commas(attr.args);
                if item_ok
                    && let Some(first) = parts.first()
                    && let Some((target, used)) = parse_path(first)
                    && used == first.len()
                {
                    self.record(
                        RegistrationKind::Item,
                        target,
                        attr.at,
                        attr.condition.as_ref(),
                    );
                    self.mark_after(after_macro);
                    // `#[register_item(MAP, key = KEY)]`.
                    if let [_, [k, eq, key @ ..], ..] = &parts[..]
                        && k.is("key")
                        && eq.is_punct('=')
                    {
                        self.set_key(key);
                    }
                }
                continue;
            }
            self.test_writer_attribute(attr, &attrs[..k], &attrs[k + 1..]);
            self.record(
                RegistrationKind::Attribute,
                attr.path.clone(),
                attr.at,
                attr.condition.as_ref(),
            );
            self.mark_after(after_macro);
            after_macro = true;
        }
    }

    /// Marks the registration just recorded as written below an attribute macro.
    fn mark_after(&mut self, after_macro: bool) {
        if after_macro
            && !self.in_macro_definition
            && let Some(r) = self.krate.registrations.last_mut()
        {
            r.after_attribute = true;
        }
    }

    /// The key of the registration just recorded, for a map.
    pub(super) fn set_key(&mut self, key: &[Tok]) {
        if let Some(r) = self.krate.registrations.last_mut() {
            r.key = Some(key.iter().map(|t| t.text.to_owned()).collect());
        }
    }

    pub(super) fn item_name(&mut self, ident: Tok) {
        self.krate.items_at.insert(
            (self.file.clone(), ident.line as usize, ident.col as usize),
            self.scope,
        );
        self.krate.scopes[self.scope]
            .items
            .push(unraw(ident.text).to_owned());
    }
}
