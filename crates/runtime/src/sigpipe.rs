//! SIGPIPE as Go's runtime handles it: a write to a closed pipe or socket
//! returns EPIPE to the code that wrote (`write |1: broken pipe`), except a
//! write to a closed standard output or error, which ends the program by
//! SIGPIPE (status 141 in a shell), so that `prog | head -1` stops quietly.
//! The process ignores the signal from its start ([`ignore`]) and dies of
//! it when a write to fd 1 or 2 fails with EPIPE ([`die_on_closed_std_stream`]).

use std::io;

/// Makes writes to closed pipes and sockets fail with EPIPE instead of
/// killing the process. Called by every entry point before Go code runs.
pub fn ignore() {
    // SAFETY: changes a signal disposition; no handler runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// Ends the process by SIGPIPE, as Go's runtime does after a write to a
/// closed standard output or error (`os.sigpipe`).
pub fn die() -> ! {
    // SAFETY: restores the default action, unblocks the signal on this
    // thread and raises it, which terminates the process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(libc::SIGPIPE);
    }
    // Not reached unless the signal could not be delivered: the status a
    // shell would have shown.
    std::process::exit(128 + libc::SIGPIPE)
}

/// The result of a write to the standard output or error: a closed pipe
/// ends the program ([`die`]); other errors are ignored, as Go's fmt
/// ignores them.
pub fn die_on_closed_std_stream(result: io::Result<()>) {
    if result.is_err_and(|e| e.kind() == io::ErrorKind::BrokenPipe) {
        die();
    }
}
