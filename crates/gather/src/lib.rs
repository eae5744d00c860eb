//! Crate-local registries, collected at compile time, on stable Rust.
//!
//! Mark items anywhere in a crate and iterate over all of them from one place, the way `#[test]`
//! collects tests: no linker sections, no code before `main`, so it works on every target rustc
//! supports (Linux, macOS, Windows, wasm, bare-metal `no_std`), and the contents are available in
//! `const` evaluation.
//!
//! ```
//! use gather::{register, registry, Registry};
//!
//! #[registry]
//! pub static GREETINGS: Registry<&str>;
//!
//! register!(GREETINGS, "hello");
//!
//! mod elsewhere {
//!     gather::register!(super::GREETINGS, "bonjour");
//! }
//!
//! fn main() {
//!     let all: Vec<&str> = GREETINGS.iter().copied().collect();
//!     assert_eq!(all, ["hello", "bonjour"]);
//! }
//! ```
//!
//! A [`Map<K, V>`](Map) is a keyed registry: `register!(MAP, KEY => VALUE)` anywhere in the
//! crate, sorted by key at compile time, duplicate keys rejected at compile time, looked up in
//! place (also in const evaluation).
//!
//! # How it works
//!
//! `#[registry]` reads the crate's module files from disk (starting from the crate root that rustc
//! is compiling, following `mod` declarations as rustc does, including those inside `cfg_if!`,
//! `cfg_select!` and the crate's own macros) and finds every `register!`, `#[register_item]` and
//! `register_many!` whose path can name it. Each registration the scan found expands to a `const`
//! (or a trait impl) keyed by its source position, and the registry expands to a `static` array
//! that refers to each of them, under the `#[cfg]`s that enclose the registration.
//!
//! A registration the scan cannot see (one written by a `macro_rules!` macro or another proc
//! macro, or in a module that a macro declares) is collected too: it defines an item on the
//! registry's *probe* for its id or for the next free *overflow slot*, and the registry reads
//! every probe and slot in const evaluation. rustc decides everything the scan guessed:
//!
//! - a registration is an item of the registry exactly when rustc compiles it (its `cfg`s hold,
//!   its module exists): never silently missing, never one that was not compiled;
//! - a registration aimed at another crate's registry is a compile error that points to
//!   [`register_many!`];
//! - more unseen registrations than the registry has overflow slots (256 by default) is a compile
//!   error that says how to raise the number: `#[registry(overflow = 1024)]`.
//!
//! Overflow slots are numbered in the order in which rustc expands macros. That relies on rustc
//! expanding all macros of a crate in one process, as it does: two registrations on one slot
//! would be a compile error (a duplicate definition), never a silent loss.
//!
//! A registration inside a function body is collected whether or not the function ever runs: it
//! is an item, like a `static` in a function.
//!
//! # Order
//!
//! Items come in *source order*: the order in which they appear if every `mod name;` were replaced
//! by the contents of its file (depth first, top to bottom); then the registrations the scan could
//! not see, in the order rustc expanded them; then the items imported with [`register_many!`] in
//! the same order. Code should not depend on it: building with the environment variable
//! `GATHER_SEED=<n>` shuffles every registry deterministically for that seed (like rustc's
//! `-Z layout-seed`), which flushes out order dependence. Changing the variable rebuilds the
//! crates that declare registries.
//!
//! # Limits
//!
//! - Registries are declared at module level (not inside function bodies).
//! - `register!` is an item: write it at module level or as a statement, not in expression
//!   position.
//! - Registrations that the scan cannot see (written by macros) take overflow slots: 256 per
//!   registry by default, `#[registry(overflow = N)]` for more.
//! - [`register_many!`] must be written literally in a module file.
//! - Doc examples: in an edition 2024 crate, rustdoc merges doctests into files that rustc reads
//!   from disk, and registries in them work. A doctest that rustdoc compiles on its own
//!   (`standalone_crate`, `compile_fail`, or every doctest of a crate of edition 2021 or older)
//!   reaches rustc on standard input, which a proc macro cannot read: a registry there is a
//!   compile error saying so, never an empty registry. Use mergeable doctests, or an example file.
//! - IDEs: in rust-analyzer, registries are empty (its proc-macro server has no crate root);
//!   nothing is reported as an error.
//! - `GATHER_DEBUG=1 cargo build` prints, for every registry, what the scan found; setting it
//!   rebuilds the crates that declare registries, so it reports on an up-to-date build too.
//!
//! # Scope
//!
//! Registries are crate-local: a dependency can never add to yours. To include another crate's
//! items, import its registry (or any `&'static [T]`) explicitly with [`register_many!`]. A
//! dynamically loaded library (a plugin) exports its registries with [`export!`], and the host
//! reads them, checked, with [`gather-plugin`](https://docs.rs/gather-plugin).
#![no_std]
#![deny(missing_docs)]

