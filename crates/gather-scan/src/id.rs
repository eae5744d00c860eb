//! Registration ids: a hash of a registration's source position, computed identically by the
//! scan (from the text) and by the registration's macro (from its span).

use std::path::{Path, PathBuf};

use crate::env::canonical;
use crate::hash::{FNV_PRIME, FNV_START, finish, fnv};

/// The id of a registration at `line` (1-based) and `column` (0-based, in chars) of `file`
/// (canonical).
///
/// ```
/// use std::path::Path;
/// let a = gather_scan::position_id(Path::new("/src/lib.rs"), 3, 0);
/// assert_eq!(a, gather_scan::position_id(Path::new("/src/lib.rs"), 3, 0));
/// assert_ne!(a, gather_scan::position_id(Path::new("/src/lib.rs"), 3, 1));
/// ```
pub fn position_id(file: &Path, line: usize, column: usize) -> u64 {
    position_id_from(file_state(file), line, column)
}

/// The hash state after a file's path: computed once per file, then one id per position.
fn file_state(file: &Path) -> u64 {
    fnv(FNV_START, file.as_os_str().as_encoded_bytes()) ^ 0xff
}

fn position_id_from(state: u64, line: usize, column: usize) -> u64 {
    let state = fnv(state.wrapping_mul(FNV_PRIME), &(line as u64).to_le_bytes());
    finish(fnv(state, &(column as u64).to_le_bytes()))
}

/// The registration id of a token's position, as the scan computes it for the same token.
/// `None` where the span has no file (an IDE, or tokens made up by a macro).
///
/// ```no_run
/// extern crate proc_macro;
/// // In a function-like proc macro: the registration's id is that of its first input token.
/// fn id_of(input: proc_macro::TokenStream) -> Option<u64> {
///     input.into_iter().next().and_then(|t| gather_scan::span_id(t.span()))
/// }
/// ```
pub fn span_id(span: proc_macro::Span) -> Option<u64> {
    // Consecutive registrations are mostly in the same file: keep its hash state.
    thread_local! {
        static LAST: std::cell::RefCell<Option<(PathBuf, u64)>> = const { std::cell::RefCell::new(None) };
    }
    let file = span.local_file()?;
    let state = LAST.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some((f, state)) if *f == file => *state,
            _ => {
                let state = file_state(&canonical(&file));
                *last = Some((file, state));
                state
            }
        }
    });
    // proc_macro counts columns from 1, the scan from 0.
    Some(position_id_from(
        state,
        span.line(),
        span.column().saturating_sub(1),
    ))
}

/// The id of the registration made by the attribute macro currently being expanded: the position
/// of the attribute's `#`, which is where the scan records attribute registrations. Call it from
/// a framework's attribute macro. `None` in an IDE.
///
/// ```no_run
/// # use quote::quote;
/// // The body of `#[my_framework::test]` (see examples/tiny-test in gather's repository):
/// let registration = gather_scan::registration(
///     &quote!(::my_framework::__gather),
///     &quote!(crate::__MY_TESTS),
///     gather_scan::attribute_registration(),
///     gather_scan::RegistrationValue::One(quote!(::my_framework::Test { run: the_function })),
/// );
/// ```
pub fn attribute_registration() -> Option<u64> {
    span_id(proc_macro::Span::call_site())
}
