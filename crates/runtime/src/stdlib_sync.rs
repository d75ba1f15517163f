//! The bodyless functions of g2n's `sync` and `sync/atomic` (`stdlib/sync`):
//! parking on the scheduler's semaphores ([`crate::sema`]) and the checks
//! Go's runtime makes for these packages, and the pools' cleanup before a
//! collection. `time`'s are in `stdlib_time`.

#![allow(non_snake_case)]

use crate::ffi::{bytes, guard};
use crate::sema;
use std::sync::atomic::{AtomicUsize, Ordering};

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

rt_export! { stdlib::sync_nanotime =>
/// The monotonic clock (`Mutex`'s starvation threshold).
pub extern "C" fn g2n_std_sync_nanotime() -> i64 {
    sema::nanotime()
}
}

/// sync's `poolCleanup`, a `func()` closure object (0 until a pool is
/// first used). A static of the executable's data, which the collector
/// scans, so the closure stays alive.
static POOL_CLEANUP: AtomicUsize = AtomicUsize::new(0);

rt_export! { stdlib::sync_registerPoolCleanup =>
/// Go's `runtime_registerPoolCleanup`: the function [`clean_pools`] calls.
pub extern "C" fn g2n_std_sync_registerPoolCleanup(cleanup: *const u8) {
    POOL_CLEANUP.store(cleanup as usize, Ordering::Release);
}
}

/// Before a collection `runtime.GC()` starts: sync's pools move their
/// objects to their victim caches and drop the old ones, as Go's runtime
/// has them do at the start of every collection. Called on a goroutine of
/// the flow (runtime.GC's caller), which the cleanup does not block.
pub(crate) fn clean_pools() {
    let cleanup = POOL_CLEANUP.load(Ordering::Acquire);
    if cleanup == 0 {
        return;
    }
    // SAFETY: a `func()` closure object, whose first word is its code,
    // called as generated code calls a func value.
    unsafe {
        let code: extern "C" fn(usize) = std::mem::transmute(*(cleanup as *const usize));
        code(cleanup);
    }
}

rt_export! { stdlib::sync_atomic_sameType =>
/// Whether two interface values hold the same dynamic type
/// (`atomic.Value`'s consistency check). Both are non-nil.
pub extern "C" fn g2n_std_sync_atomic_sameType(tag_a: u64, _a0: u64, _a1: u64, tag_b: u64, _b0: u64, _b1: u64) -> u8 {
    (tag_a == tag_b) as u8
}
}
