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
//!
//! `--rounds N` repeats the latency part; `--variants LIST` runs this
//! engine once per setting in LIST (comma-separated `DELIVERY/RECEIVE`, e.g.
//! `pull/handoff,push/inline`: `nats.delivery` and `nats.receive`, through
//! `g2n run --nats-delivery/--nats-receive`), each its own row in every
//! round; `--base DIR` adds a second engine
//! (the directory holds `libg2n_runtime.a` and `libg2n_runtime_nats.a` built
//! from another commit; `--libs DIR` names this one's), run alternately
//! with this one in every round, so that their ratio is measured under the
//! same load; `--models` adds JetStream hops without g2n threaded three
//! ways (push consumer; pull with the engine's hand-overs between threads;
//! pull with none); `--no-tcp` skips the TCP hop, `--flows 0` the flows per
//! second.
//!
//! Before the measured rounds, `--warmup N` (1) unmeasured rounds run every
//! row once: the first round on a fresh server and fresh executables is
//! always far off the others. Next to each latency (p50, p99, and the
//! share of hops over 0.5 ms and over 1 ms: the tail), every row shows what a
//! hop costs: CPU time and context switches per hop of the client side
//! (the two g2n host processes; this process for the rows without g2n)
//! and of the nats-server (crate `usage` in this directory): unlike the
//! latencies, these hardly move with the machine's load.

// A benchmark's report is its standard output (and why a figure is
// missing, its standard error).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod usage;

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

/// The tail of a row's hops: the percentages that took over 0.5 ms and
/// over 1 ms (where p99 alone hides whether one hop in a hundred is slow
/// or one in ten).
fn tail(v: &[Duration]) -> (f64, f64) {
    let share = |bound: Duration| 100.0 * v.iter().filter(|d| **d > bound).count() as f64 / v.len().max(1) as f64;
    (share(Duration::from_micros(500)), share(Duration::from_millis(1)))
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
#[derive(Clone, Copy, Default)]
struct Breakdown {
    run: f64,
    transit: f64,
    queued: f64,
    check: f64,
    puback: f64,
}

impl Breakdown {
    fn median(all: Vec<Breakdown>) -> Breakdown {
        let m = |f: fn(&Breakdown) -> f64| median(all.iter().map(f).collect()) * 1e-6;
        Breakdown { run: m(|b| b.run), transit: m(|b| b.transit), queued: m(|b| b.queued), check: m(|b| b.check), puback: m(|b| b.puback) }
    }
}

impl std::fmt::Display for Breakdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "where the time goes (medians, µs): sender's step until its publish {:.0}; publish until the receiver hands it to a step thread {:.0}; step thread wake-up {:.0}; checks {:.0} (publish until PubAck on the sender: {:.0})",
            self.run, self.transit, self.queued, self.check, self.puback
        )
    }
}

fn breakdown(trace: &Path) -> Breakdown {
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
    Breakdown { run: median(run), transit: median(transit), queued: median(queued), check: median(check), puback: median(puback) }
}

/// One engine under test: the runtime archives its hosts are linked with.
struct Engine {
    label: String,
    /// Directory holding `libg2n_runtime.a` and `libg2n_runtime_nats.a`;
    /// None: whatever g2n finds itself.
    libs: Option<PathBuf>,
    /// Its settings: `g2n run` arguments.
    args: Vec<String>,
}

impl Engine {
    fn apply(&self, command: &mut Command) {
        if let Some(dir) = &self.libs {
            command.env("G2N_RUNTIME_NATS_LIB", dir.join("libg2n_runtime_nats.a")).env("G2N_RUNTIME_LIB", dir.join("libg2n_runtime.a"));
        }
    }
}

