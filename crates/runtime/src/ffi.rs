//! The C ABI that generated code calls (names and signatures: `g2n_abi::symbols`).
//!
//! No panic may unwind out of these functions: every body runs inside
//! [`guard`], which turns a runtime bug into a message and exit code 2 instead
//! of undefined behaviour. Pointers from generated code are trusted to follow
//! the ABI (that is the contract), but null and negative lengths are still
//! caught because they are cheap to check and a clear message beats a crash.

use crate::config::{Role, RuntimeConfig};
use crate::flow::{self, end_flow, fail_flow, fatal, write_output};
use crate::fmt::{self as gofmt, Arg};
use crate::scope::Scope;
use crate::types;
use crate::wire::{Stream, WireValue};
use crate::host::{Host, TableUnit};
use g2n_abi::{ABI_VERSION, GoAny, GoString, MeshUnitRecord, TypeTag, UnitDescriptor, UnitEntryFn, UnitRecord};
use std::sync::Arc;
use std::ffi::{c_char, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};

pub(crate) fn guard<R>(f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => fatal("g2n: internal error in the runtime (a bug in g2n); the flow cannot continue"),
    }
}

/// A table of the executable's static data, as C `main` passes it (empty
/// for a null pointer or a zero count).
///
/// # Safety
/// `ptr` must point to `count` values readable for the life of the process.
unsafe fn static_slice<T>(ptr: *const T, count: usize) -> &'static [T] {
    if ptr.is_null() || count == 0 {
        return &[];
    }
    // SAFETY: guaranteed by the caller.
    unsafe { std::slice::from_raw_parts(ptr, count) }
}

/// The bytes `offset..offset + len` of a unit table's blob. A range outside
/// the blob is a compiler bug; the empty text then fails to decode with a
/// clear message instead of reading out of bounds.
fn blob_text(blob: &'static [u8], offset: u64, len: u64) -> &'static [u8] {
    blob.get(offset as usize..offset.saturating_add(len) as usize).unwrap_or(&[])
}

/// The empty slice [`bytes`] returns points here, into mapped memory, not at
/// the dangling address 0x1 of `&[]` (nor at a Go `""`'s null pointer): glibc's
/// AVX-512 `memcmp` loads from its operands under a zero mask even for a
/// length of 0, and such a load from an unmapped page takes a microcode assist
/// of about a microsecond where the compare takes about a nanosecond. Every Go
/// string comparison (`s == ""`) reaches `memcmp` through `g2n_string_compare`.
static EMPTY: [u8; 1] = [0];

/// # Safety
/// `ptr` must point to `len` readable bytes (any pointer if `len` is 0).
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: i64) -> &'a [u8] {
    if len <= 0 || ptr.is_null() {
        return &EMPTY[..0];
    }
    // SAFETY: guaranteed by the caller (the ABI).
    unsafe { std::slice::from_raw_parts(ptr, len as usize) }
}

/// A Go string with the contents of `b`, in collected memory (unscanned: string
/// bytes hold no pointers). The name is historical: it is not leaked.
pub(crate) fn leak_string(b: Vec<u8>) -> GoString {
    go_string_from(&b)
}

/// A Go string with a copy of `b`, in collected memory.
pub(crate) fn go_string_from(b: &[u8]) -> GoString {
    let len = b.len() as i64;
    if len == 0 {
        return GoString { ptr: std::ptr::NonNull::<u8>::dangling().as_ptr(), len: 0 };
    }
    GoString { ptr: crate::gc::copy_bytes(b), len }
}

/// # Safety
/// `args` must point to `nargs` valid [`GoAny`] values whose strings are valid.
pub(crate) unsafe fn args<'a>(args: *const GoAny, nargs: i64) -> Vec<Arg<'a>> {
    if nargs <= 0 || args.is_null() {
        return Vec::new();
    }
    // SAFETY: guaranteed by the caller (the ABI).
    let anys = unsafe { std::slice::from_raw_parts(args, nargs as usize) };
    // SAFETY: each string any holds a valid (ptr, len) by the ABI.
    anys.iter().map(|a| unsafe { any_to_arg(a) }).collect()
}

