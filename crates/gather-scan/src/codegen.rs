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
    let value_tokens = value;
    let (value, trait_name, ty) = match &value_tokens {
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
                let alias = Ident::new(&k.item_alias(&t), Span::call_site());
                let RegistrationValue::One(v) = &value_tokens else {
                    unreachable!("a path-form registration adds one item")
                };
                // The value as it is, so that rustc's messages about it point at it; but a `;` in
                // it could end the `const` and add items: then parentheses keep it one expression
                // (and rustc reports the `;`).
                let semicolon = v
                    .clone()
                    .into_iter()
                    .any(|t| matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';'));
                let v = if semicolon { quote!((#v)) } else { v.clone() };
                // (Parentheses or braces around a whole value are not "unnecessary" to the user,
                // who wrote them as the argument of a macro.)
                quote! {
                    #guard
                    #[doc(hidden)]
                    #[allow(dead_code, unused_parens, unused_braces)]
                    pub(crate) const #name: #registry::#alias = #v;
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

/// The name of the `const` that the registration with id `id` expands to and the registry's
/// item alias that types it, if it takes the plain path form (see [`registration`]): the scan
/// found it, with no `#[cfg]` around it, naming a registry that reaches it by a path. Lets a
/// macro that registers one item per call emit that `const` directly, as [`registration`] would,
/// without building the other forms.
#[doc(hidden)]
pub fn plain_path_const(id: u64) -> Option<(String, String)> {
    if default_crate_hash() == 0 {
        return None;
    }
    let k = default_crate()?;
    let r = k.registration(id)?;
    if !r.cfg.is_empty() {
        return None;
    }
    let t = k.target(r)?;
    match k.form(r, t.scope, true) {
        Form::Path(_) => Some((const_name(id), k.item_alias(&t))),
        Form::Trait => None,
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
