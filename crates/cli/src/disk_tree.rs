//! A source tree on disk (GOROOT/src) as a `g2n_packages::SourceTree`: the
//! loader reads only through the trait, so that library crates do no IO.
//! The one copy: the command reads GOROOT with it (goroot.rs), and the tests
//! that load library packages in process include this file with `#[path]`
//! (crates/ide/tests/support/disk_tree.rs, tests/support/goroot_tree.rs).

use g2n_packages::SourceTree;
use std::path::{Path, PathBuf};

/// A directory of packages: package PATH's files are in `src/PATH`.
pub struct DiskTree {
    pub src: PathBuf,
}

impl SourceTree for DiskTree {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        file_names(&self.src.join(path))
    }

    fn read(&self, path: &str, name: &str) -> Option<String> {
        std::fs::read_to_string(self.src.join(path).join(name)).ok()
    }

    fn display(&self, path: &str, name: &str) -> String {
        self.src.join(path).join(name).display().to_string()
    }
}

/// The names of the files in `dir` (not its subdirectories, which are
/// other packages); `None` when it cannot be read. An entry's type comes
/// with the directory listing (no `stat` per entry: a load lists 30-odd
/// GOROOT directories of up to 600 entries); only a symbolic link, or a
/// file system that does not say, is looked up to see what it names.
pub fn file_names(dir: &Path) -> Option<Vec<String>> {
    let entries = std::fs::read_dir(dir).ok()?;
    let is_file = |entry: &std::fs::DirEntry| match entry.file_type() {
        Ok(kind) if kind.is_file() => true,
        Ok(kind) if kind.is_dir() => false,
        _ => entry.path().is_file(),
    };
    Some(entries.filter_map(|e| e.ok()).filter(is_file).filter_map(|e| e.file_name().into_string().ok()).collect())
}