/// A bouncing flow's hops: their intervals and, with `server`, what they
/// cost the two host processes (`ping` and `pong`) and that nats-server.
fn run_bounce(dir: &Path, engine: &Engine, args: &[&str], hops: usize, label: &str, server: Option<u32>) -> (Vec<Duration>, Option<Cost>) {
    let program = dir.join("bounce.go");
    std::fs::write(&program, BOUNCE.replace("HOPS", &(hops / 2).to_string())).unwrap();
    let trace = dir.join(format!("{label}.jsonl"));
    let _ = std::fs::remove_file(&trace);
    let mut command = Command::new(g2n_bin());
    engine.apply(&mut command);
    let child = command
        .arg("run")
        .args(args)
        .arg("--process-per-service")
        .arg("--trace")
        .arg(&trace)
        .arg(&program)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let fixed: Vec<(u32, String)> = server.iter().map(|&pid| (pid, "nats-server".to_string())).collect();
    let sampler = server.map(|_| usage::Sampler::start(child.id(), fixed, Duration::from_millis(5)));
    let out = child.wait_with_output().unwrap();
    let samples = sampler.map(usage::Sampler::finish);
    assert!(out.status.success(), "{label}: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), (hops / 2 * 2).to_string());
    let cost = samples.zip(server).and_then(|(samples, server)| {
        let recv_at: Vec<f64> = stamps(&trace, "hop.recv").values().map(|s| s.at).collect();
        let (hosts, server, _) = usage::hop_cost(&samples, &recv_at, &["ping", "pong"], server)?;
        Some(Cost { client: hosts, server })
    });
    (hop_intervals(&trace), cost)
}

/// One engine's row in one round: hop p50, ratio to the request-reply,
/// where the time went, what a hop cost.
type EngineRound = (f64, f64, Breakdown, Option<Cost>);

/// One engine's bouncing flow: its hop intervals, their cost, its trace.
type Bounced = (Vec<Duration>, Option<Cost>, PathBuf);

/// What one hop cost: the client side (both ends) and the nats-server.
#[derive(Clone, Copy, Default)]
struct Cost {
    client: usage::PerHop,
    server: usage::PerHop,
}

impl Cost {
    fn median(all: &[Cost]) -> Cost {
        let (c, s): (Vec<_>, Vec<_>) = all.iter().map(|c| (c.client, c.server)).unzip();
        Cost { client: usage::PerHop::median(&c), server: usage::PerHop::median(&s) }
    }
}

impl std::fmt::Display for Cost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "clients {}; nats-server {}", self.client, self.server)
    }
}

/// Runs `f` (which makes `hops` hops in this process) and measures what it
/// cost this process and the server.
fn costed<T>(server: Option<u32>, hops: usize, f: impl FnOnce() -> T) -> (T, Option<Cost>) {
    match server {
        None => (f(), None),
        Some(pid) => {
            let (out, client, server) = usage::around(pid, hops, f);
            (out, Some(Cost { client, server }))
        }
    }
}

fn path_arg(name: &str) -> Option<PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(PathBuf::from)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

/// A current-thread runtime driven by a thread of its own, as the
/// engine's I/O thread.
fn io_thread() -> tokio::runtime::Handle {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let handle = runtime.handle().clone();
    std::thread::spawn(move || runtime.block_on(std::future::pending::<()>()));
    handle
}

/// What runs a future to completion: a runtime driven by its own thread
/// (`Handle`), or one driven by the caller (`Runtime`: a handle's
/// `block_on` does not drive a current-thread runtime's I/O).
trait Drive {
    fn run<F: std::future::Future>(&self, f: F) -> F::Output;
    fn handle(&self) -> tokio::runtime::Handle;
}

impl Drive for tokio::runtime::Handle {
    fn run<F: std::future::Future>(&self, f: F) -> F::Output {
        self.block_on(f)
    }
    fn handle(&self) -> tokio::runtime::Handle {
        self.clone()
    }
}

impl Drive for tokio::runtime::Runtime {
    fn run<F: std::future::Future>(&self, f: F) -> F::Output {
        self.block_on(f)
    }
    fn handle(&self) -> tokio::runtime::Handle {
        tokio::runtime::Runtime::handle(self).clone()
    }
}

fn jetstream_on(drive: &impl Drive, url: &str) -> async_nats::jetstream::Context {
    let client = drive.run(async_nats::connect(url)).unwrap();
    let handle = drive.handle();
    let _inside = handle.enter();
    async_nats::jetstream::new(client)
}

/// A work-queue stream on `subject` with a durable pull consumer `name`.
fn work_queue(drive: &impl Drive, js: &async_nats::jetstream::Context, stream: &str, subject: &str, name: &str) -> async_nats::jetstream::consumer::PullConsumer {
    drive
        .run(async {
            let stream = js
                .get_or_create_stream(async_nats::jetstream::stream::Config {
                    name: stream.into(),
                    subjects: vec![subject.into()],
                    retention: async_nats::jetstream::stream::RetentionPolicy::WorkQueue,
                    ..Default::default()
                })
                .await?;
            stream.get_or_create_consumer(name, async_nats::jetstream::consumer::pull::Config { durable_name: Some(name.into()), ..Default::default() }).await.map_err(async_nats::Error::from)
        })
        .unwrap()
}

