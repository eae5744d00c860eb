//! Records which rustc compiles gather and a hash of gather's source, for the header of plugins
//! (`export!`): a host refuses a plugin built by another compiler, whose Rust layouts may
//! differ, or with another gather, whose `Registry` may differ even under the same version
//! number (a path or git dependency). No dependencies, so gather stays dependency-free.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    // The first line of `rustc -vV` names the release and the commit: "rustc 1.95.0 (59807616e
    // 2026-04-14)". A compiler that cannot say gets a marker that gather-plugin never accepts.
    let version = Command::new(&rustc)
        .arg("-vV")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.lines().next().map(str::trim).map(String::from))
        .filter(|line| line.starts_with("rustc "))
        .unwrap_or_else(|| "unknown rustc".into());
    println!("cargo:rustc-env=GATHER_RUSTC_VERSION={version}");
    println!("cargo:rustc-env=GATHER_SOURCE_HASH={:016x}", source_hash());
}

/// A hash of every file under `src`, by relative path and contents, line ends made `\n` (a
/// checkout on Windows is the same source). Host and plugin are built by one rustc, so std's
/// `DefaultHasher` is the same on both sides.
fn source_hash() -> u64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap_or(&file);
        relative
            .to_string_lossy()
            .replace('\\', "/")
            .hash(&mut hasher);
        let text = std::fs::read(&file).unwrap_or_default();
        let text: Vec<u8> = text.into_iter().filter(|&b| b != b'\r').collect();
        text.hash(&mut hasher);
    }
    hasher.finish()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
