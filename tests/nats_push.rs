//! Push delivery on the NATS engine (`nats.delivery: push`, docs/protocol.md,
//! "Ack rules"): a push consumer with a deliver group per nanoservice, its
//! `max_ack_pending` bounding what a stopped host can hold.
//!
//! Two hosts of the seed's `print-hello-world`, one SIGSTOPped before the
//! flows start: the server keeps pushing to it (it cannot tell a stopped
//! process from a busy one) until the consumer's `max_ack_pending` is
//! reached; those steps are redelivered after their ack wait, to either
//! host, so some wait more than one ack wait. Every flow completes, each
//! step is committed once, and when the stopped host wakes up its stale
//! copies change nothing.

// The test reports what it measured on stderr (cargo test -- --nocapture).
#![allow(clippy::print_stderr)]

#[path = "support/bounded.rs"]
mod bounded;
#[path = "support/trace_events.rs"]
mod trace_events;
use trace_events::events;

use bounded::wait_within;
use g2n_testkit::{Nats, SIGCONT, SIGSTOP, signal};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ACK_WAIT_MS: u64 = 2000;
const MAX_ACK_PENDING: u64 = 4;
const FLOWS: usize = 12;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The host processes; killed (after a SIGCONT) when dropped.
struct Hosts(Vec<Child>);

