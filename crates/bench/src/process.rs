//! Running one child process and measuring it: wall time, exit status, output
//! and peak resident set size.
//!
//! `std::process` reports neither the peak RSS of a child nor a way to wait
//! with a time limit, so the child is waited for here with `waitid(WNOWAIT)`
//! (it exits but stays a zombie, so its pid cannot be reused while a watchdog
//! might still kill it) and then reaped with `wait4`, whose `rusage` holds the
//! child's own `ru_maxrss`. The child gets a process group of its own, and
//! the watchdog kills the whole group, grandchildren included.
//!
//! A benchmarked binary is not spawned by the harness directly, because
//! Linux's `ru_maxrss` of a process that called `execve` is at least the
//! peak RSS of the memory it had before: `std::process` spawns with `vfork`,
//! so every child would report at least the harness's own peak (several MiB,
//! more than a small Go program uses). [`measured`] therefore starts this same
//! executable again as a small launcher (`g2n-bench __launch`, see
//! [`launch_main`]), which `fork`s (a fresh, small copy) and `exec`s the binary,
//! waits for it with `wait4` and reports its wall time, exit status and
//! `ru_maxrss` in a file. The unsafe calls are confined to small functions at
//! the bottom.

use std::ffi::{CString, OsString};
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl Exit {
    pub fn success(self) -> bool {
        self == Exit::Code(0)
    }
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exit::Code(c) => write!(f, "exit code {c}"),
            Exit::Signal(s) => write!(f, "killed by signal {s}"),
        }
    }
}

/// What one run of a child produced.
#[derive(Debug)]
pub struct Outcome {
    /// From just before `spawn` to the child's exit.
    pub wall: Duration,
    pub exit: Exit,
    /// The child was killed because it ran past the time limit.
    pub timed_out: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Peak resident set size of the child itself, in KiB (Linux `ru_maxrss`).
    pub max_rss_kib: u64,
}

/// Runs `cmd` with stdin closed and stdout/stderr captured, killing it after
/// `limit`. Errors only when the process cannot be started or waited for.
pub fn run(cmd: &mut Command, limit: Duration) -> io::Result<Outcome> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = libc::pid_t::try_from(child.id())
        .map_err(|_| io::Error::other("child pid out of range"))?;
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);

    // The watchdog kills the child once the limit has passed, unless told
    // that the child has exited. It decides under the lock that the waiter
    // takes to say so, and the child is not reaped before that.
    let exited = Arc::new((Mutex::new(false), Condvar::new()));
    let watchdog = {
        let exited = Arc::clone(&exited);
        thread::spawn(move || {
            let (lock, cvar) = &*exited;
            let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
            let (guard, _) = cvar
                .wait_timeout_while(guard, limit, |done| !*done)
                .unwrap_or_else(|e| e.into_inner());
            if *guard {
                false
            } else {
                kill(pid);
                true
            }
        })
    };

    let waited = wait_exited(pid);
    let wall = start.elapsed();
    {
        let (lock, cvar) = &*exited;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cvar.notify_all();
    }
    let timed_out = watchdog.join().unwrap_or(false);
    waited?;
    let (status, max_rss_kib) = reap(pid)?;
    // The child has been reaped here; dropping `child` does not wait again.
    drop(child);
    let exit = if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    };
    let stdout = stdout.map(join_drain).transpose()?.unwrap_or_default();
    let stderr = stderr.map(join_drain).transpose()?.unwrap_or_default();
    Ok(Outcome {
        wall,
        exit,
        timed_out,
        stdout,
        stderr,
        max_rss_kib,
    })
}

/// Reads a pipe to its end on a thread of its own, so that a child that
/// writes a lot never blocks on a full pipe.
fn drain<R: Read + Send + 'static>(mut pipe: R) -> thread::JoinHandle<io::Result<Vec<u8>>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes)?;
        Ok(bytes)
    })
}

fn join_drain(handle: thread::JoinHandle<io::Result<Vec<u8>>>) -> io::Result<Vec<u8>> {
    handle
        .join()
        .map_err(|_| io::Error::other("output reader thread panicked"))?
}

