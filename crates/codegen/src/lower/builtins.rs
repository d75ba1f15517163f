//! Intrinsics: Go's builtin functions and the printing calls that take their
//! arguments as an array of interface values.

use super::*;

impl Lowerer<'_, '_> {
    /// Stores interface values into a stack array of [`g2n_abi::GoAny`].
    pub(super) fn any_array(&mut self, args: &[ExprId]) -> Result<(Value, Value), CodegenError> {
        let size = ANY_SIZE * (args.len().max(1) as u32);
        let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
        for (index, arg) in args.iter().enumerate() {
            let values = self.lower_expr(*arg)?;
            for (word, value) in values.iter().enumerate() {
                let offset = index as i32 * ANY_SIZE as i32 + word as i32 * 8;
                self.builder.ins().stack_store(types::I64, *value, slot, offset);
            }
        }
        let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
        let count = self.builder.ins().iconst(types::I64, args.len() as i64);
        Ok((addr, count))
    }

    /// The `(n int, err error)` results of `fmt.Print*`: the byte count the
    /// runtime wrote and a nil error (writing to the flow's output does not
    /// fail in a way the program sees).
    fn count_and_nil_error(&mut self, written: Vec<Value>, span: Span) -> Result<Vec<Value>, CodegenError> {
        let mut results = written;
        results.extend(self.zero_of(g2n_sema::types::Types::ERROR, span)?);
        Ok(results)
    }

    /// Raises the run-time error `message` when `condition` holds (a cold
    /// block), and continues in a new block otherwise.
    fn panic_if(&mut self, condition: Value, message: &str) -> Result<(), CodegenError> {
        let panic_block = self.builder.create_block();
        let ok_block = self.builder.create_block();
        self.builder.ins().brif(condition, panic_block, &[], ok_block, &[]);
        self.builder.seal_block(panic_block);
        self.builder.seal_block(ok_block);
        self.builder.set_cold_block(panic_block);
        self.builder.switch_to_block(panic_block);
        self.panic_runtime_error(message)?;
        self.builder.switch_to_block(ok_block);
        Ok(())
    }

