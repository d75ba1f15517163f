//! Several hosts on one machine, each its own client of NATS (issue 14,
//! "Multi-host on one machine"): with `g2n run --bind-from IP` the origin
//! binds its NATS connection to IP and every host process to the next
//! loopback address, so the server (and its `/connz` monitoring endpoint)
//! sees one client address per host, as it would with hosts on separate
//! machines.

#[path = "support/bounded.rs"]
mod bounded;
#[path = "support/trace_events.rs"]
mod trace_events;
use trace_events::events;

use bounded::wait_within;
use g2n_testkit::{Nats, Options};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `g2n run` killed if the test fails before it ends (its hosts die with it).
struct Run(Option<Child>);

impl Drop for Run {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn every_host_process_connects_from_its_own_loopback_address() {
    let nats = Nats::single();
    let dir = std::env::temp_dir().join(format!("g2n-nats-hosts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("trace.jsonl");
    let program = repo_root().join("tests/nats/slow_step.go");
    // slow_step.go has three nanoservices: on three hosts, the origin's
    // (not a target: no process of its own), `work` twice (`--replicas 2`)
    // and `finish` three times (`--replicas finish=3`).
    let child = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .env_remove("G2N_RUNTIME")
        .args(["run", "--engine", "nats", "--nats", &nats.urls(), "--hosts", "3", "--replicas", "2", "--replicas", "finish=3", "--bind-from", "127.0.1.1", "--trace"])
        .arg(&trace)
        .arg(&program)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start g2n");
    let mut run = Run(Some(child));

    // While the slow step runs, every process of the run is connected.
    let started = Instant::now();
    while !events(&trace, "hop.recv").iter().any(|e| e["to"] == "work") {
        assert!(started.elapsed() < Duration::from_secs(60), "the slow step never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    let connections = nats.nodes[0].connections();
    let mut ips: Vec<String> = connections.iter().map(|(ip, _)| ip.clone()).collect();
    ips.sort();
    let expected: Vec<String> = (1..=6).map(|last| format!("127.0.1.{last}")).collect();
    assert_eq!(ips, expected, "the server's clients (ip, name): {connections:?}");
    let processes = |name: &str| connections.iter().filter(|(_, n)| n == name).count();
    assert_eq!((processes("work"), processes("finish")), (2, 3), "{connections:?}");
    // The origin is the first address.
    let origin = connections.iter().find(|(ip, _)| ip == "127.0.1.1").map(|(_, name)| name.as_str());
    assert_eq!(origin, Some("slow_step"), "{connections:?}");

    let Some(child) = run.0.take() else { unreachable!() };
    let out = wait_within(child, Duration::from_secs(90));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), std::fs::read_to_string(program.with_extension("stdout")).unwrap());

    // A --bind-from outside 127.0.0.0/8 is refused before anything starts.
    let out = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .env_remove("G2N_RUNTIME")
        .args(["run", "--engine", "nats", "--nats", &nats.urls(), "--hosts", "3", "--bind-from", "127.255.255.254"])
        .arg(&program)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start g2n");
    let out = wait_within(out, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("need 3 loopback addresses from 127.255.255.254 on, within 127.0.0.0/8"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `g2n run --engine nats` with `args`, bounded.
fn run(args: &[&str], inputs: &[PathBuf]) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .env_remove("G2N_RUNTIME")
        .args(["run", "--engine", "nats"])
        .args(args)
        .args(inputs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start g2n");
    wait_within(child, Duration::from_secs(90))
}

#[test]
fn bound_connections_speak_tls_and_the_bound_tls_probe_refuses_a_plaintext_server() {
    let root = repo_root();
    let seed = [root.join("examples/hello-world/hello.yaml"), root.join("examples/hello-world/print-hello-world.yaml")];
    let nats = Nats::start_with(1, &Options { tls: true, ..Options::default() });
    let ca = nats.certs.as_ref().unwrap().ca_file.to_string_lossy().into_owned();
    let out = run(&["--nats", &nats.urls(), "--nats-ca", &ca, "--bind-from", "127.0.3.1"], &seed);
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "Hello World!"), "{}", text(&out.stderr));

    // The probe that reads a server's greeting before any TLS binds to the
    // process's address too, and still sees a plaintext server.
    let plain = Nats::single();
    let out = run(&["--nats", &plain.urls(), "--nats-ca", &ca, "--bind-from", "127.0.3.1"], &seed);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("the server does not offer TLS, and this mesh requires it"), "{}", text(&out.stderr));
}
