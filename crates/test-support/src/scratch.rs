//! Crates that a test writes and edits, built like the fixtures.

use std::path::{Path, PathBuf};

use crate::{fixture, repo};

/// A small crate written under `target/scratch` by a test, which may edit it between builds.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// An empty crate `name` (edition 2024) with a dependency on gather and a `src` directory.
    pub fn new(name: &str) -> Scratch {
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

    /// Writes `file` (relative to the crate), creating its directory.
    pub fn write(&self, file: &str, text: &str) {
        let path = self.dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// The crate's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
