//! Mutual TLS on the TCP transport between hosts (docs/protocol.md, "TLS"),
//! with rustls on ring: every host of a deployment presents a certificate
//! signed by the deployment's CA and accepts only peers that present one
//! too, so a machine without such a certificate cannot even send a frame.
//! A client also checks that the server's certificate names the address it
//! dialled (an IP address or a DNS name), so a certificate identifies its
//! host. The files are PEM (`tls.ca_file`, `tls.cert_file`,
//! `tls.key_file` in the runtime configuration); `g2n certs` makes them.
//!
//! Revocation: `tls.crl_file` names the CA's certificate revocation list
//! (`g2n certs revoke`); both ends refuse a peer whose certificate it
//! lists, and an expired list refuses every peer (fail closed) until a new
//! one is written. The file is re-read when it changes, at most once a
//! second, so revoking a host does not need the others restarted.
//!
//! The runtime reaches this crate only through its seam
//! (`g2n_runtime::tls`): [`register`] installs it. The networked runtime
//! archive (`libg2n_runtime_nats.a`) calls it before `main`, so the plain
//! archive, and every executable built with it, carries no TLS library.

mod hybrid;
mod identity;

pub use identity::Identity;

use g2n_runtime::config::TlsConfig;
use g2n_runtime::tls::{TlsAccepted, TlsBackend, TlsSession};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::{CertificateError, ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection, StreamOwned};
use std::io;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// Installs rustls as the runtime's TLS implementation.
pub fn register() {
    g2n_runtime::tls::register(load);
}

fn load(files: &TlsConfig) -> Result<Box<dyn TlsBackend>, String> {
    Rustls::load(files).map(|t| Box::new(t) as Box<dyn TlsBackend>)
}

/// A deployment's TLS setup: loaded when the process starts, loaded again
/// when its CRL file changes.
#[derive(Debug)]
pub struct Rustls {
    files: TlsConfig,
    current: Mutex<Current>,
}

/// The configurations in use, and what the CRL file looked like when they
/// were made.
#[derive(Debug)]
struct Current {
    /// An error: the CRL file changed into one that cannot be used, and
    /// every handshake fails with this until it is fixed (revocation
    /// fails closed).
    configs: Result<Configs, String>,
    crl_seen: Option<FileStamp>,
    checked: Instant,
}

#[derive(Clone, Debug)]
struct Configs {
    server: Arc<ServerConfig>,
    client: Arc<ClientConfig>,
}

/// A file's modification time and length: a rewritten CRL changes either.
type FileStamp = (Option<SystemTime>, u64);

fn stamp(path: &str) -> Option<FileStamp> {
    std::fs::metadata(path).ok().map(|m| (m.modified().ok(), m.len()))
}

/// How often a connection may look whether the CRL file changed.
const CRL_RECHECK: Duration = Duration::from_secs(1);

/// rustls's ring provider with X25519MLKEM768 ([`hybrid`]) offered first,
/// and ring's classical groups after it for a peer without it. rustls
/// 0.23.48 deprecates the ring provider because ring has no post-quantum
/// key exchange (recorded traffic could be decrypted by a future quantum
/// computer); the provider that has one, aws-lc-rs, was measured and not
/// taken: it adds 2.57 MB to every networked executable, and its rustls
/// feature would leave async-nats's TLS without a default provider
/// (docs/protocol.md, "Post-quantum key exchange").
#[allow(deprecated)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    let mut ring = rustls::crypto::ring::default_provider();
    ring.kx_groups.insert(0, hybrid::X25519MLKEM768);
    Arc::new(ring)
}

/// TLS 1.3 only: every peer is a g2n host of the same version.
static VERSIONS: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS13];

impl Rustls {
    /// Reads the CA, the host's certificate (chain), its private key and
    /// the CRL, if any.
    pub fn load(files: &TlsConfig) -> Result<Rustls, String> {
        let crl_seen = files.crl_file.as_deref().and_then(stamp);
        let configs = Configs::load(files)?;
        Ok(Rustls { files: files.clone(), current: Mutex::new(Current { configs: Ok(configs), crl_seen, checked: Instant::now() }) })
    }

    /// The configurations to handshake with: loaded again first when the
    /// CRL file changed since it was last read (looked at most once per
    /// [`CRL_RECHECK`]).
    fn configs(&self) -> io::Result<Configs> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(crl) = &self.files.crl_file
            && current.checked.elapsed() >= CRL_RECHECK
        {
            current.checked = Instant::now();
            let now = stamp(crl);
            if now != current.crl_seen {
                current.crl_seen = now;
                current.configs = Configs::load(&self.files);
            }
        }
        current.configs.clone().map_err(|e| io::Error::new(io::ErrorKind::PermissionDenied, e))
    }
}

