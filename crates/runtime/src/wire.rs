//! The handoff wire protocol (docs/protocol.md is the normative description).
//!
//! A frame on a stream is `u32 big-endian length | key id (8) | body tag
//! (32) | header tag (16) | body`, where `body` is a postcard-encoded
//! [`Frame`], the body tag is an HMAC-SHA256 of the body, and the header tag
//! authenticates the length, the key id and the body tag. So a receiver
//! refuses a frame from a stranger before it reads (and buffers) the body,
//! and a body that is not the one its header was made for (a captured
//! header replayed with another body) once it has read the declared length.
//! Everything here treats its input as hostile: lengths are checked before
//! any allocation, decoding never panics, and the caller gets a reason it
//! can log.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};

/// Bumped whenever the encoding of [`Frame`] changes meaning.
/// Version 2 added scope graphs (`WireValue::Graph`, `Handoff::graph`).
/// Version 3 added durable handoffs (`Kind::Done`, sent on the handoff's
/// connection when the step it started has finished; until then the sender
/// keeps the handoff and re-sends it to a restarted receiver).
/// Version 4 added `Handoff::created_ms` (replay tied to time).
/// Version 5 authenticates a frame's header before its body is read (key
/// id and header tag), identifies the credential by its key id instead of
/// sending the username, and stamps Alive with `sent_ms`.
/// Version 6 binds the body to the header: the body's tag moves into the
/// header (before the header tag, which covers it), so a header is good for
/// the one body it was made for; `length` counts the body alone.
pub const PROTOCOL_VERSION: u16 = 6;
/// Largest accepted `length` (the body). Bigger frames are refused unread:
/// a scope that large belongs in a later, streamed protocol version.
pub const MAX_FRAME_LEN: u32 = 16 * 1024 * 1024;
/// The body tag: HMAC-SHA256 of the body, carried in the header.
pub const TAG_LEN: usize = 32;
/// Bytes before the body: length, key id, body tag and header tag.
pub const HEADER_LEN: usize = 4 + KEY_ID_LEN + TAG_LEN + HEADER_TAG_LEN;
pub const KEY_ID_LEN: usize = 8;
pub const HEADER_TAG_LEN: usize = 16;
/// Largest `length` of an untagged frame (key id and tags zero): only Nacks of
/// frames whose key the receiver could not establish are untagged, and a
/// reason is short, so a stranger's header can make a reader buffer at most
/// this much.
pub const MAX_UNTAGGED_LEN: u32 = 4096;

pub type FlowId = [u8; 16];
pub type Key = [u8; 32];
/// The reason every failed authentication gives (unknown key id, header or
/// body tag that does not verify, a key not accepted for the target).
pub const AUTH_FAILED: &str = "authentication failed";

/// Names a key without revealing it (or the username it belongs to): the
/// first 8 bytes of HMAC-SHA256(key, "g2n-key-id-v5").
pub type KeyId = [u8; KEY_ID_LEN];

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
    /// Version 5: `sent_ms`, inside the tagged body, grows with every Alive
    /// of a step, so a replayed Alive (same bytes, same `sent_ms`) is told
    /// apart from a new one and refused.
    Alive { unit: String, sent_ms: u64 },
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

/// The id a frame tagged with `key` carries in its header.
pub fn key_id(key: &Key) -> KeyId {
    let full = mac(key, b"g2n-key-id-v5").finalize().into_bytes();
    let mut id = [0u8; KEY_ID_LEN];
    id.copy_from_slice(&full[..KEY_ID_LEN]);
    id
}

/// The header tag: HMAC-SHA256(key, "g2n-header-v6" || length || key id ||
/// body tag), truncated to 16 bytes. Covering the body tag is what binds
/// the header to one body.
fn header_mac(key: &Key, len: u32, id: &KeyId, body_tag: &[u8; TAG_LEN]) -> Hmac<Sha256> {
    let mut m = mac(key, b"g2n-header-v6");
    m.update(&len.to_be_bytes());
    m.update(id);
    m.update(body_tag);
    m
}

/// The body tag: HMAC-SHA256(key, "g2n-body-v6" || body).
fn body_mac(key: &Key, body: &[u8]) -> Hmac<Sha256> {
    let mut m = mac(key, b"g2n-body-v6");
    m.update(body);
    m
}

