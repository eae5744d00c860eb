#!/usr/bin/env bash
# setup-cross.sh -- make a Debian 12 (bookworm) amd64 machine BUILD and RUN Rust code for
#   wasm32-unknown-unknown (node), wasm32-wasip1 (node WASI), thumbv7m-none-eabi (qemu-system-arm,
#   lm3s6965evb, semihosting), x86_64-pc-windows-gnu (Wine), i686/aarch64/riscv64gc/s390x linux-gnu
#   (qemu-user), and `cargo check` for x86_64/aarch64-apple-darwin and x86_64-pc-windows-msvc.
#
# Why this way: rustup's download server may be unreachable, so we do not rely on `rustup target add`.
# Instead Debian's rustc-web/cargo-web (bookworm-security) and the matching library sources
# (rust-web-src) are unpacked into a private prefix, and std is built per target with
# `RUSTC_BOOTSTRAP=1 cargo -Zbuild-std`. Nothing is put in /usr/bin; a rustup install is untouched.
# Needs only Debian's apt mirrors (bookworm, bookworm-security, one arch:all .deb from sid) and
# crates.io (std's own dependencies, fetched here once). Idempotent: re-running only fixes what is missing.
#
# Usage:  sudo bash scripts/setup-cross.sh
#   env:  RUSTWEB_PREFIX=/opt/rustweb  WITH_WINE=1  WITH_WASMTIME_PY=0  WASMTIME_VENV=$PREFIX/wasmtime-venv
#         KEEP_FULL_SRC=0  SKIP_APT_UPDATE=0
# Then:   source /opt/rustweb/env.sh
#         cargo --config /opt/rustweb/cross.toml run -Zbuild-std --target aarch64-unknown-linux-gnu
# See scripts/CROSS.md for per-target command lines.
set -euo pipefail

