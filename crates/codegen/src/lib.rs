//! Lowering of one analysed nanoservice ([`g2n_split::UnitPlan`]) to a native
//! object file with Cranelift.
//!
//! The object defines three symbols (names in [`g2n_abi::symbols`]):
//! - `g2n_unit_entry(resume_point, scope)`: `func main`'s body behind a
//!   dispatch on the resume point; each entry first loads the variables the
//!   scope carries;
//! - `g2n_unit_descriptor`: the unit descriptor text the runtime checks every
//!   incoming scope against;
//! - C `main`, which hands both to the runtime's `g2n_rt_main`.
//!
//! Go values map to Cranelift values as `g2n-abi` documents: `int` is one
//! `i64`, `bool` one `i8`, `float64` one `f64`, `string` two `i64` (pointer,
//! length), `any` three `i64` (tag and two payload words).

mod bounds;
mod errors;
mod escape;
mod function_cache;
mod inline;
mod lines;
mod lower;
mod mesh;
mod stack_class;
mod unread_globals;

pub use errors::CodegenError;
pub use function_cache::{CacheKvStore, CacheUse, FunctionCache, PackStore};
pub use mesh::{member_prefix, MeshObject};

use cranelift_codegen::ir::{types, AbiParam, InstBuilder, Signature};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataDescription, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use g2n_abi::{symbols, EntryDesc, ExitDesc, ScopeVar, UnitDescriptor, ABI_VERSION};
use g2n_split::{MeshPlan, UnitPlan};

/// What [`compile_unit`] produces.
pub struct CompiledUnit {
    /// The relocatable object (ELF on Linux).
    pub object: Vec<u8>,
    /// Cranelift IR of every function, when asked for.
    pub clif: Option<String>,
    pub descriptor: UnitDescriptor,
    /// Library functions compiled, and how many of them came from the cache.
    pub cache_use: CacheUse,
    /// Where the time went (`g2n build --timings`).
    pub phases: CodegenPhases,
}

/// How long code generation took, by phase: lowering the reachable
/// functions to Cranelift IR (with the descriptors and the program table),
/// compiling them to machine code (inlining, Cranelift, the build cache),
/// and emitting the object (the line table, `main`, the ELF file).
#[derive(Clone, Copy, Debug, Default)]
pub struct CodegenPhases {
    pub lower: std::time::Duration,
    pub compile: std::time::Duration,
    pub emit: std::time::Duration,
}

#[derive(Clone, Debug, Default)]
pub struct CodegenOptions {
    /// Keep the textual Cranelift IR (`g2n build --emit clif`).
    pub emit_clif: bool,
    /// The program's sources: the line table of panic traces names their
    /// files (by [`g2n_base::SourceFile::trace_name`]) and lines (without them, `?`; the standard library's are known).
    pub sources: Option<std::sync::Arc<g2n_base::SourceDb>>,
    /// Where compiled functions are kept between builds (`function_cache`);
    /// `None` compiles every function.
    pub function_cache: Option<FunctionCache>,
}

/// Split programs with more hops than this compile quickly rather than well.
const HUGE_SPLIT: usize = 1000;

fn make_isa() -> Result<OwnedTargetIsa, CodegenError> {
    make_isa_for(false)
}

/// `huge`: a split program with more than [`HUGE_SPLIT`] nanoservices (a
/// per-line split of a long `main`). Its `main` is one function with a hop
/// (a runtime call) on every line, so the optimiser has little to gain, and
/// the e-graph pass and the verifier grew faster than linearly with its size
/// (measured: half the compile time at 8,000 lines). Such programs are
/// compiled with `opt_level=none`, without the verifier, with the
/// single-pass register allocator, and without inlining (`compile_split`):
/// inlined bodies would only make that one huge function bigger.
fn make_isa_for(huge: bool) -> Result<OwnedTargetIsa, CodegenError> {
    let mut flags = settings::builder();
    let setting_error = |e: settings::SetError| CodegenError::Backend { message: e.to_string() };
    // Debian's cc links position-independent executables by default.
    flags.set("is_pic", "true").map_err(setting_error)?;
    flags.set("opt_level", if huge { "none" } else { "speed" }).map_err(setting_error)?;
    // The verifier runs in debug builds of g2n (every test and the
    // conformance runner use one), where a malformed function is a g2n bug
    // to catch early; a release build skips it (5% of compile time).
    let verify = cfg!(debug_assertions) && !huge;
    flags.set("enable_verifier", if verify { "true" } else { "false" }).map_err(setting_error)?;
    if huge {
        // The backtracking allocator took two thirds of the rest.
        flags.set("regalloc_algorithm", "single_pass").map_err(setting_error)?;
    }
    // A frame larger than a page touches each of its pages in order, so that
    // deep recursion always faults in the guard below a stack and the
    // runtime prints Go's stack overflow (docs/goroutines.md, "Stacks"),
    // never skipping the guard into other memory.
    flags.set("enable_probestack", "true").map_err(setting_error)?;
    flags.set("probestack_strategy", "inline").map_err(setting_error)?;
    // Go functions return several values; past the return registers they go
    // through a hidden pointer that Cranelift adds when this is on.
    flags.set("enable_multi_ret_implicit_sret", "true").map_err(setting_error)?;
    let isa_builder = cranelift_native::builder().map_err(|message| CodegenError::Backend { message: message.to_string() })?;
    isa_builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| CodegenError::Backend { message: e.to_string() })
}

