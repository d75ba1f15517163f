//! Scopes: the values that travel with a flow, indexed by slot (the position of
//! the variable in the entry's or exit's list in the unit descriptor).
//!
//! Generated code sees a scope only as an opaque pointer. Names and types live
//! in the descriptor, so a scope stores just the values; they are checked
//! against the descriptor when a handoff is sent and when one is received.

use crate::graph::{self, CheckError, GraphBudget, GraphStats, Received};
use crate::types::Desc;
use crate::wire::WireValue;
use g2n_abi::{ScopeVar, TypeTag};

/// Slots beyond this are a compiler bug, not a reason to allocate gigabytes.
pub const MAX_SLOTS: u32 = 1 << 16;

#[derive(Default)]
pub struct Scope {
    pub slots: Vec<Option<WireValue>>,
    /// Set on the scope the runtime passes to the unit entry: the runtime owns
    /// and frees it, so `g2n_go_to_network` must not free it if generated code
    /// passes it on by mistake.
    pub(crate) runtime_owned: bool,
    /// Graph values put by generated code, by slot, until the handoff
    /// encodes them together.
    pending: Vec<Option<Pending>>,
    /// A received scope's checked graph and the index of each slot's value
    /// among the graph variables.
    received: Option<(Received, Vec<Option<usize>>)>,
}

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope").field("slots", &self.slots).field("runtime_owned", &self.runtime_owned).finish()
    }
}

/// A graph value waiting for the handoff: a copy of the value (or, for a
/// cell, the storage's address) in never-collected memory that the collector
/// scans, so that what it reaches stays alive however long the handoff takes.
struct Pending {
    desc: Desc,
    cell: bool,
    holder: *mut u8,
}

impl Drop for Pending {
    fn drop(&mut self) {
        // SAFETY: from malloc_root, owned by this value.
        unsafe { crate::gc::free_root(self.holder) }
    }
}

/// Writes a shared slot's value (`size` bytes of its holder) to `out`.
fn copy_shared(holder: *const u8, out: *mut u8, size: usize) {
    // SAFETY: the holder has `size` bytes (see put_graph); `out` has room
    // for a value of the slot's type (for a cell: an address), by the
    // contract of the generated code's scope reads (ffi.rs).
    unsafe { std::ptr::copy_nonoverlapping(holder, out, size) };
}

/// One checked slot of a scope being handed on ([`Scope::checked_slots`]).
enum SlotValue<'a> {
    Basic(&'a WireValue),
    Graph(graph::Root),
}

/// The bytes of a graph value of type `desc` as a scope slot holds it.
fn value_size(desc: Desc) -> usize {
    if crate::types::kind(desc) == g2n_abi::Kind::Slice { 24 } else { desc.size as usize }
}

/// The encoded scope of a handoff.
pub struct WireScope {
    pub values: Vec<(String, WireValue)>,
    pub graph: Vec<u8>,
    pub stats: GraphStats,
}

impl Scope {
    /// Records graph value `slot` of type `desc`: the value at `ptr` (copied
    /// now), or for a cell the storage at `ptr` itself.
    ///
    /// # Safety
    /// `ptr` must point to a value of type `desc` (for a cell: to storage of
    /// that type).
    pub unsafe fn put_graph(&mut self, slot: u32, desc: Desc, cell: bool, ptr: *const u8) -> Result<(), String> {
        self.put(slot, WireValue::Graph)?;
        let holder = if cell {
            let h = crate::gc::malloc_root(8);
            // SAFETY: fresh memory of 8 bytes.
            unsafe { h.cast::<usize>().write(ptr as usize) };
            h
        } else {
            let size = value_size(desc);
            let h = crate::gc::malloc_root(size);
            // SAFETY: guaranteed by the caller; `h` has room for the value.
            unsafe { std::ptr::copy_nonoverlapping(ptr, h, size) };
            h
        };
        let slot = slot as usize;
        if self.pending.len() <= slot {
            self.pending.resize_with(slot + 1, || None);
        }
        self.pending[slot] = Some(Pending { desc, cell, holder });
        Ok(())
    }

