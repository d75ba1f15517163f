//! Calls of the runtime, of runtime-implemented stdlib functions, and of
//! declared functions, directly or as func values.
//!
//! Struct and array results are written into the caller's memory: a Go
//! function takes one more pointer parameter per such result, after all
//! of its own (`signature_of`), writes the result there when it returns
//! (nothing earlier, so that no partial write is seen), and returns that
//! pointer as the result's word. The caller chooses the destination
//! ([`Lowerer::call_result_dests`]): the storage of the variable the result
//! is assigned to, a stack slot when escape analysis found the result only
//! copied from (`StackPlan::results`), or else fresh heap memory. Closures,
//! func values, method wrappers and reflect's adapters take the same
//! trailing parameters, so forwarding every parameter forwards them.

use super::*;

impl Lowerer<'_, '_> {
    /// The types of the results of a call whose expression has type `ty`.
    pub(super) fn result_types(&self, ty: TypeId) -> Vec<TypeId> {
        match self.kind(ty) {
            TypeKind::Tuple(elems) => elems.clone(),
            _ => vec![ty],
        }
    }

    /// The destinations of the struct and array results of call `call`, in
    /// order: those waiting in `next_call_dest` (the storage of a variable
    /// assigned the result, or the function's own destinations for
    /// `return f()`), a stack slot each when escape analysis found them only
    /// copied from, else fresh heap memory. Called before the arguments
    /// are lowered, so that a call among them does not take them.
    pub(super) fn call_result_dests(&mut self, call: ExprId) -> Result<Vec<Value>, CodegenError> {
        let types = &self.program.types;
        let aggregates: Vec<TypeId> = self.result_types(self.program.expr(call).ty).into_iter().filter(|t| types.is_aggregate(*t)).collect();
        if let Some(dests) = self.next_call_dest.take() {
            if dests.len() == aggregates.len() {
                return Ok(dests);
            }
            return Err(backend("a call destination that does not fit its call"));
        }
        let on_stack = self.mcx.stack.results.contains(&call);
        let mut dests = Vec::new();
        for ty in aggregates {
            let layout = self.program.types.layout(ty);
            dests.push(if on_stack {
                self.stack_memory(layout.size, layout.align)
            } else {
                self.alloc(layout.size)?
            });
        }
        Ok(dests)
    }

    /// Whether `expr` is a call of Go code whose one result is a struct or
    /// an array: it can write that result where its caller says.
    pub(super) fn writes_aggregate_result(&self, expr: ExprId) -> bool {
        let e = self.program.expr(expr);
        matches!(e.kind, ExprKind::Call { .. } | ExprKind::CallValue { .. } | ExprKind::InterfaceCall { .. })
            && self.program.types.is_aggregate(e.ty)
    }

    /// Whether `return value` can hand this function's result destinations
    /// to call `value`: its results are this function's, one for one,
    /// with at least one struct or array among them.
    pub(super) fn passes_own_dests(&self, value: ExprId) -> bool {
        let Some(current) = self.current else { return false };
        let e = self.program.expr(value);
        if !matches!(e.kind, ExprKind::Call { .. } | ExprKind::CallValue { .. } | ExprKind::InterfaceCall { .. }) {
            return false;
        }
        let types = &self.program.types;
        let mine = &self.program.func(current).results;
        let theirs = self.result_types(e.ty);
        mine.len() == theirs.len()
            && mine.iter().any(|t| types.is_aggregate(*t))
            && mine.iter().zip(&theirs).all(|(a, b)| types.is_aggregate(*a) == types.is_aggregate(*b) && types.layout(*a).size == types.layout(*b).size)
    }

    /// Lowers call `value` with `dests` as the destinations of its struct
    /// and array results.
    pub(super) fn lower_call_into(&mut self, value: ExprId, dests: Vec<Value>) -> Result<Vec<Value>, CodegenError> {
        self.next_call_dest = Some(dests);
        let result = self.lower_expr(value);
        if self.next_call_dest.take().is_some() {
            return Err(backend("a call destination left unused"));
        }
        result
    }

