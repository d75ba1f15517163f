//! The engine's one I/O thread and its NATS connections.
//!
//! One current-thread tokio runtime per process runs the NATS clients'
//! connection tasks, the receive loops and the in-progress acks. Whoever
//! holds its core drives its sockets and timers: with `nats.receive:
//! handoff` (and on an origin) one thread of its own (`g2n-nats-io`) holds
//! it for good; with `inline` a host's step threads take turns
//! (crate::inline). A process has one connection, or, when
//! it runs several nanoservices under the per-nanoservice authorization,
//! one per nanoservice ([`Connections`]). Flow threads (ordinary threads that run
//! generated code) reach it through [`Io::block_on`] (`Runtime::block_on`):
//! the future they wait for runs on their own thread, which also drives
//! the runtime while no other thread does.

use async_nats::jetstream::{self, context::PublishErrorKind, message::PublishMessage};
use crate::refusals::{ConnectRefusal, Refusals};
use async_nats::{ConnectOptions, HeaderMap};
use bytes::Bytes;
use crate::config::NatsConfig;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::{Handle, Runtime};

/// How long one JetStream request (API call, publish ack) is waited for.
const API_TIMEOUT: Duration = Duration::from_secs(2);

/// The period of the runtime's standing timer ([`start_runtime`]): below
/// the shortest timer a step makes (API_TIMEOUT).
const TIMER_FLOOR: Duration = Duration::from_secs(1);

pub struct Io {
    pub runtime: Arc<Runtime>,
    pub handle: Handle,
    /// Who drives the runtime (see [`Io::block_on`]).
    pub driver: Driver,
    pub client: async_nats::Client,
    pub js: jetstream::Context,
    pub config: NatsConfig,
    /// Connections and publishes the server refused (crate::refusals).
    pub refusals: Arc<Refusals>,
}

/// Why a publish did not reach its stream.
#[derive(Debug)]
pub enum PublishError {
    /// The server's authorization denies this user the subject: no retry
    /// or replica can do better.
    Refused(String),
    /// No ack within the deadline (a server or leader that is gone).
    Failed(String),
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublishError::Refused(m) | PublishError::Failed(m) => f.write_str(m),
        }
    }
}

/// The outcome of a publish that the stream stored.
#[derive(Clone, Copy, Debug)]
pub struct Stored {
    /// The stream already had a message with this id (a re-run step's
    /// effect, or a retry of a publish whose first ack was lost).
    pub duplicate: bool,
    /// An earlier attempt's outcome is unknown (it timed out): a duplicate
    /// may then be this process's own first store.
    pub uncertain: bool,
}

/// Every connection option in one place: credentials now, TLS files when a
/// deployment names them (docs/protocol.md, "The NATS engine").
pub fn connect_options(config: &NatsConfig, name: &str) -> Result<ConnectOptions, String> {
    let mut options = ConnectOptions::new()
        .name(name)
        .connection_timeout(Duration::from_secs(5))
        // Reconnect forever: a cluster node that dies is replaced by another.
        .max_reconnects(None)
        .retry_on_initial_connect();
    let credential = &config.credential;
    if !credential.username.is_empty() {
        options = options.user_and_password(credential.username.clone(), credential.password()?);
    }
    if let Some(ca) = &config.ca_file {
        options = options.add_root_certificates(ca.into()).require_tls(true);
    }
    if let (Some(cert), Some(key)) = (&config.cert_file, &config.key_file) {
        options = options.add_client_certificate(cert.into(), key.into());
    }
    if let Some(prefix) = &config.inbox_prefix {
        options = options.custom_inbox_prefix(prefix);
    }
    // A real bind of the client's socket (async-nats binds it before it
    // connects, to every server it tries and on every reconnect): the
    // server sees the host at this address.
    if let Some(local) = config.local_socket_address()? {
        options = options.local_address(local);
    }
    if let Some(ms) = config.ping_interval_ms {
        options = options.ping_interval(Duration::from_millis(ms.max(1)));
    }
    Ok(options)
}

/// Who drives the engine's runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Driver {
    /// One I/O thread of its own, for good.
    IoThread,
    /// Whichever thread calls [`Io::block_on`]; a host's step threads
    /// take turns (crate::inline) once it serves.
    Callers,
}

