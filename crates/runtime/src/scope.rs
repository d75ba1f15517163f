//! Scopes: the values that travel with a flow, indexed by slot (the position of
//! the variable in the entry's or exit's list in the unit descriptor).
//!
//! Generated code sees a scope only as an opaque pointer. Names and types live
//! in the descriptor, so a scope stores just the values; they are checked
//! against the descriptor when a handoff is sent and when one is received.

use crate::wire::WireValue;
use g2n_abi::{ScopeVar, TypeTag};

/// Slots beyond this are a compiler bug, not a reason to allocate gigabytes.
pub const MAX_SLOTS: u32 = 1 << 16;

#[derive(Debug, Default)]
pub struct Scope {
    pub slots: Vec<Option<WireValue>>,
    /// Set on the scope the runtime passes to the unit entry: the runtime owns
    /// and frees it, so `g2n_go_to_network` must not free it if generated code
    /// passes it on by mistake.
    pub(crate) runtime_owned: bool,
}

impl Scope {
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

    /// Pairs the values with the declared variables, checking that every slot
    /// is filled with the declared type and there are no extra slots.
    pub fn to_wire(&self, vars: &[ScopeVar]) -> Result<Vec<(String, WireValue)>, String> {
        if self.slots.len() > vars.len() {
            return Err(format!("scope has {} slots, the exit declares {} variables", self.slots.len(), vars.len()));
        }
        vars.iter()
            .enumerate()
            .map(|(i, var)| match self.slots.get(i) {
                Some(Some(v)) if v.tag() == var.tag => Ok((var.name.clone(), v.clone())),
                Some(Some(v)) => Err(format!("slot {i} ({}) holds a {}, declared {}", var.name, v.tag().go_name(), var.tag.go_name())),
                _ => Err(format!("slot {i} ({}: {}) was never filled", var.name, var.tag.go_name())),
            })
            .collect()
    }

    /// Builds an entry scope from received values, which must match `vars`
    /// exactly (names, types, order); see [`check_wire_scope`].
    pub fn from_wire(values: Vec<(String, WireValue)>) -> Scope {
        Scope { slots: values.into_iter().map(|(_, v)| Some(v)).collect(), runtime_owned: true }
    }
}

/// The receiver's check, done before generated code sees any value.
pub fn check_wire_scope(vars: &[ScopeVar], got: &[(String, WireValue)]) -> Result<(), String> {
    let matches = vars.len() == got.len() && vars.iter().zip(got).all(|(var, (name, value))| var.name == *name && var.tag == value.tag());
    if matches {
        return Ok(());
    }
    let want: Vec<String> = vars.iter().map(|v| format!("{} {}", v.name, v.tag.go_name())).collect();
    let have: Vec<String> = got.iter().map(|(n, v)| format!("{} {}", sanitize(n), v.tag().go_name())).collect();
    Err(format!("expected ({}), got ({})", want.join(", "), have.join(", ")))
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
