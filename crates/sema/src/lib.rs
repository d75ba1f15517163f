//! Name resolution and type checking of the Go dialect: AST in, typed HIR out.
//!
//! [`check`] never fails: it returns the program it could build and the
//! diagnostics it found. Only the driver decides to stop.

mod check;
pub mod errors;
pub mod exact;
pub mod hir;
pub mod hir_text;
mod kept_parses;
pub mod stdlib;
pub mod types;

pub use check::FreeVars;
pub use kept_parses::{ParseStore, hand_written_parses, keep_hand_written_parsed};

// The unit tests share tests/support/goroot_tree.rs with the command's
// tests, which name this crate by its package name.
#[cfg(test)]
extern crate self as g2n_sema;
#[cfg(test)]
#[path = "../../../tests/support/goroot_tree.rs"]
mod goroot_tree;
pub use errors::SemaError;

use std::sync::{Mutex, OnceLock};

/// The standard library the checker uses: the one [`install_stdlib`] set,
/// else the hand-written packages alone (`stdlib/`), parsed once per process.
pub fn stdlib() -> &'static stdlib::StdLib {
    if let Some(installed) = *INSTALLED.lock().unwrap_or_else(|e| e.into_inner()) {
        return installed;
    }
    hand_written()
}

/// The hand-written packages (`stdlib/`), parsed once per process.
pub fn hand_written() -> &'static stdlib::StdLib {
    static STDLIB: OnceLock<stdlib::StdLib> = OnceLock::new();
    STDLIB.get_or_init(stdlib::StdLib::load)
}

static INSTALLED: Mutex<Option<&'static stdlib::StdLib>> = Mutex::new(None);

/// Makes `stdlib` (the hand-written packages plus those the driver loaded
/// from Go's source, [`stdlib::StdLib::with_source_packages`]; `None`: the
/// hand-written ones alone) the one the following checks use. The driver
/// installs one per program it loads; a replaced library stays allocated
/// (one per load, for the process's life).
pub fn install_stdlib(stdlib: Option<stdlib::StdLib>) {
    let installed = stdlib.map(|s| &*Box::leak(Box::new(s)));
    *INSTALLED.lock().unwrap_or_else(|e| e.into_inner()) = installed;
}

/// The library [`install_stdlib`] installed last (`None`: the hand-written
/// one), for an editor to install again without loading it again
/// ([`reinstall_stdlib`]).
pub fn installed_stdlib() -> Option<&'static stdlib::StdLib> {
    *INSTALLED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Installs again a library [`installed_stdlib`] returned.
pub fn reinstall_stdlib(stdlib: Option<&'static stdlib::StdLib>) {
    *INSTALLED.lock().unwrap_or_else(|e| e.into_inner()) = stdlib;
}

/// Every bodyless function and runtime-read variable of the standard
/// library with its types resolved, and the program holding those types.
pub fn runtime_declarations() -> (hir::Program, Vec<stdlib::RuntimeDecl>) {
    check::Checker::new(stdlib(), FreeVars::Forbidden).runtime_declarations()
}

/// Time spent checking library packages, summed over every check in the
/// process (`g2n build --timings` takes the difference around a check).
static LIBRARY_CHECK_NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn add_library_check_time(took: std::time::Duration) {
    let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
    LIBRARY_CHECK_NANOS.fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
}

/// How long checks in this process spent on the library packages the
/// programs import (before checking the programs' own declarations).
pub fn library_check_time() -> std::time::Duration {
    std::time::Duration::from_nanos(LIBRARY_CHECK_NANOS.load(std::sync::atomic::Ordering::Relaxed))
}

/// Resolves and type-checks one file.
pub fn check(file: &g2n_syntax::ast::File, free_vars: FreeVars<'_>) -> (hir::Program, Vec<SemaError>) {
    check::Checker::new(stdlib(), free_vars).check_file(file)
}
