//! Mutual TLS on the TCP transport between hosts (docs/protocol.md, "TLS"),
//! with rustls on ring: every host of a deployment presents a certificate
//! signed by the deployment's CA and accepts only peers that present one
//! too, so a machine without such a certificate cannot even send a frame.
//! A client also checks that the server's certificate names the address it
//! dialled (an IP address or a DNS name), so a certificate identifies its
//! host. The files are PEM (`tls.ca_file`, `tls.cert_file`,
//! `tls.key_file` in the runtime configuration); `g2n certs` makes them.
//!
//! The runtime reaches this crate only through its seam
//! (`g2n_runtime::tls`): [`register`] installs it. The networked runtime
//! archive (`libg2n_runtime_nats.a`) calls it before `main`, so the plain
//! archive, and every executable built with it, carries no TLS library.

use g2n_runtime::config::TlsConfig;
use g2n_runtime::tls::{TlsBackend, TlsSession};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection, StreamOwned};
use std::io;
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Installs rustls as the runtime's TLS implementation.
pub fn register() {
    g2n_runtime::tls::register(load);
}

fn load(files: &TlsConfig) -> Result<Box<dyn TlsBackend>, String> {
    Rustls::load(files).map(|t| Box::new(t) as Box<dyn TlsBackend>)
}

/// A deployment's TLS setup, loaded once per process.
#[derive(Debug)]
pub struct Rustls {
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

impl Rustls {
    /// Reads the CA, the host's certificate (chain) and its private key.
    pub fn load(files: &TlsConfig) -> Result<Rustls, String> {
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
        Ok(Rustls { server: Arc::new(server), client: Arc::new(client) })
    }
}

impl TlsBackend for Rustls {
    /// The client side of a connection to `addr` (`host:port`): the
    /// handshake completes, or fails, within `timeout`.
    fn connect(&self, tcp: TcpStream, addr: &str, timeout: Duration) -> io::Result<Box<dyn TlsSession>> {
        let name = server_name(addr)?;
        let session = ClientConnection::new(self.client.clone(), name).map_err(io::Error::other)?;
        let mut stream = StreamOwned::new(session, tcp);
        handshake(&mut stream.conn, &mut stream.sock, timeout)?;
        Ok(Box::new(stream))
    }

    /// The server side of an accepted connection, within `timeout`.
    fn accept(&self, tcp: TcpStream, timeout: Duration) -> io::Result<Box<dyn TlsSession>> {
        let session = ServerConnection::new(self.server.clone()).map_err(io::Error::other)?;
        let mut stream = StreamOwned::new(session, tcp);
        handshake(&mut stream.conn, &mut stream.sock, timeout)?;
        Ok(Box::new(stream))
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
