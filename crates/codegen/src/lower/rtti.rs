//! Run-time type information: one static [`g2n_abi::TypeDesc`] per type that
//! reaches an interface, method wrappers for interface calls, boxing into and
//! unboxing out of interface values, dynamic calls and type assertions.

use super::*;
use g2n_base::go_text::go_quote;
use g2n_abi::{FieldDesc, FuncEntry, GlobalEntry, GoString, Kind, MethodCacheEntry, MethodDesc, ProgramTable, TypeDesc, TypeEntry, TypeExt};
use std::mem::{offset_of, size_of};

// Sizes and field offsets of the descriptors generated code emits come from
// the `#[repr(C)]` types of `g2n-abi` themselves (the compiler runs on the
// 64-bit little-endian targets it compiles for).
const DESC_SIZE: usize = size_of::<TypeDesc>();
const FIELD_DESC_SIZE: usize = size_of::<FieldDesc>();
const METHOD_DESC_SIZE: usize = size_of::<MethodDesc>();
const EXT_SIZE: usize = size_of::<TypeExt>();
const STRING_SIZE: usize = size_of::<GoString>();
/// Where a `GoString`'s length lies after its pointer.
const STRING_LEN: usize = offset_of!(GoString, len);

/// Writes `value` to the 8 bytes at `at`.
fn put_u64(bytes: &mut [u8], at: usize, value: u64) {
    bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

/// A method wrapper still to define: the interface calling convention for
/// method `method` of the type described by `desc_ty`.
pub(super) struct PendingWrapper {
    pub id: cranelift_module::FuncId,
    pub desc_ty: TypeId,
    pub method: FuncId,
    pub pointer_receiver: bool,
}

impl ModuleCtx<'_> {
    pub(super) fn string_data(&mut self, bytes: &[u8]) -> Result<DataId, CodegenError> {
        if let Some(id) = self.strings.get(bytes) {
            return Ok(*id);
        }
        let name = self.symbol(&format!("g2n_str_{}", self.strings.len()));
        let id = self.module.declare_data(&name, Linkage::Local, false, false).map_err(backend)?;
        let mut data = DataDescription::new();
        // A trailing NUL costs nothing and keeps an empty string's pointer valid.
        let mut contents = bytes.to_vec();
        contents.push(0);
        data.define(contents.into_boxed_slice());
        self.module.define_data(id, &data).map_err(backend)?;
        self.strings.insert(bytes.to_vec(), id);
        Ok(id)
    }

    /// A fresh method-cache slot for an interface call site: one zeroed,
    /// writable, anonymous word.
    pub(super) fn method_cache_slot(&mut self) -> Result<DataId, CodegenError> {
        let slot = self.module.declare_anonymous_data(true, false).map_err(backend)?;
        let mut data = DataDescription::new();
        data.define_zeroinit(8);
        data.set_align(8);
        self.module.define_data(slot, &data).map_err(backend)?;
        Ok(slot)
    }

    /// The descriptor of `ty`, declared now and defined at the end of the unit.
    pub(super) fn desc_id(&mut self, ty: TypeId) -> Result<DataId, CodegenError> {
        if let Some(id) = self.descs.get(&ty) {
            return Ok(*id);
        }
        let name = self.symbol(&format!("g2n_type{}", self.descs.len()));
        let id = self.module.declare_data(&name, Linkage::Local, false, false).map_err(backend)?;
        self.descs.insert(ty, id);
        self.pending_descs.push(ty);
        Ok(id)
    }

    /// Defines the descriptor of `ty` (declaring the descriptors it refers to).
    pub(super) fn define_desc(&mut self, program: &hir::Program, ty: TypeId) -> Result<(), CodegenError> {
        let types = &program.types;
        let id = self.desc_id(ty)?;
        let kind = kind_of(types, ty);
        let name = rtti_name(types, ty);
        if self.reflect_loaded
            && types.is_named(ty)
            && let Some(pointer) = types.lookup(&TypeKind::Pointer(ty))
        {
            // reflect's Value.Addr and PointerTo find `*T` in the program
            // table; its method set is what an assertion on the address
            // needs (encoding/json's Unmarshaler on a pointer receiver).
            self.desc_id(pointer)?;
        }
        let mut bytes = vec![0u8; DESC_SIZE];
        let mut data = DataDescription::new();
        data.set_align(8);
        let kind_at = offset_of!(TypeDesc, kind);
        bytes[kind_at..kind_at + 4].copy_from_slice(&(kind as u32).to_le_bytes());
        put_u64(&mut bytes, offset_of!(TypeDesc, size), types.layout(ty).size);
        let name_id = self.string_data(name.as_bytes())?;
        let gv = self.module.declare_data_in_data(name_id, &mut data);
        data.write_data_addr(offset_of!(TypeDesc, name) as u32, gv, 0);
        put_u64(&mut bytes, offset_of!(TypeDesc, name) + STRING_LEN, name.len() as u64);
        let (elem, key, len) = match types.under(ty).clone() {
            TypeKind::Pointer(e) | TypeKind::Slice(e) | TypeKind::Chan(_, e) => (Some(e), None, 0),
            // The runtime reads an unsafe.Pointer as a pointer (fmt prints
            // its address, == compares addresses); what it points at is
            // unknown, so it is described as a byte.
            TypeKind::UnsafePointer => (Some(g2n_sema::types::Types::UINT8), None, 0),
            TypeKind::Array(n, e) => (Some(e), None, n),
            TypeKind::Map(k, v) => (Some(v), Some(k), 0),
            _ => (None, None, 0),
        };
        if let Some(elem) = elem {
            let elem_id = self.desc_id(elem)?;
            let gv = self.module.declare_data_in_data(elem_id, &mut data);
            data.write_data_addr(offset_of!(TypeDesc, elem) as u32, gv, 0);
        }
        if let Some(key) = key {
            let key_id = self.desc_id(key)?;
            let gv = self.module.declare_data_in_data(key_id, &mut data);
            data.write_data_addr(offset_of!(TypeDesc, key) as u32, gv, 0);
        }
        put_u64(&mut bytes, offset_of!(TypeDesc, len), len);
        if let TypeKind::Struct(fields) = types.under(ty).clone() {
            let offsets = types.field_offsets(ty);
            let mut field_bytes = vec![0u8; FIELD_DESC_SIZE * fields.len().max(1)];
            let mut field_data = DataDescription::new();
            field_data.set_align(8);
            for (index, field) in fields.iter().enumerate() {
                let at = index * FIELD_DESC_SIZE;
                let name_id = self.string_data(field.name.as_bytes())?;
                let gv = self.module.declare_data_in_data(name_id, &mut field_data);
                field_data.write_data_addr((at + offset_of!(FieldDesc, name)) as u32, gv, 0);
                put_u64(&mut field_bytes, at + offset_of!(FieldDesc, name) + STRING_LEN, field.name.len() as u64);
                let field_desc = self.desc_id(field.ty)?;
                let gv = self.module.declare_data_in_data(field_desc, &mut field_data);
                field_data.write_data_addr((at + offset_of!(FieldDesc, ty)) as u32, gv, 0);
                put_u64(&mut field_bytes, at + offset_of!(FieldDesc, offset), offsets[index]);
                put_u64(&mut field_bytes, at + offset_of!(FieldDesc, embedded), field.embedded as u64);
            }
            field_data.define(field_bytes.into_boxed_slice());
            let fields_id = self
                .module
                .declare_data(&self.symbol(&format!("g2n_type{}_fields", id.as_u32())), Linkage::Local, false, false)
                .map_err(backend)?;
            self.module.define_data(fields_id, &field_data).map_err(backend)?;
            let gv = self.module.declare_data_in_data(fields_id, &mut data);
            data.write_data_addr(offset_of!(TypeDesc, fields) as u32, gv, 0);
            put_u64(&mut bytes, offset_of!(TypeDesc, nfields), fields.len() as u64);
        }
        if let Some(names) = types.interface_method_keys(ty).filter(|n| !n.is_empty()) {
            // An interface's descriptor lists its methods' keys (no
            // functions), for the runtime's "missing method" messages and the
            // scope graph's check of a decoded interface value.
            let mut method_bytes = vec![0u8; METHOD_DESC_SIZE * names.len()];
            let mut method_data = DataDescription::new();
            method_data.set_align(8);
            for (index, name) in names.iter().enumerate() {
                let at = index * METHOD_DESC_SIZE;
                let name_id = self.string_data(name.as_bytes())?;
                let gv = self.module.declare_data_in_data(name_id, &mut method_data);
                method_data.write_data_addr((at + offset_of!(MethodDesc, name)) as u32, gv, 0);
                put_u64(&mut method_bytes, at + offset_of!(MethodDesc, name) + STRING_LEN, name.len() as u64);
            }
            method_data.define(method_bytes.into_boxed_slice());
            let methods_id = self
                .module
                .declare_data(&self.symbol(&format!("g2n_type{}_methods", id.as_u32())), Linkage::Local, false, false)
                .map_err(backend)?;
            self.module.define_data(methods_id, &method_data).map_err(backend)?;
            let gv = self.module.declare_data_in_data(methods_id, &mut data);
            data.write_data_addr(offset_of!(TypeDesc, methods) as u32, gv, 0);
            put_u64(&mut bytes, offset_of!(TypeDesc, nmethods), names.len() as u64);
        }
        let methods = types.method_set(ty);
        if !methods.is_empty() {
            let mut method_bytes = vec![0u8; METHOD_DESC_SIZE * methods.len()];
            let mut method_data = DataDescription::new();
            method_data.set_align(8);
            for (index, method) in methods.iter().enumerate() {
                let (name, func, pointer_receiver) = (&method.name, FuncId(method.func), method.pointer_receiver);
                let at = index * METHOD_DESC_SIZE;
                let key = concrete_method_key(program, name, func);
                let name_id = self.string_data(key.as_bytes())?;
                let gv = self.module.declare_data_in_data(name_id, &mut method_data);
                method_data.write_data_addr((at + offset_of!(MethodDesc, name)) as u32, gv, 0);
                put_u64(&mut method_bytes, at + offset_of!(MethodDesc, name) + STRING_LEN, key.len() as u64);
                // A method no interface (nor the runtime) names is never
                // called through the table unless through reflect.
                if !self.reflect_calls
                    && (super::reflect_call::unreachable_value_method(program, func) || !self.table_method_names.contains(name.as_str()))
                {
                    continue;
                }
                let sig = wrapper_signature(self.module, program, func)?;
                let wrapper_name = self.symbol(&format!("g2n_wrap{}_{}", id.as_u32(), name));
                let wrapper = self.module.declare_function(&wrapper_name, Linkage::Local, &sig).map_err(backend)?;
                self.pending_wrappers.push(PendingWrapper { id: wrapper, desc_ty: ty, method: func, pointer_receiver });
                let func_ref = self.module.declare_func_in_data(wrapper, &mut method_data);
                method_data.write_function_addr((at + offset_of!(MethodDesc, func)) as u32, func_ref);
            }
            method_data.define(method_bytes.into_boxed_slice());
            let methods_id = self
                .module
                .declare_data(&self.symbol(&format!("g2n_type{}_methods", id.as_u32())), Linkage::Local, false, false)
                .map_err(backend)?;
            self.module.define_data(methods_id, &method_data).map_err(backend)?;
            let gv = self.module.declare_data_in_data(methods_id, &mut data);
            data.write_data_addr(offset_of!(TypeDesc, methods) as u32, gv, 0);
            put_u64(&mut bytes, offset_of!(TypeDesc, nmethods), methods.len() as u64);
        }
        if let Some(ext_id) = self.define_desc_ext(program, ty, id)? {
            let gv = self.module.declare_data_in_data(ext_id, &mut data);
            data.write_data_addr(offset_of!(TypeDesc, ext) as u32, gv, 0);
        }
        data.define(bytes.into_boxed_slice());
        self.module.define_data(id, &data).map_err(backend)?;
        Ok(())
    }

    /// The [`TypeExt`] of `ty`'s descriptor `id`, for `reflect`: `None`
    /// when the type has nothing to say there (an unnamed slice, map,
    /// pointer or array type, or an unnamed basic type).
    fn define_desc_ext(&mut self, program: &hir::Program, ty: TypeId, id: DataId) -> Result<Option<DataId>, CodegenError> {
        let types = &program.types;
        let ty = types.default_type(ty);
        let named = match types.kind(ty) {
            TypeKind::Named(index) => types.named.get(*index as usize),
            _ => None,
        };
        let under = types.under(ty).clone();
        let method_types = self.method_types(program, ty);
        let func_sig = match &under {
            TypeKind::Func(sig) => Some(sig.clone()),
            _ => None,
        };
        let struct_fields = match &under {
            TypeKind::Struct(fields) if !fields.is_empty() => Some(fields.clone()),
            _ => None,
        };
        let chan_dir = match &under {
            TypeKind::Chan(dir, _) => Some(*dir),
            _ => None,
        };
        if named.is_none() && method_types.is_empty() && func_sig.is_none() && struct_fields.is_none() && chan_dir.is_none() {
            return Ok(None);
        }
        let mut bytes = vec![0u8; EXT_SIZE];
        let mut data = DataDescription::new();
        data.set_align(8);
        let pkg_path = named.map(|n| n.package.clone().unwrap_or_else(|| "main".to_string()));
        if let Some(path) = &pkg_path {
            self.write_string(&mut data, &mut bytes, offset_of!(TypeExt, pkg_path), path)?;
        }
        if let Some(n) = named {
            let name = match (&n.instance_of, types.kind(ty)) {
                (Some(_), _) => {
                    let full = rtti_name(types, ty);
                    let package = n.package_name();
                    full.strip_prefix(&format!("{package}.")).unwrap_or(&full).to_string()
                }
                _ => n.name.clone(),
            };
            self.write_string(&mut data, &mut bytes, offset_of!(TypeExt, type_name), &name)?;
        }
        if let Some(fields) = struct_fields.filter(|f| f.iter().any(|f| !f.tag.is_empty())) {
            let mut tag_bytes = vec![0u8; STRING_SIZE * fields.len()];
            let mut tag_data = DataDescription::new();
            for (index, field) in fields.iter().enumerate() {
                self.write_string(&mut tag_data, &mut tag_bytes, index * STRING_SIZE, &field.tag)?;
            }
            let tags_id = self.define_table_part(&format!("g2n_type{}_tags", id.as_u32()), tag_bytes, tag_data)?;
            let gv = self.module.declare_data_in_data(tags_id, &mut data);
            data.write_data_addr(offset_of!(TypeExt, field_tags) as u32, gv, 0);
        }
        let mut flags = 0;
        if let Some(sig) = func_sig {
            let mut params = sig.params.clone();
            if sig.variadic
                && let Some(last) = params.last_mut()
            {
                // A signature keeps a variadic parameter's element type;
                // reflect's In gives the slice type.
                *last = types.lookup(&TypeKind::Slice(*last)).unwrap_or(*last);
                flags |= g2n_abi::TYPE_FLAG_VARIADIC;
            }
            let all: Vec<TypeId> = params.iter().chain(sig.results.iter()).copied().collect();
            let list = self.desc_list(&format!("g2n_type{}_in_out", id.as_u32()), &all.iter().map(|t| Some(*t)).collect::<Vec<_>>())?;
            let gv = self.module.declare_data_in_data(list, &mut data);
            data.write_data_addr(offset_of!(TypeExt, func_types) as u32, gv, 0);
            put_u64(&mut bytes, offset_of!(TypeExt, nin), params.len() as u64);
            put_u64(&mut bytes, offset_of!(TypeExt, nout), sig.results.len() as u64);
            if let Some((call, make_func)) = self.reflect_adapters(program, ty)? {
                let call = self.module.declare_func_in_data(call, &mut data);
                data.write_function_addr(offset_of!(TypeExt, call) as u32, call);
                if let Some(stub) = make_func {
                    let stub = self.module.declare_func_in_data(stub, &mut data);
                    data.write_function_addr(offset_of!(TypeExt, make_func) as u32, stub);
                }
            }
        }
        flags |= match chan_dir {
            Some(g2n_sema::types::ChanDir::Both) => g2n_abi::TYPE_FLAG_CHAN_RECV | g2n_abi::TYPE_FLAG_CHAN_SEND,
            Some(g2n_sema::types::ChanDir::Recv) => g2n_abi::TYPE_FLAG_CHAN_RECV,
            Some(g2n_sema::types::ChanDir::Send) => g2n_abi::TYPE_FLAG_CHAN_SEND,
            None => 0,
        };
        put_u64(&mut bytes, offset_of!(TypeExt, flags), flags);
        if !method_types.is_empty() {
            let list = self.desc_list(&format!("g2n_type{}_method_types", id.as_u32()), &method_types)?;
            let gv = self.module.declare_data_in_data(list, &mut data);
            data.write_data_addr(offset_of!(TypeExt, method_types) as u32, gv, 0);
        }
        Ok(Some(self.define_table_part(&format!("g2n_type{}_ext", id.as_u32()), bytes, data)?))
    }

    /// A data object holding the descriptor address of each type (null for `None`).
    fn desc_list(&mut self, name: &str, types: &[Option<TypeId>]) -> Result<DataId, CodegenError> {
        let bytes = vec![0u8; 8 * types.len()];
        let mut data = DataDescription::new();
        for (index, ty) in types.iter().enumerate() {
            if let Some(ty) = ty {
                let desc = self.desc_id(*ty)?;
                let gv = self.module.declare_data_in_data(desc, &mut data);
                data.write_data_addr((index * 8) as u32, gv, 0);
            }
        }
        self.define_table_part(name, bytes, data)
    }

    /// The func type (receiver left out) of each method in `ty`'s
    /// descriptor's method table, in its order: an interface's methods, or
    /// a concrete type's method set. `None` where the program never
    /// interned that func type (reflect then cannot name it).
    fn method_types(&self, program: &hir::Program, ty: TypeId) -> Vec<Option<TypeId>> {
        let types = &program.types;
        match types.under(ty) {
            TypeKind::Interface(methods) => return methods.iter().map(|m| Some(m.sig)).collect(),
            TypeKind::Error => {
                let sig = g2n_sema::types::Signature { params: Vec::new(), results: vec![g2n_sema::types::Types::STRING], variadic: false };
                return vec![types.lookup(&TypeKind::Func(sig))];
            }
            TypeKind::Any => return Vec::new(),
            _ => {}
        }
        types
            .method_set(ty)
            .iter()
            .map(|method| {
                let f = program.func(FuncId(method.func));
                let mut params: Vec<TypeId> = f.params.iter().skip(1).map(|p| program.local(*p).ty).collect();
                if f.variadic
                    && let Some(last) = params.last_mut()
                {
                    *last = types.elem(*last).unwrap_or(*last);
                }
                let sig = g2n_sema::types::Signature { params, results: f.results.clone(), variadic: f.variadic };
                types.lookup(&TypeKind::Func(sig))
            })
            .collect()
    }
}

