//! The walker, case by case: a small crate in, the registrations it finds out.

use crate::testing::{describe, scan_files};

/// A case: its name, the crate's files (the first is the root) and the registrations expected.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);

/// Scans `files` (the first is the root) and compares with `expected`, one line per registration.
/// Macro calls that a framework may hook (`call ..`) are compared only in cases that expect some.
fn check(name: &str, files: &[(&str, &str)], expected: &[&str]) {
    let (krate, dir) = scan_files(files);
    let calls = expected.iter().any(|e| e.starts_with("call "));
    let found: Vec<String> = describe(&krate, &dir)
        .into_iter()
        .filter(|r| calls || !r.starts_with("call "))
        .collect();
    assert_eq!(found, expected, "case `{name}`");
}

#[test]
fn module_files_are_found_with_rustcs_rules() {
    let cases: &[Case] = &[
        (
            "root",
            &[("lib.rs", "gather::register!(crate::R, 1);\n")],
            &["one crate::R @ lib.rs:1:18"],
        ),
        (
            "x.rs",
            &[("lib.rs", "mod x;\n"), ("x.rs", "register!(R, 1);")],
            &["one R @ x.rs:1:10"],
        ),
        (
            "x/mod.rs",
            &[("lib.rs", "mod x;"), ("x/mod.rs", "register!(R, 1);")],
            &["one R @ x/mod.rs:1:10"],
        ),
        (
            "non-mod-rs child",
            &[
                ("lib.rs", "mod a;"),
                ("a.rs", "mod b;"),
                ("a/b.rs", "register!(R, 2);"),
            ],
            &["one R @ a/b.rs:1:10"],
        ),
        (
            "mod-rs child",
            &[
                ("lib.rs", "mod a;"),
                ("a/mod.rs", "mod b;"),
                ("a/b.rs", "register!(R, 2);"),
            ],
            &["one R @ a/b.rs:1:10"],
        ),
        (
            "inline module's file",
            &[
                ("lib.rs", "mod i { mod c; }"),
                ("i/c.rs", "register!(R, 3);"),
            ],
            &["one R @ i/c.rs:1:10"],
        ),
        (
            "#[path]",
            &[
                ("lib.rs", "#[path = \"elsewhere/p.rs\"]\nmod m;"),
                ("elsewhere/p.rs", "register!(R, 4);"),
            ],
            &["one R @ elsewhere/p.rs:1:10"],
        ),
        (
            "#[path] in an inline module",
            &[
                ("lib.rs", "mod i {\n#[path = \"q.rs\"]\nmod m; }"),
                ("i/q.rs", "register!(R, 4);"),
            ],
            &["one R @ i/q.rs:1:10"],
        ),
        (
            "cfg_attr path alternatives",
            &[
                ("lib.rs", "#[cfg_attr(unix, path = \"u.rs\")]\nmod m;"),
                ("u.rs", "register!(R, 5);"),
                ("m.rs", "register!(R, 6);"),
            ],
            &[
                "one R @ u.rs:1:10 [all(unix)]",
                "one R @ m.rs:1:10 [all(not(unix))]",
            ],
        ),
        (
            "raw module name",
            &[("lib.rs", "mod r#type;"), ("type.rs", "register!(R, 7);")],
            &["one R @ type.rs:1:10"],
        ),
        (
            "include!",
            &[
                ("lib.rs", "include!(\"inc.rs\");"),
                ("inc.rs", "\nregister!(R, 8);"),
            ],
            &["one R @ inc.rs:2:10"],
        ),
        (
            "byte-order mark",
            &[("lib.rs", "\u{feff}register!(R, 9);")],
            &["one R @ lib.rs:1:10"],
        ),
        (
            "missing file",
            &[("lib.rs", "mod gone;\nregister!(R, 1);")],
            &["one R @ lib.rs:2:10"],
        ),
        (
            "#[path] cycle",
            &[(
                "lib.rs",
                "#[path = \"lib.rs\"]\nmod again;\nregister!(R, 1);",
            )],
            &[],
        ),
    ];
    for (name, files, expected) in cases {
        if *name == "#[path] cycle" {
            // rustc reports the cycle; the scan reads each file once on a path.
            let (krate, _) = scan_files(files);
            assert_eq!(krate.registrations.len(), 1, "case `{name}`");
            continue;
        }
        check(name, files, expected);
    }
}

