//! How a registry reaches each registration, decided identically on both sides: which
//! registrations belong to which registry, and whether a path names the place each one expands
//! to. Both the registry and each registration compute this from the same scan, so they agree
//! without sharing any state.

use std::collections::HashMap;
use std::path::Path;

use crate::model::{
    Crate, Form, Registration, RegistrationKind, RegistryId, Resolution, ScopeId, Vis,
};
use crate::names;

impl Crate {
    /// [`Crate::resolve`] for a registration's path, memoized.
    #[doc(hidden)]
    pub fn resolve_registration(&self, r: &Registration) -> Resolution {
        self.resolve_memoized(r.scope, &r.path)
    }

    /// [`Crate::resolve`], memoized: each registration's macro resolves its registry's path.
    pub(crate) fn resolve_memoized(&self, scope: ScopeId, path: &[String]) -> Resolution {
        if let Some(found) = self
            .memo
            .lock()
            .unwrap()
            .resolutions
            .get(&scope)
            .and_then(|v| {
                v.iter()
                    .find(|(p, _)| p == path)
                    .map(|(_, res)| res.clone())
            })
        {
            return found;
        }
        let res = self.resolve(scope, path);
        self.memo
            .lock()
            .unwrap()
            .resolutions
            .entry(scope)
            .or_default()
            .push((path.to_vec(), res.clone()));
        res
    }

    /// The name of the item-type alias that the registry `registry` declares for its path-form
    /// registrations (`REGISTRY::Item_<name>_<hash>`): a registration's `const` is typed with it, through
    /// the registry path as written, so that rustc rejects the `const` unless that path names the
    /// very registry the scan decided (another registry has no alias of that name), at the cost
    /// of a type alias rather than a wrapper struct to build and check per registration. Computed
    /// from names only, so that two scans of the same crate agree.
    #[doc(hidden)]
    pub fn item_alias(&self, registry: &RegistryId) -> String {
        // Memoized: every registration's macro asks, for one of a few registries.
        if let Some(alias) = self.memo.lock().unwrap().aliases.get(registry) {
            return alias.clone();
        }
        let place = match self.module_path(registry.scope, registry.scope) {
            Form::Path(chain) => chain.join("::"),
            Form::Trait => format!("#{}", registry.scope),
        };
        let alias = names::item_alias(&registry.name, &format!("{place}::{}", registry.name));
        let mut memo = self.memo.lock().unwrap();
        memo.aliases.insert(registry.clone(), alias.clone());
        alias
    }

    /// The registration with this id, if the scan found it.
    #[doc(hidden)]
    pub fn registration(&self, id: u64) -> Option<&Registration> {
        self.by_id().get(&id).map(|&i| &self.registrations[i])
    }

    fn by_id(&self) -> &HashMap<u64, usize> {
        self.by_id.get_or_init(|| {
            let mut by_id = HashMap::with_capacity(self.registrations.len());
            for (i, r) in self.registrations.iter().enumerate() {
                // A macro call that may be a framework's hook yields its id to an attribute at
                // the same position (its input's first item's).
                if r.kind == RegistrationKind::Macro {
                    by_id.entry(r.id).or_insert(i);
                } else {
                    by_id.insert(r.id, i);
                }
            }
            by_id
        })
    }

    /// The literal `#[registry]` that a path-based registration names, if the scan can tell.
    #[doc(hidden)]
    pub fn target(&self, r: &Registration) -> Option<RegistryId> {
        if r.kind.is_hook() {
            return None;
        }
        match self.resolve_registration(r) {
            Resolution::Item { scope, name } if self.scopes[scope].registries.contains(&name) => {
                Some(RegistryId { scope, name })
            }
            _ => None,
        }
    }

    /// Whether a framework attribute or macro call `r`, whose path resolves to `resolved`, is one
    /// of a registry's hooks (`is_hook` of a full path): by its path, or (a name this crate does
    /// not declare) through a glob import of the framework's crate. The registry decides with its
    /// hooks, a framework's registration with the hook it is.
    pub(crate) fn hooked(
        &self,
        r: &Registration,
        resolved: &Resolution,
        is_hook: impl Fn(&[String]) -> bool,
    ) -> bool {
        match (resolved, &r.path[..]) {
            (Resolution::External(p), _) => is_hook(p),
            (Resolution::Item { scope, name }, [_])
                if !self.scopes[*scope].items.contains(name) =>
            {
                self.through_external_globs(r.scope, name)
                    .iter()
                    .any(|p| is_hook(p))
            }
            _ => false,
        }
    }

    /// What is wrong with a registration into the registry `t` that gives a key where the
    /// registry is not a map, or none where it is: said by the registration's macro, and the
    /// registry does not expect it.
    pub(crate) fn keyed_mismatch(&self, r: &Registration, t: &RegistryId) -> Option<String> {
        let is_map = self.scopes[t.scope].maps.contains(&t.name);
        let item = match r.kind {
            RegistrationKind::One => false,
            RegistrationKind::Item => true,
            RegistrationKind::Index if is_map => true,
            _ => return None,
        };
        // The path is joined only for a message: this runs for every registration.
        let path = || r.path.join("::");
        let message = match (is_map, r.key.is_some(), item) {
            _ if r.kind == RegistrationKind::Index => format!(
                "`{}` is a `Map`, whose entries have keys, not indices: write `register!({0}, KEY => VALUE)` \
                 and look the key up; `register_index!` takes a `Registry<T>`",
                path()
            ),
            (true, false, false) => format!(
                "`{}` is a `Map`: register an entry with its key, `register!({0}, KEY => VALUE)`",
                path()
            ),
            (true, false, true) => format!(
                "`{}` is a `Map`: give the entry's key, `#[register_item({0}, key = KEY)]`",
                path()
            ),
            (false, true, false) => format!(
                "`{}` is a `Registry`, whose items have no key: write `register!({0}, VALUE)`, or declare it as `Map<K, V>`",
                path()
            ),
            (false, true, true) => format!(
                "`{}` is a `Registry`, whose items have no key: write `#[register_item({0})]`, or declare it as `Map<K, V>`",
                path()
            ),
            _ => return None,
        };
        Some(message)
    }