    /// Writes received graph value `slot` to `out` (see [`Received::load`]).
    /// A shared scope ([`Scope::share`]) gives back the value itself: the
    /// same pointer, slice header or cell as the sender had.
    pub fn get_graph(&mut self, slot: u32, desc: Desc, cell: bool, out: *mut u8) -> Result<(), String> {
        let Some((received, index)) = &mut self.received else {
            let Some(Some(p)) = self.pending.get(slot as usize) else {
                return Err(format!("scope slot {slot} holds no graph value"));
            };
            if graph::wire_name(p.desc) != graph::wire_name(desc) || p.cell != cell {
                return Err(format!("scope slot {slot} holds a {}, generated code read a {}", String::from_utf8_lossy(graph::wire_name(p.desc)), String::from_utf8_lossy(graph::wire_name(desc))));
            }
            copy_shared(p.holder, out, if p.cell { 8 } else { value_size(desc) });
            return Ok(());
        };
        let Some(Some(i)) = index.get(slot as usize) else {
            return Err(format!("scope slot {slot} holds no graph value"));
        };
        received.load(*i, desc, cell, out)
    }

    pub fn put(&mut self, slot: u32, value: WireValue) -> Result<(), String> {
        if slot >= MAX_SLOTS {
            return Err(format!("scope slot {slot} is out of range"));
        }
        let slot = slot as usize;
        if self.slots.len() <= slot {
            self.slots.resize(slot + 1, None);
        }
        self.slots[slot] = Some(value);
        Ok(())
    }

    pub fn get(&self, slot: u32, want: TypeTag) -> Result<&WireValue, String> {
        match self.slots.get(slot as usize) {
            Some(Some(v)) if v.tag() == want => Ok(v),
            Some(Some(v)) => Err(format!("scope slot {slot} holds a {}, generated code read a {}", v.tag().go_name(), want.go_name())),
            _ => Err(format!("scope slot {slot} is empty, generated code read a {}", want.go_name())),
        }
    }

    /// A string slot as a Go string: a fresh copy in collected memory, which
    /// generated code may keep as long as it likes (the collector frees it).
    /// The copy is not cached here: a scope lives in Rust memory, which the
    /// collector does not scan.
    pub fn get_string(&self, slot: u32) -> Result<g2n_abi::GoString, String> {
        match self.get(slot, TypeTag::String)? {
            WireValue::String(s) => Ok(crate::ffi::go_string_from(s)),
            _ => Err(format!("scope slot {slot} is not a string")),
        }
    }

