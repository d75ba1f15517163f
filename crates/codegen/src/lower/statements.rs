//! Statements and control flow: blocks, labels, `switch`, and conditions
//! lowered as branches.

use super::*;

impl Lowerer<'_, '_> {
    /// The block of labeled statement `label`, created on first use.
    fn label_block(&mut self, label: u32) -> Block {
        if let Some(block) = self.label_blocks.get(&label) {
            return *block;
        }
        let block = self.builder.create_block();
        self.label_blocks.insert(label, block);
        block
    }

    /// After a terminator, later statements go to a fresh unreachable block.
    pub(super) fn start_dead_block(&mut self) {
        let block = self.builder.create_block();
        self.builder.switch_to_block(block);
        self.builder.seal_block(block);
    }

    pub(super) fn lower_stmts(&mut self, stmts: &[hir::Stmt]) -> Result<(), CodegenError> {
        for stmt in stmts {
            self.lower_stmt(stmt)?;
        }
        Ok(())
    }

    /// A loop's body, with `break` jumping to `exit` and `continue` to
    /// `next` (the loop's label, if any, names both), then a jump to `next`.
    pub(super) fn lower_loop_body(&mut self, body: &hir::Block, exit: Block, next: Block) -> Result<(), CodegenError> {
        let label = self.pending_label.take();
        self.breaks.push((label, exit));
        self.continues.push((label, next));
        let result = self.lower_stmts(&body.stmts);
        self.breaks.pop();
        self.continues.pop();
        result?;
        self.builder.ins().jump(next, &[]);
        Ok(())
    }

