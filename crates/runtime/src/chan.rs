//! Channels and `select` ([Go spec: Channel types](https://go.dev/ref/spec#Channel_types)).
//!
//! A channel is one block of collected memory (so it is freed once
//! unreachable): a header and, right after it, its buffer (a ring of `cap`
//! elements). Goroutines blocked on it wait in its queues as [`Waiter`]s,
//! which live in the blocked goroutine's own frame until it is woken, linked
//! into the queues through themselves: blocking and waking allocate nothing.
//! A value passes straight from the sender's memory to a waiting receiver's
//! (or from a waiting sender's into the buffer), and the woken goroutine is
//! queued to run. See sched.rs for blocking and waking.

use crate::sched::{self, G};
use crate::stack::StackClass;
use g2n_abi::{SELECT_SEND, SelectCase};
use std::ffi::c_void;

/// A blocked send, receive, or one case of a blocked `select`.
#[derive(Clone, Copy)]
struct Waiter {
    g: *mut G,
    /// The value to send, or where a received value goes (may be null).
    elem: *mut u8,
    /// The `select` this waiter is a case of, or null.
    select: *mut SelectWait,
    case: usize,
    /// The queue links, while `queued`.
    next: *mut Waiter,
    prev: *mut Waiter,
    queued: bool,
    /// Set when woken: whether a value passed (false: the channel closed).
    ok: bool,
    done: bool,
}

impl Waiter {
    const fn new(g: *mut G, elem: *mut u8, select: *mut SelectWait, case: usize) -> Waiter {
        Waiter {
            g,
            elem,
            select,
            case,
            next: std::ptr::null_mut(),
            prev: std::ptr::null_mut(),
            queued: false,
            ok: false,
            done: false,
        }
    }

    /// A case of a `select` that another case already completed.
    fn stale(&self) -> bool {
        // SAFETY: a queued waiter's goroutine is blocked, so its frame (and
        // its select state) is alive.
        !self.select.is_null() && unsafe { (*self.select).fired.is_some() }
    }
}

struct SelectWait {
    /// The case that fired and its `ok`, once one has.
    fired: Option<(usize, bool)>,
}

/// A queue of waiters, linked through the waiters themselves.
#[derive(Clone, Copy)]
struct WaitQ {
    first: *mut Waiter,
    last: *mut Waiter,
}

impl WaitQ {
    const EMPTY: WaitQ = WaitQ { first: std::ptr::null_mut(), last: std::ptr::null_mut() };

    fn push(&mut self, w: *mut Waiter) {
        // SAFETY: `w` is alive and in no queue; the last waiter is alive.
        unsafe {
            (*w).next = std::ptr::null_mut();
            (*w).prev = self.last;
            (*w).queued = true;
            match self.last.as_mut() {
                Some(last) => last.next = w,
                None => self.first = w,
            }
        }
        self.last = w;
    }

    fn remove(&mut self, w: *mut Waiter) {
        // SAFETY: `w` is in this queue; its neighbours are alive.
        unsafe {
            let (prev, next) = ((*w).prev, (*w).next);
            match prev.as_mut() {
                Some(prev) => prev.next = next,
                None => self.first = next,
            }
            match next.as_mut() {
                Some(next) => next.prev = prev,
                None => self.last = prev,
            }
            (*w).queued = false;
        }
    }

    /// The next waiter that can still take part, out of the queue: a case of
    /// a `select` that another case already completed is dropped.
    fn pop_live(&mut self) -> Option<*mut Waiter> {
        while !self.first.is_null() {
            let w = self.first;
            self.remove(w);
            // SAFETY: see `Waiter::stale`.
            if !unsafe { (*w).stale() } {
                return Some(w);
            }
        }
        None
    }

    fn any_live(&self) -> bool {
        let mut w = self.first;
        while !w.is_null() {
            // SAFETY: queued waiters are alive.
            unsafe {
                if !(*w).stale() {
                    return true;
                }
                w = (*w).next;
            }
        }
        false
    }
}

/// A channel's header; its buffer follows it in the same block.
#[repr(C)]
pub struct Chan {
    elem_size: usize,
    cap: usize,
    head: usize,
    count: usize,
    closed: bool,
    recvq: WaitQ,
    sendq: WaitQ,
}

/// Where the buffer starts in a channel's block (16-aligned).
const BUF_OFFSET: usize = std::mem::size_of::<Chan>().next_multiple_of(16);