/// The tag of `body` under `key`, as a header carries it.
pub fn body_tag(key: &Key, body: &[u8]) -> [u8; TAG_LEN] {
    body_mac(key, body).finalize().into_bytes().into()
}

/// Serializes and tags a frame, ready to write. `key: None` writes an
/// all-zero key id and tags (only for Nacks of frames whose key could not
/// be established; a reader takes such a frame only up to
/// [`MAX_UNTAGGED_LEN`]).
pub fn encode(frame: &Frame, key: Option<&Key>) -> Vec<u8> {
    // Serializing plain data into a Vec cannot fail.
    let body = postcard::to_stdvec(frame).unwrap_or_default();
    let len = body.len() as u32;
    let header = match key {
        Some(k) => tagged_header(k, len, &body_tag(k, &body)),
        None => untagged_header(len),
    };
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&body);
    out
}

/// The header of a frame of a `len`-byte body whose tag under `key` is
/// `body_tag`.
pub fn tagged_header(key: &Key, len: u32, body_tag: &[u8; TAG_LEN]) -> [u8; HEADER_LEN] {
    let id = key_id(key);
    let mut out = [0u8; HEADER_LEN];
    out[..4].copy_from_slice(&len.to_be_bytes());
    out[4..4 + KEY_ID_LEN].copy_from_slice(&id);
    out[4 + KEY_ID_LEN..4 + KEY_ID_LEN + TAG_LEN].copy_from_slice(body_tag);
    out[4 + KEY_ID_LEN + TAG_LEN..].copy_from_slice(&header_mac(key, len, &id, body_tag).finalize().into_bytes()[..HEADER_TAG_LEN]);
    out
}

/// The header of an untagged frame of `len`.
pub fn untagged_header(len: u32) -> [u8; HEADER_LEN] {
    let mut out = [0u8; HEADER_LEN];
    out[..4].copy_from_slice(&len.to_be_bytes());
    out
}

/// The keys a reader accepts frames under, found by their key id.
pub trait KeyRing {
    fn find(&self, id: &KeyId) -> Option<Key>;
}

/// One key: a flow's return path, or a sender waiting for its reply.
impl KeyRing for Key {
    fn find(&self, id: &KeyId) -> Option<Key> {
        (key_id(self) == *id).then_some(*self)
    }
}

/// No key: only untagged frames (at most [`MAX_UNTAGGED_LEN`]) are read.
pub struct NoKeys;

impl KeyRing for NoKeys {
    fn find(&self, _: &KeyId) -> Option<Key> {
        None
    }
}

/// A frame as read from the wire, not yet trusted.
#[derive(Debug)]
pub struct RawFrame {
    pub body: Vec<u8>,
    /// The body tag its header carried (authenticated with the header).
    pub tag: [u8; TAG_LEN],
    /// The key its header named and authenticated (None: untagged).
    pub key: Option<Key>,
}

#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection between frames: not an error.
    Closed,
    /// The peer closed or timed out in the middle of a frame.
    Truncated,
    Oversize(u32),
    /// A length of zero: no frame has an empty body.
    TooShort(u32),
    /// The header names a key the reader does not have, or its tag does not
    /// verify under it: refused before the body is read.
    UnknownKey,
    /// An untagged frame longer than [`MAX_UNTAGGED_LEN`].
    UntaggedTooLong(u32),
    Io(io::Error),
}

