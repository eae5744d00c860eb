//! tiny-log-demo's program on a Cortex-M3: the stream goes out through semihosting as hex (one
//! line), which the host decoder (`tiny-log-demo --decode`) turns back into text. No linker
//! script fragment, no ELF needed to decode: the decoder has the same table.
#![no_std]
#![no_main]

use cortex_m as _; // its critical-section implementation, which semihosting needs
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprint, hprintln};

fn to_host(bytes: &[u8]) {
    for b in bytes {
        hprint!("{:02x}", b);
    }
}

#[entry]
fn main() -> ! {
    tiny_log::set_sink(to_host);
    tiny_log_demo::run();
    hprintln!();
    debug::exit(debug::EXIT_SUCCESS);
    loop {}
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    hprintln!("panic: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    loop {}
}
