//! `register!`, `register_many!` and `#[register_item]`: their arguments read and checked, then
//! expanded by gather-scan's protocol code (`gather_scan::registration`, and its fast path for
//! the common `register!`).

use gather_scan::{Mode, RegistrationValue};
use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;

/// Which registration macro.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `register!`
    One,
    /// `register_many!`
    Many,
    /// `register_index!`
    Index,
}

/// `register!`, `register_many!` or `register_index!`.
pub(crate) fn registration_macro(input: TokenStream, kind: Kind) -> TokenStream {
    let trees: Vec<proc_macro::TokenTree> = input.into_iter().collect();
    let general = if kind == Kind::One {
        match gather_scan::fast_register(trees) {
            Ok(out) => return out,
            Err(trees) => trees,
        }
    } else {
        trees
    };
    registration_macro_general(general.into_iter().collect(), kind)
}

fn registration_macro_general(input: TokenStream, kind: Kind) -> TokenStream {
    // Split at the first top-level comma by hand: this macro runs once per registration, in a
    // proc-macro build that is not optimized by default, so it avoids parsing the value.
    let mut registry = TokenStream2::new();
    let mut value = TokenStream2::new();
    let mut first_span = None;
    let mut after_comma = false;
    for tt in TokenStream2::from(input) {
        first_span.get_or_insert_with(|| tt.span());
        match &tt {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' && !after_comma => {
                after_comma = true
            }
            _ if after_comma => value.extend([tt]),
            _ => registry.extend([tt]),
        }
    }
    let what = match kind {
        Kind::One => "register!(REGISTRY, value)",
        Kind::Many => "register_many!(REGISTRY, source)",
        Kind::Index => "register_index!(REGISTRY, value)",
    };
    // A path: identifiers and `::` only (checked by hand: this runs once per registration).
    let is_path = !registry.is_empty()
        && registry.clone().into_iter().all(|t| match t {
            proc_macro2::TokenTree::Ident(_) => true,
            proc_macro2::TokenTree::Punct(p) => p.as_char() == ':',
            _ => false,
        });
    if !is_path {
        let span = first_span.unwrap_or_else(Span::call_site);
        return syn::Error::new(
            span,
            format!("expected `{what}`: the path of a registry first"),
        )
        .to_compile_error()
        .into();
    }
    // A trailing comma is fine; an empty value is not.
    let mut tokens: Vec<_> = value.into_iter().collect();
    if matches!(tokens.last(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ',') {
        tokens.pop();
    }
    if tokens.is_empty() {
        return syn::Error::new(
            registry.span(),
            format!("expected `{what}`: the value is missing"),
        )
        .to_compile_error()
        .into();
    }
    let value: TokenStream2 = tokens.into_iter().collect();
    let id = first_span.and_then(|s| gather_scan::span_id(s.unwrap()));
    if let Some(e) = id_missing(id, registry.span()) {
        return e;
    }
    let gather = quote!(::gather);
    let value = match kind {
        Kind::One => RegistrationValue::One(value),
        Kind::Many => RegistrationValue::Many(value),
        Kind::Index => {
            return gather_scan::index_registration(&gather, &registry, id, value).into();
        }
    };
    gather_scan::registration(&gather, &registry, id, value).into()
}

/// In a compiler, a registration whose tokens carry no file cannot be matched with the scan.
fn id_missing(id: Option<u64>, span: Span) -> Option<TokenStream> {
    if id.is_some() {
        return None;
    }
    let in_compiler = !matches!(gather_scan::mode(None), Mode::Ide);
    in_compiler.then(|| {
        syn::Error::new(
            span,
            "gather cannot tell where this registration is written: its tokens carry no source \
             file (they were made up by a macro). Write the registration literally in a module file.",
        )
        .to_compile_error()
        .into()
    })
}

/// `#[register_item(REGISTRY)]` on a `fn`, `static` or `const` item.
pub(crate) fn register_item(attr: TokenStream, item: TokenStream) -> TokenStream {
    let id = gather_scan::attribute_registration();
    let registry: syn::Path = match syn::parse(attr) {
        Ok(p) => p,
        Err(e) => {
            let mut out = TokenStream2::from(item);
            out.extend(
                syn::Error::new(
                    e.span(),
                    "expected the path of a registry: `#[register_item(REGISTRY)]`",
                )
                .to_compile_error(),
            );
            return out.into();
        }
    };
    let item = match syn::parse::<syn::Item>(item.clone()) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error().into(),
    };
    let value = match &item {
        syn::Item::Fn(f)
            if matches!(f.sig.inputs.first(), Some(syn::FnArg::Receiver(_)))
                || gather_scan::attribute_in_impl() =>
        {
            return error_with(
                &item,
                f.sig.ident.span(),
                "`#[register_item]` cannot go on a method or an associated function (in an `impl` or `trait` block): \
                 register a path to it after the block, `register!(REGISTRY, Type::name)`",
            );
        }
        // Lifetime parameters are fine: the function is then a higher-ranked `fn` pointer.
        syn::Item::Fn(f) if f.sig.generics.lifetimes().count() == f.sig.generics.params.len() => {
            let name = &f.sig.ident;
            quote!(#name)
        }
        syn::Item::Fn(f) => {
            return error_with(
                &item,
                f.sig.generics.span(),
                "`#[register_item]` cannot register a generic function: register an instantiation with `register!(REGISTRY, name::<T>)`",
            );
        }
        syn::Item::Const(c) => {
            let name = &c.ident;
            quote!(#name)
        }
        syn::Item::Static(s) if !matches!(s.mutability, syn::StaticMutability::None) => {
            return error_with(
                &item,
                s.mutability.span(),
                "`#[register_item]` cannot register a `static mut`: a registry's items are shared and never change. \
                 Register a `static` (holding a `Sync` cell such as an atomic or a `Mutex` if it must change)",
            );
        }
        syn::Item::Static(s) => {
            let name = &s.ident;
            let registry = &registry;
            quote!(#registry::__gather::__private::registered_static::<#registry::Item, _>(&#name))
        }
        other => {
            return error_with(
                &item,
                other.span(),
                "`#[register_item]` goes on a `fn`, `static` or `const` item; for any other value write `register!(REGISTRY, value);`",
            );
        }
    };
    if let Some(e) = id_missing(id, registry.span()) {
        return e;
    }
    let reg = gather_scan::registration(
        &quote!(::gather),
        &registry.to_token_stream(),
        id,
        RegistrationValue::One(value),
    );
    quote!(#item #reg).into()
}

fn error_with(item: &syn::Item, span: Span, msg: &str) -> TokenStream {
    let err = syn::Error::new(span, msg).to_compile_error();
    quote!(#item #err).into()
}
