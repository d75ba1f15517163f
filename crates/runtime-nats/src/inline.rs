//! Step threads that take turns driving the engine's runtime
//! (`nats.receive: inline`): the thread that receives a step runs it, and
//! drives the runtime itself while it waits for the step's publishes.
//!
//! With one I/O thread (crate::pool), a received step crosses threads
//! twice, and every publish and ack of the step crosses again: the step
//! thread hands it to the I/O thread, which hands the PubAck back. Here
//! there is no I/O thread. One step thread, the leader, drives the runtime
//! (`Runtime::block_on` holds a current-thread runtime's core: its
//! sockets, timers and tasks) while it waits for the next step; the
//! receive loops hand it each step as a job, on that same thread. The
//! leader then runs the step *without* passing the lead on: the lead is
//! *away* (the job queue waits in [`Shared::lead`]). The runtime's core
//! is free, so the step's own publishes and ack drive it (`Io::block_on`
//! takes the free core): their bytes are written and their PubAcks read on
//! the step's thread, with no hand-over. When the step ends its thread
//! takes the queue back and leads again: a step that follows a step costs
//! no thread a wake-up besides the socket's own.
//!
//! While the lead is away, nothing drives the runtime between the step's
//! publishes. Two things hand it to another thread (an idle follower, or a
//! new thread) so that the runtime is never undriven for long:
//! - a step queued while the lead is away (a second step arrived while the
//!   runtime was driven by the first one's publish): whoever queues it
//!   passes the lead at once, so steps of different flows still run side by
//!   side;
//! - the watchdog: a step that has held the lead away for [`LONG_STEP`]
//!   (computing, sleeping, blocked) loses it to another thread, so
//!   in-progress acks, pings and new steps go on. The watchdog is a thread
//!   that looks every [`LONG_STEP`] while steps arrive, and sleeps for good
//!   after [`WATCHDOG_REST`] ticks without one (the next step wakes it):
//!   a fraction of a wake-up per step, where passing the lead for every
//!   step cost a follower's wake-up and its hand-overs per step.
//!
//! A thread that finished its step and finds the lead taken becomes a
//! follower: it parks until it is given the lead, and exits after
//! [`crate::pool::IDLE_RETIRE`] idle. There are at most as many threads as
//! steps run at once (the in-flight slots bound them), plus the leader and
//! the watchdog.
//!
//! A flow that ends in `os.Exit` or a panic never returns to its thread,
//! as with the pool: the watchdog passes its lead on after [`LONG_STEP`].

use crate::pool::{IDLE_RETIRE, Job};
use g2n_runtime::engine;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// How long a step may keep the lead away before the watchdog gives it to
/// another thread: how long the runtime may go undriven. Far below the
/// in-progress acks' period (a third of the ack wait, at least 30 ms).
pub const LONG_STEP: Duration = Duration::from_millis(5);

/// Ticks of the watchdog without a step before it sleeps until the next.
const WATCHDOG_REST: u32 = 20;

type Queue = UnboundedReceiver<Job>;

/// An idle thread waiting for the lead.
struct Follower {
    /// The job queue, once this thread is given the lead.
    lead: Mutex<Option<Queue>>,
    thread: Thread,
}

/// Where the lead is.
enum Lead {
    /// A thread leads (or is being given the lead).
    Held,
    /// The last leader runs a step it received and has not passed the
    /// lead on; its queue waits here.
    Away { queue: Queue, since: Instant },
}

struct LeadState {
    lead: Lead,
    /// How many times a step took the lead away (the watchdog's sign that
    /// steps still arrive).
    aways: u64,
    /// The watchdog sleeps until a step wakes it.
    watchdog_resting: bool,
}

struct Shared {
    runtime: Arc<Runtime>,
    /// Idle followers, the most recently idle last.
    idle: Mutex<Vec<Arc<Follower>>>,
    lead: Mutex<LeadState>,
    /// The watchdog's thread, once started.
    watchdog: Mutex<Option<Thread>>,
    name: String,
    idle_retire: Duration,
    long_step: Duration,
}

