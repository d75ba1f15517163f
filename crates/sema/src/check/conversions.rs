//! Conversions: explicit `T(x)`, and the implicit conversion of a value to
//! the type its context needs, with the representability of constants
//! ([Go spec: Conversions](https://go.dev/ref/spec#Conversions),
//! [Representability](https://go.dev/ref/spec#Representability)).

use super::*;
use std::borrow::Cow;

/// What a value is converted for, as Go's messages name it (`in
/// assignment`, `in argument to f`). Only a failed conversion spells it:
/// a call's `argument to F` quotes the call's function as written, found by
/// searching the package's syntax, which every argument of every call
/// would otherwise pay for.
#[derive(Clone, Copy)]
pub(super) enum ConvertContext<'s> {
    /// The context's words (`assignment`, `return statement`, ...).
    Text(&'s str),
    /// `argument to NAME`.
    ArgumentTo(&'s str),
    /// `argument to F`, with F the function expression of the call at
    /// `call` as written (`Checker::callee_text`), or `fallback`.
    ArgumentOfCall { call: Span, fallback: &'s str },
}

impl<'s> From<&'s str> for ConvertContext<'s> {
    fn from(text: &'s str) -> Self {
        ConvertContext::Text(text)
    }
}

impl<'s> From<&'s String> for ConvertContext<'s> {
    fn from(text: &'s String) -> Self {
        ConvertContext::Text(text)
    }
}

impl ConvertContext<'_> {
    /// Whether Go checks the context as an assignment (`cannot use X as T
    /// value in CONTEXT`) rather than as an implicit conversion of an
    /// untyped operand (`cannot convert X to T`, `X truncated to T`).
    fn is_assignment(self) -> bool {
        match self {
            ConvertContext::Text(text) => !matches!(text, "operation" | "index" | "shift" | "switch case" | "slice"),
            ConvertContext::ArgumentTo(_) | ConvertContext::ArgumentOfCall { .. } => true,
        }
    }

    /// Whether predeclared types count as named, as in Go's own
    /// assignments (`var f float64 = celsius` is an error); g2n's internal
    /// conversions stay lenient.
    fn is_strict(self) -> bool {
        match self {
            ConvertContext::Text(text) => {
                matches!(text, "variable declaration" | "assignment" | "return statement" | "struct literal" | "map literal" | "array or slice literal")
                    || text.starts_with("argument to ")
            }
            ConvertContext::ArgumentTo(_) | ConvertContext::ArgumentOfCall { .. } => true,
        }
    }
}

