//! Run-time type descriptors ([`TypeDesc`]): reading values laid out in memory
//! as Go lays them out, Go's `==` on them, hashing for map keys, method lookup,
//! and the interface helpers named in `g2n_abi::symbols` (`g2n_find_method`,
//! `g2n_method_slot_miss`, `g2n_iface_eq`, `g2n_panic_type_assert`).
//!
//! Descriptors are static and immutable (generated code emits them once per
//! type), so they are handed around as `&'static TypeDesc`.

use crate::ffi::{bytes, guard};
use g2n_abi::{FIRST_DESC_ADDRESS, FieldDesc, GoAny, GoString, Kind, MethodCacheEntry, MethodDesc, TypeDesc, TypeTag};
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::Mutex;
use std::sync::atomic::{AtomicPtr, Ordering};

pub type Desc = &'static TypeDesc;

/// The descriptor a tag names, if it is not a basic [`TypeTag`].
pub fn desc_of_tag(tag: u64) -> Option<Desc> {
    if tag >= FIRST_DESC_ADDRESS {
        // SAFETY: by the ABI, such a tag is the address of a static descriptor.
        Some(unsafe { &*(tag as *const TypeDesc) })
    } else {
        None
    }
}

pub fn kind(d: Desc) -> Kind {
    match Kind::from_u32(d.kind) {
        Some(k) => k,
        None => crate::flow::fail_flow(&format!("g2n: internal error: unknown type descriptor kind {}", d.kind), 2),
    }
}

/// `%T`'s spelling of the type.
pub fn name(d: Desc) -> &'static [u8] {
    go_str(d.name)
}

/// The bytes of a static Go string (descriptor names).
pub fn go_str(s: GoString) -> &'static [u8] {
    // SAFETY: descriptor strings are static by the ABI.
    unsafe { bytes(s.ptr, s.len) }
}

/// The descriptor's extension (package path, type name, ...), when codegen
/// emitted one (g2n-abi `TypeExt`).
pub fn ext(d: Desc) -> Option<&'static g2n_abi::TypeExt> {
    // SAFETY: null or a static extension by the ABI.
    unsafe { d.ext.as_ref() }
}

pub fn fields(d: Desc) -> &'static [FieldDesc] {
    if d.fields.is_null() || d.nfields == 0 {
        return &[];
    }
    // SAFETY: a static array of `nfields` fields by the ABI.
    unsafe { std::slice::from_raw_parts(d.fields, d.nfields as usize) }
}

pub fn methods(d: Desc) -> &'static [MethodDesc] {
    if d.methods.is_null() || d.nmethods == 0 {
        return &[];
    }
    // SAFETY: a static array of `nmethods` methods by the ABI.
    unsafe { std::slice::from_raw_parts(d.methods, d.nmethods as usize) }
}

fn must(p: *const TypeDesc, what: &str, d: Desc) -> Desc {
    if p.is_null() {
        crate::flow::fail_flow(
            &format!("g2n: internal error: type descriptor {} has no {what}", String::from_utf8_lossy(name(d))),
            2,
        );
    }
    // SAFETY: non-null descriptor pointers point to static descriptors.
    unsafe { &*p }
}

/// Element type of a pointer, slice, array or map.
pub fn elem(d: Desc) -> Desc {
    must(d.elem, "element type", d)
}

/// Key type of a map.
pub fn key(d: Desc) -> Desc {
    must(d.key, "key type", d)
}

/// The method wrapper for `method` in a method set sorted by name: a name
/// (`String`, for fmt and interface calls, whose static types guarantee the
/// signature) or a whole key with the signature (`String\0func() string`,
/// for a type assertion to an interface): [`g2n_abi::method_key`].
pub fn find_method(d: Desc, method: &[u8]) -> Option<*const c_void> {
    let ms = methods(d);
    let by_name = !method.contains(&0);
    ms.binary_search_by(|m| {
        let key = go_str(m.name);
        if by_name { g2n_abi::method_key_name(key).cmp(method) } else { key.cmp(method) }
    })
    .ok()
    .map(|i| ms[i].func)
}