use core::fmt;
use core::iter::FusedIterator;

/// Declares a registry: `#[registry] [vis] static NAME: Registry<T>;` (or `const`).
///
/// `T` is any `Sync + 'static` type; elided lifetimes in `T` mean `'static`. The registry holds
/// every item registered into it in this crate with [`register!`], [`register_item`] and
/// [`register_many!`], in source order (see the [crate docs](crate#order)).
///
/// A `const` registry can be read in const evaluation; its item type must then be one that
/// a `const` may hold (no interior mutability).
///
/// ```
/// use gather::{registry, register, Registry};
///
/// #[registry]
/// pub const PRIMES: Registry<u32>;
/// register!(PRIMES, 2);
/// register!(PRIMES, 3);
///
/// const COUNT: usize = PRIMES.len();
/// const _: () = assert!(COUNT == 2);
/// # fn main() { assert_eq!(PRIMES.iter().sum::<u32>(), 5); }
/// ```
///
/// Options, all optional, in `#[registry(...)]`:
///
/// - `root = "src/lib.rs"`: the crate root file, relative to `CARGO_MANIFEST_DIR`, for builds in
///   which it cannot be found on rustc's command line nor by Cargo's conventions.
/// - `attribute = path::to::attr` (repeatable): framework authors' hook. Items carrying this
///   attribute anywhere in the crate are registrations of this registry; see
///   [`gather-scan`](https://docs.rs/gather-scan) for writing such an attribute.
/// - `crate = path::to::gather`: where the generated code finds this crate, for frameworks that
///   re-export it (their users need no dependency on `gather` of their own).
pub use gather_macros::registry;

/// Registers one item: `register!(REGISTRY, expr);`.
///
/// Write it at module level or inside a function body, in any module file of the crate that
/// declares the registry. `REGISTRY` is a path to the registry: bare, through `crate::`, `self::`
/// or `super::`, imported with `use` (also renamed with `use .. as`), or reached through a glob
/// import. `expr` is a constant expression of the registry's item type.
///
/// ```
/// use gather::{register, registry, Registry};
///
/// #[registry]
/// static HANDLERS: Registry<fn(u32) -> u32>;
///
/// fn double(x: u32) -> u32 { x * 2 }
/// register!(HANDLERS, double);
///
/// fn main() {
///     register!(HANDLERS, |x| x + 1); // also inside function bodies
///     let out: Vec<u32> = HANDLERS.iter().map(|h| h(10)).collect();
///     assert_eq!(out, [20, 11]);
/// }
/// ```
///
/// A `register!` written by a `macro_rules!` macro or another proc macro, which the scan cannot
/// see in the source, is collected too, through one of the registry's overflow slots (see the
/// [crate docs](crate#how-it-works)).
pub use gather_macros::register;

