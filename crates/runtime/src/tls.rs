//! The seam for mutual TLS on the TCP transport (docs/protocol.md, "TLS").
//!
//! The runtime itself carries no TLS library: rustls and ring would grow every
//! executable by 1.6 MB (hello world from 2.49 MB to 4.04 MB), while only
//! hosts that talk TCP between machines need them. The implementation lives in
//! `g2n-runtime-tls`, which the networked runtime archive
//! (`libg2n_runtime_nats.a`, `g2n build --engine nats`) links and registers
//! before `main`, as it registers the NATS engine. An executable built
//! without it refuses a `tls` configuration at start-up with a message that
//! says how to build one that has it.

use crate::config::TlsConfig;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// One side of an established TLS session over a TCP socket.
pub trait TlsSession: Read + Write + Send {}
impl<T: Read + Write + Send> TlsSession for T {}

/// A deployment's TLS setup, loaded once per process by the registered
/// implementation: handshakes within `timeout`, as client of `addr`
/// (`host:port`, whose host the server's certificate must name) or as
/// server.
pub trait TlsBackend: Send + Sync + std::fmt::Debug {
    fn connect(&self, tcp: TcpStream, addr: &str, timeout: Duration) -> io::Result<Box<dyn TlsSession>>;
    fn accept(&self, tcp: TcpStream, timeout: Duration) -> io::Result<TlsAccepted>;
}

/// The server side of a session, and who is on the other end.
pub struct TlsAccepted {
    pub session: Box<dyn TlsSession>,
    /// The client's certificate as a server logs it: its subject's common
    /// name (the host's name for `g2n certs revoke`), its subject
    /// alternative names and its serial number, then the key exchange the
    /// session agreed on, e.g. `CN=web-1, SAN 10.0.0.2 web-1.example,
    /// serial 1f09…, key exchange X25519MLKEM768`.
    pub peer_certificate: String,
}

/// Reads the CA, the host's certificate and key named by the configuration.
pub type TlsLoader = fn(&TlsConfig) -> Result<Box<dyn TlsBackend>, String>;

static LOADER: OnceLock<TlsLoader> = OnceLock::new();

/// Installs the TLS implementation (first caller wins; called before `main`
/// by the archive that carries one, and by tests).
pub fn register(loader: TlsLoader) {
    let _ = LOADER.set(loader);
}

/// Whether this executable can speak TLS.
pub fn available() -> bool {
    LOADER.get().is_some()
}

/// The process's TLS setup.
#[derive(Debug)]
pub struct Tls(Box<dyn TlsBackend>);

impl Tls {
    /// Loads the configured files through the registered implementation.
    pub fn load(files: &TlsConfig) -> Result<Tls, String> {
        let loader = LOADER.get().ok_or_else(|| {
            "this executable has no TLS (the plain runtime archive carries none, to keep executables small): \
             build it with `g2n build --engine nats`, whose runtime has TLS for the TCP transport too"
                .to_string()
        })?;
        loader(files).map(Tls)
    }

    /// The client side of a connection to `addr`.
    pub fn connect(&self, tcp: TcpStream, addr: &str, timeout: Duration) -> io::Result<TlsConn> {
        let socket = tcp.try_clone()?;
        Ok(TlsConn::new(socket, self.0.connect(tcp, addr, timeout)?, None))
    }

    /// The server side of an accepted connection.
    pub fn accept(&self, tcp: TcpStream, timeout: Duration) -> io::Result<TlsConn> {
        let socket = tcp.try_clone()?;
        let accepted = self.0.accept(tcp, timeout)?;
        Ok(TlsConn::new(socket, accepted.session, Some(accepted.peer_certificate.into())))
    }
}

/// An established TLS connection. Clones share the session (the protocol
/// never reads and writes one connection from two threads at once: a
/// connection is handed from thread to thread, see server.rs and flow.rs);
/// `socket` is a second handle on the same descriptor for timeouts,
/// addresses and `shutdown`, which must work while another thread is
/// blocked in a read (conn_limits closes waiting connections).
pub struct TlsConn {
    socket: TcpStream,
    session: Arc<Mutex<Box<dyn TlsSession>>>,
    /// Server side: the client's certificate, as logged.
    peer_certificate: Option<Arc<str>>,
}

impl std::fmt::Debug for TlsConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConn").field("socket", &self.socket).finish_non_exhaustive()
    }
}

impl TlsConn {
    fn new(socket: TcpStream, session: Box<dyn TlsSession>, peer_certificate: Option<Arc<str>>) -> TlsConn {
        TlsConn { socket, session: Arc::new(Mutex::new(session)), peer_certificate }
    }

    pub fn try_clone(&self) -> io::Result<TlsConn> {
        Ok(TlsConn { socket: self.socket.try_clone()?, session: self.session.clone(), peer_certificate: self.peer_certificate.clone() })
    }

    /// On the server side, the client's certificate ([`TlsAccepted`]).
    pub fn peer_certificate(&self) -> Option<&str> {
        self.peer_certificate.as_deref()
    }

    /// The TCP socket under the session (timeouts, addresses, shutdown).
    pub fn socket(&self) -> &TcpStream {
        &self.socket
    }

    fn with<T>(&self, f: impl FnOnce(&mut dyn TlsSession) -> T) -> T {
        let mut session = self.session.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut **session)
    }
}

impl Read for TlsConn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.with(|s| s.read(buf))
    }
}

impl Write for TlsConn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.with(|s| s.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.with(|s| s.flush())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runtime's own tests never register an implementation, like an
    /// executable linked with the plain archive.
    #[test]
    fn without_an_implementation_tls_is_refused_with_how_to_get_it() {
        let files = TlsConfig { ca_file: "ca.pem".into(), cert_file: "host.pem".into(), key_file: "host-key.pem".into(), crl_file: None };
        let error = Tls::load(&files).unwrap_err();
        assert!(!available());
        assert!(error.contains("g2n build --engine nats"), "{error}");
    }
}
