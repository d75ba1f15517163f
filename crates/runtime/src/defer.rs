//! `defer`, `panic` and `recover`.
//!
//! A function that defers gets a frame from [`g2n_defer_enter`] and calls
//! `_setjmp` on the `jmp_buf` at its start. A panic ([`raise`]) records its
//! value and `longjmp`s to the innermost frame of the thread; the function
//! then calls [`g2n_defer_landing`], which runs its deferred calls and either
//! returns (a deferred call recovered) or unwinds to the next frame. With no
//! frame left the panic message is printed and the flow ends with exit code 2,
//! after every deferred call has run, as Go does.
//!
//! Only state in memory survives the jump: generated code keeps the named
//! results of such functions in memory (sema marks them), and the runtime
//! frames jumped over hold nothing that needs dropping.

use crate::ffi::any_to_arg;
use g2n_abi::{GoAny, JMP_BUF_SIZE};
use std::cell::Cell;
use std::ffi::c_void;

#[repr(C)]
struct Frame {
    jmp_buf: [u64; JMP_BUF_SIZE / 8],
    previous: *mut Frame,
    /// Closure objects, in `defer` order, in memory the collector scans
    /// (they may be referenced from nowhere else, e.g. while the goroutine
    /// that deferred them is parked).
    deferred: crate::gc::RootVec,
}

/// A panic in flight.
#[derive(Clone)]
pub enum PanicValue {
    /// `panic(v)`.
    Value(GoAny),
    /// A run-time error: `runtime error: <message>`.
    Runtime(Vec<u8>),
    /// A run-time panic whose message has no `runtime error: ` prefix
    /// (failed type assertions, nil map writes).
    Message(Vec<u8>),
    /// `runtime.Goexit` (the testing package's `FailNow` and `SkipNow`):
    /// unwinds like a panic, running every deferred call, but `recover`
    /// does not stop it, and with no frame left its goroutine ends quietly.
    Goexit,
}

/// A panic in flight, linked to the earlier panics whose deferred calls
/// were running when it started (Go's `_panic.link`): an unrecovered panic
/// prints the whole chain, oldest first.
struct Panicking {
    value: PanicValue,
    recovered: bool,
    /// A later panic unwound past the deferred call this one was running:
    /// it will never resume (Go's `aborted`).
    aborted: bool,
    /// The frame whose deferred calls this panic is running (null until it
    /// reaches one).
    frame: *mut Frame,
    link: Option<Box<Panicking>>,
    /// The panic value's words, where the collector sees them while deferred
    /// calls run (the value itself is in Rust memory).
    _roots: crate::gc::RootVec,
}

thread_local! {
    static TOP: Cell<*mut Frame> = const { Cell::new(std::ptr::null_mut()) };
    /// The panic in flight (a leaked box), or null.
    static PANICKING: Cell<*mut Panicking> = const { Cell::new(std::ptr::null_mut()) };
}

/// Runs `f` on the panic in flight, if any.
fn with_panicking<R>(f: impl FnOnce(Option<&mut Panicking>) -> R) -> R {
    // SAFETY: the box is owned by the thread-local (or by a parked
    // goroutine's record, never both) and used by this thread only.
    f(unsafe { PANICKING.get().as_mut() })
}

/// Replaces the panic in flight.
fn set_panicking(state: Option<Panicking>) {
    let new = state.map_or(std::ptr::null_mut(), |s| Box::into_raw(Box::new(s)));
    let old = PANICKING.replace(new);
    if !old.is_null() {
        // SAFETY: boxed by an earlier call and owned by the thread-local.
        drop(unsafe { Box::from_raw(old) });
    }
}

/// One goroutine's defer frames and panic in flight, kept aside while
/// another goroutine runs on the thread (see sched.rs).
#[derive(Default)]
pub(crate) struct DeferState {
    top: Option<std::ptr::NonNull<Frame>>,
    panicking: Option<std::ptr::NonNull<Panicking>>,
}

/// Exchanges the thread's defer state with `state`: a switch takes the
/// running goroutine's state off the thread into its record, then installs
/// the next goroutine's (leaving its record's empty): two words.
#[inline]
pub(crate) fn swap_state(state: &mut DeferState) {
    let top = TOP.replace(state.top.map_or(std::ptr::null_mut(), |p| p.as_ptr()));
    state.top = std::ptr::NonNull::new(top);
    let panicking = PANICKING.replace(state.panicking.map_or(std::ptr::null_mut(), |p| p.as_ptr()));
    state.panicking = std::ptr::NonNull::new(panicking);
}

unsafe extern "C" {
    fn _longjmp(env: *mut c_void, value: i32) -> !;
}

rt_export! { DEFER_ENTER =>
pub extern "C" fn g2n_defer_enter() -> *mut u8 {
    let frame = Box::new(Frame { jmp_buf: [0; JMP_BUF_SIZE / 8], previous: TOP.get(), deferred: crate::gc::RootVec::new() });
    let frame = Box::into_raw(frame);
    TOP.set(frame);
    frame as *mut u8
}
}

