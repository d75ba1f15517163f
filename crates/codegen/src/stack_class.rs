//! Which goroutines can run on a small stack: the class a `go` statement
//! passes to the runtime (`g2n_go` or `g2n_go_bounded`; docs/goroutines.md,
//! "Stacks").
//!
//! g2n cannot grow a stack, so a goroutine's stack is reserved at its full
//! size (256 MiB) when it is made. Thousands of such reservations put each
//! stack's hot top on page-table pages of its own, and a page walk to a
//! parked goroutine's top misses the caches. A goroutine whose calls are
//! bounded needs far less: its thunk's static call graph, through the
//! program's and the library's Go functions, has no cycle and no call whose
//! target codegen cannot name. Such a goroutine gets a small stack (1 MiB,
//! `crates/runtime/src/stack.rs`), next to the others.
//!
//! The analysis is conservative: a call through a function value or an
//! interface method, a call of a runtime-implemented library function
//! (`StdCall`: the runtime may call back into Go code, as `sort` or `fmt`
//! do), a runtime intrinsic that may run Go code (printing a value calls its
//! `String` or `Error` method; `panic` prints its value), `defer` and
//! `recover`, and a hop all make a goroutine deep. So do frames whose
//! estimated sum along the deepest path exceeds [`FRAME_BUDGET`].

use g2n_sema::hir::{self, ExprId, ExprKind, FuncId, Intrinsic, StmtKind};
use std::collections::HashMap;

/// The most the estimated frames of a bounded goroutine's Go calls may take:
/// half of the runtime's small stack (1 MiB), the rest left to the
/// runtime's own code those calls reach (the collector, a panic's report).
const FRAME_BUDGET: u64 = 512 * 1024;
/// An estimate of one function's frame that no frame exceeds: escape
/// analysis keeps at most 16 KiB of values in a frame (`escape.rs`), plus
/// the saved registers and outgoing arguments.
const FRAME_BASE: u64 = 16 * 1024 + 1024;
/// Added per expression of the function: room to spill every value it
/// computes (a large function has a large frame).
const FRAME_PER_EXPR: u64 = 32;

/// The depth, in estimated frame bytes, of the calls each function can make
/// (its own frame included), or `None` when it is not bounded.
#[derive(Default)]
pub(crate) struct StackClasses {
    depths: HashMap<FuncId, Visit>,
}

#[derive(Clone, Copy)]
enum Visit {
    /// On the path being explored: reaching it again is a cycle.
    InProgress,
    Done(Option<u64>),
}

impl StackClasses {
    /// Whether the goroutine a `go` statement starts with `thunk` (the
    /// closure of its call, hir's `StmtKind::Go`) is bounded.
    pub(crate) fn bounded_thunk(&mut self, program: &hir::Program, thunk: ExprId) -> bool {
        match program.expr(thunk).kind {
            ExprKind::Closure(func) => self.depth(program, func).is_some(),
            _ => false,
        }
    }

    fn depth(&mut self, program: &hir::Program, func: FuncId) -> Option<u64> {
        match self.depths.get(&func) {
            Some(Visit::InProgress) => return None,
            Some(Visit::Done(depth)) => return *depth,
            None => {}
        }
        self.depths.insert(func, Visit::InProgress);
        let depth = self.explore(program, func);
        self.depths.insert(func, Visit::Done(depth));
        depth
    }

    /// `func`'s own frame estimate plus its deepest callee's.
    fn explore(&mut self, program: &hir::Program, func: FuncId) -> Option<u64> {
        let f = program.func(func);
        if f.has_defer || program.unbound.contains_key(&func) {
            return None;
        }
        let mut roots = Vec::new();
        let mut bounded = true;
        hir::walk_stmts(&f.body.stmts, &mut |stmt| match &stmt.kind {
            StmtKind::Define { value, .. } => roots.extend(value),
            StmtKind::Assign { value, .. } | StmtKind::AssignTuple { value, .. } | StmtKind::Expr(value) => roots.push(*value),
            StmtKind::If { cond, .. } => roots.push(*cond),
            StmtKind::Loop { cond, .. } => roots.extend(cond),
            StmtKind::Return(values) => roots.extend(values),
            StmtKind::Store { addr, value } => roots.extend([*addr, *value]),
            StmtKind::MapAssign { map, key, value } => roots.extend([*map, *key, *value]),
            StmtKind::RangeMap { map, .. } => roots.push(*map),
            StmtKind::Switch { clauses } => clauses.iter().for_each(|c| roots.extend(&c.conds)),
            StmtKind::Send { chan, value } => roots.extend([*chan, *value]),
            StmtKind::Select { cases, .. } => cases.iter().for_each(|c| roots.extend(std::iter::once(c.chan).chain(c.send))),
            // The new goroutine's calls run on its own stack; the closure
            // object is made here.
            StmtKind::Go { thunk } => roots.push(*thunk),
            StmtKind::Defer { .. } | StmtKind::GoToNetwork { .. } => bounded = false,
            StmtKind::Break(_) | StmtKind::Continue(_) | StmtKind::Goto(_) | StmtKind::Labeled { .. } | StmtKind::Block(_) => {}
        });
        if !bounded {
            return None;
        }
        let mut exprs = 0u64;
        let mut deepest = 0u64;
        while let Some(id) = roots.pop() {
            exprs += 1;
            let kind = &program.expr(id).kind;
            match kind {
                ExprKind::Call { func: callee, .. } => deepest = deepest.max(self.depth(program, *callee)?),
                ExprKind::CallValue { .. } | ExprKind::InterfaceCall { .. } | ExprKind::StdCall { .. } => return None,
                ExprKind::Intrinsic { which, .. } if !runs_no_go_code(*which) => return None,
                _ => {}
            }
            kind.for_each_operand(|operand| roots.push(operand));
        }
        let depth = FRAME_BASE + exprs * FRAME_PER_EXPR + deepest;
        (depth <= FRAME_BUDGET).then_some(depth)
    }
}

