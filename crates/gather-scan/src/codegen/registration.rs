//! The registration's side of the protocol: what `register!`, `register_many!`,
//! `#[register_item]` and a framework's attribute expand to, shared by gather's macros and by
//! frameworks.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

use crate::cfg::all_of;
use crate::codegen::fast::{Delim, Kit, Macro, Wrapper, path_const, split};
use crate::codegen::hook::hook_plan;
use crate::codegen::plan::Plan;
use crate::codegen::protocol;
use crate::id::span_id;
use crate::model::{Form, Registration, RegistrationKind, Resolution};
use crate::names;
use crate::session::{default_crate, default_crate_hash, next_overflow_slot};

/// What a registration adds.
///
/// ```
/// let one = gather_scan::RegistrationValue::One(quote::quote!(42));
/// # let _ = one;
/// ```
#[derive(Clone)]
pub enum RegistrationValue {
    /// One item: a constant expression of the registry's item type.
    One(TokenStream),
    /// Many items: another registry or a `&'static [T]`.
    Many(TokenStream),
    /// A map's entry: `(KEY, VALUE)`, a constant expression of the map's `(K, V)`.
    Entry(TokenStream),
}

/// The items for one registration of `registry` (a path to a registry, as written by the user)
/// with id `id` (from [`crate::span_id`] or [`crate::attribute_registration`]; `None` in an IDE).
/// `_gather`, the path of the gather crate, is not needed any more (a registration reaches
/// gather through its registry, which the registry's `crate = ..` option sets) and is kept so that
/// frameworks' calls stay as they are.
///
/// Where the scan found this registration and the registry it names, the expansion is a `const`
/// (or, in a function body or a module the registry cannot name, a trait impl keyed by the id)
/// that the registry's array refers to. A registration the scan did not find (one written by a
/// `macro_rules!` macro or another proc macro) takes the next of the registry's overflow slots,
/// which the registry probes; so does one that rustc compiles where the scan judged its `#[cfg]`s
/// would not hold. rustc decides membership in every case: no compiled registration, no item.
///
/// See [`crate::attribute_registration`] for an example.
pub fn registration(
    _gather: &TokenStream,
    registry: &TokenStream,
    id: Option<u64>,
    value: RegistrationValue,
) -> TokenStream {
    expand(registry, id, value, None).0
}

/// [`registration`] for a framework's attribute: `attribute` is its full path (`["my_framework",
/// "test"]`), which the framework's registry `registry`, at the crate root, declares as its hook
/// (`#[gather::registry(attribute = my_framework::test)]`). Knowing the hook, the registration
/// decides as the registry does whether the registry takes it, from the same scan, and then
/// needs no `check` of the registry's in const evaluation (which cost 10% of a build of 10,000
/// benchmarks); if it cannot tell, it expands as [`registration`] does.
pub fn hook_registration(
    registry: &TokenStream,
    attribute: &[&str],
    id: Option<u64>,
    value: RegistrationValue,
) -> TokenStream {
    expand(registry, id, value, Some(attribute)).0
}

