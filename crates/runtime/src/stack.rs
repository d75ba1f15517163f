//! Stacks of Go code: large reservations that only cost the pages they touch,
//! with a guard at the end, and Go's `fatal error: stack overflow` when a
//! goroutine runs into its guard (docs/goroutines.md, "Stacks").
//!
//! Go grows a goroutine's stack by copying it, up to 1 GB. g2n cannot move a
//! stack (the collector is conservative and generated code keeps pointers
//! into frames), so each stack is reserved at its full size up front and the
//! kernel commits its pages as they are first touched:
//!
//! - a flow's thread (goroutine 1) has a [`FLOW_STACK`] stack (Go's limit);
//! - every other goroutine has a [`GOROUTINE_STACK`] one, or, when codegen
//!   proved its calls bounded, a [`BOUNDED_GOROUTINE_STACK`] one, carved
//!   from no shared pool: one anonymous mapping each, which the kernel merges with its
//!   neighbours, with its guard installed by `MADV_GUARD_INSTALL` (Linux 6.13)
//!   so that it does not split the mapping. 100,000 goroutines are thus a
//!   handful of kernel mappings, not 200,000 (the default limit is 65,530).
//!   Older kernels get a `PROT_NONE` guard, which splits.
//!
//! A fault in a guard is recognised by a `SIGSEGV` handler that runs on an
//! alternate signal stack of the flow's thread; it moves the thread onto that
//! stack at [`overflowed`], which prints Go's message and ends the flow with
//! exit code 2. Any other fault goes to the previous handler (by default the
//! process dies of the signal, as before).

use std::cell::Cell;
use std::sync::Once;

/// Go's limit on one goroutine's stack, which its message names.
const GO_LIMIT_TEXT: &str = "1000000000";
/// The stack of a flow's thread, on which goroutine 1 runs: Go's limit.
pub(crate) const FLOW_STACK: usize = 1 << 30;
/// The stack of every other goroutine. A quarter of Go's limit, so that the
/// address space holds 100,000 goroutines of a flow next to 65,535 flow
/// threads (47 bits of user address space: 128 TiB; 100,000 × 256 MiB is
/// 24 TiB, 65,535 × 1 GiB is 64 TiB). A million frames of a small function
/// take about 50 MB. The extra page staggers the stacks (see [`STAGGER`]).
pub(crate) const GOROUTINE_STACK: usize = (256 << 20) + STAGGER;
/// The stack of a goroutine whose calls codegen proved bounded
/// ([`StackClass::Bounded`]): what every goroutine had before stacks grew to
/// [`GOROUTINE_STACK`], room for its Go frames (codegen bounds their sum far
/// below this) and for the runtime's own Rust code they call (the collector,
/// the panic report). Small stacks sit next to each other, so the hot tops
/// of thousands of them share page-table pages: at 256 MiB apart each top
/// needs page-table pages of its own, and touching a parked goroutine's
/// stack (a channel's waiter lives there) costs a page walk that misses the
/// caches (coro-prime-sieve ran 1.33 times slower).
pub(crate) const BOUNDED_GOROUTINE_STACK: usize = (1 << 20) + STAGGER;
/// One page more than a round size per goroutine stack, so that the stride
/// between neighbouring stacks (usable size and guard) is an odd number of
/// pages. The TLB is indexed by the low bits of the page number: at a stride
/// that is a multiple of 64 KiB (16 pages), as 256 MiB or 1 MiB plus the
/// 64 KiB guard are, the hot tops of thousands of stacks fall into the same
/// few TLB sets and evict each other. coro-prime-sieve (3,000 goroutines
/// woken in turn) took 460 ms of CPU with 256 MiB stacks, 355 ms with the
/// page added; 335 and 300 ms with 1 MiB stacks (4c07720's stacks, 1 MiB
/// and a 4 KiB guard, were staggered by accident: 305 ms).
const STAGGER: usize = PAGE;
const _: () = assert!((GOROUTINE_STACK + GUARD) / PAGE % 2 == 1 && (BOUNDED_GOROUTINE_STACK + GUARD) / PAGE % 2 == 1);
/// The guard below a goroutine's stack. Generated code probes every page of
/// a frame larger than one page (`enable_probestack`), so one page would do;
/// more costs no memory and also catches large frames of C code.
pub(crate) const GUARD: usize = 64 << 10;
/// The alternate signal stack: the handler and then the code that prints the
/// message and ends the flow run on it.
const SIGNAL_STACK: usize = 256 << 10;
/// How far below the lowest page of a thread's stack a fault still counts as
/// an overflow (glibc's guard is one page; a frame may jump past it).
const THREAD_GUARD_SPAN: usize = 1 << 20;
const PAGE: usize = 4096;
/// Linux 6.13's `madvise` advice that makes pages fault without splitting
/// the mapping.
const MADV_GUARD_INSTALL: libc::c_int = 102;

/// An anonymous mapping with a guard at its low end.
struct Mapping {
    low: usize,
    len: usize,
}

