//! The code a registration expands to, shared by gather's macros and by frameworks' attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::plan::{Form, const_name};
use crate::{BUCKETS, Registration, default_crate, default_crate_hash};

/// What a registration adds.
///
/// ```
/// let one = gather_scan::RegistrationValue::One(quote::quote!(42));
/// # let _ = one;
/// ```
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
/// Where the scan found this registration and the registry it names, the expansion is a `const`
/// (or, in a function body or a module the registry cannot name, a trait impl keyed by the id)
/// that the registry's array refers to. Otherwise it also carries a const-evaluated check that
/// fails with a clear message: the registry's scan did not see this registration, or the
/// registry belongs to another crate.
///
/// See [`crate::attribute_registration`] for an example.
pub fn registration(
    gather: &TokenStream,
    registry: &TokenStream,
    id: Option<u64>,
    value: RegistrationValue,
) -> TokenStream {
    let many = matches!(value, RegistrationValue::Many(_));
    let (value, trait_name, ty) = match value {
        RegistrationValue::One(v) => (
            quote!(#registry::Entry { value: #v }),
            quote!(Slot),
            quote!(#registry::Entry),
        ),
        RegistrationValue::Many(v) => (
            quote!(#gather::__private::Source(#v).into_registry()),
            quote!(Many),
            quote!(#gather::Registry<#registry::Item>),
        ),
    };
    let crate_hash = default_crate_hash();
    let (true, Some(id)) = (crate_hash != 0, id) else {
        // In an IDE (where spans also lack files): type-check the value, register nothing.
        return quote! { const _: #ty = #value; };
    };
    let krate = default_crate();
    let found: Option<&Registration> = krate.and_then(|k| k.registration(id));
    let target = match (krate, found) {
        (Some(k), Some(r)) => k.target(r).map(|t| (k, r, t)),
        _ => None,
    };
    let guard = found.map(cfg_guard).unwrap_or_default();
    let here = Ident::new("__GatherRegistration", Span::mixed_site());
    let bucket = format_ident!("B{}", id % BUCKETS);
    let trait_impl = quote! {
        #[allow(non_camel_case_types, dead_code)]
        pub struct #here;
        impl #registry::#trait_name<#id, #here> for #gather::__private::#bucket {
            const VALUE: #ty = #value;
        }
    };
    match target {
        Some((k, r, t)) => match (many, k.form(r, t.scope, true)) {
            (false, Form::Path(_)) => {
                let name = Ident::new(&const_name(id), Span::call_site());
                quote! {
                    #guard
                    #[doc(hidden)]
                    #[allow(dead_code)]
                    pub(crate) const #name: #ty = #value;
                }
            }
            _ => quote! {
                #guard
                const _: () = { #trait_impl };
            },
        },
        None => {
            let check = quote_spanned! {Span::call_site()=> #registry::check(#crate_hash, #id) };
            quote! {
                #guard
                const _: () = {
                    #trait_impl
                    #check
                };
            }
        }
    }
}

/// rustc compiles this registration; if the cfg under which the registry expects it does not
/// hold, the scan misjudged, and that must not go unnoticed.
fn cfg_guard(r: &Registration) -> TokenStream {
    if r.cfg.is_empty() {
        return TokenStream::new();
    }
    let Ok(preds) = r
        .cfg
        .iter()
        .map(|c| c.parse::<TokenStream>())
        .collect::<Result<Vec<_>, _>>()
    else {
        return TokenStream::new();
    };
    let msg = format!(
        "gather's scan judged that this registration is compiled only when `all({})` holds, but rustc compiles it without that: \
         the registry would miss it. Please report this case; moving the `#[cfg]` onto the registration itself avoids it.",
        r.cfg.join(", ")
    );
    quote! {
        #[cfg(not(all(#(#preds),*)))]
        ::core::compile_error!(#msg);
    }
}
