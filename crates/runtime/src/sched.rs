//! Goroutines: a cooperative scheduler on one OS thread (docs/goroutines.md).
//!
//! The goroutine that runs `main` (goroutine 1) runs on the thread's own
//! stack; every other goroutine is a stackful coroutine ([`corosensei`]) with
//! a stack of its own. Only goroutine 1 resumes coroutines: when it blocks it
//! runs the queue of runnable goroutines until it is runnable again, and a
//! blocking goroutine suspends back to it. A goroutine runs until it blocks
//! or ends (no preemption), which keeps every run of a program the same.
//! When goroutine 1 blocks with nothing runnable, every goroutine is asleep:
//! Go's deadlock error, exit code 2. When `main` returns the program ends,
//! whatever the other goroutines are doing.
//!
//! The collector (bdwgc) scans the running stack itself: before a coroutine
//! runs, [`GC_set_stackbottom`] tells it where that stack ends, and after, where
//! the thread's stack does. The stacks of goroutines that are not running
//! (goroutine 1's included while a coroutine runs) and the closures of
//! goroutines not started yet are pushed by a `GC_set_push_other_roots`
//! callback, so a value referenced only from a parked goroutine survives.
//! Every change the callback reads is made holding the collector's lock.
//!
//! Each goroutine has its own defer frames and panic in flight: they are
//! swapped in and out of the thread-locals of defer.rs with the goroutine.

use corosensei::stack::{DefaultStack, Stack};
use corosensei::{Coroutine, CoroutineResult, Yielder};
use std::cell::Cell;
use std::collections::VecDeque;
use std::ffi::c_void;

/// Stack size of a goroutine other than goroutine 1 (mapped lazily: only
/// the pages a goroutine touches cost memory).
const STACK_SIZE: usize = 1 << 20;
/// Finished goroutines' stacks kept for new goroutines.
const STACK_POOL: usize = 64;
/// What the collector scans below a parked goroutine's recorded stack
/// pointer: the frames of the switch itself, with the registers it saved.
const SWITCH_MARGIN: usize = 4096;
const PAGE: usize = 4096;

#[repr(C)]
struct StackBase {
    mem_base: *mut c_void,
}

type PushRoots = unsafe extern "C" fn();
type LockedFn = unsafe extern "C" fn(*mut c_void) -> *mut c_void;

unsafe extern "C" {
    fn GC_get_my_stackbottom(sb: *mut StackBase) -> *mut c_void;
    fn GC_set_stackbottom(handle: *mut c_void, sb: *const StackBase);
    fn GC_set_push_other_roots(f: Option<PushRoots>);
    fn GC_get_push_other_roots() -> Option<PushRoots>;
    fn GC_push_all_eager(bottom: *mut c_void, top: *mut c_void);
    fn GC_call_with_alloc_lock(f: LockedFn, data: *mut c_void) -> *mut c_void;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    Runnable,
    Running,
    Waiting,
}

type Coro = Coroutine<(), (), (), DefaultStack>;

pub(crate) struct G {
    id: u64,
    /// `None` for goroutine 1, which runs on the thread's stack.
    coro: Option<Coro>,
    yielder: *const Yielder<(), ()>,
    /// The closure object the goroutine runs: a root until it ends.
    closure: *const u8,
    state: State,
    wait_reason: &'static str,
    /// Roughly the stack pointer when the goroutine last stopped running.
    saved_sp: usize,
    /// The stack's hot end (lowest usable address) and cool end.
    stack_limit: usize,
    stack_base: usize,
    defer: crate::defer::DeferState,
}

struct Sched {
    main: *mut G,
    current: *mut G,
    runq: VecDeque<*mut G>,
    /// Every goroutine that has not ended (goroutine 1 first).
    all: Vec<*mut G>,
    next_id: u64,
    /// The collector's handle of this thread and its own stack bottom.
    gc_handle: *mut c_void,
    thread_bottom: *mut c_void,
    stacks: Vec<DefaultStack>,
    rng: u64,
}

