//! Test support for the NATS engine: a single `nats-server` with JetStream,
//! or a 3-node JetStream cluster, on free loopback ports, each node on its
//! own address (127.0.0.2, 127.0.0.3, ...), with a temporary store
//! directory. [`Nats::start`] returns once every node answers its health
//! check (which includes, on a cluster, a known JetStream meta leader);
//! dropping the value kills every node and removes the directory. Nothing
//! relies on a server that happens to run. [`Options`] adds TLS (a test
//! CA made by [`tls::Certs`], on client connections and cluster routes)
//! and an `include` (the NATS authorization `g2n build --engine nats`
//! writes). [`netns`] puts nodes and hosts in network namespaces of their
//! own, to cut them off ([`Nats::start_in`]).

pub mod netns;
pub mod tls;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server or cluster may take to become ready.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Node {
    pub name: String,
    pub ip: String,
    pub client_port: u16,
    pub monitor_port: u16,
    /// The network namespace it runs in (None: the test's own).
    pub netns: Option<String>,
    child: Option<Child>,
}

impl Node {
    pub fn url(&self) -> String {
        format!("nats://{}:{}", self.ip, self.client_port)
    }

    /// Runs `f` where the node's address can be reached from: inside its
    /// namespace, or here.
    fn near<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        match &self.netns {
            Some(netns) => netns::run_in(netns, f),
            None => f(),
        }
    }

    /// `GET /healthz`: the node and its JetStream (on a cluster: with a
    /// meta leader) are ready.
    pub fn healthy(&self) -> bool {
        self.health().is_ok()
    }

    /// `GET /healthz` as [`Node::healthy`], with what the node said when it
    /// is not healthy (its status line and body, or that it did not answer).
    pub fn health(&self) -> Result<(), String> {
        match self.near(|| http_get(&self.ip, self.monitor_port, "/healthz")) {
            Some(r) if r.starts_with("HTTP/1.0 200") || r.starts_with("HTTP/1.1 200") => Ok(()),
            Some(r) => Err(r.lines().next().unwrap_or_default().to_string() + " " + r.split_once("\r\n\r\n").map(|(_, b)| b.trim()).unwrap_or_default()),
            None => Err("no answer within 2.5 s".to_string()),
        }
    }

    /// The node's client connections as its monitoring endpoint `/connz`
    /// lists them: (the client's IP, the connection's name). Panics if the
    /// node does not answer.
    pub fn connections(&self) -> Vec<(String, String)> {
        let reply = self.near(|| http_get(&self.ip, self.monitor_port, "/connz?limit=1024")).unwrap_or_else(|| panic!("node {} did not answer /connz", self.name));
        let body = reply.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("node {}: /connz is not JSON ({e}): {body}", self.name));
        json["connections"]
            .as_array()
            .map(|list| list.iter().map(|c| (c["ip"].as_str().unwrap_or_default().to_string(), c["name"].as_str().unwrap_or_default().to_string())).collect())
            .unwrap_or_default()
    }

    /// A request on the node's client port, in NATS's text protocol (the
    /// testkit has no NATS client): publishes `payload` to `subject` with a
    /// reply subject of its own and returns the reply's payload, or None
    /// when there was none within 2.5 s. For JetStream's API
    /// (`$JS.API.CONSUMER.INFO.<stream>.<consumer>`) on a node without
    /// authorization.
    pub fn request(&self, subject: &str, payload: &str) -> Option<String> {
        self.near(|| nats_request(&self.ip, self.client_port, subject, payload))
    }
}

fn nats_request(ip: &str, port: u16, subject: &str, payload: &str) -> Option<String> {
    const INBOX: &str = "_INBOX.g2n_testkit";
    let addr = format!("{ip}:{port}").parse::<SocketAddr>().ok()?;
    let mut conn = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    let deadline = Instant::now() + Duration::from_millis(2500);
    conn.set_read_timeout(Some(Duration::from_millis(250))).ok()?;
    let request = format!(
        "CONNECT {{\"verbose\":false,\"pedantic\":false,\"name\":\"g2n-testkit\"}}\r\nSUB {INBOX} 1\r\nPUB {subject} {INBOX} {}\r\n{payload}\r\n",
        payload.len()
    );
    conn.write_all(request.as_bytes()).ok()?;
    let mut received: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        match conn.read(&mut buf) {
            Ok(0) => return None,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => continue,
            Err(_) => return None,
        }
        // Protocol lines (INFO, PING, +OK, -ERR) until `MSG <subject> <sid> <bytes>`
        // and its payload.
        let text = String::from_utf8_lossy(&received).into_owned();
        let mut rest = text.as_str();
        while let Some((line, after)) = rest.split_once("\r\n") {
            if line == "PING" {
                conn.write_all(b"PONG\r\n").ok()?;
            } else if let Some(header) = line.strip_prefix("MSG ") {
                let size: usize = header.split_whitespace().last()?.parse().ok()?;
                if after.len() >= size {
                    return Some(after[..size].to_string());
                }
                break;
            } else if line.starts_with("-ERR") {
                return None;
            }
            rest = after;
        }
        // Every whole line before `rest` is handled: keep the rest.
        received = rest.as_bytes().to_vec();
    }
    None
}

