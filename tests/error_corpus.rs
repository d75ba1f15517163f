//! The error corpus: small Go programs that the real Go toolchain rejects,
//! under `tests/errors/CATEGORY/NAME.go`. Each carries one annotation in the
//! style of Go's own test suite, `// ERROR "regexp"`, on the line of the first
//! error Go 1.19 reports, with Go's message as the regexp. The annotations are
//! derived from Go by `tests/errors/regenerate.sh`, never written by hand.
//!
//! Every case is checked in process, as `g2n check ./NAME.go` checks it
//! (parse, then `g2n_split::plan_program`, on a file named `./NAME.go` as
//! regenerate.sh runs Go), on two threads, without a process per case. It
//! must be rejected without a panic, with a diagnostic whose primary label
//! (else its first) is on the annotated line and whose message matches the
//! regexp. A case fails as one of:
//! - `panic`: g2n panicked (always a bug);
//! - `no error`: g2n accepted the program;
//! - `wrong line`: g2n rejected it, but with no diagnostic on the line;
//! - `wrong message`: a diagnostic on the line, but no message matches (g2n's
//!   wording may legitimately differ from Go's; counted apart for that reason).
//!
//! Failures are data: `tests/errors/known_failures.txt` lists each known
//! failing case with its reason. An unlisted failure fails the test, and so
//! does a listed case that now passes or that now panics, so the list only
//! shrinks. `G2N_BLESS=1` rewrites the list from the current results.

use g2n_base::{FileId, SourceDb, Span};
use miette::{Diagnostic, Severity};
use std::collections::BTreeMap;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

#[path = "support/goroot_tree.rs"]
mod goroot_tree;

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

/// One error diagnostic, as `g2n check` would report it.
#[derive(Debug)]
struct Reported {
    /// The message, with positions quoted in it resolved to `file:line:col`.
    message: String,
    /// The line of its primary label (else of its first label), 1-based.
    line: Option<u32>,
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    1 + text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() as u32
}

/// The line a diagnostic points at, as miette's report shows it: its
/// primary label's, else its first label's by position.
fn reported_line(diagnostic: &dyn Diagnostic, text: &str) -> Option<u32> {
    let labels: Vec<miette::LabeledSpan> = diagnostic.labels()?.collect();
    let label = labels.iter().find(|l| l.primary()).or_else(|| labels.iter().min_by_key(|l| l.offset()))?;
    // The file id sits in the high 32 bits of the offset (g2n-base); a case
    // is one file.
    Some(line_of(text, label.offset() & 0xffff_ffff))
}

/// What `g2n check` does with one Go file, in process: parse, then analyse
/// the program (`plan_program`) when it parses. Every diagnostic of the
/// stage that stopped, errors and warnings alike, as the driver counts them;
/// `Err` if g2n panicked.
fn check_in_process(db: &SourceDb, file: FileId, name: &str) -> Result<Vec<Box<dyn Diagnostic + Send + Sync>>, String> {
    let text = db.code(file);
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        let (ast, syntax_errors) = g2n_syntax::parse_file(file, text);
        if !syntax_errors.is_empty() {
            return syntax_errors.into_iter().map(|e| Box::new(e) as Box<dyn Diagnostic + Send + Sync>).collect();
        }
        let (_, errors) = g2n_split::plan_program(name, Span::new(file, 0, 0), &ast);
        errors.into_iter().map(|e| Box::new(e) as Box<dyn Diagnostic + Send + Sync>).collect()
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("panic: {message}")
    })
}

/// Checks one case in process; `Err` is the failure kind and detail.
fn judge(case: &Case) -> Result<(), String> {
    // Named as regenerate.sh runs Go, from the case's directory, so that
    // positions quoted in messages read `./NAME.go:LINE:COL` as Go's do.
    let file_name = case.path.file_name().expect("case file").to_string_lossy().into_owned();
    let text = std::fs::read_to_string(&case.path).map_err(|e| format!("cannot read: {e}"))?;
    let mut db = SourceDb::new();
    let file = db.add(format!("./{file_name}"), text.clone());
    let stem = case.path.file_stem().and_then(|s| s.to_str()).unwrap_or("main");
    let diagnostics = check_in_process(&db, file, stem)?;
    if diagnostics.is_empty() {
        return Err("no error".into());
    }
    let reports: Vec<Reported> = diagnostics
        .iter()
        .filter(|d| d.severity() != Some(Severity::Warning))
        .map(|d| Reported { message: db.resolve_positions(&d.to_string()), line: reported_line(d.as_ref(), &text) })
        .collect();
    let on_line: Vec<&Reported> = reports.iter().filter(|r| r.line == Some(case.line)).collect();
    if on_line.iter().any(|r| case.regexp.is_match(&r.message)) {
        return Ok(());
    }
    if let Some(first) = on_line.first() {
        return Err(format!("wrong message: {:?}", first.message));
    }
    match reports.first() {
        Some(Reported { message, line: Some(line) }) => Err(format!("wrong line: line {line}: {message:?}")),
        Some(Reported { message, line: None }) => Err(format!("wrong line: no position: {message:?}")),
        None => Err("wrong line: only warnings".to_string()),
    }
}

/// Judges every case on two threads; failures by case name.
fn run_all(cases: &[Case]) -> BTreeMap<String, String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            // As much stack as the g2n binary's main thread has by default
            // on Linux and more: a deep recursion must not abort the run.
            std::thread::Builder::new().stack_size(64 << 20).spawn_scoped(scope, || {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = cases.get(index) else { break };
                    if let Err(reason) = judge(case) {
                        failures.lock().expect("failures lock").insert(case.name.clone(), reason);
                    }
                }
            })
            .expect("spawn a judging thread");
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
    // The packages compiled from Go's source that any case imports, loaded
    // once (cases are checked on two threads) as `g2n check` loads them;
    // a case's file is FileId 0, the library's files come after it.
    let parsed: Vec<g2n_syntax::ast::File> = cases
        .iter()
        .filter_map(|case| std::fs::read_to_string(&case.path).ok())
        .map(|text| g2n_syntax::parse_file(FileId(0), &text).0)
        .collect();
    goroot_tree::install_library(&parsed.iter().collect::<Vec<_>>(), 1);
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
