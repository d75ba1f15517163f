//! Bounded-time fuzz tests of the front end.
//!
//! Go: mutated Go programs go through
//! `g2n_syntax::parse_file` and, when they parse, through the checker
//! (`g2n_split::plan_program`, which runs `g2n_sema::check` and the scope
//! analyser exactly as `g2n check` does) and `g2n_sema::check` in nanoservice
//! mode (free variables allowed). Any panic fails the test with a minimized
//! input; so does an input that takes longer than `STALL` (a hang).
//!
//! Seeds: every `main.go` of the shared corpus (`../shared/corpus`, or
//! `$G2N_CORPUS`; read from disk at test time, never copied; a missing corpus
//! fails the test) and the project's
//! own Go test programs (`tests/**/*.go`, `examples/**/*.go`). Mutations are
//! token and byte deletions, duplications, swaps, truncations, insertions of
//! Go tokens and splices between programs, from a deterministic generator.
//!
//! YAML: mutated nanoservice configs (the examples, the CLI's error cases,
//! and Go programs wrapped as raw-line configs) go through
//! `g2n_manifest::config::load` and, when they load, through the parser and
//! `g2n_split::plan_mesh`, as `g2n check CONFIG.yaml` does.
//!
//! Environment: `G2N_FUZZ_SECS` (default 20 for Go, 10 for YAML; both run at
//! once) bounds each run,
//! `G2N_FUZZ_SEED` (decimal or 0x-hex; default `DEFAULT_SEED`) picks the sequence.

use std::collections::{BTreeMap, btree_map::Entry};
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use g2n_base::{FileId, Span};

#[path = "support/corpus.rs"]
mod corpus;

const DEFAULT_SECS: u64 = 20;
const DEFAULT_SEED: u64 = 0x6732_6e5f_6675_7a7a; // "g2n_fuzz"
/// One input taking longer than this counts as a hang.
const STALL: Duration = Duration::from_secs(20);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// SplitMix64: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn go_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    files_under(dir, "go", out);
}

fn yaml_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    files_under(dir, "yaml", out);
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The seed programs, in a deterministic order.
fn seeds() -> Vec<String> {
    let root = repo_root();
    let corpus = corpus::corpus_dir();
    let mut paths = Vec::new();
    go_files_under(&corpus, &mut paths);
    let from_corpus = paths.len();
    go_files_under(&root.join("tests"), &mut paths);
    go_files_under(&root.join("examples"), &mut paths);
    report(&format!("fuzz: {} seed programs ({from_corpus} from {})", paths.len(), corpus.display()));
    paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect()
}

