//! Who may send what, and TLS, on the NATS engine (docs/protocol.md, "Who
//! may send what" and "TLS"): `g2n build --engine nats` writes the mesh's
//! authorization, every test starts its own nats-server (or 3-node
//! cluster) that includes it, and `g2n run --engine nats --nats-auth` runs
//! the mesh with each host connected as its nanoservice's user.

#[path = "support/bounded.rs"]
mod bounded;
#[path = "support/trace_events.rs"]
mod trace_events;
use trace_events::events;

use bounded::output_within;
use g2n_testkit::{Nats, Options};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn g2n() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_g2n"));
    c.env_remove("G2N_RUNTIME");
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh temporary directory, removed when dropped.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir = std::env::temp_dir().join(format!("g2n-nats-auth-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Temp(dir)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn seed() -> [PathBuf; 2] {
    let root = repo_root();
    [root.join("examples/hello-world/hello.yaml"), root.join("examples/hello-world/print-hello-world.yaml")]
}

/// `g2n build --engine nats` of `inputs` into `out`; returns OUT/nats.
fn build_authorized(inputs: &[PathBuf], out: &Path, mesh: Option<&str>) -> PathBuf {
    let mut build = g2n();
    build.args(["build", "--engine", "nats", "-o"]).arg(out).args(inputs);
    if let Some(mesh) = mesh {
        build.args(["--mesh", mesh]);
    }
    let done = output_within(build, Duration::from_secs(120));
    assert_eq!(done.status.code(), Some(0), "{}", text(&done.stderr));
    out.join("nats")
}

fn authorized_server(count: usize, auth: &Path, tls: bool) -> Nats {
    Nats::start_with(count, &Options { tls, include: Some(auth.join("authorization.conf")), ..Options::default() })
}

fn run_over(nats: &Nats, auth: Option<&Path>, ca: Option<&Path>, trace: Option<&Path>, inputs: &[PathBuf]) -> Output {
    run_placed(nats, auth, ca, trace, inputs, &[])
}

/// [`run_over`] with `g2n run`'s placement flags.
fn run_placed(nats: &Nats, auth: Option<&Path>, ca: Option<&Path>, trace: Option<&Path>, inputs: &[PathBuf], placement: &[&str]) -> Output {
    let mut run = g2n();
    run.args(["run", "--engine", "nats", "--nats", &nats.urls()]).args(placement);
    if let Some(auth) = auth {
        run.arg("--nats-auth").arg(auth);
    }
    if let Some(ca) = ca {
        run.arg("--nats-ca").arg(ca);
    }
    if let Some(trace) = trace {
        run.arg("--trace").arg(trace);
    }
    run.args(inputs);
    output_within(run, Duration::from_secs(90))
}

#[test]
fn the_seed_runs_over_a_server_with_the_generated_authorization() {
    let temp = Temp::new("seed");
    let auth = build_authorized(&seed(), &temp.0.join("out"), None);

    // The file for the server holds bcrypt hashes, no password; the
    // generated passwords are readable by their owner only.
    let conf = std::fs::read_to_string(auth.join("authorization.conf")).unwrap();
    assert!(conf.contains("user: \"hello-world-practice\"") && conf.contains("user: \"g2n-hello-print-hello-world\""), "{conf}");
    // The two nanoservices, the admin (deployer) and the host agents.
    assert_eq!(conf.matches("password: \"$2a$11$").count(), 4, "{conf}");
    assert!(!conf.contains("monkey"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(auth.join("credentials.json")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let nats = authorized_server(1, &auth, false);
    let trace = temp.0.join("trace.jsonl");
    let out = run_over(&nats, Some(&auth), None, Some(&trace), &seed());
    assert_eq!(out.status.code(), Some(0), "{}\nserver log:\n{}", text(&out.stderr), nats.log("n1"));
    assert_eq!(text(&out.stdout), "Hello World!");
    assert!(!nats.log("n1").contains("Permissions Violation"), "{}", nats.log("n1"));

    // The mesh's admin reads the result back; no user, no result.
    let flow = events(&trace, "flow.start")[0]["flow"].as_str().unwrap().to_string();
    let mut result = g2n();
    result.args(["flow", "result", &flow, "--nats", &nats.urls(), "--mesh", "hello", "--nats-auth"]).arg(&auth);
    let read = output_within(result, Duration::from_secs(30));
    assert_eq!((read.status.code(), text(&read.stdout).as_str()), (Some(0), "Hello World!"), "{}", text(&read.stderr));
    let mut anonymous = g2n();
    anonymous.args(["flow", "result", &flow, "--nats", &nats.urls(), "--mesh", "hello", "--wait", "2"]);
    let refused = output_within(anonymous, Duration::from_secs(30));
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("authorization violation"), "{}", text(&refused.stderr));

    // The entry's config with a wrong password: refused at connect, with
    // the user named, exit code 1, long before any timeout.
    let wrong = temp.0.join("hello.yaml");
    std::fs::write(&wrong, std::fs::read_to_string(&seed()[0]).unwrap().replace("password: monkey", "password: donkey")).unwrap();
    let started = Instant::now();
    let out = run_over(&nats, Some(&auth), None, None, &[wrong, seed()[1].clone()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("the server refused user 'hello-world-practice' (authorization violation"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20), "the refusal took {:?}", started.elapsed());
}

#[test]
fn a_handoff_to_a_nanoservice_without_an_exit_is_refused_by_the_server() {
    let temp = Temp::new("rogue");
    let dir = repo_root().join("tests/nats_auth");
    let mesh: Vec<PathBuf> = ["a", "b", "c", "d"].iter().map(|n| dir.join(format!("{n}.yaml"))).collect();
    let auth = build_authorized(&mesh, &temp.0.join("out"), Some("rogue"));
    let conf = std::fs::read_to_string(auth.join("authorization.conf")).unwrap();
    assert!(conf.contains("\"g2n.rogue.step.c\"") && conf.contains("\"$JS.ACK.G2N_ROGUE.d.>\""), "{conf}");
    let nats = authorized_server(1, &auth, false);

    // The mesh as authorized: a -> b -> c -> d.
    let out = run_over(&nats, Some(&auth), None, None, &mesh);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "a\nb\nc\nd\n");

    // b changed since: it hands its flows to d, which its manifest did not
    // list as an exit. The server refuses the publish; b logs the reason,
    // ends the flow with it (exit code 1) and acks its step.
    let trace = temp.0.join("trace.jsonl");
    let changed = [dir.join("a.yaml"), dir.join("b-skips-c/b.yaml"), dir.join("d.yaml")];
    // One process per config, each connecting as its own user, so that the
    // hop goes through the server and its permissions (on one host, the
    // default for a mesh of configs, it would be in memory).
    let out = run_placed(&nats, Some(&auth), None, Some(&trace), &changed, &["--process-per-service"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(text(&out.stdout), "a\nb\n");
    let violation = "Permissions Violation for Publish to \"g2n.rogue.step.d\"";
    assert!(stderr.contains("handoff from 'b' to 'd' refused by the NATS server: user 'g2n-rogue-b' may not publish to g2n.rogue.step.d"), "{stderr}");
    assert!(stderr.contains(violation), "{stderr}");
    assert!(nats.log("n1").contains("Publish Violation - User \"g2n-rogue-b\", Subject \"g2n.rogue.step.d\""), "{}", nats.log("n1"));
    let refused = events(&trace, "hop.refused");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!((refused[0]["unit"].as_str(), refused[0]["to"].as_str()), (Some("b"), Some("d")));
    // The host went on: after the refusal it stored the flow's end on the
    // same connection, and nothing reached d.
    let pid = refused[0]["pid"].as_u64();
    let ends: Vec<_> = events(&trace, "flow.end").into_iter().filter(|e| e["pid"].as_u64() == pid).collect();
    assert_eq!(ends.len(), 1, "b ended the flow");
    assert_eq!(ends[0]["exit_code"].as_i64(), Some(1));
    assert!(events(&trace, "step.commit").iter().any(|e| e["pid"].as_u64() == pid), "b's step was committed (acked), not left to redelivery");
    assert!(events(&trace, "hop.recv").iter().all(|e| e["to"] != "d"));
}

#[test]
fn the_seed_runs_over_tls_and_a_tls_mesh_refuses_a_plaintext_server() {
    let nats = Nats::start_with(1, &Options { tls: true, ..Options::default() });
    let ca = nats.certs.as_ref().unwrap().ca_file.clone();
    let out = run_over(&nats, None, Some(&ca), None, &seed());
    assert_eq!(out.status.code(), Some(0), "{}\nserver log:\n{}", text(&out.stderr), nats.log("n1"));
    assert_eq!(text(&out.stdout), "Hello World!");

    // A CA that did not sign the server's certificate: no TLS session.
    let other = g2n_testkit::tls::Certs::make(nats.dir(), "other");
    let out = run_over(&nats, None, Some(&other.ca_file), None, &seed());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no TLS session within 10s (is the server's certificate signed by the CA in nats.ca_file"), "{}", text(&out.stderr));

    // The same mesh configuration, a server without TLS.
    let plain = Nats::single();
    let started = Instant::now();
    let out = run_over(&plain, None, Some(&ca), None, &seed());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("the server does not offer TLS, and this mesh requires it (nats.ca_file is set); refusing a plaintext connection"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20), "the refusal took {:?}", started.elapsed());
}

#[test]
fn the_seed_runs_over_a_tls_cluster_with_tls_routes_and_the_authorization() {
    let temp = Temp::new("tls-cluster");
    let auth = build_authorized(&seed(), &temp.0.join("out"), None);
    // The nodes' health check needs a JetStream meta leader: the routes
    // between them, TLS both ways, work.
    let nats = authorized_server(3, &auth, true);
    for node in &nats.nodes {
        let conf = std::fs::read_to_string(nats.dir().join(format!("{}.conf", node.name))).unwrap();
        assert_eq!(conf.matches("tls {").count(), 2, "client and route TLS: {conf}");
    }
    let ca = nats.certs.as_ref().unwrap().ca_file.clone();
    let trace = temp.0.join("trace.jsonl");
    let out = run_over(&nats, Some(&auth), Some(&ca), Some(&trace), &seed());
    assert_eq!(out.status.code(), Some(0), "{}\nserver log:\n{}", text(&out.stderr), nats.log("n1"));
    assert_eq!(text(&out.stdout), "Hello World!");

    let flow = events(&trace, "flow.start")[0]["flow"].as_str().unwrap().to_string();
    let mut result = g2n();
    result.args(["flow", "result", &flow, "--nats", &nats.urls(), "--mesh", "hello", "--nats-auth"]).arg(&auth).arg("--nats-ca").arg(&ca);
    let read = output_within(result, Duration::from_secs(30));
    assert_eq!((read.status.code(), text(&read.stdout).as_str()), (Some(0), "Hello World!"), "{}", text(&read.stderr));
}

#[test]
fn a_split_program_runs_with_a_generated_user_per_nanoservice() {
    let temp = Temp::new("split");
    let program = repo_root().join("tests/nats/slow_step.go");
    let auth = build_authorized(std::slice::from_ref(&program), &temp.0.join("out"), None);
    let conf = std::fs::read_to_string(auth.join("authorization.conf")).unwrap();
    for unit in ["slow_step", "work", "finish"] {
        assert!(conf.contains(&format!("user: \"g2n-slow_step-{unit}\"")), "{conf}");
    }
    let nats = authorized_server(1, &auth, false);
    let mut run = g2n();
    run.args(["run", "--engine", "nats", "--nats", &nats.urls(), "--process-per-service", "--nats-auth"]).arg(&auth).arg(&program);
    let out = output_within(run, Duration::from_secs(90));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), std::fs::read_to_string(program.with_extension("stdout")).unwrap());
    assert!(!nats.log("n1").contains("Violation"), "{}", nats.log("n1"));

    // One process for the three nanoservices: one connection per
    // nanoservice, each as its user.
    let mut shared = g2n();
    shared.args(["run", "--engine", "nats", "--nats", &nats.urls(), "--nats-auth"]).arg(&auth).arg(&program);
    let out = output_within(shared, Duration::from_secs(90));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), std::fs::read_to_string(program.with_extension("stdout")).unwrap());
    assert!(!nats.log("n1").contains("Violation"), "{}", nats.log("n1"));

    // Push delivery under the same authorization (a server of its own: a
    // mesh's consumers are of one kind): each user may subscribe to its
    // own nanoservice's deliver subject.
    let pushed = authorized_server(1, &auth, false);
    let mut run = g2n();
    run.args(["run", "--engine", "nats", "--nats", &pushed.urls(), "--process-per-service", "--nats-delivery", "push", "--nats-auth"]).arg(&auth).arg(&program);
    let out = output_within(run, Duration::from_secs(90));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), std::fs::read_to_string(program.with_extension("stdout")).unwrap());
    assert!(!pushed.log("n1").contains("Violation"), "{}", pushed.log("n1"));
}

