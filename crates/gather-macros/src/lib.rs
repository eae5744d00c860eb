//! Proc macros of [gather](https://docs.rs/gather). Use them through the `gather` crate, which
//! documents them.

use std::collections::{BTreeMap, HashSet};

use gather_scan::{Form, Mode, Registration, RegistrationKind, RegistrationValue, Resolution};
use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Ident, Token, Type, Visibility};

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
    expand_registry(options, decl)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// See `gather::register!`.
#[proc_macro]
pub fn register(input: TokenStream) -> TokenStream {
    registration_macro(input, false)
}

/// See `gather::register_many!`.
#[proc_macro]
pub fn register_many(input: TokenStream) -> TokenStream {
    registration_macro(input, true)
}

fn registration_macro(input: TokenStream, many: bool) -> TokenStream {
    let trees: Vec<proc_macro::TokenTree> = input.into_iter().collect();
    let plain = if many {
        Err(trees)
    } else {
        plain_registration(trees)
    };
    match plain {
        Ok(out) => out,
        Err(trees) => registration_macro_general(trees.into_iter().collect(), many),
    }
}

/// The common case of `register!`, built with as few calls into rustc as possible (this runs
/// once per registration, in a proc-macro build that is not optimized by default): the scan found
/// the registration, with no `#[cfg]`, and the registry reaches it by a path. The output is what
/// [`gather_scan::registration`] makes in that case, with the same spans (call-site spans on the
/// fixed tokens, as `quote!` gives them; the user's own on the registry path and the value).
/// Anything else is given back, for [`registration_macro_general`].
fn plain_registration(
    mut trees: Vec<proc_macro::TokenTree>,
) -> Result<TokenStream, Vec<proc_macro::TokenTree>> {
    use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenTree};
    let is_comma = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ',');
    let Some(comma) = trees.iter().position(is_comma) else {
        return Err(trees);
    };
    let registry = &trees[..comma];
    let mut value_end = trees.len();
    if value_end > comma + 1 && is_comma(&trees[value_end - 1]) {
        value_end -= 1;
    }
    let is_path = registry.iter().all(|t| match t {
        TokenTree::Ident(_) => true,
        TokenTree::Punct(p) => p.as_char() == ':',
        _ => false,
    });
    // A `;` could end the `const` early and add items of the user's: the general form keeps such a
    // value one expression (and rustc then reports the `;`).
    let semicolon = trees[comma + 1..value_end]
        .iter()
        .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'));
    if registry.is_empty() || value_end == comma + 1 || !is_path || semicolon {
        return Err(trees);
    }
    let Some(id) = gather_scan::span_id(trees[0].span()) else {
        return Err(trees);
    };
    let Some((name, alias)) = gather_scan::plain_path_const(id) else {
        return Err(trees);
    };
    // `#[doc(hidden)] pub(crate) const NAME: REGISTRY::ALIAS = VALUE;` built locally: only the
    // groups' and the output's streams are calls into rustc. The general form's
    // `#[allow(dead_code)]` is left out: a name starting with `_` is never reported as dead code.
    let ident = |s: &str| TokenTree::Ident(Ident::new(s, Span::call_site()));
    let punct = |c, spacing| TokenTree::Punct(Punct::new(c, spacing));
    let group = |d, s: TokenStream| TokenTree::Group(Group::new(d, s));
    let path_sep = [punct(':', Spacing::Joint), punct(':', Spacing::Alone)];
    let mut out: Vec<TokenTree> = Vec::with_capacity(16 + trees.len());
    out.extend([
        punct('#', Spacing::Alone),
        group(
            Delimiter::Bracket,
            [
                ident("doc"),
                group(Delimiter::Parenthesis, ident("hidden").into()),
            ]
            .into_iter()
            .collect(),
        ),
        ident("pub"),
        group(Delimiter::Parenthesis, ident("crate").into()),
        ident("const"),
        ident(&name),
        punct(':', Spacing::Alone),
    ]);
    // A value that is all in parentheses (not a tuple) or braces: as a `const`'s initializer
    // (unlike the field of the general form's `Entry { value: VALUE }`) rustc would call them
    // unnecessary. (Looking into a group is a call into rustc, but an `allow` on every `const`
    // costs rustc more.)
    let needs_allow = value_end == comma + 2
        && match &trees[comma + 1] {
            TokenTree::Group(g) => match g.delimiter() {
                Delimiter::Brace => true,
                Delimiter::Parenthesis => !g.stream().into_iter().any(|t| is_comma(&t)),
                _ => false,
            },
            _ => false,
        };
    if needs_allow {
        let lints = [
            ident("unused_parens"),
            punct(',', Spacing::Alone),
            ident("unused_braces"),
        ];
        out.splice(
            0..0,
            [
                punct('#', Spacing::Alone),
                group(
                    Delimiter::Bracket,
                    [
                        ident("allow"),
                        group(Delimiter::Parenthesis, lints.into_iter().collect()),
                    ]
                    .into_iter()
                    .collect(),
                ),
            ],
        );
    }
    out.extend(registry.iter().cloned());
    out.extend(path_sep);
    out.push(ident(&alias));
    out.push(punct('=', Spacing::Alone));
    // The value's trees are moved, not cloned: cloning a group is a call into rustc.
    trees.truncate(value_end);
    out.extend(trees.drain(comma + 1..));
    out.push(punct(';', Spacing::Alone));
    let out: TokenStream = out.into_iter().collect();
    Ok(out)
}

