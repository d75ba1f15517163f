//! A host on NATS: receives the steps of every nanoservice it serves from
//! that nanoservice's durable consumer (shared with its replicas), pulled
//! or pushed (`nats.delivery`), keeps each delivered step alive with
//! in-progress acks while it runs, checks it like the TCP server does, and
//! runs it on a step thread (crate::pool, or the receiving thread itself:
//! crate::inline) whose effects go through a [`Link`].

use crate::hex;
use crate::config::Receive;
use crate::drain;
use crate::inline::InlinePool;
use crate::io::{Connections, Io};
use crate::lease::{Held, Lease};
use crate::link::{Inbound, Link};
use crate::pool::{Job, StepPool};
use crate::setup::{self, StepSource};
use async_nats::jetstream::AckKind;
use async_nats::jetstream::consumer::{Consumer, pull};
use futures_util::StreamExt;
use g2n_abi::nats as names;
use g2n_runtime::Host;
use g2n_runtime::engine;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Serves until the process is killed or, on SIGTERM, drains
/// (crate::drain): returns the exit code then (0: every step it held
/// finished). Errs only on a start-up failure.
pub fn serve(conns: Arc<Connections>, host: Arc<Host>) -> Result<i32, String> {
    let io = conns.main.clone();
    let began = std::time::Instant::now();
    let setup::HostSetup { step_stream, consumers } = setup::prepare_host(&conns, &host.hosted_names())?;
    let replay = Replay { window_ms: step_stream.duplicate_window.as_millis() as u64, skew_ms: host.config().max_clock_skew_ms };
    if replay.window_ms < replay.skew_ms + io.config.publish_deadline_ms {
        host.log_line(&format!(
            "warning: the step stream's duplicate window ({} ms) is shorter than max_clock_skew_ms plus publish_deadline_ms ({} ms): a handoff whose publish is retried that long is refused as a replay",
            replay.window_ms,
            replay.skew_ms + io.config.publish_deadline_ms
        ));
    }
    tracing::info!(pid = crate::pid(), unit = %host.name(), setup_us = began.elapsed().as_micros() as u64, "host.ready");
    drain::install()?;
    if let Some(path) = &host.config().ready_file {
        g2n_runtime::ffi::write_ready_file(path, &io.config.mesh).map_err(|e| format!("cannot write ready file {path}: {e}"))?;
    }
    let limit = io.config.max_in_flight.max(1);
    let (draining, _) = tokio::sync::watch::channel(false);
    let mut slots = Vec::new();
    let mut pulls = Vec::new();
    let pool = match io.config.receive {
        Receive::Handoff => Steps::Handoff(StepPool::new("g2n-nats-step")),
        Receive::Inline => Steps::Inline(InlinePool::start(io.runtime.clone(), "g2n-nats-step")?),
    };
    for (unit, source) in consumers {
        let unit_slots = Arc::new(Semaphore::new(limit));
        slots.push(unit_slots.clone());
        let pulling = Pulling { io: conns.of(&unit).clone(), conns: conns.clone(), host: host.clone(), pool: pool.clone(), unit, slots: unit_slots, replay };
        let receiving = match source {
            StepSource::Pull(consumer) => io.handle.spawn(pull_loop(pulling, consumer, draining.subscribe())),
            StepSource::Push { deliver_subject, group } => io.handle.spawn(push_loop(pulling, deliver_subject, group, draining.subscribe())),
        };
        pulls.push(receiving);
    }
    while !drain::requested() {
        std::thread::sleep(drain::POLL);
    }
    Ok(drain_steps(&io, &host, &draining, pulls, &slots, limit))
}

/// Stops the pull loops and waits, at most `drain_ms`, until every step
/// this process holds has finished (its in-flight slot is back: the slot
/// is released after the step's last publish, trace line and ack).
fn drain_steps(io: &Io, host: &Host, draining: &tokio::sync::watch::Sender<bool>, pulls: Vec<tokio::task::JoinHandle<()>>, slots: &[Arc<Semaphore>], limit: usize) -> i32 {
    let started = std::time::Instant::now();
    let bound = Duration::from_millis(io.config.drain_ms);
    let _ = draining.send(true);
    // A pull loop waiting for a message holds a slot for it: count the
    // steps held once the loops have stopped (they do at once).
    io.block_on(async {
        let _ = tokio::time::timeout(bound, futures_util::future::join_all(pulls)).await;
    });
    let held: usize = slots.iter().map(|s| limit - s.available_permits()).sum();
    tracing::info!(pid = crate::pid(), unit = %host.name(), held, "host.drain");
    let all = u32::try_from(limit).unwrap_or(u32::MAX);
    let finished = io.block_on(async {
        tokio::time::timeout(bound, async {
            for s in slots {
                // Held for good: nothing is pulled any more.
                let _ = s.acquire_many(all).await.map(std::mem::forget);
            }
        })
        .await
        .is_ok()
    });
    if finished {
        tracing::info!(pid = crate::pid(), unit = %host.name(), held, elapsed_ms = started.elapsed().as_millis() as u64, "host.drained");
        return 0;
    }
    let left: usize = slots.iter().map(|s| limit - s.available_permits()).sum();
    tracing::warn!(pid = crate::pid(), unit = %host.name(), left, "host.drain_timeout");
    host.log_line(&format!("drain: {left} step(s) still running after {bound:?}; exiting, JetStream redelivers them"));
    1
}

