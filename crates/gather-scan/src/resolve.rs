//! A small name resolver: what a registration's path names, as far as the source text tells.
//!
//! It follows rustc's lookup order for the cases that matter here (blocks, then the enclosing
//! module; items and single imports before globs; `crate::`, `self::`, `super::`, renames), and it
//! may be wrong where macros create items or modules. A wrong answer is never silent: the
//! registry's generated code makes rustc check every membership the scan decided.

use crate::model::{Crate, Resolution, ScopeId};

const MAX_DEPTH: usize = 32;

impl Crate {
    /// Resolves `path` as written in `scope` (0 is the crate root).
    ///
    /// ```
    /// let dir = std::env::temp_dir().join("gather-scan-resolve-doc");
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(dir.join("lib.rs"), "use my_framework::test as check;\n").unwrap();
    /// let krate = gather_scan::scan(&gather_scan::canonical(&dir.join("lib.rs")));
    /// assert_eq!(
    ///     krate.resolve(0, &["check".to_string()]),
    ///     gather_scan::Resolution::External(vec!["my_framework".into(), "test".into()])
    /// );
    /// ```
    pub fn resolve(&self, scope: ScopeId, path: &[String]) -> Resolution {
        self.resolve_path(scope, path, 0)
    }

    fn resolve_path(&self, scope: ScopeId, path: &[String], depth: usize) -> Resolution {
        if depth > MAX_DEPTH || path.is_empty() {
            return Resolution::Unknown;
        }
        let module = self.scopes[scope].module;
        let (mut current, rest) = match path[0].as_str() {
            "" => return Resolution::External(path[1..].to_vec()),
            "crate" => (0, &path[1..]),
            "self" => (module, &path[1..]),
            "super" => (
                self.scopes[module]
                    .parent
                    .map_or(0, |p| self.scopes[p].module),
                &path[1..],
            ),
            first => {
                if path.len() == 1 {
                    return self
                        .lookup(scope, first, depth)
                        .unwrap_or(Resolution::Item {
                            scope: module,
                            name: first.to_owned(),
                        });
                }
                match self.lookup(scope, first, depth) {
                    Some(Resolution::Module(m)) => (m, &path[1..]),
                    Some(Resolution::External(mut p)) => {
                        p.extend(path[1..].iter().cloned());
                        return Resolution::External(p);
                    }
                    Some(_) => return Resolution::Unknown,
                    // Not a name of this crate: an extern crate (or a macro-made module).
                    None => return Resolution::External(path.to_vec()),
                }
            }
        };
        let mut rest = rest;
        while let Some(seg) = rest.first() {
            if seg == "super" {
                current = self.scopes[current]
                    .parent
                    .map_or(0, |p| self.scopes[p].module);
                rest = &rest[1..];
                continue;
            }
            if rest.len() == 1 {
                return self
                    .lookup_in(current, seg, depth)
                    .unwrap_or(Resolution::Item {
                        scope: current,
                        name: seg.clone(),
                    });
            }
            match self.lookup_in(current, seg, depth) {
                Some(Resolution::Module(m)) => current = m,
                Some(Resolution::External(mut p)) => {
                    p.extend(rest[1..].iter().cloned());
                    return Resolution::External(p);
                }
                _ => return Resolution::Unknown,
            }
            rest = &rest[1..];
        }
        Resolution::Module(current)
    }

    /// A name as seen from `scope`: the scope, its enclosing blocks, then its module.
    fn lookup(&self, scope: ScopeId, name: &str, depth: usize) -> Option<Resolution> {
        let mut s = scope;
        loop {
            if let Some(r) = self.lookup_in(s, name, depth) {
                return Some(r);
            }
            if self.scopes[s].is_module {
                return None;
            }
            s = self.scopes[s].parent?;
        }
    }

    /// A name declared or imported in exactly this scope.
    fn lookup_in(&self, scope: ScopeId, name: &str, depth: usize) -> Option<Resolution> {
        let sc = &self.scopes[scope];
        if let Some(&m) = sc.modules.get(name) {
            return Some(Resolution::Module(m));
        }
        if sc.items.iter().any(|i| i == name) {
            return Some(Resolution::Item {
                scope,
                name: name.to_owned(),
            });
        }
        if let Some(path) = sc.imports.get(name) {
            return Some(self.resolve_path(scope, path, depth + 1));
        }
        for glob in &sc.globs {
            match self.resolve_path(scope, glob, depth + 1) {
                Resolution::Module(m) if m != scope => {
                    if let Some(r) = self.lookup_in(m, name, depth + 1) {
                        return Some(r);
                    }
                }
                _ => {}
            }
        }
        None
    }
}