#[test]
fn cfgs_around_registrations() {
    let cases: &[Case] = &[
        (
            "on the module",
            &[
                ("lib.rs", "#[cfg(feature = \"x\")]\nmod m;"),
                ("m.rs", "register!(R, 1);"),
            ],
            &["one R @ m.rs:1:10 [all(feature = \"x\")]"],
        ),
        (
            "inner attribute of the file",
            &[
                ("lib.rs", "mod m;"),
                ("m.rs", "#![cfg(test)]\nregister!(R, 1);"),
            ],
            &["one R @ m.rs:2:10 [all(test)]"],
        ),
        (
            "on the registration and a cfg_attr(cfg)",
            &[(
                "lib.rs",
                "#[cfg(unix)]\n#[cfg_attr(test, cfg(windows))]\nregister!(R, 1);",
            )],
            &["one R @ lib.rs:3:10 [all(unix, any(not(test), windows))]"],
        ),
        (
            "nested",
            &[(
                "lib.rs",
                "#[cfg(a)]\nmod m { #[cfg(b)] mod n { register!(R, 1); } }",
            )],
            &["one R @ lib.rs:2:36 [all(a, b)]"],
        ),
        (
            "register_item inside cfg_attr",
            &[(
                "lib.rs",
                "#[cfg_attr(feature = \"a\", gather::register_item(R))]\nfn f() {}",
            )],
            &["item R @ lib.rs:1:26 [all(feature = \"a\")]"],
        ),
        (
            "cfg_if! branches",
            &[(
                "lib.rs",
                "cfg_if::cfg_if! {\n if #[cfg(a)] { register!(R, 1); }\n else if #[cfg(b)] { register!(R, 2); }\n else { register!(R, 3); }\n}",
            )],
            &[
                "one R @ lib.rs:2:26 [all(a)]",
                "one R @ lib.rs:3:31 [all(not(a), b)]",
                "one R @ lib.rs:4:18 [all(not(a), not(b))]",
            ],
        ),
        (
            "cfg_select! arms",
            &[(
                "lib.rs",
                "cfg_select! {\n unix => { register!(R, 1); }\n windows => { register!(R, 2); },\n _ => { register!(R, 3); }\n}",
            )],
            &[
                "one R @ lib.rs:2:21 [all(unix)]",
                "one R @ lib.rs:3:24 [all(not(unix), windows)]",
                "one R @ lib.rs:4:18 [all(not(unix), not(windows))]",
            ],
        ),
        (
            "a module declared by cfg_if!",
            &[
                ("lib.rs", "cfg_if! { if #[cfg(unix)] { mod imp; } }"),
                ("imp.rs", "register!(R, 1);"),
            ],
            &["one R @ imp.rs:1:10 [all(unix)]"],
        ),
    ];
    for (name, files, expected) in cases {
        check(name, files, expected);
    }
}

