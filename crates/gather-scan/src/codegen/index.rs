//! The registry's side of item indices (`register_index!`, framework macros) and of its
//! fingerprint: the tables that gather's `__private::IndexTable` reads in const evaluation to turn
//! a registration's key into its index, and the hashes of the registrations' source positions.
//!
//! Positions are those of the registry's *candidates* in the order it emits them: its direct
//! registrations, then its probes (registrations only rustc can place, then the overflow slots).
//! `GATHER_SEED` shuffles before that order is taken, so indices follow the shuffle.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::cfg::Cfg;
use crate::codegen::messages::shown;
use crate::codegen::probes::CHUNK;
use crate::codegen::text::{cfg_attr, parse};
use crate::hash::hash_bytes;
use crate::model::{Registration, RegistrationKind};
use crate::names;

/// What the tables are made from: the registry's candidates in emitted order.
pub(crate) struct Candidates<'a> {
    /// Registrations the registry's array refers to directly.
    pub direct: Vec<&'a Registration>,
    /// Registrations that have a probe, before the overflow slots.
    pub member_probes: Vec<&'a Registration>,
    /// Each probe's `#[cfg(..)] ` text (members' probes, then overflow slots).
    pub probe_cfgs: Vec<String>,
    /// The overflow slots' keys, in the order of their probes.
    pub overflow_keys: &'a [u64],
    /// `GATHER_SEED`, if set.
    pub seed: Option<u64>,
}

/// Whether a registration's macro asks for its index.
fn asks_index(r: &Registration) -> bool {
    matches!(r.kind, RegistrationKind::Index | RegistrationKind::Macro)
}

