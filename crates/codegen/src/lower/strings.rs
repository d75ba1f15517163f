//! String `==` and `!=` as Go's compiler makes them: the lengths first, so
//! strings of different lengths never reach a call; against a constant,
//! `s == ""` is `len(s) == 0` and a constant of up to 16 bytes is compared by
//! at most two loads once the length matched; otherwise equal lengths compare
//! their bytes in the runtime unless the strings are empty or share their
//! bytes. As a branch condition (`if`, `switch` cases) each decided test
//! jumps straight to its target; as a value, to a join with the bool.

use super::*;

/// Where a string equality test goes once it is decided.
#[derive(Clone, Copy)]
enum Outcome {
    /// A branch: to `equal` or to `unequal`.
    Branch { equal: Block, unequal: Block },
    /// A value: to `join` with the `i8` bool as its one parameter.
    Value { join: Block },
}

/// The longest constant compared by loads rather than through the runtime.
const MAX_LOADED_CONST: usize = 16;

impl Lowerer<'_, '_> {
    /// An operand of a string comparison. `string(b)` of a byte slice is
    /// compared in place, without the copy the conversion makes elsewhere,
    /// as Go's compiler does: the comparison keeps no reference to it
    /// (bytes.Equal is `string(a) == string(b)`, called in hot loops).
    pub(super) fn lower_compared_string(&mut self, id: ExprId) -> Result<Vec<Value>, CodegenError> {
        if let hir::ExprKind::Convert(inner) = self.program.expr(id).kind
            && matches!(self.class(self.program.expr(inner).ty), Class::Slice)
            && self.elem_size(self.program.expr(inner).ty) == 1
        {
            let slice = self.lower_expr(inner)?;
            return Ok(vec![slice[0], slice[1]]);
        }
        self.lower_expr(id)
    }

    /// `lhs == rhs` of strings as an `i8` bool.
    pub(super) fn lower_string_equal(&mut self, lhs: ExprId, rhs: ExprId) -> Result<Value, CodegenError> {
        let join = self.builder.create_block();
        let result = self.builder.append_block_param(join, types::I8);
        self.string_equal(lhs, rhs, Outcome::Value { join })?;
        self.builder.seal_block(join);
        self.builder.switch_to_block(join);
        Ok(result)
    }

    /// Branches to `equal` when `lhs == rhs` (strings), else to `unequal`.
    /// The targets are not sealed here: the caller seals them.
    pub(super) fn branch_on_string_equal(&mut self, lhs: ExprId, rhs: ExprId, equal: Block, unequal: Block) -> Result<(), CodegenError> {
        self.string_equal(lhs, rhs, Outcome::Branch { equal, unequal })
    }

    /// The target of a decided test and its arguments.
    fn decided(&mut self, outcome: Outcome, equal: bool) -> (Block, Vec<BlockArg>) {
        match outcome {
            Outcome::Branch { equal: yes, unequal: no } => (if equal { yes } else { no }, Vec::new()),
            Outcome::Value { join } => (join, vec![BlockArg::Value(self.builder.ins().iconst(types::I8, i64::from(equal)))]),
        }
    }

    /// Goes on to `next` (created, sealed and made current here) when
    /// `condition` is `continue_when`, else to the decided target for
    /// `decides`.
    fn test_or_decide(&mut self, condition: Value, continue_when: bool, outcome: Outcome, decides: bool) {
        let next = self.builder.create_block();
        let (target, args) = self.decided(outcome, decides);
        if continue_when {
            self.builder.ins().brif(condition, next, &[], target, &args);
        } else {
            self.builder.ins().brif(condition, target, &args, next, &[]);
        }
        self.builder.seal_block(next);
        self.builder.switch_to_block(next);
    }

