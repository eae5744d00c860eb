//! The source scanner behind [gather](https://docs.rs/gather)'s registries.
//!
//! A registry's proc macro cannot ask rustc which registrations exist, so it reads the crate's
//! module files itself: starting from the crate root that rustc is compiling, it follows `mod`
//! declarations with rustc's rules (`mod.rs` and non-`mod.rs` files, inline modules, `#[path]`,
//! `#[cfg_attr(.., path = ..)]`, `include!`) and records every registration together with the
//! `#[cfg]`s around it and the scope its path is resolved in. Each registration gets an id from its
//! source position, computed the same way by the scan and by the registration's own macro
//! ([`span_id`]), so the two meet in the generated code without sharing any state.
//!
//! Framework authors use this crate from their own proc macros. An attribute such as
//! `#[my_framework::test]` becomes a registration of the registry that the framework's `main!()`
//! declares with `#[gather::registry(attribute = my_framework::test)]`; the attribute macro emits
//! the registration with [`registration`] and [`attribute_registration`] (or, naming the
//! attribute, with [`hook_registration`], which spares the registry's check in const evaluation
//! per registration). The example framework in gather's repository (`examples/tiny-test`) is the
//! whole recipe. A function-like macro is
//! hooked the same way (`#[gather::registry(macro = my_log::info)]`) and emits
//! [`index_registration`], which also gives the item's index.
//!
//! Declare the framework's registry at the crate root and name it `crate::NAME` in the
//! registrations: the registry then reads each registration written at module level by its path,
//! a `const`, which costs rustc far less than the trait impl used elsewhere.
//!
//! The data flow, one file per step: module files → [`scan`] (`lex`, `tokens`, `attrs`, `cfg`,
//! `walk`, into the `model`) → plan (`resolve`, `reach`) → `codegen` (registry, registrations,
//! fast path; every shared name in `names`) → rustc → gather's `Registry`.
#![deny(missing_docs)]

extern crate proc_macro;

mod attrs;
mod cfg;
mod codegen;
mod env;
pub mod framework;
#[cfg(test)]
mod fuzz;
mod hash;
mod id;
mod lex;
mod model;
mod names;
mod reach;
mod resolve;
mod session;
#[cfg(test)]
mod testing;
mod tokens;
mod walk;

pub use cfg::Cfg;
pub use codegen::{
    RegistrationValue, hook_registration, index_registration, plain_path_const, registration,
};
#[doc(hidden)]
pub use codegen::{attribute_in_impl, fast, fast_register, registry};
pub use env::{Mode, canonical, mode};
pub use hash::hash_bytes;
pub use id::{attribute_registration, position_id, span_id};
pub use model::{
    Crate, Form, Registration, RegistrationKind, RegistryId, Resolution, Scope, ScopeId,
    TestWriter, Vis,
};
#[doc(hidden)]
pub use names::BUCKETS;
pub use names::const_name;
pub use session::scan;
