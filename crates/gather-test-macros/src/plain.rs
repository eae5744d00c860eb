//! The common test, read without parsing it (gather-scan's `framework::plain_fn`): `fn name()
//! { .. }` (or `-> T`), with attributes that are neither `#[ignore]` nor `#[should_panic]`. The
//! item is handed back as it came.

/// The plain test that `item` is, or `None` for anything else (which the general path reads with
/// syn, to report what is wrong or to read `#[ignore]` and `#[should_panic]`).
pub(crate) fn read(item: &proc_macro2::TokenStream) -> Option<gather_scan::framework::PlainFn> {
    gather_scan::framework::plain_fn(item, &["ignore", "should_panic"])
        .filter(|f| f.params.is_empty())
}
