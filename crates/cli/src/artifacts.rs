//! A deployed nanoservice's version made ready to run on this machine: its
//! manifest and executable fetched from the mesh's object store, each
//! checked against the hash the desired state names, the executable kept in
//! a local cache under its hash, and the runtime configuration its
//! processes get (what `g2n run --engine nats` writes for its hosts).

use g2n_deploy::{Desired, Store, Version};
use g2n_manifest::manifest::UnitManifest;
use serde_json::json;
use std::path::{Path, PathBuf};

/// The username of every handoff in a deployed mesh; the key is the
/// desired state's `handoff_key`.
const MESH_USER: &str = "g2n-mesh";

/// A version ready to start.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The checked executable in the cache (named by its hash; processes
    /// get the nanoservice's name as argv[0], which selects it).
    pub executable: PathBuf,
    /// The nanoservices its exits hand flows to (its routes).
    pub targets: Vec<String>,
}

/// The cache directory: `--cache`, else `$XDG_CACHE_HOME/g2n`, else
/// `~/.cache/g2n`, else the temporary directory's `g2n-cache`.
pub fn cache_dir(given: Option<&Path>) -> PathBuf {
    if let Some(dir) = given {
        return dir.to_path_buf();
    }
    match (std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME")) {
        (Some(x), _) if !x.is_empty() => PathBuf::from(x).join("g2n"),
        (_, Some(h)) if !h.is_empty() => PathBuf::from(h).join(".cache/g2n"),
        _ => std::env::temp_dir().join("g2n-cache"),
    }
}

/// A private (0700) directory.
pub fn private_dir(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| format!("cannot make {} private: {e}", dir.display()))
}

fn hash_of(bytes: &[u8]) -> String {
    format!("sha256:{}", g2n_manifest::sha256_hex(bytes))
}

/// Fetches and checks `version` of `name`: the manifest's hash must be the
/// desired state's, the manifest must name the desired executable, and the
/// executable's bytes must hash to it, before anything is written or run.
pub async fn prepare(store: &Store, name: &str, version: &Version, cache: &Path) -> Result<Prepared, String> {
    let manifest_bytes = store.get_artifact(&version.manifest).await?;
    let text = String::from_utf8(manifest_bytes).map_err(|_| format!("the manifest {} of '{name}' is not UTF-8", version.manifest))?;
    let manifest = UnitManifest::from_yaml(&text).map_err(|e| format!("the manifest {} of '{name}': {e}", version.manifest))?;
    if manifest.name != name {
        return Err(format!("the manifest {} is of nanoservice '{}', not '{name}'", version.manifest, manifest.name));
    }
    let named = manifest.artifacts.executable.as_ref().map(|a| a.sha256.clone()).unwrap_or_default();
    if named != version.executable {
        return Err(format!("the manifest of '{name}' names executable {named}, the desired state {}", version.executable));
    }
    let dir = cache.join("artifacts");
    private_dir(&dir)?;
    let path = dir.join(g2n_deploy::names::object_name(&version.executable));
    // A cached copy is used only if it still hashes right.
    let cached = std::fs::read(&path).ok().is_some_and(|bytes| hash_of(&bytes) == version.executable);
    if !cached {
        let bytes = store.get_artifact(&version.executable).await?;
        let partial = path.with_extension(format!("part-{}", std::process::id()));
        write_executable(&partial, &bytes)?;
        std::fs::rename(&partial, &path).map_err(|e| format!("cannot store {}: {e}", path.display()))?;
    }
    let mut targets: Vec<String> = manifest.exits.iter().map(|e| e.target.clone()).collect();
    targets.sort();
    targets.dedup();
    Ok(Prepared { executable: path, targets })
}

fn write_executable(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o700)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Where and how a process of the mesh reaches the engine.
pub struct Engine<'a> {
    pub servers: &'a [String],
    pub drain_ms: Option<u64>,
    pub trace: Option<&'a str>,
    /// `nats.local_address` of the process (`g2n host --bind`).
    pub local_address: Option<&'a str>,
    /// `--nats-ca`: TLS only, with this CA (an absolute path).
    pub ca_file: Option<&'a str>,
    /// `--nats-auth`: the build's credentials, whose per-nanoservice users
    /// the processes connect as (the users `g2n run --nats-auth` uses).
    pub credentials: Option<&'a crate::nats_auth::Credentials>,
}

/// The NATS user a process of `name` connects as: its nanoservice's user
/// in the build's credentials (None without `--nats-auth`).
pub fn process_user(credentials: Option<&crate::nats_auth::Credentials>, name: &str) -> Result<Option<(String, String)>, String> {
    let Some(credentials) = credentials else { return Ok(None) };
    let user = credentials
        .nanoservices
        .get(name)
        .ok_or_else(|| format!("the NATS credentials of mesh '{}' have no user for nanoservice '{name}': they are of another build; build again", credentials.mesh))?;
    let password = match (&user.password, &user.password_env) {
        (Some(password), _) => password.clone(),
        // The config's password_env: set on the host as it was at build.
        (None, Some(var)) => std::env::var(var).map_err(|_| format!("nanoservice '{name}' connects as NATS user '{}' with the password in {var} (its config's password_env), which is not set here", user.username))?,
        (None, None) => return Err(format!("the NATS credentials of mesh '{}' have no password for user '{}' of nanoservice '{name}'", credentials.mesh, user.username)),
    };
    Ok(Some((user.username.clone(), password)))
}

/// The runtime configuration of a process of `name`: `serve` (a host's
/// replica) or `origin` (`g2n start`).
pub fn runtime_config(desired: &Desired, name: &str, prepared: &Prepared, engine: &Engine, role: &str, ready_file: Option<&Path>) -> Result<serde_json::Value, String> {
    let key = &desired.handoff_key;
    let routes: serde_json::Map<String, serde_json::Value> =
        prepared.targets.iter().map(|t| (t.clone(), json!({ "addr": "nats", "username": MESH_USER, "key": key }))).collect();
    let mut nats = json!({ "servers": engine.servers, "mesh": desired.mesh });
    if let Some(ms) = desired.ack_wait_ms {
        nats["ack_wait_ms"] = json!(ms);
    }
    if let Some(ms) = engine.drain_ms {
        nats["drain_ms"] = json!(ms);
    }
    if let Some(address) = engine.local_address {
        nats["local_address"] = json!(address);
    }
    if let Some(ca) = engine.ca_file {
        nats["ca_file"] = json!(ca);
    }
    if let Some((username, password)) = process_user(engine.credentials, name)? {
        nats["username"] = json!(username);
        nats["password"] = json!(password);
        nats["inbox_prefix"] = json!(g2n_abi::nats::inbox_prefix(&username));
    }
    Ok(json!({
        "role": role,
        "engine": "nats",
        "nats": nats,
        "listen": "127.0.0.1:0",
        "ready_file": ready_file,
        "units": [name],
        "unit_accept": { name: [{ "username": MESH_USER, "key": key }] },
        "host_name": name,
        "routes": routes,
        "trace_file": engine.trace,
        // A flow on NATS survives hosts that die: the origin waits for its
        // end however long redeliveries take.
        "liveness_timeout_ms": 0,
    }))
}
