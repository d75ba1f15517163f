//! HIR locals: Cranelift variables for values kept in registers, and the
//! storage (heap cell, stack slot or package-level data) of those in memory.

use super::*;

impl Lowerer<'_, '_> {
    fn local_vars(&mut self, local: LocalId) -> Result<Vec<Variable>, CodegenError> {
        if let Some(vars) = self.locals.get(&local) {
            return Ok(vars.clone());
        }
        let l = self.program.local(local);
        let parts = self.parts(l.ty, l.span)?;
        // A variable read on a path without a definition reads zero (the SSA
        // builder's rule at the entry block), which is Go's zero value.
        let vars: Vec<Variable> = parts.iter().map(|ty| self.builder.declare_var(*ty)).collect();
        self.locals.insert(local, vars.clone());
        Ok(vars)
    }

    /// The address of a package-level variable's storage.
    pub(super) fn global_addr(&mut self, local: LocalId) -> Option<Value> {
        let id = *self.mcx.globals.get(&local)?;
        let gv = self.mcx.module.declare_data_in_func(id, self.builder.func);
        Some(self.builder.ins().symbol_value(types::I64, gv))
    }

    /// Whether a local lives in memory rather than in SSA variables.
    fn in_memory(&self, local: LocalId) -> bool {
        let l = self.program.local(local);
        l.escapes || self.program.types.is_aggregate(l.ty)
    }

    pub(super) fn cell_var(&mut self, local: LocalId) -> Variable {
        if let Some(var) = self.cells.get(&local) {
            return *var;
        }
        let var = self.builder.declare_var(types::I64);
        self.cells.insert(local, var);
        var
    }

    /// The address of a memory-stored local's storage.
    pub(super) fn local_addr(&mut self, local: LocalId) -> Result<Value, CodegenError> {
        if let Some(addr) = self.global_addr(local) {
            return Ok(addr);
        }
        if !self.in_memory(local) {
            return Err(unsupported("taking the address of this variable", self.program.local(local).span));
        }
        if !self.declared_cells.contains(&local) {
            self.define_local(local, None)?;
        }
        let var = self.cell_var(local);
        Ok(self.builder.use_var(var))
    }

    pub(super) fn read_local(&mut self, local: LocalId) -> Result<Vec<Value>, CodegenError> {
        if self.global_addr(local).is_some() || self.in_memory(local) {
            let addr = self.local_addr(local)?;
            let ty = self.program.local(local).ty;
            return self.load_value(ty, addr, self.program.local(local).span);
        }
        let vars = self.local_vars(local)?;
        Ok(vars.iter().map(|v| self.builder.use_var(*v)).collect())
    }

    pub(super) fn write_local(&mut self, local: LocalId, values: Vec<Value>) -> Result<(), CodegenError> {
        if self.global_addr(local).is_some() || self.in_memory(local) {
            if self.global_addr(local).is_none() && !self.declared_cells.contains(&local) {
                return self.define_local(local, Some(values));
            }
            let addr = match self.global_addr(local) {
                Some(addr) => addr,
                None if self.may_resume_in_main() => self.cell_or_fresh(local)?,
                None => self.local_addr(local)?,
            };
            let ty = self.program.local(local).ty;
            return self.store_value(ty, addr, values, self.program.local(local).span);
        }
        let vars = self.local_vars(local)?;
        for (var, value) in vars.iter().zip(values) {
            self.builder.def_var(*var, value);
        }
        Ok(())
    }

    /// Whether code of main may run after a resume entry: a flow resumed at a
    /// hop jumps into the middle of main, past declarations.
    fn may_resume_in_main(&self) -> bool {
        self.unit.whole_program && self.unit.entries.len() > 1 && self.current.is_none()
    }

