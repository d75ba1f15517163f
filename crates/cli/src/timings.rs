//! `g2n build --timings`: where a build's time went, phase by phase, printed
//! on stderr when the build ends (as `go build -debug-actiongraph` or
//! `rustc -Z time-passes` give a breakdown). The phases are recorded where
//! they happen (the driver, the library loader, the checker, code
//! generation, the linker) into one recorder for the process, which is off
//! unless `--timings` turned it on: recording costs nothing then.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One phase: its name, its time summed over every time it ran (once per
/// nanoservice for code generation and linking), and what it worked on.
struct Phase {
    name: String,
    took: Duration,
    detail: String,
}

struct Recorder {
    started: Instant,
    phases: Vec<Phase>,
}

static RECORDER: Mutex<Option<Recorder>> = Mutex::new(None);

fn recorder() -> std::sync::MutexGuard<'static, Option<Recorder>> {
    RECORDER.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts recording: the build's total is measured from here.
pub fn enable() {
    *recorder() = Some(Recorder { started: Instant::now(), phases: Vec::new() });
}

pub fn enabled() -> bool {
    recorder().is_some()
}

/// Adds `took` to the phase `name` (a new phase goes last), with `detail`
/// (replacing an earlier one when not empty).
pub fn record(name: &str, took: Duration, detail: String) {
    let mut guard = recorder();
    let Some(recorder) = guard.as_mut() else { return };
    match recorder.phases.iter_mut().find(|p| p.name == name) {
        Some(phase) => {
            phase.took += took;
            if !detail.is_empty() {
                phase.detail = detail;
            }
        }
        None => recorder.phases.push(Phase { name: name.to_string(), took, detail }),
    }
}

/// Runs `f` as the phase `name`.
pub fn time<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let result = f();
    record(name, started.elapsed(), String::new());
    result
}

/// The table of every recorded phase and the total, or `None` when
/// `--timings` was not given. Time not in any phase (starting, writing
/// files, waiting for the recorder) is the last row's.
pub fn report() -> Option<String> {
    let guard = recorder();
    let recorder = guard.as_ref()?;
    let total = recorder.started.elapsed();
    let width = recorder.phases.iter().map(|p| p.name.len()).max().unwrap_or(0).max("everything else".len());
    let mut out = format!("g2n: timings (wall clock)\n  {:<width$}  {:>9}  {:>5}\n", "phase", "time", "share");
    let share = |d: Duration| if total.is_zero() { 0.0 } else { 100.0 * d.as_secs_f64() / total.as_secs_f64() };
    let mut accounted = Duration::ZERO;
    for phase in &recorder.phases {
        accounted += phase.took;
        out.push_str(&format!("  {:<width$}  {:>9}  {:>4.0}%", phase.name, format_ms(phase.took), share(phase.took)));
        if !phase.detail.is_empty() {
            out.push_str(&format!("  {}", phase.detail));
        }
        out.push('\n');
    }
    let rest = total.saturating_sub(accounted);
    out.push_str(&format!("  {:<width$}  {:>9}  {:>4.0}%\n", "everything else", format_ms(rest), share(rest)));
    out.push_str(&format!("  {:<width$}  {:>9}\n", "total", format_ms(total)));
    Some(out)
}

fn format_ms(took: Duration) -> String {
    format!("{:.1} ms", took.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_add_up_under_their_names() {
        assert!(report().is_none() || enabled());
        enable();
        record("parse", Duration::from_millis(2), "1 file".to_string());
        record("link", Duration::from_millis(5), String::new());
        record("parse", Duration::from_millis(3), String::new());
        let text = report().unwrap_or_default();
        let rows: Vec<&str> = text.lines().map(str::trim).collect();
        assert!(rows[2].starts_with("parse") && rows[2].contains("5.0 ms") && rows[2].ends_with("1 file"), "{text}");
        assert!(rows[3].starts_with("link") && rows[3].contains("5.0 ms"), "{text}");
        assert!(rows[4].starts_with("everything else") && rows[5].starts_with("total"), "{text}");
        *recorder() = None;
    }
}
