//! Doc examples (fixture `tests/fixtures/doc`): registries work in doctests rustdoc merges, and
//! fail with a clear error in the ones it compiles alone from standard input.

use gather_test_support::{cargo, fixture, stdout};

#[test]
fn doctests_merged_work_standalone_ones_fail_loudly() {
    let out = cargo(fixture("doc"))
        .args(["test", "--doc"])
        .output()
        .unwrap();
    let stdout = stdout(&out);
    assert!(!out.status.success());
    // Merged doctests (rustc reads rustdoc's bundle file): registries work.
    assert!(
        stdout.contains("test src/lib.rs - (line 5) ... ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("test src/lib.rs - (line 34) ... ok"),
        "{stdout}"
    );
    // A doctest compiled alone comes from standard input: a clear error, never an empty registry.
    assert!(
        stdout.contains("test src/lib.rs - (line 20) ... FAILED"),
        "{stdout}"
    );
    assert!(
        stdout.contains("gather cannot find the crate root file of this compilation, so registry `STANDALONE` cannot be collected."),
        "{stdout}"
    );
    // Advice that works for a doctest (no `root = ..`, which cannot help there).
    assert!(
        stdout.contains("This doc example is compiled on its own, from standard input, where no module file can be read. Write it as a doctest that rustdoc merges"),
        "{stdout}"
    );
    assert!(!stdout.contains("registry(root ="), "{stdout}");
}
