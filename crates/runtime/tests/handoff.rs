//! In-process mesh tests: real servers and origins on 127.0.0.1 (never any
//! other address), with Rust `extern "C"` functions standing in for compiled
//! unit entries and calling the runtime's C ABI exactly as generated code does.

use g2n_abi::{ABI_VERSION, EntryDesc, ExitDesc, GoAny, GoString, ScopeVar, TypeTag, UnitDescriptor};
use g2n_runtime::config::{Credential, Role, Route};
use g2n_runtime::ffi::*;
use g2n_runtime::wire::{self, Frame, Handoff, Kind, WireValue};
use g2n_runtime::{RuntimeConfig, run_origin_captured, serve};
use std::ffi::c_void;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[path = "support/seed.rs"]
mod seed;
use seed::{print_desc, print_entry, hello_desc, hello_entry};

fn var(name: &str, tag: TypeTag) -> ScopeVar {
    ScopeVar::basic(name, tag)
}

fn s(text: &str) -> GoAny {
    GoAny { tag: TypeTag::String as u64, word0: text.as_ptr() as u64, word1: text.len() as u64 }
}

fn int(n: i64) -> GoAny {
    GoAny { tag: TypeTag::Int as u64, word0: n as u64, word1: 0 }
}

const USER: &str = "hello-world-practice";

fn server_config(password: &str) -> RuntimeConfig {
    RuntimeConfig {
        role: Role::Serve,
        accept: vec![Credential { username: USER.into(), password: Some(password.into()), password_env: None, key: None }],
        handoff_deadline_ms: 2000,
        ..RuntimeConfig::default()
    }
}

fn origin_config(target: &str, addr: SocketAddr, password: &str) -> RuntimeConfig {
    let mut c = RuntimeConfig { handoff_deadline_ms: 2000, ..RuntimeConfig::default() };
    c.routes.insert(
        target.into(),
        Route { addr: addr.to_string(), credential: Credential { username: USER.into(), password: Some(password.into()), password_env: None, key: None } },
    );
    c
}

#[test]
fn seed_hello_world_runs_across_two_nanoservices() {
    let server = serve(server_config("monkey"), print_desc(), print_entry).unwrap();
    let out = run_origin_captured(origin_config("print-hello-world", server.addr, "monkey"), hello_desc(), hello_entry).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Hello World!");
    assert_eq!(out.stderr, b"");
    assert_eq!(out.exit_code, 0);
    assert_eq!(server.flows_started(), 1);
    server.stop();
}

#[test]
fn wrong_password_is_refused_then_the_right_one_accepted() {
    let server = serve(server_config("monkey"), print_desc(), print_entry).unwrap();
    let bad = run_origin_captured(origin_config("print-hello-world", server.addr, "banana"), hello_desc(), hello_entry).unwrap();
    assert_eq!(bad.exit_code, 1);
    let err = String::from_utf8_lossy(&bad.stderr);
    let (flow, rest) = err.strip_prefix("g2n: flow ").and_then(|r| r.split_once(": ")).unwrap_or_else(|| panic!("{err}"));
    assert!(flow.len() == 32 && flow.bytes().all(|b| b.is_ascii_hexdigit()), "{err}");
    assert_eq!(rest, "handoff to 'print-hello-world' refused: authentication failed\n");
    assert_eq!(bad.stdout, b"");
    assert_eq!(server.flows_started(), 0);
    let good = run_origin_captured(origin_config("print-hello-world", server.addr, "monkey"), hello_desc(), hello_entry).unwrap();
    assert_eq!((good.exit_code, good.stdout.as_slice()), (0, &b"Hello World!"[..]));
    server.stop();
}

#[test]
fn without_a_route_the_flow_fails_clearly() {
    let out = run_origin_captured(RuntimeConfig::default(), hello_desc(), hello_entry).unwrap();
    assert_eq!(out.exit_code, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("g2n: no route to nanoservice 'print-hello-world'"), "{err}");
}

