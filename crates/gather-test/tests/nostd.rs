//! Builds the `no_std` fixture `tests/fixtures/gt-nostd` and runs its tests where libtest cannot:
//! on thumbv7m-none-eabi under QEMU (semihosting) and on wasm32-wasip1 under node, with the
//! command a user types, `cargo test --target T`. The same suite also runs on the host.
//!
//! The cross targets need the toolchain of `scripts/setup-cross.sh` (Debian rustc-web and
//! `-Zbuild-std`, in /opt/rustweb or `$RUSTWEB_PREFIX`, as for the script). Without it these tests
//! print why and pass, unless `CI=true`, where CI has run the setup script and a missing toolchain
//! is an error.

use std::path::PathBuf;
use std::process::Output;

use gather_test_support::{cargo, cross_toolchain, own_target_dir, rustweb, rustweb_cargo};

fn fixture() -> PathBuf {
    gather_test_support::fixture("gt-nostd")
}

/// `cargo ARGS` in the fixture with /opt/rustweb/env.sh sourced (rustc-web, `-Zbuild-std`), in a
/// target directory of its own: nothing there is shared with the host compiler's builds, and the
/// std it builds per target is kept.
fn cross_cargo(args: &[&str]) -> Output {
    rustweb_cargo(fixture())
        .args(args)
        .env("CARGO_TARGET_DIR", own_target_dir("gt-nostd"))
        // A hung guest ends the run (exit 124) instead of blocking the suite.
        .env("QEMU_TIMEOUT", "300")
        .output()
        .expect("bash runs")
}

fn thumb(args: &[&str]) -> Output {
    let mut all = vec![
        "test",
        "-q",
        "-Zbuild-std=core,alloc",
        "--target",
        "thumbv7m-none-eabi",
    ];
    all.extend_from_slice(args);
    cross_cargo(&all)
}

fn wasi(args: &[&str]) -> Output {
    let config = rustweb().join("cross.toml");
    let mut all = vec![
        "--config",
        config.to_str().unwrap(),
        "test",
        "-q",
        "-Zbuild-std=std,panic_abort",
        "--target",
        "wasm32-wasip1",
    ];
    all.extend_from_slice(args);
    cross_cargo(&all)
}

/// stdout, with the run time (`finished in 0.03s`) replaced by `finished in T`.
fn stdout(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout);
    let mut result = String::new();
    let mut rest: &str = &text;
    while let Some(at) = rest.find("finished in ") {
        let (head, tail) = rest.split_at(at + "finished in ".len());
        result.push_str(head);
        result.push('T');
        rest = tail.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == 's');
    }
    result.push_str(rest);
    result
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const THUMB_SUITE: &str = "
running 11 tests
test adds ... ok
test after::runs_after_panics ... ok
test does_not_panic - should panic ... FAILED
test fails_assertion ... FAILED
test ignored ... ignored
test ignored_with_reason ... ignored, needs hardware
test panics_as_expected - should panic ... ok
test panics_with_message - should panic ... ok
test panics_with_other_message - should panic ... FAILED
test returns_err ... FAILED
test returns_ok ... ok

failures:

---- does_not_panic stdout ----
note: test did not panic as expected at tests/suite/main.rs:41:4
---- fails_assertion stdout ----

thread 'fails_assertion' panicked at tests/suite/main.rs:18:5:
assertion `left == right` failed: arithmetic
  left: 4
 right: 5

---- panics_with_other_message stdout ----

thread 'panics_with_other_message' panicked at src/lib.rs:18:17:
overflow adding 4294967295 and 3
note: panic did not contain expected string
      panic message: \"overflow adding 4294967295 and 3\"
 expected substring: \"underflow\"
---- returns_err stdout ----
Error: \"went wrong\"


failures:
    does_not_panic
    fails_assertion
    panics_with_other_message
    returns_err

test result: FAILED. 5 passed; 4 failed; 2 ignored; 0 measured; 0 filtered out; finished in T

";

