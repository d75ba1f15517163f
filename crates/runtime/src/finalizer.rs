//! `runtime.SetFinalizer`: a Go finalizer is a bdwgc finalizer
//! (`GC_register_finalizer_ignore_self`, ordered as Go's are: an object a
//! finalizable object refers to is finalized only after it, and a pointer
//! of the object to itself does not keep it), which runs the Go function
//! on a goroutine, as Go's runtime runs finalizers on a goroutine of their
//! own.
//!
//! The collector calls [`ready`] on whichever thread allocates or collects
//! once the object is unreachable; that only queues the finalizer, with the
//! object, in a record the collector scans (so the object stays alive until
//! its finalizer has run). The thread that set the finalizer (a flow's
//! thread, whose scheduler the object's goroutines run on) picks it up at
//! its next safe point, [`spawn_ready`]: after `runtime.GC()`, and whenever
//! goroutine 1 waits and the scheduler looks for a goroutine to run. Each
//! finalizer gets a goroutine of its own; a finalizer set by a flow whose
//! thread has ended never runs (Go does not promise that finalizers run).
//!
//! The function is called as generated code calls a func value: its closure
//! object, then the object as the parameter's words (a pointer's one word,
//! an interface's three). Its results, if any, are dropped (os's
//! `(*file).close` returns an error, three words: they go to a result area,
//! see [`result_area_words`]); a finalizer that returns a struct or an array
//! is refused.

use crate::ffi::leak_string;
use crate::types::{Desc, desc_of_tag, kind};
use g2n_abi::{GoString, Kind};
use std::ffi::c_void;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

type Finalizer = unsafe extern "C" fn(*mut c_void, *mut c_void);

unsafe extern "C" {
    fn GC_base(p: *mut c_void) -> *mut c_void;
    fn GC_register_finalizer_ignore_self(
        obj: *mut c_void,
        f: Option<Finalizer>,
        data: *mut c_void,
        old_f: *mut Option<Finalizer>,
        old_data: *mut *mut c_void,
    );
    fn GC_invoke_finalizers() -> i32;
}

/// How the finalizer takes the object.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
enum Param {
    /// A pointer (or `unsafe.Pointer`): one word.
    Pointer = 0,
    /// An interface: the tag and two words.
    Interface = 1,
}

/// A finalizer, in memory the collector scans but never frees
/// ([`crate::gc::malloc_root`]): it keeps the function alive, and, once the
/// object is unreachable, the object too, until the finalizer has run.
#[repr(C)]
struct Record {
    /// The func value's closure object.
    func: usize,
    /// The object's interface tag (its pointer type).
    obj_tag: u64,
    /// The object: zero until the collector finds it unreachable.
    obj: usize,
    param: Param,
    /// The size of the result area the call needs (see
    /// [`result_area_words`]), 0 when its results come back in registers.
    result_words: usize,
    /// The thread that set the finalizer, which runs it.
    owner: i64,
}

/// Records whose objects the collector found unreachable, waiting for
/// their owner's safe point (addresses of [`Record`]s, which are roots).
static READY: Mutex<Vec<usize>> = Mutex::new(Vec::new());
/// Whether [`READY`] may hold something: the scheduler's check per switch.
static PENDING: AtomicBool = AtomicBool::new(false);

fn ready_queue() -> std::sync::MutexGuard<'static, Vec<usize>> {
    READY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn this_thread() -> i64 {
    // SAFETY: a plain system call.
    i64::from(unsafe { libc::gettid() })
}

/// The collector's callback for an unreachable object with a Go finalizer.
unsafe extern "C" fn ready(obj: *mut c_void, data: *mut c_void) {
    let record = data.cast::<Record>();
    // SAFETY: `data` is the record `set` registered, alive until its
    // finalizer has run (or it is replaced).
    unsafe { (*record).obj = obj as usize };
    ready_queue().push(record as usize);
    PENDING.store(true, Ordering::Release);
}

/// Starts a goroutine for each finalizer of this thread that is ready.
#[inline]
pub(crate) fn spawn_ready() {
    if PENDING.load(Ordering::Acquire) {
        spawn_ready_now();
    }
}