const TABLE_SIZE: usize = size_of::<ProgramTable>();
const TYPE_ENTRY_SIZE: usize = size_of::<TypeEntry>();
const FUNC_ENTRY_SIZE: usize = size_of::<FuncEntry>();
const GLOBAL_ENTRY_SIZE: usize = size_of::<GlobalEntry>();

impl ModuleCtx<'_> {
    /// Declares the descriptors the program table refers to beyond those
    /// the code uses: the types of the variables that the function literals
    /// declared so far capture (one declared later gets its own with its
    /// declaration, `declare_plain_func`), and package-level variables' types.
    pub(super) fn declare_table_types(&mut self, program: &hir::Program) -> Result<(), CodegenError> {
        for (index, func) in program.funcs.iter().enumerate() {
            if self.funcs.get(index).copied().flatten().is_some() {
                self.declare_capture_types(program, func)?;
            }
        }
        for (local, _) in &program.global_inits {
            self.desc_id(program.types.default_type(program.local(*local).ty))?;
        }
        Ok(())
    }

    /// The descriptors of the types a function literal captures: the
    /// program table lists them with it.
    pub(super) fn declare_capture_types(&mut self, program: &hir::Program, func: &hir::Func) -> Result<(), CodegenError> {
        for local in func.captures.iter().flatten() {
            self.desc_id(program.types.default_type(program.local(*local).ty))?;
        }
        Ok(())
    }

    pub(super) fn write_string(&mut self, data: &mut DataDescription, bytes: &mut [u8], at: usize, text: &str) -> Result<(), CodegenError> {
        let id = self.string_data(text.as_bytes())?;
        let gv = self.module.declare_data_in_data(id, data);
        data.write_data_addr(at as u32, gv, 0);
        put_u64(bytes, at + STRING_LEN, text.len() as u64);
        Ok(())
    }

    pub(super) fn define_table_part(&mut self, name: &str, bytes: Vec<u8>, data: DataDescription) -> Result<DataId, CodegenError> {
        let mut data = data;
        let id = self.module.declare_data(&self.symbol(name), Linkage::Local, false, false).map_err(backend)?;
        data.set_align(8);
        let bytes = if bytes.is_empty() { vec![0u8; 8] } else { bytes };
        data.define(bytes.into_boxed_slice());
        self.module.define_data(id, &data).map_err(backend)?;
        Ok(id)
    }

    /// The program table ([`g2n_abi::ProgramTable`]) that C `main` registers
    /// with the runtime for scope graphs: every descriptor of the unit, every
    /// function a func value may hold, every package-level variable. Called
    /// once every descriptor is defined; its order is deterministic.
    pub(super) fn program_table(&mut self, program: &hir::Program, registry: &g2n_split::GraphRegistry) -> Result<DataId, CodegenError> {
        let types = &program.types;
        // Types, in descriptor order.
        let mut descs: Vec<(TypeId, DataId)> = self.descs.iter().map(|(t, d)| (*t, *d)).collect();
        descs.sort_by_key(|(_, d)| d.as_u32());
        let mut type_bytes = vec![0u8; TYPE_ENTRY_SIZE * descs.len()];
        let mut type_data = DataDescription::new();
        for (i, (ty, desc)) in descs.iter().enumerate() {
            let at = i * TYPE_ENTRY_SIZE;
            let gv = self.module.declare_data_in_data(*desc, &mut type_data);
            type_data.write_data_addr((at + offset_of!(TypeEntry, desc)) as u32, gv, 0);
            let underlying = wire_type_name(types, types.underlying(types.default_type(*ty)));
            self.write_string(&mut type_data, &mut type_bytes, at + offset_of!(TypeEntry, underlying), &underlying)?;
            self.write_string(&mut type_data, &mut type_bytes, at + offset_of!(TypeEntry, wire_name), &wire_type_name(types, *ty))?;
        }
        let types_id = self.define_table_part("g2n_table_types", type_bytes, type_data)?;

        // Functions: every function literal and every declared function used
        // as a value, with the type of the expression that makes the value.
        let mut func_types: BTreeMap<u32, TypeId> = BTreeMap::new();
        for expr in &program.exprs {
            if let ExprKind::Closure(f) | ExprKind::FuncValue(f) = &expr.kind {
                func_types.entry(f.0).or_insert(expr.ty);
            }
        }
        for (func, ty) in &registry.funcs {
            func_types.entry(func.0).or_insert(*ty);
        }
        let mut static_objects: Vec<(FuncId, DataId)> = self.func_values.iter().map(|(f, d)| (*f, *d)).collect();
        static_objects.sort_by_key(|(f, _)| f.0);
        let mut entries: Vec<(FuncId, Option<DataId>)> = Vec::new();
        for (index, func) in program.funcs.iter().enumerate() {
            let id = FuncId(index as u32);
            if func.captures.is_some() && self.funcs.get(index).copied().flatten().is_some() {
                entries.push((id, None));
            }
        }
        entries.extend(static_objects.iter().map(|(f, d)| (*f, Some(*d))));
        let mut func_bytes = vec![0u8; FUNC_ENTRY_SIZE * entries.len()];
        let mut func_data = DataDescription::new();
        let mut seen_names: BTreeMap<String, u32> = BTreeMap::new();
        for (i, (func, object)) in entries.iter().enumerate() {
            let at = i * FUNC_ENTRY_SIZE;
            let f = program.func(*func);
            let repeat = seen_names.entry(f.name.clone()).or_insert(0);
            let name = if *repeat == 0 { f.name.clone() } else { format!("{}#{repeat}", f.name) };
            *repeat += 1;
            self.write_string(&mut func_data, &mut func_bytes, at + offset_of!(FuncEntry, name), &name)?;
            match object {
                None => {
                    if let Some(Some(code)) = self.funcs.get(func.index()).copied() {
                        let func_ref = self.module.declare_func_in_data(code, &mut func_data);
                        func_data.write_function_addr((at + offset_of!(FuncEntry, code)) as u32, func_ref);
                    }
                }
                Some(object) => {
                    let gv = self.module.declare_data_in_data(*object, &mut func_data);
                    func_data.write_data_addr((at + offset_of!(FuncEntry, object)) as u32, gv, 0);
                }
            }
            let signature = func_types.get(&func.0).map(|t| wire_type_name(types, types.underlying(*t))).unwrap_or_default();
            self.write_string(&mut func_data, &mut func_bytes, at + offset_of!(FuncEntry, signature), &signature)?;
            let captures = if object.is_none() { f.captures.clone().unwrap_or_default() } else { Vec::new() };
            if !captures.is_empty() {
                let mut cap_bytes = vec![0u8; 8 * captures.len()];
                let mut cap_data = DataDescription::new();
                for (j, local) in captures.iter().enumerate() {
                    let desc = self.desc_id(types.default_type(program.local(*local).ty))?;
                    let gv = self.module.declare_data_in_data(desc, &mut cap_data);
                    cap_data.write_data_addr((8 * j) as u32, gv, 0);
                }
                cap_bytes.truncate(8 * captures.len());
                let caps_id = self.define_table_part(&format!("g2n_table_captures{}", func.0), cap_bytes, cap_data)?;
                let gv = self.module.declare_data_in_data(caps_id, &mut func_data);
                func_data.write_data_addr((at + offset_of!(FuncEntry, captures)) as u32, gv, 0);
                put_u64(&mut func_bytes, at + offset_of!(FuncEntry, ncaptures), captures.len() as u64);
            }
        }
        let funcs_id = self.define_table_part("g2n_table_funcs", func_bytes, func_data)?;

        // Package-level variables, in initialization order.
        let globals: Vec<(LocalId, DataId)> =
            program.global_inits.iter().filter_map(|(l, _)| self.globals.get(l).map(|d| (*l, *d))).collect();
        let mut global_bytes = vec![0u8; GLOBAL_ENTRY_SIZE * globals.len()];
        let mut global_data = DataDescription::new();
        for (i, (local, storage)) in globals.iter().enumerate() {
            let at = i * GLOBAL_ENTRY_SIZE;
            let l = program.local(*local);
            self.write_string(&mut global_data, &mut global_bytes, at + offset_of!(GlobalEntry, name), &l.name.clone())?;
            let gv = self.module.declare_data_in_data(*storage, &mut global_data);
            global_data.write_data_addr((at + offset_of!(GlobalEntry, addr)) as u32, gv, 0);
            let desc = self.desc_id(types.default_type(l.ty))?;
            let gv = self.module.declare_data_in_data(desc, &mut global_data);
            global_data.write_data_addr((at + offset_of!(GlobalEntry, desc)) as u32, gv, 0);
        }
        let globals_id = self.define_table_part("g2n_table_globals", global_bytes, global_data)?;
        let (library_vars_id, nlibrary_vars, library_vars_fixed) = self.library_vars_table(program)?;

        let mut bytes = vec![0u8; TABLE_SIZE];
        let mut data = DataDescription::new();
        let parts = [
            (offset_of!(ProgramTable, types), offset_of!(ProgramTable, ntypes), types_id, descs.len()),
            (offset_of!(ProgramTable, funcs), offset_of!(ProgramTable, nfuncs), funcs_id, entries.len()),
            (offset_of!(ProgramTable, globals), offset_of!(ProgramTable, nglobals), globals_id, globals.len()),
            (offset_of!(ProgramTable, library_vars), offset_of!(ProgramTable, nlibrary_vars), library_vars_id, nlibrary_vars),
        ];
        for (at, count_at, id, n) in parts {
            let gv = self.module.declare_data_in_data(id, &mut data);
            data.write_data_addr(at as u32, gv, 0);
            put_u64(&mut bytes, count_at, n as u64);
        }
        put_u64(&mut bytes, offset_of!(ProgramTable, library_vars_fixed), library_vars_fixed as u64);
        self.define_table_part("g2n_program_table", bytes, data)
    }
}

