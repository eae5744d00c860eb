//! The dependency of the linkme port. linkme slices are global, so the port of gather's
//! `register_many!(PLUGINS, dep::PLUGINS)` is: the dependency declares the slice and adds its
//! elements, and the fixture adds its own element to the same slice.
#![no_std]

use linkme::distributed_slice;

#[distributed_slice]
pub static PLUGINS: [&'static str];

#[distributed_slice(PLUGINS)]
static PLUGIN_1: &str = "dep-plugin-1";
#[distributed_slice(PLUGINS)]
static PLUGIN_2: &str = "dep-plugin-2";
