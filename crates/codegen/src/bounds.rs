//! Bounds-check elimination for counted loops.
//!
//! Every index is checked against its length unless this pass proves it in
//! range. The proof covers the loops that `range` produces and their
//! hand-written twins:
//!
//! ```go
//! for i := 0; i < len(s); i++ { ... s[i] ... }
//! for i := 0; i < n; i++ { ... a[i] ... }  // a: [N]T with n <= N, or s := make([]T, n)
//! ```
//!
//! The index variable must be a register local written only by its
//! declaration (a constant >= 0, or a value >= 0 derived from an enclosing
//! counted loop's index) and by the post statement `i = i + 1`; so inside the
//! body, `0 <= i < bound`. The bound and the slice must be register locals
//! written at most once (their declaration), so the bound read by the
//! condition is the length of the slice indexed in the body.

use g2n_sema::hir::{self, BinaryOp, ConstValue, ExprId, ExprKind, FuncId, Intrinsic, LocalId, LocalKind, StmtKind};
use g2n_sema::types::TypeKind;
use std::collections::{HashMap, HashSet};

/// A symbolic upper bound of a loop index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    Const(i128),
    /// The value of a local written once.
    Local(LocalId),
    /// The length of a slice local written once.
    LenOf(LocalId),
}

/// The index expressions (`IndexAddr` ids) of `func`'s body whose bounds
/// check is redundant. A function's body is walked alone (a function
/// literal's body is a function of its own), so lowering asks for the
/// functions it lowers only: a warm build lowers few.
pub(crate) fn unchecked_indexes_in(program: &hir::Program, func: FuncId) -> HashSet<ExprId> {
    let mut unchecked = HashSet::new();
    walk_func(program, func, &mut unchecked, &mut HashSet::new());
    unchecked
}

fn walk_func(program: &hir::Program, func: FuncId, unchecked: &mut HashSet<ExprId>, reached: &mut HashSet<ExprId>) {
    let func = program.func(func);
    let writes = Writes::of(&func.body);
    let mut walk = Walk { program, writes: &writes, facts: Vec::new(), unchecked, reached };
    walk.block(&func.body);
}

/// The unchecked indexes, and the index expressions the functions' bodies
/// reach (the arena may hold others that no body uses: a compound
/// assignment's place checked before its operands were pinned).
#[cfg(test)]
fn walk_indexes(program: &hir::Program) -> (HashSet<ExprId>, HashSet<ExprId>) {
    let mut unchecked = HashSet::new();
    let mut reached = HashSet::new();
    for index in 0..program.funcs.len() {
        walk_func(program, FuncId(index as u32), &mut unchecked, &mut reached);
    }
    (unchecked, reached)
}

/// How often each local is written, and the value of its declaration.
#[derive(Default)]
struct Writes {
    count: HashMap<LocalId, u32>,
    defined_as: HashMap<LocalId, ExprId>,
}

impl Writes {
    fn of(body: &hir::Block) -> Writes {
        let mut writes = Writes::default();
        hir::walk_stmts(&body.stmts, &mut |stmt| {
            let written: Vec<LocalId> = match &stmt.kind {
                StmtKind::Define { local, value } => {
                    if let Some(value) = value {
                        writes.defined_as.insert(*local, *value);
                    }
                    vec![*local]
                }
                StmtKind::Assign { local, .. } => vec![*local],
                StmtKind::AssignTuple { locals, .. } => locals.iter().flatten().copied().collect(),
                StmtKind::RangeMap { key, value, .. } => key.iter().chain(value.iter()).copied().collect(),
                StmtKind::Select { cases, .. } => {
                    cases.iter().flat_map(|c| c.recv_value.iter().chain(c.recv_ok.iter())).copied().collect()
                }
                _ => Vec::new(),
            };
            for local in written {
                *writes.count.entry(local).or_default() += 1;
            }
        });
        writes
    }
}

struct Walk<'a> {
    program: &'a hir::Program,
    writes: &'a Writes,
    /// Indexes of the enclosing counted loops: `0 <= local < bound`.
    facts: Vec<(LocalId, Bound)>,
    unchecked: &'a mut HashSet<ExprId>,
    /// Index expressions visited (one used twice, as a compound
    /// assignment's address is, once).
    reached: &'a mut HashSet<ExprId>,
}

