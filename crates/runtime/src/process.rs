//! Subprocesses for Go's `syscall`, `os` and `os/exec`, compiled from
//! source (docs/stdlib.md, "Subprocesses"): the fork hooks Go's runtime
//! gives `syscall.forkAndExecInChild1`, the fork itself, and system calls
//! that wait (`wait4`, `waitid`, a read or write of a pipe) made so that the
//! flow's other goroutines run meanwhile.
//!
//! **The fork.** Go's child side (`forkAndExecInChild1`) runs only raw
//! system calls between the fork and `execve`. Go forks it with
//! `CLONE_VM|CLONE_VFORK`, the child borrowing the parent's memory and stack
//! until it execs, which its assembly `rawVforkSyscall` makes safe by
//! keeping the return address in a register. g2n's runtime forks instead
//! (the same `clone` without those two flags): the child gets a copy of the
//! memory, so nothing it does (its frames, a variable it writes) can reach
//! the parent, whatever code g2n's compiler made of Go's. Only the calling
//! thread exists in the child; it must take no lock another thread may have
//! held at the fork (the collector's, the allocator's, the flow's output),
//! which Go's child code does not: it calls `RawSyscall`, which in the child
//! goes straight to `syscall(2)` ([`in_forked_child`]). Signals are blocked
//! across the fork as Go's runtime blocks them.
//!
//! **Waiting.** All goroutines of a flow share its thread (docs/goroutines.md),
//! so a system call that blocks stops every one of them: `Cmd.Wait` in
//! `wait4` while the goroutine that copies the child's output is never run
//! would wait forever once the pipe is full, and so would a goroutine
//! feeding the child's standard input. When other goroutines are alive, a
//! call that would wait polls instead (`WNOHANG`, `poll(2)` with no
//! timeout) and parks the calling goroutine for a short, growing time
//! between tries, as `time.Sleep` parks it, so the others run; a write to a
//! pipe writes at most `PIPE_BUF` bytes once the pipe has room, which never
//! blocks (Go's `internal/poll` writes the rest in further calls). With no
//! other goroutine alive the call blocks the thread as before.

#![allow(non_snake_case)]

use crate::stdlib_os::TwoWords;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set in the child between the fork and `execve`: its memory is a copy of
/// the parent's, and only this flag's copy is ever set.
static IN_FORKED_CHILD: AtomicBool = AtomicBool::new(false);

/// Whether this process is a child forked by [`g2n_std_syscall_rawVforkSyscall`]
/// that has not exec'd yet: its system calls go straight to the kernel.
pub(crate) fn in_forked_child() -> bool {
    IN_FORKED_CHILD.load(Ordering::Relaxed)
}

thread_local! {
    /// The signal mask `runtime_BeforeFork` replaced, restored after the fork
    /// (in the parent, and in the child before it execs).
    static SAVED_MASK: Cell<Option<libc::sigset_t>> = const { Cell::new(None) };
}

extern "C" fn on_sigpipe(_signal: libc::c_int) {}

/// Go's runtime catches SIGPIPE, so that a write to a pipe whose reader has
/// gone (a child that exited without reading its standard input) fails with
/// EPIPE instead of ending the program. The runtime does the same in every
/// program that imports os (`os.runtime_args` calls this) or starts a
/// process: a handler that does nothing, rather than
/// ignoring the signal, because an ignored signal stays ignored in the
/// exec'd child, and a handled one does not.
pub(crate) fn catch_sigpipe() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: reading the disposition into a zeroed structure.
        unsafe {
            let mut current: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut current) != 0
                || current.sa_sigaction != libc::SIG_DFL
            {
                // Ignored (or handled) by whoever started us: keep it.
                return;
            }
        }
        CATCHING_SIGPIPE.store(true, Ordering::SeqCst);
        catch_sigpipe_again();
    });
}

/// What a write to the standard output or error that failed means: with
/// SIGPIPE caught ([`catch_sigpipe`]), a closed pipe gives EPIPE where it
/// used to end the program, and Go's runtime ends it then, with SIGPIPE
/// (`os.epipecheck`), unless `signal.Notify` asked for SIGPIPE. Other
/// errors are ignored, as Go's fmt ignores them.
pub(crate) fn check_standard_write(result: std::io::Result<()>) {
    let Err(error) = result else { return };
    if error.kind() != std::io::ErrorKind::BrokenPipe || crate::signals::notified(libc::SIGPIPE) {
        return;
    }
    // SAFETY: restoring the default action and raising the signal.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
}

