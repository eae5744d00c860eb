//! The registry's probes: registrations whose membership only rustc can decide. A registration
//! the scan found in a module that a macro declares, or one the scan did not find at all (written
//! by a macro, in a file the walk did not reach), defines an inherent `const` on the registry's
//! `Probe<KEY>` (see `registration.rs`); the registry reads `Probe::<KEY>::V` for every key it
//! knows and every overflow slot, and gets its trait's `None` where no registration was
//! compiled. The `Some`s are compacted into an array in const evaluation. Each probe is one path
//! for rustc to resolve (of thousands: the overflow slots), so which probes found a registration
//! is computed from the values, not probed a second time.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::codegen::text::parse;
use crate::names;

/// One probe: under which cfgs it exists (as `#[cfg(..)] ` text, or empty), and the
/// `Option<Item>` it reads, as an expression.
pub(crate) struct Probe {
    pub cfg: String,
    pub value: String,
}

impl Probe {
    /// A registration's `Probe<key>`.
    pub(crate) fn keyed(key: u64) -> Probe {
        Probe {
            cfg: String::new(),
            value: format!("{}::<{key}u64>::V", names::PROBE),
        }
    }

    /// A registration the registry reaches directly, under its cfgs.
    pub(crate) fn direct(cfg: String, item: String) -> Probe {
        Probe {
            cfg,
            value: format!("::core::option::Option::Some({item})"),
        }
    }
}

/// What goes into the registry's module: `Probe`, its fallback, the capacity and crate checks,
/// and `PROBED`, the compacted items.
pub(crate) struct ProbeItems<'a> {
    pub gather: &'a TokenStream,
    pub storage: &'a TokenStream,
    pub probes: Vec<Probe>,
    pub overflow: u64,
    /// The messages of the checks (empty in an IDE, where nothing is checked).
    pub full: Option<String>,
    pub foreign: Option<(u64, String)>,
}

/// Probes per compacted array: one array of thousands of probes costs rustc superlinear time,
/// several of a few hundred cost it linear time.
pub(crate) const CHUNK: usize = 256;

impl ProbeItems<'_> {
    /// The items, and the names of the compacted arrays, which the registry chains in order.
    pub(crate) fn tokens(self) -> syn::Result<(TokenStream, Vec<Ident>)> {
        let ProbeItems {
            gather,
            storage,
            probes,
            overflow,
            full,
            foreign,
        } = self;
        let mut arrays = TokenStream::new();
        let mut names = Vec::new();
        for (i, chunk) in probes.chunks(CHUNK).enumerate() {
            let present_name = format_ident!("PRESENT_{i}");
            let probes_name = format_ident!("PROBES_{i}");
            let probed = format_ident!("PROBED_{i}");
            let n = length(chunk)?;
            let mut values = String::new();
            for p in chunk {
                values.push_str(&p.cfg);
                values.push_str(&p.value);
                values.push(',');
            }
            let values = parse(&values)?;
            arrays.extend(quote! {
                const #probes_name: [::core::option::Option<Item>; #n] = [#values];
                const #present_name: [bool; #n] = #gather::__private::present(#probes_name);
                pub #storage #probed: [Item; #gather::__private::count_present(&#present_name)] =
                    #gather::__private::compact(#probes_name);
            });
            names.push(probed);
        }
        let probe = Ident::new(crate::names::PROBE, Span::call_site());
        let slot_check = full.map(|m| quote!(if k >= #overflow { ::core::panic!(#m) }));
        let crate_check = foreign.map(|(hash, m)| quote!(if krate != #hash { ::core::panic!(#m) }));
        let items = quote! {
            pub struct #probe<const K: u64>;
            pub trait Absent {
                const V: ::core::option::Option<Item> = ::core::option::Option::None;
                const PLACE: &'static str = "";
            }
            impl<const K: u64> Absent for #probe<K> {}
            /// Fails compilation when a registration takes an overflow slot beyond the last.
            pub const fn slot(k: u64) {
                let _ = k;
                #slot_check
            }
            /// Fails compilation for a registration aimed at another crate's registry.
            pub const fn check_crate(krate: u64) {
                let _ = krate;
                #crate_check
            }
            #arrays
        };
        Ok((items, names))
    }
}

/// How many of these probes rustc keeps: counted per cfg, as their elements are kept.
fn length(probes: &[Probe]) -> syn::Result<TokenStream> {
    let mut by_cfg: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in probes {
        *by_cfg.entry(&p.cfg).or_default() += 1;
    }
    let mut len = String::from("{ #[allow(unused_mut)] let mut n = 0usize; ");
    for (cfg, count) in by_cfg {
        len.push_str(&format!("{cfg}{{ n += {count}; }} "));
    }
    len.push_str("n }");
    parse(&len)
}