/// The words a call of the runtime-implemented stdlib function of signature
/// `sig` passes and receives (pointers as `I64`), as codegen lowers it; for
/// checking `g2n_abi::symbols::stdlib` against the declarations in
/// `stdlib/` (tests/std_abi.rs).
pub fn std_call_words(types: &g2n_sema::types::Types, sig: &g2n_sema::types::Signature) -> Option<(Vec<g2n_abi::symbols::AbiType>, Vec<g2n_abi::symbols::AbiType>)> {
    lower::std_call_words(types, sig)
}

/// The descriptor that the runtime reads from the unit.
pub fn descriptor_of(unit: &UnitPlan) -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: unit.name.clone(),
        entries: unit
            .entries
            .iter()
            .map(|entry| EntryDesc {
                resume_point: entry.resume_point,
                vars: entry
                    .vars
                    .iter()
                    .map(|v| scope_var(unit, &v.name, v.tag, v.graph, v.local))
                    .collect(),
            })
            .collect(),
        exits: unit
            .exits
            .iter()
            .map(|exit| ExitDesc {
                index: exit.index,
                target: exit.target.clone(),
                resume_point: exit.resume_point,
                vars: exit
                    .vars
                    .iter()
                    .map(|v| {
                        let local = match v.source {
                            g2n_split::VarSource::Local(l) => Some(l),
                            g2n_split::VarSource::PassThrough => None,
                        };
                        scope_var(unit, &v.name, v.tag, v.graph, local)
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A scope variable of the descriptor; a graph variable is named by its
/// type's run-time name, which the runtime resolves in the program table.
fn scope_var(
    unit: &UnitPlan,
    name: &str,
    tag: g2n_abi::TypeTag,
    graph: Option<g2n_split::GraphSlot>,
    local: Option<g2n_sema::hir::LocalId>,
) -> ScopeVar {
    let graph = graph.zip(local).map(|(g, l)| g2n_abi::GraphType {
        type_name: lower::graph_type_name(&unit.program, unit.program.local(l).ty),
        cell: g == g2n_split::GraphSlot::Cell,
    });
    ScopeVar { name: name.to_string(), tag, graph }
}

/// Compiles one unit to an object file.
pub fn compile_unit(unit: &UnitPlan, options: &CodegenOptions) -> Result<CompiledUnit, CodegenError> {
    let isa = make_isa()?;
    let backend_error = |e: &dyn std::fmt::Display| CodegenError::Backend { message: e.to_string() };
    let builder = ObjectBuilder::new(isa, unit.name.as_bytes().to_vec(), cranelift_module::default_libcall_names())
        .map_err(|e| backend_error(&e))?;
    let mut module = ObjectModule::new(builder);

    let descriptor = descriptor_of(unit);
    let descriptor_text = descriptor.encode();
    let descriptor_id = module
        .declare_data(symbols::UNIT_DESCRIPTOR, Linkage::Local, false, false)
        .map_err(|e| backend_error(&e))?;
    let mut data = DataDescription::new();
    data.define(descriptor_text.clone().into_bytes().into_boxed_slice());
    module.define_data(descriptor_id, &data).map_err(|e| backend_error(&e))?;

    let call_conv = module.isa().default_call_conv();
    let mut entry_sig = Signature::new(call_conv);
    entry_sig.params.push(AbiParam::new(types::I32));
    entry_sig.params.push(AbiParam::new(types::I64));
    let lowered = lower::lower_unit(&mut module, unit, entry_sig, options, None, true, "")?;
    let emit_started = std::time::Instant::now();
    let (entry_id, mut clif, table, cache_use, mut phases) = (lowered.entry, lowered.clif, lowered.table, lowered.cache_use, lowered.phases);
    let lines = lines::emit(&mut module, &lowered.compiled, &lowered.names, options.sources.as_deref())?;

    let mut ctx = module.make_context();
    let mut builder_ctx = FunctionBuilderContext::new();
    define_main(&mut module, &mut ctx, &mut builder_ctx, call_conv, entry_id, descriptor_id, descriptor_text.len(), table, &lines)?;
    let main_id = module.get_name(symbols::MAIN);
    if let Some(cranelift_module::FuncOrDataId::Func(main_id)) = main_id {
        define(&mut module, &mut ctx, main_id, &mut clif)?;
    }

    let product = module.finish();
    let object = product.emit().map_err(|e| backend_error(&e))?;
    phases.emit = emit_started.elapsed();
    Ok(CompiledUnit { object, clif, descriptor, cache_use, phases })
}

fn define(
    module: &mut ObjectModule,
    ctx: &mut Context,
    id: cranelift_module::FuncId,
    clif: &mut Option<String>,
) -> Result<(), CodegenError> {
    if let Some(text) = clif {
        // As crate::inline prints the unit's functions: the symbol, then the IR.
        text.push_str(&format!("; {}\n", module.declarations().get_function_decl(id).name.as_deref().unwrap_or("")));
        text.push_str(&ctx.func.display().to_string());
        text.push('\n');
    }
    module.define_function(id, ctx).map_err(|e| CodegenError::Backend { message: format!("{e:?}") })?;
    module.clear_context(ctx);
    Ok(())
}

/// Calls `g2n_register_program(table)` (the scope graph's program table).
fn register_program(
    module: &mut ObjectModule,
    builder: &mut FunctionBuilder<'_>,
    table: cranelift_module::DataId,
) -> Result<(), CodegenError> {
    let sig = lower::runtime_signature(module, &symbols::REGISTER_PROGRAM);
    let id = module
        .declare_function(symbols::REGISTER_PROGRAM.name, Linkage::Import, &sig)
        .map_err(|e| CodegenError::Backend { message: e.to_string() })?;
    let func_ref = module.declare_func_in_func(id, builder.func);
    let gv = module.declare_data_in_func(table, builder.func);
    let addr = builder.ins().symbol_value(types::I64, gv);
    builder.ins().call(func_ref, &[addr]);
    Ok(())
}

/// C `main(argc, argv)`: registers the program and line tables, then
/// `return g2n_rt_main(argc, argv, entry, desc, desc_len)`.
fn define_main(
    module: &mut ObjectModule,
    ctx: &mut Context,
    builder_ctx: &mut FunctionBuilderContext,
    call_conv: CallConv,
    entry_id: cranelift_module::FuncId,
    descriptor_id: cranelift_module::DataId,
    descriptor_len: usize,
    table: cranelift_module::DataId,
    lines: &lines::LineTable,
) -> Result<(), CodegenError> {
    let backend_error = |e: cranelift_module::ModuleError| CodegenError::Backend { message: e.to_string() };
    let mut main_sig = Signature::new(call_conv);
    main_sig.params.push(AbiParam::new(types::I32));
    main_sig.params.push(AbiParam::new(types::I64));
    main_sig.returns.push(AbiParam::new(types::I32));
    let main_id = module.declare_function(symbols::MAIN, Linkage::Export, &main_sig).map_err(backend_error)?;
    let _ = main_id;

    let rt_main_sig = lower::runtime_signature(module, &symbols::RT_MAIN);
    let rt_main_id = module.declare_function(symbols::RT_MAIN.name, Linkage::Import, &rt_main_sig).map_err(backend_error)?;

    ctx.func.signature = main_sig;
    let mut builder = FunctionBuilder::new(&mut ctx.func, builder_ctx);
    let block = builder.create_block();
    builder.append_block_params_for_function_params(block);
    builder.switch_to_block(block);
    builder.seal_block(block);
    let params = builder.block_params(block).to_vec();
    let (argc, argv) = (params[0], params[1]);
    register_program(module, &mut builder, table)?;
    lines::register(module, &mut builder, lines)?;
    let entry_ref = module.declare_func_in_func(entry_id, builder.func);
    let entry_addr = builder.ins().func_addr(types::I64, entry_ref);
    let desc_gv = module.declare_data_in_func(descriptor_id, builder.func);
    let desc_addr = builder.ins().symbol_value(types::I64, desc_gv);
    let desc_len = builder.ins().iconst(types::I64, descriptor_len as i64);
    let rt_main_ref = module.declare_func_in_func(rt_main_id, builder.func);
    let call = builder.ins().call(rt_main_ref, &[argc, argv, entry_addr, desc_addr, desc_len]);
    let result = builder.inst_results(call)[0];
    builder.ins().return_(&[result]);
    builder.finalize(module.isa().frontend_config());
    Ok(())
}

/// Compiles every nanoservice of a split program into one object
/// (docs/split.md). Their code is the same program; they differ in their
/// descriptors (entries and exits) and in which hops are no-ops (those to
/// themselves). The object holds every descriptor, and C `main` picks the
/// nanoservice whose name is the executable's file name (argv[0] up to its
/// last '/'), else the entry nanoservice. So one link serves the whole mesh,
/// and `g2n build` writes a copy of the executable under each name.
pub fn compile_split(plan: &MeshPlan, options: &CodegenOptions) -> Result<CompiledUnit, CodegenError> {
    use std::collections::BTreeMap;
    let backend_error = |e: &dyn std::fmt::Display| CodegenError::Backend { message: e.to_string() };
    let entry_unit = plan.units.get(plan.entry).ok_or_else(|| CodegenError::Backend { message: "split plan without units".to_string() })?;
    // Every unit's entries and exits: the same resume point or hop site has
    // the same variables on whichever unit it occurs.
    let mut entries = BTreeMap::new();
    let mut exits = BTreeMap::new();
    for unit in &plan.units {
        for entry in &unit.entries {
            entries.entry(entry.resume_point).or_insert_with(|| entry.clone());
        }
        for exit in &unit.exits {
            exits.entry(exit.index).or_insert_with(|| exit.clone());
        }
    }
    let union = UnitPlan {
        name: entry_unit.name.clone(),
        span: entry_unit.span,
        program: entry_unit.program.clone(),
        entries: entries.into_values().collect(),
        exits: exits.into_values().collect(),
        whole_program: true,
        graph_registry: g2n_split::GraphRegistry::default(),
        resolved_from: Default::default(),
        upstream_decls: Vec::new(),
    };

    let huge = plan.units.len() > HUGE_SPLIT;
    let isa = make_isa_for(huge)?;
    let builder = ObjectBuilder::new(isa, entry_unit.name.as_bytes().to_vec(), cranelift_module::default_libcall_names())
        .map_err(|e| backend_error(&e))?;
    let mut module = ObjectModule::new(builder);
    // The unit table: every nanoservice's name and descriptor in one blob,
    // and a table of byte ranges into it (g2n_abi::UnitRecord), so the
    // runtime can serve any of them (a host) and finds each by name. The
    // four words of a record are written in its fields' order.
    let mut blob = Vec::new();
    let mut records = Vec::with_capacity(plan.units.len() * std::mem::size_of::<g2n_abi::UnitRecord>());
    for unit in &plan.units {
        let text = descriptor_of(unit).encode();
        for part in [unit.name.as_bytes(), text.as_bytes()] {
            records.extend_from_slice(&(blob.len() as u64).to_le_bytes());
            records.extend_from_slice(&(part.len() as u64).to_le_bytes());
            blob.extend_from_slice(part);
        }
    }
    let blob_len = blob.len();
    let blob_id = module.declare_data("g2n_unit_blob", Linkage::Local, false, false).map_err(|e| backend_error(&e))?;
    let mut data = DataDescription::new();
    data.define(blob.into_boxed_slice());
    module.define_data(blob_id, &data).map_err(|e| backend_error(&e))?;
    let table_id = module.declare_data("g2n_unit_table", Linkage::Local, false, false).map_err(|e| backend_error(&e))?;
    let mut data = DataDescription::new();
    data.define(records.into_boxed_slice());
    data.set_align(8);
    module.define_data(table_id, &data).map_err(|e| backend_error(&e))?;

    let call_conv = module.isa().default_call_conv();
    let mut entry_sig = Signature::new(call_conv);
    entry_sig.params.push(AbiParam::new(types::I32));
    entry_sig.params.push(AbiParam::new(types::I64));
    let names: std::collections::HashMap<String, usize> = plan.units.iter().enumerate().map(|(i, u)| (u.name.clone(), i)).collect();
    let lowered = lower::lower_unit(&mut module, &union, entry_sig, options, Some(names), !huge, "")?;
    let emit_started = std::time::Instant::now();
    let (entry_id, mut clif, table, cache_use, mut phases) = (lowered.entry, lowered.clif, lowered.table, lowered.cache_use, lowered.phases);
    let lines = lines::emit(&mut module, &lowered.compiled, &lowered.names, options.sources.as_deref())?;

    let mut ctx = module.make_context();
    let mut builder_ctx = FunctionBuilderContext::new();
    let unit_table = UnitTable { blob: blob_id, blob_len, table: table_id, count: plan.units.len(), default: plan.entry };
    define_split_main(&mut module, &mut ctx, &mut builder_ctx, call_conv, entry_id, &unit_table, table, &lines)?;
    if let Some(cranelift_module::FuncOrDataId::Func(main_id)) = module.get_name(symbols::MAIN) {
        define(&mut module, &mut ctx, main_id, &mut clif)?;
    }
    let object = module.finish().emit().map_err(|e| backend_error(&e))?;
    phases.emit = emit_started.elapsed();
    Ok(CompiledUnit { object, clif, descriptor: descriptor_of(entry_unit), cache_use, phases })
}

/// The unit table of a split program's object.
struct UnitTable {
    blob: cranelift_module::DataId,
    blob_len: usize,
    table: cranelift_module::DataId,
    count: usize,
    /// The entry nanoservice: what the executable runs as under any name
    /// that is not a nanoservice's.
    default: usize,
}

/// C `main` of a split program: registers the program and line tables, then
/// `return g2n_rt_main_table(argc, argv, entry, blob, blob_len, table, count, default)`;
/// the runtime picks the nanoservice by the executable's name.
fn define_split_main(
    module: &mut ObjectModule,
    ctx: &mut Context,
    builder_ctx: &mut FunctionBuilderContext,
    call_conv: CallConv,
    entry_id: cranelift_module::FuncId,
    units: &UnitTable,
    table: cranelift_module::DataId,
    lines: &lines::LineTable,
) -> Result<(), CodegenError> {
    let backend_error = |e: cranelift_module::ModuleError| CodegenError::Backend { message: e.to_string() };
    let mut main_sig = Signature::new(call_conv);
    main_sig.params.push(AbiParam::new(types::I32));
    main_sig.params.push(AbiParam::new(types::I64));
    main_sig.returns.push(AbiParam::new(types::I32));
    module.declare_function(symbols::MAIN, Linkage::Export, &main_sig).map_err(backend_error)?;
    let rt_main_sig = lower::runtime_signature(module, &symbols::RT_MAIN_TABLE);
    let rt_main_id = module.declare_function(symbols::RT_MAIN_TABLE.name, Linkage::Import, &rt_main_sig).map_err(backend_error)?;

    ctx.func.signature = main_sig;
    let mut b = FunctionBuilder::new(&mut ctx.func, builder_ctx);
    let start = b.create_block();
    b.append_block_params_for_function_params(start);
    b.switch_to_block(start);
    b.seal_block(start);
    let params = b.block_params(start).to_vec();
    let (argc, argv) = (params[0], params[1]);
    register_program(module, &mut b, table)?;
    lines::register(module, &mut b, lines)?;
    let entry_ref = module.declare_func_in_func(entry_id, b.func);
    let entry_addr = b.ins().func_addr(types::I64, entry_ref);
    let blob_gv = module.declare_data_in_func(units.blob, b.func);
    let blob_addr = b.ins().symbol_value(types::I64, blob_gv);
    let blob_len = b.ins().iconst(types::I64, units.blob_len as i64);
    let table_gv = module.declare_data_in_func(units.table, b.func);
    let table_addr = b.ins().symbol_value(types::I64, table_gv);
    let count = b.ins().iconst(types::I64, units.count as i64);
    let default = b.ins().iconst(types::I64, units.default as i64);
    let rt_main = module.declare_func_in_func(rt_main_id, b.func);
    let call = b.ins().call(rt_main, &[argc, argv, entry_addr, blob_addr, blob_len, table_addr, count, default]);
    let result = b.inst_results(call)[0];
    b.ins().return_(&[result]);
    b.finalize(module.isa().frontend_config());
    Ok(())
}
