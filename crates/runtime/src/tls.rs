//! Mutual TLS on the TCP transport between hosts (docs/protocol.md, "TLS"),
//! with rustls on ring: every host of a deployment presents a certificate
//! signed by the deployment's CA and accepts only peers that present one
//! too, so a machine without such a certificate cannot even send a frame.
//! A client also checks that the server's certificate names the address it
//! dialled (an IP address or a DNS name), so a certificate identifies its
//! host. The files are PEM (`tls.ca_file`, `tls.cert_file`,
//! `tls.key_file` in the runtime configuration); `g2n certs` makes them.

use crate::config::TlsConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection, StreamOwned};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A deployment's TLS setup, loaded once per process.
#[derive(Debug)]
pub struct Tls {
    server: Arc<ServerConfig>,
    client: Arc<ClientConfig>,
}

/// rustls's ring provider. rustls 0.23.48 deprecates it because ring has no
/// post-quantum key exchange (X25519MLKEM768): recorded traffic could be
/// decrypted by a future quantum computer. The provider that has it,
/// aws-lc-rs, builds a C library with cmake; the project already uses ring
/// (async-nats's TLS), and docs/protocol.md ("TLS") states the limit.
#[allow(deprecated)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// TLS 1.3 only: every peer is a g2n host of the same version.
static VERSIONS: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS13];

impl Tls {
    /// Reads the CA, the host's certificate (chain) and its private key.
    pub fn load(files: &TlsConfig) -> Result<Tls, String> {
        let read_certs = |path: &str, what: &str| -> Result<Vec<CertificateDer<'static>>, String> {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("cannot read the {what} {path}: {e}"))?;
            if certs.is_empty() {
                return Err(format!("the {what} {path} holds no certificate"));
            }
            Ok(certs)
        };
        let mut roots = RootCertStore::empty();
        for ca in read_certs(&files.ca_file, "tls.ca_file")? {
            roots.add(ca).map_err(|e| format!("the CA in tls.ca_file {} is not usable: {e}", files.ca_file))?;
        }
        let roots = Arc::new(roots);
        let chain = read_certs(&files.cert_file, "tls.cert_file")?;
        let key = PrivateKeyDer::from_pem_file(&files.key_file).map_err(|e| format!("cannot read the private key tls.key_file {}: {e}", files.key_file))?;
        let clients = rustls::server::WebPkiClientVerifier::builder_with_provider(roots.clone(), provider())
            .build()
            .map_err(|e| format!("cannot verify clients against tls.ca_file {}: {e}", files.ca_file))?;
        let server = ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(VERSIONS)
            .map_err(|e| e.to_string())?
            .with_client_cert_verifier(clients)
            .with_single_cert(chain.clone(), key.clone_key())
            .map_err(|e| format!("tls.cert_file {} and tls.key_file {} do not make a usable certificate: {e}", files.cert_file, files.key_file))?;
        let client = ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(VERSIONS)
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_client_auth_cert(chain, key)
            .map_err(|e| format!("tls.cert_file {} and tls.key_file {} do not make a usable client certificate: {e}", files.cert_file, files.key_file))?;
        Ok(Tls { server: Arc::new(server), client: Arc::new(client) })
    }

    /// The client side of a connection to `addr` (`host:port`): the
    /// handshake completes, or fails, within `timeout`.
    pub fn connect(&self, tcp: TcpStream, addr: &str, timeout: Duration) -> io::Result<TlsConn> {
        let name = server_name(addr)?;
        let session = ClientConnection::new(self.client.clone(), name).map_err(io::Error::other)?;
        let mut stream = StreamOwned::new(session, tcp);
        handshake(&mut stream.conn, &mut stream.sock, timeout)?;
        TlsConn::new(Session::Client(stream))
    }

    /// The server side of an accepted connection, within `timeout`.
    pub fn accept(&self, tcp: TcpStream, timeout: Duration) -> io::Result<TlsConn> {
        let session = ServerConnection::new(self.server.clone()).map_err(io::Error::other)?;
        let mut stream = StreamOwned::new(session, tcp);
        handshake(&mut stream.conn, &mut stream.sock, timeout)?;
        TlsConn::new(Session::Server(stream))
    }
}

/// The name a server's certificate must carry: the host part of `addr`
/// (an IP address, `[v6]`, or a DNS name).
fn server_name(addr: &str) -> io::Result<ServerName<'static>> {
    let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(host.to_string()).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("'{host}' is not a name a certificate can carry: {e}")))
}

/// Runs a handshake to its end within `timeout`, however slowly the peer
/// answers (each read and write gets what is left of it).
fn handshake<S: rustls::SideData>(conn: &mut rustls::ConnectionCommon<S>, sock: &mut TcpStream, timeout: Duration) -> io::Result<()> {
    let until = Instant::now() + timeout;
    let (read_timeout, write_timeout) = (sock.read_timeout()?, sock.write_timeout()?);
    while conn.is_handshaking() || conn.wants_write() {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "TLS handshake not complete in time"));
        }
        sock.set_read_timeout(Some(left))?;
        sock.set_write_timeout(Some(left))?;
        conn.complete_io(sock).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock => io::Error::new(io::ErrorKind::TimedOut, "TLS handshake not complete in time"),
            _ => e,
        })?;
    }
    sock.set_read_timeout(read_timeout)?;
    sock.set_write_timeout(write_timeout)?;
    Ok(())
}

#[derive(Debug)]
enum Session {
    Client(StreamOwned<ClientConnection, TcpStream>),
    Server(StreamOwned<ServerConnection, TcpStream>),
}

/// An established TLS connection. Clones share the session (the protocol
/// never reads and writes one connection from two threads at once: a
/// connection is handed from thread to thread, see server.rs and flow.rs);
/// `socket` is a second handle on the same descriptor for timeouts,
/// addresses and `shutdown`, which must work while another thread is
/// blocked in a read (conn_limits closes waiting connections).
#[derive(Debug)]
pub struct TlsConn {
    socket: TcpStream,
    session: Arc<Mutex<Session>>,
}

impl TlsConn {
    fn new(session: Session) -> io::Result<TlsConn> {
        let socket = match &session {
            Session::Client(s) => s.sock.try_clone()?,
            Session::Server(s) => s.sock.try_clone()?,
        };
        Ok(TlsConn { socket, session: Arc::new(Mutex::new(session)) })
    }

    pub fn try_clone(&self) -> io::Result<TlsConn> {
        Ok(TlsConn { socket: self.socket.try_clone()?, session: self.session.clone() })
    }

    /// The TCP socket under the session (timeouts, addresses, shutdown).
    pub fn socket(&self) -> &TcpStream {
        &self.socket
    }

    fn with<T>(&self, f: impl FnOnce(&mut dyn ReadWrite) -> T) -> T {
        let mut session = self.session.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *session {
            Session::Client(s) => f(s),
            Session::Server(s) => f(s),
        }
    }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

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

    #[test]
    fn a_server_name_is_the_host_part_of_the_address() {
        assert_eq!(format!("{:?}", server_name("127.0.0.1:80").unwrap()), format!("{:?}", ServerName::try_from("127.0.0.1").unwrap()));
        assert_eq!(format!("{:?}", server_name("[::1]:80").unwrap()), format!("{:?}", ServerName::try_from("::1").unwrap()));
        assert_eq!(format!("{:?}", server_name("host-1.example:80").unwrap()), format!("{:?}", ServerName::try_from("host-1.example").unwrap()));
        assert!(server_name("bad name:80").is_err());
    }
}
