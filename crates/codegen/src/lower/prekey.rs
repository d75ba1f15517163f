//! Library functions taken from the build cache without lowering them.
//!
//! The function cache (`crate::function_cache`) keys machine code by a hash
//! of the lowered IR, so a warm build still lowers every library function
//! only to find its key (fannkuch: 97 ms of lowering, then 1,696 entries
//! read one file each). This module keys a library function *before*
//! lowering it, by what its lowering can depend on:
//!
//! - the pack it is in: the target's name and flags, the text (and file
//!   name) of every library file compiled from Go's source that the build
//!   loaded (g2n's own hand-written packages are inside the g2n executable,
//!   whose build names the cache directory), and the whole-program options
//!   lowering reads (`main_travels`, which changes escape analysis and the
//!   declaration of literals; `reflect_loaded`, `reflect_calls` and
//!   reflect's `makeFuncCall`; a split program's unit table);
//! - in the pack, the function's [`FuncKey`]: its package, file, span,
//!   name and signature.
//!
//! The program-numbered symbols a function refers to (`g2n_fn{N}`,
//! `g2n_type{N}`, `g2n_str_{N}`, globals, closure objects, method-cache
//! slots) are stored as what they stand for ([`Sym`]: a function by key, a
//! type descriptor by [`TypeKey`], a string by its bytes, ...), and on a
//! hit each is declared in this program through the same `ModuleCtx` calls
//! lowering makes (which queue the functions and descriptors they need),
//! then the machine code is defined with its relocations renamed. A key
//! that names two things in this program (two local types of one name) is
//! ambiguous: the entry is not used.
//!
//! Which functions: library functions (not the program's module), not
//! generic instances nor methods of types instantiated with the program's
//! types, not sema's promoted-method wrappers; and the interface-call
//! wrappers and func-value adapters of those ([`EntryKey`]). An entry
//! records whether the function was small enough for its callers to take
//! in its body: those are lowered after all when a lowered function calls
//! them, for their IR. Everything else goes through the post-lowering key
//! as before.
//!
//! The object is the same bytes as a build that lowers every function:
//! symbols are numbered and data laid out in declaration order, so a hit
//! declares at its turn only the names its own lowering referred to, in
//! that order (`Entry::declared`: the table's names before inlining), and
//! the names that came in with callees' bodies once lowering is done
//! ([`UnitPrekeys::complete_hits`]); a method-cache slot is named by the
//! function that declared it and its rank, and reused when a hit is
//! lowered after all.
//!
//! `G2N_CACHE_VERIFY=1` (the CLI sets [`crate::FunctionCache::verify`])
//! lowers and compiles every function that has an entry and fails the
//! build if the entry's post-lowering key, symbols or flags differ. The
//! CLI gives codegen no pack store under `G2N_CACHE_PREKEY=0`.

use super::*;
use crate::function_cache::PackStore;
use cranelift_codegen::ir::{SourceLoc, UserExternalName};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Arc;

/// What a program-numbered symbol stands for, the same in every program.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum Sym {
    /// A function imported by name (the runtime's), with its signature.
    Import { name: String, sig: Signature },
    /// A declared function (`g2n_fn{N}_name`).
    Func(FuncKey),
    /// A string constant's data.
    Str(Vec<u8>),
    /// A type descriptor.
    Desc(TypeKey),
    /// A package-level variable's storage.
    Global(String),
    /// A declared function's static closure object.
    FuncValue(FuncKey),
    /// An interface call site's method-cache slot (anonymous, writable,
    /// one zeroed word): the `ordinal`th that the lowering of `owner`
    /// declared (the function's own, or a callee's whose body it took in).
    Slot { owner: FuncKey, ordinal: u32 },
}

/// A function, as every program that has it names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct FuncKey {
    package: String,
    file: String,
    start: u32,
    end: u32,
    name: String,
    params: Vec<TypeKey>,
    results: Vec<TypeKey>,
}

/// A type, as every program that has it names it: its kind with the types
/// it refers to named the same way; a defined type by package, name and
/// type arguments.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum TypeKey {
    /// A type without parts (`int`, `string`, `any`, ...), by its fixed id.
    Basic(u32),
    Named { package: Option<String>, name: String, args: Vec<TypeKey> },
    Tuple(Vec<TypeKey>),
    Func { params: Vec<TypeKey>, results: Vec<TypeKey>, variadic: bool },
    Pointer(Box<TypeKey>),
    Slice(Box<TypeKey>),
    Array(u64, Box<TypeKey>),
    Map(Box<TypeKey>, Box<TypeKey>),
    Chan(u8, Box<TypeKey>),
    Struct(Vec<(String, TypeKey, bool, String)>),
    Interface(Vec<(String, TypeKey)>),
}

/// What an entry is the code of: a function, or one of the functions
/// lowering makes for a function (each a function of its signature and
/// receiver alone, so as program-independent as the function's key).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum EntryKey {
    Func(FuncKey),
    /// The interface-call wrapper of `method` for dynamic type `desc`.
    Wrapper { desc: TypeKey, method: FuncKey, pointer_receiver: bool },
    /// The adapter through which a function used as a value is called.
    Adapter(FuncKey),
}

