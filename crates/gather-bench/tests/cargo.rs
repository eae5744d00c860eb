//! Builds the fixture crates `tests/fixtures/gb-user` and `tests/fixtures/gb-fail` with cargo and
//! runs them as users do: `cargo bench`, `cargo test --benches`, `cargo nextest run --benches`,
//! baselines, JSON, compile errors.

use std::path::{Path, PathBuf};
use std::process::Output;

use gather_test_support::{
    self as support, assert_compile_errors, fixture, nextest_installed, shared_target_dir,
    success_stdout,
};

/// Where the fixtures' benchmarks keep their baselines and reports.
fn results_dir() -> PathBuf {
    shared_target_dir().join("gather-bench")
}

/// One cargo at a time: these tests measure, and a parallel build on the same cores would
/// make the measurements noise.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = support::cargo(dir);
    cmd.args(args).envs(env.iter().copied());
    cmd.output().expect("cargo runs")
}

/// Short measuring settings for tests: the numbers are not the point here.
const QUICK: &[&str] = &[
    "--sample-count",
    "10",
    "--measurement-time",
    "20ms",
    "--warm-up-time",
    "5ms",
    "--nresamples",
    "500",
    "--no-report",
];

fn bench(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut all = vec!["bench", "-q", "--bench", "speed", "--"];
    all.extend(args);
    cargo(&fixture("gb-user"), &all, env)
}

const ALL: [&str; 12] = [
    "add",
    "fib_15",
    "fib_of::10",
    "fib_of::20",
    "slow",
    "sorting::nested::custom",
    "sorting::sort_1000",
    "strings::checksum::4096",
    "strings::checksum::64",
    "strings::upper::a longer string",
    "strings::upper::short",
    "tunable",
];

#[test]
fn cargo_bench_measures_every_benchmark_of_every_file() {
    let _serial = serial();
    // With the report (which the other tests, running at the same time, leave alone).
    let out = bench(&QUICK[..QUICK.len() - 1], &[]);
    let stdout = success_stdout(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        stdout.contains("running 12 benchmarks (timer precision "),
        "{stdout}"
    );
    let header = lines
        .iter()
        .find(|l| l.starts_with("benchmark "))
        .expect("a header");
    for column in ["median", "95% CI", "mean", "MAD", "samples", "throughput"] {
        assert!(header.contains(column), "{header}");
    }
    let median_end = header.find("median").unwrap() + "median".len();
    for name in ALL {
        let row = lines
            .iter()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{stdout}"));
        if name == "slow" {
            assert!(row.ends_with("ignored, too slow for every run"), "{row}");
            continue;
        }
        // The median's unit ends under the header's end: columns line up.
        let unit: String = row.chars().take(median_end).collect();
        assert!(
            ["ps", "ns", "µs", "ms"].iter().any(|u| unit.ends_with(u)),
            "{name}: `{unit}`\n{header}\n{row}"
        );
        assert!(row.contains(" ["), "{row}");
    }
    let row = |name: &str| *lines.iter().find(|l| l.starts_with(name)).unwrap();
    assert!(row("sorting::sort_1000 ").contains("items/s"));
    assert!(row("strings::checksum::4096 ").ends_with("iB/s"));
    assert!(row("strings::upper::short ").ends_with("iB/s"));
    assert!(
        stdout.contains(
            "test result: ok. 0 passed; 0 failed; 1 ignored; 11 measured; 0 filtered out;"
        ),
        "{stdout}"
    );
    // The report of this run.
    let report = results_dir().join("report");
    assert!(report.join("index.html").is_file());
    let index = std::fs::read_to_string(report.join("speed/index.html")).unwrap();
    assert!(index.contains("sorting.nested.custom.html"), "{index}");
    let page = std::fs::read_to_string(report.join("speed/fib_of.10.html")).unwrap();
    assert!(page.contains("data-plot=\"distribution\" data-samples=\"10\""));
}