/// Where a delivered step runs (`nats.receive`).
#[derive(Clone)]
enum Steps {
    /// On a parked step thread, woken by the I/O thread.
    Handoff(StepPool),
    /// On the thread that drove the runtime when it arrived.
    Inline(InlinePool),
}

impl Steps {
    fn run(&self, job: Job) -> Result<(), Job> {
        match self {
            Steps::Handoff(pool) => pool.run(job),
            Steps::Inline(pool) => pool.run(job),
        }
    }
}

/// What one nanoservice's receive loop needs.
struct Pulling {
    /// The nanoservice's connection.
    io: Arc<Io>,
    conns: Arc<Connections>,
    host: Arc<Host>,
    pool: Steps,
    unit: String,
    /// Its in-flight slots.
    slots: Arc<Semaphore>,
    replay: Replay,
}

/// The replay check of a host on NATS (docs/protocol.md, "Replays on
/// NATS"): a handoff must have been stored by the step stream within the
/// stream's duplicate window, less the clock skew allowed, of the time its
/// sender made it. A re-publish inside the window is a duplicate the stream
/// drops; one after it is stored, and refused here. A step that waits in
/// the stream (no host up) keeps the time it was stored, so it may wait
/// any time.
#[derive(Clone, Copy, Debug)]
pub struct Replay {
    pub window_ms: u64,
    pub skew_ms: u64,
}

impl Replay {
    pub fn check(&self, created_ms: u64, stored_ms: u64) -> Result<(), String> {
        let skew = self.skew_ms;
        if created_ms > stored_ms.saturating_add(skew) {
            return Err(format!("handoff made {} ms after the stream stored it (max_clock_skew_ms {skew}): refused", created_ms - stored_ms));
        }
        let age = stored_ms.saturating_sub(created_ms);
        let max_age = self.window_ms.saturating_sub(skew);
        if age > max_age {
            return Err(format!(
                "handoff stored {age} ms after it was made, more than the step stream's duplicate window less max_clock_skew_ms ({max_age} ms): refused as a replay"
            ));
        }
        Ok(())
    }
}

/// A nanoservice's delivered steps, as one receive loop reads them; an
/// error ends them (the loop opens them again).
type Delivered = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<async_nats::jetstream::Message, String>> + Send>>;

/// Pulls one nanoservice's steps until the host drains. The client asks
/// again when half a batch is in: a host that hangs holds up to one and a
/// half batches until their ack wait passes (with 16, a stopped host of
/// the chaos test held up to 24 steps; with the default 4, at most 6).
async fn pull_loop(p: Pulling, consumer: Consumer<pull::Config>, draining: tokio::sync::watch::Receiver<bool>) {
    let batch = p.io.config.max_in_flight.max(1).min(p.io.config.pull_batch.max(1));
    let open = move || {
        let consumer = consumer.clone();
        async move {
            let messages = consumer.stream().max_messages_per_batch(batch).heartbeat(Duration::from_secs(2)).messages().await.map_err(|e| e.to_string())?;
            Ok::<Delivered, String>(Box::pin(messages.map(|m| m.map_err(|e| e.to_string()))))
        }
    };
    receive_loop(p, draining, "the pull ended", open).await;
}

