//! The bodyless functions of g2n's `sync` and `sync/atomic` (`stdlib/sync`):
//! parking on the scheduler's semaphores ([`crate::sema`]) and the checks
//! Go's runtime makes for these packages. `time`'s are in `stdlib_time`.

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
