//! The program's logging, `no_std`: every `info!` and `warn!` here is an entry of the message
//! table that `tiny_log::messages!()` declares; the same source gives the same table on every
//! target, so a decoder built for the host reads what a Cortex-M3 or a wasm program wrote.
#![no_std]

tiny_log::messages!();

mod sensor {
    use tiny_log::info;

    pub fn read(t: i32) -> i32 {
        info!("temp = {}", t);
        t
    }
}

mod network {
    use tiny_log::warn as alarm;
    use tiny_log::*;

    pub fn connect(host: &str, attempt: u32) -> bool {
        info!("connecting to {} (attempt {})", host, attempt);
        if attempt > 1 {
            alarm!("retrying {}", host);
        }
        attempt > 1
    }
}

/// One log call with an integer, for `--measure`.
pub fn log_temp(t: i32) {
    tiny_log::info!("temp = {}", t);
}

/// One log call with a string and an integer, for `--measure`.
pub fn log_connect(host: &str, attempt: u32) {
    tiny_log::info!("connecting to {} (attempt {})", host, attempt);
}

/// What the program does: a few log calls, in a loop and in branches.
pub fn run() {
    tiny_log_start();
    tiny_log::info!("booting");
    for t in [-5, 21] {
        sensor::read(t);
    }
    let mut attempt = 1;
    while !network::connect("example.org", attempt) {
        attempt += 1;
    }
    #[cfg(feature = "extra")]
    tiny_log::info!("an extra message");
    tiny_log::warn!("done: {} {{ok}}", true);
}
