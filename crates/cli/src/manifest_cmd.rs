//! `g2n manifest`: the published JSON Schemas, the consistency check of a
//! build output directory, and the compatibility diff of two builds.
//!
//! The checks themselves live in `g2n-manifest` (`check`, `diff`) as pure
//! functions over a file-reading callback; this module does the reading and
//! turns each problem into a miette diagnostic that points, where it can, at
//! the offending line of the manifest.

use crate::diagnostics;
use g2n_base::{FileId, SourceDb, Span};
use g2n_manifest::check::{self, Problem};
use g2n_manifest::diff::{self, Change};
use g2n_manifest::manifest;
use miette::{Diagnostic, LabeledSpan};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which manifest's schema `g2n manifest schema` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// The unit manifest, NAME/manifest.yaml (docs/schema/unit.schema.json).
    Unit,
    /// The mesh manifest, mesh.yaml (docs/schema/mesh.schema.json).
    Mesh,
}

/// The schema text exactly as published in docs/schema/.
pub fn schema_text(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Unit => manifest::unit_schema(),
        SchemaKind::Mesh => manifest::mesh_schema(),
    };
    // A `serde_json::Value` always serializes.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// `g2n manifest schema KIND`.
pub fn schema(kind: SchemaKind) -> i32 {
    print_stdout(&schema_text(kind))
}

fn print_stdout(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            1
        }
    }
}

/// The files of one build directory read so far, so that diagnostics can
/// show them.
struct BuildDir {
    dir: PathBuf,
    texts: RefCell<BTreeMap<String, String>>,
}

impl BuildDir {
    fn new(dir: &Path) -> BuildDir {
        BuildDir { dir: dir.to_path_buf(), texts: RefCell::new(BTreeMap::new()) }
    }

    /// The reader handed to `g2n-manifest`: `relative` is a `/` path inside
    /// the directory (the library refuses paths that leave it).
    fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        let path = self.dir.join(relative);
        match std::fs::read(&path) {
            Ok(bytes) => {
                // Only manifests are shown in diagnostics; artifacts are binary.
                if relative.ends_with(".yaml")
                    && let Ok(text) = std::str::from_utf8(&bytes)
                {
                    self.texts.borrow_mut().insert(relative.to_string(), text.to_string());
                }
                Ok(bytes)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("no such file".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    fn display(&self, relative: &str) -> String {
        self.dir.join(relative).display().to_string()
    }
}

/// One problem of a build directory as a diagnostic.
#[derive(Debug)]
struct ManifestProblem {
    /// The file as the user names it (DIR/relative).
    file: String,
    message: String,
    kind: ProblemKind,
    label: Option<(Span, &'static str)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProblemKind {
    Read,
    Schema,
    Parse,
    Hash,
    Consistency,
}

impl ProblemKind {
    fn of(message: &str) -> ProblemKind {
        if message.starts_with("schema: ") {
            ProblemKind::Schema
        } else if message.contains("not valid YAML") {
            ProblemKind::Parse
        } else if message.contains("cannot read") || message.contains("not UTF-8") {
            ProblemKind::Read
        } else if message.contains(": sha256 is ") {
            ProblemKind::Hash
        } else {
            ProblemKind::Consistency
        }
    }
}

impl fmt::Display for ManifestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for ManifestProblem {}

impl Diagnostic for ManifestProblem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match self.kind {
            ProblemKind::Read => "g2n::manifest::read",
            ProblemKind::Schema => "g2n::manifest::schema",
            ProblemKind::Parse => "g2n::manifest::parse",
            ProblemKind::Hash => "g2n::manifest::artifact_hash",
            ProblemKind::Consistency => "g2n::manifest::inconsistent",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = match self.kind {
            ProblemKind::Read if self.message.starts_with("object ") || self.message.starts_with("executable ") => {
                "an artifact the manifest lists is missing; rebuild with `g2n build`"
            }
            ProblemKind::Read => "is this the output directory of `g2n build`?",
            ProblemKind::Schema => {
                "`g2n manifest schema unit` and `g2n manifest schema mesh` print the schemas manifests must follow"
            }
            ProblemKind::Parse => "manifests are written by `g2n build`; rebuild instead of editing them",
            ProblemKind::Hash => {
                "the artifact changed after it was built; rebuild with `g2n build` or restore the original file"
            }
            ProblemKind::Consistency => "manifests are written by `g2n build`; rebuild instead of editing them",
        };
        Some(Box::new(help))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (span, text) = self.label?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(Some(text.to_string()), span))))
    }
}

