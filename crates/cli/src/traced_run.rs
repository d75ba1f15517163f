//! The last traced run of a mesh, for the editor: `g2n run --trace FILE`
//! leaves a record in `.g2n/last-traced-run.json` beside the code it ran
//! (in every directory its inputs come from), naming the trace file, where
//! the run's events start in it (the file is appended to, never truncated),
//! when the run started and a SHA-256 of every source file it ran. `g2n lsp`
//! reads the record of a document's directory, sums the run's `hop.send`
//! events per sending nanoservice and exit, and tells the hover whether the
//! files it analyses are still those of the run (docs/editors.md, "Bytes of
//! the last traced run").

use g2n_base::calendar::UtcTime;
use g2n_ide::{Document, TracedHop, TracedRun};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The record's place, relative to a directory of the mesh's sources.
pub const RECORD: &str = ".g2n/last-traced-run.json";

/// A run's trace past this many bytes is read up to here only (the hover
/// then counts the hops of its first 256 MiB of events).
const MAX_TRACE_BYTES: u64 = 256 << 20;

/// Records, before the run starts, that the run of `sources` traces into
/// `trace` (an absolute path) from its current end on. Failing to write the
/// record (a read-only directory) does not stop the run: the editor then
/// shows an older run or none, which the returned message says.
pub fn record(trace: &str, sources: &[PathBuf]) -> Result<(), String> {
    let offset = std::fs::metadata(trace).map(|m| m.len()).unwrap_or(0);
    let started_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
    let mut files = Vec::new();
    for source in sources {
        let bytes = std::fs::read(source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
        let path = std::path::absolute(source).map_err(|e| format!("cannot resolve {}: {e}", source.display()))?;
        files.push(json!({ "path": path.display().to_string(), "sha256": g2n_manifest::sha256_hex(&bytes) }));
    }
    let record = json!({ "trace": trace, "trace_offset": offset, "started_unix_ms": started_ms, "sources": files });
    let mut dirs: Vec<PathBuf> = sources.iter().map(|s| std::path::absolute(s).ok().and_then(|p| p.parent().map(Path::to_path_buf))).collect::<Option<_>>().unwrap_or_default();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let path = dir.join(RECORD);
        let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, format!("{record:#}\n")));
        written.map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The last traced run recorded in `dir`, summed, and whether `docs` (the
/// files the editor analyses together, named by absolute path) are the
/// files it ran; `None` without a readable record.
pub fn read(dir: &Path, docs: &[Document]) -> Option<TracedRun> {
    let record: Value = serde_json::from_slice(&std::fs::read(dir.join(RECORD)).ok()?).ok()?;
    let trace = record["trace"].as_str()?;
    let offset = record["trace_offset"].as_u64().unwrap_or(0);
    let started = record["started_unix_ms"].as_u64().unwrap_or(0);
    let label = format!("`{}`, {}", Path::new(trace).file_name().map_or(trace.into(), |n| n.to_string_lossy()), utc(started / 1000));
    let hops = match std::fs::File::open(trace) {
        Ok(mut file) => {
            file.seek(SeekFrom::Start(offset)).ok()?;
            sum_hops(BufReader::new(file.take(MAX_TRACE_BYTES)))
        }
        Err(_) => Vec::new(),
    };
    let mut stale = std::fs::metadata(trace).is_err().then(|| format!("its trace file {trace} is gone"));
    if stale.is_none() {
        stale = staleness(dir, &record["sources"], docs);
    }
    Some(TracedRun { label, stale, hops })
}

/// Why `docs` are not the files the run recorded, if they are not: a file
/// changed (its content hash differs: an unsaved edit counts, a `touch`
/// does not), new in the project, or gone from it.
fn staleness(dir: &Path, sources: &Value, docs: &[Document]) -> Option<String> {
    let recorded: BTreeMap<PathBuf, &str> = sources
        .as_array()?
        .iter()
        .filter_map(|s| Some((PathBuf::from(s["path"].as_str()?), s["sha256"].as_str()?)))
        .collect();
    // Documents are named by the path the editor gave, the record by the
    // path `g2n run` was given: files of this directory match by name.
    let key = |path: &Path| match path.parent() {
        Some(parent) if same_dir(parent, dir) => PathBuf::from(path.file_name().unwrap_or_default()),
        _ => path.to_path_buf(),
    };
    let recorded: BTreeMap<PathBuf, &str> = recorded.into_iter().map(|(path, hash)| (key(&path), hash)).collect();
    for doc in docs {
        let name = key(Path::new(&doc.name));
        match recorded.get(&name) {
            None => return Some(format!("{} was not part of the run", name.display())),
            Some(hash) if *hash != g2n_manifest::sha256_hex(doc.text.as_bytes()) => return Some(format!("{} changed since the run", name.display())),
            Some(_) => {}
        }
    }
    let analysed: Vec<PathBuf> = docs.iter().map(|d| key(Path::new(&d.name))).collect();
    let gone = recorded.keys().find(|path| path.parent().is_none_or(|p| p.as_os_str().is_empty()) && !analysed.contains(path));
    gone.map(|path| format!("{} was part of the run and is gone", path.display()))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    a == b || a.canonicalize().ok().zip(b.canonicalize().ok()).is_some_and(|(a, b)| a == b)
}

/// The `hop.send` events of a trace (JSON lines; other events and lines
/// that are not JSON are skipped), summed per sender, exit and target.
fn sum_hops(reader: impl BufRead) -> Vec<TracedHop> {
    let mut sums: BTreeMap<(String, Option<u32>, String), TracedHop> = BTreeMap::new();
    for line in reader.lines() {
        let Ok(line) = line else { break };
        if !line.contains("\"hop.send\"") {
            continue;
        }
        let Ok(event) = serde_json::from_str::<Value>(&line) else { continue };
        if event["message"] != "hop.send" {
            continue;
        }
        let (Some(from), Some(to)) = (event["from"].as_str(), event["to"].as_str()) else { continue };
        let exit = event["exit"].as_u64().and_then(|e| u32::try_from(e).ok());
        let sum = sums.entry((from.to_string(), exit, to.to_string())).or_insert_with(|| TracedHop {
            from: from.to_string(),
            to: to.to_string(),
            exit,
            ..TracedHop::default()
        });
        if event["addr"] == "in-host" {
            sum.in_host += 1;
            sum.in_host_graph_bytes += event["graph_bytes"].as_u64().unwrap_or(0);
        } else {
            sum.sent += 1;
            sum.frame_bytes += event["bytes"].as_u64().unwrap_or(0);
        }
    }
    sums.into_values().collect()
}

/// `YYYY-MM-DD HH:MM:SS UTC` of a Unix time (the proleptic Gregorian
/// calendar; days to civil date as in Howard Hinnant's `civil_from_days`).
fn utc(seconds: u64) -> String {
    let t = UtcTime::from_unix_seconds(seconds);
    format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", t.year, t.month, t.day, t.hour, t.minute, t.second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_read_as_utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_796_310_000), "2026-12-03 15:00:00 UTC");
    }

    #[test]
    fn a_run_is_stale_for_files_changed_new_or_gone() {
        let dir = Path::new("/nonexistent-g2n/mesh");
        let sources = json!([
            {"path": "/nonexistent-g2n/mesh/a.yaml", "sha256": g2n_manifest::sha256_hex(b"A")},
            {"path": "/nonexistent-g2n/mesh/b.yaml", "sha256": g2n_manifest::sha256_hex(b"B")},
        ]);
        let doc = |name: &str, text: &str| Document::new(format!("/nonexistent-g2n/mesh/{name}"), text);
        assert_eq!(staleness(dir, &sources, &[doc("a.yaml", "A"), doc("b.yaml", "B")]), None);
        assert_eq!(staleness(dir, &sources, &[doc("a.yaml", "A"), doc("b.yaml", "B2")]).as_deref(), Some("b.yaml changed since the run"));
        assert_eq!(
            staleness(dir, &sources, &[doc("a.yaml", "A"), doc("b.yaml", "B"), doc("c.yaml", "C")]).as_deref(),
            Some("c.yaml was not part of the run")
        );
        assert_eq!(staleness(dir, &sources, &[doc("a.yaml", "A")]).as_deref(), Some("b.yaml was part of the run and is gone"));
    }

    #[test]
    fn hop_send_events_are_summed_per_sender_exit_and_target() {
        let trace = concat!(
            r#"{"message":"hop.send","from":"a","to":"b","exit":0,"addr":"/tmp/s","bytes":300,"graph_bytes":10}"#,
            "\n",
            r#"{"message":"hop.recv","from":"a","to":"b","exit":0,"bytes":300}"#,
            "\nnot json\n",
            r#"{"message":"hop.send","from":"a","to":"b","exit":0,"addr":"/tmp/s","bytes":500,"graph_bytes":10}"#,
            "\n",
            r#"{"message":"hop.send","from":"a","to":"b","exit":1,"addr":"in-host","bytes":0,"graph_bytes":40}"#,
            "\n",
            r#"{"message":"hop.send","from":"b","to":"c","addr":"nats.step.c","bytes":7}"#,
            "\n",
        );
        let hops = sum_hops(trace.as_bytes());
        assert_eq!(hops.len(), 3, "{hops:#?}");
        assert_eq!((hops[0].exit, hops[0].sent, hops[0].frame_bytes, hops[0].in_host), (Some(0), 2, 800, 0));
        assert_eq!((hops[1].exit, hops[1].sent, hops[1].in_host, hops[1].in_host_graph_bytes), (Some(1), 0, 1, 40));
        assert_eq!((hops[2].from.as_str(), hops[2].exit, hops[2].frame_bytes), ("b", None, 7));
    }
}