impl ReadError {
    /// The header was refused for its authentication: the peer failed to
    /// authenticate (counted against its failure rate).
    pub fn is_auth_failure(&self) -> bool {
        matches!(self, ReadError::UnknownKey | ReadError::UntaggedTooLong(_))
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Closed => write!(f, "connection closed"),
            ReadError::Truncated => write!(f, "truncated frame"),
            ReadError::Oversize(n) => write!(f, "frame of {n} bytes exceeds the {MAX_FRAME_LEN}-byte limit"),
            ReadError::TooShort(n) => write!(f, "frame of {n} bytes is too short to hold a body"),
            // The same reason as a body whose tag fails: a peer learns nothing
            // about which keys exist.
            ReadError::UnknownKey => write!(f, "{AUTH_FAILED}"),
            ReadError::UntaggedTooLong(n) => write!(f, "untagged frame of {n} bytes exceeds the {MAX_UNTAGGED_LEN}-byte limit of untagged frames"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// A frame's header, read and bounded, not yet authenticated.
#[derive(Debug)]
pub struct Header {
    /// The body's length.
    pub len: u32,
    pub key_id: KeyId,
    body_tag: [u8; TAG_LEN],
    tag: [u8; HEADER_TAG_LEN],
}

impl Header {
    /// Untagged: key id and tags all zero.
    pub fn untagged(&self) -> bool {
        self.key_id == [0; KEY_ID_LEN] && self.body_tag == [0; TAG_LEN] && self.tag == [0; HEADER_TAG_LEN]
    }

    /// Constant-time check of the header tag under `key` (which covers the
    /// body tag, so the header is good for one body only).
    pub fn verify(&self, key: &Key) -> bool {
        header_mac(key, self.len, &self.key_id, &self.body_tag).verify_truncated_left(&self.tag).is_ok()
    }

    /// The key the header names and authenticates, from `keys`; for an
    /// untagged header, None if it is short enough to read.
    pub fn authenticate(&self, keys: &(impl KeyRing + ?Sized)) -> Result<Option<Key>, ReadError> {
        if self.untagged() {
            return if self.len <= MAX_UNTAGGED_LEN { Ok(None) } else { Err(ReadError::UntaggedTooLong(self.len)) };
        }
        match keys.find(&self.key_id) {
            Some(key) if self.verify(&key) => Ok(Some(key)),
            _ => Err(ReadError::UnknownKey),
        }
    }
}

/// Reads and bounds a frame's header (nothing of the body). The length is
/// checked as soon as its 4 bytes are in, so an oversized frame is refused
/// even if its sender writes nothing more.
pub fn read_header(r: &mut impl Read) -> Result<Header, ReadError> {
    let mut head = [0u8; HEADER_LEN];
    fill(r, &mut head[..4], true)?;
    let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    if len > MAX_FRAME_LEN {
        return Err(ReadError::Oversize(len));
    }
    if len == 0 {
        return Err(ReadError::TooShort(len));
    }
    fill(r, &mut head[4..], false)?;
    let mut key_id = [0u8; KEY_ID_LEN];
    key_id.copy_from_slice(&head[4..4 + KEY_ID_LEN]);
    let mut body_tag = [0u8; TAG_LEN];
    body_tag.copy_from_slice(&head[4 + KEY_ID_LEN..4 + KEY_ID_LEN + TAG_LEN]);
    let mut tag = [0u8; HEADER_TAG_LEN];
    tag.copy_from_slice(&head[4 + KEY_ID_LEN + TAG_LEN..]);
    Ok(Header { len, key_id, body_tag, tag })
}

/// Fills `buf` from `r`; `first`: nothing of the frame has been read yet,
/// so an end or error before any byte is Closed or Io, not Truncated.
fn fill(r: &mut impl Read, buf: &mut [u8], first: bool) -> Result<(), ReadError> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) if first && got == 0 => return Err(ReadError::Closed),
            Ok(0) => return Err(ReadError::Truncated),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if first && got == 0 => return Err(ReadError::Io(e)),
            Err(_) => return Err(ReadError::Truncated),
        }
    }
    Ok(())
}

/// Reads exactly the body of a frame whose header authenticated as `key`
/// (whether it is the body the header was made for is [`RawFrame::verify`]'s
/// question). The body grows as bytes arrive instead of being allocated
/// from the length up front.
pub fn read_body(r: &mut impl Read, header: &Header, key: Option<Key>) -> Result<RawFrame, ReadError> {
    let len = header.len;
    let mut body = Vec::new();
    match r.take(len as u64).read_to_end(&mut body) {
        Ok(n) if n == len as usize => {}
        _ => return Err(ReadError::Truncated),
    }
    Ok(RawFrame { body, tag: header.body_tag, key })
}

