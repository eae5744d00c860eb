//! `Map<K, V>`: a keyed registry, sorted by key at compile time.

use core::cmp::Ordering;
use core::fmt;
use core::iter::FusedIterator;

pub(crate) mod hash;

/// A keyed registry: every `KEY => VALUE` registered into it in this crate, sorted by key at
/// compile time, looked up by binary search in place (no copy to RAM, no start-up cost).
///
/// Declared with [`#[registry]`](crate::registry) as `static NAME: Map<K, V>;` (or `const`);
/// elided lifetimes mean `'static`. Registered with `register!(NAME, KEY => VALUE)`,
/// `#[register_item(NAME, key = KEY)]` on a `fn`, `static` or `const`, and
/// `register_many!(NAME, SOURCE)` where `SOURCE` is another crate's map or a constant slice of
/// `(K, V)` pairs.
///
/// ```
/// use gather::{register, registry, Map};
///
/// #[registry]
/// pub static SHAPES: Map<&str, fn() -> u32>;
///
/// fn square() -> u32 { 4 }
/// register!(SHAPES, "square" => square);
///
/// #[gather::register_item(SHAPES, key = "triangle")]
/// fn triangle() -> u32 { 3 }
///
/// #[registry]
/// pub const STATUS: Map<u16, &str>;
/// register!(STATUS, 404 => "not found");
/// register!(STATUS, 200 => "ok");
/// const _: () = assert!(STATUS.contains_key(&404));
///
/// fn main() {
///     assert_eq!(SHAPES.get("square").map(|f| f()), Some(4));
///     assert!(SHAPES.get("circle").is_none());
///     let names: Vec<&str> = SHAPES.keys().copied().collect();
///     assert_eq!(names, ["square", "triangle"]); // ascending, by bytes
///     assert_eq!(STATUS.get(&200), Some(&"ok"));
/// }
/// ```
///
/// # Keys
///
/// Key types: `&'static str` (looked up with a `&str`), `&'static [u8]`, every integer type,
/// `char` and `bool`. [`get`](Map::get), [`get_entry`](Map::get_entry) and
/// [`contains_key`](Map::contains_key) are `const fn` for each of them. To key by an enum, key
/// by its discriminant: `Map<u8, V>` with `register!(M, Color::Red as u8 => ..)` and
/// `M.get(&(color as u8))`.
///
/// # Order and duplicates
///
/// Entries are in ascending key order (strings and byte strings by bytes), always:
/// `GATHER_SEED` does not shuffle a map. Two registrations of one key are a compile error that
/// names the key and both places, also when one of them is imported with `register_many!`.
pub struct Map<K: Key, V: 'static> {
    entries: &'static [(K, V)],
    /// Open addressing over the entries, by key hash: a power-of-two number of slots holding
    /// an entry's position or [`EMPTY`]; no slots for small maps, which binary search.
    index: &'static [u32],
    /// The identities of the maps whose entries this one holds (see `Registry`).
    sources: &'static [u64],
}

/// The key types of a [`Map`]: `&'static str`, `&'static [u8]`, every integer type, `char` and
/// `bool`. Sealed: the map's order and lookups are defined for these.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the key of a `gather::Map`",
    label = "not a supported key type",
    note = "the key types are `&str`, `&[u8]`, the integer types, `char` and `bool`; to key by an enum, key by its discriminant (`Map<u8, V>`, `Enum::A as u8 => ..`)"
)]
pub trait Key: sealed::Sealed + Copy + 'static {}

mod sealed {
    /// What a key type is, for the map's one order over all of them.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum Class {
        Unsigned,
        Signed,
        Char,
        Bool,
        Str,
        Bytes,
    }

    pub trait Sealed {
        const CLASS: Class;
    }
}
pub(crate) use sealed::Class;

impl<K: Key, V> Map<K, V> {
    /// Built by generated code from entries sorted by key and without duplicates.
    pub(crate) const fn from_sorted(
        entries: &'static [(K, V)],
        index: &'static [u32],
        sources: &'static [u64],
    ) -> Self {
        Map {
            entries,
            index,
            sources,
        }
    }

