//! The walker: reads a crate's module tree from disk with rustc's rules and records scopes,
//! names and registrations into a [`Crate`].

use std::path::{Path, PathBuf};

use crate::attrs::{Attr, BUILTIN_ATTRS, cfg_predicates, path_attrs, read_attrs};
use crate::cfg::Cfg;
use crate::env::canonical;
use crate::id::position_id;
use crate::lex::{Kind, Tok, lex};
use crate::model::{Crate, Extent, Registration, RegistrationKind, Scope, ScopeId, Vis};
use crate::tokens::{
    close_of, eval_str, find_body, find_punct, group, has_items, parse_path, skip_item, skip_macro,
    split_commas, starts_block_like,
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
        file: root.to_path_buf(),
        mod_dir: dir,
        cfg: Vec::new(),
        depth: 0,
        body_depth: 0,
    };
    walker.scan_file(root, &[]);
    krate
}

struct Walker<'a> {
    krate: &'a mut Crate,
    scope: ScopeId,
    file: PathBuf,
    /// The directory in which `mod x;` of the current scope looks for `x.rs` / `x/mod.rs`.
    mod_dir: PathBuf,
    cfg: Vec<Cfg>,
    depth: usize,
    body_depth: usize,
}

fn read_source(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    // rustc drops a byte-order mark before counting columns; so must we.
    Some(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_owned(),
        None => text,
    })
}