#[cold]
fn spawn_ready_now() {
    let me = this_thread();
    let mine: Vec<usize> = {
        let mut queue = ready_queue();
        let (mine, others): (Vec<usize>, Vec<usize>) =
            // SAFETY: queued records are alive (see `ready`).
            queue.drain(..).partition(|&r| unsafe { (*(r as *const Record)).owner } == me);
        *queue = others;
        PENDING.store(!queue.is_empty(), Ordering::Release);
        mine
    };
    for record in mine {
        // A closure object: the goroutine's function, then the record.
        let closure = crate::gc::malloc(16).cast::<usize>();
        // SAFETY: 16 fresh bytes.
        unsafe {
            closure.write(run_finalizer as *const () as usize);
            closure.add(1).write(record);
        }
        crate::sched::spawn(closure.cast(), crate::stack::StackClass::Deep);
    }
}

/// A finalizer's goroutine.
extern "C" fn run_finalizer(closure: *const u8) {
    // SAFETY: the closure object `spawn_ready_now` made, holding a record
    // that stays allocated until it is freed below.
    unsafe {
        let record = *(closure as *const *mut Record).add(1);
        let Record { func, obj_tag, obj, param, result_words, .. } = record.read();
        // Freed first: from here the object is referred to only by this
        // goroutine's frames, as in Go, where a finalizer may keep it.
        crate::gc::free_root(record.cast());
        let code = *(func as *const usize);
        let mut area = vec![0u64; result_words];
        let area = area.as_mut_ptr();
        match (param, result_words > 0) {
            (Param::Pointer, false) => {
                let f: extern "C" fn(usize, usize) = std::mem::transmute(code);
                f(func, obj);
            }
            (Param::Interface, false) => {
                let f: extern "C" fn(usize, u64, usize, u64) = std::mem::transmute(code);
                f(func, obj_tag, obj, 0);
            }
            (Param::Pointer, true) => {
                let f: extern "C" fn(*mut u64, usize, usize) = std::mem::transmute(code);
                f(area, func, obj);
            }
            (Param::Interface, true) => {
                let f: extern "C" fn(*mut u64, usize, u64, usize, u64) = std::mem::transmute(code);
                f(area, func, obj_tag, obj, 0);
            }
        }
    }
}

/// The result of [`set`]: empty, or the text of Go's fatal error.
fn refused(message: String) -> GoString {
    leak_string(message.into_bytes())
}

/// The parameter and result types of a func type's descriptor.
fn func_types(desc: Desc) -> Option<(Vec<Desc>, Vec<Desc>)> {
    // SAFETY: descriptors and their extensions are static data.
    let ext = unsafe { desc.ext.as_ref()? };
    if ext.func_types.is_null() {
        return None;
    }
    let all: Vec<Desc> = (0..(ext.nin + ext.nout) as usize)
        // SAFETY: `func_types` holds `nin + nout` descriptor pointers.
        .map(|i| unsafe { &**ext.func_types.add(i) })
        .collect();
    let (ins, outs) = all.split_at(ext.nin as usize);
    let variadic = ext.flags & g2n_abi::TYPE_FLAG_VARIADIC != 0;
    (!variadic).then(|| (ins.to_vec(), outs.to_vec()))
}

/// How the results come back, as Cranelift's System V calls return them:
/// the first two integer words in registers and the first two
/// floating-point ones, the rest in a result area whose address the caller
/// passes first (`enable_multi_ret_implicit_sret`). `Some(words)`: the
/// area's size in words (0: none); `None` for a struct or array result,
/// whose parts this does not count.
fn result_area_words(results: &[Desc]) -> Option<usize> {
    let (mut ints, mut floats) = (0usize, 0usize);
    for result in results {
        match kind(result) {
            Kind::Float32 | Kind::Float64 => floats += 1,
            Kind::Complex64 | Kind::Complex128 => floats += 2,
            Kind::String => ints += 2,
            Kind::Slice | Kind::Interface => ints += 3,
            Kind::Struct | Kind::Array => return None,
            _ => ints += 1,
        }
    }
    Some(ints.saturating_sub(2) + floats.saturating_sub(2))
}

fn same_type(a: Desc, b: Desc) -> bool {
    std::ptr::eq(a, b) || (a.kind == b.kind && crate::types::name(a) == crate::types::name(b))
}

rt_export! { stdlib::runtime_setFinalizer =>
/// `runtime.SetFinalizer(obj, finalizer)` once Go's checks of the
/// arguments' kinds passed (stdlib/runtime): registers, replaces (with a
/// nil finalizer: removes) the object's finalizer, or returns Go's fatal
/// error text.
pub extern "C" fn g2n_std_runtime_setFinalizer(obj_tag: u64, obj: u64, _obj1: u64, f_tag: u64, func: u64, _f1: u64) -> GoString {
    crate::ffi::guard(|| set(obj_tag, obj as usize, f_tag, func as usize))
}
}