/// # Safety
/// A string any must hold a valid pointer and length.
pub(crate) unsafe fn any_to_arg<'a>(a: &GoAny) -> Arg<'a> {
    match TypeTag::from_u64(a.tag) {
        Some(TypeTag::Nil) => Arg::Nil,
        Some(TypeTag::Bool) => Arg::Bool(a.word0 != 0),
        Some(TypeTag::Int) => Arg::Int(a.word0 as i64),
        Some(TypeTag::Float64) => Arg::Float64(f64::from_bits(a.word0)),
        // SAFETY: guaranteed by the caller.
        Some(TypeTag::String) => Arg::Str(unsafe { bytes(a.word0 as *const u8, a.word1 as i64) }),
        Some(TypeTag::Float32) => Arg::Float32(f32::from_bits(a.word0 as u32)),
        Some(TypeTag::Complex64) => {
            let (re, im) = types::any_complex(a, g2n_abi::Kind::Complex64);
            Arg::Complex { re, im, bits32: true }
        }
        Some(TypeTag::Complex128) => {
            let (re, im) = types::any_complex(a, g2n_abi::Kind::Complex128);
            Arg::Complex { re, im, bits32: false }
        }
        Some(
            tag @ (TypeTag::Int8
            | TypeTag::Int16
            | TypeTag::Int32
            | TypeTag::Int64
            | TypeTag::Uint
            | TypeTag::Uint8
            | TypeTag::Uint16
            | TypeTag::Uint32
            | TypeTag::Uint64
            | TypeTag::Uintptr),
        ) => {
            let signed = tag.int_info().is_some_and(|(_, signed)| signed);
            Arg::Sized { raw: a.word0, signed, name: tag.go_name() }
        }
        None => match types::desc_of_tag(a.tag) {
            Some(d) => Arg::Val { desc: d, ptr: types::any_value_ptr(a, d) },
            None => fail_flow(&format!("g2n: internal error: unknown type tag {} in an interface value", a.tag), 2),
        },
    }
}

fn scope_mut<'a>(scope: *mut c_void) -> &'a mut Scope {
    if scope.is_null() {
        fail_flow("g2n: internal error: null scope", 2);
    }
    // SAFETY: non-null scopes passed by generated code come from
    // g2n_scope_new or from the runtime's call of the unit entry.
    unsafe { &mut *scope.cast::<Scope>() }
}

fn put(scope: *mut c_void, slot: u32, v: WireValue) {
    if let Err(e) = scope_mut(scope).put(slot, v) {
        fail_flow(&format!("g2n: internal error: {e}"), 2);
    }
}

fn get(scope: *mut c_void, slot: u32, tag: TypeTag) -> WireValue {
    match scope_mut(scope).get(slot, tag) {
        Ok(v) => v.clone(),
        Err(e) => fail_flow(&format!("g2n: internal error: {e}"), 2),
    }
}

rt_export! { RT_MAIN =>
/// The program entry, called by the generated C `main`. Never returns: it
/// exits the process with the flow's exit code (origin) or serves forever.
///
/// # Safety
/// `desc` must point to `desc_len` bytes of descriptor text; `entry` must be
/// the unit's compiled entry.
pub unsafe extern "C" fn g2n_rt_main(argc: i32, argv: *const *const c_char, entry: UnitEntryFn, desc: *const u8, desc_len: usize) -> i32 {
    // Before any Go value exists, on the main thread (normally done already
    // by the collector's load-time constructor).
    crate::gc::init();
    // SAFETY: C `main` passes its own argc/argv.
    unsafe { crate::args::init(argc, argv) };
    // SAFETY: guaranteed by the caller.
    let text = unsafe { bytes(desc, desc_len as i64) };
    let code = guard(|| main_inner(entry, text));
    flow::fatal_flush();
    std::process::exit(code);
}
}

fn main_inner(entry: UnitEntryFn, text: &[u8]) -> i32 {
    let fail = |msg: String| -> i32 {
        flow::log_plain(&msg);
        1
    };
    let Ok(text) = std::str::from_utf8(text) else { return fail("g2n: the unit descriptor is not UTF-8 text".into()) };
    let desc = match UnitDescriptor::decode(text) {
        Ok(d) => d,
        Err(e) => return fail(format!("g2n: invalid unit descriptor: {e}")),
    };
    if desc.abi_version != ABI_VERSION {
        return fail(format!(
            "g2n: unit '{}' was built for runtime ABI version {}, but this runtime implements version {ABI_VERSION}; rebuild it with a matching g2n",
            desc.unit, desc.abi_version
        ));
    }
    let config = match load_config(&desc.unit) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let unit = desc.unit.clone();
    match Host::single(config, desc, entry) {
        Ok(host) => run_host(host, 0),
        Err(e) => fail(format!("g2n[{unit}]: {e}")),
    }
}

/// The runtime configuration, with the trace subscriber installed.
fn load_config(unit: &str) -> Result<RuntimeConfig, i32> {
    let config = RuntimeConfig::from_env().map_err(|e| {
        flow::log_plain(&format!("g2n: {e}"));
        1
    })?;
    if let Some(path) = &config.trace_file
        && let Err(e) = crate::trace::init(path)
    {
        flow::log_plain(&format!("g2n[{unit}]: {e}"));
        return Err(1);
    }
    Ok(config)
}