rt_export! { DEFER_PUSH =>
/// # Safety
/// `frame` comes from [`g2n_defer_enter`]; `closure` is a closure object.
pub unsafe extern "C" fn g2n_defer_push(frame: *mut u8, closure: *const u8) {
    // SAFETY: guaranteed by the caller.
    let frame = unsafe { &mut *(frame as *mut Frame) };
    frame.deferred.push(closure as usize);
}
}

/// Runs the frame's deferred calls, last first; each is removed before it
/// runs, so a panicking one is not run again.
fn run_deferred(frame: *mut Frame) {
    loop {
        // SAFETY: the frame stays alive until its function returns.
        let next = unsafe { (*frame).deferred.pop() }.map(|word| word as *const u8);
        let Some(closure) = next else { break };
        if closure.is_null() {
            continue;
        }
        // SAFETY: a closure object starts with its function's address; a
        // deferred closure takes no arguments but its own object.
        unsafe {
            let function: extern "C" fn(*const u8) = std::mem::transmute(*(closure as *const usize));
            function(closure);
        }
    }
}

fn pop(frame: *mut Frame) {
    // SAFETY: the frame was made by `g2n_defer_enter` and is dropped once.
    let previous = unsafe { (*frame).previous };
    TOP.set(previous);
    // SAFETY: as above.
    drop(unsafe { Box::from_raw(frame) });
}

rt_export! { DEFER_EXIT =>
/// # Safety
/// `frame` comes from [`g2n_defer_enter`] and is the innermost frame.
pub unsafe extern "C" fn g2n_defer_exit(frame: *mut u8) {
    let frame = frame as *mut Frame;
    run_deferred(frame);
    pop(frame);
}
}

rt_export! { DEFER_TAKE =>
/// The deferred closures leave with the flow: see `g2n_abi::symbols::DEFER_TAKE`.
///
/// # Safety
/// `frame` comes from [`g2n_defer_enter`] and is the innermost frame; `out`
/// is valid for a slice header (three words).
pub unsafe extern "C" fn g2n_defer_take(frame: *mut u8, out: *mut [u64; 3]) {
    let frame = frame as *mut Frame;
    let mut closures = Vec::new();
    // SAFETY: the frame is alive until `pop`.
    while let Some(word) = unsafe { (*frame).deferred.pop() } {
        closures.push(word as u64);
    }
    closures.reverse();
    let n = closures.len();
    let data = if n == 0 { std::ptr::null_mut() } else { crate::gc::malloc(n * 8).cast::<u64>() };
    for (i, c) in closures.iter().enumerate() {
        // SAFETY: fresh memory for `n` words.
        unsafe { data.add(i).write(*c) };
    }
    pop(frame);
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write([data as u64, n as u64, n as u64]) };
    }
}
}

rt_export! { DEFER_RESTORE =>
/// # Safety
/// `frame` comes from [`g2n_defer_enter`]; `ptr` points to `len` closure
/// objects (a received `[]func()`).
pub unsafe extern "C" fn g2n_defer_restore(frame: *mut u8, ptr: *const u64, len: i64) {
    // SAFETY: guaranteed by the caller.
    let frame = unsafe { &mut *(frame as *mut Frame) };
    for i in 0..len.max(0) as usize {
        // SAFETY: guaranteed by the caller.
        frame.deferred.push(unsafe { *ptr.add(i) } as usize);
    }
}
}

rt_export! { DEFER_LANDING =>
/// # Safety
/// `frame` comes from [`g2n_defer_enter`] and a panic jumped to it.
pub unsafe extern "C" fn g2n_defer_landing(frame: *mut u8) {
    let frame = frame as *mut Frame;
    with_panicking(|p| {
        let Some(current) = p else { return };
        current.frame = frame;
        // An earlier panic was running this frame's deferred calls: the
        // new one has unwound past the call it was in.
        let mut earlier = current.link.as_deref_mut();
        while let Some(panic) = earlier {
            if panic.frame == frame {
                panic.aborted = true;
            }
            earlier = panic.link.as_deref_mut();
        }
    });
    run_deferred(frame);
    pop(frame);
    if with_panicking(|p| p.is_some_and(|state| state.recovered)) {
        // The function returns normally: the recovered panic ends, and so
        // do the earlier ones it aborted; a panic whose deferred call is
        // still running (further up the stack) goes on being in flight.
        let mut rest = PANICKING.replace(std::ptr::null_mut());
        // SAFETY: boxed by `set_panicking` or `raise`, owned by the thread-local.
        let mut link = unsafe { Box::from_raw(rest) }.link.take();
        while let Some(mut panic) = link.take() {
            if panic.aborted {
                link = panic.link.take();
            } else {
                link = Some(panic);
                break;
            }
        }
        rest = link.map_or(std::ptr::null_mut(), Box::into_raw);
        PANICKING.set(rest);
        return;
    }
    let value = with_panicking(|p| p.map(|s| s.value.clone()));
    match value {
        Some(value) => continue_unwinding(value),
        None => crate::flow::fatal("g2n: internal error: a defer landing without a panic"),
    }
}
}