/// `(word0, word1, params...) -> results` of a method called through an interface.
pub(super) fn wrapper_signature(module: &ObjectModule, program: &hir::Program, method: FuncId) -> Result<Signature, CodegenError> {
    let func = program.func(method);
    let mut sig = signature_of(module, program, func)?;
    let receiver_parts = match func.params.first() {
        Some(receiver) => parts_of(&program.types, program.local(*receiver).ty).map_or(0, |p| p.len()),
        None => 0,
    };
    sig.params.drain(..receiver_parts.min(sig.params.len()));
    sig.params.insert(0, AbiParam::new(types::I64));
    sig.params.insert(0, AbiParam::new(types::I64));
    Ok(sig)
}

fn kind_of(types: &g2n_sema::types::Types, ty: TypeId) -> Kind {
    match types.under(types.default_type(ty)) {
        TypeKind::Bool => Kind::Bool,
        TypeKind::Int => Kind::Int,
        TypeKind::Int8 => Kind::Int8,
        TypeKind::Int16 => Kind::Int16,
        TypeKind::Int32 => Kind::Int32,
        TypeKind::Int64 => Kind::Int64,
        TypeKind::Uint => Kind::Uint,
        TypeKind::Uint8 => Kind::Uint8,
        TypeKind::Uint16 => Kind::Uint16,
        TypeKind::Uint32 => Kind::Uint32,
        TypeKind::Uint64 => Kind::Uint64,
        TypeKind::Uintptr => Kind::Uintptr,
        TypeKind::Float32 => Kind::Float32,
        TypeKind::Float64 => Kind::Float64,
        TypeKind::Complex64 => Kind::Complex64,
        TypeKind::Complex128 => Kind::Complex128,
        TypeKind::String => Kind::String,
        TypeKind::Pointer(_) | TypeKind::UnsafePointer => Kind::Pointer,
        TypeKind::Slice(_) => Kind::Slice,
        TypeKind::Array(..) => Kind::Array,
        TypeKind::Struct(_) => Kind::Struct,
        TypeKind::Map(..) => Kind::Map,
        TypeKind::Func(_) => Kind::Func,
        TypeKind::Chan(..) => Kind::Chan,
        _ => Kind::Interface,
    }
}

