//! Online password guessing (issue 15): a peer that keeps failing to
//! authenticate gets answers at `auth_failures_per_second` (after a burst of
//! `auth_failure_burst`), not as fast as it can send; once it stops, a
//! correct handoff from it is accepted again. Everything on 127.0.0.1.

use g2n_runtime::config::{Credential, Role};
use g2n_runtime::wire::{self, Frame, Kind, WireValue};
use g2n_runtime::{RuntimeConfig, serve};
use std::ffi::c_void;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

mod support;

const USER: &str = "guessed";
const PASSWORD: &str = "guessed-secret";

unsafe extern "C" fn quiet_entry(_rp: u32, _scope: *mut c_void) {}

fn handoff(flow: u8) -> Frame {
    support::handoff(flow, vec![("n".into(), WireValue::Int(1))], Vec::new(), wire::now_ms())
}

/// The reply to one frame on a new connection, if any.
fn exchange(addr: SocketAddr, bytes: &[u8]) -> Option<Kind> {
    let mut c = TcpStream::connect(addr).ok()?;
    c.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    c.write_all(bytes).ok()?;
    wire::read_frame(&mut c, &support::key(USER, PASSWORD)).ok()?.decode().ok().map(|f| f.kind)
}

#[test]
fn failed_authentications_are_answered_at_the_configured_rate() {
    let config = RuntimeConfig {
        role: Role::Serve,
        accept: vec![Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None }],
        auth_failures_per_second: 10.0,
        auth_failure_burst: 5,
        ..RuntimeConfig::default()
    };
    let server = serve(config, support::target_unit(), quiet_entry).unwrap();
    let (mut answered, mut sent) = (0u32, 0u32);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        // A wrong key per guess (deriving each from a guessed password would
        // only slow the test down: the server sees a wrong tag either way).
        let mut guess = [0u8; 32];
        guess[..4].copy_from_slice(&sent.to_le_bytes());
        sent += 1;
        if let Some(Kind::Nack { reason }) = exchange(server.addr, &wire::encode(&handoff(1), Some(&guess))) {
            assert_eq!(reason, "authentication failed");
            answered += 1;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    // 5 at once, then 10 per second: about 15 in a second, however many were sent.
    assert!(sent > 50, "the test sent only {sent} guesses");
    assert!(answered as f64 <= 5.0 + 10.0 * elapsed + 2.0, "{answered} of {sent} guesses answered in {elapsed:.2}s");
    assert!(answered >= 5, "the burst is answered: {answered}");
    // Once the guessing stops, the bucket refills and the right key works.
    std::thread::sleep(Duration::from_millis(300));
    let good = wire::encode(&handoff(2), Some(&wire::credential_key("", USER, PASSWORD)));
    assert_eq!(exchange(server.addr, &good), Some(Kind::Ack));
    server.stop();
}
