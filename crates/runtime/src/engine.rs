//! The seam for a remote engine: another transport for the hops that leave a
//! host (docs/protocol.md, "The NATS engine").
//!
//! The runtime itself knows g2n's TCP protocol only. An engine lives in its
//! own crate (crates/runtime-nats), linked into an executable only when it
//! asks for it (`g2n build --engine nats`), and registers itself here at
//! process start. When the runtime configuration says `engine: "nats"`,
//! `g2n_rt_main` hands the whole process to the registered engine
//! ([`RemoteEngine::run_host`]); the engine receives steps its own way,
//! checks each with [`check_handoff`] (the same checks as the TCP server),
//! and runs it with [`run_flow`], giving the flow a [`FlowLink`] through
//! which its output, its next handoff and its end leave the host. Generated
//! code is the same for every transport: an in-host hop stays in memory, a
//! hop to another host goes to the link.

use crate::flow::{self, EndMode, Flow, Out, State, Unit};
use crate::graph::Received;
use crate::host::Host;
use crate::scope::{Scope, check_wire_scope, sanitize};
use crate::wire::{self, FlowId, Handoff, Key, Kind, Stream};
use std::sync::{Arc, OnceLock};

/// A transport that runs a host process.
pub trait RemoteEngine: Send + Sync {
    /// The configuration's name for it (`nats`).
    fn name(&self) -> &'static str;
    /// Runs the process as its configuration says (origin or host) and
    /// returns the exit code; `own` is the nanoservice the executable runs as.
    fn run_host(&self, host: Arc<Host>, own: u32) -> i32;
}

static ENGINE: OnceLock<&'static dyn RemoteEngine> = OnceLock::new();

/// Registers the engine linked into this executable (once; a second
/// registration is ignored and returns false).
pub fn register(engine: &'static dyn RemoteEngine) -> bool {
    ENGINE.set(engine).is_ok()
}

/// The engine linked into this executable, if any.
pub fn registered() -> Option<&'static dyn RemoteEngine> {
    ENGINE.get().copied()
}

/// Where a flow is when it calls its link.
pub struct FlowAt<'a> {
    pub id: &'a FlowId,
    /// The step running now (the handoff's step is `step + 1`).
    pub step: u64,
    /// The nanoservice running now.
    pub unit: &'a str,
    /// The flow key (tags output and end).
    pub key: &'a Key,
}

/// Why a link could not do what the flow asked.
pub enum LinkError {
    /// The flow cannot go on: it ends with exit code 1 and this message.
    Fatal(String),
    /// This host gives the step up (its publish could not be stored in
    /// time); the engine has arranged for the step to run again elsewhere,
    /// so the flow thread just stops.
    Abandoned(String),
    /// The engine refused this effect for good (on NATS: the server's
    /// authorization does not let this nanoservice's user publish there),
    /// so no replica can do better: the flow ends here with exit code 1 and
    /// this message, which the link still stores with the flow's end.
    Refused(String),
}

/// How a flow's effects leave its host on an engine. Each call returns once
/// the engine has stored the effect (or failed to).
pub trait FlowLink: Send {
    /// Output chunk number `seq` of the flow (numbers count across the whole
    /// flow, so a re-run step produces the same numbers).
    fn output(&mut self, at: &FlowAt, seq: u64, stream: Stream, bytes: &[u8]) -> Result<(), LinkError>;
    /// The flow's next step, to nanoservice `target`: `frame` is a whole
    /// wire frame (a Handoff of step `at.step + 1`, HMAC-tagged).
    fn hand_off(&mut self, at: &FlowAt, target: &str, frame: Vec<u8>) -> Result<(), LinkError>;
    /// The flow ended after `seq` output chunks.
    fn end(&mut self, at: &FlowAt, seq: u64, exit_code: i32);
}

/// A handoff that passed every check, ready to run.
pub struct Accepted {
    pub unit: Arc<Unit>,
    pub id: FlowId,
    pub step: u64,
    handoff: Handoff,
    checked: Option<Received>,
}

impl Accepted {
    /// The sending nanoservice (as the frame says; logs only).
    pub fn from(&self) -> String {
        sanitize(&self.handoff.from)
    }

