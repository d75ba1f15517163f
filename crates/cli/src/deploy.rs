//! `g2n deploy` and `g2n rollback` (docs/deploy.md): upload a build's
//! artifacts to the mesh's object store and record the desired state that
//! the hosts (`g2n host`, crate::host) converge on. The buckets and the
//! decisions are in g2n-deploy; this module reads the build, prints, and
//! runs the client on a small runtime of its own.

use g2n_deploy::state::{self, Replaced};
use g2n_deploy::{Desired, Store, Version, store};
use g2n_manifest::check;
use g2n_manifest::manifest::UnitManifest;
use std::path::Path;
use std::time::Duration;

/// How long a command waits for a NATS server to answer.
pub const CONNECT_WAIT: Duration = Duration::from_secs(10);

/// A current-thread runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the NATS client: {e}"))
}

/// Who a command of a deployed mesh connects as: with `--nats-auth`, the
/// deployer (the build's admin user: deploy, rollback, status) or the
/// host agents' user (host, and start, which reads what to start); with
/// `--nats-ca`, over TLS only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Deployer,
    Host,
}

/// The build's credentials (`--nats-auth DIR`), if given.
pub fn credentials(access: &crate::nats::Access) -> Result<Option<crate::nats_auth::Credentials>, String> {
    access.auth.as_deref().map(crate::nats_auth::Credentials::read).transpose()
}

/// The user `role` connects as, from the build's credentials.
pub fn user_of(credentials: &crate::nats_auth::Credentials, role: Role) -> Result<(String, String), String> {
    match role {
        Role::Deployer => credentials.admin.clone().ok_or_else(|| format!("the NATS credentials of mesh '{}' have no admin (deployer) user", credentials.mesh)),
        Role::Host => credentials
            .host
            .clone()
            .ok_or_else(|| format!("the NATS credentials of mesh '{}' have no host agents' user: build again with this g2n", credentials.mesh)),
    }
}

/// The connection options of `role` under `access`.
pub fn connect_options(access: &crate::nats::Access, role: Role) -> Result<async_nats::ConnectOptions, String> {
    let mut options = async_nats::ConnectOptions::new().name("g2n");
    if let Some(credentials) = credentials(access)? {
        let (user, password) = user_of(&credentials, role)?;
        options = options.custom_inbox_prefix(g2n_abi::nats::inbox_prefix(&user)).user_and_password(user, password);
    }
    if let Some(ca) = &access.ca_file {
        options = options.add_root_certificates(ca.into()).require_tls(true);
    }
    Ok(options)
}

/// Connects as `role` and opens the buckets of `mesh`, or, without one,
/// of the only mesh deployed there.
pub async fn open(servers: &[String], mesh: Option<&str>, create: bool, access: &crate::nats::Access, role: Role) -> Result<(async_nats::Client, Store), String> {
    open_from(servers, mesh, create, connect_options(access, role)?, None).await
}

/// [`open`] with given options, the connection bound to `local` (`g2n host --bind`).
pub async fn open_from(servers: &[String], mesh: Option<&str>, create: bool, mut options: async_nats::ConnectOptions, local: Option<std::net::IpAddr>) -> Result<(async_nats::Client, Store), String> {
    if let Some(ip) = local {
        options = options.local_address(std::net::SocketAddr::new(ip, 0));
    }
    let client = store::connect(servers, options, CONNECT_WAIT).await?;
    let mesh = match mesh {
        Some(m) => m.to_string(),
        None => {
            let js = async_nats::jetstream::new(client.clone());
            match store::meshes(&js).await?.as_slice() {
                [one] => one.clone(),
                [] => return Err(format!("no mesh is deployed on {} (g2n deploy BUILD_DIR --nats URL)", servers.join(","))),
                several => return Err(format!("several meshes are deployed ({}): name one with --mesh", several.join(", "))),
            }
        }
    };
    if g2n_abi::nats::token(&mesh) != mesh {
        return Err(format!("--mesh {mesh}: a mesh name may hold only letters, digits, '_' and '-'"));
    }
    let store = Store::open(&client, &mesh, create).await?;
    Ok((client, store))
}

/// What `g2n deploy` was asked.
pub struct DeployArgs<'a> {
    pub build: &'a Path,
    pub servers: Vec<String>,
    pub mesh: Option<String>,
    pub only: Option<String>,
    pub force: bool,
    /// `--replicas N` / `NAME=N`: processes per host.
    pub replicas: crate::nats::Replicas,
    pub ack_wait_ms: Option<u64>,
    /// `--nats-auth`, `--nats-ca`.
    pub access: crate::nats::Access,
}

