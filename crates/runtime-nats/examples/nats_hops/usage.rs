//! What a hop costs the machine, as opposed to how long it takes: CPU time
//! and context switches of the processes that take part, per hop. Unlike a
//! latency, these hardly depend on what else the machine runs (a loaded
//! machine makes every wake-up late, not more numerous or longer to run),
//! so they compare engines across runs and machines.
//!
//! CPU time is the sum over a process's threads of the scheduler's own
//! count (`/proc/PID/task/TID/schedstat`, ns): `utime + stime` of
//! `/proc/PID/stat` is the same time in clock ticks of 10 ms, too coarse
//! for 1,000 hops of some tens of µs. Context switches are the threads'
//! `voluntary_ctxt_switches` (a thread that waited: a wake-up) plus
//! `nonvoluntary_ctxt_switches` (one preempted) of
//! `/proc/PID/task/TID/status`. Between two readings, a thread counts
//! with its difference, one that started since with all it has; one that
//! exited since drops out (what it used before it exited is lost: the
//! engines' threads live for the whole run, or idle for 30 s before they
//! exit).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A process's counters at one moment.
#[derive(Clone, Copy, Debug, Default)]
pub struct Usage {
    pub cpu_ns: u64,
    pub voluntary: u64,
    pub involuntary: u64,
}

/// A process's counters, by thread.
pub type Threads = BTreeMap<u32, Usage>;

/// What a process's threads used from reading `earlier` to reading `later`.
pub fn since(later: &Threads, earlier: &Threads) -> Usage {
    let mut sum = Usage::default();
    for (tid, now) in later {
        let before = earlier.get(tid).copied().unwrap_or_default();
        sum.add(&Usage {
            cpu_ns: now.cpu_ns.saturating_sub(before.cpu_ns),
            voluntary: now.voluntary.saturating_sub(before.voluntary),
            involuntary: now.involuntary.saturating_sub(before.involuntary),
        });
    }
    sum
}

impl Usage {

    pub fn add(&mut self, other: &Usage) {
        self.cpu_ns += other.cpu_ns;
        self.voluntary += other.voluntary;
        self.involuntary += other.involuntary;
    }
}

fn field(status: &str, name: &str) -> u64 {
    status.lines().find_map(|l| l.strip_prefix(name)?.trim().parse().ok()).unwrap_or(0)
}

/// The counters of process `pid`'s threads; None once it is gone.
pub fn read(pid: u32) -> Option<Threads> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut threads = Threads::new();
    for task in tasks.flatten() {
        let Some(tid) = task.file_name().to_str().and_then(|n| n.parse().ok()) else { continue };
        let dir = task.path();
        let (Ok(sched), Ok(status)) = (std::fs::read_to_string(dir.join("schedstat")), std::fs::read_to_string(dir.join("status"))) else { continue };
        threads.insert(
            tid,
            Usage {
                cpu_ns: sched.split_whitespace().next().and_then(|t| t.parse().ok()).unwrap_or(0),
                voluntary: field(&status, "voluntary_ctxt_switches:"),
                involuntary: field(&status, "nonvoluntary_ctxt_switches:"),
            },
        );
    }
    Some(threads)
}

/// The command name of `pid`, from `/proc/PID/stat`.
fn name_of(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    Some(stat[open + 1..close].to_string())
}

/// Every process whose parent chain reaches `root` (not `root` itself),
/// with its command name, from the kernel's lists of children
/// (`/proc/PID/task/TID/children`): cheap enough to read at every sample,
/// so that hosts started just before the hops are seen from the first.
pub fn descendants(root: u32) -> BTreeMap<u32, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root];
    while let Some(pid) = pending.pop() {
        for task in std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
            let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            for child in children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()) {
                if let Some(name) = name_of(child)
                    && found.insert(child, name).is_none()
                {
                    pending.push(child);
                }
            }
        }
    }
    found
}

/// The `nats-server` child of this process (the benchmark's own server).
pub fn own_server() -> Option<u32> {
    descendants(std::process::id()).into_iter().find(|(_, name)| name == "nats-server").map(|(pid, _)| pid)
}

/// Seconds of the UTC day now: the clock of the trace's timestamps.
pub fn clock_of_day() -> f64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (now.as_secs() % 86_400) as f64 + f64::from(now.subsec_nanos()) * 1e-9
}

/// One reading of every watched process.
pub struct Sample {
    pub at: f64,
    pub usage: BTreeMap<u32, (String, Threads)>,
}