    /// The words a function returns for its results `values` (all of them,
    /// flat): each struct or array result is copied into its destination,
    /// whose address is returned in its place.
    pub(super) fn write_results(&mut self, values: Vec<Value>, span: Span) -> Result<Vec<Value>, CodegenError> {
        let Some(current) = self.current else { return Ok(values) };
        let results = self.program.func(current).results.clone();
        let mut values = values.into_iter();
        let mut returned = Vec::new();
        for (index, ty) in results.into_iter().enumerate() {
            let count = self.parts(ty, span)?.len();
            let parts: Vec<Value> = values.by_ref().take(count).collect();
            match self.result_dests.get(index).copied().flatten() {
                Some(dest) => {
                    // `return f()` had f write into this destination already.
                    if parts.first() != Some(&dest) {
                        self.store_value(ty, dest, parts, span)?;
                    }
                    returned.push(dest);
                }
                None => returned.extend(parts),
            }
        }
        Ok(returned)
    }

    /// A copy in the frame (or, past escape analysis's size limit, on the
    /// heap) of each struct or array among a function's results `values`,
    /// taken before its deferred calls run: `return x` returns x as it
    /// was, even when a deferred call changes it.
    pub(super) fn snapshot_results(&mut self, values: Vec<Value>, span: Span) -> Result<Vec<Value>, CodegenError> {
        let Some(current) = self.current else { return Ok(values) };
        let results = self.program.func(current).results.clone();
        let mut values = values.into_iter();
        let mut out = Vec::new();
        for ty in results {
            let count = self.parts(ty, span)?.len();
            let parts: Vec<Value> = values.by_ref().take(count).collect();
            if !self.program.types.is_aggregate(ty) {
                out.extend(parts);
                continue;
            }
            let layout = self.program.types.layout(ty);
            let copy = if layout.size <= crate::escape::MAX_STACK_VALUE {
                self.stack_memory(layout.size, layout.align)
            } else {
                self.alloc(layout.size)?
            };
            self.store_value(ty, copy, parts, span)?;
            out.push(copy);
        }
        Ok(out)
    }

    /// Calls a runtime function, declaring it on first use with the
    /// signature its table entry gives. Arguments of other types than the
    /// entry's are a bug in the caller, reported rather than emitted (the
    /// runtime would read them as garbage).
    pub(super) fn call_runtime(&mut self, function: &RtFn, args: &[Value]) -> Result<Vec<Value>, CodegenError> {
        let sig = runtime_signature(self.mcx.module, function);
        let arg_types: Vec<Type> = args.iter().map(|v| self.builder.func.dfg.value_type(*v)).collect();
        let param_types: Vec<Type> = sig.params.iter().map(|p| p.value_type).collect();
        if arg_types != param_types {
            return Err(backend(format!("call of {} with arguments {arg_types:?}", function.describe())));
        }
        let func_ref = match self.runtime.get(function.name) {
            Some(f) => *f,
            None => {
                let id = self.mcx.module.declare_function(function.name, Linkage::Import, &sig).map_err(backend)?;
                let func_ref = self.mcx.module.declare_func_in_func(id, self.builder.func);
                self.runtime.insert(function.name.to_string(), func_ref);
                func_ref
            }
        };
        let call = self.builder.ins().call(func_ref, args);
        Ok(self.builder.inst_results(call).to_vec())
    }

    pub(super) fn panic_runtime_error(&mut self, message: &str) -> Result<(), CodegenError> {
        let (ptr, len) = self.string_const(message.as_bytes())?;
        self.call_runtime(&symbols::PANIC_RUNTIME_ERROR, &[ptr, len])?;
        self.builder.ins().trap(TrapCode::unwrap_user(2));
        Ok(())
    }

    /// A call of a runtime-implemented stdlib function: arguments as their
    /// machine words, a variadic tail as an array and a count; up to two
    /// result words come back in registers, more through a buffer passed last.
    pub(super) fn lower_std_call(&mut self, symbol: &str, args: &[ExprId], variadic: Option<usize>, spread: bool, ty: TypeId, span: Span) -> Result<Vec<Value>, CodegenError> {
        let function = symbols::stdlib::find(symbol)
            .ok_or_else(|| backend(format!("{symbol} is not in the runtime ABI table (g2n_abi::symbols::stdlib)")))?;
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
        let direct = self.call_runtime(function, &values)?;
        match out {
            Some(slot) => Ok(results
                .iter()
                .enumerate()
                .map(|(i, part)| self.builder.ins().stack_load(types::I64, *part, slot, (i * 8) as i32))
                .collect()),
            None => Ok(direct),
        }
    }

