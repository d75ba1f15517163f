//! Goroutines: a cooperative scheduler on one OS thread (docs/goroutines.md).
//!
//! The goroutine that runs `main` (goroutine 1) runs on the thread's own
//! stack; every other goroutine runs on a stackful coroutine ([`corosensei`])
//! with a stack of its own. Only goroutine 1 resumes coroutines: when it
//! blocks it runs the queue of runnable goroutines until it is runnable
//! again, and a blocking goroutine suspends back to it. A goroutine runs until
//! it blocks or ends (no preemption), which keeps every run of a program the
//! same. When goroutine 1 blocks with nothing runnable, every goroutine is
//! asleep: Go's deadlock error, exit code 2. When `main` returns the program
//! ends, whatever the other goroutines are doing.
//!
//! A coroutine is a worker that runs one goroutine after another: when a
//! goroutine ends, its coroutine (with its stack and its record) waits in a
//! pool for the next `go` statement, so creating a goroutine usually costs no
//! system call and no allocation.
//!
//! The collector (bdwgc) scans the running stack itself, from the stack
//! pointer to the stack bottom it knows for the thread; the stacks of the
//! other goroutines and the closures of every goroutine are pushed by a
//! `GC_set_push_other_roots` callback. A switch never takes the collector's
//! lock: it keeps, at every instruction, a state in which a collection started
//! by another thread (which stops this one with a signal) sees every frame.
//! See [`leave`] and [`enter`].
//!
//! Each goroutine has its own defer frames and panic in flight: they are
//! swapped in and out of the thread-locals of defer.rs with the goroutine.

use crate::stack::{GoroutineStack, StackClass};
use corosensei::stack::Stack;
use corosensei::{Coroutine, CoroutineResult, Yielder};
use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{Ordering, compiler_fence};

/// Coroutines of finished goroutines kept for new goroutines, per stack class.
const POOL: usize = 64;
/// What the collector scans below a parked goroutine's recorded stack
/// pointer: the frames of the switch itself, with the registers it saved.
const SWITCH_MARGIN: usize = 1024;
const PAGE: usize = 4096;
/// The stack bottom the collector is given while a switch is under way: no
/// stack pointer is below it, so the collector's own scan of this thread is
/// empty, and the root callback covers both goroutines (see [`leave`]).
const NO_STACK: usize = PAGE;

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
    /// A pooled record: its goroutine ended.
    Dead,
}

/// A worker coroutine: resumed with `false` to run (or go on running) its
/// goroutine, with `true` to end; it yields `true` when its goroutine ended.
type Coro = Coroutine<bool, bool, (), GoroutineStack>;

/// A goroutine's record. The fields a switch touches come first, in one
/// cache line with the coroutine's own state next to it: a program with
/// thousands of goroutines touches a record, a channel and the top of a stack
/// per switch, and little else.
#[repr(C, align(64))]
pub(crate) struct G {
    /// The run queue.
    next_run: *mut G,
    /// Nonzero while the goroutine's frames are not the ones the collector
    /// scans as this thread's stack: roughly its stack pointer when it last
    /// stopped running. The root callback scans its stack from there.
    saved_sp: Cell<usize>,
    /// The stack's cool end.
    stack_base: usize,
    yielder: *const Yielder<bool, bool>,
    defer: crate::defer::DeferState,
    state: State,
    /// `None` for goroutine 1, which runs on the thread's stack.
    coro: Option<Coro>,
    /// The list of live goroutines (goroutine 1 first) the root callback
    /// walks: `next` is changed only so that the list read forward is whole
    /// at every instruction.
    next: Cell<*mut G>,
    prev: *mut G,
    /// The closure object the goroutine runs: a root until it ends.
    closure: Cell<*const u8>,
    /// The stack's hot end (lowest usable address).
    stack_limit: usize,
    id: u64,
    wait_reason: &'static str,
    /// Ended by `runtime.Goexit`: its coroutine stopped inside the
    /// goroutine's frames, so it cannot run another goroutine.
    abandoned: bool,
    /// Its stack's class: a pooled worker runs only goroutines of its class.
    class: StackClass,
}

