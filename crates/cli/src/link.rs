//! Linking a unit's object with the runtime archive by the system C compiler.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

mod line;
mod prelink;

use line::StaticLine;
use prelink::Recipe;

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
/// (docs/performance.md). mold, then gold, link a static executable faster
/// than the default linker (gold about twice as fast), so they are tried
/// first. Without static archives the executable is linked dynamically. The
/// runtime resolves no host names (addresses are numeric), so the static C
/// library's caveat about `getaddrinfo` does not apply.
///
/// The first try, when mold is installed, is mold on the program's object
/// and one object prelinked once from everything else the static link
/// takes (start files, runtime, C library, libgcc: `Recipe::Static`):
/// 21 to 25 ms of CPU where gold takes 66 to 77 (docs/performance.md, "The
/// link"). The next runs gold itself on the runtime prelinked alone
/// (`Recipe::Runtime`) and the C library's archives (`link_direct`); the
/// others, if that fails, run `cc` on the archive as before. Both first
/// tries take the link line that `cc -###` prints for the static gold link
/// from where it is kept beside the archive (`line`), so they run no `cc`.
///
/// With the NATS engine's archive, `-u g2n_nats_engine_init` makes the
/// linker take the archive member that registers the engine (nothing else
/// refers to it; its `.init_array` entry survives `--gc-sections`). The
/// prelinked objects hold that member anyway (its `g2n_` symbol is a root).
pub fn link(object: &Path, runtime: &Path, output: &Path, engine: Engine) -> Result<(), String> {
    if let Ok(line) = StaticLine::of(&cc(), runtime) {
        if let Some(mold) = line::find_program("mold")
            && let Some(prelinked) = prelink::prelinked(runtime, &Recipe::Static(&line))
            && link_mold(&mold, &line, object, &prelinked, output, engine).is_ok()
        {
            return Ok(());
        }
        let prelinked = prelink::prelinked(runtime, &Recipe::Runtime);
        if link_direct(&line, object, prelinked.as_deref().unwrap_or(runtime), output, engine).is_ok() {
            return Ok(());
        }
    }
    let mut result = Ok(());
    for (fully_static, linker) in [(true, Some("gold")), (true, None), (false, None)] {
        result = link_with(object, runtime, output, fully_static, linker, engine);
        if result.is_ok() {
            break;
        }
    }
    result
}

/// The C compiler that drives the link: `$CC`, else `cc`.
fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// The arguments of `cc` for one way of linking.
fn cc_args(object: &Path, runtime: &Path, output: &Path, fully_static: bool, linker: Option<&str>, engine: Engine) -> Vec<OsString> {
    let mut args: Vec<OsString> = Vec::new();
    if engine == Engine::Nats {
        args.push("-Wl,-u,g2n_nats_engine_init".into());
    }
    // No build ID (Debian's cc asks for one): the executable is stripped,
    // so there is no debug information for the ID to match, and the linker
    // hashes the whole output to make it (5% of gold's CPU for
    // fannkuch-redux's 3.5 MB executable; docs/stdlib.md, "What it costs").
    args.extend([object.as_os_str(), runtime.as_os_str(), "-o".as_ref(), output.as_os_str()].map(OsString::from));
    args.extend(["-Wl,--gc-sections", "-Wl,--build-id=none", "-s"].map(OsString::from));
    if let Some(linker) = linker {
        args.push(format!("-fuse-ld={linker}").into());
    }
    // The native libraries the Rust standard library needs
    // (`rustc --print native-static-libs`); statically, the unwinder is
    // libgcc_eh, which `-static` brings in.
    args.push(if fully_static { "-static" } else { "-lgcc_s" }.into());
    args.extend(["-lutil", "-lrt", "-lpthread", "-lm", "-ldl", "-lc"].map(OsString::from));
    args
}

fn link_with(object: &Path, runtime: &Path, output: &Path, fully_static: bool, linker: Option<&str>, engine: Engine) -> Result<(), String> {
    let cc = cc();
    let result = Command::new(&cc)
        .args(cc_args(object, runtime, output, fully_static, linker, engine))
        .output()
        .map_err(|e| format!("cannot run the linker `{cc}`: {e}"))?;
    finished(result, output)
}

