//! `g2n host`: a generic agent that runs a deployed mesh's nanoservices on
//! this machine (docs/deploy.md). It polls the mesh's desired state, and
//! for every nanoservice it serves keeps the desired number of processes of
//! the desired version running: a new version is fetched and checked
//! (crate::artifacts), started, and once its processes are ready the old
//! version's processes get SIGTERM and drain (they stop pulling at once and
//! finish the steps they hold; docs/protocol.md, "Draining"). So each step
//! runs entirely on one version. When the engine cannot be reached the
//! agent keeps what runs, and restarts crashed processes from its cache.
//! Its processes die with it (PDEATHSIG, crate::lifetime), and it reports
//! itself in the mesh's hosts bucket (`g2n status`).

use crate::artifacts::{self, Engine, Prepared};
use crate::lifetime::die_with_g2n;
use g2n_deploy::state::Process;
use g2n_deploy::{Desired, HostReport, Store};
use std::collections::{BTreeMap, HashMap};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often the desired state is read.
const POLL: Duration = Duration::from_millis(300);
/// How often the host reports itself (well within the report's TTL).
const REPORT_EVERY: Duration = Duration::from_secs(2);
/// One request to the engine: past this, it counts as unreachable.
const REQUEST_WAIT: Duration = Duration::from_secs(3);
/// How long a new process may take to be ready.
const READY_WAIT: Duration = Duration::from_secs(30);
/// How long a refused version waits before it is fetched and checked again.
const RETRY_REFUSED: Duration = Duration::from_secs(5);
/// The engine's default drain bound (crates/runtime-nats `drain_ms`).
const DEFAULT_DRAIN_MS: u64 = 10_000;

pub struct HostArgs {
    pub servers: Vec<String>,
    pub mesh: Option<String>,
    /// This host's name in the hosts bucket (default: machine name and pid).
    pub name: Option<String>,
    /// Empty: every nanoservice of the mesh.
    pub serve: Vec<String>,
    pub replicas: crate::nats::Replicas,
    pub cache: Option<PathBuf>,
    pub trace: Option<PathBuf>,
    pub drain_ms: Option<u64>,
    /// The address this host's NATS connections, and those of every process
    /// it starts, bind to (one loopback address per host on a machine with
    /// several).
    pub bind: Option<std::net::IpAddr>,
    /// `--nats-auth`, `--nats-ca`: the agent connects as the host agents'
    /// user, each process as its nanoservice's user.
    pub access: crate::nats::Access,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Starting(Instant),
    Ready,
    /// SIGTERM sent at this instant.
    Draining(Instant),
}

struct Proc {
    unit: String,
    version: String,
    child: Child,
    ready_file: PathBuf,
    state: State,
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop(_signal: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn install_stop_handler() -> Result<(), String> {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        // SAFETY: sigaction with a zeroed struct, an empty mask and a
        // handler that only stores to an atomic (async-signal-safe).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_stop as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(signal, &action, std::ptr::null_mut()) != 0 {
                return Err(format!("cannot install the signal handler: {}", std::io::Error::last_os_error()));
            }
        }
    }
    Ok(())
}

fn log(host: &str, message: &str) {
    eprintln!("g2n host[{host}]: {message}");
}

fn signal(child: &Child, signal: libc::c_int) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) on a child not reaped yet.
        unsafe { libc::kill(pid, signal) };
    }
}

fn machine_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "host".into())
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

struct Agent {
    args: HostArgs,
    credentials: Option<crate::nats_auth::Credentials>,
    name: String,
    cache: PathBuf,
    run_dir: PathBuf,
    trace: Option<String>,
    procs: Vec<Proc>,
    /// Versions fetched and checked: executable hash -> prepared.
    prepared: HashMap<(String, String), Prepared>,
    /// Versions refused, with the reason (logged once).
    refused: BTreeMap<String, String>,
    /// When a refused version is fetched again (a redeploy may repair it).
    retry_at: HashMap<(String, String), Instant>,
    last_desired: Option<Desired>,
    unreachable_logged: bool,
    waiting_logged: bool,
    next_proc: u64,
}

