//! Connections and listeners over TCP or Unix domain sockets, chosen by the
//! address: `host:port` is TCP, anything with a `/` is the path of a Unix
//! socket (docs/protocol.md, "Local meshes"). Frames, keys and the protocol
//! are the same on both; only who can connect differs: a Unix socket in a
//! 0700 directory can be reached by its owner's processes only.
//!
//! [`Transport`] decides how a TCP connection is made: with mutual TLS when
//! the runtime configuration names certificates (tls.rs), and otherwise
//! only on loopback, unless the configuration opts out of that rule
//! (`plaintext_network`, docs/protocol.md "TLS" says why it is refused by
//! default).

use crate::tls::{Tls, TlsConn};
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Whether `addr` names a Unix socket (a path) rather than a TCP `host:port`.
pub fn is_socket_path(addr: &str) -> bool {
    addr.contains('/')
}

/// One connection, either kind.
#[derive(Debug)]
pub enum Conn {
    Tcp(TcpStream),
    Unix(UnixStream),
    /// TCP with mutual TLS (a [`Transport`] with certificates).
    Tls(TlsConn),
}

impl Conn {
    /// On a server's TLS connection, the client's certificate as logged
    /// (`TlsConn::peer_certificate`).
    pub fn peer_certificate(&self) -> Option<&str> {
        match self {
            Conn::Tls(c) => c.peer_certificate(),
            _ => None,
        }
    }

    /// Connects to `addr`, waiting at most `timeout` for a TCP connection (a
    /// Unix socket connects or fails at once).
    pub fn connect(addr: &str, timeout: Duration) -> io::Result<Conn> {
        if is_socket_path(addr) {
            return UnixStream::connect(addr).map(Conn::Unix);
        }
        let resolved = addr
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("'{addr}' resolves to no address")))?;
        let conn = TcpStream::connect_timeout(&resolved, timeout)?;
        let _ = conn.set_nodelay(true);
        Ok(Conn::Tcp(conn))
    }

    pub fn try_clone(&self) -> io::Result<Conn> {
        match self {
            Conn::Tcp(c) => c.try_clone().map(Conn::Tcp),
            Conn::Unix(c) => c.try_clone().map(Conn::Unix),
            Conn::Tls(c) => c.try_clone().map(Conn::Tls),
        }
    }

    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Conn::Tcp(c) => c.set_read_timeout(timeout),
            Conn::Unix(c) => c.set_read_timeout(timeout),
            Conn::Tls(c) => c.socket().set_read_timeout(timeout),
        }
    }

    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Conn::Tcp(c) => c.set_write_timeout(timeout),
            Conn::Unix(c) => c.set_write_timeout(timeout),
            Conn::Tls(c) => c.socket().set_write_timeout(timeout),
        }
    }

    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        match self {
            Conn::Tcp(c) => c.shutdown(how),
            Conn::Unix(c) => c.shutdown(how),
            Conn::Tls(c) => c.socket().shutdown(how),
        }
    }

    /// The peer in logs: its TCP address, or `local process PID` for a Unix
    /// socket (whose peers have no address).
    pub fn peer(&self) -> String {
        match self {
            Conn::Tcp(c) => c.peer_addr().map(|a| a.to_string()).unwrap_or_else(|_| "unknown peer".into()),
            Conn::Tls(c) => c.socket().peer_addr().map(|a| a.to_string()).unwrap_or_else(|_| "unknown peer".into()),
            Conn::Unix(c) => peer_pid(c).map_or_else(|| "local process".to_string(), |pid| format!("local process {pid}")),
        }
    }

    /// Who the peer is, for per-peer limits: its IP address, or its process
    /// for a Unix socket.
    pub fn peer_key(&self) -> String {
        match self {
            Conn::Tcp(c) => c.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default(),
            Conn::Tls(c) => c.socket().peer_addr().map(|a| a.ip().to_string()).unwrap_or_default(),
            Conn::Unix(c) => peer_pid(c).map_or_else(String::new, |pid| format!("pid {pid}")),
        }
    }

    /// Prepares an accepted connection: no Nagle delay on TCP (frames are
    /// small request/reply pairs).
    fn accepted(self) -> Conn {
        if let Conn::Tcp(c) = &self {
            let _ = c.set_nodelay(true);
        }
        self
    }
}

