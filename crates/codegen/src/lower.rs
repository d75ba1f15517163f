//! Lowering of one unit's functions: `func main` becomes `g2n_unit_entry`,
//! every other function a local function of the object.
//!
//! Every HIR local becomes one Cranelift variable per machine word of its Go
//! type, so values stay in SSA registers; Cranelift's SSA construction inserts
//! the block parameters.
//!
//! This file drives a unit (declarations, the order functions are lowered
//! in, the program table) and holds the per-function `Lowerer`; its methods
//! live in the submodules by concern: `layout` (machine words of a type),
//! `locals`, `memory`, `calls`, `frames` (function bodies, defer frames),
//! `hop` (everything about `goToNetwork`), `statements`, `expressions`,
//! `builtins`, `arithmetic`, `slices`, `maps`, `chan`, and `rtti` (type
//! descriptors, interfaces, the program table).

use crate::errors::CodegenError;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockArg, FuncRef, Function, InstBuilder, MemFlagsData, Signature, StackSlotData,
    StackSlotKind, TrapCode, Type, UserFuncName, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_module::{DataDescription, DataId, Linkage, Module};
use cranelift_object::ObjectModule;
use g2n_abi::symbols::{self, AbiType, Extension, RtFn};
use g2n_abi::TypeTag;
use g2n_base::Span;
use g2n_sema::hir::{self, ConstValue, ExprId, ExprKind, FuncId, Intrinsic, LocalId, StmtKind};
use g2n_sema::types::{TypeId, TypeKind};
use g2n_split::{GraphSlot, UnitPlan, VarSource};
use std::collections::{BTreeMap, HashMap};

mod arithmetic;
mod builtins;
mod calls;
mod chan;
mod expressions;
mod frames;
mod hop;
mod layout;
mod locals;
mod maps;
mod memory;
mod library_vars;
pub(crate) mod prekey;
mod reflect_call;
mod rtti;
mod slices;
mod statements;
mod static_data;
mod strings;

pub(crate) use calls::{runtime_signature, std_call_words};
use layout::{Class, parts_of};

/// Bytes of one [`g2n_abi::GoAny`].
const ANY_SIZE: u32 = std::mem::size_of::<g2n_abi::GoAny>() as u32;

