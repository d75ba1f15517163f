//! Compiled function bodies kept between builds (g2n's build cache).
//!
//! Cranelift's incremental cache: a function's machine code is stored under
//! a hash of its IR (callees and data named by index, not by symbol) and of
//! the target's flags, so the same function compiled again, in this program
//! or another, under any symbol name, is taken from the store instead of
//! being optimised, register-allocated and emitted again. Only library
//! functions (hand-written packages and those compiled from Go's source)
//! go through the cache: one compiles to the same IR in every program that
//! reaches it, so the library's code is compiled once per machine, like
//! Go's build cache, while a program's own functions, which change from
//! build to build (and number 65,535 configs' worth in a mesh), would only
//! fill it.
//!
//! The store itself (files, the key's directory per g2n build, integrity
//! checks) is the caller's: codegen does no IO. A store must return only
//! what was inserted under a key; an entry Cranelift cannot read is
//! compiled again and replaced.

use std::sync::{Arc, Mutex};

pub use cranelift_codegen::incremental_cache::CacheKvStore;

/// A store of compiled functions, shared by every unit a build compiles.
#[derive(Clone)]
pub struct FunctionCache {
    store: Arc<Mutex<dyn CacheKvStore + Send>>,
}

impl FunctionCache {
    pub fn new(store: impl CacheKvStore + Send + 'static) -> FunctionCache {
        FunctionCache { store: Arc::new(Mutex::new(store)) }
    }

    /// Runs `f` with the store (a poisoned lock still holds a usable store:
    /// entries are whole files or nothing).
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut dyn CacheKvStore) -> R) -> R {
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut *store)
    }
}

impl std::fmt::Debug for FunctionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FunctionCache")
    }
}

/// How many library functions a compilation took from the cache, of how
/// many it compiled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheUse {
    pub from_cache: usize,
    pub functions: usize,
}
