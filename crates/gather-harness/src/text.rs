//! Text kept in a fixed buffer, for runners without an allocator.

use core::fmt;

/// Text written with [`fmt::Write`] into `N` bytes, for runners without an allocator (the
/// bare-metal runner of gather-test keeps panic messages and failure reports in these). A write
/// that does not fit is cut at a character boundary, and from then on everything written is
/// dropped and counted, so the text never has a hole in the middle.
///
/// ```
/// use core::fmt::Write;
/// use gather_harness::FixedText;
///
/// let mut text = FixedText::<8>::new();
/// write!(text, "{}", "0123456789").unwrap();
/// assert_eq!(text.as_str(), "01234567");
/// assert_eq!(text.cut_bytes(), 2);
/// ```
#[derive(Clone)]
pub struct FixedText<const N: usize> {
    bytes: [u8; N],
    len: usize,
    /// Bytes that did not fit (plus those counted with [`FixedText::count_cut`]).
    cut: usize,
    /// A write did not fit: later writes are dropped too.
    full: bool,
}

/// A position in a [`FixedText`] to go back to with [`FixedText::rewind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    len: usize,
    cut: usize,
    full: bool,
}

impl<const N: usize> FixedText<N> {
    /// Empty text.
    pub const fn new() -> Self {
        FixedText {
            bytes: [0; N],
            len: 0,
            cut: 0,
            full: false,
        }
    }

    /// The text kept.
    pub fn as_str(&self) -> &str {
        // Writes are cut at character boundaries, so this is always valid UTF-8.
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }

    /// How many bytes did not fit.
    pub fn cut_bytes(&self) -> usize {
        self.cut
    }

    /// Adds `bytes` to [`FixedText::cut_bytes`]: text cut before it was written here (a
    /// message cut in its own buffer, copied into this one).
    pub fn count_cut(&mut self, bytes: usize) {
        self.cut += bytes;
    }

    /// The current end, to [`FixedText::rewind`] to.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            len: self.len,
            cut: self.cut,
            full: self.full,
        }
    }

    /// Drops what was written after `checkpoint`, cut bytes included.
    pub fn rewind(&mut self, checkpoint: Checkpoint) {
        self.len = checkpoint.len.min(self.len);
        self.cut = checkpoint.cut;
        self.full = checkpoint.full;
    }
}

impl<const N: usize> Default for FixedText<N> {
    fn default() -> Self {
        FixedText::new()
    }
}

impl<const N: usize> fmt::Write for FixedText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = if self.full { 0 } else { N - self.len };
        let mut take = s.len().min(room);
        while !s.is_char_boundary(take) {
            take -= 1;
        }
        self.bytes[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        if take < s.len() {
            self.full = true;
            self.cut += s.len() - take;
        }
        Ok(())
    }
}

impl<const N: usize> fmt::Debug for FixedText<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    #[test]
    fn keeps_what_fits_and_counts_the_rest() {
        let mut text = FixedText::<5>::new();
        text.write_str("abc").unwrap();
        text.write_str("defg").unwrap();
        assert_eq!((text.as_str(), text.cut_bytes()), ("abcde", 2));
        // Full: nothing more is kept.
        text.write_str("h").unwrap();
        assert_eq!((text.as_str(), text.cut_bytes()), ("abcde", 3));
    }

    #[test]
    fn cuts_at_a_character_boundary_and_leaves_no_hole() {
        let mut text = FixedText::<4>::new();
        text.write_str("ab€").unwrap(); // € is 3 bytes: only "ab" fits
        assert_eq!((text.as_str(), text.cut_bytes()), ("ab", 3));
        // Would fit in the 2 bytes left, but follows a cut.
        text.write_str("c").unwrap();
        assert_eq!((text.as_str(), text.cut_bytes()), ("ab", 4));
    }

    #[test]
    fn rewinds_to_a_checkpoint() {
        let mut text = FixedText::<6>::new();
        text.write_str("ab").unwrap();
        let mark = text.checkpoint();
        text.write_str("cdefgh").unwrap();
        text.count_cut(10);
        text.rewind(mark);
        assert_eq!((text.as_str(), text.cut_bytes()), ("ab", 0));
        text.write_str("xy").unwrap();
        assert_eq!(text.as_str(), "abxy");
    }
}
