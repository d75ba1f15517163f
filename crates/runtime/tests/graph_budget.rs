//! A host's memory budget for scope graphs in flight (issue 15): graphs of a
//! few bytes that declare tens of megabytes of `[]byte` are charged at their
//! full size; while one is held by a running step, a second that does not
//! fit beside it is closed unanswered (its sender would retry), one bigger
//! than the whole budget is refused with a Nack, and the host goes on
//! serving: once the first step is done, the second is accepted. Everything
//! on 127.0.0.1; every wait bounded.

use g2n_abi::{ABI_VERSION, EntryDesc, GoString, GraphType, Kind as TypeKind, ProgramTable, ScopeVar, TypeDesc, TypeEntry, TypeTag, UnitDescriptor};
use g2n_runtime::config::{Credential, Role};
use g2n_runtime::graph::g2n_register_program;
use g2n_runtime::wire::{self, Kind, WireValue};
use g2n_runtime::{RuntimeConfig, serve};
use std::ffi::c_void;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod support;

const USER: &str = "graphs";
const PASSWORD: &str = "graphs-secret";
const MIB: u64 = 1 << 20;

fn gs(s: &'static str) -> GoString {
    GoString { ptr: s.as_ptr(), len: s.len() as i64 }
}

fn desc(kind: TypeKind, size: u64, name: &'static str, elem: *const TypeDesc) -> *const TypeDesc {
    Box::leak(Box::new(TypeDesc {
        kind: kind as u32,
        reserved: 0,
        size,
        name: gs(name),
        elem,
        key: std::ptr::null(),
        len: 0,
        fields: std::ptr::null(),
        nfields: 0,
        methods: std::ptr::null(),
        nmethods: 0,
        ext: std::ptr::null(),
    }))
}

/// This test program's type table: `uint8` and `[]uint8`.
fn register() {
    let byte = desc(TypeKind::Uint8, 1, "uint8", std::ptr::null());
    let bytes = desc(TypeKind::Slice, 24, "[]uint8", byte);
    let entries: &'static [TypeEntry] = Box::leak(Box::new([
        TypeEntry { desc: byte, underlying: gs("uint8"), wire_name: gs("uint8") },
        TypeEntry { desc: bytes, underlying: gs("[]uint8"), wire_name: gs("[]uint8") },
    ]));
    let table = Box::leak(Box::new(ProgramTable {
        types: entries.as_ptr(),
        ntypes: 2,
        funcs: std::ptr::null(),
        nfuncs: 0,
        globals: std::ptr::null(),
        nglobals: 0,
        library_vars: std::ptr::null(),
        nlibrary_vars: 0,
        library_vars_fixed: 0,
    }));
    // SAFETY: a leaked, so static, table of leaked descriptors.
    unsafe { g2n_register_program(table) };
}

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static RELEASE: AtomicBool = AtomicBool::new(false);

/// Holds its step (and so its received graph) until released (at most 20 s).
unsafe extern "C" fn holding_entry(_rp: u32, _scope: *mut c_void) {
    RUNNING.fetch_add(1, Ordering::SeqCst);
    let until = Instant::now() + Duration::from_secs(20);
    while !RELEASE.load(Ordering::SeqCst) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn unit() -> UnitDescriptor {
    let var = ScopeVar { name: "b".into(), tag: TypeTag::Nil, graph: Some(GraphType { type_name: "[]uint8".into(), cell: false }) };
    UnitDescriptor { abi_version: ABI_VERSION, unit: "target".into(), entries: vec![EntryDesc { resume_point: 1, vars: vec![var] }], exits: vec![] }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A `[]byte` of `n` zero bytes as a scope graph: one run, a few bytes.
fn zeros(n: u64) -> Vec<u8> {
    let mut g = vec![1, 5];
    g.extend_from_slice(b"uint8");
    g.extend_from_slice(&[0, 0, 1, 0, 0]);
    put_varint(&mut g, n);
    put_varint(&mut g, (n << 1) | 1);
    g.push(0);
    for v in [2, 0, n, n] {
        put_varint(&mut g, v);
    }
    g
}

fn handoff(flow: u8, graph: Vec<u8>) -> Vec<u8> {
    let frame = support::handoff(flow, vec![("b".into(), WireValue::Graph)], graph, wire::now_ms());
    wire::encode(&frame, Some(&wire::credential_key("", USER, PASSWORD)))
}

/// The reply, or None when the connection was closed unanswered.
fn exchange(addr: SocketAddr, bytes: &[u8]) -> Option<Kind> {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(bytes).unwrap();
    wire::read_frame(&mut c, &support::key(USER, PASSWORD)).ok().map(|raw| raw.decode().unwrap().kind)
}

#[test]
fn graphs_in_flight_share_the_hosts_budget_and_the_host_keeps_serving() {
    register();
    let config = RuntimeConfig {
        role: Role::Serve,
        accept: vec![Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None }],
        graph_memory_budget: 64 * MIB,
        heartbeat_ms: 0,
        ..RuntimeConfig::default()
    };
    let server = serve(config, unit(), holding_entry).unwrap();
    let first = handoff(1, zeros(40 * MIB));
    assert!(first.len() < 300, "{} bytes on the wire", first.len());
    assert_eq!(exchange(server.addr, &first), Some(Kind::Ack));
    let deadline = Instant::now() + Duration::from_secs(10);
    while RUNNING.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the first step never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Beside the first one's 40 MiB, another 40 MiB does not fit: closed
    // unanswered, the sender retries.
    assert_eq!(exchange(server.addr, &handoff(2, zeros(40 * MIB))), None);
    // Bigger than the whole budget: refused for good.
    match exchange(server.addr, &handoff(3, zeros(100 * MIB))) {
        Some(Kind::Nack { reason }) => assert_eq!(reason, "the scope graph needs more than graph_memory_budget (67108864 bytes) of memory"),
        other => panic!("expected a Nack, got {other:?}"),
    }
    // Small graphs still fit, and the host still serves.
    assert_eq!(exchange(server.addr, &handoff(4, zeros(1000))), Some(Kind::Ack));
    RELEASE.store(true, Ordering::SeqCst);
    // Once the first step is done with its graph, the second one fits.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match exchange(server.addr, &handoff(2, zeros(40 * MIB))) {
            Some(Kind::Ack) => break,
            None => {}
            other => panic!("expected an Ack, got {other:?}"),
        }
        assert!(Instant::now() < deadline, "the first graph's share was never given back");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.stop();
}
