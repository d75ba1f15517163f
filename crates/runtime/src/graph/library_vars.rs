//! Objects held by library package variables that do not travel
//! ([`g2n_abi::ProgramTable::library_vars`]): io.EOF's `*errors.errorString`,
//! a sentinel error, a `*unicode.RangeTable`, a registry map. Such an object
//! reached at a hop travels as "the object variable PKG.NAME holds at this
//! word", never by value, and the receiver resolves it to what its own
//! variable holds, so library code downstream that compares with its
//! variable (`if err == EOF`) finds the same object (docs/split.md,
//! "Package-level variables").
//!
//! Only the objects a variable holds directly are found: through a pointer,
//! a slice's backing array, a map or an interface holding a pointer or a
//! map, at any offset of the variable (its struct fields and short arrays).

use super::registry::{addr_of, desc, registry, same_type};
use super::text;
use crate::types::{self, Desc, desc_of_tag, elem, field_type, fields, kind};
use g2n_abi::Kind;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The longest array of a library variable whose elements are looked into
/// (`[256]*T` tables would cost every hop that carries a pointer).
const MAX_ARRAY: u64 = 16;

/// A word of a library variable that may hold an object.
#[derive(Clone, Copy)]
pub(super) struct HeldSlot {
    /// Byte offset of the word (for an interface: of its type word).
    pub(super) off: u64,
    pub(super) kind: SlotKind,
}

#[derive(Clone, Copy)]
pub(super) enum SlotKind {
    Pointer(usize),
    Slice(usize),
    Map(usize),
    Interface,
}

pub(super) struct LibraryVar {
    pub(super) name: &'static [u8],
    pub(super) addr: usize,
    pub(super) slots: Vec<HeldSlot>,
    /// Assigned only by its initialiser: what it holds is fixed once the
    /// packages are initialised.
    pub(super) fixed: bool,
}

/// What a slot holds now: an object's address, its type (the element type,
/// or for a map the map type) and count, and whether it is a map.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct HeldObject {
    pub(super) addr: usize,
    pub(super) desc: usize,
    pub(super) count: u64,
    pub(super) map: bool,
}

/// The slots of a variable of type `d`.
pub(super) fn slots_of(d: Desc) -> Vec<HeldSlot> {
    let mut slots = Vec::new();
    collect(d, 0, 0, &mut slots);
    slots
}

fn collect(d: Desc, off: u64, depth: u32, out: &mut Vec<HeldSlot>) {
    if depth > 8 {
        return;
    }
    match kind(d) {
        Kind::Pointer => out.push(HeldSlot { off, kind: SlotKind::Pointer(addr_of(elem(d))) }),
        Kind::Slice => out.push(HeldSlot { off, kind: SlotKind::Slice(addr_of(elem(d))) }),
        Kind::Map => out.push(HeldSlot { off, kind: SlotKind::Map(addr_of(d)) }),
        Kind::Interface => out.push(HeldSlot { off, kind: SlotKind::Interface }),
        Kind::Struct => {
            for f in fields(d) {
                collect(field_type(d, f), off + f.offset, depth + 1, out);
            }
        }
        Kind::Array if d.len <= MAX_ARRAY => {
            let e = elem(d);
            for i in 0..d.len {
                collect(e, off + i * e.size, depth + 1, out);
            }
        }
        _ => {}
    }
}

impl LibraryVar {
    /// What slot `s` of the variable holds now (None: nil, or nothing the
    /// graph refers to by identity: a value boxed in an interface).
    pub(super) fn held(&self, s: HeldSlot) -> Option<HeldObject> {
        let p = (self.addr + s.off as usize) as *const u8;
        // SAFETY: the slot lies in the variable's static storage, laid out
        // as its descriptor says (`slots_of`).
        unsafe {
            match s.kind {
                SlotKind::Pointer(e) => {
                    let q = types::read_uint(p, 8) as usize;
                    (q != 0).then_some(HeldObject { addr: q, desc: e, count: 1, map: false })
                }
                SlotKind::Slice(e) => {
                    let sl = types::read_slice(p);
                    (!sl.ptr.is_null() && sl.cap > 0).then_some(HeldObject { addr: sl.ptr as usize, desc: e, count: sl.cap as u64, map: false })
                }
                SlotKind::Map(m) => {
                    let q = types::read_uint(p, 8) as usize;
                    (q != 0).then_some(HeldObject { addr: q, desc: m, count: 0, map: true })
                }
                SlotKind::Interface => {
                    let a = types::read_any(p);
                    let dd = desc_of_tag(a.tag)?;
                    match kind(dd) {
                        Kind::Pointer if a.word0 != 0 => {
                            Some(HeldObject { addr: a.word0 as usize, desc: addr_of(elem(dd)), count: 1, map: false })
                        }
                        Kind::Map if a.word0 != 0 => Some(HeldObject { addr: a.word0 as usize, desc: addr_of(dd), count: 0, map: true }),
                        _ => None,
                    }
                }
            }
        }
    }
}

