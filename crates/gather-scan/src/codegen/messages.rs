//! What a registry says when it cannot be collected, and what `GATHER_DEBUG` reports.

use crate::model::{Crate, Form, Registration};

/// A file as messages show it: relative to the package, as rustc shows its own.
pub(crate) fn shown(path: &std::path::Path) -> String {
    let package = std::env::var_os("CARGO_MANIFEST_DIR").map(|d| crate::env::canonical(d.as_ref()));
    package
        .and_then(|p| path.strip_prefix(p).ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
}

/// No crate root to read. A doctest that rustdoc compiles on its own reaches rustc on standard
/// input (every doctest of an edition 2021 crate, and `compile_fail` or `standalone_crate` ones):
/// no `root = ..` can help there, so the advice differs.
pub(crate) fn no_crate_root(registry: &str) -> String {
    let start = format!(
        "gather cannot find the crate root file of this compilation, so registry `{registry}` cannot be collected."
    );
    if std::env::var_os("UNSTABLE_RUSTDOC_TEST_PATH").is_some() {
        format!(
            "{start} This doc example is compiled on its own, from standard input, where no module file can be read. \
             Write it as a doctest that rustdoc merges (in a crate of edition 2024, without `standalone_crate` or \
             `compile_fail`), or as a file under `examples/` or `tests/`"
        )
    } else {
        format!(
            "{start} Name it explicitly: `#[registry(root = \"src/lib.rs\")]` (relative to the package's Cargo.toml)"
        )
    }
}

/// A `register_index!` (or a framework macro asking its index) whose key the registry's table
/// does not hold: the scan and rustc disagreed about the registration.
pub(crate) fn index_not_found(registry: &str) -> String {
    format!(
        "registry `{registry}` does not know the index of this registration: the scan judged its `#[cfg]`s or its \
         registry path differently from rustc. `GATHER_DEBUG=1 cargo build` lists what the scan found. Please report \
         this case to gather"
    )
}

/// A `register_index!` into a map.
pub(crate) fn map_has_no_indices(map: &str) -> String {
    format!(
        "`{map}` is a map, whose entries have keys, not indices: write `register!({map}, KEY => VALUE)` and look \
         the key up; `register_index!` takes a `Registry<T>`"
    )
}

/// A registry declared in a function body (or any block).
pub(crate) fn not_module_level(registry: &str) -> String {
    format!(
        "registry `{registry}` is declared inside a function body or block: registries are module-level items. \
         Declare it at module level (`static {registry}: Registry<T>;` outside the function); registrations \
         can still be written inside functions"
    )
}

/// `GATHER_DEBUG`: what the scan found for this registry, on stderr. Always a summary line, so
/// that an empty registry says so.
pub(crate) fn debug_report(
    registry: &str,
    krate: Option<&Crate>,
    members: &[&(Registration, Form)],
    overflow: u64,
) {
    let files = krate.map_or(0, |k| k.files.len());
    let probed = members.iter().filter(|(r, _)| r.through_macro).count();
    eprintln!(
        "gather: registry `{registry}`: {} registration{} found in {files} module file{}, {probed} placed by rustc \
         (in modules that macros declare), {overflow} overflow slot{} for those the scan cannot see",
        members.len(),
        if members.len() == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
        if overflow == 1 { "" } else { "s" },
    );
    for (r, form) in members {
        let cfg: Vec<String> = r.cfg.iter().map(|c| c.to_string()).collect();
        eprintln!(
            "gather: registry `{registry}` <- {:?} ({form:?}) at {}:{}:{} id {} cfg {cfg:?}",
            r.kind,
            r.file.display(),
            r.line,
            r.column + 1,
            r.id,
        );
    }
}
