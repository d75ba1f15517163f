//! Time zones of the IANA database for `time.LoadLocation`: TZif files
//! (RFC 8536) read from the directories Go 1.19 searches on Linux, parsed
//! once per name and kept for the life of the process.
//!
//! A zone is its list of transitions and the local time types they switch
//! to. Before the first transition the first standard-time type applies (as
//! in Go); after the last one, the last type (Debian's files are written
//! "fat", with transitions through 2037; the POSIX rule of the file's
//! footer, which Go uses past the last transition, is not read yet).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A local time type: offset east of UTC in seconds, daylight saving time or
/// not, abbreviation.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneType {
    pub offset: i32,
    pub dst: bool,
    pub abbrev: String,
}

#[derive(Debug, PartialEq)]
pub struct Zone {
    /// (Unix time of the transition, index into `types`), in time order.
    transitions: Vec<(i64, usize)>,
    types: Vec<ZoneType>,
}

impl Zone {
    /// The type in effect at the Unix time `sec`.
    pub fn lookup(&self, sec: i64) -> &ZoneType {
        let after = self.transitions.partition_point(|&(at, _)| at <= sec);
        if after == 0 {
            return self.types.iter().find(|t| !t.dst).unwrap_or(&self.types[0]);
        }
        &self.types[self.transitions[after - 1].1]
    }
}

struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.data.len() < n {
            return Err("truncated".to_string());
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

struct Counts {
    isut: usize,
    isstd: usize,
    leap: usize,
    time: usize,
    types: usize,
    chars: usize,
}

fn header(r: &mut Reader) -> Result<(u8, Counts), String> {
    if r.take(4)? != b"TZif" {
        return Err("not a TZif file".to_string());
    }
    let version = r.take(1)?[0];
    r.take(15)?;
    let mut next = || r.u32().map(|v| v as usize);
    let counts = Counts { isut: next()?, isstd: next()?, leap: next()?, time: next()?, types: next()?, chars: next()? };
    Ok((version, counts))
}

/// Parses a TZif file: its 64-bit data when the file has them (version 2
/// and later), else the version 1 data.
pub fn parse(data: &[u8]) -> Result<Zone, String> {
    let mut r = Reader { data };
    let (version, mut counts) = header(&mut r)?;
    let mut wide = false;
    if version >= b'2' {
        // Skip the version 1 block to the 64-bit one.
        let v1 = counts.time * 5 + counts.types * 6 + counts.chars + counts.leap * 8 + counts.isstd + counts.isut;
        r.take(v1)?;
        counts = header(&mut r)?.1;
        wide = true;
    }
    let mut times = Vec::with_capacity(counts.time);
    for _ in 0..counts.time {
        let at = if wide {
            let b = r.take(8)?;
            i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        } else {
            i64::from(r.u32()? as i32)
        };
        times.push(at);
    }
    let indices = r.take(counts.time)?.to_vec();
    let mut raw_types = Vec::with_capacity(counts.types);
    for _ in 0..counts.types {
        let offset = r.u32()? as i32;
        let b = r.take(2)?;
        raw_types.push((offset, b[0] != 0, b[1] as usize));
    }
    let chars = r.take(counts.chars)?;
    if raw_types.is_empty() {
        return Err("no local time types".to_string());
    }
    let types = raw_types
        .into_iter()
        .map(|(offset, dst, at)| {
            let rest = chars.get(at..).unwrap_or_default();
            let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
            ZoneType { offset, dst, abbrev: String::from_utf8_lossy(&rest[..end]).into_owned() }
        })
        .collect::<Vec<_>>();
    let mut transitions = Vec::with_capacity(times.len());
    for (at, index) in times.into_iter().zip(indices) {
        let index = index as usize;
        if index >= types.len() {
            return Err("transition to an unknown type".to_string());
        }
        transitions.push((at, index));
    }
    Ok(Zone { transitions, types })
}

/// Whether `name` may name a file under a zoneinfo directory: Go's rule
/// (no `..` element, not absolute, no backslash).
pub fn valid_name(name: &str) -> bool {
    !(name.starts_with('/') || name.contains('\\') || name.split('/').any(|part| part == ".."))
}

/// The directories Go 1.19 reads zones from on Linux, after `$ZONEINFO`.
const SOURCES: &[&str] = &["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/"];

type Cache = Mutex<HashMap<String, Option<Arc<Zone>>>>;

/// The zone named `name`, loaded on first use (`None`: no such zone, or
/// not a valid name).
pub fn load(name: &str) -> Option<Arc<Zone>> {
    if !valid_name(name) {
        return None;
    }
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(zone) = cache.get(name) {
        return zone.clone();
    }
    let dirs = std::env::var("ZONEINFO").ok().into_iter().map(|d| format!("{d}/")).chain(SOURCES.iter().map(|s| s.to_string()));
    let zone = dirs
        .filter_map(|dir| std::fs::read(format!("{dir}{name}")).ok())
        .find_map(|data| parse(&data).ok())
        .map(Arc::new);
    cache.insert(name.to_string(), zone.clone());
    zone
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 1 file built by hand: two types, one transition.
    fn v1_file() -> Vec<u8> {
        let mut f = b"TZif".to_vec();
        f.push(0);
        f.extend([0; 15]);
        for count in [0u32, 0, 0, 1, 2, 8] {
            f.extend(count.to_be_bytes());
        }
        f.extend(1000i32.to_be_bytes());
        f.push(1);
        f.extend(3600i32.to_be_bytes());
        f.extend([0, 0]);
        f.extend(7200i32.to_be_bytes());
        f.extend([1, 4]);
        f.extend(b"CET\0CES\0");
        f
    }

    #[test]
    fn a_version_1_file_switches_at_its_transition() {
        let zone = parse(&v1_file()).expect("parses");
        assert_eq!(zone.lookup(999), &ZoneType { offset: 3600, dst: false, abbrev: "CET".into() });
        assert_eq!(zone.lookup(1000), &ZoneType { offset: 7200, dst: true, abbrev: "CES".into() });
        assert_eq!(zone.lookup(i64::MAX).abbrev, "CES");
    }

    #[test]
    fn truncated_and_foreign_files_are_refused() {
        let file = v1_file();
        assert!(parse(&file[..file.len() - 3]).is_err());
        assert!(parse(b"PK\x03\x04 not a zone").is_err());
    }

    #[test]
    fn names_that_leave_the_directory_are_invalid() {
        assert!(valid_name("Europe/Berlin"));
        assert!(!valid_name("../etc/passwd"));
        assert!(!valid_name("Europe/../../x"));
        assert!(!valid_name("/etc/localtime"));
    }
}