impl Drop for Hosts {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = signal(child.id(), SIGCONT);
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn start_host(dir: &Path, n: usize, engine: &serde_json::Value, trace: &Path) -> Result<Child, (Option<i32>, String)> {
    let credential = serde_json::json!({ "username": "hello-world-practice", "password": "monkey" });
    let ready = dir.join(format!("host-{n}.ready"));
    let config = serde_json::json!({ "role": "serve", "accept": [credential], "engine": "nats", "nats": engine, "ready_file": ready, "trace_file": trace });
    let path = dir.join(format!("host-{n}.json"));
    std::fs::write(&path, config.to_string()).unwrap();
    let stderr = dir.join(format!("host-{n}.stderr"));
    let log = || std::fs::read_to_string(&stderr).unwrap_or_default();
    let mut host = Command::new(dir.join("out/print-hello-world/print-hello-world"))
        .env("G2N_RUNTIME", &path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .expect("start a host");
    let started = Instant::now();
    while !ready.exists() {
        if let Ok(Some(status)) = host.try_wait() {
            return Err((status.code(), log()));
        }
        assert!(started.elapsed() < Duration::from_secs(60), "host not ready: {}", log());
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(host)
}

/// (acks pending, messages pending) of the consumer.
fn pending(runtime: &tokio::runtime::Runtime, js: &async_nats::jetstream::Context) -> (u64, u64) {
    runtime.block_on(async {
        let mut stream = js.get_stream("G2N_PUSHED").await.unwrap();
        let _ = stream.info().await;
        let info = stream.consumer_info("print-hello-world").await.unwrap();
        (info.num_ack_pending as u64, info.num_pending)
    })
}

#[test]
fn a_stopped_replica_holds_at_most_max_ack_pending_and_its_steps_complete_once() {
    let nats = Nats::single();
    let dir = std::env::temp_dir().join(format!("g2n-nats-push-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let root = repo_root();
    let build = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .args(["build", "--engine", "nats", "-o"])
        .arg(dir.join("out"))
        .arg(root.join("examples/hello-world/hello.yaml"))
        .arg(root.join("examples/hello-world/print-hello-world.yaml"))
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", text(&build.stderr));
    let servers: Vec<String> = nats.nodes.iter().map(|n| n.url()).collect();
    let engine = serde_json::json!({ "servers": servers, "mesh": "pushed", "ack_wait_ms": ACK_WAIT_MS, "delivery": "push", "push_max_ack_pending": MAX_ACK_PENDING });
    let trace = dir.join("trace.jsonl");
    let mut hosts = Hosts(Vec::new());
    for n in 0..2 {
        hosts.0.push(start_host(&dir, n, &engine, &trace).expect("a push host starts"));
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = runtime.block_on(async_nats::connect(nats.urls())).unwrap();
    let js = {
        let _inside = runtime.enter();
        async_nats::jetstream::new(client)
    };
    let consumer = runtime.block_on(async { js.get_stream("G2N_PUSHED").await.unwrap().consumer_info("print-hello-world").await.unwrap() });
    assert_eq!(consumer.config.deliver_subject.as_deref(), Some("g2n.pushed.deliver.print-hello-world"));
    assert_eq!(consumer.config.deliver_group.as_deref(), Some("print-hello-world"));
    assert_eq!(consumer.config.max_ack_pending as u64, MAX_ACK_PENDING);

    // A host of the other kind cannot join: JetStream cannot turn a push
    // consumer into a pull one.
    let pull = serde_json::json!({ "servers": engine["servers"], "mesh": "pushed", "ack_wait_ms": ACK_WAIT_MS, "delivery": "pull" });
    let (code, log) = start_host(&dir, 9, &pull, &trace).unwrap_err();
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("exists with delivery push (to 'g2n.pushed.deliver.print-hello-world', queue group 'print-hello-world') (this process: pull; nats.delivery)"), "{log}");

    // Stop one host, then start the flows at once.
    let stopped = hosts.0[0].id();
    assert!(signal(stopped, SIGSTOP));
    let credential = serde_json::json!({ "username": "hello-world-practice", "password": "monkey" });
    let origin = serde_json::json!({ "role": "origin", "routes": { "print-hello-world": credential }, "engine": "nats", "nats": engine, "trace_file": trace, "liveness_timeout_ms": 0 });
    std::fs::write(dir.join("origin.json"), origin.to_string()).unwrap();
    let began = Instant::now();
    let origins: Vec<Child> = (0..FLOWS)
        .map(|_| {
            Command::new(dir.join("out/hello/hello"))
                .env("G2N_RUNTIME", dir.join("origin.json"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start an origin")
        })
        .collect();
    // What the consumer has delivered and not seen acked, while the host
    // is stopped: at most its max_ack_pending, whoever holds them.
    let mut most_pending = 0;
    let mut finished = Vec::new();
    let mut running: Vec<(usize, Child)> = origins.into_iter().enumerate().collect();
    while !running.is_empty() {
        assert!(began.elapsed() < Duration::from_secs(120), "{} flows not finished after 120 s", running.len());
        most_pending = most_pending.max(pending(&runtime, &js).0);
        let mut still = Vec::new();
        for (i, mut child) in running {
            match child.try_wait() {
                Ok(Some(_)) => finished.push((i, began.elapsed(), wait_within(child, Duration::from_secs(5)))),
                _ => still.push((i, child)),
            }
        }
        running = still;
        std::thread::sleep(Duration::from_millis(50));
    }
    for (i, _, out) in &finished {
        assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "Hello World!"), "flow {i}: {}", text(&out.stderr));
    }
    assert!(most_pending <= MAX_ACK_PENDING, "{most_pending} steps delivered and unacked, more than max_ack_pending {MAX_ACK_PENDING}");
    let mut times: Vec<Duration> = finished.iter().map(|(_, t, _)| *t).collect();
    times.sort();
    // The steps pushed to the stopped host waited for their ack wait (or
    // several: a redelivery may go to the stopped host again).
    let delayed = times.iter().filter(|t| t.as_millis() as u64 >= ACK_WAIT_MS).count();
    assert!(delayed >= 1, "some step went to the stopped host and waited for its ack wait: {times:?}");

    // Wake it: what it was pushed while stopped is stale. It runs nothing
    // twice into the journal (each step committed once), and the consumer
    // drains.
    assert!(signal(stopped, SIGCONT));
    let woke = Instant::now();
    loop {
        let (ack_pending, waiting) = pending(&runtime, &js);
        if ack_pending + waiting == 0 && woke.elapsed() > Duration::from_millis(ACK_WAIT_MS + 500) {
            break;
        }
        assert!(woke.elapsed() < Duration::from_secs(60), "steps still on their way 60 s after the wake-up: {ack_pending} unacked, {waiting} waiting");
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut commits: BTreeMap<(String, u64), usize> = BTreeMap::new();
    for e in events(&trace, "step.commit") {
        *commits.entry((e["flow"].as_str().unwrap().to_string(), e["step"].as_u64().unwrap())).or_default() += 1;
    }
    let flows: Vec<String> = events(&trace, "flow.start").iter().map(|e| e["flow"].as_str().unwrap().to_string()).collect();
    assert_eq!(flows.len(), FLOWS);
    for flow in &flows {
        for step in 0..2 {
            assert_eq!(commits.get(&(flow.clone(), step)), Some(&1), "step {step} of flow {flow} committed once: {commits:?}");
        }
    }
    let late = events(&trace, "step.commit").iter().filter(|e| e["pid"].as_u64() == Some(stopped as u64)).count();
    assert_eq!(late, 0, "the woken host committed nothing");
    // Its stale copies: run on waking (their deliveries were read only
    // then, so their leases looked fresh), every publish a duplicate.
    let stale = events(&trace, "hop.recv").iter().filter(|e| e["pid"].as_u64() == Some(stopped as u64)).count();
    let duplicates = events(&trace, "step.duplicate").iter().filter(|e| e["pid"].as_u64() == Some(stopped as u64)).count();
    eprintln!(
        "push: {FLOWS} flows with one of two hosts stopped: most steps delivered and unacked at once {most_pending} (max_ack_pending {MAX_ACK_PENDING}); flow times p50 {:.1?}, max {:.1?} ({delayed} waited an ack wait of {ACK_WAIT_MS} ms or more); the stopped host ran {stale} stale copies on waking, {duplicates} found stored",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    drop(hosts);
    drop(nats);
    let _ = std::fs::remove_dir_all(&dir);
}
