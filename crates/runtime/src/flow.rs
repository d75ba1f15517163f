//! The flow running on the current thread: where its output goes, how it ends,
//! and how it moves on (`goToNetwork`).
//!
//! Generated code calls plain C functions with no context argument, so the
//! flow's context lives in a thread-local: each flow runs on its own thread
//! (the origin's flow thread, or one thread per received handoff), made by
//! `crate::stack::spawn_flow_thread` with Go's stack size.
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
use crate::host::Host;
use crate::scope::Scope;
use crate::wire::{self, FlowId, Frame, Handoff, Key, Kind, Stream};
use g2n_abi::{UnitDescriptor, UnitEntryFn};
use std::cell::RefCell;
use std::io::Write;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Largest Output frame payload; well under the frame limit.
pub(crate) const OUTPUT_CHUNK: usize = 1 << 20;
/// Forwarded output is sent early once this much is pending, to bound memory.
const OUTPUT_HIGH_WATER: usize = 4 << 20;

/// A compiled unit with its configuration, shared by all its flows.
pub struct Unit {
    pub desc: UnitDescriptor,
    /// The host's configuration (one per process, shared by its units).
    pub config: Arc<RuntimeConfig>,
    pub entry: UnitEntryFn,
    /// Its program table's address when the executable holds several
    /// separately compiled configs (each its own program); 0: the
    /// process's one program (`g2n_register_program`).
    pub program: usize,
    /// Its index in the executable's table of nanoservices: what
    /// `g2n_flow_unit` returns, for generated code's "hop to myself" test.
    pub index: u32,
}

impl Unit {
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
                // Errors are ignored like Go's fmt ignores them, but for a
                // closed pipe once SIGPIPE is caught (crate::process).
                match stream {
                    Stream::Stdout => {
                        crate::process::check_standard_write(std::io::stdout().lock().write_all(bytes));
                    }
                    Stream::Stderr => {
                        // Keep the two streams in program order on a terminal.
                        crate::process::check_standard_write(std::io::stdout().lock().flush());
                        crate::process::check_standard_write(std::io::stderr().lock().write_all(bytes));
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
            crate::process::check_standard_write(std::io::stdout().lock().flush());
            crate::process::check_standard_write(std::io::stderr().lock().flush());
        }
    }
}

pub(crate) enum Out {
    /// On the origin: straight to its streams.
    Local(LocalSink),
    /// On a serving host: buffered, then sent to the origin as Output frames.
    Forward { pending: Vec<(Stream, Vec<u8>)>, pending_len: usize, origin: Peer },
    /// On a remote engine (crate::engine): buffered like `Forward`, then
    /// stored through the engine's link; `failed` once a store failed.
    Engine { pending: Vec<(Stream, Vec<u8>)>, pending_len: usize, link: Box<dyn crate::engine::FlowLink>, failed: bool },
}

/// What ending the flow means on this thread.
pub(crate) enum EndMode {
    /// The origin's flow thread: exit the process with the code.
    ExitProcess,
    /// An origin run in-process (tests): report the code to the waiting caller.
    Channel(Sender<LocalEvent>),
    /// A serving host: send End to the origin.
    Remote,
    /// On a remote engine: End through the engine's link.
    Engine,
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
    /// The nanoservice the flow runs on now (changes at an in-host hop).
    pub(crate) unit: Arc<Unit>,
    /// The process's host: which targets are local, and the keys for the rest.
    pub(crate) host: Arc<Host>,
    /// Set by an in-host hop: where the flow goes on once the unit entry
    /// has returned (see [`run_steps`]).
    pub(crate) next_local: Option<LocalNext>,
    /// The handoff this host received the flow by (None on the origin):
    /// when the step it started has finished, Done goes back on its
    /// connection (durable handoffs, docs/protocol.md).
    pub(crate) inbound: Option<Inbound>,
    /// Set when the flow ends from inside generated code (os.Exit, panic):
    /// its thread parks forever after `finish`.
    pub(crate) parking: bool,
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

/// Where the Done of a received step goes: the handoff's connection (handed
/// over by the connection thread once its Ack is written) and the key that
/// tagged the handoff.
pub(crate) struct Inbound {
    pub(crate) step: u64,
    pub(crate) key: Key,
    pub(crate) conn: std::sync::mpsc::Receiver<crate::net::Conn>,
}

/// The resume point and scope of an in-host hop, until the next unit entry.
pub(crate) struct LocalNext(u32, Box<Scope>);

// SAFETY: a scope's raw pointers are roots in never-collected memory owned by
// the scope; a `LocalNext` only exists between an in-host hop and the next
// entry call on the same thread, and a `Flow` (which holds it) moves to its
// thread before it runs, when there is none.
unsafe impl Send for LocalNext {}

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
    if stream == Stream::Stdout && crate::testing::captured(bytes) {
        return;
    }
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
            Out::Forward { pending, pending_len, .. } | Out::Engine { pending, pending_len, .. } => {
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
        if let Out::Engine { .. } = self.out {
            return self.flush_engine().map_err(|_| "the engine could not store the flow's output".to_string());
        }
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
            EndMode::Engine => self.engine_end(code),
            EndMode::Remote => {
                if self.flush_forward().is_err() {
                    // The origin is gone: running the step again cannot help.
                    self.step_finished();
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
                self.step_finished();
            }
        }
    }

