//! Linking a unit's object with the runtime archive by the system C compiler.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Environment variable that names the runtime archive explicitly.
pub const RUNTIME_LIB_ENV: &str = "G2N_RUNTIME_LIB";
/// The same for the runtime archive with the NATS engine.
pub const RUNTIME_NATS_LIB_ENV: &str = "G2N_RUNTIME_NATS_LIB";

/// Which runtime archive an executable is linked with: the transport of
/// its hops between hosts (the generated code is the same for all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// `libg2n_runtime.a`: in memory and g2n's TCP protocol.
    #[default]
    Tcp,
    /// `libg2n_runtime_nats.a`, the networked runtime: the same runtime
    /// plus the NATS JetStream engine (crates/runtime-nats) and TLS for
    /// g2n's TCP transport (crates/runtime-tls).
    Nats,
}

impl Engine {
    fn archive(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Engine::Tcp => ("libg2n_runtime.a", "libg2n_runtime-", RUNTIME_LIB_ENV),
            Engine::Nats => ("libg2n_runtime_nats.a", "libg2n_runtime_nats-", RUNTIME_NATS_LIB_ENV),
        }
    }
}

/// Finds the runtime archive of `engine` (`libg2n_runtime.a`):
/// `$G2N_RUNTIME_LIB` (`$G2N_RUNTIME_NATS_LIB`), else next to the g2n
/// executable (where cargo puts it), else in that directory's `deps/`.
pub fn find_runtime_for(engine: Engine) -> Result<PathBuf, String> {
    let (archive, hashed_prefix, env) = engine.archive();
    if let Some(path) = std::env::var_os(env) {
        let path = PathBuf::from(path);
        return if path.is_file() { Ok(path) } else { Err(format!("{env} names {}, which is not a file", path.display())) };
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate the g2n executable: {e}"))?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    // Test binaries live in target/debug/deps; g2n itself in target/debug.
    // Cargo uplifts the archive to target/debug only when the runtime itself
    // is built (`cargo build -p g2n-runtime`, `--workspace`); building it as a
    // dependency of g2n refreshes only the hashed copy in deps/. So the newest
    // of all candidates is the one that matches this build, never a stale one.
    let mut candidates: Vec<PathBuf> =
        [dir.to_path_buf(), dir.join(".."), dir.join("deps")].iter().map(|d| d.join(archive)).filter(|p| p.is_file()).collect();
    for deps in [dir.join("deps"), dir.to_path_buf()] {
        candidates.extend(std::fs::read_dir(deps).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.starts_with(hashed_prefix) && name.ends_with(".a")
        }));
    }
    let newest = candidates.into_iter().max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok());
    match newest {
        Some(path) => Ok(path),
        None => Err(format!(
            "cannot find {archive} next to {} (build the workspace with `cargo build --workspace`, or set {env})",
            exe.display()
        )),
    }
}

/// Links `object` with the runtime into `output`. The garbage collector
/// (bdwgc's `libgc.a`) is bundled inside the runtime archive by its build
/// script, so it needs no `-l` of its own; it uses `-lpthread` and `-ldl`,
/// which the Rust standard library needs too.
///
/// The executable is linked statically when the C library's static archives
/// are installed (as Go links its executables): a program then maps no shared
/// library and the dynamic loader does no work, which halves the startup time
/// of a small program and cuts its resident memory by a third
/// (docs/performance.md). gold links a static executable about twice as fast
/// as the default linker (as fast as a dynamic link with it), so it is tried
/// first. Without static archives the executable is linked dynamically. The
/// runtime resolves no host names (addresses are numeric), so the static C
/// library's caveat about `getaddrinfo` does not apply.
///
/// With the NATS engine's archive, `-u g2n_nats_engine_init` makes the
/// linker take the archive member that registers the engine (nothing else
/// refers to it; its `.init_array` entry survives `--gc-sections`).
pub fn link(object: &Path, runtime: &Path, output: &Path, engine: Engine) -> Result<(), String> {
    let mut result = Ok(());
    for (fully_static, linker) in [(true, Some("gold")), (true, None), (false, None)] {
        result = link_with(object, runtime, output, fully_static, linker, engine);
        if result.is_ok() {
            break;
        }
    }
    result
}

fn link_with(object: &Path, runtime: &Path, output: &Path, fully_static: bool, linker: Option<&str>, engine: Engine) -> Result<(), String> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let mut command = Command::new(&cc);
    if engine == Engine::Nats {
        command.arg("-Wl,-u,g2n_nats_engine_init");
    }
    // No build ID (Debian's cc asks for one): the executable is stripped,
    // so there is no debug information for the ID to match, and the linker
    // hashes the whole output to make it (5% of gold's CPU for
    // fannkuch-redux's 3.5 MB executable; docs/stdlib.md, "What it costs").
    command.arg(object).arg(runtime).arg("-o").arg(output).args(["-Wl,--gc-sections", "-Wl,--build-id=none", "-s"]);
    if let Some(linker) = linker {
        command.arg(format!("-fuse-ld={linker}"));
    }
    // The native libraries the Rust standard library needs
    // (`rustc --print native-static-libs`); statically, the unwinder is
    // libgcc_eh, which `-static` brings in.
    if fully_static {
        command.arg("-static");
    } else {
        command.arg("-lgcc_s");
    }
    let result = command
        .args(["-lutil", "-lrt", "-lpthread", "-lm", "-ldl", "-lc"])
        .output()
        .map_err(|e| format!("cannot run the linker `{cc}`: {e}"))?;
    if !result.status.success() {
        return Err(format!(
            "linking {} failed ({}):\n{}",
            output.display(),
            result.status,
            String::from_utf8_lossy(&result.stderr)
        ));
    }
    Ok(())
}
