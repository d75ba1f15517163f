//! Encoding (sender): finds every object the graph variables reach, lays the
//! objects out and writes the graph.

use super::library_vars::{HeldLookup, Holder, holders};
use super::registry::{addr_of, desc, registry, same_type, wire_name};
use super::varint::{put_bytes, put_varint, zigzag};
use super::{MAX_DEPTH, is_byte, locate, text};
use crate::ffi::bytes;
use crate::types::{self, Desc, desc_of_tag, elem, field_type, fields, go_str, kind, name};
use g2n_abi::{GoAny, Kind, TypeTag};
use std::collections::HashMap;

/// One graph variable of a scope being sent.
pub struct Root {
    pub desc: Desc,
    /// `ptr` is the variable's storage (a graph object) rather than the
    /// address of its value.
    pub cell: bool,
    pub ptr: *const u8,
}

/// Sizes of one encoded scope graph, for traces (`hop.send`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GraphStats {
    /// Bytes of Go memory the graph variables reach, each object counted
    /// once (strings by occurrence): what the scope "weighs" in memory.
    pub value_bytes: u64,
    /// Bytes of the encoded graph on the wire.
    pub wire_bytes: u64,
    pub objects: u64,
}

#[derive(Clone, Copy)]
struct Region {
    addr: usize,
    desc: usize,
    count: u64,
}

impl Region {
    fn bytes(&self) -> u64 {
        desc(self.desc).size.saturating_mul(self.count)
    }
}

enum Obj {
    Mem { addr: usize, desc: usize, count: u64 },
    Map { map: usize, desc: usize },
    Func { func: usize, closure: usize },
    Global { index: usize },
    Chan { chan: usize, desc: usize },
    /// An object a library variable holds (`library_vars`): a reference to it.
    Held(Holder),
}

#[derive(Default)]
struct Encoder {
    regions: Vec<Region>,
    region_ids: HashMap<(usize, usize, u64), usize>,
    /// Object and byte offset of each region, once laid out.
    placed: Vec<(usize, u64)>,
    maps: HashMap<usize, usize>,
    map_list: Vec<(usize, usize)>,
    chans: HashMap<usize, usize>,
    chan_list: Vec<(usize, usize)>,
    chan_obj: HashMap<usize, usize>,
    closures: HashMap<usize, usize>,
    closure_list: Vec<(usize, usize)>,
    objects: Vec<Obj>,
    map_obj: HashMap<usize, usize>,
    closure_obj: HashMap<usize, usize>,
    pointers: HashMap<usize, bool>,
    type_names: Vec<&'static [u8]>,
    type_ids: HashMap<&'static [u8], usize>,
    func_names: Vec<&'static [u8]>,
    func_ids: HashMap<usize, usize>,
    global_names: Vec<&'static [u8]>,
    global_name_ids: HashMap<usize, usize>,
    global_ids: HashMap<usize, usize>,
    work: Vec<usize>,
    stats: GraphStats,
    /// What library variables hold, looked up once the hop reaches a heap
    /// object or a map.
    held: Option<HeldLookup>,
    /// Regions and maps that library variables hold: not scanned, sent as
    /// references.
    held_regions: HashMap<usize, Holder>,
    held_maps: HashMap<usize, Holder>,
}

impl Encoder {
    fn add_region(&mut self, addr: usize, d: Desc, count: u64) {
        let key = (addr, addr_of(d), count);
        if self.region_ids.contains_key(&key) {
            return;
        }
        self.region_ids.insert(key, self.regions.len());
        self.regions.push(Region { addr, desc: addr_of(d), count });
        if let Some(h) = self.held().find(addr, d, count, false) {
            self.held_regions.insert(self.regions.len() - 1, h);
            return;
        }
        // An os.Process has no pointers but is scanned all the same, to
        // refuse a running one (`running_process`).
        if has_pointers(d, &mut self.pointers) || name(d) == b"os.Process" {
            self.work.push(self.regions.len() - 1);
        }
    }

    fn held(&mut self) -> &HeldLookup {
        self.held.get_or_insert_with(holders)
    }

