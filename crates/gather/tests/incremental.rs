//! Incremental builds: a scratch crate whose registrations are edited between builds, checked
//! after each edit in the dev and release profiles and in its unit tests.

use gather_test_support::{Scratch, cargo, success_stdout};

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
    let build = |args: &[&str]| success_stdout(&cargo(s.dir()).args(args).output().unwrap());
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
    std::fs::create_dir_all(s.dir().join("src/b")).unwrap();
    s.write(
        "src/b/c.rs",
        "fn f() { gather::register!(crate::R, \"c-in-fn\"); }\n",
    );
    observe(r#"["b1", "b2", "c-in-fn"]"#);
}
