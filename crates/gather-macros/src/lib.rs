//! Proc macros of [gather](https://docs.rs/gather). Use them through the `gather` crate, which
//! documents them. Each entry point reads its input (`declaration`, `registration`) and hands it
//! to gather-scan, which owns the code that registries and registrations generate together.

mod declaration;
mod registration;

use proc_macro::TokenStream;

use declaration::{Declaration, Options};

/// See `gather::registry`.
#[proc_macro_attribute]
pub fn registry(attr: TokenStream, item: TokenStream) -> TokenStream {
    let decl = match syn::parse::<Declaration>(item) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error().into(),
    };
    // Next to an error, the declared type is still named, so that its imports (`use
    // gather::Registry`) are not reported as unused on top of it.
    let marker = decl.type_marker();
    let expanded = syn::parse::<Options>(attr)
        .and_then(|options| gather_scan::registry::expand(options.into_scan(), decl.into_scan()?));
    match expanded {
        Ok(out) => out.into(),
        Err(e) => {
            let error = e.to_compile_error();
            quote::quote!(#error #marker).into()
        }
    }
}

/// See `gather::register!`.
#[proc_macro]
pub fn register(input: TokenStream) -> TokenStream {
    registration::registration_macro(input, registration::Kind::One)
}

/// See `gather::register_many!`.
#[proc_macro]
pub fn register_many(input: TokenStream) -> TokenStream {
    registration::registration_macro(input, registration::Kind::Many)
}

/// See `gather::register_index!`.
#[proc_macro]
pub fn register_index(input: TokenStream) -> TokenStream {
    registration::registration_macro(input, registration::Kind::Index)
}

/// See `gather::register_item`.
#[proc_macro_attribute]
pub fn register_item(attr: TokenStream, item: TokenStream) -> TokenStream {
    registration::register_item(attr, item)
}
