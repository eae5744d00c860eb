//! Where a proc macro runs: rustc's command line, the crate root it names, and the paths the
//! scan and the macros compare.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::hash::hash_bytes;

/// Where a proc macro is running.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Inside rustc (or clippy, or rustdoc) compiling a crate whose root file is known.
    Compiler {
        /// The crate root file, absolute, as rustc names it: through symlinks, since rustc
        /// looks for `mod x;` next to the path it was given, not next to a link's target.
        root: PathBuf,
        /// Identifies this compilation: equal for every macro expanded in it, different for any
        /// other crate (or the same crate compiled as a test).
        crate_hash: u64,
    },
    /// Inside rustc, but with no readable crate root (e.g. a doctest read from standard input).
    CompilerWithoutRoot {
        /// Identifies this compilation, as above.
        crate_hash: u64,
    },
    /// Somewhere else, typically an IDE's proc-macro server: spans carry no files and the crate
    /// is not compiled. Registries are left empty there and no registration is reported.
    Ide,
}

/// Detects where this proc macro runs and, in a compiler, the crate root file.
///
/// The crate root is the source file on rustc's command line (`std::env::args()` of a proc macro
/// is rustc's). `explicit_root`, relative to `CARGO_MANIFEST_DIR`, takes precedence; Cargo's target
/// conventions are the fallback. An IDE is recognized positively (its proc-macro server), never
/// by elimination, so that nothing that compiles code ever gets an empty registry.
///
/// ```
/// // In a framework's proc macro:
/// match gather_scan::mode(None) {
///     gather_scan::Mode::Compiler { root, .. } => {
///         let krate = gather_scan::scan(&root);
///         let _uses_main = krate.root_invokes(&["my_framework", "main"]);
///     }
///     gather_scan::Mode::CompilerWithoutRoot { .. } => { /* report: no crate root */ }
///     gather_scan::Mode::Ide => { /* expand to something that type-checks */ }
/// }
/// ```
pub fn mode(explicit_root: Option<&str>) -> Mode {
    match explicit_root {
        None => default_mode().clone(),
        Some(_) => detect_mode(explicit_root),
    }
}

/// [`mode`]`(None)`, computed once: every registration asks, and the answer is fixed for the
/// whole compilation.
pub(crate) fn default_mode() -> &'static Mode {
    static DEFAULT: OnceLock<Mode> = OnceLock::new();
    DEFAULT.get_or_init(|| detect_mode(None))
}

fn detect_mode(explicit_root: Option<&str>) -> Mode {
    let args = command_line();
    let Some(args) = args else { return Mode::Ide };
    let crate_hash = hash_bytes(args.join("\u{0}").as_bytes());
    if let Some(root) = explicit_root {
        let dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let path = dir
            .map(|d| d.join(root))
            .unwrap_or_else(|| PathBuf::from(root));
        return Mode::Compiler {
            root: as_named(&path),
            crate_hash,
        };
    }
    // Source on standard input (rustdoc's standalone doctests): no file to scan, and Cargo's
    // conventions would name the wrong one.
    if positional_args(&args).any(|a| a == "-") {
        return Mode::CompilerWithoutRoot { crate_hash };
    }
    if let Some(root) = root_from_args(&args) {
        return Mode::Compiler {
            root: as_named(&root),
            crate_hash,
        };
    }
    if let Some(root) = root_from_cargo_conventions(&args) {
        return Mode::Compiler {
            root: as_named(&root),
            crate_hash,
        };
    }
    Mode::CompilerWithoutRoot { crate_hash }
}