/// Turns library problems into diagnostics, registering the manifests they
/// are about in `db` so that labels can show their lines.
fn diagnose(build: &BuildDir, problems: &[Problem], db: &mut SourceDb) -> Vec<ManifestProblem> {
    let mut files: BTreeMap<String, FileId> = BTreeMap::new();
    let mut out = Vec::new();
    for problem in problems {
        let text = build.texts.borrow().get(&problem.file).cloned();
        let label = text.as_ref().and_then(|text| {
            let file = *files
                .entry(problem.file.clone())
                .or_insert_with(|| db.add(build.display(&problem.file), text.clone()));
            locate(text, &problem.message).map(|((start, end), what)| (Span::new(file, start as u32, end as u32), what))
        });
        out.push(ManifestProblem {
            file: build.display(&problem.file),
            message: problem.message.clone(),
            kind: ProblemKind::of(&problem.message),
            label,
        });
    }
    out
}

fn render_all(db: &SourceDb, problems: &[ManifestProblem]) {
    for problem in problems {
        eprint!("{}", diagnostics::render(db, problem));
    }
}

/// The byte range of the first line at or after `from` whose content (after
/// indentation and an optional `- `) is `key:` followed by `value` (when
/// given). The range covers the line's content without indentation.
fn key_line(text: &str, from: usize, key: &str, value: Option<&str>) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if start < from {
            continue;
        }
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        let body = content.trim_start();
        let body = body.strip_prefix("- ").unwrap_or(body);
        let Some(rest) = body.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else { continue };
        if value.is_none_or(|v| rest.trim() == v) {
            return Some((start + indent, start + content.len()));
        }
    }
    None
}

