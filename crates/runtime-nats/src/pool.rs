//! The step threads of a host on NATS: a pool of flow threads that are
//! reused from step to step instead of a new OS thread per step.
//!
//! Starting a thread for a step (a 16 MiB stack mapped, the thread
//! registered with the collector on its first allocation) cost more than
//! the rest of a hop put together (docs/protocol.md, "The NATS engine",
//! "Measured"). A worker that finished its step waits, parked, for the
//! next one; the I/O thread hands a delivered step to the worker that
//! became idle last (its stack and caches are the warmest) and unparks it:
//! one wake-up per step. With none idle it starts another worker, so the
//! pool holds as many threads as steps ran at once, which the host's
//! in-flight slots bound (`max_in_flight` per nanoservice served). A worker
//! idle for [`IDLE_RETIRE`] exits.
//!
//! A flow that ends in `os.Exit` or a panic never returns to its worker
//! (the runtime parks its thread, g2n_runtime::flow): that worker is simply
//! never idle again, exactly as a per-step thread was never reclaimed.
//! Reusing a thread for another flow is what the TCP server does with its
//! connection threads: the runtime keeps no state of a finished flow on it.

use g2n_runtime::engine;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// How long a worker waits for a step before it exits.
pub const IDLE_RETIRE: Duration = Duration::from_secs(30);

pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// One worker's hand-over slot.
struct Worker {
    job: Mutex<Option<Job>>,
    thread: Thread,
}

struct Shared {
    /// Idle workers, the most recently idle last.
    idle: Mutex<Vec<Arc<Worker>>>,
    name: String,
    idle_retire: Duration,
}

#[derive(Clone)]
pub struct StepPool {
    shared: Arc<Shared>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A job never runs under these locks, so a poisoned one holds valid data.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl StepPool {
    pub fn new(name: &str) -> StepPool {
        StepPool::with_idle_retire(name, IDLE_RETIRE)
    }

    pub fn with_idle_retire(name: &str, idle_retire: Duration) -> StepPool {
        StepPool { shared: Arc::new(Shared { idle: Mutex::new(Vec::new()), name: name.to_string(), idle_retire }) }
    }

    /// Runs `job` on an idle worker, else on a new one. Errs (giving the
    /// job back) only if no thread could be started.
    pub fn run(&self, job: Job) -> Result<(), Job> {
        let idle = lock(&self.shared.idle).pop();
        if let Some(worker) = idle {
            *lock(&worker.job) = Some(job);
            worker.thread.unpark();
            return Ok(());
        }
        let shared = self.shared.clone();
        // The job moves into the new thread through this slot, so that a
        // failed spawn can return it.
        let first = Arc::new(Mutex::new(Some(job)));
        let handed = first.clone();
        let spawned = engine::spawn_flow_thread(&self.shared.name, move || {
            if let Some(job) = lock(&handed).take() {
                job();
            }
            work(&shared);
        });
        match spawned {
            Ok(()) => Ok(()),
            Err(_) => Err(lock(&first).take().unwrap_or_else(|| Box::new(|| {}))),
        }
    }

    /// Workers idle now (for tests).
    pub fn idle(&self) -> usize {
        lock(&self.shared.idle).len()
    }
}

/// A worker's life after its first job: idle, then the next job, until it
/// has been idle for `idle_retire`.
fn work(shared: &Shared) {
    let me = Arc::new(Worker { job: Mutex::new(None), thread: std::thread::current() });
    loop {
        lock(&shared.idle).push(me.clone());
        let deadline = Instant::now() + shared.idle_retire;
        let job = loop {
            if let Some(job) = lock(&me.job).take() {
                break job;
            }
            let now = Instant::now();
            if now >= deadline {
                let mut idle = lock(&shared.idle);
                if let Some(at) = idle.iter().position(|w| Arc::ptr_eq(w, &me)) {
                    idle.remove(at);
                    return;
                }
                // A dispatcher took this worker just now: its job is on the
                // way (and so is the unpark that follows it).
                drop(idle);
                std::thread::park();
                continue;
            }
            std::thread::park_timeout(deadline - now);
        };
        job();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn reuses_an_idle_worker_and_retires_it() {
        let pool = StepPool::with_idle_retire("pool-test", Duration::from_millis(300));
        let (tx, rx) = mpsc::channel();
        let first = tx.clone();
        pool.run(Box::new(move || first.send(std::thread::current().id()).unwrap())).ok().unwrap();
        let a = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let t = Instant::now();
        while pool.idle() == 0 {
            assert!(t.elapsed() < Duration::from_secs(10));
            std::thread::sleep(Duration::from_millis(1));
        }
        let second = tx.clone();
        pool.run(Box::new(move || second.send(std::thread::current().id()).unwrap())).ok().unwrap();
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), a, "the idle worker runs the next job");
        // Two at once: the busy worker is not handed a second job.
        let (hold, held) = mpsc::channel::<()>();
        let busy = tx.clone();
        while pool.idle() == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        pool.run(Box::new(move || {
            busy.send(std::thread::current().id()).unwrap();
            held.recv().unwrap();
        }))
        .ok()
        .unwrap();
        let b = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let other = tx.clone();
        pool.run(Box::new(move || other.send(std::thread::current().id()).unwrap())).ok().unwrap();
        assert_ne!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), b);
        hold.send(()).unwrap();
        // Idle past the retirement: every worker exits.
        let t = Instant::now();
        while pool.idle() < 2 {
            assert!(t.elapsed() < Duration::from_secs(10));
            std::thread::sleep(Duration::from_millis(1));
        }
        while pool.idle() > 0 {
            assert!(t.elapsed() < Duration::from_secs(10), "idle workers retire");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
