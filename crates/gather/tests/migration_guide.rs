//! The migration guide (`src/migration.md`, the module `gather::migration`): every gather example
//! in it is a doc test that rustdoc merges and runs. Only the other crates' side (linkme,
//! inventory, a framework's user crate) may be left uncompiled.

const GUIDE: &str = include_str!("../src/migration.md");

/// The info strings and bodies of the guide's fenced code blocks.
fn blocks() -> Vec<(&'static str, String)> {
    let mut blocks = Vec::new();
    let mut lines = GUIDE.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            blocks.push((info, body.join("\n")));
        }
    }
    blocks
}

#[test]
fn gather_examples_are_merged_doc_tests() {
    let blocks = blocks();
    let runnable: Vec<_> = blocks.iter().filter(|(info, _)| *info == "rust").collect();
    assert!(runnable.len() >= 10, "{} runnable examples", runnable.len());
    for (info, body) in &blocks {
        match *info {
            // Run as a merged doc test: a registry needs `fn main` to stay at module level.
            "rust" => assert!(body.contains("\nfn main() {"), "no `fn main`:\n{body}"),
            // Not compiled: only code that needs crates gather's tests do not have.
            "rust,ignore" => assert!(
                ["linkme", "inventory", "tiny_test", "gather_test"]
                    .iter()
                    .any(|other| body.contains(other)),
                "a gather example that is not compiled:\n{body}"
            ),
            other => {
                panic!("code block `{other}`: doc tests compiled alone cannot hold a registry")
            }
        }
    }
}

#[test]
fn readme_links_the_guide() {
    let readme = include_str!("../../../README.md");
    assert!(readme.contains("(crates/gather/src/migration.md)"));
    let lib = include_str!("../src/lib.rs");
    assert!(lib.contains("#[doc = include_str!(\"migration.md\")]\npub mod migration {}"));
}
