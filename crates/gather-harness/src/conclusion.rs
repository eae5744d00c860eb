//! What a run concludes with: its counts and exit code.

/// Exit code of a run with a failure, an argument error or an I/O error (libtest's).
pub const ERROR_EXIT_CODE: i32 = 101;

/// What a run did: libtest's summary counts, and whether it failed for another reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Conclusion {
    /// Tests that passed.
    pub passed: usize,
    /// Tests that failed.
    pub failed: usize,
    /// Tests reported as ignored.
    pub ignored: usize,
    /// Benchmarks measured.
    pub measured: usize,
    /// Tests left out by the filters.
    pub filtered_out: usize,
    /// A usage error, an I/O error writing the output, or `--exact` filters that selected no
    /// test; already reported on stderr.
    pub error: bool,
}

impl Conclusion {
    /// Whether the run failed (a test failed, or [`Conclusion::error`]).
    pub fn has_failed(&self) -> bool {
        self.failed > 0 || self.error
    }

    /// 101 ([`ERROR_EXIT_CODE`]) if the run failed, else 0.
    pub fn exit_code(&self) -> i32 {
        if self.has_failed() {
            ERROR_EXIT_CODE
        } else {
            0
        }
    }

    /// Exits the process with [`Conclusion::exit_code`].
    pub fn exit(&self) -> ! {
        std::process::exit(self.exit_code())
    }

    pub(crate) fn errored() -> Conclusion {
        Conclusion {
            error: true,
            ..Conclusion::default()
        }
    }
}
