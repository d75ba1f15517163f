//! Everything about `goToNetwork`: the unit entry's dispatch on resume
//! points and the received scope, and each hop's exit (its scope built,
//! handed to the runtime), in one-unit and split programs (docs/split.md).

use super::*;

/// The machine words of a scope value with this tag.
fn tag_parts(tag: TypeTag) -> Vec<Type> {
    match tag {
        TypeTag::Nil => vec![],
        TypeTag::Bool | TypeTag::Int8 | TypeTag::Uint8 => vec![types::I8],
        TypeTag::Int16 | TypeTag::Uint16 => vec![types::I16],
        TypeTag::Int32 | TypeTag::Uint32 => vec![types::I32],
        TypeTag::Int | TypeTag::Int64 | TypeTag::Uint | TypeTag::Uint64 | TypeTag::Uintptr => vec![types::I64],
        TypeTag::Float64 => vec![types::F64],
        TypeTag::Float32 => vec![types::F32],
        TypeTag::Complex64 => vec![types::F32, types::F32],
        TypeTag::Complex128 => vec![types::F64, types::F64],
        TypeTag::String => vec![types::I64, types::I64],
    }
}

impl Lowerer<'_, '_> {
    /// The unit entry: `func main` behind a dispatch on the resume point;
    /// each entry first takes its variables out of the received scope.
    pub(super) fn lower_entry(&mut self) -> Result<(), CodegenError> {
        let start = self.builder.create_block();
        self.builder.append_block_params_for_function_params(start);
        self.builder.switch_to_block(start);
        self.builder.seal_block(start);
        let params = self.builder.block_params(start).to_vec();
        let (resume, scope) = (params[0], params[1]);

        let unit = self.unit;
        // A split program's units initialise package-level variables at the
        // program's start only; a resumed flow brings them in its scope.
        if !unit.whole_program {
            self.lower_program_init()?;
        } else if unit.entries.iter().any(|e| e.resume_after.is_some()) {
            self.lower_library_init_once(resume)?;
        }

        // Before the dispatch, so that the frame is there on every resume
        // point too: a resumed main gets back its deferred calls (below).
        let main = self.program.main.ok_or_else(|| backend("unit has no func main"))?;
        if self.program.func(main).has_defer {
            self.enter_defer_frame(main)?;
        }

        let unit = self.unit;
        for entry in &unit.entries {
            for var in entry.vars.iter().filter(|v| v.local.is_none()) {
                let vars: Vec<Variable> = tag_parts(var.tag).iter().map(|ty| self.builder.declare_var(*ty)).collect();
                self.pass_through.insert(var.name.clone(), vars);
            }
        }

        let body = self.builder.create_block();
        // Dispatch on the resume point with a jump table / binary search
        // (cranelift_frontend::Switch): a chain of comparisons cost a
        // per-line split of a 65,535-line main 30,000 compares per hop.
        let unknown = self.builder.create_block();
        let mut switch = cranelift_frontend::Switch::new();
        let entry_blocks: Vec<Block> = unit
            .entries
            .iter()
            .map(|entry| {
                let block = self.builder.create_block();
                switch.set_entry(entry.resume_point as u128, block);
                block
            })
            .collect();
        switch.emit(&mut self.builder, resume, unknown);
        for (entry, &entry_block) in unit.entries.iter().zip(&entry_blocks) {
            self.builder.seal_block(entry_block);
            self.builder.switch_to_block(entry_block);
            if unit.whole_program && entry.resume_after.is_none() {
                self.lower_program_init()?;
            }
            for (slot, var) in entry.vars.iter().enumerate() {
                if let (Some(graph), Some(local)) = (var.graph, var.local) {
                    self.scope_get_graph(scope, slot as u32, local, graph)?;
                    continue;
                }
                let values = self.scope_get(scope, slot as u32, var.tag)?;
                match var.local {
                    Some(local) => {
                        let l = self.program.local(local);
                        let parts = self.parts(l.ty, l.span)?;
                        let values = self.wire_convert(values, &parts);
                        self.define_local(local, Some(values))?
                    }
                    None => {
                        let vars = self.pass_through.get(&var.name).cloned().unwrap_or_default();
                        for (v, value) in vars.iter().zip(values) {
                            self.builder.def_var(*v, value);
                        }
                    }
                }
            }
            if let (Some(frame), Some(defers)) = (self.defer_frame, self.program.main_defers)
                && entry.vars.iter().any(|v| v.local == Some(defers))
            {
                let list = self.read_local(defers)?;
                self.call_runtime(&symbols::DEFER_RESTORE, &[frame, list[0], list[1]])?;
            }
            let target = match entry.resume_after {
                // Sealed once the hop before it is lowered: a hop to this
                // unit itself also jumps there.
                Some(site) => *self.resume_blocks.entry(site).or_insert_with(|| self.builder.create_block()),
                None => body,
            };
            self.builder.ins().jump(target, &[]);
        }
        // An unknown resume point cannot pass the runtime's checks.
        self.builder.seal_block(unknown);
        self.builder.switch_to_block(unknown);
        self.builder.ins().trap(TrapCode::unwrap_user(1));
        self.builder.seal_block(body);
        self.builder.switch_to_block(body);
        let stmts = &self.program.func(main).body.stmts;
        self.lower_stmts(stmts)?;
        self.exit_defer_frame()?;
        self.builder.ins().return_(&[]);
        Ok(())
    }