/// Objects shared by every function of one unit.
pub(crate) struct ModuleCtx<'m> {
    pub(crate) module: &'m mut ObjectModule,
    /// What escape analysis lets live in stack frames.
    stack: crate::escape::StackPlan,
    /// Which `go` statements start goroutines with bounded calls.
    stack_classes: crate::stack_class::StackClasses,
    /// Index expressions proven in range (`bounds`): no bounds check. Found
    /// for each function when it is first lowered (`bounds_walked`).
    unchecked_indexes: std::collections::HashSet<ExprId>,
    bounds_walked: std::collections::HashSet<FuncId>,
    strings: HashMap<Vec<u8>, DataId>,
    /// The Cranelift function of each HIR function, `None` until something
    /// refers to it (`Lowerer::declared_func`) and always for `main`, whose
    /// body lives in the unit entry unless something calls it.
    funcs: Vec<Option<cranelift_module::FuncId>>,
    /// Functions declared on first reference and not lowered yet: only
    /// functions reachable from the unit entry are compiled, so a program
    /// pays for the functions of a package it calls, not for the package.
    pending_funcs: Vec<FuncId>,
    /// Package-level variables: one data object each, zeroed or holding the
    /// initial value (`static_data`).
    globals: HashMap<LocalId, DataId>,
    /// Package-level variables whose data holds their initial value: the
    /// unit entry does not initialise them.
    static_globals: static_data::StaticGlobals,
    /// Names of the data objects of initial values, for their text form.
    data_names: HashMap<DataId, String>,
    clif: Option<String>,
    /// Type descriptors by type; those declared but not defined yet.
    descs: HashMap<TypeId, DataId>,
    pending_descs: Vec<TypeId>,
    pending_wrappers: Vec<rtti::PendingWrapper>,
    /// Declared functions used as values: a static closure object each, and
    /// the adapter (taking a closure object first) it points to.
    func_values: HashMap<FuncId, DataId>,
    pending_func_values: Vec<(FuncId, cranelift_module::FuncId)>,
    /// For one object serving every nanoservice of a split program: each
    /// nanoservice's index in the unit table, by name (docs/split.md).
    split_units: Option<std::rc::Rc<HashMap<String, usize>>>,
    /// Prepended to every symbol the unit defines, so that separately
    /// compiled configs can share one object or one executable (empty for
    /// an executable of one config or of a split program).
    symbol_prefix: String,
    /// The program loads package reflect: each defined type's descriptor
    /// brings its pointer type's (rtti.rs, `define_desc`).
    reflect_loaded: bool,
    /// Code outside reflect calls through it (`reflect_call`): func types'
    /// descriptors carry call adapters and `MakeFunc` stubs.
    reflect_calls: bool,
    /// reflect's `makeFuncCall`, which `MakeFunc` stubs call.
    make_func_call: Option<FuncId>,
    /// The names a method of a concrete type can be called by through its
    /// method table when code does not call through reflect
    /// (`hir::Program::interface_method_names`): other methods' entries get
    /// no wrapper, and sema leaves them unchecked.
    table_method_names: std::collections::HashSet<String>,
    /// The adapters of each func type (by underlying type), and those not
    /// lowered yet.
    reflect_adapters: HashMap<TypeId, (cranelift_module::FuncId, Option<cranelift_module::FuncId>)>,
    pending_reflect_calls: Vec<reflect_call::PendingReflectCall>,
    /// How many adapters have each (symbol-safe) type spelling.
    reflect_adapter_names: HashMap<String, u32>,
    /// Every interface call site's method-cache slot, in the order lowering
    /// (or a function taken from the cache, prekey.rs) declared them.
    method_slots: Vec<DataId>,
    /// Slots to use again, last first: a function taken from the cache and
    /// lowered after all keeps the slots its entry declared.
    reuse_slots: Vec<DataId>,
}

impl ModuleCtx<'_> {
    /// The symbol of something this unit defines.
    pub(crate) fn symbol(&self, name: &str) -> String {
        format!("{}{name}", self.symbol_prefix)
    }
}

/// What a Cranelift function being lowered stands for.
#[derive(Clone, Copy)]
enum FunctionKind {
    /// The unit entry: `func main` behind the resume-point dispatch.
    Entry,
    Plain(FuncId),
    /// An interface-call wrapper of a method for one dynamic type.
    Wrapper { desc_ty: TypeId, method: FuncId, pointer_receiver: bool },
    /// The adapter that lets a declared function be called as a value.
    FuncValueAdapter(FuncId),
    /// reflect's call adapter of a func type (`reflect_call`).
    ReflectCallAdapter(TypeId),
    /// reflect's `MakeFunc` stub of a func type (`reflect_call`).
    MakeFuncStub(TypeId),
}

/// The run-time name of a type (its descriptor's name), as unit descriptors
/// name the type of a graph variable.
pub(crate) fn graph_type_name(program: &hir::Program, ty: TypeId) -> String {
    rtti::wire_type_name(&program.types, ty)
}

fn signature_of(module: &ObjectModule, program: &hir::Program, func: &hir::Func) -> Result<Signature, CodegenError> {
    let mut sig = Signature::new(module.isa().default_call_conv());
    if func.captures.is_some() {
        // A closure's first parameter is its closure object.
        sig.params.push(AbiParam::new(types::I64));
    }
    for param in &func.params {
        let local = program.local(*param);
        let parts = parts_of(&program.types, local.ty).ok_or_else(|| unsupported("parameters of this type", local.span))?;
        sig.params.extend(parts.into_iter().map(AbiParam::new));
    }
    for result in &func.results {
        let parts = parts_of(&program.types, *result).ok_or_else(|| unsupported("results of this type", func.span))?;
        sig.returns.extend(parts.into_iter().map(AbiParam::new));
    }
    // The destination of each struct or array result, last (calls.rs).
    sig.params.extend(func.results.iter().filter(|r| program.types.is_aggregate(**r)).map(|_| AbiParam::new(types::I64)));
    Ok(sig)
}

