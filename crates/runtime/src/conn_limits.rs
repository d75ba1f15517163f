//! Bounds on what peers can make a server hold: connections per host and per
//! peer (each connection has a thread, so this bounds threads too), and
//! "out of a resource" logged once per episode with the resource's name.
//!
//! A server at a cap first closes the connection that has waited longest for
//! a frame (idle or slow: a kept connection of a sender, which reconnects at
//! once, or a flood), so a real handoff still gets in; only when every
//! connection is busy running a step is the new one refused (its sender
//! retries with backoff).

use crate::net::Conn;
use std::collections::HashMap;
use std::net::Shutdown;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The connections a server holds.
pub(crate) struct ConnTable {
    inner: Mutex<Inner>,
    max_total: usize,
    max_per_peer: usize,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    conns: HashMap<u64, Entry>,
    per_peer: HashMap<String, usize>,
}

struct Entry {
    peer: String,
    /// A second handle, to close the connection from here (its thread's
    /// blocked read then returns).
    handle: Option<Conn>,
    /// Since when it waits for a frame; `None` while it runs a step.
    waiting_since: Option<Instant>,
}

/// Which cap refused a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    Total,
    PerPeer,
}

/// One admitted connection; dropping it frees its place.
pub(crate) struct Slot {
    table: Arc<ConnTable>,
    id: u64,
}

impl ConnTable {
    pub(crate) fn new(max_total: usize, max_per_peer: usize) -> Arc<ConnTable> {
        Arc::new(ConnTable { inner: Mutex::new(Inner::default()), max_total: max_total.max(1), max_per_peer: max_per_peer.max(1) })
    }

    /// Admits a connection from `peer`, closing the longest-waiting one (of
    /// that peer, or of anyone) if a cap is reached and one is waiting.
    pub(crate) fn admit(self: &Arc<Self>, peer: &str, conn: &Conn) -> Result<Slot, Refused> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.per_peer.get(peer).copied().unwrap_or(0) >= self.max_per_peer && !inner.evict_waiting(Some(peer)) {
            return Err(Refused::PerPeer);
        }
        if inner.conns.len() >= self.max_total && !inner.evict_waiting(None) {
            return Err(Refused::Total);
        }
        let id = inner.next_id;
        inner.next_id += 1;
        *inner.per_peer.entry(peer.to_string()).or_default() += 1;
        inner.conns.insert(id, Entry { peer: peer.to_string(), handle: conn.try_clone().ok(), waiting_since: Some(Instant::now()) });
        Ok(Slot { table: self.clone(), id })
    }

    /// How many connections are held now.
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).conns.len()
    }
}

impl Inner {
    /// Closes and forgets the connection (of `peer`, if given) that has
    /// waited longest for a frame; false if none is waiting.
    fn evict_waiting(&mut self, peer: Option<&str>) -> bool {
        let oldest = self
            .conns
            .iter()
            .filter(|(_, e)| peer.is_none_or(|p| e.peer == p))
            .filter_map(|(&id, e)| e.waiting_since.map(|since| (since, id)))
            .min();
        let Some((_, id)) = oldest else { return false };
        self.remove(id);
        true
    }

    fn remove(&mut self, id: u64) {
        let Some(entry) = self.conns.remove(&id) else { return };
        if let Some(handle) = &entry.handle {
            let _ = handle.shutdown(Shutdown::Both);
        }
        if let Some(count) = self.per_peer.get_mut(&entry.peer) {
            *count -= 1;
            if *count == 0 {
                self.per_peer.remove(&entry.peer);
            }
        }
    }
}

impl Slot {
    /// The connection waits for a frame (`true`) or runs a step (`false`).
    pub(crate) fn set_waiting(&self, waiting: bool) {
        let mut inner = self.table.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = inner.conns.get_mut(&self.id) {
            entry.waiting_since = if waiting { Some(entry.waiting_since.unwrap_or_else(Instant::now)) } else { None };
        }
    }

    /// Marks the connection busy (it has a frame to handle, so it cannot be
    /// closed to make room any more); false if it was closed already, in
    /// which case the frame must not be handled: its sender sends it again.
    pub(crate) fn claim(&self) -> bool {
        let mut inner = self.table.inner.lock().unwrap_or_else(|e| e.into_inner());
        match inner.conns.get_mut(&self.id) {
            Some(entry) => {
                entry.waiting_since = None;
                true
            }
            None => false,
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.table.inner.lock().unwrap_or_else(|e| e.into_inner()).remove(self.id);
    }
}

/// Logs that a resource ran out once, not once per refusal: a flood must not
/// turn into a flood of log lines. [`Shortage::recovered`] re-arms it.
pub(crate) struct Shortage {
    logged: AtomicBool,
}

impl Shortage {
    pub(crate) const fn new() -> Shortage {
        Shortage { logged: AtomicBool::new(false) }
    }

    /// True the first time since the last recovery: log now.
    pub(crate) fn first(&self) -> bool {
        !self.logged.swap(true, Ordering::Relaxed)
    }

    pub(crate) fn recovered(&self) {
        self.logged.store(false, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixStream;

    fn conn() -> (Conn, UnixStream) {
        let (a, b) = UnixStream::pair().unwrap();
        (Conn::Unix(a), b)
    }

    #[test]
    fn caps_evict_the_longest_waiting_connection_and_refuse_when_all_are_busy() {
        let table = ConnTable::new(3, 2);
        let (c1, _k1) = conn();
        let (c2, _k2) = conn();
        let (c3, _k3) = conn();
        let s1 = table.admit("p", &c1).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let s2 = table.admit("p", &c2).unwrap();
        // Per peer: p's longest waiting (s1) makes room.
        let s3 = table.admit("p", &c3).unwrap();
        assert!(!s1.claim() && s2.claim());
        s2.set_waiting(true);
        assert_eq!(table.len(), 2);
        // Busy connections are never evicted.
        s2.set_waiting(false);
        s3.set_waiting(false);
        let (c4, _k4) = conn();
        assert_eq!(table.admit("p", &c4).err(), Some(Refused::PerPeer));
        let s4 = table.admit("q", &c4).unwrap();
        s4.set_waiting(false);
        let (c5, _k5) = conn();
        assert_eq!(table.admit("r", &c5).err(), Some(Refused::Total));
        drop(s4);
        let _s5 = table.admit("r", &c5).unwrap();
        drop(s1);
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn a_shortage_is_logged_once_until_it_recovers() {
        let shortage = Shortage::new();
        assert!(shortage.first());
        assert!(!shortage.first());
        shortage.recovered();
        assert!(shortage.first());
    }
}
