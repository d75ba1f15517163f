//! A counting global allocator for tests that bound what a decoder may
//! allocate: every allocation is forwarded to the system allocator and
//! counted twice, on the calling thread and for the whole process. Included
//! with `#[path]` by the runtime's fuzz tests (which measure one thread, the
//! decoder's) and tests/header_auth.rs (which measures the process: the
//! server's connection thread is not the test's).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};

struct Counting;

thread_local! {
    static THREAD_LIVE: Cell<i64> = const { Cell::new(0) };
    static THREAD_PEAK: Cell<i64> = const { Cell::new(0) };
}

static PROCESS_LIVE: AtomicI64 = AtomicI64::new(0);
static PROCESS_PEAK: AtomicI64 = AtomicI64::new(0);

fn count(delta: i64) {
    // `try_with`: the thread's slots may be gone while it exits.
    let _ = THREAD_LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = THREAD_PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
    let now = PROCESS_LIVE.fetch_add(delta, Ordering::Relaxed) + delta;
    PROCESS_PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters are thread-local cells and atomics that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as i64);
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as i64);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as i64));
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Both blocks exist while the bytes move.
        count(new_size as i64);
        count(-(layout.size() as i64));
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Runs `f` and returns its result and the most this thread held at once
/// beyond what it held before.
#[allow(dead_code)]
pub fn thread_peak_of<T>(f: impl FnOnce() -> T) -> (T, i64) {
    let base = THREAD_LIVE.with(Cell::get);
    THREAD_PEAK.with(|p| p.set(base));
    let out = f();
    (out, THREAD_PEAK.with(Cell::get) - base)
}

/// Runs `f` and returns its result and the most the whole process held at
/// once beyond what it held before.
#[allow(dead_code)]
pub fn process_peak_of<T>(f: impl FnOnce() -> T) -> (T, i64) {
    let base = PROCESS_LIVE.load(Ordering::Relaxed);
    PROCESS_PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PROCESS_PEAK.load(Ordering::Relaxed) - base)
}
