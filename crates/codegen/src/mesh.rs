//! One object holding many separately compiled nanoservice configs (a mesh
//! of configs placed on one host, docs/split.md "Meshes of configs on one
//! host").
//!
//! Each config is its own program: its own functions, globals, type
//! descriptors, method tables, strings and program table, compiled exactly
//! as [`crate::compile_unit`] compiles it, except that every symbol it
//! defines carries the prefix `g2n_u<N>_` (N: its index in the mesh), so
//! that any number of configs share one object and one executable without a
//! clash. C `main` hands the runtime a table of every config's name,
//! descriptor, unit entry and program table through
//! [`symbols::RT_MAIN_MESH`]; the runtime hosts them as it hosts a split
//! program's nanoservices, one runtime for all.
//!
//! One object (not one per config) because a mesh may hold tens of
//! thousands of configs: one Cranelift module, one ISA and one link instead
//! of as many object files. What makes a config replaceable on its own is
//! unchanged: `g2n build` still writes each config's own executable.

use crate::errors::CodegenError;
use crate::{descriptor_of, lower, make_isa, CodegenOptions};
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, Signature};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use g2n_abi::{symbols, MeshUnitRecord, UnitDescriptor};
use g2n_split::UnitPlan;
use std::mem::offset_of;

/// A config added to a [`MeshObject`].
struct Member {
    name: String,
    descriptor: String,
    entry: FuncId,
    table: DataId,
}

/// Builds the object of a mesh of configs, one config at a time.
pub struct MeshObject {
    module: ObjectModule,
    members: Vec<Member>,
    options: CodegenOptions,
    clif: Option<String>,
    /// Every config's functions as compiled, for the one line table of the
    /// executable (panic traces).
    compiled: Vec<crate::lines::CompiledFunc>,
    names: std::collections::HashMap<cranelift_module::FuncId, crate::lines::FuncName>,
}

/// The symbol prefix of the config at `index` of a mesh.
pub fn member_prefix(index: usize) -> String {
    format!("g2n_u{index}_")
}

impl MeshObject {
    pub fn new(name: &str, options: &CodegenOptions) -> Result<MeshObject, CodegenError> {
        let isa = make_isa()?;
        let builder = ObjectBuilder::new(isa, name.as_bytes().to_vec(), cranelift_module::default_libcall_names())
            .map_err(|e| CodegenError::Backend { message: e.to_string() })?;
        Ok(MeshObject {
            module: ObjectModule::new(builder),
            members: Vec::new(),
            // No packs (lower/prekey.rs): each config is a unit of its own,
            // and a unit opens the pack anew (hashes the library's text,
            // reads and decodes the pack), which for a mesh of 65,535
            // configs did not finish in minutes. Until units share one open
            // pack, a mesh takes library code by the key of its IR.
            options: crate::CodegenOptions {
                function_cache: options.function_cache.clone().map(crate::FunctionCache::without_packs),
                ..options.clone()
            },
            clif: options.emit_clif.then(String::new),
            compiled: Vec::new(),
            names: std::collections::HashMap::new(),
        })
    }

    /// Compiles one config (a unit of a mesh of separate configs) into the
    /// object, under the next member's prefix; returns its descriptor.
    pub fn add(&mut self, unit: &UnitPlan) -> Result<UnitDescriptor, CodegenError> {
        let prefix = member_prefix(self.members.len());
        let call_conv = self.module.isa().default_call_conv();
        let mut entry_sig = Signature::new(call_conv);
        entry_sig.params.push(AbiParam::new(types::I32));
        entry_sig.params.push(AbiParam::new(types::I64));
        let lowered = lower::lower_unit(&mut self.module, unit, entry_sig, &self.options, None, true, &prefix)?;
        let (entry, table) = (lowered.entry, lowered.table);
        if let (Some(all), Some(text)) = (&mut self.clif, lowered.clif) {
            all.push_str(&text);
        }
        self.compiled.extend(lowered.compiled);
        self.names.extend(lowered.names);
        let descriptor = descriptor_of(unit);
        self.members.push(Member { name: unit.name.clone(), descriptor: descriptor.encode(), entry, table });
        Ok(descriptor)
    }

