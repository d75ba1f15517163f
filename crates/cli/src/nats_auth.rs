//! Who may send what on NATS (docs/protocol.md, "Who may send what"): the
//! authorization of a mesh, derived from its nanoservice configs and its
//! analysed exits.
//!
//! `g2n build --engine nats` writes OUT/nats/authorization.conf, an
//! `authorization { users = [...] }` block for nats-server to `include`
//! (bcrypt hashes only), and OUT/nats/credentials.json (mode 0600): the
//! passwords g2n generated, and per nanoservice its user and how its
//! password is found (a config's literal, or its `password_env` variable's
//! name, read from the environment of whoever connects). `g2n run --engine
//! nats --nats-auth OUT/nats`, `g2n flow result --nats-auth OUT/nats` and
//! the deployed-mesh commands (`g2n deploy/rollback/host/start/status
//! --nats-auth`, docs/deploy.md) read the latter.
//!
//! One user per nanoservice: the credential its config presents in
//! `goToNetworks` (every distinct one, all with the same rights; the hosts
//! connect as the first), else a generated `g2n-<mesh>-<nanoservice>` with
//! a random password. A nanoservice's user may publish only the step
//! subjects of its exits and its flows' results, consume only its own
//! nanoservice's consumer, and read replies only under its own inbox
//! prefix; only the entry's user reads results. A generated admin user
//! reads results, manages the mesh's streams and consumers and is the
//! deployer (the buckets of a deployed mesh); a generated host agents'
//! user may only read the artifacts and the desired state and write host
//! reports. No nanoservice's user may read the desired state, which holds
//! the mesh's handoff key.

use crate::driver::Loaded;
use g2n_abi::nats as names;
use g2n_deploy::names as deploy_names;
use g2n_manifest::config::Secret;
use g2n_split::MeshPlan;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The folder under a build's output that holds the authorization.
pub const DIR: &str = "nats";
pub const AUTH_FILE: &str = "authorization.conf";
pub const CREDENTIALS_FILE: &str = "credentials.json";
/// bcrypt's work factor: 11 is nats-server's own default (`nats server
/// passwd`); each connect costs the server one hash (~0.1 s).
pub const BCRYPT_COST: u32 = 11;

/// A NATS user and what it may do.
#[derive(Clone, Debug)]
pub struct User {
    pub username: String,
    pub password: String,
    /// The environment variable its config takes the password from
    /// (`password_env`): deployed hosts read it from theirs.
    pub password_env: Option<String>,
    /// The nanoservice whose rights it has; empty for the admin.
    pub nanoservice: String,
    pub publish: Vec<String>,
    pub subscribe: Vec<String>,
}

/// A mesh's users: per nanoservice, the one its hosts connect as first.
#[derive(Clone, Debug)]
pub struct Authorization {
    pub mesh: String,
    pub users: Vec<User>,
    pub admin: User,
    /// The user of `g2n host` agents (docs/deploy.md).
    pub host: User,
}

impl Authorization {
    /// The user the hosts of `nanoservice` connect as.
    pub fn user_of(&self, nanoservice: &str) -> Option<&User> {
        self.users.iter().find(|u| u.nanoservice == nanoservice)
    }
}