    /// Pairs the slots with the declared variables, checking that every slot
    /// is filled with the declared type and there are no extra slots: each
    /// slot's basic value, or its graph value's type, how it travels and
    /// where it is (the value's copy, or for a cell the storage itself).
    fn checked_slots(&self, vars: &[ScopeVar]) -> Result<Vec<SlotValue<'_>>, String> {
        if self.slots.len() > vars.len() {
            return Err(format!("scope has {} slots, the exit declares {} variables", self.slots.len(), vars.len()));
        }
        let mut out = Vec::with_capacity(vars.len());
        for (i, var) in vars.iter().enumerate() {
            out.push(match (self.slots.get(i), &var.graph) {
                (Some(Some(WireValue::Graph)), Some(g)) => {
                    let p = self.pending.get(i).and_then(Option::as_ref).ok_or_else(|| format!("slot {i} ({}) has no graph value", var.name))?;
                    if graph::wire_name(p.desc) != g.type_name.as_bytes() || p.cell != g.cell {
                        return Err(format!("slot {i} ({}) holds a {}, declared {}", var.name, String::from_utf8_lossy(graph::wire_name(p.desc)), var.type_name()));
                    }
                    let ptr = if p.cell {
                        // SAFETY: the holder of a cell holds its address.
                        unsafe { p.holder.cast::<usize>().read() as *const u8 }
                    } else {
                        p.holder as *const u8
                    };
                    SlotValue::Graph(graph::Root { desc: p.desc, cell: p.cell, ptr })
                }
                (Some(Some(v)), None) if v.tag() == var.tag && !matches!(v, WireValue::Graph) => SlotValue::Basic(v),
                (Some(Some(v)), _) => {
                    let have = if matches!(v, WireValue::Graph) { "graph value".to_string() } else { v.tag().go_name().to_string() };
                    return Err(format!("slot {i} ({}) holds a {have}, declared {}", var.name, var.type_name()));
                }
                _ => return Err(format!("slot {i} ({}: {}) was never filled", var.name, var.type_name())),
            });
        }
        Ok(out)
    }

    /// The checked slots ([`Scope::checked_slots`]) with the graph values
    /// encoded together (sharing between them is kept).
    pub fn to_wire(&self, vars: &[ScopeVar]) -> Result<WireScope, String> {
        let mut roots = Vec::new();
        let mut values = Vec::new();
        for (slot, var) in self.checked_slots(vars)?.into_iter().zip(vars) {
            let value = match slot {
                SlotValue::Graph(root) => {
                    roots.push(root);
                    WireValue::Graph
                }
                SlotValue::Basic(v) => v.clone(),
            };
            values.push((var.name.clone(), value));
        }
        let (graph, stats) = if roots.is_empty() { (Vec::new(), GraphStats::default()) } else { graph::encode(&roots)? };
        Ok(WireScope { values, graph, stats })
    }

    /// The scope of a hop that stays in this process and this program while
    /// other goroutines are alive: they share memory with the flow (a
    /// channel they block on, a pointer they write through), so every slot
    /// goes on as it is, nothing copied deeper than the variable itself: the
    /// program runs on as if there had been no hop, which is Go's meaning.
    /// The slots are checked against the sender's exit (`to_wire`'s
    /// checks) and the receiver's entry (names, types and how each travels).
    pub fn share(&self, exit: &[ScopeVar], entry: &[ScopeVar]) -> Result<Scope, String> {
        if exit.len() != entry.len() || exit.iter().zip(entry).any(|(a, b)| a.name != b.name || a.type_name() != b.type_name()) {
            return Err("the exit's variables and the entry's differ".into());
        }
        let mut shared = Scope { runtime_owned: true, ..Scope::default() };
        for (i, slot) in self.checked_slots(exit)?.into_iter().enumerate() {
            match slot {
                // SAFETY: `root.ptr` is a value of type `root.desc` (or a
                // cell's storage), as put_graph recorded.
                SlotValue::Graph(root) => unsafe { shared.put_graph(i as u32, root.desc, root.cell, root.ptr)? },
                SlotValue::Basic(v) => shared.put(i as u32, v.clone())?,
            }
        }
        Ok(shared)
    }

    /// Builds an entry scope from received values, which must match `vars`
    /// exactly (names, types, order), and their checked graph; see
    /// [`check_wire_scope`].
    pub fn from_wire(values: Vec<(String, WireValue)>, received: Option<Received>) -> Scope {
        let mut next = 0;
        let index = values
            .iter()
            .map(|(_, v)| {
                matches!(v, WireValue::Graph).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        Scope {
            slots: values.into_iter().map(|(_, v)| Some(v)).collect(),
            runtime_owned: true,
            pending: Vec::new(),
            received: received.map(|r| (r, index)),
        }
    }
}

/// The receiver's check, done before generated code sees any value: names and
/// basic types of every slot, then the whole scope graph (see `graph::check`),
/// charged against the host's `budget` for graphs in flight.
pub fn check_wire_scope(vars: &[ScopeVar], got: &[(String, WireValue)], graph_bytes: &[u8], budget: &std::sync::Arc<GraphBudget>) -> Result<Option<Received>, CheckError> {
    let matches = vars.len() == got.len()
        && vars.iter().zip(got).all(|(var, (name, value))| {
            var.name == *name
                && match &var.graph {
                    Some(_) => matches!(value, WireValue::Graph),
                    None => var.tag == value.tag() && !matches!(value, WireValue::Graph),
                }
        });
    if !matches {
        let want: Vec<String> = vars.iter().map(|v| format!("{} {}", v.name, v.type_name())).collect();
        let have: Vec<String> = got
            .iter()
            .map(|(n, v)| format!("{} {}", sanitize(n), if matches!(v, WireValue::Graph) { "graph" } else { v.tag().go_name() }))
            .collect();
        return Err(format!("expected ({}), got ({})", want.join(", "), have.join(", ")).into());
    }
    let mut slots = Vec::new();
    for var in vars {
        if let Some(g) = &var.graph {
            let desc = graph::resolve_type(g.type_name.as_bytes())
                .ok_or_else(|| format!("type {} of {} is not in this program's type table", sanitize(&g.type_name), var.name))?;
            slots.push(graph::Slot { desc, cell: g.cell });
        }
    }
    if slots.is_empty() && graph_bytes.is_empty() {
        return Ok(None);
    }
    graph::check(&slots, graph_bytes.to_vec(), budget).map(Some).map_err(|e| match e.memory {
        Some(_) => e,
        None => CheckError { reason: format!("bad scope graph: {}", e.reason), memory: None },
    })
}

/// Names from the network end up in log lines: keep them short and printable.
pub fn sanitize(s: &str) -> String {
    sanitize_to(s, 64)
}

/// Like [`sanitize`], for longer texts such as a peer's Nack reason.
pub fn sanitize_long(s: &str) -> String {
    sanitize_to(s, 512)
}

fn sanitize_to(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).map(|c| if c.is_control() { '?' } else { c }).collect();
    if s.chars().count() > max {
        out.push('…');
    }
    out
}