    fn scope_get(&mut self, scope: Value, slot: u32, tag: TypeTag) -> Result<Vec<Value>, CodegenError> {
        let slot_value = self.builder.ins().iconst(types::I32, slot as i64);
        Ok(match tag {
            TypeTag::Int => self.call_runtime(&symbols::SCOPE_GET_INT, &[scope, slot_value])?,
            TypeTag::Bool => self.call_runtime(&symbols::SCOPE_GET_BOOL, &[scope, slot_value])?,
            TypeTag::Float64 => {
                self.call_runtime(&symbols::SCOPE_GET_FLOAT64, &[scope, slot_value])?
            }
            TypeTag::String => {
                let out = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
                let out_addr = self.builder.ins().stack_addr(types::I64, out, 0);
                self.call_runtime(&symbols::SCOPE_GET_STRING, &[scope, slot_value, out_addr])?;
                let ptr = self.builder.ins().stack_load(types::I64, types::I64, out, 0);
                let len = self.builder.ins().stack_load(types::I64, types::I64, out, 8);
                vec![ptr, len]
            }
            TypeTag::Nil => vec![],
            other => return Err(backend(format!("a {} cannot travel in a scope yet", other.go_name()))),
        })
    }

    /// A received graph variable (docs/split.md): a cell becomes the local's
    /// storage; a value is written to a stack buffer by the runtime and
    /// defined from there.
    fn scope_get_graph(&mut self, scope: Value, slot: u32, local: LocalId, graph: GraphSlot) -> Result<(), CodegenError> {
        let l = self.program.local(local);
        let (ty, span) = (l.ty, l.span);
        let desc = self.desc_address(ty)?;
        let slot_value = self.builder.ins().iconst(types::I32, slot as i64);
        match graph {
            GraphSlot::Cell => {
                let storage = self.call_runtime(&symbols::SCOPE_GET_CELL, &[scope, slot_value, desc])?[0];
                let var = self.cell_var(local);
                self.builder.def_var(var, storage);
                self.declared_cells.insert(local);
            }
            GraphSlot::Value => {
                // Small values land on the stack; a large struct or array
                // (the entry's frame holds every such buffer) in the heap.
                let size = self.program.types.layout(ty).size.max(8);
                let addr = if size <= 256 {
                    let buffer = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size as u32, 3));
                    self.builder.ins().stack_addr(types::I64, buffer, 0)
                } else {
                    self.alloc(size)?
                };
                self.call_runtime(&symbols::SCOPE_GET_VALUE, &[scope, slot_value, desc, addr])?;
                let values = self.load_value(ty, addr, span)?;
                self.define_local(local, Some(values))?;
            }
        }
        Ok(())
    }

    /// A graph variable sent at a hop: a cell's storage, or the address of
    /// its value (the runtime copies it).
    fn scope_put_graph(&mut self, scope: Value, slot: u32, local: LocalId, graph: GraphSlot) -> Result<(), CodegenError> {
        let l = self.program.local(local);
        let (ty, span) = (l.ty, l.span);
        let desc = self.desc_address(ty)?;
        let slot_value = self.builder.ins().iconst(types::I32, slot as i64);
        let (symbol, addr) = match graph {
            GraphSlot::Cell => (symbols::SCOPE_PUT_CELL, self.local_addr(local)?),
            GraphSlot::Value => {
                let addr = match self.global_addr(local) {
                    Some(addr) => addr,
                    None => {
                        let values = self.read_local(local)?;
                        if self.program.types.is_aggregate(ty) {
                            values[0]
                        } else {
                            let size = self.program.types.layout(ty).size.max(8);
                            let buffer = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size as u32, 3));
                            let addr = self.builder.ins().stack_addr(types::I64, buffer, 0);
                            self.store_value(ty, addr, values, span)?;
                            addr
                        }
                    }
                };
                (symbols::SCOPE_PUT_VALUE, addr)
            }
        };
        self.call_runtime(&symbol, &[scope, slot_value, desc, addr])?;
        Ok(())
    }

    /// `goToNetwork`: pack the exit's variables into a scope, hand it to the
    /// runtime, and end the flow on this unit.
    pub(super) fn lower_hop(&mut self, site: u32, span: Span) -> Result<(), CodegenError> {
        let unit = self.unit;
        if unit.whole_program {
            return self.lower_split_hop(site, span);
        }
        self.lower_hop_exit(site, span)
    }

    /// A hop in a split program's unit: a no-op when it targets the unit
    /// itself, a trap when the unit can never execute it (no exit planned),
    /// else the handoff. The flow resumes here when the unit is entered at
    /// this site's resume point.
    fn lower_split_hop(&mut self, site: u32, span: Span) -> Result<(), CodegenError> {
        let unit = self.unit;
        let resume = self.resume_blocks.get(&site).copied();
        if let Some(names) = self.mcx.split_units.clone() {
            return self.lower_shared_hop(site, span, resume, &names);
        }
        let to_self = self.program.hops.get(site as usize).is_some_and(|h| h.target == unit.name);
        if to_self {
            if let Some(resume) = resume {
                self.builder.ins().jump(resume, &[]);
                self.builder.seal_block(resume);
                self.builder.switch_to_block(resume);
            }
            return Ok(());
        }
        if self.exit_of(site).is_some() {
            self.lower_hop_exit(site, span)?;
        } else {
            // The analysis proved that no flow reaches this hop on this unit.
            self.builder.ins().trap(TrapCode::unwrap_user(1));
            self.start_dead_block();
        }
        if let Some(resume) = resume {
            // Jump from the dead block left by the hop, so that the resumed
            // code follows in the dead block's place.
            self.builder.ins().jump(resume, &[]);
            self.builder.seal_block(resume);
            self.builder.switch_to_block(resume);
        }
        Ok(())
    }

    /// A hop in the one object that serves every nanoservice of a split
    /// program: which nanoservice executes it is known at run time only, so
    /// a hop to the current one is skipped by a comparison; any other is the
    /// handoff (the runtime refuses an exit that the current nanoservice's
    /// descriptor does not plan).
    fn lower_shared_hop(&mut self, site: u32, span: Span, resume: Option<Block>, names: &HashMap<String, usize>) -> Result<(), CodegenError> {
        let after = resume.unwrap_or_else(|| self.builder.create_block());
        let planned = self.exit_of(site).is_some();
        let target = self.program.hops.get(site as usize).map(|h| h.target.as_str()).unwrap_or_default();
        if let Some(&target_index) = names.get(target) {
            // Asked at every hop (a runtime call, not a global): in a host
            // serving several nanoservices, the flow's current nanoservice
            // changes at every in-host hop, and flows run concurrently.
            let index = self.call_runtime(&symbols::FLOW_UNIT, &[])?[0];
            let to_self = self.builder.ins().icmp_imm_s(IntCC::Equal, index, target_index as i64);
            let hop_block = self.builder.create_block();
            self.builder.ins().brif(to_self, after, &[], hop_block, &[]);
            self.builder.seal_block(hop_block);
            self.builder.switch_to_block(hop_block);
        }
        if planned {
            self.lower_hop_exit(site, span)?;
        } else {
            self.builder.ins().trap(TrapCode::unwrap_user(1));
            self.start_dead_block();
        }
        self.builder.ins().jump(after, &[]);
        self.builder.seal_block(after);
        self.builder.switch_to_block(after);
        Ok(())
    }

    /// Converts a travelling value between its local's machine types and the
    /// wire's: integers of any width travel as `i64` (truncated back on
    /// arrival), `float32` as `f64`.
    fn wire_convert(&mut self, values: Vec<Value>, want: &[Type]) -> Vec<Value> {
        values
            .into_iter()
            .zip(want)
            .map(|(value, &want)| {
                let have = self.builder.func.dfg.value_type(value);
                if have == want {
                    value
                } else if have.is_int() && want.is_int() && have.bits() > want.bits() {
                    self.builder.ins().ireduce(want, value)
                } else if have.is_int() && want.is_int() {
                    self.builder.ins().uextend(want, value)
                } else if have == types::F32 && want == types::F64 {
                    self.builder.ins().fpromote(want, value)
                } else if have == types::F64 && want == types::F32 {
                    self.builder.ins().fdemote(want, value)
                } else {
                    value
                }
            })
            .collect()
    }

    /// The planned exit of hop `site`. Exits are planned in site order, so a
    /// binary search finds it (a per-line split of a long `main` has one
    /// exit per line); the linear scan is for any other order.
    fn exit_of(&self, site: u32) -> Option<&g2n_split::ExitPlan> {
        exit_of(self.unit, site)
    }

    /// Packs the exit's variables, hands them to the runtime, and returns.
    fn lower_hop_exit(&mut self, site: u32, span: Span) -> Result<(), CodegenError> {
        let unit = self.unit;
        let exit = exit_of(unit, site).ok_or_else(|| unsupported("goToNetwork without a planned exit", span))?;
        if let Some(frame) = self.defer_frame {
            // The deferred calls leave with the flow (in the scope when the
            // plan sends them); this frame ends here without running them.
            let header = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 24, 3));
            let addr = self.builder.ins().stack_addr(types::I64, header, 0);
            self.call_runtime(&symbols::DEFER_TAKE, &[frame, addr])?;
            if let Some(defers) = self.program.main_defers {
                let words: Vec<Value> =
                    (0..3).map(|i| self.builder.ins().load(types::I64, MemFlagsData::trusted(), addr, i * 8)).collect();
                self.write_local(defers, words)?;
            }
        }
        let scope = self.call_runtime(&symbols::SCOPE_NEW, &[])?[0];
        for (slot, var) in exit.vars.iter().enumerate() {
            if let Some(graph) = var.graph {
                let VarSource::Local(local) = var.source else {
                    return Err(unsupported(&format!("passing {} of type {} on without using it", var.name, var.go_type), span));
                };
                self.scope_put_graph(scope, slot as u32, local, graph)?;
                continue;
            }
            let values: Vec<Value> = match var.source {
                VarSource::Local(local) => self.read_local(local)?,
                VarSource::PassThrough => {
                    let vars = self.pass_through.get(&var.name).cloned().unwrap_or_default();
                    vars.iter().map(|v| self.builder.use_var(*v)).collect()
                }
            };
            let values = self.wire_convert(values, &tag_parts(var.tag));
            let slot_value = self.builder.ins().iconst(types::I32, slot as i64);
            let put = match var.tag {
                TypeTag::Int => symbols::SCOPE_PUT_INT,
                TypeTag::Bool => symbols::SCOPE_PUT_BOOL,
                TypeTag::Float64 => symbols::SCOPE_PUT_FLOAT64,
                TypeTag::String => symbols::SCOPE_PUT_STRING,
                TypeTag::Nil => continue,
                other => return Err(unsupported(&format!("sending a {} in a scope", other.go_name()), span)),
            };
            let mut args = vec![scope, slot_value];
            args.extend(values);
            self.call_runtime(&put, &args)?;
        }
        let index = self.builder.ins().iconst(types::I32, site as i64);
        self.call_runtime(&symbols::GO_TO_NETWORK, &[index, scope])?;
        self.builder.ins().return_(&[]);
        self.start_dead_block();
        Ok(())
    }
}

/// See `Lowerer::exit_of`.
fn exit_of(unit: &UnitPlan, site: u32) -> Option<&g2n_split::ExitPlan> {
    let exits = &unit.exits;
    match exits.binary_search_by_key(&site, |e| e.index) {
        Ok(i) => Some(&exits[i]),
        Err(_) => exits.iter().find(|e| e.index == site),
    }
}