fn chan_ref<'a>(c: *mut c_void) -> Option<&'a mut Chan> {
    // SAFETY: generated code passes null or a channel from `g2n_chan_new`;
    // channels are used by one thread at a time.
    unsafe { c.cast::<Chan>().as_mut() }
}

fn plain_panic(message: &str) -> ! {
    crate::ffi::panic_with_message(message.as_bytes())
}

impl Chan {
    /// The buffer slot `index` places after the head (`index < 2 * cap`).
    fn slot(&self, index: usize) -> *mut u8 {
        let i = if index >= self.cap { index - self.cap } else { index };
        // SAFETY: `i < cap`: inside the buffer that follows the header.
        unsafe { (self as *const Chan as *mut u8).add(BUF_OFFSET + i * self.elem_size) }
    }

    fn advance_head(&mut self) {
        self.head += 1;
        if self.head == self.cap {
            self.head = 0;
        }
    }

    #[inline]
    fn copy(&self, dst: *mut u8, src: *const u8) {
        if !dst.is_null() && !src.is_null() {
            // SAFETY: both point to an element of this channel's type.
            unsafe {
                match self.elem_size {
                    8 => dst.cast::<u64>().write_unaligned(src.cast::<u64>().read_unaligned()),
                    n => std::ptr::copy(src, dst, n),
                }
            }
        }
    }

    fn zero(&self, dst: *mut u8) {
        if !dst.is_null() {
            // SAFETY: as in `copy`.
            unsafe { std::ptr::write_bytes(dst, 0, self.elem_size) };
        }
    }

    /// A send that does not block: to a waiting receiver or into the buffer.
    #[inline]
    fn try_send(&mut self, elem: *const u8) -> bool {
        if let Some(w) = self.recvq.pop_live() {
            // SAFETY: see `Waiter::stale`.
            self.copy(unsafe { (*w).elem }, elem);
            complete(w, true);
            return true;
        }
        if self.count < self.cap {
            let slot = self.slot(self.head + self.count);
            self.copy(slot, elem);
            self.count += 1;
            return true;
        }
        false
    }

    /// A receive that does not block: `Some(ok)` if it took place.
    #[inline]
    fn try_recv(&mut self, out: *mut u8) -> Option<bool> {
        if let Some(w) = self.sendq.pop_live() {
            if self.cap == 0 {
                // SAFETY: see `Waiter::stale`.
                self.copy(out, unsafe { (*w).elem });
            } else {
                // The buffer is full: take its head, put the sender's value
                // at its tail (the slot just freed).
                let head = self.slot(self.head);
                self.copy(out, head);
                // SAFETY: see `Waiter::stale`.
                self.copy(head, unsafe { (*w).elem });
                self.advance_head();
            }
            complete(w, true);
            return Some(true);
        }
        if self.count > 0 {
            let head = self.slot(self.head);
            self.copy(out, head);
            self.zero(head);
            self.advance_head();
            self.count -= 1;
            return Some(true);
        }
        if self.closed {
            self.zero(out);
            return Some(false);
        }
        None
    }
}

/// A channel as a scope graph sees it (graph/): its capacity, whether it
/// is closed, and its buffered elements, oldest first.
pub(crate) struct ChanState {
    pub cap: usize,
    pub closed: bool,
    pub buffered: Vec<*mut u8>,
    /// Goroutines are blocked on it.
    pub waited_on: bool,
}

/// # Safety
/// `c` must be null or a channel from [`g2n_chan_new`].
pub(crate) unsafe fn state(c: *mut c_void) -> Option<ChanState> {
    let ch = chan_ref(c)?;
    Some(ChanState {
        cap: ch.cap,
        closed: ch.closed,
        buffered: (0..ch.count).map(|i| ch.slot(ch.head + i)).collect(),
        waited_on: ch.recvq.any_live() || ch.sendq.any_live(),
    })
}

/// A received channel: a new one with `count` buffered elements, whose slots
/// (in order) the caller fills.
pub(crate) fn rebuilt(elem_size: usize, cap: usize, count: usize, closed: bool) -> (*mut c_void, Vec<*mut u8>) {
    let c = g2n_chan_new(elem_size as i64, cap as i64);
    let Some(ch) = chan_ref(c) else { return (c, Vec::new()) };
    ch.count = count.min(cap);
    ch.closed = closed;
    let slots = (0..ch.count).map(|i| ch.slot(i)).collect();
    (c, slots)
}

