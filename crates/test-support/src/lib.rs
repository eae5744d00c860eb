//! What the integration tests of every crate in this workspace share: where the repository and
//! its fixture crates are, cargo run on a fixture the same way by every test, and checks against
//! expected files.
//!
//! # One target directory for all fixture builds
//!
//! [`cargo`] builds in [`shared_target_dir`] (`target/fixtures`), whatever the fixture and
//! whichever crate's test runs it, so that syn, the proc macros and gather are compiled once for
//! all of them rather than once per test file. Tests may run cargo from parallel threads or
//! processes: cargo serializes builds on the directory's lock, and artifacts of different
//! packages, features and profiles have different file names under `deps/`, so a build does not
//! rewrite a file another test is running. (`cargo run` starts the copy at `<profile>/<bin>`,
//! which a build of the same binary with other features replaces; that can only matter in the
//! instant between cargo releasing its lock and starting the binary.) A build that would rewrite
//! a shared artifact in place needs a target directory of its own, set with
//! `.env("CARGO_TARGET_DIR", own_target_dir("name"))`: one whose environment changes what a crate
//! compiles to (`GATHER_SEED`), or one with another compiler.
//!
//! Every fixture build gets the same environment ([`clean_env`]), so that variables of the
//! outer run (`GATHER_SEED`, `NEXTEST`, `RUST_BACKTRACE`, ...) neither change what a fixture
//! prints nor force rebuilds in the shared directory.
//!
//! # Expected files and `BLESS=1`
//!
//! [`assert_eq_file`] compares output with a file; [`assert_compile_errors`] builds every case
//! of a compile-fail fixture and checks that each line of its expected file appears in the
//! compiler's stderr. A case without an expected file, or an expected file without a case, is a
//! failure that names it.
//!
//! Run a test with `BLESS=1` in the environment to write the expected files from what the test
//! got instead of comparing, then review the diff:
//!
//! ```sh
//! BLESS=1 cargo test -p gather --test compile_errors
//! ```
//!
//! An exact expectation is rewritten whole. A compile-error expectation whose lines all still
//! appear is left as it is (it holds hand-picked lines); otherwise it is rewritten with each
//! `error` line of the stderr and the ` --> file:line:column` line that follows it, plus the
//! lines of the old file that still appear. Add lines by hand as needed, for example a label
//! under the code: each must appear in the stderr.

mod cross;
mod expect;
mod scratch;

pub use cross::{cross_toolchain, rustweb, rustweb_cargo};
pub use expect::{assert_compile_errors, assert_eq_file};
pub use scratch::Scratch;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The root of the repository (the workspace's directory).
pub fn repo() -> &'static Path {
    static REPO: OnceLock<PathBuf> = OnceLock::new();
    REPO.get_or_init(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .canonicalize()
            .expect("the repository exists")
    })
}

/// `tests/fixtures/<name>`: a fixture crate shared by the tests of several crates.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// The target directory every fixture build shares unless it needs its own.
pub fn shared_target_dir() -> PathBuf {
    repo().join("target/fixtures")
}

/// `target/<name>`: a target directory for builds that cannot share [`shared_target_dir`].
pub fn own_target_dir(name: &str) -> PathBuf {
    repo().join("target").join(name)
}

/// `cargo` in `dir`, building in [`shared_target_dir`], with [`clean_env`]. Add the arguments
/// and anything else with [`Command`]'s methods.
pub fn cargo(dir: impl AsRef<Path>) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(dir);
    clean_env(&mut cmd);
    cmd.env("CARGO_TARGET_DIR", shared_target_dir());
    cmd
}

/// `cargo ARGS` in the fixture `name` (see [`cargo`]), with `env` added, run to its end.
pub fn cargo_fixture(name: &str, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = cargo(fixture(name));
    cmd.args(args).envs(env.iter().copied());
    cmd.output().expect("cargo runs")
}

/// Removes what the environment of the outer test run would change in a fixture's build or
/// output: gather's own variables, the fixtures' knobs, libtest's and nextest's variables,
/// `RUSTC_BOOTSTRAP`; and sets `RUST_BACKTRACE=0` so panics print the same everywhere.
pub fn clean_env(cmd: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("NEXTEST") || key.starts_with("RUST_TEST_") {
            cmd.env_remove(&*key);
        }
    }
    for key in [
        "GATHER_SEED",
        "GATHER_DEBUG",
        "GATHER_BENCH_DIR",
        "GB_USER_COST",
        "RUSTC_BOOTSTRAP",
    ] {
        cmd.env_remove(key);
    }
    cmd.env("RUST_BACKTRACE", "0")
}

