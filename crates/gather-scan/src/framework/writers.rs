//! Other crates' macros that write libtest's `#[test]` on the functions they make: under
//! `harness = false` rustc leaves those functions out, so each use must be written in a way that
//! makes them the framework's tests, or it is a compile error that says how.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::model::{Crate, Resolution, TestWriter};

/// Whether `path` names libtest's `#[test]` by a full path (`::core::prelude::v1::test`).
fn is_builtin_path(path: &[String]) -> bool {
    matches!(
        path.iter().map(String::as_str).collect::<Vec<_>>()[..],
        ["" | "core" | "std", ..]
    ) && path.iter().any(|s| s == "prelude")
}

/// A compile error at `at` for each use of a [`TestWriter`] in `krate` whose tests would be left
/// out, under the use's `#[cfg]`s. `framework_test` is the framework's attribute
/// (`["gather_test", "test"]`).
pub(super) fn lost_tests(krate: &Crate, framework_test: &[&str], at: Span) -> TokenStream {
    let ours: Vec<String> = framework_test.iter().map(|s| s.to_string()).collect();
    let framework = framework_test.join("::");
    let is_ours = |w: &TestWriter, path: &[String]| matches!(krate.resolve(w.scope, path), Resolution::External(p) if p == ours);
    let mut errors = TokenStream::new();
    for w in &krate.test_writers {
        let name = w.path.last().map(String::as_str).unwrap_or("");
        let written = w.path.join("::");
        // Formatted only for a message (a crate has a record per use of the framework's attribute).
        let place = || format!("{}:{}", crate::codegen::shown(&w.file), w.line);
        let message = match name {
            // rstest writes no `#[test]` of its own when the function has an attribute whose
            // path ends in `test`, and copies that one onto every case; an attribute above a
            // `#[case]` is that case's alone. (Written above `#[rstest]`, the framework's
            // attribute says what to do itself.)
            "rstest" => {
                let last_case = w
                    .beside
                    .iter()
                    .rposition(|p| p.first().is_some_and(|s| s == "case"));
                match w.beside.iter().rposition(|p| is_ours(w, p)) {
                    Some(i) if last_case.is_none_or(|c| i > c) => continue,
                    Some(_) => format!(
                        "`#[{framework}]` above a `#[case]` of `#[{written}]` at {place} is that case's alone, and \
                         rstest writes libtest's `#[test]` on the other cases, which under `harness = false` \
                         rustc leaves out: write `#[{framework}]` after the last `#[case]`, right above the function",
                        place = place()
                    ),
                    None => format!(
                        "`#[{written}]` at {place} writes libtest's `#[test]` on each case, and under `harness = false` \
                         rustc leaves those out: write `#[{framework}]` as the function's last attribute, after \
                         any `#[case]` (rstest then puts it on each case instead)",
                        place = place()
                    ),
                }
            }
            // test-case puts libtest's `#[test]` first on each case of a function, whatever
            // other attributes it has.
            "test_case" | "test_matrix" => format!(
                "`#[{written}]` at {place} writes libtest's `#[test]` on each case, and under `harness = false` \
                 rustc leaves those out: write the cases with rstest instead (`#[rstest::rstest]`, then \
                 `#[case(..)]` per case, then `#[{framework}]` last, and `#[case]` on each parameter)",
                place = place()
            ),
            // A bare `quickcheck!` may be the crate's own macro of that name.
            "quickcheck"
                if !w.attribute && w.path.len() == 1 && krate.local_macros.contains(name) =>
            {
                continue;
            }
            "quickcheck" if is_ours(w, &["test".to_owned()]) => continue,
            // Another crate's `#[test]`-named attribute: the framework's own, or libtest's by a
            // full path (which `builtin_tests` reports), or one that writes libtest's (tokio's,
            // test-log's) on the function it makes.
            "test" if w.path == ours || is_builtin_path(&w.path) || is_ours(w, &w.path) => continue,
            "test" => format!(
                "`#[{written}]` at {place} writes libtest's `#[test]` on the function it makes, and under \
                 `harness = false` rustc leaves that out: write a `#[{framework}]` function instead, which \
                 does what it did (for an async test: `block_on` the body on a runtime it builds)",
                place = place()
            ),
            _ => {
                let shown = match w.attribute {
                    true => format!("#[{written}]"),
                    false => format!("{written}!"),
                };
                format!(
                    "`{shown}` at {place} writes libtest's `#[test]`, and under `harness = false` rustc \
                     leaves those tests out: add `use {framework};` to the module where it is used, so \
                     that its `#[test]` is `#[{framework}]`",
                    place = place()
                )
            }
        };
        let cfg = crate::cfg::all_of(&w.cfg)
            .and_then(|p| p.parse::<TokenStream>().ok())
            .map(|p| quote!(#[cfg(#p)]));
        errors.extend(quote::quote_spanned!(at=> #cfg ::core::compile_error!(#message);));
    }
    errors
}

#[cfg(test)]
mod tests {
    use crate::testing::scan_files;

    /// The messages of `lost_tests` for a crate whose root is `source`, each cut after its
    /// first `: ` (what is wrong, without what to write).
    fn lost(source: &str) -> Vec<String> {
        let (krate, dir) = scan_files(&[("main.rs", source)]);
        let errors = super::lost_tests(&krate, &["fw", "test"], proc_macro2::Span::call_site());
        let dir = format!("{}/", crate::env::canonical(&dir).display());
        let text = errors.to_string().replace(&dir, "");
        text.split("compile_error ! (\"")
            .skip(1)
            .map(|e| e.split(": ").next().unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn uses_whose_tests_would_be_lost_are_reported() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "quickcheck! without the import",
                "quickcheck::quickcheck! { fn p() -> bool { true } }",
                &[
                    "`quickcheck::quickcheck!` at main.rs:1 writes libtest's `#[test]`, and under `harness = false` rustc leaves those tests out",
                ],
            ),
            (
                "quickcheck! with the import",
                "use fw::test;\nquickcheck::quickcheck! { fn p() -> bool { true } }",
                &[],
            ),
            (
                "the crate's own quickcheck!",
                "macro_rules! quickcheck { () => {} }\nquickcheck! {}",
                &[],
            ),
            (
                "another crate's beside the own",
                "macro_rules! quickcheck { () => {} }\nqc::quickcheck! {}",
                &[
                    "`qc::quickcheck!` at main.rs:2 writes libtest's `#[test]`, and under `harness = false` rustc leaves those tests out",
                ],
            ),
            (
                "#[quickcheck] in a module with the import",
                "mod m { use fw::test;\n#[quickcheck]\nfn p(x: u8) -> bool { true } }",
                &[],
            ),
            (
                "rstest with the attribute last",
                "#[rstest]\n#[case(1)]\n#[fw::test]\nfn t(#[case] x: u8) {}",
                &[],
            ),
            (
                "rstest without it",
                "#[rstest]\n#[case(1)]\nfn t(#[case] x: u8) {}",
                &[
                    "`#[rstest]` at main.rs:1 writes libtest's `#[test]` on each case, and under `harness = false` rustc leaves those out",
                ],
            ),
            (
                "rstest with it above a case",
                "#[rstest]\n#[fw::test]\n#[case(1)]\n#[case(2)]\nfn t(#[case] x: u8) {}",
                &[
                    "`#[fw::test]` above a `#[case]` of `#[rstest]` at main.rs:1 is that case's alone, and rstest writes libtest's `#[test]` on the other cases, which under `harness = false` rustc leaves out",
                ],
            ),
            (
                "test_case, whatever else",
                "#[test_case(1)]\n#[fw::test]\nfn t(x: u8) {}",
                &[
                    "`#[test_case]` at main.rs:1 writes libtest's `#[test]` on each case, and under `harness = false` rustc leaves those out",
                ],
            ),
        ];
        for (name, source, expected) in cases {
            assert_eq!(lost(source), *expected, "case `{name}`");
        }
    }
}
