//! Hop latency benchmark (not a test):
//!
//! ```sh
//! cargo run --release -p g2n-runtime --example hops [-- --hops N]
//! ```
//!
//! Prints, for one hop between two processes on loopback, the latency p50/p99
//! of the runtime's handoff (connect, frame, receiver's checks, Ack: what a
//! `goToNetwork` to another host waits for) next to a raw TCP ping-pong of
//! the same request and reply sizes (the floor), with and without a new
//! connection per message; then the in-host hop (two nanoservices of one
//! process) and hops per second for a flow bouncing between two
//! nanoservices, in one host and across two hosts.
//!
//! The second process is this program again (`hops serve`), serving
//! nanoservices `b` and `sink` with the same stand-in unit entry: a Rust
//! `extern "C"` function calling the runtime's C ABI as generated code does.
//! Everything stays on 127.0.0.1; every loop is bounded.

// A benchmark whose output is its report.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use g2n_abi::{ABI_VERSION, EntryDesc, ExitDesc, ScopeVar, TypeTag, UnitDescriptor};
use g2n_runtime::client::Peer;
use g2n_runtime::config::{Credential, Role, Route};
use g2n_runtime::ffi::{g2n_flow_unit, g2n_go_to_network, g2n_scope_get_int, g2n_scope_new, g2n_scope_put_int};
use g2n_runtime::wire::{self, Frame, Handoff, Kind, WireValue};
use g2n_runtime::{Host, RuntimeConfig};
use std::ffi::c_void;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

const USER: &str = "bench";
const PASSWORD: &str = "bench-secret";
/// Hops a chain flow makes (set from the command line).
static CHAIN: AtomicI64 = AtomicI64::new(2000);
/// When the parent's entry ran, per hop (in-host and chain measurements).
static STAMPS: Mutex<Vec<Instant>> = Mutex::new(Vec::new());

fn n_var() -> Vec<ScopeVar> {
    vec![ScopeVar::basic("n", TypeTag::Int)]
}

/// `a` (index 0): starts at 0, hops to `b`; `b` (1) hops back to `a` at 2;
/// `sink` (2) takes one hop and ends.
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
        UnitDescriptor { abi_version: ABI_VERSION, unit: "sink".into(), entries: vec![EntryDesc { resume_point: 9, vars: n_var() }], exits: vec![] },
    ]
}