impl EntryKey {
    fn func(&self) -> &FuncKey {
        match self {
            EntryKey::Func(key) | EntryKey::Adapter(key) | EntryKey::Wrapper { method: key, .. } => key,
        }
    }

    /// A wrapper or adapter: it has no frame of its own, and what callees
    /// it takes in depends on whether the program reads frames
    /// (`crate::inline`).
    fn nameless(&self) -> bool {
        !matches!(self, EntryKey::Func(_))
    }
}

/// A defined type's package, name and type arguments.
type NamedKey = (Option<String>, String, Vec<TypeKey>);

/// One function's entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The post-lowering key (`function_cache::key`) of the IR it was
    /// compiled from, for `G2N_CACHE_VERIFY`.
    post_key: [u8; 32],
    base_srcloc: u32,
    /// Callers take in its body: it is lowered anyway.
    inlinable: bool,
    /// It reaches runtime.Callers or runtime.Stack (`crate::inline`).
    frame_reading: bool,
    /// The program it was compiled in read frames (which the inlining of
    /// a wrapper or adapter depends on).
    reads_frames: bool,
    /// Its external names, in the order of its IR's table.
    syms: Vec<Sym>,
    /// How many of `syms`, from the first, its own lowering referred to
    /// (in the order it did: a hit declares them so, as lowering would
    /// have); the rest came in with the bodies of callees.
    declared: u32,
    /// Cranelift's serialised compiled function (what its incremental
    /// cache stores), relocations by index into `syms`.
    code: Vec<u8>,
    /// A function's parameter summaries from escape analysis (`None` for
    /// a wrapper or adapter): what it does with pointers depends on its
    /// own and its callees' code alone, all the library's, so a warm build
    /// need not walk it (`crate::escape::plan_with`).
    escape: Option<Vec<crate::escape::ParamSummary>>,
}

/// The pack file's contents: every entry of one pack key.
#[derive(Default, Serialize, Deserialize)]
struct Pack {
    entries: BTreeMap<EntryKey, Entry>,
}

/// A function defined from its entry, without IR.
pub(crate) struct Hit {
    /// An empty function whose table of external names is the entry's,
    /// renamed into this module (what Cranelift applies the code to); the
    /// names of `tail` are added by [`UnitPrekeys::complete_hits`].
    pub stub: Function,
    /// The entry's names that came in with callees' bodies, still to add.
    tail: Option<Vec<Resolved>>,
    pub code: Vec<u8>,
    pub frame_reading: bool,
    /// Small enough for callers to take in its body: lowered after all
    /// when a lowered function calls it ([`inlinable_hits_called`]).
    pub inlinable: bool,
    /// What it is, to lower it after all.
    pub(super) kind: FunctionKind,
    /// Compiled in a program that read frames (for a wrapper or adapter:
    /// `None` for a function, whose inlining does not depend on it).
    nameless_reads_frames: Option<bool>,
}

/// The functions taken from the cache whose bodies a lowered function may
/// take in: those small enough that a lowered function calls directly.
pub(super) fn inlinable_hits_called(lowered: &[(cranelift_module::FuncId, Function)], exchange: &Exchange) -> Vec<(cranelift_module::FuncId, FunctionKind)> {
    if !exchange.hits.values().any(|hit| hit.inlinable) {
        return Vec::new();
    }
    let mut needed = Vec::new();
    let mut seen = HashSet::new();
    for (id, func) in lowered {
        if exchange.hits.contains_key(id) {
            continue;
        }
        for (_, callee) in crate::inline::direct_callees(func) {
            let callee = cranelift_module::FuncId::from_u32(callee);
            if let Some(hit) = exchange.hits.get(&callee).filter(|hit| hit.inlinable)
                && seen.insert(callee)
            {
                needed.push((callee, hit.kind));
            }
        }
    }
    needed
}

/// What compiling a lowered function gave, for its entry.
pub(crate) struct Captured {
    pub post_key: [u8; 32],
    pub base_srcloc: u32,
    pub names: Vec<UserExternalName>,
    pub declared: usize,
    pub inlinable: bool,
    pub frame_reading: bool,
    pub reads_frames: bool,
    pub code: Vec<u8>,
}

/// What lower_unit and `crate::inline` exchange about pre-keyed functions.
#[derive(Default)]
pub(crate) struct Exchange {
    /// Boxed: a hit holds a whole (empty) `Function`, moved on every
    /// growth of the map otherwise (a third of `take`'s time).
    pub hits: HashMap<cranelift_module::FuncId, Box<Hit>>,
    /// Lowered functions whose entry is to be written or checked.
    pub capture: HashSet<cranelift_module::FuncId>,
    pub captured: HashMap<cranelift_module::FuncId, Captured>,
    /// How many names of each captured function's table its own lowering
    /// made (`crate::inline`, before inlining).
    pub declared: HashMap<cranelift_module::FuncId, usize>,
    /// The method-cache slots each function lowered or taken declared, in
    /// order (for [`Sym::Slot`]).
    pub slots_of: HashMap<cranelift_module::FuncId, Vec<DataId>>,
}

