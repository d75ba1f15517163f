//! `g2n run`: builds, then starts the program or the whole mesh on loopback,
//! and the manifests that `g2n build` writes.
//!
//! The local cluster runs every nanoservice on this machine, whatever its
//! `goToNetworks` host: processes talk over Unix sockets in the run's private
//! directory (docs/protocol.md, "Local meshes"), and nothing a run does
//! leaves this machine. Each nanoservice other than the entry runs as
//! a serving process; the entry runs as the flow's origin with the terminal's
//! stdio, and its exit code is the run's.

use crate::driver::{self, BuiltUnit, Failed, Loaded};
use crate::lifetime::{RunDir, die_with_g2n};
use g2n_split::MeshPlan;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Environment variable through which the runtime receives its configuration.
const RUNTIME_CONFIG_ENV: &str = "G2N_RUNTIME";
/// How long a serving nanoservice may take to start listening.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    if getrandom::fill(&mut buf).is_err() {
        // A run without randomness still works; it only weakens the run secret.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        buf = nanos.to_le_bytes().iter().cycle().take(bytes).copied().collect();
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// The username every route of a local run presents; its password is a
/// random secret per target, made for this run.
const RUN_USER: &str = "g2n-run";

/// Linux's limit on a Unix socket path (`sun_path`, 108 bytes with the NUL).
const MAX_SOCKET_PATH: usize = 107;

/// Where host `host` of a run listens: a Unix socket in the run's private
/// directory (no other user can connect to it, and nothing listens on the
/// network), or, if the directory's path is too long for a socket, a
/// loopback TCP port.
fn host_address(dir: &Path, host: usize) -> Result<String, String> {
    let path = dir.join(format!("host-{host}.sock"));
    match path.to_str() {
        Some(path) if path.len() <= MAX_SOCKET_PATH => Ok(path.to_string()),
        _ => Ok(format!("127.0.0.1:{}", free_loopback_port()?)),
    }
}

/// A loopback port for a nanoservice to listen on. Ports are chosen below
/// Linux's ephemeral range (32768-60999): a port the kernel hands out for
/// `bind(0)` or an outgoing connection may be handed out again before the
/// nanoservice binds it, which made large meshes fail with "Address already
/// in use". Each port is handed out once per `g2n` process.
fn free_loopback_port() -> Result<u16, String> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    static TAKEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    static STATE: AtomicU64 = AtomicU64::new(0);
    const LOW: u64 = 20_000;
    const SPAN: u64 = 12_000;
    if STATE.load(Ordering::Relaxed) == 0 {
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
            ^ ((std::process::id() as u64) << 32)
            | 1;
        STATE.store(seed, Ordering::Relaxed);
    }
    let mut taken = TAKEN.lock().map_err(|_| "port table poisoned".to_string())?;
    for _ in 0..200 {
        // xorshift64: spreads concurrent g2n processes over the range.
        let mut x = STATE.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        STATE.store(x, Ordering::Relaxed);
        let port = (LOW + x % SPAN) as u16;
        if taken.contains(&port) {
            continue;
        }
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            taken.push(port);
            return Ok(port);
        }
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind a loopback port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

struct Services {
    children: Vec<(String, Child)>,
    /// On NATS, hosts are asked to drain (SIGTERM) and given this long to
    /// finish the steps they hold before they are killed (docs/protocol.md,
    /// "Draining"); None: killed at once.
    graceful: Option<Duration>,
}

/// The longest `g2n run` waits for NATS hosts to drain.
const DRAIN_WAIT: Duration = Duration::from_secs(2);

