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
//!
//! The lapse is reported (trace `step.superseded`, one log line) once per
//! delivery, by whichever notices it first: the in-progress ack task, whose
//! timer is overdue when the host wakes (crate::serve), or the step thread
//! before an effect (crate::link). Reporting it only at the step's next
//! effect left it to chance: a woken step that computes on reaches its next
//! effect late or never (the run ends and the host is drained and killed
//! while it still computes), and a slow copy's lapse went unreported.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Lease {
    /// Renewals must come sooner than this (the consumer's ack wait less a
    /// margin for the delivery's own travel time).
    bound: Duration,
    renewed: Mutex<Instant>,
    lapsed: AtomicBool,
    report: Mutex<Report>,
}

/// The step a lease is on, once its handoff has passed its checks: what a
/// lapse is reported as.
pub struct Held {
    pub unit: String,
    pub flow: String,
    pub step: u64,
    pub ack_wait_ms: u64,
}

#[derive(Default)]
struct Report {
    held: Option<Held>,
    done: bool,
}

impl Lease {
    /// A lease from a delivery received now under `ack_wait`.
    pub fn new(ack_wait: Duration) -> Lease {
        Lease { bound: ack_wait - ack_wait / 10, renewed: Mutex::new(Instant::now()), lapsed: AtomicBool::new(false), report: Mutex::default() }
    }

    /// Names the step once its handoff is checked. A lease that lapsed
    /// before (the host stopped between the delivery and the check, when
    /// the in-progress ack task could not name what it noticed) is reported
    /// now: true if it was.
    pub fn hold(&self, held: Held) -> bool {
        self.report.lock().unwrap_or_else(|p| p.into_inner()).held = Some(held);
        self.report_lapse()
    }

    /// Traces `step.superseded` and logs that the copy's result is dropped,
    /// once per lease, if it has lapsed and its step is named ([`Lease::hold`]
    /// reports it otherwise): true if this call reported it.
    pub fn report_lapse(&self) -> bool {
        if !self.lapsed() {
            return false;
        }
        let mut report = self.report.lock().unwrap_or_else(|p| p.into_inner());
        let Report { held: Some(Held { unit, flow, step, ack_wait_ms }), done: done @ false } = &mut *report else { return false };
        *done = true;
        let since = self.held_for();
        tracing::warn!(pid = crate::pid(), unit = %unit, flow = %flow, step, held_ms = since.as_millis() as u64, ack_wait_ms, "step.superseded");
        let _ = writeln!(
            std::io::stderr(),
            "g2n[{unit}]: step {step} of flow {flow} was not renewed for {since:.1?}, more than its ack wait ({ack_wait_ms} ms; this host was stopped or starved): JetStream has given it to another replica, so this copy's result is dropped"
        );
        true
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
    use super::{Held, Lease};
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

    fn held() -> Held {
        Held { unit: "work".into(), flow: "00".repeat(16), step: 1, ack_wait_ms: 300 }
    }

    #[test]
    fn a_lapse_is_reported_once_by_whoever_notices_it_first_once_the_step_is_named() {
        // Noticed by the step thread (or the in-progress ack task) after the check.
        let lease = Lease::new(Duration::from_millis(300));
        assert!(!lease.hold(held()), "named in time: nothing to report");
        assert!(!lease.report_lapse(), "not lapsed");
        std::thread::sleep(Duration::from_millis(320));
        assert!(lease.report_lapse(), "the first to notice reports it");
        assert!(!lease.report_lapse(), "and no one again");
        // Noticed by the in-progress ack task before the check: reported
        // when the step is named.
        let lease = Lease::new(Duration::from_millis(300));
        std::thread::sleep(Duration::from_millis(320));
        assert!(!lease.renew());
        assert!(!lease.report_lapse(), "unnamed: left to the check");
        assert!(lease.hold(held()), "reported as the step is named");
        assert!(!lease.report_lapse(), "once");
    }
}
