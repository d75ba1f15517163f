//! The registry: what the receiver knows of its own program, by name, filled
//! once from the program table generated C `main` registers.

use super::library_vars::{LibraryVar, slots_of};
use crate::types::{self, Desc, name};
use g2n_abi::{FuncEntry, GlobalEntry, GoString, ProgramTable, TypeDesc, TypeEntry};
use std::collections::HashMap;
use std::cell::Cell;
use std::sync::{Mutex, OnceLock};

pub(super) struct FuncInfo {
    pub(super) name: &'static [u8],
    pub(super) code: usize,
    pub(super) object: usize,
    pub(super) signature: &'static [u8],
    pub(super) captures: Vec<usize>,
}

pub(super) struct GlobalInfo {
    pub(super) name: &'static [u8],
    pub(super) addr: usize,
    pub(super) desc: usize,
}

/// What the receiver knows of its own program, by name.
#[derive(Default)]
pub struct Registry {
    pub(super) types: HashMap<&'static [u8], usize>,
    /// Every descriptor of the program table, in its order (reflect's
    /// PointerTo and SliceOf look for the program's own).
    descs: Vec<usize>,
    wire_names: HashMap<usize, &'static [u8]>,
    underlying: HashMap<usize, &'static [u8]>,
    pub(super) funcs: Vec<FuncInfo>,
    pub(super) func_by_name: HashMap<&'static [u8], usize>,
    pub(super) func_by_code: HashMap<usize, usize>,
    pub(super) func_by_object: HashMap<usize, usize>,
    /// Sorted by address.
    pub(super) globals: Vec<GlobalInfo>,
    pub(super) global_by_name: HashMap<&'static [u8], usize>,
    /// Library variables that do not travel, and the objects they may hold.
    pub(super) library_vars: Vec<LibraryVar>,
    pub(super) library_var_by_name: HashMap<&'static [u8], usize>,
    /// Those of `library_vars` that are not fixed.
    pub(super) changing_library_vars: Vec<usize>,
}

/// The process's one registered program table (its address), and its
/// registry, built when a scope graph, reflect or a wire name first needs it:
/// a program that never hops or reflects should not hash every function and
/// type name of the library before `main` (about a fifth of a hello world's
/// start-up).
static TABLE: OnceLock<usize> = OnceLock::new();
static REGISTRY: OnceLock<Registry> = OnceLock::new();

pub(super) fn desc(addr: usize) -> Desc {
    // SAFETY: registry addresses are static descriptors by the ABI.
    unsafe { &*(addr as *const TypeDesc) }
}

pub(super) fn addr_of(d: Desc) -> usize {
    d as *const TypeDesc as usize
}

fn static_str(s: GoString) -> &'static [u8] {
    types::go_str(s)
}

unsafe fn table<'a, T>(ptr: *const T, n: u64) -> &'a [T] {
    if ptr.is_null() || n == 0 {
        return &[];
    }
    // SAFETY: guaranteed by the caller (the ABI).
    unsafe { std::slice::from_raw_parts(ptr, n as usize) }
}

rt_export! { REGISTER_PROGRAM =>
/// Registers the program's tables (once per process; later calls are ignored).
///
/// # Safety
/// `t` must point to a [`ProgramTable`] whose arrays and descriptors are static.
pub unsafe extern "C" fn g2n_register_program(t: *const ProgramTable) {
    if t.is_null() {
        return;
    }
    let _ = TABLE.set(t as usize);
}
}

impl Registry {
    /// What a program table names.
    ///
    /// # Safety
    /// The table's arrays and descriptors must be static (the executable's data).
    unsafe fn of_table(t: &ProgramTable) -> Registry {
        let mut r = Registry::default();
        // SAFETY: static arrays by the ABI.
        let type_entries: &[TypeEntry] = unsafe { table(t.types, t.ntypes) };
        for e in type_entries {
            if e.desc.is_null() {
                continue;
            }
            let d = e.desc as usize;
            r.descs.push(d);
            let wire = static_str(e.wire_name);
            r.types.entry(wire).or_insert(d);
            r.wire_names.insert(d, wire);
            r.underlying.insert(d, static_str(e.underlying));
        }
        for (name, d) in crate::stdlib::runtime_made_types() {
            let d = d as *const TypeDesc as usize;
            r.types.entry(name.as_bytes()).or_insert(d);
            r.wire_names.entry(d).or_insert(name.as_bytes());
            r.underlying.entry(d).or_insert(name.as_bytes());
        }
        // SAFETY: as above.
        let func_entries: &[FuncEntry] = unsafe { table(t.funcs, t.nfuncs) };
        for e in func_entries {
            // SAFETY: as above.
            let captures = unsafe { table(e.captures, e.ncaptures) }.iter().map(|d| *d as usize).collect();
            let index = r.funcs.len();
            let info = FuncInfo {
                name: static_str(e.name),
                code: e.code as usize,
                object: e.object as usize,
                signature: static_str(e.signature),
                captures,
            };
            r.func_by_name.insert(info.name, index);
            if info.code != 0 {
                r.func_by_code.insert(info.code, index);
            }
            if info.object != 0 {
                r.func_by_object.insert(info.object, index);
            }
            r.funcs.push(info);
        }
        // SAFETY: as above.
        let global_entries: &[GlobalEntry] = unsafe { table(t.globals, t.nglobals) };
        let mut globals: Vec<GlobalInfo> = global_entries
            .iter()
            .filter(|g| !g.desc.is_null() && !g.addr.is_null())
            .map(|g| GlobalInfo { name: static_str(g.name), addr: g.addr as usize, desc: g.desc as usize })
            .collect();
        globals.sort_by_key(|g| g.addr);
        for (i, g) in globals.iter().enumerate() {
            r.global_by_name.insert(g.name, i);
        }
        r.globals = globals;
        // SAFETY: as above.
        let library_entries: &[GlobalEntry] = unsafe { table(t.library_vars, t.nlibrary_vars) };
        for (i, g) in library_entries.iter().enumerate().filter(|(_, g)| !g.desc.is_null() && !g.addr.is_null()) {
            let slots = slots_of(desc(g.desc as usize));
            if slots.is_empty() {
                continue;
            }
            r.library_var_by_name.insert(static_str(g.name), r.library_vars.len());
            let fixed = (i as u64) < t.library_vars_fixed;
            if !fixed {
                r.changing_library_vars.push(r.library_vars.len());
            }
            r.library_vars.push(LibraryVar { name: static_str(g.name), addr: g.addr as usize, slots, fixed });
        }
        r
    }
}

