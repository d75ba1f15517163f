//! The receiving side: a host accepts handoffs for the nanoservices it
//! serves, checks them completely before generated code sees a value,
//! acknowledges, and runs the step on the connection's own thread, which
//! keeps the connection for the step's Done (blocking std::net, one thread
//! per connection; docs/protocol.md says why not async).

use crate::auth_limits::{Admission, AuthLimiter, SUMMARY_WINDOW};
use crate::client::Peer;
use crate::config::RuntimeConfig;
use crate::conn_limits::{ConnTable, Refused, Shortage, Slot};
use crate::flow::{self, EndMode, Flow, Out, State, Unit};
use crate::host::{Host, MAX_WATCHERS_PER_STEP, Watch};
use crate::graph::Received;
use crate::engine::{self, Refusal};
use crate::scope::{Scope, sanitize};
use crate::wire::{self, FlowId, Frame, Handoff, Key, Kind, RawFrame, ReadError};
use g2n_abi::{UnitDescriptor, UnitEntryFn};
use crate::net::{Conn, Listener};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

struct ServerState {
    host: Arc<Host>,
    stop: AtomicBool,
    /// Connections held, within `max_connections` and `max_connections_per_peer`.
    conns: Arc<ConnTable>,
    /// Resources whose exhaustion is logged once per episode.
    out_of_connections: Shortage,
    out_of_peer_connections: Shortage,
    out_of_descriptors: Shortage,
    out_of_threads: Shortage,
    out_of_graph_memory: Shortage,
    out_of_watchers: Shortage,
    /// Failed authentications per peer: rate limit and log summaries.
    auth: AuthLimiter,
}

/// A running server. Dropping it leaves the server running; call [`Server::stop`].
pub struct Server {
    /// The TCP address the server listens on (unspecified, port 0, for a
    /// Unix socket server: see `endpoint`).
    pub addr: SocketAddr,
    /// The address peers connect to: `ip:port`, or the Unix socket's path.
    pub endpoint: String,
    state: Arc<ServerState>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Number of flows started so far (duplicates are not counted).
    pub fn flows_started(&self) -> u64 {
        self.state.host.started.load(Ordering::SeqCst)
    }

    /// Connections the server holds now (at most `max_connections`).
    pub fn connections(&self) -> usize {
        self.state.conns.len()
    }

