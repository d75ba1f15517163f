//! What the runtime's integration tests share: the nanoservice `target` and
//! a handoff frame to it from a test sender, resume point 1. Included with
//! `mod support;` by the tests that use it.

use g2n_abi::{ABI_VERSION, EntryDesc, ScopeVar, TypeTag, UnitDescriptor};
use g2n_runtime::wire::{self, Frame, Handoff, Kind, WireValue};

/// The unit `target` that [`handoff`] frames go to: one entry, resume point
/// 1, receiving `n int`.
#[allow(dead_code)]
pub fn target_unit() -> UnitDescriptor {
    UnitDescriptor {
        abi_version: ABI_VERSION,
        unit: "target".into(),
        entries: vec![EntryDesc { resume_point: 1, vars: vec![ScopeVar::basic("n", TypeTag::Int)] }],
        exits: vec![],
    }
}

/// A handoff of flow `[flow; 16]`, step 1, carrying `scope` (and `graph`,
/// for graph slots), stamped `created_ms`. The credential is the key it is
/// tagged with (`wire::encode`): protocol v5 sends no username.
pub fn handoff(flow: u8, scope: Vec<(String, WireValue)>, graph: Vec<u8>, created_ms: u64) -> Frame {
    Frame {
        version: wire::PROTOCOL_VERSION,
        flow_id: [flow; 16],
        step: 1,
        kind: Kind::Handoff(Handoff {
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

/// The credential key of `user` and `password`, derived once per test
/// binary (an Argon2id derivation takes tens of milliseconds).
#[allow(dead_code)]
pub fn key(user: &str, password: &str) -> wire::Key {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<HashMap<(String, String), wire::Key>>> = OnceLock::new();
    let mut keys = KEYS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    *keys.entry((user.to_string(), password.to_string())).or_insert_with(|| wire::credential_key("", user, password))
}
