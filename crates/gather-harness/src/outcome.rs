//! How a test ended, and the counts of a run: what the runner decides and the printer prints.

use crate::measurement::Measurement;

/// How a test ended.
pub(crate) enum Outcome {
    Ok,
    Failed,
    /// Failed, with a note libtest appends to the output (`should_panic` mismatches).
    FailedMsg(String),
    Ignored,
    Bench(Measurement),
}

/// libtest's summary counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub ignored: usize,
    pub measured: usize,
}

impl Counts {
    pub(crate) fn count(&mut self, outcome: &Outcome) {
        let count = match outcome {
            Outcome::Ok => &mut self.passed,
            Outcome::Failed | Outcome::FailedMsg(_) => &mut self.failed,
            Outcome::Ignored => &mut self.ignored,
            Outcome::Bench(_) => &mut self.measured,
        };
        *count += 1;
    }

    pub(crate) fn succeeded(&self) -> bool {
        self.failed == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_outcome_once() {
        let mut counts = Counts::default();
        for outcome in [
            Outcome::Ok,
            Outcome::Ok,
            Outcome::Failed,
            Outcome::FailedMsg("note".to_owned()),
            Outcome::Ignored,
            Outcome::Bench(Measurement::default()),
        ] {
            counts.count(&outcome);
        }
        let expected = Counts {
            passed: 2,
            failed: 2,
            ignored: 1,
            measured: 1,
        };
        assert_eq!(counts, expected);
        assert!(!counts.succeeded());
    }
}
