//! libtest's output: pretty, terse and JSON, for runs and for `--list`.
//!
//! Everything goes through one buffer that is written to a locked stdout when the runner is
//! about to wait or to run a test on its own thread (in the parallel run with lanes, every
//! 10 ms), so a suite of fast tests costs a handful of `write` calls, while a slow or hanging
//! test is visible as soon as it starts.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::Duration;

use crate::args::Format;
use crate::filter::{Selected, Selection};
use crate::json::JsonEscaped;
use crate::outcome::{Counts, Outcome};
use crate::test::{Kind, ShouldPanic, Test};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// libtest's terse mode breaks the line of dots every 88 results.
const QUIET_MODE_MAX_COLUMN: usize = 88;

pub(crate) struct Printer {
    buf: String,
    format: Format,
    color: bool,
    multithreaded: bool,
    show_output: bool,
    report_time: bool,
    /// Width bench names are padded to in bench mode (libtest aligns `bench:` columns).
    bench_name_width: usize,
    total: usize,
    // Terse progress.
    test_count: usize,
    test_column: usize,
    // Collected for the summary.
    failures: Vec<(&'static Test, Vec<u8>)>,
    successes: Vec<(&'static Test, Vec<u8>)>,
    /// The one ignored test's reason, for terse's `test: x, ignore_message: y` line.
    last_ignored: Option<&'static Test>,
}

pub(crate) struct Config {
    pub format: Format,
    pub color: bool,
    pub multithreaded: bool,
    pub show_output: bool,
    pub report_time: bool,
    pub bench_name_width: usize,
}

impl Printer {
    pub(crate) fn new(config: Config) -> Printer {
        Printer {
            buf: String::with_capacity(1 << 14),
            format: config.format,
            color: config.color,
            multithreaded: config.multithreaded,
            show_output: config.show_output,
            report_time: config.report_time,
            bench_name_width: config.bench_name_width,
            total: 0,
            test_count: 0,
            test_column: 0,
            failures: Vec::new(),
            successes: Vec::new(),
            last_ignored: None,
        }
    }

    /// Writes what is buffered to stdout.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let mut out = io::stdout().lock();
            out.write_all(self.buf.as_bytes())?;
            out.flush()?;
            self.buf.clear();
        }
        Ok(())
    }

    fn pretty(&mut self, word: &str, color: &str) {
        if self.color {
            self.buf.push_str(color);
            self.buf.push_str(word);
            self.buf.push_str(RESET);
        } else {
            self.buf.push_str(word);
        }
    }

    pub(crate) fn run_start(&mut self, count: usize) {
        self.total = count;
        match self.format {
            Format::Pretty | Format::Terse => {
                let noun = if count == 1 { "test" } else { "tests" };
                let _ = writeln!(self.buf, "\nrunning {count} {noun}");
            }
            Format::Json => {
                let _ = writeln!(
                    self.buf,
                    r#"{{ "type": "suite", "event": "started", "test_count": {count} }}"#
                );
            }
        }
    }

    /// `test name[ - should panic] ... `, bench names padded in bench mode.
    fn test_name(&mut self, entry: &Selected, padded: bool) {
        self.buf.push_str("test ");
        self.buf.push_str(entry.test.name);
        if padded {
            for _ in entry.test.name.len()..self.bench_name_width {
                self.buf.push(' ');
            }
        }
        if !entry.ignored && entry.test.should_panic != ShouldPanic::No {
            self.buf.push_str(" - should panic");
        }
        self.buf.push_str(" ... ");
    }

