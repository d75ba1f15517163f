//! Values in Go's memory layout: loads and stores by type, inline copies and
//! zeroing, nil checks, allocation and zero values.

use super::*;

/// Struct and array copies and zeroing up to this many words are inline
/// loads and stores rather than a libc call.
const INLINE_MEMORY_WORDS: u64 = 16;

/// The largest literal [`Lowerer::heap_literal`] assembles in a frame slot
/// before allocating it: one that the copy moves inline.
const STAGED_LITERAL_BYTES: u64 = INLINE_MEMORY_WORDS * 8;

/// The integer accesses covering `size` bytes: words, then the tail.
fn memory_chunks(size: u64) -> Vec<(Type, i32)> {
    let mut chunks = Vec::new();
    let mut offset = 0u64;
    for (ty, width) in [(types::I64, 8u64), (types::I32, 4), (types::I16, 2), (types::I8, 1)] {
        while size - offset >= width {
            chunks.push((ty, offset as i32));
            offset += width;
        }
    }
    chunks
}

/// The byte offset of part `i` of a value in memory: parts of one value
/// all have the same size (words, or the two floats of a complex number).
fn part_offset(i: usize, part: Type) -> i32 {
    (i as u32 * part.bytes()) as i32
}

impl Lowerer<'_, '_> {
    /// The value of type `ty` stored at `addr`; a struct or array is its address.
    pub(super) fn load_value(&mut self, ty: TypeId, addr: Value, span: Span) -> Result<Vec<Value>, CodegenError> {
        if self.program.types.is_aggregate(ty) {
            return Ok(vec![addr]);
        }
        let parts = self.parts(ty, span)?;
        Ok(parts
            .iter()
            .enumerate()
            .map(|(i, part)| self.builder.ins().load(*part, MemFlagsData::trusted(), addr, part_offset(i, *part)))
            .collect())
    }

    /// Stores a value of type `ty` at `addr`; a struct or array is copied.
    pub(super) fn store_value(&mut self, ty: TypeId, addr: Value, values: Vec<Value>, span: Span) -> Result<(), CodegenError> {
        if self.program.types.is_aggregate(ty) {
            let layout = self.program.types.layout(ty);
            let src = values.first().copied().ok_or_else(|| unsupported("a value without representation", span))?;
            self.copy_memory(addr, src, layout.size);
            return Ok(());
        }
        for (i, value) in values.into_iter().enumerate() {
            let part = self.builder.func.dfg.value_type(value);
            self.builder.ins().store(MemFlagsData::trusted(), value, addr, part_offset(i, part));
        }
        Ok(())
    }

    /// Copies `size` bytes. Overlap is possible (`a = a`), so this is a
    /// move: up to [`INLINE_MEMORY_WORDS`] words are all loaded before any
    /// is stored; bigger values go through `memmove`.
    fn copy_memory(&mut self, dest: Value, src: Value, size: u64) {
        if size > INLINE_MEMORY_WORDS * 8 {
            let config = self.mcx.module.isa().frontend_config();
            let size = self.builder.ins().iconst(types::I64, size as i64);
            self.builder.call_memmove(config, dest, src, size);
            return;
        }
        let flags = MemFlagsData::new().with_notrap();
        let chunks = memory_chunks(size);
        let loaded: Vec<(Value, i32)> =
            chunks.iter().map(|(ty, offset)| (self.builder.ins().load(*ty, flags, src, *offset), *offset)).collect();
        for (value, offset) in loaded {
            self.builder.ins().store(flags, value, dest, offset);
        }
    }

    /// Zeroes `size` bytes, inline for small sizes (the frontend's
    /// `emit_small_memset` calls `memset` past four words).
    pub(super) fn zero_memory(&mut self, addr: Value, size: u64) {
        if size > INLINE_MEMORY_WORDS * 8 {
            let config = self.mcx.module.isa().frontend_config();
            let zero = self.builder.ins().iconst(types::I8, 0);
            let size = self.builder.ins().iconst(types::I64, size as i64);
            self.builder.call_memset(config, addr, zero, size);
            return;
        }
        let flags = MemFlagsData::new().with_notrap();
        for (ty, offset) in memory_chunks(size) {
            let zero = self.builder.ins().iconst(ty, 0);
            self.builder.ins().store(flags, zero, addr, offset);
        }
    }

    pub(super) fn move_memory_dynamic(&mut self, dest: Value, src: Value, size: Value) {
        let config = self.mcx.module.isa().frontend_config();
        self.builder.call_memmove(config, dest, src, size);
    }

    pub(super) fn nil_check(&mut self, pointer: Value) -> Result<(), CodegenError> {
        // A pointer checked earlier in this same block (so on every path to
        // here, with nothing in between that could branch around the check)
        // is known not to be nil.
        let current = self.builder.current_block();
        if current.is_some() && self.nil_checked.0 == current && self.nil_checked.1.contains(&pointer) {
            return Ok(());
        }
        let is_nil = self.builder.ins().icmp_imm_s(IntCC::Equal, pointer, 0);
        let panic_block = self.builder.create_block();
        let ok_block = self.builder.create_block();
        self.builder.ins().brif(is_nil, panic_block, &[], ok_block, &[]);
        self.builder.seal_block(panic_block);
        self.builder.seal_block(ok_block);
        self.builder.set_cold_block(panic_block);
        self.builder.switch_to_block(panic_block);
        self.call_runtime(&symbols::PANIC_NIL, &[])?;
        self.builder.ins().trap(TrapCode::unwrap_user(2));
        self.builder.switch_to_block(ok_block);
        if self.nil_checked.0 != current {
            self.nil_checked.1.clear();
        }
        self.nil_checked.0 = Some(ok_block);
        self.nil_checked.1.insert(pointer);
        Ok(())
    }

