//! The origin of a flow on NATS: subscribes to the flow's results (an
//! ordered consumer on the result stream) before anything is published,
//! runs the first step on a flow thread (its output, handoff and end go
//! through a [`Link`] like a host's), and prints the results in order, each
//! once, until the end, whose exit code it returns.

use crate::hex;
use crate::io::{Connections, Io};
use crate::link::Link;
use crate::result::{self, FlowResult};
use crate::setup;
use async_nats::jetstream::consumer::{DeliverPolicy, pull};
use async_nats::jetstream::context::GetStreamErrorKind;
use futures_util::StreamExt;
use g2n_abi::nats as names;
use g2n_runtime::Host;
use g2n_runtime::engine;
use g2n_runtime::wire::{self, FlowId, Key, Stream};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

/// What the origin's collector hears.
pub enum Event {
    /// A message on the flow's result subject: headers and body.
    Message(Option<async_nats::HeaderMap>, bytes::Bytes),
    /// The flow failed on the origin itself (a publish past its deadline).
    Failed(String),
}

/// A subscription quiet for this long is made again from the first result
/// on: an ordered consumer whose server died may stall instead of failing,
/// and the collector drops what it already has.
const RESUBSCRIBE_AFTER: Duration = Duration::from_secs(2);

type Results = async_nats::jetstream::consumer::pull::Ordered;

/// An ordered consumer of every result of `subject`, from the first.
async fn results(io: &Io, subject: &str) -> Result<Results, String> {
    let stream = io.js.get_stream(names::out_stream(&io.config.mesh)).await.map_err(|e| e.to_string())?;
    let config = pull::OrderedConfig { filter_subject: subject.to_string(), deliver_policy: DeliverPolicy::All, ..Default::default() };
    let consumer = stream.create_consumer(config).await.map_err(|e| e.to_string())?;
    consumer.messages().await.map_err(|e| e.to_string())
}

/// Subscribes to `flow`'s results from the first one on: every message of
/// the subject arrives on the returned channel (each possibly more than
/// once: the collector keeps the first of each number).
///
/// The origin subscribes to the subject itself before anything of the
/// flow is published, so in the normal course it hears every result live,
/// and its start takes no JetStream API request (a consumer's creation
/// waits for the cluster's leaders, seconds while they are elected, e.g.
/// after a node rejoined). The stream is the record: when the subscription
/// has been quiet for [`RESUBSCRIBE_AFTER`] (its connection moved to
/// another node and missed messages, or a step simply runs long), the
/// results are read again from the stream's first one through an ordered
/// consumer, made again after each quiet spell.
pub fn subscribe(io: &Arc<Io>, flow: &str) -> Result<(mpsc::Sender<Event>, mpsc::Receiver<Event>), String> {
    let subject = names::out_subject(&io.config.mesh, flow);
    let live = io.block_on(async {
        let live = io.client.subscribe(subject.clone()).await.map_err(|e| e.to_string())?;
        // The server has the subscription before step 0 publishes.
        io.client.flush().await.map_err(|e| e.to_string())?;
        Ok::<_, String>(live)
    });
    let live = match live {
        Ok(live) => Some(live),
        Err(e) => {
            tracing::warn!(pid = crate::pid(), subject = %subject, error = %e, "results.subscribe_failed");
            None
        }
    };
    let (tx, rx) = mpsc::channel();
    let forward = tx.clone();
    let reader = io.clone();
    io.handle.spawn(async move {
        if let Some(mut live) = live {
            let mut heard = tokio::time::Instant::now();
            while let Ok(Some(m)) = tokio::time::timeout_at(heard + RESUBSCRIBE_AFTER, live.next()).await {
                heard = tokio::time::Instant::now();
                if forward.send(Event::Message(m.headers.clone(), m.payload.clone())).is_err() {
                    return;
                }
            }
        }
        loop {
            let mut current = match results(&reader, &subject).await {
                Ok(m) => m,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    continue;
                }
            };
            // Errors (the ordered consumer reports gaps and missed
            // heartbeats) do not count as hearing something.
            let mut heard = tokio::time::Instant::now();
            loop {
                match tokio::time::timeout_at(heard + RESUBSCRIBE_AFTER, current.next()).await {
                    Ok(Some(Ok(m))) => {
                        heard = tokio::time::Instant::now();
                        if forward.send(Event::Message(m.headers.clone(), m.payload.clone())).is_err() {
                            return;
                        }
                    }
                    Ok(Some(Err(_))) => {}
                    Ok(None) | Err(_) => break,
                }
            }
        }
    });
    Ok((tx, rx))
}

