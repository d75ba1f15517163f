//! Package-level variables of library packages that nothing reads, whose
//! initialisers codegen need not run: a program that imports strings pays
//! for the unicode tables strings uses, not for `unicode.Categories` and
//! the two hundred tables only such maps refer to.
//!
//! A variable qualifies when it is declared in a library package (not the
//! program, whose variables may travel between nanoservices), its
//! initialiser cannot be observed (literals, constants, other variables,
//! conversions: no call, no operation that can panic), and nothing that can
//! run refers to it: the functions reachable from the program's own
//! functions, function literals (codegen compiles each), library methods
//! (reachable through interfaces), `init`s and the initialisers that run,
//! through calls and function values. Its storage stays (zeroed); skipping
//! it changes nothing a program can see, as Go's linker drops unreachable
//! statically initialised variables.

use g2n_sema::hir::{self, BinaryOp, ExprId, ExprKind, FuncId, LocalId, Program, StmtKind};
use g2n_sema::types::TypeKind;
use std::collections::{HashMap, HashSet};

/// The variables whose initialisers codegen skips.
pub(crate) fn unread_library_globals(program: &Program) -> HashSet<LocalId> {
    let library = g2n_sema::stdlib();
    let globals: HashSet<LocalId> = program.global_inits.iter().map(|(local, _)| *local).collect();
    // The candidates' initialisers, with every expression each one holds.
    let mut candidates: HashMap<LocalId, Vec<ExprId>> = HashMap::new();
    for (local, value) in &program.global_inits {
        let Some(value) = value else { continue };
        if library.package_of(program.local(*local).span.file).is_none() {
            continue;
        }
        if let Some(exprs) = unobservable_tree(program, *value) {
            candidates.insert(*local, exprs);
        }
    }
    let owned: HashSet<ExprId> = candidates.values().flatten().copied().collect();
    // Roots: the program's own functions (and the variables they read),
    // function literals (codegen compiles every one in a unit with hops,
    // where closures arrive; elsewhere the library's only when reached, so
    // counting them all is safe), library methods (reachable through
    // interfaces), and the initialisers that run.
    let mut kept: HashSet<LocalId> = globals.iter().filter(|g| !candidates.contains_key(g)).copied().collect();
    let mut reached: HashSet<FuncId> = HashSet::new();
    let mut funcs: Vec<FuncId> = Vec::new();
    for (index, func) in program.funcs.iter().enumerate() {
        if func.captures.is_some() || library.package_of(func.span.file).is_none() {
            funcs.push(FuncId(index as u32));
        }
    }
    for named in &program.types.named {
        funcs.extend(named.methods.iter().map(|m| FuncId(m.func)));
    }
    for methods in program.types.struct_methods.values() {
        funcs.extend(methods.iter().map(|m| FuncId(m.func)));
    }
    funcs.extend(program.inits.iter().copied());
    funcs.extend(program.main);
    let mut vars: Vec<LocalId> = kept.iter().copied().collect();
    for (_, value) in &program.global_inits {
        if let Some(value) = value
            && !owned.contains(value)
        {
            references(program, &[*value], &globals, &mut vars, &mut funcs);
        }
    }
    loop {
        if let Some(func) = funcs.pop() {
            if !reached.insert(func) {
                continue;
            }
            let Some(body) = program.funcs.get(func.0 as usize).map(|f| &f.body) else { continue };
            let mut roots = Vec::new();
            hir::walk_stmts(&body.stmts, &mut |stmt| {
                statement_operands(stmt, &mut roots);
                match &stmt.kind {
                    StmtKind::Define { local, .. } | StmtKind::Assign { local, .. } => vars.push(*local),
                    StmtKind::AssignTuple { locals, .. } => vars.extend(locals.iter().flatten().copied()),
                    _ => {}
                }
            });
            references(program, &roots, &globals, &mut vars, &mut funcs);
        } else if let Some(var) = vars.pop() {
            if !globals.contains(&var) {
                continue;
            }
            let first = kept.insert(var);
            if let Some(exprs) = candidates.get(&var).filter(|_| first) {
                references(program, &exprs[..1], &globals, &mut vars, &mut funcs);
            }
        } else {
            break;
        }
    }
    candidates.into_keys().filter(|local| !kept.contains(local)).collect()
}

