//! The fixture as a `no_std` wasm32-unknown-unknown module: node (run.mjs) calls
//! `fixture_status()` and reads the NUL-terminated line at `fixture_report()`.
//! Build with exactly one of the features `gather`, `linkme`, `inventory`.
#![no_std]

use core::cell::UnsafeCell;
use cross_check::LineBuf;

#[cfg(feature = "gather")]
use fixture_gather as fixture;
#[cfg(feature = "inventory")]
use fixture_inventory as fixture;
#[cfg(feature = "linkme")]
use fixture_linkme as fixture;

struct Line(UnsafeCell<LineBuf>);
// SAFETY: wasm32-unknown-unknown without atomics is single-threaded.
unsafe impl Sync for Line {}
static LINE: Line = Line(UnsafeCell::new(LineBuf::new()));

/// 0 if every registry holds what it must, else one bit per wrong registry.
#[unsafe(no_mangle)]
pub extern "C" fn fixture_status() -> u32 {
    fixture::check().status()
}

/// The address of the NUL-terminated report line in linear memory.
#[unsafe(no_mangle)]
pub extern "C" fn fixture_report() -> *const u8 {
    // SAFETY: single-threaded, and no reference to the buffer outlives this call.
    let line = unsafe { &mut *LINE.0.get() };
    line.render(&fixture::check());
    line.as_ptr()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
