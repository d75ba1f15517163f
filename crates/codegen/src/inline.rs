//! Inlining of small functions into their callers, on Cranelift IR, before
//! Cranelift compiles them.
//!
//! Go's compiler inlines small functions (`evala` in spectral-norm's inner
//! loop); a call costs more than such a body (arguments through registers,
//! a frame, caller-saved values kept across the call), and keeps the
//! optimiser from seeing through it: spectral-norm runs twice as fast with
//! `evala` inlined. Cranelift 0.135 does the rewriting (`Context::inline`)
//! but leaves every decision to us: [`Inliner::inline`] is asked about each
//! direct call.
//!
//! The functions of a unit are inlined into callees first (a post-order of
//! the call graph), so each has had its own small callees inlined before
//! its callers are; that inlined body is what its callers take in. So a
//! chain of small calls collapses bottom-up with one inlining step per call
//! site, without asking Cranelift to revisit an inlined body
//! (`visit_callee`), and a body is only ever taken in whole if its size
//! *after* its own inlining is under the limit: nesting cannot make code
//! grow beyond [`MAX_CALLEE_INSTS`] per call site. In a cycle of calls
//! (recursion) the call that closes the cycle is never inlined (its callee
//! has no inlined body yet), and a function that ends up calling itself is
//! never inlined: recursion cannot unfold.

use crate::errors::CodegenError;
use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{Block, ExternalName, FuncRef, Function, GlobalValueData, Inst, InstructionData, Opcode};
use cranelift_codegen::{CompiledCode, Context};
use cranelift_module::{FuncId, FuncOrDataId, Module, ModuleReloc};
use cranelift_object::ObjectModule;
use g2n_abi::symbols;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The largest callee inlined, in CLIF instructions (counted after its own
/// inlining, cold panic paths included: they cost code size if not time).
/// Our bodies are larger than Go's for the same source (every index and
/// dereference carries its check and panic call): spectral-norm's `evala`
/// is 25 instructions, fasta's `min` 8, a method that only forwards or
/// reads a field 10 to 20, a short `bytes.Buffer` method about 40. At this
/// limit those are all inlined, while functions with real work (a
/// `bufio.Writer.WriteByte` is 123) stay calls, whose cost is then small
/// next to their body's.
const MAX_CALLEE_INSTS: usize = 60;

/// How many instructions inlining may add to one function: a `main` that
/// calls small functions from thousands of places (generated tests) would
/// otherwise grow by as much, and Cranelift's time with it. Calls past the
/// budget stay calls, in layout order.
const MAX_GROWTH: usize = 4000;

/// Runtime functions whose callers must stay frames of their own:
/// - `_setjmp` and `g2n_defer_enter`: a function that defers `_setjmp`s at
///   its start and a panic `longjmp`s back into that frame, whose landing
///   block returns from the function with its results (runtime defer.rs).
///   Inlined, the jump would land in the middle of the caller, whose values
///   Cranelift keeps in registers that `longjmp` restores to stale values,
///   and the landing's `return` would go on in the caller.
/// - `g2n_recover`: `recover` stops a panic only when called by a deferred
///   function itself (Go spec); keeping every function that calls it out of
///   line keeps that call structure as the source wrote it.
/// - hops (`g2n_go_to_network`, `g2n_defer_take`, `g2n_defer_restore`): a
///   hop ends the flow by returning from the unit entry, which is never
///   inlined; listed so that no hop can ever move into another frame.
const FRAME_BOUND: [&str; 6] = [
    symbols::SETJMP.name,
    symbols::DEFER_ENTER.name,
    symbols::RECOVER.name,
    symbols::GO_TO_NETWORK.name,
    symbols::DEFER_TAKE.name,
    symbols::DEFER_RESTORE.name,
];

/// Runtime functions that read every frame above their caller
/// (`runtime.Callers`, `runtime.Caller`, `runtime.Stack`; stdlib/runtime): a function that
/// reaches one of them, however many calls away, keeps its frame, so that a
/// skip count (log's `Output(2, ...)`, a program's helper) names the frame
/// it names in Go, whose inliner keeps inlined frames visible to Callers.
pub(crate) const FRAME_READING: [&str; 2] = [symbols::stdlib::runtime_callers.name, symbols::stdlib::runtime_stack.name];

/// What the inliner must keep visible to code that reads frames.
pub(crate) struct Frames<'a> {
    /// Functions that look at their callers' frames (testing's): their
    /// callers keep frames of their own.
    pub reads_callers: &'a HashSet<u32>,
    /// Wrappers and adapters, which the line table leaves out (Go shows no
    /// frame for them): when the program reads frames, nothing is inlined
    /// into them, so that the method a method-table wrapper calls keeps the
    /// frame Go shows (io's multiWriter tests count them).
    pub nameless: &'a HashSet<u32>,
}

