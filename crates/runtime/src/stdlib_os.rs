//! What Go's `syscall`, `internal/poll` and `os`, compiled from source,
//! take from Go's runtime (docs/stdlib.md, "os and syscall from source"):
//! the raw system call, the process's arguments and environment, exit, and
//! the network poller, which g2n does not have.
//!
//! System calls go to the C library's `syscall(2)`, on the flow's thread.
//! One that waits (`wait4`, a read of a blocking pipe) lets the flow's
//! other goroutines run meanwhile (crate::process), and `runtime.entersyscall`
//! and `exitsyscall` are no-ops. Two are the runtime's own: a write to
//! descriptor 1 or 2 goes to the flow's output (fmt's, forwarded to the
//! origin of a mesh and flushed at exit), and a read of descriptor 0 to the
//! runtime's standard input, so that `os.Stdout` and `os.Stdin` behave as
//! they did when `os` was g2n's own.
//!
//! The poller: pipes, FIFOs and sockets are registered with g2n's own
//! (crate::poller), which `internal/poll` waits on; everything else is
//! refused and stays blocking.

#![allow(non_snake_case)]

use crate::ffi::guard;
use crate::wire::Stream;
use g2n_abi::GoString;
use std::cell::Cell;

/// Reads standard input as the runtime always has (Rust's locked, buffered
/// `stdin`, which fmt's scanning shares): `(n, errno)`.
fn read_stdin(ptr: *mut u8, len: u64) -> (u64, u64) {
    use std::io::Read;
    if ptr.is_null() || len == 0 {
        return (0, 0);
    }
    // SAFETY: `read(0, ptr, len)` from Go: `ptr` holds `len` writable bytes.
    let buf = unsafe { std::slice::from_raw_parts_mut(ptr, len as usize) };
    loop {
        match std::io::stdin().lock().read(buf) {
            Ok(n) => return (n as u64, 0),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return (u64::MAX, e.raw_os_error().unwrap_or(libc::EIO) as u64),
        }
    }
}

rt_export! { stdlib::fmt_runtimeReadStdinByte =>
/// `fmt.runtimeReadStdinByte()`: the next byte of standard input for
/// fmt.Scan (one at a time, as Go's fmt reads a reader that cannot unread,
/// so that a scan takes no more input than it scans), -1 at its end, or
/// -2 - errno on an error. The input is the one `os.Stdin` reads.
pub extern "C" fn g2n_std_fmt_runtimeReadStdinByte() -> i64 {
    let mut byte = 0u8;
    match read_stdin(&mut byte, 1) {
        (1, _) => i64::from(byte),
        (0, _) => -1,
        (_, errno) => -2 - errno as i64,
    }
}
}

/// One system call: `(r1, r2, errno)` as Go's `RawSyscall6` returns them
/// (r1 is -1 and errno set on failure).
fn system_call(trap: u64, a: [u64; 6]) -> (u64, u64, u64) {
    if crate::process::in_forked_child() {
        // Between fork and exec: nothing but the system call (crate::process).
        return crate::process::raw(trap as libc::c_long, a);
    }
    if trap == libc::SYS_write as u64 && (a[0] == 1 || a[0] == 2) {
        let stream = if a[0] == 2 { Stream::Stderr } else { Stream::Stdout };
        let data: &[u8] = if a[1] == 0 || a[2] == 0 {
            &[]
        } else {
            // SAFETY: `write(fd, ptr, len)` from Go: `ptr` holds `len` readable bytes.
            unsafe { std::slice::from_raw_parts(a[1] as *const u8, a[2] as usize) }
        };
        guard(|| crate::flow::write_output(stream, data));
        return (data.len() as u64, 0, 0);
    }
    if trap == libc::SYS_read as u64 && a[0] == 0 {
        let (n, err) = read_stdin(a[1] as *mut u8, a[2]);
        return (n, 0, err);
    }
    if let Some(result) = crate::process::without_blocking_others(trap, a) {
        return result;
    }
    crate::process::raw(trap as libc::c_long, a)
}

rt_export! { stdlib::syscall_RawSyscall6 =>
/// Go's `syscall.RawSyscall6` (assembly in Go, `runtime/internal/syscall`):
/// `Syscall`, `Syscall6` and `RawSyscall` are Go code around it.
///
/// # Safety
/// `out` must be valid for three `u64` writes; the arguments must be valid
/// for the system call `trap`.
pub unsafe extern "C" fn g2n_std_syscall_RawSyscall6(trap: u64, a1: u64, a2: u64, a3: u64, a4: u64, a5: u64, a6: u64, out: *mut [u64; 3]) {
    let (r1, r2, err) = system_call(trap, [a1, a2, a3, a4, a5, a6]);
    // SAFETY: guaranteed by the caller.
    unsafe { out.write([r1, r2, err]) };
}
}

/// Two result words in registers.
#[repr(C)]
pub struct TwoWords(pub u64, pub u64);