#[test]
fn filters_and_the_nextest_protocol() {
    let _serial = serial();
    // `--list` as nextest reads it: only `name: benchmark` lines.
    let out = bench(&["--list", "--format", "terse"], &[]);
    let expected: String = ALL.iter().map(|n| format!("{n}: benchmark\n")).collect();
    assert_eq!(success_stdout(&out), expected);
    let out = bench(&["--list", "--format", "terse", "--ignored"], &[]);
    assert_eq!(success_stdout(&out), "slow: benchmark\n");

    // What `cargo nextest bench` runs: one benchmark, measured (through `cargo test`, which
    // does not add a `--bench` of its own).
    let mut args = vec![
        "test",
        "-q",
        "--bench",
        "speed",
        "--",
        "--exact",
        "fib_of::10",
        "--nocapture",
        "--bench",
    ];
    args.extend(QUICK);
    let stdout = success_stdout(&cargo(&fixture("gb-user"), &args, &[]));
    assert!(stdout.contains("running 1 benchmark "), "{stdout}");
    assert!(stdout.contains("\nfib_of::10  "), "{stdout}");
    assert!(stdout.contains("1 measured; 11 filtered out"), "{stdout}");

    // Substring filters and --skip.
    let mut args = vec!["checksum", "--skip", "4096"];
    args.extend(QUICK);
    let stdout = success_stdout(&bench(&args, &[]));
    assert!(stdout.contains("1 measured; 11 filtered out"), "{stdout}");

    // An --exact that matches nothing fails under nextest (which runs one listed name per
    // process), in bench mode and in test mode; elsewhere (`cargo bench -- --exact a` runs every
    // bench target with that filter) it is a note.
    let nextest = [("NEXTEST", "1")];
    let out = bench(&["--exact", "fib_of"], &nextest);
    assert_eq!(out.status.code(), Some(101));
    assert!(
        support::stderr(&out).contains(
            "error: no benchmark is named `fib_of` (--exact); this binary has 12 benchmarks; run it with `--list` to see them"
        ),
        "{}",
        support::stderr(&out)
    );
    let out = cargo(
        &fixture("gb-user"),
        &["test", "-q", "--benches", "--", "--exact", "fib_of"],
        &nextest,
    );
    assert_eq!(out.status.code(), Some(101));
    let out = bench(&["--exact", "fib_of"], &[]);
    assert!(
        support::stderr(&out).contains("note: no benchmark is named `fib_of` (--exact)"),
        "{}",
        support::stderr(&out)
    );
    assert!(success_stdout(&out).contains("0 measured; 12 filtered out"));

    // Bad options are errors.
    let out = bench(&["--sample-count", "one"], &[]);
    assert_eq!(out.status.code(), Some(101));
    assert!(
        support::stderr(&out)
            .contains("error: argument for --sample-count must be a number >= 2 (was `one`)")
    );
}

#[test]
fn cargo_test_runs_each_benchmark_once_and_nextest_too() {
    let _serial = serial();
    let out = cargo(&fixture("gb-user"), &["test", "-q", "--benches"], &[]);
    let stdout = success_stdout(&out);
    assert!(
        stdout.contains("test strings::upper::short ... ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("test slow ... ignored, too slow for every run"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "test result: ok. 11 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out;"
        ),
        "{stdout}"
    );
    // A panicking benchmark fails both modes.
    let out = cargo(
        &fixture("gb-user"),
        &["test", "-q", "--benches", "--features", "failing"],
        &[],
    );
    assert_eq!(out.status.code(), Some(101));
    assert!(support::stdout(&out).contains("test panics ... FAILED"));
    let mut args = vec![
        "bench",
        "-q",
        "--bench",
        "speed",
        "--features",
        "failing",
        "--",
        "panics",
    ];
    args.extend(QUICK);
    let out = cargo(&fixture("gb-user"), &args, &[]);
    let (printed, errors) = (support::stdout(&out), support::stderr(&out));
    assert_eq!(out.status.code(), Some(101), "{printed}");
    assert!(printed.contains("\npanics     FAILED"), "{printed}");
    assert!(errors.contains("benchmark exploded"), "{errors}");
    assert!(printed.contains("test result: FAILED. 0 passed; 1 failed;"));

    if nextest_installed() {
        let out = cargo(&fixture("gb-user"), &["nextest", "run", "--benches"], &[]);
        let stderr = support::stderr(&out);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("11 tests run: 11 passed, 1 skipped"),
            "{stderr}"
        );
    }
}