thread_local! {
    static SCHED: Cell<*mut Sched> = const { Cell::new(std::ptr::null_mut()) };
}

/// Every thread's scheduler, for the root callback. Changed and read only
/// while holding the collector's lock.
struct Registry(std::cell::UnsafeCell<Vec<*mut Sched>>);
// SAFETY: accessed only under the collector's allocation lock.
unsafe impl Sync for Registry {}
static REGISTRY: Registry = Registry(std::cell::UnsafeCell::new(Vec::new()));
static mut PREVIOUS_PUSH: Option<PushRoots> = None;

/// Runs `f` holding the collector's lock.
fn with_gc_lock<F: FnMut()>(mut f: F) {
    unsafe extern "C" fn call<F: FnMut()>(data: *mut c_void) -> *mut c_void {
        // SAFETY: `data` is the `&mut F` passed below, alive for the call.
        unsafe { (*data.cast::<F>())() };
        std::ptr::null_mut()
    }
    // SAFETY: the callback runs `f` once, synchronously.
    unsafe { GC_call_with_alloc_lock(call::<F>, (&mut f as *mut F).cast()) };
}

/// The thread's scheduler, created on first use.
fn sched() -> &'static mut Sched {
    let existing = SCHED.get();
    if !existing.is_null() {
        // SAFETY: schedulers are leaked: alive for the rest of the process,
        // and used by their own thread only (the root callback only reads).
        return unsafe { &mut *existing };
    }
    crate::gc::register_thread();
    let mut bottom = StackBase { mem_base: std::ptr::null_mut() };
    // SAFETY: the thread is registered with the collector.
    let gc_handle = unsafe { GC_get_my_stackbottom(&mut bottom) };
    let main = Box::into_raw(Box::new(G {
        id: 1,
        coro: None,
        yielder: std::ptr::null(),
        closure: std::ptr::null(),
        state: State::Running,
        wait_reason: "",
        saved_sp: 0,
        stack_limit: 0,
        stack_base: bottom.mem_base as usize,
        defer: Default::default(),
    }));
    let seed = crate::wire::random_bytes::<8>();
    let sched = Box::into_raw(Box::new(Sched {
        main,
        current: main,
        runq: VecDeque::new(),
        all: vec![main],
        next_id: 2,
        gc_handle,
        thread_bottom: bottom.mem_base,
        stacks: Vec::new(),
        rng: u64::from_le_bytes(seed) | 1,
    }));
    with_gc_lock(|| {
        // SAFETY: under the collector's lock (see Registry).
        let registry = unsafe { &mut *REGISTRY.0.get() };
        if registry.is_empty() {
            // SAFETY: plain calls; the previous callback is kept and chained.
            unsafe {
                PREVIOUS_PUSH = GC_get_push_other_roots();
                GC_set_push_other_roots(Some(push_goroutine_roots));
            }
        }
        registry.push(sched);
    });
    SCHED.set(sched);
    // SAFETY: just created and leaked.
    unsafe { &mut *sched }
}

/// The collector's callback: the stacks of goroutines that are not running
/// and the closures of every goroutine.
unsafe extern "C" fn push_goroutine_roots() {
    // SAFETY: the collector calls this with its lock held and the world
    // stopped; the registry and schedulers change only under that lock.
    unsafe {
        if let Some(previous) = PREVIOUS_PUSH {
            previous();
        }
        for &sched in &*REGISTRY.0.get() {
            let sched = &*sched;
            for &g in &sched.all {
                let g = &*g;
                let closure = &g.closure as *const *const u8 as *mut c_void;
                GC_push_all_eager(closure, closure.cast::<u8>().add(8).cast());
                if std::ptr::eq(g, sched.current) || g.saved_sp == 0 {
                    continue;
                }
                let low = g.saved_sp.saturating_sub(SWITCH_MARGIN).max(g.stack_limit + if g.coro.is_some() { PAGE } else { 0 });
                if low < g.stack_base {
                    GC_push_all_eager(low as *mut c_void, g.stack_base as *mut c_void);
                }
            }
        }
    }
}

