//! g2n's `internal/reflectlite` (stdlib/internal/reflectlite): what Go's
//! errors.Is and errors.As ask of a type, answered from the tag word of an
//! interface value, a basic [`TypeTag`] or the address of a static
//! [`g2n_abi::TypeDesc`].

#![allow(non_snake_case)]

use crate::types::{any_value_ptr, comparable, desc_of_tag, elem, find_method, go_str, kind, methods, tag_name};
use g2n_abi::{GoAny, GoString, Kind, TypeTag};

/// Go's reflect.Kind numbering.
fn reflect_kind(tag: u64) -> i64 {
    let kind = match desc_of_tag(tag) {
        Some(d) => kind(d),
        None => match TypeTag::from_u64(tag) {
            Some(TypeTag::Nil) | None => return 0,
            Some(TypeTag::Bool) => Kind::Bool,
            Some(TypeTag::Int) => Kind::Int,
            Some(TypeTag::Int8) => Kind::Int8,
            Some(TypeTag::Int16) => Kind::Int16,
            Some(TypeTag::Int32) => Kind::Int32,
            Some(TypeTag::Int64) => Kind::Int64,
            Some(TypeTag::Uint) => Kind::Uint,
            Some(TypeTag::Uint8) => Kind::Uint8,
            Some(TypeTag::Uint16) => Kind::Uint16,
            Some(TypeTag::Uint32) => Kind::Uint32,
            Some(TypeTag::Uint64) => Kind::Uint64,
            Some(TypeTag::Uintptr) => Kind::Uintptr,
            Some(TypeTag::Float32) => Kind::Float32,
            Some(TypeTag::Float64) => Kind::Float64,
            Some(TypeTag::Complex64) => Kind::Complex64,
            Some(TypeTag::Complex128) => Kind::Complex128,
            Some(TypeTag::String) => Kind::String,
        },
    };
    match kind {
        Kind::Bool => 1,
        Kind::Int => 2,
        Kind::Int8 => 3,
        Kind::Int16 => 4,
        Kind::Int32 => 5,
        Kind::Int64 => 6,
        Kind::Uint => 7,
        Kind::Uint8 => 8,
        Kind::Uint16 => 9,
        Kind::Uint32 => 10,
        Kind::Uint64 => 11,
        Kind::Uintptr => 12,
        Kind::Float32 => 13,
        Kind::Float64 => 14,
        Kind::Complex64 => 15,
        Kind::Complex128 => 16,
        Kind::Array => 17,
        Kind::Chan => 18,
        Kind::Func => 19,
        Kind::Interface => 20,
        Kind::Map => 21,
        Kind::Pointer => 22,
        Kind::Slice => 23,
        Kind::String => 24,
        Kind::Struct => 25,
    }
}

rt_export! { stdlib::internal_reflectlite_typeTag =>
/// The dynamic type of an interface value: its tag word.
pub extern "C" fn g2n_std_internal_reflectlite_typeTag(tag: u64, _word0: u64, _word1: u64) -> u64 {
    tag
}
}

rt_export! { stdlib::internal_reflectlite_kindOf =>
/// The reflect.Kind of the type `tag` names.
pub extern "C" fn g2n_std_internal_reflectlite_kindOf(tag: u64) -> i64 {
    reflect_kind(tag)
}
}

rt_export! { stdlib::internal_reflectlite_elemTag =>
/// The element type of a pointer, slice, array, map or channel type; 0 otherwise.
pub extern "C" fn g2n_std_internal_reflectlite_elemTag(tag: u64) -> u64 {
    match desc_of_tag(tag) {
        Some(d) if matches!(kind(d), Kind::Pointer | Kind::Slice | Kind::Array | Kind::Map | Kind::Chan) => {
            let e = elem(d);
            // A basic element type is named by its tag, as interface values name it.
            basic_tag_of(e).unwrap_or(e as *const _ as u64)
        }
        _ => 0,
    }
}
}

/// The basic tag of an unnamed basic type's descriptor (interface values of
/// such a type carry the tag, not the descriptor).
fn basic_tag_of(d: &'static g2n_abi::TypeDesc) -> Option<u64> {
    TypeTag::ALL.iter().find(|t| **t != TypeTag::Nil && t.go_name().as_bytes() == go_str(d.name)).map(|t| *t as u64)
}

