//! The hash of a map's keys: computed in const evaluation when the map's index is built and at
//! run time when a key is looked up, by the same `const fn`s. Not a keyed (DoS-resistant) hash:
//! a map's keys are fixed at compile time, and only lookups of absent keys could be made slow.

/// An odd multiplier with well-mixed bits.
const K: u64 = 0x9E37_79B9_7F4A_7C15;
const SEED: u64 = 0x2545_F491_4F6C_DD1D;

/// The 128-bit product of `a` and `b`, folded to 64 bits: mixes every bit of both into the
/// low bits that pick a slot.
const fn fold(a: u64, b: u64) -> u64 {
    let r = a as u128 * b as u128;
    (r as u64) ^ ((r >> 64) as u64)
}

/// The hash of a string's or byte string's bytes, eight at a time.
#[inline]
pub(crate) const fn bytes(b: &[u8]) -> u64 {
    let mut h = fold(SEED ^ b.len() as u64, K);
    let mut rest = b;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        h = fold(h ^ u64::from_le_bytes(*word), K);
        rest = tail;
    }
    // The last 1 to 7 bytes in at most two reads: a 4-byte read at each end (overlapping)
    // from 4 bytes on, else the first, middle and last byte.
    let n = rest.len();
    if n >= 4 {
        let (head, _) = rest.split_first_chunk::<4>().unwrap();
        let (_, tail) = rest.split_last_chunk::<4>().unwrap();
        let last = (u32::from_le_bytes(*head) as u64) << 32 | u32::from_le_bytes(*tail) as u64;
        h = fold(h ^ last, K);
    } else if n > 0 {
        let last = (rest[0] as u64) << 16 | (rest[n / 2] as u64) << 8 | rest[n - 1] as u64;
        h = fold(h ^ last, K);
    }
    h
}

/// The hash of an integer, `char` or `bool` as the map orders it (see `Repr`'s `num`).
#[inline]
pub(crate) const fn number(n: u128) -> u64 {
    fold((n as u64) ^ SEED, K ^ ((n >> 64) as u64))
}
