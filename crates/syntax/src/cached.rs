//! A library file's parse as bytes, for the build cache: what
//! [`crate::parse_library_file`] gives for a file without errors, so that a
//! build reads it back instead of lexing and parsing the file again.
//!
//! An entry is the file's head, then its deferred bodies. The head is the
//! [`File`] in postcard's encoding, without what a later build must give it
//! afresh: spans are stored without their [`FileId`] (they come back with
//! the file's id of the decoding build), and a function whose body is
//! deferred keeps only its body's span (the
//! [`DeferredBody`](crate::deferred::DeferredBody) is made again over the
//! file's text, which the decoding build has read). Then, for each deferred
//! body in the file's order, its length (4 bytes, little-endian) and its
//! [`Block`] in postcard's encoding, or a length 0: a body no build has
//! parsed yet (or one with syntax errors, reported on every build) is kept
//! as text. A build parses a body only when it reaches it, so an entry
//! gains the bodies builds reach ([`KeptFile::gained`]): a warm build
//! decodes the bodies it reaches, each on its own when first asked for,
//! and lexes and parses none. Nothing here checks that the bytes are intact
//! or belong to the text: the store around them does (the command line's
//! `parse_cache.rs`); bytes that do not decode give `None`, and the caller
//! parses.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::Arc;

use g2n_base::FileId;
use serde::{Deserialize, Serialize};

use crate::ast::{Block, Decl, File, Ident, ImportSpec};
use crate::deferred::DeferredBody;

thread_local! {
    /// The file whose spans [`decode_library_file`] is reading on this
    /// thread: serde's derives give a field no context of their own.
    static DECODING: Cell<FileId> = const { Cell::new(FileId(0)) };
}

/// `decode` with the spans it reads in file `id`.
fn decoding<T>(id: FileId, decode: impl FnOnce() -> T) -> T {
    let previous = DECODING.with(|file| file.replace(id));
    let decoded = decode();
    DECODING.with(|file| file.set(previous));
    decoded
}

/// The serde form of every span in the tree: `start` and `end` only.
pub(crate) mod span {
    use g2n_base::Span;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(span: &Span, serializer: S) -> Result<S::Ok, S::Error> {
        (span.start, span.end).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        let (start, end) = <(u32, u32)>::deserialize(deserializer)?;
        Ok(Span::new(super::DECODING.with(|file| file.get()), start, end))
    }
}

/// Part of bytes read once and shared by what is decoded from them: the
/// bodies of a pack's files are decoded from the pack when reached, so the
/// pack stays in memory while they may be.
#[derive(Clone)]
pub struct Shared {
    bytes: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl Shared {
    pub fn new(bytes: Vec<u8>) -> Shared {
        let end = bytes.len();
        Shared { bytes: Arc::new(bytes), start: 0, end }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes[self.start..self.end]
    }

    /// The bytes `start..end` of these, `None` past their end.
    pub fn slice(&self, start: usize, end: usize) -> Option<Shared> {
        (start <= end && end <= self.end - self.start).then(|| Shared { bytes: self.bytes.clone(), start: self.start + start, end: self.start + end })
    }

    /// The entry ([`push_entry`]) that starts at `at` of these, and where
    /// the next one starts; `None` past their end.
    pub fn entry_at(&self, at: usize) -> Option<(Shared, usize)> {
        let (len, _) = self.bytes().get(at..)?.split_first_chunk::<4>()?;
        let end = at + 4 + u32::from_le_bytes(*len) as usize;
        Some((self.slice(at + 4, end)?, end))
    }
}

/// Appends `entry` to `out` after its length (4 bytes, little-endian), as
/// [`Shared::entry_at`] reads it; false (and nothing appended) if it is too
/// long for that.
pub fn push_entry(out: &mut Vec<u8>, entry: &[u8]) -> bool {
    let Ok(len) = u32::try_from(entry.len()) else { return false };
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(entry);
    true
}

#[derive(Serialize)]
struct Encoding<'a> {
    file: &'a File,
    /// The deferred bodies, `{` to past `}`, in the file's order.
    deferred: Vec<(u32, u32)>,
}

