//! The error corpus: small Go programs that the real Go toolchain rejects,
//! under `tests/errors/CATEGORY/NAME.go`. Each carries one annotation in the
//! style of Go's own test suite, `// ERROR "regexp"`, on the line of the first
//! error Go 1.19 reports, with Go's message as the regexp. The annotations are
//! derived from Go by `tests/errors/regenerate.sh`, never written by hand.
//!
//! For every case, `g2n check ./NAME.go`, run in the case's directory as
//! regenerate.sh runs Go, must exit with code 1 without panicking
//! and report a diagnostic on the annotated line (read from the
//! `╭─[file:LINE:COL]` header of the miette report) whose message matches the
//! regexp. A case fails as one of:
//! - `panic`: g2n panicked (always a bug);
//! - `exit N`: g2n exited with a code other than 0 or 1;
//! - `no error`: g2n accepted the program;
//! - `wrong line`: g2n rejected it, but with no diagnostic on the line;
//! - `wrong message`: a diagnostic on the line, but no message matches (g2n's
//!   wording may legitimately differ from Go's; counted apart for that reason).
//!
//! Failures are data: `tests/errors/known_failures.txt` lists each known
//! failing case with its reason. An unlisted failure fails the test, and so
//! does a listed case that now passes or that now panics, so the list only
//! shrinks. `G2N_BLESS=1` rewrites the list from the current results.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn errors_dir() -> PathBuf {
    repo_root().join("tests/errors")
}

const KNOWN_FAILURES: &str = "tests/errors/known_failures.txt";

/// Writes past the test harness's capture, so CI logs show the summary.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// One program of the corpus with its expectation.
struct Case {
    /// `CATEGORY/NAME.go`.
    name: String,
    path: PathBuf,
    /// 1-based line of the annotation.
    line: u32,
    regexp: regex::Regex,
}

/// Undoes Go's double-quoted string escapes (the ones regenerate.sh writes).
fn unquote_go(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            other => return Err(format!("unsupported escape \\{}", other.map(String::from).unwrap_or_default())),
        }
    }
    Ok(out)
}

/// The single `// ERROR "regexp"` annotation of a program: (line, regexp).
fn annotation(text: &str) -> Result<(u32, String), String> {
    const MARK: &str = " // ERROR \"";
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(at) = line.rfind(MARK) {
            let quoted = &line[at + MARK.len()..];
            let quoted = quoted.strip_suffix('"').ok_or_else(|| format!("line {}: annotation not closed", index + 1))?;
            found.push((index as u32 + 1, unquote_go(quoted)?));
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err("no // ERROR annotation (run tests/errors/regenerate.sh)".into()),
        n => Err(format!("{n} // ERROR annotations; the corpus expects exactly one")),
    }
}

fn collect_cases() -> Vec<Case> {
    let root = errors_dir();
    let mut paths = Vec::new();
    for category in std::fs::read_dir(&root).expect("tests/errors").flatten() {
        if category.path().is_dir() {
            for file in std::fs::read_dir(category.path()).expect("category").flatten() {
                if file.path().extension().is_some_and(|e| e == "go") {
                    paths.push(file.path());
                }
            }
        }
    }
    paths.sort();
    let mut bad = Vec::new();
    let cases: Vec<Case> = paths
        .into_iter()
        .filter_map(|path| {
            let name = path.strip_prefix(&root).expect("inside").to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("read case");
            let parsed = annotation(&text).and_then(|(line, pattern)| {
                regex::Regex::new(&pattern).map(|regexp| (line, regexp)).map_err(|e| format!("bad regexp: {e}"))
            });
            match parsed {
                Ok((line, regexp)) => Some(Case { name, path, line, regexp }),
                Err(e) => {
                    bad.push(format!("{name}: {e}"));
                    None
                }
            }
        })
        .collect();
    assert!(bad.is_empty(), "malformed corpus cases:\n{}", bad.join("\n"));
    cases
}

/// One error diagnostic of g2n's rendered output.
#[derive(Debug)]
struct Reported {
    /// The message, with miette's line wrapping undone.
    message: String,
    /// The same without the spaces wrapping may have added.
    unwrapped: String,
    line: Option<u32>,
}

/// Reads miette's graphical reports: `× message` (continued by `│ ...`
/// lines), then a `╭─[file:LINE:COL]` header when the report has a label.
/// Warnings (`⚠`) are skipped.
fn parse_reports(stderr: &str) -> Vec<Reported> {
    let mut reports: Vec<Reported> = Vec::new();
    let mut in_message = false;
    let mut warning = false;
    for raw in stderr.lines() {
        let line = raw.trim_start();
        if let Some(rest) = line.strip_prefix('×') {
            let text = rest.trim().to_string();
            reports.push(Reported { unwrapped: text.clone(), message: text, line: None });
            in_message = true;
            warning = false;
            continue;
        }
        if line.starts_with('⚠') {
            in_message = false;
            warning = true;
            continue;
        }
        if in_message && let Some(rest) = line.strip_prefix('│') {
            if let Some(report) = reports.last_mut() {
                report.message.push(' ');
                report.message.push_str(rest.trim());
                report.unwrapped.push_str(rest.trim());
            }
            continue;
        }
        in_message = false;
        if let Some(at) = line.find("╭─[") {
            if warning {
                continue;
            }
            let header = line[at + "╭─[".len()..].trim_end_matches(']');
            // file:LINE:COL, where the file may itself contain colons.
            let mut parts = header.rsplitn(3, ':');
            let _column = parts.next();
            let number = parts.next().and_then(|n| n.parse().ok());
            if let Some(report) = reports.last_mut()
                && report.line.is_none()
            {
                report.line = number;
            }
        }
    }
    reports
}