    /// When the sender made the handoff (its clock, ms since the epoch;
    /// authenticated by the frame's tag): what an engine's replay check
    /// compares with the time its transport stored the handoff.
    pub fn created_ms(&self) -> u64 {
        self.handoff.created_ms
    }
}

/// Checks a received handoff frame (length, body, tag) for a nanoservice of
/// `host`, exactly as the TCP server does before generated code sees a
/// value (docs/protocol.md, "Handoff", receiver steps 1-7): size, version and
/// full decode, kind, credentials and HMAC, target, resume point, scope. The
/// error is the reason to log.
pub fn check_handoff(host: &Host, bytes: &[u8]) -> Result<Accepted, String> {
    let raw = wire::read_frame(&mut &bytes[..]).map_err(|e| e.to_string())?;
    let frame = raw.decode()?;
    let Kind::Handoff(h) = frame.kind else {
        return Err("unexpected frame kind: this endpoint accepts only handoffs".into());
    };
    let auth_failed = || format!("authentication failed for user '{}'", sanitize(&h.username));
    let hosted = host.unit(&h.target);
    let keys = if hosted.is_some() { host.accept_keys_for(&h.target) } else { host.accept_keys_for("") };
    let key = keys.get(&h.username).ok_or_else(auth_failed)?;
    if !raw.verify(key) {
        return Err(auth_failed());
    }
    let unit = match hosted {
        Some(Ok(unit)) => unit,
        Some(Err(e)) => return Err(format!("nanoservice '{}' cannot run here: {e}", sanitize(&h.target))),
        None => return Err(format!("handoff is for nanoservice '{}', which host '{}' does not serve", sanitize(&h.target), host.name)),
    };
    let entry = unit
        .desc
        .entries
        .iter()
        .find(|e| e.resume_point == h.resume_point)
        .ok_or_else(|| format!("nanoservice '{}' has no resume point {}", unit.desc.unit, h.resume_point))?;
    // No age check (`created_ms`) against now here, unlike the TCP server:
    // a step may wait in its stream for as long as its nanoservice has no
    // host. The engine compares `created_ms` with the time its transport
    // stored the handoff instead (see "Replays on NATS" in
    // docs/protocol.md).
    let checked = check_wire_scope(&entry.vars, &h.scope, &h.graph, &host.graph_budget).map_err(|e| match e.memory {
        Some(short) => short.reason(),
        None => format!("scope mismatch at resume point {}: {}", h.resume_point, e.reason),
    })?;
    Ok(Accepted { unit, id: frame.flow_id, step: frame.step, handoff: h, checked })
}

/// Runs a checked handoff on the current thread until the flow leaves this
/// host or ends, every effect going through `link`.
pub fn run_accepted(host: Arc<Host>, a: Accepted, link: Box<dyn FlowLink>) {
    let h = a.handoff;
    let scope = Box::new(Scope::from_wire(h.scope, a.checked));
    run(host, a.unit, a.id, a.step, h.flow_key, h.out_seq, h.resume_point, scope, link);
}

/// Starts a new flow (step 0, resume point 0) on the current thread, every
/// effect going through `link`: the origin's part of a flow on an engine.
pub fn run_new_flow(host: Arc<Host>, unit: Arc<Unit>, id: FlowId, key: Key, link: Box<dyn FlowLink>) {
    run(host, unit, id, 0, key, 0, 0, Box::new(Scope::from_wire(Vec::new(), None)), link);
}

#[allow(clippy::too_many_arguments)]
fn run(host: Arc<Host>, unit: Arc<Unit>, id: FlowId, step: u64, key: Key, next_seq: u64, resume_point: u32, scope: Box<Scope>, link: Box<dyn FlowLink>) {
    let entry = unit.entry;
    flow::install(Flow {
        unit,
        host,
        next_local: None,
        inbound: None,
        parking: false,
        id,
        step,
        key,
        origin: String::new(),
        next_seq,
        out: Out::Engine { pending: Vec::new(), pending_len: 0, link, failed: false },
        end: EndMode::Engine,
        state: State::Running,
        heartbeat: None,
    });
    flow::run_steps(entry, resume_point, scope);
    if let Some(mut flow) = flow::take()
        && flow.state == State::Running
    {
        flow.finish(0);
    }
}

