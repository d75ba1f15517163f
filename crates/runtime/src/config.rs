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
/// password, so that secrets need not sit in files. `key` is a random key
/// (64 hex digits) used as it is, instead of a password: what `g2n run`
/// writes for its local meshes, where no human chose the secret and the
/// password key derivation would only cost start-up time.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Credential {
    pub username: String,
    pub password: Option<String>,
    pub password_env: Option<String>,
    pub key: Option<String>,
}

impl Credential {
    /// The password. Never empty: a credential without one would accept (or
    /// present) the empty password, which anyone can.
    pub fn password(&self) -> Result<String, String> {
        let user = &self.username;
        let password = match (&self.password, &self.password_env) {
            (Some(p), _) => p.clone(),
            (None, Some(var)) => std::env::var(var).map_err(|_| format!("environment variable {var} (password of user '{user}') is not set"))?,
            (None, None) => return Err(format!("user '{user}' has no password: give `password` or `password_env`")),
        };
        if password.is_empty() {
            return Err(match &self.password_env {
                Some(var) if self.password.is_none() => format!("environment variable {var} (password of user '{user}') is empty"),
                _ => format!("user '{user}' has an empty password"),
            });
        }
        Ok(password)
    }

    /// The key its handoffs are tagged with: `key` as it is, else the
    /// password through Argon2id ([`crate::wire::credential_key`]), salted
    /// with the deployment's `credential_salt`. Computed once, at start-up.
    pub fn derive_key(&self, deployment_salt: &str) -> Result<crate::wire::Key, String> {
        match &self.key {
            Some(hex) => crate::wire::parse_key(hex).map_err(|e| format!("user '{}': {e}", self.username)),
            None => Ok(crate::wire::credential_key(deployment_salt, &self.username, &self.password()?)),
        }
    }

    /// The shape check done when the configuration is read: a password or
    /// the name of a variable holding one (its value is read at start-up),
    /// or a key.
    fn check(&self, place: &str) -> Result<(), String> {
        let user = &self.username;
        if let Some(hex) = &self.key {
            return crate::wire::parse_key(hex).map(|_| ()).map_err(|e| format!("{place}: user '{user}': {e}"));
        }
        match (&self.password, &self.password_env) {
            (Some(p), _) if p.is_empty() => Err(format!("{place}: user '{user}' has an empty password")),
            (None, Some(var)) if var.is_empty() => Err(format!("{place}: user '{user}' has an empty password_env")),
            (None, None) => Err(format!("{place}: user '{user}' has no password: give `password` or `password_env`")),
            _ => Ok(()),
        }
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

/// Mutual TLS between hosts (docs/protocol.md, "TLS"): PEM files of the
/// deployment's CA, of this host's certificate (signed by it) and of its
/// private key. With it every TCP connection, in and out, is TLS, and a
/// peer without a certificate of the same CA cannot connect.
#[derive(Clone, Debug, Deserialize)]
pub struct TlsConfig {
    pub ca_file: String,
    pub cert_file: String,
    pub key_file: String,
    /// The deployment CA's certificate revocation list (PEM, `g2n certs
    /// revoke`): a peer presenting a certificate it lists is refused, as
    /// server and as client. Re-read when the file changes.
    #[serde(default)]
    pub crl_file: Option<String>,
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
    /// How long a host remembers a finished step, to acknowledge a retry or
    /// re-send of it without running it again. Senders re-send only until
    /// their `handoff_deadline_ms`, so this should exceed it.
    pub dedupe_retention_ms: u64,
    /// A frame must arrive whole within this long of its first byte.
    pub frame_deadline_ms: u64,
    /// A connection with no frame started for this long is closed.
    pub idle_timeout_ms: u64,
    /// Most connections a server holds at once (each has a thread).
    pub max_connections: usize,
    /// Most connections one peer (an IP address, or a local process) holds.
    pub max_connections_per_peer: usize,
    /// The transport of hops between hosts: `tcp` (default) or `nats`. An
    /// engine reads its own settings from the same file (the NATS engine:
    /// the `nats` object, crates/runtime-nats/src/config.rs), so an
    /// executable without it carries no code for them.
    pub engine: EngineKind,
    /// Most bytes the scope graphs in flight on this host (received and
    /// checked, until their step is done with them) may make it hold.
    pub graph_memory_budget: u64,
    /// Most bytes of Output an origin holds that arrived ahead of the one
    /// it must write next (out of order).
    pub reorder_buffer_bytes: u64,
    /// Failed authentications a peer may make per second, on average.
    pub auth_failures_per_second: f64,
    /// Failed authentications a peer may make at once.
    pub auth_failure_burst: u32,
    /// Mixed into every password's key derivation: one value per
    /// deployment (any text its configurations share), so that keys, and
    /// guessing tables, differ between deployments with the same passwords.
    pub credential_salt: String,
    /// How far the clocks of a deployment's machines may disagree: a
    /// handoff may be this much from the future, and must be this much
    /// younger than `dedupe_retention_ms` (docs/protocol.md, "Replay").
    pub max_clock_skew_ms: u64,
    /// Mutual TLS on every TCP connection (docs/protocol.md, "TLS").
    pub tls: Option<TlsConfig>,
    /// Allow plaintext TCP with addresses other than loopback (refused
    /// otherwise): for networks that are encrypted already (a VPN).
    pub plaintext_network: bool,
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
            dedupe_retention_ms: 60_000,
            frame_deadline_ms: 10_000,
            idle_timeout_ms: 60_000,
            max_connections: 512,
            max_connections_per_peer: 128,
            engine: EngineKind::Tcp,
            graph_memory_budget: 256 << 20,
            reorder_buffer_bytes: 16 << 20,
            auth_failures_per_second: 5.0,
            auth_failure_burst: 20,
            credential_salt: String::new(),
            max_clock_skew_ms: 1000,
            tls: None,
            plaintext_network: false,
        }
    }
}