/// Go's reflect spelling of a type, as `%T` prints it.
pub(crate) fn rtti_name(types: &g2n_sema::types::Types, ty: TypeId) -> String {
    spelling(types, ty, false)
}

/// A name for the type that no other type of the program has: the `%T`
/// spelling, with a defined type numbered (`main.T#3`) when another defined
/// type of the program has the same spelling (two types declared in
/// different blocks may share a name). Scope graphs name types by it (unit
/// descriptors, the program table, the wire); a package-level type keeps
/// its plain spelling, so that separately compiled configs that declare it
/// the same way (g2n-split merges upstream declarations) name it alike.
pub(crate) fn wire_type_name(types: &g2n_sema::types::Types, ty: TypeId) -> String {
    spelling(types, ty, true)
}

/// Whether another defined type of the program has the spelling of defined
/// type `index` (its package's name and its own).
fn shares_spelling(types: &g2n_sema::types::Types, index: u32) -> bool {
    let Some(named) = types.named.get(index as usize) else { return false };
    types
        .named
        .iter()
        .enumerate()
        .any(|(other, n)| other != index as usize && n.name == named.name && n.package_name() == named.package_name())
}

fn spelling(types: &g2n_sema::types::Types, ty: TypeId, unique: bool) -> String {
    let rtti_name = |types: &g2n_sema::types::Types, ty: TypeId| spelling(types, ty, unique);
    let ty = types.default_type(ty);
    match types.kind(ty) {
        TypeKind::Named(index) => {
            let Some(named) = types.named.get(*index as usize) else { return "?".to_string() };
            let package = named.package_name();
            match &named.instance_of {
                _ if unique && shares_spelling(types, *index) => format!("{package}.{}#{index}", named.name),
                _ if unique => format!("{package}.{}", named.name),
                Some((base, args)) => {
                    let args: Vec<String> = args.iter().map(|a| rtti_name(types, *a)).collect();
                    format!("{package}.{base}[{}]", args.join(","))
                }
                None => format!("{package}.{}", named.name),
            }
        }
        TypeKind::Pointer(e) => format!("*{}", rtti_name(types, *e)),
        TypeKind::Slice(e) => format!("[]{}", rtti_name(types, *e)),
        TypeKind::Array(n, e) => format!("[{n}]{}", rtti_name(types, *e)),
        TypeKind::Map(k, v) => format!("map[{}]{}", rtti_name(types, *k), rtti_name(types, *v)),
        TypeKind::Chan(dir, e) => {
            let elem = rtti_name(types, *e);
            match dir {
                g2n_sema::types::ChanDir::Both if matches!(types.kind(*e), TypeKind::Chan(g2n_sema::types::ChanDir::Recv, _)) => {
                    format!("chan ({elem})")
                }
                g2n_sema::types::ChanDir::Both => format!("chan {elem}"),
                g2n_sema::types::ChanDir::Send => format!("chan<- {elem}"),
                g2n_sema::types::ChanDir::Recv => format!("<-chan {elem}"),
            }
        }
        TypeKind::Any => "interface {}".to_string(),
        TypeKind::Struct(fields) if fields.is_empty() => "struct {}".to_string(),
        TypeKind::Struct(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|f| {
                    let field = if f.embedded { rtti_name(types, f.ty) } else { format!("{} {}", f.name, rtti_name(types, f.ty)) };
                    if f.tag.is_empty() { field } else { format!("{field} {}", go_quote(&f.tag)) }
                })
                .collect();
            format!("struct {{ {} }}", fields.join("; "))
        }
        TypeKind::Interface(methods) => {
            let methods: Vec<String> =
                methods.iter().map(|m| format!("{}{}", m.name, rtti_name(types, m.sig).trim_start_matches("func"))).collect();
            format!("interface {{ {} }}", methods.join("; "))
        }
        TypeKind::Func(sig) => {
            let mut params: Vec<String> = sig.params.iter().map(|t| rtti_name(types, *t)).collect();
            if sig.variadic
                && let Some(last) = params.last_mut()
            {
                *last = format!("...{last}");
            }
            let results: Vec<String> = sig.results.iter().map(|t| rtti_name(types, *t)).collect();
            match results.len() {
                0 => format!("func({})", params.join(", ")),
                1 => format!("func({}) {}", params.join(", "), results[0]),
                _ => format!("func({}) ({})", params.join(", "), results.join(", ")),
            }
        }
        _ => types.display(ty),
    }
}


