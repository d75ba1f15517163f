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
mod rtti;
mod slices;
mod statements;

pub(crate) use calls::{runtime_signature, std_call_words};
use layout::{Class, parts_of};

/// Bytes of one [`g2n_abi::GoAny`].
const ANY_SIZE: u32 = std::mem::size_of::<g2n_abi::GoAny>() as u32;

/// Objects shared by every function of one unit.
pub(crate) struct ModuleCtx<'m> {
    pub(crate) module: &'m mut ObjectModule,
    /// What escape analysis lets live in stack frames.
    stack: crate::escape::StackPlan,
    /// Index expressions proven in range (`bounds`): no bounds check.
    unchecked_indexes: std::collections::HashSet<ExprId>,
    strings: HashMap<Vec<u8>, DataId>,
    /// The Cranelift function of each HIR function (`None` for `main`, whose
    /// body lives in the unit entry).
    funcs: Vec<Option<cranelift_module::FuncId>>,
    /// Package-level variables: one zero-initialised data object each.
    globals: HashMap<LocalId, DataId>,
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
    Ok(sig)
}

/// Lowers every function of the unit, then inlines small callees into their
/// callers (when `inline`) and compiles them all; returns the unit entry's id
/// and the CLIF text (after inlining) when asked for.
pub(crate) fn lower_unit(
    module: &mut ObjectModule,
    unit: &UnitPlan,
    entry_sig: Signature,
    emit_clif: bool,
    split_units: Option<HashMap<String, usize>>,
    inline: bool,
) -> Result<(cranelift_module::FuncId, Option<String>, DataId), CodegenError> {
    let program = &unit.program;
    let backend = |e: cranelift_module::ModuleError| CodegenError::Backend { message: e.to_string() };
    let entry_id = module.declare_function(symbols::UNIT_ENTRY, Linkage::Local, &entry_sig).map_err(backend)?;
    let mut funcs = Vec::new();
    for (index, func) in program.funcs.iter().enumerate() {
        if Some(FuncId(index as u32)) == program.main {
            funcs.push(None);
            continue;
        }
        let sig = signature_of(module, program, func)?;
        let name = format!("g2n_fn{index}_{}", func.name);
        funcs.push(Some(module.declare_function(&name, Linkage::Local, &sig).map_err(backend)?));
    }
    let mut globals = HashMap::new();
    for (local, _) in &program.global_inits {
        let l = program.local(*local);
        let parts = parts_of(&program.types, l.ty).ok_or_else(|| unsupported("package-level variables of this type", l.span))?;
        let id = module
            .declare_data(&format!("g2n_global{}_{}", local.0, l.name), Linkage::Local, true, false)
            .map_err(backend)?;
        let mut data = DataDescription::new();
        let size = program.types.layout(l.ty).size.max(parts.len() as u64 * 8).max(8);
        data.define_zeroinit(size as usize);
        data.set_align(8);
        module.define_data(id, &data).map_err(backend)?;
        globals.insert(*local, id);
    }
    // The unit entry of a nanoservice that receives or sends a scope keeps
    // its locals in heap cells: the scope graph refers to them.
    let main_travels = !program.hops.is_empty() || !unit.exits.is_empty() || unit.entries.len() > 1 || unit.entries.iter().any(|e| !e.vars.is_empty());
    let stack = crate::escape::plan(program, main_travels);
    let mut mcx = ModuleCtx {
        stack,
        unchecked_indexes: crate::bounds::unchecked_indexes(program),
        module,
        strings: HashMap::new(),
        funcs,
        globals,
        clif: emit_clif.then(String::new),
        descs: HashMap::new(),
        pending_descs: Vec::new(),
        pending_wrappers: Vec::new(),
        func_values: HashMap::new(),
        pending_func_values: Vec::new(),
        split_units: split_units.map(std::rc::Rc::new),
    };
    let mut builder_ctx = FunctionBuilderContext::new();
    // Every function is lowered first and kept, and only then compiled: a
    // caller can take in the body of any small function it calls
    // (crate::inline), whichever was lowered first.
    let mut lowered = Vec::new();
    let mut lower = |mcx: &mut ModuleCtx<'_>, id: cranelift_module::FuncId, sig: Signature, kind: FunctionKind| {
        let mut func = Function::with_name_signature(UserFuncName::user(0, id.as_u32()), sig);
        lower_function(mcx, &mut func, &mut builder_ctx, unit, kind)?;
        lowered.push((id, func));
        Ok::<(), CodegenError>(())
    };

    lower(&mut mcx, entry_id, entry_sig, FunctionKind::Entry)?;
    for index in 0..program.funcs.len() {
        if Some(FuncId(index as u32)) == program.main {
            continue;
        }
        let Some(Some(id)) = mcx.funcs.get(index).copied() else { continue };
        let sig = signature_of(mcx.module, program, program.func(FuncId(index as u32)))?;
        lower(&mut mcx, id, sig, FunctionKind::Plain(FuncId(index as u32)))?;
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
    for (func, _) in &unit.graph_registry.funcs {
        if mcx.funcs.get(func.index()).copied().flatten().is_some() {
            mcx.func_value_object(program, *func)?;
        }
    }
    // Descriptors, and the method wrappers their method tables point to.
    let mut main_lowered = false;
    loop {
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
    let table = mcx.program_table(program, &unit.graph_registry)?;
    crate::inline::inline_and_define(mcx.module, lowered, entry_id, inline, &mut mcx.clif)?;
    Ok((entry_id, mcx.clif, table))
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
    };
    let result = match kind {
        FunctionKind::Entry => lowerer.lower_entry(),
        FunctionKind::Plain(id) => lowerer.lower_plain_function(id),
        FunctionKind::Wrapper { desc_ty, method, pointer_receiver } => lowerer.lower_wrapper(desc_ty, method, pointer_receiver),
        FunctionKind::FuncValueAdapter(func) => lowerer.lower_func_value_adapter(func),
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
}

fn unsupported(what: &str, span: Span) -> CodegenError {
    CodegenError::Unsupported { what: what.to_string(), span }
}

fn backend(e: impl std::fmt::Display) -> CodegenError {
    CodegenError::Backend { message: e.to_string() }
}