/// A JetStream hop without g2n, threaded as the engine is: the sending
/// thread publishes through an I/O thread's runtime (`Handle::block_on`)
/// and waits for its PubAck; on the receiving side an I/O thread pulls and
/// hands each message to a parked thread, which acks it. Publish begin
/// until that thread runs, per hop.
fn hop_handed(url: &str, hops: usize, ids: &mut usize, payload: &bytes::Bytes) -> Vec<Duration> {
    let (sender, receiver) = (io_thread(), io_thread());
    let sjs = jetstream_on(&sender, url);
    let rjs = jetstream_on(&receiver, url);
    // Names of this run's own: an earlier run's puller may still be there.
    let subject = format!("bench.handed.{ids}");
    let consumer = work_queue(&receiver, &rjs, &format!("BENCH_HANDED_{ids}"), &subject, "handed");
    let (to_step, steps) = std::sync::mpsc::channel::<async_nats::jetstream::Message>();
    let (arrived, arrivals) = std::sync::mpsc::channel::<Instant>();
    let acking = receiver.clone();
    std::thread::spawn(move || {
        for m in steps {
            let _ = arrived.send(Instant::now());
            let _ = acking.block_on(m.ack());
        }
    });
    let mut messages = receiver.block_on(consumer.stream().max_messages_per_batch(2).messages()).unwrap();
    let pulling = receiver.spawn(async move {
        while let Some(Ok(m)) = messages.next().await {
            if to_step.send(m).is_err() {
                return;
            }
        }
    });
    let mut times = Vec::new();
    for _ in 0..hops {
        *ids += 1;
        let t = Instant::now();
        sender.block_on(async { sjs.send_publish(subject.clone(), PublishMessage::build().message_id(ids.to_string()).payload(payload.clone())).await.unwrap().await.unwrap() });
        times.push(arrivals.recv_timeout(Duration::from_secs(10)).unwrap() - t);
    }
    pulling.abort();
    times
}

/// The same hop with no hand-over between threads: the sending thread
/// drives its own runtime (it writes its publish itself), and the
/// receiving thread waits on its pull subscription itself.
fn hop_driven(url: &str, hops: usize, ids: &mut usize, payload: &bytes::Bytes) -> Vec<Duration> {
    let sender = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let sjs = jetstream_on(&sender, url);
    let (arrived, arrivals) = std::sync::mpsc::channel::<Instant>();
    let (ready, is_ready) = std::sync::mpsc::channel::<()>();
    let url_r = url.to_string();
    let subject = format!("bench.driven.{ids}");
    let (stream_r, subject_r) = (format!("BENCH_DRIVEN_{ids}"), subject.clone());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let rjs = jetstream_on(&runtime, &url_r);
        let consumer = work_queue(&runtime, &rjs, &stream_r, &subject_r, "driven");
        let mut messages = runtime.block_on(consumer.stream().max_messages_per_batch(2).messages()).unwrap();
        let _ = ready.send(());
        while let Some(Ok(m)) = runtime.block_on(messages.next()) {
            if arrived.send(Instant::now()).is_err() {
                return;
            }
            let _ = runtime.block_on(m.ack());
        }
    });
    is_ready.recv().unwrap();
    let mut times = Vec::new();
    for _ in 0..hops {
        *ids += 1;
        let t = Instant::now();
        sender.block_on(async { sjs.send_publish(subject.clone(), PublishMessage::build().message_id(ids.to_string()).payload(payload.clone())).await.unwrap().await.unwrap() });
        times.push(arrivals.recv_timeout(Duration::from_secs(10)).unwrap() - t);
    }
    times
}

/// A JetStream hop to a push consumer with a deliver group (the server
/// pushes; no pull requests), one thread as the pull row.
fn hop_push(runtime: &tokio::runtime::Runtime, js: &async_nats::jetstream::Context, url: &str, hops: usize, ids: &mut usize, payload: &bytes::Bytes) -> Vec<Duration> {
    use async_nats::jetstream::consumer::push;
    let pjs = jetstream_on(runtime, url);
    let consumer: async_nats::jetstream::consumer::PushConsumer = runtime
        .block_on(async {
            js.get_or_create_stream(async_nats::jetstream::stream::Config {
                name: "BENCH_PUSH".into(),
                subjects: vec!["bench.push".into()],
                retention: async_nats::jetstream::stream::RetentionPolicy::WorkQueue,
                ..Default::default()
            })
            .await?;
            pjs.get_stream("BENCH_PUSH")
                .await?
                .get_or_create_consumer(
                    "push",
                    push::Config { durable_name: Some("push".into()), deliver_subject: "bench.deliver.push".into(), deliver_group: Some("push".into()), ..Default::default() },
                )
                .await
                .map_err(async_nats::Error::from)
        })
        .unwrap();
    let mut messages = runtime.block_on(consumer.messages()).unwrap();
    let mut times = Vec::new();
    for _ in 0..hops {
        *ids += 1;
        let t = Instant::now();
        runtime.block_on(async {
            let ack = js.send_publish("bench.push", PublishMessage::build().message_id(ids.to_string()).payload(payload.clone())).await.unwrap();
            let m = messages.next().await.unwrap().unwrap();
            times.push(t.elapsed());
            m.ack().await.unwrap();
            ack.await.unwrap();
        });
    }
    times
}

