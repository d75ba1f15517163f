//! Semaphores and timers of a flow's scheduler: what `sync` and `time` park
//! goroutines on (docs/goroutines.md, "sync and time").
//!
//! A goroutine waits on an address (a `sync.Mutex`'s semaphore word), on a
//! deadline of the monotonic clock (`time.Sleep`), or on both (a timer's
//! goroutine, woken either when the timer fires or when it is stopped or
//! reset). Waiters on one address are woken first in, first out; a release
//! with nobody waiting does nothing (g2n's `sync` counts its waiters and
//! releases only as many as wait, so no count can outlive the memory it is
//! keyed by).
//!
//! The tables are the thread's, like its scheduler: a flow's goroutines and
//! their timers never leave its thread. The scheduler asks [`fire_expired`]
//! between two goroutines while a deadline is armed, and, when nothing is
//! runnable, [`sleep_until_next`] instead of reporting a deadlock: a
//! program whose goroutines all wait on timers is asleep, not deadlocked.

use crate::sched::{self, G};
use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Waiting,
    Released,
    TimedOut,
}

struct Waiter {
    g: *mut G,
    /// The address it waits on, if any.
    addr: Option<usize>,
    /// It waits on a deadline too.
    timed: bool,
    outcome: Outcome,
}

#[derive(Default)]
struct Table {
    /// Waiter ids per address, oldest first.
    queues: HashMap<usize, VecDeque<u64>>,
    waiters: HashMap<u64, Waiter>,
    /// (deadline in `nanotime` nanoseconds, waiter id). An entry whose waiter
    /// was released or has returned is dropped when it reaches the top.
    deadlines: BinaryHeap<Reverse<(i64, u64)>>,
    next_id: u64,
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
    /// How many entries `deadlines` holds: the scheduler's per-switch test,
    /// without borrowing the table.
    static ARMED: Cell<usize> = const { Cell::new(0) };
}

/// The monotonic clock (`CLOCK_MONOTONIC`): nanoseconds since an arbitrary
/// point that every process of one host shares, so that a `time.Time`'s
/// reading still compares after a hop to another process on the same host.
pub(crate) fn nanotime() -> i64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid timespec to fill; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    // Never 0: Go's Time keeps 0 for "no monotonic reading".
    ts.tv_sec.saturating_mul(1_000_000_000).saturating_add(ts.tv_nsec).max(1)
}

/// The wall clock: nanoseconds since 1970-01-01 UTC.
pub(crate) fn walltime() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i64,
        Err(e) => -(e.duration().as_nanos() as i64),
    }
}

/// Parks the running goroutine on `addr` and/or until `deadline` (a
/// [`nanotime`] reading); returns true when [`release`] woke it, false when
/// the deadline passed. `reason` is its state in a deadlock's traceback.
pub(crate) fn wait(addr: Option<usize>, deadline: Option<i64>, reason: &'static str) -> bool {
    if addr.is_none() && deadline.is_none() {
        sched::park_forever(reason);
    }
    let id = TABLE.with_borrow_mut(|t| {
        let id = t.next_id;
        t.next_id += 1;
        t.waiters.insert(id, Waiter { g: sched::current(), addr, timed: deadline.is_some(), outcome: Outcome::Waiting });
        if let Some(a) = addr {
            t.queues.entry(a).or_default().push_back(id);
        }
        if let Some(d) = deadline {
            t.deadlines.push(Reverse((d, id)));
            ARMED.set(t.deadlines.len());
        }
        id
    });
    loop {
        sched::park(reason);
        let outcome = TABLE.with_borrow_mut(|t| {
            let outcome = t.waiters.get(&id).map_or(Outcome::Released, |w| w.outcome);
            if outcome != Outcome::Waiting {
                t.waiters.remove(&id);
            }
            outcome
        });
        match outcome {
            Outcome::Waiting => continue,
            Outcome::Released => return true,
            Outcome::TimedOut => return false,
        }
    }
}

/// Wakes the goroutine waiting longest on `addr`; false when none waits.
pub(crate) fn release(addr: usize) -> bool {
    let g = TABLE.with_borrow_mut(|t| {
        let queue = t.queues.get_mut(&addr)?;
        let id = queue.pop_front();
        if queue.is_empty() {
            t.queues.remove(&addr);
        }
        let w = t.waiters.get_mut(&id?)?;
        w.outcome = Outcome::Released;
        Some(w.g)
    });
    match g {
        Some(g) => {
            sched::ready(g);
            true
        }
        None => false,
    }
}

/// Whether a deadline is armed (a goroutine sleeps or a timer runs).
#[inline]
pub(crate) fn armed() -> bool {
    ARMED.get() != 0
}

/// What keeps goroutines of this thread waiting here: how many wait on a
/// deadline (sleeping, or a running timer's goroutine) and how many on a
/// semaphore alone (blocked in a Mutex, RWMutex, WaitGroup or Cond).
pub(crate) fn waiting() -> (usize, usize) {
    TABLE.with_borrow(|t| {
        let waiting = t.waiters.values().filter(|w| w.outcome == Outcome::Waiting);
        waiting.fold((0, 0), |(timed, sync), w| if w.timed { (timed + 1, sync) } else { (timed, sync + 1) })
    })
}

/// Drops the top deadlines whose waiters no longer wait on them.
fn drop_stale(t: &mut Table) {
    while let Some(Reverse((_, id))) = t.deadlines.peek() {
        if t.waiters.get(id).is_some_and(|w| w.outcome == Outcome::Waiting) {
            break;
        }
        t.deadlines.pop();
    }
    ARMED.set(t.deadlines.len());
}

/// Wakes every waiter whose deadline has passed.
#[inline]
pub(crate) fn fire_expired() {
    if armed() {
        fire_expired_now();
    }
}

#[cold]
fn fire_expired_now() {
    let now = nanotime();
    loop {
        let g = TABLE.with_borrow_mut(|t| {
            drop_stale(t);
            let &Reverse((when, id)) = t.deadlines.peek()?;
            if when > now {
                return None;
            }
            t.deadlines.pop();
            ARMED.set(t.deadlines.len());
            let w = t.waiters.get_mut(&id)?;
            w.outcome = Outcome::TimedOut;
            if let Some(a) = w.addr
                && let Some(queue) = t.queues.get_mut(&a)
            {
                queue.retain(|&q| q != id);
                if queue.is_empty() {
                    t.queues.remove(&a);
                }
            }
            Some(w.g)
        });
        match g {
            Some(g) => sched::ready_last(g),
            None => return,
        }
    }
}

/// Nothing is runnable: sleeps the thread until the next deadline and wakes
/// its waiters. False when no deadline is armed (then everything waits on
/// something only another goroutine could do: a deadlock).
pub(crate) fn sleep_until_next() -> bool {
    let next = TABLE.with_borrow_mut(|t| {
        drop_stale(t);
        t.deadlines.peek().map(|Reverse((when, _))| *when)
    });
    let Some(when) = next else { return false };
    let now = nanotime();
    if when > now {
        std::thread::sleep(Duration::from_nanos((when - now) as u64));
    }
    fire_expired();
    true
}