    /// A test is about to run (libtest's `TeWait`). `padded`: a benchmark being measured.
    pub(crate) fn test_start(&mut self, entry: &Selected, padded: bool) {
        match self.format {
            Format::Pretty => {
                if !self.multithreaded {
                    self.test_name(entry, padded);
                }
            }
            Format::Terse => {
                if !self.multithreaded && padded {
                    self.test_name(entry, padded);
                }
            }
            Format::Json => {
                self.buf
                    .push_str(r#"{ "type": "test", "event": "started", "name": ""#);
                let _ = write!(self.buf, "{}", JsonEscaped(entry.test.name));
                self.buf.push_str("\" }\n");
            }
        }
    }

    pub(crate) fn timeout(&mut self, test: &Test) {
        match self.format {
            Format::Pretty | Format::Terse => {
                let _ = writeln!(
                    self.buf,
                    "test {} has been running for over 60 seconds",
                    test.name
                );
            }
            Format::Json => {
                self.buf
                    .push_str(r#"{ "type": "test", "event": "timeout", "name": ""#);
                let _ = write!(self.buf, "{}", JsonEscaped(test.name));
                self.buf.push_str("\" }\n");
            }
        }
    }

    pub(crate) fn result(
        &mut self,
        entry: &Selected,
        padded: bool,
        outcome: Outcome,
        mut output: Vec<u8>,
        time: Duration,
    ) {
        let test = entry.test;
        match self.format {
            Format::Pretty => {
                if self.multithreaded {
                    self.test_name(entry, padded);
                }
                match &outcome {
                    Outcome::Ok => self.pretty("ok", GREEN),
                    Outcome::Failed | Outcome::FailedMsg(_) => self.pretty("FAILED", RED),
                    Outcome::Ignored => match test.ignore.reason() {
                        Some(reason) => self.pretty(&format!("ignored, {reason}"), YELLOW),
                        None => self.pretty("ignored", YELLOW),
                    },
                    Outcome::Bench(m) => {
                        self.pretty("bench", CYAN);
                        self.buf.push_str(": ");
                        m.format_into(&mut self.buf);
                    }
                }
                if self.report_time && !matches!(outcome, Outcome::Ignored | Outcome::Bench(_)) {
                    let _ = write!(self.buf, " <{:.3}s>", time.as_secs_f64());
                }
                self.buf.push('\n');
            }
            Format::Terse => match &outcome {
                Outcome::Ok => self.terse_short(".", GREEN),
                Outcome::Ignored => self.terse_short("i", YELLOW),
                Outcome::Failed | Outcome::FailedMsg(_) => {
                    if self.test_column != 0 {
                        self.terse_progress();
                    }
                    self.test_count += 1;
                    self.buf.push_str(test.name);
                    self.buf.push_str(" --- ");
                    self.pretty("FAILED", RED);
                    self.buf.push('\n');
                }
                Outcome::Bench(m) => {
                    if self.multithreaded {
                        self.test_name(entry, padded);
                    }
                    self.pretty("bench", CYAN);
                    self.buf.push_str(": ");
                    m.format_into(&mut self.buf);
                    self.buf.push('\n');
                }
            },
            Format::Json => self.json_result(test, &outcome, &output, time),
        }

        match outcome {
            Outcome::Ok if self.show_output => self.successes.push((test, output)),
            Outcome::Ignored => self.last_ignored = Some(test),
            Outcome::Failed => self.failures.push((test, output)),
            Outcome::FailedMsg(message) => {
                output.extend_from_slice(b"note: ");
                output.extend_from_slice(message.as_bytes());
                self.failures.push((test, output));
            }
            Outcome::Ok | Outcome::Bench(_) => {}
        }
    }

    fn terse_short(&mut self, mark: &str, color: &str) {
        self.pretty(mark, color);
        self.test_count += 1;
        self.test_column += 1;
        if self.test_column % QUIET_MODE_MAX_COLUMN == QUIET_MODE_MAX_COLUMN - 1 {
            self.terse_progress();
        }
    }

    fn terse_progress(&mut self) {
        let _ = writeln!(self.buf, " {}/{}", self.test_count, self.total);
        self.test_column = 0;
    }

    fn json_result(&mut self, test: &Test, outcome: &Outcome, output: &[u8], time: Duration) {
        if let Outcome::Bench(m) = outcome {
            self.buf.push_str(r#"{ "type": "bench", "name": ""#);
            let _ = write!(self.buf, "{}", JsonEscaped(test.name));
            let _ = write!(
                self.buf,
                r#"", "median": {}, "deviation": {}"#,
                m.median_ns, m.deviation_ns
            );
            if let Some(mb) = m.mb_per_s.filter(|&mb| mb != 0) {
                let _ = write!(self.buf, r#", "mib_per_second": {mb}"#);
            }
            self.buf.push_str(" }\n");
            return;
        }
        let event = match outcome {
            Outcome::Ok => "ok",
            Outcome::Ignored => "ignored",
            _ => "failed",
        };
        self.buf.push_str(r#"{ "type": "test", "name": ""#);
        let _ = write!(self.buf, "{}", JsonEscaped(test.name));
        let _ = write!(self.buf, r#"", "event": "{event}""#);
        if self.report_time && !matches!(outcome, Outcome::Ignored) {
            let _ = write!(self.buf, r#", "exec_time": {}"#, time.as_secs_f64());
        }
        let display = self.show_output || !matches!(outcome, Outcome::Ok);
        if display && !output.is_empty() {
            self.buf.push_str(r#", "stdout": ""#);
            let _ = write!(
                self.buf,
                "{}",
                JsonEscaped(&String::from_utf8_lossy(output))
            );
            self.buf.push('"');
        }
        let message = match outcome {
            Outcome::FailedMsg(message) => Some(message.as_str()),
            Outcome::Ignored => test.ignore.reason(),
            _ => None,
        };
        if let Some(message) = message {
            self.buf.push_str(r#", "message": ""#);
            let _ = write!(self.buf, "{}", JsonEscaped(message));
            self.buf.push('"');
        }
        self.buf.push_str(" }\n");
    }

    /// `\n{kind}:\n`, the `---- name stdout ----` blocks, `\n{kind}:\n`, the sorted names.
    fn sections(&mut self, kind: &str, entries: &[(&'static Test, Vec<u8>)]) {
        let _ = write!(self.buf, "\n{kind}:\n");
        if entries.iter().any(|(_, out)| !out.is_empty()) {
            self.buf.push('\n');
            for (test, out) in entries.iter().filter(|(_, out)| !out.is_empty()) {
                let _ = writeln!(self.buf, "---- {} stdout ----", test.name);
                self.buf.push_str(&String::from_utf8_lossy(out));
                self.buf.push('\n');
            }
        }
        let _ = write!(self.buf, "\n{kind}:\n");
        let mut names: Vec<&str> = entries.iter().map(|(test, _)| test.name).collect();
        names.sort_unstable();
        for name in names {
            let _ = writeln!(self.buf, "    {name}");
        }
    }

    pub(crate) fn run_finish(&mut self, counts: &Counts, filtered_out: usize, elapsed: Duration) {
        let success = counts.succeeded();
        match self.format {
            Format::Pretty | Format::Terse => {
                if self.show_output {
                    let successes = std::mem::take(&mut self.successes);
                    self.sections("successes", &successes);
                }
                if !success && (self.format == Format::Terse || !self.failures.is_empty()) {
                    let failures = std::mem::take(&mut self.failures);
                    self.sections("failures", &failures);
                }
                self.buf.push_str("\ntest result: ");
                if success {
                    self.pretty("ok", GREEN)
                } else {
                    self.pretty("FAILED", RED)
                }
                let _ = write!(
                    self.buf,
                    ". {} passed; {} failed; {} ignored; {} measured; {} filtered out; finished in {:.2}s\n\n",
                    counts.passed,
                    counts.failed,
                    counts.ignored,
                    counts.measured,
                    filtered_out,
                    elapsed.as_secs_f64()
                );
                if self.format == Format::Terse
                    && self.total == 1
                    && counts.ignored == 1
                    && let Some(test) = self.last_ignored
                    && let Some(reason) = test.ignore.reason()
                {
                    let _ = write!(
                        self.buf,
                        "test: {}, ignore_message: {reason}\n\n",
                        test.name
                    );
                }
            }
            Format::Json => {
                let _ = writeln!(
                    self.buf,
                    r#"{{ "type": "suite", "event": "{}", "passed": {}, "failed": {}, "ignored": {}, "measured": {}, "filtered_out": {}, "exec_time": {} }}"#,
                    if success { "ok" } else { "failed" },
                    counts.passed,
                    counts.failed,
                    counts.ignored,
                    counts.measured,
                    filtered_out,
                    elapsed.as_secs_f64()
                );
            }
        }
    }
}

/// `--list`: `name: test|benchmark` lines; pretty adds the counts, JSON emits discovery events.
pub(crate) fn list(selection: &Selection, format: Format) -> io::Result<()> {
    let mut buf = String::with_capacity(64 * selection.tests.len() + 64);
    let (mut tests, mut benches, mut ignored) = (0usize, 0usize, 0usize);
    if format == Format::Json {
        buf.push_str("{ \"type\": \"suite\", \"event\": \"discovery\" }\n");
    }
    for entry in &selection.tests {
        let test = entry.test;
        let kind = match test.kind {
            Kind::Test => {
                tests += 1;
                "test"
            }
            Kind::Bench => {
                benches += 1;
                "benchmark"
            }
        };
        ignored += usize::from(entry.ignored);
        match format {
            Format::Pretty | Format::Terse => {
                buf.push_str(test.name);
                buf.push_str(": ");
                buf.push_str(kind);
                buf.push('\n');
            }
            Format::Json => {
                buf.push_str(r#"{ "type": "test", "event": "discovered", "name": ""#);
                let _ = write!(buf, "{}", JsonEscaped(test.name));
                let _ = write!(
                    buf,
                    r#"", "ignore": {}, "ignore_message": ""#,
                    entry.ignored
                );
                let _ = write!(buf, "{}", JsonEscaped(test.ignore.reason().unwrap_or("")));
                buf.push_str(r#"", "source_path": ""#);
                let _ = write!(buf, "{}", JsonEscaped(test.file));
                let last = test.name.rsplit("::").next().unwrap_or(test.name);
                let end_col = test.column as usize + last.chars().count();
                let _ = writeln!(
                    buf,
                    r#"", "start_line": {line}, "start_col": {col}, "end_line": {line}, "end_col": {end_col} }}"#,
                    line = test.line,
                    col = test.column,
                );
            }
        }
    }
    match format {
        Format::Pretty => {
            if tests != 0 || benches != 0 {
                buf.push('\n');
            }
            let plural = |n: usize, s: &str| {
                if n == 1 {
                    format!("1 {s}")
                } else {
                    format!("{n} {s}s")
                }
            };
            let _ = writeln!(
                buf,
                "{}, {}",
                plural(tests, "test"),
                plural(benches, "benchmark")
            );
        }
        Format::Terse => {}
        Format::Json => {
            let _ = writeln!(
                buf,
                r#"{{ "type": "suite", "event": "completed", "tests": {tests}, "benchmarks": {benches}, "total": {}, "ignored": {ignored} }}"#,
                tests + benches
            );
        }
    }
    let mut out = io::stdout().lock();
    out.write_all(buf.as_bytes())?;
    out.flush()
}
