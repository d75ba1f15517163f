//! A host: one process serving any number of nanoservices (design, section 7).
//!
//! A split program's executable holds every nanoservice of the program (one
//! unit entry that dispatches on the resume point, and one descriptor per
//! nanoservice, docs/split.md), so one process can serve all of them. The
//! runtime configuration's `units` lists the nanoservices placed on this
//! process; the server accepts handoffs for each of them (the frame's
//! `target` picks the nanoservice, and that nanoservice's own entries and
//! scope types are checked), and a hop between two nanoservices of the same
//! host never touches a socket: the scope is encoded and decoded exactly as
//! for the network (so the same checks run), the step is recorded and traced,
//! and the flow goes on on the same thread (see `flow::run_steps`).
//!
//! An executable built from a single nanoservice config holds only that one
//! nanoservice: its host serves exactly one unit. An executable built from a
//! mesh of separate configs for one host (`g2n run`, `g2n build --one-host`)
//! holds every config, each with its own unit entry and program table
//! (`g2n_rt_main_mesh`): its host serves them as it serves a split
//! program's nanoservices, each step running its own config's code.

use crate::config::RuntimeConfig;
use crate::flow::Unit;
use crate::graph::GraphBudget;
use crate::wire::{self, FlowId, Key};
use g2n_abi::{UnitDescriptor, UnitEntryFn};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::AtomicU64;
use crate::net::Conn;
use std::sync::{Arc, Mutex, OnceLock};

/// One nanoservice of the executable: its name, and its descriptor, decoded
/// only when this host first needs it (a per-line split of a long `main` has
/// tens of thousands of nanoservices; start-up should not decode them all).
struct Record {
    name: String,
    text: DescText,
    /// The compiled unit entry that runs this nanoservice's code.
    entry: UnitEntryFn,
    /// Its program table's address; 0: the process's one program.
    program: usize,
    unit: OnceLock<Result<Arc<Unit>, String>>,
}

/// A nanoservice of an executable's table: its name, descriptor text, unit
/// entry and program table (0: the process's one program).
pub struct TableUnit {
    pub name: String,
    pub descriptor: &'static [u8],
    pub entry: UnitEntryFn,
    pub program: usize,
}

enum DescText {
    /// Descriptor text compiled into the executable.
    Static(&'static [u8]),
    /// Already decoded (tests, single-unit executables).
    Decoded(UnitDescriptor),
}

pub struct Host {
    pub(crate) config: Arc<RuntimeConfig>,
    /// `g2n[NAME]` in logs: the nanoservice's name when the host serves one,
    /// else `host_name` from the configuration (or `host`).
    pub(crate) name: String,
    records: Vec<Record>,
    by_name: HashMap<String, u32>,
    /// Indexes of the nanoservices served here.
    hosted: HashSet<u32>,
    /// Credentials accepted for every hosted nanoservice (`accept`).
    accept_keys: HashMap<String, Key>,
    /// Per-nanoservice credentials (`unit_accept`), replacing `accept_keys`.
    unit_accept: HashMap<String, HashMap<String, Key>>,
    /// Every accepted key by its key id (`accept` and `unit_accept`), with
    /// its username: a frame's header names its key by id (protocol v5).
    key_ids: HashMap<wire::KeyId, (String, Key)>,
    /// The key presented to each remote target (`routes`).
    pub(crate) route_keys: BTreeMap<String, Key>,
    /// (flow id, step) of every step this host accepted over the network and
    /// has not yet expired (`dedupe_retention_ms` after it finished): a
    /// retry or re-send of a step never runs it twice. In-host hops are not
    /// recorded (flow.rs says why).
    pub(crate) seen: Mutex<HashSet<(FlowId, u64)>>,
    /// How many flows the server started (tests watch it).
    pub(crate) started: AtomicU64,
    /// When this host started (ms since the Unix epoch): it refuses
    /// handoffs sent before, which its (flow, step) records cannot know.
    pub(crate) started_ms: u64,
    /// `graph_memory_budget`: what received scope graphs may hold at once.
    pub(crate) graph_budget: Arc<GraphBudget>,
    /// Durable handoffs: which received steps have finished, and the extra
    /// connections (re-sent handoffs of a step still running) waiting for
    /// their Done.
    steps: Mutex<StepBook>,
    /// How TCP connections are made and taken (TLS or loopback only).
    pub(crate) transport: crate::net::Transport,
    /// Kept connections to other hosts, by address: a handoff's connection
    /// comes back here once its Done has arrived, and the next handoff to
    /// that address reuses it (no connect, and the receiver's connection
    /// thread is already waiting on it).
    pool: Mutex<HashMap<String, Vec<Conn>>>,
}

/// A host reads frames under every key it accepts.
impl wire::KeyRing for Host {
    fn find(&self, id: &wire::KeyId) -> Option<Key> {
        self.key_ids.get(id).map(|(_, key)| *key)
    }
}

/// Kept connections per address (bounds the file descriptors a host keeps).
const POOL_PER_ADDR: usize = 8;

/// At most this many connections wait for one running step's Done. A sender
/// re-sends a step only after losing its connection, a few times at most;
/// more is a replay flood, and each waiting connection would hold a file
/// descriptor (in CLOSE_WAIT once its peer has gone) until the step ends.
pub(crate) const MAX_WATCHERS_PER_STEP: usize = 8;

/// What [`Host::watch_step`] did with a re-sent handoff's connection.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Watch {
    Finished,
    Watching,
    Full,
}

