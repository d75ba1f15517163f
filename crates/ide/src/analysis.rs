//! The pipeline of `g2n check`, run on texts instead of files: configs read,
//! Go parsed, a directory's Go files merged into one program, the program or
//! mesh planned, the `goToNetworks` warnings. Every diagnostic is kept (with
//! its document) instead of printed, and the checked programs are kept for
//! hover and go-to-definition, even when the plan failed.

use crate::diagnostic::{self, Diagnostic};
use crate::endpoints::{self, ConfigUnit};
use crate::library::{LibraryCache, LibraryKey};
use crate::merge::merge_package;
use g2n_base::{FileId, SourceDb, Span};
use g2n_manifest::config::NanoserviceConfig;
use g2n_sema::FreeVars;
use g2n_sema::hir::Program;
use g2n_split::{MeshPlan, UnitSource};
use g2n_syntax::ast;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One file's name (shown in messages, as a path) and its text as the
/// editor holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub name: String,
    pub text: String,
}

impl Document {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Document {
        Document { name: name.into(), text: text.into() }
    }

    pub(crate) fn is_yaml(&self) -> bool {
        self.name.ends_with(".yaml") || self.name.ends_with(".yml")
    }

    /// A YAML file with a top-level `code:` key: a nanoservice config.
    /// Other YAML (CI workflows, manifests) sits in the same folders and
    /// is none of the editor's business.
    pub(crate) fn is_config(&self) -> bool {
        self.is_yaml() && self.text.lines().any(|line| line.trim_end().starts_with("code:"))
    }

    pub(crate) fn is_go(&self) -> bool {
        (self.name.ends_with(".go") && !self.name.ends_with("_test.go")) || self.name.ends_with(".g2n")
    }

    /// The file name without directory and extension: a nanoservice's
    /// default name.
    pub(crate) fn stem(&self) -> &str {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        base.rsplit_once('.').map_or(base, |(stem, _)| stem)
    }
}

/// Which files of a directory are analysed together, by the rules of
/// `g2n check DIR`: a directory's configs are one mesh; its Go files (but
/// tests) are one program. One exception for editing: a directory of
/// several programs (two files each declaring `func main`, as in examples
/// and test folders) is analysed file by file, since merging them would only
/// report `main` redeclared; and YAML files without a top-level `code:` key
/// are not configs and are left out (an editor opens every YAML file).
pub struct Project;

impl Project {
    /// The indices of `files` (every file of the focus file's directory, the
    /// focus included) analysed with `files[focus]`.
    pub fn members(files: &[Document], focus: usize) -> Vec<usize> {
        let Some(doc) = files.get(focus) else { return Vec::new() };
        if doc.is_yaml() {
            if !doc.is_config() {
                return Vec::new();
            }
            return (0..files.len()).filter(|&i| files[i].is_config()).collect();
        }
        if !doc.is_go() {
            return vec![focus];
        }
        let package = |d: &Document| {
            let (file, errors) = g2n_syntax::parse_file(FileId(0), &d.text);
            let mains = file.decls.iter().any(|decl| matches!(decl, ast::Decl::Func(f) if f.recv.is_none() && f.name.name == "main"));
            (errors.is_empty().then(|| file.package.name.clone()), mains)
        };
        let (own, _) = package(doc);
        let mut members = Vec::new();
        let mut mains = 0;
        for (i, other) in files.iter().enumerate() {
            if !other.is_go() {
                continue;
            }
            let (name, has_main) = package(other);
            // A file that does not parse stays with the focus file's program
            // when it is the focus file; others are judged by their clause.
            if i == focus || (name.is_some() && name == own) {
                members.push(i);
                mains += usize::from(has_main);
            }
        }
        if mains > 1 { vec![focus] } else { members }
    }
}

/// One nanoservice or program as read.
pub(crate) struct Unit {
    pub name: String,
    pub span: Span,
    pub file: FileId,
    pub doc: usize,
    pub config: Option<NanoserviceConfig>,
}

/// Loads the library packages a parsed program imports into the database
/// and installs them (`None`: nothing to do); see [`Analysis::with_library`].
pub type LoadLibrary<'a> = &'a dyn Fn(&[&ast::File], &mut SourceDb) -> Option<g2n_packages::Loaded>;

