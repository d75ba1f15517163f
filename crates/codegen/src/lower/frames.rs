//! Function bodies: package initialisation, the prologue of an ordinary
//! function (closure captures, parameters, results) and defer frames.

use super::*;

impl Lowerer<'_, '_> {
    /// Package-level initialisers (but those laid out as data, static_data)
    /// and `func init`s, package by package in Go's order.
    pub(super) fn lower_program_init(&mut self) -> Result<(), CodegenError> {
        self.lower_package_init(false)
    }

    /// The library packages' part of [`Self::lower_program_init`]: what a
    /// process entered at a hop runs once, before its first arrival. Every
    /// process holds the whole program, but only the one that starts the
    /// flow runs resume point 0; the others would keep the library's
    /// variables that are not statically initialised zeroed (reflect's
    /// `basicTypes = makeBasicTypes()`: empty). The program's own variables
    /// travel, and its `init`s may print: they run at the start only.
    fn lower_package_init(&mut self, library_only: bool) -> Result<(), CodegenError> {
        let program = self.program;
        let in_library = |span: Span| !library_only || g2n_sema::stdlib::package_of_file(span.file).is_some();
        let unread = crate::unread_globals::unread_library_globals(program);
        // Package by package, imports first: each one's variables, then its
        // `init`s, before the next package's variables (Go's order).
        let ends = program.package_init_ends.iter().copied().chain(std::iter::once((program.global_inits.len(), program.inits.len())));
        let (mut globals_from, mut inits_from) = (0, 0);
        for (globals_end, inits_end) in ends {
            let globals = program.global_inits.get(globals_from..globals_end).unwrap_or_default();
            let inits = program.inits.get(inits_from..inits_end).unwrap_or_default();
            (globals_from, inits_from) = (globals_end.max(globals_from), inits_end.max(inits_from));
            for (local, value) in globals {
                if unread.contains(local) || self.mcx.static_globals.contains(local) || !in_library(program.local(*local).span) {
                    continue;
                }
                if let Some(value) = value {
                    let values = self.lower_expr(*value)?;
                    self.write_local(*local, values)?;
                }
            }
            for init in inits.iter().filter(|init| in_library(program.func(**init).span)) {
                let func_ref = self.func_ref(*init, program.func(*init).span)?;
                self.builder.ins().call(func_ref, &[]);
            }
        }
        Ok(())
    }

    /// A whole program's library initialisation on a process's first
    /// arrival at a hop (`lower_package_init`): a per-process flag, set by
    /// whichever entry comes first, so that a process that started the flow
    /// (resume point 0 runs every initialiser) or already received one does
    /// not reset the library's variables.
    pub(super) fn lower_library_init_once(&mut self, resume: Value) -> Result<(), CodegenError> {
        let name = self.mcx.symbol("g2n_packages_initialised");
        let id = self.mcx.module.declare_data(&name, Linkage::Local, true, false).map_err(backend)?;
        let mut data = DataDescription::new();
        data.define_zeroinit(8);
        data.set_align(8);
        self.mcx.module.define_data(id, &data).map_err(backend)?;
        let gv = self.mcx.module.declare_data_in_func(id, self.builder.func);
        let flag = self.builder.ins().symbol_value(types::I64, gv);
        let done = self.builder.ins().load(types::I64, MemFlagsData::trusted(), flag, 0);
        let first = self.builder.create_block();
        let library = self.builder.create_block();
        let after = self.builder.create_block();
        self.builder.ins().brif(done, after, &[], first, &[]);
        self.builder.seal_block(first);
        self.builder.switch_to_block(first);
        self.builder.set_cold_block(first);
        let one = self.builder.ins().iconst(types::I64, 1);
        self.builder.ins().store(MemFlagsData::trusted(), one, flag, 0);
        // Resume point 0 runs every initialiser in its own entry.
        self.builder.ins().brif(resume, library, &[], after, &[]);
        self.builder.seal_block(library);
        self.builder.switch_to_block(library);
        self.builder.set_cold_block(library);
        self.lower_package_init(true)?;
        self.builder.ins().jump(after, &[]);
        self.builder.seal_block(after);
        self.builder.switch_to_block(after);
        Ok(())
    }

