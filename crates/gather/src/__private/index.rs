//! Item indices (`register_index!`) and registry fingerprints, computed in const evaluation from
//! tables that a registry generates (see gather-scan's `codegen/index.rs`).
//!
//! A registry's items are its *candidates* that rustc compiled: first the registrations it
//! reaches directly (in its array, under their `#[cfg]`s), then its probes (registrations only
//! rustc can place, and the overflow slots), then its imports. A registration knows its key (its
//! id, or its overflow slot's key); the table maps the key to the candidate's position, and the
//! position to the number of compiled candidates before it.

/// Where a registry's registrations are, for [`IndexTable::index`].
pub struct IndexTable {
    /// Keys of the registrations that ask their index, sorted, with their candidate position.
    pub indexed: &'static [(u64, u32)],
    /// How many candidates the registry reaches directly.
    pub direct: u32,
    /// The positions of the direct candidates that rustc compiled, ascending; `None` when none
    /// of them has a `#[cfg]` (every one is compiled).
    pub compiled: Option<&'static [u32]>,
    /// How many direct candidates rustc compiled (the length of the registry's own array).
    pub own_len: usize,
    /// How many probes belong to registrations the scan found (they come first among probes).
    pub member_probes: u32,
    /// How many overflow slots the registry has.
    pub overflow: u64,
    /// The position of each overflow slot among the overflow probes, when `GATHER_SEED`
    /// shuffled them; empty otherwise (slot `s` is at `s`).
    pub slot_order: &'static [u32],
    /// Each chunk of probes: which of its (compiled) probes found a registration.
    pub present: &'static [&'static [bool]],
    /// Each chunk of probes: the positions in the chunk of its compiled probes, ascending; empty
    /// when none of them has a `#[cfg]`.
    pub positions: &'static [&'static [u32]],
    /// Probes per chunk.
    pub chunk: u32,
}

/// The first key of overflow slots, counted down from `u64::MAX` (gather-scan's `names.rs`).
const fn overflow_slot(key: u64, slots: u64) -> Option<u64> {
    let slot = u64::MAX - key;
    if slot < slots { Some(slot) } else { None }
}

impl IndexTable {
    /// The index of the item registered under `key`, or `None` if no registration of this
    /// registry has that key.
    pub const fn index(&self, key: u64) -> Option<usize> {
        let position = match search(self.indexed, key) {
            Some(p) => p,
            None => match overflow_slot(key, self.overflow) {
                Some(slot) => {
                    let at = if self.slot_order.is_empty() {
                        slot as u32
                    } else {
                        self.slot_order[slot as usize]
                    };
                    self.direct + self.member_probes + at
                }
                None => return None,
            },
        };
        if position < self.direct {
            return match self.compiled {
                None => Some(position as usize),
                Some(compiled) => rank(compiled, position),
            };
        }
        match self.probe_index(position - self.direct) {
            Some(i) => Some(self.own_len + i),
            None => None,
        }
    }

    /// How many probes before probe `p` found a registration, if `p` itself did.
    const fn probe_index(&self, p: u32) -> Option<usize> {
        let chunk = (p / self.chunk) as usize;
        let offset = p % self.chunk;
        if chunk >= self.present.len() {
            return None;
        }
        let mut before = 0;
        let mut c = 0;
        while c < chunk {
            before += super::count_present(self.present[c]);
            c += 1;
        }
        let present = self.present[chunk];
        let j = if self.positions[chunk].is_empty() {
            offset as usize
        } else {
            match rank(self.positions[chunk], offset) {
                Some(j) => j,
                None => return None,
            }
        };
        if j >= present.len() || !present[j] {
            return None;
        }
        let mut k = 0;
        while k < j {
            if present[k] {
                before += 1;
            }
            k += 1;
        }
        Some(before)
    }
}

/// Binary search of `key` in `(key, value)` pairs sorted by key.
const fn search(sorted: &[(u64, u32)], key: u64) -> Option<u32> {
    let (mut lo, mut hi) = (0, sorted.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let (k, v) = sorted[mid];
        if k == key {
            return Some(v);
        } else if k < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    None
}

/// Where `x` is in the ascending `sorted`.
const fn rank(sorted: &[u32], x: u32) -> Option<usize> {
    let (mut lo, mut hi) = (0, sorted.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if sorted[mid] == x {
            return Some(mid);
        } else if sorted[mid] < x {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    None
}

/// A 64-bit mix (splitmix64's finalizer): an overflow slot's part of a fingerprint, from its
/// position among the probes.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl IndexTable {
    /// The part of a registry's fingerprint that its probes contribute: for each probe that found
    /// a registration, its source position's hash (`member_hashes`, per chunk of the probes of
    /// registrations the scan found, as the chunk's compiled probes) or, for an overflow slot,
    /// a mix of its position.
    pub const fn probes_fingerprint(&self, member_hashes: &[&[u64]]) -> u64 {
        let mut sum = 0u64;
        let mut c = 0;
        while c < self.present.len() {
            let present = self.present[c];
            let mut j = 0;
            while j < present.len() {
                if present[j] {
                    let offset = if self.positions[c].is_empty() {
                        j as u32
                    } else {
                        self.positions[c][j]
                    };
                    let p = c as u32 * self.chunk + offset;
                    let h = if p < self.member_probes {
                        member_hashes[c][j]
                    } else {
                        mix(p as u64 + 1)
                    };
                    sum = sum.wrapping_add(h);
                }
                j += 1;
            }
            c += 1;
        }
        sum
    }
}

/// The part of a registry's fingerprint that its imports contribute.
pub const fn imports_fingerprint<T>(imports: &[crate::Registry<T>]) -> u64 {
    let mut sum = 0u64;
    let mut i = 0;
    while i < imports.len() {
        sum = sum.wrapping_add(imports[i].fingerprint.rotate_left(i as u32 % 64 + 1));
        i += 1;
    }
    sum
}

/// Fails compilation with `message` where a registration's key is not in its registry's table
/// (the scan and rustc disagreed about it).
pub const fn expect_index(index: Option<usize>, message: &'static str) -> usize {
    match index {
        Some(i) => i,
        None => panic!("{}", message),
    }
}