/// A method `() string` (`Error` or `String`) called with a boxed value's words.
///
/// # Safety
/// `f` must be a wrapper with the signature `extern "C" fn(u64, u64) -> GoString`.
pub unsafe fn call_string_method(f: *const c_void, w0: u64, w1: u64) -> &'static [u8] {
    // SAFETY: guaranteed by the caller.
    let f: unsafe extern "C" fn(u64, u64) -> GoString = unsafe { std::mem::transmute(f) };
    // SAFETY: generated code returns a string valid for the rest of the process.
    let s = unsafe { f(w0, w1) };
    go_str(s)
}

/// Whether Go's `==` is defined on the type (slices, maps and funcs are not,
/// nor structs and arrays holding them; interfaces are, dynamically).
pub fn comparable(d: Desc) -> bool {
    match kind(d) {
        Kind::Slice | Kind::Map | Kind::Func => false,
        Kind::Array => comparable(elem(d)),
        Kind::Struct => fields(d).iter().all(|f| comparable(must(f.ty, "field type", d))),
        _ => true,
    }
}

pub fn field_type(d: Desc, f: &FieldDesc) -> Desc {
    must(f.ty, "field type", d)
}

/// Where the bytes of a boxed value are, in Go's memory layout: structs,
/// arrays and slice headers are behind `word0`; every other kind is stored in
/// the words themselves (little-endian, so the low bytes of `word0` hold a
/// sized integer, a float32 or a bool).
pub fn any_value_ptr(a: &GoAny, d: Desc) -> *const u8 {
    match kind(d) {
        Kind::Struct | Kind::Array | Kind::Slice => a.word0 as *const u8,
        _ => (&a.word0 as *const u64).cast(),
    }
}

/// # Safety
/// `p` must point to `n` readable bytes.
pub unsafe fn read_uint(p: *const u8, n: u64) -> u64 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        match n {
            1 => p.read() as u64,
            2 => p.cast::<u16>().read_unaligned() as u64,
            4 => p.cast::<u32>().read_unaligned() as u64,
            _ => p.cast::<u64>().read_unaligned(),
        }
    }
}

/// Size in bytes and signedness of an integer kind (from
/// [`Kind::int_info`]'s bits).
pub fn int_kind(k: Kind) -> Option<(u64, bool)> {
    k.int_info().map(|(bits, signed)| (u64::from(bits / 8), signed))
}

/// An integer in memory, sign- or zero-extended to 64 bits.
///
/// # Safety
/// `p` must point to a value of integer kind `k`.
pub unsafe fn read_int(p: *const u8, k: Kind) -> u64 {
    let (size, signed) = int_kind(k).unwrap_or((8, false));
    // SAFETY: guaranteed by the caller.
    let raw = unsafe { read_uint(p, size) };
    if signed && size < 8 {
        let shift = 64 - 8 * size;
        (((raw << shift) as i64) >> shift) as u64
    } else {
        raw
    }
}

/// # Safety
/// `p` must point to a Go string header whose bytes are valid.
pub unsafe fn read_string<'a>(p: *const u8) -> &'a [u8] {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let s = p.cast::<GoString>().read_unaligned();
        bytes(s.ptr, s.len)
    }
}

/// A complex64 or complex128 in memory, as (real, imaginary) `f64`s (which
/// hold float32 parts exactly).
///
/// # Safety
/// `p` must point to a value of complex kind `k`.
pub unsafe fn read_complex(p: *const u8, k: Kind) -> (f64, f64) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if k == Kind::Complex64 {
            (f32::from_bits(read_uint(p, 4) as u32) as f64, f32::from_bits(read_uint(p.add(4), 4) as u32) as f64)
        } else {
            (f64::from_bits(read_uint(p, 8)), f64::from_bits(read_uint(p.add(8), 8)))
        }
    }
}