/// Reads one frame whose header names a key of `keys` (or is untagged and
/// short): the header is authenticated before a byte of the body is read.
pub fn read_frame(r: &mut impl Read, keys: &(impl KeyRing + ?Sized)) -> Result<RawFrame, ReadError> {
    let header = read_header(r)?;
    let key = header.authenticate(keys)?;
    read_body(r, &header, key)
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

    /// Constant-time check that the body is the one its header's body tag
    /// was made for under `key` (hmac's `verify_slice`).
    pub fn verify(&self, key: &Key) -> bool {
        body_mac(key, &self.body).verify_slice(&self.tag).is_ok()
    }

    /// The body's tag verifies under the key its header named.
    pub fn authentic(&self) -> bool {
        self.key.as_ref().is_some_and(|k| self.verify(k))
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
            Frame { version: PROTOCOL_VERSION, flow_id: [1; 16], step: 9, kind: Kind::Alive { unit: "print".into(), sent_ms: 5 } },
            Frame { version: PROTOCOL_VERSION, flow_id: [1; 16], step: 9, kind: Kind::Done },
        ] {
            let bytes = encode(&frame, Some(&key));
            let raw = read_frame(&mut &bytes[..], &key).unwrap();
            assert!(raw.verify(&key) && raw.authentic());
            assert!(!raw.verify(&credential_key("", "u", "q")));
            assert_eq!(raw.decode().unwrap(), frame);
            // Under another key the header does not authenticate, so the
            // body is never read.
            assert!(matches!(read_frame(&mut &bytes[..], &credential_key("", "u", "q")), Err(ReadError::UnknownKey)));
        }
    }

    #[test]
    fn a_header_is_good_for_the_body_it_was_made_for_only() {
        let key = [5u8; 32];
        let frame = |step| Frame { version: PROTOCOL_VERSION, flow_id: [1; 16], step, kind: Kind::Alive { unit: "u".into(), sent_ms: 1 } };
        let (one, two) = (encode(&frame(1), Some(&key)), encode(&frame(2), Some(&key)));
        assert_eq!(one.len(), two.len(), "same length, so only the body tag tells them apart");
        // The header of frame one with the body of frame two (a replayed
        // header with another body): the header authenticates, the body
        // is read to its declared end and refused.
        let mut spliced = one[..HEADER_LEN].to_vec();
        spliced.extend_from_slice(&two[HEADER_LEN..]);
        let raw = read_frame(&mut &spliced[..], &key).unwrap();
        assert!(!raw.verify(&key) && !raw.authentic());
        // Swapping the body tag in too breaks the header tag, which covers it.
        spliced[4 + KEY_ID_LEN..4 + KEY_ID_LEN + TAG_LEN].copy_from_slice(&two[4 + KEY_ID_LEN..4 + KEY_ID_LEN + TAG_LEN]);
        assert!(matches!(read_frame(&mut &spliced[..], &key), Err(ReadError::UnknownKey)));
        // The genuine frames verify.
        for bytes in [&one, &two] {
            assert!(read_frame(&mut &bytes[..], &key).unwrap().authentic());
        }
    }

    #[test]
    fn hostile_input_is_refused_not_panicked_on() {
        let key = [5u8; 32];
        let bytes = encode(&sample(), Some(&key));
        // Every truncation is Truncated or Closed, never a panic.
        for cut in 0..bytes.len() {
            match read_frame(&mut &bytes[..cut], &key) {
                Err(ReadError::Closed) => assert_eq!(cut, 0),
                Err(ReadError::Truncated) => {}
                other => panic!("cut {cut}: {other:?}"),
            }
        }
        // Flipping any body byte never panics the decoder.
        let raw = read_frame(&mut &bytes[..], &key).unwrap();
        for i in 0..raw.body.len() {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut body = raw.body.clone();
                body[i] ^= flip;
                let _ = RawFrame { body, tag: raw.tag, key: None }.decode();
            }
        }
        let huge = (MAX_FRAME_LEN + 1).to_be_bytes();
        assert!(matches!(read_frame(&mut &huge[..], &key), Err(ReadError::Oversize(_))), "refused from its length alone");
        // An untagged frame is read only when short (a Nack).
        let nack = Frame { version: PROTOCOL_VERSION, flow_id: [0; 16], step: 0, kind: Kind::Nack { reason: "no".into() } };
        let untagged = encode(&nack, None);
        assert_eq!(read_frame(&mut &untagged[..], &NoKeys).unwrap().decode().unwrap(), nack);
        let untagged_big = encode(&sample(), None);
        let mut long = untagged_big.clone();
        long[..4].copy_from_slice(&(MAX_UNTAGGED_LEN + 1).to_be_bytes());
        assert!(matches!(read_frame(&mut &long[..], &key), Err(ReadError::UntaggedTooLong(_))));
        let mut wrong_version = raw.body.clone();
        wrong_version[0] = 9;
        let err = RawFrame { body: wrong_version, tag: raw.tag, key: None }.decode().unwrap_err();
        assert!(err.contains("unsupported protocol version 9"), "{err}");
    }
}