    /// A call of one of `math`'s functions (compiled from Go's source) that
    /// is one exact IEEE 754 instruction, as the single instruction: Go's
    /// compiler makes the same functions intrinsics (`math.Sqrt`, `Abs`,
    /// `Floor`, `Ceil`, `Trunc`), whose pure-Go bodies are bit twiddling
    /// (Sqrt's a loop a bit at a time). The result is the same either way.
    pub(super) fn lower_math_instruction(&mut self, func: FuncId, args: &[ExprId]) -> Result<Option<Value>, CodegenError> {
        let callee = self.program.func(func);
        let [arg] = args else { return Ok(None) };
        if callee.captures.is_some() || !matches!(callee.name.as_str(), "Sqrt" | "sqrt" | "Abs" | "Floor" | "floor" | "Ceil" | "ceil" | "Trunc" | "trunc") {
            return Ok(None);
        }
        if g2n_sema::stdlib::package_of_file(callee.span.file) != Some("math") || self.program.expr(*arg).ty != g2n_sema::types::Types::FLOAT64 {
            return Ok(None);
        }
        let x = self.lower_scalar(*arg)?;
        let ins = self.builder.ins();
        Ok(Some(match callee.name.as_str() {
            "Sqrt" | "sqrt" => ins.sqrt(x),
            "Abs" => ins.fabs(x),
            "Floor" | "floor" => ins.floor(x),
            "Ceil" | "ceil" => ins.ceil(x),
            _ => ins.trunc(x),
        }))
    }

    /// A call of `internal/bytealg.Compare` (bytes.Compare's body) as the
    /// runtime's byte comparison: on amd64 Go runs assembly for it; the
    /// generic Go body g2n compiles compares a byte at a time, which made
    /// bytes' TestCompareBytes (10^10 bytes compared) run out of time.
    /// The result is the same (-1, 0 or +1).
    pub(super) fn lower_bytealg_compare(&mut self, func: FuncId, args: &[ExprId]) -> Result<Option<Value>, CodegenError> {
        let callee = self.program.func(func);
        let [a, b] = args else { return Ok(None) };
        if callee.captures.is_some() || callee.name != "Compare" || g2n_sema::stdlib::package_of_file(callee.span.file) != Some("internal/bytealg") {
            return Ok(None);
        }
        let a = self.lower_expr(*a)?;
        let b = self.lower_expr(*b)?;
        Ok(Some(self.call_runtime(&symbols::STRING_COMPARE, &[a[0], a[1], b[0], b[1]])?[0]))
    }

    /// The static closure object of a declared function used as a value.
    pub(super) fn func_value_object(&mut self, func: FuncId, span: Span) -> Result<DataId, CodegenError> {
        if let Some(id) = self.mcx.func_values.get(&func) {
            return Ok(*id);
        }
        self.declared_func(func, span)?;
        self.mcx.func_value_object(self.program, func)
    }