/// The pre-key cache of one unit.
pub(crate) struct UnitPrekeys {
    store: Arc<dyn PackStore>,
    pack_name: String,
    pack: Pack,
    verify: bool,
    /// Lowered functions to write (or check) an entry for, by module id.
    wanted: HashMap<cranelift_module::FuncId, EntryKey>,
    type_keys: HashMap<TypeId, Option<TypeKey>>,
    /// Each function's key ([`UnitPrekeys::func_key`]), computed once:
    /// `None` until [`UnitPrekeys::known_summaries`] fills it.
    keys: Option<Vec<Option<FuncKey>>>,
    /// Reverse maps, built on the first hit.
    funcs_by_key: Option<HashMap<FuncKey, Option<FuncId>>>,
    named_by_key: Option<HashMap<NamedKey, Option<TypeId>>>,
    globals_by_key: Option<HashMap<String, Option<LocalId>>>,
    /// Mismatches `G2N_CACHE_VERIFY` found.
    pub mismatches: Vec<String>,
    pub hits: usize,
}

/// Fed to the pack key's hash.
fn feed(bytes: &mut Vec<u8>, part: &[u8]) {
    bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
    bytes.extend_from_slice(part);
}

impl UnitPrekeys {
    /// The pre-key cache of a unit, or `None` when the build has no cache
    /// or no sources (the key hashes the library's text), does not inline
    /// (callers' inlining of cached bodies is recorded per entry), or
    /// prints its IR.
    pub(crate) fn open(mcx: &ModuleCtx<'_>, options: &crate::CodegenOptions, inline: bool, main_travels: bool) -> Option<UnitPrekeys> {
        use sha2::{Digest, Sha256};
        let cache = options.function_cache.as_ref()?;
        let store = cache.packs()?;
        let sources = options.sources.as_deref()?;
        // `--emit clif` shows every function's IR: none is skipped.
        if !inline || options.emit_clif {
            return None;
        }
        let isa = mcx.module.isa();
        let mut bytes = Vec::with_capacity(1 << 20);
        feed(&mut bytes, b"g2n prekey pack 4");
        feed(&mut bytes, &crate::function_cache::target_key(isa));
        let flags = [main_travels, mcx.reflect_loaded, mcx.reflect_calls, mcx.make_func_call.is_some(), mcx.split_units.is_some()];
        feed(&mut bytes, &flags.map(u8::from));
        let mut hasher = Sha256::new();
        hasher.update(&bytes);
        for (id, file) in sources.files() {
            if g2n_sema::stdlib::package_of_file(id).is_none() || g2n_sema::stdlib::is_module_file(id) {
                continue;
            }
            hasher.update((file.name.len() as u64).to_le_bytes());
            hasher.update(file.name.as_bytes());
            hasher.update((file.code.len() as u64).to_le_bytes());
            hasher.update(file.code.as_bytes());
        }
        let pack_name: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let pack = store
            .read(&pack_name)
            .and_then(|bytes| postcard::from_bytes::<Pack>(&bytes).ok())
            .unwrap_or_default();
        Some(UnitPrekeys {
            store,
            pack_name,
            pack,
            verify: cache.verify,
            wanted: HashMap::new(),
            type_keys: HashMap::new(),
            keys: None,
            funcs_by_key: None,
            named_by_key: None,
            globals_by_key: None,
            mismatches: Vec::new(),
            hits: 0,
        })
    }

    /// The key of a type, `None` for one that is the program's own or
    /// contains one (its meaning changes with the program).
    fn type_key(&mut self, types: &g2n_sema::types::Types, ty: TypeId) -> Option<TypeKey> {
        if let Some(key) = self.type_keys.get(&ty) {
            return key.clone();
        }
        let key = self.compute_type_key(types, ty);
        self.type_keys.insert(ty, key.clone());
        key
    }

