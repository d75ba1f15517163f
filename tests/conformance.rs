//! The conformance runner: every program of the shared corpus of real Go
//! programs (`../shared/corpus`, or `$G2N_CORPUS`), with the stdout, exit code
//! and first stderr line that Go 1.19 produced.
//!
//! Three modes, each printing `N passed, N failed`:
//! - `check`: `g2n check` accepts the program (every corpus program compiles
//!   with Go);
//! - `run`: `g2n run` prints the same stdout, exits with the same code, and
//!   writes the same first stderr line when the exit code is not 0;
//! - `split`: `g2n run --split per-line` (every statement line of `main` its
//!   own nanoservice, docs/split.md) prints what `run` printed, for every
//!   program that passes `run` and has at most [`SPLIT_MAX_LINES`] lines
//!   (the program is built once per split, and since scope graphs every
//!   live variable travels, so the limit only guards the time budget).
//!
//! Each `g2n run` is its own process group, killed as a whole when it runs
//! past its time limit: killing `g2n` alone would leave the program's host
//! process running.
//!
//! Failures are data: `tests/conformance/known_failures.txt` lists each known
//! failure with its reason. A failure not listed fails the test, and so does a
//! listed failure that now passes, so the list only shrinks.
//! `tests/conformance/summary.txt` holds the pass counts per mode, so that a
//! change in the numbers (a program added to the corpus, a mode that runs
//! more or fewer programs) shows in a diff; a difference fails the test.
//! `G2N_BLESS=1` rewrites both files from the current results.
//!
//! The corpus is required: without it the test fails, saying where it looked
//! (`tests/support/corpus.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/corpus.rs"]
mod corpus;

/// A program that runs longer than this is stopped and counted as failed.
const RUN_TIMEOUT: Duration = Duration::from_secs(10);
/// The same for `--split per-line`: a loop of N iterations makes N handoffs
/// per line of its body (in-memory handoffs, the whole program being on one
/// host process; docs/split.md).
const SPLIT_TIMEOUT: Duration = Duration::from_secs(30);

const KNOWN_FAILURES: &str = "tests/conformance/known_failures.txt";
const SUMMARY: &str = "tests/conformance/summary.txt";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// Writes past the test harness's capture, so CI logs show the summary.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

struct Case {
    path: String,
    dir: PathBuf,
    /// Source lines of main.go (INDEX.tsv's `lines`).
    lines: usize,
}

/// The largest program (in lines) that the `split` mode runs.
const SPLIT_MAX_LINES: usize = 100_000;

fn cases(corpus: &Path) -> Vec<Case> {
    let index = std::fs::read_to_string(corpus.join("INDEX.tsv")).expect("INDEX.tsv");
    index
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let path = fields.next().filter(|p| !p.is_empty())?;
            let lines = fields.nth(1).and_then(|l| l.parse().ok()).unwrap_or(usize::MAX);
            Some(Case { path: path.to_string(), dir: corpus.join(path), lines })
        })
        .collect()
}

/// The first line of g2n's diagnostics, as the reason of a compile failure.
fn first_diagnostic(stderr: &str) -> String {
    let mut lines = stderr.lines().map(str::trim).filter(|l| !l.is_empty());
    let code = lines.next().unwrap_or("no diagnostic").to_string();
    match lines.next() {
        Some(message) => format!("{code}: {}", message.trim_start_matches(['×', '⚠', ' '])),
        None => code,
    }
}