/// Runs the process as its role says: the origin of a flow that starts on
/// unit `own` (and, with `serve`, a server for the host's nanoservices too),
/// or a server until killed.
fn run_host(host: Arc<Host>, own: u32) -> i32 {
    let fail = |msg: String| -> i32 {
        flow::log_plain(&msg);
        1
    };
    let config = host.config.clone();
    if config.engine == crate::config::EngineKind::Nats {
        return match crate::engine::registered() {
            Some(engine) => engine.run_host(host, own),
            None => fail(crate::engine::not_linked("nats")),
        };
    }
    let serving = config.role == Role::Serve || config.serve;
    let server = if serving {
        let server = match crate::server::serve_host(host.clone()) {
            Ok(s) => s,
            Err(e) => return fail(format!("g2n[{}]: {e}", host.name)),
        };
        if let Some(path) = &config.ready_file
            && let Err(e) = write_ready_file(path, &server.endpoint)
        {
            return fail(format!("g2n[{}]: cannot write ready file {path}: {e}", host.name));
        }
        Some(server)
    } else {
        None
    };
    match config.role {
        Role::Origin => {
            let unit = match host.unit_at(own) {
                Ok(u) => u,
                Err(e) => return fail(format!("g2n: {e}")),
            };
            match crate::origin::run_origin_host(host, unit) {
                Ok(code) => code,
                Err(e) => fail(format!("g2n: {e}")),
            }
        }
        Role::Serve => {
            if let Some(server) = server {
                server.join();
            }
            0
        }
    }
}

rt_export! { RT_MAIN_TABLE =>
/// The program entry of an executable holding several nanoservices (a split
/// program, docs/split.md): like [`g2n_rt_main`], with the unit table.
///
/// # Safety
/// `blob` must point to `blob_len` bytes and `table` to `count` records,
/// both readable for the life of the process (the executable's data);
/// `entry` must be the program's compiled unit entry.
pub unsafe extern "C" fn g2n_rt_main_table(
    argc: i32,
    argv: *const *const c_char,
    entry: UnitEntryFn,
    blob: *const u8,
    blob_len: usize,
    table: *const UnitRecord,
    count: usize,
    default: usize,
) -> i32 {
    crate::gc::init();
    // SAFETY: C `main` passes its own argc/argv.
    unsafe { crate::args::init(argc, argv) };
    // SAFETY: guaranteed by the caller (static data of the executable).
    let (records, blob) = unsafe { (static_slice(table, count), static_slice(blob, blob_len)) };
    let text = |offset: u64, len: u64| blob_text(blob, offset, len);
    let program_name = crate::args::program_name();
    let code = guard(|| {
        let table: Vec<(String, &'static [u8])> =
            records.iter().map(|r| (String::from_utf8_lossy(text(r.name_offset, r.name_len)).into_owned(), text(r.desc_offset, r.desc_len))).collect();
        // The executable's file name picks the nanoservice (a multi-call
        // binary); any other name runs as the default (the entry).
        let own = program_name.as_deref().and_then(|n| table.iter().position(|(name, _)| name == n)).unwrap_or(default) as u32;
        let Some((own_name, _)) = table.get(own as usize) else {
            flow::log_plain("g2n: the executable's unit table is empty");
            return 1;
        };
        let config = match load_config(own_name) {
            Ok(c) => c,
            Err(code) => return code,
        };
        let own_name = own_name.clone();
        match Host::from_table(config, entry, table, own) {
            Ok(host) => run_host(host, own),
            Err(e) => {
                flow::log_plain(&format!("g2n[{own_name}]: {e}"));
                1
            }
        }
    });
    flow::fatal_flush();
    std::process::exit(code);
}
}

rt_export! { RT_MAIN_MESH =>
/// The program entry of an executable holding several separately compiled
/// nanoservice configs (`g2n run` of a mesh of configs on one host): like
/// [`g2n_rt_main_table`], with each config's own unit entry and program
/// table in its record. Without a runtime configuration (`G2N_RUNTIME`
/// unset) the process hosts every config of its table, so running the
/// executable runs the whole mesh in memory.
///
/// # Safety
/// `blob` must point to `blob_len` bytes and `table` to `count` records,
/// both readable for the life of the process (the executable's data); each
/// record's entry and program table must be that config's.
pub unsafe extern "C" fn g2n_rt_main_mesh(
    argc: i32,
    argv: *const *const c_char,
    blob: *const u8,
    blob_len: usize,
    table: *const MeshUnitRecord,
    count: usize,
    default: usize,
) -> i32 {
    crate::gc::init();
    // SAFETY: C `main` passes its own argc/argv.
    unsafe { crate::args::init(argc, argv) };
    // SAFETY: guaranteed by the caller (static data of the executable).
    let (records, blob) = unsafe { (static_slice(table, count), static_slice(blob, blob_len)) };
    let text = |offset: u64, len: u64| blob_text(blob, offset, len);
    let program_name = crate::args::program_name();
    let configured = std::env::var_os("G2N_RUNTIME").is_some();
    let code = guard(|| {
        let table: Vec<TableUnit> = records
            .iter()
            .map(|r| TableUnit {
                name: String::from_utf8_lossy(text(r.name_offset, r.name_len)).into_owned(),
                descriptor: text(r.desc_offset, r.desc_len),
                entry: r.entry,
                program: r.program as usize,
            })
            .collect();
        let own = program_name.as_deref().and_then(|n| table.iter().position(|u| u.name == n)).unwrap_or(default) as u32;
        let Some(own_name) = table.get(own as usize).map(|u| u.name.clone()) else {
            flow::log_plain("g2n: the executable's unit table is empty");
            return 1;
        };
        let mut config = match load_config(&own_name) {
            Ok(c) => c,
            Err(code) => return code,
        };
        if !configured {
            config.units = table.iter().map(|u| u.name.clone()).collect();
        }
        match Host::from_units(config, table, own) {
            Ok(host) => run_host(host, own),
            Err(e) => {
                flow::log_plain(&format!("g2n[{own_name}]: {e}"));
                1
            }
        }
    });
    flow::fatal_flush();
    std::process::exit(code);
}
}

rt_export! { FLOW_UNIT =>
/// The index of the nanoservice the calling flow runs on (-1 outside a flow).
pub extern "C" fn g2n_flow_unit() -> i64 {
    flow::current_unit_index()
}
}

/// Atomic (tmp + rename) so a watcher never reads a half-written address.
pub fn write_ready_file(path: &str, addr: &str) -> std::io::Result<()> {
    let tmp = format!("{path}.tmp.{}", std::process::id());
    std::fs::write(&tmp, addr)?;
    std::fs::rename(&tmp, path)
}

rt_export! { SCOPE_NEW =>
/// A fresh, empty scope for a handoff; ownership passes to `g2n_go_to_network`.
pub extern "C" fn g2n_scope_new() -> *mut c_void {
    guard(|| Box::into_raw(Box::new(Scope::default())).cast())
}
}

rt_export! { SCOPE_PUT_INT =>
/// # Safety
/// `scope` must come from `g2n_scope_new` or the unit entry.
pub unsafe extern "C" fn g2n_scope_put_int(scope: *mut c_void, slot: u32, value: i64) {
    guard(|| put(scope, slot, WireValue::Int(value)))
}
}

rt_export! { SCOPE_PUT_BOOL =>
/// # Safety
/// As [`g2n_scope_put_int`].
pub unsafe extern "C" fn g2n_scope_put_bool(scope: *mut c_void, slot: u32, value: u8) {
    guard(|| put(scope, slot, WireValue::Bool(value != 0)))
}
}

rt_export! { SCOPE_PUT_FLOAT64 =>
/// # Safety
/// As [`g2n_scope_put_int`].
pub unsafe extern "C" fn g2n_scope_put_float64(scope: *mut c_void, slot: u32, value: f64) {
    guard(|| put(scope, slot, WireValue::Float64(value)))
}
}

rt_export! { SCOPE_PUT_STRING =>
/// The bytes are copied.
///
/// # Safety
/// As [`g2n_scope_put_int`]; `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_scope_put_string(scope: *mut c_void, slot: u32, ptr: *const u8, len: i64) {
    // SAFETY: guaranteed by the caller.
    let s = unsafe { bytes(ptr, len) }.to_vec();
    guard(|| put(scope, slot, WireValue::String(s)))
}
}

