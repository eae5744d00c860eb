use super::super::COMMANDS;
use tour_plugins::Command;

fn count(args: &[&str]) -> String {
    format!("{} words", args.len())
}

gather::register!(
    COMMANDS,
    Command {
        name: "count",
        run: count
    }
);
