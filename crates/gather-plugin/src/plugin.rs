//! A loaded plugin.

use std::fmt;
use std::path::{Path, PathBuf};

use gather::__private::plugin::{Header, Prefix};
use gather::Registry;

use crate::error::Error;
use crate::header;

/// A plugin: a dynamic library (a `cdylib` that calls `gather::export!`), loaded for the rest
/// of the program. See the [crate docs](crate).
pub struct Plugin {
    path: PathBuf,
    header: &'static Header,
}

// SAFETY: the header is an immutable static of a library that is never unloaded.
unsafe impl Send for Plugin {}
// SAFETY: as for `Send`.
unsafe impl Sync for Plugin {}

impl Plugin {
    /// Loads the library at `path` and checks its header: gather's magic number, then the
    /// versions of rustc and gather that built it, which must be those of this program.
    ///
    /// `path` is a path to the file, relative to the current directory or absolute; the
    /// system's library search paths are not searched (write the platform's file name, e.g.
    /// with `std::env::consts::{DLL_PREFIX, DLL_SUFFIX}`).
    ///
    /// The library stays loaded until the program ends, also after the `Plugin` is dropped: its
    /// items are `'static` (see the [crate docs](crate#lifetimes)). Loading the same file again
    /// gives another `Plugin` for the same library.
    ///
    /// Loading a library runs its initialization code, if it has any (a gather plugin has none,
    /// but the file may be any library): load only files you would run as programs.
    ///
    /// ```
    /// let err = gather_plugin::Plugin::load("no/such/plugin.so").unwrap_err();
    /// assert_eq!(err.to_string(), "cannot load plugin no/such/plugin.so: no such file");
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Plugin, Error> {
        let path = path.as_ref();
        // A bare file name is a file in the current directory, as for any path: the system's
        // loaders would search their library paths for it instead.
        let file = if path.parent() == Some(Path::new("")) {
            Path::new(".").join(path)
        } else {
            path.to_owned()
        };
        // SAFETY: see the doc comment: running a library's initializers is the caller's choice.
        let library = match unsafe { libloading::Library::new(&file) } {
            Ok(library) => library,
            Err(_) if !path.exists() => {
                return Err(Error::NotFound {
                    path: path.to_owned(),
                });
            }
            Err(source) => {
                return Err(Error::Load {
                    path: path.to_owned(),
                    source: Box::new(source),
                });
            }
        };
        // SAFETY: only the symbol's address is taken here; `header::read` decides what it is.
        let symbol = match unsafe { library.get::<*const Prefix>(&header::symbol_name()[..]) } {
            Ok(symbol) => *symbol,
            Err(_) => {
                return Err(header::not_a_plugin(
                    path,
                    "it has no `GATHER_PLUGIN` symbol",
                ));
            }
        };
        // Never unloaded: items are handed out as `'static`.
        std::mem::forget(library);
        // SAFETY: the symbol is in a library that stays loaded; a gather magic number is only
        // ever written by `gather::export!`.
        let header = unsafe { header::read(path, symbol)? };
        Ok(Plugin {
            path: path.to_owned(),
            header,
        })
    }

    /// The registry exported as `name`, if its items are `T`: the name, size and alignment of
    /// the plugin's item type must be those of `T`.
    ///
    /// The result iterates over `&'static T`, and merges with other registries without
    /// allocation (see the [crate docs](crate#merging)).
    pub fn registry<T: 'static>(&self, name: &str) -> Result<Registry<T>, Error> {
        header::registry(&self.path, self.header, name)
    }

    /// The names of the registries the plugin exports, in the order of its `gather::export!`.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        header::exports(self.header).iter().map(header::name)
    }

    /// The path the plugin was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl fmt::Debug for Plugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plugin")
            .field("path", &self.path)
            .field("registries", &self.names().collect::<Vec<_>>())
            .finish()
    }
}
