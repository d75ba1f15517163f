//! The mesh's streams and consumers, created idempotently by every process
//! that needs them (so a host started on another machine sets up what it
//! uses, and `g2n run` needs no separate step). An existing consumer whose
//! settings differ from this process's is updated where JetStream allows
//! it (`ack_wait`, `max_deliver`, `max_ack_pending`) and refused with the
//! difference otherwise; an existing step stream keeps its duplicate
//! window, and the replay check uses that window ([`StepStream`]).
//!
//! While a cluster elects leaders (a node died or rejoined) JetStream API
//! requests go unanswered or are refused at once. Every request is retried
//! until `setup_deadline_ms`: after a refusal with a short pause that
//! doubles from [`FIRST_PAUSE`] to [`LAST_PAUSE`], after a request that
//! went unanswered for [`REQUEST_TIMEOUT`] at once; and a host looks up
//! both streams and its consumers at the same time ([`prepare_host`]), so
//! that it is ready as soon as the last leader it needs answers, not after
//! the sum of their elections. Only the server's answer that a stream or
//! consumer does not exist makes a process create it.

use crate::io::Io;
use crate::config::Delivery;
use async_nats::jetstream::consumer::{self, AckPolicy, DeliverPolicy, IntoConsumerConfig, pull, push};
use async_nats::jetstream::context::GetStreamErrorKind;
use async_nats::jetstream::ErrorCode;
use async_nats::jetstream::stream::{self, ConsumerErrorKind, RetentionPolicy, StorageType};
use g2n_abi::nats as names;
use std::future::Future;
use std::time::{Duration, Instant};

/// How long one set-up request waits for its answer. An election ends
/// within seconds; a request sent during it is lost, so a shorter wait
/// retries sooner once a leader is there.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(1);
/// The pause after an attempt the server refused (no responders, no
/// leader yet), doubled after each refusal up to [`LAST_PAUSE`].
pub const FIRST_PAUSE: Duration = Duration::from_millis(25);
pub const LAST_PAUSE: Duration = Duration::from_millis(400);

/// What a host needs to know of the step stream it pulls from.
#[derive(Clone, Copy, Debug)]
pub struct StepStream {
    /// How long the stream dedupes a re-publish by message id: the one it
    /// has, which is the configured one unless the stream existed before
    /// with another.
    pub duplicate_window: Duration,
}

/// Replicas of the mesh's streams: the configured number, else 3 on a
/// cluster and 1 on a single server.
fn replicas(io: &Io) -> usize {
    match io.config.stream_replicas {
        0 if io.client.server_info().cluster.is_some() => 3,
        0 => 1,
        n => n,
    }
}

/// The outcome of one set-up attempt.
enum Attempt<T> {
    Done(T),
    /// Worth another attempt (unanswered, refused during an election, a
    /// concurrent creator): why.
    Again(String),
    /// No attempt can do better.
    Fail(String),
}

/// Runs `attempt` until it is done, fails for good or `deadline` passes.
/// `what` names the thing set up in the error.
async fn retry<T, F, Fut>(what: &str, deadline: Instant, mut attempt: F) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Attempt<T>>,
{
    let mut pause = FIRST_PAUSE;
    let mut tries = 0u32;
    loop {
        let sent = Instant::now();
        tries += 1;
        let why = match tokio::time::timeout(REQUEST_TIMEOUT * 2, attempt()).await {
            Ok(Attempt::Done(t)) => return Ok(t),
            Ok(Attempt::Fail(e)) => return Err(e),
            Ok(Attempt::Again(why)) => why,
            Err(_) => "no answer".to_string(),
        };
        // Unanswered for the whole request timeout: the next attempt goes
        // at once; refused quickly: a short pause, growing.
        let wait = if sent.elapsed() >= REQUEST_TIMEOUT { Duration::ZERO } else { pause };
        if Instant::now() + wait >= deadline {
            return Err(format!("cannot set up {what}: {why} (after {tries} attempts)"));
        }
        tracing::info!(pid = crate::pid(), what, error = %why, tries, "setup.retry");
        tokio::time::sleep(wait).await;
        if wait > Duration::ZERO {
            pause = (pause * 2).min(LAST_PAUSE);
        }
    }
}