    /// The prologue of a function that defers: a frame from the runtime and
    /// `_setjmp` on it; a panic comes back here with a non-zero result, runs
    /// the deferred calls, and returns from the function if one recovered.
    pub(super) fn enter_defer_frame(&mut self, func: FuncId) -> Result<(), CodegenError> {
        let frame = self.call_runtime(&symbols::DEFER_ENTER, &[])?[0];
        let jumped = self.call_runtime(&symbols::SETJMP, &[frame])?[0];
        let landing = self.builder.create_block();
        let body = self.builder.create_block();
        self.builder.ins().brif(jumped, landing, &[], body, &[]);
        self.builder.seal_block(landing);
        self.builder.seal_block(body);
        self.builder.set_cold_block(landing);
        self.builder.switch_to_block(landing);
        self.call_runtime(&symbols::DEFER_LANDING, &[frame])?;
        // Recovered: named results as the deferred calls left them, else zeros.
        let f = self.program.func(func);
        let (results, result_locals) = (f.results.clone(), f.result_locals.clone());
        let span = f.span;
        let mut returned = Vec::new();
        if result_locals.is_empty() {
            for (index, ty) in results.into_iter().enumerate() {
                match self.result_dests.get(index).copied().flatten() {
                    Some(dest) => {
                        let size = self.program.types.layout(ty).size;
                        self.zero_memory(dest, size);
                        returned.push(dest);
                    }
                    None => returned.extend(self.zero_of(ty, span)?),
                }
            }
        } else {
            for local in result_locals {
                returned.extend(self.read_local(local)?);
            }
            returned = self.write_results(returned, span)?;
        }
        self.builder.ins().return_(&returned);
        self.builder.switch_to_block(body);
        self.defer_frame = Some(frame);
        Ok(())
    }

    /// Runs the deferred calls before a normal return.
    pub(super) fn exit_defer_frame(&mut self) -> Result<(), CodegenError> {
        if let Some(frame) = self.defer_frame {
            self.call_runtime(&symbols::DEFER_EXIT, &[frame])?;
        }
        Ok(())
    }

    pub(super) fn lower_plain_function(&mut self, id: FuncId) -> Result<(), CodegenError> {
        let func = self.program.func(id);
        let start = self.builder.create_block();
        self.builder.append_block_params_for_function_params(start);
        self.builder.switch_to_block(start);
        self.builder.seal_block(start);
        let mut params = self.builder.block_params(start).to_vec().into_iter();
        if let Some(captures) = &func.captures {
            // The closure object: the function, then a pointer to each
            // captured variable's storage.
            let env = params.next().ok_or_else(|| backend("closure without its object"))?;
            for (index, local) in captures.iter().enumerate() {
                let storage = self.builder.ins().load(types::I64, MemFlagsData::trusted(), env, ((index + 1) * 8) as i32);
                let var = self.cell_var(*local);
                self.builder.def_var(var, storage);
                self.declared_cells.insert(*local);
            }
        }
        for param in &func.params {
            let l = self.program.local(*param);
            let count = self.parts(l.ty, l.span)?.len();
            let values: Vec<Value> = params.by_ref().take(count).collect();
            // A struct or array argument is the caller's value: copied here.
            self.define_local(*param, Some(values))?;
        }
        self.result_dests = func.results.iter().map(|ty| if self.program.types.is_aggregate(*ty) { params.next() } else { None }).collect();
        for result in &func.result_locals {
            self.define_local(*result, None)?;
        }
        if func.has_defer {
            self.enter_defer_frame(id)?;
        }
        self.lower_stmts(&func.body.stmts)?;
        if func.results.is_empty() {
            self.exit_defer_frame()?;
            self.builder.ins().return_(&[]);
        } else {
            // Sema proved the body terminating: this point is unreachable.
            self.builder.ins().trap(TrapCode::unwrap_user(3));
        }
        Ok(())
    }
}
