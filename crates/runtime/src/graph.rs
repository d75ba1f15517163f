//! Scope graphs (docs/protocol.md, "Scope graph"): the values of a scope that
//! are not plain bool/int/float/string travel as one graph per handoff. Every
//! heap object the scope reaches is encoded once and referred to by its
//! object id, so sharing (two slices of one array, two pointers to one
//! struct, a map reachable twice, cycles, closures and the cells they
//! capture) is the same after the hop.
//!
//! Encoding (sender) reads Go memory through the run-time type descriptors.
//! Decoding (receiver) is type-directed and happens twice: [`check`] runs in
//! the server before the handoff is acknowledged and validates every tag,
//! length, reference and type against the receiver's own descriptors, without
//! touching Go memory; [`Received::materialize`] then builds the objects in
//! collected memory when generated code first asks for a value. Only checked
//! bytes are ever materialized, so compiled code never sees an ill-typed value.
//!
//! Types, functions and package-level variables are named on the wire (never
//! by address): the receiver resolves each name in its [`Registry`], which
//! generated C `main` fills from the program's [`ProgramTable`].

use crate::ffi::{bytes, go_string_from};
use crate::types::{self, Desc, desc_of_tag, elem, field_type, fields, kind, name};
use g2n_abi::{FuncEntry, GlobalEntry, GoAny, GoString, Kind, ProgramTable, TypeDesc, TypeEntry, TypeTag};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Deepest nesting of values stored inline (structs, arrays, interfaces);
/// objects reached through pointers do not count.
const MAX_DEPTH: u32 = 512;
/// Most elements of one object whose type has size 0.
const MAX_ZERO_SIZED: u64 = 1 << 20;
/// Most bytes of Go memory that one received scope may allocate.
const MAX_MATERIALIZED: u64 = 1 << 30;

// ---------------------------------------------------------------------------
// The registry.

struct FuncInfo {
    name: &'static [u8],
    code: usize,
    object: usize,
    signature: &'static [u8],
    captures: Vec<usize>,
}

struct GlobalInfo {
    name: &'static [u8],
    addr: usize,
    desc: usize,
}

/// What the receiver knows of its own program, by name.
#[derive(Default)]
pub struct Registry {
    types: HashMap<&'static [u8], usize>,
    wire_names: HashMap<usize, &'static [u8]>,
    underlying: HashMap<usize, &'static [u8]>,
    funcs: Vec<FuncInfo>,
    func_by_name: HashMap<&'static [u8], usize>,
    func_by_code: HashMap<usize, usize>,
    func_by_object: HashMap<usize, usize>,
    /// Sorted by address.
    globals: Vec<GlobalInfo>,
    global_by_name: HashMap<&'static [u8], usize>,
}

static REGISTRY: OnceLock<Registry> = OnceLock::new();

fn desc(addr: usize) -> Desc {
    // SAFETY: registry addresses are static descriptors by the ABI.
    unsafe { &*(addr as *const TypeDesc) }
}

fn addr_of(d: Desc) -> usize {
    d as *const TypeDesc as usize
}

fn static_str(s: GoString) -> &'static [u8] {
    types::go_str(s)
}

unsafe fn table<'a, T>(ptr: *const T, n: u64) -> &'a [T] {
    if ptr.is_null() || n == 0 {
        return &[];
    }
    // SAFETY: guaranteed by the caller (the ABI).
    unsafe { std::slice::from_raw_parts(ptr, n as usize) }
}