/// One nanoservice of the build: its manifest and the bytes to upload.
struct Candidate {
    manifest: UnitManifest,
    manifest_bytes: Vec<u8>,
    executable: Vec<u8>,
}

/// Reads and checks the build (`g2n manifest check`'s checks: schemas,
/// hashes of every artifact, edges), then the units to deploy.
fn read_build(dir: &Path, only: Option<&str>) -> Result<(check::Build, Vec<Candidate>), String> {
    let read = |relative: &str| std::fs::read(dir.join(relative)).map_err(|e| e.to_string());
    let report = check::check_build(&read);
    if !report.is_ok() {
        let list: Vec<String> = report.problems.iter().map(|p| format!("  {}: {p}", dir.display())).collect();
        return Err(format!("the build in {} does not check (g2n manifest check {}):\n{}", dir.display(), dir.display(), list.join("\n")));
    }
    let mut problems = Vec::new();
    let build = check::load_build(&read, &mut problems).ok_or_else(|| format!("{}: no usable mesh.yaml", dir.display()))?;
    if let Some(name) = only
        && !build.units.iter().any(|u| u.manifest.name == name)
    {
        return Err(format!("--only {name}: the build in {} has no nanoservice '{name}'", dir.display()));
    }
    let mut candidates = Vec::new();
    for unit in build.units.iter().filter(|u| only.is_none_or(|n| u.manifest.name == n)) {
        let executable = unit
            .manifest
            .artifacts
            .executable
            .as_ref()
            .ok_or_else(|| format!("{}: nanoservice '{}' has no executable (build it with `g2n build --engine nats`)", dir.display(), unit.manifest.name))?;
        candidates.push(Candidate {
            manifest: unit.manifest.clone(),
            manifest_bytes: read(&unit.file)?,
            executable: read(&executable.path).map_err(|e| format!("{}: {e}", executable.path))?,
        });
    }
    Ok((build, candidates))
}

fn short(hash: &str) -> &str {
    let hex = g2n_deploy::names::object_name(hash);
    &hex[..hex.len().min(12)]
}

