//! Spans, file ids and the source database shared by every stage of g2n.
//!
//! A [`Span`] is a byte range in one source file. Files are named by an opaque
//! [`FileId`]; only the driver knows their paths. Spans convert into miette's
//! `SourceSpan` by packing the file id into the high 32 bits of the offset, so
//! diagnostics of every stage can be plain `#[derive(Diagnostic)]` enums, and one
//! `SourceCode` implementation ([`SourceDb`]) renders labels in any file.
//!
//! Go code embedded in a nanoservice YAML file is analysed as a text of the same
//! length as the YAML, with everything that is not code blanked to spaces (see
//! `g2n-manifest`). Its offsets are therefore YAML offsets, and a diagnostic in
//! embedded code points straight at the YAML line.

pub mod calendar;
pub mod go_text;

use std::fmt;

/// An opaque handle to one file in a [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: u32, end: u32) -> Span {
        Span { file, start, end }
    }

    /// The smallest span that covers both `self` and `other` (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A position quoted inside a message (`label L already defined at
/// ./f.go:4:2`). Stages know spans, not file names: this writes a marker that
/// [`SourceDb::resolve_positions`] turns into `file:line:col` when the
/// driver renders the diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At(pub Span);

const AT_OPEN: &str = "{@";
const AT_CLOSE: char = '}';

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{AT_OPEN}{}:{}{AT_CLOSE}", self.0.file.0, self.0.start)
    }
}

/// Offsets of different files are kept apart by the file id in the high bits.
const FILE_SHIFT: u32 = 32;

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> miette::SourceSpan {
        let base = (span.file.0 as usize) << FILE_SHIFT;
        miette::SourceSpan::new((base + span.start as usize).into(), span.len() as usize)
    }
}

/// One file known to the compiler.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics (a path as the user gave it).
    pub name: String,
    /// The file's absolute path, where the driver knows it (see
    /// [`SourceDb::set_path`]): Go's panic traces name files by it.
    pub path: Option<String>,
    /// The text shown in diagnostics: the file as it is on disk.
    pub display_text: String,
    /// The Go text the front end reads. For a `.go` file it equals
    /// `display_text`; for a YAML nanoservice it is the YAML with every byte
    /// that is not Go code replaced by a space, so offsets coincide.
    pub code: String,
}

impl SourceFile {
    /// The name a Go-style trace gives the file: its absolute path where it
    /// is known, else its name as given.
    pub fn trace_name(&self) -> &str {
        self.path.as_deref().unwrap_or(&self.name)
    }
}

/// The name and text of a library file that is not in the database (g2n's
/// own `stdlib/` files, embedded in the compiler with ids of their own):
/// `g2n_sema::stdlib::source_of_file`, which the driver sets.
pub type LibrarySources = fn(FileId) -> Option<(&'static str, &'static str)>;

/// All source files of one compilation, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceDb {
    files: Vec<SourceFile>,
    library: Option<LibrarySources>,
}

impl SourceDb {
    pub fn new() -> SourceDb {
        SourceDb::default()
    }

