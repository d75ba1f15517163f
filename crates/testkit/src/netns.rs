//! Network partitions for tests: a [`Lab`] is a set of network namespaces
//! (one per NATS node or host process of a test, "members") joined only to
//! each other through a bridge that lives in a namespace of its own (the
//! lab's switch). A test cuts a member off the switch ([`Lab::cut`]) and
//! joins it again ([`Lab::heal`]): its processes keep running, and neither
//! they nor their peers are told (no link goes down, no packet is
//! refused); packets between them are simply lost, as behind a failed
//! switch port.
//!
//! Why nothing can leave the machine: every link is a veth pair created
//! inside the lab's own namespaces (`ip -n SWITCH link add ... peer ...
//! netns MEMBER`), so the root namespace never holds either end, has no
//! address on them and no route to them; a new namespace starts with only
//! its own loopback and no default route. The members' addresses
//! (198.18.0.0/24, [`SUBNET`]: RFC 2544's range for test networks, never
//! routed on the Internet, and unlike 10/8 not used by this machine's own
//! network) exist only on the member ends of those veths; the switch ends
//! and the bridge have none. A member's only route is that subnet on its
//! veth, so a packet from a member can reach the other members of its lab
//! and nothing else. Loopback (127.0.0.0/8) cannot serve here: each
//! namespace has its own. The test process reaches members only from
//! inside a member namespace ([`run_in`]); it never sends to a lab address
//! from the root namespace (whose default route would carry it off the
//! machine).
//!
//! Creating namespaces needs root (CI runs as root) and iproute2's `ip`;
//! without them [`Lab::new`] panics with a message saying so: a partition
//! test never passes without having partitioned anything. Dropping the lab
//! (also while a test panics) deletes its namespaces, which removes their
//! veths and the bridge; namespaces left by a test process that was killed
//! are deleted by the next [`Lab::new`].

use std::net::Ipv4Addr;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The members' subnet: private, and present only inside a lab.
pub const SUBNET: &str = "198.18.0.0/24";

/// Every lab namespace's name starts with this, then the test process's pid.
const PREFIX: &str = "g2nlab";

static LABS: AtomicUsize = AtomicUsize::new(0);

pub struct Member {
    /// What the test calls it (e.g. `n1`, `w1`).
    pub label: String,
    /// The network namespace (`ip netns` name).
    pub netns: String,
    /// Its only address outside its own loopback.
    pub ip: Ipv4Addr,
    /// Its veth's end on the switch.
    port: String,
}

pub struct Lab {
    id: String,
    switch: String,
    members: Vec<Member>,
}