impl Configs {
    fn load(files: &TlsConfig) -> Result<Configs, String> {
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
        let crls = match &files.crl_file {
            Some(path) => read_crls(path)?,
            None => Vec::new(),
        };
        let checks_revocation = !crls.is_empty();
        let mut clients = WebPkiClientVerifier::builder_with_provider(roots.clone(), provider());
        let mut servers = WebPkiServerVerifier::builder_with_provider(roots.clone(), provider());
        if checks_revocation {
            // Only host certificates are checked: the CA is the trust
            // anchor. An expired list refuses every peer rather than being
            // ignored (a host revoked in it would otherwise get back in).
            clients = clients.with_crls(crls.clone()).only_check_end_entity_revocation().enforce_revocation_expiration();
            servers = servers.with_crls(crls).only_check_end_entity_revocation().enforce_revocation_expiration();
        }
        let crl_name = files.crl_file.as_deref().unwrap_or("");
        let clients = clients.build().map_err(|e| format!("cannot verify clients against tls.ca_file {} and tls.crl_file {crl_name}: {e}", files.ca_file))?;
        let servers = servers.build().map_err(|e| format!("cannot verify servers against tls.ca_file {} and tls.crl_file {crl_name}: {e}", files.ca_file))?;
        if checks_revocation {
            // The list must be usable now, and by this host's own
            // certificate: one of another CA, an expired one, or one that
            // revokes this host stops the process here with the reason,
            // not at its first connection.
            let own = (&chain[0], &chain[1..]);
            if let Err(e) = clients.verify_client_cert(own.0, own.1, UnixTime::now()) {
                return Err(crl_refusal(crl_name, &files.cert_file, e));
            }
        }
        let server = ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(VERSIONS)
            .map_err(|e| e.to_string())?
            .with_client_cert_verifier(clients)
            .with_single_cert(chain.clone(), key.clone_key())
            .map_err(|e| format!("tls.cert_file {} and tls.key_file {} do not make a usable certificate: {e}", files.cert_file, files.key_file))?;
        let client = ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(VERSIONS)
            .map_err(|e| e.to_string())?
            .with_webpki_verifier(servers)
            .with_client_auth_cert(chain, key)
            .map_err(|e| format!("tls.cert_file {} and tls.key_file {} do not make a usable client certificate: {e}", files.cert_file, files.key_file))?;
        Ok(Configs { server: Arc::new(server), client: Arc::new(client) })
    }
}

/// The CRLs of a PEM file (`g2n certs revoke` writes one).
fn read_crls(path: &str) -> Result<Vec<CertificateRevocationListDer<'static>>, String> {
    let crls = CertificateRevocationListDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read the certificate revocation list tls.crl_file {path}: {e}"))?;
    if crls.is_empty() {
        return Err(format!("tls.crl_file {path} holds no certificate revocation list (a PEM block `X509 CRL`, as `g2n certs revoke` writes)"));
    }
    Ok(crls)
}

/// Why a CRL cannot be used, found by checking this host's own certificate
/// with it.
fn crl_refusal(crl: &str, cert: &str, e: rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(CertificateError::ExpiredRevocationList | CertificateError::ExpiredRevocationListContext { .. }) => {
            format!("the certificate revocation list tls.crl_file {crl} has expired (its next update is past): write a new one with `g2n certs revoke --out DIR`")
        }
        rustls::Error::InvalidCertificate(CertificateError::Revoked) => format!("this host's own certificate tls.cert_file {cert} is revoked by tls.crl_file {crl}"),
        rustls::Error::InvalidCertificate(CertificateError::UnknownRevocationStatus) => {
            format!("the certificate revocation list tls.crl_file {crl} is not one of the CA in tls.ca_file (its issuer does not match)")
        }
        e => format!("the certificate revocation list tls.crl_file {crl} cannot be used: {e}"),
    }
}

impl TlsBackend for Rustls {
    /// The client side of a connection to `addr` (`host:port`): the
    /// handshake completes, or fails, within `timeout`.
    fn connect(&self, tcp: TcpStream, addr: &str, timeout: Duration) -> io::Result<Box<dyn TlsSession>> {
        let name = server_name(addr)?;
        let session = ClientConnection::new(self.configs()?.client, name).map_err(io::Error::other)?;
        let mut stream = StreamOwned::new(session, tcp);
        handshake(&mut stream.conn, &mut stream.sock, timeout)?;
        Ok(Box::new(stream))
    }

