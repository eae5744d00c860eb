//! Uses of other crates' macros that write libtest's `#[test]` themselves, recorded for the
//! framework's check (`framework::builtin_tests`).

use crate::attrs::{Attr, WRITER_ATTRIBUTES, WRITER_MACROS};
use crate::model::TestWriter;

use super::Walker;

impl Walker<'_> {
    /// `attr`, if it is the first of [`WRITER_ATTRIBUTES`] on its item, or another crate's
    /// attribute named `test` (`#[tokio::test]`) on an item without one of those, with the other
    /// attributes of the item (`above` and `below` it).
    pub(super) fn test_writer_attribute(&mut self, attr: &Attr, above: &[Attr], below: &[Attr]) {
        let is_writer = |a: &Attr| {
            a.path
                .last()
                .is_some_and(|n| WRITER_ATTRIBUTES.contains(&n.as_str()))
        };
        let named_test = attr.path.len() > 1 && attr.path.last().is_some_and(|n| n == "test");
        let recorded = match is_writer(attr) {
            true => !above.iter().any(is_writer),
            false => named_test && !above.iter().chain(below).any(is_writer),
        };
        if !recorded {
            return;
        }
        let beside = above
            .iter()
            .chain(below)
            .filter(|a| !super::is_inert(a))
            .map(|a| a.path.clone())
            .collect();
        let mut cfg = self.cfg.clone();
        cfg.extend(attr.condition.clone());
        self.push_writer(attr.path.clone(), true, beside, attr.at, cfg);
    }

    /// A function-like macro call `path!(..)` at `at`, if it is one of [`WRITER_MACROS`].
    pub(super) fn test_writer_macro(&mut self, path: &[String], at: (usize, usize)) {
        if path
            .last()
            .is_some_and(|n| WRITER_MACROS.contains(&n.as_str()))
        {
            self.push_writer(path.to_vec(), false, Vec::new(), at, self.cfg.clone());
        }
    }

    fn push_writer(
        &mut self,
        path: Vec<String>,
        attribute: bool,
        beside: Vec<Vec<String>>,
        at: (usize, usize),
        cfg: Vec<crate::cfg::Cfg>,
    ) {
        // In a macro's body, read from its text: the invocation's place is the one to show.
        let (line, column) = match self.in_macro_definition {
            true => self.invoked_at,
            false => at,
        };
        let writer = TestWriter {
            path,
            attribute,
            beside,
            scope: self.scope,
            file: self.file.clone(),
            line,
            column,
            cfg,
        };
        // A macro's body is read at each invocation: one use at one place in one scope is enough.
        let key = (writer.scope, line, column, writer.file.clone());
        if self.writers_seen.insert(key) {
            self.krate.test_writers.push(writer);
        }
    }
}
