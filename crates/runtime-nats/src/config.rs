//! The NATS engine's settings: the `nats` object of the runtime
//! configuration (the JSON file named by `G2N_RUNTIME`, docs/protocol.md,
//! "Runtime configuration"). Read here, not by g2n-runtime, so that
//! executables without the engine carry no code for them.

use g2n_runtime::config::Credential;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    /// How long the mesh's streams drop a re-publish of a message id
    /// (their duplicate window, set when they are created), and so how old
    /// a handoff may be when the step stream stores it: an older one is a
    /// replay and is refused (docs/protocol.md, "Replays on NATS").
    pub duplicate_window_ms: u64,
    /// Replicas of each stream; 0: 3 when the server is in a cluster, else 1.
    pub stream_replicas: usize,
    /// How long a flow's output stays retrievable (`g2n flow result`).
    pub out_max_age_s: u64,
    /// Steps a host process runs at once, per nanoservice it serves.
    pub max_in_flight: usize,
    /// How a host receives its nanoservices' steps: `pull` (a pull
    /// consumer; each host asks for `pull_batch` steps at a time) or
    /// `push` (a push consumer that delivers to a queue group of the
    /// nanoservice's hosts, at most `push_max_ack_pending` unacked steps
    /// at once for all of them). Every host of a mesh must use the same:
    /// JetStream cannot turn one kind of consumer into the other.
    pub delivery: Delivery,
    /// With `delivery: push`: the consumer's `max_ack_pending`, the most
    /// steps of one nanoservice delivered and not yet acked, over all its
    /// hosts. It bounds what a stopped host can hold (docs/protocol.md,
    /// "Ack rules"); at most `max_in_flight`, so that every step pushed to
    /// a host starts (and is renewed) at once.
    pub push_max_ack_pending: usize,
    /// Which thread runs a received step: `inline`, the thread that drives
    /// the engine's I/O and received it (another thread takes over the
    /// I/O meanwhile), or `handoff`, a step thread woken by the one I/O
    /// thread (crate::pool).
    pub receive: Receive,
    /// Steps one pull request asks for (crate::serve). A host that hangs
    /// holds up to one and a half of these until their ack wait passes;
    /// larger batches take fewer pull round trips in a burst, and fewer
    /// requests in a bounce: a host asks again every `pull_batch` steps,
    /// and each request is JetStream API work the server does on the hop's
    /// path (docs/protocol.md, "Measured", session 15: 4 instead of 2 made
    /// the hop 0.95x to 0.98x and cost 4 to 7% less client CPU).
    pub pull_batch: usize,
    /// How long a process keeps trying to find (or create) the mesh's
    /// streams and its consumers at start, e.g. while a cluster elects
    /// leaders, before it gives up with exit code 1 (crate::setup).
    pub setup_deadline_ms: u64,
    /// How long a host given SIGTERM waits for the steps it holds to
    /// finish before it exits anyway (crate::drain).
    pub drain_ms: u64,
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
    /// The local address this process's NATS connection binds to (an IP,
    /// or IP:port; port 0 or none: any free port), so that each host of a
    /// machine with several addresses (on one machine: 127.0.0.2,
    /// 127.0.0.3, ...) is a client of its own address. None: the system
    /// picks the source address.
    pub local_address: Option<String>,
    /// How often the client pings the server; two unanswered pings close
    /// the connection and it reconnects (to another node of a cluster).
    /// This bounds how long a host behind a network partition, or on a
    /// node that was cut off, keeps writing into a dead connection.
    /// None: the client's default (60 s).
    pub ping_interval_ms: Option<u64>,
    /// A process that runs several nanoservices under a per-nanoservice
    /// authorization: the user each of them connects as (one connection
    /// each, crate::io::Connections). A nanoservice not listed uses the
    /// connection of the fields above.
    pub users: BTreeMap<String, UnitUser>,
}

/// How a host receives steps (`nats.delivery`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    Pull,
    Push,
}

/// Which thread runs a received step (`nats.receive`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Receive {
    Inline,
    Handoff,
}

/// The NATS user one nanoservice of a process connects as.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitUser {
    #[serde(flatten)]
    pub credential: Credential,
    /// None: `_G2N_INBOX.<username>`, the prefix the generated
    /// authorization grants.
    pub inbox_prefix: Option<String>,
}

