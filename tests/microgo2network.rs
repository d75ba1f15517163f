//! microgo2network: a generated chain of separate nanoservice configs
//! (crates/bench/src/chain.rs), each using the variable of the one before
//! and hopping to the next, built into one executable and run on one host.
//!
//! The chain has the full 65,535 configs (`G2N_MICROGO2NETWORK_N`
//! sets another size). With a debug g2n that is about two minutes of CPU
//! (docs/performance.md, "microgo2network in `cargo test`"), most of it
//! compiling the configs; the benchmark (`g2n-bench --microgo2network`)
//! measures the release g2n. The output is N only if every config ran once
//! and every hop carried its value; the trace shows every hop, in memory,
//! in one process. Every run is bounded in time.

// The Go twin (`go_program`) is the benchmark's: these tests run without Go.
#[path = "../crates/bench/src/chain.rs"]
#[allow(dead_code)]
mod chain;

#[path = "support/bounded.rs"]
mod bounded;

use bounded::output_within;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn chain_len() -> usize {
    std::env::var("G2N_MICROGO2NETWORK_N").ok().and_then(|v| v.parse().ok()).filter(|&n| n >= 2).unwrap_or(65_535)
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-micro-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn g2n() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g2n"));
    command.env_remove("G2N_RUNTIME");
    command
}

/// The limit for a build and run of `n` configs with a debug g2n: about
/// 2 ms of CPU per config measured here, and room for a machine shared with
/// other builds (the full chain took 14 minutes of wall time at a load of
/// 13 on 2 cores, for 2 minutes of CPU).
fn limit(n: usize) -> Duration {
    Duration::from_secs(120) + Duration::from_millis(25 * n as u64)
}

/// The (pid, from, to, peer) of every `hop.recv` event of a trace, in step
/// order (several processes append to the trace).
fn hops(trace: &Path) -> Vec<(u64, String, String, String)> {
    let text = std::fs::read_to_string(trace).expect("trace");
    let mut events: Vec<(u64, (u64, String, String, String))> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["message"] == "hop.recv")
        .map(|event| {
            let s = |k: &str| event[k].as_str().unwrap_or_default().to_string();
            (event["step"].as_u64().unwrap_or(0), (event["pid"].as_u64().unwrap_or(0), s("from"), s("to"), s("peer")))
        })
        .collect();
    events.sort_by_key(|e| e.0);
    events.into_iter().map(|e| e.1).collect()
}

/// Checks that `hops` are the chain's, in order; returns the processes that
/// received them.
fn check_every_hop(hops: &[(u64, String, String, String)], n: usize) -> BTreeSet<u64> {
    assert_eq!(hops.len(), n - 1, "one hop into every config after the first");
    for (i, (_, from, to, _)) in hops.iter().enumerate() {
        assert_eq!((from.as_str(), to.as_str()), (chain::config_name(i).as_str(), chain::config_name(i + 1).as_str()));
    }
    hops.iter().map(|h| h.0).collect()
}

#[test]
fn a_chain_of_separate_configs_runs_on_one_host() {
    let n = chain_len();
    let dir = temp_dir("one-host");
    chain::write_configs(&dir.join("chain"), n).expect("configs");
    let trace = dir.join("trace.jsonl");
    let out = output_within(g2n().arg("run").arg("--trace").arg(&trace).arg(dir.join("chain")), limit(n));
    assert!(out.status.success(), "g2n run failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), chain::expected_output(n));
    // The trace of the full chain is 131,070 JSON lines: read once.
    let hops = hops(&trace);
    let pids = check_every_hop(&hops, n);
    assert_eq!(pids.len(), 1, "every hop in one process");
    assert!(hops.iter().all(|h| h.3 == "in-host"), "every hop in memory");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_one_host_executable_runs_the_mesh_by_itself() {
    let n = 40;
    let dir = temp_dir("exe");
    chain::write_configs(&dir.join("chain"), n).expect("configs");
    let exe = dir.join("chain-exe");
    let out = output_within(g2n().args(["build", "--one-host"]).arg(dir.join("chain")).arg("-o").arg(&exe), limit(n));
    assert!(out.status.success(), "g2n build --one-host failed: {}", String::from_utf8_lossy(&out.stderr));
    let out = output_within(Command::new(&exe).env_remove("G2N_RUNTIME"), Duration::from_secs(60));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), chain::expected_output(n));
    // A single program has nothing to put on one host.
    let single = dir.join("single");
    chain::write_configs(&single, 1).expect("config");
    let out = output_within(g2n().args(["build", "--one-host"]).arg(&single).arg("-o").arg(dir.join("x")), limit(1));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--one-host builds a mesh of several nanoservice configs"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hosts_and_process_per_service_still_spread_a_mesh_of_configs() {
    let n = 12;
    let dir = temp_dir("spread");
    chain::write_configs(&dir.join("chain"), n).expect("configs");
    // The processes that receive hops: all three hosts (the entry's holds
    // the next configs too), or every config's but the entry's.
    for (flags, processes) in [(vec!["--hosts", "3"], 3), (vec!["--process-per-service"], n - 1)] {
        let trace = dir.join(format!("trace-{processes}.jsonl"));
        let out = output_within(g2n().arg("run").args(&flags).arg("--trace").arg(&trace).arg(dir.join("chain")), limit(n));
        assert!(out.status.success(), "g2n run {flags:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), chain::expected_output(n), "{flags:?}");
        let pids = check_every_hop(&hops(&trace), n);
        assert_eq!(pids.len(), processes, "{flags:?}: hops received by every other process");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
