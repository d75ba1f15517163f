//! The mesh's streams and consumers, created idempotently by every process
//! that needs them (so a host started on another machine sets up what it
//! uses, and `g2n run` needs no separate step).

use crate::io::Io;
use async_nats::jetstream::consumer::{self, AckPolicy, DeliverPolicy, pull};
use async_nats::jetstream::stream::{self, RetentionPolicy, StorageType};
use g2n_abi::nats as names;
use std::time::Duration;

/// How long a message id dedupes a re-publish of the same effect.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

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
pub fn ensure_streams(io: &Io) -> Result<(), String> {
    let mesh = &io.config.mesh;
    let replicas = replicas(io);
    let steps = stream::Config {
        name: names::step_stream(mesh),
        subjects: vec![names::step_subjects(mesh)],
        retention: RetentionPolicy::WorkQueue,
        storage: StorageType::File,
        num_replicas: replicas,
        duplicate_window: DUPLICATE_WINDOW,
        ..Default::default()
    };
    let out = stream::Config {
        name: names::out_stream(mesh),
        subjects: vec![names::out_subjects(mesh)],
        retention: RetentionPolicy::Limits,
        storage: StorageType::File,
        num_replicas: replicas,
        duplicate_window: DUPLICATE_WINDOW,
        max_age: Duration::from_secs(io.config.out_max_age_s.max(1)),
        ..Default::default()
    };
    for config in [steps, out] {
        let name = config.name.clone();
        let mut last = String::new();
        for _ in 0..20 {
            match io.block_on(io.js.get_or_create_stream(config.clone())) {
                Ok(_) => {
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
    Ok(())
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
            let stream = io.js.get_stream(names::step_stream(mesh)).await.map_err(|e| e.to_string())?;
            stream.get_or_create_consumer(&name, config.clone()).await.map_err(|e| e.to_string())
        });
        match attempt {
            Ok(c) => return Ok(c),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!("cannot create the JetStream consumer {name} of nanoservice '{nanoservice}': {last}"))
}
