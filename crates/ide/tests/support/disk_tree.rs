//! Go's source tree on disk for the editor's tests, loaded as `g2n lsp`
//! loads it: every program imports `fmt`, whose `errors` and `io` are
//! compiled from Go's source. Included with `#[path]` by the unit tests
//! (src/tests.rs) and tests/error_corpus.rs.

// The command's own disk tree (crates/cli/src/disk_tree.rs), one copy.
#[path = "../../../cli/src/disk_tree.rs"]
mod disk;

use disk::DiskTree;
use std::path::PathBuf;

/// GOROOT, else Debian's golang-1.19-src.
pub fn goroot() -> PathBuf {
    std::env::var_os("GOROOT").filter(|v| !v.is_empty()).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(g2n_packages::DEBIAN_GOROOT))
}

/// The library step of `Analysis::with_library` over GOROOT (the includer
/// has `install_library` in scope).
pub fn goroot_library(program: &[&g2n_syntax::ast::File], db: &mut g2n_base::SourceDb) -> Option<g2n_packages::Loaded> {
    let tree = DiskTree { src: goroot().join("src") };
    Some(super::install_library(Ok(&tree), goroot().display().to_string(), program, db))
}
