//! A map's hash index, built in const evaluation next to its sorted entries: open addressing
//! with linear probing, at most half full, holding entry positions. Key hashes are computed
//! piece by piece (as the entries are sorted), each piece its own constant, so that no
//! constant's evaluation runs long; the table itself is then filled in one pass.

use super::map::{Ctx, MapEntry, PIECE, Repr, key_hash, repr};
use crate::Key;
use crate::map::EMPTY;

/// Maps smaller than this binary-search their sorted entries, which is as fast and needs no
/// table.
pub const INDEXED_FROM: usize = 16;

/// The number of slots of the index of `n` entries: none below [`INDEXED_FROM`], else a power
/// of two at least twice `n`.
pub const fn index_len(n: usize) -> usize {
    if n < INDEXED_FROM {
        0
    } else {
        (2 * n).next_power_of_two()
    }
}

/// The hashes of piece `p` of run `run` (as `sort_piece` cuts it), in entry order.
pub const fn hash_piece<const N: usize>(ctx: &Ctx, run: usize, p: usize) -> [u64; N] {
    let mut out = [0u64; N];
    if N == 0 {
        return out;
    }
    let base = ctx.offsets[run] + p * PIECE;
    let mut i = 0;
    while i < N {
        out[i] = key_hash(&ctx.keys[base + i]);
        i += 1;
    }
    out
}

/// Each entry's position in key order, by its index in the runs: the inverse of `order`.
pub const fn rank<const N: usize>(order: &[u32; N]) -> [u32; N] {
    let mut out = [0u32; N];
    let mut i = 0;
    while i < N {
        out[order[i] as usize] = i as u32;
        i += 1;
    }
    out
}

/// The index of `M` slots: each piece's hashes (`pieces[k]`, cut from run `runs[k].0` at piece
/// `runs[k].1`) placed by the sorted position of their entry.
pub const fn index<const M: usize>(
    offsets: &[usize],
    rank: &[u32],
    pieces: &[&[u64]],
    cuts: &[(usize, usize)],
) -> [u32; M] {
    let mut slots = [EMPTY; M];
    if M == 0 {
        return slots;
    }
    let mask = M - 1;
    let mut k = 0;
    while k < pieces.len() {
        let hashes = pieces[k];
        let (run, p) = cuts[k];
        if !hashes.is_empty() {
            let base = offsets[run] + p * PIECE;
            let mut i = 0;
            while i < hashes.len() {
                let mut slot = hashes[i] as usize & mask;
                while slots[slot] != EMPTY {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = rank[base + i];
                i += 1;
            }
        }
        k += 1;
    }
    slots
}

/// The index the registry computed (see gather-scan's `map_hash`), from its bytes,
/// little-endian (`B` is `4 * M`).
pub const fn slots_from_le<const M: usize, const B: usize>(bytes: &[u8; B]) -> [u32; M] {
    assert!(B == 4 * M);
    if cfg!(target_endian = "little") {
        // SAFETY: `[u8; 4 * M]` and `[u32; M]` have one size, every bit pattern is a `u32`,
        // and a read by value needs no alignment of the bytes.
        return unsafe { core::ptr::read_unaligned(bytes as *const [u8; B] as *const [u32; M]) };
    }
    let mut out = [0u32; M];
    let mut i = 0;
    while i < M {
        out[i] = u32::from_le_bytes([
            bytes[4 * i],
            bytes[4 * i + 1],
            bytes[4 * i + 2],
            bytes[4 * i + 3],
        ]);
        i += 1;
    }
    out
}

/// Whether the own keys at these positions hash, here, to what the registry computed for them
/// (`(position, hash)`): the check that the registry read the key type and the hash as gather
/// does.
pub const fn hashes_agree<K: Key, V>(
    own: &'static [MapEntry<K, V>],
    witnesses: &[(usize, u64)],
) -> bool {
    let mut i = 0;
    while i < witnesses.len() {
        let (at, hash) = witnesses[i];
        if at >= own.len() || key_hash(&repr(&own[at].0.0)) != hash {
            return false;
        }
        i += 1;
    }
    true
}

// A key's hash here must be the one its lookup computes (`crate::map::hash`).
const _: () = {
    let short = Repr::of_str("typetag");
    assert!(key_hash(&short) == crate::map::hash::bytes(b"typetag"));
    let long = Repr::of_str("a tag longer than sixteen bytes");
    assert!(key_hash(&long) == crate::map::hash::bytes(b"a tag longer than sixteen bytes"));
};