/// A function's body (after its own inlining) kept for its callers.
struct Body {
    func: Function,
    size: usize,
}

/// Inlines small callees into every function of `functions` (when `enabled`)
/// and defines each in `module`, the functions of the set that comes with
/// `cache` compiled or taken from the cache, the others compiled; `clif`
/// receives each function's IR as compiled, after inlining. A function that
/// calls one of `frames.reads_callers` (which look at their callers' frames) is
/// bound to its frame, as the callers of [`FRAME_BOUND`] runtime functions
/// are.
pub(crate) fn inline_and_define(
    module: &mut ObjectModule,
    functions: Vec<(FuncId, Function)>,
    entry: FuncId,
    enabled: bool,
    frames: Frames<'_>,
    clif: &mut Option<String>,
    compiled: &mut Vec<crate::lines::CompiledFunc>,
    cache: Option<(&crate::FunctionCache, &HashSet<FuncId>)>,
    prekeyed: &mut crate::lower::prekey::Exchange,
) -> Result<crate::CacheUse, CodegenError> {
    let backend = |e: &dyn std::fmt::Debug| CodegenError::Backend { message: format!("{e:?}") };
    let local: HashSet<u32> = functions.iter().map(|(id, _)| id.as_u32()).collect();
    let declared = |names: &[&str]| -> Vec<u32> {
        names
            .iter()
            .filter_map(|name| match module.get_name(name) {
                Some(FuncOrDataId::Func(id)) => Some(id.as_u32()),
                _ => None,
            })
            .collect()
    };
    let mut frame_bound: HashSet<u32> = declared(&FRAME_BOUND).into_iter().chain(frames.reads_callers.iter().copied()).collect();
    // Grows with every function that reaches a FRAME_READING one (callees
    // are visited first), each then bound to its frame too.
    let mut frame_reading: HashSet<u32> = declared(&FRAME_READING).into_iter().collect();
    frame_bound.extend(frame_reading.iter().copied());
    // Functions taken from the cache before lowering have no IR: what
    // their entry says of them stands for what their IR would show.
    for (id, hit) in &prekeyed.hits {
        if hit.frame_reading {
            frame_reading.insert(id.as_u32());
            frame_bound.insert(id.as_u32());
        }
    }
    let reads_frames = !frame_reading.is_empty();
    let mut functions = functions;
    let mut inlinable: HashSet<u32> = HashSet::new();
    let mut cache_use = crate::CacheUse::default();
    let mut ctx = module.make_context();
    if enabled {
        let mut bodies: HashMap<u32, Body> = HashMap::new();
        for index in callees_first(&functions, &local) {
            let (id, func) = &mut functions[index];
            if prekeyed.hits.contains_key(id) {
                continue;
            }
            ctx.func = std::mem::replace(func, Function::new());
            // The names its own lowering referred to, in that order, come
            // before those inlining adds (prekey.rs declares only those on
            // a hit, where its lowering would have).
            if prekeyed.capture.contains(id) {
                prekeyed.declared.insert(*id, ctx.func.params.user_named_funcs().len());
            }
            let mut inliner = Inliner { bodies: &bodies, growth: 0, inlined: Vec::new() };
            if !(reads_frames && frames.nameless.contains(&id.as_u32())) {
                ctx.inline(&mut inliner).map_err(|e| backend(&e))?;
            }
            let inlined = std::mem::take(&mut inliner.inlined);
            fix_symbol_names(&mut ctx.func, &inlined, &bodies);
            if !inlined.is_empty() {
                locate_inlined_code(&mut ctx.func);
            }
            if direct_callees(&ctx.func).any(|(_, callee)| frame_reading.contains(&callee)) {
                frame_reading.insert(id.as_u32());
                frame_bound.insert(id.as_u32());
            }
            // The entry is never called (C main takes its address).
            let size = if *id == entry { None } else { inlinable_size(&ctx.func, *id, &frame_bound) };
            if let Some(size) = size {
                inlinable.insert(id.as_u32());
                bodies.insert(id.as_u32(), Body { func: ctx.func.clone(), size });
            }
            *func = std::mem::replace(&mut ctx.func, Function::new());
        }
    }
    // Defined in the order they were lowered, not the order they were
    // inlined in: the object's code layout stays as without inlining, so that
    // inlining is all that changes (the position of a hot loop in the text
    // alone moved mandelbrot-md5's time by 30%).
    let hits: HashSet<FuncId> = prekeyed.hits.keys().copied().collect();
    let cacheable = |id: FuncId| cache.is_some_and(|(_, cacheable)| cacheable.contains(&id)) && !hits.contains(&id);
    let mut found = match cache {
        Some((cache, _)) => cache.lookup_all(module.isa(), &functions, &cacheable),
        None => Vec::new(),
    }
    .into_iter();
    for (id, func) in functions {
        let stored = found.next().flatten();
        if let Some(hit) = prekeyed.hits.remove(&id) {
            if let Some(text) = clif {
                let name = module.declarations().get_function_decl(id).name.as_deref().unwrap_or("");
                text.push_str(&format!("; {name}\n; (taken from the build cache without lowering)\n\n"));
            }
            let code = cranelift_codegen::incremental_cache::try_finish_recompile(&hit.stub, &hit.code)
                .map_err(|e| backend(&format!("a build cache entry cannot be read ({e}); `g2n clean -cache` removes it")))?;
            cache_use.functions += 1;
            cache_use.from_cache += 1;
            cache_use.not_lowered += 1;
            compiled.push(define_code(module, id, &hit.stub, &code).map_err(|e| backend(&e))?);
            continue;
        }
        let capture = prekeyed.capture.contains(&id);
        let post_key = capture.then(|| crate::function_cache::key(module.isa(), &func));
        if let Some(text) = clif {
            // The IR names functions by their id (`u0:ID`); the symbol says which.
            text.push_str(&format!("; {}\n", module.declarations().get_function_decl(id).name.as_deref().unwrap_or("")));
            text.push_str(&func.display().to_string());
            text.push('\n');
        }
        ctx.func = func;
        let bytes = match (stored, cache.filter(|_| cacheable(id))) {
            (Some((code, bytes)), _) => {
                cache_use.functions += 1;
                cache_use.from_cache += 1;
                compiled.push(define_code(module, id, &ctx.func, &code).map_err(|e| backend(&e))?);
                Some(bytes)
            }
            (None, Some((cache, _))) => {
                cache_use.functions += 1;
                let (from_cache, done, bytes) = compile_into_cache(module, id, &mut ctx, cache).map_err(|e| backend(&e))?;
                cache_use.from_cache += from_cache as usize;
                compiled.push(done);
                bytes
            }
            (None, None) => {
                module.define_function(id, &mut ctx).map_err(|e| backend(&e))?;
                compiled.extend(crate::lines::CompiledFunc::of(id, &ctx));
                None
            }
        };
        if let (Some(post_key), Some(code)) = (post_key, bytes) {
            let params = &ctx.func.params;
            prekeyed.captured.insert(
                id,
                crate::lower::prekey::Captured {
                    post_key,
                    base_srcloc: params.base_srcloc().bits(),
                    names: params.user_named_funcs().values().cloned().collect(),
                    declared: prekeyed.declared.get(&id).copied().unwrap_or(params.user_named_funcs().len()),
                    inlinable: inlinable.contains(&id.as_u32()),
                    frame_reading: frame_reading.contains(&id.as_u32()),
                    reads_frames,
                    code,
                },
            );
        }
        module.clear_context(&mut ctx);
    }
    Ok(cache_use)
}