/// Intrinsics whose runtime code calls no Go code and recurses boundedly.
/// Printing (a value's `String` or `Error` method), `panic` (its value is
/// printed) and `recover` (only meaningful with `defer`) are left out.
fn runs_no_go_code(which: Intrinsic) -> bool {
    match which {
        Intrinsic::StringLen
        | Intrinsic::SliceLen
        | Intrinsic::SliceCap
        | Intrinsic::Copy
        | Intrinsic::DecodeRune
        | Intrinsic::MapLen
        | Intrinsic::MapDelete
        | Intrinsic::MapKeys
        | Intrinsic::MapValues
        | Intrinsic::CheckInterfaceNotNil
        | Intrinsic::ChanClose
        | Intrinsic::ChanLen
        | Intrinsic::ChanCap
        | Intrinsic::Complex
        | Intrinsic::Real
        | Intrinsic::Imag
        | Intrinsic::UnsafeSlice => true,
        Intrinsic::FmtPrintf
        | Intrinsic::FmtPrintln
        | Intrinsic::FmtPrint
        | Intrinsic::Print
        | Intrinsic::Println
        | Intrinsic::Panic
        | Intrinsic::Recover => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For each `go` statement of the program, in source order, whether it
    /// starts a bounded goroutine.
    fn classes(source: &str) -> Vec<bool> {
        let program = crate::escape::tests::program_of(source);
        let mut classes = StackClasses::default();
        let mut found = Vec::new();
        for func in &program.funcs {
            hir::walk_stmts(&func.body.stmts, &mut |stmt| {
                if let StmtKind::Go { thunk } = stmt.kind {
                    found.push((stmt.span.start, thunk));
                }
            });
        }
        found.sort_by_key(|&(start, _)| start);
        found.into_iter().map(|(_, thunk)| classes.bounded_thunk(&program, thunk)).collect()
    }

    #[test]
    fn a_chain_of_plain_calls_is_bounded() {
        let got = classes(
            "package main
            func generate(ch chan<- int) {
                for i := 2; ; i++ {
                    ch <- i
                }
            }
            func keep(i, prime int) bool { return i%prime != 0 }
            func filter(in <-chan int, out chan<- int, prime int) {
                for {
                    i := <-in
                    if keep(i, prime) {
                        out <- i
                    }
                }
            }
            func main() {
                ch := make(chan int)
                go generate(ch)
                out := make(chan int)
                go filter(ch, out, <-ch)
                println(<-out)
            }",
        );
        assert_eq!(got, vec![true, true]);
    }

    #[test]
    fn recursion_and_calls_it_cannot_follow_are_deep() {
        let got = classes(
            "package main
            type Shape interface{ Area() int }
            type Square struct{ side int }
            func (s Square) Area() int { return s.side * s.side }
            func fact(n int) int {
                if n == 0 {
                    return 1
                }
                return n * fact(n-1)
            }
            func even(n int) bool {
                if n == 0 {
                    return true
                }
                return odd(n - 1)
            }
            func odd(n int) bool {
                if n == 0 {
                    return false
                }
                return even(n - 1)
            }
            func viaFact(n int) int { return fact(n) }
            func area(s Shape) int { return s.Area() }
            func apply(f func(int) int, n int) int { return f(n) }
            func loud(n int) { panic(n) }
            func deferring() { defer println(1) }
            func main() {
                go fact(3)
                go even(3)
                go viaFact(3)
                go area(Square{2})
                go apply(fact, 3)
                go loud(1)
                go deferring()
                go func() { println(fact(3)) }()
            }",
        );
        assert_eq!(got, vec![false; 8]);
    }

    #[test]
    fn a_bounded_function_called_twice_is_no_cycle() {
        let got = classes(
            "package main
            func leaf(n int) int { return n + 1 }
            func twice(n int) int { return leaf(leaf(n)) }
            func both(n int) int { return twice(n) + leaf(n) }
            func main() {
                go both(1)
                go both(2)
            }",
        );
        assert_eq!(got, vec![true, true]);
    }

    #[test]
    fn frames_past_the_budget_are_deep() {
        // Each level's frame is estimated at FRAME_BASE or more: a chain of
        // 40 calls goes past FRAME_BUDGET without any recursion.
        let mut source = String::from("package main\nfunc f0(n int) int { return n }\n");
        for level in 1..40 {
            source.push_str(&format!("func f{level}(n int) int {{ return f{}(n) + 1 }}\n", level - 1));
        }
        source.push_str("func main() {\n go f39(1)\n go f10(1)\n}\n");
        assert_eq!(classes(&source), vec![false, true]);
    }
}