impl Services {
    /// Sends SIGTERM to every host and waits until they have all exited or
    /// `bound` has passed.
    fn ask_to_drain(&mut self, bound: Duration) {
        for (_, child) in &self.children {
            if let Ok(pid) = libc::pid_t::try_from(child.id()) {
                // SAFETY: kill(2) on a child this process has not reaped yet.
                unsafe { libc::kill(pid, libc::SIGTERM) };
            }
        }
        let deadline = Instant::now() + bound;
        let mut running: Vec<&mut Child> = self.children.iter_mut().map(|(_, c)| c).collect();
        while !running.is_empty() && Instant::now() < deadline {
            running.retain_mut(|c| matches!(c.try_wait(), Ok(None)));
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        if let Some(bound) = self.graceful {
            self.ask_to_drain(bound);
        }
        for (_, child) in &mut self.children {
            // Each host leads its own process group: stop whatever it started too.
            if let Ok(pid) = libc::pid_t::try_from(child.id()) {
                // SAFETY: kill(2) with a negative pid signals that process group.
                unsafe { libc::kill(-pid, libc::SIGKILL) };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Where `g2n run` puts the nanoservices of a mesh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// A split program's nanoservices spread over this many host processes
    /// (1: the whole program in one process, every hop in memory).
    Hosts(usize),
    /// One process per nanoservice.
    PerService,
}

/// `g2n run`; with `nats`, over the NATS engine (crate::nats).
pub fn run(
    files: &[PathBuf],
    args: &[String],
    verbose: bool,
    trace: Option<&Path>,
    split: driver::SplitMode,
    placement: Placement,
    nats: Option<&crate::nats::NatsRun>,
    tls: Option<Option<&Path>>,
) -> i32 {
    let trace = match trace.map(open_trace_file).transpose() {
        Ok(trace) => trace,
        Err(message) => {
            eprintln!("error: {message}");
            return 1;
        }
    };
    // A private directory for the run's executables and runtime configs,
    // removed however the run ends (crate::lifetime).
    let dir = match RunDir::create(&random_hex(4)) {
        Ok(dir) => dir,
        Err(message) => {
            eprintln!("error: {message}");
            return 1;
        }
    };
    run_in(dir.path(), files, args, verbose, trace.as_deref(), split, placement, nats, tls).unwrap_or(1)
}

/// Creates the trace file if needed (events are appended, never truncated) and
/// returns its absolute path, which every process of the mesh receives in its
/// runtime configuration as `trace_file`.
fn open_trace_file(path: &Path) -> Result<String, String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open trace file {}: {e}", path.display()))?;
    let absolute = std::path::absolute(path).map_err(|e| format!("cannot resolve trace file {}: {e}", path.display()))?;
    absolute.into_os_string().into_string().map_err(|_| format!("trace file path {} is not UTF-8", path.display()))
}

/// The host (process) of every unit, by unit index; host 0 holds the entry
/// and is the origin. Nanoservices can share a host when one executable
/// holds them all: a split program's, or the one executable a mesh of
/// separate configs is built into for one host (`one_executable`);
/// otherwise each gets its own process. Units are cut into contiguous runs
/// in program order (for a per-line split, runs of consecutive lines; for
/// configs, their order on the command line), so most hops stay inside a
/// host and a flow crosses hosts at the runs' ends.
fn place(plan: &MeshPlan, placement: Placement, one_executable: bool) -> (Vec<usize>, usize) {
    let n = plan.units.len();
    let shareable = n > 0 && (one_executable || plan.units.iter().all(|u| u.whole_program));
    let hosts = match placement {
        Placement::Hosts(h) if shareable => h.clamp(1, n),
        _ => n,
    };
    // The entry first, then the others in program order (by their first
    // resume point: a per-line split's `line-N` in line order).
    let mut others: Vec<usize> = (0..n).filter(|&i| i != plan.entry).collect();
    others.sort_by_key(|&i| plan.units[i].entries.iter().map(|e| e.resume_point).min().unwrap_or(u32::MAX));
    let order: Vec<usize> = std::iter::once(plan.entry).chain(others).collect();
    let mut host_of = vec![0; n];
    for (position, &unit) in order.iter().enumerate() {
        host_of[unit] = position * hosts / n.max(1);
    }
    (host_of, hosts)
}

fn run_in(
    dir: &Path,
    files: &[PathBuf],
    args: &[String],
    verbose: bool,
    trace: Option<&str>,
    split: driver::SplitMode,
    placement: Placement,
    nats: Option<&crate::nats::NatsRun>,
    tls: Option<Option<&Path>>,
) -> Result<i32, Failed> {
    let fail = |message: String| {
        eprintln!("error: {message}");
        Failed
    };
    let started = Instant::now();
    let loaded = driver::load_split(files, split)?;
    let plan = driver::analyse(&loaded)?;
    if let Some(trace) = trace {
        // For the editor's hover (crate::traced_run): which code this trace is of.
        let sources: Vec<PathBuf> = loaded.units.iter().flat_map(|u| std::iter::once(u.path.clone()).chain(u.other_files.iter().map(|(p, _)| p.clone()))).collect();
        if let Err(message) = crate::traced_run::record(trace, &sources) {
            eprintln!("warning: {message}; g2n lsp will not show this run's bytes");
        }
    }
    if verbose {
        eprintln!("g2n: analysed {} nanoservice(s) in {:.2?}", plan.units.len(), started.elapsed());
    }
    // TLS lives in the networked archive only (g2n_runtime::tls says why).
    let engine = if nats.is_some() || tls.is_some() { crate::link::Engine::Nats } else { crate::link::Engine::Tcp };
    // A mesh of separate configs shares hosts like a split program unless
    // every nanoservice gets its own process.
    let one_executable = driver::is_config_mesh(&plan) && placement != Placement::PerService;
    let built = if one_executable {
        driver::build_one_host(&loaded, &plan, &dir.join("build"), false, engine, &crate::progress::Progress::silent())?
    } else {
        driver::build_plan_for(&loaded, &plan, &dir.join("build"), false, true, engine, &crate::progress::Progress::silent())?
    };
    if verbose {
        eprintln!("g2n: built {} nanoservice(s) in {:.2?}", built.len(), started.elapsed());
    }
    let entry_name = &plan.units[plan.entry].name;
    let executable_of = |index: usize| built.get(index).map(|b| b.executable.clone());

    if plan.units.len() == 1 && plan.units[0].exits.is_empty() {
        let executable = executable_of(plan.entry).ok_or_else(|| fail("entry executable missing".to_string()))?;
        let Some(trace) = trace else { return run_origin(&executable, args, None) };
        let config_path = driver::name_path(dir, entry_name, ".runtime.json").map_err(fail)?;
        let config = json!({ "role": "origin", "trace_file": trace });
        std::fs::write(&config_path, config.to_string()).map_err(|e| fail(format!("cannot write {}: {e}", config_path.display())))?;
        return run_origin(&executable, args, Some(&config_path));
    }

    let (host_of, host_count) = place(&plan, placement, one_executable);
    // With --tls: hosts on loopback TCP, each with a certificate of this
    // run signed by the deployment's CA (crate::certs).
    let tls_of = match tls {
        Some(ca_dir) => {
            let run_certs = dir.join("tls");
            std::fs::create_dir_all(&run_certs).map_err(|e| fail(format!("cannot create {}: {e}", run_certs.display())))?;
            let (ca, _) = crate::certs::Ca::open_or_create(ca_dir.unwrap_or(&run_certs), "g2n-run").map_err(fail)?;
            let mut files = Vec::with_capacity(host_count);
            for host in 0..host_count {
                let signed = ca.sign_host(&run_certs, &format!("host-{host}"), &["127.0.0.1".to_string(), "localhost".to_string()]).map_err(fail)?;
                files.push(signed.runtime_json());
            }
            Some(files)
        }
        None => None,
    };
    let address_of = |host: usize| -> Result<String, String> {
        if tls_of.is_some() { Ok(format!("127.0.0.1:{}", free_loopback_port()?)) } else { host_address(dir, host) }
    };
    // On NATS: every process's engine fields, and how many of each host.
    let nats_fields = match nats {
        Some(n) => {
            let names: Vec<&str> = plan.units.iter().map(|u| u.name.as_str()).collect();
            if let Some(unknown) = n.replicas.unknown(&names).first() {
                return Err(fail(format!("--replicas {unknown}=N: the mesh has no nanoservice '{unknown}'")));
            }
            Some(n.mesh_name(entry_name).map_err(fail)?)
        }
        None => None,
    };
    // With --nats-auth every process connects as its nanoservice's user,
    // on the mesh the authorization names (crate::nats_auth).
    let nats_auth = match nats.and_then(|n| n.auth.as_deref().map(|dir| (dir, n))) {
        Some((dir, n)) => Some(crate::nats_auth::for_run(&loaded, &plan, dir, &n.mesh).map_err(fail)?),
        None => None,
    };
    let nats_fields = match &nats_auth {
        Some(auth) => nats_fields.map(|_| auth.mesh.clone()),
        None => nats_fields,
    }
    .map(|mesh| nats.map(|n| n.runtime_fields(&mesh)).unwrap_or_default());
    // A process of several nanoservices opens one connection per
    // nanoservice, each as that nanoservice's user (`nats.users`): its
    // first nanoservice's (the entry on the origin) is the main one.
    let connect_as = |config: &mut serde_json::Value, host: &[&str]| -> Result<(), Failed> {
        let Some(auth) = &nats_auth else { return Ok(()) };
        let user_of = |unit: &str| auth.user_of(unit).ok_or_else(|| fail(format!("the NATS authorization has no user for nanoservice '{unit}'")));
        let Some(first) = host.first() else { return Ok(()) };
        crate::nats_auth::add_user(config, user_of(first)?);
        if host.len() > 1 {
            let users = host.iter().map(|unit| Ok((unit.to_string(), crate::nats_auth::runtime_fields(user_of(unit)?)))).collect::<Result<serde_json::Map<_, _>, Failed>>()?;
            if let Some(nats) = config.get_mut("nats").and_then(|n| n.as_object_mut()) {
                nats.insert("users".into(), serde_json::Value::Object(users));
            }
        }
        Ok(())
    };
    // Each host's units, the entry first on host 0 (its process runs as the
    // entry, where the flow starts).
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); host_count];
    for unit in std::iter::once(plan.entry).chain((0..plan.units.len()).filter(|&i| i != plan.entry)) {
        members[host_of[unit]].push(unit);
    }
    let unit_index: std::collections::HashMap<&str, usize> = plan.units.iter().enumerate().map(|(i, u)| (u.name.as_str(), i)).collect();

    // Every target gets a random secret of its own for this run: the keys of
    // a local mesh never derive from a password (the configs' goToNetworks
    // credentials are for deployments, not for this machine).
    let secrets: Vec<String> = plan.units.iter().map(|_| random_hex(32)).collect();
    // Every caller's route to each target on another host, and what each
    // target accepts from callers on other hosts (in-host hops need neither).
    let mut routes: Vec<serde_json::Map<String, serde_json::Value>> = vec![serde_json::Map::new(); host_count];
    let mut accepts: BTreeMap<usize, Vec<serde_json::Value>> = BTreeMap::new();
    let mut remote_target = vec![false; host_count];
    let mut addresses = vec![String::new(); host_count];
    for (index, unit) in plan.units.iter().enumerate() {
        for exit in &unit.exits {
            let Some(&target) = unit_index.get(exit.target.as_str()) else { continue };
            let (from_host, to_host) = (host_of[index], host_of[target]);
            if from_host == to_host {
                continue;
            }
            if addresses[to_host].is_empty() {
                addresses[to_host] = address_of(to_host).map_err(fail)?;
            }
            remote_target[to_host] = true;
            if verbose
                && let Some(host) = loaded
                    .units
                    .iter()
                    .find(|u| u.name == unit.name)
                    .and_then(|u| u.config.as_ref())
                    .and_then(|c| c.go_to_networks.get(&exit.target))
                    .and_then(|e| e.host.as_ref())
            {
                eprintln!("g2n: local cluster: host {host} of '{}' is {} on this machine", exit.target, addresses[to_host]);
            }
            // One route per target and host.
            // A random key, used as it is (no password derivation).
            let key = &secrets[target];
            routes[from_host]
                .entry(exit.target.clone())
                .or_insert_with(|| json!({ "addr": addresses[to_host], "username": RUN_USER, "key": key }));
            let accepted = json!({ "username": RUN_USER, "key": key });
            let list = accepts.entry(target).or_default();
            if !list.contains(&accepted) {
                list.push(accepted);
            }
        }
    }
    let units_of = |host: usize| -> Vec<&str> { members[host].iter().map(|&u| plan.units[u].name.as_str()).collect() };
    let unit_accept = |host: usize| -> serde_json::Map<String, serde_json::Value> {
        members[host]
            .iter()
            .filter_map(|u| accepts.get(u).map(|list| (plan.units[*u].name.clone(), serde_json::Value::from(list.clone()))))
            .collect()
    };
    // A process runs as the nanoservice its executable is named after (a
    // split program's executable picks it by name): the first of the host.
    let executable_for = |host: usize| -> Result<PathBuf, Failed> {
        let first = members[host][0];
        let executable = executable_of(first).ok_or_else(|| fail(format!("executable of {} missing", plan.units[first].name)))?;
        let name = &plan.units[first].name;
        if executable.file_name().is_some_and(|f| f == name.as_str()) {
            return Ok(executable);
        }
        let named = driver::name_path(&dir.join("hosts").join(format!("{host}")), name, "").map_err(fail)?;
        if let Some(parent) = named.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
        }
        driver::link_or_copy(&executable, &named).map_err(fail)?;
        Ok(named)
    };

