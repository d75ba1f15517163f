//! `trace::batch`: a thread's lines held until the batch ends, then
//! written together, in order. Its own test binary: the trace subscriber
//! is the process's, once.

use std::time::{SystemTime, UNIX_EPOCH};

#[test]
fn a_batch_writes_its_lines_together_when_it_ends_and_other_lines_at_once() {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let path = std::env::temp_dir().join(format!("g2n-trace-batch-{}-{nanos}.jsonl", std::process::id()));
    g2n_runtime::trace::init(path.to_str().unwrap()).unwrap();
    let lines = || std::fs::read_to_string(&path).unwrap().lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["message"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    tracing::info!(step = 1, "before");
    assert_eq!(lines(), ["before"], "outside a batch, a line is written at once");
    let inside = g2n_runtime::trace::batch(|| {
        tracing::info!(step = 2, "first");
        // Nested: part of the outer batch.
        g2n_runtime::trace::batch(|| tracing::info!(step = 3, "second"));
        // Another thread's line is not held by this thread's batch.
        std::thread::spawn(|| tracing::info!(step = 4, "elsewhere")).join().unwrap();
        lines()
    });
    assert_eq!(inside, ["before", "elsewhere"], "held until the batch ends");
    assert_eq!(lines(), ["before", "elsewhere", "first", "second"]);
    // A batch that unwinds still writes what it held.
    let _ = std::panic::catch_unwind(|| {
        g2n_runtime::trace::batch(|| {
            tracing::info!(step = 5, "then a panic");
            panic!("in a batch");
        })
    });
    tracing::info!(step = 6, "after");
    assert_eq!(lines(), ["before", "elsewhere", "first", "second", "then a panic", "after"]);
    let _ = std::fs::remove_file(&path);
}