    fn compute_type_key(&mut self, types: &g2n_sema::types::Types, ty: TypeId) -> Option<TypeKey> {
        let keys = |this: &mut Self, list: &[TypeId]| list.iter().map(|t| this.type_key(types, *t)).collect::<Option<Vec<_>>>();
        let boxed = |this: &mut Self, t: TypeId| this.type_key(types, t).map(Box::new);
        Some(match types.kind(ty).clone() {
            TypeKind::Named(index) => {
                let named = types.named.get(index as usize)?;
                // The program's own types, and those of its module.
                let package = named.package.clone()?;
                if g2n_sema::stdlib().is_module_package(&package) {
                    return None;
                }
                let args = match &named.instance_of {
                    Some((_, args)) => keys(self, args)?,
                    None => Vec::new(),
                };
                TypeKey::Named { package: Some(package), name: named.name.clone(), args }
            }
            TypeKind::Tuple(list) => TypeKey::Tuple(keys(self, &list)?),
            TypeKind::Func(sig) => TypeKey::Func { params: keys(self, &sig.params)?, results: keys(self, &sig.results)?, variadic: sig.variadic },
            TypeKind::Pointer(e) => TypeKey::Pointer(boxed(self, e)?),
            TypeKind::Slice(e) => TypeKey::Slice(boxed(self, e)?),
            TypeKind::Array(n, e) => TypeKey::Array(n, boxed(self, e)?),
            TypeKind::Map(k, v) => TypeKey::Map(boxed(self, k)?, boxed(self, v)?),
            TypeKind::Chan(dir, e) => {
                let dir = match dir {
                    g2n_sema::types::ChanDir::Both => 0,
                    g2n_sema::types::ChanDir::Send => 1,
                    g2n_sema::types::ChanDir::Recv => 2,
                };
                TypeKey::Chan(dir, boxed(self, e)?)
            }
            TypeKind::Struct(fields) => TypeKey::Struct(
                fields
                    .iter()
                    .map(|f| Some((f.name.clone(), self.type_key(types, f.ty)?, f.embedded, f.tag.clone())))
                    .collect::<Option<Vec<_>>>()?,
            ),
            TypeKind::Interface(methods) => TypeKey::Interface(
                methods.iter().map(|m| Some((m.name.clone(), self.type_key(types, m.sig)?))).collect::<Option<Vec<_>>>()?,
            ),
            // Kinds without parts have one fixed id each.
            _ => TypeKey::Basic(ty.0),
        })
    }

