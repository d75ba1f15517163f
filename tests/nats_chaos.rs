//! The NATS engine under chaos (issue 14): many flows through a mesh of five
//! nanoservices (tests/nats/chaos_mesh.go: the entry, then b, c, d, e), two
//! host processes of each of b..e, on a 3-node JetStream cluster, while a
//! chaos loop kill -9s a host (and starts a new one in its place), SIGSTOPs
//! another for longer than the ack wait and SIGCONTs it, and kill -9s one
//! NATS node. Every flow must complete with the output real Go prints,
//! printed once, and the trace must show every step of every flow committed
//! exactly once.
//!
//! The hosts are deployed the way docs/protocol.md tells a user to deploy
//! on real machines: `g2n build --engine nats`, then each executable with a
//! runtime configuration naming the servers and the nanoservice it serves;
//! every flow is one origin process. `G2N_CHAOS_FLOWS` sets the number of
//! flows (default 1,000, the issue's), `G2N_CHAOS_PARALLEL` how many run
//! at once (32: an origin mostly waits), `G2N_CHAOS_DELIVERY` the hosts'
//! `nats.delivery` (`push` or `pull`; default: the engine's).

// The test reports what it measured on stderr (cargo test -- --nocapture).
#![allow(clippy::print_stderr)]

#[path = "support/bounded.rs"]
mod bounded;

use bounded::finish_within;
use g2n_testkit::{Nats, SIGCONT, SIGSTOP, signal};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SERVED: [&str; 4] = ["b", "c", "d", "e"];
const ACK_WAIT_MS: u64 = 2000;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The runtime configuration of every process of the mesh.
fn runtime_config(nats: &Nats, role: &str, unit: &str, trace: &Path) -> serde_json::Value {
    let credential = serde_json::json!({ "username": "chaos", "password": "chaos-secret" });
    let routes: serde_json::Map<String, serde_json::Value> = SERVED.iter().map(|t| (t.to_string(), credential.clone())).collect();
    let mut config = serde_json::json!({
        "role": role,
        "units": [unit],
        "accept": [credential],
        "routes": routes,
        "trace_file": trace,
        "engine": "nats",
        "liveness_timeout_ms": 0,
        "nats": {
            "servers": nats.nodes.iter().map(|n| n.url()).collect::<Vec<_>>(),
            "mesh": "chaos",
            "ack_wait_ms": ACK_WAIT_MS,
            "publish_deadline_ms": 60000
        }
    });
    if let Ok(delivery) = std::env::var("G2N_CHAOS_DELIVERY") {
        config["nats"]["delivery"] = serde_json::json!(delivery);
    }
    config
}

/// How long a host may take to be ready before the test gives up on it:
/// the host's own set-up deadline (`setup_deadline_ms`, 120 s by default;
/// a host that cannot find or create its streams and consumer by then
/// exits with code 1 and says why) plus its connect wait and a margin. The
/// test waits for the host's ready file or its exit, whichever comes
/// first; this bound only keeps the loop bounded.
const HOST_READY_BOUND: Duration = Duration::from_secs(150);

/// The host processes, replaced when the chaos loop kills one; all killed
/// when dropped.
struct Hosts {
    dir: PathBuf,
    children: Vec<(String, Child)>,
    /// How long each host took from its start until it was ready.
    ready_after: Vec<Duration>,
}

