//! The executable's line table (layout `g2n_abi::LineFunc`), from which the
//! runtime prints a panic's goroutine trace as Go does: for every compiled
//! function its code, its Go name (`main.f`, `main.main.func1`,
//! `strconv.Atoi`) and file, and its code offsets with their lines.
//!
//! Lowering marks every statement's instructions with the statement's byte
//! offset as Cranelift source location; after compilation Cranelift reports
//! which code ranges carry which location, and the offsets become lines
//! here, in the file the compiler was given (a config's YAML for code
//! embedded in one). Cranelift's inliner does not carry locations into the
//! caller, so inlined code carries the nearest statement's location before
//! it in the caller: the call's line, as the caller's frame would show.

use crate::errors::CodegenError;
use cranelift_codegen::Context;
use cranelift_codegen::ir::{InstBuilder, types};
use cranelift_frontend::FunctionBuilder;
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::ObjectModule;
use g2n_abi::{LineFunc, symbols};
use g2n_base::{FileId, SourceDb};
use std::collections::HashMap;

/// One function as compiled: its code size and its (code offset, byte
/// offset in its file) pairs, sorted by code offset.
pub(crate) struct CompiledFunc {
    pub id: FuncId,
    pub size: u32,
    pub locations: Vec<(u32, u32)>,
}

impl CompiledFunc {
    /// What Cranelift reported for the function just defined from `ctx`.
    pub(crate) fn of(id: FuncId, ctx: &Context) -> Option<CompiledFunc> {
        Some(CompiledFunc::of_code(id, ctx.compiled_code()?))
    }

    /// The same for `code`.
    pub(crate) fn of_code(id: FuncId, code: &cranelift_codegen::CompiledCode) -> CompiledFunc {
        let mut locations: Vec<(u32, u32)> =
            code.buffer.get_srclocs_sorted().iter().filter(|l| !l.loc.is_default()).map(|l| (l.start, l.loc.bits())).collect();
        locations.dedup_by_key(|l| l.1);
        CompiledFunc { id, size: code.code_info().total_size, locations }
    }
}

/// Who a compiled function is, for the trace: its Go name (empty for
/// wrappers and adapters, which Go does not show) and the file of its body.
#[derive(Clone)]
pub(crate) struct FuncName {
    pub name: String,
    pub file: FileId,
}

/// The emitted table, for C `main` to register.
pub(crate) struct LineTable {
    funcs: DataId,
    count: usize,
    blob: DataId,
    blob_len: usize,
}

/// Line starts of one file, and its name.
struct FileLines {
    name: String,
    starts: Vec<u32>,
}

impl FileLines {
    fn new(name: &str, text: &str) -> FileLines {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i as u32 + 1));
        FileLines { name: name.to_string(), starts }
    }

    fn line(&self, offset: u32) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }
}