    fn add_map(&mut self, m: usize, d: Desc) -> Result<(), String> {
        if self.maps.contains_key(&m) {
            return Ok(());
        }
        self.maps.insert(m, self.map_list.len());
        self.map_list.push((m, addr_of(d)));
        if let Some(h) = self.held().find(m, d, 0, true) {
            self.held_maps.insert(m, h);
            return Ok(());
        }
        // SAFETY: a non-null map value comes from g2n_map_new.
        let Some(map) = (unsafe { crate::maps::map_ref(m as *const std::ffi::c_void) }) else { return Ok(()) };
        let (kd, vd) = (map.key, map.val);
        for (k, v) in map.entries() {
            self.scan(kd, k, 0)?;
            self.scan(vd, v, 0)?;
        }
        Ok(())
    }

    /// A channel travels with its buffered elements, and only when nothing
    /// else could use it: no goroutine is blocked on it, and none other than
    /// the hopping one is alive (the runtime lets them run to completion or
    /// to a block first: `sched::quiesce`). Otherwise the hop fails.
    fn add_chan(&mut self, c: usize, d: Desc) -> Result<(), String> {
        if self.chans.contains_key(&c) {
            return Ok(());
        }
        // SAFETY: a non-null channel value comes from g2n_chan_new.
        let Some(state) = (unsafe { crate::chan::state(c as *mut std::ffi::c_void) }) else { return Ok(()) };
        if state.waited_on {
            return Err(format!("a {} that goroutines are blocked on cannot travel", text(name(d))));
        }
        let others = crate::sched::others_alive();
        if others > 0 {
            return Err(format!(
                "a {} cannot travel while {others} other goroutine{} still alive (blocked); goroutines stay where they run",
                text(name(d)),
                if others == 1 { " is" } else { "s are" }
            ));
        }
        self.chans.insert(c, self.chan_list.len());
        self.chan_list.push((c, addr_of(d)));
        let e = elem(d);
        for slot in state.buffered {
            self.scan(e, slot, 0)?;
        }
        Ok(())
    }

    fn add_func(&mut self, f: usize) -> Result<(), String> {
        if self.closures.contains_key(&f) {
            return Ok(());
        }
        let reg = registry();
        let index = match reg.func_by_object.get(&f) {
            Some(i) => *i,
            None => {
                // SAFETY: a non-null func value points to a closure object
                // whose first word is its code.
                let code = unsafe { (f as *const usize).read() };
                *reg.func_by_code.get(&code).ok_or("a func value whose function the program table does not list cannot travel")?
            }
        };
        self.closures.insert(f, self.closure_list.len());
        self.closure_list.push((f, index));
        let info = &reg.funcs[index];
        if info.object == 0 {
            for (j, cap) in info.captures.iter().enumerate() {
                // SAFETY: a closure object holds one pointer per capture.
                let cell = unsafe { (f as *const usize).add(j + 1).read() };
                if cell != 0 {
                    self.add_region(cell, desc(*cap), 1);
                }
            }
        }
        Ok(())
    }

