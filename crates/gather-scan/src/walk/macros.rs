//! Macro invocations: registrations, `include!`, and the macros that declare modules.

use std::path::Path;

use crate::attrs::{cfg_predicates, read_attrs};
use crate::cfg::Cfg;
use crate::env::canonical;
use crate::lex::{Kind, Tok, lex};
use crate::model::RegistrationKind;
use crate::tokens::{close_of, eval_str, group, parse_path, split_commas, text_of};

use super::{REGISTER, REGISTER_INDEX, REGISTER_MANY, Walker, read_source};

/// Macros of the standard library and of the scan's own concern, which no framework hooks (with
/// [`TRANSPARENT`]): not recorded as possible framework macro calls, which keeps the model small.
const NOT_HOOKS: &[&str] = &[
    "cfg",
    "cfg_if",
    "cfg_select",
    "column",
    "compile_error",
    "concat",
    "env",
    "file",
    "include",
    "include_bytes",
    "include_str",
    "line",
    "macro_rules",
    "matches",
    "module_path",
    "option_env",
    "register_item",
    "stringify",
    "thread_local",
];

/// Macros of the standard library whose arguments are expressions that rustc compiles as
/// written: a registration in them is one of the body they are in.
const TRANSPARENT: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
];

/// Whether a macro's arguments are read as expressions (see [`TRANSPARENT`]).
pub(super) fn transparent(path: &[String]) -> bool {
    matches!(path, [name] if TRANSPARENT.contains(&name.as_str()))
}

/// How deep macros that declare modules are followed into one another.
const MAX_MACRO_DEPTH: usize = 16;