#[test]
fn unreachable_target_fails_after_the_deadline() {
    // Bind and drop a listener to get a loopback port nobody listens on.
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut config = origin_config("print-hello-world", addr, "monkey");
    config.handoff_deadline_ms = 200;
    let start = std::time::Instant::now();
    let out = run_origin_captured(config, hello_desc(), hello_entry).unwrap();
    assert_eq!(out.exit_code, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    let rest = err.strip_prefix("g2n: flow ").and_then(|r| r.split_once(": ")).map(|(_, rest)| rest).unwrap_or_else(|| panic!("{err}"));
    let attempts = rest
        .strip_prefix(&format!("handoff to 'print-hello-world' failed after 200ms: connection refused (no acknowledgement from {addr} in "))
        .and_then(|r| r.strip_suffix(" attempts)\n"))
        .unwrap_or_else(|| panic!("{err}"));
    // Retried with backoff (5, 10, 20, 40, 80 ms ...) until the deadline.
    let attempts: u32 = attempts.parse().unwrap();
    assert!((3..=10).contains(&attempts), "{err}");
    assert!(start.elapsed() >= Duration::from_millis(200));
    assert!(start.elapsed() < Duration::from_secs(5));
}

/// A handoff frame built by hand, as an attacker or a buggy peer could.
fn handoff(flow_id: [u8; 16], step: u64, scope: Vec<(String, WireValue)>, origin: &str) -> Frame {
    Frame {
        version: wire::PROTOCOL_VERSION,
        flow_id,
        step,
        kind: Kind::Handoff(Handoff {
            target: "counted".into(),
            from: "test".into(),
            resume_point: 1,
            origin: origin.into(),
            flow_key: [3; 32],
            out_seq: 0,
            scope,
            graph: Vec::new(),
            created_ms: wire::now_ms(),
        }),
    }
}

/// Sends `bytes` and reads the reply: an Ack tagged with the test's key,
/// or an untagged Nack.
fn exchange_raw(addr: SocketAddr, bytes: &[u8]) -> Option<Frame> {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(bytes).unwrap();
    let raw = wire::read_frame(&mut c, &wire::credential_key("", USER, "monkey")).ok()?;
    raw.decode().ok()
}

static COUNTED_RUNS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn counted_entry(_rp: u32, scope: *mut c_void) {
    COUNTED_RUNS.fetch_add(1, Ordering::SeqCst);
    unsafe {
        let n = g2n_scope_get_int(scope, 0);
        let args = [s("n ="), int(n)];
        g2n_fmt_println(args.as_ptr(), 2);
    }
}

fn counted_desc() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "counted".into(),
        entries: vec![EntryDesc { resume_point: 1, vars: vec![var("n", TypeTag::Int)] }],
        exits: vec![],
    }
}

fn nack_reason(reply: Option<Frame>) -> String {
    match reply.map(|f| f.kind) {
        Some(Kind::Nack { reason }) => reason,
        other => panic!("expected a Nack, got {other:?}"),
    }
}

