//! Mutual TLS on the TCP transport (issue 15, docs/protocol.md "TLS"): a
//! flow between hosts with certificates of one deployment CA prints what it
//! prints over plaintext; a plaintext client, and a client whose certificate
//! another CA signed, cannot hand a TLS host anything; plaintext TCP is
//! refused with any address but loopback. Real servers and origins in one
//! process, on 127.0.0.1 only.

use g2n_runtime::config::{Credential, Role, Route, TlsConfig};
use g2n_runtime::wire::{self, Frame, Handoff, Kind, WireValue};
use g2n_runtime::{RuntimeConfig, run_origin_captured, serve};
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

#[path = "support/pki.rs"]
mod pki;
use pki::Deployment;

#[path = "../../runtime/tests/support/seed.rs"]
mod seed;
use seed::{print_desc, print_entry, hello_desc, hello_entry};

const USER: &str = "tls-user";
/// A random-looking credential key (64 hex digits): no password derivation.
const KEY_HEX: &str = "5f1c0e4b7a2d9c3e8f6a1b0d4c7e2f9a3b6d8e1f0a2c4e6b8d0f1a3c5e7b9d2f";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-tls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn credential() -> Credential {
    Credential { username: USER.into(), password: None, password_env: None, key: Some(KEY_HEX.into()) }
}

fn server_config(tls: Option<TlsConfig>) -> RuntimeConfig {
    RuntimeConfig { role: Role::Serve, accept: vec![credential()], tls, ..RuntimeConfig::default() }
}

fn origin_config(addr: std::net::SocketAddr, tls: Option<TlsConfig>) -> RuntimeConfig {
    let mut c = RuntimeConfig { handoff_deadline_ms: 1500, liveness_timeout_ms: 5000, tls, ..RuntimeConfig::default() };
    c.routes.insert("print-hello-world".into(), Route { addr: addr.to_string(), credential: credential() });
    c
}