    // On NATS the hosts drain when the run is done: at most DRAIN_WAIT, and
    // less than an ack wait (past that, their steps are redelivered anyway).
    let graceful = nats.map(|n| n.ack_wait_ms.map_or(DRAIN_WAIT, |ms| DRAIN_WAIT.min(Duration::from_millis(ms))));
    let mut services = Services { children: Vec::new(), graceful };
    let mut ready_files = Vec::new();
    // Over TCP one process per host after the origin's; over NATS every host
    // (the origin's too, when flows come back to it) runs as replicas.
    let mut processes: Vec<(usize, usize)> = (1..host_count).map(|h| (h, 0)).collect();
    if let Some(n) = nats {
        let first = if remote_target[0] { 0 } else { 1 };
        processes = (first..host_count).flat_map(|h| (0..n.replicas.of(&units_of(h))).map(move |r| (h, r))).collect();
    }
    // With --bind-from each process binds its NATS connection to an
    // address of its own: the origin the first, the hosts the next ones.
    let process_count = processes.len() + 1;
    let bind = |config: &mut serde_json::Value, index: usize| -> Result<(), Failed> {
        let Some(n) = nats else { return Ok(()) };
        if let Some(address) = n.local_address(index, process_count).map_err(fail)?
            && let Some(engine) = config.get_mut("nats").and_then(|v| v.as_object_mut())
        {
            engine.insert("local_address".into(), json!(address));
        }
        Ok(())
    };
    for (index, (host, replica)) in processes.into_iter().enumerate() {
        let ready_file = dir.join(format!("host-{host}-{replica}.ready"));
        // Hosts on NATS take their steps from the engine; what they listen
        // on is never dialled, so replicas of one host need no own socket.
        let listen = if nats.is_some() {
            "127.0.0.1:0".to_string()
        } else if addresses[host].is_empty() {
            address_of(host).map_err(fail)?
        } else {
            addresses[host].clone()
        };
        let config = json!({
            "role": "serve",
            "listen": listen,
            "ready_file": ready_file,
            "units": units_of(host),
            "unit_accept": unit_accept(host),
            "host_name": host_name(&units_of(host), host),
            "routes": routes[host],
            "trace_file": trace,
        });
        let mut config = config;
        if let (Some(fields), Some(object)) = (&nats_fields, config.as_object_mut()) {
            object.extend(fields.clone());
        }
        if let Some(files) = &tls_of {
            config["tls"] = files[host].clone();
        }
        connect_as(&mut config, &units_of(host))?;
        bind(&mut config, index + 1)?;
        let config_path = dir.join(format!("host-{host}-{replica}.runtime.json"));
        std::fs::write(&config_path, config.to_string()).map_err(|e| fail(format!("cannot write {}: {e}", config_path.display())))?;
        let executable = executable_for(host)?;
        let label = if replica == 0 { host_name(&units_of(host), host) } else { format!("{} (replica {replica})", host_name(&units_of(host), host)) };
        let mut command = Command::new(&executable);
        command.env(RUNTIME_CONFIG_ENV, &config_path).stdin(Stdio::null()).stdout(Stdio::null());
        die_with_g2n(&mut command, true);
        let child = command
            .spawn()
            .map_err(|e| fail(format!("cannot start nanoservice '{label}': {e}")))?;
        services.children.push((label.clone(), child));
        ready_files.push((label, ready_file));
    }
    wait_ready(&mut services, &ready_files).map_err(fail)?;
    if verbose {
        eprintln!("g2n: {} host process(es) for {} nanoservice(s) ready after {:.2?}", host_count, plan.units.len(), started.elapsed());
    }

