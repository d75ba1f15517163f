//! Re-sent handoffs of a running step (issue 15): each one that the host
//! keeps waiting for the step's Done holds a file descriptor, so a flood of
//! replays of one captured handoff, each closing its socket, must not pin a
//! descriptor apiece until the step ends. At most
//! `MAX_WATCHERS_PER_STEP` (8) connections wait; the rest are closed, and
//! the host keeps serving. Everything on 127.0.0.1; every wait bounded.

use g2n_abi::{ABI_VERSION, EntryDesc, UnitDescriptor};
use g2n_runtime::config::{Credential, Role};
use g2n_runtime::wire::{self, Kind};
use g2n_runtime::{RuntimeConfig, serve};
use std::ffi::c_void;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// The shared test helpers: `handoff` and `key`.
mod support;

const USER: &str = "watchers";
const PASSWORD: &str = "watchers-secret";
const REPLAYS: usize = 200;

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static RELEASE: AtomicBool = AtomicBool::new(false);

/// Holds its step until released (at most 30 s).
unsafe extern "C" fn holding_entry(_rp: u32, _scope: *mut c_void) {
    RUNNING.fetch_add(1, Ordering::SeqCst);
    let until = Instant::now() + Duration::from_secs(30);
    while !RELEASE.load(Ordering::SeqCst) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn unit() -> UnitDescriptor {
    UnitDescriptor { abi_version: ABI_VERSION, unit: "target".into(), entries: vec![EntryDesc { resume_point: 1, vars: vec![] }], exits: vec![] }
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

/// The reply to `bytes` on a new connection, or None when it was closed
/// unanswered or nothing came within `wait`.
fn exchange(addr: SocketAddr, bytes: &[u8], wait: Duration) -> Option<Kind> {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(wait)).unwrap();
    c.write_all(bytes).unwrap();
    wire::read_frame(&mut c, &support::key(USER, PASSWORD)).ok().map(|raw| raw.decode().unwrap().kind)
}

#[test]
fn replays_of_a_running_step_hold_a_bounded_number_of_descriptors() {
    let config = RuntimeConfig {
        role: Role::Serve,
        accept: vec![Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None }],
        heartbeat_ms: 0,
        ..RuntimeConfig::default()
    };
    let server = serve(config, unit(), holding_entry).unwrap();
    let frame = support::handoff(1, vec![], vec![], wire::now_ms());
    let bytes = wire::encode(&frame, Some(&support::key(USER, PASSWORD)));
    assert_eq!(exchange(server.addr, &bytes, Duration::from_secs(5)), Some(Kind::Ack));
    let deadline = Instant::now() + Duration::from_secs(10);
    while RUNNING.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the step never started");
        std::thread::sleep(Duration::from_millis(5));
    }

    // Eight re-sends wait for Done; they keep their sockets open.
    let waiting: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut c = TcpStream::connect(server.addr).unwrap();
            c.write_all(&bytes).unwrap();
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let before = open_fds();
    // The flood: every replay closes its socket right away.
    for _ in 0..REPLAYS {
        let mut c = TcpStream::connect(server.addr).unwrap();
        c.write_all(&bytes).unwrap();
    }
    // Let the host handle every one of them.
    std::thread::sleep(Duration::from_secs(2));
    let grown = open_fds().saturating_sub(before);
    assert!(grown < 20, "{REPLAYS} replays of a running step left {grown} more descriptors open");

    // The host still serves: another flow is accepted while the step runs.
    let other = wire::encode(&support::handoff(2, vec![], vec![], wire::now_ms()), Some(&support::key(USER, PASSWORD)));
    assert_eq!(exchange(server.addr, &other, Duration::from_secs(5)), Some(Kind::Ack));

    // The eight waiting re-sends were acknowledged and still wait (their
    // Done comes once the step has delivered its end to the origin, which
    // this test has none of).
    for mut c in waiting {
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let kind = wire::read_frame(&mut c, &support::key(USER, PASSWORD)).ok().map(|raw| raw.decode().unwrap().kind);
        assert!(matches!(kind, Some(Kind::Ack)), "a waiting re-send got {kind:?}");
    }
    RELEASE.store(true, Ordering::SeqCst);
    server.stop();
}