    /// Blocks for as long as the server runs.
    pub fn join(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stops accepting connections (running flows finish on their own).
    pub fn stop(mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = Conn::connect(&self.endpoint, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Binds `config.listen` and serves handoffs to `desc`'s entries on a
/// background thread (a host of one nanoservice).
pub fn serve(config: RuntimeConfig, desc: UnitDescriptor, entry: UnitEntryFn) -> Result<Server, String> {
    serve_host(Host::single(config, desc, entry)?)
}

/// Binds the host's `listen` address and serves handoffs to every
/// nanoservice it hosts on a background thread.
pub fn serve_host(host: Arc<Host>) -> Result<Server, String> {
    let listen = host.config.listen.clone();
    let listener = host.transport.bind(&listen).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let endpoint = listener.local_addr().map_err(|e| e.to_string())?;
    let addr = endpoint.parse().unwrap_or(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0));
    let conns = ConnTable::new(host.config.max_connections, host.config.max_connections_per_peer);
    let state = Arc::new(ServerState {
        host: host.clone(),
        stop: AtomicBool::new(false),
        conns,
        out_of_connections: Shortage::new(),
        out_of_peer_connections: Shortage::new(),
        out_of_descriptors: Shortage::new(),
        out_of_threads: Shortage::new(),
        out_of_graph_memory: Shortage::new(),
        out_of_watchers: Shortage::new(),
        auth: AuthLimiter::new(host.config.auth_failures_per_second, host.config.auth_failure_burst),
    });
    let st = state.clone();
    // Summaries of failed authentications, once their window has ended;
    // the thread ends within a second of the server's stop.
    let _ = crate::gc::thread_builder().name("g2n-auth-log".into()).spawn(move || {
        while !st.stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_secs(1).min(SUMMARY_WINDOW));
            for line in st.auth.summaries(Instant::now()) {
                tracing::warn!(pid = std::process::id(), unit = %st.host.name, summary = %line, "auth.failures");
                st.host.log(&line);
            }
        }
    });
    let st = state.clone();
    let thread = crate::gc::thread_builder()
        .name("g2n-accept".into())
        .spawn(move || accept_loop(listener, st))
        .map_err(|e| format!("cannot start the accept thread: {e}"))?;
    Ok(Server { addr, endpoint, state, thread: Some(thread) })
}

fn accept_loop(listener: Listener, state: Arc<ServerState>) {
    loop {
        let conn = listener.accept();
        if state.stop.load(Ordering::SeqCst) {
            return;
        }
        let conn = match conn {
            Ok(conn) => {
                state.out_of_descriptors.recovered();
                conn
            }
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                if state.out_of_descriptors.first() {
                    state.host.log(&format!("out of file descriptors: cannot accept a connection ({e}); still serving the ones held"));
                }
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        // Closed unread when over a cap: its sender retries with backoff.
        let slot = match state.conns.admit(&conn.peer_key(), &conn) {
            Ok(slot) => {
                state.out_of_connections.recovered();
                state.out_of_peer_connections.recovered();
                slot
            }
            Err(Refused::Total) => {
                if state.out_of_connections.first() {
                    let max = state.host.config.max_connections;
                    state.host.log(&format!("out of connections (max_connections {max}, all running steps): refusing new ones until one ends"));
                }
                continue;
            }
            Err(Refused::PerPeer) => {
                if state.out_of_peer_connections.first() {
                    let (max, peer) = (state.host.config.max_connections_per_peer, conn.peer());
                    state.host.log(&format!("out of connections for peer {peer} (max_connections_per_peer {max}, all running steps): refusing its new ones"));
                }
                continue;
            }
        };
        let st = state.clone();
        // A connection that brings a handoff runs the flow's step on its own
        // thread (one spawn per hop, not two), so it gets a flow's stack.
        let spawned = crate::stack::spawn_flow_thread("g2n-conn", move || serve_connection(conn, slot, st));
        match spawned {
            Ok(_) => state.out_of_threads.recovered(),
            Err(e) if state.out_of_threads.first() => state.host.log(&format!("out of threads: cannot start a connection thread ({e}); still serving the ones held")),
            Err(_) => {}
        }
    }
}

/// Reads one frame from a server's connection: the first byte may take up
/// to `idle` (a kept connection between handoffs), the whole frame at most
/// `whole` from its first byte, however slowly the peer sends it.
struct FrameClock<'a> {
    conn: &'a mut Conn,
    idle: Duration,
    whole: Duration,
    started: Option<Instant>,
    /// The frame had begun and its deadline passed.
    expired: bool,
}

impl std::io::Read for FrameClock<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let timeout = match self.started {
            None => self.idle,
            Some(started) => {
                let left = self.whole.saturating_sub(started.elapsed());
                if left.is_zero() {
                    self.expired = true;
                    return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "frame deadline passed"));
                }
                left
            }
        };
        self.conn.set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        let n = match self.conn.read(buf) {
            Ok(n) => n,
            Err(e) => {
                if self.started.is_some() && matches!(e.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) {
                    self.expired = true;
                }
                return Err(e);
            }
        };
        if n > 0 && self.started.is_none() {
            self.started = Some(Instant::now());
        }
        Ok(n)
    }
}

/// The reply to one frame, and whether the connection can go on afterwards.
struct Reply {
    frame: Frame,
    key: Option<Key>,
    keep_open: bool,
    /// False: close without replying (the sender will retry).
    send: bool,
    /// What becomes of the connection once the reply is written.
    then: Then,
}

