//! Building, checking and timing one program with both compilers.
//!
//! Every build and run of the two compilers alternates (g2n first in even
//! rounds, go first in odd ones), so that a slow phase of a shared machine
//! hits both. Each `go build` gets an empty GOCACHE of its own, so it
//! compiles the program anew and links Go's standard library, which Debian
//! ships precompiled. g2n's counterpart of that precompiled library is its
//! build cache, which holds library functions only (never a program's own:
//! crates/codegen/src/function_cache.rs): each program's first g2n build
//! starts from an empty G2N_CACHE of the program's own and is timed on its
//! own (`compile_cold`, the cost of compiling the library from Go's source),
//! and the timed builds after it read that cache, so that they too compile
//! the program anew and take only the library precompiled.

use crate::Options;
use crate::generate;
use crate::process::{self, Exit};
use crate::programs::{Expected, Program};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The program of the `--smoke` run: one of ours, quick, and inside what g2n
/// compiles today.
pub const SMOKE_PROGRAM: &str = "fib-calls";

const BUILD_LIMIT: Duration = Duration::from_secs(600);
const RUN_LIMIT: Duration = Duration::from_secs(300);

pub struct Context {
    pub g2n: PathBuf,
    /// `None`: go was not found (the reason is in the report header).
    pub go: Option<PathBuf>,
    pub work: PathBuf,
    pub opts: Options,
}

/// Measurements of one compiler on one program.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// Seconds per build (g2n: with the library in the build cache, as
    /// Go's comes precompiled).
    pub compile: Vec<f64>,
    /// g2n only: seconds of the first build, from an empty build cache (the
    /// library compiled from Go's source too).
    pub compile_cold: Vec<f64>,
    /// Seconds per run.
    pub run: Vec<f64>,
    /// Peak RSS per run, KiB.
    pub rss_kib: Vec<f64>,
    /// Bytes of the executable.
    pub size: u64,
}

/// How one compiler fared.
#[derive(Debug, Clone)]
pub enum Side<T> {
    Ok(T),
    /// Build failed, the binary failed or printed the wrong output: why, in
    /// one line.
    Failed(String),
    /// The compiler is not installed (only ever go).
    Missing,
}

impl<T> Side<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Side::Ok(t) => Some(t),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ProgramResult {
    pub name: String,
    pub origin: &'static str,
    pub g2n: Side<Measured>,
    pub go: Side<Measured>,
}