impl Hosts {
    fn spawn(&mut self, unit: &str) -> Child {
        let n = self.ready_after.len();
        let ready = self.dir.join(format!("{unit}-{n}.ready"));
        let mut config = serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(self.dir.join(format!("{unit}.json"))).unwrap()).unwrap();
        config["ready_file"] = serde_json::json!(ready);
        let path = self.dir.join(format!("{unit}-{n}.json"));
        std::fs::write(&path, config.to_string()).unwrap();
        let stderr = self.dir.join(format!("{unit}-{n}.stderr"));
        let mut child = Command::new(self.dir.join(format!("out/{unit}/{unit}")))
            .env("G2N_RUNTIME", &path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("start a host");
        let started = Instant::now();
        while !ready.exists() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("host {unit} exited before it was ready ({status}): {}", std::fs::read_to_string(&stderr).unwrap_or_default());
            }
            assert!(started.elapsed() < HOST_READY_BOUND, "host {unit} not ready after {HOST_READY_BOUND:?}: {}", std::fs::read_to_string(&stderr).unwrap_or_default());
            std::thread::sleep(Duration::from_millis(10));
        }
        self.ready_after.push(started.elapsed());
        child
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = signal(child.id(), SIGCONT);
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn flows_complete_once_while_hosts_and_a_nats_node_die() {
    let flows = env_count("G2N_CHAOS_FLOWS", 1000);
    let parallel = env_count("G2N_CHAOS_PARALLEL", 32).max(1);
    let started = Instant::now();
    let mut nats = Nats::cluster();
    let dir = std::env::temp_dir().join(format!("g2n-nats-chaos-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("trace.jsonl");
    let program = repo_root().join("tests/nats/chaos_mesh.go");
    let expected = std::fs::read_to_string(program.with_extension("stdout")).unwrap();

    let build = Command::new(env!("CARGO_BIN_EXE_g2n")).args(["build", "--engine", "nats", "-o"]).arg(dir.join("out")).arg(&program).output().unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    for unit in SERVED.iter().chain(["chaos_mesh"].iter()) {
        let role = if *unit == "chaos_mesh" { "origin" } else { "serve" };
        std::fs::write(dir.join(format!("{unit}.json")), runtime_config(&nats, role, unit, &trace).to_string()).unwrap();
    }
    let mut hosts = Hosts { dir: dir.clone(), children: Vec::new(), ready_after: Vec::new() };
    for unit in SERVED {
        for _ in 0..2 {
            let child = hosts.spawn(unit);
            hosts.children.push((unit.to_string(), child));
        }
    }
    let hosts = Arc::new(Mutex::new(hosts));

    // The flows: one origin process each, `parallel` at a time.
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let done = Arc::new(AtomicUsize::new(0));
    let walls = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let workers: Vec<_> = (0..parallel)
        .map(|_| {
            let (next, failures, done, dir, expected, walls) = (next.clone(), failures.clone(), done.clone(), dir.clone(), expected.clone(), walls.clone());
            std::thread::spawn(move || {
                while next.fetch_add(1, Ordering::SeqCst) < flows {
                    let began = Instant::now();
                    let child = Command::new(dir.join("out/chaos_mesh/chaos_mesh"))
                        .env("G2N_RUNTIME", dir.join("chaos_mesh.json"))
                        .stdin(Stdio::null())
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
                        .spawn()
                        .expect("start an origin");
                    let out = finish_within(child, Duration::from_secs(90));
                    match out {
                        Some(out) if out.status.success() && out.stdout == expected.as_bytes() => {}
                        Some(out) => failures.lock().unwrap().push(format!(
                            "exit {:?}, stdout {:?}, stderr {:?}",
                            out.status.code(),
                            String::from_utf8_lossy(&out.stdout),
                            String::from_utf8_lossy(&out.stderr)
                        )),
                        None => failures.lock().unwrap().push("an origin did not finish within 90 s".into()),
                    }
                    walls.lock().unwrap().push(began.elapsed());
                    done.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();

    // The chaos loop, until the flows are done.
    let stop = Arc::new(AtomicBool::new(false));
    let chaos = {
        let (hosts, stop, done) = (hosts.clone(), stop.clone(), done.clone());
        std::thread::spawn(move || {
            let mut round = 0usize;
            let mut log = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                round += 1;
                // kill -9 a host, and start another in its place.
                {
                    let mut h = hosts.lock().unwrap();
                    let victim = round % h.children.len();
                    let (unit, mut child) = h.children.remove(victim);
                    let _ = child.kill();
                    let _ = child.wait();
                    log.push(format!("killed a host of {unit}"));
                    let replacement = h.spawn(&unit);
                    h.children.push((unit, replacement));
                }
                // SIGSTOP another past the ack wait, then SIGCONT.
                let stopped = {
                    let h = hosts.lock().unwrap();
                    h.children[(round * 3 + 1) % h.children.len()].1.id()
                };
                signal(stopped, SIGSTOP);
                std::thread::sleep(Duration::from_millis(ACK_WAIT_MS + 1000));
                signal(stopped, SIGCONT);
                log.push("stopped a host past the ack wait".into());
                // One NATS node, once the flows are well under way.
                if done.load(Ordering::SeqCst) >= 1 {
                    log.push("killed a NATS node".into());
                    return (log, true);
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            (log, false)
        })
    };
    // The node is killed from here (the cluster is owned by this thread).
    let (mut log, killed_node) = chaos.join().unwrap();
    // Hosts started from here on set up while the cluster elects leaders.
    let before_kill = hosts.lock().unwrap().ready_after.len();
    if killed_node {
        nats.kill_node(2);
    }
    // Keep the host chaos going after the node kill.
    let chaos = {
        let (hosts, stop) = (hosts.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut rounds = 0;
            while !stop.load(Ordering::SeqCst) {
                rounds += 1;
                let stopped = {
                    let mut h = hosts.lock().unwrap();
                    let victim = rounds % h.children.len();
                    let (unit, mut child) = h.children.remove(victim);
                    let _ = child.kill();
                    let _ = child.wait();
                    let replacement = h.spawn(&unit);
                    h.children.push((unit, replacement));
                    h.children[(rounds * 3 + 1) % h.children.len()].1.id()
                };
                signal(stopped, SIGSTOP);
                std::thread::sleep(Duration::from_millis(ACK_WAIT_MS + 1000));
                signal(stopped, SIGCONT);
                std::thread::sleep(Duration::from_millis(500));
            }
            rounds
        })
    };
    for w in workers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    let rounds = chaos.join().unwrap();
    log.push(format!("{rounds} more rounds of host kills and stops after the node kill"));
    // The journal is complete once no step is left on its way: a copy a
    // stopped host dropped on waking (its lease lapsed) is redelivered
    // after its ack wait, and that run traces the step's store (for
    // instance a duplicate of a store whose host was killed before its
    // trace line).
    let settled = Instant::now();
    let mut left = steps_left(&nats);
    while left.iter().any(|(_, ack_pending, pending)| *ack_pending + *pending > 0) {
        assert!(settled.elapsed() < Duration::from_secs(60), "steps still on their way 60 s after the last flow: {left:?}");
        std::thread::sleep(Duration::from_millis(200));
        left = steps_left(&nats);
    }
    log.push(format!("every consumer empty {:.1?} after the last flow", settled.elapsed()));
    let ready_after = hosts.lock().unwrap().ready_after.clone();
    drop(hosts);
    let failures = failures.lock().unwrap().clone();
    assert!(failures.is_empty(), "{} of {flows} flows failed; first: {}", failures.len(), failures[0]);
    assert!(killed_node, "the chaos loop killed a NATS node");

    // The journal: every step of every flow committed exactly once.
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut starts = 0;
    // Per step: commits, uncertain commits, duplicates (a re-run found it stored).
    let mut commits: BTreeMap<(String, u64), (usize, usize, usize)> = BTreeMap::new();
    let mut received = BTreeMap::<u64, usize>::new();
    let mut setup_ms = Vec::new();
    for line in text.lines() {
        let Ok(e) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let key = || (e["flow"].as_str().unwrap_or_default().to_string(), e["step"].as_u64().unwrap_or(u64::MAX));
        match e["message"].as_str() {
            Some("flow.start") => {
                starts += 1;
                setup_ms.push(e["setup_us"].as_u64().unwrap_or(0) / 1000 + e["connect_us"].as_u64().unwrap_or(0) / 1000);
                for step in 0..5 {
                    commits.entry((key().0, step)).or_default();
                }
            }
            Some("step.commit") => commits.entry(key()).or_default().0 += 1,
            Some("step.commit_uncertain") => commits.entry(key()).or_default().1 += 1,
            Some("step.duplicate") => commits.entry(key()).or_default().2 += 1,
            Some("hop.recv") => *received.entry(e["pid"].as_u64().unwrap_or(0)).or_default() += 1,
            _ => {}
        }
    }
    assert_eq!(starts, flows, "one flow.start per flow");
    let twice: Vec<_> = commits.iter().filter(|(_, (c, _, _))| *c > 1).collect();
    assert!(twice.is_empty(), "steps committed twice: {twice:?}");
    // A step with no commit line was stored by a process killed between the
    // store and its trace line: its re-run then found it stored (a
    // duplicate). A step with neither never took effect.
    let missing: Vec<_> = commits.iter().filter(|(_, (c, u, d))| *c == 0 && *u == 0 && *d == 0).collect();
    assert!(missing.is_empty(), "steps never committed: {missing:?}");
    let uncertain = commits.values().filter(|(c, u, _)| *c == 0 && *u > 0).count();
    let unlogged = commits.values().filter(|(c, u, _)| *c == 0 && *u == 0).count();
    let mut walls = walls.lock().unwrap().clone();
    walls.sort();
    let pct = |p: usize| walls.get(walls.len() * p / 100).copied().unwrap_or_default();
    setup_ms.sort();
    eprintln!(
        "chaos: origin set-up (connect, streams, subscription) p50 {} ms, p90 {} ms, max {} ms",
        setup_ms.get(setup_ms.len() / 2).copied().unwrap_or(0),
        setup_ms.get(setup_ms.len() * 9 / 10).copied().unwrap_or(0),
        setup_ms.last().copied().unwrap_or(0)
    );
    let slowest = |v: &[Duration]| v.iter().max().copied().unwrap_or_default();
    let mut sorted = ready_after.clone();
    sorted.sort();
    eprintln!(
        "chaos: {} hosts started, ready after p50 {:.1?}, max {:.1?}; the {} started after the NATS node was killed: max {:.1?}",
        ready_after.len(),
        sorted.get(sorted.len() / 2).copied().unwrap_or_default(),
        slowest(&ready_after),
        ready_after.len().saturating_sub(before_kill),
        slowest(&ready_after[before_kill.min(ready_after.len())..])
    );
    eprintln!(
        "chaos: origin process wall time p50 {:.1?}, p90 {:.1?}, p99 {:.1?}, max {:.1?}",
        pct(50),
        pct(90),
        pct(99),
        walls.last().copied().unwrap_or_default()
    );
    eprintln!(
        "chaos: {flows} flows in {:.1?} ({parallel} at a time), {} steps committed once ({uncertain} only as uncertain: a publish timed out during failover and its retry was a duplicate; {unlogged} stored by a host killed before its trace line, found stored by the re-run), steps received by {} host processes; {}",
        started.elapsed(),
        commits.len(),
        received.len(),
        log.join(", ")
    );
    drop(nats);
    let _ = std::fs::remove_dir_all(&dir);
}

/// (consumer, acks pending, messages pending) of each served nanoservice.
fn steps_left(nats: &Nats) -> Vec<(String, u64, u64)> {
    // Node 2 was killed; node 0 answers.
    let servers = nats.nodes[0].url();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = tokio::time::timeout(Duration::from_secs(10), async_nats::connect(servers.as_str())).await.expect("connect within 10 s").expect("connect");
        let js = async_nats::jetstream::new(client);
        let stream = g2n_abi::nats::step_stream("chaos");
        let mut out = Vec::new();
        for unit in SERVED {
            let name = g2n_abi::nats::consumer(unit);
            let info = async {
                let mut consumer: async_nats::jetstream::consumer::PullConsumer = js.get_consumer_from_stream(&name, &stream).await.ok()?;
                consumer.info().await.ok().map(|i| (i.num_ack_pending as u64, i.num_pending))
            };
            // Unanswered (a leader being elected): counted as not settled.
            let (ack_pending, pending) = tokio::time::timeout(Duration::from_secs(5), info).await.ok().flatten().unwrap_or((1, 0));
            out.push((name, ack_pending, pending));
        }
        out
    })
}