    let mut config = json!({
        "role": "origin",
        "units": units_of(0),
        "routes": routes[0],
        "trace_file": trace,
        "host_name": host_name(&units_of(0), 0),
    });
    if let Some(files) = &tls_of {
        // Output and End come back over TLS on a loopback port.
        config["tls"] = files[0].clone();
    } else if host_count > 1 && nats_fields.is_none() {
        // Output and End come back on a socket of the run's directory too.
        let return_addr = dir.join("return.sock");
        match return_addr.to_str() {
            Some(path) if path.len() <= MAX_SOCKET_PATH => config["return_listen"] = json!(path),
            _ => {}
        }
    }
    if let (Some(fields), Some(object)) = (&nats_fields, config.as_object_mut()) {
        object.extend(fields.clone());
        connect_as(&mut config, &units_of(0))?;
        bind(&mut config, 0)?;
    } else if remote_target[0] {
        // A flow may come back to a nanoservice on the origin's host.
        config["serve"] = json!(true);
        config["listen"] = json!(addresses[0]);
        config["unit_accept"] = json!(unit_accept(0));
    }
    let config_path = driver::name_path(dir, entry_name, ".runtime.json").map_err(fail)?;
    std::fs::write(&config_path, config.to_string()).map_err(|e| fail(format!("cannot write {}: {e}", config_path.display())))?;
    let executable = executable_for(0)?;
    let flow_started = Instant::now();
    let code = run_origin(&executable, args, Some(&config_path));
    if verbose {
        eprintln!("g2n: the origin process (start-up and the whole flow) ran for {:.2?}", flow_started.elapsed());
    }
    drop(services);
    code
}