const REGISTER: &str = "register";
const REGISTER_MANY: &str = "register_many";
const REGISTER_ITEM: &str = "register_item";

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
    fn scan_file(&mut self, path: &Path, cfgs: &[Cfg]) {
        if self.depth > 64 {
            return; // a `#[path]` cycle; rustc reports it
        }
        let Some(text) = read_source(path) else {
            self.krate.unreadable.push(path.to_path_buf());
            return;
        };
        let toks = lex(&text);
        let saved_file = std::mem::replace(&mut self.file, canonical(path));
        let saved_len = self.cfg.len();
        self.cfg.extend(cfgs.iter().cloned());
        if self.krate.scopes[self.scope].extent.is_none() {
            self.krate.scopes[self.scope].extent =
                Some((self.file.clone(), (0, 0), (usize::MAX, usize::MAX)));
        }
        self.depth += 1;
        self.items(&toks, true);
        self.depth -= 1;
        self.cfg.truncate(saved_len);
        self.file = saved_file;
    }

    /// Records a registration at `at`, under the current cfgs and, for an attribute inside
    /// `cfg_attr`, its condition.
    fn record(
        &mut self,
        kind: RegistrationKind,
        path: Vec<String>,
        at: (usize, usize),
        condition: Option<&Cfg>,
    ) {
        let (line, column) = at;
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
        });
    }

    /// Walks items: a module's contents, or an impl's / trait's. `module_level` is false inside
    /// bodies (blocks), where statements also occur.
    fn items(&mut self, toks: &[Tok], module_level: bool) {
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
    fn item(&mut self, toks: &[Tok], mut i: usize, module_level: bool) -> usize {
        let attrs = read_attrs(toks, &mut i, false);
        let saved = self.cfg.len();
        self.cfg.extend(cfg_predicates(&attrs));
        let next = self.item_after_attrs(toks, i, &attrs, module_level);
        self.cfg.truncate(saved);
        next
    }

    fn item_after_attrs(
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
                if toks[j].is("mut") {
                    j += 1;
                }
                let name = toks[j];
                if name.kind == Kind::Ident {
                    self.item_name(name);
                    if attrs
                        .iter()
                        .any(|a| a.path.last().is_some_and(|p| p == "registry"))
                    {
                        self.krate.scopes[self.scope]
                            .registries
                            .push(name.text.to_owned());
                    }
                }
                self.item_attrs(attrs, true);
                let end = find_punct(toks, j, ';');
                // An initializer is a body.
                self.body_depth += 1;
                self.expr(&toks[j..end]);
                self.body_depth -= 1;
                end + 1
            }
            "fn" => {
                self.item_attrs(attrs, true);
                let (body, end) = find_body(toks, i);
                if let Some(b) = body {
                    self.block(toks, b);
                }
                end
            }
            "impl" | "trait" => {
                let (body, end) = find_body(toks, i);
                if let Some(b) = body {
                    self.body_depth += 1;
                    self.items(group(toks, b), false);
                    self.body_depth -= 1;
                }
                end
            }
            "struct" | "enum" | "union" => {
                self.item_attrs(attrs, false);
                skip_item(toks, i)
            }
            "type" | "extern" => skip_item(toks, i),
            "macro_rules" => {
                // Registrations inside a macro definition are not registrations.
                skip_macro(toks, i)
            }
            _ if t.kind == Kind::Ident || t.is("::") => {
                // A macro invocation `path! (..)`, or (in a body) a statement.
                if let Some((path, used)) = parse_path(&toks[i..])
                    && toks.get(i + used).is_some_and(|b| b.is_punct('!'))
                    && toks.get(i + used + 1).is_some_and(|g| g.kind == Kind::Open)
                {
                    let g = i + used + 1;
                    self.macro_call(toks, &path, g, module_level);
                    let mut end = close_of(toks, g) + 1;
                    if toks.get(end).is_some_and(|t| t.is_punct(';')) {
                        end += 1;
                    }
                    if module_level
                        || toks[g].is_open('{')
                        || toks.get(end - 1).is_some_and(|t| t.is_punct(';'))
                    {
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

    /// A statement or expression in a body, up to `;` (included) or the end of a block-like
    /// expression.
    fn statement(&mut self, toks: &[Tok], i: usize) -> usize {
        let mut j = i;
        while j < toks.len() {
            let t = &toks[j];
            if t.is_punct(';') {
                self.expr(&toks[i..j]);
                return j + 1;
            }
            if t.kind == Kind::Open {
                let close = close_of(toks, j);
                // `if c { } else { }`, `loop { }`, `match x { }`, a block: ends the statement
                // unless an operator or `else` follows.
                if t.is_open('{') {
                    let follow = toks.get(close + 1);
                    let continues = follow.is_some_and(|f| {
                        f.is("else")
                            || f.is_punct('.')
                            || f.is_punct('?')
                            || f.is_punct(';')
                            || (f.kind == Kind::Punct && !f.is_punct('#'))
                    });
                    if !continues && starts_block_like(&toks[i..=j]) {
                        self.expr(&toks[i..=close.min(toks.len() - 1)]);
                        return close + 1;
                    }
                }
                j = close + 1;
                continue;
            }
            j += 1;
        }
        self.expr(&toks[i..]);
        toks.len()
    }

    /// Looks through an expression for macro calls, blocks and closures' bodies.
    fn expr(&mut self, toks: &[Tok]) {
        let mut k = 0;
        while k < toks.len() {
            let t = toks[k];
            if t.kind == Kind::Ident
                && let Some((path, used)) = parse_path(&toks[k..])
                && toks.get(k + used).is_some_and(|b| b.is_punct('!'))
                && toks.get(k + used + 1).is_some_and(|g| g.kind == Kind::Open)
            {
                let g = k + used + 1;
                self.macro_call_in(toks, &path, g);
                k = close_of(toks, g) + 1;
                continue;
            }
            if t.is_punct('#') && toks.get(k + 1).is_some_and(|b| b.is_open('[')) {
                // An attribute on an expression or statement inside: applies to what follows.
                let mut k2 = k;
                let attrs = read_attrs(toks, &mut k2, false);
                let saved = self.cfg.len();
                self.cfg.extend(cfg_predicates(&attrs));
                let end = self.statement_extent(toks, k2);
                self.expr(&toks[k2..end]);
                self.cfg.truncate(saved);
                k = end.max(k2 + 1);
                continue;
            }
            if t.is_open('{') {
                self.block(toks, k);
                k = close_of(toks, k) + 1;
                continue;
            }
            if t.kind == Kind::Open {
                self.expr(group(toks, k));
                k = close_of(toks, k) + 1;
                continue;
            }
            k += 1;
        }
    }

    /// Where the statement / expression / arm starting at `i` ends (exclusive).
    fn statement_extent(&self, toks: &[Tok], i: usize) -> usize {
        let mut j = i;
        while j < toks.len() {
            let t = &toks[j];
            if t.is_punct(';') || t.is_punct(',') {
                return j;
            }
            if t.kind == Kind::Open {
                let close = close_of(toks, j).min(toks.len() - 1);
                if t.is_open('{')
                    && !toks
                        .get(close + 1)
                        .is_some_and(|f| f.is("else") || f.is_punct('.'))
                {
                    return close + 1;
                }
                j = close + 1;
                continue;
            }
            j += 1;
        }
        toks.len()
    }

    /// A `{ .. }` block at `toks[open]`: a body, and a scope if it declares items.
    fn block(&mut self, toks: &[Tok], open: usize) {
        let inner = group(toks, open);
        self.body_depth += 1;
        let has_items = has_items(inner);
        if has_items {
            let o = &toks[open];
            let c = toks.get(close_of(toks, open)).unwrap_or(o);
            let extent = Some((
                self.file.clone(),
                (o.line as usize, o.col as usize),
                (c.line as usize, c.col as usize),
            ));
            let id = self.new_scope(false, extent);
            let saved = std::mem::replace(&mut self.scope, id);
            self.items(inner, false);
            self.scope = saved;
        } else {
            self.items(inner, false);
        }
        self.body_depth -= 1;
    }

    /// A macro invocation at item level (`module_level`) or as a statement.
    fn macro_call(&mut self, toks: &[Tok], path: &[String], g: usize, module_level: bool) {
        if module_level && self.body_depth == 0 {
            self.krate.scopes[self.scope]
                .macro_calls
                .push(path.to_vec());
        }
        let name = path.last().map(String::as_str).unwrap_or("");
        if name == "include" && self.body_depth == 0 {
            self.include(group(toks, g));
            return;
        }
        if name == "macro_rules" {
            return;
        }
        self.macro_call_in(toks, path, g);
    }

    /// `register!(PATH, ..)` / `register_many!(PATH, ..)`; any other macro's arguments are
    /// looked through for nested blocks (e.g. `vec![{ .. }]` is left alone: only registrations
    /// written literally count).
    fn macro_call_in(&mut self, toks: &[Tok], path: &[String], g: usize) {
        let name = path.last().map(String::as_str).unwrap_or("");
        let kind = match name {
            REGISTER => RegistrationKind::One,
            REGISTER_MANY => RegistrationKind::Many,
            _ => return,
        };
        let args = group(toks, g);
        let parts = split_commas(args);
        // `register!(R)` without a value is an error of its own; it registers nothing.
        if parts.len() < 2 || parts[1].is_empty() {
            return;
        }
        let Some((target, used)) = parse_path(parts[0]) else {
            return;
        };
        if used != parts[0].len() {
            return;
        }
        let first = args[0];
        self.record(
            kind,
            target,
            (first.line as usize, first.col as usize),
            None,
        );
    }

    fn include(&mut self, args: &[Tok]) {
        let Some(target) = eval_str(args) else { return };
        let base = self.file.parent().unwrap_or(Path::new("")).to_path_buf();
        let path = base.join(target);
        let Some(text) = read_source(&path) else {
            return;
        };
        let toks = lex(&text);
        let saved = std::mem::replace(&mut self.file, canonical(&path));
        let mut i = 0;
        while i < toks.len() {
            let before = i;
            i = self.item(&toks, i, true);
            if i <= before {
                i = before + 1;
            }
        }
        self.file = saved;
    }

    /// Registration attributes on an item: `#[register_item(PATH)]` (where `item_ok`) and
    /// framework attributes.
    fn item_attrs(&mut self, attrs: &[Attr], item_ok: bool) {
        for attr in attrs {
            let Some(name) = attr.path.last().map(String::as_str) else {
                continue;
            };
            if attr.path.len() == 1 && BUILTIN_ATTRS.contains(&name) {
                continue;
            }
            if name == REGISTER_ITEM {
                if item_ok
                    && let Some((target, used)) = parse_path(attr.args)
                    && used == attr.args.len()
                {
                    self.record(
                        RegistrationKind::Item,
                        target,
                        attr.at,
                        attr.condition.as_ref(),
                    );
                }
                continue;
            }
            self.record(
                RegistrationKind::Attribute,
                attr.path.clone(),
                attr.at,
                attr.condition.as_ref(),
            );
        }
    }

    fn use_tree(&mut self, toks: &[Tok], prefix: &mut Vec<String>) {
        let mut i = 0;
        let pushed = prefix.len();
        if toks.first().is_some_and(|t| t.is("::")) {
            prefix.push(String::new());
            i = 1;
        }
        while i < toks.len() {
            let t = toks[i];
            if t.is_punct('*') {
                self.krate.scopes[self.scope].globs.push(prefix.clone());
                break;
            }
            if t.is_open('{') {
                for part in split_commas(group(toks, i)) {
                    self.use_tree(part, prefix);
                }
                break;
            }
            if t.kind != Kind::Ident {
                break;
            }
            let name = t.text.to_owned();
            match toks.get(i + 1) {
                Some(n) if n.is("::") => {
                    prefix.push(name);
                    i += 2;
                }
                Some(n) if n.is("as") => {
                    let alias = toks
                        .get(i + 2)
                        .map(|a| a.text.to_owned())
                        .unwrap_or_default();
                    let mut path = prefix.clone();
                    if name != "self" {
                        path.push(name);
                    }
                    if alias != "_" && !alias.is_empty() {
                        self.krate.scopes[self.scope].imports.insert(alias, path);
                    }
                    break;
                }
                _ => {
                    if name == "self" {
                        if let Some(last) = prefix.last().cloned() {
                            self.krate.scopes[self.scope]
                                .imports
                                .insert(last, prefix.clone());
                        }
                    } else {
                        let mut path = prefix.clone();
                        path.push(name.clone());
                        self.krate.scopes[self.scope].imports.insert(name, path);
                    }
                    break;
                }
            }
        }
        prefix.truncate(pushed);
    }

    fn module(&mut self, toks: &[Tok], i: usize, attrs: &[Attr], vis: Vis) -> usize {
        let Some(name_tok) = toks.get(i + 1) else {
            return i + 1;
        };
        let name = name_tok.text.to_owned();
        let paths = path_attrs(attrs);
        let parent = self.scope;
        if let Some(open) = toks.get(i + 2).filter(|t| t.is_open('{')) {
            // Inline module: its `mod x;` look in `<dir>/<name>/`, and a `#[path]` inside it is
            // relative to that directory as well.
            let close = toks.get(close_of(toks, i + 2)).unwrap_or(open);
            let extent = Some((
                self.file.clone(),
                (open.line as usize, open.col as usize),
                (close.line as usize, close.col as usize),
            ));
            let id = self.new_scope(true, extent);
            self.krate.scopes[id].vis = vis;
            self.krate.scopes[parent].modules.insert(name.clone(), id);
            let dir = match paths.iter().find(|(c, _)| c.is_none()) {
                Some((_, p)) => self.mod_dir.join(p),
                None => self.mod_dir.join(&name),
            };
            let saved_dir = std::mem::replace(&mut self.mod_dir, dir);
            let saved_scope = std::mem::replace(&mut self.scope, id);
            let saved_cfg = self.cfg.len();
            self.items(group(toks, i + 2), true);
            self.cfg.truncate(saved_cfg);
            self.scope = saved_scope;
            self.mod_dir = saved_dir;
            return close_of(toks, i + 2) + 1;
        }
        let end = find_punct(toks, i, ';') + 1;
        // `mod name;`: the file alternatives, each under the cfg that selects it.
        let mut alternatives: Vec<(Vec<Cfg>, PathBuf, bool)> = Vec::new();
        let mut earlier: Vec<Cfg> = Vec::new();
        let mut plain = true;
        for (cond, p) in &paths {
            let path = self.path_attr_base().join(p);
            let mut cfgs: Vec<Cfg> = earlier.iter().map(|c| c.clone().negate()).collect();
            match cond {
                Some(c) => {
                    cfgs.push(c.clone());
                    alternatives.push((cfgs, path, true));
                    earlier.push(c.clone());
                }
                None => {
                    alternatives.push((cfgs, path, true));
                    plain = false;
                    break;
                }
            }
        }
        if plain {
            let cfgs: Vec<Cfg> = earlier.iter().map(|c| c.clone().negate()).collect();
            let a = self.mod_dir.join(format!("{name}.rs"));
            let b = self.mod_dir.join(&name).join("mod.rs");
            let (path, mod_rs) = if a.is_file() { (a, false) } else { (b, true) };
            alternatives.push((cfgs, path, mod_rs));
        }
        let mut first = None;
        for (cfgs, path, mod_rs) in alternatives {
            let id = self.new_scope(true, None);
            self.krate.scopes[id].vis = vis.clone();
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
        end
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

    fn item_name(&mut self, ident: Tok) {
        self.krate.items_at.insert(
            (self.file.clone(), ident.line as usize, ident.col as usize),
            self.scope,
        );
        self.krate.scopes[self.scope]
            .items
            .push(ident.text.to_owned());
    }
}
