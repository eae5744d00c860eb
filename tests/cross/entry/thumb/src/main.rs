//! The fixture on a Cortex-M3 (QEMU lm3s6965evb): prints the report line through semihosting and
//! exits 0 if every registry holds what it must, 1 if not (or on a panic).
//! Build with exactly one of the features `gather`, `linkme`, `inventory`.
#![no_std]
#![no_main]

use cortex_m as _; // its critical-section implementation, which semihosting needs
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};

#[cfg(feature = "gather")]
use fixture_gather as fixture;
#[cfg(feature = "inventory")]
use fixture_inventory as fixture;
#[cfg(feature = "linkme")]
use fixture_linkme as fixture;

#[entry]
fn main() -> ! {
    let report = fixture::check();
    hprintln!("{}", report);
    debug::exit(if report.status() == 0 {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {}
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    hprintln!("panic: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    loop {}
}
