//! The hand-written packages' parses kept between builds: `stdlib/`'s files
//! are embedded in g2n, and parsing those a program imports was a warm
//! build's last use of the parser on library code (about 13 ms for
//! fannkuch-redux's fmt, runtime, reflect, sync and the rest). A store the
//! command line installs ([`keep_hand_written_parsed`], its build cache)
//! keeps each package's files as [`g2n_syntax::cached`] encodings under
//! the files' texts, so that a build whose g2n embeds the same texts reads
//! them back. A file with syntax errors is never kept: it is parsed, and
//! they are found, on every build. Bytes that do not decode are parsed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use g2n_base::FileId;
use g2n_syntax::ast::File;
use g2n_syntax::cached::{Shared, decode_library_file, encode_library_file, push_entry};

/// Where the parses are kept: under a key made of the texts parsed (a
/// package's files, in order), so that other texts never read them.
pub trait ParseStore: Send + Sync {
    /// The bytes [`ParseStore::keep`] kept for `texts`, as they were kept
    /// (the store checks they are whole), or `None`.
    fn kept(&self, texts: &[&str]) -> Option<Vec<u8>>;
    fn keep(&self, texts: &[&str], bytes: &[u8]);
}

static STORE: OnceLock<Box<dyn ParseStore>> = OnceLock::new();

/// Hand-written packages read back parsed and parsed, in this process.
static READ: AtomicUsize = AtomicUsize::new(0);
static PARSED: AtomicUsize = AtomicUsize::new(0);

/// How many hand-written packages this process read back parsed, and how
/// many it parsed (`g2n build --timings`).
pub fn hand_written_parses() -> (usize, usize) {
    (READ.load(Ordering::Relaxed), PARSED.load(Ordering::Relaxed))
}

/// Makes the hand-written packages parsed after this call read from and
/// kept in `store` (the first store given stays).
pub fn keep_hand_written_parsed(store: Box<dyn ParseStore>) {
    let _ = STORE.set(store);
}

/// The files `files` (`(id, text)`) as kept parsed, `None` if they are not.
pub(crate) fn read(files: &[(FileId, &str)]) -> Option<Vec<File>> {
    let texts: Vec<&str> = files.iter().map(|(_, text)| *text).collect();
    let bytes = Shared::new(STORE.get()?.kept(&texts)?);
    let mut parsed = Vec::with_capacity(files.len());
    let mut at = 0;
    for &(id, text) in files {
        let (entry, next) = bytes.entry_at(at)?;
        let (file, _) = decode_library_file(&entry, id, &Arc::from(text))?;
        parsed.push(file);
        at = next;
    }
    (at == bytes.bytes().len()).then(|| {
        READ.fetch_add(1, Ordering::Relaxed);
        parsed
    })
}

/// Keeps `parsed`, the parse of `files`, if it has no errors.
pub(crate) fn keep(files: &[(FileId, &str)], parsed: &[File], has_errors: bool) {
    PARSED.fetch_add(1, Ordering::Relaxed);
    let Some(store) = STORE.get().filter(|_| !has_errors) else { return };
    let mut bytes = Vec::new();
    for file in parsed {
        if !push_entry(&mut bytes, &encode_library_file(file).encode()) {
            return;
        }
    }
    let texts: Vec<&str> = files.iter().map(|(_, text)| *text).collect();
    store.keep(&texts, &bytes);
}