/// The mesh's stream `config`: found, or created if the server says it
/// does not exist. Returns the duplicate window it has.
async fn ensure_stream(js: &async_nats::jetstream::Context, config: stream::Config, deadline: Instant) -> Result<Duration, String> {
    let name = config.name.clone();
    let window = config.duplicate_window;
    let had = retry(&format!("the JetStream stream {name}"), deadline, || async {
        match js.get_stream(&name).await {
            Ok(stream) => Attempt::Done(stream.cached_info().config.duplicate_window),
            Err(e) if matches!(e.kind(), GetStreamErrorKind::JetStream(ref j) if j.error_code() == ErrorCode::STREAM_NOT_FOUND) => {
                match js.create_stream(config.clone()).await {
                    Ok(stream) => Attempt::Done(stream.cached_info().config.duplicate_window),
                    // Created by another process meanwhile, or refused
                    // during an election: look again.
                    Err(e) => Attempt::Again(e.to_string()),
                }
            }
            Err(e) => Attempt::Again(e.to_string()),
        }
    })
    .await?;
    if had != window {
        // Changing it takes STREAM.UPDATE, which only the mesh's admin may
        // do: go on with the stream's own.
        tracing::warn!(pid = crate::pid(), stream = %name, had_ms = had.as_millis() as u64, configured_ms = window.as_millis() as u64, "stream.window_differs");
    }
    Ok(had)
}

/// The JetStream context set-up requests go through: the connection's,
/// with [`REQUEST_TIMEOUT`].
fn setup_context(io: &Io) -> async_nats::jetstream::Context {
    let mut js = io.js.clone();
    js.set_timeout(REQUEST_TIMEOUT);
    js
}

/// Makes sure the step stream (work queue) and the result stream (limits,
/// max age) of the mesh exist, both at once, until `deadline`.
pub async fn ensure_streams_until(io: &Io, deadline: Instant) -> Result<StepStream, String> {
    let mesh = &io.config.mesh;
    let replicas = replicas(io);
    let window = Duration::from_millis(io.config.duplicate_window_ms.max(100));
    let steps = stream::Config {
        name: names::step_stream(mesh),
        subjects: vec![names::step_subjects(mesh)],
        retention: RetentionPolicy::WorkQueue,
        storage: StorageType::File,
        num_replicas: replicas,
        duplicate_window: window,
        ..Default::default()
    };
    let out = stream::Config {
        name: names::out_stream(mesh),
        subjects: vec![names::out_subjects(mesh)],
        retention: RetentionPolicy::Limits,
        storage: StorageType::File,
        num_replicas: replicas,
        duplicate_window: window,
        max_age: Duration::from_secs(io.config.out_max_age_s.max(1)),
        ..Default::default()
    };
    let js = setup_context(io);
    let (steps, out) = tokio::join!(ensure_stream(&js, steps, deadline), ensure_stream(&js, out, deadline));
    out?;
    Ok(StepStream { duplicate_window: steps? })
}

/// [`ensure_streams_until`] from a thread outside the I/O runtime, until
/// `setup_deadline_ms` from now.
pub fn ensure_streams(io: &Io) -> Result<StepStream, String> {
    let deadline = Instant::now() + Duration::from_millis(io.config.setup_deadline_ms);
    io.block_on(ensure_streams_until(io, deadline))
}

/// Why an existing consumer cannot serve as this process's.
enum Mismatch {
    /// Settings JetStream updates in place.
    Updatable(String),
    /// Settings it does not: the consumer must be deleted (by the mesh's
    /// admin) before a process with these settings can serve.
    Fixed(String),
}

