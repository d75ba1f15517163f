//! Escape analysis: which struct and array values may live in their
//! function's stack frame instead of the collected heap.
//!
//! Codegen keeps every struct or array value by address (`g2n-abi`), so a
//! local of such a type needs storage, and so does every composite literal.
//! Go semantics only require heap storage when the address can outlive the
//! frame; this pass proves, conservatively, that it cannot:
//!
//! - an address *leaks* when it may be kept past an immediate copy: returned,
//!   stored in memory or in a pointer variable, sliced, boxed as a pointer,
//!   handed to the runtime, to a function value or to a goroutine;
//! - reading through an address (a load, a field or element address used
//!   for a load or store, a comparison) and copying the value it points to
//!   (assignment, argument passing, boxing, composite elements) does not
//!   leak it: those copy before anything else can run;
//! - a pointer passed to a declared function leaks only if that function's
//!   parameter leaks, found by iterating to a fixed point over all functions
//!   (optimistic start, so mutual recursion without a real leak stays on
//!   the stack).
//!
//! Locals that closures capture are already `escapes` in the HIR, and the
//! `main` of a program that hops keeps heap cells (its scope travels).

use g2n_sema::hir::{self, ExprId, ExprKind, FuncId, LocalId, LocalKind, StmtKind};
use std::collections::{HashMap, HashSet};

/// A value bigger than this stays on the heap: goroutine stacks are reserved
/// at a fixed size (256 MiB, `crates/runtime/src/stack.rs`) rather than grown
/// like Go's, so deep recursion of large frames must not exhaust them first.
const MAX_STACK_VALUE: u64 = 2048;
/// The most stack storage one function's frame gets this way.
const MAX_STACK_FRAME: u64 = 16 * 1024;

/// What codegen may place in stack slots.
#[derive(Debug, Default)]
pub(crate) struct StackPlan {
    /// Struct and array locals whose storage is a stack slot of their
    /// function.
    pub locals: HashSet<LocalId>,
    /// Composite literals that are only copied: built in a stack slot.
    pub composites: HashSet<ExprId>,
}