/// The stand-in unit entry: counts `n` down, hopping to the other unit.
unsafe extern "C" fn entry(resume_point: u32, scope: *mut c_void) {
    if resume_point == 9 {
        return;
    }
    STAMPS.lock().unwrap().push(Instant::now());
    let n = if resume_point == 0 { CHAIN.load(Ordering::Relaxed) } else { unsafe { g2n_scope_get_int(scope, 0) } };
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

fn credential() -> Credential {
    Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn us(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

fn row(name: &str, mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let (p50, p99) = (percentile(&samples, 0.5), percentile(&samples, 0.99));
    println!("| {name} | {} | {} | {} |", us(p50), us(p99), samples.len());
    (p50, p99)
}

/// The child: serves `b` and `sink` (routes `a` back to the parent) and a raw
/// echo port; writes both addresses on stdout, then serves until killed.
fn child(parent_a: &str) {
    let mut config = RuntimeConfig {
        role: Role::Serve,
        accept: vec![credential()],
        units: vec!["b".into(), "sink".into()],
        heartbeat_ms: 0,
        ..RuntimeConfig::default()
    };
    config.routes.insert("a".into(), Route { addr: parent_a.into(), credential: credential() });
    let host = Host::from_descriptors(config, entry, descriptors(), 1).expect("host");
    let server = g2n_runtime::serve_host(host).expect("serve");
    let echo = TcpListener::bind("127.0.0.1:0").expect("bind echo");
    println!("{} {}", server.addr, echo.local_addr().expect("addr"));
    std::io::stdout().flush().ok();
    // Raw ping-pong: read a length-prefixed request, answer `reply` bytes.
    for conn in echo.incoming() {
        let Ok(mut conn) = conn else { continue };
        std::thread::spawn(move || {
            let _ = conn.set_nodelay(true);
            let mut len = [0u8; 8];
            while conn.read_exact(&mut len).is_ok() {
                let request = u32::from_be_bytes(len[..4].try_into().unwrap()) as usize;
                let reply = u32::from_be_bytes(len[4..].try_into().unwrap()) as usize;
                let mut body = vec![0u8; request];
                if conn.read_exact(&mut body).is_err() || conn.write_all(&vec![0u8; reply]).is_err() {
                    return;
                }
            }
        });
    }
}

/// A fake origin that acknowledges every Output/End/Alive (the sink's flows
/// report their end to it).
fn fake_origin(key: wire::Key) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            std::thread::spawn(move || {
                while let Ok(raw) = wire::read_frame(&mut conn, &key) {
                    let Ok(frame) = raw.decode() else { return };
                    let ack = Frame { version: wire::PROTOCOL_VERSION, flow_id: frame.flow_id, step: frame.step, kind: Kind::Ack };
                    if wire::write_frame(&mut conn, &ack, Some(&key)).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("serve") {
        return child(args.get(2).map(String::as_str).unwrap_or(""));
    }
    let hops: usize = args.iter().position(|a| a == "--hops").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(2000);
    CHAIN.store(hops as i64, Ordering::Relaxed);

    // This process hosts `a` (serving, for the chain's returns).
    let a_listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let a_addr = a_listener.local_addr().expect("addr").to_string();
    drop(a_listener);
    let mut child = Command::new(std::env::current_exe().expect("exe"))
        .args(["serve", &a_addr])
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("start the second process");
    let mut line = String::new();
    {
        use std::io::BufRead;
        let stdout = child.stdout.take().expect("stdout");
        std::io::BufReader::new(stdout).read_line(&mut line).expect("child addresses");
    }
    let mut parts = line.split_whitespace();
    let (b_addr, echo_addr) = (parts.next().expect("b address").to_string(), parts.next().expect("echo address").to_string());

    println!("| measurement | p50 µs | p99 µs | samples |");
    println!("|---|---|---|---|");

    // 1. One hop to another process: Peer::exchange of a real Handoff (as
    //    `goToNetwork` sends it: a new connection per handoff).
    let key = wire::credential_key("", USER, PASSWORD);
    let flow_key: wire::Key = [7; 32];
    let origin = fake_origin(flow_key);
    let frame_for = |i: usize| Frame {
        version: wire::PROTOCOL_VERSION,
        flow_id: {
            let mut id = [0u8; 16];
            id[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
            id
        },
        step: 1,
        kind: Kind::Handoff(Handoff {
            target: "sink".into(),
            from: "bench".into(),
            resume_point: 9,
            origin: origin.clone(),
            flow_key,
            out_seq: 0,
            scope: vec![("n".into(), WireValue::Int(1))],
            graph: Vec::new(),
            created_ms: wire::now_ms(),
        }),
    };
    let request_len = wire::encode(&frame_for(0), Some(&key)).len();
    let reply_len = wire::encode(&Frame { version: wire::PROTOCOL_VERSION, flow_id: [0; 16], step: 1, kind: Kind::Ack }, Some(&key)).len();
    let rounds = 1000;
    // As `goToNetwork` does: the first handoff to a host opens a connection;
    // after the receiver's Done it is kept and the next handoff reuses it.
    let mut hop = Vec::new();
    let mut kept_conn: Option<g2n_runtime::net::Conn> = None;
    for i in 0..rounds + 50 {
        let frame = frame_for(i);
        let mut peer = Peer::with_conn(&b_addr, "bench", kept_conn.take(), &Default::default());
        let started = Instant::now();
        peer.exchange(&frame, &key, Duration::from_secs(5)).expect("handoff");
        let took = started.elapsed();
        let mut conn = peer.take_conn().expect("connection");
        conn.set_read_timeout(Some(Duration::from_secs(5))).ok();
        let done = wire::read_frame(&mut conn, &key).expect("Done").decode().expect("Done frame");
        assert_eq!(done.kind, Kind::Done);
        kept_conn = Some(conn);
        if i >= 50 {
            hop.push(took);
        }
    }
    // The same with a new connection for every handoff.
    let mut hop_fresh = Vec::new();
    for i in 0..rounds + 50 {
        let frame = frame_for(rounds + 100 + i);
        let mut peer = Peer::new(&b_addr, "bench", &Default::default());
        let started = Instant::now();
        peer.exchange(&frame, &key, Duration::from_secs(5)).expect("handoff");
        let took = started.elapsed();
        drop(peer.take_conn());
        if i >= 50 {
            hop_fresh.push(took);
        }
    }

    // 2. The floor: raw TCP ping-pong of the same sizes, on one kept
    //    connection, and with a new connection per message.
    let ping = |conn: &mut TcpStream| {
        let mut msg = Vec::with_capacity(8 + request_len);
        msg.extend_from_slice(&(request_len as u32).to_be_bytes());
        msg.extend_from_slice(&(reply_len as u32).to_be_bytes());
        msg.resize(8 + request_len, 0);
        conn.write_all(&msg).expect("write");
        let mut reply = vec![0u8; reply_len];
        conn.read_exact(&mut reply).expect("read");
    };
    let mut kept = Vec::new();
    let mut conn = TcpStream::connect(&echo_addr).expect("connect echo");
    conn.set_nodelay(true).ok();
    for i in 0..rounds + 50 {
        let started = Instant::now();
        ping(&mut conn);
        if i >= 50 {
            kept.push(started.elapsed());
        }
    }
    let mut fresh = Vec::new();
    for i in 0..rounds + 50 {
        let started = Instant::now();
        let mut conn = TcpStream::connect(&echo_addr).expect("connect echo");
        conn.set_nodelay(true).ok();
        ping(&mut conn);
        if i >= 50 {
            fresh.push(started.elapsed());
        }
    }
    let (hop_p50, _) = row(&format!("hop to another process (handoff of {request_len} B, Ack {reply_len} B, kept connection)"), hop);
    let (hop_fresh_p50, _) = row("hop to another process, new connection", hop_fresh);
    let (floor_p50, _) = row("raw TCP ping-pong, same sizes, kept connection (floor)", kept);
    let (fresh_p50, _) = row("raw TCP ping-pong, same sizes, new connection", fresh);

    // 3. In-host hops: `a` and `b` in this process, a flow bouncing between
    //    them `hops` times (every hop encoded, checked, decoded, recorded).
    let mut config = RuntimeConfig { units: vec!["a".into(), "b".into()], heartbeat_ms: 0, ..RuntimeConfig::default() };
    config.handoff_deadline_ms = 5000;
    let host = Host::from_descriptors(config, entry, descriptors(), 0).expect("host");
    let unit = host.unit_at(0).expect("unit a");
    STAMPS.lock().unwrap().clear();
    let started = Instant::now();
    let out = g2n_runtime::run_origin_host_captured(host, unit).expect("in-host flow");
    let in_host_total = started.elapsed();
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stamps = std::mem::take(&mut *STAMPS.lock().unwrap());
    let gaps: Vec<Duration> = stamps.windows(2).map(|w| w[1] - w[0]).collect();
    let (in_host_p50, _) = row(&format!("in-host hop ({} hops)", gaps.len()), gaps);

    // 4. A flow bouncing between `a` here and `b` in the other process:
    //    every hop over TCP.
    let mut config = RuntimeConfig { units: vec!["a".into()], heartbeat_ms: 0, serve: true, listen: a_addr.clone(), ..RuntimeConfig::default() };
    config.routes.insert("b".into(), Route { addr: b_addr.clone(), credential: credential() });
    config.accept = vec![credential()];
    config.handoff_deadline_ms = 5000;
    let host = Host::from_descriptors(config, entry, descriptors(), 0).expect("host");
    let server = g2n_runtime::serve_host(host.clone()).expect("serve a");
    let unit = host.unit_at(0).expect("unit a");
    STAMPS.lock().unwrap().clear();
    let started = Instant::now();
    let out = g2n_runtime::run_origin_host_captured(host, unit).expect("chain flow");
    let chain_total = started.elapsed();
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stamps = std::mem::take(&mut *STAMPS.lock().unwrap());
    // `a` runs every other hop: a round trip is two hops.
    let gaps: Vec<Duration> = stamps.windows(2).map(|w| (w[1] - w[0]) / 2).collect();
    row(&format!("hop in a flow between two processes (round trip / 2, {} round trips)", gaps.len()), gaps);
    server.stop();
    let _ = child.kill();
    let _ = child.wait();

    println!();
    println!("| rate | hops/s |");
    println!("|---|---|");
    println!("| in-host flow | {:.0} |", hops as f64 / in_host_total.as_secs_f64());
    println!("| flow between two processes | {:.0} |", hops as f64 / chain_total.as_secs_f64());
    println!();
    println!(
        "goals: TCP hop p50 / floor p50 = {:.2} (goal <= 1.5; on new connections {:.2}); in-host hop p50 = {} µs (goal < 2 µs)",
        hop_p50.as_secs_f64() / floor_p50.as_secs_f64(),
        hop_fresh_p50.as_secs_f64() / fresh_p50.as_secs_f64(),
        us(in_host_p50)
    );
}
