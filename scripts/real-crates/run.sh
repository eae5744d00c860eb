#!/usr/bin/env bash
# run.sh -- differential test of gather's scan against rustc on real crates from crates.io
# (see README.md in this directory). Everything is done by run.py; this wrapper exists so the
# command line matches the other scripts (bash scripts/...).
#
#   bash scripts/real-crates/run.sh                 every case of corpus.txt
#   bash scripts/real-crates/run.sh --fast          the CI subset (cases tagged `fast`)
#   options: --only REGEX       cases whose "name-version-label" matches REGEX
#            --gather PATH      the gather crate to test (default: crates/gather of this repo)
#            --markdown FILE    also write the table as Markdown (RESULTS.md is made this way)
#            --work DIR         scratch dir (default $REAL_CRATES_DIR or target/real-crates)
#            --sabotage drop|hide   break the instrument on purpose, to see that cases can fail
#
# Exit status: 0 if every case passes, 1 if any fails (or could not be built plainly).
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/run.py" "$@"
