//! Function literals and method values that could travel between separate
//! configs, which are refused at build time.
//!
//! In a split program every nanoservice holds the whole program, so a
//! closure's code is there wherever its value arrives. A separately compiled
//! config holds only its own code and the package-level declarations merged
//! from upstream (upstream.rs): the function behind a closure made in
//! another config's `main` (a function literal, or the wrapper of a method
//! value `x.M`) is not in it, and the receiving runtime would refuse the
//! scope graph at the hop ("unknown function"). Until that code travels with
//! the mesh, a config whose hop may send such a value is an error at the
//! closure, with the hop.
//!
//! "May send" is decided from types, conservatively: a closure is reported
//! when its func type can be reached from the static type of a variable the
//! hop sends in the scope graph (through pointers, slices, arrays, maps,
//! struct fields and channels), or when it is converted to an interface and
//! such a variable can hold an interface. A closure that is only called
//! where it is written (`func() { ... }()`) or run by `go` / `defer` never
//! becomes a value and is not reported. Func values of declared functions
//! travel (graph_kinds.rs registers them) and are not closures.

use g2n_base::Span;
use g2n_sema::hir::{self, ExprKind, StmtKind};
use g2n_sema::types::{TypeId, TypeKind, Types};
use std::collections::BTreeSet;

/// The func types reachable from a sent variable's type, and whether an
/// interface value is reachable from it too.
#[derive(Default)]
pub(crate) struct Reach {
    funcs: BTreeSet<TypeId>,
    interface: bool,
}

impl Reach {
    pub(crate) fn of(types: &Types, ty: TypeId) -> Reach {
        let mut reach = Reach::default();
        reach.walk(types, ty, &mut BTreeSet::new());
        reach
    }

    fn walk(&mut self, types: &Types, ty: TypeId, seen: &mut BTreeSet<TypeId>) {
        if !seen.insert(ty) {
            return;
        }
        match types.kind(ty) {
            TypeKind::Named(_) => self.walk(types, types.underlying(ty), seen),
            TypeKind::Func(_) => {
                self.funcs.insert(ty);
            }
            TypeKind::Any | TypeKind::Error | TypeKind::Interface(_) => self.interface = true,
            TypeKind::Pointer(e) | TypeKind::Slice(e) | TypeKind::Array(_, e) | TypeKind::Chan(_, e) => self.walk(types, *e, seen),
            TypeKind::Map(k, v) => {
                self.walk(types, *k, seen);
                self.walk(types, *v, seen);
            }
            TypeKind::Struct(fields) => fields.iter().for_each(|f| self.walk(types, f.ty, seen)),
            _ => {}
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.funcs.is_empty() && !self.interface
    }
}

/// Every closure of the program's own code (not of its library packages)
/// that becomes a value (not only called where it is written, nor the thunk
/// of a `go` or `defer`): its span, its func type, and whether it is
/// converted to an interface somewhere.
pub(crate) struct ClosureValues(Vec<(Span, TypeId, bool)>);

impl ClosureValues {
    pub(crate) fn of(program: &hir::Program) -> ClosureValues {
        let mut not_values: BTreeSet<hir::ExprId> = BTreeSet::new();
        let mut boxed: BTreeSet<hir::ExprId> = BTreeSet::new();
        for func in &program.funcs {
            hir::walk_stmts(&func.body.stmts, &mut |stmt| {
                if let StmtKind::Go { thunk } | StmtKind::Defer { thunk } = &stmt.kind {
                    not_values.insert(*thunk);
                }
            });
        }
        for expr in &program.exprs {
            match &expr.kind {
                ExprKind::CallValue { callee, .. } if matches!(program.expr(*callee).kind, ExprKind::Closure(_)) => {
                    not_values.insert(*callee);
                }
                ExprKind::ToInterface(value) if matches!(program.expr(*value).kind, ExprKind::Closure(_)) => {
                    boxed.insert(*value);
                }
                _ => {}
            }
        }
        let values = program
            .exprs
            .iter()
            .enumerate()
            .map(|(index, expr)| (hir::ExprId(index as u32), expr))
            .filter(|(id, expr)| matches!(expr.kind, ExprKind::Closure(_)) && !not_values.contains(id))
            // The closures of library packages (io.Pipe's `func() { close(p.done) }`)
            // are the library's own: they are not the config's code, and a
            // program's variable rarely holds one. Were one sent, the
            // receiving config would refuse the handoff for the unknown
            // function unless it reaches that closure itself (not a silent
            // wrong answer); checking them would refuse every mesh whose
            // sent values have a func type some library closure shares.
            .filter(|(_, expr)| g2n_sema::stdlib::package_of_file(expr.span.file).is_none())
            .map(|(id, expr)| (expr.span, expr.ty, boxed.contains(&id)))
            .collect();
        ClosureValues(values)
    }

    /// The span of the first closure a variable with `reach` may hold.
    pub(crate) fn first_reached(&self, reach: &Reach) -> Option<Span> {
        self.0.iter().find(|(_, ty, boxed)| reach.funcs.contains(ty) || (*boxed && reach.interface)).map(|c| c.0)
    }
}
