//! The module-tree patterns of real crates (cfg_if!, cfg_select!, a crate's own macros declaring
//! modules, macro_rules! bodies declaring modules, exclusive twin declarations, edition
//! keywords and raw names, cfg_attr registrations, symlinked roots) and registrations written by
//! macros (macro_rules! at module level and in bodies, several per invocation, nested, items, a
//! proc macro): fixture `tests/fixtures/patterns`, in three feature sets.

use gather_test_support::{Scratch, assert_eq_file, cargo, fixture, success_stdout};

fn run(features: &[&str]) -> String {
    let mut cmd = cargo(fixture("patterns"));
    cmd.args(["run", "-q"]);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    success_stdout(&cmd.output().unwrap())
}

#[test]
fn every_pattern_is_collected_in_each_feature_set() {
    let dir = fixture("patterns/expected");
    assert_eq_file(&run(&[]), dir.join("default.txt"));
    assert_eq_file(&run(&["alt"]), dir.join("alt.txt"));
    assert_eq_file(&run(&["extra"]), dir.join("extra.txt"));
}

#[test]
fn a_symlinked_crate_root_finds_its_modules_next_to_the_link() {
    // As in a Bazel sandbox: `src/main.rs` links to a file elsewhere, and rustc looks for
    // `mod here;` next to the link.
    let s = Scratch::new("symlinked-root");
    s.write(
        "elsewhere/main.rs",
        "#[gather::registry]\nstatic R: gather::Registry<&str>;\nmod here;\n\
         fn main() { println!(\"{:?}\", R); }\n",
    );
    s.write(
        "src/here.rs",
        "gather::register!(crate::R, \"next to the link\");\n",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            s.dir().join("elsewhere/main.rs"),
            s.dir().join("src/main.rs"),
        )
        .unwrap();
        let out = cargo(s.dir()).args(["run", "-q"]).output().unwrap();
        assert_eq!(success_stdout(&out), "[\"next to the link\"]\n");
    }
}
