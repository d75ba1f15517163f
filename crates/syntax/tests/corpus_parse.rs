//! Parses every `main.go` of the shared conformance corpus: every one is
//! valid Go (Go 1.19 ran it), so a syntax error fails the test, as do a
//! parser panic and a missing corpus. The conformance test checks the same
//! programs through the whole compiler; this is the fast signal for the
//! parser alone.

use std::path::{Path, PathBuf};

use g2n_base::{FileId, SourceDb};
use g2n_syntax::parse_file;

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.file_name().is_some_and(|n| n == "main.go") {
            out.push(p);
        }
    }
}

#[test]
#[allow(clippy::print_stdout)]
fn corpus_parses() {
    let root = corpus::corpus_dir();
    let mut files = Vec::new();
    collect(&root, &mut files);
    assert!(!files.is_empty(), "no main.go under {}", root.display());
    let (mut failed, mut panicked) = (Vec::new(), Vec::new());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        match std::panic::catch_unwind(|| parse_file(FileId(0), &text)) {
            Ok((_, errors)) => {
                if let Some(e) = errors.first() {
                    let mut db = SourceDb::new();
                    let f = db.add(path.display().to_string(), text.clone());
                    let (line, col) = db.line_col(f, e.span().start);
                    failed.push(format!("{}:{line}:{col}: {e}", path.display()));
                }
            }
            Err(_) => panicked.push(path.display().to_string()),
        }
    }
    println!("{} passed, {} failed, {} panicked", files.len() - failed.len() - panicked.len(), failed.len(), panicked.len());
    assert!(panicked.is_empty(), "parser panicked on: {panicked:?}");
    assert!(failed.is_empty(), "every corpus program is valid Go, but these do not parse:\n{}", failed.join("\n"));
}