#[derive(Default)]
struct StepBook {
    finished: HashSet<(FlowId, u64)>,
    watchers: HashMap<(FlowId, u64), Vec<(Conn, Key)>>,
    /// Finished steps in the order they finished, to forget them once
    /// `dedupe_retention_ms` has passed.
    expiry: std::collections::VecDeque<(std::time::Instant, (FlowId, u64))>,
}

impl Host {
    /// A host of the single nanoservice `desc` (an executable of one unit).
    pub fn single(config: RuntimeConfig, desc: UnitDescriptor, entry: UnitEntryFn) -> Result<Arc<Host>, String> {
        let name = desc.unit.clone();
        Host::build(config, vec![(name, DescText::Decoded(desc), entry, 0)], 0)
    }

    /// A host over a table of nanoservices `(name, descriptor text)`: it
    /// serves the configuration's `units` (every one must be in the table)
    /// plus `own`, the nanoservice the executable was started as.
    pub fn from_table(config: RuntimeConfig, entry: UnitEntryFn, table: Vec<(String, &'static [u8])>, own: u32) -> Result<Arc<Host>, String> {
        Host::build(config, table.into_iter().map(|(n, t)| (n, DescText::Static(t), entry, 0)).collect(), own)
    }

    /// A host over the separately compiled configs of an executable: each
    /// runs its own entry with its own program table. Serves the
    /// configuration's `units` plus `own`, as [`Host::from_table`].
    pub fn from_units(config: RuntimeConfig, table: Vec<TableUnit>, own: u32) -> Result<Arc<Host>, String> {
        Host::build(config, table.into_iter().map(|u| (u.name, DescText::Static(u.descriptor), u.entry, u.program)).collect(), own)
    }

    /// [`Host::from_table`] over decoded descriptors (tests and benchmarks
    /// with stand-in unit entries).
    pub fn from_descriptors(config: RuntimeConfig, entry: UnitEntryFn, descs: Vec<UnitDescriptor>, own: u32) -> Result<Arc<Host>, String> {
        Host::build(config, descs.into_iter().map(|d| (d.unit.clone(), DescText::Decoded(d), entry, 0)).collect(), own)
    }

    fn build(config: RuntimeConfig, table: Vec<(String, DescText, UnitEntryFn, usize)>, own: u32) -> Result<Arc<Host>, String> {
        let mut by_name = HashMap::with_capacity(table.len());
        let records: Vec<Record> = table
            .into_iter()
            .enumerate()
            .map(|(i, (name, text, entry, program))| {
                by_name.insert(name.clone(), i as u32);
                Record { name, text, entry, program, unit: OnceLock::new() }
            })
            .collect();
        let mut hosted = HashSet::new();
        if (own as usize) < records.len() {
            hosted.insert(own);
        }
        for name in &config.units {
            let Some(&i) = by_name.get(name) else {
                return Err(format!("the runtime configuration places nanoservice '{name}' on this host, but this executable does not hold it"));
            };
            hosted.insert(i);
        }
        // Each distinct credential is derived once: a process that presents
        // one user on every route (and accepts it) would otherwise run the
        // 19 MiB Argon2id once per route, at every start.
        let mut derived: Vec<(crate::config::Credential, wire::Key)> = Vec::new();
        let same = |a: &crate::config::Credential, b: &crate::config::Credential| a.username == b.username && a.password == b.password && a.password_env == b.password_env && a.key == b.key;
        let mut derive = |c: &crate::config::Credential| -> Result<wire::Key, String> {
            if let Some((_, key)) = derived.iter().find(|(d, _)| same(d, c)) {
                return Ok(*key);
            }
            let key = c.derive_key(&config.credential_salt)?;
            derived.push((c.clone(), key));
            Ok(key)
        };
        let mut accept_keys = HashMap::new();
        for c in &config.accept {
            accept_keys.insert(c.username.clone(), derive(c)?);
        }
        let mut unit_accept = HashMap::new();
        for (unit, list) in &config.unit_accept {
            let mut keys = HashMap::new();
            for c in list {
                keys.insert(c.username.clone(), derive(c)?);
            }
            unit_accept.insert(unit.clone(), keys);
        }
        let mut key_ids = HashMap::new();
        for (user, key) in accept_keys.iter().chain(unit_accept.values().flatten()) {
            key_ids.insert(wire::key_id(key), (user.clone(), *key));
        }
        let mut route_keys = BTreeMap::new();
        for (name, r) in &config.routes {
            let c = &r.credential;
            route_keys.insert(name.clone(), derive(c)?);
        }
        let name = match (&config.host_name, hosted.len()) {
            (Some(n), _) => n.clone(),
            (None, 1) => hosted.iter().next().map(|&i| records[i as usize].name.clone()).unwrap_or_default(),
            (None, _) => "host".to_string(),
        };
        let graph_budget = GraphBudget::new(config.graph_memory_budget);
        let transport = crate::net::Transport::from_config(&config)?;
        let host = Arc::new(Host {
            config: Arc::new(config),
            name,
            records,
            by_name,
            hosted,
            accept_keys,
            unit_accept,
            key_ids,
            route_keys,
            seen: Mutex::new(HashSet::new()),
            started: AtomicU64::new(0),
            started_ms: wire::now_ms(),
            graph_budget,
            steps: Mutex::new(StepBook::default()),
            transport,
            pool: Mutex::new(HashMap::new()),
        });
        // Decode the nanoservice the executable runs as now, so a broken
        // descriptor stops the process at start-up with a clear message.
        if let Some(i) = host.hosted.contains(&own).then_some(own) {
            host.unit_at(i)?;
        }
        Ok(host)
    }

    /// The process's runtime configuration.
    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    /// How this host makes and takes TCP connections.
    pub fn transport(&self) -> &crate::net::Transport {
        &self.transport
    }

    /// The host's name in log lines (`g2n[NAME]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The names of the nanoservices served here, sorted.
    pub fn hosted_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.hosted.iter().map(|&i| self.records[i as usize].name.clone()).collect();
        names.sort();
        names
    }

