//! tiny-log end to end on the host: the program's stream decoded with its own table, the stream
//! carried as hex between two runs (as from a device), a table of other cfgs refused, and the
//! log macros' compile errors.

use std::io::Write;
use std::process::{Command, Stdio};

use gather_test_support::{Scratch, cargo, own_target_dir, repo, stderr, success_stdout};

const EXPECTED: &str = "INFO booting\nINFO temp = -5\nINFO temp = 21\n\
INFO connecting to example.org (attempt 1)\nINFO connecting to example.org (attempt 2)\n\
WARN retrying example.org\nWARN done: true {ok}\n";

fn demo(args: &[&str], input: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiny-log-demo"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.unwrap_or("").as_bytes()).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn the_stream_decodes_to_the_messages() {
    assert_eq!(success_stdout(&demo(&[], None)), EXPECTED);
}

#[test]
fn a_stream_carried_as_hex_decodes_in_another_process() {
    let hex = success_stdout(&demo(&["--emit"], None));
    // Index and argument bytes only: far fewer bytes than the text.
    assert!(hex.trim().len() / 2 < EXPECTED.len() / 2, "{hex}");
    assert_eq!(success_stdout(&demo(&["--decode"], Some(&hex))), EXPECTED);
}

#[test]
fn a_program_with_another_table_is_refused() {
    let out = cargo(repo())
        .args([
            "run",
            "-q",
            "-p",
            "tiny-log-demo",
            "--features",
            "extra",
            "--",
            "--emit",
        ])
        .env("CARGO_TARGET_DIR", own_target_dir("tiny-log-extra"))
        .output()
        .unwrap();
    let hex = success_stdout(&out);
    let decoded = demo(&["--decode"], Some(&hex));
    assert!(!decoded.status.success());
    let err = stderr(&decoded);
    assert!(
        err.contains("the program's message table (fingerprint")
            && err.contains("build the decoder from the same source and cfgs as the program"),
        "{err}"
    );
}

#[test]
fn log_calls_are_checked_at_compile_time() {
    let s = Scratch::new("tiny-log-errors");
    let tiny_log = repo().join("examples/tiny-log");
    s.write(
        "Cargo.toml",
        &format!(
            "[package]\nname = \"tiny-log-errors\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\ntiny-log = {{ path = {:?} }}\n\n[workspace]\n",
            tiny_log.display().to_string()
        ),
    );
    s.write(
        "src/main.rs",
        "tiny_log::messages!();\nfn main() {\n    tiny_log::info!(\"{} and {}\", 1);\n    \
         tiny_log::info!(\"{name}\", 2);\n}\n",
    );
    let out = cargo(s.dir()).args(["build", "-q"]).output().unwrap();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("the format string has 2 `{}` but 1 argument follow"),
        "{err}"
    );
    assert!(err.contains("src/main.rs:3:21"), "{err}");
    assert!(err.contains("tiny-log formats only `{}`"), "{err}");

    // A `macro_rules!` wrapper's calls are not the framework's macro: the scan cannot see what
    // they expand to, and the registry says so where the wrapper is called.
    s.write(
        "src/main.rs",
        "tiny_log::messages!();\nmacro_rules! my_info { ($($t:tt)*) => { tiny_log::info!($($t)*) } }\n\
         fn main() {\n    my_info!(\"wrapped {}\", 1);\n}\n",
    );
    let out = cargo(s.dir()).args(["build", "-q"]).output().unwrap();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("this call was not found by the scan of registry `__TINY_LOG_MESSAGES`")
            && err.contains("not a call written by another macro")
            && err.contains("src/main.rs:2:41")
            && err.contains("my_info!(\"wrapped {}\", 1);")
            && !err.contains("report this case"),
        "{err}"
    );

    s.write(
        "src/main.rs",
        "fn main() {\n    tiny_log::info!(\"no table\");\n}\n",
    );
    let out = cargo(s.dir()).args(["build", "-q"]).output().unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("add `tiny_log::messages!();` at the crate root"),
        "{err}"
    );
}