impl Walk<'_> {
    /// A local kept in registers (no pointer, closure or scope can write it)
    /// and written at most `max_writes` times in its function.
    fn register_local(&self, local: LocalId, max_writes: u32) -> bool {
        let l = self.program.local(local);
        matches!(l.kind, LocalKind::Var | LocalKind::Param)
            && !l.escapes
            && !self.program.types.is_aggregate(l.ty)
            && self.writes.count.get(&local).copied().unwrap_or(0) <= max_writes
    }

    fn const_int(&self, expr: ExprId) -> Option<i128> {
        match &self.program.expr(expr).kind {
            ExprKind::Const(ConstValue::Int(v)) => Some(*v),
            _ => None,
        }
    }

    /// The bound a loop condition's right-hand side stands for.
    fn bound_of(&self, expr: ExprId) -> Option<Bound> {
        if let Some(k) = self.const_int(expr) {
            return Some(Bound::Const(k));
        }
        match &self.program.expr(expr).kind {
            ExprKind::Local(n) if self.register_local(*n, 1) => {
                match self.writes.defined_as.get(n).map(|e| &self.program.expr(*e).kind) {
                    Some(ExprKind::Const(ConstValue::Int(k))) => Some(Bound::Const(*k)),
                    Some(ExprKind::Intrinsic { which: Intrinsic::SliceLen, args }) => self.len_of(args[0]),
                    _ => Some(Bound::Local(*n)),
                }
            }
            ExprKind::Intrinsic { which: Intrinsic::SliceLen, args } => self.len_of(args[0]),
            _ => None,
        }
    }

    fn len_of(&self, slice: ExprId) -> Option<Bound> {
        match &self.program.expr(slice).kind {
            ExprKind::Local(s) if self.register_local(*s, 1) => Some(Bound::LenOf(*s)),
            _ => None,
        }
    }

    /// Whether a value is known to be >= 0 and small enough that adding a
    /// small constant cannot overflow.
    fn non_negative(&self, expr: ExprId) -> bool {
        if let Some(k) = self.const_int(expr) {
            return (0..=i64::MAX as i128 / 2).contains(&k);
        }
        match &self.program.expr(expr).kind {
            ExprKind::Local(l) => self.facts.iter().any(|(i, _)| i == l),
            ExprKind::Binary { op: BinaryOp::Add, lhs, rhs } => {
                let small = |e: &ExprId| self.const_int(*e).is_some_and(|k| (0..=1 << 20).contains(&k));
                (self.non_negative(*lhs) && small(rhs)) || (small(lhs) && self.non_negative(*rhs))
            }
            _ => false,
        }
    }

    /// `i < bound` with `i` a counted loop index: its bound.
    fn counted_loop(&self, cond: ExprId, post: &hir::Stmt) -> Option<(LocalId, Bound)> {
        let ExprKind::Binary { op: BinaryOp::Lt, lhs, rhs } = &self.program.expr(cond).kind else { return None };
        let ExprKind::Local(i) = self.program.expr(*lhs).kind else { return None };
        let StmtKind::Assign { local, value } = &post.kind else { return None };
        if *local != i || !self.register_local(i, 2) {
            return None;
        }
        let ExprKind::Binary { op: BinaryOp::Add, lhs: step_lhs, rhs: step } = &self.program.expr(*value).kind else {
            return None;
        };
        if !matches!(self.program.expr(*step_lhs).kind, ExprKind::Local(l) if l == i) || self.const_int(*step) != Some(1) {
            return None;
        }
        let init = self.writes.defined_as.get(&i)?;
        if !self.non_negative(*init) {
            return None;
        }
        Some((i, self.bound_of(*rhs)?))
    }

    /// The symbolic length of the slice a local holds, if known besides
    /// `len(s)`: `s := make([]T, n)`.
    fn made_len(&self, s: LocalId) -> Option<Bound> {
        let ExprKind::MakeSlice { len, .. } = &self.program.expr(*self.writes.defined_as.get(&s)?).kind else { return None };
        self.bound_of(*len)
    }

    fn in_range(&self, base: ExprId, index: ExprId) -> bool {
        let ExprKind::Local(i) = self.program.expr(index).kind else { return false };
        let bounds = self.facts.iter().filter(|(l, _)| *l == i).map(|(_, b)| *b);
        let base_expr = self.program.expr(base);
        match self.program.types.under(base_expr.ty) {
            TypeKind::Pointer(array) => {
                let TypeKind::Array(n, _) = self.program.types.under(*array) else { return false };
                let n = *n as i128;
                bounds.into_iter().any(|b| matches!(b, Bound::Const(k) if k <= n))
            }
            TypeKind::Slice(_) => {
                let ExprKind::Local(s) = base_expr.kind else { return false };
                if !self.register_local(s, 1) {
                    return false;
                }
                let made = self.made_len(s);
                bounds.into_iter().any(|b| b == Bound::LenOf(s) || Some(b) == made)
            }
            _ => false,
        }
    }

    fn block(&mut self, block: &hir::Block) {
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &hir::Stmt) {
        match &stmt.kind {
            StmtKind::Loop { cond, body, post } => {
                if let Some(cond) = cond {
                    self.expr(*cond);
                }
                let fact = match (cond, post) {
                    (Some(cond), Some(post)) => self.counted_loop(*cond, post),
                    _ => None,
                };
                let depth = self.facts.len();
                self.facts.extend(fact);
                self.block(body);
                self.facts.truncate(depth);
                if let Some(post) = post {
                    self.stmt(post);
                }
            }
            StmtKind::Define { value: Some(e), .. } | StmtKind::Assign { value: e, .. } | StmtKind::Expr(e) => self.expr(*e),
            StmtKind::Define { value: None, .. } => {}
            StmtKind::If { cond, then, els } => {
                self.expr(*cond);
                self.block(then);
                if let Some(els) = els {
                    self.block(els);
                }
            }
            StmtKind::Labeled { stmt, .. } => self.stmt(stmt),
            StmtKind::Block(block) => self.block(block),
            StmtKind::Return(values) => values.iter().for_each(|v| self.expr(*v)),
            StmtKind::AssignTuple { value, .. } => self.expr(*value),
            StmtKind::Store { addr, value } => {
                self.expr(*addr);
                self.expr(*value);
            }
            StmtKind::Defer { thunk } | StmtKind::Go { thunk } => self.expr(*thunk),
            StmtKind::MapAssign { map, key, value } => {
                self.expr(*map);
                self.expr(*key);
                self.expr(*value);
            }
            StmtKind::RangeMap { map, body, .. } => {
                self.expr(*map);
                self.block(body);
            }
            StmtKind::Switch { clauses } => {
                for clause in clauses {
                    clause.conds.iter().for_each(|c| self.expr(*c));
                    self.block(&clause.body);
                }
            }
            StmtKind::Send { chan, value } => {
                self.expr(*chan);
                self.expr(*value);
            }
            StmtKind::Select { cases, default } => {
                for case in cases {
                    self.expr(case.chan);
                    if let Some(send) = case.send {
                        self.expr(send);
                    }
                    self.block(&case.body);
                }
                if let Some(default) = default {
                    self.block(default);
                }
            }
            StmtKind::Break(_) | StmtKind::Continue(_) | StmtKind::Goto(_) | StmtKind::GoToNetwork { .. } => {}
        }
    }

    fn expr(&mut self, id: ExprId) {
        let program = self.program;
        if let ExprKind::IndexAddr { base, index } = &program.expr(id).kind {
            self.reached.insert(id);
            if self.in_range(*base, *index) {
                self.unchecked.insert(id);
            }
        }
        program.expr(id).kind.for_each_operand(|e| self.expr(e));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escape::tests::program_of;

    /// How many of the index expressions the program's bodies reach stay
    /// checked, and how many are proven in range.
    fn counts(source: &str) -> (usize, usize) {
        let program = program_of(source);
        let (unchecked, reached) = walk_indexes(&program);
        (reached.len() - unchecked.len(), unchecked.len())
    }

    #[test]
    fn counted_loops_drop_their_checks() {
        // s[i] twice (the compound assignment's place, read and written
        // through one address, and its operand), v's element load, a[j],
        // m[k]: all in range.
        let source = "package main
            func main() {
                s := []int{1, 2, 3}
                for i := 0; i < len(s); i++ { s[i] += s[i] }
                for _, v := range s { println(v) }
                var a [8]int
                for j := 0; j < 8; j++ { a[j] = j }
                n := 5
                m := make([]int, n)
                for k := 0; k < n; k++ { m[k] = k }
            }";
        assert_eq!(counts(source), (0, 5));
    }

    #[test]
    fn near_misses_keep_their_checks() {
        let source = "package main
            func main() {
                s := []int{1, 2, 3}
                t := []int{1}
                for i := 0; i < len(s); i++ { t[i] = s[i] }
                for i := 0; i < len(s); i++ { println(s[i+1]) }
                for i := -1; i < len(s); i++ { println(s[i]) }
                for i := 0; i < len(s); i++ { s = s[1:]; println(s[i]) }
                for i := 0; i < len(s); i++ { i++; println(s[i]) }
                var a [4]int
                for j := 0; j < 5; j++ { a[j] = j }
            }";
        // Only s[i] of the first loop is proven (s is reassigned later, so
        // not even that one): everything stays checked.
        assert_eq!(counts(source), (7, 0));
    }
}