/// The step threads of a host whose receive loops hand steps to the
/// leader's thread.
#[derive(Clone)]
pub struct InlinePool {
    jobs: UnboundedSender<Job>,
    shared: Arc<Shared>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A job never runs under these locks, so a poisoned one holds valid data.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl InlinePool {
    /// Starts the first leader on `runtime`, which no thread may drive for
    /// good (crate::io::Driver::Callers), and the watchdog.
    pub fn start(runtime: Arc<Runtime>, name: &str) -> Result<InlinePool, String> {
        InlinePool::with_timing(runtime, name, IDLE_RETIRE, LONG_STEP)
    }

    pub fn with_timing(runtime: Arc<Runtime>, name: &str, idle_retire: Duration, long_step: Duration) -> Result<InlinePool, String> {
        let (jobs, queue) = unbounded_channel();
        let shared = Arc::new(Shared {
            runtime,
            idle: Mutex::new(Vec::new()),
            lead: Mutex::new(LeadState { lead: Lead::Held, aways: 0, watchdog_resting: false }),
            watchdog: Mutex::new(None),
            name: name.to_string(),
            idle_retire,
            long_step,
        });
        let watching = shared.clone();
        let watchdog = std::thread::Builder::new()
            .name(format!("{name}-watchdog"))
            .spawn(move || watch(&watching))
            .map_err(|e| format!("cannot start the step threads' watchdog: {e}"))?;
        *lock(&shared.watchdog) = Some(watchdog.thread().clone());
        spawn_leader(&shared, queue).map_err(|_| "cannot start a step thread".to_string())?;
        Ok(InlinePool { jobs, shared })
    }

    /// Queues `job` for the leader; called on the runtime (a receive loop).
    /// It wakes no other thread, unless the lead is away (a step runs and
    /// drove the runtime that received this one): then another thread is
    /// given the lead, to run this job at once. Errs (giving the job back)
    /// only if no thread leads any more.
    pub fn run(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|e| e.0)?;
        if let Some(queue) = take_away(&self.shared, Duration::ZERO) {
            hand_lead(&self.shared, queue);
        }
        Ok(())
    }
}

/// Takes the queue of a lead that has been away for at least `after`.
fn take_away(shared: &Shared, after: Duration) -> Option<Queue> {
    let mut state = lock(&shared.lead);
    match &state.lead {
        Lead::Away { since, .. } if since.elapsed() >= after => {}
        _ => return None,
    }
    match std::mem::replace(&mut state.lead, Lead::Held) {
        Lead::Away { queue, .. } => Some(queue),
        Lead::Held => None,
    }
}

/// Leaves the queue for whoever needs it while this thread runs a step.
fn go_away(shared: &Shared, queue: Queue) {
    let wake = {
        let mut state = lock(&shared.lead);
        state.lead = Lead::Away { queue, since: Instant::now() };
        state.aways += 1;
        std::mem::take(&mut state.watchdog_resting)
    };
    if wake && let Some(watchdog) = lock(&shared.watchdog).as_ref() {
        watchdog.unpark();
    }
}

/// Starts a thread that leads with `queue`; gives the queue back if no
/// thread could be started.
fn spawn_leader(shared: &Arc<Shared>, queue: Queue) -> Result<(), Queue> {
    let slot = Arc::new(Mutex::new(Some(queue)));
    let handed = slot.clone();
    let own = shared.clone();
    let spawned = engine::spawn_flow_thread(&shared.name, move || {
        if let Some(queue) = lock(&handed).take() {
            lead(&own, queue);
        }
    });
    match spawned {
        Ok(()) => Ok(()),
        // The closure of a thread that did not start never ran: the queue
        // is still in its slot.
        Err(_) => lock(&slot).take().map_or(Ok(()), Err),
    }
}

/// A thread's life: lead until a step arrives, run it with the lead away,
/// take the lead back; follow when another thread took it meanwhile, until
/// given the lead again or retired.
fn lead(shared: &Arc<Shared>, mut queue: Queue) {
    loop {
        let Some(job) = shared.runtime.block_on(queue.recv()) else {
            return;
        };
        go_away(shared, queue);
        job();
        queue = match take_away(shared, Duration::ZERO) {
            Some(queue) => queue,
            None => match follow(shared) {
                Some(queue) => queue,
                None => return,
            },
        };
    }
}

/// Gives the lead to the most recently idle follower, else to a new
/// thread; if neither is possible, leaves it away (the watchdog tries
/// again, and the step's thread takes it back when it ends).
fn hand_lead(shared: &Arc<Shared>, queue: Queue) {
    let follower = lock(&shared.idle).pop();
    let unled = match follower {
        Some(f) => {
            *lock(&f.lead) = Some(queue);
            f.thread.unpark();
            return;
        }
        None => match spawn_leader(shared, queue) {
            Ok(()) => return,
            Err(queue) => queue,
        },
    };
    lock(&shared.lead).lead = Lead::Away { queue: unled, since: Instant::now() };
}

/// The watchdog: gives a lead away for `long_step` to another thread.
/// Looks every `long_step` while steps arrive; rests (parked until a step
/// wakes it, `go_away`) after [`WATCHDOG_REST`] looks without one.
fn watch(shared: &Arc<Shared>) {
    let (mut seen, mut quiet) = (0u64, 0u32);
    loop {
        if let Some(queue) = take_away(shared, shared.long_step) {
            hand_lead(shared, queue);
            continue;
        }
        let wait = {
            let mut state = lock(&shared.lead);
            if state.aways == seen {
                quiet = quiet.saturating_add(1);
            } else {
                (seen, quiet) = (state.aways, 0);
            }
            match &state.lead {
                Lead::Away { since, .. } => Some(shared.long_step.saturating_sub(since.elapsed())),
                Lead::Held if quiet >= WATCHDOG_REST => {
                    state.watchdog_resting = true;
                    None
                }
                Lead::Held => Some(shared.long_step),
            }
        };
        match wait {
            Some(wait) => std::thread::park_timeout(wait),
            None => std::thread::park(),
        }
    }
}