/// rustc's command line with `@file` arguments expanded, or `None` outside rustc.
fn command_line() -> Option<Vec<String>> {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        let arg = arg.to_string_lossy().into_owned();
        if let Some(file) = arg.strip_prefix('@') {
            // Cargo passes long command lines through an argument file, one argument per line.
            let text = std::fs::read_to_string(file).ok()?;
            args.extend(text.lines().map(str::to_owned));
        } else {
            args.push(arg);
        }
    }
    // An empty registry is only acceptable where nothing is compiled, so the IDE case must be
    // recognized positively: anything that looks like a compiler (rustc, clippy-driver,
    // rustdoc, a wrapper passing rustc's arguments) is treated as one.
    let argv0 = std::env::args_os().next().unwrap_or_default();
    let program = Path::new(&argv0)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let looks_like_ide = program.contains("rust-analyzer") || program.contains("proc-macro-srv");
    let has_compiler_args = args.iter().any(|a| {
        a == "--crate-name"
            || a.starts_with("--crate-name=")
            || a == "--crate-type"
            || a.starts_with("--crate-type=")
            || a == "-"
            || a.ends_with(".rs")
    });
    let is_compiler = !looks_like_ide || has_compiler_args;
    is_compiler.then_some(args)
}

// rustc options that take their value as the next argument.
const TAKES_VALUE: &[&str] = &[
    "--crate-name",
    "--edition",
    "--crate-type",
    "--emit",
    "--print",
    "-o",
    "--out-dir",
    "--explain",
    "--target",
    "--cap-lints",
    "--error-format",
    "--json",
    "--color",
    "--cfg",
    "--check-cfg",
    "-L",
    "-l",
    "--extern",
    "--sysroot",
    "--remap-path-prefix",
    "--diagnostic-width",
    "-C",
    "-Z",
    "-A",
    "-W",
    "-D",
    "-F",
    "--force-warn",
    "--env-set",
    "--crate-version",
    "--test-builder",
    "--test-run-directory",
    "--persist-doctests",
    "--runtool",
    "--runtool-arg",
    "--doctest-compilation-args",
];

/// rustc's arguments that are not options nor option values.
fn positional_args(args: &[String]) -> impl Iterator<Item = &String> {
    let mut skip = false;
    args.iter().filter(move |arg| {
        if skip {
            skip = false;
            return false;
        }
        if TAKES_VALUE.contains(&arg.as_str()) {
            skip = true;
            return false;
        }
        arg.as_str() == "-" || !arg.starts_with('-')
    })
}

fn root_from_args(args: &[String]) -> Option<PathBuf> {
    positional_args(args)
        .filter(|a| a.ends_with(".rs") && Path::new(a).is_file())
        .last()
        .map(PathBuf::from)
}

fn root_from_cargo_conventions(args: &[String]) -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let is_test = args.iter().any(|a| a == "--test");
    let candidates: Vec<PathBuf> = if let Ok(bin) = std::env::var("CARGO_BIN_NAME") {
        vec![
            dir.join(format!("src/bin/{bin}.rs")),
            dir.join(format!("src/bin/{bin}/main.rs")),
            dir.join("src/main.rs"),
        ]
    } else {
        let name = std::env::var("CARGO_CRATE_NAME").unwrap_or_default();
        let mut v = vec![dir.join("src/lib.rs")];
        if is_test {
            v.push(dir.join(format!("tests/{name}.rs")));
            v.push(dir.join(format!("tests/{name}/main.rs")));
        }
        v.push(dir.join("src/main.rs"));
        v
    };
    candidates.into_iter().find(|p| p.is_file())
}

/// A path made absolute, symlinks left as they are (see [`Mode::Compiler`]).
fn as_named(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The name of the crate being compiled: rustc's `--crate-name`, else Cargo's, else `None`.
pub(crate) fn crate_name() -> Option<String> {
    let args = command_line()?;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--crate-name" {
            return it.next().cloned();
        }
        if let Some(name) = a.strip_prefix("--crate-name=") {
            return Some(name.to_owned());
        }
    }
    std::env::var("CARGO_CRATE_NAME").ok()
}

/// A path made absolute and free of symlinks, so the scan and the macros name a file alike.
///
/// ```
/// let here = gather_scan::canonical(std::path::Path::new("."));
/// assert!(here.is_absolute());
/// ```
pub fn canonical(path: &Path) -> PathBuf {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, PathBuf>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(p) = cache.lock().unwrap().get(path) {
        return p.clone();
    }
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    });
    cache
        .lock()
        .unwrap()
        .insert(path.to_path_buf(), resolved.clone());
    resolved
}
