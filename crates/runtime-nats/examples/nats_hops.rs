//! NATS engine benchmark (not a test):
//!
//! ```sh
//! cargo build --release -p g2n && cargo run --release -p g2n-runtime-nats --example nats_hops [-- --hops N --flows N]
//! ```
//!
//! On one nats-server with JetStream that it starts on loopback, in one run:
//! a plain NATS request-reply of a handoff's size (the floor), a JetStream
//! publish of that size until its PubAck (what every step's handoff waits
//! for), the hop of a g2n flow bouncing between two host processes over
//! NATS, and the same flow's hop over g2n's TCP protocol; then flows per
//! second through one nanoservice (the seed's `print-hello-world`) with 1,
//! 2 and 4 host processes. The g2n command is `$G2N_BIN`, else the
//! workspace's release (then debug) build.

// A benchmark's report is its standard output.
#![allow(clippy::print_stdout)]

use async_nats::jetstream::message::PublishMessage;
use futures_util::StreamExt;
use g2n_runtime::wire;
use g2n_testkit::Nats;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BOUNCE: &str = "package main

import \"fmt\"

func main() {
\tn := 0
\tfor i := 0; i < HOPS; i++ {
\t\tgoToNetwork 'ping'
\t\tn++
\t\tgoToNetwork 'pong'
\t\tn++
\t}
\tfmt.Println(n)
}
";

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn g2n_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("G2N_BIN") {
        return p.into();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for profile in ["release", "debug"] {
        let p = root.join("target").join(profile).join("g2n");
        if p.is_file() {
            return p;
        }
    }
    panic!("build g2n first (cargo build --release -p g2n) or set G2N_BIN");
}

fn percentiles(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let at = |p: usize| v[(v.len() * p / 100).min(v.len() - 1)].as_secs_f64() * 1e6;
    (at(50), at(99))
}

/// One trace event of a hop: its step, when it was written (seconds of
/// the day) and its µs fields.
struct Stamp {
    step: u64,
    at: f64,
    latency_us: f64,
    queued_us: f64,
}

/// The `what` events of a trace, by step.
fn stamps(trace: &Path, what: &str) -> std::collections::BTreeMap<u64, Stamp> {
    let text = std::fs::read_to_string(trace).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["message"] == what)
        .filter_map(|e| {
            let t = e["timestamp"].as_str()?;
            // 2026-12-05T07:14:28.548267Z: seconds of the day are enough.
            let clock = t.split('T').nth(1)?.trim_end_matches('Z');
            let mut parts = clock.split(':');
            let (h, m, s): (f64, f64, f64) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
            let us = |name: &str| e[name].as_u64().unwrap_or(0) as f64 * 1e-6;
            let step = e["step"].as_u64()?;
            Some((step, Stamp { step, at: h * 3600.0 + m * 60.0 + s, latency_us: us("latency_us"), queued_us: us("queued_us") }))
        })
        .collect()
}

/// Per-hop times of a bouncing flow: the intervals between consecutive
/// `hop.recv` events in its trace (each a hop plus a step that only counts).
fn hop_intervals(trace: &Path) -> Vec<Duration> {
    let recv = stamps(trace, "hop.recv");
    let recv: Vec<&Stamp> = recv.values().collect();
    recv.windows(2).filter(|w| w[1].step == w[0].step + 1).map(|w| Duration::from_secs_f64((w[1].at - w[0].at).max(0.0))).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0) * 1e6
}

/// Where a NATS hop's time goes (medians over the hops, µs), from the
/// trace: `hop.recv` of step k-1 on one host, `hop.send` of step k there
/// (written after the PubAck; `latency_us` is the publish until it),
/// `hop.recv` of step k on the other (`queued_us`: the I/O thread's
/// hand-over to a step thread until that thread ran; `latency_us`: the
/// checks after it).
fn breakdown(trace: &Path) {
    let (recv, send) = (stamps(trace, "hop.recv"), stamps(trace, "hop.send"));
    let (mut run, mut transit, mut queued, mut check, mut puback) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (step, r) in &recv {
        let (Some(prev), Some(s)) = (recv.get(&(step.wrapping_sub(1))), send.get(step)) else { continue };
        let publish_begins = s.at - s.latency_us;
        run.push(publish_begins - prev.at);
        transit.push(r.at - r.latency_us - r.queued_us - publish_begins);
        queued.push(r.queued_us);
        check.push(r.latency_us);
        puback.push(s.latency_us);
    }
    println!(
        "\nNATS hop, where the time goes (medians, µs): sender's step until its publish {:.0}; publish until the receiver's I/O thread hands it over {:.0}; step thread wake-up {:.0}; checks {:.0}. (Publish until PubAck on the sender: {:.0}.)",
        median(run),
        median(transit),
        median(queued),
        median(check),
        median(puback)
    );
}

