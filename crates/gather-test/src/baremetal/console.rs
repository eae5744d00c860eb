//! The runner's output: libtest's lines on semihosting stdout, errors on stderr.

use core::fmt::{self, Write};

use gather_harness::FixedText;

use super::global::Global;
use super::semihosting as sys;

/// Buffered semihosting stdout: one host call per line rather than per `write_str`.
struct Out {
    buf: [u8; 256],
    len: usize,
    handle: Option<usize>,
}

impl Out {
    fn flush(&mut self) {
        if self.len == 0 {
            return;
        }
        let handle = *self
            .handle
            .get_or_insert_with(|| sys::open_tt(sys::MODE_WRITE));
        sys::write(handle, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl Write for Out {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = b;
            self.len += 1;
            if b == b'\n' {
                self.flush();
            }
        }
        Ok(())
    }
}

static OUT: Global<Out> = Global::new(Out {
    buf: [0; 256],
    len: 0,
    handle: None,
});

/// Prints to semihosting stdout (buffered; flushed at each newline and by [`flush`]).
pub(super) fn print(args: fmt::Arguments<'_>) {
    // SAFETY: one core; never held across test code.
    let _ = unsafe { OUT.get() }.write_fmt(args);
}

pub(super) fn flush() {
    // SAFETY: as in `print`.
    unsafe { OUT.get() }.flush();
}

/// Prints an error on semihosting stderr and exits with 101, libtest's error code.
pub(super) fn fail(args: fmt::Arguments<'_>) -> ! {
    flush();
    let mut line = FixedText::<256>::new();
    let _ = line.write_str("error: ");
    let _ = line.write_fmt(args);
    let _ = line.write_str("\n");
    sys::write(sys::open_tt(sys::MODE_STDERR), line.as_str().as_bytes());
    sys::exit(101)
}