/// Blocks until the child `pid` has exited, without reaping it.
fn wait_exited(pid: libc::pid_t) -> io::Result<()> {
    let id = libc::id_t::try_from(pid).map_err(|_| io::Error::other("negative pid"))?;
    loop {
        // SAFETY: `info` is a valid, writable siginfo_t for the duration of
        // the call; `pid` is our own unreaped child.
        let rc = unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            libc::waitid(libc::P_PID, id, &mut info, libc::WEXITED | libc::WNOWAIT)
        };
        if rc == 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Reaps the exited child `pid`: its wait status and peak RSS in KiB.
fn reap(pid: libc::pid_t) -> io::Result<(i32, u64)> {
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: `status` and `usage` are valid, writable and live for the
        // call; `pid` is our own child, which has exited and is not reaped.
        let (rc, usage) = unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            let rc = libc::wait4(pid, &mut status, 0, &mut usage);
            (rc, usage)
        };
        if rc == pid {
            return Ok((status, u64::try_from(usage.ru_maxrss).unwrap_or(0)));
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Sends SIGKILL to the process group of our own child `pid` (which leads
/// it and has not been reaped yet, so the group id is still ours).
fn kill(pid: libc::pid_t) {
    // SAFETY: plain system call on a process group we created; the result is
    // irrelevant (the group may have exited already).
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
}

/// The first argument that makes `g2n-bench` the launcher of [`measured`].
pub const LAUNCH_ARG: &str = "__launch";

/// Runs `exe ARGS` like [`run`], but through the launcher, so that wall time,
/// exit status and peak RSS are the binary's own (see the module comment).
/// `report` is a scratch file for the launcher's report.
pub fn measured(
    exe: &Path,
    args: &[String],
    report: &Path,
    limit: Duration,
) -> io::Result<Outcome> {
    let me = std::env::current_exe()?;
    let _ = std::fs::remove_file(report);
    let mut cmd = Command::new(me);
    cmd.arg(LAUNCH_ARG).arg(report).arg(exe).args(args);
    let mut out = run(&mut cmd, limit)?;
    if out.timed_out {
        return Ok(out);
    }
    let text = std::fs::read_to_string(report).map_err(|e| {
        io::Error::other(format!(
            "the launcher wrote no report ({}): {e}; {}",
            out.exit,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    })?;
    let fields: Vec<i64> = text
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [nanos, rss, kind, value] = fields[..] else {
        return Err(io::Error::other(format!("bad launcher report {text:?}")));
    };
    out.wall = Duration::from_nanos(u64::try_from(nanos).unwrap_or(0));
    out.max_rss_kib = u64::try_from(rss).unwrap_or(0);
    out.exit = if kind == 1 {
        Exit::Signal(i32::try_from(value).unwrap_or(0))
    } else {
        Exit::Code(i32::try_from(value).unwrap_or(-1))
    };
    Ok(out)
}

/// `g2n-bench __launch REPORT EXE ARGS...`: forks, runs `EXE ARGS` in the
/// child with this process's stdin, stdout and stderr, waits for it and writes
/// `WALL_NANOS MAXRSS_KIB KIND VALUE` to REPORT (KIND 0: exit code VALUE,
/// 1: killed by signal VALUE). Returns the exit code for this process.
pub fn launch_main(args: &[OsString]) -> i32 {
    let [report, exe, rest @ ..] = args else {
        return launch_error("usage: g2n-bench __launch REPORT EXE [ARGS...]");
    };
    let argv: Result<Vec<CString>, _> = std::iter::once(exe)
        .chain(rest)
        .map(|a| CString::new(a.as_bytes()))
        .collect();
    let Ok(argv) = argv else {
        return launch_error("an argument holds a NUL byte");
    };
    let start = Instant::now();
    let Ok(pid) = fork_exec(&argv) else {
        return launch_error(&format!("fork failed: {}", io::Error::last_os_error()));
    };
    let (status, rss) = match reap(pid) {
        Ok(r) => r,
        Err(e) => return launch_error(&format!("wait4 failed: {e}")),
    };
    let wall = start.elapsed();
    let (kind, value) = if libc::WIFSIGNALED(status) {
        (1, libc::WTERMSIG(status))
    } else {
        (0, libc::WEXITSTATUS(status))
    };
    let line = format!("{} {rss} {kind} {value}\n", wall.as_nanos());
    if let Err(e) = std::fs::write(report, line) {
        return launch_error(&format!(
            "cannot write {}: {e}",
            Path::new(report).display()
        ));
    }
    0
}

fn launch_error(message: &str) -> i32 {
    use std::io::Write as _;
    let _ = writeln!(io::stderr(), "g2n-bench launcher: {message}");
    125
}

/// Forks; the child execs `argv[0]` with `argv` (searching PATH), or exits
/// with 127 when it cannot. Returns the child's pid.
fn fork_exec(argv: &[CString]) -> Result<libc::pid_t, ()> {
    let mut ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: the launcher is single-threaded here, so the child may run any
    // code, and it runs only async-signal-safe calls: execvp with pointers
    // into `argv` and `ptrs` (NUL-terminated strings, a null-terminated
    // array, both alive in the copied address space), then `_exit`.
    unsafe {
        match libc::fork() {
            -1 => Err(()),
            0 => {
                libc::execvp(ptrs[0], ptrs.as_ptr());
                libc::_exit(127)
            }
            pid => Ok(pid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_output_status_and_rss() {
        let out = run(
            Command::new("sh").args(["-c", "echo hi; echo err >&2; exit 3"]),
            Duration::from_secs(10),
        )
        .expect("sh runs");
        assert_eq!(out.stdout, b"hi\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.exit, Exit::Code(3));
        assert!(!out.timed_out);
        assert!(out.max_rss_kib > 0);
    }

    #[test]
    fn kills_the_whole_group_after_the_limit() {
        let start = Instant::now();
        let out = run(
            Command::new("sh").args(["-c", "sleep 10; echo late"]),
            Duration::from_millis(300),
        )
        .expect("sh runs");
        assert!(out.timed_out);
        // The grandchild `sleep` was killed too, or reading the pipe it
        // shares would have waited for it.
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn kills_after_the_limit() {
        let out =
            run(Command::new("sleep").arg("10"), Duration::from_millis(200)).expect("sleep runs");
        assert!(out.timed_out);
        assert_eq!(out.exit, Exit::Signal(libc::SIGKILL));
        assert!(out.wall < Duration::from_secs(5));
    }
}