fn run_bounce(dir: &Path, args: &[&str], hops: usize, label: &str) -> Vec<Duration> {
    let program = dir.join("bounce.go");
    std::fs::write(&program, BOUNCE.replace("HOPS", &(hops / 2).to_string())).unwrap();
    let trace = dir.join(format!("{label}.jsonl"));
    let _ = std::fs::remove_file(&trace);
    let out = Command::new(g2n_bin()).arg("run").args(args).arg("--process-per-service").arg("--trace").arg(&trace).arg(&program).output().unwrap();
    assert!(out.status.success(), "{label}: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), (hops / 2 * 2).to_string());
    hop_intervals(&trace)
}

fn main() {
    let hops = arg("--hops", 1000);
    let flows = arg("--flows", 1000);
    let nats = Nats::single();
    let url = nats.urls();
    let dir = nats.dir().join("bench");
    std::fs::create_dir_all(&dir).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = runtime.block_on(async_nats::connect(url.as_str())).unwrap();
    let js = {
        let _inside = runtime.enter();
        async_nats::jetstream::new(client.clone())
    };
    let payload = bytes::Bytes::from(vec![7u8; 150]);

    // The floor: request-reply of a handoff's size through the same server.
    let responder = runtime.block_on(client.subscribe("bench.echo")).unwrap();
    let echo = client.clone();
    runtime.spawn(async move {
        let mut responder = responder;
        while let Some(m) = responder.next().await {
            if let Some(reply) = m.reply {
                let _ = echo.publish(reply, m.payload).await;
            }
        }
    });
    let mut rr = Vec::new();
    for _ in 0..hops {
        let t = Instant::now();
        runtime.block_on(client.request("bench.echo", payload.clone())).unwrap();
        rr.push(t.elapsed());
    }
    // A JetStream store: publish with an id until PubAck.
    runtime
        .block_on(js.get_or_create_stream(async_nats::jetstream::stream::Config {
            name: "BENCH".into(),
            subjects: vec!["bench.store".into()],
            retention: async_nats::jetstream::stream::RetentionPolicy::WorkQueue,
            ..Default::default()
        }))
        .unwrap();
    let mut store = Vec::new();
    for i in 0..hops {
        let t = Instant::now();
        runtime
            .block_on(async { js.send_publish("bench.store", PublishMessage::build().message_id(i.to_string()).payload(payload.clone())).await.unwrap().await })
            .unwrap();
        store.push(t.elapsed());
    }
    // A JetStream hop without g2n: publish with an id until a waiting
    // pull consumer (another connection) receives the message. This is
    // the server's own part of every g2n hop over NATS.
    let delivery = {
        let puller = runtime.block_on(async_nats::connect(url.as_str())).unwrap();
        let pjs = {
            let _inside = runtime.enter();
            async_nats::jetstream::new(puller)
        };
        let stream = runtime
            .block_on(js.get_or_create_stream(async_nats::jetstream::stream::Config {
                name: "BENCH_HOP".into(),
                subjects: vec!["bench.hop".into()],
                retention: async_nats::jetstream::stream::RetentionPolicy::WorkQueue,
                ..Default::default()
            }))
            .unwrap();
        let _ = stream;
        let consumer = runtime
            .block_on(async {
                pjs.get_stream("BENCH_HOP")
                    .await?
                    .create_consumer(async_nats::jetstream::consumer::pull::Config { durable_name: Some("hop".into()), ..Default::default() })
                    .await
                    .map_err(async_nats::Error::from)
            })
            .unwrap();
        let mut messages = runtime.block_on(consumer.stream().max_messages_per_batch(16).messages()).unwrap();
        let mut times = Vec::new();
        for i in 0..hops {
            let t = Instant::now();
            runtime.block_on(async {
                let ack = js.send_publish("bench.hop", PublishMessage::build().message_id(i.to_string()).payload(payload.clone())).await.unwrap();
                let m = messages.next().await.unwrap().unwrap();
                times.push(t.elapsed());
                m.ack().await.unwrap();
                ack.await.unwrap();
            });
        }
        times
    };
    let nats_hop = run_bounce(&dir, &["--engine", "nats", "--nats", &url, "--mesh", "bounce"], hops, "nats");
    let nats_trace = dir.join("nats.jsonl");
    let tcp_hop = run_bounce(&dir, &[], hops, "tcp");
    println!("| measurement | p50 µs | p99 µs |\n|---|---|---|");
    let row = |name: &str, v: Vec<Duration>| {
        let (p50, p99) = percentiles(v);
        println!("| {name} | {p50:.0} | {p99:.0} |");
        p50
    };
    let floor = row("plain NATS request-reply, 150 B each way (the floor)", rr);
    row("JetStream publish of 150 B until its PubAck", store);
    let js_hop = row("JetStream publish of 150 B until a waiting pull consumer has it (no g2n)", delivery);
    let hop = row("g2n hop over NATS (flow bouncing between two host processes)", nats_hop);
    row("g2n hop over TCP (the same flow, --process-per-service)", tcp_hop);
    println!("\nNATS hop p50 / request-reply p50: {:.2}x; JetStream hop without g2n / request-reply: {:.2}x; g2n hop / JetStream hop: {:.2}x", hop / floor, js_hop / floor, hop / js_hop);
    breakdown(&nats_trace);

    // Flows per second through one nanoservice with 1, 2 and 4 replicas.
    let build = Command::new(g2n_bin())
        .args(["build", "--engine", "nats", "-o"])
        .arg(dir.join("hello"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-world/hello.yaml"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-world/print-hello-world.yaml"))
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    println!("\n| host processes of print-hello-world | flows/s |\n|---|---|");
    for replicas in [1usize, 2, 4] {
        let mesh = format!("tput{replicas}");
        let credential = serde_json::json!({ "username": "hello-world-practice", "password": "monkey" });
        let engine = serde_json::json!({ "servers": [url], "mesh": mesh });
        let mut hosts: Vec<Child> = Vec::new();
        for r in 0..replicas {
            let ready = dir.join(format!("{mesh}-{r}.ready"));
            let config = dir.join(format!("{mesh}-{r}.json"));
            std::fs::write(&config, serde_json::json!({ "role": "serve", "accept": [credential], "engine": "nats", "nats": engine, "ready_file": ready }).to_string()).unwrap();
            hosts.push(
                Command::new(dir.join("hello/print-hello-world/print-hello-world"))
                    .env("G2N_RUNTIME", &config)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
            let t = Instant::now();
            while !ready.exists() {
                assert!(t.elapsed() < Duration::from_secs(30), "host not ready");
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        // One real handoff, from an origin, as the template of the rest.
        let step_subject = format!("g2n.{mesh}.step.print-hello-world");
        let mut watch = runtime.block_on(client.subscribe(step_subject.clone())).unwrap();
        runtime.block_on(client.flush()).unwrap();
        let origin_config = dir.join(format!("{mesh}-origin.json"));
        std::fs::write(&origin_config, serde_json::json!({ "role": "origin", "routes": { "print-hello-world": credential }, "engine": "nats", "nats": engine }).to_string()).unwrap();
        let out = Command::new(dir.join("hello/hello/hello")).env("G2N_RUNTIME", &origin_config).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "Hello World!");
        let template = runtime.block_on(async { tokio::time::timeout(Duration::from_secs(10), watch.next()).await }).unwrap().unwrap();
        let key = wire::credential_key("", "hello-world-practice", "monkey");
        let mut frame = wire::read_frame(&mut &template.payload[..], &key).unwrap().decode().unwrap();
        let mut ends = runtime.block_on(client.subscribe(format!("g2n.{mesh}.out.>"))).unwrap();
        runtime.block_on(client.flush()).unwrap();
        let started = Instant::now();
        runtime.block_on(async {
            let mut acks = Vec::new();
            for _ in 0..flows {
                frame.flow_id = wire::random_bytes();
                let id = format!("{}:{}", frame.flow_id.iter().map(|b| format!("{b:02x}")).collect::<String>(), frame.step);
                let body = bytes::Bytes::from(wire::encode(&frame, Some(&key)));
                acks.push(js.send_publish(step_subject.clone(), PublishMessage::build().message_id(id).payload(body)).await.unwrap());
            }
            for ack in acks {
                ack.await.unwrap();
            }
            let mut seen = 0;
            while seen < flows {
                let m = tokio::time::timeout(Duration::from_secs(60), ends.next()).await.expect("flows finish").unwrap();
                if m.headers.as_ref().and_then(|h| h.get("G2N-Kind")).map(|v| v.as_str() == "end").unwrap_or(false) {
                    seen += 1;
                }
            }
        });
        let elapsed = started.elapsed();
        println!("| {replicas} | {:.0} |", flows as f64 / elapsed.as_secs_f64());
        for mut h in hosts {
            let _ = h.kill();
            let _ = h.wait();
        }
    }
}
