//! The runtime side of g2n's `reflect` (stdlib/reflect): what its Go code,
//! which reads type descriptors through unsafe pointers, cannot do itself:
//! the runtime's maps and channels, and the program table.

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