/// Registers the program's tables (once per process; later calls are ignored).
///
/// # Safety
/// `t` must point to a [`ProgramTable`] whose arrays and descriptors are static.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn g2n_register_program(t: *const ProgramTable) {
    if t.is_null() {
        return;
    }
    crate::ffi::guard(|| {
        // SAFETY: guaranteed by the caller.
        let t = unsafe { &*t };
        let mut r = Registry::default();
        // SAFETY: static arrays by the ABI.
        let type_entries: &[TypeEntry] = unsafe { table(t.types, t.ntypes) };
        for e in type_entries {
            if e.desc.is_null() {
                continue;
            }
            let d = e.desc as usize;
            let wire = static_str(e.wire_name);
            r.types.entry(wire).or_insert(d);
            r.wire_names.insert(d, wire);
            r.underlying.insert(d, static_str(e.underlying));
        }
        for (name, d) in crate::stdlib::runtime_made_types() {
            let d = d as *const TypeDesc as usize;
            r.types.entry(name.as_bytes()).or_insert(d);
            r.wire_names.entry(d).or_insert(name.as_bytes());
            r.underlying.entry(d).or_insert(name.as_bytes());
        }
        // SAFETY: as above.
        let func_entries: &[FuncEntry] = unsafe { table(t.funcs, t.nfuncs) };
        for e in func_entries {
            // SAFETY: as above.
            let captures = unsafe { table(e.captures, e.ncaptures) }.iter().map(|d| *d as usize).collect();
            let index = r.funcs.len();
            let info = FuncInfo {
                name: static_str(e.name),
                code: e.code as usize,
                object: e.object as usize,
                signature: static_str(e.signature),
                captures,
            };
            r.func_by_name.insert(info.name, index);
            if info.code != 0 {
                r.func_by_code.insert(info.code, index);
            }
            if info.object != 0 {
                r.func_by_object.insert(info.object, index);
            }
            r.funcs.push(info);
        }
        // SAFETY: as above.
        let global_entries: &[GlobalEntry] = unsafe { table(t.globals, t.nglobals) };
        let mut globals: Vec<GlobalInfo> = global_entries
            .iter()
            .filter(|g| !g.desc.is_null() && !g.addr.is_null())
            .map(|g| GlobalInfo { name: static_str(g.name), addr: g.addr as usize, desc: g.desc as usize })
            .collect();
        globals.sort_by_key(|g| g.addr);
        for (i, g) in globals.iter().enumerate() {
            r.global_by_name.insert(g.name, i);
        }
        r.globals = globals;
        let _ = REGISTRY.set(r);
    })
}

fn registry() -> &'static Registry {
    static EMPTY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get().unwrap_or_else(|| EMPTY.get_or_init(Registry::default))
}

/// The receiver's descriptor of a type named on the wire or in its unit
/// descriptor.
pub fn resolve_type(type_name: &[u8]) -> Option<Desc> {
    registry().types.get(type_name).map(|d| desc(*d))
}

fn same_type(a: Desc, b: Desc) -> bool {
    std::ptr::eq(a, b) || (a.kind == b.kind && a.size == b.size && wire_name(a) == wire_name(b))
}

/// The name a type travels under (unique in the program).
pub fn wire_name(d: Desc) -> &'static [u8] {
    registry().wire_names.get(&addr_of(d)).copied().unwrap_or_else(|| name(d))
}

fn underlying_name(d: Desc) -> &'static [u8] {
    registry().underlying.get(&addr_of(d)).copied().unwrap_or_else(|| name(d))
}

fn text(b: &[u8]) -> String {
    crate::scope::sanitize(&String::from_utf8_lossy(b))
}

