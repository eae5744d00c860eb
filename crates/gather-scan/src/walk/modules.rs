//! Module declarations (files found with rustc's rules) and `use` declarations.

use std::path::{Path, PathBuf};

use crate::attrs::{Attr, path_attrs};
use crate::cfg::Cfg;
use crate::lex::{Kind, Tok};
use crate::model::Vis;
use crate::tokens::{close_of, find_punct, group, split_commas, unraw};

use super::Walker;

impl Walker<'_> {
    pub(super) fn use_tree(&mut self, toks: &[Tok], prefix: &mut Vec<String>) {
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
            let name = unraw(t.text).to_owned();
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

    pub(super) fn module(&mut self, toks: &[Tok], i: usize, attrs: &[Attr], vis: Vis) -> usize {
        let Some(name_tok) = toks.get(i + 1) else {
            return i + 1;
        };
        // `mod r#type;` is the module `type`, in `type.rs`.
        let name = unraw(name_tok.text).to_owned();
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
    pub(super) fn path_attr_base(&self) -> PathBuf {
        let in_inline = self.krate.scopes[self.scope]
            .extent
            .as_ref()
            .is_some_and(|(_, s, _)| *s != (0, 0));
        if in_inline {
            self.mod_dir.clone()
        } else {
            self.file_as_named
                .parent()
                .unwrap_or(Path::new(""))
                .to_path_buf()
        }
    }
}
