//! The dependency of the inventory port. inventory registries are global, so the port of
//! gather's `register_many!(PLUGINS, dep::PLUGINS)` is: the dependency collects `Plugin` and
//! submits its items, and the fixture submits its own.
#![no_std]

pub struct Plugin(pub &'static str);

inventory::collect!(Plugin);

inventory::submit!(Plugin("dep-plugin-1"));
inventory::submit!(Plugin("dep-plugin-2"));