    pub(super) fn lower_intrinsic(&mut self, which: Intrinsic, args: &[ExprId], span: Span) -> Result<Vec<Value>, CodegenError> {
        match which {
            Intrinsic::FmtPrintf => {
                let (format, rest) = args.split_first().ok_or_else(|| unsupported("Printf without format", span))?;
                let format = self.lower_expr(*format)?;
                let (array, count) = self.any_array(rest)?;
                let written = self.call_runtime(&symbols::FMT_PRINTF, &[format[0], format[1], array, count])?;
                return self.count_and_nil_error(written, span);
            }
            Intrinsic::FmtPrintln | Intrinsic::FmtPrint => {
                let (array, count) = self.any_array(args)?;
                let name = if which == Intrinsic::FmtPrintln { symbols::FMT_PRINTLN } else { symbols::FMT_PRINT };
                let written = self.call_runtime(&name, &[array, count])?;
                return self.count_and_nil_error(written, span);
            }
            Intrinsic::Print | Intrinsic::Println => {
                let (array, count) = self.any_array(args)?;
                let newline = self.builder.ins().iconst(types::I8, (which == Intrinsic::Println) as i64);
                self.call_runtime(&symbols::BUILTIN_PRINT, &[array, count, newline])?;
            }
            Intrinsic::Panic => {
                let (array, _) = self.any_array(args)?;
                self.call_runtime(&symbols::PANIC, &[array])?;
                self.builder.ins().trap(TrapCode::unwrap_user(2));
                self.start_dead_block();
            }
            Intrinsic::Recover => {
                let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, ANY_SIZE, 3));
                let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
                self.call_runtime(&symbols::RECOVER, &[addr])?;
                return Ok((0..3).map(|i| self.builder.ins().stack_load(types::I64, types::I64, slot, i * 8)).collect());
            }
            Intrinsic::ChanClose | Intrinsic::ChanLen | Intrinsic::ChanCap => {
                let arg = args.first().ok_or_else(|| unsupported("a channel builtin without argument", span))?;
                let chan = self.lower_scalar(*arg)?;
                return match which {
                    Intrinsic::ChanClose => self.call_runtime(&symbols::CHAN_CLOSE, &[chan]),
                    Intrinsic::ChanLen => self.call_runtime(&symbols::CHAN_LEN, &[chan]),
                    _ => self.call_runtime(&symbols::CHAN_CAP, &[chan]),
                };
            }
            Intrinsic::Complex => {
                let [re, im] = args else { return Err(unsupported("complex", span)) };
                let re = self.lower_scalar(*re)?;
                let im = self.lower_scalar(*im)?;
                return Ok(vec![re, im]);
            }
            Intrinsic::Real | Intrinsic::Imag => {
                let arg = args.first().ok_or_else(|| unsupported("real or imag without argument", span))?;
                let parts = self.lower_expr(*arg)?;
                let index = if which == Intrinsic::Imag { 1 } else { 0 };
                return parts.get(index).map(|v| vec![*v]).ok_or_else(|| unsupported("real or imag of this value", span));
            }
            Intrinsic::MapLen => {
                let arg = args.first().ok_or_else(|| unsupported("len without argument", span))?;
                let map = self.lower_scalar(*arg)?;
                return self.call_runtime(&symbols::MAP_LEN, &[map]);
            }
            Intrinsic::CheckInterfaceNotNil => {
                let arg = args.first().ok_or_else(|| unsupported("a nil check without a value", span))?;
                let tag = self.lower_expr(*arg)?[0];
                let is_nil = self.builder.create_block();
                let after = self.builder.create_block();
                self.builder.ins().brif(tag, after, &[], is_nil, &[]);
                self.builder.seal_block(is_nil);
                self.builder.switch_to_block(is_nil);
                self.builder.set_cold_block(is_nil);
                self.panic_runtime_error("invalid memory address or nil pointer dereference")?;
                self.builder.seal_block(after);
                self.builder.switch_to_block(after);
                return Ok(Vec::new());
            }
            Intrinsic::MapKeys | Intrinsic::MapValues => {
                let arg = args.first().ok_or_else(|| unsupported("map keys without a map", span))?;
                let map = self.lower_scalar(*arg)?;
                let header = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 24, 3));
                let addr = self.builder.ins().stack_addr(types::I64, header, 0);
                let function = if which == Intrinsic::MapKeys { &symbols::MAP_KEYS } else { &symbols::MAP_VALUES };
                self.call_runtime(function, &[map, addr])?;
                return Ok((0..3).map(|i| self.builder.ins().load(types::I64, MemFlagsData::trusted(), addr, i * 8)).collect());
            }
            Intrinsic::MapDelete => {
                let [map, key] = args else { return Err(unsupported("delete", span)) };
                let map = self.lower_scalar(*map)?;
                let key_ptr = self.key_pointer(*key)?;
                self.call_runtime(&symbols::MAP_DELETE, &[map, key_ptr])?;
            }
            Intrinsic::UnsafeSlice => {
                let [ptr, len] = args else { return Err(unsupported("unsafe.Slice", span)) };
                let ptr = self.lower_scalar(*ptr)?;
                let len = self.lower_scalar(*len)?;
                // Go's checks (runtime.unsafeslice), with its messages.
                let negative = self.builder.ins().icmp_imm_s(IntCC::SignedLessThan, len, 0);
                self.panic_if(negative, "unsafe.Slice: len out of range")?;
                let nil = self.builder.ins().icmp_imm_s(IntCC::Equal, ptr, 0);
                let nonzero = self.builder.ins().icmp_imm_s(IntCC::NotEqual, len, 0);
                let nil_with_len = self.builder.ins().band(nil, nonzero);
                self.panic_if(nil_with_len, "unsafe.Slice: ptr is nil and len is not zero")?;
                return Ok(vec![ptr, len, len]);
            }
            Intrinsic::StringLen | Intrinsic::SliceLen | Intrinsic::SliceCap => {
                let arg = args.first().ok_or_else(|| unsupported("len without argument", span))?;
                let values = self.lower_expr(*arg)?;
                let index = if which == Intrinsic::SliceCap { 2 } else { 1 };
                return Ok(vec![values[index]]);
            }
            Intrinsic::Copy => {
                let [dst, src] = args else { return Err(unsupported("copy", span)) };
                let elem_size = self.elem_size(self.program.expr(*dst).ty).max(1);
                let dst = self.lower_expr(*dst)?;
                let src = self.lower_expr(*src)?;
                let shorter = self.builder.ins().icmp(IntCC::SignedLessThan, dst[1], src[1]);
                let count = self.builder.ins().select(shorter, dst[1], src[1]);
                let bytes = self.builder.ins().imul_imm_s(count, elem_size as i64);
                self.move_memory_dynamic(dst[0], src[0], bytes);
                return Ok(vec![count]);
            }
            Intrinsic::DecodeRune => {
                let [string, index] = args else { return Err(unsupported("range over a string", span)) };
                let string = self.lower_expr(*string)?;
                let index = self.lower_scalar(*index)?;
                let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                self.call_runtime(&symbols::DECODE_RUNE, &[string[0], string[1], index, out_addr])?;
                let rune = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
                let rune = self.builder.ins().ireduce(types::I32, rune);
                let width = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
                return Ok(vec![rune, width]);
            }
        }
        // The (n int, err error) results of fmt functions are not used by
        // expression statements; callers that need them are rejected by sema.
        Ok(Vec::new())
    }
}
