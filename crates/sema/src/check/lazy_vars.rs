//! Library package-level variables checked only when something uses them.
//!
//! A library package (one whose bodies wait, lazy_bodies.rs) declares many
//! variables a program never reads: unicode's tables (thousands of lines of
//! composite literals), strconv's, errors made by `errors.New`. Checking
//! them all was a large part of checking the library, and every checked
//! variable is then lowered (static data or package init) whether read or
//! not. So a variable whose initializer cannot have an effect waits, like a
//! body, until a use checks it: a checked body, initializer or the program
//! naming it (`resolve_pending` in its own package, `package_member` from
//! another), and what its initializer uses in turn. Nothing that waits is
//! ever in `program.global_inits`, so it gets no storage, no static data and
//! no init code; one never used is unobservable, as its initializer has no
//! effect.
//!
//! "Cannot have an effect" is decided on the syntax, conservatively
//! ([`Checker::is_effect_free`]): literals; names (a variable, constant, or
//! function as a value: not a call); `pkg.Name`; composite literals, `&`,
//! and function literals (a closure is a value: its body is checked with
//! the variable) of such operands; operators that cannot panic; conversions
//! that cannot panic (not to a pointer: a slice to array pointer
//! conversion checks the length), and `len`, `cap`, `new`, `complex`,
//! `real`, `imag` and `unsafe.Sizeof`/`Alignof`. Any other call, an index,
//! a slice expression, a type assertion, a dereference, a receive or a
//! field selection (nil pointer) stays eager: checked and initialized in
//! Go's order as before. Division, remainder and shifts count only with a
//! literal right operand (no division by zero, no negative shift count);
//! `==` and `!=` not at all (interfaces holding incomparable values panic).
//!
//! The program's own packages, the package `g2n test` tests and g2n's
//! hand-written packages are checked in full (`Checker::bodies_wait`), so
//! every error there is still reported.

use super::*;

impl<'a> Checker<'a> {
    /// Whether the pending declaration `index` of the package being checked
    /// is a variable spec that can wait until used (see the module comment).
    pub(super) fn var_waits(&self, index: usize) -> bool {
        let Some(Some((decl, spec))) = self.pkg.pending_decls.get(index) else { return false };
        if decl.kind != ast::GenKind::Var {
            return false;
        }
        let Some(ast::Spec::Value { names, values, .. }) = decl.specs.get(*spec) else { return false };
        // `var a, b = f()` is a call: it never waits.
        (values.is_empty() || values.len() == names.len()) && values.iter().all(|value| self.is_effect_free(value))
    }

    /// Whether evaluating `expr` can have no effect: it calls nothing, and
    /// nothing in it can panic (see the module comment).
    fn is_effect_free(&self, expr: &ast::Expr) -> bool {
        use ast::{BinaryOp, ExprKind, UnaryOp};
        match &expr.kind {
            ExprKind::Ident(_)
            | ExprKind::IntLit(_)
            | ExprKind::FloatLit(_)
            | ExprKind::ImagLit(_)
            | ExprKind::RuneLit(_)
            | ExprKind::StringLit(_)
            | ExprKind::FuncLit { .. } => true,
            ExprKind::Paren(inner) => self.is_effect_free(inner),
            // Only `pkg.Name`: a field of a nil pointer panics.
            ExprKind::Selector { base, .. } => self.names_import(base),
            ExprKind::CompositeLit { elems, .. } => elems.iter().all(|elem| {
                // A map's key of interface type holding an incomparable
                // value panics: keys are plain values only.
                let key_free = elem.key.as_ref().is_none_or(|key| {
                    !matches!(key.kind, ExprKind::CompositeLit { .. } | ExprKind::FuncLit { .. }) && self.is_effect_free(key)
                });
                key_free && self.is_effect_free(&elem.value)
            }),
            ExprKind::Unary { op, operand } => {
                matches!(op, UnaryOp::Neg | UnaryOp::Plus | UnaryOp::Not | UnaryOp::BitNot | UnaryOp::Addr) && self.is_effect_free(operand)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let op_free = match op {
                    BinaryOp::Div | BinaryOp::Rem | BinaryOp::Shl | BinaryOp::Shr => is_literal(rhs),
                    BinaryOp::Eq | BinaryOp::Ne => false,
                    _ => true,
                };
                op_free && self.is_effect_free(lhs) && self.is_effect_free(rhs)
            }
            ExprKind::Call { func, args, ellipsis: false } => self.is_free_callee(func, args) && args.iter().all(|arg| self.is_effect_free(arg)),
            _ => false,
        }
    }

