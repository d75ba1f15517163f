//! Lowering of one unit's functions: `func main` becomes `g2n_unit_entry`,
//! every other function a local function of the object.
//!
//! Every HIR local becomes one Cranelift variable per machine word of its Go
//! type, so values stay in SSA registers; Cranelift's SSA construction inserts
//! the block parameters.

use crate::errors::CodegenError;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockArg, FuncRef, Function, InstBuilder, MemFlagsData, Signature, StackSlotData,
    StackSlotKind, TrapCode, Type, UserFuncName, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_module::{DataDescription, DataId, Linkage, Module};
use cranelift_object::ObjectModule;
use g2n_abi::{symbols, TypeTag};
use g2n_base::Span;
use g2n_sema::hir::{self, ConstValue, ExprId, ExprKind, FuncId, Intrinsic, LocalId, StmtKind};
use g2n_sema::types::{TypeId, TypeKind};
use g2n_split::{GraphSlot, UnitPlan, VarSource};
use std::collections::{BTreeMap, HashMap};

mod chan;
mod rtti;

/// Bytes of one [`g2n_abi::GoAny`].
const ANY_SIZE: u32 = 24;

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

/// The machine words of a Go type, or `None` when codegen cannot represent it.
fn parts_of(types: &g2n_sema::types::Types, ty: TypeId) -> Option<Vec<Type>> {
    Some(match types.under(types.default_type(ty)) {
        TypeKind::Pointer(_) | TypeKind::Map(..) | TypeKind::Func(_) | TypeKind::Chan(..) => vec![types::I64],
        TypeKind::Slice(_) => vec![types::I64, types::I64, types::I64],
        // Structs and arrays are handled by address.
        TypeKind::Struct(_) | TypeKind::Array(..) => vec![types::I64],
        TypeKind::Bool | TypeKind::Int8 | TypeKind::Uint8 => vec![types::I8],
        TypeKind::Int16 | TypeKind::Uint16 => vec![types::I16],
        TypeKind::Int32 | TypeKind::Uint32 => vec![types::I32],
        TypeKind::Int | TypeKind::Int64 | TypeKind::Uint | TypeKind::Uint64 | TypeKind::Uintptr => vec![types::I64],
        TypeKind::Float64 => vec![types::F64],
        TypeKind::Float32 => vec![types::F32],
        // Real then imaginary part, adjacent as Go lays them out.
        TypeKind::Complex64 => vec![types::F32, types::F32],
        TypeKind::Complex128 => vec![types::F64, types::F64],
        TypeKind::String => vec![types::I64, types::I64],
        TypeKind::Any | TypeKind::Error | TypeKind::Interface(_) | TypeKind::UntypedNil => vec![types::I64, types::I64, types::I64],
        TypeKind::Tuple(elems) => {
            let mut all = Vec::new();
            for elem in elems.clone() {
                all.extend(parts_of(types, elem)?);
            }
            all
        }
        _ => return None,
    })
}

/// Struct and array copies and zeroing up to this many words are inline
/// loads and stores rather than a libc call.
const INLINE_MEMORY_WORDS: u64 = 16;

/// The integer accesses covering `size` bytes: words, then the tail.
fn memory_chunks(size: u64) -> Vec<(Type, i32)> {
    let mut chunks = Vec::new();
    let mut offset = 0u64;
    for (ty, width) in [(types::I64, 8u64), (types::I32, 4), (types::I16, 2), (types::I8, 1)] {
        while size - offset >= width {
            chunks.push((ty, offset as i32));
            offset += width;
        }
    }
    chunks
}

/// The byte offset of part `i` of a value in memory: parts of one value
/// all have the same size (words, or the two floats of a complex number).
fn part_offset(i: usize, part: Type) -> i32 {
    (i as u32 * part.bytes()) as i32
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
        let Some(Some(id)) = mcx.funcs.get(index).copied() else { continue };
        let sig = signature_of(mcx.module, program, program.func(FuncId(index as u32)))?;
        lower(&mut mcx, id, sig, FunctionKind::Plain(FuncId(index as u32)))?;
    }
    // The program table names the types of captured variables and
    // package-level variables: their descriptors must exist.
    mcx.declare_table_types(program)?;
    // Descriptors, and the method wrappers their method tables point to.
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
        let Some(wrapper) = mcx.pending_wrappers.pop() else { break };
        let sig = rtti::wrapper_signature(mcx.module, program, wrapper.method)?;
        let kind = FunctionKind::Wrapper {
            desc_ty: wrapper.desc_ty,
            method: wrapper.method,
            pointer_receiver: wrapper.pointer_receiver,
        };
        lower(&mut mcx, wrapper.id, sig, kind)?;
    }
    let table = mcx.program_table(program)?;
    crate::inline::inline_and_define(mcx.module, lowered, entry_id, inline, &mut mcx.clif)?;
    Ok((entry_id, mcx.clif, table))
}

/// Lowers the unit entry (`func: None`) or one ordinary function.
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

/// The machine words of a scope value with this tag.
fn tag_parts(tag: TypeTag) -> Vec<Type> {
    match tag {
        TypeTag::Nil => vec![],
        TypeTag::Bool | TypeTag::Int8 | TypeTag::Uint8 => vec![types::I8],
        TypeTag::Int16 | TypeTag::Uint16 => vec![types::I16],
        TypeTag::Int32 | TypeTag::Uint32 => vec![types::I32],
        TypeTag::Int | TypeTag::Int64 | TypeTag::Uint | TypeTag::Uint64 | TypeTag::Uintptr => vec![types::I64],
        TypeTag::Float64 => vec![types::F64],
        TypeTag::Float32 => vec![types::F32],
        TypeTag::Complex64 => vec![types::F32, types::F32],
        TypeTag::Complex128 => vec![types::F64, types::F64],
        TypeTag::String => vec![types::I64, types::I64],
    }
}

/// How codegen treats the operands of an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Bool,
    /// Pointers, maps and functions: one address word.
    Pointer,
    Slice,
    /// Structs and arrays, by address.
    Aggregate,
    /// Interface values: tag and two payload words.
    Interface,
    /// An integer of this many bits, signed or not.
    Integer { bits: u32, signed: bool },
    Float,
    /// complex64 or complex128: two float parts.
    Complex,
    String,
    Other,
}

impl Lowerer<'_, '_> {
    fn kind(&self, ty: TypeId) -> &TypeKind {
        let types = &self.program.types;
        types.under(types.default_type(ty))
    }

    fn class(&self, ty: TypeId) -> Class {
        let types = &self.program.types;
        let ty = types.default_type(ty);
        if let Some((bits, signed)) = types.int_info(ty) {
            return Class::Integer { bits, signed };
        }
        match types.under(ty) {
            TypeKind::Bool => Class::Bool,
            TypeKind::Float64 | TypeKind::Float32 => Class::Float,
            TypeKind::Complex64 | TypeKind::Complex128 => Class::Complex,
            TypeKind::String => Class::String,
            TypeKind::Pointer(_) | TypeKind::Map(..) | TypeKind::Func(_) | TypeKind::Chan(..) => Class::Pointer,
            TypeKind::Slice(_) => Class::Slice,
            TypeKind::Struct(_) | TypeKind::Array(..) => Class::Aggregate,
            TypeKind::Any | TypeKind::Error | TypeKind::Interface(_) | TypeKind::UntypedNil => Class::Interface,
            _ => Class::Other,
        }
    }

    fn parts(&self, ty: TypeId, span: Span) -> Result<Vec<Type>, CodegenError> {
        parts_of(&self.program.types, ty)
            .ok_or_else(|| unsupported(&format!("values of type {}", self.program.types.display(ty)), span))
    }

    fn local_vars(&mut self, local: LocalId) -> Result<Vec<Variable>, CodegenError> {
        if let Some(vars) = self.locals.get(&local) {
            return Ok(vars.clone());
        }
        let l = self.program.local(local);
        let parts = self.parts(l.ty, l.span)?;
        // A variable read on a path without a definition reads zero (the SSA
        // builder's rule at the entry block), which is Go's zero value.
        let vars: Vec<Variable> = parts.iter().map(|ty| self.builder.declare_var(*ty)).collect();
        self.locals.insert(local, vars.clone());
        Ok(vars)
    }

    /// The address of a package-level variable's storage.
    fn global_addr(&mut self, local: LocalId) -> Option<Value> {
        let id = *self.mcx.globals.get(&local)?;
        let gv = self.mcx.module.declare_data_in_func(id, self.builder.func);
        Some(self.builder.ins().symbol_value(types::I64, gv))
    }

    /// Whether a local lives in memory rather than in SSA variables.
    fn in_memory(&self, local: LocalId) -> bool {
        let l = self.program.local(local);
        l.escapes || self.program.types.is_aggregate(l.ty)
    }

    fn cell_var(&mut self, local: LocalId) -> Variable {
        if let Some(var) = self.cells.get(&local) {
            return *var;
        }
        let var = self.builder.declare_var(types::I64);
        self.cells.insert(local, var);
        var
    }

    /// The address of a memory-stored local's storage.
    fn local_addr(&mut self, local: LocalId) -> Result<Value, CodegenError> {
        if let Some(addr) = self.global_addr(local) {
            return Ok(addr);
        }
        if !self.in_memory(local) {
            return Err(unsupported("taking the address of this variable", self.program.local(local).span));
        }
        if !self.declared_cells.contains(&local) {
            self.define_local(local, None)?;
        }
        let var = self.cell_var(local);
        Ok(self.builder.use_var(var))
    }

    fn read_local(&mut self, local: LocalId) -> Result<Vec<Value>, CodegenError> {
        if self.global_addr(local).is_some() || self.in_memory(local) {
            let addr = self.local_addr(local)?;
            let ty = self.program.local(local).ty;
            return self.load_value(ty, addr, self.program.local(local).span);
        }
        let vars = self.local_vars(local)?;
        Ok(vars.iter().map(|v| self.builder.use_var(*v)).collect())
    }

    fn write_local(&mut self, local: LocalId, values: Vec<Value>) -> Result<(), CodegenError> {
        if self.global_addr(local).is_some() || self.in_memory(local) {
            if self.global_addr(local).is_none() && !self.declared_cells.contains(&local) {
                return self.define_local(local, Some(values));
            }
            let addr = match self.global_addr(local) {
                Some(addr) => addr,
                None if self.may_resume_in_main() => self.cell_or_fresh(local)?,
                None => self.local_addr(local)?,
            };
            let ty = self.program.local(local).ty;
            return self.store_value(ty, addr, values, self.program.local(local).span);
        }
        let vars = self.local_vars(local)?;
        for (var, value) in vars.iter().zip(values) {
            self.builder.def_var(*var, value);
        }
        Ok(())
    }

    /// Whether code of main may run after a resume entry: a flow resumed at a
    /// hop jumps into the middle of main, past declarations.
    fn may_resume_in_main(&self) -> bool {
        self.unit.whole_program && self.unit.entries.len() > 1 && self.current.is_none()
    }

    /// The storage of a memory-stored local about to be overwritten. On a
    /// resumed flow, a local that did not travel (it was not live: only
    /// written from here on) has no storage yet: it gets fresh storage then.
    fn cell_or_fresh(&mut self, local: LocalId) -> Result<Value, CodegenError> {
        let addr = self.local_addr(local)?;
        let missing = self.builder.create_block();
        let merge = self.builder.create_block();
        self.builder.ins().brif(addr, merge, &[], missing, &[]);
        self.builder.seal_block(missing);
        self.builder.switch_to_block(missing);
        self.builder.set_cold_block(missing);
        self.fresh_storage(local, false)?;
        self.builder.ins().jump(merge, &[]);
        self.builder.seal_block(merge);
        self.builder.switch_to_block(merge);
        let var = self.cell_var(local);
        Ok(self.builder.use_var(var))
    }

    /// New storage for a memory-stored local, now its cell: zeroed unless
    /// `overwritten` (the caller stores a whole value in it at once). A
    /// local that escape analysis keeps in the frame reuses its stack slot:
    /// nothing can hold the address of its previous incarnation.
    fn fresh_storage(&mut self, local: LocalId, overwritten: bool) -> Result<Value, CodegenError> {
        let layout = self.program.types.layout(self.program.local(local).ty);
        let storage = if self.mcx.stack.locals.contains(&local) {
            let slot = match self.stack_slots.get(&local) {
                Some(slot) => *slot,
                None => {
                    let slot = self.new_stack_slot(layout.size, layout.align);
                    self.stack_slots.insert(local, slot);
                    slot
                }
            };
            let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
            if !overwritten {
                self.zero_memory(addr, layout.size);
            }
            addr
        } else {
            self.alloc(layout.size)?
        };
        let var = self.cell_var(local);
        self.builder.def_var(var, storage);
        Ok(storage)
    }

