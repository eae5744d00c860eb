//! Registries of plugins: [gather](https://docs.rs/gather) registries of dynamically loaded
//! libraries, loaded explicitly and type-checked at run time.
//!
//! A plugin is a `cdylib` that declares gather registries as any crate does and exports them
//! with `gather::export!`; it may be `no_std`:
//!
//! ```
//! // plugin crate, Cargo.toml: [lib] crate-type = ["cdylib"]
//! #[gather::registry]
//! pub static FILTERS: gather::Registry<fn(u32) -> u32>;
//!
//! fn double(x: u32) -> u32 { x * 2 }
//! gather::register!(FILTERS, double);
//!
//! gather::export!(FILTERS); // every exported registry, once per plugin
//! # fn main() {}
//! ```
//!
//! The host loads it with [`Plugin::load`] and asks for a registry by name and item type:
//!
//! ```no_run
//! use gather_plugin::Plugin;
//!
//! fn main() -> Result<(), gather_plugin::Error> {
//!     let plugin = Plugin::load("target/debug/libmy_plugin.so")?;
//!     for f in plugin.registry::<fn(u32) -> u32>("FILTERS")? {
//!         println!("{}", f(10));
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # What is checked
//!
//! `gather::export!` writes one symbol, `GATHER_PLUGIN`: a `#[repr(C)]` header that begins with
//! a magic number and the version of its own layout, followed by the first line of `rustc -vV`
//! of the compiler that built the plugin, gather's version with a hash of its source (a path or
//! git dependency can change under one version number), and, for each exported registry, its
//! name and its item type's name, size and alignment. The host reads it in that order, and reads
//! nothing whose layout Rust decides (a `Registry<T>`, a `T`) until everything before it
//! matched. Each mismatch is an [`Error`] whose message says what differs:
//!
//! | case | error |
//! |---|---|
//! | no file at the path | [`Error::NotFound`] |
//! | not a dynamic library of this platform | [`Error::Load`], with the loader's message |
//! | a library without `gather::export!` | [`Error::NotAPlugin`] |
//! | another header layout, another rustc, another gather | [`Error::OtherLayout`], [`Error::OtherRustc`], [`Error::OtherGather`] (both versions and their fingerprints) |
//! | no registry of that name | [`Error::MissingRegistry`] (the name asked for, the names exported) |
//! | another item type | [`Error::ItemType`] (both types' names, sizes and alignments; the rustc and gather that built both) |
//!
//! The compiler must be the very same (release and commit): Rust does not promise the same
//! layout of a type across compilers. What cannot be compared is a type of the same name, size
//! and alignment with another definition, say two versions of a struct `api::Filter` that kept
//! its size: put the item types in one crate that the host and its plugins share at one version.
//!
//! # Lifetimes
//!
//! A loaded plugin is never unloaded: [`Plugin::load`] leaks the library, and a registry's items
//! are `&'static T`. Tying the items to the `Plugin`'s lifetime instead would not make unloading
//! safe: item types are `'static` types, and the interesting ones hold code or data of the
//! plugin (`fn` pointers, `&'static str`, `&'static dyn Trait`) that can be copied out of a
//! borrowed item and outlive any borrow. Unloading is only sound when nothing of the library is
//! referenced any more, which the type system cannot tell here. Plugins are loaded once, at
//! start-up, in the programs this is for; a library loaded twice is loaded once by the system.
//!
//! # Merging
//!
//! [`Plugin::registry`] returns a [`gather::Registry`], the same type as a registry of the host,
//! so the host's own items and any number of plugins' are one iteration, without allocation per
//! item:
//!
//! ```no_run
//! use gather::Registry;
//! use gather_plugin::Plugin;
//!
//! #[gather::registry]
//! static FILTERS: Registry<fn(u32) -> u32>;
//! fn identity(x: u32) -> u32 { x }
//! gather::register!(FILTERS, identity);
//!
//! fn main() -> Result<(), gather_plugin::Error> {
//!     let mut all = vec![FILTERS]; // the host's own registry first
//!     for path in ["plugins/liba.so", "plugins/libb.so"] {
//!         all.push(Plugin::load(path)?.registry("FILTERS")?);
//!     }
//!     let sum: u32 = all.into_iter().flatten().map(|f| f(10)).sum();
//!     println!("{sum}");
//!     Ok(())
//! }
//! ```
//!
//! # Unlike inventory
//!
//! With inventory, a `dlopen`ed library adds its items to the global collections by itself: its
//! constructors run inside `dlopen`, before the host can check anything, and nothing removes
//! the items when it is closed, after which they dangle. Here nothing runs on load, the host decides which registry of which
//! plugin it reads, and the check comes before the first item is touched.
#![deny(missing_docs)]

mod error;
mod header;
mod plugin;

pub use error::{Error, ItemType, TypeMismatch, Version};
pub use plugin::Plugin;

#[cfg(test)]
mod tests;
