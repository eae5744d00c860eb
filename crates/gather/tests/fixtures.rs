//! Builds and runs the fixture crates under `tests/fixtures/` with cargo: what users do.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Runs cargo in `dir` with a target directory shared by the fixtures (so their dependencies
/// are built once), unless `target` names another one.
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)], target: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", repo().join("target").join(target))
        .env_remove("GATHER_SEED")
        .env_remove("GATHER_DEBUG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("cargo runs")
}

fn stdout_of(out: &Output) -> String {
    assert!(
        out.status.success(),
        "cargo failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn expected(path: &str) -> String {
    std::fs::read_to_string(fixture(path)).unwrap()
}

#[test]
fn every_way_of_registering_in_a_binary() {
    let out = cargo(&fixture("core"), &["run", "-q"], &[], "fixtures");
    assert_eq!(stdout_of(&out), expected("core/expected/default.txt"));
}

#[test]
fn features_decide_membership() {
    let out = cargo(
        &fixture("core"),
        &["run", "-q", "--features", "extra"],
        &[],
        "fixtures",
    );
    assert_eq!(stdout_of(&out), expected("core/expected/extra.txt"));
}

#[test]
fn release_profile_holds_the_same_items() {
    let out = cargo(
        &fixture("core"),
        &["run", "-q", "--release"],
        &[],
        "fixtures",
    );
    assert_eq!(stdout_of(&out), expected("core/expected/default.txt"));
}

#[test]
fn unit_tests_and_integration_tests() {
    // The fixture's own #[test]s assert cfg(test) registrations and a registry in tests/it.rs.
    let out = cargo(&fixture("core"), &["test", "-q"], &[], "fixtures");
    let stdout = stdout_of(&out);
    assert_eq!(
        stdout.matches("test result: ok. 1 passed").count(),
        2,
        "{stdout}"
    );
}

#[test]
fn examples_and_benches() {
    let out = cargo(
        &fixture("core"),
        &["run", "-q", "--example", "ex"],
        &[],
        "fixtures",
    );
    assert_eq!(stdout_of(&out), "EX: [\"example-item\"]\n");
    let out = cargo(
        &fixture("core"),
        &["bench", "-q", "--bench", "b"],
        &[],
        "fixtures",
    );
    assert!(stdout_of(&out).contains("BENCHES: [\"bench-item\"]"));
}

#[test]
fn compile_errors_are_clear_and_at_the_right_place() {
    let dir = fixture("fail");
    let mut cases: Vec<_> = std::fs::read_dir(dir.join("expected"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 11);
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_stem().unwrap().to_str().unwrap().to_owned();
        let out = cargo(&dir, &["build", "-q", "--bin", &name], &[], "fixtures");
        let stderr = String::from_utf8_lossy(&out.stderr).replace('\r', "");
        if out.status.success() {
            failures.push(format!("{name}: compiled, but must not"));
            continue;
        }
        for line in std::fs::read_to_string(&case).unwrap().lines() {
            if !stderr.contains(line) {
                failures.push(format!("{name}: missing `{line}` in:\n{stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn gather_seed_shuffles_deterministically_and_rebuilds() {
    let dir = fixture("core");
    let run = |seed: Option<&str>| {
        let env: Vec<(&str, &str)> = seed.map(|s| ("GATHER_SEED", s)).into_iter().collect();
        stdout_of(&cargo(&dir, &["run", "-q"], &env, "fixtures-seed"))
    };
    let plain = run(None);
    let one = run(Some("1"));
    let one_again = run(Some("1"));
    let two = run(Some("2"));
    let back = run(None);
    assert_eq!(one, one_again, "a seed gives one order");
    assert_ne!(plain, one, "seed 1 reorders");
    assert_ne!(one, two, "another seed, another order");
    assert_eq!(plain, back, "unsetting the seed rebuilds in source order");
    let sorted = |s: &str| {
        let mut v: Vec<String> = s
            .lines()
            .flat_map(|l| {
                l.split(": ")
                    .nth(1)
                    .unwrap_or("")
                    .split(", ")
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&plain), sorted(&one), "same items, other order");
}

#[test]
fn a_framework_built_on_gather() {
    // examples/tiny-test: `main!()` declares the registry, `#[tiny_test::test]` registers.
    let dir = fixture("tiny-user");
    let out = cargo(
        &dir,
        &["test", "-q", "--test", "suite"],
        &[("RUST_BACKTRACE", "0")],
        "fixtures",
    );
    assert_eq!(out.status.code(), Some(101), "one test fails on purpose");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "running 4 tests\n\
         test suite::parsing::in_another_file ... ok\n\
         test suite::at_the_root ... ok\n\
         test suite::inline::imported_attribute ... ok\n\
         test suite::inline::fails ... FAILED\n\
         3 passed; 1 failed\n"
    );
    let out = cargo(&dir, &["build", "-q", "--test", "no_main"], &[], "fixtures");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("error: `#[tiny_test::test]` needs `tiny_test::main!();` at the crate root of this test target\n --> tests/no_main.rs:2:4"),
        "{stderr}"
    );
}

/// Writes a small crate whose registrations the test then edits between builds.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = repo().join("target/scratch").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let gather = repo().join("crates/gather");
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\ngather = {{ path = {gather:?} }}\n\n[workspace]\n"
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        Scratch { dir }
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.dir.join(file), text).unwrap();
    }
}

#[test]
fn incremental_rebuilds_follow_every_edit() {
    let s = Scratch::new("edits");
    s.write(
        "src/main.rs",
        "#[gather::registry]\npub static R: gather::Registry<&str>;\nmod a;\nmod b;\n\
         fn main() { println!(\"{:?}\", R); }\n\
         #[cfg(test)]\nmod tests {\n    #[test]\n    fn show() { println!(\"R={:?}\", super::R); }\n}\n",
    );
    s.write("src/a.rs", "gather::register!(crate::R, \"a1\");\n");
    s.write("src/b.rs", "\n");
    // (dev, release) via `cargo run`, test via the unit test's output.
    let observe = |expect: &str| {
        for args in [&["run", "-q"][..], &["run", "-q", "--release"][..]] {
            let out = stdout_of(&cargo(&s.dir, args, &[], "fixtures-inc"));
            assert_eq!(out.trim(), expect, "cargo {args:?}");
        }
        let out = stdout_of(&cargo(
            &s.dir,
            &["test", "-q", "--", "--nocapture"],
            &[],
            "fixtures-inc",
        ));
        assert!(out.contains(&format!("R={expect}")), "cargo test: {out}");
    };
    observe(r#"["a1"]"#);
    s.write("src/b.rs", "gather::register!(crate::R, \"b1\");\n");
    observe(r#"["a1", "b1"]"#);
    s.write("src/a.rs", "\n");
    observe(r#"["b1"]"#);
    // Move b1 into a.rs (now before b.rs in source order) and add one after it.
    s.write("src/b.rs", "gather::register!(crate::R, \"b2\");\n");
    s.write(
        "src/a.rs",
        "// moved here\ngather::register!(crate::R, \"b1\");\n",
    );
    observe(r#"["b1", "b2"]"#);
    // A new module file appears.
    s.write("src/b.rs", "gather::register!(crate::R, \"b2\");\nmod c;\n");
    std::fs::create_dir_all(s.dir.join("src/b")).unwrap();
    s.write(
        "src/b/c.rs",
        "fn f() { gather::register!(crate::R, \"c-in-fn\"); }\n",
    );
    observe(r#"["b1", "b2", "c-in-fn"]"#);
}

#[test]
fn crate_root_that_cannot_be_found_is_a_clear_error() {
    // rustc reading the crate from standard input, outside Cargo: no root file to scan.
    let deps = repo().join("target/fixtures/debug/deps");
    let _ = stdout_of(&cargo(
        &fixture("core"),
        &["build", "-q", "--lib"],
        &[],
        "fixtures",
    ));
    let find = |prefix: &str, ext: &str| {
        std::fs::read_dir(&deps)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_str().unwrap();
                n.starts_with(prefix) && n.ends_with(ext)
            })
            .max_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap())
            .unwrap()
    };
    let rlib = find("libgather-", ".rlib");
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
        .arg(&deps)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_CRATE_NAME")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
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

#[test]
fn doctests_merged_work_standalone_ones_fail_loudly() {
    let out = cargo(
        &fixture("doc"),
        &["test", "--doc"],
        &[("RUST_BACKTRACE", "0")],
        "fixtures",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    // Merged doctests (rustc reads rustdoc's bundle file): registries work.
    assert!(
        stdout.contains("test src/lib.rs - (line 5) ... ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("test src/lib.rs - (line 34) ... ok"),
        "{stdout}"
    );
    // A doctest compiled alone comes from standard input: a clear error, never an empty registry.
    assert!(
        stdout.contains("test src/lib.rs - (line 20) ... FAILED"),
        "{stdout}"
    );
    assert!(
        stdout.contains("gather cannot find the crate root file of this compilation, so registry `STANDALONE` cannot be collected."),
        "{stdout}"
    );
}

#[test]
fn rust_analyzer_reports_no_false_errors() {
    // `rust-analyzer diagnostics` exits non-zero on any error-level diagnostic. CI installs the
    // component; elsewhere the test says it was not run.
    let Ok(version) = Command::new("rust-analyzer").arg("--version").output() else {
        eprintln!("rust-analyzer is not installed: not checked");
        return;
    };
    if !version.status.success() {
        eprintln!("rust-analyzer is not installed: not checked");
        return;
    }
    for dir in [
        fixture("core"),
        fixture("tiny-user"),
        repo().join("examples/tour"),
    ] {
        let out = Command::new("rust-analyzer")
            .arg("diagnostics")
            .arg(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).replace('\r', "\n");
        let diagnostics: Vec<&str> = stdout
            .lines()
            .filter(|l| {
                !l.contains("processing")
                    && !l.trim().is_empty()
                    && !l.contains("diagnostic scan complete")
            })
            .collect();
        assert!(
            out.status.success() && diagnostics.is_empty(),
            "{}: {diagnostics:#?}",
            dir.display()
        );
    }
}

#[test]
fn byte_order_mark_does_not_shift_positions() {
    // rustc drops a BOM before counting columns; a registration right after it must match.
    let out = cargo(&fixture("bom"), &["run", "-q"], &[], "fixtures");
    assert_eq!(stdout_of(&out), "[\"after-bom\"]\n");
}

#[test]
fn gather_test_runs_under_cargo_test_and_nextest() {
    let dir = fixture("gt-user");
    let env = [("RUST_BACKTRACE", "0")];
    // Unit tests of the library ([lib] harness = false) and an integration suite.
    let out = cargo(&dir, &["test", "-q"], &env, "fixtures");
    let stdout = stdout_of(&out);
    assert!(stdout.contains("test tests::unit_add ... ok"), "{stdout}");
    assert!(
        stdout.contains("test ignored_with_reason ... ignored, needs a network"),
        "{stdout}"
    );
    assert!(
        stdout.contains("test panics_with_message - should panic ... ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("test parsing::in_another_file ... ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "test result: ok. 5 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out;"
        ),
        "{stdout}"
    );
    // Failures: shown as libtest shows them, exit code 101.
    let out = cargo(
        &dir,
        &["test", "-q", "--test", "suite", "--features", "failing"],
        &env,
        "fixtures",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(101), "{stdout}");
    assert!(
        stdout.contains("---- failing::returns_err stdout ----\nError: \"went wrong\""),
        "{stdout}"
    );
    assert!(
        stdout.contains(" expected substring: \"other\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("test result: FAILED. 5 passed; 3 failed; 2 ignored;"),
        "{stdout}"
    );
    // The invocations IDEs and nextest use.
    let out = cargo(
        &dir,
        &[
            "test",
            "-q",
            "--test",
            "suite",
            "--",
            "--exact",
            "passes",
            "--nocapture",
        ],
        &env,
        "fixtures",
    );
    assert!(stdout_of(&out).contains("1 passed; 0 failed; 0 ignored; 0 measured; 6 filtered out"));
    let out = cargo(
        &dir,
        &[
            "test",
            "-q",
            "--test",
            "suite",
            "--",
            "--exact",
            "no_such_test",
        ],
        &[("RUST_BACKTRACE", "0"), ("NEXTEST", "1")],
        "fixtures",
    );
    assert_eq!(
        out.status.code(),
        Some(101),
        "under nextest, an --exact that matches nothing is not a pass"
    );
    let out = cargo(
        &dir,
        &[
            "test",
            "-q",
            "--test",
            "suite",
            "--",
            "--list",
            "--format",
            "terse",
            "--ignored",
        ],
        &env,
        "fixtures",
    );
    assert_eq!(
        stdout_of(&out),
        "ignored: test\nignored_with_reason: test\n"
    );
    let nextest = Command::new(env!("CARGO"))
        .args(["nextest", "--version"])
        .output();
    if nextest.is_ok_and(|o| o.status.success()) {
        let out = cargo(&dir, &["nextest", "run"], &env, "fixtures");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("6 tests run: 6 passed, 2 skipped"),
            "{stderr}"
        );
    } else {
        eprintln!("cargo-nextest is not installed: nextest not checked");
    }
}
