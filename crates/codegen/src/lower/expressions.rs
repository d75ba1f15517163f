//! Expressions: constants, the dispatch over expression kinds, and
//! conversions.

use super::*;

impl Lowerer<'_, '_> {
    pub(super) fn lower_scalar(&mut self, expr: ExprId) -> Result<Value, CodegenError> {
        let values = self.lower_expr(expr)?;
        values.first().copied().ok_or_else(|| unsupported("a value without representation", self.program.expr(expr).span))
    }

    fn string_data(&mut self, bytes: &[u8]) -> Result<DataId, CodegenError> {
        self.mcx.string_data(bytes)
    }

    /// A string constant: its bytes in read-only data, or for "" a nil
    /// pointer, as Go's empty string (and the zero string) has.
    pub(super) fn string_const(&mut self, bytes: &[u8]) -> Result<(Value, Value), CodegenError> {
        if bytes.is_empty() {
            let zero = self.builder.ins().iconst(types::I64, 0);
            return Ok((zero, zero));
        }
        let id = self.string_data(bytes)?;
        let gv = self.mcx.module.declare_data_in_func(id, self.builder.func);
        let ptr = self.builder.ins().symbol_value(types::I64, gv);
        let len = self.builder.ins().iconst(types::I64, bytes.len() as i64);
        Ok((ptr, len))
    }

