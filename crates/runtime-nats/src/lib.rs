//! The NATS JetStream engine of the g2n runtime (docs/protocol.md, "The
//! NATS engine"). Its static library, `libg2n_runtime_nats.a`, is the whole
//! runtime plus this engine and TLS for the TCP transport (g2n-runtime-tls):
//! `g2n build --engine nats` links it instead of `libg2n_runtime.a`, so
//! executables on the default transports carry no NATS client and no TLS
//! library. The engine registers itself with the runtime before `main`
//! (an `.init_array` entry, [`g2n_nats_engine_init`]); a process whose
//! runtime configuration says `engine: "nats"` then runs through
//! [`NatsEngine::run_host`].
//!
//! Layout: [`config`] is the engine's settings; [`io`] the I/O thread and the connections; [`lease`] whether a delivered step is still the host's; [`setup`] the
//! mesh's streams and consumers; [`serve`] a host's receive loops; [`pool`] its step threads woken by the I/O thread, [`inline`] those that take turns driving the I/O themselves; [`drain`] its graceful stop; [`link`] how
//! a step's effects are stored; [`origin`] where a flow starts and its
//! results are printed; [`result`] the result messages; [`refusals`] what
//! the server's authorization refused.

pub mod config;
pub mod drain;
pub mod inline;
pub mod io;
pub mod lease;
pub mod link;
pub mod origin;
pub mod pool;
pub mod refusals;
pub mod result;
pub mod serve;
pub mod setup;

use g2n_runtime::Host;
use g2n_runtime::config::Role;
use g2n_runtime::engine::{self, RemoteEngine};
use std::sync::Arc;
use std::time::Duration;

/// How long a process waits for a NATS server to answer at start.
const CONNECT_WAIT: Duration = Duration::from_secs(10);

pub struct NatsEngine;

impl RemoteEngine for NatsEngine {
    fn name(&self) -> &'static str {
        "nats"
    }

    fn run_host(&self, host: Arc<Host>, own: u32) -> i32 {
        let fail = |msg: String| {
            host.log_line(&msg);
            1
        };
        let began = std::time::Instant::now();
        let settings = match config::NatsConfig::from_env() {
            Ok(s) => s,
            Err(e) => return fail(e),
        };
        // A host whose step threads receive their own steps has no I/O
        // thread (crate::inline); an origin runs no pool.
        let driver = match (&host.config().role, settings.receive) {
            (Role::Serve, config::Receive::Inline) => io::Driver::Callers,
            _ => io::Driver::IoThread,
        };
        let conns = match io::Connections::open(&settings, host.name(), CONNECT_WAIT, driver) {
            Ok(c) => Arc::new(c),
            Err(e) => return fail(e),
        };
        match host.config().role {
            Role::Origin => match origin::run(conns, host.clone(), own, began) {
                Ok(code) => code,
                Err(e) => fail(e),
            },
            Role::Serve => match serve::serve(conns, host.clone()) {
                Ok(code) => code,
                Err(e) => fail(e),
            },
        }
    }
}

/// This process's id for trace lines, read once: `std::process::id()` is
/// a system call each time, and a step traces up to three lines.
pub(crate) fn pid() -> u32 {
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *PID.get_or_init(std::process::id)
}

/// A flow id as lowercase hex digits, as everywhere (errors, logs,
/// traces, message ids): without a `format!` per byte, since a step
/// spells its flow several times.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    text
}

static ENGINE: NatsEngine = NatsEngine;

/// Registers the engine with the runtime (what the constructor below does;
/// tests that link the rlib call it themselves).
pub fn register() -> bool {
    engine::register(&ENGINE)
}

extern "C" fn init_engine() {
    register();
    // The networked archive also carries TLS for g2n's TCP transport: the
    // plain runtime archive has none (g2n_runtime::tls says why).
    g2n_runtime_tls::register();
}

/// Runs [`register`] before `main`. The symbol is what `cli::link` names
/// with `-Wl,-u,g2n_nats_engine_init`, so the linker pulls this archive
/// member in; `.init_array` sections survive `--gc-sections`.
#[unsafe(no_mangle)]
#[used]
#[unsafe(link_section = ".init_array")]
#[allow(non_upper_case_globals)]
pub static g2n_nats_engine_init: extern "C" fn() = init_engine;

#[cfg(test)]
mod tests {
    #[test]
    fn hex_spells_every_byte_as_two_lowercase_digits() {
        let bytes: Vec<u8> = (0..=255).collect();
        let slow: String = bytes.iter().map(|x| format!("{x:02x}")).collect();
        assert_eq!(super::hex(&bytes), slow);
    }
}
