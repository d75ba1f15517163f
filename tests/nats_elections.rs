//! A host that starts while its 3-node cluster elects leaders (issue 14's
//! "replacement host not ready" flake): the node that leads the mesh's
//! step stream is killed, a new host of the seed's `print-hello-world` is
//! started at once, and it must become ready (its streams and consumer
//! found, docs/protocol.md "Subjects, streams, consumers") and serve a
//! flow. The host's set-up is bounded by its own `setup_deadline_ms`: the
//! test waits for its ready file or its exit, and reports how long it took.
//! `G2N_ELECTION_ROUNDS` sets the rounds (default 3), each on a fresh
//! cluster.

// The test reports what it measured on stderr (cargo test -- --nocapture).
#![allow(clippy::print_stderr)]

use g2n_testkit::Nats;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The host's own set-up deadline (120 s) plus its connect wait and a
/// margin: the bound of the wait, which a host meets by becoming ready or
/// by exiting with its reason.
const HOST_READY_BOUND: Duration = Duration::from_secs(150);
const MESH: &str = "elect";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn credential() -> serde_json::Value {
    serde_json::json!({ "username": "hello-world-practice", "password": "monkey" })
}

fn engine(nats: &Nats) -> serde_json::Value {
    serde_json::json!({ "servers": nats.nodes.iter().map(|n| n.url()).collect::<Vec<_>>(), "mesh": MESH, "ack_wait_ms": 2000 })
}

/// Starts a host of print-hello-world and waits for its ready file (or its
/// exit: a panic with its log). Returns it and how long it took.
fn start_host(dir: &Path, nats: &Nats, name: &str) -> (Child, Duration) {
    let ready = dir.join(format!("{name}.ready"));
    let stderr = dir.join(format!("{name}.stderr"));
    let config = serde_json::json!({ "role": "serve", "accept": [credential()], "engine": "nats", "nats": engine(nats), "ready_file": ready, "trace_file": dir.join("trace.jsonl") });
    std::fs::write(dir.join(format!("{name}.json")), config.to_string()).unwrap();
    let started = Instant::now();
    let mut host = Command::new(dir.join("out/print-hello-world/print-hello-world"))
        .env("G2N_RUNTIME", dir.join(format!("{name}.json")))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .expect("start a host");
    while !ready.exists() {
        if let Ok(Some(status)) = host.try_wait() {
            panic!("host {name} exited before it was ready ({status}): {}", std::fs::read_to_string(&stderr).unwrap_or_default());
        }
        if started.elapsed() > HOST_READY_BOUND {
            let _ = host.kill();
            let _ = host.wait();
            panic!("host {name} not ready after {HOST_READY_BOUND:?}: {}", std::fs::read_to_string(&stderr).unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    (host, started.elapsed())
}

/// The index of the node that leads the mesh's step stream.
fn step_stream_leader(nats: &Nats) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let leader = runtime.block_on(async {
        let client = tokio::time::timeout(Duration::from_secs(10), async_nats::connect(nats.nodes[0].url())).await.unwrap().unwrap();
        let js = async_nats::jetstream::new(client);
        let started = Instant::now();
        loop {
            let info = async { js.get_stream(g2n_abi::nats::step_stream(MESH)).await.ok()?.info().await.ok()?.cluster.clone()?.leader };
            if let Ok(Some(leader)) = tokio::time::timeout(Duration::from_secs(2), info).await {
                return leader;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "the step stream has no leader after 30 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    nats.nodes.iter().position(|n| n.name == leader).unwrap_or_else(|| panic!("no node named {leader}"))
}

/// Runs one flow from a new origin; its output and exit code.
fn run_flow(dir: &Path, nats: &Nats) -> (String, Option<i32>, String) {
    let config = serde_json::json!({ "role": "origin", "routes": { "print-hello-world": credential() }, "engine": "nats", "nats": engine(nats), "trace_file": dir.join("trace.jsonl") });
    std::fs::write(dir.join("origin.json"), config.to_string()).unwrap();
    let mut origin = Command::new(dir.join("out/hello/hello"))
        .env("G2N_RUNTIME", dir.join("origin.json"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the origin");
    let started = Instant::now();
    while origin.try_wait().ok().flatten().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = origin.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = origin.wait_with_output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_host_started_while_the_cluster_elects_leaders_becomes_ready_and_serves() {
    let rounds = std::env::var("G2N_ELECTION_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3usize);
    let dir = std::env::temp_dir().join(format!("g2n-nats-elections-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let seed = repo_root().join("examples/hello-world");
    let build = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .args(["build", "--engine", "nats", "-o"])
        .arg(dir.join("out"))
        .arg(seed.join("hello.yaml"))
        .arg(seed.join("print-hello-world.yaml"))
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    let mut report = Vec::new();
    for round in 0..rounds {
        let mut nats = Nats::cluster();
        let round_dir = dir.join(format!("round{round}"));
        std::fs::create_dir_all(&round_dir).unwrap();
        std::os::unix::fs::symlink(dir.join("out"), round_dir.join("out")).unwrap();
        // The first host creates the streams (3 replicas) and the consumer.
        let (mut first, first_ready) = start_host(&round_dir, &nats, "first");
        let leader = step_stream_leader(&nats);
        nats.kill_node(leader);
        let killed = Instant::now();
        // At once: the step stream (and maybe the meta group and the
        // consumer) has no leader now.
        let (mut second, second_ready) = start_host(&round_dir, &nats, "second");
        // Only the new host serves.
        let _ = first.kill();
        let _ = first.wait();
        let (stdout, code, stderr) = run_flow(&round_dir, &nats);
        let flow = killed.elapsed();
        let _ = second.kill();
        let _ = second.wait();
        assert_eq!((stdout.as_str(), code), ("Hello World!", Some(0)), "round {round}: the flow after the election; stderr: {stderr}");
        report.push(format!("round {}: first host ready after {first_ready:.1?}; node n{} (the step stream's leader) killed; the next host ready after {second_ready:.1?}, its flow done {flow:.1?} after the kill", round + 1, leader + 1));
        drop(nats);
    }
    eprintln!("elections: {}", report.join("; "));
    let _ = std::fs::remove_dir_all(&dir);
}
