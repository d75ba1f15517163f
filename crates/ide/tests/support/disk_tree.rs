//! Go's source tree on disk for the editor's tests, loaded as `g2n lsp`
//! loads it: every program imports `fmt`, whose `errors` and `io` are
//! compiled from Go's source. Included with `#[path]` by the unit tests
//! (src/tests.rs) and tests/error_corpus.rs.

use g2n_packages::SourceTree;
use std::path::PathBuf;

/// Go's source tree on disk (GOROOT, else Debian's golang-1.19-src), read
/// as `g2n lsp` reads it: programs that import a package compiled from
/// source (strconv) are checked against it, as by `g2n check`.
pub struct DiskTree {
    src: PathBuf,
}

impl SourceTree for DiskTree {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(self.src.join(path)).ok()?;
        Some(entries.filter_map(|e| e.ok()).filter(|e| e.path().is_file()).filter_map(|e| e.file_name().into_string().ok()).collect())
    }

    fn read(&self, path: &str, name: &str) -> Option<String> {
        std::fs::read_to_string(self.src.join(path).join(name)).ok()
    }

    fn display(&self, path: &str, name: &str) -> String {
        self.src.join(path).join(name).display().to_string()
    }
}

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