fn registration_macro_general(input: TokenStream, many: bool) -> TokenStream {
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
    let what = if many {
        "register_many!(REGISTRY, source)"
    } else {
        "register!(REGISTRY, value)"
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
    let value = if many {
        RegistrationValue::Many(value)
    } else {
        RegistrationValue::One(value)
    };
    gather_scan::registration(&quote!(::gather), &registry, id, value).into()
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

/// See `gather::register_item`.
#[proc_macro_attribute]
pub fn register_item(attr: TokenStream, item: TokenStream) -> TokenStream {
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
        syn::Item::Fn(f) if f.sig.generics.params.is_empty() => {
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
        syn::Item::Static(s) => {
            let name = &s.ident;
            quote!(&#name)
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

#[derive(Default)]
struct Options {
    root: Option<syn::LitStr>,
    attributes: Vec<syn::Path>,
    krate: Option<syn::Path>,
}

impl Parse for Options {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut options = Options::default();
        while !input.is_empty() {
            let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "root" => options.root = Some(input.parse()?),
                "attribute" => options.attributes.push(input.parse()?),
                "crate" => options.krate = Some(input.parse()?),
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        "unknown registry option; expected `root = \"path/to/root.rs\"`, `attribute = path::to::attr` or `crate = path::to::gather`",
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(options)
    }
}

struct Declaration {
    attrs: Vec<Attribute>,
    vis: Visibility,
    is_const: bool,
    keyword_span: Span,
    name: Ident,
    ty: Type,
    item: Type,
}

impl Parse for Declaration {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let lookahead = input.lookahead1();
        let (is_const, keyword_span) = if lookahead.peek(Token![static]) {
            let kw: Token![static] = input.parse()?;
            if input.peek(Token![mut]) {
                let m: Token![mut] = input.parse()?;
                return Err(syn::Error::new(
                    m.span,
                    "a registry cannot be `static mut`: its contents are fixed at compile time",
                ));
            }
            (false, kw.span)
        } else if lookahead.peek(Token![const]) {
            let kw: Token![const] = input.parse()?;
            (true, kw.span)
        } else {
            return Err(syn::Error::new(
                input.span(),
                "`#[registry]` goes on `static NAME: Registry<T>;` or `const NAME: Registry<T>;`",
            ));
        };
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let ty: Type = input.parse()?;
        if input.peek(Token![=]) {
            let eq: Token![=] = input.parse()?;
            return Err(syn::Error::new(
                eq.span,
                "a registry has no initializer: write `static NAME: Registry<T>;`, its contents are the registrations",
            ));
        }
        input.parse::<Token![;]>()?;
        let item = registry_item_type(&ty)?;
        Ok(Declaration {
            attrs,
            vis,
            is_const,
            keyword_span,
            name,
            ty,
            item,
        })
    }
}

fn registry_item_type(ty: &Type) -> syn::Result<Type> {
    let err = || {
        syn::Error::new(
            ty.span(),
            "the type of a registry must be `Registry<T>` (`gather::Registry`)",
        )
    };
    let Type::Path(p) = ty else { return Err(err()) };
    let last = p.path.segments.last().ok_or_else(err)?;
    if last.ident != "Registry" {
        return Err(err());
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return Err(err());
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    });
    let item = types.next().ok_or_else(err)?;
    if types.next().is_some() {
        return Err(err());
    }
    Ok(item)
}

/// Elided lifetimes in a registry's item type mean `'static`, as they do in a `static`'s type.
struct StaticLifetimes;

impl VisitMut for StaticLifetimes {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(syn::Lifetime::new("'static", r.and_token.span));
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
    fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
        if l.ident == "_" {
            *l = syn::Lifetime::new("'static", l.apostrophe);
        }
    }
    // Elided lifetimes in fn pointers and `Fn(..)` bounds are higher-ranked: leave them.
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}

fn expand_registry(options: Options, decl: Declaration) -> syn::Result<TokenStream2> {
    let Declaration {
        attrs,
        vis,
        is_const,
        keyword_span,
        name,
        ty,
        mut item,
    } = decl;
    StaticLifetimes.visit_type_mut(&mut item);
    let gather = match &options.krate {
        Some(p) => p.to_token_stream(),
        None => quote!(::gather),
    };
    let alias = format_ident!("__gather_item_{}", name);
    let registry_name = name.to_string();
    let crate_name = std::env::var("CARGO_CRATE_NAME").unwrap_or_else(|_| "this crate".into());

    let mode = gather_scan::mode(options.root.as_ref().map(|r| r.value()).as_deref());
    let (members, imports, crate_hash, ide, krate) = match &mode {
        Mode::Compiler { root, crate_hash } => {
            let krate = gather_scan::scan(root);
            let (own, many, me) = members(&krate, &name, &options);
            let alias = krate.item_alias(&gather_scan::RegistryId {
                scope: me,
                name: name.to_string(),
            });
            (own, many, *crate_hash, false, Some((krate, alias)))
        }
        Mode::CompilerWithoutRoot { .. } => {
            return Err(syn::Error::new(
                name.span(),
                format!(
                    "gather cannot find the crate root file of this compilation, so registry `{registry_name}` cannot be collected. \
                     Name it explicitly: `#[registry(root = \"src/lib.rs\")]` (relative to the package's Cargo.toml). \
                     In a doc example that rustdoc compiles on its own (from standard input), no file can be read: \
                     write it as an edition 2024 doctest that rustdoc merges, or as an example file"
                ),
            ));
        }
        Mode::Ide => (Vec::new(), Vec::new(), 0, true, None),
    };
    let mut members = members;
    let mut imports = imports;
    if let Some(seed) = seed() {
        shuffle(
            &mut members,
            seed ^ gather_scan::hash_bytes(registry_name.as_bytes()),
        );
        shuffle(
            &mut imports,
            seed.rotate_left(17) ^ gather_scan::hash_bytes(registry_name.as_bytes()),
        );
    }
    let mut seen_ids: Vec<u64> = members.iter().chain(&imports).map(|(r, _)| r.id).collect();
    seen_ids.sort_unstable();
    if let Some(w) = seen_ids.windows(2).find(|w| w[0] == w[1]) {
        let (dup, _) = members
            .iter()
            .chain(&imports)
            .find(|(r, _)| r.id == w[0])
            .unwrap();
        return Err(syn::Error::new(
            name.span(),
            format!(
                "registry `{registry_name}`: the registration at {}:{}:{} is read twice (is its file included twice with `include!` or `#[path]`?); \
                 a file with registrations must be part of the crate once",
                dup.file.display(),
                dup.line,
                dup.column + 1
            ),
        ));
    }
    // `check` looks up only the registrations whose macro cannot tell which registry they
    // belong to (`gather_scan::registration` routes the others without it), so `SEEN` needs only
    // those. With an explicit root the registrations' macros use another scan: keep them all.
    let checked_ids: Vec<u64> = match (krate.as_ref().map(|(k, _)| k), options.root.is_some()) {
        (Some(k), false) => seen_ids
            .iter()
            .copied()
            .filter(|&id| k.registration(id).is_none_or(|r| k.target(r).is_none()))
            .collect(),
        _ => seen_ids.clone(),
    };
    if std::env::var_os("GATHER_DEBUG").is_some() {
        for (r, form) in members.iter().chain(&imports) {
            eprintln!(
                "gather: registry `{registry_name}` <- {:?} ({form:?}) at {}:{}:{} id {} cfg {:?}",
                r.kind,
                r.file.display(),
                r.line,
                r.column + 1,
                r.id,
                r.cfg
            );
        }
    }

    let element = |(r, form): &(Registration, Form), tr: &str| -> syn::Result<TokenStream2> {
        let id = r.id;
        let cfg = cfg_attr(&r.cfg)?;
        Ok(match form {
            Form::Path(modules) => {
                // (Only in an array of `Entry`, next to trait-form registrations.)
                let modules = modules.iter().map(|m| ident(m));
                let konst = Ident::new(&gather_scan::const_name(id), Span::call_site());
                quote!(#cfg Entry { value: crate:: #(#modules::)* #konst })
            }
            Form::Trait => {
                let bucket = format_ident!("B{}", id % gather_scan::BUCKETS);
                let tr = format_ident!("{}", tr);
                quote!(#cfg <#gather::__private::#bucket as #tr<#id, _>>::VALUE)
            }
        })
    };
    // Own items are mostly path-form consts, of type `Item`: then the array is of `Item` and their
    // paths are written as text and parsed at once (one call into rustc instead of tokens built
    // one by one, for up to tens of thousands). Trait-form registrations are `Entry` values (an
    // `Entry`'s field cannot be moved out in a static if `Item` has a destructor): with any of
    // them, the array is of `Entry`, seen as `[Item]` through `items`.
    let all_paths = members.iter().all(|(_, f)| matches!(f, Form::Path(_)));
    let (items_ty, items_ref) = if all_paths {
        (quote!(Item), quote!(&#name::ITEMS))
    } else {
        (quote!(Entry), quote!(#name::items(&#name::ITEMS)))
    };
    let elements = if all_paths {
        let mut text = String::new();
        for (r, form) in &members {
            let Form::Path(modules) = form else {
                unreachable!()
            };
            if let Some(p) = cfg_tokens(&r.cfg)? {
                text.push_str(&format!("#[cfg({p})] "));
            }
            text.push_str("crate::");
            for m in modules {
                text.push_str(m);
                text.push_str("::");
            }
            text.push_str(&gather_scan::const_name(r.id));
            text.push(',');
        }
        // Parsed by rustc itself: proc_macro2's `parse` first runs its own (unoptimized) lexer.
        let parsed: TokenStream = text
            .parse()
            .map_err(|e: proc_macro::LexError| syn::Error::new(Span::call_site(), e.to_string()))?;
        vec![TokenStream2::from(parsed)]
    } else {
        members
            .iter()
            .map(|m| element(m, "Slot"))
            .collect::<syn::Result<Vec<_>>>()?
    };
    let import_elements = imports
        .iter()
        .map(|m| element(m, "Many"))
        .collect::<syn::Result<Vec<_>>>()?;
    let len = count_expr(&members)?;
    let imports_len = count_expr(&imports)?;

    let storage = if is_const {
        quote!(const)
    } else {
        quote!(static)
    };
    let decl_kw = if is_const {
        quote_spanned!(keyword_span=> const)
    } else {
        quote_spanned!(keyword_span=> static)
    };
    let foreign = format!(
        "`{registry_name}` is a registry of crate `{crate_name}`, and registries are crate-local: another crate cannot add to it. \
         Declare a registry in your crate and import this one into it with `gather::register_many!(YOUR_REGISTRY, path::to::{registry_name});`"
    );
    let unseen = format!(
        "this registration was not found by the scan of registry `{registry_name}` (crate `{crate_name}`). \
         The scan reads the crate's module files: write `register!`, `register_many!` or `#[register_item]` literally in a module file \
         (one produced by a `macro_rules!` macro cannot be seen), with a path the scan can follow to the registry \
         (a `use`, `use .. as`, a glob, `crate::`, `self::` or `super::`). `GATHER_DEBUG=1` lists what the scan found."
    );
    let not_compiled = format!(
        "registry `{registry_name}` expects a registration (id {{ID}}) that rustc did not compile or that names another registry"
    );
    let unimplemented_note = "the scan found a registration whose `#[cfg]`s or registry path it judged differently from rustc; \
                              `GATHER_DEBUG=1 cargo build` lists each registration with its id, place and cfg. \
                              Please report this case to gather."
        .to_string();
    let (check_body, seen_const) = if ide {
        (quote!(let _ = (krate, id);), quote!())
    } else {
        (
            quote! {
                if krate != #crate_hash { ::core::panic!(#foreign) }
                if !#gather::__private::contains(SEEN, id) { ::core::panic!(#unseen) }
            },
            quote!(const SEEN: &[u64] = &[#(#checked_ids),*];),
        )
    };
    let item_alias = krate.as_ref().map(|(_, alias)| {
        let alias = Ident::new(alias, Span::call_site());
        quote! {
            #[allow(non_camel_case_types)]
            pub type #alias = Item;
        }
    });
    let doc_hidden = quote!(#[doc(hidden)]);
    Ok(quote! {
        #doc_hidden
        #[allow(non_camel_case_types)]
        type #alias = #item;

        #(#attrs)*
        #vis #decl_kw #name: #ty = #gather::__private::registry(#items_ref, &#name::PARTS);

        #doc_hidden
        #[allow(non_snake_case, non_upper_case_globals, clippy::all)]
        #vis mod #name {
            pub type Item = super::#alias;

            /// One registered item, typed by its registry so that a registration can only ever
            /// land in the registry rustc resolved its path to.
            #[repr(transparent)]
            pub struct Entry {
                pub value: Item,
            }

            pub const fn items(entries: &'static [Entry]) -> &'static [Item] {
                // SAFETY: `Entry` is a `repr(transparent)` wrapper of `Item`.
                unsafe { &*(entries as *const [Entry] as *const [Item]) }
            }

            /// The type of path-form registrations (see `gather_scan::Crate::item_alias`).
            #item_alias

            #[diagnostic::on_unimplemented(message = #not_compiled, note = #unimplemented_note)]
            pub trait Slot<const ID: u64, L> {
                const VALUE: Entry;
            }
            #[diagnostic::on_unimplemented(message = #not_compiled, note = #unimplemented_note)]
            pub trait Many<const ID: u64, L> {
                const VALUE: #gather::Registry<Item>;
            }

            #seen_const
            /// Fails compilation, with a message, for a registration this registry cannot take.
            pub const fn check(krate: u64, id: u64) {
                #check_body
            }

            // Rebuild when the shuffle seed changes: rustc tracks the variables `option_env!` reads.
            const _: ::core::option::Option<&str> = ::core::option_env!("GATHER_SEED");

            const LEN: usize = #len;
            pub #storage ITEMS: [#items_ty; LEN] = [#(#elements),*];
            const IMPORTS_LEN: usize = #imports_len;
            #storage IMPORTS: [#gather::Registry<Item>; IMPORTS_LEN] = [#(#import_elements),*];
            pub #storage PARTS: [&'static [Item]; #gather::__private::parts_len(&IMPORTS)] =
                #gather::__private::flatten(&IMPORTS);
        }
    })
}

/// A registration of a registry, and how the registry reaches it.
type Member = (Registration, Form);

/// The registrations that name this registry, own items and imports, each with how the
/// registry reaches it; and the scope the registry is declared in.
fn members(
    krate: &gather_scan::Crate,
    name: &Ident,
    options: &Options,
) -> (Vec<Member>, Vec<Member>, gather_scan::ScopeId) {
    let loc = name.span().unwrap();
    let file = loc.local_file().map(|f| gather_scan::canonical(&f));
    let me = match &file {
        Some(f) => krate.registry_at(f, loc.line(), loc.column().saturating_sub(1)),
        None => 0,
    };
    let my_name = name.to_string();
    let literal = krate.scopes[me].registries.contains(&my_name);
    let attributes: HashSet<Vec<String>> = options
        .attributes
        .iter()
        .map(|p| p.segments.iter().map(|s| s.ident.to_string()).collect())
        .collect();
    let mut own = Vec::new();
    let mut many = Vec::new();
    for r in &krate.registrations {
        let resolved = krate.resolve_registration(r);
        let is_member = match r.kind {
            RegistrationKind::Attribute => {
                matches!(&resolved, Resolution::External(p) if attributes.contains(p))
            }
            _ => {
                matches!(&resolved, Resolution::Item { scope, name } if *scope == me && *name == my_name)
            }
        };
        if !is_member {
            continue;
        }
        match r.kind {
            RegistrationKind::Many => many.push((r.clone(), Form::Trait)),
            _ => own.push((r.clone(), krate.form(r, me, literal))),
        }
    }
    (own, many, me)
}

fn cfg_tokens(cfg: &[String]) -> syn::Result<Option<TokenStream2>> {
    if cfg.is_empty() {
        return Ok(None);
    }
    let preds = cfg
        .iter()
        .map(|c| {
            c.parse::<TokenStream2>()
                .map_err(|e| syn::Error::new(Span::call_site(), e.to_string()))
        })
        .collect::<syn::Result<Vec<_>>>()?;
    Ok(Some(quote!(all(#(#preds),*))))
}

fn cfg_attr(cfg: &[String]) -> syn::Result<TokenStream2> {
    Ok(match cfg_tokens(cfg)? {
        Some(p) => quote!(#[cfg(#p)]),
        None => quote!(),
    })
}

/// The number of registrations rustc compiles: registrations grouped by their cfg, one
/// `#[cfg]`-guarded addition per group (few groups in practice, however many registrations).
fn count_expr(rs: &[(Registration, Form)]) -> syn::Result<TokenStream2> {
    let mut groups: BTreeMap<&[String], usize> = BTreeMap::new();
    for (r, _) in rs {
        *groups.entry(&r.cfg).or_default() += 1;
    }
    let mut parts = Vec::new();
    for (cfg, n) in groups {
        let attr = cfg_attr(cfg)?;
        parts.push(quote!(#attr { n += #n; }));
    }
    Ok(quote!({
        #[allow(unused_mut)]
        let mut n = 0usize;
        #(#parts)*
        n
    }))
}

/// A module name from the scan as an identifier (`r#type` stays raw).
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn seed() -> Option<u64> {
    let s = std::env::var("GATHER_SEED").ok()?;
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    Some(
        s.parse()
            .unwrap_or_else(|_| gather_scan::hash_bytes(s.as_bytes())),
    )
}

/// Fisher-Yates with splitmix64: deterministic for a seed, on every host.
fn shuffle<T>(v: &mut [T], seed: u64) {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..v.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}