/// Registers an item by its definition: `#[register_item(REGISTRY)]` on a `fn`, `static` or
/// `const` item.
///
/// - on a `fn`: registers the function (as a function pointer); the function stays callable;
/// - on a `const`: registers its value;
/// - on a `static`: registers a `&'static` reference to it (a static is a place, so the registry
///   sees the very same object, for example the same atomic counter).
///
/// ```
/// use gather::{register_item, registry, Registry};
/// use core::sync::atomic::{AtomicU32, Ordering};
///
/// #[registry]
/// static COMMANDS: Registry<fn() -> &'static str>;
/// #[registry]
/// static COUNTERS: Registry<&AtomicU32>;
///
/// #[register_item(COMMANDS)]
/// fn build() -> &'static str { "build" }
///
/// #[register_item(COUNTERS)]
/// static HITS: AtomicU32 = AtomicU32::new(0);
///
/// fn main() {
///     assert_eq!(build(), "build");
///     assert_eq!(COMMANDS.iter().map(|c| c()).collect::<Vec<_>>(), ["build"]);
///     HITS.fetch_add(1, Ordering::Relaxed);
///     assert_eq!(COUNTERS.iter().map(|c| c.load(Ordering::Relaxed)).sum::<u32>(), 1);
/// }
/// ```
pub use gather_macros::register_item;

/// Imports many items at once: `register_many!(REGISTRY, SOURCE);`.
///
/// `SOURCE` is another registry (typically another crate's: registries are crate-local, so this is
/// the one way to cross crates) or a constant `&'static [T]`. Its items are added after this
/// crate's own items.
///
/// ```
/// use gather::{register, register_many, registry, Registry};
///
/// #[registry]
/// pub static ROUTES: Registry<&str>;
///
/// register!(ROUTES, "/");
/// register_many!(ROUTES, &["/about", "/contact"]);
/// // register_many!(ROUTES, other_crate::ROUTES); // another crate's registry
///
/// fn main() {
///     assert_eq!(ROUTES.iter().copied().collect::<Vec<_>>(), ["/", "/about", "/contact"]);
/// }
/// ```
pub use gather_macros::register_many;

/// Registers one item and evaluates to its index: `register_index!(REGISTRY, expr)` is a constant
/// expression of type `usize`, the position of the item in `REGISTRY`.
///
/// It registers `expr` as [`register!`] does (every path form that `register!` accepts), and can
/// be written wherever an expression can: in a `const` initializer, in a function body, as a
/// macro's argument. The item is then `REGISTRY.get(index)`. A program can write the small index
/// instead of the item (a log message's text, an error's description) and whoever reads it looks
/// the item up in the registry's table.
///
/// ```
/// use gather::{register_index, registry, Registry};
///
/// #[registry]
/// pub static MESSAGES: Registry<&str>;
///
/// const BOOT: usize = register_index!(MESSAGES, "booting");
///
/// fn connect() -> usize {
///     register_index!(MESSAGES, "connecting") // in expression position too
/// }
///
/// fn main() {
///     assert_eq!(MESSAGES.get(BOOT), Some(&"booting"));
///     assert_eq!(MESSAGES.get(connect()), Some(&"connecting"));
/// }
/// ```
///
/// # What an index is stable against
///
/// Indices follow the registry's [order](crate#order): the same source and the same `cfg`s give
/// the same indices, on every target and every build. They change when registrations of the
/// registry are added, removed or moved (in source order, anywhere in the crate), when other
/// `cfg`s hold (a registration that is not compiled takes no index, and the ones after it move
/// up), and with `GATHER_SEED`, which shuffles them. [`Registry::fingerprint`] tells two such
/// tables apart: write it next to the indices, and have the reader compare it.
///
/// The index is computed by the compiler: a registration whose `cfg`s rustc judges otherwise than
/// gather's scan still gets its right index, or a compile error, never a wrong one. The value
/// must be a constant expression (it cannot use a function's local variables).
pub use gather_macros::register_index;