#[test]
fn kinds_and_places_of_registrations() {
    let cases: &[Case] = &[
        (
            "register_many!",
            &[("lib.rs", "gather::register_many!(R, dep::R);")],
            &["many R @ lib.rs:1:23"],
        ),
        (
            "register_item on fn, static and const",
            &[(
                "lib.rs",
                "#[register_item(R)] fn f() {}\n#[gather::register_item(a::R)]\nstatic S: u8 = 1;\n#[register_item(R)] const C: u8 = 2;",
            )],
            &[
                "item R @ lib.rs:1:0",
                "item a::R @ lib.rs:2:0",
                "item R @ lib.rs:4:0",
            ],
        ),
        (
            "register_item refused on generic functions and static mut, kept with lifetimes",
            &[(
                "lib.rs",
                "#[register_item(R)] fn g<T>() {}\n#[register_item(R)] fn l<'a, 'b: 'a>(x: &'a u8) {}\n#[register_item(R)] static mut M: u8 = 0;\n#[register_item(R)] fn c<const N: usize>() {}",
            )],
            &["item R @ lib.rs:2:0"],
        ),
        (
            "a framework's attribute",
            &[("lib.rs", "#[my::test]\n#[inline]\nfn t() {}")],
            &["attr my::test @ lib.rs:1:0"],
        ),
        (
            "below an attribute macro, which may remove or copy the item",
            &[(
                "lib.rs",
                "#[rstest]\n#[case(1)]\n#[my::test]\nfn t(#[case] x: u8) {}\n#[rustversion::nightly] #[register_item(R)] fn n() {}",
            )],
            &[
                "attr rstest @ lib.rs:1:0",
                "attr case @ lib.rs:2:0 after-attr",
                "attr my::test @ lib.rs:3:0 after-attr",
                "attr rustversion::nightly @ lib.rs:5:0",
                "item R @ lib.rs:5:24 after-attr",
            ],
        ),
        (
            "rustc's own attributes above it change nothing",
            &[(
                "lib.rs",
                "#[inline]\n#[rustfmt::skip]\n#[cfg_attr(unix, ignore)]\n#[my::test]\nfn t() {}",
            )],
            &["attr my::test @ lib.rs:4:0"],
        ),
        (
            "in a function body, a closure and a block",
            &[(
                "lib.rs",
                "fn f() {\n    register!(R, 1);\n    let _ = || { register!(R, 2); };\n    { register!(R, 3); }\n}",
            )],
            &[
                "one R @ lib.rs:2:14 body",
                "one R @ lib.rs:3:27 body",
                "one R @ lib.rs:4:16 body",
            ],
        ),
        (
            "in an initializer and an impl",
            &[(
                "lib.rs",
                "static S: u8 = { register!(R, 1); 0 };\nimpl X { fn g() { register!(R, 2); } }",
            )],
            &["one R @ lib.rs:1:27 body", "one R @ lib.rs:2:28 body"],
        ),
        (
            "a macro_rules! body is no registration",
            &[(
                "lib.rs",
                "macro_rules! m { () => { register!(R, 1); }; }\nregister!(R, 2);",
            )],
            &["one R @ lib.rs:2:10"],
        ),
        (
            "malformed ones are not recorded",
            &[(
                "lib.rs",
                "register!(R);\nregister!(<R>::X, 1);\nregister!(, 1);\nregister!(R, );",
            )],
            &[],
        ),
    ];
    for (name, files, expected) in cases {
        check(name, files, expected);
    }
}

#[test]
fn macros_that_declare_modules() {
    let cases: &[Case] = &[
        (
            "a crate's own macro around `mod`",
            &[
                ("lib.rs", "cfg_rt! { pub mod runtime; }"),
                ("runtime.rs", "register!(R, 1);"),
            ],
            &["one R @ runtime.rs:1:10 macro"],
        ),
        (
            "nested macros",
            &[
                ("lib.rs", "outer! { inner! { mod deep; } }"),
                ("deep.rs", "register!(R, 1);"),
            ],
            &["one R @ deep.rs:1:10 macro"],
        ),
        (
            "registrations in a macro's input",
            &[("lib.rs", "wrap! { register!(R, 1); }")],
            &["one R @ lib.rs:1:18 macro"],
        ),
        (
            "a macro_rules! body declaring modules, invoked",
            &[
                (
                    "lib.rs",
                    "macro_rules! root { () => { mod from_body; }; }\nroot!();",
                ),
                ("from_body.rs", "register!(R, 1);"),
            ],
            &["one R @ from_body.rs:1:10 macro"],
        ),
        (
            "a recursive macro ends",
            &[
                (
                    "lib.rs",
                    "macro_rules! r { () => { r!(); mod once; }; }\nr!();",
                ),
                ("once.rs", "register!(R, 1);"),
            ],
            &["one R @ once.rs:1:10 macro"],
        ),
        (
            "one file under two exclusive declarations",
            &[
                (
                    "lib.rs",
                    "#[cfg(feature = \"std\")]\npub mod ser;\n#[cfg(not(feature = \"std\"))]\nmod ser;",
                ),
                ("ser.rs", "register!(R, 1);"),
            ],
            &["one R @ ser.rs:1:10 [all(feature = \"std\")] macro"],
        ),
        (
            "one file declared twice under the same cfgs",
            &[
                ("lib.rs", "mod a;\n#[path = \"a.rs\"]\nmod b;"),
                ("a.rs", "register!(R, 1);"),
            ],
            &["one R @ a.rs:1:10", "one R @ a.rs:1:10"],
        ),
    ];
    for (name, files, expected) in cases {
        check(name, files, expected);
    }
}

