//! What a `Map` registry's generated code builds the map with, in const evaluation: the keys of
//! every entry as [`Repr`]s, each run of entries sorted in pieces, the pieces merged, the
//! entries moved into key order, and a duplicate key reported with both places.
//!
//! rustc stops a single constant's evaluation after about two million steps
//! (`long_running_const_eval`), so the work is split over many constants, each bounded: pieces
//! of [`PIECE`] entries are sorted (in O(n) when already sorted, as the registry emits literal
//! keys), and a merge of a sorted piece into what came before copies indices and compares only
//! where the two overlap.

use core::cmp::Ordering;

use crate::map::{Class, compare_bytes};
use crate::{Key, Map, Registry};

/// How many entries one constant sorts.
pub const PIECE: usize = 1024;

/// One registered entry: a `(K, V)` pair, typed apart from a plain registry's items so that
/// `register!(REGISTRY, KEY => VALUE)` into a `Registry` is an error.
#[repr(transparent)]
pub struct MapEntry<K, V>(pub (K, V));

/// What `register!(MAP, KEY => VALUE)` builds: `E` is the registry's item type.
#[diagnostic::on_unimplemented(
    message = "`KEY => VALUE` registers into a `gather::Map`, and this registry's items are `{Self}`",
    label = "not a map",
    note = "write `register!(REGISTRY, VALUE)` for a `Registry<T>`, or declare the registry as `Map<K, V>`"
)]
pub trait Keyed {
    /// `(K, V)`.
    type Pair;
}
impl<K, V> Keyed for MapEntry<K, V> {
    type Pair = (K, V);
}

/// A map's entry from its key and value; the parameter's type is known from `E`, so the key
/// and value are coerced to `K` and `V` (a function item to a function pointer).
pub const fn keyed<E: Keyed>(pair: E::Pair) -> E {
    union Cast<P, E> {
        pair: core::mem::ManuallyDrop<P>,
        entry: core::mem::ManuallyDrop<E>,
    }
    // SAFETY: `Keyed` is implemented only for `MapEntry<K, V>`, a transparent `(K, V)`.
    unsafe {
        core::mem::ManuallyDrop::into_inner(
            Cast {
                pair: core::mem::ManuallyDrop::new(pair),
            }
            .entry,
        )
    }
}

/// A map as the registry of its entries, for `register_many!` (the map's identities travel
/// with it, so that importing one map twice is refused).
impl<K: Key, V> super::Source<Map<K, V>> {
    pub const fn into_registry<U: super::Stored<(K, V)>>(self) -> Registry<U> {
        let entries = self.0.entries();
        // SAFETY: `U: Stored<(K, V)>` has the layout of `(K, V)`.
        let own = unsafe { &*(entries as *const [(K, V)] as *const [U]) };
        super::registry(own, &[], self.0.sources(), own.len() as u64)
    }
}

/// A key, as the one order and the one message of every key type know it: integers, `char` and
/// `bool` by `num` (signed integers offset so that unsigned order is theirs), strings and byte
/// strings by `bytes` (`num` 0: one constant builds every key, and reading a string's first bytes
/// as a number there would cost it too many steps at 50,000 keys).
#[derive(Clone, Copy)]
pub struct Repr {
    num: u128,
    bytes: &'static [u8],
    kind: Class,
}

const SIGN: u128 = 1 << 127;

impl Repr {
    pub(super) const fn of_str(s: &'static str) -> Repr {
        Repr {
            num: 0,
            bytes: s.as_bytes(),
            kind: Class::Str,
        }
    }

    const EMPTY: Repr = Repr {
        num: 0,
        bytes: &[],
        kind: Class::Unsigned,
    };

    const fn cmp(&self, other: &Repr) -> Ordering {
        if self.num < other.num {
            Ordering::Less
        } else if self.num > other.num {
            Ordering::Greater
        } else {
            compare_bytes(self.bytes, other.bytes)
        }
    }
}

