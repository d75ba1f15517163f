//! The flow running on the current thread: where its output goes, how it ends,
//! and how it moves on (`goToNetwork`).
//!
//! Generated code calls plain C functions with no context argument, so the
//! flow's context lives in a thread-local: each flow runs on its own thread
//! (the origin's main thread, or one thread per received handoff).
//!
//! Ending a flow from inside generated code (`os.Exit`, a panic) cannot unwind
//! through Cranelift frames (they have no unwind tables, and unwinding out of
//! an `extern "C"` function aborts), and `pthread_exit`/`longjmp` over Rust
//! frames is unsound. So on a serving host the flow thread reports the end to
//! the origin and then parks forever: sound, at the cost of one idle thread
//! (and its stack) per flow that ended this way. On the origin the whole
//! process exits, exactly like Go. A later issue (stack switching or
//! cooperative return codes) reclaims parked threads.

use crate::client::{Peer, SendError};
use crate::config::RuntimeConfig;
use crate::scope::Scope;
use crate::wire::{self, FlowId, Frame, Handoff, Key, Kind, Stream};
use g2n_abi::{UnitDescriptor, UnitEntryFn};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Largest Output frame payload; well under the frame limit.
const OUTPUT_CHUNK: usize = 1 << 20;
/// Forwarded output is sent early once this much is pending, to bound memory.
const OUTPUT_HIGH_WATER: usize = 4 << 20;

/// A compiled unit with its configuration, shared by all its flows.
pub struct Unit {
    pub desc: UnitDescriptor,
    pub config: RuntimeConfig,
    pub entry: UnitEntryFn,
    /// HMAC keys of the users allowed to hand flows to this unit.
    pub(crate) accept_keys: HashMap<String, Key>,
    /// HMAC keys this unit presents to each route.
    pub(crate) route_keys: BTreeMap<String, Key>,
}

impl Unit {
    pub fn new(config: RuntimeConfig, desc: UnitDescriptor, entry: UnitEntryFn) -> Result<Arc<Unit>, String> {
        let mut accept_keys = HashMap::new();
        for c in &config.accept {
            accept_keys.insert(c.username.clone(), wire::credential_key(&c.username, &c.password()?));
        }
        let mut route_keys = BTreeMap::new();
        for (name, r) in &config.routes {
            let c = &r.credential;
            route_keys.insert(name.clone(), wire::credential_key(&c.username, &c.password()?));
        }
        Ok(Arc::new(Unit { desc, config, entry, accept_keys, route_keys }))
    }

    pub(crate) fn deadline(&self) -> Duration {
        Duration::from_millis(self.config.handoff_deadline_ms)
    }

    pub(crate) fn log(&self, msg: &str) {
        log(&self.desc.unit, msg);
    }
}

pub(crate) fn log(unit: &str, msg: &str) {
    let _ = writeln!(std::io::stderr(), "g2n[{unit}]: {msg}");
}

/// Output captured in-process instead of written to the process's streams
/// (an origin run from a test).
#[derive(Debug, Default, Clone)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

pub(crate) enum LocalSink {
    Process,
    Capture(Arc<Mutex<Captured>>),
}

impl LocalSink {
    pub(crate) fn write(&self, stream: Stream, bytes: &[u8]) {
        match self {
            LocalSink::Process => {
                // Errors (a closed pipe) are ignored like Go's fmt ignores them.
                match stream {
                    Stream::Stdout => {
                        let _ = std::io::stdout().lock().write_all(bytes);
                    }
                    Stream::Stderr => {
                        // Keep the two streams in program order on a terminal.
                        let _ = std::io::stdout().lock().flush();
                        let _ = std::io::stderr().lock().write_all(bytes);
                    }
                }
            }
            LocalSink::Capture(c) => {
                let mut c = c.lock().unwrap_or_else(|e| e.into_inner());
                match stream {
                    Stream::Stdout => c.stdout.extend_from_slice(bytes),
                    Stream::Stderr => c.stderr.extend_from_slice(bytes),
                }
            }
        }
    }

    pub(crate) fn flush(&self) {
        if let LocalSink::Process = self {
            let _ = std::io::stdout().lock().flush();
            let _ = std::io::stderr().lock().flush();
        }
    }
}

pub(crate) enum Out {
    /// On the origin: straight to its streams.
    Local(LocalSink),
    /// On a serving host: buffered, then sent to the origin as Output frames.
    Forward { pending: Vec<(Stream, Vec<u8>)>, pending_len: usize, origin: Peer },
}

/// What ending the flow means on this thread.
pub(crate) enum EndMode {
    /// The origin's main thread: exit the process with the code.
    ExitProcess,
    /// An origin run in-process (tests): report the code to the waiting caller.
    Channel(Sender<LocalEvent>),
    /// A serving host: send End to the origin.
    Remote,
}

/// What an in-process origin's flow thread reports.
pub(crate) enum LocalEvent {
    Exited(i32),
    Returned(State),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    Running,
    HandedOff,
    Ended(i32),
}

