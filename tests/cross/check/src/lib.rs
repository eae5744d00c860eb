//! The checker of the cross-target fixture family, shared by its three implementations (gather,
//! and the linkme and inventory ports). An implementation feeds the contents of its registries to
//! a [`Report`]; the report compares them with what this target must hold (order-insensitive,
//! since the peers promise no order) and renders one line that every entry point prints:
//!
//! ```text
//! fixture impl=gather status=ok items=16/16 checksum=0x1c2d3e4f names=4/4 cmds=3/3 plugins=3/3 facts=3/3 limits=3/3
//! ```
//!
//! A registry whose contents differ is marked with `!` (`plugins=1/3!`) and sets its bit in
//! [`Report::status`]. `#![no_std]`, no allocation: it runs on Cortex-M and wasm as it does on Linux.
#![no_std]

use core::fmt;

/// The argument every registered `fn(u32) -> u32` is called with.
pub const INPUT: u32 = 10;

/// The registries of the fixture, in report order (bit `i` of [`Report::status`] is `REGISTRIES[i]`).
pub const REGISTRIES: [&str; 5] = ["names", "cmds", "plugins", "facts", "limits"];

/// `names`: one item per module file (lib.rs, a.rs, b/mod.rs, b/c.rs in a function body).
pub const NAMES: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
/// `cmds`: the results of the registered functions (`x * 2`, `x * 3`, `x + 7`) at [`INPUT`].
pub const CMD_RESULTS: [u32; 3] = [INPUT * 2, INPUT * 3, INPUT + 7];
/// `plugins`: two items of the dependency crate, one of the fixture crate.
pub const PLUGINS: [&str; 3] = ["dep-plugin-1", "dep-plugin-2", "own-plugin"];
/// `limits`: the `const` registry (gather asserts its length at compile time).
pub const LIMITS: [u32; 3] = [8, 16, 32];

/// `facts`: registered under `#[cfg]`s of the target; this is what the same cfgs say here.
pub const FACTS: [&str; 3] = [
    if cfg!(target_endian = "big") {
        "big-endian"
    } else {
        "little-endian"
    },
    if cfg!(target_pointer_width = "16") {
        "ptr16"
    } else if cfg!(target_pointer_width = "32") {
        "ptr32"
    } else {
        "ptr64"
    },
    if cfg!(target_os = "none") {
        "bare-metal"
    } else if cfg!(target_family = "wasm") {
        "wasm"
    } else {
        "hosted"
    },
];

/// The number of items every implementation must hold, on every target.
pub const EXPECTED_ITEMS: u32 =
    (NAMES.len() + CMD_RESULTS.len() + PLUGINS.len() + FACTS.len() + LIMITS.len()) as u32;

#[derive(Clone, Copy, Default)]
struct Part {
    found: u32,
    ok: bool,
}

/// The verdict on one implementation's registries on this target.
#[derive(Clone, Copy)]
pub struct Report {
    implementation: &'static str,
    parts: [Part; 5],
    checksum: u32,
}

