#!/usr/bin/env bash
# cross-matrix.sh -- build and RUN the fixture family of tests/cross/ on every target and build
# profile, and gather-plugin's host and plugins (tests/fixtures/plugins) on Linux and Windows,
# print a table (target x check -> pass/FAIL with the reason), exit non-zero if any of gather's
# cells fails.
#
#   bash scripts/cross-matrix.sh            gather only (what CI runs)
#   bash scripts/cross-matrix.sh --peers    also the same fixtures ported to linkme and inventory,
#                                           and a side-by-side table; peers' failures are expected,
#                                           shown, and never change the exit status
#   options: --only REGEX   run only the cells whose "target check" matches REGEX (e.g. 'thumb|wasm')
#            --markdown     print the tables as Markdown (as in scripts/CROSS.md)
#
# Needs scripts/setup-cross.sh (root, once): Debian's rustc-web + -Zbuild-std under /opt/rustweb,
# lld, cross gcc, QEMU, Wine, node. Host cells use the machine's own toolchain (rustup's cargo,
# stable) when there is one, and rustc-web otherwise.
# Target dirs: $CROSS_TARGET_DIR (default target/cross): host/ for the host toolchain, web/ for
# rustc-web, shared by every cross cell and implementation, so std is built once per target (and
# once more per target that has a release cell). Logs: $CROSS_TARGET_DIR/logs/<impl>/<cell>.log.
# See scripts/CROSS.md.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CROSS="$ROOT/tests/cross"
PLUGINS="$ROOT/tests/fixtures/plugins"   # gather-plugin's host and plugins (plugins cells)
TGT="${CROSS_TARGET_DIR:-$ROOT/target/cross}"
PREFIX="${RUSTWEB_PREFIX:-/opt/rustweb}"
LOGS="$TGT/logs"
RUN_TIMEOUT="${CROSS_RUN_TIMEOUT:-120}"   # seconds for one program run

IMPLS=(gather)
ONLY=""
MARKDOWN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --peers) IMPLS=(gather linkme inventory) ;;
    --only) ONLY="$2"; shift ;;
    --markdown) MARKDOWN=1 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "cross-matrix: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
export CARGO_TERM_COLOR=never
unset CARGO_INCREMENTAL CARGO_BUILD_TARGET RUSTFLAGS CARGO_ENCODED_RUSTFLAGS GATHER_SEED GATHER_DEBUG