fn set(obj_tag: u64, obj: usize, f_tag: u64, func: usize) -> GoString {
    let Some(obj_desc) = desc_of_tag(obj_tag) else { return refused("runtime.SetFinalizer: first argument is not a pointer".into()) };
    // SAFETY: a plain query; any address is valid.
    let base = unsafe { GC_base(obj as *mut c_void) } as usize;
    if base == 0 {
        // Not in the collector's heap (a package-level variable, a zero-size
        // value): never freed, so never finalized. Go ignores these too.
        return GoString { ptr: std::ptr::null(), len: 0 };
    }
    if base != obj {
        return refused("runtime.SetFinalizer: pointer not at beginning of allocated block".into());
    }
    let mut old_f: Option<Finalizer> = None;
    let mut old_data: *mut c_void = std::ptr::null_mut();
    let Some(func_desc) = desc_of_tag(f_tag).filter(|_| func != 0) else {
        // SAFETY: `obj` is the base of a heap object.
        unsafe { GC_register_finalizer_ignore_self(obj as *mut c_void, None, std::ptr::null_mut(), &mut old_f, &mut old_data) };
        forget_replaced(obj, old_f, old_data);
        return GoString { ptr: std::ptr::null(), len: 0 };
    };
    let cannot_pass = || {
        refused(format!(
            "runtime.SetFinalizer: cannot pass {} to finalizer {}",
            String::from_utf8_lossy(crate::types::name(obj_desc)),
            String::from_utf8_lossy(crate::types::name(func_desc))
        ))
    };
    let Some((params, results)) = func_types(func_desc) else { return cannot_pass() };
    let [param] = params[..] else { return cannot_pass() };
    let param = match kind(param) {
        Kind::Interface => Param::Interface,
        _ if same_type(param, obj_desc) => Param::Pointer,
        _ => return cannot_pass(),
    };
    let Some(result_words) = result_area_words(&results) else {
        return refused(format!(
            "runtime.SetFinalizer: g2n cannot call finalizer {}: it returns a struct or an array",
            String::from_utf8_lossy(crate::types::name(func_desc))
        ));
    };
    let record = crate::gc::malloc_root(std::mem::size_of::<Record>()).cast::<Record>();
    // SAFETY: fresh memory of a record's size.
    unsafe { record.write(Record { func, obj_tag, obj: 0, param, result_words, owner: this_thread() }) };
    // SAFETY: `obj` is the base of a heap object; the record outlives the
    // registration (freed when replaced or after the finalizer ran).
    unsafe { GC_register_finalizer_ignore_self(obj as *mut c_void, Some(ready), record.cast(), &mut old_f, &mut old_data) };
    if old_f.is_some() {
        // Go refuses a second finalizer: put the first one back.
        // SAFETY: as above; `old_data` is what was registered with `old_f`.
        unsafe { GC_register_finalizer_ignore_self(obj as *mut c_void, old_f, old_data, std::ptr::null_mut(), std::ptr::null_mut()) };
        // SAFETY: the record was registered only for the moment above.
        unsafe { crate::gc::free_root(record.cast()) };
        return refused("runtime.SetFinalizer: finalizer already set".into());
    }
    GoString { ptr: std::ptr::null(), len: 0 }
}

/// After a finalizer was removed: frees its record, or puts back a
/// finalizer that was not a Go one (the runtime's own, see `gc::boxed`).
fn forget_replaced(obj: usize, old_f: Option<Finalizer>, old_data: *mut c_void) {
    match old_f {
        None => {}
        // SAFETY: a record `set` registered, no longer registered.
        Some(f) if std::ptr::eq(f as *const (), ready as *const ()) => unsafe { crate::gc::free_root(old_data.cast()) },
        // SAFETY: as registered before.
        Some(f) => unsafe {
            GC_register_finalizer_ignore_self(obj as *mut c_void, Some(f), old_data, std::ptr::null_mut(), std::ptr::null_mut())
        },
    }
}

/// After `runtime.GC()`: runs the collector's ready finalizers (bdwgc
/// runs them after a collection already; this covers one that another
/// thread's collection left), then starts this thread's Go finalizers.
pub(crate) fn after_collection() {
    // SAFETY: a plain call; the thread is registered with the collector.
    unsafe { GC_invoke_finalizers() };
    spawn_ready();
}
