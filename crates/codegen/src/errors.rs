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

    #[error("internal code generator error: {message}")]
    #[diagnostic(code(g2n::codegen::backend), help("this is a bug in g2n; please report it with the program"))]
    Backend { message: String },
}