/// Set once [`catch_sigpipe`] has installed its handler.
static CATCHING_SIGPIPE: AtomicBool = AtomicBool::new(false);

/// Whether the runtime catches SIGPIPE ([`catch_sigpipe`]): what
/// `signal.Reset(SIGPIPE)` goes back to.
pub(crate) fn catches_sigpipe() -> bool {
    CATCHING_SIGPIPE.load(Ordering::SeqCst)
}

/// Installs the handler that does nothing for SIGPIPE.
pub(crate) fn catch_sigpipe_again() {
    // SAFETY: sigaction with a zeroed, then filled, structure.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigpipe as *const () as usize;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGPIPE, &action, std::ptr::null_mut());
    }
}

rt_export! { stdlib::syscall_runtime_BeforeFork =>
/// Before `forkAndExecInChild1` forks: the output written so far reaches
/// the standard streams before the child's (a child given `os.Stdout`
/// writes to descriptor 1 itself), SIGPIPE is caught ([`catch_sigpipe`]),
/// and every signal is blocked until the fork is over, as in Go.
pub extern "C" fn g2n_std_syscall_runtime_BeforeFork() {
    {
        use std::io::Write;
        let _ = std::io::stdout().lock().flush();
        let _ = std::io::stderr().lock().flush();
    }
    catch_sigpipe();
    // SAFETY: sigset operations on local, initialised sets.
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        let mut old: libc::sigset_t = std::mem::zeroed();
        if libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old) == 0 {
            SAVED_MASK.set(Some(old));
        }
    }
}
}

/// Puts back the mask [`g2n_std_syscall_runtime_BeforeFork`] saved.
fn restore_mask() {
    if let Some(old) = SAVED_MASK.take() {
        // SAFETY: `old` is the mask pthread_sigmask gave us.
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()) };
    }
}

rt_export! { stdlib::syscall_runtime_AfterFork =>
/// In the parent after the fork: signals as before.
pub extern "C" fn g2n_std_syscall_runtime_AfterFork() {
    restore_mask();
}
}

rt_export! { stdlib::syscall_runtime_AfterForkInChild =>
/// In the child, before it execs: signals as before the fork (the exec
/// resets handled signals to their default; blocked ones stay blocked, so
/// the mask must be the parent's).
pub extern "C" fn g2n_std_syscall_runtime_AfterForkInChild() {
    restore_mask();
}
}

rt_export! { stdlib::syscall_rawVforkSyscall =>
/// Go's `rawVforkSyscall(SYS_CLONE, flags)`: a `clone` without
/// `CLONE_VM` and `CLONE_VFORK` (a plain fork, see the module comment),
/// returning `(pid, 0)` in the parent, `(0, 0)` in the child and
/// `(-1, errno)` on failure.
pub extern "C" fn g2n_std_syscall_rawVforkSyscall(trap: u64, flags: u64) -> TwoWords {
    let flags = flags & !((libc::CLONE_VM | libc::CLONE_VFORK) as u64);
    // SAFETY: clone with a null stack is fork: the child continues on a
    // copy of this stack.
    let r = unsafe { libc::syscall(trap as libc::c_long, flags, 0u64, 0u64, 0u64, 0u64) };
    match r {
        -1 => TwoWords(u64::MAX, std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO) as u64),
        0 => {
            IN_FORKED_CHILD.store(true, Ordering::Relaxed);
            TwoWords(0, 0)
        }
        pid => TwoWords(pid as u64, 0),
    }
}
}