#[test]
fn a_process_of_several_nanoservices_connects_as_each_of_them() {
    let temp = Temp::new("several");
    let program = repo_root().join("tests/nats/chaos_mesh.go");
    let auth = build_authorized(std::slice::from_ref(&program), &temp.0.join("out"), Some("several"));
    let nats = authorized_server(1, &auth, false);
    // Three hosts for five nanoservices: {chaos_mesh, b} (the origin),
    // {c, d}, {e}. The origin hands the flow from b to c as b's user; the
    // host of c and d pulls c's step as c's user and hands the flow from d
    // to e as d's user; e ends it as e's. With one user per process the
    // server would deny both handoffs (the entry's user has no exit to c,
    // c's none to e).
    let trace = temp.0.join("trace.jsonl");
    let mut run = g2n();
    run.args(["run", "--engine", "nats", "--nats", &nats.urls(), "--hosts", "3", "--nats-auth"]).arg(&auth).arg("--trace").arg(&trace).arg(&program);
    let out = output_within(run, Duration::from_secs(90));
    assert_eq!(out.status.code(), Some(0), "{}\nserver log:\n{}", text(&out.stderr), nats.log("n1"));
    assert_eq!(text(&out.stdout), std::fs::read_to_string(program.with_extension("stdout")).unwrap());
    assert!(!nats.log("n1").contains("Violation"), "{}", nats.log("n1"));
    // The hops over NATS (in-process ones are traced with addr "in-host").
    // By step: a sender writes its hop.send after the PubAck, by which time
    // the next process may have traced its own hop first.
    let mut sends: Vec<_> = events(&trace, "hop.send").into_iter().filter(|e| e["addr"] != "in-host").collect();
    sends.sort_by_key(|e| e["step"].as_u64());
    let from: Vec<(&str, &str)> = sends.iter().map(|e| (e["from"].as_str().unwrap_or(""), e["to"].as_str().unwrap_or(""))).collect();
    assert_eq!(from, [("b", "c"), ("d", "e")], "{sends:?}");
    let recv_c = events(&trace, "hop.recv").into_iter().find(|e| e["to"] == "c").expect("c received its step");
    assert_eq!(sends[1]["pid"], recv_c["pid"], "one process ran c and handed off from d");
}

