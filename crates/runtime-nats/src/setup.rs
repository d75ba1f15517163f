//! The mesh's streams and consumers, created idempotently by every process
//! that needs them (so a host started on another machine sets up what it
//! uses, and `g2n run` needs no separate step). An existing consumer whose
//! settings differ from this process's is updated where JetStream allows
//! it (`ack_wait`, `max_deliver`, `max_ack_pending`) and refused with the
//! difference otherwise; an existing step stream keeps its duplicate
//! window, and the replay check uses that window ([`StepStream`]).

use crate::io::Io;
use async_nats::jetstream::consumer::{self, AckPolicy, DeliverPolicy, pull};
use async_nats::jetstream::stream::{self, RetentionPolicy, StorageType};
use g2n_abi::nats as names;
use std::time::Duration;

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

/// Makes sure the step stream (work queue) and the result stream (limits,
/// max age) of the mesh exist. Creating a stream that exists with the same
/// configuration is a no-op on the server; concurrent creators are retried.
pub fn ensure_streams(io: &Io) -> Result<StepStream, String> {
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
    let mut step_stream = StepStream { duplicate_window: window };
    for config in [steps, out] {
        let name = config.name.clone();
        let mut last = String::new();
        for _ in 0..20 {
            match io.block_on(io.js.get_or_create_stream(config.clone())) {
                Ok(stream) => {
                    let had = stream.cached_info().config.duplicate_window;
                    if had != window {
                        // Changing it takes STREAM.UPDATE, which only the
                        // mesh's admin may do: go on with the stream's own.
                        tracing::warn!(pid = std::process::id(), stream = %name, had_ms = had.as_millis() as u64, configured_ms = window.as_millis() as u64, "stream.window_differs");
                    }
                    if name == names::step_stream(mesh) {
                        step_stream.duplicate_window = had;
                    }
                    last.clear();
                    break;
                }
                Err(e) => {
                    last = e.to_string();
                    std::thread::sleep(Duration::from_millis(250));
                }
            }
        }
        if !last.is_empty() {
            return Err(format!("cannot create the JetStream stream {name}: {last}"));
        }
    }
    Ok(step_stream)
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
fn mismatch(had: &consumer::Config, want: &pull::Config) -> Option<Mismatch> {
    let ms = |d: Duration| d.as_millis();
    let mut fixed = Vec::new();
    if had.filter_subject != want.filter_subject {
        fixed.push(format!("filter subject '{}' (this process: '{}')", had.filter_subject, want.filter_subject));
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

/// The durable pull consumer of `nanoservice`, shared by all its replicas.
pub fn ensure_consumer(io: &Io, nanoservice: &str) -> Result<consumer::Consumer<pull::Config>, String> {
    let mesh = &io.config.mesh;
    let name = names::consumer(nanoservice);
    let config = pull::Config {
        durable_name: Some(name.clone()),
        filter_subject: names::step_subject(mesh, nanoservice),
        ack_policy: AckPolicy::Explicit,
        deliver_policy: DeliverPolicy::All,
        ack_wait: Duration::from_millis(io.config.ack_wait_ms.max(100)),
        // A step is redelivered for as long as it is not finished.
        max_deliver: -1,
        max_ack_pending: 100_000,
        ..Default::default()
    };
    let mut last = String::new();
    for _ in 0..20 {
        let attempt = io.block_on(async {
            let stream = io.js.get_stream(names::step_stream(mesh)).await.map_err(|e| Err(e.to_string()))?;
            let existing: consumer::Consumer<pull::Config> = stream.get_or_create_consumer(&name, config.clone()).await.map_err(|e| Err(e.to_string()))?;
            let had = existing.cached_info().config.clone();
            match mismatch(&had, &config) {
                None => Ok(existing),
                Some(Mismatch::Fixed(what)) => Err(Ok(format!(
                    "the JetStream consumer {name} of nanoservice '{nanoservice}' exists with {what}; JetStream cannot change that in place: delete the consumer (as the mesh's admin, once no host serves '{nanoservice}') and start again"
                ))),
                Some(Mismatch::Updatable(what)) => {
                    // A create of an existing durable with other settings
                    // is an update on the server; its answer says what it
                    // has now.
                    let updated = stream.create_consumer(config.clone()).await.map_err(|e| Err(format!("cannot update it from {what}: {e}")))?;
                    let now = updated.cached_info().config.clone();
                    if let Some(Mismatch::Updatable(left) | Mismatch::Fixed(left)) = mismatch(&now, &config) {
                        return Err(Ok(format!("the JetStream consumer {name} of nanoservice '{nanoservice}' exists with {left}, and the server did not update it")));
                    }
                    tracing::info!(pid = std::process::id(), consumer = %name, was = %what, "consumer.updated");
                    Ok(updated)
                }
            }
        });
        match attempt {
            Ok(c) => return Ok(c),
            // Refused for good: no retry makes the settings agree.
            Err(Ok(refusal)) => return Err(refusal),
            Err(Err(e)) => last = e,
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!("cannot create the JetStream consumer {name} of nanoservice '{nanoservice}': {last}"))
}
