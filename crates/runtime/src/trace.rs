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
//!
//! The subscriber is this module's own ([`JsonLines`]): a line is what
//! tracing-subscriber's JSON formatter wrote (`flatten_event`, no spans),
//! byte for byte — `timestamp`, `level`, the event's fields in their order
//! (`message` first), `target` — built straight into the thread's batch
//! or one reused buffer, without tracing-subscriber's layers, serde and
//! per-event buffers, which a profile put at a tenth of a NATS hop's CPU
//! (docs/protocol.md, "Measured", has what replacing them saved). The
//! tests below check both formatters give the same line for the same
//! event.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

/// The trace file, once installed ([`batch`] writes to it).
static FILE: OnceLock<Arc<File>> = OnceLock::new();

thread_local! {
    /// The lines of this thread's [`batch`], while one runs.
    static HELD: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
    /// Where a line outside a batch is built, kept between lines.
    static LINE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
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

/// The process's subscriber: every event at INFO or above, one JSON line
/// each, handed to its sink (the trace file, [`TraceFile`]; a buffer in
/// the tests). Spans are not recorded (no line shows them).
struct JsonLines<S>(S);

/// Where [`JsonLines`] puts an event's line.
trait LineSink: Send + Sync + 'static {
    fn line(&self, event: &Event<'_>, now: SystemTime);
}

/// The trace file: a line is appended with one `write`, or to the thread's
/// [`batch`].
struct TraceFile(Arc<File>);

/// Whether a callsite is traced: events (and `enabled!` hints) at INFO,
/// WARN and ERROR.
fn traced(meta: &Metadata<'_>) -> bool {
    !meta.is_span() && *meta.level() <= Level::INFO
}

impl<S: LineSink> Subscriber for JsonLines<S> {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if traced(meta) { Interest::always() } else { Interest::never() }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        traced(meta)
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::INFO)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        // Never called: no span is enabled.
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.0.line(event, SystemTime::now());
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl LineSink for TraceFile {
    fn line(&self, event: &Event<'_>, now: SystemTime) {
        // Straight into the batch this thread holds, if any.
        let held = HELD.with(|held| match held.try_borrow_mut().as_deref_mut() {
            Ok(Some(lines)) => {
                format_line(event, now, lines);
                true
            }
            _ => false,
        });
        if held {
            return;
        }
        let write = |line: &mut Vec<u8>| {
            format_line(event, now, line);
            let _ = (&mut &*self.0).write_all(line.as_slice());
            line.clear();
        };
        // An event logged while this thread formats another (from a
        // field's Display) gets a buffer of its own.
        let done = LINE.with(|line| line.try_borrow_mut().map(|mut line| write(&mut line)).is_ok());
        if !done {
            write(&mut Vec::new());
        }
    }
}

/// Installs the JSON-lines subscriber for the whole process, once. Later calls
/// return the first call's result (a process has one trace file).
pub fn init(path: &str) -> Result<(), String> {
    INSTALLED
        .get_or_init(|| {
            let file = Arc::new(OpenOptions::new().create(true).append(true).open(path).map_err(|e| format!("cannot open trace file {path}: {e}"))?);
            tracing::subscriber::set_global_default(JsonLines(TraceFile(file.clone()))).map_err(|e| format!("cannot install the trace subscriber: {e}"))?;
            let _ = FILE.set(file);
            Ok(())
        })
        .clone()
}

/// Flow ids are shown as 32 lowercase hex digits everywhere (errors, logs, traces).
pub fn flow_hex(id: &[u8; 16]) -> String {
    crate::flow::hex(id)
}

/// Appends `event` as one JSON line (with its newline) to `out`:
/// `{"timestamp":…,"level":…,FIELDS…,"target":…}`, as tracing-subscriber's
/// JSON formatter with `flatten_event(true)` and no spans wrote it.
fn format_line(event: &Event<'_>, now: SystemTime, out: &mut Vec<u8>) {
    let meta = event.metadata();
    out.extend_from_slice(b"{\"timestamp\":\"");
    timestamp(now, out);
    out.extend_from_slice(b"\",\"level\":\"");
    out.extend_from_slice(meta.level().as_str().as_bytes());
    out.push(b'"');
    event.record(&mut Fields(&mut *out));
    out.extend_from_slice(b",\"target\":");
    json_str(meta.target(), out);
    out.extend_from_slice(b"}\n");
}

/// An event's fields as `,"name":value` each: numbers and booleans as
/// JSON's, everything else (strings, `%` Display and `?` Debug values) as a
/// string; floats as serde_json writes them (`null` when not finite).
struct Fields<'a>(&'a mut Vec<u8>);

impl Fields<'_> {
    fn name(&mut self, field: &Field) {
        self.0.push(b',');
        json_str(field.name(), self.0);
        self.0.push(b':');
    }
}

