//! reflect's calls with arguments known only at run time: per func type, a
//! call adapter (`reflect.Value.Call` calls a func value or a method through
//! it) and a `MakeFunc` stub (a function of that type that hands its
//! arguments to reflect's `makeFuncCall`), both referenced from the type's
//! descriptor ([`g2n_abi::TypeExt`]'s `call` and `make_func`, conventions in
//! [`g2n_abi::ReflectCallAdapter`]).
//!
//! A func value is called with Cranelift's convention on each argument's
//! machine words (`layout::parts_of`), so only generated code knows where
//! an argument goes; the adapter loads each argument from memory with the
//! same `load_value` a call site's operands come from, and stores each
//! result as an assignment does. They are emitted only when the program
//! can call through reflect ([`g2n_sema::hir::Program::calls_through_reflect`]):
//! a program that never does pays nothing.

use super::*;

/// `reflect.Value`'s methods that call through reflect (`call` is the
/// one the exported ones share).
const VALUE_CALL_METHODS: [&str; 5] = ["Call", "CallSlice", "Method", "MethodByName", "call"];

/// Whether method `func` is one of [`VALUE_CALL_METHODS`], which a program
/// that does not call through reflect cannot reach: its method table entry
/// then has no wrapper, so that their code (and what it calls) is not
/// compiled into every program whose `reflect.Value` has a descriptor
/// (fmt's has, hello world's).
pub(super) fn unreachable_value_method(program: &hir::Program, func: FuncId) -> bool {
    let f = program.func(func);
    let name = f.name.rsplit('.').next().unwrap_or_default();
    if !VALUE_CALL_METHODS.contains(&name) || g2n_sema::stdlib().package_of(f.span.file) != Some("reflect") {
        return false;
    }
    let Some(receiver) = f.params.first() else { return false };
    let types = &program.types;
    let ty = program.local(*receiver).ty;
    let ty = types.elem(ty).filter(|_| matches!(types.kind(ty), TypeKind::Pointer(_))).unwrap_or(ty);
    types.named_info(ty).is_some_and(|n| n.name == "Value")
}

/// reflect's `makeFuncCall(object, args, results unsafe.Pointer)`, which a
/// `MakeFunc` stub calls.
pub(super) fn make_func_call(program: &hir::Program) -> Option<FuncId> {
    let library = g2n_sema::stdlib();
    program
        .funcs
        .iter()
        .position(|f| f.name == "makeFuncCall" && f.captures.is_none() && library.package_of(f.span.file) == Some("reflect"))
        .map(|index| FuncId(index as u32))
}

/// The adapters of one func type, still to lower.
pub(super) struct PendingReflectCall {
    pub func_ty: TypeId,
    pub call: cranelift_module::FuncId,
    pub make_func: Option<cranelift_module::FuncId>,
}

/// How a parameter lies in memory and in machine words: by its type, or
/// (a variadic `...T` whose `[]T` the program never interned) as a slice's
/// three words.
#[derive(Clone, Copy)]
enum Param {
    Typed(TypeId),
    Slice,
}

fn func_sig(types: &g2n_sema::types::Types, func_ty: TypeId) -> Option<g2n_sema::types::Signature> {
    match types.under(types.default_type(func_ty)) {
        TypeKind::Func(sig) => Some(sig.clone()),
        _ => None,
    }
}

fn params_of(types: &g2n_sema::types::Types, sig: &g2n_sema::types::Signature) -> Vec<Param> {
    let mut params: Vec<Param> = sig.params.iter().map(|t| Param::Typed(*t)).collect();
    if sig.variadic
        && let Some(last) = sig.params.last()
    {
        let slice = types.lookup(&TypeKind::Slice(*last)).map_or(Param::Slice, Param::Typed);
        *params.last_mut().expect("a variadic signature has a parameter") = slice;
    }
    params
}

