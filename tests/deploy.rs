//! Deployed meshes (docs/deploy.md): `g2n deploy`, `g2n host`, `g2n start`,
//! `g2n status` and `g2n rollback` against nats-servers the tests start
//! (crates/testkit). The mesh is tests/deploy/vN/lines.go split per line
//! (an entry and five `line-N` nanoservices); v2 changes the constant of
//! line 11's Printf, v3 makes line 11 read another variable. Expected
//! outputs come from real Go (tests/deploy/regenerate.sh). Every process a
//! test starts is stopped by it; every wait is bounded.

// The live-replacement test reports what it measured (flows old/new, swap time) on stderr.
#![allow(clippy::print_stderr)]

#[path = "support/bounded.rs"]
mod bounded;

use bounded::output_within;
use g2n_testkit::Nats;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The nanoservice the tests replace.
const LINE: &str = "line-11";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn g2n() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_g2n"));
    c.env("G2N_SPLIT_PASSWORD", "deploy-test-secret").env_remove("G2N_RUNTIME");
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(command: Command, limit: Duration) -> String {
    let out = output_within(command, limit);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-deploy-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Splits version `v` per line and builds it for NATS into DIR/vV/out.
fn build(dir: &Path, v: u32) -> (PathBuf, String) {
    let source = repo_root().join(format!("tests/deploy/v{v}"));
    let work = dir.join(format!("v{v}"));
    std::fs::create_dir_all(&work).unwrap();
    std::fs::copy(source.join("lines.go"), work.join("lines.go")).unwrap();
    let mut split = g2n();
    split.current_dir(&work).args(["split", "--per-line", "lines.go", "-o", "split"]);
    ok(split, Duration::from_secs(60));
    let mut b = g2n();
    b.current_dir(&work).args(["build", "--engine", "nats", "split", "-o", "out"]);
    ok(b, Duration::from_secs(300));
    let expected = std::fs::read_to_string(source.join("lines.stdout")).unwrap_or_default();
    (work.join("out"), expected)
}

/// The loopback address host `name` (`a`, `b`, ...) and its processes
/// connect from: 127.0.2.1, 127.0.2.2, ...
fn host_address(name: &str) -> String {
    format!("127.0.2.{}", 1 + name.bytes().next().unwrap_or(b'a').saturating_sub(b'a'))
}

/// `g2n host` agents, stopped (SIGTERM, then SIGKILL) when dropped.
struct Hosts {
    children: Vec<(String, Child)>,
    /// `--nats-auth DIR --nats-ca FILE`, or nothing.
    access: Vec<OsString>,
}

impl Hosts {
    /// Starts host `name`, serving `serve` (empty: every nanoservice).
    fn start(&mut self, nats: &Nats, dir: &Path, name: &str, trace: &Path, serve: &[&str]) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(format!("host-{name}.log"))).unwrap();
        let mut host = g2n();
        host.args(["host", "--nats", &nats.urls(), "--name", name, "--drain-ms", "3000", "--bind", &host_address(name), "--cache"])
            .arg(dir.join(format!("cache-{name}")))
            .arg("--trace")
            .arg(trace)
            .args(&self.access);
        if !serve.is_empty() {
            host.arg("--serve").args(serve);
        }
        host.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        self.children.push((name.to_string(), host.spawn().expect("start g2n host")));
    }

    fn kill(&mut self, name: &str) {
        if let Some(i) = self.children.iter().position(|(n, _)| n == name) {
            let (_, mut child) = self.children.remove(i);
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        for (_, child) in &self.children {
            g2n_testkit::signal(child.id(), g2n_testkit::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(8);
        for (_, child) in &mut self.children {
            while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn status(nats: &Nats) -> Value {
    status_as(nats, &[])
}

/// `g2n status --json` with `access` (`--nats-auth`, `--nats-ca`).
fn status_as(nats: &Nats, access: &[OsString]) -> Value {
    let mut s = g2n();
    s.args(["status", "--json", "--nats", &nats.urls()]).args(access);
    serde_json::from_str(&ok(s, Duration::from_secs(30))).expect("status --json")
}

fn unit<'a>(status: &'a Value, name: &str) -> &'a Value {
    status["nanoservices"].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap_or_else(|| panic!("no {name} in {status}"))
}

/// Waits (bounded) until every nanoservice runs its desired version on
/// each of `hosts` that serves it, `per_host` ready process(es) each, and
/// nothing else (no old version left draining).
fn wait_converged(nats: &Nats, hosts: &[&str], per_host: usize) -> Value {
    wait_converged_as(nats, hosts, per_host, &[])
}

fn wait_converged_as(nats: &Nats, hosts: &[&str], per_host: usize, access: &[OsString]) -> Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let s = status_as(nats, access);
        let reports: Vec<&Value> = s["hosts"].as_array().unwrap().iter().filter(|h| hosts.contains(&h["host"].as_str().unwrap_or(""))).collect();
        let converged = reports.len() == hosts.len()
            && s["nanoservices"].as_array().unwrap().iter().all(|u| {
                reports.iter().all(|h| {
                    let serves = h["serves"].as_array().is_none_or(|s| s.contains(&u["name"]));
                    let procs = h["units"][u["name"].as_str().unwrap()].as_array().cloned().unwrap_or_default();
                    let want = if serves { per_host } else { 0 };
                    procs.len() == want && procs.iter().all(|p| p["version"] == u["version"] && p["state"] == "ready")
                })
            });
        if converged {
            return s;
        }
        assert!(Instant::now() < deadline, "hosts {hosts:?} did not converge; last status:\n{s:#}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The pid of every process of every nanoservice but `except`, by host.
fn pids(s: &Value, except: &str) -> BTreeMap<(String, String), Vec<u64>> {
    let mut out = BTreeMap::new();
    for h in s["hosts"].as_array().unwrap() {
        for (name, procs) in h["units"].as_object().unwrap() {
            if name != except {
                let pids = procs.as_array().unwrap().iter().map(|p| p["pid"].as_u64().unwrap()).collect();
                out.insert((h["host"].as_str().unwrap().to_string(), name.clone()), pids);
            }
        }
    }
    out
}

fn start_flow(nats: &Nats, dir: &Path, trace: &Path) -> Output {
    start_flow_as(nats, dir, trace, &[])
}

fn start_flow_as(nats: &Nats, dir: &Path, trace: &Path, access: &[OsString]) -> Output {
    let mut start = g2n();
    start.args(["start", "lines", "--nats", &nats.urls(), "--cache"]).arg(dir.join("cache-start")).arg("--trace").arg(trace).args(access);
    output_within(start, Duration::from_secs(60))
}

/// Every flow of the trace committed each of its steps exactly once.
fn assert_each_step_once(trace: &Path, flows: usize) {
    let text = std::fs::read_to_string(trace).unwrap_or_default();
    let events: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let started: BTreeSet<String> = events.iter().filter(|e| e["message"] == "flow.start").map(|e| e["flow"].as_str().unwrap().to_string()).collect();
    assert_eq!(started.len(), flows, "flows started");
    let mut commits: BTreeMap<(String, u64), u32> = BTreeMap::new();
    for e in events.iter().filter(|e| e["message"] == "step.commit") {
        *commits.entry((e["flow"].as_str().unwrap().to_string(), e["step"].as_u64().unwrap())).or_default() += 1;
    }
    for flow in &started {
        let steps: Vec<(u64, u32)> = commits.iter().filter(|((f, _), _)| f == flow).map(|((_, s), n)| (*s, *n)).collect();
        // The entry and five lines: six steps, 0 to 5, each committed once.
        assert_eq!(steps, (0..6).map(|s| (s, 1)).collect::<Vec<_>>(), "flow {flow}'s steps");
    }
}

#[test]
fn a_line_is_replaced_mid_loop_refused_when_incompatible_rolled_back_and_hosts_converge() {
    let dir = temp("live");
    let (v1, v1_out) = build(&dir, 1);
    let (v2, v2_out) = build(&dir, 2);
    let (v3, _) = build(&dir, 3);
    assert_ne!(v1_out, v2_out);
    let nats = Nats::cluster();
    let trace = dir.join("trace.jsonl");

    let mut deploy = g2n();
    deploy.args(["deploy", "--nats", &nats.urls(), "--ack-wait-ms", "3000"]).arg(&v1);
    let printed = ok(deploy, Duration::from_secs(120));
    assert!(printed.contains(&format!("{LINE}: deployed ")), "{printed}");

    // Three hosts, all started after the deploy: a and b serve every
    // nanoservice, c the last three lines.
    let mut hosts = Hosts { children: Vec::new(), access: Vec::new() };
    hosts.start(&nats, &dir, "a", &trace, &[]);
    hosts.start(&nats, &dir, "b", &trace, &[]);
    hosts.start(&nats, &dir, "c", &trace, &["line-11", "line-12", "line-13"]);
    let before = wait_converged(&nats, &["a", "b", "c"], 1);
    // Three hosts, three addresses: the servers see each host's agent and
    // processes connect from its own.
    let client_ips: std::collections::BTreeSet<String> = nats.nodes.iter().flat_map(|n| n.connections()).map(|(ip, _)| ip).collect();
    for name in ["a", "b", "c"] {
        assert!(client_ips.contains(&host_address(name)), "no connection from host {name}'s {}: {client_ips:?}", host_address(name));
    }
    assert_eq!((unit(&before, LINE)["desired"].as_u64(), unit(&before, "line-9")["desired"].as_u64()), (Some(3), Some(2)));
    let out = start_flow(&nats, &dir, &trace);
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), v1_out.clone()), "{}", text(&out.stderr));

    // Two loops of flows; line-11 is replaced while they run.
    let stop = Arc::new(AtomicBool::new(false));
    let results: Arc<Mutex<Vec<(Instant, Instant, Output)>>> = Arc::new(Mutex::new(Vec::new()));
    let nats = Arc::new(nats);
    let loops: Vec<_> = (0..2)
        .map(|_| {
            let (stop, results, nats, dir, trace) = (stop.clone(), results.clone(), nats.clone(), dir.clone(), trace.clone());
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(240);
                while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                    let began = Instant::now();
                    let out = start_flow(&nats, &dir, &trace);
                    results.lock().unwrap().push((began, Instant::now(), out));
                }
            })
        })
        .collect();
    let wait_flows = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(120);
        while results.lock().unwrap().len() < n {
            assert!(Instant::now() < deadline, "flows do not finish");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_flows(4);
    let swap_began = Instant::now();
    let mut replace = g2n();
    replace.args(["deploy", "--nats", &nats.urls(), "--only", LINE]).arg(&v2);
    let printed = ok(replace, Duration::from_secs(120));
    assert!(printed.contains("(compatible)"), "{printed}");
    let after = wait_converged(&nats, &["a", "b", "c"], 1);
    let converged_at = Instant::now();
    let done = results.lock().unwrap().len();
    wait_flows(done + 6);
    stop.store(true, Ordering::SeqCst);
    for l in loops {
        l.join().unwrap();
    }
    let results = results.lock().unwrap();
    let mut old = 0;
    let mut across = 0;
    for (began, ended, out) in results.iter() {
        across += usize::from(*began < converged_at && *ended > swap_began);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "a flow failed: {stdout}\n{}", text(&out.stderr));
        assert!(stdout == v1_out || stdout == v2_out, "a flow printed {stdout:?}");
        if *began > converged_at {
            assert_eq!(stdout, v2_out, "a flow started after the swap");
        }
        old += usize::from(stdout == v1_out);
    }
    assert!(old >= 4, "flows before the swap ran the old version");
    eprintln!(
        "{} flows: {old} printed the old line, {} the new; {across} ran while the swap did; deploy --only to converged: {:?}",
        results.len(),
        results.len() - old,
        converged_at - swap_began
    );
    // Only line-11's processes changed.
    assert_eq!(pids(&before, LINE), pids(&after, LINE));
    assert_ne!(unit(&before, LINE)["version"], unit(&after, LINE)["version"]);
    assert_each_step_once(&trace, results.len() + 1);

    // An incompatible replacement is refused with the diff's reason.
    let mut refused = g2n();
    refused.args(["deploy", "--nats", &nats.urls(), "--only", LINE]).arg(&v3);
    let out = output_within(refused, Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("resume point") && text(&out.stderr).contains("now captures `n` (int)"), "{}", text(&out.stderr));
    let unchanged = status(&nats);
    assert_eq!(unchanged["revision"], after["revision"], "the refused deploy changed the desired state");
    assert_eq!(unit(&unchanged, LINE)["version"], unit(&after, LINE)["version"]);

    // Rollback: new flows print the old text again.
    let mut rollback = g2n();
    rollback.args(["rollback", LINE, "--nats", &nats.urls()]);
    assert!(ok(rollback, Duration::from_secs(60)).contains("rolled back"));
    let rolled = wait_converged(&nats, &["a", "b", "c"], 1);
    assert_eq!(unit(&rolled, LINE)["version"], unit(&before, LINE)["version"]);
    let out = start_flow(&nats, &dir, &trace);
    assert_eq!(text(&out.stdout), v1_out);

    // A killed host's processes die with it; started again, it resumes its share.
    let a_pids: Vec<u64> = pids(&rolled, "").into_iter().filter(|((h, _), _)| h == "a").flat_map(|(_, p)| p).collect();
    assert_eq!(a_pids.len(), 6);
    hosts.kill("a");
    let deadline = Instant::now() + Duration::from_secs(10);
    while a_pids.iter().any(|pid| Path::new(&format!("/proc/{pid}")).exists()) {
        assert!(Instant::now() < deadline, "host a's processes outlived it");
        std::thread::sleep(Duration::from_millis(50));
    }
    hosts.start(&nats, &dir, "a", &trace, &[]);
    let agent = hosts.children.last().map(|(_, c)| u64::from(c.id())).unwrap();
    // The killed agent's report lives on until its TTL: wait for the new one's.
    let deadline = Instant::now() + Duration::from_secs(60);
    let resumed = loop {
        let s = wait_converged(&nats, &["a", "b", "c"], 1);
        if s["hosts"].as_array().unwrap().iter().any(|h| h["host"] == "a" && h["pid"].as_u64() == Some(agent)) {
            break s;
        }
        assert!(Instant::now() < deadline, "the restarted host a does not report");
        std::thread::sleep(Duration::from_millis(200));
    };
    let a = resumed["hosts"].as_array().unwrap().iter().find(|h| h["host"] == "a").unwrap();
    assert_eq!(a["units"].as_object().unwrap().len(), 6, "host a runs its share again: {a}");
    let restarted: Vec<u64> = pids(&resumed, "").into_iter().filter(|((h, _), _)| h == "a").flat_map(|(_, p)| p).collect();
    assert!(restarted.iter().all(|p| !a_pids.contains(p)), "host a's processes are new ones");
    let out = start_flow(&nats, &dir, &trace);
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), v1_out));
    drop(hosts);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_host_refuses_a_corrupted_artifact() {
    let dir = temp("corrupt");
    let (v1, _) = build(&dir, 1);
    let nats = Nats::single();
    let mut deploy = g2n();
    deploy.args(["deploy", "--nats", &nats.urls()]).arg(&v1);
    ok(deploy, Duration::from_secs(120));
    // Replace the executable's object with other bytes under its name.
    let s = status(&nats);
    let hash = unit(&s, LINE)["version"].as_str().unwrap().to_string();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let client = async_nats::connect(nats.nodes[0].url()).await.unwrap();
        let js = async_nats::jetstream::new(client);
        let store = js.get_object_store(g2n_deploy::names::artifacts_bucket("lines")).await.unwrap();
        let mut bad: &[u8] = b"#!/bin/sh\necho not the deployed program\n";
        store.put(g2n_deploy::names::object_name(&hash), &mut bad).await.unwrap();
    });
    let trace = dir.join("trace.jsonl");
    let mut hosts = Hosts { children: Vec::new(), access: Vec::new() };
    hosts.start(&nats, &dir, "a", &trace, &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let refused = loop {
        let s = status(&nats);
        let reasons: Vec<String> = s["nanoservices"].as_array().unwrap().iter().flat_map(|u| u["refused"].as_array().cloned().unwrap_or_default()).map(|r| r["reason"].to_string()).collect();
        if reasons.len() == 6 {
            break s;
        }
        assert!(Instant::now() < deadline, "the host did not refuse the artifact: {s:#}");
        std::thread::sleep(Duration::from_millis(200));
    };
    for u in refused["nanoservices"].as_array().unwrap() {
        assert_eq!(u["running"], 0, "{u}");
        assert!(u["refused"][0]["reason"].as_str().unwrap().contains("is corrupted: its bytes hash to"), "{u}");
    }
    let log = std::fs::read_to_string(dir.join("host-a.log")).unwrap();
    assert!(log.contains(&format!("refusing {LINE}")) && log.contains("is corrupted"), "{log}");
    // Deploying the build again uploads the executable again (the stored
    // object's digest is another), and the host, trying again, runs it.
    let mut again = g2n();
    again.args(["deploy", "--nats", &nats.urls()]).arg(&v1);
    assert!(ok(again, Duration::from_secs(120)).contains("nothing to change"));
    let repaired = wait_converged(&nats, &["a"], 1);
    assert!(repaired["nanoservices"].as_array().unwrap().iter().all(|u| u["running"] == 1 && u["refused"].as_array().unwrap().is_empty()), "{repaired:#}");
    let out = start_flow(&nats, &dir, &trace);
    assert_eq!(text(&out.stdout), std::fs::read_to_string(repo_root().join("tests/deploy/v1/lines.stdout")).unwrap());
    drop(hosts);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_host_keeps_its_processes_while_the_engine_is_unreachable() {
    let dir = temp("unreachable");
    let (v1, _) = build(&dir, 1);
    let mut nats = Nats::single();
    let mut deploy = g2n();
    deploy.args(["deploy", "--nats", &nats.urls()]).arg(&v1);
    ok(deploy, Duration::from_secs(120));
    let trace = dir.join("trace.jsonl");
    let mut hosts = Hosts { children: Vec::new(), access: Vec::new() };
    hosts.start(&nats, &dir, "a", &trace, &[]);
    let running = wait_converged(&nats, &["a"], 1);
    let pids: Vec<u64> = pids(&running, "").into_values().flatten().collect();
    assert_eq!(pids.len(), 6);
    nats.kill_node(0);
    // Longer than a few polls and reports: nothing is stopped.
    std::thread::sleep(Duration::from_secs(4));
    for pid in &pids {
        assert!(Path::new(&format!("/proc/{pid}")).exists(), "process {pid} was stopped while the engine was unreachable");
    }
    drop(hosts);
    let log = std::fs::read_to_string(dir.join("host-a.log")).unwrap();
    assert!(log.contains("the engine is unreachable") && log.contains("keeping the 6 process(es) that run"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_deploy_runs_over_the_generated_authorization_and_tls_and_a_host_with_wrong_credentials_is_refused() {
    let dir = temp("auth");
    let (v1, v1_out) = build(&dir, 1);
    let auth = v1.join("nats");
    let options = g2n_testkit::Options { tls: true, include: Some(auth.join("authorization.conf")), ..Default::default() };
    let nats = Nats::start_with(1, &options);
    let ca = nats.certs.as_ref().unwrap().ca_file.clone();
    let access: Vec<OsString> = vec!["--nats-auth".into(), auth.clone().into(), "--nats-ca".into(), ca.clone().into()];

    // Without a user the server refuses the deployer.
    let mut anonymous = g2n();
    anonymous.args(["deploy", "--nats", &nats.urls(), "--nats-ca"]).arg(&ca).arg(&v1);
    let out = output_within(anonymous, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("authorization violation"), "{}", text(&out.stderr));

    let mut deploy = g2n();
    deploy.args(["deploy", "--nats", &nats.urls()]).args(&access).arg(&v1);
    assert!(ok(deploy, Duration::from_secs(120)).contains(&format!("{LINE}: deployed ")));
    // The host gets credentials.json without the admin (deployer) user.
    let host_auth = dir.join("host-nats");
    std::fs::create_dir_all(&host_auth).unwrap();
    let mut trimmed: Value = serde_json::from_str(&std::fs::read_to_string(auth.join("credentials.json")).unwrap()).unwrap();
    trimmed.as_object_mut().unwrap().remove("admin");
    std::fs::write(host_auth.join("credentials.json"), trimmed.to_string()).unwrap();
    let host_access: Vec<OsString> = vec!["--nats-auth".into(), host_auth.into(), "--nats-ca".into(), ca.clone().into()];
    let trace = dir.join("trace.jsonl");
    let mut hosts = Hosts { children: Vec::new(), access: host_access.clone() };
    hosts.start(&nats, &dir, "a", &trace, &[]);
    wait_converged_as(&nats, &["a"], 1, &access);
    let out = start_flow_as(&nats, &dir, &trace, &host_access);
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), v1_out), "{}\nserver log:\n{}", text(&out.stderr), nats.log("n1"));
    assert_each_step_once(&trace, 1);
    // Rollback connects as the deployer and reads the desired state (there
    // is no previous version to put back).
    let mut rollback = g2n();
    rollback.args(["rollback", LINE, "--nats", &nats.urls()]).args(&access);
    let out = output_within(rollback, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(&format!("nanoservice '{LINE}' has no previous version to roll back to")), "{}", text(&out.stderr));
    // Every connection (deployer, host agent, each process as its
    // nanoservice's user, the origin) stayed within its rights.
    assert!(!nats.log("n1").contains("Violation"), "{}", nats.log("n1"));

    // A nanoservice's user cannot read the desired state (it holds the
    // handoff key): only the deployer and the host agents may.
    let desired = format!("KV_{}", g2n_deploy::names::desired_bucket("lines"));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let read = rt.block_on(async {
        let options = async_nats::ConnectOptions::new()
            .user_and_password(LINE.into(), "deploy-test-secret".into())
            .custom_inbox_prefix(format!("_G2N_INBOX.{LINE}"))
            .add_root_certificates(ca.clone())
            .require_tls(true);
        let client = options.connect(nats.nodes[0].url()).await.expect("connect as line-11's user");
        let subject = format!("$JS.API.DIRECT.GET.{desired}.$KV.{}.desired", g2n_deploy::names::desired_bucket("lines"));
        tokio::time::timeout(Duration::from_secs(5), client.request(subject, "".into())).await
    });
    assert!(!matches!(read, Ok(Ok(_))), "line-11's user read the desired state");
    // The host agents' user may read the desired state but not write it.
    let credentials: Value = serde_json::from_str(&std::fs::read_to_string(auth.join("credentials.json")).unwrap()).unwrap();
    let host_user = credentials["host"]["username"].as_str().unwrap().to_string();
    let desired_key = format!("$KV.{}.desired", g2n_deploy::names::desired_bucket("lines"));
    rt.block_on(async {
        let options = async_nats::ConnectOptions::new()
            .user_and_password(host_user.clone(), credentials["host"]["password"].as_str().unwrap().into())
            .custom_inbox_prefix(format!("_G2N_INBOX.{host_user}"))
            .add_root_certificates(ca.clone())
            .require_tls(true);
        let client = options.connect(nats.nodes[0].url()).await.expect("connect as the host agents' user");
        let _ = client.publish(desired_key.clone(), "{}".into()).await;
        let _ = client.flush().await;
    });
    for violation in [format!("Publish Violation - User \"{LINE}\", Subject \"$JS.API.DIRECT.GET.{desired}"), format!("Publish Violation - User \"{host_user}\", Subject \"{desired_key}\"")] {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !nats.log("n1").contains(&violation) {
            assert!(Instant::now() < deadline, "no {violation} in:\n{}", nats.log("n1"));
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let s = status_as(&nats, &access);
    assert_eq!(s["revision"], 1, "the desired state was written: {s:#}");

    // A host agent with a wrong password is refused and stops.
    let wrong = dir.join("wrong-nats");
    std::fs::create_dir_all(&wrong).unwrap();
    let mut credentials = credentials;
    credentials["host"]["password"] = "not-the-password".into();
    std::fs::write(wrong.join("credentials.json"), credentials.to_string()).unwrap();
    let mut intruder = g2n();
    intruder.args(["host", "--nats", &nats.urls(), "--name", "intruder", "--cache"]).arg(dir.join("cache-intruder")).arg("--nats-auth").arg(&wrong).arg("--nats-ca").arg(&ca);
    let out = output_within(intruder, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("authorization violation"), "{}", text(&out.stderr));
    let s = status_as(&nats, &access);
    assert!(s["hosts"].as_array().unwrap().iter().all(|h| h["host"] != "intruder"), "{s:#}");
    drop(hosts);
    let _ = std::fs::remove_dir_all(&dir);
}
