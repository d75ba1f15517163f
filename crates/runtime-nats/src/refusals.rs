//! What the NATS server refused, as the client's event callback hears it:
//! a connection it will not accept (a wrong user or password, a TLS
//! handshake that fails) and publishes its authorization denies
//! (docs/protocol.md, "Who may send what").
//!
//! The client retries a refused connection forever and drops a denied
//! publish silently (the server answers it with an `-ERR` on the
//! connection, not on the publish), so without this a wrong password looks
//! like a server that does not answer and a denied handoff like a stream
//! that never acks. [`Refusals`] turns both into errors with their reason.

use async_nats::{ClientError, Event, ServerError};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::watch;

/// Why the server would not take a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectRefusal {
    /// The server refused the user and password (or the user is unknown).
    Authorization,
    /// The TLS handshake failed (a server without TLS, or a certificate the
    /// configured CA did not sign).
    Tls,
}

#[derive(Default)]
struct State {
    /// Bumped on every refusal heard, so a waiter sees only newer ones.
    version: u64,
    connect: Option<ConnectRefusal>,
    /// Denied publish subject -> (version heard at, the server's words).
    denied: HashMap<String, (u64, String)>,
}

pub struct Refusals {
    state: Mutex<State>,
    changed: watch::Sender<u64>,
}

impl Default for Refusals {
    fn default() -> Self {
        Refusals { state: Mutex::new(State::default()), changed: watch::channel(0).0 }
    }
}

/// The subject of a server's `Permissions Violation for Publish to "S"`.
pub fn denied_publish_subject(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("Permissions Violation for Publish to ")?;
    let rest = rest.trim().trim_matches('\'');
    Some(rest.trim_matches('"'))
}

impl Refusals {
    /// Records one client event (the event callback's body).
    pub fn hear(&self, event: &Event) {
        let mut state = match self.state.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        let connect = match event {
            Event::ServerError(ServerError::AuthorizationViolation) => Some(ConnectRefusal::Authorization),
            Event::ClientError(ClientError::Other(text)) if text.eq_ignore_ascii_case("authorization violation") => Some(ConnectRefusal::Authorization),
            Event::ClientError(ClientError::Other(text)) if text.eq_ignore_ascii_case("TLS error") => Some(ConnectRefusal::Tls),
            _ => None,
        };
        if let Some(refusal) = connect {
            state.connect = Some(refusal);
        } else if let Event::ServerError(ServerError::Other(text)) = event {
            if let Some(subject) = denied_publish_subject(text) {
                tracing::warn!(pid = crate::pid(), subject = %subject, reason = %text, "nats.denied");
                let version = state.version + 1;
                state.denied.insert(subject.to_string(), (version, text.clone()));
            } else {
                tracing::warn!(pid = crate::pid(), reason = %text, "nats.server_error");
                return;
            }
        } else {
            return;
        }
        state.version += 1;
        let version = state.version;
        drop(state);
        self.changed.send_replace(version);
    }

    /// The number of refusals heard so far (what [`Refusals::denied_since`]
    /// counts from).
    pub fn version(&self) -> u64 {
        self.state.lock().map(|s| s.version).unwrap_or(0)
    }

    /// Waits until the server refuses the connection; returns why.
    pub async fn connect_refused(&self) -> ConnectRefusal {
        let mut changed = self.changed.subscribe();
        loop {
            if let Some(refusal) = self.state.lock().ok().and_then(|s| s.connect.clone()) {
                return refusal;
            }
            if changed.changed().await.is_err() {
                return std::future::pending().await;
            }
        }
    }

    /// Waits until a publish to `subject` is denied after refusal number
    /// `since`; returns the server's words.
    pub async fn denied_since(&self, subject: &str, since: u64) -> String {
        let mut changed = self.changed.subscribe();
        loop {
            let found = self.state.lock().ok().and_then(|s| s.denied.get(subject).filter(|(v, _)| *v > since).map(|(_, m)| m.clone()));
            if let Some(message) = found {
                return message;
            }
            if changed.changed().await.is_err() {
                return std::future::pending().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_servers_words() {
        assert_eq!(denied_publish_subject("Permissions Violation for Publish to \"g2n.m.step.c\""), Some("g2n.m.step.c"));
        assert_eq!(denied_publish_subject("Permissions Violation for Subscription to \"x\""), None);
        let r = Refusals::default();
        r.hear(&Event::ServerError(ServerError::Other("Permissions Violation for Publish to \"g2n.m.step.c\"".into())));
        assert_eq!(r.version(), 1);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        assert!(rt.block_on(r.denied_since("g2n.m.step.c", 0)).contains("Permissions Violation"));
        r.hear(&Event::ClientError(ClientError::Other("authorization violation".into())));
        assert_eq!(rt.block_on(r.connect_refused()), ConnectRefusal::Authorization);
    }
}