    /// An integer constant of a machine type; narrow immediates are stored
    /// zero-extended, as the verifier wants.
    pub(super) fn int_const(&mut self, ty: Type, value: i128) -> Value {
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
                let (ptr, len) = self.string_const(s)?;
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

    pub(super) fn lower_expr(&mut self, id: ExprId) -> Result<Vec<Value>, CodegenError> {
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
                if let Some(result) = self.lower_math_instruction(*func, args)? {
                    return Ok(vec![result]);
                }
                if let Some(result) = self.lower_bytealg_compare(*func, args)? {
                    return Ok(vec![result]);
                }
                let dests = self.call_result_dests(id)?;
                let func_ref = self.func_ref(*func, span)?;
                let mut values = Vec::new();
                for arg in args {
                    values.extend(self.lower_expr(*arg)?);
                }
                values.extend(dests);
                let call = self.builder.ins().call(func_ref, &values);
                Ok(self.builder.inst_results(call).to_vec())
            }
            ExprKind::Convert(inner) if self.mcx.stack.rune_strings.contains(&id) => self.lower_rune_string_on_stack(*inner),
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
                let on_stack = self.mcx.stack.composites.contains(&id);
                let elems: Vec<(u64, ExprId)> = elems.iter().map(|(offset, value)| (*offset, *value)).collect();
                let storage = if on_stack {
                    // Only copied from (escape analysis): a frame temporary.
                    let addr = self.stack_memory(layout.size, layout.align);
                    self.zero_memory(addr, layout.size);
                    self.store_elements(addr, &elems, span)?;
                    addr
                } else {
                    self.heap_literal(layout.size, layout.align, &elems, span)?
                };
                Ok(vec![storage])
            }
            ExprKind::SliceLit { len, elems } => {
                let elem_size = self.elem_size(expr.ty);
                let elems: Vec<(u64, ExprId)> = elems.iter().map(|(index, value)| (*index * elem_size, *value)).collect();
                let storage = self.heap_literal(elem_size * len, 8, &elems, span)?;
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
                let pointer = self.call_runtime(&symbols::MAKE_SLICE, &[size, len, cap])?[0];
                Ok(vec![pointer, len, cap])
            }
            ExprKind::StdCall { symbol, args, variadic, spread } => self.lower_std_call(symbol, args, *variadic, *spread, expr.ty, span),
            ExprKind::Closure(func) => {
                let captures = self.program.func(*func).captures.clone().unwrap_or_default();
                let size = 8 * (captures.len() as u64 + 1);
                let object = if self.mcx.stack.closures.contains(&id) {
                    // Only called while this expression's use lasts (escape
                    // analysis): a frame temporary.
                    self.stack_memory(size, 8)
                } else {
                    self.alloc(size)?
                };
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
                let dests = self.call_result_dests(id)?;
                let object = self.lower_scalar(*callee)?;
                self.nil_check(object)?;
                let mut call_args = vec![object];
                for arg in args {
                    call_args.extend(self.lower_expr(*arg)?);
                }
                call_args.extend(dests);
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
                    let slot = self.call_runtime(&symbols::MAP_ASSIGN, &[map, key_ptr])?[0];
                    let ty = self.program.expr(*value).ty;
                    self.store_value(ty, slot, values, span)?;
                }
                Ok(vec![map])
            }
            ExprKind::MapIndex { map, key, comma_ok } => self.lower_map_index(*map, *key, *comma_ok, span),
            ExprKind::InterfaceCall { receiver, method, args } => self.lower_interface_call(id, *receiver, method, args, expr.ty, span),
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
    pub(super) fn widen_to_i64(&mut self, value: Value, class: Class) -> Value {
        let ty = self.builder.func.dfg.value_type(value);
        if ty == types::I64 {
            return value;
        }
        match class {
            Class::Integer { signed: true, .. } => self.builder.ins().sextend(types::I64, value),
            _ => self.builder.ins().uextend(types::I64, value),
        }
    }

    /// `string(r)` of an integer in a 4-byte stack slot, where escape
    /// analysis found the string only read (`Index(s, string(r))`), as Go's
    /// `intstring` fills its stack `tmpBuf`: the UTF-8 encoding computed
    /// without branches, U+FFFD for a value that is not a code point, as
    /// `g2n_string_from_rune` gives on the heap.
    fn lower_rune_string_on_stack(&mut self, inner: ExprId) -> Result<Vec<Value>, CodegenError> {
        let class = self.class(self.program.expr(inner).ty);
        let value = self.lower_scalar(inner)?;
        let rune = self.widen_to_i64(value, class);
        // Negative (as an unsigned word, huge), past U+10FFFF, or a surrogate.
        let too_big = self.builder.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, rune, 0x10FFFF);
        let surrogate_block = self.builder.ins().band_imm_s(rune, !0x7FF);
        let surrogate = self.builder.ins().icmp_imm_s(IntCC::Equal, surrogate_block, 0xD800);
        let invalid = self.builder.ins().bor(too_big, surrogate);
        let replacement = self.builder.ins().iconst(types::I64, 0xFFFD);
        let rune = self.builder.ins().select(invalid, replacement, rune);
        let two_bytes = self.builder.ins().icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, rune, 0x80);
        let three_bytes = self.builder.ins().icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, rune, 0x800);
        let four_bytes = self.builder.ins().icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, rune, 0x10000);
        let mut len = self.builder.ins().iconst(types::I64, 1);
        for more in [two_bytes, three_bytes, four_bytes] {
            let more = self.builder.ins().uextend(types::I64, more);
            len = self.builder.ins().iadd(len, more);
        }
        // The bits of `rune` from `shift` up as a byte: `lead | rune>>shift`
        // with the lead bits of a first byte, `0x80 | rune>>shift & 0x3F`
        // for a continuation byte.
        let byte = |lowerer: &mut Self, shift: i64, lead: i64, mask: i64, at: i64| {
            let bits = lowerer.builder.ins().ushr_imm_s(rune, shift);
            let bits = lowerer.builder.ins().band_imm_s(bits, mask);
            let bits = lowerer.builder.ins().bor_imm_s(bits, lead);
            lowerer.builder.ins().ishl_imm_s(bits, at * 8)
        };
        let mut words = Vec::new();
        for (lead, count) in [(0xC0, 2), (0xE0, 3), (0xF0, 4)] {
            let mut word = byte(self, 6 * (count - 1), lead, 0x3F, 0);
            for at in 1..count {
                let continuation = byte(self, 6 * (count - 1 - at), 0x80, 0x3F, at);
                word = self.builder.ins().bor(word, continuation);
            }
            words.push(word);
        }
        let word = self.builder.ins().select(two_bytes, words[0], rune);
        let word = self.builder.ins().select(three_bytes, words[1], word);
        let word = self.builder.ins().select(four_bytes, words[2], word);
        let word = self.builder.ins().ireduce(types::I32, word);
        let slot = self.new_stack_slot(4, 4);
        self.builder.ins().stack_store(types::I64, word, slot, 0);
        let ptr = self.builder.ins().stack_addr(types::I64, slot, 0);
        Ok(vec![ptr, len])
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
            // unsafe.Pointer to and from uintptr: the same word.
            (Class::Pointer, Class::Integer { bits: 64, .. }, _) | (Class::Integer { bits: 64, .. }, Class::Pointer, _) => values,
            (Class::Slice, Class::Pointer, Some(pointer)) => {
                // A slice to a pointer to an array: the slice's backing
                // array, if the slice is long enough (Go panics otherwise).
                let length = match self.kind(target) {
                    TypeKind::Pointer(pointee) => match self.program.types.under(*pointee) {
                        TypeKind::Array(n, _) => *n as i64,
                        _ => return Err(unsupported("this conversion", span)),
                    },
                    _ => return Err(unsupported("this conversion", span)),
                };
                let slice_len = values[1];
                let short = self.builder.ins().icmp_imm_s(IntCC::SignedLessThan, slice_len, length);
                let panic_block = self.builder.create_block();
                let ok_block = self.builder.create_block();
                self.builder.ins().brif(short, panic_block, &[], ok_block, &[]);
                self.builder.seal_block(panic_block);
                self.builder.seal_block(ok_block);
                self.builder.set_cold_block(panic_block);
                self.builder.switch_to_block(panic_block);
                let zero = self.builder.ins().iconst(types::I64, 0);
                let array_len = self.builder.ins().iconst(types::I64, length);
                let kind = self.builder.ins().iconst(types::I64, 3);
                self.call_runtime(&symbols::PANIC_SLICE, &[zero, array_len, zero, slice_len, kind])?;
                self.builder.ins().trap(TrapCode::unwrap_user(2));
                self.builder.switch_to_block(ok_block);
                vec![pointer]
            }
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
                self.call_runtime(&symbols::STRING_TO_SLICE, &[values[0], values[1], flag, out_addr])?;
                (0..3).map(|i| self.builder.ins().stack_load(types::I64, types::I64, out, i * 8)).collect()
            }
            (Class::Slice, Class::String, _) => {
                let rune_elems = self.elem_size(self.program.expr(inner).ty) == 4;
                let flag = self.builder.ins().iconst(types::I8, rune_elems as i64);
                self.call_runtime(&symbols::SLICE_TO_STRING, &[values[0], values[1], flag])?
            }
            (Class::Integer { .. }, Class::String, Some(v)) => {
                let rune = self.widen_to_i64(v, from);
                let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                self.call_runtime(&symbols::STRING_FROM_RUNE, &[rune, out_addr])?;
                let ptr = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
                let len = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
                vec![ptr, len]
            }
            _ => return Err(unsupported("this conversion", span)),
        })
    }
}