/// Receives one nanoservice's pushed steps until the host drains: a queue
/// subscription to the push consumer's deliver subject, in the group its
/// other hosts share, so that each step goes to one of them. The consumer's
/// `max_ack_pending` (at most `max_in_flight`) bounds what is delivered and
/// not yet acked over all of them, so a step pushed here finds a slot at
/// once. A subscription broken by a lost connection the client renews
/// itself on reconnect.
async fn push_loop(p: Pulling, deliver_subject: String, group: String, draining: tokio::sync::watch::Receiver<bool>) {
    let (client, js) = (p.io.client.clone(), p.io.js.clone());
    let open = move || {
        let (client, js, deliver_subject, group) = (client.clone(), js.clone(), deliver_subject.clone(), group.clone());
        async move {
            let pushed = client.queue_subscribe(deliver_subject, group).await.map_err(|e| e.to_string())?;
            // A status message (none is asked for) is not a step.
            let steps = pushed
                .filter(|m| std::future::ready(m.status.is_none()))
                .map(move |message| Ok(async_nats::jetstream::Message { message, context: js.clone() }));
            Ok::<Delivered, String>(Box::pin(steps))
        }
    };
    receive_loop(p, draining, "the subscription ended", open).await;
}

/// The receive loop of one nanoservice, pulled or pushed: at most
/// `max_in_flight` steps at a time, each dispatched as it arrives, until
/// the host drains. Steps that broke off (`open` failed, the steps ended
/// or erred: a server that died, missed heartbeats) are opened again
/// after a pause (trace `pull.retry`). Steps delivered but not yet read
/// when the drain begins are left unacked: JetStream redelivers them after
/// their ack wait.
async fn receive_loop<F, O>(p: Pulling, mut draining: tokio::sync::watch::Receiver<bool>, ended: &str, mut open: F)
where
    F: FnMut() -> O,
    O: std::future::Future<Output = Result<Delivered, String>>,
{
    let Pulling { unit, slots, .. } = &p;
    loop {
        let mut steps = match open().await {
            Ok(steps) => steps,
            Err(e) => {
                tracing::warn!(pid = crate::pid(), unit = %unit, error = %e, "pull.retry");
                tokio::select! {
                    _ = draining.wait_for(|d| *d) => return,
                    _ = tokio::time::sleep(Duration::from_millis(250)) => continue,
                }
            }
        };
        loop {
            let permit = tokio::select! {
                _ = draining.wait_for(|d| *d) => return,
                permit = slots.clone().acquire_owned() => match permit { Ok(p) => p, Err(_) => return },
            };
            let next = tokio::select! {
                _ = draining.wait_for(|d| *d) => return,
                next = steps.next() => next,
            };
            match next {
                Some(Ok(message)) => {
                    dispatch(&p, message, permit);
                    // Polling a pull again may send the next pull request
                    // (when half a batch is in): yield first, so that with
                    // `receive: inline` the leader returns to run the step
                    // before that request is written (the runtime runs
                    // every ready task before it polls the leader's wait
                    // again); this loop is then queued when the step
                    // starts, and the request goes out in the same write
                    // as the step's first publish (crate::io, `Publishing`).
                    tokio::task::yield_now().await;
                }
                Some(Err(e)) => {
                    tracing::warn!(pid = crate::pid(), unit = %unit, error = %e, "pull.retry");
                    break;
                }
                None => {
                    tracing::warn!(pid = crate::pid(), unit = %unit, error = ended, "pull.retry");
                    break;
                }
            }
        }
        tokio::select! {
            _ = draining.wait_for(|d| *d) => return,
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
        }
    }
}

/// Starts a delivered step (on the runtime): its in-progress acks as a
/// task of the runtime, its checks and its run on a step thread
/// ([`Steps`]).
fn dispatch(p: &Pulling, message: async_nats::jetstream::Message, permit: tokio::sync::OwnedSemaphorePermit) {
    let (io, host, unit) = (&p.io, &p.host, p.unit.as_str());
    // When the stream stored it (its clock), from the delivery's metadata.
    let stored_ms = message.info().ok().map(|i| (i.published.unix_timestamp_nanos() / 1_000_000) as u64);
    let dispatched = std::time::Instant::now();
    let (message, acker) = message.split();
    let acker = Arc::new(acker);
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let interval = Duration::from_millis((io.config.ack_wait_ms / 3).max(30));
    let progress = acker.clone();
    let lease = Arc::new(Lease::new(Duration::from_millis(io.config.ack_wait_ms)));
    let renewing = lease.clone();
    io.handle.spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stopped => return,
                _ = tokio::time::sleep(interval) => {
                    // A lapsed step is another replica's: renewing it would
                    // keep that replica's delivery alive (crate::lease).
                    // Reported now, as the host wakes (this timer is then
                    // overdue), not at the step's next effect, which a step
                    // still computing may never reach.
                    if !renewing.renew() {
                        renewing.report_lapse();
                        return;
                    }
                    let _ = progress.ack_with(AckKind::Progress).await;
                }
            }
        }
    });
    let msg_id = message.headers.as_ref().and_then(|h| h.get("Nats-Msg-Id")).map(|v| v.as_str().to_string());
    let inbound = Inbound { acker: acker.clone(), lease, io: io.clone(), progress: Some(stop), permit: Some(permit) };
    let (conns, host2, unit2, replay) = (p.conns.clone(), host.clone(), unit.to_string(), p.replay);
    let subject = message.subject.to_string();
    let started = p.pool.run(Box::new(move || run_step(conns, host2, &unit2, &subject, &message.payload, Delivery { msg_id, stored_ms, replay, dispatched }, inbound)));
    if started.is_err() {
        // No thread for it now: give it back for a redelivery.
        io.handle.spawn(async move {
            let _ = acker.ack_with(AckKind::Nak(Some(Duration::from_millis(200)))).await;
        });
    }
}