    /// The entries, sorted by key.
    pub(crate) const fn entries(&self) -> &'static [(K, V)] {
        self.entries
    }

    /// The identities of the maps this one holds.
    pub(crate) const fn sources(&self) -> &'static [u64] {
        self.sources
    }

    /// The number of entries.
    ///
    /// ```
    /// # use gather::{register, registry, Map};
    /// #[registry]
    /// const CODES: Map<u8, &str>;
    /// register!(CODES, 1 => "one");
    /// const _: () = assert!(CODES.len() == 1 && !CODES.is_empty());
    /// # fn main() {}
    /// ```
    pub const fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entry.
    pub const fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Iterates over the entries in ascending key order, yielding `(&'static K, &'static V)`.
    ///
    /// ```
    /// # use gather::{register, registry, Map};
    /// #[registry]
    /// static LEVELS: Map<char, u8>;
    /// register!(LEVELS, 'b' => 2);
    /// register!(LEVELS, 'a' => 1);
    /// # fn main() {
    /// let all: Vec<(char, u8)> = LEVELS.iter().map(|(k, v)| (*k, *v)).collect();
    /// assert_eq!(all, [('a', 1), ('b', 2)]);
    /// for (key, value) in LEVELS { assert!(key.is_ascii() && *value > 0); }
    /// # }
    /// ```
    pub fn iter(&self) -> Entries<K, V> {
        Entries {
            inner: self.entries.iter(),
        }
    }

    /// The keys, in ascending order.
    pub fn keys(&self) -> Keys<K, V> {
        Keys { inner: self.iter() }
    }

    /// The values, in ascending order of their keys.
    pub fn values(&self) -> Values<K, V> {
        Values { inner: self.iter() }
    }
}

/// A binary search for `key` (a `&$query`) in the sorted entries, comparing with `$cmp` (an
/// expression of `$a: &$key` and `$b: &$query` giving an `Ordering`); `get`, `get_entry` and
/// `contains_key` on top of it, `const fn`s for each key type (traits cannot be `const` on
/// stable).
macro_rules! lookups {
    ($key:ty, $query:ty, |$a:ident, $b:ident| $cmp:expr, $eq:expr, |$k:ident| $hash:expr, $example:literal) => {
        impl<V> Map<$key, V> {
            #[inline]
            const fn position(&self, key: &$query) -> Option<usize> {
                let entries = self.entries;
                let index = self.index;
                if !index.is_empty() {
                    let $k = key;
                    let mask = index.len() - 1;
                    let mut slot = $hash as usize & mask;
                    loop {
                        let i = index[slot];
                        if i == EMPTY {
                            return None;
                        }
                        let ($a, $b) = (&entries[i as usize].0, key);
                        if $eq {
                            return Some(i as usize);
                        }
                        slot = (slot + 1) & mask;
                    }
                }
                let (mut lo, mut hi) = (0, entries.len());
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    let ($a, $b) = (&entries[mid].0, key);
                    match $cmp {
                        Ordering::Less => lo = mid + 1,
                        Ordering::Greater => hi = mid,
                        Ordering::Equal => return Some(mid),
                    }
                }
                None
            }

            /// The value registered under `key`, if any; usable in const evaluation.
            #[doc = concat!("\n\nLike `MAP.get(", $example, ")`.")]
            pub const fn get(&self, key: &$query) -> Option<&'static V> {
                match self.position(key) {
                    Some(i) => Some(&self.entries[i].1),
                    None => None,
                }
            }

            /// The entry registered under `key`, as the map's own key and value, if any.
            pub const fn get_entry(&self, key: &$query) -> Option<(&'static $key, &'static V)> {
                match self.position(key) {
                    Some(i) => {
                        let entry = &self.entries[i];
                        Some((&entry.0, &entry.1))
                    }
                    None => None,
                }
            }

            /// Whether a value is registered under `key`; usable in const evaluation.
            pub const fn contains_key(&self, key: &$query) -> bool {
                self.position(key).is_some()
            }
        }
    };
}