/// Lowers every function of the unit, then inlines small callees into their
/// callers (when `inline`) and compiles them all; returns the unit entry's id
/// and the CLIF text (after inlining) when asked for.
pub(crate) fn lower_unit(
    module: &mut ObjectModule,
    unit: &UnitPlan,
    entry_sig: Signature,
    options: &crate::CodegenOptions,
    split_units: Option<HashMap<String, usize>>,
    inline: bool,
    symbol_prefix: &str,
) -> Result<LoweredUnit, CodegenError> {
    let started = std::time::Instant::now();
    let program = &unit.program;
    let backend = |e: cranelift_module::ModuleError| CodegenError::Backend { message: e.to_string() };
    let entry_name = format!("{symbol_prefix}{}", symbols::UNIT_ENTRY);
    let entry_id = module.declare_function(&entry_name, Linkage::Local, &entry_sig).map_err(backend)?;
    // The unit entry of a nanoservice that receives or sends a scope keeps
    // its locals in heap cells: the scope graph refers to them.
    let main_travels = !program.hops.is_empty() || !unit.exits.is_empty() || unit.entries.len() > 1 || unit.entries.iter().any(|e| !e.vars.is_empty());
    // Function literals are declared (and compiled) whether or not lowered
    // code reaches them: the program table lists each by name, for closures
    // that travel at a hop. Other functions are declared when first used,
    // and so are the library's literals in a unit that no scope enters or
    // leaves (no closure arrives that its own code did not make): hello
    // world does not compile io's pipe and sync's locks for their closures.
    let mut funcs = vec![None; program.funcs.len()];
    let mut pending_funcs = Vec::new();
    for (index, func) in program.funcs.iter().enumerate() {
        if Some(FuncId(index as u32)) == program.main || func.captures.is_none() {
            continue;
        }
        if !main_travels && g2n_sema::stdlib::package_of_file(func.span.file).is_some() {
            continue;
        }
        let sig = signature_of(module, program, func)?;
        let name = format!("{symbol_prefix}g2n_fn{index}_{}", func.name);
        funcs[index] = Some(module.declare_function(&name, Linkage::Local, &sig).map_err(backend)?);
        pending_funcs.push(FuncId(index as u32));
    }
    pending_funcs.reverse();
    let mut mcx = ModuleCtx {
        stack: Default::default(),
        stack_classes: Default::default(),
        unchecked_indexes: Default::default(),
        bounds_walked: Default::default(),
        module,
        strings: HashMap::new(),
        funcs,
        pending_funcs,
        globals: HashMap::new(),
        static_globals: Default::default(),
        data_names: HashMap::new(),
        clif: options.emit_clif.then(String::new),
        descs: HashMap::new(),
        pending_descs: Vec::new(),
        pending_wrappers: Vec::new(),
        func_values: HashMap::new(),
        pending_func_values: Vec::new(),
        split_units: split_units.map(std::rc::Rc::new),
        symbol_prefix: symbol_prefix.to_string(),
        reflect_loaded: program.loads_reflect(),
        reflect_calls: program.calls_through_reflect(),
        make_func_call: reflect_call::make_func_call(program),
        table_method_names: program.interface_method_names().into_iter().map(str::to_string).collect(),
        reflect_adapters: HashMap::new(),
        pending_reflect_calls: Vec::new(),
        reflect_adapter_names: HashMap::new(),
        method_slots: Vec::new(),
        reuse_slots: Vec::new(),
    };
    // Package initialisers run once per process, at the program's start,
    // unless the unit is a config entered at a hop, which re-initialises
    // its variables on every arrival (static_data).
    let init_once = unit.whole_program || unit.entries.iter().all(|e| e.resume_point == 0);
    let promoted = promoted_wrappers(program);
    // Library functions whose code the cache has under a key known before
    // lowering are not lowered (prekey.rs), nor walked by escape analysis:
    // their entries hold their summaries.
    let mut prekeys = prekey::UnitPrekeys::open(&mcx, options, inline, main_travels);
    let known = match (prekeys.as_mut(), options.sources.as_deref()) {
        (Some(prekeys), Some(sources)) => prekeys.known_summaries(program, sources, &promoted),
        _ => HashMap::new(),
    };
    mcx.stack = crate::escape::plan_with(program, main_travels, known);
    mcx.define_globals(program, init_once)?;
    let mut builder_ctx = FunctionBuilderContext::new();
    // Every function is lowered first and kept, and only then compiled: a
    // caller can take in the body of any small function it calls
    // (crate::inline), whichever was lowered first.
    let lowered = Vec::new();
    let mut names = HashMap::new();
    let receivers = method_receivers(program);
    // Library functions (hand-written or compiled from Go's source) are the
    // ones the build cache keeps: the program's own change between builds.
    // So are the interface-call wrappers of library methods and the
    // adapters of library functions used as values: they are the same in
    // every program that has them (an interface's method table of a
    // library type), and they were compiled anew on every build (fannkuch:
    // 660 of them besides its 1,018 library functions).
    let mut library_funcs = std::collections::HashSet::new();
    let prekeys = std::cell::RefCell::new(prekeys);
    let prekeyed = std::cell::RefCell::new(prekey::Exchange::default());
    let lowered = std::cell::RefCell::new(lowered);
    let mut lower = |mcx: &mut ModuleCtx<'_>, id: cranelift_module::FuncId, sig: Signature, kind: FunctionKind| {
        let of_library = match kind {
            FunctionKind::Plain(func) | FunctionKind::FuncValueAdapter(func) | FunctionKind::Wrapper { method: func, .. } => Some(func),
            FunctionKind::Entry | FunctionKind::ReflectCallAdapter(_) | FunctionKind::MakeFuncStub(_) => None,
        };
        if of_library.is_some_and(|func| g2n_sema::stdlib::package_of_file(program.func(func).span.file).is_some()) {
            library_funcs.insert(id);
        }
        // Sema checks a library body only when the program reaches it
        // (check/lazy_bodies.rs follows what codegen describes): one it
        // left unchecked has an empty body, so compiling it would be wrong.
        if let Some(func) = of_library.filter(|func| program.unchecked.contains(func)) {
            let f = program.func(func);
            let package = g2n_sema::stdlib::package_of_file(f.span.file).unwrap_or_default();
            return Err(CodegenError::Backend { message: format!("{package}.{} is compiled, but sema did not check its body", f.name) });
        }
        // A function taken from the cache whose body a lowered caller
        // takes in after all is lowered in its placeholder's place.
        let placeholder = lowered.borrow().iter().position(|(placed, _)| *placed == id);
        names.insert(id, trace_name(program, &receivers, &promoted, &kind));
        // The method-cache slots this function declares, for the entries of
        // the functions that take in its body (prekey.rs).
        let slots_before = mcx.method_slots.len();
        if let (None, Some(prekeys), Some(sources)) = (placeholder, prekeys.borrow_mut().as_mut(), options.sources.as_deref())
            && let Some(key) = prekeys.key_of(program, sources, &promoted, kind)
            && prekeys.take(mcx, program, sources, id, kind, key, &mut prekeyed.borrow_mut())?
        {
            // A placeholder keeps the function's place in the object.
            lowered.borrow_mut().push((id, Function::new()));
            prekeyed.borrow_mut().slots_of.insert(id, mcx.method_slots[slots_before..].to_vec());
            return Ok(());
        }
        if placeholder.is_some() {
            // Lowered after all: the same slots as its entry declared.
            mcx.reuse_slots = prekeyed.borrow().slots_of.get(&id).map(|slots| slots.iter().rev().copied().collect()).unwrap_or_default();
        }
        let mut func = Function::with_name_signature(UserFuncName::user(0, id.as_u32()), sig);
        lower_function(mcx, &mut func, &mut builder_ctx, unit, kind)?;
        mcx.reuse_slots.clear();
        if prekeys.borrow().is_some() {
            prekeyed.borrow_mut().slots_of.insert(id, mcx.method_slots[slots_before..].to_vec());
        }
        match placeholder {
            Some(at) => lowered.borrow_mut()[at].1 = func,
            None => lowered.borrow_mut().push((id, func)),
        }
        Ok::<(), CodegenError>(())
    };

    lower(&mut mcx, entry_id, entry_sig, FunctionKind::Entry)?;
    while let Some(func) = mcx.pending_funcs.pop() {
        let Some(Some(id)) = mcx.funcs.get(func.index()).copied() else { continue };
        let sig = signature_of(mcx.module, program, program.func(func))?;
        lower(&mut mcx, id, sig, FunctionKind::Plain(func))?;
    }
    // The program table names the types of captured variables and
    // package-level variables: their descriptors must exist.
    mcx.declare_table_types(program)?;
    // A config that receives scope graphs from separately compiled ones
    // knows every package-level type and function by name (g2n-split's
    // GraphRegistry): an interface's dynamic type or a func value's
    // function need not be used by its own code.
    for ty in &unit.graph_registry.types {
        mcx.desc_id(*ty)?;
    }
    // Functions are declared on first reference; one that only arrives as
    // a value from upstream has none in this config's code.
    for (func, _) in &unit.graph_registry.funcs {
        mcx.declare_plain_func(program, *func)?;
        mcx.func_value_object(program, *func)?;
    }
    // Descriptors, and the method wrappers their method tables point to;
    // then the functions taken from the cache whose bodies a lowered
    // caller takes in (the entry says it is small enough), lowered after
    // all, until no more are called.
    let mut main_lowered = false;
    loop {
        loop {
            if let Some(func) = mcx.pending_funcs.pop() {
                let Some(Some(id)) = mcx.funcs.get(func.index()).copied() else { continue };
                let sig = signature_of(mcx.module, program, program.func(func))?;
                lower(&mut mcx, id, sig, FunctionKind::Plain(func))?;
                continue;
            }
            if let Some(ty) = mcx.pending_descs.pop() {
                mcx.define_desc(program, ty)?;
                continue;
            }
            if let Some((func, adapter)) = mcx.pending_func_values.pop() {
                let mut sig = signature_of(mcx.module, program, program.func(func))?;
                sig.params.insert(0, AbiParam::new(types::I64));
                lower(&mut mcx, adapter, sig, FunctionKind::FuncValueAdapter(func))?;
                continue;
            }
            if let Some(pending) = mcx.pending_reflect_calls.pop() {
                let adapter_sig = mcx.module.declarations().get_function_decl(pending.call).signature.clone();
                lower(&mut mcx, pending.call, adapter_sig, FunctionKind::ReflectCallAdapter(pending.func_ty))?;
                if let Some(stub) = pending.make_func {
                    let stub_sig = mcx.module.declarations().get_function_decl(stub).signature.clone();
                    lower(&mut mcx, stub, stub_sig, FunctionKind::MakeFuncStub(pending.func_ty))?;
                }
                continue;
            }
            // `main` as a plain function, once something calls it or takes it
            // as a value (declared then by Lowerer::declared_func).
            if let (false, Some(main)) = (main_lowered, program.main)
                && let Some(Some(id)) = mcx.funcs.get(main.index()).copied()
            {
                main_lowered = true;
                let sig = signature_of(mcx.module, program, program.func(main))?;
                lower(&mut mcx, id, sig, FunctionKind::Plain(main))?;
                continue;
            }
            let Some(wrapper) = mcx.pending_wrappers.pop() else { break };
            let sig = rtti::wrapper_signature(mcx.module, program, wrapper.method)?;
            let kind = FunctionKind::Wrapper {
                desc_ty: wrapper.desc_ty,
                method: wrapper.method,
                pointer_receiver: wrapper.pointer_receiver,
            };
            lower(&mut mcx, wrapper.id, sig, kind)?;
        }
        let mut needed = prekey::inlinable_hits_called(&lowered.borrow(), &prekeyed.borrow());
        // The functions taken from the cache get the names their bodies
        // took in from callees, now that every callee is declared; one whose
        // names are not all found here is lowered after all.
        if needed.is_empty()
            && let Some(prekeys) = prekeys.borrow_mut().as_mut()
        {
            needed = prekeys.complete_hits(&mut mcx, program, &lowered.borrow(), &mut prekeyed.borrow_mut())?;
        }
        // Completing may have declared (and queued) what no one else did.
        let queued = !(mcx.pending_funcs.is_empty()
            && mcx.pending_descs.is_empty()
            && mcx.pending_func_values.is_empty()
            && mcx.pending_reflect_calls.is_empty()
            && mcx.pending_wrappers.is_empty());
        if needed.is_empty() && !queued {
            break;
        }
        for (id, kind) in needed {
            prekeyed.borrow_mut().hits.remove(&id);
            let sig = mcx.module.declarations().get_function_decl(id).signature.clone();
            lower(&mut mcx, id, sig, kind)?;
        }
    }
    let table = mcx.program_table(program, &unit.graph_registry)?;
    let mut compiled = Vec::new();
    // Functions of a package that reads its callers' frames (`testing`'s
    // t.Helper and the file:line of t.Log, runtime.Callers in Go): their
    // callers keep frames of their own, as Go's inline tree keeps inlined
    // frames visible to runtime.Callers. The promoted-method wrappers of
    // such a package's types forward to its methods: nameless frames whose
    // callers are the ones that count.
    let mut reads_callers: std::collections::HashSet<u32> = names
        .iter()
        .filter(|(_, who)| CALLER_READING_PACKAGES.iter().any(|p| who.name.strip_prefix(p).is_some_and(|rest| rest.starts_with('.'))))
        .map(|(id, _)| id.as_u32())
        .collect();
    for named in program.types.named.iter().filter(|n| n.package.as_deref().is_some_and(|p| CALLER_READING_PACKAGES.contains(&p))) {
        for method in named.methods.iter().filter(|m| m.promoted) {
            if let Some(Some(id)) = mcx.funcs.get(method.func as usize) {
                reads_callers.insert(id.as_u32());
            }
        }
    }
    // Wrappers and adapters have no name in the line table (Go shows no
    // frame for them), so what is inlined into one is hidden from
    // runtime.Callers with it.
    let nameless: std::collections::HashSet<u32> = names.iter().filter(|(_, who)| who.name.is_empty()).map(|(id, _)| id.as_u32()).collect();
    let cache = options.function_cache.as_ref().map(|cache| (cache, &library_funcs));
    let lower_time = started.elapsed();
    let frames = crate::inline::Frames { reads_callers: &reads_callers, nameless: &nameless };
    let mut prekeyed = prekeyed.into_inner();
    let cache_use = crate::inline::inline_and_define(mcx.module, lowered.into_inner(), entry_id, inline, frames, &mut mcx.clif, &mut compiled, cache, &mut prekeyed)?;
    if let (Some(prekeys), Some(sources)) = (prekeys.into_inner(), options.sources.as_deref()) {
        let (_, mismatches) = prekeys.finish(&mcx, program, sources, &mut prekeyed);
        if !mismatches.is_empty() {
            let message = format!("G2N_CACHE_VERIFY: build cache entries differ from the functions lowered again: {}", mismatches.join("; "));
            return Err(CodegenError::Backend { message });
        }
    }
    let phases = crate::CodegenPhases { lower: lower_time, compile: started.elapsed() - lower_time, ..Default::default() };
    Ok(LoweredUnit { entry: entry_id, clif: mcx.clif, table, compiled, names, cache_use, phases })
}

