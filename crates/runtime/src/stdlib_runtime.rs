//! The runtime side of g2n's `runtime` package (stdlib/runtime): the
//! goroutine's frames from the line table (traceback.rs), the scheduler's
//! counts, the collector's figures; and of `runtime/debug`
//! (stdlib/runtime/debug), the collector's on/off switch.

use crate::ffi::{bytes, go_string_from, guard, leak_string};
use crate::types::{desc_of_tag, kind, tag_name};
use g2n_abi::{GoString, Kind};

unsafe extern "C" {
    fn GC_get_heap_size() -> usize;
    fn GC_get_free_bytes() -> usize;
    fn GC_get_unmapped_bytes() -> usize;
    fn GC_get_total_bytes() -> usize;
    fn GC_get_gc_no() -> usize;
}

/// Collections `runtime.GC` started (the collector counts all of them).
static FORCED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Where Debian's golang-1.19-src puts GOROOT (g2n_packages::DEBIAN_GOROOT,
/// the compiler's default tree).
const DEBIAN_GOROOT: &str = "/usr/share/go-1.19";

rt_export! { stdlib::runtime_goroot =>
/// `runtime.GOROOT()`: `$GOROOT` when set and not empty, else Debian's tree.
pub extern "C" fn g2n_std_runtime_goroot() -> GoString {
    let root = std::env::var("GOROOT").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| DEBIAN_GOROOT.to_string());
    leak_string(root.into_bytes())
}
}

rt_export! { stdlib::runtime_numCPU =>
/// The CPUs this process may run on (its affinity mask, as Go counts them).
pub extern "C" fn g2n_std_runtime_numCPU() -> i64 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as i64)
}
}

rt_export! { stdlib::runtime_numGoroutine =>
/// Goroutine 1 and the others alive on this flow's scheduler.
pub extern "C" fn g2n_std_runtime_numGoroutine() -> i64 {
    1 + crate::sched::others_alive() as i64
}
}

rt_export! { stdlib::runtime_gosched =>
pub extern "C" fn g2n_std_runtime_gosched() {
    crate::sched::gosched()
}
}

rt_export! { stdlib::runtime_collect =>
/// `runtime.GC()`: sync's pools drop what they held before the previous
/// collection, the collector runs, the finalizers it found ready get their
/// goroutines, and the caller yields to them (and to every goroutine
/// runnable), as Go's `runtime.GC` lets others run while it waits for the
/// collection: a loop that calls it until a finalizer has run ends.
pub extern "C" fn g2n_std_runtime_collect() {
    FORCED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    crate::stdlib_sync::clean_pools();
    crate::gc::collect();
    crate::finalizer::after_collection();
    crate::sched::gosched()
}
}

/// `debug.SetGCPercent`'s percentage: 100 at start, as Go's GOGC default.
static GC_PERCENT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(100);

rt_export! { stdlib::runtime_debug_setGCPercent =>
/// `debug.SetGCPercent`: a negative percentage turns collection off, a
/// non-negative one on; returns the previous percentage.
pub extern "C" fn g2n_std_runtime_debug_setGCPercent(percent: i64) -> i64 {
    let previous = GC_PERCENT.swap(percent, std::sync::atomic::Ordering::Relaxed);
    if (previous < 0) != (percent < 0) {
        crate::gc::set_collection(percent >= 0);
    }
    previous
}
}

rt_export! { stdlib::runtime_goexit =>
/// `runtime.Goexit` (see `defer::goexit`).
pub extern "C" fn g2n_std_runtime_goexit() {
    crate::defer::goexit()
}
}

rt_export! { stdlib::runtime_heapStat =>
/// One of the collector's figures, numbered as stdlib/runtime/mstats.go
/// numbers them.
pub extern "C" fn g2n_std_runtime_heapStat(which: i64) -> i64 {
    // SAFETY: plain queries of the collector's counters.
    let value = unsafe {
        match which {
            0 => GC_get_heap_size(),
            1 => GC_get_free_bytes(),
            2 => GC_get_unmapped_bytes(),
            3 => GC_get_total_bytes(),
            4 => GC_get_gc_no(),
            5 => FORCED.load(std::sync::atomic::Ordering::Relaxed) as usize,
            6 => crate::alloc_stats::mallocs() as usize,
            7 => crate::alloc_stats::frees() as usize,
            _ => 0,
        }
    };
    value as i64
}
}