rt_export! { stdlib::internal_reflectlite_implements =>
/// Whether the type `tag` has every method of the interface type `iface`
/// (by name and signature, as an assertion looks them up).
pub extern "C" fn g2n_std_internal_reflectlite_implements(tag: u64, iface: u64) -> u8 {
    let Some(iface) = desc_of_tag(iface).filter(|d| kind(d) == Kind::Interface) else { return 0 };
    let wanted = methods(iface);
    match desc_of_tag(tag) {
        Some(d) => wanted.iter().all(|m| find_method(d, go_str(m.name)).is_some()) as u8,
        None => wanted.is_empty() as u8,
    }
}
}

rt_export! { stdlib::internal_reflectlite_comparableTag =>
/// Whether Go's `==` is defined on the type.
pub extern "C" fn g2n_std_internal_reflectlite_comparableTag(tag: u64) -> u8 {
    desc_of_tag(tag).is_none_or(comparable) as u8
}
}

rt_export! { stdlib::internal_reflectlite_typeName =>
/// The type's spelling, as `%T` prints it.
pub extern "C" fn g2n_std_internal_reflectlite_typeName(tag: u64) -> GoString {
    crate::ffi::leak_string(tag_name(tag))
}
}

rt_export! { stdlib::internal_reflectlite_isNil =>
/// `Value.IsNil`: whether the pointer, map, channel or function is nil;
/// Go's panic for other kinds.
pub extern "C" fn g2n_std_internal_reflectlite_isNil(tag: u64, word0: u64, _word1: u64) -> u8 {
    match desc_of_tag(tag).map(kind) {
        Some(Kind::Pointer | Kind::Map | Kind::Chan | Kind::Func) => (word0 == 0) as u8,
        None if tag == TypeTag::Nil as u64 => 1,
        _ => {
            let message = format!("reflect: call of reflect.Value.IsNil on {} Value", String::from_utf8_lossy(&tag_name(tag)));
            // SAFETY: a message of `len` bytes; Go panics with a plain value here.
            unsafe { crate::ffi::g2n_panic_message(message.as_ptr(), message.len() as i64) }
        }
    }
}
}

rt_export! { stdlib::internal_reflectlite_pointerWord =>
/// The address a pointer held in an interface value points to.
pub extern "C" fn g2n_std_internal_reflectlite_pointerWord(_tag: u64, word0: u64, _word1: u64) -> u64 {
    word0
}
}

rt_export! { stdlib::internal_reflectlite_store =>
/// `Value.Set` on the variable of type `tag` at `addr` (the caller checked
/// assignability): an interface variable takes the interface value as it
/// is, any other the dynamic value's bytes.
///
/// # Safety
/// `addr` points to a writable variable of the type `tag` names.
pub unsafe extern "C" fn g2n_std_internal_reflectlite_store(addr: u64, tag: u64, x_tag: u64, x_word0: u64, x_word1: u64) {
    let value = GoAny { tag: x_tag, word0: x_word0, word1: x_word1 };
    let destination = addr as *mut u8;
    match desc_of_tag(tag) {
        Some(d) if kind(d) == Kind::Interface => {
            // SAFETY: an interface variable is three words.
            unsafe { destination.cast::<GoAny>().write_unaligned(value) };
        }
        Some(d) => {
            // SAFETY: a variable of the value's dynamic type, whose bytes
            // `any_value_ptr` locates in Go's layout.
            unsafe { std::ptr::copy(any_value_ptr(&value, d), destination, d.size as usize) };
        }
        None => {
            // A basic type: its value is in the words, little-endian.
            let size = TypeTag::from_u64(tag).map_or(8, basic_size);
            let words = [x_word0, x_word1];
            // SAFETY: `size` bytes of the variable, from the two words.
            unsafe { std::ptr::copy(words.as_ptr().cast::<u8>(), destination, size) };
        }
    }
}
}

/// The size of a basic type's value.
fn basic_size(tag: TypeTag) -> usize {
    match tag {
        TypeTag::Nil => 0,
        TypeTag::Bool | TypeTag::Int8 | TypeTag::Uint8 => 1,
        TypeTag::Int16 | TypeTag::Uint16 => 2,
        TypeTag::Int32 | TypeTag::Uint32 | TypeTag::Float32 => 4,
        TypeTag::Complex128 | TypeTag::String => 16,
        _ => 8,
    }
}

