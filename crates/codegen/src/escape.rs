//! Escape analysis: which struct and array values may live in their
//! function's stack frame instead of the collected heap.
//!
//! Codegen keeps every struct or array value by address (`g2n-abi`), so a
//! local of such a type needs storage, and so does every composite literal.
//! Go semantics only require heap storage when the address can outlive the
//! frame; this pass proves, conservatively, that it cannot:
//!
//! - an address *leaks* when it may be kept past an immediate copy: returned
//!   (a pointer; a struct or array result is copied into the caller's
//!   destination, lower/calls.rs), stored in memory (a variable in memory
//!   included), sliced into a slice that leaks (slices leak as pointers do),
//!   boxed as a pointer, handed to the runtime, to a function value or to a
//!   goroutine;
//! - a call's struct or array result is written where its caller says: in
//!   a stack slot of the caller when it is only copied from
//!   ([`StackPlan::results`]), as a composite literal only copied is built
//!   in one;
//! - assigned to a variable kept in registers (no pointer to it exists, no
//!   closure captures it), an address leaks only if that variable's value
//!   does (`q := p[i:]; use(q)`): the walk records the assignment and
//!   follows the leaks through such variables to a fixed point at the end
//!   of the function ([`Walk::finish`]);
//! - reading through an address (a load, a field or element address used
//!   for a load or store, a comparison) and copying the value it points to
//!   (assignment, argument passing, boxing, composite elements) does not
//!   leak it: those copy before anything else can run;
//! - a pointer passed to a declared function leaks only if that function's
//!   parameter leaks, found by iterating to a fixed point over all functions
//!   (pessimistic start: a function whose summary is not known yet leaks
//!   every parameter, so a pointer passed into recursion, direct or mutual,
//!   always leaks; a callee declared later is known from the second round
//!   on). A method's receiver is its first parameter, so `b.Grow(n)`
//!   on a local `b` leaks `&b` only if `Grow` keeps its receiver;
//! - a parameter the function only returns (Go's "leaks to result ~r0
//!   level=0") is summarised by the results it may be returned in: the
//!   argument leaks where the call's result does (`AppendInt(buf[:0], ..)`
//!   discarded keeps `buf` in the frame). A named result is a register
//!   local that is returned; `a, b := f()` follows each result to its
//!   local. A returned aggregate or storage address leaks (the frame dies);
//!   a function literal's returns leak (its callers are not followed);
//! - a `uintptr` is a number, as in Go's escape analysis (cmd/compile's
//!   `unsafeValue`): converting a pointer to `uintptr` does not leak it,
//!   except inside the one expression `unsafe.Pointer(uintptr(p) + off)`
//!   (and `unsafe.Add`), whose result is `p` again. So the `noescape` idiom
//!   (`x := uintptr(p); return unsafe.Pointer(x ^ 0)`, strings.Builder's
//!   `copyCheck`) hides `p` exactly as it does from Go's compiler; a program
//!   that keeps a stack address in a `uintptr` past that breaks Go's rules
//!   for `unsafe.Pointer` as it would under Go. Operands of runtime calls
//!   are the exception: `uintptr(unsafe.Pointer(&x))` handed to the runtime
//!   still leaks `x`, as Go's `//go:uintptrescapes` does for syscalls;
//! - strings carry an address too: `string(r)` of an integer that is only
//!   read (compared, indexed, passed to a function whose parameter does not
//!   leak) is encoded in a 4-byte stack buffer, as Go's `intstring` with
//!   its `tmpBuf` does (strings.IndexRune calls `Index(s, string(r))`).
//!
//! - a function literal's closure object holds the addresses of what it
//!   captures: where the closure may be kept, they leak; where it is only
//!   called (directly, or through a parameter that does not leak, as
//!   `sort.Search(n, func(i int) bool { return a[i] >= x })`), the object
//!   lives in the frame and a captured variable leaks only if the
//!   literal's body leaks it. Captured variables (and scalars whose address
//!   is taken) are `escapes` in the HIR: they live in memory, in the frame
//!   when nothing leaks them.
//!
//! - a `defer` that runs at most once per call (outside loops, no `goto`)
//!   keeps its closure, the temporaries holding its call's operands and a
//!   deferred literal in the frame: they are only called, before the frame
//!   dies (on return, or in the landing a panic jumps to, which runs in
//!   the same frame: crates/runtime/src/defer.rs).
//!
//! The `main` of a program that hops keeps heap cells (its scope travels,
//! its deferred closures too: docs/split.md).

use g2n_sema::hir::{self, BinaryOp, ExprId, ExprKind, FuncId, Intrinsic, LocalId, LocalKind, StmtKind};
use g2n_sema::types::TypeKind;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// A value bigger than this stays on the heap: goroutine stacks are reserved
/// at a fixed size (256 MiB, `crates/runtime/src/stack.rs`) rather than grown
/// like Go's, so deep recursion of large frames must not exhaust them first.
pub(crate) const MAX_STACK_VALUE: u64 = 2048;
/// The most stack storage one function's frame gets this way.
const MAX_STACK_FRAME: u64 = 16 * 1024;
/// The stack buffer of one `string(r)`: the longest UTF-8 encoding.
const RUNE_BUFFER: u64 = 4;

