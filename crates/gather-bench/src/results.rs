//! What a bench-mode run produces, one [`Row`] per benchmark: the data the terminal table, the
//! JSON lines and the HTML report are written from.

use crate::engine::Samples;
use crate::stats::{Change, Estimates, Outliers};

/// Confidence level of every interval in the results.
pub(crate) const CONFIDENCE: f64 = 0.95;

/// One benchmark's line of the run.
pub(crate) struct Row {
    pub name: &'static str,
    pub outcome: Outcome,
}

/// How a benchmark's run ended.
pub(crate) enum Outcome {
    Measured(Box<Measured>),
    Ignored(Option<&'static str>),
    Failed(String),
}

/// A measured benchmark: its samples and the statistics on them.
pub(crate) struct Measured {
    pub samples: Samples,
    pub est: Estimates,
    pub outliers: Outliers,
    pub comparison: Option<Comparison>,
}

/// The benchmark against its samples in a saved baseline.
pub(crate) struct Comparison {
    pub baseline: String,
    pub old: Vec<f64>,
    pub change: Change,
}