#[derive(Deserialize)]
struct Decoding {
    file: File,
    deferred: Vec<(u32, u32)>,
}

/// A file's entry in a pack, and what makes it again with the bodies
/// parsed since: its head (unchanged) and its deferred bodies.
pub struct KeptFile {
    head: Shared,
    bodies: Vec<Arc<DeferredBody>>,
}

impl KeptFile {
    /// Whether some body was parsed (without errors) since the entry was
    /// made or read: [`KeptFile::encode`] would keep more than it has.
    pub fn gained(&self) -> bool {
        self.bodies.iter().any(|body| body.newly_parsed())
    }

    /// Of the bodies reached so far: how many were decoded from the entry,
    /// and how many parsed from the text.
    pub fn reached(&self) -> (usize, usize) {
        let reached = self.bodies.iter().filter(|body| body.is_parsed());
        reached.fold((0, 0), |(decoded, parsed), body| if body.was_kept() { (decoded + 1, parsed) } else { (decoded, parsed + 1) })
    }

    /// The entry's bytes: the head, then every deferred body parsed so far
    /// (read from the entry or parsed since) or a length 0.
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = self.head.bytes().to_vec();
        for body in &self.bodies {
            // A body too long for its length is kept as text.
            let kept = body.kept_bytes().unwrap_or(Cow::Borrowed(&[]));
            if !push_entry(&mut bytes, &kept) {
                push_entry(&mut bytes, &[]);
            }
        }
        bytes
    }
}

fn deferred_bodies(file: &File) -> Vec<Arc<DeferredBody>> {
    file.decls
        .iter()
        .filter_map(|decl| match decl {
            Decl::Func(func) => func.deferred.clone(),
            Decl::Gen(_) => None,
        })
        .collect()
}

/// The entry of `file`, as [`crate::parse_library_file`] parsed it (with
/// no errors: a file with errors is parsed on every build, so that they
/// are reported): [`KeptFile::encode`] gives its bytes.
pub fn encode_library_file(file: &File) -> KeptFile {
    let bodies = deferred_bodies(file);
    let deferred = bodies.iter().map(|body| (body.span().start, body.span().end)).collect();
    // Serialising a tree into a vector fails only for types postcard
    // cannot encode, which the AST has none of.
    let head = postcard::to_stdvec(&Encoding { file, deferred }).unwrap_or_default();
    KeptFile { head: Shared::new(head), bodies }
}

/// The file the entry `bytes` encode ([`KeptFile::encode`]), as file `id`
/// of this build with the text `text`, and the entry to keep for it; `None`
/// if they do not decode to a file whose deferred bodies are its functions'.
pub fn decode_library_file(bytes: &Shared, id: FileId, text: &Arc<str>) -> Option<(File, KeptFile)> {
    let (Decoding { mut file, deferred }, rest) = decoding(id, || postcard::take_from_bytes::<Decoding>(bytes.bytes())).ok()?;
    let head_len = bytes.bytes().len() - rest.len();
    let fits = deferred.iter().all(|&(start, end)| start <= end && end as usize <= text.len());
    let mut kept = Vec::with_capacity(deferred.len());
    let mut at = head_len;
    for _ in &deferred {
        let (body, next) = bytes.entry_at(at)?;
        kept.push((!body.bytes().is_empty()).then_some(body));
        at = next;
    }
    if !fits || at != bytes.bytes().len() || !crate::deferred::attach(&mut file, &deferred, kept, id, text) {
        return None;
    }
    let bodies = deferred_bodies(&file);
    Some((file, KeptFile { head: bytes.slice(0, head_len)?, bodies }))
}

/// A deferred body's parse, as a pack keeps it.
pub(crate) fn encode_body(block: &Block) -> Vec<u8> {
    postcard::to_stdvec(block).unwrap_or_default()
}

/// The body [`encode_body`] encoded, its spans in file `id`.
pub(crate) fn decode_body(bytes: &[u8], id: FileId) -> Option<Block> {
    decoding(id, || postcard::from_bytes::<Block>(bytes)).ok()
}

