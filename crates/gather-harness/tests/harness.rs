//! End-to-end tests: build the fixture crate in tests/fixtures/suite with cargo, then run its
//! binaries directly, through `cargo test` and through `cargo nextest`, and compare what
//! gather-harness prints with what libtest prints for the same tests (tests/twin.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use gather_test_support::{clean_env, executable, nextest_installed};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suite")
}

fn cargo() -> Command {
    let mut cmd = gather_test_support::cargo(fixture_dir());
    cmd.arg("--quiet");
    cmd
}

struct Bins {
    custom: PathBuf,
    twin: PathBuf,
    benchy: PathBuf,
    timing: PathBuf,
}

/// Builds the fixture's test binaries once.
fn bins() -> &'static Bins {
    static BINS: OnceLock<Bins> = OnceLock::new();
    BINS.get_or_init(|| {
        let out = cargo()
            .args(["test", "--no-run", "--message-format=json"])
            .output()
            .expect("run cargo");
        assert!(
            out.status.success(),
            "building the fixture failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json = String::from_utf8(out.stdout).unwrap();
        Bins {
            custom: executable(&json, "custom"),
            twin: executable(&json, "twin"),
            benchy: executable(&json, "benchy"),
            timing: executable(&json, "timing"),
        }
    })
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_bin(bin: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(bin);
    cmd.args(args).current_dir(fixture_dir());
    clean_env(&mut cmd);
    // libtest needs this for `-Z unstable-options` (json); gather-harness ignores it.
    cmd.env("RUSTC_BOOTSTRAP", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    to_run(cmd.output().expect("run fixture binary"))
}

fn to_run(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn custom(args: &str) -> Run {
    run_bin(
        &bins().custom,
        &args.split_whitespace().collect::<Vec<_>>(),
        &[],
    )
}

fn twin(args: &str) -> Run {
    run_bin(
        &bins().twin,
        &args.split_whitespace().collect::<Vec<_>>(),
        &[],
    )
}

/// Replaces `prefix` followed by characters of `chars` with `prefix` + `with`.
fn squash(text: &str, prefix: &str, chars: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at + prefix.len()]);
        rest = &rest[at + prefix.len()..];
        let end = rest
            .find(|c: char| !chars.contains(c))
            .unwrap_or(rest.len());
        if end > 0 {
            out.push_str(with);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// What legitimately differs between two runs: thread ids, times, the test functions'
/// locations (twin.rs vs custom.rs), the JSON listing's source spans.
fn normalize(text: &str) -> String {
    let text = text.replace("tests/twin.rs", "tests/custom.rs");
    let text = squash(&text, "' (", "0123456789", "TID");
    let text = squash(&text, "finished in ", "0123456789.", "X");
    let text = squash(&text, "tests/custom.rs:", "0123456789:", "L");
    let text = squash(&text, "\"exec_time\": ", "0123456789.e-", "X");
    text.split('\n')
        .map(|line| match line.find(", \"source_path\"") {
            Some(at) => format!("{} }}", &line[..at]),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[track_caller]
fn assert_same_as_libtest(args: &str) {
    let ours = custom(args);
    let theirs = twin(args);
    let (ours_out, theirs_out) = (normalize(&ours.stdout), normalize(&theirs.stdout));
    if ours_out != theirs_out {
        panic!(
            "stdout differs from libtest for `{args}`\n--- libtest ---\n{theirs_out}\n--- gather-harness ---\n{ours_out}\n{}",
            first_difference(&theirs_out, &ours_out)
        );
    }
    assert_eq!(
        ours.code, theirs.code,
        "exit code differs from libtest for `{args}`"
    );
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!(
                "first difference at line {}:\n  libtest: {x:?}\n  ours:    {y:?}",
                i + 1
            );
        }
    }
    format!(
        "one is a prefix of the other ({} vs {} lines)",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
fn output_matches_libtest_single_threaded() {
    for args in [
        "--test-threads 1",
        "--test-threads 1 -q",
        "--test-threads 1 --show-output",
        "--test-threads 1 --show-output -q a::pass a::fail",
        "--test-threads 1 --nocapture a::pass",
        "--test-threads 1 --ignored",
        "--test-threads 1 --include-ignored a::ign",
        "--test-threads 1 --exact a::pass top",
        "--test-threads 1 --skip a:: --skip b",
        "--test-threads 1 sp_ res_",
        "--test-threads 1 -q --exact a::ign_reason",
        "--test-threads 1 --bench top a::sp_ok a::ign",
        "--test-threads 1 --bench --test top",
        "--test-threads 1 --format json -Z unstable-options",
        "--test-threads 1 --format json -Z unstable-options --show-output a::pass",
        "--test-threads 1 --color never",
        "--test-threads 1 nothing-matches-this",
    ] {
        assert_same_as_libtest(args);
    }
}

#[test]
fn listing_matches_libtest() {
    for args in [
        "--list",
        "--list --format terse",
        "--list -q",
        "--list --ignored",
        "--list --format terse --ignored",
        "--list --include-ignored a::ign",
        "--list a::sp",
        "--list --exact a::pass",
        "--list --exact no::such::test",
        "--list --format json -Z unstable-options",
        "--list --format json -Z unstable-options --ignored",
    ] {
        assert_same_as_libtest(args);
    }
}

#[test]
fn argument_errors_match_libtest() {
    for args in [
        "--foo",
        "-x",
        "--test-threads 0",
        "--test-threads abc",
        "--ignored --include-ignored",
        "--color sometimes",
        "--format xml",
        "--skip",
        "--exact=yes",
        "--exact --exact",
    ] {
        let (ours, theirs) = (custom(args), twin(args));
        assert_eq!(ours.code, 101, "{args}");
        assert_eq!(theirs.code, 101, "{args}");
        assert_eq!(ours.stdout, "", "{args}");
        assert_eq!(ours.stderr, theirs.stderr, "{args}");
    }
}

/// Multi-threaded, results come in completion order: compare the sets of lines.
#[test]
fn output_matches_libtest_multi_threaded() {
    for args in [
        "--test-threads 4",
        "--test-threads 4 -Z unstable-options --format json",
        "--test-threads 3 -q",
    ] {
        let sorted = |run: Run| {
            let text = normalize(&run.stdout);
            let mut lines: Vec<String> = text
                .lines()
                .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE=1`"))
                .map(|l| l.replace("note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\\n", ""))
                .collect();
            lines.sort();
            (lines, run.code)
        };
        let theirs = sorted(twin(args));
        // Lanes (up to one thread per core) and the central loop (more threads than cores),
        // whatever the machine's cores.
        for cores in ["1", "64"] {
            let run = run_bin(
                &bins().custom,
                &args.split_whitespace().collect::<Vec<_>>(),
                &[("__GATHER_HARNESS_CORES", cores)],
            );
            let ours = sorted(run);
            if args.contains("-q") {
                // Dots come in completion order, so only the summary and failure sections
                // compare.
                let progress = |l: &str| l.chars().all(|c| ".i 0123456789/".contains(c));
                let keep = |v: &Vec<String>| {
                    v.iter()
                        .filter(|l| !progress(l))
                        .cloned()
                        .collect::<Vec<_>>()
                };
                assert_eq!(keep(&ours.0), keep(&theirs.0), "{args}, {cores} cores");
            } else {
                assert_eq!(ours, theirs, "{args}, {cores} cores");
            }
        }
    }
}

#[test]
fn exact_name_that_matches_nothing_is_an_error_under_nextest() {
    // libtest exits 0 here, so nextest would report a test it never ran as passed.
    let nextest = [("NEXTEST", "1")];
    let args = ["--exact", "no::such::test", "--nocapture"];
    let run = run_bin(&bins().custom, &args, &nextest);
    assert_eq!(run.code, 101);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("error: no test is named `no::such::test` (--exact)"),
        "{}",
        run.stderr
    );
    // Elsewhere (`cargo test -- --exact a::b` runs every test binary with the filter): libtest's
    // empty run, with a note.
    let run = custom("--exact no::such::test --nocapture");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("0 passed; 0 failed; 0 ignored; 0 measured; 17 filtered out")
    );
    assert!(
        run.stderr.contains(
            "note: no test is named `no::such::test` (--exact); this binary has 17 tests"
        ),
        "{}",
        run.stderr
    );
    let args = ["--exact", "a::pas", "a::pass", "--nocapture"];
    let run = run_bin(&bins().custom, &args, &nextest);
    assert_eq!(run.code, 0, "one of the names exists: {}", run.stderr);
    // Matched, then removed by --skip: not a typo, libtest's behaviour.
    let run = run_bin(
        &bins().custom,
        &["--exact", "a::pass", "--skip", "a::pass"],
        &nextest,
    );
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("0 passed; 0 failed; 0 ignored; 0 measured; 17 filtered out")
    );
    // Without --exact, no match is libtest's empty run.
    assert_eq!(
        run_bin(&bins().custom, &["no::such::test"], &nextest).code,
        0
    );
}

#[test]
fn nextest_invocations_run_one_test() {
    // What nextest runs for each listed test.
    let run = custom("--exact a::pass --nocapture");
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("hello from pass"));
    assert!(run.stdout.contains("test a::pass ... ok"));
    assert!(
        run.stdout
            .contains("1 passed; 0 failed; 0 ignored; 0 measured; 16 filtered out")
    );
    let run = custom("--exact a::fail --nocapture");
    assert_eq!(run.code, 101);
    assert!(
        run.stderr.contains("thread 'a::fail' ("),
        "uncaptured panic goes to stderr: {}",
        run.stderr
    );
    let run = custom("--exact a::ign --nocapture --ignored");
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("test a::ign ... ok"));
}

#[test]
fn terse_listing_prints_only_names() {
    let run = custom("--list --format terse");
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 17);
    assert!(lines.iter().all(|l| l.ends_with(": test")), "{lines:?}");
    assert!(run.stdout.ends_with(": test\n"));
    let run = custom("--list --format terse --ignored");
    assert_eq!(run.stdout, "a::ign: test\na::ign_reason: test\n");
}

#[test]
fn benches_list_run_once_and_measure() {
    let b = &bins().benchy;
    let list = run_bin(b, &["--list"], &[]);
    assert_eq!(
        list.stdout,
        "benches::broken: benchmark\nbenches::fast: benchmark\nbenches::skipped: benchmark\n\
         benches::slow_with_longer_name: benchmark\ntests::plain: test\n\n1 test, 4 benchmarks\n"
    );
    let terse = run_bin(b, &["--list", "--format", "terse", "--ignored"], &[]);
    assert_eq!(terse.stdout, "benches::skipped: benchmark\n");

    // Test mode (cargo test): every item runs once, benchmarks included.
    let test_mode = run_bin(b, &["--test-threads", "1"], &[]);
    assert_eq!(test_mode.code, 101, "benches::broken panics");
    assert!(test_mode.stdout.contains("test benches::fast ... ok\n"));
    assert!(
        test_mode
            .stdout
            .contains("test benches::skipped ... ignored\n")
    );
    assert!(
        test_mode
            .stdout
            .contains("3 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out")
    );

    // `cargo bench -- --test` is test mode too.
    let check = run_bin(b, &["--bench", "--test", "fast"], &[]);
    assert!(
        check.stdout.contains("test benches::fast ... ok\n"),
        "{}",
        check.stdout
    );

    // Bench mode (cargo bench): benchmarks are measured, serially, names padded; tests ignored.
    let bench = run_bin(b, &["--bench", "--test-threads", "1"], &[]);
    assert_eq!(bench.code, 101);
    let expected = "\nrunning 5 tests\n\
        test tests::plain ... ignored\n\
        test benches::broken                ... FAILED\n\
        test benches::fast                  ... bench:       1,234.50 ns/iter (+/- 12.00)\n\
        test benches::skipped               ... ignored\n\
        test benches::slow_with_longer_name ... bench:   2,500,000.00 ns/iter (+/- 12.00)\n\
        \nfailures:\n\n---- benches::broken stdout ----\nmeasuring benches::broken\n\n\
        thread 'main' (TID) panicked at tests/benchy.rs:L\nbench broke\n\
        note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
        \nfailures:\n    benches::broken\n\
        \ntest result: FAILED. 0 passed; 1 failed; 2 ignored; 2 measured; 0 filtered out; finished in Xs\n\n";
    let got = squash(
        &normalize(&bench.stdout),
        "tests/benchy.rs:",
        "0123456789:",
        "L",
    );
    assert_eq!(got, expected, "\n{got}");

    let json = run_bin(b, &["--bench", "--format", "json", "fast"], &[]);
    assert!(
        json.stdout.contains(
            r#"{ "type": "bench", "name": "benches::fast", "median": 1234.5, "deviation": 12 }"#
        ),
        "{}",
        json.stdout
    );
    assert!(json.stdout.contains(r#""measured": 1"#));
    // nextest's `cargo nextest bench` invocation.
    let one = run_bin(
        b,
        &["--exact", "benches::fast", "--nocapture", "--bench"],
        &[],
    );
    assert_eq!(one.code, 0);
    assert!(one.stdout.contains("measuring benches::fast\n"));
}

#[test]
fn tests_run_in_parallel_on_named_threads() {
    let t = &bins().timing;
    // Lanes (up to one thread per core) and the central loop (more threads than cores).
    for cores in ["1", "64"] {
        let start = Instant::now();
        let run = run_bin(
            t,
            &["--test-threads", "2", "slow"],
            &[
                ("FIXTURE_SLEEP_MS", "400"),
                ("__GATHER_HARNESS_CORES", cores),
            ],
        );
        let parallel = start.elapsed();
        assert_eq!(run.code, 0);
        assert!(
            parallel < Duration::from_millis(790),
            "two 400 ms tests on 2 threads, {cores} cores, took {parallel:?}"
        );
        // libtest's warning for long tests (after 60 s; shortened here).
        let run = run_bin(
            t,
            &["--test-threads", "2", "slow"],
            &[
                ("FIXTURE_SLEEP_MS", "600"),
                ("__GATHER_HARNESS_WARN_AFTER_MS", "150"),
                ("__GATHER_HARNESS_CORES", cores),
            ],
        );
        for name in ["slow_a", "slow_b"] {
            let warning = format!("test {name} has been running for over 60 seconds\n");
            assert_eq!(run.stdout.matches(&warning).count(), 1, "{}", run.stdout);
            assert!(run.stdout.contains(&format!("test {name} ... ok\n")));
        }
        // The thread-name test in the suite checks `thread::current().name()`.
        let args = ["--exact", "b::nested::thread_name", "--test-threads", "2"];
        let run = run_bin(&bins().custom, &args, &[("__GATHER_HARNESS_CORES", cores)]);
        assert_eq!(run.code, 0, "{cores} cores");
    }
    let start = Instant::now();
    let run = run_bin(
        t,
        &["--test-threads", "1", "slow"],
        &[("FIXTURE_SLEEP_MS", "200")],
    );
    assert!(start.elapsed() >= Duration::from_millis(400));
    assert!(
        run.stdout
            .contains("test slow_a ... ok\ntest slow_b ... ok\n")
    );
    // RUST_TEST_THREADS is read when --test-threads is absent.
    let start = Instant::now();
    let run = run_bin(
        t,
        &["slow"],
        &[("FIXTURE_SLEEP_MS", "200"), ("RUST_TEST_THREADS", "1")],
    );
    assert!(
        start.elapsed() >= Duration::from_millis(400),
        "{}",
        run.stdout
    );
    let bad = run_bin(t, &[], &[("RUST_TEST_THREADS", "zero")]);
    assert_eq!(bad.code, 101);
    assert!(
        bad.stderr
            .contains("RUST_TEST_THREADS is `zero`, should be a positive integer.")
    );
    // Thread names on the serial run too.
    assert_eq!(
        custom("--exact b::nested::thread_name --test-threads 1").code,
        0
    );
}

#[test]
fn nocapture_from_environment() {
    let run = run_bin(
        &bins().custom,
        &["--exact", "a::pass"],
        &[("RUST_TEST_NOCAPTURE", "1")],
    );
    assert!(
        run.stdout
            .starts_with("\nrunning 1 test\nhello from pass\n"),
        "{}",
        run.stdout
    );
    let run = run_bin(
        &bins().custom,
        &["--exact", "a::pass"],
        &[("RUST_TEST_NOCAPTURE", "0")],
    );
    assert!(!run.stdout.contains("hello from pass"));
}

#[test]
fn help_and_logfile() {
    let run = custom("--help");
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("Usage: "));
    assert!(run.stdout.contains("--exact"));
    let run = custom("--logfile /dev/null top");
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("warning: `--logfile` is deprecated"));
    let run = custom("-Z unstable-options --fail-fast --test-threads 1 a::");
    assert_eq!(run.code, 101);
    assert!(
        run.stdout
            .contains("test a::dbg_out ... FAILED\n\nfailures:"),
        "stops after the first failure: {}",
        run.stdout
    );
}

#[test]
fn cargo_test_runs_the_harness() {
    let _ = bins();
    let ok = to_run(
        cargo()
            .args(["test", "--test", "custom", "--", "a::pass", "top"])
            .output()
            .unwrap(),
    );
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(
        ok.stdout.contains(
            "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 15 filtered out"
        )
    );
    let failing = to_run(cargo().args(["test", "--test", "custom"]).output().unwrap());
    assert_eq!(failing.code, 101);
    assert!(
        failing
            .stdout
            .contains("test result: FAILED. 6 passed; 9 failed; 2 ignored"),
        "{}",
        failing.stdout
    );
    assert!(
        failing
            .stderr
            .contains("error: test failed, to rerun pass `--test custom`"),
        "{}",
        failing.stderr
    );
}

#[test]
fn cargo_nextest_lists_and_runs_one_process_per_test() {
    if !nextest_installed() {
        return;
    }
    let _ = bins();
    let list = to_run(
        cargo()
            .args([
                "nextest",
                "list",
                "--run-ignored",
                "all",
                "--test",
                "custom",
                "--test",
                "benchy",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(list.code, 0, "{}", list.stderr);
    for name in [
        "a::pass",
        "a::ign",
        "b::nested::thread_name",
        "benches::fast",
        "tests::plain",
    ] {
        assert!(
            list.stdout.lines().any(|l| l.trim_end().ends_with(name)),
            "{name} not listed:\n{}",
            list.stdout
        );
    }

    let run = to_run(
        cargo()
            .args([
                "nextest",
                "run",
                "--no-fail-fast",
                "--test",
                "custom",
                "--test",
                "benchy",
                "--color",
                "never",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 100, "nextest's failure exit code\n{}", run.stderr);
    let status = |name: &str| -> Vec<&'static str> {
        let mut found = Vec::new();
        for line in run.stderr.lines().chain(run.stdout.lines()) {
            let line = line.trim();
            if line.ends_with(&format!(" {name}")) {
                for s in ["PASS", "FAIL", "SKIP"] {
                    if line.starts_with(s) && !found.contains(&s) {
                        found.push(s);
                    }
                }
            }
        }
        found
    };
    for name in [
        "a::pass",
        "a::sp_ok",
        "a::sp_msg_ok",
        "a::res_ok",
        "top",
        "b::nested::thread_name",
        "benches::fast",
    ] {
        assert_eq!(status(name), ["PASS"], "{name}\n{}", run.stderr);
    }
    for name in [
        "a::fail",
        "a::sp_nopanic",
        "a::sp_msg_bad",
        "a::sp_msg_nonstr",
        "a::res_err",
        "benches::broken",
    ] {
        assert_eq!(status(name), ["FAIL"], "{name}\n{}", run.stderr);
    }
    assert!(
        run.stderr
            .contains("19 tests run: 9 passed, 10 failed, 3 skipped"),
        "{}",
        run.stderr
    );

    let ignored = to_run(
        cargo()
            .args([
                "nextest",
                "run",
                "--test",
                "custom",
                "--run-ignored",
                "only",
                "--color",
                "never",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(ignored.code, 0, "{}", ignored.stderr);
    assert!(
        ignored.stderr.contains("2 tests run: 2 passed"),
        "{}",
        ignored.stderr
    );
}