rt_export! { SCOPE_GET_INT =>
/// # Safety
/// As [`g2n_scope_put_int`].
pub unsafe extern "C" fn g2n_scope_get_int(scope: *mut c_void, slot: u32) -> i64 {
    guard(|| match get(scope, slot, TypeTag::Int) {
        WireValue::Int(n) => n,
        _ => 0,
    })
}
}

rt_export! { SCOPE_GET_BOOL =>
/// # Safety
/// As [`g2n_scope_put_int`].
pub unsafe extern "C" fn g2n_scope_get_bool(scope: *mut c_void, slot: u32) -> u8 {
    guard(|| match get(scope, slot, TypeTag::Bool) {
        WireValue::Bool(b) => b as u8,
        _ => 0,
    })
}
}

rt_export! { SCOPE_GET_FLOAT64 =>
/// # Safety
/// As [`g2n_scope_put_int`].
pub unsafe extern "C" fn g2n_scope_get_float64(scope: *mut c_void, slot: u32) -> f64 {
    guard(|| match get(scope, slot, TypeTag::Float64) {
        WireValue::Float64(f) => f,
        _ => 0.0,
    })
}
}

rt_export! { SCOPE_GET_STRING =>
/// Writes the string to `*out` (a copy in collected memory).
///
/// # Safety
/// As [`g2n_scope_put_int`]; `out` must be writable.
pub unsafe extern "C" fn g2n_scope_get_string(scope: *mut c_void, slot: u32, out: *mut GoString) {
    let s = guard(|| match scope_mut(scope).get_string(slot) {
        Ok(s) => s,
        Err(e) => fail_flow(&format!("g2n: internal error: {e}"), 2),
    });
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write(s) };
    }
}
}

