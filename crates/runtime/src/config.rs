//! The runtime configuration: a JSON file named by `G2N_RUNTIME`, written by the
//! `g2n` driver (or a deployer). Every field is optional so that an executable
//! with no configuration behaves like a plain Go binary. Unknown fields are
//! ignored so a newer driver can talk to an older runtime.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Starts a flow at resume point 0 and collects its output and exit code.
    #[default]
    Origin,
    /// Accepts handoffs forever.
    Serve,
}

/// Credentials; `password_env` names an environment variable holding the
/// password, so that secrets need not sit in files.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Credential {
    pub username: String,
    pub password: Option<String>,
    pub password_env: Option<String>,
}

impl Credential {
    pub fn password(&self) -> Result<String, String> {
        if let Some(p) = &self.password {
            return Ok(p.clone());
        }
        if let Some(var) = &self.password_env {
            return std::env::var(var).map_err(|_| format!("environment variable {var} (password of user '{}') is not set", self.username));
        }
        Ok(String::new())
    }
}

/// Which transport carries the hops that leave a host (docs/protocol.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EngineKind {
    /// g2n's own authenticated protocol over TCP (the default).
    #[default]
    Tcp,
    /// NATS JetStream: needs an executable linked with the NATS engine
    /// (`g2n build --engine nats`, crates/runtime-nats).
    Nats,
}

/// Where and how the NATS engine connects, and how it sets up the mesh's
/// streams. Every field is optional. The connection fields (user, password,
/// TLS files) are read in one place by the engine (`connect_options`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct NatsConfig {
    /// Server URLs, e.g. `nats://127.0.0.1:4222`; a cluster's nodes, any order.
    pub servers: Vec<String>,
    /// The mesh's name: its streams are `G2N_<MESH>` and `G2N_<MESH>_OUT`,
    /// its subjects `g2n.<mesh>.step.<nanoservice>` and `g2n.<mesh>.out.<flow>`.
    pub mesh: String,
    /// How long a delivered step may go without an ack or an in-progress ack
    /// before JetStream redelivers it (a host that died or hangs).
    pub ack_wait_ms: u64,
    /// How long a publish (handoff, output, end) is retried, e.g. while a
    /// cluster elects a new stream leader, before the step is given up (and
    /// redelivered) or, on the origin, the flow fails.
    pub publish_deadline_ms: u64,
    /// Replicas of each stream; 0: 3 when the server is in a cluster, else 1.
    pub stream_replicas: usize,
    /// How long a flow's output stays retrievable (`g2n flow result`).
    pub out_max_age_s: u64,
    /// Steps a host process runs at once, per nanoservice it serves.
    pub max_in_flight: usize,
    /// Connection credentials (`username`, `password` or `password_env`;
    /// an empty username connects without) and TLS files, for deployments
    /// with authorization.
    #[serde(flatten)]
    pub credential: Credential,
    pub ca_file: Option<String>,
    pub cert_file: Option<String>,
    pub key_file: Option<String>,
    /// The subject prefix of this process's reply inboxes; under the
    /// authorization `g2n build --engine nats` writes, the one its user may
    /// subscribe to (`_G2N_INBOX.<user>`). None: the client's `_INBOX`.
    pub inbox_prefix: Option<String>,
}