/// Separate configs placed in one host process keep their own NATS users,
/// as the nanoservices of a split program do: with two hosts for a -> b ->
/// c -> d ({a, b} the origin, {c, d}), the origin hands the flow from b to
/// c as b's user (the entry's user, a's, has no exit to c and would be
/// denied) and the other host pulls c's step as c's user.
#[test]
fn separate_configs_in_one_process_connect_as_each_of_them() {
    let temp = Temp::new("configs-shared");
    let dir = repo_root().join("tests/nats_auth");
    let mesh: Vec<PathBuf> = ["a", "b", "c", "d"].iter().map(|n| dir.join(format!("{n}.yaml"))).collect();
    let auth = build_authorized(&mesh, &temp.0.join("out"), Some("shared"));
    let nats = authorized_server(1, &auth, false);
    let trace = temp.0.join("trace.jsonl");
    let out = run_placed(&nats, Some(&auth), None, Some(&trace), &mesh, &["--hosts", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}\nserver log:\n{}", text(&out.stderr), nats.log("n1"));
    assert_eq!(text(&out.stdout), "a\nb\nc\nd\n");
    assert!(!nats.log("n1").contains("Violation"), "{}", nats.log("n1"));
    let sends: Vec<_> = events(&trace, "hop.send").into_iter().filter(|e| e["addr"] != "in-host").collect();
    let over_nats: Vec<(&str, &str)> = sends.iter().map(|e| (e["from"].as_str().unwrap_or(""), e["to"].as_str().unwrap_or(""))).collect();
    assert_eq!(over_nats, [("b", "c")], "{sends:?}");
    let pids: std::collections::BTreeSet<u64> = events(&trace, "hop.recv").iter().filter_map(|e| e["pid"].as_u64()).collect();
    assert_eq!(pids.len(), 2, "a and b in one process, c and d in the other");
}