/// What the delivery says of a step besides its body.
struct Delivery {
    msg_id: Option<String>,
    /// When the stream stored it; None without JetStream metadata.
    stored_ms: Option<u64>,
    replay: Replay,
    /// When the I/O thread handed it to a step thread.
    dispatched: std::time::Instant,
}

/// Checks a delivered step and runs it. Bad input is refused with a logged
/// reason and terminated (never redelivered); the host keeps serving.
fn run_step(conns: Arc<Connections>, host: Arc<Host>, unit: &str, subject: &str, payload: &[u8], delivery: Delivery, inbound: Inbound) {
    let Delivery { msg_id, stored_ms, replay, dispatched } = delivery;
    let received = std::time::Instant::now();
    // The step thread's wake-up (docs/protocol.md, "Measured").
    let queued_us = received.duration_since(dispatched).as_micros() as u64;
    let reject = |inbound: Inbound, reason: String| {
        tracing::warn!(pid = crate::pid(), unit = %host.name(), peer = %subject, reason = %reason, "frame.rejected");
        host.log_line(&format!("rejected handoff from {subject}: {reason}"));
        inbound.ack(AckKind::Term);
    };
    let accepted = match engine::check_handoff(&host, payload) {
        Ok(a) => a,
        Err(reason) => return reject(inbound, reason),
    };
    let flow = hex(&accepted.id);
    // The id the stream deduplicates by must be the one the authenticated
    // body names: a replay under a fresh id is refused here.
    let expected = names::step_msg_id(&flow, accepted.step);
    if msg_id.as_deref() != Some(expected.as_str()) {
        let got = msg_id.map(|s| g2n_runtime::scope::sanitize(&s)).unwrap_or_else(|| "none".into());
        return reject(inbound, format!("message id '{got}' does not match the handoff it carries ('{expected}')"));
    }
    let fresh = match stored_ms {
        Some(stored) => replay.check(accepted.created_ms(), stored),
        None => Err("delivered without JetStream metadata (no stream time to check its age against)".into()),
    };
    if let Err(reason) = fresh {
        return reject(inbound, reason);
    }
    if accepted.unit.desc.unit != unit {
        return reject(inbound, format!("handoff for nanoservice '{}' arrived on the subject of '{unit}'", accepted.unit.desc.unit));
    }
    tracing::info!(
        pid = crate::pid(),
        unit = %unit,
        flow = %flow,
        step = accepted.step,
        from = %accepted.from(),
        to = %unit,
        peer = %subject,
        bytes = payload.len(),
        latency_us = received.elapsed().as_micros() as u64,
        queued_us,
        "hop.recv"
    );
    inbound.lease.hold(Held { unit: unit.to_string(), flow, step: accepted.step, ack_wait_ms: inbound.io.config.ack_wait_ms });
    let link = Link { conns: conns.clone(), first_step: accepted.step, inbound: Some(inbound), origin: None, committed: None, dropped: false };
    engine::run_accepted(host, accepted, Box::new(link));
}

#[cfg(test)]
mod tests {
    use super::Replay;

    #[test]
    fn a_handoff_stored_past_the_window_is_a_replay() {
        let r = Replay { window_ms: 120_000, skew_ms: 1000 };
        let made = 1_780_000_000_000;
        assert!(r.check(made, made + 5).is_ok());
        assert!(r.check(made, made + 119_000).is_ok());
        assert!(r.check(made, made + 119_001).unwrap_err().contains("refused as a replay"));
        assert!(r.check(made + 1000, made).is_ok(), "a sender's clock ahead by the skew allowed");
        assert!(r.check(made + 1001, made).unwrap_err().contains("after the stream stored it"));
    }
}
