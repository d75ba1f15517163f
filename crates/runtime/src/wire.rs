//! The handoff wire protocol (docs/protocol.md is the normative description).
//!
//! A frame on a TCP stream is `u32 big-endian length | body | 32-byte tag`, where
//! `body` is a postcard-encoded [`Frame`] and `tag` is HMAC-SHA256 over `body`.
//! Everything here treats its input as hostile: lengths are checked before any
//! allocation, decoding never panics, and the caller gets a reason it can log.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};

/// Bumped whenever the encoding of [`Frame`] changes meaning.
/// Version 2 added scope graphs (`WireValue::Graph`, `Handoff::graph`).
/// Version 3 added durable handoffs (`Kind::Done`, sent on the handoff's
/// connection when the step it started has finished; until then the sender
/// keeps the handoff and re-sends it to a restarted receiver).
pub const PROTOCOL_VERSION: u16 = 4;
/// Largest accepted `length` (body plus tag). Bigger frames are refused unread:
/// a scope that large belongs in a later, streamed protocol version.
pub const MAX_FRAME_LEN: u32 = 16 * 1024 * 1024;
pub const TAG_LEN: usize = 32;

pub type FlowId = [u8; 16];
pub type Key = [u8; 32];

/// One message. Field order is the wire order (postcard encodes fields in
/// declaration order), so never reorder fields: add a protocol version instead.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub version: u16,
    pub flow_id: FlowId,
    /// The hop number: 0 on the origin, +1 at each handoff.
    pub step: u64,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Kind {
    Handoff(Handoff),
    Ack,
    Nack { reason: String },
    Output { stream: Stream, seq: u64, bytes: Vec<u8> },
    /// The flow ended; `seq` is the number of Output frames that precede it, so
    /// the origin knows when it has every byte.
    End { seq: u64, exit_code: i32 },
    /// A host still runs the flow (sent to the origin every `heartbeat_ms`),
    /// so the origin can tell a long computation from a dead host.
    Alive { unit: String },
    /// Version 3: the step this frame names, started by a handoff received
    /// on this connection, has finished on the receiver (it handed the flow
    /// on and that handoff was acknowledged, or the flow ended and its End
    /// was acknowledged). The sender of the handoff may forget it.
    Done,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Handoff {
    /// Selects the credentials whose key tags this frame.
    pub username: String,
    /// The nanoservice this handoff is for (one host may serve several later).
    pub target: String,
    /// The nanoservice that sent it (for logs and traces; it grants nothing:
    /// the credentials decide what is accepted).
    pub from: String,
    pub resume_point: u32,
    /// Where the origin listens for this flow's Output and End frames.
    pub origin: String,
    /// Per-flow key that tags Output/End frames (see docs/protocol.md on why it
    /// may travel in clear on loopback only).
    pub flow_key: Key,
    /// Sequence number of the next Output frame of the flow.
    pub out_seq: u64,
    /// The scope in the resume point's slot order.
    pub scope: Vec<(String, WireValue)>,
    /// The scope graph (docs/protocol.md, "Scope graph"): the values of the
    /// `Graph` slots, in slot order, and every object they reach. Empty when
    /// no slot is a graph.
    pub graph: Vec<u8>,
    /// Version 4: when this attempt was sent, in milliseconds since the Unix
    /// epoch by the sender's clock. Inside the authenticated body, so a
    /// replay carries its capture's time: a receiver refuses a handoff older
    /// than its dedupe window, or sent before it started (docs/protocol.md,
    /// "Replay"). Senders set it afresh on every attempt.
    pub created_ms: u64,
}

/// A scope value with its type; the variant is the type tag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WireValue {
    Nil,
    Bool(bool),
    Int(i64),
    Float64(f64),
    String(Vec<u8>),
    /// A value of any other type: its bytes are in [`Handoff::graph`].
    Graph,
}

impl WireValue {
    pub fn tag(&self) -> g2n_abi::TypeTag {
        use g2n_abi::TypeTag;
        match self {
            WireValue::Nil => TypeTag::Nil,
            WireValue::Bool(_) => TypeTag::Bool,
            WireValue::Int(_) => TypeTag::Int,
            WireValue::Float64(_) => TypeTag::Float64,
            WireValue::String(_) => TypeTag::String,
            // Never compared by tag: a graph slot is checked against its Go type.
            WireValue::Graph => TypeTag::Nil,
        }
    }
}

/// Argon2id cost of a credential key (RFC 9106's second recommended option,
/// and OWASP's minimum for Argon2id): 19 MiB of memory, 2 passes, 1 lane.
/// About 25 ms and 19 MiB per key on one core of the development machine,
/// paid once per credential when a host starts; docs/protocol.md ("Keys")
/// says what it buys.
pub const KDF_MEMORY_KIB: u32 = 19 * 1024;
pub const KDF_PASSES: u32 = 2;
pub const KDF_LANES: u32 = 1;

