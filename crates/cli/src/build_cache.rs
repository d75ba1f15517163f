//! g2n's build cache on disk: compiled function bodies
//! (`g2n_codegen::FunctionCache`, keyed by a hash of each function's IR and
//! the target's flags), so that the code of a library package compiled from
//! Go's source is compiled once per machine, not on every build. What goes
//! in: library functions, the interface-call wrappers of library methods
//! and the adapters of library functions used as values (never a program's
//! own functions). What does not: checked packages (each build checks the
//! library it loads; docs/stdlib.md, "What it costs"). Parsed library files
//! are kept beside the functions (parse_cache.rs).
//!
//! Where: `$G2N_CACHE`, else `$XDG_CACHE_HOME/g2n/build`, else
//! `~/.cache/g2n/build` (`G2N_CACHE=off` turns the cache off; g2n's cache
//! directory also holds a host's `artifacts`, which are not the build
//! cache's). Under it, one directory per g2n build (its version and the
//! size and time of its executable): a g2n built from other sources never
//! reads another's entries. `g2n clean -cache` removes the whole build
//! cache.
//!
//! An entry is one file, `fn/XX/KEY`: a magic string, the SHA-256 of the
//! payload, then the payload (Cranelift's serialised compiled function).
//! Library functions are also kept under a key known before lowering them
//! (g2n-codegen's `lower/prekey.rs`: the library's source text, the target,
//! the whole-program options lowering reads), all of one key in one pack
//! file, `pack/KEY`, framed like an entry and read once per build: a warm
//! build does not lower most library functions. Both are written to a
//! temporary file and renamed into place, so concurrent builds see whole
//! files or none (of two builds adding to one pack, the last one's stays);
//! a file that is truncated, corrupt or unreadable is treated as missing,
//! compiled again and replaced. A cache that cannot be written costs only
//! its speed. `G2N_CACHE_VERIFY=1` lowers and compiles the functions a pack
//! has anyway and fails the build where an entry differs.

use g2n_manifest::lower_hex as hex;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The environment variable naming the cache directory (`off`: no cache).
pub const CACHE_ENV: &str = "G2N_CACHE";

/// The first bytes of every entry, with the format's version.
const MAGIC: &[u8; 8] = b"g2nfn\x00\x00\x01";

/// The cache's root directory, or `None` when it is off or no directory
/// can be named.
pub fn root() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = non_empty(CACHE_ENV) {
        return (dir != "off").then(|| PathBuf::from(dir));
    }
    if let Some(dir) = non_empty("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("g2n").join("build"));
    }
    non_empty("HOME").map(|home| PathBuf::from(home).join(".cache").join("g2n").join("build"))
}

/// Set to 1: lower and compile again every library function the cache
/// has a pre-lowering entry for, and fail the build where the entry differs
/// (a stale entry would be a silently wrong program).
pub const VERIFY_ENV: &str = "G2N_CACHE_VERIFY";

/// Set to 0: lower every library function, taking from the build cache
/// only by the key of its lowered IR (no packs); for telling a fault of
/// the packs from one of lowering. On otherwise: a function taken from a
/// pack declares its symbols as its lowering would, so a warm build's
/// object is the same as a cold one's (tests/cli.rs
/// `builds_are_reproducible`, tests/build_cache.rs).
pub const PREKEY_ENV: &str = "G2N_CACHE_PREKEY";

/// The function cache of this g2n build, or `None` when the cache is off.
pub fn function_cache() -> Option<g2n_codegen::FunctionCache> {
    let dir = toolchain_dir()?;
    let cache = g2n_codegen::FunctionCache::new(DiskStore { dir: dir.join("fn") });
    let on = |name: &str| std::env::var_os(name).is_some_and(|v| v == "1");
    if std::env::var_os(PREKEY_ENV).is_some_and(|v| v == "0") {
        return Some(cache);
    }
    Some(cache.with_packs(PackDir { dir: dir.join("pack") }, on(VERIFY_ENV)))
}

/// The directory of this g2n build's entries, or `None` when the cache is
/// off.
pub fn toolchain_dir() -> Option<PathBuf> {
    Some(root()?.join(toolchain_id()))
}