/// A boxed complex value of kind `k` (see [`Kind::Complex64`]).
pub fn any_complex(a: &GoAny, k: Kind) -> (f64, f64) {
    if k == Kind::Complex64 {
        (f32::from_bits(a.word0 as u32) as f64, f32::from_bits((a.word0 >> 32) as u32) as f64)
    } else {
        (f64::from_bits(a.word0), f64::from_bits(a.word1))
    }
}

/// A slice header in memory.
#[derive(Clone, Copy, Debug)]
pub struct SliceHeader {
    pub ptr: *const u8,
    pub len: i64,
    pub cap: i64,
}

/// # Safety
/// `p` must point to a 24-byte slice header.
pub unsafe fn read_slice(p: *const u8) -> SliceHeader {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let w = p.cast::<[u64; 3]>().read_unaligned();
        SliceHeader { ptr: w[0] as *const u8, len: w[1] as i64, cap: w[2] as i64 }
    }
}

/// # Safety
/// `p` must point to an interface value (24 bytes).
pub unsafe fn read_any(p: *const u8) -> GoAny {
    // SAFETY: guaranteed by the caller.
    unsafe { p.cast::<GoAny>().read_unaligned() }
}

/// The payload words that box the value at `p` in an interface (the reverse
/// of [`any_value_ptr`]). Structs, arrays and slice headers are copied to
/// fresh memory, as boxing does. Not for interface kinds.
///
/// # Safety
/// `p` must point to a value of type `d`.
pub unsafe fn box_words(d: Desc, p: *const u8) -> (u64, u64) {
    let k = kind(d);
    // SAFETY: guaranteed by the caller.
    unsafe {
        match k {
            Kind::Struct | Kind::Array | Kind::Slice => {
                let size = if k == Kind::Slice { 24 } else { d.size };
                let copy = crate::memory::g2n_alloc(size as i64);
                std::ptr::copy_nonoverlapping(p, copy, size as usize);
                (copy as u64, 0)
            }
            Kind::String => {
                let w = p.cast::<[u64; 2]>().read_unaligned();
                (w[0], w[1])
            }
            Kind::Bool => (p.read() as u64, 0),
            Kind::Float32 => (read_uint(p, 4), 0),
            Kind::Complex128 => (read_uint(p, 8), read_uint(p.add(8), 8)),
            Kind::Float64 | Kind::Complex64 | Kind::Pointer | Kind::Map | Kind::Func | Kind::Chan => (read_uint(p, 8), 0),
            Kind::Interface => {
                let a = read_any(p);
                (a.word0, a.word1)
            }
            _ => (read_int(p, k), 0),
        }
    }
}

