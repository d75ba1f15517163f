//! Allocation counts for `runtime.MemStats` (`Mallocs`, `Frees`,
//! `HeapObjects`) and so for `testing.AllocsPerRun`, which reads them.
//!
//! The collector (bdwgc) counts bytes, not objects, so the runtime counts
//! the objects its two entry points for Go memory ([`crate::gc::malloc`]
//! and [`crate::gc::malloc_atomic`]) hand out. Each thread counts in its own
//! thread-local word, written only by that thread (a load and a store, no
//! atomic read-modify-write, no shared cache line); [`mallocs`] sums the
//! words of the threads alive and what the threads that ended had counted.
//!
//! Frees: bdwgc reclaims objects without telling anyone. After a
//! collection, the objects it left marked are the ones alive then, so
//! `Frees` is the objects allocated before the last collection minus those
//! it kept (counted on demand, by [`frees`], walking the marked objects
//! under the collector's lock: only `ReadMemStats` pays for it).

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// This thread's count, and whether [`REGISTRY`] knows it.
struct ThreadCount {
    mallocs: AtomicU64,
    registered: Cell<bool>,
}

thread_local! {
    static COUNT: ThreadCount = const { ThreadCount { mallocs: AtomicU64::new(0), registered: Cell::new(false) } };
    /// Unregisters the thread's count when the thread ends (touched once,
    /// when the count registers: its destructor is what matters).
    static UNREGISTER: Unregister = const { Unregister };
}

/// The counts of the threads alive (addresses of their [`ThreadCount`]s),
/// and what ended threads had counted.
struct Registry {
    alive: Vec<usize>,
    ended: u64,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { alive: Vec::new(), ended: 0 });

/// One more object handed out on this thread.
#[inline(always)]
pub(crate) fn count_malloc() {
    // `try_with`: an allocation while the thread's locals are destroyed
    // is not counted.
    let _ = COUNT.try_with(|count| {
        count.mallocs.store(count.mallocs.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        if !count.registered.get() {
            register(count);
        }
    });
}

#[cold]
fn register(count: &ThreadCount) {
    count.registered.set(true);
    if UNREGISTER.try_with(|_| ()).is_ok() {
        lock().alive.push(count as *const ThreadCount as usize);
    }
}

fn lock() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Unregister;

impl Drop for Unregister {
    fn drop(&mut self) {
        let _ = COUNT.try_with(|count| {
            let address = count as *const ThreadCount as usize;
            let mut registry = lock();
            registry.alive.retain(|&a| a != address);
            registry.ended += count.mallocs.load(Ordering::Relaxed);
        });
    }
}

/// Objects allocated so far by every thread.
pub fn mallocs() -> u64 {
    let registry = lock();
    registry.alive.iter().fold(registry.ended, |sum, &address| {
        // SAFETY: a registered count belongs to a thread that has not ended
        // (it leaves the registry, under this lock, as its thread ends), and
        // it is only read here.
        sum + unsafe { &*(address as *const ThreadCount) }.mallocs.load(Ordering::Relaxed)
    })
}

/// [`mallocs`] when the last collection started, recorded by the
/// collector's event callback.
static MALLOCS_AT_COLLECTION: AtomicU64 = AtomicU64::new(0);
/// The collection whose marked objects [`frees`] counted, and how many.
static COUNTED_COLLECTION: AtomicUsize = AtomicUsize::new(usize::MAX);
static MARKED_AT_COLLECTION: AtomicU64 = AtomicU64::new(0);

type EventProc = unsafe extern "C" fn(c_int);
type ReachableProc = unsafe extern "C" fn(*mut c_void, usize, *mut c_void);
type LockedFn = unsafe extern "C" fn(*mut c_void) -> *mut c_void;
use std::ffi::c_int;

unsafe extern "C" {
    fn GC_set_on_collection_event(f: Option<EventProc>);
    fn GC_get_gc_no() -> usize;
    fn GC_call_with_alloc_lock(f: LockedFn, data: *mut c_void) -> *mut c_void;
    fn GC_enumerate_reachable_objects_inner(f: ReachableProc, data: *mut c_void);
}

/// bdwgc's `GC_EVENT_START`.
const GC_EVENT_START: c_int = 0;

/// Records the allocation count as each collection starts. Called once,
/// when the collector is initialised.
pub(crate) fn watch_collections() {
    // SAFETY: a plain setter, called before any collection can start.
    unsafe { GC_set_on_collection_event(Some(collection_event)) };
}

unsafe extern "C" fn collection_event(event: c_int) {
    if event == GC_EVENT_START {
        // The threads that allocate are running (the world is not stopped
        // yet), so their counts can be read; none holds the registry's
        // lock while it waits for the collector's.
        MALLOCS_AT_COLLECTION.store(mallocs(), Ordering::Relaxed);
    }
}

/// Objects the collections so far have freed (see the module's comment).
pub fn frees() -> u64 {
    // SAFETY: a plain query.
    let collection = unsafe { GC_get_gc_no() };
    if collection == 0 {
        return 0;
    }
    if COUNTED_COLLECTION.load(Ordering::Relaxed) != collection {
        unsafe extern "C" fn count_one(_obj: *mut c_void, _bytes: usize, data: *mut c_void) {
            // SAFETY: `data` is the counter `count_marked` passes.
            unsafe { *data.cast::<u64>() += 1 };
        }
        unsafe extern "C" fn count_marked(data: *mut c_void) -> *mut c_void {
            // SAFETY: the collector's lock is held (GC_call_with_alloc_lock).
            unsafe { GC_enumerate_reachable_objects_inner(count_one, data) };
            std::ptr::null_mut()
        }
        let mut marked: u64 = 0;
        // SAFETY: the callback runs synchronously with `marked` alive.
        unsafe { GC_call_with_alloc_lock(count_marked, (&mut marked as *mut u64).cast()) };
        MARKED_AT_COLLECTION.store(marked, Ordering::Relaxed);
        COUNTED_COLLECTION.store(collection, Ordering::Relaxed);
    }
    MALLOCS_AT_COLLECTION.load(Ordering::Relaxed).saturating_sub(MARKED_AT_COLLECTION.load(Ordering::Relaxed))
}