#[inline(never)]
fn approx_sp() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

fn next_random(sched: &mut Sched) -> u64 {
    let mut x = sched.rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    sched.rng = x;
    x
}

/// A random index below `n` (for `select`'s choice among ready cases).
pub(crate) fn random_below(n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    (next_random(sched()) % n as u64) as usize
}

/// The number of the running goroutine (1 for `main`'s), as tracebacks show.
pub(crate) fn current_id() -> u64 {
    let sched = SCHED.get();
    if sched.is_null() {
        return 1;
    }
    // SAFETY: schedulers are leaked; this thread's is used by this thread.
    unsafe { (*(*sched).current).id }
}

/// The running goroutine.
pub(crate) fn current() -> *mut G {
    sched().current
}

/// `go`: a new goroutine that runs the closure object.
pub(crate) fn spawn(closure: *const u8) {
    let sched = sched();
    let stack = match sched.stacks.pop() {
        Some(stack) => stack,
        None => DefaultStack::new(STACK_SIZE)
            .unwrap_or_else(|_| crate::flow::fatal("fatal error: runtime: cannot allocate a goroutine stack")),
    };
    let (stack_limit, stack_base) = (stack.limit().get(), stack.base().get());
    let g = Box::into_raw(Box::new(G {
        id: sched.next_id,
        coro: None,
        yielder: std::ptr::null(),
        closure,
        state: State::Runnable,
        wait_reason: "",
        saved_sp: 0,
        stack_limit,
        stack_base,
        defer: Default::default(),
    }));
    sched.next_id += 1;
    let coro = Coro::with_stack(stack, move |yielder: &Yielder<(), ()>, ()| {
        // SAFETY: `g` stays allocated until its coroutine has returned.
        let closure = unsafe {
            (*g).yielder = yielder;
            (*g).closure
        };
        // SAFETY: a closure object starts with its function's address; the
        // thunk of a `go` statement takes nothing but its own object.
        unsafe {
            let function: extern "C" fn(*const u8) = std::mem::transmute(*(closure as *const usize));
            function(closure);
        }
    });
    // SAFETY: `g` was just allocated.
    unsafe { (*g).coro = Some(coro) };
    with_gc_lock(|| sched.all.push(g));
    sched.runq.push_back(g);
}

/// Makes a waiting goroutine runnable.
pub(crate) fn ready(g: *mut G) {
    let sched = sched();
    // SAFETY: goroutines stay allocated while they can be woken.
    let gr = unsafe { &mut *g };
    if gr.state != State::Waiting {
        return;
    }
    gr.state = State::Runnable;
    if !std::ptr::eq(g, sched.main) {
        sched.runq.push_back(g);
    }
}

/// Blocks the running goroutine until [`ready`] is called for it; `reason`
/// is what Go's traceback would say (`chan receive`, `select`, ...).
pub(crate) fn park(reason: &'static str) {
    let sched = sched();
    let g = sched.current;
    // SAFETY: the running goroutine is allocated.
    unsafe {
        (*g).state = State::Waiting;
        (*g).wait_reason = reason;
    }
    if std::ptr::eq(g, sched.main) {
        run_others(sched);
    } else {
        // SAFETY: a goroutine other than goroutine 1 runs inside its coroutine,
        // whose yielder it recorded when it started.
        unsafe {
            (*g).saved_sp = approx_sp();
            (*(*g).yielder).suspend(());
        }
    }
}

/// Blocks forever (a nil channel, an empty `select`): only a deadlock or the
/// end of `main` follows.
pub(crate) fn park_forever(reason: &'static str) -> ! {
    loop {
        park(reason);
    }
}

