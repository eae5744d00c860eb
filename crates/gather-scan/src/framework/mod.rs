//! Helpers for a framework's attribute macro (such as `#[gather_test::test]`), beyond the
//! registration itself: the check that the target calls the framework's `main!()`, and
//! libtest's `#[ignore]` attribute.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;

use crate::env::Mode;
use crate::session::scan;

mod plain;
mod writers;

pub use plain::{PlainFn, file, plain_fn, position};

/// Checks that the crate root being compiled invokes the framework's `main!()` macro
/// (`main_macro`, such as `["my_framework", "main"]`, under any name that resolves to it), and
/// otherwise returns the error `message` at `at`: a clearer error than the unresolved path to
/// the registry that the registration would otherwise produce. Outside a compiler, or without a
/// crate root to read ([`Mode`] other than `Compiler`), there is nothing to check.
///
/// ```
/// # use proc_macro2::Span;
/// // In `#[my_framework::test]`, with `name` the function's identifier:
/// # let name = syn::Ident::new("adds", Span::call_site());
/// let checked = gather_scan::framework::require_main(
///     &gather_scan::mode(None),
///     &["my_framework", "main"],
///     name.span(),
///     "`#[my_framework::test]` needs `my_framework::main!();` at the crate root",
/// );
/// if let Err(error) = checked {
///     // return error.to_compile_error().into();
/// #   let _ = error;
/// }
/// ```
pub fn require_main(mode: &Mode, main_macro: &[&str], at: Span, message: &str) -> syn::Result<()> {
    match mode {
        Mode::Compiler { root, .. } if !scan(root).root_invokes(main_macro) => {
            Err(syn::Error::new(at, message))
        }
        _ => Ok(()),
    }
}

