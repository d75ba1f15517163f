//! g2n on a closed pipe behaves as a Unix tool does: `g2n check --emit hir
//! prog.go | head -1` stops when `head` has read its line, by SIGPIPE (the
//! shell shows 141), instead of panicking (exit 101).
//!
//! Rust ignores SIGPIPE, so a write to a closed standard output or error
//! fails with EPIPE, and `println!`/`eprintln!` panic on that error. g2n
//! keeps ignoring the signal (its NATS connections and child processes'
//! pipes then report EPIPE as an error where it is handled), and a panic of
//! a print macro on a broken pipe instead ends the process by SIGPIPE.

use std::sync::Arc;

/// Installs the panic hook that turns a print on a closed pipe into death
/// by SIGPIPE; every other panic goes to the previous hook.
pub fn install() {
    let previous: Arc<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync> = Arc::from(std::panic::take_hook());
    std::panic::set_hook(Box::new(move |info| {
        if is_print_to_closed_pipe(info.payload_as_str().unwrap_or("")) {
            die_of_sigpipe();
        }
        previous(info);
    }));
}

/// The message std's print macros panic with when their stream's reader is
/// gone (`failed printing to stdout: Broken pipe (os error 32)`).
fn is_print_to_closed_pipe(message: &str) -> bool {
    message.starts_with("failed printing to std") && message.ends_with(&format!("(os error {})", libc::EPIPE))
}

fn die_of_sigpipe() -> ! {
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
    std::process::exit(128 + libc::SIGPIPE)
}

#[cfg(test)]
mod tests {
    #[test]
    fn recognises_only_prints_to_a_closed_pipe() {
        assert!(super::is_print_to_closed_pipe("failed printing to stdout: Broken pipe (os error 32)"));
        assert!(super::is_print_to_closed_pipe("failed printing to stderr: Broken pipe (os error 32)"));
        assert!(!super::is_print_to_closed_pipe("failed printing to stdout: No space left on device (os error 28)"));
        assert!(!super::is_print_to_closed_pipe("index out of bounds"));
    }
}