fn random_password() -> Result<String, String> {
    let mut buf = [0u8; 24];
    getrandom::fill(&mut buf).map_err(|e| format!("no randomness for a generated NATS password: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// What the user of `nanoservice` may publish and subscribe to.
fn rights(mesh: &str, username: &str, nanoservice: &str, exits: &BTreeSet<String>, consumes: bool, entry: bool) -> (Vec<String>, Vec<String>) {
    let steps = names::step_stream(mesh);
    let out = names::out_stream(mesh);
    let mut publish: Vec<String> = exits.iter().map(|t| names::step_subject(mesh, t)).collect();
    // Any step may print or end a flow.
    publish.push(names::out_subjects(mesh));
    // Every process sets up (idempotently) the streams it uses: it may look
    // them up and create them, never update, purge or delete them.
    for stream in [&steps, &out] {
        publish.push(names::js_api("STREAM.INFO", stream));
        publish.push(names::js_api("STREAM.CREATE", stream));
    }
    if consumes {
        // Its own durable consumer: look up, create (the filter subject
        // follows the name in a 2.9 create), pull, ack.
        let consumer = names::consumer(nanoservice);
        publish.push(names::js_api("CONSUMER.INFO", &format!("{steps}.{consumer}")));
        publish.push(names::js_api("CONSUMER.CREATE", &format!("{steps}.{consumer}.>")));
        publish.push(names::js_api("CONSUMER.MSG.NEXT", &format!("{steps}.{consumer}")));
        publish.push(names::ack_subjects(&steps, &consumer));
    }
    if entry {
        // The origin reads its flow's results through an ephemeral ordered
        // consumer, which it recreates (delete, create by name) after a gap.
        publish.push(names::js_api("CONSUMER.CREATE", &out));
        publish.push(names::js_api("CONSUMER.CREATE", &format!("{out}.>")));
        publish.push(names::js_api("CONSUMER.DELETE", &format!("{out}.*")));
        publish.push(names::js_api("CONSUMER.MSG.NEXT", &format!("{out}.*")));
    }
    let mut subscribe = vec![format!("{}.>", names::inbox_prefix(username))];
    if consumes {
        // With `nats.delivery: push` its consumer delivers here, to the
        // queue group of its hosts (docs/protocol.md, "Subjects, streams,
        // consumers"); no other user may listen in.
        subscribe.push(names::deliver_subject(mesh, nanoservice));
    }
    if entry {
        // The origin hears its flow's results live (no consumer to create
        // while a cluster elects leaders); what it may read through the
        // result stream's consumers anyway.
        subscribe.push(names::out_subjects(mesh));
    }
    (publish, subscribe)
}

/// The admin's rights: everything on the mesh's two streams and their
/// consumers, and on the buckets of a deployed mesh (docs/deploy.md: the
/// admin is the deployer, and `g2n status` reads as it), nothing else.
fn admin_rights(mesh: &str, username: &str) -> (Vec<String>, Vec<String>) {
    let mut publish = Vec::new();
    let buckets = [deploy_names::desired_bucket(mesh), deploy_names::hosts_bucket(mesh)];
    let streams = [names::step_stream(mesh), names::out_stream(mesh), format!("KV_{}", buckets[0]), format!("KV_{}", buckets[1]), format!("OBJ_{}", deploy_names::artifacts_bucket(mesh))];
    for stream in &streams {
        publish.push(names::js_api("STREAM.*", stream));
        publish.push(names::js_api("CONSUMER.*", stream));
        publish.push(names::js_api("CONSUMER.*", &format!("{stream}.>")));
        publish.push(names::js_api("CONSUMER.MSG.NEXT", &format!("{stream}.*")));
    }
    for stream in &streams[2..] {
        publish.extend(bucket_reads(stream));
    }
    for bucket in &buckets {
        publish.push(format!("$KV.{bucket}.>"));
    }
    publish.push(format!("$O.{}.>", deploy_names::artifacts_bucket(mesh)));
    // Finding the deployed meshes (`--mesh` left out) lists stream names.
    publish.push(names::js_api("STREAM", "NAMES"));
    (publish, vec![format!("{}.>", names::inbox_prefix(username))])
}

/// Reading a bucket's stream: a key's last message (direct or through the
/// API), and an ordered consumer over it (listing keys, reading an
/// object's chunks) with its flow control answers.
fn bucket_reads(stream: &str) -> Vec<String> {
    vec![
        names::js_api("STREAM.INFO", stream),
        names::js_api("STREAM.MSG.GET", stream),
        names::js_api("DIRECT.GET", &format!("{stream}.>")),
        names::js_api("CONSUMER.CREATE", stream),
        names::js_api("CONSUMER.CREATE", &format!("{stream}.>")),
        names::js_api("CONSUMER.DELETE", &format!("{stream}.*")),
        format!("$JS.FC.{stream}.>"),
    ]
}

/// The host agents' rights (`g2n host`, and `g2n start` reading what to
/// start): read the artifacts and the desired state, create the hosts
/// bucket and write reports in it. Never write the desired state or an
/// artifact. A report's key is the host's name, which NATS users in a
/// configuration file cannot be bound to: every host agent may write any
/// report key of the mesh.
fn host_rights(mesh: &str, username: &str) -> (Vec<String>, Vec<String>) {
    let desired = format!("KV_{}", deploy_names::desired_bucket(mesh));
    let hosts_bucket = deploy_names::hosts_bucket(mesh);
    let hosts = format!("KV_{hosts_bucket}");
    let artifacts = format!("OBJ_{}", deploy_names::artifacts_bucket(mesh));
    let mut publish = Vec::new();
    publish.extend(bucket_reads(&desired));
    publish.extend(bucket_reads(&artifacts));
    publish.push(names::js_api("STREAM.INFO", &hosts));
    publish.push(names::js_api("STREAM.CREATE", &hosts));
    // Every key deploy_names::host_key makes: `host.<token>`.
    publish.push(format!("$KV.{hosts_bucket}.host.*"));
    publish.push(names::js_api("STREAM", "NAMES"));
    (publish, vec![format!("{}.>", names::inbox_prefix(username))])
}

/// The credentials a nanoservice's config presents (`goToNetworks`, in
/// target order), each distinct username once; a password_env must be set.
/// Each: (username, password, the variable it came from).
fn config_credentials(loaded: &Loaded, nanoservice: &str) -> Result<Vec<ConfigCredential>, String> {
    let Some(config) = loaded.units.iter().find(|u| u.name == nanoservice).and_then(|u| u.config.as_ref()) else { return Ok(Vec::new()) };
    let mut found: Vec<ConfigCredential> = Vec::new();
    for (target, endpoint) in &config.go_to_networks {
        let Some(username) = endpoint.username.clone() else { continue };
        let (password, env) = match &endpoint.password {
            Some(Secret::Literal(p)) => (Some(p.clone()), None),
            Some(Secret::Env(var)) => (
                Some(std::env::var(var).map_err(|_| {
                    format!("environment variable {var} is not set (password_env of goToNetworks.{target} in nanoservice '{nanoservice}'); the NATS authorization needs its hash")
                })?),
                Some(var.clone()),
            ),
            None => (None, None),
        };
        match found.iter().find(|(u, _, _)| *u == username) {
            Some((_, earlier, _)) if *earlier != password => {
                return Err(format!("nanoservice '{nanoservice}' presents user '{username}' with two different passwords; NATS knows one password per user"));
            }
            Some(_) => {}
            None => found.push((username, password, env)),
        }
    }
    Ok(found)
}

type ConfigCredential = (String, Option<String>, Option<String>);

/// The mesh's authorization. `generated(username)` gives a generated
/// password: a fresh one at build, the stored one at run.
pub fn authorize(loaded: &Loaded, plan: &MeshPlan, mesh: &str, generated: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<Authorization, String> {
    let called: BTreeSet<&str> = plan.units.iter().flat_map(|u| u.exits.iter().map(|e| e.target.as_str())).collect();
    let mut users = Vec::new();
    for (index, unit) in plan.units.iter().enumerate() {
        let exits: BTreeSet<String> = unit.exits.iter().map(|e| e.target.clone()).collect();
        let mut credentials = config_credentials(loaded, &unit.name)?;
        if credentials.is_empty() {
            credentials.push((format!("g2n-{mesh}-{}", names::token(&unit.name)), None, None));
        }
        for (username, password, password_env) in credentials {
            let password = match password {
                Some(p) => p,
                None => generated(&username)?,
            };
            // A deployed mesh's hosts serve the entry too (`g2n host`
            // serves every nanoservice): it sets up its consumer, though
            // no exit of the mesh may hand it a step.
            let consumes = called.contains(unit.name.as_str()) || index == plan.entry;
            let (publish, subscribe) = rights(mesh, &username, &unit.name, &exits, consumes, index == plan.entry);
            users.push(User { username, password, password_env, nanoservice: unit.name.clone(), publish, subscribe });
        }
    }
    let admin_name = format!("g2n-admin-{mesh}");
    let (publish, subscribe) = admin_rights(mesh, &admin_name);
    let admin = User { password: generated(&admin_name)?, username: admin_name, password_env: None, nanoservice: String::new(), publish, subscribe };
    let host_name = format!("g2n-host-{mesh}");
    let (publish, subscribe) = host_rights(mesh, &host_name);
    let host = User { password: generated(&host_name)?, username: host_name, password_env: None, nanoservice: String::new(), publish, subscribe };
    // One user, one set of rights; one inbox prefix per user.
    let mut seen: BTreeMap<String, &User> = BTreeMap::new();
    for user in users.iter().chain([&admin, &host]) {
        if let Some(other) = seen.insert(names::token(&user.username), user) {
            let whose = |u: &User| about(u, &admin.username);
            return Err(format!(
                "NATS user '{}' of {} and user '{}' of {} would share one NATS identity; give each nanoservice its own username",
                other.username,
                whose(other),
                user.username,
                whose(user)
            ));
        }
    }
    Ok(Authorization { mesh: mesh.to_string(), users, admin, host })
}

/// Whose user `user` is, for people.
fn about(user: &User, admin: &str) -> String {
    if !user.nanoservice.is_empty() {
        format!("nanoservice '{}'", user.nanoservice)
    } else if user.username == admin {
        "the mesh's admin and deployer".to_string()
    } else {
        "the mesh's host agents".to_string()
    }
}

/// A string in nats-server's configuration syntax (JSON's quoting, which
/// it reads; quoted, so a `$` is not a variable).
fn quoted(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn list(items: &[String]) -> String {
    items.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", ")
}

/// The `authorization { users = [...] }` block, passwords hashed.
pub fn config_text(auth: &Authorization, cost: u32) -> Result<String, String> {
    let mut text = format!(
        "# The NATS authorization of g2n mesh '{}', written by g2n {} (docs/protocol.md,\n# \"Who may send what\"). Include it in the nats-server configuration of every\n# node: `include \"{AUTH_FILE}\"`. Passwords are bcrypt hashes.\nauthorization {{\n  users = [\n",
        auth.mesh,
        env!("CARGO_PKG_VERSION")
    );
    for user in auth.users.iter().chain([&auth.admin, &auth.host]) {
        let hash = bcrypt::hash_with_result(&user.password, cost)
            .map_err(|e| format!("cannot hash the password of NATS user '{}': {e}", user.username))?
            .format_for_version(bcrypt::Version::TwoA);
        let about = about(user, &auth.admin.username);
        text.push_str(&format!(
            "    # {about}\n    {{\n      user: {}\n      password: {}\n      permissions: {{\n        publish: {{ allow: [{}] }}\n        subscribe: {{ allow: [{}] }}\n      }}\n    }}\n",
            quoted(&user.username),
            quoted(&hash),
            list(&user.publish),
            list(&user.subscribe)
        ));
    }
    text.push_str("  ]\n}\n");
    Ok(text)
}

/// Writes OUT/nats/authorization.conf and OUT/nats/credentials.json (0600:
/// the generated passwords, a secret to ship to the hosts).
pub fn write(out: &Path, auth: &Authorization) -> Result<(), String> {
    let dir = out.join(DIR);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let conf = dir.join(AUTH_FILE);
    std::fs::write(&conf, config_text(auth, BCRYPT_COST)?).map_err(|e| format!("cannot write {}: {e}", conf.display()))?;
    let nanoservices: serde_json::Map<String, serde_json::Value> = auth
        .users
        .iter()
        .filter(|u| auth.user_of(&u.nanoservice).is_some_and(|first| first.username == u.username))
        .map(|u| {
            let mut entry = json!({ "username": u.username });
            // What a deployed host needs to connect as it (docs/deploy.md):
            // the password, or the variable that holds it there too.
            match &u.password_env {
                Some(var) => entry["password_env"] = json!(var),
                None => entry["password"] = json!(u.password),
            }
            (u.nanoservice.clone(), entry)
        })
        .collect();
    let credentials = json!({
        "mesh": auth.mesh,
        "admin": { "username": auth.admin.username, "password": auth.admin.password },
        "host": { "username": auth.host.username, "password": auth.host.password },
        "nanoservices": nanoservices,
    });
    let path = dir.join(CREDENTIALS_FILE);
    write_private(&path, &serde_json::to_string_pretty(&credentials).unwrap_or_default())
}

/// Creates (or replaces) `path` readable by its owner only.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The user of a nanoservice's processes in credentials.json: its
/// password (generated, or a literal of its config), else the environment
/// variable its config reads it from.
pub struct NanoserviceUser {
    pub username: String,
    pub password: Option<String>,
    pub password_env: Option<String>,
}

/// OUT/nats/credentials.json, as `g2n build` wrote it.
pub struct Credentials {
    pub mesh: String,
    /// The admin's user (None in a file trimmed for a host: docs/deploy.md).
    pub admin: Option<(String, String)>,
    /// The host agents' user (None: written before g2n had one).
    pub host: Option<(String, String)>,
    /// The user each nanoservice's hosts connect as, by nanoservice.
    pub nanoservices: BTreeMap<String, NanoserviceUser>,
    /// Generated passwords by username.
    generated: BTreeMap<String, String>,
}

impl Credentials {
    /// Reads DIR/credentials.json (DIR: the build's `nats` folder, or the
    /// build's output holding it).
    pub fn read(dir: &Path) -> Result<Credentials, String> {
        let dir = if dir.join(CREDENTIALS_FILE).is_file() { dir.to_path_buf() } else { dir.join(DIR) };
        let path = dir.join(CREDENTIALS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e} (written by `g2n build --engine nats`)", path.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))?;
        let field = |v: &serde_json::Value, name: &str| v[name].as_str().map(String::from).ok_or_else(|| format!("{} has no '{name}'", path.display()));
        let mut generated = BTreeMap::new();
        let mut nanoservices = BTreeMap::new();
        if let Some(units) = value["nanoservices"].as_object() {
            for (nanoservice, entry) in units {
                if let Some(user) = entry["username"].as_str() {
                    let password = entry["password"].as_str().map(String::from);
                    let password_env = entry["password_env"].as_str().map(String::from);
                    nanoservices.insert(nanoservice.clone(), NanoserviceUser { username: user.to_string(), password: password.clone(), password_env });
                    if let Some(password) = password {
                        generated.insert(user.to_string(), password);
                    }
                }
            }
        }
        let pair = |v: &serde_json::Value| match (v["username"].as_str(), v["password"].as_str()) {
            (Some(u), Some(p)) => Some((u.to_string(), p.to_string())),
            _ => None,
        };
        let admin = pair(&value["admin"]);
        if let Some((u, p)) = &admin {
            generated.insert(u.clone(), p.clone());
        }
        let host = pair(&value["host"]);
        if let Some((u, p)) = &host {
            generated.insert(u.clone(), p.clone());
        }
        Ok(Credentials { mesh: field(&value, "mesh")?, admin, host, nanoservices, generated })
    }

    /// The stored password of a generated user.
    pub fn generated(&self, username: &str) -> Result<String, String> {
        self.generated.get(username).cloned().ok_or_else(|| {
            format!("the NATS credentials of mesh '{}' have no password for user '{username}': they were built from other nanoservices; build again", self.mesh)
        })
    }
}

/// The nats fields of the runtime configuration of a process that connects
/// as `user`.
pub fn runtime_fields(user: &User) -> serde_json::Value {
    json!({ "username": user.username, "password": user.password, "inbox_prefix": names::inbox_prefix(&user.username) })
}

/// The authorization a run uses: the users of the build whose
/// credentials.json is in `dir`, recomputed from this run's inputs (so the
/// passwords from configs are resolved as at build time).
pub fn for_run(loaded: &Loaded, plan: &MeshPlan, dir: &Path, mesh_flag: &str) -> Result<Authorization, String> {
    let credentials = Credentials::read(dir)?;
    if !mesh_flag.is_empty() && mesh_flag != credentials.mesh {
        return Err(format!("--mesh {mesh_flag}: the NATS authorization in {} is for mesh '{}'", dir.display(), credentials.mesh));
    }
    authorize(loaded, plan, &credentials.mesh, &mut |username| credentials.generated(username))
}

/// Adds the connection fields of `user` to a runtime configuration's
/// `nats` object.
pub fn add_user(config: &mut serde_json::Value, user: &User) {
    if let (Some(nats), serde_json::Value::Object(fields)) = (config.get_mut("nats").and_then(|n| n.as_object_mut()), runtime_fields(user)) {
        nats.extend(fields);
    }
}

/// `g2n build --engine nats`: the build, then its authorization in OUT/nats.
pub fn build(paths: &[std::path::PathBuf], out: &Path, emit_clif: bool, mesh: &str) -> i32 {
    use crate::driver;
    let result = driver::load(paths).and_then(|loaded| {
        let plan = driver::analyse(&loaded)?;
        let stale = crate::build_cmd::stale_folders(out, &plan);
        driver::build_plan_for(&loaded, &plan, out, emit_clif, false, crate::link::Engine::Nats, &crate::progress::Progress::silent())?;
        crate::build_cmd::remove_stale(&stale);
        Ok((loaded, plan))
    });
    let Ok((loaded, plan)) = result else { return 1 };
    let mesh = if mesh.is_empty() { names::token(&plan.units[plan.entry].name) } else { mesh.to_string() };
    let written = if names::token(&mesh) != mesh {
        Err(format!("--mesh {mesh}: a mesh name may hold only letters, digits, '_' and '-'"))
    } else {
        authorize(&loaded, &plan, &mesh, &mut |_| random_password()).and_then(|auth| write(out, &auth))
    };
    match written {
        Ok(()) => 0,
        Err(message) => {
            let mut stderr = std::io::stderr();
            let _ = std::io::Write::write_all(&mut stderr, format!("error: {message}\n").as_bytes());
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_name_only_the_exits_and_the_own_consumer() {
        let exits: BTreeSet<String> = ["b".to_string()].into();
        let (publish, subscribe) = rights("m", "u", "a", &exits, true, false);
        assert!(publish.contains(&"g2n.m.step.b".to_string()));
        assert!(!publish.iter().any(|p| p.starts_with("g2n.m.step.") && p != "g2n.m.step.b"));
        assert!(publish.contains(&"$JS.API.CONSUMER.MSG.NEXT.G2N_M.a".to_string()));
        assert!(publish.contains(&"$JS.ACK.G2N_M.a.>".to_string()));
        assert!(!publish.iter().any(|p| p.contains("G2N_M_OUT") && p.contains("CONSUMER")), "{publish:?}");
        assert_eq!(subscribe, vec!["_G2N_INBOX.u.>".to_string(), "g2n.m.deliver.a".to_string()], "its own push deliveries, no other's");
        let (entry, entry_subscribe) = rights("m", "u", "a", &exits, false, true);
        assert!(entry.contains(&"$JS.API.CONSUMER.MSG.NEXT.G2N_M_OUT.*".to_string()));
        assert_eq!(entry_subscribe, vec!["_G2N_INBOX.u.>".to_string(), "g2n.m.out.>".to_string()], "an origin hears its results live");
        assert!(!entry.iter().any(|p| p.contains("$JS.ACK")), "{entry:?}");
    }

    #[test]
    fn host_agents_read_the_deploy_buckets_and_write_only_reports() {
        let (host, subscribe) = host_rights("m", "h");
        assert!(host.contains(&"$JS.API.DIRECT.GET.KV_g2n-desired-m.>".to_string()), "{host:?}");
        assert!(host.contains(&"$JS.API.CONSUMER.CREATE.OBJ_g2n-artifacts-m".to_string()), "{host:?}");
        assert!(host.contains(&"$KV.g2n-hosts-m.host.*".to_string()), "{host:?}");
        // No write of the desired state or an artifact, no stream change.
        assert!(!host.iter().any(|p| p.starts_with("$KV.g2n-desired-") || p.starts_with("$O.")), "{host:?}");
        assert!(!host.iter().any(|p| p.contains("STREAM.UPDATE") || p.contains("STREAM.DELETE") || p.contains("STREAM.PURGE") || p.contains("STREAM.*")), "{host:?}");
        assert!(!host.iter().any(|p| p.contains("G2N_M")), "no step or result stream: {host:?}");
        assert_eq!(subscribe, vec!["_G2N_INBOX.h.>".to_string()]);
        let (admin, _) = admin_rights("m", "a");
        for wanted in ["$KV.g2n-desired-m.>", "$O.g2n-artifacts-m.>", "$JS.API.STREAM.*.KV_g2n-desired-m", "$JS.API.STREAM.*.G2N_M"] {
            assert!(admin.contains(&wanted.to_string()), "{wanted} not in {admin:?}");
        }
    }

    #[test]
    fn config_text_quotes_and_hashes() {
        let user = User {
            username: "a\"b".into(),
            password: "pw".into(),
            password_env: None,
            nanoservice: "n".into(),
            publish: vec!["$JS.API.X".into()],
            subscribe: vec!["_G2N_INBOX.a_b.>".into()],
        };
        let admin = User { nanoservice: String::new(), ..user.clone() };
        let auth = Authorization { mesh: "m".into(), users: vec![user.clone()], host: User { username: "h".into(), ..admin.clone() }, admin };
        // The lowest cost keeps the unit test fast; builds use BCRYPT_COST.
        let text = config_text(&auth, 4).unwrap();
        assert!(text.contains("user: \"a\\\"b\""), "{text}");
        assert!(text.contains("password: \"$2a$04$"), "{text}");
        assert!(!text.contains("\"pw\""));
        assert!(text.contains("publish: { allow: [\"$JS.API.X\"] }"), "{text}");
    }
}