/// Where in a manifest `message` is about, with a label for it. Best effort:
/// `None` leaves the diagnostic without a snippet.
fn locate(text: &str, message: &str) -> Option<((usize, usize), &'static str)> {
    // YAML errors end with "at line L, column C".
    if let Some((_, at)) = message.rsplit_once(" at line ")
        && let Some((line, column)) = at.split_once(", column ")
        && let (Ok(line), Ok(column)) = (line.parse::<usize>(), column.trim().parse::<usize>())
    {
        let start = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>().min(text.len());
        let line_text = text[start..].lines().next().unwrap_or("");
        let column = column.saturating_sub(1).min(line_text.len());
        if line_text.is_char_boundary(column) {
            return Some(((start + column, start + line_text.len()), "here"));
        }
    }
    // Schema problems carry a JSON pointer: follow its keys through the YAML.
    if let Some(rest) = message.strip_prefix("schema: ") {
        let (pointer, detail) = rest.split_once(": ").unwrap_or((rest, ""));
        let mut at = 0;
        let mut found = None;
        for segment in pointer.split('/').filter(|s| !s.is_empty() && s.parse::<u64>().is_err()) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            match key_line(text, at, &segment, None) {
                Some(range) => {
                    at = range.1;
                    found = Some(range);
                }
                None => break,
            }
        }
        // An unknown field is named in the detail, not the pointer.
        if let Some(field) = detail.strip_prefix("unknown field `").and_then(|f| f.split('`').next())
            && let Some(range) = key_line(text, found.map_or(0, |r| r.0), field, None)
        {
            return Some((range, "not a field of this manifest"));
        }
        return found.map(|range| (range, "does not match the schema"));
    }
    // "object PATH: sha256 is ..." / "executable PATH: ...": the recorded hash.
    for kind in ["object ", "executable "] {
        if let Some(path) = message.strip_prefix(kind).and_then(|r| r.split(':').next()) {
            let path_line = key_line(text, 0, "path", Some(path))?;
            if !message.contains(": sha256 is ") {
                return Some((path_line, "this artifact"));
            }
            return Some((key_line(text, path_line.1, "sha256", None).unwrap_or(path_line), "recorded hash"));
        }
    }
    if let Some(rest) = message.strip_prefix("edge ") {
        let (from, rest) = rest.split_once(" -> ")?;
        let to = rest.split(' ').next()?;
        let first = key_line(text, 0, "from", Some(from))?;
        let mut at = 0;
        // The edge is the `from:` entry whose next `to:` names the target.
        while let Some(line) = key_line(text, at, "from", Some(from)) {
            if key_line(text, line.1, "to", None) == key_line(text, line.1, "to", Some(to)) {
                return Some((line, "this edge"));
            }
            at = line.1;
        }
        return Some((first, "this edge"));
    }
    let keyed: [(&str, &str, &'static str); 6] = [
        ("content_hash ", "content_hash", "recorded content hash"),
        ("abi_version ", "abi_version", "ABI version"),
        ("name `", "name", "name"),
        ("entry `", "entry", "entry"),
        ("is marked entry", "entry", "entry flag"),
        ("is not marked entry", "entry", "entry flag"),
    ];
    if let Some((_, key, what)) = keyed.iter().find(|(prefix, _, _)| message.starts_with(prefix)) {
        return key_line(text, 0, key, None).map(|range| (range, *what));
    }
    if let Some(rest) = message.strip_prefix("exit ") {
        let index = rest.split(' ').next()?;
        let exits = key_line(text, 0, "exits", None)?;
        return key_line(text, exits.1, "index", Some(index)).map(|r| (r, "this exit"));
    }
    if let Some(rest) = message.strip_prefix("resume point ") {
        let id = rest.split([' ', ':']).next()?;
        return key_line(text, 0, "id", Some(id)).map(|r| (r, "this resume point"));
    }
    if let Some(name) = message.strip_prefix("nanoservice `").and_then(|r| r.split('`').next()) {
        let first = key_line(text, 0, "name", Some(name))?;
        let second = key_line(text, first.1, "name", Some(name)).unwrap_or(first);
        return Some((second, "listed again here"));
    }
    None
}

/// `g2n manifest check DIR`.
pub fn check(dir: &Path) -> i32 {
    let build = BuildDir::new(dir);
    let report = check::check_build(&|path| build.read(path));
    if report.is_ok() {
        return print_stdout(&format!(
            "{}: ok ({} nanoservice{}, {} edge{}; schemas, artifact hashes and edges agree)\n",
            dir.display(),
            report.nanoservices,
            plural(report.nanoservices),
            report.edges,
            plural(report.edges),
        ));
    }
    let mut db = SourceDb::new();
    let problems = diagnose(&build, &report.problems, &mut db);
    render_all(&db, &problems);
    eprintln!("error: {} problem{} in {}", problems.len(), plural(problems.len()), dir.display());
    1
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `g2n mesh svg DIR [-o FILE]`: the build's mesh drawn as SVG, on stdout or
/// in FILE. The build is read the way `g2n manifest diff` reads it: a
/// mesh.yaml that cannot be used is reported with its diagnostics.
pub fn svg(dir: &Path, out: Option<&Path>) -> i32 {
    let build = BuildDir::new(dir);
    let mut problems = Vec::new();
    let loaded = check::load_build(&|path| build.read(path), &mut problems);
    let mut db = SourceDb::new();
    if !problems.is_empty() {
        let diagnostics = diagnose(&build, &problems, &mut db);
        render_all(&db, &diagnostics);
    }
    let Some(loaded) = loaded else {
        eprintln!("error: {} has no usable mesh.yaml (is it the output directory of `g2n build`?)", dir.display());
        return 1;
    };
    let drawing = g2n_manifest::svg::mesh_svg(&loaded.mesh);
    match out {
        None => print_stdout(&drawing),
        Some(path) => match std::fs::write(path, drawing) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                1
            }
        },
    }
}