pub struct Nats {
    pub nodes: Vec<Node>,
    pub dir: PathBuf,
    /// The test CA and certificates, when the nodes speak TLS.
    pub certs: Option<tls::Certs>,
}

/// What a test's servers add to the plain configuration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// TLS on client connections and on cluster routes, with a fresh CA.
    pub tls: bool,
    /// A configuration file every node includes.
    pub include: Option<PathBuf>,
    /// How often a node pings its clients and routes (nats-server's
    /// `ping_interval`, 2 unanswered close the connection); None: 2 minutes.
    /// Partition tests shorten it, so that a node drops a client or route
    /// that was cut off within seconds.
    pub ping_interval_s: Option<u32>,
}

/// Where a node runs when it is not on the test's own loopback.
#[derive(Clone, Debug)]
pub struct Site {
    /// A network namespace ([`netns::Lab`]) ...
    pub netns: String,
    /// ... and the node's address there.
    pub ip: String,
}

/// The ports of a node in a namespace of its own: nothing else listens
/// there, so the usual ports are free.
const SITE_PORTS: (u16, u16, u16) = (4222, 8222, 6222);

/// Free ports on `ip`, one per element of the result, all different: each
/// is bound until every one is chosen (a port released at once can be
/// handed out again by the next bind, and a node whose client and route
/// ports coincide dies with "address already in use"), then released for
/// the server, which binds them right after.
fn free_ports<const N: usize>(ip: &str) -> [u16; N] {
    let listeners: Vec<TcpListener> =
        (0..N).map(|_| TcpListener::bind((ip, 0)).unwrap_or_else(|e| panic!("cannot bind a port on {ip}: {e}"))).collect();
    std::array::from_fn(|i| listeners[i].local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("no local address: {e}")))
}

