//! Step threads that take turns driving the engine's runtime
//! (`nats.receive: inline`): the thread that receives a step runs it.
//!
//! With one I/O thread (crate::pool), a received step crosses threads
//! twice: the I/O thread reads it and wakes a parked step thread, which
//! runs it. Here there is no I/O thread. One step thread, the leader,
//! drives the runtime (`Runtime::block_on` holds a current-thread
//! runtime's core: its sockets, timers and tasks) while it waits for the
//! next step; the receive loops hand it each step as a job, on that same
//! thread. When one arrives the leader passes the lead, with the job
//! queue, to an idle follower (or a new thread), and runs the step itself
//! at once; the follower takes over the runtime's core as soon as it runs.
//! The step's thread is woken by nothing: the step starts as soon as the
//! runtime has read it. A thread that finished its step becomes a
//! follower: it parks until it is given the lead, and exits after
//! [`crate::pool::IDLE_RETIRE`] idle.
//!
//! The runtime is never left undriven for longer than a follower takes to
//! wake (plus, if no thread can be started, one step: its publishes drive
//! the runtime themselves, `Io::block_on`): in-progress acks and the
//! connections' pings keep going while steps run. A thread holds the lead
//! only between steps, so there are at most as many threads as steps run
//! at once (the in-flight slots bound them), plus the leader.
//!
//! A flow that ends in `os.Exit` or a panic never returns to its thread,
//! as with the pool: it gave the lead away before the step began.

use crate::pool::{IDLE_RETIRE, Job};
use g2n_runtime::engine;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

type Queue = UnboundedReceiver<Job>;

/// An idle thread waiting for the lead.
struct Follower {
    /// The job queue, once this thread is given the lead.
    lead: Mutex<Option<Queue>>,
    thread: Thread,
}

struct Shared {
    runtime: Arc<Runtime>,
    /// Idle followers, the most recently idle last.
    idle: Mutex<Vec<Arc<Follower>>>,
    name: String,
    idle_retire: Duration,
}

/// The step threads of a host whose receive loops hand steps to the
/// leader's thread.
#[derive(Clone)]
pub struct InlinePool {
    jobs: UnboundedSender<Job>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A job never runs under these locks, so a poisoned one holds valid data.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl InlinePool {
    /// Starts the first leader on `runtime`, which no thread may drive for
    /// good (crate::io::Driver::Callers).
    pub fn start(runtime: Arc<Runtime>, name: &str) -> Result<InlinePool, String> {
        InlinePool::with_idle_retire(runtime, name, IDLE_RETIRE)
    }

    pub fn with_idle_retire(runtime: Arc<Runtime>, name: &str, idle_retire: Duration) -> Result<InlinePool, String> {
        let (jobs, queue) = unbounded_channel();
        let shared = Arc::new(Shared { runtime, idle: Mutex::new(Vec::new()), name: name.to_string(), idle_retire });
        spawn_leader(&shared, queue).map_err(|_| "cannot start a step thread".to_string())?;
        Ok(InlinePool { jobs })
    }

    /// Queues `job` for the leader; called on the runtime (a receive loop),
    /// it wakes no other thread. Errs (giving the job back) only if no
    /// thread leads any more.
    pub fn run(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|e| e.0)
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

/// A thread's life: lead until a step arrives, pass the lead on, run the
/// step, follow until given the lead again or retired.
fn lead(shared: &Arc<Shared>, mut queue: Queue) {
    loop {
        let Some(job) = shared.runtime.block_on(queue.recv()) else {
            return;
        };
        match pass_lead(shared, queue) {
            Ok(()) => {
                job();
                match follow(shared) {
                    Some(next) => queue = next,
                    None => return,
                }
            }
            Err(kept) => {
                // No thread to take over: run the step while nothing else
                // drives the runtime (its publishes drive it themselves),
                // then lead again.
                queue = kept;
                job();
            }
        }
    }
}

/// Gives the lead to the most recently idle follower, else to a new
/// thread; gives the queue back if neither is possible.
fn pass_lead(shared: &Arc<Shared>, queue: Queue) -> Result<(), Queue> {
    let follower = lock(&shared.idle).pop();
    match follower {
        Some(f) => {
            *lock(&f.lead) = Some(queue);
            f.thread.unpark();
            Ok(())
        }
        None => spawn_leader(shared, queue),
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
    fn the_receiving_thread_runs_the_step_and_another_drives_the_runtime_meanwhile() {
        let rt = runtime();
        let pool = InlinePool::with_idle_retire(rt.clone(), "inline-test", Duration::from_millis(300)).unwrap();
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
        // A step that blocks: timers still fire (another thread leads).
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
        hold.send(()).unwrap();
        // Idle past the retirement: followers exit, one leader stays.
        let start = Instant::now();
        let t = tx.clone();
        std::thread::sleep(Duration::from_millis(700));
        pool.run(Box::new(move || t.send((std::thread::current().id(), std::thread::current().id())).unwrap())).ok().unwrap();
        rx.recv_timeout(Duration::from_secs(10)).expect("the leader still runs steps after followers retired");
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
