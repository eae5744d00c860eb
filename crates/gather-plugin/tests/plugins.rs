//! A host and its plugins, built with cargo and run (fixture `tests/fixtures/plugins`): items of
//! two cdylib plugins (one `no_std`) loaded, merged with the host's own registry and called; a
//! plugin whose registry has another item type, a missing registry name, a missing library, a
//! library that is not a plugin and a file that is not a library refused, each message checked
//! against `expected/host.txt`. scripts/cross-matrix.sh runs the same host on other targets.

use gather::__private::plugin::{GATHER, RUSTC, fingerprint};
use gather_test_support::{assert_eq_file, cargo, fixture, shared_target_dir, success_stdout};

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