/// The key a user's handoffs are tagged with: Argon2id of the password,
/// salted with the deployment's `credential_salt` and the username, so a
/// captured frame gives an offline search one memory-hard guess per
/// derivation (not a SHA-256 per guess), and a table built for one
/// deployment or user is useless for another. The password itself never
/// leaves the process.
pub fn credential_key(deployment_salt: &str, username: &str, password: &str) -> Key {
    let mut salt = Sha256::new();
    salt.update(b"g2n-credential-v2\0");
    salt.update(deployment_salt.as_bytes());
    salt.update(b"\0");
    salt.update(username.as_bytes());
    let salt: [u8; 32] = salt.finalize().into();
    let params = argon2::Params::new(KDF_MEMORY_KIB, KDF_PASSES, KDF_LANES, Some(32)).unwrap_or_else(|_| unreachable!());
    let kdf = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    // Fails only for lengths outside Argon2's limits (a password over 4 GiB)
    // or when the 19 MiB cannot be allocated: fatal either way.
    if let Err(e) = kdf.hash_password_into(password.as_bytes(), &salt, &mut key) {
        crate::flow::fatal(&format!("g2n: cannot derive the key of user '{}': {e}", crate::scope::sanitize(username)));
    }
    key
}

/// A credential given as a random key (64 hex digits), as `g2n run` writes
/// for its local meshes: used as it is, no derivation.
pub fn parse_key(hex: &str) -> Result<Key, String> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 || !bytes.iter().all(u8::is_ascii_hexdigit) {
        return Err("a key is 64 hexadecimal digits".into());
    }
    let mut key = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
        key[i] = digit(pair[0]) << 4 | digit(pair[1]);
    }
    Ok(key)
}

/// Now, in milliseconds since the Unix epoch (0 for a clock before it).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // getrandom only fails if the OS has no entropy source at all; a fixed
    // value would silently break authentication, so that is fatal.
    if getrandom::fill(&mut b).is_err() {
        crate::flow::fatal("g2n: the operating system refused to provide random bytes");
    }
    b
}

fn mac(key: &Key, body: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so new_from_slice cannot fail here.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(body);
    m
}

/// Serializes and tags a frame, ready to write. `key: None` writes an all-zero
/// tag (only for Nacks of frames whose key could not be established).
pub fn encode(frame: &Frame, key: Option<&Key>) -> Vec<u8> {
    // Serializing plain data into a Vec cannot fail.
    let body = postcard::to_stdvec(frame).unwrap_or_default();
    let tag: [u8; TAG_LEN] = match key {
        Some(k) => mac(k, &body).finalize().into_bytes().into(),
        None => [0; TAG_LEN],
    };
    let mut out = Vec::with_capacity(4 + body.len() + TAG_LEN);
    out.extend_from_slice(&((body.len() + TAG_LEN) as u32).to_be_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&tag);
    out
}

/// A frame as read from the wire, not yet trusted.
#[derive(Debug)]
pub struct RawFrame {
    pub body: Vec<u8>,
    pub tag: [u8; TAG_LEN],
}

#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection between frames: not an error.
    Closed,
    /// The peer closed or timed out in the middle of a frame.
    Truncated,
    Oversize(u32),
    TooShort(u32),
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Closed => write!(f, "connection closed"),
            ReadError::Truncated => write!(f, "truncated frame"),
            ReadError::Oversize(n) => write!(f, "frame of {n} bytes exceeds the {MAX_FRAME_LEN}-byte limit"),
            ReadError::TooShort(n) => write!(f, "frame of {n} bytes is too short to hold a body and its tag"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Reads one frame. The body grows as bytes arrive instead of being allocated
/// from the (untrusted) length up front.
pub fn read_frame(r: &mut impl Read) -> Result<RawFrame, ReadError> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Err(ReadError::Closed),
            Ok(0) => return Err(ReadError::Truncated),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if got == 0 => return Err(ReadError::Io(e)),
            Err(_) => return Err(ReadError::Truncated),
        }
    }
    let len = u32::from_be_bytes(len);
    if len > MAX_FRAME_LEN {
        return Err(ReadError::Oversize(len));
    }
    if (len as usize) <= TAG_LEN {
        return Err(ReadError::TooShort(len));
    }
    let mut data = Vec::new();
    match r.take(len as u64).read_to_end(&mut data) {
        Ok(n) if n == len as usize => {}
        _ => return Err(ReadError::Truncated),
    }
    let split = data.len() - TAG_LEN;
    let mut tag = [0u8; TAG_LEN];
    tag.copy_from_slice(&data[split..]);
    data.truncate(split);
    Ok(RawFrame { body: data, tag })
}

pub fn write_frame(w: &mut impl Write, frame: &Frame, key: Option<&Key>) -> io::Result<()> {
    w.write_all(&encode(frame, key))?;
    w.flush()
}

