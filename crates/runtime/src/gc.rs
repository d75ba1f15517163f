//! The garbage collector: the Boehm-Demers-Weiser conservative collector
//! (bdwgc 8.2, thread-aware build; linked by build.rs).
//!
//! Every Go value lives in memory from [`malloc`] (scanned for pointers) or
//! [`malloc_atomic`] (never scanned: string bytes). The collector finds the
//! roots itself: the registers and stacks of every *registered* thread, and
//! the writable data of the executable (generated code's globals). It does
//! not scan memory from Rust's global allocator, so the runtime never keeps
//! the only pointer to a Go value in a `Vec`, `Box` or `HashMap`: maps keep
//! their entries in collector memory (see maps.rs), scopes keep copies.
//!
//! Threads: the collector is initialised on the main thread (a constructor
//! that runs when the executable or test binary is loaded), and every other
//! thread registers itself the first time it allocates Go memory (only a
//! thread that allocates can hold a Go pointer: flows never share values
//! across threads), and unregisters when it exits. Until a second thread can
//! register, the collector runs single-threaded: it allocates without taking
//! its lock. The runtime calls [`allow_threads`] before it spawns a thread.
//! The collector's parallel markers start once the heap grows past
//! [`PARALLEL_MARK_HEAP`] (where marking in parallel pays for the threads),
//! which costs a small program nothing at startup. Interior pointers count
//! (Go slices and field pointers point into objects), including one past the
//! end of an object (`s[len(s):]`).

use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};

#[repr(C)]
struct StackBase {
    mem_base: *mut c_void,
}

type WarnProc = unsafe extern "C" fn(*mut c_char, usize);
type Finalizer = unsafe extern "C" fn(*mut c_void, *mut c_void);

unsafe extern "C" {
    fn GC_init();
    fn GC_is_init_called() -> c_int;
    fn GC_set_all_interior_pointers(on: c_int);
    fn GC_set_warn_proc(p: WarnProc);
    fn GC_set_dont_precollect(on: c_int);
    fn GC_allow_register_threads();
    fn GC_start_mark_threads();
    fn GC_set_on_heap_resize(f: Option<unsafe extern "C" fn(usize)>);
    fn GC_thread_is_registered() -> c_int;
    fn GC_get_stack_base(base: *mut StackBase) -> c_int;
    fn GC_register_my_thread(base: *const StackBase) -> c_int;
    fn GC_unregister_my_thread() -> c_int;
    fn GC_malloc(size: usize) -> *mut c_void;
    fn GC_malloc_atomic(size: usize) -> *mut c_void;
    fn GC_malloc_uncollectable(size: usize) -> *mut c_void;
    fn GC_free(p: *mut c_void);
    fn GC_register_finalizer_no_order(
        obj: *mut c_void,
        f: Option<Finalizer>,
        data: *mut c_void,
        old_f: *mut Option<Finalizer>,
        old_data: *mut *mut c_void,
    );
    fn GC_gcollect();
    fn GC_get_heap_size() -> usize;
    fn GC_get_total_bytes() -> usize;
    fn GC_disable();
    fn GC_enable();
    fn gettid() -> c_int;
    /// The number of parallel marker threads running (0: none yet); see
    /// [`allow_threads`] for the one place the runtime writes it.
    static mut GC_parallel: c_int;
}

const GC_SUCCESS: c_int = 0;

/// The collector's warnings (e.g. "repeated allocation of very large block")
/// would land on the program's stderr; a Go program's stderr is its own.
unsafe extern "C" fn quiet(_msg: *mut c_char, _arg: usize) {}