    /// The type of `key` in this program, if it names exactly one.
    fn resolve_type(&mut self, program: &hir::Program, key: &TypeKey) -> Option<TypeId> {
        let types = &program.types;
        let list = |this: &mut Self, keys: &[TypeKey]| keys.iter().map(|k| this.resolve_type(program, k)).collect::<Option<Vec<_>>>();
        let kind = match key {
            TypeKey::Basic(id) => {
                let ty = TypeId(*id);
                // Only a kind without parts has a fixed id.
                return (*id <= g2n_sema::types::Types::UNSAFE_POINTER.0 && types.lookup(types.kind(ty)) == Some(ty)).then_some(ty);
            }
            TypeKey::Named { package, name, args } => {
                if self.named_by_key.is_none() {
                    let mut map = HashMap::new();
                    for index in 0..types.named.len() {
                        let Some(ty) = types.lookup(&TypeKind::Named(index as u32)) else { continue };
                        if let Some(TypeKey::Named { package, name, args }) = self.type_key(types, ty) {
                            map.entry((package, name, args)).and_modify(|found| *found = None).or_insert(Some(ty));
                        }
                    }
                    self.named_by_key = Some(map);
                }
                let map = self.named_by_key.as_ref()?;
                return map.get(&(package.clone(), name.clone(), args.clone())).copied().flatten();
            }
            TypeKey::Tuple(keys) => TypeKind::Tuple(list(self, keys)?),
            TypeKey::Func { params, results, variadic } => {
                TypeKind::Func(g2n_sema::types::Signature { params: list(self, params)?, results: list(self, results)?, variadic: *variadic })
            }
            TypeKey::Pointer(e) => TypeKind::Pointer(self.resolve_type(program, e)?),
            TypeKey::Slice(e) => TypeKind::Slice(self.resolve_type(program, e)?),
            TypeKey::Array(n, e) => TypeKind::Array(*n, self.resolve_type(program, e)?),
            TypeKey::Map(k, v) => TypeKind::Map(self.resolve_type(program, k)?, self.resolve_type(program, v)?),
            TypeKey::Chan(dir, e) => {
                let dir = match dir {
                    0 => g2n_sema::types::ChanDir::Both,
                    1 => g2n_sema::types::ChanDir::Send,
                    _ => g2n_sema::types::ChanDir::Recv,
                };
                TypeKind::Chan(dir, self.resolve_type(program, e)?)
            }
            TypeKey::Struct(fields) => TypeKind::Struct(
                fields
                    .iter()
                    .map(|(name, ty, embedded, tag)| {
                        Some(g2n_sema::types::Field { name: name.clone(), ty: self.resolve_type(program, ty)?, embedded: *embedded, tag: tag.clone() })
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
            TypeKey::Interface(methods) => TypeKind::Interface(
                methods
                    .iter()
                    .map(|(name, sig)| Some(g2n_sema::types::InterfaceMethod { name: name.clone(), sig: self.resolve_type(program, sig)? }))
                    .collect::<Option<Vec<_>>>()?,
            ),
        };
        types.lookup(&kind)
    }

    /// The key of a function that any program names the same way: a
    /// library function whose signature has none of the program's types.
    fn func_key(&mut self, program: &hir::Program, sources: &g2n_base::SourceDb, func: FuncId) -> Option<FuncKey> {
        if let Some(keys) = &self.keys {
            return keys.get(func.index()).cloned().flatten();
        }
        self.compute_func_key(program, sources, func)
    }

    fn compute_func_key(&mut self, program: &hir::Program, sources: &g2n_base::SourceDb, func: FuncId) -> Option<FuncKey> {
        let f = program.func(func);
        let package = g2n_sema::stdlib::package_of_file(f.span.file)?;
        if g2n_sema::stdlib::is_module_file(f.span.file) {
            return None;
        }
        let mut params = Vec::with_capacity(f.params.len());
        for param in &f.params {
            params.push(self.type_key(&program.types, program.local(*param).ty)?);
        }
        let mut results = Vec::with_capacity(f.results.len());
        for result in &f.results {
            results.push(self.type_key(&program.types, *result)?);
        }
        Some(FuncKey {
            package: package.to_string(),
            file: sources.name(f.span.file).to_string(),
            start: f.span.start,
            end: f.span.end,
            name: f.name.clone(),
            params,
            results,
        })
    }

    /// Every function's key, and the escape summaries the pack has for
    /// this program's functions (those eligible, and checked: an unchecked
    /// body is empty, and walked as it is). None under `G2N_CACHE_VERIFY`,
    /// which analyses every function and compares at the end.
    pub(crate) fn known_summaries(
        &mut self,
        program: &hir::Program,
        sources: &g2n_base::SourceDb,
        promoted: &std::collections::HashSet<u32>,
    ) -> HashMap<FuncId, Vec<crate::escape::ParamSummary>> {
        let keys: Vec<Option<FuncKey>> = (0..program.funcs.len()).map(|index| self.compute_func_key(program, sources, FuncId(index as u32))).collect();
        self.keys = Some(keys);
        let mut known = HashMap::new();
        if self.verify || self.pack.entries.is_empty() {
            return known;
        }
        for index in 0..program.funcs.len() {
            let func = FuncId(index as u32);
            if program.unchecked.contains(&func) {
                continue;
            }
            let Some(key) = self.eligible(program, sources, promoted, func) else { continue };
            if let Some(Entry { escape: Some(summary), .. }) = self.pack.entries.get(&EntryKey::Func(key)) {
                known.insert(func, summary.clone());
            }
        }
        known
    }

    /// The key under which `func`'s code may be cached before lowering it,
    /// `None` for a function that must be lowered to be keyed.
    pub(crate) fn eligible(
        &mut self,
        program: &hir::Program,
        sources: &g2n_base::SourceDb,
        promoted: &std::collections::HashSet<u32>,
        func: FuncId,
    ) -> Option<FuncKey> {
        let f = program.func(func);
        // Generic instances (their bodies depend on the type arguments),
        // sema's promoted-method wrappers, `main`.
        if f.name.contains('[') || promoted.contains(&func.0) || Some(func) == program.main || program.unbound.contains_key(&func) {
            return None;
        }
        let key = self.func_key(program, sources, func)?;
        // A method of a generic type's instance is named without its type
        // arguments; its receiver has them, and must have none of the
        // program's (func_key refused those): still, an instance's body
        // follows the instance, so only non-instance receivers qualify.
        let instance = |k: &TypeKey| {
            let k = match k {
                TypeKey::Pointer(inner) => inner.as_ref(),
                other => other,
            };
            matches!(k, TypeKey::Named { args, .. } if !args.is_empty())
        };
        if key.params.first().is_some_and(instance) {
            return None;
        }
        Some(key)
    }

    /// The key under which the code of `kind` may be cached before
    /// lowering it: a function's, or a wrapper's or adapter's of an
    /// eligible function (and, for a wrapper, a dynamic type every program
    /// names the same way).
    pub(super) fn key_of(
        &mut self,
        program: &hir::Program,
        sources: &g2n_base::SourceDb,
        promoted: &std::collections::HashSet<u32>,
        kind: FunctionKind,
    ) -> Option<EntryKey> {
        Some(match kind {
            FunctionKind::Plain(func) => EntryKey::Func(self.eligible(program, sources, promoted, func)?),
            FunctionKind::FuncValueAdapter(func) => EntryKey::Adapter(self.eligible(program, sources, promoted, func)?),
            FunctionKind::Wrapper { desc_ty, method, pointer_receiver } => EntryKey::Wrapper {
                desc: self.type_key(&program.types, desc_ty)?,
                method: self.eligible(program, sources, promoted, method)?,
                pointer_receiver,
            },
            FunctionKind::Entry | FunctionKind::ReflectCallAdapter(_) | FunctionKind::MakeFuncStub(_) => return None,
        })
    }

    /// Whether `func` (already found eligible with `key`) is taken from the
    /// cache: then its symbols are declared in this module (queuing what
    /// they need) and `exchange` gets its code. Otherwise it is to be
    /// lowered, and its entry written (or checked) after compilation.
    pub(super) fn take(
        &mut self,
        mcx: &mut ModuleCtx<'_>,
        program: &hir::Program,
        sources: &g2n_base::SourceDb,
        id: cranelift_module::FuncId,
        kind: FunctionKind,
        key: EntryKey,
        exchange: &mut Exchange,
    ) -> Result<bool, CodegenError> {
        let Some(entry) = self.pack.entries.get(&key).cloned() else {
            self.wanted.insert(id, key);
            exchange.capture.insert(id);
            return Ok(false);
        };
        if self.verify {
            self.wanted.insert(id, key);
            exchange.capture.insert(id);
            return Ok(false);
        }
        // Every symbol found first, so that an entry that cannot be used
        // declares nothing.
        let mut plan: Vec<Resolved> = Vec::with_capacity(entry.syms.len());
        for sym in &entry.syms {
            let Some(step) = self.resolve(mcx, program, sources, sym) else {
                self.wanted.insert(id, key);
                exchange.capture.insert(id);
                return Ok(false);
            };
            plan.push(step);
        }
        let mut stub = Function::new();
        if entry.base_srcloc != SourceLoc::default().bits() {
            stub.params.ensure_base_srcloc(SourceLoc::new(entry.base_srcloc));
        }
        // What its lowering would declare, in the order it would: the
        // object comes out the same as a build that lowers it.
        let tail = plan.split_off((entry.declared as usize).min(plan.len()));
        for step in plan {
            add_name(mcx, program, &mut stub, step, &key.func().name, None)?;
        }
        self.hits += 1;
        let nameless_reads_frames = key.nameless().then_some(entry.reads_frames);
        let hit = Hit { stub, tail: Some(tail), code: entry.code, frame_reading: entry.frame_reading, inlinable: entry.inlinable, kind, nameless_reads_frames };
        exchange.hits.insert(id, Box::new(hit));
        Ok(true)
    }

    /// After lowering: adds to each function taken from the cache (in
    /// the object's order) the names its code took in with callees' bodies.
    /// Those were declared by the callees, lowered or taken; a hit naming
    /// a slot that is not there, and a wrapper or adapter from a program
    /// that differed in reading frames, is returned, to be lowered after
    /// all. Runs each time lowering runs out of work, over every hit.
    pub(super) fn complete_hits(
        &mut self,
        mcx: &mut ModuleCtx<'_>,
        program: &hir::Program,
        order: &[(cranelift_module::FuncId, Function)],
        exchange: &mut Exchange,
    ) -> Result<Vec<(cranelift_module::FuncId, FunctionKind)>, CodegenError> {
        let mut failed = Vec::new();
        // As `crate::inline` will find: a FRAME_READING function declared,
        // or a function taken that reaches one.
        let reads_frames = crate::inline::FRAME_READING.iter().any(|name| mcx.module.get_name(name).is_some())
            || exchange.hits.values().any(|hit| hit.frame_reading);
        for (id, _) in order {
            let Some(hit) = exchange.hits.get_mut(id) else { continue };
            if hit.nameless_reads_frames.is_some_and(|then| then != reads_frames) {
                hit.tail = None;
                failed.push((*id, hit.kind));
                continue;
            }
            let Some(tail) = hit.tail.take() else { continue };
            let mut stub = hit.stub.clone();
            let mut complete = true;
            let who = mcx.module.declarations().get_function_decl(*id).name.clone().unwrap_or_default();
            for step in tail {
                if !add_name(mcx, program, &mut stub, step, &who, Some(&exchange.slots_of))? {
                    complete = false;
                    break;
                }
            }
            if complete {
                hit.stub = stub;
            } else {
                failed.push((*id, hit.kind));
            }
        }
        Ok(failed)
    }

    fn resolve(&mut self, mcx: &ModuleCtx<'_>, program: &hir::Program, sources: &g2n_base::SourceDb, sym: &Sym) -> Option<Resolved> {
        Some(match sym {
            Sym::Import { name, sig } => Resolved::Import(name.clone(), sig.clone()),
            Sym::Func(key) => Resolved::Func(self.resolve_func(program, sources, key)?),
            Sym::FuncValue(key) => Resolved::FuncValue(self.resolve_func(program, sources, key)?),
            Sym::Str(bytes) => Resolved::Str(bytes.clone()),
            Sym::Desc(key) => Resolved::Desc(self.resolve_type(program, key)?),
            Sym::Global(key) => {
                if self.globals_by_key.is_none() {
                    let mut map = HashMap::new();
                    for (local, _) in &program.global_inits {
                        if let Some(key) = global_key(program, sources, *local) {
                            map.entry(key).and_modify(|found| *found = None).or_insert(Some(*local));
                        }
                    }
                    self.globals_by_key = Some(map);
                }
                let local = self.globals_by_key.as_ref()?.get(key).copied().flatten()?;
                // Every package-level variable is declared up front (`define_globals`).
                Resolved::Global(*mcx.globals.get(&local)?)
            }
            Sym::Slot { owner, ordinal } => Resolved::Slot(self.resolve_func(program, sources, owner)?, *ordinal),
        })
    }

    fn resolve_func(&mut self, program: &hir::Program, sources: &g2n_base::SourceDb, key: &FuncKey) -> Option<FuncId> {
        if self.funcs_by_key.is_none() {
            let mut map = HashMap::with_capacity(program.funcs.len());
            for index in 0..program.funcs.len() {
                let func = FuncId(index as u32);
                if let Some(key) = self.func_key(program, sources, func) {
                    map.entry(key).and_modify(|found| *found = None).or_insert(Some(func));
                }
            }
            self.funcs_by_key = Some(map);
        }
        self.funcs_by_key.as_ref()?.get(key).copied().flatten()
    }

    /// After compilation: writes the entries of the functions lowered
    /// (those whose every symbol has a stable meaning), and under
    /// `G2N_CACHE_VERIFY` compares those that had one.
    pub(crate) fn finish(mut self, mcx: &ModuleCtx<'_>, program: &hir::Program, sources: &g2n_base::SourceDb, exchange: &mut Exchange) -> (usize, Vec<String>) {
        let reverse = Reverse::of(mcx, exchange);
        let mut added = 0;
        let wanted = std::mem::take(&mut self.wanted);
        for (id, key) in wanted {
            let Some(captured) = exchange.captured.remove(&id) else { continue };
            let mut syms = Vec::with_capacity(captured.names.len());
            for name in &captured.names {
                match self.sym_of(mcx, program, sources, &reverse, name) {
                    Some(sym) => syms.push(sym),
                    None => break,
                }
            }
            if syms.len() != captured.names.len() {
                continue;
            }
            let escape = match &key {
                EntryKey::Func(_) => match reverse.funcs.get(&id).and_then(|func| mcx.stack.summary(*func)) {
                    Some(summary) => Some(summary.clone()),
                    None => continue,
                },
                EntryKey::Wrapper { .. } | EntryKey::Adapter(_) => None,
            };
            let entry = Entry {
                escape,
                post_key: captured.post_key,
                base_srcloc: captured.base_srcloc,
                declared: captured.declared as u32,
                inlinable: captured.inlinable,
                frame_reading: captured.frame_reading,
                reads_frames: captured.reads_frames,
                syms,
                code: captured.code,
            };
            match self.pack.entries.get(&key) {
                Some(old) if self.verify => {
                    let differs = [
                        (old.post_key != entry.post_key).then_some("the lowered IR"),
                        (old.syms != entry.syms || old.declared != entry.declared).then_some("the symbols"),
                        (old.inlinable != entry.inlinable || old.frame_reading != entry.frame_reading || old.reads_frames != entry.reads_frames)
                            .then_some("the inlining flags"),
                        (old.base_srcloc != entry.base_srcloc).then_some("the source location"),
                        (old.escape != entry.escape).then_some("the escape summary"),
                    ];
                    let differs: Vec<&str> = differs.into_iter().flatten().collect();
                    if !differs.is_empty() {
                        let func = key.func();
                        let what = match &key {
                            EntryKey::Func(_) => "",
                            EntryKey::Wrapper { .. } => " (its method wrapper)",
                            EntryKey::Adapter(_) => " (its func-value adapter)",
                        };
                        self.mismatches.push(format!("{}.{}{what} ({}:{}): {}", func.package, func.name, func.file, func.start, differs.join(", ")));
                    }
                }
                Some(_) => {}
                None => {
                    self.pack.entries.insert(key, entry);
                    added += 1;
                }
            }
        }
        if added > 0
            && let Ok(bytes) = postcard::to_allocvec(&self.pack)
        {
            self.store.write(&self.pack_name, &bytes);
        }
        (self.hits, std::mem::take(&mut self.mismatches))
    }

    fn sym_of(&mut self, mcx: &ModuleCtx<'_>, program: &hir::Program, sources: &g2n_base::SourceDb, reverse: &Reverse, name: &UserExternalName) -> Option<Sym> {
        let decls = mcx.module.declarations();
        if name.namespace == 0 {
            let id = cranelift_module::FuncId::from_u32(name.index);
            let decl = decls.get_function_decl(id);
            if decl.linkage == Linkage::Import {
                return Some(Sym::Import { name: decl.name.clone()?, sig: decl.signature.clone() });
            }
            let func = *reverse.funcs.get(&id)?;
            return Some(Sym::Func(self.func_key(program, sources, func)?));
        }
        let id = DataId::from_u32(name.index);
        if let Some(bytes) = reverse.strings.get(&id) {
            return Some(Sym::Str(bytes.to_vec()));
        }
        if let Some(ty) = reverse.descs.get(&id) {
            return Some(Sym::Desc(self.type_key(&program.types, *ty)?));
        }
        if let Some(local) = reverse.globals.get(&id) {
            return Some(Sym::Global(global_key(program, sources, *local)?));
        }
        if let Some(func) = reverse.func_values.get(&id) {
            return Some(Sym::FuncValue(self.func_key(program, sources, *func)?));
        }
        // The only anonymous data lowering makes: method-cache slots.
        let (owner, ordinal) = reverse.slots.get(&id)?;
        let owner = *reverse.funcs.get(owner)?;
        Some(Sym::Slot { owner: self.func_key(program, sources, owner)?, ordinal: *ordinal })
    }
}

/// Adds the name of `step` to `stub`'s table, declaring it in the module
/// as lowering would (queuing what it needs). A slot is the function's own
/// (a fresh one) while `slots` is `None`, else a callee's: `false` when the
/// callee declared no such slot.
fn add_name(
    mcx: &mut ModuleCtx<'_>,
    program: &hir::Program,
    stub: &mut Function,
    step: Resolved,
    who: &str,
    slots: Option<&HashMap<cranelift_module::FuncId, Vec<DataId>>>,
) -> Result<bool, CodegenError> {
    let name = match step {
        Resolved::Import(name, sig) => {
            let id = match mcx.module.get_name(&name) {
                Some(cranelift_module::FuncOrDataId::Func(id)) => id,
                _ => mcx.module.declare_function(&name, Linkage::Import, &sig).map_err(backend)?,
            };
            UserExternalName { namespace: 0, index: id.as_u32() }
        }
        Resolved::Func(func) => UserExternalName { namespace: 0, index: mcx.declare_plain_func(program, func)?.as_u32() },
        Resolved::Str(bytes) => UserExternalName { namespace: 1, index: mcx.string_data(&bytes)?.as_u32() },
        Resolved::Desc(ty) => UserExternalName { namespace: 1, index: mcx.desc_id(ty)?.as_u32() },
        Resolved::Global(data) => UserExternalName { namespace: 1, index: data.as_u32() },
        Resolved::FuncValue(func) => {
            mcx.declare_plain_func(program, func)?;
            UserExternalName { namespace: 1, index: mcx.func_value_object(program, func)?.as_u32() }
        }
        Resolved::Slot(owner, ordinal) => {
            let slot = match slots {
                None => {
                    let slot = mcx.method_cache_slot()?;
                    mcx.method_slots.push(slot);
                    slot
                }
                Some(slots) => {
                    let found = mcx.funcs.get(owner.index()).copied().flatten().and_then(|id| slots.get(&id)).and_then(|list| list.get(ordinal as usize));
                    match found {
                        Some(slot) => *slot,
                        None => return Ok(false),
                    }
                }
            };
            UserExternalName { namespace: 1, index: slot.as_u32() }
        }
    };
    // Two symbols of the entry that are one thing here: the code's
    // relocations would not match; such an entry is a bug.
    let index = stub.params.user_named_funcs().len();
    if stub.params.ensure_user_func_name(name).as_u32() as usize != index {
        return Err(backend(format!("build cache: an entry of {who} names one symbol twice")));
    }
    Ok(true)
}

/// What a [`Sym`] is in this program.
enum Resolved {
    Import(String, Signature),
    Func(FuncId),
    Str(Vec<u8>),
    Desc(TypeId),
    Global(DataId),
    FuncValue(FuncId),
    /// The `.1`th method-cache slot of function `.0`.
    Slot(FuncId, u32),
}

/// A package-level variable, as every program that has it names it: its
/// package, file, declaration's span and name.
fn global_key(program: &hir::Program, sources: &g2n_base::SourceDb, local: LocalId) -> Option<String> {
    let l = program.local(local);
    let package = g2n_sema::stdlib::package_of_file(l.span.file)?;
    if g2n_sema::stdlib::is_module_file(l.span.file) {
        return None;
    }
    Some(format!("{package}\0{}\0{}\0{}\0{}", sources.name(l.span.file), l.span.start, l.span.end, l.name))
}

/// What each module symbol of this unit stands for.
struct Reverse {
    funcs: HashMap<cranelift_module::FuncId, FuncId>,
    strings: HashMap<DataId, Vec<u8>>,
    descs: HashMap<DataId, TypeId>,
    globals: HashMap<DataId, LocalId>,
    func_values: HashMap<DataId, FuncId>,
    /// Method-cache slots: the function that declared each, and which of
    /// its slots it is.
    slots: HashMap<DataId, (cranelift_module::FuncId, u32)>,
}

impl Reverse {
    fn of(mcx: &ModuleCtx<'_>, exchange: &Exchange) -> Reverse {
        let mut slots = HashMap::new();
        for (func, list) in &exchange.slots_of {
            for (ordinal, slot) in list.iter().enumerate() {
                slots.insert(*slot, (*func, ordinal as u32));
            }
        }
        Reverse {
            slots,
            funcs: mcx.funcs.iter().enumerate().filter_map(|(index, id)| Some(((*id)?, FuncId(index as u32)))).collect(),
            strings: mcx.strings.iter().map(|(bytes, id)| (*id, bytes.clone())).collect(),
            descs: mcx.descs.iter().map(|(ty, id)| (*id, *ty)).collect(),
            globals: mcx.globals.iter().map(|(local, id)| (*id, *local)).collect(),
            func_values: mcx.func_values.iter().map(|(func, id)| (*id, *func)).collect(),
        }
    }
}