/// Packages whose functions read the frames of their callers (g2n's
/// `testing`: the file and line a message comes from, `t.Helper`).
const CALLER_READING_PACKAGES: [&str; 1] = ["testing"];

/// The wrappers sema makes for promoted methods (by function index): Go's
/// traces and runtime.Callers do not show such wrappers.
fn promoted_wrappers(program: &hir::Program) -> std::collections::HashSet<u32> {
    let named = program.types.named.iter().flat_map(|n| n.methods.iter());
    let unnamed = program.types.struct_methods.values().flatten();
    named.chain(unnamed).filter(|m| m.promoted).map(|m| m.func).collect()
}

/// Methods by function index: their receiver as Go's traces spell it,
/// `main.leaf` for a value receiver, `main.(*tree)` for a pointer receiver.
fn method_receivers(program: &hir::Program) -> HashMap<u32, String> {
    let mut out = HashMap::new();
    for named in &program.types.named {
        for method in named.methods.iter().filter(|m| !m.promoted) {
            let package = named.package_name();
            let receiver = if method.pointer_receiver { format!("{package}.(*{})", named.name) } else { format!("{package}.{}", named.name) };
            out.insert(method.func, receiver);
        }
    }
    out
}

/// What [`lower_unit`] defined.
pub(crate) struct LoweredUnit {
    pub entry: cranelift_module::FuncId,
    pub clif: Option<String>,
    /// The program table (`g2n_register_program`).
    pub table: DataId,
    /// Every function as compiled, and who each is, for the line table.
    pub compiled: Vec<crate::lines::CompiledFunc>,
    pub names: HashMap<cranelift_module::FuncId, crate::lines::FuncName>,
    pub cache_use: crate::CacheUse,
    /// Lowering and compiling (emitting is the caller's).
    pub phases: crate::CodegenPhases,
}