impl Checker<'_> {
    /// The words of `context` in a message.
    pub(super) fn context_text<'s>(&self, context: ConvertContext<'s>) -> Cow<'s, str> {
        match context {
            ConvertContext::Text(text) => Cow::Borrowed(text),
            ConvertContext::ArgumentTo(name) => Cow::Owned(format!("argument to {name}")),
            ConvertContext::ArgumentOfCall { call, fallback } => Cow::Owned(format!("argument to {}", self.callee_text(call, fallback))),
        }
    }

    /// Whether a value of type `from` may be assigned to `to` (interfaces are
    /// checked for their methods when the value is converted).
    pub(super) fn assignable_to(&self, from: TypeId, to: TypeId) -> bool {
        let types = &self.program.types;
        from == to
            || types.is_interface(to)
            || self.chan_assignable(from, to)
            || (types.underlying(from) == types.underlying(to) && (!types.is_named(from) || !types.is_named(to)))
    }

    /// `T(x)`. See [Go spec: Conversions](https://go.dev/ref/spec#Conversions).
    pub(super) fn check_conversion(&mut self, target: TypeId, args: &[ast::Expr], span: Span) -> ExprId {
        let [arg] = args else {
            self.errors.push(SemaError::ArgumentCount {
                message: if args.is_empty() { "not enough" } else { "too many" },
                callee: format!("in conversion to {}", self.type_name(target)),
                span,
                have: args.len(),
                want: "1".to_string(),
            });
            return self.invalid(span);
        };
        let value = self.check_expr(arg);
        let from = self.expr_ty(value);
        if from == Types::INVALID || target == Types::INVALID {
            return self.invalid(span);
        }
        let types = &self.program.types;
        // Constants convert exactly or not at all.
        if let Some(constant) = self.const_of(value) {
            // A complex constant converts to a real type when its imaginary
            // part is zero; a real one to a complex type with a zero one.
            let constant = match constant {
                ConstValue::Complex(r, i) if i.is_zero() && types.is_real(target) => ConstValue::Float(r),
                constant => constant,
            };
            let converted = match (&constant, types.is_integer(target), types.is_float(target), types.is_string(target)) {
                (c, ..) if types.is_complex(target) => complex_parts(c).map(|(r, i)| ConstValue::Complex(r, i)),
                (ConstValue::Int(v), true, _, _) => Some(ConstValue::Int(*v)),
                (ConstValue::Float(f), true, _, _) if f.is_integer() => f.to_i128().map(ConstValue::Int),
                (ConstValue::Int(v), _, true, _) => Some(ConstValue::Float(Exact::from_i128(*v))),
                // Rounded to the target type below.
                (ConstValue::Float(f), _, true, _) => Some(ConstValue::Float(f.clone())),
                (ConstValue::Int(v), _, _, true) if types.is_integer(from) => {
                    let c = u32::try_from(*v).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
                    Some(ConstValue::String(c.to_string().into_bytes()))
                }
                (ConstValue::String(s), _, _, true) => Some(ConstValue::String(s.clone())),
                (ConstValue::Bool(b), _, _, _) if types.is_boolean(target) => Some(ConstValue::Bool(*b)),
                _ => None,
            };
            match converted {
                Some(converted) => {
                    if let (ConstValue::Int(v), Some((bits, signed))) = (&converted, types.int_info(target)) {
                        let fits = if signed {
                            let min = -(1i128 << (bits - 1));
                            *v >= min && *v < -min
                        } else {
                            *v >= 0 && *v < (1i128 << bits)
                        };
                        if !fits {
                            let message = format!(
                                "cannot convert {} to type {}",
                                self.operand(value),
                                self.type_name(target)
                            );
                            self.errors.push(SemaError::ConstantOverflow { message, span });
                            return self.invalid(span);
                        }
                    }
                    // Complex parts are rounded (and checked) here; codegen
                    // rounds real floating-point constants itself.
                    if let ConstValue::Complex(r, i) = &converted {
                        let round = if matches!(types.under(target), TypeKind::Complex64) { Exact::to_f32 } else { Exact::to_f64 };
                        if !round(r).is_finite() || !round(i).is_finite() {
                            let message = format!("cannot convert {} to type {}", self.operand(value), self.type_name(target));
                            self.errors.push(SemaError::TypeMismatch { message, span, label: "overflows".to_string() });
                            return self.invalid(span);
                        }
                        let id = self.push_expr(hir::ExprKind::Const(converted), target, span);
                        return self.check_representable(id);
                    }
                    // A float constant converted to a float type holds the
                    // value of that type (`float64(float32(0.01))` is the
                    // float32 nearest 0.01): Go rounds at the conversion.
                    let rounding = match types.under(target) {
                        TypeKind::Float32 => Some(Exact::to_f32 as fn(&Exact) -> f64),
                        TypeKind::Float64 => Some(Exact::to_f64 as fn(&Exact) -> f64),
                        _ => None,
                    };
                    if let (ConstValue::Float(f), Some(round)) = (&converted, rounding) {
                        let rounded = round(f);
                        if !rounded.is_finite() {
                            let message = format!("cannot convert {} to type {}", self.operand(value), self.type_name(target));
                            self.errors.push(SemaError::TypeMismatch { message, span, label: "overflows".to_string() });
                            return self.invalid(span);
                        }
                        if let Some(exact) = Exact::from_f64(rounded) {
                            return self.push_expr(hir::ExprKind::Const(ConstValue::Float(exact)), target, span);
                        }
                    }
                    return self.push_expr(hir::ExprKind::Const(converted), target, span);
                }
                None if !types.is_untyped(from) => {}
                // string -> []byte/[]rune and anything -> interface are
                // conversions of the default-typed value.
                None if types.is_interface(target)
                    || matches!(constant, ConstValue::Nil)
                    || (matches!(constant, ConstValue::String(_)) && matches!(types.under(target), TypeKind::Slice(_))) => {}
                None => {
                    let message = format!("cannot convert {} to type {}", self.operand(value), self.type_name(target));
                    self.errors.push(SemaError::TypeMismatch { message, span, label: "not convertible".to_string() });
                    return self.invalid(span);
                }
            }
        }
        let value = self.convert_default(value);
        let from = self.expr_ty(value);
        let types = &self.program.types;
        let same_pointer_base = match (types.under(from), types.under(target)) {
            (TypeKind::Pointer(a), TypeKind::Pointer(b)) => types.identical_ignoring_tags(types.underlying(*a), types.underlying(*b)),
            _ => false,
        };
        if from != Types::UNTYPED_NIL
            && (types.identical_ignoring_tags(types.underlying(from), types.underlying(target))
                || same_pointer_base
                || self.chan_assignable(from, target))
            && !types.is_numeric(from)
        {
            let id = self.push_expr(hir::ExprKind::Convert(value), target, span);
            return id;
        }
        if from == Types::UNTYPED_NIL && types.is_nilable(target) {
            return self.push_expr(hir::ExprKind::Const(ConstValue::Nil), target, span);
        }
        let byte_or_rune_slice = |t: TypeId| match types.under(t) {
            TypeKind::Slice(elem) => matches!(types.under(*elem), TypeKind::Uint8 | TypeKind::Int32),
            _ => false,
        };
        // A slice converts to a pointer to an array of its element type
        // (Go 1.17), checked for length when it runs.
        let slice_to_array_pointer = match (types.under(from), types.under(target)) {
            (TypeKind::Slice(elem), TypeKind::Pointer(pointee)) => matches!(types.under(*pointee), TypeKind::Array(_, array_elem) if array_elem == elem),
            _ => false,
        };
        // Package unsafe: any pointer type and uintptr convert to and from
        // unsafe.Pointer (not to each other directly).
        let is_pointer = |t: TypeId| matches!(types.under(t), TypeKind::Pointer(_));
        let is_unsafe_pointer = |t: TypeId| matches!(types.under(t), TypeKind::UnsafePointer);
        let is_uintptr = |t: TypeId| matches!(types.under(t), TypeKind::Uintptr);
        let unsafe_pointer_conversion = (is_unsafe_pointer(from) && (is_pointer(target) || is_uintptr(target)))
            || (is_unsafe_pointer(target) && (is_pointer(from) || is_uintptr(from)));
        let allowed = from == target
            || unsafe_pointer_conversion
            || slice_to_array_pointer
            || (types.is_string(from) && byte_or_rune_slice(target))
            || (byte_or_rune_slice(from) && types.is_string(target))
            || (types.is_real(from) && types.is_real(target))
            || (types.is_complex(from) && types.is_complex(target))
            || (types.is_integer(from) && types.is_string(target))
            || (types.is_string(from) && types.is_string(target))
            || (types.is_boolean(from) && types.is_boolean(target))
            || types.is_interface(target);
        if !allowed {
            let message = format!(
                "cannot convert {} to type {}", self.operand(value),
                self.type_name(target)
            );
            self.errors.push(SemaError::TypeMismatch { message, span, label: "not convertible".to_string() });
            return self.invalid(span);
        }
        if from == target {
            return value;
        }
        if self.program.types.is_interface(target) {
            return self.convert(value, target, "conversion");
        }
        self.push_expr(hir::ExprKind::Convert(value), target, span)
    }

    /// Gives an untyped value its default type.
    fn convert_default(&mut self, value: ExprId) -> ExprId {
        let ty = self.expr_ty(value);
        let default = self.program.types.default_type(ty);
        if default == ty { value } else { self.convert(value, default, "conversion") }
    }

    /// A typed constant must fit its type; reports and invalidates otherwise.
    /// Go words a typed constant operation that overflows `X overflows T`.
    pub(super) fn check_representable(&mut self, id: ExprId) -> ExprId {
        self.representable_as(id, None)
    }

    /// Reports an untyped constant `origin` that does not fit `target`:
    /// `kind` is "overflows" or "truncated".
    fn unrepresentable(&mut self, origin: ExprId, target: TypeId, context: ConvertContext, kind: &str) {
        let span = self.expr_span(origin);
        let name = self.type_name(target);
        let message = if context.is_assignment() {
            format!("cannot use {} as {name} value in {} ({kind})", self.operand(origin), self.context_text(context))
        } else if kind == "truncated" {
            format!("{} truncated to {name}", self.operand(origin))
        } else {
            format!("{} overflows {name}", self.operand(origin))
        };
        self.errors.push(SemaError::ConstantOverflow { message, span });
    }

    /// `check_representable` of the conversion of the untyped `origin` in `context`.
    fn representable_as(&mut self, id: ExprId, origin: Option<(ExprId, ConvertContext)>) -> ExprId {
        let ty = self.expr_ty(id);
        // The value once (a float's is a long rational: cloned per look,
        // it cost as much as the checks).
        let Some(value) = self.const_of(id) else { return id };
        if let (ConstValue::Int(v), Some((bits, signed))) = (&value, self.program.types.int_info(ty)) {
            let v = *v;
            let fits = if signed {
                let min = -(1i128 << (bits - 1));
                v >= min && v < -min
            } else {
                v >= 0 && v < (1i128 << bits)
            };
            if !fits {
                let span = self.expr_span(id);
                match origin {
                    // An untyped float or complex origin is "truncated", as in
                    // types2's `representation`, even when it is integral.
                    Some((origin, context)) => {
                        let origin_ty = self.expr_ty(origin);
                        let kind = if matches!(origin_ty, Types::UNTYPED_FLOAT | Types::UNTYPED_COMPLEX) { "truncated" } else { "overflows" };
                        self.unrepresentable(origin, ty, context, kind)
                    }
                    None => {
                        let message = format!("{} overflows {}", self.operand(id), self.type_name(ty));
                        self.errors.push(SemaError::ConstantOverflow { message, span });
                    }
                }
                return self.invalid(span);
            }
        }
        if let (ConstValue::Float(f), Some((origin, context))) = (&value, origin) {
            // Rounded to its type, a value beyond the type's range is infinite.
            let rounded = if self.program.types.underlying(ty) == Types::FLOAT32 { f.to_f32() } else { f.to_f64() };
            if !rounded.is_finite() && !self.program.types.is_untyped(ty) {
                let span = self.expr_span(id);
                self.unrepresentable(origin, ty, context, "overflows");
                return self.invalid(span);
            }
        }
        // A typed complex constant holds its parts rounded to the component
        // type; a part beyond its range overflows.
        if let ConstValue::Complex(r, i) = &value {
            let round = match self.program.types.under(ty) {
                TypeKind::Complex64 => Some(Exact::to_f32 as fn(&Exact) -> f64),
                TypeKind::Complex128 => Some(Exact::to_f64 as fn(&Exact) -> f64),
                _ => None,
            };
            if let Some(round) = round {
                let (rr, ri) = (round(r), round(i));
                if !rr.is_finite() || !ri.is_finite() {
                    let span = self.expr_span(id);
                    match origin {
                        Some((origin, context)) => self.unrepresentable(origin, ty, context, "overflows"),
                        None => {
                            let message = format!("constant {} overflows {}", const_string(&value), self.type_name(ty));
                            self.errors.push(SemaError::ConstantOverflow { message, span });
                        }
                    }
                    return self.invalid(span);
                }
                if let (Some(er), Some(ei)) = (Exact::from_f64(rr), Exact::from_f64(ri))
                    && let Some(expr) = self.program.exprs.get_mut(id.index())
                {
                    expr.kind = hir::ExprKind::Const(ConstValue::Complex(er, ei));
                }
            }
        }
        // A typed floating-point constant holds the value of its type: Go
        // rounds once, when the exact value gets the type.
        if let ConstValue::Float(f) = &value {
            let float_type = match self.program.types.under(ty) {
                TypeKind::Float32 => Some(f.to_f32()),
                TypeKind::Float64 => Some(f.to_f64()),
                _ => None,
            };
            if let Some(rounded) = float_type {
                if !rounded.is_finite() {
                    let span = self.expr_span(id);
                    let message = format!("constant {} overflows {}", const_string(&value), self.type_name(ty));
                    self.errors.push(SemaError::ConstantOverflow { message, span });
                    return self.invalid(span);
                }
                if let Some(exact) = Exact::from_f64(rounded)
                    && exact != *f
                    && let Some(expr) = self.program.exprs.get_mut(id.index())
                {
                    expr.kind = hir::ExprKind::Const(ConstValue::Float(exact));
                }
            }
        }
        id
    }

    /// Converts `id` to `target` where Go's assignability allows it
    /// ([Go spec: Assignability](https://go.dev/ref/spec#Assignability)),
    /// reporting otherwise.
    /// Whether an expression of type bool is, by Go's rules, an untyped
    /// boolean value: a comparison, or `!`, `&&`, `||` of such values (or
    /// of untyped constants). g2n types a comparison of typed operands as
    /// bool; this lets it be assigned to a defined boolean type, as Go
    /// allows (`*b = s == "true"` with `type boolValue bool`).
    fn yields_untyped_boolean(&self, id: ExprId) -> bool {
        use hir::BinaryOp as B;
        let expr = self.program.expr(id);
        if expr.ty == Types::UNTYPED_BOOL {
            return true;
        }
        match &expr.kind {
            hir::ExprKind::Binary { op: B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge, .. } => true,
            hir::ExprKind::Binary { op: B::LogAnd | B::LogOr, lhs, rhs } => self.yields_untyped_boolean(*lhs) && self.yields_untyped_boolean(*rhs),
            hir::ExprKind::Unary { op: hir::UnaryOp::Not, operand } => self.yields_untyped_boolean(*operand),
            _ => false,
        }
    }

    pub(super) fn convert<'s>(&mut self, id: ExprId, target: TypeId, context: impl Into<ConvertContext<'s>>) -> ExprId {
        self.convert_in(id, target, context.into())
    }

    /// [`Checker::convert`], not generic: one copy of the code.
    pub(super) fn convert_in(&mut self, id: ExprId, target: TypeId, context: ConvertContext) -> ExprId {
        let ty = self.expr_ty(id);
        if ty == target || ty == Types::INVALID || target == Types::INVALID {
            return id;
        }
        let span = self.expr_span(id);
        let types = &self.program.types;
        if types.is_interface(target)
            && let Some(converted) = self.convert_to_interface(id, target, context)
        {
            return converted;
        }
        let types = &self.program.types;
        if ty == Types::UNTYPED_NIL && types.is_nilable(target) {
            return self.push_expr(hir::ExprKind::Const(ConstValue::Nil), target, span);
        }
        // Between untyped numeric kinds (int -> rune -> float), as constant
        // expressions mixing them need.
        if types.is_untyped(ty) && types.is_untyped(target) && types.is_numeric(ty) && types.is_numeric(target) {
            let value = match (self.const_of(id), target) {
                (Some(ConstValue::Int(v)), Types::UNTYPED_FLOAT) => Some(ConstValue::Float(Exact::from_i128(v))),
                (Some(value), Types::UNTYPED_COMPLEX) => complex_parts(&value).map(|(r, i)| ConstValue::Complex(r, i)),
                (Some(value), _) => Some(value),
                (None, _) => None,
            };
            return match value {
                Some(value) => self.push_expr(hir::ExprKind::Const(value), target, span),
                None => {
                    if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                        expr.ty = target;
                    }
                    id
                }
            };
        }
        if self.chan_assignable(ty, target) {
            if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                expr.ty = target;
            }
            return id;
        }
        let types = &self.program.types;
        // Identical underlying types, at most one of them defined: assignable
        // as is, and represented alike.
        // In Go's own assignments, predeclared types are named too
        // (ConvertContext::is_strict).
        let strict = context.is_strict();
        let defined = |t: TypeId| {
            types.is_named(t) || (strict && types.underlying(t) == t && (types.is_numeric(t) || types.is_string(t) || types.is_boolean(t)))
        };
        let untyped_boolean = ty == Types::BOOL && types.underlying(target) == Types::BOOL && self.yields_untyped_boolean(id);
        let types = &self.program.types;
        if !types.is_untyped(ty) && types.underlying(ty) == types.underlying(target) && (untyped_boolean || !defined(ty) || !defined(target)) {
            if let Some(expr) = self.program.exprs.get_mut(id.index()) {
                expr.ty = target;
            }
            return id;
        }
        if types.is_untyped(ty) {
            if let Some(value) = self.const_of(id) {
                let target_int = types.int_info(target).is_some();
                let target_float = matches!(types.under(target), TypeKind::Float64 | TypeKind::Float32);
                let target_complex = matches!(types.under(target), TypeKind::Complex64 | TypeKind::Complex128);
                // A complex constant with a zero imaginary part is a real one.
                let value = match value {
                    ConstValue::Complex(r, i) if i.is_zero() && (target_int || target_float) => ConstValue::Float(r),
                    // types2 calls a non-integer constant that cannot be an
                    // integer truncated, and one that cannot be a float too big.
                    ConstValue::Complex(..) if target_int || target_float => {
                        self.unrepresentable(id, target, context, if target_int { "truncated" } else { "overflows" });
                        return self.invalid(span);
                    }
                    value => value,
                };
                let converted = match value {
                    ref v if target_complex => complex_parts(v).map(|(r, i)| ConstValue::Complex(r, i)),
                    ConstValue::Int(v) if target_int => Some(ConstValue::Int(v)),
                    ConstValue::Float(f) if target_int && f.to_i128().is_some() => f.to_i128().map(ConstValue::Int),
                    ConstValue::Int(v) if target_float => Some(ConstValue::Float(Exact::from_i128(v))),
                    ConstValue::Float(f) if target_float => Some(ConstValue::Float(f)),
                    ConstValue::String(s) if matches!(types.under(target), TypeKind::String) => Some(ConstValue::String(s)),
                    ConstValue::Bool(b) if matches!(types.under(target), TypeKind::Bool) => Some(ConstValue::Bool(b)),
                    _ => None,
                };
                if let Some(converted) = converted {
                    let new_id = self.push_expr(hir::ExprKind::Const(converted), target, span);
                    return self.representable_as(new_id, Some((id, context)));
                }
                // types2 calls any untyped float or complex constant that
                // is no value of an integer type truncated; an untyped
                // integer past i128 (held as an exact float) overflows.
                if target_int && matches!(self.const_of(id), Some(ConstValue::Float(_) | ConstValue::Complex(..))) {
                    let kind = if types.is_integer(ty) { "overflows" } else { "truncated" };
                    self.unrepresentable(id, target, context, kind);
                    return self.invalid(span);
                }
            } else {
                // A non-constant untyped value (a comparison, or a shift of an
                // untyped constant) takes the target type.
                let compatible = (types.is_boolean(ty) && types.is_boolean(target))
                    || (types.is_numeric(ty) && types.is_numeric(target));
                if compatible {
                    return self.retype_untyped(id, target);
                }
            }
        }
        // Go 1.19's compiler words a failed assignment of a typed value as
        // `as type T`, and an untyped constant or nil that cannot take the
        // type as `as T value`.
        let message = if types.is_untyped(ty) && !context.is_assignment() {
            // An implicit conversion names the target's underlying type.
            format!("cannot convert {} to {}", self.operand(id), self.type_name(types.underlying(target)))
        } else if types.is_untyped(ty) {
            format!("cannot use {} as {} value in {}", self.operand(id), self.type_name(target), self.context_text(context))
        } else if types.is_interface(ty) && !types.is_interface(target) && self.missing_method(target, ty).is_none() {
            // The value could hold one: Go says what is missing.
            format!("cannot use {} as type {} in {}:\n\tneed type assertion", self.operand(id), self.type_name(target), self.context_text(context))
        } else {
            format!("cannot use {} as type {} in {}", self.operand(id), self.type_name(target), self.context_text(context))
        };
        self.errors.push(SemaError::TypeMismatch {
            message,
            span,
            label: format!("expected {}", self.type_name(target)),
        });
        self.invalid(span)
    }
}