/// Exports registries from a plugin, a `cdylib` that a host loads with
/// [`gather-plugin`](https://docs.rs/gather-plugin): `export!(NAME, ...);` once in the plugin
/// crate, naming each exported registry by an identifier in scope.
///
/// ```
/// #[gather::registry]
/// pub static FILTERS: gather::Registry<fn(u32) -> u32>;
/// fn double(x: u32) -> u32 { x * 2 }
/// gather::register!(FILTERS, double);
///
/// gather::export!(FILTERS); // in a crate with `crate-type = ["cdylib"]`
/// # fn main() {}
/// ```
///
/// It defines one symbol, `GATHER_PLUGIN`: a `#[repr(C)]` header with a magic number, the
/// versions of rustc and gather that built the plugin, and for each registry its name, the name,
/// size and alignment of its item type, and the registry. The host checks all of these before it
/// reads a registry, so a mismatch is an error that says what differs, never undefined behaviour.
/// Nothing else of the plugin is exported, and no code runs when it is loaded. It works in
/// `no_std` crates.
///
/// Write it once per plugin, listing every registry to export: a second `export!` in the same
/// library is a compile or link error (`GATHER_PLUGIN` defined twice).
#[macro_export]
macro_rules! export {
    ($($registry:ident),+ $(,)?) => {
        const _: () = {
            #[unsafe(no_mangle)]
            #[allow(non_upper_case_globals)]
            static GATHER_PLUGIN: $crate::__private::plugin::Header =
                $crate::__private::plugin::header(&[
                    $($crate::__private::plugin::export(
                        ::core::stringify!($registry),
                        &$registry,
                    )),+
                ]);
        };
    };
}

/// A registry: every item registered into it, collected at compile time.
///
/// Declared with [`#[registry]`](registry). It is `Copy` and cheap to pass around; iterating it
/// yields `&'static T`. It is opaque: it may be one slice or several chained ones (own items and
/// imported registries), and that may change; only iteration, [`len`](Registry::len),
/// [`is_empty`](Registry::is_empty) and [`get`](Registry::get) are offered.
///
/// ```
/// use gather::{register, registry, Registry};
///
/// #[registry]
/// static WORDS: Registry<&str>;
/// register!(WORDS, "a");
/// register!(WORDS, "b");
///
/// fn main() {
///     for word in WORDS {
///         assert!(word.len() == 1);
///     }
///     assert_eq!(WORDS.len(), 2);
///     assert_eq!(format!("{WORDS:?}"), r#"["a", "b"]"#);
/// }
/// ```
pub struct Registry<T: 'static> {
    own: &'static [T],
    rest: &'static [&'static [T]],
    /// The identities of the registries whose items this one holds (its own first), so that an
    /// importing registry can refuse the same items twice at compile time.
    sources: &'static [u64],
    /// See [`Registry::fingerprint`].
    fingerprint: u64,
}

