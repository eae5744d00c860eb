//! Every name that the generated code of a registry and of its registrations share. Both sides
//! form them here, so that they cannot drift apart.

use crate::hash::hash_bytes;

/// How many self types registration impls are spread over: rustc's coherence check compares
/// the impls of one self type pairwise. gather's `__private::buckets` declares as many, as a
/// binary tree of modules; every registry asserts that the two numbers agree.
#[doc(hidden)]
pub const BUCKETS: u64 = 1 << BUCKET_BITS;
const BUCKET_BITS: u32 = 10;

/// The path, below gather's `__private`, of the bucket type that a trait-form registration with
/// this id implements its slot for: the bucket number's bits, high bit first.
pub(crate) fn bucket(id: u64) -> String {
    let k = id % BUCKETS;
    let mut path = String::from("buckets");
    for bit in (0..BUCKET_BITS).rev() {
        path.push_str(if k >> bit & 1 == 1 { "::_1" } else { "::_0" });
    }
    path.push_str("::B");
    path
}

/// A name from the source as it must be written in generated code: a keyword of some edition
/// (`gen`, `async`, `try`, ...) raw, because the generated tokens are read in the edition of the
/// macro crate, not of the crate that wrote the name.
pub(crate) fn raw_if_keyword(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do",
        "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in",
        "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
        "return", "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe",
        "unsized", "use", "virtual", "where", "while", "yield",
    ];
    if RESERVED.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The name of the `const` a path-form registration defines.
pub fn const_name(id: u64) -> String {
    format!("__GATHER_{id:016X}")
}

/// The item-type alias that a registry declares for its path-form registrations; `identity` is
/// where the registry is (see `Crate::item_alias`). The registry's name is part of it because it
/// shows in rustc's message if a registration's path names another registry.
pub(crate) fn item_alias(registry: &str, identity: &str) -> String {
    format!(
        "Item_{}_{:016X}",
        registry.trim_start_matches("r#"),
        hash_bytes(identity.as_bytes())
    )
}

/// The type alias of a registry's item type, next to the registry.
pub(crate) fn item_type(registry: &str) -> String {
    format!("__gather_item_{}", registry.trim_start_matches("r#"))
}

/// The registry's own name for the path to gather (see `codegen::registry`).
pub(crate) fn gather_alias(registry: &str) -> String {
    format!("__gather_{}", registry.trim_start_matches("r#"))
}

/// The trait a registry's own trait-form registrations implement.
pub(crate) const SLOT: &str = "Slot";
/// The trait a registry's imports (`register_many!`) implement.
pub(crate) const MANY: &str = "Many";
/// The local type that keeps a registration impl clear of the orphan rule.
pub(crate) const HERE: &str = "__GatherRegistration";
/// The registry's type whose inherent consts a registration defines when only rustc can tell
/// whether it is compiled (see `codegen::probes`).
pub(crate) const PROBE: &str = "Probe";

/// Overflow slots a registry probes unless `#[registry(overflow = N)]` says otherwise.
pub(crate) const DEFAULT_OVERFLOW: u64 = 256;

/// The `Probe` key of a registration the scan found but only rustc can place: its id.
pub(crate) fn probe_key(id: u64) -> u64 {
    id
}

/// The `Probe` key of overflow slot `slot`: from the top of the range, far from the ids (hashes)
/// that key the probes of registrations the scan found.
pub(crate) fn overflow_key(slot: u64) -> u64 {
    u64::MAX - slot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stable() {
        assert_eq!(const_name(0xAB), "__GATHER_00000000000000AB");
        assert_eq!(
            bucket(1024 + 5),
            "buckets::_0::_0::_0::_0::_0::_0::_0::_1::_0::_1::B"
        );
        assert_eq!(
            bucket(1023),
            "buckets::_1::_1::_1::_1::_1::_1::_1::_1::_1::_1::B"
        );
        assert_eq!(raw_if_keyword("gen"), "r#gen");
        assert_eq!(raw_if_keyword("r#type"), "r#type");
        assert_eq!(raw_if_keyword("parser"), "parser");
        assert_eq!(item_type("r#type"), "__gather_item_type");
        let alias = item_alias("r#R", "a::R");
        assert!(alias.starts_with("Item_R_"), "{alias}");
        assert_eq!(alias, item_alias("r#R", "a::R"));
        assert_ne!(alias, item_alias("r#R", "b::R"));
    }
}
