//! A dependency with its own registry; the fixture imports it explicitly with `register_many!`.
#![no_std]

use gather::{Registry, register, registry};

#[registry]
pub static PLUGINS: Registry<&str>;

register!(PLUGINS, "dep-plugin-1");
register!(PLUGINS, "dep-plugin-2");