    /// The server side of an accepted connection, within `timeout`, and
    /// the client's certificate as the server logs it.
    fn accept(&self, tcp: TcpStream, timeout: Duration) -> io::Result<TlsAccepted> {
        let session = ServerConnection::new(self.configs()?.server).map_err(io::Error::other)?;
        let mut stream = StreamOwned::new(session, tcp);
        handshake(&mut stream.conn, &mut stream.sock, timeout)?;
        // The verifier required a client certificate, so there is one.
        let mut peer_certificate = match stream.conn.peer_certificates().and_then(|c| c.first()) {
            Some(der) => Identity::of(der).map_or_else(|| "(unreadable)".to_string(), |id| id.describe()),
            None => "(none)".to_string(),
        };
        if let Some(group) = stream.conn.negotiated_key_exchange_group() {
            peer_certificate.push_str(&format!(", key exchange {:?}", group.name()));
        }
        Ok(TlsAccepted { session: Box::new(stream), peer_certificate })
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
    use rustls::NamedGroup;

    /// Runs a handshake between a client and a server in memory: the group
    /// each side agreed on, and whether application data then crosses.
    fn handshake_in_memory(client: ClientConfig, server: ServerConfig) -> (Option<NamedGroup>, Option<NamedGroup>, bool) {
        use std::io::{Read, Write};
        let mut c = ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap()).unwrap();
        let mut s = ServerConnection::new(Arc::new(server)).unwrap();
        c.writer().write_all(b"ping").unwrap();
        let mut got = Vec::new();
        for _ in 0..8 {
            let mut wire = Vec::new();
            while c.wants_write() {
                c.write_tls(&mut wire).unwrap();
            }
            s.read_tls(&mut wire.as_slice()).unwrap();
            s.process_new_packets().unwrap();
            let mut buf = [0u8; 16];
            if let Ok(n) = s.reader().read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
            let mut wire = Vec::new();
            while s.wants_write() {
                s.write_tls(&mut wire).unwrap();
            }
            c.read_tls(&mut wire.as_slice()).unwrap();
            c.process_new_packets().unwrap();
        }
        let group = |g: Option<&'static dyn rustls::crypto::SupportedKxGroup>| g.map(|g| g.name());
        (group(c.negotiated_key_exchange_group()), group(s.negotiated_key_exchange_group()), got == b"ping")
    }

    /// A client and a server on these providers, the client trusting the
    /// server's self-signed certificate.
    fn configs(client: Arc<rustls::crypto::CryptoProvider>, server: Arc<rustls::crypto::CryptoProvider>) -> (ClientConfig, ServerConfig) {
        let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let der = CertificateDer::from(cert.der().to_vec());
        let mut roots = RootCertStore::empty();
        roots.add(der.clone()).unwrap();
        let key = PrivateKeyDer::try_from(key.serialize_der()).unwrap();
        let server = ServerConfig::builder_with_provider(server).with_protocol_versions(VERSIONS).unwrap().with_no_client_auth().with_single_cert(vec![der], key).unwrap();
        let client = ClientConfig::builder_with_provider(client).with_protocol_versions(VERSIONS).unwrap().with_root_certificates(roots).with_no_client_auth();
        (client, server)
    }

    #[test]
    fn two_g2n_peers_agree_on_x25519mlkem768_and_fall_back_for_a_classical_peer() {
        let (client, server) = configs(provider(), provider());
        assert_eq!(handshake_in_memory(client, server), (Some(NamedGroup::X25519MLKEM768), Some(NamedGroup::X25519MLKEM768), true));
        // A peer with ring's groups only (an older g2n) on either end: the
        // classical group its provider prefers, data still crosses.
        #[allow(deprecated)]
        let classical = Arc::new(rustls::crypto::ring::default_provider());
        let (client, server) = configs(classical.clone(), provider());
        let (c, s, data) = handshake_in_memory(client, server);
        assert!(c.is_some() && c == s && c != Some(NamedGroup::X25519MLKEM768) && data, "{c:?} {s:?}");
        let (client, server) = configs(provider(), classical);
        let (c, s, data) = handshake_in_memory(client, server);
        assert!(c.is_some() && c == s && c != Some(NamedGroup::X25519MLKEM768) && data, "{c:?} {s:?}");
    }

    #[test]
    fn a_malformed_hybrid_share_is_refused() {
        let group = hybrid::X25519MLKEM768;
        assert!(group.start_and_complete(&[0u8; 12]).is_err(), "wrong length");
        // An encapsulation key with a coefficient out of range (all 0xff
        // bytes decode to 4095 > q) fails FIPS 203's check.
        let mut share = vec![0xffu8; 1184];
        share.extend_from_slice(group.start().unwrap().pub_key()[1184..].as_ref());
        assert!(group.start_and_complete(&share).is_err(), "out-of-range key accepted");
        // A client's own share, completed by a server, gives the same secret
        // on both sides.
        let client = group.start().unwrap();
        let server = group.start_and_complete(client.pub_key()).unwrap();
        assert_eq!(server.pub_key.len(), 1088 + 32);
        let secret = client.complete(&server.pub_key).unwrap();
        assert_eq!(secret.secret_bytes(), server.secret.secret_bytes());
        assert_eq!(secret.secret_bytes().len(), 64);
    }

    #[test]
    fn a_server_name_is_the_host_part_of_the_address() {
        assert_eq!(format!("{:?}", server_name("127.0.0.1:80").unwrap()), format!("{:?}", ServerName::try_from("127.0.0.1").unwrap()));
        assert_eq!(format!("{:?}", server_name("[::1]:80").unwrap()), format!("{:?}", ServerName::try_from("::1").unwrap()));
        assert_eq!(format!("{:?}", server_name("host-1.example:80").unwrap()), format!("{:?}", ServerName::try_from("host-1.example").unwrap()));
        assert!(server_name("bad name:80").is_err());
    }
}
