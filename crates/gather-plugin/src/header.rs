//! Reading a plugin's header (`gather::__private::plugin`): first the `#[repr(C)]` prefix, then
//! the versions, and only then anything whose layout Rust decides.

use std::path::Path;

use gather::__private::plugin::{
    Export, GATHER, Header, LAYOUT, MAGIC, Prefix, RUSTC, SYMBOL, UNKNOWN_RUSTC, fingerprint,
};
use gather::Registry;

use crate::error::{Error, ItemType, TypeMismatch, Version};

/// The header at `symbol`, the address of a library's `GATHER_PLUGIN` symbol, if it is one that
/// this host can read: gather's magic, this layout, this rustc, this gather.
///
/// # Safety
///
/// `symbol` must be null or point to at least `size_of::<Prefix>()` readable bytes that live
/// for `'static` (a symbol of a library that is never unloaded), and a header with gather's
/// magic must be a real one (`gather::export!` is the only writer of the magic).
pub(crate) unsafe fn read(path: &Path, symbol: *const Prefix) -> Result<&'static Header, Error> {
    if symbol.is_null() {
        return Err(not_a_plugin(path, "its `GATHER_PLUGIN` symbol is null"));
    }
    // SAFETY: the caller's promise; unaligned, since the symbol may be anything.
    let prefix = unsafe { symbol.read_unaligned() };
    if prefix.magic != MAGIC {
        return Err(not_a_plugin(
            path,
            "its `GATHER_PLUGIN` symbol does not begin with gather's magic number",
        ));
    }
    if prefix.layout != LAYOUT {
        return Err(Error::OtherLayout {
            path: path.to_owned(),
            plugin: prefix.layout,
            host: LAYOUT,
        });
    }
    // SAFETY: the magic and the layout say this is a `Header` of this layout, which
    // `gather::export!` defines as a (so aligned) static.
    let header = unsafe { &*(symbol as *const Header) };
    check_versions(path, header)?;
    Ok(header)
}

/// The error for a library without a readable header.
pub(crate) fn not_a_plugin(path: &Path, reason: &'static str) -> Error {
    Error::NotAPlugin {
        path: path.to_owned(),
        reason,
    }
}

/// The symbol to look up, NUL-terminated (which spares libloading an allocation).
pub(crate) fn symbol_name() -> Vec<u8> {
    let mut name = SYMBOL.as_bytes().to_vec();
    name.push(0);
    name
}

/// The plugin was built by this rustc and this gather. An unknown rustc (gather's build script
/// could not ask it) never matches, not even another unknown one.
pub(crate) fn check_versions(path: &Path, header: &Header) -> Result<(), Error> {
    let (plugin_rustc, plugin_gather) = versions(header);
    let host_rustc = version(RUSTC);
    if plugin_rustc != host_rustc || RUSTC == UNKNOWN_RUSTC {
        return Err(Error::OtherRustc {
            path: path.to_owned(),
            plugin: plugin_rustc,
            host: host_rustc,
        });
    }
    let host_gather = version(GATHER);
    if plugin_gather != host_gather {
        return Err(Error::OtherGather {
            path: path.to_owned(),
            plugin: plugin_gather,
            host: host_gather,
        });
    }
    Ok(())
}

/// The rustc and gather versions that a header records.
fn versions(header: &Header) -> (Version, Version) {
    // SAFETY: a header's strings are statics of the plugin (or of this program, in tests).
    let (rustc, gather) = unsafe { (header.rustc.as_str(), header.gather.as_str()) };
    let rustc = Version {
        text: rustc.to_owned(),
        fingerprint: header.rustc_fingerprint,
    };
    let gather = Version {
        text: gather.to_owned(),
        fingerprint: header.gather_fingerprint,
    };
    (rustc, gather)
}

fn version(text: &str) -> Version {
    Version {
        text: text.to_owned(),
        fingerprint: fingerprint(text),
    }
}

/// The registries a header exports.
pub(crate) fn exports(header: &Header) -> &[Export] {
    if header.exports_len == 0 {
        return &[];
    }
    // SAFETY: `gather::export!` points `exports` to a static array of `exports_len` entries.
    unsafe { std::slice::from_raw_parts(header.exports, header.exports_len) }
}

/// An export's name.
pub(crate) fn name(export: &Export) -> &'static str {
    // SAFETY: names are string literals of the plugin.
    unsafe { export.name.as_str() }
}

/// The registry `name` of a checked header, if its items are `T`.
pub(crate) fn registry<T: 'static>(
    path: &Path,
    header: &Header,
    name: &str,
) -> Result<Registry<T>, Error> {
    let all = exports(header);
    let Some(export) = all.iter().find(|e| self::name(e) == name) else {
        return Err(Error::MissingRegistry {
            path: path.to_owned(),
            asked: name.to_owned(),
            exported: all.iter().map(|e| self::name(e).to_owned()).collect(),
        });
    };
    // SAFETY: the versions were checked, so this C-ABI function returns a string of the plugin.
    let found_name = unsafe { (export.type_name)().as_str() };
    let found = ItemType {
        name: found_name.to_owned(),
        size: export.size,
        align: export.align,
    };
    let asked = ItemType::of::<T>();
    if found != asked {
        let (rustc, gather) = versions(header);
        return Err(Error::ItemType {
            path: path.to_owned(),
            registry: name.to_owned(),
            mismatch: Box::new(TypeMismatch {
                asked,
                found,
                rustc,
                gather,
            }),
        });
    }
    // SAFETY: the same rustc and gather built plugin and host, so `Registry<T>` has one layout
    // in both, and the item types agree in name, size and alignment.
    Ok(unsafe { *(export.registry as *const Registry<T>) })
}
