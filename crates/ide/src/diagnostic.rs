//! Diagnostics of every stage (miette `Diagnostic`s whose spans carry their
//! file, see g2n-base) as plain data: a document, a byte range, a severity
//! and the text the command line prints, help included.

use g2n_base::SourceDb;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Hint,
}

/// A label other than the primary one: another place the diagnostic names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub doc: usize,
    pub start: u32,
    pub end: u32,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Index of the document (in the analysis's documents).
    pub doc: usize,
    /// Byte range in the document's text.
    pub start: u32,
    pub end: u32,
    pub severity: Severity,
    /// `g2n::sema::undefined` and the like.
    pub code: Option<String>,
    /// The message, its primary label and its help, as `g2n check` prints them.
    pub message: String,
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// An error the command line prints without a span.
    pub(crate) fn plain(doc: usize, message: String) -> Diagnostic {
        Diagnostic { doc, start: 0, end: 0, severity: Severity::Error, code: None, message, related: Vec::new() }
    }
}

/// Spans pack their file into the high 32 bits of miette's offset.
const FILE_SHIFT: usize = 32;

/// `diagnostic` and the diagnostics it relates, each placed at its first
/// label that points into a document (a label in a standard library file has
/// no document); one without such a label is placed at the start of the
/// first document.
pub(crate) fn convert(db: &SourceDb, file_doc: &[usize], diagnostic: &dyn miette::Diagnostic) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let severity = match diagnostic.severity() {
        Some(miette::Severity::Warning) => Severity::Warning,
        Some(miette::Severity::Advice) => Severity::Hint,
        _ => Severity::Error,
    };
    let mut places = Vec::new();
    for label in diagnostic.labels().into_iter().flatten() {
        let offset = label.offset();
        let Some(&doc) = file_doc.get(offset >> FILE_SHIFT) else { continue };
        let start = (offset & ((1 << FILE_SHIFT) - 1)) as u32;
        let end = start.saturating_add(u32::try_from(label.len()).unwrap_or(u32::MAX));
        places.push((doc, start, end, label.label().map(str::to_string), label.primary()));
    }
    // The primary label first, else the first label (miette's rule).
    if let Some(at) = places.iter().position(|p| p.4) {
        let primary = places.remove(at);
        places.insert(0, primary);
    }
    let mut message = db.resolve_positions(&diagnostic.to_string());
    let mut related = Vec::new();
    let (doc, start, end) = match places.first() {
        Some((doc, start, end, label, _)) => {
            // A label that only points ("here") adds nothing to the message.
            if let Some(label) = label.as_deref().filter(|l| *l != "here") {
                message.push_str(&format!(" ({label})"));
            }
            for (doc, start, end, label, _) in places.iter().skip(1) {
                related.push(Related { doc: *doc, start: *start, end: *end, message: label.clone().unwrap_or_default() });
            }
            (*doc, *start, *end)
        }
        None => (file_doc.first().copied().unwrap_or(0), 0, 0),
    };
    if let Some(help) = diagnostic.help() {
        message.push_str(&format!("\nhelp: {}", db.resolve_positions(&help.to_string())));
    }
    let code = diagnostic.code().map(|c| c.to_string());
    out.push(Diagnostic { doc, start, end, severity, code, message, related });
    for inner in diagnostic.related().into_iter().flatten() {
        out.extend(convert(db, file_doc, inner));
    }
    out
}
