//! Go maps: the runtime entry points named in `g2n_abi::symbols` (`MAP_*`).
//!
//! A map value is a pointer to a runtime-owned [`GoMap`] (never freed: there
//! is no GC yet), or null for a nil map. Keys and values are stored in Go's
//! memory layout, each entry in its own allocation that never moves, so a
//! slot pointer stays valid for the rest of the process (Go promises less).
//! Keys are hashed and compared by value through their descriptor (see
//! `types.rs`): strings by content, floats with +0 == -0 and NaN never equal,
//! structs and arrays field by field, interfaces by dynamic type and value.
//!
//! Iteration visits entries in insertion order (Go randomizes; programs may
//! not depend on the order, so insertion order is a valid choice). Entries
//! inserted during an iteration are visited by it, deleted ones are not.

use crate::ffi::guard;
use crate::types::{self, Desc, Hasher, Uncomparable, mem_eq, mem_hash};
use g2n_abi::{MapIter, TypeDesc};
use std::collections::HashMap;
use std::ffi::c_void;

pub struct GoMap {
    pub key: Desc,
    pub val: Desc,
    /// Offset of the value in an entry (the key's size rounded up to 8).
    val_off: usize,
    /// Entry storage in insertion order; `None` once deleted.
    entries: Vec<Option<Box<[u64]>>>,
    /// Key hash to indices in `entries`.
    index: HashMap<u64, Vec<usize>>,
    len: usize,
    seed: u64,
}

fn runtime_error(msg: &str) -> ! {
    types::runtime_error(msg.as_bytes())
}

fn unhashable(t: Uncomparable) -> ! {
    let mut msg = b"hash of unhashable type ".to_vec();
    msg.extend_from_slice(t.0);
    types::runtime_error(&msg)
}

impl GoMap {
    pub fn new(key: Desc, val: Desc, hint: usize) -> GoMap {
        let mut seed = [0u8; 8];
        let _ = getrandom::fill(&mut seed);
        GoMap {
            key,
            val,
            val_off: (key.size as usize).div_ceil(8) * 8,
            entries: Vec::with_capacity(hint.min(1 << 16)),
            index: HashMap::with_capacity(hint.min(1 << 16)),
            len: 0,
            seed: u64::from_le_bytes(seed),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// # Safety
    /// `key` must point to a value of the key type.
    unsafe fn hash(&self, key: *const u8) -> u64 {
        let mut h = Hasher::new(self.seed);
        // SAFETY: guaranteed by the caller.
        match unsafe { mem_hash(self.key, key, &mut h) } {
            Ok(()) => h.0,
            Err(t) => unhashable(t),
        }
    }

    fn key_ptr(&self, i: usize) -> Option<*mut u8> {
        self.entries[i].as_ref().map(|e| e.as_ptr() as *mut u8)
    }

    /// # Safety
    /// `key` must point to a value of the key type.
    unsafe fn find(&self, hash: u64, key: *const u8) -> Option<usize> {
        let candidates = self.index.get(&hash)?;
        candidates.iter().copied().find(|&i| {
            let Some(k) = self.key_ptr(i) else { return false };
            // SAFETY: both point to keys of the key type.
            match unsafe { mem_eq(self.key, k, key) } {
                Ok(eq) => eq,
                Err(t) => unhashable(t),
            }
        })
    }

    /// The value slot for `key`, or None.
    ///
    /// # Safety
    /// `key` must point to a value of the key type.
    pub unsafe fn lookup(&self, key: *const u8) -> Option<*mut u8> {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let h = self.hash(key);
            let i = self.find(h, key)?;
            self.key_ptr(i).map(|k| k.add(self.val_off))
        }
    }

    /// The value slot for `key`, inserting a zero value if absent.
    ///
    /// # Safety
    /// `key` must point to a value of the key type.
    pub unsafe fn assign(&mut self, key: *const u8) -> *mut u8 {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let h = self.hash(key);
            if let Some(i) = self.find(h, key) {
                return self.key_ptr(i).unwrap_or(std::ptr::null_mut()).add(self.val_off);
            }
            let words = (self.val_off + self.val.size as usize).div_ceil(8).max(1);
            let mut entry = vec![0u64; words].into_boxed_slice();
            let p = entry.as_mut_ptr() as *mut u8;
            std::ptr::copy_nonoverlapping(key, p, self.key.size as usize);
            self.entries.push(Some(entry));
            self.index.entry(h).or_default().push(self.entries.len() - 1);
            self.len += 1;
            p.add(self.val_off)
        }
    }

