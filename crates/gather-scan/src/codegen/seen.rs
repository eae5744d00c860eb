//! The set of registration ids a registry's `check` looks up, as gather's `__private::contains`
//! reads it: an open-addressing table, so that each lookup in const evaluation takes a probe or
//! two instead of a binary search over thousands of ids (one lookup per framework registration).

/// The table of `ids`: a power of two of slots, at least twice as many as nonzero ids, each id at
/// the first empty slot from its low bits on (0 is empty); then 1 if `ids` holds 0, else 0.
pub(crate) fn id_table(ids: &[u64]) -> Vec<u64> {
    let nonzero: Vec<u64> = ids.iter().copied().filter(|&id| id != 0).collect();
    let slots = (2 * nonzero.len()).next_power_of_two();
    let mask = slots as u64 - 1;
    let mut table = vec![0u64; slots];
    for id in nonzero {
        let mut i = (id & mask) as usize;
        while table[i] != 0 && table[i] != id {
            i = ((i as u64 + 1) & mask) as usize;
        }
        table[i] = id;
    }
    table.push(u64::from(ids.contains(&0)));
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// gather's `__private::contains`, as it reads the table.
    fn contains(table: &[u64], id: u64) -> bool {
        let slots = table.len() - 1;
        if id == 0 {
            return table[slots] == 1;
        }
        (0..slots).any(|i| table[i] == id)
    }

    #[test]
    fn every_id_is_found_where_a_probe_starts() {
        let ids: Vec<u64> = (1..=1000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let table = id_table(&ids);
        assert_eq!(table.len(), 2048 + 1);
        let mask = 2047;
        for &id in &ids {
            // Linear probing from the id's low bits reaches it before an empty slot.
            let mut i = (id & mask) as usize;
            while table[i] != id {
                assert_ne!(table[i], 0, "{id} is past an empty slot");
                i = (i + 1) & mask as usize;
            }
        }
        assert!(!contains(&table, 0) && !contains(&table, 12345));
        assert_eq!(id_table(&[0]), vec![0, 1]);
        assert_eq!(id_table(&[]), vec![0, 0]);
        assert!(contains(&id_table(&[0, 5]), 0));
    }
}