/// Before a hop of goroutine 1: runs the other goroutines until each has
/// ended or blocked (a schedule Go allows: goroutine 1 simply yields), and
/// returns how many are still alive. Their state cannot follow the flow.
pub(crate) fn quiesce() -> usize {
    let sched = SCHED.get();
    if sched.is_null() {
        return 0;
    }
    // SAFETY: schedulers are leaked; this thread's is used by this thread.
    let sched = unsafe { &mut *sched };
    if !std::ptr::eq(sched.current, sched.main) {
        return sched.all.len().saturating_sub(1);
    }
    while let Some(g) = sched.runq.pop_front() {
        run_one(sched, g);
    }
    sched.all.len().saturating_sub(1)
}

/// How many goroutines other than goroutine 1 are alive (see [`quiesce`]).
pub(crate) fn others_alive() -> usize {
    let sched = SCHED.get();
    if sched.is_null() {
        return 0;
    }
    // SAFETY: as in `quiesce`.
    unsafe { (*sched).all.len().saturating_sub(1) }
}

/// Goroutine 1 blocks: run the others until it is runnable again.
fn run_others(sched: &mut Sched) {
    let main = sched.main;
    loop {
        // SAFETY: goroutine 1 lives as long as the scheduler.
        if unsafe { (*main).state } == State::Runnable {
            // SAFETY: as above.
            unsafe { (*main).state = State::Running };
            return;
        }
        let Some(g) = sched.runq.pop_front() else {
            // SAFETY: as above.
            deadlock(unsafe { (*main).wait_reason })
        };
        run_one(sched, g);
    }
}

/// Resumes `g` on its stack until it blocks or ends.
fn run_one(sched: &mut Sched, g: *mut G) {
    let main = sched.main;
    let sp = approx_sp();
    let handle = sched.gc_handle;
    // SAFETY: `g` is a live goroutine other than goroutine 1.
    let base = unsafe { (*g).stack_base };
    with_gc_lock(|| {
        // SAFETY: under the collector's lock; both goroutines are live.
        unsafe {
            (*main).saved_sp = sp;
            sched.current = g;
            GC_set_stackbottom(handle, &StackBase { mem_base: base as *mut c_void });
        }
    });
    // SAFETY: as above.
    unsafe {
        (*main).defer = crate::defer::take_state();
        crate::defer::restore_state(std::mem::take(&mut (*g).defer));
        (*g).state = State::Running;
    }
    // SAFETY: as above; only goroutine 1 resumes coroutines, one at a time.
    let result = unsafe { (*g).coro.as_mut().map(|c| c.resume(())) };
    let bottom = sched.thread_bottom;
    // SAFETY: as above.
    unsafe {
        (*g).defer = crate::defer::take_state();
        crate::defer::restore_state(std::mem::take(&mut (*main).defer));
    }
    let finished = !matches!(result, Some(CoroutineResult::Yield(())));
    with_gc_lock(|| {
        // SAFETY: under the collector's lock.
        unsafe {
            sched.current = main;
            (*main).saved_sp = 0;
            GC_set_stackbottom(handle, &StackBase { mem_base: bottom });
        }
        if finished {
            sched.all.retain(|other| !std::ptr::eq(*other, g));
        }
    });
    if finished {
        // SAFETY: the goroutine ended: nothing refers to it any more.
        let g = unsafe { Box::from_raw(g) };
        if let Some(coro) = g.coro {
            if coro.done() && sched.stacks.len() < STACK_POOL {
                sched.stacks.push(coro.into_stack());
            } else if !coro.done() {
                std::mem::forget(coro);
            }
        }
    }
}

/// Every goroutine is blocked: Go's fatal error.
fn deadlock(reason: &str) -> ! {
    let message = format!("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [{reason}]:\nmain.main()\n\t?\n");
    crate::ffi::print_fatal_and_end(message.as_bytes())
}
