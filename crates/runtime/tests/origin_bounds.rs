//! Bounds on what the return path can make an origin hold or wait for
//! (issue 15): out-of-order Output within `reorder_buffer_bytes`, and the
//! liveness timeout kept by frames that advance the flow only, not by
//! replayed Output or Alive for a step the flow has left. A fake host on
//! 127.0.0.1 acks the origin's handoff and then speaks for the mesh with the
//! flow key it was given; every wait is bounded.

use g2n_abi::{ABI_VERSION, EntryDesc, ExitDesc, ScopeVar, TypeTag, UnitDescriptor};
use g2n_runtime::config::{Credential, Route};
use g2n_runtime::ffi::{g2n_go_to_network, g2n_scope_new, g2n_scope_put_string};
use g2n_runtime::wire::{self, Frame, Key, Kind, Stream};
use g2n_runtime::{RuntimeConfig, run_origin_captured};
use std::ffi::c_void;
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

const USER: &str = "origin-bounds";
const PASSWORD: &str = "origin-bounds-secret";

fn hello_desc() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "hello".into(),
        entries: vec![EntryDesc { resume_point: 0, vars: vec![] }],
        exits: vec![ExitDesc { index: 0, target: "far".into(), resume_point: 1, vars: vec![ScopeVar::basic("hello", TypeTag::String)] }],
    }
}

unsafe extern "C" fn hello_entry(_rp: u32, _scope: *mut c_void) {
    let hello = "Hello";
    unsafe {
        let out = g2n_scope_new();
        g2n_scope_put_string(out, 0, hello.as_ptr(), hello.len() as i64);
        g2n_go_to_network(0, out);
    }
}

/// What the fake host learned from the handoff.
struct Taken {
    flow_id: [u8; 16],
    flow_key: Key,
    origin: String,
}

/// A fake host on loopback: acks one handoff, passes on what it learned,
/// then runs `speak` with it (as a host that holds the flow's key would).
fn fake_host(speak: impl FnOnce(Taken) + Send + 'static) -> (std::net::SocketAddr, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let key = wire::credential_key("", USER, PASSWORD);
    let host = std::thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let frame = wire::read_frame(&mut c, &key).unwrap().decode().unwrap();
        let Kind::Handoff(h) = &frame.kind else { panic!("a handoff") };
        let ack = Frame { version: wire::PROTOCOL_VERSION, flow_id: frame.flow_id, step: frame.step, kind: Kind::Ack };
        wire::write_frame(&mut c, &ack, Some(&key)).unwrap();
        speak(Taken { flow_id: frame.flow_id, flow_key: h.flow_key, origin: h.origin.clone() });
        drop(c);
    });
    (addr, host)
}

fn origin_config(addr: std::net::SocketAddr) -> RuntimeConfig {
    let mut c = RuntimeConfig { handoff_deadline_ms: 2000, ..RuntimeConfig::default() };
    c.routes.insert(
        "far".into(),
        Route { addr: addr.to_string(), credential: Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None } },
    );
    c
}

/// Sends one frame to the origin on `c` and says whether it was acknowledged.
fn send(c: &mut TcpStream, t: &Taken, step: u64, kind: Kind) -> bool {
    let frame = Frame { version: wire::PROTOCOL_VERSION, flow_id: t.flow_id, step, kind };
    if wire::write_frame(c, &frame, Some(&t.flow_key)).is_err() {
        return false;
    }
    matches!(reply(c, t), Some(Kind::Ack))
}

/// The origin's reply to the last frame: an Ack tagged with the flow key,
/// or an untagged Nack; None when it closed the connection.
fn reply(c: &mut TcpStream, t: &Taken) -> Option<Kind> {
    wire::read_frame(c, &t.flow_key).ok().and_then(|r| r.decode().ok()).map(|f| f.kind)
}

fn connect(t: &Taken) -> TcpStream {
    let c = TcpStream::connect(&t.origin).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c
}

fn output(seq: u64, bytes: Vec<u8>) -> Kind {
    Kind::Output { stream: Stream::Stdout, seq, bytes }
}