    fn new_stack_slot(&mut self, size: u64, align: u64) -> cranelift_codegen::ir::StackSlot {
        let align_shift = align.clamp(1, 16).trailing_zeros() as u8;
        self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size.max(1) as u32, align_shift))
    }

    /// Executes a declaration: memory-stored locals get fresh storage (each
    /// execution of a declaration makes a new variable, which closures and
    /// pointers can tell apart), then the value or the zero value.
    fn define_local(&mut self, local: LocalId, values: Option<Vec<Value>>) -> Result<(), CodegenError> {
        let l = self.program.local(local);
        let (ty, span) = (l.ty, l.span);
        if self.global_addr(local).is_none() && self.in_memory(local) {
            let storage = self.fresh_storage(local, values.is_some() && self.program.types.is_aggregate(ty))?;
            self.declared_cells.insert(local);
            if let Some(values) = values {
                self.store_value(ty, storage, values, span)?;
            }
            return Ok(());
        }
        let values = match values {
            Some(values) => values,
            None => self.zero_of(ty, span)?,
        };
        self.write_local(local, values)
    }

    /// The value of type `ty` stored at `addr`; a struct or array is its address.
    fn load_value(&mut self, ty: TypeId, addr: Value, span: Span) -> Result<Vec<Value>, CodegenError> {
        if self.program.types.is_aggregate(ty) {
            return Ok(vec![addr]);
        }
        let parts = self.parts(ty, span)?;
        Ok(parts
            .iter()
            .enumerate()
            .map(|(i, part)| self.builder.ins().load(*part, MemFlagsData::trusted(), addr, part_offset(i, *part)))
            .collect())
    }

    /// Stores a value of type `ty` at `addr`; a struct or array is copied.
    fn store_value(&mut self, ty: TypeId, addr: Value, values: Vec<Value>, span: Span) -> Result<(), CodegenError> {
        if self.program.types.is_aggregate(ty) {
            let layout = self.program.types.layout(ty);
            let src = values.first().copied().ok_or_else(|| unsupported("a value without representation", span))?;
            self.copy_memory(addr, src, layout.size);
            return Ok(());
        }
        for (i, value) in values.into_iter().enumerate() {
            let part = self.builder.func.dfg.value_type(value);
            self.builder.ins().store(MemFlagsData::trusted(), value, addr, part_offset(i, part));
        }
        Ok(())
    }

    /// Copies `size` bytes. Overlap is possible (`a = a`), so this is a
    /// move: up to [`INLINE_MEMORY_WORDS`] words are all loaded before any
    /// is stored; bigger values go through `memmove`.
    fn copy_memory(&mut self, dest: Value, src: Value, size: u64) {
        if size > INLINE_MEMORY_WORDS * 8 {
            let config = self.mcx.module.isa().frontend_config();
            let size = self.builder.ins().iconst(types::I64, size as i64);
            self.builder.call_memmove(config, dest, src, size);
            return;
        }
        let flags = MemFlagsData::new().with_notrap();
        let chunks = memory_chunks(size);
        let loaded: Vec<(Value, i32)> =
            chunks.iter().map(|(ty, offset)| (self.builder.ins().load(*ty, flags, src, *offset), *offset)).collect();
        for (value, offset) in loaded {
            self.builder.ins().store(flags, value, dest, offset);
        }
    }

    /// Zeroes `size` bytes, inline for small sizes (the frontend's
    /// `emit_small_memset` calls `memset` past four words).
    fn zero_memory(&mut self, addr: Value, size: u64) {
        if size > INLINE_MEMORY_WORDS * 8 {
            let config = self.mcx.module.isa().frontend_config();
            let zero = self.builder.ins().iconst(types::I8, 0);
            let size = self.builder.ins().iconst(types::I64, size as i64);
            self.builder.call_memset(config, addr, zero, size);
            return;
        }
        let flags = MemFlagsData::new().with_notrap();
        for (ty, offset) in memory_chunks(size) {
            let zero = self.builder.ins().iconst(ty, 0);
            self.builder.ins().store(flags, zero, addr, offset);
        }
    }

    fn move_memory_dynamic(&mut self, dest: Value, src: Value, size: Value) {
        let config = self.mcx.module.isa().frontend_config();
        self.builder.call_memmove(config, dest, src, size);
    }

    fn nil_check(&mut self, pointer: Value) -> Result<(), CodegenError> {
        // A pointer checked earlier in this same block (so on every path to
        // here, with nothing in between that could branch around the check)
        // is known not to be nil.
        let current = self.builder.current_block();
        if current.is_some() && self.nil_checked.0 == current && self.nil_checked.1.contains(&pointer) {
            return Ok(());
        }
        let is_nil = self.builder.ins().icmp_imm_s(IntCC::Equal, pointer, 0);
        let panic_block = self.builder.create_block();
        let ok_block = self.builder.create_block();
        self.builder.ins().brif(is_nil, panic_block, &[], ok_block, &[]);
        self.builder.seal_block(panic_block);
        self.builder.seal_block(ok_block);
        self.builder.set_cold_block(panic_block);
        self.builder.switch_to_block(panic_block);
        self.call_runtime(symbols::PANIC_NIL, &[], &[], &[])?;
        self.builder.ins().trap(TrapCode::unwrap_user(2));
        self.builder.switch_to_block(ok_block);
        if self.nil_checked.0 != current {
            self.nil_checked.1.clear();
        }
        self.nil_checked.0 = Some(ok_block);
        self.nil_checked.1.insert(pointer);
        Ok(())
    }

    /// A pointer operand: addresses that codegen computed itself are never nil.
    fn lower_pointer(&mut self, expr: ExprId) -> Result<Value, CodegenError> {
        let value = self.lower_scalar(expr)?;
        let known_valid = matches!(
            self.program.expr(expr).kind,
            ExprKind::FieldAddr { .. } | ExprKind::IndexAddr { .. } | ExprKind::AddrOfLocal(_) | ExprKind::AggregateAddr(_) | ExprKind::Alloc(_)
        );
        if !known_valid {
            self.nil_check(value)?;
        }
        Ok(value)
    }

    fn elem_size(&self, ty: TypeId) -> u64 {
        let types = &self.program.types;
        types.elem(ty).map_or(0, |e| types.layout(e).size)
    }

    fn alloc(&mut self, size: u64) -> Result<Value, CodegenError> {
        let size = self.builder.ins().iconst(types::I64, size as i64);
        Ok(self.call_runtime(symbols::ALLOC, &[types::I64], &[types::I64], &[size])?[0])
    }

    fn zero(&mut self, ty: Type) -> Value {
        if ty == types::F64 {
            self.builder.ins().f64const(0.0)
        } else if ty == types::F32 {
            self.builder.ins().f32const(0.0)
        } else {
            self.builder.ins().iconst(ty, 0)
        }
    }

    fn zero_of(&mut self, ty: TypeId, span: Span) -> Result<Vec<Value>, CodegenError> {
        if self.program.types.is_aggregate(ty) {
            // A struct or array value is an address: of fresh zeroed memory.
            let size = self.program.types.layout(ty).size;
            return Ok(vec![self.alloc(size)?]);
        }
        let parts = self.parts(ty, span)?;
        Ok(parts.into_iter().map(|t| self.zero(t)).collect())
    }

    /// Calls a runtime function, declaring it on first use.
    fn call_runtime(&mut self, name: &str, params: &[Type], returns: &[Type], args: &[Value]) -> Result<Vec<Value>, CodegenError> {
        let func_ref = match self.runtime.get(name) {
            Some(f) => *f,
            None => {
                let mut sig = Signature::new(self.mcx.module.isa().default_call_conv());
                sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
                sig.returns.extend(returns.iter().map(|t| AbiParam::new(*t)));
                let id = self.mcx.module.declare_function(name, Linkage::Import, &sig).map_err(backend)?;
                let func_ref = self.mcx.module.declare_func_in_func(id, self.builder.func);
                self.runtime.insert(name.to_string(), func_ref);
                func_ref
            }
        };
        let call = self.builder.ins().call(func_ref, args);
        Ok(self.builder.inst_results(call).to_vec())
    }

    /// After a terminator, later statements go to a fresh unreachable block.
    fn label_block(&mut self, label: u32) -> Block {
        if let Some(block) = self.label_blocks.get(&label) {
            return *block;
        }
        let block = self.builder.create_block();
        self.label_blocks.insert(label, block);
        block
    }

    fn start_dead_block(&mut self) {
        let block = self.builder.create_block();
        self.builder.switch_to_block(block);
        self.builder.seal_block(block);
    }

    /// Package-level initialisers, then every `func init`, in order.
    fn lower_program_init(&mut self) -> Result<(), CodegenError> {
        let program = self.program;
        for (local, value) in &program.global_inits {
            if let Some(value) = value {
                let values = self.lower_expr(*value)?;
                self.write_local(*local, values)?;
            }
        }
        for init in &program.inits {
            let func_ref = self.func_ref(*init, program.func(*init).span)?;
            self.builder.ins().call(func_ref, &[]);
        }
        Ok(())
    }

    fn lower_entry(&mut self) -> Result<(), CodegenError> {
        let start = self.builder.create_block();
        self.builder.append_block_params_for_function_params(start);
        self.builder.switch_to_block(start);
        self.builder.seal_block(start);
        let params = self.builder.block_params(start).to_vec();
        let (resume, scope) = (params[0], params[1]);

        let unit = self.unit;
        // A split program's units initialise package-level variables at the
        // program's start only; a resumed flow brings them in its scope.
        if !unit.whole_program {
            self.lower_program_init()?;
        }

        // Before the dispatch, so that the frame is there on every resume
        // point too: a resumed main gets back its deferred calls (below).
        let main = self.program.main.ok_or_else(|| backend("unit has no func main"))?;
        if self.program.func(main).has_defer {
            self.enter_defer_frame(main)?;
        }

        let unit = self.unit;
        for entry in &unit.entries {
            for var in entry.vars.iter().filter(|v| v.local.is_none()) {
                let vars: Vec<Variable> = tag_parts(var.tag).iter().map(|ty| self.builder.declare_var(*ty)).collect();
                self.pass_through.insert(var.name.clone(), vars);
            }
        }

        let body = self.builder.create_block();
        // Dispatch on the resume point with a jump table / binary search
        // (cranelift_frontend::Switch): a chain of comparisons cost a
        // per-line split of a 65,535-line main 30,000 compares per hop.
        let unknown = self.builder.create_block();
        let mut switch = cranelift_frontend::Switch::new();
        let entry_blocks: Vec<Block> = unit
            .entries
            .iter()
            .map(|entry| {
                let block = self.builder.create_block();
                switch.set_entry(entry.resume_point as u128, block);
                block
            })
            .collect();
        switch.emit(&mut self.builder, resume, unknown);
        for (entry, &entry_block) in unit.entries.iter().zip(&entry_blocks) {
            self.builder.seal_block(entry_block);
            self.builder.switch_to_block(entry_block);
            if unit.whole_program && entry.resume_after.is_none() {
                self.lower_program_init()?;
            }
            for (slot, var) in entry.vars.iter().enumerate() {
                if let (Some(graph), Some(local)) = (var.graph, var.local) {
                    self.scope_get_graph(scope, slot as u32, local, graph)?;
                    continue;
                }
                let values = self.scope_get(scope, slot as u32, var.tag)?;
                match var.local {
                    Some(local) => {
                        let l = self.program.local(local);
                        let parts = self.parts(l.ty, l.span)?;
                        let values = self.wire_convert(values, &parts);
                        self.define_local(local, Some(values))?
                    }
                    None => {
                        let vars = self.pass_through.get(&var.name).cloned().unwrap_or_default();
                        for (v, value) in vars.iter().zip(values) {
                            self.builder.def_var(*v, value);
                        }
                    }
                }
            }
            if let (Some(frame), Some(defers)) = (self.defer_frame, self.program.main_defers) {
                if entry.vars.iter().any(|v| v.local == Some(defers)) {
                    let list = self.read_local(defers)?;
                    self.call_runtime(symbols::DEFER_RESTORE, &[types::I64, types::I64, types::I64], &[], &[frame, list[0], list[1]])?;
                }
            }
            let target = match entry.resume_after {
                // Sealed once the hop before it is lowered: a hop to this
                // unit itself also jumps there.
                Some(site) => *self.resume_blocks.entry(site).or_insert_with(|| self.builder.create_block()),
                None => body,
            };
            self.builder.ins().jump(target, &[]);
        }
        // An unknown resume point cannot pass the runtime's checks.
        self.builder.seal_block(unknown);
        self.builder.switch_to_block(unknown);
        self.builder.ins().trap(TrapCode::unwrap_user(1));
        self.builder.seal_block(body);
        self.builder.switch_to_block(body);
        let stmts = &self.program.func(main).body.stmts;
        self.lower_stmts(stmts)?;
        self.exit_defer_frame()?;
        self.builder.ins().return_(&[]);
        Ok(())
    }

    /// The prologue of a function that defers: a frame from the runtime and
    /// `_setjmp` on it; a panic comes back here with a non-zero result, runs
    /// the deferred calls, and returns from the function if one recovered.
    fn enter_defer_frame(&mut self, func: FuncId) -> Result<(), CodegenError> {
        let frame = self.call_runtime(symbols::DEFER_ENTER, &[], &[types::I64], &[])?[0];
        let jumped = self.call_runtime(symbols::SETJMP, &[types::I64], &[types::I32], &[frame])?[0];
        let landing = self.builder.create_block();
        let body = self.builder.create_block();
        self.builder.ins().brif(jumped, landing, &[], body, &[]);
        self.builder.seal_block(landing);
        self.builder.seal_block(body);
        self.builder.set_cold_block(landing);
        self.builder.switch_to_block(landing);
        self.call_runtime(symbols::DEFER_LANDING, &[types::I64], &[], &[frame])?;
        // Recovered: named results as the deferred calls left them, else zeros.
        let f = self.program.func(func);
        let (results, result_locals) = (f.results.clone(), f.result_locals.clone());
        let span = f.span;
        let mut returned = Vec::new();
        if result_locals.is_empty() {
            for ty in results {
                returned.extend(self.zero_of(ty, span)?);
            }
        } else {
            for local in result_locals {
                returned.extend(self.read_local(local)?);
            }
        }
        self.builder.ins().return_(&returned);
        self.builder.switch_to_block(body);
        self.defer_frame = Some(frame);
        Ok(())
    }

    /// Runs the deferred calls before a normal return.
    fn exit_defer_frame(&mut self) -> Result<(), CodegenError> {
        if let Some(frame) = self.defer_frame {
            self.call_runtime(symbols::DEFER_EXIT, &[types::I64], &[], &[frame])?;
        }
        Ok(())
    }

    fn lower_plain_function(&mut self, id: FuncId) -> Result<(), CodegenError> {
        let func = self.program.func(id);
        let start = self.builder.create_block();
        self.builder.append_block_params_for_function_params(start);
        self.builder.switch_to_block(start);
        self.builder.seal_block(start);
        let mut params = self.builder.block_params(start).to_vec().into_iter();
        if let Some(captures) = &func.captures {
            // The closure object: the function, then a pointer to each
            // captured variable's storage.
            let env = params.next().ok_or_else(|| backend("closure without its object"))?;
            for (index, local) in captures.iter().enumerate() {
                let storage = self.builder.ins().load(types::I64, MemFlagsData::trusted(), env, ((index + 1) * 8) as i32);
                let var = self.cell_var(*local);
                self.builder.def_var(var, storage);
                self.declared_cells.insert(*local);
            }
        }
        for param in &func.params {
            let l = self.program.local(*param);
            let count = self.parts(l.ty, l.span)?.len();
            let values: Vec<Value> = params.by_ref().take(count).collect();
            // A struct or array argument is the caller's value: copied here.
            self.define_local(*param, Some(values))?;
        }
        for result in &func.result_locals {
            self.define_local(*result, None)?;
        }
        if func.has_defer {
            self.enter_defer_frame(id)?;
        }
        self.lower_stmts(&func.body.stmts)?;
        if func.results.is_empty() {
            self.exit_defer_frame()?;
            self.builder.ins().return_(&[]);
        } else {
            // Sema proved the body terminating: this point is unreachable.
            self.builder.ins().trap(TrapCode::unwrap_user(3));
        }
        Ok(())
    }

    /// A call of a runtime-implemented stdlib function: arguments as their
    /// machine words, a variadic tail as an array and a count; up to two
    /// result words come back in registers, more through a buffer passed last.
    fn lower_std_call(&mut self, symbol: &str, args: &[ExprId], variadic: Option<usize>, spread: bool, ty: TypeId, span: Span) -> Result<Vec<Value>, CodegenError> {
        // Functions of `math` that are one IEEE 754 instruction (exact, as
        // Go's are) need no call.
        if let ("g2n_std_math_Sqrt" | "g2n_std_math_Abs" | "g2n_std_math_Floor" | "g2n_std_math_Ceil" | "g2n_std_math_Trunc", [arg]) =
            (symbol, args)
        {
            let x = self.lower_scalar(*arg)?;
            if self.builder.func.dfg.value_type(x) == types::F64 {
                let ins = self.builder.ins();
                let result = match symbol {
                    "g2n_std_math_Sqrt" => ins.sqrt(x),
                    "g2n_std_math_Abs" => ins.fabs(x),
                    "g2n_std_math_Floor" => ins.floor(x),
                    "g2n_std_math_Ceil" => ins.ceil(x),
                    _ => ins.trunc(x),
                };
                return Ok(vec![result]);
            }
            let call = self.call_runtime(symbol, &[types::F64], &[types::F64], &[x])?;
            return Ok(call);
        }
        let fixed = variadic.unwrap_or(args.len()).min(args.len());
        let mut values = Vec::new();
        for arg in &args[..fixed] {
            values.extend(self.lower_expr(*arg)?);
        }
        if spread {
            // A []T is its array and length, exactly the variadic convention.
            let slice = args.get(fixed).ok_or_else(|| unsupported("this call", span))?;
            let parts = self.lower_expr(*slice)?;
            values.push(parts[0]);
            values.push(parts[1]);
        } else if variadic.is_some() {
            let (array, count) = self.any_array(&args[fixed..])?;
            values.push(array);
            values.push(count);
        }
        let results = match self.kind(ty).clone() {
            TypeKind::Tuple(elems) => {
                let mut all = Vec::new();
                for elem in elems {
                    all.extend(self.parts(elem, span)?);
                }
                all
            }
            _ => self.parts(ty, span)?,
        };
        let out = if results.len() > 2 {
            let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8 * results.len() as u32, 3));
            values.push(self.builder.ins().stack_addr(types::I64, slot, 0));
            Some(slot)
        } else {
            None
        };
        let params: Vec<Type> = values.iter().map(|v| self.builder.func.dfg.value_type(*v)).collect();
        let returns: Vec<Type> = if out.is_some() { Vec::new() } else { results.clone() };
        let direct = self.call_runtime(symbol, &params, &returns, &values)?;
        match out {
            Some(slot) => Ok(results
                .iter()
                .enumerate()
                .map(|(i, part)| self.builder.ins().stack_load(types::I64, *part, slot, (i * 8) as i32))
                .collect()),
            None => Ok(direct),
        }
    }

    /// A pointer to a key's bytes, as the map runtime reads them.
    fn key_pointer(&mut self, key: ExprId) -> Result<Value, CodegenError> {
        let ty = self.program.expr(key).ty;
        let span = self.program.expr(key).span;
        let values = self.lower_expr(key)?;
        if self.program.types.is_aggregate(ty) {
            return Ok(values[0]);
        }
        let size = self.program.types.layout(ty).size.max(8) as u32;
        let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
        let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
        self.store_value(ty, addr, values, span)?;
        Ok(addr)
    }

    fn new_map(&mut self, map_ty: TypeId, hint: Value) -> Result<Value, CodegenError> {
        let TypeKind::Map(key_ty, value_ty) = self.kind(map_ty).clone() else { return Err(backend("make of a non-map")) };
        let key_desc = self.desc_address(key_ty)?;
        let value_desc = self.desc_address(value_ty)?;
        Ok(self.call_runtime(symbols::MAP_NEW, &[types::I64; 3], &[types::I64], &[key_desc, value_desc, hint])?[0])
    }

    fn lower_map_index(&mut self, map: ExprId, key: ExprId, comma_ok: bool, span: Span) -> Result<Vec<Value>, CodegenError> {
        let TypeKind::Map(_, value_ty) = self.kind(self.program.expr(map).ty).clone() else { return Err(unsupported("indexing this value", span)) };
        let map_value = self.lower_scalar(map)?;
        let key_ptr = self.key_pointer(key)?;
        let slot = self.call_runtime(symbols::MAP_LOOKUP, &[types::I64, types::I64], &[types::I64], &[map_value, key_ptr])?[0];
        let parts = self.parts(value_ty, span)?;
        let found_block = self.builder.create_block();
        let missing_block = self.builder.create_block();
        let merge = self.builder.create_block();
        let results: Vec<Value> = parts.iter().map(|p| self.builder.append_block_param(merge, *p)).collect();
        let found = self.builder.ins().icmp_imm_s(IntCC::NotEqual, slot, 0);
        self.builder.ins().brif(found, found_block, &[], missing_block, &[]);
        self.builder.seal_block(found_block);
        self.builder.seal_block(missing_block);
        self.builder.switch_to_block(found_block);
        let loaded = self.load_value(value_ty, slot, span)?;
        let args: Vec<BlockArg> = loaded.iter().map(|v| BlockArg::Value(*v)).collect();
        self.builder.ins().jump(merge, &args);
        self.builder.switch_to_block(missing_block);
        let zeros = if self.program.types.is_aggregate(value_ty) {
            // A fresh zero value: the caller may copy from it.
            let size = self.program.types.layout(value_ty).size;
            vec![self.alloc(size)?]
        } else {
            self.zero_of(value_ty, span)?
        };
        let args: Vec<BlockArg> = zeros.iter().map(|v| BlockArg::Value(*v)).collect();
        self.builder.ins().jump(merge, &args);
        self.builder.seal_block(merge);
        self.builder.switch_to_block(merge);
        let mut out = results;
        if comma_ok {
            out.push(found);
        }
        Ok(out)
    }

    fn lower_range_map(&mut self, map: ExprId, key: Option<LocalId>, value: Option<LocalId>, body: &hir::Block, span: Span) -> Result<(), CodegenError> {
        let TypeKind::Map(key_ty, value_ty) = self.kind(self.program.expr(map).ty).clone() else { return Err(unsupported("range over this value", span)) };
        let map_value = self.lower_scalar(map)?;
        let iter = self.alloc(32)?;
        self.call_runtime(symbols::MAP_ITER_INIT, &[types::I64, types::I64], &[], &[map_value, iter])?;
        let header = self.builder.create_block();
        let body_block = self.builder.create_block();
        let exit = self.builder.create_block();
        self.builder.ins().jump(header, &[]);
        self.builder.switch_to_block(header);
        let key_slot = self.call_runtime(symbols::MAP_ITER_NEXT, &[types::I64], &[types::I64], &[iter])?[0];
        let more = self.builder.ins().icmp_imm_s(IntCC::NotEqual, key_slot, 0);
        self.builder.ins().brif(more, body_block, &[], exit, &[]);
        self.builder.seal_block(body_block);
        self.builder.switch_to_block(body_block);
        if let Some(local) = key {
            let values = self.load_value(key_ty, key_slot, span)?;
            self.write_local(local, values)?;
        }
        if let Some(local) = value {
            let value_slot = self.builder.ins().load(types::I64, MemFlagsData::trusted(), iter, 24);
            let values = self.load_value(value_ty, value_slot, span)?;
            self.write_local(local, values)?;
        }
        let label = self.pending_label.take();
        self.breaks.push((label, exit));
        self.continues.push((label, header));
        let result = self.lower_stmts(&body.stmts);
        self.breaks.pop();
        self.continues.pop();
        result?;
        self.builder.ins().jump(header, &[]);
        self.builder.seal_block(header);
        self.builder.seal_block(exit);
        self.builder.switch_to_block(exit);
        Ok(())
    }

    /// The static closure object of a declared function used as a value.
    fn func_value_object(&mut self, func: FuncId, span: Span) -> Result<DataId, CodegenError> {
        if let Some(id) = self.mcx.func_values.get(&func) {
            return Ok(*id);
        }
        if self.mcx.funcs.get(func.index()).copied().flatten().is_none() {
            return Err(unsupported("func main as a value", span));
        }
        let mut sig = signature_of(self.mcx.module, self.program, self.program.func(func))?;
        sig.params.insert(0, AbiParam::new(types::I64));
        let adapter = self
            .mcx
            .module
            .declare_function(&format!("g2n_fnvalue{}", func.0), Linkage::Local, &sig)
            .map_err(backend)?;
        let data_id = self
            .mcx
            .module
            .declare_data(&format!("g2n_fnobject{}", func.0), Linkage::Local, false, false)
            .map_err(backend)?;
        let mut data = DataDescription::new();
        data.set_align(8);
        data.define(vec![0u8; 8].into_boxed_slice());
        let func_ref = self.mcx.module.declare_func_in_data(adapter, &mut data);
        data.write_function_addr(0, func_ref);
        self.mcx.module.define_data(data_id, &data).map_err(backend)?;
        self.mcx.func_values.insert(func, data_id);
        self.mcx.pending_func_values.push((func, adapter));
        Ok(data_id)
    }

    fn lower_func_value_adapter(&mut self, func: FuncId) -> Result<(), CodegenError> {
        let start = self.builder.create_block();
        self.builder.append_block_params_for_function_params(start);
        self.builder.switch_to_block(start);
        self.builder.seal_block(start);
        let params = self.builder.block_params(start).to_vec();
        let func_ref = self.func_ref(func, self.program.func(func).span)?;
        let call = self.builder.ins().call(func_ref, &params[1..]);
        let results = self.builder.inst_results(call).to_vec();
        self.builder.ins().return_(&results);
        Ok(())
    }

    fn func_ref(&mut self, id: FuncId, span: Span) -> Result<FuncRef, CodegenError> {
        if let Some(f) = self.func_refs.get(&id) {
            return Ok(*f);
        }
        let Some(Some(module_id)) = self.mcx.funcs.get(id.index()).copied() else {
            return Err(unsupported("calling func main", span));
        };
        let func_ref = self.mcx.module.declare_func_in_func(module_id, self.builder.func);
        self.func_refs.insert(id, func_ref);
        Ok(func_ref)
    }

    fn scope_get(&mut self, scope: Value, slot: u32, tag: TypeTag) -> Result<Vec<Value>, CodegenError> {
        let slot_value = self.builder.ins().iconst(types::I32, slot as i64);
        Ok(match tag {
            TypeTag::Int => self.call_runtime(symbols::SCOPE_GET_INT, &[types::I64, types::I32], &[types::I64], &[scope, slot_value])?,
            TypeTag::Bool => self.call_runtime(symbols::SCOPE_GET_BOOL, &[types::I64, types::I32], &[types::I8], &[scope, slot_value])?,
            TypeTag::Float64 => {
                self.call_runtime(symbols::SCOPE_GET_FLOAT64, &[types::I64, types::I32], &[types::F64], &[scope, slot_value])?
            }
            TypeTag::String => {
                let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                self.call_runtime(symbols::SCOPE_GET_STRING, &[types::I64, types::I32, types::I64], &[], &[scope, slot_value, out_addr])?;
                let ptr = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
                let len = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
                vec![ptr, len]
            }
            TypeTag::Nil => vec![],
            other => return Err(backend(format!("a {} cannot travel in a scope yet", other.go_name()))),
        })
    }

    /// A received graph variable (docs/split.md): a cell becomes the local's
    /// storage; a value is written to a stack buffer by the runtime and
    /// defined from there.
    fn scope_get_graph(&mut self, scope: Value, slot: u32, local: LocalId, graph: GraphSlot) -> Result<(), CodegenError> {
        let l = self.program.local(local);
        let (ty, span) = (l.ty, l.span);
        let desc = self.desc_address(ty)?;
        let slot_value = self.builder.ins().iconst(types::I32, slot as i64);
        match graph {
            GraphSlot::Cell => {
                let storage = self.call_runtime(symbols::SCOPE_GET_CELL, &[types::I64, types::I32, types::I64], &[types::I64], &[scope, slot_value, desc])?[0];
                let var = self.cell_var(local);
                self.builder.def_var(var, storage);
                self.declared_cells.insert(local);
            }
            GraphSlot::Value => {
                // Small values land on the stack; a large struct or array
                // (the entry's frame holds every such buffer) in the heap.
                let size = self.program.types.layout(ty).size.max(8);
                let addr = if size <= 256 {
                    let buffer = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size as u32, 3));
                    self.builder.ins().stack_addr(types::I64, buffer, 0)
                } else {
                    self.alloc(size)?
                };
                self.call_runtime(symbols::SCOPE_GET_VALUE, &[types::I64, types::I32, types::I64, types::I64], &[], &[scope, slot_value, desc, addr])?;
                let values = self.load_value(ty, addr, span)?;
                self.define_local(local, Some(values))?;
            }
        }
        Ok(())
    }

    /// A graph variable sent at a hop: a cell's storage, or the address of
    /// its value (the runtime copies it).
    fn scope_put_graph(&mut self, scope: Value, slot: u32, local: LocalId, graph: GraphSlot) -> Result<(), CodegenError> {
        let l = self.program.local(local);
        let (ty, span) = (l.ty, l.span);
        let desc = self.desc_address(ty)?;
        let slot_value = self.builder.ins().iconst(types::I32, slot as i64);
        let (symbol, addr) = match graph {
            GraphSlot::Cell => (symbols::SCOPE_PUT_CELL, self.local_addr(local)?),
            GraphSlot::Value => {
                let addr = match self.global_addr(local) {
                    Some(addr) => addr,
                    None => {
                        let values = self.read_local(local)?;
                        if self.program.types.is_aggregate(ty) {
                            values[0]
                        } else {
                            let size = self.program.types.layout(ty).size.max(8);
                            let buffer = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size as u32, 3));
                            let addr = self.builder.ins().stack_addr(types::I64, buffer, 0);
                            self.store_value(ty, addr, values, span)?;
                            addr
                        }
                    }
                };
                (symbols::SCOPE_PUT_VALUE, addr)
            }
        };
        self.call_runtime(symbol, &[types::I64, types::I32, types::I64, types::I64], &[], &[scope, slot_value, desc, addr])?;
        Ok(())
    }

    fn lower_stmts(&mut self, stmts: &[hir::Stmt]) -> Result<(), CodegenError> {
        for stmt in stmts {
            self.lower_stmt(stmt)?;
        }
        Ok(())
    }

    fn lower_stmt(&mut self, stmt: &hir::Stmt) -> Result<(), CodegenError> {
        match &stmt.kind {
            StmtKind::Define { local, value } => {
                let values = match value {
                    Some(value) => Some(self.lower_expr(*value)?),
                    None => None,
                };
                self.define_local(*local, values)?;
            }
            StmtKind::Defer { thunk } => {
                let frame = self.defer_frame.ok_or_else(|| unsupported("defer here", stmt.span))?;
                let closure = self.lower_scalar(*thunk)?;
                self.call_runtime(symbols::DEFER_PUSH, &[types::I64, types::I64], &[], &[frame, closure])?;
            }
            StmtKind::MapAssign { map, key, value } => {
                let map_value = self.lower_scalar(*map)?;
                let key_ptr = self.key_pointer(*key)?;
                let values = self.lower_expr(*value)?;
                let slot = self.call_runtime(symbols::MAP_ASSIGN, &[types::I64, types::I64], &[types::I64], &[map_value, key_ptr])?[0];
                let ty = self.program.expr(*value).ty;
                self.store_value(ty, slot, values, stmt.span)?;
            }
            StmtKind::RangeMap { map, key, value, body } => self.lower_range_map(*map, *key, *value, body, stmt.span)?,
            StmtKind::Store { addr, value } => {
                let pointer = self.lower_pointer(*addr)?;
                let values = self.lower_expr(*value)?;
                let ty = self.program.expr(*value).ty;
                self.store_value(ty, pointer, values, stmt.span)?;
            }
            StmtKind::Assign { local, value } => {
                let values = self.lower_expr(*value)?;
                self.write_local(*local, values)?;
            }
            StmtKind::AssignTuple { locals, value } => {
                let values = self.lower_expr(*value)?;
                let result_types = match self.kind(self.program.expr(*value).ty) {
                    TypeKind::Tuple(elems) => elems.clone(),
                    _ => return Err(unsupported("this multi-value assignment", stmt.span)),
                };
                let mut rest = values.into_iter();
                for (local, ty) in locals.iter().zip(result_types) {
                    let count = self.parts(ty, stmt.span)?.len();
                    let part: Vec<Value> = rest.by_ref().take(count).collect();
                    if let Some(local) = local {
                        self.write_local(*local, part)?;
                    }
                }
            }
            StmtKind::Expr(expr) => {
                self.lower_expr(*expr)?;
            }
            StmtKind::Block(block) => self.lower_stmts(&block.stmts)?,
            StmtKind::If { cond, then, els } => {
                let then_block = self.builder.create_block();
                let else_block = self.builder.create_block();
                let merge = self.builder.create_block();
                self.branch_on(*cond, then_block, else_block)?;
                self.builder.seal_block(then_block);
                self.builder.seal_block(else_block);
                self.builder.switch_to_block(then_block);
                self.lower_stmts(&then.stmts)?;
                self.builder.ins().jump(merge, &[]);
                self.builder.switch_to_block(else_block);
                if let Some(els) = els {
                    self.lower_stmts(&els.stmts)?;
                }
                self.builder.ins().jump(merge, &[]);
                self.builder.seal_block(merge);
                self.builder.switch_to_block(merge);
            }
            StmtKind::Loop { cond, body, post } => {
                let header = self.builder.create_block();
                let body_block = self.builder.create_block();
                let post_block = self.builder.create_block();
                let exit = self.builder.create_block();
                self.builder.ins().jump(header, &[]);
                self.builder.switch_to_block(header);
                match cond {
                    Some(cond) => {
                        self.branch_on(*cond, body_block, exit)?;
                    }
                    None => {
                        self.builder.ins().jump(body_block, &[]);
                    }
                }
                self.builder.seal_block(body_block);
                self.builder.switch_to_block(body_block);
                let label = self.pending_label.take();
                self.breaks.push((label, exit));
                self.continues.push((label, post_block));
                let result = self.lower_stmts(&body.stmts);
                self.breaks.pop();
                self.continues.pop();
                result?;
                self.builder.ins().jump(post_block, &[]);
                self.builder.seal_block(post_block);
                self.builder.switch_to_block(post_block);
                if let Some(post) = post {
                    self.lower_stmt(post)?;
                }
                self.builder.ins().jump(header, &[]);
                self.builder.seal_block(header);
                self.builder.seal_block(exit);
                self.builder.switch_to_block(exit);
            }
            StmtKind::Switch { clauses } => self.lower_switch(clauses)?,
            StmtKind::Goto(label) => {
                let target = self.label_block(*label);
                self.builder.ins().jump(target, &[]);
                self.start_dead_block();
            }
            StmtKind::Labeled { label, stmt: inner } => {
                let block = self.label_block(*label);
                self.builder.ins().jump(block, &[]);
                self.builder.switch_to_block(block);
                self.pending_label = Some(*label);
                let result = self.lower_stmt(inner);
                self.pending_label = None;
                result?;
            }
            StmtKind::Break(label) | StmtKind::Continue(label) => {
                let targets = if matches!(stmt.kind, StmtKind::Break(_)) { &self.breaks } else { &self.continues };
                let found = match label {
                    None => targets.last(),
                    Some(label) => targets.iter().rev().find(|(l, _)| *l == Some(*label)),
                };
                let Some(&(_, target)) = found else {
                    return Err(unsupported("break or continue outside a loop", stmt.span));
                };
                self.builder.ins().jump(target, &[]);
                self.start_dead_block();
            }
            StmtKind::Return(values) => {
                let mut returned = Vec::new();
                let result_locals = self.current.map(|id| self.program.func(id).result_locals.clone()).unwrap_or_default();
                if self.defer_frame.is_some() && !result_locals.is_empty() {
                    // `return x` sets the named results, the deferred calls
                    // run (and may change them), then they are returned.
                    if !values.is_empty() {
                        let mut lowered = Vec::new();
                        for value in values {
                            lowered.push(self.lower_expr(*value)?);
                        }
                        for (local, value) in result_locals.iter().zip(lowered) {
                            self.write_local(*local, value)?;
                        }
                    }
                    self.exit_defer_frame()?;
                    for result in result_locals {
                        returned.extend(self.read_local(result)?);
                    }
                } else {
                    if values.is_empty() {
                        for result in result_locals {
                            returned.extend(self.read_local(result)?);
                        }
                    } else {
                        for value in values {
                            returned.extend(self.lower_expr(*value)?);
                        }
                    }
                    self.exit_defer_frame()?;
                }
                self.builder.ins().return_(&returned);
                self.start_dead_block();
            }
            StmtKind::GoToNetwork { site } => self.lower_hop(*site, stmt.span)?,
            StmtKind::Send { chan, value } => self.lower_send(*chan, *value)?,
            StmtKind::Go { thunk } => {
                let closure = self.lower_scalar(*thunk)?;
                self.call_runtime(symbols::GO, &[types::I64], &[], &[closure])?;
            }
            StmtKind::Select { cases, default } => self.lower_select(cases, default.as_ref(), stmt.span)?,
        }
        Ok(())
    }

    /// Cases are tested top to bottom, each clause's conditions left to right,
    /// `default` last wherever it stands.
    fn lower_switch(&mut self, clauses: &[hir::SwitchClause]) -> Result<(), CodegenError> {
        let exit = self.builder.create_block();
        let bodies: Vec<Block> = clauses.iter().map(|_| self.builder.create_block()).collect();
        for (index, clause) in clauses.iter().enumerate() {
            if clause.is_default {
                continue;
            }
            for cond in &clause.conds {
                let next = self.builder.create_block();
                self.branch_on(*cond, bodies[index], next)?;
                self.builder.seal_block(next);
                self.builder.switch_to_block(next);
            }
        }
        let fallback = clauses.iter().position(|c| c.is_default).map(|i| bodies[i]).unwrap_or(exit);
        self.builder.ins().jump(fallback, &[]);

        let label = self.pending_label.take();
        self.breaks.push((label, exit));
        let mut result = Ok(());
        for (index, clause) in clauses.iter().enumerate() {
            self.builder.switch_to_block(bodies[index]);
            if let Err(e) = self.lower_stmts(&clause.body.stmts) {
                result = Err(e);
                break;
            }
            let next = if clause.fallthrough { bodies.get(index + 1).copied().unwrap_or(exit) } else { exit };
            self.builder.ins().jump(next, &[]);
        }
        self.breaks.pop();
        result?;
        for body in bodies {
            self.builder.seal_block(body);
        }
        self.builder.seal_block(exit);
        self.builder.switch_to_block(exit);
        Ok(())
    }

    /// `goToNetwork`: pack the exit's variables into a scope, hand it to the
    /// runtime, and end the flow on this unit.
    fn lower_hop(&mut self, site: u32, span: Span) -> Result<(), CodegenError> {
        let unit = self.unit;
        if unit.whole_program {
            return self.lower_split_hop(site, span);
        }
        self.lower_hop_exit(site, span)
    }

    /// A hop in a split program's unit: a no-op when it targets the unit
    /// itself, a trap when the unit can never execute it (no exit planned),
    /// else the handoff. The flow resumes here when the unit is entered at
    /// this site's resume point.
    fn lower_split_hop(&mut self, site: u32, span: Span) -> Result<(), CodegenError> {
        let unit = self.unit;
        let resume = self.resume_blocks.get(&site).copied();
        if let Some(names) = self.mcx.split_units.clone() {
            return self.lower_shared_hop(site, span, resume, &names);
        }
        let to_self = self.program.hops.get(site as usize).is_some_and(|h| h.target == unit.name);
        if to_self {
            if let Some(resume) = resume {
                self.builder.ins().jump(resume, &[]);
                self.builder.seal_block(resume);
                self.builder.switch_to_block(resume);
            }
            return Ok(());
        }
        if self.exit_of(site).is_some() {
            self.lower_hop_exit(site, span)?;
        } else {
            // The analysis proved that no flow reaches this hop on this unit.
            self.builder.ins().trap(TrapCode::unwrap_user(1));
            self.start_dead_block();
        }
        if let Some(resume) = resume {
            // Jump from the dead block left by the hop, so that the resumed
            // code follows in the dead block's place.
            self.builder.ins().jump(resume, &[]);
            self.builder.seal_block(resume);
            self.builder.switch_to_block(resume);
        }
        Ok(())
    }

    /// A hop in the one object that serves every nanoservice of a split
    /// program: which nanoservice executes it is known at run time only, so
    /// a hop to the current one is skipped by a comparison; any other is the
    /// handoff (the runtime refuses an exit that the current nanoservice's
    /// descriptor does not plan).
    fn lower_shared_hop(&mut self, site: u32, span: Span, resume: Option<Block>, names: &HashMap<String, usize>) -> Result<(), CodegenError> {
        let after = resume.unwrap_or_else(|| self.builder.create_block());
        let planned = self.exit_of(site).is_some();
        let target = self.program.hops.get(site as usize).map(|h| h.target.as_str()).unwrap_or_default();
        if let Some(&target_index) = names.get(target) {
            // Asked at every hop (a runtime call, not a global): in a host
            // serving several nanoservices, the flow's current nanoservice
            // changes at every in-host hop, and flows run concurrently.
            let index = self.call_runtime(symbols::FLOW_UNIT, &[], &[types::I64], &[])?[0];
            let to_self = self.builder.ins().icmp_imm_s(IntCC::Equal, index, target_index as i64);
            let hop_block = self.builder.create_block();
            self.builder.ins().brif(to_self, after, &[], hop_block, &[]);
            self.builder.seal_block(hop_block);
            self.builder.switch_to_block(hop_block);
        }
        if planned {
            self.lower_hop_exit(site, span)?;
        } else {
            self.builder.ins().trap(TrapCode::unwrap_user(1));
            self.start_dead_block();
        }
        self.builder.ins().jump(after, &[]);
        self.builder.seal_block(after);
        self.builder.switch_to_block(after);
        Ok(())
    }

    /// Converts a travelling value between its local's machine types and the
    /// wire's: integers of any width travel as `i64` (truncated back on
    /// arrival), `float32` as `f64`.
    fn wire_convert(&mut self, values: Vec<Value>, want: &[Type]) -> Vec<Value> {
        values
            .into_iter()
            .zip(want)
            .map(|(value, &want)| {
                let have = self.builder.func.dfg.value_type(value);
                if have == want {
                    value
                } else if have.is_int() && want.is_int() && have.bits() > want.bits() {
                    self.builder.ins().ireduce(want, value)
                } else if have.is_int() && want.is_int() {
                    self.builder.ins().uextend(want, value)
                } else if have == types::F32 && want == types::F64 {
                    self.builder.ins().fpromote(want, value)
                } else if have == types::F64 && want == types::F32 {
                    self.builder.ins().fdemote(want, value)
                } else {
                    value
                }
            })
            .collect()
    }

    /// The planned exit of hop `site`. Exits are planned in site order, so a
    /// binary search finds it (a per-line split of a long `main` has one
    /// exit per line); the linear scan is for any other order.
    fn exit_of(&self, site: u32) -> Option<&g2n_split::ExitPlan> {
        exit_of(self.unit, site)
    }

    /// Packs the exit's variables, hands them to the runtime, and returns.
    fn lower_hop_exit(&mut self, site: u32, span: Span) -> Result<(), CodegenError> {
        let unit = self.unit;
        let exit = exit_of(unit, site).ok_or_else(|| unsupported("goToNetwork without a planned exit", span))?;
        if let Some(frame) = self.defer_frame {
            // The deferred calls leave with the flow (in the scope when the
            // plan sends them); this frame ends here without running them.
            let header = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 24, 3));
            let addr = self.builder.ins().stack_addr(types::I64, header, 0);
            self.call_runtime(symbols::DEFER_TAKE, &[types::I64, types::I64], &[], &[frame, addr])?;
            if let Some(defers) = self.program.main_defers {
                let words: Vec<Value> =
                    (0..3).map(|i| self.builder.ins().load(types::I64, MemFlagsData::trusted(), addr, i * 8)).collect();
                self.write_local(defers, words)?;
            }
        }
        let scope = self.call_runtime(symbols::SCOPE_NEW, &[], &[types::I64], &[])?[0];
        for (slot, var) in exit.vars.iter().enumerate() {
            if let Some(graph) = var.graph {
                let VarSource::Local(local) = var.source else {
                    return Err(unsupported(&format!("passing {} of type {} on without using it", var.name, var.go_type), span));
                };
                self.scope_put_graph(scope, slot as u32, local, graph)?;
                continue;
            }
            let values: Vec<Value> = match var.source {
                VarSource::Local(local) => self.read_local(local)?,
                VarSource::PassThrough => {
                    let vars = self.pass_through.get(&var.name).cloned().unwrap_or_default();
                    vars.iter().map(|v| self.builder.use_var(*v)).collect()
                }
            };
            let values = self.wire_convert(values, &tag_parts(var.tag));
            let slot_value = self.builder.ins().iconst(types::I32, slot as i64);
            let (name, params): (&'static str, Vec<Type>) = match var.tag {
                TypeTag::Int => (symbols::SCOPE_PUT_INT, vec![types::I64, types::I32, types::I64]),
                TypeTag::Bool => (symbols::SCOPE_PUT_BOOL, vec![types::I64, types::I32, types::I8]),
                TypeTag::Float64 => (symbols::SCOPE_PUT_FLOAT64, vec![types::I64, types::I32, types::F64]),
                TypeTag::String => (symbols::SCOPE_PUT_STRING, vec![types::I64, types::I32, types::I64, types::I64]),
                TypeTag::Nil => continue,
                other => return Err(unsupported(&format!("sending a {} in a scope", other.go_name()), span)),
            };
            let mut args = vec![scope, slot_value];
            args.extend(values);
            self.call_runtime(name, &params, &[], &args)?;
        }
        let index = self.builder.ins().iconst(types::I32, site as i64);
        self.call_runtime(symbols::GO_TO_NETWORK, &[types::I32, types::I64], &[], &[index, scope])?;
        self.builder.ins().return_(&[]);
        self.start_dead_block();
        Ok(())
    }

    fn lower_scalar(&mut self, expr: ExprId) -> Result<Value, CodegenError> {
        let values = self.lower_expr(expr)?;
        values.first().copied().ok_or_else(|| unsupported("a value without representation", self.program.expr(expr).span))
    }

    fn string_data(&mut self, bytes: &[u8]) -> Result<DataId, CodegenError> {
        self.mcx.string_data(bytes)
    }

    fn string_const(&mut self, bytes: &[u8]) -> Result<(Value, Value), CodegenError> {
        let id = self.string_data(bytes)?;
        let gv = self.mcx.module.declare_data_in_func(id, self.builder.func);
        let ptr = self.builder.ins().symbol_value(types::I64, gv);
        let len = self.builder.ins().iconst(types::I64, bytes.len() as i64);
        Ok((ptr, len))
    }

    /// An integer constant of a machine type; narrow immediates are stored
    /// zero-extended, as the verifier wants.
    fn int_const(&mut self, ty: Type, value: i128) -> Value {
        let bits = ty.bits();
        let raw = if bits >= 64 { value as i64 } else { (value as i64) & ((1i64 << bits) - 1) };
        self.builder.ins().iconst(ty, raw)
    }

    fn lower_const(&mut self, value: &ConstValue, ty: TypeId, span: Span) -> Result<Vec<Value>, CodegenError> {
        let class = self.class(ty);
        let parts = self.parts(ty, span)?;
        Ok(match (value, class) {
            (ConstValue::Int(v), Class::Integer { .. }) => vec![self.int_const(parts[0], *v)],
            (ConstValue::Float(v), Class::Integer { .. }) => vec![self.int_const(parts[0], v.to_i128().unwrap_or_default())],
            (ConstValue::Int(v), Class::Float) => vec![self.float_const(parts[0], *v as f64)],
            (ConstValue::Float(v), Class::Float) => {
                let value = if parts[0] == types::F32 { v.to_f32() } else { v.to_f64() };
                vec![self.float_const(parts[0], value)]
            }
            (ConstValue::Int(_) | ConstValue::Float(_) | ConstValue::Complex(..), Class::Complex) => {
                use g2n_sema::exact::Exact;
                let (re, im) = match value {
                    ConstValue::Int(v) => (Exact::from_i128(*v), Exact::from_i128(0)),
                    ConstValue::Complex(r, i) => (r.clone(), i.clone()),
                    ConstValue::Float(f) => (f.clone(), Exact::from_i128(0)),
                    _ => return Err(unsupported("this constant", span)),
                };
                let round = |x: &g2n_sema::exact::Exact| if parts[0] == types::F32 { x.to_f32() } else { x.to_f64() };
                let (re, im) = (round(&re), round(&im));
                vec![self.float_const(parts[0], re), self.float_const(parts[1], im)]
            }
            (ConstValue::Bool(b), Class::Bool) => vec![self.builder.ins().iconst(types::I8, *b as i64)],
            (ConstValue::String(s), Class::String) => {
                let (ptr, len) = self.string_const(s.as_bytes())?;
                vec![ptr, len]
            }
            (ConstValue::Nil, Class::Other | Class::Pointer | Class::Slice | Class::Interface) => {
                let zero = self.builder.ins().iconst(types::I64, 0);
                parts.iter().map(|_| zero).collect()
            }
            _ => return Err(unsupported("this constant", span)),
        })
    }

    fn float_const(&mut self, ty: Type, value: f64) -> Value {
        if ty == types::F32 { self.builder.ins().f32const(value as f32) } else { self.builder.ins().f64const(value) }
    }

    fn lower_expr(&mut self, id: ExprId) -> Result<Vec<Value>, CodegenError> {
        let expr = self.program.expr(id);
        let span = expr.span;
        match &expr.kind {
            ExprKind::Const(value) => self.lower_const(value, expr.ty, span),
            ExprKind::Local(local) => self.read_local(*local),
            ExprKind::Unary { op: hir::UnaryOp::Neg, operand } if self.class(expr.ty) == Class::Complex => {
                let parts = self.lower_expr(*operand)?;
                Ok(parts.into_iter().map(|p| self.builder.ins().fneg(p)).collect())
            }
            ExprKind::Unary { op, operand } => {
                let value = self.lower_scalar(*operand)?;
                let is_float = self.class(expr.ty) == Class::Float;
                Ok(vec![match op {
                    hir::UnaryOp::Neg if is_float => self.builder.ins().fneg(value),
                    hir::UnaryOp::Neg => self.builder.ins().ineg(value),
                    hir::UnaryOp::Not => self.builder.ins().bxor_imm_s(value, 1),
                    hir::UnaryOp::BitNot => self.builder.ins().bnot(value),
                }])
            }
            ExprKind::Binary { op, lhs, rhs } => self.lower_binary(*op, *lhs, *rhs, span),
            ExprKind::ToInterface(inner) => self.lower_to_interface(*inner, span),
            ExprKind::Intrinsic { which, args } => self.lower_intrinsic(*which, args, span),
            ExprKind::Call { func, args } => {
                let func_ref = self.func_ref(*func, span)?;
                let mut values = Vec::new();
                for arg in args {
                    values.extend(self.lower_expr(*arg)?);
                }
                let call = self.builder.ins().call(func_ref, &values);
                Ok(self.builder.inst_results(call).to_vec())
            }
            ExprKind::Convert(inner) => self.lower_convert(*inner, expr.ty, span),
            ExprKind::AddrOfLocal(local) => Ok(vec![self.local_addr(*local)?]),
            ExprKind::Load(addr) => {
                let pointer = self.lower_pointer(*addr)?;
                self.load_value(expr.ty, pointer, span)
            }
            ExprKind::FieldAddr { base, offset } => {
                let pointer = self.lower_pointer(*base)?;
                Ok(vec![self.builder.ins().iadd_imm_s(pointer, *offset as i64)])
            }
            ExprKind::IndexAddr { base, index } => {
                let base_ty = self.program.expr(*base).ty;
                let (pointer, len, elem_size) = match self.kind(base_ty).clone() {
                    TypeKind::Slice(elem) => {
                        let parts = self.lower_expr(*base)?;
                        (parts[0], parts[1], self.program.types.layout(elem).size)
                    }
                    TypeKind::Pointer(array) => {
                        let pointer = self.lower_pointer(*base)?;
                        let TypeKind::Array(n, elem) = self.kind(array).clone() else {
                            return Err(unsupported("indexing this value", span));
                        };
                        let len = self.builder.ins().iconst(types::I64, n as i64);
                        (pointer, len, self.program.types.layout(elem).size)
                    }
                    _ => return Err(unsupported("indexing this value", span)),
                };
                let index_class = self.class(self.program.expr(*index).ty);
                let index = self.lower_scalar(*index)?;
                let index = self.widen_to_i64(index, index_class);
                if !self.mcx.unchecked_indexes.contains(&id) {
                    self.bounds_check(index, len)?;
                }
                let offset = self.builder.ins().imul_imm_s(index, elem_size as i64);
                Ok(vec![self.builder.ins().iadd(pointer, offset)])
            }
            ExprKind::AggregateAddr(inner) => self.lower_expr(*inner),
            ExprKind::Alloc(ty) => {
                let size = self.program.types.layout(*ty).size;
                Ok(vec![self.alloc(size)?])
            }
            ExprKind::Composite { elems } => {
                let layout = self.program.types.layout(expr.ty);
                let storage = if self.mcx.stack.composites.contains(&id) {
                    // Only copied from (escape analysis): a frame temporary.
                    let slot = self.new_stack_slot(layout.size, layout.align);
                    let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
                    self.zero_memory(addr, layout.size);
                    addr
                } else {
                    self.alloc(layout.size)?
                };
                for (offset, value) in elems {
                    let values = self.lower_expr(*value)?;
                    let at = self.builder.ins().iadd_imm_s(storage, *offset as i64);
                    let value_ty = self.program.expr(*value).ty;
                    self.store_value(value_ty, at, values, span)?;
                }
                Ok(vec![storage])
            }
            ExprKind::SliceLit { len, elems } => {
                let elem_size = self.elem_size(expr.ty);
                let storage = self.alloc(elem_size * len)?;
                for (index, value) in elems {
                    let values = self.lower_expr(*value)?;
                    let at = self.builder.ins().iadd_imm_s(storage, (*index * elem_size) as i64);
                    let value_ty = self.program.expr(*value).ty;
                    self.store_value(value_ty, at, values, span)?;
                }
                let len = self.builder.ins().iconst(types::I64, *len as i64);
                Ok(vec![storage, len, len])
            }
            ExprKind::SliceOf { base, lo, hi, max } => self.lower_slice_of(*base, *lo, *hi, *max, expr.ty, span),
            ExprKind::MakeSlice { len, cap } => {
                let elem_size = self.elem_size(expr.ty);
                let len_class = self.class(self.program.expr(*len).ty);
                let len = self.lower_scalar(*len)?;
                let len = self.widen_to_i64(len, len_class);
                let cap = match cap {
                    Some(cap) => {
                        let cap_class = self.class(self.program.expr(*cap).ty);
                        let cap = self.lower_scalar(*cap)?;
                        self.widen_to_i64(cap, cap_class)
                    }
                    None => len,
                };
                let size = self.builder.ins().iconst(types::I64, elem_size as i64);
                let pointer = self.call_runtime(symbols::MAKE_SLICE, &[types::I64; 3], &[types::I64], &[size, len, cap])?[0];
                Ok(vec![pointer, len, cap])
            }
            ExprKind::StdCall { symbol, args, variadic, spread } => self.lower_std_call(symbol, args, *variadic, *spread, expr.ty, span),
            ExprKind::Closure(func) => {
                let captures = self.program.func(*func).captures.clone().unwrap_or_default();
                let object = self.alloc(8 * (captures.len() as u64 + 1))?;
                let func_ref = self.func_ref(*func, span)?;
                let address = self.builder.ins().func_addr(types::I64, func_ref);
                self.builder.ins().store(MemFlagsData::trusted(), address, object, 0);
                for (index, local) in captures.iter().enumerate() {
                    let storage = self.local_addr(*local)?;
                    self.builder.ins().store(MemFlagsData::trusted(), storage, object, ((index + 1) * 8) as i32);
                }
                Ok(vec![object])
            }
            ExprKind::FuncValue(func) => {
                let data = self.func_value_object(*func, span)?;
                let gv = self.mcx.module.declare_data_in_func(data, self.builder.func);
                Ok(vec![self.builder.ins().symbol_value(types::I64, gv)])
            }
            ExprKind::CallValue { callee, args } => {
                let object = self.lower_scalar(*callee)?;
                self.nil_check(object)?;
                let mut call_args = vec![object];
                for arg in args {
                    call_args.extend(self.lower_expr(*arg)?);
                }
                let function = self.builder.ins().load(types::I64, MemFlagsData::trusted(), object, 0);
                let mut sig = Signature::new(self.mcx.module.isa().default_call_conv());
                for value in &call_args {
                    sig.params.push(AbiParam::new(self.builder.func.dfg.value_type(*value)));
                }
                let results = match self.kind(expr.ty).clone() {
                    TypeKind::Tuple(elems) => {
                        let mut all = Vec::new();
                        for elem in elems {
                            all.extend(self.parts(elem, span)?);
                        }
                        all
                    }
                    _ => self.parts(expr.ty, span)?,
                };
                sig.returns.extend(results.into_iter().map(AbiParam::new));
                let sig_ref = self.builder.import_signature(sig);
                let call = self.builder.ins().call_indirect(sig_ref, function, &call_args);
                Ok(self.builder.inst_results(call).to_vec())
            }
            ExprKind::TupleField { tuple, index } => {
                let values = match self.tuples.get(tuple) {
                    Some(values) => values.clone(),
                    None => {
                        let values = self.lower_expr(*tuple)?;
                        self.tuples.insert(*tuple, values.clone());
                        values
                    }
                };
                let TypeKind::Tuple(elems) = self.kind(self.program.expr(*tuple).ty).clone() else {
                    return Err(unsupported("this multi-value argument", span));
                };
                let mut start = 0;
                for elem in &elems[..*index as usize] {
                    start += self.parts(*elem, span)?.len();
                }
                let count = self.parts(elems[*index as usize], span)?.len();
                Ok(values[start..start + count].to_vec())
            }
            ExprKind::MakeChan { size } => self.lower_make_chan(expr.ty, *size),
            ExprKind::Recv { chan, comma_ok } => self.lower_recv(*chan, *comma_ok, expr.span),
            ExprKind::MakeMap { hint } => {
                let hint = match hint {
                    Some(h) => {
                        let class = self.class(self.program.expr(*h).ty);
                        let v = self.lower_scalar(*h)?;
                        self.widen_to_i64(v, class)
                    }
                    None => self.builder.ins().iconst(types::I64, 0),
                };
                Ok(vec![self.new_map(expr.ty, hint)?])
            }
            ExprKind::MapLit { entries } => {
                let hint = self.builder.ins().iconst(types::I64, entries.len() as i64);
                let map = self.new_map(expr.ty, hint)?;
                for (key, value) in entries {
                    let key_ptr = self.key_pointer(*key)?;
                    let values = self.lower_expr(*value)?;
                    let slot = self.call_runtime(symbols::MAP_ASSIGN, &[types::I64, types::I64], &[types::I64], &[map, key_ptr])?[0];
                    let ty = self.program.expr(*value).ty;
                    self.store_value(ty, slot, values, span)?;
                }
                Ok(vec![map])
            }
            ExprKind::MapIndex { map, key, comma_ok } => self.lower_map_index(*map, *key, *comma_ok, span),
            ExprKind::InterfaceCall { receiver, method, args } => self.lower_interface_call(*receiver, method, args, expr.ty, span),
            ExprKind::TypeAssert { value, target, comma_ok } => self.lower_type_assert(*value, *target, *comma_ok, span),
            ExprKind::Append { slice, values, spread } => self.lower_append(*slice, values, *spread, expr.ty, span),
            ExprKind::StringIndex { base, index } => {
                let base = self.lower_expr(*base)?;
                let index_class = self.class(self.program.expr(*index).ty);
                let index = self.lower_scalar(*index)?;
                let index = self.widen_to_i64(index, index_class);
                self.bounds_check(index, base[1])?;
                let addr = self.builder.ins().iadd(base[0], index);
                Ok(vec![self.builder.ins().load(types::I8, MemFlagsData::trusted(), addr, 0)])
            }
        }
    }

    /// An integer as 64 bits, extended by its signedness.
    fn widen_to_i64(&mut self, value: Value, class: Class) -> Value {
        let ty = self.builder.func.dfg.value_type(value);
        if ty == types::I64 {
            return value;
        }
        match class {
            Class::Integer { signed: true, .. } => self.builder.ins().sextend(types::I64, value),
            _ => self.builder.ins().uextend(types::I64, value),
        }
    }

    /// Panics unless `0 <= index < len`; one unsigned compare covers both.
    fn bounds_check(&mut self, index: Value, len: Value) -> Result<(), CodegenError> {
        let out_of_range = self.builder.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        let panic_block = self.builder.create_block();
        let ok_block = self.builder.create_block();
        self.builder.ins().brif(out_of_range, panic_block, &[], ok_block, &[]);
        self.builder.seal_block(panic_block);
        self.builder.seal_block(ok_block);
        self.builder.set_cold_block(panic_block);
        self.builder.switch_to_block(panic_block);
        self.call_runtime(symbols::PANIC_INDEX, &[types::I64, types::I64], &[], &[index, len])?;
        self.builder.ins().trap(TrapCode::unwrap_user(2));
        self.builder.switch_to_block(ok_block);
        Ok(())
    }

    /// Numeric conversions and `string(rune)`
    /// ([Go spec: Conversions](https://go.dev/ref/spec#Conversions)).
    fn lower_convert(&mut self, inner: ExprId, target: TypeId, span: Span) -> Result<Vec<Value>, CodegenError> {
        let from = self.class(self.program.expr(inner).ty);
        let to = self.class(target);
        let values = self.lower_expr(inner)?;
        let to_parts = self.parts(target, span)?;
        let value = values.first().copied();
        Ok(match (from, to, value) {
            (Class::String, Class::String, _)
            | (Class::Bool, Class::Bool, _)
            | (Class::Pointer, Class::Pointer, _)
            | (Class::Slice, Class::Slice, _)
            | (Class::Aggregate, Class::Aggregate, _)
            | (Class::Interface, Class::Interface, _) => values,
            (Class::Integer { bits: from_bits, signed }, Class::Integer { bits: to_bits, .. }, Some(v)) => {
                let ty = to_parts[0];
                vec![if to_bits < from_bits {
                    self.builder.ins().ireduce(ty, v)
                } else if to_bits > from_bits && signed {
                    self.builder.ins().sextend(ty, v)
                } else if to_bits > from_bits {
                    self.builder.ins().uextend(ty, v)
                } else {
                    v
                }]
            }
            (Class::Integer { signed, .. }, Class::Float, Some(v)) => {
                let ty = to_parts[0];
                vec![if signed { self.builder.ins().fcvt_from_sint(ty, v) } else { self.builder.ins().fcvt_from_uint(ty, v) }]
            }
            (Class::Float, Class::Integer { bits, signed }, Some(v)) => {
                // Out-of-range results are implementation-defined in Go;
                // saturating keeps them from trapping.
                let wide = if signed || bits < 64 {
                    self.builder.ins().fcvt_to_sint_sat(types::I64, v)
                } else {
                    self.builder.ins().fcvt_to_uint_sat(types::I64, v)
                };
                let ty = to_parts[0];
                vec![if bits < 64 { self.builder.ins().ireduce(ty, wide) } else { wide }]
            }
            (Class::Float, Class::Float, Some(v)) => {
                let from_ty = self.builder.func.dfg.value_type(v);
                let ty = to_parts[0];
                vec![if from_ty == ty {
                    v
                } else if ty == types::F64 {
                    self.builder.ins().fpromote(ty, v)
                } else {
                    self.builder.ins().fdemote(ty, v)
                }]
            }
            (Class::Complex, Class::Complex, _) => {
                let from_ty = self.builder.func.dfg.value_type(values[0]);
                let ty = to_parts[0];
                values
                    .into_iter()
                    .map(|v| {
                        if from_ty == ty {
                            v
                        } else if ty == types::F64 {
                            self.builder.ins().fpromote(ty, v)
                        } else {
                            self.builder.ins().fdemote(ty, v)
                        }
                    })
                    .collect()
            }
            (Class::String, Class::Slice, _) => {
                let rune_elems = self.elem_size(target) == 4;
                let flag = self.builder.ins().iconst(types::I8, rune_elems as i64);
                let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 24, 3));
                let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                self.call_runtime(symbols::STRING_TO_SLICE, &[types::I64, types::I64, types::I8, types::I64], &[], &[values[0], values[1], flag, out_addr])?;
                (0..3).map(|i| self.builder.ins().stack_load(types::I64, types::I64, out, i * 8)).collect()
            }
            (Class::Slice, Class::String, _) => {
                let rune_elems = self.elem_size(self.program.expr(inner).ty) == 4;
                let flag = self.builder.ins().iconst(types::I8, rune_elems as i64);
                self.call_runtime(symbols::SLICE_TO_STRING, &[types::I64, types::I64, types::I8], &[types::I64, types::I64], &[values[0], values[1], flag])?
            }
            (Class::Integer { .. }, Class::String, Some(v)) => {
                let rune = self.widen_to_i64(v, from);
                let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                self.call_runtime(symbols::STRING_FROM_RUNE, &[types::I64, types::I64], &[], &[rune, out_addr])?;
                let ptr = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
                let len = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
                vec![ptr, len]
            }
            _ => return Err(unsupported("this conversion", span)),
        })
    }

    /// Stores interface values into a stack array of [`g2n_abi::GoAny`].
    fn any_array(&mut self, args: &[ExprId]) -> Result<(Value, Value), CodegenError> {
        let size = ANY_SIZE * (args.len().max(1) as u32);
        let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
        for (index, arg) in args.iter().enumerate() {
            let values = self.lower_expr(*arg)?;
            for (word, value) in values.iter().enumerate() {
                let offset = index as i32 * ANY_SIZE as i32 + word as i32 * 8;
                self.builder.ins().stack_store(types::I64, *value, slot, offset);
            }
        }
        let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
        let count = self.builder.ins().iconst(types::I64, args.len() as i64);
        Ok((addr, count))
    }

    fn lower_intrinsic(&mut self, which: Intrinsic, args: &[ExprId], span: Span) -> Result<Vec<Value>, CodegenError> {
        match which {
            Intrinsic::FmtPrintf => {
                let (format, rest) = args.split_first().ok_or_else(|| unsupported("Printf without format", span))?;
                let format = self.lower_expr(*format)?;
                let (array, count) = self.any_array(rest)?;
                self.call_runtime(
                    symbols::FMT_PRINTF,
                    &[types::I64, types::I64, types::I64, types::I64],
                    &[],
                    &[format[0], format[1], array, count],
                )?;
            }
            Intrinsic::FmtPrintln | Intrinsic::FmtPrint => {
                let (array, count) = self.any_array(args)?;
                let name = if which == Intrinsic::FmtPrintln { symbols::FMT_PRINTLN } else { symbols::FMT_PRINT };
                self.call_runtime(name, &[types::I64, types::I64], &[], &[array, count])?;
            }
            Intrinsic::Print | Intrinsic::Println => {
                let (array, count) = self.any_array(args)?;
                let newline = self.builder.ins().iconst(types::I8, (which == Intrinsic::Println) as i64);
                self.call_runtime(symbols::BUILTIN_PRINT, &[types::I64, types::I64, types::I8], &[], &[array, count, newline])?;
            }
            Intrinsic::Panic => {
                let (array, _) = self.any_array(args)?;
                self.call_runtime(symbols::PANIC, &[types::I64], &[], &[array])?;
                self.builder.ins().trap(TrapCode::unwrap_user(2));
                self.start_dead_block();
            }
            Intrinsic::Recover => {
                let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, ANY_SIZE, 3));
                let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
                self.call_runtime(symbols::RECOVER, &[types::I64], &[], &[addr])?;
                return Ok((0..3).map(|i| self.builder.ins().stack_load(types::I64, types::I64, slot, i * 8)).collect());
            }
            Intrinsic::ChanClose | Intrinsic::ChanLen | Intrinsic::ChanCap => {
                let arg = args.first().ok_or_else(|| unsupported("a channel builtin without argument", span))?;
                let chan = self.lower_scalar(*arg)?;
                return match which {
                    Intrinsic::ChanClose => self.call_runtime(symbols::CHAN_CLOSE, &[types::I64], &[], &[chan]),
                    Intrinsic::ChanLen => self.call_runtime(symbols::CHAN_LEN, &[types::I64], &[types::I64], &[chan]),
                    _ => self.call_runtime(symbols::CHAN_CAP, &[types::I64], &[types::I64], &[chan]),
                };
            }
            Intrinsic::Complex => {
                let [re, im] = args else { return Err(unsupported("complex", span)) };
                let re = self.lower_scalar(*re)?;
                let im = self.lower_scalar(*im)?;
                return Ok(vec![re, im]);
            }
            Intrinsic::Real | Intrinsic::Imag => {
                let arg = args.first().ok_or_else(|| unsupported("real or imag without argument", span))?;
                let parts = self.lower_expr(*arg)?;
                let index = if which == Intrinsic::Imag { 1 } else { 0 };
                return parts.get(index).map(|v| vec![*v]).ok_or_else(|| unsupported("real or imag of this value", span));
            }
            Intrinsic::MapLen => {
                let arg = args.first().ok_or_else(|| unsupported("len without argument", span))?;
                let map = self.lower_scalar(*arg)?;
                return self.call_runtime(symbols::MAP_LEN, &[types::I64], &[types::I64], &[map]);
            }
            Intrinsic::CheckInterfaceNotNil => {
                let arg = args.first().ok_or_else(|| unsupported("a nil check without a value", span))?;
                let tag = self.lower_expr(*arg)?[0];
                let is_nil = self.builder.create_block();
                let after = self.builder.create_block();
                self.builder.ins().brif(tag, after, &[], is_nil, &[]);
                self.builder.seal_block(is_nil);
                self.builder.switch_to_block(is_nil);
                self.builder.set_cold_block(is_nil);
                self.panic_runtime_error("invalid memory address or nil pointer dereference")?;
                self.builder.seal_block(after);
                self.builder.switch_to_block(after);
                return Ok(Vec::new());
            }
            Intrinsic::MapKeys => {
                let arg = args.first().ok_or_else(|| unsupported("map keys without a map", span))?;
                let map = self.lower_scalar(*arg)?;
                let header = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 24, 3));
                let addr = self.builder.ins().stack_addr(types::I64, header, 0);
                self.call_runtime(symbols::MAP_KEYS, &[types::I64, types::I64], &[], &[map, addr])?;
                return Ok((0..3).map(|i| self.builder.ins().load(types::I64, MemFlagsData::trusted(), addr, i * 8)).collect());
            }
            Intrinsic::MapDelete => {
                let [map, key] = args else { return Err(unsupported("delete", span)) };
                let map = self.lower_scalar(*map)?;
                let key_ptr = self.key_pointer(*key)?;
                self.call_runtime(symbols::MAP_DELETE, &[types::I64, types::I64], &[], &[map, key_ptr])?;
            }
            Intrinsic::StringLen | Intrinsic::SliceLen | Intrinsic::SliceCap => {
                let arg = args.first().ok_or_else(|| unsupported("len without argument", span))?;
                let values = self.lower_expr(*arg)?;
                let index = if which == Intrinsic::SliceCap { 2 } else { 1 };
                return Ok(vec![values[index]]);
            }
            Intrinsic::Copy => {
                let [dst, src] = args else { return Err(unsupported("copy", span)) };
                let elem_size = self.elem_size(self.program.expr(*dst).ty).max(1);
                let dst = self.lower_expr(*dst)?;
                let src = self.lower_expr(*src)?;
                let shorter = self.builder.ins().icmp(IntCC::SignedLessThan, dst[1], src[1]);
                let count = self.builder.ins().select(shorter, dst[1], src[1]);
                let bytes = self.builder.ins().imul_imm_s(count, elem_size as i64);
                self.move_memory_dynamic(dst[0], src[0], bytes);
                return Ok(vec![count]);
            }
            Intrinsic::DecodeRune => {
                let [string, index] = args else { return Err(unsupported("range over a string", span)) };
                let string = self.lower_expr(*string)?;
                let index = self.lower_scalar(*index)?;
                let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                self.call_runtime(symbols::DECODE_RUNE, &[types::I64; 4], &[], &[string[0], string[1], index, out_addr])?;
                let rune = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
                let rune = self.builder.ins().ireduce(types::I32, rune);
                let width = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
                return Ok(vec![rune, width]);
            }
            Intrinsic::OsExit => {
                let code = match args.first() {
                    Some(arg) => self.lower_scalar(*arg)?,
                    None => self.builder.ins().iconst(types::I64, 0),
                };
                self.call_runtime(symbols::EXIT, &[types::I64], &[], &[code])?;
            }
        }
        // The (n int, err error) results of fmt functions are not used by
        // expression statements; callers that need them are rejected by sema.
        Ok(Vec::new())
    }

    fn panic_runtime_error(&mut self, message: &str) -> Result<(), CodegenError> {
        let (ptr, len) = self.string_const(message.as_bytes())?;
        self.call_runtime(symbols::PANIC_RUNTIME_ERROR, &[types::I64, types::I64], &[], &[ptr, len])?;
        self.builder.ins().trap(TrapCode::unwrap_user(2));
        Ok(())
    }

    /// Branches on a boolean condition. `&&`, `||` and `!` become control
    /// flow rather than a materialised bool, so each comparison feeds its
    /// branch directly (Cranelift fuses a compare with the branch on it).
    /// The targets are not sealed here: the caller seals them.
    fn branch_on(&mut self, cond: ExprId, if_true: Block, if_false: Block) -> Result<(), CodegenError> {
        match &self.program.expr(cond).kind {
            ExprKind::Binary { op: op @ (hir::BinaryOp::LogAnd | hir::BinaryOp::LogOr), lhs, rhs } => {
                let (op, lhs, rhs) = (*op, *lhs, *rhs);
                // The right operand runs when the left one does not decide.
                let right = self.builder.create_block();
                if op == hir::BinaryOp::LogAnd {
                    self.branch_on(lhs, right, if_false)?;
                } else {
                    self.branch_on(lhs, if_true, right)?;
                }
                self.builder.seal_block(right);
                self.builder.switch_to_block(right);
                self.branch_on(rhs, if_true, if_false)
            }
            ExprKind::Unary { op: hir::UnaryOp::Not, operand } => {
                let operand = *operand;
                self.branch_on(operand, if_false, if_true)
            }
            _ => {
                let value = self.lower_scalar(cond)?;
                self.builder.ins().brif(value, if_true, &[], if_false, &[]);
                Ok(())
            }
        }
    }

    /// `x % 2^k == 0` (or `!= 0`) as a test of the low bits, which holds for
    /// negative `x` too: a remainder is zero exactly when they are.
    fn lower_remainder_test(&mut self, op: hir::BinaryOp, lhs: ExprId, rhs: ExprId) -> Result<Option<Value>, CodegenError> {
        use hir::BinaryOp as B;
        let cc = match op {
            B::Eq => IntCC::Equal,
            B::Ne => IntCC::NotEqual,
            _ => return Ok(None),
        };
        let is_zero = |e: ExprId| matches!(self.program.expr(e).kind, ExprKind::Const(ConstValue::Int(0)));
        let rem = match (is_zero(lhs), is_zero(rhs)) {
            (false, true) => lhs,
            (true, false) => rhs,
            _ => return Ok(None),
        };
        let ExprKind::Binary { op: B::Rem, lhs: dividend, rhs: divisor } = self.program.expr(rem).kind else { return Ok(None) };
        let ExprKind::Const(ConstValue::Int(d)) = self.program.expr(divisor).kind else { return Ok(None) };
        if !matches!(self.class(self.program.expr(rem).ty), Class::Integer { .. }) || d <= 0 || (d & (d - 1)) != 0 || d > 1 << 62 {
            return Ok(None);
        }
        let value = self.lower_scalar(dividend)?;
        let low_bits = self.builder.ins().band_imm_s(value, (d - 1) as i64);
        Ok(Some(self.builder.ins().icmp_imm_s(cc, low_bits, 0)))
    }

    fn lower_binary(&mut self, op: hir::BinaryOp, lhs: ExprId, rhs: ExprId, span: Span) -> Result<Vec<Value>, CodegenError> {
        use hir::BinaryOp as B;
        let class = self.class(self.program.expr(lhs).ty);

        if matches!(op, B::LogAnd | B::LogOr) {
            // Short circuit: the right operand runs only when needed.
            let left = self.lower_scalar(lhs)?;
            let right_block = self.builder.create_block();
            let merge = self.builder.create_block();
            let result = self.builder.append_block_param(merge, types::I8);
            let args = [BlockArg::Value(left)];
            if op == B::LogAnd {
                self.builder.ins().brif(left, right_block, &[], merge, &args);
            } else {
                self.builder.ins().brif(left, merge, &args, right_block, &[]);
            }
            self.builder.seal_block(right_block);
            self.builder.switch_to_block(right_block);
            let right = self.lower_scalar(rhs)?;
            self.builder.ins().jump(merge, &[BlockArg::Value(right)]);
            self.builder.seal_block(merge);
            self.builder.switch_to_block(merge);
            return Ok(vec![result]);
        }

        if let Some(result) = self.lower_remainder_test(op, lhs, rhs)? {
            return Ok(vec![result]);
        }
        let count_class = self.class(self.program.expr(rhs).ty);
        let left = self.lower_expr(lhs)?;
        let right = self.lower_expr(rhs)?;
        match class {
            Class::String => {
                if op == B::Add {
                    let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                    let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                    self.call_runtime(
                        symbols::STRING_CONCAT,
                        &[types::I64; 5],
                        &[],
                        &[left[0], left[1], right[0], right[1], out_addr],
                    )?;
                    let ptr = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
                    let len = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
                    return Ok(vec![ptr, len]);
                }
                let order = self.call_runtime(
                    symbols::STRING_COMPARE,
                    &[types::I64; 4],
                    &[types::I64],
                    &[left[0], left[1], right[0], right[1]],
                )?[0];
                let cc = int_cc(op, true).ok_or_else(|| unsupported("this string operation", span))?;
                Ok(vec![self.builder.ins().icmp_imm_s(cc, order, 0)])
            }
            Class::Float => {
                let (a, b) = (left[0], right[0]);
                Ok(vec![match op {
                    B::Add => self.builder.ins().fadd(a, b),
                    B::Sub => self.builder.ins().fsub(a, b),
                    B::Mul => self.builder.ins().fmul(a, b),
                    B::Div => self.builder.ins().fdiv(a, b),
                    _ => {
                        let cc = float_cc(op).ok_or_else(|| unsupported("this float operation", span))?;
                        self.builder.ins().fcmp(cc, a, b)
                    }
                }])
            }
            Class::Complex => self.lower_complex_binary(op, &left, &right, span),
            Class::Integer { bits, signed } => {
                let (a, b) = (left[0], right[0]);
                Ok(vec![match op {
                    B::Add => self.builder.ins().iadd(a, b),
                    B::Sub => self.builder.ins().isub(a, b),
                    B::Mul => self.builder.ins().imul(a, b),
                    B::And => self.builder.ins().band(a, b),
                    B::Or => self.builder.ins().bor(a, b),
                    B::Xor => self.builder.ins().bxor(a, b),
                    B::AndNot => self.builder.ins().band_not(a, b),
                    B::Div | B::Rem => self.lower_division(op, a, b, signed)?,
                    B::Shl | B::Shr => self.lower_shift(op, a, b, bits, signed, count_class)?,
                    _ => {
                        let cc = int_cc(op, signed).ok_or_else(|| unsupported("this integer operation", span))?;
                        self.builder.ins().icmp(cc, a, b)
                    }
                }])
            }
            Class::Bool => {
                let cc = int_cc(op, false).filter(|cc| matches!(cc, IntCC::Equal | IntCC::NotEqual));
                let cc = cc.ok_or_else(|| unsupported("this boolean operation", span))?;
                Ok(vec![self.builder.ins().icmp(cc, left[0], right[0])])
            }
            Class::Pointer | Class::Slice => {
                // Pointers compare by address; a slice only with nil, by its pointer.
                let cc = int_cc(op, false).filter(|cc| matches!(cc, IntCC::Equal | IntCC::NotEqual));
                let cc = cc.ok_or_else(|| unsupported("this operation", span))?;
                Ok(vec![self.builder.ins().icmp(cc, left[0], right[0])])
            }
            Class::Interface => {
                let is_nil = |e: ExprId| matches!(self.program.expr(e).kind, ExprKind::Const(ConstValue::Nil));
                // Against nil only the tag matters: no call.
                let equal = if is_nil(lhs) || is_nil(rhs) {
                    self.builder.ins().icmp(IntCC::Equal, left[0], right[0])
                } else {
                    self.interface_equal(&left, &right)?
                };
                Ok(vec![match op {
                    B::Eq => equal,
                    B::Ne => self.builder.ins().bxor_imm_s(equal, 1),
                    _ => return Err(unsupported("this operation on interfaces", span)),
                }])
            }
            Class::Aggregate => {
                // Field-wise through the type's descriptor, as interface
                // equality compares a struct or array.
                let operand_ty = self.program.expr(lhs).ty;
                let tag = self.desc_address(operand_ty)?;
                let zero = self.builder.ins().iconst(types::I64, 0);
                let equal = self.interface_equal(&[tag, left[0], zero], &[tag, right[0], zero])?;
                Ok(vec![match op {
                    B::Eq => equal,
                    B::Ne => self.builder.ins().bxor_imm_s(equal, 1),
                    _ => return Err(unsupported("this operation on structs", span)),
                }])
            }
            Class::Other => Err(unsupported("this operation", span)),
        }
    }

    /// + - * / == != on complex values ([Go spec: Arithmetic operators](https://go.dev/ref/spec#Arithmetic_operators)).
    /// Like Go's compiler, complex64 products and quotients are computed in
    /// float64 and rounded once; division is the runtime's port of Go's
    /// `complex128div`, which handles infinities and NaNs as C99 does.
    fn lower_complex_binary(&mut self, op: hir::BinaryOp, left: &[Value], right: &[Value], span: Span) -> Result<Vec<Value>, CodegenError> {
        use hir::BinaryOp as B;
        let [a, b] = left else { return Err(unsupported("a complex operand", span)) };
        let [c, d] = right else { return Err(unsupported("a complex operand", span)) };
        let (a, b, c, d) = (*a, *b, *c, *d);
        let part = self.builder.func.dfg.value_type(a);
        let narrow = part == types::F32;
        let wide = |this: &mut Self, v: Value| if narrow { this.builder.ins().fpromote(types::F64, v) } else { v };
        let round = |this: &mut Self, v: Value| if narrow { this.builder.ins().fdemote(types::F32, v) } else { v };
        Ok(match op {
            B::Add => vec![self.builder.ins().fadd(a, c), self.builder.ins().fadd(b, d)],
            B::Sub => vec![self.builder.ins().fsub(a, c), self.builder.ins().fsub(b, d)],
            B::Mul => {
                let (a, b, c, d) = (wide(self, a), wide(self, b), wide(self, c), wide(self, d));
                let ac = self.builder.ins().fmul(a, c);
                let bd = self.builder.ins().fmul(b, d);
                let ad = self.builder.ins().fmul(a, d);
                let bc = self.builder.ins().fmul(b, c);
                let re = self.builder.ins().fsub(ac, bd);
                let im = self.builder.ins().fadd(ad, bc);
                vec![round(self, re), round(self, im)]
            }
            B::Div => {
                let (a, b, c, d) = (wide(self, a), wide(self, b), wide(self, c), wide(self, d));
                let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                self.call_runtime(
                    symbols::COMPLEX128_DIV,
                    &[types::F64, types::F64, types::F64, types::F64, types::I64],
                    &[],
                    &[a, b, c, d, out_addr],
                )?;
                let re = self.builder.ins().load(types::F64, MemFlagsData::trusted(), out_addr, 0);
                let im = self.builder.ins().load(types::F64, MemFlagsData::trusted(), out_addr, 8);
                vec![round(self, re), round(self, im)]
            }
            B::Eq | B::Ne => {
                let re = self.builder.ins().fcmp(FloatCC::Equal, a, c);
                let im = self.builder.ins().fcmp(FloatCC::Equal, b, d);
                let equal = self.builder.ins().band(re, im);
                vec![if op == B::Eq { equal } else { self.builder.ins().bxor_imm_s(equal, 1) }]
            }
            _ => return Err(unsupported("this complex operation", span)),
        })
    }

    fn widen_operand(&mut self, expr: Option<ExprId>) -> Result<Option<Value>, CodegenError> {
        let Some(expr) = expr else { return Ok(None) };
        let class = self.class(self.program.expr(expr).ty);
        let value = self.lower_scalar(expr)?;
        Ok(Some(self.widen_to_i64(value, class)))
    }

    /// `base[lo:hi:max]`: checks `0 <= lo <= hi <= max <= cap` with unsigned
    /// compares (a negative bound is a huge unsigned one).
    fn lower_slice_of(
        &mut self,
        base: ExprId,
        lo: Option<ExprId>,
        hi: Option<ExprId>,
        max: Option<ExprId>,
        result_ty: TypeId,
        span: Span,
    ) -> Result<Vec<Value>, CodegenError> {
        let base_ty = self.program.expr(base).ty;
        let (pointer, len, cap, elem_size, kind) = match self.kind(base_ty).clone() {
            TypeKind::String => {
                let parts = self.lower_expr(base)?;
                (parts[0], parts[1], parts[1], 1, 0)
            }
            TypeKind::Slice(elem) => {
                let parts = self.lower_expr(base)?;
                (parts[0], parts[1], parts[2], self.program.types.layout(elem).size, 1)
            }
            TypeKind::Pointer(array) => {
                let pointer = self.lower_pointer(base)?;
                let TypeKind::Array(n, elem) = self.kind(array).clone() else { return Err(unsupported("slicing this value", span)) };
                let n = self.builder.ins().iconst(types::I64, n as i64);
                (pointer, n, n, self.program.types.layout(elem).size, 1)
            }
            _ => return Err(unsupported("slicing this value", span)),
        };
        let kind = if max.is_some() { 2 } else { kind };
        let lo = match self.widen_operand(lo)? {
            Some(v) => v,
            None => self.builder.ins().iconst(types::I64, 0),
        };
        let hi = self.widen_operand(hi)?.unwrap_or(len);
        let max = self.widen_operand(max)?.unwrap_or(cap);
        let bad_max = self.builder.ins().icmp(IntCC::UnsignedGreaterThan, max, cap);
        let hi_limit = if kind == 2 { max } else { cap };
        let bad_hi = self.builder.ins().icmp(IntCC::UnsignedGreaterThan, hi, hi_limit);
        let bad_lo = self.builder.ins().icmp(IntCC::UnsignedGreaterThan, lo, hi);
        let bad = self.builder.ins().bor(bad_max, bad_hi);
        let bad = self.builder.ins().bor(bad, bad_lo);
        let panic_block = self.builder.create_block();
        let ok_block = self.builder.create_block();
        self.builder.ins().brif(bad, panic_block, &[], ok_block, &[]);
        self.builder.seal_block(panic_block);
        self.builder.seal_block(ok_block);
        self.builder.set_cold_block(panic_block);
        self.builder.switch_to_block(panic_block);
        let kind_value = self.builder.ins().iconst(types::I64, kind);
        let limit = if kind == 0 { len } else { cap };
        self.call_runtime(symbols::PANIC_SLICE, &[types::I64; 5], &[], &[lo, hi, max, limit, kind_value])?;
        self.builder.ins().trap(TrapCode::unwrap_user(2));
        self.builder.switch_to_block(ok_block);
        let offset = self.builder.ins().imul_imm_s(lo, elem_size as i64);
        let new_pointer = self.builder.ins().iadd(pointer, offset);
        let new_len = self.builder.ins().isub(hi, lo);
        if self.class(result_ty) == Class::String {
            return Ok(vec![new_pointer, new_len]);
        }
        let new_cap = self.builder.ins().isub(max, lo);
        Ok(vec![new_pointer, new_len, new_cap])
    }

    /// `append`: values first, then room (the runtime grows the array), then
    /// the new elements written after the old ones.
    fn lower_append(&mut self, slice: ExprId, values: &[ExprId], spread: bool, ty: TypeId, span: Span) -> Result<Vec<Value>, CodegenError> {
        let elem_size = self.elem_size(ty);
        let elem_ty = self.program.types.elem(ty).ok_or_else(|| unsupported("append to this value", span))?;
        let old = self.lower_expr(slice)?;
        let lowered: Vec<Vec<Value>> = values.iter().map(|v| self.lower_expr(*v)).collect::<Result<_, _>>()?;
        let extra = if spread {
            lowered.first().map(|v| v[1]).ok_or_else(|| unsupported("append", span))?
        } else {
            self.builder.ins().iconst(types::I64, values.len() as i64)
        };
        let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
        let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
        let size = self.builder.ins().iconst(types::I64, elem_size as i64);
        self.call_runtime(symbols::SLICE_RESERVE, &[types::I64; 6], &[], &[old[0], old[1], old[2], extra, size, out_addr])?;
        let pointer = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
        let cap = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
        let end_offset = self.builder.ins().imul_imm_s(old[1], elem_size as i64);
        let end = self.builder.ins().iadd(pointer, end_offset);
        if spread {
            let other = &lowered[0];
            let bytes = self.builder.ins().imul_imm_s(other[1], elem_size as i64);
            self.move_memory_dynamic(end, other[0], bytes);
        } else {
            for (index, value) in lowered.into_iter().enumerate() {
                let at = self.builder.ins().iadd_imm_s(end, (index as u64 * elem_size) as i64);
                self.store_value(elem_ty, at, value, span)?;
            }
        }
        let len = self.builder.ins().iadd(old[1], extra);
        Ok(vec![pointer, len, cap])
    }

    /// Go's integer division: a zero divisor panics, and `MinInt / -1` wraps
    /// instead of trapping as the machine instruction would.
    fn lower_division(&mut self, op: hir::BinaryOp, a: Value, b: Value, signed: bool) -> Result<Value, CodegenError> {
        let ty = self.builder.func.dfg.value_type(a);
        let panic_block = self.builder.create_block();
        let ok_block = self.builder.create_block();
        let is_zero = self.builder.ins().icmp_imm_s(IntCC::Equal, b, 0);
        self.builder.ins().brif(is_zero, panic_block, &[], ok_block, &[]);
        self.builder.seal_block(panic_block);
        self.builder.seal_block(ok_block);
        self.builder.set_cold_block(panic_block);
        self.builder.switch_to_block(panic_block);
        self.panic_runtime_error("integer divide by zero")?;
        self.builder.switch_to_block(ok_block);
        if !signed {
            return Ok(if op == hir::BinaryOp::Div { self.builder.ins().udiv(a, b) } else { self.builder.ins().urem(a, b) });
        }
        let minus_one = self.int_const(ty, -1);
        let is_minus_one = self.builder.ins().icmp(IntCC::Equal, b, minus_one);
        let one = self.builder.ins().iconst(ty, 1);
        let safe_divisor = self.builder.ins().select(is_minus_one, one, b);
        Ok(if op == hir::BinaryOp::Div {
            let quotient = self.builder.ins().sdiv(a, safe_divisor);
            let negated = self.builder.ins().ineg(a);
            self.builder.ins().select(is_minus_one, negated, quotient)
        } else {
            let remainder = self.builder.ins().srem(a, safe_divisor);
            let zero = self.builder.ins().iconst(ty, 0);
            self.builder.ins().select(is_minus_one, zero, remainder)
        })
    }

    /// Go shifts: a negative count panics, and a count of the width or more
    /// shifts every bit out (the machine instruction would take it modulo the
    /// width).
    fn lower_shift(
        &mut self,
        op: hir::BinaryOp,
        value: Value,
        count: Value,
        bits: u32,
        signed: bool,
        count_class: Class,
    ) -> Result<Value, CodegenError> {
        let ty = self.builder.func.dfg.value_type(value);
        let count = self.widen_to_i64(count, count_class);
        if matches!(count_class, Class::Integer { signed: true, .. }) {
            let panic_block = self.builder.create_block();
            let ok_block = self.builder.create_block();
            let negative = self.builder.ins().icmp_imm_s(IntCC::SignedLessThan, count, 0);
            self.builder.ins().brif(negative, panic_block, &[], ok_block, &[]);
            self.builder.seal_block(panic_block);
            self.builder.seal_block(ok_block);
            self.builder.set_cold_block(panic_block);
            self.builder.switch_to_block(panic_block);
            self.panic_runtime_error("negative shift amount")?;
            self.builder.switch_to_block(ok_block);
        }
        let too_big = self.builder.ins().icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, count, bits as i64);
        let zero = self.builder.ins().iconst(ty, 0);
        Ok(match op {
            hir::BinaryOp::Shl => {
                let shifted = self.builder.ins().ishl(value, count);
                self.builder.ins().select(too_big, zero, shifted)
            }
            _ if signed => {
                let max = self.builder.ins().iconst(types::I64, bits as i64 - 1);
                let clamped = self.builder.ins().select(too_big, max, count);
                self.builder.ins().sshr(value, clamped)
            }
            _ => {
                let shifted = self.builder.ins().ushr(value, count);
                self.builder.ins().select(too_big, zero, shifted)
            }
        })
    }
}