#[test]
fn runs_on_cortex_m_under_qemu() {
    if !cross_toolchain("thumbv7m-none-eabi under QEMU") {
        return;
    }
    // Unit tests of the no_std library ([lib] harness = false), through the fixture's runner
    // (crates/gather-test/runner/qemu-arm.sh, named in its .cargo/config.toml).
    let out = thumb(&["--lib"]);
    assert_eq!(
        stdout(&out),
        "\nrunning 2 tests\ntest tests::unit_add ... ok\ntest tests::unit_overflow - should panic ... ok\n\n\
         test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in T\n\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));

    // The whole suite: failures do not stop the run (the tests after the panicking ones still
    // run), and the exit code says it failed.
    let out = thumb(&["--test", "suite"]);
    assert_eq!(stdout(&out), THUMB_SUITE, "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(101), "{}", stderr(&out));

    // Arguments reach the guest through semihosting: filters, --exact, --skip.
    let out = thumb(&["--test", "suite", "--", "adds", "returns_ok", "runs_after"]);
    assert!(
        stdout(&out).ends_with(
            "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 8 filtered out; finished in T\n\n"
        ),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));
    let out = thumb(&["--test", "suite", "--", "--exact", "fails_assertion"]);
    assert!(
        stdout(&out).contains("\ntest fails_assertion ... FAILED\n"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("1 failed; 0 ignored; 0 measured; 10 filtered out"));
    assert_eq!(out.status.code(), Some(101));
    let out = thumb(&[
        "--test", "suite", "--", "-q", "--skip", "panics", "--skip", "fails",
    ]);
    assert_eq!(
        stdout(&out),
        "\nrunning 6 tests\n. 1/6\ndoes_not_panic --- FAILED\nii 4/6\nreturns_err --- FAILED\n.\n\
         failures:\n\n---- does_not_panic stdout ----\nnote: test did not panic as expected at tests/suite/main.rs:41:4\n\
         ---- returns_err stdout ----\nError: \"went wrong\"\n\n\nfailures:\n    does_not_panic\n    returns_err\n\n\
         test result: FAILED. 2 passed; 2 failed; 2 ignored; 0 measured; 5 filtered out; finished in T\n\n",
    );

    // Listing, and running the ignored tests.
    let out = thumb(&[
        "--test",
        "suite",
        "--",
        "--list",
        "--format",
        "terse",
        "--ignored",
    ]);
    assert_eq!(
        stdout(&out),
        "ignored: test\nignored_with_reason: test\n",
        "{}",
        stderr(&out)
    );
    let out = thumb(&["--test", "suite", "--", "--ignored"]);
    assert!(
        stdout(&out).contains("test ignored ... ok\ntest ignored_with_reason ... FAILED\n"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("panicked at tests/suite/main.rs:60:5:\nran an ignored test\n"));

    // More failure output than the runner's fixed buffers hold (no allocator): messages are
    // cut, the cut is reported, and the summary and the list of failures stay whole.
    let out = thumb(&[
        "--test",
        "suite",
        "--features",
        "overflow",
        "--",
        "overflow::",
    ]);
    let text = stdout(&out);
    let first = "thread 'overflow::long_1' panicked at tests/suite/overflow.rs:18:5:\n";
    assert!(text.contains(first), "{text}");
    // A message is kept up to 512 bytes.
    let kept = &text[text.find(first).unwrap() + first.len()..];
    assert!(kept.starts_with(&"0123456789".repeat(51)), "{text}");
    assert!(kept[510..].starts_with("01\n"), "{text}");
    assert!(
        text.contains("\n(gather-test: 1457 more bytes of failure output did not fit in its buffer)\n\nfailures:\n"),
        "{text}"
    );
    let names: String = (1..=9)
        .map(|i| format!("    overflow::long_{i}\n"))
        .collect();
    assert!(
        text.contains(&format!("\nfailures:\n{names}\ntest result: FAILED. 0 passed; 9 failed; 0 ignored; 0 measured; 11 filtered out;")),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(101));

    // A flag it does not know is an error, as in libtest.
    let out = thumb(&["--test", "suite", "--", "--frobnicate"]);
    assert_eq!(out.status.code(), Some(101));
    assert!(
        stderr(&out).contains("error: Unrecognized option: 'frobnicate'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn runs_on_wasm32_wasip1_under_node() {
    if !cross_toolchain("wasm32-wasip1 under node") {
        return;
    }
    // wasm32-wasip1 has std (the hosted runner) but aborts on panic and has no threads:
    // `should_panic` tests are reported as ignored (as libtest does on wasm), and
    // --test-threads falls back to running tests one after the other.
    let out = wasi(&["--lib", "--", "--test-threads", "4"]);
    assert_eq!(
        stdout(&out),
        "\nrunning 2 tests\ntest tests::unit_add ... ok\ntest tests::unit_overflow ... ignored\n\n\
         test result: ok. 1 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in T\n\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));

    let out = wasi(&["--test", "suite", "--", "--skip", "fails"]);
    assert_eq!(
        stdout(&out),
        "\nrunning 10 tests\ntest adds ... ok\ntest after::runs_after_panics ... ok\ntest does_not_panic ... ignored\n\
         test ignored ... ignored\ntest ignored_with_reason ... ignored, needs hardware\n\
         test panics_as_expected ... ignored\ntest panics_with_message ... ignored\ntest panics_with_other_message ... ignored\n\
         test returns_err ... FAILED\ntest returns_ok ... ok\n\n\
         failures:\n\n---- returns_err stdout ----\nError: \"went wrong\"\n\n\nfailures:\n    returns_err\n\n\
         test result: FAILED. 3 passed; 1 failed; 6 ignored; 0 measured; 1 filtered out; finished in T\n\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(101));

    // A panic ends a `panic = "abort"` process: the runner reports the test, its message and
    // that the rest did not run, with libtest's exit code instead of a wasm trap.
    let out = wasi(&["--test", "suite"]);
    assert!(
        stdout(&out)
            .ends_with("test does_not_panic ... ignored\ntest fails_assertion ... FAILED\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains(
            "thread 'fails_assertion' panicked at tests/suite/main.rs:18:5:\nassertion `left == right` failed: arithmetic\n"
        ) && stderr(&out).contains(
            "error: test fails_assertion panicked, and this binary aborts on panic (panic = \"abort\"): the tests after it did not run"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(101));
}

#[test]
fn the_same_suite_runs_on_the_host() {
    // No cross toolchain needed: the hosted runner, with unwinding, judges the same tests the
    // same way as the bare-metal one.
    let out = cargo(fixture())
        .args(["test", "-q", "--test", "suite"])
        .output()
        .expect("cargo runs");
    let text = stdout(&out);
    assert!(
        text.contains(
            "test result: FAILED. 5 passed; 4 failed; 2 ignored; 0 measured; 0 filtered out; finished in T"
        ),
        "{text}{}",
        stderr(&out)
    );
    assert!(text.contains("test panics_with_message - should panic ... ok\n"));
    assert_eq!(out.status.code(), Some(101));
}