/// Receives Output/End frames like an origin would, acking each.
fn fake_origin() -> (String, std::sync::mpsc::Receiver<Kind>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(mut c) = c else { continue };
            let tx = tx.clone();
            std::thread::spawn(move || {
                while let Ok(raw) = wire::read_frame(&mut c, &[3; 32]) {
                    let Ok(f) = raw.decode() else { return };
                    assert!(raw.verify(&[3; 32]));
                    let _ = tx.send(f.kind.clone());
                    let ack = Frame { version: wire::PROTOCOL_VERSION, flow_id: f.flow_id, step: f.step, kind: Kind::Ack };
                    if wire::write_frame(&mut c, &ack, Some(&[3; 32])).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, rx)
}

#[test]
fn duplicates_are_acked_but_not_rerun_and_hostile_frames_do_not_kill_the_server() {
    let mut config = server_config("monkey");
    config.handoff_deadline_ms = 300;
    let server = serve(config, counted_desc(), counted_entry).unwrap();
    let key = wire::credential_key("", USER, "monkey");
    let (origin, events) = fake_origin();

    // Garbage, truncated, oversized, wrong version, wrong key: all refused.
    // An untagged header (key id zero) lets a short body through to the
    // decoder; a header naming an unknown key does not (below).
    let garbage = [&[0, 0, 0, 40][..], &[0; wire::HEADER_LEN - 4], &[0xAB; 40]].concat();
    assert!(nack_reason(exchange_raw(server.addr, &garbage)).starts_with("malformed frame"));
    let good = wire::encode(&handoff([1; 16], 1, vec![("n".into(), WireValue::Int(7))], &origin), Some(&key));
    let mut c = TcpStream::connect(server.addr).unwrap();
    c.write_all(&good[..good.len() / 2]).unwrap();
    drop(c);
    let oversize = [&(wire::MAX_FRAME_LEN + 1).to_be_bytes()[..], &[0; 24]].concat();
    assert!(nack_reason(exchange_raw(server.addr, &oversize)).contains("exceeds"));
    let wrong_key = wire::encode(&handoff([1; 16], 1, vec![("n".into(), WireValue::Int(7))], &origin), Some(&[0; 32]));
    assert_eq!(nack_reason(exchange_raw(server.addr, &wrong_key)), "authentication failed");

    // Type mismatch: rejected before the entry could see the value.
    let mismatch = wire::encode(&handoff([2; 16], 1, vec![("n".into(), WireValue::String(b"7".to_vec()))], &origin), Some(&key));
    assert_eq!(nack_reason(exchange_raw(server.addr, &mismatch)), "scope mismatch at resume point 1: expected (n int), got (n string)");
    let renamed = wire::encode(&handoff([2; 16], 1, vec![("m".into(), WireValue::Int(7))], &origin), Some(&key));
    assert!(nack_reason(exchange_raw(server.addr, &renamed)).starts_with("scope mismatch"));
    assert_eq!(server.flows_started(), 0);

    // The same (flow, step) twice, even on two connections: two Acks, one run.
    for _ in 0..2 {
        let reply = exchange_raw(server.addr, &good).unwrap();
        assert_eq!(reply.kind, Kind::Ack);
        assert_eq!((reply.flow_id, reply.step), ([1; 16], 1));
    }
    // The flow's output and End reach the origin in order.
    assert_eq!(events.recv_timeout(Duration::from_secs(5)).unwrap(), Kind::Output { stream: wire::Stream::Stdout, seq: 0, bytes: b"n = 7\n".to_vec() });
    assert_eq!(events.recv_timeout(Duration::from_secs(5)).unwrap(), Kind::End { seq: 1, exit_code: 0 });
    assert_eq!(server.flows_started(), 1);
    assert_eq!(COUNTED_RUNS.load(Ordering::SeqCst), 1);
    // A new step of the same flow is a new handoff.
    let next = wire::encode(&handoff([1; 16], 2, vec![("n".into(), WireValue::Int(8))], &origin), Some(&key));
    assert_eq!(exchange_raw(server.addr, &next).unwrap().kind, Kind::Ack);
    assert_eq!(server.flows_started(), 2);
    server.stop();
}

// A three-hop flow: origin prints, hops to A which prints and hops to B with
// two values; B prints and exits with os.Exit(3).
fn chain_origin_desc() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "start".into(),
        entries: vec![EntryDesc { resume_point: 0, vars: vec![] }],
        exits: vec![ExitDesc { index: 0, target: "a".into(), resume_point: 1, vars: vec![var("x", TypeTag::Int)] }],
    }
}

unsafe extern "C" fn chain_origin_entry(_rp: u32, _scope: *mut c_void) {
    unsafe {
        let a = [s("origin")];
        g2n_fmt_println(a.as_ptr(), 1);
        let out = g2n_scope_new();
        g2n_scope_put_int(out, 0, 41);
        g2n_go_to_network(0, out);
    }
}

fn chain_a_desc() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "a".into(),
        entries: vec![EntryDesc { resume_point: 1, vars: vec![var("x", TypeTag::Int)] }],
        exits: vec![ExitDesc {
            index: 0,
            target: "b".into(),
            resume_point: 2,
            vars: vec![var("x", TypeTag::Int), var("f", TypeTag::Float64), var("ok", TypeTag::Bool)],
        }],
    }
}

unsafe extern "C" fn chain_a_entry(_rp: u32, scope: *mut c_void) {
    unsafe {
        let x = g2n_scope_get_int(scope, 0) + 1;
        let f = "a: x=%d\n";
        let args = [int(x)];
        g2n_fmt_printf(f.as_ptr(), f.len() as i64, args.as_ptr(), 1);
        let out = g2n_scope_new();
        g2n_scope_put_int(out, 0, x);
        g2n_scope_put_float64(out, 1, 2.5);
        g2n_scope_put_bool(out, 2, 1);
        g2n_go_to_network(0, out);
    }
}

fn chain_b_desc() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "b".into(),
        entries: vec![EntryDesc {
            resume_point: 2,
            vars: vec![var("x", TypeTag::Int), var("f", TypeTag::Float64), var("ok", TypeTag::Bool)],
        }],
        exits: vec![],
    }
}