    /// Whether calling `func` with `args` is a conversion that cannot panic
    /// or a builtin without effect.
    fn is_free_callee(&self, func: &ast::Expr, args: &[ast::Expr]) -> bool {
        let binding = match &func.kind {
            ast::ExprKind::Paren(inner) => return self.is_free_callee(inner, args),
            // A type literal: `[]byte(s)`, `string(b)` with a named type
            // aside; a pointer type only for `nil`.
            ast::ExprKind::Type(ty) => return !matches!(ty.kind, ast::TypeExprKind::Pointer(_)) || is_nil(args),
            ast::ExprKind::Unary { op: ast::UnaryOp::Deref, .. } => return is_nil(args),
            ast::ExprKind::Ident(ident) => {
                // A package-level variable not checked yet may hide a
                // predeclared name.
                if self.pkg.pending_names.contains_key(&ident.name) {
                    return false;
                }
                self.lookup(&ident.name).cloned()
            }
            ast::ExprKind::Selector { base, sel } => {
                let Some(path) = self.import_path(base) else { return false };
                self.package_member_quietly(&path, &sel.name)
            }
            _ => return false,
        };
        match binding {
            Some(Binding::Type(ty)) => !matches!(self.program.types.under(ty), TypeKind::Pointer(_)) || is_nil(args),
            Some(Binding::Builtin(builtin)) => matches!(
                builtin,
                Builtin::Len
                    | Builtin::Cap
                    | Builtin::New
                    | Builtin::Complex
                    | Builtin::Real
                    | Builtin::Imag
                    | Builtin::Sizeof
                    | Builtin::Alignof
            ),
            _ => false,
        }
    }

    /// Whether `expr` is a name bound to an import.
    fn names_import(&self, expr: &ast::Expr) -> bool {
        self.import_path(expr).is_some()
    }

    /// The path of the package `expr` names, if it is a name bound to an
    /// import (not hidden by a waiting package-level variable).
    fn import_path(&self, expr: &ast::Expr) -> Option<String> {
        let ast::ExprKind::Ident(ident) = &expr.kind else { return None };
        if self.pkg.pending_names.contains_key(&ident.name) {
            return None;
        }
        match self.lookup(&ident.name) {
            Some(Binding::Package(index)) => self.pkg.imports.get(*index).map(|import| import.path.clone()),
            _ => None,
        }
    }

    /// Checks the variable `name` of library package `path` now if it is
    /// still waiting: in its package's context, as its own check would.
    pub(super) fn check_waiting_var(&mut self, path: &str, name: &str) {
        let Some(lazy) = self.lazy_packages.get(path) else { return };
        let Some(&index) = lazy.pending_names.get(name) else { return };
        if lazy.pending_decls.get(index).is_none_or(Option::is_none) {
            return;
        }
        self.in_lazy_package(path, |this| this.check_pending_decl(index));
    }

    /// Checks every variable of library package `path` still waiting (its
    /// whole scope is about to be read: `import . "path"`).
    pub(super) fn check_waiting_vars(&mut self, path: &str) {
        let Some(lazy) = self.lazy_packages.get(path) else { return };
        if lazy.pending_decls.iter().all(Option::is_none) {
            return;
        }
        self.in_lazy_package(path, |this| {
            for index in 0..this.pkg.pending_decls.len() {
                this.check_pending_decl(index);
            }
        });
    }

    /// A package-level variable and its initializer, of the package being
    /// checked.
    pub(super) fn push_global_init(&mut self, local: LocalId, value: Option<ExprId>) {
        let ordinal = self.package_ordinals.get(&self.pkg.path).copied().unwrap_or(usize::MAX);
        self.program.global_inits.push((local, value));
        self.global_init_packages.push(ordinal);
    }

    /// Puts each variable checked after its package (while another package
    /// was being checked, or a reached body) back among its own package's
    /// (`package_ordinals`), and sets where each package's variables end in
    /// `program.package_init_ends`.
    pub(super) fn group_global_inits_by_package(&mut self) {
        let packages = std::mem::take(&mut self.global_init_packages);
        if !packages.is_sorted() {
            let mut entries: Vec<(usize, (LocalId, Option<ExprId>))> = packages.into_iter().zip(self.program.global_inits.drain(..)).collect();
            entries.sort_by_key(|(ordinal, _)| *ordinal);
            let (packages, inits): (Vec<usize>, Vec<_>) = entries.into_iter().unzip();
            self.program.global_inits = inits;
            self.global_init_packages = packages;
        } else {
            self.global_init_packages = packages;
        }
        let packages = &self.global_init_packages;
        for (ordinal, end) in self.program.package_init_ends.iter_mut().enumerate() {
            end.0 = packages.partition_point(|package| *package <= ordinal);
        }
    }
}

/// A literal: a constant operand whatever names are in scope.
fn is_literal(expr: &ast::Expr) -> bool {
    match &expr.kind {
        ast::ExprKind::Paren(inner) => is_literal(inner),
        ast::ExprKind::IntLit(_) | ast::ExprKind::FloatLit(_) | ast::ExprKind::ImagLit(_) | ast::ExprKind::RuneLit(_) => true,
        _ => false,
    }
}