fn temp_dir(label: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("g2n-nats-{label}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The `nats-server` executable: `$NATS_SERVER`, else Debian's
/// `/usr/sbin/nats-server` (not on an ordinary user's PATH), else the PATH.
pub fn server_binary() -> String {
    if let Ok(path) = std::env::var("NATS_SERVER") {
        return path;
    }
    let debian = "/usr/sbin/nats-server";
    if std::path::Path::new(debian).is_file() { debian.into() } else { "nats-server".into() }
}

impl Nats {
    /// One server with JetStream on 127.0.0.1.
    pub fn single() -> Nats {
        Nats::start(1)
    }

    /// A 3-node JetStream cluster, node i on 127.0.0.(i+2).
    pub fn cluster() -> Nats {
        Nats::start(3)
    }

    /// `count` nodes (1: a single server, else a cluster whose routes are
    /// on loopback).
    pub fn start(count: usize) -> Nats {
        Nats::start_with(count, &Options::default())
    }

    /// [`Nats::start`] with TLS and an included file.
    pub fn start_with(count: usize, options: &Options) -> Nats {
        Nats::start_at(count, &[], options)
    }

    /// One node per site (a cluster if there are several), each in its
    /// namespace on its site's address.
    pub fn start_in(sites: &[Site], options: &Options) -> Nats {
        Nats::start_at(sites.len(), sites, options)
    }

    fn start_at(count: usize, sites: &[Site], options: &Options) -> Nats {
        let dir = temp_dir(if count == 1 { "single" } else { "cluster" });
        let certs = options.tls.then(|| tls::Certs::make(&dir, "nats"));
        let ips: Vec<String> = match sites {
            [] => (0..count).map(|i| if count == 1 { "127.0.0.1".to_string() } else { format!("127.0.0.{}", i + 2) }).collect(),
            _ => sites.iter().map(|s| s.ip.clone()).collect(),
        };
        // (client, monitor, route) of each node.
        let ports: Vec<(u16, u16, u16)> = ips
            .iter()
            .map(|ip| {
                if sites.is_empty() {
                    let [client, monitor, route] = free_ports::<3>(ip);
                    (client, monitor, route)
                } else {
                    SITE_PORTS
                }
            })
            .collect();
        let route_ports: Vec<u16> = ports.iter().map(|p| p.2).collect();
        let routes: Vec<String> = ips.iter().zip(&route_ports).map(|(ip, p)| format!("\"nats-route://{ip}:{p}\"")).collect();
        let mut nodes = Vec::new();
        for (i, ip) in ips.iter().enumerate() {
            let name = format!("n{}", i + 1);
            let (client_port, monitor_port, _) = ports[i];
            let store = dir.join(&name);
            let mut conf = format!(
                "server_name: {name}\nlisten: \"{ip}:{client_port}\"\nhttp: \"{ip}:{monitor_port}\"\njetstream {{\n  store_dir: \"{}\"\n}}\n",
                store.display()
            );
            if let Some(seconds) = options.ping_interval_s {
                conf.push_str(&format!("ping_interval: \"{seconds}s\"\nping_max: 2\n"));
            }
            if let Some(certs) = &certs {
                conf.push_str(&format!("{}\n", certs.block(false)));
            }
            if let Some(include) = &options.include {
                // nats-server resolves an include against the including
                // file's folder, absolute or not: a copy goes there.
                let copy = dir.join(format!("{name}-include.conf"));
                std::fs::copy(include, &copy).unwrap_or_else(|e| panic!("cannot copy {}: {e}", include.display()));
                conf.push_str(&format!("include \"{name}-include.conf\"\n"));
            }
            if count > 1 {
                let route_tls = certs.as_ref().map(|c| c.block(true)).unwrap_or_default();
                conf.push_str(&format!(
                    "cluster {{\n  name: g2n-test\n  listen: \"{ip}:{}\"\n  routes: [{}]\n  {route_tls}\n}}\n",
                    route_ports[i],
                    routes.join(", ")
                ));
            }
            let conf_path = dir.join(format!("{name}.conf"));
            std::fs::write(&conf_path, conf).unwrap_or_else(|e| panic!("cannot write {}: {e}", conf_path.display()));
            let log = std::fs::File::create(dir.join(format!("{name}.log"))).unwrap_or_else(|e| panic!("cannot create a log file: {e}"));
            let netns = sites.get(i).map(|s| s.netns.clone());
            let mut command = Command::new(server_binary());
            if let Some(netns) = &netns {
                netns::place(&mut command, netns);
            }
            let child = command
                .arg("-c")
                .arg(&conf_path)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start nats-server ({}): {e}; install it (apt-get install nats-server) or set NATS_SERVER", server_binary()));
            nodes.push(Node { name, ip: ip.clone(), client_port, monitor_port, netns, child: Some(child) });
        }
        let nats = Nats { nodes, dir, certs };
        nats.wait_ready();
        nats
    }

    /// Every node's client URL, comma-separated (what `--nats` takes).
    pub fn urls(&self) -> String {
        self.nodes.iter().map(Node::url).collect::<Vec<_>>().join(",")
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + READY_TIMEOUT;
        for node in &self.nodes {
            loop {
                if node.healthy() {
                    break;
                }
                if Instant::now() > deadline {
                    panic!("NATS node {} was not ready after {READY_TIMEOUT:?}; its log:\n{}", node.name, self.log(&node.name));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// A node's log so far (for test failure messages).
    pub fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(format!("{name}.log"))).unwrap_or_default()
    }

    /// Kills node `index` with SIGKILL (chaos).
    pub fn kill_node(&mut self, index: usize) {
        if let Some(mut child) = self.nodes[index].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts node `index` again after [`Nats::kill_node`], with its
    /// configuration and its store (a cluster node rejoins its cluster);
    /// returns once it answers its health check (on a cluster that needs a
    /// JetStream meta leader, so a quorum of nodes must be up).
    pub fn restart_node(&mut self, index: usize) {
        self.kill_node(index);
        let node = &self.nodes[index];
        let conf = self.dir.join(format!("{}.conf", node.name));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(format!("{}.log", node.name)))
            .unwrap_or_else(|e| panic!("cannot open a log file: {e}"));
        let mut command = Command::new(server_binary());
        if let Some(netns) = &node.netns {
            netns::place(&mut command, netns);
        }
        let child = command
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start nats-server ({}): {e}", server_binary()));
        self.nodes[index].child = Some(child);
        let deadline = Instant::now() + READY_TIMEOUT;
        while !self.nodes[index].healthy() {
            if Instant::now() > deadline {
                panic!("NATS node {} was not ready {READY_TIMEOUT:?} after its restart; its log:\n{}", self.nodes[index].name, self.log(&self.nodes[index].name));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The temporary directory (configs, stores, logs).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.kill_node(i);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `GET path` on a node's monitoring port: the whole reply (status line,
/// headers, body), or None if the node does not answer within 2 s.
fn http_get(ip: &str, port: u16, path: &str) -> Option<String> {
    let addr = format!("{ip}:{port}").parse::<SocketAddr>().ok()?;
    let mut conn = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    conn.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    conn.write_all(format!("GET {path} HTTP/1.0\r\nHost: {ip}\r\n\r\n").as_bytes()).ok()?;
    let mut reply = String::new();
    conn.read_to_string(&mut reply).ok()?;
    Some(reply)
}

/// Sends `signal` to process `pid` (SIGSTOP / SIGCONT / SIGKILL for chaos, SIGTERM for a drain).
pub fn signal(pid: u32, signal: i32) -> bool {
    // SAFETY: kill(2) with a pid and a signal number has no memory effects.
    unsafe { libc::kill(pid as libc::pid_t, signal) == 0 }
}

pub use libc::{SIGCONT, SIGKILL, SIGSTOP, SIGTERM};

#[cfg(test)]
mod tests {
    use super::*;

    fn connect_info(url: &str) -> String {
        let addr = url.trim_start_matches("nats://");
        let mut conn = TcpStream::connect(addr).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 4096];
        let n = conn.read(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    #[test]
    fn starts_a_single_server_and_a_cluster_and_stops_them() {
        let single = Nats::single();
        let info = connect_info(&single.nodes[0].url());
        assert!(info.starts_with("INFO ") && info.contains("\"jetstream\":true"), "{info}");
        let dir = single.dir().to_path_buf();
        drop(single);
        assert!(!dir.exists());

        let mut cluster = Nats::cluster();
        assert_eq!(cluster.nodes.len(), 3);
        for node in &cluster.nodes {
            let info = connect_info(&node.url());
            assert!(info.contains("\"cluster\":\"g2n-test\""), "{info}");
        }
        let killed = cluster.nodes[2].url();
        cluster.kill_node(2);
        assert!(TcpStream::connect(killed.trim_start_matches("nats://")).is_err());
        // The other two keep serving.
        assert!(connect_info(&cluster.nodes[0].url()).starts_with("INFO "));
    }

    #[test]
    fn a_request_gets_jetstreams_answer() {
        let single = Nats::single();
        let node = &single.nodes[0];
        let info = node.request("$JS.API.INFO", "").expect("an answer to $JS.API.INFO");
        let json: serde_json::Value = serde_json::from_str(&info).unwrap_or_else(|e| panic!("not JSON ({e}): {info}"));
        assert_eq!(json["type"], "io.nats.jetstream.api.v1.account_info_response", "{info}");
        // A consumer that does not exist on a stream that does: the error
        // the partition test reads ("consumer not found", 10014).
        let created = node.request("$JS.API.STREAM.CREATE.G2N_T", r#"{"name":"G2N_T","subjects":["g2n.t"]}"#).expect("an answer to STREAM.CREATE");
        assert!(created.contains("io.nats.jetstream.api.v1.stream_create_response") && !created.contains("\"error\""), "{created}");
        let missing = node.request("$JS.API.CONSUMER.INFO.G2N_T.c1", "").expect("an answer to CONSUMER.INFO");
        let json: serde_json::Value = serde_json::from_str(&missing).unwrap_or_else(|e| panic!("not JSON ({e}): {missing}"));
        assert_eq!(json["error"]["err_code"], 10014, "{missing}");
        // No responder: no answer, within the bound.
        let started = Instant::now();
        assert_eq!(node.request("g2n.testkit.nobody", "x"), None);
        assert!(started.elapsed() < Duration::from_secs(4));
    }
}