/// Everything known about one set of documents analysed together.
pub struct Analysis {
    pub(crate) docs: Vec<Document>,
    pub(crate) db: SourceDb,
    /// The document each `FileId` of `db` reads.
    pub(crate) file_doc: Vec<usize>,
    pub(crate) units: Vec<Unit>,
    pub(crate) plan: Option<MeshPlan>,
    /// Checked programs for navigation: the plan's, else each unit checked
    /// alone (a program with errors still has types for what did check).
    pub(crate) programs: Vec<Arc<Program>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Analyses `docs` together: a mesh when any is a config, else one Go
    /// program. Never panics on any text.
    pub fn new(docs: Vec<Document>) -> Analysis {
        Analysis::with_library(docs, &|_, _| None)
    }

    /// As [`Analysis::new`], with the step that loads and installs the
    /// standard-library packages compiled from Go's source which the parsed
    /// program imports, as the command line does before any check
    /// ([`crate::install_library`] over a source tree the caller reads);
    /// without it only the hand-written packages (or a library installed
    /// earlier) are known.
    pub fn with_library(docs: Vec<Document>, load_library: LoadLibrary<'_>) -> Analysis {
        Analysis::analyse(docs, load_library, None)
    }

    /// As [`Analysis::with_library`], reusing what an earlier analysis of
    /// the same imports loaded (`cache`; `root` says which Go source tree
    /// `load_library` reads, its path or why there is none): an edit that
    /// changes no import does not read and parse the library again. Loads
    /// with errors are not kept.
    pub fn with_cached_library(docs: Vec<Document>, load_library: LoadLibrary<'_>, root: &str, cache: &mut LibraryCache) -> Analysis {
        Analysis::analyse(docs, load_library, Some((root, cache)))
    }

    fn analyse(docs: Vec<Document>, load_library: LoadLibrary<'_>, cache: Option<(&str, &mut LibraryCache)>) -> Analysis {
        let mut analysis = Analysis {
            docs,
            db: SourceDb::new(),
            file_doc: Vec::new(),
            units: Vec::new(),
            plan: None,
            programs: Vec::new(),
            diagnostics: Vec::new(),
        };
        analysis.run(load_library, cache);
        analysis
    }

