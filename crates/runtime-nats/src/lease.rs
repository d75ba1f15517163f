//! How long a host may count on a delivered step being its own.
//!
//! JetStream gives a delivered message to the next puller once `ack_wait`
//! passes without an ack or an in-progress ack from the host holding it.
//! A host that was stopped (SIGSTOP), starved or cut off for that long has
//! lost the step to another replica, and the server does not tell it: a
//! 2.9 server answers every ack, synchronous ones (`AckSync`, a reply
//! subject) included, with the same empty `+OK`, whether the delivery acked
//! is current, was redelivered, or was already acked by the other replica
//! (checked against nats-server 2.9.10), and takes an ack of an old
//! delivery as an ack of the message. The host knows it from its own
//! monotonic clock, which runs on while the process is stopped: when its
//! last in-progress ack (or the delivery) is older than `ack_wait` less a
//! margin, the step is someone else's. The step's result is then dropped
//! (crate::link): no effect is published and no ack sent, so the late copy
//! can neither race the replica that has the step now nor ack that
//! replica's delivery. If no replica has it, JetStream redelivers it when
//! its ack wait passes: at worst the step runs once more, whose effects the
//! streams deduplicate.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Lease {
    /// Renewals must come sooner than this (the consumer's ack wait less a
    /// margin for the delivery's own travel time).
    bound: Duration,
    renewed: Mutex<Instant>,
    lapsed: AtomicBool,
}

impl Lease {
    /// A lease from a delivery received now under `ack_wait`.
    pub fn new(ack_wait: Duration) -> Lease {
        Lease { bound: ack_wait - ack_wait / 10, renewed: Mutex::new(Instant::now()), lapsed: AtomicBool::new(false) }
    }

    /// Whether the step may have gone to another replica; once true,
    /// true for good.
    pub fn lapsed(&self) -> bool {
        if self.lapsed.load(Ordering::Acquire) {
            return true;
        }
        let renewed = *self.renewed.lock().unwrap_or_else(|p| p.into_inner());
        if renewed.elapsed() > self.bound {
            self.lapsed.store(true, Ordering::Release);
            return true;
        }
        false
    }

    /// Called before an in-progress ack is sent: false (and no ack should
    /// go out: it would keep another replica's delivery alive) if the
    /// lease has lapsed; else the lease runs from now.
    pub fn renew(&self) -> bool {
        let mut renewed = self.renewed.lock().unwrap_or_else(|p| p.into_inner());
        if self.lapsed.load(Ordering::Acquire) || renewed.elapsed() > self.bound {
            self.lapsed.store(true, Ordering::Release);
            return false;
        }
        *renewed = Instant::now();
        true
    }

    /// How long since the last renewal (for the log line).
    pub fn held_for(&self) -> Duration {
        self.renewed.lock().unwrap_or_else(|p| p.into_inner()).elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::Lease;
    use std::time::Duration;

    #[test]
    fn a_lease_lapses_for_good_when_not_renewed_within_the_ack_wait() {
        let lease = Lease::new(Duration::from_millis(200));
        assert!(!lease.lapsed());
        std::thread::sleep(Duration::from_millis(100));
        assert!(lease.renew(), "renewed in time");
        std::thread::sleep(Duration::from_millis(100));
        assert!(!lease.lapsed(), "the renewal moved the bound");
        std::thread::sleep(Duration::from_millis(150));
        assert!(lease.lapsed());
        assert!(!lease.renew(), "a lapsed lease is not renewed");
        assert!(lease.lapsed(), "and stays lapsed");
    }
}
