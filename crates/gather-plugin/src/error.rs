//! What can go wrong when loading a plugin or reading one of its registries.

use std::fmt;
use std::path::PathBuf;

/// The item type of a registry, as far as it can be compared across a library boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemType {
    /// `core::any::type_name` of the type.
    pub name: String,
    /// `size_of`.
    pub size: usize,
    /// `align_of`.
    pub align: usize,
}

impl ItemType {
    /// The item type `T` of this program.
    pub fn of<T>() -> ItemType {
        ItemType {
            name: std::any::type_name::<T>().to_string(),
            size: std::mem::size_of::<T>(),
            align: std::mem::align_of::<T>(),
        }
    }
}

impl fmt::Display for ItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` (size {}, alignment {})",
            self.name, self.size, self.align
        )
    }
}

/// A version of a compiler or of gather, with its fingerprint (a hash of the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// The text: the first line of `rustc -vV`, or gather's crate version.
    pub text: String,
    /// A 64-bit hash of `text` (FNV-1a), computed where the plugin or host was built.
    pub fingerprint: u64,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (fingerprint {:016x})", self.text, self.fingerprint)
    }
}

/// The item type a registry holds and the one asked for, in [`Error::ItemType`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeMismatch {
    /// The type asked for.
    pub asked: ItemType,
    /// The registry's item type.
    pub found: ItemType,
    /// The compiler that built both the plugin and the host (the names of types are only
    /// compared between builds of one compiler).
    pub rustc: Version,
    /// The gather of both.
    pub gather: Version,
}

/// Why a plugin could not be loaded, or a registry not read from it. Every message names the
/// plugin's path and says what differs.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The file does not exist.
    NotFound {
        /// The path given to [`Plugin::load`](crate::Plugin::load).
        path: PathBuf,
    },
    /// The system could not load the file as a dynamic library.
    Load {
        /// The plugin's path.
        path: PathBuf,
        /// The loader's error (libloading's).
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The library is not a gather plugin: it has no header made by `gather::export!`.
    NotAPlugin {
        /// The plugin's path.
        path: PathBuf,
        /// What is missing.
        reason: &'static str,
    },
    /// The plugin's header has another layout: it was built by another version of gather.
    OtherLayout {
        /// The plugin's path.
        path: PathBuf,
        /// The plugin's header layout.
        plugin: u32,
        /// The layout this host reads.
        host: u32,
    },
    /// The plugin was built by another rustc, whose Rust layouts may differ.
    OtherRustc {
        /// The plugin's path.
        path: PathBuf,
        /// The compiler that built the plugin.
        plugin: Version,
        /// The compiler that built the host.
        host: Version,
    },
    /// The plugin was built with another version of gather.
    OtherGather {
        /// The plugin's path.
        path: PathBuf,
        /// The plugin's gather.
        plugin: Version,
        /// The host's gather.
        host: Version,
    },
    /// The plugin exports no registry of that name.
    MissingRegistry {
        /// The plugin's path.
        path: PathBuf,
        /// The name asked for.
        asked: String,
        /// The names the plugin exports.
        exported: Vec<String>,
    },
    /// The registry's item type is not the one asked for.
    ItemType {
        /// The plugin's path.
        path: PathBuf,
        /// The registry's name.
        registry: String,
        /// Both types, and what built them (boxed: a rare error need not make every `Result`
        /// large).
        mismatch: Box<TypeMismatch>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound { path } => {
                write!(f, "cannot load plugin {}: no such file", path.display())
            }
            Error::Load { path, source } => {
                write!(
                    f,
                    "cannot load plugin {} as a dynamic library: {source}",
                    path.display()
                )?;
                // libloading says "dlopen failed" and puts the system's reason in its source.
                let mut cause = source.source();
                while let Some(c) = cause {
                    write!(f, ": {c}")?;
                    cause = c.source();
                }
                Ok(())
            }
            Error::NotAPlugin { path, reason } => write!(
                f,
                "{} is not a gather plugin: {reason} (a plugin is a cdylib that calls \
                 `gather::export!`)",
                path.display()
            ),
            Error::OtherLayout { path, plugin, host } => write!(
                f,
                "plugin {} was built by another version of gather: its header has layout \
                 {plugin}, this host reads layout {host}",
                path.display()
            ),
            Error::OtherRustc { path, plugin, host } => write!(
                f,
                "plugin {} was built by {plugin}, this host by {host}: Rust types may be laid \
                 out differently, so build the plugin with the host's compiler",
                path.display()
            ),
            Error::OtherGather { path, plugin, host } => write!(
                f,
                "plugin {} was built with gather {plugin}, this host with gather {host}: build \
                 both with the same gather",
                path.display()
            ),
            Error::MissingRegistry {
                path,
                asked,
                exported,
            } => {
                write!(
                    f,
                    "plugin {} exports no registry named `{asked}`; ",
                    path.display()
                )?;
                if exported.is_empty() {
                    return write!(f, "it exports none");
                }
                let names: Vec<String> = exported.iter().map(|n| format!("`{n}`")).collect();
                write!(f, "it exports {}", names.join(", "))
            }
            Error::ItemType {
                path,
                registry,
                mismatch,
            } => {
                let TypeMismatch {
                    asked,
                    found,
                    rustc,
                    gather,
                } = &**mismatch;
                write!(
                    f,
                    "registry `{registry}` of plugin {} holds items of type {found}, not \
                     {asked}; plugin and host were both built by {rustc} with gather {gather}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Load { source, .. } => Some(&**source),
            _ => None,
        }
    }
}
