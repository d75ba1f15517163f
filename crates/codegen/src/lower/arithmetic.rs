//! Binary operators: integer, float, complex and string arithmetic and
//! comparisons, division with its checks, and shifts.

use super::*;

impl Lowerer<'_, '_> {
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

    pub(super) fn lower_binary(&mut self, op: hir::BinaryOp, lhs: ExprId, rhs: ExprId, span: Span) -> Result<Vec<Value>, CodegenError> {
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
        if matches!(class, Class::String) && matches!(op, B::Eq | B::Ne) {
            let equal = self.lower_string_equal(lhs, rhs)?;
            return Ok(vec![if op == B::Eq { equal } else { self.builder.ins().bxor_imm_s(equal, 1) }]);
        }
        let count_class = self.class(self.program.expr(rhs).ty);
        let (left, right) = if matches!(class, Class::String) && op != B::Add {
            (self.lower_compared_string(lhs)?, self.lower_compared_string(rhs)?)
        } else {
            (self.lower_expr(lhs)?, self.lower_expr(rhs)?)
        };
        match class {
            Class::String => {
                if op == B::Add {
                    let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                    let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                    self.call_runtime(&symbols::STRING_CONCAT, &[left[0], left[1], right[0], right[1], out_addr])?;
                    let ptr = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
                    let len = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
                    return Ok(vec![ptr, len]);
                }
                let order = self.call_runtime(&symbols::STRING_COMPARE, &[left[0], left[1], right[0], right[1]])?[0];
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

    /// `+ - * / == !=` on complex values ([Go spec: Arithmetic operators](https://go.dev/ref/spec#Arithmetic_operators)).
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
                self.call_runtime(&symbols::COMPLEX128_DIV, &[a, b, c, d, out_addr])?;
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
