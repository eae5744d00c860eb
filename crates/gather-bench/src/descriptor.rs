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
