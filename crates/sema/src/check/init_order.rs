//! The order package-level variables are initialized in
//! ([Go spec: Package initialization](https://go.dev/ref/spec#Package_initialization)):
//! repeatedly the earliest variable in declaration order that is ready, that
//! is, whose initializer refers to no variable still uninitialized. A
//! reference to a function or method counts as references to everything its
//! body refers to, transitively; a call through an interface does not.

use crate::hir::{ExprId, ExprKind, FuncId, LocalId, Program, Stmt, StmtKind, walk_stmts};
use std::collections::{HashMap, HashSet};

/// Reorders `program.global_inits[range]`, the variables of one package.
/// Variables initialized by one multi-valued expression (`var a, b = f()`)
/// stay together, as the specification says.
pub(super) fn order_package_inits(program: &mut Program, range: std::ops::Range<usize>) {
    let Some(inits) = program.global_inits.get(range.clone()) else { return };
    let package_vars: HashSet<LocalId> = inits.iter().map(|(local, _)| *local).collect();
    // Groups of entries initialized together, in declaration order.
    let mut groups: Vec<Vec<(LocalId, Option<ExprId>)>> = Vec::new();
    let mut group_of_tuple: HashMap<ExprId, usize> = HashMap::new();
    for &(local, value) in inits {
        match value.and_then(|v| tuple_of(program, v)) {
            Some(tuple) if group_of_tuple.contains_key(&tuple) => groups[group_of_tuple[&tuple]].push((local, value)),
            tuple => {
                if let Some(tuple) = tuple {
                    group_of_tuple.insert(tuple, groups.len());
                }
                groups.push(vec![(local, value)]);
            }
        }
    }
    // Declaration order: a package's files in the order they were loaded
    // (by name, as go build presents them), then position in the file.
    groups.sort_by_key(|group| {
        group
            .iter()
            .map(|(local, _)| {
                let span = program.local(*local).span;
                (span.file, span.start)
            })
            .min()
    });

    let mut refs = References { program, package_vars: &package_vars, funcs: HashMap::new() };
    let deps: Vec<HashSet<LocalId>> = groups
        .iter()
        .map(|group| {
            let mut vars = HashSet::new();
            let mut funcs = Vec::new();
            for (_, value) in group {
                if let Some(value) = value {
                    refs.expr(*value, &mut vars, &mut funcs);
                }
            }
            refs.through_funcs(funcs, &mut vars);
            for (local, _) in group {
                // A variable that needs itself is a cycle Go rejects; it does
                // not hold back its own initialization here.
                vars.remove(local);
            }
            vars
        })
        .collect();

    let mut initialized: HashSet<LocalId> = HashSet::new();
    let mut done = vec![false; groups.len()];
    let mut ordered = Vec::with_capacity(inits.len());
    for _ in 0..groups.len() {
        let ready = (0..groups.len()).find(|&i| !done[i] && deps[i].is_subset(&initialized));
        // Only a cycle leaves none ready: then declaration order.
        let Some(next) = ready.or_else(|| (0..groups.len()).find(|&i| !done[i])) else { break };
        done[next] = true;
        for &(local, value) in &groups[next] {
            initialized.insert(local);
            ordered.push((local, value));
        }
    }
    program.global_inits.splice(range, ordered);
}

/// The call whose results `value` takes one of, through the conversions
/// sema wraps a declared variable's value in.
fn tuple_of(program: &Program, mut value: ExprId) -> Option<ExprId> {
    loop {
        match &program.expr(value).kind {
            ExprKind::TupleField { tuple, .. } => return Some(*tuple),
            ExprKind::Convert(inner) | ExprKind::ToInterface(inner) => value = *inner,
            _ => return None,
        }
    }
}

/// What expressions and function bodies refer to: the package's variables,
/// and the functions whose bodies count too.
struct References<'p> {
    program: &'p Program,
    package_vars: &'p HashSet<LocalId>,
    /// Each function body's direct references, once computed.
    funcs: HashMap<FuncId, (HashSet<LocalId>, Vec<FuncId>)>,
}

impl References<'_> {
    fn local(&self, local: LocalId, vars: &mut HashSet<LocalId>) {
        if self.package_vars.contains(&local) {
            vars.insert(local);
        }
    }

    fn expr(&self, root: ExprId, vars: &mut HashSet<LocalId>, funcs: &mut Vec<FuncId>) {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            let kind = &self.program.expr(id).kind;
            match kind {
                ExprKind::Local(local) | ExprKind::AddrOfLocal(local) => self.local(*local, vars),
                ExprKind::Call { func, .. } | ExprKind::FuncValue(func) | ExprKind::Closure(func) => funcs.push(*func),
                _ => {}
            }
            kind.for_each_operand(|operand| stack.push(operand));
        }
    }

    fn stmt(&self, stmt: &Stmt, vars: &mut HashSet<LocalId>, funcs: &mut Vec<FuncId>) {
        let mut exprs: Vec<ExprId> = Vec::new();
        match &stmt.kind {
            StmtKind::Define { value, .. } => exprs.extend(value),
            StmtKind::Assign { local, value } => {
                self.local(*local, vars);
                exprs.push(*value);
            }
            StmtKind::Expr(e) | StmtKind::If { cond: e, .. } | StmtKind::Defer { thunk: e } | StmtKind::Go { thunk: e } => exprs.push(*e),
            StmtKind::Loop { cond, .. } => exprs.extend(cond),
            StmtKind::Return(values) => exprs.extend(values),
            StmtKind::AssignTuple { locals, value } => {
                locals.iter().flatten().for_each(|local| self.local(*local, vars));
                exprs.push(*value);
            }
            StmtKind::Store { addr, value } | StmtKind::Send { chan: addr, value } => exprs.extend([*addr, *value]),
            StmtKind::MapAssign { map, key, value } => exprs.extend([*map, *key, *value]),
            StmtKind::RangeMap { map, key, value, .. } => {
                [key, value].into_iter().flatten().for_each(|local| self.local(*local, vars));
                exprs.push(*map);
            }
            StmtKind::Switch { clauses } => clauses.iter().for_each(|clause| exprs.extend(&clause.conds)),
            StmtKind::Select { cases, .. } => cases.iter().for_each(|case| {
                exprs.push(case.chan);
                exprs.extend(case.send);
            }),
            StmtKind::Break(_)
            | StmtKind::Continue(_)
            | StmtKind::Goto(_)
            | StmtKind::Labeled { .. }
            | StmtKind::Block(_)
            | StmtKind::GoToNetwork { .. } => {}
        }
        for e in exprs {
            self.expr(e, vars, funcs);
        }
    }

    /// Adds to `vars` what the bodies of `funcs`, and of the functions they
    /// refer to, refer to.
    fn through_funcs(&mut self, mut funcs: Vec<FuncId>, vars: &mut HashSet<LocalId>) {
        let mut seen: HashSet<FuncId> = HashSet::new();
        while let Some(func) = funcs.pop() {
            if !seen.insert(func) {
                continue;
            }
            if !self.funcs.contains_key(&func) {
                let (mut direct_vars, mut direct_funcs) = (HashSet::new(), Vec::new());
                if let Some(body) = self.program.funcs.get(func.index()).map(|f| &f.body) {
                    walk_stmts(&body.stmts, &mut |stmt| self.stmt(stmt, &mut direct_vars, &mut direct_funcs));
                }
                self.funcs.insert(func, (direct_vars, direct_funcs));
            }
            let (direct_vars, direct_funcs) = &self.funcs[&func];
            vars.extend(direct_vars);
            funcs.extend(direct_funcs);
        }
    }
}
