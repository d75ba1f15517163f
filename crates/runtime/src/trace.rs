//! Structured events with `tracing`, written as JSON lines.
//!
//! The runtime emits an event for every hop (sent, received, duplicate,
//! retried, failed), every rejected frame and every flow end. Without a trace
//! file no subscriber is installed and the events cost next to nothing. With
//! `trace_file` in the runtime configuration (`g2n run --trace FILE` sets it
//! for every process of the mesh) each event becomes one JSON object on one
//! line, appended to the file. The file is opened with `O_APPEND` and each
//! event is written with a single `write`, so the lines of several processes
//! interleave but never mix, and one flow id can be followed across processes.
//!
//! Event names (the `message` field) and their fields are listed in
//! docs/protocol.md ("Trace events").

use std::fs::OpenOptions;
use std::sync::{Arc, OnceLock};

static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

/// Installs the JSON-lines subscriber for the whole process, once. Later calls
/// return the first call's result (a process has one trace file).
pub fn init(path: &str) -> Result<(), String> {
    INSTALLED
        .get_or_init(|| {
            let file = OpenOptions::new().create(true).append(true).open(path).map_err(|e| format!("cannot open trace file {path}: {e}"))?;
            let subscriber = tracing_subscriber::fmt()
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .with_max_level(tracing::Level::INFO)
                .with_writer(Arc::new(file))
                .finish();
            tracing::subscriber::set_global_default(subscriber).map_err(|e| format!("cannot install the trace subscriber: {e}"))
        })
        .clone()
}

/// Flow ids are shown as 32 lowercase hex digits everywhere (errors, logs, traces).
pub fn flow_hex(id: &[u8; 16]) -> String {
    crate::flow::hex(id)
}
