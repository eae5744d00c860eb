//! Commands of the tour itself, registered where they are written.
use crate::COMMANDS as CMDS; // a renamed import works too
use gather::register_item;
use tour_plugins::Command;

#[register_item(ERRORS_SEEN)]
const FIRST_ERROR: &str = "registered from commands.rs";

#[gather::registry]
pub(crate) static ERRORS_SEEN: gather::Registry<&str>;

gather::register!(
    CMDS,
    Command {
        name: "echo",
        run: |args| args.join(" ")
    }
);

mod count;
