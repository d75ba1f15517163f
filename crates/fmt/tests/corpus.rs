//! `g2n fmt` against gofmt 1.19 on every .go file of the corpus, without Go:
//! `corpus_gofmt.tsv` holds the SHA-256 of gofmt's output for each file
//! (written by `scripts/gofmt-expected`).

// The pass rate is the measurement this test exists for: it is printed.
#![allow(clippy::print_stderr)]

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_corpus_file_is_formatted_as_gofmt_formats_it() {
    let dir = corpus::corpus_dir();
    let expected = include_str!("corpus_gofmt.tsv");
    let known: BTreeMap<&str, &str> = include_str!("known_failures.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let mut identical = 0;
    let mut total = 0;
    let mut clean = 0;
    let mut problems = Vec::new();
    for line in expected.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [path, want_hash, status] = fields.as_slice() else { panic!("bad line in corpus_gofmt.tsv: {line}") };
        let text = std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        total += 1;
        let got = match g2n_fmt::format_go(g2n_base::FileId(0), &text) {
            Ok(got) => got,
            Err(errors) => {
                problems.push(format!("{path}: syntax errors: {errors:?}"));
                continue;
            }
        };
        let same = hex(&Sha256::digest(got.as_bytes())) == *want_hash;
        // A file gofmt leaves alone must come back byte for byte.
        let same = same && (*status != "clean" || got == text);
        if *status == "clean" {
            clean += 1;
        }
        match (same, known.get(path)) {
            (true, None) => identical += 1,
            (true, Some(_)) => problems.push(format!("{path}: listed in known_failures.txt but identical now; remove it")),
            (false, Some(_)) => {}
            (false, None) => problems.push(format!("{path}: differs from gofmt ({status})")),
        }
    }
    eprintln!("g2n fmt: {identical}/{total} corpus files identical to gofmt ({clean} of them gofmt-clean)");
    assert!(total > 300, "only {total} corpus files listed");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
