//! Test names as libtest writes them.

/// A `module_path!()`-based path without its first segment, the crate name, which libtest
/// leaves out of test names: `my_crate::a::b` becomes `a::b`. A path without `::` is returned
/// whole. A `const fn`, so a framework's attribute can name its test in a `static` registry:
///
/// ```
/// use gather_harness::without_crate_name;
///
/// const NAME: &str = without_crate_name("my_crate::math::adds");
/// assert_eq!(NAME, "math::adds");
/// assert_eq!(without_crate_name("my_crate::adds"), "adds");
/// assert_eq!(without_crate_name("adds"), "adds");
/// ```
pub const fn without_crate_name(path: &str) -> &str {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b':' && bytes[i + 1] == b':' {
            return path.split_at(i + 2).1;
        }
        i += 1;
    }
    path
}