fn desc_arg(desc: *const g2n_abi::TypeDesc) -> types::Desc {
    if desc.is_null() {
        fail_flow("g2n: internal error: null type descriptor for a scope value", 2);
    }
    // SAFETY: non-null descriptors are static by the ABI.
    unsafe { &*desc }
}

fn put_graph(scope: *mut c_void, slot: u32, desc: *const g2n_abi::TypeDesc, cell: bool, ptr: *const u8) {
    if ptr.is_null() {
        fail_flow("g2n: internal error: null scope value", 2);
    }
    let d = desc_arg(desc);
    // SAFETY: generated code passes a value (or storage) of type `desc`.
    if let Err(e) = unsafe { scope_mut(scope).put_graph(slot, d, cell, ptr) } {
        fail_flow(&format!("g2n: internal error: {e}"), 2);
    }
}

rt_export! { SCOPE_PUT_VALUE =>
/// A graph value: the value of type `desc` at `value` (docs/protocol.md,
/// "Scope graph").
///
/// # Safety
/// As [`g2n_scope_put_int`]; `value` must point to a value of type `desc`.
pub unsafe extern "C" fn g2n_scope_put_value(scope: *mut c_void, slot: u32, desc: *const g2n_abi::TypeDesc, value: *const u8) {
    guard(|| put_graph(scope, slot, desc, false, value))
}
}

rt_export! { SCOPE_PUT_CELL =>
/// A local kept in memory: its storage travels as a graph object.
///
/// # Safety
/// As [`g2n_scope_put_int`]; `storage` must hold a value of type `desc`.
pub unsafe extern "C" fn g2n_scope_put_cell(scope: *mut c_void, slot: u32, desc: *const g2n_abi::TypeDesc, storage: *const u8) {
    guard(|| put_graph(scope, slot, desc, true, storage))
}
}

rt_export! { SCOPE_GET_VALUE =>
/// Writes a received graph value of type `desc` to `out`.
///
/// # Safety
/// As [`g2n_scope_put_int`]; `out` must have room for a value of type `desc`.
pub unsafe extern "C" fn g2n_scope_get_value(scope: *mut c_void, slot: u32, desc: *const g2n_abi::TypeDesc, out: *mut u8) {
    guard(|| {
        let d = desc_arg(desc);
        if out.is_null() {
            fail_flow("g2n: internal error: null output for a scope value", 2);
        }
        if let Err(e) = scope_mut(scope).get_graph(slot, d, false, out) {
            fail_flow(&format!("g2n: internal error: scope slot {slot}: {e}"), 2);
        }
    })
}
}

rt_export! { SCOPE_GET_CELL =>
/// The received storage of a local kept in memory.
///
/// # Safety
/// As [`g2n_scope_put_int`].
pub unsafe extern "C" fn g2n_scope_get_cell(scope: *mut c_void, slot: u32, desc: *const g2n_abi::TypeDesc) -> *mut u8 {
    guard(|| {
        let d = desc_arg(desc);
        let mut p: usize = 0;
        if let Err(e) = scope_mut(scope).get_graph(slot, d, true, (&mut p as *mut usize).cast()) {
            fail_flow(&format!("g2n: internal error: scope slot {slot}: {e}"), 2);
        }
        p as *mut u8
    })
}
}

rt_export! { GO_TO_NETWORK =>
/// Hands the flow on through exit `exit_index`, consuming `scope`. Returns
/// normally both on success and when the handoff failed (the failure has then
/// been reported and the flow ended with exit code 1); either way generated
/// code must return from the unit entry right after.
///
/// # Safety
/// `scope` must come from `g2n_scope_new` (or be null for an exit with no variables).
pub unsafe extern "C" fn g2n_go_to_network(exit_index: u32, scope: *mut c_void) {
    guard(|| {
        // The other goroutines stay in this process; let them get as far as
        // they can first, so that what they write is in the scope (and a
        // channel travels only if none is left to use it: graph/encode.rs).
        crate::sched::quiesce();
        let owned = if scope.is_null() {
            Box::new(Scope::default())
        } else {
            // SAFETY: from g2n_scope_new (or the runtime-owned entry scope,
            // which is not freed here: see below).
            unsafe { Box::from_raw(scope.cast::<Scope>()) }
        };
        match flow::take() {
            Some(mut f) => {
                f.go_to_network(exit_index, &owned);
                flow::install(f);
            }
            None => fail_flow("g2n: internal error: goToNetwork outside of a flow", 2),
        }
        if owned.runtime_owned {
            // The runtime frees the entry scope after the entry returns.
            let _ = Box::into_raw(owned);
        }
    })
}
}

