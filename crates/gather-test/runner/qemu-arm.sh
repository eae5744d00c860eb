#!/bin/sh
# Cargo runner for gather-test on Cortex-M: runs ELF on QEMU's lm3s6965evb (Cortex-M3) with
# semihosting, and hands the test binary's arguments (filters, --exact, --list...) to the guest,
# which reads them with SYS_GET_CMDLINE. The exit status is the guest's (0, or 101 on failure).
#
#   [target.thumbv7m-none-eabi]
#   runner = "path/to/qemu-arm.sh"        # in .cargo/config.toml
#
# Environment: QEMU_MACHINE (lm3s6965evb), QEMU_CPU (cortex-m3), QEMU_TIMEOUT (seconds; a hung
# test binary is stopped and the runner exits 124).
# Limits: QEMU joins the arguments with spaces, so an argument cannot contain a space.
set -u
[ $# -ge 1 ] || { echo "usage: qemu-arm.sh ELF [ARGS...]" >&2; exit 2; }
config="enable=on,target=native"
for arg in "$@"; do
    # A comma separates QEMU's sub-options; a doubled comma is a literal one.
    config="$config,arg=$(printf '%s' "$arg" | sed 's/,/,,/g')"
done
elf=$1
set -- qemu-system-arm -machine "${QEMU_MACHINE:-lm3s6965evb}" -cpu "${QEMU_CPU:-cortex-m3}" \
    -nographic -monitor none -serial stdio -semihosting-config "$config" -kernel "$elf"
if [ "${QEMU_TIMEOUT:-0}" != 0 ]; then
    set -- timeout -k 5 "$QEMU_TIMEOUT" "$@"
fi
# QEMU 7.2 prints "Timer with period zero, disabling" for this board; keep stderr clean of it.
exec 3>&1
status=$( { { "$@" 2>&1 1>&3 3>&-; echo $? >&4; } | grep -v -x 'Timer with period zero, disabling' >&2; } 4>&1 )
exit "$status"
