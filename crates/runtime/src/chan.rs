//! Channels and `select` ([Go spec: Channel types](https://go.dev/ref/spec#Channel_types)).
//!
//! A channel lives in collected memory (so it is freed once unreachable) and
//! keeps its buffer there too (a ring of `cap` elements). Goroutines blocked
//! on it wait in its queues as [`Waiter`]s, which live in the blocked
//! goroutine's own frame (or, for `select`, in a vector that frame owns)
//! until it is woken. An unbuffered channel hands a value straight from the
//! sender's memory to the receiver's. See sched.rs for blocking and waking.

use crate::sched::{self, G};
use g2n_abi::{SELECT_SEND, SelectCase};
use std::collections::VecDeque;
use std::ffi::c_void;

/// A blocked send, receive, or one case of a blocked `select`.
struct Waiter {
    g: *mut G,
    /// The value to send, or where a received value goes (may be null).
    elem: *mut u8,
    /// The `select` this waiter is a case of, or null.
    select: *mut SelectWait,
    case: usize,
    /// Set when woken: whether a value passed (false: the channel closed).
    ok: bool,
    done: bool,
}

struct SelectWait {
    /// The case that fired and its `ok`, once one has.
    fired: Option<(usize, bool)>,
}

pub struct Chan {
    elem_size: usize,
    cap: usize,
    /// `cap` elements of `elem_size` bytes, in collected memory.
    buf: *mut u8,
    head: usize,
    count: usize,
    closed: bool,
    recvq: VecDeque<*mut Waiter>,
    sendq: VecDeque<*mut Waiter>,
}

fn chan_ref<'a>(c: *mut c_void) -> Option<&'a mut Chan> {
    // SAFETY: generated code passes null or a channel from `g2n_chan_new`;
    // channels are used by one thread at a time.
    unsafe { c.cast::<Chan>().as_mut() }
}

fn plain_panic(message: &str) -> ! {
    crate::ffi::panic_with_message(message.as_bytes())
}

impl Chan {
    fn slot(&self, index: usize) -> *mut u8 {
        // SAFETY: `index < cap`, inside the buffer.
        unsafe { self.buf.add((index % self.cap.max(1)) * self.elem_size) }
    }

    /// The next waiter that can still take part: a `select` that another
    /// case already completed is skipped (and dropped from the queue).
    fn pop_live(queue: &mut VecDeque<*mut Waiter>) -> Option<*mut Waiter> {
        while let Some(w) = queue.pop_front() {
            // SAFETY: a queued waiter's goroutine is blocked, so its frame
            // (and its select state) is alive.
            let stale = unsafe { !(*w).select.is_null() && (*(*w).select).fired.is_some() };
            if !stale {
                return Some(w);
            }
        }
        None
    }

    fn copy(&self, dst: *mut u8, src: *const u8) {
        if !dst.is_null() && !src.is_null() && self.elem_size > 0 {
            // SAFETY: both point to an element of this channel's type.
            unsafe { std::ptr::copy(src, dst, self.elem_size) };
        }
    }

    fn zero(&self, dst: *mut u8) {
        if !dst.is_null() {
            // SAFETY: as in `copy`.
            unsafe { std::ptr::write_bytes(dst, 0, self.elem_size) };
        }
    }