/// Wakes a waiter's goroutine with the outcome.
fn complete(w: *mut Waiter, ok: bool) {
    // SAFETY: see `Waiter::stale`.
    unsafe {
        match (*w).select.as_mut() {
            Some(select) => select.fired = Some(((*w).case, ok)),
            None => {
                (*w).ok = ok;
                (*w).done = true;
            }
        }
        sched::ready((*w).g);
    }
}

rt_export! { CHAN_NEW =>
/// `make(chan T, cap)`.
pub extern "C" fn g2n_chan_new(elem_size: i64, cap: i64) -> *mut c_void {
    let too_big = elem_size > 0 && cap > (1i64 << 40) / elem_size;
    if cap < 0 || too_big {
        crate::types::runtime_error(b"makechan: size out of range");
    }
    let (elem_size, cap) = (elem_size.max(0) as usize, cap as usize);
    // Zeroed, scanned memory: the buffer's elements may hold pointers.
    let c = crate::gc::malloc(BUF_OFFSET + elem_size * cap).cast::<Chan>();
    // SAFETY: fresh memory with room for the header, 16-aligned.
    unsafe {
        c.write(Chan { elem_size, cap, head: 0, count: 0, closed: false, recvq: WaitQ::EMPTY, sendq: WaitQ::EMPTY });
    }
    c.cast()
}
}

/// Blocks the running goroutine on `queue` until a waker completes `w`.
#[inline(never)]
fn block(queue: &mut WaitQ, elem: *mut u8, reason: &'static str) -> bool {
    let mut w = Waiter::new(sched::current(), elem, std::ptr::null_mut(), 0);
    let w: *mut Waiter = &mut w;
    queue.push(w);
    // SAFETY: `w` lives in this frame until the goroutine is woken; `park`
    // returns after a waker changed it.
    while !unsafe { std::ptr::read_volatile(&raw const (*w).done) } {
        sched::park(reason);
    }
    // SAFETY: as above.
    unsafe { (*w).ok }
}

rt_export! { CHAN_SEND =>
/// `c <- *elem`.
///
/// # Safety
/// `c` is null or a channel; `elem` points to an element of its type.
pub unsafe extern "C" fn g2n_chan_send(c: *mut c_void, elem: *const u8) {
    let Some(chan) = chan_ref(c) else { sched::park_forever("chan send (nil chan)") };
    if chan.closed {
        plain_panic("send on closed channel");
    }
    if chan.try_send(elem) {
        return;
    }
    if !block(&mut chan.sendq, elem as *mut u8, "chan send") {
        plain_panic("send on closed channel");
    }
}
}

rt_export! { CHAN_RECV =>
/// `<-c` into `*out`: 1 if a value was received, 0 when closed.
///
/// # Safety
/// `c` is null or a channel; `out` is null or points to room for an element.
pub unsafe extern "C" fn g2n_chan_recv(c: *mut c_void, out: *mut u8) -> u8 {
    let Some(chan) = chan_ref(c) else { sched::park_forever("chan receive (nil chan)") };
    if let Some(ok) = chan.try_recv(out) {
        return ok as u8;
    }
    block(&mut chan.recvq, out, "chan receive") as u8
}
}

rt_export! { CHAN_CLOSE =>
/// `close(c)`.
///
/// # Safety
/// `c` is null or a channel.
pub unsafe extern "C" fn g2n_chan_close(c: *mut c_void) {
    let Some(chan) = chan_ref(c) else { plain_panic("close of nil channel") };
    if chan.closed {
        plain_panic("close of closed channel");
    }
    chan.closed = true;
    while let Some(w) = chan.recvq.pop_live() {
        // SAFETY: see `Waiter::stale`.
        chan.zero(unsafe { (*w).elem });
        complete(w, false);
    }
    while let Some(w) = chan.sendq.pop_live() {
        complete(w, false);
    }
}
}

rt_export! { CHAN_LEN =>
/// `len(c)`.
pub extern "C" fn g2n_chan_len(c: *mut c_void) -> i64 {
    chan_ref(c).map_or(0, |c| c.count as i64)
}
}

rt_export! { CHAN_CAP =>
/// `cap(c)`.
pub extern "C" fn g2n_chan_cap(c: *mut c_void) -> i64 {
    chan_ref(c).map_or(0, |c| c.cap as i64)
}
}

/// The outcome of [`g2n_select`], returned in two registers.
#[repr(C)]
pub struct SelectResult {
    pub index: i64,
    pub ok: i64,
}

impl crate::export::AbiWords for SelectResult {
    const WORDS: &'static [g2n_abi::symbols::AbiType] = &[g2n_abi::symbols::AbiType::I64, g2n_abi::symbols::AbiType::I64];
}