/// Whether a value of type `want` (or `count` consecutive ones) lies at byte
/// `off` of `n` consecutive values of type `d`.
fn locate(mut d: Desc, mut n: u64, mut off: u64, want: Desc, count: u64) -> bool {
    for _ in 0..MAX_DEPTH {
        let size = d.size;
        if same_type(d, want) {
            if size == 0 {
                return off == 0 && count <= n;
            }
            return off % size == 0 && off / size + count <= n;
        }
        if size == 0 {
            return false;
        }
        let i = off / size;
        if i >= n {
            return false;
        }
        let r = off - i * size;
        match kind(d) {
            Kind::Array => {
                n = d.len;
                d = elem(d);
                off = r;
            }
            Kind::Struct => {
                let Some(f) = fields(d).iter().find(|f| {
                    let fs = field_type(d, f).size;
                    fs > 0 && f.offset <= r && r < f.offset + fs
                }) else {
                    return false;
                };
                off = r - f.offset;
                d = field_type(d, f);
                n = 1;
            }
            _ => return false,
        }
    }
    false
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

fn is_byte(d: Desc) -> bool {
    matches!(kind(d), Kind::Uint8 | Kind::Int8)
}

// ---------------------------------------------------------------------------
// Wire primitives.

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Bytes of a `[N]byte` or `[]byte` backing array, run-length encoded: a
/// varint `h`, then `h >> 1` literal bytes when `h` is even, or when it is
/// odd one byte repeated `h >> 1` times; until the length is reached.
fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    let mut i = 0;
    let mut lit_start = 0;
    while i < b.len() {
        let mut j = i + 1;
        while j < b.len() && b[j] == b[i] {
            j += 1;
        }
        if j - i >= 8 {
            if lit_start < i {
                put_varint(out, ((i - lit_start) as u64) << 1);
                out.extend_from_slice(&b[lit_start..i]);
            }
            put_varint(out, (((j - i) as u64) << 1) | 1);
            out.push(b[i]);
            lit_start = j;
        }
        i = j;
    }
    if lit_start < b.len() {
        put_varint(out, ((b.len() - lit_start) as u64) << 1);
        out.extend_from_slice(&b[lit_start..]);
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn left(&self) -> usize {
        self.data.len() - self.pos
    }
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.data.get(self.pos).ok_or("scope graph ends early")?;
        self.pos += 1;
        Ok(b)
    }
    fn take(&mut self, n: u64) -> Result<&'a [u8], String> {
        if n > self.left() as u64 {
            return Err("scope graph ends early".into());
        }
        let s = &self.data[self.pos..self.pos + n as usize];
        self.pos += n as usize;
        Ok(s)
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                if shift == 63 && b > 1 {
                    return Err("scope graph has an overlong number".into());
                }
                return Ok(v);
            }
        }
        Err("scope graph has an overlong number".into())
    }
    /// `n` bytes from [`put_bytes`]'s encoding, copied to `out` unless null.
    fn bytes(&mut self, n: u64, out: *mut u8) -> Result<(), String> {
        let mut done: u64 = 0;
        while done < n {
            let h = self.varint()?;
            let run = h >> 1;
            if run == 0 || run > n - done {
                return Err("scope graph has a bad byte run".into());
            }
            if h & 1 == 0 {
                let b = self.take(run)?;
                if !out.is_null() {
                    // SAFETY: the caller's `out` has room for `n` bytes.
                    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), out.add(done as usize), b.len()) };
                }
            } else {
                let b = self.byte()?;
                if !out.is_null() {
                    // SAFETY: as above.
                    unsafe { std::ptr::write_bytes(out.add(done as usize), b, run as usize) };
                }
            }
            done += run;
        }
        Ok(())
    }

    fn index(&mut self, len: usize, what: &str) -> Result<usize, String> {
        let v = self.varint()?;
        if v >= len as u64 {
            return Err(format!("scope graph refers to {what} {v} of {len}"));
        }
        Ok(v as usize)
    }
}

// ---------------------------------------------------------------------------
// Encoding.

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
}

impl Encoder {
    fn add_region(&mut self, addr: usize, d: Desc, count: u64) {
        let key = (addr, addr_of(d), count);
        if self.region_ids.contains_key(&key) {
            return;
        }
        self.region_ids.insert(key, self.regions.len());
        self.regions.push(Region { addr, desc: addr_of(d), count });
        if has_pointers(d, &mut self.pointers) {
            self.work.push(self.regions.len() - 1);
        }
    }