/// The tag of an unnamed basic type, which needs no descriptor.
fn basic_tag(types: &g2n_sema::types::Types, ty: TypeId) -> Option<TypeTag> {
    let ty = types.default_type(ty);
    Some(match types.kind(ty) {
        TypeKind::Bool => TypeTag::Bool,
        TypeKind::Int => TypeTag::Int,
        TypeKind::Float64 => TypeTag::Float64,
        TypeKind::String => TypeTag::String,
        TypeKind::Int8 => TypeTag::Int8,
        TypeKind::Int16 => TypeTag::Int16,
        TypeKind::Int32 => TypeTag::Int32,
        TypeKind::Int64 => TypeTag::Int64,
        TypeKind::Uint => TypeTag::Uint,
        TypeKind::Uint8 => TypeTag::Uint8,
        TypeKind::Uint16 => TypeTag::Uint16,
        TypeKind::Uint32 => TypeTag::Uint32,
        TypeKind::Uint64 => TypeTag::Uint64,
        TypeKind::Uintptr => TypeTag::Uintptr,
        TypeKind::Float32 => TypeTag::Float32,
        TypeKind::Complex64 => TypeTag::Complex64,
        TypeKind::Complex128 => TypeTag::Complex128,
        _ => return None,
    })
}

impl Lowerer<'_, '_> {
    /// The tag of a dynamic type: a basic tag number or a descriptor address.
    pub(super) fn type_tag(&mut self, ty: TypeId) -> Result<Value, CodegenError> {
        if let Some(tag) = basic_tag(&self.program.types, ty) {
            return Ok(self.builder.ins().iconst(types::I64, tag as i64));
        }
        let id = self.mcx.desc_id(ty)?;
        let gv = self.mcx.module.declare_data_in_func(id, self.builder.func);
        Ok(self.builder.ins().symbol_value(types::I64, gv))
    }