/// `g2n host --nats URL [--serve NAME...]`: runs until SIGTERM or SIGINT,
/// then drains its processes and exits 0.
pub fn host(args: HostArgs) -> i32 {
    match run(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

fn run(args: HostArgs) -> Result<i32, String> {
    install_stop_handler()?;
    let rt = crate::deploy::runtime()?;
    let name = args.name.clone().unwrap_or_else(|| format!("{}-{}", machine_name(), std::process::id()));
    if g2n_abi::nats::token(&name) != name {
        return Err(format!("--name {name}: a host name may hold only letters, digits, '_' and '-'"));
    }
    let cache = artifacts::cache_dir(args.cache.as_deref());
    let run_dir = cache.join("hosts").join(&name);
    artifacts::private_dir(&run_dir)?;
    let trace = match &args.trace {
        Some(path) => {
            std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| format!("cannot open trace file {}: {e}", path.display()))?;
            Some(std::path::absolute(path).map_err(|e| e.to_string())?.to_string_lossy().into_owned())
        }
        None => None,
    };
    let credentials = crate::deploy::credentials(&args.access)?;
    let options = crate::deploy::connect_options(&args.access, crate::deploy::Role::Host)?;
    let mut agent = Agent {
        args,
        credentials,
        name,
        cache,
        run_dir,
        trace,
        procs: Vec::new(),
        prepared: HashMap::new(),
        refused: BTreeMap::new(),
        retry_at: HashMap::new(),
        last_desired: None,
        unreachable_logged: false,
        waiting_logged: false,
        next_proc: 0,
    };
    let serving = if agent.args.serve.is_empty() { "every nanoservice".to_string() } else { agent.args.serve.join(", ") };
    let mut store: Option<Store> = None;
    let mut last_report = Instant::now() - REPORT_EVERY;
    while !STOP.load(Ordering::SeqCst) {
        let tick = Instant::now();
        if store.is_none() {
            match rt.block_on(async { tokio::time::timeout(REQUEST_WAIT * 2, crate::deploy::open_from(&agent.args.servers, agent.args.mesh.as_deref(), false, options.clone(), agent.args.bind)).await }) {
                Ok(Ok((_client, s))) => {
                    log(&agent.name, &format!("joined mesh {}, serving {serving}", s.mesh));
                    store = Some(s);
                }
                // The server answers, but nothing is deployed yet.
                Ok(Err(e)) if e.contains("not deployed") || e.contains("no mesh is deployed") => {
                    if !agent.waiting_logged {
                        log(&agent.name, &format!("waiting for a deploy: {e}"));
                        agent.waiting_logged = true;
                    }
                }
                // Wrong credentials do not get better by waiting.
                Ok(Err(e)) if e.contains("authorization violation") => return Err(format!("{e} (the host agents' user of --nats-auth)")),
                Ok(Err(e)) => agent.unreachable(&e),
                Err(_) => agent.unreachable("no answer"),
            }
        }
        if let Some(s) = &store {
            match rt.block_on(async { tokio::time::timeout(REQUEST_WAIT, s.desired()).await }) {
                Ok(Ok(desired)) => {
                    if agent.unreachable_logged {
                        log(&agent.name, "the engine answers again");
                        agent.unreachable_logged = false;
                    }
                    agent.last_desired = desired.map(|(d, _)| d);
                }
                Ok(Err(e)) => agent.unreachable(&e),
                Err(_) => agent.unreachable("no answer"),
            }
        }
        agent.reap();
        agent.converge(&rt, store.as_ref());
        if let Some(s) = &store
            && last_report.elapsed() >= REPORT_EVERY
        {
            last_report = Instant::now();
            let report = agent.report();
            let _ = rt.block_on(async { tokio::time::timeout(REQUEST_WAIT, s.report(&report)).await });
        }
        std::thread::sleep(POLL.saturating_sub(tick.elapsed()));
    }
    log(&agent.name, &format!("stopping: draining {} process(es)", agent.procs.len()));
    Ok(agent.stop_all())
}

impl Agent {
    fn unreachable(&mut self, why: &str) {
        if !self.unreachable_logged {
            log(&self.name, &format!("the engine is unreachable ({why}); keeping the {} process(es) that run", self.procs.len()));
            self.unreachable_logged = true;
        }
    }

    fn serves(&self, unit: &str) -> bool {
        self.args.serve.is_empty() || self.args.serve.iter().any(|s| s == unit)
    }

    fn drain_bound(&self) -> Duration {
        Duration::from_millis(self.args.drain_ms.unwrap_or(DEFAULT_DRAIN_MS)) + Duration::from_secs(2)
    }

    /// Forgets processes that exited; kills drains past their bound and
    /// starts that never became ready.
    fn reap(&mut self) {
        let bound = self.drain_bound();
        let name = self.name.clone();
        self.procs.retain_mut(|p| {
            if let Ok(Some(status)) = p.child.try_wait() {
                if !matches!(p.state, State::Draining(_)) {
                    log(&name, &format!("{} (pid {}, {}) exited: {status}", p.unit, p.child.id(), short(&p.version)));
                }
                let _ = std::fs::remove_file(&p.ready_file);
                return false;
            }
            match p.state {
                State::Starting(_) if p.ready_file.is_file() => p.state = State::Ready,
                State::Starting(at) if at.elapsed() > READY_WAIT => {
                    log(&name, &format!("{} (pid {}) was not ready after {READY_WAIT:?}; killing it", p.unit, p.child.id()));
                    let _ = p.child.kill();
                }
                State::Draining(at) if at.elapsed() > bound => {
                    log(&name, &format!("{} (pid {}) still draining after {bound:?}; killing it", p.unit, p.child.id()));
                    let _ = p.child.kill();
                }
                _ => {}
            }
            true
        });
    }

    fn drain(&mut self, index: usize, why: &str) {
        let p = &mut self.procs[index];
        if matches!(p.state, State::Draining(_)) {
            return;
        }
        log(&self.name, &format!("draining {} (pid {}, {}): {why}", p.unit, p.child.id(), short(&p.version)));
        signal(&p.child, libc::SIGTERM);
        p.state = State::Draining(Instant::now());
    }

    /// One step towards the desired state.
    fn converge(&mut self, rt: &tokio::runtime::Runtime, store: Option<&Store>) {
        let Some(desired) = self.last_desired.clone() else { return };
        // Processes of nanoservices that are no longer deployed here.
        for i in 0..self.procs.len() {
            let unit = self.procs[i].unit.clone();
            if !desired.units.contains_key(&unit) || !self.serves(&unit) {
                self.drain(i, "no longer deployed on this host");
            }
        }
        for (unit, state) in &desired.units {
            if !self.serves(unit) {
                continue;
            }
            let want = self.args.replicas.explicit(unit).unwrap_or(state.replicas).max(1) as usize;
            let version = state.current.executable.clone();
            let key = (unit.clone(), version.clone());
            if !self.prepared.contains_key(&key) {
                let Some(store) = store else { continue };
                if self.retry_at.get(&key).is_some_and(|at| Instant::now() < *at) {
                    continue;
                }
                let fetched = rt.block_on(async { tokio::time::timeout(Duration::from_secs(120), artifacts::prepare(store, unit, &state.current, &self.cache)).await });
                match fetched {
                    Ok(Ok(prepared)) => {
                        self.refused.remove(unit);
                        self.prepared.insert(key.clone(), prepared);
                    }
                    Ok(Err(reason)) => {
                        // Not fetched again at every poll (an executable is megabytes).
                        self.retry_at.insert(key.clone(), Instant::now() + RETRY_REFUSED);
                        if self.refused.get(unit) != Some(&reason) {
                            log(&self.name, &format!("refusing {unit} {}: {reason}; keeping what runs", short(&version)));
                            self.refused.insert(unit.clone(), reason);
                        }
                        continue;
                    }
                    Err(_) => continue,
                }
            }
            let current: Vec<usize> = (0..self.procs.len()).filter(|&i| self.procs[i].unit == *unit && self.procs[i].version == version && !matches!(self.procs[i].state, State::Draining(_))).collect();
            for _ in current.len()..want {
                if let Err(e) = self.start(&desired, unit, &key) {
                    log(&self.name, &format!("cannot start {unit}: {e}"));
                    break;
                }
            }
            let ready = current.iter().filter(|&&i| self.procs[i].state == State::Ready).count();
            for &i in current.iter().skip(want) {
                self.drain(i, "more replicas than desired");
            }
            if ready >= want {
                // The new version runs: the old one drains.
                for i in 0..self.procs.len() {
                    if self.procs[i].unit == *unit && self.procs[i].version != version {
                        self.drain(i, &format!("replaced by {}", short(&version)));
                    }
                }
            }
        }
    }

    fn start(&mut self, desired: &Desired, unit: &str, key: &(String, String)) -> Result<(), String> {
        let prepared = self.prepared.get(key).ok_or("not prepared")?;
        self.next_proc += 1;
        let base = self.run_dir.join(format!("{unit}-{}", self.next_proc));
        let ready_file = base.with_extension("ready");
        let config_path = base.with_extension("runtime.json");
        let _ = std::fs::remove_file(&ready_file);
        let local_address = self.args.bind.map(|ip| ip.to_string());
        let engine = Engine {
            servers: &self.args.servers,
            drain_ms: self.args.drain_ms,
            trace: self.trace.as_deref(),
            local_address: local_address.as_deref(),
            ca_file: self.args.access.ca_file.as_deref(),
            credentials: self.credentials.as_ref(),
        };
        let config = artifacts::runtime_config(desired, unit, prepared, &engine, "serve", Some(&ready_file))?;
        write_private(&config_path, &config.to_string())?;
        let mut command = Command::new(&prepared.executable);
        command.arg0(unit).env("G2N_RUNTIME", &config_path).stdin(Stdio::null()).stdout(Stdio::null());
        die_with_g2n(&mut command, true);
        let child = command.spawn().map_err(|e| format!("cannot start {}: {e}", prepared.executable.display()))?;
        log(&self.name, &format!("started {unit} (pid {}, {})", child.id(), short(&key.1)));
        self.procs.push(Proc { unit: unit.to_string(), version: key.1.clone(), child, ready_file, state: State::Starting(Instant::now()) });
        Ok(())
    }

    fn report(&self) -> HostReport {
        let mut units: BTreeMap<String, Vec<Process>> = BTreeMap::new();
        for p in &self.procs {
            let state = match p.state {
                State::Starting(_) => "starting",
                State::Ready => "ready",
                State::Draining(_) => "draining",
            };
            units.entry(p.unit.clone()).or_default().push(Process { pid: p.child.id(), version: p.version.clone(), state: state.into() });
        }
        HostReport {
            host: self.name.clone(),
            pid: std::process::id(),
            at_ms: now_ms(),
            serves: (!self.args.serve.is_empty()).then(|| self.args.serve.clone()),
            units,
            refused: self.refused.clone(),
        }
    }

    /// Drains every process and waits for them (bounded); 0 when all
    /// drained in time.
    fn stop_all(&mut self) -> i32 {
        for i in 0..self.procs.len() {
            self.drain(i, "the host stops");
        }
        let deadline = Instant::now() + self.drain_bound();
        while Instant::now() < deadline {
            self.procs.retain_mut(|p| matches!(p.child.try_wait(), Ok(None)));
            if self.procs.is_empty() {
                return 0;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        for p in &mut self.procs {
            let _ = p.child.kill();
            let _ = p.child.wait();
        }
        1
    }
}

fn short(hash: &str) -> &str {
    let hex = g2n_deploy::names::object_name(hash);
    &hex[..hex.len().min(12)]
}

/// Writes a file only this user can read (it holds the handoff key).
pub fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
