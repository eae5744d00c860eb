//! The data the scan produces and the plan reads: a crate's scopes and registrations, and the
//! answers computed from them. A leaf module: it acts on nothing.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use crate::cfg::Cfg;

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
    /// The bodies of `impl` and `trait` blocks: file and (line, column) of the braces.
    pub(crate) impl_bodies: Vec<Extent>,
    /// The module files read, canonical, in the order they were read.
    pub files: Vec<PathBuf>,
    /// Files that could not be read or parsed; rustc reports those itself.
    pub unreadable: Vec<PathBuf>,
    /// Uses of other crates' macros that write libtest's `#[test]` themselves (see
    /// [`TestWriter`]).
    pub test_writers: Vec<TestWriter>,
    /// Names of the crate's own `macro_rules!` macros.
    pub(crate) local_macros: std::collections::HashSet<String>,
    pub(crate) by_id: OnceLock<HashMap<u64, usize>>,
    /// Memoized answers for registrations, which mostly share their scope and path: one crate
    /// may have tens of thousands, and each one's macro asks (see `reach.rs`).
    pub(crate) memo: Mutex<Memo>,
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
    /// Those of them declared as `Map<K, V>`.
    pub maps: Vec<String>,
    /// Where the scope's text is: file and the span of lines/columns (for a module file, all).
    pub(crate) extent: Option<Extent>,
    /// Declared inside a macro invocation whose expansion the scan cannot know: it may not exist.
    pub through_macro: bool,
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
    /// `register_index!(PATH, expr)`: a registration that is also an expression, its index.
    Index,
    /// An invocation of a function-like macro whose meaning a framework may define, e.g.
    /// `my_log::info!(..)`; the path is that of the macro. Recorded at its first input token.
    Macro,
}

impl RegistrationKind {
    /// Whether the path is a framework's hook (an attribute or a macro) rather than the path of
    /// a registry.
    pub fn is_hook(&self) -> bool {
        matches!(self, RegistrationKind::Attribute | RegistrationKind::Macro)
    }
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
    pub cfg: Vec<Cfg>,
    /// Whether it is inside a body (a function, a block, an initializer) rather than directly
    /// in a module, where an item it generates could be named by a path.
    pub in_body: bool,
    /// Found where the scan cannot tell whether rustc compiles it, or under which cfgs: in a
    /// module that a crate's own macro declares, or in a file that two exclusive `mod`
    /// declarations read. rustc alone decides its membership (see gather-scan's `codegen`).
    pub through_macro: bool,
    /// For `register_many!`: its source (the second argument) as written.
    pub imported: Option<String>,
    /// For a map's `register!(MAP, KEY => VALUE)` and `#[register_item(MAP, key = KEY)]`: the
    /// key's tokens as written, which the map sorts by when they are literals.
    pub key: Option<Vec<String>>,
    /// An attribute written below another attribute that may be a macro (`#[rstest]`,
    /// `#[rustversion::nightly]`): that macro gets the item first and may remove it or copy it,
    /// so the scan cannot place it; each copy that rustc compiles takes an overflow slot.
    pub after_attribute: bool,
}

/// A use of a macro of another crate that writes libtest's `#[test]` on the functions it makes
/// (rstest's `#[rstest]`, test-case's `#[test_case]`, quickcheck's `quickcheck!` and
/// `#[quickcheck]`): under `harness = false` rustc leaves those functions out, so a framework
/// checks how each one is written (see `framework::builtin_tests`).
#[derive(Clone, Debug)]
pub struct TestWriter {
    /// The macro's path as written.
    pub path: Vec<String>,
    /// An attribute on an item (rather than a function-like macro).
    pub attribute: bool,
    /// For an attribute: the paths of the other attributes of the same item, in order.
    pub beside: Vec<Vec<String>>,
    /// The scope it is used in.
    pub scope: ScopeId,
    /// Canonical file, 1-based line, 0-based column, for messages.
    pub file: PathBuf,
    /// Line of the use.
    pub line: usize,
    /// Column of the use.
    pub column: usize,
    /// `#[cfg]` predicates that all must hold for rustc to compile it.
    pub cfg: Vec<Cfg>,
}

/// A literal registry declaration: the scope it is declared in and its name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RegistryId {
    /// The declaring scope.
    pub scope: ScopeId,
    /// The registry's name.
    pub name: String,
}

/// How a registry refers to a registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// The registration is a `const` named [`const_name`](crate::const_name) in a module the registry can name:
    /// this path (from the crate root) to that module. Cheapest for rustc.
    Path(Vec<String>),
    /// The registration is a trait impl keyed by its id; used where no path reaches it
    /// (function bodies, modules private to where the registry is).
    Trait,
}

/// What a path resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// An item (not a module) named `name`, declared in (or assumed to be in) scope `scope`.
    Item {
        /// The declaring scope.
        scope: ScopeId,
        /// The item's name.
        name: String,
    },
    /// A module of this crate.
    Module(ScopeId),
    /// Something outside this crate: the full path, starting with the crate's name.
    External(Vec<String>),
    /// The scan cannot tell.
    Unknown,
}

/// Answers computed once per crate: resolutions by scope and path, forms by the registration's
/// scope and the registry's scope.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    pub(crate) resolutions: HashMap<ScopeId, Vec<(Vec<String>, Resolution)>>,
    pub(crate) forms: HashMap<(ScopeId, ScopeId), Form>,
    /// The modules each scope's glob imports reach (see `resolve.rs`).
    pub(crate) globs: HashMap<ScopeId, std::sync::Arc<Vec<ScopeId>>>,
    /// Each registry's item alias (see `Crate::item_alias`).
    pub(crate) aliases: HashMap<RegistryId, String>,
    /// Whether the crate root invokes a macro (see `Crate::root_invokes`).
    pub(crate) invokes: HashMap<Vec<String>, bool>,
}
