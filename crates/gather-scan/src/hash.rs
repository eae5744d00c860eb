//! The one hash function of the scan and its generated names: stable across platforms,
//! processes and versions, unlike std's `DefaultHasher`.

/// FNV-1a followed by a 64-bit finalizer: stable across platforms, processes and versions.
///
/// ```
/// assert_eq!(gather_scan::hash_bytes(b"gather"), gather_scan::hash_bytes(b"gather"));
/// assert_ne!(gather_scan::hash_bytes(b"a"), gather_scan::hash_bytes(b"b"));
/// ```
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    finish(fnv(FNV_START, bytes))
}

pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;
pub(crate) const FNV_PRIME: u64 = 0x0100_0000_01b3;

pub(crate) fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

pub(crate) fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}
