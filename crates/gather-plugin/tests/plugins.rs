//! A host and its plugins, built with cargo and run (fixture `tests/fixtures/plugins`): items of
//! two cdylib plugins (one `no_std`) loaded, merged with the host's own registry and called; a
//! plugin whose registry has another item type, a missing registry name, a missing library, a
//! library that is not a plugin and a file that is not a library refused, each message checked
//! against `expected/host.txt`; and a plugin built by another rustc (the cross toolchain's, see
//! scripts/CROSS.md) refused. scripts/cross-matrix.sh runs the same host on other targets.

use gather::__private::plugin::{GATHER, RUSTC, fingerprint};
use gather_test_support::{
    assert_eq_file, cargo, cross_toolchain, fixture, own_target_dir, rustweb, rustweb_cargo,
    shared_target_dir, success_stdout,
};

#[test]
fn a_host_loads_merges_and_checks_its_plugins() {
    let dir = fixture("plugins");
    success_stdout(&cargo(&dir).args(["build", "-q"]).output().unwrap());
    let exe = shared_target_dir().join("debug/plugin-host");
    let out = std::process::Command::new(&exe).output().unwrap();
    let stdout = success_stdout(&out);
    assert!(
        stdout.ends_with(" status=ok items=6/6 checks=12/12\n"),
        "{stdout}"
    );
    // What depends on the machine: where it was built, and by which rustc.
    let normalized = stdout
        .replace(&format!("{}/", shared_target_dir().display()), "<target>/")
        .replace(
            &format!("{RUSTC} (fingerprint {:016x})", fingerprint(RUSTC)),
            "<rustc>",
        )
        .replace(
            &format!("{GATHER} (fingerprint {:016x})", fingerprint(GATHER)),
            "<gather>",
        );
    assert_eq_file(&normalized, dir.join("expected/host.txt"));
}

/// The plugin built by another compiler, rustc-web of scripts/setup-cross.sh, for this host: the
/// host (built by this compiler) refuses it, naming both compilers.
#[test]
fn a_plugin_built_by_another_rustc_is_refused() {
    if !cross_toolchain("a plugin of another rustc") {
        return;
    }
    let dir = fixture("plugins");
    let target = own_target_dir("plugins-rustweb");
    let out = rustweb_cargo(&dir)
        .args(["build", "-q", "-p", "plugin-a"])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    success_stdout(&out);
    success_stdout(
        &cargo(&dir)
            .args(["build", "-q", "-p", "plugin-host"])
            .output()
            .unwrap(),
    );

    let plugin = target.join("debug/libplugin_a.so");
    let host = shared_target_dir().join("debug/plugin-host");
    let out = std::process::Command::new(host)
        .arg(&plugin)
        .output()
        .unwrap();
    let other = rustweb().join("usr/bin/rustc");
    let other = success_stdout(
        &std::process::Command::new(other)
            .arg("-vV")
            .output()
            .unwrap(),
    );
    let other = other.lines().next().unwrap().trim();
    assert_ne!(
        other, RUSTC,
        "rustc-web is the host's compiler: nothing to check"
    );
    assert_eq!(
        success_stdout(&out),
        format!(
            "plugin {} was built by {other} (fingerprint {:016x}), this host by {RUSTC} \
             (fingerprint {:016x}): Rust types may be laid out differently, so build the plugin \
             with the host's compiler\n",
            plugin.display(),
            fingerprint(other),
            fingerprint(RUSTC)
        )
    );
}