unsafe extern "C" fn chain_b_entry(_rp: u32, scope: *mut c_void) {
    unsafe {
        let x = g2n_scope_get_int(scope, 0);
        let f = g2n_scope_get_float64(scope, 1);
        let ok = g2n_scope_get_bool(scope, 2);
        let args = [
            s("b:"),
            int(x),
            GoAny { tag: TypeTag::Float64 as u64, word0: f.to_bits(), word1: 0 },
            GoAny { tag: TypeTag::Bool as u64, word0: ok as u64, word1: 0 },
        ];
        g2n_fmt_println(args.as_ptr(), 4);
        let msg = "to stderr\n";
        let w = [s(msg)];
        // Printed right before os.Exit: buffered output must still arrive.
        g2n_fmt_print(w.as_ptr(), 1);
        g2n_exit(3);
    }
}

#[test]
fn a_flow_crosses_three_units_with_output_in_order_and_exit_code() {
    let mut cb = server_config("pw");
    cb.handoff_deadline_ms = 2000;
    let b = serve(cb, chain_b_desc(), chain_b_entry).unwrap();
    let mut ca = server_config("pw");
    ca.routes = origin_config("b", b.addr, "pw").routes;
    let a = serve(ca, chain_a_desc(), chain_a_entry).unwrap();
    let out = run_origin_captured(origin_config("a", a.addr, "pw"), chain_origin_desc(), chain_origin_entry).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "origin\na: x=42\nb: 42 2.5 true\nto stderr\n");
    assert_eq!(out.exit_code, 3);
}

fn panicky_desc() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "print-hello-world".into(),
        entries: vec![EntryDesc { resume_point: 1, vars: vec![var("hello", TypeTag::String)] }],
        exits: vec![],
    }
}

unsafe extern "C" fn panicky_entry(_rp: u32, scope: *mut c_void) {
    let mut hello = GoString { ptr: std::ptr::null(), len: 0 };
    unsafe {
        g2n_scope_get_string(scope, 0, &mut hello);
        g2n_write_stdout(hello.ptr, hello.len);
        let v = s("boom");
        g2n_panic(&v);
    }
}

#[test]
fn a_panic_on_a_host_reaches_the_origin_with_exit_code_2() {
    let server = serve(server_config("monkey"), panicky_desc(), panicky_entry).unwrap();
    let out = run_origin_captured(origin_config("print-hello-world", server.addr, "monkey"), hello_desc(), hello_entry).unwrap();
    assert_eq!(out.stdout, b"Hello");
    // This code has no line table (`?`); the host's nanoservice is named, as
    // for every nanoservice of a mesh.
    assert_eq!(String::from_utf8_lossy(&out.stderr), "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t?\nin nanoservice print-hello-world\n");
    assert_eq!(out.exit_code, 2);
}

unsafe extern "C" fn divide_entry(_rp: u32, _scope: *mut c_void) {
    let m = "integer divide by zero";
    unsafe { g2n_panic_runtime_error(m.as_ptr(), m.len() as i64) }
}

#[test]
fn a_runtime_error_on_the_origin_is_reported_like_go() {
    let desc = UnitDescriptor { abi_version: ABI_VERSION, unit: "solo".into(), entries: vec![], exits: vec![] };
    let out = run_origin_captured(RuntimeConfig::default(), desc, divide_entry).unwrap();
    assert_eq!(out.exit_code, 2);
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("panic: runtime error: integer divide by zero\n\ngoroutine 1 [running]:\n"));
}

#[test]
fn strings_concat_and_compare() {
    let mut out = GoString { ptr: std::ptr::null(), len: 0 };
    let (a, b) = ("Hello, ", "世界");
    unsafe {
        g2n_string_concat(a.as_ptr(), a.len() as i64, b.as_ptr(), b.len() as i64, &mut out);
        assert_eq!(std::slice::from_raw_parts(out.ptr, out.len as usize), "Hello, 世界".as_bytes());
        assert_eq!(g2n_string_compare(a.as_ptr(), a.len() as i64, b.as_ptr(), b.len() as i64), -1);
        assert_eq!(g2n_string_compare(b.as_ptr(), b.len() as i64, a.as_ptr(), a.len() as i64), 1);
        assert_eq!(g2n_string_compare(a.as_ptr(), a.len() as i64, a.as_ptr(), a.len() as i64), 0);
    }
}