fn check_case(case: &Case) -> Result<(), String> {
    let output = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .arg("check")
        .arg(case.dir.join("main.go"))
        .env("NO_COLOR", "1")
        .output()
        .map_err(|e| format!("cannot run g2n: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(first_diagnostic(&String::from_utf8_lossy(&output.stderr)))
    }
}

fn first_difference(actual: &str, expected: &str) -> String {
    for (number, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        if a != e {
            return format!("stdout line {}: got {a:?}, want {e:?}", number + 1);
        }
    }
    let (a, e) = (actual.lines().count(), expected.lines().count());
    if a != e {
        return format!("stdout has {a} lines, want {e}");
    }
    "stdout differs in line endings".to_string()
}

fn run_case(case: &Case) -> Result<(), String> {
    run_case_with(case, &[])
}

fn split_case(case: &Case) -> Result<(), String> {
    // A per-line split of a program with a long loop makes thousands of
    // handoffs and can pass SPLIT_TIMEOUT on a machine loaded by other
    // builds. A failure that is not a diagnostic is therefore tried once
    // more: a deterministic failure fails twice.
    match run_case_with(case, &["--split", "per-line"]) {
        Err(reason) if !reason.starts_with("does not split") => run_case_with(case, &["--split", "per-line"]),
        other => other,
    }
}

fn run_case_with(case: &Case, options: &[&str]) -> Result<(), String> {
    // A split run is only tried on programs that passed `run`.
    if options.is_empty() {
        check_case(case).map_err(|reason| format!("does not compile: {reason}"))?;
    }
    let expected_stdout = std::fs::read_to_string(case.dir.join("expected.stdout")).unwrap_or_default();
    let expected_code: i32 = std::fs::read_to_string(case.dir.join("expected.exitcode"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let expected_stderr = std::fs::read_to_string(case.dir.join("expected.stderr.firstline")).unwrap_or_default();
    let scratch = std::env::temp_dir().join(format!("g2n-conformance-{}-{}", std::process::id(), case.path.replace('/', "_")));
    let _ = std::fs::create_dir_all(&scratch);
    let stdout_path = scratch.join("stdout");
    let stderr_path = scratch.join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .arg("run")
        .args(options)
        .arg(case.dir.join("main.go"))
        .current_dir(&case.dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).map_err(|e| e.to_string())?)
        .stderr(std::fs::File::create(&stderr_path).map_err(|e| e.to_string())?)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run g2n: {e}"))?;
    let started = Instant::now();
    let timeout = if options.is_empty() { RUN_TIMEOUT } else { SPLIT_TIMEOUT };
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        if started.elapsed() > timeout {
            kill_group(&child);
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = std::fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&scratch);
    let Some(status) = status else {
        return Err(format!("timed out after {timeout:?}"));
    };
    let code = status.code().unwrap_or(-1);
    if !options.is_empty() && code != expected_code && stderr.contains("g2n::") {
        // g2n refused the split program: its diagnostic is the reason.
        return Err(format!("does not split: {}", first_diagnostic(&stderr)));
    }
    if stdout != expected_stdout {
        return Err(first_difference(&stdout, &expected_stdout));
    }
    if code != expected_code {
        return Err(format!("exit code {code}, want {expected_code}"));
    }
    if expected_code != 0 {
        let first = stderr.lines().next().unwrap_or("");
        if first != expected_stderr.trim_end_matches('\n') {
            return Err(format!("stderr first line {first:?}, want {:?}", expected_stderr.trim_end()));
        }
    }
    Ok(())
}

/// Sends SIGKILL to the process group that `child` leads: `g2n run` and the
/// program processes it started.
fn kill_group(child: &Child) {
    let Ok(group) = libc::pid_t::try_from(child.id()) else { return };
    // SAFETY: a plain system call on the group of our own child, which has not
    // been reaped yet (so the id is still its group's); it may have exited.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

/// Runs `judge` over every case on two threads; returns failures by path.
fn run_mode(cases: &[Case], judge: fn(&Case) -> Result<(), String>) -> BTreeMap<String, String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = cases.get(index) else { break };
                    if let Err(reason) = judge(case) {
                        failures.lock().expect("failures lock").insert(case.path.clone(), reason);
                    }
                }
            });
        }
    });
    failures.into_inner().expect("failures lock")
}

