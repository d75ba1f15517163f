//! A frame's header is authenticated before its body is read (issue 15,
//! protocol v5): a stranger's header declaring a 16 MiB body is refused
//! after its 60 bytes, so it cannot make a host buffer up to the frame
//! limit (a header is good for one body since v6: tests/body_binding.rs). Allocation is measured with the counting allocator of
//! tests/support/counting_alloc.rs, over the whole process: the server's
//! connection thread is not this one. Loopback
//! only.

use g2n_runtime::config::{Credential, Role};
use g2n_runtime::wire::{self, Kind, ReadError};
use g2n_runtime::{RuntimeConfig, serve};
use std::ffi::c_void;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

// The shared test helpers; this test uses only `key`.
#[allow(dead_code)]
mod support;

// The counting allocator, measuring the whole process.
#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::process_peak_of as peak_of;

const USER: &str = "header-user";
const PASSWORD: &str = "header-secret";

/// A reader that gives `head`, then endless bytes, counting what was read.
struct Endless<'a> {
    head: &'a [u8],
    read: usize,
}

impl Read for Endless<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = if self.read < self.head.len() {
            let n = buf.len().min(self.head.len() - self.read);
            buf[..n].copy_from_slice(&self.head[self.read..self.read + n]);
            n
        } else {
            buf.fill(0x5A);
            buf.len()
        };
        self.read += n;
        Ok(n)
    }
}

unsafe extern "C" fn quiet_entry(_rp: u32, _scope: *mut c_void) {}

/// Headers a stranger can write: a key id nobody has, a real key id with a
/// forged tag, and an untagged one; each declares a 16 MiB body.
fn forged_headers(real: &wire::Key) -> Vec<(&'static str, Vec<u8>)> {
    let big = wire::MAX_FRAME_LEN;
    let body_tag = [0x17; wire::TAG_LEN];
    // Tagged correctly, under a key the receiver does not have.
    let unknown = wire::tagged_header(&[0x42; 32], big, &body_tag).to_vec();
    let mut forged_tag = wire::tagged_header(real, big, &body_tag).to_vec();
    forged_tag[wire::HEADER_LEN - 1] ^= 1;
    // A tag made for another length does not cover this one.
    let mut other_length = wire::tagged_header(real, 100, &body_tag).to_vec();
    other_length[..4].copy_from_slice(&big.to_be_bytes());
    let untagged = wire::untagged_header(big).to_vec();
    vec![("unknown key id", unknown), ("forged header tag", forged_tag), ("tag of another length", other_length), ("untagged", untagged)]
}

#[test]
fn a_forged_header_declaring_a_big_body_is_refused_before_the_body_is_read() {
    let key = support::key(USER, PASSWORD);

    // The reader: the header's bytes read, nothing buffered for the body.
    for (what, header) in forged_headers(&key) {
        let mut input = Endless { head: &header, read: 0 };
        let (result, peak) = peak_of(|| wire::read_frame(&mut input, &key).map(|raw| raw.body.len()));
        assert!(matches!(result, Err(ReadError::UnknownKey | ReadError::UntaggedTooLong(_))), "{what}: {result:?}");
        assert_eq!(input.read, wire::HEADER_LEN, "{what}: read past the header");
        assert!(peak < 1024, "{what}: the reader held {peak} bytes");
    }
    // The right header is read whole (the test can fail).
    let mut input = Endless { head: &wire::tagged_header(&key, 1 << 20, &[0x17; wire::TAG_LEN]), read: 0 };
    let (result, peak) = peak_of(|| wire::read_frame(&mut input, &key).map(|raw| raw.body.len()));
    assert_eq!(result.unwrap(), 1 << 20);
    assert!(peak >= 1 << 20, "an authenticated header's body is buffered: {peak}");

    // A server: it answers and closes after the header, while the stranger
    // goes on writing a body of up to 32 MiB; the whole process holds far less.
    let config = RuntimeConfig {
        role: Role::Serve,
        accept: vec![Credential { username: USER.into(), password: Some(PASSWORD.into()), password_env: None, key: None }],
        frame_deadline_ms: 5000,
        ..RuntimeConfig::default()
    };
    let server = serve(config, support::target_unit(), quiet_entry).unwrap();
    for (what, header) in forged_headers(&key) {
        let started = Instant::now();
        let ((reply, written), peak) = peak_of(|| {
            let mut c = TcpStream::connect(server.addr).unwrap();
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            c.write_all(&header).unwrap();
            let mut writer = c.try_clone().unwrap();
            let body = std::thread::spawn(move || {
                let chunk = vec![0x5Au8; 64 << 10];
                let mut written = 0usize;
                while written < 32 << 20 {
                    match writer.write(&chunk) {
                        Ok(n) => written += n,
                        Err(_) => break,
                    }
                }
                written
            });
            let reply = wire::read_frame(&mut c, &wire::NoKeys).ok().and_then(|raw| raw.decode().ok()).map(|f| f.kind);
            drop(c);
            (reply, body.join().unwrap())
        });
        match reply {
            Some(Kind::Nack { reason }) => assert!(reason == "authentication failed" || reason.starts_with("untagged frame"), "{what}: {reason}"),
            other => panic!("{what}: {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(4), "{what}: refused only after {:?} (the frame deadline?)", started.elapsed());
        // The body chunks of this test are 64 KiB; a server that read the
        // body would hold 16 MiB for it.
        assert!(peak < 1 << 20, "{what}: the process held {peak} bytes more ({written} bytes of body written)");
        assert!(written < 32 << 20, "{what}: the server read all 32 MiB");
    }
    server.stop();
}
