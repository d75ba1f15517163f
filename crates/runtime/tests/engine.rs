//! The engine seam (g2n_runtime::engine) without any engine: a handoff is
//! checked like the TCP server checks it, and a checked step runs with its
//! output and end going through a recording `FlowLink`.

use g2n_runtime::config::Credential;
use g2n_runtime::engine::{self, FlowAt, FlowLink, LinkError};
use g2n_runtime::wire::{self, Frame, Handoff, Kind, Stream, WireValue};
use g2n_runtime::{Host, RuntimeConfig};
use std::sync::{Arc, Mutex};

#[path = "support/seed.rs"]
mod seed;
use seed::{print_desc, print_entry};

const USER: &str = "hello-world-practice";

fn host() -> Arc<Host> {
    let config = RuntimeConfig { accept: vec![Credential { username: USER.into(), password: Some("monkey".into()), password_env: None, key: None }], ..Default::default() };
    Host::from_descriptors(config, print_entry, vec![print_desc()], 0).unwrap()
}

fn handoff(value: WireValue, key: &wire::Key) -> Vec<u8> {
    let frame = Frame {
        version: wire::PROTOCOL_VERSION,
        flow_id: [3; 16],
        step: 1,
        kind: Kind::Handoff(Handoff {
            target: "print-hello-world".into(),
            from: "hello".into(),
            resume_point: 1,
            origin: String::new(),
            flow_key: [9; 32],
            out_seq: 0,
            created_ms: wire::now_ms(),
            scope: vec![("hello".into(), value)],
            graph: vec![],
        }),
    };
    wire::encode(&frame, Some(key))
}

#[derive(Default)]
struct Recorded {
    output: Vec<(u64, u64, Stream, Vec<u8>)>,
    end: Option<(u64, u64, i32)>,
}

struct Recorder(Arc<Mutex<Recorded>>);

impl FlowLink for Recorder {
    fn output(&mut self, at: &FlowAt, seq: u64, stream: Stream, bytes: &[u8]) -> Result<(), LinkError> {
        self.0.lock().unwrap().output.push((at.step, seq, stream, bytes.to_vec()));
        Ok(())
    }
    fn hand_off(&mut self, _at: &FlowAt, target: &str, _frame: Vec<u8>) -> Result<(), LinkError> {
        Err(LinkError::Fatal(format!("no hand-off expected (to {target})")))
    }
    fn end(&mut self, at: &FlowAt, seq: u64, exit_code: i32) {
        self.0.lock().unwrap().end = Some((at.step, seq, exit_code));
    }
}

#[test]
fn a_checked_step_runs_and_its_effects_go_through_the_link() {
    let host = host();
    let key = wire::credential_key("", USER, "monkey");
    let accepted = engine::check_handoff(&host, &handoff(WireValue::String(b"Hello".to_vec()), &key)).unwrap();
    assert_eq!((accepted.id, accepted.step, accepted.unit.desc.unit.as_str(), accepted.from()), ([3; 16], 1, "print-hello-world", "hello".to_string()));
    let recorded = Arc::new(Mutex::new(Recorded::default()));
    let link = Recorder(recorded.clone());
    let h = host.clone();
    // Flow threads register with the collector.
    let (tx, rx) = std::sync::mpsc::channel();
    engine::spawn_flow_thread("test-flow", move || {
        engine::run_accepted(h, accepted, Box::new(link));
        let _ = tx.send(());
    })
    .unwrap();
    rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
    let r = recorded.lock().unwrap();
    assert_eq!(r.output, vec![(1, 0, Stream::Stdout, b"Hello World!".to_vec())]);
    assert_eq!(r.end, Some((1, 1, 0)));
}

#[test]
fn bad_handoffs_are_refused_with_the_servers_reasons() {
    let host = host();
    let key = wire::credential_key("", USER, "monkey");
    let reason = |bytes: &[u8]| engine::check_handoff(&host, bytes).err().unwrap();
    assert_eq!(reason(b"\x00\x00\x00\x40short"), "truncated frame");
    assert_eq!(reason(&handoff(WireValue::String(b"Hello".to_vec()), &[0; 32])), "authentication failed");
    assert_eq!(reason(&handoff(WireValue::Int(1), &key)), "scope mismatch at resume point 1: expected (hello string), got (hello int)");
}

#[test]
fn no_engine_is_registered_in_a_plain_runtime() {
    assert!(engine::registered().is_none());
    assert!(engine::not_linked("nats").contains("g2n build --engine nats"));
}