/// A function's frame line in a goroutine trace, as Go spells it:
/// `main.f(...)`, `main.main.func1()`, `main.T.m(...)`, `strconv.Atoi(...)`;
/// empty for the wrappers and adapters Go does not show.
fn trace_name(
    program: &hir::Program,
    receivers: &HashMap<u32, String>,
    promoted: &std::collections::HashSet<u32>,
    kind: &FunctionKind,
) -> crate::lines::FuncName {
    let func = match kind {
        FunctionKind::Entry => program.main.map(|m| program.func(m)),
        FunctionKind::Plain(f) => Some(program.func(*f)),
        FunctionKind::Wrapper { .. } | FunctionKind::FuncValueAdapter(_) | FunctionKind::ReflectCallAdapter(_) | FunctionKind::MakeFuncStub(_) => None,
    };
    let file = func.map(|f| f.span.file).unwrap_or_default();
    // Go prints a frame's arguments; their values are not kept, so a
    // function with parameters shows `(...)`, as Go shows an inlined frame.
    let func_id = match kind {
        FunctionKind::Entry => program.main.map(|m| m.0),
        FunctionKind::Plain(f) => Some(f.0),
        _ => None,
    };
    if func_id.is_some_and(|id| promoted.contains(&id)) {
        return crate::lines::FuncName { name: String::new(), file };
    }
    let name = func.map_or(String::new(), |f| {
        let package = g2n_sema::stdlib::package_of_file(f.span.file).unwrap_or("main");
        let args = if f.params.is_empty() { "()" } else { "(...)" };
        match func_id.and_then(|id| receivers.get(&id)) {
            Some(receiver) => format!("{receiver}.{}{args}", f.name),
            None => format!("{package}.{}{args}", f.name),
        }
    });
    crate::lines::FuncName { name, file }
}

