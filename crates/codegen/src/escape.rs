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
//! - flows carry dereference levels, as in Go's escape analysis
//!   (cmd/compile/internal/escape, "derefs"): a store into a field or
//!   element of a struct or array local (`digs.d = buf[:]`) flows into that
//!   local's contents instead of leaking, a load passes its place on one
//!   dereference deeper, and what a copied aggregate holds goes where the
//!   copy's contents go. So `buf` leaks only if `digs`'s contents do
//!   (loaded into something kept, copied somewhere kept, passed to a
//!   parameter whose summary keeps what it points to) or `digs`'s storage
//!   does. A store through a pointer, or into a variable a closure
//!   captures, leaks its value, as Go's `*p = v` does; numbers and booleans
//!   carry no address;
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
    /// The final parameter summaries, for the functions placed late and
    /// for the build cache's entries (`lower/prekey.rs`).
    summaries: HashMap<FuncId, Vec<ParamSummary>>,
    /// Functions whose summaries were given ([`plan_with`]): not walked
    /// yet, so not placed until lowering asks ([`StackPlan::place_late`]).
    unplaced: HashSet<FuncId>,
    main_hops: bool,
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
/// carries (Go's "leaks to heap with derefs=k" and "leaks to result ~rN
/// level=0").
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ParamSummary {
    /// Kept past the call (stored, handed to the runtime, a goroutine...)
    /// after this many dereferences: 0 keeps the value itself, 1 only what
    /// it points to (`global = p.next` keeps `*p`'s contents, not `p`).
    /// An aggregate parameter's value is its contents (it is a copy).
    heap: Option<i32>,
    /// The results (bit `i` for result `i`) the value may be returned in:
    /// the argument leaks where the call's result does.
    results: u64,
}

impl ParamSummary {
    const HEAP: ParamSummary = ParamSummary { heap: Some(0), results: 0 };
}

/// Dereferences past this many are not told apart: a value reaching the
/// heap after more counts as reaching it after this many (more leaks, so
/// still sound). Without a bound, the summaries of a recursion that walks
/// a list (`f(p.next)`) would deepen by one each round and never settle.
const MAX_DEREFS: i32 = 4;

/// Results past this index are not tracked: a parameter returned in one
/// of them leaks.
const MAX_TRACKED_RESULTS: usize = 64;

/// Parameter summaries, by function.
type Summaries = RefCell<HashMap<FuncId, Vec<ParamSummary>>>;

#[cfg(test)]
pub(crate) fn plan(program: &hir::Program, main_hops: bool) -> StackPlan {
    plan_with(program, main_hops, HashMap::new())
}

/// The plan, given the final summaries of some functions (`known`: the
/// build cache's, of library functions, which depend on nothing but the
/// library's code). Those are neither walked for the summaries nor placed
/// until lowering asks for them ([`StackPlan::place_late`]): a warm build
/// walks the program's functions and the few library functions it has
/// no entry for, not the whole library (fannkuch: 18 of 69 ms of lowering).
/// The summaries come out the same as with none given: the rounds start
/// from every unknown summary leaking and only take leaks away, so they
/// settle on the same greatest fixed point whichever summaries are final
/// from the start; `G2N_CACHE_VERIFY` gives none and compares.
pub(crate) fn plan_with(program: &hir::Program, main_hops: bool, mut known: HashMap<FuncId, Vec<ParamSummary>>) -> StackPlan {
    let unplaced: HashSet<FuncId> = known.keys().copied().collect();
    // A body sema left unchecked is empty and never lowered: its walk
    // would find every parameter kept only if it escapes (sema's mark),
    // which is its summary without walking (most of a warm build's walks).
    let mut not_walked = unplaced.clone();
    for func in &program.unchecked {
        if !known.contains_key(func) && program.func(*func).body.stmts.is_empty() {
            let params = program.func(*func).params.iter();
            known.insert(*func, params.map(|p| if program.local(*p).escapes { ParamSummary::HEAP } else { ParamSummary { heap: None, results: 0 } }).collect());
            not_walked.insert(*func);
        }
    }
    // Behind a RefCell: the walks kept for the plan borrow it while later
    // walks add summaries.
    let summaries = RefCell::new(known);
    let walks = summarize(program, &summaries, &not_walked);
    let mut plan = StackPlan { main_hops, ..StackPlan::default() };
    for (index, walk) in walks.into_iter().enumerate() {
        if let Some(walk) = walk {
            plan.place(program, FuncId(index as u32), walk);
        }
    }
    plan.summaries = summaries.into_inner();
    plan.unplaced = unplaced;
    plan
}

