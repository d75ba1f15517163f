//! `g2n run --engine nats` and `g2n flow result`: the command line's side of
//! the NATS JetStream engine (docs/protocol.md, "The NATS engine").
//!
//! The hosts and the origin set up the mesh's streams and consumers
//! themselves (idempotently), so `g2n run` only writes their runtime
//! configurations (`engine: "nats"`, the servers, the mesh) and starts
//! every host `--replicas` times. `g2n flow result` reads a flow's results
//! back from the result stream.

use async_nats::jetstream::consumer::{DeliverPolicy, pull};
use futures_util::StreamExt;
use g2n_abi::nats as names;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

/// How `g2n run` uses NATS.
pub struct NatsRun {
    pub servers: Vec<String>,
    /// Empty: the entry nanoservice's name.
    pub mesh: String,
    pub replicas: Replicas,
    pub ack_wait_ms: Option<u64>,
    /// `--nats-delivery`: `nats.delivery` of every process (push or pull).
    pub delivery: Option<String>,
    /// `--nats-receive`: `nats.receive` of every process (inline or handoff).
    pub receive: Option<String>,
    /// `--nats-auth`: the build's NATS authorization (crate::nats_auth).
    pub auth: Option<std::path::PathBuf>,
    /// `--nats-ca`: TLS only, with this CA (an absolute path).
    pub ca_file: Option<String>,
    /// `--bind-from IP`: the origin's NATS connection binds to IP, the
    /// host processes' to the addresses after it.
    pub bind_from: Option<std::net::Ipv4Addr>,
}

/// How `g2n flow result` connects: the admin of an authorization, a CA.
pub struct Access {
    pub auth: Option<std::path::PathBuf>,
    pub ca_file: Option<String>,
}

/// A file path as the hosts receive it (absolute: they may run elsewhere).
pub fn absolute(path: Option<&std::path::Path>) -> Result<Option<String>, String> {
    let Some(path) = path else { return Ok(None) };
    if !path.is_file() {
        return Err(format!("--nats-ca {}: no such file", path.display()));
    }
    let absolute = std::path::absolute(path).map_err(|e| format!("cannot resolve {}: {e}", path.display()))?;
    Ok(Some(absolute.to_string_lossy().into_owned()))
}

/// `--replicas N` (every nanoservice) and `--replicas NAME=N` (one).
#[derive(Debug, Default, PartialEq)]
pub struct Replicas {
    default: usize,
    /// Whether `--replicas N` was given (else `default` is 1 by default).
    default_given: bool,
    per_name: BTreeMap<String, usize>,
}

impl Replicas {
    pub fn parse(specs: &[String]) -> Result<Replicas, String> {
        let mut r = Replicas { default: 1, default_given: false, per_name: BTreeMap::new() };
        for spec in specs {
            let count = |text: &str| -> Result<usize, String> {
                match text.parse::<usize>() {
                    Ok(n) if (1..=64).contains(&n) => Ok(n),
                    _ => Err(format!("--replicas {spec}: the count must be a number from 1 to 64")),
                }
            };
            match spec.split_once('=') {
                Some((name, n)) => {
                    r.per_name.insert(name.to_string(), count(n)?);
                }
                None => {
                    r.default = count(spec)?;
                    r.default_given = true;
                }
            }
        }
        Ok(r)
    }

    /// Processes for a host of `units`: the most any of them asks for.
    pub fn of(&self, units: &[&str]) -> usize {
        units.iter().map(|u| self.per_name.get(*u).copied().unwrap_or(self.default)).max().unwrap_or(self.default)
    }

    /// The count given for `name` (NAME=N, else N), if any was.
    pub fn explicit(&self, name: &str) -> Option<u32> {
        let given = self.per_name.get(name).copied().or(self.default_given.then_some(self.default));
        given.map(|n| n as u32)
    }

    /// Names given with NAME=N that are not nanoservices of the mesh.
    pub fn unknown<'a>(&'a self, units: &[&str]) -> Vec<&'a str> {
        self.per_name.keys().map(String::as_str).filter(|n| !units.contains(n)).collect()
    }
}