/// Starts a thread for a flow: registered with the collector, with a
/// flow's generous stack (generated code may recurse).
pub fn spawn_flow_thread(name: &str, f: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    crate::gc::thread_builder().name(name.into()).stack_size(16 << 20).spawn(f).map(|_| ())
}

impl Flow {
    fn at(&self) -> (FlowId, u64, String, Key) {
        (self.id, self.step, self.unit.desc.unit.clone(), self.key)
    }

    /// Stores the buffered output through the link. After a failure the
    /// flow's effects stop here (`failed`): a Fatal one ends the flow, an
    /// Abandoned one leaves the step to its redelivery.
    pub(crate) fn flush_engine(&mut self) -> Result<(), LinkError> {
        let (id, step, unit, key) = self.at();
        let Out::Engine { pending, pending_len, link, failed } = &mut self.out else { return Ok(()) };
        if *failed {
            return Err(LinkError::Abandoned("an earlier publish failed".into()));
        }
        let at = FlowAt { id: &id, step, unit: &unit, key: &key };
        for (stream, bytes) in std::mem::take(pending) {
            for chunk in bytes.chunks(flow::OUTPUT_CHUNK) {
                if let Err(e) = link.output(&at, self.next_seq, stream, chunk) {
                    *failed = true;
                    *pending_len = 0;
                    return Err(e);
                }
                self.next_seq += 1;
            }
        }
        *pending_len = 0;
        Ok(())
    }

    /// A hop to a nanoservice on another host, over the engine: output
    /// first, then the handoff frame, tagged with the route's credentials.
    /// Ok when the flow has left this thread (stored, or abandoned).
    pub(crate) fn engine_hand_off(&mut self, target: &str, resume_point: u32, wire_scope: crate::scope::WireScope) -> Result<(), String> {
        let unit = self.unit.clone();
        let (route, key) = self.route_to(&unit, target)?;
        match self.flush_engine() {
            Ok(()) => {}
            Err(LinkError::Fatal(e) | LinkError::Refused(e)) => return Err(e),
            Err(LinkError::Abandoned(_)) => return Ok(()),
        }
        let frame = self.next_handoff(route, target, resume_point, String::new(), wire_scope);
        let bytes = wire::encode(&frame, Some(&key));
        let (id, step, unit_name, flow_key) = self.at();
        let Out::Engine { link, failed, .. } = &mut self.out else { return Ok(()) };
        let at = FlowAt { id: &id, step, unit: &unit_name, key: &flow_key };
        match link.hand_off(&at, target, bytes) {
            Ok(()) => {
                self.step += 1;
                Ok(())
            }
            Err(LinkError::Fatal(e)) => {
                *failed = true;
                Err(e)
            }
            Err(LinkError::Abandoned(_)) => {
                *failed = true;
                Ok(())
            }
            // The handoff was refused; the flow's output and end can still
            // be stored.
            Err(LinkError::Refused(e)) => Err(e),
        }
    }

    /// The end of a flow on an engine: output, then End.
    pub(crate) fn engine_end(&mut self, code: i32) {
        let code = match self.flush_engine() {
            Ok(()) => code,
            Err(LinkError::Abandoned(_)) => return,
            // Output that cannot be stored: the end says so on stderr if it
            // can, with exit code 1.
            Err(LinkError::Fatal(_) | LinkError::Refused(_)) => return,
        };
        let (id, step, unit, key) = self.at();
        let seq = self.next_seq;
        if let Out::Engine { link, .. } = &mut self.out {
            link.end(&FlowAt { id: &id, step, unit: &unit, key: &key }, seq, code);
        }
    }
}

/// The message a process prints when its configuration asks for an engine
/// that was not linked into it.
pub fn not_linked(name: &str) -> String {
    format!(
        "g2n: the runtime configuration asks for the '{name}' engine, but this executable was linked without it; build it with `g2n build --engine {name}` (or run it with `g2n run --engine {name}`)"
    )
}
