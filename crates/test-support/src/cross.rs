//! The cross toolchain of `scripts/setup-cross.sh` (Debian's rustc-web, another rustc than the
//! host's, with `-Zbuild-std`), for the tests that build with it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::clean_env;

/// Where scripts/setup-cross.sh installed the cross toolchain: `$RUSTWEB_PREFIX`, else
/// `/opt/rustweb`.
pub fn rustweb() -> PathBuf {
    std::env::var_os("RUSTWEB_PREFIX").map_or_else(|| PathBuf::from("/opt/rustweb"), PathBuf::from)
}

/// Whether the cross toolchain is there. If not, says that `what` is not checked and returns
/// false, except with `CI=true`, where CI has run the setup script and a missing toolchain is a
/// failure.
#[track_caller]
pub fn cross_toolchain(what: &str) -> bool {
    let env_sh = rustweb().join("env.sh");
    if env_sh.is_file() {
        return true;
    }
    let message = format!(
        "{} is missing: {what} not checked (run `sudo bash scripts/setup-cross.sh`)",
        env_sh.display()
    );
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
    eprintln!("skipped: {message}");
    false
}

/// The cross toolchain's `cargo` in `dir` (its `env.sh` sourced: rustc-web, `RUSTC_BOOTSTRAP`),
/// with [`clean_env`] and without `RUSTFLAGS`. Add the arguments and a target directory of the
/// build's own: nothing built by another compiler may share one.
pub fn rustweb_cargo(dir: impl AsRef<Path>) -> Command {
    let mut cmd = Command::new("bash");
    clean_env(&mut cmd)
        .arg("-c")
        .arg(format!(
            ". '{}' && exec cargo \"$@\"",
            rustweb().join("env.sh").display()
        ))
        .arg("cargo")
        .current_dir(dir)
        .env_remove("RUSTFLAGS");
    cmd
}
