//! Reading a `--trace` file that tests wrote: one JSON object per line.

use std::path::Path;

/// Trace events (JSON lines) whose `message` is `what`; a missing file or a
/// line that is not JSON counts as no event.
pub fn events(trace: &Path, what: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(trace).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["message"] == what)
        .collect()
}