impl Default for NatsConfig {
    fn default() -> Self {
        NatsConfig {
            servers: vec!["nats://127.0.0.1:4222".into()],
            mesh: "g2n".into(),
            ack_wait_ms: 30_000,
            publish_deadline_ms: 30_000,
            stream_replicas: 0,
            out_max_age_s: 24 * 3600,
            max_in_flight: 64,
            credential: Credential::default(),
            ca_file: None,
            cert_file: None,
            key_file: None,
            inbox_prefix: None,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Route {
    /// `host:port` of the nanoservice.
    pub addr: String,
    #[serde(flatten)]
    pub credential: Credential,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct RuntimeConfig {
    pub role: Role,
    /// Where a serving unit listens.
    pub listen: String,
    /// A serving unit writes its bound address here once it accepts connections.
    pub ready_file: Option<String>,
    /// Users allowed to hand flows to this unit.
    pub accept: Vec<Credential>,
    /// Where each target nanoservice lives, and what to present to it.
    pub routes: BTreeMap<String, Route>,
    /// How long a sender keeps retrying an unacknowledged frame.
    pub handoff_deadline_ms: u64,
    /// Where an origin listens for its flow's output (loopback by default).
    pub return_listen: String,
    /// Append structured events (JSON lines, one per hop, rejection, retry and
    /// flow end) to this file. Every process of a mesh may share one file.
    pub trace_file: Option<String>,
    /// How often a host tells the origin that it still runs a flow (Alive).
    pub heartbeat_ms: u64,
    /// An origin whose flow runs elsewhere gives up on it after hearing
    /// nothing (no Output, Alive or End) for this long; 0 waits forever.
    pub liveness_timeout_ms: u64,
    /// The nanoservices placed on this process (a host, docs/protocol.md
    /// "Hosts"); empty: only the one the executable runs as.
    pub units: Vec<String>,
    /// Credentials accepted for one hosted nanoservice, instead of `accept`.
    pub unit_accept: BTreeMap<String, Vec<Credential>>,
    /// The name in this process's log lines (`g2n[NAME]`) when it hosts
    /// several nanoservices.
    pub host_name: Option<String>,
    /// An origin that also serves handoffs for its `units` on `listen` (a
    /// flow may come back to a nanoservice placed on the origin's host).
    pub serve: bool,
    /// The transport of hops between hosts: `tcp` (default) or `nats`.
    pub engine: EngineKind,
    /// The NATS engine's settings (with `engine: "nats"`).
    pub nats: NatsConfig,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            role: Role::Origin,
            listen: "127.0.0.1:0".into(),
            ready_file: None,
            accept: Vec::new(),
            routes: BTreeMap::new(),
            handoff_deadline_ms: 10_000,
            return_listen: "127.0.0.1:0".into(),
            trace_file: None,
            heartbeat_ms: 1000,
            liveness_timeout_ms: 10_000,
            units: Vec::new(),
            unit_accept: BTreeMap::new(),
            host_name: None,
            serve: false,
            engine: EngineKind::Tcp,
            nats: NatsConfig::default(),
        }
    }
}

impl RuntimeConfig {
    pub fn from_json(text: &str) -> Result<RuntimeConfig, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// Reads the file named by `G2N_RUNTIME`, or the defaults without it.
    pub fn from_env() -> Result<RuntimeConfig, String> {
        match std::env::var_os("G2N_RUNTIME") {
            None => Ok(RuntimeConfig::default()),
            Some(path) => {
                let shown = path.to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read runtime configuration {shown}: {e}"))?;
                RuntimeConfig::from_json(&text).map_err(|e| format!("invalid runtime configuration {shown}: {e}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_shape_and_defaults() {
        let c = RuntimeConfig::from_json(
            r#"{ "role": "serve", "listen": "127.0.0.1:0", "ready_file": "/tmp/r",
                 "accept": [{"username":"u","password":"p"}],
                 "routes": {"x": {"addr":"127.0.0.1:1","username":"u","password":"p"}},
                 "handoff_deadline_ms": 500, "future_field": 1 }"#,
        )
        .unwrap();
        assert_eq!(c.role, Role::Serve);
        assert_eq!(c.routes["x"].credential.username, "u");
        assert_eq!(c.routes["x"].credential.password().unwrap(), "p");
        assert_eq!(c.handoff_deadline_ms, 500);
        let d = RuntimeConfig::from_json("{}").unwrap();
        assert_eq!(d.role, Role::Origin);
        assert_eq!(d.handoff_deadline_ms, 10_000);
        assert_eq!(d.engine, EngineKind::Tcp);
        let n = RuntimeConfig::from_json(r#"{ "engine": "nats", "nats": { "servers": ["nats://127.0.0.1:1"], "mesh": "m", "ack_wait_ms": 2000, "password_env": "P" } }"#).unwrap();
        assert_eq!(n.engine, EngineKind::Nats);
        assert_eq!((n.nats.mesh.as_str(), n.nats.ack_wait_ms, n.nats.out_max_age_s), ("m", 2000, 24 * 3600));
        assert_eq!(n.nats.credential.password_env.as_deref(), Some("P"));
    }
}
