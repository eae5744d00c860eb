//! A `Map<K, V>` registry: what its module adds to a registry's. The registry collects the
//! map's entries as usual, in constants, in runs: its own registrations (emitted in literal key
//! order, see `map_keys.rs`), each chunk of probed ones, each import. The map's constants then
//! sort each run in pieces, merge the pieces one after the other, and move the entries into key
//! order, with gather's `__private::map`; every step is its own constant, so that none runs
//! into rustc's limit on one constant's evaluation. When the registry knows the whole map (its
//! own entries only, every key a literal, see `Certified`), all of those are empty: the map is
//! `FAST`, its entries the own array, its index computed here (`map_hash.rs`).

use std::collections::HashMap;
use std::path::Path;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::codegen::map_hash::{self, Numbers};
use crate::codegen::map_keys::Literal;
use crate::codegen::messages;
use crate::codegen::text::parse;
use crate::model::Registration;

/// Entries one constant sorts: gather's `__private::map::PIECE`, which the map checks.
const PIECE: usize = 1024;

/// What the map's constants are built from.
pub(crate) struct MapParts<'a> {
    /// The map's name, for messages.
    pub name: &'a str,
    /// `static` or `const`, as declared: the storage of the sorted entries.
    pub storage: TokenStream,
    /// The registry's own items as `&'static [Item]`.
    pub items_ref: &'a TokenStream,
    /// The registrations in the registry's own array, in its order, with their `#[cfg]`s as
    /// attribute text.
    pub own: Vec<(&'a Registration, String)>,
    /// The probes, chunk by chunk: each one's `#[cfg]` text and place (an expression).
    pub probe_chunks: Vec<Vec<(String, String)>>,
    /// The imports, in the registry's order: each one's `#[cfg]` text and registration.
    pub imports: Vec<(String, &'a Registration)>,
    /// The own registrations' keys, where literals.
    pub own_keys: Vec<Option<Literal>>,
    /// The key type `K` as written, lifetimes made `'static`.
    pub key_type: String,
}

/// What the registry knows of a map whose own entries all have literal keys, none twice and
/// none under a `#[cfg]`: they are in key order as emitted, and their index is computed here.
struct Certified {
    /// Witnesses that gather checks: the first key, the longest and the last, with their
    /// hashes (positions in the own run).
    witnesses: Vec<(usize, u64)>,
    /// The index's slots.
    slots: Vec<u32>,
}

fn certify(
    own: &[(&Registration, String)],
    keys: Vec<Option<Literal>>,
    key_type: &str,
) -> Option<Certified> {
    if own.iter().any(|(_, cfg)| !cfg.is_empty()) {
        return None;
    }
    let keys = keys.into_iter().collect::<Option<Vec<Literal>>>()?;
    if keys.windows(2).any(|w| w[0] >= w[1]) {
        // A key twice (they come sorted): gather's general way reports it with both places.
        return None;
    }
    // Strings hash by their bytes whatever the key type's name.
    let numbers = map_hash::numbers_of(key_type).or_else(|| {
        keys.iter()
            .all(|k| matches!(k, Literal::Bytes(_)))
            .then_some(Numbers::None)
    })?;
    let hashes = keys
        .iter()
        .map(|k| map_hash::key_hash(k, numbers))
        .collect::<Option<Vec<u64>>>()?;
    Some(Certified {
        witnesses: witnesses(&keys, &hashes),
        slots: map_hash::index(&hashes),
    })
}

/// The keys whose hashes gather checks in const evaluation: the first, the longest (string
/// keys: most of the hash's steps) and the last, once each.
fn witnesses(keys: &[Literal], hashes: &[u64]) -> Vec<(usize, u64)> {
    let longest = keys
        .iter()
        .enumerate()
        .max_by_key(|(_, k)| match k {
            Literal::Bytes(b) => b.len(),
            Literal::Number(_) => 0,
        })
        .map(|(i, _)| i);
    let mut at: Vec<usize> = [Some(0), longest, keys.len().checked_sub(1)]
        .into_iter()
        .flatten()
        .filter(|&i| i < keys.len())
        .collect();
    at.sort_unstable();
    at.dedup();
    at.into_iter().map(|i| (i, hashes[i])).collect()
}

/// `file:line` of a registration, as messages show it.
pub(crate) fn place(r: &Registration) -> String {
    format!("{}:{}", messages::shown(&r.file), r.line)
}

/// The places of these registrations, each file shown once (`shown` resolves the path).
pub(crate) fn places<'a>(registrations: impl Iterator<Item = &'a Registration>) -> Vec<String> {
    let mut files: HashMap<&Path, String> = HashMap::new();
    registrations
        .map(|r| {
            let file = files
                .entry(&r.file)
                .or_insert_with(|| messages::shown(&r.file));
            format!("{file}:{}", r.line)
        })
        .collect()
}

