//! Maps: creation, indexing, assignment keys and `range` over a map.

use super::*;
use g2n_abi::MapIter;
use std::mem::{offset_of, size_of};

impl Lowerer<'_, '_> {
    /// A pointer to a key's bytes, as the map runtime reads them.
    pub(super) fn key_pointer(&mut self, key: ExprId) -> Result<Value, CodegenError> {
        let ty = self.program.expr(key).ty;
        let span = self.program.expr(key).span;
        let values = self.lower_expr(key)?;
        if self.program.types.is_aggregate(ty) {
            return Ok(values[0]);
        }
        let size = self.program.types.layout(ty).size.max(8) as u32;
        let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
        let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
        self.store_value(ty, addr, values, span)?;
        Ok(addr)
    }

    pub(super) fn new_map(&mut self, map_ty: TypeId, hint: Value) -> Result<Value, CodegenError> {
        let TypeKind::Map(key_ty, value_ty) = self.kind(map_ty).clone() else { return Err(backend("make of a non-map")) };
        let key_desc = self.desc_address(key_ty)?;
        let value_desc = self.desc_address(value_ty)?;
        Ok(self.call_runtime(&symbols::MAP_NEW, &[key_desc, value_desc, hint])?[0])
    }

    pub(super) fn lower_map_index(&mut self, map: ExprId, key: ExprId, comma_ok: bool, span: Span) -> Result<Vec<Value>, CodegenError> {
        let TypeKind::Map(_, value_ty) = self.kind(self.program.expr(map).ty).clone() else { return Err(unsupported("indexing this value", span)) };
        let map_value = self.lower_scalar(map)?;
        let key_ptr = self.key_pointer(key)?;
        let slot = self.call_runtime(&symbols::MAP_LOOKUP, &[map_value, key_ptr])?[0];
        let parts = self.parts(value_ty, span)?;
        let found_block = self.builder.create_block();
        let missing_block = self.builder.create_block();
        let merge = self.builder.create_block();
        let results: Vec<Value> = parts.iter().map(|p| self.builder.append_block_param(merge, *p)).collect();
        let found = self.builder.ins().icmp_imm_s(IntCC::NotEqual, slot, 0);
        self.builder.ins().brif(found, found_block, &[], missing_block, &[]);
        self.builder.seal_block(found_block);
        self.builder.seal_block(missing_block);
        self.builder.switch_to_block(found_block);
        let loaded = self.load_value(value_ty, slot, span)?;
        let args: Vec<BlockArg> = loaded.iter().map(|v| BlockArg::Value(*v)).collect();
        self.builder.ins().jump(merge, &args);
        self.builder.switch_to_block(missing_block);
        let zeros = if self.program.types.is_aggregate(value_ty) {
            // A fresh zero value: the caller may copy from it.
            let size = self.program.types.layout(value_ty).size;
            vec![self.alloc(size)?]
        } else {
            self.zero_of(value_ty, span)?
        };
        let args: Vec<BlockArg> = zeros.iter().map(|v| BlockArg::Value(*v)).collect();
        self.builder.ins().jump(merge, &args);
        self.builder.seal_block(merge);
        self.builder.switch_to_block(merge);
        let mut out = results;
        if comma_ok {
            out.push(found);
        }
        Ok(out)
    }

    pub(super) fn lower_range_map(&mut self, map: ExprId, key: Option<LocalId>, value: Option<LocalId>, body: &hir::Block, span: Span) -> Result<(), CodegenError> {
        let TypeKind::Map(key_ty, value_ty) = self.kind(self.program.expr(map).ty).clone() else { return Err(unsupported("range over this value", span)) };
        let map_value = self.lower_scalar(map)?;
        let iter = self.alloc(size_of::<MapIter>() as u64)?;
        self.call_runtime(&symbols::MAP_ITER_INIT, &[map_value, iter])?;
        let header = self.builder.create_block();
        let body_block = self.builder.create_block();
        let exit = self.builder.create_block();
        self.builder.ins().jump(header, &[]);
        self.builder.switch_to_block(header);
        let key_slot = self.call_runtime(&symbols::MAP_ITER_NEXT, &[iter])?[0];
        let more = self.builder.ins().icmp_imm_s(IntCC::NotEqual, key_slot, 0);
        self.builder.ins().brif(more, body_block, &[], exit, &[]);
        self.builder.seal_block(body_block);
        self.builder.switch_to_block(body_block);
        if let Some(local) = key {
            let values = self.load_value(key_ty, key_slot, span)?;
            self.write_local(local, values)?;
        }
        if let Some(local) = value {
            let value_slot = self.builder.ins().load(types::I64, MemFlagsData::trusted(), iter, offset_of!(MapIter, val) as i32);
            let values = self.load_value(value_ty, value_slot, span)?;
            self.write_local(local, values)?;
        }
        self.lower_loop_body(body, exit, header)?;
        self.builder.seal_block(header);
        self.builder.seal_block(exit);
        self.builder.switch_to_block(exit);
        Ok(())
    }
}