/// A system call that may wait, made without blocking the flow's other
/// goroutines (module comment): `Some((r1, r2, errno))`, or `None` when the
/// call is made as it is (not one that waits, or no other goroutine alive).
pub(crate) fn without_blocking_others(trap: u64, a: [u64; 6]) -> Option<(u64, u64, u64)> {
    let trap = trap as libc::c_long;
    if crate::sched::others_alive() == 0 || in_forked_child() {
        return None;
    }
    let waits = match trap {
        libc::SYS_wait4 => a[2] & libc::WNOHANG as u64 == 0,
        libc::SYS_waitid => a[3] & libc::WNOHANG as u64 == 0,
        // A non-blocking descriptor (one of crate::poller's) returns
        // EAGAIN, and internal/poll waits on the poller.
        libc::SYS_read | libc::SYS_write => !non_blocking(a[0]),
        libc::SYS_openat => a[2] & libc::O_NONBLOCK as u64 == 0 && is_fifo(a[0], a[1]),
        _ => false,
    };
    if !waits {
        return None;
    }
    let mut pause_ns: i64 = 20_000;
    let mut pause = move || {
        let deadline = crate::sema::nanotime().saturating_add(pause_ns);
        crate::sema::wait(None, Some(deadline), "IO wait");
        pause_ns = (pause_ns * 2).min(5_000_000);
    };
    match trap {
        libc::SYS_openat => Some(on_helper_thread(trap, a, &mut pause)),
        libc::SYS_wait4 => loop {
            let r = raw(trap, [a[0], a[1], a[2] | libc::WNOHANG as u64, a[3], 0, 0]);
            // 0: the child has not changed state yet.
            if r.0 != 0 {
                return Some(r);
            }
            pause();
        },
        libc::SYS_waitid => loop {
            // With WNOHANG, waitid leaves si_pid 0 when no child is ready.
            let info = a[2] as *mut u8;
            if !info.is_null() {
                // SAFETY: `info` is Go's siginfo buffer (128 bytes); si_pid
                // is the i32 at offset 16 on linux/amd64.
                unsafe { info.add(16).cast::<i32>().write_unaligned(0) };
            }
            let r = raw(
                trap,
                [a[0], a[1], a[2], a[3] | libc::WNOHANG as u64, a[4], 0],
            );
            // SAFETY: as above.
            let ready =
                info.is_null() || unsafe { info.add(16).cast::<i32>().read_unaligned() } != 0;
            if r.2 != 0 || ready {
                return Some(r);
            }
            pause();
        },
        _ => {
            let fd = a[0] as libc::c_int;
            let events = if trap == libc::SYS_read {
                libc::POLLIN
            } else {
                libc::POLLOUT
            };
            loop {
                let mut poll = libc::pollfd {
                    fd,
                    events,
                    revents: 0,
                };
                // SAFETY: one pollfd on the stack, no timeout.
                let n = unsafe { libc::poll(&mut poll, 1, 0) };
                // Ready, closed, in error, or not pollable: the call itself
                // says what.
                if n != 0 {
                    break;
                }
                pause();
            }
            let mut args = a;
            // SAFETY: fcntl on a descriptor; fails for anything but a pipe.
            if trap == libc::SYS_write && unsafe { libc::fcntl(fd, libc::F_GETPIPE_SZ) } > 0 {
                // A pipe with room takes PIPE_BUF bytes without blocking.
                args[2] = args[2].min(libc::PIPE_BUF as u64);
            }
            Some(raw(trap, args))
        }
    }
}

/// Whether the descriptor is in non-blocking mode.
fn non_blocking(fd: u64) -> bool {
    // SAFETY: fcntl on a descriptor.
    let flags = unsafe { libc::fcntl(fd as i32, libc::F_GETFL) };
    flags != -1 && flags & libc::O_NONBLOCK != 0
}

/// Whether `openat(dirfd, path)` names a FIFO, whose open waits for the
/// other end.
fn is_fifo(dirfd: u64, path: u64) -> bool {
    if path == 0 {
        return false;
    }
    // SAFETY: `path` is the NUL-terminated name Go passes to openat; `st`
    // is a local the call fills.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        libc::fstatat(dirfd as i32, path as *const libc::c_char, &mut st, 0) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFIFO
    }
}

/// Makes a call that cannot be polled for (the open of a FIFO) on a thread
/// of its own while the goroutine parks between looks at its result. The
/// arguments point into memory the waiting goroutine keeps alive.
fn on_helper_thread(trap: libc::c_long, a: [u64; 6], pause: &mut impl FnMut()) -> (u64, u64, u64) {
    let result = std::sync::Arc::new(std::sync::Mutex::new(None));
    let slot = result.clone();
    let spawned = std::thread::Builder::new().name("g2n-syscall".to_string()).spawn(move || {
        let r = raw(trap, a);
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
    });
    if spawned.is_err() {
        return raw(trap, a);
    }
    loop {
        if let Some(r) = *result.lock().unwrap_or_else(|e| e.into_inner()) {
            return r;
        }
        pause();
    }
}

/// The system call as it is: `(r1, r2, errno)`.
pub(crate) fn raw(trap: libc::c_long, a: [u64; 6]) -> (u64, u64, u64) {
    // SAFETY: the arguments are Go's, for the system call Go's syscall
    // package makes with them (pointers into Go memory it keeps alive).
    let r = unsafe { libc::syscall(trap, a[0], a[1], a[2], a[3], a[4], a[5]) };
    if r == -1 {
        (
            u64::MAX,
            0,
            std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO) as u64,
        )
    } else {
        (r as u64, 0, 0)
    }
}
