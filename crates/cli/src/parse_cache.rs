//! Library files kept parsed between builds: the packs of
//! `g2n_packages` (one per library package compiled from Go's source, the
//! encoded parse of each of its files under its text's digest), stored in
//! the build cache (build_cache.rs) beside the compiled functions, so that
//! a warm build reads a package's declarations instead of lexing and
//! parsing its files. Only packages read from GOROOT are kept (goroot.rs):
//! not the program's files, the package under test or the module's.
//!
//! Where: `parse/PATH` under the cache directory of this g2n build
//! (build_cache.rs: a g2n built from other sources never reads another's
//! packs), PATH being the import path with `%` for `/`. Not per GOROOT:
//! entries are found by their text, so a tree with other files for a
//! package (a GOROOT copy in a test) parses those and rewrites the pack,
//! and the cache does not grow with each tree it has seen. A pack file is a magic string, the SHA-256 of the pack, then the
//! pack; it is written to a temporary file and renamed into place, so two
//! builds at once see whole packs or none. A pack that is truncated,
//! corrupt or unreadable is ignored (its files are parsed) and replaced.

use crate::disk_tree::DiskTree;
use g2n_packages::SourceTree;
use crate::build_cache::{framed, unframed, write_whole};
use std::path::PathBuf;

/// The first bytes of every pack file, with the format's version.
const MAGIC: &[u8; 8] = b"g2nparse";

/// GOROOT/src with its parsed packages kept in the build cache (none when
/// the cache is off).
pub struct CachedTree {
    pub tree: DiskTree,
    dir: Option<PathBuf>,
}

impl CachedTree {
    pub fn new(tree: DiskTree) -> CachedTree {
        let dir = crate::build_cache::toolchain_dir().map(|d| d.join("parse"));
        CachedTree { tree, dir }
    }

    fn pack_path(&self, path: &str) -> Option<PathBuf> {
        Some(self.dir.as_ref()?.join(path.replace('/', "%")))
    }
}

impl SourceTree for CachedTree {
    fn list(&self, path: &str) -> Option<Vec<String>> {
        self.tree.list(path)
    }

    fn read(&self, path: &str, name: &str) -> Option<String> {
        self.tree.read(path, name)
    }

    fn display(&self, path: &str, name: &str) -> String {
        self.tree.display(path, name)
    }

    fn kept_parsed(&self, path: &str) -> Option<Vec<u8>> {
        let mut bytes = std::fs::read(self.pack_path(path)?).ok()?;
        let len = unframed(MAGIC, &bytes)?.len();
        bytes.drain(..bytes.len() - len);
        Some(bytes)
    }

    /// A pack that cannot be written costs only the next build's parse.
    fn keep_parsed(&self, path: &str, pack: &[u8]) {
        let Some(file) = self.pack_path(path) else { return };
        let (Some(dir), Some(name)) = (file.parent(), file.file_name().and_then(|n| n.to_str())) else { return };
        let _ = write_whole(dir, name, &framed(MAGIC, pack));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_file_reads_back_only_with_its_own_magic() {
        let bytes = framed(MAGIC, b"parsed files");
        assert_eq!(unframed(MAGIC, &bytes), Some(b"parsed files".as_slice()));
        // A function entry's file is not a pack of parsed files.
        assert_eq!(unframed(b"g2nfn\x00\x00\x01", &bytes), None);
    }
}
