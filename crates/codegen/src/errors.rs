//! Diagnostics of code generation. User programs that type-check should not
//! fail here; `Unsupported` marks language features the backend does not
//! lower yet, and `Backend` is a g2n bug reported instead of a panic.

use g2n_base::Span;
use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Clone, Error, Diagnostic)]
pub enum CodegenError {
    #[error("not supported by g2n's code generator yet: {what}")]
    #[diagnostic(code(g2n::codegen::unsupported))]
    Unsupported {
        what: String,
        #[label("cannot be compiled yet")]
        span: Span,
    },

    /// A library function g2n cannot provide is reachable (a
    /// `//go:linkname` to a runtime function g2n does not have): reported
    /// at its declaration, as Go's linker reports a missing symbol.
    #[error("{message}")]
    #[diagnostic(code(g2n::codegen::unbound))]
    Unbound {
        message: String,
        #[label("declared here, and the program reaches it")]
        span: Span,
    },

    #[error("internal code generator error: {message}")]
    #[diagnostic(code(g2n::codegen::backend), help("this is a bug in g2n; please report it with the program"))]
    Backend { message: String },
}