rt_export! { WRITE_STDOUT =>
/// # Safety
/// `ptr` must point to `len` readable bytes.
pub unsafe extern "C" fn g2n_write_stdout(ptr: *const u8, len: i64) {
    // SAFETY: guaranteed by the caller.
    let b = unsafe { bytes(ptr, len) };
    guard(|| write_output(Stream::Stdout, b))
}
}

rt_export! { FMT_PRINTF =>
/// `fmt.Printf`. `format_len` is an `i64` like every Go length in this ABI.
///
/// # Safety
/// `format_ptr` must point to `format_len` bytes; `args` to `nargs` values.
pub unsafe extern "C" fn g2n_fmt_printf(format_ptr: *const u8, format_len: i64, args_ptr: *const GoAny, nargs: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    let (format, a) = unsafe { (bytes(format_ptr, format_len), args(args_ptr, nargs)) };
    guard(|| {
        let text = gofmt::sprintf(format, &a);
        write_output(Stream::Stdout, &text);
        text.len() as i64
    })
}
}

rt_export! { FMT_PRINTLN =>
/// `fmt.Println`.
///
/// # Safety
/// `args` must point to `nargs` values.
pub unsafe extern "C" fn g2n_fmt_println(args_ptr: *const GoAny, nargs: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    guard(|| {
        let text = gofmt::sprintln(&a);
        write_output(Stream::Stdout, &text);
        text.len() as i64
    })
}
}

rt_export! { FMT_PRINT =>
/// `fmt.Print`.
///
/// # Safety
/// `args` must point to `nargs` values.
pub unsafe extern "C" fn g2n_fmt_print(args_ptr: *const GoAny, nargs: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    let a = unsafe { args(args_ptr, nargs) };
    guard(|| {
        let text = gofmt::sprint(&a);
        write_output(Stream::Stdout, &text);
        text.len() as i64
    })
}
}

/// Go's runtime `complex128div`, operation for operation (Smith's
/// algorithm, then C99's corrections to infinities and zeros), so that
/// quotients match Go's bit for bit.
pub fn complex128_div(n: (f64, f64), m: (f64, f64)) -> (f64, f64) {
    let inf2one = |f: f64| (if f.is_infinite() { 1.0f64 } else { 0.0 }).copysign(f);
    let (mut e, mut f);
    if m.0.abs() >= m.1.abs() {
        let ratio = m.1 / m.0;
        let denom = m.0 + ratio * m.1;
        e = (n.0 + n.1 * ratio) / denom;
        f = (n.1 - n.0 * ratio) / denom;
    } else {
        let ratio = m.0 / m.1;
        let denom = m.1 + ratio * m.0;
        e = (n.0 * ratio + n.1) / denom;
        f = (n.1 * ratio - n.0) / denom;
    }
    if e.is_nan() && f.is_nan() {
        let (mut a, mut b) = n;
        let (mut c, mut d) = m;
        let inf = f64::INFINITY;
        if c == 0.0 && d == 0.0 && (!a.is_nan() || !b.is_nan()) {
            e = inf.copysign(c) * a;
            f = inf.copysign(c) * b;
        } else if (a.is_infinite() || b.is_infinite()) && c.is_finite() && d.is_finite() {
            a = inf2one(a);
            b = inf2one(b);
            e = inf * (a * c + b * d);
            f = inf * (b * c - a * d);
        } else if (c.is_infinite() || d.is_infinite()) && a.is_finite() && b.is_finite() {
            c = inf2one(c);
            d = inf2one(d);
            e = 0.0 * (a * c + b * d);
            f = 0.0 * (b * c - a * d);
        }
    }
    (e, f)
}

rt_export! { COMPLEX128_DIV =>
/// `(a_re + a_im i) / (b_re + b_im i)`, written to `out` (see [`complex128_div`]).
///
/// # Safety
/// `out` must point to two writable `f64`s.
pub unsafe extern "C" fn g2n_complex128_div(a_re: f64, a_im: f64, b_re: f64, b_im: f64, out: *mut [f64; 2]) {
    let (e, f) = complex128_div((a_re, a_im), (b_re, b_im));
    // SAFETY: guaranteed by the caller.
    unsafe { out.write_unaligned([e, f]) };
}
}