/// Where a sender's object is held: the variable (index in the registry's
/// list), the slot's offset, and the object.
#[derive(Clone, Copy)]
pub(super) struct Holder {
    pub(super) var: usize,
    pub(super) off: u64,
    pub(super) object: HeldObject,
}

/// The sender's index of what the fixed library variables hold (those
/// assigned only by their initialisers), by address: built at the first hop
/// that reaches a heap object or map (all packages are initialised by then)
/// and kept for the program.
#[derive(Default)]
struct Index {
    registry: usize,
    by_addr: Rc<HashMap<usize, Holder>>,
}

thread_local! {
    static INDEX: RefCell<Index> = RefCell::new(Index::default());
}

/// What library variables hold now, for one hop: the fixed variables'
/// index, and what the others (assigned after their initialisation, or
/// whose address is taken: few) hold, read now.
pub(super) fn holders() -> HeldLookup {
    let reg = registry();
    let by_addr = INDEX.with(|cell| {
        let mut index = cell.borrow_mut();
        let key = reg as *const _ as usize;
        if index.registry != key {
            let mut by_addr = HashMap::new();
            for (i, v) in reg.library_vars.iter().enumerate().filter(|(_, v)| v.fixed) {
                for s in &v.slots {
                    if let Some(object) = v.held(*s) {
                        // The first holder names an object two variables hold.
                        by_addr.entry(object.addr).or_insert(Holder { var: i, off: s.off, object });
                    }
                }
            }
            *index = Index { registry: key, by_addr: Rc::new(by_addr) };
        }
        Rc::clone(&index.by_addr)
    });
    let mut changing = Vec::new();
    for &i in &reg.changing_library_vars {
        let v = &reg.library_vars[i];
        for s in &v.slots {
            if let Some(object) = v.held(*s) {
                changing.push(Holder { var: i, off: s.off, object });
            }
        }
    }
    HeldLookup { by_addr, changing }
}

/// A hop's view of the held objects.
pub(super) struct HeldLookup {
    by_addr: Rc<HashMap<usize, Holder>>,
    changing: Vec<Holder>,
}

impl HeldLookup {
    /// The holder of the object of type `d` (`count` values; a map: its map
    /// type) at `addr`, if a library variable holds exactly that.
    pub(super) fn find(&self, addr: usize, d: Desc, count: u64, map: bool) -> Option<Holder> {
        let h = match self.by_addr.get(&addr) {
            Some(h) => h,
            None => self.changing.iter().find(|h| h.object.addr == addr)?,
        };
        (h.object.map == map && h.object.count == count && same_type(desc(h.object.desc), d)).then_some(*h)
    }
}

/// The receiver: the object that library variable `name` holds at slot
/// offset `off`, which must be of type `want` (`count` values; a map: its
/// map type): resolved when the graph is materialized, so that it is what
/// the variable holds then.
pub(super) fn resolve(var: usize, off: u64, want: Desc, count: u64, map: bool) -> Result<usize, String> {
    let v = &registry().library_vars[var];
    let slot = v.slots.iter().find(|s| s.off == off).ok_or_else(|| format!("package-level variable {} has no reference at byte {off}", text(v.name)))?;
    match v.held(*slot) {
        Some(h) if h.map == map && h.count == count && same_type(desc(h.desc), want) => Ok(h.addr),
        _ => Err(format!(
            "package-level variable {} does not hold the {} it held on the sender (each host keeps its own; it was assigned on one of them)",
            text(v.name),
            text(crate::types::name(want))
        )),
    }
}

/// The receiver's check: variable `name` exists here and has a reference
/// at `off`.
pub(super) fn lookup(name: &[u8], off: u64) -> Result<usize, String> {
    let reg = registry();
    let var = *reg.library_var_by_name.get(name).ok_or_else(|| format!("unknown package-level variable {}", text(name)))?;
    if !reg.library_vars[var].slots.iter().any(|s| s.off == off) {
        return Err(format!("package-level variable {} has no reference at byte {off}", text(name)));
    }
    Ok(var)
}