/// How `had` differs from `want`, the settings this process uses.
fn mismatch(had: &consumer::Config, want: &consumer::Config) -> Option<Mismatch> {
    let ms = |d: Duration| d.as_millis();
    let kind = |c: &consumer::Config| match &c.deliver_subject {
        None => "pull".to_string(),
        Some(to) => format!("push (to '{to}', queue group '{}')", c.deliver_group.as_deref().unwrap_or("none")),
    };
    let mut fixed = Vec::new();
    if had.filter_subject != want.filter_subject {
        fixed.push(format!("filter subject '{}' (this process: '{}')", had.filter_subject, want.filter_subject));
    }
    if (&had.deliver_subject, &had.deliver_group) != (&want.deliver_subject, &want.deliver_group) {
        fixed.push(format!("delivery {} (this process: {}; nats.delivery)", kind(had), kind(want)));
    }
    if had.ack_policy != want.ack_policy {
        fixed.push(format!("ack policy {:?} (this process: {:?})", had.ack_policy, want.ack_policy));
    }
    if had.deliver_policy != want.deliver_policy {
        fixed.push(format!("deliver policy {:?} (this process: {:?})", had.deliver_policy, want.deliver_policy));
    }
    if !fixed.is_empty() {
        return Some(Mismatch::Fixed(fixed.join(", ")));
    }
    let mut updatable = Vec::new();
    if had.ack_wait != want.ack_wait {
        updatable.push(format!("ack_wait {} ms (this process: {} ms)", ms(had.ack_wait), ms(want.ack_wait)));
    }
    if had.max_deliver != want.max_deliver {
        updatable.push(format!("max_deliver {} (this process: {})", had.max_deliver, want.max_deliver));
    }
    if had.max_ack_pending != want.max_ack_pending {
        updatable.push(format!("max_ack_pending {} (this process: {})", had.max_ack_pending, want.max_ack_pending));
    }
    (!updatable.is_empty()).then(|| Mismatch::Updatable(updatable.join(", ")))
}

/// Where a host receives one nanoservice's steps from.
pub enum StepSource {
    /// The nanoservice's durable pull consumer.
    Pull(consumer::Consumer<pull::Config>),
    /// The subject its durable push consumer delivers to, and the queue
    /// group its hosts share (the nanoservice's consumer name).
    Push { deliver_subject: String, group: String },
}

/// The consumer settings of `nanoservice` for this process's
/// `nats.delivery` (crate::config). A step is redelivered for as long as
/// it is not finished. A pull consumer bounds what one host holds by its
/// pull batches (its `max_ack_pending` is no limit); a push consumer
/// bounds what all its hosts hold together by `max_ack_pending`
/// ([`push_max_ack_pending`]).
fn consumer_settings(io: &Io, nanoservice: &str) -> consumer::Config {
    let mesh = &io.config.mesh;
    let name = names::consumer(nanoservice);
    let ack_wait = Duration::from_millis(io.config.ack_wait_ms.max(100));
    match io.config.delivery {
        Delivery::Pull => pull::Config {
            durable_name: Some(name),
            filter_subject: names::step_subject(mesh, nanoservice),
            ack_policy: AckPolicy::Explicit,
            deliver_policy: DeliverPolicy::All,
            ack_wait,
            max_deliver: -1,
            max_ack_pending: 100_000,
            ..Default::default()
        }
        .into_consumer_config(),
        // No flow control and no idle heartbeats: they would go to one
        // member of the queue group, which cannot answer for the others.
        // A host's subscription lives as long as its connection (the
        // client subscribes again on every reconnect).
        Delivery::Push => push::Config {
            durable_name: Some(name.clone()),
            deliver_subject: names::deliver_subject(mesh, nanoservice),
            deliver_group: Some(name),
            filter_subject: names::step_subject(mesh, nanoservice),
            ack_policy: AckPolicy::Explicit,
            deliver_policy: DeliverPolicy::All,
            ack_wait,
            max_deliver: -1,
            max_ack_pending: push_max_ack_pending(&io.config) as i64,
            ..Default::default()
        }
        .into_consumer_config(),
    }
}

/// The push consumer's `max_ack_pending`: `push_max_ack_pending`, at most
/// `max_in_flight`, so that a host never has a pushed step waiting for an
/// in-flight slot (a step is renewed only once it has one).
pub fn push_max_ack_pending(config: &crate::config::NatsConfig) -> usize {
    config.push_max_ack_pending.clamp(1, config.max_in_flight.max(1))
}