/// The listed failures as `(mode, path)`; the reasons are for readers.
fn read_known() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(repo_root().join(KNOWN_FAILURES)).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let key = line.split_once(": ").map_or(line, |(key, _)| key);
            let (mode, path) = key.split_once(' ')?;
            Some((mode.to_string(), path.to_string()))
        })
        .collect()
}

fn write_known(results: &BTreeMap<&str, BTreeMap<String, String>>) {
    let mut text = String::from(
        "# Known conformance failures, one per line: `MODE PATH: reason`.\n\
         # Written by `G2N_BLESS=1 cargo test -p g2n --test conformance`; an entry that\n\
         # starts passing fails the run until it is removed, so this list only shrinks.\n\
         # The pass counts per mode are in summary.txt.\n",
    );
    for (mode, failures) in results {
        for (path, reason) in failures {
            text.push_str(&format!("{mode} {path}: {}\n", reason.replace('\n', " ")));
        }
    }
    std::fs::write(repo_root().join(KNOWN_FAILURES), text).expect("write known failures");
}

/// The pass counts per mode, as `summary.txt` holds them. The failures
/// themselves are in [`KNOWN_FAILURES`] only.
fn summary(results: &BTreeMap<&str, BTreeMap<String, String>>, totals: &BTreeMap<&str, usize>) -> String {
    let mut text = String::from(
        "# Conformance pass counts per mode: programs run, passed, failed.\n\
         # Written by `G2N_BLESS=1 cargo test -p g2n --test conformance`; the test fails\n\
         # when its counts differ. Which programs fail, and why: known_failures.txt.\n",
    );
    for (mode, failures) in results {
        let total = totals[mode];
        text.push_str(&format!("{mode}: {total} programs, {} passed, {} failed\n", total - failures.len(), failures.len()));
    }
    text
}

/// Why the committed summary differs from `actual`, if it does.
fn summary_difference(actual: &str) -> Option<String> {
    let path = repo_root().join(SUMMARY);
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    (expected != actual).then(|| {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        format!(
            "pass counts differ from {SUMMARY} (G2N_BLESS=1 rewrites it):\n{}",
            diff.unified_diff().header("committed", "this run")
        )
    })
}

#[test]
fn corpus_conformance() {
    let cases = cases(&corpus::corpus_dir());
    assert!(!cases.is_empty(), "empty corpus index");
    let mut results: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    results.insert("check", run_mode(&cases, check_case));
    results.insert("run", run_mode(&cases, run_case));
    let split_cases: Vec<Case> = cases
        .iter()
        .filter(|c| c.lines <= SPLIT_MAX_LINES && !results["run"].contains_key(&c.path))
        .map(|c| Case { path: c.path.clone(), dir: c.dir.clone(), lines: c.lines })
        .collect();
    let started = Instant::now();
    results.insert("split", run_mode(&split_cases, split_case));
    report(&format!(
        "conformance split: {} programs (of at most {SPLIT_MAX_LINES} lines) that pass `run`, in {:.0?}",
        split_cases.len(),
        started.elapsed()
    ));

    let totals = BTreeMap::from([("check", cases.len()), ("run", cases.len()), ("split", split_cases.len())]);
    let summary = summary(&results, &totals);
    if std::env::var_os("G2N_BLESS").is_some() {
        write_known(&results);
        std::fs::write(repo_root().join(SUMMARY), &summary).expect("write summary");
    }
    let known = read_known();
    let mut problems = Vec::new();
    for (mode, failures) in &results {
        let total = totals[mode];
        let passed = total - failures.len();
        report(&format!("conformance {mode}: {passed} passed, {} failed", failures.len()));
        for (path, reason) in failures {
            if !known.contains(&(mode.to_string(), path.clone())) {
                problems.push(format!("new failure: {mode} {path}: {reason}"));
            }
        }
        for (known_mode, known_path) in &known {
            if known_mode == mode && !failures.contains_key(known_path) {
                problems.push(format!("unexpected pass (remove it from {KNOWN_FAILURES}): {mode} {known_path}"));
            }
        }
    }
    problems.extend(summary_difference(&summary));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