    pub(super) fn lower_func_value_adapter(&mut self, func: FuncId) -> Result<(), CodegenError> {
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

    /// The module function of a declared function, declared on first use
    /// and then lowered by lower_unit (`ModuleCtx::pending_funcs`). `main` is the unit
    /// entry; a call of it (from another function, or itself) or its use
    /// as a value needs it as a plain function too, declared here on first
    /// use and lowered by lower_unit. A unit with hops resumes main mid-body
    /// and cannot.
    fn declared_func(&mut self, id: FuncId, span: Span) -> Result<cranelift_module::FuncId, CodegenError> {
        match self.mcx.funcs.get(id.index()).copied() {
            Some(Some(module_id)) => Ok(module_id),
            Some(None) if Some(id) == self.program.main && self.program.hops.is_empty() => {
                let sig = signature_of(self.mcx.module, self.program, self.program.func(id))?;
                let name = self.mcx.symbol(&format!("g2n_fn{}_main", id.index()));
                let module_id = self.mcx.module.declare_function(&name, Linkage::Local, &sig).map_err(backend)?;
                self.mcx.funcs[id.index()] = Some(module_id);
                Ok(module_id)
            }
            Some(None) if Some(id) != self.program.main => self.mcx.declare_plain_func(self.program, id),
            _ => Err(unsupported("using func main in a program with goToNetwork", span)),
        }
    }

    pub(super) fn func_ref(&mut self, id: FuncId, span: Span) -> Result<FuncRef, CodegenError> {
        if let Some(f) = self.func_refs.get(&id) {
            return Ok(*f);
        }
        let module_id = self.declared_func(id, span)?;
        let func_ref = self.mcx.module.declare_func_in_func(module_id, self.builder.func);
        self.func_refs.insert(id, func_ref);
        Ok(func_ref)
    }
}

/// The Cranelift signature of a runtime function's table entry. A narrow
/// integer word is declared with its extension: Cranelift then widens the
/// argument (generated code leaves junk above a `bool` or a `byte`) and the
/// Rust definition, which relies on the C convention's widening, reads the
/// value generated code meant.
pub(crate) fn runtime_signature(module: &ObjectModule, function: &RtFn) -> Signature {
    let pointer = module.isa().pointer_type();
    let param = |w: &AbiType| {
        let ty = match w {
            AbiType::U8 | AbiType::I8 => types::I8,
            AbiType::U32 | AbiType::I32 => types::I32,
            AbiType::I64 => types::I64,
            AbiType::F32 => types::F32,
            AbiType::F64 => types::F64,
            AbiType::Ptr => pointer,
        };
        match w.extension() {
            Extension::None => AbiParam::new(ty),
            Extension::Zero => AbiParam::new(ty).uext(),
            Extension::Sign => AbiParam::new(ty).sext(),
        }
    };
    let mut sig = Signature::new(module.isa().default_call_conv());
    sig.params.extend(function.params.iter().map(param));
    sig.returns.extend(function.returns.iter().map(param));
    sig
}

/// The words a call of a runtime-implemented stdlib function passes and
/// receives, from its Go signature, as [`Lowerer::lower_std_call`] lowers
/// it: each fixed parameter's parts, a variadic tail as an array (or a
/// spread slice's pointer) and a count, the results' parts, or a result
/// buffer's address passed last when they are more than two words. Pointers
/// are [`AbiType::I64`] here, as in generated code. `None` for a type
/// codegen cannot lower.
pub(crate) fn std_call_words(types: &g2n_sema::types::Types, sig: &g2n_sema::types::Signature) -> Option<(Vec<AbiType>, Vec<AbiType>)> {
    let fixed = if sig.variadic { sig.params.len().saturating_sub(1) } else { sig.params.len() };
    let mut params = Vec::new();
    for ty in &sig.params[..fixed] {
        params.extend(abi_words_of(types, *ty)?);
    }
    if sig.variadic {
        params.extend([AbiType::I64, AbiType::I64]);
    }
    let mut results = Vec::new();
    for ty in &sig.results {
        results.extend(abi_words_of(types, *ty)?);
    }
    if results.len() > 2 {
        params.push(AbiType::I64);
        results.clear();
    }
    Some((params, results))
}

/// The ABI words of a Go value's parts: a narrow integer's word says how
/// it is extended, by the Go type's signedness (`bool` and `byte` zero,
/// `int8` and `rune` sign).
fn abi_words_of(types: &g2n_sema::types::Types, ty: TypeId) -> Option<Vec<AbiType>> {
    let parts = parts_of(types, ty)?;
    let signed = match types.under(types.default_type(ty)) {
        TypeKind::Int8 | TypeKind::Int16 | TypeKind::Int32 => Some(true),
        TypeKind::Bool | TypeKind::Uint8 | TypeKind::Uint16 | TypeKind::Uint32 => Some(false),
        _ => None,
    };
    parts
        .into_iter()
        .map(|t| match (t, signed) {
            (types::I8, Some(false)) => Some(AbiType::U8),
            (types::I8, Some(true)) => Some(AbiType::I8),
            (types::I32, Some(false)) => Some(AbiType::U32),
            (types::I32, Some(true)) => Some(AbiType::I32),
            (types::I64, _) => Some(AbiType::I64),
            (types::F32, _) => Some(AbiType::F32),
            (types::F64, _) => Some(AbiType::F64),
            _ => None,
        })
        .collect()
}

impl ModuleCtx<'_> {
    /// The module function of plain function `func` (not `main`), declared
    /// and queued for lowering (`pending_funcs`) on its first reference.
    pub(super) fn declare_plain_func(&mut self, program: &hir::Program, func: FuncId) -> Result<cranelift_module::FuncId, CodegenError> {
        if let Some(Some(id)) = self.funcs.get(func.index()).copied() {
            return Ok(id);
        }
        let f = program.func(func);
        if let Some(message) = program.unbound.get(&func) {
            return Err(CodegenError::Unbound { message: message.clone(), span: f.span });
        }
        let sig = signature_of(self.module, program, f)?;
        let name = self.symbol(&format!("g2n_fn{}_{}", func.index(), f.name));
        let module_id = self.module.declare_function(&name, Linkage::Local, &sig).map_err(backend)?;
        self.funcs[func.index()] = Some(module_id);
        self.pending_funcs.push(func);
        // A library function literal declared on first use (lower_unit):
        // the program table lists it with its captures' descriptors.
        self.declare_capture_types(program, f)?;
        Ok(module_id)
    }