impl NatsRun {
    /// The mesh name: `--mesh`, else the entry's name, as a NATS token.
    pub fn mesh_name(&self, entry: &str) -> Result<String, String> {
        let mesh = if self.mesh.is_empty() { names::token(entry) } else { self.mesh.clone() };
        if names::token(&mesh) != mesh {
            return Err(format!("--mesh {mesh}: a mesh name may hold only letters, digits, '_' and '-'"));
        }
        Ok(mesh)
    }

    /// The local address of process `index` of a run of `count` (0: the
    /// origin, then the host processes in start order), with --bind-from;
    /// every address stays in 127.0.0.0/8, where every address is this
    /// machine's.
    pub fn local_address(&self, index: usize, count: usize) -> Result<Option<String>, String> {
        let Some(first) = self.bind_from else { return Ok(None) };
        let last = u32::from(first).checked_add(count.saturating_sub(1) as u32);
        let in_loopback = |a: u32| std::net::Ipv4Addr::from(a).is_loopback();
        match last {
            Some(last) if first.is_loopback() && in_loopback(last) => Ok(Some(std::net::Ipv4Addr::from(u32::from(first) + index as u32).to_string())),
            _ => Err(format!("--bind-from {first}: the {count} process(es) of this run need {count} loopback addresses from {first} on, within 127.0.0.0/8")),
        }
    }

    /// The runtime configuration fields of every process of the mesh.
    pub fn runtime_fields(&self, mesh: &str) -> serde_json::Map<String, serde_json::Value> {
        let mut nats = json!({ "servers": self.servers, "mesh": mesh });
        if let Some(ms) = self.ack_wait_ms {
            nats["ack_wait_ms"] = json!(ms);
        }
        if let Some(delivery) = &self.delivery {
            nats["delivery"] = json!(delivery);
        }
        if let Some(receive) = &self.receive {
            nats["receive"] = json!(receive);
        }
        if let Some(ca) = &self.ca_file {
            nats["ca_file"] = json!(ca);
        }
        let mut fields = serde_json::Map::new();
        fields.insert("engine".into(), json!("nats"));
        fields.insert("nats".into(), nats);
        // A flow on NATS survives hosts that die: the origin waits for its
        // end however long redeliveries take.
        fields.insert("liveness_timeout_ms".into(), json!(0));
        fields
    }
}

/// One URL list from `--nats` arguments (each may hold several, comma-separated).
pub fn servers(args: &[String]) -> Vec<String> {
    args.iter().flat_map(|a| a.split(',')).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// `g2n flow result ID`: prints the output of a finished flow in order and
/// exits with its exit code; 1 with a message if the flow has no end (yet)
/// after `wait`. The results are read without the flow key (only the
/// origin has it); who may publish them is the server's authorization.
pub fn flow_result(id: &str, servers: &[String], mesh: &str, wait: Duration, access: &Access) -> i32 {
    let fail = |message: String| {
        eprintln!("error: {message}");
        1
    };
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return fail(format!("flow id '{id}' is not 32 hex digits"));
    }
    let id = id.to_ascii_lowercase();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(format!("cannot start the NATS client: {e}")),
    };
    let mut options = async_nats::ConnectOptions::new();
    if let Some(dir) = &access.auth {
        let credentials = match crate::nats_auth::Credentials::read(dir) {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
        let Some((user, password)) = credentials.admin else { return fail(format!("the NATS credentials of mesh '{}' have no admin user", credentials.mesh)) };
        options = options.custom_inbox_prefix(names::inbox_prefix(&user)).user_and_password(user, password);
    }
    if let Some(ca) = &access.ca_file {
        options = options.add_root_certificates(ca.into()).require_tls(true);
    }
    match runtime.block_on(read_results(&id, servers, mesh, wait, options)) {
        Ok((chunks, code)) => {
            for (stream, bytes) in chunks {
                // Errors (a closed pipe) are ignored like a program's output.
                let _ = if stream == "stderr" { std::io::stderr().write_all(&bytes) } else { std::io::stdout().write_all(&bytes) };
            }
            let _ = std::io::stdout().flush();
            code
        }
        Err(message) => fail(message),
    }
}

