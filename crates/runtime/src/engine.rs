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
use crate::wire::{self, FlowId, Handoff, Key, Kind, RawFrame, Stream};
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
    /// The credential key it was tagged with (replies are tagged with it).
    pub(crate) key: Key,
    pub(crate) handoff: Handoff,
    pub(crate) checked: Option<Received>,
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

/// Why a received handoff was refused. What a receiver may answer depends
/// on how far the check got: before the sender is authenticated a Nack is
/// untagged, after it tagged with the sender's key.
pub(crate) enum Refusal {
    /// The body does not decode: nothing more on its connection can be trusted.
    Malformed(String),
    /// It decodes, but is not a handoff.
    Unexpected { flow_id: FlowId, step: u64, reason: String },
    /// The body's tag does not verify under the key its header named, or
    /// that key may not hand flows to the target ([`wire::AUTH_FAILED`]).
    Auth { flow_id: FlowId, step: u64 },
    /// Authenticated, and refused for good.
    Refused { flow_id: FlowId, step: u64, key: Key, reason: String },
    /// Its scope graph would fit once graphs in flight are done: the
    /// sender should retry later.
    Busy(String),
}

impl Refusal {
    pub(crate) fn reason(&self) -> String {
        match self {
            Refusal::Malformed(r) | Refusal::Unexpected { reason: r, .. } | Refusal::Refused { reason: r, .. } | Refusal::Busy(r) => r.clone(),
            Refusal::Auth { .. } => wire::AUTH_FAILED.to_string(),
        }
    }
}

/// Checks a received handoff frame (length, header, body, tag) for a
/// nanoservice of `host`, exactly as the TCP server does before generated
/// code sees a value (docs/protocol.md, "Handoff", receiver steps 1-7):
/// size, header key, version and full decode, kind, HMAC and the key's
/// right to the target, target, resume point, scope. The error is the
/// reason to log.
pub fn check_handoff(host: &Host, bytes: &[u8]) -> Result<Accepted, String> {
    let raw = wire::read_frame(&mut &bytes[..], host).map_err(|e| e.to_string())?;
    // No age check (`created_ms`) against now here, unlike the TCP server:
    // a step may wait in its stream for as long as its nanoservice has no
    // host. The engine compares `created_ms` with the time its transport
    // stored the handoff instead (see "Replays on NATS" in
    // docs/protocol.md).
    check_frame(host, &raw, |_| Ok(())).map_err(|r| r.reason())
}

/// The checks of a handoff whose header was authenticated and body read
/// (receiver steps 2-7). `authenticated` runs once the sender is known and
/// before anything else is looked at (the TCP server's age window).
pub(crate) fn check_frame(host: &Host, raw: &RawFrame, authenticated: impl FnOnce(&Handoff) -> Result<(), String>) -> Result<Accepted, Refusal> {
    // A body that is not the one its (authenticated) header was made for
    // is refused before it is parsed: a replayed header with a body of the
    // replayer's choice gets no further than this (protocol v6).
    if raw.key.is_some() && !raw.authentic() {
        return Err(Refusal::Auth { flow_id: [0; 16], step: 0 });
    }
    let frame = raw.decode().map_err(Refusal::Malformed)?;
    let (flow_id, step) = (frame.flow_id, frame.step);
    let Kind::Handoff(h) = frame.kind else {
        return Err(Refusal::Unexpected { flow_id, step, reason: "unexpected frame kind: this endpoint accepts only handoffs".into() });
    };
    // The target picks the nanoservice, and with it the credentials (a
    // nanoservice may have its own `unit_accept` list); an unknown target is
    // checked against the host's `accept`, so that an unauthenticated peer
    // learns nothing about what is hosted here.
    let hosted = host.unit(&h.target);
    let Some(key) = raw.key.filter(|_| raw.authentic()) else { return Err(Refusal::Auth { flow_id, step }) };
    if host.accepted_user(if hosted.is_some() { &h.target } else { "" }, &key).is_none() {
        return Err(Refusal::Auth { flow_id, step });
    }
    let refused = |reason: String| Refusal::Refused { flow_id, step, key, reason };
    authenticated(&h).map_err(refused)?;
    let unit = match hosted {
        Some(Ok(unit)) => unit,
        Some(Err(e)) => return Err(refused(format!("nanoservice '{}' cannot run here: {e}", sanitize(&h.target)))),
        None => {
            let reason = match host.only_unit() {
                Some(only) => format!("handoff is for nanoservice '{}', this is '{only}'", sanitize(&h.target)),
                None => format!("handoff is for nanoservice '{}', which host '{}' does not serve", sanitize(&h.target), host.name),
            };
            return Err(refused(reason));
        }
    };
    let Some(entry) = unit.desc.entries.iter().find(|e| e.resume_point == h.resume_point) else {
        return Err(refused(format!("nanoservice '{}' has no resume point {}", unit.desc.unit, h.resume_point)));
    };
    let checked = crate::graph::with_program(unit.program, || check_wire_scope(&entry.vars, &h.scope, &h.graph, &host.graph_budget)).map_err(|e| match e.memory {
        Some(short) if short.transient() => Refusal::Busy(short.reason()),
        Some(short) => refused(short.reason()),
        None => refused(format!("scope mismatch at resume point {}: {}", h.resume_point, e.reason)),
    })?;
    Ok(Accepted { unit, id: flow_id, step, key, handoff: h, checked })
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

/// Starts a thread for a flow: registered with the collector, with Go's
/// stack and Go's message when it overflows (crate::stack).
pub fn spawn_flow_thread(name: &str, f: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    crate::stack::spawn_flow_thread(name, f).map(|_| ())
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
        let (_, key) = self.route_to(&unit, target)?;
        match self.flush_engine() {
            Ok(()) => {}
            Err(LinkError::Fatal(e) | LinkError::Refused(e)) => return Err(e),
            Err(LinkError::Abandoned(_)) => return Ok(()),
        }
        let frame = self.next_handoff(target, resume_point, String::new(), wire_scope);
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