    fn lower_stmt(&mut self, stmt: &hir::Stmt) -> Result<(), CodegenError> {
        // The statement's byte offset marks its instructions: the line
        // table of a panic's trace (crate::lines).
        self.builder.set_srcloc(cranelift_codegen::ir::SourceLoc::new(stmt.span.start));
        match &stmt.kind {
            StmtKind::Define { local, value: Some(value) } if self.assign_from_call(*local, *value, true)? => {}
            StmtKind::Define { local, value } => {
                let values = match value {
                    Some(value) => Some(self.lower_expr(*value)?),
                    None => None,
                };
                self.define_local(*local, values)?;
            }
            StmtKind::Defer { thunk } => {
                let frame = self.defer_frame.ok_or_else(|| unsupported("defer here", stmt.span))?;
                let closure = self.lower_scalar(*thunk)?;
                self.call_runtime(&symbols::DEFER_PUSH, &[frame, closure])?;
            }
            StmtKind::MapAssign { map, key, value } => {
                let map_value = self.lower_scalar(*map)?;
                let key_ptr = self.key_pointer(*key)?;
                let values = self.lower_expr(*value)?;
                let slot = self.call_runtime(&symbols::MAP_ASSIGN, &[map_value, key_ptr])?[0];
                let ty = self.program.expr(*value).ty;
                self.store_value(ty, slot, values, stmt.span)?;
            }
            StmtKind::RangeMap { map, key, value, body } => self.lower_range_map(*map, *key, *value, body, stmt.span)?,
            StmtKind::Store { addr, value } => {
                let pointer = self.lower_pointer(*addr)?;
                let values = self.lower_expr(*value)?;
                let ty = self.program.expr(*value).ty;
                self.store_value(ty, pointer, values, stmt.span)?;
            }
            StmtKind::Assign { local, value } if self.assign_from_call(*local, *value, false)? => {}
            StmtKind::Assign { local, value } => {
                let values = self.lower_expr(*value)?;
                self.write_local(*local, values)?;
            }
            StmtKind::AssignTuple { locals, value } => {
                let values = self.lower_expr(*value)?;
                let result_types = match self.kind(self.program.expr(*value).ty) {
                    TypeKind::Tuple(elems) => elems.clone(),
                    _ => return Err(unsupported("this multi-value assignment", stmt.span)),
                };
                let mut rest = values.into_iter();
                for (local, ty) in locals.iter().zip(result_types) {
                    let count = self.parts(ty, stmt.span)?.len();
                    let part: Vec<Value> = rest.by_ref().take(count).collect();
                    if let Some(local) = local {
                        self.write_local(*local, part)?;
                    }
                }
            }
            StmtKind::Expr(expr) => {
                self.lower_expr(*expr)?;
            }
            StmtKind::Block(block) => self.lower_stmts(&block.stmts)?,
            StmtKind::If { cond, then, els } => {
                let then_block = self.builder.create_block();
                let else_block = self.builder.create_block();
                let merge = self.builder.create_block();
                self.branch_on(*cond, then_block, else_block)?;
                self.builder.seal_block(then_block);
                self.builder.seal_block(else_block);
                self.builder.switch_to_block(then_block);
                self.lower_stmts(&then.stmts)?;
                self.builder.ins().jump(merge, &[]);
                self.builder.switch_to_block(else_block);
                if let Some(els) = els {
                    self.lower_stmts(&els.stmts)?;
                }
                self.builder.ins().jump(merge, &[]);
                self.builder.seal_block(merge);
                self.builder.switch_to_block(merge);
            }
            StmtKind::Loop { cond, body, post } => {
                let header = self.builder.create_block();
                let body_block = self.builder.create_block();
                let post_block = self.builder.create_block();
                let exit = self.builder.create_block();
                self.builder.ins().jump(header, &[]);
                self.builder.switch_to_block(header);
                match cond {
                    Some(cond) => {
                        self.branch_on(*cond, body_block, exit)?;
                    }
                    None => {
                        self.builder.ins().jump(body_block, &[]);
                    }
                }
                self.builder.seal_block(body_block);
                self.builder.switch_to_block(body_block);
                self.lower_loop_body(body, exit, post_block)?;
                self.builder.seal_block(post_block);
                self.builder.switch_to_block(post_block);
                if let Some(post) = post {
                    self.lower_stmt(post)?;
                }
                self.builder.ins().jump(header, &[]);
                self.builder.seal_block(header);
                self.builder.seal_block(exit);
                self.builder.switch_to_block(exit);
            }
            StmtKind::Switch { clauses } => self.lower_switch(clauses)?,
            StmtKind::Goto(label) => {
                let target = self.label_block(*label);
                self.builder.ins().jump(target, &[]);
                self.start_dead_block();
            }
            StmtKind::Labeled { label, stmt: inner } => {
                let block = self.label_block(*label);
                self.builder.ins().jump(block, &[]);
                self.builder.switch_to_block(block);
                self.pending_label = Some(*label);
                let result = self.lower_stmt(inner);
                self.pending_label = None;
                result?;
            }
            StmtKind::Break(label) | StmtKind::Continue(label) => {
                let targets = if matches!(stmt.kind, StmtKind::Break(_)) { &self.breaks } else { &self.continues };
                let found = match label {
                    None => targets.last(),
                    Some(label) => targets.iter().rev().find(|(l, _)| *l == Some(*label)),
                };
                let Some(&(_, target)) = found else {
                    return Err(unsupported("break or continue outside a loop", stmt.span));
                };
                self.builder.ins().jump(target, &[]);
                self.start_dead_block();
            }
            StmtKind::Return(values) => {
                let mut returned = Vec::new();
                let result_locals = self.current.map(|id| self.program.func(id).result_locals.clone()).unwrap_or_default();
                if self.defer_frame.is_some() && !result_locals.is_empty() {
                    // `return x` sets the named results, the deferred calls
                    // run (and may change them), then they are returned.
                    if !values.is_empty() {
                        let mut lowered = Vec::new();
                        for value in values {
                            lowered.push(self.lower_expr(*value)?);
                        }
                        for (local, value) in result_locals.iter().zip(lowered) {
                            self.write_local(*local, value)?;
                        }
                    }
                    self.exit_defer_frame()?;
                    for result in result_locals {
                        returned.extend(self.read_local(result)?);
                    }
                } else {
                    if values.is_empty() {
                        for result in result_locals {
                            returned.extend(self.read_local(result)?);
                        }
                    } else if let [value] = values[..]
                        && self.defer_frame.is_none()
                        && self.passes_own_dests(value)
                    {
                        // `return f()`: f writes into this function's
                        // destinations (no deferred call can run between).
                        let dests: Vec<Value> = self.result_dests.iter().flatten().copied().collect();
                        returned = self.lower_call_into(value, dests)?;
                    } else {
                        for value in values {
                            returned.extend(self.lower_expr(*value)?);
                        }
                    }
                    if self.defer_frame.is_some() {
                        returned = self.snapshot_results(returned, stmt.span)?;
                    }
                    self.exit_defer_frame()?;
                }
                let returned = self.write_results(returned, stmt.span)?;
                self.builder.ins().return_(&returned);
                self.start_dead_block();
            }
            StmtKind::GoToNetwork { site } => self.lower_hop(*site, stmt.span)?,
            StmtKind::Send { chan, value } => self.lower_send(*chan, *value)?,
            StmtKind::Go { thunk } => {
                let closure = self.lower_scalar(*thunk)?;
                let bounded = self.mcx.stack_classes.bounded_thunk(self.program, *thunk);
                self.call_runtime(if bounded { &symbols::GO_BOUNDED } else { &symbols::GO }, &[closure])?;
            }
            StmtKind::Select { cases, default } => self.lower_select(cases, default.as_ref(), stmt.span)?,
        }
        Ok(())
    }

