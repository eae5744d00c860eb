//! Incremental builds: a scratch crate whose registrations are edited between builds, checked
//! after each edit in the dev and release profiles and in its unit tests.

use std::path::PathBuf;

use gather_test_support::{cargo, fixture, repo, success_stdout};

/// Writes a small crate whose registrations the test then edits between builds.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = repo().join("target/scratch").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let gather = repo().join("crates/gather");
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\ngather = {{ path = {gather:?} }}\n\n[workspace]\n"
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        // The fixtures' versions of syn & co., so the shared target directory has them built
        // (and no registry lookup is needed).
        std::fs::copy(fixture("bom/Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        Scratch { dir }
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.dir.join(file), text).unwrap();
    }
}

#[test]
fn incremental_rebuilds_follow_every_edit() {
    let s = Scratch::new("edits");
    s.write(
        "src/main.rs",
        "#[gather::registry]\npub static R: gather::Registry<&str>;\nmod a;\nmod b;\n\
         fn main() { println!(\"{:?}\", R); }\n\
         #[cfg(test)]\nmod tests {\n    #[test]\n    fn show() { println!(\"R={:?}\", super::R); }\n}\n",
    );
    s.write("src/a.rs", "gather::register!(crate::R, \"a1\");\n");
    s.write("src/b.rs", "\n");
    let build = |args: &[&str]| success_stdout(&cargo(&s.dir).args(args).output().unwrap());
    // (dev, release) via `cargo run`, test via the unit test's output.
    let observe = |expect: &str| {
        for args in [&["run", "-q"][..], &["run", "-q", "--release"][..]] {
            assert_eq!(build(args).trim(), expect, "cargo {args:?}");
        }
        let out = build(&["test", "-q", "--", "--nocapture"]);
        assert!(out.contains(&format!("R={expect}")), "cargo test: {out}");
    };
    observe(r#"["a1"]"#);
    s.write("src/b.rs", "gather::register!(crate::R, \"b1\");\n");
    observe(r#"["a1", "b1"]"#);
    s.write("src/a.rs", "\n");
    observe(r#"["b1"]"#);
    // Move b1 into a.rs (now before b.rs in source order) and add one after it.
    s.write("src/b.rs", "gather::register!(crate::R, \"b2\");\n");
    s.write(
        "src/a.rs",
        "// moved here\ngather::register!(crate::R, \"b1\");\n",
    );
    observe(r#"["b1", "b2"]"#);
    // A new module file appears.
    s.write("src/b.rs", "gather::register!(crate::R, \"b2\");\nmod c;\n");
    std::fs::create_dir_all(s.dir.join("src/b")).unwrap();
    s.write(
        "src/b/c.rs",
        "fn f() { gather::register!(crate::R, \"c-in-fn\"); }\n",
    );
    observe(r#"["b1", "b2", "c-in-fn"]"#);
}