    /// The two payload words of a value of type `ty` in an interface.
    pub(super) fn box_words(&mut self, ty: TypeId, values: Vec<Value>, span: Span) -> Result<(Value, Value), CodegenError> {
        let class = self.class(ty);
        let zero = self.builder.ins().iconst(types::I64, 0);
        Ok(match class {
            Class::String => (values[0], values[1]),
            Class::Bool => (self.builder.ins().uextend(types::I64, values[0]), zero),
            Class::Integer { .. } => (self.widen_to_i64(values[0], class), zero),
            Class::Float => {
                let value_ty = self.builder.func.dfg.value_type(values[0]);
                if value_ty == types::F32 {
                    let bits = self.builder.ins().bitcast(types::I32, MemFlagsData::new(), values[0]);
                    (self.builder.ins().uextend(types::I64, bits), zero)
                } else {
                    (self.builder.ins().bitcast(types::I64, MemFlagsData::new(), values[0]), zero)
                }
            }
            // As the value lies in memory: a complex64's two float32s in
            // word0 (real part low), a complex128's two float64s in both.
            Class::Complex => {
                let [re, im] = values.as_slice() else { return Err(unsupported("boxing this complex value", span)) };
                if self.builder.func.dfg.value_type(*re) == types::F32 {
                    let re = self.builder.ins().bitcast(types::I32, MemFlagsData::new(), *re);
                    let im = self.builder.ins().bitcast(types::I32, MemFlagsData::new(), *im);
                    let re = self.builder.ins().uextend(types::I64, re);
                    let im = self.builder.ins().uextend(types::I64, im);
                    let im = self.builder.ins().ishl_imm_u(im, 32);
                    (self.builder.ins().bor(re, im), zero)
                } else {
                    let re = self.builder.ins().bitcast(types::I64, MemFlagsData::new(), *re);
                    let im = self.builder.ins().bitcast(types::I64, MemFlagsData::new(), *im);
                    (re, im)
                }
            }
            Class::Pointer => (values[0], zero),
            Class::Slice | Class::Aggregate => {
                let size = self.program.types.layout(ty).size;
                let copy = self.alloc(size)?;
                self.store_value(ty, copy, values, span)?;
                (copy, zero)
            }
            Class::Interface | Class::Other => return Err(unsupported("boxing this type in an interface", span)),
        })
    }