/// The peer's process id, from the kernel (SO_PEERCRED).
fn peer_pid(conn: &UnixStream) -> Option<u32> {
    use std::os::fd::AsRawFd;
    let mut cred = libc::ucred { pid: 0, uid: 0, gid: 0 };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `cred`, a ucred.
    let rc = unsafe { libc::getsockopt(conn.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PEERCRED, (&raw mut cred).cast(), &mut len) };
    (rc == 0 && cred.pid > 0).then_some(cred.pid as u32)
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(c) => c.read(buf),
            Conn::Unix(c) => c.read(buf),
            Conn::Tls(c) => c.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(c) => c.write(buf),
            Conn::Unix(c) => c.write(buf),
            Conn::Tls(c) => c.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Tcp(c) => c.flush(),
            Conn::Unix(c) => c.flush(),
            Conn::Tls(c) => c.flush(),
        }
    }
}

/// How this process makes and takes TCP connections to and from other
/// hosts: with mutual TLS when it has certificates; without, only on
/// loopback unless `plaintext_network` says otherwise. Unix sockets are
/// local and never use TLS. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Transport {
    tls: Option<Arc<Tls>>,
    plaintext_network: bool,
}

/// Logged once per process: plaintext TCP leaves the machine.
static PLAINTEXT_WARNED: std::sync::Once = std::sync::Once::new();

impl Transport {
    /// The transport a runtime configuration asks for (its certificates
    /// are read now, so a bad file stops the process at start-up).
    pub fn from_config(config: &crate::config::RuntimeConfig) -> Result<Transport, String> {
        let tls = match &config.tls {
            Some(files) => Some(Arc::new(Tls::load(files)?)),
            None => None,
        };
        Ok(Transport { tls, plaintext_network: config.plaintext_network })
    }

    /// Whether TCP connections use TLS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Whether plaintext TCP may reach `ip`: always on loopback; elsewhere
    /// only with `plaintext_network` (warned once), never by default.
    pub fn plaintext_allowed(&self, ip: IpAddr, addr: &str) -> Result<(), String> {
        if ip.is_loopback() {
            return Ok(());
        }
        if !self.plaintext_network {
            return Err(format!(
                "refusing plaintext TCP with {addr}: it is not a loopback address, and this runtime configuration has no `tls` (frames would cross the network readable and open to tampering); configure `tls` (docs/protocol.md, \"TLS\") or, on a network that is encrypted already, set `plaintext_network`"
            ));
        }
        PLAINTEXT_WARNED.call_once(|| {
            // The operator's stderr, as the runtime's other one-time notices
            // (flow.rs): a write that fails has nowhere else to go.
            let _ = writeln!(std::io::stderr(), "g2n: warning: plaintext TCP with {addr}, which is not a loopback address (plaintext_network is set): frames cross the network readable");
        });
        Ok(())
    }

