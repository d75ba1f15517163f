//! The engine's one I/O thread and its NATS connection.
//!
//! A current-thread tokio runtime is driven by one thread of its own
//! (`g2n-nats-io`), which runs the NATS client's connection task, the pull
//! loops and the in-progress acks. Flow threads (ordinary threads that run
//! generated code) reach it through [`Io::block_on`]: the future they wait
//! for runs on their own thread, while its socket I/O and timers are driven
//! by the I/O thread.

use async_nats::jetstream::{self, context::PublishErrorKind, message::PublishMessage};
use async_nats::{ConnectOptions, HeaderMap};
use bytes::Bytes;
use crate::config::NatsConfig;
use std::future::Future;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// How long one JetStream request (API call, publish ack) is waited for.
const API_TIMEOUT: Duration = Duration::from_secs(2);

pub struct Io {
    pub handle: Handle,
    pub client: async_nats::Client,
    pub js: jetstream::Context,
    pub config: NatsConfig,
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
    Ok(options)
}

impl Io {
    /// Starts the I/O thread and connects (waits at most `connect_wait` for
    /// a server to answer).
    pub fn start(config: &NatsConfig, name: &str, connect_wait: Duration) -> Result<Io, String> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the NATS I/O runtime: {e}"))?;
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("g2n-nats-io".into())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))
            .map_err(|e| format!("cannot start the NATS I/O thread: {e}"))?;
        if config.servers.is_empty() {
            return Err("the runtime configuration names no NATS server (nats.servers)".into());
        }
        let options = connect_options(config, name)?;
        let servers = config.servers.join(",");
        let addrs = config
            .servers
            .iter()
            .map(|s| s.parse::<async_nats::ServerAddr>().map_err(|e| format!("invalid NATS server URL '{s}': {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let connecting = handle.block_on(async { tokio::time::timeout(connect_wait, options.connect(addrs)).await });
        let client = match connecting {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(format!("cannot connect to NATS at {servers}: {e}")),
            Err(_) => return Err(format!("cannot connect to NATS at {servers}: no answer within {connect_wait:?}")),
        };
        // Flushing proves the connection is up (retry_on_initial_connect
        // returns before it is).
        handle
            .block_on(async { tokio::time::timeout(connect_wait, client.flush()).await })
            .map_err(|_| format!("cannot connect to NATS at {servers}: no answer within {connect_wait:?}"))?
            .map_err(|e| format!("cannot connect to NATS at {servers}: {e}"))?;
        // The context spawns its acker task: inside the runtime.
        let js = {
            let _inside = handle.enter();
            // An API request lost while a cluster re-elects a leader is
            // retried by the caller; waiting long for it helps nobody.
            let mut js = jetstream::new(client.clone());
            js.set_timeout(API_TIMEOUT);
            js
        };
        Ok(Io { handle, client, js, config: config.clone() })
    }

    /// Runs `f` to completion on the calling thread (never the I/O thread).
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.handle.block_on(f)
    }

    pub fn publish_deadline(&self) -> Duration {
        Duration::from_millis(self.config.publish_deadline_ms)
    }

    /// Publishes with a message id until the stream stores it (PubAck) or
    /// `deadline` passes; retries (a leader election, a node that died) use
    /// the same id, so the stream stores the message once.
    pub fn publish(&self, subject: &str, id: &str, headers: HeaderMap, payload: Bytes, deadline: Duration) -> Result<Stored, String> {
        let started = Instant::now();
        let mut uncertain = false;
        let mut pause = Duration::from_millis(20);
        loop {
            let message = PublishMessage::build().headers(headers.clone()).message_id(id).payload(payload.clone());
            let attempt = self.block_on(async {
                let ack = self.js.send_publish(subject.to_string(), message).await?;
                ack.await
            });
            let error = match attempt {
                Ok(ack) => return Ok(Stored { duplicate: ack.duplicate, uncertain }),
                Err(e) => e,
            };
            // A timeout may have stored the message after all.
            if matches!(error.kind(), PublishErrorKind::TimedOut | PublishErrorKind::BrokenPipe | PublishErrorKind::Other) {
                uncertain = true;
            }
            if started.elapsed() + pause > deadline {
                return Err(format!("publish to {subject} failed for {:?}: {error}", started.elapsed()));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }
}