/// Durable handoffs (protocol v3): the connection a handoff came on is where
/// its step's Done goes, so after acknowledging a handoff the connection
/// thread stops reading and leaves the connection to the step.
enum Then {
    /// Keep serving frames on the connection (or close it, per `keep_open`).
    Continue,
    /// A new step: it runs on this connection's thread, which keeps the
    /// connection for its Done.
    Run(Box<Start>),
    /// A duplicate of a known step: Done now if it has finished, else the
    /// connection waits for it beside the first one.
    Duplicate { id: FlowId, step: u64, key: Key },
}

fn serve_connection(conn: Conn, slot: Slot, state: Arc<ServerState>) {
    let peer = conn.peer();
    let peer_key = conn.peer_key();
    let config = &state.host.config;
    let idle = Duration::from_millis(config.idle_timeout_ms.max(1));
    let whole = Duration::from_millis(config.frame_deadline_ms.max(1));
    // TLS first (when configured): a peer without a certificate of the
    // deployment's CA gets no further, within the frame deadline. A peer
    // over its failed-authentication rate does not even get a handshake.
    if state.host.transport.is_tls() && state.auth.admit(&peer_key, Instant::now()) == Admission::Refuse {
        return;
    }
    let mut conn = match state.host.transport.accepted(conn, whole) {
        Ok(conn) => conn,
        Err(e) => {
            // Counted like a failed authentication: logged in full once
            // per summary window and peer.
            if state.auth.failed(&peer_key, Instant::now()) {
                rejected(&state.host, &peer, &format!("TLS handshake failed: {e}"));
            }
            return;
        }
    };
    if let Some(certificate) = conn.peer_certificate() {
        // Which host connected, once per connection: the name to give
        // `g2n certs revoke` should that host's key leak.
        tracing::info!(pid = std::process::id(), unit = %state.host.name, peer = %peer, certificate = %certificate, "tls.peer");
        state.host.log(&format!("TLS connection from {peer}: certificate {certificate}"));
    }
    let _ = conn.set_write_timeout(Some(idle));
    loop {
        slot.set_waiting(true);
        let mut clock = FrameClock { conn: &mut conn, idle, whole, started: None, expired: false };
        let read = read_frame(&state, &mut clock, &peer_key);
        let expired = clock.expired;
        if !slot.claim() {
            // Closed to make room for another connection while it waited:
            // whatever was read is dropped unhandled (its sender retries).
            return;
        }
        if read.is_err() && expired {
            // A frame begun and not finished in time: a slow sender holds
            // no thread and no buffer for longer than the frame deadline.
            rejected(&state.host, &peer, &format!("frame not complete within frame_deadline_ms ({} ms): connection closed", config.frame_deadline_ms));
            return;
        }
        let reply = match read {
            Ok(Some(raw)) => handle_frame(&state, &raw, &peer, &peer_key),
            // Over its failed-authentication rate: no answer.
            Ok(None) => return,
            Err(e) if e.is_auth_failure() => {
                // The body was not read, so the stream cannot go on: say
                // why (once per summary window), then close.
                if state.auth.failed(&peer_key, Instant::now()) {
                    rejected(&state.host, &peer, &e.to_string());
                }
                let _ = wire::write_frame(&mut conn, &nack([0; 16], 0, &e.to_string()), None);
                return;
            }
            Err(ReadError::Closed) => return,
            // Idle, or the peer went away between frames (reset, broken
            // pipe), or closed to make room: not a bad frame, nothing to log.
            Err(ReadError::Io(_)) => return,
            Err(e) => {
                rejected(&state.host, &peer, &e.to_string());
                // The stream cannot be resynchronised after a bad length; say
                // why if the peer still listens, then close.
                if matches!(e, ReadError::Oversize(_) | ReadError::TooShort(_)) {
                    let _ = wire::write_frame(&mut conn, &nack([0; 16], 0, &e.to_string()), None);
                }
                return;
            }
        };
        if !reply.send || wire::write_frame(&mut conn, &reply.frame, reply.key.as_ref()).is_err() {
            return;
        }
        match reply.then {
            Then::Continue => {}
            Then::Run(start) => {
                // The flow writes Done on a second handle of the connection
                // when its step has finished; then this thread serves the
                // connection again (the sender keeps it for its next handoff
                // here). A flow that ends in os.Exit or a panic parks this
                // thread inside run_flow and closes the connection.
                let Start { unit, id, step, handoff, checked, to_flow, inbound } = *start;
                let keep = conn.try_clone().ok();
                let _ = to_flow.send(conn);
                run_flow(state.host.clone(), unit, id, step, handoff, checked, inbound);
                match keep {
                    Some(c) => conn = c,
                    None => return,
                }
                continue;
            }
            Then::Duplicate { id, step, key } => {
                let Ok(copy) = conn.try_clone() else { return };
                match state.host.watch_step(id, step, copy, key) {
                    // The step is still running: the connection now belongs
                    // to it (Done comes when it finishes).
                    Watch::Watching => {
                        state.out_of_watchers.recovered();
                        return;
                    }
                    Watch::Full => {
                        if state.out_of_watchers.first() {
                            state.host.log(&format!(
                                "out of watchers: {MAX_WATCHERS_PER_STEP} connections already wait for step {step} of flow {}; closing re-sent handoffs of it until it ends (logged once)",
                                crate::flow::hex(&id)
                            ));
                        }
                        return;
                    }
                    // Finished already: Done right away, then serve on.
                    Watch::Finished => {}
                }
                if wire::write_frame(&mut conn, &done_frame(id, step), Some(&key)).is_err() {
                    return;
                }
            }
        }
        if !reply.keep_open {
            return;
        }
    }
}

