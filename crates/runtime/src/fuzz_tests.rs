//! Bounded-time fuzzing of the decoders a peer's bytes reach: frames
//! (`wire::read_frame` and `RawFrame::decode`) and scope graphs
//! (`graph::check`, then materializing and loading what it accepts). Any
//! panic fails the test, and so does an input that makes the decoder
//! allocate more than its bound, measured by a counting allocator (this test
//! binary's global allocator, tests/support/counting_alloc.rs, counting per
//! thread):
//!
//! - a graph check holds at most its host's `graph_memory_budget` (here
//!   1 MiB) plus a small constant for messages: everything it keeps is
//!   charged before it is allocated;
//! - a frame decode holds at most a fixed multiple of the frame's length.
//!
//! Inputs are mutations (bit flips, byte runs, large varints, truncations,
//! duplications, splices) of valid graphs and frames, from a deterministic
//! generator. `G2N_FUZZ_SECS` bounds each of the two runs (default 3 s; they
//! run in parallel with the crate's other tests), `G2N_FUZZ_SEED` picks the
//! sequence.

use crate::graph::{self, GraphBudget, Slot};
use crate::wire::{self, Frame, Handoff, Kind, Stream, WireValue};
use std::time::{Duration, Instant};

#[path = "../tests/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::thread_peak_of as peak_of;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn settings() -> (Duration, u64) {
    let secs = std::env::var("G2N_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let seed = std::env::var("G2N_FUZZ_SEED")
        .ok()
        .and_then(|s| s.strip_prefix("0x").map_or_else(|| s.parse().ok(), |h| u64::from_str_radix(h, 16).ok()))
        .unwrap_or(0x6732_6e5f_7769_7265);
    (Duration::from_secs(secs), seed)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// One mutation of `data` (`donor` for splices).
fn mutate(rng: &mut Rng, data: &[u8], donor: &[u8]) -> Vec<u8> {
    let mut d = data.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let at = rng.below(d.len() + 1);
        match rng.below(8) {
            0 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] ^= 1 << rng.below(8);
            }
            1 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] = [0, 1, 2, 0x7f, 0x80, 0xff][rng.below(6)];
            }
            2 => {
                // A big number where a count or a length may be read.
                let mut v = Vec::new();
                put_varint(&mut v, [1 << 20, 1 << 30, 1 << 40, u64::MAX, rng.next()][rng.below(5)]);
                d.splice(at..at, v);
            }
            3 => d.truncate(at),
            4 if at < d.len() => {
                let end = (at + 1 + rng.below(16)).min(d.len());
                let piece = d[at..end].to_vec();
                d.splice(at..at, piece);
            }
            5 if !donor.is_empty() => {
                let from = rng.below(donor.len());
                let end = (from + 1 + rng.below(32)).min(donor.len());
                d.splice(at..at, donor[from..end].iter().copied());
            }
            6 if at < d.len() => {
                let end = (at + 1 + rng.below(8)).min(d.len());
                d.drain(at..end);
            }
            _ => d.insert(at, rng.next() as u8),
        }
    }
    d
}

const GRAPH_BUDGET: u64 = 1 << 20;
/// Error messages, the decoder's small fixed state.
const SLACK: i64 = 64 << 10;
/// Collected memory other tests of this binary may allocate while one
/// graph is materialized.
const GC_SLACK: u64 = 8 << 20;