/// Runs `g2n check` on one case; `Err` is the failure kind and detail.
fn judge(case: &Case) -> Result<(), String> {
    // As regenerate.sh runs Go: from the case's directory, so that positions
    // quoted in messages read `./NAME.go:LINE:COL` as Go's do.
    let dir = case.path.parent().expect("case directory");
    let file = Path::new(".").join(case.path.file_name().expect("case file"));
    let output = Command::new(env!("CARGO_BIN_EXE_g2n"))
        .arg("check")
        .arg(&file)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|e| format!("cannot run g2n: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(101) || stderr.contains("panicked at") {
        let at = stderr.lines().find(|l| l.contains("panicked at")).unwrap_or("").trim();
        return Err(format!("panic: {at}"));
    }
    match output.status.code() {
        Some(1) => {}
        Some(0) => return Err("no error".into()),
        other => return Err(format!("exit {other:?}")),
    }
    let reports = parse_reports(&stderr);
    let on_line: Vec<&Reported> = reports.iter().filter(|r| r.line == Some(case.line)).collect();
    if on_line.iter().any(|r| case.regexp.is_match(&r.message) || case.regexp.is_match(&r.unwrapped)) {
        return Ok(());
    }
    if let Some(first) = on_line.first() {
        return Err(format!("wrong message: {:?}", first.message));
    }
    match reports.first() {
        Some(Reported { message, line: Some(line), .. }) => Err(format!("wrong line: line {line}: {message:?}")),
        Some(Reported { message, line: None, .. }) => Err(format!("wrong line: no position: {message:?}")),
        None => Err(format!("wrong line: no diagnostic parsed from {:?}", stderr.lines().next().unwrap_or(""))),
    }
}

/// Judges every case on two threads; failures by case name.
fn run_all(cases: &[Case]) -> BTreeMap<String, String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = cases.get(index) else { break };
                    if let Err(reason) = judge(case) {
                        failures.lock().expect("failures lock").insert(case.name.clone(), reason);
                    }
                }
            });
        }
    });
    failures.into_inner().expect("failures lock")
}

fn kind(reason: &str) -> &str {
    reason.split(':').next().unwrap_or(reason)
}

/// `case` -> reason.
fn read_known() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(repo_root().join(KNOWN_FAILURES)).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let (case, reason) = line.split_once(": ").unwrap_or((line, ""));
            (case.to_string(), reason.to_string())
        })
        .collect()
}

fn write_known(failures: &BTreeMap<String, String>) {
    let mut text = String::from(
        "# Known failures of the error corpus, one per line: `CATEGORY/NAME.go: kind: detail`.\n\
         # Written by `G2N_BLESS=1 cargo test -p g2n --test error_corpus`; an entry that\n\
         # starts passing fails the run until it is removed, so this list only shrinks.\n",
    );
    for (case, reason) in failures {
        text.push_str(&format!("{case}: {}\n", reason.replace('\n', " ")));
    }
    std::fs::write(repo_root().join(KNOWN_FAILURES), text).expect("write known failures");
}

#[test]
fn error_corpus() {
    let cases = collect_cases();
    assert!(cases.len() >= 150, "the error corpus has only {} cases", cases.len());
    let failures = run_all(&cases);
    if std::env::var_os("G2N_BLESS").is_some() {
        write_known(&failures);
    }

    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in failures.values() {
        *by_kind.entry(kind(reason)).or_default() += 1;
    }
    report(&format!("error corpus: {} passed, {} failed", cases.len() - failures.len(), failures.len()));
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    if !kinds.is_empty() {
        report(&format!("error corpus failures by kind: {}", kinds.join(", ")));
    }
    for (case, reason) in &failures {
        report(&format!("  {case}: {reason}"));
    }

    let known = read_known();
    let mut problems = Vec::new();
    for (case, reason) in &failures {
        match known.get(case) {
            None => problems.push(format!("new failure: {case}: {reason}")),
            Some(old) if kind(reason) == "panic" && kind(old) != "panic" => {
                problems.push(format!("now panics: {case}: {reason}"));
            }
            Some(_) => {}
        }
    }
    for case in known.keys() {
        if !failures.contains_key(case) {
            problems.push(format!("unexpected pass (remove it from {KNOWN_FAILURES}): {case}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn annotations_parse_like_gos_test_suite() {
    let (line, regexp) = annotation("package main\n\tx += \"a\" // ERROR \"invalid operation: x \\\\+= \\\"a\\\"\"\n").expect("parses");
    assert_eq!(line, 2);
    assert_eq!(regexp, "invalid operation: x \\+= \"a\"");
    assert!(regex::Regex::new(&regexp).expect("regexp").is_match("invalid operation: x += \"a\""));
    assert!(annotation("package main\n").is_err());
    assert!(annotation("a // ERROR \"x\"\nb // ERROR \"y\"\n").is_err());
}

#[test]
fn reports_are_read_from_miette_output() {
    let stderr = "g2n::sema::type_mismatch\n\n  × cannot use \"one\" (untyped string constant) as int value in\n  │ assignment\n   ╭─[tests/x.go:7:10]\n 6 │     count := 1\n   ╰────\n  ⚠ a warning\n   ╭─[tests/x.go:9:1]\n  × no label here\n";
    let reports = parse_reports(stderr);
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert_eq!(reports[0].message, "cannot use \"one\" (untyped string constant) as int value in assignment");
    assert_eq!(reports[0].line, Some(7));
    assert_eq!(reports[1].line, None);
}