rt_export! { RECOVER =>
/// `recover()`: the panic value once, while a panic is in flight.
///
/// # Safety
/// `out` must be valid for one [`GoAny`] write.
pub unsafe extern "C" fn g2n_recover(out: *mut GoAny) {
    let value = with_panicking(|p| {
        match p {
            Some(state) if !state.recovered && !matches!(state.value, PanicValue::Goexit) => {
                state.recovered = true;
                Some(recovered_value(&state.value))
            }
            _ => None,
        }
    });
    let value = value.unwrap_or(GoAny { tag: 0, word0: 0, word1: 0 });
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write(value) };
    }
}
}

/// What `recover` returns: the value itself, or for a run-time error an
/// `error` whose message is `runtime error: ...`.
fn recovered_value(value: &PanicValue) -> GoAny {
    match value {
        PanicValue::Value(v) => *v,
        PanicValue::Runtime(message) => {
            let mut text = b"runtime error: ".to_vec();
            text.extend_from_slice(message);
            crate::stdlib::runtime_error_value(text)
        }
        // Go's runtime raises these as runtime.Error values too (a
        // *TypeAssertionError, a plainError), whose Error() is the message.
        PanicValue::Message(message) => crate::stdlib::runtime_error_value(message.clone()),
        PanicValue::Goexit => GoAny { tag: 0, word0: 0, word1: 0 },
    }
}

/// Starts a panic: to the innermost defer frame, or straight to the end of
/// the flow when there is none.
pub fn raise(value: PanicValue) -> ! {
    // The stack as it is where the panic starts, for the trace printed if
    // it is never recovered (deferred calls run on top of it first).
    crate::traceback::capture();
    let mut roots = crate::gc::RootVec::new();
    if let PanicValue::Value(v) = &value {
        roots.push(v.word0 as usize);
        roots.push(v.word1 as usize);
    }
    let earlier = PANICKING.replace(std::ptr::null_mut());
    // SAFETY: boxed by an earlier `raise`, owned by the thread-local.
    let link = (!earlier.is_null()).then(|| unsafe { Box::from_raw(earlier) });
    let panic = Panicking { value: value.clone(), recovered: false, aborted: false, frame: std::ptr::null_mut(), link, _roots: roots };
    set_panicking(Some(panic));
    continue_unwinding(value)
}

/// `runtime.Goexit`: runs the goroutine's deferred calls, innermost first,
/// then ends the goroutine (see [`PanicValue::Goexit`]). A panic in flight
/// stays linked, as for a panic raised by a deferred call.
pub fn goexit() -> ! {
    let earlier = PANICKING.replace(std::ptr::null_mut());
    // SAFETY: boxed by an earlier `raise`, owned by the thread-local.
    let link = (!earlier.is_null()).then(|| unsafe { Box::from_raw(earlier) });
    let state = Panicking {
        value: PanicValue::Goexit,
        recovered: false,
        aborted: false,
        frame: std::ptr::null_mut(),
        link,
        _roots: crate::gc::RootVec::new(),
    };
    set_panicking(Some(state));
    continue_unwinding(PanicValue::Goexit)
}

/// What Go prints after `panic: ` for a panic value.
fn panic_text(value: &PanicValue) -> Vec<u8> {
    match value {
        PanicValue::Value(v) => {
            // SAFETY: the value came from generated code.
            let arg = if v.tag == 0 { crate::fmt::Arg::Nil } else { unsafe { any_to_arg(v) } };
            crate::ffi::panic_value(arg)
        }
        PanicValue::Runtime(message) => {
            let mut text = b"runtime error: ".to_vec();
            text.extend_from_slice(message);
            text
        }
        PanicValue::Message(message) => message.clone(),
        PanicValue::Goexit => b"no goroutines (main called runtime.Goexit)".to_vec(),
    }
}

/// Go's `printpanics`: the chain of panics, oldest first, each after the
/// first on a line of its own starting with a tab, a recovered one marked
/// ` [recovered]` (it was recovered, then its deferred call panicked).
fn chain_text(current: &PanicValue) -> Vec<u8> {
    let mut lines = Vec::new();
    with_panicking(|p| {
        let mut next = p.map(|p| &*p);
        while let Some(panic) = next {
            let mut line = panic_text(&panic.value);
            if panic.recovered {
                line.extend_from_slice(b" [recovered]");
            }
            lines.push(line);
            next = panic.link.as_deref();
        }
    });
    if lines.is_empty() {
        lines.push(panic_text(current));
    }
    lines.reverse();
    lines.join(&b"\n\tpanic: "[..])
}

fn continue_unwinding(value: PanicValue) -> ! {
    let top = TOP.get();
    if !top.is_null() {
        // SAFETY: the frame's function is still running (frames are popped
        // when it returns), so its `_setjmp` context is valid.
        unsafe { _longjmp((*top).jmp_buf.as_mut_ptr() as *mut c_void, 1) }
    }
    if matches!(value, PanicValue::Goexit) {
        set_panicking(None);
        crate::sched::goexit_end()
    }
    crate::ffi::print_panic_and_end(&chain_text(&value))
}
