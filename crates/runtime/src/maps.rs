//! Go maps: the runtime entry points named in `g2n_abi::symbols` (`MAP_*`).
//!
//! A map value is a pointer to a [`GoMap`] in collected memory, or null for a
//! nil map. Keys and values are stored in Go's memory layout, each entry in
//! its own collected allocation that never moves, so a slot pointer stays
//! valid as long as it is reachable (Go promises less). The table of entries
//! is collected memory too, so the collector sees every key and value; only
//! the hash index (integers) lives in Rust memory, freed with the map.
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
    /// Entry storage in insertion order; null once deleted.
    entries: EntryTable,
    /// Key hash to indices in `entries`.
    index: HashMap<u64, Vec<usize>>,
    len: usize,
    seed: u64,
}

/// A growable array of entry pointers in collected memory (scanned), so that
/// the collector sees every entry through the map that holds it.
struct EntryTable {
    ptr: *mut *mut u8,
    len: usize,
    cap: usize,
}

impl EntryTable {
    fn with_capacity(cap: usize) -> EntryTable {
        let ptr = if cap == 0 { std::ptr::null_mut() } else { crate::gc::malloc(cap * 8).cast() };
        EntryTable { ptr, len: 0, cap }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, i: usize) -> *mut u8 {
        assert!(i < self.len);
        // SAFETY: in bounds.
        unsafe { self.ptr.add(i).read() }
    }

    fn clear(&mut self, i: usize) {
        assert!(i < self.len);
        // SAFETY: in bounds.
        unsafe { self.ptr.add(i).write(std::ptr::null_mut()) }
    }

    fn push(&mut self, entry: *mut u8) {
        if self.len == self.cap {
            let cap = (self.cap * 2).max(8);
            let new: *mut *mut u8 = crate::gc::malloc(cap * 8).cast();
            if self.len > 0 {
                // SAFETY: both tables hold at least `len` pointers.
                unsafe { std::ptr::copy_nonoverlapping(self.ptr, new, self.len) };
            }
            // The old table becomes garbage; `entry` stays reachable from
            // the caller's stack meanwhile.
            self.ptr = new;
            self.cap = cap;
        }
        // SAFETY: len < cap.
        unsafe { self.ptr.add(self.len).write(entry) };
        self.len += 1;
    }
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
            entries: EntryTable::with_capacity(hint.min(1 << 16)),
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
        let e = self.entries.get(i);
        (!e.is_null()).then_some(e)
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
            let p = crate::gc::malloc((self.val_off + self.val.size as usize).max(8));
            std::ptr::copy_nonoverlapping(key, p, self.key.size as usize);
            self.entries.push(p);
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
                // The entry is dropped from the table, not freed: a slot
                // pointer handed out earlier may still be read, and the
                // collector frees the entry once no such pointer is left.
                self.entries.clear(i);
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

rt_export! { MAP_NEW =>
/// `make(map[K]V, hint)`.
///
/// # Safety
/// `key` and `val` must be static descriptors.
pub unsafe extern "C" fn g2n_map_new(key: *const TypeDesc, val: *const TypeDesc, hint: i64) -> *mut c_void {
    if hint < 0 {
        runtime_error("makemap: size out of range");
    }
    guard(|| {
        let m = GoMap::new(desc_arg(key, "key"), desc_arg(val, "value"), hint as usize);
        crate::gc::boxed(m).cast()
    })
}
}

rt_export! { MAP_LOOKUP =>
/// `m[k]` for reading: the value slot, or null when absent (nil map allowed).
///
/// # Safety
/// `m` must be null or a map; `key` must point to a key.
pub unsafe extern "C" fn g2n_map_lookup(m: *mut c_void, key: *const u8) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    guard(|| unsafe {
        match map_ref(m) {
            Some(map) => map.lookup(key).unwrap_or(std::ptr::null_mut()),
            None => std::ptr::null_mut(),
        }
    })
}
}