    /// The static closure object of declared function `func` (declared in
    /// the module already), and the adapter through which it is called.
    pub(super) fn func_value_object(&mut self, program: &hir::Program, func: FuncId) -> Result<DataId, CodegenError> {
        if let Some(id) = self.func_values.get(&func) {
            return Ok(*id);
        }
        let mut sig = signature_of(self.module, program, program.func(func))?;
        sig.params.insert(0, AbiParam::new(types::I64));
        let adapter = self.module.declare_function(&self.symbol(&format!("g2n_fnvalue{}", func.0)), Linkage::Local, &sig).map_err(backend)?;
        let data_id =
            self.module.declare_data(&self.symbol(&format!("g2n_fnobject{}", func.0)), Linkage::Local, false, false).map_err(backend)?;
        let mut data = DataDescription::new();
        data.set_align(8);
        data.define(vec![0u8; 8].into_boxed_slice());
        let func_ref = self.module.declare_func_in_data(adapter, &mut data);
        data.write_function_addr(0, func_ref);
        self.module.define_data(data_id, &data).map_err(backend)?;
        self.func_values.insert(func, data_id);
        self.pending_func_values.push((func, adapter));
        Ok(data_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_codegen::ir::ArgumentExtension;
    use cranelift_object::ObjectBuilder;

    /// Every narrow word of every table entry (runtime, libc, stdlib) is
    /// declared to Cranelift at its width and with its extension, and every
    /// full word without one: the caller then widens what the Rust
    /// definition (or libc) reads as a whole register.
    #[test]
    fn every_narrow_word_of_the_table_is_declared_with_its_extension() {
        let isa = crate::make_isa().expect("isa");
        let module = ObjectModule::new(ObjectBuilder::new(isa, b"abi".to_vec(), cranelift_module::default_libcall_names()).expect("builder"));
        let entries = symbols::RUNTIME.iter().chain(symbols::LIBC).chain(symbols::stdlib::ALL);
        let (mut narrow, mut problems) = (0, Vec::new());
        for entry in entries {
            let sig = runtime_signature(&module, entry);
            let declared = sig.params.iter().zip(entry.params).chain(sig.returns.iter().zip(entry.returns));
            assert_eq!(sig.params.len() + sig.returns.len(), entry.params.len() + entry.returns.len());
            for (param, word) in declared {
                let want = match word.extension() {
                    Extension::None => ArgumentExtension::None,
                    Extension::Zero => ArgumentExtension::Uext,
                    Extension::Sign => ArgumentExtension::Sext,
                };
                if word.bits() < 64 && word.extension() != Extension::None {
                    narrow += 1;
                }
                if param.extension != want || param.value_type.bits() != word.bits() {
                    problems.push(format!("{}: {} declared as {param:?}", entry.describe(), word.name()));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        // bool results of math and os, slots, argc... (fewer since
        // unicode, strconv, strings and bytes are compiled from Go's source)
        assert!(narrow > 20, "only {narrow} narrow words in the table");
    }

    /// The machine instructions of `caller(x: i64)`, which calls an import of
    /// signature `sig` passing `x` cut to the width of parameter `narrow`
    /// there (zeros elsewhere), as the host's backend compiles them.
    fn caller_code(sig: &Signature, narrow: usize) -> Vec<String> {
        use cranelift_codegen::ir::{ExtFuncData, ExternalName, Function, InstBuilder, UserExternalName};
        let isa = crate::make_isa().expect("isa");
        let mut caller_sig = Signature::new(sig.call_conv);
        caller_sig.params.push(AbiParam::new(types::I64));
        let mut func = Function::with_name_signature(UserFuncName::user(0, 0), caller_sig);
        let callee_sig = func.import_signature(sig.clone());
        let name = func.declare_imported_user_function(UserExternalName::new(0, 1));
        let callee = func.import_function(ExtFuncData { name: ExternalName::user(name), signature: callee_sig, colocated: false, patchable: false });
        let mut context = cranelift_frontend::FunctionBuilderContext::new();
        let mut builder = FunctionBuilder::new(&mut func, &mut context);
        let block = builder.create_block();
        builder.append_block_params_for_function_params(block);
        builder.switch_to_block(block);
        builder.seal_block(block);
        let x = builder.block_params(block)[0];
        let args: Vec<Value> = sig
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| match p.value_type {
                ty if i == narrow && ty.bits() < 64 => builder.ins().ireduce(ty, x),
                types::F32 => builder.ins().f32const(0.0),
                types::F64 => builder.ins().f64const(0.0),
                ty => builder.ins().iconst(ty, 0),
            })
            .collect();
        builder.ins().call(callee, &args);
        builder.ins().return_(&[]);
        builder.finalize(isa.frontend_config());
        let mut ctx = cranelift_codegen::Context::for_function(func);
        ctx.set_disasm(true);
        let code = ctx.compile(&*isa, &mut Default::default()).expect("compiles");
        let text = code.vcode.clone().expect("vcode text");
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.ends_with(':')).map(String::from).collect()
    }

    /// Compiled for x86-64, a call of a table entry widens each narrow
    /// argument (passed here as a 64-bit value cut to its width, upper bits
    /// left as they were, what the issue's `false` bool hit): a zero- or
    /// sign-extending move of the right width is in the code (a 32-bit
    /// `movl` zero-extends).
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_narrow_argument_is_widened_in_the_machine_code() {
        let isa = crate::make_isa().expect("isa");
        let module = ObjectModule::new(ObjectBuilder::new(isa, b"abi".to_vec(), cranelift_module::default_libcall_names()).expect("builder"));
        let (mut checked, mut problems) = (0, Vec::new());
        for entry in symbols::RUNTIME.iter().chain(symbols::LIBC).chain(symbols::stdlib::ALL) {
            let sig = runtime_signature(&module, entry);
            for (i, word) in entry.params.iter().enumerate() {
                let widening: &[&str] = match word {
                    AbiType::U8 => &["movzbl ", "movzbq "],
                    AbiType::I8 => &["movsbl ", "movsbq "],
                    AbiType::U32 => &["movl "],
                    AbiType::I32 => &["movslq "],
                    _ => continue,
                };
                let code = caller_code(&sig, i);
                checked += 1;
                if !code.iter().any(|line| widening.iter().any(|m| line.starts_with(m))) {
                    problems.push(format!("{} argument {i} ({}): {code:?}", entry.describe(), word.name()));
                }
            }
        }
        assert!(problems.is_empty(), "not widened:\n{}", problems.join("\n"));
        assert!(checked > 20, "only {checked} narrow arguments");
    }

    /// The same check fails on a signature without the extensions: it
    /// can tell a widened argument from one passed as it is.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn an_argument_declared_without_extension_is_not_widened() {
        let isa = crate::make_isa().expect("isa");
        let module = ObjectModule::new(ObjectBuilder::new(isa, b"abi".to_vec(), cranelift_module::default_libcall_names()).expect("builder"));
        let mut bare = runtime_signature(&module, &symbols::SCOPE_PUT_BOOL);
        bare.params[2] = AbiParam::new(types::I8);
        let code = caller_code(&bare, 2);
        assert!(!code.iter().any(|l| l.starts_with("movzb")), "{code:?}");
        let widened = caller_code(&runtime_signature(&module, &symbols::SCOPE_PUT_BOOL), 2);
        assert!(widened.iter().any(|l| l.starts_with("movzb")), "{widened:?}");
    }

    /// Go's signedness decides a stdlib word's extension.
    #[test]
    fn go_types_give_their_extension() {
        let (program, decls) = g2n_sema::runtime_declarations();
        let words = |q: &str| {
            let decl = decls.iter().find(|d| d.qualified == q).unwrap_or_else(|| panic!("{q} declared"));
            std_call_words(&program.types, &decl.signature).expect("lowered")
        };
        assert_eq!(words("runtime.isPointer"), (vec![AbiType::I64, AbiType::I64, AbiType::I64], vec![AbiType::U8]));
        assert_eq!(words("runtime.funcName"), (vec![AbiType::I64], vec![AbiType::I64, AbiType::I64]));
    }
}
