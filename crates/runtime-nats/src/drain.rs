//! A graceful stop for a host on NATS (docs/protocol.md, "The NATS engine",
//! "Draining"). SIGTERM asks a serving process to drain: it stops pulling
//! new steps, lets the steps it holds finish (their publishes, acks and
//! trace lines) and exits 0. The drain is bounded (`nats.drain_ms`): past
//! it the process exits anyway, and JetStream redelivers what it held.
//!
//! The handler only sets a flag (the one async-signal-safe thing it needs
//! to do); the serving thread polls it. It is installed by the engine's
//! serve loop, so executables without the engine, and origins, keep the
//! default SIGTERM action.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// How often the serving thread looks at the flag.
pub const POLL: Duration = Duration::from_millis(20);

extern "C" fn on_terminate(_signal: libc::c_int) {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Installs the SIGTERM handler for this process.
pub fn install() -> Result<(), String> {
    // SAFETY: sigaction with a zeroed struct, an empty mask and a handler
    // that only stores to an atomic (async-signal-safe).
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_terminate as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        if libc::sigaction(libc::SIGTERM, &action, std::ptr::null_mut()) != 0 {
            return Err(format!("cannot install the SIGTERM handler: {}", std::io::Error::last_os_error()));
        }
    }
    Ok(())
}

/// Whether SIGTERM has arrived since [`install`].
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
