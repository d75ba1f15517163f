//! How diagnostics spell types, expressions and counts, as Go's do (aliases
//! as written, operands quoted from the source).

use super::*;

impl Checker<'_> {
    pub(super) fn type_name(&self, ty: TypeId) -> String {
        match &self.target_spelling {
            Some((target, spelling)) if *target == ty => spelling.clone(),
            _ => self.program.types.display(ty),
        }
    }

    /// How a type written with Go's alias names (`byte`, `rune`,
    /// `interface{}`) is spelled, when that differs from how g2n names the
    /// type (`uint8`, `int32`, `any`): Go's messages keep the spelling.
    pub(super) fn alias_spelling(&self, written: &ast::TypeExpr, resolved: TypeId) -> Option<String> {
        let spelled = g2n_syntax::print::type_string(written);
        let uses_alias = ["byte", "rune", "interface{"].iter().any(|alias| spelled.contains(alias));
        (uses_alias && spelled != self.program.types.display(resolved)).then_some(spelled)
    }

    /// The type of an expression as Go's messages name it: a variable
    /// declared with an alias keeps the alias.
    pub(super) fn expr_type_name(&self, id: ExprId) -> String {
        self.local_spelling(id).unwrap_or_else(|| self.type_name(self.expr_ty(id)))
    }

    pub(super) fn local_spelling(&self, id: ExprId) -> Option<String> {
        match self.program.exprs.get(id.index()).map(|e| &e.kind) {
            Some(hir::ExprKind::Local(local)) => self.spellings.get(local).cloned(),
            _ => None,
        }
    }

    pub(super) fn snippet_hint(&self, expr: &ast::Expr) -> String {
        g2n_syntax::print::expr_string(expr)
    }

    pub(super) fn type_list(&self, types: &[TypeId]) -> String {
        let names: Vec<String> = types.iter().map(|t| self.type_name(*t)).collect();
        format!("({})", names.join(", "))
    }

    /// Go's `assignment mismatch: 2 variables but f returns 1 value`: `call`
    /// is the span of a single call on the right.
    pub(super) fn assignment_mismatch(&self, vars: usize, vals: usize, call: Option<Span>) -> String {
        let measure = |n: usize, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        let callee = call.map(|span| self.callee_text(span, "")).filter(|c| !c.is_empty());
        match callee {
            Some(callee) => format!("assignment mismatch: {} but {callee} returns {}", measure(vars, "variable"), measure(vals, "value")),
            None => format!("assignment mismatch: {} but {}", measure(vars, "variable"), measure(vals, "value")),
        }
    }

    /// The function expression of the call at `span` as Go quotes it in
    /// `in call to F` and `argument to F` (`t.M`, `T{}.M`, `fmt.Println`).
    pub(super) fn callee_text(&self, span: Span, fallback: &str) -> String {
        match self.pkg.file.and_then(|file| g2n_syntax::print::find_expr(file, span)).map(|e| &e.kind) {
            Some(ast::ExprKind::Call { func, .. }) => g2n_syntax::print::expr_string(func),
            _ => fallback.to_string(),
        }
    }

    /// The source expression at `span` as Go quotes it.
    pub(super) fn span_text(&self, span: Span) -> String {
        self.pkg.file
            .and_then(|file| g2n_syntax::print::find_expr(file, span))
            .map(g2n_syntax::print::expr_string)
            .unwrap_or_else(|| "expression".to_string())
    }

    /// The source expression of `id` as Go quotes it (`f()`, `T{…}`).
    pub(super) fn snippet_of(&self, id: ExprId) -> String {
        let span = self.expr_span(id);
        if let Some(expr) = self.pkg.file.and_then(|file| g2n_syntax::print::find_expr(file, span)) {
            return g2n_syntax::print::expr_string(expr);
        }
        match self.program.exprs.get(id.index()).map(|e| &e.kind) {
            Some(hir::ExprKind::Local(local)) => self.program.local(*local).name.clone(),
            Some(hir::ExprKind::Const(value)) => const_string(value),
            _ => "expression".to_string(),
        }
    }

    /// An operand as Go's types2 describes it: `x (variable of type int)`,
    /// `1 + 2 (untyped int constant 3)`, `a (constant 1 of type int)`, `nil`.
    pub(super) fn operand(&self, id: ExprId) -> String {
        let ty = self.expr_ty(id);
        let kind = self.program.exprs.get(id.index()).map(|e| &e.kind);
        if ty == Types::UNTYPED_NIL {
            return "nil".to_string();
        }
        let text = self.snippet_of(id);
        let untyped = self.program.types.is_untyped(ty);
        let mut out = format!("{text} (");
        if untyped {
            out.push_str(&self.type_name(ty));
            out.push(' ');
        }
        match kind {
            Some(hir::ExprKind::Const(value)) => {
                out.push_str("constant");
                // An integer past i128 is held as an exact float: Go
                // still writes all its digits.
                let big_integer = self.program.types.is_integer(ty).then(|| constants::big_int_of(value)).flatten();
                let shown = big_integer.map_or_else(|| const_string(value), |v| v.to_string());
                if shown != text {
                    out.push(' ');
                    out.push_str(&shown);
                }
            }
            Some(hir::ExprKind::Local(_) | hir::ExprKind::Load(_)) => out.push_str("variable"),
            Some(hir::ExprKind::MapIndex { .. }) => out.push_str("map index expression"),
            _ if ty == Types::VOID => {
                return format!("{text} (no value)");
            }
            _ => out.push_str("value"),
        }
        if !untyped {
            out.push_str(" of type ");
            // A function literal's type keeps its parameter names in Go's
            // messages: the literal as printed, without its body.
            let literal_type = match kind {
                Some(hir::ExprKind::Closure(_)) if text.starts_with("func(") => {
                    text.strip_suffix(" {}").or_else(|| text.strip_suffix(" {…}")).map(str::to_string)
                }
                _ => None,
            };
            out.push_str(&literal_type.unwrap_or_else(|| self.expr_type_name(id)));
        }
        out.push(')');
        out
    }
}
