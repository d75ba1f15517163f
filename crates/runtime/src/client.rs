//! The sending side of a frame exchange: connect, send, wait for the
//! acknowledgement, and retry with exponential backoff until a deadline.
//! A Nack is final (the receiver looked at the frame and refused it); anything
//! else (refused connection, reset, timeout, garbled reply) is retried, which
//! is safe because receivers drop duplicates.

use crate::wire::{self, Frame, Key, Kind, ReadError};
use std::io;
use crate::net::{Conn, Transport};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq)]
pub enum SendError {
    /// The receiver answered with a Nack.
    Refused(String),
    /// No acknowledgement before the deadline.
    Unreachable {
        addr: String,
        /// The deadline that passed.
        deadline: Duration,
        attempts: u32,
        /// The last transient error, e.g. "connection refused" (an earlier
        /// one when the last attempt only timed out).
        last_error: String,
    },
}

impl std::fmt::Display for SendError {
    /// `refused: REASON` or `failed after 10s: connection refused (no acknowledgement from ADDR in 25 attempts)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Refused(reason) => write!(f, "refused: {reason}"),
            SendError::Unreachable { addr, deadline, attempts, last_error } => write!(
                f,
                "failed after {}: {last_error} (no acknowledgement from {addr} in {attempts} attempt{})",
                show_duration(*deadline),
                if *attempts == 1 { "" } else { "s" }
            ),
        }
    }
}

/// `10s`, `1.5s`, `200ms`.
pub fn show_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{}.{}s", ms / 1000, format!("{:03}", ms % 1000).trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_go() {
        let show = |ms| show_duration(Duration::from_millis(ms));
        assert_eq!([show(0), show(200), show(1000), show(1500), show(1050), show(10_000), show(61_001)], ["0ms", "200ms", "1s", "1.5s", "1.05s", "10s", "61.001s"]);
    }

    #[test]
    fn io_errors_read_as_causes() {
        assert_eq!(io_reason(&io::Error::from(io::ErrorKind::ConnectionRefused)), "connection refused");
        assert_eq!(io_reason(&io::Error::from_raw_os_error(111)), "connection refused");
        assert_eq!(io_reason(&io::Error::from(io::ErrorKind::WouldBlock)), "timed out");
    }
}

/// What a successful exchange cost.
#[derive(Debug, Clone, Copy)]
pub struct Delivery {
    /// Connection attempts, 1 when the first one was acknowledged.
    pub attempts: u32,
    /// Bytes of the frame on the wire (length prefix, body and tag).
    pub bytes: usize,
    /// From the first attempt to the acknowledgement, retries included.
    pub latency: Duration,
}

/// One peer, with a connection kept between frames (output frames of a flow go
/// to the same origin many times).
pub struct Peer {
    addr: String,
    /// The sending unit, for trace events.
    unit: String,
    conn: Option<Conn>,
    /// How a new connection is made (TLS, or plaintext on loopback).
    transport: Transport,
    /// `conn` came from the host's pool of kept connections: it may have
    /// been closed by the peer since (idle timeout, restart), so a failure on
    /// it is retried at once on a new connection, without backoff.
    pooled: bool,
}

impl Peer {
    pub fn new(addr: &str, unit: &str, transport: &Transport) -> Peer {
        Peer::with_conn(addr, unit, None, transport)
    }

    /// A peer that first tries `conn`, a kept connection to `addr`.
    pub fn with_conn(addr: &str, unit: &str, conn: Option<Conn>, transport: &Transport) -> Peer {
        let pooled = conn.is_some();
        Peer { addr: addr.to_string(), unit: unit.to_string(), conn, transport: transport.clone(), pooled }
    }

    /// The connection of the last acknowledged exchange, if still open: a
    /// handoff's sender reads the receiver's Done on it (durable handoffs).
    pub fn take_conn(&mut self) -> Option<Conn> {
        self.conn.take()
    }