/// A static link with gold run directly, on the command line `cc -###`
/// printed for it (`line`): without the `cc` → collect2 → ld chain and its
/// LTO plugin (no object here holds LTO code). That saves two of the three
/// processes: 11 ms of gold's 88 ms of CPU for fannkuch-redux
/// (docs/performance.md, "The link").
fn link_direct(line: &StaticLine, object: &Path, runtime: &Path, output: &Path, engine: Engine) -> Result<(), String> {
    let mut command = Command::new(&line.linker);
    if engine == Engine::Nats {
        command.args(["-u", "g2n_nats_engine_init"]);
    }
    let result =
        command.args(line.gold_args(object, runtime, output)).output().map_err(|e| format!("cannot run the linker `{}`: {e}", line.linker))?;
    finished(result, output)
}

/// A static link with mold of `object` and `prelinked`, which holds
/// everything else (`Recipe::Static`), with the options of `line`.
/// `--no-fork`: mold otherwise leaves a child process to unmap its files
/// after the parent exits, which the pipes of `output()` wait for anyway.
fn link_mold(mold: &Path, line: &StaticLine, object: &Path, prelinked: &Path, output: &Path, engine: Engine) -> Result<(), String> {
    let mut command = Command::new(mold);
    command.args(line.options(output)).arg("--no-fork");
    if engine == Engine::Nats {
        command.args(["-u", "g2n_nats_engine_init"]);
    }
    let result = command.arg(object).arg(prelinked).output().map_err(|e| format!("cannot run the linker `{}`: {e}", mold.display()))?;
    finished(result, output)
}

fn finished(result: std::process::Output, output: &Path) -> Result<(), String> {
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

/// The program `cc` runs as `name` (`cc -print-prog-name`): a path when it is
/// in the compiler's own directories, else `name`, found on `PATH`.
fn program_of(cc: &str, name: &str) -> String {
    let printed = Command::new(cc).arg(format!("-print-prog-name={name}")).output();
    let path = printed.ok().filter(|p| p.status.success()).map(|p| String::from_utf8_lossy(&p.stdout).trim().to_string());
    path.filter(|p| !p.is_empty()).unwrap_or_else(|| name.to_string())
}

/// The words of a command line as `cc -###` prints it: separated by
/// spaces, a word with other characters than letters, digits and `_/-.`
/// in double quotes with `"`, `\` and `$` escaped by a backslash (GCC's
/// and clang's form). `None` for an unterminated quote.
fn driver_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if_eq(&' ').is_some() {}
        let Some(first) = chars.next() else { return Some(words) };
        let mut word = String::new();
        if first == '"' {
            loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => word.push(chars.next()?),
                    c => word.push(c),
                }
            }
        } else {
            word.push(first);
            while let Some(c) = chars.next_if(|c| *c != ' ') {
                word.push(c);
            }
        }
        words.push(word);
    }
}

/// collect2's arguments as the linker's: without the LTO plugin and its
/// options, and without `-fuse-ld=`, which only collect2 reads.
fn linker_args(words: Vec<String>) -> Vec<String> {
    let mut args = Vec::with_capacity(words.len());
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        if word == "-plugin" {
            words.next();
        } else if !(word.starts_with("-plugin-opt=") || word.starts_with("-fuse-ld=")) {
            args.push(word);
        }
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_words_reads_gcc_quoting() {
        let line = r#" /usr/lib/gcc/x86_64-linux-gnu/12/collect2 -plugin /p/liblto_plugin.so "-plugin-opt=-fresolution=/tmp/cc.res" "--hash-style=gnu" -o "/tmp/a b/out" "x\"y\\z\$w" """#;
        let words = driver_words(line).unwrap();
        assert_eq!(
            words,
            [
                "/usr/lib/gcc/x86_64-linux-gnu/12/collect2",
                "-plugin",
                "/p/liblto_plugin.so",
                "-plugin-opt=-fresolution=/tmp/cc.res",
                "--hash-style=gnu",
                "-o",
                "/tmp/a b/out",
                "x\"y\\z$w",
                "",
            ]
        );
        assert_eq!(driver_words(r#" a "unterminated"#), None);
        assert_eq!(linker_args(words[1..].to_vec()), ["--hash-style=gnu", "-o", "/tmp/a b/out", "x\"y\\z$w", ""]);
    }

    #[test]
    fn linker_args_drop_only_what_collect2_reads() {
        let words = ["-plugin", "/p.so", "-plugin-opt=x", "-fuse-ld=gold", "-static", "-o", "out", "-lc"].map(String::from).to_vec();
        assert_eq!(linker_args(words), ["-static", "-o", "out", "-lc"]);
    }
}
