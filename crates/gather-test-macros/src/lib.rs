//! The `#[test]` attribute of `gather-test`.
mod plain;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;

/// Registers a test in the registry that `gather_test::main!()` declares. Supports
/// `#[ignore]`, `#[ignore = "reason"]`, `#[should_panic]`, `#[should_panic(expected = "..")]`
/// and tests returning `Result<(), E: Debug>`.
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    let id = gather_scan::attribute_registration();
    if !attr.is_empty() {
        let attr = TokenStream2::from(attr);
        return syn::Error::new(attr.span(), "`#[gather_test::test]` takes no arguments; use `#[ignore]` and `#[should_panic]` beside it")
            .to_compile_error()
            .into();
    }
    let item = TokenStream2::from(item);
    if let Some(plain) = plain::read(&item) {
        return expand_plain(id, plain, item);
    }
    let mut function: syn::ItemFn = match syn::parse2(item) {
        Ok(function) => function,
        Err(error) => return error.to_compile_error().into(),
    };
    expand(id, &mut function)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// What `#[gather_test::test]` needs `main!()` for.
const MAIN_MISSING: &str = "`#[gather_test::test]` needs `gather_test::main!();` at the crate root of this test target \
     (for unit tests: `#[cfg(test)] gather_test::main!();` at the top of lib.rs, and `harness = false` under [lib])";