/// Defines function `id` from `ctx` as `define_function` does, through
/// Cranelift's `compile_with_cache`, which stores the compiled code in
/// `cache` (under the key [`crate::FunctionCache::lookup_all`] found
/// nothing under); says whether it was there after all (a concurrent build
/// stored it meanwhile), what was compiled (for the line table), and the
/// entry's bytes it stored (for a pre-lowering entry).
fn compile_into_cache(
    module: &mut ObjectModule,
    id: FuncId,
    ctx: &mut Context,
    cache: &crate::FunctionCache,
) -> Result<(bool, crate::lines::CompiledFunc, Option<Vec<u8>>), String> {
    let mut control = cranelift_codegen::control::ControlPlane::default();
    let isa = module.isa();
    let (from_cache, bytes) = cache.with(|store| {
        let mut capturing = crate::function_cache::Capturing { inner: store, bytes: Default::default() };
        let hit = ctx.compile_with_cache(isa, &mut capturing, &mut control).map(|(_, hit)| hit).map_err(|e| format!("{:?}", e.inner))?;
        Ok::<_, String>((hit, capturing.bytes.into_inner()))
    })?;
    let code = ctx.compiled_code().ok_or("no compiled code")?;
    Ok((from_cache, define_code(module, id, &ctx.func, code)?, bytes))
}