/// Why `==` or hashing failed: the uncomparable dynamic type's name.
pub struct Uncomparable(pub &'static [u8]);

/// Go's `==` on two values of type `d` in memory.
///
/// # Safety
/// `a` and `b` must point to values of type `d`.
pub unsafe fn mem_eq(d: Desc, a: *const u8, b: *const u8) -> Result<bool, Uncomparable> {
    let k = kind(d);
    // SAFETY: guaranteed by the caller; each step reads within the values.
    unsafe {
        Ok(match k {
            Kind::Bool => (a.read() != 0) == (b.read() != 0),
            Kind::Float32 => f32::from_bits(read_uint(a, 4) as u32) == f32::from_bits(read_uint(b, 4) as u32),
            Kind::Float64 => f64::from_bits(read_uint(a, 8)) == f64::from_bits(read_uint(b, 8)),
            Kind::Complex64 | Kind::Complex128 => read_complex(a, k) == read_complex(b, k),
            Kind::String => read_string(a) == read_string(b),
            Kind::Pointer | Kind::Chan => read_uint(a, 8) == read_uint(b, 8),
            Kind::Slice | Kind::Map | Kind::Func => return Err(Uncomparable(name(d))),
            Kind::Interface => return any_eq(&read_any(a), &read_any(b)),
            Kind::Array => {
                let e = elem(d);
                for i in 0..d.len {
                    let off = (i * e.size) as usize;
                    if !mem_eq(e, a.add(off), b.add(off))? {
                        return Ok(false);
                    }
                }
                true
            }
            Kind::Struct => {
                for f in fields(d) {
                    if go_str(f.name) == b"_" {
                        continue;
                    }
                    let off = f.offset as usize;
                    if !mem_eq(field_type(d, f), a.add(off), b.add(off))? {
                        return Ok(false);
                    }
                }
                true
            }
            _ => read_int(a, k) == read_int(b, k),
        })
    }
}

/// Go's `==` on two interface values: same dynamic type and equal values;
/// an uncomparable dynamic type is an error (Go panics).
///
/// # Safety
/// Both values must follow the ABI.
pub unsafe fn any_eq(a: &GoAny, b: &GoAny) -> Result<bool, Uncomparable> {
    if a.tag != b.tag {
        return Ok(false);
    }
    match desc_of_tag(a.tag) {
        None => Ok(match TypeTag::from_u64(a.tag) {
            Some(TypeTag::Nil) => true,
            // SAFETY: string payloads are valid by the ABI.
            Some(TypeTag::String) => unsafe { bytes(a.word0 as *const u8, a.word1 as i64) == bytes(b.word0 as *const u8, b.word1 as i64) },
            Some(TypeTag::Float64) => f64::from_bits(a.word0) == f64::from_bits(b.word0),
            Some(TypeTag::Float32) => f32::from_bits(a.word0 as u32) == f32::from_bits(b.word0 as u32),
            Some(TypeTag::Complex64) => any_complex(a, Kind::Complex64) == any_complex(b, Kind::Complex64),
            Some(TypeTag::Complex128) => any_complex(a, Kind::Complex128) == any_complex(b, Kind::Complex128),
            _ => a.word0 == b.word0,
        }),
        Some(d) => {
            if !comparable(d) {
                return Err(Uncomparable(name(d)));
            }
            // SAFETY: the payloads follow the ABI for `d`.
            unsafe { mem_eq(d, any_value_ptr(a, d), any_value_ptr(b, d)) }
        }
    }
}

/// FNV-1a, fed value by value.
pub struct Hasher(pub u64);

impl Hasher {
    pub fn new(seed: u64) -> Hasher {
        Hasher(0xcbf29ce484222325 ^ seed)
    }
    pub fn write(&mut self, b: &[u8]) {
        for &x in b {
            self.0 ^= x as u64;
            self.0 = self.0.wrapping_mul(0x100000001b3);
        }
    }
    pub fn word(&mut self, w: u64) {
        self.write(&w.to_le_bytes());
    }
}

fn hash_float(h: &mut Hasher, f: f64) {
    if f == 0.0 {
        h.word(0); // +0 and -0 are equal keys
    } else if f.is_nan() {
        // NaN is never equal to anything: any hash will do; a random one
        // spreads repeated NaN keys as Go does.
        let mut r = [0u8; 8];
        let _ = getrandom::fill(&mut r);
        h.write(&r);
    } else {
        h.word(f.to_bits());
    }
}

/// Hashes a value of type `d` consistently with [`mem_eq`].
///
/// # Safety
/// `p` must point to a value of type `d`.
pub unsafe fn mem_hash(d: Desc, p: *const u8, h: &mut Hasher) -> Result<(), Uncomparable> {
    let k = kind(d);
    // SAFETY: guaranteed by the caller.
    unsafe {
        match k {
            Kind::Bool => h.word((p.read() != 0) as u64),
            Kind::Float32 => hash_float(h, f32::from_bits(read_uint(p, 4) as u32) as f64),
            Kind::Float64 => hash_float(h, f64::from_bits(read_uint(p, 8))),
            Kind::Complex64 | Kind::Complex128 => {
                let (re, im) = read_complex(p, k);
                hash_float(h, re);
                hash_float(h, im);
            }
            Kind::String => {
                let s = read_string(p);
                h.word(s.len() as u64);
                h.write(s);
            }
            Kind::Pointer | Kind::Chan => h.word(read_uint(p, 8)),
            Kind::Slice | Kind::Map | Kind::Func => return Err(Uncomparable(name(d))),
            Kind::Interface => any_hash(&read_any(p), h)?,
            Kind::Array => {
                let e = elem(d);
                for i in 0..d.len {
                    mem_hash(e, p.add((i * e.size) as usize), h)?;
                }
            }
            Kind::Struct => {
                for f in fields(d) {
                    if go_str(f.name) != b"_" {
                        mem_hash(field_type(d, f), p.add(f.offset as usize), h)?;
                    }
                }
            }
            _ => h.word(read_int(p, k)),
        }
    }
    Ok(())
}

/// Hashes an interface value consistently with [`any_eq`].
///
/// # Safety
/// The value must follow the ABI.
pub unsafe fn any_hash(a: &GoAny, h: &mut Hasher) -> Result<(), Uncomparable> {
    h.word(a.tag);
    match desc_of_tag(a.tag) {
        None => match TypeTag::from_u64(a.tag) {
            Some(TypeTag::Nil) => {}
            Some(TypeTag::String) => {
                // SAFETY: string payloads are valid by the ABI.
                let s = unsafe { bytes(a.word0 as *const u8, a.word1 as i64) };
                h.word(s.len() as u64);
                h.write(s);
            }
            Some(TypeTag::Float64) => hash_float(h, f64::from_bits(a.word0)),
            Some(TypeTag::Float32) => hash_float(h, f32::from_bits(a.word0 as u32) as f64),
            Some(TypeTag::Complex64 | TypeTag::Complex128) => {
                let k = if a.tag == TypeTag::Complex64 as u64 { Kind::Complex64 } else { Kind::Complex128 };
                let (re, im) = any_complex(a, k);
                hash_float(h, re);
                hash_float(h, im);
            }
            _ => h.word(a.word0),
        },
        Some(d) => {
            if !comparable(d) {
                return Err(Uncomparable(name(d)));
            }
            // SAFETY: the payload follows the ABI for `d`.
            unsafe { mem_hash(d, any_value_ptr(a, d), h)? }
        }
    }
    Ok(())
}

/// The name of a dynamic type for messages: a basic tag's Go name or the
/// descriptor's name.
pub fn tag_name(tag: u64) -> Vec<u8> {
    match desc_of_tag(tag) {
        Some(d) => name(d).to_vec(),
        None => TypeTag::from_u64(tag).map_or("?", TypeTag::go_name).as_bytes().to_vec(),
    }
}

pub(crate) fn runtime_error(message: &[u8]) -> ! {
    // SAFETY: the message outlives the call, which never returns.
    unsafe { crate::ffi::g2n_panic_runtime_error(message.as_ptr(), message.len() as i64) }
}

rt_export! { FIND_METHOD =>
/// The method wrapper called `name` of a dynamic type, or null (basic tags
/// have no methods). Answered from the process's method table when it can be.
///
/// # Safety
/// `tag` must be a valid tag; `name_ptr` must point to `name_len` bytes.
pub unsafe extern "C" fn g2n_find_method(tag: u64, name_ptr: *const u8, name_len: i64) -> *const c_void {
    // SAFETY: guaranteed by the caller.
    let method = unsafe { bytes(name_ptr, name_len) };
    guard(|| method_entry(tag, method).map_or(std::ptr::null(), |e| e.func))
}
}

rt_export! { METHOD_SLOT_MISS =>
/// An interface call whose site's slot did not hold the receiver's type:
/// the method wrapper (null for a nil interface, which the caller panics on),
/// with the slot pointed at its entry for the next call.
///
/// # Safety
/// `slot` must be a call site's slot ([`g2n_abi::MethodCacheEntry`]);
/// `tag` a valid tag; `name_ptr` must point to `name_len` bytes.
pub unsafe extern "C" fn g2n_method_slot_miss(slot: *mut c_void, tag: u64, name_ptr: *const u8, name_len: i64) -> *const c_void {
    // SAFETY: guaranteed by the caller.
    let method = unsafe { bytes(name_ptr, name_len) };
    // SAFETY: a slot is 8 aligned writable bytes that only these calls
    // write and generated code reads atomically.
    let slot = unsafe { &*slot.cast::<AtomicPtr<MethodCacheEntry>>() };
    guard(|| match method_entry(tag, method) {
        Some(e) if !e.func.is_null() => {
            let e = e as *const MethodCacheEntry as *mut MethodCacheEntry;
            // A megamorphic site rewrites its slot on every miss: skip the
            // store (and the cache line's trip between cores) when another
            // thread already made it.
            if slot.load(Ordering::Relaxed) != e {
                // Release: the entry's fields are visible to whoever loads it.
                slot.store(e, Ordering::Release);
            }
            // SAFETY: entries are never freed.
            unsafe { (*e).func }
        }
        _ => std::ptr::null(),
    })
}
}

/// The process's table of resolved methods: a direct-mapped cache of
/// entries by (tag, name address), in front of [`find_method`]'s binary
/// search by name, so that a call site that sees many types (a megamorphic
/// site misses its slot every time) and a type assertion to an interface
/// cost a hash and a comparison. A collision replaces the bucket's entry;
/// entries themselves are interned in [`METHOD_ENTRIES`] and never freed, so
/// one read from a bucket (or a slot) stays valid for ever.
const METHOD_TABLE_BUCKETS: usize = 4096;
static METHOD_TABLE: [AtomicPtr<MethodCacheEntry>; METHOD_TABLE_BUCKETS] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; METHOD_TABLE_BUCKETS];