impl Walker<'_> {
    /// A macro invocation at item level (`module_level`) or as a statement.
    pub(super) fn macro_call(
        &mut self,
        toks: &[Tok],
        path: &[String],
        g: usize,
        module_level: bool,
    ) {
        if module_level && self.body_depth == 0 {
            self.krate.scopes[self.scope]
                .macro_calls
                .push(path.to_vec());
        }
        let at = toks
            .get(g)
            .map_or((0, 0), |t| (t.line as usize, t.col as usize));
        if !self.in_macro_definition {
            self.invoked_at = at;
        }
        self.test_writer_macro(path, at);
        let name = path.last().map(String::as_str).unwrap_or("");
        if name == "include" && self.body_depth == 0 {
            self.include(group(toks, g));
            return;
        }
        match name {
            "macro_rules" => {}
            REGISTER | REGISTER_MANY | REGISTER_INDEX => self.macro_call_in(toks, path, g),
            "cfg_if" if module_level => self.cfg_if(group(toks, g)),
            "cfg_select" if module_level => self.cfg_select(group(toks, g)),
            _ if module_level => {
                self.hook_call(toks, path, g);
                self.crate_macro(name, group(toks, g));
            }
            _ if transparent(path) => self.expr(group(toks, g)),
            _ => self.hook_call(toks, path, g),
        }
    }

    /// A call of a macro that may be a framework's hook (`#[registry(macro = ..)]`): recorded at
    /// its first input token, where the framework's macro computes the registration's id.
    fn hook_call(&mut self, toks: &[Tok], path: &[String], g: usize) {
        let name = path.last().map(String::as_str).unwrap_or("");
        if path.len() == 1 && (NOT_HOOKS.contains(&name) || TRANSPARENT.contains(&name)) {
            return;
        }
        let Some(first) = group(toks, g).first() else {
            return;
        };
        self.record(
            RegistrationKind::Macro,
            path.to_vec(),
            (first.line as usize, first.col as usize),
            None,
        );
    }

    /// `cfg_if! { if #[cfg(a)] { .. } else if #[cfg(b)] { .. } else { .. } }`: each branch's
    /// items under the cfg that selects it, as the macro defines.
    fn cfg_if(&mut self, toks: &[Tok]) {
        let mut earlier: Vec<Cfg> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let chained = toks[i].is("else");
            if chained {
                i += 1;
            }
            let condition = if toks.get(i).is_some_and(|t| t.is("if")) {
                if !chained {
                    earlier.clear();
                }
                i += 1;
                let attrs = read_attrs(toks, &mut i, false);
                let mut predicates = cfg_predicates(&attrs);
                Some(match predicates.len() {
                    1 => predicates.remove(0),
                    _ => Cfg::All(predicates),
                })
            } else {
                None
            };
            if !toks.get(i).is_some_and(|t| t.is_open('{')) {
                i += 1;
                continue;
            }
            let mut cfgs: Vec<Cfg> = earlier.iter().map(|c| c.clone().negate()).collect();
            cfgs.extend(condition.clone());
            self.items_under(&cfgs, group(toks, i));
            earlier.extend(condition);
            i = close_of(toks, i) + 1;
        }
    }

    /// `cfg_select! { unix => { .. } _ => { .. } }`: the first arm whose predicate holds.
    fn cfg_select(&mut self, toks: &[Tok]) {
        let mut earlier: Vec<Cfg> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let start = i;
            while i < toks.len()
                && !(toks[i].is_punct('=') && toks.get(i + 1).is_some_and(|t| t.is_punct('>')))
            {
                i += 1;
            }
            let predicate = &toks[start..i];
            i += 2;
            let Some(body) = toks.get(i).filter(|t| t.kind == Kind::Open) else {
                break;
            };
            let mut cfgs: Vec<Cfg> = earlier.iter().map(|c| c.clone().negate()).collect();
            let condition = match predicate {
                [only] if only.is("_") => None,
                _ => Some(Cfg::parse(predicate)),
            };
            cfgs.extend(condition.clone());
            if body.is_open('{') {
                self.items_under(&cfgs, group(toks, i));
            }
            earlier.extend(condition);
            i = close_of(toks, i) + 1;
            if toks.get(i).is_some_and(|t| t.is_punct(',')) {
                i += 1;
            }
        }
    }

    /// Items under extra cfgs.
    fn items_under(&mut self, cfgs: &[Cfg], toks: &[Tok]) {
        let saved = self.cfg.len();
        self.cfg.extend(cfgs.iter().cloned());
        self.items(toks, true);
        self.cfg.truncate(saved);
    }

    /// Any other macro at item level: a crate's own macro may declare modules in its input
    /// (`cfg_rt! { pub mod runtime; }`) or in its own body (a `macro_rules!` invoked at the root),
    /// under cfgs of its own. Both are read; what is found there is compiled only if rustc says
    /// so.
    fn crate_macro(&mut self, name: &str, input: &[Tok]) {
        if self.macro_stack.len() >= MAX_MACRO_DEPTH {
            return;
        }
        let saved = std::mem::replace(&mut self.through_macro, true);
        self.macro_stack.push(name.to_owned());
        // The input is finite however the macros nest; a body is read once per nesting, so
        // that a recursive macro ends.
        self.items(input, true);
        let recursive = self.macro_stack[..self.macro_stack.len() - 1]
            .iter()
            .any(|m| m == name);
        if let Some(bodies) = self.macro_bodies.get(name).filter(|_| !recursive).cloned() {
            let was_definition = std::mem::replace(&mut self.in_macro_definition, true);
            for body in &bodies {
                self.items(&lex(body), true);
            }
            self.in_macro_definition = was_definition;
        }
        self.macro_stack.pop();
        self.through_macro = saved;
    }

    /// `macro_rules! name { (..) => { body }; .. }`: remembers the bodies, for the invocations.
    pub(super) fn macro_rules(&mut self, toks: &[Tok], i: usize) {
        let (Some(name), Some(rules)) = (toks.get(i + 2), toks.get(i + 3)) else {
            return;
        };
        if name.kind != Kind::Ident || rules.kind != Kind::Open {
            return;
        }
        let rules = group(toks, i + 3);
        let mut bodies = Vec::new();
        let mut k = 0;
        while k < rules.len() {
            if rules[k].is_punct('=')
                && rules.get(k + 1).is_some_and(|t| t.is_punct('>'))
                && rules.get(k + 2).is_some_and(|t| t.kind == Kind::Open)
            {
                bodies.push(text_of(group(rules, k + 2)));
                k = close_of(rules, k + 2) + 1;
                continue;
            }
            if rules[k].kind == Kind::Open {
                k = close_of(rules, k) + 1;
                continue;
            }
            k += 1;
        }
        self.macro_bodies
            .entry(name.text.to_owned())
            .or_default()
            .extend(bodies);
    }

    /// `register!(PATH, ..)` / `register_many!(PATH, ..)`; any other macro's arguments are
    /// looked through for nested blocks (e.g. `vec![{ .. }]` is left alone: only registrations
    /// written literally count).
    pub(super) fn macro_call_in(&mut self, toks: &[Tok], path: &[String], g: usize) {
        let name = path.last().map(String::as_str).unwrap_or("");
        let kind = match name {
            REGISTER => RegistrationKind::One,
            REGISTER_MANY => RegistrationKind::Many,
            REGISTER_INDEX => RegistrationKind::Index,
            _ => return self.hook_call(toks, path, g),
        };
        let args = group(toks, g);
        let parts = split_commas(args);
        // `register!(R)` without a value is an error of its own; it registers nothing.
        if parts.len() < 2 || parts[1].is_empty() {
            return;
        }
        // `register_index!` is an expression: at item level it is an error of rustc's, and no
        // registration.
        if kind == RegistrationKind::Index && self.body_depth == 0 {
            return;
        }
        // Nor does `register!(MAP, => VALUE)` or `register!(MAP, KEY =>)`.
        let value = parts[1];
        let arrow = (name == REGISTER).then(|| top_level_arrow(value)).flatten();
        if arrow.is_some_and(|a| a == 0 || a + 2 == value.len()) {
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
        // `register!(MAP, KEY => VALUE)`: `=>` at the value's top level.
        if let Some(arrow) = arrow
            && self
                .krate
                .registrations
                .last()
                .is_some_and(|r| r.line == first.line as usize && r.column == first.col as usize)
        {
            self.set_key(&value[..arrow]);
        }
        if name == REGISTER_MANY
            && let Some(r) = self.krate.registrations.last_mut()
            && r.line == first.line as usize
            && r.column == first.col as usize
        {
            r.imported = Some(text_of(parts[1]).replace(" :: ", "::"));
        }
    }

    pub(super) fn include(&mut self, args: &[Tok]) {
        let Some(target) = eval_str(args) else { return };
        let base = self
            .file_as_named
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let path = base.join(target);
        let Some(text) = read_source(&path) else {
            return;
        };
        let file = canonical(&path);
        if !self.may_read(&file) {
            return;
        }
        let toks = lex(&text);
        self.reading.push(file.clone());
        let saved = std::mem::replace(&mut self.file, file);
        let saved_named = std::mem::replace(&mut self.file_as_named, path.clone());
        let mut i = 0;
        while i < toks.len() {
            let before = i;
            i = self.item(&toks, i, true);
            if i <= before {
                i = before + 1;
            }
        }
        self.file = saved;
        self.file_as_named = saved_named;
        self.reading.pop();
    }
}

/// Where `=>` is at the top level of a macro argument (not inside a group).
pub(super) fn top_level_arrow(toks: &[Tok]) -> Option<usize> {
    let mut k = 0;
    while k + 1 < toks.len() {
        if toks[k].kind == Kind::Open {
            k = close_of(toks, k) + 1;
            continue;
        }
        if toks[k].is_punct('=') && toks[k + 1].is_punct('>') {
            return Some(k);
        }
        k += 1;
    }
    None
}