impl ModuleCtx<'_> {
    /// The adapters of func type `func_ty` (declared now, lowered by
    /// lower_unit): the call adapter, and the `MakeFunc` stub when reflect
    /// has `makeFuncCall`. `None` when the program does not call through
    /// reflect or a parameter has no machine representation.
    pub(super) fn reflect_adapters(
        &mut self,
        program: &hir::Program,
        func_ty: TypeId,
    ) -> Result<Option<(cranelift_module::FuncId, Option<cranelift_module::FuncId>)>, CodegenError> {
        if !self.reflect_calls {
            return Ok(None);
        }
        let types = &program.types;
        let under = types.underlying(types.default_type(func_ty));
        if let Some(found) = self.reflect_adapters.get(&under) {
            return Ok(Some(*found));
        }
        let Some(sig) = func_sig(types, under) else { return Ok(None) };
        let Some(closure_sig) = self.closure_signature(program, &sig, 1) else { return Ok(None) };
        let pointer = AbiParam::new(types::I64);
        let mut adapter_sig = Signature::new(self.module.isa().default_call_conv());
        adapter_sig.params.extend([pointer; 7]);
        // Named by the type's spelling (the CLIF goldens pick them so),
        // made unique by a count when two types share it.
        let mut name: String = super::rtti::rtti_name(types, under).chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let same = self.reflect_adapter_names.entry(name.clone()).or_insert(0);
        *same += 1;
        if *same > 1 {
            name = format!("{name}{same}");
        }
        let call =
            self.module.declare_function(&self.symbol(&format!("g2n_reflectcall_{name}")), Linkage::Local, &adapter_sig).map_err(backend)?;
        let make_func = match self.make_func_call {
            Some(_) => Some(
                self.module
                    .declare_function(&self.symbol(&format!("g2n_makefunc_{name}")), Linkage::Local, &closure_sig)
                    .map_err(backend)?,
            ),
            None => None,
        };
        self.reflect_adapters.insert(under, (call, make_func));
        self.pending_reflect_calls.push(PendingReflectCall { func_ty: under, call, make_func });
        Ok(Some((call, make_func)))
    }

    /// The Cranelift signature of a function of Go signature `sig` called
    /// with `leading` words first (a closure object: 1; a method wrapper's
    /// receiver words: 2).
    fn closure_signature(&self, program: &hir::Program, sig: &g2n_sema::types::Signature, leading: usize) -> Option<Signature> {
        let types = &program.types;
        let mut out = Signature::new(self.module.isa().default_call_conv());
        out.params.extend(std::iter::repeat_n(AbiParam::new(types::I64), leading));
        for param in params_of(types, sig) {
            match param {
                Param::Typed(ty) => out.params.extend(parts_of(types, ty)?.into_iter().map(AbiParam::new)),
                Param::Slice => out.params.extend([AbiParam::new(types::I64); 3]),
            }
        }
        for result in &sig.results {
            out.returns.extend(parts_of(types, *result)?.into_iter().map(AbiParam::new));
        }
        // The destination of each struct or array result (calls.rs).
        out.params.extend(sig.results.iter().filter(|r| types.is_aggregate(**r)).map(|_| AbiParam::new(types::I64)));
        Some(out)
    }
}

impl Lowerer<'_, '_> {
    /// The machine words of parameter `param` stored at `addr`.
    fn load_param(&mut self, param: Param, addr: Value, span: Span) -> Result<Vec<Value>, CodegenError> {
        match param {
            Param::Typed(ty) => self.load_value(ty, addr, span),
            Param::Slice => {
                Ok((0..3).map(|i| self.builder.ins().load(types::I64, MemFlagsData::trusted(), addr, i * 8)).collect())
            }
        }
    }