    /// The object, with the table of every config added and C `main`;
    /// flows start on the config at `default` (the mesh's entry).
    pub fn finish(mut self, default: usize) -> Result<(Vec<u8>, Option<String>), CodegenError> {
        let backend = |e: &dyn std::fmt::Display| CodegenError::Backend { message: e.to_string() };
        // Names and descriptors in one blob; the records point into it and
        // at each config's entry and program table.
        let mut blob = Vec::new();
        let mut data = DataDescription::new();
        let record_size = std::mem::size_of::<MeshUnitRecord>();
        let mut records = vec![0u8; self.members.len() * record_size];
        for (i, member) in self.members.iter().enumerate() {
            let at = i * record_size;
            let mut words = [0u64; 4];
            for (k, part) in [member.name.as_bytes(), member.descriptor.as_bytes()].into_iter().enumerate() {
                words[2 * k] = blob.len() as u64;
                words[2 * k + 1] = part.len() as u64;
                blob.extend_from_slice(part);
            }
            for (k, word) in words.iter().enumerate() {
                records[at + 8 * k..at + 8 * k + 8].copy_from_slice(&word.to_le_bytes());
            }
            let entry = self.module.declare_func_in_data(member.entry, &mut data);
            data.write_function_addr((at + offset_of!(MeshUnitRecord, entry)) as u32, entry);
            let table = self.module.declare_data_in_data(member.table, &mut data);
            data.write_data_addr((at + offset_of!(MeshUnitRecord, program)) as u32, table, 0);
        }
        let blob_len = blob.len();
        let blob_id = self.module.declare_data("g2n_mesh_blob", Linkage::Local, false, false).map_err(|e| backend(&e))?;
        let mut blob_data = DataDescription::new();
        blob_data.define(blob.into_boxed_slice());
        self.module.define_data(blob_id, &blob_data).map_err(|e| backend(&e))?;
        let table_id = self.module.declare_data("g2n_mesh_table", Linkage::Local, false, false).map_err(|e| backend(&e))?;
        let records = if records.is_empty() { vec![0u8; 8] } else { records };
        data.define(records.into_boxed_slice());
        data.set_align(8);
        self.module.define_data(table_id, &data).map_err(|e| backend(&e))?;

        let lines = crate::lines::emit(&mut self.module, &self.compiled, &self.names, self.options.sources.as_deref())?;

        let mut ctx = self.module.make_context();
        let mut builder_ctx = FunctionBuilderContext::new();
        let call_conv = self.module.isa().default_call_conv();
        let mut main_sig = Signature::new(call_conv);
        main_sig.params.push(AbiParam::new(types::I32));
        main_sig.params.push(AbiParam::new(types::I64));
        main_sig.returns.push(AbiParam::new(types::I32));
        let main_id = self.module.declare_function(symbols::MAIN, Linkage::Export, &main_sig).map_err(|e| backend(&e))?;
        let rt_main_sig = lower::runtime_signature(&self.module, &symbols::RT_MAIN_MESH);
        let rt_main_id =
            self.module.declare_function(symbols::RT_MAIN_MESH.name, Linkage::Import, &rt_main_sig).map_err(|e| backend(&e))?;
        ctx.func.signature = main_sig;
        let mut b = FunctionBuilder::new(&mut ctx.func, &mut builder_ctx);
        let start = b.create_block();
        b.append_block_params_for_function_params(start);
        b.switch_to_block(start);
        b.seal_block(start);
        let params = b.block_params(start).to_vec();
        crate::lines::register(&mut self.module, &mut b, &lines)?;
        let blob_gv = self.module.declare_data_in_func(blob_id, b.func);
        let blob_addr = b.ins().symbol_value(types::I64, blob_gv);
        let blob_len = b.ins().iconst(types::I64, blob_len as i64);
        let table_gv = self.module.declare_data_in_func(table_id, b.func);
        let table_addr = b.ins().symbol_value(types::I64, table_gv);
        let count = b.ins().iconst(types::I64, self.members.len() as i64);
        let default = b.ins().iconst(types::I64, default as i64);
        let rt_main = self.module.declare_func_in_func(rt_main_id, b.func);
        let call = b.ins().call(rt_main, &[params[0], params[1], blob_addr, blob_len, table_addr, count, default]);
        let result = b.inst_results(call)[0];
        b.ins().return_(&[result]);
        b.finalize(self.module.isa().frontend_config());
        crate::define(&mut self.module, &mut ctx, main_id, &mut self.clif)?;
        let object = self.module.finish().emit().map_err(|e| backend(&e))?;
        Ok((object, self.clif))
    }
}