/// The durable consumer of `nanoservice`, shared by all its replicas:
/// found (one request, to the consumer's leader), or created once the
/// server says it does not exist (the step stream may still be on its way:
/// [`prepare_host`] sets it up at the same time), until `deadline`.
pub async fn ensure_consumer(io: &Io, nanoservice: &str, deadline: Instant) -> Result<StepSource, String> {
    let mesh = &io.config.mesh;
    let name = names::consumer(nanoservice);
    let stream_name = names::step_stream(mesh);
    let config = consumer_settings(io, nanoservice);
    let js = setup_context(io);
    let what = format!("the JetStream consumer {name} of nanoservice '{nanoservice}'");
    let info = retry(&what, deadline, || async {
        let existing: consumer::Consumer<consumer::Config> = match js.get_consumer_from_stream(&name, &stream_name).await {
            Ok(c) => c,
            Err(e) if matches!(e.kind(), ConsumerErrorKind::JetStream(ref j) if j.error_code() == ErrorCode::CONSUMER_NOT_FOUND) => {
                match js.create_consumer_on_stream(config.clone(), &stream_name).await {
                    Ok(c) => c,
                    // The stream is not there yet, a concurrent creator,
                    // or an election: look again.
                    Err(e) => return Attempt::Again(e.to_string()),
                }
            }
            Err(e) => return Attempt::Again(e.to_string()),
        };
        let had = existing.cached_info().config.clone();
        match mismatch(&had, &config) {
            None => Attempt::Done(existing.cached_info().clone()),
            Some(Mismatch::Fixed(what)) => Attempt::Fail(format!(
                "the JetStream consumer {name} of nanoservice '{nanoservice}' exists with {what}; JetStream cannot change that in place: delete the consumer (as the mesh's admin, once no host serves '{nanoservice}') and start again"
            )),
            Some(Mismatch::Updatable(what)) => {
                // A create of an existing durable with other settings is
                // an update on the server; its answer says what it has now.
                let updated = match js.create_consumer_on_stream(config.clone(), &stream_name).await {
                    Ok(c) => c,
                    Err(e) => return Attempt::Again(format!("cannot update it from {what}: {e}")),
                };
                let now = updated.cached_info().config.clone();
                if let Some(Mismatch::Updatable(left) | Mismatch::Fixed(left)) = mismatch(&now, &config) {
                    return Attempt::Fail(format!("the JetStream consumer {name} of nanoservice '{nanoservice}' exists with {left}, and the server did not update it"));
                }
                tracing::info!(pid = crate::pid(), consumer = %name, was = %what, "consumer.updated");
                Attempt::Done(updated.cached_info().clone())
            }
        }
    })
    .await?;
    Ok(match (&config.deliver_subject, &config.deliver_group) {
        (Some(to), Some(group)) => StepSource::Push { deliver_subject: to.clone(), group: group.clone() },
        _ => {
            let pull = pull::Config {
                durable_name: config.durable_name.clone(),
                filter_subject: config.filter_subject.clone(),
                ack_policy: config.ack_policy,
                deliver_policy: config.deliver_policy,
                ack_wait: config.ack_wait,
                max_deliver: config.max_deliver,
                max_ack_pending: config.max_ack_pending,
                ..Default::default()
            };
            StepSource::Pull(consumer::Consumer::new(pull, info, js.clone()))
        }
    })
}

/// What a host serves from: the step stream and, per nanoservice it
/// serves, its consumer.
pub struct HostSetup {
    pub step_stream: StepStream,
    pub consumers: Vec<(String, StepSource)>,
}

/// A host's set-up: the mesh's streams and the consumer of every
/// nanoservice it serves (each through that nanoservice's connection), all
/// at once, until `setup_deadline_ms` from now.
pub fn prepare_host(conns: &crate::io::Connections, units: &[String]) -> Result<HostSetup, String> {
    let io = &conns.main;
    let deadline = Instant::now() + Duration::from_millis(io.config.setup_deadline_ms);
    io.block_on(async {
        let consumers = futures_util::future::join_all(units.iter().map(|unit| async move { (unit.clone(), ensure_consumer(conns.of(unit), unit, deadline).await) }));
        let (streams, consumers) = tokio::join!(ensure_streams_until(io, deadline), consumers);
        let step_stream = streams?;
        let consumers = consumers.into_iter().map(|(unit, c)| c.map(|c| (unit, c))).collect::<Result<Vec<_>, String>>()?;
        Ok(HostSetup { step_stream, consumers })
    })
}