    /// A pointer operand: addresses that codegen computed itself are never nil.
    pub(super) fn lower_pointer(&mut self, expr: ExprId) -> Result<Value, CodegenError> {
        let value = self.lower_scalar(expr)?;
        let known_valid = matches!(
            self.program.expr(expr).kind,
            ExprKind::FieldAddr { .. } | ExprKind::IndexAddr { .. } | ExprKind::AddrOfLocal(_) | ExprKind::AggregateAddr(_) | ExprKind::Alloc(_)
        );
        if !known_valid {
            self.nil_check(value)?;
        }
        Ok(value)
    }

    /// Lowers each element `(offset, value)` of a literal and stores it at
    /// `storage + offset`, in order.
    pub(super) fn store_elements(&mut self, storage: Value, elems: &[(u64, ExprId)], span: Span) -> Result<(), CodegenError> {
        for (offset, value) in elems {
            let values = self.lower_expr(*value)?;
            let at = self.builder.ins().iadd_imm_s(storage, *offset as i64);
            let value_ty = self.program.expr(*value).ty;
            self.store_value(value_ty, at, values, span)?;
        }
        Ok(())
    }

    /// The heap storage of a literal of `size` bytes (a composite behind a
    /// pointer, a slice literal's array, a variadic call's arguments) with
    /// its elements stored.
    ///
    /// A small literal whose elements are not all constants and call nothing
    /// ([`Self::call_free`]) is assembled in a frame slot first and copied to
    /// the heap after the allocation, so
    /// that no element's value is live across the allocation's call. Were
    /// it live there, the register allocator would keep it in a stack slot
    /// for its whole live range: `for … { total += … }; fmt.Println(total)`
    /// then loaded and stored `total` on every iteration of the loop
    /// (bench leibniz-pi ran 2.7 times slower than with the value in a
    /// register, docs/performance.md "Notes").
    pub(super) fn heap_literal(&mut self, size: u64, align: u64, elems: &[(u64, ExprId)], span: Span) -> Result<Value, CodegenError> {
        let all_constant = elems.iter().all(|(_, value)| matches!(self.program.expr(*value).kind, ExprKind::Const(_)));
        let calls = elems.iter().any(|(_, value)| !self.call_free(*value));
        if all_constant || calls || size > STAGED_LITERAL_BYTES {
            let storage = self.alloc(size)?;
            self.store_elements(storage, elems, span)?;
            return Ok(storage);
        }
        let staged = self.stack_memory(size, align);
        // The heap's memory comes zeroed; the slot's bytes that no element
        // covers (padding, fields the literal leaves out) must be too.
        let covered: u64 = elems.iter().map(|(_, value)| self.program.types.layout(self.program.expr(*value).ty).size).sum();
        if covered < size {
            self.zero_memory(staged, size);
        }
        self.store_elements(staged, elems, span)?;
        let storage = self.alloc(size)?;
        self.copy_memory(storage, staged, size);
        Ok(storage)
    }

    /// Whether evaluating `expr` calls nothing: constants, locals and
    /// arithmetic on them, loads, addresses, conversions. A literal with an
    /// element that calls a function is allocated before its elements are
    /// evaluated, as before staging existed: values are live across that
    /// call anyway, and a recursive constructor (`&Node{build(d-1),
    /// build(d-1)}`) then lays its tree out in the order a walk from the
    /// root visits it (bench gc-trees walked a post-order tree 1.17 times
    /// slower).
    fn call_free(&self, expr: ExprId) -> bool {
        let simple = matches!(
            self.program.expr(expr).kind,
            ExprKind::Const(_)
                | ExprKind::Local(_)
                | ExprKind::Binary { .. }
                | ExprKind::Unary { .. }
                | ExprKind::Convert(_)
                | ExprKind::ToInterface(_)
                | ExprKind::Load(_)
                | ExprKind::FieldAddr { .. }
                | ExprKind::AddrOfLocal(_)
                | ExprKind::FuncValue(_)
        );
        let mut operands_simple = true;
        if simple {
            self.program.expr(expr).kind.for_each_operand(|operand| operands_simple &= self.call_free(operand));
        }
        simple && operands_simple
    }

    pub(super) fn alloc(&mut self, size: u64) -> Result<Value, CodegenError> {
        let size = self.builder.ins().iconst(types::I64, size as i64);
        Ok(self.call_runtime(&symbols::ALLOC, &[size])?[0])
    }

    fn zero(&mut self, ty: Type) -> Value {
        if ty == types::F64 {
            self.builder.ins().f64const(0.0)
        } else if ty == types::F32 {
            self.builder.ins().f32const(0.0)
        } else {
            self.builder.ins().iconst(ty, 0)
        }
    }

    pub(super) fn zero_of(&mut self, ty: TypeId, span: Span) -> Result<Vec<Value>, CodegenError> {
        if self.program.types.is_aggregate(ty) {
            // A struct or array value is an address: of fresh zeroed memory.
            let size = self.program.types.layout(ty).size;
            return Ok(vec![self.alloc(size)?]);
        }
        let parts = self.parts(ty, span)?;
        Ok(parts.into_iter().map(|t| self.zero(t)).collect())
    }
}