/// Compile speed on one generated program.
#[derive(Debug, Clone)]
pub struct CompileSpeed {
    pub lines: usize,
    /// Seconds per build; `Ok` only when the binary printed the right value.
    pub g2n: Side<Vec<f64>>,
    pub go: Side<Vec<f64>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Compiler {
    G2n,
    Go,
}

/// The two compilers in the order of round `i`.
fn order(i: usize) -> [Compiler; 2] {
    if i.is_multiple_of(2) {
        [Compiler::G2n, Compiler::Go]
    } else {
        [Compiler::Go, Compiler::G2n]
    }
}

/// One compiler's state while a program is measured.
struct Track {
    exe: PathBuf,
    out_dir: PathBuf,
    state: Side<Measured>,
}

impl Track {
    fn alive(&self) -> bool {
        matches!(self.state, Side::Ok(_))
    }
    fn fail(&mut self, why: String) {
        self.state = Side::Failed(why);
    }
    fn measured(&mut self) -> Option<&mut Measured> {
        match &mut self.state {
            Side::Ok(m) => Some(m),
            _ => None,
        }
    }
}

/// Builds, checks and times `p` with both compilers.
pub fn program(ctx: &Context, p: &Program) -> ProgramResult {
    let dir = ctx.work.join(&p.name);
    let _ = fs::remove_dir_all(&dir);
    let prepared = fs::create_dir_all(&dir)
        .and_then(|()| fs::copy(&p.main_go, dir.join("main.go")).map(|_| ()))
        .map_err(|e| {
            format!(
                "cannot copy {} into {}: {e}",
                p.main_go.display(),
                dir.display()
            )
        });
    let mut g2n = Track {
        exe: PathBuf::new(),
        out_dir: dir.join("g2n-out"),
        state: Side::Ok(Measured::default()),
    };
    let mut go = Track {
        exe: dir.join("go-bin"),
        out_dir: dir.clone(),
        state: if ctx.go.is_some() {
            Side::Ok(Measured::default())
        } else {
            Side::Missing
        },
    };
    if let Err(e) = prepared {
        g2n.fail(e.clone());
        if go.alive() {
            go.fail(e);
        }
    }
    let src = dir.join("main.go");
    let library_cache = dir.join("g2n-library-cache");

    // g2n's first build fills its build cache with the library (module
    // comment); it is timed on its own.
    if g2n.alive() {
        let _ = fs::remove_dir_all(&library_cache);
        match build_g2n(&ctx.g2n, &src, &g2n.out_dir, &library_cache) {
            Ok((secs, exe)) => {
                g2n.exe = exe;
                if let Some(m) = g2n.measured() {
                    m.compile_cold.push(secs);
                }
            }
            Err(why) => g2n.fail(why),
        }
    }

    // Builds. After the first round, only when both sides still work: the
    // point of repeating is the ratio.
    for i in 0..ctx.opts.compiles {
        if i > 0 && !(g2n.alive() && go.alive()) {
            break;
        }
        for c in order(i) {
            let t = if c == Compiler::G2n {
                &mut g2n
            } else {
                &mut go
            };
            if !t.alive() {
                continue;
            }
            let built = match c {
                Compiler::G2n => build_g2n(&ctx.g2n, &src, &t.out_dir, &library_cache),
                Compiler::Go => build_go(
                    ctx.go.as_deref().unwrap_or(Path::new("go")),
                    &src,
                    &t.exe,
                    &t.out_dir,
                ),
            };
            match built {
                Ok((secs, exe)) => {
                    let size = fs::metadata(&exe).map(|m| m.len()).unwrap_or(0);
                    t.exe = exe;
                    if let Some(m) = t.measured() {
                        m.compile.push(secs);
                        m.size = size;
                    }
                }
                Err(why) => t.fail(why),
            }
        }
    }

    // Runs, every output checked.
    for i in 0..ctx.opts.runs {
        if i > 0 && !(g2n.alive() && go.alive()) {
            break;
        }
        for c in order(i) {
            let t = if c == Compiler::G2n {
                &mut g2n
            } else {
                &mut go
            };
            if !t.alive() {
                continue;
            }
            match run_checked(&t.exe, &p.args, &p.expected, &dir.join("launch-report")) {
                Ok((secs, rss)) => {
                    if let Some(m) = t.measured() {
                        m.run.push(secs);
                        m.rss_kib.push(rss);
                    }
                }
                Err(why) => t.fail(why),
            }
        }
    }
    let _ = fs::remove_dir_all(&library_cache);
    ProgramResult {
        name: p.name.clone(),
        origin: p.origin,
        g2n: g2n.state,
        go: go.state,
    }
}

/// Times both compilers on a generated program of `lines` lines and checks
/// what each binary prints.
pub fn compile_speed(ctx: &Context, lines: usize) -> CompileSpeed {
    let dir = ctx.work.join(format!("gen-{lines}"));
    let _ = fs::remove_dir_all(&dir);
    let (text, output) = generate::program(lines);
    let expected = Expected::Bytes(output.into_bytes());
    let src = dir.join("main.go");
    if let Err(e) = fs::create_dir_all(&dir).and_then(|()| fs::write(&src, text)) {
        let why = format!("cannot write {}: {e}", src.display());
        return CompileSpeed {
            lines,
            g2n: Side::Failed(why.clone()),
            go: if ctx.go.is_some() {
                Side::Failed(why)
            } else {
                Side::Missing
            },
        };
    }
    let mut g2n = (dir.join("g2n-out"), PathBuf::new(), Side::Ok(Vec::new()));
    let mut go = (
        dir.clone(),
        dir.join("go-bin"),
        if ctx.go.is_some() {
            Side::Ok(Vec::new())
        } else {
            Side::Missing
        },
    );
    // As for the programs: an untimed first g2n build puts the library in
    // the build cache, which the timed builds read.
    let library_cache = dir.join("g2n-library-cache");
    if let Err(why) = build_g2n(&ctx.g2n, &src, &g2n.0, &library_cache) {
        g2n.2 = Side::Failed(why);
    }
    for i in 0..ctx.opts.compiles {
        for c in order(i) {
            let (out_dir, exe, state) = if c == Compiler::G2n {
                &mut g2n
            } else {
                &mut go
            };
            let Side::Ok(times) = state else { continue };
            let built = match c {
                Compiler::G2n => build_g2n(&ctx.g2n, &src, out_dir, &library_cache),
                Compiler::Go => build_go(
                    ctx.go.as_deref().unwrap_or(Path::new("go")),
                    &src,
                    exe,
                    out_dir,
                ),
            };
            match built {
                Ok((secs, built_exe)) => {
                    times.push(secs);
                    *exe = built_exe;
                }
                Err(why) => *state = Side::Failed(why),
            }
        }
    }
    for (_, exe, state) in [&mut g2n, &mut go] {
        if matches!(state, Side::Ok(_))
            && let Err(why) = run_checked(exe, &[], &expected, &dir.join("launch-report"))
        {
            *state = Side::Failed(why);
        }
    }
    let _ = fs::remove_dir_all(&library_cache);
    CompileSpeed {
        lines,
        g2n: g2n.2,
        go: go.2,
    }
}

/// `g2n build SRC -o OUT` with `cache` as its build cache: seconds and the
/// entry nanoservice's executable.
fn build_g2n(g2n: &Path, src: &Path, out: &Path, cache: &Path) -> Result<(f64, PathBuf), String> {
    let _ = fs::remove_dir_all(out);
    // An existing directory: the output directory form (mesh.yaml, NAME/NAME),
    // not the single executable that `-o FILE` writes for a one-unit program.
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut cmd = Command::new(g2n);
    cmd.arg("build")
        .arg(src)
        .arg("-o")
        .arg(out)
        .env("NO_COLOR", "1")
        .env("G2N_CACHE", cache);
    let o = process::run(&mut cmd, BUILD_LIMIT)
        .map_err(|e| format!("cannot run {}: {e}", g2n.display()))?;
    if o.timed_out {
        return Err(format!("g2n build ran past {} s", BUILD_LIMIT.as_secs()));
    }
    if !o.exit.success() {
        return Err(format!(
            "g2n build failed: {}",
            diagnostic_line(&o.stderr, &o.stdout, o.exit)
        ));
    }
    let mesh = fs::read_to_string(out.join("mesh.yaml"))
        .map_err(|e| format!("g2n build wrote no mesh.yaml: {e}"))?;
    let entry = mesh
        .lines()
        .find_map(|l| l.strip_prefix("entry:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .ok_or_else(|| "mesh.yaml names no entry".to_string())?;
    let exe = out.join(&entry).join(&entry);
    if !exe.is_file() {
        return Err(format!("g2n build wrote no executable {}", exe.display()));
    }
    Ok((o.wall.as_secs_f64(), exe))
}

/// `go build -o EXE main.go` in `dir` with an empty GOCACHE of its own.
fn build_go(go: &Path, src: &Path, exe: &Path, dir: &Path) -> Result<(f64, PathBuf), String> {
    let cache = dir.join("gocache");
    let _ = fs::remove_dir_all(&cache);
    let _ = fs::remove_file(exe);
    let mut cmd = Command::new(go);
    cmd.arg("build")
        .arg("-o")
        .arg(exe)
        .arg(src)
        .current_dir(dir)
        .env("GOCACHE", &cache)
        .env("GOFLAGS", "")
        .env("GOWORK", "off")
        .env("CGO_ENABLED", "0");
    let o = process::run(&mut cmd, BUILD_LIMIT)
        .map_err(|e| format!("cannot run {}: {e}", go.display()))?;
    let _ = fs::remove_dir_all(&cache);
    if o.timed_out {
        return Err(format!("go build ran past {} s", BUILD_LIMIT.as_secs()));
    }
    if !o.exit.success() {
        return Err(format!(
            "go build failed: {}",
            diagnostic_line(&o.stderr, &o.stdout, o.exit)
        ));
    }
    Ok((o.wall.as_secs_f64(), exe.to_path_buf()))
}

/// Runs `exe ARGS`: seconds and peak RSS (KiB) when it exits 0 and prints
/// `expected`, else why not.
fn run_checked(
    exe: &Path,
    args: &[String],
    expected: &Expected,
    report: &Path,
) -> Result<(f64, f64), String> {
    let o = process::measured(exe, args, report, RUN_LIMIT)
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if o.timed_out {
        return Err(format!("run killed after {} s", RUN_LIMIT.as_secs()));
    }
    if !o.exit.success() {
        return Err(format!(
            "run failed ({}): {}",
            o.exit,
            diagnostic_line(&o.stderr, &o.stdout, o.exit)
        ));
    }
    expected
        .check(&o.stdout)
        .map_err(|why| format!("wrong output: {why}"))?;
    #[allow(clippy::cast_precision_loss)]
    Ok((o.wall.as_secs_f64(), o.max_rss_kib as f64))
}

/// The line that says what went wrong: the first `×` diagnostic line of
/// g2n's rendering, else the first non-empty line of stderr, else of stdout.
pub fn diagnostic_line(stderr: &[u8], stdout: &[u8], exit: Exit) -> String {
    let err = strip_ansi(&String::from_utf8_lossy(stderr));
    let out = strip_ansi(&String::from_utf8_lossy(stdout));
    let marked = err
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix('×').map(str::trim));
    // Go prints `# package` before its errors.
    let first = || {
        err.lines()
            .chain(out.lines())
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("# "))
    };
    match marked.or_else(first) {
        Some(line) => line.chars().take(160).collect(),
        None => format!("{exit}, no output"),
    }
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            if chars.next() == Some('[') {
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_lines() {
        let g2n = "g2n::sema::unknown_package\n\n  \u{1b}[31m×\u{1b}[0m package strconv is not in g2n's standard library\n   ╭─[main.go:8:2]\n";
        assert_eq!(
            diagnostic_line(g2n.as_bytes(), b"", Exit::Code(1)),
            "package strconv is not in g2n's standard library"
        );
        assert_eq!(
            diagnostic_line(b"\n# command-line-arguments\n./x.go:1", b"", Exit::Code(2)),
            "./x.go:1"
        );
        assert_eq!(
            diagnostic_line(b"", b"", Exit::Signal(9)),
            "killed by signal 9, no output"
        );
    }

    #[test]
    fn alternating_order() {
        assert_eq!(order(0), [Compiler::G2n, Compiler::Go]);
        assert_eq!(order(1), [Compiler::Go, Compiler::G2n]);
    }
}
