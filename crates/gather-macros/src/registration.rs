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
    if kind != Kind::Many
        && let Some(arrow) = top_level_arrow(&trees)
    {
        if kind == Kind::Index {
            return syn::Error::new(
                trees[arrow].span().into(),
                "`register_index!` gives an item's position in a registry (`Registry<T>`); a map's entries have keys, \
                 not indices: write `register!(MAP, KEY => VALUE)` and look the key up",
            )
            .to_compile_error()
            .into();
        }
        // `register!(MAP, (KEY, VALUE))`: the path form's constant is of the map's `(K, V)`;
        // every other form (probes, overflow slots: registrations rustc alone can place, often
        // written by macros) converts it with `keyed`, whose bound says what is wrong when the
        // registry is not a map.
        let entry = match keyed(trees, arrow) {
            Ok(trees) => trees,
            Err(e) => return e,
        };
        return match gather_scan::fast_register(entry) {
            Ok(out) => out,
            Err(trees) => registration_macro_general(trees.into_iter().collect(), kind, true),
        };
    }
    let general = if kind == Kind::One {
        match gather_scan::fast_register(trees) {
            Ok(out) => return out,
            Err(trees) => trees,
        }
    } else {
        trees
    };
    registration_macro_general(general.into_iter().collect(), kind, false)
}

/// `register!` and the others through `gather_scan::registration`; `entry`: the value is a map
/// entry's `(KEY, VALUE)`.
fn registration_macro_general(input: TokenStream, kind: Kind, entry: bool) -> TokenStream {
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
        Kind::One if entry => RegistrationValue::Entry(value),
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
    let ItemArgs { registry, key } = match syn::parse(attr) {
        Ok(args) => args,
        Err(e) => {
            let mut out = TokenStream2::from(item);
            out.extend(e.to_compile_error());
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
    let value = match key {
        // An entry of a map: for a `static`, a reference to it, coerced to the map's `V`.
        Some(key) => {
            let value = match &item {
                syn::Item::Static(s) => {
                    let name = &s.ident;
                    quote!(&#name)
                }
                _ => value,
            };
            RegistrationValue::Entry(quote!((#key, #value)))
        }
        None => RegistrationValue::One(value),
    };
    let reg = gather_scan::registration(&quote!(::gather), &registry.to_token_stream(), id, value);
    quote!(#item #reg).into()
}

fn error_with(item: &syn::Item, span: Span, msg: &str) -> TokenStream {
    let err = syn::Error::new(span, msg).to_compile_error();
    quote!(#item #err).into()
}

/// Where `=>` is among a macro's top-level tokens.
fn top_level_arrow(trees: &[proc_macro::TokenTree]) -> Option<usize> {
    use proc_macro::{Spacing, TokenTree};
    trees.windows(2).position(|w| match w {
        [TokenTree::Punct(a), TokenTree::Punct(b)] => {
            a.as_char() == '=' && a.spacing() == Spacing::Joint && b.as_char() == '>'
        }
        _ => false,
    })
}

/// `register!(MAP, KEY => VALUE)` as `register!(MAP, (KEY, VALUE))`, the registration of one
/// entry. Its type is known from the registry (the path form's constant is of the map's
/// `(K, V)`, the other forms convert with `keyed::<MAP::Item>`), so the key and value are
/// coerced to the map's `K` and `V`. A plain tuple is what rustc checks fastest, for tens of
/// thousands of entries.
fn keyed(
    trees: Vec<proc_macro::TokenTree>,
    arrow: usize,
) -> Result<Vec<proc_macro::TokenTree>, TokenStream> {
    use proc_macro::{Delimiter, Group, Punct, Spacing, TokenTree};
    let comma = trees[..arrow]
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','));
    let wanted = |span: proc_macro::Span, what: &str| {
        let e = syn::Error::new(
            span.into(),
            format!("expected `register!(MAP, KEY => VALUE)`: {what}"),
        );
        TokenStream::from(e.to_compile_error())
    };
    let Some(comma) = comma else {
        return Err(wanted(trees[arrow].span(), "the path of a map first"));
    };
    let mut value_end = trees.len();
    if value_end > arrow + 2
        && matches!(&trees[value_end - 1], TokenTree::Punct(p) if p.as_char() == ',')
    {
        value_end -= 1;
    }
    if comma + 1 == arrow {
        return Err(wanted(trees[arrow].span(), "the key is missing"));
    }
    if arrow + 2 == value_end {
        return Err(wanted(trees[arrow + 1].span(), "the value is missing"));
    }
    // Moved, not cloned: cloning a group is a call into rustc.
    let mut trees = trees;
    trees.truncate(value_end);
    let value: Vec<TokenTree> = trees.drain(arrow + 2..).collect();
    trees.truncate(arrow);
    let mut pair: Vec<TokenTree> = trees.drain(comma + 1..).collect();
    pair.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
    pair.extend(value);
    trees.push(TokenTree::Group(Group::new(
        Delimiter::Parenthesis,
        pair.into_iter().collect(),
    )));
    Ok(trees)
}

/// `#[register_item(REGISTRY)]`'s arguments, or `#[register_item(MAP, key = KEY)]`'s.
struct ItemArgs {
    registry: syn::Path,
    key: Option<syn::Expr>,
}

impl syn::parse::Parse for ItemArgs {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let wanted = "expected the path of a registry: `#[register_item(REGISTRY)]`, or `#[register_item(MAP, key = KEY)]` for a map";
        let registry: syn::Path = input
            .parse()
            .map_err(|e| syn::Error::new(e.span(), wanted))?;
        if input.is_empty() {
            return Ok(ItemArgs {
                registry,
                key: None,
            });
        }
        let wanted_key = "expected `key = KEY` after the map: `#[register_item(MAP, key = KEY)]`";
        input
            .parse::<syn::Token![,]>()
            .map_err(|e| syn::Error::new(e.span(), wanted))?;
        let name: syn::Ident = input
            .parse()
            .map_err(|e| syn::Error::new(e.span(), wanted_key))?;
        if name != "key" {
            return Err(syn::Error::new(name.span(), wanted_key));
        }
        input
            .parse::<syn::Token![=]>()
            .map_err(|e| syn::Error::new(e.span(), wanted_key))?;
        let key: syn::Expr = input.parse()?;
        if !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
        }
        if !input.is_empty() {
            return Err(syn::Error::new(input.span(), wanted_key));
        }
        Ok(ItemArgs {
            registry,
            key: Some(key),
        })
    }
}
