//! Compiled function bodies kept between builds (g2n's build cache).
//!
//! Cranelift's incremental cache: a function's machine code is stored under
//! a hash of its IR (callees and data named by index, not by symbol) and of
//! the target's flags, so the same function compiled again, in this program
//! or another, under any symbol name, is taken from the store instead of
//! being optimised, register-allocated and emitted again. Only library
//! functions (hand-written packages and those compiled from Go's source),
//! the interface-call wrappers of library methods and the adapters of
//! library functions used as values go through the cache: one compiles to
//! the same IR in every program that reaches it, so the library's code is
//! compiled once per machine, like Go's build cache, while a program's own
//! functions, which change from build to build (and number 65,535 configs'
//! worth in a mesh), would only fill it.
//!
//! Every function of a unit is looked up before any is defined, on as many
//! threads as there are cores ([`FunctionCache::lookup_all`]), with the key
//! Cranelift would compute, computed in one piece ([`key`]); a miss is
//! compiled by Cranelift's `compile_with_cache`, which stores it.
//!
//! The store itself (files, the key's directory per g2n build, integrity
//! checks) is the caller's: codegen does no IO. A store must return only
//! what was inserted under a key; an entry Cranelift cannot read is
//! compiled again and replaced.

use cranelift_codegen::incremental_cache::try_finish_recompile;
use cranelift_codegen::ir::Function;
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::CompiledCode;
use cranelift_module::FuncId;
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

pub use cranelift_codegen::incremental_cache::CacheKvStore;

/// A store of compiled functions, shared by every unit a build compiles.
#[derive(Clone)]
pub struct FunctionCache {
    store: Arc<RwLock<dyn CacheKvStore + Send + Sync>>,
    /// Where library functions keyed before lowering are kept
    /// (`lower::prekey`), one pack of entries per pack key.
    packs: Option<Arc<dyn PackStore>>,
    /// Lower and compile the functions that have a pre-lowering entry too,
    /// and fail the build where the entry differs (`G2N_CACHE_VERIFY`).
    pub(crate) verify: bool,
}

/// Whole files of bytes by name: the packs of pre-lowering entries. A
/// store must return only what was written under a name, whole (or
/// nothing); a write replaces the file whole.
pub trait PackStore: Send + Sync {
    fn read(&self, name: &str) -> Option<Vec<u8>>;
    fn write(&self, name: &str, bytes: &[u8]);
}

impl FunctionCache {
    pub fn new(store: impl CacheKvStore + Send + Sync + 'static) -> FunctionCache {
        FunctionCache { store: Arc::new(RwLock::new(store)), packs: None, verify: false }
    }

    /// The cache with library functions keyed before lowering, in `packs`;
    /// `verify` checks every such entry against the function lowered and
    /// compiled again.
    pub fn with_packs(mut self, packs: impl PackStore + 'static, verify: bool) -> FunctionCache {
        self.packs = Some(Arc::new(packs));
        self.verify = verify;
        self
    }

    /// The same store without packs: every library function is lowered and
    /// taken from the cache by the key of its IR only.
    pub fn without_packs(mut self) -> FunctionCache {
        self.packs = None;
        self
    }

    pub(crate) fn packs(&self) -> Option<Arc<dyn PackStore>> {
        self.packs.clone()
    }

    /// Runs `f` with the store (a poisoned lock still holds a usable store:
    /// entries are whole files or nothing).
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut dyn CacheKvStore) -> R) -> R {
        let mut store = self.store.write().unwrap_or_else(|e| e.into_inner());
        f(&mut *store)
    }

    /// The machine code stored for `func`, if any (an entry Cranelift
    /// cannot read, another version's, is none). Lookups run in parallel.
    fn lookup(&self, isa: &dyn TargetIsa, func: &Function) -> Option<(CompiledCode, Vec<u8>)> {
        let key = key(isa, func);
        let entry = {
            let store = self.store.read().unwrap_or_else(|e| e.into_inner());
            store.get(&key)?.into_owned()
        };
        let code = try_finish_recompile(func, &entry).ok()?;
        Some((code, entry))
    }

    /// The stored machine code of each function of `functions` for which
    /// `wanted` holds (`None` for the others and for those not stored),
    /// looked up on as many threads as the machine has cores: a build whose
    /// library is cached spends its compile phase here (computing keys,
    /// reading entries, decoding them), and the functions do not depend on
    /// each other.
    pub(crate) fn lookup_all(
        &self,
        isa: &dyn TargetIsa,
        functions: &[(FuncId, Function)],
        wanted: &(dyn Fn(FuncId) -> bool + Sync),
    ) -> Vec<Option<(CompiledCode, Vec<u8>)>> {
        let look = |(id, func): &(FuncId, Function)| if wanted(*id) { self.lookup(isa, func) } else { None };
        // A thread per core, but none for a handful of functions.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(functions.len() / 32).max(1);
        if threads == 1 {
            return functions.iter().map(look).collect();
        }
        // Interleaved: each thread takes every `threads`-th function, so
        // that big and small ones spread evenly.
        let mut found: Vec<Option<(CompiledCode, Vec<u8>)>> = (0..functions.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|first| {
                    let look = &look;
                    scope.spawn(move || functions.iter().enumerate().skip(first).step_by(threads).map(|(at, f)| (at, look(f))).collect::<Vec<_>>())
                })
                .collect();
            for worker in workers {
                // A worker that panicked panics the build, as a lookup on
                // this thread would.
                for (at, code) in worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e)) {
                    found[at] = code;
                }
            }
        });
        found
    }
}