    /// Whether the crate root invokes the macro `path` (e.g. `["my_framework", "main"]`) at item
    /// level, under any name that resolves to it. Frameworks use it to tell users who forgot
    /// their `main!()`. See [`crate::scan`] for an example.
    pub fn root_invokes(&self, path: &[&str]) -> bool {
        let want: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        // Memoized: a framework's attribute asks once per registration.
        if let Some(&found) = self.memo.lock().unwrap().invokes.get(&want) {
            return found;
        }
        let found = self.scopes[0]
            .macro_calls
            .iter()
            .any(|call| match self.resolve(0, call) {
                Resolution::External(p) => p == want,
                _ => false,
            });
        self.memo.lock().unwrap().invokes.insert(want, found);
        found
    }

    /// The scope of the registry whose name is at this position.
    #[doc(hidden)]
    pub fn registry_at(&self, file: &Path, line: usize, column: usize) -> ScopeId {
        self.scope_at(file, line, column)
    }

    /// How the registry declared in `registry_scope` reaches registration `r`.
    #[doc(hidden)]
    pub fn form(&self, r: &Registration, registry_scope: ScopeId, literal_registry: bool) -> Form {
        // A framework's registrations reach a registry at the crate root by path as well: its
        // macros name the registry there (`crate::NAME`), so both sides know where it is.
        let by_path = match r.kind.is_hook() {
            true => registry_scope == 0,
            false => literal_registry,
        };
        if !by_path || r.in_body || r.through_macro {
            return Form::Trait;
        }
        // From here on, the form depends on the two scopes only.
        let key = (r.scope, registry_scope);
        if let Some(f) = self.memo.lock().unwrap().forms.get(&key) {
            return f.clone();
        }
        let form = self.module_path(r.scope, registry_scope);
        self.memo.lock().unwrap().forms.insert(key, form.clone());
        form
    }

    fn module_path(&self, scope: ScopeId, registry_scope: ScopeId) -> Form {
        // The chain of modules from the crate root down to the registration's module.
        let mut chain = Vec::new();
        let mut m = scope;
        loop {
            let scope = &self.scopes[m];
            if !scope.is_module {
                return Form::Trait;
            }
            let Some(parent) = scope.parent else { break };
            if !self.scopes[parent].is_module || !self.accessible(m, registry_scope) {
                return Form::Trait;
            }
            let Some(name) = self.scopes[parent]
                .modules
                .iter()
                .find(|(_, c)| **c == m)
                .map(|(n, _)| n.clone())
            else {
                // A `#[cfg_attr(.., path)]` alternative: named like its first alternative, but
                // which one rustc picked only cfg decides; go through a trait instead.
                return Form::Trait;
            };
            chain.push(name);
            m = parent;
        }
        chain.reverse();
        Form::Path(chain)
    }

    /// The names of the modules from the crate root down to module `scope`, as `module_path!()`
    /// writes them after the crate's name; `None` where a block, an unnamed alternative or a
    /// keyword name (written raw) is on the way.
    pub(crate) fn module_names(&self, scope: ScopeId) -> Option<Vec<String>> {
        let mut chain = Vec::new();
        let mut m = scope;
        while let Some(parent) = self.scopes[m].parent {
            if !self.scopes[m].is_module {
                return None;
            }
            let (name, _) = self.scopes[parent].modules.iter().find(|(_, c)| **c == m)?;
            if crate::names::raw_if_keyword(name) != *name {
                return None;
            }
            chain.push(name.clone());
            m = parent;
        }
        chain.reverse();
        Some(chain)
    }

    /// Whether module `m` can be named from scope `from` (rustc's privacy rules for modules).
    fn accessible(&self, m: ScopeId, from: ScopeId) -> bool {
        let parent = self.scopes[m].parent.map(|p| self.scopes[p].module);
        let Some(parent) = parent else { return true };
        let within = match self.scopes[m].vis {
            Vis::Crate => return true,
            Vis::Private => parent,
            Vis::Super => match self.scopes[parent].parent {
                Some(pp) => self.scopes[pp].module,
                None => return false,
            },
        };
        let mut s = self.scopes[from].module;
        loop {
            if s == within {
                return true;
            }
            match self.scopes[s].parent {
                Some(p) => s = self.scopes[p].module,
                None => return false,
            }
        }
    }

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

    /// Whether this position is directly inside an `impl` or `trait` body.
    #[doc(hidden)]
    pub fn in_impl_body(&self, file: &Path, line: usize, column: usize) -> bool {
        self.impl_bodies
            .iter()
            .any(|(f, s, e)| f == file && (line, column) > *s && (line, column) < *e)
    }
}
