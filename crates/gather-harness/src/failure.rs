//! What a failing test returns instead of panicking, and what test functions may return.

use core::fmt::{self, Write};

/// Bytes of a [`Failure`]'s message kept without the `std` feature (no allocator).
#[cfg(not(feature = "std"))]
pub const FAILURE_CAPACITY: usize = 512;

#[cfg(feature = "std")]
type Message = std::string::String;
#[cfg(not(feature = "std"))]
type Message = crate::text::FixedText<FAILURE_CAPACITY>;

/// Why a test failed without panicking: the error a test function returned.
///
/// The runner prints it as `Error: {failure:?}` into the test's output, as `std` does for a
/// `main` that returns an error. Its `Debug` output is the message as given, without quotes.
/// Without the `std` feature there is no allocator: the message is kept up to 512 bytes and the
/// rest is counted in [`Failure::cut_bytes`].
pub struct Failure {
    message: Message,
}

impl Failure {
    /// A failure that prints as `Error: <message>`.
    pub fn new(message: impl fmt::Display) -> Failure {
        Failure::from_fmt(format_args!("{message}"))
    }

    /// A failure from an error, printed with its `Debug` implementation, as libtest does for a
    /// test returning `Err(error)`.
    pub fn from_error(error: &dyn fmt::Debug) -> Failure {
        Failure::from_fmt(format_args!("{error:?}"))
    }

    fn from_fmt(args: fmt::Arguments<'_>) -> Failure {
        let mut message = Message::new();
        // Neither a `String` nor a `FixedText` fails to take text.
        let _ = message.write_fmt(args);
        Failure { message }
    }

    /// The message.
    pub fn message(&self) -> &str {
        self.message.as_str()
    }

    /// How many bytes of the message did not fit (always 0 with the `std` feature).
    pub fn cut_bytes(&self) -> usize {
        #[cfg(feature = "std")]
        return 0;
        #[cfg(not(feature = "std"))]
        return self.message.cut_bytes();
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// What a test function may return: `()` or `Result<(), E: Debug>`. A framework's macro adapts
/// the user's function with `|| user_fn().into_test_result()`.
pub trait IntoTestResult {
    /// Converts the return value.
    fn into_test_result(self) -> Result<(), Failure>;
}

impl IntoTestResult for () {
    #[inline]
    fn into_test_result(self) -> Result<(), Failure> {
        Ok(())
    }
}

impl<E: fmt::Debug> IntoTestResult for Result<(), E> {
    #[inline]
    fn into_test_result(self) -> Result<(), Failure> {
        self.map_err(|error| Failure::from_error(&error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_the_message_without_quotes() {
        let failure = Failure::from_error(&"went wrong");
        assert_eq!(failure.message(), "\"went wrong\"");
        assert_eq!(format!("{failure:?}"), "\"went wrong\"");
        let failure = Failure::new("plain");
        assert_eq!(format!("{failure} {failure:?}"), "plain plain");
        assert_eq!(failure.cut_bytes(), 0);
    }

    #[test]
    fn results_convert() {
        assert!(().into_test_result().is_ok());
        assert!(Ok::<(), u8>(()).into_test_result().is_ok());
        let failure = Err::<(), _>(7u8).into_test_result().unwrap_err();
        assert_eq!(failure.message(), "7");
    }

    #[cfg(not(feature = "std"))]
    #[test]
    fn without_std_a_long_message_is_cut_and_counted() {
        let failure = Failure::new("x".repeat(FAILURE_CAPACITY + 88));
        assert_eq!(failure.message(), "x".repeat(FAILURE_CAPACITY));
        assert_eq!(failure.cut_bytes(), 88);
    }
}
