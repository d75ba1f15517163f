//! Bounds on what a peer can make a host hold (issue 15): a whole-frame
//! deadline, connection caps with a bounded thread count while real flows
//! still complete, and (flow, step) tables that do not grow with a host's
//! lifetime (network steps expire after they finished; in-host hops keep
//! none). Everything on 127.0.0.1; every wait bounded.

use g2n_abi::{ABI_VERSION, EntryDesc, ExitDesc, ScopeVar, TypeTag, UnitDescriptor};
use g2n_runtime::config::{Credential, Role, Route};
use g2n_runtime::ffi::{g2n_flow_unit, g2n_go_to_network, g2n_scope_get_int, g2n_scope_new, g2n_scope_put_int};
use g2n_runtime::{Host, RuntimeConfig, run_origin_host_captured, serve_host};
use std::ffi::c_void;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const USER: &str = "bounds";
const PASSWORD: &str = "bounds-secret";

fn credential() -> Credential {
    Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None }
}

fn n_var() -> Vec<ScopeVar> {
    vec![ScopeVar::basic("n", TypeTag::Int)]
}

/// `a` starts at 0 and hops to `b` at 1 with `n`; `b` hops back to `a` at 2.
/// The flow ends when `n` reaches 0.
fn descriptors() -> Vec<UnitDescriptor> {
    vec![
        UnitDescriptor {
            abi_version: ABI_VERSION,
            unit: "a".into(),
            entries: vec![EntryDesc { resume_point: 0, vars: vec![] }, EntryDesc { resume_point: 2, vars: n_var() }],
            exits: vec![ExitDesc { index: 0, target: "b".into(), resume_point: 1, vars: n_var() }],
        },
        UnitDescriptor {
            abi_version: ABI_VERSION,
            unit: "b".into(),
            entries: vec![EntryDesc { resume_point: 1, vars: n_var() }],
            exits: vec![ExitDesc { index: 1, target: "a".into(), resume_point: 2, vars: n_var() }],
        },
    ]
}

/// The stand-in unit entry of a flow that hops once (to `b`, where it ends).
unsafe extern "C" fn entry(resume_point: u32, scope: *mut c_void) {
    unsafe { bounce(1, resume_point, scope) }
}

/// The stand-in unit entry of a flow that bounces 2,000 times.
unsafe extern "C" fn long_entry(resume_point: u32, scope: *mut c_void) {
    unsafe { bounce(2_000, resume_point, scope) }
}

/// Hops from `a` to `b` and back until `hops` hops are done.
unsafe fn bounce(hops: i64, resume_point: u32, scope: *mut c_void) {
    let n = if resume_point == 0 { hops } else { unsafe { g2n_scope_get_int(scope, 0) } };
    if n <= 0 {
        return;
    }
    let exit = if g2n_flow_unit() == 0 { 0 } else { 1 };
    unsafe {
        let out = g2n_scope_new();
        g2n_scope_put_int(out, 0, n - 1);
        g2n_go_to_network(exit, out);
    }
}

/// A host serving `b` on loopback TCP, with `tune` applied to its config.
fn serve_b(tune: impl FnOnce(&mut RuntimeConfig)) -> (std::sync::Arc<Host>, g2n_runtime::Server) {
    let mut config = RuntimeConfig { role: Role::Serve, units: vec!["b".into()], accept: vec![credential()], heartbeat_ms: 0, ..RuntimeConfig::default() };
    config.routes.insert("a".into(), Route { addr: "127.0.0.1:9".into(), credential: credential() });
    tune(&mut config);
    let host = Host::from_descriptors(config, entry, descriptors(), 1).expect("host b");
    let server = serve_host(host.clone()).expect("serve b");
    (host, server)
}

/// Runs one flow on `a` (this process) that hops once to `b` at `addr`, and
/// ends there.
fn one_flow_to(addr: &str) -> i32 {
    let mut config = RuntimeConfig { units: vec!["a".into()], heartbeat_ms: 0, handoff_deadline_ms: 10_000, ..RuntimeConfig::default() };
    config.routes.insert("b".into(), Route { addr: addr.into(), credential: credential() });
    let host = Host::from_descriptors(config, entry, descriptors(), 0).expect("host a");
    let unit = host.unit_at(0).expect("a");
    let out = run_origin_host_captured(host, unit).expect("flow");
    assert_eq!(out.stderr, b"", "{}", String::from_utf8_lossy(&out.stderr));
    out.exit_code
}