/// What codegen may place in stack slots.
#[derive(Debug, Default)]
pub(crate) struct StackPlan {
    /// Struct and array locals whose storage is a stack slot of their
    /// function.
    pub locals: HashSet<LocalId>,
    /// Composite literals that are only copied: built in a stack slot.
    pub composites: HashSet<ExprId>,
    /// `string(r)` conversions of an integer whose result is only read:
    /// encoded in a stack buffer.
    pub rune_strings: HashSet<ExprId>,
    /// Function literals whose closure object cannot outlive the
    /// expression's use (called, or passed to a parameter that does not
    /// leak): built in a stack slot.
    pub closures: HashSet<ExprId>,
    /// Calls whose struct or array results are only copied: the caller
    /// passes stack slots as their destinations (lower/calls.rs).
    pub results: HashSet<ExprId>,
}

/// Where a declared function's parameter may send the address its value
/// carries (Go's "leaks to heap" and "leaks to result ~rN level=0").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ParamSummary {
    /// Kept past the call: stored, handed to the runtime, a goroutine...
    heap: bool,
    /// The results (bit `i` for result `i`) the value may be returned in:
    /// the argument leaks where the call's result does.
    results: u64,
}

impl ParamSummary {
    const HEAP: ParamSummary = ParamSummary { heap: true, results: 0 };
}

/// Results past this index are not tracked: a parameter returned in one
/// of them leaks.
const MAX_TRACKED_RESULTS: usize = 64;

/// Parameter summaries, by function.
type Summaries = RefCell<HashMap<FuncId, Vec<ParamSummary>>>;

pub(crate) fn plan(program: &hir::Program, main_hops: bool) -> StackPlan {
    // Behind a RefCell: the walks kept for the plan borrow it while later
    // walks add summaries.
    let summaries = Summaries::default();
    let walks = summarize(program, &summaries);
    place(program, main_hops, walks)
}