impl crate::export::AbiWords for TwoWords {
    const WORDS: &'static [g2n_abi::symbols::AbiType] = &[g2n_abi::symbols::AbiType::I64, g2n_abi::symbols::AbiType::I64];
}

rt_export! { stdlib::syscall_rawSyscallNoError =>
/// Go's `syscall.rawSyscallNoError` (assembly in Go): `Getpid`, `Getuid`
/// and the other calls that cannot fail.
pub extern "C" fn g2n_std_syscall_rawSyscallNoError(trap: u64, a1: u64, a2: u64, a3: u64) -> TwoWords {
    let (r1, r2, _) = system_call(trap, [a1, a2, a3, 0, 0, 0]);
    TwoWords(r1, r2)
}
}

rt_export! { stdlib::runtime_entersyscall =>
/// A system call starts: nothing to do, the flow's thread makes it (above).
pub extern "C" fn g2n_std_runtime_entersyscall() {}
}

rt_export! { stdlib::runtime_exitsyscall =>
pub extern "C" fn g2n_std_runtime_exitsyscall() {}
}

rt_export! { stdlib::syscall_Exit =>
/// `syscall.Exit`, which `os.Exit` calls: ends the flow as `os.Exit` always
/// has in g2n (output flushed, a nanoservice's exit reported to the origin).
pub extern "C" fn g2n_std_syscall_Exit(code: i64) -> ! {
    crate::ffi::g2n_exit(code)
}
}

rt_export! { stdlib::syscall_Getpagesize =>
pub extern "C" fn g2n_std_syscall_Getpagesize() -> i64 {
    // SAFETY: sysconf takes no pointers.
    i64::from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as i32)
}
}

/// The environment as `KEY=value` strings, in a backing array that lives for
/// the whole run (read once: Go's syscall keeps its own copy).
fn environment() -> (*mut GoString, usize) {
    let strings: Vec<GoString> = std::env::vars_os()
        .map(|(k, v)| {
            let mut entry = k.as_encoded_bytes().to_vec();
            entry.push(b'=');
            entry.extend_from_slice(v.as_encoded_bytes());
            let entry: &'static [u8] = Box::leak(entry.into_boxed_slice());
            GoString { ptr: entry.as_ptr(), len: entry.len() as i64 }
        })
        .collect();
    let len = strings.len();
    (Box::leak(strings.into_boxed_slice()).as_mut_ptr(), len)
}

rt_export! { stdlib::syscall_runtime_envs =>
/// Go's `syscall.runtime_envs`: the environment the process started with.
///
/// # Safety
/// `out` must be valid for three `u64` writes (a slice).
pub unsafe extern "C" fn g2n_std_syscall_runtime_envs(out: *mut [u64; 3]) {
    let (ptr, len) = guard(environment);
    // SAFETY: guaranteed by the caller.
    unsafe { out.write([ptr as u64, len as u64, len as u64]) };
}
}

fn text(ptr: *const u8, len: i64) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: generated code passes valid strings.
    std::ffi::OsStr::from_bytes(unsafe { crate::ffi::bytes(ptr, len) }).to_os_string()
}

rt_export! { stdlib::syscall_setenv_c =>
/// Go's `syscall.setenv_c`: Go keeps its own copy of the environment; the
/// process's (which the C library and the runtime read) follows it.
pub extern "C" fn g2n_std_syscall_setenv_c(key: *const u8, key_len: i64, value: *const u8, value_len: i64) {
    let (key, value) = (text(key, key_len), text(value, value_len));
    // SAFETY: Go code runs on one thread per flow; Go's syscall checked the key.
    guard(|| unsafe { std::env::set_var(key, value) });
}
}

rt_export! { stdlib::syscall_unsetenv_c =>
pub extern "C" fn g2n_std_syscall_unsetenv_c(key: *const u8, key_len: i64) {
    let key = text(key, key_len);
    // SAFETY: as in `setenv_c`.
    guard(|| unsafe { std::env::remove_var(key) });
}
}

rt_export! { stdlib::os_runtime_args =>
/// Go's `os.runtime_args`: `os.Args`.
///
/// # Safety
/// `out` must be valid for three `u64` writes (a slice).
pub unsafe extern "C" fn g2n_std_os_runtime_args(out: *mut [u64; 3]) {
    // os's initialisation: SIGPIPE as Go's runtime has it.
    crate::process::catch_sigpipe();
    // SAFETY: guaranteed by the caller.
    unsafe { crate::args::write_args(out) };
}
}

rt_export! { stdlib::os_runtime_beforeExit =>
/// Go runs the race detector's and coverage's exit hooks here; g2n has none.
pub extern "C" fn g2n_std_os_runtime_beforeExit() {}
}

rt_export! { stdlib::os_sigpipe =>
/// Go's os package calls this after a write to its closed standard output
/// or error failed with EPIPE: the program dies of SIGPIPE, as in Go,
/// unless `signal.Notify` asked for SIGPIPE (other pipes return the error).
pub extern "C" fn g2n_std_os_sigpipe() {
    crate::process::check_standard_write(Err(std::io::ErrorKind::BrokenPipe.into()))
}
}

