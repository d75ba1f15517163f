//! Parses every `main.go` of the shared conformance corpus, if present, and
//! reports the pass rate. It fails only if the parser panics: the corpus is the
//! target to reach, not yet a gate.

use std::path::{Path, PathBuf};

use g2n_base::{FileId, SourceDb};
use g2n_syntax::parse_file;

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
    let root = std::env::var_os("G2N_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if !root.is_dir() {
        println!("corpus not found at {}; skipping", root.display());
        return;
    }
    let mut files = Vec::new();
    collect(&root, &mut files);
    let (mut passed, mut failed, mut panicked) = (0, 0, Vec::new());
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let result = std::panic::catch_unwind(|| parse_file(FileId(0), &text));
        match result {
            Ok((_, errors)) if errors.is_empty() => passed += 1,
            Ok((_, errors)) => {
                failed += 1;
                let mut db = SourceDb::new();
                let f = db.add(path.display().to_string(), text.clone());
                if let Some(e) = errors.first() {
                    let (line, col) = db.line_col(f, e.span().start);
                    println!("FAIL {}:{line}:{col}: {e}", path.display());
                }
            }
            Err(_) => panicked.push(path.display().to_string()),
        }
    }
    println!("{passed} passed, {failed} failed");
    assert!(panicked.is_empty(), "parser panicked on: {panicked:?}");
}
