//! `g2n-bench`: builds every benchmark program with `g2n build` and with
//! `go build`, checks that both print the expected output, times both
//! alternately, times both compilers on generated programs, prints a table and
//! writes `docs/performance.md` and `docs/performance.svg`.
//!
//! Run it from the repository with `cargo run --release -p g2n-bench`
//! (`--help` lists the options). Benchmarks are not tests: only `--smoke`
//! runs in CI (crates/bench/tests/smoke.rs).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod chain;
mod generate;
mod machine;
mod micro;
mod process;
mod programs;
mod report;
mod stats;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
g2n-bench: g2n against Go's own compiler on the same programs and machine

Usage: cargo run --release -p g2n-bench -- [OPTIONS]

Options:
  --quick          fewer repetitions (2 compiles and 3 runs instead of 3 and 5)
  --smoke          one small program, one repetition, a 500-line generated
                   program; prints the table and writes no docs (used in CI)
  --filter NAME    only programs (and generated programs, named gen-LINES)
                   whose name contains NAME; writes no docs
  --runs N         timed runs of each binary (default 5)
  --compiles N     timed builds of each program (default 3)
  --g2n PATH       the g2n executable to use (default: build it with
                   `cargo build --release -p g2n` and use target/release/g2n)
  --no-docs        do not write docs/performance.md and docs/performance.svg
  --keep           keep the work directory with the built binaries
  --microgo2network [N]
                   only the chain of N separate nanoservice configs (default
                   65535) against N Go goroutines (crates/bench/src/micro.rs):
                   build time and memory, run time and peak RSS; writes its
                   section of docs/performance.md unless --no-docs
  -h, --help       this text

Environment:
  G2N_BENCH_GO     the go executable to use instead of `go` on PATH
  CARGO_TARGET_DIR where cargo puts target/ (to find the release g2n)

Programs come from ../shared/bench/programs (third-party and anchor programs)
and bench/programs (written for this project), relative to the repository.
";

/// What the command line asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub quick: bool,
    pub smoke: bool,
    pub filter: Option<String>,
    pub runs: usize,
    pub compiles: usize,
    pub g2n: Option<PathBuf>,
    pub write_docs: bool,
    pub keep: bool,
    /// `--microgo2network [N]`: only that benchmark, with N configs.
    pub microgo2network: Option<usize>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        quick: false,
        smoke: false,
        filter: None,
        runs: 5,
        compiles: 3,
        g2n: None,
        write_docs: true,
        keep: false,
        microgo2network: None,
    };
    let mut runs = None;
    let mut compiles = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--quick" => o.quick = true,
            "--smoke" => o.smoke = true,
            "--filter" => o.filter = Some(value("--filter")?),
            "--runs" => runs = Some(positive(&value("--runs")?, "--runs")?),
            "--compiles" => compiles = Some(positive(&value("--compiles")?, "--compiles")?),
            "--g2n" => o.g2n = Some(PathBuf::from(value("--g2n")?)),
            "--no-docs" => o.write_docs = false,
            "--keep" => o.keep = true,
            "--microgo2network" => {
                o.microgo2network = Some(match it.clone().next().and_then(|v| v.parse::<usize>().ok()) {
                    Some(n) if n >= 2 => {
                        it.next();
                        n
                    }
                    _ => 65535,
                })
            }
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    if o.quick {
        o.runs = 3;
        o.compiles = 2;
    }
    if o.smoke {
        o.runs = 1;
        o.compiles = 1;
    }
    o.runs = runs.unwrap_or(o.runs);
    o.compiles = compiles.unwrap_or(o.compiles);
    if o.smoke || o.filter.is_some() {
        o.write_docs = false;
    }
    Ok(o)
}

fn positive(text: &str, name: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{name} needs a positive number, not `{text}`")),
    }
}