fn kind_of(tag: u64) -> Option<Kind> {
    desc_of_tag(tag).map(kind)
}

rt_export! { stdlib::runtime_isPointer =>
/// Whether an interface value holds a pointer (SetFinalizer's check).
pub extern "C" fn g2n_std_runtime_isPointer(tag: u64, _word0: u64, _word1: u64) -> u8 {
    matches!(kind_of(tag), Some(Kind::Pointer)) as u8
}
}

rt_export! { stdlib::runtime_isFunc =>
/// Whether an interface value holds a function.
pub extern "C" fn g2n_std_runtime_isFunc(tag: u64, _word0: u64, _word1: u64) -> u8 {
    matches!(kind_of(tag), Some(Kind::Func)) as u8
}
}

rt_export! { stdlib::runtime_typeName =>
/// The dynamic type of an interface value as `%T` prints it.
pub extern "C" fn g2n_std_runtime_typeName(tag: u64, _word0: u64, _word1: u64) -> GoString {
    leak_string(tag_name(tag))
}
}

rt_export! { stdlib::runtime_callers =>
/// Writes up to `len` return addresses of the generated code on the stack
/// into `pcs`, innermost first, after `skip` of them (the first is in the
/// function that called this one), and returns how many it wrote.
///
/// # Safety
/// `pcs` points to `len` writable words (any pointer if `len` is 0).
pub unsafe extern "C" fn g2n_std_runtime_callers(skip: i64, pcs: *mut u64, len: i64, _cap: i64) -> i64 {
    if len <= 0 || skip < 0 {
        return 0;
    }
    let frames = guard(crate::traceback::current_pcs);
    let mut written = 0;
    for (i, pc) in frames.into_iter().skip(skip as usize).take(len as usize).enumerate() {
        // SAFETY: guaranteed by the caller: i < len.
        unsafe { pcs.add(i).write(pc as u64) };
        written += 1;
    }
    written
}
}

rt_export! { stdlib::runtime_funcName =>
/// The Go name of the function holding `pc`, "" when none does.
pub extern "C" fn g2n_std_runtime_funcName(pc: u64) -> GoString {
    go_string_from(crate::traceback::lookup(pc as usize).map_or("", |f| f.0).as_bytes())
}
}

rt_export! { stdlib::runtime_funcFile =>
/// The file of the function holding `pc`, "" when none does.
pub extern "C" fn g2n_std_runtime_funcFile(pc: u64) -> GoString {
    go_string_from(crate::traceback::lookup(pc as usize).map_or("", |f| f.1).as_bytes())
}
}

rt_export! { stdlib::runtime_funcEntry =>
/// The entry of the function holding `pc`, 0 when none does.
pub extern "C" fn g2n_std_runtime_funcEntry(pc: u64) -> u64 {
    crate::traceback::lookup(pc as usize).map_or(0, |f| f.2 as u64)
}
}

rt_export! { stdlib::runtime_funcLine =>
/// The line of the instruction at `pc`, 0 when the table has none.
pub extern "C" fn g2n_std_runtime_funcLine(pc: u64) -> i64 {
    crate::traceback::lookup(pc as usize).map_or(0, |f| f.3 as i64)
}
}

rt_export! { stdlib::runtime_stack =>
/// `runtime.Stack`'s text: the running goroutine's header and frames.
pub extern "C" fn g2n_std_runtime_stack() -> GoString {
    let text = guard(|| format!("goroutine {} [running]:\n{}", crate::sched::current_id(), crate::traceback::current_text()));
    leak_string(text.into_bytes())
}
}

rt_export! { stdlib::runtime_throw =>
/// Go's `runtime.throw`: `fatal error: <msg>` with the goroutine's
/// traceback, exit code 2; no deferred call runs and no `recover` stops it.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_std_runtime_throw(ptr: *const u8, len: i64) {
    // SAFETY: guaranteed by the caller.
    let msg = String::from_utf8_lossy(unsafe { bytes(ptr, len) }).into_owned();
    guard(|| -> () {
        let message = format!("fatal error: {msg}\n{}", crate::ffi::traceback());
        crate::ffi::print_fatal_and_end(message.as_bytes())
    })
}
}