thread_local! {
    static FASTRAND: Cell<u64> = const { Cell::new(0) };
}

/// wyrand, seeded per thread from the clock and the process id: what Go's
/// runtime gives `os` and `net` as `fastrand`.
fn fastrand64() -> u64 {
    FASTRAND.with(|state| {
        let mut s = state.get();
        if s == 0 {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
            s = nanos ^ (u64::from(std::process::id()) << 32) | 1;
        }
        s = s.wrapping_add(0xa076_1d64_78bd_642f);
        state.set(s);
        let m = u128::from(s) * u128::from(s ^ 0xe703_7ed1_a0b4_28db);
        (m >> 64) as u64 ^ m as u64
    })
}

rt_export! { stdlib::os_fastrand =>
/// Go's `os.fastrand`, which its runtime provides (temporary names).
pub extern "C" fn g2n_std_os_fastrand() -> u32 {
    fastrand64() as u32
}
}

rt_export! { stdlib::net_fastrandu =>
/// Go's `net.fastrandu`, which its runtime provides (the DNS client's
/// query ids and its choice among servers).
pub extern "C" fn g2n_std_net_fastrandu() -> u64 {
    fastrand64()
}
}

// ---- internal/poll ----

rt_export! { stdlib::internal_poll_runtime_Semacquire =>
/// Go's counting semaphore on `*addr` (g2n's sync keeps its counts in Go
/// and only parks here): waits until `*addr > 0`, then decrements it.
/// `FD.Close` of a pollable descriptor releases before it acquires.
///
/// # Safety
/// `addr` must point to a live `uint32` of Go memory.
pub unsafe extern "C" fn g2n_std_internal_poll_runtime_Semacquire(addr: *mut u32) {
    // SAFETY: guaranteed by the caller; the flow's goroutines run one at a time.
    unsafe {
        // Another goroutine's Semrelease changes *addr while this one is
        // parked: read it afresh each time.
        while addr.read_volatile() == 0 {
            crate::sema::wait(Some(addr as usize), None, "semacquire");
        }
        *addr -= 1;
    }
}
}

rt_export! { stdlib::internal_poll_runtime_Semrelease =>
/// Increments `*addr` and wakes the goroutine waiting longest on it.
///
/// # Safety
/// As `runtime_Semacquire`.
pub unsafe extern "C" fn g2n_std_internal_poll_runtime_Semrelease(addr: *mut u32) {
    // SAFETY: guaranteed by the caller.
    unsafe { *addr += 1 };
    crate::sema::release(addr as usize);
}
}

rt_export! { stdlib::internal_poll_runtime_pollServerInit =>
pub extern "C" fn g2n_std_internal_poll_runtime_pollServerInit() {}
}

rt_export! { stdlib::internal_poll_runtime_pollOpen =>
/// Registers a pipe, FIFO or socket with g2n's poller (crate::poller);
/// refuses anything else, which `internal/poll` then keeps blocking.
pub extern "C" fn g2n_std_internal_poll_runtime_pollOpen(fd: u64) -> TwoWords {
    crate::poller::open(fd)
}
}

rt_export! { stdlib::internal_poll_runtime_pollClose =>
pub extern "C" fn g2n_std_internal_poll_runtime_pollClose(ctx: u64) {
    crate::poller::close(ctx)
}
}

rt_export! { stdlib::internal_poll_runtime_pollWait =>
pub extern "C" fn g2n_std_internal_poll_runtime_pollWait(ctx: u64, mode: i64) -> i64 {
    crate::poller::wait(ctx, mode)
}
}

rt_export! { stdlib::internal_poll_runtime_pollWaitCanceled =>
/// Windows only in Go.
pub extern "C" fn g2n_std_internal_poll_runtime_pollWaitCanceled(_ctx: u64, _mode: i64) {}
}

rt_export! { stdlib::internal_poll_runtime_pollReset =>
pub extern "C" fn g2n_std_internal_poll_runtime_pollReset(ctx: u64, mode: i64) -> i64 {
    crate::poller::reset(ctx, mode)
}
}

rt_export! { stdlib::internal_poll_runtime_pollSetDeadline =>
pub extern "C" fn g2n_std_internal_poll_runtime_pollSetDeadline(ctx: u64, d: i64, mode: i64) {
    crate::poller::set_deadline(ctx, d, mode)
}
}

rt_export! { stdlib::internal_poll_runtime_pollUnblock =>
pub extern "C" fn g2n_std_internal_poll_runtime_pollUnblock(ctx: u64) {
    crate::poller::unblock(ctx)
}
}

rt_export! { stdlib::internal_poll_runtime_isPollServerDescriptor =>
pub extern "C" fn g2n_std_internal_poll_runtime_isPollServerDescriptor(_fd: u64) -> u8 {
    0
}
}
