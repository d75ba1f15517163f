//! Scope graphs (docs/protocol.md, "Scope graph"): the values of a scope that
//! are not plain bool/int/float/string travel as one graph per handoff. Every
//! heap object the scope reaches is encoded once and referred to by its
//! object id, so sharing (two slices of one array, two pointers to one
//! struct, a map reachable twice, cycles, closures and the cells they
//! capture) is the same after the hop.
//!
//! Encoding (sender) reads Go memory through the run-time type descriptors.
//! Decoding (receiver) is type-directed and happens twice: [`check()`] runs in
//! the server before the handoff is acknowledged and validates every tag,
//! length, reference and type against the receiver's own descriptors, without
//! touching Go memory; [`Received::materialize`] then builds the objects in
//! collected memory when generated code first asks for a value. Only checked
//! bytes are ever materialized, so compiled code never sees an ill-typed value.
//!
//! Types, functions and package-level variables are named on the wire (never
//! by address): the receiver resolves each name in its [`Registry`], which
//! generated C `main` fills from the program's [`ProgramTable`].
//!
//! Modules: `registry` names this program's types, functions and globals;
//! `library_vars` finds and resolves objects that library variables hold;
//! `varint` holds the wire primitives; `encode` the sender's side; `decode`
//! the receiver's value reader, which `check` and `materialize` drive.

mod budget;
mod check;
mod decode;
mod encode;
mod library_vars;
mod materialize;
mod registry;
mod varint;
#[cfg(test)]
pub(crate) mod tests;

pub use budget::{GraphBudget, Reservation, Shortfall};
pub use check::{CheckError, check};
pub use decode::{Received, Slot};
pub use encode::{GraphStats, Root, encode};
pub use registry::{Registry, g2n_register_program, program_descs, resolve_type, use_program, wire_name, with_program};

use registry::same_type;
use crate::types::{Desc, elem, field_type, fields, kind};
use g2n_abi::Kind;

/// Deepest nesting of values stored inline (structs, arrays, interfaces);
/// objects reached through pointers do not count.
const MAX_DEPTH: u32 = 512;
/// Most elements of one object whose type has size 0: Go's largest length
/// (`make([]struct{}, maxInt)` is valid). They cost nothing: no side
/// loops over them (the encoder, the check and materialize skip values of
/// size 0), so only a count no Go length can be is refused.
const MAX_ZERO_SIZED: u64 = i64::MAX as u64;

fn text(b: &[u8]) -> String {
    crate::scope::sanitize(&String::from_utf8_lossy(b))
}

fn is_byte(d: Desc) -> bool {
    matches!(kind(d), Kind::Uint8 | Kind::Int8)
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
            // Checked: a peer's offset and count may be near 2^64 (a wrapped
            // sum would accept a reference far outside the object).
            return off.is_multiple_of(size) && (off / size).checked_add(count).is_some_and(|end| end <= n);
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