impl StackPlan {
    /// The final summary of a function's parameters.
    pub(crate) fn summary(&self, func: FuncId) -> Option<&Vec<ParamSummary>> {
        self.summaries.get(&func)
    }

    /// Places a function whose summary was given, before lowering it: its
    /// walk with the final summaries, as [`plan_with`] places the others.
    pub(crate) fn place_late(&mut self, program: &hir::Program, func: FuncId) {
        if !self.unplaced.remove(&func) {
            return;
        }
        let summaries = RefCell::new(std::mem::take(&mut self.summaries));
        let mut walk = Walk::new(program, &summaries);
        walk.func(func);
        let walk = walk.into_plan_part();
        self.summaries = summaries.into_inner();
        self.place(program, func, walk);
    }
}

/// Each function's walk with the final parameter summaries (which
/// `summaries` holds after).
fn summarize<'p>(program: &'p hir::Program, summaries: &'p Summaries, known: &HashSet<FuncId>) -> Vec<Option<PlanPart>> {
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
    let mut walks: Vec<Option<PlanPart>> = (0..count).map(|_| None).collect();
    // The step of each function's last walk and of its summary's last change.
    let mut walked_at = vec![0usize; count];
    let mut changed_at = vec![0usize; count];
    let mut step = 0;
    loop {
        let mut changed = false;
        for index in 0..count {
            step += 1;
            if known.contains(&FuncId(index as u32)) {
                continue;
            }
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
            walks[index] = Some(walk.into_plan_part());
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

/// What a function's walk found that its placement needs.
#[derive(Default)]
struct PlanPart {
    /// The functions whose summaries the walk read.
    callees: Vec<FuncId>,
    /// Locals this function declares (parameters included).
    declared: Vec<LocalId>,
    /// Locals whose value reaches the heap, with the fewest dereferences
    /// it does with: -1 when their storage's address leaks (`&x` kept, an
    /// aggregate's address kept, captured by a closure that may be kept),
    /// 0 when their value does (an aggregate's contents), more when only
    /// what their value points to does.
    reach: HashMap<LocalId, i32>,
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

impl PlanPart {
    fn cell_leaked(&self, local: LocalId) -> bool {
        self.reach.get(&local).is_some_and(|derefs| *derefs < 0)
    }
}

impl Walk<'_> {
    fn into_plan_part(self) -> PlanPart {
        self.found
    }
}

impl StackPlan {
    /// What of one function lives in its frame, from its walk.
    fn place(&mut self, program: &hir::Program, id: FuncId, walk: PlanPart) {
        let plan = self;
        if program.main == Some(id) && plan.main_hops {
            return;
        }
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
                    && !walk.cell_leaked(*l)
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
}

/// The summaries of a function's parameters from its walk.
fn param_summaries(program: &hir::Program, id: FuncId, walk: &Walk) -> Vec<ParamSummary> {
    program
        .func(id)
        .params
        .iter()
        .map(|p| {
            if program.local(*p).escapes {
                ParamSummary::HEAP
            } else {
                // The parameter's own storage is a copy: its address leaking
                // keeps the caller's value, not the caller's storage.
                let heap = walk.found.reach.get(p).map(|derefs| (*derefs).max(0));
                ParamSummary { heap, results: walk.returned.get(p).copied().unwrap_or(0) }
            }
        })
        .collect()
}

/// Where the address an expression's value may carry goes, and after how
/// many dereferences (Go's escape analysis "holes" with their derefs): a
/// value `v` sent to a place with derefs `k` puts `*...*v` (`k` stars)
/// there; -1 is `&v`. An expression of struct or array type is the address
/// of its storage (`g2n-abi`), so copying its contents somewhere sends the
/// expression with one dereference more than the copy's destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leak {
    /// Nowhere: the value is used at once (read through, compared, copied
    /// from).
    No,
    /// Anywhere: it may be kept past the frame.
    Heap(i32),
    /// Into a local variable of this function that lives in registers (no
    /// address of it exists), or into the contents of a struct or array
    /// local of this function (`digs.d = buf[:]`): it leaks if that
    /// variable's value does.
    Into(LocalId, i32),
    /// Returned as the function's result with this index: a parameter
    /// that reaches it with no dereference leaks where the caller's result
    /// does ([`ParamSummary`]); anything else returned leaks.
    Result(u32, i32),
}

/// Kept as it is, anywhere.
const HEAP: Leak = Leak::Heap(0);

impl Leak {
    /// The place the value this one points to goes (a load through it, or
    /// the contents of the aggregate it is the address of).
    fn deref(self) -> Leak {
        match self {
            Leak::No => Leak::No,
            Leak::Heap(derefs) => Leak::Heap(derefs + 1),
            Leak::Into(local, derefs) => Leak::Into(local, derefs + 1),
            Leak::Result(index, derefs) => Leak::Result(index, derefs + 1),
        }
    }

    fn derefs(self) -> i32 {
        match self {
            Leak::No => i32::MAX,
            Leak::Heap(derefs) | Leak::Into(_, derefs) | Leak::Result(_, derefs) => derefs,
        }
    }

    /// The place what is stored at an address sent to this place goes
    /// (a literal's elements in its storage).
    fn stored(self) -> Leak {
        match self {
            Leak::No => Leak::No,
            Leak::Heap(derefs) => Leak::Heap(derefs - 1),
            Leak::Into(local, derefs) => Leak::Into(local, derefs - 1),
            Leak::Result(index, derefs) => Leak::Result(index, derefs - 1),
        }
    }

    /// Whether the expression's value itself (an address: of a composite,
    /// a call's result, a string's bytes) may be kept, not only what it
    /// points to.
    fn keeps_address(self) -> bool {
        self != Leak::No && self.derefs() <= 0
    }

    /// One place that covers both: the heap with the fewer dereferences
    /// when they differ (fewer dereferences keep more).
    fn join(self, other: Leak) -> Leak {
        match (self, other) {
            (Leak::No, other) | (other, Leak::No) => other,
            _ if self == other => self,
            _ => Leak::Heap(self.derefs().min(other.derefs())),
        }
    }
}

/// One walk over a function body.
struct Walk<'p> {
    program: &'p hir::Program,
    summaries: &'p RefCell<HashMap<FuncId, Vec<ParamSummary>>>,
    /// What the function's placement needs ([`StackPlan::place`]).
    found: PlanPart,
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
    /// For each register local and each aggregate local's contents, the
    /// locals whose value, after the given dereferences (-1: the
    /// storage's address), was assigned or stored to it: they leak when it
    /// does ([`Walk::finish`]).
    flows: HashMap<LocalId, Vec<(LocalId, i32)>>,
    /// The function's named results.
    results: Vec<LocalId>,
}

impl<'p> Walk<'p> {
    fn new(program: &'p hir::Program, summaries: &'p RefCell<HashMap<FuncId, Vec<ParamSummary>>>) -> Self {
        Walk {
            program,
            summaries,
            found: PlanPart::default(),
            returned: HashMap::new(),
            params: Vec::new(),
            loops: 0,
            has_goto: false,
            deferred_literals: HashSet::new(),
            follow_results: true,
            flows: HashMap::new(),
            results: Vec::new(),
        }
    }

    fn func(&mut self, id: FuncId) {
        let func = self.program.func(id);
        self.found.declared.extend(func.params.iter().copied());
        self.found.declared.extend(func.result_locals.iter().copied());
        self.results = func.result_locals.clone();
        self.params = func.params.clone();
        self.has_goto = has_goto(&func.body);
        // A named result's value at any `return` is returned (a bare
        // `return` reads it without an expression to walk).
        for (index, result) in func.result_locals.clone().into_iter().enumerate() {
            if self.flow_target(result) {
                self.reaches(result, 0, Leak::Result(index as u32, 0));
            } else if self.program.types.is_aggregate(self.program.local(result).ty) {
                // Its contents are copied into the caller's destination.
                self.reaches(result, 0, HEAP);
            }
        }
        if self.program.main == Some(id) {
            // Package-level initializers run in main's function, and what
            // they produce is stored in globals.
            for (_, init) in &self.program.global_inits {
                if let Some(init) = init {
                    self.expr(*init, HEAP);
                }
            }
        }
        self.block(&func.body);
        self.finish();
    }

    /// A local's value (with `derefs` -1, its storage's address) reaches a
    /// position that keeps it as `leak` says: `leak`'s dereferences are
    /// added to `derefs`.
    fn reaches(&mut self, local: LocalId, derefs: i32, leak: Leak) {
        match leak {
            Leak::No => {}
            Leak::Heap(more) => self.reach_heap(local, derefs + more),
            Leak::Into(target, more) => self.flows.entry(target).or_default().push((local, derefs + more)),
            Leak::Result(index, more) => {
                if derefs + more == 0 && self.may_return(local) && (index as usize) < MAX_TRACKED_RESULTS {
                    *self.returned.entry(local).or_default() |= 1 << index;
                } else {
                    self.reach_heap(local, derefs + more);
                }
            }
        }
    }

    /// A local's value reaches the heap after `derefs` dereferences
    /// (what flowed into it is followed in [`Walk::finish`]).
    fn reach_heap(&mut self, local: LocalId, derefs: i32) {
        let derefs = derefs.min(MAX_DEREFS);
        let known = self.found.reach.entry(local).or_insert(derefs);
        *known = (*known).min(derefs);
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

    /// Whether what is stored in a local's storage may be followed as a
    /// flow into its contents instead of a leak: a struct or array variable
    /// of this function that no closure captures (a closure's body is
    /// walked apart, and would not see the stores of its caller's walk).
    fn holds_contents(&self, local: LocalId) -> bool {
        let l = self.program.local(local);
        matches!(l.kind, LocalKind::Var | LocalKind::Param) && !l.escapes && self.program.types.is_aggregate(l.ty)
    }

    /// Where a store through `addr` puts its value: into the contents of a
    /// local's storage when `addr` is inside it (a field or array element
    /// of a struct or array local: `digs.d = ...`, `a[i].p = ...`), else
    /// anywhere (through a pointer, as Go's escape analysis treats `*p = v`).
    fn store_place(&self, addr: ExprId) -> Leak {
        let expr = self.program.expr(addr);
        match &expr.kind {
            ExprKind::Local(local) | ExprKind::AddrOfLocal(local) if self.holds_contents(*local) => Leak::Into(*local, 0),
            ExprKind::AggregateAddr(inner) | ExprKind::FieldAddr { base: inner, .. } => self.store_place(*inner),
            // An element of an array (a pointer to it), not of a slice.
            ExprKind::IndexAddr { base, .. } if !matches!(self.program.types.under(self.program.expr(*base).ty), TypeKind::Slice(_)) => {
                self.store_place(*base)
            }
            // A struct or array loaded is its address.
            ExprKind::Load(inner) if self.aggregate(addr) => self.store_place(*inner),
            _ => HEAP,
        }
    }

    /// An assignment of `value` to a local.
    fn assign(&mut self, local: LocalId, value: ExprId) {
        if self.deferred_literals.contains(&local)
            && let ExprKind::Closure(func) = self.program.expr(value).kind
        {
            // Only called, by the deferred call, before the frame dies.
            self.closure(value, func, Leak::No);
        } else if self.flow_target(local) {
            self.expr(value, Leak::Into(local, 0));
        } else if self.holds_contents(local) {
            // The value's contents are copied into the local's.
            self.expr(value, Leak::Into(local, 1));
        } else {
            self.copied(value);
        }
    }

    /// What flowed into a local is returned where it is returned, and
    /// leaks when its value does, to a fixed point: a source that flowed in
    /// with `d` dereferences reaches the heap with `d` more than its
    /// target does. A target whose storage's address leaks (-1) is on the
    /// heap, whose reading it sees its value: its sources are followed
    /// from 0, as Go's escape analysis does.
    fn finish(&mut self) {
        let mut pending: Vec<LocalId> = self.returned.keys().copied().collect();
        while let Some(local) = pending.pop() {
            let Some(&bits) = self.returned.get(&local) else { continue };
            let Some(sources) = self.flows.get(&local).cloned() else { continue };
            for (source, derefs) in sources {
                if derefs == 0 && self.may_return(source) {
                    let before = self.returned.get(&source).copied().unwrap_or(0);
                    if before | bits != before {
                        self.returned.insert(source, before | bits);
                        pending.push(source);
                    }
                } else {
                    // The storage (or an aggregate) itself is returned, what
                    // a value points to, or a value the callers cannot follow.
                    self.reach_heap(source, derefs);
                }
            }
        }
        let mut pending: Vec<LocalId> = self.found.reach.keys().copied().collect();
        while let Some(local) = pending.pop() {
            let base = self.found.reach[&local].max(0);
            let Some(sources) = self.flows.get(&local) else { continue };
            for &(source, derefs) in sources {
                let reached = (base + derefs).min(MAX_DEREFS);
                if self.found.reach.get(&source).is_none_or(|known| reached < *known) {
                    self.found.reach.insert(source, reached);
                    pending.push(source);
                }
            }
        }
    }

    fn aggregate(&self, expr: ExprId) -> bool {
        self.program.types.is_aggregate(self.program.expr(expr).ty)
    }

    /// A value that is copied where it may be kept: an aggregate's contents
    /// are copied (what they point to leaks, not the aggregate's storage),
    /// any other value is kept as it is (so a pointer leaks).
    fn copied(&mut self, expr: ExprId) {
        self.expr(expr, self.copy_of(expr, HEAP));
    }

    /// The place for an expression whose value is copied to `place`: an
    /// aggregate's contents are.
    fn copy_of(&self, expr: ExprId, place: Leak) -> Leak {
        if self.aggregate(expr) { place.deref() } else { place }
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
                self.found.declared.push(*local);
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
                        .map(|(index, ty)| if self.program.types.is_aggregate(*ty) { Leak::No } else { Leak::Result(index as u32, 0) })
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
                // A struct or array's contents are copied into the caller's
                // destination, which may be kept anywhere.
                for (index, value) in values.iter().enumerate() {
                    let place = if self.aggregate(*value) { HEAP.deref() } else { Leak::Result(index as u32, 0) };
                    self.expr(*value, place);
                }
            }
            StmtKind::AssignTuple { locals, value } => {
                self.found.declared.extend(locals.iter().flatten().copied());
                if let ExprKind::Call { func, args } = &self.program.expr(*value).kind {
                    // Each result lands in its local: a parameter returned
                    // in it flows there.
                    let leaks: Vec<Leak> = locals
                        .iter()
                        .map(|local| match local {
                            None => Leak::No,
                            Some(local) if self.flow_target(*local) => Leak::Into(*local, 0),
                            // The callee's returned contents leaked there.
                            Some(local) if self.program.types.is_aggregate(self.program.local(*local).ty) => Leak::No,
                            Some(_) => HEAP,
                        })
                        .collect();
                    self.call_results(*value, Leak::No);
                    self.call(*func, args, &leaks);
                } else {
                    self.expr(*value, Leak::No);
                }
            }
            StmtKind::Store { addr, value } => {
                let place = if self_slice(self.program, *addr, *value) { Leak::No } else { self.store_place(*addr) };
                self.expr(*addr, Leak::No);
                self.expr(*value, self.copy_of(*value, place));
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
                    self.expr(*thunk, HEAP);
                }
            }
            StmtKind::Defer { thunk } | StmtKind::Go { thunk } => self.expr(*thunk, HEAP),
            StmtKind::MapAssign { map, key, value } => {
                self.expr(*map, Leak::No);
                self.expr(*key, HEAP);
                self.expr(*value, HEAP);
            }
            StmtKind::RangeMap { map, key, value, body } => {
                self.found.declared.extend(key.iter().chain(value.iter()).copied());
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
                self.expr(*value, HEAP);
            }
            StmtKind::Select { cases, default } => {
                for case in cases {
                    self.expr(case.chan, Leak::No);
                    if let Some(send) = case.send {
                        self.expr(send, HEAP);
                    }
                    self.found.declared.extend(case.recv_value.iter().chain(case.recv_ok.iter()).copied());
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
                if leak.keeps_address() {
                    self.found.kept_rune_strings.insert(id);
                } else {
                    self.found.read_rune_strings.push(id);
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
            self.found.kept_closures.insert(id);
            for capture in captures {
                self.reach_heap(*capture, -1);
            }
            return;
        }
        self.found.called_closures.push(id);
        let mut body = Walk::new(self.program, self.summaries);
        body.follow_results = false;
        body.func(func);
        self.found.callees.extend(body.found.callees);
        for capture in captures {
            if let Some(derefs) = body.found.reach.get(capture) {
                self.reach_heap(*capture, *derefs);
            }
        }
    }

    /// A call of a declared function whose results go where `results`
    /// says (one entry: every result goes there). An argument leaks as its
    /// parameter's summary says: kept, returned in a result that leaks, or
    /// not at all.
    fn call(&mut self, func: FuncId, args: &[ExprId], results: &[Leak]) {
        self.found.callees.push(func);
        for (index, arg) in args.iter().enumerate() {
            let param = self.summaries.borrow().get(&func).and_then(|s| s.get(index)).copied().unwrap_or(ParamSummary::HEAP);
            let kept = param.heap.map_or(Leak::No, Leak::Heap);
            // Parameters are copied on entry (`lower_plain_function`): an
            // aggregate's contents go where the parameter's value does.
            let leak = if self.aggregate(*arg) {
                kept.deref()
            } else {
                let mut leak = kept;
                for (result, result_leak) in results.iter().enumerate() {
                    let returned = results.len() == 1 || (result < MAX_TRACKED_RESULTS && param.results & (1 << result) != 0);
                    if param.results == 0 || !returned {
                        continue;
                    }
                    // Several places: the heap with the fewest dereferences.
                    leak = leak.join(*result_leak);
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
            self.expr(id, HEAP);
        }
    }

    /// A call's struct and array results, which it writes where its caller
    /// says: in a stack slot when they are only copied from.
    fn call_results(&mut self, id: ExprId, leak: Leak) {
        if aggregate_result_sizes(self.program, id).is_empty() {
            return;
        }
        if leak.keeps_address() {
            self.found.kept_results.insert(id);
        } else {
            self.found.copied_results.push(id);
        }
    }

    /// `leak`: whether the address this expression's value may carry can be
    /// kept beyond the expression's immediate use.
    fn expr(&mut self, id: ExprId, leak: Leak) {
        let expr = self.program.expr(id);
        // A number or a boolean carries no address wherever it goes (as
        // Go's escape analysis ignores values of types without pointers):
        // loading one through a pointer keeps nothing the pointer reaches.
        let types = &self.program.types;
        let leak = if types.is_numeric(expr.ty) || types.is_boolean(expr.ty) { Leak::No } else { leak };
        if matches!(expr.kind, ExprKind::Call { .. } | ExprKind::CallValue { .. } | ExprKind::InterfaceCall { .. }) {
            self.call_results(id, leak);
        }
        match &expr.kind {
            // A struct or array local's value is its storage's address.
            ExprKind::Local(local) => self.reaches(*local, if self.aggregate(id) { -1 } else { 0 }, leak),
            ExprKind::AddrOfLocal(local) => self.reaches(*local, -1, leak),
            // The same address, or one inside the same storage.
            ExprKind::AggregateAddr(inner) | ExprKind::FieldAddr { base: inner, .. } => self.expr(*inner, leak),
            ExprKind::Convert(inner) => self.convert(id, *inner, leak),
            ExprKind::TupleField { tuple, .. } => self.expr(*tuple, leak),
            ExprKind::IndexAddr { base, index } => {
                self.expr(*base, leak);
                self.expr(*index, Leak::No);
            }
            // Loading an aggregate gives its address; anything else is
            // read: what the address points to goes where the value does.
            ExprKind::Load(addr) => {
                let leak = if self.aggregate(id) { leak } else { leak.deref() };
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
            // A literal only copied from is built in the frame, and its
            // elements go where its contents do; one kept may be anywhere.
            ExprKind::Composite { elems } => {
                let contents = if leak.keeps_address() {
                    HEAP
                } else {
                    self.found.copied_composites.push(id);
                    leak.stored()
                };
                for (_, elem) in elems {
                    self.expr(*elem, self.copy_of(*elem, contents));
                }
            }
            ExprKind::SliceLit { elems, .. } => {
                for (_, elem) in elems {
                    self.copied(*elem);
                }
            }
            // `append(s, t...)` copies what `t` holds, not `t` (a string's
            // bytes, or a slice's elements), into an array that may be kept.
            // The result may be the slice's own array (enough capacity).
            ExprKind::Append { slice, values, spread } => {
                self.expr(*slice, leak);
                for value in values {
                    if *spread { self.expr(*value, HEAP.deref()) } else { self.copied(*value) }
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
            // `copy(dst, src)` copies src's elements into dst's array, which
            // may be kept anywhere.
            ExprKind::Intrinsic { which: Intrinsic::Copy, args } => {
                for (index, arg) in args.iter().enumerate() {
                    self.expr(*arg, if index == 1 { HEAP.deref() } else { Leak::No });
                }
            }
            // Builtins that only read their operands while they run.
            ExprKind::Intrinsic { which, args } if reads_only(*which) => {
                for arg in args {
                    self.expr(*arg, Leak::No);
                }
            }
            // The runtime and map storage may keep what they are given.
            ExprKind::Intrinsic { .. } | ExprKind::StdCall { .. } => expr.kind.for_each_operand(|e| self.runtime_operand(e)),
            ExprKind::MapLit { .. } | ExprKind::MapIndex { .. } => expr.kind.for_each_operand(|e| self.expr(e, HEAP)),
            ExprKind::Closure(func) => self.closure(id, *func, leak),
            ExprKind::Const(_) | ExprKind::Alloc(_) | ExprKind::FuncValue(_) => {}
        }
    }
}

/// Whether a store is `p.f = p.f[i:j]` through the same pointer variable:
/// the field keeps pointing into the array it pointed into, so the store
/// keeps nothing new (Go's escape analysis ignores such self-assignments,
/// `isSliceSelfAssign`; strconv's `d.d = d.d[n:]`).
fn self_slice(program: &hir::Program, addr: ExprId, value: ExprId) -> bool {
    let field = |expr: ExprId| match program.expr(expr).kind {
        ExprKind::FieldAddr { base, offset } => match program.expr(base).kind {
            ExprKind::Local(local) if !program.types.is_aggregate(program.local(local).ty) => Some((local, offset)),
            _ => None,
        },
        _ => None,
    };
    let ExprKind::SliceOf { base, .. } = program.expr(value).kind else { return false };
    let ExprKind::Load(loaded) = program.expr(base).kind else { return false };
    field(addr).is_some_and(|stored| field(loaded) == Some(stored))
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
            | Intrinsic::DecodeRune
            | Intrinsic::Complex
            | Intrinsic::Real
            | Intrinsic::Imag
    )
}

#[cfg(test)]
pub(crate) mod tests;
