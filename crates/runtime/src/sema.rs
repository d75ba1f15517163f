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
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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

/// The monotonic clock: nanoseconds since the runtime first read it.
pub(crate) fn nanotime() -> i64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = *START.get_or_init(Instant::now);
    // One more than the elapsed time, so that a reading is never 0 (Go's
    // Time keeps 0 for "no monotonic reading").
    Instant::now().duration_since(start).as_nanos() as i64 + 1
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
        t.waiters.insert(id, Waiter { g: sched::current(), addr, outcome: Outcome::Waiting });
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

/// How many goroutines wait on a deadline (sleeping, or a running timer's).
pub(crate) fn timed_waiters() -> usize {
    if !armed() {
        return 0;
    }
    TABLE.with_borrow_mut(|t| {
        drop_stale(t);
        t.deadlines.iter().filter(|Reverse((_, id))| t.waiters.get(id).is_some_and(|w| w.outcome == Outcome::Waiting)).count()
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
            Some(g) => sched::ready(g),
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
