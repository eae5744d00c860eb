//! Reading `#[registry(..)] static NAME: Registry<T>;`: the options and the declaration, with
//! every mistake reported at its span. What the registry expands to is gather-scan's
//! (`gather_scan::registry`).

use gather_scan::registry::{Declaration as Decl, Options as Opts};
use proc_macro2::Span;
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Ident, Token, Type, Visibility};

#[derive(Default)]
pub(crate) struct Options {
    root: Option<syn::LitStr>,
    attributes: Vec<syn::Path>,
    krate: Option<syn::Path>,
    overflow: Option<u64>,
    macros: Vec<syn::Path>,
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
                "macro" => options.macros.push(hook_macro(input)?),
                "crate" => options.krate = Some(input.parse()?),
                "overflow" => {
                    let wanted = "expected a number of overflow slots: `overflow = 1024`";
                    let n = match input.parse::<syn::Lit>() {
                        Ok(syn::Lit::Int(n)) => n,
                        Ok(other) => return Err(syn::Error::new(other.span(), wanted)),
                        Err(e) => return Err(syn::Error::new(e.span(), wanted)),
                    };
                    let n = n
                        .base10_parse()
                        .map_err(|_| syn::Error::new(n.span(), wanted))?;
                    options.overflow = Some(n);
                }
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        "unknown registry option; expected `root = \"path/to/root.rs\"`, `attribute = path::to::attr`, `macro = path::to::macro`, `crate = path::to::gather` or `overflow = 1024`",
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

impl Options {
    /// The options as the registry's code generator takes them.
    pub(crate) fn into_scan(self) -> Opts {
        Opts {
            root: self.root.map(|r| r.value()),
            attributes: self
                .attributes
                .iter()
                .map(|p| p.segments.iter().map(|s| s.ident.to_string()).collect())
                .collect(),
            krate: self.krate.map(|p| p.to_token_stream()),
            overflow: self.overflow,
            macros: self
                .macros
                .iter()
                .map(|p| p.segments.iter().map(|s| s.ident.to_string()).collect())
                .collect(),
        }
    }
}

/// `macro = my_log::info`: the full path of another crate's function-like macro.
fn hook_macro(input: ParseStream) -> syn::Result<syn::Path> {
    let wanted = "expected the path of a function-like macro of another crate, without `!`: `macro = my_log::info`";
    let path: syn::Path = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), wanted))?;
    if input.peek(Token![!]) || input.peek(syn::token::Paren) {
        return Err(syn::Error::new(input.span(), wanted));
    }
    let first = path.segments.first().map(|s| s.ident.to_string());
    if let Some(local @ ("crate" | "self" | "super")) = first.as_deref() {
        return Err(syn::Error::new(
            path.span(),
            format!(
                "`macro = {local}::..` names a macro of this crate, which can only be a `macro_rules!` macro: the scan \
                 cannot see what it expands to. A framework macro is a proc macro of another crate \
                 (`macro = my_log::info`); a `macro_rules!` macro can call `gather::register_index!` itself"
            ),
        ));
    }
    if path.segments.len() < 2 {
        return Err(syn::Error::new(
            path.span(),
            "give the macro's full path, starting with its crate's name: `macro = my_log::info`",
        ));
    }
    if let Some(s) = path.segments.iter().find(|s| !s.arguments.is_none()) {
        return Err(syn::Error::new(s.arguments.span(), wanted));
    }
    Ok(path)
}

pub(crate) struct Declaration {
    attrs: Vec<Attribute>,
    vis: Visibility,
    is_const: bool,
    keyword_span: Span,
    name: Ident,
    ty: Type,
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
        Ok(Declaration {
            attrs,
            vis,
            is_const,
            keyword_span,
            name,
            ty,
        })
    }
}

/// What a registry holds: `Registry<T>`'s items, or `Map<K, V>`'s keys and values.
enum Held {
    Items(Type),
    Map(Type, Box<Type>),
}