/// The builtin `#[test]` attributes of the crate being compiled, which a framework's attribute of
/// the same name (`framework_test`, such as `["gather_test", "test"]`) does not replace: under
/// `harness = false` rustc leaves those functions out, so a framework reports them instead of
/// letting them be skipped in silence. Each comes as a compile error at the macro's call site
/// (`at`), under the `#[cfg]`s of the function, so that one rustc does not compile is not reported.
///
/// The same goes for other crates' macros that write libtest's `#[test]` themselves: rstest's
/// `#[rstest]` without the framework's attribute below it, test-case's `#[test_case]` (which
/// always puts libtest's first), another crate's attribute named `test` (`#[tokio::test]`), and
/// quickcheck's `quickcheck!` and `#[quickcheck]` in a module where `test` does not name the
/// framework's attribute (`use my_framework::test;`).
///
/// ```no_run
/// # use proc_macro2::Span;
/// // In a framework's `main!()` helper macro:
/// let errors = gather_scan::framework::builtin_tests(&["my_framework", "test"], Span::call_site());
/// # let _ = errors;
/// ```
pub fn builtin_tests(framework_test: &[&str], at: Span) -> TokenStream {
    let Mode::Compiler { root, .. } = crate::env::mode(None) else {
        return TokenStream::new();
    };
    let krate = scan(&root);
    let ours: Vec<String> = framework_test.iter().map(|s| s.to_string()).collect();
    let framework = framework_test.join("::");
    let mut errors = TokenStream::new();
    for r in &krate.registrations {
        let builtin_path = matches!(
            r.path.iter().map(String::as_str).collect::<Vec<_>>()[..],
            ["test"]
                | ["", "core" | "std", "prelude", _, "test"]
                | ["core" | "std", "prelude", _, "test"]
        );
        if r.kind != crate::model::RegistrationKind::Attribute || !builtin_path {
            continue;
        }
        if matches!(krate.resolve(r.scope, &r.path), crate::model::Resolution::External(p) if p == ours)
        {
            continue;
        }
        let message = format!(
            "`#[test]` at {}:{} is libtest's attribute, and under `harness = false` rustc leaves that function out: \
             write `#[{framework}]`, or add `use {framework};` to its module",
            crate::codegen::shown(&r.file),
            r.line,
        );
        let cfg = crate::cfg::all_of(&r.cfg)
            .and_then(|p| p.parse::<TokenStream>().ok())
            .map(|p| quote!(#[cfg(#p)]));
        errors.extend(quote::quote_spanned!(at=> #cfg ::core::compile_error!(#message);));
    }
    errors.extend(writers::lost_tests(&krate, framework_test, at));
    errors
}

/// The path of the item that the registration `id` is written on, as libtest names a test:
/// `module::path::name` without the crate's name (`name` is the item's). `None` where only the
/// compiler knows it (in a module a macro declares, in a function body, outside a compiler), for
/// the framework to fall back to `module_path!()`. A literal name costs rustc nothing to evaluate.
pub fn item_path(id: Option<u64>, name: &str) -> Option<String> {
    let krate = crate::session::default_crate()?;
    let r = krate.registration(id?)?;
    let placed = crate::codegen::placeable(r);
    if !placed || r.in_body || r.through_macro || krate.scopes[r.scope].through_macro {
        return None;
    }
    let mut path = krate.module_names(r.scope)?;
    path.push(name.to_owned());
    Some(path.join("::"))
}

/// What an `#[ignore]` attribute says, as libtest takes it.
#[derive(Clone, Debug)]
pub enum Ignore {
    /// `#[ignore]`.
    Yes,
    /// `#[ignore = reason]`.
    Reason(Box<syn::Expr>),
}

impl Ignore {
    /// Reads `#[ignore]` or `#[ignore = "reason"]`: `Ok(None)` if `attr` is another attribute,
    /// an error for another form (`#[ignore(..)]`).
    ///
    /// ```
    /// use gather_scan::framework::Ignore;
    ///
    /// let function: syn::ItemFn = syn::parse_quote! {
    ///     #[ignore = "slow"]
    ///     #[inline]
    ///     fn heavy() {}
    /// };
    /// let ignore = Ignore::from_attribute(&function.attrs[0]).unwrap();
    /// assert_eq!(ignore.unwrap().variant().to_string(), r#"Reason ("slow")"#);
    /// assert!(Ignore::from_attribute(&function.attrs[1]).unwrap().is_none());
    /// ```
    pub fn from_attribute(attr: &syn::Attribute) -> syn::Result<Option<Ignore>> {
        if !attr.path().is_ident("ignore") {
            return Ok(None);
        }
        match &attr.meta {
            syn::Meta::Path(_) => Ok(Some(Ignore::Yes)),
            syn::Meta::NameValue(nv) => Ok(Some(Ignore::Reason(Box::new(nv.value.clone())))),
            syn::Meta::List(list) => Err(syn::Error::new(
                list.span(),
                "expected `#[ignore]` or `#[ignore = \"reason\"]`",
            )),
        }
    }

    /// The variant of an enum shaped like `gather_harness::Ignore` (`No`, `Yes`,
    /// `Reason(&'static str)`), to follow `path::to::Ignore::` in the expansion: `Yes` or
    /// `Reason(reason)`.
    pub fn variant(&self) -> TokenStream {
        match self {
            Ignore::Yes => quote!(Yes),
            Ignore::Reason(reason) => quote!(Reason(#reason)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TempDir, write_crate};
    use std::path::PathBuf;

    /// A crate root file with `source`, in a directory of its own (kept while the result lives).
    fn crate_root(source: &str) -> (PathBuf, TempDir) {
        let dir = write_crate(&[("main.rs", source)]);
        (crate::env::canonical(&dir.join("main.rs")), dir)
    }

    fn check(mode: &Mode) -> Result<(), String> {
        require_main(
            mode,
            &["fw", "main"],
            Span::call_site(),
            "call `fw::main!()`",
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn requires_the_main_macro_at_the_crate_root() {
        let (with, _with_dir) = crate_root("fw::main!();\nfn f() {}\n");
        let (without, _without_dir) = crate_root("fw::helper!();\nmod inner { fw::main!(); }\n");
        let compiler = |root| Mode::Compiler {
            root,
            crate_hash: 1,
        };
        assert_eq!(check(&compiler(with)), Ok(()));
        assert_eq!(
            check(&compiler(without)),
            Err("call `fw::main!()`".to_owned())
        );
        // Nothing to read: nothing to check.
        assert_eq!(check(&Mode::Ide), Ok(()));
        assert_eq!(check(&Mode::CompilerWithoutRoot { crate_hash: 1 }), Ok(()));
    }

    #[test]
    fn reads_ignore_attributes() {
        let function: syn::ItemFn = syn::parse_quote! {
            #[ignore]
            #[ignore = concat!("needs ", "hardware")]
            #[ignore(reason)]
            #[test]
            fn f() {}
        };
        let read = |i: usize| Ignore::from_attribute(&function.attrs[i]);
        assert_eq!(read(0).unwrap().unwrap().variant().to_string(), "Yes");
        assert_eq!(
            read(1).unwrap().unwrap().variant().to_string(),
            r#"Reason (concat ! ("needs " , "hardware"))"#
        );
        assert_eq!(
            read(2).unwrap_err().to_string(),
            "expected `#[ignore]` or `#[ignore = \"reason\"]`"
        );
        assert!(read(3).unwrap().is_none());
    }
}