/// A host's name in logs: its nanoservice when it has one, else `host-N`.
fn host_name(units: &[&str], host: usize) -> String {
    match units {
        [one] => one.to_string(),
        _ => format!("host-{host}"),
    }
}

fn wait_ready(services: &mut Services, ready_files: &[(String, PathBuf)]) -> Result<(), String> {
    let deadline = Instant::now() + READY_TIMEOUT;
    for (name, ready_file) in ready_files {
        loop {
            if ready_file.is_file() {
                break;
            }
            if let Some((_, child)) = services.children.iter_mut().find(|(n, _)| n == name)
                && let Ok(Some(status)) = child.try_wait()
            {
                return Err(format!("nanoservice '{name}' exited before it was ready ({status})"));
            }
            if Instant::now() > deadline {
                return Err(format!("nanoservice '{name}' was not ready after {READY_TIMEOUT:?}"));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    Ok(())
}

/// Runs the flow's origin with this terminal's stdio and returns its exit code.
fn run_origin(executable: &Path, args: &[String], config: Option<&Path>) -> Result<i32, Failed> {
    let mut command = Command::new(executable);
    command.args(args);
    // The origin keeps the terminal (and g2n's process group, so a Ctrl-C
    // reaches it), and dies with g2n.
    die_with_g2n(&mut command, false);
    match config {
        Some(config) => command.env(RUNTIME_CONFIG_ENV, config),
        None => command.env_remove(RUNTIME_CONFIG_ENV),
    };
    let status = command.status().map_err(|e| {
        eprintln!("error: cannot start {}: {e}", executable.display());
        Failed
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            // Shells report death by signal N as 128 + N.
            return Ok(128 + signal);
        }
    }
    Ok(status.code().unwrap_or(1))
}

/// Writes `NAME/manifest.yaml` per unit and `mesh.yaml` into `out`.
pub fn write_manifests(loaded: &Loaded, plan: &MeshPlan, built: &[BuiltUnit], out: &Path) -> Result<(), String> {
    crate::manifests::write(loaded, plan, built, out)
}