    /// Logs `msg` as `g2n[NAME]: msg` on stderr.
    pub fn log_line(&self, msg: &str) {
        self.log(msg);
    }

    /// The number of nanoservices served here.
    pub fn hosted_count(&self) -> usize {
        self.hosted.len()
    }

    /// The single nanoservice's name when the host serves exactly one.
    pub(crate) fn only_unit(&self) -> Option<&str> {
        if self.hosted.len() == 1 { self.hosted.iter().next().map(|&i| self.records[i as usize].name.as_str()) } else { None }
    }

    /// A hosted nanoservice by name: `None` when it is not served here.
    pub(crate) fn unit(&self, name: &str) -> Option<Result<Arc<Unit>, String>> {
        let &i = self.by_name.get(name)?;
        if !self.hosted.contains(&i) {
            return None;
        }
        Some(self.unit_at(i))
    }

    /// The nanoservice at `index` of the executable's table, decoded once.
    pub fn unit_at(&self, index: u32) -> Result<Arc<Unit>, String> {
        let record = self.records.get(index as usize).ok_or_else(|| format!("no nanoservice number {index}"))?;
        record
            .unit
            .get_or_init(|| {
                let desc = match &record.text {
                    DescText::Decoded(d) => d.clone(),
                    DescText::Static(bytes) => {
                        let text = std::str::from_utf8(bytes).map_err(|_| format!("the descriptor of '{}' is not UTF-8 text", record.name))?;
                        let desc = UnitDescriptor::decode(text).map_err(|e| format!("invalid unit descriptor of '{}': {e}", record.name))?;
                        if desc.abi_version != g2n_abi::ABI_VERSION {
                            return Err(format!(
                                "unit '{}' was built for runtime ABI version {}, but this runtime implements version {}; rebuild it with a matching g2n",
                                desc.unit,
                                desc.abi_version,
                                g2n_abi::ABI_VERSION
                            ));
                        }
                        desc
                    }
                };
                Ok(Arc::new(Unit { desc, config: self.config.clone(), entry: record.entry, program: record.program, index }))
            })
            .clone()
    }