impl Visit for Fields<'_> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.name(field);
        // serde_json's own spelling (shortest round trip; `null` for NaN
        // and infinities), as tracing-subscriber's lines had it.
        if serde_json::to_writer(&mut *self.0, &value).is_err() {
            self.0.extend_from_slice(b"null");
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.name(field);
        let _ = write!(self.0, "{value}");
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.name(field);
        let _ = write!(self.0, "{value}");
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.name(field);
        self.0.extend_from_slice(if value { b"true" } else { b"false" });
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.name(field);
        json_str(value, self.0);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.name(field);
        self.0.push(b'"');
        let _ = write!(Escaped(&mut *self.0), "{value:?}");
        self.0.push(b'"');
    }
}

/// `text` as a JSON string, quotes included.
fn json_str(text: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    escape(text, out);
    out.push(b'"');
}

/// Text written into a JSON string as it is formatted.
struct Escaped<'a>(&'a mut Vec<u8>);

impl fmt::Write for Escaped<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape(s, self.0);
        Ok(())
    }
}

/// Appends `text` escaped for the inside of a JSON string, as serde_json
/// escapes: `"` and `\` with a backslash, the control characters below
/// U+0020 as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00XX` (lowercase hex);
/// everything else (U+007F, every non-ASCII character) as it is, in UTF-8.
fn escape(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut plain = 0;
    for (at, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            b'\t' => b't',
            b'\n' => b'n',
            0x0c => b'f',
            b'\r' => b'r',
            0x00..=0x1f => b'u',
            _ => continue,
        };
        out.extend_from_slice(&bytes[plain..at]);
        plain = at + 1;
        out.extend_from_slice(&[b'\\', short]);
        if short == b'u' {
            out.extend_from_slice(&[b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
    out.extend_from_slice(&bytes[plain..]);
}

/// `at` in UTC as tracing-subscriber wrote it: RFC 3339 with microseconds,
/// `2026-12-05T07:14:28.548267Z` (a year past 9999 as `+10000`, one
/// before year 0 as `-0001`).
fn timestamp(at: SystemTime, out: &mut Vec<u8>) {
    let (secs, nanos) = match at.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            match d.subsec_nanos() {
                0 => (-(d.as_secs() as i64), 0),
                n => (-(d.as_secs() as i64) - 1, 1_000_000_000 - n),
            }
        }
    };
    let (days, of_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil(days);
    let _ = if year > 9999 {
        write!(out, "+{year}")
    } else if year < 0 {
        write!(out, "{year:05}")
    } else {
        write!(out, "{year:04}")
    };
    let _ = write!(out, "-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z", of_day / 3600, of_day / 60 % 60, of_day % 60, nanos / 1000);
}

/// The proleptic Gregorian (year, month, day) of a day counted from
/// 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let of_era = z.rem_euclid(146_097);
    let year_of_era = (of_era - of_era / 1460 + of_era / 36_524 - of_era / 146_096) / 365;
    let day_of_year = of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;

    /// The tests' sink: every line into a shared buffer.
    impl LineSink for Arc<Mutex<Vec<u8>>> {
        fn line(&self, event: &Event<'_>, now: SystemTime) {
            format_line(event, now, &mut self.lock().unwrap());
        }
    }

    /// tracing-subscriber's writer for the comparison: one shared buffer.
    #[derive(Clone)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Every character below U+0080, and some beyond, in one string.
    fn awkward() -> String {
        let mut s: String = (0u8..0x80).map(char::from).collect();
        s.push_str("é ü \u{2028} \u{fffd} 𝄞 \"quoted\" back\\slash");
        s
    }

    #[derive(Debug)]
    #[allow(dead_code)] // read through Debug
    struct Thing {
        name: String,
        n: i32,
    }

    /// The events both formatters write.
    fn emit() {
        let text = awkward();
        let flow = "0123456789abcdef0123456789abcdef".to_string();
        tracing::info!(pid = 4242u32, unit = %"ping", flow = %flow, step = 7u64, from = %"ping", to = %"pong", addr = %"g2n.m.step.pong", bytes = 1234usize, duplicate = false, latency_us = 88u64, "hop.send");
        tracing::warn!(pid = 1u32, unit = "a unit", reason = %text, "frame.rejected");
        tracing::error!(error = ?text, what = "storing the flow's end", "step.abandoned");
        tracing::info!(negative = -5i64, big = u64::MAX, small = i64::MIN, yes = true, "numbers");
        tracing::info!(half = 1.5f64, huge = 1e21f64, tiny = 1e-7f64, zero = -0.0f64, nan = f64::NAN, inf = f64::INFINITY, third = 1.0f64 / 3.0, "floats");
        tracing::info!(wide = 170141183460469231731687303715884105727i128, uwide = u128::MAX, "wide");
        tracing::info!(thing = ?Thing { name: "a \"b\"\n".into(), n: -3 }, owned = text.clone(), "debug values");
        let failure = std::io::Error::other("a failure\twith a tab");
        let error: &(dyn std::error::Error + 'static) = &failure;
        tracing::info!(error, "an error");
        tracing::info!("message {} formatted \"{}\"", 3, text);
        tracing::info!(target: "custom::target \"quoted\"", n = 1u64, "elsewhere");
        tracing::debug!(n = 1u64, "not traced");
        tracing::trace!(n = 1u64, "not traced either");
    }

    fn lines(buffer: &Mutex<Vec<u8>>) -> Vec<String> {
        String::from_utf8(buffer.lock().unwrap().clone()).unwrap().lines().map(str::to_string).collect()
    }

    /// The line with its timestamp's value replaced.
    fn untimed(line: &str) -> String {
        let start = "{\"timestamp\":\"";
        assert!(line.starts_with(start), "{line}");
        let end = line[start.len()..].find('"').unwrap() + start.len();
        format!("{start}T{}", &line[end..])
    }

    #[test]
    fn lines_are_tracing_subscribers_json_lines_byte_for_byte() {
        let ours = Arc::new(Mutex::new(Vec::new()));
        tracing::subscriber::with_default(JsonLines(ours.clone()), emit);
        let theirs = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared(theirs.clone());
        let reference = tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .with_max_level(Level::INFO)
            .with_writer(move || shared.clone())
            .finish();
        tracing::subscriber::with_default(reference, emit);
        let (ours, theirs) = (lines(&ours), lines(&theirs));
        assert_eq!(ours.len(), 10, "{ours:#?}");
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(untimed(a), untimed(b));
        }
    }

    #[test]
    fn every_line_parses_back_to_its_fields() {
        let ours = Arc::new(Mutex::new(Vec::new()));
        tracing::subscriber::with_default(JsonLines(ours.clone()), emit);
        let parsed: Vec<serde_json::Value> = lines(&ours).iter().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
        let text = awkward();
        let hop = &parsed[0];
        assert_eq!(hop["message"], "hop.send");
        assert_eq!(hop["level"], "INFO");
        assert_eq!(hop["pid"], 4242);
        assert_eq!(hop["flow"], "0123456789abcdef0123456789abcdef");
        assert_eq!(hop["duplicate"], false);
        assert_eq!(hop["target"], module_path!());
        assert_eq!(parsed[1]["level"], "WARN");
        assert_eq!(parsed[1]["reason"], text.as_str(), "a Display value with every escape comes back whole");
        assert_eq!(parsed[1]["unit"], "a unit");
        assert_eq!(parsed[2]["error"], format!("{text:?}").as_str());
        assert_eq!(parsed[3]["big"], u64::MAX);
        assert_eq!(parsed[3]["small"], i64::MIN);
        assert_eq!(parsed[3]["negative"], -5);
        assert_eq!(parsed[4]["half"], 1.5);
        assert!(parsed[4]["nan"].is_null());
        assert_eq!(parsed[5]["uwide"], u128::MAX.to_string().as_str());
        assert_eq!(parsed[6]["owned"], text.as_str());
        assert_eq!(parsed[7]["error"], "a failure\twith a tab");
        assert_eq!(parsed[8]["message"], format!("message 3 formatted \"{text}\"").as_str());
        assert_eq!(parsed[9]["target"], "custom::target \"quoted\"");
    }

    #[test]
    fn escaping_is_serde_jsons_for_every_character() {
        let mut all = String::new();
        for c in (0u32..0x800).chain([0x2028, 0xfeff, 0xfffd, 0x1_d11e, 0x10_ffff]).filter_map(char::from_u32) {
            all.push(c);
            let mut out = Vec::new();
            json_str(c.encode_utf8(&mut [0; 4]), &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&c.to_string()).unwrap(), "U+{:04X}", c as u32);
        }
        let mut out = Vec::new();
        json_str(&all, &mut out);
        assert_eq!(out, serde_json::to_vec(&all).unwrap());
        assert_eq!(serde_json::from_slice::<String>(&out).unwrap(), all);
    }

    #[test]
    fn timestamps_are_rfc3339_utc_with_microseconds() {
        let at = |secs: u64, nanos: u32| {
            let mut out = Vec::new();
            timestamp(UNIX_EPOCH + Duration::new(secs, nanos), &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400, 999), "2000-02-29T00:00:00.000000Z");
        assert_eq!(at(1_780_000_000, 123_456_789), "2026-05-28T20:26:40.123456Z");
        assert_eq!(at(4_102_444_799, 999_999_999), "2099-12-31T23:59:59.999999Z");
        let mut before = Vec::new();
        timestamp(UNIX_EPOCH - Duration::new(1, 500_000_000), &mut before);
        assert_eq!(String::from_utf8(before).unwrap(), "1969-12-31T23:59:58.500000Z");
        // Every day from 1900 to 2400 follows the one before it on the
        // calendar (month lengths, leap years by the Gregorian rules).
        let leap = |y: i64| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let length = |y: i64, m: u32| match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let mut expected = (1900i64, 1u32, 1u32);
        for days in -25_567..157_054 {
            assert_eq!(civil(days), expected, "day {days}");
            expected = match expected {
                (y, 12, 31) => (y + 1, 1, 1),
                (y, m, d) if d == length(y, m) => (y, m + 1, 1),
                (y, m, d) => (y, m, d + 1),
            };
        }
        assert_eq!(expected, (2400, 1, 1));
    }
}
