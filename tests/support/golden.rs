//! Golden files for the text dumps in the middle of the pipeline (HIR, mesh
//! plan, CLIF), shared by the crates' golden tests through `#[path]`.
//!
//! A crate's `test_data/` holds the inputs; each input's golden sits next to
//! it with the dump's extension (`loops.go` → `loops.hir`). `G2N_BLESS=1`
//! rewrites every golden from the current output, as everywhere else in the
//! project; otherwise a mismatch, a missing golden or a golden whose input is
//! gone fails the test with a unified diff per file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Whether this run rewrites goldens instead of comparing.
pub fn blessing() -> bool {
    std::env::var_os("G2N_BLESS").is_some()
}

/// Checks (or, when blessing, writes) the golden of every case: `cases` are
/// `(golden path, actual text)`. Every golden with extension `extension` in
/// `dir` must belong to a case. Panics once, with every problem.
pub fn check_goldens(dir: &Path, extension: &str, cases: &[(PathBuf, String)]) {
    let mut problems = Vec::new();
    for (golden, actual) in cases {
        if blessing() {
            std::fs::write(golden, actual).unwrap_or_else(|e| panic!("writing {}: {e}", golden.display()));
            continue;
        }
        match std::fs::read_to_string(golden) {
            Err(e) => problems.push(format!("{}: cannot read ({e}); run with G2N_BLESS=1 to create it", golden.display())),
            Ok(expected) if expected != *actual => {
                let diff = similar::TextDiff::from_lines(expected.as_str(), actual.as_str());
                problems.push(format!(
                    "{} differs (G2N_BLESS=1 rewrites it):\n{}",
                    golden.display(),
                    diff.unified_diff().context_radius(3).header("golden", "actual")
                ));
            }
            Ok(_) => {}
        }
    }
    let expected: BTreeSet<&PathBuf> = cases.iter().map(|(golden, _)| golden).collect();
    for stale in files_with_extension(dir, extension) {
        if !expected.contains(&stale) {
            problems.push(format!("{}: a golden without an input; delete it", stale.display()));
        }
    }
    assert!(problems.is_empty(), "{} golden problem(s):\n\n{}", problems.len(), problems.join("\n"));
}

/// The files of `dir` ending in `.extension`, sorted.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

/// The values of every `// NAME: ...` directive line of a test input, in order.
pub fn directives(text: &str, name: &str) -> Vec<String> {
    let prefix = format!("// {name}:");
    text.lines().filter_map(|line| line.trim().strip_prefix(&prefix)).map(|rest| rest.trim().to_string()).collect()
}