rt_export! { MAP_ASSIGN =>
/// `m[k] = ...`: the value slot to write, inserting a zero value if absent.
///
/// # Safety
/// As [`g2n_map_lookup`].
pub unsafe extern "C" fn g2n_map_assign(m: *mut c_void, key: *const u8) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    match unsafe { map_ref(m) } {
        // SAFETY: guaranteed by the caller.
        Some(map) => guard(|| unsafe { map.assign(key) }),
        None => crate::ffi::panic_with_message(b"assignment to entry in nil map"),
    }
}
}

rt_export! { MAP_DELETE =>
/// `delete(m, k)` (a nil map is a no-op).
///
/// # Safety
/// As [`g2n_map_lookup`].
pub unsafe extern "C" fn g2n_map_delete(m: *mut c_void, key: *const u8) {
    // SAFETY: guaranteed by the caller.
    guard(|| unsafe {
        if let Some(map) = map_ref(m) {
            map.delete(key)
        }
    })
}
}

rt_export! { MAP_LEN =>
/// `len(m)` (0 for nil).
///
/// # Safety
/// `m` must be null or a map.
pub unsafe extern "C" fn g2n_map_len(m: *mut c_void) -> i64 {
    // SAFETY: guaranteed by the caller.
    unsafe { map_ref(m) }.map_or(0, |map| map.len() as i64)
}
}

rt_export! { MAP_KEYS =>
/// The keys of `m` in iteration order, as a new slice (see
/// `g2n_abi::symbols::MAP_KEYS`).
///
/// # Safety
/// `m` must be null or a map; `out` must be writable for three words.
pub unsafe extern "C" fn g2n_map_keys(m: *mut c_void, out: *mut [u64; 3]) {
    // SAFETY: guaranteed by the caller.
    let header = match unsafe { map_ref(m) } {
        Some(map) if !map.is_empty() => {
            let entries = map.entries();
            let size = map.key.size as usize;
            let data = crate::gc::malloc(size * entries.len());
            for (i, (k, _)) in entries.iter().enumerate() {
                // SAFETY: `data` holds `entries.len()` keys; each key slot
                // holds one key of `size` bytes.
                unsafe { std::ptr::copy_nonoverlapping(*k, data.add(i * size), size) };
            }
            [data as u64, entries.len() as u64, entries.len() as u64]
        }
        _ => [0, 0, 0],
    };
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write(header) };
    }
}
}

rt_export! { MAP_VALUES =>
/// The values of a map in the order `g2n_map_keys` gives the keys, as a new
/// slice (empty for nil).
///
/// # Safety
/// `m` must be null or a map; `out` must be writable for three words.
pub unsafe extern "C" fn g2n_map_values(m: *mut c_void, out: *mut [u64; 3]) {
    // SAFETY: guaranteed by the caller.
    let header = match unsafe { map_ref(m) } {
        Some(map) if !map.is_empty() => {
            let entries = map.entries();
            let size = map.val.size as usize;
            let data = crate::gc::malloc((size * entries.len()).max(1));
            for (i, (_, v)) in entries.iter().enumerate() {
                // SAFETY: `data` holds `entries.len()` values; each value
                // slot holds one value of `size` bytes.
                unsafe { std::ptr::copy_nonoverlapping(*v, data.add(i * size), size) };
            }
            [data as u64, entries.len() as u64, entries.len() as u64]
        }
        _ => [0, 0, 0],
    };
    if !out.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { out.write(header) };
    }
}
}

rt_export! { MAP_ITER_INIT =>
/// Starts a `for k, v := range m`.
///
/// # Safety
/// `m` must be null or a map; `it` must be writable.
pub unsafe extern "C" fn g2n_map_iter_init(m: *mut c_void, it: *mut MapIter) {
    if it.is_null() {
        return;
    }
    // SAFETY: guaranteed by the caller.
    unsafe { it.write(MapIter { map: m, pos: 0, key: std::ptr::null_mut(), val: std::ptr::null_mut() }) }
}
}