    /// Finds the objects a value of type `d` at `p` refers to.
    fn scan(&mut self, d: Desc, p: *const u8, depth: u32) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("a value nests too deeply to travel".into());
        }
        if kind(d) == Kind::Struct
            && let Some(process) = running_process(d, p)
        {
            return Err(process);
        }
        if !has_pointers(d, &mut self.pointers) {
            return Ok(());
        }
        if let Some(what) = reflect_type(d) {
            // A reflect.Type (a descriptor's address) or reflect.Value (an
            // address into the sender's memory) held in an interface; the
            // split refuses the static types (docs/split.md, "reflect").
            return Err(format!("a {what} cannot travel between nanoservices"));
        }
        if let Some(file) = open_file(d, p).or_else(|| open_socket(d, p)) {
            return Err(file);
        }
        // SAFETY: `p` points to a value of type `d` (the caller's contract,
        // kept by following the descriptors).
        unsafe {
            match kind(d) {
                Kind::Pointer => {
                    let q = types::read_uint(p, 8) as usize;
                    if q != 0 {
                        self.add_region(q, elem(d), 1);
                    }
                }
                Kind::Slice => {
                    let s = types::read_slice(p);
                    if !s.ptr.is_null() && s.cap > 0 {
                        self.add_region(s.ptr as usize, elem(d), s.cap as u64);
                    }
                }
                Kind::Map => {
                    let m = types::read_uint(p, 8) as usize;
                    if m != 0 {
                        self.add_map(m, d)?;
                    }
                }
                Kind::Func => {
                    let f = types::read_uint(p, 8) as usize;
                    if f != 0 {
                        self.add_func(f)?;
                    }
                }
                Kind::Chan => {
                    let c = types::read_uint(p, 8) as usize;
                    if c != 0 {
                        self.add_chan(c, d)?;
                    }
                }
                Kind::Interface => {
                    let a = types::read_any(p);
                    if let Some(dd) = desc_of_tag(a.tag) {
                        self.scan(dd, types::any_value_ptr(&a, dd), depth + 1)?;
                    }
                }
                Kind::Array => {
                    let e = elem(d);
                    for i in 0..d.len {
                        self.scan(e, p.add((i * e.size) as usize), depth + 1)?;
                    }
                }
                Kind::Struct => {
                    for f in fields(d) {
                        self.scan(field_type(d, f), p.add(f.offset as usize), depth + 1)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn drain(&mut self) -> Result<(), String> {
        while let Some(i) = self.work.pop() {
            let r = self.regions[i];
            let d = desc(r.desc);
            for k in 0..r.count {
                self.scan(d, (r.addr + (k * d.size) as usize) as *const u8, 0)?;
            }
        }
        Ok(())
    }

    /// Groups the regions into objects: regions that overlap in memory are
    /// one object (a backing array, a struct and a pointer to its field).
    fn layout(&mut self) -> Result<(), String> {
        let reg = registry();
        self.placed = vec![(usize::MAX, 0); self.regions.len()];
        let mut heap: Vec<usize> = Vec::new();
        // Objects library variables hold: start, end, object.
        let mut held_spans: Vec<(usize, usize, usize)> = Vec::new();
        let mut held_ids: HashMap<usize, usize> = HashMap::new();
        let mut held: Vec<(usize, Holder)> = self.held_regions.iter().map(|(i, h)| (*i, *h)).collect();
        held.sort_by_key(|(i, _)| *i);
        for (i, h) in &held {
            let obj = *held_ids.entry(h.object.addr).or_insert_with(|| {
                self.objects.push(Obj::Held(*h));
                let end = h.object.addr + desc(h.object.desc).size.saturating_mul(h.object.count) as usize;
                held_spans.push((h.object.addr, end, self.objects.len() - 1));
                self.objects.len() - 1
            });
            self.placed[*i] = (obj, 0);
        }
        for (i, r) in self.regions.iter().enumerate() {
            if self.placed[i].0 != usize::MAX {
                continue;
            }
            // Inside an object a library variable holds (a pointer to one of
            // its fields): a reference into it.
            if let Some(&(start, _, obj)) = held_spans.iter().find(|(start, end, _)| *start <= r.addr && r.addr < *end) {
                let Obj::Held(h) = self.objects[obj] else { unreachable!() };
                let off = (r.addr - start) as u64;
                if !locate(desc(h.object.desc), h.object.count, off, desc(r.desc), r.count) {
                    return Err(format!(
                        "a {} inside the object package-level variable {} holds cannot travel",
                        text(name(desc(r.desc))),
                        text(registry().library_vars[h.var].name)
                    ));
                }
                self.placed[i] = (obj, off);
                continue;
            }
            // Package-level variables are objects of their own, resolved by
            // name on the receiver.
            let g = reg.globals.partition_point(|g| g.addr <= r.addr);
            if g > 0 {
                let global = &reg.globals[g - 1];
                let gd = desc(global.desc);
                if r.addr < global.addr + gd.size.max(1) as usize {
                    let off = (r.addr - global.addr) as u64;
                    if !locate(gd, 1, off, desc(r.desc), r.count) {
                        return Err(format!(
                            "a {} inside package-level variable {} cannot travel",
                            text(name(desc(r.desc))),
                            text(global.name)
                        ));
                    }
                    let obj = *self.global_ids.entry(g - 1).or_insert_with(|| {
                        self.objects.push(Obj::Global { index: g - 1 });
                        self.objects.len() - 1
                    });
                    self.placed[i] = (obj, off);
                    continue;
                }
            }
            if r.bytes() == 0 {
                self.objects.push(Obj::Mem { addr: r.addr, desc: r.desc, count: r.count });
                self.placed[i] = (self.objects.len() - 1, 0);
                continue;
            }
            heap.push(i);
        }
        heap.sort_by_key(|i| (self.regions[*i].addr, std::cmp::Reverse(self.regions[*i].bytes())));
        let mut k = 0;
        while k < heap.len() {
            let start = self.regions[heap[k]].addr;
            let mut end = start + self.regions[heap[k]].bytes() as usize;
            let mut j = k + 1;
            while j < heap.len() && self.regions[heap[j]].addr < end {
                end = end.max(self.regions[heap[j]].addr + self.regions[heap[j]].bytes() as usize);
                j += 1;
            }
            let cluster: Vec<usize> = heap[k..j].to_vec();
            let (d, count) = self.cluster_type(&cluster, start, end)?;
            self.objects.push(Obj::Mem { addr: start, desc: d, count });
            let obj = self.objects.len() - 1;
            for i in cluster {
                self.placed[i] = (obj, (self.regions[i].addr - start) as u64);
            }
            k = j;
        }
        for (m, d) in self.map_list.clone() {
            match self.held_maps.get(&m) {
                Some(h) => self.objects.push(Obj::Held(*h)),
                None => self.objects.push(Obj::Map { map: m, desc: d }),
            }
            self.map_obj.insert(m, self.objects.len() - 1);
        }
        for (f, index) in self.closure_list.clone() {
            self.objects.push(Obj::Func { func: index, closure: f });
            self.closure_obj.insert(f, self.objects.len() - 1);
        }
        for (c, d) in self.chan_list.clone() {
            self.objects.push(Obj::Chan { chan: c, desc: d });
            self.chan_obj.insert(c, self.objects.len() - 1);
        }
        Ok(())
    }

    /// The type and count of the object that a cluster of overlapping
    /// regions spanning `start..end` forms.
    fn cluster_type(&self, cluster: &[usize], start: usize, end: usize) -> Result<(usize, u64), String> {
        let first = self.regions[cluster[0]];
        let fd = desc(first.desc);
        let uniform = cluster.iter().all(|i| {
            let r = self.regions[*i];
            same_type(desc(r.desc), fd) && ((r.addr - start) as u64).is_multiple_of(fd.size)
        });
        if uniform {
            return Ok((first.desc, (end - start) as u64 / fd.size));
        }
        for c in cluster {
            let r = self.regions[*c];
            if r.addr != start || r.addr + r.bytes() as usize != end {
                continue;
            }
            let covers = cluster.iter().all(|i| {
                let q = self.regions[*i];
                locate(desc(r.desc), r.count, (q.addr - start) as u64, desc(q.desc), q.count)
            });
            if covers {
                return Ok((r.desc, r.count));
            }
        }
        let names: Vec<String> = cluster.iter().take(3).map(|i| text(name(desc(self.regions[*i].desc)))).collect();
        Err(format!("values of types {} share memory in a way the scope graph cannot express", names.join(", ")))
    }

    fn type_id(&mut self, d: Desc) -> u64 {
        let n = wire_name(d);
        intern(&mut self.type_ids, &mut self.type_names, n, n)
    }

    fn region_ref(&self, addr: usize, d: Desc, count: u64) -> Result<(usize, u64), String> {
        let i = self.region_ids.get(&(addr, addr_of(d), count)).ok_or("internal error: a region was not scanned")?;
        Ok(self.placed[*i])
    }

    fn encode_value(&mut self, d: Desc, p: *const u8, out: &mut Vec<u8>, depth: u32) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("a value nests too deeply to travel".into());
        }
        let k = kind(d);
        // SAFETY: `p` points to a value of type `d`, as in `scan`.
        unsafe {
            match k {
                Kind::Bool => out.push((p.read() != 0) as u8),
                Kind::Float32 => out.extend_from_slice(&(types::read_uint(p, 4) as u32).to_le_bytes()),
                Kind::Float64 => out.extend_from_slice(&types::read_uint(p, 8).to_le_bytes()),
                // The parts' bits as they lie in memory: 8 or 16 bytes.
                Kind::Complex64 => out.extend_from_slice(&types::read_uint(p, 8).to_le_bytes()),
                Kind::Complex128 => {
                    out.extend_from_slice(&types::read_uint(p, 8).to_le_bytes());
                    out.extend_from_slice(&types::read_uint(p.add(8), 8).to_le_bytes());
                }
                Kind::String => {
                    let s = types::read_string(p);
                    self.stats.value_bytes += s.len() as u64;
                    put_varint(out, s.len() as u64);
                    out.extend_from_slice(s);
                }
                Kind::Pointer => {
                    let q = types::read_uint(p, 8) as usize;
                    if q == 0 {
                        put_varint(out, 0);
                    } else {
                        let (obj, off) = self.region_ref(q, elem(d), 1)?;
                        put_varint(out, obj as u64 + 1);
                        put_varint(out, off);
                    }
                }
                Kind::Slice => {
                    let s = types::read_slice(p);
                    if s.ptr.is_null() {
                        put_varint(out, 0);
                    } else if s.cap <= 0 {
                        put_varint(out, 1);
                    } else {
                        let (obj, off) = self.region_ref(s.ptr as usize, elem(d), s.cap as u64)?;
                        put_varint(out, obj as u64 + 2);
                        put_varint(out, off);
                        put_varint(out, s.len as u64);
                        put_varint(out, s.cap as u64);
                    }
                }
                Kind::Map => {
                    let m = types::read_uint(p, 8) as usize;
                    let obj = if m == 0 { 0 } else { *self.map_obj.get(&m).ok_or("internal error: unscanned map")? as u64 + 1 };
                    put_varint(out, obj);
                }
                Kind::Func => {
                    let f = types::read_uint(p, 8) as usize;
                    let obj = if f == 0 { 0 } else { *self.closure_obj.get(&f).ok_or("internal error: unscanned func value")? as u64 + 1 };
                    put_varint(out, obj);
                }
                Kind::Chan => {
                    let c = types::read_uint(p, 8) as usize;
                    let obj = if c == 0 { 0 } else { *self.chan_obj.get(&c).ok_or("internal error: unscanned channel")? as u64 + 1 };
                    put_varint(out, obj);
                }
                Kind::Interface => {
                    let a = types::read_any(p);
                    if a.tag == TypeTag::Nil as u64 {
                        out.push(0);
                    } else if let Some(dd) = desc_of_tag(a.tag) {
                        out.push(2);
                        let id = self.type_id(dd);
                        put_varint(out, id);
                        if matches!(kind(dd), Kind::Struct | Kind::Array | Kind::Slice) {
                            self.stats.value_bytes += if kind(dd) == Kind::Slice { 24 } else { dd.size };
                        }
                        self.encode_value(dd, types::any_value_ptr(&a, dd), out, depth + 1)?;
                    } else {
                        let tag = TypeTag::from_u64(a.tag).ok_or("internal error: unknown type tag in an interface")?;
                        out.push(1);
                        out.push(tag as u8);
                        encode_basic(tag, &a, out);
                    }
                }
                Kind::Array => {
                    let e = elem(d);
                    if is_byte(e) {
                        put_bytes(out, std::slice::from_raw_parts(p, d.len as usize));
                    } else {
                        for i in 0..d.len {
                            self.encode_value(e, p.add((i * e.size) as usize), out, depth + 1)?;
                        }
                    }
                }
                Kind::Struct => {
                    for f in fields(d) {
                        self.encode_value(field_type(d, f), p.add(f.offset as usize), out, depth + 1)?;
                    }
                }
                _ => {
                    let (_, signed) = types::int_kind(k).unwrap_or((8, true));
                    let v = types::read_int(p, k);
                    put_varint(out, if signed { zigzag(v as i64) } else { v });
                }
            }
        }
        Ok(())
    }

    fn encode_object(&mut self, index: usize, out: &mut Vec<u8>) -> Result<(), String> {
        match self.objects[index] {
            Obj::Mem { addr, desc: d, count } => {
                let d = desc(d);
                self.stats.value_bytes += d.size.saturating_mul(count);
                out.push(0);
                let id = self.type_id(d);
                put_varint(out, id);
                put_varint(out, count);
                if is_byte(d) {
                    // SAFETY: the region holds `count` bytes.
                    put_bytes(out, unsafe { std::slice::from_raw_parts(addr as *const u8, count as usize) });
                } else if d.size > 0 {
                    // Values of a zero-size type have no bytes: the count
                    // alone says it all (the receiver's check and
                    // materialize skip them too), however large it is
                    // (`make([]struct{}, maxInt)` is a valid Go slice).
                    for i in 0..count {
                        self.encode_value(d, (addr + (i * d.size) as usize) as *const u8, out, 0)?;
                    }
                }
            }
            Obj::Map { map, desc: d } => {
                out.push(1);
                let id = self.type_id(desc(d));
                put_varint(out, id);
                // SAFETY: a non-null map value comes from g2n_map_new.
                let m = unsafe { crate::maps::map_ref(map as *const std::ffi::c_void) }.ok_or("internal error: nil map object")?;
                let (kd, vd, entries) = (m.key, m.val, m.entries());
                self.stats.value_bytes += (kd.size + vd.size) * entries.len() as u64;
                put_varint(out, entries.len() as u64);
                for (k, v) in entries {
                    self.encode_value(kd, k, out, 0)?;
                    self.encode_value(vd, v, out, 0)?;
                }
            }
            Obj::Func { func, closure } => {
                out.push(2);
                let id = intern(&mut self.func_ids, &mut self.func_names, func, registry().funcs[func].name);
                put_varint(out, id);
                let info = &registry().funcs[func];
                if info.object == 0 {
                    self.stats.value_bytes += 8 * (1 + info.captures.len() as u64);
                    for (j, cap) in info.captures.clone().into_iter().enumerate() {
                        // SAFETY: as in `add_func`.
                        let cell = unsafe { (closure as *const usize).add(j + 1).read() };
                        if cell == 0 {
                            return Err("internal error: a closure without its captured variable".into());
                        }
                        let (obj, off) = self.region_ref(cell, desc(cap), 1)?;
                        put_varint(out, obj as u64 + 1);
                        put_varint(out, off);
                    }
                }
            }
            Obj::Chan { chan, desc: d } => {
                out.push(4);
                let d = desc(d);
                let id = self.type_id(d);
                put_varint(out, id);
                // SAFETY: a non-null channel value comes from g2n_chan_new.
                let state = unsafe { crate::chan::state(chan as *mut std::ffi::c_void) }.ok_or("internal error: nil channel object")?;
                let e = elem(d);
                self.stats.value_bytes += e.size * state.buffered.len() as u64;
                put_varint(out, state.cap as u64);
                out.push(state.closed as u8);
                put_varint(out, state.buffered.len() as u64);
                for slot in state.buffered {
                    self.encode_value(e, slot, out, 0)?;
                }
            }
            Obj::Global { index: g } => {
                out.push(3);
                let id = intern(&mut self.global_name_ids, &mut self.global_names, g, registry().globals[g].name);
                put_varint(out, id);
            }
            Obj::Held(h) => {
                out.push(if h.object.map { 6 } else { 5 });
                let name = registry().library_vars[h.var].name;
                put_varint(out, name.len() as u64);
                out.extend_from_slice(name);
                put_varint(out, h.off);
                let id = self.type_id(desc(h.object.desc));
                put_varint(out, id);
                if !h.object.map {
                    put_varint(out, h.object.count);
                }
            }
        }
        Ok(())
    }
}

/// The index of `key`'s name in a graph's name table, adding it on first use.
fn intern<K: std::hash::Hash + Eq>(ids: &mut HashMap<K, usize>, names: &mut Vec<&'static [u8]>, key: K, name: &'static [u8]) -> u64 {
    let next = names.len();
    let id = *ids.entry(key).or_insert(next);
    if id == next {
        names.push(name);
    }
    id as u64
}

fn encode_basic(tag: TypeTag, a: &GoAny, out: &mut Vec<u8>) {
    match tag {
        TypeTag::Nil => {}
        TypeTag::Bool => out.push((a.word0 != 0) as u8),
        TypeTag::Float64 => out.extend_from_slice(&a.word0.to_le_bytes()),
        TypeTag::Float32 => out.extend_from_slice(&(a.word0 as u32).to_le_bytes()),
        TypeTag::Complex64 => out.extend_from_slice(&a.word0.to_le_bytes()),
        TypeTag::Complex128 => {
            out.extend_from_slice(&a.word0.to_le_bytes());
            out.extend_from_slice(&a.word1.to_le_bytes());
        }
        TypeTag::String => {
            // SAFETY: a string interface holds a valid pointer and length.
            let s = unsafe { bytes(a.word0 as *const u8, a.word1 as i64) };
            put_varint(out, s.len() as u64);
            out.extend_from_slice(s);
        }
        _ => {
            let signed = tag.int_info().is_some_and(|(_, s)| s);
            put_varint(out, if signed { zigzag(a.word0 as i64) } else { a.word0 });
        }
    }
}

/// Encodes the graph variables of a scope, in slot order, into one graph.
pub fn encode(roots: &[Root]) -> Result<(Vec<u8>, GraphStats), String> {
    let mut e = Encoder::default();
    for r in roots {
        if r.cell {
            e.add_region(r.ptr as usize, r.desc, 1);
        } else {
            e.stats.value_bytes += r.desc.size;
            e.scan(r.desc, r.ptr, 0)?;
        }
        e.drain()?;
    }
    e.drain()?;
    e.layout()?;
    let mut body = Vec::new();
    put_varint(&mut body, e.objects.len() as u64);
    for i in 0..e.objects.len() {
        e.encode_object(i, &mut body)?;
        if body.len() > crate::wire::MAX_FRAME_LEN as usize {
            return Err(format!("the scope exceeds the {}-byte frame limit", crate::wire::MAX_FRAME_LEN));
        }
    }
    for r in roots {
        if r.cell {
            let (obj, off) = e.region_ref(r.ptr as usize, r.desc, 1)?;
            put_varint(&mut body, obj as u64 + 1);
            put_varint(&mut body, off);
        } else {
            e.encode_value(r.desc, r.ptr, &mut body, 0)?;
        }
    }
    let mut out = Vec::with_capacity(body.len() + 64);
    for names in [&e.type_names, &e.func_names, &e.global_names] {
        put_varint(&mut out, names.len() as u64);
        for n in names.iter() {
            put_varint(&mut out, n.len() as u64);
            out.extend_from_slice(n);
        }
    }
    out.extend_from_slice(&body);
    if out.len() > crate::wire::MAX_FRAME_LEN as usize {
        return Err(format!("the scope ({} bytes) exceeds the {}-byte frame limit", out.len(), crate::wire::MAX_FRAME_LEN));
    }
    e.stats.wire_bytes = out.len() as u64;
    e.stats.objects = e.objects.len() as u64;
    Ok((out, e.stats))
}

fn has_pointers(d: Desc, memo: &mut HashMap<usize, bool>) -> bool {
    if let Some(v) = memo.get(&addr_of(d)) {
        return *v;
    }
    // Recursive types recurse through pointers, which answer at once; the
    // provisional answer only matters for a type being computed.
    memo.insert(addr_of(d), true);
    let v = match kind(d) {
        Kind::Pointer | Kind::Slice | Kind::Map | Kind::Func | Kind::Interface | Kind::Chan => true,
        Kind::Array => d.len > 0 && has_pointers(elem(d), memo),
        Kind::Struct => fields(d).iter().any(|f| has_pointers(field_type(d, f), memo)),
        _ => false,
    };
    memo.insert(addr_of(d), v);
    v
}

/// An open file of Go's `os` (an `os.file`, what every `*os.File` points
/// to) other than the standard streams: its descriptor is the sending
/// process's, so it cannot travel (docs/split.md, "os at a hop"). The
/// standard streams travel: descriptors 0, 1 and 2 are the flow's own
/// streams on every nanoservice, whose output the runtime forwards to the
/// origin. A closed file (descriptor -1) travels too.
fn open_file(d: Desc, p: *const u8) -> Option<String> {
    if name(d) != b"os.file" {
        return None;
    }
    // SAFETY: `p` points to an `os.file`.
    let (fd, file_name) = unsafe { (poll_fd(d, p)?, string_field(d, p, b"name")) };
    if fd <= 2 {
        return None;
    }
    Some(format!(
        "an open *os.File ({}, descriptor {fd}) cannot travel between nanoservices: its descriptor is this process's; close it before the hop and open it again after",
        String::from_utf8_lossy(file_name)
    ))
}

/// The descriptor of the value at `p` of type `d` whose field `pfd` is an
/// `internal/poll.FD` (an `os.file`, a `net.netFD`): its `Sysfd`, read by
/// the descriptors' offsets.
///
/// # Safety
/// `p` points to a value of type `d`.
unsafe fn poll_fd(d: Desc, p: *const u8) -> Option<i64> {
    let pfd = field_named(d, b"pfd")?;
    let sysfd = field_named(field_type(d, pfd), b"Sysfd")?;
    // SAFETY: `pfd.Sysfd` is an int at these offsets by the descriptors.
    Some(unsafe { types::read_uint(p.add((pfd.offset + sysfd.offset) as usize), 8) } as i64)
}

/// The bytes of string field `wanted` of the value at `p` of type `d`
/// (empty when it has none).
///
/// # Safety
/// `p` points to a value of type `d`.
unsafe fn string_field(d: Desc, p: *const u8, wanted: &[u8]) -> &'static [u8] {
    field_named(d, wanted).map_or(&b""[..], |f| {
        // SAFETY: a string field of the value at `p`, by its descriptor.
        go_str(unsafe { p.add(f.offset as usize).cast::<g2n_abi::GoString>().read() })
    })
}