impl Mapping {
    /// `usable` bytes above a `guard`, reserved but not committed: nothing is
    /// charged against the memory until it is touched.
    fn new(usable: usize, guard: usize) -> std::io::Result<Mapping> {
        let len = usable + guard;
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK;
        // SAFETY: a fresh anonymous mapping; nothing else refers to it.
        let ptr = unsafe { libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, flags, -1, 0) };
        if ptr == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        let mapping = Mapping { low: ptr as usize, len };
        // SAFETY: the guard is the low end of the mapping just made.
        let guarded = unsafe {
            libc::madvise(ptr, guard, MADV_GUARD_INSTALL) == 0 || libc::mprotect(ptr, guard, libc::PROT_NONE) == 0
        };
        if !guarded {
            return Err(std::io::Error::last_os_error());
        }
        Ok(mapping)
    }

    fn high(&self) -> usize {
        self.low + self.len
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: the mapping is ours and no longer used.
        unsafe { libc::munmap(self.low as *mut libc::c_void, self.len) };
    }
}

/// Which stack a goroutine gets, chosen by codegen at its `go` statement
/// (`g2n_go` or `g2n_go_bounded`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StackClass {
    /// Calls that may recurse, or that codegen cannot follow: [`GOROUTINE_STACK`].
    Deep,
    /// Calls proved bounded: [`BOUNDED_GOROUTINE_STACK`].
    Bounded,
}

/// A goroutine's stack, for its coroutine.
pub(crate) struct GoroutineStack(Mapping);

impl GoroutineStack {
    pub(crate) fn new(class: StackClass) -> std::io::Result<GoroutineStack> {
        let usable = match class {
            StackClass::Deep => GOROUTINE_STACK,
            StackClass::Bounded => BOUNDED_GOROUTINE_STACK,
        };
        Mapping::new(usable, GUARD).map(GoroutineStack)
    }
}

// SAFETY: the stack has a guard page below `limit + GUARD` and more than
// MIN_STACK_SIZE usable bytes; both ends are page-aligned.
unsafe impl corosensei::stack::Stack for GoroutineStack {
    fn base(&self) -> corosensei::stack::StackPointer {
        corosensei::stack::StackPointer::new(self.0.high()).unwrap_or_else(|| unreachable!())
    }

    fn limit(&self) -> corosensei::stack::StackPointer {
        corosensei::stack::StackPointer::new(self.0.low).unwrap_or_else(|| unreachable!())
    }
}

/// What the signal handler found, for [`overflowed`].
#[derive(Clone, Copy)]
struct Overflow {
    sp: usize,
    low: usize,
    high: usize,
}

thread_local! {
    /// The flow thread's own stack: (lowest usable address, base).
    static THREAD_STACK: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    /// The top of the thread's alternate signal stack.
    static SIGNAL_STACK_TOP: Cell<usize> = const { Cell::new(0) };
    static OVERFLOW: Cell<Option<Overflow>> = const { Cell::new(None) };
    /// Keeps the alternate signal stack mapped while the thread lives.
    static SIGNAL_STACK_MAPPING: Cell<Option<SignalStack>> = const { Cell::new(None) };
}

struct SignalStack(#[expect(dead_code, reason = "owned for its Drop")] Mapping);

impl Drop for SignalStack {
    fn drop(&mut self) {
        let off = libc::stack_t { ss_sp: std::ptr::null_mut(), ss_flags: libc::SS_DISABLE, ss_size: 0 };
        // SAFETY: turns this thread's alternate stack off before it is unmapped.
        unsafe { libc::sigaltstack(&off, std::ptr::null_mut()) };
    }
}

/// Starts a thread that runs Go code (a flow's steps): registered with the
/// collector, with a [`FLOW_STACK`] stack and the overflow handler.
pub fn spawn_flow_thread<R: Send + 'static>(name: &str, f: impl FnOnce() -> R + Send + 'static) -> std::io::Result<std::thread::JoinHandle<R>> {
    crate::gc::thread_builder().name(name.into()).stack_size(FLOW_STACK).spawn(move || {
        prepare_flow_thread();
        f()
    })
}

/// Records the thread's stack and gives it an alternate signal stack, so that
/// a stack overflow on it prints Go's message.
fn prepare_flow_thread() {
    static HANDLER: Once = Once::new();
    HANDLER.call_once(install_handler);
    THREAD_STACK.set(current_thread_stack());
    let Ok(mapping) = Mapping::new(SIGNAL_STACK, PAGE) else {
        return; // No handler on this thread: an overflow kills the process with SIGSEGV.
    };
    let stack = libc::stack_t { ss_sp: (mapping.low + PAGE) as *mut libc::c_void, ss_flags: 0, ss_size: SIGNAL_STACK };
    // SAFETY: the mapping lives as long as the thread (SIGNAL_STACK_MAPPING).
    if unsafe { libc::sigaltstack(&stack, std::ptr::null_mut()) } == 0 {
        SIGNAL_STACK_TOP.set(mapping.high());
        SIGNAL_STACK_MAPPING.set(Some(SignalStack(mapping)));
    }
}