/// Crude Go tokens: identifier/number runs, whitespace runs, quoted literals,
/// single punctuation characters. Byte ranges into the text.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80) {
                i += 1;
            }
        } else if c.is_ascii_whitespace() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
        } else if c == b'"' || c == b'\'' || c == b'`' {
            i += 1;
            while i < bytes.len() && bytes[i] != c && bytes[i] != b'\n' {
                i += if bytes[i] == b'\\' && c != b'`' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
        } else {
            i += 1;
        }
        // Never split a UTF-8 sequence.
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

/// Snippets worth inserting: Go's delimiters and keywords, the dialect's
/// statement, and constructs the checker treats specially.
const DICTIONARY: &[&str] = &[
    "{", "}", "(", ")", "[", "]", ";", ",", ".", "...", ":", ":=", "=", "+", "-", "*", "/", "%", "<<", ">>", "&^", "&&",
    "||", "!", "<-", "==", "!=", "<", ">=", "\n", " ", "func", "func()", "return", "if", "else", "for", "range", "switch",
    "case", "default:", "break", "continue", "goto", "fallthrough", "defer", "go", "var", "const", "type", "struct{}",
    "interface{}", "map[string]int", "[]int", "[3]int", "chan int", "select", "package", "import", "iota", "nil", "_",
    "true", "0", "1", "-1", "0x", "1e400", "9223372036854775808", "1.5", "'a'", "\"s\"", "`raw`", "x", "main",
    "fmt.Println", "len", "append", "make", "new", "panic", "print", "goToNetwork 'next'", "goToNetwork \"x\"",
    "goToNetwork", "L:", "x := 1", "x, y := 1", "var x int", "string", "int8", "uint", "float64", "any", "error",
];

/// Snippets for nanoservice configs: the keys, list and block markers,
/// indentation and line-ending variants the hand-written reader handles.
const YAML_DICTIONARY: &[&str] = &[
    "code:", "code: |", "code: |-", "code: |2", "code: >", "code: [a]", "\"code\":", "- ", "-", "  - ", "\t", "\n", "\r\n",
    "\u{FEFF}", "#", "# c\n", "name: ", "name: Bad Name", "name: x", "entry: true", "source: a.go", "resume_points: [1]",
    "description: d", "goToNetworks:", "  next:", "    host: 127.0.0.1", "    port: 0", "    port: 70000",
    "    username: u", "    password: p", "    password_env: P", ": ", "'", "\"", "{", "}", "[", "]", "|", ">", "&a", "*a", "---",
    "...", "- }", "- {", "- func main() {", "- package main", "-   goToNetwork 'next'", "- \"}\"", "é", "\u{0}",
];

/// A Go program as a nanoservice config in the seed's raw-lines form.
fn as_config(program: &str) -> String {
    let mut out = String::from("code:\n");
    for line in program.lines() {
        out.push_str("  - ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("goToNetworks:\n  next:\n    host: 127.0.0.1\n    password_env: NEXT\n");
    out
}

/// Applies one to four random mutations to `text` (`donor` feeds splices).
fn mutate(rng: &mut Rng, text: &str, donor: &str, dictionary: &[&str]) -> String {
    let mut text = text.to_string();
    for _ in 0..1 + rng.below(4) {
        let toks = tokens(&text);
        if toks.is_empty() {
            text.push_str(dictionary[rng.below(dictionary.len())]);
            continue;
        }
        let pick = |rng: &mut Rng| toks[rng.below(toks.len())];
        // A token-aligned range of up to 8 tokens.
        let span = |rng: &mut Rng| {
            let first = rng.below(toks.len());
            let last = (first + rng.below(8)).min(toks.len() - 1);
            (toks[first].0, toks[last].1)
        };
        match rng.below(11) {
            9 | 10 => {
                // A word (name, keyword, number) replaced by another word of
                // the same program: usually still parses, so it reaches the
                // checker with names and types shuffled.
                let words: Vec<(usize, usize)> = toks
                    .iter()
                    .copied()
                    .filter(|&(a, _)| text.as_bytes()[a].is_ascii_alphanumeric() || text.as_bytes()[a] == b'_')
                    .collect();
                if words.len() >= 2 {
                    let (a, b) = words[rng.below(words.len())];
                    let (c, d) = words[rng.below(words.len())];
                    let replacement = text[c..d].to_string();
                    text.replace_range(a..b, &replacement);
                }
            }
            0 => {
                let (a, b) = pick(rng);
                text.replace_range(a..b, "");
            }
            1 => {
                let (a, b) = span(rng);
                text.replace_range(a..b, "");
            }
            2 => {
                let (a, b) = span(rng);
                let copy = text[a..b].to_string();
                let (at, _) = pick(rng);
                text.insert_str(at, &copy);
            }
            3 => {
                let (x, y) = (pick(rng), pick(rng));
                let (first, second) = if x.0 <= y.0 { (x, y) } else { (y, x) };
                if first.1 <= second.0 {
                    let (s1, s2) = (text[first.0..first.1].to_string(), text[second.0..second.1].to_string());
                    text = format!("{}{s2}{}{s1}{}", &text[..first.0], &text[first.1..second.0], &text[second.1..]);
                }
            }
            4 => {
                let (cut, _) = pick(rng);
                text.truncate(cut);
            }
            5 => {
                let (at, _) = pick(rng);
                text.insert_str(at, dictionary[rng.below(dictionary.len())]);
            }
            6 => {
                let (a, b) = pick(rng);
                text.replace_range(a..b, dictionary[rng.below(dictionary.len())]);
            }
            7 => {
                // One byte (one char) removed or doubled: half-finished tokens.
                let (a, b) = pick(rng);
                let end = text[a..b].chars().next().map_or(a, |c| a + c.len_utf8());
                if rng.below(2) == 0 {
                    text.replace_range(a..end, "");
                } else {
                    let c = text[a..end].to_string();
                    text.insert_str(a, &c);
                }
            }
            _ => {
                let donor_toks = tokens(donor);
                if !donor_toks.is_empty() {
                    let first = rng.below(donor_toks.len());
                    let last = (first + rng.below(40)).min(donor_toks.len() - 1);
                    let piece = &donor[donor_toks[first].0..donor_toks[last].1];
                    let (at, _) = pick(rng);
                    text.insert_str(at, piece);
                }
            }
        }
    }
    text
}

thread_local! {
    /// Where and why the last panic on this thread happened.
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// Panics on this thread are expected and recorded, not printed.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs, once per process, a panic hook that records the location and
/// message of a panic on a fuzzing thread instead of printing it; other
/// threads (failing assertions) keep the default output.
fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                return previous(info);
            }
            let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{location}: {message}")));
        }));
    });
}

/// What is fuzzed: a function of the program text that must not panic.
type Target = dyn Fn(&str) + Send + Sync;