/// The arguments are the one name `nil`.
fn is_nil(args: &[ast::Expr]) -> bool {
    matches!(args, [ast::Expr { kind: ast::ExprKind::Ident(ident), .. }] if ident.name == "nil")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written packages and one source package `lnk` of `source`
    /// (file 1), and the program `program` (file 0) checked against them.
    fn check_with_library(source: &str, program: &str) -> (hir::Program, Vec<String>) {
        let (file, syntax) = g2n_syntax::parse_file(g2n_base::FileId(1), source);
        assert!(syntax.is_empty(), "{syntax:?}");
        let package = crate::stdlib::SourcePackage { path: "lnk".to_string(), files: vec![file], has_assembly: false, linknames: Vec::new() };
        let stdlib = crate::stdlib::StdLib::load().with_source_packages([package]);
        let (file, syntax) = g2n_syntax::parse_file(g2n_base::FileId(0), program);
        assert!(syntax.is_empty(), "{syntax:?}");
        let (program, errors) = Checker::new(&stdlib, FreeVars::Forbidden).check_file(&file);
        (program, errors.iter().map(|e| e.to_string()).collect())
    }

    const LIBRARY: &str = "package lnk\n\nvar order []string\n\nfunc note(s string) string {\n\torder = append(order, s)\n\treturn s\n}\n\n\
        var Eager = note(\"eager\")\n\nvar Table = []*[3]string{&Letters}\n\nvar Letters = [...]string{\"a\", \"b\", \"c\"}\n\n\
        var unused = map[string]*[3]string{\"x\": &Letters}\n\nvar Broken = [1]int{\"four\"}\n\nfunc Used() int { return len(Table) }\n";

    fn global_names(program: &hir::Program) -> Vec<&str> {
        program.global_inits.iter().map(|(local, _)| program.local(*local).name.as_str()).collect()
    }

    /// A variable with a call in its initializer is checked and initialized
    /// as before; one without waits until used, and is never checked (nor
    /// initialized) when nothing uses it: `unused`, and `Broken`, whose
    /// error is reported only once the program names it.
    #[test]
    fn variables_without_effects_wait_until_used() {
        let (program, errors) = check_with_library(LIBRARY, "package main\n\nimport \"lnk\"\n\nfunc main() {\n\t_ = lnk.Eager\n}\n");
        assert!(errors.is_empty(), "{errors:?}");
        // `order` is reached through `note`'s body.
        assert_eq!(global_names(&program), ["order", "Eager"]);

        let (program, errors) = check_with_library(LIBRARY, "package main\n\nimport \"lnk\"\n\nfunc main() {\n\t_ = lnk.Used()\n}\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(global_names(&program), ["order", "Eager", "Letters", "Table"]);

        let (_, errors) = check_with_library(LIBRARY, "package main\n\nimport \"lnk\"\n\nfunc main() {\n\t_ = lnk.Broken\n}\n");
        assert_eq!(errors, ["cannot use \"four\" (untyped string constant) as int value in array or slice literal"]);
    }

    /// A library variable first used by the program's own initializer is
    /// checked then, and still initialized with its own package, before the
    /// program's variables.
    #[test]
    fn a_variable_used_first_by_the_program_is_initialized_with_its_package() {
        let program = "package main\n\nimport \"lnk\"\n\nvar mine = lnk.Table\n\nfunc main() {\n\t_ = mine\n}\n";
        let (program, errors) = check_with_library(LIBRARY, program);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(global_names(&program), ["order", "Eager", "Letters", "Table", "mine"]);
        let library_ends: Vec<usize> = program.package_init_ends.iter().map(|(vars, _)| *vars).collect();
        assert_eq!(library_ends.last(), Some(&4), "{library_ends:?}");
    }

    /// Only initializers that cannot have an effect wait.
    #[test]
    fn effects_are_judged_conservatively() {
        let library = "package lnk\n\nimport \"unsafe\"\n\ntype T struct{ n int }\n\ntype P *[2]int\n\nvar s = []int{1}\n\nvar i interface{} = 1\n\n\
            var p *T\n\nvar f = func() int { return 1 }\n\nvar (\n\
            \tw0 = 1 + 2*3\n\tw1 = &T{n: len(s)}\n\tw2 = string(rune(65))\n\tw3 = P(nil)\n\tw4 = unsafe.Sizeof(w0)\n\tw5 = f\n\tw6 = w0 / 2 << 1\n\tw7 = map[int]string{1: \"a\"}\n\tw8 = -w0 < 3 && !false\n\
            \te0 = f()\n\te1 = s[1]\n\te2 = i.(int)\n\te3 = p.n\n\te4 = *p\n\te5 = 6 / len(s)\n\te6 = i == i\n\te7 = P(s[:2])\n\te8 = make([]int, len(s))\n\te9 = s[:1]\n)\n\n\
            func Use() int { return len(s) }\n";
        let (program, errors) = check_with_library(library, "package main\n\nimport \"lnk\"\n\nfunc main() {\n\t_ = lnk.Use()\n}\n");
        assert!(errors.is_empty(), "{errors:?}");
        let mut eager: Vec<&str> = global_names(&program).into_iter().filter(|name| name.starts_with('e')).collect();
        eager.sort();
        assert_eq!(eager, ["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"]);
        assert!(!global_names(&program).iter().any(|name| name.starts_with('w')), "{:?}", global_names(&program));
    }
}
