//! The origin of a flow: starts it at resume point 0 and, once it has moved to
//! other nanoservices, collects its forwarded output and exit code on a
//! "return" listener, so that the process behaves like the unsplit program.

use crate::config::RuntimeConfig;
use crate::flow::{self, Captured, EndMode, Flow, LocalEvent, LocalSink, Out, State, Unit};
use crate::host::Host;
use crate::scope::Scope;
use crate::wire::{self, FlowId, Frame, Key, Kind, ReadError, Stream};
use g2n_abi::{UnitDescriptor, UnitEntryFn};
use std::collections::BTreeMap;
use crate::net::{Conn, Listener, Transport};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a host may take to complete its TLS handshake with the return
/// listener.
const RETURN_HANDSHAKE: Duration = Duration::from_secs(10);

/// Charged per buffered Output frame on top of its bytes (its queue entry).
const OUTPUT_ENTRY_COST: u64 = 64;

/// What the return listener and the collector share: the next Output
/// sequence number to write, and what the Output frames received but not
/// yet written hold (`reorder_buffer_bytes` bounds the part of it that is
/// ahead of `next`).
struct ReturnBook {
    next: AtomicU64,
    buffered: AtomicU64,
    limit: u64,
    out_of_memory: crate::conn_limits::Shortage,
    /// The latest Alive taken, as (step, sent_ms): an Alive must come after
    /// it, so a replayed one (or one for a step the flow has left) is refused.
    last_alive: Mutex<(u64, u64)>,
}

fn output_cost(bytes: &[u8]) -> u64 {
    bytes.len() as u64 + OUTPUT_ENTRY_COST
}

/// What the origin learns from the flow's other hops.
enum ReturnEvent {
    Output { seq: u64, stream: Stream, bytes: Vec<u8>, step: u64 },
    /// `acked` disconnects once the Ack of this End has been written (or could
    /// not be), so the origin does not exit before the host has its Ack.
    End { seq: u64, exit_code: i32, acked: Receiver<()>, step: u64 },
    /// A host still runs the flow, at this step.
    Alive { unit: String, step: u64 },
}

