//! The benchmark programs: finding them on disk and checking what they print.
//!
//! A program is a folder `<name>/` with `main.go`, `args` (one line of
//! command-line arguments; missing or empty: none) and either
//! `expected.stdout` or `expected.stdout.sha256`.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// What a program must print.
#[derive(Debug, Clone)]
pub enum Expected {
    Bytes(Vec<u8>),
    /// Lower-case hex SHA-256 of the whole output.
    Sha256(String),
}

#[derive(Debug, Clone)]
pub struct Program {
    pub name: String,
    /// Where it came from, for the report ("shared", "bench").
    pub origin: &'static str,
    pub main_go: PathBuf,
    pub args: Vec<String>,
    pub expected: Expected,
}

/// Every program under `dir`, sorted by name. Folders that are not complete
/// programs are returned as warnings, not errors.
pub fn discover(dir: &Path, origin: &'static str) -> (Vec<Program>, Vec<String>) {
    let mut programs = Vec::new();
    let mut warnings = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        warnings.push(format!("no benchmark programs at {}", dir.display()));
        return (programs, warnings);
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        match load(&d, origin) {
            Ok(p) => programs.push(p),
            Err(e) => warnings.push(format!("skipping {}: {e}", d.display())),
        }
    }
    (programs, warnings)
}

/// One program folder.
pub fn load(dir: &Path, origin: &'static str) -> Result<Program, String> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| "folder has no name".to_string())?;
    let main_go = dir.join("main.go");
    if !main_go.is_file() {
        return Err("no main.go".into());
    }
    let args = match fs::read_to_string(dir.join("args")) {
        Ok(text) => text
            .lines()
            .next()
            .unwrap_or("")
            .split_whitespace()
            .map(String::from)
            .collect(),
        Err(_) => Vec::new(),
    };
    let expected = if let Ok(bytes) = fs::read(dir.join("expected.stdout")) {
        Expected::Bytes(bytes)
    } else if let Ok(text) = fs::read_to_string(dir.join("expected.stdout.sha256")) {
        let hex = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("expected.stdout.sha256 does not hold a SHA-256".into());
        }
        Expected::Sha256(hex)
    } else {
        return Err("neither expected.stdout nor expected.stdout.sha256".into());
    };
    Ok(Program {
        name,
        origin,
        main_go,
        args,
        expected,
    })
}

impl Expected {
    /// `Ok` when `actual` is the expected output, else a one-line reason.
    pub fn check(&self, actual: &[u8]) -> Result<(), String> {
        match self {
            Expected::Bytes(want) => {
                if want == actual {
                    return Ok(());
                }
                let want_text = String::from_utf8_lossy(want);
                let got_text = String::from_utf8_lossy(actual);
                let mut want_lines = want_text.split_inclusive('\n');
                let mut got_lines = got_text.split_inclusive('\n');
                let mut line = 1;
                loop {
                    match (want_lines.next(), got_lines.next()) {
                        (Some(w), Some(g)) if w == g => line += 1,
                        (w, g) => {
                            return Err(format!(
                                "output differs at line {line}: expected {}, got {}",
                                excerpt_line(w),
                                excerpt_line(g)
                            ));
                        }
                    }
                }
            }
            Expected::Sha256(want) => {
                let got = sha256_hex(actual);
                if &got == want {
                    Ok(())
                } else {
                    Err(format!(
                        "output sha256 {}… differs from expected {}… ({} bytes, starts {})",
                        &got[..12],
                        &want[..12],
                        actual.len(),
                        excerpt(actual)
                    ))
                }
            }
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first line of `bytes` (at most 60 characters), quoted, for messages.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    excerpt_line(Some(text.lines().next().unwrap_or("")))
}

/// One line (at most 60 characters, quoted) or "end of output".
fn excerpt_line(line: Option<&str>) -> String {
    match line {
        None => "end of output".into(),
        Some(l) => {
            let short: String = l.chars().take(60).collect();
            if short.len() < l.len() {
                format!("{short:?}…")
            } else {
                format!("{short:?}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_sha_checks() {
        let e = Expected::Bytes(b"a\nb\n".to_vec());
        assert!(e.check(b"a\nb\n").is_ok());
        let err = e.check(b"a\nc\n").unwrap_err();
        assert_eq!(
            err,
            r#"output differs at line 2: expected "b\n", got "c\n""#
        );
        let err = e.check(b"a\n").unwrap_err();
        assert_eq!(
            err,
            r#"output differs at line 2: expected "b\n", got end of output"#
        );
        let s = Expected::Sha256(sha256_hex(b"xyz"));
        assert!(s.check(b"xyz").is_ok());
        assert!(s.check(b"xy").is_err());
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
