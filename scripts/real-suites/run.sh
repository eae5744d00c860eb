#!/usr/bin/env bash
# run.sh -- gather-test on real test suites: ports crates.io crates' integration tests to
# gather-test mechanically and compares per-target passed/failed/ignored counts with libtest
# (cargo test and cargo nextest). Everything is done by run.py; this wrapper keeps the command
# line like the other scripts' (bash scripts/...).
#
#   bash scripts/real-suites/run.sh                       every crate of corpus.txt
#   options: --only REGEX          targets whose "NAME-VERSION/TARGET" matches REGEX
#            --gather-test PATH    the gather-test crate to port to (default: this repo's)
#            --markdown FILE       also write the table as Markdown (RESULTS.md is made this way)
#            --work DIR            scratch dir (default $REAL_SUITES_DIR or target/real-suites)
#            --no-nextest          cargo test only
#
# Exit status: 0 if every target counts the same on both sides, 1 otherwise.
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/run.py" "$@"
