//! Channels, `go` and `select`: calls of the runtime's scheduler
//! (symbols `g2n_chan_*`, `g2n_select`, `g2n_go`; docs/goroutines.md).
//! Elements cross as pointers to values in Go's memory layout: a stack slot
//! for a scalar, the value's own address for a struct or array.

use super::*;
use g2n_abi::{SELECT_RECV, SELECT_SEND, SelectCase};
use std::mem::{offset_of, size_of};

impl Lowerer<'_, '_> {
    /// The element type of a channel-typed expression.
    fn chan_elem(&self, chan: ExprId, span: Span) -> Result<TypeId, CodegenError> {
        match self.kind(self.program.expr(chan).ty) {
            TypeKind::Chan(_, elem) => Ok(*elem),
            _ => Err(unsupported("a channel operation on this value", span)),
        }
    }

    /// Room for one received element: a stack slot, or fresh collected
    /// memory for a struct or array (whose value is its address).
    fn elem_buffer(&mut self, elem: TypeId) -> Result<Value, CodegenError> {
        let layout = self.program.types.layout(elem);
        if self.program.types.is_aggregate(elem) {
            return self.alloc(layout.size);
        }
        let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, layout.size.max(8) as u32, 3));
        Ok(self.builder.ins().stack_addr(types::I64, slot, 0))
    }

    pub(super) fn lower_make_chan(&mut self, ty: TypeId, size: Option<ExprId>) -> Result<Vec<Value>, CodegenError> {
        let TypeKind::Chan(_, elem) = self.kind(ty).clone() else { return Err(backend("make of a non-channel")) };
        let cap = match size {
            Some(size) => {
                let class = self.class(self.program.expr(size).ty);
                let v = self.lower_scalar(size)?;
                self.widen_to_i64(v, class)
            }
            None => self.builder.ins().iconst(types::I64, 0),
        };
        let elem_size = self.builder.ins().iconst(types::I64, self.program.types.layout(elem).size as i64);
        self.call_runtime(&symbols::CHAN_NEW, &[elem_size, cap])
    }

    pub(super) fn lower_send(&mut self, chan: ExprId, value: ExprId) -> Result<(), CodegenError> {
        let c = self.lower_scalar(chan)?;
        let elem = self.key_pointer(value)?;
        self.call_runtime(&symbols::CHAN_SEND, &[c, elem])?;
        Ok(())
    }

    pub(super) fn lower_recv(&mut self, chan: ExprId, comma_ok: bool, span: Span) -> Result<Vec<Value>, CodegenError> {
        let elem = self.chan_elem(chan, span)?;
        let c = self.lower_scalar(chan)?;
        let out = self.elem_buffer(elem)?;
        let ok = self.call_runtime(&symbols::CHAN_RECV, &[c, out])?[0];
        let mut values = self.load_value(elem, out, span)?;
        if comma_ok {
            values.push(ok);
        }
        Ok(values)
    }

    /// Every case's channel (and a send's value) in source order, then one
    /// runtime call that picks the case, then the chosen case's body.
    pub(super) fn lower_select(&mut self, cases: &[hir::SelectCase], default: Option<&hir::Block>, span: Span) -> Result<(), CodegenError> {
        let label = self.pending_label.take();
        let n = cases.len();
        let table = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, (size_of::<SelectCase>() * n).max(8) as u32, 3));
        let mut buffers = Vec::new();
        for (index, case) in cases.iter().enumerate() {
            let c = self.lower_scalar(case.chan)?;
            let (elem_ptr, kind) = match case.send {
                Some(value) => (self.key_pointer(value)?, SELECT_SEND),
                None => {
                    let elem = self.chan_elem(case.chan, span)?;
                    (self.elem_buffer(elem)?, SELECT_RECV)
                }
            };
            let kind = self.builder.ins().iconst(types::I64, kind as i64);
            let at = size_of::<SelectCase>() * index;
            self.builder.ins().stack_store(types::I64, c, table, (at + offset_of!(SelectCase, chan)) as i32);
            self.builder.ins().stack_store(types::I64, elem_ptr, table, (at + offset_of!(SelectCase, elem)) as i32);
            self.builder.ins().stack_store(types::I64, kind, table, (at + offset_of!(SelectCase, kind)) as i32);
            buffers.push(elem_ptr);
        }
        let table_addr = self.builder.ins().stack_addr(types::I64, table, 0);
        let count = self.builder.ins().iconst(types::I64, n as i64);
        let has_default = self.builder.ins().iconst(types::I8, default.is_some() as i64);
        let results = self.call_runtime(&symbols::SELECT, &[table_addr, count, has_default])?;
        let (chosen, ok) = (results[0], results[1]);
        let exit = self.builder.create_block();
        self.breaks.push((label, exit));
        let result = self.lower_select_cases(cases, default, &buffers, chosen, ok, exit, span);
        self.breaks.pop();
        result?;
        self.builder.seal_block(exit);
        self.builder.switch_to_block(exit);
        Ok(())
    }

    fn lower_select_cases(
        &mut self,
        cases: &[hir::SelectCase],
        default: Option<&hir::Block>,
        buffers: &[Value],
        chosen: Value,
        ok: Value,
        exit: Block,
        span: Span,
    ) -> Result<(), CodegenError> {
        for (index, case) in cases.iter().enumerate() {
            let body = self.builder.create_block();
            let next = self.builder.create_block();
            let is_this = self.builder.ins().icmp_imm_s(IntCC::Equal, chosen, index as i64);
            self.builder.ins().brif(is_this, body, &[], next, &[]);
            self.builder.seal_block(body);
            self.builder.seal_block(next);
            self.builder.switch_to_block(body);
            if let Some(local) = case.recv_value {
                let elem = self.chan_elem(case.chan, span)?;
                let values = self.load_value(elem, buffers[index], span)?;
                self.define_local(local, Some(values))?;
            }
            if let Some(local) = case.recv_ok {
                let flag = self.builder.ins().ireduce(types::I8, ok);
                self.define_local(local, Some(vec![flag]))?;
            }
            self.lower_stmts(&case.body.stmts)?;
            self.builder.ins().jump(exit, &[]);
            self.builder.switch_to_block(next);
        }
        // Only `default` is left (the runtime returns -1 for it).
        if let Some(default) = default {
            self.lower_stmts(&default.stmts)?;
        }
        self.builder.ins().jump(exit, &[]);
        Ok(())
    }
}