#[test]
fn graph_decoder_survives_mutations_within_its_memory_budget() {
    let (time, seed) = settings();
    let (sample, slots) = graph::tests::sample();
    // Byte arrays of a few sizes: within the budget, and over it.
    let mut seeds: Vec<(Vec<u8>, Vec<Slot>)> = vec![(sample, slots)];
    seeds.extend([1000, 300_000, 16 << 20].map(graph::tests::zeros));
    let budget = GraphBudget::new(GRAPH_BUDGET);
    let mut rng = Rng(seed);
    let (mut runs, mut accepted, mut refused_for_memory) = (0u64, 0u64, 0u64);
    let start = Instant::now();
    while start.elapsed() < time {
        let (data, slots) = &seeds[rng.below(seeds.len())];
        let donor = &seeds[rng.below(seeds.len())].0;
        let input = mutate(&mut rng, data, donor);
        let len = input.len() as i64;
        let (result, peak) = peak_of(|| graph::check(slots, input.clone(), &budget));
        runs += 1;
        assert!(peak <= GRAPH_BUDGET as i64 + 2 * len + SLACK, "checking held {peak} bytes for a {len}-byte graph (seed {seed:#x}, run {runs}): {input:?}");
        match result {
            Ok(mut r) => {
                accepted += 1;
                // Materializing allocates in collected memory, which the
                // collector counts: at most what the check charged (plus
                // what this crate's other tests allocate meanwhile).
                let before = crate::gc::stats().1;
                let mut out = [0u64; 8];
                for (k, s) in slots.iter().enumerate() {
                    r.load(k, s.desc, false, out.as_mut_ptr().cast()).unwrap_or_else(|e| panic!("a checked graph failed to load: {e}: {input:?}"));
                }
                let collected = crate::gc::stats().1.saturating_sub(before) as u64;
                assert!(collected <= r.charged() + GC_SLACK, "materializing allocated {collected} bytes, the check charged {} (seed {seed:#x}, run {runs}): {input:?}", r.charged());
            }
            Err(e) => refused_for_memory += e.memory.is_some() as u64,
        }
        assert_eq!(budget.in_use(), 0, "a dropped graph gave its share back");
    }
    assert!(runs > 100, "only {runs} inputs in {time:?}");
    assert!(accepted > 0 && refused_for_memory > 0, "{runs} runs, {accepted} accepted, {refused_for_memory} over the budget: the mutations reach both");
}

fn sample_frames() -> Vec<Vec<u8>> {
    let key = [7u8; 32];
    let handoff = Frame {
        version: wire::PROTOCOL_VERSION,
        flow_id: [1; 16],
        step: 3,
        kind: Kind::Handoff(Handoff {
            target: "target".into(),
            from: "from".into(),
            resume_point: 2,
            origin: "127.0.0.1:9".into(),
            flow_key: [9; 32],
            out_seq: 4,
            scope: vec![
                ("s".into(), WireValue::String(b"text".to_vec())),
                ("n".into(), WireValue::Int(-5)),
                ("x".into(), WireValue::Float64(2.5)),
                ("b".into(), WireValue::Bool(true)),
                ("g".into(), WireValue::Graph),
            ],
            graph: graph::tests::sample().0,
            created_ms: 1_780_000_000_000,
        }),
    };
    let kinds = [
        Kind::Ack,
        Kind::Done,
        Kind::Nack { reason: "no".into() },
        Kind::Output { stream: Stream::Stdout, seq: 1, bytes: b"out\n".to_vec() },
        Kind::End { seq: 2, exit_code: 3 },
        Kind::Alive { unit: "u".into(), sent_ms: 9 },
    ];
    let mut frames = vec![wire::encode(&handoff, Some(&key))];
    for kind in kinds {
        frames.push(wire::encode(&Frame { version: wire::PROTOCOL_VERSION, flow_id: [1; 16], step: 3, kind }, Some(&key)));
    }
    frames
}

/// Most a frame's decode may hold per byte of frame (a scope entry of two
/// bytes becomes a String and a value, 56 bytes, in a list that grows by
/// doubling), plus a constant.
const FRAME_FACTOR: i64 = 128;

#[test]
fn frame_decoder_survives_mutations_with_allocation_linear_in_the_frame() {
    let (time, seed) = settings();
    let frames = sample_frames();
    let mut rng = Rng(seed ^ 0xf4a3e);
    let (mut runs, mut decoded) = (0u64, 0u64);
    let start = Instant::now();
    while start.elapsed() < time {
        let data = &frames[rng.below(frames.len())];
        let donor = &frames[rng.below(frames.len())];
        let mut input = mutate(&mut rng, data, donor);
        // Mostly keep the header true (its length, the body's tag and the
        // header tag under the key), so mutations reach the body's decoder.
        if rng.below(4) != 0 && input.len() >= wire::HEADER_LEN {
            let len = (input.len() - wire::HEADER_LEN) as u32;
            let tag = wire::body_tag(&[7u8; 32], &input[wire::HEADER_LEN..]);
            input[..wire::HEADER_LEN].copy_from_slice(&wire::tagged_header(&[7u8; 32], len, &tag));
        }
        let len = input.len() as i64;
        let (frame, peak) = peak_of(|| wire::read_frame(&mut input.as_slice(), &[7u8; 32]).ok().map(|raw| raw.decode()));
        runs += 1;
        assert!(peak <= FRAME_FACTOR * len + SLACK, "decoding held {peak} bytes for a {len}-byte frame (seed {seed:#x}, run {runs}): {input:?}");
        decoded += matches!(frame, Some(Ok(_))) as u64;
    }
    assert!(runs > 100 && decoded > 0, "{runs} runs, {decoded} decoded");
}
