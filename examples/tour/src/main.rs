//! A tour of gather. Every `register!` below, in this file and in `commands/`, lands in a
//! registry declared here, without any list to maintain.
use gather::{Registry, register, register_many, registry};
use tour_plugins::Command;

mod commands;

// 1. The seeds' example: a registry of strings, filled from anywhere in the crate.
#[registry]
pub static ERROR_MSGS: Registry<&str>;

register!(ERROR_MSGS, "a");
register!(ERROR_MSGS, "b");

// 2. Commands: attribute registration in `commands/`, plus an explicit import of another crate's
//    registry. Its own registrations never leak in by themselves.
#[registry]
pub static COMMANDS: Registry<Command>;

register_many!(COMMANDS, tour_plugins::COMMANDS);

// 3. `cfg` is decided by rustc: this one exists only with the `shout` feature (on by default).
#[cfg(feature = "shout")]
register!(ERROR_MSGS, "c (feature `shout`)");
#[cfg(not(feature = "shout"))]
register!(ERROR_MSGS, "c (no `shout`)");

// 4. A `const` registry is usable in const evaluation.
#[registry]
pub const LIMITS: Registry<u32>;
register!(LIMITS, 10);
register!(LIMITS, 32);

const fn largest_limit() -> u32 {
    let mut i = 0;
    let mut max = 0;
    while let Some(&limit) = LIMITS.get(i) {
        if limit > max {
            max = limit;
        }
        i += 1;
    }
    max
}
const BUFFER: [u8; largest_limit() as usize] = [0; largest_limit() as usize];
const _: () = assert!(LIMITS.len() == 2);

fn main() {
    println!("error messages ({}):", ERROR_MSGS.len());
    for msg in ERROR_MSGS {
        println!("  {msg}");
    }
    println!("commands ({}):", COMMANDS.len());
    for cmd in COMMANDS {
        println!("  {:<8} -> {}", cmd.name, (cmd.run)(&["hello", "gather"]));
    }
    println!(
        "limits: {:?}; buffer sized at compile time: {} bytes",
        LIMITS,
        BUFFER.len()
    );
    println!(
        "Build with GATHER_SEED=<n> to shuffle every registry (order dependence shows up), \
         or with --no-default-features to see cfg at work."
    );
}