#[test]
fn map_keys_and_map_declarations() {
    let cases: &[Case] = &[
        (
            "register! with a key, and without",
            &[(
                "lib.rs",
                "register!(M, \"a\" => f);\nregister!(M, - 1 => |x| match x { 1 => 2, _ => 3 });\nregister!(R, { 1 => 2 });\nregister!(M, Color::Red as u8 => 1,);",
            )],
            &[
                "one M @ lib.rs:1:10 key `\"a\"`",
                "one M @ lib.rs:2:10 key `- 1`",
                "one R @ lib.rs:3:10",
                "one M @ lib.rs:4:10 key `Color :: Red as u8`",
            ],
        ),
        (
            "register_item with a key",
            &[(
                "lib.rs",
                "#[register_item(M, key = 'x')] fn f() {}\n#[gather::register_item(M, key = b\"k\",)]\nstatic S: u8 = 1;",
            )],
            &[
                "item M @ lib.rs:1:0 key `'x'`",
                "item M @ lib.rs:2:0 key `b\"k\"`",
            ],
        ),
        (
            "a key or value missing is not a registration",
            &[("lib.rs", "register!(M, => 1);\nregister!(M, 1 =>);")],
            &[],
        ),
    ];
    for (name, files, expected) in cases {
        check(name, files, expected);
    }
    let (krate, _) = scan_files(&[(
        "lib.rs",
        "#[registry] static M: gather::Map<&str, u8>;\n#[registry] const R: Registry<Map<u8, u8>>;\n#[registry] pub static N: Map<u8, u8>;",
    )]);
    assert_eq!(krate.scopes[0].registries, ["M", "R", "N"]);
    assert_eq!(krate.scopes[0].maps, ["M", "N"]);
}

#[test]
fn a_symlinked_root_finds_modules_next_to_the_link() {
    let dir = crate::testing::write_crate(&[
        ("real/lib.rs", "mod x;"),
        ("real/x.rs", "register!(R, 0);"),
        ("link/x.rs", "register!(R, 1);"),
    ]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("real/lib.rs"), dir.join("link/lib.rs")).unwrap();
        let krate = super::scan_crate(&dir.join("link/lib.rs"));
        assert_eq!(describe(&krate, &dir), ["one R @ link/x.rs:1:10"]);
    }
}