    /// Adds a file whose displayed text and analysed code may differ (YAML input).
    pub fn add_embedded(&mut self, name: impl Into<String>, display_text: String, code: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile { name: name.into(), path: None, display_text, code });
        id
    }

    /// Adds a Go source file.
    pub fn add(&mut self, name: impl Into<String>, text: String) -> FileId {
        self.add_embedded(name, text.clone(), text)
    }

    /// Records the absolute path of a file on disk. The driver sets it once
    /// when it loads the files, so code generation, which keeps the database
    /// for its line tables, needs no copy with other names.
    pub fn set_path(&mut self, id: FileId, path: String) {
        if let Some(file) = self.files.get_mut(id.0 as usize) {
            file.path = Some(path);
        }
    }

    /// Lets spans in library files that are not in the database (g2n's
    /// embedded `stdlib/` files) render with their source and name.
    pub fn set_library_sources(&mut self, library: LibrarySources) {
        self.library = Some(library);
    }

    fn library_file(&self, id: FileId) -> Option<(&'static str, &'static str)> {
        self.library.and_then(|library| library(id))
    }

    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn code(&self, id: FileId) -> &str {
        match self.file(id) {
            Some(f) => f.code.as_str(),
            None => self.library_file(id).map_or("", |(_, text)| text),
        }
    }

    pub fn name(&self, id: FileId) -> &str {
        match self.file(id) {
            Some(f) => f.name.as_str(),
            None => self.library_file(id).map_or("<unknown>", |(name, _)| name),
        }
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The text of `span` in the analysed code.
    pub fn snippet(&self, span: Span) -> &str {
        self.code(span.file)
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// `text` with every [`At`] marker replaced by `file:line:col`.
    pub fn resolve_positions(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(AT_OPEN) {
            out.push_str(&rest[..at]);
            let after = &rest[at + AT_OPEN.len()..];
            let parsed = after.find(AT_CLOSE).and_then(|end| {
                let (file, offset) = after[..end].split_once(':')?;
                Some((FileId(file.parse().ok()?), offset.parse::<u32>().ok()?, end))
            });
            match parsed {
                Some((file, offset, end)) => {
                    let (line, col) = self.line_col(file, offset);
                    out.push_str(&format!("{}:{line}:{col}", self.name(file)));
                    rest = &after[end + AT_CLOSE.len_utf8()..];
                }
                None => {
                    out.push_str(AT_OPEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// 1-based line and column (in bytes) of an offset, as Go reports positions.
    pub fn line_col(&self, file: FileId, offset: u32) -> (u32, u32) {
        let text = self.code(file);
        let offset = (offset as usize).min(text.len());
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        (line, (offset - line_start) as u32 + 1)
    }
}

impl miette::SourceCode for SourceDb {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let file_index = span.offset() >> FILE_SHIFT;
        let base = file_index << FILE_SHIFT;
        let (name, text): (&str, &str) = match self.files.get(file_index) {
            Some(file) => (&file.name, &file.display_text),
            None => u32::try_from(file_index)
                .ok()
                .and_then(|id| self.library_file(FileId(id)))
                .ok_or(miette::MietteError::OutOfBounds)?,
        };
        let local = miette::SourceSpan::new((span.offset() - base).into(), span.len());
        let contents = text.read_span(&local, context_lines_before, context_lines_after)?;
        let inner = contents.span();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            name.to_string(),
            contents.data(),
            miette::SourceSpan::new((base + inner.offset()).into(), inner.len()),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// The longest nanoservice name: names become file names, process names and
/// labels in logs, and 64 characters keep all of those readable.
pub const NANOSERVICE_NAME_MAX: usize = 64;

/// The one rule for nanoservice names (docs/language.md, "Nanoservice
/// names"), wherever a name enters: a `goToNetwork` target, a YAML `name:`,
/// a config's file stem, a `goToNetworks` key. A name is 1 to 64 lowercase
/// ASCII letters, digits, `-`, `_` and `.`, and does not start with `.` or
/// `-`. Names become paths (`OUT/NAME/NAME`, `NAME.yaml`), so the rule also
/// keeps every such path inside its directory: no `/`, no `..`, no hidden
/// file, no option-like name, nothing a shell or a unit descriptor would
/// split, and no two names that a case-insensitive file system would merge.
///
/// The error is the reason, for a diagnostic at the name's span.
pub fn check_nanoservice_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".to_string());
    }
    if name.chars().count() > NANOSERVICE_NAME_MAX {
        return Err(format!("longer than {NANOSERVICE_NAME_MAX} characters"));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))) {
        return Err(match bad {
            '/' | '\\' => format!("a path separator `{bad}` is not allowed"),
            ' ' => "a space is not allowed".to_string(),
            c if c.is_ascii_uppercase() => format!("uppercase `{c}` is not allowed"),
            c => format!("character {c:?} is not allowed"),
        });
    }
    if name.starts_with(['.', '-']) {
        return Err("a name cannot start with `.` or `-`".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(id: FileId) -> Option<(&'static str, &'static str)> {
        (id.0 == u32::MAX).then_some(("stdlib/lib/lib.go", "package lib\n\nfunc F() int {\n\treturn 1\n}\n"))
    }

    /// A span in an embedded library file (ids numbered down from
    /// `u32::MAX`, not in the database) renders with that file's name and
    /// text once the driver set the library's sources; before, miette
    /// failed with OutOfBounds and printed no source.
    #[test]
    fn library_file_spans_read_their_source() {
        use miette::SourceCode;
        let mut db = SourceDb::new();
        db.add("main.go", "package main\n".to_string());
        let span = miette::SourceSpan::from(Span::new(FileId(u32::MAX), 25, 33));
        assert!(db.read_span(&span, 0, 0).is_err());
        db.set_library_sources(library);
        let contents = db.read_span(&span, 1, 1).expect("library span");
        assert_eq!(contents.name(), Some("stdlib/lib/lib.go"));
        // The span's lines (3 and 4, 0-based 2 and 3) and one line of context each side.
        assert_eq!(std::str::from_utf8(contents.data()).unwrap(), "\nfunc F() int {\n\treturn 1\n}\n");
        assert_eq!(contents.line(), 1);
        assert_eq!(db.name(FileId(u32::MAX)), "stdlib/lib/lib.go");
        assert_eq!(db.line_col(FileId(u32::MAX), 29), (4, 2));
    }

    #[test]
    fn line_col_is_one_based() {
        let mut db = SourceDb::new();
        let f = db.add("a.go", "package main\nfunc main() {}\n".to_string());
        assert_eq!(db.line_col(f, 0), (1, 1));
        assert_eq!(db.line_col(f, 13), (2, 1));
        assert_eq!(db.line_col(f, 18), (2, 6));
    }

    #[test]
    fn spans_of_different_files_do_not_collide() {
        let a = miette::SourceSpan::from(Span::new(FileId(0), 5, 7));
        let b = miette::SourceSpan::from(Span::new(FileId(1), 5, 7));
        assert_ne!(a.offset(), b.offset());
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn read_span_finds_the_right_file() {
        use miette::SourceCode;
        let mut db = SourceDb::new();
        db.add("a.go", "aaa\n".to_string());
        let b = db.add("b.go", "xyz\nbbb\n".to_string());
        let span = miette::SourceSpan::from(Span::new(b, 4, 7));
        let contents = db.read_span(&span, 0, 0).unwrap();
        assert_eq!(contents.name(), Some("b.go"));
        // miette trims the line terminator in some versions; only the line matters.
        assert_eq!(std::str::from_utf8(contents.data()).unwrap().trim_end(), "bbb");
        assert_eq!(contents.line(), 1);
    }

    #[test]
    fn nanoservice_names_follow_one_rule() {
        for good in ["hello", "print-hello-world", "line-12", "a.b_c", "x9", "_x", "a..b", &"n".repeat(64)] {
            assert_eq!(check_nanoservice_name(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("../../escaped", "path separator `/`"),
            ("..", "start with"),
            ("a\\b", "path separator `\\`"),
            ("worker node", "a space"),
            ("Worker", "uppercase `W`"),
            ("-flag", "start with"),
            (".hidden", "start with"),
            ("tab\there", "'\\t'"),
            ("caf\u{e9}", "'\u{e9}'"),
            ("a%20b", "'%'"),
            (&"n".repeat(65), "longer than 64"),
        ] {
            let message = check_nanoservice_name(bad).expect_err(bad);
            assert!(message.contains(why), "{bad:?}: {message}");
        }
    }
}
