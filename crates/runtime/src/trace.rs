//! Structured events with `tracing`, written as JSON lines.
//!
//! The runtime emits an event for every hop (sent, received, duplicate,
//! retried, failed), every rejected frame and every flow end. Without a trace
//! file no subscriber is installed and the events cost next to nothing. With
//! `trace_file` in the runtime configuration (`g2n run --trace FILE` sets it
//! for every process of the mesh) each event becomes one JSON object on one
//! line, appended to the file. The file is opened with `O_APPEND` and each
//! event (or each [`batch`] of one thread's events) is written with a single
//! `write`, so the lines of several processes interleave but never mix, and
//! one flow id can be followed across processes.
//!
//! Event names (the `message` field) and their fields are listed in
//! docs/protocol.md ("Trace events").

use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::{Arc, OnceLock};

static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

/// The trace file, once installed ([`batch`] writes to it).
static FILE: OnceLock<Arc<File>> = OnceLock::new();

thread_local! {
    /// The lines of this thread's [`batch`], while one runs.
    static HELD: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// Runs `f`, writing the trace lines it emits on this thread with one
/// `write` when it returns (or unwinds) instead of one each: for events
/// that happen together anyway (a hop's `hop.send` and its `step.commit`),
/// one system call instead of several. The lines keep their order and
/// their timestamps (taken when each event happened); lines of other
/// threads and processes may land between them, as always. Without a
/// trace file, just runs `f`.
pub fn batch<R>(f: impl FnOnce() -> R) -> R {
    let Some(file) = FILE.get() else { return f() };
    let outer = HELD.with(|held| {
        let mut held = held.borrow_mut();
        held.is_none().then(|| *held = Some(Vec::with_capacity(1024))).is_some()
    });
    if !outer {
        return f();
    }
    /// Writes the held lines however `f` ends.
    struct Flush<'a>(&'a File);
    impl Drop for Flush<'_> {
        fn drop(&mut self) {
            let lines = HELD.with(|held| held.borrow_mut().take()).unwrap_or_default();
            if !lines.is_empty() {
                let _ = (&mut &*self.0).write_all(&lines);
            }
        }
    }
    let _flush = Flush(file);
    f()
}

/// The subscriber's writer: appends each line to the file with one
/// `write`, or to the thread's [`batch`].
struct Lines(Arc<File>);

impl Write for &Lines {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let held = HELD.with(|held| match held.try_borrow_mut().as_deref_mut() {
            Ok(Some(lines)) => {
                lines.extend_from_slice(line);
                true
            }
            _ => false,
        });
        if held { Ok(line.len()) } else { (&mut &*self.0).write(line) }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Lines {
    type Writer = &'a Lines;
    fn make_writer(&'a self) -> &'a Lines {
        self
    }
}

/// Installs the JSON-lines subscriber for the whole process, once. Later calls
/// return the first call's result (a process has one trace file).
pub fn init(path: &str) -> Result<(), String> {
    INSTALLED
        .get_or_init(|| {
            let file = Arc::new(OpenOptions::new().create(true).append(true).open(path).map_err(|e| format!("cannot open trace file {path}: {e}"))?);
            let subscriber = tracing_subscriber::fmt()
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .with_max_level(tracing::Level::INFO)
                .with_writer(Lines(file.clone()))
                .finish();
            tracing::subscriber::set_global_default(subscriber).map_err(|e| format!("cannot install the trace subscriber: {e}"))?;
            let _ = FILE.set(file);
            Ok(())
        })
        .clone()
}

/// Flow ids are shown as 32 lowercase hex digits everywhere (errors, logs, traces).
pub fn flow_hex(id: &[u8; 16]) -> String {
    crate::flow::hex(id)
}
