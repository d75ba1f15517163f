//! The predeclared functions: `len`, `cap`, `append`, `make`, `new`, `copy`,
//! `delete`, `print`/`println`, `panic`/`recover`, `complex`, `real`, `imag`
//! ([Go spec: Built-in functions](https://go.dev/ref/spec#Built-in_functions)).

use super::*;

impl Checker<'_> {
    /// Go's argument count check for a builtin (types2 builtins.go): the
    /// minimum count and whether more are allowed.
    pub(super) fn builtin_arity_ok(&mut self, builtin: Builtin, args: &[ast::Expr], span: Span) -> bool {
        let (min, variadic) = match builtin {
            Builtin::Append | Builtin::Make => (1, true),
            Builtin::Print | Builtin::Println => (0, true),
            Builtin::Len | Builtin::Cap | Builtin::New | Builtin::Panic | Builtin::Close | Builtin::Real | Builtin::Imag => (1, false),
            Builtin::Copy | Builtin::Delete => (2, false),
            // `complex(f())` spreads two results: counted after checking.
            Builtin::Complex => (1, true),
            Builtin::Recover => (0, false),
            Builtin::Sizeof | Builtin::Offsetof | Builtin::Alignof => (1, false),
            Builtin::Add | Builtin::Slice => (2, false),
        };
        // `copy(f())` and `delete(f())` take every result of f: counted
        // after checking, like `complex`.
        if matches!(builtin, Builtin::Copy | Builtin::Delete) && matches!(args, [ast::Expr { kind: ast::ExprKind::Call { .. }, .. }]) {
            return true;
        }
        self.arity_ok(min, variadic, args.len(), span)
    }

    /// Whether `found` arguments suit a builtin taking `min` (or more, if
    /// `variadic`); if not, Go's diagnostic.
    fn arity_ok(&mut self, min: usize, variadic: bool, found: usize, span: Span) -> bool {
        let message = if found < min {
            "not enough"
        } else if !variadic && found > min {
            "too many"
        } else {
            return true;
        };
        let call = self.span_text(span);
        self.errors.push(SemaError::InvalidOperation {
            message: format!("{message} arguments for {call} (expected {min}, found {found})"),
            span,
        });
        false
    }

    pub(super) fn check_builtin(&mut self, builtin: Builtin, name: &str, args: &[ast::Expr], span: Span) -> ExprId {
        if !self.builtin_arity_ok(builtin, args, span) {
            if !matches!(builtin, Builtin::Make | Builtin::New) {
                for arg in args {
                    self.check_expr(arg);
                }
            }
            return self.invalid(span);
        }
        match builtin {
            Builtin::Append => return self.check_append(args, false, span),
            Builtin::Make => return self.check_make(args, span),
            Builtin::New => return self.check_new(args, span),
            Builtin::Copy => return self.check_copy(args, span),
            Builtin::Delete => return self.check_delete(args, span),
            Builtin::Close => return self.check_close(args, span),
            Builtin::Sizeof | Builtin::Offsetof | Builtin::Alignof | Builtin::Add | Builtin::Slice => {
                return self.check_unsafe_call(builtin, name, args, span);
            }
            Builtin::Recover => {
                if !args.is_empty() {
                    self.errors.push(SemaError::ArgumentCount { message: "too many", callee: "in call to recover".to_string(), span, have: args.len(), want: "0".to_string() });
                    return self.invalid(span);
                }
                return self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Recover, args: Vec::new() }, Types::ANY, span);
            }
            _ => {}
        }
        let checked: Vec<ExprId> = args.iter().map(|a| self.check_expr(a)).collect();
        // `print(f())` and `complex(f())` take every result of f.
        let checked = if matches!(builtin, Builtin::Print | Builtin::Println | Builtin::Complex) { self.expand_multi_value(checked) } else { checked };
        for arg in &checked {
            self.check_value_type(*arg);
        }
        let arity_error = |checker: &mut Self, want: &str| {
            checker.errors.push(SemaError::ArgumentCount {
                message: if checked.is_empty() { "not enough" } else { "too many" },
                callee: format!("in call to {name}"),
                span,
                have: checked.len(),
                want: want.to_string(),
            });
            checker.invalid(span)
        };
        match builtin {
            Builtin::Len | Builtin::Cap => {
                let [arg] = checked.as_slice() else { return arity_error(self, "1") };
                let ty = self.expr_ty(*arg);
                if ty == Types::INVALID {
                    return self.invalid(span);
                }
                if let Some(result) = self.check_len_cap(builtin == Builtin::Cap, *arg, span) {
                    return result;
                }
                if builtin == Builtin::Cap {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid argument: {} for cap", self.operand(*arg)),
                        span,
                    });
                    return self.invalid(span);
                }
                if let Some(ConstValue::String(s)) = self.const_of(*arg) {
                    return self.push_expr(hir::ExprKind::Const(ConstValue::Int(s.len() as i128)), Types::INT, span);
                }
                if !self.program.types.is_string(ty) {
                    self.errors.push(SemaError::InvalidOperation {
                        message: format!("invalid argument: {} for len", self.operand(*arg)),
                        span,
                    });
                    return self.invalid(span);
                }
                // A defined string type (`type Name string`) is a string
                // already; only an untyped operand needs its default type.
                let arg = if self.program.types.is_untyped(ty) { self.convert(*arg, Types::STRING, "argument to len") } else { *arg };
                self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::StringLen, args: vec![arg] }, Types::INT, span)
            }
            Builtin::Print | Builtin::Println => {
                let args = checked.into_iter().map(|a| self.convert_in(a, Types::ANY, ConvertContext::ArgumentTo(name))).collect();
                let which = if builtin == Builtin::Print { Intrinsic::Print } else { Intrinsic::Println };
                self.push_expr(hir::ExprKind::Intrinsic { which, args }, Types::VOID, span)
            }
            Builtin::Panic => {
                let [arg] = checked.as_slice() else { return arity_error(self, "1") };
                let arg = self.convert(*arg, Types::ANY, "argument to panic");
                self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Panic, args: vec![arg] }, Types::VOID, span)
            }
            Builtin::Complex => {
                let [re, im] = checked.as_slice() else { return arity_error(self, "2") };
                self.check_complex(*re, *im, span)
            }
            Builtin::Real | Builtin::Imag => {
                let [arg] = checked.as_slice() else { return arity_error(self, "1") };
                self.check_real_imag(builtin == Builtin::Imag, *arg, span)
            }
            Builtin::Append
            | Builtin::Make
            | Builtin::New
            | Builtin::Copy
            | Builtin::Delete
            | Builtin::Recover
            | Builtin::Close
            | Builtin::Sizeof
            | Builtin::Offsetof
            | Builtin::Alignof
            | Builtin::Add
            | Builtin::Slice => self.invalid(span),
        }
    }

    /// `complex(re, im)` (types2 builtins.go `_Complex`): untyped constant
    /// arguments become untyped floats, an untyped one takes the other's
    /// type, and both must then be the same floating-point type. float32
    /// gives complex64, float64 complex128, untyped floats an untyped
    /// complex constant.
    fn check_complex(&mut self, re: ExprId, im: ExprId, span: Span) -> ExprId {
        let (mut re, mut im) = (re, im);
        if self.expr_ty(re) == Types::INVALID || self.expr_ty(im) == Types::INVALID {
            return self.invalid(span);
        }
        let to_float = |this: &mut Self, id: ExprId| -> ExprId {
            let ty = this.expr_ty(id);
            match this.const_of(id) {
                Some(ConstValue::Int(v)) if this.program.types.is_untyped(ty) => {
                    this.push_expr(hir::ExprKind::Const(ConstValue::Float(Exact::from_i128(v))), Types::UNTYPED_FLOAT, this.expr_span(id))
                }
                Some(ConstValue::Complex(r, i)) if this.program.types.is_untyped(ty) && i.is_zero() => {
                    this.push_expr(hir::ExprKind::Const(ConstValue::Float(r)), Types::UNTYPED_FLOAT, this.expr_span(id))
                }
                _ => id,
            }
        };
        re = to_float(self, re);
        im = to_float(self, im);
        let (rt, it) = (self.expr_ty(re), self.expr_ty(im));
        let types = &self.program.types;
        match (types.is_untyped(rt), types.is_untyped(it)) {
            // An implicit conversion in Go's words (`1i overflows float64`).
            (true, false) => re = self.convert(re, it, "operation"),
            (false, true) => im = self.convert(im, rt, "operation"),
            _ => {}
        }
        let (rt, it) = (self.expr_ty(re), self.expr_ty(im));
        if rt == Types::INVALID || it == Types::INVALID {
            return self.invalid(span);
        }
        let types = &self.program.types;
        if rt != it {
            let message = format!("{} (mismatched types {} and {})", self.span_text(span), self.type_name(rt), self.type_name(it));
            self.errors.push(SemaError::InvalidOperation { message, span: self.expr_span(re) });
            return self.invalid(span);
        }
        let result = match types.under(rt) {
            TypeKind::Float32 => Types::COMPLEX64,
            TypeKind::Float64 => Types::COMPLEX128,
            TypeKind::UntypedFloat => Types::UNTYPED_COMPLEX,
            _ => {
                let message = format!("invalid argument: arguments have type {}, expected floating-point", self.type_name(rt));
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(re), label: "not a float".to_string() });
                return self.invalid(span);
            }
        };
        if let (Some(ConstValue::Float(r)), Some(ConstValue::Float(i))) = (self.const_of(re), self.const_of(im)) {
            let id = self.push_expr(hir::ExprKind::Const(ConstValue::Complex(r, i)), result, span);
            return self.check_representable(id);
        }
        self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Complex, args: vec![re, im] }, result, span)
    }

    /// `real(c)` / `imag(c)`: an untyped constant argument is an untyped
    /// complex one and gives an untyped float constant; complex64 gives
    /// float32, complex128 float64.
    fn check_real_imag(&mut self, imag: bool, arg: ExprId, span: Span) -> ExprId {
        let ty = self.expr_ty(arg);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let types = &self.program.types;
        let result = match types.under(ty) {
            _ if types.is_untyped(ty) && types.is_numeric(ty) => Types::UNTYPED_FLOAT,
            TypeKind::Complex64 => Types::FLOAT32,
            TypeKind::Complex128 => Types::FLOAT64,
            _ => {
                let message = format!("invalid argument: argument has type {}, expected complex type", self.type_name(ty));
                self.errors.push(SemaError::TypeMismatch { message, span: self.expr_span(arg), label: "not complex".to_string() });
                return self.invalid(span);
            }
        };
        if let Some((r, i)) = self.const_of(arg).as_ref().and_then(complex_parts) {
            let part = if imag { i } else { r };
            return self.push_expr(hir::ExprKind::Const(ConstValue::Float(part)), result, span);
        }
        let which = if imag { Intrinsic::Imag } else { Intrinsic::Real };
        self.push_expr(hir::ExprKind::Intrinsic { which, args: vec![arg] }, result, span)
    }

    fn check_len_cap(&mut self, is_cap: bool, arg: ExprId, span: Span) -> Option<ExprId> {
        let ty = self.expr_ty(arg);
        // `len(f())` of an array or a pointer to one is constant only without
        // calls or receives; otherwise the operand is evaluated (Go spec:
        // Length and capacity), here as the length of a slice of it.
        let array_elem = match self.program.types.under(ty).clone() {
            TypeKind::Array(_, elem) => Some(elem),
            TypeKind::Pointer(inner) => match self.program.types.under(inner) {
                TypeKind::Array(_, elem) => Some(*elem),
                _ => None,
            },
            _ => None,
        };
        if let Some(elem) = array_elem
            && self.has_call_or_receive(arg)
        {
            let base = if self.program.types.is_aggregate(ty) {
                let pointer = self.program.types.intern(TypeKind::Pointer(ty));
                self.push_expr(hir::ExprKind::AggregateAddr(arg), pointer, span)
            } else {
                arg
            };
            let slice_ty = self.program.types.intern(TypeKind::Slice(elem));
            let slice = self.push_expr(hir::ExprKind::SliceOf { base, lo: None, hi: None, max: None }, slice_ty, span);
            let which = if is_cap { Intrinsic::SliceCap } else { Intrinsic::SliceLen };
            return Some(self.push_expr(hir::ExprKind::Intrinsic { which, args: vec![slice] }, Types::INT, span));
        }
        match self.program.types.under(ty).clone() {
            TypeKind::Slice(_) => {
                let which = if is_cap { Intrinsic::SliceCap } else { Intrinsic::SliceLen };
                Some(self.push_expr(hir::ExprKind::Intrinsic { which, args: vec![arg] }, Types::INT, span))
            }
            TypeKind::Array(len, _) => Some(self.push_expr(hir::ExprKind::Const(ConstValue::Int(len as i128)), Types::INT, span)),
            TypeKind::Chan(..) => {
                let which = if is_cap { Intrinsic::ChanCap } else { Intrinsic::ChanLen };
                Some(self.push_expr(hir::ExprKind::Intrinsic { which, args: vec![arg] }, Types::INT, span))
            }
            TypeKind::Map(..) if !is_cap => {
                Some(self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::MapLen, args: vec![arg] }, Types::INT, span))
            }
            TypeKind::Pointer(inner) => match self.program.types.under(inner) {
                TypeKind::Array(len, _) => {
                    let len = *len;
                    Some(self.push_expr(hir::ExprKind::Const(ConstValue::Int(len as i128)), Types::INT, span))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether evaluating `expr` calls a function or receives from a channel.
    fn has_call_or_receive(&self, expr: ExprId) -> bool {
        let kind = &self.program.expr(expr).kind;
        if matches!(
            kind,
            hir::ExprKind::Call { .. }
                | hir::ExprKind::CallValue { .. }
                | hir::ExprKind::InterfaceCall { .. }
                | hir::ExprKind::StdCall { .. }
                | hir::ExprKind::Intrinsic { .. }
                | hir::ExprKind::Recv { .. }
        ) {
            return true;
        }
        let mut found = false;
        kind.for_each_operand(|e| found = found || self.has_call_or_receive(e));
        found
    }

    pub(super) fn check_append(&mut self, args: &[ast::Expr], spread: bool, span: Span) -> ExprId {
        let Some((first, rest)) = args.split_first() else {
            self.errors.push(SemaError::ArgumentCount { message: "not enough", callee: "in call to append".to_string(), span, have: 0, want: "1 or more".to_string() });
            return self.invalid(span);
        };
        let slice = self.check_expr(first);
        // `append(f())` with several results of f: the slice, then the
        // values (Go spec: Calls, "as a special case").
        let mut spread_values = Vec::new();
        let slice = match self.program.types.kind(self.expr_ty(slice)) {
            TypeKind::Tuple(elems) if rest.is_empty() && !spread && elems.len() > 1 => {
                let mut expanded = self.expand_multi_value(vec![slice]);
                spread_values = expanded.split_off(1);
                expanded[0]
            }
            _ => slice,
        };
        let ty = self.expr_ty(slice);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let slice = if ty == Types::UNTYPED_NIL {
            self.errors.push(SemaError::InvalidOperation { message: "first argument to append must be a typed slice; have untyped nil".to_string(), span });
            return self.invalid(span);
        } else {
            slice
        };
        let TypeKind::Slice(elem) = self.program.types.under(ty).clone() else {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("invalid argument: {} is not a slice", self.operand(slice)),
                span,
            });
            return self.invalid(span);
        };
        if spread {
            let [other] = rest else {
                self.errors.push(SemaError::ArgumentCount { message: "too many", callee: "in call to append".to_string(), span, have: args.len(), want: "2".to_string() });
                return self.invalid(span);
            };
            let other = self.check_expr(other);
            let other_ty = self.expr_ty(other);
            let other = if self.program.types.is_string(other_ty) && elem == Types::UINT8 {
                self.convert(other, Types::STRING, "append")
            } else {
                self.convert(other, ty, "append")
            };
            return self.push_expr(hir::ExprKind::Append { slice, values: vec![other], spread: true }, ty, span);
        }
        let checked: Vec<ExprId> = rest.iter().map(|v| self.check_expr(v)).collect();
        let values = spread_values
            .into_iter()
            .chain(checked)
            .map(|v| {
                self.check_value_type(v);
                self.convert(v, elem, "argument to append")
            })
            .collect();
        self.push_expr(hir::ExprKind::Append { slice, values, spread: false }, ty, span)
    }

    fn check_make(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let Some((ty_arg, sizes)) = args.split_first() else {
            self.errors.push(SemaError::ArgumentCount { message: "not enough", callee: "in call to make".to_string(), span, have: 0, want: "1".to_string() });
            return self.invalid(span);
        };
        let ty = self.type_of_expr(ty_arg);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let sizes: Vec<ExprId> = sizes
            .iter()
            .map(|s| {
                let v = self.check_expr(s);
                self.check_index_value(v, None, s.span)
            })
            .collect();
        // Go's counts: a slice takes a length and maybe a capacity, a map or
        // channel maybe a size (types2 builtins.go).
        let min = match self.program.types.under(ty) {
            TypeKind::Slice(_) => Some(2),
            TypeKind::Map(..) => Some(1),
            TypeKind::Pointer(_) | TypeKind::Array(..) | TypeKind::Struct(_) | TypeKind::Func(_) | TypeKind::Interface(_) | TypeKind::Any | TypeKind::Error | TypeKind::Tuple(_) => None,
            _ if self.program.types.is_numeric(ty) || self.program.types.is_string(ty) || self.program.types.is_boolean(ty) => None,
            // Channels: their own checks below.
            _ => Some(1),
        };
        let Some(min) = min else {
            self.errors.push(SemaError::TypeMismatch {
                message: format!("invalid argument: cannot make {}; type must be slice, map, or channel", self.span_text(ty_arg.span)),
                span: ty_arg.span,
                label: "not a slice, map or channel type".to_string(),
            });
            return self.invalid(span);
        };
        if args.len() < min || args.len() > min + 1 {
            self.errors.push(SemaError::InvalidOperation {
                message: format!("{} expects {min} or {} arguments; found {}", self.span_text(span), min + 1, args.len()),
                span,
            });
            return self.invalid(span);
        }
        match self.program.types.under(ty).clone() {
            TypeKind::Slice(_) => {
                let Some(&len) = sizes.first() else {
                    return self.invalid(span);
                };
                if let (Some(ConstValue::Int(l)), Some(ConstValue::Int(c))) = (self.const_of(len), sizes.get(1).and_then(|c| self.const_of(*c)))
                    && l > c
                {
                    self.errors.push(SemaError::InvalidOperation { message: "invalid argument: length and capacity swapped".to_string(), span });
                }
                self.push_expr(hir::ExprKind::MakeSlice { len, cap: sizes.get(1).copied() }, ty, span)
            }
            TypeKind::Map(..) => self.push_expr(hir::ExprKind::MakeMap { hint: sizes.first().copied() }, ty, span),
            TypeKind::Chan(..) => self.make_chan(&sizes, span, ty),
            _ => {
                self.unsupported(&format!("make of {}", self.type_name(ty)), span);
                self.invalid(span)
            }
        }
    }

    /// The two arguments of `copy` or `delete`, checked: two expressions,
    /// or one call with two results.
    fn two_builtin_args(&mut self, args: &[ast::Expr], span: Span) -> Option<[ExprId; 2]> {
        let checked: Vec<ExprId> = args.iter().map(|a| self.check_expr(a)).collect();
        let checked = self.expand_multi_value(checked);
        if checked.iter().any(|&arg| self.expr_ty(arg) == Types::INVALID) {
            return None;
        }
        match checked.as_slice() {
            &[first, second] => Some([first, second]),
            _ => {
                self.arity_ok(2, false, checked.len(), span);
                None
            }
        }
    }

    fn check_delete(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let Some([map, key]) = self.two_builtin_args(args, span) else { return self.invalid(span) };
        let ty = self.expr_ty(map);
        let TypeKind::Map(key_ty, _) = self.program.types.under(ty).clone() else {
            if ty != Types::INVALID {
                self.errors.push(SemaError::InvalidOperation {
                    message: format!("invalid argument: {} is not a map", self.operand(map)),
                    span,
                });
            }
            return self.invalid(span);
        };
        let key = self.convert(key, key_ty, "argument to delete");
        self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::MapDelete, args: vec![map, key] }, Types::VOID, span)
    }

    fn check_new(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let [ty_arg] = args else {
            self.errors.push(SemaError::ArgumentCount { message: if args.is_empty() { "not enough" } else { "too many" }, callee: "in call to new".to_string(), span, have: args.len(), want: "1".to_string() });
            return self.invalid(span);
        };
        let ty = self.type_of_expr(ty_arg);
        if ty == Types::INVALID {
            return self.invalid(span);
        }
        let pointer = self.program.types.intern(TypeKind::Pointer(ty));
        self.push_expr(hir::ExprKind::Alloc(ty), pointer, span)
    }

    fn check_copy(&mut self, args: &[ast::Expr], span: Span) -> ExprId {
        let Some([dst, src]) = self.two_builtin_args(args, span) else { return self.invalid(span) };
        let dst_ty = self.expr_ty(dst);
        let TypeKind::Slice(elem) = self.program.types.under(dst_ty).clone() else {
            if dst_ty != Types::INVALID {
                self.errors.push(SemaError::InvalidOperation { message: "copy expects slice arguments".to_string(), span });
            }
            return self.invalid(span);
        };
        let src_ty = self.expr_ty(src);
        let src = if elem == Types::UINT8 && self.program.types.is_string(src_ty) {
            // A defined string type is copied as it is.
            if self.program.types.is_untyped(src_ty) { self.convert(src, Types::STRING, "copy") } else { src }
        } else {
            // Only the element types must be identical (`[]T` and a named
            // slice of `T` copy into each other).
            let src_ty = self.expr_ty(src);
            match self.program.types.under(src_ty).clone() {
                TypeKind::Slice(src_elem) if src_elem == elem => src,
                TypeKind::Slice(src_elem) => {
                    let message = format!(
                        "invalid argument: arguments to copy {} and {} have different element types {} and {}",
                        self.operand(dst),
                        self.operand(src),
                        self.type_name(elem),
                        self.type_name(src_elem)
                    );
                    self.errors.push(SemaError::TypeMismatch { message, span, label: "element types differ".to_string() });
                    return self.invalid(span);
                }
                _ => self.convert(src, dst_ty, "argument to copy"),
            }
        };
        self.push_expr(hir::ExprKind::Intrinsic { which: Intrinsic::Copy, args: vec![dst, src] }, Types::INT, span)
    }

    /// An expression in type position (`make([]int, n)`, `new(T)`).
    fn type_of_expr(&mut self, expr: &ast::Expr) -> TypeId {
        // `G[int]`: an instantiated generic type.
        if let ast::ExprKind::Index { .. } = &expr.kind
            && let Some(ty) = super::expr_as_type(expr)
        {
            return self.resolve_type(&ty);
        }
        // `pkg.T`, as in `new(sync.WaitGroup)`.
        if let ast::ExprKind::Selector { base, sel } = &expr.kind
            && let ast::ExprKind::Ident(pkg) = &base.kind
            && matches!(self.lookup(&pkg.name), Some(Binding::Package(_)))
        {
            let ty = ast::TypeExpr {
                kind: ast::TypeExprKind::Name { pkg: Some(pkg.clone()), name: sel.clone(), type_args: Vec::new() },
                span: expr.span,
            };
            return self.resolve_type(&ty);
        }
        match &expr.kind {
            ast::ExprKind::Type(ty) => self.resolve_type(ty),
            ast::ExprKind::Paren(inner) => self.type_of_expr(inner),
            ast::ExprKind::Ident(ident) => {
                let ty = ast::TypeExpr {
                    kind: ast::TypeExprKind::Name { pkg: None, name: ident.clone(), type_args: Vec::new() },
                    span: expr.span,
                };
                self.resolve_type(&ty)
            }
            // `new(list.List)`: a type of an imported package.
            ast::ExprKind::Selector { base, sel } if matches!(&base.kind, ast::ExprKind::Ident(pkg) if matches!(self.lookup(&pkg.name), Some(Binding::Package(_)))) => {
                let ast::ExprKind::Ident(pkg) = &base.kind else { return Types::INVALID };
                let ty = ast::TypeExpr {
                    kind: ast::TypeExprKind::Name { pkg: Some(pkg.clone()), name: sel.clone(), type_args: Vec::new() },
                    span: expr.span,
                };
                self.resolve_type(&ty)
            }
            ast::ExprKind::Unary { op: ast::UnaryOp::Deref, operand } => {
                let inner = self.type_of_expr(operand);
                if inner == Types::INVALID { inner } else { self.program.types.intern(TypeKind::Pointer(inner)) }
            }
            _ => {
                self.errors.push(SemaError::Misplaced { message: format!("{} is not a type", self.snippet_hint(expr)), span: expr.span });
                Types::INVALID
            }
        }
    }
}
