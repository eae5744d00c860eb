//! Records which rustc compiles gather, for the header of plugins (`export!`): a host refuses a
//! plugin built by another compiler, whose Rust layouts may differ. No dependencies, so gather
//! stays dependency-free.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
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
}
