//! The code a registration expands to, shared by gather's macros and by frameworks' attributes.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::{BUCKETS, Mode, mode};

/// What a registration adds.
pub enum RegistrationValue {
    /// One item: a constant expression of the registry's item type.
    One(TokenStream),
    /// Many items: another registry or a `&'static [T]`.
    Many(TokenStream),
}

/// The items for one registration of `registry` (a path to a registry, as written by the user)
/// with id `id` (from [`crate::span_id`] or [`crate::attribute_registration`]; `None` in an IDE).
/// `gather` is the path of the gather crate, normally `::gather`.
///
/// The expansion is a trait impl that the registry's array refers to, keyed by the id, plus a
/// const-evaluated check that fails with a clear message when the registry's scan did not see
/// this registration or when the registry belongs to another crate.
pub fn registration(
    gather: &TokenStream,
    registry: &TokenStream,
    id: Option<u64>,
    value: RegistrationValue,
) -> TokenStream {
    let (value, trait_name, ty) = match value {
        RegistrationValue::One(v) => (v, quote!(Slot), quote!(#registry::Item)),
        RegistrationValue::Many(v) => (
            quote!(#gather::__private::Source(#v).into_registry()),
            quote!(Many),
            quote!(#gather::Registry<#registry::Item>),
        ),
    };
    let crate_hash = match mode(None) {
        Mode::Compiler { crate_hash, .. } | Mode::CompilerWithoutRoot { crate_hash } => crate_hash,
        Mode::Ide => 0,
    };
    let Some(id) = id.filter(|_| crate_hash != 0) else {
        // In an IDE: type-check the value, register nothing (the registry is empty there too).
        return quote! { const _: #ty = #value; };
    };
    let bucket = format_ident!("B{}", id % BUCKETS);
    let here = Ident::new("__GatherRegistration", Span::mixed_site());
    let check = quote_spanned! {Span::call_site()=> #registry::check(#crate_hash, #id) };
    quote! {
        const _: () = {
            #[allow(non_camel_case_types, dead_code)]
            pub struct #here;
            impl #registry::#trait_name<#id, #here> for #gather::__private::#bucket {
                const VALUE: #ty = #value;
            }
            #check
        };
    }
}

use proc_macro2::Ident;
