//! Checking a received graph before the handoff is acknowledged: every tag,
//! length, reference and type against the receiver's descriptors, without
//! touching Go memory.

use super::decode::{Decoder, ObjInfo, Received, Slot, Want};
use super::registry::{addr_of, desc, registry, same_type, underlying_name};
use super::varint::Reader;
use super::budget::{CHAN_COST, GraphBudget, MAP_ENTRY_COST, Meter, OBJECT_COST, Shortfall};
use std::sync::Arc;
use super::{MAX_ZERO_SIZED, is_byte, locate, text};
use crate::types::{self, elem, kind, name};
use g2n_abi::Kind;

impl Decoder<'_> {
    fn objects(&mut self) -> Result<(), String> {
        let n = self.r.varint()?;
        // Every object takes at least two bytes (its kind and a number);
        // all of them are charged before the table for them is allocated.
        if n > self.r.left() as u64 / 2 {
            return Err(format!("scope graph declares {n} objects in {} bytes", self.r.left()));
        }
        self.meter.charge(OBJECT_COST, n)?;
        self.objects = Vec::with_capacity(n as usize);
        self.nobjects = n as usize;
        for _ in 0..n {
            let kind_byte = self.r.byte()?;
            let info = match kind_byte {
                0 => {
                    let t = self.r.index(self.types.len(), "type")?;
                    let d = desc(self.types[t]);
                    let count = self.r.varint()?;
                    // Every value of a type with a size takes at least a
                    // byte, except bytes, whose runs are compressed: those
                    // are bounded by the budget alone (charged just below).
                    let limit = if d.size == 0 {
                        MAX_ZERO_SIZED
                    } else if is_byte(d) {
                        u64::MAX
                    } else {
                        self.r.left() as u64
                    };
                    if count > limit {
                        return Err(format!("scope graph has an object of {count} values in {} bytes", self.r.left()));
                    }
                    self.meter.charge(d.size, count)?;
                    let start = self.r.pos;
                    if is_byte(d) {
                        self.r.bytes(count, std::ptr::null_mut())?;
                    } else if d.size > 0 {
                        for _ in 0..count {
                            self.value(d, std::ptr::null_mut(), 0)?;
                        }
                    }
                    ObjInfo::Mem { desc: addr_of(d), count, start }
                }
                1 => {
                    let t = self.r.index(self.types.len(), "type")?;
                    let d = desc(self.types[t]);
                    if kind(d) != Kind::Map {
                        return Err(format!("scope graph has a map of type {}", text(name(d))));
                    }
                    let count = self.r.varint()?;
                    if count > self.r.left() as u64 {
                        return Err("scope graph ends early".into());
                    }
                    let (kd, vd) = (types::key(d), elem(d));
                    self.meter.charge(kd.size + vd.size + MAP_ENTRY_COST, count)?;
                    let start = self.r.pos;
                    for _ in 0..count {
                        self.value(kd, std::ptr::null_mut(), 0)?;
                        self.value(vd, std::ptr::null_mut(), 0)?;
                    }
                    ObjInfo::Map { desc: addr_of(d), count, start }
                }
                2 => {
                    let f = self.r.index(self.funcs.len(), "function")?;
                    let func = self.funcs[f];
                    let start = self.r.pos;
                    let info = &registry().funcs[func];
                    if info.object == 0 {
                        self.meter.charge(8, 1 + info.captures.len() as u64)?;
                        for cap in info.captures.clone() {
                            self.obj_ref(Want::Mem(cap, 1), false, 1)?;
                        }
                    }
                    ObjInfo::Func { func, start }
                }
                3 => {
                    let g = self.r.index(self.globals.len(), "package-level variable")?;
                    ObjInfo::Global { index: self.globals[g] }
                }
                4 => {
                    let t = self.r.index(self.types.len(), "type")?;
                    let d = desc(self.types[t]);
                    if kind(d) != Kind::Chan {
                        return Err(format!("scope graph has a channel of type {}", text(name(d))));
                    }
                    let e = elem(d);
                    let cap = self.r.varint()?;
                    // A capacity is declared, not sent: the budget bounds it.
                    self.meter.charge(e.size.max(1), cap)?;
                    self.meter.charge(CHAN_COST, 1)?;
                    let closed = match self.r.byte()? {
                        0 => false,
                        1 => true,
                        b => return Err(format!("scope graph has a channel closed flag {b}")),
                    };
                    let count = self.r.varint()?;
                    if count > cap || count > self.r.left() as u64 {
                        return Err(format!("scope graph has a channel of capacity {cap} holding {count} values"));
                    }
                    let start = self.r.pos;
                    for _ in 0..count {
                        self.value(e, std::ptr::null_mut(), 0)?;
                    }
                    ObjInfo::Chan { desc: addr_of(d), cap, closed, count, start }
                }
                5 | 6 => {
                    let map = kind_byte == 6;
                    let len = self.r.varint()?;
                    let var_name = self.r.take(len)?;
                    let off = self.r.varint()?;
                    let var = super::library_vars::lookup(var_name, off)?;
                    let t = self.r.index(self.types.len(), "type")?;
                    let d = desc(self.types[t]);
                    if map && kind(d) != Kind::Map {
                        return Err(format!("scope graph has a map of type {}", text(name(d))));
                    }
                    let count = if map { 0 } else { self.r.varint()? };
                    // What the variable holds is resolved when the graph is
                    // materialized: a host may check a scope before its
                    // packages are initialised.
                    ObjInfo::Held { var, off, desc: addr_of(d), count, map }
                }
                b => return Err(format!("scope graph has object kind {b}")),
            };
            self.objects.push(info);
        }
        Ok(())
    }

    fn check_wants(&self) -> Result<(), String> {
        let reg = registry();
        for (obj, off, want) in &self.wants {
            let info = self.objects[*obj];
            let ok = match (want, info) {
                (Want::Mem(w, count), ObjInfo::Mem { desc: d, count: n, .. }) => locate(desc(d), n, *off, desc(*w), *count),
                (Want::Mem(w, count), ObjInfo::Global { index }) => {
                    locate(desc(reg.globals[index].desc), 1, *off, desc(*w), *count)
                }
                (Want::Map(w), ObjInfo::Map { desc: d, .. }) => same_type(desc(d), desc(*w)),
                (Want::Mem(w, count), ObjInfo::Held { desc: d, count: n, map: false, .. }) => locate(desc(d), n, *off, desc(*w), *count),
                (Want::Map(w), ObjInfo::Held { desc: d, map: true, .. }) => same_type(desc(d), desc(*w)),
                (Want::Func(w), ObjInfo::Func { func, .. }) => reg.funcs[func].signature == underlying_name(desc(*w)),
                (Want::Chan(w), ObjInfo::Chan { desc: d, .. }) => same_type(elem(desc(d)), elem(desc(*w))),
                _ => false,
            };
            if !ok {
                let wanted = match want {
                    Want::Mem(w, _) | Want::Map(w) | Want::Func(w) | Want::Chan(w) => text(name(desc(*w))),
                };
                return Err(format!("scope graph refers to object {obj} for a {wanted} it does not hold"));
            }
        }
        Ok(())
    }
}

