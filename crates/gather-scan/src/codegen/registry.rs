//! The registry's side of the protocol: the `static` (or `const`) a `#[registry]` becomes, the
//! module of types and traits its registrations name, and the array that refers to each
//! registration the scan found, under its `#[cfg]`s.

use std::collections::{BTreeMap, HashSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::cfg::Cfg;
use crate::codegen::index::Candidates;
use crate::codegen::order::{seed, shuffle};
use crate::codegen::probes::{Probe, ProbeItems};
use crate::codegen::text::{cfg_attr, parse};
use crate::codegen::{map, map_keys, messages, probes, protocol, seen};
use crate::env::{Mode, mode};
use crate::hash::hash_bytes;
use crate::model::{Crate, Form, Registration, RegistrationKind, RegistryId, Resolution, ScopeId};
use crate::names;
use crate::session::scan;

/// A registry declaration, parsed by gather's `#[registry]` macro.
pub struct Declaration {
    /// The declaration's own attributes (doc comments, `#[allow]`s), passed through.
    pub attrs: TokenStream,
    /// Its visibility.
    pub vis: TokenStream,
    /// `const` rather than `static`.
    pub is_const: bool,
    /// The span of the `static` / `const` keyword.
    pub keyword_span: Span,
    /// The registry's name.
    pub name: Ident,
    /// Its declared type, `Registry<T>`.
    pub ty: TokenStream,
    /// `T`, with elided lifetimes made `'static`.
    pub item: TokenStream,
    /// For a `Map<K, V>`: `K` and `V`, with elided lifetimes made `'static`.
    pub map: Option<(TokenStream, TokenStream)>,
}

/// The `#[registry(..)]` options.
#[derive(Default)]
pub struct Options {
    /// `root = ".."`: the crate root file, relative to the package.
    pub root: Option<String>,
    /// `attribute = path`: framework attributes that register into this registry, as paths.
    pub attributes: Vec<Vec<String>>,
    /// `crate = path`: the path of the gather crate (default `::gather`).
    pub krate: Option<TokenStream>,
    /// `overflow = N`: how many registrations that the scan could not see it probes for.
    pub overflow: Option<u64>,
    /// `macro = path`: framework macros whose calls register into this registry, as paths.
    pub macros: Vec<Vec<String>>,
}

/// The code of a registry.
pub fn expand(options: Options, decl: Declaration) -> syn::Result<TokenStream> {
    let Declaration {
        attrs,
        vis,
        is_const,
        keyword_span,
        name,
        ty,
        item,
        map,
    } = decl;
    let gather = options.krate.clone().unwrap_or_else(|| quote!(::gather));
    // A map's items are `MapEntry<K, V>`, but its path-form constants, which rustc checks by the
    // ten thousand, are plain `(K, V)` tuples, its `Pair`s.
    let (item, pair) = match &map {
        Some((k, v)) => (
            quote!(#gather::__private::MapEntry<#k, #v>),
            Some(quote!((#k, #v))),
        ),
        None => (item, None),
    };
    let pair_alias = Ident::new(&format!("__gather_pair_{name}"), Span::call_site());
    let (pair_decl, pair_in_module, path_ty) = match &pair {
        Some(pair) => (
            quote! {
                #[doc(hidden)]
                #[allow(non_camel_case_types)]
                type #pair_alias = #pair;
            },
            quote!(pub type Pair = super::#pair_alias;),
            quote!(Pair),
        ),
        None => (TokenStream::new(), TokenStream::new(), quote!(Item)),
    };
    // The path of an own path-form constant as an `Item`, where one is needed.
    let path_item = |modules: &[String], id: u64| match &pair {
        Some(_) => format!("__gather::__private::MapEntry({})", const_path(modules, id)),
        None => const_path(modules, id),
    };
    let alias = Ident::new(&names::item_type(&name.to_string()), Span::call_site());
    let registry_name = name.to_string();
    let crate_name = crate::env::crate_name().unwrap_or_else(|| "(unnamed)".into());

    let mode = mode(options.root.as_deref());
    let (members, imports, crate_hash, ide, krate) = match &mode {
        Mode::Compiler { root, crate_hash } => {
            let krate = scan(root);
            let (own, many, me) = members(&krate, &name, &options);
            if !krate.scopes[me].is_module {
                return Err(syn::Error::new(
                    name.span(),
                    messages::not_module_level(&registry_name),
                ));
            }
            let alias = krate.item_alias(&RegistryId {
                scope: me,
                name: crate::tokens::unraw(&name.to_string()).to_owned(),
            });
            (own, many, *crate_hash, false, Some((krate, alias)))
        }
        Mode::CompilerWithoutRoot { .. } => {
            return Err(syn::Error::new(
                name.span(),
                messages::no_crate_root(&registry_name),
            ));
        }
        Mode::Ide => (Vec::new(), Vec::new(), 0, true, None),
    };
    let mut members = members;
    let mut imports = imports;
    if let Some(seed) = seed() {
        shuffle(&mut members, seed ^ hash_bytes(registry_name.as_bytes()));
        shuffle(
            &mut imports,
            seed.rotate_left(17) ^ hash_bytes(registry_name.as_bytes()),
        );
    }
    // Registrations only rustc can place go through probes; with any of them, all own
    // registrations do, so that they keep their source order.
    let through_probes = members.iter().any(|(r, _)| r.through_macro);
    let (mut direct, members) = if through_probes {
        (Vec::new(), members)
    } else {
        (members, Vec::new())
    };
    let own_keys = match map {
        Some(_) => map_keys::by_literal_key(&mut direct, |(r, _)| r.key.as_deref()),
        None => Vec::new(),
    };
    let overflow = options.overflow.unwrap_or(names::DEFAULT_OVERFLOW);
    let mut overflow_keys: Vec<u64> = (0..overflow).map(names::overflow_key).collect();
    if let Some(seed) = seed() {
        shuffle(
            &mut overflow_keys,
            seed.rotate_left(31) ^ hash_bytes(registry_name.as_bytes()),
        );
    }
    let mut seen_ids: Vec<u64> = direct
        .iter()
        .chain(&members)
        .chain(&imports)
        .map(|(r, _)| r.id)
        .collect();
    seen_ids.sort_unstable();
    if let Some(w) = seen_ids.windows(2).find(|w| w[0] == w[1]) {
        let (dup, _) = direct
            .iter()
            .chain(&members)
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
        let all: Vec<&Member> = direct.iter().chain(&members).chain(&imports).collect();
        messages::debug_report(
            &registry_name,
            krate.as_ref().map(|(k, _)| &**k),
            &all,
            overflow,
        );
    }

    let element = |(r, form): &(Registration, Form), tr: &str| -> syn::Result<TokenStream> {
        let id = r.id;
        let cfg = parse(&cfg_attr(&r.cfg))?;
        Ok(match form {
            Form::Path(modules) => {
                // (Only in an array of `Entry`, next to trait-form registrations.)
                let path = parse(&path_item(modules, id))?;
                quote!(#cfg Entry { value: #path })
            }
            Form::Trait => {
                let bucket = parse(&names::bucket(id))?;
                let tr = format_ident!("{}", tr);
                quote!(#cfg <__gather::__private::#bucket as #tr<#id, _>>::VALUE)
            }
        })
    };
    // Own items are mostly path-form consts, of type `Item`: then the array is of `Item` and their
    // paths are written as text and parsed at once (one call into rustc instead of tokens built
    // one by one, for up to tens of thousands). Trait-form registrations are `Entry` values (an
    // `Entry`'s field cannot be moved out in a static if `Item` has a destructor): with any of
    // them, the array is of `Entry`, seen as `[Item]` through `items`.
    let all_paths = direct.iter().all(|(_, f)| matches!(f, Form::Path(_)));
    let (items_ty, items_ref) = if all_paths {
        (path_ty.clone(), quote!(&#name::ITEMS))
    } else {
        (quote!(Entry), quote!(#name::items(&#name::ITEMS)))
    };
    let elements = if all_paths {
        let mut text = String::new();
        for (r, form) in &direct {
            let Form::Path(modules) = form else {
                unreachable!()
            };
            text.push_str(&cfg_attr(&r.cfg));
            text.push_str(&const_path(modules, r.id));
            text.push(',');
        }
        vec![parse(&text)?]
    } else {
        direct
            .iter()
            .map(|m| element(m, "Slot"))
            .collect::<syn::Result<Vec<_>>>()?
    };
    let import_elements = imports
        .iter()
        .map(|m| element(m, "Many"))
        .collect::<syn::Result<Vec<_>>>()?;
    let twice = import_pairs(&registry_name, &imports)?;
    let identity = crate_hash ^ hash_bytes(alias_name(&krate, &name).as_bytes());
    // A map's entries have keys, not indices: it has no index tables, and a registration that
    // asks for an index (written where the scan could not see that the registry is a map) is
    // told so in const evaluation.
    let not_indexed = messages::map_has_no_indices(&registry_name);
    let map_index_of = quote! {
        pub const fn index_of(_: u64) -> usize { ::core::panic!(#not_indexed) }
        pub const fn index_of_checked(_: u64) -> usize { ::core::panic!(#not_indexed) }
    };
    let index_tables = if map.is_some() {
        map_index_of
    } else {
        Candidates {
            direct: direct.iter().map(|(r, _)| r).collect(),
            member_probes: members.iter().map(|(r, _)| r).collect(),
            probe_cfgs: members
                .iter()
                .map(|(r, _)| match r.through_macro {
                    true => String::new(),
                    false => cfg_attr(&r.cfg),
                })
                .chain(overflow_keys.iter().map(|_| String::new()))
                .collect(),
            overflow_keys: &overflow_keys,
            seed: seed(),
        }
        .tokens(
            &quote!(__gather),
            &messages::index_not_found(&registry_name),
        )?
    };
    let mut probes = Vec::with_capacity(members.len() + overflow_keys.len());
    for (r, form) in &members {
        if r.through_macro {
            probes.push(Probe::keyed(names::probe_key(r.id)));
            continue;
        }
        let item = match form {
            Form::Path(modules) => path_item(modules, r.id),
            Form::Trait => format!(
                "<__gather::__private::{} as Slot<{}u64, _>>::VALUE.value",
                names::bucket(r.id),
                r.id
            ),
        };
        probes.push(Probe::direct(cfg_attr(&r.cfg), item));
    }
    probes.extend(overflow_keys.iter().map(|&key| Probe::keyed(key)));
    let len = count_expr(&direct)?;
    let imports_len = count_expr(&imports)?;

    // A map's entries are collected in constants, and sorted into its own storage; its own
    // array is stored as a plain registry's, which a `FAST` map's entries are.
    let storage = if is_const || map.is_some() {
        quote!(const)
    } else {
        quote!(static)
    };
    let items_storage = if is_const {
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
        "this `register_many!` was not found by the scan of registry `{registry_name}` (crate `{crate_name}`): \
         an import written by a macro cannot be seen. Write `register_many!` literally in a module file, with a path \
         the scan can follow to the registry (a `use`, `use .. as`, a glob, `crate::`, `self::` or `super::`). \
         `GATHER_DEBUG=1` lists what the scan found."
    );
    let unseen_hook = format!(
        "this call was not found by the scan of registry `{registry_name}` (crate `{crate_name}`) as one of the \
         registrations that its framework's attributes or macros make: the scan follows the attribute's or macro's \
         full path, a `use`, a `use .. as` and glob imports, but not a call written by another macro. \
         `GATHER_DEBUG=1` lists what the scan found."
    );
    let not_compiled = format!(
        "registry `{registry_name}` expects a registration (id {{ID}}) that rustc did not compile or that names another registry"
    );
    let unimplemented_note = "the scan found a registration whose `#[cfg]`s or registry path it judged differently from rustc; \
                              `GATHER_DEBUG=1 cargo build` lists each registration with its id, place and cfg. \
                              Please report this case to gather."
        .to_string();
    let (check_body, seen_const) = if ide {
        (quote!(let _ = (krate, id, many);), quote!())
    } else {
        (
            quote! {
                if krate != #crate_hash { ::core::panic!(#foreign) }
                if !__gather::__private::contains(SEEN, id) {
                    if many { ::core::panic!(#unseen) } else { ::core::panic!(#unseen_hook) }
                }
            },
            {
                let table = seen::id_table(&checked_ids);
                quote!(const SEEN: &[u64] = &[#(#table),*];)
            },
        )
    };
    let item_alias = krate.as_ref().map(|(_, alias)| {
        let alias = Ident::new(alias, Span::call_site());
        quote! {
            #[allow(non_camel_case_types)]
            pub type #alias = #path_ty;
        }
    });
    let full = format!(
        "the registrations of crate `{crate_name}` that gather's scan could not place (written by macros, or in files it \
         did not reach) need more than the {overflow} overflow slot{} of registry `{registry_name}`: raise the number with \
         `#[registry(overflow = {})]` (a framework's `main!()` passes it on, as in `gather_test::main!(overflow = ..)`)",
        if overflow == 1 { "" } else { "s" },
        overflow.max(1) * 4
    );
    let storage_for_probes = storage.clone();
    // Where each probe's registration is, which only a map's duplicate-key message reads.
    let probe_chunks = match &map {
        Some(_) => {
            let places: Vec<String> = map::places(members.iter().map(|(r, _)| r))
                .into_iter()
                .map(|place| format!("{place:?}"))
                .chain(
                    overflow_keys
                        .iter()
                        .map(|&key| format!("{}::<{key}u64>::PLACE", names::PROBE)),
                )
                .collect();
            probes
                .chunks(probes::CHUNK)
                .zip(places.chunks(probes::CHUNK))
                .map(|(ps, places)| {
                    ps.iter()
                        .map(|p| p.cfg.clone())
                        .zip(places.iter().cloned())
                        .collect()
                })
                .collect()
        }
        None => Vec::new(),
    };
    let (probe_items, probed) = ProbeItems {
        gather: &quote!(__gather),
        storage: &storage_for_probes,
        probes,
        overflow,
        full: (!ide).then_some(full),
        foreign: (!ide).then(|| (crate_hash, foreign.clone())),
    }
    .tokens()?;
    let probed_len = probed.len();
    let doc_hidden = quote!(#[doc(hidden)]);
    let protocol_check = protocol::registry_check(&quote!(__gather));
    let gather_alias = Ident::new(&names::gather_alias(&registry_name), Span::call_site());
    let (map_items, init) = match &map {
        Some(_) => {
            let parts = map::MapParts {
                name: &registry_name,
                storage: if is_const {
                    quote!(const)
                } else {
                    quote!(static)
                },
                items_ref: &if all_paths {
                    quote!(__gather::__private::map::entries(&ITEMS))
                } else {
                    quote!(items(&ITEMS))
                },
                own: direct.iter().map(|(r, _)| (r, cfg_attr(&r.cfg))).collect(),
                probe_chunks,
                imports: imports.iter().map(|(r, _)| (cfg_attr(&r.cfg), r)).collect(),
                own_keys,
                key_type: map.as_ref().map(|(k, _)| k.to_string()).unwrap_or_default(),
            };
            let items = parts.tokens()?;
            // A `FAST` map's entries are its own array (`ITEMS`), as the registry emitted it.
            let own_pairs = if all_paths {
                quote!(&#name::ITEMS)
            } else {
                quote!(#name::__gather::__private::map::pairs(#items_ref))
            };
            let init = quote!(#name::__gather::__private::map::map(
                if #name::FAST { #own_pairs } else { &#name::ENTRIES },
                &#name::INDEX,
                &#name::SOURCES,
            ));
            (items, init)
        }
        None => (
            TokenStream::new(),
            quote!(#name::__gather::__private::registry(
                #items_ref, &#name::PARTS, &#name::SOURCES, #name::FINGERPRINT,
            )),
        ),
    };
    Ok(quote! {
        #doc_hidden
        #[allow(non_camel_case_types)]
        type #alias = #item;

        #pair_decl

        #attrs
        #vis #decl_kw #name: #ty = #init;

        // The path to gather as the registry's options give it, resolved here, where it was
        // written; the registry's module and every registration reach gather through it, so that
        // a facade or a renamed dependency needs no `gather` in scope.
        #doc_hidden
        #[allow(unused_imports)]
        pub(crate) use #gather as #gather_alias;

        #doc_hidden
        #[allow(non_snake_case, non_upper_case_globals, clippy::all)]
        #vis mod #name {
            pub type Item = super::#alias;
            #pair_in_module
            pub(crate) use super::#gather_alias as __gather;

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

            /// The type of path-form registrations (see `Crate::item_alias`).
            #item_alias

            #[diagnostic::on_unimplemented(message = #not_compiled, note = #unimplemented_note)]
            pub trait Slot<const ID: u64, L> {
                const VALUE: Entry;
            }
            #[diagnostic::on_unimplemented(message = #not_compiled, note = #unimplemented_note)]
            pub trait Many<const ID: u64, L> {
                const VALUE: __gather::Registry<Item>;
            }

            #seen_const
            /// Fails compilation, with a message, for a registration this registry cannot take.
            pub const fn check(krate: u64, id: u64, many: bool) {
                #check_body
            }

            #protocol_check

            // Rebuild when the shuffle seed changes, and report when `GATHER_DEBUG` is set: rustc
            // tracks the variables `option_env!` reads.
            const _: ::core::option::Option<&str> = ::core::option_env!("GATHER_SEED");
            const _: ::core::option::Option<&str> = ::core::option_env!("GATHER_DEBUG");

            const LEN: usize = #len;
            pub #items_storage ITEMS: [#items_ty; LEN] = [#(#elements),*];
            #probe_items
            const IMPORTS_LEN: usize = #probed_len + #imports_len;
            #storage IMPORTS: [__gather::Registry<Item>; IMPORTS_LEN] = [
                #(__gather::__private::registry(&#probed, &[], &[], 0),)*
                #(#import_elements),*
            ];
            pub #storage PARTS: [&'static [Item]; __gather::__private::parts_len(&IMPORTS)] =
                __gather::__private::flatten(&IMPORTS);
            pub #storage SOURCES: [u64; __gather::__private::sources_len(&IMPORTS)] =
                __gather::__private::sources(#identity, &IMPORTS);
            #twice
            #index_tables
            #map_items
        }
    })
}

/// A registration of a registry, and how the registry reaches it.
type Member = (Registration, Form);

/// The registrations that name this registry, own items and imports, each with how the
/// registry reaches it; and the scope the registry is declared in.
fn members(krate: &Crate, name: &Ident, options: &Options) -> (Vec<Member>, Vec<Member>, ScopeId) {
    let loc = name.span().unwrap();
    let file = loc.local_file().map(|f| crate::env::canonical(&f));
    let me = match &file {
        Some(f) => krate.registry_at(f, loc.line(), loc.column().saturating_sub(1)),
        None => 0,
    };
    let my_name = crate::tokens::unraw(&name.to_string()).to_owned();
    let literal = krate.scopes[me].registries.contains(&my_name);
    let attributes: HashSet<Vec<String>> = options.attributes.iter().cloned().collect();
    let macros: HashSet<Vec<String>> = options.macros.iter().cloned().collect();
    let mut own = Vec::new();
    let mut many = Vec::new();
    // One below an attribute macro comes in overflow slots, once per copy rustc compiles.
    for r in krate.registrations.iter().filter(|r| !r.after_attribute) {
        // Every attribute and macro call of the crate is recorded as a possible hook: resolve
        // them only for a registry that has hooks of that kind.
        let no_hooks = match r.kind {
            RegistrationKind::Attribute => attributes.is_empty(),
            RegistrationKind::Macro => macros.is_empty(),
            _ => false,
        };
        if no_hooks {
            continue;
        }
        let resolved = krate.resolve_registration(r);
        let is_member = match r.kind {
            RegistrationKind::Attribute => krate.hooked(r, &resolved, |p| attributes.contains(p)),
            RegistrationKind::Macro => krate.hooked(r, &resolved, |p| macros.contains(p)),
            _ => {
                matches!(&resolved, Resolution::Item { scope, name } if *scope == me && *name == my_name)
            }
        };
        let refused = || {
            let t = RegistryId {
                scope: me,
                name: my_name.clone(),
            };
            krate.keyed_mismatch(r, &t).is_some()
        };
        if !is_member || refused() {
            continue;
        }
        match r.kind {
            RegistrationKind::Many => many.push((r.clone(), Form::Trait)),
            _ => own.push((r.clone(), krate.form(r, me, literal))),
        }
    }
    (own, many, me)
}

/// The registry's identity, as its item alias names it: the same for every scan of the crate.
fn alias_name(krate: &Option<(std::sync::Arc<Crate>, String)>, name: &Ident) -> String {
    krate
        .as_ref()
        .map_or_else(|| name.to_string(), |(_, alias)| alias.clone())
}

/// A compile-time check per pair of imports that they do not hold items of one registry (the
/// same registry imported twice, or one that another import already contains): each item would
/// be in the registry twice.
fn import_pairs(registry: &str, imports: &[Member]) -> syn::Result<TokenStream> {
    let mut checks = TokenStream::new();
    let value = |r: &Registration| -> syn::Result<TokenStream> {
        let bucket = parse(&names::bucket(r.id))?;
        let id = r.id;
        Ok(quote!(<__gather::__private::#bucket as Many<#id, _>>::VALUE))
    };
    let place = |r: &Registration| {
        let source = r.imported.as_deref().unwrap_or("..");
        format!(
            "`register_many!({registry}, {source})` at {}:{}:{}",
            messages::shown(&r.file),
            r.line,
            r.column + 1
        )
    };
    for (i, (a, _)) in imports.iter().enumerate() {
        for (b, _) in &imports[i + 1..] {
            let cfg: Vec<Cfg> = a.cfg.iter().chain(&b.cfg).cloned().collect();
            let cfg = parse(&cfg_attr(&cfg))?;
            let (va, vb) = (value(a)?, value(b)?);
            let message = format!(
                "registry `{registry}` would hold items twice: {} and {} import items of the same registry \
                 (the same one, or one that the other already imports). Remove one of the two imports",
                place(a),
                place(b)
            );
            checks.extend(quote! {
                #cfg
                const _: () = ::core::assert!(!__gather::__private::share_a_source(#va, #vb), #message);
            });
        }
    }
    Ok(checks)
}

/// The path of a path-form registration's `const`, from the crate root.
fn const_path(modules: &[String], id: u64) -> String {
    let mut text = String::from("crate::");
    for m in modules {
        text.push_str(&names::raw_if_keyword(m));
        text.push_str("::");
    }
    text.push_str(&names::const_name(id));
    text
}

/// The number of registrations rustc compiles: registrations grouped by their cfg, one
/// `#[cfg]`-guarded addition per group (few groups in practice, however many registrations).
fn count_expr(rs: &[(Registration, Form)]) -> syn::Result<TokenStream> {
    let mut groups: BTreeMap<&[Cfg], usize> = BTreeMap::new();
    for (r, _) in rs {
        *groups.entry(&r.cfg).or_default() += 1;
    }
    let mut parts = Vec::new();
    for (cfg, n) in groups {
        let attr = parse(&cfg_attr(cfg))?;
        parts.push(quote!(#attr { n += #n; }));
    }
    Ok(quote!({
        #[allow(unused_mut)]
        let mut n = 0usize;
        #(#parts)*
        n
    }))
}