struct Sched {
    main: *mut G,
    current: *mut G,
    /// The goroutine to run next, before the queue (see [`push_run`]).
    run_next: *mut G,
    /// How many goroutines in a row ran from `run_next` (see [`pop_run`]).
    next_streak: u32,
    run_head: *mut G,
    run_tail: *mut G,
    /// Goroutines alive besides goroutine 1.
    others: usize,
    next_id: u64,
    /// The collector's handle of this thread.
    gc_handle: *mut c_void,
    /// Records (with their coroutines) of finished goroutines: deep stacks.
    pool: Vec<*mut G>,
    /// The same, with bounded stacks.
    bounded_pool: Vec<*mut G>,
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
#[inline]
fn sched() -> &'static mut Sched {
    let existing = SCHED.get();
    if !existing.is_null() {
        // SAFETY: schedulers are leaked: alive for the rest of the process,
        // and used by their own thread only (the root callback only reads).
        return unsafe { &mut *existing };
    }
    new_sched()
}

#[cold]
fn new_sched() -> &'static mut Sched {
    crate::gc::register_thread();
    let mut bottom = StackBase { mem_base: std::ptr::null_mut() };
    // SAFETY: the thread is registered with the collector.
    let gc_handle = unsafe { GC_get_my_stackbottom(&mut bottom) };
    let main = Box::into_raw(Box::new(G {
        next: Cell::new(std::ptr::null_mut()),
        prev: std::ptr::null_mut(),
        next_run: std::ptr::null_mut(),
        state: State::Running,
        saved_sp: Cell::new(0),
        stack_limit: 0,
        stack_base: bottom.mem_base as usize,
        closure: Cell::new(std::ptr::null()),
        id: 1,
        wait_reason: "",
        abandoned: false,
        class: StackClass::Deep,
        coro: None,
        yielder: std::ptr::null(),
        defer: Default::default(),
    }));
    let seed = crate::wire::random_bytes::<8>();
    let sched = Box::into_raw(Box::new(Sched {
        main,
        current: main,
        run_next: std::ptr::null_mut(),
        next_streak: 0,
        run_head: std::ptr::null_mut(),
        run_tail: std::ptr::null_mut(),
        others: 0,
        next_id: 2,
        gc_handle,
        pool: Vec::new(),
        bounded_pool: Vec::new(),
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

/// The collector's callback: the closure of every goroutine, and the stack of
/// every goroutine whose frames the collector does not scan as the thread's.
unsafe extern "C" fn push_goroutine_roots() {
    // SAFETY: the collector calls this with its lock held and the world
    // stopped; the registry changes only under that lock, and each list of
    // goroutines is whole at every instruction of its thread.
    unsafe {
        if let Some(previous) = PREVIOUS_PUSH {
            previous();
        }
        for &sched in &*REGISTRY.0.get() {
            let mut g = (*sched).main;
            while !g.is_null() {
                let gr = &*g;
                let closure = gr.closure.as_ptr().cast::<c_void>();
                GC_push_all_eager(closure, closure.cast::<u8>().add(8).cast());
                let sp = gr.saved_sp.get();
                if sp != 0 {
                    let guard = if gr.coro.is_some() { crate::stack::GUARD } else { 0 };
                    let low = sp.saturating_sub(SWITCH_MARGIN).max(gr.stack_limit + guard);
                    if low < gr.stack_base {
                        GC_push_all_eager(low as *mut c_void, gr.stack_base as *mut c_void);
                    }
                }
                g = gr.next.get();
            }
        }
    }
}

#[inline(never)]
fn approx_sp() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

fn set_stack_bottom(sched: &Sched, bottom: usize) {
    // SAFETY: the handle is this thread's; the collector's documented use for
    // coroutines (see `leave` for why its lock is not needed).
    unsafe { GC_set_stackbottom(sched.gc_handle, &StackBase { mem_base: bottom as *mut c_void }) };
    compiler_fence(Ordering::SeqCst);
}

/// Before the running goroutine `g` switches away: from here until the next
/// goroutine's [`enter`], the root callback scans `g`'s stack (from about
/// here), and the collector's own scan of the thread is empty. At every
/// instruction of a switch a collection (started by another thread, which
/// stops this one wherever it is) thus scans each goroutine's frames whole:
/// through the callback, or as the thread's stack with the right bottom.
/// The collector's lock is not needed, and never taken on a switch.
#[inline(always)]
fn leave(sched: &Sched, g: &G) {
    g.saved_sp.set(approx_sp());
    compiler_fence(Ordering::SeqCst);
    set_stack_bottom(sched, NO_STACK);
}

/// On `g`'s own stack, after a switch to it: the collector scans its frames as
/// the thread's stack again.
#[inline(always)]
fn enter(sched: &Sched, g: &G) {
    set_stack_bottom(sched, g.stack_base);
    g.saved_sp.set(0);
    compiler_fence(Ordering::SeqCst);
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

/// The stack (guard included: lowest address, base) of the running
/// goroutine when it is not goroutine 1, for the stack overflow handler.
/// Reads only thread-locals and the scheduler's own fields.
pub(crate) fn running_goroutine_stack() -> Option<(usize, usize)> {
    let sched = SCHED.get();
    if sched.is_null() {
        return None;
    }
    // SAFETY: schedulers are leaked; this thread's is used by this thread.
    let g = unsafe { &*(*sched).current };
    g.coro.is_some().then_some((g.stack_limit, g.stack_base))
}

/// The running goroutine overflowed its stack and the thread goes on, never
/// to return to it, on the stack whose base is `base` (its alternate signal
/// stack): the collector scans that stack as the thread's from now on.
pub(crate) fn abandon_running_stack(base: usize) {
    let sched = SCHED.get();
    let handle = if sched.is_null() {
        // Registered now, so that the collector never scans it from a base
        // of its own finding.
        crate::gc::register_thread();
        let mut bottom = StackBase { mem_base: std::ptr::null_mut() };
        // SAFETY: a flow's thread is registered with the collector.
        unsafe { GC_get_my_stackbottom(&mut bottom) }
    } else {
        // SAFETY: as in `running_goroutine_stack`.
        unsafe { (*sched).gc_handle }
    };
    // SAFETY: the handle is this thread's (see `set_stack_bottom`).
    unsafe { GC_set_stackbottom(handle, &StackBase { mem_base: base as *mut c_void }) };
    compiler_fence(Ordering::SeqCst);
}

/// The running goroutine.
#[inline]
pub(crate) fn current() -> *mut G {
    sched().current
}

/// How many goroutines in a row may run from `run_next` before the queue's
/// head gets its turn. Go's `runnext` goroutine inherits the running one's
/// time slice, so goroutines that keep waking each other (a ping-pong pair)
/// are preempted after 10 ms and the rest of the queue runs; without
/// preemption, a count of switches stands in for the time slice.
const NEXT_STREAK: u32 = 1 << 14;

/// Queues `g` to run next, as Go's scheduler does with a goroutine just
/// made runnable (`runnext`): a value handed to a waiting receiver is
/// received at once, while the receiver's stack is still in cache. The
/// goroutine it displaces goes to the back of the queue.
fn push_run(sched: &mut Sched, g: *mut G) {
    let displaced = std::mem::replace(&mut sched.run_next, g);
    if !displaced.is_null() {
        push_back(sched, displaced);
    }
}

fn push_back(sched: &mut Sched, g: *mut G) {
    // SAFETY: `g` is live and in no run queue.
    unsafe { (*g).next_run = std::ptr::null_mut() };
    if sched.run_tail.is_null() {
        sched.run_head = g;
    } else {
        // SAFETY: the tail is live.
        unsafe { (*sched.run_tail).next_run = g };
    }
    sched.run_tail = g;
}

fn pop_run(sched: &mut Sched) -> Option<*mut G> {
    let next = std::mem::replace(&mut sched.run_next, std::ptr::null_mut());
    if !next.is_null() {
        if sched.next_streak < NEXT_STREAK || sched.run_head.is_null() {
            sched.next_streak = sched.next_streak.saturating_add(1);
            return Some(next);
        }
        // The time slice is used up: the queue's head runs first.
        push_back(sched, next);
    }
    sched.next_streak = 0;
    let g = sched.run_head;
    if g.is_null() {
        return None;
    }
    // SAFETY: queued goroutines are live.
    sched.run_head = unsafe { (*g).next_run };
    if sched.run_head.is_null() {
        sched.run_tail = std::ptr::null_mut();
    }
    Some(g)
}

/// A new worker: a record and a coroutine with a fresh stack of `class`.
fn new_worker(class: StackClass) -> *mut G {
    let stack = GoroutineStack::new(class)
        .unwrap_or_else(|_| crate::flow::fatal("fatal error: runtime: cannot allocate a goroutine stack"));
    let (stack_limit, stack_base) = (stack.limit().get(), stack.base().get());
    let g = Box::into_raw(Box::new(G {
        next: Cell::new(std::ptr::null_mut()),
        prev: std::ptr::null_mut(),
        next_run: std::ptr::null_mut(),
        state: State::Dead,
        saved_sp: Cell::new(0),
        stack_limit,
        stack_base,
        closure: Cell::new(std::ptr::null()),
        id: 0,
        wait_reason: "",
        abandoned: false,
        class,
        coro: None,
        yielder: std::ptr::null(),
        defer: Default::default(),
    }));
    let coro = Coro::with_stack(stack, move |yielder: &Yielder<bool, bool>, _: bool| {
        // SAFETY: records of workers are never freed while their coroutine
        // can run; only goroutine 1 resumes them, with its scheduler set up.
        unsafe {
            (*g).yielder = yielder;
            loop {
                enter(sched(), &*g);
                let closure = (*g).closure.get();
                // A closure object starts with its function's address; the
                // thunk of a `go` statement takes nothing but its own object.
                let function: extern "C" fn(*const u8) = std::mem::transmute(*(closure as *const usize));
                function(closure);
                leave(sched(), &*g);
                if yielder.suspend(true) {
                    return;
                }
            }
        }
    });
    // SAFETY: `g` was just allocated.
    unsafe { (*g).coro = Some(coro) };
    g
}

/// `go`: a new goroutine that runs the closure object, on a stack of `class`.
pub(crate) fn spawn(closure: *const u8, class: StackClass) {
    let sched = sched();
    let pool = match class {
        StackClass::Deep => &mut sched.pool,
        StackClass::Bounded => &mut sched.bounded_pool,
    };
    let g = pool.pop().unwrap_or_else(|| new_worker(class));
    // SAFETY: `g` is a record no list holds; it joins the list of live
    // goroutines only once complete (see `G::next`).
    unsafe {
        let gr = &mut *g;
        gr.id = sched.next_id;
        gr.state = State::Runnable;
        gr.wait_reason = "";
        gr.saved_sp.set(0);
        gr.closure.set(closure);
        let main = &mut *sched.main;
        let after = main.next.get();
        gr.prev = sched.main;
        gr.next.set(after);
        if !after.is_null() {
            (*after).prev = g;
        }
        compiler_fence(Ordering::SeqCst);
        main.next.set(g);
        compiler_fence(Ordering::SeqCst);
    }
    sched.next_id += 1;
    sched.others += 1;
    push_run(sched, g);
}

/// Makes a waiting goroutine runnable.
#[inline]
pub(crate) fn ready(g: *mut G) {
    wake(g, push_run);
}

/// Makes a waiting goroutine runnable after those already queued: timers
/// that expire together wake their goroutines in deadline order (with
/// [`ready`], each would displace the one woken before it).
pub(crate) fn ready_last(g: *mut G) {
    wake(g, push_back);
}

/// Makes a waiting goroutine runnable, queued by `queue` ([`ready`]'s
/// `runnext` or [`ready_last`]'s back of the queue); the main goroutine is
/// only marked runnable, never queued.
#[inline]
fn wake(g: *mut G, queue: fn(&mut Sched, *mut G)) {
    let sched = sched();
    // SAFETY: goroutines stay allocated while they can be woken.
    let gr = unsafe { &mut *g };
    if gr.state != State::Waiting {
        return;
    }
    gr.state = State::Runnable;
    if !std::ptr::eq(g, sched.main) {
        queue(sched, g);
    }
}

/// Blocks the running goroutine until [`ready`] is called for it; `reason`
/// is what Go's traceback would say (`chan receive`, `select`, ...).
pub(crate) fn park(reason: &'static str) {
    let sched = sched();
    let g = sched.current;
    // SAFETY: the running goroutine is allocated.
    let gr = unsafe { &mut *g };
    gr.state = State::Waiting;
    gr.wait_reason = reason;
    if std::ptr::eq(g, sched.main) {
        run_others(sched);
    } else {
        leave(sched, gr);
        // SAFETY: a goroutine other than goroutine 1 runs inside its
        // coroutine, whose yielder it recorded when it started.
        let end = unsafe { (*gr.yielder).suspend(false) };
        debug_assert!(!end);
        enter(sched, gr);
    }
}

/// `runtime.Gosched`: the goroutines runnable now run before the caller
/// goes on. Goroutine 1 runs each of them once (until it blocks, ends or
/// yields in turn); any other goroutine goes to the back of the run queue.
pub(crate) fn gosched() {
    let sched = SCHED.get();
    if sched.is_null() {
        return;
    }
    // SAFETY: schedulers are leaked; this thread's is used by this thread.
    let sched = unsafe { &mut *sched };
    let g = sched.current;
    if std::ptr::eq(g, sched.main) {
        crate::sema::fire_expired();
        let mut queued = usize::from(!sched.run_next.is_null());
        let mut at = sched.run_head;
        while !at.is_null() {
            queued += 1;
            // SAFETY: queued goroutines are live.
            at = unsafe { (*at).next_run };
        }
        for _ in 0..queued {
            let Some(next) = pop_run(sched) else { break };
            run_one(sched, next);
        }
        return;
    }
    // SAFETY: the running goroutine is allocated.
    let gr = unsafe { &mut *g };
    gr.state = State::Runnable;
    push_back(sched, g);
    leave(sched, gr);
    // SAFETY: a goroutine other than goroutine 1 runs inside its coroutine,
    // whose yielder it recorded when it started.
    let end = unsafe { (*gr.yielder).suspend(false) };
    debug_assert!(!end);
    enter(sched, gr);
}

/// Blocks forever (a nil channel, an empty `select`): only a deadlock or the
/// end of `main` follows.
pub(crate) fn park_forever(reason: &'static str) -> ! {
    loop {
        park(reason);
    }
}

/// The end of `runtime.Goexit`, once the goroutine's deferred calls have
/// run. Another goroutine ends as if its function had returned; its
/// coroutine, stopped inside the goroutine's frames, is never resumed and
/// its stack is not reused (a Goexit costs one stack). Goroutine 1 lets the
/// others run, then the program ends with Go's fatal error.
pub(crate) fn goexit_end() -> ! {
    let sched = sched();
    let g = sched.current;
    if std::ptr::eq(g, sched.main) {
        while let Some(other) = pop_run(sched) {
            run_one(sched, other);
        }
        crate::ffi::print_fatal_and_end(b"fatal error: no goroutines (main called runtime.Goexit) - deadlock!\n")
    }
    // SAFETY: the running goroutine is allocated, and, not being goroutine
    // 1, runs inside its coroutine, whose yielder it recorded.
    unsafe {
        let gr = &mut *g;
        gr.abandoned = true;
        leave(sched, gr);
        (*gr.yielder).suspend(true);
    }
    crate::flow::fatal("g2n: internal error: a goroutine resumed after runtime.Goexit")
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
        return sched.others;
    }
    while let Some(g) = pop_run(sched) {
        run_one(sched, g);
    }
    sched.others
}

/// How many goroutines other than goroutine 1 are alive (see [`quiesce`]).
pub(crate) fn others_alive() -> usize {
    let sched = SCHED.get();
    if sched.is_null() {
        return 0;
    }
    // SAFETY: as in `quiesce`.
    unsafe { (*sched).others }
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
        // Timers fire between two goroutines, so a sleeper wakes even while
        // others keep each other busy; finalizers the collector found ready
        // get their goroutines.
        crate::sema::fire_expired();
        crate::finalizer::spawn_ready();
        let Some(g) = pop_run(sched) else {
            // The timers just fired may have woken goroutine 1 itself (its
            // own deadline: a sleep, a poll's pause): it goes on at once,
            // rather than after the next deadline, or never when none is
            // left (the deadlock error while it is runnable).
            // SAFETY: as above.
            if unsafe { (*main).state } == State::Runnable {
                continue;
            }
            // Everything waits: on a timer (sleep until it fires), or on what
            // only another goroutine could do (the deadlock error).
            if crate::sema::sleep_until_next() {
                continue;
            }
            // SAFETY: as above.
            deadlock(unsafe { (*main).wait_reason })
        };
        run_one(sched, g);
    }
}

/// Resumes `g` on its stack until it blocks or ends.
fn run_one(sched: &mut Sched, g: *mut G) {
    // SAFETY: `g` is a live goroutine other than goroutine 1, and goroutine 1
    // lives as long as the scheduler.
    let (main, gr) = unsafe { (&mut *sched.main, &mut *g) };
    crate::defer::swap_state(&mut main.defer);
    crate::defer::swap_state(&mut gr.defer);
    gr.state = State::Running;
    sched.current = g;
    leave(sched, main);
    let coro = gr.coro.as_mut().unwrap_or_else(|| unreachable!());
    let result = coro.resume(false);
    enter(sched, main);
    sched.current = main;
    crate::defer::swap_state(&mut gr.defer);
    crate::defer::swap_state(&mut main.defer);
    if matches!(result, CoroutineResult::Yield(true)) {
        finish(sched, g);
    }
}

/// `g`'s goroutine ended: its record leaves the list of live goroutines and
/// waits in the pool for another `go` statement.
fn finish(sched: &mut Sched, g: *mut G) {
    sched.others -= 1;
    // SAFETY: `g` and its neighbours are live records of this scheduler.
    unsafe {
        let gr = &mut *g;
        let (prev, next) = (gr.prev, gr.next.get());
        (*prev).next.set(next);
        compiler_fence(Ordering::SeqCst);
        if !next.is_null() {
            (*next).prev = prev;
        }
        gr.state = State::Dead;
        gr.closure.set(std::ptr::null());
        gr.saved_sp.set(0);
        gr.next.set(std::ptr::null_mut());
        gr.prev = std::ptr::null_mut();
        if gr.abandoned {
            // Its coroutine cannot end cleanly (see `goexit_end`): the
            // record and the stack are left alone.
            return;
        }
    }
    // SAFETY: as above.
    let pool = match unsafe { (*g).class } {
        StackClass::Deep => &mut sched.pool,
        StackClass::Bounded => &mut sched.bounded_pool,
    };
    if pool.len() < POOL {
        pool.push(g);
        return;
    }
    // SAFETY: the record is no longer referenced; its coroutine is
    // suspended at the end of a goroutine, so asking it to end returns
    // (running nothing that needs the collector: see `leave`).
    unsafe {
        let mut gr = Box::from_raw(g);
        if let Some(mut coro) = gr.coro.take() {
            leave(sched, &*sched.main);
            let ended = matches!(coro.resume(true), CoroutineResult::Return(()));
            enter(sched, &*sched.main);
            if ended {
                drop(coro);
            } else {
                std::mem::forget(coro);
            }
        }
    }
}

/// Every goroutine is blocked: Go's fatal error, with goroutine 1's frames
/// where it waits (this runs on its stack, from `run_others`).
fn deadlock(reason: &str) -> ! {
    let frames = crate::ffi::goroutine_frames(crate::traceback::current_text());
    let message = format!("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [{reason}]:\n{frames}");
    crate::ffi::print_fatal_and_end(message.as_bytes())
}
