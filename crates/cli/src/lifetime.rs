//! Process hygiene for `g2n run`: every process a run starts dies with the
//! `g2n` that started it, and the run's private directory (executables,
//! runtime configurations with the run's secret, sockets) is removed, however
//! `g2n` ends: a normal exit, an error, a panic, SIGINT, SIGTERM or SIGKILL.
//!
//! Two mechanisms that do not depend on `g2n` running any code when it dies:
//! - Children are started with `PR_SET_PDEATHSIG(SIGKILL)`: the kernel kills
//!   them when `g2n` dies. Hosts are also put in process groups of their own,
//!   so a Ctrl-C at the terminal reaches only `g2n` and the origin (which
//!   keeps the terminal), and `g2n` can signal a host with everything it
//!   started.
//! - A *janitor*: a small `g2n` process (hidden subcommand `__janitor`)
//!   started with the directory, in a process group of its own and deaf to
//!   the terminal's signals. It waits for end-of-file on a pipe whose only
//!   writer is `g2n`; the kernel closes that pipe whatever ends `g2n`, and the
//!   janitor then removes the directory and exits. On a normal exit `g2n`
//!   removes the directory itself first.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// The hidden subcommand that runs the janitor.
pub const JANITOR_COMMAND: &str = "__janitor";
/// Run directories are `TMP/g2n-run-PID-RANDOM`; the janitor removes nothing else.
const RUN_DIR_PREFIX: &str = "g2n-run-";

/// Makes `command`'s process die when this process dies (SIGKILL from the
/// kernel, `PR_SET_PDEATHSIG`), and, with `own_group`, puts it in a new
/// process group. The signal mask and dispositions are reset to the
/// defaults, so a child does not inherit whatever `g2n` blocks.
pub fn die_with_g2n(command: &mut Command, own_group: bool) {
    if own_group {
        command.process_group(0);
    }
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: the closure runs between fork and exec and calls only
    // async-signal-safe functions (sigemptyset, sigprocmask, prctl, getppid,
    // _exit); it allocates nothing.
    unsafe {
        command.pre_exec(move || {
            let mut empty: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut empty);
            libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // g2n died between fork and prctl: the death signal will never come.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

/// A run's private 0700 directory, removed when this value drops and, if
/// `g2n` dies first, by the janitor.
pub struct RunDir {
    path: PathBuf,
    /// The janitor and the write end of its pipe (closing it, or dying,
    /// tells the janitor to clean up).
    janitor: Option<(Child, ChildStdin)>,
}

impl RunDir {
    /// Creates the directory (mode 0700: it holds the run's secrets) and
    /// starts its janitor.
    pub fn create(random: &str) -> Result<RunDir, String> {
        use std::os::unix::fs::DirBuilderExt;
        let path = std::env::temp_dir().join(format!("{RUN_DIR_PREFIX}{}-{random}", std::process::id()));
        std::fs::DirBuilder::new().mode(0o700).create(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        let mut dir = RunDir { path, janitor: None };
        dir.janitor = Some(start_janitor(&dir.path)?);
        Ok(dir)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn start_janitor(dir: &Path) -> Result<(Child, ChildStdin), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the g2n executable for the run directory's janitor: {e}"))?;
    let mut command = Command::new(exe);
    command.arg(JANITOR_COMMAND).arg(dir).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null());
    // Its own process group: a Ctrl-C at the terminal is not for it.
    command.process_group(0);
    let mut child = command.spawn().map_err(|e| format!("cannot start the run directory's janitor: {e}"))?;
    let Some(pipe) = child.stdin.take() else {
        let _ = child.kill();
        let _ = child.wait();
        return Err("the run directory's janitor has no pipe".to_string());
    };
    Ok((child, pipe))
}

impl Drop for RunDir {
    fn drop(&mut self) {
        remove_dir(&self.path);
        if let Some((mut child, pipe)) = self.janitor.take() {
            drop(pipe);
            // The janitor finds the directory gone and exits at once; wait a
            // little so it does not outlive the run, but never hang on it.
            let deadline = Instant::now() + Duration::from_secs(2);
            while Instant::now() < deadline {
                if !matches!(child.try_wait(), Ok(None)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Removes `dir`, retrying a few times: processes dying at the same moment
/// may still create or remove files in it.
fn remove_dir(dir: &Path) {
    for _ in 0..20 {
        match std::fs::remove_dir_all(dir) {
            Ok(()) => return,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// `g2n __janitor DIR`: waits until its stdin reaches end-of-file (the `g2n`
/// that started it has exited or died), then removes DIR, which must be a
/// run directory of this user's temporary directory.
pub fn janitor(dir: &Path) -> i32 {
    // Deaf to the terminal and to signals meant for the run.
    // SAFETY: setting dispositions to SIG_IGN before any thread exists.
    unsafe {
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT, libc::SIGPIPE] {
            libc::signal(signal, libc::SIG_IGN);
        }
    }
    let is_run_dir = dir.parent() == Some(std::env::temp_dir().as_path())
        && dir.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(RUN_DIR_PREFIX) && !n.contains(['/', '\0']));
    if !is_run_dir {
        eprintln!("error: {} is not a g2n run directory", dir.display());
        return 1;
    }
    let mut stdin = std::io::stdin().lock();
    let mut buf = [0u8; 64];
    loop {
        match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    remove_dir(dir);
    0
}
