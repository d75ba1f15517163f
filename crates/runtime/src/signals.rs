//! What Go's `os/signal`, compiled from source, takes from Go's runtime
//! (docs/stdlib.md, "Subprocesses"): `signal_enable`, `signal_disable`,
//! `signal_ignore`, `signal_ignored`, `signal_recv` and
//! `signalWaitUntilIdle`.
//!
//! A signal `Notify` asks for gets a handler that sets its bit in one
//! process-wide word; `signal_recv`, which os/signal's loop goroutine calls
//! forever, takes the lowest bit set. The handler runs on whatever thread
//! the kernel picks and can do nothing but that store, so `signal_recv`
//! cannot be woken: it parks its goroutine for a short, growing time
//! (20 µs up to 10 ms) between looks, as a timer would, so the flow's other
//! goroutines run meanwhile. The collector's own signals (SIGPWR, SIGXCPU,
//! with which bdwgc stops threads) and the runtime's stack-overflow
//! SIGSEGV are never taken over: enabling them does nothing.

#![allow(non_snake_case)]

use std::sync::atomic::{AtomicU64, Ordering};

/// Signals received and not yet handed to `signal_recv`, one bit each
/// (bit n for signal n, 1 to 63).
static PENDING: AtomicU64 = AtomicU64::new(0);

/// Signals with the handler installed.
static ENABLED: AtomicU64 = AtomicU64::new(0);

extern "C" fn on_signal(signal: libc::c_int) {
    if (1..64).contains(&signal) {
        PENDING.fetch_or(1 << signal, Ordering::SeqCst);
    }
}

/// Whether `signal.Notify` asked for `signal`.
pub(crate) fn notified(signal: libc::c_int) -> bool {
    (1..64).contains(&signal) && ENABLED.load(Ordering::SeqCst) & (1 << signal) != 0
}

/// Whether the runtime or the collector owns `signal`.
fn reserved(signal: u32) -> bool {
    matches!(signal as libc::c_int, libc::SIGPWR | libc::SIGXCPU | libc::SIGSEGV | libc::SIGBUS | libc::SIGKILL | libc::SIGSTOP)
        || !(1..64).contains(&signal)
}

/// Installs `action` (a handler's address, `SIG_DFL` or `SIG_IGN`) for `signal`.
fn set_action(signal: u32, action: usize) {
    // SAFETY: sigaction with a zeroed, then filled, structure.
    unsafe {
        let mut new: libc::sigaction = std::mem::zeroed();
        new.sa_sigaction = action;
        new.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut new.sa_mask);
        libc::sigaction(signal as libc::c_int, &new, std::ptr::null_mut());
    }
}

rt_export! { stdlib::os_signal_signal_enable =>
/// `signal.Notify` of `signal`: from now on it is caught and queued.
pub extern "C" fn g2n_std_os_signal_signal_enable(signal: u32) {
    if reserved(signal) {
        return;
    }
    ENABLED.fetch_or(1 << signal, Ordering::SeqCst);
    set_action(signal, on_signal as *const () as usize);
}
}

rt_export! { stdlib::os_signal_signal_disable =>
/// `signal.Reset` or `Stop` of the last channel for `signal`: its default
/// action again (for SIGPIPE, the runtime's own handler once it has one,
/// crate::process).
pub extern "C" fn g2n_std_os_signal_signal_disable(signal: u32) {
    if reserved(signal) {
        return;
    }
    ENABLED.fetch_and(!(1 << signal), Ordering::SeqCst);
    if signal as libc::c_int == libc::SIGPIPE && crate::process::catches_sigpipe() {
        crate::process::catch_sigpipe_again();
    } else {
        set_action(signal, libc::SIG_DFL);
    }
}
}

rt_export! { stdlib::os_signal_signal_ignore =>
/// `signal.Ignore`.
pub extern "C" fn g2n_std_os_signal_signal_ignore(signal: u32) {
    if reserved(signal) {
        return;
    }
    ENABLED.fetch_and(!(1 << signal), Ordering::SeqCst);
    set_action(signal, libc::SIG_IGN);
}
}

rt_export! { stdlib::os_signal_signal_ignored =>
/// `signal.Ignored`: whether the signal's disposition is SIG_IGN.
pub extern "C" fn g2n_std_os_signal_signal_ignored(signal: u32) -> u8 {
    if !(1..64).contains(&signal) {
        return 0;
    }
    // SAFETY: reading the disposition into a zeroed structure.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        u8::from(libc::sigaction(signal as libc::c_int, std::ptr::null(), &mut current) == 0 && current.sa_sigaction == libc::SIG_IGN)
    }
}
}

/// Takes the lowest pending signal, if any.
fn take_pending() -> Option<u32> {
    let mut pending = PENDING.load(Ordering::SeqCst);
    while pending != 0 {
        let signal = pending.trailing_zeros();
        match PENDING.compare_exchange(pending, pending & !(1 << signal), Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => return Some(signal),
            Err(now) => pending = now,
        }
    }
    None
}

rt_export! { stdlib::os_signal_signal_recv =>
/// The next signal received, for os/signal's loop goroutine: parks it
/// between looks (module comment).
pub extern "C" fn g2n_std_os_signal_signal_recv() -> u32 {
    let mut pause_ns: i64 = 20_000;
    loop {
        if let Some(signal) = take_pending() {
            return signal;
        }
        let deadline = crate::sema::nanotime().saturating_add(pause_ns);
        crate::sema::wait(None, Some(deadline), "signal wait");
        pause_ns = (pause_ns * 2).min(10_000_000);
    }
}
}

rt_export! { stdlib::os_signal_signalWaitUntilIdle =>
/// `signal.Stop` waits until the signals received so far are handed out:
/// lets the loop goroutine run until none is pending (at most a second:
/// one whose loop never started stays pending).
pub extern "C" fn g2n_std_os_signal_signalWaitUntilIdle() {
    let deadline = crate::sema::nanotime().saturating_add(1_000_000_000);
    while PENDING.load(Ordering::SeqCst) != 0 && crate::sema::nanotime() < deadline {
        let pause = crate::sema::nanotime().saturating_add(1_000_000);
        crate::sema::wait(None, Some(pause), "signal wait");
    }
}
}