    /// The documents, in the order given.
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    /// Every diagnostic, in the order `g2n check` reports them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    fn add_file(&mut self, doc: usize, display: String, code: String) -> FileId {
        let name = self.docs[doc].name.clone();
        let id = self.db.add_embedded(name, display, code);
        self.file_doc.push(doc);
        id
    }

    fn report(&mut self, diagnostic: &dyn miette::Diagnostic) {
        let converted = diagnostic::convert(&self.db, &self.file_doc, diagnostic);
        self.diagnostics.extend(converted);
    }

    /// A diagnostic the command line prints without a span: shown at the
    /// start of `doc`.
    fn report_plain(&mut self, doc: usize, message: String) {
        self.diagnostics.push(Diagnostic::plain(doc, message));
    }

    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == diagnostic::Severity::Error)
    }

    fn run(&mut self, load_library: LoadLibrary<'_>, cache: Option<(&str, &mut LibraryCache)>) {
        let mesh = self.docs.iter().any(Document::is_yaml);
        for doc in 0..self.docs.len() {
            let text = self.docs[doc].text.clone();
            let stem = self.docs[doc].stem().to_string();
            if self.docs[doc].is_yaml() {
                // Registered first so config diagnostics point into it.
                let probe = self.add_file(doc, text.clone(), text.clone());
                let (config, errors) = g2n_manifest::config::load(probe, &text, &stem);
                for error in &errors {
                    self.report(error);
                }
                let Some(config) = config else { continue };
                for warning in &config.warnings {
                    self.report(warning);
                }
                let file = self.add_file(doc, text, config.go_code.clone());
                let span = Span { file, ..config.name_span.unwrap_or(config.code_span) };
                self.units.push(Unit { name: config.name.clone(), span, file, doc, config: Some(config) });
            } else if !mesh {
                let file = self.add_file(doc, text.clone(), text);
                self.units.push(Unit { name: stem, span: Span::new(file, 0, 0), file, doc, config: None });
            }
        }
        let mut asts = Vec::new();
        for unit in 0..self.units.len() {
            let file = self.units[unit].file;
            let (ast, errors) = g2n_syntax::parse_file(file, self.db.code(file));
            for error in &errors {
                self.report(error);
            }
            asts.push(ast);
        }
        if self.has_errors() {
            return;
        }
        let program: Vec<&ast::File> = asts.iter().collect();
        let mut cache = cache.map(|(root, cache)| (LibraryKey::new(root, &program, &self.db), cache));
        let cached = cache.as_mut().is_some_and(|(key, cache)| cache.install(key, &mut self.db));
        if !cached && let Some(loaded) = load_library(&program, &mut self.db) {
            for error in &loaded.syntax_errors {
                self.report(error);
            }
            for error in &loaded.errors {
                self.report(error);
            }
            if self.has_errors() {
                return;
            }
            if let Some((key, cache)) = cache {
                cache.keep(key, &self.db);
            }
        }
        let one_program = !mesh && !self.units.is_empty();
        if one_program {
            if self.units.len() == 1
                && let Err(reason) = g2n_base::check_nanoservice_name(&self.units[0].name)
            {
                let message = format!("invalid nanoservice name '{}' (from the file name): {reason}", self.units[0].name.escape_debug());
                self.report_plain(self.units[0].doc, message);
                return;
            }
            let names: Vec<String> = self.units.iter().map(|u| self.docs[u.doc].name.clone()).collect();
            let mut rest = asts.into_iter();
            let Some(first) = rest.next() else { return };
            match merge_package(first, rest.collect(), &names) {
                Ok(merged) => asts = vec![merged],
                Err(error) => {
                    self.report(&error);
                    return;
                }
            }
        }
        self.plan_and_check(&asts, one_program);
    }

    fn plan_and_check(&mut self, asts: &[ast::File], one_program: bool) {
        let (plan, errors) = if one_program {
            let unit = &self.units[0];
            g2n_split::plan_program(&unit.name, unit.span, &asts[0])
        } else if let Some(source) = self.split_source() {
            // Configs written by `g2n split`: the program they were split from.
            let unit = &self.units[0];
            g2n_split::plan_program(&source, unit.span, &asts[0])
        } else {
            let sources: Vec<UnitSource<'_>> =
                self.units.iter().zip(asts).map(|(unit, file)| UnitSource { name: unit.name.clone(), span: unit.span, file }).collect();
            g2n_split::plan_mesh(&sources)
        };
        for error in &errors {
            self.report(error);
        }
        match plan {
            Some(plan) if errors.is_empty() => {
                let configs = self.units.iter().filter_map(|u| Some(ConfigUnit { name: &u.name, file: u.file, config: u.config.as_ref()? }));
                let warnings = endpoints::warnings(configs, &plan);
                for warning in &warnings {
                    self.report(warning);
                }
                let mut programs: Vec<Arc<Program>> = Vec::new();
                for unit in &plan.units {
                    if !programs.iter().any(|p| Arc::ptr_eq(p, &unit.program)) {
                        programs.push(unit.program.clone());
                    }
                }
                self.programs = programs;
                self.plan = Some(plan);
            }
            _ => {
                if errors.is_empty()
                    && let Some(unit) = self.units.first()
                {
                    self.report_plain(unit.doc, "analysis failed without a diagnostic (a g2n bug)".to_string());
                }
                // Types for navigation, from each unit checked alone.
                let no_types = BTreeMap::new();
                let free = if one_program { FreeVars::Forbidden } else { FreeVars::Allowed(&no_types) };
                self.programs = asts.iter().map(|ast| Arc::new(g2n_sema::check(ast, free).0)).collect();
            }
        }
    }

    /// The name of the program the configs were split from, when every
    /// unit is a config written by `g2n split` holding the same code (as
    /// the driver's rule; configs that disagree are analysed as a mesh,
    /// where their differences show).
    fn split_source(&self) -> Option<String> {
        let configs: Vec<&NanoserviceConfig> = self.units.iter().filter_map(|u| u.config.as_ref()).collect();
        if configs.is_empty() || configs.len() != self.units.len() || configs.iter().any(|c| c.source.is_none()) {
            return None;
        }
        let code_of = |unit: &Unit| -> Vec<String> {
            let text = self.db.code(unit.file);
            let lines = unit.config.as_ref().map(|c| c.code_lines.clone()).unwrap_or_default();
            lines.iter().map(|span| text.get(span.start as usize..span.end as usize).unwrap_or("").trim_end().to_string()).collect()
        };
        let first = code_of(&self.units[0]);
        if self.units[1..].iter().any(|u| code_of(u) != first) {
            return None;
        }
        let source = configs[0].source.clone().unwrap_or_default();
        let base = source.rsplit('/').next().unwrap_or(&source);
        Some(base.rsplit_once('.').map_or(base, |(stem, _)| stem).to_string())
    }

    /// The `FileId` whose spans are `doc`'s analysed code (the last one
    /// registered for it: a config's code, not its probe).
    pub(crate) fn file_of(&self, doc: usize) -> Option<FileId> {
        self.units.iter().find(|u| u.doc == doc).map(|u| u.file)
    }

    /// The document a span points into.
    pub(crate) fn doc_of(&self, file: FileId) -> Option<usize> {
        self.file_doc.get(file.0 as usize).copied()
    }
}
