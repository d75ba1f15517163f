//! Unary and binary operators, comparisons and shifts, with the typing of
//! untyped operands ([Go spec: Operators](https://go.dev/ref/spec#Operators)).

use super::*;

/// How Go quotes a binary operation in its errors.
pub(super) enum OperationText<'a> {
    /// `a + b`: the operands' source.
    Source(&'a ast::Expr, &'a ast::Expr),
    /// `x += 1`, or `b--` (`inc_dec`: Go then says "non-numeric type").
    Assignment { text: String, inc_dec: bool },
}

impl Checker<'_> {
    pub(super) fn check_unary(&mut self, op: ast::UnaryOp, operand: &ast::Expr, span: Span) -> ExprId {
        let value = self.check_expr(operand);
        let ty = self.expr_ty(value);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let (hir_op, ok) = match op {
            ast::UnaryOp::Plus if self.program.types.is_numeric(ty) => return value,
            ast::UnaryOp::Plus => (hir::UnaryOp::Neg, false),
            ast::UnaryOp::Neg => (hir::UnaryOp::Neg, self.program.types.is_numeric(ty)),
            ast::UnaryOp::Not => (hir::UnaryOp::Not, self.program.types.is_boolean(ty)),
            ast::UnaryOp::BitNot => (hir::UnaryOp::BitNot, self.program.types.is_integer(ty)),
            _ => {
                self.unsupported("pointers and channels", span);
                return self.invalid(span);
            }
        };
        if !ok {
            let symbol = match op {
                ast::UnaryOp::Plus => "+",
                ast::UnaryOp::Neg => "-",
                ast::UnaryOp::Not => "!",
                _ => "^",
            };
            self.errors.push(SemaError::InvalidOperation {
                message: format!("operator {symbol} not defined on {}", self.operand(value)),
                span,
            });
            return self.invalid(span);
        }
        if let Some(constant) = self.const_of(value) {
            let folded = match (hir_op, constant) {
                (hir::UnaryOp::Neg, ConstValue::Int(v)) => Some(ConstValue::Int(-v)),
                // Exact constant arithmetic has no negative zero.
                (hir::UnaryOp::Neg, ConstValue::Float(v)) => Some(ConstValue::Float(v.neg())),
                (hir::UnaryOp::Neg, ConstValue::Complex(r, i)) => Some(ConstValue::Complex(r.neg(), i.neg())),
                (hir::UnaryOp::Not, ConstValue::Bool(v)) => Some(ConstValue::Bool(!v)),
                // For unsigned types ^x flips the type's bits only.
                // An untyped integer past i128: ^x is -x-1.
                (hir::UnaryOp::BitNot, ConstValue::Float(v)) if self.program.types.is_untyped(ty) && v.is_integer() => {
                    constants::big_int_of(&ConstValue::Float(v)).and_then(|x| constants::int_const(-x - 1))
                }
                (hir::UnaryOp::BitNot, ConstValue::Int(v)) => match self.program.types.int_info(ty) {
                    Some((bits, false)) if !self.program.types.is_untyped(ty) => Some(ConstValue::Int(v ^ ((1i128 << bits) - 1))),
                    _ => Some(ConstValue::Int(!v)),
                },
                _ => None,
            };
            if let Some(folded) = folded {
                return self.push_expr(hir::ExprKind::Const(folded), ty, span);
            }
        }
        self.push_expr(hir::ExprKind::Unary { op: hir_op, operand: value }, ty, span)
    }

    pub(super) fn check_binary(&mut self, op: ast::BinaryOp, lhs: &ast::Expr, rhs: &ast::Expr, span: Span) -> ExprId {
        let left = self.check_expr(lhs);
        let right = self.check_expr(rhs);
        self.binary_of_operands(op, left, right, OperationText::Source(lhs, rhs), span)
    }

    /// `left op right` of operands already checked: an expression's, or an
    /// assignment operation's (`x op= y`, `x++`), whose left operand is the
    /// read of a place evaluated once.
    pub(super) fn binary_of_operands(&mut self, op: ast::BinaryOp, left: ExprId, right: ExprId, text: OperationText<'_>, span: Span) -> ExprId {
        let (lt, rt) = (self.expr_ty(left), self.expr_ty(right));
        if lt == Types::INVALID || rt == Types::INVALID {
            return self.invalid(span);
        }
        for operand in [left, right] {
            if matches!(self.program.types.kind(self.expr_ty(operand)), TypeKind::Tuple(_)) {
                self.check_value_type(operand);
                return self.invalid(span);
            }
        }
        if matches!(op, ast::BinaryOp::Shl | ast::BinaryOp::Shr) {
            return self.check_shift(op, left, right, span);
        }
        // How Go quotes the operation: `a + b`, `x += 1`, `b--`; printed
        // only for a message (every binary operation printed both operands).
        let e_text = |this: &Self| match &text {
            OperationText::Assignment { text, .. } => text.clone(),
            OperationText::Source(lhs, rhs) => format!("{} {} {}", this.snippet_hint(lhs), op.as_str(), this.snippet_hint(rhs)),
        };
        if let OperationText::Assignment { text, inc_dec: true } = &text
            && !self.program.types.is_numeric(lt)
        {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{text} (non-numeric type {})", self.type_name(lt)),
                span,
            });
            return self.invalid(span);
        }
        let is_comparison_op = matches!(
            op,
            ast::BinaryOp::Eq | ast::BinaryOp::Ne | ast::BinaryOp::Lt | ast::BinaryOp::Le | ast::BinaryOp::Gt | ast::BinaryOp::Ge
        );
        {
            // Two typed operands of different types: Go's "mismatched types"
            // (a comparison with an interface the other implements is fine).
            let types = &self.program.types;
            if !types.is_untyped(lt) && !types.is_untyped(rt) && lt != rt {
                let interface_side = is_comparison_op && (types.is_interface(lt) || types.is_interface(rt));
                let same_underlying_unnamed = types.underlying(lt) == types.underlying(rt) && (!types.is_named(lt) || !types.is_named(rt)) && is_comparison_op;
                // Go's rule for comparisons: either operand assignable to
                // the other's type (a `chan T` compared with a `<-chan T`).
                let assignable = is_comparison_op && (self.assignable_to(lt, rt) || self.assignable_to(rt, lt));
                if !interface_side && !same_underlying_unnamed && !assignable {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("{} (mismatched types {} and {})", e_text(self), self.expr_type_name(left), self.expr_type_name(right)),
                        span,
                    });
                    return self.invalid(span);
                }
            }
            if lt == Types::UNTYPED_NIL && rt == Types::UNTYPED_NIL && is_comparison_op {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("{} (operator {} not defined on untyped nil)", e_text(self), op.as_str()),
                    span,
                });
                return self.invalid(span);
            }
        }
        // Operands must have identical types after untyped conversion.
        let types = &self.program.types;
        let operand_ty = match (types.is_untyped(lt), types.is_untyped(rt)) {
            (false, false) if types.is_interface(rt) && !types.is_interface(lt) => rt,
            (false, false) if lt != rt && !self.assignable_to(rt, lt) && self.assignable_to(lt, rt) => rt,
            (true, true) => {
                // Both untyped: the "larger" kind wins (int < rune < float < complex).
                let rank = |t: TypeId| match t {
                    Types::UNTYPED_INT => 1,
                    Types::UNTYPED_RUNE => 2,
                    Types::UNTYPED_FLOAT => 3,
                    Types::UNTYPED_COMPLEX => 4,
                    _ => 0,
                };
                if rank(lt) > 0 && rank(rt) > 0 {
                    if rank(lt) >= rank(rt) { lt } else { rt }
                } else {
                    lt
                }
            }
            (true, false) => rt,
            (false, _) => lt,
        };
        // An untyped operand of another kind than the typed one is Go's
        // "mismatched types", reported on the whole operation.
        let types = &self.program.types;
        let kind_fits = |from: TypeId, to: TypeId| {
            !types.is_untyped(from)
                || (types.is_numeric(from) && types.is_numeric(to))
                || (types.is_string(from) && types.is_string(to))
                || (types.is_boolean(from) && types.is_boolean(to))
                || (from == Types::UNTYPED_NIL && (types.is_interface(to) || types.is_nilable(to)))
                // An untyped constant compared with an interface is boxed
                // with its default type.
                || (types.is_interface(to) && from != Types::UNTYPED_NIL)
        };
        if !kind_fits(lt, operand_ty) || !kind_fits(rt, operand_ty) {
            // Go 1.19 tries to convert an untyped constant operand to the
            // other operand's type unless their kinds (boolean, string, nil)
            // differ, and then reports the failed conversion (types2
            // matchTypes).
            let (untyped, typed) = if types.is_untyped(lt) { (left, rt) } else { (right, lt) };
            let untyped_ty = self.expr_ty(untyped);
            let may_convert = !types.is_untyped(typed)
                && types.is_boolean(untyped_ty) == types.is_boolean(typed)
                && types.is_string(untyped_ty) == types.is_string(typed)
                && untyped_ty != Types::UNTYPED_NIL;
            if may_convert && self.const_of(untyped).is_some() {
                let message = format!("cannot convert {} to {}", self.operand(untyped), self.type_name(types.underlying(typed)));
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(untyped), label: "not convertible".to_string() });
                return self.invalid(span);
            }
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{} (mismatched types {} and {})", e_text(self), self.expr_type_name(left), self.expr_type_name(right)),
                span,
            });
            return self.invalid(span);
        }
        let left = self.convert(left, operand_ty, "operation");
        let right = self.convert(right, operand_ty, "operation");
        let (lt, rt) = (self.expr_ty(left), self.expr_ty(right));
        if lt == Types::INVALID || rt == Types::INVALID {
            return self.invalid(span);
        }
        let types = &self.program.types;
        let same = lt == rt || (types.is_untyped(lt) && types.is_untyped(rt) && self.compatible_untyped(lt, rt));
        if !same {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{} (mismatched types {} and {})", e_text(self), self.expr_type_name(left), self.expr_type_name(right)),
                span,
            });
            return self.invalid(span);
        }
        let is_comparison = matches!(
            op,
            hir::BinaryOp::Eq | hir::BinaryOp::Ne | hir::BinaryOp::Lt | hir::BinaryOp::Le | hir::BinaryOp::Gt | hir::BinaryOp::Ge
        );
        let types = &self.program.types;
        let allowed = match op {
            hir::BinaryOp::Add => types.is_numeric(lt) || types.is_string(lt),
            hir::BinaryOp::Sub | hir::BinaryOp::Mul | hir::BinaryOp::Div => types.is_numeric(lt),
            hir::BinaryOp::Rem
            | hir::BinaryOp::And
            | hir::BinaryOp::Or
            | hir::BinaryOp::Xor
            | hir::BinaryOp::AndNot
            | hir::BinaryOp::Shl
            | hir::BinaryOp::Shr => types.is_integer(lt),
            hir::BinaryOp::LogAnd | hir::BinaryOp::LogOr => types.is_boolean(lt),
            hir::BinaryOp::Eq | hir::BinaryOp::Ne => match types.under(lt) {
                TypeKind::Tuple(_) => false,
                // Functions, maps and slices compare with nil only.
                TypeKind::Func(_) | TypeKind::Map(..) | TypeKind::Slice(_) => {
                    matches!(self.const_of(left), Some(ConstValue::Nil)) || matches!(self.const_of(right), Some(ConstValue::Nil))
                }
                TypeKind::Struct(_) | TypeKind::Array(..) => {
                    if let Some(cause) = self.incomparable(lt) {
                        self.errors.push(SemaError::InvalidOperation { message: format!("{} ({cause})", e_text(self)), span });
                        return self.invalid(span);
                    }
                    true
                }
                _ => true,
            },
            // Complex numbers are not ordered.
            hir::BinaryOp::Lt | hir::BinaryOp::Le | hir::BinaryOp::Gt | hir::BinaryOp::Ge => {
                types.is_real(lt) || types.is_string(lt)
            }
        };
        if !allowed && is_comparison {
            // Go names the kind of type that cannot be compared or ordered.
            let kind = match types.under(lt) {
                TypeKind::Slice(_) => "slice".to_string(),
                TypeKind::Map(..) => "map".to_string(),
                TypeKind::Func(_) => "func".to_string(),
                TypeKind::Pointer(_) => "pointer".to_string(),
                TypeKind::Struct(_) => "struct".to_string(),
                TypeKind::Array(..) => "array".to_string(),
                _ => self.type_name(lt),
            };
            let cause = if matches!(op, hir::BinaryOp::Eq | hir::BinaryOp::Ne) && matches!(kind.as_str(), "slice" | "map" | "func") {
                format!("{kind} can only be compared to nil")
            } else {
                format!("operator {} not defined on {kind}", op.as_str())
            };
            self.errors.push(SemaError::InvalidOperation { message: format!("{} ({cause})", e_text(self)), span });
            return self.invalid(span);
        }
        if !allowed {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("operator {} not defined on {}", op.as_str(), self.operand(left)),
                span,
            });
            return self.invalid(span);
        }
        if matches!(op, hir::BinaryOp::Div | hir::BinaryOp::Rem) {
            // Go rejects a constant zero divisor of an integer or a
            // constant dividend.
            let zero = matches!(self.const_of(right), Some(ConstValue::Int(0)))
                || matches!(self.const_of(right), Some(ConstValue::Float(f)) if f.is_zero())
                || matches!(self.const_of(right), Some(ConstValue::Complex(r, i)) if r.is_zero() && i.is_zero());
            if zero && (self.program.types.is_integer(lt) || self.const_of(left).is_some()) {
                self.errors.push(SemaError::InvalidOperation { message: "division by zero".to_string(), span });
                return self.invalid(span);
            }
        }
        let result_ty = if is_comparison {
            if self.program.types.is_untyped(lt) { Types::UNTYPED_BOOL } else { Types::BOOL }
        } else {
            lt
        };
        if let (Some(a), Some(b)) = (self.const_of(left), self.const_of(right))
            && let Some(folded) = fold_binary(op, &a, &b, self.program.types.is_integer(lt))
        {
            let id = self.push_expr(hir::ExprKind::Const(folded), result_ty, span);
            return self.check_representable(id);
        }
        self.push_expr(hir::ExprKind::Binary { op, lhs: left, rhs: right }, result_ty, span)
    }

    /// Gives a non-constant untyped expression the type its context wants,
    /// down to the untyped constants inside it: `1 << s` in a `uint32`
    /// operation shifts a `uint32` one (Go spec, shifts).
    pub(super) fn retype_untyped(&mut self, id: ExprId, target: TypeId) -> ExprId {
        let kind = self.program.expr(id).kind.clone();
        let span = self.expr_span(id);
        match kind {
            hir::ExprKind::Binary { op, lhs, rhs } => {
                let is_shift = matches!(op, hir::BinaryOp::Shl | hir::BinaryOp::Shr);
                let is_comparison = matches!(
                    op,
                    hir::BinaryOp::Eq | hir::BinaryOp::Ne | hir::BinaryOp::Lt | hir::BinaryOp::Le | hir::BinaryOp::Gt | hir::BinaryOp::Ge
                );
                if is_shift && !self.program.types.is_integer(target) {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("shifted operand {} (type {}) must be integer", self.snippet_of(lhs), self.type_name(target)),
                        span,
                    });
                    return self.invalid(span);
                }
                if !is_comparison {
                    let new_lhs = self.convert(lhs, target, "shift");
                    let new_rhs = if is_shift { rhs } else { self.convert(rhs, target, "operation") };
                    if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                        expr.kind = hir::ExprKind::Binary { op, lhs: new_lhs, rhs: new_rhs };
                    }
                }
            }
            hir::ExprKind::Unary { op, operand } => {
                let new_operand = self.convert(operand, target, "operation");
                if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                    expr.kind = hir::ExprKind::Unary { op, operand: new_operand };
                }
            }
            _ => {}
        }
        if let Some(expr) = self.program.exprs.get_mut(id.index()) {
            expr.ty = target;
        }
        id
    }

    /// See [Go spec: Operators](https://go.dev/ref/spec#Operators) on shifts:
    /// the count is any integer, the result has the left operand's type.
    fn check_shift(&mut self, op: hir::BinaryOp, left: ExprId, right: ExprId, span: Span) -> ExprId {
        let (lt, rt) = (self.expr_ty(left), self.expr_ty(right));
        // The order of Go's checks (types2 expr.go `shift`): the shifted
        // operand, a negative constant count, a constant count representable
        // as uint, then a non-constant count's type.
        let left_const = self.const_of(left);
        let left_ok = self.program.types.is_integer(lt)
            || match &left_const {
                Some(ConstValue::Int(_)) => self.program.types.is_untyped(lt),
                Some(ConstValue::Float(f)) => self.program.types.is_untyped(lt) && f.is_integer(),
                _ => false,
            };
        if !left_ok {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("shifted operand {} must be integer", self.operand(left)),
                span,
            });
            return self.invalid(span);
        }
        let count_const = self.const_of(right);
        if let Some(ConstValue::Int(v)) = count_const
            && v < 0
        {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("negative shift count {}", self.operand(right)),
                span,
            });
            return self.invalid(span);
        }
        if let Some(ConstValue::Float(f)) = &count_const
            && f.is_integer() && f.signum() < 0
        {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("negative shift count {}", self.operand(right)),
                span,
            });
            return self.invalid(span);
        }
        let count_ok = match &count_const {
            Some(ConstValue::Int(_)) => true,
            Some(ConstValue::Float(f)) => f.is_integer(),
            _ => self.program.types.is_integer(rt),
        };
        if !count_ok {
            if self.program.types.is_untyped(rt) {
                // Go converts an untyped count to uint.
                let message = match count_const {
                    Some(ConstValue::Float(_)) => format!("{} truncated to uint", self.operand(right)),
                    _ => format!("cannot convert {} to uint", self.operand(right)),
                };
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(right), label: "not a shift count".to_string() });
            } else {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("shift count {} must be integer", self.operand(right)),
                    span,
                });
            }
            return self.invalid(span);
        }
        let count_value = match count_const {
            Some(ConstValue::Int(v)) => Some(v),
            Some(ConstValue::Float(f)) => Some(f.to_i128().unwrap_or(i128::MAX)),
            _ => None,
        };
        // Go bounds constant shifts so that the smallest float64 stays
        // expressible.
        if let (Some(count), Some(_)) = (count_value, &left_const)
            && count > 1023 - 1 + 52
        {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid shift count {}", self.operand(right)),
                span,
            });
            return self.invalid(span);
        }
        // A constant shift is exact, however large the result (up to Go's
        // limit for constants); `>>` rounds toward negative infinity.
        let left_integer = left_const.as_ref().filter(|_| self.program.types.is_integer(lt) || self.program.types.is_untyped(lt)).and_then(constants::big_int_of);
        if let (Some(value), Some(count)) = (left_integer, count_value.filter(|c| *c >= 0)) {
            let shifted = if op == hir::BinaryOp::Shl { value << count as usize } else { value >> count as usize };
            let Some(folded) = constants::int_const(shifted) else {
                self.errors.push(SemaError::ConstantOverflow { message: "constant shift overflow".to_string(), span });
                return self.invalid(span);
            };
            let id = self.push_expr(hir::ExprKind::Const(folded), lt, span);
            return self.check_representable(id);
        }
        // A non-constant shift of an untyped constant stays untyped: it takes
        // the type its context gives it (see `retype_untyped`).
        if self.program.types.is_untyped(lt) && left_const.is_some() {
            let representable_int = match &left_const {
                Some(ConstValue::Int(_)) => true,
                Some(ConstValue::Float(f)) => f.to_i128().is_some(),
                _ => false,
            };
            if representable_int {
                let left = match left_const {
                    Some(ConstValue::Float(f)) => {
                        let v = f.to_i128().unwrap_or_default();
                        self.push_expr(hir::ExprKind::Const(ConstValue::Int(v)), Types::UNTYPED_INT, self.expr_span(left))
                    }
                    _ => left,
                };
                let right = self.convert(right, self.program.types.default_type(rt), "shift");
                let ty = if lt == Types::UNTYPED_RUNE { lt } else { Types::UNTYPED_INT };
                return self.push_expr(hir::ExprKind::Binary { op, lhs: left, rhs: right }, ty, span);
            }
        }
        // `1 << m << e`: the outer shift's operand is itself an untyped
        // non-constant shift, and the whole stays untyped the same way.
        if left_const.is_none() && (lt == Types::UNTYPED_INT || lt == Types::UNTYPED_RUNE) {
            let right = self.convert(right, self.program.types.default_type(rt), "shift");
            return self.push_expr(hir::ExprKind::Binary { op, lhs: left, rhs: right }, lt, span);
        }
        let left_ty = self.program.types.default_type(lt);
        if !self.program.types.is_integer(left_ty) {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("shifted operand {} must be integer", self.operand(left)),
                span,
            });
            return self.invalid(span);
        }
        let left = self.convert(left, left_ty, "shift");
        let right = self.convert(right, self.program.types.default_type(rt), "shift");
        self.push_expr(hir::ExprKind::Binary { op, lhs: left, rhs: right }, left_ty, span)
    }

    /// Why values of `ty` cannot be compared with `==`, in Go's words
    /// (types2 predicates.go `comparable`); `None` when they can.
    pub(super) fn incomparable(&self, ty: TypeId) -> Option<String> {
        let types = &self.program.types;
        match types.under(ty) {
            TypeKind::Slice(_) | TypeKind::Map(..) | TypeKind::Func(_) | TypeKind::Tuple(_) => {
                Some(format!("{} cannot be compared", self.type_name(ty)))
            }
            TypeKind::Struct(fields) => fields
                .iter()
                .find(|f| self.incomparable(f.ty).is_some())
                .map(|f| format!("struct containing {} cannot be compared", self.type_name(f.ty))),
            TypeKind::Array(_, elem) => self.incomparable(*elem).map(|_| format!("{} cannot be compared", self.type_name(ty))),
            _ => None,
        }
    }

    fn compatible_untyped(&self, a: TypeId, b: TypeId) -> bool {
        let types = &self.program.types;
        (types.is_numeric(a) && types.is_numeric(b)) || (types.is_string(a) && types.is_string(b)) || (types.is_boolean(a) && types.is_boolean(b))
    }
}
