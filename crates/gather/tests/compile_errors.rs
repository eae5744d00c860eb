//! Mistakes are compile errors that say what is wrong, at the right place: every case of the
//! fixture `tests/fixtures/fail`, and a crate rustc reads from standard input.

use std::io::Write;
use std::process::{Command, Stdio};

use gather_test_support::{
    artifact_files, assert_compile_errors, cargo, fixture, repo, success_stdout,
};

#[test]
fn compile_errors_are_clear_and_at_the_right_place() {
    // Each src/bin/<case>.rs with the lines of expected/<case>.txt.
    let dir = fixture("fail");
    assert_compile_errors(&dir, "src/bin", |case| {
        cargo(&dir)
            .args(["build", "-q", "--bin", case])
            .output()
            .unwrap()
    });
}

#[test]
fn crate_root_that_cannot_be_found_is_a_clear_error() {
    // rustc reading the crate from standard input, outside Cargo: no root file to scan.
    let json = success_stdout(
        &cargo(fixture("core"))
            .args(["build", "-q", "--lib", "--message-format=json"])
            .output()
            .unwrap(),
    );
    let rlib = artifact_files(&json, "gather")
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "rlib"))
        .expect("gather's rlib");
    let deps = rlib.parent().unwrap();
    let mut child = Command::new("rustc")
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "lib",
            "--crate-name",
            "stdin_crate",
            "-",
            "--emit",
            "metadata",
            "-o",
        ])
        .arg(repo().join("target/scratch-stdin.rmeta"))
        .arg("--extern")
        .arg(format!("gather={}", rlib.display()))
        .arg("-L")
        .arg(deps)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_CRATE_NAME")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"#[gather::registry]\npub static R: gather::Registry<u8>;\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("gather cannot find the crate root file of this compilation, so registry `R` cannot be collected. Name it explicitly: `#[registry(root = \"src/lib.rs\")]`"),
        "{stderr}"
    );
}
