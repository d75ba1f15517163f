//! The program table's list of library package variables that stay on each
//! host ([`g2n_abi::ProgramTable::library_vars`]): the runtime sends an object
//! one of them holds at a hop (io.EOF's `*errors.errorString`) as a reference
//! to the variable, so that library code downstream that compares with its
//! own variable (`if err == EOF`) finds the same object (docs/split.md,
//! "Package-level variables").

use super::*;
use g2n_abi::GlobalEntry;
use std::collections::BTreeMap;
use std::mem::{offset_of, size_of};

const ENTRY_SIZE: usize = size_of::<GlobalEntry>();

impl ModuleCtx<'_> {
    /// Defines the list (name `PKG.NAME`, storage, type, as in the globals
    /// list) and returns it with its length. Which variables stay is the
    /// split's rule ([`g2n_split::resident_library_globals`]): those that
    /// travel are sent whole, by value.
    /// Those assigned only by their initialisers come first; the count of
    /// them is returned too.
    pub(super) fn library_vars_table(&mut self, program: &hir::Program) -> Result<(DataId, usize, usize), CodegenError> {
        let mut vars: Vec<(LocalId, &'static str, bool, DataId)> = g2n_split::resident_library_globals(program)
            .into_iter()
            .filter_map(|(l, pkg, reassigned)| self.globals.get(&l).map(|d| (l, pkg, reassigned, *d)))
            .collect();
        vars.sort_by_key(|(_, _, reassigned, _)| *reassigned);
        let fixed = vars.iter().filter(|v| !v.2).count();
        let mut bytes = vec![0u8; ENTRY_SIZE * vars.len()];
        let mut data = DataDescription::new();
        // A package may declare a name twice only in different scopes, but
        // two blank (`_`) variables share one: the repeats are numbered, as
        // function literals are in the functions list.
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        for (i, (local, pkg, _, storage)) in vars.iter().enumerate() {
            let at = i * ENTRY_SIZE;
            let l = program.local(*local);
            let qualified = format!("{pkg}.{}", l.name);
            let repeat = seen.entry(qualified.clone()).or_insert(0);
            let name = if *repeat == 0 { qualified } else { format!("{qualified}#{repeat}") };
            *repeat += 1;
            self.write_string(&mut data, &mut bytes, at + offset_of!(GlobalEntry, name), &name)?;
            let gv = self.module.declare_data_in_data(*storage, &mut data);
            data.write_data_addr((at + offset_of!(GlobalEntry, addr)) as u32, gv, 0);
            let desc = self.desc_id(program.types.default_type(l.ty))?;
            let gv = self.module.declare_data_in_data(desc, &mut data);
            data.write_data_addr((at + offset_of!(GlobalEntry, desc)) as u32, gv, 0);
        }
        let id = self.define_table_part("g2n_table_library_vars", bytes, data)?;
        Ok((id, vars.len(), fixed))
    }
}