    /// The value of type `ty` held in an interface's payload words.
    pub(super) fn unbox_words(&mut self, ty: TypeId, word0: Value, word1: Value, span: Span) -> Result<Vec<Value>, CodegenError> {
        let class = self.class(ty);
        let parts = self.parts(ty, span)?;
        Ok(match class {
            Class::String => vec![word0, word1],
            Class::Bool => vec![self.builder.ins().ireduce(types::I8, word0)],
            Class::Integer { bits: 64, .. } | Class::Pointer | Class::Aggregate => vec![word0],
            Class::Integer { .. } => vec![self.builder.ins().ireduce(parts[0], word0)],
            Class::Float if parts[0] == types::F32 => {
                let bits = self.builder.ins().ireduce(types::I32, word0);
                vec![self.builder.ins().bitcast(types::F32, MemFlagsData::new(), bits)]
            }
            Class::Float => vec![self.builder.ins().bitcast(types::F64, MemFlagsData::new(), word0)],
            Class::Complex if parts[0] == types::F32 => {
                let re = self.builder.ins().ireduce(types::I32, word0);
                let im = self.builder.ins().ushr_imm_u(word0, 32);
                let im = self.builder.ins().ireduce(types::I32, im);
                vec![
                    self.builder.ins().bitcast(types::F32, MemFlagsData::new(), re),
                    self.builder.ins().bitcast(types::F32, MemFlagsData::new(), im),
                ]
            }
            Class::Complex => vec![
                self.builder.ins().bitcast(types::F64, MemFlagsData::new(), word0),
                self.builder.ins().bitcast(types::F64, MemFlagsData::new(), word1),
            ],
            Class::Slice => self.load_value(ty, word0, span)?,
            Class::Interface | Class::Other => return Err(unsupported("this type assertion", span)),
        })
    }

    pub(super) fn lower_to_interface(&mut self, inner: ExprId, span: Span) -> Result<Vec<Value>, CodegenError> {
        let inner_ty = self.program.expr(inner).ty;
        let values = self.lower_expr(inner)?;
        let tag = self.type_tag(inner_ty)?;
        let (word0, word1) = self.box_words(inner_ty, values, span)?;
        Ok(vec![tag, word0, word1])
    }

    fn method_pointer(&mut self, tag: Value, name: &str) -> Result<Value, CodegenError> {
        let (ptr, len) = self.string_const(name.as_bytes())?;
        Ok(self.call_runtime(&symbols::FIND_METHOD, &[tag, ptr, len])?[0])
    }

    /// The method wrapper `name` of the dynamic type `tag` for an interface
    /// call, through the call site's inline cache: an 8-byte writable slot
    /// pointing at an immutable (tag, wrapper) entry of the run time's
    /// ([`g2n_abi::MethodCacheEntry`]). The hit path is an acquire load (a
    /// plain load on x86-64), a compare and a load; a miss (the first call,
    /// another type) asks the run time, which looks the method up by name in
    /// its table and points the slot at the entry. Slots are per process, in
    /// the executable's writable data: nothing cached travels in a value.
    fn cached_method_pointer(&mut self, tag: Value, name: &str) -> Result<Value, CodegenError> {
        let slot_id = match self.mcx.reuse_slots.pop() {
            Some(id) => id,
            None => self.mcx.method_cache_slot()?,
        };
        self.mcx.method_slots.push(slot_id);
        let gv = self.mcx.module.declare_data_in_func(slot_id, self.builder.func);
        let slot = self.builder.ins().symbol_value(types::I64, gv);
        let entry = self.builder.ins().atomic_load(types::I64, MemFlagsData::trusted(), slot);
        let check = self.builder.create_block();
        let hit = self.builder.create_block();
        let miss = self.builder.create_block();
        let merge = self.builder.create_block();
        let function = self.builder.append_block_param(merge, types::I64);
        self.builder.ins().brif(entry, check, &[], miss, &[]);
        self.builder.seal_block(check);
        self.builder.switch_to_block(check);
        let tag_offset = offset_of!(MethodCacheEntry, tag) as i32;
        let cached_tag = self.builder.ins().load(types::I64, MemFlagsData::trusted().with_readonly(), entry, tag_offset);
        let same = self.builder.ins().icmp(IntCC::Equal, cached_tag, tag);
        self.builder.ins().brif(same, hit, &[], miss, &[]);
        self.builder.seal_block(hit);
        self.builder.seal_block(miss);
        self.builder.switch_to_block(hit);
        let func_offset = offset_of!(MethodCacheEntry, func) as i32;
        let cached = self.builder.ins().load(types::I64, MemFlagsData::trusted().with_readonly(), entry, func_offset);
        self.builder.ins().jump(merge, &[BlockArg::Value(cached)]);
        self.builder.set_cold_block(miss);
        self.builder.switch_to_block(miss);
        let (ptr, len) = self.string_const(name.as_bytes())?;
        let found = self.call_runtime(&symbols::METHOD_SLOT_MISS, &[slot, tag, ptr, len])?[0];
        // A nil interface has no methods: Go's nil dereference panic.
        self.nil_check(found)?;
        self.builder.ins().jump(merge, &[BlockArg::Value(found)]);
        self.builder.seal_block(merge);
        self.builder.switch_to_block(merge);
        Ok(function)
    }

    pub(super) fn lower_interface_call(
        &mut self,
        call: ExprId,
        receiver: ExprId,
        method: &str,
        args: &[ExprId],
        result_ty: TypeId,
        span: Span,
    ) -> Result<Vec<Value>, CodegenError> {
        let dests = self.call_result_dests(call)?;
        let iface = self.lower_expr(receiver)?;
        let mut call_args = vec![iface[1], iface[2]];
        for arg in args {
            call_args.extend(self.lower_expr(*arg)?);
        }
        call_args.extend(dests);
        let function = self.cached_method_pointer(iface[0], method)?;
        let mut sig = Signature::new(self.mcx.module.isa().default_call_conv());
        for value in &call_args {
            sig.params.push(AbiParam::new(self.builder.func.dfg.value_type(*value)));
        }
        let results = match self.kind(result_ty) {
            TypeKind::Tuple(elems) => {
                let mut all = Vec::new();
                for elem in elems.clone() {
                    all.extend(self.parts(elem, span)?);
                }
                all
            }
            _ => self.parts(result_ty, span)?,
        };
        sig.returns.extend(results.into_iter().map(AbiParam::new));
        let sig_ref = self.builder.import_signature(sig);
        let call = self.builder.ins().call_indirect(sig_ref, function, &call_args);
        Ok(self.builder.inst_results(call).to_vec())
    }

    /// Whether the dynamic type behind `tag` is `target` (for an interface
    /// target: has its methods).
    fn tag_matches(&mut self, tag: Value, target: TypeId) -> Result<Value, CodegenError> {
        // Methods are looked up by name and signature, as Go's assertion
        // compares both.
        match self.program.types.interface_method_keys(target) {
            Some(keys) => {
                let mut ok = self.builder.ins().icmp_imm_s(IntCC::NotEqual, tag, 0);
                for key in keys {
                    let function = self.method_pointer(tag, &key)?;
                    let found = self.builder.ins().icmp_imm_s(IntCC::NotEqual, function, 0);
                    ok = self.builder.ins().band(ok, found);
                }
                Ok(ok)
            }
            None => {
                let expected = self.type_tag(target)?;
                Ok(self.builder.ins().icmp(IntCC::Equal, tag, expected))
            }
        }
    }

