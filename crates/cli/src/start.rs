//! `g2n start ENTRY --nats URL [ARGS]`: starts one flow in a deployed mesh
//! and prints its output and exits with its exit code, like `g2n run`. The
//! entry's deployed executable (fetched and checked like a host does,
//! crate::artifacts) runs as the flow's origin: the same origin code `g2n
//! run --engine nats` uses (crates/runtime-nats, `origin`), with the
//! terminal's stdio.

use crate::artifacts::{self, Engine};
use crate::lifetime::{RunDir, die_with_g2n};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

pub struct StartArgs {
    pub entry: String,
    pub args: Vec<String>,
    pub servers: Vec<String>,
    pub mesh: Option<String>,
    pub cache: Option<PathBuf>,
    pub trace: Option<PathBuf>,
    /// `--nats-auth`, `--nats-ca`.
    pub access: crate::nats::Access,
}

/// Returns the flow's exit code (1 with a message when it cannot start).
pub fn start(args: StartArgs) -> i32 {
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

fn run(args: &StartArgs) -> Result<i32, String> {
    let mesh = args.mesh.clone().unwrap_or_else(|| g2n_abi::nats::token(&args.entry));
    let cache = artifacts::cache_dir(args.cache.as_deref());
    let rt = crate::deploy::runtime()?;
    let (desired, prepared) = rt.block_on(async {
        // The host agents' user reads what to start; the origin connects
        // as the entry's user.
        let (_client, store) = crate::deploy::open(&args.servers, Some(&mesh), false, &args.access, crate::deploy::Role::Host).await?;
        let (desired, _) = store.desired().await?.ok_or_else(|| format!("mesh '{mesh}' has nothing deployed"))?;
        if desired.entry != args.entry {
            return Err(format!("mesh '{mesh}' starts at '{}', not '{}'", desired.entry, args.entry));
        }
        let unit = desired.units.get(&args.entry).ok_or_else(|| format!("mesh '{mesh}' has no deployed nanoservice '{}'", args.entry))?;
        let prepared = artifacts::prepare(&store, &args.entry, &unit.current, &cache).await?;
        Ok::<_, String>((desired, prepared))
    })?;
    drop(rt);
    let trace = match &args.trace {
        Some(path) => {
            std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| format!("cannot open trace file {}: {e}", path.display()))?;
            Some(std::path::absolute(path).map_err(|e| e.to_string())?.to_string_lossy().into_owned())
        }
        None => None,
    };
    // The origin's configuration holds the handoff key: a private run
    // directory, removed however this ends (crate::lifetime).
    let mut random = [0u8; 4];
    let _ = getrandom::fill(&mut random);
    let dir = RunDir::create(&random.iter().map(|b| format!("{b:02x}")).collect::<String>())?;
    let credentials = crate::deploy::credentials(&args.access)?;
    let engine = Engine { servers: &args.servers, drain_ms: None, trace: trace.as_deref(), local_address: None, ca_file: args.access.ca_file.as_deref(), credentials: credentials.as_ref() };
    let config = artifacts::runtime_config(&desired, &args.entry, &prepared, &engine, "origin", None)?;
    let config_path = dir.path().join("origin.runtime.json");
    crate::host::write_private(&config_path, &config.to_string())?;
    let mut command = Command::new(&prepared.executable);
    command.arg0(&args.entry).args(&args.args).env("G2N_RUNTIME", &config_path);
    // The origin keeps the terminal (a Ctrl-C reaches it) and dies with g2n.
    die_with_g2n(&mut command, false);
    let status = command.status().map_err(|e| format!("cannot start {}: {e}", prepared.executable.display()))?;
    use std::os::unix::process::ExitStatusExt;
    Ok(match status.signal() {
        // Shells report death by signal N as 128 + N.
        Some(signal) => 128 + signal,
        None => status.code().unwrap_or(1),
    })
}
