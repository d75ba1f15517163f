//! A header is good for the one body it was made for (issue 15, protocol
//! v6): the header tag covers the body's tag, so a captured header replayed
//! with another body of the same length is refused once that body is read,
//! without running anything, and the host goes on serving. Loopback only.
//! (In its own test binary: header_auth.rs measures the whole process's
//! allocations, which a server started beside it would disturb.)

use g2n_runtime::config::{Credential, Role};
use g2n_runtime::wire::{self, Kind, WireValue};
use g2n_runtime::{RuntimeConfig, serve};
use std::ffi::c_void;
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

mod support;

const USER: &str = "body-user";
const PASSWORD: &str = "body-secret";

unsafe extern "C" fn quiet_entry(_rp: u32, _scope: *mut c_void) {}

fn accept_config() -> RuntimeConfig {
    RuntimeConfig {
        role: Role::Serve,
        accept: vec![Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None }],
        ..RuntimeConfig::default()
    }
}

/// The reply to `bytes` written on a new connection, if one comes.
fn exchange(addr: std::net::SocketAddr, bytes: &[u8], key: &wire::Key) -> Option<Kind> {
    let mut c = TcpStream::connect(addr).ok()?;
    c.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    c.write_all(bytes).ok()?;
    wire::read_frame(&mut c, key).ok()?.decode().ok().map(|f| f.kind)
}

/// Someone who saw a handoff go by keeps its header (key id, body tag and
/// header tag, all valid) and writes a body of its own of the same length:
/// the header authenticates, the body does not match the body tag the
/// header carries, and the handoff is refused without running; the host
/// then takes a genuine handoff as before.
#[test]
fn a_replayed_header_with_another_body_is_refused_and_the_host_keeps_serving() {
    let key = support::key(USER, PASSWORD);
    let server = serve(accept_config(), support::target_unit(), quiet_entry).unwrap();
    let now = wire::now_ms();
    let genuine = wire::encode(&support::handoff(1, vec![("n".into(), WireValue::Int(1))], Vec::new(), now), Some(&key));
    // Another handoff (another flow, and n = 9) of exactly the same length.
    let other = wire::encode(&support::handoff(2, vec![("n".into(), WireValue::Int(9))], Vec::new(), now), Some(&key));
    assert_eq!(genuine.len(), other.len());
    assert_ne!(genuine[wire::HEADER_LEN..], other[wire::HEADER_LEN..]);
    let mut replayed = genuine[..wire::HEADER_LEN].to_vec();
    replayed.extend_from_slice(&other[wire::HEADER_LEN..]);
    match exchange(server.addr, &replayed, &key) {
        Some(Kind::Nack { reason }) => assert_eq!(reason, "authentication failed"),
        other => panic!("the spliced frame got {other:?}"),
    }
    // A header with garbage of its declared length: refused the same way.
    let mut garbage = genuine[..wire::HEADER_LEN].to_vec();
    garbage.resize(genuine.len(), 0x5A);
    assert_eq!(exchange(server.addr, &garbage, &key), Some(Kind::Nack { reason: "authentication failed".into() }));
    assert_eq!(server.flows_started(), 0, "no refused body ran");
    // The host keeps serving: both genuine frames are taken.
    assert_eq!(exchange(server.addr, &genuine, &key), Some(Kind::Ack));
    assert_eq!(exchange(server.addr, &other, &key), Some(Kind::Ack));
    let until = Instant::now() + Duration::from_secs(10);
    while server.flows_started() < 2 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.flows_started(), 2);
    server.stop();
}