    /// Sends `frame` tagged with `key` and waits for an Ack tagged with the same
    /// key that echoes the frame's flow id and step. Transient failures are
    /// retried with exponential backoff (5 ms doubling, at most 500 ms apart)
    /// until `deadline` has passed; a Nack is final.
    ///
    /// A handoff is stamped with the time of each attempt (`created_ms`),
    /// so a retry, or a re-send to a restarted receiver, is never refused as
    /// a replay of itself.
    pub fn exchange(&mut self, frame: &Frame, key: &Key, deadline: Duration) -> Result<Delivery, SendError> {
        let mut bytes = wire::encode(frame, Some(key));
        let mut stamped = frame.clone();
        let start = Instant::now();
        let until = start + deadline;
        let mut backoff = Duration::from_millis(5);
        let mut attempts = 0u32;
        // The cause the failure names: the last attempt's error, except that
        // a time-out does not hide an earlier attempt's other error (the last
        // attempt, cut short by the deadline, often times out mid-handshake
        // where the ones before it were refused for a reason: a revoked
        // certificate, a refused connection).
        let mut cause: Option<String> = None;
        loop {
            attempts += 1;
            if let Kind::Handoff(h) = &mut stamped.kind {
                h.created_ms = wire::now_ms();
                bytes = wire::encode(&stamped, Some(key));
            }
            let last_error = match self.try_once(&bytes, frame, key, until) {
                Ok(()) => return Ok(Delivery { attempts, bytes: bytes.len(), latency: start.elapsed() }),
                Err(Attempt::Nack(reason)) => {
                    self.conn = None;
                    return Err(SendError::Refused(reason));
                }
                Err(Attempt::Transient(_)) if std::mem::take(&mut self.pooled) => {
                    // A stale kept connection: a new one, now. Safe to
                    // repeat: receivers drop duplicate frames.
                    self.conn = None;
                    attempts -= 1;
                    continue;
                }
                Err(Attempt::Transient(e)) => {
                    self.conn = None;
                    e
                }
            };
            if last_error != TIMED_OUT || cause.is_none() {
                cause = Some(last_error.clone());
            }
            let now = Instant::now();
            if now >= until {
                let last_error = cause.unwrap_or(last_error);
                return Err(SendError::Unreachable { addr: self.addr.clone(), deadline, attempts, last_error });
            }
            let wait = backoff.min(until - now);
            tracing::info!(
                pid = std::process::id(),
                unit = %self.unit,
                flow = %crate::flow::hex(&frame.flow_id),
                step = frame.step,
                kind = kind_name(&frame.kind),
                addr = %self.addr,
                attempt = attempts,
                error = %last_error,
                retry_in_ms = wait.as_millis() as u64,
                "hop.retry"
            );
            std::thread::sleep(wait);
            backoff = (backoff * 2).min(Duration::from_millis(500));
        }
    }

    fn try_once(&mut self, bytes: &[u8], frame: &Frame, key: &Key, until: Instant) -> Result<(), Attempt> {
        use std::io::Write;
        let remaining = until.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
        if self.conn.is_none() {
            let conn = self.transport.connect(&self.addr, remaining.min(Duration::from_secs(2))).map_err(|e| match e.kind() {
                // Plaintext to a non-loopback address: no retry makes it allowed.
                io::ErrorKind::PermissionDenied => Attempt::Nack(e.to_string()),
                _ => Attempt::Transient(io_reason(&e)),
            })?;
            self.conn = Some(conn);
        }
        let Some(conn) = self.conn.as_mut() else { return Err(Attempt::Transient("not connected".into())) };
        conn.set_write_timeout(Some(remaining)).map_err(|e| Attempt::Transient(io_reason(&e)))?;
        conn.set_read_timeout(Some(remaining)).map_err(|e| Attempt::Transient(io_reason(&e)))?;
        conn.write_all(bytes).map_err(|e| Attempt::Transient(io_reason(&e)))?;
        let raw = wire::read_frame(conn, key).map_err(|e| match e {
            ReadError::Closed => Attempt::Transient("connection closed before the acknowledgement".into()),
            ReadError::Io(e) => Attempt::Transient(io_reason(&e)),
            e => Attempt::Transient(e.to_string()),
        })?;
        let reply = raw.decode().map_err(Attempt::Transient)?;
        match reply.kind {
            // A Nack cannot always be tagged (the receiver may not know the
            // key); accepting it untagged only lets someone who can already
            // break the connection stop this flow, which they could anyway.
            Kind::Nack { reason } => Err(Attempt::Nack(crate::scope::sanitize_long(&reason))),
            Kind::Ack if raw.verify(key) && reply.flow_id == frame.flow_id && reply.step == frame.step => {
                self.pooled = false;
                Ok(())
            }
            Kind::Ack => Err(Attempt::Transient("acknowledgement failed authentication".into())),
            _ => Err(Attempt::Transient("unexpected reply frame".into())),
        }
    }
}

/// The cause of an attempt that ran out of time.
const TIMED_OUT: &str = "timed out";

/// "connection refused" rather than "Connection refused (os error 111)".
fn io_reason(e: &io::Error) -> String {
    if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) {
        return TIMED_OUT.to_string();
    }
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Handoff(_) => "handoff",
        Kind::Ack => "ack",
        Kind::Nack { .. } => "nack",
        Kind::Output { .. } => "output",
        Kind::End { .. } => "end",
        Kind::Alive { .. } => "alive",
        Kind::Done => "done",
    }
}

enum Attempt {
    Nack(String),
    Transient(String),
}