rt_export! { SELECT =>
/// `select`: polls the cases in a random order (as Go does) and runs the
/// first ready one; else takes `default`, or blocks on every case at once.
///
/// # Safety
/// `cases` points to `ncases` cases laid out by generated code.
pub unsafe extern "C" fn g2n_select(cases: *mut SelectCase, ncases: i64, has_default: u8) -> SelectResult {
    let n = ncases.max(0) as usize;
    // SAFETY: guaranteed by the caller.
    let cases: &[SelectCase] = if n == 0 { &[] } else { unsafe { std::slice::from_raw_parts(cases, n) } };
    // Small selects (nearly all) keep their scratch space in this frame.
    const SMALL: usize = 8;
    let mut small_order = [0usize; SMALL];
    let mut big_order = Vec::new();
    let order: &mut [usize] = if n <= SMALL {
        &mut small_order[..n]
    } else {
        big_order.resize(n, 0);
        &mut big_order
    };
    for i in 0..n {
        order[i] = i;
        order.swap(i, sched::random_below(i + 1));
    }
    for &i in order.iter() {
        let case = &cases[i];
        let Some(chan) = chan_ref(case.chan) else { continue };
        if case.kind == SELECT_SEND {
            if chan.closed {
                plain_panic("send on closed channel");
            }
            if chan.try_send(case.elem) {
                return SelectResult { index: i as i64, ok: 1 };
            }
        } else if let Some(ok) = chan.try_recv(case.elem) {
            return SelectResult { index: i as i64, ok: ok as i64 };
        }
    }
    if has_default != 0 {
        return SelectResult { index: -1, ok: 0 };
    }
    if cases.iter().all(|c| c.chan.is_null()) {
        sched::park_forever(if n == 0 { "select (no cases)" } else { "select" });
    }
    let mut select = SelectWait { fired: None };
    let select: *mut SelectWait = &mut select;
    let g = sched::current();
    let unused = Waiter::new(g, std::ptr::null_mut(), select, 0);
    let mut small_waiters = [unused; SMALL];
    let mut big_waiters = Vec::new();
    let waiters: &mut [Waiter] = if n <= SMALL {
        &mut small_waiters[..n]
    } else {
        big_waiters.resize(n, unused);
        &mut big_waiters
    };
    for (i, (case, w)) in cases.iter().zip(waiters.iter_mut()).enumerate() {
        *w = Waiter::new(g, case.elem, select, i);
        let Some(chan) = chan_ref(case.chan) else { continue };
        let queue = if case.kind == SELECT_SEND { &mut chan.sendq } else { &mut chan.recvq };
        queue.push(w);
    }
    // SAFETY: `select` lives in this frame until the goroutine is woken.
    while unsafe { std::ptr::read_volatile(&raw const (*select).fired) }.is_none() {
        sched::park("select");
    }
    for (case, w) in cases.iter().zip(waiters.iter_mut()) {
        if !w.queued {
            continue;
        }
        let Some(chan) = chan_ref(case.chan) else { continue };
        let queue = if case.kind == SELECT_SEND { &mut chan.sendq } else { &mut chan.recvq };
        queue.remove(w);
    }
    // SAFETY: as above.
    let (index, ok) = unsafe { (*select).fired }.unwrap_or((0, false));
    if cases[index].kind == SELECT_SEND && !ok {
        plain_panic("send on closed channel");
    }
    SelectResult { index: index as i64, ok: ok as i64 }
}
}

rt_export! { GO =>
/// `go`: the closure object runs in a new goroutine.
pub extern "C" fn g2n_go(closure: *const u8) {
    sched::spawn(closure, StackClass::Deep);
}
}

rt_export! { GO_BOUNDED =>
/// `go` of a closure whose calls codegen proved bounded: the new goroutine
/// gets a small stack (stack.rs).
pub extern "C" fn g2n_go_bounded(closure: *const u8) {
    sched::spawn(closure, StackClass::Bounded);
}
}

#[cfg(test)]
mod tests {
    use super::*;
    use g2n_abi::SELECT_RECV;

    fn send(c: *mut c_void, v: i64) {
        // SAFETY: `c` is a channel of i64; `v` lives for the call.
        unsafe { g2n_chan_send(c, (&v as *const i64).cast()) }
    }