/// Every entry made (their addresses), by type: one per (type, method) the
/// process ever looked up, which bounds the memory the caches hold. A type's
/// few entries are told apart by name without allocating a key.
static METHOD_ENTRIES: Mutex<Option<HashMap<u64, Vec<usize>>>> = Mutex::new(None);

fn method_bucket(tag: u64, name: &[u8]) -> usize {
    // Names are static strings of generated code, so their address tells
    // them apart cheaply; a name elsewhere only costs a bucket's miss.
    let h = (tag ^ (name.as_ptr() as u64).rotate_left(29) ^ name.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 52) as usize % METHOD_TABLE_BUCKETS
}

/// The entry for method `name` (a name or a whole key, as [`find_method`]
/// takes) of the type `tag` names; none for basic tags (no methods).
fn method_entry(tag: u64, name: &[u8]) -> Option<&'static MethodCacheEntry> {
    let d = desc_of_tag(tag)?;
    let bucket = &METHOD_TABLE[method_bucket(tag, name)];
    // SAFETY: buckets hold null or entries, which are never freed.
    if let Some(e) = unsafe { bucket.load(Ordering::Acquire).as_ref() }
        && e.tag == tag
        && go_str(e.name) == name
    {
        return Some(e);
    }
    let mut entries = METHOD_ENTRIES.lock().unwrap_or_else(|e| e.into_inner());
    let of_type = entries.get_or_insert_with(HashMap::new).entry(tag).or_default();
    // SAFETY: the map holds addresses of leaked entries.
    let made = of_type.iter().map(|e| unsafe { &*(*e as *const MethodCacheEntry) }).find(|e| go_str(e.name) == name);
    let e: &'static MethodCacheEntry = match made {
        Some(e) => e,
        None => {
            let func = find_method(d, name).unwrap_or(std::ptr::null());
            let owned: &'static [u8] = Box::leak(name.to_vec().into_boxed_slice());
            let name = GoString { ptr: owned.as_ptr(), len: owned.len() as i64 };
            let e = Box::leak(Box::new(MethodCacheEntry { tag, func, name }));
            of_type.push(e as *const MethodCacheEntry as usize);
            e
        }
    };
    bucket.store(e as *const MethodCacheEntry as *mut MethodCacheEntry, Ordering::Release);
    Some(e)
}

