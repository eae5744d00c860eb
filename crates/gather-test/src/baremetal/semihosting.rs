//! ARM semihosting (`bkpt 0xab`, served by QEMU, probe-rs and OpenOCD) for output, the command
//! line, the clock and the exit code, and the Cortex-M registers the runner needs.

use core::arch::asm;

const SYS_OPEN: usize = 0x01;
const SYS_WRITE: usize = 0x05;
const SYS_CLOCK: usize = 0x10;
const SYS_EXIT: usize = 0x18;
const SYS_GET_CMDLINE: usize = 0x15;
const SYS_EXIT_EXTENDED: usize = 0x20;
/// `ADP_Stopped_ApplicationExit`.
const APPLICATION_EXIT: usize = 0x20026;
/// `ADP_Stopped_RunTimeErrorUnknown`.
const RUNTIME_ERROR: usize = 0x20023;

/// `SYS_OPEN` modes of the special file `:tt`: 4 (`"w"`) is stdout, 8 (`"a"`) stderr.
pub const MODE_WRITE: usize = 4;
pub const MODE_STDERR: usize = 8;

/// One semihosting call: operation in r0, parameter (usually a pointer to a block) in r1.
fn call(op: usize, arg: usize) -> usize {
    let result;
    // SAFETY: `bkpt 0xab` traps to the debugger/emulator, which reads or writes only the
    // memory the parameter block names.
    unsafe {
        asm!("bkpt 0xab", inout("r0") op => result, in("r1") arg, options(nostack, preserves_flags))
    };
    result
}

pub fn open_tt(mode: usize) -> usize {
    let name = b":tt\0";
    let block = [name.as_ptr() as usize, mode, 3];
    call(SYS_OPEN, block.as_ptr() as usize)
}

pub fn write(handle: usize, bytes: &[u8]) {
    let block = [handle, bytes.as_ptr() as usize, bytes.len()];
    call(SYS_WRITE, block.as_ptr() as usize);
}

/// The command line (`program arg1 arg2...`) into `buf`; its length.
pub fn cmdline(buf: &mut [u8]) -> Option<usize> {
    let mut block = [buf.as_mut_ptr() as usize, buf.len()];
    (call(SYS_GET_CMDLINE, block.as_mut_ptr() as usize) == 0).then_some(block[1].min(buf.len()))
}

/// Centiseconds since the program started.
pub fn clock() -> Option<u32> {
    let c = call(SYS_CLOCK, 0);
    (c != usize::MAX).then_some(c as u32)
}

pub fn exit(code: u32) -> ! {
    let block = [APPLICATION_EXIT, code as usize];
    call(SYS_EXIT_EXTENDED, block.as_ptr() as usize);
    // A host without SYS_EXIT_EXTENDED: success or failure, without the code.
    call(
        SYS_EXIT,
        if code == 0 {
            APPLICATION_EXIT
        } else {
            RUNTIME_ERROR
        },
    );
    loop {
        core::hint::spin_loop();
    }
}

/// Thread mode (IPSR = 0), not an exception handler.
pub fn in_thread_mode() -> bool {
    let ipsr: u32;
    // SAFETY: reads a special register.
    unsafe { asm!("mrs {}, IPSR", out(reg) ipsr, options(nomem, nostack, preserves_flags)) };
    ipsr & 0x1ff == 0
}

pub fn interrupts_enabled() -> bool {
    let primask: u32;
    // SAFETY: reads a special register.
    unsafe { asm!("mrs {}, PRIMASK", out(reg) primask, options(nomem, nostack, preserves_flags)) };
    primask & 1 == 0
}

pub fn enable_interrupts() {
    // SAFETY: they were enabled when the test started.
    unsafe { asm!("cpsie i", options(nomem, nostack, preserves_flags)) };
}

/// Sets the stack pointer to the top of the stack (the initial SP in the vector table, which
/// VTOR points to) and jumps to `f`: the panicking test's frames are abandoned.
pub fn restart(f: extern "C" fn() -> !) -> ! {
    const VTOR: usize = 0xE000_ED08;
    // SAFETY: `f` never returns, and nothing on the old stack is used again.
    unsafe {
        asm!(
            "ldr {a}, [{a}]",
            "ldr {a}, [{a}]",
            "mov sp, {a}",
            "bx {f}",
            // `a` is overwritten, which is fine: the block never returns.
            a = in(reg) VTOR,
            f = in(reg) f,
            options(noreturn),
        )
    }
}