fn main() {
    let hops = arg("--hops", 1000);
    let flows = arg("--flows", 1000);
    let rounds = arg("--rounds", 1).max(1);
    // A/B: `--base DIR` names the archives of the engine to compare with
    // (built from another commit); `--libs DIR` this one's (default: what
    // g2n finds). The engines alternate in order from round to round.
    let variants = std::env::args().skip_while(|a| a != "--variants").nth(1);
    let mut engines: Vec<Engine> = match variants {
        None => vec![Engine { label: "this".into(), libs: path_arg("--libs"), args: Vec::new() }],
        Some(list) => list
            .split(',')
            .map(|v| {
                let (delivery, receive) = v.split_once('/').expect("--variants DELIVERY/RECEIVE,...");
                let args = vec!["--nats-delivery".to_string(), delivery.to_string(), "--nats-receive".to_string(), receive.to_string()];
                Engine { label: format!("this {delivery}/{receive}"), libs: path_arg("--libs"), args }
            })
            .collect(),
    };
    if let Some(base) = path_arg("--base") {
        engines.push(Engine { label: "base".into(), libs: Some(base), args: Vec::new() });
    }
    let tcp = !std::env::args().any(|a| a == "--no-tcp");
    // Rows that model a hop's threads with JetStream alone.
    let models = std::env::args().any(|a| a == "--models");
    let mut model_ratios: Vec<[f64; 3]> = Vec::new();
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
    runtime
        .block_on(js.get_or_create_stream(async_nats::jetstream::stream::Config {
            name: "BENCH".into(),
            subjects: vec!["bench.store".into()],
            retention: async_nats::jetstream::stream::RetentionPolicy::WorkQueue,
            ..Default::default()
        }))
        .unwrap();
    // A JetStream hop without g2n: publish with an id until a waiting
    // pull consumer (another connection) receives the message. This is
    // the server's own part of every g2n hop over NATS.
    let puller = runtime.block_on(async_nats::connect(url.as_str())).unwrap();
    let pjs = {
        let _inside = runtime.enter();
        async_nats::jetstream::new(puller)
    };
    runtime
        .block_on(js.get_or_create_stream(async_nats::jetstream::stream::Config {
            name: "BENCH_HOP".into(),
            subjects: vec!["bench.hop".into()],
            retention: async_nats::jetstream::stream::RetentionPolicy::WorkQueue,
            ..Default::default()
        }))
        .unwrap();
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
    let mut next_id = 0usize;

    // Per engine, per round: (hop p50, ratio to the floor, breakdown, cost).
    let mut results: Vec<Vec<EngineRound>> = engines.iter().map(|_| Vec::new()).collect();
    let (mut floors, mut js_hops, mut tcp_hops) = (Vec::new(), Vec::new(), Vec::new());
    // What the rows without g2n cost, per round, by row name.
    let mut model_costs: Vec<(String, Vec<Cost>)> = Vec::new();
    let server = if usage::available() { usage::own_server() } else { None };
    if server.is_none() {
        println!("(no per-thread CPU time in /proc here: costs per hop are left out)");
    }
    let warmup = arg("--warmup", 1);
    for round in 0..warmup + rounds {
        let measured_round = round >= warmup;
        let (rr, rr_cost) = costed(server, hops, || {
            let mut rr = Vec::new();
            for _ in 0..hops {
                let t = Instant::now();
                runtime.block_on(client.request("bench.echo", payload.clone())).unwrap();
                rr.push(t.elapsed());
            }
            rr
        });
        // A JetStream store: publish with an id until PubAck.
        let mut store = Vec::new();
        for _ in 0..hops {
            next_id += 1;
            let t = Instant::now();
            runtime
                .block_on(async { js.send_publish("bench.store", PublishMessage::build().message_id(next_id.to_string()).payload(payload.clone())).await.unwrap().await })
                .unwrap();
            store.push(t.elapsed());
        }
        let (delivery, delivery_cost) = costed(server, hops, || {
            let mut delivery = Vec::new();
            for _ in 0..hops {
                next_id += 1;
                let t = Instant::now();
                runtime.block_on(async {
                    let ack = js.send_publish("bench.hop", PublishMessage::build().message_id(next_id.to_string()).payload(payload.clone())).await.unwrap();
                    let m = messages.next().await.unwrap().unwrap();
                    delivery.push(t.elapsed());
                    m.ack().await.unwrap();
                    ack.await.unwrap();
                });
            }
            delivery
        });
        let models = models.then(|| {
            (
                costed(server, hops, || hop_push(&runtime, &js, &url, hops, &mut next_id, &payload)),
                costed(server, hops, || hop_handed(&url, hops, &mut next_id, &payload)),
                costed(server, hops, || hop_driven(&url, hops, &mut next_id, &payload)),
            )
        });
        // Each round starts with the next engine.
        let order: Vec<usize> = (0..engines.len()).map(|i| (i + round) % engines.len()).collect();
        // Per engine: its hops, their cost, its trace.
        let mut measured: Vec<Option<Bounced>> = engines.iter().map(|_| None).collect();
        for &e in &order {
            let engine = &engines[e];
            let token: String = engine.label.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            let mesh = format!("bounce-{token}");
            let label = format!("nats-{token}-{round}");
            let mut args: Vec<&str> = vec!["--engine", "nats", "--nats", &url, "--mesh", &mesh];
            args.extend(engine.args.iter().map(String::as_str));
            let (v, cost) = run_bounce(&dir, engine, &args, hops, &label, server);
            measured[e] = Some((v, cost, dir.join(format!("{label}.jsonl"))));
        }
        let tcp_hop = if tcp { Some(run_bounce(&dir, &engines[0], &[], hops, "tcp", None).0) } else { None };
        if !measured_round {
            println!("\nwarm-up round {} of {warmup} done (not measured; load average {})", round + 1, load_average());
            continue;
        }
        println!(
            "\nround {} of {rounds} (load average {}):\n\n| measurement | p50 µs | p99 µs | % over 0.5 / 1 ms | client CPU µs / hop | client switches / hop | nats-server CPU µs / hop | nats-server switches / hop |\n|---|---|---|---|---|---|---|---|",
            round + 1 - warmup,
            load_average()
        );
        let mut costs_of_round: Vec<(String, Cost)> = Vec::new();
        let mut row = |name: &str, v: Vec<Duration>, cost: Option<Cost>| {
            let (over_half, over_one) = tail(&v);
            let (p50, p99) = percentiles(v);
            let shown = cost.map_or_else(
                || " | | | |".to_string(),
                |c| format!(" {:.1} | {:.2} | {:.1} | {:.2} |", c.client.cpu_us, c.client.switches, c.server.cpu_us, c.server.switches),
            );
            println!("| {name} | {p50:.0} | {p99:.0} | {over_half:.1} / {over_one:.1} |{shown}");
            if let Some(c) = cost {
                costs_of_round.push((name.to_string(), c));
            }
            p50
        };
        let floor = row("plain NATS request-reply, 150 B each way (the floor; client: both ends in this process)", rr, rr_cost);
        row("JetStream publish of 150 B until its PubAck", store, None);
        let js_hop = row("JetStream publish of 150 B until a waiting pull consumer has it (no g2n)", delivery, delivery_cost);
        floors.push(floor);
        js_hops.push(js_hop / floor);
        if let Some(((push, push_cost), (handed, handed_cost), (driven, driven_cost))) = models {
            let push = row("the same to a push consumer with a deliver group (no g2n)", push, push_cost);
            let handed = row("the same, pull, threaded as the engine: publish through an I/O thread, the receiver's I/O thread hands it to a parked thread (no g2n)", handed, handed_cost);
            let driven = row("the same, pull, each side one thread driving its own runtime: no hand-over (no g2n)", driven, driven_cost);
            model_ratios.push([push / floor, handed / floor, driven / floor]);
        }
        let mut engine_rows = Vec::new();
        for (e, m) in measured.into_iter().enumerate() {
            let (v, cost, trace) = m.unwrap();
            let hop = row(&format!("g2n hop over NATS, engine '{}' (flow bouncing between two host processes; client: both hosts)", engines[e].label), v, cost);
            engine_rows.push((e, hop, breakdown(&trace), cost));
        }
        if let Some(v) = tcp_hop {
            let p50 = row("g2n hop over TCP (the same flow, --process-per-service)", v, None);
            tcp_hops.push(p50 / floor);
        }
        for (e, hop, parts, cost) in engine_rows {
            println!("  '{}': hop / request-reply {:.2}x; hop / JetStream hop {:.2}x; {parts}", engines[e].label, hop / floor, hop / js_hop);
            results[e].push((hop, hop / floor, parts, cost));
        }
        println!("  JetStream hop without g2n / request-reply: {:.2}x", js_hop / floor);
        for (name, cost) in costs_of_round {
            if name.starts_with("g2n hop") {
                continue;
            }
            match model_costs.iter_mut().find(|(n, _)| *n == name) {
                Some((_, all)) => all.push(cost),
                None => model_costs.push((name, vec![cost])),
            }
        }
    }
    let med = |v: Vec<f64>| median(v) * 1e-6;
    println!("\nover {rounds} round(s) after {warmup} warm-up round(s), medians: request-reply p50 {:.0} µs; JetStream hop / request-reply {:.2}x", med(floors), med(js_hops));
    if !model_ratios.is_empty() {
        let m = |i: usize| med(model_ratios.iter().map(|r| r[i]).collect());
        println!("  / request-reply: push consumer {:.2}x; pull, threaded as the engine {:.2}x; pull, no hand-over {:.2}x", m(0), m(1), m(2));
    }
    if !tcp_hops.is_empty() {
        println!("  TCP hop / request-reply {:.2}x", med(tcp_hops));
    }
    for (e, r) in results.iter().enumerate() {
        let ratios: Vec<String> = r.iter().map(|x| format!("{:.2}", x.1)).collect();
        println!(
            "  engine '{}': hop p50 {:.0} µs, hop / request-reply {:.2}x (per round: {}); {}",
            engines[e].label,
            med(r.iter().map(|x| x.0).collect()),
            med(r.iter().map(|x| x.1).collect()),
            ratios.join(", "),
            Breakdown::median(r.iter().map(|x| x.2).collect())
        );
    }
    // Every engine against the last one (the base, when there is one),
    // round by round.
    if let Some((last, others)) = results.split_last() {
        for (e, r) in others.iter().enumerate() {
            let within: Vec<f64> = r.iter().zip(last).map(|(a, b)| a.0 / b.0).collect();
            let shown: Vec<String> = within.iter().map(|x| format!("{x:.2}")).collect();
            println!("  '{}' hop / '{}' hop within each round: {} (median {:.2})", engines[e].label, engines[engines.len() - 1].label, shown.join(", "), med(within.clone()));
        }
    }
    if server.is_some() {
        println!("\ncost per hop, medians over the rounds (client: both ends; per round in the tables above):\n");
        for (name, all) in &model_costs {
            println!("  {name}: {}", Cost::median(all));
        }
        for (e, r) in results.iter().enumerate() {
            let all: Vec<Cost> = r.iter().filter_map(|x| x.3).collect();
            let cpu: Vec<String> = all.iter().map(|c| format!("{:.0}", c.client.cpu_us)).collect();
            println!("  g2n hop, engine '{}': {} (client CPU µs per round: {})", engines[e].label, Cost::median(&all), cpu.join(", "));
        }
    }
    if flows == 0 {
        return;
    }

    // Flows per second through one nanoservice with 1, 2 and 4 replicas.
    let mut build = Command::new(g2n_bin());
    engines[0].apply(&mut build);
    let build = build
        .args(["build", "--engine", "nats", "-o"])
        .arg(dir.join("hello"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-world/hello.yaml"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-world/print-hello-world.yaml"))
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    println!("\nflows per second, engine '{}':\n\n| host processes of print-hello-world | flows/s |\n|---|---|", engines[0].label);
    for replicas in [1usize, 2, 4] {
        let mesh = format!("tput{replicas}");
        let credential = serde_json::json!({ "username": "hello-world-practice", "password": "monkey" });
        let mut engine = serde_json::json!({ "servers": [url], "mesh": mesh });
        // The first engine's settings (`--variants`): the flag pairs of
        // `g2n run` as the configuration's fields.
        for pair in engines[0].args.chunks(2) {
            engine[pair[0].trim_start_matches("--nats-")] = serde_json::json!(pair[1]);
        }
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
