//! docs/getting-started.md, run: the guide cannot rot.
//!
//! The guide is read top to bottom in one empty temporary directory:
//! - a code block preceded by `<!-- file: PATH -->` is written to PATH;
//! - in a `console` block, every line starting with `$ ` is a command, run by
//!   `sh` with stdout and stderr together, and the lines up to the next
//!   command are its expected output. A command ending in `# exits N` must
//!   exit with N; any other must exit with 0.
//!
//! `g2n` is the binary under test (first on PATH); `NATS_URL` points at a
//! nats-server the test starts on loopback. `G2N_BLESS=1` rewrites the
//! outputs in the guide from what the commands print, as every golden in the
//! project; review the diff before committing it.

use g2n_testkit::Nats;
use std::path::{Path, PathBuf};
use std::process::Command;

const GUIDE: &str = "docs/getting-started.md";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// One command of a console block, with where its output lines sit in the
/// guide (`[first, end)` line indexes) so blessing can replace them.
struct Step {
    command: String,
    expected: Vec<String>,
    exit: i32,
    output_lines: (usize, usize),
    /// 1-based line of the command, for messages.
    line: usize,
}

enum Item {
    File { path: String, content: String },
    Run(Step),
}

fn parse(guide: &str) -> Vec<Item> {
    let lines: Vec<&str> = guide.lines().collect();
    let mut items = Vec::new();
    let mut pending_file: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(path) = line.strip_prefix("<!-- file: ").and_then(|r| r.strip_suffix(" -->")) {
            pending_file = Some(path.trim().to_string());
            i += 1;
            continue;
        }
        let Some(info) = line.strip_prefix("```") else {
            i += 1;
            continue;
        };
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && lines[end] != "```" {
            end += 1;
        }
        assert!(end < lines.len(), "{GUIDE}:{}: code block never closed", i + 1);
        if let Some(path) = pending_file.take() {
            let mut content = lines[start..end].join("\n");
            content.push('\n');
            items.push(Item::File { path, content });
        } else if info == "console" {
            let mut j = start;
            while j < end {
                let command_line = lines[j];
                let command = command_line
                    .strip_prefix("$ ")
                    .unwrap_or_else(|| panic!("{GUIDE}:{}: a console block must start with `$ `", j + 1));
                let (command, exit) = match command.rsplit_once("  # exits ") {
                    Some((c, n)) => (c.to_string(), n.trim().parse().expect("exit code after `# exits`")),
                    None => (command.to_string(), 0),
                };
                let first = j + 1;
                let mut k = first;
                while k < end && !lines[k].starts_with("$ ") {
                    k += 1;
                }
                let expected = lines[first..k].iter().map(|l| l.to_string()).collect();
                items.push(Item::Run(Step { command, expected, exit, output_lines: (first, k), line: j + 1 }));
                j = k;
            }
        }
        i = end + 1;
    }
    items
}

/// What a command printed, as the guide shows it: lines without trailing
/// spaces (miette pads its boxes).
fn normalize(output: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(output).lines().map(|l| l.trim_end().to_string()).collect()
}

#[test]
fn getting_started_guide_runs_as_written() {
    let guide_path = repo_root().join(GUIDE);
    let guide = std::fs::read_to_string(&guide_path).expect("read the guide");
    let items = parse(&guide);
    let steps = items.iter().filter(|i| matches!(i, Item::Run(_))).count();
    assert!(steps >= 20, "the guide lost its commands ({steps} found)");

    let dir = std::env::temp_dir().join(format!("g2n-getting-started-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let nats = Nats::single();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_g2n")).parent().expect("bin dir").to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());

    let mut problems = Vec::new();
    let mut rewrites: Vec<((usize, usize), Vec<String>)> = Vec::new();
    for item in &items {
        match item {
            Item::File { path, content } => {
                let target = dir.join(path);
                std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                std::fs::write(target, content).expect("write a guide file");
            }
            Item::Run(step) => {
                let output = Command::new("sh")
                    .args(["-c", &format!("exec 2>&1; {}", step.command)])
                    .current_dir(&dir)
                    .env("PATH", &path)
                    .env("NATS_URL", nats.urls())
                    .env("NO_COLOR", "1")
                    .env("G2N_NO_PROGRESS", "1")
                    .env_remove("G2N_RUNTIME")
                    .env_remove("BILL_PASSWORD")
                    .output()
                    .expect("run sh");
                let actual = normalize(&output.stdout);
                let code = output.status.code().unwrap_or(-1);
                if code != step.exit {
                    problems.push(format!(
                        "{GUIDE}:{}: `{}` exited with {code}, the guide says {}:\n{}",
                        step.line,
                        step.command,
                        step.exit,
                        actual.join("\n")
                    ));
                }
                if actual != step.expected {
                    rewrites.push((step.output_lines, actual.clone()));
                    problems.push(format!(
                        "{GUIDE}:{}: `{}` printed something else (G2N_BLESS=1 rewrites the guide):\n{}",
                        step.line,
                        step.command,
                        similar::TextDiff::from_lines(&(step.expected.join("\n") + "\n"), &(actual.join("\n") + "\n"))
                            .unified_diff()
                            .header("guide", "actual")
                    ));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);

    // A wrong exit code is never blessed away.
    let wrong_exits: Vec<&String> = problems.iter().filter(|p| p.contains("exited with")).collect();
    assert!(wrong_exits.is_empty(), "wrong exit codes:\n\n{}", wrong_exits.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n\n"));
    if std::env::var_os("G2N_BLESS").is_some() && !rewrites.is_empty() {
        let mut lines: Vec<String> = guide.lines().map(str::to_string).collect();
        // From the bottom up, so earlier line numbers stay valid.
        for ((first, end), actual) in rewrites.into_iter().rev() {
            lines.splice(first..end, actual);
        }
        std::fs::write(&guide_path, lines.join("\n") + "\n").expect("rewrite the guide");
        return;
    }
    assert!(problems.is_empty(), "{} problem(s) in the guide:\n\n{}", problems.len(), problems.join("\n\n"));
}
