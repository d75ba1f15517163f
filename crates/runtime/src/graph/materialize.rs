//! Materializing a checked graph in collected memory, when generated code
//! first reads a graph variable.

use super::budget::Meter;
use super::decode::{Decoder, ObjInfo, Received, Want};
use super::registry::{desc, registry, same_type};
use super::varint::Reader;
use super::{is_byte, text};
use crate::types::{self, Desc, elem, name};

impl Received {
    fn decoder(&self) -> Decoder<'_> {
        Decoder {
            r: Reader { data: &self.data, pos: 0 },
            types: Vec::new(),
            funcs: Vec::new(),
            globals: Vec::new(),
            // Materializing reads the object table from `self`: no copy of
            // it per decoder (a graph may have millions of objects).
            objects: Vec::new(),
            wants: Vec::new(),
            addrs: Some(self.roots),
            meter: Meter::unlimited(),
            nobjects: self.objects.len(),
        }
    }

    /// Allocates and fills every object (once).
    fn materialize(&mut self) -> Result<(), String> {
        if !self.roots.is_null() {
            return Ok(());
        }
        let reg = registry();
        self.roots = crate::gc::malloc_root(8 * (self.objects.len() + 1)).cast();
        let mut types_seen = Decoder { addrs: None, ..self.decoder() };
        types_seen.header()?;
        let (types, funcs, globals) = (types_seen.types, types_seen.funcs, types_seen.globals);
        for (i, o) in self.objects.iter().enumerate() {
            let addr = match *o {
                ObjInfo::Mem { desc: d, count, .. } => crate::memory::g2n_alloc((desc(d).size * count) as i64) as usize,
                // SAFETY: static descriptors of a map type.
                ObjInfo::Map { desc: d, count, .. } => unsafe {
                    crate::maps::g2n_map_new(types::key(desc(d)), elem(desc(d)), count as i64) as usize
                },
                ObjInfo::Func { func, .. } => {
                    let info = &reg.funcs[func];
                    if info.object != 0 {
                        info.object
                    } else {
                        let p = crate::memory::g2n_alloc(8 * (1 + info.captures.len() as i64));
                        // SAFETY: fresh memory of at least one word.
                        unsafe { p.cast::<usize>().write(info.code) };
                        p as usize
                    }
                }
                ObjInfo::Global { index } => reg.globals[index].addr,
                ObjInfo::Held { var, off, desc: d, count, map } => super::library_vars::resolve(var, off, desc(d), count, map)?,
                ObjInfo::Chan { desc: d, cap, closed, count, .. } => {
                    crate::chan::rebuilt(elem(desc(d)).size as usize, cap as usize, count as usize, closed).0 as usize
                }
            };
            // SAFETY: the root table has a word per object.
            unsafe { self.roots.add(i).write(addr) };
        }
        let mut d = self.decoder();
        d.types = types;
        d.funcs = funcs;
        d.globals = globals;
        for (i, &o) in self.objects.iter().enumerate() {
            let base = d.addr(i, 0);
            match o {
                ObjInfo::Mem { desc: t, count, start } => {
                    d.r.pos = start;
                    let t = desc(t);
                    if is_byte(t) {
                        d.r.bytes(count, base as *mut u8)?;
                    } else if t.size > 0 {
                        for k in 0..count {
                            d.value(t, (base + (k * t.size) as usize) as *mut u8, 0)?;
                        }
                    }
                }
                ObjInfo::Map { desc: t, count, start } => {
                    d.r.pos = start;
                    let (kd, vd) = (types::key(desc(t)), elem(desc(t)));
                    for _ in 0..count {
                        let key = crate::memory::g2n_alloc(kd.size as i64);
                        d.scratch(key as usize);
                        d.value(kd, key, 0)?;
                        // SAFETY: `base` is a map of this key type; `key` holds a key.
                        let slot = unsafe { crate::maps::g2n_map_assign(base as *mut std::ffi::c_void, key) };
                        d.value(vd, slot, 0)?;
                    }
                }
                ObjInfo::Func { func, start } => {
                    d.r.pos = start;
                    if reg.funcs[func].object == 0 {
                        for (j, cap) in reg.funcs[func].captures.iter().enumerate() {
                            let (o, off) = d.obj_ref(Want::Mem(*cap, 1), false, 1)?.unwrap_or((0, 0));
                            let p = d.addr(o, off);
                            // SAFETY: the closure object has a word per capture.
                            unsafe { (base as *mut usize).add(j + 1).write(p) };
                        }
                    }
                }
                ObjInfo::Chan { desc: t, start, .. } => {
                    d.r.pos = start;
                    let e = elem(desc(t));
                    // SAFETY: `base` is the channel just rebuilt.
                    let slots = unsafe { crate::chan::state(base as *mut std::ffi::c_void) }.map(|s| s.buffered).unwrap_or_default();
                    for slot in slots {
                        d.value(e, slot, 0)?;
                    }
                }
                ObjInfo::Global { .. } | ObjInfo::Held { .. } => {}
            }
        }
        d.scratch(0);
        Ok(())
    }

    /// Writes graph variable `index` (its value, or for a cell the address of
    /// its storage) to `out`, materializing the graph first.
    pub fn load(&mut self, index: usize, want: Desc, cell: bool, out: *mut u8) -> Result<(), String> {
        let (d, is_cell, start) = *self.slots.get(index).ok_or("no such graph variable")?;
        if !same_type(d, want) || is_cell != cell {
            return Err(format!("graph variable {index} is a {}, generated code read a {}", text(name(d)), text(name(want))));
        }
        self.materialize()?;
        let mut dec = self.decoder();
        dec.r.pos = start;
        if cell {
            let v = dec.r.varint()?;
            let off = dec.r.varint()?;
            let p = dec.addr(v as usize - 1, off);
            // SAFETY: `out` has room for a pointer.
            unsafe { out.cast::<usize>().write_unaligned(p) };
        } else {
            // Types and functions for interfaces in the value.
            let mut names = Decoder { addrs: None, ..self.decoder() };
            names.header()?;
            dec.types = names.types;
            dec.funcs = names.funcs;
            dec.globals = names.globals;
            dec.value(d, out, 0)?;
        }
        Ok(())
    }
}