/// Waits, idle, for the lead; None once idle for `idle_retire`.
fn follow(shared: &Shared) -> Option<Queue> {
    let me = Arc::new(Follower { lead: Mutex::new(None), thread: std::thread::current() });
    lock(&shared.idle).push(me.clone());
    let deadline = Instant::now() + shared.idle_retire;
    loop {
        if let Some(queue) = lock(&me.lead).take() {
            return Some(queue);
        }
        let now = Instant::now();
        if now >= deadline {
            let mut idle = lock(&shared.idle);
            if let Some(at) = idle.iter().position(|f| Arc::ptr_eq(f, &me)) {
                idle.remove(at);
                return None;
            }
            // A leader took this thread just now: the lead is on its way
            // (and so is the unpark that follows it).
            drop(idle);
            std::thread::park();
            continue;
        }
        std::thread::park_timeout(deadline - now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn runtime() -> Arc<Runtime> {
        Arc::new(tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap())
    }

    #[test]
    fn the_receiving_thread_runs_the_step_and_another_drives_the_runtime_while_it_blocks() {
        let rt = runtime();
        let pool = InlinePool::with_timing(rt.clone(), "inline-test", Duration::from_millis(300), LONG_STEP).unwrap();
        let (tx, rx) = mpsc::channel();
        // Queued from a task on the runtime (as the receive loops do): the
        // job runs on the thread that drove the runtime when it arrived.
        let (p, t) = (pool.clone(), tx.clone());
        rt.handle().spawn(async move {
            let driver = std::thread::current().id();
            let t2 = t.clone();
            let _ = p.run(Box::new(move || t2.send((driver, std::thread::current().id())).unwrap()));
        });
        let (driver, ran_on) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(driver, ran_on, "the step ran on the thread that received it");
        // A step that blocks: timers still fire (the watchdog gave the lead
        // to another thread).
        let (hold, held) = mpsc::channel::<()>();
        let t = tx.clone();
        pool.run(Box::new(move || {
            t.send((std::thread::current().id(), std::thread::current().id())).unwrap();
            held.recv().unwrap();
        }))
        .ok()
        .unwrap();
        let (blocked, _) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let (fired, fire) = mpsc::channel();
        rt.handle().spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            fired.send(std::thread::current().id()).unwrap();
        });
        let timer_thread = fire.recv_timeout(Duration::from_secs(10)).expect("the runtime is driven while a step blocks");
        assert_ne!(timer_thread, blocked);
        // A step queued while that one blocks runs at once, on another thread.
        let t = tx.clone();
        pool.run(Box::new(move || t.send((std::thread::current().id(), std::thread::current().id())).unwrap())).ok().unwrap();
        let (second, _) = rx.recv_timeout(Duration::from_secs(10)).expect("a second step runs while the first blocks");
        assert_ne!(second, blocked);
        hold.send(()).unwrap();
        // Idle past the retirement: followers exit, one leader stays.
        let start = Instant::now();
        let t = tx.clone();
        std::thread::sleep(Duration::from_millis(700));
        pool.run(Box::new(move || t.send((std::thread::current().id(), std::thread::current().id())).unwrap())).ok().unwrap();
        rx.recv_timeout(Duration::from_secs(10)).expect("the leader still runs steps after followers retired");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_short_step_drives_its_own_publish_and_its_thread_leads_again() {
        let rt = runtime();
        // A watchdog that never fires within the test: what is seen here is
        // the step's own thread, never a thread the lead was passed to.
        let pool = InlinePool::with_timing(rt.clone(), "inline-test-2", Duration::from_secs(30), Duration::from_secs(60)).unwrap();
        let (tx, rx) = mpsc::channel();
        let mut threads = Vec::new();
        for _ in 0..3 {
            let (p, t, handle) = (pool.clone(), tx.clone(), rt.handle().clone());
            let runtime = rt.clone();
            rt.handle().spawn(async move {
                let received_on = std::thread::current().id();
                let _ = p.run(Box::new(move || {
                    // The step's "publish": a task on the runtime, waited
                    // for with the runtime's core, which is free.
                    let driven_on = runtime.block_on(handle.spawn(async { std::thread::current().id() })).unwrap();
                    t.send((received_on, std::thread::current().id(), driven_on)).unwrap();
                }));
            });
            let (received_on, ran_on, driven_on) = rx.recv_timeout(Duration::from_secs(10)).expect("the step ran");
            assert_eq!(received_on, ran_on, "the step ran on the thread that received it");
            assert_eq!(driven_on, ran_on, "the step's own thread drove the runtime for its publish");
            threads.push(ran_on);
        }
        // One thread ran every step: it took the lead back each time, and
        // no other thread was ever given it.
        assert!(threads.windows(2).all(|w| w[0] == w[1]), "{threads:?}");
        assert!(lock(&pool.shared.idle).is_empty());
    }
}