/// Exit code of `g2n manifest diff` when a build cannot be read.
pub const DIFF_TROUBLE: i32 = 2;

/// `g2n manifest diff OLD NEW`.
pub fn diff(old: &Path, new: &Path) -> i32 {
    let mut db = SourceDb::new();
    let mut loaded = Vec::new();
    let mut broken = 0;
    for dir in [old, new] {
        let build = BuildDir::new(dir);
        let mut problems = Vec::new();
        let result = check::load_build(&|path| build.read(path), &mut problems);
        if !problems.is_empty() {
            let diagnostics = diagnose(&build, &problems, &mut db);
            render_all(&db, &diagnostics);
            broken += diagnostics.len();
        }
        loaded.push(result);
    }
    let (Some(Some(old_build)), Some(Some(new_build))) = (loaded.first(), loaded.get(1)) else {
        eprintln!("error: cannot compare: a build directory has no usable mesh.yaml");
        return DIFF_TROUBLE;
    };
    if broken > 0 {
        eprintln!(
            "error: cannot compare: {broken} problem{} in the manifests (`g2n manifest check` each directory)",
            plural(broken)
        );
        return DIFF_TROUBLE;
    }
    let units = |b: &check::Build| b.units.iter().map(|u| u.manifest.clone()).collect::<Vec<_>>();
    let diffs = diff::diff_builds(&units(old_build), &units(new_build));
    let mut text = String::new();
    let mut incompatible = 0;
    for d in &diffs {
        match &d.change {
            Change::Incompatible(reasons) => {
                incompatible += 1;
                text.push_str(&format!("{}: incompatible\n", d.name));
                for reason in reasons {
                    text.push_str(&format!("  - {reason}\n"));
                }
            }
            change => text.push_str(&format!("{}: {change}\n", d.name)),
        }
    }
    let verdict = diff::all_compatible(&diffs);
    if verdict {
        text.push_str("compatible: every nanoservice of the new build can replace its old version\n");
    } else {
        text.push_str(&format!(
            "incompatible: {incompatible} nanoservice{} changed {} interface\n",
            plural(incompatible),
            if incompatible == 1 { "its" } else { "their" }
        ));
    }
    let printed = print_stdout(&text);
    if printed != 0 {
        return printed;
    }
    if verdict { 0 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: &str = "\
name: hello
artifacts:
  object:
    path: hello/hello.o
    sha256: sha256:00
  executable:
    path: hello/hello
    sha256: sha256:11
";

    #[test]
    fn hash_problems_point_at_the_recorded_hash() {
        let ((start, end), _) = locate(UNIT, "executable hello/hello: sha256 is sha256:22, manifest records sha256:11")
            .expect("located");
        assert_eq!(&UNIT[start..end], "sha256: sha256:11");
    }

    #[test]
    fn schema_pointers_follow_keys() {
        let ((start, end), _) =
            locate(UNIT, "schema: /artifacts/object/sha256: does not match pattern").expect("located");
        assert_eq!(&UNIT[start..end], "sha256: sha256:00");
        let ((start, end), _) = locate("a: 1\nextra: 2\n", "schema: /: unknown field `extra`").expect("located");
        assert_eq!(&"a: 1\nextra: 2\n"[start..end], "extra: 2");
    }

    #[test]
    fn yaml_errors_point_at_their_line_and_column() {
        let ((start, end), _) =
            locate(UNIT, "manifest is not valid YAML for its type: invalid u32 at line 5, column 13").expect("located");
        assert_eq!(&UNIT[start..end], "sha256:00");
    }

    #[test]
    fn unknown_messages_have_no_label() {
        assert_eq!(locate(UNIT, "something else entirely"), None);
    }
}