/// A run of entries besides the map's own: where it is in the registry's `IMPORTS` (counted
/// among those compiled) and under which `#[cfg]` it exists.
struct Run {
    cfg: String,
    places: TokenStream,
}

impl MapParts<'_> {
    /// The map's items, inside the registry's module.
    pub(crate) fn tokens(self) -> syn::Result<TokenStream> {
        let MapParts {
            name,
            storage,
            items_ref,
            own,
            probe_chunks,
            imports,
            own_keys,
            key_type,
        } = self;
        let certified = certify(&own, own_keys, &key_type);
        let g = quote!(__gather::__private::map);
        let i = quote!(__gather::__private::map_index);
        let mut items = TokenStream::new();

        // Places: per entry for the own run and probed chunks, one per import.
        // The own run's places as one text and each entry's offset in it (under the entry's
        // cfgs): numbers cost rustc far less than one string per entry, and are read only for
        // a duplicate key's message.
        let own_places = places(own.iter().map(|(r, _)| *r));
        let mut own_text = String::new();
        let own_width;
        if certified.is_some() {
            // No `#[cfg]`s: every entry has its line, all lines one width.
            own_width = own_places.iter().map(|p| p.len() + 1).max().unwrap_or(1);
            for place in &own_places {
                own_text.push_str(place);
                own_text.push_str(&"\n".repeat(own_width - place.len()));
            }
            items.extend(quote!(
                const OWN_PLACES: [u32; 0] = [];
            ));
        } else {
            own_width = 0;
            let mut own_offsets = String::new();
            for ((_, cfg), place) in own.iter().zip(&own_places) {
                own_offsets.push_str(&format!("{cfg}{}u32,", own_text.len()));
                own_text.push_str(place);
                own_text.push('\n');
            }
            let own_offsets = parse(&own_offsets)?;
            items.extend(quote! {
                const OWN_PLACES: [u32; LEN] = [#own_offsets];
            });
        }
        let mut runs = Vec::new();
        for (i, chunk) in probe_chunks.iter().enumerate() {
            let mut list = String::new();
            for (cfg, place) in chunk {
                list.push_str(&format!("{cfg}{place},"));
            }
            let list = parse(&list)?;
            let present = format_ident!("PRESENT_{i}");
            let places = format_ident!("PROBE_PLACES_{i}");
            items.extend(quote! {
                const #places: [&str; __gather::__private::count_present(&#present)] =
                    #g::select(&#present, [#list]);
            });
            runs.push(Run {
                cfg: String::new(),
                places: quote!(&#places),
            });
        }
        for (cfg, r) in &imports {
            let text = format!(
                "{}, by `register_many!({name}, {})`",
                place(r),
                r.imported.as_deref().unwrap_or("..")
            );
            runs.push(Run {
                cfg: cfg.clone(),
                places: quote!(&[#text]),
            });
        }

        // The runs, their keys and the context of every sorting constant.
        let mut run_places = TokenStream::new();
        let mut on = Vec::new();
        for (k, run) in runs.iter().enumerate() {
            let cfg = parse(&run.cfg)?;
            let places = &run.places;
            run_places.extend(quote!(#cfg #places,));
            let on_k = format_ident!("ON_{k}");
            items.extend(quote! {
                const #on_k: bool = {
                    #[allow(unused_mut)]
                    let mut n = 0;
                    #cfg { n += 1; }
                    n == 1
                };
            });
            on.push(on_k);
        }
        items.extend(quote! {
            const _: () = ::core::assert!(#g::PIECE == #PIECE);
            const RUNS: [&'static [Item]; 1 + IMPORTS_LEN] = #g::runs(#items_ref, &IMPORTS);
            const TRUSTED: [bool; 1 + IMPORTS_LEN] = #g::trusted(&IMPORTS);
            const OFFSETS: [usize; 2 + IMPORTS_LEN] = #g::offsets(&RUNS);
            const TOTAL: usize = OFFSETS[1 + IMPORTS_LEN];
            const KEYS: [#g::Repr; SLOW] = #g::reprs(&RUNS);
            const RUN_PLACES: [&[&str]; 1 + IMPORTS_LEN] = [&[], #run_places];
            const CTX: #g::Ctx<'static> = #g::Ctx {
                name: #name,
                keys: &KEYS,
                offsets: &OFFSETS,
                places: &RUN_PLACES,
                own_text: #own_text,
                own_places: &OWN_PLACES,
                own_width: #own_width,
            };
        });

        // With every entry its own and certified, the entries as emitted are the map, and the
        // index is the registry's: every constant of the general way below is empty (`SLOW`).
        let (witnesses_agree, index_bytes) = match &certified {
            Some(c) => {
                let (at, hash): (Vec<usize>, Vec<u64>) = c.witnesses.iter().copied().unzip();
                (
                    quote!(#i::hashes_agree(RUNS[0], &[#((#at, #hash)),*])),
                    parse(&map_hash::byte_string(&c.slots))?,
                )
            }
            None => (quote!(false), quote!(b"")),
        };
        items.extend(quote! {
            pub const FAST: bool = TOTAL == OFFSETS[1] && #witnesses_agree;
            const SLOW: usize = if FAST { 0 } else { TOTAL };
        });

        // Sorted pieces, and their keys' hashes: the own run's, then one per other run.
        let mut pieces: Vec<Ident> = Vec::new();
        let mut hashes: Vec<Ident> = Vec::new();
        let mut cuts = Vec::new();
        let own_pieces = own.len().div_ceil(PIECE).max(1);
        let trusted = certified.is_some();
        for p in 0..own_pieces {
            let (piece, hash) = (format_ident!("OWN_{p}"), format_ident!("OWN_HASHES_{p}"));
            items.extend(quote! {
                const #piece: [u32; #g::piece_len(if FAST { 0 } else { OFFSETS[1] }, #p)] =
                    #g::sort_piece(&CTX, 0, #p, #trusted);
                const #hash: [u64; #piece.len()] = #i::hash_piece(&CTX, 0, #p);
            });
            pieces.push(piece);
            hashes.push(hash);
            cuts.push(quote!((0, #p)));
        }
        for (k, on_k) in on.iter().enumerate() {
            let (piece, hash) = (format_ident!("RUN_{k}"), format_ident!("RUN_HASHES_{k}"));
            let index = format_ident!("RUN_INDEX_{k}");
            let before = &on[..k];
            items.extend(quote! {
                const #index: usize = #g::run_index(#on_k, &[#(#before),*]);
                const #piece: [u32; #g::run_len(&OFFSETS, #index)] =
                    #g::sort_piece(&CTX, #index, 0, #g::trusted_at(&TRUSTED, #index));
                const #hash: [u64; #piece.len()] = #i::hash_piece(&CTX, #index, 0);
            });
            pieces.push(piece);
            hashes.push(hash);
            cuts.push(quote!((#index, 0)));
        }

        // Merged one after the other, then the entries in that order.
        let mut merged = pieces[0].clone();
        for (m, piece) in pieces.iter().enumerate().skip(1) {
            let next = format_ident!("MERGED_{m}");
            items.extend(quote! {
                const #next: [u32; #merged.len() + #piece.len()] = #g::merge(&CTX, &#merged, &#piece);
            });
            merged = next;
        }
        items.extend(quote! {
            pub #storage ENTRIES: [<Item as __gather::__private::Keyed>::Pair; SLOW] =
                #g::permute(&RUNS, &OFFSETS, &#merged);
            const RANK: [u32; SLOW] = #i::rank(&#merged);
            pub #storage INDEX: [u32; #i::index_len(TOTAL)] = if FAST {
                #i::slots_from_le(#index_bytes)
            } else {
                #i::index(&OFFSETS, &RANK, &[#(&#hashes),*], &[#(#cuts),*])
            };
        });
        Ok(items)
    }
}