rt_export! { STRING_CONCAT =>
/// `a + b`, written to `*out` (in collected memory).
///
/// # Safety
/// Both strings must be valid; `out` writable.
pub unsafe extern "C" fn g2n_string_concat(a_ptr: *const u8, a_len: i64, b_ptr: *const u8, b_len: i64, out: *mut GoString) {
    // SAFETY: guaranteed by the caller.
    let (a, b) = unsafe { (bytes(a_ptr, a_len), bytes(b_ptr, b_len)) };
    let s = guard(|| {
        let len = a.len() + b.len();
        if len == 0 {
            return go_string_from(&[]);
        }
        let p = crate::gc::malloc_atomic(len);
        // SAFETY: `p` has room for both strings; the regions are disjoint.
        unsafe {
            std::ptr::copy_nonoverlapping(a.as_ptr(), p, a.len());
            std::ptr::copy_nonoverlapping(b.as_ptr(), p.add(a.len()), b.len());
        }
        GoString { ptr: p, len: len as i64 }
    });
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write(s) };
    }
}
}

rt_export! { STRING_COMPARE =>
/// `strings.Compare(a, b)`: -1, 0 or 1 (bytewise, like Go).
///
/// # Safety
/// Both strings must be valid.
pub unsafe extern "C" fn g2n_string_compare(a_ptr: *const u8, a_len: i64, b_ptr: *const u8, b_len: i64) -> i64 {
    // SAFETY: guaranteed by the caller.
    let (a, b) = unsafe { (bytes(a_ptr, a_len), bytes(b_ptr, b_len)) };
    a.cmp(b) as i64
}
}

rt_export! { EXIT =>
/// `os.Exit(code)`: ends the flow (see `flow` for how, on a serving host).
pub extern "C" fn g2n_exit(code: i64) -> ! {
    // Go passes the code to exit(2), which keeps its low 8 bits; so do we.
    guard(|| -> () { end_flow(code as i32) });
    fatal("g2n: internal error: a flow went on after os.Exit")
}
}

/// Go's traceback of the running goroutine: the frames of generated code
/// where the panic was raised (`crate::traceback`; without a line table, as
/// in an executable of an older g2n, `main.main()` and `?`), then, in a
/// mesh, the nanoservice the flow was running on, which Go has no word for.
pub(crate) fn traceback() -> String {
    format!("\ngoroutine {} [running]:\n{}", crate::sched::current_id(), goroutine_frames(crate::traceback::frames_text()))
}

/// A goroutine's frames as its trace prints them (`frames`, from
/// `crate::traceback`; without a line table `main.main()` and `?`), then,
/// in a mesh, the nanoservice the flow was running on.
pub(crate) fn goroutine_frames(mut frames: String) -> String {
    if frames.is_empty() {
        frames = "main.main()\n\t?\n".to_string();
    }
    if let Some(name) = crate::flow::current_mesh_unit_name() {
        frames.push_str(&format!("in nanoservice {name}\n"));
    }
    frames
}

/// A fatal runtime error (`fatal error: ...`, already formatted with its
/// traceback): printed to the flow's stderr, exit code 2.
pub(crate) fn print_fatal_and_end(message: &[u8]) -> ! {
    guard(|| -> () {
        write_output(Stream::Stderr, message);
        end_flow(2)
    });
    fatal("g2n: internal error: a flow went on after a fatal error")
}

/// `panic: <msg>`, Go's traceback stand-in, and exit code 2.
pub(crate) fn panic_with_message(msg: &[u8]) -> ! {
    crate::defer::raise(crate::defer::PanicValue::Message(msg.to_vec()))
}

/// The end of an unrecovered panic: `panic: <message>`, Go's goroutine
/// header, exit code 2.
pub(crate) fn print_panic_and_end(message: &[u8]) -> ! {
    guard(|| -> () {
        let mut out = b"panic: ".to_vec();
        out.extend_from_slice(message);
        out.extend_from_slice(b"\n");
        out.extend_from_slice(traceback().as_bytes());
        write_output(Stream::Stderr, &out);
        end_flow(2)
    });
    fatal("g2n: internal error: a flow went on after a panic")
}

rt_export! { PANIC_MESSAGE =>
/// A run-time panic printed as `panic: <msg>` (see
/// `g2n_abi::symbols::PANIC_MESSAGE`).
///
/// # Safety
/// `msg_ptr` must point to `msg_len` bytes.
pub unsafe extern "C" fn g2n_panic_message(msg_ptr: *const u8, msg_len: i64) -> ! {
    // SAFETY: guaranteed by the caller.
    let msg = unsafe { bytes(msg_ptr, msg_len) }.to_vec();
    crate::defer::raise(crate::defer::PanicValue::Message(msg))
}
}

rt_export! { PANIC_RUNTIME_ERROR =>
/// A run-time panic: `panic: runtime error: <msg>` and exit code 2.
///
/// # Safety
/// `msg_ptr` must point to `msg_len` bytes.
pub unsafe extern "C" fn g2n_panic_runtime_error(msg_ptr: *const u8, msg_len: i64) -> ! {
    // SAFETY: guaranteed by the caller.
    let msg = unsafe { bytes(msg_ptr, msg_len) }.to_vec();
    crate::defer::raise(crate::defer::PanicValue::Runtime(msg))
}
}