    /// Cases are tested top to bottom, each clause's conditions left to right,
    /// `default` last wherever it stands.
    fn lower_switch(&mut self, clauses: &[hir::SwitchClause]) -> Result<(), CodegenError> {
        let exit = self.builder.create_block();
        let bodies: Vec<Block> = clauses.iter().map(|_| self.builder.create_block()).collect();
        for (index, clause) in clauses.iter().enumerate() {
            if clause.is_default {
                continue;
            }
            for cond in &clause.conds {
                let next = self.builder.create_block();
                self.branch_on(*cond, bodies[index], next)?;
                self.builder.seal_block(next);
                self.builder.switch_to_block(next);
            }
        }
        let fallback = clauses.iter().position(|c| c.is_default).map(|i| bodies[i]).unwrap_or(exit);
        self.builder.ins().jump(fallback, &[]);

        let label = self.pending_label.take();
        self.breaks.push((label, exit));
        let mut result = Ok(());
        for (index, clause) in clauses.iter().enumerate() {
            self.builder.switch_to_block(bodies[index]);
            if let Err(e) = self.lower_stmts(&clause.body.stmts) {
                result = Err(e);
                break;
            }
            let next = if clause.fallthrough { bodies.get(index + 1).copied().unwrap_or(exit) } else { exit };
            self.builder.ins().jump(next, &[]);
        }
        self.breaks.pop();
        result?;
        for body in bodies {
            self.builder.seal_block(body);
        }
        self.builder.seal_block(exit);
        self.builder.switch_to_block(exit);
        Ok(())
    }

    /// Branches on a boolean condition. `&&`, `||` and `!` become control
    /// flow rather than a materialised bool, so each comparison feeds its
    /// branch directly (Cranelift fuses a compare with the branch on it).
    /// The targets are not sealed here: the caller seals them.
    fn branch_on(&mut self, cond: ExprId, if_true: Block, if_false: Block) -> Result<(), CodegenError> {
        match &self.program.expr(cond).kind {
            ExprKind::Binary { op: op @ (hir::BinaryOp::LogAnd | hir::BinaryOp::LogOr), lhs, rhs } => {
                let (op, lhs, rhs) = (*op, *lhs, *rhs);
                // The right operand runs when the left one does not decide.
                let right = self.builder.create_block();
                if op == hir::BinaryOp::LogAnd {
                    self.branch_on(lhs, right, if_false)?;
                } else {
                    self.branch_on(lhs, if_true, right)?;
                }
                self.builder.seal_block(right);
                self.builder.switch_to_block(right);
                self.branch_on(rhs, if_true, if_false)
            }
            ExprKind::Unary { op: hir::UnaryOp::Not, operand } => {
                let operand = *operand;
                self.branch_on(operand, if_false, if_true)
            }
            ExprKind::Binary { op: op @ (hir::BinaryOp::Eq | hir::BinaryOp::Ne), lhs, rhs }
                if matches!(self.class(self.program.expr(*lhs).ty), Class::String) =>
            {
                let (op, lhs, rhs) = (*op, *lhs, *rhs);
                if op == hir::BinaryOp::Eq {
                    self.branch_on_string_equal(lhs, rhs, if_true, if_false)
                } else {
                    self.branch_on_string_equal(lhs, rhs, if_false, if_true)
                }
            }
            _ => {
                let value = self.lower_scalar(cond)?;
                self.builder.ins().brif(value, if_true, &[], if_false, &[]);
                Ok(())
            }
        }
    }
}