/// The repository root: two levels above this crate's manifest.
fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The g2n executable: `--g2n`, else a release build made now by cargo.
fn locate_g2n(opts: &Options, root: &Path) -> Result<PathBuf, String> {
    if let Some(path) = &opts.g2n {
        return if path.is_file() {
            Ok(path.clone())
        } else {
            Err(format!("--g2n {} is not a file", path.display()))
        };
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building the release g2n: cargo build --release -p g2n");
    let status = Command::new(&cargo)
        .args(["build", "--release", "-p", "g2n"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo to build g2n: {e} (or pass --g2n PATH)"))?;
    if !status.success() {
        return Err(format!("`cargo build --release -p g2n` failed ({status})"));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let g2n = target.join("release").join("g2n");
    if g2n.is_file() {
        Ok(g2n)
    } else {
        Err(format!(
            "cargo built g2n but {} does not exist (pass --g2n PATH)",
            g2n.display()
        ))
    }
}

/// The go executable, or why there is none.
fn locate_go() -> Result<(PathBuf, String), String> {
    let hint = "install Go 1.19 or newer (Debian/Ubuntu: `apt-get install golang-go`) \
                or set G2N_BENCH_GO; only g2n is checked";
    let go = match std::env::var_os("G2N_BENCH_GO") {
        Some(path) => PathBuf::from(path),
        None => {
            let found = std::env::var_os("PATH").map(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join("go"))
                    .find(|p| p.is_file())
            });
            match found.flatten() {
                Some(p) => p,
                None => return Err(format!("go not found on PATH: {hint}")),
            }
        }
    };
    match Command::new(&go).arg("version").output() {
        Ok(out) if out.status.success() => {
            Ok((go, String::from_utf8_lossy(&out.stdout).trim().to_string()))
        }
        Ok(out) => Err(format!(
            "go not found: `{} version` failed ({}): {hint}",
            go.display(),
            out.status
        )),
        Err(e) => Err(format!(
            "go not found: cannot run {}: {e}; {hint}",
            go.display()
        )),
    }
}

/// First line of a tool's `--version` / `-V` output, or why it failed.
fn version_of(program: &Path, arg: &str) -> String {
    match Command::new(program).arg(arg).output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
        Ok(out) => format!(
            "unknown (`{} {arg}` failed: {})",
            program.display(),
            out.status
        ),
        Err(e) => format!("unknown ({e})"),
    }
}

fn git_commit(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .current_dir(root)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() -> ExitCode {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if raw.first().is_some_and(|a| a == process::LAUNCH_ARG) {
        // The launcher of a measured run: nothing else may happen first, so
        // that this process stays small (see process.rs).
        std::process::exit(process::launch_main(&raw[1..]));
    }
    let args: Vec<String> = raw
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let opts = match parse_args(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("g2n-bench: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("g2n-bench: {e}");
            ExitCode::from(2)
        }
    }
}

/// `--microgo2network N`: that benchmark only (crate::micro).
fn run_microgo2network(opts: &Options, root: &Path, g2n: &Path, go: Option<&(PathBuf, String)>, n: usize) -> Result<ExitCode, String> {
    let work = std::env::temp_dir().join(format!("g2n-bench-micro-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let runs = if opts.smoke { 1 } else { opts.runs };
    let result = micro::run(g2n, go.map(|(p, _)| p.as_path()), go.map_or("not found", |(_, v)| v.as_str()), n, runs, &work);
    if !opts.keep {
        let _ = std::fs::remove_dir_all(&work);
    }
    let section = result?;
    println!("{section}");
    if opts.write_docs {
        let md = root.join("docs").join("performance.md");
        let text = std::fs::read_to_string(&md).unwrap_or_default();
        std::fs::write(&md, micro::splice(&text, &section)).map_err(|e| format!("cannot write {}: {e}", md.display()))?;
        eprintln!("g2n-bench: wrote its section of {}", md.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn run(opts: &Options) -> Result<ExitCode, String> {
    let root = repo_root();
    let g2n = locate_g2n(opts, &root)?;
    let go = locate_go();
    if let Err(why) = &go {
        eprintln!("g2n-bench: {why}");
    }
    if let Some(n) = opts.microgo2network {
        return run_microgo2network(opts, &root, &g2n, go.as_ref().ok(), n);
    }

    let shared_dir = root
        .join("..")
        .join("shared")
        .join("bench")
        .join("programs");
    let own_dir = root.join("bench").join("programs");
    let (mut all, mut warnings) = programs::discover(&shared_dir, "shared");
    let (own, own_warnings) = programs::discover(&own_dir, "bench");
    all.extend(own);
    warnings.extend(own_warnings);
    for w in &warnings {
        eprintln!("g2n-bench: {w}");
    }

    let selected: Vec<programs::Program> = if opts.smoke {
        let smoke = all
            .iter()
            .find(|p| p.origin == "bench" && p.name == bench::SMOKE_PROGRAM)
            .cloned()
            .ok_or_else(|| {
                format!(
                    "the smoke program bench/programs/{} is missing",
                    bench::SMOKE_PROGRAM
                )
            })?;
        vec![smoke]
    } else {
        all.into_iter()
            .filter(|p| {
                opts.filter
                    .as_ref()
                    .is_none_or(|f| p.name.contains(f.as_str()))
            })
            .collect()
    };
    let gen_sizes: Vec<usize> = if opts.smoke {
        vec![500]
    } else {
        vec![10_000, 50_000]
    };
    let gen_sizes: Vec<usize> = gen_sizes
        .into_iter()
        .filter(|n| {
            opts.filter
                .as_ref()
                .is_none_or(|f| format!("gen-{n}").contains(f.as_str()))
        })
        .collect();
    if selected.is_empty() && gen_sizes.is_empty() {
        return Err("no benchmark program matches the filter".into());
    }

    let work = std::env::temp_dir().join(format!("g2n-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let go_exe = go.as_ref().ok().map(|(path, _)| path.clone());
    let ctx = bench::Context {
        g2n: g2n.clone(),
        go: go_exe,
        work: work.clone(),
        opts: opts.clone(),
    };

    let load_before = machine::load_average();
    let mut results = Vec::new();
    for p in &selected {
        eprintln!("g2n-bench: {} ({})", p.name, p.origin);
        results.push(bench::program(&ctx, p));
    }
    let mut speeds = Vec::new();
    for &lines in &gen_sizes {
        eprintln!("g2n-bench: gen-{lines} (compile speed)");
        speeds.push(bench::compile_speed(&ctx, lines));
    }
    if opts.keep {
        eprintln!("g2n-bench: binaries kept in {}", work.display());
    } else {
        let _ = std::fs::remove_dir_all(&work);
    }

    let machine = machine::Machine::detect();
    let rustc = std::env::var_os("RUSTC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("rustc"));
    let report = report::Report {
        date: machine::now_utc(),
        machine: machine.describe(),
        load: (load_before, machine::load_average()),
        rustc: version_of(&rustc, "-V"),
        go: match &go {
            Ok((_, v)) => v.clone(),
            Err(_) => "go not found".into(),
        },
        g2n: format!(
            "{}{}",
            version_of(&g2n, "--version"),
            git_commit(&root)
                .map(|c| format!(" (commit {c})"))
                .unwrap_or_default()
        ),
        runs: opts.runs,
        compiles: opts.compiles,
        mode: if opts.smoke {
            "smoke"
        } else if opts.quick {
            "quick"
        } else {
            "full"
        },
        results,
        speeds,
    };
    let text = report.markdown(report::Target::Terminal);
    println!("{text}");

    if opts.write_docs {
        let md = root.join("docs").join("performance.md");
        let svg = root.join("docs").join("performance.svg");
        // The microgo2network section is measured by its own run: kept.
        let old = std::fs::read_to_string(&md).unwrap_or_default();
        let mut text = report.markdown(report::Target::Docs);
        if let Some(section) = micro::section(&old) {
            text = micro::splice(&text, &format!("{section}\n"));
        }
        // So are the sections measured by hand or by other tools, each
        // between its own markers: notes on this run written by hand (what
        // changed since the last one, and why), the NATS engine's
        // (crates/runtime-nats/examples/nats_hops) and the debug g2n's
        // microgo2network test.
        for name in ["notes", "nats", "microgo2network-debug"] {
            let (start_marker, end_marker) = (format!("<!-- {name}: start -->"), format!("<!-- {name}: end -->"));
            if let (Some(start), Some(end)) = (old.find(&start_marker), old.find(&end_marker))
                && end > start
            {
                text = format!("{}\n\n{}\n", text.trim_end_matches('\n'), &old[start..end + end_marker.len()]);
            }
        }
        std::fs::write(&md, text)
            .map_err(|e| format!("cannot write {}: {e}", md.display()))?;
        std::fs::write(&svg, report.svg())
            .map_err(|e| format!("cannot write {}: {e}", svg.display()))?;
        eprintln!("g2n-bench: wrote {} and {}", md.display(), svg.display());
    }

    // In the smoke run the one program must work with g2n: it is the check
    // that the harness itself (building, running, comparing) works.
    if opts.smoke {
        let ok = report
            .results
            .iter()
            .all(|r| matches!(r.g2n, bench::Side::Ok(_)))
            && report
                .speeds
                .iter()
                .all(|s| matches!(s.g2n, bench::Side::Ok(_)));
        if !ok {
            eprintln!(
                "g2n-bench: the smoke program did not build, run or print the expected output with g2n"
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options() {
        let o = parse_args(&args(&[])).expect("no arguments");
        assert_eq!((o.runs, o.compiles, o.write_docs), (5, 3, true));
        let o = parse_args(&args(&["--smoke"])).expect("smoke");
        assert_eq!((o.runs, o.compiles, o.write_docs), (1, 1, false));
        let o = parse_args(&args(&["--quick", "--runs", "7"])).expect("quick");
        assert_eq!((o.runs, o.compiles, o.write_docs), (7, 2, true));
        let o = parse_args(&args(&["--filter", "fib"])).expect("filter");
        assert_eq!((o.filter.as_deref(), o.write_docs), (Some("fib"), false));
        assert!(parse_args(&args(&["--runs", "0"])).is_err());
        assert!(parse_args(&args(&["--filter"])).is_err());
        assert!(parse_args(&args(&["--bogus"])).is_err());
    }
}