/// Starts a flow on `own` and returns its exit code once its end arrived.
pub fn run(conns: Arc<Connections>, host: Arc<Host>, own: u32, began: std::time::Instant) -> Result<i32, String> {
    // The entry's connection: its user may read the mesh's results.
    let io = conns.main.clone();
    let connected_us = began.elapsed().as_micros() as u64;
    // The hosts have set the streams up, normally: one request to check.
    // Only the server's answer that they are missing makes the origin set
    // them up; an unanswered check (a cluster electing leaders) does not:
    // step 0's publish is retried until the leaders answer.
    if let Err(e) = io.block_on(io.js.get_stream(names::out_stream(&io.config.mesh)))
        && matches!(e.kind(), GetStreamErrorKind::JetStream(_))
    {
        setup::ensure_streams(&io)?;
    }
    let unit = host.unit_at(own)?;
    let id: FlowId = wire::random_bytes();
    let key: Key = wire::random_bytes();
    let flow = hex(&id);
    let (tx, rx) = subscribe(&io, &flow)?;
    // How long connecting, and then the streams and the subscription, took.
    let (connect_us, setup_us) = (connected_us, began.elapsed().as_micros() as u64 - connected_us);
    tracing::info!(pid = crate::pid(), unit = %unit.desc.unit, flow = %flow, step = 0u64, mesh = %io.config.mesh, connect_us, setup_us, "flow.start");
    let (committed, is_committed) = mpsc::channel::<()>();
    let link = Link { conns: conns.clone(), first_step: 0, inbound: None, origin: Some(tx), committed: Some(committed), dropped: false };
    let name = unit.desc.unit.clone();
    let started = host.clone();
    engine::spawn_flow_thread("g2n-origin-flow", move || engine::run_new_flow(started, unit, id, key, Box::new(link)))
        .map_err(|e| format!("cannot start the flow thread: {e}"))?;
    let silence = match host.config().liveness_timeout_ms {
        0 => None,
        ms => Some(Duration::from_millis(ms)),
    };
    let code = collect(&rx, &flow, Some(&key), silence, &mut |stream, bytes| write(stream, bytes))?;
    // The flow's end can be here before the flow thread has traced its own
    // step's commit (it was not scheduled since its PubAck): wait for that
    // line, or for the thread to drop its link (a failure), boundedly.
    let _ = is_committed.recv_timeout(io.publish_deadline());
    tracing::info!(pid = crate::pid(), unit = %name, flow = %flow, exit_code = code, "flow.done");
    Ok(code)
}

fn write(stream: Stream, bytes: &[u8]) {
    // Errors (a closed pipe) are ignored like Go's fmt ignores them.
    match stream {
        Stream::Stdout => {
            let _ = std::io::stdout().lock().write_all(bytes);
        }
        Stream::Stderr => {
            let _ = std::io::stdout().lock().flush();
            let _ = std::io::stderr().lock().write_all(bytes);
        }
    }
}

/// Writes a flow's results in sequence order, each number once, until the
/// end and every chunk before it have arrived; returns the exit code.
/// Messages that do not verify under `key` are logged and skipped.
pub fn collect(rx: &mpsc::Receiver<Event>, flow: &str, key: Option<&Key>, silence: Option<Duration>, sink: &mut dyn FnMut(Stream, &[u8])) -> Result<i32, String> {
    let mut next = 0u64;
    let mut waiting: BTreeMap<u64, (Stream, Vec<u8>)> = BTreeMap::new();
    let mut end: Option<(u64, i32)> = None;
    loop {
        while let Some((stream, bytes)) = waiting.remove(&next) {
            sink(stream, &bytes);
            next += 1;
        }
        if let Some((seq, code)) = end
            && next >= seq
        {
            let _ = std::io::stdout().lock().flush();
            return Ok(code);
        }
        let event = match silence {
            None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            Some(limit) => rx.recv_timeout(limit),
        };
        match event {
            Ok(Event::Message(headers, body)) => match result::decode(headers.as_ref(), &body, flow, key) {
                Ok(FlowResult::Output { stream, seq, bytes }) => {
                    if seq >= next {
                        waiting.entry(seq).or_insert((stream, bytes));
                    }
                }
                Ok(FlowResult::End { seq, exit_code }) => end = Some((seq, exit_code)),
                Err(reason) => tracing::warn!(pid = crate::pid(), flow = %flow, reason = %reason, "return.rejected"),
            },
            Ok(Event::Failed(message)) => {
                write(Stream::Stderr, format!("{message}\n").as_bytes());
                return Ok(1);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(format!("flow {flow}: lost: nothing heard from the mesh for {:?}", silence.unwrap_or_default()));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(format!("flow {flow}: the subscription to its results ended")),
        }
    }
}
