//! Who may send what on NATS (docs/protocol.md, "Who may send what"): the
//! authorization of a mesh, derived from its nanoservice configs and its
//! analysed exits.
//!
//! `g2n build --engine nats` writes OUT/nats/authorization.conf, an
//! `authorization { users = [...] }` block for nats-server to `include`
//! (bcrypt hashes only), and OUT/nats/credentials.json (mode 0600), the
//! passwords g2n generated. `g2n run --engine nats --nats-auth OUT/nats`
//! and `g2n flow result --nats-auth OUT/nats` read the latter.
//!
//! One user per nanoservice: the credential its config presents in
//! `goToNetworks` (every distinct one, all with the same rights; the hosts
//! connect as the first), else a generated `g2n-<mesh>-<nanoservice>` with
//! a random password. A nanoservice's user may publish only the step
//! subjects of its exits and its flows' results, consume only its own
//! nanoservice's consumer, and read replies only under its own inbox
//! prefix; only the entry's user reads results. A generated admin user
//! reads results and manages the mesh's streams and consumers.

use crate::driver::Loaded;
use g2n_abi::nats as names;
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
    /// Made up by g2n (kept in credentials.json), not from a config.
    pub generated: bool,
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
    (publish, vec![format!("{}.>", names::inbox_prefix(username))])
}

/// The admin's rights: everything on the mesh's two streams and their
/// consumers, nothing else.
fn admin_rights(mesh: &str, username: &str) -> (Vec<String>, Vec<String>) {
    let mut publish = Vec::new();
    for stream in [names::step_stream(mesh), names::out_stream(mesh)] {
        publish.push(names::js_api("STREAM.*", &stream));
        publish.push(names::js_api("CONSUMER.*", &stream));
        publish.push(names::js_api("CONSUMER.*", &format!("{stream}.>")));
        publish.push(names::js_api("CONSUMER.MSG.NEXT", &format!("{stream}.*")));
    }
    (publish, vec![format!("{}.>", names::inbox_prefix(username))])
}

/// The credentials a nanoservice's config presents (`goToNetworks`, in
/// target order), each distinct username once; a password_env must be set.
fn config_credentials(loaded: &Loaded, nanoservice: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let Some(config) = loaded.units.iter().find(|u| u.name == nanoservice).and_then(|u| u.config.as_ref()) else { return Ok(Vec::new()) };
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    for (target, endpoint) in &config.go_to_networks {
        let Some(username) = endpoint.username.clone() else { continue };
        let password = match &endpoint.password {
            Some(Secret::Literal(p)) => Some(p.clone()),
            Some(Secret::Env(var)) => Some(std::env::var(var).map_err(|_| {
                format!("environment variable {var} is not set (password_env of goToNetworks.{target} in nanoservice '{nanoservice}'); the NATS authorization needs its hash")
            })?),
            None => None,
        };
        match found.iter().find(|(u, _)| *u == username) {
            Some((_, earlier)) if *earlier != password => {
                return Err(format!("nanoservice '{nanoservice}' presents user '{username}' with two different passwords; NATS knows one password per user"));
            }
            Some(_) => {}
            None => found.push((username, password)),
        }
    }
    Ok(found)
}