# ------------------------------------------------------------------------------------------------
# toolchains
# ------------------------------------------------------------------------------------------------
HOST_CARGO=""
for c in $(type -ap cargo); do   # the machine's cargo, not rustc-web's
  case "$(readlink -f "$c")" in "$PREFIX"/*) ;; *) HOST_CARGO="$c"; break ;; esac
done
WEB_OK=0
[ -f "$PREFIX/env.sh" ] && [ -f "$PREFIX/cross.toml" ] && WEB_OK=1

# Both run cargo in $CARGO_DIR if it is set (the plugins fixture), else in tests/cross.
host_cargo() {   # host_cargo [VAR=VALUE...] ARGS... : the host toolchain, target dir host/
  local envs=()
  while [[ "${1:-}" == *=* ]]; do envs+=("$1"); shift; done
  if [ -n "$HOST_CARGO" ]; then
    (cd "${CARGO_DIR:-$CROSS}" && env -u RUSTC -u RUSTDOC -u RUSTC_BOOTSTRAP CARGO_TARGET_DIR="$TGT/host" \
      ${envs[@]+"${envs[@]}"} "$HOST_CARGO" "$@")
  else
    (. "$PREFIX/env.sh" && cd "${CARGO_DIR:-$CROSS}" && env CARGO_TARGET_DIR="$TGT/host" \
      ${envs[@]+"${envs[@]}"} cargo "$@")
  fi
}
# Cross dev builds leave out debuginfo: -Zbuild-std compiles std with the profile's settings, and
# debuginfo is a large part of that time while no cell reads it (the flash check uses the symbol
# table). `cargo run` in std_run must see the same setting, or it would rebuild.
WEB_ENV=(CARGO_PROFILE_DEV_DEBUG=false)
web_cargo() {    # web_cargo ARGS... : rustc-web with the cross config, target dir web/
  (. "$PREFIX/env.sh" && cd "${CARGO_DIR:-$CROSS}" && env "${WEB_ENV[@]}" CARGO_TARGET_DIR="$TGT/web" cargo --config "$CROSS_CONFIG" "$@")
}
host_version() { env -u RUSTC "$(dirname "$HOST_CARGO")/rustc" -V 2>/dev/null; }

# ------------------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------------------
declare -A RES DET SEEN_ROW
ROWS=()
FAILED=0
T0=$SECONDS
record() {   # record IMPL TARGET CHECK pass|FAIL DETAIL
  local key="$2|$3"
  [ -n "${SEEN_ROW[$key]:-}" ] || { ROWS+=("$key"); SEEN_ROW[$key]=1; }
  RES["$1|$key"]=$4
  DET["$1|$key"]=$5
  [ "$1" = gather ] && [ "$4" != pass ] && FAILED=$((FAILED + 1))
  printf '[%5ss] %-9s %-30s %-16s %s  %s\n' "$((SECONDS - T0))" "$1" "$2" "$3" "$4" "$5" >&2
}
selected() { [ -z "$ONLY" ] || [[ "$1 $2" =~ $ONLY ]]; }

clip() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; [ ${#s} -gt 110 ] && s="${s:0:107}..."; printf '%s' "$s"; }

build_reason() {   # the most telling line of a failed build log
  local l
  l=$(grep -a -m1 -E 'rust-lld: error:|ld(\.lld)?: error:|undefined reference to|undefined symbol|multiple definition' "$1") ||
    l=$(grep -a -m1 -E '^error(\[E[0-9]+\])?: ' "$1") || l=$(tail -n1 "$1")
  l="${l#*note: }"
  clip "$l"
}

# judge IMPL TARGET CHECK OUTPUT_FILE EXIT: the program must print a report line with status=ok
# and exit 0.
judge() {
  local line bad
  line=$(tr -d '\r' < "$4" | grep -a -m1 '^fixture impl=')
  if [ "$5" = 0 ] && [[ "$line" == *" status=ok "* ]]; then
    record "$1" "$2" "$3" pass "$(sed -E 's/.* (items=[0-9]+\/[0-9]+).*/\1/' <<<"$line")"
  elif [ -n "$line" ]; then
    bad=$(tr ' ' '\n' <<<"$line" | grep '!$' | tr -d '!' | tr '\n' ' ')
    record "$1" "$2" "$3" FAIL "$(sed -E 's/.* (items=[0-9]+\/[0-9]+).*/\1/' <<<"$line") wrong: ${bad% } (exit $5)"
  elif [ "$5" = 124 ]; then
    record "$1" "$2" "$3" FAIL "timed out after ${RUN_TIMEOUT}s"
  else
    record "$1" "$2" "$3" FAIL "exit $5, no report line: $(clip "$(grep -a -v '^\s*$' "$4" | tail -n1)")"
  fi
}

# run_program IMPL TARGET CHECK LOG CMD...: run, append output to LOG, judge.
run_program() {
  local impl=$1 target=$2 check=$3 log=$4 out rc
  shift 4
  out="$log.out"
  timeout -k 5 "$RUN_TIMEOUT" "$@" > "$out" 2>&1
  rc=$?
  { echo "== run: $*"; cat "$out"; echo "== exit $rc"; } >> "$log"
  judge "$impl" "$target" "$check" "$out" "$rc"
}

profile_dir() { if [ -n "$1" ]; then echo release; else echo debug; fi; }
logfile() { mkdir -p "$LOGS/$1"; echo "$LOGS/$1/$(tr '/ ' '__' <<<"$2-$3").log"; }

# ------------------------------------------------------------------------------------------------
# cells
# ------------------------------------------------------------------------------------------------
HOST=x86_64-unknown-linux-gnu

