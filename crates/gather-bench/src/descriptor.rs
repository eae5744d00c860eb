//! What `#[bench]` builds for each benchmark: its name, its function and the attribute's
//! settings.

use crate::bencher::{Bencher, Throughput};

/// A benchmark's descriptor, built by `#[bench]` in a `const` and kept in
/// [`gather_harness::Test::data`].
#[doc(hidden)]
pub struct Def {
    pub run: fn(&mut Bencher),
    pub throughput: Option<Throughput>,
    pub samples: Option<u64>,
    pub time_ns: Option<u64>,
    pub warm_up_ns: Option<u64>,
}

/// `module_path!()` without its first segment (the crate), as libtest names tests.
pub const fn bench_name(full: &'static str) -> &'static str {
    let bytes = full.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b':' && bytes[i + 1] == b':' {
            return full.split_at(i + 2).1;
        }
        i += 1;
    }
    full
}