impl<T: 'static> Registry<T> {
    /// The number of items.
    ///
    /// ```
    /// # use gather::{register, registry, Registry};
    /// #[registry]
    /// const NUMBERS: Registry<u8>;
    /// register!(NUMBERS, 1);
    /// const _: () = assert!(NUMBERS.len() == 1);
    /// # fn main() {}
    /// ```
    pub const fn len(&self) -> usize {
        let mut n = self.own.len();
        let mut i = 0;
        while i < self.rest.len() {
            n += self.rest[i].len();
            i += 1;
        }
        n
    }

    /// Whether the registry holds no item.
    ///
    /// ```
    /// # use gather::{registry, Registry};
    /// #[registry]
    /// const NOTHING: Registry<u8>;
    /// const _: () = assert!(NOTHING.is_empty());
    /// # fn main() {}
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `index` in the registry's order (see the [crate docs](crate#order)), usable
    /// in const evaluation. The index of an item is not stable across edits of the crate.
    ///
    /// ```
    /// # use gather::{register, registry, Registry};
    /// #[registry]
    /// const SIZES: Registry<usize>;
    /// register!(SIZES, 4);
    /// register!(SIZES, 8);
    ///
    /// const fn largest() -> usize {
    ///     let mut i = 0;
    ///     let mut max = 0;
    ///     while let Some(&size) = SIZES.get(i) {
    ///         if size > max { max = size; }
    ///         i += 1;
    ///     }
    ///     max
    /// }
    /// const _: () = assert!(largest() == 8);
    /// # fn main() {}
    /// ```
    pub const fn get(&self, index: usize) -> Option<&'static T> {
        if index < self.own.len() {
            return Some(&self.own[index]);
        }
        let mut index = index - self.own.len();
        let mut i = 0;
        while i < self.rest.len() {
            let part = self.rest[i];
            if index < part.len() {
                return Some(&part[index]);
            }
            index -= part.len();
            i += 1;
        }
        None
    }

    /// A hash of the registry's contents as compiled: which registrations it holds (by their
    /// source positions: file relative to the package, line and column) and in which order, and
    /// the fingerprints of the registries it imports. Usable in const evaluation.
    ///
    /// Indices from [`register_index!`] are positions in this order, so a program that writes
    /// indices (a log, an error code) can write the fingerprint too, and whoever decodes them can
    /// tell a table built from other sources or `cfg`s: same source and `cfg`s, same fingerprint.
    /// It does not depend on where the package is on disk, nor on the items' values.
    ///
    /// ```
    /// # use gather::{register, registry, Registry};
    /// #[registry]
    /// const CODES: Registry<&str>;
    /// register!(CODES, "ok");
    /// const FINGERPRINT: u64 = CODES.fingerprint();
    /// # fn main() { assert_eq!(FINGERPRINT, CODES.fingerprint()); }
    /// ```
    pub const fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Iterates over the items, yielding `&'static T`.
    ///
    /// ```
    /// # use gather::{register, registry, Registry};
    /// #[registry]
    /// static NAMES: Registry<&str>;
    /// register!(NAMES, "x");
    /// # fn main() {
    /// assert_eq!(NAMES.iter().next(), Some(&"x"));
    /// # }
    /// ```
    pub fn iter(&self) -> Iter<T> {
        Iter {
            front: self.own.iter(),
            parts: self.rest.iter(),
            back: [].iter(),
        }
    }
}

impl<T> Clone for Registry<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Registry<T> {}

impl<T: fmt::Debug> fmt::Debug for Registry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T> IntoIterator for Registry<T> {
    type Item = &'static T;
    type IntoIter = Iter<T>;
    fn into_iter(self) -> Iter<T> {
        self.iter()
    }
}

impl<T> IntoIterator for &Registry<T> {
    type Item = &'static T;
    type IntoIter = Iter<T>;
    fn into_iter(self) -> Iter<T> {
        self.iter()
    }
}

/// The iterator of a [`Registry`], yielding `&'static T` in the registry's order.
///
/// ```
/// # use gather::{register, registry, Registry};
/// #[registry]
/// static DIGITS: Registry<u8>;
/// register!(DIGITS, 1);
/// register!(DIGITS, 2);
/// # fn main() {
/// let iter: gather::Iter<u8> = DIGITS.iter();
/// assert_eq!(iter.len(), 2);
/// assert_eq!(iter.rev().copied().collect::<Vec<_>>(), [2, 1]);
/// # }
/// ```
pub struct Iter<T: 'static> {
    // Own items first, then the imported parts; `back` holds the part that backward iteration
    // has started on, so both ends work without allocation.
    front: core::slice::Iter<'static, T>,
    parts: core::slice::Iter<'static, &'static [T]>,
    back: core::slice::Iter<'static, T>,
}

impl<T> Clone for Iter<T> {
    fn clone(&self) -> Self {
        Iter {
            front: self.front.clone(),
            parts: self.parts.clone(),
            back: self.back.clone(),
        }
    }
}

impl<T> Iterator for Iter<T> {
    type Item = &'static T;

