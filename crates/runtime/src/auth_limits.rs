//! Online password guessing: failed authentications are rate-limited per
//! peer (a token bucket: `auth_failure_burst` failures at once, refilled at
//! `auth_failures_per_second`), and logged in summaries instead of one line
//! each (docs/protocol.md, "Bounds on a server").
//!
//! A peer whose bucket is empty gets no answer at all: its frames are not
//! checked (so they reveal nothing about a guess) and its connection is
//! closed unanswered, until the bucket refills. Only failures take tokens, so
//! a peer that authenticates correctly is never slowed down, unless it shares
//! its address (or, on a Unix socket, its process) with a guesser.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long failures of one peer are counted before their summary is logged.
pub(crate) const SUMMARY_WINDOW: Duration = Duration::from_secs(10);
/// Most peers tracked at once; past it, records with nothing to report and
/// a full bucket are forgotten first, then new peers share one record.
const MAX_PEERS: usize = 4096;
const OTHER_PEERS: &str = "other peers";

pub(crate) struct AuthLimiter {
    peers: Mutex<HashMap<String, PeerRecord>>,
    per_second: f64,
    burst: f64,
}

struct PeerRecord {
    tokens: f64,
    refilled: Instant,
    /// Failures in the current window beyond the first (which was logged
    /// in full), and how many of them were refused unchecked.
    unlogged: u64,
    unchecked: u64,
    window_start: Option<Instant>,
}

/// What to do with a frame from a peer, before its tag is checked.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    Check,
    /// Over the limit: close unanswered, without checking.
    Refuse,
}

impl AuthLimiter {
    pub(crate) fn new(per_second: f64, burst: u32) -> AuthLimiter {
        AuthLimiter { peers: Mutex::new(HashMap::new()), per_second: per_second.max(0.0), burst: burst.max(1) as f64 }
    }

    fn record<'a>(&self, peers: &'a mut HashMap<String, PeerRecord>, peer: &str, now: Instant) -> &'a mut PeerRecord {
        let key = if peers.len() >= MAX_PEERS && !peers.contains_key(peer) {
            peers.retain(|_, r| r.window_start.is_some() || r.tokens + self.per_second * now.duration_since(r.refilled).as_secs_f64() < self.burst);
            if peers.len() >= MAX_PEERS { OTHER_PEERS } else { peer }
        } else {
            peer
        };
        let r = peers.entry(key.to_string()).or_insert(PeerRecord { tokens: self.burst, refilled: now, unlogged: 0, unchecked: 0, window_start: None });
        r.tokens = (r.tokens + self.per_second * now.duration_since(r.refilled).as_secs_f64()).min(self.burst);
        r.refilled = now;
        r
    }

    /// Whether a frame from `peer` may be checked now.
    pub(crate) fn admit(&self, peer: &str, now: Instant) -> Admission {
        let mut peers = self.peers.lock().unwrap_or_else(|e| e.into_inner());
        let r = self.record(&mut peers, peer, now);
        if r.tokens >= 1.0 {
            return Admission::Check;
        }
        r.unlogged += 1;
        r.unchecked += 1;
        r.window_start.get_or_insert(now);
        Admission::Refuse
    }

    /// Records a failed authentication of `peer`; true when it is the first
    /// of its window (log it in full; later ones go into the summary).
    pub(crate) fn failed(&self, peer: &str, now: Instant) -> bool {
        let mut peers = self.peers.lock().unwrap_or_else(|e| e.into_inner());
        let r = self.record(&mut peers, peer, now);
        r.tokens = (r.tokens - 1.0).max(0.0);
        if r.window_start.is_none() {
            r.window_start = Some(now);
            return true;
        }
        r.unlogged += 1;
        false
    }

    /// Summaries of the windows that have ended:
    /// `N failed authentications from PEER in the last Ns`.
    pub(crate) fn summaries(&self, now: Instant) -> Vec<String> {
        let mut peers = self.peers.lock().unwrap_or_else(|e| e.into_inner());
        let mut lines = Vec::new();
        for (peer, r) in peers.iter_mut() {
            let Some(start) = r.window_start else { continue };
            let over = now.duration_since(start);
            if over < SUMMARY_WINDOW {
                continue;
            }
            if r.unlogged > 0 {
                let mut line = format!("{} failed authentications from {} in the last {}s", r.unlogged, shown(peer), over.as_secs());
                if r.unchecked > 0 {
                    line.push_str(&format!(" ({} refused unchecked: over auth_failures_per_second)", r.unchecked));
                }
                lines.push(line);
            }
            r.unlogged = 0;
            r.unchecked = 0;
            r.window_start = None;
        }
        let burst = self.burst;
        let rate = self.per_second;
        peers.retain(|_, r| r.window_start.is_some() || r.tokens + rate * now.duration_since(r.refilled).as_secs_f64() < burst);
        lines.sort();
        lines
    }
}

/// A per-peer key as log lines name the peer (`local process PID` for a
/// Unix socket's process).
fn shown(peer: &str) -> String {
    match peer.strip_prefix("pid ") {
        Some(pid) => format!("local process {pid}"),
        None => peer.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_take_tokens_and_are_summarised_once_per_window() {
        let l = AuthLimiter::new(2.0, 3);
        let t0 = Instant::now();
        let mut checked = 0;
        let mut logged = 0;
        for _ in 0..100 {
            if l.admit("10.0.0.1", t0) == Admission::Check {
                checked += 1;
                logged += l.failed("10.0.0.1", t0) as usize;
            }
        }
        assert_eq!((checked, logged), (3, 1), "three guesses at once, the first one logged");
        assert_eq!(l.admit("10.0.0.2", t0), Admission::Check, "another peer is not affected");
        assert_eq!(l.admit("10.0.0.1", t0 + Duration::from_millis(600)), Admission::Check, "refilled at 2 per second");
        assert!(l.summaries(t0 + Duration::from_secs(1)).is_empty(), "the window is still open");
        let lines = l.summaries(t0 + SUMMARY_WINDOW);
        assert_eq!(lines, vec!["99 failed authentications from 10.0.0.1 in the last 10s (97 refused unchecked: over auth_failures_per_second)"]);
        assert!(l.summaries(t0 + SUMMARY_WINDOW * 2).is_empty(), "said once");
        assert_eq!(shown("pid 42"), "local process 42");
    }
}