/// Whether the top-level JSON object `text` (already parsed once) has `key`.
fn mentions_key(text: &str, key: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).is_ok_and(|m| m.contains_key(key))
}

impl RuntimeConfig {
    pub fn from_json(text: &str) -> Result<RuntimeConfig, String> {
        let mut config: RuntimeConfig = serde_json::from_str(text).map_err(|e| e.to_string())?;
        // On NATS a flow's steps are stored and redelivered and its hosts
        // send no Alive (docs/protocol.md, "Results"): silence says nothing
        // about a lost flow, only that a step runs long or waits for a host
        // or for the cluster's leaders. An origin there waits for the end
        // unless its configuration sets a limit itself.
        if config.engine == EngineKind::Nats && !mentions_key(text, "liveness_timeout_ms") {
            config.liveness_timeout_ms = 0;
        }
        config.check_credentials()?;
        Ok(config)
    }

    /// Every credential has a password (or names a variable with one).
    fn check_credentials(&self) -> Result<(), String> {
        for c in &self.accept {
            c.check("accept")?;
        }
        for (unit, list) in &self.unit_accept {
            for c in list {
                c.check(&format!("unit_accept.{unit}"))?;
            }
        }
        for (target, route) in &self.routes {
            route.credential.check(&format!("routes.{target}"))?;
        }
        Ok(())
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
        assert!(d.accept.is_empty());
        assert_eq!(d.role, Role::Origin);
        assert_eq!(d.handoff_deadline_ms, 10_000);
        assert_eq!(d.engine, EngineKind::Tcp);
        let n = RuntimeConfig::from_json(r#"{ "engine": "nats", "nats": { "mesh": "m" } }"#).unwrap();
        assert_eq!(n.engine, EngineKind::Nats);
        assert_eq!(d.liveness_timeout_ms, 10_000, "TCP: hosts send Alive, silence means a lost flow");
        assert_eq!(n.liveness_timeout_ms, 0, "NATS: no Alive, the origin waits for the end");
        let limited = RuntimeConfig::from_json(r#"{ "engine": "nats", "liveness_timeout_ms": 5000 }"#).unwrap();
        assert_eq!(limited.liveness_timeout_ms, 5000, "a limit set in the configuration holds");
    }

    #[test]
    fn a_credential_without_a_password_is_refused_when_the_configuration_is_read() {
        for (json, place) in [
            (r#"{"accept": [{"username": "mallory"}]}"#, "accept"),
            (r#"{"accept": [{"username": "mallory", "password": ""}]}"#, "accept"),
            (r#"{"unit_accept": {"b": [{"username": "mallory"}]}}"#, "unit_accept.b"),
            (r#"{"routes": {"b": {"addr": "127.0.0.1:1", "username": "mallory"}}}"#, "routes.b"),
        ] {
            let error = RuntimeConfig::from_json(json).expect_err(json);
            assert!(error.starts_with(place) && error.contains("user 'mallory'") && error.contains("password"), "{json}: {error}");
        }
        let env = r#"{"accept": [{"username": "u", "password_env": "G2N_TEST_SURELY_UNSET_VARIABLE"}]}"#;
        let config = RuntimeConfig::from_json(env).expect("a variable is read at start-up, not here");
        assert!(config.accept[0].password().expect_err("unset").contains("is not set"));
    }
}