/// Each function's walk with the final parameter summaries (which
/// `summaries` holds after).
fn summarize<'p>(program: &'p hir::Program, summaries: &'p Summaries) -> Vec<Option<Walk<'p>>> {
    // Parameter summaries first: iterate until no parameter newly leaks,
    // in rounds over every function in order. A function's walk depends on
    // nothing but the summaries of the functions it calls (its function
    // literals' bodies, walked in its walk, included), so in a later round
    // one whose callees' summaries have not changed since its last walk is
    // not walked again: its walk would be the same. This visits the same
    // summaries in the same order as walking every function every round
    // (missing summaries leak, so the order matters), and each function's
    // last walk is what a walk with the final summaries gives, kept for
    // the plan below instead of walking everything once more.
    let count = program.funcs.len();
    let mut walks: Vec<Option<Walk>> = (0..count).map(|_| None).collect();
    // The step of each function's last walk and of its summary's last change.
    let mut walked_at = vec![0usize; count];
    let mut changed_at = vec![0usize; count];
    let mut step = 0;
    loop {
        let mut changed = false;
        for index in 0..count {
            step += 1;
            let stale = walks[index]
                .as_ref()
                .is_none_or(|last| last.callees.iter().any(|callee| changed_at[callee.0 as usize] >= walked_at[index]));
            if !stale {
                continue;
            }
            let id = FuncId(index as u32);
            let mut walk = Walk::new(program, summaries);
            walk.func(id);
            let leaks = param_summaries(program, id, &walk);
            walked_at[index] = step;
            walks[index] = Some(walk);
            let mut summaries = summaries.borrow_mut();
            if summaries.get(&id) != Some(&leaks) {
                summaries.insert(id, leaks);
                changed_at[index] = step;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    walks
}

/// What lives in frames, from each function's walk.
fn place(program: &hir::Program, main_hops: bool, walks: Vec<Option<Walk>>) -> StackPlan {
    let mut plan = StackPlan::default();
    for (index, walk) in walks.into_iter().enumerate() {
        let id = FuncId(index as u32);
        if program.main == Some(id) && main_hops {
            continue;
        }
        let Some(walk) = walk else { continue };
        let func = program.func(id);
        let results: HashSet<LocalId> = func.result_locals.iter().copied().collect();
        let mut candidates: Vec<LocalId> = walk
            .declared
            .iter()
            .copied()
            .filter(|l| {
                let local = program.local(*l);
                // A local that escapes (its address is taken, or a closure
                // captures it) lives in memory: in the frame too when the
                // walk saw every way its address can leave (`&x`, and the
                // closures that capture it).
                matches!(local.kind, LocalKind::Var | LocalKind::Param)
                    && (local.escapes || program.types.is_aggregate(local.ty))
                    && !walk.cell_leaked.contains(l)
                    && (!program.types.is_aggregate(local.ty) || !walk.leaked.contains(l))
                    // A named struct or array result is copied into the
                    // caller's destination when the function returns.
                    && (!results.contains(l) || program.types.is_aggregate(local.ty))
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
        // An expression the walk saw in a leaking position too (HIR may
        // share one expression between two uses) stays on the heap.
        for expr in walk.read_rune_strings {
            if !walk.kept_rune_strings.contains(&expr) && frame + RUNE_BUFFER <= MAX_STACK_FRAME {
                frame += RUNE_BUFFER;
                plan.rune_strings.insert(expr);
            }
        }
        for expr in walk.called_closures {
            let size = closure_size(program, expr);
            if !walk.kept_closures.contains(&expr) && frame + size <= MAX_STACK_FRAME {
                frame += size;
                plan.closures.insert(expr);
            }
        }
        // Each such call gets slots of its own; a result bigger than
        // MAX_STACK_VALUE goes to the heap, as a local that size would.
        for expr in walk.copied_results {
            let sizes = aggregate_result_sizes(program, expr);
            let size: u64 = sizes.iter().sum();
            if !walk.kept_results.contains(&expr) && sizes.iter().all(|s| *s <= MAX_STACK_VALUE) && frame + size <= MAX_STACK_FRAME {
                frame += size;
                plan.results.insert(expr);
            }
        }
    }
    plan
}

/// The summaries of a function's parameters from its walk.
fn param_summaries(program: &hir::Program, id: FuncId, walk: &Walk) -> Vec<ParamSummary> {
    program
        .func(id)
        .params
        .iter()
        .map(|p| {
            if walk.leaked.contains(p) || program.local(*p).escapes {
                ParamSummary::HEAP
            } else {
                ParamSummary { heap: false, results: walk.returned.get(p).copied().unwrap_or(0) }
            }
        })
        .collect()
}

/// Where the address an expression's value may carry goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leak {
    /// Nowhere: the value is used at once (read through, compared, copied
    /// from).
    No,
    /// Anywhere: it may be kept past the frame.
    Heap,
    /// Into a local variable of this function that lives in registers (no
    /// address of it exists): it leaks if that variable's value does.
    Into(LocalId),
    /// Returned as the function's result with this index: a parameter
    /// that reaches it leaks where the caller's result does
    /// ([`ParamSummary`]); anything else returned leaks.
    Result(u32),
}

/// One walk over a function body.
struct Walk<'p> {
    program: &'p hir::Program,
    summaries: &'p RefCell<HashMap<FuncId, Vec<ParamSummary>>>,
    /// The functions whose summaries the walk read.
    callees: Vec<FuncId>,
    /// Locals this function declares (parameters included).
    declared: Vec<LocalId>,
    /// Locals whose address (or, for a pointer, whose value) leaks.
    leaked: HashSet<LocalId>,
    /// For parameters and register locals, the results (bit `i` for result
    /// `i`) their value may be returned in.
    returned: HashMap<LocalId, u64>,
    /// The function's parameters (their values may be returned without
    /// leaking: [`ParamSummary`]).
    params: Vec<LocalId>,
    /// Loops around the statement being walked.
    loops: u32,
    /// Whether the function has a `goto` (a statement may then run more
    /// than once outside any loop).
    has_goto: bool,
    /// The temporaries holding a function literal that a `defer` kept in
    /// the frame calls (`defer func() { ... }()`).
    deferred_literals: HashSet<LocalId>,
    /// Whether a returned value is a result of a declared function, which
    /// its callers follow. A function literal's body is walked in its
    /// caller's walk, and what it returns leaks.
    follow_results: bool,
    /// Locals whose storage's address leaks: `&x` kept, or captured by a
    /// closure that may be kept. (A scalar's value leaking, in `leaked`,
    /// says nothing of where it was stored; an aggregate's value is its
    /// address.)
    cell_leaked: HashSet<LocalId>,
    /// For each register local, the locals whose value (`false`) or
    /// storage's address (`true`) was assigned to it: they leak when it
    /// does ([`Walk::finish`]).
    flows: HashMap<LocalId, Vec<(LocalId, bool)>>,
    /// The function's named results.
    results: Vec<LocalId>,
    /// Composite literals seen only in copying positions.
    copied_composites: Vec<ExprId>,
    /// `string(r)` conversions seen where their result is only read, and
    /// those seen where it may be kept.
    read_rune_strings: Vec<ExprId>,
    kept_rune_strings: HashSet<ExprId>,
    /// Function literals seen where their closure object is only called,
    /// and those seen where it may be kept.
    called_closures: Vec<ExprId>,
    kept_closures: HashSet<ExprId>,
    /// Calls with struct or array results seen where those are only copied
    /// from, and those seen where their address may be kept.
    copied_results: Vec<ExprId>,
    kept_results: HashSet<ExprId>,
}

impl<'p> Walk<'p> {
    fn new(program: &'p hir::Program, summaries: &'p RefCell<HashMap<FuncId, Vec<ParamSummary>>>) -> Self {
        Walk {
            program,
            summaries,
            callees: Vec::new(),
            declared: Vec::new(),
            leaked: HashSet::new(),
            returned: HashMap::new(),
            params: Vec::new(),
            loops: 0,
            has_goto: false,
            deferred_literals: HashSet::new(),
            follow_results: true,
            cell_leaked: HashSet::new(),
            flows: HashMap::new(),
            results: Vec::new(),
            copied_composites: Vec::new(),
            read_rune_strings: Vec::new(),
            kept_rune_strings: HashSet::new(),
            called_closures: Vec::new(),
            kept_closures: HashSet::new(),
            copied_results: Vec::new(),
            kept_results: HashSet::new(),
        }
    }

    fn func(&mut self, id: FuncId) {
        let func = self.program.func(id);
        self.declared.extend(func.params.iter().copied());
        self.declared.extend(func.result_locals.iter().copied());
        self.results = func.result_locals.clone();
        self.params = func.params.clone();
        self.has_goto = has_goto(&func.body);
        // A named result's value at any `return` is returned (a bare
        // `return` reads it without an expression to walk).
        for (index, result) in func.result_locals.clone().into_iter().enumerate() {
            if self.flow_target(result) {
                self.reaches(result, false, Leak::Result(index as u32));
            }
        }
        if self.program.main == Some(id) {
            // Package-level initializers run in main's function, and what
            // they produce is stored in globals.
            for (_, init) in &self.program.global_inits {
                if let Some(init) = init {
                    self.expr(*init, Leak::Heap);
                }
            }
        }
        self.block(&func.body);
        self.finish();
    }

    /// A local's value (or with `cell`, its storage's address) reaches a
    /// position that keeps it as `leak` says.
    fn reaches(&mut self, local: LocalId, cell: bool, leak: Leak) {
        match leak {
            Leak::No => {}
            Leak::Heap => {
                self.leaked.insert(local);
                if cell {
                    self.cell_leaked.insert(local);
                }
            }
            Leak::Into(target) => self.flows.entry(target).or_default().push((local, cell)),
            Leak::Result(index) => {
                if !cell && self.may_return(local) && (index as usize) < MAX_TRACKED_RESULTS {
                    *self.returned.entry(local).or_default() |= 1 << index;
                } else {
                    self.reaches(local, cell, Leak::Heap);
                }
            }
        }
    }

    /// Whether a local's value may be returned without leaking: a
    /// parameter or register local of a declared function, not an
    /// aggregate (whose value is its storage's address).
    fn may_return(&self, local: LocalId) -> bool {
        self.follow_results
            && !self.program.types.is_aggregate(self.program.local(local).ty)
            && (self.flow_target(local) || (self.params.contains(&local) && !self.program.local(local).escapes))
    }

    /// Whether an assignment to `local` may be followed as a flow instead
    /// of a leak: a variable of this function kept in registers (no
    /// pointer to it exists, no closure captures it) and not an aggregate
    /// (those are copied into their storage). A named result is one when
    /// its function's results are followed: it is returned
    /// ([`Walk::func`]); in a function literal's body it is not.
    fn flow_target(&self, local: LocalId) -> bool {
        let l = self.program.local(local);
        matches!(l.kind, LocalKind::Var | LocalKind::Param)
            && !l.escapes
            && !self.program.types.is_aggregate(l.ty)
            && (self.follow_results || !self.results.contains(&local))
    }

    /// An assignment of `value` to a local.
    fn assign(&mut self, local: LocalId, value: ExprId) {
        if self.deferred_literals.contains(&local)
            && let ExprKind::Closure(func) = self.program.expr(value).kind
        {
            // Only called, by the deferred call, before the frame dies.
            self.closure(value, func, Leak::No);
        } else if self.flow_target(local) {
            self.expr(value, Leak::Into(local));
        } else {
            self.copied(value);
        }
    }

    /// What flowed into a register local leaks when its value does, and is
    /// returned where it is returned, to a fixed point.
    fn finish(&mut self) {
        let leaked: Vec<LocalId> = self.leaked.iter().copied().collect();
        for local in leaked {
            self.leak_sources(local);
        }
        let mut pending: Vec<LocalId> = self.returned.keys().copied().collect();
        while let Some(local) = pending.pop() {
            let Some(&bits) = self.returned.get(&local) else { continue };
            // A local that leaked has no flows left: its sources leaked.
            let Some(sources) = self.flows.get(&local).cloned() else { continue };
            for (source, cell) in sources {
                if self.leaked.contains(&source) {
                    continue;
                }
                if !cell && self.may_return(source) {
                    let before = self.returned.get(&source).copied().unwrap_or(0);
                    if before | bits != before {
                        self.returned.insert(source, before | bits);
                        pending.push(source);
                    }
                } else {
                    // The storage (or an aggregate) itself is returned, or
                    // a value the callers cannot follow.
                    if cell {
                        self.cell_leaked.insert(source);
                    }
                    self.leaked.insert(source);
                    self.leak_sources(source);
                }
            }
        }
    }

    /// `local` leaked: what flowed into it leaks too, to a fixed point.
    fn leak_sources(&mut self, local: LocalId) {
        let mut pending = vec![local];
        while let Some(local) = pending.pop() {
            let Some(sources) = self.flows.remove(&local) else { continue };
            for (source, cell) in sources {
                if cell {
                    self.cell_leaked.insert(source);
                }
                if self.leaked.insert(source) {
                    pending.push(source);
                }
            }
        }
    }

    fn aggregate(&self, expr: ExprId) -> bool {
        self.program.types.is_aggregate(self.program.expr(expr).ty)
    }

    /// A value that is copied where it lands: an aggregate's bytes are
    /// copied, any other value is kept as it is (so a pointer leaks).
    fn copied(&mut self, expr: ExprId) {
        let leak = if self.aggregate(expr) { Leak::No } else { Leak::Heap };
        self.expr(expr, leak);
    }

    fn block(&mut self, block: &hir::Block) {
        if self.loops == 0 && !self.has_goto {
            // `defer func() { ... }()`: sema evaluates the literal into a
            // temporary (just before the `defer`, in the same block) that
            // the deferred call only calls.
            for stmt in &block.stmts {
                if let StmtKind::Defer { thunk } = stmt.kind
                    && let Some(temp) = deferred_callee(self.program, thunk)
                {
                    self.deferred_literals.insert(temp);
                }
            }
        }
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &hir::Stmt) {
        match &stmt.kind {
            StmtKind::Define { local, value } => {
                self.declared.push(*local);
                if let Some(value) = value {
                    self.assign(*local, *value);
                }
            }
            StmtKind::Assign { local, value } => self.assign(*local, *value),
            StmtKind::Expr(e) => self.expr(*e, Leak::No),
            StmtKind::If { cond, then, els } => {
                self.expr(*cond, Leak::No);
                self.block(then);
                if let Some(els) = els {
                    self.block(els);
                }
            }
            StmtKind::Loop { cond, body, post } => {
                self.loops += 1;
                if let Some(cond) = cond {
                    self.expr(*cond, Leak::No);
                }
                self.block(body);
                if let Some(post) = post {
                    self.stmt(post);
                }
                self.loops -= 1;
            }
            StmtKind::Break(_) | StmtKind::Continue(_) | StmtKind::Goto(_) | StmtKind::GoToNetwork { .. } => {}
            StmtKind::Labeled { stmt, .. } => self.stmt(stmt),
            StmtKind::Block(block) => self.block(block),
            StmtKind::Return(values) => {
                // Struct and array results are copied into the caller's
                // destination (sret); anything else is returned: a
                // parameter that reaches result `i` leaks where the
                // caller's result `i` does ([`ParamSummary`]). `return f()`
                // of several results returns f's result `i` as result `i`.
                if let [value] = values.as_slice()
                    && let TypeKind::Tuple(elems) = self.program.types.under(self.program.expr(*value).ty)
                {
                    let leaks: Vec<Leak> = elems
                        .iter()
                        .enumerate()
                        .map(|(index, ty)| if self.program.types.is_aggregate(*ty) { Leak::No } else { Leak::Result(index as u32) })
                        .collect();
                    if let ExprKind::Call { func, args } = &self.program.expr(*value).kind {
                        self.call_results(*value, Leak::No);
                        self.call(*func, args, &leaks);
                    } else {
                        // A call through a value or an interface: its
                        // arguments are kept whatever the results do.
                        self.expr(*value, Leak::No);
                    }
                    return;
                }
                for (index, value) in values.iter().enumerate() {
                    self.expr(*value, if self.aggregate(*value) { Leak::No } else { Leak::Result(index as u32) });
                }
            }
            StmtKind::AssignTuple { locals, value } => {
                self.declared.extend(locals.iter().flatten().copied());
                if let ExprKind::Call { func, args } = &self.program.expr(*value).kind {
                    // Each result lands in its local: a parameter returned
                    // in it flows there.
                    let leaks: Vec<Leak> = locals
                        .iter()
                        .map(|local| match local {
                            None => Leak::No,
                            Some(local) if self.flow_target(*local) => Leak::Into(*local),
                            Some(local) if self.program.types.is_aggregate(self.program.local(*local).ty) => Leak::No,
                            Some(_) => Leak::Heap,
                        })
                        .collect();
                    self.call_results(*value, Leak::No);
                    self.call(*func, args, &leaks);
                } else {
                    self.expr(*value, Leak::No);
                }
            }
            StmtKind::Store { addr, value } => {
                self.expr(*addr, Leak::No);
                self.copied(*value);
            }
            // A `defer` that runs at most once per call of its function
            // (outside loops, no `goto`) keeps its record in the frame, as
            // Go's open-coded defers: the closure object and the
            // temporaries it captures live until the function returns,
            // and its deferred calls run before that, on return or in the
            // frame's landing after a panic (crates/runtime/src/defer.rs).
            // A `main` whose deferred calls travel is not planned at all.
            StmtKind::Defer { thunk } if self.loops == 0 && !self.has_goto => {
                if let ExprKind::Closure(func) = self.program.expr(*thunk).kind {
                    self.closure(*thunk, func, Leak::No);
                } else {
                    self.expr(*thunk, Leak::Heap);
                }
            }
            StmtKind::Defer { thunk } | StmtKind::Go { thunk } => self.expr(*thunk, Leak::Heap),
            StmtKind::MapAssign { map, key, value } => {
                self.expr(*map, Leak::No);
                self.expr(*key, Leak::Heap);
                self.expr(*value, Leak::Heap);
            }
            StmtKind::RangeMap { map, key, value, body } => {
                self.declared.extend(key.iter().chain(value.iter()).copied());
                self.expr(*map, Leak::No);
                self.loops += 1;
                self.block(body);
                self.loops -= 1;
            }
            StmtKind::Switch { clauses } => {
                for clause in clauses {
                    for cond in &clause.conds {
                        self.expr(*cond, Leak::No);
                    }
                    self.block(&clause.body);
                }
            }
            StmtKind::Send { chan, value } => {
                self.expr(*chan, Leak::No);
                self.expr(*value, Leak::Heap);
            }
            StmtKind::Select { cases, default } => {
                for case in cases {
                    self.expr(case.chan, Leak::No);
                    if let Some(send) = case.send {
                        self.expr(send, Leak::Heap);
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

    /// A conversion. Pointer conversions give the same address; a pointer
    /// made a `uintptr` is a number unless it is turned straight back into
    /// a pointer ([`Walk::unsafe_value`]); `string(r)` of an integer makes
    /// a new string, which may go on the stack when it is only read.
    fn convert(&mut self, id: ExprId, inner: ExprId, leak: Leak) {
        let types = &self.program.types;
        let (from_ty, to_ty) = (self.program.expr(inner).ty, self.program.expr(id).ty);
        match (types.under(from_ty), types.under(to_ty)) {
            (_, TypeKind::Uintptr) => self.expr(inner, Leak::No),
            (TypeKind::Uintptr, TypeKind::UnsafePointer) => self.unsafe_value(inner, leak),
            // The runtime copies the bytes or runes (`g2n_slice_to_string`,
            // `g2n_string_to_slice`).
            (TypeKind::Slice(_), TypeKind::String) | (TypeKind::String, TypeKind::Slice(_)) => self.expr(inner, Leak::No),
            (_, TypeKind::String) if types.is_integer(from_ty) => {
                if leak != Leak::No {
                    self.kept_rune_strings.insert(id);
                } else {
                    self.read_rune_strings.push(id);
                }
                self.expr(inner, Leak::No);
            }
            _ => self.expr(inner, leak),
        }
    }

    /// The `uintptr` operand of a conversion to `unsafe.Pointer`: the
    /// pointers converted to `uintptr` inside the same arithmetic flow to
    /// the result (`unsafe.Pointer(uintptr(p) + off)` is `p` moved); a
    /// `uintptr` read from a variable or from memory carries nothing, as in
    /// Go's escape analysis.
    fn unsafe_value(&mut self, id: ExprId, leak: Leak) {
        let types = &self.program.types;
        match &self.program.expr(id).kind {
            ExprKind::Convert(inner) => {
                let from = types.under(self.program.expr(*inner).ty);
                let pointer = matches!(from, TypeKind::UnsafePointer | TypeKind::Pointer(_));
                self.expr(*inner, if pointer { leak } else { Leak::No });
            }
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::Add
                | BinaryOp::Sub
                | BinaryOp::Or
                | BinaryOp::Xor
                | BinaryOp::Mul
                | BinaryOp::Div
                | BinaryOp::Rem
                | BinaryOp::And
                | BinaryOp::AndNot => {
                    self.unsafe_value(*lhs, leak);
                    self.unsafe_value(*rhs, leak);
                }
                BinaryOp::Shl | BinaryOp::Shr => {
                    self.unsafe_value(*lhs, leak);
                    self.expr(*rhs, Leak::No);
                }
                _ => self.expr(id, Leak::No),
            },
            _ => self.expr(id, Leak::No),
        }
    }

    /// A function literal. Its closure object holds the addresses of the
    /// variables it captures: a closure that may be kept leaks them all. One
    /// that is only called (directly, or by a callee whose parameter does
    /// not leak, as `sort.Search` calls its `f`) leaks a captured variable
    /// only if its body does, found by walking the body here (literals
    /// nested in it are walked in turn, and capture what they capture).
    fn closure(&mut self, id: ExprId, func: FuncId, leak: Leak) {
        let captures = self.program.func(func).captures.as_deref().unwrap_or_default();
        if leak != Leak::No {
            self.kept_closures.insert(id);
            self.leaked.extend(captures.iter().copied());
            self.cell_leaked.extend(captures.iter().copied());
            return;
        }
        self.called_closures.push(id);
        let mut body = Walk::new(self.program, self.summaries);
        body.follow_results = false;
        body.func(func);
        self.callees.extend(body.callees);
        self.leaked.extend(captures.iter().copied().filter(|c| body.leaked.contains(c)));
        self.cell_leaked.extend(captures.iter().copied().filter(|c| body.cell_leaked.contains(c)));
    }

    /// A call of a declared function whose results go where `results`
    /// says (one entry: every result goes there). An argument leaks as its
    /// parameter's summary says: kept, returned in a result that leaks, or
    /// not at all.
    fn call(&mut self, func: FuncId, args: &[ExprId], results: &[Leak]) {
        self.callees.push(func);
        for (index, arg) in args.iter().enumerate() {
            let param = self.summaries.borrow().get(&func).and_then(|s| s.get(index)).copied().unwrap_or(ParamSummary::HEAP);
            // Parameters are copied on entry (`lower_plain_function`).
            let leak = if self.aggregate(*arg) {
                Leak::No
            } else if param.heap {
                Leak::Heap
            } else {
                let mut leak = Leak::No;
                for (result, result_leak) in results.iter().enumerate() {
                    let returned = results.len() == 1 || (result < MAX_TRACKED_RESULTS && param.results & (1 << result) != 0);
                    if param.results == 0 || !returned || *result_leak == Leak::No {
                        continue;
                    }
                    // Two different places: not followed.
                    leak = if leak == Leak::No || leak == *result_leak { *result_leak } else { Leak::Heap };
                }
                leak
            };
            self.expr(*arg, leak);
        }
    }

    /// An operand of a runtime call: kept, and a pointer made a `uintptr`
    /// for the call (a syscall's buffer) counts as the pointer.
    fn runtime_operand(&mut self, id: ExprId) {
        if let ExprKind::Convert(inner) = self.program.expr(id).kind
            && matches!(self.program.types.under(self.program.expr(id).ty), TypeKind::Uintptr)
        {
            self.runtime_operand(inner);
        } else {
            self.expr(id, Leak::Heap);
        }
    }

    /// A call's struct and array results, which it writes where its caller
    /// says: in a stack slot when they are only copied from.
    fn call_results(&mut self, id: ExprId, leak: Leak) {
        if aggregate_result_sizes(self.program, id).is_empty() {
            return;
        }
        if leak == Leak::No {
            self.copied_results.push(id);
        } else {
            self.kept_results.insert(id);
        }
    }

    /// `leak`: whether the address this expression's value may carry can be
    /// kept beyond the expression's immediate use.
    fn expr(&mut self, id: ExprId, leak: Leak) {
        let expr = self.program.expr(id);
        if matches!(expr.kind, ExprKind::Call { .. } | ExprKind::CallValue { .. } | ExprKind::InterfaceCall { .. }) {
            self.call_results(id, leak);
        }
        match &expr.kind {
            ExprKind::Local(local) => self.reaches(*local, false, leak),
            ExprKind::AddrOfLocal(local) => self.reaches(*local, true, leak),
            // The same address, or one inside the same storage.
            ExprKind::AggregateAddr(inner) | ExprKind::FieldAddr { base: inner, .. } => self.expr(*inner, leak),
            ExprKind::Convert(inner) => self.convert(id, *inner, leak),
            ExprKind::TupleField { tuple, .. } => self.expr(*tuple, leak),
            ExprKind::IndexAddr { base, index } => {
                self.expr(*base, leak);
                self.expr(*index, Leak::No);
            }
            // Loading an aggregate gives its address; anything else is read.
            ExprKind::Load(addr) => {
                let leak = if self.aggregate(id) { leak } else { Leak::No };
                self.expr(*addr, leak)
            }
            // A comparison or arithmetic keeps nothing. A concatenation
            // copies both strings today, but a runtime that returned an
            // operand when the other is empty (as Go's does for heap
            // strings) would pass its address on: it is treated as that.
            ExprKind::Binary { op: BinaryOp::Add, lhs, rhs } if self.program.types.is_string(expr.ty) => {
                self.expr(*lhs, leak);
                self.expr(*rhs, leak);
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(*lhs, Leak::No);
                self.expr(*rhs, Leak::No);
            }
            ExprKind::Unary { operand, .. } => self.expr(*operand, Leak::No),
            ExprKind::ToInterface(inner) => self.copied(*inner),
            ExprKind::Call { func, args } => self.call(*func, args, &[leak]),
            ExprKind::CallValue { callee, args } => {
                self.expr(*callee, Leak::No);
                for arg in args {
                    self.copied(*arg);
                }
            }
            ExprKind::InterfaceCall { receiver, args, .. } => {
                self.expr(*receiver, Leak::No);
                for arg in args {
                    self.copied(*arg);
                }
            }
            ExprKind::Composite { elems } => {
                if leak == Leak::No {
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
            // `append(s, t...)` copies what `t` holds, not `t` (a string's
            // bytes, or a slice's elements: any address among them leaked
            // when it was stored there).
            // The result may be the slice's own array (enough capacity).
            ExprKind::Append { slice, values, spread } => {
                self.expr(*slice, leak);
                for value in values {
                    if *spread { self.expr(*value, Leak::No) } else { self.copied(*value) }
                }
            }
            // A slice of an array points into it: the array leaks where the
            // slice does (a slice, like a pointer, leaks wherever it may be
            // kept: stored, returned, appended to, passed to a parameter
            // that leaks).
            ExprKind::SliceOf { base, lo, hi, max } => {
                self.expr(*base, leak);
                for bound in [lo, hi, max].into_iter().flatten() {
                    self.expr(*bound, Leak::No);
                }
            }
            ExprKind::TypeAssert { value, .. } => self.expr(*value, Leak::No),
            ExprKind::MakeSlice { .. }
            | ExprKind::MakeMap { .. }
            | ExprKind::MakeChan { .. }
            | ExprKind::Recv { .. }
            | ExprKind::StringIndex { .. } => expr.kind.for_each_operand(|e| self.expr(e, Leak::No)),
            // Builtins that only read their operands while they run.
            ExprKind::Intrinsic { which, args } if reads_only(*which) => {
                for arg in args {
                    self.expr(*arg, Leak::No);
                }
            }
            // The runtime and map storage may keep what they are given.
            ExprKind::Intrinsic { .. } | ExprKind::StdCall { .. } => expr.kind.for_each_operand(|e| self.runtime_operand(e)),
            ExprKind::MapLit { .. } | ExprKind::MapIndex { .. } => expr.kind.for_each_operand(|e| self.expr(e, Leak::Heap)),
            ExprKind::Closure(func) => self.closure(id, *func, leak),
            ExprKind::Const(_) | ExprKind::Alloc(_) | ExprKind::FuncValue(_) => {}
        }
    }
}

/// The temporary a `defer`'s closure only calls, when its deferred call is
/// a call of a function value held in one of its temporaries.
fn deferred_callee(program: &hir::Program, thunk: ExprId) -> Option<LocalId> {
    let ExprKind::Closure(func) = program.expr(thunk).kind else { return None };
    let func = program.func(func);
    let [stmt] = func.body.stmts.as_slice() else { return None };
    let StmtKind::Expr(call) = stmt.kind else { return None };
    let ExprKind::CallValue { callee, args } = &program.expr(call).kind else { return None };
    let ExprKind::Local(temp) = program.expr(*callee).kind else { return None };
    let captured = func.captures.as_ref().is_some_and(|c| c.contains(&temp));
    let passed = args.iter().any(|a| matches!(program.expr(*a).kind, ExprKind::Local(l) if l == temp));
    (captured && !passed && program.local(temp).name.is_empty()).then_some(temp)
}

/// Whether a block has a `goto`, at any depth (function literals' bodies
/// are functions of their own).
fn has_goto(block: &hir::Block) -> bool {
    let mut found = false;
    hir::walk_stmts(&block.stmts, &mut |stmt| found |= matches!(stmt.kind, StmtKind::Goto(_)));
    found
}

/// The bytes of a function literal's closure object: the function, then a
/// pointer to each captured variable's storage.
fn closure_size(program: &hir::Program, expr: ExprId) -> u64 {
    let captures = match program.expr(expr).kind {
        ExprKind::Closure(func) => program.func(func).captures.as_ref().map_or(0, Vec::len),
        _ => 0,
    };
    8 * (captures as u64 + 1)
}

/// The sizes of the struct and array results of call `expr` (of each
/// element of its tuple when it has several results).
fn aggregate_result_sizes(program: &hir::Program, expr: ExprId) -> Vec<u64> {
    let types = &program.types;
    let ty = program.expr(expr).ty;
    let results = match types.under(ty) {
        TypeKind::Tuple(elems) => elems.clone(),
        _ => vec![ty],
    };
    results.into_iter().filter(|t| types.is_aggregate(*t)).map(|t| types.layout(t).size).collect()
}

/// Builtins that read their operands and keep none of them: a string or
/// slice passed to `len` or copied from by `copy` may live on the stack.
fn reads_only(which: Intrinsic) -> bool {
    matches!(
        which,
        Intrinsic::StringLen
            | Intrinsic::SliceLen
            | Intrinsic::SliceCap
            | Intrinsic::MapLen
            | Intrinsic::ChanLen
            | Intrinsic::ChanCap
            | Intrinsic::Copy
            | Intrinsic::DecodeRune
            | Intrinsic::Complex
            | Intrinsic::Real
            | Intrinsic::Imag
    )
}

#[cfg(test)]
pub(crate) mod tests;