/// What a file's encoding begins with: its package clause and imports
/// (the fields [`File`] has first), which a loader needs to go on to the
/// packages it imports before the rest is decoded.
#[derive(Deserialize)]
struct Header {
    package: Ident,
    imports: Vec<ImportSpec>,
}

/// The package clause and imports of the file `bytes` encode
/// ([`encode_library_file`]), as file `id` of this build, decoding nothing
/// after them; `None` if they do not decode. That the rest decodes is
/// [`decode_library_file`]'s to say.
pub fn decode_library_header(bytes: &[u8], id: FileId) -> Option<(Ident, Vec<ImportSpec>)> {
    let previous = DECODING.with(|file| file.replace(id));
    let decoded = postcard::take_from_bytes::<Header>(bytes);
    DECODING.with(|file| file.set(previous));
    let (Header { package, imports }, _) = decoded.ok()?;
    Some((package, imports))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"// Package p has a bit of everything.
package p

import (
	"errors"
	x "strings"
)

//go:linkname nanotime runtime.nanotime
func nanotime() int64

type T[K comparable, V any] struct {
	m    map[K]V `json:"m"`
	next *T[K, V]
	ch   <-chan []func(int, ...string) (bool, error)
	arr  [4]struct{ a, b int }
	error
}

const (
	A = iota * 2
	B
)

var table = []struct{ s string; r rune }{{"a\xff", 'a'}, {s: `raw`, r: '\n'}}

var f = func(a int) int { return a + 1 }

func (t *T[K, V]) Get(k K) (v V, ok bool) {
	v, ok = t.m[k]
	for i := 0; i < 3; i++ {
		switch {
		case i == 1:
			continue
		default:
		}
	}
	return
}

type N interface{ ~int | string }

func G() interface{ M() } { return nil }

func H(s string) error {
	if x.HasPrefix(s, "a") { return errors.New(s[1:]) }
	goto done
done:
	return nil
}
"#;

    fn bodies(file: &File) -> Vec<&Arc<DeferredBody>> {
        file.decls
            .iter()
            .filter_map(|d| match d {
                Decl::Func(f) => f.deferred.as_ref(),
                Decl::Gen(_) => None,
            })
            .collect()
    }

    #[test]
    fn a_library_file_decodes_to_its_parse_with_the_new_file_id() {
        let text: Arc<str> = Arc::from(SOURCE);
        let (parsed, errors) = crate::parse_library_file(FileId(3), &text);
        assert!(errors.is_empty(), "{errors:?}");
        let kept = encode_library_file(&parsed);
        assert!(!kept.gained());
        let bytes = Shared::new(kept.encode());
        let (expected, _) = crate::parse_library_file(FileId(7), &text);
        let (decoded, _) = decode_library_file(&bytes, FileId(7), &text).expect("decodes");
        assert_eq!(decoded, expected);
        assert_eq!(crate::dump_ast(&decoded), crate::dump_ast(&expected));
        // The deferred bodies are back as text, and parse as the fresh ones do.
        let blocks = |file: &File| -> Vec<String> { bodies(file).iter().map(|b| format!("{:?}", b.block())).collect() };
        assert!(bodies(&decoded).iter().all(|b| !b.was_kept()));
        assert_eq!(blocks(&decoded).len(), 3);
        assert_eq!(blocks(&decoded), blocks(&expected));
    }

    #[test]
    fn a_body_parsed_once_comes_back_parsed_and_the_same() {
        let text: Arc<str> = Arc::from(SOURCE);
        let (parsed, _) = crate::parse_library_file(FileId(3), &text);
        let kept = encode_library_file(&parsed);
        // A build reaches the method `Get` (the first body) only.
        let first = bodies(&parsed)[0].block().clone();
        assert!(kept.gained());
        let bytes = Shared::new(kept.encode());
        let (decoded, again) = decode_library_file(&bytes, FileId(9), &text).expect("decodes");
        assert!(!again.gained());
        let kept: Vec<bool> = bodies(&decoded).iter().map(|b| b.was_kept()).collect();
        assert_eq!(kept, [true, false, false]);
        // The entry read back makes the same bytes until it gains a body.
        assert_eq!(again.encode(), bytes.bytes());
        let (fresh, _) = crate::parse_library_file(FileId(9), &text);
        for (decoded, fresh) in bodies(&decoded).into_iter().zip(bodies(&fresh)) {
            assert_eq!(decoded.block(), fresh.block());
            assert!(decoded.take_errors().is_empty());
        }
        assert_ne!(bodies(&decoded)[0].block().span.file, first.span.file);
        // The bodies reached later are gained.
        assert!(again.gained());
        let third = Shared::new(again.encode());
        let (decoded, _) = decode_library_file(&third, FileId(9), &text).expect("decodes");
        assert!(bodies(&decoded).iter().all(|b| b.was_kept()));
    }

    #[test]
    fn a_body_with_errors_is_kept_as_text() {
        let text: Arc<str> = Arc::from("package p\n\nfunc ok() int { return 1 }\n\nfunc broken() {\n\tx := \n}\n");
        let (parsed, errors) = crate::parse_library_file(FileId(1), &text);
        assert!(errors.is_empty());
        for body in bodies(&parsed) {
            body.block();
        }
        let bytes = Shared::new(encode_library_file(&parsed).encode());
        let (decoded, _) = decode_library_file(&bytes, FileId(1), &text).expect("decodes");
        let kept: Vec<bool> = bodies(&decoded).iter().map(|b| b.was_kept()).collect();
        assert_eq!(kept, [true, false]);
        let fresh: Vec<_> = bodies(&parsed)[1].take_errors();
        assert!(!fresh.is_empty());
        assert_eq!(bodies(&decoded)[1].take_errors(), fresh);
    }

    #[test]
    fn a_header_is_the_package_clause_and_imports_of_the_whole_decoding() {
        let text: Arc<str> = Arc::from(SOURCE);
        let (parsed, _) = crate::parse_library_file(FileId(3), &text);
        let bytes = Shared::new(encode_library_file(&parsed).encode());
        let (package, imports) = decode_library_header(bytes.bytes(), FileId(7)).expect("decodes");
        let (whole, _) = decode_library_file(&bytes, FileId(7), &text).expect("decodes");
        assert_eq!((package, imports), (whole.package, whole.imports));
        assert!(decode_library_header(&bytes.bytes()[..8], FileId(7)).is_none());
    }

    #[test]
    fn an_expression_is_64_bytes_and_a_literal_element_88() {
        // What the boxes of `ExprKind::CompositeLit` and `FuncLit`, and of
        // a keyed element's key, are for: memory a decoded library takes.
        assert!(size_of::<crate::ast::Expr>() <= 64, "{}", size_of::<crate::ast::Expr>());
        assert!(size_of::<crate::ast::KeyedElement>() <= 88, "{}", size_of::<crate::ast::KeyedElement>());
    }

    #[test]
    fn bytes_that_are_not_a_file_decode_to_nothing() {
        let text: Arc<str> = Arc::from(SOURCE);
        let (parsed, _) = crate::parse_library_file(FileId(0), &text);
        let kept = encode_library_file(&parsed);
        bodies(&parsed)[1].block();
        let bytes = kept.encode();
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode_library_file(&Shared::new(bytes[..cut].to_vec()), FileId(0), &text).is_none(), "cut at {cut}");
        }
        // Deferred bodies past the end of the text are not the text's.
        let short: Arc<str> = Arc::from(&SOURCE[..SOURCE.len() / 2]);
        assert!(decode_library_file(&Shared::new(bytes.clone()), FileId(0), &short).is_none());
        // A kept body that does not decode is parsed from the text.
        let mut corrupt = bytes;
        let last = corrupt.len() - 1;
        corrupt[last] = 0xff;
        if let Some((decoded, _)) = decode_library_file(&Shared::new(corrupt), FileId(0), &text) {
            let (fresh, _) = crate::parse_library_file(FileId(0), &text);
            assert_eq!(bodies(&decoded)[1].block(), bodies(&fresh)[1].block());
        }
    }
}
