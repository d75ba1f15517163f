//! Replay tied to time (issue 15, protocol v4): a handoff carries its send
//! time inside the authenticated body, and a receiver refuses one older than
//! its dedupe window (less the allowed clock skew), one from the future, and
//! one sent before the receiving host started: a captured handoff replayed
//! to a restarted host no longer runs its step again. Everything on
//! 127.0.0.1; every wait bounded.

use g2n_runtime::config::{Credential, Role};
use g2n_runtime::wire::{self, Frame, Kind, WireValue};
use g2n_runtime::{RuntimeConfig, serve};
use std::ffi::c_void;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

mod support;

const USER: &str = "replayed";
const PASSWORD: &str = "replayed-secret";

static RUNS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn counting_entry(_rp: u32, _scope: *mut c_void) {
    RUNS.fetch_add(1, Ordering::SeqCst);
}

fn config() -> RuntimeConfig {
    RuntimeConfig {
        role: Role::Serve,
        accept: vec![Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None }],
        dedupe_retention_ms: 5000,
        max_clock_skew_ms: 100,
        ..RuntimeConfig::default()
    }
}

fn handoff(flow: u8, created_ms: u64) -> Frame {
    support::handoff(flow, vec![("n".into(), WireValue::Int(1))], Vec::new(), created_ms)
}

fn exchange(addr: SocketAddr, bytes: &[u8]) -> Kind {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(bytes).unwrap();
    wire::read_frame(&mut c, &support::key(USER, PASSWORD)).unwrap().decode().unwrap().kind
}

fn nack(kind: Kind) -> String {
    match kind {
        Kind::Nack { reason } => reason,
        other => panic!("expected a Nack, got {other:?}"),
    }
}

#[test]
fn old_future_and_pre_restart_handoffs_are_refused_as_replays() {
    let key = wire::credential_key("", USER, PASSWORD);
    let server = serve(config(), support::target_unit(), counting_entry).unwrap();

    // Older than the dedupe window less the skew (5000 - 100 ms).
    let old = wire::encode(&handoff(1, wire::now_ms() - 6000), Some(&key));
    let reason = nack(exchange(server.addr, &old));
    assert!(reason.contains("ms ago, more than dedupe_retention_ms less max_clock_skew_ms (4900 ms): refused as a replay"), "{reason}");
    let future = wire::encode(&handoff(1, wire::now_ms() + 60_000), Some(&key));
    assert!(nack(exchange(server.addr, &future)).contains("in the future (max_clock_skew_ms 100)"));
    assert_eq!(server.flows_started(), 0);

    // Captured: a fresh handoff, accepted and run once; its replay to the same
    // host is a duplicate (acknowledged, not run).
    let captured = wire::encode(&handoff(2, wire::now_ms()), Some(&key));
    assert_eq!(exchange(server.addr, &captured), Kind::Ack);
    assert_eq!(exchange(server.addr, &captured), Kind::Ack);
    assert_eq!(server.flows_started(), 1, "a replay to the same host does not run again");
    server.stop();

    // The host restarts (a new host, no records) past the skew: the same
    // bytes are refused, not run a second time.
    std::thread::sleep(Duration::from_millis(250));
    let restarted = serve(config(), support::target_unit(), counting_entry).unwrap();
    let reason = nack(exchange(restarted.addr, &captured));
    assert_eq!(reason, "handoff sent before this host started: refused as a replay");
    assert_eq!(restarted.flows_started(), 0);
    // A handoff sent now (as a sender's retry or re-send is: each attempt is
    // stamped afresh) is accepted.
    let resent = wire::encode(&handoff(2, wire::now_ms()), Some(&key));
    assert_eq!(exchange(restarted.addr, &resent), Kind::Ack);
    assert_eq!(restarted.flows_started(), 1);
    restarted.stop();
}