rt_export! { MAP_ITER_NEXT =>
/// The next entry's key slot (also stored in `it.key`, its value slot in
/// `it.val`), or null at the end.
///
/// # Safety
/// `it` must have been set up by [`g2n_map_iter_init`].
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::value_tests::{V, alloc, any_int, any_str, basic, common_types, put, strukt};
    use g2n_abi::{GoAny, GoString, Kind, TypeTag};

    fn new_map(k: Desc, v: Desc) -> *mut c_void {
        // SAFETY: static descriptors.
        unsafe { g2n_map_new(k, v, 0) }
    }

    fn key(d: Desc, v: &V) -> *mut u8 {
        let p = alloc(d.size.max(8));
        put(d, p, v, &mut Vec::new());
        p
    }

    fn set(m: *mut c_void, k: *const u8, v: i64) {
        // SAFETY: the slot holds an int.
        unsafe { g2n_map_assign(m, k).cast::<i64>().write(v) }
    }

    fn get(m: *mut c_void, k: *const u8) -> Option<i64> {
        // SAFETY: the slot holds an int.
        let slot = unsafe { g2n_map_lookup(m, k) };
        (!slot.is_null()).then(|| unsafe { slot.cast::<i64>().read() })
    }

    fn len(m: *mut c_void) -> i64 {
        // SAFETY: a map or null.
        unsafe { g2n_map_len(m) }
    }

    #[test]
    fn string_keys_compare_by_content() {
        let t = common_types();
        let m = new_map(t.string, t.int);
        let (a1, a2) = (String::from("apple"), String::from("apple"));
        let k = |s: &String| {
            let p = alloc(16);
            // SAFETY: 16 writable bytes.
            unsafe { p.cast::<GoString>().write(GoString { ptr: s.as_ptr(), len: s.len() as i64 }) };
            p
        };
        set(m, k(&a1), 1);
        set(m, k(&a2), 2);
        set(m, key(t.string, &V::S("pear")), 3);
        assert_eq!(len(m), 2);
        assert_eq!(get(m, k(&a1)), Some(2));
        assert_eq!(get(m, key(t.string, &V::S("pear"))), Some(3));
        assert_eq!(get(m, key(t.string, &V::S("plum"))), None);
        // SAFETY: a map and a key.
        unsafe { g2n_map_delete(m, k(&a2)) };
        assert_eq!(len(m), 1);
        assert_eq!(get(m, k(&a1)), None);
        // Deleting a missing key is a no-op.
        unsafe { g2n_map_delete(m, k(&a2)) };
        assert_eq!(len(m), 1);
    }

    #[test]
    fn nil_map_reads_as_empty() {
        let t = common_types();
        let k = key(t.int, &V::I(1));
        assert_eq!(get(std::ptr::null_mut(), k), None);
        assert_eq!(len(std::ptr::null_mut()), 0);
        // SAFETY: delete on a nil map is allowed.
        unsafe { g2n_map_delete(std::ptr::null_mut(), k) };
        let mut it = MapIter { map: std::ptr::null_mut(), pos: 7, key: std::ptr::null_mut(), val: std::ptr::null_mut() };
        // SAFETY: a nil map and a writable iterator.
        unsafe {
            g2n_map_iter_init(std::ptr::null_mut(), &mut it);
            assert!(g2n_map_iter_next(&mut it).is_null());
        }
    }

    #[test]
    fn float_keys_follow_go_equality() {
        let t = common_types();
        let f64_ = basic(Kind::Float64, "float64");
        let m = new_map(f64_, t.int);
        set(m, key(f64_, &V::F(0.0)), 1);
        set(m, key(f64_, &V::F(-0.0)), 2);
        assert_eq!(len(m), 1, "+0 and -0 are the same key");
        assert_eq!(get(m, key(f64_, &V::F(0.0))), Some(2));
        set(m, key(f64_, &V::F(f64::NAN)), 3);
        set(m, key(f64_, &V::F(f64::NAN)), 4);
        assert_eq!(len(m), 3, "every NaN is a new key");
        assert_eq!(get(m, key(f64_, &V::F(f64::NAN))), None);
    }

    #[test]
    fn struct_and_interface_keys() {
        let t = common_types();
        let m = new_map(t.point, t.int);
        set(m, key(t.point, &V::L(vec![V::I(1), V::I(2)])), 12);
        set(m, key(t.point, &V::L(vec![V::I(2), V::I(1)])), 21);
        assert_eq!(get(m, key(t.point, &V::L(vec![V::I(1), V::I(2)]))), Some(12));
        assert_eq!(get(m, key(t.point, &V::L(vec![V::I(2), V::I(1)]))), Some(21));
        assert_eq!(len(m), 2);

        let m = new_map(t.any, t.int);
        set(m, key(t.any, &any_int(1)), 1);
        let int64_one = V::AnyB(GoAny { tag: TypeTag::Int64 as u64, word0: 1, word1: 0 });
        set(m, key(t.any, &int64_one), 2);
        set(m, key(t.any, &any_str("k")), 3);
        set(m, key(t.any, &V::Any(t.point, Box::new(V::L(vec![V::I(1), V::I(1)])))), 4);
        set(m, key(t.any, &V::Nil), 5);
        assert_eq!(len(m), 5, "int(1) and int64(1) are different keys");
        assert_eq!(get(m, key(t.any, &any_int(1))), Some(1));
        assert_eq!(get(m, key(t.any, &int64_one)), Some(2));
        assert_eq!(get(m, key(t.any, &any_str("k"))), Some(3));
        assert_eq!(get(m, key(t.any, &V::Any(t.point, Box::new(V::L(vec![V::I(1), V::I(1)]))))), Some(4));
        assert_eq!(get(m, key(t.any, &V::Nil)), Some(5));
        // An uncomparable dynamic type cannot be hashed (Go panics).
        let mut h = types::Hasher::new(0);
        let bad = key(t.any, &V::Any(t.ints, Box::new(V::L(vec![V::I(1)]))));
        // SAFETY: an interface value.
        let err = unsafe { types::mem_hash(t.any, bad, &mut h) }.err().map(|e| e.0);
        assert_eq!(err, Some(&b"[]int"[..]));
    }

    #[test]
    fn iteration_is_in_insertion_order_and_sees_changes() {
        let t = common_types();
        let m = new_map(t.int, t.int);
        for i in 0..5 {
            set(m, key(t.int, &V::I(10 - i)), i);
        }
        // SAFETY: a map and a key.
        unsafe { g2n_map_delete(m, key(t.int, &V::I(8))) };
        let mut it = MapIter { map: std::ptr::null_mut(), pos: 0, key: std::ptr::null_mut(), val: std::ptr::null_mut() };
        let mut seen = Vec::new();
        // SAFETY: a map and a writable iterator; slots hold ints.
        unsafe {
            g2n_map_iter_init(m, &mut it);
            loop {
                let k = g2n_map_iter_next(&mut it);
                if k.is_null() {
                    break;
                }
                assert_eq!(k, it.key);
                let (k, v) = (k.cast::<i64>().read(), it.val.cast::<i64>().read());
                if k == 10 {
                    set(m, key(t.int, &V::I(100)), 99);
                }
                seen.push((k, v));
            }
        }
        assert_eq!(seen, vec![(10, 0), (9, 1), (7, 3), (6, 4), (100, 99)]);
    }

    #[test]
    fn many_keys_survive_growth_and_deletion() {
        let t = common_types();
        let m = new_map(t.int, t.int);
        for i in 0..10_000 {
            set(m, key(t.int, &V::I(i * 7919)), i);
        }
        for i in (0..10_000).step_by(2) {
            // SAFETY: a map and a key.
            unsafe { g2n_map_delete(m, key(t.int, &V::I(i * 7919))) };
        }
        assert_eq!(len(m), 5_000);
        for i in 0..10_000 {
            assert_eq!(get(m, key(t.int, &V::I(i * 7919))), (i % 2 == 1).then_some(i));
        }
    }

    #[test]
    fn values_are_zeroed_and_wide_values_fit() {
        let t = common_types();
        let big = Box::leak(Box::new(strukt("main.Big", &[("A", t.string), ("B", t.ints), ("C", t.any)])));
        let m = new_map(t.int, big);
        // SAFETY: a map and a key; the slot holds a 64-byte struct.
        let slot = unsafe { g2n_map_assign(m, key(t.int, &V::I(1))) };
        let bytes = unsafe { std::slice::from_raw_parts(slot, big.size as usize) };
        assert_eq!(big.size, 64);
        assert!(bytes.iter().all(|&b| b == 0));
    }
}
