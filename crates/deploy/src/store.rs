//! A deployed mesh's buckets on JetStream: artifacts by hash, the desired
//! state (one value, changed by compare-and-set), host reports with a time
//! to live, and the step counts of each nanoservice's consumer.

use crate::names;
use crate::state::{Desired, HostReport};
use async_nats::jetstream::{self, kv, object_store, stream};
use futures_util::StreamExt;
use g2n_abi::nats as engine_names;
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// How long a host's report lives without a newer one: a host that stops
/// reporting (killed, or cut off from the engine) leaves `g2n status`
/// after this long.
pub const HOST_TTL: Duration = Duration::from_secs(10);

/// The buckets of one mesh.
pub struct Store {
    pub js: jetstream::Context,
    pub mesh: String,
    desired: kv::Store,
    hosts: kv::Store,
    artifacts: object_store::ObjectStore,
}

/// A conflicting write: another deploy changed the desired state since it
/// was read (read it again and retry).
pub const CONFLICT: &str = "the desired state changed while this deploy ran";

/// Connects to `servers` (comma-separated list given as a slice) with
/// `options`, waiting at most `wait` for a first answer.
pub async fn connect(servers: &[String], options: async_nats::ConnectOptions, wait: Duration) -> Result<async_nats::Client, String> {
    let urls = servers.join(",");
    let addrs = servers
        .iter()
        .map(|s| s.parse::<async_nats::ServerAddr>().map_err(|e| format!("invalid NATS server URL '{s}': {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    if addrs.is_empty() {
        return Err("no NATS server given (--nats URL)".into());
    }
    tokio::time::timeout(wait, options.connect(addrs))
        .await
        .map_err(|_| format!("cannot connect to NATS at {urls}: no answer within {wait:?}"))?
        .map_err(|e| format!("cannot connect to NATS at {urls}: {e}"))
}

/// The meshes deployed on this JetStream (those with a desired-state bucket).
pub async fn meshes(js: &jetstream::Context) -> Result<Vec<String>, String> {
    let mut names = js.stream_names();
    let mut found = Vec::new();
    while let Some(name) = names.next().await {
        let name = name.map_err(|e| format!("cannot list the JetStream streams: {e}"))?;
        if let Some(mesh) = name.strip_prefix(names::DESIRED_STREAM_PREFIX) {
            found.push(mesh.to_string());
        }
    }
    found.sort();
    Ok(found)
}

/// The object store's digest of bytes whose SHA-256 is `hex`:
/// `SHA-256=` and the digest in URL-safe, padded base64.
fn object_digest(hex: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes: Vec<u8> = (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()).collect();
    let mut out = String::from("SHA-256=");
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Replicas of the buckets: 3 on a cluster, 1 on a single server (as the
/// engine does for its streams).
fn replicas(client: &async_nats::Client) -> usize {
    if client.server_info().cluster.is_some() { 3 } else { 1 }
}

/// The stream of a key-value bucket, as async-nats's `create_key_value`
/// makes it. That function is not used: it first asks for the account's
/// info (`$JS.API.INFO`), and async-nats 0.52 cannot read a 2.9 server's
/// answer ("data did not match any variant of untagged enum Response").
fn kv_stream(bucket: &str, description: String, history: i64, max_age: Duration, replicas: usize) -> stream::Config {
    stream::Config {
        name: format!("KV_{bucket}"),
        description: Some(description),
        subjects: vec![format!("$KV.{bucket}.>")],
        max_messages_per_subject: history,
        max_bytes: -1,
        max_age,
        max_message_size: -1,
        storage: stream::StorageType::File,
        allow_rollup: true,
        deny_delete: true,
        deny_purge: false,
        allow_direct: true,
        num_replicas: replicas,
        discard: stream::DiscardPolicy::New,
        ..Default::default()
    }
}

async fn key_value(js: &jetstream::Context, config: stream::Config, create: bool) -> Result<kv::Store, String> {
    let bucket = config.name.trim_start_matches("KV_").to_string();
    match js.get_key_value(&bucket).await {
        Ok(store) => Ok(store),
        Err(_) if create => match js.get_or_create_stream(config).await {
            Ok(_) => js.get_key_value(&bucket).await.map_err(|e| format!("cannot open the key-value bucket {bucket}: {e}")),
            Err(e) => Err(format!("cannot create the key-value bucket {bucket}: {e}")),
        },
        Err(e) => Err(format!("no key-value bucket {bucket}: {e}")),
    }
}

impl Store {
    /// Opens the buckets of `mesh`; with `create`, makes the missing ones
    /// (what a deploy does), else a mesh that was never deployed is an error.
    pub async fn open(client: &async_nats::Client, mesh: &str, create: bool) -> Result<Store, String> {
        let js = jetstream::new(client.clone());
        let replicas = replicas(client);
        let desired_config = kv_stream(&names::desired_bucket(mesh), format!("g2n: the desired state of mesh {mesh}"), 10, Duration::ZERO, replicas);
        let desired = key_value(&js, desired_config, create).await.map_err(|e| format!("mesh '{mesh}' is not deployed ({e})"))?;
        let hosts_config = kv_stream(&names::hosts_bucket(mesh), format!("g2n: the hosts of mesh {mesh}"), 1, HOST_TTL, replicas);
        // Hosts and status create it too: a host may report before a deploy.
        let hosts = key_value(&js, hosts_config, true).await?;
        let bucket = names::artifacts_bucket(mesh);
        let artifacts = match js.get_object_store(&bucket).await {
            Ok(store) => store,
            Err(_) if create => {
                let config = object_store::Config { bucket: bucket.clone(), description: Some(format!("g2n: artifacts of mesh {mesh}")), num_replicas: replicas, ..Default::default() };
                match js.create_object_store(config).await {
                    Ok(store) => store,
                    Err(e) => js.get_object_store(&bucket).await.map_err(|_| format!("cannot create the object store {bucket}: {e}"))?,
                }
            }
            Err(e) => return Err(format!("mesh '{mesh}' has no object store {bucket}: {e}")),
        };
        Ok(Store { js, mesh: mesh.to_string(), desired, hosts, artifacts })
    }

    /// Stores `bytes` under their hash (nothing is sent when an object of
    /// that name is there already) and returns the hash, `sha256:<hex>`.
    pub async fn put_artifact(&self, bytes: &[u8]) -> Result<String, String> {
        let hex = g2n_manifest::sha256_hex(bytes);
        // An object of that name whose digest is another (replaced or
        // corrupted: what a host refuses) is uploaded again.
        if let Ok(info) = self.artifacts.info(&hex).await
            && info.digest.as_deref() == Some(object_digest(&hex).as_str())
        {
            return Ok(format!("sha256:{hex}"));
        }
        let mut reader = bytes;
        self.artifacts.put(hex.as_str(), &mut reader).await.map_err(|e| format!("cannot upload artifact sha256:{hex}: {e}"))?;
        Ok(format!("sha256:{hex}"))
    }

    /// The artifact whose hash is `hash` (`sha256:<hex>`), checked: bytes
    /// whose SHA-256 is not `hash` are refused (a corrupted or replaced
    /// object), whatever the object store says about them.
    pub async fn get_artifact(&self, hash: &str) -> Result<Vec<u8>, String> {
        let name = names::object_name(hash);
        let mut object = self.artifacts.get(name).await.map_err(|e| format!("artifact {hash} is not in the object store: {e}"))?;
        let mut bytes = Vec::new();
        object.read_to_end(&mut bytes).await.map_err(|e| format!("cannot read artifact {hash}: {e}"))?;
        let actual = format!("sha256:{}", g2n_manifest::sha256_hex(&bytes));
        if actual != hash {
            return Err(format!("artifact {hash} is corrupted: its bytes hash to {actual}"));
        }
        Ok(bytes)
    }

    /// The desired state and its revision (for [`Store::write_desired`]);
    /// None before the first deploy.
    pub async fn desired(&self) -> Result<Option<(Desired, u64)>, String> {
        let entry = self.desired.entry(names::DESIRED_KEY).await.map_err(|e| format!("cannot read the desired state of mesh '{}': {e}", self.mesh))?;
        let Some(entry) = entry else { return Ok(None) };
        if entry.value.is_empty() {
            return Ok(None);
        }
        let desired = serde_json::from_slice(&entry.value).map_err(|e| format!("the desired state of mesh '{}' is not valid: {e}", self.mesh))?;
        Ok(Some((desired, entry.revision)))
    }

    /// Writes the desired state if it is still at `revision` (None: if
    /// there is none yet); Err([`CONFLICT`]) when someone wrote first.
    pub async fn write_desired(&self, desired: &Desired, revision: Option<u64>) -> Result<u64, String> {
        let value: bytes::Bytes = serde_json::to_vec(desired).map_err(|e| e.to_string())?.into();
        match revision {
            Some(r) => self.desired.update(names::DESIRED_KEY, value, r).await.map_err(|e| match e.kind() {
                kv::UpdateErrorKind::WrongLastRevision => CONFLICT.to_string(),
                _ => format!("cannot write the desired state: {e}"),
            }),
            None => self.desired.create(names::DESIRED_KEY, value).await.map_err(|e| match e.kind() {
                kv::CreateErrorKind::AlreadyExists => CONFLICT.to_string(),
                _ => format!("cannot write the desired state: {e}"),
            }),
        }
    }

    /// Publishes a host's report (it expires after [`HOST_TTL`]).
    pub async fn report(&self, report: &HostReport) -> Result<(), String> {
        let value: bytes::Bytes = serde_json::to_vec(report).map_err(|e| e.to_string())?.into();
        self.hosts.put(names::host_key(&report.host), value).await.map(|_| ()).map_err(|e| format!("cannot report host {}: {e}", report.host))
    }

    /// Every host that reported within [`HOST_TTL`], by name.
    pub async fn hosts(&self) -> Result<Vec<HostReport>, String> {
        let mut keys = self.hosts.keys().await.map_err(|e| format!("cannot list the hosts of mesh '{}': {e}", self.mesh))?;
        let mut reports = Vec::new();
        while let Some(key) = keys.next().await {
            let Ok(key) = key else { continue };
            if let Ok(Some(value)) = self.hosts.get(&key).await
                && let Ok(report) = serde_json::from_slice::<HostReport>(&value)
            {
                reports.push(report);
            }
        }
        reports.sort_by(|a, b| a.host.cmp(&b.host));
        Ok(reports)
    }

    /// Steps of `nanoservice` waiting in its consumer and delivered but not
    /// yet acknowledged (in flight); None before any of its hosts started.
    pub async fn steps(&self, nanoservice: &str) -> Option<(u64, usize)> {
        let stream = self.js.get_stream(engine_names::step_stream(&self.mesh)).await.ok()?;
        let info = stream.consumer_info(engine_names::consumer(nanoservice)).await.ok()?;
        Some((info.num_pending, info.num_ack_pending))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn object_digest_is_url_safe_padded_base64() {
        // SHA-256 of the empty input, as the object store writes it.
        assert_eq!(super::object_digest("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "SHA-256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=");
    }
}