    /// # Safety
    /// `key` must point to a value of the key type.
    pub unsafe fn delete(&mut self, key: *const u8) {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let h = self.hash(key);
            if let Some(i) = self.find(h, key) {
                // The entry's memory is leaked, not freed: a slot pointer
                // handed out earlier may still be read.
                if let Some(e) = self.entries[i].take() {
                    Box::leak(e);
                }
                if let Some(list) = self.index.get_mut(&h) {
                    list.retain(|&j| j != i);
                    if list.is_empty() {
                        self.index.remove(&h);
                    }
                }
                self.len -= 1;
            }
        }
    }

    /// The entry at or after position `*pos` (advancing `*pos` past it):
    /// key and value pointers.
    pub fn next_entry(&self, pos: &mut usize) -> Option<(*mut u8, *mut u8)> {
        while *pos < self.entries.len() {
            let i = *pos;
            *pos += 1;
            if let Some(k) = self.key_ptr(i) {
                // SAFETY: the value lies within the entry.
                return Some((k, unsafe { k.add(self.val_off) }));
            }
        }
        None
    }

    /// Every live entry, in insertion order.
    pub fn entries(&self) -> Vec<(*const u8, *const u8)> {
        let mut pos = 0;
        let mut out = Vec::with_capacity(self.len);
        while let Some((k, v)) = self.next_entry(&mut pos) {
            out.push((k as *const u8, v as *const u8));
        }
        out
    }
}

/// The map behind a map value (None for nil).
///
/// # Safety
/// `m` must be null or come from [`g2n_map_new`].
pub unsafe fn map_ref<'a>(m: *const c_void) -> Option<&'a mut GoMap> {
    // SAFETY: guaranteed by the caller.
    unsafe { m.cast_mut().cast::<GoMap>().as_mut() }
}

fn desc_arg(d: *const TypeDesc, what: &str) -> Desc {
    if d.is_null() {
        crate::flow::fail_flow(&format!("g2n: internal error: map {what} descriptor is null"), 2);
    }
    // SAFETY: non-null descriptors are static by the ABI.
    unsafe { &*d }
}

/// `make(map[K]V, hint)`.
///
/// # Safety
/// `key` and `val` must be static descriptors.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_map_new(key: *const TypeDesc, val: *const TypeDesc, hint: i64) -> *mut c_void {
    if hint < 0 {
        runtime_error("makemap: size out of range");
    }
    guard(|| {
        let m = GoMap::new(desc_arg(key, "key"), desc_arg(val, "value"), hint as usize);
        Box::into_raw(Box::new(m)).cast()
    })
}

/// `m[k]` for reading: the value slot, or null when absent (nil map allowed).
///
/// # Safety
/// `m` must be null or a map; `key` must point to a key.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_map_lookup(m: *mut c_void, key: *const u8) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    guard(|| unsafe {
        match map_ref(m) {
            Some(map) => map.lookup(key).unwrap_or(std::ptr::null_mut()),
            None => std::ptr::null_mut(),
        }
    })
}

/// `m[k] = ...`: the value slot to write, inserting a zero value if absent.
///
/// # Safety
/// As [`g2n_map_lookup`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_map_assign(m: *mut c_void, key: *const u8) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    match unsafe { map_ref(m) } {
        // SAFETY: guaranteed by the caller.
        Some(map) => guard(|| unsafe { map.assign(key) }),
        None => crate::ffi::panic_with_message(b"assignment to entry in nil map"),
    }
}

/// `delete(m, k)` (a nil map is a no-op).
///
/// # Safety
/// As [`g2n_map_lookup`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_map_delete(m: *mut c_void, key: *const u8) {
    // SAFETY: guaranteed by the caller.
    guard(|| unsafe {
        if let Some(map) = map_ref(m) {
            map.delete(key)
        }
    })
}

/// `len(m)` (0 for nil).
///
/// # Safety
/// `m` must be null or a map.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_map_len(m: *mut c_void) -> i64 {
    // SAFETY: guaranteed by the caller.
    unsafe { map_ref(m) }.map_or(0, |map| map.len() as i64)
}

/// Starts a `for k, v := range m`.
///
/// # Safety
/// `m` must be null or a map; `it` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_map_iter_init(m: *mut c_void, it: *mut MapIter) {
    if it.is_null() {
        return;
    }
    // SAFETY: guaranteed by the caller.
    unsafe { it.write(MapIter { map: m, pos: 0, key: std::ptr::null_mut(), val: std::ptr::null_mut() }) }
}

/// The next entry's key slot (also stored in `it.key`, its value slot in
/// `it.val`), or null at the end.
///
/// # Safety
/// `it` must have been set up by [`g2n_map_iter_init`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_map_iter_next(it: *mut MapIter) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    let Some(it) = (unsafe { it.as_mut() }) else { return std::ptr::null_mut() };
    // SAFETY: the iterator holds a map value.
    let Some(map) = (unsafe { map_ref(it.map) }) else { return std::ptr::null_mut() };
    let mut pos = it.pos as usize;
    let (k, v) = map.next_entry(&mut pos).unwrap_or((std::ptr::null_mut(), std::ptr::null_mut()));
    it.pos = pos as u64;
    it.key = k;
    it.val = v;
    k
}
