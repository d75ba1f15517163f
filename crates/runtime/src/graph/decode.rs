//! Decoding (receiver): the type-directed reader of values that checking and
//! materializing share, and the checked graph it reads from.

use super::budget::{Meter, NAME_COST, Reservation, WANT_COST};
use super::registry::{addr_of, desc, registry};
use super::varint::{Reader, unzigzag};
use super::{MAX_DEPTH, is_byte, text};
use crate::ffi::go_string_from;
use crate::types::{self, Desc, elem, field_type, fields, kind, name};
use g2n_abi::{GoAny, GoString, Kind, TypeTag};

#[derive(Clone, Copy, Debug)]
pub(super) enum ObjInfo {
    Mem { desc: usize, count: u64, start: usize },
    Map { desc: usize, count: u64, start: usize },
    Func { func: usize, start: usize },
    Global { index: usize },
    Chan { desc: usize, cap: u64, closed: bool, count: u64, start: usize },
    /// What library variable `var` (the registry's index) holds at byte
    /// `off`: `count` values of type `desc`, or a map of type `desc`.
    Held { var: usize, off: u64, desc: usize, count: u64, map: bool },
}

/// What a reference must point to, checked once every object is known.
pub(super) enum Want {
    /// `count` values of this type (a pointer, a slice's backing array, a cell).
    Mem(usize, u64),
    Map(usize),
    Func(usize),
    /// A channel whose elements have this channel type's element type (a
    /// `chan<- T` and a `chan T` may share one channel).
    Chan(usize),
}

/// A graph variable of an entry: its type and how it travels.
#[derive(Clone, Copy)]
pub struct Slot {
    pub desc: Desc,
    pub cell: bool,
}

/// A checked scope graph, ready to be materialized.
pub struct Received {
    pub(super) data: Vec<u8>,
    pub(super) objects: Vec<ObjInfo>,
    /// Per graph variable: its type, whether it is a cell, where its value starts.
    pub(super) slots: Vec<(Desc, bool, usize)>,
    /// Collector-scanned, never-collected table of object addresses (and one
    /// scratch word), once materialized.
    pub(super) roots: *mut usize,
    /// The graph's charge against its host's `graph_memory_budget`, held
    /// as long as the graph (the scope of the step that received it).
    pub(super) reservation: Reservation,
}

impl Received {
    /// What the graph is charged against its host's `graph_memory_budget`.
    pub fn charged(&self) -> u64 {
        self.reservation.bytes()
    }
}

// SAFETY: the root table is only used by the thread running the flow; the
// rest is plain data.
unsafe impl Send for Received {}

impl Drop for Received {
    fn drop(&mut self) {
        // SAFETY: from malloc_root, not used after the scope is dropped.
        unsafe { crate::gc::free_root(self.roots.cast()) }
    }
}

pub(super) struct Decoder<'a> {
    pub(super) r: Reader<'a>,
    pub(super) types: Vec<usize>,
    pub(super) funcs: Vec<usize>,
    pub(super) globals: Vec<usize>,
    pub(super) objects: Vec<ObjInfo>,
    pub(super) wants: Vec<(usize, u64, Want)>,
    /// Materializing: object addresses (the root table); None while checking.
    pub(super) addrs: Option<*mut usize>,
    /// What the graph is charged against the host's budget (checking only).
    pub(super) meter: Meter,
    pub(super) nobjects: usize,
}

