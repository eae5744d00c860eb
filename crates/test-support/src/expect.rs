//! Checks against expected files, and `BLESS=1` to write them (see the crate's documentation).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use crate::repo;

/// Whether this run writes expected files instead of checking them (`BLESS=1`).
fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| v == "1")
}

/// `actual` must equal the contents of `expected_file`; with `BLESS=1`, it is written there.
#[track_caller]
pub fn assert_eq_file(actual: &str, expected_file: impl AsRef<Path>) {
    let path = expected_file.as_ref();
    if blessing() {
        write(path, actual);
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): run with BLESS=1 to create it",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "output differs from {} (BLESS=1 rewrites it)",
        path.display()
    );
}

/// The compile-fail cases of `fixture_dir`: each `<cases_dir>/<name>.rs` must fail to build
/// with `build(name)`, and each line of `expected/<name>.txt` must appear in the build's stderr
/// (in any order; paths under the repository are written relative to it). A case without an
/// expected file, an expected file without a case, and a case that builds are failures. All
/// cases are built before the failures are reported together.
#[track_caller]
pub fn assert_compile_errors(
    fixture_dir: &Path,
    cases_dir: &str,
    mut build: impl FnMut(&str) -> Output,
) {
    let expected_dir = fixture_dir.join("expected");
    let cases = file_stems(&fixture_dir.join(cases_dir), "rs");
    let expectations = file_stems(&expected_dir, "txt");
    let mut failures = Vec::new();
    for orphan in expectations.difference(&cases) {
        failures.push(format!(
            "expected/{orphan}.txt has no case {cases_dir}/{orphan}.rs"
        ));
    }
    for name in &cases {
        let expected_file = expected_dir.join(format!("{name}.txt"));
        if !expectations.contains(name) && !blessing() {
            failures.push(format!(
                "{cases_dir}/{name}.rs has no expected/{name}.txt (BLESS=1 creates it)"
            ));
            continue;
        }
        let out = build(name);
        let stderr = relative_to_repo(&String::from_utf8_lossy(&out.stderr));
        if out.status.success() {
            failures.push(format!("{name}: compiled, but must not"));
            continue;
        }
        let has_expected = expectations.contains(name);
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if has_expected && expected.trim().is_empty() && !blessing() {
            failures.push(format!(
                "expected/{name}.txt is empty: it would accept any error"
            ));
            continue;
        }
        let missing: Vec<&str> = expected
            .lines()
            .filter(|line| !stderr.contains(line))
            .collect();
        if has_expected && missing.is_empty() && !expected.trim().is_empty() {
            continue;
        }
        if blessing() {
            // Only a compiler's failure is recorded, not cargo's (an unknown target, say).
            if stderr.contains("error: could not compile") {
                write(&expected_file, &blessed_lines(&stderr, &expected));
            } else {
                failures.push(format!(
                    "{name}: not blessed, nothing was compiled:\n{stderr}"
                ));
            }
            continue;
        }
        for line in missing {
            failures.push(format!("{name}: missing `{line}` in:\n{stderr}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} (BLESS=1 rewrites expected files)\n\n{}",
        fixture_dir.display(),
        failures.join("\n\n")
    );
}

/// The names of the `*.ext` files directly in `dir`.
fn file_stems(dir: &Path, ext: &str) -> BTreeSet<String> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == ext))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Paths under the repository made relative to it (rustc prints the absolute path of files
/// outside the crate being compiled), and line ends made `\n`: so expected files hold no
/// machine's paths.
fn relative_to_repo(text: &str) -> String {
    let root = format!("{}/", repo().display());
    text.replace('\r', "").replace(&root, "")
}

/// What `BLESS=1` writes for a compile error: each `error...` line of `stderr` with the ` --> `
/// line that follows it, and, in their place, the lines of the `previous` expectation that still
/// appear (hand-picked lines survive).
fn blessed_lines(stderr: &str, previous: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut after_error = false;
    for line in stderr.lines() {
        let headline = line.starts_with("error") || (after_error && line.starts_with(" --> "));
        after_error = line.starts_with("error");
        if headline {
            kept.push(line);
        } else if let Some(old) = previous
            .lines()
            .find(|old| !old.is_empty() && line.contains(old) && !kept.contains(old))
        {
            kept.push(old);
        }
    }
    kept.iter().map(|line| format!("{line}\n")).collect()
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the expected file's directory");
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    eprintln!("blessed {}", path.display());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blessing_keeps_errors_their_places_and_surviving_lines() {
        let stderr = "error[E0308]: mismatched types\n --> src/bin/a.rs:3:22\n  |\n3 | x\n  \
                      |  ^ expected `&str`\n\nFor more information\n\
                      error: could not compile `f` (bin \"a\") due to 1 previous error\n";
        assert_eq!(
            blessed_lines(stderr, ""),
            "error[E0308]: mismatched types\n --> src/bin/a.rs:3:22\n\
             error: could not compile `f` (bin \"a\") due to 1 previous error\n"
        );
        assert_eq!(
            blessed_lines(stderr, "error[E0308]: old wording\n^ expected `&str`\n"),
            "error[E0308]: mismatched types\n --> src/bin/a.rs:3:22\n^ expected `&str`\n\
             error: could not compile `f` (bin \"a\") due to 1 previous error\n"
        );
    }

    #[test]
    fn repository_paths_become_relative() {
        let text = format!("at {}/tests/fixtures/x.rs:1:2\r\n", repo().display());
        assert_eq!(relative_to_repo(&text), "at tests/fixtures/x.rs:1:2\n");
    }
}
