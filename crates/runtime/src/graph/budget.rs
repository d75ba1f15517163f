//! The memory budget of a host for scope graphs in flight
//! (`graph_memory_budget`, docs/protocol.md "Bounds on a server").
//!
//! A received graph is charged, while it is checked, for everything it will
//! make the host hold: the Go memory its objects take once materialized, a
//! fixed cost per object (empty ones too: each has a table entry, a root word
//! and a heap block), per reference checked, per name, and its own bytes.
//! The charge is refused as soon as it passes what the host has left, before
//! anything is allocated for it, and a graph that passes the check holds its
//! charge (a [`Reservation`] inside the [`super::Received`]) until the step
//! that received it is done with its scope. So however many handoffs arrive
//! at once, their graphs together never make the host hold more than the
//! budget, and a few bytes that declare a gigabyte are refused.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Charged per object of a graph, whatever it holds: its entry in the
/// checked object table (48 bytes, allocated once at its final size), its
/// word in the root table, and the smallest heap block the collector hands
/// out, with some slack.
pub(super) const OBJECT_COST: u64 = 96;
/// Charged per reference recorded while checking (checked once every object
/// is known): a 32-byte entry, three times, since the list grows by doubling
/// (at a move, the old and the new buffer are both held).
pub(super) const WANT_COST: u64 = 96;
/// Charged per name in the graph's name tables (8-byte entries, growing
/// like the references).
pub(super) const NAME_COST: u64 = 24;
/// Charged per map entry on top of its key and value (the map's own slot).
pub(super) const MAP_ENTRY_COST: u64 = 16;
/// Charged per channel on top of its buffer.
pub(super) const CHAN_COST: u64 = 64;

/// A host's budget for graphs in flight: shared by every connection and
/// flow thread of the host.
#[derive(Debug)]
pub struct GraphBudget {
    limit: u64,
    used: AtomicU64,
}

/// Why a graph was refused for memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortfall {
    /// What the graph was charged when it was refused (at least this much).
    pub needed: u64,
    /// Held by other graphs in flight at that moment.
    pub in_use: u64,
    pub limit: u64,
}

impl Shortfall {
    /// The graph could fit once other graphs in flight are done (the sender
    /// may retry); false: it is bigger than the whole budget.
    pub fn transient(&self) -> bool {
        self.needed <= self.limit
    }

    pub fn reason(&self) -> String {
        if self.transient() {
            format!(
                "out of graph memory: the scope graph needs {} bytes and graphs in flight hold {} of graph_memory_budget {}",
                self.needed, self.in_use, self.limit
            )
        } else {
            format!("the scope graph needs more than graph_memory_budget ({} bytes) of memory", self.limit)
        }
    }
}

impl GraphBudget {
    pub fn new(limit: u64) -> Arc<GraphBudget> {
        Arc::new(GraphBudget { limit, used: AtomicU64::new(0) })
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Bytes held by graphs in flight now.
    pub fn in_use(&self) -> u64 {
        self.used.load(Ordering::SeqCst)
    }

    /// Takes `bytes` from the budget until the reservation is dropped.
    pub(super) fn reserve(self: &Arc<Self>, bytes: u64) -> Result<Reservation, Shortfall> {
        let mut used = self.used.load(Ordering::SeqCst);
        loop {
            let total = used.saturating_add(bytes);
            if total > self.limit {
                return Err(Shortfall { needed: bytes, in_use: used, limit: self.limit });
            }
            match self.used.compare_exchange(used, total, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => return Ok(Reservation { budget: Some(self.clone()), bytes }),
                Err(now) => used = now,
            }
        }
    }
}

/// A graph's charge, given back when the graph is dropped.
#[derive(Debug, Default)]
pub struct Reservation {
    budget: Option<Arc<GraphBudget>>,
    bytes: u64,
}

impl Reservation {
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if let Some(b) = &self.budget {
            b.used.fetch_sub(self.bytes, Ordering::SeqCst);
        }
    }
}

/// The running charge of one graph being checked, against what the budget
/// had left when the check began.
pub(super) struct Meter {
    pub(super) charged: u64,
    cap: u64,
    in_use: u64,
    limit: u64,
    /// Set when a charge was refused: the check's error is a shortfall.
    pub(super) short: Option<Shortfall>,
}

impl Meter {
    pub(super) fn new(budget: &GraphBudget) -> Meter {
        let in_use = budget.in_use();
        Meter { charged: 0, cap: budget.limit.saturating_sub(in_use), in_use, limit: budget.limit, short: None }
    }

    /// A meter that never refuses (materializing an already checked graph).
    pub(super) fn unlimited() -> Meter {
        Meter { charged: 0, cap: u64::MAX, in_use: 0, limit: u64::MAX, short: None }
    }

    /// Adds `bytes` (`count` times `each`) to the graph's charge, or refuses.
    pub(super) fn charge(&mut self, each: u64, count: u64) -> Result<(), String> {
        self.charged = self.charged.saturating_add(each.saturating_mul(count));
        if self.charged > self.cap {
            let short = Shortfall { needed: self.charged, in_use: self.in_use, limit: self.limit };
            self.short = Some(short);
            return Err(short.reason());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_add_up_to_the_limit_and_are_given_back_when_dropped() {
        let b = GraphBudget::new(1000);
        let first = b.reserve(600).unwrap();
        let refused = b.reserve(600).unwrap_err();
        assert!(refused.transient(), "600 fits once the first graph is gone");
        assert_eq!((refused.in_use, b.in_use()), (600, 600));
        drop(first);
        assert_eq!(b.in_use(), 0);
        let second = b.reserve(600).unwrap();
        assert_eq!(second.bytes(), 600);
        assert!(!b.reserve(2000).unwrap_err().transient(), "bigger than the budget: never fits");
    }
}