/// Defines function `id` (whose IR is `func`) with the machine code `code`.
fn define_code(
    module: &mut ObjectModule,
    id: FuncId,
    func: &Function,
    code: &CompiledCode,
) -> Result<crate::lines::CompiledFunc, String> {
    let relocs: Vec<ModuleReloc> = code.buffer.relocs().iter().map(|reloc| ModuleReloc::from_mach_reloc(reloc, func, id)).collect();
    module.define_function_bytes(id, code.buffer.alignment as u64, code.code_buffer(), &relocs).map_err(|e| format!("{e:?}"))?;
    Ok(crate::lines::CompiledFunc::of_code(id, code))
}

/// The module function a call instruction's `FuncRef` names, if any:
/// `cranelift_module` names functions `User { namespace: 0, index: FuncId }`
/// (data objects are namespace 1).
fn callee_id(func: &Function, callee: FuncRef) -> Option<u32> {
    let ExternalName::User(name_ref) = func.dfg.ext_funcs[callee].name else { return None };
    let name = func.params.user_named_funcs().get(name_ref)?;
    (name.namespace == 0).then_some(name.index)
}

/// The module functions `func` calls directly, in layout order.
pub(crate) fn direct_callees(func: &Function) -> impl Iterator<Item = (Inst, u32)> + '_ {
    func.layout.blocks().flat_map(move |block| func.layout.block_insts(block)).filter_map(move |inst| {
        match func.dfg.insts[inst] {
            InstructionData::Call { func_ref, .. } => callee_id(func, func_ref).map(|id| (inst, id)),
            _ => None,
        }
    })
}