/// Inputs that got past the parser into analysis (reported, so that a
/// mutation mix that never reaches the checker is noticed).
static ANALYSED: AtomicU64 = AtomicU64::new(0);

/// The front end as `g2n check` runs it.
fn front_end(text: &str) {
    let file = FileId(0);
    let (ast, syntax_errors) = g2n_syntax::parse_file(file, text);
    // Like the driver: analysis only runs on programs that parse.
    if syntax_errors.is_empty() {
        ANALYSED.fetch_add(1, Ordering::Relaxed);
        let _ = g2n_split::plan_program("main", Span::new(file, 0, 0), &ast);
        let known = BTreeMap::new();
        let _ = g2n_sema::check(&ast, g2n_sema::FreeVars::Allowed(&known));
    }
}

/// A nanoservice config as `g2n check CONFIG.yaml` reads it: the config
/// reader, then the front end on the embedded Go code with the mesh planner.
fn config_reader(text: &str) {
    let file = FileId(0);
    let (config, _errors) = g2n_manifest::config::load(file, text, "fuzz");
    let Some(config) = config else { return };
    assert_eq!(config.go_code.len(), text.len(), "embedded Go text must keep the YAML's offsets");
    let (ast, syntax_errors) = g2n_syntax::parse_file(file, &config.go_code);
    if syntax_errors.is_empty() {
        ANALYSED.fetch_add(1, Ordering::Relaxed);
        let span = config.name_span.unwrap_or(config.code_span);
        let unit = g2n_split::UnitSource { name: config.name.clone(), span, file: &ast };
        let _ = g2n_split::plan_mesh(&[unit]);
    }
}

/// Runs `target` on `text`; `Err` is the panic's location and message.
fn run(target: &Target, text: &str) -> Result<(), String> {
    install_hook();
    LAST_PANIC.with(|p| *p.borrow_mut() = None);
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| target(text)));
    QUIET.with(|q| q.set(false));
    result.map_err(|_| LAST_PANIC.with(|p| p.borrow().clone()).unwrap_or_else(|| "panic without message".into()))
}

/// The location part of a panic description, used to tell panics apart.
fn site(panic: &str) -> &str {
    panic.split(": ").next().unwrap_or(panic)
}

/// Shrinks `text` while `target` still panics at the same site: removes
/// chunks of lines, then of characters, halving the chunk size (ddmin-style).
fn minimize(target: &Target, text: &str, panic: &str) -> String {
    let wanted = site(panic).to_string();
    let still = |candidate: &str| run(target, candidate).is_err_and(|p| site(&p) == wanted);
    let mut best = text.to_string();
    let mut budget = 4000;
    for by_lines in [true, false] {
        let units = |s: &str| -> Vec<String> {
            if by_lines { s.split_inclusive('\n').map(String::from).collect() } else { s.chars().map(String::from).collect() }
        };
        let mut chunk = units(&best).len().div_ceil(2).max(1);
        loop {
            let mut i = 0;
            loop {
                let parts = units(&best);
                if i >= parts.len() || budget == 0 {
                    break;
                }
                budget -= 1;
                let candidate: String =
                    parts[..i].iter().chain(parts[(i + chunk).min(parts.len())..].iter()).map(String::as_str).collect();
                if still(&candidate) {
                    best = candidate;
                } else {
                    i += chunk;
                }
            }
            if chunk == 1 || budget == 0 {
                break;
            }
            chunk = chunk.div_ceil(2);
        }
    }
    best
}

struct Found {
    panic: String,
    input: String,
    minimized: String,
}