# host_profile IMPL CHECK PROFILE_DIR [VAR=VALUE...] -- CARGO_ARGS...
host_profile() {
  local impl=$1 check=$2 dir=$3 log envs=() args=()
  shift 3
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  args=("$@")
  selected "$HOST" "$check" || return 0
  log=$(logfile "$impl" "$HOST" "$check")
  if ! host_cargo ${envs[@]+"${envs[@]}"} build -p fixture-bin --features "$impl" ${args[@]+"${args[@]}"} > "$log" 2>&1; then
    record "$impl" "$HOST" "$check" FAIL "build: $(build_reason "$log")"; return
  fi
  if [ "$check" = "incremental on" ]; then   # an incremental rebuild after touching module files
    touch "$CROSS/$impl/fixture/src/lib.rs" "$CROSS/$impl/fixture/src/b/c.rs"
    if ! host_cargo ${envs[@]+"${envs[@]}"} build -p fixture-bin --features "$impl" >> "$log" 2>&1; then
      record "$impl" "$HOST" "$check" FAIL "rebuild: $(build_reason "$log")"; return
    fi
    grep -q 'Compiling fixture-' "$log" || { record "$impl" "$HOST" "$check" FAIL "touch did not rebuild"; return; }
  fi
  run_program "$impl" "$HOST" "$check" "$log" "$TGT/host/$dir/fixture"
}

host_cells() {
  local impl=$1 log T
  host_profile "$impl" "dev" debug -- 
  host_profile "$impl" "release" release -- --release
  host_profile "$impl" "lto fat" release CARGO_PROFILE_RELEASE_LTO=fat -- --release
  host_profile "$impl" "lto thin" release CARGO_PROFILE_RELEASE_LTO=thin -- --release
  host_profile "$impl" "codegen-units 1" release CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 -- --release
  host_profile "$impl" "opt-level z" release CARGO_PROFILE_RELEASE_OPT_LEVEL=z -- --release
  host_profile "$impl" "panic abort" debug CARGO_PROFILE_DEV_PANIC=abort -- 
  host_profile "$impl" "incremental on" debug CARGO_PROFILE_DEV_INCREMENTAL=true -- 
  host_profile "$impl" "incremental off" debug CARGO_PROFILE_DEV_INCREMENTAL=false -- 

  # C programs: a staticlib linked with a plain `cc main.c lib.a`, a cdylib loaded with dlopen
  if selected "$HOST" "staticlib in C" || selected "$HOST" "cdylib dlopen"; then
    log=$(logfile "$impl" "$HOST" "c-build")
    T="$TGT/host/c-$impl"; mkdir -p "$T"
    if ! host_cargo build -p fixture-c --features "$impl" > "$log" 2>&1; then
      record "$impl" "$HOST" "staticlib in C" FAIL "build: $(build_reason "$log")"
      record "$impl" "$HOST" "cdylib dlopen" FAIL "build: $(build_reason "$log")"
    else
      cp "$TGT/host/debug/libfixture.a" "$TGT/host/debug/libfixture.so" "$T/"
      log=$(logfile "$impl" "$HOST" "staticlib in C")
      if (cd "$T" && echo "== cc main_static.c libfixture.a" && cc -o main_static "$CROSS/entry/c/main_static.c" libfixture.a) > "$log" 2>&1; then
        run_program "$impl" "$HOST" "staticlib in C" "$log" "$T/main_static"
      else
        record "$impl" "$HOST" "staticlib in C" FAIL "cc: $(build_reason "$log")"
      fi
      log=$(logfile "$impl" "$HOST" "cdylib dlopen")
      if (cd "$T" && cc -o main_dlopen "$CROSS/entry/c/main_dlopen.c" -ldl) > "$log" 2>&1; then
        run_program "$impl" "$HOST" "cdylib dlopen" "$log" "$T/main_dlopen" "$T/libfixture.so"
      else
        record "$impl" "$HOST" "cdylib dlopen" FAIL "cc: $(build_reason "$log")"
      fi
    fi
  fi

  # gather's `const _: () = assert!(LIMITS.len() == 3)`, written for each implementation
  if selected "$HOST" "const len"; then
    log=$(logfile "$impl" "$HOST" "const len")
    if host_cargo check -p "fixture-$impl" --features const-len > "$log" 2>&1; then
      record "$impl" "$HOST" "const len" pass "len() asserted at compile time"
    else
      record "$impl" "$HOST" "const len" FAIL "$(build_reason "$log")"
    fi
  fi
}