/// Runs `ip ARGS`; Err with its stderr.
fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip").args(args).stdin(Stdio::null()).output().map_err(|e| format!("cannot run `ip` (iproute2): {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("`ip {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Opens a namespace's handle (what `setns` takes).
fn handle(netns: &str) -> std::fs::File {
    let path = format!("/run/netns/{netns}");
    std::fs::File::open(&path).unwrap_or_else(|e| panic!("cannot open {path}: {e}"))
}

/// Moves the calling thread into the namespace `file` names.
fn enter(file: &std::fs::File) -> std::io::Result<()> {
    // SAFETY: setns(2) on an open namespace file descriptor; it changes only
    // the calling thread's network namespace.
    if unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) } == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// Runs `f` on a thread of its own inside network namespace `netns` (a
/// connection it opens is made from there; the caller's thread stays put).
pub fn run_in<T: Send>(netns: &str, f: impl FnOnce() -> T + Send) -> T {
    let file = handle(netns);
    std::thread::scope(|scope| {
        scope
            .spawn(move || {
                enter(&file).unwrap_or_else(|e| panic!("cannot enter network namespace {netns}: {e}"));
                f()
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Makes `command` start its process inside network namespace `netns`.
pub fn place(command: &mut Command, netns: &str) {
    let file = handle(netns);
    // SAFETY: the closure runs between fork and exec and only calls
    // setns(2) on a descriptor opened before the fork.
    unsafe {
        command.pre_exec(move || enter(&file));
    }
}

/// Deletes lab namespaces whose test process is gone (killed before its
/// labs were dropped).
fn delete_orphans() {
    let Ok(entries) = std::fs::read_dir("/run/netns") else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(PREFIX).and_then(|rest| rest.split('-').next()).and_then(|p| p.parse::<i32>().ok()) else { continue };
        // SAFETY: kill(pid, 0) only asks whether the process exists.
        let alive = unsafe { libc::kill(pid, 0) == 0 || *libc::__errno_location() == libc::EPERM };
        if !alive {
            let _ = ip(&["netns", "delete", &name]);
        }
    }
}

impl Lab {
    /// An empty lab: its switch namespace with a bridge. Panics, saying
    /// why, where namespaces cannot be made (not root, no `ip`).
    pub fn new(label: &str) -> Lab {
        // SAFETY: geteuid(2) has no effects.
        let euid = unsafe { libc::geteuid() };
        if euid != 0 {
            panic!(
                "this partition test needs network namespaces, which need root (euid is {euid}); CI runs as root. Run it as root (e.g. sudo -E cargo test --test nats_partition)"
            );
        }
        delete_orphans();
        let id = format!("{PREFIX}{}-{}-{label}", std::process::id(), LABS.fetch_add(1, Ordering::Relaxed));
        let switch = format!("{id}-sw");
        let lab = Lab { id, switch, members: Vec::new() };
        let made = ip(&["netns", "add", &lab.switch])
            .and_then(|_| ip(&["-n", &lab.switch, "link", "add", "br0", "type", "bridge"]))
            .and_then(|_| ip(&["-n", &lab.switch, "link", "set", "br0", "up"]));
        if let Err(e) = made {
            panic!("this partition test needs network namespaces (root and iproute2's `ip`), and cannot make one: {e}");
        }
        lab
    }

    /// A new member namespace on the switch, with the next address of
    /// [`SUBNET`] (198.18.0.1, .2, ...).
    pub fn add(&mut self, label: &str) -> &Member {
        let k = self.members.len() + 1;
        assert!(k < 255, "a lab has at most 254 members");
        let netns = format!("{}-{label}", self.id);
        let port = format!("p{k}");
        let ip_addr = Ipv4Addr::new(198, 18, 0, k as u8);
        let cidr = format!("{ip_addr}/24");
        let sw = self.switch.clone();
        let made = ip(&["netns", "add", &netns])
            // Both ends are made inside the switch namespace, one moved
            // straight into the member's: the root namespace never has them.
            .and_then(|_| ip(&["-n", &sw, "link", "add", &port, "type", "veth", "peer", "name", "eth0", "netns", &netns]))
            .and_then(|_| ip(&["-n", &sw, "link", "set", &port, "master", "br0"]))
            .and_then(|_| ip(&["-n", &sw, "link", "set", &port, "up"]))
            .and_then(|_| ip(&["-n", &netns, "addr", "add", &cidr, "dev", "eth0"]))
            .and_then(|_| ip(&["-n", &netns, "link", "set", "eth0", "up"]))
            .and_then(|_| ip(&["-n", &netns, "link", "set", "lo", "up"]));
        // The namespace is recorded first, so Drop deletes it if a step failed.
        self.members.push(Member { label: label.to_string(), netns, ip: ip_addr, port });
        if let Err(e) = made {
            panic!("cannot set up lab member {label}: {e}");
        }
        self.members.last().unwrap_or_else(|| unreachable!())
    }

    pub fn member(&self, label: &str) -> &Member {
        self.members.iter().find(|m| m.label == label).unwrap_or_else(|| panic!("the lab has no member {label}"))
    }

    /// A command whose process runs inside `label`'s namespace.
    pub fn command(&self, label: &str, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        place(&mut command, &self.member(label).netns);
        command
    }

    /// Cuts `label` off: its port leaves the bridge, so nothing it sends
    /// reaches anyone and nothing reaches it. Both ends stay up: nobody is
    /// told; connections simply stop carrying packets.
    pub fn cut(&self, label: &str) {
        let m = self.member(label);
        ip(&["-n", &self.switch, "link", "set", &m.port, "nomaster"]).unwrap_or_else(|e| panic!("cannot cut {label} off: {e}"));
    }

    /// Joins `label` to the others again.
    pub fn heal(&self, label: &str) {
        let m = self.member(label);
        ip(&["-n", &self.switch, "link", "set", &m.port, "master", "br0"]).unwrap_or_else(|e| panic!("cannot join {label} again: {e}"));
    }

    /// The namespaces of this lab that exist now (for the clean-up test).
    pub fn namespaces(&self) -> Vec<String> {
        std::iter::once(self.switch.clone()).chain(self.members.iter().map(|m| m.netns.clone())).collect()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Deleting a namespace deletes its veth ends (and so their peers)
        // and the bridge. A process still inside keeps its namespace alive
        // (unnamed) until it exits: tests stop theirs first.
        for m in &self.members {
            let _ = ip(&["netns", "delete", &m.netns]);
        }
        let _ = ip(&["netns", "delete", &self.switch]);
    }
}

/// Whether network namespace `netns` exists.
pub fn exists(netns: &str) -> bool {
    std::path::Path::new("/run/netns").join(netns).exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::time::Duration;

    fn reaches(from: &str, to: SocketAddr) -> bool {
        run_in(from, move || TcpStream::connect_timeout(&to, Duration::from_millis(300)).is_ok())
    }

    #[test]
    fn members_reach_each_other_until_cut_and_the_lab_is_deleted_on_drop_and_on_panic() {
        let mut lab = Lab::new("unit");
        let a = lab.add("a").netns.clone();
        let b_ip = lab.add("b").ip;
        let b = lab.member("b").netns.clone();
        let listener = run_in(&b, move || TcpListener::bind((b_ip, 7000)).expect("listen in b"));
        let to_b = SocketAddr::from((b_ip, 7000));
        assert!(reaches(&a, to_b), "a reaches b through the switch");
        // The root namespace holds no end of the lab's links and none of
        // its addresses; a member's only route is the lab's subnet.
        let root = Command::new("ip").args(["-o", "addr"]).output().unwrap();
        let root = String::from_utf8_lossy(&root.stdout);
        assert!(!root.contains("198.18.0.") && root.lines().all(|l| !l.contains(" p1") && !l.contains(" p2")), "{root}");
        let routes = Command::new("ip").args(["-n", &a, "-4", "route"]).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&routes.stdout).split_whitespace().take(3).collect::<Vec<_>>(), ["198.18.0.0/24", "dev", "eth0"]);
        assert_eq!(String::from_utf8_lossy(&routes.stdout).lines().count(), 1);
        lab.cut("b");
        assert!(!reaches(&a, to_b), "a does not reach b once b is cut off");
        lab.heal("b");
        assert!(reaches(&a, to_b), "a reaches b again once healed");
        drop(listener);
        let names = lab.namespaces();
        assert!(names.iter().all(|n| exists(n)));
        drop(lab);
        assert!(names.iter().all(|n| !exists(n)), "dropping the lab deletes its namespaces");

        // Also when the test that owns it panics.
        let names = std::panic::catch_unwind(|| {
            let mut lab = Lab::new("panics");
            lab.add("x");
            let names = lab.namespaces();
            std::panic::panic_any(names);
        })
        .expect_err("the closure panics");
        let names = names.downcast::<Vec<String>>().expect("the lab's names");
        assert!(!names.is_empty() && names.iter().all(|n| !exists(n)), "a panicking test's lab is deleted: {names:?}");
    }
}