/// The result of an in-process origin run ([`run_origin_captured`]).
#[derive(Debug, Clone)]
pub struct OriginOutcome {
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

struct Prepared {
    unit: Arc<Unit>,
    host: Arc<Host>,
    id: FlowId,
    key: Key,
    origin: String,
    returns: Receiver<ReturnEvent>,
    book: Arc<ReturnBook>,
}

fn prepare(host: Arc<Host>, unit: Arc<Unit>) -> Result<Prepared, String> {
    let id: FlowId = wire::random_bytes();
    let key: Key = wire::random_bytes();
    let (tx, returns) = mpsc::channel();
    let book = Arc::new(ReturnBook {
        next: AtomicU64::new(0),
        buffered: AtomicU64::new(0),
        limit: unit.config.reorder_buffer_bytes,
        out_of_memory: crate::conn_limits::Shortage::new(),
        last_alive: Mutex::new((0, 0)),
    });
    // Only a flow that can leave this process needs somewhere to come back
    // to: a unit with exits, unless every nanoservice is hosted here.
    let all_local = host.hosted_count() > 1 && unit.config.routes.is_empty();
    let origin = if unit.desc.exits.is_empty() || all_local {
        String::new()
    } else {
        let listen = &unit.config.return_listen;
        let listener = host.transport.bind(listen).map_err(|e| format!("cannot listen for the flow's return on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let name = unit.desc.unit.clone();
        let book = book.clone();
        let transport = host.transport.clone();
        crate::gc::thread_builder()
            .name("g2n-return".into())
            .spawn(move || return_loop(listener, transport, name, id, key, tx, book))
            .map_err(|e| format!("cannot start the return listener: {e}"))?;
        addr
    };
    tracing::info!(pid = std::process::id(), unit = %unit.desc.unit, flow = %flow::hex(&id), step = 0u64, return_addr = %origin, "flow.start");
    Ok(Prepared { unit, host, id, key, origin, returns, book })
}

fn new_flow(p: &Prepared, sink: LocalSink, end: EndMode) -> Flow {
    Flow {
        unit: p.unit.clone(),
        host: p.host.clone(),
        next_local: None,
        inbound: None,
        parking: false,
        id: p.id,
        step: 0,
        key: p.key,
        origin: p.origin.clone(),
        next_seq: 0,
        out: Out::Local(sink),
        end,
        state: State::Running,
        heartbeat: None,
    }
}

/// Runs a flow from the start on the current thread, writing to this process's
/// stdout/stderr, and returns its exit code. `os.Exit` and panics exit the
/// process directly, as in Go. Used by `g2n_rt_main`.
pub fn run_origin(config: RuntimeConfig, desc: UnitDescriptor, entry: UnitEntryFn) -> Result<i32, String> {
    let host = Host::single(config, desc, entry)?;
    let unit = host.unit_at(0)?;
    run_origin_host(host, unit)
}

/// [`run_origin`] on a host: the flow starts on `unit` and moves in memory to
/// every nanoservice of the host it hops to.
pub fn run_origin_host(host: Arc<Host>, unit: Arc<Unit>) -> Result<i32, String> {
    let p = prepare(host, unit)?;
    // The process's main thread has an 8 MiB stack that cannot grow to Go's
    // 1 GB: the flow runs on a thread of its own (crate::stack).
    let flow = new_flow(&p, LocalSink::Process, EndMode::ExitProcess);
    let entry = p.unit.entry;
    let state = crate::stack::spawn_flow_thread("g2n-origin-flow", move || {
        flow::install(flow);
        flow::run_steps(entry, 0, Box::new(Scope::from_wire(Vec::new(), None)));
        flow::take().map_or(State::Running, |f| f.state)
    })
    .map_err(|e| format!("cannot start the flow thread: {e}"))?
    .join()
    .map_err(|_| "the flow thread panicked".to_string())?;
    let sink = LocalSink::Process;
    let code = match state {
        State::Running => 0,
        State::Ended(code) => code,
        State::HandedOff => collect(&p, &sink),
    };
    tracing::info!(pid = std::process::id(), unit = %p.unit.desc.unit, flow = %flow::hex(&p.id), exit_code = code, "flow.done");
    sink.flush();
    Ok(code)
}

/// Like [`run_origin`], but runs the flow on a new thread and captures its
/// output instead of touching the process's streams or exiting: for tests and
/// for running a mesh inside one process.
pub fn run_origin_captured(config: RuntimeConfig, desc: UnitDescriptor, entry: UnitEntryFn) -> Result<OriginOutcome, String> {
    let host = Host::single(config, desc, entry)?;
    let unit = host.unit_at(0)?;
    run_origin_host_captured(host, unit)
}

/// [`run_origin_captured`] on a host (tests of hosts and the in-host hop).
pub fn run_origin_host_captured(host: Arc<Host>, unit: Arc<Unit>) -> Result<OriginOutcome, String> {
    let p = prepare(host, unit)?;
    let captured = Arc::new(Mutex::new(Captured::default()));
    let (tx, rx) = mpsc::channel::<LocalEvent>();
    let flow = new_flow(&p, LocalSink::Capture(captured.clone()), EndMode::Channel(tx.clone()));
    let entry = p.unit.entry;
    crate::stack::spawn_flow_thread("g2n-origin-flow", move || {
        flow::install(flow);
        flow::run_steps(entry, 0, Box::new(Scope::from_wire(Vec::new(), None)));
        let state = flow::take().map_or(State::Running, |f| f.state);
        let _ = tx.send(LocalEvent::Returned(state));
    })
    .map_err(|e| format!("cannot start the flow thread: {e}"))?;
    let code = match rx.recv() {
        Ok(LocalEvent::Exited(code)) => code,
        Ok(LocalEvent::Returned(State::Running)) => 0,
        Ok(LocalEvent::Returned(State::Ended(code))) => code,
        Ok(LocalEvent::Returned(State::HandedOff)) => collect(&p, &LocalSink::Capture(captured.clone())),
        Err(_) => 2,
    };
    let c = captured.lock().unwrap_or_else(|e| e.into_inner()).clone();
    Ok(OriginOutcome { exit_code: code, stdout: c.stdout, stderr: c.stderr })
}

/// Writes the flow's forwarded output in sequence order until its End, and
/// returns the exit code. Frames may arrive from several hosts and be
/// retransmitted; the sequence numbers put them in order and drop repeats.
///
/// When nothing that advances the flow arrives for `liveness_timeout_ms`,
/// the host running the flow is presumed dead: the flow ends here with exit
/// code 1 and a message, instead of the origin waiting forever. What
/// advances it (docs/protocol.md, "Output and End"): an Output with a
/// sequence number not seen before, the End, and an Alive for the latest
/// step heard of (from the host that holds the flow now). Retransmitted or
/// replayed Output, and Alive for a step the flow has left, do not count.
fn collect(p: &Prepared, sink: &LocalSink) -> i32 {
    let returns = &p.returns;
    let silence = match p.unit.config.liveness_timeout_ms {
        0 => None,
        ms => Some(Duration::from_millis(ms)),
    };
    let mut last_heard: Option<(String, u64)> = None;
    let mut latest_step = 0u64;
    let mut heard_at = Instant::now();
    let mut next = 0u64;
    let mut waiting: BTreeMap<u64, (Stream, Vec<u8>)> = BTreeMap::new();
    let mut end: Option<(u64, i32, Receiver<()>)> = None;
    loop {
        while let Some((stream, bytes)) = waiting.remove(&next) {
            sink.write(stream, &bytes);
            next += 1;
            p.book.next.store(next, Ordering::SeqCst);
            p.book.buffered.fetch_sub(output_cost(&bytes), Ordering::SeqCst);
        }
        if let Some((seq, code, acked)) = &end
            && next >= *seq
        {
            // Exiting before the Ack is on the wire would make the host retry
            // an End that was in fact delivered, until its deadline. Bounded:
            // a stuck connection does not hold the exit for long.
            let _ = acked.recv_timeout(Duration::from_secs(1));
            return *code;
        }
        let event = match silence {
            None => returns.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            Some(limit) => match limit.checked_sub(heard_at.elapsed()) {
                Some(left) => returns.recv_timeout(left),
                None => Err(mpsc::RecvTimeoutError::Timeout),
            },
        };
        match event {
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let flow = flow::hex(&p.id);
                let limit = crate::client::show_duration(silence.unwrap_or_default());
                let last = match &last_heard {
                    Some((unit, step)) => format!("last from '{unit}' at step {step}"),
                    None => "no host reported after the handoff".to_string(),
                };
                tracing::error!(pid = std::process::id(), unit = %p.unit.desc.unit, flow = %flow, silence = %limit, last = %last, "flow.lost");
                let msg = format!("g2n: flow {flow}: lost: nothing heard from the mesh for {limit} ({last}); the nanoservice running it may have died\n");
                sink.write(Stream::Stderr, msg.as_bytes());
                return 1;
            }
            Ok(ReturnEvent::Alive { unit, step }) => {
                if step >= latest_step {
                    latest_step = step;
                    heard_at = Instant::now();
                    last_heard = Some((unit, step));
                }
            }
            Ok(ReturnEvent::Output { seq, stream, bytes, step }) => {
                if seq >= next && !waiting.contains_key(&seq) {
                    heard_at = Instant::now();
                    latest_step = latest_step.max(step);
                    waiting.insert(seq, (stream, bytes));
                } else {
                    p.book.buffered.fetch_sub(output_cost(&bytes), Ordering::SeqCst);
                }
            }
            Ok(ReturnEvent::End { seq, exit_code, acked, step }) => {
                if end.is_none() {
                    heard_at = Instant::now();
                    latest_step = latest_step.max(step);
                }
                end = Some((seq, exit_code, acked));
            }
            // The listener thread is gone: nothing more can arrive.
            Err(mpsc::RecvTimeoutError::Disconnected) => return end.map_or(1, |(_, c, _)| c),
        }
    }
}

fn return_loop(listener: Listener, transport: Transport, unit: String, id: FlowId, key: Key, tx: Sender<ReturnEvent>, book: Arc<ReturnBook>) {
    loop {
        let Ok(conn) = listener.accept() else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let (unit, tx, book, transport) = (unit.clone(), tx.clone(), book.clone(), transport.clone());
        let _ = crate::gc::thread_builder().name("g2n-return-conn".into()).spawn(move || {
            // TLS first, when configured: hosts of the deployment only.
            match transport.accepted(conn, RETURN_HANDSHAKE) {
                Ok(conn) => return_connection(conn, &unit, id, key, tx, &book),
                Err(e) => {
                    tracing::warn!(pid = std::process::id(), unit = %unit, reason = %e, "return.rejected");
                    flow::log(&unit, &format!("rejected flow return: TLS handshake failed: {e}"));
                }
            }
        });
    }
}

fn return_connection(mut conn: Conn, unit: &str, id: FlowId, key: Key, tx: Sender<ReturnEvent>, book: &ReturnBook) {
    let peer = conn.peer();
    let _ = conn.set_read_timeout(Some(Duration::from_secs(60)));
    let reject = |conn: &mut Conn, reason: String| {
        tracing::warn!(pid = std::process::id(), unit = %unit, peer = %peer, reason = %reason, "return.rejected");
        flow::log(unit, &format!("rejected flow return from {peer}: {reason}"));
        let _ = wire::write_frame(conn, &Frame { version: wire::PROTOCOL_VERSION, flow_id: id, step: 0, kind: Kind::Nack { reason } }, None);
    };
    loop {
        // Only frames tagged with the flow key are read past their header.
        let raw = match wire::read_frame(&mut conn, &key) {
            Ok(raw) => raw,
            Err(ReadError::Closed) => return,
            Err(ReadError::Io(_)) => return,
            Err(e) => return reject(&mut conn, e.to_string()),
        };
        let frame = match raw.decode() {
            Ok(f) => f,
            Err(reason) => return reject(&mut conn, reason),
        };
        if frame.flow_id != id || !raw.verify(&key) {
            return reject(&mut conn, "authentication failed for this flow".into());
        }
        let mut acked_tx = None;
        let event = match frame.kind {
            Kind::Output { stream, seq, bytes } => {
                let cost = output_cost(&bytes);
                let next = book.next.load(Ordering::SeqCst);
                let buffered = book.buffered.fetch_add(cost, Ordering::SeqCst);
                // The next frame to write is always taken (it drains the
                // buffer); one ahead of it only within the budget. Unacked,
                // its sender retries, by when the gap may be filled.
                if seq != next && buffered.saturating_add(cost) > book.limit {
                    book.buffered.fetch_sub(cost, Ordering::SeqCst);
                    if book.out_of_memory.first() {
                        let reason = format!(
                            "out of reorder buffer (reorder_buffer_bytes {}): Output {seq} arrived while waiting for {next}; not acknowledged until it fits",
                            book.limit
                        );
                        tracing::warn!(pid = std::process::id(), unit = %unit, peer = %peer, reason = %reason, "return.rejected");
                        flow::log(unit, &format!("rejected flow return from {peer}: {reason}"));
                    }
                    return;
                }
                book.out_of_memory.recovered();
                ReturnEvent::Output { seq, stream, bytes, step: frame.step }
            }
            Kind::End { seq, exit_code } => {
                let (done, acked) = mpsc::channel();
                acked_tx = Some(done);
                ReturnEvent::End { seq, exit_code, acked, step: frame.step }
            }
            Kind::Alive { unit, sent_ms } => {
                let mut last = book.last_alive.lock().unwrap_or_else(|e| e.into_inner());
                if (frame.step, sent_ms) <= *last {
                    let (step, ms) = *last;
                    drop(last);
                    return reject(&mut conn, format!("stale Alive (step {}, sent_ms {sent_ms}; the latest taken was step {step}, sent_ms {ms}): refused as a replay", frame.step));
                }
                *last = (frame.step, sent_ms);
                ReturnEvent::Alive { unit: crate::scope::sanitize(&unit), step: frame.step }
            }
            _ => return reject(&mut conn, "unexpected frame kind: this endpoint accepts only Output and End".into()),
        };
        // Queued before the Ack, so an acknowledged frame is never lost.
        let _ = tx.send(event);
        let ack = Frame { version: wire::PROTOCOL_VERSION, flow_id: id, step: frame.step, kind: Kind::Ack };
        let written = wire::write_frame(&mut conn, &ack, Some(&key));
        drop(acked_tx);
        if written.is_err() {
            return;
        }
    }
}
