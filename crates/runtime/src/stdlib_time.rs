//! What Go's `time` package (compiled from Go's source) is bound to in the
//! runtime: the clocks (`runtime.nanotime`, which time pulls in with
//! `//go:linkname`, and `time.now`), `time.Sleep`, and the timer interface
//! (`startTimer`, `stopTimer`, `resetTimer`, `modTimer` on a
//! [`RuntimeTimer`]), as Go's runtime provides them to time.
//!
//! A pending timer is a goroutine of the flow's scheduler parked on the
//! timer's address until its `when` ([`crate::sema`]): when that passes it
//! calls the timer's `f(arg, seq)` (time's `sendTime`, which sends on the
//! Timer's channel without blocking, or `goFunc`, which starts
//! AfterFunc's function), and for a ticker waits for the next period.
//! Stopping or changing the timer wakes the goroutine to read it again; once
//! the timer is neither pending nor changed, the goroutine ends. So a
//! program whose goroutines all wait for timers sleeps rather than
//! deadlocks, and a running timer is a goroutine parked here, which a hop
//! refuses to leave behind (docs/split.md).

#![allow(non_snake_case)]

use crate::sema;
use g2n_abi::RuntimeTimer;

/// `RuntimeTimer::status` of a pending timer.
const PENDING: u32 = 1;
/// `RuntimeTimer::pp` while a goroutine runs the timer.
const RUNNING: usize = 1;

rt_export! { stdlib::runtime_nanotime =>
/// The monotonic clock in nanoseconds (never 0): time's `runtimeNano`,
/// and the clock of timers' `when`.
pub extern "C" fn g2n_std_runtime_nanotime() -> i64 {
    sema::nanotime()
}
}

rt_export! { stdlib::time_now =>
/// `time.now() (sec int64, nsec int32, mono int64)`: the wall clock and
/// the monotonic clock, written to `out` (three words).
///
/// # Safety
/// `out` must point to three writable words.
pub unsafe extern "C" fn g2n_std_time_now(out: *mut i64) {
    let wall = sema::walltime();
    let (sec, nsec) = (wall.div_euclid(1_000_000_000), wall.rem_euclid(1_000_000_000));
    // SAFETY: guaranteed by the caller.
    unsafe {
        out.write(sec);
        out.add(1).write(nsec);
        out.add(2).write(sema::nanotime());
    }
}
}

rt_export! { stdlib::time_Sleep =>
/// `time.Sleep`: parks the running goroutine for `ns` nanoseconds (other
/// goroutines run meanwhile); returns at once when `ns <= 0`.
pub extern "C" fn g2n_std_time_Sleep(ns: i64) {
    if ns <= 0 {
        return;
    }
    let deadline = sema::nanotime().saturating_add(ns);
    sema::wait(None, Some(deadline), "sleep");
}
}

/// Makes `t` pending: starts its goroutine, or wakes the one it has to
/// read its new `when`. Returns whether it was pending already.
///
/// # Safety
/// `t` must point to a live `RuntimeTimer` in collected memory.
unsafe fn arm(t: *mut RuntimeTimer) -> bool {
    // SAFETY: guaranteed by the caller; goroutines run one at a time.
    let timer = unsafe { &mut *t };
    let was = timer.status == PENDING;
    timer.status = PENDING;
    if timer.pp == RUNNING {
        sema::release(t as usize);
    } else {
        timer.pp = RUNNING;
        // A closure object: the goroutine's function, then the timer (which
        // it keeps alive while pending).
        let closure = crate::gc::malloc(16).cast::<usize>();
        // SAFETY: 16 fresh bytes.
        unsafe {
            closure.write(run_timer as *const () as usize);
            closure.add(1).write(t as usize);
        }
        crate::sched::spawn(closure.cast(), crate::stack::StackClass::Deep);
    }
    was
}

/// A timer's goroutine (see the module's comment).
extern "C" fn run_timer(closure: *const u8) {
    // SAFETY: the closure object `arm` made.
    let t = unsafe { *(closure as *const *mut RuntimeTimer).add(1) };
    loop {
        // SAFETY: the timer is live (this closure holds it); it is read
        // afresh after each wait, since Stop, Reset or `f` change it.
        let (status, when) = unsafe { ((*t).status, (*t).when) };
        if status != PENDING {
            break;
        }
        if sema::wait(Some(t as usize), Some(when), "timer") {
            continue; // stopped or changed: read it again
        }
        let now = sema::nanotime();
        // SAFETY: as above.
        let timer = unsafe { &mut *t };
        if timer.status != PENDING || timer.when > now {
            continue;
        }
        if timer.period > 0 {
            // The next tick; ticks a slow receiver missed are dropped, as in
            // Go's runtime.
            timer.when = timer.when.saturating_add(timer.period.saturating_mul(1 + (now - timer.when) / timer.period));
        } else {
            timer.status = 0;
        }
        let (f, arg, seq) = (timer.f, timer.arg, timer.seq);
        if f.is_null() {
            continue;
        }
        // SAFETY: `f` is a `func(any, uintptr)` closure object, whose first
        // word is its code, called as generated code calls a func value.
        unsafe {
            let code: extern "C" fn(*const u8, u64, u64, u64, usize) = std::mem::transmute(*(f as *const usize));
            code(f, arg.tag, arg.word0, arg.word1, seq);
        }
    }
    // SAFETY: as above.
    unsafe { (*t).pp = 0 };
}

rt_export! { stdlib::time_startTimer =>
/// Starts a timer time has filled in.
///
/// # Safety
/// `t` must point to a live `RuntimeTimer`.
pub unsafe extern "C" fn g2n_std_time_startTimer(t: *mut RuntimeTimer) {
    // SAFETY: guaranteed by the caller.
    unsafe { arm(t) };
}
}

rt_export! { stdlib::time_stopTimer =>
/// Stops a timer: 1 when it was pending (the stop prevented it firing).
///
/// # Safety
/// `t` must point to a live `RuntimeTimer`.
pub unsafe extern "C" fn g2n_std_time_stopTimer(t: *mut RuntimeTimer) -> u8 {
    // SAFETY: guaranteed by the caller.
    let timer = unsafe { &mut *t };
    let was = timer.status == PENDING;
    timer.status = 0;
    if timer.pp == RUNNING {
        sema::release(t as usize);
    }
    was as u8
}
}

rt_export! { stdlib::time_resetTimer =>
/// Makes a timer fire at `when` instead: 1 when it was pending.
///
/// # Safety
/// `t` must point to a live `RuntimeTimer`.
pub unsafe extern "C" fn g2n_std_time_resetTimer(t: *mut RuntimeTimer, when: i64) -> u8 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        (*t).when = when;
        arm(t) as u8
    }
}
}

rt_export! { stdlib::time_modTimer =>
/// Changes every field of a timer time uses and makes it pending
/// (`Ticker.Reset`).
///
/// # Safety
/// `t` must point to a live `RuntimeTimer`; `f` is a `func(any, uintptr)`.
pub unsafe extern "C" fn g2n_std_time_modTimer(
    t: *mut RuntimeTimer,
    when: i64,
    period: i64,
    f: *const u8,
    arg_tag: u64,
    arg_word0: u64,
    arg_word1: u64,
    seq: usize,
) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let timer = &mut *t;
        timer.when = when;
        timer.period = period;
        timer.f = f;
        timer.arg = g2n_abi::GoAny { tag: arg_tag, word0: arg_word0, word1: arg_word1 };
        timer.seq = seq;
        arm(t);
    }
}
}
