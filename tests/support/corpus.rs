//! Where tests find the shared corpus of real Go programs, read from disk at
//! test time and never copied into the repository. Included by path
//! (`#[path = ...] mod corpus;`) by every test that reads it, so that the
//! place and the rule are written once.

use std::path::{Path, PathBuf};

/// Names another corpus folder (one with an `INDEX.tsv`).
const OVERRIDE: &str = "G2N_CORPUS";

/// The corpus folder: `$G2N_CORPUS`, or else `../shared/corpus` relative to
/// the repository root. A test that needs the corpus must not pass without
/// it, so a folder without `INDEX.tsv` fails the calling test, saying where
/// the corpus was looked for.
pub fn corpus_dir() -> PathBuf {
    // Every crate is `crates/NAME`, two levels under the repository root.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let (dir, from) = match std::env::var_os(OVERRIDE) {
        Some(dir) => (PathBuf::from(dir), format!("${OVERRIDE}")),
        None => (root.join("../shared/corpus"), format!("../shared/corpus relative to the repository root {}", root.display())),
    };
    assert!(
        dir.join("INDEX.tsv").is_file(),
        "no conformance corpus at {} (from {from}): {} is missing. The corpus is required; \
         point ${OVERRIDE} at a folder holding it to use another place.",
        dir.display(),
        dir.join("INDEX.tsv").display(),
    );
    dir
}