/// Reads the descendants of a process (found again at every reading:
/// hosts start after the compile) and fixed other processes every
/// `every`, on a thread of its own, until stopped.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    samples: Arc<Mutex<Vec<Sample>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sampler {
    pub fn start(root: u32, fixed: Vec<(u32, String)>, every: Duration) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let samples = Arc::new(Mutex::new(Vec::new()));
        let (stopping, into) = (stop.clone(), samples.clone());
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                let mut watched = descendants(root);
                watched.extend(fixed.iter().cloned());
                let at = clock_of_day();
                let usage = watched.iter().filter_map(|(&pid, name)| Some((pid, (name.clone(), read(pid)?)))).collect();
                into.lock().unwrap().push(Sample { at, usage });
                std::thread::sleep(every);
            }
        });
        Sampler { stop, samples, thread: Some(thread) }
    }

    pub fn finish(mut self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        std::mem::take(&mut *self.samples.lock().unwrap())
    }
}

/// Cost per hop of one group of processes (µs of CPU, switches).
#[derive(Clone, Copy, Debug, Default)]
pub struct PerHop {
    pub cpu_us: f64,
    pub switches: f64,
    pub voluntary: f64,
}

impl PerHop {
    pub fn of(u: &Usage, hops: usize) -> PerHop {
        let n = hops.max(1) as f64;
        PerHop { cpu_us: u.cpu_ns as f64 * 1e-3 / n, switches: (u.voluntary + u.involuntary) as f64 / n, voluntary: u.voluntary as f64 / n }
    }

    pub fn median(all: &[PerHop]) -> PerHop {
        let m = |f: fn(&PerHop) -> f64| {
            let mut v: Vec<f64> = all.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(0.0)
        };
        PerHop { cpu_us: m(|p| p.cpu_us), switches: m(|p| p.switches), voluntary: m(|p| p.voluntary) }
    }
}

impl std::fmt::Display for PerHop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1} µs CPU, {:.2} switches ({:.2} voluntary)", self.cpu_us, self.switches, self.voluntary)
    }
}

/// The cost per hop of a g2n run's hops: between the first reading after
/// the first `hop.recv` and the last one before the last, the processes
/// named `hosts` (summed) and `server`, divided by the hops received in
/// between (`recv_at`: the trace's `hop.recv` times).
pub fn hop_cost(samples: &[Sample], recv_at: &[f64], hosts: &[&str], server: u32) -> Option<(PerHop, PerHop, usize)> {
    let (first, last) = (*recv_at.first()?, *recv_at.last()?);
    let a = samples.iter().find(|s| s.at >= first)?;
    let b = samples.iter().rev().find(|s| s.at <= last)?;
    let hops = recv_at.iter().filter(|&&t| t > a.at && t <= b.at).count();
    if hops < 10 {
        eprintln!("nats_hops: only {hops} hops between two readings of the processes: no cost measured");
        return None;
    }
    let (mut host_sum, mut found) = (Usage::default(), 0);
    for (pid, (name, later)) in &b.usage {
        if !hosts.contains(&name.as_str()) {
            continue;
        }
        let Some(earlier) = a.usage.get(pid) else { continue };
        host_sum.add(&since(later, &earlier.1));
        found += 1;
    }
    if found != hosts.len() {
        eprintln!("nats_hops: {found} of the host processes {hosts:?} seen through the hops (of {:?})", b.usage.values().map(|u| &u.0).collect::<Vec<_>>());
        return None;
    }
    let server_use = since(&b.usage.get(&server)?.1, &a.usage.get(&server)?.1);
    Some((PerHop::of(&host_sum, hops), PerHop::of(&server_use, hops), hops))
}

/// Counters of this process and of `server` around `f`, per `hops`.
pub fn around<T>(server: u32, hops: usize, f: impl FnOnce() -> T) -> (T, PerHop, PerHop) {
    let me = std::process::id();
    let (c0, s0) = (read(me).unwrap_or_default(), read(server).unwrap_or_default());
    let out = f();
    let (c1, s1) = (read(me).unwrap_or_default(), read(server).unwrap_or_default());
    (out, PerHop::of(&since(&c1, &c0), hops), PerHop::of(&since(&s1, &s0), hops))
}

/// Whether `/proc` gives per-thread CPU time here.
pub fn available() -> bool {
    Path::new("/proc/self/task").is_dir() && read(std::process::id()).is_some_and(|t| t.values().any(|u| u.cpu_ns > 0))
}