#[test]
fn baselines_detect_regressions_and_improvements() {
    let _serial = serial();
    let dir = results_dir().join("cost4000/speed");
    let _ = std::fs::remove_dir_all(&dir);
    let run = |cost: &str, extra: &[&str]| {
        let mut args = vec!["--exact", "tunable", "fib_15", "--format", "json"];
        args.extend(QUICK);
        // More and longer samples than QUICK: the verdicts must hold on a busy machine.
        args.extend(["--sample-count", "30", "--measurement-time", "150ms"]);
        args.extend(extra);
        let out = bench(&args, &[("GB_USER_COST", cost)]);
        success_stdout(&out)
    };
    let stdout = run("4000", &["--save-baseline", "cost4000"]);
    assert_eq!(stdout.lines().count(), 2, "one JSON object per benchmark");
    let saved = std::fs::read_to_string(dir.join("tunable.txt")).unwrap();
    assert!(saved.starts_with("gather-bench baseline 1\nname tunable\n"));
    assert_eq!(
        saved
            .lines()
            .find_map(|l| l.strip_prefix("samples "))
            .unwrap()
            .split(' ')
            .count(),
        30
    );

    let change = |stdout: &str, name: &str| -> String {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{{\"name\":\"{name}\"")))
            .unwrap_or_else(|| panic!("{name}:\n{stdout}"));
        let at = line.find("\"change\":").expect("a change field");
        line[at..].split("\"verdict\":\"").nth(1).unwrap_or("")[..]
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    // Eight times less work: improved; eight times more: regressed.
    let faster = run("500", &["--baseline", "cost4000"]);
    assert_eq!(change(&faster, "tunable"), "improved", "{faster}");
    let slower = run("32000", &["--baseline", "cost4000"]);
    assert_eq!(change(&slower, "tunable"), "regressed", "{slower}");
    assert!(
        slower.contains("\"median_ratio\":{\"estimate\":"),
        "{slower}"
    );

    // The terminal table shows the change too.
    let mut args = vec!["--exact", "tunable", "--baseline", "cost4000"];
    args.extend(QUICK);
    args.extend(["--sample-count", "30", "--measurement-time", "150ms"]);
    let stdout = success_stdout(&bench(&args, &[("GB_USER_COST", "32000")]));
    let row = stdout.lines().find(|l| l.starts_with("tunable ")).unwrap();
    assert!(row.contains(" regressed") && row.contains(" p="), "{row}");
    assert!(stdout.contains("change vs cost4000"), "{stdout}");

    // A baseline that was never saved is an error, not an empty comparison.
    let out = bench(&["--baseline", "never-saved"], &[]);
    assert_eq!(out.status.code(), Some(101));
    assert!(
        support::stderr(&out)
            .contains("error: there is no baseline `never-saved` for bench target `speed`"),
        "{}",
        support::stderr(&out)
    );
}

#[test]
fn json_has_one_object_per_benchmark() {
    let _serial = serial();
    let mut args = vec!["--format", "json", "--include-ignored", "strings::"];
    args.extend(QUICK);
    let stdout = success_stdout(&bench(&args, &[]));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    for line in &lines {
        assert!(
            line.starts_with("{\"name\":\"strings::") && line.ends_with("]}"),
            "{line}"
        );
        for key in [
            "\"status\":\"measured\"",
            "\"unit\":\"ns\"",
            "\"median\":{\"estimate\":",
            "\"mean\":{\"estimate\":",
            "\"std_dev\":{\"estimate\":",
            "\"mad\":{\"estimate\":",
            "\"samples\":10,",
            "\"outliers\":{\"low_severe\":",
            "\"throughput\":{\"kind\":\"bytes\",\"per_iteration\":",
            "\"change\":null",
            "\"sample_ns\":[",
        ] {
            assert!(line.contains(key), "{key} in {line}");
        }
        assert!(!line.contains("NaN") && !line.contains("inf"), "{line}");
    }
    let names: Vec<&str> = lines.iter().map(|l| l.split('"').nth(3).unwrap()).collect();
    assert_eq!(
        names,
        [
            "strings::checksum::4096",
            "strings::checksum::64",
            "strings::upper::a longer string",
            "strings::upper::short"
        ]
    );
    assert!(lines[1].contains("\"per_iteration\":64,"));
    let out = bench(&["--format", "json", "--ignored", "--list"], &[]);
    assert!(
        success_stdout(&out).contains("\"name\": \"slow\""),
        "listing stays libtest's JSON"
    );
}

#[test]
fn compile_errors_say_how_to_fix_them() {
    let _serial = serial();
    // Each benches/<case>.rs with the lines of expected/<case>.txt.
    let dir = fixture("gb-fail");
    assert_compile_errors(&dir, "benches", |case| {
        cargo(&dir, &["build", "-q", "--bench", case], &[])
    });
}

#[test]
fn benchmarks_written_by_macro_rules_are_found() {
    let _serial = serial();
    let out = cargo(
        &fixture("gb-user"),
        &[
            "bench",
            "-q",
            "--features",
            "generated",
            "--bench",
            "generated",
            "--",
            "--list",
            "--format",
            "terse",
        ],
        &[],
    );
    assert_eq!(
        success_stdout(&out),
        "made_a: benchmark\nmade_b: benchmark\nmade_nested: benchmark\nwritten_literally: benchmark\n"
    );
}
