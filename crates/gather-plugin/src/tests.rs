//! The checks of a header, on headers made in this process: the versions and layouts that a
//! real build of another rustc or gather would write.

use std::path::Path;

use gather::__private::plugin::{GATHER, Header, Prefix, RUSTC, Str, export, fingerprint, header};
use gather::Registry;

use crate::Error;
use crate::header::{read, registry};

static WORDS: Registry<&str> = gather::__private::registry(&["a", "b"], &[], &[], 0);
static EXPORTS: [gather::__private::plugin::Export; 1] = [export("WORDS", &WORDS)];

fn path() -> &'static Path {
    Path::new("p.so")
}

/// `read` on a header of this program, changed by `edit`, leaked so that it is `'static`.
fn read_edited(edit: impl FnOnce(&mut Header)) -> Result<&'static Header, Error> {
    let mut h = header(&EXPORTS);
    edit(&mut h);
    let h: &'static Header = Box::leak(Box::new(h));
    // SAFETY: a header, which begins with its prefix, that lives for 'static.
    unsafe { read(path(), h as *const Header as *const Prefix) }
}

fn message(result: Result<&'static Header, Error>) -> String {
    result.err().expect("an error").to_string()
}

#[test]
fn the_same_build_reads_its_registry() {
    let h = read_edited(|_| {}).unwrap();
    let words: Vec<&str> = registry::<&str>(path(), h, "WORDS")
        .unwrap()
        .iter()
        .copied()
        .collect();
    assert_eq!(words, ["a", "b"]);
}

#[test]
fn another_magic_is_not_a_plugin() {
    let msg = message(read_edited(|h| h.prefix.magic[0] = b'x'));
    assert_eq!(
        msg,
        "p.so is not a gather plugin: its `GATHER_PLUGIN` symbol does not begin with gather's \
         magic number (a plugin is a cdylib that calls `gather::export!`)"
    );
    // SAFETY: null is allowed.
    let null = unsafe { read(path(), std::ptr::null()) };
    assert!(message(null).contains("its `GATHER_PLUGIN` symbol is null"));
}

#[test]
fn another_layout_is_refused_before_anything_else_is_read() {
    // With another layout nothing after the prefix may be read: a dangling export table shows
    // that it is not.
    let msg = message(read_edited(|h| {
        h.prefix.layout = 7;
        h.exports = std::ptr::dangling();
        h.rustc = Str::new("");
    }));
    assert_eq!(
        msg,
        "plugin p.so was built by another version of gather: its header has layout 7, this host \
         reads layout 1"
    );
}

#[test]
fn another_rustc_is_refused_with_both_versions() {
    let other = "rustc 1.94.0 (4a4ef493e 2026-03-02)";
    let msg = message(read_edited(|h| {
        h.rustc = Str::new(other);
        h.rustc_fingerprint = fingerprint(other);
    }));
    let expected = format!(
        "plugin p.so was built by {other} (fingerprint {:016x}), this host by {RUSTC} \
         (fingerprint {:016x}): Rust types may be laid out differently, so build the plugin \
         with the host's compiler",
        fingerprint(other),
        fingerprint(RUSTC)
    );
    assert_eq!(msg, expected);
    // A fingerprint that does not match its text is another compiler too.
    assert!(matches!(
        read_edited(|h| h.rustc_fingerprint ^= 1),
        Err(Error::OtherRustc { .. })
    ));
}

#[test]
fn another_gather_is_refused_with_both_versions() {
    let msg = message(read_edited(|h| {
        h.gather = Str::new("0.0.9");
        h.gather_fingerprint = fingerprint("0.0.9");
    }));
    assert_eq!(
        msg,
        format!(
            "plugin p.so was built with gather 0.0.9 (fingerprint {:016x}), this host with \
             gather {GATHER} (fingerprint {:016x}): build both with the same gather",
            fingerprint("0.0.9"),
            fingerprint(GATHER)
        )
    );
}

#[test]
fn another_item_type_or_name_is_refused() {
    let h = read_edited(|_| {}).unwrap();
    let err = registry::<u32>(path(), h, "WORDS").unwrap_err().to_string();
    let size = std::mem::size_of::<&str>();
    assert_eq!(
        err,
        format!(
            "registry `WORDS` of plugin p.so holds items of type `&str` (size {size}, alignment \
             {}), not `u32` (size 4, alignment 4); plugin and host were both built by {RUSTC} \
             (fingerprint {:016x}) with gather {GATHER} (fingerprint {:016x})",
            std::mem::align_of::<&str>(),
            fingerprint(RUSTC),
            fingerprint(GATHER)
        )
    );
    // Same size and alignment, another type: the name tells.
    assert!(matches!(
        registry::<(usize, usize)>(path(), h, "WORDS"),
        Err(Error::ItemType { .. })
    ));
    let err = registry::<&str>(path(), h, "NAMES")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "plugin p.so exports no registry named `NAMES`; it exports `WORDS`"
    );
}

#[test]
fn plugins_and_errors_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<crate::Plugin>();
    send_sync::<Error>();
}