impl Candidates<'_> {
    /// The items of the registry's module: `INDEX` and `index_of`, `FINGERPRINT`. `own_len` is
    /// the expression of the number of direct registrations rustc compiled, `imports` the
    /// registry's array of imported registries.
    pub(crate) fn tokens(&self, gather: &TokenStream, not_found: &str) -> syn::Result<TokenStream> {
        let direct_len = self.direct.len() as u32;
        let mut indexed: Vec<(u64, u32)> = Vec::new();
        for (i, r) in self.direct.iter().enumerate() {
            if asks_index(r) {
                indexed.push((r.id, i as u32));
            }
        }
        for (i, r) in self.member_probes.iter().enumerate() {
            if asks_index(r) {
                indexed.push((names::probe_key(r.id), direct_len + i as u32));
            }
        }
        indexed.sort_unstable();
        let indexed_text: String = indexed
            .iter()
            .map(|(k, p)| format!("({k}u64, {p}u32),"))
            .collect();
        let indexed = parse(&format!("[{indexed_text}]"))?;

        // The compiled direct candidates, if any has a `#[cfg]` and any asks for its index.
        let any_cfg = self.direct.iter().any(|r| !r.cfg.is_empty());
        let compiled = if any_cfg && self.direct.iter().any(|r| asks_index(r)) {
            let mut text = String::from("::core::option::Option::Some(&[");
            for (i, r) in self.direct.iter().enumerate() {
                text.push_str(&cfg_attr(&r.cfg));
                text.push_str(&format!("{i}u32,"));
            }
            text.push_str("])");
            parse(&text)?
        } else {
            quote!(::core::option::Option::None)
        };

        let slot_order = match self.seed {
            None => quote!(&[]),
            Some(_) => {
                let mut order = vec![0u32; self.overflow_keys.len()];
                for (at, &key) in self.overflow_keys.iter().enumerate() {
                    order[(u64::MAX - key) as usize] = at as u32;
                }
                quote!(&[#(#order),*])
            }
        };

        // Per chunk of probes: its `PRESENT_i`, the positions of its compiled probes (where
        // `#[cfg]`s drop some), and the position hashes of its compiled probes.
        let mut present = Vec::new();
        let mut positions = Vec::new();
        let mut hashes = Vec::new();
        let member_hashes = position_hashes(self.member_probes.iter().copied());
        for (c, cfgs) in self.probe_cfgs.chunks(CHUNK).enumerate() {
            let name = format_ident!("PRESENT_{c}");
            present.push(quote!(&#name));
            // Position hashes of the chunk's probes of registrations the scan found (overflow
            // slots' parts are computed from their positions).
            let members = member_hashes.get(c * CHUNK..).unwrap_or_default();
            if !members.is_empty() {
                let mut hash_text = String::from("&[");
                for (cfg, h) in cfgs.iter().zip(members) {
                    hash_text.push_str(cfg);
                    hash_text.push_str(&format!("{h}u64,"));
                }
                hash_text.push(']');
                hashes.push(parse(&hash_text)?);
            }
            if cfgs.iter().all(String::is_empty) {
                positions.push(quote!(&[]));
            } else {
                let mut text = String::from("&[");
                for (j, cfg) in cfgs.iter().enumerate() {
                    text.push_str(cfg);
                    text.push_str(&format!("{j}u32,"));
                }
                text.push(']');
                positions.push(parse(&text)?);
            }
        }

        let member_probes = self.member_probes.len() as u32;
        let overflow = self.overflow_keys.len() as u64;
        let chunk = CHUNK as u32;
        let base = hash_bytes(format!("gather fingerprint {:?}", self.seed).as_bytes());
        let direct_fingerprint = self.direct_fingerprint(base)?;
        Ok(quote! {
            const PRESENTS: &[&[bool]] = &[#(#present),*];
            pub const INDEX: #gather::__private::IndexTable = #gather::__private::IndexTable {
                indexed: &#indexed,
                direct: #direct_len,
                compiled: #compiled,
                own_len: LEN,
                member_probes: #member_probes,
                overflow: #overflow,
                slot_order: #slot_order,
                present: PRESENTS,
                positions: &[#(#positions),*],
                chunk: #chunk,
            };
            /// The index of the item that the registration with this key added.
            pub const fn index_of(key: u64) -> usize {
                #gather::__private::expect_index(INDEX.index(key), #not_found)
            }
            /// The same for a registration the registry checks (`check`), which reports one it
            /// does not know.
            pub const fn index_of_checked(key: u64) -> usize {
                match INDEX.index(key) {
                    ::core::option::Option::Some(i) => i,
                    ::core::option::Option::None => 0,
                }
            }
            pub const FINGERPRINT: u64 = #direct_fingerprint
                .wrapping_add(INDEX.probes_fingerprint(&[#(#hashes),*]))
                .wrapping_add(#gather::__private::imports_fingerprint(&IMPORTS));
        })
    }

    /// The direct registrations' part of the fingerprint: their hashes summed by `#[cfg]`
    /// group, one guarded addition per group.
    fn direct_fingerprint(&self, base: u64) -> syn::Result<TokenStream> {
        let mut groups: BTreeMap<&[Cfg], u64> = BTreeMap::new();
        let hashes = position_hashes(self.direct.iter().copied());
        for (r, hash) in self.direct.iter().zip(hashes) {
            let sum = groups.entry(&r.cfg).or_default();
            *sum = sum.wrapping_add(hash);
        }
        let mut text = format!("{{ #[allow(unused_mut)] let mut h = {base}u64; ");
        for (cfg, sum) in groups {
            text.push_str(&format!(
                "{}{{ h = h.wrapping_add({sum}u64); }} ",
                cfg_attr(cfg)
            ));
        }
        text.push_str("h }");
        parse(&text)
    }
}

/// A hash of each registration's source position that does not depend on where the package is:
/// its file relative to the package directory (with `/`), line and column. Each file's shown
/// path is made once (it resolves the package's directory), not once per registration.
pub(crate) fn position_hashes<'a>(
    registrations: impl Iterator<Item = &'a Registration>,
) -> Vec<u64> {
    let mut files: HashMap<&Path, String> = HashMap::new();
    registrations
        .map(|r| {
            let file = files
                .entry(&r.file)
                .or_insert_with(|| shown(&r.file).replace('\\', "/"));
            hash_bytes(format!("{file}:{}:{}", r.line, r.column).as_bytes())
        })
        .collect()
}
