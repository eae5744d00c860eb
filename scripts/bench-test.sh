#!/usr/bin/env bash
# Benchmark (not a test): gather-test against libtest on a generated suite of trivial tests,
# built and run in the same run.
#
#   scripts/bench-test.sh [--tests N] [--runs R] [--release] [--harness-only]
#
# Generates a crate (in $BENCH_DIR, default /tmp/gather-test-bench) with two test targets holding
# the same N tests (default 10,000, in inline modules of 100): `libtest` (`#[test]`) and `gather`
# (harness = false, `#[gather_test::test]` and `gather_test::main!()`: what a user writes).
# Measures the compile time of each target (its source touched, dependencies built), then times
# R runs (default 7, alternating) of each scenario and prints the medians and gather/libtest
# ratios. Ratio < 1: gather-test is faster. With --harness-only the `gather` target is
# gather-harness alone: a hand-written static array of gather_harness::Test, no macros, no
# registry (the runner's own cost).
set -euo pipefail

tests=10000
runs=7
profile_flag=()
profile=debug
harness_only=0
while [ $# -gt 0 ]; do
    case "$1" in
        --tests) tests="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --release) profile_flag=(--release); profile=release; shift ;;
        --harness-only) harness_only=1; shift ;;
        *) echo "usage: $0 [--tests N] [--runs R] [--release] [--harness-only]" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${BENCH_DIR:-/tmp/gather-test-bench}"
if [ "$harness_only" = 1 ]; then
    dir="${BENCH_DIR:-/tmp/gather-harness-bench}"
    dependency="gather-harness = { path = \"$root/crates/gather-harness\" }"
    attribute=""
else
    dependency="gather-test = { path = \"$root/crates/gather-test\" }"
    attribute="#[gather_test::test] "
fi
target="${CARGO_TARGET_DIR:-$dir/target}"
mkdir -p "$dir/tests" "$dir/src"

# Write files only when they change: a new mtime on Cargo.toml makes cargo rebuild everything.
write_if_changed() {
    local file="$1" new
    new="$(cat)"
    [ -f "$file" ] && [ "$(cat "$file")" = "$new" ] || printf '%s\n' "$new" > "$file"
}

write_if_changed "$dir/Cargo.toml" <<EOF
[package]
name = "test-bench"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dev-dependencies]
$dependency

[[test]]
name = "libtest"
path = "tests/libtest.rs"

[[test]]
name = "gather"
path = "tests/gather.rs"
harness = false
EOF
echo "" | write_if_changed "$dir/src/lib.rs"

# Regenerate the sources only when N changes (keeps cargo's cache warm).
# N tests in modules of 100, each test function preceded by $1 (an attribute, or nothing).
modules() {
    local mod=-1 m i
    for ((i = 0; i < tests; i++)); do
        m=$((i / 100))
        if [ "$m" != "$mod" ]; then
            [ "$mod" -ge 0 ] && echo "}"
            printf 'mod m%04d {\n' "$m"
            mod=$m
        fi
        printf '    %spub fn t%05d() { assert!(std::hint::black_box(%d) < %d); }\n' "$1" "$i" "$i" "$tests"
    done
    echo "}"
}
stamp="$dir/tests/.count"
if [ "$(cat "$stamp" 2>/dev/null)" != "$tests" ]; then
    modules "#[test] " > "$dir/tests/libtest.rs"
    if [ "$harness_only" = 1 ]; then
        {
            echo "use gather_harness::{IntoTestResult, Test};"
            modules ""
            echo "static TESTS: &[Test] = &["
            for ((i = 0; i < tests; i++)); do
                m=$((i / 100))
                printf '    Test::new("m%04d::t%05d", || m%04d::t%05d().into_test_result()),\n' "$m" "$i" "$m" "$i"
            done
            echo "];"
            echo "fn main() { gather_harness::main(TESTS) }"
        } > "$dir/tests/gather.rs"
    else
        { echo "gather_test::main!();"; modules "$attribute"; } > "$dir/tests/gather.rs"
    fi
    echo "$tests" > "$stamp"
fi

