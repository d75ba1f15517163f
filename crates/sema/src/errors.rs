//! Diagnostics of name resolution and type checking. Wording follows the Go
//! 1.19 compiler (`gc`) so that users recognise the messages; positions are the
//! spans Go reports.

use g2n_base::Span;
use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Clone, Error, Diagnostic, PartialEq)]
pub enum SemaError {
    /// A syntax error in a library function's body, found when the body
    /// was parsed to be checked (`g2n_syntax::deferred`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(g2n_syntax::SyntaxError),

    #[error("undefined: {name}")]
    #[diagnostic(code(g2n::sema::undefined))]
    Undefined {
        name: String,
        #[label("not declared in this scope")]
        span: Span,
    },

    #[error("{name} declared but not used")]
    #[diagnostic(code(g2n::sema::unused_variable))]
    DeclaredNotUsed {
        name: String,
        #[label("declared here and never read")]
        span: Span,
    },

    /// `alias` is ` as NAME` when the import names the package otherwise.
    #[error("imported and not used: \"{path}\"{alias}")]
    #[diagnostic(code(g2n::sema::unused_import))]
    ImportedNotUsed {
        path: String,
        alias: String,
        #[label("imported here")]
        span: Span,
    },

    #[error("package {path} is not in g2n's standard library")]
    #[diagnostic(code(g2n::sema::unknown_package), help("the packages g2n provides are listed in docs/language.md"))]
    UnknownPackage {
        path: String,
        #[label("unknown package")]
        span: Span,
    },

    #[error("{name} redeclared in this block")]
    #[diagnostic(code(g2n::sema::redeclared))]
    Redeclared {
        name: String,
        #[label(primary, "redeclared here")]
        span: Span,
        #[label("first declared here")]
        previous: Span,
    },

    #[error("no new variables on left side of :=")]
    #[diagnostic(code(g2n::sema::no_new_variables))]
    NoNewVariables {
        #[label("every name here is already declared")]
        span: Span,
    },

    #[error("function main is undeclared in the main package")]
    #[diagnostic(code(g2n::sema::missing_main))]
    MissingMain {
        #[label("package main without func main")]
        span: Span,
    },

    #[error("{message}")]
    #[diagnostic(code(g2n::sema::type_mismatch))]
    TypeMismatch {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
    },

    #[error("invalid operation: {message}")]
    #[diagnostic(code(g2n::sema::invalid_operation))]
    InvalidOperation {
        message: String,
        #[label("here")]
        span: Span,
    },

    #[error("{message}")]
    #[diagnostic(code(g2n::sema::constant_overflow))]
    ConstantOverflow {
        message: String,
        #[label("does not fit")]
        span: Span,
    },

    /// `callee` is `in call to f` or `in conversion to T`.
    #[error("{message} arguments {callee}")]
    #[diagnostic(code(g2n::sema::argument_count))]
    ArgumentCount {
        /// "not enough" or "too many".
        message: &'static str,
        callee: String,
        #[label("{have} given, {want} expected")]
        span: Span,
        have: usize,
        want: String,
    },

    #[error("{what} used as value")]
    #[diagnostic(code(g2n::sema::not_a_value))]
    NotAValue {
        what: String,
        #[label("not a value")]
        span: Span,
    },

    #[error("{message}")]
    #[diagnostic(code(g2n::sema::misplaced_statement))]
    Misplaced {
        message: String,
        #[label("here")]
        span: Span,
    },

    #[error("goToNetwork is only allowed in func main")]
    #[diagnostic(
        code(g2n::sema::go_to_network_outside_main),
        help("moving a call stack between nanoservices is not supported yet: hop from main's own statements")
    )]
    GoToNetworkOutsideMain {
        #[label("inside func {func}")]
        span: Span,
        func: String,
    },

    #[error("not supported by g2n yet: {what}")]
    #[diagnostic(code(g2n::sema::unsupported), help("docs/language.md lists what is supported"))]
    Unsupported {
        what: String,
        #[label("unsupported")]
        span: Span,
    },
}

impl SemaError {
    /// Moves the diagnostic to `to` (Go reports errors of an implicitly
    /// repeated constant expression at the constant's name).
    pub fn set_span(&mut self, to: Span) {
        match self {
            SemaError::Undefined { span, .. }
            | SemaError::DeclaredNotUsed { span, .. }
            | SemaError::ImportedNotUsed { span, .. }
            | SemaError::UnknownPackage { span, .. }
            | SemaError::Redeclared { span, .. }
            | SemaError::NoNewVariables { span, .. }
            | SemaError::MissingMain { span, .. }
            | SemaError::TypeMismatch { span, .. }
            | SemaError::InvalidOperation { span, .. }
            | SemaError::ConstantOverflow { span, .. }
            | SemaError::ArgumentCount { span, .. }
            | SemaError::NotAValue { span, .. }
            | SemaError::Misplaced { span, .. }
            | SemaError::GoToNetworkOutsideMain { span, .. }
            | SemaError::Unsupported { span, .. } => *span = to,
            // Only from parsing a body, never from a repeated constant
            // expression: it stays where the parser found it.
            SemaError::Syntax(_) => {}
        }
    }
}