/// The order in which to inline into `functions`: every function after the
/// functions it calls, except along a cycle (a post-order of a depth-first
/// walk of the call graph, from each function in turn, so deterministic).
fn callees_first(functions: &[(FuncId, Function)], local: &HashSet<u32>) -> Vec<usize> {
    let position: HashMap<u32, usize> = functions.iter().enumerate().map(|(i, (id, _))| (id.as_u32(), i)).collect();
    let calls: Vec<Vec<usize>> = functions
        .iter()
        .map(|(_, func)| {
            let mut seen = HashSet::new();
            direct_callees(func)
                .filter(|(_, id)| local.contains(id))
                .filter_map(|(_, id)| position.get(&id).copied())
                .filter(|i| seen.insert(*i))
                .collect()
        })
        .collect();
    let mut visited = vec![false; functions.len()];
    let mut order = Vec::with_capacity(functions.len());
    for root in 0..functions.len() {
        if visited[root] {
            continue;
        }
        visited[root] = true;
        // An explicit stack: call chains in generated programs can be deep.
        let mut stack = vec![(root, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&callee) = calls[*node].get(*next) {
                *next += 1;
                if !visited[callee] {
                    visited[callee] = true;
                    stack.push((callee, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    order
}

/// The size of `func` if its callers may take in its body: small, not
/// calling itself, and not bound to a frame of its own ([`FRAME_BOUND`]).
fn inlinable_size(func: &Function, id: FuncId, frame_bound: &HashSet<u32>) -> Option<usize> {
    let size: usize = func.layout.blocks().map(|block| func.layout.block_insts(block).count()).sum();
    if size > MAX_CALLEE_INSTS || has_loop(func) {
        return None;
    }
    for (_, callee) in direct_callees(func) {
        if callee == id.as_u32() || frame_bound.contains(&callee) {
            return None;
        }
    }
    Some(size)
}

/// Whether `func` has a cycle in its control flow: such a callee is not
/// inlined. A loop's own work hides the cost of the call around it, while
/// its values, taken into the caller, compete for registers with the
/// caller's. Measured on mandelbrot-md5: its `add`/`mul`/`minus` loops over
/// `[8]float64` inlined into `mbrot8`'s loop nest made it spill in the inner
/// loops and run in 2.1 to 2.3 s instead of 1.6 to 1.7 s called.
fn has_loop(func: &Function) -> bool {
    // Depth-first, with the blocks on the current path marked: an edge to
    // one of them closes a cycle.
    let Some(entry) = func.layout.entry_block() else { return false };
    let mut state: HashMap<Block, bool> = HashMap::new(); // true: on the path
    let mut stack = vec![(entry, func.block_successors(entry).collect::<Vec<_>>())];
    state.insert(entry, true);
    while let Some((block, successors)) = stack.last_mut() {
        let Some(next) = successors.pop() else {
            state.insert(*block, false);
            stack.pop();
            continue;
        };
        match state.get(&next) {
            Some(true) => return true,
            Some(false) => {}
            None => {
                state.insert(next, true);
                stack.push((next, func.block_successors(next).collect()));
            }
        }
    }
    false
}

/// Decides, for each direct call of the function being inlined into, whether
/// to take in the callee's body.
struct Inliner<'a> {
    bodies: &'a HashMap<u32, Body>,
    /// Instructions added to the function so far.
    growth: usize,
    /// Each inlined callee, with the caller's global value count just before
    /// (see [`fix_symbol_names`]).
    inlined: Vec<(usize, u32)>,
}

impl Inline for Inliner<'_> {
    fn inline(
        &mut self,
        caller: &Function,
        call_inst: Inst,
        call_opcode: Opcode,
        callee: FuncRef,
        _call_args: &[cranelift_codegen::ir::Value],
    ) -> InlineCommand<'_> {
        if call_opcode != Opcode::Call {
            return InlineCommand::KeepCall;
        }
        // A call on a panic path (a cold block, or one ending in a trap) is
        // run at most once: inlining it would only grow the code, and the
        // inlined blocks would not be marked cold.
        if caller.layout.inst_block(call_inst).is_none_or(|block| caller.is_effectively_cold(block)) {
            return InlineCommand::KeepCall;
        }
        // Only functions of this module inlined-into before this one have a
        // body here: runtime imports never, a callee along a cycle not yet.
        let Some(body) = callee_id(caller, callee).and_then(|id| self.bodies.get(&id).map(|body| (id, body))) else {
            return InlineCommand::KeepCall;
        };
        let (id, body) = body;
        if self.growth + body.size > MAX_GROWTH {
            return InlineCommand::KeepCall;
        }
        self.growth += body.size;
        self.inlined.push((caller.global_values.len(), id));
        // The body has had its own callees inlined: nothing to revisit.
        InlineCommand::Inline { callee: Cow::Borrowed(&body.func), visit_callee: false }
    }
}

/// Cranelift 0.135 gives inlined instructions no source location, so after
/// compilation a panic in inlined code (a division by zero in a small
/// function) took the location of whatever code the backend laid out before
/// it: often the previous statement's line, one line above the call. Here,
/// before compilation, each unlocated instruction takes the location of the
/// instruction before it in CLIF layout order, where the inliner puts an
/// inlined body right after the code leading to the call: the call's
/// statement, the line Go prints for the caller's frame (the inlined
/// callee's own frame is not shown: docs/architecture.md).
fn locate_inlined_code(func: &mut Function) {
    let mut last = cranelift_codegen::ir::SourceLoc::default();
    let blocks: Vec<Block> = func.layout.blocks().collect();
    for block in blocks {
        let insts: Vec<Inst> = func.layout.block_insts(block).collect();
        for inst in insts {
            let loc = func.srcloc(inst);
            if loc.is_default() {
                if !last.is_default() {
                    func.set_srcloc(inst, last);
                }
            } else {
                last = loc;
            }
        }
    }
}

/// Cranelift 0.135 copies an inlined callee's global values as they are, but
/// a `Symbol` global value names its symbol by an index into the function's
/// own table of external names (`symbol_value` of a string constant or a
/// package variable, from `declare_data_in_func`): copied, the index would
/// name whatever the caller's table has there. Each inlined callee's global
/// values were appended at the caller's count just before (`create_global_values`),
/// in order, so they are renamed here through the callee's table.
fn fix_symbol_names(caller: &mut Function, inlined: &[(usize, u32)], bodies: &HashMap<u32, Body>) {
    for &(offset, id) in inlined {
        let Some(body) = bodies.get(&id) else { continue };
        for (i, data) in body.func.global_values.values().enumerate() {
            let GlobalValueData::Symbol { name: ExternalName::User(callee_ref), .. } = data else { continue };
            let name = body.func.params.user_named_funcs()[*callee_ref].clone();
            let caller_ref = caller.params.ensure_user_func_name(name);
            let gv = cranelift_codegen::ir::GlobalValue::from_u32((offset + i) as u32);
            if let GlobalValueData::Symbol { name, .. } = &mut caller.global_values[gv] {
                *name = ExternalName::User(caller_ref);
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use cranelift_codegen::ir::{types, AbiParam, ExtFuncData, InstBuilder, Signature, UserExternalName, UserFuncName};
    use cranelift_codegen::isa::CallConv;
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    fn sig() -> Signature {
        let mut sig = Signature::new(CallConv::SystemV);
        sig.params.push(AbiParam::new(types::I64));
        sig.returns.push(AbiParam::new(types::I64));
        sig
    }

    /// `fn(x) -> x`, calling each of `callees` (module functions by id) on
    /// the way, in a loop when `looping`.
    pub(crate) fn function(id: u32, callees: &[u32], looping: bool) -> Function {
        let mut func = Function::with_name_signature(UserFuncName::user(0, id), sig());
        let mut ctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut ctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let x = b.block_params(entry)[0];
        let body = b.create_block();
        b.ins().jump(body, &[]);
        b.switch_to_block(body);
        for &callee in callees {
            let name = b.func.declare_imported_user_function(UserExternalName { namespace: 0, index: callee });
            let signature = b.func.import_signature(sig());
            let func_ref = b.func.import_function(ExtFuncData {
                name: ExternalName::user(name),
                signature,
                colocated: true,
                patchable: false,
            });
            b.ins().call(func_ref, &[x]);
        }
        if looping {
            let exit = b.create_block();
            b.ins().brif(x, body, &[], exit, &[]);
            b.switch_to_block(exit);
        }
        b.ins().return_(&[x]);
        b.seal_all_blocks();
        b.finalize(crate::make_isa().expect("the host's isa").frontend_config());
        func
    }

    #[test]
    fn loops_are_found() {
        assert!(!has_loop(&function(0, &[], false)));
        assert!(has_loop(&function(0, &[], true)));
    }

    #[test]
    fn callees_come_first_and_cycles_end() {
        // 0 calls 1 and 2, 1 calls 2, 2 calls 3, 3 calls 2 (a cycle), 4 calls itself.
        let graph: [&[u32]; 5] = [&[1, 2], &[2], &[3], &[2], &[4]];
        let functions: Vec<(FuncId, Function)> =
            graph.iter().enumerate().map(|(i, callees)| (FuncId::from_u32(i as u32), function(i as u32, callees, false))).collect();
        let local = (0..5).collect();
        assert_eq!(callees_first(&functions, &local), vec![3, 2, 1, 0, 4]);
        // Calls of functions outside the module are not edges.
        let functions = vec![(FuncId::from_u32(0), function(0, &[7], false))];
        assert_eq!(callees_first(&functions, &[0].into_iter().collect()), vec![0]);
    }

    #[test]
    fn self_calls_and_frame_bound_calls_are_not_inlined() {
        let none = HashSet::new();
        assert!(inlinable_size(&function(1, &[2], false), FuncId::from_u32(1), &none).is_some());
        assert!(inlinable_size(&function(1, &[1], false), FuncId::from_u32(1), &none).is_none());
        let recover: HashSet<u32> = [9].into_iter().collect();
        assert!(inlinable_size(&function(1, &[9], false), FuncId::from_u32(1), &recover).is_none());
    }
}