fn field_named(d: Desc, wanted: &[u8]) -> Option<&'static g2n_abi::FieldDesc> {
    fields(d).iter().find(|f| go_str(f.name) == wanted)
}

/// An open socket of Go's `net` (a `net.netFD`, what every `net.Conn`,
/// `net.Listener` and `net.PacketConn` of the system's network points to):
/// like an open file, its descriptor is the sending process's, and the
/// connection's other end is talking to this process (docs/split.md, "net
/// at a hop"). A closed one (descriptor -1) travels; using it after the hop
/// gives Go's `use of closed network connection`.
fn open_socket(d: Desc, p: *const u8) -> Option<String> {
    if name(d) != b"net.netFD" {
        return None;
    }
    // SAFETY: `p` points to a `net.netFD`.
    let (fd, network) = unsafe { (poll_fd(d, p)?, string_field(d, p, b"net")) };
    if fd < 0 {
        return None;
    }
    Some(format!(
        "an open {} socket (descriptor {fd}) cannot travel between nanoservices: it is this process's; close it before the hop and dial or listen again after",
        String::from_utf8_lossy(network)
    ))
}

/// A child process of Go's `os` (an `os.Process`, what `os.StartProcess`
/// and `exec.Cmd.Start` make) not waited for yet: the child is the sending
/// process's, and its pid means nothing, or another process, elsewhere
/// (docs/split.md, "Subprocesses at a hop"). One waited for travels.
fn running_process(d: Desc, p: *const u8) -> Option<String> {
    if name(d) != b"os.Process" {
        return None;
    }
    let field = |wanted: &[u8]| field_named(d, wanted).map(|f| f.offset as usize);
    // SAFETY: `p` points to an `os.Process`, whose `Pid` (an int) and
    // `isdone` (a uint32) are at these offsets by its descriptor.
    let (pid, done) = unsafe { (types::read_uint(p.add(field(b"Pid")?), 8) as i64, types::read_uint(p.add(field(b"isdone")?), 4)) };
    (pid > 0 && done == 0).then(|| {
        format!(
            "a started *os.Process (pid {pid}) cannot travel between nanoservices: the child belongs to this process; Wait for it before the hop"
        )
    })
}

/// Package reflect's (and internal/reflectlite's) types whose values name the sender's type descriptors
/// or memory: `reflect.Value`, and `*reflect.rtype`, the dynamic type of
/// every `reflect.Type`.
fn reflect_type(d: Desc) -> Option<&'static str> {
    match name(d) {
        b"reflect.Value" => Some("reflect.Value"),
        b"*reflect.rtype" => Some("reflect.Type"),
        // internal/reflectlite's (errors and sort use it) are the same.
        b"reflectlite.Value" => Some("reflectlite.Value"),
        b"*reflectlite.rtype" => Some("reflectlite.Type"),
        _ => None,
    }
}