pub(crate) struct Flow {
    pub(crate) unit: Arc<Unit>,
    pub(crate) id: FlowId,
    pub(crate) step: u64,
    /// Tags Output/End frames; created by the origin, carried by handoffs.
    pub(crate) key: Key,
    /// The origin's return listener ("" if the origin has none).
    pub(crate) origin: String,
    /// Sequence number of the next Output frame.
    pub(crate) next_seq: u64,
    pub(crate) out: Out,
    pub(crate) end: EndMode,
    pub(crate) state: State,
    /// On a host: dropping it stops the flow's heartbeat thread.
    pub(crate) heartbeat: Option<Sender<()>>,
}

thread_local! {
    static FLOW: RefCell<Option<Flow>> = const { RefCell::new(None) };
}

pub(crate) fn install(flow: Flow) {
    FLOW.with(|f| *f.borrow_mut() = Some(flow));
}

pub(crate) fn take() -> Option<Flow> {
    FLOW.with(|f| f.borrow_mut().take())
}

/// Writes flow output from generated code.
pub fn write_output(stream: Stream, bytes: &[u8]) {
    // Taken out of the cell (not borrowed) because forwarding may do network
    // I/O; nothing re-enters the runtime meanwhile.
    match take() {
        Some(mut flow) => {
            flow.write(stream, bytes);
            install(flow);
        }
        None => LocalSink::Process.write(stream, bytes),
    }
}

impl Flow {
    pub(crate) fn write(&mut self, stream: Stream, bytes: &[u8]) {
        match &mut self.out {
            Out::Local(sink) => sink.write(stream, bytes),
            Out::Forward { pending, pending_len, .. } => {
                match pending.last_mut() {
                    Some((s, buf)) if *s == stream && buf.len() + bytes.len() <= OUTPUT_CHUNK => buf.extend_from_slice(bytes),
                    _ => pending.push((stream, bytes.to_vec())),
                }
                *pending_len += bytes.len();
                if *pending_len >= OUTPUT_HIGH_WATER {
                    let _ = self.flush_forward();
                }
            }
        }
    }

    /// Sends buffered output to the origin and waits for its acks, so that the
    /// origin has every byte before the flow moves on or ends.
    pub(crate) fn flush_forward(&mut self) -> Result<(), String> {
        let deadline = self.unit.deadline();
        let Out::Forward { pending, pending_len, origin } = &mut self.out else {
            if let Out::Local(sink) = &self.out {
                sink.flush();
            }
            return Ok(());
        };
        for (stream, bytes) in std::mem::take(pending) {
            for chunk in bytes.chunks(OUTPUT_CHUNK) {
                let frame = Frame {
                    version: wire::PROTOCOL_VERSION,
                    flow_id: self.id,
                    step: self.step,
                    kind: Kind::Output { stream, seq: self.next_seq, bytes: chunk.to_vec() },
                };
                match origin.exchange(&frame, &self.key, deadline) {
                    Ok(d) => tracing::info!(
                        pid = std::process::id(),
                        unit = %self.unit.desc.unit,
                        flow = %hex(&self.id),
                        step = self.step,
                        seq = self.next_seq,
                        stream = ?stream,
                        bytes = d.bytes,
                        attempts = d.attempts,
                        latency_us = d.latency.as_micros() as u64,
                        "output.sent"
                    ),
                    Err(e) => {
                        *pending_len = 0;
                        return Err(self.report_lost_origin(e));
                    }
                }
                self.next_seq += 1;
            }
        }
        *pending_len = 0;
        Ok(())
    }

    fn report_lost_origin(&self, e: SendError) -> String {
        let msg = format!("cannot deliver output of flow {} to its origin at {}: {e}", hex(&self.id), self.origin);
        tracing::error!(pid = std::process::id(), unit = %self.unit.desc.unit, flow = %hex(&self.id), step = self.step, error = %e, "origin.lost");
        self.unit.log(&msg);
        msg
    }

    /// Ends the flow with `code` (output flushed, End sent to the origin, or the
    /// process exited on the origin). Returns unless the process exits.
    pub(crate) fn finish(&mut self, code: i32) {
        if self.state != State::Running {
            return;
        }
        self.state = State::Ended(code);
        self.heartbeat = None;
        let end_event = |flow: &Flow| {
            tracing::info!(pid = std::process::id(), unit = %flow.unit.desc.unit, flow = %hex(&flow.id), step = flow.step, exit_code = code, "flow.end");
        };
        if !matches!(self.end, EndMode::Remote) {
            end_event(self);
        }
        match &self.end {
            EndMode::ExitProcess => {
                if let Out::Local(sink) = &self.out {
                    sink.flush();
                }
                std::process::exit(code);
            }
            EndMode::Channel(tx) => {
                let _ = tx.send(LocalEvent::Exited(code));
            }
            EndMode::Remote => {
                if self.flush_forward().is_err() {
                    return;
                }
                // Logged after the output, before End: once the origin has End
                // it may exit, and `g2n run` then stops the hosts.
                end_event(self);
                let frame = Frame {
                    version: wire::PROTOCOL_VERSION,
                    flow_id: self.id,
                    step: self.step,
                    kind: Kind::End { seq: self.next_seq, exit_code: code },
                };
                let deadline = self.unit.deadline();
                if let Out::Forward { origin, .. } = &mut self.out
                    && let Err(e) = origin.exchange(&frame, &self.key, deadline)
                {
                    self.report_lost_origin(e);
                }
            }
        }
    }

