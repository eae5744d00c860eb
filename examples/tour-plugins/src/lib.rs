//! A dependency with a registry of its own. Its items reach the tour only because the tour
//! imports this registry with `register_many!`: a dependency cannot add to your registries.
use gather::{Registry, register, registry};

/// Commands this library offers to whoever imports them.
#[registry]
pub static COMMANDS: Registry<crate::Command>;

/// A command: a name and what it does.
pub struct Command {
    /// What the user types.
    pub name: &'static str,
    /// What it does.
    pub run: fn(&[&str]) -> String,
}

register!(
    COMMANDS,
    Command {
        name: "upper",
        run: |args| args.join(" ").to_uppercase(),
    }
);
