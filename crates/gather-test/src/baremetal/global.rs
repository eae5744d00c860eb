//! State kept across panics: the panicking test's stack is thrown away, so what the runner and
//! the panic handler share lives in statics.

use core::cell::UnsafeCell;

/// A `static` the runner and the panic handler share. Single core, and the handler runs only
/// while the runner waits for the test to return, so accesses never overlap; every `get` is kept
/// short and is never held across a call into test code.
pub(super) struct Global<T>(UnsafeCell<T>);

// SAFETY: see above: one core, no overlapping accesses.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub(super) const fn new(value: T) -> Self {
        Global(UnsafeCell::new(value))
    }

    /// # Safety
    /// No other reference from `get` may be alive.
    #[allow(clippy::mut_from_ref)]
    pub(super) unsafe fn get(&self) -> &mut T {
        unsafe { &mut *self.0.get() }
    }
}