#[test]
fn ready_file_is_written_atomically() {
    let dir = std::env::temp_dir().join(format!("g2n-ready-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ready");
    write_ready_file(path.to_str().unwrap(), "127.0.0.1:4242").unwrap();
    let mut text = String::new();
    std::fs::File::open(&path).unwrap().read_to_string(&mut text).unwrap();
    assert_eq!(text, "127.0.0.1:4242");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The middle host of a chain cannot reach the last one: the flow ends at its
/// origin (not silently on the host) with the deadline error and exit code 1,
/// after the output printed before the failed hop.
#[test]
fn a_failed_handoff_on_a_host_ends_the_flow_at_its_origin() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut ca = server_config("pw");
    ca.routes = origin_config("b", dead, "pw").routes;
    ca.handoff_deadline_ms = 300;
    let a = serve(ca, chain_a_desc(), chain_a_entry).unwrap();
    let start = std::time::Instant::now();
    let out = run_origin_captured(origin_config("a", a.addr, "pw"), chain_origin_desc(), chain_origin_entry).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "origin\na: x=42\n");
    assert_eq!(out.exit_code, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    let rest = err.strip_prefix("g2n: flow ").and_then(|r| r.split_once(": ")).map(|(_, rest)| rest).unwrap_or_else(|| panic!("{err}"));
    assert!(
        rest.starts_with(&format!("handoff to 'b' failed after 300ms: connection refused (no acknowledgement from {dead} in ")),
        "{err}"
    );
    assert!(start.elapsed() >= Duration::from_millis(300) && start.elapsed() < Duration::from_secs(10));
    a.stop();
}

/// A host that acknowledges the handoff and then dies (here: a fake host that
/// acks and says nothing more): the origin gives up after its liveness timeout
/// with a clear message and exit code 1, instead of waiting forever.
#[test]
fn a_host_that_dies_after_its_ack_is_reported_at_the_origin() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let key = wire::credential_key("", USER, "monkey");
    let host = std::thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let frame = wire::read_frame(&mut c, &key).unwrap().decode().unwrap();
        let ack = Frame { version: wire::PROTOCOL_VERSION, flow_id: frame.flow_id, step: frame.step, kind: Kind::Ack };
        wire::write_frame(&mut c, &ack, Some(&key)).unwrap();
        frame
    });
    let mut config = origin_config("print-hello-world", addr, "monkey");
    config.liveness_timeout_ms = 400;
    let start = std::time::Instant::now();
    let out = run_origin_captured(config, hello_desc(), hello_entry).unwrap();
    let elapsed = start.elapsed();
    let sent = host.join().unwrap();
    assert_eq!(out.exit_code, 1);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "g2n: flow {}: lost: nothing heard from the mesh for 400ms (no host reported after the handoff); the nanoservice running it may have died\n",
            sent.flow_id.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )
    );
    assert!(elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(10), "{elapsed:?}");
}

static SLOW_SLEEP_MS: AtomicUsize = AtomicUsize::new(0);

/// Like print_entry, after a pause longer than the origin's liveness timeout.
unsafe extern "C" fn slow_print_entry(rp: u32, scope: *mut c_void) {
    std::thread::sleep(Duration::from_millis(SLOW_SLEEP_MS.load(Ordering::SeqCst) as u64));
    unsafe { print_entry(rp, scope) }
}

/// A step that runs longer than the origin's liveness timeout is kept alive by
/// the host's heartbeats; with heartbeats off the same flow is given up on.
#[test]
fn heartbeats_keep_a_long_step_alive() {
    SLOW_SLEEP_MS.store(1200, Ordering::SeqCst);
    let mut config = server_config("monkey");
    config.heartbeat_ms = 100;
    let server = serve(config, print_desc(), slow_print_entry).unwrap();
    let mut origin = origin_config("print-hello-world", server.addr, "monkey");
    origin.liveness_timeout_ms = 500;
    let out = run_origin_captured(origin.clone(), hello_desc(), hello_entry).unwrap();
    assert_eq!((out.exit_code, String::from_utf8_lossy(&out.stdout).as_ref()), (0, "Hello World!"), "{}", String::from_utf8_lossy(&out.stderr));
    server.stop();

    let mut config = server_config("monkey");
    config.heartbeat_ms = 0;
    let silent = serve(config, print_desc(), slow_print_entry).unwrap();
    origin.routes.get_mut("print-hello-world").unwrap().addr = silent.addr.to_string();
    let out = run_origin_captured(origin, hello_desc(), hello_entry).unwrap();
    assert_eq!(out.exit_code, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(": lost: nothing heard from the mesh for 500ms"), "{err}");
    silent.stop();
}
