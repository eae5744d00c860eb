#!/usr/bin/env bash
# Compile time of gather at two revisions on the same generated crate, alternating builds so that
# load from other work hits both alike (when the machine is shared, separate runs of
# bench-compile.py can only be compared through their ratios to the floor).
#
#   bash scripts/bench-ab.sh BASE_REV HEAD_REV [N=10000] [PAIRS=6]
#
# Prints one line per build (`base|head seconds load`) and the medians. Uses bench-compile.py
# (one repetition per revision) to generate the crate and prebuild the dependencies, in
# /tmp/gather-ab-<rev>.
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1 head=$2 n=${3:-10000} pairs=${4:-6}
for rev in "$base" "$head"; do
  python3 scripts/bench-compile.py --n "$n" --runs 1 --approaches floor,gather --no-nightly --multi 1 \
    --gather-rev "$rev" --dir "/tmp/gather-ab-$rev" >/dev/null
done
declare -A times
for i in $(seq 1 "$pairs"); do
  for side in base head; do
    rev=${!side}
    dir=/tmp/gather-ab-$rev/crates/bench_gather_$n
    touch "$dir/src/main.rs"
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR=/tmp/gather-ab-$rev/target/stable-gather cargo build -q --release)
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    times[$side]+="$t "
    echo "$side $t load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
for side in base head; do
  echo "$side median: $(tr ' ' '\n' <<<"${times[$side]}" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')"
done
