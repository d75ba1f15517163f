//! The NATS JetStream engine end to end (docs/protocol.md, "The NATS
//! engine"): every test starts its own nats-server or 3-node cluster on
//! loopback (crates/testkit) and `g2n run --engine nats` against it.

#[path = "support/bounded.rs"]
mod bounded;
#[path = "support/trace_events.rs"]
mod trace_events;
use trace_events::events;

use bounded::{output_within, wait_within};
use g2n_testkit::Nats;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn g2n() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_g2n"));
    c.env("G2N_SPLIT_PASSWORD", "nats-test-secret").env_remove("G2N_RUNTIME");
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-nats-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Every (flow, step) of the trace's `step.commit` events, each exactly once.
fn assert_committed_once(trace: &Path, flow: &str, steps: u64) {
    let mut seen = std::collections::BTreeMap::new();
    for e in events(trace, "step.commit").iter().filter(|e| e["flow"] == flow) {
        *seen.entry(e["step"].as_u64().unwrap()).or_insert(0) += 1;
    }
    let expected: std::collections::BTreeMap<u64, i32> = (0..steps).map(|s| (s, 1)).collect();
    assert_eq!(seen, expected, "each step of flow {flow} committed exactly once");
}

#[test]
fn hello_world_yaml_runs_over_nats_and_its_result_stays_retrievable() {
    let nats = Nats::single();
    let dir = temp("hello");
    let trace = dir.join("trace.jsonl");
    let root = repo_root();
    let mut run = g2n();
    // One process per config, so that the hop goes through NATS (on one
    // host, the default, it is an in-memory handoff).
    run.args(["run", "--engine", "nats", "--nats", &nats.urls(), "--process-per-service", "--trace"])
        .arg(&trace)
        .arg(root.join("examples/hello-world/hello.yaml"))
        .arg(root.join("examples/hello-world/print-hello-world.yaml"));
    let out = output_within(run, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Hello World!");
    let flow = events(&trace, "flow.start")[0]["flow"].as_str().unwrap().to_string();
    assert_committed_once(&trace, &flow, 2);

    // The origin is gone; the result is still there.
    let mut result = g2n();
    result.args(["flow", "result", &flow, "--nats", &nats.urls(), "--mesh", "hello"]);
    let out = output_within(result, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Hello World!");
    // An unknown flow has no end.
    let mut missing = g2n();
    missing.args(["flow", "result", &"0".repeat(32), "--nats", &nats.urls(), "--mesh", "hello", "--wait", "1"]);
    let out = output_within(missing, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("has no end"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_per_line_split_runs_over_a_cluster_with_two_replicas_of_everything() {
    let nats = Nats::cluster();
    let dir = temp("cluster");
    let trace = dir.join("trace.jsonl");
    let program = repo_root().join("tests/split/range_string.go");
    let mut run = g2n();
    run.args(["run", "--engine", "nats", "--nats", &nats.urls(), "--split", "per-line", "--process-per-service", "--replicas", "2", "--trace"])
        .arg(&trace)
        .arg(&program);
    let out = output_within(run, Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), std::fs::read_to_string(program.with_extension("stdout")).unwrap());
    // Hops really went through NATS, to more than one process.
    let received = events(&trace, "hop.recv");
    assert!(received.len() > 10, "{} steps received over NATS", received.len());
    let pids: std::collections::BTreeSet<u64> = received.iter().map(|e| e["pid"].as_u64().unwrap()).collect();
    assert!(pids.len() > 3, "steps ran on {} processes", pids.len());
    let flow = events(&trace, "flow.start")[0]["flow"].as_str().unwrap().to_string();
    let last = events(&trace, "flow.end")[0]["step"].as_u64().unwrap();
    assert_committed_once(&trace, &flow, last + 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_executable_linked_without_the_engine_refuses_a_nats_configuration() {
    let dir = temp("unlinked");
    let root = repo_root();
    let mut build = g2n();
    build.args(["build", "-o"]).arg(dir.join("out")).arg(root.join("tests/nats/slow_step.go"));
    let out = output_within(build, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let config = dir.join("runtime.json");
    std::fs::write(&config, r#"{"engine":"nats","nats":{"servers":["nats://127.0.0.1:1"]}}"#).unwrap();
    let mut run = Command::new(dir.join("out/slow_step/slow_step"));
    run.env("G2N_RUNTIME", &config);
    let out = output_within(run, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("linked without it; build it with `g2n build --engine nats`"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts `tests/nats/slow_step.go` with 2 replicas of each nanoservice and
/// a 2 s ack wait, waits until a host has received the slow step, and
/// returns the run and that host's pid.
fn start_slow_flow(nats: &Nats, trace: &Path) -> (Child, u32) {
    let program = repo_root().join("tests/nats/slow_step.go");
    let mut child = g2n()
        .args(["run", "--engine", "nats", "--nats", &nats.urls(), "--process-per-service", "--replicas", "2", "--ack-wait-ms", "2000", "--trace"])
        .arg(trace)
        .arg(&program)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start g2n");
    let pid = wait_for_step(trace, "work", &mut child);
    (child, pid)
}

#[test]
fn a_step_survives_its_host_killed_or_stopped_past_the_ack_wait() {
    let nats = Nats::single();
    let expected = std::fs::read_to_string(repo_root().join("tests/nats/slow_step.stdout")).unwrap();
    let dir = temp("chaos-one");

    // kill -9 of the host running the slow step.
    let trace = dir.join("kill.jsonl");
    let (run, pid) = start_slow_flow(&nats, &trace);
    assert!(g2n_testkit::signal(pid, g2n_testkit::SIGKILL));
    let out = wait_within(run, Duration::from_secs(90));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected);
    let flow = events(&trace, "flow.start")[0]["flow"].as_str().unwrap().to_string();
    let work: Vec<u64> = events(&trace, "hop.recv").iter().filter(|e| e["to"] == "work").map(|e| e["pid"].as_u64().unwrap()).collect();
    assert!(work.len() >= 2 && work.iter().any(|&p| p != pid as u64), "the step was redelivered to another replica: {work:?}");
    assert_committed_once(&trace, &flow, 3);

    // SIGSTOP past the ack wait, then SIGCONT: the stopped host learns on
    // waking that its lease lapsed (crate::lease in g2n-runtime-nats: a
    // 2.9 server answers even a late AckSync with +OK) and drops its copy's
    // result: nothing published, no ack, one log line.
    let trace = dir.join("stop.jsonl");
    let (run, pid) = start_slow_flow(&nats, &trace);
    assert!(g2n_testkit::signal(pid, g2n_testkit::SIGSTOP));
    let started = Instant::now();
    while !events(&trace, "hop.recv").iter().any(|e| e["to"] == "work" && e["pid"].as_u64() != Some(pid as u64)) {
        assert!(started.elapsed() < Duration::from_secs(60), "the stopped step was never redelivered");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(g2n_testkit::signal(pid, g2n_testkit::SIGCONT));
    let out = wait_within(run, Duration::from_secs(90));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected);
    let flow = events(&trace, "flow.start")[0]["flow"].as_str().unwrap().to_string();
    assert_committed_once(&trace, &flow, 3);
    let superseded: Vec<_> = events(&trace, "step.superseded").into_iter().filter(|e| e["pid"].as_u64() == Some(pid as u64)).collect();
    assert_eq!(superseded.len(), 1, "the late host drops its copy once: {superseded:?}");
    assert_eq!(superseded[0]["flow"], flow.as_str());
    assert!(superseded[0]["held_ms"].as_u64().unwrap() >= 1800, "{:?}", superseded[0]);
    // It knows on waking, not at its copy's next effect: that comes only
    // after the loop (about as long as the replica's whole run of the step),
    // and the run may end, and drain and kill it, before then.
    let replica_done = events(&trace, "step.commit").into_iter().find(|e| e["step"] == 1).expect("step 1 committed");
    assert!(superseded[0]["timestamp"].as_str() < replica_done["timestamp"].as_str(), "reported on waking, before the replica committed the step: {:?}, {replica_done:?}", superseded[0]);
    let late: Vec<_> = ["hop.send", "step.commit", "step.duplicate"].iter().flat_map(|what| events(&trace, what)).filter(|e| e["pid"].as_u64() == Some(pid as u64)).collect();
    assert!(late.is_empty(), "the late copy published nothing: {late:?}");
    assert_eq!(text(&out.stderr).matches("this copy's result is dropped").count(), 1, "logged once: {}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A host of `print-hello-world` started the way a deployer would, and an
/// origin of `hello` on demand (mesh `bad`).
struct Deployed {
    dir: PathBuf,
    host: Child,
    servers: String,
}

impl Deployed {
    fn start(nats: &Nats, dir: &Path) -> Deployed {
        Deployed::start_with(nats, dir, serde_json::json!({ "mesh": "bad", "ack_wait_ms": 2000 }))
    }

    /// The seed built for NATS, its host started with the engine settings
    /// `engine` (the servers added).
    fn start_with(nats: &Nats, dir: &Path, engine: serde_json::Value) -> Deployed {
        let root = repo_root();
        let mut build = g2n();
        build
            .args(["build", "--engine", "nats", "-o"])
            .arg(dir.join("out"))
            .arg(root.join("examples/hello-world/hello.yaml"))
            .arg(root.join("examples/hello-world/print-hello-world.yaml"));
        let out = output_within(build, Duration::from_secs(60));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let servers: Vec<String> = nats.nodes.iter().map(|n| n.url()).collect();
        let mut engine = engine;
        engine["servers"] = serde_json::json!(servers);
        let credential = serde_json::json!({ "username": "hello-world-practice", "password": "monkey" });
        let origin_config = serde_json::json!({ "role": "origin", "routes": { "print-hello-world": credential }, "engine": "nats", "nats": engine, "trace_file": dir.join("trace.jsonl") });
        std::fs::write(dir.join("origin.json"), origin_config.to_string()).unwrap();
        let host = Deployed::start_host(dir, &engine).expect("the host starts");
        Deployed { dir: dir.to_path_buf(), host, servers: nats.urls() }
    }

    /// Starts a host of print-hello-world with `engine` and waits until it
    /// is ready; Err: its exit status and log if it exits first.
    fn start_host(dir: &Path, engine: &serde_json::Value) -> Result<Child, (Option<i32>, String)> {
        let credential = serde_json::json!({ "username": "hello-world-practice", "password": "monkey" });
        let ready = dir.join("host.ready");
        let _ = std::fs::remove_file(&ready);
        let host_config = serde_json::json!({ "role": "serve", "accept": [credential], "engine": "nats", "nats": engine, "ready_file": ready, "trace_file": dir.join("trace.jsonl") });
        std::fs::write(dir.join("host.json"), host_config.to_string()).unwrap();
        let log = || std::fs::read_to_string(dir.join("host.stderr")).unwrap_or_default();
        let mut host = Command::new(dir.join("out/print-hello-world/print-hello-world"))
            .env("G2N_RUNTIME", dir.join("host.json"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("host.stderr")).unwrap())
            .spawn()
            .expect("start the host");
        let started = Instant::now();
        while !ready.exists() {
            if let Ok(Some(status)) = host.try_wait() {
                return Err((status.code(), log()));
            }
            assert!(started.elapsed() < Duration::from_secs(30), "host not ready: {}", log());
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(host)
    }

    /// Replaces the host with one started with `engine` (servers added).
    fn restart_host(&mut self, engine: serde_json::Value) -> Result<(), (Option<i32>, String)> {
        let _ = self.host.kill();
        let _ = self.host.wait();
        let mut engine = engine;
        engine["servers"] = serde_json::json!(self.servers.split(',').collect::<Vec<_>>());
        self.host = Deployed::start_host(&self.dir, &engine)?;
        Ok(())
    }

    fn hello(&self) -> Output {
        let mut origin = Command::new(self.dir.join("out/hello/hello"));
        origin.env("G2N_RUNTIME", self.dir.join("origin.json"));
        output_within(origin, Duration::from_secs(60))
    }

    fn host_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("host.stderr")).unwrap_or_default()
    }
}

impl Drop for Deployed {
    fn drop(&mut self) {
        let _ = self.host.kill();
        let _ = self.host.wait();
    }
}

#[test]
fn bad_input_is_refused_with_a_reason_and_the_host_keeps_serving() {
    use async_nats::jetstream::message::PublishMessage;
    let nats = Nats::single();
    let dir = temp("bad-input");
    let deployed = Deployed::start(&nats, &dir);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = runtime.block_on(async_nats::connect(deployed.servers.as_str())).unwrap();
    let js = {
        let _inside = runtime.enter();
        async_nats::jetstream::new(client.clone())
    };
    let subject = "g2n.bad.step.print-hello-world";
    // Watch the real handoff go by, to replay it later.
    let mut watch = runtime.block_on(client.subscribe(subject)).unwrap();
    runtime.block_on(client.flush()).unwrap();
    let out = deployed.hello();
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "Hello World!"), "{}", text(&out.stderr));
    let handoff = runtime.block_on(async { tokio::time::timeout(Duration::from_secs(10), futures_util::StreamExt::next(&mut watch)).await }).unwrap().unwrap();
    let id = handoff.headers.as_ref().and_then(|h| h.get("Nats-Msg-Id")).unwrap().as_str().to_string();

    let publish = |id: &str, body: Vec<u8>| {
        runtime.block_on(async { js.send_publish(subject, PublishMessage::build().message_id(id).payload(body.into())).await.unwrap().await.unwrap() })
    };
    let wait_for = |reason: &str| {
        let started = Instant::now();
        while !deployed.host_log().contains(reason) {
            assert!(started.elapsed() < Duration::from_secs(30), "no '{reason}' in the host's log:\n{}", deployed.host_log());
            std::thread::sleep(Duration::from_millis(20));
        }
    };

    // A message that does not decode.
    publish("garbage:1", b"\x00\x00\x00\x40not a frame".to_vec());
    wait_for("rejected handoff from g2n.bad.step.print-hello-world: truncated frame");
    // A handoff whose HMAC is wrong (a new flow id, tagged with a wrong key).
    let key = g2n_runtime::wire::credential_key("", "hello-world-practice", "monkey");
    let raw = g2n_runtime::wire::read_frame(&mut &handoff.payload[..], &key).unwrap();
    let mut frame = raw.decode().unwrap();
    frame.flow_id = [7; 16];
    let forged = g2n_runtime::wire::encode(&frame, Some(&[0; 32]));
    publish(&format!("{}:1", "07".repeat(16)), forged);
    wait_for("rejected handoff from g2n.bad.step.print-hello-world: authentication failed");
    // A replay of the finished step under its own id: the stream drops it.
    let ack = publish(&id, handoff.payload.to_vec());
    assert!(ack.duplicate, "the stream refuses a replay within its duplicate window");
    // ... and under a fresh id: the host refuses it.
    publish("replayed:1", handoff.payload.to_vec());
    wait_for(&format!("message id 'replayed:1' does not match the handoff it carries ('{id}')"));

    // The host is still serving, and ran no bad input.
    let out = deployed.hello();
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "Hello World!"), "{}", text(&out.stderr));
    let trace = dir.join("trace.jsonl");
    assert_eq!(events(&trace, "frame.rejected").len(), 3);
    assert_eq!(events(&trace, "flow.end").len(), 2, "only the two real flows ran");
    drop(deployed);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A test client of `servers`: its runtime and JetStream context.
fn client(servers: &str) -> (tokio::runtime::Runtime, async_nats::Client, async_nats::jetstream::Context) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = runtime.block_on(async_nats::connect(servers)).unwrap();
    let js = {
        let _inside = runtime.enter();
        async_nats::jetstream::new(client.clone())
    };
    (runtime, client, js)
}

#[test]
fn a_replay_after_the_duplicate_window_is_refused_as_too_old() {
    use async_nats::jetstream::message::PublishMessage;
    let nats = Nats::single();
    let dir = temp("replay-window");
    // A 4 s duplicate window (less the 1 s clock skew allowed: a handoff
    // may be stored up to 3 s after it was made; publishes are retried for
    // 2 s at most).
    let deployed = Deployed::start_with(&nats, &dir, serde_json::json!({ "mesh": "replay", "ack_wait_ms": 2000, "duplicate_window_ms": 4000, "publish_deadline_ms": 2000 }));
    let (runtime, client, js) = client(&deployed.servers);
    let stream = runtime.block_on(js.get_stream("G2N_REPLAY")).unwrap();
    assert_eq!(stream.cached_info().config.duplicate_window, Duration::from_secs(4));
    let subject = "g2n.replay.step.print-hello-world";
    let mut watch = runtime.block_on(client.subscribe(subject)).unwrap();
    runtime.block_on(client.flush()).unwrap();
    let out = deployed.hello();
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "Hello World!"), "{}", text(&out.stderr));
    let handoff = runtime.block_on(async { tokio::time::timeout(Duration::from_secs(10), futures_util::StreamExt::next(&mut watch)).await }).unwrap().unwrap();
    let id = handoff.headers.as_ref().and_then(|h| h.get("Nats-Msg-Id")).unwrap().as_str().to_string();
    let publish = || runtime.block_on(async { js.send_publish(subject, PublishMessage::build().message_id(id.as_str()).payload(handoff.payload.clone())).await.unwrap().await.unwrap() });

    // Within the window the stream drops it; after it, the stream stores it
    // and the host refuses it by its age.
    assert!(publish().duplicate, "a replay within the window is a duplicate");
    std::thread::sleep(Duration::from_millis(4500));
    assert!(!publish().duplicate, "the stream no longer knows the id");
    let started = Instant::now();
    let refusal = "rejected handoff from g2n.replay.step.print-hello-world: handoff stored";
    while !deployed.host_log().contains(refusal) {
        assert!(started.elapsed() < Duration::from_secs(30), "no refusal in the host's log:\n{}", deployed.host_log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(deployed.host_log().contains("more than the step stream's duplicate window less max_clock_skew_ms (3000 ms): refused as a replay"), "{}", deployed.host_log());
    let trace = dir.join("trace.jsonl");
    assert_eq!(events(&trace, "frame.rejected").len(), 1);
    assert_eq!(events(&trace, "flow.end").len(), 1, "the replay did not run");
    // Terminated, not left to redelivery: the work queue is empty.
    let started = Instant::now();
    loop {
        let mut stream = runtime.block_on(js.get_stream("G2N_REPLAY")).unwrap();
        if runtime.block_on(stream.info()).unwrap().state.messages == 0 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the replay stays in the stream");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(deployed);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_host_updates_the_consumers_ack_wait_or_refuses_settings_it_cannot_change() {
    use async_nats::jetstream::consumer::pull;
    let nats = Nats::single();
    let dir = temp("consumer-settings");
    let mut deployed = Deployed::start_with(&nats, &dir, serde_json::json!({ "mesh": "settings", "ack_wait_ms": 2000 }));
    let (runtime, _client, js) = client(&deployed.servers);
    let ack_wait = || {
        let stream = runtime.block_on(js.get_stream("G2N_SETTINGS")).unwrap();
        runtime.block_on(stream.consumer_info("print-hello-world")).unwrap().config.ack_wait
    };
    assert_eq!(ack_wait(), Duration::from_secs(2));

    // A host with another ack wait updates the consumer, and serves.
    deployed.restart_host(serde_json::json!({ "mesh": "settings", "ack_wait_ms": 5000 })).unwrap();
    assert_eq!(ack_wait(), Duration::from_secs(5));
    let updated = events(&dir.join("trace.jsonl"), "consumer.updated");
    assert_eq!(updated.len(), 1, "{updated:?}");
    assert!(updated[0]["was"].as_str().unwrap().contains("ack_wait 2000 ms (this process: 5000 ms)"), "{updated:?}");
    let out = deployed.hello();
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "Hello World!"), "{}", text(&out.stderr));

    // A consumer made by someone else with a filter subject JetStream
    // cannot change: the host refuses to start, and says what to do.
    let stream = runtime.block_on(js.get_stream("G2N_SETTINGS")).unwrap();
    runtime.block_on(stream.delete_consumer("print-hello-world")).unwrap();
    let other = pull::Config {
        durable_name: Some("print-hello-world".into()),
        filter_subject: "g2n.settings.step.someone-else".into(),
        ack_wait: Duration::from_secs(5),
        ..Default::default()
    };
    runtime.block_on(stream.create_consumer(other)).unwrap();
    let (code, log) = deployed.restart_host(serde_json::json!({ "mesh": "settings", "ack_wait_ms": 5000 })).unwrap_err();
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("the JetStream consumer print-hello-world of nanoservice 'print-hello-world' exists with filter subject 'g2n.settings.step.someone-else' (this process: 'g2n.settings.step.print-hello-world')"), "{log}");
    assert!(log.contains("delete the consumer"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `tests/nats/slow_step.go` built for NATS and deployed by hand (mesh
/// `drain`): a host per nanoservice, so the test owns the host of `work`
/// and sees its exit code. `drain_ms` is the drain bound of the host of
/// `work`; the host of `finish` has the engine's default.
struct SlowMesh {
    dir: PathBuf,
    hosts: Vec<(String, Child)>,
}

impl SlowMesh {
    fn start(nats: &Nats, dir: &Path, drain_ms: u64) -> SlowMesh {
        let mut build = g2n();
        build.args(["build", "--engine", "nats", "-o"]).arg(dir.join("out")).arg(repo_root().join("tests/nats/slow_step.go"));
        let out = output_within(build, Duration::from_secs(60));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let servers: Vec<String> = nats.nodes.iter().map(|n| n.url()).collect();
        let credential = serde_json::json!({ "username": "drain-test", "password": "drain-test-secret" });
        let engine = serde_json::json!({ "servers": servers, "mesh": "drain", "ack_wait_ms": 2000 });
        let routes = serde_json::json!({ "work": credential, "finish": credential });
        let trace = dir.join("trace.jsonl");
        let mut mesh = SlowMesh { dir: dir.to_path_buf(), hosts: Vec::new() };
        for unit in ["work", "finish"] {
            let config = serde_json::json!({ "role": "serve", "accept": [credential], "routes": routes, "engine": "nats", "nats": engine, "ready_file": dir.join(format!("{unit}.ready")), "trace_file": trace });
            std::fs::write(dir.join(format!("{unit}.json")), config.to_string()).unwrap();
            if unit == "work" {
                mesh.set_drain_ms(unit, Some(drain_ms));
            }
            mesh.start_host(unit);
        }
        let origin = serde_json::json!({ "role": "origin", "routes": routes, "engine": "nats", "nats": engine, "trace_file": trace });
        std::fs::write(dir.join("origin.json"), origin.to_string()).unwrap();
        mesh
    }

    /// Sets the drain bound of the next host of `unit` (None: the engine's
    /// default).
    fn set_drain_ms(&self, unit: &str, drain_ms: Option<u64>) {
        let path = self.dir.join(format!("{unit}.json"));
        let mut config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let nats = config["nats"].as_object_mut().unwrap();
        match drain_ms {
            Some(ms) => nats.insert("drain_ms".into(), ms.into()),
            None => nats.remove("drain_ms"),
        };
        std::fs::write(&path, config.to_string()).unwrap();
    }

    /// Starts a host of `unit` (again) and waits until it is ready.
    fn start_host(&mut self, unit: &str) {
        let ready = self.dir.join(format!("{unit}.ready"));
        let _ = std::fs::remove_file(&ready);
        let host = Command::new(self.dir.join(format!("out/{unit}/{unit}")))
            .env("G2N_RUNTIME", self.dir.join(format!("{unit}.json")))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join(format!("{unit}.stderr"))).unwrap())
            .spawn()
            .expect("start a host");
        self.hosts.retain_mut(|(u, old)| u != unit || !matches!(old.try_wait(), Ok(Some(_))));
        self.hosts.push((unit.to_string(), host));
        let started = Instant::now();
        while !ready.exists() {
            assert!(started.elapsed() < Duration::from_secs(30), "{unit} not ready: {}", self.log(unit));
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn origin(&self) -> Child {
        Command::new(self.dir.join("out/slow_step/slow_step"))
            .env("G2N_RUNTIME", self.dir.join("origin.json"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the origin")
    }

    fn log(&self, unit: &str) -> String {
        std::fs::read_to_string(self.dir.join(format!("{unit}.stderr"))).unwrap_or_default()
    }

    /// Drains every host still running (SIGTERM) and waits until it has
    /// exited 0: only then is the journal complete. The origin exits as
    /// soon as the flow's end is stored, and the host that stored it traces
    /// its `step.commit` after its PubAck, which can come after the origin
    /// has exited (as `g2n run` does, docs/protocol.md, "Draining").
    fn drain(&mut self) {
        for (unit, host) in &mut self.hosts {
            if !matches!(host.try_wait(), Ok(None)) {
                continue;
            }
            assert!(g2n_testkit::signal(host.id(), g2n_testkit::SIGTERM));
            let signalled = Instant::now();
            let status = loop {
                if let Ok(Some(status)) = host.try_wait() {
                    break status;
                }
                assert!(signalled.elapsed() < Duration::from_secs(30), "the host of '{unit}' did not drain within 30 s");
                std::thread::sleep(Duration::from_millis(10));
            };
            assert_eq!(status.code(), Some(0), "the host of '{unit}' drained");
        }
    }

    /// The newest host of `unit`.
    fn host(&mut self, unit: &str) -> &mut Child {
        &mut self.hosts.iter_mut().rev().find(|(u, _)| u == unit).expect("a host of that unit").1
    }
}

impl Drop for SlowMesh {
    fn drop(&mut self) {
        for (_, host) in &mut self.hosts {
            let _ = host.kill();
            let _ = host.wait();
        }
    }
}

/// Waits (bounded) until the trace has a `hop.recv` into `unit`, and returns
/// the pid of the host that received it. On the timeout path `origin` is
/// killed (that does not stop the hosts it started: its clean-up runs only
/// when it exits by itself).
fn wait_for_step(trace: &Path, unit: &str, origin: &mut Child) -> u32 {
    let started = Instant::now();
    loop {
        if let Some(e) = events(trace, "hop.recv").iter().find(|e| e["to"] == unit) {
            return e["pid"].as_u64().unwrap() as u32;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = origin.kill();
            let _ = origin.wait();
            panic!("the step of '{unit}' never started");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_host_given_sigterm_mid_step_finishes_the_step_and_exits_0() {
    let nats = Nats::single();
    let expected = std::fs::read_to_string(repo_root().join("tests/nats/slow_step.stdout")).unwrap();
    let dir = temp("drain");
    let drain_bound = Duration::from_secs(20);
    let mut mesh = SlowMesh::start(&nats, &dir, drain_bound.as_millis() as u64);
    let trace = dir.join("trace.jsonl");
    let mut origin = mesh.origin();
    wait_for_step(&trace, "work", &mut origin);
    let work_pid = mesh.host("work").id();
    assert!(events(&trace, "step.commit").iter().all(|e| e["pid"].as_u64() != Some(work_pid as u64)), "the slow step is still running");
    let signalled = Instant::now();
    assert!(g2n_testkit::signal(work_pid, g2n_testkit::SIGTERM));
    let status = loop {
        if let Ok(Some(status)) = mesh.host("work").try_wait() {
            break status;
        }
        assert!(signalled.elapsed() < drain_bound, "the host of 'work' did not exit within the drain bound");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(0), "{}", mesh.log("work"));
    let drain: Vec<serde_json::Value> = events(&trace, "host.drain").into_iter().filter(|e| e["pid"].as_u64() == Some(work_pid as u64)).collect();
    assert_eq!(drain.len(), 1);
    assert_eq!(drain[0]["held"], 1, "the host held the slow step when it was asked to drain");
    // The drained host committed its step (step 1, handed off to 'finish')
    // itself: nothing was redelivered.
    let flow = events(&trace, "flow.start")[0]["flow"].as_str().unwrap().to_string();
    let commits: Vec<serde_json::Value> = events(&trace, "step.commit").into_iter().filter(|e| e["flow"] == flow && e["step"] == 1).collect();
    assert_eq!(commits.len(), 1, "{commits:?}");
    assert_eq!(commits[0]["pid"].as_u64(), Some(work_pid as u64));
    assert_eq!(events(&trace, "hop.recv").iter().filter(|e| e["to"] == "work").count(), 1, "the step ran once");
    let out = wait_within(origin, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected, "the step's output printed once");
    // The host that was not signalled still serves; the drained one pulls
    // nothing more (a second flow would wait for a host of 'work').
    assert!(matches!(mesh.host("finish").try_wait(), Ok(None)));
    mesh.drain();
    assert_committed_once(&trace, &flow, 3);
    drop(mesh);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_drain_past_its_bound_exits_1_and_the_step_is_redelivered() {
    let nats = Nats::single();
    let expected = std::fs::read_to_string(repo_root().join("tests/nats/slow_step.stdout")).unwrap();
    let dir = temp("drain-bound");
    let mut mesh = SlowMesh::start(&nats, &dir, 100);
    let trace = dir.join("trace.jsonl");
    let mut origin = mesh.origin();
    wait_for_step(&trace, "work", &mut origin);
    let first = mesh.host("work").id();
    let signalled = Instant::now();
    assert!(g2n_testkit::signal(first, g2n_testkit::SIGTERM));
    let status = loop {
        if let Ok(Some(status)) = mesh.host("work").try_wait() {
            break status;
        }
        assert!(signalled.elapsed() < Duration::from_secs(10), "the host of 'work' outlived its 100 ms drain bound");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(1));
    assert!(mesh.log("work").contains("drain: 1 step(s) still running after 100ms"), "{}", mesh.log("work"));
    assert_eq!(events(&trace, "host.drain_timeout").len(), 1);
    // A new host of 'work' gets the step once the ack wait (2 s) has passed;
    // drained at the end like the others, it has the default bound.
    mesh.set_drain_ms("work", None);
    mesh.start_host("work");
    let out = wait_within(origin, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected);
    let flow = events(&trace, "flow.start")[0]["flow"].as_str().unwrap().to_string();
    mesh.drain();
    assert_committed_once(&trace, &flow, 3);
    drop(mesh);
    let _ = std::fs::remove_dir_all(&dir);
}