rt_export! { PANIC =>
/// `panic(v)`, printed the way Go's runtime prints a panic value.
///
/// # Safety
/// `value` must point to a valid [`GoAny`] (null means `panic(nil)`).
pub unsafe extern "C" fn g2n_panic(value: *const GoAny) -> ! {
    // SAFETY: guaranteed by the caller.
    let value = if value.is_null() { GoAny { tag: 0, word0: 0, word1: 0 } } else { unsafe { *value } };
    crate::defer::raise(crate::defer::PanicValue::Value(value))
}
}

/// Go 1.19's `printpanics` of one value: an error's `Error()`, a Stringer's
/// runtime.printcomplex: `(+1.000000e+000+2.000000e+000i)`.
fn print_complex(re: f64, im: f64) -> Vec<u8> {
    let mut out = b"(".to_vec();
    out.extend_from_slice(&gofmt::runtime_print_float(re));
    out.extend_from_slice(&gofmt::runtime_print_float(im));
    out.extend_from_slice(b"i)");
    out
}

/// `String()`, else `printpanicval` (basic values plain, named basic types as
/// `main.T(5)`, other types as `(main.T) 0xc000012345`).
pub fn panic_value(arg: Arg) -> Vec<u8> {
    match arg {
        Arg::Nil => b"nil".to_vec(),
        Arg::Bool(b) => b.to_string().into_bytes(),
        Arg::Int(n) => n.to_string().into_bytes(),
        Arg::Float64(f) => gofmt::runtime_print_float(f),
        Arg::Float32(f) => gofmt::runtime_print_float(f as f64),
        Arg::Complex { re, im, .. } => print_complex(re, im),
        Arg::Str(s) => s.to_vec(),
        Arg::Sized { raw, signed: true, .. } => (raw as i64).to_string().into_bytes(),
        Arg::Sized { raw, signed: false, .. } => raw.to_string().into_bytes(),
        Arg::Val { desc, ptr } => {
            // SAFETY: descriptors are static by the ABI.
            let d: types::Desc = unsafe { &*desc };
            // SAFETY: `ptr` points to a value of type `d`.
            let (w0, w1) = unsafe { types::box_words(d, ptr) };
            if let Some(f) = types::find_method(d, g2n_abi::ERROR_METHOD_KEY).or_else(|| types::find_method(d, g2n_abi::STRING_METHOD_KEY)) {
                // SAFETY: Error and String are `() string` methods by the ABI.
                return unsafe { types::call_string_method(f, w0, w1) }.to_vec();
            }
            let name = types::name(d);
            let kind = types::kind(d);
            let mut out = Vec::new();
            let basic = match kind.basic_tag() {
                Some(TypeTag::Float64) => Some(gofmt::runtime_print_float(f64::from_bits(w0))),
                Some(TypeTag::Float32) => Some(gofmt::runtime_print_float(f32::from_bits(w0 as u32) as f64)),
                Some(tag @ (TypeTag::Complex64 | TypeTag::Complex128)) => {
                    let k = if tag == TypeTag::Complex64 { g2n_abi::Kind::Complex64 } else { g2n_abi::Kind::Complex128 };
                    let (re, im) = types::any_complex(&GoAny { tag: 0, word0: w0, word1: w1 }, k);
                    // printanycustomtype: `main.C(+1.000000e+000+2.000000e+000i)`,
                    // the type's parentheses standing for printcomplex's.
                    let printed = print_complex(re, im);
                    Some(printed[1..printed.len() - 1].to_vec())
                }
                Some(TypeTag::String) => {
                    let mut v = b"\"".to_vec();
                    // SAFETY: a string value's words are a valid string.
                    v.extend_from_slice(unsafe { bytes(w0 as *const u8, w1 as i64) });
                    v.push(b'"');
                    Some(v)
                }
                Some(TypeTag::Bool) => Some((w0 != 0).to_string().into_bytes()),
                Some(tag) => Some(match tag.int_info() {
                    Some((_, true)) => (w0 as i64).to_string().into_bytes(),
                    _ => w0.to_string().into_bytes(),
                }),
                None => None,
            };
            match basic {
                Some(v) => {
                    out.extend_from_slice(name);
                    out.push(b'(');
                    out.extend_from_slice(&v);
                    out.push(b')');
                }
                None => {
                    // Go prints the interface's data word: the boxed copy of a
                    // struct, array or slice header, or the pointer itself.
                    let data = match kind {
                        g2n_abi::Kind::Struct | g2n_abi::Kind::Array | g2n_abi::Kind::Slice => ptr as u64,
                        _ => w0,
                    };
                    out.push(b'(');
                    out.extend_from_slice(name);
                    out.extend_from_slice(format!(") {data:#x}").as_bytes());
                }
            }
            out
        }
    }
}