/// Initialises the collector. Idempotent; must first run on the main thread
/// (the collector takes the calling thread's stack as the main stack).
pub fn init() {
    // SAFETY: plain calls into the collector's documented setup sequence.
    unsafe {
        if GC_is_init_called() != 0 {
            return;
        }
        // On another thread, the collector would scan from that thread's
        // stack pointer up to the main stack's base: fail loudly instead.
        if gettid() != std::process::id() as c_int {
            crate::flow::fatal(
                "fatal error: runtime: the garbage collector must be initialised on the main thread",
            );
        }
        GC_set_all_interior_pointers(1);
        GC_set_warn_proc(quiet);
        // No collection inside GC_init (its purpose is to black-list false
        // pointers into the heap before it is used; the first real
        // collection does that too): a program that never fills its small
        // initial heap then never marks at all.
        GC_set_dont_precollect(1);
        GC_init();
        GC_set_on_heap_resize(Some(heap_resized));
        crate::alloc_stats::watch_collections();
        // The runtime's own unit tests build Go values by hand and keep some
        // of them only in Rust memory (test fixtures), so collection is off
        // in that one test binary. The collector itself is tested in
        // tests/gc.rs, which links the runtime as it ships.
        #[cfg(test)]
        GC_disable();
    }
}

/// Set (by the collector, holding its lock) when the heap has grown past
/// [`PARALLEL_MARK_HEAP`]; the next allocation starts the markers.
static WANT_MARKERS: AtomicBool = AtomicBool::new(false);
static MARKERS_STARTED: AtomicBool = AtomicBool::new(false);
/// The heap size from which a single-threaded program marks in parallel.
pub const PARALLEL_MARK_HEAP: usize = 8 << 20;

unsafe extern "C" fn heap_resized(new_size: usize) {
    if new_size >= PARALLEL_MARK_HEAP && !MARKERS_STARTED.load(Ordering::Relaxed) {
        WANT_MARKERS.store(true, Ordering::Relaxed);
    }
}

#[cold]
fn start_markers() {
    WANT_MARKERS.store(false, Ordering::Relaxed);
    if !MARKERS_STARTED.swap(true, Ordering::Relaxed) {
        // SAFETY: documented for single-threaded clients too; idempotent;
        // once threads may register it takes the collector's lock.
        unsafe { GC_start_mark_threads() };
    }
}

/// Lets other threads register with the collector (which then takes its lock
/// to allocate). Called before the runtime spawns a thread: the first call is
/// on the main thread (every runtime thread descends from it), while it is
/// the only thread, as the collector requires.
///
/// The parallel markers still wait for the heap to pass
/// [`PARALLEL_MARK_HEAP`]: every program spawns a thread (the origin flow's,
/// crate::stack), and starting a marker thread and waiting for it to be
/// ready was about a fifth of a hello world's CPU time. bdwgc 8.2's
/// `GC_allow_register_threads` starts the markers unless `GC_parallel` says
/// they run already, so it is called with `GC_parallel` set, which is put
/// back before any other thread exists; [`start_markers`] starts them later
/// under the collector's lock (`GC_start_mark_threads`, any thread).
pub fn allow_threads() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        init();
        // SAFETY: see above; the collector is initialised, and no other
        // thread exists to read `GC_parallel` meanwhile.
        unsafe {
            let parallel = GC_parallel;
            GC_parallel = 1;
            GC_allow_register_threads();
            GC_parallel = parallel;
        }
    });
}

/// Runs [`init`] when the process starts, on the main thread, before any
/// Rust code: test binaries that link the runtime as an rlib allocate Go
/// memory from test threads, never from `g2n_rt_main`.
extern "C" fn init_at_load() {
    init();
}

#[used]
#[unsafe(link_section = ".init_array")]
static INIT_AT_LOAD: extern "C" fn() = init_at_load;

/// Unregisters the thread when its thread-locals are destroyed, i.e. when it
/// exits: the collector must not scan a stack that no longer exists.
struct Registration {
    registered_here: Cell<bool>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        if self.registered_here.get() {
            // SAFETY: this thread registered itself in `register_thread`.
            unsafe { GC_unregister_my_thread() };
        }
    }
}

