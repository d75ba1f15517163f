//! What the runtime's integration tests share: a handoff frame from a test
//! sender to the nanoservice `target`, resume point 1. Included with
//! `mod support;` by the tests that use it.

use g2n_runtime::wire::{self, Frame, Handoff, Kind, WireValue};

/// A handoff of flow `[flow; 16]`, step 1, from `user`, carrying `scope`
/// (and `graph`, for graph slots), stamped `created_ms`.
pub fn handoff(user: &str, flow: u8, scope: Vec<(String, WireValue)>, graph: Vec<u8>, created_ms: u64) -> Frame {
    Frame {
        version: wire::PROTOCOL_VERSION,
        flow_id: [flow; 16],
        step: 1,
        kind: Kind::Handoff(Handoff {
            username: user.into(),
            target: "target".into(),
            from: "test".into(),
            resume_point: 1,
            origin: String::new(),
            flow_key: [3; 32],
            out_seq: 0,
            scope,
            graph,
            created_ms,
        }),
    }
}