PREFIX="${RUSTWEB_PREFIX:-/opt/rustweb}"
WITH_WINE="${WITH_WINE:-1}"
WITH_WASMTIME_PY="${WITH_WASMTIME_PY:-0}"
WASMTIME_VENV="${WASMTIME_VENV:-$PREFIX/wasmtime-venv}"
export DEBIAN_FRONTEND=noninteractive
log() { printf '[setup-cross %4ss] %s\n' "$SECONDS" "$*"; }
die() { printf '[setup-cross] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'die "failed at line $LINENO (exit $?)"' ERR
[ "$(id -u)" = 0 ] || die "run as root"
[ "$(dpkg --print-architecture)" = amd64 ] || die "needs an amd64 Debian host"
log "prefix $PREFIX"

# -------------------------------------------------------------------------------------------
# 0. Does rustup work here? Only reported: the rest never depends on rustup targets.
# -------------------------------------------------------------------------------------------
if command -v rustup >/dev/null 2>&1; then
  DIST="${RUSTUP_DIST_SERVER:-https://static.rust-lang.org}"
  if ! command -v curl >/dev/null; then
    log "rustup: cannot probe $DIST (no curl yet) -> rustc-web + -Zbuild-std"
  elif curl -fsS -m 15 -o /dev/null "$DIST/dist/channel-rust-stable.toml.sha256" 2>/dev/null; then
    log "rustup: dist server $DIST reachable ('rustup target add' should work, but is not used here)"
  else
    log "rustup: dist server $DIST NOT reachable ('rustup target add' fails) -> rustc-web + -Zbuild-std"
  fi
else
  log "rustup: not installed -> rustc-web + -Zbuild-std"
fi

if [ "${SKIP_APT_UPDATE:-0}" != 1 ]; then
  log "apt-get update"
  apt-get update -qq
fi

# -------------------------------------------------------------------------------------------
# 1. rustc-web / cargo-web / libstd-rust-web / rust-web-src, all of the SAME version,
#    unpacked (not installed: rustc-web conflicts with rustup's and Debian's rustc).
# -------------------------------------------------------------------------------------------
V=$(apt-cache policy rustc-web | awk '/Candidate:/{print $2}')
{ [ -n "$V" ] && [ "$V" != "(none)" ]; } || die "rustc-web not available: bookworm-security must be in the apt sources"
R="$PREFIX/usr"
mkdir -p "$PREFIX"
if [ "$(cat "$PREFIX/.rustweb-version" 2>/dev/null)" != "$V" ] || [ ! -x "$R/bin/rustc" ] || [ ! -x "$R/bin/cargo" ]; then
  LIBSTD=$(apt-cache depends "libstd-rust-web-dev=$V" | awk '/Depends: libstd-rust-web-[0-9]/{print $2; exit}')
  log "download rustc-web $V (+ cargo-web, rust-web-src, libstd-rust-web-dev, $LIBSTD)"
  tmp=$(mktemp -d); chmod 755 "$tmp"   # apt's _apt user must be able to write here
  (cd "$tmp" && apt-get download -q "rustc-web=$V" "cargo-web=$V" "rust-web-src=$V" \
      "libstd-rust-web-dev=$V" "$LIBSTD=$V" 2>&1 | grep -v 'Download is performed unsandboxed' || true)
  ls "$tmp"/rustc-web_*.deb "$tmp"/cargo-web_*.deb "$tmp"/rust-web-src_*.deb >/dev/null || die "download failed"
  log "unpack into $PREFIX"
  rm -rf "$R" "$PREFIX/.rustweb-version"
  for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$PREFIX"; done
  # their runtime deps = first alternative of each Depends item, minus the packages we unpacked
  for d in "$tmp"/*.deb; do dpkg-deb -f "$d" Depends; done | tr ',' '\n' \
    | sed -E 's/\|.*//; s/\(.*\)//; s/^ +//; s/ +$//; s/^libc-dev$/libc6-dev/' \
    | grep -vE '^(rustc-web|cargo-web|rust-web-src|libstd-rust-web.*|)$' | sort -u > "$PREFIX/.deps"
  rm -rf "$tmp"
  if [ "${KEEP_FULL_SRC:-0}" != 1 ]; then   # -Zbuild-std needs only library/ (saves ~365 MB)
    for s in "$R"/src/rustc-*/; do rm -rf "$s/src" "$s/compiler"; done
  fi
  echo "$V" > "$PREFIX/.rustweb-version"
fi
LLVM_MAJOR=$(sed -nE 's/^libllvm([0-9]+)$/\1/p' "$PREFIX/.deps" | head -1)
[ -n "$LLVM_MAJOR" ] || die "could not find libllvmNN in rustc-web's dependencies"

# -------------------------------------------------------------------------------------------
# 2. apt: rustc-web's runtime deps, lld (Debian ships no rust-lld), cross C toolchains, emulators
# -------------------------------------------------------------------------------------------
PKGS=( $(cat "$PREFIX/.deps") patchelf curl "lld-$LLVM_MAJOR"
  qemu-user qemu-system-arm
  gcc-mingw-w64-x86-64
  gcc-i686-linux-gnu libc6-dev-i386-cross
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
  gcc-s390x-linux-gnu libc6-dev-s390x-cross )
[ "$WITH_WINE" = 1 ] && PKGS+=(wine64 wine)
command -v node >/dev/null || PKGS+=(nodejs)
MISSING=()   # only what is missing: naming e.g. libc6 explicitly would upgrade it
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || MISSING+=("$p")
done
if [ ${#MISSING[@]} -gt 0 ]; then
  log "apt-get install ${MISSING[*]}"
  apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null
else
  log "apt packages: all present"
fi

# -------------------------------------------------------------------------------------------
# 3. make the private toolchain runnable
# -------------------------------------------------------------------------------------------
for b in rustc rustdoc; do   # find librustc_driver-*.so inside the prefix
  [ -f "$R/bin/$b" ] && patchelf --set-rpath '$ORIGIN/../lib/x86_64-linux-gnu' "$R/bin/$b"
done
HOSTBIN="$R/lib/rustlib/x86_64-unknown-linux-gnu/bin"
mkdir -p "$HOSTBIN"
ln -sfn "/usr/lib/llvm-$LLVM_MAJOR/bin/lld" "$HOSTBIN/rust-lld"
"$R/bin/rustc" -vV >/dev/null || die "rustc does not run"
"$R/bin/cargo" -V >/dev/null || die "cargo does not run"
LIB="$R/lib/rustlib/src/rust/library"
[ -f "$LIB/Cargo.lock" ] || die "library sources missing ($LIB)"

# -------------------------------------------------------------------------------------------
# 4. wasi-libc for wasm32-wasip1. Recent std needs pthread_{create,join,detach} symbols that
#    bookworm's (2022) and trixie's wasi-libc lack -> the arch:all .deb from sid, fetched through a
#    private apt list that leaves the system's sources alone.
# -------------------------------------------------------------------------------------------
WASI="$PREFIX/wasi-libc"
if ! grep -qx pthread_create "$WASI/usr/share/wasm32-wasip1/defined-symbols.txt" 2>/dev/null; then
  A="$PREFIX/.apt-sid"; rm -rf "$A"; mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/dl"
  chmod 755 "$A/dl"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" > "$A/sources.list"
  AO=(-o "Dir::Etc::SourceList=$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache")
  ok=0
  log "wasi-libc: fetch from sid"
  if apt-get "${AO[@]}" update -qq 2>/dev/null; then
    WV=$(apt-cache "${AO[@]}" madison wasi-libc | awk -F'|' '/sid/{gsub(/ /,"",$2); print $2; exit}')
    if [ -n "$WV" ] && (cd "$A/dl" && apt-get "${AO[@]}" download -q "wasi-libc=$WV" >/dev/null 2>&1); then
      rm -rf "$WASI"; mkdir -p "$WASI"; dpkg-deb -x "$A"/dl/wasi-libc_*.deb "$WASI"; ok=1
      log "wasi-libc $WV (sid) -> $WASI"
    fi
  fi
  rm -rf "$A"
  if [ "$ok" = 0 ]; then
    log "WARNING: sid's wasi-libc unavailable; using bookworm's (std::thread / cargo test won't link)"
    apt-get install -y -qq --no-install-recommends wasi-libc >/dev/null
    rm -rf "$WASI"; mkdir -p "$WASI/usr/lib"; ln -sfn /usr/lib/wasm32-wasi "$WASI/usr/lib/wasm32-wasip1"
  fi
fi
mkdir -p "$R/lib/rustlib/wasm32-wasip1/lib"
ln -sfn "$WASI/usr/lib/wasm32-wasip1" "$R/lib/rustlib/wasm32-wasip1/lib/self-contained"

# -------------------------------------------------------------------------------------------
# 5. env file, cargo config, runners
# -------------------------------------------------------------------------------------------
mkdir -p "$PREFIX/bin"
log "write $PREFIX/env.sh, $PREFIX/cross.toml, runners in $PREFIX/bin"
cat > "$PREFIX/env.sh" <<EOF
# source me: Debian rustc-web/cargo-web from $PREFIX, std built per target with -Zbuild-std
export PATH=$PREFIX/bin:$R/bin:\$PATH
export RUSTC=$R/bin/rustc RUSTDOC=$R/bin/rustdoc
export RUSTC_BOOTSTRAP=1   # -Zbuild-std is unstable; Debian's rustc is a stable build
export CROSS_CONFIG=$PREFIX/cross.toml
EOF

cat > "$PREFIX/cross.toml" <<EOF
# Linkers and runners for cross targets (Debian rustc-web + -Zbuild-std), written by setup-cross.sh.
# cargo --config $PREFIX/cross.toml build|run|test -Zbuild-std[=core,alloc] --target T
[target.wasm32-unknown-unknown]
linker = "rust-lld"   # sysroot symlink -> /usr/lib/llvm-$LLVM_MAJOR/bin/lld
# no runner: call exports with  node $PREFIX/bin/wasm-invoke.mjs X.wasm FN[:ARG...]

[target.wasm32-wasip1]
linker = "rust-lld"   # crt1-command.o/libc.a from the sysroot's self-contained/ -> $WASI
runner = ["node", "--no-warnings", "$PREFIX/bin/run-wasi.mjs"]

[target.thumbv7m-none-eabi]
linker = "rust-lld"
runner = "$PREFIX/bin/qemu-arm-runner"   # extra args -> guest via semihosting SYS_GET_CMDLINE

[target.x86_64-pc-windows-gnu]
linker = "x86_64-w64-mingw32-gcc"
runner = "$PREFIX/bin/wine-run"

[target.i686-unknown-linux-gnu]
linker = "i686-linux-gnu-gcc"
runner = "qemu-i386 -L /usr/i686-linux-gnu"

[target.aarch64-unknown-linux-gnu]
linker = "aarch64-linux-gnu-gcc"
runner = "qemu-aarch64 -L /usr/aarch64-linux-gnu"

[target.riscv64gc-unknown-linux-gnu]
linker = "riscv64-linux-gnu-gcc"
runner = "qemu-riscv64 -L /usr/riscv64-linux-gnu"

[target.s390x-unknown-linux-gnu]   # big-endian
linker = "s390x-linux-gnu-gcc"
runner = "qemu-s390x -L /usr/s390x-linux-gnu"
EOF

cat > "$PREFIX/bin/qemu-arm-runner" <<'EOF'
#!/usr/bin/env bash
# qemu-arm-runner ELF [ARGS...] -- run a Cortex-M3 ELF on qemu-system-arm's lm3s6965evb with
# semihosting; exits with the guest's SYS_EXIT status. The guest reads "ELF ARGS..." with
# SYS_GET_CMDLINE (QEMU joins them with single spaces, so args containing spaces lose their bounds).
# env: QEMU_ARM_MACHINE (lm3s6965evb), QEMU_ARM_CPU (cortex-m3), QEMU_ARM_EXTRA (more qemu args,
#      word-split), QEMU_ARM_TIMEOUT (seconds, 0 = none; a timeout exits 124)
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: qemu-arm-runner ELF [ARGS...]" >&2; exit 2; }
elf=$1; shift
cfg="enable=on,target=native"
for a in "$elf" "$@"; do cfg+=",arg=${a//,/,,}"; done   # ',' is QEMU's option separator: double it
cmd=(qemu-system-arm -machine "${QEMU_ARM_MACHINE:-lm3s6965evb}" -cpu "${QEMU_ARM_CPU:-cortex-m3}"
     -nographic -monitor none -serial stdio -semihosting-config "$cfg" ${QEMU_ARM_EXTRA:-} -kernel "$elf")
[ "${QEMU_ARM_TIMEOUT:-0}" != 0 ] && cmd=(timeout -k 5 "$QEMU_ARM_TIMEOUT" "${cmd[@]}")
# QEMU 7.2's lm3s6965 timers print this on every run; drop it so the guest's output ends the log.
{ "${cmd[@]}" 2>&1 1>&3 3>&- | grep --line-buffered -vx 'Timer with period zero, disabling' >&2; } 3>&1
exit "${PIPESTATUS[0]}"
EOF
chmod +x "$PREFIX/bin/qemu-arm-runner"

cat > "$PREFIX/bin/run-wasi.mjs" <<'EOF'
// node run-wasi.mjs prog.wasm [args...] -- run a wasm32-wasip1 command with node's WASI (preview1);
// exits with the program's exit code. Preopens: '.' and /tmp.
import fs from 'node:fs';
import { WASI } from 'node:wasi';
const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: process.env,
                        preopens: { '.': '.', '/tmp': '/tmp' }, returnOnExit: true });
const mod = await WebAssembly.compile(fs.readFileSync(file));
const inst = await WebAssembly.instantiate(mod, wasi.getImportObject());
process.exit(wasi.start(inst) ?? 0);
EOF

cat > "$PREFIX/bin/wasm-invoke.mjs" <<'EOF'
// node wasm-invoke.mjs module.wasm [FN[:ARG[:ARG...]] ...]
// Instantiates a wasm32-unknown-unknown module (function imports are stubs that throw), calls each
// named export with numeric args (suffix n = BigInt, for i64) and prints "FN=<result>" (i32 results
// shown unsigned). With no FN it lists the exports. Exit status 1 if a call traps.
import fs from 'node:fs';
const [file, ...calls] = process.argv.slice(2);
const mod = await WebAssembly.compile(fs.readFileSync(file));
const imports = {};
for (const imp of WebAssembly.Module.imports(mod)) {
  if (imp.kind !== 'function') continue;
  (imports[imp.module] ??= {})[imp.name] = () => { throw new Error(`import ${imp.module}.${imp.name} called`); };
}
const { exports } = await WebAssembly.instantiate(mod, imports);
if (calls.length === 0) {
  for (const e of WebAssembly.Module.exports(mod)) console.log(`${e.kind} ${e.name}`);
}
for (const call of calls) {
  const [fn, ...args] = call.split(':');
  if (typeof exports[fn] !== 'function') { console.error(`no exported function ${fn}`); process.exit(2); }
  try {
    const r = exports[fn](...args.map((a) => (a.endsWith('n') ? BigInt(a.slice(0, -1)) : Number(a))));
    console.log(`${fn}=${typeof r === 'number' ? r >>> 0 : r}`);
  } catch (e) { console.error(`${fn}: ${e.message}`); process.exit(1); }
}
EOF

if [ "$WITH_WINE" = 1 ]; then
  # Wine 8.0 (bookworm) lacks bcryptprimitives.dll!ProcessPrng, which Rust std (>= 1.78) imports.
  cat > "$PREFIX/bin/bcryptprimitives.c.new" <<'EOF'
#include <windows.h>
#include <bcrypt.h>
BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData) {
    while (cbData > 0) {
        ULONG n = cbData > 0x40000000 ? 0x40000000 : (ULONG)cbData;
        if (BCryptGenRandom(NULL, pbData, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
        pbData += n; cbData -= n;
    }
    return TRUE;
}
EOF
  if ! cmp -s "$PREFIX/bin/bcryptprimitives.c.new" "$PREFIX/bin/bcryptprimitives.c" || [ ! -f "$PREFIX/bin/bcryptprimitives.dll" ]; then
    mv "$PREFIX/bin/bcryptprimitives.c.new" "$PREFIX/bin/bcryptprimitives.c"
    printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\n    ProcessPrng\n' > "$PREFIX/bin/bcryptprimitives.def"
    log "build bcryptprimitives.dll shim (mingw)"
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$PREFIX/bin/bcryptprimitives.dll" \
      "$PREFIX/bin/bcryptprimitives.c" "$PREFIX/bin/bcryptprimitives.def" -lbcrypt
    rm -f "$PREFIX/wineprefix/drive_c/windows/system32/bcryptprimitives.dll"   # re-copied on next run
  fi
  rm -f "$PREFIX/bin/bcryptprimitives.c.new"
  cat > "$PREFIX/bin/wine-run" <<EOF
#!/bin/sh
# wine-run PROG.exe [ARGS...] -- cargo runner for x86_64-pc-windows-gnu under bookworm's Wine 8.0
# (64-bit only, headless). Creates the Wine prefix on first use and installs the ProcessPrng shim.
export WINEPREFIX="\${WINEPREFIX:-$PREFIX/wineprefix}" WINEDEBUG="\${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="\${WINEDLLOVERRIDES:-mscoree,mshtml=}"   # no Mono/Gecko install prompts
if [ ! -f "\$WINEPREFIX/system.reg" ]; then
  /usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1 || true
  /usr/lib/wine/wineserver64 -w 2>/dev/null || true
fi
DLL="\$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
[ -f "\$DLL" ] || cp "$PREFIX/bin/bcryptprimitives.dll" "\$DLL"
exec /usr/lib/wine/wine64 "\$@"
EOF
  chmod +x "$PREFIX/bin/wine-run"
  if [ ! -f "$PREFIX/wineprefix/system.reg" ]; then   # first wineboot takes ~20 s: do it now
    log "create Wine prefix $PREFIX/wineprefix"
    "$PREFIX/bin/wine-run" cmd /c exit 0 >/dev/null 2>&1 || true
    [ -f "$PREFIX/wineprefix/system.reg" ] || die "wineboot failed"
  fi
fi

# -------------------------------------------------------------------------------------------
# 6. optional second wasm runtime: PyPI's wasmtime (a library, no CLI -> wasmtime-run.py)
# -------------------------------------------------------------------------------------------
if [ "$WITH_WASMTIME_PY" = 1 ]; then
  cat > "$PREFIX/bin/wasmtime-run.py" <<'EOF'
#!/usr/bin/env python3
"""wasmtime-run.py prog.wasm [args...]   run a WASI preview1 command; exit with its code.
   wasmtime-run.py --invoke FN[:ARG...] [--invoke ...] m.wasm   print FN(ARG...) (integer args)."""
import sys, wasmtime
argv, invoke = sys.argv[1:], []
while argv and argv[0] == '--invoke':
    invoke.append(argv[1]); argv = argv[2:]
path, args = argv[0], argv[1:]
engine = wasmtime.Engine(); store = wasmtime.Store(engine)
linker = wasmtime.Linker(engine); linker.define_wasi()
cfg = wasmtime.WasiConfig(); cfg.argv = [path] + args
cfg.inherit_stdout(); cfg.inherit_stderr(); cfg.inherit_stdin(); cfg.inherit_env()
store.set_wasi(cfg)
exports = linker.instantiate(store, wasmtime.Module.from_file(engine, path)).exports(store)
if invoke:
    for call in invoke:
        fn, *a = call.split(':')
        r = exports[fn](store, *map(int, a)); print(f"{fn}={r & 0xffffffff if isinstance(r, int) else r}")
    sys.exit(0)
try:
    exports["_start"](store)
except wasmtime.ExitTrap as e:
    sys.exit(e.code)
EOF
  chmod +x "$PREFIX/bin/wasmtime-run.py"
  if ! "$WASMTIME_VENV/bin/python" -c 'import wasmtime' 2>/dev/null; then
    log "pip install wasmtime -> $WASMTIME_VENV"
    python3 -m venv "$WASMTIME_VENV" || { apt-get install -y -qq python3-venv >/dev/null; python3 -m venv "$WASMTIME_VENV"; }
    "$WASMTIME_VENV/bin/pip" install -q wasmtime
  fi
fi

# -------------------------------------------------------------------------------------------
# 7. fetch std's crates.io dependencies once, so the first -Zbuild-std build needs no network
# -------------------------------------------------------------------------------------------
log "cargo fetch (std's dependencies, from crates.io)"
( . "$PREFIX/env.sh" && cargo fetch -q --manifest-path "$LIB/Cargo.toml" ) \
  || log "WARNING: cargo fetch failed; -Zbuild-std will fetch on first build"

# -------------------------------------------------------------------------------------------
# 8. report
# -------------------------------------------------------------------------------------------
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$NODE_MAJOR" -ge 20 ] || log "WARNING: node >= 20 needed for run-wasi.mjs (found $NODE_MAJOR)"
log "rustc:    $("$R/bin/rustc" -V)"
log "cargo:    $("$R/bin/cargo" -V)"
log "rust-lld: $("$HOSTBIN/rust-lld" -flavor gnu --version)"
log "qemu:     $(qemu-system-arm --version | head -1)"
[ "$WITH_WINE" = 1 ] && log "wine:     $(/usr/lib/wine/wine64 --version)"
log "node:     $(node --version)"
log "done. Use:  source $PREFIX/env.sh && cargo --config $PREFIX/cross.toml run -Zbuild-std --target aarch64-unknown-linux-gnu"
