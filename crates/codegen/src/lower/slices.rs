//! Slices: bounds checks, slice expressions and `append`.

use super::*;

impl Lowerer<'_, '_> {
    /// Panics unless `0 <= index < len`; one unsigned compare covers both.
    pub(super) fn bounds_check(&mut self, index: Value, len: Value) -> Result<(), CodegenError> {
        let out_of_range = self.builder.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        let panic_block = self.builder.create_block();
        let ok_block = self.builder.create_block();
        self.builder.ins().brif(out_of_range, panic_block, &[], ok_block, &[]);
        self.builder.seal_block(panic_block);
        self.builder.seal_block(ok_block);
        self.builder.set_cold_block(panic_block);
        self.builder.switch_to_block(panic_block);
        self.call_runtime(&symbols::PANIC_INDEX, &[index, len])?;
        self.builder.ins().trap(TrapCode::unwrap_user(2));
        self.builder.switch_to_block(ok_block);
        Ok(())
    }

    fn widen_operand(&mut self, expr: Option<ExprId>) -> Result<Option<Value>, CodegenError> {
        let Some(expr) = expr else { return Ok(None) };
        let class = self.class(self.program.expr(expr).ty);
        let value = self.lower_scalar(expr)?;
        Ok(Some(self.widen_to_i64(value, class)))
    }

    /// `base[lo:hi:max]`: checks `0 <= lo <= hi <= max <= cap` with unsigned
    /// compares (a negative bound is a huge unsigned one).
    pub(super) fn lower_slice_of(
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
        self.call_runtime(&symbols::PANIC_SLICE, &[lo, hi, max, limit, kind_value])?;
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
    pub(super) fn lower_append(&mut self, slice: ExprId, values: &[ExprId], spread: bool, ty: TypeId, span: Span) -> Result<Vec<Value>, CodegenError> {
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
        self.call_runtime(&symbols::SLICE_RESERVE, &[old[0], old[1], old[2], extra, size, out_addr])?;
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
}
