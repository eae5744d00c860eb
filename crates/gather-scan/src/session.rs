//! State kept for the rest of one compilation: rustc runs every proc macro of a crate in one
//! process, so a crate's scan is read once however many registries and registrations ask.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::env::{Mode, default_mode};
use crate::model::Crate;
use crate::walk::scan_crate;

/// The scan of the crate being compiled (with the default crate root), once per compilation.
pub(crate) fn default_crate() -> Option<&'static Arc<Crate>> {
    static CRATE: OnceLock<Option<Arc<Crate>>> = OnceLock::new();
    CRATE
        .get_or_init(|| match default_mode() {
            Mode::Compiler { root, .. } => Some(scan(root)),
            _ => None,
        })
        .as_ref()
}

/// The crate hash of this compilation, 0 in an IDE.
pub(crate) fn default_crate_hash() -> u64 {
    match default_mode() {
        Mode::Compiler { crate_hash, .. } | Mode::CompilerWithoutRoot { crate_hash } => *crate_hash,
        Mode::Ide => 0,
    }
}

/// Scans the crate whose root file is `root` (canonical). The result is cached for the rest of
/// this compilation, so a crate with many registries is read once.
///
/// ```
/// let dir = std::env::temp_dir().join("gather-scan-doc");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("lib.rs"), "mod a;\n#[cfg(unix)]\nmy_framework::main!();\n").unwrap();
/// std::fs::write(dir.join("a.rs"), "gather::register!(crate::R, 1);\n").unwrap();
/// let krate = gather_scan::scan(&gather_scan::canonical(&dir.join("lib.rs")));
/// let r = &krate.registrations[0];
/// assert_eq!((r.line, r.column, &r.path[..]), (1, 18, &["crate".to_string(), "R".into()][..]));
/// assert!(krate.root_invokes(&["my_framework", "main"]));
/// ```
pub fn scan(root: &Path) -> Arc<Crate> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Crate>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(c) = cache.lock().unwrap().get(root) {
        return c.clone();
    }
    let scanned = Arc::new(scan_crate(root));
    cache
        .lock()
        .unwrap()
        .insert(root.to_path_buf(), scanned.clone());
    scanned
}

/// The next overflow slot of this compilation. rustc expands all macros of a crate in one
/// process, one after another, so slots are numbered in expansion order and never handed out
/// twice by this copy of gather-scan. (Each proc-macro crate links its own copy: registrations
/// of one registry made by two different macro crates could meet on one slot, which rustc
/// reports as a duplicate definition: loud, never a silent loss.)
pub(crate) fn next_overflow_slot() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