// ---- reflect (stdlib/reflect): what its Go code cannot do itself ----

rt_export! { stdlib::reflect_mapNew =>
/// `reflect.MakeMapWithSize`: a map with those key and element descriptors.
///
/// # Safety
/// `key` and `elem` are descriptors that outlive the map (the program's, or
/// ones reflect keeps alive).
pub unsafe extern "C" fn g2n_std_reflect_mapNew(key: *const g2n_abi::TypeDesc, elem: *const g2n_abi::TypeDesc, hint: i64) -> *mut std::ffi::c_void {
    // SAFETY: guaranteed by the caller.
    unsafe { crate::maps::g2n_map_new(key, elem, hint) }
}
}

rt_export! { stdlib::reflect_mapLookup =>
/// `Value.MapIndex`: the element slot of the key at `key`, or null.
///
/// # Safety
/// As `g2n_map_lookup`.
pub unsafe extern "C" fn g2n_std_reflect_mapLookup(m: *mut std::ffi::c_void, key: *const u8) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    unsafe { crate::maps::g2n_map_lookup(m, key) }
}
}

rt_export! { stdlib::reflect_mapAssign =>
/// `Value.SetMapIndex`: the element slot to write for the key at `key`.
///
/// # Safety
/// As `g2n_map_assign`.
pub unsafe extern "C" fn g2n_std_reflect_mapAssign(m: *mut std::ffi::c_void, key: *const u8) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    unsafe { crate::maps::g2n_map_assign(m, key) }
}
}

rt_export! { stdlib::reflect_mapDelete =>
/// `Value.SetMapIndex` with the zero Value: deletes the key at `key`.
///
/// # Safety
/// As `g2n_map_delete`.
pub unsafe extern "C" fn g2n_std_reflect_mapDelete(m: *mut std::ffi::c_void, key: *const u8) {
    // SAFETY: guaranteed by the caller.
    unsafe { crate::maps::g2n_map_delete(m, key) }
}
}

rt_export! { stdlib::reflect_mapLen =>
/// `Value.Len` of a map.
///
/// # Safety
/// As `g2n_map_len`.
pub unsafe extern "C" fn g2n_std_reflect_mapLen(m: *mut std::ffi::c_void) -> i64 {
    // SAFETY: guaranteed by the caller.
    unsafe { crate::maps::g2n_map_len(m) }
}
}

rt_export! { stdlib::reflect_mapIterNext =>
/// The next entry of a map iteration (`Value.MapKeys`, `MapIter.Next`):
/// its key slot, null at the end; `it` starts zeroed but for its map.
///
/// # Safety
/// `it` points to a `g2n_abi::MapIter`.
pub unsafe extern "C" fn g2n_std_reflect_mapIterNext(it: *mut g2n_abi::MapIter) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    unsafe { crate::maps::g2n_map_iter_next(it) }
}
}

rt_export! { stdlib::reflect_chanLen =>
/// `Value.Len` of a channel.
pub extern "C" fn g2n_std_reflect_chanLen(c: *mut std::ffi::c_void) -> i64 {
    crate::chan::g2n_chan_len(c)
}
}

rt_export! { stdlib::reflect_chanCap =>
/// `Value.Cap` of a channel.
pub extern "C" fn g2n_std_reflect_chanCap(c: *mut std::ffi::c_void) -> i64 {
    crate::chan::g2n_chan_cap(c)
}
}

rt_export! { stdlib::reflect_programTypeCount =>
/// How many descriptors the program table lists.
pub extern "C" fn g2n_std_reflect_programTypeCount() -> i64 {
    crate::graph::program_descs().len() as i64
}
}

rt_export! { stdlib::reflect_programTypeAt =>
/// The `i`-th descriptor of the program table (null out of range).
pub extern "C" fn g2n_std_reflect_programTypeAt(i: i64) -> *const g2n_abi::TypeDesc {
    crate::graph::program_descs().get(i as usize).map_or(std::ptr::null(), |d| *d as *const g2n_abi::TypeDesc)
}
}
