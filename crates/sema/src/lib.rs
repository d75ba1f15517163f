//! Name resolution and type checking of the Go dialect: AST in, typed HIR out.
//!
//! [`check`] never fails: it returns the program it could build and the
//! diagnostics it found. Only the driver decides to stop.

mod check;
pub mod errors;
pub mod exact;
pub mod hir;
pub mod hir_text;
pub mod stdlib;
pub mod types;

pub use check::FreeVars;
pub use errors::SemaError;

use std::sync::OnceLock;

/// The standard library packages (`stdlib/`), parsed once per process.
pub fn stdlib() -> &'static stdlib::StdLib {
    static STDLIB: OnceLock<stdlib::StdLib> = OnceLock::new();
    STDLIB.get_or_init(stdlib::StdLib::load)
}

/// Every bodyless function and runtime-read variable of the standard
/// library with its types resolved, and the program holding those types.
pub fn runtime_declarations() -> (hir::Program, Vec<stdlib::RuntimeDecl>) {
    check::Checker::new(stdlib(), FreeVars::Forbidden).runtime_declarations()
}

/// Resolves and type-checks one file.
pub fn check(file: &g2n_syntax::ast::File, free_vars: FreeVars<'_>) -> (hir::Program, Vec<SemaError>) {
    check::Checker::new(stdlib(), free_vars).check_file(file)
}
