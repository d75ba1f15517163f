//! What an editor asks of g2n, as pure functions of the files' texts: the
//! diagnostics `g2n check`/`g2n build` report, hover (an identifier's type;
//! what travels at a `goToNetwork`, and the bytes its hops sent in the last
//! traced run) and go-to-definition (across configs: a
//! variable free in one nanoservice jumps to its declaration upstream).
//!
//! The caller (`g2n lsp`, crates/cli/src/lsp.rs) reads files, chooses which
//! files are analysed together ([`Project`]) and speaks the protocol; this
//! crate does no IO. Positions are byte offsets into the texts given;
//! [`LineIndex`] converts them to the editor's lines and UTF-16 columns.

mod analysis;
mod diagnostic;
mod library;
pub mod endpoints;
mod line_index;
mod merge;
mod navigate;
mod traffic;

pub use analysis::{Analysis, Document, Project};
pub use diagnostic::{Diagnostic, Related, Severity};
pub use library::{LibraryCache, ProgramScope, install_library, install_library_for, install_library_under_test};
pub use line_index::LineIndex;
pub use merge::{MixedPackages, merge_package};
pub use navigate::{Hover, Location};
pub use traffic::{TracedHop, TracedRun};

#[cfg(test)]
mod tests;
