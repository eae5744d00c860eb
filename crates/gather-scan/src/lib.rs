//! The source scanner behind [gather](https://docs.rs/gather)'s registries.
//!
//! A registry's proc macro cannot ask rustc which registrations exist, so it reads the crate's
//! module files itself: starting from the crate root that rustc is compiling, it follows `mod`
//! declarations with rustc's rules (`mod.rs` and non-`mod.rs` files, inline modules, `#[path]`,
//! `#[cfg_attr(.., path = ..)]`, `include!`) and records every registration together with the
//! `#[cfg]`s around it and the scope its path is resolved in. Each registration gets an id from its
//! source position, computed the same way by the scan and by the registration's own macro
//! ([`span_id`]), so the two meet in the generated code without sharing any state.
//!
//! Framework authors use this crate from their own proc macros. An attribute such as
//! `#[my_framework::test]` becomes a registration of the registry that the framework's `main!()`
//! declares with `#[gather::registry(attribute = my_framework::test)]`; the attribute macro emits
//! the registration with [`registration`] and [`attribute_registration`]. The example framework in
//! gather's repository (`examples/tiny-test`) is the whole recipe.
#![deny(missing_docs)]

extern crate proc_macro;

mod codegen;
pub mod framework;
mod lex;
mod plan;
mod resolve;
mod walk;

pub use codegen::{RegistrationValue, plain_path_const, registration};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub use plan::{Form, RegistryId, const_name};
pub use resolve::Resolution;
pub use walk::{Crate, Registration, RegistrationKind, Scope, ScopeId, Vis};

/// Where a proc macro is running.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Inside rustc (or clippy, or rustdoc) compiling a crate whose root file is known.
    Compiler {
        /// The crate root file, canonicalized.
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
fn default_mode() -> &'static Mode {
    static DEFAULT: OnceLock<Mode> = OnceLock::new();
    DEFAULT.get_or_init(|| detect_mode(None))
}

/// The scan of the crate being compiled (with the default crate root), once per compilation.
pub(crate) fn default_crate() -> Option<&'static Arc<Crate>> {
    static CRATE: OnceLock<Option<Arc<Crate>>> = OnceLock::new();
    CRATE
        .get_or_init(|| match default_mode() {
            Mode::Compiler { root, .. } => Some(scan(root)),
            _ => None,
        })
        .as_ref()
}

/// The crate hash of this compilation, 0 in an IDE.
pub(crate) fn default_crate_hash() -> u64 {
    match default_mode() {
        Mode::Compiler { crate_hash, .. } | Mode::CompilerWithoutRoot { crate_hash } => *crate_hash,
        Mode::Ide => 0,
    }
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
            root: canonical(&path),
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
            root: canonical(&root),
            crate_hash,
        };
    }
    if let Some(root) = root_from_cargo_conventions(&args) {
        return Mode::Compiler {
            root: canonical(&root),
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

/// The id of a registration at `line` (1-based) and `column` (0-based, in chars) of `file`
/// (canonical).
///
/// ```
/// use std::path::Path;
/// let a = gather_scan::position_id(Path::new("/src/lib.rs"), 3, 0);
/// assert_eq!(a, gather_scan::position_id(Path::new("/src/lib.rs"), 3, 0));
/// assert_ne!(a, gather_scan::position_id(Path::new("/src/lib.rs"), 3, 1));
/// ```
pub fn position_id(file: &Path, line: usize, column: usize) -> u64 {
    position_id_from(file_state(file), line, column)
}

/// The hash state after a file's path: computed once per file, then one id per position.
fn file_state(file: &Path) -> u64 {
    fnv(FNV_START, file.as_os_str().as_encoded_bytes()) ^ 0xff
}

fn position_id_from(state: u64, line: usize, column: usize) -> u64 {
    let state = fnv(state.wrapping_mul(FNV_PRIME), &(line as u64).to_le_bytes());
    finish(fnv(state, &(column as u64).to_le_bytes()))
}

/// The registration id of a token's position, as the scan computes it for the same token.
/// `None` where the span has no file (an IDE, or tokens made up by a macro).
///
/// ```no_run
/// extern crate proc_macro;
/// // In a function-like proc macro: the registration's id is that of its first input token.
/// fn id_of(input: proc_macro::TokenStream) -> Option<u64> {
///     input.into_iter().next().and_then(|t| gather_scan::span_id(t.span()))
/// }
/// ```
pub fn span_id(span: proc_macro::Span) -> Option<u64> {
    // Consecutive registrations are mostly in the same file: keep its hash state.
    thread_local! {
        static LAST: std::cell::RefCell<Option<(PathBuf, u64)>> = const { std::cell::RefCell::new(None) };
    }
    let file = span.local_file()?;
    let state = LAST.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some((f, state)) if *f == file => *state,
            _ => {
                let state = file_state(&canonical(&file));
                *last = Some((file, state));
                state
            }
        }
    });
    // proc_macro counts columns from 1, the scan from 0.
    Some(position_id_from(
        state,
        span.line(),
        span.column().saturating_sub(1),
    ))
}

/// The id of the registration made by the attribute macro currently being expanded: the position
/// of the attribute's `#`, which is where the scan records attribute registrations. Call it from
/// a framework's attribute macro. `None` in an IDE.
///
/// ```no_run
/// # use quote::quote;
/// // The body of `#[my_framework::test]` (see examples/tiny-test in gather's repository):
/// let registration = gather_scan::registration(
///     &quote!(::my_framework::__gather),
///     &quote!(crate::__MY_TESTS),
///     gather_scan::attribute_registration(),
///     gather_scan::RegistrationValue::One(quote!(::my_framework::Test { run: the_function })),
/// );
/// ```
pub fn attribute_registration() -> Option<u64> {
    span_id(proc_macro::Span::call_site())
}

/// How many self types registration impls are spread over (`gather::__private::B0..B1023`).
#[doc(hidden)]
pub const BUCKETS: u64 = 1024;

/// FNV-1a followed by a 64-bit finalizer: stable across platforms, processes and versions.
///
/// ```
/// assert_eq!(gather_scan::hash_bytes(b"gather"), gather_scan::hash_bytes(b"gather"));
/// assert_ne!(gather_scan::hash_bytes(b"a"), gather_scan::hash_bytes(b"b"));
/// ```
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    finish(fnv(FNV_START, bytes))
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Scans the crate whose root file is `root` (canonical). The result is cached for the rest of
/// this compilation, so a crate with many registries is read once.
///
/// ```
/// let dir = std::env::temp_dir().join("gather-scan-doc");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("lib.rs"), "mod a;\n#[cfg(unix)]\nmy_framework::main!();\n").unwrap();
/// std::fs::write(dir.join("a.rs"), "gather::register!(crate::R, 1);\n").unwrap();
/// let krate = gather_scan::scan(&gather_scan::canonical(&dir.join("lib.rs")));
/// let r = &krate.registrations[0];
/// assert_eq!((r.line, r.column, &r.path[..]), (1, 18, &["crate".to_string(), "R".into()][..]));
/// assert!(krate.root_invokes(&["my_framework", "main"]));
/// ```
pub fn scan(root: &Path) -> Arc<Crate> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Crate>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(c) = cache.lock().unwrap().get(root) {
        return c.clone();
    }
    let scanned = Arc::new(walk::scan_crate(root));
    cache
        .lock()
        .unwrap()
        .insert(root.to_path_buf(), scanned.clone());
    scanned
}
