//! Test support: small crates written to a fresh directory and scanned, with the results in a
//! form a table of cases can state.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::{Crate, RegistrationKind};

/// A directory of the tests' own, removed when dropped (the unit tests write dozens per run).
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// A fresh, empty directory whose name starts with `prefix`.
    pub(crate) fn new(prefix: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "{prefix}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh directory holding `files` (`(path, text)`, the first one the crate root).
pub(crate) fn write_crate(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new("gather-scan-unit");
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Scans a crate written with [`write_crate`].
pub(crate) fn scan_files(files: &[(&str, &str)]) -> (Crate, TempDir) {
    let dir = write_crate(files);
    let root = dir.join(files[0].0);
    (crate::walk::scan_crate(&root), dir)
}

/// A registration as a table states it: `"kind path @ file:line:col [cfg] flags"`, where kind
/// is `one`, `many`, `item` or `attr`, the path is joined with `::`, the file is relative to the
/// crate's directory, the cfg is `all(..)` of the predicates (omitted when there are none), and
/// flags are `body` (in a body), `macro` (only rustc can place it) and `after-attr` (below an
/// attribute macro).
pub(crate) fn describe(krate: &Crate, dir: &Path) -> Vec<String> {
    let dir = crate::env::canonical(dir);
    krate
        .registrations
        .iter()
        .map(|r| {
            let kind = match r.kind {
                RegistrationKind::One => "one",
                RegistrationKind::Many => "many",
                RegistrationKind::Item => "item",
                RegistrationKind::Attribute => "attr",
                RegistrationKind::Index => "index",
                RegistrationKind::Macro => "call",
            };
            let file = r.file.strip_prefix(&dir).unwrap_or(&r.file).display();
            let mut s = format!(
                "{kind} {} @ {file}:{}:{}",
                r.path.join("::"),
                r.line,
                r.column
            );
            if let Some(cfg) = crate::cfg::all_of(&r.cfg) {
                s.push_str(&format!(" [{cfg}]"));
            }
            if r.in_body {
                s.push_str(" body");
            }
            if r.through_macro {
                s.push_str(" macro");
            }
            if r.after_attribute {
                s.push_str(" after-attr");
            }
            if let Some(key) = &r.key {
                s.push_str(&format!(" key `{}`", key.join(" ")));
            }
            s
        })
        .collect()
}