/// Output that arrives ahead of the next one to write is held only within
/// `reorder_buffer_bytes`: past it, frames are not acknowledged (their sender
/// retries), while the next one in sequence is always taken, and the flow
/// still completes with its output in order.
#[test]
fn out_of_order_output_is_held_within_the_reorder_budget() {
    let (tx, acks) = std::sync::mpsc::channel();
    let (addr, host) = fake_host(move |t| {
        let mut c = connect(&t);
        let mut acked = Vec::new();
        // 1 MiB frames far ahead of seq 0: with a 4 MiB budget three fit.
        for seq in 100..110 {
            if !send(&mut c, &t, 1, output(seq, vec![b'x'; 1 << 20])) {
                break;
            }
            acked.push(seq);
        }
        let mut c = connect(&t);
        assert!(send(&mut c, &t, 1, output(0, b"first ".to_vec())), "the next Output in sequence is always taken");
        assert!(send(&mut c, &t, 1, output(1, b"second".to_vec())));
        assert!(send(&mut c, &t, 1, Kind::End { seq: 2, exit_code: 7 }));
        tx.send(acked).unwrap();
    });
    let mut config = origin_config(addr);
    config.reorder_buffer_bytes = 4 << 20;
    config.liveness_timeout_ms = 5000;
    let out = run_origin_captured(config, hello_desc(), hello_entry).unwrap();
    host.join().unwrap();
    let acked = acks.recv().unwrap();
    assert_eq!(acked, vec![100, 101, 102], "out-of-order Output past 4 MiB is not acknowledged");
    assert_eq!((out.exit_code, out.stdout.as_slice()), (7, b"first second".as_slice()), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The flow moved on to step 2 (its new host said so, then went silent);
/// the old host, which still has the flow key, keeps sending Alive for step
/// 1 and replaying its old Output. Neither counts: the origin gives up one
/// liveness timeout after the last word from step 2.
#[test]
fn alive_for_a_step_the_flow_has_left_and_replayed_output_do_not_keep_the_origin_waiting() {
    let (addr, host) = fake_host(move |t| {
        let mut c = connect(&t);
        assert!(send(&mut c, &t, 1, output(0, b"out ".to_vec())));
        assert!(send(&mut c, &t, 2, Kind::Alive { unit: "next".into(), sent_ms: wire::now_ms() }));
        let until = Instant::now() + Duration::from_millis(2500);
        while Instant::now() < until {
            // An Alive for the left step is refused, which closes the
            // connection: a new one for the replayed Output.
            let _ = send(&mut connect(&t), &t, 1, Kind::Alive { unit: "far".into(), sent_ms: wire::now_ms() });
            let Ok(mut c2) = TcpStream::connect(&t.origin) else { return };
            c2.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            if !send(&mut c2, &t, 1, output(0, b"out ".to_vec())) {
                return; // the origin gave up and closed
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let mut config = origin_config(addr);
    config.liveness_timeout_ms = 600;
    let start = Instant::now();
    let out = run_origin_captured(config, hello_desc(), hello_entry).unwrap();
    let elapsed = start.elapsed();
    host.join().unwrap();
    assert_eq!(out.exit_code, 1);
    assert_eq!(out.stdout, b"out ");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lost: nothing heard from the mesh for 600ms (last from 'next' at step 2)"), "{err}");
    assert!(elapsed < Duration::from_millis(2000), "the forged frames kept the origin waiting {elapsed:?}");
}

/// A replay of the current step's Alive (the same frame, byte for byte)
/// is refused: Alive carries `sent_ms` inside its tag (protocol v5), and
/// the origin takes an Alive only if it was sent after the last one it
/// took. So replaying a captured Alive does not keep the origin waiting
/// past its liveness timeout, while a new Alive still does.
#[test]
fn a_replayed_alive_of_the_current_step_is_refused() {
    let (tx, seen) = std::sync::mpsc::channel();
    let (addr, host) = fake_host(move |t| {
        let mut c = connect(&t);
        let first = Frame { version: wire::PROTOCOL_VERSION, flow_id: t.flow_id, step: 1, kind: Kind::Alive { unit: "far".into(), sent_ms: wire::now_ms() } };
        let captured = wire::encode(&first, Some(&t.flow_key));
        c.write_all(&captured).unwrap();
        assert_eq!(reply(&mut c, &t), Some(Kind::Ack), "the first Alive is taken");
        // A new Alive (later sent_ms) is taken too.
        std::thread::sleep(Duration::from_millis(5));
        assert!(send(&mut c, &t, 1, Kind::Alive { unit: "far".into(), sent_ms: wire::now_ms() }));
        // Replays of the first, until the origin gives up.
        let (mut refused, mut acked) = (0, 0);
        let until = Instant::now() + Duration::from_millis(2500);
        while Instant::now() < until {
            let Ok(mut c) = TcpStream::connect(&t.origin) else { break };
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            if c.write_all(&captured).is_err() {
                break;
            }
            match reply(&mut c, &t) {
                Some(Kind::Nack { reason }) => {
                    assert!(reason.contains("refused as a replay"), "{reason}");
                    refused += 1;
                }
                Some(Kind::Ack) => acked += 1,
                _ => break,
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        tx.send((refused, acked)).unwrap();
    });
    let mut config = origin_config(addr);
    config.liveness_timeout_ms = 600;
    let start = Instant::now();
    let out = run_origin_captured(config, hello_desc(), hello_entry).unwrap();
    let elapsed = start.elapsed();
    host.join().unwrap();
    let (refused, acked) = seen.recv().unwrap();
    assert_eq!(acked, 0, "a replayed Alive was acknowledged");
    assert!(refused > 3, "only {refused} replays were answered");
    assert_eq!(out.exit_code, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lost: nothing heard from the mesh for 600ms (last from 'far' at step 1)"), "{err}");
    assert!(elapsed < Duration::from_millis(2000), "replayed Alive kept the origin waiting {elapsed:?}");
}