/// Why a graph was refused: malformed or ill-typed (`memory` is None), or
/// over the host's memory budget.
#[derive(Debug)]
pub struct CheckError {
    pub reason: String,
    pub memory: Option<Shortfall>,
}

impl From<String> for CheckError {
    fn from(reason: String) -> CheckError {
        CheckError { reason, memory: None }
    }
}

/// Checks a received scope graph against the entry's graph variables, before
/// any generated code runs. Every name must resolve in this program, every
/// value match its type, and every reference an object of the right type;
/// and what the graph would make this host hold must fit in what `budget`
/// has left (the returned graph holds its share until it is dropped).
pub fn check(slots: &[Slot], data: Vec<u8>, budget: &Arc<GraphBudget>) -> Result<Received, CheckError> {
    let mut d = Decoder {
        r: Reader { data: &data, pos: 0 },
        types: Vec::new(),
        funcs: Vec::new(),
        globals: Vec::new(),
        objects: Vec::new(),
        wants: Vec::new(),
        addrs: None,
        meter: Meter::new(budget),
        nobjects: 0,
    };
    if slots.is_empty() {
        if !data.is_empty() {
            return Err("a scope graph for an entry without graph variables".to_string().into());
        }
        return Ok(Received { data: Vec::new(), objects: Vec::new(), slots: Vec::new(), roots: std::ptr::null_mut(), reservation: Default::default() });
    }
    let mut starts = Vec::new();
    let checked = (|| {
        // The graph's own bytes stay with it until it is materialized.
        d.meter.charge(1, data.len() as u64)?;
        d.header()?;
        d.objects()?;
        for s in slots {
            starts.push((s.desc, s.cell, d.r.pos));
            if s.cell {
                d.obj_ref(Want::Mem(addr_of(s.desc), 1), false, 1)?;
            } else {
                d.value(s.desc, std::ptr::null_mut(), 0)?;
            }
        }
        if d.r.left() != 0 {
            return Err(format!("scope graph has {} trailing bytes", d.r.left()));
        }
        d.check_wants()
    })();
    if let Err(reason) = checked {
        return Err(CheckError { reason, memory: d.meter.short });
    }
    let charged = d.meter.charged;
    let objects = std::mem::take(&mut d.objects);
    drop(d);
    // Other graphs may have taken their share while this one was checked.
    let reservation = budget.reserve(charged).map_err(|short| CheckError { reason: short.reason(), memory: Some(short) })?;
    Ok(Received { data, objects, slots: starts, roots: std::ptr::null_mut(), reservation })
}