/// The globals and functions the expression trees at `roots` refer to.
fn references(program: &Program, roots: &[ExprId], globals: &HashSet<LocalId>, vars: &mut Vec<LocalId>, funcs: &mut Vec<FuncId>) {
    let mut stack = roots.to_vec();
    while let Some(id) = stack.pop() {
        let kind = &program.expr(id).kind;
        match kind {
            ExprKind::Local(local) | ExprKind::AddrOfLocal(local) if globals.contains(local) => vars.push(*local),
            ExprKind::Call { func, .. } | ExprKind::FuncValue(func) | ExprKind::Closure(func) => funcs.push(*func),
            _ => {}
        }
        kind.for_each_operand(|operand| stack.push(operand));
    }
}

/// The expressions a statement evaluates itself (not those of the blocks
/// nested in it, which `walk_stmts` visits).
fn statement_operands(stmt: &hir::Stmt, out: &mut Vec<ExprId>) {
    match &stmt.kind {
        StmtKind::Define { value, .. } => out.extend(value.iter().copied()),
        StmtKind::Assign { value, .. } | StmtKind::Expr(value) | StmtKind::AssignTuple { value, .. } => out.push(*value),
        StmtKind::If { cond, .. } => out.push(*cond),
        StmtKind::Loop { cond, .. } => out.extend(cond.iter().copied()),
        StmtKind::Return(values) => out.extend(values.iter().copied()),
        StmtKind::Store { addr, value } => out.extend([*addr, *value]),
        StmtKind::Defer { thunk } | StmtKind::Go { thunk } => out.push(*thunk),
        StmtKind::MapAssign { map, key, value } => out.extend([*map, *key, *value]),
        StmtKind::RangeMap { map, .. } => out.push(*map),
        StmtKind::Switch { clauses } => clauses.iter().for_each(|c| out.extend(c.conds.iter().copied())),
        StmtKind::Send { chan, value } => out.extend([*chan, *value]),
        StmtKind::Select { cases, .. } => cases.iter().for_each(|c| {
            out.push(c.chan);
            out.extend(c.send.iter().copied());
        }),
        StmtKind::Break(_)
        | StmtKind::Continue(_)
        | StmtKind::Goto(_)
        | StmtKind::Labeled { .. }
        | StmtKind::Block(_)
        | StmtKind::GoToNetwork { .. } => {}
    }
}

/// Every expression of the tree at `root` when evaluating it cannot be
/// observed (no call, no panic, no effect but allocation); `None` otherwise.
fn unobservable_tree(program: &Program, root: ExprId) -> Option<Vec<ExprId>> {
    let mut exprs = Vec::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        let expr = program.expr(id);
        let allowed = match &expr.kind {
            ExprKind::Const(_)
            | ExprKind::Local(_)
            | ExprKind::AddrOfLocal(_)
            | ExprKind::Composite { .. }
            | ExprKind::SliceLit { .. }
            | ExprKind::AggregateAddr(_)
            | ExprKind::Alloc(_)
            | ExprKind::ToInterface(_)
            | ExprKind::FuncValue(_)
            | ExprKind::Unary { .. } => true,
            // A map literal whose keys are interfaces may panic on an
            // unhashable dynamic key.
            ExprKind::MapLit { .. } => match program.types.under(expr.ty) {
                TypeKind::Map(key, _) => !program.types.is_interface(*key),
                _ => false,
            },
            // Numeric and string conversions; a slice converted to an array
            // pointer is checked for length.
            ExprKind::Convert(_) => !matches!(program.types.under(expr.ty), TypeKind::Pointer(_)),
            // Division and shifts can panic.
            ExprKind::Binary { op, .. } => !matches!(op, BinaryOp::Div | BinaryOp::Rem | BinaryOp::Shl | BinaryOp::Shr),
            _ => false,
        };
        if !allowed {
            return None;
        }
        exprs.push(id);
        expr.kind.for_each_operand(|operand| stack.push(operand));
    }
    Some(exprs)
}
