//! End-to-end tests of the runtime between real processes: the seed mesh built
//! by `g2n build`, its executables started with hand-written runtime
//! configurations (G2N_RUNTIME), and frames sent by the test itself.
//!
//! Everything stays on 127.0.0.1. Every wait is bounded by a deadline, and every
//! started process is killed when its guard drops.

use g2n_runtime::wire::{self, Frame, Handoff, Kind, WireValue};
use serde_json::Value;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const USER: &str = "hello-world-practice";
const PASSWORD: &str = "monkey";

fn g2n() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.current_dir(repo_root());
    command.env_remove("G2N_RUNTIME");
    command
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn seed(name: &str) -> String {
    format!("examples/hello-world/{name}")
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-mesh-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `g2n build` of the seed mesh into `out`.
fn build_seed(out: &Path) {
    let output = g2n().args(["build", &seed("hello.yaml"), &seed("print-hello-world.yaml"), "-o"]).arg(out).output().expect("run g2n");
    assert!(output.status.success(), "g2n build failed: {}", text(&output.stderr));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Polls `done` every 10 ms until it holds or `limit` passes.
fn wait_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out after {limit:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A serving `print-hello-world` process, killed on drop.
struct Service {
    child: Child,
    log: PathBuf,
}

impl Service {
    /// Starts the built print service on `addr` and waits until it listens.
    fn start(out: &Path, name: &str, addr: &str, trace: Option<&Path>) -> Service {
        let config = serde_json::json!({
            "role": "serve",
            "listen": addr,
            "accept": [{ "username": USER, "password": PASSWORD }],
            "handoff_deadline_ms": 2000,
            "trace_file": trace,
        });
        Service::start_unit(out, "print-hello-world", name, config)
    }

    /// Starts the built `unit` as a service with `config` plus a ready file.
    fn start_unit(out: &Path, unit: &str, name: &str, mut config: Value) -> Service {
        let ready = out.join(format!("{name}.ready"));
        let _ = std::fs::remove_file(&ready);
        config["ready_file"] = Value::from(ready.to_str().expect("UTF-8 path"));
        let config_path = out.join(format!("{name}.json"));
        std::fs::write(&config_path, config.to_string()).expect("config");
        let log = out.join(format!("{name}.log"));
        let child = Command::new(out.join(unit).join(unit))
            .env("G2N_RUNTIME", &config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("start service");
        let mut service = Service { child, log };
        wait_until(Duration::from_secs(20), "the service to listen", || {
            assert!(service.child.try_wait().expect("try_wait").is_none(), "service exited: {}", service.log_text());
            ready.is_file()
        });
        service
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    /// kill -9, and reap it.
    fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Writes the origin's runtime configuration: the route to the print service.
fn origin_config(out: &Path, name: &str, addr: &str, password: &str, deadline_ms: u64, trace: Option<&Path>) -> PathBuf {
    let config = serde_json::json!({
        "role": "origin",
        "handoff_deadline_ms": deadline_ms,
        "routes": { "print-hello-world": { "addr": addr, "username": USER, "password": password } },
        "trace_file": trace,
    });
    let path = out.join(format!("{name}.json"));
    std::fs::write(&path, config.to_string()).expect("config");
    path
}

fn start_origin(out: &Path, config: &Path) -> Child {
    Command::new(out.join("hello/hello"))
        .env("G2N_RUNTIME", config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start origin")
}

/// Waits for a child at most `limit`, killing it if it is still running.
fn finish(mut child: Child, limit: Duration) -> Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().expect("wait");
            panic!("process still running after {limit:?}; stderr: {}", text(&output.stderr));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("wait")
}

/// The JSON objects of a trace file, one per line; every line must parse.
fn trace_events(path: &Path) -> Vec<Value> {
    let content = std::fs::read_to_string(path).unwrap_or_default();
    content
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("trace line is not JSON ({e}): {line}")))
        .collect()
}

fn events<'a>(all: &'a [Value], message: &str) -> Vec<&'a Value> {
    all.iter().filter(|e| e["message"] == message).collect()
}

fn flow_id_of(stderr: &str) -> &str {
    let rest = stderr.strip_prefix("g2n: flow ").unwrap_or_else(|| panic!("no flow id in: {stderr}"));
    let id = &rest[..32.min(rest.len())];
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "bad flow id in: {stderr}");
    id
}

/// `g2n run --trace FILE`: every process appends its events; the hop of one
/// flow is visible from both sides with the same flow id and step. (One
/// process per config: on one host, the default, the hop is in memory.)
#[test]
fn run_with_trace_follows_one_flow_across_processes() {
    let dir = temp_dir("trace");
    let trace = dir.join("trace.jsonl");
    let output = g2n()
        .arg("run")
        .arg("--process-per-service")
        .arg("--trace")
        .arg(&trace)
        .args([&seed("hello.yaml"), &seed("print-hello-world.yaml")])
        .output()
        .expect("run g2n");
    assert_eq!(text(&output.stdout), "Hello World!", "stderr: {}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(0));

    let all = trace_events(&trace);
    let start = events(&all, "flow.start");
    assert_eq!(start.len(), 1, "{all:#?}");
    let flow = start[0]["flow"].as_str().expect("flow id").to_string();
    assert_eq!(flow.len(), 32);
    assert_eq!(start[0]["unit"], "hello");

    let sent = events(&all, "hop.send");
    let received = events(&all, "hop.recv");
    assert_eq!((sent.len(), received.len()), (1, 1), "{all:#?}");
    let (s, r) = (sent[0], received[0]);
    for e in [s, r] {
        assert_eq!(e["flow"], flow.as_str());
        assert_eq!(e["step"], 1);
        assert_eq!(e["from"], "hello");
        assert_eq!(e["to"], "print-hello-world");
        assert!(e["bytes"].as_u64().is_some_and(|b| b > 32), "{e}");
        assert!(e["latency_us"].as_u64().is_some(), "{e}");
        assert!(e["timestamp"].is_string());
    }
    assert_eq!(s["unit"], "hello");
    assert_eq!(r["unit"], "print-hello-world");
    assert_eq!(s["bytes"], r["bytes"], "both sides count the same frame");
    assert_ne!(s["pid"], r["pid"], "the two sides are different processes");
    assert_eq!(start[0]["pid"], s["pid"]);

    // An undisturbed run needs no retry anywhere (the origin waits for its
    // Ack of End to be written before it exits).
    assert!(events(&all, "hop.retry").is_empty(), "{all:#?}");

    // The end on the host and the exit on the origin, same flow.
    let end = events(&all, "flow.end");
    assert_eq!(end.len(), 1, "{all:#?}");
    assert_eq!((&end[0]["flow"], &end[0]["unit"], &end[0]["exit_code"]), (&Value::from(flow.as_str()), &Value::from("print-hello-world"), &Value::from(0)));
    let done = events(&all, "flow.done");
    assert_eq!(done.len(), 1, "{all:#?}");
    assert_eq!((&done[0]["flow"], &done[0]["exit_code"]), (&Value::from(flow.as_str()), &Value::from(0)));
    let output_sent = events(&all, "output.sent");
    assert_eq!(output_sent.len(), 1, "{all:#?}");
    assert_eq!(output_sent[0]["flow"], flow.as_str());

    // A second run appends to the same file.
    let again = g2n()
        .arg("run")
        .arg("--trace")
        .arg(&trace)
        .args([&seed("hello.yaml"), &seed("print-hello-world.yaml")])
        .output()
        .expect("run g2n");
    assert_eq!(text(&again.stdout), "Hello World!");
    let all = trace_events(&trace);
    assert_eq!(events(&all, "flow.start").len(), 2);
    assert_ne!(events(&all, "flow.start")[1]["flow"], flow.as_str(), "every run is a new flow");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A target that never answers: the origin retries until its deadline, then
/// the flow ends there with a clear error naming the flow, the target, the
/// deadline and the cause, and exit code 1.
#[test]
fn unreachable_target_ends_the_flow_at_the_origin_with_a_clear_error() {
    let dir = temp_dir("unreachable");
    build_seed(&dir);
    let addr = format!("127.0.0.1:{}", free_port());
    let trace = dir.join("trace.jsonl");
    let config = origin_config(&dir, "origin", &addr, PASSWORD, 1000, Some(&trace));
    let started = Instant::now();
    let output = finish(start_origin(&dir, &config), Duration::from_secs(30));
    let elapsed = started.elapsed();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(text(&output.stdout), "");
    let flow = flow_id_of(&stderr);
    let expected = format!("g2n: flow {flow}: handoff to 'print-hello-world' failed after 1s: connection refused (no acknowledgement from {addr} in ");
    assert!(stderr.starts_with(&expected) && stderr.ends_with(" attempts)\n"), "stderr: {stderr}");
    assert!(elapsed >= Duration::from_secs(1), "gave up before the deadline: {elapsed:?}");

    let all = trace_events(&trace);
    let retries = events(&all, "hop.retry");
    assert!(retries.len() >= 3, "expected retries with backoff: {all:#?}");
    assert!(retries.iter().all(|e| e["flow"] == flow && e["error"] == "connection refused"));
    let failed = events(&all, "hop.failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["flow"], flow);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Acts as a flow's origin for hand-made handoffs: acks Output/End frames
/// tagged with `key` and reports them.
fn fake_origin(key: wire::Key) -> (String, mpsc::Receiver<Kind>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let tx = tx.clone();
            std::thread::spawn(move || {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
                while let Ok(raw) = wire::read_frame(&mut conn, &key) {
                    let Ok(frame) = raw.decode() else { return };
                    if !raw.verify(&key) {
                        return;
                    }
                    let _ = tx.send(frame.kind.clone());
                    let ack = Frame { version: wire::PROTOCOL_VERSION, flow_id: frame.flow_id, step: frame.step, kind: Kind::Ack };
                    if wire::write_frame(&mut conn, &ack, Some(&key)).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, rx)
}

const FLOW_KEY: wire::Key = [0x5a; 32];

fn handoff(flow_id: [u8; 16], resume_point: u32, scope: Vec<(String, WireValue)>, origin: &str) -> Frame {
    Frame {
        version: wire::PROTOCOL_VERSION,
        flow_id,
        step: 1,
        kind: Kind::Handoff(Handoff {
            target: "print-hello-world".into(),
            from: "test".into(),
            resume_point,
            origin: origin.into(),
            flow_key: FLOW_KEY,
            out_seq: 0,
            scope,
            graph: Vec::new(),
            created_ms: wire::now_ms(),
        }),
    }
}

fn hello_scope() -> Vec<(String, WireValue)> {
    vec![("hello".into(), WireValue::String(b"Hello".to_vec()))]
}

/// Sends raw bytes on a new connection, optionally half-closes, and returns the
/// decoded reply (None if the service closed without one).
fn send_raw(addr: &str, bytes: &[u8], half_close: bool) -> Option<Frame> {
    let mut conn = TcpStream::connect(addr).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    // The service may close as soon as it has seen a bad length.
    let _ = conn.write_all(bytes);
    if half_close {
        let _ = conn.shutdown(std::net::Shutdown::Write);
    }
    let raw = wire::read_frame(&mut conn, &user_key()).ok()?;
    raw.decode().ok()
}

/// The key of USER and PASSWORD (an Ack is tagged with it), derived once.
fn user_key() -> wire::Key {
    static KEY: std::sync::OnceLock<wire::Key> = std::sync::OnceLock::new();
    *KEY.get_or_init(|| wire::credential_key("", USER, PASSWORD))
}

fn nack(reply: Option<Frame>, case: &str) -> String {
    match reply.map(|f| f.kind) {
        Some(Kind::Nack { reason }) => reason,
        other => panic!("{case}: expected a Nack, got {other:?}"),
    }
}

/// Every kind of bad frame, sent to a running `print-hello-world` process, is
/// refused with a logged reason (stderr and trace), none of them runs the
/// unit, a replayed frame runs once, and afterwards a real flow completes.
#[test]
fn every_kind_of_bad_frame_is_rejected_and_the_service_still_serves() {
    let dir = temp_dir("bad-frames");
    build_seed(&dir);
    let addr = format!("127.0.0.1:{}", free_port());
    let trace = dir.join("trace.jsonl");
    let mut service = Service::start(&dir, "print", &addr, Some(&trace));
    let key = wire::credential_key("", USER, PASSWORD);
    let (origin, returned) = fake_origin(FLOW_KEY);
    let good = handoff([1; 16], 1, hello_scope(), &origin);

    // (case, expected reason in the Nack and in the logs)
    let mut expected: Vec<(&str, String)> = Vec::new();

    // Garbage: a plausible length, an untagged header (short frames may be
    // untagged: Nacks), then random-looking bytes.
    let garbage = [&[0, 0, 0, 64][..], &[0; wire::HEADER_LEN - 4], &[0xA7; 64]].concat();
    let reason = nack(send_raw(&addr, &garbage, false), "garbage");
    assert!(reason.starts_with("malformed frame"), "{reason}");
    expected.push(("garbage", reason));
    // Garbage in the header too: its key id is nobody's, so the body is
    // not read at all.
    let reason = nack(send_raw(&addr, &[&[0, 0, 0, 64][..], &[0xA7; 88]].concat(), false), "garbage header");
    assert_eq!(reason, "authentication failed");

    // Garbage that is not even framed (text): its first 4 bytes read as a huge length.
    let reason = nack(send_raw(&addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", false), "text");
    assert!(reason.contains("exceeds the 16777216-byte limit"), "{reason}");
    expected.push(("text", reason));

    // Oversized: one byte over the documented limit, refused unread.
    let reason = nack(send_raw(&addr, &(wire::MAX_FRAME_LEN + 1).to_be_bytes(), false), "oversize");
    assert_eq!(reason, format!("frame of {} bytes exceeds the {}-byte limit", wire::MAX_FRAME_LEN + 1, wire::MAX_FRAME_LEN));
    expected.push(("oversize", reason));

    // Too short to hold a body (a length of zero).
    let reason = nack(send_raw(&addr, &[0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], false), "short");
    assert!(reason.contains("too short"), "{reason}");
    expected.push(("short", reason));

    // Truncated: half of a valid frame, then the sender closes its side. No
    // reply is possible (the frame never completed); the reason is logged.
    let bytes = wire::encode(&good, Some(&key));
    assert!(send_raw(&addr, &bytes[..bytes.len() / 2], true).is_none(), "a truncated frame got a reply");
    expected.push(("truncated", "truncated frame".to_string()));

    // Wrong protocol version (correctly tagged).
    let mut v2 = good.clone();
    v2.version = 2;
    let reason = nack(send_raw(&addr, &wire::encode(&v2, Some(&key)), false), "version");
    assert_eq!(reason, format!("unsupported protocol version 2 (this runtime speaks {})", wire::PROTOCOL_VERSION));
    expected.push(("version", reason));

    // Bad HMAC: a valid frame with one body bit flipped.
    let mut tampered = bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let auth_failed = "authentication failed".to_string();
    assert_eq!(nack(send_raw(&addr, &tampered, false), "tag"), auth_failed);
    // Bad HMAC: the header of one frame with another frame's body of the
    // same length (scope value rewritten; the header binds its body, v6).
    let other = handoff([1; 16], 1, vec![("hello".into(), WireValue::String(b"Jello".to_vec()))], &origin);
    let other_bytes = wire::encode(&other, Some(&key));
    let mut spliced = bytes[..wire::HEADER_LEN].to_vec();
    spliced.extend_from_slice(&other_bytes[wire::HEADER_LEN..]);
    assert_eq!(nack(send_raw(&addr, &spliced, false), "body"), auth_failed);
    // Wrong password.
    assert_eq!(nack(send_raw(&addr, &wire::encode(&good, Some(&wire::credential_key("", USER, "banana"))), false), "password"), auth_failed);
    // Unknown user (a key the host does not have): the same reason, so
    // users cannot be probed; and no username travels (protocol v5).
    assert_eq!(nack(send_raw(&addr, &wire::encode(&other, Some(&wire::credential_key("", "mallory", PASSWORD))), false), "user"), auth_failed);
    expected.push(("auth", auth_failed));

    // Not a handoff.
    let end = Frame { version: wire::PROTOCOL_VERSION, flow_id: [1; 16], step: 1, kind: Kind::End { seq: 0, exit_code: 0 } };
    let reason = nack(send_raw(&addr, &wire::encode(&end, Some(&key)), false), "kind");
    assert!(reason.starts_with("unexpected frame kind"), "{reason}");
    expected.push(("kind", reason));

    // Unknown resume point.
    let reason = nack(send_raw(&addr, &wire::encode(&handoff([1; 16], 99, hello_scope(), &origin), Some(&key)), false), "resume point");
    assert_eq!(reason, "nanoservice 'print-hello-world' has no resume point 99");
    expected.push(("resume point", reason));

    // Wrong type tag in the scope, missing variable, extra variable.
    let wrong_type = handoff([1; 16], 1, vec![("hello".into(), WireValue::Int(5))], &origin);
    let reason = nack(send_raw(&addr, &wire::encode(&wrong_type, Some(&key)), false), "type");
    assert_eq!(reason, "scope mismatch at resume point 1: expected (hello string), got (hello int)");
    expected.push(("type", reason));
    let reason = nack(send_raw(&addr, &wire::encode(&handoff([1; 16], 1, vec![], &origin), Some(&key)), false), "missing");
    assert!(reason.starts_with("scope mismatch at resume point 1"), "{reason}");
    let mut extra = hello_scope();
    extra.push(("x".into(), WireValue::Bool(true)));
    let reason = nack(send_raw(&addr, &wire::encode(&handoff([1; 16], 1, extra, &origin), Some(&key)), false), "extra");
    assert!(reason.starts_with("scope mismatch at resume point 1"), "{reason}");

    // Wrong target.
    let mut elsewhere = good.clone();
    if let Kind::Handoff(h) = &mut elsewhere.kind {
        h.target = "hello".into();
    }
    let reason = nack(send_raw(&addr, &wire::encode(&elsewhere, Some(&key)), false), "target");
    assert_eq!(reason, "handoff is for nanoservice 'hello', this is 'print-hello-world'");
    expected.push(("target", reason));

    // Nothing so far ran the unit.
    assert!(returned.recv_timeout(Duration::from_millis(200)).is_err(), "a rejected frame reached the unit");
    assert!(service.alive(), "the service died: {}", service.log_text());

    // Replayed: the same valid frame three times, each on a new connection:
    // acknowledged every time, run once.
    for _ in 0..3 {
        let reply = send_raw(&addr, &bytes, false).expect("reply");
        assert_eq!((reply.kind, reply.flow_id, reply.step), (Kind::Ack, [1; 16], 1));
    }
    let first = returned.recv_timeout(Duration::from_secs(10)).expect("output");
    assert_eq!(first, Kind::Output { stream: wire::Stream::Stdout, seq: 0, bytes: b"Hello World!".to_vec() });
    assert_eq!(returned.recv_timeout(Duration::from_secs(10)).expect("end"), Kind::End { seq: 1, exit_code: 0 });
    assert!(returned.recv_timeout(Duration::from_millis(300)).is_err(), "the replayed step ran twice");

    // Each rejection was logged with its reason, on stderr and in the trace.
    let log = service.log_text();
    let all = trace_events(&trace);
    let rejected: Vec<String> = events(&all, "frame.rejected").iter().map(|e| e["reason"].as_str().unwrap_or_default().to_string()).collect();
    for (case, reason) in &expected {
        assert!(log.contains(&format!(": {reason}")) && log.contains("g2n[print-hello-world]: rejected handoff from 127.0.0.1:"), "{case}: '{reason}' not in the log:\n{log}");
        assert!(rejected.iter().any(|r| r == reason), "{case}: '{reason}' not in the trace: {rejected:#?}");
    }
    let flow = "01".repeat(16);
    let received: Vec<_> = events(&all, "hop.recv").into_iter().filter(|e| e["flow"] == flow.as_str()).collect();
    let duplicates: Vec<_> = events(&all, "hop.duplicate").into_iter().filter(|e| e["flow"] == flow.as_str()).collect();
    assert_eq!((received.len(), duplicates.len()), (1, 2), "{all:#?}");

    // And a real flow, from the real origin, still completes.
    let config = origin_config(&dir, "origin", &addr, PASSWORD, 5000, None);
    let output = finish(start_origin(&dir, &config), Duration::from_secs(30));
    assert_eq!(text(&output.stdout), "Hello World!", "stderr: {}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(0));
    assert!(service.alive());
    drop(service);
    let _ = std::fs::remove_dir_all(&dir);
}

/// kill -9 of the target while the origin is retrying, then a restart on the
/// same address: the flow completes with the same output as an undisturbed
/// run, and its step ran exactly once.
#[test]
fn kill_9_of_the_target_while_the_origin_retries_then_restart_completes_once() {
    let dir = temp_dir("kill9");
    build_seed(&dir);
    let addr = format!("127.0.0.1:{}", free_port());
    let trace = dir.join("trace.jsonl");

    // Undisturbed run for the reference output.
    let mut service = Service::start(&dir, "print-1", &addr, None);
    let config = origin_config(&dir, "reference", &addr, PASSWORD, 5000, None);
    let reference = finish(start_origin(&dir, &config), Duration::from_secs(30));
    assert_eq!(reference.status.code(), Some(0), "stderr: {}", text(&reference.stderr));

    // Kill the service, start a flow: the origin can only retry.
    service.kill9();
    assert!(!service.alive());
    let config = origin_config(&dir, "origin", &addr, PASSWORD, 30_000, Some(&trace));
    let origin = start_origin(&dir, &config);
    wait_until(Duration::from_secs(10), "the origin to retry", || events(&trace_events(&trace), "hop.retry").len() >= 3);

    // Restart on the same address; the pending handoff goes through.
    let restarted = Service::start(&dir, "print-2", &addr, Some(&trace));
    let output = finish(origin, Duration::from_secs(40));
    assert_eq!(output.status.code(), reference.status.code(), "stderr: {}", text(&output.stderr));
    assert_eq!(text(&output.stdout), text(&reference.stdout));
    assert_eq!(text(&output.stdout), "Hello World!");
    assert_eq!(text(&output.stderr), text(&reference.stderr));

    let all = trace_events(&trace);
    let flow = events(&all, "flow.start")[0]["flow"].as_str().expect("flow").to_string();
    let of_flow = |message: &str| events(&all, message).into_iter().filter(|e| e["flow"] == flow.as_str()).count();
    assert!(of_flow("hop.retry") >= 3);
    assert_eq!(of_flow("hop.send"), 1);
    assert_eq!(of_flow("hop.recv"), 1, "the step ran more than once: {all:#?}");
    assert_eq!(of_flow("hop.duplicate"), 0);
    assert_eq!(of_flow("flow.end"), 1);
    let sent = events(&all, "hop.send")[0];
    assert!(sent["attempts"].as_u64().is_some_and(|n| n >= 4), "{sent}");
    drop(restarted);
    let _ = std::fs::remove_dir_all(&dir);
}

/// kill -9 of the host while it runs the flow (after it acknowledged the
/// handoff): the flow cannot complete (handoffs are not durable yet), but it
/// must not hang or vanish silently: its origin notices the silence and ends
/// it with a clear error and exit code 1.
#[test]
fn kill_9_of_the_host_mid_step_is_reported_at_the_origin() {
    let dir = temp_dir("kill9-host");
    let fixtures = repo_root().join("tests/mesh/spin");
    let output = g2n()
        .arg("build")
        .arg(fixtures.join("start.yaml"))
        .arg(fixtures.join("spin.yaml"))
        .arg("-o")
        .arg(&dir)
        .output()
        .expect("run g2n");
    assert!(output.status.success(), "g2n build failed: {}", text(&output.stderr));
    let addr = format!("127.0.0.1:{}", free_port());
    let trace = dir.join("trace.jsonl");
    let config = serde_json::json!({
        "role": "serve",
        "listen": addr,
        "accept": [{ "username": USER, "password": PASSWORD }],
        "heartbeat_ms": 100,
        "trace_file": trace,
    });
    let mut service = Service::start_unit(&dir, "spin", "spin", config);
    let origin_config = serde_json::json!({
        "role": "origin",
        "liveness_timeout_ms": 1500,
        "routes": { "spin": { "addr": addr, "username": USER, "password": PASSWORD } },
        "trace_file": trace,
    });
    let origin_config_path = dir.join("origin.json");
    std::fs::write(&origin_config_path, origin_config.to_string()).expect("config");
    let origin = Command::new(dir.join("start/start"))
        .env("G2N_RUNTIME", &origin_config_path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start origin");

    // The host has the flow and is spinning in it.
    wait_until(Duration::from_secs(20), "the host to accept the flow", || !events(&trace_events(&trace), "hop.recv").is_empty());
    std::thread::sleep(Duration::from_millis(300));
    assert!(service.alive(), "the spinning host exited: {}", service.log_text());
    let killed_at = Instant::now();
    service.kill9();

    let output = finish(origin, Duration::from_secs(30));
    let noticed = killed_at.elapsed();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(text(&output.stdout), "start\n");
    let flow = flow_id_of(&stderr);
    assert_eq!(
        stderr,
        format!("g2n: flow {flow}: lost: nothing heard from the mesh for 1.5s (last from 'spin' at step 1); the nanoservice running it may have died\n")
    );
    assert!(noticed >= Duration::from_millis(1000) && noticed < Duration::from_secs(20), "{noticed:?}");
    let all = trace_events(&trace);
    assert_eq!(events(&all, "flow.lost").len(), 1, "{all:#?}");
    assert_eq!(events(&all, "flow.lost")[0]["flow"], flow);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A split program whose nanoservices `a` and `b` share one host: the entry
/// hands `n` and `s` to `a`, `a` hands `n` to `b` (in memory, same host).
const HOSTED_PROGRAM: &str = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\ts := \"x\"\n\tn := 1\n\tgoToNetwork 'a'\n\tfmt.Println(s, n)\n\tgoToNetwork 'b'\n\tfmt.Println(n + 1)\n}\n";

/// Builds HOSTED_PROGRAM into `dir` (one executable, a name per nanoservice).
fn build_hosted(dir: &Path) {
    let program = dir.join("hosted.go");
    std::fs::write(&program, HOSTED_PROGRAM).expect("program");
    let configs = dir.join("configs");
    let output = g2n().arg("split").arg(&program).arg("-o").arg(&configs).output().expect("run g2n");
    assert!(output.status.success(), "g2n split failed: {}", text(&output.stderr));
    let output = g2n().env("G2N_SPLIT_PASSWORD", PASSWORD).arg("build").arg(&configs).arg("-o").arg(dir).output().expect("run g2n");
    assert!(output.status.success(), "g2n build failed: {}", text(&output.stderr));
}

fn hosted_handoff(flow_id: [u8; 16], target: &str, resume_point: u32, scope: Vec<(String, WireValue)>, origin: &str) -> Frame {
    let mut frame = handoff(flow_id, resume_point, scope, origin);
    if let Kind::Handoff(h) = &mut frame.kind {
        h.target = target.into();
    }
    frame
}

/// One process hosting two nanoservices of a split program: every bad frame
/// is refused with its reason (the target picks the nanoservice whose
/// entries and scope types are checked), a replayed handoff runs once (and
/// its in-memory hop from `a` to `b` is a recorded, traced step), and a real
/// flow from a real origin then completes.
#[test]
fn a_host_of_several_nanoservices_checks_each_and_still_serves() {
    let dir = temp_dir("host-bad-frames");
    build_hosted(&dir);
    let addr = format!("127.0.0.1:{}", free_port());
    let trace = dir.join("trace.jsonl");
    let config = serde_json::json!({
        "role": "serve",
        "listen": addr,
        "units": ["a", "b"],
        "host_name": "ab",
        "accept": [{ "username": USER, "password": PASSWORD }],
        "handoff_deadline_ms": 2000,
        "trace_file": trace,
    });
    let mut service = Service::start_unit(&dir, "a", "host-ab", config);
    let key = wire::credential_key("", USER, PASSWORD);
    let (origin, returned) = fake_origin(FLOW_KEY);
    let scope_a = || vec![("n".into(), WireValue::Int(41)), ("s".into(), WireValue::String(b"y".to_vec()))];
    let good = hosted_handoff([2; 16], "a", 1, scope_a(), &origin);
    let bytes = wire::encode(&good, Some(&key));
    let mut expected: Vec<String> = Vec::new();

    let reason = nack(send_raw(&addr, &[&[0, 0, 0, 64][..], &[0; wire::HEADER_LEN - 4], &[0xA7; 64]].concat(), false), "garbage");
    assert!(reason.starts_with("malformed frame"), "{reason}");
    expected.push(reason);
    let reason = nack(send_raw(&addr, &(wire::MAX_FRAME_LEN + 1).to_be_bytes(), false), "oversize");
    assert!(reason.contains("exceeds the 16777216-byte limit"), "{reason}");
    expected.push(reason);
    assert!(send_raw(&addr, &bytes[..bytes.len() / 2], true).is_none(), "a truncated frame got a reply");
    expected.push("truncated frame".into());
    let mut tampered = bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let reason = nack(send_raw(&addr, &tampered, false), "tag");
    assert_eq!(reason, "authentication failed");
    expected.push(reason);
    // A nanoservice this host does not serve (but the executable holds).
    let frame = hosted_handoff([2; 16], "hosted", 0, vec![], &origin);
    let reason = nack(send_raw(&addr, &wire::encode(&frame, Some(&key)), false), "not hosted");
    assert_eq!(reason, "handoff is for nanoservice 'hosted', which host 'ab' does not serve");
    expected.push(reason);
    // `b` is hosted, but resume point 1 is `a`'s.
    let frame = hosted_handoff([2; 16], "b", 1, scope_a(), &origin);
    let reason = nack(send_raw(&addr, &wire::encode(&frame, Some(&key)), false), "b at 1");
    assert_eq!(reason, "nanoservice 'b' has no resume point 1");
    expected.push(reason);
    // `b`'s own entry with `a`'s scope.
    let frame = hosted_handoff([2; 16], "b", 2, scope_a(), &origin);
    let reason = nack(send_raw(&addr, &wire::encode(&frame, Some(&key)), false), "b scope");
    assert_eq!(reason, "scope mismatch at resume point 2: expected (n int), got (n int, s string)");
    expected.push(reason);
    assert!(returned.recv_timeout(Duration::from_millis(200)).is_err(), "a rejected frame reached a unit");

    // Replayed three times: acknowledged each time, run once; the flow goes
    // on from `a` to `b` in memory and ends.
    for _ in 0..3 {
        let reply = send_raw(&addr, &bytes, false).expect("reply");
        assert_eq!((reply.kind, reply.flow_id, reply.step), (Kind::Ack, [2; 16], 1));
    }
    let mut got = Vec::new();
    while let Ok(kind) = returned.recv_timeout(Duration::from_secs(10)) {
        let end = matches!(kind, Kind::End { .. });
        got.push(kind);
        if end {
            break;
        }
    }
    let stdout: Vec<u8> = got.iter().flat_map(|k| if let Kind::Output { bytes, .. } = k { bytes.clone() } else { Vec::new() }).collect();
    assert_eq!(text(&stdout), "y 41\n42\n");
    assert!(matches!(got.last(), Some(Kind::End { exit_code: 0, .. })), "{got:?}");
    assert!(returned.recv_timeout(Duration::from_millis(300)).is_err(), "the replayed step ran twice");

    let log = service.log_text();
    let all = trace_events(&trace);
    let rejected: Vec<String> = events(&all, "frame.rejected").iter().map(|e| e["reason"].as_str().unwrap_or_default().to_string()).collect();
    for reason in &expected {
        assert!(log.contains("g2n[ab]: rejected handoff from 127.0.0.1:") && log.contains(reason.as_str()), "'{reason}' not in the log:\n{log}");
        assert!(rejected.iter().any(|r| r == reason), "'{reason}' not in the trace: {rejected:#?}");
    }
    let flow = "02".repeat(16);
    let of_flow = |message: &str| events(&all, message).into_iter().filter(|e| e["flow"] == flow.as_str()).cloned().collect::<Vec<_>>();
    assert_eq!((of_flow("hop.recv").len(), of_flow("hop.duplicate").len()), (2, 2), "{all:#?}");
    let in_host = of_flow("hop.send");
    assert_eq!(in_host.len(), 1, "{in_host:#?}");
    assert_eq!((in_host[0]["from"].as_str(), in_host[0]["to"].as_str(), in_host[0]["addr"].as_str(), in_host[0]["step"].as_u64()), (Some("a"), Some("b"), Some("in-host"), Some(2)));

    // A real flow from the entry, handed to `a` on this host over TCP.
    let config = serde_json::json!({
        "role": "origin",
        "handoff_deadline_ms": 5000,
        "routes": { "a": { "addr": addr, "username": USER, "password": PASSWORD } },
    });
    let config_path = dir.join("origin.json");
    std::fs::write(&config_path, config.to_string()).expect("config");
    let child = Command::new(dir.join("hosted/hosted"))
        .env("G2N_RUNTIME", &config_path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start origin");
    let output = finish(child, Duration::from_secs(30));
    assert_eq!(text(&output.stdout), "x 1\n2\n", "stderr: {}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(0));
    assert!(service.alive());
    drop(service);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Durable handoffs (protocol v3): kill -9 of the process running a step,
/// after it acknowledged the handoff, then a restart on the same address.
/// The sender (here the origin) still holds the handoff, sees the connection
/// drop, and hands the step again to the restarted process; the flow
/// completes with exactly the output of an undisturbed run, and its End
/// arrives once.
#[test]
fn kill_9_of_the_host_mid_step_then_restart_completes_the_flow() {
    let dir = temp_dir("kill9-durable");
    let fixtures = repo_root().join("tests/mesh/durable");
    let output = g2n().arg("build").arg(fixtures.join("start.yaml")).arg(fixtures.join("work.yaml")).arg("-o").arg(&dir).output().expect("run g2n");
    assert!(output.status.success(), "g2n build failed: {}", text(&output.stderr));
    let addr = format!("127.0.0.1:{}", free_port());
    let trace = dir.join("trace.jsonl");
    let service_config = |trace: Option<&Path>| {
        serde_json::json!({
            "role": "serve",
            "listen": addr,
            "accept": [{ "username": USER, "password": PASSWORD }],
            "heartbeat_ms": 200,
            "trace_file": trace,
        })
    };
    let origin = |name: &str, trace: Option<&Path>| {
        let config = serde_json::json!({
            "role": "origin",
            "handoff_deadline_ms": 20_000,
            "liveness_timeout_ms": 30_000,
            "routes": { "work": { "addr": addr, "username": USER, "password": PASSWORD } },
            "trace_file": trace,
        });
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, config.to_string()).expect("config");
        Command::new(dir.join("start/start"))
            .env("G2N_RUNTIME", &path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start origin")
    };

    // Undisturbed run, for the reference output.
    let service = Service::start_unit(&dir, "work", "work-0", service_config(None));
    let reference = finish(origin("reference", None), Duration::from_secs(60));
    assert_eq!(reference.status.code(), Some(0), "stderr: {}", text(&reference.stderr));
    assert!(text(&reference.stdout).starts_with("start\nworking on 3\nworked 3 "), "{}", text(&reference.stdout));
    drop(service);

    // The same flow; the host is killed while it computes, then restarted.
    let mut service = Service::start_unit(&dir, "work", "work-1", service_config(Some(&trace)));
    let child = origin("origin", Some(&trace));
    wait_until(Duration::from_secs(20), "the host to accept the step", || !events(&trace_events(&trace), "hop.recv").is_empty());
    std::thread::sleep(Duration::from_millis(200));
    assert!(service.alive(), "the host ended before it was killed: {}", service.log_text());
    assert!(events(&trace_events(&trace), "flow.end").is_empty(), "the step finished before the kill; make it longer");
    service.kill9();
    let restarted = Service::start_unit(&dir, "work", "work-2", service_config(Some(&trace)));
    let output = finish(child, Duration::from_secs(90));
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    assert_eq!(text(&output.stdout), text(&reference.stdout));
    assert_eq!(text(&output.stderr), text(&reference.stderr));

    let all = trace_events(&trace);
    let flow = events(&all, "flow.start")[0]["flow"].as_str().expect("flow").to_string();
    let of_flow = |message: &str| events(&all, message).into_iter().filter(|e| e["flow"] == flow.as_str()).count();
    // Handed once, re-handed once after the kill; received by each life of
    // the host; finished (End) once; the origin wrote each output once.
    assert_eq!(of_flow("hop.send"), 1, "{all:#?}");
    assert_eq!(of_flow("hop.resend"), 1, "{all:#?}");
    assert_eq!(of_flow("hop.recv"), 2, "{all:#?}");
    assert_eq!(of_flow("flow.end"), 1, "{all:#?}");
    assert_eq!(of_flow("flow.done"), 1, "{all:#?}");
    drop(restarted);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The seed mesh (separate configs, one process per nanoservice whatever the
/// placement asks) runs with every placement option of `g2n run`.
#[test]
fn the_seed_mesh_runs_with_every_placement() {
    for placement in [&[][..], &["--process-per-service"], &["--hosts", "2"]] {
        let output = g2n().arg("run").args(placement).args([seed("hello.yaml"), seed("print-hello-world.yaml")]).output().expect("run g2n");
        assert_eq!(text(&output.stdout), "Hello World!", "{placement:?}: {}", text(&output.stderr));
        assert_eq!(output.status.code(), Some(0), "{placement:?}");
    }
}