thread_local! {
    static REGISTRATION: Registration = const { Registration { registered_here: Cell::new(false) } };
    static KNOWN: Cell<bool> = const { Cell::new(false) };
}

/// Makes sure the collector scans this thread's stack and registers.
#[inline]
pub fn register_thread() {
    if KNOWN.with(Cell::get) {
        return;
    }
    register_slow();
}

#[cold]
fn register_slow() {
    init();
    // SAFETY: the collector is initialised (and, below, allows thread
    // registration).
    unsafe {
        if GC_thread_is_registered() == 0 {
            // A thread the runtime did not spawn (a test harness's): its
            // main thread runs no flow, so it does not allocate meanwhile.
            allow_threads();
            let mut base = StackBase {
                mem_base: std::ptr::null_mut(),
            };
            if GC_get_stack_base(&mut base) != GC_SUCCESS
                || GC_register_my_thread(&base) != GC_SUCCESS
            {
                crate::flow::fatal(
                    "fatal error: runtime: cannot register a thread with the garbage collector",
                );
            }
            // If thread-locals are already being destroyed, `try_with` fails
            // and the thread stays registered: the collector then finds it
            // gone (ESRCH) and skips it.
            let _ = REGISTRATION.try_with(|r| r.registered_here.set(true));
        }
    }
    KNOWN.with(|k| k.set(true));
}

fn out_of_memory() -> ! {
    crate::flow::fatal("fatal error: runtime: out of memory")
}

/// `size` zeroed bytes, 8-aligned (16 in fact), scanned for pointers, freed
/// by the collector once unreachable.
pub fn malloc(size: usize) -> *mut u8 {
    register_thread();
    // SAFETY: the thread is registered; any size is valid.
    let p = unsafe { GC_malloc(size) };
    if p.is_null() {
        out_of_memory();
    }
    crate::alloc_stats::count_malloc();
    if WANT_MARKERS.load(Ordering::Relaxed) {
        start_markers();
    }
    p.cast()
}

/// `size` bytes (not zeroed) that the collector never scans for pointers:
/// for string contents and other pointer-free data.
pub fn malloc_atomic(size: usize) -> *mut u8 {
    register_thread();
    // SAFETY: as in `malloc`.
    let p = unsafe { GC_malloc_atomic(size) };
    if p.is_null() {
        out_of_memory();
    }
    crate::alloc_stats::count_malloc();
    p.cast()
}

/// `size` zeroed bytes that the collector scans for pointers but never frees:
/// a root for Go values that only Rust memory refers to (the scope graph's
/// pending values and received objects). Free it with [`free_root`].
pub fn malloc_root(size: usize) -> *mut u8 {
    register_thread();
    // SAFETY: as in `malloc`.
    let p = unsafe { GC_malloc_uncollectable(size.max(8)) };
    if p.is_null() {
        out_of_memory();
    }
    p.cast()
}

/// Frees memory from [`malloc_root`].
///
/// # Safety
/// `p` must come from [`malloc_root`] and not be used afterwards.
pub unsafe fn free_root(p: *mut u8) {
    if !p.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { GC_free(p.cast()) }
    }
}

/// A copy of `bytes` in collected, unscanned memory.
pub fn copy_bytes(bytes: &[u8]) -> *mut u8 {
    let p = malloc_atomic(bytes.len().max(1));
    // SAFETY: `p` has room for `bytes.len()` bytes and is fresh.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len()) };
    p
}

