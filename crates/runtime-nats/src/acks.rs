//! Acks of finished pulled steps, sent with the connection's next write.
//!
//! A step's ack (`+ACK`) may go out only once the step's handoff or end is
//! stored (docs/protocol.md, "Ack rules", rule 3), and it is fire and
//! forget: nothing waits for it. Sent at once, it is a socket write of its
//! own on the host (the PubAck's wake-up comes too late for anything else
//! to leave with it) and a read and a wake-up of its own on the server,
//! once per step. Held here instead, it leaves with the connection's next
//! publish (the next step's handoff, usually a hop later: `Io::publish`
//! queues it right behind that publish, so the connection task writes both
//! in one `writev`), or after at most [`ACK_DELAY`], when nothing was
//! published meanwhile (a task of the runtime flushes the held acks then),
//! or when the host drains. Held longer, it would only delay the
//! consumer's bookkeeping: JetStream redelivers a step after its ack wait
//! (30 s by default, at least 100 ms), far beyond this.
//!
//! Only pull deliveries are held: a push consumer stops pushing at
//! `max_ack_pending` unacked steps, so a held ack could hold up the next
//! step it is waiting for. A step whose lease lapsed while its ack was held
//! is not acked (crate::lease; trace `ack.withheld`, as when it lapsed
//! before its ack was due). An ack held when the process dies is lost, as
//! an ack on its way can be: the step is redelivered after its ack wait
//! and its re-run's publishes are all duplicates.

use crate::lease::Lease;
use async_nats::jetstream::AckKind;
use async_nats::jetstream::message::Acker;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How long an ack waits for the connection's next publish at most.
pub const ACK_DELAY: Duration = Duration::from_millis(5);

/// One finished step's ack, held.
pub struct Held {
    pub acker: Arc<Acker>,
    pub lease: Arc<Lease>,
    /// For the `ack.withheld` line, if the lease lapses meanwhile.
    pub unit: String,
    pub flow: String,
    pub step: u64,
}

/// One connection's held acks.
#[derive(Default)]
pub struct HeldAcks {
    /// The acks and when the first of them was held.
    held: Mutex<(Vec<Held>, Option<Instant>)>,
    /// Wakes the flusher when the first ack is held.
    first: Notify,
}

impl HeldAcks {
    fn lock(&self) -> MutexGuard<'_, (Vec<Held>, Option<Instant>)> {
        // Nothing runs under the lock: a poisoned one holds valid data.
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Holds `ack` until the next publish, the flusher or the drain.
    /// Called on the runtime (inside `Io::block_on`), so that waking the
    /// flusher costs no write to the runtime's event fd.
    pub fn hold(&self, ack: Held) {
        let first = {
            let mut held = self.lock();
            held.0.push(ack);
            held.1.get_or_insert_with(Instant::now);
            held.0.len() == 1
        };
        if first {
            self.first.notify_one();
        }
    }

    /// Sends every held ack (on the runtime): queued on the connection, so
    /// that they leave in its next write.
    pub async fn send(&self) {
        let held = {
            let mut held = self.lock();
            held.1 = None;
            std::mem::take(&mut held.0)
        };
        for ack in held {
            if ack.lease.lapsed() {
                tracing::info!(pid = crate::pid(), unit = %ack.unit, flow = %ack.flow, step = ack.step, held_ms = ack.lease.held_for().as_millis() as u64, "ack.withheld");
                continue;
            }
            let _ = ack.acker.ack_with(AckKind::Ack).await;
        }
    }

    /// Whether no ack is held.
    pub fn is_empty(&self) -> bool {
        self.lock().0.is_empty()
    }

    /// The flusher, a task of the runtime: sends the held acks [`ACK_DELAY`]
    /// after the first of them was held, unless a publish took them first.
    /// Sleeps without a timer while none is held.
    pub async fn flusher(self: Arc<Self>) {
        loop {
            self.first.notified().await;
            loop {
                let Some(since) = self.lock().1 else { break };
                let due = since + ACK_DELAY;
                if Instant::now() < due {
                    tokio::time::sleep_until(due.into()).await;
                    continue;
                }
                self.send().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_acks_are_taken_once_and_the_flusher_sleeps_while_none_is_held() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let acks = Arc::new(HeldAcks::default());
        rt.spawn(acks.clone().flusher());
        let js = {
            let _inside = rt.enter();
            // A context on a client that never connects: its publishes wait
            // in the client's queue, which is all this test needs.
            let client = rt.block_on(async_nats::ConnectOptions::new().retry_on_initial_connect().connect("nats://127.0.0.1:1")).unwrap();
            async_nats::jetstream::new(client)
        };
        let held = || Held {
            acker: Arc::new(Acker::new(js.clone(), Some("$JS.ACK.S.c.1.1.1.1.0".into()))),
            lease: Arc::new(Lease::new(Duration::from_secs(30))),
            unit: "u".into(),
            flow: "f".into(),
            step: 1,
        };
        rt.block_on(async {
            acks.hold(held());
            acks.hold(held());
            assert!(!acks.is_empty());
            // The flusher sends them within ACK_DELAY (plus a timer tick).
            tokio::time::sleep(ACK_DELAY * 3).await;
            assert!(acks.is_empty(), "flushed after ACK_DELAY");
            // Taken by a publish before the flusher's time: nothing left.
            acks.hold(held());
            acks.send().await;
            assert!(acks.is_empty());
            tokio::time::sleep(ACK_DELAY * 2).await;
            assert!(acks.is_empty());
        });
    }
}