/// `g2n deploy BUILD_DIR --nats URL [--only NAME] [--force]`.
pub fn deploy(args: &DeployArgs<'_>) -> i32 {
    match runtime().and_then(|rt| rt.block_on(deploy_async(args))) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

async fn deploy_async(args: &DeployArgs<'_>) -> Result<Vec<String>, String> {
    let (build, candidates) = read_build(args.build, args.only.as_deref())?;
    let entry = build.mesh.entry.clone();
    let names: Vec<&str> = build.units.iter().map(|u| u.manifest.name.as_str()).collect();
    if let Some(unknown) = args.replicas.unknown(&names).first() {
        return Err(format!("--replicas {unknown}=N: the build has no nanoservice '{unknown}'"));
    }
    let mesh = args.mesh.clone().unwrap_or_else(|| g2n_abi::nats::token(&entry));
    if let Some(credentials) = credentials(&args.access)?
        && credentials.mesh != mesh
    {
        return Err(format!("mesh '{mesh}': the NATS authorization in {} is for mesh '{}' (--mesh)", args.access.auth.as_deref().unwrap_or(Path::new("")).display(), credentials.mesh));
    }
    let (_client, store) = open(&args.servers, Some(&mesh), true, &args.access, Role::Deployer).await?;
    // Another deploy may write between our read and our write: read again.
    for _ in 0..5 {
        let current = store.desired().await?;
        if args.only.is_some() && current.is_none() {
            return Err(format!("mesh '{mesh}' has nothing deployed yet: deploy the whole build first (without --only)"));
        }
        let revision = current.as_ref().map(|(_, r)| *r);
        let mut desired = match current {
            Some((d, _)) => d,
            None => Desired { mesh: mesh.clone(), entry: entry.clone(), handoff_key: random_key()?, ack_wait_ms: args.ack_wait_ms, units: Default::default() },
        };
        if desired.entry != entry {
            return Err(format!("mesh '{mesh}' starts at '{}', this build at '{entry}': deploy it as another mesh (--mesh)", desired.entry));
        }
        if args.ack_wait_ms.is_some() {
            desired.ack_wait_ms = args.ack_wait_ms;
        }
        // Judge every replacement before anything is uploaded or changed.
        let mut verdicts = Vec::new();
        let mut refused = Vec::new();
        for c in &candidates {
            let name = &c.manifest.name;
            let Some(deployed) = desired.units.get(name) else {
                verdicts.push("added".to_string());
                continue;
            };
            let old_bytes = store.get_artifact(&deployed.current.manifest).await?;
            let old_text = String::from_utf8(old_bytes).map_err(|_| format!("the deployed manifest of '{name}' is not UTF-8"))?;
            let old = UnitManifest::from_yaml(&old_text).map_err(|e| format!("the deployed manifest of '{name}': {e}"))?;
            match state::check_replacement(&old, &c.manifest) {
                Ok(change) => verdicts.push(change.to_string()),
                Err(reasons) if args.force => verdicts.push(format!("incompatible, forced: {}", reasons.join("; "))),
                Err(reasons) => {
                    refused.push(format!("{name}: incompatible with the deployed version {}:\n{}", short(&deployed.current.executable), reasons.iter().map(|r| format!("  - {r}")).collect::<Vec<_>>().join("\n")));
                    verdicts.push(String::new());
                }
            }
        }
        if !refused.is_empty() {
            return Err(format!("refusing to deploy (nothing was changed; --force deploys anyway):\n{}", refused.join("\n")));
        }
        let mut lines = Vec::new();
        let mut changed = false;
        for (c, verdict) in candidates.iter().zip(&verdicts) {
            let executable = store.put_artifact(&c.executable).await?;
            let manifest = store.put_artifact(&c.manifest_bytes).await?;
            let expected = c.manifest.artifacts.executable.as_ref().map(|a| a.sha256.as_str()).unwrap_or_default();
            if executable != expected {
                return Err(format!("nanoservice '{}': its executable changed while deploying ({executable}, manifest says {expected})", c.manifest.name));
            }
            let version = Version { executable, manifest, content_hash: c.manifest.content_hash.clone() };
            let name = &c.manifest.name;
            let replicas = args.replicas.explicit(name);
            let replaced = desired.replace(name, version.clone(), replicas);
            changed |= replaced != Replaced::Same;
            lines.push(match replaced {
                Replaced::Added => format!("{name}: deployed {} ({} replica(s) per host)", short(&version.executable), desired.units[name].replicas),
                Replaced::Same => format!("{name}: unchanged {}", short(&version.executable)),
                Replaced::Replaced { old } => format!("{name}: {} -> {} ({verdict})", short(&old.executable), short(&version.executable)),
            });
        }
        if args.only.is_none() {
            // A whole build is the whole mesh: what it no longer has goes.
            let gone: Vec<String> = desired.units.keys().filter(|n| !names.contains(&n.as_str())).cloned().collect();
            for name in gone {
                desired.units.remove(&name);
                lines.push(format!("{name}: removed"));
                changed = true;
            }
        }
        match store.write_desired(&desired, revision).await {
            Ok(_) => {
                if !changed {
                    lines.push(format!("mesh '{mesh}': nothing to change"));
                }
                return Ok(lines);
            }
            Err(e) if e == store::CONFLICT => continue,
            Err(e) => return Err(e),
        }
    }
    Err(format!("mesh '{mesh}': {} (5 times); try again", store::CONFLICT))
}

fn random_key() -> Result<String, String> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| format!("no randomness for the mesh's handoff key: {e}"))?;
    Ok(key.iter().map(|b| format!("{b:02x}")).collect())
}

/// `g2n rollback NAME --nats URL`: the previous version of NAME becomes the
/// desired one again.
pub fn rollback(name: &str, servers: &[String], mesh: Option<&str>, access: &crate::nats::Access) -> i32 {
    let result = runtime().and_then(|rt| {
        rt.block_on(async {
            let (_client, store) = open(servers, mesh, false, access, Role::Deployer).await?;
            for _ in 0..5 {
                let (mut desired, revision) = store.desired().await?.ok_or_else(|| format!("mesh '{}' has nothing deployed", store.mesh))?;
                let (now, replaced) = desired.rollback(name)?;
                match store.write_desired(&desired, Some(revision)).await {
                    Ok(_) => return Ok(format!("{name}: {} -> {} (rolled back)", short(&replaced.executable), short(&now.executable))),
                    Err(e) if e == store::CONFLICT => continue,
                    Err(e) => return Err(e),
                }
            }
            Err(format!("mesh '{}': {} (5 times); try again", store.mesh, store::CONFLICT))
        })
    });
    match result {
        Ok(line) => {
            println!("{line}");
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}
