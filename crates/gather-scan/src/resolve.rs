//! A small name resolver: what a registration's path names, as far as the source text tells.
//!
//! It follows rustc's lookup order for the cases that matter here (blocks, then the enclosing
//! module; items and single imports before globs; `crate::`, `self::`, `super::`, renames), and it
//! may be wrong where macros create items or modules. A wrong answer is never silent: the
//! registry's generated code makes rustc check every membership the scan decided.

use crate::model::{Crate, Resolution, ScopeId};

const MAX_DEPTH: usize = 32;

/// How a path is being resolved: how deep in import chains, and whether glob imports are
/// consulted (not while finding what globs import, so that the answer is the same whatever was
/// asked before: the registry and each registration must agree).
#[derive(Clone, Copy)]
struct Search {
    depth: usize,
    globs: bool,
}

impl Search {
    fn deeper(self) -> Search {
        Search {
            depth: self.depth + 1,
            ..self
        }
    }
}

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
        let search = Search {
            depth: 0,
            globs: true,
        };
        self.resolve_path(scope, path, search)
    }

    fn resolve_path(&self, scope: ScopeId, path: &[String], search: Search) -> Resolution {
        if search.depth > MAX_DEPTH || path.is_empty() {
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
                        .lookup(scope, first, search)
                        .unwrap_or(Resolution::Item {
                            scope: module,
                            name: first.to_owned(),
                        });
                }
                match self.lookup(scope, first, search) {
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
                    .lookup_in(current, seg, search)
                    .unwrap_or(Resolution::Item {
                        scope: current,
                        name: seg.clone(),
                    });
            }
            match self.lookup_in(current, seg, search) {
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
    fn lookup(&self, scope: ScopeId, name: &str, search: Search) -> Option<Resolution> {
        let mut s = scope;
        loop {
            if let Some(r) = self.lookup_in(s, name, search) {
                return Some(r);
            }
            if self.scopes[s].is_module {
                return None;
            }
            s = self.scopes[s].parent?;
        }
    }

    /// A name declared or imported in exactly this scope: its own items, modules and single
    /// imports first, then what its glob imports reach.
    fn lookup_in(&self, scope: ScopeId, name: &str, search: Search) -> Option<Resolution> {
        if let Some(r) = self.lookup_declared(scope, name, search) {
            return Some(r);
        }
        if !search.globs {
            return None;
        }
        self.glob_closure(scope)
            .iter()
            .find_map(|&m| self.lookup_declared(m, name, search))
    }

    /// A name declared, or imported by a single import, in exactly this scope.
    fn lookup_declared(&self, scope: ScopeId, name: &str, search: Search) -> Option<Resolution> {
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
        let path = sc.imports.get(name)?;
        Some(self.resolve_path(scope, path, search.deeper()))
    }

    /// The paths that `name` may have as seen from `scope` through glob imports of other crates
    /// (`use my_framework::*;`), which the scan cannot look into: a framework's hook named so is
    /// taken for one if nothing of this crate has that name.
    pub fn through_external_globs(&self, scope: ScopeId, name: &str) -> Vec<Vec<String>> {
        let plain = Search {
            depth: 0,
            globs: false,
        };
        let mut found = Vec::new();
        let mut s = scope;
        loop {
            for glob in &self.scopes[s].globs {
                let mut p = match self.resolve_path(s, glob, plain) {
                    Resolution::External(p) => p,
                    // `use my_framework::*;`: a crate's name, which no item here declares.
                    Resolution::Item { scope, name }
                        if glob.len() == 1 && !self.scopes[scope].items.contains(&name) =>
                    {
                        glob.clone()
                    }
                    _ => continue,
                };
                p.push(name.to_owned());
                found.push(p);
            }
            if self.scopes[s].is_module {
                return found;
            }
            match self.scopes[s].parent {
                Some(p) => s = p,
                None => return found,
            }
        }
    }

    /// The modules that `scope`'s glob imports reach, directly or through their own globs, in
    /// breadth-first order, each once. Searched one by one, a chain of globs costs its length,
    /// where following globs from every lookup cost exponential time in crates whose modules
    /// glob-import each other (winnow, zerocopy). Glob paths are resolved without globs.
    fn glob_closure(&self, scope: ScopeId) -> std::sync::Arc<Vec<ScopeId>> {
        if let Some(found) = self.memo.lock().unwrap().globs.get(&scope) {
            return found.clone();
        }
        let plain = Search {
            depth: 0,
            globs: false,
        };
        let mut reached = vec![scope];
        let mut next = 0;
        while next < reached.len() {
            let s = reached[next];
            next += 1;
            for glob in &self.scopes[s].globs {
                if let Resolution::Module(m) = self.resolve_path(s, glob, plain)
                    && !reached.contains(&m)
                {
                    reached.push(m);
                }
            }
        }
        reached.remove(0);
        let reached = std::sync::Arc::new(reached);
        self.memo
            .lock()
            .unwrap()
            .globs
            .insert(scope, reached.clone());
        reached
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Resolution;
    use crate::testing::scan_files;

    /// Resolves each registration's path of a crate and describes the answer.
    fn resolutions(files: &[(&str, &str)]) -> Vec<String> {
        let (krate, _) = scan_files(files);
        krate
            .registrations
            .iter()
            .filter(|r| !r.kind.is_hook())
            .map(|r| match krate.resolve(r.scope, &r.path) {
                Resolution::Item { scope, name } => {
                    let registry = krate.scopes[scope].registries.contains(&name);
                    format!(
                        "item {name} in scope {scope}{}",
                        if registry { " (registry)" } else { "" }
                    )
                }
                Resolution::Module(m) => format!("module {m}"),
                Resolution::External(p) => format!("external {}", p.join("::")),
                Resolution::Unknown => "unknown".into(),
            })
            .collect()
    }

    #[test]
    fn paths_resolve_as_rustc_would() {
        let registry = "#[registry] static R: Registry<u8>;\n";
        let public = "#[registry] pub static R: Registry<u8>;\n";
        let cases: &[(&str, String, &[&str])] = &[
            (
                "crate::",
                format!("{registry}mod a {{ register!(crate::R, 1); }}"),
                &["item R in scope 0 (registry)"],
            ),
            (
                "super::",
                format!("{registry}mod a {{ register!(super::R, 1); }}"),
                &["item R in scope 0 (registry)"],
            ),
            (
                "self::",
                format!("{registry}register!(self::R, 1);"),
                &["item R in scope 0 (registry)"],
            ),
            (
                "plain name",
                format!("{registry}register!(R, 1);"),
                &["item R in scope 0 (registry)"],
            ),
            (
                "use",
                format!("{registry}mod a {{ use crate::R; register!(R, 1); }}"),
                &["item R in scope 0 (registry)"],
            ),
            (
                "use as",
                format!("{registry}mod a {{ use crate::R as S; register!(S, 1); }}"),
                &["item R in scope 0 (registry)"],
            ),
            (
                "use group",
                format!("{registry}mod a {{ use crate::{{R as T, other}}; register!(T, 1); }}"),
                &["item R in scope 0 (registry)"],
            ),
            (
                "glob",
                format!("mod m {{ {registry} }}\nmod a {{ use crate::m::*; register!(R, 1); }}"),
                &["item R in scope 1 (registry)"],
            ),
            (
                "module path",
                format!("mod m {{ {public} }}\nregister!(m::R, 1);"),
                &["item R in scope 1 (registry)"],
            ),
            (
                "block import",
                format!("mod m {{ {public} }}\nfn f() {{ use m::R; register!(R, 1); }}"),
                &["item R in scope 1 (registry)"],
            ),
            (
                "external",
                "register!(dep::R, 1);\nregister!(::dep::R, 1);".into(),
                &["external dep::R", "external dep::R"],
            ),
            (
                "external through use",
                "use dep::R as D;\nregister!(D, 1);".into(),
                &["external dep::R"],
            ),
            (
                "import cycle",
                "use a::X as Y;\nmod a { pub use crate::Y as X; }\nregister!(Y::Z, 1);".into(),
                &["unknown"],
            ),
        ];
        for (name, root, expected) in cases {
            assert_eq!(resolutions(&[("lib.rs", root)]), *expected, "case `{name}`");
        }
    }

    #[test]
    fn modules_that_glob_import_each_other_resolve_fast() {
        // 40 modules, each glob-importing all the others and its parent: the old resolver
        // followed every chain of globs (winnow and zerocopy never finished).
        let mut root = String::from("#[registry] static R: Registry<u8>;\n");
        for i in 0..40 {
            root.push_str(&format!("mod m{i} {{ use super::*;"));
            for j in 0..40 {
                root.push_str(&format!(" use crate::m{j}::*;"));
            }
            root.push_str(" register!(Unknown, 1); register!(R, 1); }\n");
        }
        let started = std::time::Instant::now();
        let answers = resolutions(&[("lib.rs", &root)]);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(answers.len(), 80);
        assert!(
            answers
                .iter()
                .skip(1)
                .step_by(2)
                .all(|a| a == "item R in scope 0 (registry)")
        );
    }
}