    /// The route to `target` (another host's nanoservice) and the key its
    /// handoffs are tagged with, or the error a hop without one ends with.
    /// `unit` is the flow's current nanoservice, held by the caller so the
    /// route stays borrowed while the flow itself is borrowed mutably.
    pub(crate) fn route_to<'u>(&self, unit: &'u Unit, target: &str) -> Result<(&'u crate::config::Route, Key), String> {
        match (unit.config.routes.get(target), self.host.route_keys.get(target).copied()) {
            (Some(route), Some(key)) => Ok((route, key)),
            _ => Err(format!(
                "g2n: no route to nanoservice '{target}': the runtime configuration (G2N_RUNTIME) has no route for it; run the program with `g2n run` or configure routes.{target}"
            )),
        }
    }

    /// The handoff frame of this flow's next step to `target`, over either
    /// transport (TCP or an engine), stamped now.
    pub(crate) fn next_handoff(&self, target: &str, resume_point: u32, origin: String, wire_scope: crate::scope::WireScope) -> Frame {
        Frame {
            version: wire::PROTOCOL_VERSION,
            flow_id: self.id,
            step: self.step + 1,
            kind: Kind::Handoff(Handoff {
                target: target.to_string(),
                from: self.unit.desc.unit.clone(),
                resume_point,
                origin,
                flow_key: self.key,
                out_seq: self.next_seq,
                scope: wire_scope.values,
                graph: wire_scope.graph,
                created_ms: wire::now_ms(),
            }),
        }
    }

    /// `goToNetwork` through exit `exit_index` with the values in `scope`.
    pub(crate) fn go_to_network(&mut self, exit_index: u32, scope: &Scope) {
        match self.hand_off(exit_index, scope) {
            // An in-host hop: the flow keeps running in this process.
            Ok(()) if self.next_local.is_some() => {}
            Ok(()) => {
                self.state = State::HandedOff;
                // The next host speaks for the flow from now on.
                self.heartbeat = None;
                self.step_finished();
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
        let (timers, blocked) = crate::sema::waiting();
        // A hop to a nanoservice of this host and this program keeps the
        // flow on this thread, with this thread's scheduler: goroutines that
        // are alive go on beside it. Then the scope is shared, not copied,
        // so that they and the flow still see the same memory (docs/split.md,
        // "Goroutines at a hop").
        let others = crate::sched::others_alive();
        if (others > 0 || timers > 0 || blocked > 0)
            && let Some(Ok(local)) = self.host.unit(target)
            && local.program == unit.program
        {
            let passed = InHostScope::Shared { vars: &exit.vars, scope };
            return self.hand_off_in_host(local, exit.index, exit.resume_point, passed, std::time::Instant::now());
        }
        // Otherwise a sleeping goroutine, a running timer or a goroutine
        // blocked in sync stays on this thread's scheduler, which the flow
        // leaves: refused rather than lost (docs/split.md, "sync and time at
        // a hop").
        if timers > 0 {
            return Err(format!(
                "g2n: goToNetwork '{target}': {timers} timer{} still running (time.Sleep, or a Timer or Ticker neither fired nor stopped); timers stay where they run",
                if timers == 1 { " is" } else { "s are" }
            ));
        }
        if blocked > 0 {
            return Err(format!(
                "g2n: goToNetwork '{target}': {blocked} goroutine{} blocked in sync (a Mutex, RWMutex, WaitGroup or Cond); goroutines stay where they run",
                if blocked == 1 { " is" } else { "s are" }
            ));
        }
        let started = std::time::Instant::now();
        let wire_scope = scope.to_wire(&exit.vars).map_err(|e| format!("g2n: goToNetwork '{target}': {e}"))?;
        let stats = wire_scope.stats;
        if let Some(local) = self.host.unit(target) {
            let local = local.map_err(|e| format!("g2n: goToNetwork '{target}': {e}"))?;
            return self.hand_off_in_host(local, exit.index, exit.resume_point, InHostScope::Wire(wire_scope), started);
        }
        if let Out::Engine { .. } = self.out {
            return self.engine_hand_off(target, exit.resume_point, wire_scope);
        }
        let (route, key) = self.route_to(&unit, target)?;
        let flow = hex(&self.id);
        self.flush_forward().map_err(|e| format!("g2n: flow {flow}: handoff to '{target}' failed: {e}"))?;
        let frame = self.next_handoff(target, exit.resume_point, self.origin.clone(), wire_scope);
        let mut peer = Peer::with_conn(&route.addr, &unit.desc.unit, self.host.pooled(&route.addr), &self.host.transport);
        match peer.exchange(&frame, &key, unit.deadline()) {
            Ok(d) => {
                // Durable handoff: keep it until the receiver says its step
                // has finished, and hand it again to a receiver that died.
                if let Some(conn) = peer.take_conn() {
                    watch_handoff(self.host.clone(), conn, frame.clone(), key, route.addr.clone(), unit.desc.unit.clone(), unit.deadline());
                }
                tracing::info!(
                    pid = std::process::id(),
                    unit = %unit.desc.unit,
                    flow = %flow,
                    step = frame.step,
                    from = %unit.desc.unit,
                    to = %target,
                    exit = exit.index,
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

impl Flow {
    /// The step this host received has finished (the flow left this host or
    /// ended): Done to the handoff's sender, and to any re-sender waiting.
    fn step_finished(&mut self) {
        let Some(inbound) = self.inbound.take() else { return };
        let waiting = self.host.finish_step(self.id, inbound.step);
        let done = crate::server::done_frame(self.id, inbound.step);
        // The connection thread hands the connection over right after
        // writing the Ack; a little patience covers that gap.
        if let Ok(mut conn) = inbound.conn.recv_timeout(Duration::from_secs(5)) {
            let _ = wire::write_frame(&mut conn, &done, Some(&inbound.key));
            if self.parking {
                // This thread (the connection's) parks for good after an
                // os.Exit or a panic: close the connection so the sender does
                // not reuse it for a handoff nobody would read.
                let _ = conn.shutdown(std::net::Shutdown::Both);
            }
        }
        for (mut conn, key) in waiting {
            let _ = wire::write_frame(&mut conn, &done, Some(&key));
        }
    }

    /// A hop to a nanoservice of this host: the flow goes on on this thread
    /// once the current unit entry has returned ([`run_steps`]), and the step
    /// is traced (not recorded: see below). No frame, no socket, no HMAC:
    /// both ends are this process. What the target's entry receives is
    /// checked against it either way ([`InHostScope`]).
    fn hand_off_in_host(&mut self, target: Arc<Unit>, exit: u32, resume_point: u32, passed: InHostScope<'_>, started: std::time::Instant) -> Result<(), String> {
        let flow = hex(&self.id);
        let from = self.unit.desc.unit.clone();
        let to = target.desc.unit.clone();
        let refused = |reason: String| format!("g2n: flow {flow}: handoff to '{to}' refused: {reason}");
        let mismatch = |reason: String| refused(format!("scope mismatch at resume point {resume_point}: {reason}"));
        let Some(entry) = target.desc.entries.iter().find(|e| e.resume_point == resume_point) else {
            return Err(refused(format!("nanoservice '{to}' has no resume point {resume_point}")));
        };
        let step = self.step + 1;
        // No (flow, step) record: this thread is the only one that can run
        // the flow's next step, and steps only grow, so an in-host step
        // cannot repeat; a network duplicate of it needs a handoff frame,
        // which only a hop over the network makes (and the server records).
        // A long in-host loop therefore keeps no per-hop state.
        let (scope, stats) = match passed {
            InHostScope::Wire(wire_scope) => {
                let stats = wire_scope.stats;
                // Checked with the receiver's program, as its server would.
                let checked = crate::graph::with_program(target.program, || {
                    crate::scope::check_wire_scope(&entry.vars, &wire_scope.values, &wire_scope.graph, &self.host.graph_budget)
                })
                .map_err(|e| match e.memory {
                    Some(short) => refused(short.reason()),
                    None => mismatch(e.reason),
                })?;
                (Scope::from_wire(wire_scope.values, checked), Some(stats))
            }
            InHostScope::Shared { vars, scope } => (scope.share(vars, &entry.vars).map_err(mismatch)?, None),
        };
        if tracing::enabled!(tracing::Level::INFO) {
            let latency_us = started.elapsed().as_micros() as u64;
            match stats {
                Some(stats) => {
                    tracing::info!(
                        pid = std::process::id(),
                        unit = %from,
                        flow = %flow,
                        step,
                        from = %from,
                        to = %to,
                        exit,
                        addr = "in-host",
                        resume_point,
                        bytes = 0u64,
                        graph_bytes = stats.wire_bytes,
                        graph_objects = stats.objects,
                        value_bytes = stats.value_bytes,
                        attempts = 1u32,
                        latency_us,
                        "hop.send"
                    );
                    tracing::info!(pid = std::process::id(), unit = %to, flow = %flow, step, from = %from, to = %to, peer = "in-host", resume_point, bytes = 0u64, latency_us, "hop.recv");
                }
                None => {
                    tracing::info!(pid = std::process::id(), unit = %from, flow = %flow, step, from = %from, to = %to, exit, addr = "in-host", resume_point, bytes = 0u64, shared = true, attempts = 1u32, latency_us, "hop.send");
                    tracing::info!(pid = std::process::id(), unit = %to, flow = %flow, step, from = %from, to = %to, peer = "in-host", resume_point, bytes = 0u64, shared = true, latency_us, "hop.recv");
                }
            }
        }
        self.step = step;
        self.unit = target;
        self.next_local = Some(LocalNext(resume_point, Box::new(scope)));
        Ok(())
    }
}

/// What a hop to a nanoservice of this host passes to the target's entry
/// ([`Flow::hand_off_in_host`]).
enum InHostScope<'a> {
    /// The scope encoded by [`Scope::to_wire`], checked and decoded against
    /// the target's entry exactly as a received frame would be.
    Wire(crate::scope::WireScope),
    /// The exit's variables as they are ([`Scope::share`]), checked against
    /// the target's entry: other goroutines are alive and share memory with
    /// the flow (docs/split.md, "Goroutines at a hop").
    Shared { vars: &'a [g2n_abi::ScopeVar], scope: &'a Scope },
}

/// The sender's half of a durable handoff (protocol v3): waits on the
/// handoff's connection for the receiver's Done. If the connection breaks
/// first (the receiving process died: kill -9, crash), the handoff is sent
/// again, with the usual retries until the deadline, to whatever now listens
/// at the address (a restarted receiver runs the step again; its output is
/// deduplicated by sequence number at the origin, and its own next handoff
/// by (flow, step) at the next receiver), and the wait starts over.
/// Bounded: every re-send has the handoff deadline; a receiver that keeps
/// the connection open without Done is alive and running the step.
fn watch_handoff(host: Arc<Host>, conn: crate::net::Conn, frame: Frame, key: Key, addr: String, unit: String, deadline: Duration) {
    let spawned = crate::gc::thread_builder().name("g2n-watch".into()).spawn(move || {
        let mut conn = conn;
        let flow = hex(&frame.flow_id);
        loop {
            let _ = conn.set_read_timeout(None);
            let lost = match wire::read_frame(&mut conn, &key) {
                Ok(raw) => match raw.decode() {
                    Ok(f) if f.kind == Kind::Done && f.flow_id == frame.flow_id && f.step == frame.step && raw.verify(&key) => {
                        // The receiver serves the connection again: keep it.
                        host.keep(&addr, conn);
                        return;
                    }
                    _ => "unexpected frame instead of Done".to_string(),
                },
                Err(e) => e.to_string(),
            };
            tracing::warn!(pid = std::process::id(), unit = %unit, flow = %flow, step = frame.step, addr = %addr, error = %lost, "hop.resend");
            // Traced, not printed: on the origin, stderr is the program's.
            let mut peer = Peer::new(&addr, &unit, &host.transport);
            match peer.exchange(&frame, &key, deadline) {
                Ok(_) => match peer.take_conn() {
                    Some(c) => conn = c,
                    None => return,
                },
                Err(e) => {
                    // The origin's liveness timeout reports the lost flow.
                    tracing::error!(pid = std::process::id(), unit = %unit, flow = %flow, step = frame.step, addr = %addr, error = %e, "hop.failed");
                    return;
                }
            }
        }
    });
    // Without the thread the handoff is as durable as in version 2.
    let _ = spawned;
}

/// Runs the flow installed on this thread from `resume_point` with `scope`,
/// and on after every in-host hop: the unit entry returns after a hop, and
/// the next nanoservice's entry is called from here, so a flow that hops
/// through many nanoservices of one host does not grow the stack. Each step
/// runs the entry of the nanoservice the flow is on (the same one for every
/// nanoservice of a split program, its own for each of several configs)
/// with that nanoservice's program in use.
pub(crate) fn run_steps(entry: UnitEntryFn, mut resume_point: u32, mut scope: Box<Scope>) {
    let current = || FLOW.with(|f| f.borrow().as_ref().map(|f| (f.unit.entry, f.unit.program)));
    let (mut entry, mut program) = current().unwrap_or((entry, 0));
    loop {
        crate::graph::use_program(program);
        let raw = Box::into_raw(scope);
        // SAFETY: `entry` is the host's compiled unit entry (or a test
        // stand-in) with the UnitEntryFn contract; the scope stays alive
        // until it returns.
        unsafe { entry(resume_point, raw.cast()) };
        // SAFETY: from Box::into_raw above; runtime-owned scopes are freed
        // only here.
        drop(unsafe { Box::from_raw(raw) });
        let next = FLOW.with(|f| {
            f.borrow_mut().as_mut().and_then(|f| if f.state == State::Running { f.next_local.take().map(|n| (n, f.unit.entry, f.unit.program)) } else { None })
        });
        match next {
            Some((LocalNext(rp, sc), e, p)) => (resume_point, scope, entry, program) = (rp, sc, e, p),
            None => return,
        }
    }
}

/// The index of the nanoservice the current thread's flow runs on, or -1.
pub fn current_unit_index() -> i64 {
    FLOW.with(|f| f.try_borrow().ok().and_then(|f| f.as_ref().map(|f| f.unit.index as i64)).unwrap_or(-1))
}

/// The name of the nanoservice the current thread's flow runs on, when it
/// is one of a mesh: it hops on, or flows arrive on it by a hop. A program
/// without `goToNetwork` is no nanoservice to its user (its trace is Go's).
pub fn current_mesh_unit_name() -> Option<String> {
    FLOW.with(|f| {
        f.try_borrow().ok().and_then(|f| {
            f.as_ref()
                .filter(|f| !f.unit.desc.exits.is_empty() || f.unit.desc.entries.iter().any(|e| e.resume_point != 0))
                .map(|f| f.unit.desc.unit.clone())
        })
    })
}

/// Ends the current thread's flow; never returns (see the module comment).
pub fn end_flow(code: i32) -> ! {
    match take() {
        Some(mut flow) => {
            flow.parking = true;
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