    fn add_map(&mut self, m: usize, d: Desc) -> Result<(), String> {
        if self.maps.contains_key(&m) {
            return Ok(());
        }
        self.maps.insert(m, self.map_list.len());
        self.map_list.push((m, addr_of(d)));
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
        if !has_pointers(d, &mut self.pointers) {
            return Ok(());
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
        for (i, r) in self.regions.iter().enumerate() {
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
            self.objects.push(Obj::Map { map: m, desc: d });
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
            same_type(desc(r.desc), fd) && (r.addr - start) as u64 % fd.size == 0
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
                } else {
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

// ---------------------------------------------------------------------------
// Checking and materializing.

#[derive(Clone, Copy, Debug)]
enum ObjInfo {
    Mem { desc: usize, count: u64, start: usize },
    Map { desc: usize, count: u64, start: usize },
    Func { func: usize, start: usize },
    Global { index: usize },
    Chan { desc: usize, cap: u64, closed: bool, count: u64, start: usize },
}

/// What a reference must point to, checked once every object is known.
enum Want {
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
    data: Vec<u8>,
    objects: Vec<ObjInfo>,
    /// Per graph variable: its type, whether it is a cell, where its value starts.
    slots: Vec<(Desc, bool, usize)>,
    /// Collector-scanned, never-collected table of object addresses (and one
    /// scratch word), once materialized.
    roots: *mut usize,
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

struct Decoder<'a> {
    r: Reader<'a>,
    types: Vec<usize>,
    funcs: Vec<usize>,
    globals: Vec<usize>,
    objects: Vec<ObjInfo>,
    wants: Vec<(usize, u64, Want)>,
    /// Materializing: object addresses (the root table); None while checking.
    addrs: Option<*mut usize>,
    allocated: u64,
    nobjects: usize,
}

impl Decoder<'_> {
    fn obj_ref(&mut self, want: Want, nil_ok: bool, shift: u64) -> Result<Option<(usize, u64)>, String> {
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
            self.wants.push((obj as usize, off, want));
        }
        Ok(Some((obj as usize, off)))
    }

    fn objects_len(&self) -> usize {
        // Objects are counted up front, so references may point forward.
        self.nobjects
    }

    fn addr(&self, obj: usize, off: u64) -> usize {
        // SAFETY: the root table has one word per object.
        let base = unsafe { self.addrs.unwrap_or(std::ptr::null_mut()).add(obj).read() };
        base + off as usize
    }

    /// Reads (and when materializing, writes to `out`) a value of type `d`.
    fn value(&mut self, d: Desc, out: *mut u8, depth: u32) -> Result<(), String> {
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
                    } else {
                        if e.size == 0 && d.len > MAX_ZERO_SIZED {
                            return Err("scope graph has too many zero-sized values".into());
                        }
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
                        return Err(format!("scope graph has {} in {}: missing method {}", text(name(dd)), text(name(d)), text(m)));
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
    fn scratch(&self, p: usize) {
        if let Some(addrs) = self.addrs {
            // SAFETY: the root table has one scratch word after the objects.
            unsafe { addrs.add(self.objects.len()).write(p) };
        }
    }

    fn header(&mut self) -> Result<(), String> {
        let reg = registry();
        for what in 0..3 {
            let n = self.r.varint()?;
            if n > self.r.left() as u64 {
                return Err("scope graph ends early".into());
            }
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

    fn objects(&mut self) -> Result<(), String> {
        let n = self.r.varint()?;
        if n > self.r.left() as u64 {
            return Err("scope graph ends early".into());
        }
        self.objects = Vec::with_capacity(n as usize);
        self.nobjects = n as usize;
        for _ in 0..n {
            let kind_byte = self.r.byte()?;
            let info = match kind_byte {
                0 => {
                    let t = self.r.index(self.types.len(), "type")?;
                    let d = desc(self.types[t]);
                    let count = self.r.varint()?;
                    let limit = if d.size == 0 {
                        MAX_ZERO_SIZED
                    } else if is_byte(d) {
                        MAX_MATERIALIZED
                    } else {
                        self.r.left() as u64
                    };
                    if count > limit {
                        return Err(format!("scope graph has an object of {count} values in {} bytes", self.r.left()));
                    }
                    self.allocated = self.allocated.saturating_add(d.size.saturating_mul(count));
                    let start = self.r.pos;
                    if is_byte(d) {
                        self.r.bytes(count, std::ptr::null_mut())?;
                    } else {
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
                    self.allocated = self.allocated.saturating_add((kd.size + vd.size + 16).saturating_mul(count));
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
                        self.allocated += 8 * (1 + info.captures.len() as u64);
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
                    if cap.saturating_mul(e.size.max(1)) > MAX_MATERIALIZED {
                        return Err(format!("scope graph has a channel of capacity {cap}"));
                    }
                    let closed = match self.r.byte()? {
                        0 => false,
                        1 => true,
                        b => return Err(format!("scope graph has a channel closed flag {b}")),
                    };
                    let count = self.r.varint()?;
                    if count > cap || count > self.r.left() as u64 {
                        return Err(format!("scope graph has a channel of capacity {cap} holding {count} values"));
                    }
                    self.allocated = self.allocated.saturating_add(e.size.saturating_mul(cap).saturating_add(64));
                    let start = self.r.pos;
                    for _ in 0..count {
                        self.value(e, std::ptr::null_mut(), 0)?;
                    }
                    ObjInfo::Chan { desc: addr_of(d), cap, closed, count, start }
                }
                b => return Err(format!("scope graph has object kind {b}")),
            };
            self.objects.push(info);
        }
        if self.allocated > MAX_MATERIALIZED {
            return Err(format!("scope graph would allocate {} bytes", self.allocated));
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

/// Checks a received scope graph against the entry's graph variables, before
/// any generated code runs. Every name must resolve in this program, every
/// value match its type, and every reference an object of the right type.
pub fn check(slots: &[Slot], data: Vec<u8>) -> Result<Received, String> {
    let mut d = Decoder {
        r: Reader { data: &data, pos: 0 },
        types: Vec::new(),
        funcs: Vec::new(),
        globals: Vec::new(),
        objects: Vec::new(),
        wants: Vec::new(),
        addrs: None,
        allocated: 0,
        nobjects: 0,
    };
    if slots.is_empty() {
        if !data.is_empty() {
            return Err("a scope graph for an entry without graph variables".into());
        }
        return Ok(Received { data: Vec::new(), objects: Vec::new(), slots: Vec::new(), roots: std::ptr::null_mut() });
    }
    d.header()?;
    d.objects()?;
    let mut starts = Vec::new();
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
    d.check_wants()?;
    let objects = std::mem::take(&mut d.objects);
    drop(d);
    Ok(Received { data, objects, slots: starts, roots: std::ptr::null_mut() })
}

impl Received {
    fn decoder(&self) -> Decoder<'_> {
        Decoder {
            r: Reader { data: &self.data, pos: 0 },
            types: Vec::new(),
            funcs: Vec::new(),
            globals: Vec::new(),
            objects: self.objects.clone(),
            wants: Vec::new(),
            addrs: Some(self.roots),
            allocated: 0,
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
        for (i, o) in self.objects.clone().into_iter().enumerate() {
            let base = d.addr(i, 0);
            match o {
                ObjInfo::Mem { desc: t, count, start } => {
                    d.r.pos = start;
                    let t = desc(t);
                    if is_byte(t) {
                        d.r.bytes(count, base as *mut u8)?;
                    } else {
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
                ObjInfo::Global { .. } => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::value_tests::{basic, gs, iface, raw_desc, slice_of, strukt};
    use g2n_abi::{FieldDesc, TypeDesc};

    /// `type Node struct { V int; Next *Node }`, `[]int`, `any`, `string`, registered.
    fn types() -> (Desc, Desc, Desc, Desc) {
        let int = basic(Kind::Int, "int");
        let string = basic(Kind::String, "string");
        let ptr: *mut TypeDesc = Box::leak(Box::new(raw_desc(Kind::Pointer, 8, "*main.Node")));
        // SAFETY: leaked, so valid forever; patched once before any use.
        let node: Desc = Box::leak(Box::new(strukt("main.Node", &[("V", int), ("Next", unsafe { &*ptr })])));
        unsafe { (*ptr).elem = node };
        let ptr: Desc = unsafe { &*ptr };
        let ints = slice_of(int, "[]int");
        let any = iface("interface {}");
        let entries: Vec<TypeEntry> = [int, string, ptr, node, ints, any]
            .iter()
            .map(|d| TypeEntry { desc: *d, underlying: d.name, wire_name: d.name })
            .collect();
        let entries = Box::leak(entries.into_boxed_slice());
        let table = Box::leak(Box::new(ProgramTable {
            types: entries.as_ptr(),
            ntypes: entries.len() as u64,
            funcs: std::ptr::null(),
            nfuncs: 0,
            globals: std::ptr::null(),
            nglobals: 0,
        }));
        // SAFETY: a static table of static descriptors.
        unsafe { g2n_register_program(table) };
        let _ = (FieldDesc { name: gs(""), ty: int, offset: 0, embedded: 0 }, string);
        // The registry keeps the first registration: use its descriptors.
        (resolve_type(b"*main.Node").unwrap(), resolve_type(b"[]int").unwrap(), resolve_type(b"interface {}").unwrap(), node)
    }

    fn alloc(n: u64) -> *mut u8 {
        crate::memory::g2n_alloc(n as i64)
    }

    /// A two-node ring, a slice and a subslice of it, a string in an `any`.
    fn sample() -> (Vec<u8>, Vec<Slot>) {
        let (ptr, ints, any, _) = types();
        // SAFETY: fresh memory laid out as the descriptors say.
        unsafe {
            let (a, b) = (alloc(16), alloc(16));
            a.cast::<[usize; 2]>().write([1, b as usize]);
            b.cast::<[usize; 2]>().write([2, a as usize]);
            let arr = alloc(24);
            arr.cast::<[i64; 3]>().write([10, 20, 30]);
            let s = [arr as u64, 3, 3];
            let t = [arr as u64 + 8, 2, 2];
            let text = "hi";
            let v = GoAny { tag: TypeTag::String as u64, word0: text.as_ptr() as u64, word1: 2 };
            let head = a as usize;
            let roots = [
                Root { desc: ptr, cell: false, ptr: (&head as *const usize).cast() },
                Root { desc: ints, cell: false, ptr: s.as_ptr().cast() },
                Root { desc: ints, cell: false, ptr: t.as_ptr().cast() },
                Root { desc: any, cell: false, ptr: (&v as *const GoAny).cast() },
            ];
            let (data, stats) = encode(&roots).unwrap();
            assert_eq!(stats.objects, 3, "two nodes and one backing array");
            let slots = roots.iter().map(|r| Slot { desc: r.desc, cell: false }).collect();
            (data, slots)
        }
    }

    #[test]
    fn sharing_and_cycles_survive_a_round_trip() {
        let (data, slots) = sample();
        let Ok(mut r) = check(&slots, data) else { panic!("the sample graph checks") };
        let mut head = 0usize;
        let (mut s, mut t) = ([0u64; 3], [0u64; 3]);
        let mut v = GoAny { tag: 0, word0: 0, word1: 0 };
        r.load(0, slots[0].desc, false, (&mut head as *mut usize).cast()).unwrap();
        r.load(1, slots[1].desc, false, s.as_mut_ptr().cast()).unwrap();
        r.load(2, slots[2].desc, false, t.as_mut_ptr().cast()).unwrap();
        r.load(3, slots[3].desc, false, (&mut v as *mut GoAny).cast()).unwrap();
        // SAFETY: materialized as the descriptors say.
        unsafe {
            let a = (head as *const [usize; 2]).read();
            let b = (a[1] as *const [usize; 2]).read();
            assert_eq!((a[0], b[0], b[1]), (1, 2, head), "the ring is a ring again");
            assert_eq!((s[1], s[2], t[0], t[1], t[2]), (3, 3, s[0] + 8, 2, 2), "t still aliases s");
            assert_eq!((s[0] as *const [i64; 3]).read(), [10, 20, 30]);
            assert_eq!(bytes(v.word0 as *const u8, v.word1 as i64), b"hi");
        }
        assert!(r.load(1, slots[0].desc, false, (&mut head as *mut usize).cast()).is_err(), "wrong type");
    }

    #[test]
    fn hostile_graphs_are_refused_not_crashed_on() {
        let (data, slots) = sample();
        for cut in 0..data.len() {
            assert!(check(&slots, data[..cut].to_vec()).is_err(), "cut at {cut}");
        }
        let mut out = [0u64; 8];
        for i in 0..data.len() {
            for flip in [0x01u8, 0x02, 0x10, 0x80, 0xFF] {
                let mut bad = data.clone();
                bad[i] ^= flip;
                // Whatever passes the check is well-typed: materializing it is safe.
                if let Ok(mut r) = check(&slots, bad) {
                    for (k, s) in slots.iter().enumerate() {
                        r.load(k, s.desc, false, out.as_mut_ptr().cast()).unwrap();
                    }
                }
            }
        }
        let mut long = data.clone();
        long.push(0);
        assert!(check(&slots, long).err().unwrap_or_default().contains("trailing"));
    }
}