/// Whether `cargo nextest` can run; if not, says that the nextest checks are skipped.
pub fn nextest_installed() -> bool {
    let version = Command::new(env!("CARGO"))
        .args(["nextest", "--version"])
        .output();
    let installed = version.is_ok_and(|out| out.status.success());
    if !installed {
        eprintln!("cargo-nextest is not installed: nextest not checked");
    }
    installed
}

/// The stdout of a command that must have succeeded; otherwise panics with both streams.
#[track_caller]
pub fn success_stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "command failed ({}):\n{}\nstdout:\n{}",
        out.status,
        stderr(out),
        stdout(out)
    );
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// stdout as text (invalid UTF-8 replaced).
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr as text (invalid UTF-8 replaced).
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The files cargo reported for the target named `target` in the `compiler-artifact` messages
/// of `--message-format=json` output: the executable of a test target, a library's `.rlib`...
/// Panics, showing the output, if there is no such target.
#[track_caller]
pub fn artifact_files(json: &str, target: &str) -> Vec<PathBuf> {
    let files = json
        .lines()
        .filter(|line| line.contains(r#""reason":"compiler-artifact""#))
        .find(|line| {
            line.split_once(r#""target":{"#)
                .and_then(|(_, rest)| json_string(rest, "name"))
                .is_some_and(|name| name == target)
        })
        .map(|line| {
            let mut files: Vec<PathBuf> = json_strings(line, "filenames")
                .into_iter()
                .map(PathBuf::from)
                .collect();
            // A test or bench target's file is its `executable`.
            if let Some(exe) = json_string(line, "executable") {
                files.push(PathBuf::from(exe));
            }
            files
        });
    files.unwrap_or_else(|| panic!("no artifact for target `{target}` in cargo's output:\n{json}"))
}

/// The executable cargo built for the test or bench target named `target`.
#[track_caller]
pub fn executable(json: &str, target: &str) -> PathBuf {
    let files = artifact_files(json, target);
    let exe = files
        .iter()
        .find(|f| f.extension().is_none() || f.extension().is_some_and(|e| e == "exe"));
    exe.cloned()
        .unwrap_or_else(|| panic!("target `{target}` has no executable: {files:?}"))
}

/// The string value of the first `"key":"..."` in `json` (cargo's compact JSON).
fn json_string(json: &str, key: &str) -> Option<String> {
    let (_, rest) = json.split_once(&format!(r#""{key}":""#))?;
    Some(unescape(string_body(rest)))
}

/// The strings of the first `"key":["...", ...]` in `json`.
fn json_strings(json: &str, key: &str) -> Vec<String> {
    let Some((_, mut rest)) = json.split_once(&format!(r#""{key}":["#)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    while let Some(body) = rest.strip_prefix('"') {
        let value = string_body(body);
        found.push(unescape(value));
        rest = body[value.len() + 1..].trim_start_matches(',');
    }
    found
}

/// The characters of a JSON string up to its closing quote, escapes left in.
fn string_body(s: &str) -> &str {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return &s[..i],
            _ => escaped = false,
        }
    }
    s
}

fn unescape(s: &str) -> String {
    s.replace("\\\"", "\"").replace("\\\\", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = concat!(
        r#"{"reason":"compiler-artifact","package_id":"x","target":{"kind":["lib"],"name":"gather","src_path":"/r/src/lib.rs"},"filenames":["/t/libgather-1.rlib","/t/libgather-1.rmeta"],"executable":null,"fresh":true}"#,
        "\n",
        r#"{"reason":"compiler-artifact","package_id":"y","target":{"kind":["test"],"name":"custom","src_path":"/r/tests/custom.rs"},"filenames":["/t/custom-2"],"executable":"/t/custom-2","fresh":false}"#,
        "\n",
        r#"{"reason":"build-finished","success":true}"#,
    );

    #[test]
    fn finds_artifacts_by_target_name() {
        assert_eq!(
            artifact_files(JSON, "gather"),
            [
                PathBuf::from("/t/libgather-1.rlib"),
                PathBuf::from("/t/libgather-1.rmeta")
            ]
        );
        assert_eq!(executable(JSON, "custom"), PathBuf::from("/t/custom-2"));
    }

    #[test]
    #[should_panic(expected = "no artifact for target `twin`")]
    fn a_missing_target_is_an_error() {
        artifact_files(JSON, "twin");
    }

    #[test]
    fn strings_with_escapes() {
        assert_eq!(
            json_strings(r#""filenames":["a\"b","c\\d"]"#, "filenames"),
            ["a\"b", "c\\d"]
        );
    }
}
