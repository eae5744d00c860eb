//! Support for the code that `gather-macros` generates. Not a public API: no semver guarantees.

use crate::Registry;

mod buckets;
pub use buckets::*;

/// Builds a registry from its own items and the flattened parts of its imports.
pub const fn registry<T>(own: &'static [T], rest: &'static [&'static [T]]) -> Registry<T> {
    Registry { own, rest }
}

/// The source of a `register_many!`: another registry or a `&'static [T]`. Method resolution on
/// the concrete type picks the conversion, which keeps it usable in const evaluation.
pub struct Source<S>(pub S);

impl<T> Source<Registry<T>> {
    pub const fn into_registry(self) -> Registry<T> {
        self.0
    }
}

impl<T> Source<&'static [T]> {
    pub const fn into_registry(self) -> Registry<T> {
        Registry {
            own: self.0,
            rest: &[],
        }
    }
}

impl<T, const N: usize> Source<&'static [T; N]> {
    pub const fn into_registry(self) -> Registry<T> {
        Registry {
            own: self.0,
            rest: &[],
        }
    }
}

/// How many non-empty slices the imported registries consist of.
pub const fn parts_len<T>(imports: &[Registry<T>]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < imports.len() {
        let r = imports[i];
        if !r.own.is_empty() {
            n += 1;
        }
        let mut j = 0;
        while j < r.rest.len() {
            if !r.rest[j].is_empty() {
                n += 1;
            }
            j += 1;
        }
        i += 1;
    }
    n
}

/// The non-empty slices of the imported registries, in order; `K` is [`parts_len`].
pub const fn flatten<T, const K: usize>(imports: &[Registry<T>]) -> [&'static [T]; K] {
    let mut out: [&'static [T]; K] = [&[]; K];
    let mut k = 0;
    let mut i = 0;
    while i < imports.len() {
        let r = imports[i];
        if !r.own.is_empty() {
            out[k] = r.own;
            k += 1;
        }
        let mut j = 0;
        while j < r.rest.len() {
            if !r.rest[j].is_empty() {
                out[k] = r.rest[j];
                k += 1;
            }
            j += 1;
        }
        i += 1;
    }
    out
}

/// Binary search in the sorted list of registration ids a registry's scan found.
pub const fn contains(sorted: &[u64], id: u64) -> bool {
    let (mut lo, mut hi) = (0, sorted.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if sorted[mid] == id {
            return true;
        } else if sorted[mid] < id {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    false
}

// Compile-time self-test of the behaviour of rustc that every registry relies on: a registration
// impl carries a type that is local to the registering crate (so that it is never an orphan-rule
// error), the registry finds the impl by inferring that type, and `#[cfg]` on array elements is
// honoured. If a future rustc changed any of this, this crate stops building instead of
// registries going wrong. (rust-analyzer cannot infer these impls; rustc is what matters here.)
#[cfg(not(rust_analyzer))]
mod self_test {
    use super::{B3, B7};

    trait Slot<const ID: u64, L> {
        const VALUE: u32;
    }
    struct Here;
    impl Slot<11, Here> for B3 {
        const VALUE: u32 = 5;
    }
    impl Slot<12, Here> for B7 {
        const VALUE: u32 = 6;
    }
    static ITEMS: [u32; 2] = [
        <B3 as Slot<11, _>>::VALUE,
        #[cfg(any())]
        <B3 as Slot<99, _>>::VALUE,
        <B7 as Slot<12, _>>::VALUE,
    ];
    const _: () = assert!(ITEMS[0] == 5 && ITEMS[1] == 6);
    const _: () = assert!(super::contains(&[1, 4, 9], 4) && !super::contains(&[1, 4, 9], 5));
}