/// Fuzzes `target` for `secs` seconds from `seeds` (which are run unmutated
/// first) and fails with every distinct panic, minimized.
fn fuzz(what: &str, target: fn(&str), seeds: Vec<String>, dictionary: &'static [&'static str], default_secs: u64) {
    let secs = std::env::var("G2N_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(default_secs);
    let seed = std::env::var("G2N_FUZZ_SEED")
        .ok()
        .and_then(|s| s.strip_prefix("0x").map_or_else(|| s.parse().ok(), |h| u64::from_str_radix(h, 16).ok()))
        .unwrap_or(DEFAULT_SEED);
    assert!(!seeds.is_empty(), "no seed inputs for {what}");

    let current = Arc::new(Mutex::new(String::new()));
    let heartbeat = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let worker = {
        let (current, heartbeat, done) = (current.clone(), heartbeat.clone(), done.clone());
        std::thread::Builder::new()
            .name(format!("fuzz {what}"))
            // Deep recursion on nested input must not be mistaken for a bug
            // of the test itself.
            .stack_size(256 << 20)
            .spawn(move || {
                let mut rng = Rng(seed);
                let deadline = Instant::now() + Duration::from_secs(secs);
                let mut found: BTreeMap<String, Found> = BTreeMap::new();
                let mut runs = 0u64;
                let try_one = |input: String, found: &mut BTreeMap<String, Found>| {
                    *current.lock().expect("lock") = input.clone();
                    if let Err(panic) = run(&target, &input) {
                        let key = site(&panic).to_string();
                        if let Entry::Vacant(slot) = found.entry(key) {
                            let minimized = minimize(&target, &input, &panic);
                            slot.insert(Found { panic, input, minimized });
                        }
                    }
                    heartbeat.fetch_add(1, Ordering::Relaxed);
                };
                // The unmutated seeds first: they must not panic either.
                for input in &seeds {
                    try_one(input.clone(), &mut found);
                    runs += 1;
                }
                while Instant::now() < deadline {
                    let base = &seeds[rng.below(seeds.len())];
                    let donor = &seeds[rng.below(seeds.len())];
                    let input = mutate(&mut rng, base, donor, dictionary);
                    try_one(input, &mut found);
                    runs += 1;
                }
                done.store(true, Ordering::Relaxed);
                (runs, found)
            })
            .expect("spawn fuzz thread")
    };

    // Watchdog: the worker must make progress.
    let mut last = (heartbeat.load(Ordering::Relaxed), Instant::now());
    while !done.load(Ordering::Relaxed) && !worker.is_finished() {
        std::thread::sleep(Duration::from_millis(100));
        let beat = heartbeat.load(Ordering::Relaxed);
        if beat != last.0 {
            last = (beat, Instant::now());
        } else if last.1.elapsed() > STALL {
            let input = current.lock().map(|s| s.clone()).unwrap_or_default();
            panic!("{what}: no progress for {STALL:?} (a hang?) on this input:\n{input}");
        }
    }
    let (runs, found) = worker.join().expect("fuzz worker");
    report(&format!(
        "fuzz {what}: {runs} inputs in {secs}s (seed {seed:#x}); {} analysed by the two fuzz targets so far; {} distinct panic(s)",
        ANALYSED.load(Ordering::Relaxed),
        found.len()
    ));
    let mut message = String::new();
    for found in found.values() {
        message.push_str(&format!(
            "\n=== panic: {}\n--- minimized input ({} bytes):\n{}\n--- (original input: {} bytes)\n",
            found.panic,
            found.minimized.len(),
            found.minimized,
            found.input.len()
        ));
    }
    assert!(found.is_empty(), "{what} panicked:{message}");
}

#[test]
fn front_end_never_panics_on_mutated_programs() {
    fuzz("go", front_end, seeds(), DICTIONARY, DEFAULT_SECS);
}

#[test]
fn config_reader_never_panics_on_mutated_configs() {
    let root = repo_root();
    let mut paths = Vec::new();
    yaml_files_under(&root.join("examples"), &mut paths);
    yaml_files_under(&root.join("tests/cli/errors"), &mut paths);
    let mut inputs: Vec<String> = paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    // The project's Go programs as raw-line configs, for variety of code.
    let mut programs = Vec::new();
    go_files_under(&root.join("tests/cli/run"), &mut programs);
    go_files_under(&root.join("tests/errors/syntax"), &mut programs);
    inputs.extend(programs.iter().filter_map(|p| std::fs::read_to_string(p).ok()).map(|p| as_config(&p)));
    fuzz("yaml", config_reader, inputs, YAML_DICTIONARY, DEFAULT_SECS / 2);
}

#[test]
fn mutations_are_deterministic_and_valid_utf8() {
    let text = "package main\n\nfunc main() {\n\ts := \"héllo\"\n\tprintln(s)\n}\n";
    let run = |seed| {
        let mut rng = Rng(seed);
        (0..200).map(|_| mutate(&mut rng, text, text, DICTIONARY)).collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn panics_are_caught_and_minimized() {
    // A stand-in target with a known bug: it panics on a `goToNetwork` that
    // is followed, anywhere later, by a `}`.
    fn buggy(text: &str) {
        if let Some(at) = text.find("goToNetwork") {
            assert!(!text[at..].contains('}'), "hop before a closing brace");
        }
    }
    let input = "package main\n\nfunc main() {\n\tx := 1\n\tgoToNetwork 'next'\n\tprintln(x)\n}\n";
    let panic = run(&buggy, input).expect_err("the stand-in panics");
    assert!(panic.contains("fuzz.rs") && panic.ends_with("hop before a closing brace"), "{panic}");
    assert_eq!(run(&buggy, "package main\n"), Ok(()));
    assert_eq!(minimize(&buggy, input, &panic), "goToNetwork}");
    assert_eq!(site("crates/sema/src/check.rs:10: index out of bounds: x"), "crates/sema/src/check.rs:10");
}
