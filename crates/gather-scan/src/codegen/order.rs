//! `GATHER_SEED`: a deterministic shuffle of every registry, to flush out code that depends on
//! the order of registrations.

/// The seed from `GATHER_SEED`: a number, or any other text hashed; `None` when unset or empty.
pub(crate) fn seed() -> Option<u64> {
    let s = std::env::var("GATHER_SEED").ok()?;
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    Some(
        s.parse()
            .unwrap_or_else(|_| crate::hash::hash_bytes(s.as_bytes())),
    )
}

/// Fisher-Yates with splitmix64: deterministic for a seed, on every host.
pub(crate) fn shuffle<T>(v: &mut [T], seed: u64) {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..v.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::shuffle;

    #[test]
    fn a_seed_gives_one_permutation() {
        let shuffled = |seed| {
            let mut v: Vec<u32> = (0..20).collect();
            shuffle(&mut v, seed);
            v
        };
        assert_eq!(shuffled(1), shuffled(1));
        assert_ne!(shuffled(1), shuffled(2));
        let mut sorted = shuffled(3);
        sorted.sort();
        assert_eq!(sorted, (0..20).collect::<Vec<_>>());
    }
}
