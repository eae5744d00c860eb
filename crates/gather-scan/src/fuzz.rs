//! Fuzzing the scanner: arbitrary bytes and mutated real sources, as crate roots with module
//! files, must give a scan (never a panic, a hang or unbounded work). `GATHER_FUZZ_INPUTS=n`
//! runs more inputs than the default.

use std::time::{Duration, Instant};

use crate::testing::write_crate;

/// xorshift64*: deterministic inputs, so that a failure can be replayed from its number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that stress the lexer and the walker.
const PIECES: &[&str] = &[
    "mod a;",
    "mod b { mod c; }",
    "#[path = \"lib.rs\"] mod again;",
    "#[path = \"a.rs\"] mod twin;",
    "#[cfg_attr(x, path = \"b.rs\")] mod m;",
    "include!(\"a.rs\");",
    "register!(R, 1);",
    "gather::register_many!(R, d::R);",
    "#[register_item(R)] fn f() {}",
    "#[cfg(",
    "#![cfg(x)]",
    "cfg_if! { if #[cfg(a)] { mod a; } else { ",
    "cfg_select! { _ => {",
    "m! { mod a; }",
    "macro_rules! r { () => { r!(); mod a; }; } r!();",
    "\"",
    "r#\"",
    "/*",
    "*/",
    "'",
    "b'",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "::",
    "use a::*;",
    "use crate::{a as b, c::*};",
    "fn g() {",
    "static S: u8 = {",
    "\u{feff}",
    "é",
    "\r\n",
    "\0",
    "#",
    "!",
    "<",
    ">",
    "=>",
    ",",
    ";",
];

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut text: Vec<char> = seed.chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(text.len() + 1);
        match rng.below(4) {
            0 => {
                let piece = PIECES[rng.below(PIECES.len())];
                text.splice(at..at, piece.chars());
            }
            1 => {
                let end = (at + rng.below(40)).min(text.len());
                text.drain(at..end);
            }
            2 => text.truncate(at),
            _ => {
                let end = (at + rng.below(200)).min(text.len());
                let copy: Vec<char> = text[at..end].to_vec();
                text.splice(at..at, copy);
            }
        }
    }
    text.into_iter().collect()
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    (0..rng.below(400)).map(|_| rng.next() as u8).collect()
}

#[test]
fn the_scan_survives_any_input() {
    let inputs: usize = std::env::var("GATHER_FUZZ_INPUTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(600);
    let seeds: Vec<&str> = vec![
        include_str!("walk/mod.rs"),
        include_str!("attrs.rs"),
        include_str!("codegen/registry.rs"),
        "mod a;\nregister!(crate::R, 1);\n#[registry] static R: Registry<u8>;",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for n in 0..inputs {
        let root = match n % 3 {
            0 => String::from_utf8_lossy(&random_bytes(&mut rng)).into_owned(),
            _ => {
                let seed = seeds[rng.below(seeds.len())];
                mutate(&mut rng, seed)
            }
        };
        let module = mutate(&mut rng, "register!(R, 2);\nmod b;");
        let dir = write_crate(&[("lib.rs", &root), ("a.rs", &module), ("a/b.rs", &root)]);
        if n % 7 == 0 {
            // Not UTF-8: the scan reads nothing from it, rustc reports it.
            std::fs::write(dir.join("a.rs"), random_bytes(&mut rng)).unwrap();
        }
        let one = Instant::now();
        let krate = crate::walk::scan_crate(&dir.join("lib.rs"));
        slowest = slowest.max(one.elapsed());
        assert!(
            krate.registrations.len() < 1_000_000,
            "input {n}: {} registrations",
            krate.registrations.len()
        );
    }
    eprintln!(
        "scanned {inputs} fuzzed crates in {:?}, slowest {slowest:?}",
        started.elapsed()
    );
    assert!(
        slowest < Duration::from_secs(5),
        "one scan took {slowest:?}"
    );
}

#[test]
fn deep_nesting_and_long_files_are_bounded() {
    let deep = format!(
        "{}register!(R, 1);{}",
        "mod m { fn f() { ".repeat(5_000),
        "} }".repeat(5_000)
    );
    let long = "register!(R, 1);\n".repeat(100_000);
    let open = "{".repeat(200_000);
    for text in [&deep, &long, &open] {
        let dir = write_crate(&[("lib.rs", text)]);
        let started = Instant::now();
        let krate = crate::walk::scan_crate(&dir.join("lib.rs"));
        assert!(started.elapsed() < Duration::from_secs(20));
        assert!(krate.registrations.len() <= 100_000);
    }
}