/// The mesh's authorization. `generated(username)` gives a generated
/// password: a fresh one at build, the stored one at run.
pub fn authorize(loaded: &Loaded, plan: &MeshPlan, mesh: &str, generated: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<Authorization, String> {
    let called: BTreeSet<&str> = plan.units.iter().flat_map(|u| u.exits.iter().map(|e| e.target.as_str())).collect();
    let mut users = Vec::new();
    for (index, unit) in plan.units.iter().enumerate() {
        let exits: BTreeSet<String> = unit.exits.iter().map(|e| e.target.clone()).collect();
        let mut credentials = config_credentials(loaded, &unit.name)?;
        if credentials.is_empty() {
            credentials.push((format!("g2n-{mesh}-{}", names::token(&unit.name)), None));
        }
        for (username, password) in credentials {
            let (password, is_generated) = match password {
                Some(p) => (p, false),
                None => (generated(&username)?, true),
            };
            let (publish, subscribe) = rights(mesh, &username, &unit.name, &exits, called.contains(unit.name.as_str()), index == plan.entry);
            users.push(User { username, password, generated: is_generated, nanoservice: unit.name.clone(), publish, subscribe });
        }
    }
    let admin_name = format!("g2n-admin-{mesh}");
    let (publish, subscribe) = admin_rights(mesh, &admin_name);
    let admin = User { password: generated(&admin_name)?, username: admin_name, generated: true, nanoservice: String::new(), publish, subscribe };
    // One user, one set of rights; one inbox prefix per user.
    let mut seen: BTreeMap<String, &User> = BTreeMap::new();
    for user in users.iter().chain([&admin]) {
        if let Some(other) = seen.insert(names::token(&user.username), user) {
            let whose = |u: &User| if u.nanoservice.is_empty() { "the mesh's admin".to_string() } else { format!("nanoservice '{}'", u.nanoservice) };
            return Err(format!(
                "NATS user '{}' of {} and user '{}' of {} would share one NATS identity; give each nanoservice its own username",
                other.username,
                whose(other),
                user.username,
                whose(user)
            ));
        }
    }
    Ok(Authorization { mesh: mesh.to_string(), users, admin })
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
    for user in auth.users.iter().chain([&auth.admin]) {
        let hash = bcrypt::hash_with_result(&user.password, cost)
            .map_err(|e| format!("cannot hash the password of NATS user '{}': {e}", user.username))?
            .format_for_version(bcrypt::Version::TwoA);
        let about = if user.nanoservice.is_empty() { "the mesh's admin".to_string() } else { format!("nanoservice '{}'", user.nanoservice) };
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
            if u.generated {
                entry["password"] = json!(u.password);
            }
            (u.nanoservice.clone(), entry)
        })
        .collect();
    let credentials = json!({
        "mesh": auth.mesh,
        "admin": { "username": auth.admin.username, "password": auth.admin.password },
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

/// OUT/nats/credentials.json, as `g2n build` wrote it.
pub struct Credentials {
    pub mesh: String,
    pub admin: (String, String),
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
        if let Some(units) = value["nanoservices"].as_object() {
            for entry in units.values() {
                if let (Some(user), Some(password)) = (entry["username"].as_str(), entry["password"].as_str()) {
                    generated.insert(user.to_string(), password.to_string());
                }
            }
        }
        let admin = (field(&value["admin"], "username")?, field(&value["admin"], "password")?);
        generated.insert(admin.0.clone(), admin.1.clone());
        Ok(Credentials { mesh: field(&value, "mesh")?, admin, generated })
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
        assert_eq!(subscribe, vec!["_G2N_INBOX.u.>".to_string()]);
        let (entry, _) = rights("m", "u", "a", &exits, false, true);
        assert!(entry.contains(&"$JS.API.CONSUMER.MSG.NEXT.G2N_M_OUT.*".to_string()));
        assert!(!entry.iter().any(|p| p.contains("$JS.ACK")), "{entry:?}");
    }

    #[test]
    fn config_text_quotes_and_hashes() {
        let user = User {
            username: "a\"b".into(),
            password: "pw".into(),
            generated: true,
            nanoservice: "n".into(),
            publish: vec!["$JS.API.X".into()],
            subscribe: vec!["_G2N_INBOX.a_b.>".into()],
        };
        let auth = Authorization { mesh: "m".into(), users: vec![user.clone()], admin: User { nanoservice: String::new(), ..user } };
        // The lowest cost keeps the unit test fast; builds use BCRYPT_COST.
        let text = config_text(&auth, 4).unwrap();
        assert!(text.contains("user: \"a\\\"b\""), "{text}");
        assert!(text.contains("password: \"$2a$04$"), "{text}");
        assert!(!text.contains("\"pw\""));
        assert!(text.contains("publish: { allow: [\"$JS.API.X\"] }"), "{text}");
    }
}