no_web() { record "$1" "$2" "$3" FAIL "no $PREFIX/env.sh: run scripts/setup-cross.sh"; }

# std_run IMPL TARGET BUILD_STD [--release]: a std program under its runner (cross.toml)
std_run() {
  local impl=$1 target=$2 bstd=$3 rel=${4:-} check log
  check="run${rel:+ release}"
  selected "$target" "$check" || return 0
  [ "$WEB_OK" = 1 ] || { no_web "$impl" "$target" "$check"; return; }
  log=$(logfile "$impl" "$target" "$check")
  if ! web_cargo build -p fixture-bin --features "$impl" "$bstd" --target "$target" $rel > "$log" 2>&1; then
    record "$impl" "$target" "$check" FAIL "build: $(build_reason "$log")"; return
  fi
  run_program "$impl" "$target" "$check" "$log" \
    env "${WEB_ENV[@]}" bash -c '. "$1/env.sh" && cd "$2" && CARGO_TARGET_DIR="$3" cargo --config "$CROSS_CONFIG" run -q -p fixture-bin --features "$4" "$5" --target "$6" $7' \
    _ "$PREFIX" "$CROSS" "$TGT/web" "$impl" "$bstd" "$target" "$rel"
}

wasm_unknown() {   # IMPL [--release]: the no_std cdylib, called from node
  local impl=$1 rel=${2:-} target=wasm32-unknown-unknown check log
  check="node${rel:+ release}"
  selected "$target" "$check" || return 0
  [ "$WEB_OK" = 1 ] || { no_web "$impl" "$target" "$check"; return; }
  log=$(logfile "$impl" "$target" "$check")
  if ! web_cargo build -p fixture-wasm --features "$impl" -Zbuild-std=core,alloc --target "$target" $rel > "$log" 2>&1; then
    record "$impl" "$target" "$check" FAIL "build: $(build_reason "$log")"; return
  fi
  run_program "$impl" "$target" "$check" "$log" \
    node "$CROSS/entry/wasm/run.mjs" "$TGT/web/$target/$(profile_dir "$rel")/fixture_wasm.wasm"
}