echo "building $tests tests x 2 targets ($profile profile; the first build takes a while)..." >&2
( cd "$dir" && CARGO_TARGET_DIR="$target" cargo test --quiet "${profile_flag[@]}" --no-run --message-format=json ) > "$dir/build.json"
# Compile time of each test target alone: its source touched, everything else built.
TIMEFORMAT='%3R'
declare -A compile
for which in libtest gather; do
    touch "$dir/tests/$which.rs"
    compile[$which]=$( { time ( cd "$dir" && CARGO_TARGET_DIR="$target" cargo test --quiet "${profile_flag[@]}" --no-run --test "$which" >/dev/null 2>&1 ); } 2>&1 )
done
exe() { grep -o "\"executable\":\"[^\"]*/deps/$1-[^\"/]*\"" "$dir/build.json" | head -1 | sed 's/"executable":"//; s/"$//'; }
libtest_bin="$(exe libtest)"
gather_bin="$(exe gather)"
[ -x "$libtest_bin" ] && [ -x "$gather_bin" ] || { echo "could not find the built binaries" >&2; exit 1; }
for bin in "$libtest_bin" "$gather_bin"; do
    listed=$("$bin" --list --format terse | wc -l)
    [ "$listed" -eq "$tests" ] || { echo "$bin lists $listed tests, expected $tests" >&2; exit 1; }
done

# median of a column of numbers on stdin
median() {
    sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

last_name=$(printf 'm%04d::t%05d' $(((tests - 1) / 100)) $((tests - 1)))
scenarios=(
    "run (default threads)|"
    "run --test-threads 1|--test-threads 1"
    "run -q (terse)|-q"
    "filter substring (1%)|m0001::"
    "--exact one test (nextest)|--exact $last_name --nocapture"
    "--list|--list"
    "--list --format terse|--list --format terse"
)

printf '\n%s tests, %s profile, %s alternating runs each; medians in ms.\n' "$tests" "$profile" "$runs"
printf 'compile time of the test target alone (s): libtest %s, gather %s\n' "${compile[libtest]}" "${compile[gather]}"
printf 'wall = elapsed time; cpu = user + sys time (steadier on a busy machine). ratio = gather / libtest.\n\n'
printf '%-28s %9s %9s %6s   %9s %9s %6s\n' "scenario" "libtest" "gather" "ratio" "libtest" "gather" "ratio"
printf '%-28s %9s %9s %6s   %9s %9s %6s\n' "" "wall" "wall" "" "cpu" "cpu" ""
printf '%-28s %9s %9s %6s   %9s %9s %6s\n' "----------------------------" "---------" "---------" "------" "---------" "---------" "------"
unset RUST_TEST_THREADS RUST_TEST_NOCAPTURE
TIMEFORMAT='%3R %3U %3S'
for scenario in "${scenarios[@]}"; do
    label="${scenario%%|*}"
    read -r -a args <<< "${scenario#*|}"
    : > "$dir/t.libtest"
    : > "$dir/t.gather"
    for ((r = 0; r < runs; r++)); do
        for which in libtest gather; do
            bin=$libtest_bin
            [ "$which" = gather ] && bin=$gather_bin
            { time "$bin" "${args[@]}" > /dev/null 2>&1; } 2>> "$dir/t.$which" \
                || { echo "$which failed: $bin ${args[*]}" >&2; exit 1; }
        done
    done
    lw=$(awk '{ print $1 * 1000 }' "$dir/t.libtest" | median)
    gw=$(awk '{ print $1 * 1000 }' "$dir/t.gather" | median)
    lc=$(awk '{ print ($2 + $3) * 1000 }' "$dir/t.libtest" | median)
    gc=$(awk '{ print ($2 + $3) * 1000 }' "$dir/t.gather" | median)
    awk -v label="$label" -v lw="$lw" -v gw="$gw" -v lc="$lc" -v gc="$gc" 'BEGIN {
        printf "%-28s %9.1f %9.1f %6.2f   %9.1f %9.1f %6.2f\n", label, lw, gw, (lw > 0 ? gw / lw : 0), lc, gc, (lc > 0 ? gc / lc : 0)
    }'
done
