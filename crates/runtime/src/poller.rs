//! The network poller Go's `internal/poll` asks its runtime for, g2n's way
//! (docs/stdlib.md, "Subprocesses"): pipes, FIFOs and sockets are
//! registered (`runtime_pollOpen`), so `internal/poll` makes them
//! non-blocking and, when a read or write would block, waits in
//! `runtime_pollWait`. g2n has no poller thread (a flow's goroutines share
//! its thread, docs/goroutines.md): the waiting goroutine looks with
//! `poll(2)` and no timeout, and parks for a short, growing time between
//! looks (20 µs up to 5 ms, never past its deadline), as `time.Sleep` parks
//! it, so the others run. A descriptor closed by another goroutine
//! (`runtime_pollUnblock`) or a deadline that passes ends the wait with Go's
//! errors (`ErrFileClosing`, `ErrDeadlineExceeded`): what lets `Close`
//! interrupt a `Read` of a pipe and `SetReadDeadline` work on one.
//!
//! Regular files, directories and devices are refused (EPERM, as epoll
//! refuses a regular file) and stay blocking, as do the standard streams,
//! which the runtime serves itself (crate::stdlib_os).

use crate::stdlib_os::TwoWords;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// Go's `pollNoError`, `pollErrClosing`, `pollErrTimeout`.
const NO_ERROR: i64 = 0;
const ERR_CLOSING: i64 = 1;
const ERR_TIMEOUT: i64 = 2;

/// One registered descriptor: `internal/poll`'s `pollDesc.runtimeCtx`
/// points to it from `pollOpen` to `pollClose`.
struct PollCtx {
    fd: i32,
    closing: AtomicBool,
    /// Deadlines in `runtime.nanotime` (0: none; negative: passed).
    read_deadline: AtomicI64,
    write_deadline: AtomicI64,
}

/// `mode` is `'r'`, `'w'` or `'r' + 'w'`, as internal/poll passes it.
fn reads(mode: i64) -> bool {
    mode == i64::from(b'r') || mode == i64::from(b'r') + i64::from(b'w')
}

fn writes(mode: i64) -> bool {
    mode == i64::from(b'w') || mode == i64::from(b'r') + i64::from(b'w')
}

fn passed(deadline: i64, now: i64) -> bool {
    deadline < 0 || (deadline > 0 && deadline <= now)
}

impl PollCtx {
    /// The wait's outcome if it is over already: closing, or past a deadline.
    fn check(&self, mode: i64) -> Option<i64> {
        if self.closing.load(Ordering::SeqCst) {
            return Some(ERR_CLOSING);
        }
        let now = crate::sema::nanotime();
        let timed_out = (reads(mode) && passed(self.read_deadline.load(Ordering::SeqCst), now))
            || (writes(mode) && passed(self.write_deadline.load(Ordering::SeqCst), now));
        timed_out.then_some(ERR_TIMEOUT)
    }

    /// The nearest deadline of `mode` still ahead, if any.
    fn next_deadline(&self, mode: i64) -> Option<i64> {
        let mut next = None;
        for (on, deadline) in [(reads(mode), &self.read_deadline), (writes(mode), &self.write_deadline)] {
            let d = deadline.load(Ordering::SeqCst);
            if on && d > 0 {
                next = Some(next.map_or(d, |n: i64| n.min(d)));
            }
        }
        next
    }
}

/// The context behind `ctx`.
///
/// # Safety
/// `ctx` must come from [`open`] and not be closed yet.
unsafe fn context<'a>(ctx: u64) -> &'a PollCtx {
    // SAFETY: guaranteed by the caller.
    unsafe { &*(ctx as *const PollCtx) }
}

/// `runtime_pollOpen(fd)`: `(ctx, 0)`, or `(0, EPERM)` for a descriptor
/// that stays blocking.
pub(crate) fn open(fd: u64) -> TwoWords {
    let fd = fd as i32;
    // SAFETY: fstat of a descriptor into a local.
    let kind = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) != 0 {
            return TwoWords(0, std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EBADF) as u64);
        }
        st.st_mode & libc::S_IFMT
    };
    if fd <= 2 || !(kind == libc::S_IFIFO || kind == libc::S_IFSOCK) {
        return TwoWords(0, libc::EPERM as u64);
    }
    let ctx = Box::new(PollCtx { fd, closing: AtomicBool::new(false), read_deadline: AtomicI64::new(0), write_deadline: AtomicI64::new(0) });
    TwoWords(Box::into_raw(ctx) as u64, 0)
}

/// `runtime_pollClose(ctx)`: the descriptor is closed; its context goes.
pub(crate) fn close(ctx: u64) {
    if ctx != 0 {
        // SAFETY: `ctx` came from `open` (Box::into_raw) and internal/poll
        // closes it once, after every wait on it has returned.
        drop(unsafe { Box::from_raw(ctx as *mut PollCtx) });
    }
}

/// `runtime_pollReset(ctx, mode)`: before a read or write, whether the
/// descriptor is closing or past its deadline.
pub(crate) fn reset(ctx: u64, mode: i64) -> i64 {
    // SAFETY: internal/poll passes a context it opened.
    unsafe { context(ctx) }.check(mode).unwrap_or(NO_ERROR)
}

/// `runtime_pollWait(ctx, mode)`: until the descriptor is ready for
/// `mode`, closing, or past the deadline (module comment).
pub(crate) fn wait(ctx: u64, mode: i64) -> i64 {
    // SAFETY: internal/poll passes a context it opened, and closes it only
    // after this returns.
    let ctx = unsafe { context(ctx) };
    let events = if mode == i64::from(b'r') {
        libc::POLLIN
    } else if mode == i64::from(b'w') {
        libc::POLLOUT
    } else {
        libc::POLLIN | libc::POLLOUT
    };
    let mut pause_ns: i64 = 20_000;
    loop {
        if let Some(outcome) = ctx.check(mode) {
            return outcome;
        }
        let mut poll = libc::pollfd { fd: ctx.fd, events, revents: 0 };
        // SAFETY: one pollfd on the stack, no timeout.
        if unsafe { libc::poll(&mut poll, 1, 0) } != 0 {
            // Ready, hung up or in error: the read or write says which.
            return NO_ERROR;
        }
        let now = crate::sema::nanotime();
        let mut until = now.saturating_add(pause_ns);
        if let Some(deadline) = ctx.next_deadline(mode) {
            until = until.min(deadline);
        }
        crate::sema::wait(None, Some(until), "IO wait");
        pause_ns = (pause_ns * 2).min(5_000_000);
    }
}

/// `runtime_pollSetDeadline(ctx, d, mode)`: `d` is how far ahead the
/// deadline is (0: none; negative: passed), made absolute as Go's runtime
/// does.
pub(crate) fn set_deadline(ctx: u64, d: i64, mode: i64) {
    // SAFETY: internal/poll passes a context it opened.
    let ctx = unsafe { context(ctx) };
    let d = match d {
        0 => 0,
        d if d < 0 => -1,
        d => crate::sema::nanotime().checked_add(d).unwrap_or(i64::MAX),
    };
    if reads(mode) {
        ctx.read_deadline.store(d, Ordering::SeqCst);
    }
    if writes(mode) {
        ctx.write_deadline.store(d, Ordering::SeqCst);
    }
}

/// `runtime_pollUnblock(ctx)`: the descriptor is being closed; waits on it
/// end with `ErrFileClosing`.
pub(crate) fn unblock(ctx: u64) {
    // SAFETY: internal/poll passes a context it opened.
    unsafe { context(ctx) }.closing.store(true, Ordering::SeqCst);
}
