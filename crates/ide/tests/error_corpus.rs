//! The editor's diagnostics are `g2n check`'s: every program of the error
//! corpus (tests/errors, Go's first error per program, derived from Go 1.19)
//! analysed as an editor buffer gets an error on the line Go reports, with a
//! message matching Go's, as tests/error_corpus.rs requires of the command
//! line. Hover and go-to-definition at every token of every program (broken
//! ones included) answer without panicking.

use g2n_ide::{Analysis, Document, LineIndex, Severity, install_library};
use std::path::{Path, PathBuf};

#[path = "support/disk_tree.rs"]
mod disk_tree;
use disk_tree::goroot_library;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/errors");
    let mut out = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("tests/errors").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "go") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The `// ERROR "regexp"` annotation: its 1-based line and the regexp.
fn annotation(text: &str) -> Option<(u32, regex::Regex)> {
    const MARK: &str = " // ERROR \"";
    let (index, line) = text.lines().enumerate().find(|(_, l)| l.contains(MARK))?;
    let quoted = &line[line.find(MARK)? + MARK.len()..line.rfind('"')?];
    let pattern = quoted.replace("\\\"", "\"").replace("\\\\", "\\");
    Some((index as u32 + 1, regex::Regex::new(&pattern).ok()?))
}

/// Listed cases fail in `g2n check` too (tests/errors/known_failures.txt).
fn known_failures() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/errors/known_failures.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|l| l.split(':').next()).map(str::to_string).collect()
}

#[test]
fn every_error_of_the_corpus_is_reported_on_gos_line() {
    let cases = cases();
    assert!(cases.len() > 300, "the error corpus is missing: {} cases", cases.len());
    let known = known_failures();
    let mut failures = Vec::new();
    for path in &cases {
        let name = path.to_string_lossy().rsplit_once("tests/errors/").map(|(_, n)| n.to_string()).unwrap_or_default();
        let text = std::fs::read_to_string(path).expect("case");
        let Some((line, regexp)) = annotation(&text) else { panic!("{name}: no annotation") };
        // Named as regenerate.sh runs Go, so positions quoted in messages
        // read `./NAME.go:LINE:COL` as Go's do.
        let file_name = path.file_name().expect("a file").to_string_lossy();
        let analysis = Analysis::with_library(vec![Document::new(format!("./{file_name}"), text.clone())], &goroot_library);
        let index = LineIndex::new(&text);
        let found = analysis
            .diagnostics()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .any(|d| index.position(d.start).0 + 1 == line && regexp.is_match(&d.message));
        if !found && !known.contains(&name) {
            failures.push(format!("{name}: line {line} /{regexp}/, got {:?}", analysis.diagnostics()));
        }
        // Every token start: hover and definition must answer.
        let bytes = text.as_bytes();
        for offset in 0..bytes.len() {
            if offset == 0 || !bytes[offset - 1].is_ascii_alphanumeric() {
                let _ = analysis.hover(0, offset as u32);
                let _ = analysis.definition(0, offset as u32);
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