# flash IMPL CHECK ELF: the registry data must lie in flash (below 0x20000000, in a read-only
# LOAD segment), not in RAM. QEMU's -kernel loads RAM segments too, so only the ELF tells.
flash() {
  local impl=$1 check=$2 elf=$3 target=thumbv7m-none-eabi segs objs bad=() good=0 where want
  local READELF=readelf
  command -v readelf >/dev/null || READELF=llvm-readelf
  # LOAD segments: vaddr memsz flags
  segs=$($READELF -lW "$elf" | awk '$1=="LOAD"{f=""; for(i=7;i<NF;i++) f=f $i; print $3, $6, f}')
  # want: how many there must be, so that a renamed symbol fails instead of passing with fewer
  case "$impl" in
    gather)   # the static array of each registry: <crate>::<REGISTRY>::ITEMS (4 static
              # registries + the dependency's; the const registry has no storage of its own),
              # and the sorted entries of the map, <crate>::CODES::ENTRIES
      want=6
      objs=$($READELF -sW -C "$elf" | awk '$4=="OBJECT" && $8 ~ /^fixture_gather(_dep)?::[A-Z_]+::(ITEMS|ENTRIES)$/ {print $2, $8}') ;;
    linkme)   # the slices' link sections (NAMES, CMDS, PLUGINS, FACTS, LIMITS)
      want=5
      objs=$($READELF -SW "$elf" | sed -E 's/^ *\[ *[0-9]+\] *//' | awk '$1 ~ /^linkme_/ {print $3, $1}') ;;
    inventory)  # the registered nodes, one per submit!
      want=16
      objs=$($READELF -sW -C "$elf" | awk '$4=="OBJECT" && $8 ~ /__INVENTORY/ {print $2, $8}') ;;
  esac
  if [ -z "$objs" ]; then
    record "$impl" "$target" "$check" FAIL "no registry data symbol/section found in the ELF"; return
  fi
  if [ "$(wc -l <<<"$objs")" != "$want" ]; then
    record "$impl" "$target" "$check" FAIL "found $(wc -l <<<"$objs") registry data symbols/sections in the ELF, expected $want"; return
  fi
  while read -r addr name; do
    where=""
    while read -r va sz fl; do
      if [ $((16#$addr)) -ge $((va)) ] && [ $((16#$addr)) -lt $((va + sz)) ]; then where=$fl; break; fi
    done <<<"$segs"
    if [ $((16#$addr)) -lt $((0x20000000)) ] && [ -n "$where" ] && [[ "$where" != *W* ]]; then
      good=$((good + 1))
    else
      bad+=("${name##*::} @0x$addr (${where:-no} segment)")
    fi
  done <<<"$objs"
  if [ ${#bad[@]} = 0 ]; then
    record "$impl" "$target" "$check" pass "$good/$good in flash (read-only)"
  else
    record "$impl" "$target" "$check" FAIL "$((${#bad[@]}))/$((good + ${#bad[@]})) in RAM: ${bad[0]}"
  fi
}

thumb() {   # IMPL [--release]: cortex-m-rt stock link.x, QEMU lm3s6965evb, semihosting
  local impl=$1 rel=${2:-} target=thumbv7m-none-eabi check log elf
  check="qemu${rel:+ release}"
  selected "$target" "$check" || selected "$target" "flash${rel:+ release}" || return 0
  [ "$WEB_OK" = 1 ] || { no_web "$impl" "$target" "$check"; return; }
  log=$(logfile "$impl" "$target" "$check")
  elf="$TGT/web/$target/$(profile_dir "$rel")/fixture-thumb"
  if ! web_cargo build -p fixture-thumb --features "$impl" -Zbuild-std=core,alloc --target "$target" $rel > "$log" 2>&1; then
    record "$impl" "$target" "$check" FAIL "build: $(build_reason "$log")"
    record "$impl" "$target" "flash${rel:+ release}" FAIL "no ELF: the build failed"
    return
  fi
  run_program "$impl" "$target" "$check" "$log" env QEMU_ARM_TIMEOUT="$RUN_TIMEOUT" "$PREFIX/bin/qemu-arm-runner" "$elf"
  flash "$impl" "flash${rel:+ release}" "$elf"
}

# check_only IMPL TARGET: cargo check of the fixture library (no linker or runtime for these
# targets here). The library is no_std and holds every registry and registration, so core,alloc
# suffice: checking std as well would cost a std build per target and test nothing of gather.
check_only() {
  local impl=$1 target=$2 log
  selected "$target" "check" || return 0
  [ "$WEB_OK" = 1 ] || { no_web "$impl" "$target" check; return; }
  log=$(logfile "$impl" "$target" check)
  if web_cargo check -p "fixture-$impl" -Zbuild-std=core,alloc --target "$target" > "$log" 2>&1; then
    record "$impl" "$target" "check" pass "cargo check"
  else
    record "$impl" "$target" "check" FAIL "$(build_reason "$log")"
  fi
}

# plugins IMPL TARGET: gather-plugin's host loads the cdylibs of tests/fixtures/plugins built next
# to it, and checks items and refusals itself (its report line has checks=12/12). gather only: the
# peers have no counterpart. The fixture is `panic = "abort"` (one plugin is a no_std cdylib),
# hence std,panic_abort.
plugins() {
  local impl=$1 target=$2 check=plugins log
  selected "$target" "$check" || return 0
  [ "$impl" = gather ] || { record "$impl" "$target" "$check" n/a "gather-plugin: no peer counterpart"; return; }
  log=$(logfile gather "$target" "$check")
  if [ "$target" = "$HOST" ]; then
    if ! CARGO_DIR="$PLUGINS" host_cargo build --workspace > "$log" 2>&1; then
      record gather "$target" "$check" FAIL "build: $(build_reason "$log")"; return
    fi
    run_program gather "$target" "$check" "$log" "$TGT/host/debug/plugin-host"
    return
  fi
  [ "$WEB_OK" = 1 ] || { no_web gather "$target" "$check"; return; }
  if ! CARGO_DIR="$PLUGINS" web_cargo build --workspace -Zbuild-std=std,panic_abort --target "$target" > "$log" 2>&1; then
    record gather "$target" "$check" FAIL "build: $(build_reason "$log")"; return
  fi
  run_program gather "$target" "$check" "$log" "$PREFIX/bin/wine-run" "$TGT/web/$target/debug/plugin-host.exe"
}

# plugins_check IMPL TARGET: cargo check of gather-plugin, the host and the plugins (no linker).
plugins_check() {
  local impl=$1 target=$2 check="plugins check" log
  selected "$target" "$check" || return 0
  [ "$impl" = gather ] || { record "$impl" "$target" "$check" n/a "gather-plugin: no peer counterpart"; return; }
  [ "$WEB_OK" = 1 ] || { no_web gather "$target" "$check"; return; }
  log=$(logfile gather "$target" "$check")
  if CARGO_DIR="$PLUGINS" web_cargo check --workspace -Zbuild-std=std,panic_abort --target "$target" > "$log" 2>&1; then
    record gather "$target" "$check" pass "cargo check of gather-plugin, host and plugins"
  else
    record gather "$target" "$check" FAIL "$(build_reason "$log")"
  fi
}

# tiny_log IMPL TARGET: examples/tiny-log-demo's program on TARGET (wasm32-wasip1 under node, or
# thumbv7m-none-eabi under QEMU through tests/cross/entry/tiny-log-thumb) sends its log stream as
# hex; the host build of the same crate decodes it with its own message table (no ELF, no linker
# script) and must get exactly what the host program logs. gather's example: no peer port.
TINY_LOG_HOST="$TGT/host-main/debug/tiny-log-demo"
tiny_log() {
  local impl=$1 target=$2 check=tiny-log log hex out rc expected decoded
  selected "$target" "$check" || return 0
  [ "$impl" = gather ] || { record "$impl" "$target" "$check" n/a "gather's example (examples/tiny-log)"; return; }
  [ "$WEB_OK" = 1 ] || { no_web "$impl" "$target" "$check"; return; }
  [ -n "$HOST_CARGO" ] || { record "$impl" "$target" "$check" FAIL "no host toolchain for the decoder"; return; }
  log=$(logfile "$impl" "$target" "$check")
  hex="$log.hex"
  if ! (cd "$ROOT" && env -u RUSTC -u RUSTDOC -u RUSTC_BOOTSTRAP CARGO_TARGET_DIR="$TGT/host-main" \
        "$HOST_CARGO" build -p tiny-log-demo) > "$log" 2>&1; then
    record "$impl" "$target" "$check" FAIL "host decoder build: $(build_reason "$log")"; return
  fi
  if [ "$target" = wasm32-wasip1 ]; then
    if ! (. "$PREFIX/env.sh" && cd "$ROOT" && env "${WEB_ENV[@]}" CARGO_TARGET_DIR="$TGT/web" \
          cargo --config "$CROSS_CONFIG" build -p tiny-log-demo -Zbuild-std=std,panic_abort --target "$target") >> "$log" 2>&1; then
      record "$impl" "$target" "$check" FAIL "build: $(build_reason "$log")"; return
    fi
    timeout -k 5 "$RUN_TIMEOUT" node --no-warnings "$PREFIX/bin/run-wasi.mjs" \
      "$TGT/web/$target/debug/tiny-log-demo.wasm" --emit > "$hex" 2>> "$log"
  else
    if ! web_cargo build -p tiny-log-thumb -Zbuild-std=core,alloc --target "$target" >> "$log" 2>&1; then
      record "$impl" "$target" "$check" FAIL "build: $(build_reason "$log")"; return
    fi
    timeout -k 5 "$RUN_TIMEOUT" env QEMU_ARM_TIMEOUT="$RUN_TIMEOUT" "$PREFIX/bin/qemu-arm-runner" \
      "$TGT/web/$target/debug/tiny-log-thumb" > "$hex" 2>> "$log"
  fi
  rc=$?
  expected=$("$TINY_LOG_HOST" 2>> "$log")
  decoded=$("$TINY_LOG_HOST" --decode < "$hex" 2>> "$log")
  { echo "== stream (exit $rc)"; cat "$hex"; echo "== decoded"; echo "$decoded"; } >> "$log"
  if [ "$rc" = 0 ] && [ -n "$expected" ] && [ "$decoded" = "$expected" ]; then
    record "$impl" "$target" "$check" pass "$(wc -l <<<"$decoded") messages in $(( $(tr -d '[:space:]' < "$hex" | wc -c) / 2 )) bytes, decoded on the host"
  else
    record "$impl" "$target" "$check" FAIL "exit $rc; decoded: $(clip "$(head -c 200 <<<"$decoded")")"
  fi
}

# shapes_map TARGET BUILD_STD [--release]: the `shapes` example of the root workspace (a
# gather::Map of deserializers merged from two crates, issue 14) under the target's runner; gather
# only (the peers have no maps). Its own target dir: it is another workspace.
shapes_map() {
  local target=$1 bstd=$2 rel=${3:-} check log out rc
  check="map shapes${rel:+ release}"
  selected "$target" "$check" || return 0
  [ "$WEB_OK" = 1 ] || { no_web gather "$target" "$check"; return; }
  log=$(logfile gather "$target" "$check")
  out="$log.out"
  (. "$PREFIX/env.sh" && cd "$ROOT" && env "${WEB_ENV[@]}" CARGO_TARGET_DIR="$TGT/web-root" \
    timeout -k 5 900 cargo --config "$CROSS_CONFIG" run -q -p shapes "$bstd" --target "$target" $rel) > "$out" 2>&1
  rc=$?
  cat "$out" > "$log"
  if [ "$rc" = 0 ] && grep -q '^tags: \["Circle", "Rectangle", "Square", "Triangle"\]$' "$out" &&
     grep -q '^Rectangle 10.000$' "$out" && grep -q '^unknown shape `Hexagon`$' "$out"; then
    record gather "$target" "$check" pass "4 shapes of 2 crates round trip by tag"
  else
    record gather "$target" "$check" FAIL "exit $rc: $(clip "$(grep -a -v '^\s*$' "$out" | tail -n1)")"
  fi
}

all_cells() {
  local impl=$1
  host_cells "$impl"
  std_run "$impl" i686-unknown-linux-gnu -Zbuild-std
  std_run "$impl" aarch64-unknown-linux-gnu -Zbuild-std
  std_run "$impl" riscv64gc-unknown-linux-gnu -Zbuild-std
  std_run "$impl" s390x-unknown-linux-gnu -Zbuild-std
  std_run "$impl" x86_64-pc-windows-gnu -Zbuild-std
  std_run "$impl" wasm32-wasip1 -Zbuild-std=std,panic_abort
  std_run "$impl" wasm32-wasip1 -Zbuild-std=std,panic_abort --release
  if [ "$impl" = gather ]; then
    shapes_map wasm32-wasip1 -Zbuild-std=std,panic_abort
    shapes_map wasm32-wasip1 -Zbuild-std=std,panic_abort --release
  else   # a row for the peers too, which the side-by-side table prints
    for check in "map shapes" "map shapes release"; do
      selected wasm32-wasip1 "$check" && record "$impl" wasm32-wasip1 "$check" n/a "gather's example (maps)"
    done
  fi
  wasm_unknown "$impl"
  wasm_unknown "$impl" --release
  thumb "$impl"
  thumb "$impl" --release
  tiny_log "$impl" wasm32-wasip1
  tiny_log "$impl" thumbv7m-none-eabi
  check_only "$impl" x86_64-apple-darwin
  check_only "$impl" aarch64-apple-darwin
  check_only "$impl" x86_64-pc-windows-msvc
  plugins "$impl" "$HOST"
  plugins "$impl" x86_64-pc-windows-gnu
  plugins_check "$impl" x86_64-apple-darwin
  plugins_check "$impl" aarch64-apple-darwin
}

# ------------------------------------------------------------------------------------------------
# run
# ------------------------------------------------------------------------------------------------
mkdir -p "$LOGS"
echo "cross-matrix: implementations: ${IMPLS[*]}; target dir $TGT" >&2
if [ -n "$HOST_CARGO" ]; then echo "cross-matrix: host toolchain: $HOST_CARGO ($(host_version))" >&2
else echo "cross-matrix: host toolchain: none besides rustc-web, which is used for the host too" >&2; fi
if [ "$WEB_OK" = 1 ]; then echo "cross-matrix: cross toolchain: $(. "$PREFIX/env.sh" && rustc -V) + -Zbuild-std" >&2
else echo "cross-matrix: WARNING: $PREFIX/env.sh missing (scripts/setup-cross.sh): cross cells fail" >&2; fi

for impl in "${IMPLS[@]}"; do
  all_cells "$impl"
done
[ ${#ROWS[@]} -gt 0 ] || { echo "cross-matrix: no cell matches --only '$ONLY'" >&2; exit 2; }

# ------------------------------------------------------------------------------------------------
# tables
# ------------------------------------------------------------------------------------------------
cell() { local r=${RES["$1|$2"]:-} d=${DET["$1|$2"]:-}; [ "$r" = pass ] && printf 'pass' || printf 'FAIL: %s' "$d"; }
print_table() {   # print_table IMPL
  local key n=0 f=0
  echo
  echo "== $1 (${#ROWS[@]} cells)"
  if [ "$MARKDOWN" = 1 ]; then
    echo "| target | check | $1 | detail |"; echo "|---|---|---|---|"
  else
    printf '%-30s %-16s %-6s %s\n' target check result detail
  fi
  for key in "${ROWS[@]}"; do
    n=$((n + 1)); [ "${RES["$1|$key"]}" = pass ] || f=$((f + 1))
    if [ "$MARKDOWN" = 1 ]; then
      printf '| %s | %s | %s | %s |\n' "${key%%|*}" "${key#*|}" "${RES["$1|$key"]}" "${DET["$1|$key"]}"
    else
      printf '%-30s %-16s %-6s %s\n' "${key%%|*}" "${key#*|}" "${RES["$1|$key"]}" "${DET["$1|$key"]}"
    fi
  done
  echo "$1: $n cells, $((n - f)) pass, $f FAIL"
}
for impl in "${IMPLS[@]}"; do print_table "$impl"; done

if [ ${#IMPLS[@]} -gt 1 ]; then
  echo
  echo "== side by side (gather vs peers)"
  printf '| target | check |'; for impl in "${IMPLS[@]}"; do printf ' %s |' "$impl"; done; echo
  printf '|---|---|'; for _ in "${IMPLS[@]}"; do printf -- '---|'; done; echo
  for key in "${ROWS[@]}"; do
    printf '| %s | %s |' "${key%%|*}" "${key#*|}"
    for impl in "${IMPLS[@]}"; do printf ' %s |' "$(cell "$impl" "$key")"; done
    echo
  done
fi

echo
echo "cross-matrix: $((SECONDS - T0)) s wall; logs in $LOGS"
if [ "$FAILED" -gt 0 ]; then
  echo "cross-matrix: $FAILED of gather's cells FAILED"
  exit 1
fi
echo "cross-matrix: all of gather's cells passed"