    #[inline]
    fn next(&mut self) -> Option<&'static T> {
        // Only a slice step on the hot path (no counter), so a `for` loop over one slice
        // compiles like a loop over that slice.
        match self.front.next() {
            Some(item) => Some(item),
            None => self.next_part(),
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.len();
        (len, Some(len))
    }

    fn fold<B, F: FnMut(B, &'static T) -> B>(self, init: B, mut f: F) -> B {
        // Per-slice folds keep the common single-slice case as fast as a slice iterator.
        let mut acc = self.front.fold(init, &mut f);
        for part in self.parts {
            acc = part.iter().fold(acc, &mut f);
        }
        self.back.fold(acc, f)
    }
}

impl<T> Iter<T> {
    #[inline]
    fn next_part(&mut self) -> Option<&'static T> {
        loop {
            if let Some(item) = self.front.next() {
                return Some(item);
            }
            match self.parts.next() {
                Some(part) => self.front = part.iter(),
                None => return self.back.next(),
            }
        }
    }
}

impl<T> DoubleEndedIterator for Iter<T> {
    fn next_back(&mut self) -> Option<&'static T> {
        loop {
            if let Some(item) = self.back.next_back() {
                return Some(item);
            }
            match self.parts.next_back() {
                Some(part) => self.back = part.iter(),
                None => return self.front.next_back(),
            }
        }
    }
}

impl<T> ExactSizeIterator for Iter<T> {
    #[inline]
    fn len(&self) -> usize {
        // Parts are few (one per `register_many!`), so summing them here is cheap.
        let parts: usize = self.parts.clone().map(|p| p.len()).sum();
        self.front.len() + parts + self.back.len()
    }
}
impl<T> FusedIterator for Iter<T> {}

mod map;
pub use map::{Entries, Key, Keys, Map, Values};

#[doc = include_str!("migration.md")]
pub mod migration {}

#[doc(hidden)]
pub mod __private;

#[cfg(test)]
mod tests {
    use super::Registry;

    static A: [u32; 2] = [1, 2];
    static B: [u32; 0] = [];
    static C: [u32; 3] = [3, 4, 5];
    static D: [u32; 1] = [6];
    static PARTS: [&[u32]; 3] = [&B, &C, &D];
    const R: Registry<u32> = Registry {
        own: &A,
        rest: &PARTS,
        sources: &[],
        fingerprint: 0,
    };

    // Every interleaving of front and back steps, given as a bit pattern, must yield the
    // items in order from both ends with an exact length at every step.
    #[test]
    fn both_ends_meet_exactly() {
        let all = [1, 2, 3, 4, 5, 6];
        for pattern in 0u32..(1 << 7) {
            let mut it = R.iter();
            let (mut lo, mut hi) = (0, all.len());
            for step in 0..7 {
                assert_eq!(it.len(), hi - lo, "pattern {pattern:b} step {step}");
                let item = if pattern >> step & 1 == 0 {
                    it.next()
                } else {
                    it.next_back()
                };
                if lo == hi {
                    assert_eq!(item, None);
                } else if pattern >> step & 1 == 0 {
                    assert_eq!(item, Some(&all[lo]));
                    lo += 1;
                } else {
                    hi -= 1;
                    assert_eq!(item, Some(&all[hi]));
                }
            }
        }
    }

    #[test]
    // The plain `for` loop is the point: it drives `next`, which `enumerate` would wrap.
    #[allow(clippy::explicit_counter_loop)]
    fn fold_and_for_agree() {
        let mut seen = [0u32; 6];
        let mut i = 0;
        for x in R {
            seen[i] = *x;
            i += 1;
        }
        assert_eq!(seen, [1, 2, 3, 4, 5, 6]);
        assert_eq!(R.iter().fold(0, |a, x| a * 10 + x), 123456);
        let mut it = R.iter();
        it.next_back();
        assert_eq!(it.fold(0, |a, x| a * 10 + x), 12345);
    }
}
