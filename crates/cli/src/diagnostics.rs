//! The one place where diagnostics of every stage are rendered.
//!
//! Stages return plain enums deriving `miette::Diagnostic` whose spans encode
//! their file (see `g2n-base`); here they are paired with the [`SourceDb`] and
//! rendered by miette's graphical handler.

use g2n_base::SourceDb;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode};
use std::fmt;
use std::io::IsTerminal;

/// A diagnostic paired with the sources its spans point into.
struct WithSources<'a> {
    inner: &'a dyn Diagnostic,
    db: &'a SourceDb,
}

impl fmt::Debug for WithSources<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner.to_string(), f)
    }
}

impl fmt::Display for WithSources<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Positions quoted in the message (`g2n_base::At`) become file:line:col.
        f.write_str(&self.db.resolve_positions(&self.inner.to_string()))
    }
}

impl std::error::Error for WithSources<'_> {}

impl Diagnostic for WithSources<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.db)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

/// How reports look: colours and width for a terminal, plain and fixed for
/// pipes and tests so that output is reproducible.
pub fn handler() -> GraphicalReportHandler {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode())
    } else {
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100).with_links(false)
    }
}

/// Renders one diagnostic with its source snippets.
pub fn render(db: &SourceDb, diagnostic: &dyn Diagnostic) -> String {
    let mut out = String::new();
    let wrapped = WithSources { inner: diagnostic, db };
    if handler().render_report(&mut out, &wrapped).is_err() {
        out = format!("error: {diagnostic}\n");
    }
    out
}

/// One diagnostic as one line, `warning: FILE:LINE:COL: MESSAGE`, for
/// advice that is said the same way every time (the plain-text password of
/// the seed's config): a snippet box would repeat it at every run.
pub fn render_line(db: &SourceDb, diagnostic: &dyn Diagnostic, span: g2n_base::Span) -> String {
    let severity = match diagnostic.severity() {
        Some(Severity::Warning) => "warning",
        Some(Severity::Advice) => "note",
        _ => "error",
    };
    let (line, col) = db.line_col(span.file, span.start);
    format!("{severity}: {}:{line}:{col}: {}\n", db.name(span.file), db.resolve_positions(&diagnostic.to_string()))
}