    /// The storage of a memory-stored local about to be overwritten. On a
    /// resumed flow, a local that did not travel (it was not live: only
    /// written from here on) has no storage yet: it gets fresh storage then.
    fn cell_or_fresh(&mut self, local: LocalId) -> Result<Value, CodegenError> {
        let addr = self.local_addr(local)?;
        let missing = self.builder.create_block();
        let merge = self.builder.create_block();
        self.builder.ins().brif(addr, merge, &[], missing, &[]);
        self.builder.seal_block(missing);
        self.builder.switch_to_block(missing);
        self.builder.set_cold_block(missing);
        self.fresh_storage(local, false)?;
        self.builder.ins().jump(merge, &[]);
        self.builder.seal_block(merge);
        self.builder.switch_to_block(merge);
        let var = self.cell_var(local);
        Ok(self.builder.use_var(var))
    }

    /// New storage for a memory-stored local, now its cell: zeroed unless
    /// `overwritten` (the caller stores a whole value in it at once). A
    /// local that escape analysis keeps in the frame reuses its stack slot:
    /// nothing can hold the address of its previous incarnation.
    fn fresh_storage(&mut self, local: LocalId, overwritten: bool) -> Result<Value, CodegenError> {
        let layout = self.program.types.layout(self.program.local(local).ty);
        let storage = if self.mcx.stack.locals.contains(&local) {
            let slot = match self.stack_slots.get(&local) {
                Some(slot) => *slot,
                None => {
                    let slot = self.new_stack_slot(layout.size, layout.align);
                    self.stack_slots.insert(local, slot);
                    slot
                }
            };
            let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
            if !overwritten {
                self.zero_memory(addr, layout.size);
            }
            addr
        } else {
            self.alloc(layout.size)?
        };
        let var = self.cell_var(local);
        self.builder.def_var(var, storage);
        Ok(storage)
    }

    pub(super) fn new_stack_slot(&mut self, size: u64, align: u64) -> cranelift_codegen::ir::StackSlot {
        let align_shift = align.clamp(1, 16).trailing_zeros() as u8;
        self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size.max(1) as u32, align_shift))
    }

    /// The address of a new frame slot of `size` bytes: memory that lives
    /// until the function returns.
    pub(super) fn stack_memory(&mut self, size: u64, align: u64) -> Value {
        let slot = self.new_stack_slot(size, align);
        self.builder.ins().stack_addr(types::I64, slot, 0)
    }

    /// `x := f()` or `x = f()` of a call of Go code with one struct or
    /// array result: the call writes the result into x's storage (calls.rs:
    /// a function writes its destination only as it returns, so nothing
    /// sees x half-written, as nothing does in Go). `false`, with nothing
    /// lowered, when `value` is no such call.
    pub(super) fn assign_from_call(&mut self, local: LocalId, value: ExprId, define: bool) -> Result<bool, CodegenError> {
        if !self.writes_aggregate_result(value) {
            return Ok(false);
        }
        let dest = match self.global_addr(local) {
            Some(addr) => addr,
            None if define || !self.declared_cells.contains(&local) => {
                let storage = self.fresh_storage(local, true)?;
                self.declared_cells.insert(local);
                storage
            }
            None if self.may_resume_in_main() => self.cell_or_fresh(local)?,
            None => self.local_addr(local)?,
        };
        self.lower_call_into(value, vec![dest])?;
        Ok(true)
    }

    /// Executes a declaration: memory-stored locals get fresh storage (each
    /// execution of a declaration makes a new variable, which closures and
    /// pointers can tell apart), then the value or the zero value.
    pub(super) fn define_local(&mut self, local: LocalId, values: Option<Vec<Value>>) -> Result<(), CodegenError> {
        let l = self.program.local(local);
        let (ty, span) = (l.ty, l.span);
        if self.global_addr(local).is_none() && self.in_memory(local) {
            let storage = self.fresh_storage(local, values.is_some() && self.program.types.is_aggregate(ty))?;
            self.declared_cells.insert(local);
            if let Some(values) = values {
                self.store_value(ty, storage, values, span)?;
            }
            return Ok(());
        }
        let values = match values {
            Some(values) => values,
            None => self.zero_of(ty, span)?,
        };
        self.write_local(local, values)
    }
}
