//! The bodyless functions of g2n's `sync`, `sync/atomic` and `time`
//! (`stdlib/sync`, `stdlib/time`): parking on the scheduler's semaphores and
//! timers ([`crate::sema`]), the clocks, and the checks Go's runtime makes
//! for these packages.

#![allow(non_snake_case)]

use crate::ffi::{bytes, guard};
use crate::sema;

rt_export! { stdlib::sync_semacquire =>
/// Parks the running goroutine until `g2n_std_sync_semrelease(addr)`.
pub extern "C" fn g2n_std_sync_semacquire(addr: *mut u32) {
    sema::wait(Some(addr as usize), None, "semacquire");
}
}

rt_export! { stdlib::sync_semrelease =>
/// Makes the goroutine waiting longest on `addr` runnable.
pub extern "C" fn g2n_std_sync_semrelease(addr: *mut u32) {
    sema::release(addr as usize);
}
}

rt_export! { stdlib::sync_fatal =>
/// Go's `sync.fatal`: `fatal error: <msg>` with the goroutine's traceback,
/// exit code 2; no deferred call runs and no `recover` stops it.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_std_sync_fatal(ptr: *const u8, len: i64) {
    // SAFETY: guaranteed by the caller.
    let msg = String::from_utf8_lossy(unsafe { bytes(ptr, len) }).into_owned();
    guard(|| -> () {
        let message = format!("fatal error: {msg}\n{}", crate::ffi::traceback());
        crate::ffi::print_fatal_and_end(message.as_bytes())
    })
}
}

rt_export! { stdlib::sync_atomic_sameType =>
/// Whether two interface values hold the same dynamic type
/// (`atomic.Value`'s consistency check). Both are non-nil.
pub extern "C" fn g2n_std_sync_atomic_sameType(tag_a: u64, _a0: u64, _a1: u64, tag_b: u64, _b0: u64, _b1: u64) -> u8 {
    (tag_a == tag_b) as u8
}
}

rt_export! { stdlib::time_nanotime =>
/// The monotonic clock in nanoseconds (never 0).
pub extern "C" fn g2n_std_time_nanotime() -> i64 {
    sema::nanotime()
}
}

rt_export! { stdlib::time_walltime =>
/// The wall clock in nanoseconds since the Unix epoch.
pub extern "C" fn g2n_std_time_walltime() -> i64 {
    sema::walltime()
}
}

rt_export! { stdlib::time_sleep =>
/// `time.Sleep`: parks the running goroutine for `ns` nanoseconds (other
/// goroutines run meanwhile); returns at once when `ns <= 0`.
pub extern "C" fn g2n_std_time_sleep(ns: i64) {
    if ns <= 0 {
        return;
    }
    let deadline = sema::nanotime().saturating_add(ns);
    sema::wait(None, Some(deadline), "sleep");
}
}

rt_export! { stdlib::time_timerWait =>
/// A timer's goroutine waits until `when` (a `nanotime` reading) or until
/// `g2n_std_time_timerWake(addr)`; returns 1 when woken, 0 when `when`
/// passed.
pub extern "C" fn g2n_std_time_timerWait(addr: *mut u32, when: i64) -> u8 {
    sema::wait(Some(addr as usize), Some(when), "timer") as u8
}
}

rt_export! { stdlib::time_timerWake =>
/// Wakes the goroutine of the timer whose word is `addr`; 0 when none waits.
pub extern "C" fn g2n_std_time_timerWake(addr: *mut u32) -> u8 {
    sema::release(addr as usize) as u8
}
}
