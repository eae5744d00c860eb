//! A map's hash index computed here, for a map whose own entries the registry knows exactly
//! (literal keys, no `#[cfg]`): the same hash as gather's `map::hash` and the same table its
//! lookups read (open addressing, linear probing, at most half full), emitted as bytes so that
//! rustc evaluates nothing per entry. gather checks the hashes of three keys (the first, the
//! longest, the last) in const evaluation and builds the index itself when one differs, so a
//! systematic disagreement costs speed, not lookups; the tests pin the two hashes together.

use crate::codegen::map_keys::Literal;

/// Must be gather's `map::hash` constants.
const K: u64 = 0x9E37_79B9_7F4A_7C15;
const SEED: u64 = 0x2545_F491_4F6C_DD1D;
/// gather's `__private::map_index::INDEXED_FROM`.
const INDEXED_FROM: usize = 16;
/// gather's `map::EMPTY`.
const EMPTY: u32 = u32::MAX;

/// How a key's number is laid out in the map's order (gather's `Repr::num`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Numbers {
    /// Signed integers, offset so that their order is unsigned order.
    Signed,
    /// Unsigned integers, `char`, `bool`.
    Unsigned,
    /// Strings and byte strings: no numbers.
    None,
}

/// The numbers of the key type written as `key` (with lifetimes made `'static`), if known.
pub(crate) fn numbers_of(key: &str) -> Option<Numbers> {
    let bare: String = key
        .replace("'static", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(match bare.as_str() {
        "&str" | "&[u8]" => Numbers::None,
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => Numbers::Signed,
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "char" | "bool" => Numbers::Unsigned,
        _ => return None,
    })
}

fn fold(a: u64, b: u64) -> u64 {
    let r = a as u128 * b as u128;
    (r as u64) ^ ((r >> 64) as u64)
}

fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = fold(SEED ^ b.len() as u64, K);
    let mut words = b.chunks_exact(8);
    for word in &mut words {
        h = fold(h ^ u64::from_le_bytes(word.try_into().unwrap()), K);
    }
    let rest = words.remainder();
    let n = rest.len();
    if n >= 4 {
        let head = u32::from_le_bytes(rest[..4].try_into().unwrap()) as u64;
        let tail = u32::from_le_bytes(rest[n - 4..].try_into().unwrap()) as u64;
        h = fold(h ^ (head << 32 | tail), K);
    } else if n > 0 {
        let last = (rest[0] as u64) << 16 | (rest[n / 2] as u64) << 8 | rest[n - 1] as u64;
        h = fold(h ^ last, K);
    }
    h
}

fn hash_number(n: u128) -> u64 {
    fold((n as u64) ^ SEED, K ^ ((n >> 64) as u64))
}

/// The hash of a key as the map's lookups compute it; `None` when the key does not fit the key
/// type's layout as this reads it.
pub(crate) fn key_hash(key: &Literal, numbers: Numbers) -> Option<u64> {
    Some(match (key, numbers) {
        (Literal::Bytes(b), Numbers::None) => hash_bytes(b),
        (Literal::Number(n), Numbers::Signed) => hash_number((*n as u128) ^ (1 << 127)),
        (Literal::Number(n), Numbers::Unsigned) if *n >= 0 => hash_number(*n as u128),
        _ => return None,
    })
}

/// The index of entries with these hashes, in key order: each slot an entry's position or
/// `EMPTY`; none below `INDEXED_FROM` entries (the map binary-searches).
pub(crate) fn index(hashes: &[u64]) -> Vec<u32> {
    if hashes.len() < INDEXED_FROM {
        return Vec::new();
    }
    let len = (2 * hashes.len()).next_power_of_two();
    let mask = len - 1;
    let mut slots = vec![EMPTY; len];
    for (position, &h) in hashes.iter().enumerate() {
        let mut slot = h as usize & mask;
        while slots[slot] != EMPTY {
            slot = (slot + 1) & mask;
        }
        slots[slot] = position as u32;
    }
    slots
}

/// The slots as the text of a byte string literal, little-endian.
pub(crate) fn byte_string(slots: &[u32]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = Vec::with_capacity(slots.len() * 16 + 3);
    text.extend_from_slice(b"b\"");
    for slot in slots {
        for b in slot.to_le_bytes() {
            text.extend_from_slice(&[b'\\', b'x', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
        }
    }
    text.push(b'"');
    String::from_utf8(text).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_types_are_read_from_their_tokens() {
        assert_eq!(numbers_of("& 'static str"), Some(Numbers::None));
        assert_eq!(numbers_of("&'static [u8]"), Some(Numbers::None));
        assert_eq!(numbers_of("i64"), Some(Numbers::Signed));
        assert_eq!(numbers_of("char"), Some(Numbers::Unsigned));
        assert_eq!(numbers_of("Code"), None);
        assert_eq!(numbers_of("std::primitive::u8"), None);
    }

    #[test]
    fn keys_of_the_wrong_kind_have_no_hash() {
        assert!(key_hash(&Literal::Number(-1), Numbers::Unsigned).is_none());
        assert!(key_hash(&Literal::Number(1), Numbers::None).is_none());
        assert!(key_hash(&Literal::Bytes(vec![]), Numbers::Signed).is_none());
        assert_ne!(
            key_hash(&Literal::Number(5), Numbers::Signed),
            key_hash(&Literal::Number(5), Numbers::Unsigned)
        );
    }

    #[test]
    fn every_entry_is_in_the_index_once_and_found_from_its_hash() {
        let hashes: Vec<u64> = (0..100u64).map(|i| hash_number(i as u128 * 7)).collect();
        let slots = index(&hashes);
        assert_eq!(slots.len(), 256);
        assert_eq!(slots.iter().filter(|&&s| s != EMPTY).count(), 100);
        for (position, h) in hashes.iter().enumerate() {
            let mut slot = *h as usize & 255;
            while slots[slot] != position as u32 {
                assert_ne!(slots[slot], EMPTY, "entry {position} not reachable");
                slot = (slot + 1) & 255;
            }
        }
        assert!(index(&hashes[..15]).is_empty());
    }

    #[test]
    fn slots_are_written_little_endian() {
        assert_eq!(
            byte_string(&[1, EMPTY]),
            "b\"\\x01\\x00\\x00\\x00\\xff\\xff\\xff\\xff\""
        );
    }
}