    /// Ends the test on the bool `equal`.
    fn finish(&mut self, outcome: Outcome, equal: Value) {
        match outcome {
            Outcome::Branch { equal: yes, unequal: no } => {
                self.builder.ins().brif(equal, yes, &[], no, &[]);
            }
            Outcome::Value { join } => {
                self.builder.ins().jump(join, &[BlockArg::Value(equal)]);
            }
        }
    }

    fn string_equal(&mut self, lhs: ExprId, rhs: ExprId, outcome: Outcome) -> Result<(), CodegenError> {
        let program = self.program;
        let short_const = |e: ExprId| match &program.expr(e).kind {
            ExprKind::Const(ConstValue::String(bytes)) if bytes.len() <= MAX_LOADED_CONST => Some(bytes.as_slice()),
            _ => None,
        };
        // A constant operand has no effects, so only the other one is lowered.
        let short = match (short_const(lhs), short_const(rhs)) {
            (_, Some(c)) => Some((lhs, c)),
            (Some(c), None) => Some((rhs, c)),
            (None, None) => None,
        };
        if let Some((other, c)) = short {
            let s = self.lower_compared_string(other)?;
            let len_equal = self.builder.ins().icmp_imm_s(IntCC::Equal, s[1], c.len() as i64);
            if c.is_empty() {
                self.finish(outcome, len_equal);
            } else {
                self.test_or_decide(len_equal, true, outcome, false);
                let equal = self.equal_to_const_by_loads(s[0], c)?;
                self.finish(outcome, equal);
            }
            return Ok(());
        }
        let left = self.lower_compared_string(lhs)?;
        let right = self.lower_compared_string(rhs)?;
        let len_equal = self.builder.ins().icmp(IntCC::Equal, left[1], right[1]);
        self.test_or_decide(len_equal, true, outcome, false);
        // Go's memequal starts with the same test; an empty string's pointer
        // may be anything (null for `""`), so the runtime is not asked then.
        let ptr_equal = self.builder.ins().icmp(IntCC::Equal, left[0], right[0]);
        let empty = self.builder.ins().icmp_imm_s(IntCC::Equal, left[1], 0);
        let trivially_equal = self.builder.ins().bor(ptr_equal, empty);
        self.test_or_decide(trivially_equal, false, outcome, true);
        let order = self.call_runtime(&symbols::STRING_COMPARE, &[left[0], left[1], right[0], right[1]])?[0];
        let equal = self.builder.ins().icmp_imm_s(IntCC::Equal, order, 0);
        self.finish(outcome, equal);
        Ok(())
    }

    /// Whether the `c.len()` bytes at `ptr` (1 to 16 of them, known to be
    /// readable) are `c`'s: read as one or two little-endian words of the
    /// largest power-of-two size that fits, the second one ending at the
    /// last byte (overlapping the first when the length is not a power of
    /// two), each compared with `c`'s bytes at the same offset.
    fn equal_to_const_by_loads(&mut self, ptr: Value, c: &[u8]) -> Result<Value, CodegenError> {
        let n = c.len();
        let word = if n >= 8 { 8 } else { 1 << n.ilog2() };
        let ty = Type::int_with_byte_size(word as u16).ok_or_else(|| backend(format!("no {word}-byte integer type")))?;
        let flags = MemFlagsData::new().with_notrap().with_endianness(cranelift_codegen::ir::Endianness::Little);
        let offsets = if n == word { vec![0] } else { vec![0, n - word] };
        let mut equal = None;
        for offset in offsets {
            let mut bytes = [0u8; 8];
            bytes[..word].copy_from_slice(&c[offset..offset + word]);
            let expected = self.int_const(ty, i128::from(u64::from_le_bytes(bytes)));
            let loaded = self.builder.ins().load(ty, flags, ptr, offset as i32);
            let same = self.builder.ins().icmp(IntCC::Equal, loaded, expected);
            equal = Some(match equal {
                Some(previous) => self.builder.ins().band(previous, same),
                None => same,
            });
        }
        equal.ok_or_else(|| backend("an empty constant compared by loads"))
    }
}