/// Moves `value` into collected memory (scanned), dropping it in place once
/// the collector finds it unreachable, so that Rust-owned parts (its heap
/// buffers) are freed with it.
pub fn boxed<T>(value: T) -> *mut T {
    unsafe extern "C" fn drop_it<T>(obj: *mut c_void, _data: *mut c_void) {
        // SAFETY: `obj` was initialised with a `T` in `boxed` and is
        // unreachable, so nothing else uses it.
        unsafe { std::ptr::drop_in_place(obj.cast::<T>()) }
    }
    assert!(std::mem::align_of::<T>() <= 16);
    let p = malloc(std::mem::size_of::<T>().max(1)).cast::<T>();
    // SAFETY: fresh memory of T's size, 16-aligned by the collector.
    unsafe {
        p.write(value);
        if std::mem::needs_drop::<T>() {
            GC_register_finalizer_no_order(
                p.cast(),
                Some(drop_it::<T>),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
        }
    }
    p
}

/// Runs a full collection now.
pub fn collect() {
    register_thread();
    clear_stack_below();
    // SAFETY: the thread is registered.
    unsafe { GC_gcollect() }
}

/// Zeroes the stack below the caller's frame, where the collection's own
/// frames are about to go: slots of theirs that nothing writes before the
/// scan would otherwise still hold what the program's earlier, deeper
/// calls left there, and keep a dead object (one with a finalizer, say)
/// alive through `runtime.GC()`.
#[inline(never)]
fn clear_stack_below() {
    let mut area = [0usize; 2048];
    std::hint::black_box(&mut area);
}

/// Turns collection off or (back) on: bdwgc counts GC_disable calls, so
/// each call here must change the state (the caller keeps it).
pub fn set_collection(on: bool) {
    register_thread();
    // SAFETY: plain calls; the thread is registered.
    unsafe {
        if on { GC_enable() } else { GC_disable() }
    }
}

/// The collector's heap size in bytes (what the process has reserved for Go
/// values) and the total bytes ever allocated.
pub fn stats() -> (usize, usize) {
    // SAFETY: plain queries.
    unsafe { (GC_get_heap_size(), GC_get_total_bytes()) }
}

/// A growable list of words kept in memory the collector scans but never
/// frees (`GC_malloc_uncollectable`): for Go pointers that runtime structures
/// in Rust memory must keep alive (a frame's deferred closures). Freed when
/// dropped.
pub struct RootVec {
    items: *mut usize,
    len: usize,
    cap: usize,
}

impl RootVec {
    pub const fn new() -> RootVec {
        RootVec { items: std::ptr::null_mut(), len: 0, cap: 0 }
    }

    pub fn push(&mut self, word: usize) {
        if self.len == self.cap {
            let cap = (self.cap * 2).max(4);
            register_thread();
            // SAFETY: the thread is registered; the new block holds `cap` pointers.
            let items = unsafe { GC_malloc_uncollectable(cap * 8) }.cast::<usize>();
            if items.is_null() {
                out_of_memory();
            }
            if !self.items.is_null() {
                // SAFETY: both blocks hold at least `len` pointers; the old one
                // came from GC_malloc_uncollectable and is freed once.
                unsafe {
                    std::ptr::copy_nonoverlapping(self.items, items, self.len);
                    GC_free(self.items.cast());
                }
            }
            self.items = items;
            self.cap = cap;
        }
        // SAFETY: `len < cap`.
        unsafe { self.items.add(self.len).write(word) };
        self.len += 1;
    }

    pub fn pop(&mut self) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: `len` was below the number of pointers written; the slot is
        // cleared so the collector no longer sees it.
        unsafe {
            let slot = self.items.add(self.len);
            let p = slot.read();
            slot.write(0);
            Some(p)
        }
    }
}

impl Default for RootVec {
    fn default() -> RootVec {
        RootVec::new()
    }
}

impl Drop for RootVec {
    fn drop(&mut self) {
        if !self.items.is_null() {
            // SAFETY: allocated by GC_malloc_uncollectable in `push`, freed once.
            unsafe { GC_free(self.items.cast()) };
        }
    }
}

/// A builder for a runtime thread: every thread the runtime spawns may
/// allocate Go memory, so threads are allowed to register first
/// ([`allow_threads`]).
pub fn thread_builder() -> std::thread::Builder {
    allow_threads();
    std::thread::Builder::new()
}