/// Makes the engine's runtime and, for [`Driver::IoThread`], starts the
/// I/O thread that drives it until the process exits.
pub fn start_runtime(driver: Driver) -> Result<Arc<Runtime>, String> {
    let runtime = Arc::new(tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the NATS I/O runtime: {e}"))?);
    // tokio's timer driver writes to the runtime's event fd (a system
    // call, and the next wait for I/O returns at once for nothing) for
    // every timer that is due sooner than the earliest one the runtime
    // last went to sleep for, even when the driving thread itself makes
    // it. Every step makes such timers (its publish waits at most
    // API_TIMEOUT for the PubAck; the pull's heartbeat; its renewal). A
    // timer always due within TIMER_FLOOR keeps every one of them later
    // than that earliest one, for a wake-up a second.
    runtime.spawn(async {
        loop {
            tokio::time::sleep(TIMER_FLOOR).await;
        }
    });
    if driver == Driver::IoThread {
        let driving = runtime.clone();
        std::thread::Builder::new()
            .name("g2n-nats-io".into())
            .spawn(move || driving.block_on(std::future::pending::<()>()))
            .map_err(|e| format!("cannot start the NATS I/O thread: {e}"))?;
    }
    Ok(runtime)
}

/// A process's connections: `main` (its configuration's user), and with
/// `nats.users` one per nanoservice listed there, each as that
/// nanoservice's user. A step's effects go out on the connection of the
/// nanoservice that produces them, so that the server's authorization
/// holds per nanoservice in a process that runs several (docs/protocol.md,
/// "A process of several nanoservices").
pub struct Connections {
    pub main: Arc<Io>,
    by_unit: HashMap<String, Arc<Io>>,
}

impl Connections {
    /// Starts the runtime (and its I/O thread, for [`Driver::IoThread`])
    /// and opens every connection (each waits at most `connect_wait` for a
    /// server to answer).
    pub fn open(config: &NatsConfig, name: &str, connect_wait: Duration, driver: Driver) -> Result<Connections, String> {
        let runtime = start_runtime(driver)?;
        let main = Arc::new(Io::connect(runtime.clone(), driver, config, name, connect_wait)?);
        let mut by_unit = HashMap::new();
        for unit in config.users.keys() {
            let Some(own) = config.for_unit(unit) else { continue };
            let io = if own.credential.username == config.credential.username && own.inbox_prefix == config.inbox_prefix {
                main.clone()
            } else {
                Arc::new(Io::connect(runtime.clone(), driver, &own, &format!("{name}/{unit}"), connect_wait)?)
            };
            by_unit.insert(unit.clone(), io);
        }
        Ok(Connections { main, by_unit })
    }

    /// The connection `unit`'s effects and pulls go through.
    pub fn of(&self, unit: &str) -> &Arc<Io> {
        self.by_unit.get(unit).unwrap_or(&self.main)
    }
}

impl Io {
    /// Connects on `runtime` (waits at most `connect_wait` for a server to
    /// answer).
    pub fn connect(runtime: Arc<Runtime>, driver: Driver, config: &NatsConfig, name: &str, connect_wait: Duration) -> Result<Io, String> {
        let handle = runtime.handle().clone();
        if config.servers.is_empty() {
            return Err("the runtime configuration names no NATS server (nats.servers)".into());
        }
        // A mesh that requires TLS refuses, before it says anything, a
        // server whose greeting offers none (nodes that do not answer are
        // left to the client's retries).
        if config.ca_file.is_some()
            && let Some(plain) = config.servers.iter().find(|s| offers_tls(&runtime, s, config.local_socket_address().ok().flatten()) == Some(false))
        {
            return Err(format!(
                "cannot connect to NATS at {plain}: the server does not offer TLS, and this mesh requires it (nats.ca_file is set); refusing a plaintext connection"
            ));
        }
        let refusals = Arc::new(Refusals::default());
        let heard = refusals.clone();
        let options = connect_options(config, name)?.event_callback(move |event| {
            let heard = heard.clone();
            async move { heard.hear(&event) }
        });
        let servers = config.servers.join(",");
        let addrs = config
            .servers
            .iter()
            .map(|s| s.parse::<async_nats::ServerAddr>().map_err(|e| format!("invalid NATS server URL '{s}': {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let connecting = runtime.block_on(async { tokio::time::timeout(connect_wait, options.connect(addrs)).await });
        let client = match connecting {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(format!("cannot connect to NATS at {servers}: {e}")),
            Err(_) => return Err(format!("cannot connect to NATS at {servers}: no answer within {connect_wait:?}")),
        };
        // Flushing proves the connection is up (retry_on_initial_connect
        // returns before it is); a refusal ends the wait at once (the
        // client would retry it forever).
        let flushed = runtime.block_on(async {
            tokio::select! {
                flushed = tokio::time::timeout(connect_wait, client.flush()) => Ok(flushed),
                refusal = refusals.connect_refused() => Err(refusal),
            }
        });
        match flushed {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => return Err(format!("cannot connect to NATS at {servers}: {e}")),
            Ok(Err(_)) if config.ca_file.is_some() => {
                return Err(format!(
                    "cannot connect to NATS at {servers}: no TLS session within {connect_wait:?} (is the server's certificate signed by the CA in nats.ca_file, {}, and issued for the host in the URL?)",
                    config.ca_file.as_deref().unwrap_or_default()
                ));
            }
            Ok(Err(_)) => return Err(format!("cannot connect to NATS at {servers}: no answer within {connect_wait:?}")),
            Err(refusal) => return Err(refused_message(config, &servers, &refusal)),
        }
        // The context spawns its acker task: inside the runtime.
        let js = {
            let _inside = handle.enter();
            // An API request lost while a cluster re-elects a leader is
            // retried by the caller; waiting long for it helps nobody.
            let mut js = jetstream::new(client.clone());
            js.set_timeout(API_TIMEOUT);
            js
        };
        Ok(Io { runtime, handle, driver, client, js, config: config.clone(), refusals })
    }

    /// Runs `f` to completion on the calling thread (never one inside the
    /// runtime). With [`Driver::Callers`], while no other thread drives the
    /// runtime, this one does (`Runtime::block_on`: a current-thread
    /// runtime hands its core to one caller at a time). With an I/O thread
    /// that holds the core for good, `Handle::block_on`, which does not
    /// try for it (and measured faster there).
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        match self.driver {
            Driver::Callers => self.runtime.block_on(f),
            Driver::IoThread => self.handle.block_on(f),
        }
    }

    pub fn publish_deadline(&self) -> Duration {
        Duration::from_millis(self.config.publish_deadline_ms)
    }

    /// Publishes with a message id until the stream stores it (PubAck) or
    /// `deadline` passes; retries (a leader election, a node that died) use
    /// the same id, so the stream stores the message once.
    /// A publish the server's authorization denies fails at once with
    /// [`PublishError::Refused`].
    pub fn publish(&self, subject: &str, id: &str, headers: HeaderMap, payload: Bytes, deadline: Duration) -> Result<Stored, PublishError> {
        let started = Instant::now();
        let mut uncertain = false;
        let mut pause = Duration::from_millis(20);
        loop {
            let message = PublishMessage::build().headers(headers.clone()).message_id(id).payload(payload.clone());
            let since = self.refusals.version();
            let (js, to) = (self.js.clone(), subject.to_string());
            let stored = async move {
                let ack = js.send_publish(to, message).await?;
                ack.await
            };
            let attempt = self.block_on(async {
                // On a runtime this thread drives, the publish is a task of
                // its own ([`Publishing`]); from outside the I/O thread's
                // runtime, the future itself (a task there cost a `writev`
                // and an `epoll_wait` more per step, measured).
                let acked = match self.driver {
                    Driver::Callers => {
                        let mut publishing = Publishing(self.handle.spawn(stored));
                        futures_util::future::Either::Left(async move {
                            (&mut publishing.0).await.unwrap_or_else(|_| Err(jetstream::context::PublishError::new(PublishErrorKind::Other)))
                        })
                    }
                    Driver::IoThread => futures_util::future::Either::Right(stored),
                };
                tokio::select! {
                    acked = acked => Ok(acked),
                    denied = self.refusals.denied_since(subject, since) => Err(denied),
                }
            });
            let error = match attempt {
                Ok(Ok(ack)) => return Ok(Stored { duplicate: ack.duplicate, uncertain }),
                Ok(Err(e)) => e,
                Err(denied) => {
                    let user = &self.config.credential.username;
                    return Err(PublishError::Refused(format!("user '{user}' may not publish to {subject} (the server said: {denied})")));
                }
            };
            // A timeout may have stored the message after all.
            if matches!(error.kind(), PublishErrorKind::TimedOut | PublishErrorKind::BrokenPipe | PublishErrorKind::Other) {
                uncertain = true;
            }
            if started.elapsed() + pause > deadline {
                return Err(PublishError::Failed(format!("publish to {subject} failed for {:?}: {error}", started.elapsed())));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }
}

/// A publish until its PubAck, as a task of the runtime; aborted when
/// dropped (a publish the server's authorization denied is not waited
/// for).
///
/// As a task, not as the future of [`Io::block_on`], so that a step's
/// publish and the pull consumer's next request leave in one socket write.
/// The receive loop that handed the step over yields when it dispatches
/// it (crate::serve), and is queued on the runtime when the step starts;
/// the pull stream sends its request through a task of its own, which is
/// queued only when the receive loop polls the stream. A current-thread
/// runtime polls the future of `block_on` first and then its tasks in the
/// order they were woken: a publish written by that future woke the
/// connection's task ahead of the request's, which wrote the request in a
/// second `writev` (the handoff, then the request: every `pull_batch`
/// steps). Spawned, the publish runs after the receive loop and before
/// the request's task, and the connection's task finds both.
struct Publishing<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for Publishing<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A connection refusal in words a deployer can act on.
fn refused_message(config: &NatsConfig, servers: &str, refusal: &ConnectRefusal) -> String {
    match refusal {
        ConnectRefusal::Authorization if config.credential.username.is_empty() => format!(
            "cannot connect to NATS at {servers}: the server requires a user and password (authorization violation); name them in the runtime configuration's nats.username and nats.password (g2n run --nats-auth DIR)"
        ),
        ConnectRefusal::Authorization => format!(
            "cannot connect to NATS at {servers}: the server refused user '{}' (authorization violation: a wrong password, or a user the server's authorization does not list)",
            config.credential.username
        ),
        ConnectRefusal::Tls => format!(
            "cannot connect to NATS at {servers}: TLS failed (can the CA file in nats.ca_file, {}, be read, and does it sign the server's certificate?)",
            config.ca_file.as_deref().unwrap_or("none")
        ),
    }
}

/// Whether the server at `url` says it offers TLS in its INFO greeting
/// (sent in plaintext before any handshake); None if it cannot be read.
/// From `local`, when the configuration binds the connection to an address
/// (a server may accept clients of that address only).
fn offers_tls(runtime: &Runtime, url: &str, local: Option<std::net::SocketAddr>) -> Option<bool> {
    use std::io::Read;
    let addr = url.split("://").last()?.trim_end_matches('/');
    let addr = std::net::ToSocketAddrs::to_socket_addrs(addr).ok()?.next()?;
    let mut conn = match local {
        None => std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?,
        Some(local) => connect_from(runtime, local, addr)?,
    };
    conn.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let mut greeting = [0u8; 4096];
    let n = conn.read(&mut greeting).ok()?;
    let text = std::str::from_utf8(&greeting[..n]).ok()?;
    let info: serde_json::Value = serde_json::from_str(text.strip_prefix("INFO ")?.trim()).ok()?;
    Some(info["tls_required"].as_bool().unwrap_or(false) || info["tls_available"].as_bool().unwrap_or(false))
}

/// A blocking connection to `to` from the local address `from` (std has no
/// bind-before-connect; tokio's TcpSocket has, on the I/O runtime).
fn connect_from(runtime: &Runtime, from: std::net::SocketAddr, to: std::net::SocketAddr) -> Option<std::net::TcpStream> {
    let stream = runtime.block_on(async {
        let socket = if from.is_ipv4() { tokio::net::TcpSocket::new_v4() } else { tokio::net::TcpSocket::new_v6() }.ok()?;
        socket.bind(from).ok()?;
        tokio::time::timeout(Duration::from_secs(2), socket.connect(to)).await.ok()?.ok()
    })?;
    let stream = stream.into_std().ok()?;
    stream.set_nonblocking(false).ok()?;
    Some(stream)
}
