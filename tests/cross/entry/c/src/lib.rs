//! The fixture for C programs: `fixture_report()` returns the report line (NUL-terminated,
//! static), `fixture_status()` is 0 if every registry holds what it must.
//! Build with exactly one of the features `gather`, `linkme`, `inventory`.

use std::ffi::{CString, c_char};
use std::sync::OnceLock;

#[cfg(feature = "gather")]
use fixture_gather as fixture;
#[cfg(feature = "inventory")]
use fixture_inventory as fixture;
#[cfg(feature = "linkme")]
use fixture_linkme as fixture;

/// 0 if every registry holds what it must, else one bit per wrong registry.
#[unsafe(no_mangle)]
pub extern "C" fn fixture_status() -> u32 {
    fixture::check().status()
}

/// The report line, valid for the life of the program.
#[unsafe(no_mangle)]
pub extern "C" fn fixture_report() -> *const c_char {
    static LINE: OnceLock<CString> = OnceLock::new();
    LINE.get_or_init(|| CString::new(fixture::check().to_string()).unwrap())
        .as_ptr()
}