pub(crate) fn plan(program: &hir::Program, main_hops: bool) -> StackPlan {
    let mut summaries: HashMap<FuncId, Vec<bool>> = HashMap::new();
    // Parameter summaries first: iterate until no parameter newly leaks.
    loop {
        let mut changed = false;
        for index in 0..program.funcs.len() {
            let id = FuncId(index as u32);
            let mut walk = Walk::new(program, &summaries);
            walk.func(id);
            let func = program.func(id);
            let leaks: Vec<bool> = func.params.iter().map(|p| walk.leaked.contains(p) || program.local(*p).escapes).collect();
            if summaries.get(&id) != Some(&leaks) {
                summaries.insert(id, leaks);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut plan = StackPlan::default();
    for index in 0..program.funcs.len() {
        let id = FuncId(index as u32);
        if program.main == Some(id) && main_hops {
            continue;
        }
        let mut walk = Walk::new(program, &summaries);
        walk.func(id);
        let func = program.func(id);
        let results: HashSet<LocalId> = func.result_locals.iter().copied().collect();
        let mut candidates: Vec<LocalId> = walk
            .declared
            .iter()
            .copied()
            .filter(|l| {
                let local = program.local(*l);
                matches!(local.kind, LocalKind::Var | LocalKind::Param)
                    && !local.escapes
                    && program.types.is_aggregate(local.ty)
                    && !walk.leaked.contains(l)
                    && !results.contains(l)
                    && program.types.layout(local.ty).size <= MAX_STACK_VALUE
            })
            .collect();
        candidates.sort();
        candidates.dedup();
        let mut frame = 0;
        for local in candidates {
            let size = program.types.layout(program.local(local).ty).size;
            if frame + size <= MAX_STACK_FRAME {
                frame += size;
                plan.locals.insert(local);
            }
        }
        for expr in walk.copied_composites {
            let size = program.types.layout(program.expr(expr).ty).size;
            if size <= MAX_STACK_VALUE && frame + size <= MAX_STACK_FRAME {
                frame += size;
                plan.composites.insert(expr);
            }
        }
    }
    plan
}

/// One walk over a function body.
struct Walk<'p> {
    program: &'p hir::Program,
    summaries: &'p HashMap<FuncId, Vec<bool>>,
    /// Locals this function declares (parameters included).
    declared: Vec<LocalId>,
    /// Locals whose address (or, for a pointer, whose value) leaks.
    leaked: HashSet<LocalId>,
    /// Composite literals seen only in copying positions.
    copied_composites: Vec<ExprId>,
}

impl<'p> Walk<'p> {
    fn new(program: &'p hir::Program, summaries: &'p HashMap<FuncId, Vec<bool>>) -> Self {
        Walk { program, summaries, declared: Vec::new(), leaked: HashSet::new(), copied_composites: Vec::new() }
    }

    fn func(&mut self, id: FuncId) {
        let func = self.program.func(id);
        self.declared.extend(func.params.iter().copied());
        self.declared.extend(func.result_locals.iter().copied());
        if self.program.main == Some(id) {
            // Package-level initializers run in main's function, and what
            // they produce is stored in globals.
            for (_, init) in &self.program.global_inits {
                if let Some(init) = init {
                    self.expr(*init, true);
                }
            }
        }
        self.block(&func.body);
    }

    fn aggregate(&self, expr: ExprId) -> bool {
        self.program.types.is_aggregate(self.program.expr(expr).ty)
    }

    /// A value that is copied where it lands: an aggregate's bytes are
    /// copied, any other value is kept as it is (so a pointer leaks).
    fn copied(&mut self, expr: ExprId) {
        let leak = !self.aggregate(expr);
        self.expr(expr, leak);
    }

    fn block(&mut self, block: &hir::Block) {
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &hir::Stmt) {
        match &stmt.kind {
            StmtKind::Define { local, value } => {
                self.declared.push(*local);
                if let Some(value) = value {
                    self.copied(*value);
                }
            }
            StmtKind::Assign { value, .. } => self.copied(*value),
            StmtKind::Expr(e) => self.expr(*e, false),
            StmtKind::If { cond, then, els } => {
                self.expr(*cond, false);
                self.block(then);
                if let Some(els) = els {
                    self.block(els);
                }
            }
            StmtKind::Loop { cond, body, post } => {
                if let Some(cond) = cond {
                    self.expr(*cond, false);
                }
                self.block(body);
                if let Some(post) = post {
                    self.stmt(post);
                }
            }
            StmtKind::Break(_) | StmtKind::Continue(_) | StmtKind::Goto(_) | StmtKind::GoToNetwork { .. } => {}
            StmtKind::Labeled { stmt, .. } => self.stmt(stmt),
            StmtKind::Block(block) => self.block(block),
            StmtKind::Return(values) => {
                // Aggregates are returned by address.
                for value in values {
                    self.expr(*value, true);
                }
            }
            StmtKind::AssignTuple { locals, value } => {
                self.declared.extend(locals.iter().flatten().copied());
                self.expr(*value, false);
            }
            StmtKind::Store { addr, value } => {
                self.expr(*addr, false);
                self.copied(*value);
            }
            StmtKind::Defer { thunk } | StmtKind::Go { thunk } => self.expr(*thunk, true),
            StmtKind::MapAssign { map, key, value } => {
                self.expr(*map, false);
                self.expr(*key, true);
                self.expr(*value, true);
            }
            StmtKind::RangeMap { map, key, value, body } => {
                self.declared.extend(key.iter().chain(value.iter()).copied());
                self.expr(*map, false);
                self.block(body);
            }
            StmtKind::Switch { clauses } => {
                for clause in clauses {
                    for cond in &clause.conds {
                        self.expr(*cond, false);
                    }
                    self.block(&clause.body);
                }
            }
            StmtKind::Send { chan, value } => {
                self.expr(*chan, false);
                self.expr(*value, true);
            }
            StmtKind::Select { cases, default } => {
                for case in cases {
                    self.expr(case.chan, false);
                    if let Some(send) = case.send {
                        self.expr(send, true);
                    }
                    self.declared.extend(case.recv_value.iter().chain(case.recv_ok.iter()).copied());
                    self.block(&case.body);
                }
                if let Some(default) = default {
                    self.block(default);
                }
            }
        }
    }

    /// `leak`: whether the address this expression's value may carry can be
    /// kept beyond the expression's immediate use.
    fn expr(&mut self, id: ExprId, leak: bool) {
        let expr = self.program.expr(id);
        match &expr.kind {
            ExprKind::Local(local) | ExprKind::AddrOfLocal(local) => {
                if leak {
                    self.leaked.insert(*local);
                }
            }
            // The same address, or one inside the same storage.
            ExprKind::AggregateAddr(inner) | ExprKind::FieldAddr { base: inner, .. } | ExprKind::Convert(inner) => {
                self.expr(*inner, leak)
            }
            ExprKind::TupleField { tuple, .. } => self.expr(*tuple, leak),
            ExprKind::IndexAddr { base, index } => {
                self.expr(*base, leak);
                self.expr(*index, false);
            }
            // Loading an aggregate gives its address; anything else is read.
            ExprKind::Load(addr) => {
                let leak = leak && self.aggregate(id);
                self.expr(*addr, leak)
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(*lhs, false);
                self.expr(*rhs, false);
            }
            ExprKind::Unary { operand, .. } => self.expr(*operand, false),
            ExprKind::ToInterface(inner) => self.copied(*inner),
            ExprKind::Call { func, args } => {
                let summary = self.summaries.get(func);
                for (index, arg) in args.iter().enumerate() {
                    // Parameters are copied on entry (`lower_plain_function`).
                    let param_leaks = summary.and_then(|s| s.get(index)).copied().unwrap_or(true);
                    let leak = !self.aggregate(*arg) && param_leaks;
                    self.expr(*arg, leak);
                }
            }
            ExprKind::CallValue { callee, args } => {
                self.expr(*callee, false);
                for arg in args {
                    self.copied(*arg);
                }
            }
            ExprKind::InterfaceCall { receiver, args, .. } => {
                self.expr(*receiver, false);
                for arg in args {
                    self.copied(*arg);
                }
            }
            ExprKind::Composite { elems } => {
                if !leak {
                    self.copied_composites.push(id);
                }
                for (_, elem) in elems {
                    self.copied(*elem);
                }
            }
            ExprKind::SliceLit { elems, .. } => {
                for (_, elem) in elems {
                    self.copied(*elem);
                }
            }
            ExprKind::Append { slice, values, .. } => {
                self.expr(*slice, false);
                for value in values {
                    self.copied(*value);
                }
            }
            // A slice of an array points into it.
            ExprKind::SliceOf { base, lo, hi, max } => {
                self.expr(*base, true);
                for bound in [lo, hi, max].into_iter().flatten() {
                    self.expr(*bound, false);
                }
            }
            ExprKind::TypeAssert { value, .. } => self.expr(*value, false),
            ExprKind::MakeSlice { .. }
            | ExprKind::MakeMap { .. }
            | ExprKind::MakeChan { .. }
            | ExprKind::Recv { .. }
            | ExprKind::StringIndex { .. } => expr.kind.for_each_operand(|e| self.expr(e, false)),
            // The runtime and map storage may keep what they are given.
            ExprKind::Intrinsic { .. } | ExprKind::StdCall { .. } | ExprKind::MapLit { .. } | ExprKind::MapIndex { .. } => {
                expr.kind.for_each_operand(|e| self.expr(e, true))
            }
            ExprKind::Const(_) | ExprKind::Alloc(_) | ExprKind::Closure(_) | ExprKind::FuncValue(_) => {}
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The names of the locals escape analysis keeps on the stack.
    pub(crate) fn program_of(source: &str) -> hir::Program {
        let (file, errors) = g2n_syntax::parse_file(g2n_base::FileId(0), source);
        assert!(errors.is_empty(), "{errors:?}");
        let (program, errors) = g2n_sema::check(&file, g2n_sema::FreeVars::Forbidden);
        assert!(errors.is_empty(), "{errors:?}");
        program
    }

    fn stack_names(source: &str) -> Vec<String> {
        let program = program_of(source);
        let plan = plan(&program, false);
        let mut names: Vec<String> = plan.locals.iter().map(|l| program.local(*l).name.clone()).filter(|n| !n.is_empty()).collect();
        names.sort();
        names
    }

    #[test]
    fn pointers_to_functions_that_only_read_them_stay_on_the_stack() {
        let names = stack_names(
            "package main
            type V struct{ x, y int }
            var global *V
            func read(p *V) int { return p.x + p.y }
            func keep(p *V) { global = p }
            func relay(p *V) { keep(p) }
            func scale(p *V) { p.x *= 2 }
            func main() {
                a := V{1, 2}
                b := V{3, 4}
                c := V{5, 6}
                d := V{7, 8}
                scale(&a)
                relay(&b)
                println(read(&a), read(&c), d.x)
                e := &d
                println(e.x)
            }",
        );
        assert_eq!(names, ["a", "c"]);
    }

    #[test]
    fn returned_sliced_captured_and_big_values_live_on_the_heap() {
        let names = stack_names(
            "package main
            type V struct{ x, y int }
            func made() V { v := V{1, 2}; return v }
            func main() {
                arr := [4]int{1, 2, 3, 4}
                s := arr[1:]
                captured := V{}
                f := func() int { return captured.x }
                big := [1 << 12]int{}
                copied := made()
                println(s[0], f(), big[0], copied.x)
            }",
        );
        assert_eq!(names, ["copied"]);
    }
}