/// Reads one frame, authenticating its header before the body (protocol
/// v5): a header that names no key of this host, or whose tag fails, is
/// refused before a byte of the body is read, so a stranger cannot make the
/// host buffer up to the frame limit. `None`: the peer is over its
/// failed-authentication rate, so the header is not even checked (and the
/// connection is closed unanswered).
fn read_frame(state: &ServerState, r: &mut impl std::io::Read, peer_key: &str) -> Result<Option<RawFrame>, ReadError> {
    let header = wire::read_header(r)?;
    if state.auth.admit(peer_key, Instant::now()) == Admission::Refuse {
        return Ok(None);
    }
    let key = header.authenticate(&*state.host)?;
    wire::read_body(r, &header, key).map(Some)
}

/// A handoff accepted and acknowledged, to run on its connection's thread.
struct Start {
    unit: Arc<Unit>,
    id: FlowId,
    step: u64,
    handoff: Handoff,
    checked: Option<Received>,
    to_flow: std::sync::mpsc::Sender<Conn>,
    inbound: flow::Inbound,
}

pub(crate) fn done_frame(flow_id: FlowId, step: u64) -> Frame {
    Frame { version: wire::PROTOCOL_VERSION, flow_id, step, kind: Kind::Done }
}

fn nack(flow_id: FlowId, step: u64, reason: &str) -> Frame {
    Frame { version: wire::PROTOCOL_VERSION, flow_id, step, kind: Kind::Nack { reason: reason.to_string() } }
}