/// Defines the line table of `compiled` in `module`.
pub(crate) fn emit(
    module: &mut ObjectModule,
    compiled: &[CompiledFunc],
    names: &HashMap<FuncId, FuncName>,
    sources: Option<&SourceDb>,
) -> Result<LineTable, CodegenError> {
    let backend = |e: cranelift_module::ModuleError| CodegenError::Backend { message: e.to_string() };
    let mut files: HashMap<FileId, Option<FileLines>> = HashMap::new();
    let mut blob: Vec<u8> = Vec::new();
    let mut records = Vec::new();
    let mut funcs = DataDescription::new();
    let put = |blob: &mut Vec<u8>, bytes: &[u8]| {
        let offset = blob.len() as u32;
        blob.extend_from_slice(bytes);
        (offset, bytes.len() as u32)
    };
    for func in compiled {
        let Some(who) = names.get(&func.id) else { continue };
        let lines = files.entry(who.file).or_insert_with(|| match g2n_sema::stdlib::source_of_file(who.file) {
            Some((name, text)) => Some(FileLines::new(name, text)),
            None => sources.and_then(|db| db.file(who.file)).map(|f| FileLines::new(f.trace_name(), &f.code)),
        });
        let (name_offset, name_len) = put(&mut blob, who.name.as_bytes());
        let (file_offset, file_len) = put(&mut blob, lines.as_ref().map_or("?", |l| l.name.as_str()).as_bytes());
        let mut pairs = Vec::new();
        if let Some(lines) = lines {
            let mut last = None;
            for &(code, byte) in &func.locations {
                let line = lines.line(byte);
                if last != Some(line) {
                    pairs.extend_from_slice(&code.to_le_bytes());
                    pairs.extend_from_slice(&line.to_le_bytes());
                    last = Some(line);
                }
            }
        }
        let (lines_offset, _) = put(&mut blob, &pairs);
        let record = LineFunc {
            code: std::ptr::null(),
            code_len: u64::from(func.size),
            name_offset,
            name_len,
            file_offset,
            file_len,
            lines_offset,
            nlines: (pairs.len() / 8) as u32,
        };
        // The record's bytes, field by field at their offsets; `code` is a
        // relocation to the function.
        let at = records.len();
        records.resize(at + size_of::<LineFunc>(), 0);
        let field = |records: &mut Vec<u8>, offset: usize, bytes: &[u8]| records[at + offset..at + offset + bytes.len()].copy_from_slice(bytes);
        field(&mut records, std::mem::offset_of!(LineFunc, code_len), &record.code_len.to_le_bytes());
        field(&mut records, std::mem::offset_of!(LineFunc, name_offset), &record.name_offset.to_le_bytes());
        field(&mut records, std::mem::offset_of!(LineFunc, name_len), &record.name_len.to_le_bytes());
        field(&mut records, std::mem::offset_of!(LineFunc, file_offset), &record.file_offset.to_le_bytes());
        field(&mut records, std::mem::offset_of!(LineFunc, file_len), &record.file_len.to_le_bytes());
        field(&mut records, std::mem::offset_of!(LineFunc, lines_offset), &record.lines_offset.to_le_bytes());
        field(&mut records, std::mem::offset_of!(LineFunc, nlines), &record.nlines.to_le_bytes());
        let func_ref = module.declare_func_in_data(func.id, &mut funcs);
        funcs.write_function_addr((at + std::mem::offset_of!(LineFunc, code)) as u32, func_ref);
    }
    let count = records.len() / size_of::<LineFunc>();
    let funcs_id = module.declare_data("g2n_line_funcs", Linkage::Local, false, false).map_err(backend)?;
    // At least one byte: an empty table is still an object.
    if records.is_empty() {
        records.push(0);
    }
    funcs.define(records.into_boxed_slice());
    funcs.set_align(8);
    module.define_data(funcs_id, &funcs).map_err(backend)?;
    let blob_len = blob.len();
    if blob.is_empty() {
        blob.push(0);
    }
    let blob_id = module.declare_data("g2n_line_blob", Linkage::Local, false, false).map_err(backend)?;
    let mut data = DataDescription::new();
    data.define(blob.into_boxed_slice());
    module.define_data(blob_id, &data).map_err(backend)?;
    Ok(LineTable { funcs: funcs_id, count, blob: blob_id, blob_len })
}

/// Calls `g2n_register_lines(funcs, count, blob, blob_len)` in C `main`.
pub(crate) fn register(module: &mut ObjectModule, builder: &mut FunctionBuilder<'_>, table: &LineTable) -> Result<(), CodegenError> {
    let sig = crate::lower::runtime_signature(module, &symbols::REGISTER_LINES);
    let id = module
        .declare_function(symbols::REGISTER_LINES.name, Linkage::Import, &sig)
        .map_err(|e| CodegenError::Backend { message: e.to_string() })?;
    let func_ref = module.declare_func_in_func(id, builder.func);
    let funcs = module.declare_data_in_func(table.funcs, builder.func);
    let funcs = builder.ins().symbol_value(types::I64, funcs);
    let count = builder.ins().iconst(types::I64, table.count as i64);
    let blob = module.declare_data_in_func(table.blob, builder.func);
    let blob = builder.ins().symbol_value(types::I64, blob);
    let blob_len = builder.ins().iconst(types::I64, table.blob_len as i64);
    builder.ins().call(func_ref, &[funcs, count, blob, blob_len]);
    Ok(())
}