fn int_cc(op: hir::BinaryOp, signed: bool) -> Option<IntCC> {
    use hir::BinaryOp as B;
    Some(match (op, signed) {
        (B::Eq, _) => IntCC::Equal,
        (B::Ne, _) => IntCC::NotEqual,
        (B::Lt, true) => IntCC::SignedLessThan,
        (B::Le, true) => IntCC::SignedLessThanOrEqual,
        (B::Gt, true) => IntCC::SignedGreaterThan,
        (B::Ge, true) => IntCC::SignedGreaterThanOrEqual,
        (B::Lt, false) => IntCC::UnsignedLessThan,
        (B::Le, false) => IntCC::UnsignedLessThanOrEqual,
        (B::Gt, false) => IntCC::UnsignedGreaterThan,
        (B::Ge, false) => IntCC::UnsignedGreaterThanOrEqual,
        _ => return None,
    })
}

fn float_cc(op: hir::BinaryOp) -> Option<FloatCC> {
    use hir::BinaryOp as B;
    Some(match op {
        B::Eq => FloatCC::Equal,
        B::Ne => FloatCC::NotEqual,
        B::Lt => FloatCC::LessThan,
        B::Le => FloatCC::LessThanOrEqual,
        B::Gt => FloatCC::GreaterThan,
        B::Ge => FloatCC::GreaterThanOrEqual,
        _ => return None,
    })
}

/// See `Lowerer::exit_of`.
fn exit_of(unit: &UnitPlan, site: u32) -> Option<&g2n_split::ExitPlan> {
    let exits = &unit.exits;
    match exits.binary_search_by_key(&site, |e| e.index) {
        Ok(i) => Some(&exits[i]),
        Err(_) => exits.iter().find(|e| e.index == site),
    }
}