    fn recv(c: *mut c_void) -> (i64, bool) {
        let mut v = -1i64;
        // SAFETY: `c` is a channel of i64; `v` has room for one.
        let ok = unsafe { g2n_chan_recv(c, (&mut v as *mut i64).cast()) };
        (v, ok != 0)
    }

    #[test]
    fn buffered_channels_are_fifo_and_drain_after_close() {
        let c = g2n_chan_new(8, 3);
        for v in [10, 20, 30] {
            send(c, v);
        }
        assert_eq!((g2n_chan_len(c), g2n_chan_cap(c)), (3, 3));
        assert_eq!(recv(c), (10, true));
        send(c, 40);
        // SAFETY: a channel from g2n_chan_new.
        unsafe { g2n_chan_close(c) };
        assert_eq!(recv(c), (20, true));
        assert_eq!(recv(c), (30, true));
        assert_eq!(recv(c), (40, true));
        assert_eq!(recv(c), (0, false));
        assert_eq!(g2n_chan_len(std::ptr::null_mut()), 0);
    }

    #[test]
    fn select_takes_a_ready_case_or_default() {
        let empty = g2n_chan_new(8, 1);
        let full = g2n_chan_new(8, 1);
        send(full, 7);
        let mut a = 0i64;
        let mut b = 0i64;
        let mut cases = [
            SelectCase { chan: empty, elem: (&mut a as *mut i64).cast(), kind: SELECT_RECV },
            SelectCase { chan: std::ptr::null_mut(), elem: std::ptr::null_mut(), kind: SELECT_RECV },
            SelectCase { chan: full, elem: (&mut b as *mut i64).cast(), kind: SELECT_RECV },
        ];
        // SAFETY: three valid cases.
        let r = unsafe { g2n_select(cases.as_mut_ptr(), 3, 1) };
        assert_eq!((r.index, r.ok, b), (2, 1, 7));
        // SAFETY: as above.
        let r = unsafe { g2n_select(cases.as_mut_ptr(), 3, 1) };
        assert_eq!(r.index, -1);
    }

    static RENDEZVOUS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// A closure object as generated code lays it out: the function first,
    /// then (here) the channel it uses.
    extern "C" fn sender(closure: *const u8) {
        // SAFETY: the closure object built in the test below.
        let c = unsafe { *(closure as *const *mut c_void).add(1) };
        for v in 1..=3 {
            send(c, v);
        }
        RENDEZVOUS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    #[test]
    fn goroutines_rendezvous_on_unbuffered_channels() {
        let c = g2n_chan_new(8, 0);
        let closure: Box<[usize; 2]> = Box::new([sender as *const () as usize, c as usize]);
        g2n_go(closure.as_ptr().cast());
        let got: Vec<(i64, bool)> = (0..3).map(|_| recv(c)).collect();
        assert_eq!(got, vec![(1, true), (2, true), (3, true)]);
        // The sender finishes the next time this goroutine blocks.
        let done = g2n_chan_new(8, 0);
        let closure2: Box<[usize; 2]> = Box::new([closer as *const () as usize, done as usize]);
        g2n_go(closure2.as_ptr().cast());
        assert_eq!(recv(done), (0, false));
        assert_eq!(RENDEZVOUS.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    extern "C" fn closer(closure: *const u8) {
        // SAFETY: the closure object built in the test above.
        unsafe { g2n_chan_close(*(closure as *const *mut c_void).add(1)) };
    }

    /// Sends the size of its own stack (guard included) on the channel of
    /// its closure object.
    extern "C" fn stack_size_sender(closure: *const u8) {
        // SAFETY: the closure objects built in the test below.
        let c = unsafe { *(closure as *const *mut c_void).add(1) };
        let (low, high) = sched::running_goroutine_stack().unwrap_or((0, 0));
        send(c, (high - low) as i64);
    }

    #[test]
    fn each_go_entry_gives_its_stack_class() {
        let c = g2n_chan_new(8, 0);
        let closure: Box<[usize; 2]> = Box::new([stack_size_sender as *const () as usize, c as usize]);
        let guard = crate::stack::GUARD as i64;
        // Twice each: the second goroutine of a class runs on the pooled
        // worker of the first, which must still have its class's stack.
        for _ in 0..2 {
            g2n_go_bounded(closure.as_ptr().cast());
            assert_eq!(recv(c), (crate::stack::BOUNDED_GOROUTINE_STACK as i64 + guard, true));
            g2n_go(closure.as_ptr().cast());
            assert_eq!(recv(c), (crate::stack::GOROUTINE_STACK as i64 + guard, true));
        }
    }
}
