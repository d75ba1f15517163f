//! Index and slice expressions over arrays, slices, strings, pointers to
//! arrays and maps, with constant indices checked against known lengths
//! ([Go spec: Index expressions](https://go.dev/ref/spec#Index_expressions),
//! [Slice expressions](https://go.dev/ref/spec#Slice_expressions)).

use super::*;

impl Checker<'_> {
    /// See [Go spec: Index expressions](https://go.dev/ref/spec#Index_expressions).
    pub(super) fn check_index(&mut self, base: &ast::Expr, index: &ast::Expr, span: Span) -> ExprId {
        let base = self.check_expr(base);
        let index = self.check_expr(index);
        let (base_ty, index_ty) = (self.expr_ty(base), self.expr_ty(index));
        if base_ty == Types::INVALID || index_ty == Types::INVALID {
            return self.invalid(span);
        }
        if !self.program.types.is_string(base_ty) {
            return self.check_element(base, index, span);
        }
        if !self.program.types.is_integer(index_ty) && self.const_of(index).is_none() {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid argument: index {} must be integer", self.operand(index)),
                span,
            });
            return self.invalid(span);
        }
        if let (Some(ConstValue::String(s)), Some(ConstValue::Int(i))) = (self.const_of(base), self.const_of(index)) {
            match usize::try_from(i).ok().and_then(|i| s.get(i)) {
                Some(byte) => return self.push_expr(hir::ExprKind::Const(ConstValue::Int(*byte as i128)), Types::UINT8, span),
                None => {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid argument: index {i} out of bounds [0:{}]", s.len()),
                        span,
                    });
                    return self.invalid(span);
                }
            }
        }
        if let Some(ConstValue::Int(i)) = self.const_of(index)
            && i < 0
        {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid argument: index {} (constant of type int) must not be negative", i),
                span,
            });
            return self.invalid(span);
        }
        let base = self.convert(base, Types::STRING, "index");
        let index_target = if self.program.types.is_untyped(index_ty) { Types::INT } else { index_ty };
        let index = self.convert(index, index_target, "index");
        self.push_expr(hir::ExprKind::StringIndex { base, index }, Types::UINT8, span)
    }

    /// `a[i]` of an array, a pointer to an array or a slice.
    pub(super) fn check_element(&mut self, base: ExprId, index: ExprId, span: Span) -> ExprId {
        let base_ty = self.expr_ty(base);
        let (container, elem, len) = match self.program.types.under(base_ty).clone() {
            TypeKind::Slice(elem) => (base, elem, None),
            TypeKind::Array(len, elem) => {
                let pointer = self.program.types.intern(TypeKind::Pointer(base_ty));
                (self.push_expr(hir::ExprKind::AggregateAddr(base), pointer, span), elem, Some(len))
            }
            TypeKind::Pointer(inner) => match self.program.types.under(inner).clone() {
                TypeKind::Array(len, elem) => (base, elem, Some(len)),
                _ => return self.not_indexable(base, span),
            },
            TypeKind::Map(key_ty, value_ty) => {
                self.check_value_type(index);
                let key = self.convert(index, key_ty, "map index");
                return self.push_expr(hir::ExprKind::MapIndex { map: base, key, comma_ok: false }, value_ty, span);
            }
            _ => return self.not_indexable(base, span),
        };
        let index = self.check_index_value(index, len, span);
        let pointer = self.program.types.intern(TypeKind::Pointer(elem));
        let addr = self.push_expr(hir::ExprKind::IndexAddr { base: container, index }, pointer, span);
        self.push_expr(hir::ExprKind::Load(addr), elem, span)
    }

    fn not_indexable(&mut self, base: ExprId, span: Span) -> ExprId {
        self.errors.push(SemaError::InvalidOperation {
            message: format!("cannot index {}", self.operand(base)),
            span,
        });
        self.invalid(span)
    }

    /// An index: an integer, non-negative if constant, within `len` if both
    /// are known.
    pub(super) fn check_index_value(&mut self, index: ExprId, len: Option<u64>, span: Span) -> ExprId {
        let ty = self.expr_ty(index);
        if ty == Types::INVALID {
            return index;
        }
        // An untyped constant index is given type int first (types2
        // isValidIndex), in Go's words for implicit conversions.
        if self.program.types.is_untyped(ty) && !self.program.types.is_integer(ty) && self.const_of(index).is_some() {
            // A complex constant with a zero imaginary part is its real part.
            let real = match self.const_of(index) {
                Some(ConstValue::Float(f)) => Some(f),
                Some(ConstValue::Complex(r, i)) if i.is_zero() => Some(r),
                _ => None,
            };
            if let Some(f) = real
                && let Some(v) = f.to_i128()
            {
                let converted = self.push_expr(hir::ExprKind::Const(ConstValue::Int(v)), Types::INT, span);
                return self.check_index_value(converted, len, span);
            }
            let converted = self.convert(index, Types::INT, "index");
            if self.expr_ty(converted) == Types::INVALID {
                return converted;
            }
        }
        if !self.program.types.is_integer(ty) {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid argument: index {} must be integer", self.operand(index)),
                span,
            });
            return index;
        }
        if let Some(ConstValue::Int(i)) = self.const_of(index) {
            if i < 0 {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("invalid argument: index {i} (constant of type int) must not be negative"),
                    span,
                });
            } else if let Some(len) = len
                && i as u128 >= len as u128
            {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("invalid argument: index {i} out of bounds [0:{len}]"),
                    span,
                });
            }
        }
        if self.program.types.is_untyped(ty) { self.convert(index, Types::INT, "index") } else { index }
    }

    /// `a[lo:hi:max]`. See [Go spec: Slice expressions](https://go.dev/ref/spec#Slice_expressions).
    pub(super) fn check_slice_expr(
        &mut self,
        base: &ast::Expr,
        lo: Option<&ast::Expr>,
        hi: Option<&ast::Expr>,
        max: Option<&ast::Expr>,
        span: Span,
    ) -> ExprId {
        let base_value = self.check_expr(base);
        let base_ty = self.expr_ty(base_value);
        if base_ty == Types::INVALID {
            return self.invalid(span);
        }
        let (base_value, result_ty, len) = match self.program.types.under(base_ty).clone() {
            TypeKind::String | TypeKind::UntypedString => {
                if max.is_some() {
                    self.errors.push(SemaError::InvalidOperation { message: "3-index slice of string".to_string(), span });
                    return self.invalid(span);
                }
                let ty = if self.program.types.is_untyped(base_ty) { Types::STRING } else { base_ty };
                (self.convert(base_value, ty, "slice"), ty, None)
            }
            TypeKind::Slice(_) => (base_value, base_ty, None),
            TypeKind::Array(len, elem) => {
                let Some(addr) = self.check_addr(base) else {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid operation: {} (slice of unaddressable value)", self.snippet_hint(base)),
                        span,
                    });
                    return self.invalid(span);
                };
                (addr, self.program.types.intern(TypeKind::Slice(elem)), Some(len))
            }
            TypeKind::Pointer(inner) => match self.program.types.under(inner).clone() {
                TypeKind::Array(len, elem) => (base_value, self.program.types.intern(TypeKind::Slice(elem)), Some(len)),
                _ => return self.not_sliceable(base_value, span),
            },
            _ => return self.not_sliceable(base_value, span),
        };
        let cap = len.map(|l| l + 1);
        let bound = |checker: &mut Self, e: Option<&ast::Expr>| {
            e.map(|e| {
                let v = checker.check_expr(e);
                checker.check_index_value(v, cap, e.span)
            })
        };
        let lo = bound(self, lo);
        let hi = bound(self, hi);
        let max = bound(self, max);
        let constant = |checker: &Self, e: Option<ExprId>| match e.and_then(|e| checker.const_of(e)) {
            Some(ConstValue::Int(i)) => Some(i),
            _ => None,
        };
        if let (Some(l), Some(h)) = (constant(self, lo), constant(self, hi))
            && l > h
        {
            self.errors.push(SemaError::InvalidOperation { message: format!("invalid slice indices: {h} < {l}"), span });
        }
        self.push_expr(hir::ExprKind::SliceOf { base: base_value, lo, hi, max }, result_ty, span)
    }

    fn not_sliceable(&mut self, base: ExprId, span: Span) -> ExprId {
        self.errors.push(SemaError::InvalidOperation {
            message: format!("cannot slice {}", self.operand(base)),
            span,
        });
        self.invalid(span)
    }
}
