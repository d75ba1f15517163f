//! How a flow's effects leave a host on NATS: the engine's [`FlowLink`].
//!
//! Output chunks go to the flow's result subject with ids
//! `<flow>:<step>:o<seq>`, the next step to the target's step subject with
//! id `<flow>:<step>`, the end to the result subject with id `<flow>:end`;
//! each publish returns once the stream has stored it. A received step is
//! acked only after its handoff or end is stored, so a host that dies or
//! hangs before then has its step redelivered, and the re-run's publishes
//! are duplicates that the streams drop. `step.commit` is traced when a
//! step's handoff or end was stored for the first time: exactly once per
//! step of a flow.

use crate::hex;
use crate::io::{Connections, Io, PublishError, Stored};
use crate::result::{self, FlowResult};
use async_nats::jetstream::AckKind;
use async_nats::jetstream::message::Acker;
use g2n_abi::nats as names;
use g2n_runtime::engine::{FlowAt, FlowLink, LinkError};
use g2n_runtime::wire::Stream;
use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// The delivered message a received step came in, until the step finishes.
pub struct Inbound {
    pub acker: Arc<Acker>,
    /// The connection of the nanoservice whose consumer delivered it.
    pub io: Arc<Io>,
    /// Whether the step is still this host's (crate::lease).
    pub lease: Arc<crate::lease::Lease>,
    /// Dropping it stops the step's in-progress acks.
    pub progress: Option<tokio::sync::oneshot::Sender<()>>,
    /// One of the host's in-flight slots for this nanoservice.
    pub permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Inbound {
    /// Sends `kind` for the delivered message. Fire and forget: a lost ack
    /// only means a redelivery whose publishes are all duplicates.
    pub fn ack(&self, kind: AckKind) {
        let _ = self.io.block_on(self.acker.ack_with(kind));
    }

    /// [`Inbound::ack`], then gives back the slot and stops the in-progress
    /// acks, all on the runtime: the tasks this wakes (the receive loop, the
    /// renewal) are then woken from inside it, which costs no wake-up of
    /// the thread that drives it (from outside, each wake is a write to
    /// its event fd, and its next wait returns at once).
    pub fn finish(self, kind: AckKind) {
        let io = self.io.clone();
        io.block_on(async move {
            let _ = self.acker.ack_with(kind).await;
            drop(self);
        });
    }
}

pub struct Link {
    /// Each effect goes out on the connection of the nanoservice that
    /// produced it (`FlowAt::unit`).
    pub conns: Arc<Connections>,
    /// The step this host started from (received, or 0 on the origin): the
    /// steps it commits run from here to the step that hands off or ends.
    pub first_step: u64,
    pub inbound: Option<Inbound>,
    /// On the origin: where a failure is reported (nothing redelivers step 0).
    pub origin: Option<Sender<crate::origin::Event>>,
    /// On the origin: told once the step's commit is traced, so that the
    /// origin does not exit on the flow's end (which can arrive first on a
    /// loaded machine) before its own step's journal line is written.
    pub committed: Option<Sender<()>>,
    /// The step was superseded: every further effect is dropped.
    pub dropped: bool,
}

impl Link {
    fn io(&self, at: &FlowAt) -> Arc<Io> {
        self.conns.of(at.unit).clone()
    }

    /// A publish failed past its deadline: a received step is given back
    /// (Nak: JetStream redelivers it now, maybe to another replica); the
    /// origin's flow fails.
    fn failed(&mut self, at: &FlowAt, what: &str, error: String) -> LinkError {
        let flow = hex(at.id);
        tracing::error!(pid = crate::pid(), unit = %at.unit, flow = %flow, step = at.step, what, error = %error, "step.abandoned");
        if let Some(inbound) = self.inbound.take() {
            inbound.ack(AckKind::Nak(None));
            return LinkError::Abandoned(error);
        }
        let message = format!("g2n: flow {flow}: {what} failed: {error}");
        // Nothing will be committed: the origin need not wait for it.
        self.committed = None;
        if let Some(origin) = &self.origin {
            let _ = origin.send(crate::origin::Event::Failed(message.clone()));
        }
        LinkError::Fatal(message)
    }

    /// The server denied the handoff (docs/protocol.md, "Who may send
    /// what"): logged with the server's reason; the flow ends on this host
    /// with that reason on its stderr and exit code 1, and the received
    /// step is acked once that end is stored (a redelivery would be denied
    /// the same way).
    fn refused(&self, at: &FlowAt, target: &str, reason: String) -> LinkError {
        let flow = hex(at.id);
        tracing::warn!(pid = crate::pid(), unit = %at.unit, flow = %flow, step = at.step, to = %target, reason = %reason, "hop.refused");
        // The runtime's log line format (g2n[unit]: ...), on the host's stderr.
        let _ = writeln!(std::io::stderr(), "g2n[{}]: handoff of flow {flow} to '{target}' refused by the NATS server: {reason}", at.unit);
        LinkError::Refused(format!("g2n: flow {flow}: handoff from '{}' to '{target}' refused by the NATS server: {reason}", at.unit))
    }