    /// `goToNetwork` through exit `exit_index` with the values in `scope`.
    pub(crate) fn go_to_network(&mut self, exit_index: u32, scope: &Scope) {
        match self.hand_off(exit_index, scope) {
            Ok(()) => {
                self.state = State::HandedOff;
                // The next host speaks for the flow from now on.
                self.heartbeat = None;
            }
            Err(msg) => {
                self.write(Stream::Stderr, format!("{msg}\n").as_bytes());
                self.finish(1);
            }
        }
    }

    fn hand_off(&mut self, exit_index: u32, scope: &Scope) -> Result<(), String> {
        let unit = self.unit.clone();
        let exit = unit
            .desc
            .exits
            .iter()
            .find(|e| e.index == exit_index)
            .ok_or_else(|| format!("g2n: internal error: unit '{}' has no exit {exit_index}", unit.desc.unit))?;
        let target = &exit.target;
        let wire_scope = scope.to_wire(&exit.vars).map_err(|e| format!("g2n: goToNetwork '{target}': {e}"))?;
        let stats = wire_scope.stats;
        let (Some(route), Some(key)) = (unit.config.routes.get(target), unit.route_keys.get(target)) else {
            return Err(format!(
                "g2n: no route to nanoservice '{target}': the runtime configuration (G2N_RUNTIME) has no route for it; run the program with `g2n run` or configure routes.{target}"
            ));
        };
        let flow = hex(&self.id);
        self.flush_forward().map_err(|e| format!("g2n: flow {flow}: handoff to '{target}' failed: {e}"))?;
        let frame = Frame {
            version: wire::PROTOCOL_VERSION,
            flow_id: self.id,
            step: self.step + 1,
            kind: Kind::Handoff(Handoff {
                username: route.credential.username.clone(),
                target: target.clone(),
                from: unit.desc.unit.clone(),
                resume_point: exit.resume_point,
                origin: self.origin.clone(),
                flow_key: self.key,
                out_seq: self.next_seq,
                scope: wire_scope.values,
                graph: wire_scope.graph,
            }),
        };
        match Peer::new(&route.addr, &unit.desc.unit).exchange(&frame, key, unit.deadline()) {
            Ok(d) => {
                tracing::info!(
                    pid = std::process::id(),
                    unit = %unit.desc.unit,
                    flow = %flow,
                    step = frame.step,
                    from = %unit.desc.unit,
                    to = %target,
                    addr = %route.addr,
                    resume_point = exit.resume_point,
                    bytes = d.bytes,
                    graph_bytes = stats.wire_bytes,
                    graph_objects = stats.objects,
                    value_bytes = stats.value_bytes,
                    attempts = d.attempts,
                    latency_us = d.latency.as_micros() as u64,
                    "hop.send"
                );
                self.step = frame.step;
                Ok(())
            }
            Err(e) => {
                tracing::error!(
                    pid = std::process::id(),
                    unit = %unit.desc.unit,
                    flow = %flow,
                    step = frame.step,
                    from = %unit.desc.unit,
                    to = %target,
                    addr = %route.addr,
                    error = %e,
                    "hop.failed"
                );
                Err(format!("g2n: flow {flow}: handoff to '{target}' {e}"))
            }
        }
    }
}

/// Ends the current thread's flow; never returns (see the module comment).
pub fn end_flow(code: i32) -> ! {
    match take() {
        Some(mut flow) => {
            flow.finish(code);
            // Still here: a host or in-process flow. Keep the context so any
            // stray call from this thread still finds it, then park forever.
            install(flow);
            loop {
                std::thread::park();
            }
        }
        None => {
            LocalSink::Process.flush();
            std::process::exit(code);
        }
    }
}

/// Writes `msg` to the flow's stderr and ends it with `code`.
pub fn fail_flow(msg: &str, code: i32) -> ! {
    write_output(Stream::Stderr, format!("{msg}\n").as_bytes());
    end_flow(code)
}

/// A failure of the runtime itself, outside any flow's control.
pub fn fatal(msg: &str) -> ! {
    let _ = std::io::stdout().lock().flush();
    let _ = writeln!(std::io::stderr(), "{msg}");
    std::process::exit(2);
}

/// Flushes the process's own streams (before it exits).
pub(crate) fn fatal_flush() {
    LocalSink::Process.flush();
}

/// A message on stderr outside any unit's context (startup errors).
pub(crate) fn log_plain(msg: &str) {
    let _ = std::io::stdout().lock().flush();
    let _ = writeln!(std::io::stderr(), "{msg}");
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