/// The checks of every receiver (`engine::check_frame`: decode, kind,
/// HMAC and the key's right to the target, target, resume point, scope),
/// with this server's own rules around them: the age window right after
/// authentication, and, once a handoff passed, the (flow, step) table that
/// acknowledges a duplicate without running it. The failed-authentication
/// rate limit was applied to the frame's header (`read_frame`).
fn handle_frame(state: &ServerState, raw: &RawFrame, peer: &str, peer_key: &str) -> Reply {
    let host = &state.host;
    let received = Instant::now();
    let reject = |flow_id: FlowId, step: u64, key: Option<Key>, reason: String, keep_open: bool| {
        rejected(host, peer, &reason);
        Reply { frame: nack(flow_id, step, &reason), key, keep_open, send: true, then: Then::Continue }
    };
    let accepted = match engine::check_frame(host, raw, |h| fresh(host, h.created_ms)) {
        Ok(a) => {
            state.out_of_graph_memory.recovered();
            a
        }
        Err(Refusal::Malformed(reason)) => return reject([0; 16], 0, None, reason, false),
        Err(Refusal::Unexpected { flow_id, step, reason }) => return reject(flow_id, step, None, reason, true),
        Err(e @ Refusal::Auth { flow_id, step }) => {
            // Logged in full once per summary window and peer, then counted.
            if state.auth.failed(peer_key, Instant::now()) {
                rejected(host, peer, &e.reason());
            }
            return Reply { frame: nack(flow_id, step, &e.reason()), key: None, keep_open: true, send: true, then: Then::Continue };
        }
        Err(Refusal::Refused { flow_id, step, key, reason }) => return reject(flow_id, step, Some(key), reason, true),
        // Fits once graphs in flight are done: close unanswered, so the
        // sender retries with backoff; logged once per episode.
        Err(Refusal::Busy(reason)) => {
            if state.out_of_graph_memory.first() {
                rejected(host, peer, &format!("{reason}; refusing graphs that do not fit until some are done"));
            }
            return Reply { frame: nack([0; 16], 0, ""), key: None, keep_open: false, send: false, then: Then::Continue };
        }
    };
    let engine::Accepted { unit, id, step, key, handoff: h, checked } = accepted;
    let mut ack = Reply {
        frame: Frame { version: wire::PROTOCOL_VERSION, flow_id: id, step, kind: Kind::Ack },
        key: Some(key),
        keep_open: true,
        send: true,
        then: Then::Duplicate { id, step, key },
    };
    {
        let mut seen = host.seen.lock().unwrap_or_else(|e| e.into_inner());
        if !seen.insert((id, step)) {
            // Already have it (the sender missed our Ack): acknowledge again,
            // do not run it again.
            hop_event(&unit, &h, id, step, raw, received, peer, "hop.duplicate");
            return ack;
        }
    }
    let (to_flow, conn) = std::sync::mpsc::channel();
    let inbound = flow::Inbound { step, key, conn };
    hop_event(&unit, &h, id, step, raw, received, peer, "hop.recv");
    ack.then = Then::Run(Box::new(Start { unit, id, step, handoff: h, checked, to_flow, inbound }));
    host.started.fetch_add(1, Ordering::SeqCst);
    ack
}

/// Replay tied to time (docs/protocol.md, "Replay"): a handoff's
/// authenticated send time must be younger than the (flow, step) records'
/// retention, less the clock skew allowed, not from the future beyond that
/// skew, and not from before this host started (a restarted host has no
/// records of the steps it ran before). Within those bounds a replay finds
/// its step's record, so a handoff is accepted once, ever, while clocks
/// are within `max_clock_skew_ms` of each other.
fn fresh(host: &Host, created_ms: u64) -> Result<(), String> {
    let config = &host.config;
    let skew = config.max_clock_skew_ms;
    let max_age = config.dedupe_retention_ms.saturating_sub(skew);
    let now = wire::now_ms();
    if created_ms > now.saturating_add(skew) {
        return Err(format!("handoff sent {} ms in the future (max_clock_skew_ms {skew}): refused", created_ms - now));
    }
    let age = now.saturating_sub(created_ms);
    if age > max_age {
        return Err(format!("handoff sent {age} ms ago, more than dedupe_retention_ms less max_clock_skew_ms ({max_age} ms): refused as a replay"));
    }
    if created_ms.saturating_add(skew) < host.started_ms {
        return Err("handoff sent before this host started: refused as a replay".into());
    }
    Ok(())
}

/// Logs a refused frame on stderr (`g2n[UNIT]: rejected handoff from PEER: REASON`)
/// and as a `frame.rejected` trace event.
fn rejected(host: &Host, peer: &str, reason: &str) {
    tracing::warn!(pid = std::process::id(), unit = %host.name, peer = %peer, reason = %reason, "frame.rejected");
    host.log(&format!("rejected handoff from {peer}: {reason}"));
}