fn fnv1a(mut h: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

impl Report {
    /// An empty report: every registry is missing until it is fed.
    pub const fn new(implementation: &'static str) -> Report {
        Report {
            implementation,
            parts: [Part {
                found: 0,
                ok: false,
            }; 5],
            checksum: 0,
        }
    }

    /// Compares `items` with `expected` as multisets; the checksum is a wrapping sum of per-item
    /// hashes, so it does not depend on the order either.
    fn tally<T: PartialEq + Copy>(
        &mut self,
        index: usize,
        expected: &[T],
        items: impl IntoIterator<Item = T>,
        bytes: impl Fn(&T, &mut dyn FnMut(&[u8])),
    ) {
        let mut seen = [0u32; 8];
        let mut found = 0u32;
        let mut unknown = false;
        for item in items {
            found += 1;
            let mut h = fnv1a(0x811c_9dc5, &[index as u8]);
            bytes(&item, &mut |b| h = fnv1a(h, b));
            self.checksum = self.checksum.wrapping_add(h);
            match expected.iter().position(|e| *e == item) {
                Some(j) => seen[j] += 1,
                None => unknown = true,
            }
        }
        let ok = !unknown
            && found as usize == expected.len()
            && seen[..expected.len()].iter().all(|&n| n == 1);
        self.parts[index] = Part { found, ok };
    }

    /// The `names` registry.
    pub fn names(&mut self, items: impl IntoIterator<Item = &'static str>) -> &mut Self {
        self.tally(0, &NAMES, items, |s, f| f(s.as_bytes()));
        self
    }

    /// The `cmds` registry: each function is called with [`INPUT`].
    pub fn cmds(&mut self, items: impl IntoIterator<Item = fn(u32) -> u32>) -> &mut Self {
        self.tally(
            1,
            &CMD_RESULTS,
            items.into_iter().map(|f| f(INPUT)),
            |n, f| f(&n.to_le_bytes()),
        );
        self
    }

    /// The `plugins` registry (own items and the dependency's).
    pub fn plugins(&mut self, items: impl IntoIterator<Item = &'static str>) -> &mut Self {
        self.tally(2, &PLUGINS, items, |s, f| f(s.as_bytes()));
        self
    }

    /// The `facts` registry (items under target `#[cfg]`s).
    pub fn facts(&mut self, items: impl IntoIterator<Item = &'static str>) -> &mut Self {
        self.tally(3, &FACTS, items, |s, f| f(s.as_bytes()));
        self
    }

    /// The `limits` registry.
    pub fn limits(&mut self, items: impl IntoIterator<Item = u32>) -> &mut Self {
        self.tally(4, &LIMITS, items, |n, f| f(&n.to_le_bytes()));
        self
    }

    /// 0 if every registry holds exactly what it must; otherwise bit `i` is set for each wrong
    /// `REGISTRIES[i]`.
    pub fn status(&self) -> u32 {
        let mut s = 0;
        for (i, p) in self.parts.iter().enumerate() {
            if !p.ok {
                s |= 1 << i;
            }
        }
        s
    }

    /// The number of items found in all registries.
    pub fn found(&self) -> u32 {
        self.parts.iter().map(|p| p.found).sum()
    }

    /// The order-independent checksum of all items (it depends on the target's `facts`).
    pub fn checksum(&self) -> u32 {
        self.checksum
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "fixture impl={} status={} items={}/{} checksum={:#010x}",
            self.implementation,
            if self.status() == 0 { "ok" } else { "FAIL" },
            self.found(),
            EXPECTED_ITEMS,
            self.checksum
        )?;
        for ((name, p), expected) in REGISTRIES.iter().zip(&self.parts).zip(EXPECTED) {
            write!(
                f,
                " {name}={}/{expected}{}",
                p.found,
                if p.ok { "" } else { "!" }
            )?;
        }
        Ok(())
    }
}

const EXPECTED: [u32; 5] = [
    NAMES.len() as u32,
    CMD_RESULTS.len() as u32,
    PLUGINS.len() as u32,
    FACTS.len() as u32,
    LIMITS.len() as u32,
];

/// A fixed buffer that a report line is written into, for entry points without `std` (C and
/// wasm callers read it as a NUL-terminated string).
pub struct LineBuf {
    buf: [u8; 256],
    len: usize,
}

impl LineBuf {
    /// An empty buffer.
    pub const fn new() -> LineBuf {
        LineBuf {
            buf: [0; 256],
            len: 0,
        }
    }

    /// Renders `report` into the buffer, NUL-terminated (truncated if it does not fit).
    pub fn render(&mut self, report: &Report) -> &[u8] {
        self.len = 0;
        let _ = fmt::write(self, format_args!("{report}"));
        self.buf[self.len] = 0;
        &self.buf[..self.len]
    }

    /// The NUL-terminated line.
    pub fn as_ptr(&self) -> *const u8 {
        self.buf.as_ptr()
    }
}

impl Default for LineBuf {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Write for LineBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.buf.len() - 1 - self.len;
        let n = s.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}