fn registry_type(ty: &Type) -> syn::Result<Held> {
    let err = || {
        syn::Error::new(
            ty.span(),
            "the type of a registry must be `Registry<T>` (`gather::Registry`) or `Map<K, V>` (`gather::Map`)",
        )
    };
    let Type::Path(p) = ty else { return Err(err()) };
    let last = p.path.segments.last().ok_or_else(err)?;
    let is_map = last.ident == "Map";
    if last.ident != "Registry" && !is_map {
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
    if is_map {
        let value = types.next().ok_or_else(err)?;
        if types.next().is_some() {
            return Err(err());
        }
        check_key(&item)?;
        sized(&value, "values of a map", "Map<K, &'static {}>")?;
        return Ok(Held::Map(item, Box::new(value)));
    }
    if types.next().is_some() {
        return Err(err());
    }
    sized(&item, "items of a registry", "Registry<&'static {}>")?;
    Ok(Held::Items(item))
}

/// Key types that are certainly not a map's get their message here, at the key; a path that may
/// be an alias of a key type is left to rustc (the `Key` bound says the same).
fn check_key(key: &Type) -> syn::Result<()> {
    let written = key.to_token_stream().to_string();
    let ok = match key {
        Type::Reference(r) => match &*r.elem {
            Type::Path(p) => p.qself.is_none() && p.path.is_ident("str"),
            Type::Slice(s) => matches!(&*s.elem, Type::Path(p) if p.path.is_ident("u8")),
            _ => false,
        },
        Type::Path(p) => !["String", "f32", "f64", "Vec", "str"]
            .iter()
            .any(|bad| p.path.segments.last().is_some_and(|s| s.ident == bad)),
        Type::Paren(_) | Type::Group(_) => true,
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(syn::Error::new(
        key.span(),
        format!(
            "`{written}` cannot be the key of a `gather::Map`: the key types are `&str`, `&[u8]`, the integer types, \
             `char` and `bool`. To key by an enum, key by its discriminant (`Map<u8, V>`, `Enum::A as u8 => ..`)"
        ),
    ))
}

/// `what` must be sized; `instead` is the type to write, with `{}` for the unsized one.
fn sized(item: &Type, what: &str, instead: &str) -> syn::Result<()> {
    let unsized_type = match &item {
        Type::Slice(_) | Type::TraitObject(_) => true,
        Type::Path(p) => p.qself.is_none() && p.path.is_ident("str"),
        _ => false,
    };
    if unsized_type {
        let written = item.to_token_stream().to_string();
        return Err(syn::Error::new(
            item.span(),
            format!(
                "the {what} are stored in an array, so their type must be sized, and `{written}` is not: \
                 register references, `{}`",
                instead.replace("{}", &written)
            ),
        ));
    }
    Ok(())
}

impl Declaration {
    /// The declaration as the registry's code generator takes it, or what is wrong with its type;
    /// elided lifetimes in the item type become `'static`.
    pub(crate) fn into_scan(self) -> syn::Result<Decl> {
        let (mut item, map) = match registry_type(&self.ty)? {
            Held::Items(item) => (item, None),
            Held::Map(mut key, value) => {
                let mut value = *value;
                // A map's entries are built in constants, whatever its own storage.
                refuse_interior_mutability(&value, true)?;
                StaticLifetimes.visit_type_mut(&mut key);
                StaticLifetimes.visit_type_mut(&mut value);
                let pair = syn::parse_quote!((#key, #value));
                (pair, Some((key.to_token_stream(), value.to_token_stream())))
            }
        };
        if self.is_const {
            refuse_interior_mutability(&item, false)?;
        }
        StaticLifetimes.visit_type_mut(&mut item);
        let attrs = self.attrs;
        Ok(Decl {
            map,
            attrs: quote::quote!(#(#attrs)*),
            vis: self.vis.to_token_stream(),
            is_const: self.is_const,
            keyword_span: self.keyword_span,
            name: self.name,
            ty: self.ty.to_token_stream(),
            item: item.to_token_stream(),
        })
    }

    /// An item that names the declared type's path (with `()` for its arguments, so that it is
    /// well-formed whatever was wrong), emitted next to an error so that the user's imports of
    /// the type are not reported as unused on top of it.
    pub(crate) fn type_marker(&self) -> proc_macro2::TokenStream {
        let Type::Path(p) = &self.ty else {
            return proc_macro2::TokenStream::new();
        };
        let mut path = p.path.clone();
        for segment in &mut path.segments {
            // A map's key must be a key type, or the marker would be an error of its own.
            let is_map = segment.ident == "Map";
            if let syn::PathArguments::AngleBracketed(args) = &mut segment.arguments {
                for (i, arg) in args.args.iter_mut().enumerate() {
                    *arg = match (is_map, i) {
                        (true, 0) => syn::parse_quote!(u8),
                        _ => syn::parse_quote!(()),
                    };
                }
            }
        }
        quote::quote!(const _: ::core::marker::PhantomData<#path> = ::core::marker::PhantomData;)
    }
}

/// A `const` cannot refer to data with interior mutability, so a `const` registry of such items
/// fails in rustc with a borrow error at the registry. The standard library's cells, locks and
/// atomics are recognized by name and get this message instead; other types still get rustc's.
fn refuse_interior_mutability(item: &Type, map: bool) -> syn::Result<()> {
    const CELLS: &[&str] = &[
        "Cell",
        "RefCell",
        "UnsafeCell",
        "OnceCell",
        "LazyCell",
        "SyncUnsafeCell",
        "Mutex",
        "RwLock",
        "OnceLock",
        "LazyLock",
        "Condvar",
    ];
    let mut found = None;
    for token in item.to_token_stream() {
        collect_idents(token, &mut |ident: &Ident| {
            let name = ident.to_string();
            if found.is_none() && (CELLS.contains(&name.as_str()) || name.starts_with("Atomic")) {
                found = Some(ident.clone());
            }
        });
    }
    match found {
        None => Ok(()),
        Some(cell) if map => Err(syn::Error::new(
            item.span(),
            format!(
                "the values of a `gather::Map` cannot hold `{cell}`, which has interior mutability: a map's entries are \
                 built in constants, which cannot refer to such data (not even through a reference). Register a function \
                 that returns a reference to a `static` instead (`Map<K, fn() -> &'static {cell}>`)"
            ),
        )),
        Some(cell) => Err(syn::Error::new(
            item.span(),
            format!(
                "a `const` registry cannot hold `{cell}`, which has interior mutability: a constant cannot refer to \
                 such data. Declare the registry as a `static` (`static NAME: Registry<..>;`)"
            ),
        )),
    }
}

fn collect_idents(token: proc_macro2::TokenTree, f: &mut impl FnMut(&Ident)) {
    match token {
        proc_macro2::TokenTree::Ident(ident) => f(&ident),
        proc_macro2::TokenTree::Group(group) => {
            for t in group.stream() {
                collect_idents(t, f);
            }
        }
        _ => {}
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn options(text: &str) -> Result<Opts, String> {
        syn::parse_str::<Options>(text)
            .map(Options::into_scan)
            .map_err(|e| e.to_string())
    }

    fn declaration(text: &str) -> Result<Decl, String> {
        syn::parse_str::<Declaration>(text)
            .and_then(Declaration::into_scan)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn options_are_read() {
        let o = options("root = \"src/x.rs\", attribute = fw::test, attribute = t, crate = ::fw::__g, overflow = 1024").unwrap();
        assert_eq!(o.root.as_deref(), Some("src/x.rs"));
        assert_eq!(
            o.attributes,
            [vec!["fw".to_string(), "test".into()], vec!["t".into()]]
        );
        assert_eq!(o.krate.unwrap().to_string(), ":: fw :: __g");
        assert_eq!(o.overflow, Some(1024));
        assert!(options("").unwrap().root.is_none());
    }

    #[test]
    fn bad_options_say_what_to_write() {
        for (text, message) in [
            (
                "roots = \"x\"",
                "unknown registry option; expected `root = \"path/to/root.rs\"`",
            ),
            ("overflow = 1.5", "expected a number of overflow slots"),
            ("root", "expected `=`"),
        ] {
            let error = options(text).err().unwrap_or_default();
            assert!(error.contains(message), "{text}: {error}");
        }
    }

    #[test]
    fn declarations_are_read() {
        let d = declaration("/// docs\npub(crate) static R: gather::Registry<&str>;").unwrap();
        assert!(!d.is_const);
        assert_eq!(d.name, "R");
        assert_eq!(d.vis.to_string(), "pub (crate)");
        assert_eq!(d.item.to_string(), "& 'static str");
        assert!(d.attrs.to_string().contains("doc"));
        let d = declaration("const C: Registry<(fn(&u8), &'a str, Box<dyn Fn(&u8)>)>;").unwrap();
        assert!(d.is_const);
        // Elided lifetimes are 'static, but not those of fn pointers and `Fn` bounds.
        assert_eq!(
            d.item.to_string(),
            "(fn (& u8) , & 'a str , Box < dyn Fn (& u8) >)"
        );
    }

    #[test]
    fn map_declarations_are_read() {
        let d = declaration("pub static M: gather::Map<&str, fn(&u8) -> &u8>;").unwrap();
        let (key, value) = d.map.unwrap();
        assert_eq!(key.to_string(), "& 'static str");
        assert_eq!(value.to_string(), "fn (& u8) -> & u8");
        let d = declaration("const C: Map<Id, (&str, u8)>;").unwrap();
        let (key, value) = d.map.unwrap();
        assert_eq!(
            (key.to_string(), value.to_string()),
            ("Id".into(), "(& 'static str , u8)".into())
        );
        assert!(
            declaration("static R: Registry<Map<u8, u8>>;")
                .unwrap()
                .map
                .is_none()
        );
    }

    #[test]
    fn bad_map_declarations_say_what_to_write() {
        for (text, message) in [
            (
                "static M: Map<String, u8>;",
                "`String` cannot be the key of a `gather::Map`",
            ),
            (
                "static M: Map<(u8, u8), u8>;",
                "`(u8 , u8)` cannot be the key",
            ),
            ("static M: Map<&u32, u8>;", "`& u32` cannot be the key"),
            (
                "static M: Map<u8>;",
                "must be `Registry<T>` (`gather::Registry`) or `Map<K, V>`",
            ),
            (
                "static M: Map<u8, str>;",
                "the values of a map are stored in an array",
            ),
            (
                "static M: Map<u8, AtomicU32>;",
                "the values of a `gather::Map` cannot hold `AtomicU32`",
            ),
        ] {
            let error = declaration(text).err().unwrap_or_default();
            assert!(error.contains(message), "{text}: {error}");
        }
    }

    #[test]
    fn bad_declarations_say_what_to_write() {
        for (text, message) in [
            (
                "static mut R: Registry<u8>;",
                "a registry cannot be `static mut`",
            ),
            (
                "static R: Registry<u8> = 1;",
                "a registry has no initializer",
            ),
            (
                "static R: Vec<u8>;",
                "the type of a registry must be `Registry<T>`",
            ),
            (
                "static R: Registry<u8, u16>;",
                "the type of a registry must be `Registry<T>`",
            ),
            (
                "fn f() {}",
                "`#[registry]` goes on `static NAME: Registry<T>;`",
            ),
        ] {
            let error = declaration(text).err().unwrap_or_default();
            assert!(error.contains(message), "{text}: {error}");
        }
    }
}
