//! Kept parses ([`crate::parse_pack`]) decoded in the background while the
//! load goes on. The walk needs of a kept file only its package clause and
//! imports, to go on to the packages it imports: it decodes those
//! ([`g2n_syntax::cached::decode_library_header`]) and hands the whole
//! decoding to a worker, so that decoding (most of a warm load: unicode's
//! tables alone are 23,000 literal elements) runs beside the walk's reading
//! and listing, and on every core across packages rather than one package
//! at a time (where one big file, unicode's tables.go, left the other cores
//! idle). The files come back, by id, when the walk is over; the loader
//! puts them in their packages, so that a load is the same whatever the
//! threads' timing.

use g2n_base::FileId;
use g2n_syntax::ast;
use g2n_syntax::cached::{KeptFile, Shared};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, mpsc};

/// One file to decode: its entry in its package's pack, its text `text`.
pub(crate) struct Job {
    pub id: FileId,
    pub text: Arc<str>,
    pub entry: Shared,
}

/// A file decoded, with its entry to keep again after the check
/// (`None`: the bytes did not decode).
pub(crate) type DecodedFile = Option<(ast::File, KeptFile)>;

impl Job {
    fn decode(self) -> (FileId, DecodedFile) {
        (self.id, g2n_syntax::cached::decode_library_file(&self.entry, self.id, &self.text))
    }
}

/// Where the walk hands its jobs, a package's at a time (one wake-up of a
/// waiting worker per package, not per file): to the workers, or (on one
/// core) kept for the end.
pub(crate) struct Decoder {
    sender: Option<mpsc::Sender<Vec<Job>>>,
    local: Vec<Job>,
}

impl Decoder {
    pub(crate) fn send(&mut self, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        let jobs = match &self.sender {
            Some(sender) => match sender.send(jobs) {
                Ok(()) => return,
                // The workers are gone only if one panicked: the end
                // of the load reports that.
                Err(mpsc::SendError(jobs)) => jobs,
            },
            None => jobs,
        };
        self.local.extend(jobs);
    }
}

/// The files the background decoded, by id (`None`: the bytes did not
/// decode), and how long the calling thread waited for them at the end.
pub(crate) struct Decoded {
    pub files: HashMap<FileId, DecodedFile>,
    pub waited: std::time::Duration,
}

/// Runs `walk` with a [`Decoder`] whose jobs are decoded on the machine's
/// other cores while it runs, then on all of them (this thread too) until
/// none is left.
pub(crate) fn in_background<R>(walk: impl FnOnce(&mut Decoder) -> R) -> (R, Decoded) {
    let cores = crate::cores();
    let (sender, receiver) = mpsc::channel::<Vec<Job>>();
    let receiver = Mutex::new(receiver);
    let next = || receiver.lock().unwrap_or_else(|e| e.into_inner()).recv().ok();
    std::thread::scope(|scope| {
        // The walk keeps this thread busy: one worker fewer than cores.
        let workers: Vec<_> = (1..cores)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(jobs) = next() {
                        done.extend(jobs.into_iter().map(Job::decode));
                    }
                    done
                })
            })
            .collect();
        let mut decoder = Decoder { sender: (!workers.is_empty()).then_some(sender), local: Vec::new() };
        let result = walk(&mut decoder);
        let waiting = std::time::Instant::now();
        // No job comes after the walk's: the workers stop when the queue
        // is empty, and this thread takes its share meanwhile.
        drop(decoder.sender.take());
        let mut files: HashMap<FileId, DecodedFile> = decoder.local.into_iter().map(Job::decode).collect();
        while let Some(jobs) = next() {
            files.extend(jobs.into_iter().map(Job::decode));
        }
        // A worker that panicked (a decoder bug) panics the load, as
        // decoding on this thread would.
        for worker in workers {
            files.extend(worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        (result, Decoded { files, waited: waiting.elapsed() })
    })
}