/// Names this g2n build: its version, and the size and modification time of
/// its executable (a rebuilt g2n has another; hashing the executable itself
/// would cost more than the cache saves on a small program).
fn toolchain_id() -> String {
    let stamp = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
            format!("{}:{}", m.len(), modified.as_nanos())
        })
        .unwrap_or_default();
    let digest = Sha256::digest(stamp.as_bytes());
    format!("{}-{}", env!("CARGO_PKG_VERSION"), hex(&digest[..8]))
}


/// Entries as files under `dir`.
struct DiskStore {
    dir: PathBuf,
}

impl DiskStore {
    fn path(&self, key: &[u8]) -> PathBuf {
        let name = hex(key);
        self.dir.join(&name[..2.min(name.len())]).join(&name)
    }
}

/// The payload of a cache file's bytes, if they are a whole, intact file
/// that starts with `magic` (entries and packs here, parse_cache.rs's packs
/// of parsed files).
pub(crate) fn unframed<'a>(magic: &[u8; 8], file: &'a [u8]) -> Option<&'a [u8]> {
    let rest = file.strip_prefix(magic.as_slice())?;
    let (digest, payload) = rest.split_at_checked(32)?;
    (Sha256::digest(payload).as_slice() == digest).then_some(payload)
}

/// The payload of the cache file at `path` ([`unframed`]), without copying
/// it out of the bytes read.
pub(crate) fn read_framed(path: &Path, magic: &[u8; 8]) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    let len = unframed(magic, &bytes)?.len();
    bytes.drain(..bytes.len() - len);
    Some(bytes)
}

/// A cache file's bytes for `payload`: `magic`, the SHA-256 of the
/// payload, then the payload.
pub(crate) fn framed(magic: &[u8; 8], payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(magic.len() + 32 + payload.len());
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&Sha256::digest(payload));
    bytes.extend_from_slice(payload);
    bytes
}

/// Writes `bytes` as `dir/name`, whole: to a temporary file of this
/// process, then renamed into place, so concurrent builds see whole files
/// or none (of two builds writing one name, the last one's stays). The
/// cache's callers ignore a failure: a file that cannot be written costs
/// only the next build's work.
pub(crate) fn write_whole(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(".{name}.{}", std::process::id()));
    let written = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, dir.join(name)));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

impl g2n_codegen::CacheKvStore for DiskStore {
    fn get(&self, key: &[u8]) -> Option<Cow<'_, [u8]>> {
        read_framed(&self.path(key), MAGIC).map(Cow::Owned)
    }

    fn insert(&mut self, key: &[u8], val: Vec<u8>) {
        let path = self.path(key);
        if let Some(dir) = path.parent() {
            let _ = write_whole(dir, &hex(key), &framed(MAGIC, &val));
        }
    }
}

/// Packs of pre-lowering entries as files `pack/NAME`, each written whole
/// (temporary file, then rename) with the magic and checksum of an entry:
/// one read per build instead of one per function.
struct PackDir {
    dir: PathBuf,
}

impl g2n_codegen::PackStore for PackDir {
    fn read(&self, name: &str) -> Option<Vec<u8>> {
        read_framed(&self.dir.join(name), MAGIC)
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        let _ = write_whole(&self.dir, name, &framed(MAGIC, bytes));
    }
}

/// `g2n clean -cache`: removes the whole cache; 0, or 1 when it cannot.
pub fn clean() -> i32 {
    let Some(root) = root() else {
        eprintln!("g2n: the build cache is off ({CACHE_ENV}=off) or has no directory (no HOME)");
        return 1;
    };
    match remove(&root) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: cannot remove the build cache {}: {e}", root.display());
            1
        }
    }
}

fn remove(root: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_only_whole_and_intact() {
        let bytes = framed(MAGIC, b"compiled code");
        assert_eq!(unframed(MAGIC, &bytes), Some(b"compiled code".as_slice()));
        for cut in 0..bytes.len() {
            assert_eq!(unframed(MAGIC, &bytes[..cut]), None, "truncated to {cut} bytes");
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(unframed(MAGIC, &flipped), None);
        let mut other_format = bytes;
        other_format[7] = 2;
        assert_eq!(unframed(MAGIC, &other_format), None);
    }
}
