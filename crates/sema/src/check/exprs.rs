//! Expressions: the dispatch over expression kinds and literals; each
//! kind's own rules live in the module of its concern.

use super::*;

impl Checker<'_> {
    pub(super) fn check_expr(&mut self, expr: &ast::Expr) -> ExprId {
        let span = expr.span;
        match &expr.kind {
            ast::ExprKind::Ident(ident) => self.check_ident(ident),
            ast::ExprKind::IntLit(text) => match constants::parse_big_int_literal(text) {
                Some(value) => self.push_expr(hir::ExprKind::Const(value), Types::UNTYPED_INT, span),
                None => {
                    self.errors.push(SemaError::ConstantOverflow {
                        message: format!("integer constant {text} is too large for g2n's constant arithmetic"),
                        span,
                    });
                    self.invalid(span)
                }
            },
            ast::ExprKind::FloatLit(text) => match crate::exact::Exact::parse(text) {
                Some(value) => self.push_expr(hir::ExprKind::Const(ConstValue::Float(value)), Types::UNTYPED_FLOAT, span),
                None => {
                    self.unsupported("this floating-point literal", span);
                    self.invalid(span)
                }
            },
            ast::ExprKind::ImagLit(text) => {
                // The digits before `i` are decimal even with a leading 0
                // (`0_1_2i` is 12i), unless prefixed 0x/0o/0b.
                let body = &text[..text.len() - 1];
                let lower = body.to_ascii_lowercase();
                let value = if lower.starts_with("0o") || lower.starts_with("0b") {
                    parse_int_literal(body).map(Exact::from_i128)
                } else {
                    Exact::parse(body)
                };
                match value {
                    Some(value) => self.push_expr(hir::ExprKind::Const(ConstValue::Complex(Exact::from_i128(0), value)), Types::UNTYPED_COMPLEX, span),
                    None => {
                        self.unsupported("this imaginary literal", span);
                        self.invalid(span)
                    }
                }
            }
            ast::ExprKind::StringLit(value) => {
                self.push_expr(hir::ExprKind::Const(ConstValue::String(value.clone())), Types::UNTYPED_STRING, span)
            }
            ast::ExprKind::RuneLit(text) => match decode_rune(text) {
                Some(value) => self.push_expr(hir::ExprKind::Const(ConstValue::Int(value as i128)), Types::UNTYPED_RUNE, span),
                None => {
                    self.unsupported("this rune literal", span);
                    self.invalid(span)
                }
            },
            ast::ExprKind::Paren(inner) => self.check_expr(inner),
            ast::ExprKind::Call { func, args, ellipsis } => self.check_call(func, args, *ellipsis, span),
            ast::ExprKind::Selector { base, sel } => {
                if let Some(package) = self.package_of(base) {
                    let name = format!("{}.{}", self.snippet_hint(base), sel.name);
                    match self.package_member(&package, &sel.name) {
                        Some(binding) => self.value_of_binding(binding, &name, span),
                        None => {
                            self.errors.push(SemaError::Undefined { name, span: sel.span });
                            self.invalid(span)
                        }
                    }
                } else if let Some(recv_ty) = self.expr_names_type(base) {
                    self.method_expression(recv_ty, sel, span)
                } else {
                    self.check_selector(base, sel, span)
                }
            }
            ast::ExprKind::Index { base, indices } if self.generic_func_named(base).is_some() => {
                let index = self.generic_func_named(base).unwrap_or_default();
                self.generic_func_value(index, indices, span)
            }
            ast::ExprKind::Index { base, indices } if indices.len() == 1 => self.check_index(base, &indices[0], span),
            ast::ExprKind::Slice { base, lo, hi, max } => {
                self.check_slice_expr(base, lo.as_deref(), hi.as_deref(), max.as_deref(), span)
            }
            ast::ExprKind::CompositeLit { ty, elems } => self.check_composite_lit(ty.as_deref(), elems, None, span),
            ast::ExprKind::TypeAssert { base, ty } => self.check_type_assert(base, ty, false, span),
            ast::ExprKind::FuncLit { sig, body } => self.check_func_lit(sig, body, span),
            ast::ExprKind::Unary { op: ast::UnaryOp::Addr, operand } => {
                if let ast::ExprKind::CompositeLit { ty, elems } = &operand.kind {
                    let value = self.check_composite_lit(ty.as_deref(), elems, None, operand.span);
                    let ty = self.expr_ty(value);
                    if ty == Types::INVALID {
                        return self.invalid(span);
                    }
                    return self.composite_addr(value, ty, span);
                }
                let errors = self.errors.len();
                match self.check_addr(operand) {
                    Some(addr) => {
                        // `&x` is quoted as itself in diagnostics (`cannot use
                        // &x (value of type *int) ...`), not as `x`.
                        if let Some(expr) = self.program.exprs.get_mut(addr.index())
                            && matches!(expr.kind, hir::ExprKind::AddrOfLocal(_))
                        {
                            expr.span = span;
                        }
                        addr
                    }
                    None => {
                        if self.errors.len() == errors {
                            let value = self.check_expr(operand);
                            let message = format!("cannot take address of {}", self.operand(value));
                            self.errors.push(SemaError::InvalidOperation { message, span });
                        }
                        self.invalid(span)
                    }
                }
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } => {
                let pointer = self.check_expr(operand);
                let ty = self.expr_ty(pointer);
                match self.program.types.under(ty).clone() {
                    TypeKind::Pointer(elem) => self.push_expr(hir::ExprKind::Load(pointer), elem, span),
                    TypeKind::Invalid => self.invalid(span),
                    _ => {
                        self.errors.push(SemaError::InvalidOperation {
                            message: format!("cannot indirect {}", self.operand(pointer)),
                            span,
                        });
                        self.invalid(span)
                    }
                }
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Recv, operand } => self.check_recv(operand, false, span),
            ast::ExprKind::Unary { op, operand } => self.check_unary(*op, operand, span),
            ast::ExprKind::Binary { op, lhs, rhs } => self.check_binary(*op, lhs, rhs, span),
            _ => {
                self.unsupported("this expression", span);
                self.invalid(span)
            }
        }
    }

    pub(super) fn invalid(&mut self, span: Span) -> ExprId {
        self.push_expr(hir::ExprKind::Const(ConstValue::Nil), Types::INVALID, span)
    }
}
