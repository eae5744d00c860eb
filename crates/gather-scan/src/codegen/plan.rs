//! What a registration's macro decided, from the scan, that it expands to (see
//! `registration.rs`, which emits it).

/// How a registration expands, as the scan decided it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// In an IDE: type-check the value, register nothing.
    Ide,
    /// A `const` named `name`, typed by the registry's item alias `alias`.
    Path { name: String, alias: String },
    /// A trait impl keyed by the id.
    Trait,
    /// Found where only rustc can tell whether it is compiled: the registry's probe keyed by
    /// the id.
    Probe,
    /// Not found by the scan (written by a macro, in a file the walk did not reach) or naming a
    /// registry the scan could not tell: the next overflow slot, which the registry probes.
    Overflow { crate_hash: u64 },
    /// Names a registry of another crate: an error that points to `register_many!`.
    Foreign { registry: String, krate: String },
    /// Names an item of this crate that is not a registry: an error.
    NotRegistry { name: String },
    /// A framework's registration that the registry at the crate root reaches by path: a
    /// `const` as in [`Plan::Path`], plus the registry's check (only the registry knows its
    /// framework's attributes and macros).
    HookPath {
        name: String,
        alias: String,
        crate_hash: u64,
    },
    /// A key for a registry that is not a map, or none for a map: this error.
    Refused(String),
    /// A trait impl plus the registry's `check`, which fails with a message if the registry did
    /// not count it: a framework's attribute (whose registry the scan cannot see, so only the
    /// registry can tell), or a `register_many!` the scan did not find.
    Checked { crate_hash: u64 },
}