/// The order of two values whose `<` is usable in const evaluation (integers, `char`, `bool`).
macro_rules! primitive_order {
    ($a:expr, $b:expr) => {
        if *$a < *$b {
            Ordering::Less
        } else if *$a > *$b {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    };
}

macro_rules! primitive_keys {
    ($($t:ty: $class:ident, $example:literal),*) => {$(
        impl sealed::Sealed for $t {
            const CLASS: Class = Class::$class;
        }
        impl Key for $t {}
        lookups!(
            $t, $t, |a, b| primitive_order!(a, b), *a == *b, |k| hash::number(number_of!($class, k)), $example
        );
    )*};
}

/// A key's number as the map orders it (signed integers offset to unsigned order).
macro_rules! number_of {
    (Signed, $k:expr) => {
        (*$k as i128 as u128) ^ (1 << 127)
    };
    ($class:ident, $k:expr) => {
        *$k as u128
    };
}

/// A slot of a map's index without an entry.
pub(crate) const EMPTY: u32 = u32::MAX;

primitive_keys!(
    u8: Unsigned, "&42", u16: Unsigned, "&42", u32: Unsigned, "&42", u64: Unsigned, "&42",
    u128: Unsigned, "&42", usize: Unsigned, "&42",
    i8: Signed, "&-1", i16: Signed, "&-1", i32: Signed, "&-1", i64: Signed, "&-1",
    i128: Signed, "&-1", isize: Signed, "&-1",
    char: Char, "&'x'", bool: Bool, "&true"
);
impl sealed::Sealed for &'static str {
    const CLASS: Class = Class::Str;
}
impl Key for &'static str {}
impl sealed::Sealed for &'static [u8] {
    const CLASS: Class = Class::Bytes;
}
impl Key for &'static [u8] {}
lookups!(
    &'static str,
    str,
    |a, b| compare_bytes(a.as_bytes(), b.as_bytes()),
    equal_bytes(a.as_bytes(), b.as_bytes()),
    |k| hash::bytes(k.as_bytes()),
    "\"name\""
);
lookups!(
    &'static [u8],
    [u8],
    |a, b| compare_bytes(a, b),
    equal_bytes(a, b),
    |k| hash::bytes(k),
    "b\"name\""
);

/// Byte order of two byte strings, as `<[u8] as Ord>::cmp`, in const evaluation.
pub(crate) const fn compare_bytes(a: &[u8], b: &[u8]) -> Ordering {
    let n = if a.len() < b.len() { a.len() } else { b.len() };
    let mut i = 0;
    while i < n {
        if a[i] != b[i] {
            return if a[i] < b[i] {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        i += 1;
    }
    primitive_order!(&a.len(), &b.len())
}

/// Whether two byte strings are equal: lengths first, then eight bytes at a time (the
/// standard library's `==` is not usable in const evaluation).
#[inline]
const fn equal_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a, mut b) = (a, b);
    while let (Some((x, a_rest)), Some((y, b_rest))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if u64::from_ne_bytes(*x) != u64::from_ne_bytes(*y) {
            return false;
        }
        (a, b) = (a_rest, b_rest);
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl<K: Key, V> Clone for Map<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Key, V> Copy for Map<K, V> {}

impl<K: Key + fmt::Debug, V: fmt::Debug> fmt::Debug for Map<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Key, V> IntoIterator for Map<K, V> {
    type Item = (&'static K, &'static V);
    type IntoIter = Entries<K, V>;
    fn into_iter(self) -> Entries<K, V> {
        self.iter()
    }
}

impl<K: Key, V> IntoIterator for &Map<K, V> {
    type Item = (&'static K, &'static V);
    type IntoIter = Entries<K, V>;
    fn into_iter(self) -> Entries<K, V> {
        self.iter()
    }
}

/// The iterator over a [`Map`]'s entries, in ascending key order.
pub struct Entries<K: 'static, V: 'static> {
    inner: core::slice::Iter<'static, (K, V)>,
}

/// The iterator over a [`Map`]'s keys, in ascending order.
pub struct Keys<K: 'static, V: 'static> {
    inner: Entries<K, V>,
}

/// The iterator over a [`Map`]'s values, in ascending order of their keys.
pub struct Values<K: 'static, V: 'static> {
    inner: Entries<K, V>,
}

/// `Clone`, `Iterator`, `DoubleEndedIterator`, `ExactSizeIterator` and `FusedIterator` for an
/// iterator that maps each entry through `$pick`.
macro_rules! entry_iterator {
    ($name:ident, $item:ty, |$entry:ident| $pick:expr, $inner:ident) => {
        impl<K, V> Clone for $name<K, V> {
            fn clone(&self) -> Self {
                $name {
                    inner: self.inner.clone(),
                }
            }
        }
        impl<K, V> Iterator for $name<K, V> {
            type Item = $item;
            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.inner.next().map(|$entry| $pick)
            }
            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.inner.size_hint()
            }
        }
        impl<K, V> DoubleEndedIterator for $name<K, V> {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                self.inner.next_back().map(|$entry| $pick)
            }
        }
        impl<K, V> ExactSizeIterator for $name<K, V> {}
        impl<K, V> FusedIterator for $name<K, V> {}
    };
}

entry_iterator!(Entries, (&'static K, &'static V), |e| (&e.0, &e.1), inner);
entry_iterator!(Keys, &'static K, |e| e.0, inner);
entry_iterator!(Values, &'static V, |e| e.1, inner);

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Entries<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}