    /// Connects to `addr` (TCP `host:port` or a Unix socket's path),
    /// waiting at most `timeout` for the TCP connection and as long again
    /// for the TLS handshake.
    pub fn connect(&self, addr: &str, timeout: Duration) -> io::Result<Conn> {
        if is_socket_path(addr) {
            return Conn::connect(addr, timeout);
        }
        let resolved = addr
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("'{addr}' resolves to no address")))?;
        if self.tls.is_none() {
            // Checked before any packet is sent.
            self.plaintext_allowed(resolved.ip(), addr).map_err(|e| io::Error::new(io::ErrorKind::PermissionDenied, e))?;
        }
        let conn = TcpStream::connect_timeout(&resolved, timeout)?;
        let _ = conn.set_nodelay(true);
        match &self.tls {
            Some(tls) => tls.connect(conn, addr, timeout).map(Conn::Tls),
            None => Ok(Conn::Tcp(conn)),
        }
    }

    /// Binds `addr` to listen on, refusing a plaintext TCP listener on an
    /// address other than loopback (see [`Transport::plaintext_allowed`]).
    pub fn bind(&self, addr: &str) -> io::Result<Listener> {
        if !is_socket_path(addr) && self.tls.is_none() {
            let ip = addr
                .to_socket_addrs()?
                .next()
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("'{addr}' resolves to no address")))?
                .ip();
            self.plaintext_allowed(ip, addr).map_err(|e| io::Error::new(io::ErrorKind::PermissionDenied, e))?;
        }
        Listener::bind(addr)
    }

    /// Secures a connection a listener accepted: the TLS handshake (server
    /// side) within `timeout` when this transport has certificates; a Unix
    /// socket or a plaintext transport as it is.
    pub fn accepted(&self, conn: Conn, timeout: Duration) -> io::Result<Conn> {
        match (&self.tls, conn) {
            (Some(tls), Conn::Tcp(c)) => tls.accept(c, timeout).map(Conn::Tls),
            (_, conn) => Ok(conn),
        }
    }
}

/// A listening socket, either kind.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener, PathBuf),
}

impl Listener {
    /// Binds `addr`. A Unix socket left at the path by a process that died
    /// (a restarted host) is replaced; any other file there is an error.
    pub fn bind(addr: &str) -> io::Result<Listener> {
        if !is_socket_path(addr) {
            return TcpListener::bind(addr).map(Listener::Tcp);
        }
        let path = Path::new(addr);
        if let Ok(meta) = std::fs::symlink_metadata(path)
            && meta.file_type().is_socket()
            && UnixStream::connect(path).is_err()
        {
            let _ = std::fs::remove_file(path);
        }
        UnixListener::bind(path).map(|l| Listener::Unix(l, path.to_path_buf()))
    }

    /// The address peers connect to: `ip:port`, or the socket's path.
    pub fn local_addr(&self) -> io::Result<String> {
        match self {
            Listener::Tcp(l) => l.local_addr().map(|a| a.to_string()),
            Listener::Unix(_, path) => path.to_str().map(str::to_string).ok_or_else(|| io::Error::other("socket path is not UTF-8")),
        }
    }

    pub fn accept(&self) -> io::Result<Conn> {
        match self {
            Listener::Tcp(l) => l.accept().map(|(c, _)| Conn::Tcp(c).accepted()),
            Listener::Unix(l, _) => l.accept().map(|(c, _)| Conn::Unix(c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_a_unix_socket_and_host_port_is_tcp() {
        assert!(is_socket_path("/tmp/g2n-run-1/host-1.sock"));
        assert!(is_socket_path("./rel.sock"));
        assert!(!is_socket_path("127.0.0.1:8080"));
        assert!(!is_socket_path("[::1]:8080"));
        assert!(!is_socket_path("localhost:1"));
    }

    #[test]
    fn frames_travel_over_a_unix_socket_and_a_stale_socket_is_replaced() {
        let dir = std::env::temp_dir().join(format!("g2n-net-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.sock");
        let addr = path.to_str().unwrap().to_string();
        // A socket file nobody listens on any more (a killed host).
        drop(UnixListener::bind(&path).unwrap());
        let listener = Listener::bind(&addr).unwrap();
        assert_eq!(listener.local_addr().unwrap(), addr);
        let server = std::thread::spawn(move || {
            let mut conn = listener.accept().unwrap();
            assert!(conn.peer().starts_with("local process"), "{}", conn.peer());
            let mut buf = [0u8; 4];
            conn.read_exact(&mut buf).unwrap();
            conn.write_all(&buf).unwrap();
        });
        let mut conn = Conn::connect(&addr, Duration::from_secs(1)).unwrap();
        conn.write_all(b"ping").unwrap();
        let mut back = [0u8; 4];
        conn.read_exact(&mut back).unwrap();
        assert_eq!(&back, b"ping");
        server.join().unwrap();
        // A live listener's path is not taken over.
        let _live = Listener::bind(&addr).unwrap();
        assert!(Listener::bind(&addr).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
