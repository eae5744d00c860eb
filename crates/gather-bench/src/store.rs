//! Where results live: `<target dir>/gather-bench/`, with one directory per saved baseline
//! (`<NAME>/<bench target>/<bench>.txt`) and the HTML report (`report/`).
//!
//! A baseline file is plain text of this crate's own, line-oriented format:
//!
//! ```text
//! gather-bench baseline 1
//! name parse::json::<arg>
//! iters 1024
//! samples 12.5 12.7 12.4 ...
//! ```
//!
//! `samples` are the per-iteration times of each sample, in nanoseconds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const MAGIC: &str = "gather-bench baseline 1";

/// `<target dir>/gather-bench`: `GATHER_BENCH_DIR` if set, else found from the benchmark
/// binary's path (`<target>/[<triple>/]<profile>/deps/<bin>`): the nearest ancestor holding
/// cargo's `CACHEDIR.TAG`, or, failing that, two levels above `deps`.
pub(crate) fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("GATHER_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    for dir in exe.ancestors().skip(1) {
        if dir.join("CACHEDIR.TAG").is_file() {
            return dir.join("gather-bench");
        }
    }
    let deps = exe.parent().unwrap_or(Path::new("."));
    let profile = if deps.ends_with("deps") {
        deps.parent().unwrap_or(deps)
    } else {
        deps
    };
    profile.parent().unwrap_or(profile).join("gather-bench")
}

/// The bench target's name: the binary's file name without cargo's `-<hash>` suffix.
pub(crate) fn target_name() -> String {
    let exe = std::env::current_exe().unwrap_or_default();
    let stem = exe
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("bench")
        .to_owned();
    match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name.to_owned()
        }
        _ => stem,
    }
}

/// A file name for a benchmark name: `::` becomes `.`, characters other than ASCII letters,
/// digits, `_` and `-` become `%XX`; so distinct names never share a file.
pub(crate) fn file_name(bench: &str) -> String {
    let mut out = String::new();
    let mut rest = bench;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("::") {
            out.push('.');
            rest = after;
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Checks a baseline name given on the command line: it becomes a directory name.
pub(crate) fn check_baseline_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name != "report"
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !name.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid baseline name `{name}`: use letters, digits, `_`, `-` and `.` (and not `report`, which holds the HTML report)"
        ))
    }
}

pub(crate) fn baseline_dir(root: &Path, baseline: &str, target: &str) -> PathBuf {
    root.join(baseline).join(target)
}

/// A saved run of one benchmark.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Saved {
    pub name: String,
    pub iters: u64,
    pub samples: Vec<f64>,
}

pub(crate) fn encode(saved: &Saved) -> String {
    let mut s = format!(
        "{MAGIC}\nname {}\niters {}\nsamples",
        saved.name, saved.iters
    );
    for x in &saved.samples {
        // `{}` prints the shortest text that reads back as the same f64.
        let _ = write!(s, " {x}");
    }
    s.push('\n');
    s
}

pub(crate) fn decode(text: &str) -> Result<Saved, String> {
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return Err(format!("does not start with `{MAGIC}`"));
    }
    let mut name = None;
    let mut iters = None;
    let mut samples = None;
    for line in lines {
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        match key {
            "name" => name = Some(value.to_owned()),
            "iters" => {
                iters = Some(
                    value
                        .parse::<u64>()
                        .map_err(|e| format!("bad `iters`: {e}"))?,
                )
            }
            "samples" => {
                let xs = value
                    .split_whitespace()
                    .map(|x| x.parse::<f64>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("bad `samples`: {e}"))?;
                samples = Some(xs);
            }
            // Lines of later versions are skipped.
            _ => {}
        }
    }
    let (Some(name), Some(iters), Some(samples)) = (name, iters, samples) else {
        return Err("missing `name`, `iters` or `samples`".to_owned());
    };
    if samples.len() < 2 {
        return Err("fewer than two samples".to_owned());
    }
    Ok(Saved {
        name,
        iters,
        samples,
    })
}

pub(crate) fn save(dir: &Path, saved: &Saved) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{}.txt", file_name(&saved.name)));
    // Write then rename: an interrupted run never leaves half a baseline.
    let tmp = path.with_extension("txt.tmp");
    std::fs::write(&tmp, encode(saved))?;
    std::fs::rename(&tmp, &path)
}

/// The saved run of `bench`, `Ok(None)` if this baseline has none for it.
pub(crate) fn load(dir: &Path, bench: &str) -> Result<Option<Saved>, String> {
    let path = dir.join(format!("{}.txt", file_name(bench)));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let saved = decode(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if saved.name != bench {
        return Err(format!(
            "{}: holds `{}`, not `{bench}`",
            path.display(),
            saved.name
        ));
    }
    Ok(Some(saved))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_distinct_and_safe() {
        assert_eq!(file_name("a::b"), "a.b");
        assert_eq!(file_name("fib::<10>"), "fib.%3C10%3E");
        assert_eq!(file_name("x.y"), "x%2Ey");
        assert_eq!(file_name("s::µ"), "s.%C2%B5");
        assert_ne!(file_name("a::b"), file_name("a.b"));
        assert_ne!(file_name("a:b"), file_name("a::b"));
    }

    #[test]
    fn round_trip_is_exact() {
        let saved = Saved {
            name: "m::f::1<<10".to_owned(),
            iters: 77,
            samples: vec![0.1, 1.0 / 3.0, 12345.678901234, 0.0],
        };
        assert_eq!(decode(&encode(&saved)).unwrap(), saved);
        assert!(decode("nonsense").is_err());
        assert!(decode("gather-bench baseline 1\nname a\niters 1\nsamples 1 x\n").is_err());
        assert!(decode("gather-bench baseline 1\nname a\nsamples 1 2\n").is_err());
    }

    #[test]
    fn save_and_load() {
        let dir = std::env::temp_dir().join(format!("gather-bench-store-{}", std::process::id()));
        let saved = Saved {
            name: "a::b".to_owned(),
            iters: 3,
            samples: vec![1.5, 2.5],
        };
        save(&dir, &saved).unwrap();
        assert_eq!(load(&dir, "a::b").unwrap(), Some(saved));
        assert_eq!(load(&dir, "a::c").unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn baseline_names() {
        assert!(check_baseline_name("main-2024.1_x").is_ok());
        for bad in ["", "report", "../x", "a/b", ".hidden", "a b"] {
            assert!(check_baseline_name(bad).is_err(), "{bad}");
        }
        // This test binary is `target/.../deps/gather_bench-<16 hex digits>`.
        assert_eq!(target_name(), "gather_bench");
    }
}