/// The running thread's stack: (lowest usable address, base).
fn current_thread_stack() -> (usize, usize) {
    // SAFETY: pthread_getattr_np fills `attr`, destroyed after use.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return (0, 0);
        }
        let (mut addr, mut size) = (std::ptr::null_mut(), 0usize);
        let got = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        if got != 0 {
            return (0, 0);
        }
        (addr as usize, addr as usize + size)
    }
}

static mut PREVIOUS: Option<libc::sigaction> = None;

fn install_handler() {
    // SAFETY: installs a SIGSEGV handler once, keeping the previous one to
    // pass other faults on to.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_segv as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigemptyset(&mut action.sa_mask);
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGSEGV, &action, &mut previous) == 0 {
            PREVIOUS = Some(previous);
        }
    }
}

/// The stack whose guard `addr` is in, if any: the running goroutine's, else
/// the flow thread's. Reads only thread-locals (async-signal-safe).
fn guard_hit(addr: usize) -> Option<(usize, usize)> {
    if let Some((low, high)) = crate::sched::running_goroutine_stack() {
        return (addr >= low && addr < low + GUARD).then_some((low + GUARD, high));
    }
    let (low, high) = THREAD_STACK.get();
    (low != 0 && addr < low && addr >= low.saturating_sub(THREAD_GUARD_SPAN)).then_some((low, high))
}

extern "C" fn on_segv(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo and ucontext for SA_SIGINFO.
    let addr = unsafe { (*info).si_addr() } as usize;
    let top = SIGNAL_STACK_TOP.get();
    if top != 0
        && let Some((low, high)) = guard_hit(addr)
    {
        // SAFETY: as above; the context is this thread's, resumed on return.
        let sp = unsafe { redirect(context.cast(), top) };
        OVERFLOW.set(Some(Overflow { sp, low, high }));
        return;
    }
    // SAFETY: the previous disposition, as the kernel gave it to us.
    unsafe { pass_on(signal, info, context) };
}

/// Resumes the thread at [`overflowed`] on its alternate signal stack (the
/// frames of this handler are gone by then); returns the faulting stack
/// pointer.
#[cfg(target_arch = "x86_64")]
unsafe fn redirect(context: *mut libc::ucontext_t, top: usize) -> usize {
    // SAFETY: a valid ucontext (see the caller).
    let regs = unsafe { &mut (*context).uc_mcontext.gregs };
    let sp = regs[libc::REG_RSP as usize] as usize;
    // As if `overflowed` had been called: 16-byte aligned before the call.
    regs[libc::REG_RSP as usize] = ((top & !15) - 8) as i64;
    regs[libc::REG_RIP as usize] = overflowed as *const () as usize as i64;
    sp
}

#[cfg(target_arch = "aarch64")]
unsafe fn redirect(context: *mut libc::ucontext_t, top: usize) -> usize {
    // SAFETY: a valid ucontext (see the caller).
    let mcontext = unsafe { &mut (*context).uc_mcontext };
    let sp = mcontext.sp as usize;
    mcontext.sp = (top & !15) as u64;
    mcontext.pc = overflowed as *const () as usize as u64;
    sp
}

/// The previous handler's way with a fault that is no overflow: its
/// function, or the default action (the process dies of the signal once the
/// faulting instruction runs again).
unsafe fn pass_on(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    // SAFETY: PREVIOUS is written once, before the handler is installed.
    let previous = unsafe { *std::ptr::addr_of!(PREVIOUS) };
    match previous {
        Some(p) if p.sa_sigaction != libc::SIG_DFL && p.sa_sigaction != libc::SIG_IGN => {
            if p.sa_flags & libc::SA_SIGINFO != 0 {
                // SAFETY: the previous handler takes these three arguments.
                let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = unsafe { std::mem::transmute(p.sa_sigaction) };
                f(signal, info, context);
            } else {
                // SAFETY: the previous handler takes the signal number.
                let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(p.sa_sigaction) };
                f(signal);
            }
        }
        _ => {
            // SAFETY: restoring the default action of a signal.
            unsafe { libc::signal(signal, libc::SIG_DFL) };
        }
    }
}

/// Where a thread whose goroutine overflowed its stack goes on, on its
/// alternate signal stack: Go's message, exit code 2. The overflowed
/// goroutine never runs again (nor, on a serving host, does its flow).
extern "C" fn overflowed() -> ! {
    crate::sched::abandon_running_stack(SIGNAL_STACK_TOP.get());
    let Overflow { sp, low, high } = OVERFLOW.get().unwrap_or(Overflow { sp: 0, low: 0, high: 0 });
    let message = format!(
        "runtime: goroutine stack exceeds {GO_LIMIT_TEXT}-byte limit\nruntime: sp={sp:#x} stack=[{low:#x}, {high:#x}]\nfatal error: stack overflow\n{}",
        crate::ffi::traceback()
    );
    crate::ffi::print_fatal_and_end(message.as_bytes())
}