impl Default for NatsConfig {
    fn default() -> Self {
        NatsConfig {
            servers: vec!["nats://127.0.0.1:4222".into()],
            mesh: "g2n".into(),
            ack_wait_ms: 30_000,
            publish_deadline_ms: 30_000,
            duplicate_window_ms: 120_000,
            stream_replicas: 0,
            out_max_age_s: 24 * 3600,
            max_in_flight: 64,
            delivery: Delivery::Pull,
            push_max_ack_pending: 16,
            receive: Receive::Inline,
            pull_batch: 4,
            setup_deadline_ms: 120_000,
            drain_ms: 10_000,
            credential: Credential::default(),
            ca_file: None,
            cert_file: None,
            key_file: None,
            inbox_prefix: None,
            local_address: None,
            ping_interval_ms: None,
            users: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    nats: NatsConfig,
}

impl NatsConfig {
    pub fn from_json(text: &str) -> Result<NatsConfig, String> {
        serde_json::from_str::<File>(text).map(|f| f.nats).map_err(|e| e.to_string())
    }

    /// [`NatsConfig::local_address`] as a socket address (port 0 if none
    /// is given).
    pub fn local_socket_address(&self) -> Result<Option<std::net::SocketAddr>, String> {
        let Some(text) = &self.local_address else { return Ok(None) };
        if let Ok(ip) = text.parse::<std::net::IpAddr>() {
            return Ok(Some(std::net::SocketAddr::new(ip, 0)));
        }
        text.parse::<std::net::SocketAddr>()
            .map(Some)
            .map_err(|_| format!("invalid nats.local_address '{text}': expected an IP address such as 127.0.0.2, or IP:port"))
    }

    /// The settings of the connection `unit` uses, if `users` names it.
    pub fn for_unit(&self, unit: &str) -> Option<NatsConfig> {
        let user = self.users.get(unit)?;
        let inbox = user.inbox_prefix.clone().unwrap_or_else(|| g2n_abi::nats::inbox_prefix(&user.credential.username));
        Some(NatsConfig { credential: user.credential.clone(), inbox_prefix: Some(inbox), users: BTreeMap::new(), ..self.clone() })
    }

    /// The `nats` object of the file named by `G2N_RUNTIME` (defaults
    /// without it).
    pub fn from_env() -> Result<NatsConfig, String> {
        match std::env::var_os("G2N_RUNTIME") {
            None => Ok(NatsConfig::default()),
            Some(path) => {
                let shown = path.to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read runtime configuration {shown}: {e}"))?;
                NatsConfig::from_json(&text).map_err(|e| format!("invalid runtime configuration {shown}: {e}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_nats_object_with_defaults() {
        let n = NatsConfig::from_json(r#"{ "engine": "nats", "role": "serve", "nats": { "servers": ["nats://127.0.0.1:1"], "mesh": "m", "ack_wait_ms": 2000, "username": "u", "password_env": "P" } }"#).unwrap();
        assert_eq!((n.mesh.as_str(), n.ack_wait_ms, n.out_max_age_s), ("m", 2000, 24 * 3600));
        assert_eq!((n.credential.username.as_str(), n.credential.password_env.as_deref()), ("u", Some("P")));
        let d = NatsConfig::from_json("{}").unwrap();
        assert_eq!((d.mesh.as_str(), d.ack_wait_ms, d.duplicate_window_ms), ("g2n", 30_000, 120_000));
        let several = NatsConfig::from_json(r#"{ "nats": { "username": "a-user", "password": "x", "users": { "b": { "username": "b-user", "password": "y" } } } }"#).unwrap();
        let b = several.for_unit("b").unwrap();
        assert_eq!((b.credential.username.as_str(), b.inbox_prefix.as_deref()), ("b-user", Some("_G2N_INBOX.b-user")));
        assert!(several.for_unit("a").is_none());
        let kinds = NatsConfig::from_json(r#"{ "nats": { "delivery": "push", "receive": "inline" } }"#).unwrap();
        assert_eq!((kinds.delivery, kinds.receive), (Delivery::Push, Receive::Inline));
        assert!(NatsConfig::from_json(r#"{ "nats": { "delivery": "shove" } }"#).unwrap_err().contains("unknown variant `shove`"));
    }

    #[test]
    fn reads_the_local_address_as_an_ip_or_a_socket_address() {
        let at = |text: &str| NatsConfig::from_json(&format!(r#"{{ "nats": {{ "local_address": "{text}" }} }}"#)).unwrap().local_socket_address();
        assert_eq!(at("127.0.0.2"), Ok(Some("127.0.0.2:0".parse().unwrap())));
        assert_eq!(at("127.0.0.3:4000"), Ok(Some("127.0.0.3:4000".parse().unwrap())));
        assert_eq!(at("::1"), Ok(Some("[::1]:0".parse().unwrap())));
        assert!(at("localhost").unwrap_err().contains("invalid nats.local_address 'localhost'"));
        assert_eq!(NatsConfig::default().local_socket_address(), Ok(None));
    }
}