impl RawFrame {
    /// Decodes the body: version first (so a future version gets a clear
    /// message, not a decoding error), then the whole frame, with no bytes left.
    pub fn decode(&self) -> Result<Frame, String> {
        let (version, _) = postcard::take_from_bytes::<u16>(&self.body).map_err(|e| format!("malformed frame: {e}"))?;
        if version != PROTOCOL_VERSION {
            return Err(format!("unsupported protocol version {version} (this runtime speaks {PROTOCOL_VERSION})"));
        }
        let (frame, rest) = postcard::take_from_bytes::<Frame>(&self.body).map_err(|e| format!("malformed frame: {e}"))?;
        if !rest.is_empty() {
            return Err(format!("malformed frame: {} trailing bytes", rest.len()));
        }
        Ok(frame)
    }

    /// Constant-time check of the tag (hmac's `verify_slice`).
    pub fn verify(&self, key: &Key) -> bool {
        mac(key, &self.body).verify_slice(&self.tag).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Frame {
        Frame {
            version: PROTOCOL_VERSION,
            flow_id: [7; 16],
            step: 3,
            kind: Kind::Handoff(Handoff {
                username: "u".into(),
                target: "print".into(),
                from: "hello".into(),
                resume_point: 1,
                origin: "127.0.0.1:9".into(),
                flow_key: [9; 32],
                out_seq: 2,
                scope: vec![
                    ("hello".into(), WireValue::String(b"Hello".to_vec())),
                    ("n".into(), WireValue::Int(-5)),
                    ("x".into(), WireValue::Float64(2.5)),
                    ("b".into(), WireValue::Bool(true)),
                    ("e".into(), WireValue::Nil),
                    ("g".into(), WireValue::Graph),
                ],
                graph: vec![1, 2, 3],
                created_ms: 1_780_000_000_000,
            }),
        }
    }

    #[test]
    fn credential_keys_are_memory_hard_and_salted_per_deployment_and_user() {
        let start = std::time::Instant::now();
        let key = credential_key("", "u", "monkey");
        let took = start.elapsed();
        // One SHA-256 (the previous key) takes about a microsecond; 19 MiB
        // written and read twice cannot take under 2 ms on any machine.
        assert!(took >= std::time::Duration::from_millis(2), "a key in {took:?}");
        assert_eq!(key, credential_key("", "u", "monkey"), "deterministic");
        assert_ne!(key, credential_key("deployment-2", "u", "monkey"), "the deployment salt matters");
        assert_ne!(key, credential_key("", "v", "monkey"), "the username salts too");
        let mut sha = Sha256::new();
        sha.update(b"g2n-handoff-v1\0u\0monkey");
        assert_ne!(key, <[u8; 32]>::from(sha.finalize()), "not the one-SHA-256 key any more");
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(parse_key(&hex), Ok(key));
        for bad in ["", "abc", &hex[1..], &format!("{}g", &hex[1..])] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn frames_round_trip_and_verify() {
        let key = credential_key("", "u", "p");
        for frame in [
            sample(),
            Frame { version: PROTOCOL_VERSION, flow_id: [1; 16], step: 0, kind: Kind::Ack },
            Frame { version: PROTOCOL_VERSION, flow_id: [1; 16], step: 0, kind: Kind::Nack { reason: "no".into() } },
            Frame {
                version: PROTOCOL_VERSION,
                flow_id: [1; 16],
                step: 9,
                kind: Kind::Output { stream: Stream::Stderr, seq: 4, bytes: b"x\n".to_vec() },
            },
            Frame { version: PROTOCOL_VERSION, flow_id: [1; 16], step: 9, kind: Kind::End { seq: 5, exit_code: -3 } },
            Frame { version: PROTOCOL_VERSION, flow_id: [1; 16], step: 9, kind: Kind::Alive { unit: "print".into() } },
            Frame { version: PROTOCOL_VERSION, flow_id: [1; 16], step: 9, kind: Kind::Done },
        ] {
            let bytes = encode(&frame, Some(&key));
            let raw = read_frame(&mut &bytes[..]).unwrap();
            assert!(raw.verify(&key));
            assert!(!raw.verify(&credential_key("", "u", "q")));
            assert_eq!(raw.decode().unwrap(), frame);
        }
    }

    #[test]
    fn hostile_input_is_refused_not_panicked_on() {
        let bytes = encode(&sample(), None);
        // Every truncation is Truncated or Closed, never a panic.
        for cut in 0..bytes.len() {
            match read_frame(&mut &bytes[..cut]) {
                Err(ReadError::Closed) => assert_eq!(cut, 0),
                Err(ReadError::Truncated) => {}
                other => panic!("cut {cut}: {other:?}"),
            }
        }
        // Flipping any body byte never panics the decoder.
        let raw = read_frame(&mut &bytes[..]).unwrap();
        for i in 0..raw.body.len() {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut body = raw.body.clone();
                body[i] ^= flip;
                let _ = RawFrame { body, tag: raw.tag }.decode();
            }
        }
        let huge = (MAX_FRAME_LEN + 1).to_be_bytes();
        assert!(matches!(read_frame(&mut &huge[..]), Err(ReadError::Oversize(_))));
        let mut wrong_version = raw.body.clone();
        wrong_version[0] = 9;
        let err = RawFrame { body: wrong_version, tag: raw.tag }.decode().unwrap_err();
        assert!(err.contains("unsupported protocol version 9"), "{err}");
    }
}