/// The registries of an executable that holds several separately compiled
/// configs, each its own program (`g2n_rt_main_mesh`): built when a config
/// first runs or receives a scope, by its program table's address, and kept
/// for the life of the process.
static PROGRAMS: Mutex<Option<HashMap<usize, &'static Registry>>> = Mutex::new(None);

thread_local! {
    /// The program table the current thread runs (or checks a scope for;
    /// 0: the process's one program), and its registry once a scope graph
    /// needed it: most steps send only plain values, and a host of tens of
    /// thousands of configs should not build a registry for each.
    static CURRENT: Cell<(usize, Option<&'static Registry>)> = const { Cell::new((0, None)) };
}

/// The registry of the program table at `program`, built once.
fn program_registry(program: usize) -> &'static Registry {
    let mut programs = PROGRAMS.lock().unwrap_or_else(|e| e.into_inner());
    let programs = programs.get_or_insert_with(HashMap::new);
    programs.entry(program).or_insert_with(|| {
        // SAFETY: a non-zero program is a static program table compiled
        // into the executable (`MeshUnitRecord::program`).
        let registry = crate::ffi::guard(|| unsafe { Registry::of_table(&*(program as *const ProgramTable)) });
        Box::leak(Box::new(registry))
    })
}

/// Makes the scope graphs of this thread use the program at `program` (a
/// `ProgramTable`'s address; 0: the process's one registered program).
/// Set before a config's code runs and before a scope is checked for it,
/// so that a hop between two configs of one host encodes with the
/// sender's names and checks and decodes with the receiver's, exactly as
/// between two processes.
pub fn use_program(program: usize) {
    CURRENT.with(|c| {
        if c.get().0 != program {
            c.set((program, None));
        }
    });
}

/// Runs `f` with the program at `program` in use, then restores the one in
/// use before.
pub fn with_program<R>(program: usize, f: impl FnOnce() -> R) -> R {
    let before = CURRENT.with(Cell::get);
    use_program(program);
    let result = f();
    CURRENT.with(|c| c.set(before));
    result
}

pub(super) fn registry() -> &'static Registry {
    let (program, cached) = CURRENT.with(Cell::get);
    if let Some(registry) = cached {
        return registry;
    }
    if program != 0 {
        let registry = program_registry(program);
        CURRENT.with(|c| c.set((program, Some(registry))));
        return registry;
    }
    let Some(&table) = TABLE.get() else {
        // Nothing registered yet (the runtime's own tests): empty, and not
        // kept, so that a registration after this still counts.
        static EMPTY: OnceLock<Registry> = OnceLock::new();
        return EMPTY.get_or_init(Registry::default);
    };
    // SAFETY: `g2n_register_program`'s caller guarantees a static table.
    REGISTRY.get_or_init(|| crate::ffi::guard(|| unsafe { Registry::of_table(&*(table as *const ProgramTable)) }))
}

/// The receiver's descriptor of a type named on the wire or in its unit
/// descriptor.
pub fn resolve_type(type_name: &[u8]) -> Option<Desc> {
    registry().types.get(type_name).map(|d| desc(*d))
}

pub(super) fn same_type(a: Desc, b: Desc) -> bool {
    std::ptr::eq(a, b) || (a.kind == b.kind && a.size == b.size && wire_name(a) == wire_name(b))
}

/// The descriptors of the program in use, in its table's order.
pub fn program_descs() -> &'static [usize] {
    &registry().descs
}

/// The name a type travels under (unique in the program).
pub fn wire_name(d: Desc) -> &'static [u8] {
    registry().wire_names.get(&addr_of(d)).copied().unwrap_or_else(|| name(d))
}

pub(super) fn underlying_name(d: Desc) -> &'static [u8] {
    registry().underlying.get(&addr_of(d)).copied().unwrap_or_else(|| name(d))
}