impl Decoder<'_> {
    pub(super) fn obj_ref(&mut self, want: Want, nil_ok: bool, shift: u64) -> Result<Option<(usize, u64)>, String> {
        let v = self.r.varint()?;
        if v < shift {
            if !nil_ok || v != 0 {
                return Err("scope graph has a nil where a value is required".into());
            }
            return Ok(None);
        }
        let obj = v - shift;
        if obj >= self.objects_len() as u64 {
            return Err(format!("scope graph refers to object {obj} of {}", self.objects_len()));
        }
        let off = match want {
            Want::Mem(..) => self.r.varint()?,
            _ => 0,
        };
        if self.addrs.is_none() {
            self.meter.charge(WANT_COST, 1)?;
            self.wants.push((obj as usize, off, want));
        }
        Ok(Some((obj as usize, off)))
    }

    fn objects_len(&self) -> usize {
        // Objects are counted up front, so references may point forward.
        self.nobjects
    }

    pub(super) fn addr(&self, obj: usize, off: u64) -> usize {
        // SAFETY: the root table has one word per object.
        let base = unsafe { self.addrs.unwrap_or(std::ptr::null_mut()).add(obj).read() };
        base + off as usize
    }

    /// Reads (and when materializing, writes to `out`) a value of type `d`.
    pub(super) fn value(&mut self, d: Desc, out: *mut u8, depth: u32) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("scope graph nests values too deeply".into());
        }
        let write = self.addrs.is_some();
        let k = kind(d);
        // SAFETY (every write below): when materializing, `out` points to
        // writable memory of `d.size` bytes in collected memory.
        unsafe {
            match k {
                Kind::Bool => {
                    let b = self.r.byte()?;
                    if b > 1 {
                        return Err(format!("scope graph has bool {b}"));
                    }
                    if write {
                        out.write(b);
                    }
                }
                Kind::Float32 => {
                    let b = self.r.take(4)?;
                    if write {
                        std::ptr::copy_nonoverlapping(b.as_ptr(), out, 4);
                    }
                }
                Kind::Float64 | Kind::Complex64 => {
                    let b = self.r.take(8)?;
                    if write {
                        std::ptr::copy_nonoverlapping(b.as_ptr(), out, 8);
                    }
                }
                Kind::Complex128 => {
                    let b = self.r.take(16)?;
                    if write {
                        std::ptr::copy_nonoverlapping(b.as_ptr(), out, 16);
                    }
                }
                Kind::String => {
                    let n = self.r.varint()?;
                    let s = self.r.take(n)?;
                    if write {
                        out.cast::<GoString>().write_unaligned(go_string_from(s));
                    }
                }
                Kind::Pointer => {
                    let r = self.obj_ref(Want::Mem(addr_of(elem(d)), 1), true, 1)?;
                    if write {
                        let p = r.map_or(0, |(o, off)| self.addr(o, off));
                        out.cast::<usize>().write_unaligned(p);
                    }
                }
                Kind::Slice => {
                    let v = self.r.varint()?;
                    let words: [u64; 3] = match v {
                        0 => [0, 0, 0],
                        1 => [if write { self.empty_slice_ptr() } else { 0 }, 0, 0],
                        _ => {
                            let obj = v - 2;
                            if obj >= self.objects_len() as u64 {
                                return Err(format!("scope graph refers to object {obj} of {}", self.objects_len()));
                            }
                            let off = self.r.varint()?;
                            let len = self.r.varint()?;
                            let cap = self.r.varint()?;
                            if len > cap || cap == 0 || cap > i64::MAX as u64 {
                                return Err(format!("scope graph has a slice of length {len} and capacity {cap}"));
                            }
                            if !write {
                                self.meter.charge(WANT_COST, 1)?;
                                self.wants.push((obj as usize, off, Want::Mem(addr_of(elem(d)), cap)));
                            }
                            [if write { self.addr(obj as usize, off) as u64 } else { 0 }, len, cap]
                        }
                    };
                    if write {
                        out.cast::<[u64; 3]>().write_unaligned(words);
                    }
                }
                Kind::Map => {
                    let r = self.obj_ref(Want::Map(addr_of(d)), true, 1)?;
                    if write {
                        let p = r.map_or(0, |(o, _)| self.addr(o, 0));
                        out.cast::<usize>().write_unaligned(p);
                    }
                }
                Kind::Func => {
                    let r = self.obj_ref(Want::Func(addr_of(d)), true, 1)?;
                    if write {
                        let p = r.map_or(0, |(o, _)| self.addr(o, 0));
                        out.cast::<usize>().write_unaligned(p);
                    }
                }
                Kind::Chan => {
                    let r = self.obj_ref(Want::Chan(addr_of(d)), true, 1)?;
                    if write {
                        let p = r.map_or(0, |(o, _)| self.addr(o, 0));
                        out.cast::<usize>().write_unaligned(p);
                    }
                }
                Kind::Interface => self.interface(d, out, depth)?,
                Kind::Array => {
                    let e = elem(d);
                    if is_byte(e) {
                        self.r.bytes(d.len, if write { out } else { std::ptr::null_mut() })?;
                    } else if e.size > 0 {
                        // Values of size 0 have no bytes on the wire: no
                        // loop over them (a `[1 << 40]struct{}` costs nothing).
                        for i in 0..d.len {
                            self.value(e, out.wrapping_add((i * e.size) as usize), depth + 1)?;
                        }
                    }
                }
                Kind::Struct => {
                    for f in fields(d) {
                        self.value(field_type(d, f), out.wrapping_add(f.offset as usize), depth + 1)?;
                    }
                }
                _ => {
                    let (size, signed) = types::int_kind(k).unwrap_or((8, true));
                    let raw = self.r.varint()?;
                    let bits = 8 * size as u32;
                    let ok = if signed {
                        let v = unzigzag(raw);
                        bits == 64 || (v >= -(1i64 << (bits - 1)) && v < (1i64 << (bits - 1)))
                    } else {
                        bits == 64 || raw < (1u64 << bits)
                    };
                    if !ok {
                        return Err(format!("scope graph has {} out of range for {}", raw, text(name(d))));
                    }
                    if write {
                        let v = if signed { unzigzag(raw) as u64 } else { raw };
                        std::ptr::copy_nonoverlapping(v.to_le_bytes().as_ptr(), out, size as usize);
                    }
                }
            }
        }
        Ok(())
    }

    /// A non-nil slice with no elements: any valid, non-null address.
    fn empty_slice_ptr(&self) -> u64 {
        crate::memory::g2n_alloc(0) as u64
    }

    fn interface(&mut self, d: Desc, out: *mut u8, depth: u32) -> Result<(), String> {
        let write = self.addrs.is_some();
        let mut any = GoAny { tag: 0, word0: 0, word1: 0 };
        match self.r.byte()? {
            0 => {}
            1 => {
                let raw = self.r.byte()?;
                let tag = TypeTag::from_u64(raw as u64).filter(|t| *t != TypeTag::Nil).ok_or(format!("scope graph has type tag {raw}"))?;
                any.tag = tag as u64;
                match tag {
                    TypeTag::Bool => {
                        let b = self.r.byte()?;
                        if b > 1 {
                            return Err(format!("scope graph has bool {b}"));
                        }
                        any.word0 = b as u64;
                    }
                    TypeTag::Float64 => any.word0 = u64::from_le_bytes(self.r.take(8)?.try_into().unwrap_or_default()),
                    TypeTag::Float32 => any.word0 = u32::from_le_bytes(self.r.take(4)?.try_into().unwrap_or_default()) as u64,
                    TypeTag::Complex64 => any.word0 = u64::from_le_bytes(self.r.take(8)?.try_into().unwrap_or_default()),
                    TypeTag::Complex128 => {
                        any.word0 = u64::from_le_bytes(self.r.take(8)?.try_into().unwrap_or_default());
                        any.word1 = u64::from_le_bytes(self.r.take(8)?.try_into().unwrap_or_default());
                    }
                    TypeTag::String => {
                        let n = self.r.varint()?;
                        let s = self.r.take(n)?;
                        if write {
                            let g = go_string_from(s);
                            any.word0 = g.ptr as u64;
                            any.word1 = g.len as u64;
                        }
                    }
                    _ => {
                        let (bits, signed) = tag.int_info().unwrap_or((64, true));
                        let raw = self.r.varint()?;
                        let ok = if signed {
                            let v = unzigzag(raw);
                            bits == 64 || (v >= -(1i64 << (bits - 1)) && v < (1i64 << (bits - 1)))
                        } else {
                            bits == 64 || raw < (1u64 << bits)
                        };
                        if !ok {
                            return Err(format!("scope graph has {raw} out of range for {}", tag.go_name()));
                        }
                        any.word0 = if signed { unzigzag(raw) as u64 } else { raw };
                    }
                }
            }
            2 => {
                let t = self.r.index(self.types.len(), "type")?;
                let dd = desc(self.types[t]);
                if kind(dd) == Kind::Interface {
                    return Err(format!("scope graph has interface type {} as a dynamic type", text(name(dd))));
                }
                for m in types::methods(d) {
                    let m = types::go_str(m.name);
                    if types::find_method(dd, m).is_none() {
                        return Err(format!(
                            "scope graph has {} in {}: missing method {}",
                            text(name(dd)),
                            text(name(d)),
                            text(g2n_abi::method_key_name(m))
                        ));
                    }
                }
                any.tag = addr_of(dd) as u64;
                if write {
                    let size = if kind(dd) == Kind::Slice { 24 } else { dd.size };
                    let tmp = crate::memory::g2n_alloc(size as i64);
                    self.scratch(tmp as usize);
                    self.value(dd, tmp, depth + 1)?;
                    if matches!(kind(dd), Kind::Struct | Kind::Array | Kind::Slice) {
                        any.word0 = tmp as u64;
                    } else {
                        // SAFETY: `tmp` holds a value of type `dd`.
                        let (w0, w1) = unsafe { types::box_words(dd, tmp) };
                        any.word0 = w0;
                        any.word1 = w1;
                    }
                } else {
                    self.value(dd, std::ptr::null_mut(), depth + 1)?;
                }
            }
            b => return Err(format!("scope graph has interface kind {b}")),
        }
        if write {
            // SAFETY: `out` holds an interface value (24 bytes).
            unsafe { out.cast::<GoAny>().write_unaligned(any) };
        }
        Ok(())
    }

    /// Keeps a temporary in collected memory alive (the root table's last word).
    pub(super) fn scratch(&self, p: usize) {
        if let Some(addrs) = self.addrs {
            // SAFETY: the root table has one scratch word after the objects.
            unsafe { addrs.add(self.nobjects).write(p) };
        }
    }

    pub(super) fn header(&mut self) -> Result<(), String> {
        let reg = registry();
        for what in 0..3 {
            let n = self.r.varint()?;
            if n > self.r.left() as u64 {
                return Err("scope graph ends early".into());
            }
            self.meter.charge(NAME_COST, n)?;
            for _ in 0..n {
                let len = self.r.varint()?;
                let s = self.r.take(len)?;
                match what {
                    0 => self.types.push(*reg.types.get(s).ok_or_else(|| format!("unknown type {}", text(s)))?),
                    1 => self.funcs.push(*reg.func_by_name.get(s).ok_or_else(|| format!("unknown function {}", text(s)))?),
                    _ => self.globals.push(*reg.global_by_name.get(s).ok_or_else(|| format!("unknown package-level variable {}", text(s)))?),
                }
            }
        }
        Ok(())
    }
}