#[test]
fn index_registrations_and_framework_macro_calls() {
    let cases: &[Case] = &[
        (
            "register_index! in a const initializer and a function body",
            &[(
                "lib.rs",
                "const A: usize = gather::register_index!(M, \"a\");\n\
                 fn f() -> usize { let i = register_index!(crate::M, 1); i }\n",
            )],
            &[
                "index M @ lib.rs:1:41 body",
                "index crate::M @ lib.rs:2:42 body",
            ],
        ),
        (
            "in the arguments of std's expression macros, once",
            &[(
                "lib.rs",
                "fn f() {\n    assert_eq!(register_index!(M, 1), 0);\n    \
                 println!(\"{}\", register_index!(M, 2))\n}\n",
            )],
            &["index M @ lib.rs:2:31 body", "index M @ lib.rs:3:35 body"],
        ),
        (
            "not in the arguments of other macros, which may not expand them as written",
            &[("lib.rs", "fn f() { stringify!(register_index!(M, 1)); }\n")],
            &[],
        ),
        (
            "framework macro calls: statements, expressions, module level, not std's",
            &[(
                "lib.rs",
                "use my_log::info;\nmy_log::declare!(X);\n\
                 fn f(t: u8) {\n    info!(\"t = {}\", t);\n    \
                 let _ = if t > 0 { log::warn!(\"w\") } else { 0 };\n    \
                 println!(\"{}\", info!(\"in println\"));\n    empty!();\n}\n",
            )],
            &[
                "call my_log::declare @ lib.rs:2:17",
                "call info @ lib.rs:4:10 body",
                "call log::warn @ lib.rs:5:34 body",
                "call info @ lib.rs:6:25 body",
            ],
        ),
        (
            "a macro call and the attribute of its input's first item share a position",
            &[("lib.rs", "other::items! {\n    #[test]\n    fn f() {}\n}\n")],
            &[
                "call other::items @ lib.rs:2:4",
                "attr test @ lib.rs:2:4 macro",
            ],
        ),
        (
            "a call that goes on as an expression is read once",
            &[(
                "lib.rs",
                "fn f() -> usize { vec![register_index!(M, 1)].len() }\n",
            )],
            &["index M @ lib.rs:1:39 body"],
        ),
    ];
    for (name, files, expected) in cases {
        check(name, files, expected);
    }
}

/// Uses of other crates' macros that write libtest's `#[test]`, as `path @ line:column`, with the
/// other attributes of an attribute one's item.
fn writers(files: &[(&str, &str)]) -> Vec<String> {
    let (krate, _) = scan_files(files);
    krate
        .test_writers
        .iter()
        .map(|w| {
            let beside: Vec<String> = w.beside.iter().map(|p| p.join("::")).collect();
            let kind = if w.attribute { "#" } else { "!" };
            format!(
                "{kind}{} @ {}:{} [{}]",
                w.path.join("::"),
                w.line,
                w.column,
                beside.join(", ")
            )
        })
        .collect()
}

#[test]
fn macros_that_write_libtests_test_are_recorded() {
    let cases: &[Case] = &[
        (
            "rstest, with the attributes below it",
            &[(
                "lib.rs",
                "#[inline]\n#[rstest::rstest]\n#[case(1)]\n#[gather_test::test]\nfn t(x: u8) {}",
            )],
            &["#rstest::rstest @ 2:0 [case, gather_test::test]"],
        ),
        (
            "test_case twice on one function: the first one",
            &[("lib.rs", "#[test_case(1)]\n#[test_case(2)]\nfn t(x: u8) {}")],
            &["#test_case @ 1:0 [test_case]"],
        ),
        (
            "quickcheck! in a module (where its input opens), #[quickcheck] on a function",
            &[(
                "lib.rs",
                "mod m { quickcheck::quickcheck! { fn p() -> bool { true } } }\n#[quickcheck]\nfn q(x: u8) -> bool { true }",
            )],
            &["!quickcheck::quickcheck @ 1:32 []", "#quickcheck @ 2:0 []"],
        ),
        (
            "quickcheck! in a crate macro's body: where the macro is invoked",
            &[(
                "lib.rs",
                "macro_rules! g { ($n:ident) => { qc::quickcheck! { fn $n() -> bool { true } } } }\n\ng!(a);\ng!(b);",
            )],
            &["!qc::quickcheck @ 3:2 []", "!qc::quickcheck @ 4:2 []"],
        ),
        (
            "another crate's attribute named test, but not beside rstest",
            &[(
                "lib.rs",
                "#[tokio::test]\nasync fn t() {}\n#[rstest]\n#[tokio::test]\nasync fn u() {}",
            )],
            &["#tokio::test @ 1:0 []", "#rstest @ 3:0 [tokio::test]"],
        ),
        (
            "other macros and attributes are not",
            &[(
                "lib.rs",
                "proptest! { #[test] fn p(x in 0..1) {} }\n#[serial]\n#[test]\nfn t() {}",
            )],
            &[],
        ),
    ];
    for (name, files, expected) in cases {
        assert_eq!(writers(files), *expected, "case `{name}`");
    }
}