    /// The body of func type `func_ty`'s call adapter
    /// ([`g2n_abi::ReflectCallAdapter`]).
    pub(super) fn lower_reflect_call_adapter(&mut self, func_ty: TypeId) -> Result<(), CodegenError> {
        let span = Span::default();
        let sig = func_sig(&self.program.types, func_ty).ok_or_else(|| backend("a call adapter of a type that is not a func"))?;
        let start = self.builder.create_block();
        self.builder.append_block_params_for_function_params(start);
        self.builder.switch_to_block(start);
        self.builder.seal_block(start);
        let [_closure, code, word0, word1, method, args, results] = self.builder.block_params(start).to_vec()[..] else {
            return Err(backend("call adapter without its seven parameters"));
        };
        let mut values = Vec::new();
        for (index, param) in params_of(&self.program.types, &sig).into_iter().enumerate() {
            let addr = self.builder.ins().load(types::I64, MemFlagsData::trusted(), args, (index * 8) as i32);
            values.extend(self.load_param(param, addr, span)?);
        }
        // A struct or array result is written straight into its storage.
        for (index, result) in sig.results.iter().enumerate() {
            if self.program.types.is_aggregate(*result) {
                values.push(self.builder.ins().load(types::I64, MemFlagsData::trusted(), results, (index * 8) as i32));
            }
        }
        let as_method = self.builder.create_block();
        let as_closure = self.builder.create_block();
        let done = self.builder.create_block();
        self.builder.ins().brif(method, as_method, &[], as_closure, &[]);
        for (block, leading) in [(as_method, vec![word0, word1]), (as_closure, vec![word0])] {
            self.builder.seal_block(block);
            self.builder.switch_to_block(block);
            let callee_sig = self
                .mcx
                .closure_signature(self.program, &sig, leading.len())
                .ok_or_else(|| backend("a call adapter of a type without machine representation"))?;
            let sig_ref = self.builder.import_signature(callee_sig);
            let mut call_args = leading;
            call_args.extend_from_slice(&values);
            let call = self.builder.ins().call_indirect(sig_ref, code, &call_args);
            let mut returned = self.builder.inst_results(call).to_vec().into_iter();
            for (index, result) in sig.results.iter().enumerate() {
                let count = self.parts(*result, span)?.len();
                let parts: Vec<Value> = returned.by_ref().take(count).collect();
                if self.program.types.is_aggregate(*result) {
                    continue;
                }
                let addr = self.builder.ins().load(types::I64, MemFlagsData::trusted(), results, (index * 8) as i32);
                self.store_value(*result, addr, parts, span)?;
            }
            self.builder.ins().jump(done, &[]);
        }
        self.builder.seal_block(done);
        self.builder.switch_to_block(done);
        self.builder.ins().return_(&[]);
        Ok(())
    }

    /// The body of func type `func_ty`'s `MakeFunc` stub: each argument
    /// stored in fresh memory, reflect's `makeFuncCall(object, args,
    /// results)` called, the results loaded from where it stored them.
    pub(super) fn lower_make_func_stub(&mut self, func_ty: TypeId) -> Result<(), CodegenError> {
        let span = Span::default();
        let sig = func_sig(&self.program.types, func_ty).ok_or_else(|| backend("a MakeFunc stub of a type that is not a func"))?;
        let target = self.mcx.make_func_call.ok_or_else(|| backend("a MakeFunc stub without reflect's makeFuncCall"))?;
        let start = self.builder.create_block();
        self.builder.append_block_params_for_function_params(start);
        self.builder.switch_to_block(start);
        self.builder.seal_block(start);
        let mut params = self.builder.block_params(start).to_vec().into_iter();
        let object = params.next().ok_or_else(|| backend("MakeFunc stub without its closure object"))?;
        let param_list = params_of(&self.program.types, &sig);
        let args = self.alloc(8 * param_list.len().max(1) as u64)?;
        for (index, param) in param_list.into_iter().enumerate() {
            let (size, count) = match param {
                Param::Typed(ty) => (self.program.types.layout(ty).size, self.parts(ty, span)?.len()),
                Param::Slice => (24, 3),
            };
            let values: Vec<Value> = params.by_ref().take(count).collect();
            let storage = self.alloc(size.max(8))?;
            match param {
                Param::Typed(ty) => self.store_value(ty, storage, values, span)?,
                Param::Slice => {
                    for (i, value) in values.into_iter().enumerate() {
                        self.builder.ins().store(MemFlagsData::trusted(), value, storage, (i * 8) as i32);
                    }
                }
            }
            self.builder.ins().store(MemFlagsData::trusted(), storage, args, (index * 8) as i32);
        }
        // The destinations of struct and array results follow the parameters.
        let mut dests = params;
        let results = self.alloc(8 * sig.results.len().max(1) as u64)?;
        let mut storages = Vec::new();
        for (index, result) in sig.results.iter().enumerate() {
            let storage = self.alloc(self.program.types.layout(*result).size.max(8))?;
            self.builder.ins().store(MemFlagsData::trusted(), storage, results, (index * 8) as i32);
            storages.push(storage);
        }
        let func_ref = self.func_ref(target, span)?;
        self.builder.ins().call(func_ref, &[object, args, results]);
        let mut returned = Vec::new();
        for (result, storage) in sig.results.iter().zip(storages) {
            if self.program.types.is_aggregate(*result) {
                // Copied when the call is over, as a Go function's return does.
                let dest = dests.next().ok_or_else(|| backend("MakeFunc stub without a result's destination"))?;
                self.store_value(*result, dest, vec![storage], span)?;
                returned.push(dest);
                continue;
            }
            returned.extend(self.load_value(*result, storage, span)?);
        }
        self.builder.ins().return_(&returned);
        Ok(())
    }
}