    /// The step's last effect is stored: trace the commit (after the lines
    /// of `sent`, in the same write: g2n_runtime::trace::batch), ack the
    /// message.
    fn finished(&mut self, at: &FlowAt, stored: Stored, sent: impl FnOnce()) {
        let flow = hex(at.id);
        g2n_runtime::trace::batch(|| {
            sent();
            if !stored.duplicate || stored.uncertain {
                let event = if stored.duplicate { "step.commit_uncertain" } else { "step.commit" };
                for step in self.first_step..=at.step {
                    if event == "step.commit" {
                        tracing::info!(pid = crate::pid(), unit = %at.unit, flow = %flow, step, "step.commit");
                    } else {
                        tracing::info!(pid = crate::pid(), unit = %at.unit, flow = %flow, step, "step.commit_uncertain");
                    }
                }
            } else {
                // Stored before by a re-run's first run. If that process
                // died between the store and its trace line (kill -9), this
                // is the only trace of the commit.
                for step in self.first_step..=at.step {
                    tracing::info!(pid = crate::pid(), unit = %at.unit, flow = %flow, step, "step.duplicate");
                }
            }
        });
        if let Some(committed) = &self.committed {
            let _ = committed.send(());
        }
        if let Some(inbound) = self.inbound.take() {
            // A lease that lapsed while the publish was retried (a host cut
            // off mid-publish): the delivery is another replica's now, and
            // an ack would take it off the server's list while that replica
            // runs it (crate::lease).
            if inbound.lease.lapsed() {
                tracing::info!(pid = crate::pid(), unit = %at.unit, flow = %flow, step = self.first_step, held_ms = inbound.lease.held_for().as_millis() as u64, "ack.withheld");
            } else {
                inbound.finish(AckKind::Ack);
            }
        }
    }

    /// Before each effect: a step whose lease lapsed (no in-progress ack
    /// reached the server within its ack wait: this host was stopped,
    /// starved or cut off) is another replica's now. Its result is dropped:
    /// nothing more is published, no ack is sent (crate::lease), and the
    /// step is logged once.
    fn still_ours(&mut self, at: &FlowAt) -> Result<(), LinkError> {
        if self.dropped {
            return Err(LinkError::Abandoned("superseded".into()));
        }
        let Some(inbound) = &self.inbound else { return Ok(()) };
        if !inbound.lease.lapsed() {
            return Ok(());
        }
        let held = inbound.lease.held_for();
        let flow = hex(at.id);
        let ack_wait = inbound.io.config.ack_wait_ms;
        tracing::warn!(pid = crate::pid(), unit = %at.unit, flow = %flow, step = self.first_step, at_step = at.step, held_ms = held.as_millis() as u64, ack_wait_ms = ack_wait, "step.superseded");
        let _ = writeln!(
            std::io::stderr(),
            "g2n[{}]: step {} of flow {flow} was not renewed for {held:.1?}, more than its ack wait ({ack_wait} ms; this host was stopped or starved): JetStream has given it to another replica, so this copy's result is dropped",
            at.unit, self.first_step
        );
        // Dropped without an ack: the permit and the in-progress acks go
        // with it.
        self.inbound = None;
        self.dropped = true;
        Err(LinkError::Abandoned(format!("step {} of flow {flow} superseded", self.first_step)))
    }

    fn publish_result(&mut self, at: &FlowAt, r: &FlowResult, id: &str, what: &str) -> Result<Stored, LinkError> {
        self.still_ours(at)?;
        let flow = hex(at.id);
        let (headers, body) = result::encode(r, &flow, at.key);
        let io = self.io(at);
        let subject = names::out_subject(&io.config.mesh, &flow);
        io.publish(&subject, id, headers, body, io.publish_deadline()).map_err(|e| self.failed(at, what, e.to_string()))
    }
}

impl FlowLink for Link {
    fn output(&mut self, at: &FlowAt, seq: u64, stream: Stream, bytes: &[u8]) -> Result<(), LinkError> {
        let id = names::output_msg_id(&hex(at.id), at.step, seq);
        self.publish_result(at, &FlowResult::Output { stream, seq, bytes: bytes.to_vec() }, &id, "storing the flow's output")?;
        Ok(())
    }

    fn hand_off(&mut self, at: &FlowAt, target: &str, frame: Vec<u8>) -> Result<(), LinkError> {
        let flow = hex(at.id);
        let step = at.step + 1;
        let io = self.io(at);
        let subject = names::step_subject(&io.config.mesh, target);
        let id = names::step_msg_id(&flow, step);
        self.still_ours(at)?;
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("G2N-From", at.unit);
        let started = std::time::Instant::now();
        let bytes = frame.len();
        let stored = match io.publish(&subject, &id, headers, frame.into(), io.publish_deadline()) {
            Ok(s) => s,
            Err(PublishError::Refused(reason)) => return Err(self.refused(at, target, reason)),
            Err(PublishError::Failed(e)) => return Err(self.failed(at, &format!("handoff to '{target}'"), e)),
        };
        let latency_us = started.elapsed().as_micros() as u64;
        self.finished(at, stored, || {
            tracing::info!(
                pid = crate::pid(),
                unit = %at.unit,
                flow = %flow,
                step,
                from = %at.unit,
                to = %target,
                addr = %subject,
                bytes,
                duplicate = stored.duplicate,
                latency_us,
                "hop.send"
            );
        });
        Ok(())
    }

    fn end(&mut self, at: &FlowAt, seq: u64, exit_code: i32) {
        let id = names::end_msg_id(&hex(at.id));
        if let Ok(stored) = self.publish_result(at, &FlowResult::End { seq, exit_code }, &id, "storing the flow's end") {
            self.finished(at, stored, || {});
        }
    }
}
