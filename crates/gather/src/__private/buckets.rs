//! Self types for registration impls. rustc's coherence check compares the impls of one self
//! type pairwise, so registrations spread their impls over many types: a binary tree of modules,
//! one level per token given to `buckets!`, with one `B` at each leaf. Bucket `k` is the path of
//! `k`'s bits, high bit first (`_0::_1::..::B`); gather-scan forms the same path from its
//! `BUCKETS`, and each registry asserts that the two numbers agree.
#![allow(missing_docs)]

macro_rules! tree {
    () => {
        pub struct B;
    };
    ($level:tt $($below:tt)*) => {
        pub mod _0 {
            tree!($($below)*);
        }
        pub mod _1 {
            tree!($($below)*);
        }
    };
}

macro_rules! depth {
    () => { 0 };
    ($level:tt $($below:tt)*) => { 1 + depth!($($below)*) };
}

macro_rules! buckets {
    ($($level:tt)*) => {
        tree!($($level)*);
        /// How many bucket types there are.
        pub const BUCKETS: u64 = 1 << depth!($($level)*);
    };
}

buckets!(x x x x x x x x x x);
