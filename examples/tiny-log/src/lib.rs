//! A small defmt-style logging framework on gather.
//!
//! `tiny_log::info!("temp = {}", t)` writes the message's *index* in the crate's message table
//! and its arguments' bytes, never the text. The table is a gather registry that
//! `tiny_log::messages!()` declares with `#[registry(macro = tiny_log::info, ..)]`: every call of
//! `info!` or `warn!` anywhere in the crate (in function bodies, by full path, `use`, `use .. as`
//! or a glob) is one of its registrations, and gets its index as a constant from
//! `gather_scan::index_registration`. A decoder ([`decode`], feature `decode`) that has the same
//! table (the same crate built for the host: same source and cfgs, same table) rebuilds the
//! text, after checking the table's fingerprint against the one the program sent first.
//!
//! What defmt needs for the same thing, and this does not: a linker section per string, a
//! linker script in the user's build, and the exact ELF file of the firmware to decode. It works
//! wherever gather does, wasm included.
//!
//! ```ignore
//! tiny_log::messages!();                 // once, at the crate root
//!
//! fn main() {
//!     tiny_log::set_sink(|bytes| { /* to a UART, a file, .. */ });
//!     tiny_log_start();                  // the fingerprint frame
//!     tiny_log::info!("temp = {}", 21);
//! }
//! ```
#![no_std]
#![deny(missing_docs)]

#[cfg(feature = "decode")]
extern crate alloc;

#[cfg(feature = "decode")]
mod decode;
mod frame;

#[cfg(feature = "decode")]
pub use decode::{DecodeError, decode};
pub use frame::{Encode, Frame, MAGIC, set_sink, start};
pub use tiny_log_macros::{info, warn};

#[doc(hidden)]
pub use gather as __gather;

/// A message's level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `info!`
    Info,
    /// `warn!`
    Warn,
}

/// One entry of the message table: what a log call registered.
#[derive(Debug)]
pub struct Message {
    /// The level.
    pub level: Level,
    /// The format string, with `{}` for each argument.
    pub format: &'static str,
    /// The line of the call.
    pub line: u32,
}

/// Declares the crate's message table (`__TINY_LOG_MESSAGES`, which every `info!` and `warn!`
/// of the crate registers into) and `tiny_log_start()`, which sends its fingerprint. Call once,
/// at the crate root.
#[macro_export]
macro_rules! messages {
    () => {
        #[$crate::__gather::registry(
                                                                            macro = tiny_log::info,
                                                                            macro = tiny_log::warn,
                                                                            crate = $crate::__gather
                                                                        )]
        pub static __TINY_LOG_MESSAGES: $crate::__gather::Registry<$crate::Message>;

        /// Sends the start frame: the message table's fingerprint, which the decoder checks.
        pub fn tiny_log_start() {
            $crate::start(__TINY_LOG_MESSAGES.fingerprint())
        }
    };
}