/// Lowers one Cranelift function: the unit entry, an ordinary function, a
/// method wrapper or a func-value adapter.
fn lower_function(
    mcx: &mut ModuleCtx<'_>,
    func: &mut Function,
    builder_ctx: &mut FunctionBuilderContext,
    unit: &UnitPlan,
    kind: FunctionKind,
) -> Result<(), CodegenError> {
    let frontend_config = mcx.module.isa().frontend_config();
    let body = match kind {
        FunctionKind::Entry => unit.program.main,
        FunctionKind::Plain(id) => Some(id),
        _ => None,
    };
    if let Some(body) = body
        && mcx.bounds_walked.insert(body)
    {
        mcx.unchecked_indexes.extend(crate::bounds::unchecked_indexes_in(&unit.program, body));
        mcx.stack.place_late(&unit.program, body);
    }
    let builder = FunctionBuilder::new(func, builder_ctx);
    let mut lowerer = Lowerer {
        mcx,
        builder,
        program: &unit.program,
        unit,
        locals: HashMap::new(),
        cells: HashMap::new(),
        declared_cells: std::collections::HashSet::new(),
        stack_slots: HashMap::new(),
        nil_checked: (None, std::collections::HashSet::new()),
        pass_through: BTreeMap::new(),
        runtime: HashMap::new(),
        func_refs: HashMap::new(),
        breaks: Vec::new(),
        continues: Vec::new(),
        pending_label: None,
        label_blocks: HashMap::new(),
        defer_frame: None,
        tuples: HashMap::new(),
        current: match kind {
            FunctionKind::Plain(id) => Some(id),
            _ => None,
        },
        resume_blocks: HashMap::new(),
        result_dests: Vec::new(),
        next_call_dest: None,
    };
    let result = match kind {
        FunctionKind::Entry => lowerer.lower_entry(),
        FunctionKind::Plain(id) => lowerer.lower_plain_function(id),
        FunctionKind::Wrapper { desc_ty, method, pointer_receiver } => lowerer.lower_wrapper(desc_ty, method, pointer_receiver),
        FunctionKind::FuncValueAdapter(func) => lowerer.lower_func_value_adapter(func),
        FunctionKind::ReflectCallAdapter(ty) => lowerer.lower_reflect_call_adapter(ty),
        FunctionKind::MakeFuncStub(ty) => lowerer.lower_make_func_stub(ty),
    };
    // A function abandoned half-way has unfilled blocks: only a complete one
    // is finalized.
    if result.is_ok() {
        lowerer.builder.seal_all_blocks();
        lowerer.builder.finalize(frontend_config);
    }
    result
}