/// The keys of every run's entries, in order; `N` is their number, or 0 when the map needs
/// none (see `FAST` in the registry's code).
pub const fn reprs<K: Key, V, const N: usize>(runs: &[&'static [MapEntry<K, V>]]) -> [Repr; N] {
    let mut out = [Repr::EMPTY; N];
    if N == 0 {
        return out;
    }
    let mut n = 0;
    let mut r = 0;
    while r < runs.len() {
        let run = runs[r];
        let mut i = 0;
        while i < run.len() {
            out[n] = repr(&run[i].0.0);
            n += 1;
            i += 1;
        }
        r += 1;
    }
    out
}

/// A key's [`Repr`], read from its memory as its class says it is laid out (traits cannot be
/// `const`, so the key types cannot convert themselves).
pub(super) const fn repr<K: Key>(key: &'static K) -> Repr {
    let p = key as *const K;
    let size = core::mem::size_of::<K>();
    // SAFETY: `K`'s class says what `K` is: a `&str` or `&[u8]` (one layout), an integer of
    // `size` bytes, a `char` or a `bool`; each read is of `K`'s own type or its bits.
    unsafe {
        let num = match (K::CLASS, size) {
            (Class::Str | Class::Bytes, _) => {
                return Repr {
                    num: 0,
                    bytes: *(p as *const &'static [u8]),
                    kind: K::CLASS,
                };
            }
            (Class::Signed, 1) => *(p as *const i8) as i128 as u128 ^ SIGN,
            (Class::Signed, 2) => *(p as *const i16) as i128 as u128 ^ SIGN,
            (Class::Signed, 4) => *(p as *const i32) as i128 as u128 ^ SIGN,
            (Class::Signed, 8) => *(p as *const i64) as i128 as u128 ^ SIGN,
            (Class::Signed, _) => *(p as *const i128) as u128 ^ SIGN,
            (_, 1) => *(p as *const u8) as u128,
            (_, 2) => *(p as *const u16) as u128,
            (_, 4) => *(p as *const u32) as u128,
            (_, 8) => *(p as *const u64) as u128,
            _ => *(p as *const u128),
        };
        Repr {
            num,
            bytes: &[],
            kind: K::CLASS,
        }
    }
}

/// Everything a map's sorting constants share: the keys, where each run starts, and the places
/// of the entries for the duplicate-key message.
pub struct Ctx<'a> {
    /// The map's name.
    pub name: &'static str,
    /// The key of every entry, run after run.
    pub keys: &'a [Repr],
    /// Where each run starts in `keys`, and the end.
    pub offsets: &'a [usize],
    /// Where each run's entries are registered: one place per entry, or one for the whole run
    /// (an import).
    pub places: &'a [&'a [&'static str]],
    /// The places of the own run (run 0): lines of one text, ...
    pub own_text: &'static str,
    /// ... and where each entry's line starts in it, or none when every line is
    pub own_places: &'a [u32],
    /// ... this long (a place and newlines).
    pub own_width: usize,
}

/// The runs of a map's entries: its own, then each probed chunk and import of the registry.
pub const fn runs<T, const R: usize>(
    own: &'static [T],
    imports: &[Registry<T>],
) -> [&'static [T]; R] {
    let mut out: [&'static [T]; R] = [&[]; R];
    out[0] = own;
    let mut i = 0;
    while i < imports.len() {
        out[i + 1] = imports[i].own;
        i += 1;
    }
    out
}

/// Whether each run is another map's entries, sorted and checked by that map (the own run,
/// probed chunks and slices of pairs are not: they carry no identity).
pub const fn trusted<T, const R: usize>(imports: &[Registry<T>]) -> [bool; R] {
    let mut out = [false; R];
    let mut i = 0;
    while i < imports.len() {
        out[i + 1] = !imports[i].sources.is_empty();
        i += 1;
    }
    out
}

/// Where each run starts, and the end (`R1` is one more than the number of runs).
pub const fn offsets<T, const R1: usize>(runs: &[&'static [T]]) -> [usize; R1] {
    let mut out = [0; R1];
    let mut i = 0;
    while i < runs.len() {
        out[i + 1] = out[i] + runs[i].len();
        i += 1;
    }
    out
}

/// The length of piece `p` of a run of `len` entries.
pub const fn piece_len(len: usize, p: usize) -> usize {
    let start = p * PIECE;
    if start >= len {
        0
    } else if len - start < PIECE {
        len - start
    } else {
        PIECE
    }
}

/// Piece `p` of run `run`, as indices into `ctx.keys` in ascending key order; a key twice in it
/// fails compilation. A trusted run (another map) is already in order.
pub const fn sort_piece<const N: usize>(
    ctx: &Ctx,
    run: usize,
    p: usize,
    trusted: bool,
) -> [u32; N] {
    if N == 0 {
        return [0; N];
    }
    let base = ctx.offsets[run] + p * PIECE;
    let mut a = [0u32; N];
    let mut i = 0;
    while i < N {
        a[i] = (base + i) as u32;
        i += 1;
    }
    if trusted {
        return a;
    }
    // In order already (as the registry emits literal keys): one comparison per entry, and no
    // key twice.
    let mut i = 1;
    while i < N && less(ctx, a[i - 1], a[i]) {
        i += 1;
    }
    if i >= N {
        return a;
    }
    // Bottom-up merge sort; two blocks already in order are left as they are, so sorted input
    // costs one comparison per block.
    let mut b = [0u32; N];
    let mut width = 1;
    while width < N {
        let mut lo = 0;
        while lo + width < N {
            let mid = lo + width;
            let hi = if mid + width < N { mid + width } else { N };
            if less(ctx, a[mid - 1], a[mid]) {
                lo = hi;
                continue;
            }
            let (mut x, mut y, mut k) = (lo, mid, lo);
            while k < hi {
                if y >= hi || (x < mid && !less(ctx, a[y], a[x])) {
                    b[k] = a[x];
                    x += 1;
                } else {
                    b[k] = a[y];
                    y += 1;
                }
                k += 1;
            }
            let mut k = lo;
            while k < hi {
                a[k] = b[k];
                k += 1;
            }
            lo = hi;
        }
        width *= 2;
    }
    let mut i = 1;
    while i < N {
        if !less(ctx, a[i - 1], a[i]) {
            duplicate(ctx, a[i - 1], a[i]);
        }
        i += 1;
    }
    a
}

/// `a` and `b`, each in ascending key order, merged (`N` is their total length); a key in both
/// fails compilation. Each element of `b` is placed by an exponential search from the last one's
/// place, so a small `b`, or one that follows all of `a`, costs few comparisons.
pub const fn merge<const N: usize>(ctx: &Ctx, a: &[u32], b: &[u32]) -> [u32; N] {
    let mut out = [0u32; N];
    // `b` after all of `a` (consecutive pieces of keys in order): two copies.
    if a.is_empty() || b.is_empty() || less(ctx, a[a.len() - 1], b[0]) {
        let (front, back) = out.split_at_mut(a.len());
        front.copy_from_slice(a);
        back.copy_from_slice(b);
        return out;
    }
    let mut k = 0;
    let mut i = 0;
    let mut j = 0;
    while j < b.len() {
        let key = b[j];
        // The first element of `a[i..]` not below `key`: gallop, then bisect.
        let mut step = 1;
        let mut lo = i;
        let mut hi = i;
        while hi < a.len() && less(ctx, a[hi], key) {
            lo = hi + 1;
            hi += step;
            step *= 2;
        }
        if hi > a.len() {
            hi = a.len();
        }
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if less(ctx, a[mid], key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // `a[i..lo]` in one copy.
        out.split_at_mut(k)
            .1
            .split_at_mut(lo - i)
            .0
            .copy_from_slice(a.split_at(lo).0.split_at(i).1);
        k += lo - i;
        i = lo;
        if i < a.len() && !less(ctx, key, a[i]) {
            duplicate(ctx, a[i], key);
        }
        out[k] = key;
        k += 1;
        j += 1;
    }
    out.split_at_mut(k).1.copy_from_slice(a.split_at(i).1);
    out
}

const fn less(ctx: &Ctx, a: u32, b: u32) -> bool {
    matches!(
        ctx.keys[a as usize].cmp(&ctx.keys[b as usize]),
        Ordering::Less
    )
}

/// The entries in `order` (indices into the runs, one after the other), moved out of the runs,
/// which are constants: each entry is a copy of a constant's value, as every use of a constant
/// is. `N` is the number of entries.
pub const fn permute<K, V, const N: usize>(
    runs: &[&'static [MapEntry<K, V>]],
    offsets: &[usize],
    order: &[u32; N],
) -> [(K, V); N] {
    let mut out: [core::mem::MaybeUninit<(K, V)>; N] =
        [const { core::mem::MaybeUninit::uninit() }; N];
    let mut run = 0;
    let mut i = 0;
    while i < N {
        let g = order[i] as usize;
        if g < offsets[run] || g >= offsets[run + 1] {
            run = 0;
            while g >= offsets[run + 1] {
                run += 1;
            }
        }
        let entry: &(K, V) = &runs[run][g - offsets[run]].0;
        // SAFETY: a bitwise copy of a constant's value (see above); each output written once.
        out[i] = core::mem::MaybeUninit::new(unsafe { core::ptr::read(entry) });
        i += 1;
    }
    // SAFETY: all `N` elements were written; `MaybeUninit<T>` has the layout of `T`.
    unsafe {
        core::ptr::read(&out as *const [core::mem::MaybeUninit<(K, V)>; N] as *const [(K, V); N])
    }
}

/// The map's own entries, path-form `(K, V)` constants, as `MapEntry`s.
pub const fn entries<K, V>(own: &'static [(K, V)]) -> &'static [MapEntry<K, V>] {
    // SAFETY: `MapEntry<K, V>` is a transparent `(K, V)`.
    unsafe { &*(own as *const [(K, V)] as *const [MapEntry<K, V>]) }
}

/// A run of entries as the map's pairs.
pub const fn pairs<K, V>(run: &'static [MapEntry<K, V>]) -> &'static [(K, V)] {
    // SAFETY: `MapEntry<K, V>` is a transparent `(K, V)`.
    unsafe { &*(run as *const [MapEntry<K, V>] as *const [(K, V)]) }
}

/// The map over its sorted entries and their index.
pub const fn map<K: Key, V>(
    entries: &'static [(K, V)],
    index: &'static [u32],
    sources: &'static [u64],
) -> Map<K, V> {
    Map::from_sorted(entries, index, sources)
}

/// The hash of a key, as its lookup computes it.
pub(super) const fn key_hash(key: &Repr) -> u64 {
    match key.kind {
        Class::Str | Class::Bytes => crate::map::hash::bytes(key.bytes),
        _ => crate::map::hash::number(key.num),
    }
}

/// Fails compilation: the entries at `a` and `b` have one key.
const fn duplicate(ctx: &Ctx, a: u32, b: u32) -> ! {
    let mut m = Message::new();
    m.push("map `");
    m.push(ctx.name);
    m.push("` has the key ");
    m.key(&ctx.keys[a as usize]);
    m.push(" twice: at ");
    m.push(place(ctx, a));
    m.push(" and at ");
    m.push(place(ctx, b));
    m.push("; a key can be registered once");
    match core::str::from_utf8(m.text()) {
        Ok(text) => panic!("{}", text),
        Err(_) => panic!("a gather::Map has a key twice"),
    }
}

const fn place(ctx: &Ctx, g: u32) -> &'static str {
    let g = g as usize;
    let mut run = 0;
    while g >= ctx.offsets[run + 1] {
        run += 1;
    }
    let local = g - ctx.offsets[run];
    if run == 0 {
        let start = if ctx.own_places.is_empty() {
            local * ctx.own_width
        } else {
            ctx.own_places[local] as usize
        };
        let line = ctx.own_text.as_bytes().split_at(start).1;
        let mut end = 0;
        while end < line.len() && line[end] != b'\n' {
            end += 1;
        }
        return match core::str::from_utf8(line.split_at(end).0) {
            Ok(place) => place,
            Err(_) => "?",
        };
    }
    let places = ctx.places[run];
    if local < places.len() {
        places[local]
    } else {
        places[0]
    }
}

/// The place of each probe that found a registration; `N` is how many did.
pub const fn select<const M: usize, const N: usize>(
    present: &[bool; M],
    places: [&'static str; M],
) -> [&'static str; N] {
    let mut out = [""; N];
    let mut k = 0;
    let mut i = 0;
    while i < M {
        if present[i] {
            out[k] = places[i];
            k += 1;
        }
        i += 1;
    }
    out
}

/// The index of a run among those compiled: 1 + how many of the runs before it exist (the
/// own run is 0), or `usize::MAX` for a run whose `#[cfg]` is off.
pub const fn run_index(on: bool, before: &[bool]) -> usize {
    if !on {
        return usize::MAX;
    }
    let mut n = 1;
    let mut i = 0;
    while i < before.len() {
        if before[i] {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The length of the run at `index` (0 for none).
pub const fn run_len(offsets: &[usize], index: usize) -> usize {
    if index == usize::MAX {
        0
    } else {
        offsets[index + 1] - offsets[index]
    }
}

/// Whether the run at `index` is another map's.
pub const fn trusted_at(trusted: &[bool], index: usize) -> bool {
    index != usize::MAX && trusted[index]
}

/// A message built in const evaluation (which cannot format), cut at its capacity.
struct Message {
    buf: [u8; 1024],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Message {
            buf: [0; 1024],
            len: 0,
        }
    }

    const fn byte(&mut self, b: u8) {
        if self.len < self.buf.len() {
            self.buf[self.len] = b;
            self.len += 1;
        }
    }

    const fn push(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            self.byte(bytes[i]);
            i += 1;
        }
    }

    const fn decimal(&mut self, mut n: u128) {
        let mut digits = [0u8; 40];
        let mut k = 0;
        loop {
            digits[k] = b'0' + (n % 10) as u8;
            k += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        while k > 0 {
            k -= 1;
            self.byte(digits[k]);
        }
    }

    const fn key(&mut self, key: &Repr) {
        match key.kind {
            Class::Unsigned => self.decimal(key.num),
            Class::Signed => {
                let n = (key.num ^ SIGN) as i128;
                if n < 0 {
                    self.byte(b'-');
                }
                self.decimal(n.unsigned_abs());
            }
            Class::Bool => self.push(if key.num == 1 { "true" } else { "false" }),
            Class::Char => {
                let mut buf = [0u8; 4];
                self.byte(b'\'');
                match char::from_u32(key.num as u32) {
                    Some(c) => self.push(c.encode_utf8(&mut buf)),
                    None => self.byte(b'?'),
                }
                self.byte(b'\'');
            }
            Class::Str => {
                self.byte(b'"');
                let mut i = 0;
                while i < key.bytes.len() {
                    self.byte(key.bytes[i]);
                    i += 1;
                }
                self.byte(b'"');
            }
            Class::Bytes => {
                self.push("b\"");
                let mut i = 0;
                while i < key.bytes.len() {
                    let b = key.bytes[i];
                    if b.is_ascii_graphic() || b == b' ' {
                        self.byte(b);
                    } else {
                        const HEX: &[u8; 16] = b"0123456789abcdef";
                        self.push("\\x");
                        self.byte(HEX[(b >> 4) as usize]);
                        self.byte(HEX[(b & 15) as usize]);
                    }
                    i += 1;
                }
                self.byte(b'"');
            }
        }
    }

    const fn text(&self) -> &[u8] {
        // A cut in the middle of a character would not be UTF-8: cut before it.
        let mut end = self.len;
        if end == self.buf.len() {
            while end > 0 && self.buf[end - 1] & 0xC0 == 0x80 {
                end -= 1;
            }
            if end > 0 && self.buf[end - 1] >= 0xC0 {
                end -= 1;
            }
        }
        self.buf.split_at(end).0
    }
}