/// A received handoff: accepted (`hop.recv`) or a duplicate acknowledged again
/// (`hop.duplicate`). `latency_us` is the time from having the whole frame to
/// the decision, i.e. this receiver's checks.
fn hop_event(unit: &Unit, h: &Handoff, id: FlowId, step: u64, raw: &RawFrame, received: Instant, peer: &str, what: &'static str) {
    let bytes = wire::HEADER_LEN + raw.body.len();
    let latency_us = received.elapsed().as_micros() as u64;
    let (flow, from, to) = (flow::hex(&id), sanitize(&h.from), unit.desc.unit.as_str());
    if what == "hop.duplicate" {
        tracing::info!(pid = std::process::id(), unit = %to, flow = %flow, step, from = %from, to = %to, peer = %peer, resume_point = h.resume_point, bytes, latency_us, "hop.duplicate");
    } else {
        tracing::info!(pid = std::process::id(), unit = %to, flow = %flow, step, from = %from, to = %to, peer = %peer, resume_point = h.resume_point, bytes, latency_us, "hop.recv");
    }
}

/// Sends Alive to the origin every `heartbeat_ms` until the returned sender is
/// dropped (the flow handed off or ended). Failures are not errors: the flow's
/// own frames report a lost origin.
fn start_heartbeat(unit: &Arc<Unit>, transport: &crate::net::Transport, id: FlowId, step: u64, key: Key, origin: &str) -> Option<std::sync::mpsc::Sender<()>> {
    if origin.is_empty() || unit.config.heartbeat_ms == 0 {
        return None;
    }
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let interval = Duration::from_millis(unit.config.heartbeat_ms);
    let (name, origin, transport) = (unit.desc.unit.clone(), origin.to_string(), transport.clone());
    let spawned = crate::gc::thread_builder().name("g2n-heartbeat".into()).spawn(move || {
        let mut peer = Peer::new(&origin, &name, &transport);
        // An origin unheard for this many heartbeats in a row is gone (or has
        // given up on the flow): stop bothering it.
        let mut failures = 0;
        // Every Alive's `sent_ms` is later than the one before, even if the
        // clock stands still or steps back: the origin counts an Alive
        // only if it is (a replay is not).
        let mut sent_ms = 0u64;
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(interval) {
            sent_ms = wire::now_ms().max(sent_ms + 1);
            let frame = Frame { version: wire::PROTOCOL_VERSION, flow_id: id, step, kind: Kind::Alive { unit: name.clone(), sent_ms } };
            match peer.exchange(&frame, &key, interval) {
                Ok(_) => failures = 0,
                Err(_) if failures >= 9 => return,
                Err(_) => failures += 1,
            }
        }
    });
    // Without the thread the flow still runs; the origin may give up on it
    // early, which is reported there.
    spawned.ok().map(|_| stop)
}

fn run_flow(host: Arc<Host>, unit: Arc<Unit>, id: FlowId, step: u64, h: Handoff, received: Option<Received>, inbound: flow::Inbound) {
    let entry = unit.entry;
    let unit_for_heartbeat = unit.clone();
    let origin_addr = h.origin.clone();
    let origin = Peer::new(&h.origin, &unit.desc.unit, &host.transport);
    let host_transport = host.transport.clone();
    flow::install(Flow {
        unit,
        host,
        next_local: None,
        inbound: Some(inbound),
        parking: false,
        id,
        step,
        key: h.flow_key,
        origin: h.origin,
        next_seq: h.out_seq,
        out: Out::Forward { pending: Vec::new(), pending_len: 0, origin },
        end: EndMode::Remote,
        state: State::Running,
        heartbeat: start_heartbeat(&unit_for_heartbeat, &host_transport, id, step, h.flow_key, &origin_addr),
    });
    flow::run_steps(entry, h.resume_point, Box::new(Scope::from_wire(h.scope, received)));
    if let Some(mut flow) = flow::take()
        && flow.state == State::Running
    {
        flow.finish(0);
    }
}
