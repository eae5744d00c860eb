//! The attribute of `tiny-test`.
use proc_macro::TokenStream;
use quote::quote;

/// Registers a test function in the registry that `tiny_test::main!()` declares.
#[proc_macro_attribute]
pub fn test(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let id = gather_scan::attribute_registration();
    let function = syn::parse_macro_input!(item as syn::ItemFn);
    let name = &function.sig.ident;
    // Tell users who forgot `main!()`, instead of an unresolved-path error.
    if let Err(error) = gather_scan::framework::require_main(
        &gather_scan::mode(None),
        &["tiny_test", "main"],
        name.span(),
        "`#[tiny_test::test]` needs `tiny_test::main!();` at the crate root of this test target",
    ) {
        return error.to_compile_error().into();
    }
    let registration = gather_scan::registration(
        &quote!(::tiny_test::__gather),
        &quote!(crate::__TINY_TESTS),
        id,
        gather_scan::RegistrationValue::One(quote! {
            ::tiny_test::Test { name: concat!(module_path!(), "::", stringify!(#name)), run: #name }
        }),
    );
    quote!(#function #registration).into()
}
