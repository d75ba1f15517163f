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
//! In a driver's build the packs a load makes are written after its check,
//! with the function bodies the check reached (`keep_reached_bodies`), so
//! that the next build decodes those instead of parsing them. g2n's
//! hand-written packages are kept here too (`parse-stdlib/`,
//! `HandWrittenStore`).

use crate::disk_tree::DiskTree;
use g2n_packages::SourceTree;
use crate::build_cache::{framed, read_framed, write_whole};
use g2n_packages::KeptPack;
use std::collections::BTreeMap;
use std::path::PathBuf;
use sha2::Digest;
use std::sync::Mutex;

/// The first bytes of every pack file, with the format's version.
const MAGIC: &[u8; 8] = b"g2nprs02";

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
        read_framed(&self.pack_path(path)?, MAGIC)
    }

    /// A pack that cannot be written costs only the next build's parse.
    /// During a driver's build ([`before_load`]) it waits for the check:
    /// [`keep_reached_bodies`] writes it once, with the bodies reached.
    fn keep_parsed(&self, path: &str, pack: &[u8]) {
        if let Some(pending) = PENDING.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            pending.insert(path.to_string(), pack.to_vec());
            return;
        }
        self.write_pack(path, pack);
    }
}

impl CachedTree {
    fn write_pack(&self, path: &str, pack: &[u8]) {
        let Some(file) = self.pack_path(path) else { return };
        let (Some(dir), Some(name)) = (file.parent(), file.file_name().and_then(|n| n.to_str())) else { return };
        let _ = write_whole(dir, name, &framed(MAGIC, pack));
    }
}

/// The packs of the last load (the driver's), until its check is done.
static LOADED: Mutex<Vec<KeptPack>> = Mutex::new(Vec::new());

/// The packs a driver's load made, by package path, until
/// [`keep_reached_bodies`] writes them (`None`: packs are written as a
/// load makes them, an editor's loads).
static PENDING: Mutex<Option<BTreeMap<String, Vec<u8>>>> = Mutex::new(None);

/// Before a driver's load: the hand-written packages are kept parsed, and
/// the packs the load makes wait for [`keep_reached_bodies`], so that a
/// cold build writes each pack once, with the bodies its check reached.
pub fn before_load() {
    keep_hand_written_parsed();
    PENDING.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(BTreeMap::new);
}

/// Remembers the packs a load read or made ([`g2n_packages::Loaded::kept_packs`]),
/// for [`keep_reached_bodies`] after the check.
pub fn remember(packs: Vec<KeptPack>) {
    *LOADED.lock().unwrap_or_else(|e| e.into_inner()) = packs;
}

/// What [`keep_reached_bodies`] found and did.
pub struct Reached {
    /// Library bodies the check reached: decoded from a pack, parsed from
    /// their text.
    pub decoded: usize,
    pub parsed: usize,
    /// Packs written again with the bodies parsed.
    pub written: usize,
}

/// Writes the packs the last load made, and again those it read whose
/// check parsed function bodies they keep as text, so that the next build
/// decodes those bodies instead of parsing them (the first build of a
/// program, or one that reaches more of the library). A warm build writes
/// none. Packs made from now on are written as they are made.
pub fn keep_reached_bodies() -> Reached {
    let packs = std::mem::take(&mut *LOADED.lock().unwrap_or_else(|e| e.into_inner()));
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
    let (decoded, parsed) = packs.iter().map(KeptPack::reached).fold((0, 0), |(d, p), (pack_d, pack_p)| (d + pack_d, p + pack_p));
    let store = CachedTree { tree: DiskTree { src: PathBuf::new() }, dir: crate::build_cache::toolchain_dir().map(|d| d.join("parse")) };
    let written = packs
        .iter()
        .filter(|pack| {
            pack.keep_reached(|path, bytes| {
                pending.remove(path);
                store.write_pack(path, bytes);
            })
        })
        .count();
    for (path, pack) in pending {
        store.write_pack(&path, &pack);
    }
    Reached { decoded, parsed, written }
}

/// The first bytes of a hand-written package's kept parse.
const HAND_WRITTEN_MAGIC: &[u8; 8] = b"g2nhand1";

/// g2n's hand-written packages (`stdlib/`, embedded in g2n) kept parsed
/// in the build cache: `parse-stdlib/DIGEST`, DIGEST being the SHA-256 of
/// the package's files' texts (each after its length), framed as a GOROOT
/// pack is. The texts are this g2n build's, so a package is parsed by the
/// first build of a g2n that reaches it and read back by the others.
struct HandWrittenStore {
    dir: PathBuf,
}

impl HandWrittenStore {
    fn name(texts: &[&str]) -> String {
        let mut digest = sha2::Sha256::new();
        for text in texts {
            digest.update((text.len() as u64).to_le_bytes());
            digest.update(text.as_bytes());
        }
        g2n_manifest::lower_hex(&digest.finalize())
    }
}

impl g2n_sema::ParseStore for HandWrittenStore {
    fn kept(&self, texts: &[&str]) -> Option<Vec<u8>> {
        read_framed(&self.dir.join(Self::name(texts)), HAND_WRITTEN_MAGIC)
    }

    fn keep(&self, texts: &[&str], bytes: &[u8]) {
        let _ = write_whole(&self.dir, &Self::name(texts), &framed(HAND_WRITTEN_MAGIC, bytes));
    }
}

/// Keeps the hand-written packages parsed in the build cache from now on
/// (nothing when the cache is off).
fn keep_hand_written_parsed() {
    if let Some(dir) = crate::build_cache::toolchain_dir() {
        g2n_sema::keep_hand_written_parsed(Box::new(HandWrittenStore { dir: dir.join("parse-stdlib") }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build_cache::unframed;

    #[test]
    fn a_pack_file_reads_back_only_with_its_own_magic() {
        let bytes = framed(MAGIC, b"parsed files");
        assert_eq!(unframed(MAGIC, &bytes), Some(b"parsed files".as_slice()));
        // A function entry's file is not a pack of parsed files.
        assert_eq!(unframed(b"g2nfn\x00\x00\x01", &bytes), None);
    }
}
