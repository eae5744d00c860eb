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
    let options = match syn::parse::<Options>(attr) {
        Ok(o) => o,
        Err(e) => return e.to_compile_error().into(),
    };
    let decl = match syn::parse::<Declaration>(item) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error().into(),
    };
    gather_scan::registry::expand(options.into_scan(), decl.into_scan())
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// See `gather::register!`.
#[proc_macro]
pub fn register(input: TokenStream) -> TokenStream {
    registration::registration_macro(input, false)
}

/// See `gather::register_many!`.
#[proc_macro]
pub fn register_many(input: TokenStream) -> TokenStream {
    registration::registration_macro(input, true)
}

/// See `gather::register_item`.
#[proc_macro_attribute]
pub fn register_item(attr: TokenStream, item: TokenStream) -> TokenStream {
    registration::register_item(attr, item)
}
