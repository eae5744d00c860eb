//! The runner for bare-metal targets (`target_os = "none"`): no `std`, no allocator, no threads.
//!
//! `main!()` expands to a `#[cortex_m_rt::entry]` function that calls [`main`] and to a
//! `#[panic_handler]` that calls [`panicked`]. I/O, the command line, the clock and the exit
//! code go through ARM semihosting (`bkpt 0xab`), which QEMU, probe-rs and OpenOCD serve.
//!
//! Tests run one after the other in one boot, sorted by name as libtest runs them. A panic
//! (which aborts on these targets: there is no unwinding) reaches [`panicked`], which reports the
//! test under way, then resets the stack pointer to the top of the stack and goes on with the
//! next test: one failing test never hides the others. Nothing the panicking test held is
//! released (no destructors run; a lock it held stays locked); the interrupt mask is restored to
//! what it was when the test started.
//!
//! Output a test writes itself (with semihosting) goes straight to the host; what is kept for
//! the `failures:` section (panic messages, `Err` values) is kept in fixed buffers and cut with
//! a note if it does not fit.
//!
//! The test descriptors, [`Failure`], the command line's words and the selection rules are
//! gather-harness's `no_std` core, shared with the hosted runner. The modules here that do not
//! talk to the host ([`args`], [`order`]) compile on every target, so the host's unit tests
//! check them.

#[doc(no_inline)]
pub use gather_harness::{Failure, Ignore, IntoTestResult, Kind, ShouldPanic, Test};
#[cfg(target_os = "none")]
pub use runner::{main, panicked};

// On the host, only their unit tests use them.
#[cfg_attr(not(target_os = "none"), allow(dead_code))]
mod args;
#[cfg_attr(not(target_os = "none"), allow(dead_code))]
mod order;

#[cfg(target_os = "none")]
mod console;
#[cfg(target_os = "none")]
mod global;
#[cfg(target_os = "none")]
mod runner;
#[cfg(all(target_os = "none", target_arch = "arm"))]
mod semihosting;

#[cfg(all(target_os = "none", not(target_arch = "arm")))]
compile_error!(
    "gather-test's bare-metal runner (target_os = \"none\") talks to the host through ARM semihosting \
     and supports ARM Cortex-M targets only"
);
