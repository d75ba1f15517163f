//! A host on NATS: pulls the steps of every nanoservice it serves from that
//! nanoservice's durable consumer (shared with its replicas), keeps each
//! delivered step alive with in-progress acks while it runs, checks it
//! like the TCP server does, and runs it on a flow thread whose effects go
//! through a [`Link`].

use crate::io::Io;
use crate::link::{Inbound, Link};
use crate::setup;
use async_nats::jetstream::AckKind;
use async_nats::jetstream::consumer::{Consumer, pull};
use futures_util::StreamExt;
use g2n_abi::nats as names;
use g2n_runtime::Host;
use g2n_runtime::engine;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Serves until the process is killed. Returns only on a start-up failure.
pub fn serve(io: Arc<Io>, host: Arc<Host>) -> Result<(), String> {
    setup::ensure_streams(&io)?;
    let mut consumers = Vec::new();
    for unit in host.hosted_names() {
        let consumer = setup::ensure_consumer(&io, &unit)?;
        consumers.push((unit, consumer));
    }
    if let Some(path) = &host.config().ready_file {
        g2n_runtime::ffi::write_ready_file(path, &io.config.mesh).map_err(|e| format!("cannot write ready file {path}: {e}"))?;
    }
    for (unit, consumer) in consumers {
        io.handle.spawn(pull_loop(io.clone(), host.clone(), unit, consumer));
    }
    loop {
        std::thread::park();
    }
}

/// Pulls one nanoservice's steps for as long as the process lives, at most
/// `max_in_flight` at a time; a broken pull (a server that died, missed
/// heartbeats) is started again.
async fn pull_loop(io: Arc<Io>, host: Arc<Host>, unit: String, consumer: Consumer<pull::Config>) {
    let limit = io.config.max_in_flight.max(1);
    let slots = Arc::new(Semaphore::new(limit));
    loop {
        let pulling = consumer.stream().max_messages_per_batch(limit.min(16)).heartbeat(Duration::from_secs(2)).messages().await;
        let mut messages = match pulling {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(pid = std::process::id(), unit = %unit, error = %e, "pull.retry");
                tokio::time::sleep(Duration::from_millis(250)).await;
                continue;
            }
        };
        loop {
            let Ok(permit) = slots.clone().acquire_owned().await else { return };
            match messages.next().await {
                Some(Ok(message)) => dispatch(&io, &host, &unit, message, permit),
                Some(Err(e)) => {
                    tracing::warn!(pid = std::process::id(), unit = %unit, error = %e, "pull.retry");
                    break;
                }
                None => break,
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Starts a delivered step: its in-progress acks on the I/O thread, its
/// checks and its run on a flow thread.
fn dispatch(io: &Arc<Io>, host: &Arc<Host>, unit: &str, message: async_nats::jetstream::Message, permit: tokio::sync::OwnedSemaphorePermit) {
    let (message, acker) = message.split();
    let acker = Arc::new(acker);
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let interval = Duration::from_millis((io.config.ack_wait_ms / 3).max(30));
    let progress = acker.clone();
    io.handle.spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stopped => return,
                _ = tokio::time::sleep(interval) => { let _ = progress.ack_with(AckKind::Progress).await; }
            }
        }
    });
    let msg_id = message.headers.as_ref().and_then(|h| h.get("Nats-Msg-Id")).map(|v| v.as_str().to_string());
    let inbound = Inbound { acker: acker.clone(), progress: Some(stop), permit: Some(permit) };
    let (io2, host2, unit2) = (io.clone(), host.clone(), unit.to_string());
    let subject = message.subject.to_string();
    let spawned = engine::spawn_flow_thread("g2n-nats-step", move || run_step(io2, host2, &unit2, &subject, &message.payload, msg_id, inbound));
    if spawned.is_err() {
        // No thread for it now: give it back for a redelivery.
        io.handle.spawn(async move {
            let _ = acker.ack_with(AckKind::Nak(Some(Duration::from_millis(200)))).await;
        });
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Checks a delivered step and runs it. Bad input is refused with a logged
/// reason and terminated (never redelivered); the host keeps serving.
fn run_step(io: Arc<Io>, host: Arc<Host>, unit: &str, subject: &str, payload: &[u8], msg_id: Option<String>, inbound: Inbound) {
    let received = std::time::Instant::now();
    let reject = |inbound: Inbound, reason: String| {
        tracing::warn!(pid = std::process::id(), unit = %host.name(), peer = %subject, reason = %reason, "frame.rejected");
        host.log_line(&format!("rejected handoff from {subject}: {reason}"));
        let _ = io.block_on(inbound.acker.ack_with(AckKind::Term));
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
    if accepted.unit.desc.unit != unit {
        return reject(inbound, format!("handoff for nanoservice '{}' arrived on the subject of '{unit}'", accepted.unit.desc.unit));
    }
    tracing::info!(
        pid = std::process::id(),
        unit = %unit,
        flow = %flow,
        step = accepted.step,
        from = %accepted.from(),
        to = %unit,
        peer = %subject,
        bytes = payload.len(),
        latency_us = received.elapsed().as_micros() as u64,
        "hop.recv"
    );
    let link = Link { io: io.clone(), first_step: accepted.step, inbound: Some(inbound), origin: None };
    engine::run_accepted(host, accepted, Box::new(link));
}