fn threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|n| n.trim().parse().ok()).expect("Threads line")
}

/// A sender of one byte at a time (here every 100 ms; in the attack, every
/// 20 s) is closed once `frame_deadline_ms` has passed since the frame
/// began, although each read is far inside the idle timeout.
#[test]
fn a_slow_sender_is_closed_by_the_frame_deadline() {
    let (_host, server) = serve_b(|c| c.frame_deadline_ms = 400);
    let mut conn = TcpStream::connect(&server.endpoint).expect("connect");
    conn.set_read_timeout(Some(Duration::from_millis(20))).expect("timeout");
    // A frame header announcing 1,000 bytes, then the body a byte at a time.
    conn.write_all(&1000u32.to_be_bytes()).expect("header");
    let started = Instant::now();
    let closed_after = loop {
        assert!(started.elapsed() < Duration::from_secs(5), "the slow sender is still connected after 5 s");
        if conn.write_all(&[0]).is_err() {
            break started.elapsed();
        }
        let mut buf = [0u8; 64];
        match conn.read(&mut buf) {
            Ok(0) => break started.elapsed(),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            _ => break started.elapsed(),
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(closed_after >= Duration::from_millis(300), "closed too early ({closed_after:?}): the deadline counts from the frame's start");
    // The host still serves.
    assert_eq!(one_flow_to(&server.endpoint), 0);
    server.stop();
}

/// 5,000 idle connections from one peer do not make 5,000 threads: the host
/// holds at most `max_connections`, and a real flow from the same address
/// still completes (the longest-waiting idle connection makes room).
#[test]
fn a_flood_of_idle_connections_is_capped_and_a_real_flow_completes() {
    let (_host, server) = serve_b(|c| {
        c.max_connections = 32;
        c.max_connections_per_peer = 16;
    });
    let before = threads();
    let flood: Vec<TcpStream> = (0..5_000).map(|_| TcpStream::connect(&server.endpoint).expect("connect")).collect();
    // Let the accept loop take them all.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && server.connections() < 16 {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    let during = threads();
    assert!(server.connections() <= 16, "{} connections held from one peer", server.connections());
    assert!(during <= before + 16 + 8, "{during} threads with 5,000 idle connections (before: {before})");
    assert_eq!(one_flow_to(&server.endpoint), 0, "a real flow completes under the flood");
    drop(flood);
    server.stop();
}

/// A finished network step is forgotten after `dedupe_retention_ms`: the
/// table is as big as the recent steps, not the host's lifetime.
#[test]
fn finished_network_steps_expire_from_the_dedupe_table() {
    // Retention must exceed the handoff's age on arrival (its send time is
    // checked against it, protocol v4): 100 ms, with no clock skew allowed
    // on one machine; flows 150 ms apart, so each one's finish expires the
    // ones before it.
    let (host, server) = serve_b(|c| {
        c.dedupe_retention_ms = 100;
        c.max_clock_skew_ms = 0;
    });
    for _ in 0..5 {
        assert_eq!(one_flow_to(&server.endpoint), 0);
        std::thread::sleep(Duration::from_millis(150));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    // What remains is the last flow's step (its record and its finish),
    // until another step finishes.
    while host.dedupe_entries() > 2 {
        assert!(Instant::now() < deadline, "{} (flow, step) entries kept after 5 finished flows", host.dedupe_entries());
        std::thread::sleep(Duration::from_millis(10));
    }
    server.stop();
}

/// In-host hops keep no (flow, step) table at all.
#[test]
fn in_host_hops_keep_no_table() {
    let config = RuntimeConfig { units: vec!["a".into(), "b".into()], heartbeat_ms: 0, ..RuntimeConfig::default() };
    let host = Host::from_descriptors(config, long_entry, descriptors(), 0).expect("host");
    let unit = host.unit_at(0).expect("a");
    let out = run_origin_host_captured(host.clone(), unit).expect("flow");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(host.dedupe_entries(), 0, "in-host hops left (flow, step) records");
}
