//! The header that [`export!`](crate::export) puts in a plugin, and that gather-plugin reads in
//! the host. Everything here is `#[repr(C)]`: the host reads the header before it knows that
//! the plugin was built by the same rustc and gather, so nothing it reads first may depend on
//! Rust's unspecified layout. Only after [`Prefix`] and both versions match does the host touch
//! a `Registry<T>`.

use crate::Registry;

/// The symbol of the header in a plugin's export table.
pub const SYMBOL: &str = "GATHER_PLUGIN";
/// The first bytes of every header.
pub const MAGIC: [u8; 8] = *b"gather\x00P";
/// The layout of [`Header`] after its [`Prefix`]; changed with any change of these types.
pub const LAYOUT: u32 = 1;
/// The first line of `rustc -vV` of the compiler that built this gather (see `build.rs`).
pub const RUSTC: &str = env!("GATHER_RUSTC_VERSION");
/// The version of this gather, and a hash of its source (see `build.rs`): "0.1.0 (source
/// 0123456789abcdef)".
pub const GATHER: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (source ",
    env!("GATHER_SOURCE_HASH"),
    ")"
);
/// What `RUSTC` is when the build script could not ask rustc: never accepted.
pub const UNKNOWN_RUSTC: &str = "unknown rustc";

/// The part of the header that every layout begins with, so a host reads a newer or older
/// plugin's header far enough to say what differs.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefix {
    pub magic: [u8; 8],
    pub layout: u32,
}

/// A string in plugin memory.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Str {
    pub ptr: *const u8,
    pub len: usize,
}

impl Str {
    pub const fn new(s: &'static str) -> Str {
        Str {
            ptr: s.as_ptr(),
            len: s.len(),
        }
    }

    /// The bytes as text (invalid UTF-8 replaced by a marker).
    ///
    /// # Safety
    ///
    /// `ptr` must point to `len` bytes that live for `'static`.
    pub unsafe fn as_str(&self) -> &'static str {
        // SAFETY: the caller's promise.
        let bytes = unsafe { core::slice::from_raw_parts(self.ptr, self.len) };
        core::str::from_utf8(bytes).unwrap_or("<not UTF-8>")
    }
}

/// A plugin's header: who built it, and what it exports.
#[repr(C)]
pub struct Header {
    pub prefix: Prefix,
    pub rustc_fingerprint: u64,
    pub gather_fingerprint: u64,
    pub rustc: Str,
    pub gather: Str,
    pub exports: *const Export,
    pub exports_len: usize,
}

/// One exported registry.
#[repr(C)]
pub struct Export {
    pub name: Str,
    pub size: usize,
    pub align: usize,
    /// `core::any::type_name` of the item type, which is not available in const evaluation.
    pub type_name: extern "C" fn() -> Str,
    /// The `Registry<T>`; read only once the versions and the item type match.
    pub registry: *const (),
}

// SAFETY: headers are immutable statics; the pointers lead to immutable statics.
unsafe impl Sync for Header {}
// SAFETY: as for `Header`.
unsafe impl Sync for Export {}

/// The header of this crate's build, exporting `exports`.
pub const fn header(exports: &'static [Export]) -> Header {
    Header {
        prefix: Prefix {
            magic: MAGIC,
            layout: LAYOUT,
        },
        rustc_fingerprint: fingerprint(RUSTC),
        gather_fingerprint: fingerprint(GATHER),
        rustc: Str::new(RUSTC),
        gather: Str::new(GATHER),
        exports: exports.as_ptr(),
        exports_len: exports.len(),
    }
}

/// What `export!` takes: a registry, with the message that says so.
#[diagnostic::on_unimplemented(
    message = "`gather::export!` exports registries, and `{Self}` is not one",
    label = "not a `gather::Registry`",
    note = "declare it with `#[gather::registry] static NAME: gather::Registry<T>;`"
)]
pub trait Exportable {
    type Item;
}
impl<T> Exportable for Registry<T> {
    type Item = T;
}

/// The entry of `registry`, exported as `name`.
pub const fn export<R: Exportable>(name: &'static str, registry: &'static R) -> Export {
    Export {
        name: Str::new(name),
        size: core::mem::size_of::<R::Item>(),
        align: core::mem::align_of::<R::Item>(),
        type_name: type_name::<R::Item>,
        // `R` is `Registry<R::Item>`, the only implementation.
        registry: registry as *const R as *const (),
    }
}

extern "C" fn type_name<T>() -> Str {
    Str::new(core::any::type_name::<T>())
}

/// FNV-1a, 64 bits: a short, stable number for a version text, shown in messages.
pub const fn fingerprint(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}
