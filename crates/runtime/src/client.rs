//! The sending side of a frame exchange: connect, send, wait for the
//! acknowledgement, and retry with exponential backoff until a deadline.
//! A Nack is final (the receiver looked at the frame and refused it); anything
//! else (refused connection, reset, timeout, garbled reply) is retried, which
//! is safe because receivers drop duplicates.

use crate::wire::{self, Frame, Key, Kind, ReadError};
use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq)]
pub enum SendError {
    /// The receiver answered with a Nack.
    Refused(String),
    /// No acknowledgement before the deadline; the last transient error.
    Unreachable(String),
}

/// One peer, with a connection kept between frames (output frames of a flow go
/// to the same origin many times).
pub struct Peer {
    addr: String,
    conn: Option<TcpStream>,
}

impl Peer {
    pub fn new(addr: &str) -> Peer {
        Peer { addr: addr.to_string(), conn: None }
    }

    /// Sends `frame` tagged with `key` and waits for an Ack tagged with the same
    /// key that echoes the frame's flow id and step.
    pub fn exchange(&mut self, frame: &Frame, key: &Key, deadline: Duration) -> Result<(), SendError> {
        let bytes = wire::encode(frame, Some(key));
        let until = Instant::now() + deadline;
        let mut backoff = Duration::from_millis(5);
        let mut last_error;
        loop {
            match self.try_once(&bytes, frame, key, until) {
                Ok(()) => return Ok(()),
                Err(Attempt::Nack(reason)) => {
                    self.conn = None;
                    return Err(SendError::Refused(reason));
                }
                Err(Attempt::Transient(e)) => {
                    self.conn = None;
                    last_error = e;
                }
            }
            let now = Instant::now();
            if now >= until {
                return Err(SendError::Unreachable(format!(
                    "no acknowledgement from {} within {} ms (last error: {last_error})",
                    self.addr,
                    deadline.as_millis()
                )));
            }
            std::thread::sleep(backoff.min(until - now));
            backoff = (backoff * 2).min(Duration::from_millis(500));
        }
    }

    fn try_once(&mut self, bytes: &[u8], frame: &Frame, key: &Key, until: Instant) -> Result<(), Attempt> {
        use std::io::Write;
        let remaining = until.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
        if self.conn.is_none() {
            let addr = resolve(&self.addr).map_err(|e| Attempt::Transient(e.to_string()))?;
            let conn = TcpStream::connect_timeout(&addr, remaining.min(Duration::from_secs(2))).map_err(|e| Attempt::Transient(e.to_string()))?;
            let _ = conn.set_nodelay(true);
            self.conn = Some(conn);
        }
        let Some(conn) = self.conn.as_mut() else { return Err(Attempt::Transient("not connected".into())) };
        conn.set_write_timeout(Some(remaining)).map_err(|e| Attempt::Transient(e.to_string()))?;
        conn.set_read_timeout(Some(remaining)).map_err(|e| Attempt::Transient(e.to_string()))?;
        conn.write_all(bytes).map_err(|e| Attempt::Transient(e.to_string()))?;
        let raw = wire::read_frame(conn).map_err(|e| match e {
            ReadError::Closed => Attempt::Transient("connection closed before the acknowledgement".into()),
            e => Attempt::Transient(e.to_string()),
        })?;
        let reply = raw.decode().map_err(Attempt::Transient)?;
        match reply.kind {
            // A Nack cannot always be tagged (the receiver may not know the
            // key); accepting it untagged only lets someone who can already
            // break the connection stop this flow, which they could anyway.
            Kind::Nack { reason } => Err(Attempt::Nack(crate::scope::sanitize_long(&reason))),
            Kind::Ack if raw.verify(key) && reply.flow_id == frame.flow_id && reply.step == frame.step => Ok(()),
            Kind::Ack => Err(Attempt::Transient("acknowledgement failed authentication".into())),
            _ => Err(Attempt::Transient("unexpected reply frame".into())),
        }
    }
}

enum Attempt {
    Nack(String),
    Transient(String),
}

pub fn resolve(addr: &str) -> io::Result<SocketAddr> {
    addr.to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("'{addr}' resolves to no address")))
}
