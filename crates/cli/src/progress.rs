//! What a build says while it works, on stderr: with `-v`, one line per stage
//! and per nanoservice with its time; without it, on a terminal only, one
//! status line rewritten in place and erased at the end (so pipes, logs and
//! tests see nothing but diagnostics).

use std::cell::Cell;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    verbose: bool,
    /// A status line is shown (stderr is a terminal, and no `-v`).
    status_line: bool,
    shown: Cell<bool>,
}

impl Progress {
    pub fn new(verbose: bool) -> Progress {
        let status_line = !verbose && std::io::stderr().is_terminal() && std::env::var_os("G2N_NO_PROGRESS").is_none();
        Progress { verbose, status_line, shown: Cell::new(false) }
    }

    /// Says nothing (`g2n run` reports its own progress).
    pub fn silent() -> Progress {
        Progress { verbose: false, status_line: false, shown: Cell::new(false) }
    }

    /// A stage or a nanoservice is starting: `what` on the status line.
    pub fn start(&self, what: &str) {
        if self.status_line {
            let mut err = std::io::stderr().lock();
            // Carriage return and erase-line: the line is rewritten in place.
            let _ = write!(err, "\r\x1b[Kg2n: {what}...");
            let _ = err.flush();
            self.shown.set(true);
        }
    }

    /// A stage or a nanoservice is done after `took`: a line with `-v`.
    pub fn done(&self, what: &str, took: Duration) {
        self.finish();
        if self.verbose {
            eprintln!("g2n: {what} in {}", format_duration(took));
        }
    }

    /// Times `f` as the stage `what`.
    pub fn stage<T>(&self, what: &str, f: impl FnOnce() -> T) -> T {
        self.start(what);
        let started = Instant::now();
        let result = f();
        self.done(what, started.elapsed());
        result
    }

    /// A line of its own with `-v` (`g2n: {what}`), untimed.
    pub fn note(&self, what: &str) {
        if self.verbose {
            self.finish();
            eprintln!("g2n: {what}");
        }
    }

    /// Erases the status line.
    pub fn finish(&self) {
        if self.shown.replace(false) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn format_duration(took: Duration) -> String {
    if took < Duration::from_secs(1) {
        format!("{} ms", took.as_millis())
    } else {
        format!("{:.2} s", took.as_secs_f64())
    }
}
