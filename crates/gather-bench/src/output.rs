//! Writing a run's results: the terminal table, JSON lines and the HTML report.

pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod table;
