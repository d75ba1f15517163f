//! A library file's parse as bytes, for the build cache: what
//! [`crate::parse_library_file`] gives for a file without errors, so that a
//! build reads it back instead of lexing and parsing the file again.
//!
//! The bytes are the [`File`] in postcard's encoding, without what a later
//! build must give it afresh: spans are stored without their [`FileId`]
//! (they come back with the file's id of the decoding build), and a
//! function whose body is deferred keeps only its body's span (the
//! [`DeferredBody`](crate::deferred::DeferredBody) is made again over the
//! file's text, which the decoding build has read). Nothing here checks
//! that the bytes are intact or belong to the text: the store around them
//! does (the command line's `parse_cache.rs`); bytes that do not decode
//! give `None`, and the caller parses.

use std::cell::Cell;
use std::sync::Arc;

use g2n_base::FileId;
use serde::{Deserialize, Serialize};

use crate::ast::{Decl, File, Ident, ImportSpec};

thread_local! {
    /// The file whose spans [`decode_library_file`] is reading on this
    /// thread: serde's derives give a field no context of their own.
    static DECODING: Cell<FileId> = const { Cell::new(FileId(0)) };
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

/// The bytes of `file`, as [`crate::parse_library_file`] parsed it (with no
/// errors: a file with errors is parsed on every build, so that they are
/// reported).
pub fn encode_library_file(file: &File) -> Vec<u8> {
    let deferred = file
        .decls
        .iter()
        .filter_map(|decl| match decl {
            Decl::Func(func) => func.deferred.as_ref().map(|body| (body.span().start, body.span().end)),
            Decl::Gen(_) => None,
        })
        .collect();
    // Serialising a tree into a vector fails only for types postcard
    // cannot encode, which the AST has none of.
    postcard::to_stdvec(&Encoding { file, deferred }).unwrap_or_default()
}

/// The file `bytes` encode ([`encode_library_file`]), as file `id` of this
/// build with the text `text`; `None` if they do not decode to a file whose
/// deferred bodies are its functions'.
pub fn decode_library_file(bytes: &[u8], id: FileId, text: &Arc<str>) -> Option<File> {
    let previous = DECODING.with(|file| file.replace(id));
    let decoded = postcard::from_bytes::<Decoding>(bytes);
    DECODING.with(|file| file.set(previous));
    let Decoding { mut file, deferred } = decoded.ok()?;
    let fits = deferred.iter().all(|&(start, end)| start <= end && end as usize <= text.len());
    (fits && crate::deferred::attach(&mut file, &deferred, id, text)).then_some(file)
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

    #[test]
    fn a_library_file_decodes_to_its_parse_with_the_new_file_id() {
        let text: Arc<str> = Arc::from(SOURCE);
        let (parsed, errors) = crate::parse_library_file(FileId(3), &text);
        assert!(errors.is_empty(), "{errors:?}");
        let bytes = encode_library_file(&parsed);
        let (expected, _) = crate::parse_library_file(FileId(7), &text);
        let decoded = decode_library_file(&bytes, FileId(7), &text).expect("decodes");
        assert_eq!(decoded, expected);
        assert_eq!(crate::dump_ast(&decoded), crate::dump_ast(&expected));
        // The deferred bodies are back, and parse as the fresh ones do.
        let bodies = |file: &File| -> Vec<String> {
            file.decls
                .iter()
                .filter_map(|d| match d {
                    Decl::Func(f) => f.deferred.as_ref().map(|b| format!("{:?}", b.block())),
                    Decl::Gen(_) => None,
                })
                .collect()
        };
        assert_eq!(bodies(&decoded).len(), 3);
        assert_eq!(bodies(&decoded), bodies(&expected));
    }

    #[test]
    fn a_header_is_the_package_clause_and_imports_of_the_whole_decoding() {
        let text: Arc<str> = Arc::from(SOURCE);
        let (parsed, _) = crate::parse_library_file(FileId(3), &text);
        let bytes = encode_library_file(&parsed);
        let (package, imports) = decode_library_header(&bytes, FileId(7)).expect("decodes");
        let whole = decode_library_file(&bytes, FileId(7), &text).expect("decodes");
        assert_eq!((package, imports), (whole.package, whole.imports));
        assert!(decode_library_header(&bytes[..8], FileId(7)).is_none());
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
        let bytes = encode_library_file(&parsed);
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode_library_file(&bytes[..cut], FileId(0), &text).is_none(), "cut at {cut}");
        }
        // Deferred bodies past the end of the text are not the text's.
        let short: Arc<str> = Arc::from(&SOURCE[..SOURCE.len() / 2]);
        assert!(decode_library_file(&bytes, FileId(0), &short).is_none());
    }
}
