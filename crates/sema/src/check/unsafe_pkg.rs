//! Package `unsafe` ([Package unsafe](https://pkg.go.dev/unsafe)): the type
//! `Pointer` and the functions `Sizeof`, `Offsetof`, `Alignof`, `Add` and
//! `Slice`, checked as types2 checks them (builtins.go), with its messages.
//! There are no files: the checker makes the package scope itself.
//!
//! Sizes, alignments and offsets are those of g2n's layout
//! ([`crate::types::Types::layout`]), which is Go's for amd64 except that an
//! interface value is three words (Go's is two): docs/language.md.

use super::*;

/// The import path of the package.
pub(super) const UNSAFE: &str = "unsafe";

impl Checker<'_> {
    /// The package scope of `unsafe`.
    pub(super) fn unsafe_package() -> CheckedPackage {
        let mut names = rustc_hash::FxHashMap::default();
        let predeclared = Span::default();
        names.insert("Pointer".to_string(), (Binding::Type(Types::UNSAFE_POINTER), predeclared));
        for (name, builtin) in [
            ("Sizeof", Builtin::Sizeof),
            ("Offsetof", Builtin::Offsetof),
            ("Alignof", Builtin::Alignof),
            ("Add", Builtin::Add),
            ("Slice", Builtin::Slice),
        ] {
            names.insert(name.to_string(), (Binding::Builtin(builtin), predeclared));
        }
        CheckedPackage { scope: Scope { names }, imports: Vec::new() }
    }

    /// `unsafe.Sizeof(x)`, `unsafe.Alignof(x)`, `unsafe.Offsetof(x.f)`,
    /// `unsafe.Add(ptr, len)` and `unsafe.Slice(ptr, len)`, with the
    /// argument count already checked.
    pub(super) fn check_unsafe_call(&mut self, builtin: Builtin, name: &str, args: &[ast::Expr], span: Span) -> ExprId {
        match (builtin, args) {
            (Builtin::Sizeof | Builtin::Alignof, [arg]) => {
                let value = self.check_expr(arg);
                self.check_value_type(value);
                let value = self.unsafe_operand_typed(value, name);
                let ty = self.expr_ty(value);
                if ty == Types::INVALID {
                    return self.invalid(span);
                }
                let layout = self.program.types.layout(ty);
                let n = if builtin == Builtin::Sizeof { layout.size } else { layout.align };
                self.push_expr(hir::ExprKind::Const(ConstValue::Int(n as i128)), Types::UINTPTR, span)
            }
            (Builtin::Offsetof, [arg]) => self.check_offsetof(arg, span),
            (Builtin::Add, [ptr, len]) => {
                let ptr = self.check_expr(ptr);
                let ptr = self.convert_in(ptr, Types::UNSAFE_POINTER, ConvertContext::ArgumentTo(name));
                let len = self.check_expr(len);
                let Some(len) = self.unsafe_length(len, true) else { return self.invalid(span) };
                if self.expr_ty(ptr) == Types::INVALID {
                    return self.invalid(span);
                }
                // uintptr(ptr) + uintptr(len), back to a pointer: one word
                // each, and the collector scans conservatively, so the
                // address in between keeps its object alive (docs/language.md).
                let address = self.push_expr(hir::ExprKind::Convert(ptr), Types::UINTPTR, span);
                let offset = self.push_expr(hir::ExprKind::Convert(len), Types::UINTPTR, span);
                let sum = self.push_expr(hir::ExprKind::Binary { op: hir::BinaryOp::Add, lhs: address, rhs: offset }, Types::UINTPTR, span);
                self.push_expr(hir::ExprKind::Convert(sum), Types::UNSAFE_POINTER, span)
            }
            (Builtin::Slice, [ptr, len]) => {
                let ptr = self.check_expr(ptr);
                let ptr_ty = self.expr_ty(ptr);
                if ptr_ty == Types::INVALID {
                    return self.invalid(span);
                }
                let TypeKind::Pointer(elem) = self.program.types.under(ptr_ty).clone() else {
                    let message = format!("invalid argument: {} is not a pointer", self.operand(ptr));
                    self.errors.push(SemaError::InvalidOperation { message, span: self.expr_span(ptr) });
                    return self.invalid(span);
                };
                let len = self.check_expr(len);
                let Some(len) = self.unsafe_length(len, false) else { return self.invalid(span) };
                let len = self.push_expr(hir::ExprKind::Convert(len), Types::INT, span);
                let slice = self.program.types.intern(TypeKind::Slice(elem));
                self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::UnsafeSlice, args: vec![ptr, len] }, slice, span)
            }
            _ => self.invalid(span),
        }
    }

    /// The operand of Sizeof or Alignof with its default type: an untyped
    /// constant is measured as the type it would get (`Sizeof(1)` is 8).
    fn unsafe_operand_typed(&mut self, value: ExprId, name: &str) -> ExprId {
        let ty = self.expr_ty(value);
        if ty == Types::UNTYPED_NIL {
            self.errors.push(SemaError::InvalidOperation { message: format!("use of untyped nil in argument to {name}"), span: self.expr_span(value) });
            return self.invalid(self.expr_span(value));
        }
        let default = self.program.types.default_type(ty);
        if default == ty { value } else { self.convert_in(value, default, ConvertContext::ArgumentTo(name)) }
    }

    /// The length operand of Add or Slice (types2 `isValidIndex`): an
    /// integer, an untyped constant representable as an int, and for Slice
    /// not a negative constant. Returned as a typed integer.
    fn unsafe_length(&mut self, len: ExprId, allow_negative: bool) -> Option<ExprId> {
        let ty = self.expr_ty(len);
        if ty == Types::INVALID {
            return None;
        }
        let len = if self.program.types.is_untyped(ty) && self.program.types.is_numeric(ty) {
            // A constant such as 2.0 is an integer; 2.5 is not.
            let converted = self.convert(len, Types::INT, "length");
            if self.expr_ty(converted) == Types::INVALID {
                return None;
            }
            converted
        } else {
            len
        };
        if !self.program.types.is_integer(self.expr_ty(len)) {
            let message = format!("invalid argument: length {} must be integer", self.operand(len));
            self.errors.push(SemaError::InvalidOperation { message, span: self.expr_span(len) });
            return None;
        }
        if !allow_negative && let Some(ConstValue::Int(v)) = self.const_of(len) && v < 0 {
            let message = format!("invalid argument: length {} must not be negative", self.operand(len));
            self.errors.push(SemaError::InvalidOperation { message, span: self.expr_span(len) });
            return None;
        }
        Some(len)
    }

    /// `unsafe.Offsetof(x.f)`: the offset of field `f` in the struct `x`
    /// denotes, through embedded fields but not through a pointer one.
    fn check_offsetof(&mut self, arg: &ast::Expr, span: Span) -> ExprId {
        let mut selector = arg;
        while let ast::ExprKind::Paren(inner) = &selector.kind {
            selector = inner;
        }
        let ast::ExprKind::Selector { base, sel } = &selector.kind else {
            self.check_expr(arg);
            let message = format!("invalid argument: {} is not a selector expression", self.span_text(arg.span));
            self.errors.push(SemaError::InvalidOperation { message, span: arg.span });
            return self.invalid(span);
        };
        let value = self.check_expr(base);
        let ty = self.expr_ty(value);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let path = if self.hidden_member(ty, &sel.name) { None } else { self.field_path(ty, &sel.name) };
        let Some(path) = path else {
            // A method value, or nothing: checked as the selector it is.
            let selected = self.check_selector(base, sel, selector.span);
            if self.expr_ty(selected) != Types::INVALID {
                let message = format!("invalid argument: {} is a method value", self.span_text(selector.span));
                self.errors.push(SemaError::InvalidOperation { message, span: arg.span });
            }
            return self.invalid(span);
        };
        let types = &self.program.types;
        let base_struct = match types.under(ty) {
            TypeKind::Pointer(elem) => *elem,
            _ => ty,
        };
        let mut current = base_struct;
        let mut offset = 0u64;
        for (step, &index) in path.iter().enumerate() {
            if step > 0 && matches!(types.under(current), TypeKind::Pointer(_)) {
                let message =
                    format!("invalid argument: field {} is embedded via a pointer in {}", sel.name, self.type_name(base_struct));
                self.errors.push(SemaError::InvalidOperation { message, span: arg.span });
                return self.invalid(span);
            }
            let TypeKind::Struct(fields) = types.under(current) else { return self.invalid(span) };
            let Some(field) = fields.get(index) else { return self.invalid(span) };
            let field_ty = field.ty;
            offset += types.field_offsets(current).get(index).copied().unwrap_or(0);
            current = field_ty;
        }
        self.push_expr(hir::ExprKind::Const(ConstValue::Int(offset as i128)), Types::UINTPTR, span)
    }
}