    pub(super) fn lower_type_assert(&mut self, value: ExprId, target: TypeId, comma_ok: bool, span: Span) -> Result<Vec<Value>, CodegenError> {
        let static_ty = self.program.expr(value).ty;
        let iface = self.lower_expr(value)?;
        let ok = self.tag_matches(iface[0], target)?;
        let target_is_interface = self.program.types.is_interface(target);
        let parts = self.parts(target, span)?;
        let ok_block = self.builder.create_block();
        let fail_block = self.builder.create_block();
        let merge = self.builder.create_block();
        let mut results = Vec::new();
        for part in &parts {
            results.push(self.builder.append_block_param(merge, *part));
        }
        self.builder.ins().brif(ok, ok_block, &[], fail_block, &[]);
        self.builder.seal_block(ok_block);
        self.builder.seal_block(fail_block);

        self.builder.switch_to_block(ok_block);
        let unboxed = if target_is_interface { iface.clone() } else { self.unbox_words(target, iface[1], iface[2], span)? };
        let args: Vec<BlockArg> = unboxed.iter().map(|v| BlockArg::Value(*v)).collect();
        self.builder.ins().jump(merge, &args);

        self.builder.switch_to_block(fail_block);
        if comma_ok {
            let zeros = self.zero_of(target, span)?;
            let args: Vec<BlockArg> = zeros.iter().map(|v| BlockArg::Value(*v)).collect();
            self.builder.ins().jump(merge, &args);
        } else {
            self.builder.set_cold_block(fail_block);
            let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, ANY_SIZE, 3));
            for (i, word) in iface.iter().enumerate() {
                self.builder.ins().stack_store(types::I64, *word, slot, (i * 8) as i32);
            }
            let addr = self.builder.ins().stack_addr(types::I64, slot, 0);
            let expected = if target_is_interface {
                self.type_tag_of_interface(target)?
            } else {
                self.type_tag(target)?
            };
            let name = rtti_name(&self.program.types, static_ty);
            let (name_ptr, name_len) = self.string_const(name.as_bytes())?;
            self.call_runtime(&symbols::PANIC_TYPE_ASSERT, &[addr, expected, name_ptr, name_len])?;
            self.builder.ins().trap(TrapCode::unwrap_user(2));
        }
        self.builder.seal_block(merge);
        self.builder.switch_to_block(merge);
        if comma_ok {
            let mut all = results;
            all.push(ok);
            return Ok(all);
        }
        Ok(results)
    }

    /// The descriptor address of any type, basic ones included (the map
    /// runtime reads every key and value through a descriptor).
    pub(super) fn desc_address(&mut self, ty: TypeId) -> Result<Value, CodegenError> {
        let id = self.mcx.desc_id(self.program.types.default_type(ty))?;
        let gv = self.mcx.module.declare_data_in_func(id, self.builder.func);
        Ok(self.builder.ins().symbol_value(types::I64, gv))
    }

    /// An interface type's descriptor address, for messages.
    fn type_tag_of_interface(&mut self, ty: TypeId) -> Result<Value, CodegenError> {
        let id = self.mcx.desc_id(ty)?;
        let gv = self.mcx.module.declare_data_in_func(id, self.builder.func);
        Ok(self.builder.ins().symbol_value(types::I64, gv))
    }

    pub(super) fn interface_equal(&mut self, left: &[Value], right: &[Value]) -> Result<Value, CodegenError> {
        let mut addrs = Vec::new();
        for words in [left, right] {
            let slot = self.builder.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, ANY_SIZE, 3));
            for (i, word) in words.iter().enumerate() {
                self.builder.ins().stack_store(types::I64, *word, slot, (i * 8) as i32);
            }
            addrs.push(self.builder.ins().stack_addr(types::I64, slot, 0));
        }
        Ok(self.call_runtime(&symbols::IFACE_EQ, &addrs)?[0])
    }

    /// The body of a method wrapper: the receiver from the payload words,
    /// then the method itself.
    pub(super) fn lower_wrapper(&mut self, desc_ty: TypeId, method: FuncId, pointer_receiver: bool) -> Result<(), CodegenError> {
        let start = self.builder.create_block();
        self.builder.append_block_params_for_function_params(start);
        self.builder.switch_to_block(start);
        self.builder.seal_block(start);
        let params = self.builder.block_params(start).to_vec();
        let (word0, word1) = (params[0], params[1]);
        let span = self.program.func(method).span;
        let receiver = match self.kind(desc_ty).clone() {
            TypeKind::Pointer(elem) if !pointer_receiver && !self.program.types.is_named(desc_ty) => {
                // Go's panicwrap message, not a nil dereference.
                let is_nil = self.builder.create_block();
                let ok = self.builder.create_block();
                self.builder.ins().brif(word0, ok, &[], is_nil, &[]);
                self.builder.seal_block(is_nil);
                self.builder.switch_to_block(is_nil);
                let type_name = self.program.types.display(elem);
                let qualified = rtti_name(&self.program.types, elem);
                let method_name = self.program.func(method).name.rsplit('.').next().unwrap_or_default().to_string();
                let message = format!("value method {qualified}.{method_name} called using nil *{type_name} pointer");
                let (ptr, len) = self.string_const(message.as_bytes())?;
                self.call_runtime(&symbols::PANIC_MESSAGE, &[ptr, len])?;
                self.builder.ins().trap(TrapCode::unwrap_user(2));
                self.builder.seal_block(ok);
                self.builder.switch_to_block(ok);
                self.load_value(elem, word0, span)?
            }
            _ if pointer_receiver => vec![word0],
            _ => self.unbox_words(desc_ty, word0, word1, span)?,
        };
        let mut args = receiver;
        args.extend_from_slice(&params[2..]);
        let func_ref = self.func_ref(method, span)?;
        let call = self.builder.ins().call(func_ref, &args);
        let results = self.builder.inst_results(call).to_vec();
        self.builder.ins().return_(&results);
        Ok(())
    }
}

/// The key of method `name` (function `func`, receiver first) in a run-time
/// method table: its name and its signature without the receiver, spelled as
/// [`g2n_sema::types::Types::interface_method_keys`] spells an interface's.
fn concrete_method_key(program: &hir::Program, name: &str, func: FuncId) -> String {
    let f = program.func(func);
    let mut params: Vec<TypeId> = f.params.iter().skip(1).map(|p| program.local(*p).ty).collect();
    if f.variadic {
        // Signatures keep a variadic parameter's element type.
        if let Some(last) = params.last_mut() {
            *last = program.types.elem(*last).unwrap_or(*last);
        }
    }
    let sig = g2n_sema::types::Signature { params, results: f.results.clone(), variadic: f.variadic };
    g2n_abi::method_key(name, &program.types.signature_key_text(&sig))
}