impl std::fmt::Debug for FunctionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FunctionCache")
    }
}

/// The key of `func`'s entry for `isa`: Cranelift's own
/// (`incremental_cache::compute_cache_key`, the SHA-256 of what `Hash`
/// feeds it of the function's stencil, the target's name and triple, and
/// its shared and ISA flags), computed with the same input in one piece.
/// Cranelift feeds SHA-256 one field at a time, thousands of tiny updates
/// per function; here what `Hash` writes is collected and hashed once. Being
/// the same key, it finds the entries Cranelift stored, and a miss is
/// compiled and stored by Cranelift under it (`the_key_is_cranelifts`).
pub(crate) fn key(isa: &dyn TargetIsa, func: &Function) -> [u8; 32] {
    let mut bytes = Bytes(Vec::with_capacity(64 * 1024));
    func.stencil.hash(&mut bytes);
    hash_target(isa, &mut bytes);
    Sha256::digest(&bytes.0).into()
}

/// Collects what `Hash` writes.
struct Bytes(Vec<u8>);

impl Hasher for Bytes {
    fn finish(&self) -> u64 {
        unreachable!("only written to: the bytes are hashed with SHA-256")
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

/// What Cranelift's key hashes of the target: its name and triple, its
/// shared and ISA flags.
fn hash_target(isa: &dyn TargetIsa, bytes: &mut Bytes) {
    isa.name().hash(bytes);
    isa.triple().hash(bytes);
    isa.flags().hash(bytes);
    isa.isa_flags_hash_key().hash(bytes);
}

/// The SHA-256 of what [`key`] hashes of the target (for the pre-lowering
/// keys of `lower::prekey`).
pub(crate) fn target_key(isa: &dyn TargetIsa) -> [u8; 32] {
    let mut bytes = Bytes(Vec::new());
    hash_target(isa, &mut bytes);
    Sha256::digest(&bytes.0).into()
}

/// How many library functions a compilation took from the cache, of how
/// many it compiled, and how many of those it took without lowering them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheUse {
    pub from_cache: usize,
    pub functions: usize,
    pub not_lowered: usize,
}

/// A store that passes everything to another and keeps the bytes of the
/// entry it returned or was given: the compiled function's serialised form,
/// which a pre-lowering entry holds too.
pub(crate) struct Capturing<'s> {
    pub inner: &'s mut dyn CacheKvStore,
    pub bytes: std::cell::RefCell<Option<Vec<u8>>>,
}

impl CacheKvStore for Capturing<'_> {
    fn get(&self, key: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
        let found = self.inner.get(key)?;
        *self.bytes.borrow_mut() = Some(found.to_vec());
        Some(found)
    }

    fn insert(&mut self, key: &[u8], val: Vec<u8>) {
        *self.bytes.get_mut() = Some(val.clone());
        self.inner.insert(key, val);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_cranelifts() {
        let isa = crate::make_isa().expect("the host's isa");
        let func = crate::inline::tests::function(3, &[1, 2], true);
        let theirs = cranelift_codegen::incremental_cache::compute_cache_key(&*isa, &func);
        // Cranelift's key prints as its bytes (its field is private).
        assert_eq!(theirs.to_string(), format!("CacheKeyHash:{:?}", key(&*isa, &func)));
        let other = crate::inline::tests::function(3, &[1], true);
        assert_ne!(key(&*isa, &func), key(&*isa, &other));
    }
}