async fn read_results(id: &str, servers: &[String], mesh: &str, wait: Duration, options: async_nats::ConnectOptions) -> Result<(Vec<(String, Vec<u8>)>, i32), String> {
    let urls = servers.join(",");
    let addrs = servers
        .iter()
        .map(|s| s.parse::<async_nats::ServerAddr>().map_err(|e| format!("invalid NATS server URL '{s}': {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let client = tokio::time::timeout(Duration::from_secs(10), options.connect(addrs))
        .await
        .map_err(|_| format!("cannot connect to NATS at {urls}: no answer"))?
        .map_err(|e| format!("cannot connect to NATS at {urls}: {e}"))?;
    let js = async_nats::jetstream::new(client);
    let stream = js.get_stream(names::out_stream(mesh)).await.map_err(|e| format!("mesh '{mesh}' has no result stream {}: {e}", names::out_stream(mesh)))?;
    let config = pull::OrderedConfig { filter_subject: names::out_subject(mesh, id), deliver_policy: DeliverPolicy::All, ..Default::default() };
    let mut messages = stream.create_consumer(config).await.map_err(|e| e.to_string())?.messages().await.map_err(|e| e.to_string())?;
    let mut chunks: BTreeMap<u64, (String, Vec<u8>)> = BTreeMap::new();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let next = tokio::time::timeout_at(deadline, messages.next()).await;
        let message = match next {
            Ok(Some(Ok(m))) => m,
            Ok(Some(Err(_))) => continue,
            Ok(None) | Err(_) => return Err(format!("flow {id} has no end in mesh '{mesh}' ({} output chunk(s) so far)", chunks.len())),
        };
        let header = |name: &str| message.headers.as_ref().and_then(|h| h.get(name)).map(|v| v.as_str().to_string()).unwrap_or_default();
        let seq: u64 = header(names::HEADER_SEQ).parse().unwrap_or(u64::MAX);
        match header(names::HEADER_KIND).as_str() {
            "end" => {
                let code: i32 = header(names::HEADER_EXIT).parse().unwrap_or(1);
                if (0..seq).all(|s| chunks.contains_key(&s)) {
                    return Ok((chunks.into_values().collect(), code));
                }
                return Err(format!("flow {id}: its end says {seq} output chunk(s), but only {} are stored", chunks.len()));
            }
            kind @ ("stdout" | "stderr") => {
                chunks.entry(seq).or_insert((kind.to_string(), message.payload.to_vec()));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_addresses_count_up_within_loopback() {
        let run = |first: &str| NatsRun {
            servers: vec![],
            mesh: String::new(),
            replicas: Replicas::default(),
            ack_wait_ms: None,
            delivery: None,
            receive: None,
            auth: None,
            ca_file: None,
            bind_from: Some(first.parse().unwrap()),
        };
        assert_eq!(run("127.0.1.1").local_address(0, 3), Ok(Some("127.0.1.1".into())));
        assert_eq!(run("127.0.1.254").local_address(2, 3), Ok(Some("127.0.2.0".into())));
        assert!(run("127.255.255.254").local_address(0, 3).unwrap_err().contains("within 127.0.0.0/8"));
        assert!(run("10.0.0.1").local_address(0, 1).unwrap_err().contains("--bind-from 10.0.0.1"));
        let unbound = NatsRun { bind_from: None, ..run("127.0.0.1") };
        assert_eq!(unbound.local_address(1, 2), Ok(None));
    }

    #[test]
    fn replicas_parse() {
        let r = Replicas::parse(&["2".into(), "b=3".into()]).unwrap();
        assert_eq!(r.of(&["a"]), 2);
        assert_eq!(r.of(&["a", "b"]), 3);
        assert_eq!(r.unknown(&["a"]), vec!["b"]);
        assert_eq!((r.explicit("a"), r.explicit("b")), (Some(2), Some(3)));
        assert_eq!(Replicas::parse(&["b=3".into()]).unwrap().explicit("a"), None);
        assert!(Replicas::parse(&["0".into()]).is_err());
        assert!(Replicas::parse(&["x=y".into()]).is_err());
        assert_eq!(servers(&["nats://a:1,nats://b:2".into(), "nats://c:3".into()]).len(), 3);
    }
}