/// The test's name as libtest writes it: a literal where the scan knows the module path, else
/// computed from `module_path!()` in const evaluation.
fn test_name(id: Option<u64>, name: &str) -> TokenStream2 {
    match gather_scan::framework::item_path(id, name) {
        Some(path) => quote!(#path),
        None => {
            let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
            quote!(::gather_test::__test_name(concat!(
                module_path!(),
                "::",
                stringify!(#name)
            )))
        }
    }
}

/// A plain test (see `plain.rs`): the item as it came, and a descriptor written out field by
/// field (no builder calls for rustc to evaluate).
fn expand_plain(
    id: Option<u64>,
    plain: gather_scan::framework::PlainFn,
    item: TokenStream2,
) -> TokenStream {
    let name = plain.name;
    if let Err(e) = gather_scan::framework::require_main(
        &gather_scan::mode(None),
        &["gather_test", "main"],
        name.span(),
        MAIN_MISSING,
    ) {
        return e.to_compile_error().into();
    }
    let full_name = test_name(id, &name.to_string());
    let (line, column) = gather_scan::framework::position(&name);
    let run = match plain.returns {
        true => quote!(|| ::gather_test::__run(#name)),
        false => quote!(|| ::core::result::Result::Ok(#name())),
    };
    let harness = quote!(::gather_test::__harness);
    let file = gather_scan::framework::file(&name);
    let registration = gather_scan::hook_registration(
        &quote!(crate::__GATHER_TEST_TESTS),
        &["gather_test", "test"],
        id,
        gather_scan::RegistrationValue::One(quote! {
            #harness::Test {
                name: #full_name,
                file: #file,
                line: #line,
                column: #column,
                ignore: #harness::Ignore::No,
                should_panic: #harness::ShouldPanic::No,
                kind: #harness::Kind::Test,
                run: #run,
                data: ::core::option::Option::None,
            }
        }),
    );
    quote!(#[allow(dead_code)] #item #registration).into()
}

fn expand(id: Option<u64>, function: &mut syn::ItemFn) -> syn::Result<TokenStream2> {
    let name = function.sig.ident.clone();
    let bad_signature = signature_error(function);
    let mut ignore = quote!(No);
    let mut should_panic = quote!(No);
    let mut kept = Vec::new();
    for attr in function.attrs.drain(..) {
        if let Some(marked) = gather_scan::framework::Ignore::from_attribute(&attr)? {
            ignore = marked.variant();
        } else if attr.path().is_ident("should_panic") {
            should_panic = should_panic_variant(&attr.meta)?;
        } else {
            kept.push(attr);
        }
    }
    function.attrs = kept;
    // Tell users who forgot `main!()`, instead of an unresolved-path error.
    gather_scan::framework::require_main(
        &gather_scan::mode(None),
        &["gather_test", "main"],
        name.span(),
        MAIN_MISSING,
    )?;
    let full_name = test_name(id, &name.to_string());
    // Where libtest points: the function's name (for `--list --format json` and messages).
    let at = quote::quote_spanned!(name.span()=> .at(file!(), line!(), column!()));
    // With a bad signature the registration still comes (running nothing: the build fails), so
    // that the registry, which expects it, adds no error of its own.
    let run = match bad_signature {
        None => quote!(|| ::gather_test::__run(#name)),
        Some(_) => quote!(|| ::core::result::Result::Ok(())),
    };
    let registration = gather_scan::hook_registration(
        &quote!(crate::__GATHER_TEST_TESTS),
        &["gather_test", "test"],
        id,
        gather_scan::RegistrationValue::One(quote! {
            ::gather_test::__harness::Test::new(#full_name, #run)
            #at
            .ignore(::gather_test::__harness::Ignore::#ignore)
            .should_panic(::gather_test::__harness::ShouldPanic::#should_panic)
        }),
    );
    if let Some(error) = bad_signature {
        let error = error.to_compile_error();
        return Ok(quote!(#error #registration));
    }
    Ok(quote! {
        #[allow(dead_code)]
        #function
        #registration
    })
}

/// The error for a function that is not a plain `fn name()`, if it is not.
fn signature_error(function: &syn::ItemFn) -> Option<syn::Error> {
    if function.sig.inputs.is_empty()
        && function.sig.generics.params.is_empty()
        && function.sig.asyncness.is_none()
    {
        return None;
    }
    // An attribute macro below this one that makes cases of the function (rstest) gets it only
    // after this one: the order is the other way round.
    let cases = function.attrs.iter().find_map(|a| {
        let last = a.path().segments.last()?.ident.to_string();
        (last == "rstest").then(|| a.path().to_token_stream().to_string().replace(' ', ""))
    });
    let message = match cases {
        Some(cases) => format!(
            "write `#[gather_test::test]` below `#[{cases}]`, as the function's last attribute (after any `#[case]`): `#[{cases}]` then puts it on each case it makes"
        ),
        None => "a test is a plain `fn name()` (no arguments, generics or async), returning `()` or `Result<(), E: Debug>`".to_owned(),
    };
    Some(syn::Error::new(function.sig.span(), message))
}

/// The `ShouldPanic` variant of `#[should_panic]` or `#[should_panic(expected = "message")]`.
fn should_panic_variant(meta: &syn::Meta) -> syn::Result<TokenStream2> {
    Ok(match meta {
        syn::Meta::Path(_) => quote!(Yes),
        syn::Meta::List(l) => {
            let nv: syn::MetaNameValue = l.parse_args().map_err(|_| {
                syn::Error::new(
                    l.span(),
                    "expected `#[should_panic(expected = \"message\")]`",
                )
            })?;
            if !nv.path.is_ident("expected") {
                return Err(syn::Error::new(
                    nv.path.span(),
                    "expected `expected = \"message\"`",
                ));
            }
            let msg = &nv.value;
            quote!(YesWithMessage(#msg))
        }
        syn::Meta::NameValue(nv) => {
            let msg = &nv.value;
            quote!(YesWithMessage(#msg))
        }
    })
}

/// Used by `main!()`: a compile error for each libtest `#[test]` of the crate, which under
/// `harness = false` would be left out in silence.
#[doc(hidden)]
#[proc_macro]
pub fn __builtin_tests(_: TokenStream) -> TokenStream {
    gather_scan::framework::builtin_tests(&["gather_test", "test"], proc_macro2::Span::call_site())
        .into()
}
