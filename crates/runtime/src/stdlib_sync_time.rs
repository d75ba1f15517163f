//! The bodyless functions of g2n's `sync`, `sync/atomic` and `time`
//! (`stdlib/sync`, `stdlib/time`): parking on the scheduler's semaphores and
//! timers ([`crate::sema`]), the clocks, and the checks Go's runtime makes
//! for these packages.

#![allow(non_snake_case)]

use crate::ffi::{bytes, guard};
use crate::sema;
use g2n_abi::GoString;

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

/// The local zone at the Unix time `sec` as the C library sees it (TZ, else
/// /etc/localtime; UTC when neither names a zone): offset east of UTC in
/// seconds and abbreviation.
fn local_zone(sec: i64) -> (i64, String) {
    unsafe extern "C" {
        /// POSIX: reads TZ (localtime_r need not).
        fn tzset();
    }
    // SAFETY: tzset and localtime_r are called with valid pointers; the
    // zone abbreviation is a C string owned by the C library.
    unsafe {
        tzset();
        let t: libc::time_t = sec;
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return (0, "UTC".to_string());
        }
        let name = if tm.tm_zone.is_null() {
            String::new()
        } else {
            std::ffi::CStr::from_ptr(tm.tm_zone).to_string_lossy().into_owned()
        };
        (tm.tm_gmtoff, name)
    }
}

rt_export! { stdlib::time_localOffset =>
/// The local zone's offset east of UTC, in seconds, at the Unix time `sec`.
pub extern "C" fn g2n_std_time_localOffset(sec: i64) -> i64 {
    local_zone(sec).0
}
}

rt_export! { stdlib::time_localName =>
/// The local zone's abbreviation at the Unix time `sec` (a string in
/// collected memory).
pub extern "C" fn g2n_std_time_localName(sec: i64) -> GoString {
    crate::ffi::leak_string(local_zone(sec).1.into_bytes())
}
}

/// The zone `name` of the IANA database, if it loads (see `zoneinfo`).
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
unsafe fn zone_named(ptr: *const u8, len: i64) -> Option<std::sync::Arc<crate::zoneinfo::Zone>> {
    // SAFETY: guaranteed by the caller.
    let name = String::from_utf8_lossy(unsafe { bytes(ptr, len) }).into_owned();
    crate::zoneinfo::load(&name)
}

rt_export! { stdlib::time_loadZone =>
/// `time.LoadLocation`'s lookup: 0 when the zone loads, 1 when there is no
/// such zone, 2 when the name is not a valid one.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_std_time_loadZone(ptr: *const u8, len: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    let name = String::from_utf8_lossy(unsafe { bytes(ptr, len) }).into_owned();
    if !crate::zoneinfo::valid_name(&name) {
        return 2;
    }
    if crate::zoneinfo::load(&name).is_some() { 0 } else { 1 }
}
}

rt_export! { stdlib::time_zoneOffset =>
/// The offset east of UTC, in seconds, of the loaded zone `name` at the
/// Unix time `sec`.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_std_time_zoneOffset(ptr: *const u8, len: i64, sec: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    unsafe { zone_named(ptr, len) }.map_or(0, |z| i64::from(z.lookup(sec).offset))
}
}

rt_export! { stdlib::time_zoneName =>
/// The abbreviation of the loaded zone `name` at the Unix time `sec`.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_std_time_zoneName(ptr: *const u8, len: i64, sec: i64) -> GoString {
    // SAFETY: guaranteed by the caller.
    let name = unsafe { zone_named(ptr, len) }.map_or_else(|| "UTC".to_string(), |z| z.lookup(sec).abbrev.clone());
    crate::ffi::leak_string(name.into_bytes())
}
}