#[test]
fn a_flow_over_mutual_tls_prints_what_it_prints_over_plaintext() {
    g2n_runtime_tls::register();
    let dir = temp_dir("same");
    let deployment = Deployment::new(&dir, "a");
    let plain_server = serve(server_config(None), print_desc(), print_entry).unwrap();
    let plain = run_origin_captured(origin_config(plain_server.addr, None), hello_desc(), hello_entry).unwrap();
    plain_server.stop();

    let server = serve(server_config(Some(deployment.host("host-1", 1).tls)), print_desc(), print_entry).unwrap();
    let tls = run_origin_captured(origin_config(server.addr, Some(deployment.host("host-0", 2).tls)), hello_desc(), hello_entry).unwrap();
    assert_eq!((tls.exit_code, String::from_utf8_lossy(&tls.stdout).as_ref()), (0, "Hello World!"), "{}", String::from_utf8_lossy(&tls.stderr));
    assert_eq!((tls.exit_code, &tls.stdout, &tls.stderr), (plain.exit_code, &plain.stdout, &plain.stderr));
    assert_eq!(server.flows_started(), 1);
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A valid, correctly tagged handoff frame.
fn handoff_bytes() -> Vec<u8> {
    let frame = Frame {
        version: wire::PROTOCOL_VERSION,
        flow_id: [9; 16],
        step: 1,
        kind: Kind::Handoff(Handoff {
            target: "print-hello-world".into(),
            from: "test".into(),
            resume_point: 1,
            origin: String::new(),
            flow_key: [3; 32],
            out_seq: 0,
            scope: vec![("hello".into(), WireValue::String(b"Hello".to_vec()))],
            graph: Vec::new(),
            created_ms: wire::now_ms(),
        }),
    };
    wire::encode(&frame, Some(&wire::parse_key(KEY_HEX).unwrap()))
}

#[test]
fn a_plaintext_client_is_refused_by_a_tls_host() {
    g2n_runtime_tls::register();
    let dir = temp_dir("plaintext");
    let deployment = Deployment::new(&dir, "a");
    let server = serve(server_config(Some(deployment.host("host-1", 1).tls)), print_desc(), print_entry).unwrap();
    // Raw bytes of a valid handoff: read as a TLS record, they are refused,
    // and the connection closes without an Ack (or anything that decodes).
    let mut c = TcpStream::connect(server.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = c.write_all(&handoff_bytes());
    let mut reply = Vec::new();
    let _ = c.read_to_end(&mut reply);
    assert!(wire::read_frame(&mut reply.as_slice(), &wire::parse_key(KEY_HEX).unwrap()).is_err(), "a frame came back: {reply:?}");
    // A plaintext origin with the right key fails too.
    let out = run_origin_captured(origin_config(server.addr, None), hello_desc(), hello_entry).unwrap();
    assert_eq!((out.exit_code, out.stdout.as_slice()), (1, b"".as_slice()));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("handoff to 'print-hello-world' failed after 1.5s"), "{err}");
    assert_eq!(server.flows_started(), 0);
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_certificate_from_another_ca_is_refused() {
    g2n_runtime_tls::register();
    let dir = temp_dir("other-ca");
    let (ours, theirs) = (Deployment::new(&dir, "ours"), Deployment::new(&dir, "theirs"));
    let server = serve(server_config(Some(ours.host("host-1", 1).tls)), print_desc(), print_entry).unwrap();
    // A client that trusts our CA (so it accepts our server) but presents
    // a certificate the other CA signed: the server refuses the handshake.
    let stranger = theirs.host("stranger", 3).trusting(&ours);
    let out = run_origin_captured(origin_config(server.addr, Some(stranger)), hello_desc(), hello_entry).unwrap();
    assert_eq!((out.exit_code, out.stdout.as_slice()), (1, b"".as_slice()), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(server.flows_started(), 0);
    // A client of the other deployment refuses our server's certificate.
    let other = theirs.host("other", 4).tls;
    let out = run_origin_captured(origin_config(server.addr, Some(other)), hello_desc(), hello_entry).unwrap();
    assert_eq!(out.exit_code, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("certificate"), "the client names the certificate it refused: {err}");
    assert_eq!(server.flows_started(), 0);
    // Our own certificate still gets through.
    let out = run_origin_captured(origin_config(server.addr, Some(ours.host("host-0", 2).tls)), hello_desc(), hello_entry).unwrap();
    assert_eq!((out.exit_code, out.stdout.as_slice()), (0, b"Hello World!".as_slice()));
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without `tls`, plaintext TCP is refused with any address but loopback,
/// before a packet is sent or a port bound (checked here without touching
/// any other address: the refusals come from the check itself).
#[test]
fn plaintext_tcp_off_loopback_is_refused_without_tls() {
    g2n_runtime_tls::register();
    let plain = g2n_runtime::net::Transport::default();
    assert!(plain.plaintext_allowed(IpAddr::V4(Ipv4Addr::LOCALHOST), "127.0.0.1:1").is_ok());
    assert!(plain.plaintext_allowed("::1".parse().unwrap(), "[::1]:1").is_ok());
    let err = plain.plaintext_allowed("192.0.2.7".parse().unwrap(), "192.0.2.7:4000").unwrap_err();
    assert!(err.starts_with("refusing plaintext TCP with 192.0.2.7:4000") && err.contains("configure `tls`"), "{err}");
    let opted_out = g2n_runtime::net::Transport::from_config(&RuntimeConfig { plaintext_network: true, ..RuntimeConfig::default() }).unwrap();
    assert!(opted_out.plaintext_allowed("192.0.2.7".parse().unwrap(), "192.0.2.7:4000").is_ok());
    // A server asked to listen on every interface without TLS does not start.
    let err = serve(RuntimeConfig { listen: "0.0.0.0:0".into(), ..server_config(None) }, print_desc(), print_entry).err().expect("refused");
    assert!(err.contains("refusing plaintext TCP with 0.0.0.0:0"), "{err}");
}
