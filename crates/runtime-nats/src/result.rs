//! A flow's results on the out stream: output chunks and the end, one
//! message each, described by headers (so `g2n flow result` reads them with
//! a plain NATS client) and tagged under the flow key (so an origin takes
//! only its own flow's results).

use async_nats::HeaderMap;
use bytes::Bytes;
use g2n_abi::nats::{HEADER_EXIT, HEADER_KIND, HEADER_SEQ, HEADER_TAG};
use g2n_runtime::wire::{Key, Stream};
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowResult {
    Output { stream: Stream, seq: u64, bytes: Vec<u8> },
    End { seq: u64, exit_code: i32 },
}

fn kind_name(r: &FlowResult) -> &'static str {
    match r {
        FlowResult::Output { stream: Stream::Stdout, .. } => "stdout",
        FlowResult::Output { stream: Stream::Stderr, .. } => "stderr",
        FlowResult::End { .. } => "end",
    }
}

fn tag(key: &Key, flow: &str, kind: &str, seq: u64, exit: i32, body: &[u8]) -> String {
    // HMAC accepts keys of any length.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(format!("g2n-result-v1\0{flow}\0{kind}\0{seq}\0{exit}\0").as_bytes());
    m.update(body);
    m.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Headers and body of a result message of flow `flow` (hex).
pub fn encode(r: &FlowResult, flow: &str, key: &Key) -> (HeaderMap, Bytes) {
    let kind = kind_name(r);
    let (seq, exit, body) = match r {
        FlowResult::Output { seq, bytes, .. } => (*seq, 0, bytes.clone()),
        FlowResult::End { seq, exit_code } => (*seq, *exit_code, Vec::new()),
    };
    let mut h = HeaderMap::new();
    h.insert(HEADER_KIND, kind);
    h.insert(HEADER_SEQ, seq.to_string().as_str());
    h.insert(HEADER_EXIT, exit.to_string().as_str());
    h.insert(HEADER_TAG, tag(key, flow, kind, seq, exit, &body).as_str());
    (h, Bytes::from(body))
}

/// Reads a result message; with `key`, only if its tag verifies.
pub fn decode(headers: Option<&HeaderMap>, body: &[u8], flow: &str, key: Option<&Key>) -> Result<FlowResult, String> {
    let h = headers.ok_or("result message without headers")?;
    let get = |name: &str| h.get(name).map(|v| v.as_str().to_string()).ok_or_else(|| format!("result message without {name}"));
    let kind = get(HEADER_KIND)?;
    let seq: u64 = get(HEADER_SEQ)?.parse().map_err(|_| "bad G2N-Seq".to_string())?;
    let exit: i32 = get(HEADER_EXIT)?.parse().map_err(|_| "bad G2N-Exit".to_string())?;
    if let Some(key) = key {
        let expected = tag(key, flow, &kind, seq, exit, body);
        let got = get(HEADER_TAG)?;
        // Both are hex of a MAC: compare without an early exit.
        if expected.len() != got.len() || expected.bytes().zip(got.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) != 0 {
            return Err("authentication failed for this flow".into());
        }
    }
    match kind.as_str() {
        "stdout" => Ok(FlowResult::Output { stream: Stream::Stdout, seq, bytes: body.to_vec() }),
        "stderr" => Ok(FlowResult::Output { stream: Stream::Stderr, seq, bytes: body.to_vec() }),
        "end" => Ok(FlowResult::End { seq, exit_code: exit }),
        other => Err(format!("unknown result kind '{}'", g2n_runtime::scope::sanitize(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tag() {
        let key = [7u8; 32];
        let r = FlowResult::Output { stream: Stream::Stderr, seq: 3, bytes: b"hi".to_vec() };
        let (h, b) = encode(&r, "ab", &key);
        assert_eq!(decode(Some(&h), &b, "ab", Some(&key)).unwrap(), r);
        assert!(decode(Some(&h), &b, "ab", Some(&[8u8; 32])).is_err());
        assert!(decode(Some(&h), b"hx", "ab", Some(&key)).is_err());
        assert!(decode(Some(&h), &b, "other-flow", Some(&key)).is_err());
        let e = FlowResult::End { seq: 4, exit_code: 3 };
        let (h, b) = encode(&e, "ab", &key);
        assert_eq!(decode(Some(&h), &b, "ab", None).unwrap(), e);
    }
}