rt_export! { IFACE_EQ =>
/// Go's `==` on interface values (1 or 0); panics as Go does when the dynamic
/// type is not comparable.
///
/// # Safety
/// Both pointers must point to valid interface values.
pub unsafe extern "C" fn g2n_iface_eq(a: *const GoAny, b: *const GoAny) -> u8 {
    let nil = GoAny { tag: 0, word0: 0, word1: 0 };
    // SAFETY: guaranteed by the caller.
    let (a, b) = unsafe { (if a.is_null() { nil } else { *a }, if b.is_null() { nil } else { *b }) };
    // SAFETY: the values follow the ABI.
    match guard(|| unsafe { any_eq(&a, &b) }) {
        Ok(eq) => eq as u8,
        Err(Uncomparable(t)) => {
            let mut msg = b"comparing uncomparable type ".to_vec();
            msg.extend_from_slice(t);
            runtime_error(&msg)
        }
    }
}
}

/// Go's `*runtime.TypeAssertionError` message for a failed `x.(T)`.
///
/// `target_tag` is a basic tag or a descriptor; a descriptor of kind
/// `Interface` lists the interface's methods by name in `methods` (their
/// `func` unused, may be null), so that the first missing one can be named:
/// `main.T is not main.Shape: missing method Area`. `iface_name` is the
/// static type of `x` (`interface {}`, `main.Shape`).
pub fn type_assert_message(value: &GoAny, target_tag: u64, iface_name: &[u8]) -> Vec<u8> {
    let target = desc_of_tag(target_tag);
    let target_is_iface = target.is_some_and(|d| kind(d) == Kind::Interface);
    let mut msg = b"interface conversion: ".to_vec();
    if value.tag == TypeTag::Nil as u64 {
        // Go names the static interface only when asserting to a concrete type.
        msg.extend_from_slice(if target_is_iface { b"interface" } else { iface_name });
        msg.extend_from_slice(b" is nil, not ");
        msg.extend_from_slice(&tag_name(target_tag));
        return msg;
    }
    if let Some(t) = target.filter(|_| target_is_iface) {
        let have = desc_of_tag(value.tag);
        let missing = methods(t).iter().map(|m| go_str(m.name)).find(|m| have.and_then(|d| find_method(d, m)).is_none());
        if let Some(m) = missing {
            msg.extend_from_slice(&tag_name(value.tag));
            msg.extend_from_slice(b" is not ");
            msg.extend_from_slice(name(t));
            msg.extend_from_slice(b": missing method ");
            msg.extend_from_slice(g2n_abi::method_key_name(m));
            return msg;
        }
    }
    let (have, want) = (tag_name(value.tag), tag_name(target_tag));
    msg.extend_from_slice(iface_name);
    msg.extend_from_slice(b" is ");
    msg.extend_from_slice(&have);
    msg.extend_from_slice(b", not ");
    msg.extend_from_slice(&want);
    // Two types that print alike (a local `type T` of two functions, or of
    // a function and the package): Go says why they differ.
    if have == want {
        let pkg = |tag| desc_of_tag(tag).and_then(ext).map(|e| go_str(e.pkg_path));
        msg.extend_from_slice(if pkg(value.tag) != pkg(target_tag) { b" (types from different packages)" } else { b" (types from different scopes)" });
    }
    msg
}

rt_export! { PANIC_TYPE_ASSERT =>
/// A failed type assertion: `panic: interface conversion: ...`, exit code 2.
///
/// # Safety
/// `value` must point to a valid interface value (null means nil);
/// `iface_name_ptr` to `iface_name_len` bytes.
pub unsafe extern "C" fn g2n_panic_type_assert(value: *const GoAny, target_tag: u64, iface_name_ptr: *const u8, iface_name_len: i64) -> ! {
    let nil = GoAny { tag: 0, word0: 0, word1: 0 };
    // SAFETY: guaranteed by the caller.
    let (value, iface) = unsafe { (if value.is_null() { nil } else { *value }, bytes(iface_name_ptr, iface_name_len)) };
    let msg = guard(|| type_assert_message(&value, target_tag, iface));
    crate::ffi::panic_with_message(&msg)
}
}