    /// The keys that may hand flows to `target`, if it is hosted here.
    pub(crate) fn accept_keys_for(&self, target: &str) -> &HashMap<String, Key> {
        self.unit_accept.get(target).unwrap_or(&self.accept_keys)
    }

    /// The username of an accepted key that may hand flows to `target`.
    pub(crate) fn accepted_user(&self, target: &str, key: &Key) -> Option<&str> {
        self.accept_keys_for(target).iter().find(|(_, k)| *k == key).map(|(u, _)| u.as_str())
    }

    pub(crate) fn log(&self, msg: &str) {
        crate::flow::log(&self.name, msg);
    }

    /// A re-sent handoff of a step this host accepted before: `Finished`
    /// (the caller sends Done now), `Watching` (`conn` is kept and gets Done
    /// when the step finishes), or `Full`: [`MAX_WATCHERS_PER_STEP`]
    /// connections wait already, so `conn` is dropped (closed) instead.
    pub(crate) fn watch_step(&self, id: FlowId, step: u64, conn: Conn, key: Key) -> Watch {
        let mut book = self.steps.lock().unwrap_or_else(|e| e.into_inner());
        if book.finished.contains(&(id, step)) {
            return Watch::Finished;
        }
        let waiting = book.watchers.entry((id, step)).or_default();
        if waiting.len() >= MAX_WATCHERS_PER_STEP {
            return Watch::Full;
        }
        waiting.push((conn, key));
        Watch::Watching
    }

    /// A kept connection to `addr`, if there is one.
    pub(crate) fn pooled(&self, addr: &str) -> Option<Conn> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).get_mut(addr).and_then(Vec::pop)
    }

    /// Keeps `conn` to `addr` for the next handoff there.
    pub(crate) fn keep(&self, addr: &str, conn: Conn) {
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        let list = pool.entry(addr.to_string()).or_default();
        if list.len() < POOL_PER_ADDR {
            list.push(conn);
        }
    }

    /// Marks a received step finished; returns the extra connections waiting
    /// for its Done.
    pub(crate) fn finish_step(&self, id: FlowId, step: u64) -> Vec<(Conn, Key)> {
        let now = std::time::Instant::now();
        let retention = std::time::Duration::from_millis(self.config.dedupe_retention_ms);
        let mut book = self.steps.lock().unwrap_or_else(|e| e.into_inner());
        book.finished.insert((id, step));
        book.expiry.push_back((now, (id, step)));
        // Forget steps that finished longer ago than any sender re-sends
        // (its handoff deadline): the table stays as big as the steps of
        // the last `dedupe_retention_ms`, not of the host's lifetime.
        let mut expired = Vec::new();
        while let Some(&(at, key)) = book.expiry.front() {
            if now.duration_since(at) < retention {
                break;
            }
            book.expiry.pop_front();
            book.finished.remove(&key);
            expired.push(key);
        }
        let waiting = book.watchers.remove(&(id, step)).unwrap_or_default();
        drop(book);
        if !expired.is_empty() {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            for key in &expired {
                seen.remove(key);
            }
        }
        waiting
    }

    /// How many (flow, step) records the host keeps (tests watch it stay bounded).
    pub fn dedupe_entries(&self) -> usize {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner()).len();
        let book = self.steps.lock().unwrap_or_else(|e| e.into_inner());
        seen + book.finished.len()
    }
}