struct Lowerer<'a, 'm> {
    mcx: &'a mut ModuleCtx<'m>,
    builder: FunctionBuilder<'a>,
    program: &'a hir::Program,
    unit: &'a UnitPlan,
    locals: HashMap<LocalId, Vec<Variable>>,
    /// Locals whose storage is in memory (escaping scalars and every struct
    /// or array): one variable holding the address of that storage.
    cells: HashMap<LocalId, Variable>,
    /// Memory-stored locals whose declaration this function has executed;
    /// a write to any other one allocates its storage first.
    declared_cells: std::collections::HashSet<LocalId>,
    /// The frame storage of locals that escape analysis keeps on the stack.
    stack_slots: HashMap<LocalId, cranelift_codegen::ir::StackSlot>,
    /// The block that the last nil check continued in, and the pointers
    /// checked since that block began (`nil_check`).
    nil_checked: (Option<Block>, std::collections::HashSet<Value>),
    /// Received variables this unit only forwards, by name.
    pass_through: BTreeMap<String, Vec<Variable>>,
    runtime: HashMap<String, FuncRef>,
    func_refs: HashMap<FuncId, FuncRef>,
    /// Targets of `break` and `continue` in the enclosing statements, with
    /// the label of the statement if it has one.
    breaks: Vec<(Option<u32>, Block)>,
    continues: Vec<(Option<u32>, Block)>,
    /// A label waiting for the next loop or switch lowered.
    pending_label: Option<u32>,
    /// The block of each labeled statement, for `goto` (left unsealed until
    /// the function is complete, since a `goto` may jump back to it).
    label_blocks: HashMap<u32, Block>,
    /// The defer frame of a function that defers.
    defer_frame: Option<Value>,
    /// Calls with several results already evaluated for their `TupleField`s.
    tuples: HashMap<ExprId, Vec<Value>>,
    /// The function being lowered; `None` for the unit entry (`main`).
    current: Option<FuncId>,
    /// In a split program's unit entry: the block where the flow resumes
    /// after each hop site this unit is entered at (docs/split.md).
    resume_blocks: HashMap<u32, Block>,
    /// The destination the caller passed for each struct or array result
    /// of the function being lowered, by result index (calls.rs).
    result_dests: Vec<Option<Value>>,
    /// The destinations for the next call lowered with struct or array
    /// results: the storage of the variable its result is assigned to, or
    /// the function's own for `return f()`.
    next_call_dest: Option<Vec<Value>>,
}

fn unsupported(what: &str, span: Span) -> CodegenError {
    CodegenError::Unsupported { what: what.to_string(), span }
}

fn backend(e: impl std::fmt::Display) -> CodegenError {
    CodegenError::Backend { message: e.to_string() }
}