/// A registration that is also an expression: a constant `usize`, the index of its item in the
/// registry (see gather's `register_index!`). Arguments as for [`registration`]. A framework's
/// function-like macro that a registry hooks (`#[gather::registry(macro = my_log::info)]`)
/// emits this with the id of its first input token ([`crate::span_id`]) to register one item per
/// call and learn its index.
///
/// ```no_run
/// extern crate proc_macro;
/// use quote::quote;
/// // In `my_log::info!`, whose `main!()` declared `crate::__MY_LOG_MESSAGES`:
/// fn info(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
///     let id = input.clone().into_iter().next().and_then(|t| gather_scan::span_id(t.span()));
///     let message = proc_macro2::TokenStream::from(input);
///     let index = gather_scan::index_registration(
///         &quote!(::gather),
///         &quote!(crate::__MY_LOG_MESSAGES),
///         id,
///         quote!(#message),
///     );
///     quote!(my_log::write(#index)).into()
/// }
/// ```
pub fn index_registration(
    _gather: &TokenStream,
    registry: &TokenStream,
    id: Option<u64>,
    value: TokenStream,
) -> TokenStream {
    let (items, key, checked) = expand(registry, id, RegistrationValue::One(value), None);
    let key_name = Ident::new("__GATHER_INDEX_KEY", Span::mixed_site());
    let index_name = Ident::new("__GATHER_INDEX", Span::mixed_site());
    // A framework's registration is checked by the registry (`check`), which says what is wrong;
    // its index then needs no second error.
    let index_of = match checked {
        true => quote!(index_of_checked),
        false => quote!(index_of),
    };
    let key = match key {
        Key::None => return quote!({ #items 0usize }),
        Key::One(k) => quote!(const #key_name: u64 = #k;),
        Key::Guarded {
            predicate,
            main,
            fallback,
        } => quote! {
            #[cfg(#predicate)]
            const #key_name: u64 = #main;
            #[cfg(not(#predicate))]
            const #key_name: u64 = #fallback;
        },
    };
    quote!({
        #items
        #key
        const #index_name: usize = #registry::#index_of(#key_name);
        #index_name
    })
}

/// The key under which a registry finds a registration's item (its id or its overflow slot's
/// key), as [`expand`] emitted it.
enum Key {
    /// Not in any registry (an IDE, an error).
    None,
    One(u64),
    /// Under the cfgs the scan judged, and where rustc disagrees.
    Guarded {
        predicate: TokenStream,
        main: u64,
        fallback: u64,
    },
}

/// A registration's items, the key of its item, and whether the registry checks it; `attribute`:
/// the framework attribute that makes it, if the framework says so.
fn expand(
    registry: &TokenStream,
    id: Option<u64>,
    value: RegistrationValue,
    attribute: Option<&[&str]>,
) -> (TokenStream, Key, bool) {
    let many = matches!(value, RegistrationValue::Many(_));
    let (plan, found) = plan(id, many, registry, attribute);
    let checked = matches!(plan, Plan::Checked { .. } | Plan::HookPath { .. });
    let id = id.unwrap_or(0);
    let guarded = matches!(
        plan,
        Plan::Path { .. } | Plan::Trait | Plan::HookPath { .. }
    );
    let predicate = found
        .filter(|_| guarded && !many)
        .and_then(|r| all_of(&r.cfg))
        .and_then(|p| p.parse::<TokenStream>().ok());
    let Some(predicate) = predicate else {
        let (items, key) = emit_keyed(registry, id, value, plan);
        return (items, key, checked);
    };
    // The registry expects it under these cfgs; if rustc compiles it without them, the scan
    // misjudged, and the registration goes to an overflow slot instead of being lost.
    let fallback = Plan::Overflow {
        crate_hash: default_crate_hash(),
    };
    let (fallback, fallback_key) = emit_keyed(registry, id, value.clone(), fallback);
    let (main, main_key) = emit_keyed(registry, id, value, plan);
    let key = match (main_key, fallback_key) {
        (Key::One(main), Key::One(fallback)) => Key::Guarded {
            predicate: predicate.clone(),
            main,
            fallback,
        },
        _ => Key::None,
    };
    let items = quote! {
        #[cfg(#predicate)]
        #main
        #[cfg(not(#predicate))]
        #fallback
    };
    (items, key, checked)
}

/// The scan's decision for the registration with this id into `registry` (as written), and the
/// registration if it found it.
fn plan(
    id: Option<u64>,
    many: bool,
    registry: &TokenStream,
    attribute: Option<&[&str]>,
) -> (Plan, Option<&'static Registration>) {
    let crate_hash = default_crate_hash();
    let (true, Some(id)) = (crate_hash != 0, id) else {
        return (Plan::Ide, None);
    };
    let krate = default_crate();
    let found = krate
        .and_then(|k| k.registration(id))
        .filter(|r| placeable(r));
    let unplaced = || match many {
        true => Plan::Checked { crate_hash },
        false => Plan::Overflow { crate_hash },
    };
    let (Some(k), Some(r)) = (krate, found) else {
        return (unplaced(), found);
    };
    if r.through_macro {
        return (if many { unplaced() } else { Plan::Probe }, found);
    }
    let target = k.target(r);
    let refused = target.as_ref().and_then(|t| k.keyed_mismatch(r, t));
    let plan = match target {
        Some(_) if refused.is_some() => Plan::Refused(refused.unwrap_or_default()),
        Some(t) => match (many, k.form(r, t.scope, true)) {
            (false, Form::Path(_)) => Plan::Path {
                name: names::const_name(id),
                alias: k.item_alias(&t),
            },
            _ => Plan::Trait,
        },
        None if r.kind.is_hook() => hook_plan(k, r, registry, crate_hash, attribute),
        None => match k.resolve_registration(r) {
            Resolution::External(path) if path.len() > 1 => Plan::Foreign {
                registry: path[path.len() - 1].clone(),
                krate: path[0].clone(),
            },
            Resolution::Item { scope, name }
                if !r.through_macro
                    && !k.scopes[scope].through_macro
                    && k.scopes[scope].items.contains(&name)
                    && !k.scopes[scope].registries.contains(&name) =>
            {
                Plan::NotRegistry { name }
            }
            _ => unplaced(),
        },
    };
    (plan, found)
}

/// The tokens of a registration, once planned, and the key of its item.
fn emit_keyed(
    registry: &TokenStream,
    id: u64,
    value: RegistrationValue,
    plan: Plan,
) -> (TokenStream, Key) {
    // A map's path-form constant is its `(K, V)`; every other form holds the registry's `Item`.
    let value = match value {
        RegistrationValue::Entry(pair) => match plan {
            Plan::Path { .. } | Plan::HookPath { .. } => RegistrationValue::One(pair),
            _ => RegistrationValue::One(
                quote!(#registry::__gather::__private::keyed::<#registry::Item>(#pair)),
            ),
        },
        value => value,
    };
    let key = match (&plan, &value) {
        (Plan::Ide | Plan::Foreign { .. } | Plan::NotRegistry { .. } | Plan::Refused(_), _) => {
            Key::None
        }
        (&Plan::Overflow { crate_hash }, RegistrationValue::One(v)) => {
            let slot = next_overflow_slot();
            let items = overflow_form(registry, v, crate_hash, slot);
            return (items, Key::One(names::overflow_key(slot)));
        }
        (Plan::Probe, _) => Key::One(names::probe_key(id)),
        _ => Key::One(id),
    };
    (emit(registry, id, value, plan), key)
}

/// Whether the registration the scan found at a position is the one expanded there: not one
/// below an attribute macro, which may remove or copy it (each copy with this position), nor
/// what another crate's attribute that writes `#[test]` (`#[quickcheck]`) has at its own
/// position (the framework's attribute written by it, with its span).
pub(crate) fn placeable(r: &Registration) -> bool {
    !r.after_attribute && !is_writer(r)
}

/// Whether the registration is the attribute of another crate's macro that writes `#[test]`.
fn is_writer(r: &Registration) -> bool {
    r.kind == RegistrationKind::Attribute
        && r.path
            .last()
            .is_some_and(|n| crate::attrs::WRITER_ATTRIBUTES.contains(&n.as_str()))
}

/// The tokens of a registration, once planned.
fn emit(registry: &TokenStream, id: u64, value: RegistrationValue, plan: Plan) -> TokenStream {
    // Made only where it is emitted: the path forms, nearly every registration, have none.
    let protocol = || protocol::registration_check(&quote!(#registry::__gather));
    let (value, trait_name, ty) = match value {
        RegistrationValue::One(v) => match plan {
            Plan::Path { name, alias } => return path_form(registry, v, &name, &alias),
            Plan::HookPath {
                name,
                alias,
                crate_hash,
            } => {
                let constant = path_form(registry, v, &name, &alias);
                let check = quote_spanned! {Span::call_site()=>
                    const _: () = #registry::check(#crate_hash, #id, false);
                };
                return quote!(#constant #check);
            }
            Plan::Probe => {
                return probe_form(registry, names::probe_key(id), &v, protocol());
            }
            Plan::Overflow { crate_hash } => {
                // Taken here, where the registration is emitted, so that no slot is skipped.
                return overflow_form(registry, &v, crate_hash, next_overflow_slot());
            }
            Plan::Refused(message) => {
                return quote_spanned!(first_span(registry)=> ::core::compile_error!(#message););
            }
            Plan::Foreign {
                registry: name,
                krate,
            } => {
                let message = foreign_message(&name, &krate);
                return quote_spanned!(first_span(registry)=> ::core::compile_error!(#message););
            }
            Plan::NotRegistry { name } => {
                let message = format!(
                    "`{name}` is not a registry: a registration names a `#[gather::registry]` static or const. \
                     Declare one (`#[gather::registry] static {name}: gather::Registry<T>;`) or name the registry to add to"
                );
                return quote_spanned!(first_span(registry)=> ::core::compile_error!(#message););
            }
            _ => (
                quote!(#registry::Entry { value: #v }),
                Ident::new(names::SLOT, Span::call_site()),
                quote!(#registry::Entry),
            ),
        },
        RegistrationValue::Entry(_) => unreachable!("entries are converted by `emit_keyed`"),
        RegistrationValue::Many(v) => (
            quote!(#registry::__gather::__private::Source(#v).into_registry()),
            Ident::new(names::MANY, Span::call_site()),
            quote!(#registry::__gather::Registry<#registry::Item>),
        ),
    };
    let protocol = protocol();
    let here = Ident::new(names::HERE, Span::mixed_site());
    let bucket: TokenStream = names::bucket(id).parse().expect("a path");
    let trait_impl = quote! {
        #[allow(non_camel_case_types, dead_code)]
        pub struct #here;
        impl #registry::#trait_name<#id, #here> for #registry::__gather::__private::#bucket {
            const VALUE: #ty = #value;
        }
        #protocol
    };
    match plan {
        Plan::Ide => quote! { const _: #ty = #value; },
        Plan::Checked { crate_hash } => {
            let many = trait_name == names::MANY;
            let check =
                quote_spanned! {Span::call_site()=> #registry::check(#crate_hash, #id, #many) };
            quote! {
                const _: () = {
                    #trait_impl
                    #check
                };
            }
        }
        _ => quote! { const _: () = { #trait_impl }; },
    }
}

/// A registration in overflow slot `slot`.
fn overflow_form(
    registry: &TokenStream,
    value: &TokenStream,
    crate_hash: u64,
    slot: u64,
) -> TokenStream {
    let protocol = protocol::registration_check(&quote!(#registry::__gather));
    let checks = quote! {
        #registry::slot(#slot);
        #registry::check_crate(#crate_hash);
        #protocol
    };
    probe_form(registry, names::overflow_key(slot), value, checks)
}

/// An inherent `const` on the registry's `Probe<key>`: the registry reads it where it is
/// defined and falls back to "absent" where it is not (a path prefers an inherent item to a
/// trait's), so whether rustc compiled this registration decides membership.
fn probe_form(
    registry: &TokenStream,
    key: u64,
    value: &TokenStream,
    checks: TokenStream,
) -> TokenStream {
    let probe = Ident::new(names::PROBE, Span::call_site());
    quote! {
        #[allow(non_local_definitions)]
        const _: () = {
            impl #registry::#probe<#key> {
                pub const V: ::core::option::Option<#registry::Item> = ::core::option::Option::Some(#value);
                /// Where it is written, for a map's duplicate-key message.
                pub const PLACE: &'static str =
                    ::core::concat!(::core::file!(), ":", ::core::line!(), " (written by a macro)");
            }
            #checks
        };
    }
}

/// What a registration aimed at another crate's registry is told.
pub(crate) fn foreign_message(registry: &str, krate: &str) -> String {
    format!(
        "`{registry}` is a registry of crate `{krate}`, and registries are crate-local: another crate cannot add to it. \
         Declare a registry in your crate and import this one into it with `gather::register_many!(YOUR_REGISTRY, path::to::{registry});`"
    )
}

/// The span of a path's first token, where rustc points its messages about the path.
fn first_span(tokens: &TokenStream) -> Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span())
}

/// The path form through the same builder as `register!`'s fast path. A `;` in the value could
/// end the `const` and add items: then parentheses keep it one expression (and rustc reports it).
///
/// The `const` is kept alive for rustc's dead-code analysis (unlike the fast path's): what a
/// `#[register_item]` or a framework's attribute registers is used by its registry.
fn path_form(registry: &TokenStream, value: TokenStream, name: &str, alias: &str) -> TokenStream {
    // In a proc macro, on rustc's tokens directly: a framework's attribute makes one per
    // registration, and proc_macro2's wrapping of each token cost more than the rest.
    if proc_macro::is_available() {
        let trees: Vec<proc_macro::TokenTree> =
            proc_macro::TokenStream::from(value).into_iter().collect();
        let value = match trees.iter().any(|t| Macro::punct_of(t) == Some(';')) {
            true => vec![Macro::group(Delim::Parenthesis, trees)],
            false => trees,
        };
        let registry: Vec<proc_macro::TokenTree> = proc_macro::TokenStream::from(registry.clone())
            .into_iter()
            .collect();
        return path_const::<Macro>(&registry, value, name, alias, true).into();
    }
    let semicolon = value
        .clone()
        .into_iter()
        .any(|t| matches!(&t, TokenTree::Punct(p) if p.as_char() == ';'));
    let value: Vec<TokenTree> = if semicolon {
        vec![proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, value).into()]
    } else {
        value.into_iter().collect()
    };
    let registry: Vec<TokenTree> = registry.clone().into_iter().collect();
    path_const::<Wrapper>(&registry, value, name, alias, true)
}

/// Whether the attribute macro being expanded is written on an item of an `impl` or `trait`
/// block (where `#[register_item]` cannot put the items it generates).
#[doc(hidden)]
pub fn attribute_in_impl() -> bool {
    let span = proc_macro::Span::call_site();
    let (Some(file), Some(krate)) = (span.local_file(), default_crate()) else {
        return false;
    };
    let file = crate::env::canonical(&file);
    krate.in_impl_body(&file, span.line(), span.column().saturating_sub(1))
}

/// The name of the `const` that the registration with id `id` expands to and the registry's
/// item alias that types it, if it takes the plain path form (see [`registration`]): the scan
/// found it, with no `#[cfg]` around it, naming a registry that reaches it by a path. Lets a
/// macro that registers one item per call emit that `const` directly, as [`registration`] would,
/// without building the other forms.
#[doc(hidden)]
pub fn plain_path_const(id: u64) -> Option<(String, String)> {
    match plan(Some(id), false, &TokenStream::new(), None) {
        (Plan::Path { name, alias }, Some(r)) if r.cfg.is_empty() => Some((name, alias)),
        _ => None,
    }
}

/// `register!(REGISTRY, VALUE)` in the path form, built from `proc_macro` tokens directly
/// (see [`fast`](super::fast)), or its tokens back when it takes another form.
#[doc(hidden)]
pub fn fast_register(
    mut trees: Vec<proc_macro::TokenTree>,
) -> Result<proc_macro::TokenStream, Vec<proc_macro::TokenTree>> {
    let Some((comma, value_end)) = split::<Macro>(&trees) else {
        return Err(trees);
    };
    let Some(id) = span_id(trees[0].span()) else {
        return Err(trees);
    };
    let Some((name, alias)) = plain_path_const(id) else {
        return Err(trees);
    };
    // The value's trees are moved, not cloned: cloning a group is a call into rustc.
    trees.truncate(value_end);
    let value: Vec<_> = trees.drain(comma + 1..).collect();
    Ok(path_const::<Macro>(
        &trees[..comma],
        value,
        &name,
        &alias,
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::fast::{Kit, split};

    fn tokens(text: &str) -> Vec<TokenTree> {
        text.parse::<TokenStream>().unwrap().into_iter().collect()
    }

    /// `register!`'s fast path on these arguments, in `proc_macro2` tokens.
    fn fast(args: &str) -> Option<String> {
        let mut trees = tokens(args);
        let (comma, end) = split::<Wrapper>(&trees)?;
        trees.truncate(end);
        let value = trees.drain(comma + 1..).collect();
        Some(path_const::<Wrapper>(&trees[..comma], value, "C", "A", false).to_string())
    }

    /// The general form on the same arguments, split at the first comma, less the dead-code
    /// root it adds.
    fn general(registry: &str, value: &str) -> String {
        let value = RegistrationValue::One(value.parse().unwrap());
        let plan = Plan::Path {
            name: "C".into(),
            alias: "A".into(),
        };
        emit(&registry.parse().unwrap(), 1, value, plan)
            .to_string()
            .replace("# [allow (dead_code)] ", "")
            .replace("dead_code , ", "")
    }

    #[test]
    fn fast_path_equals_the_general_form_token_for_token() {
        for (args, registry, value) in [
            ("R, 1", "R", "1"),
            ("crate::a::R, \"x\",", "crate::a::R", "\"x\""),
            ("::dep::R, (1 + 2)", "::dep::R", "(1 + 2)"),
            ("R, (1, 2)", "R", "(1, 2)"),
            ("R, { 3 }", "R", "{ 3 }"),
            ("R, [1, 2]", "R", "[1, 2]"),
            ("super::R, f::<u8> as fn()", "super::R", "f::<u8> as fn()"),
        ] {
            assert_eq!(
                fast(args).as_deref(),
                Some(&*general(registry, value)),
                "{args}"
            );
        }
    }

    #[test]
    fn lints_are_allowed_only_for_a_wrapped_value() {
        let allow = |args: &str| fast(args).unwrap().contains("unused_parens");
        assert!(allow("R, (1)"));
        assert!(allow("R, {1}"));
        assert!(!allow("R, (1, 2)"));
        assert!(!allow("R, 1"));
        assert!(!allow("R, (1) + 2"));
    }

    #[test]
    fn other_shapes_leave_the_fast_path() {
        for args in [
            "R",
            "R,",
            "R, ,",
            "<R>::X, 1",
            "R, { 1 }; fn f() {}",
            ", 1",
            "\"R\", 1",
        ] {
            assert_eq!(fast(args), None, "{args}");
        }
        // The general form keeps a value with `;` one expression.
        let out = general("R", "a; b");
        assert!(out.contains("= (a ; b) ;"), "{out}");
    }

    #[test]
    fn trait_and_unseen_forms_carry_the_protocol_check() {
        let registry: TokenStream = "R".parse().unwrap();
        let emit =
            |plan| emit(&registry, 1025, RegistrationValue::One(quote!(7)), plan).to_string();
        let trait_form = emit(Plan::Trait);
        assert!(
            trait_form.contains("impl R :: Slot < 1025u64"),
            "{trait_form}"
        );
        assert!(
            trait_form.contains(
                "buckets :: _0 :: _0 :: _0 :: _0 :: _0 :: _0 :: _0 :: _0 :: _0 :: _1 :: B"
            ),
            "{trait_form}"
        );
        let check = format!(
            "R :: __gather :: __private :: expect_protocol ({}u32",
            protocol::PROTOCOL
        );
        assert!(trait_form.contains(&check), "{trait_form}");
        assert!(!trait_form.contains(":: gather"), "{trait_form}");
        assert!(!trait_form.contains("check ("), "{trait_form}");
        let unseen = emit(Plan::Checked { crate_hash: 9 });
        assert!(
            unseen.contains("R :: check (9u64 , 1025u64 , false)"),
            "{unseen}"
        );
        assert_eq!(
            emit(Plan::Ide),
            "const _ : R :: Entry = R :: Entry { value : 7 } ;"
        );
        let _ = <Wrapper as Kit>::ident("unused");
        let many = super::emit(
            &registry,
            3,
            RegistrationValue::Many(quote!(dep::R)),
            Plan::Trait,
        )
        .to_string();
        assert!(
            many.contains("R :: __gather :: __private :: Source (dep :: R)"),
            "{many}"
        );
        let probe =
            super::emit(&registry, 3, RegistrationValue::One(quote!(7)), Plan::Probe).to_string();
        assert!(probe.contains("impl R :: Probe < 3u64 >"), "{probe}");
        assert!(probe.contains("non_local_definitions"), "{probe}");
    }
}