    /// A send that does not block: to a waiting receiver or into the buffer.
    fn try_send(&mut self, elem: *const u8) -> bool {
        if let Some(w) = Chan::pop_live(&mut self.recvq) {
            // SAFETY: see `pop_live`.
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
    fn try_recv(&mut self, out: *mut u8) -> Option<bool> {
        if let Some(w) = Chan::pop_live(&mut self.sendq) {
            if self.cap == 0 {
                // SAFETY: see `pop_live`.
                self.copy(out, unsafe { (*w).elem });
            } else {
                // The buffer is full: take its head, put the sender's value
                // at its tail (the slot just freed).
                let head = self.slot(self.head);
                self.copy(out, head);
                // SAFETY: see `pop_live`.
                self.copy(head, unsafe { (*w).elem });
                self.head = (self.head + 1) % self.cap;
            }
            complete(w, true);
            return Some(true);
        }
        if self.count > 0 {
            let head = self.slot(self.head);
            self.copy(out, head);
            self.zero(head);
            self.head = (self.head + 1) % self.cap;
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

/// A channel as a scope graph sees it (graph.rs): its capacity, whether it
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
    let live = |q: &VecDeque<*mut Waiter>| {
        // SAFETY: as in `Chan::pop_live`.
        q.iter().any(|w| unsafe { (**w).select.is_null() || (*(**w).select).fired.is_none() })
    };
    Some(ChanState {
        cap: ch.cap,
        closed: ch.closed,
        buffered: (0..ch.count).map(|i| ch.slot(ch.head + i)).collect(),
        waited_on: live(&ch.recvq) || live(&ch.sendq),
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
    // SAFETY: see `Chan::pop_live`.
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

/// `make(chan T, cap)`.
#[unsafe(no_mangle)]
pub extern "C" fn g2n_chan_new(elem_size: i64, cap: i64) -> *mut c_void {
    let too_big = elem_size > 0 && cap > (1i64 << 40) / elem_size;
    if cap < 0 || too_big {
        crate::types::runtime_error(b"makechan: size out of range");
    }
    let (elem_size, cap) = (elem_size.max(0) as usize, cap as usize);
    let buf = if cap > 0 && elem_size > 0 { crate::gc::malloc(elem_size * cap) } else { std::ptr::null_mut() };
    crate::gc::boxed(Chan { elem_size, cap, buf, head: 0, count: 0, closed: false, recvq: VecDeque::new(), sendq: VecDeque::new() })
        .cast()
}

/// `c <- *elem`.
///
/// # Safety
/// `c` is null or a channel; `elem` points to an element of its type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_chan_send(c: *mut c_void, elem: *const u8) {
    let Some(chan) = chan_ref(c) else { sched::park_forever("chan send (nil chan)") };
    if chan.closed {
        plain_panic("send on closed channel");
    }
    if chan.try_send(elem) {
        return;
    }
    let mut w = Waiter { g: sched::current(), elem: elem as *mut u8, select: std::ptr::null_mut(), case: 0, ok: false, done: false };
    let w: *mut Waiter = &mut w;
    chan.sendq.push_back(w);
    // SAFETY: `w` lives in this frame until the goroutine is woken; `park`
    // returns after a waker changed it.
    while !unsafe { std::ptr::read_volatile(&raw const (*w).done) } {
        sched::park("chan send");
    }
    // SAFETY: as above.
    if !unsafe { (*w).ok } {
        plain_panic("send on closed channel");
    }
}

/// `<-c` into `*out`: 1 if a value was received, 0 when closed.
///
/// # Safety
/// `c` is null or a channel; `out` is null or points to room for an element.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_chan_recv(c: *mut c_void, out: *mut u8) -> u8 {
    let Some(chan) = chan_ref(c) else { sched::park_forever("chan receive (nil chan)") };
    if let Some(ok) = chan.try_recv(out) {
        return ok as u8;
    }
    let mut w = Waiter { g: sched::current(), elem: out, select: std::ptr::null_mut(), case: 0, ok: false, done: false };
    let w: *mut Waiter = &mut w;
    chan.recvq.push_back(w);
    // SAFETY: `w` lives in this frame until the goroutine is woken; `park`
    // returns after a waker changed it.
    while !unsafe { std::ptr::read_volatile(&raw const (*w).done) } {
        sched::park("chan receive");
    }
    // SAFETY: as above.
    unsafe { (*w).ok as u8 }
}

/// `close(c)`.
///
/// # Safety
/// `c` is null or a channel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_chan_close(c: *mut c_void) {
    let Some(chan) = chan_ref(c) else { plain_panic("close of nil channel") };
    if chan.closed {
        plain_panic("close of closed channel");
    }
    chan.closed = true;
    while let Some(w) = Chan::pop_live(&mut chan.recvq) {
        // SAFETY: see `Chan::pop_live`.
        chan.zero(unsafe { (*w).elem });
        complete(w, false);
    }
    while let Some(w) = Chan::pop_live(&mut chan.sendq) {
        complete(w, false);
    }
}

/// `len(c)`.
#[unsafe(no_mangle)]
pub extern "C" fn g2n_chan_len(c: *mut c_void) -> i64 {
    chan_ref(c).map_or(0, |c| c.count as i64)
}

/// `cap(c)`.
#[unsafe(no_mangle)]
pub extern "C" fn g2n_chan_cap(c: *mut c_void) -> i64 {
    chan_ref(c).map_or(0, |c| c.cap as i64)
}

/// The outcome of [`g2n_select`], returned in two registers.
#[repr(C)]
pub struct SelectResult {
    pub index: i64,
    pub ok: i64,
}

/// `select`: polls the cases in a random order (as Go does) and runs the
/// first ready one; else takes `default`, or blocks on every case at once.
///
/// # Safety
/// `cases` points to `ncases` cases laid out by generated code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_select(cases: *mut SelectCase, ncases: i64, has_default: u8) -> SelectResult {
    let n = ncases.max(0) as usize;
    // SAFETY: guaranteed by the caller.
    let cases: &[SelectCase] = if n == 0 { &[] } else { unsafe { std::slice::from_raw_parts(cases, n) } };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, sched::random_below(i + 1));
    }
    for &i in &order {
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
    let mut waiters: Vec<Waiter> =
        cases.iter().enumerate().map(|(i, c)| Waiter { g, elem: c.elem, select, case: i, ok: false, done: false }).collect();
    for (case, w) in cases.iter().zip(waiters.iter_mut()) {
        let Some(chan) = chan_ref(case.chan) else { continue };
        let queue = if case.kind == SELECT_SEND { &mut chan.sendq } else { &mut chan.recvq };
        queue.push_back(w);
    }
    // SAFETY: `select` lives in this frame until the goroutine is woken.
    while unsafe { std::ptr::read_volatile(&raw const (*select).fired) }.is_none() {
        sched::park("select");
    }
    for (case, w) in cases.iter().zip(waiters.iter_mut()) {
        let Some(chan) = chan_ref(case.chan) else { continue };
        let w: *mut Waiter = w;
        chan.sendq.retain(|q| !std::ptr::eq(*q, w));
        chan.recvq.retain(|q| !std::ptr::eq(*q, w));
    }
    // SAFETY: as above.
    let (index, ok) = unsafe { (*select).fired }.unwrap_or((0, false));
    if cases[index].kind == SELECT_SEND && !ok {
        plain_panic("send on closed channel");
    }
    SelectResult { index: index as i64, ok: ok as i64 }
}

/// `go`: the closure object runs in a new goroutine.
#[unsafe(no_mangle)]
pub extern "C" fn g2n_go(closure: *const u8) {
    sched::spawn(closure);
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
        let closure: Box<[usize; 2]> = Box::new([sender as usize, c as usize]);
        g2n_go(closure.as_ptr().cast());
        let got: Vec<(i64, bool)> = (0..3).map(|_| recv(c)).collect();
        assert_eq!(got, vec![(1, true), (2, true), (3, true)]);
        // The sender finishes the next time this goroutine blocks.
        let done = g2n_chan_new(8, 0);
        let closure2: Box<[usize; 2]> = Box::new([closer as usize, done as usize]);
        g2n_go(closure2.as_ptr().cast());
        assert_eq!(recv(done), (0, false));
        assert_eq!(RENDEZVOUS.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    extern "C" fn closer(closure: *const u8) {
        // SAFETY: the closure object built in the test above.
        unsafe { g2n_chan_close(*(closure as *const *mut c_void).add(1)) };
    }
}
