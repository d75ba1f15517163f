//! The linker's command line for a static link, as the C compiler would
//! give it, remembered per compiler.
//!
//! `cc -### … -static -fuse-ld=gold` prints the linker's command line (start
//! files, library directories, `-lgcc -lgcc_eh`: whatever the C compiler's
//! version or layout) without running it. It is asked with placeholders for
//! the object, the runtime and the executable, so one answer serves every
//! link; with `cc -print-prog-name=ld.gold` that was two `cc` processes
//! (2 to 3 ms) on every build. The answer is kept beside the runtime
//! archive, as its prelinked objects are (else, when that directory cannot
//! be written, in the build cache's `runtime/`), in `g2n-cc-HASH.line`,
//! HASH of the compiler's path, size and modification time: another or an
//! upgraded compiler asks again. The file starts with the SHA-256 of the
//! rest; a damaged one is asked again and replaced.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::UNIX_EPOCH;

/// The version of what is asked and how it is stored, in the cache file's
/// name.
const RECIPE: u32 = 1;

/// The placeholders given to `cc -###`, replaced on every link.
const OBJECT: &str = "/g2n-placeholder/object.o";
const RUNTIME: &str = "/g2n-placeholder/runtime.o";
const OUTPUT: &str = "/g2n-placeholder/executable";

/// The linker's options that take the next word as their argument (the
/// rest of the line's words that do not start with `-` are input files).
const OPTIONS_WITH_ARGUMENT: &[&str] = &["-o", "-m", "-z", "-u", "-e", "-T", "-dynamic-linker", "-soname", "-rpath", "-plugin"];

/// A static link's command line: the linker and its words, with the
/// placeholders in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticLine {
    /// gold, as `cc` would run it.
    pub linker: String,
    words: Vec<String>,
}

/// What one word of the line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    /// An option of the link (with its argument, if it takes one).
    Option,
    /// An input: a file, a library (`-l`, with the library directories
    /// `-L` that say where it is) or a group around them.
    Input,
    Object,
    Runtime,
}

impl StaticLine {
    /// The line for `cc`: kept beside `runtime` (or in the build cache),
    /// else asked and kept.
    pub fn of(cc: &str, runtime: &Path) -> Result<StaticLine, String> {
        let name = file_name(cc);
        let dirs: Vec<PathBuf> =
            runtime.parent().map(Path::to_path_buf).into_iter().chain(crate::build_cache::root().map(|r| r.join("runtime"))).collect();
        if let Some(name) = &name {
            let stored = dirs.iter().find_map(|dir| fs::read_to_string(dir.join(name)).ok().and_then(|text| StaticLine::parse(&text)));
            if let Some(line) = stored {
                return Ok(line);
            }
        }
        let line = ask(cc)?;
        if let Some(name) = name {
            // Whole or not at all (a concurrent build reads the whole line or
            // none): beside the runtime, else in the build cache.
            let _ = dirs.iter().any(|dir| crate::build_cache::write_whole(dir, &name, line.text().as_bytes()).is_ok());
        }
        Ok(line)
    }

    /// gold's arguments for a link of `object` with `runtime` into `output`.
    pub fn gold_args(&self, object: &Path, runtime: &Path, output: &Path) -> Vec<OsString> {
        self.words.iter().map(|word| substitute(word, object, runtime, output)).collect()
    }

    /// The line's options (`-static`, `--gc-sections`, `-s`, `-o`
    /// executable, …), without its inputs.
    pub fn options(&self, output: &Path) -> Vec<OsString> {
        self.classified().filter(|(_, kind)| *kind == Word::Option).map(|(word, _)| substitute(word, Path::new(""), Path::new(""), output)).collect()
    }

    /// The line's inputs but the object, in order (start files, the
    /// runtime, libraries, end files), the runtime as `runtime`.
    pub fn inputs_but_object(&self, runtime: &[OsString]) -> Vec<OsString> {
        let mut inputs = Vec::new();
        for (word, kind) in self.classified() {
            match kind {
                Word::Input => inputs.push(OsString::from(word)),
                Word::Runtime => inputs.extend(runtime.iter().cloned()),
                Word::Option | Word::Object => {}
            }
        }
        inputs
    }

    /// The files the line's inputs name, libraries found as a static link
    /// finds them (`libNAME.a` in the `-L` directories, in order); `None`
    /// when a library is not found.
    pub fn input_files(&self) -> Option<Vec<PathBuf>> {
        let inputs = self.inputs_but_object(&[]);
        let directories: Vec<PathBuf> = inputs.iter().filter_map(|w| w.to_str()?.strip_prefix("-L").map(PathBuf::from)).collect();
        let mut files = Vec::new();
        for input in &inputs {
            let input = input.to_str()?;
            if let Some(name) = input.strip_prefix("-l") {
                files.push(directories.iter().map(|dir| dir.join(format!("lib{name}.a"))).find(|path| path.is_file())?);
            } else if !input.starts_with('-') {
                files.push(PathBuf::from(input));
            }
        }
        Some(files)
    }

    /// Each word with what it is.
    fn classified(&self) -> impl Iterator<Item = (&str, Word)> {
        let mut argument_next = false;
        self.words.iter().map(move |word| {
            let kind = if std::mem::take(&mut argument_next) {
                Word::Option
            } else if word == OBJECT {
                Word::Object
            } else if word == RUNTIME {
                Word::Runtime
            } else if word.starts_with("-L") || word.starts_with("-l") || matches!(word.as_str(), "--start-group" | "--end-group" | "-(" | "-)") {
                Word::Input
            } else if word.starts_with('-') {
                argument_next = OPTIONS_WITH_ARGUMENT.contains(&word.as_str());
                Word::Option
            } else {
                Word::Input
            };
            (word.as_str(), kind)
        })
    }

    /// The stored form: the SHA-256 of the rest, the linker, then each
    /// word, a line each.
    fn text(&self) -> String {
        let mut text = format!("{}\n", self.linker);
        for word in &self.words {
            text.push_str(word);
            text.push('\n');
        }
        format!("{}\n{text}", sha256_hex(&text))
    }

    fn parse(text: &str) -> Option<StaticLine> {
        let (sum, text) = text.split_once('\n')?;
        if sum != sha256_hex(text) {
            return None;
        }
        let mut lines = text.lines();
        let linker = lines.next().filter(|l| !l.is_empty())?.to_string();
        let words: Vec<String> = lines.map(String::from).collect();
        (words.iter().any(|w| w == OBJECT) && words.iter().any(|w| w == RUNTIME)).then_some(StaticLine { linker, words })
    }
}

fn substitute(word: &str, object: &Path, runtime: &Path, output: &Path) -> OsString {
    match word {
        OBJECT => object.as_os_str().to_owned(),
        RUNTIME => runtime.as_os_str().to_owned(),
        OUTPUT => output.as_os_str().to_owned(),
        _ => OsString::from(word),
    }
}

/// Asks `cc -###` (and, for GCC, `cc -print-prog-name=ld.gold`).
fn ask(cc: &str) -> Result<StaticLine, String> {
    let printed = Command::new(cc)
        .arg("-###")
        .args(super::cc_args(Path::new(OBJECT), Path::new(RUNTIME), Path::new(OUTPUT), true, Some("gold"), super::Engine::Tcp))
        .output()
        .map_err(|e| format!("cannot run `{cc}`: {e}"))?;
    let stderr = String::from_utf8_lossy(&printed.stderr);
    // The command lines are the ones that start with a space; a link-only
    // `cc` has one.
    let line = stderr.lines().rev().find(|line| line.starts_with(' '));
    let (Some(line), true) = (line, printed.status.success()) else {
        return Err(format!("`{cc} -###` printed no link command:\n{stderr}"));
    };
    let mut words = super::driver_words(line).ok_or_else(|| format!("cannot read `{cc} -###`'s link command: {line}"))?;
    if words.is_empty() {
        return Err(format!("`{cc} -###` printed an empty link command"));
    }
    let program = words.remove(0);
    // GCC's collect2 runs the linker `-fuse-ld=gold` names; clang prints the
    // linker itself.
    let linker = if Path::new(&program).file_name().is_some_and(|name| name == "collect2") { super::program_of(cc, "ld.gold") } else { program };
    let words = super::linker_args(words);
    if words.iter().any(|w| w.contains('\n')) || !words.iter().any(|w| w == OBJECT) || !words.iter().any(|w| w == RUNTIME) {
        return Err(format!("`{cc} -###` printed a link command without the object and runtime: {line}"));
    }
    Ok(StaticLine { linker, words })
}

/// The name of the file that keeps the line of `cc`: `None` when the
/// compiler cannot be found.
fn file_name(cc: &str) -> Option<String> {
    let path = fs::canonicalize(find_program(cc)?).ok()?;
    let metadata = path.metadata().ok()?;
    let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    let id = format!("v{RECIPE}\0{cc}\0{}\0{}\0{modified}", path.display(), metadata.len());
    Some(format!("g2n-cc-{}.line", &sha256_hex(&id)[..24]))
}

fn sha256_hex(text: &str) -> String {
    g2n_manifest::sha256_hex(text.as_bytes())
}

/// The file a program name runs: itself when it names a path, else the
/// first executable file of that name in `PATH`'s directories.
pub fn find_program(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        return Some(PathBuf::from(name)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| {
        use std::os::unix::fs::PermissionsExt;
        candidate.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> StaticLine {
        let words = [
            "--build-id",
            "-m",
            "elf_x86_64",
            "-static",
            "-o",
            OUTPUT,
            "-s",
            "/c/crt1.o",
            "-L/lib/a",
            "-L/lib/b",
            OBJECT,
            RUNTIME,
            "--gc-sections",
            "-lc",
            "--start-group",
            "-lgcc",
            "--end-group",
            "/c/crtn.o",
        ];
        StaticLine { linker: "/usr/bin/ld.gold".into(), words: words.map(String::from).to_vec() }
    }

    #[test]
    fn the_line_splits_into_options_and_inputs() {
        let line = line();
        let options = line.options(Path::new("/out/exe"));
        assert_eq!(options, ["--build-id", "-m", "elf_x86_64", "-static", "-o", "/out/exe", "-s", "--gc-sections"].map(OsString::from));
        let runtime = ["--whole-archive", "/r.a", "--no-whole-archive"].map(OsString::from);
        let inputs = line.inputs_but_object(&runtime);
        let expected = [
            "/c/crt1.o",
            "-L/lib/a",
            "-L/lib/b",
            "--whole-archive",
            "/r.a",
            "--no-whole-archive",
            "-lc",
            "--start-group",
            "-lgcc",
            "--end-group",
            "/c/crtn.o",
        ];
        assert_eq!(inputs, expected.map(OsString::from));
        let gold = line.gold_args(Path::new("/o.o"), Path::new("/r.o"), Path::new("/out/exe"));
        assert_eq!(gold[5], "/out/exe");
        assert_eq!(&gold[10..12], ["/o.o", "/r.o"].map(OsString::from));
    }

    #[test]
    fn the_stored_form_reads_back_and_a_damaged_one_does_not() {
        let line = line();
        let text = line.text();
        assert_eq!(StaticLine::parse(&text), Some(line.clone()));
        assert_eq!(StaticLine::parse(&text[..text.len() - 20]), None, "truncated");
        assert_eq!(StaticLine::parse(&text.replace("crt1", "crt2")), None, "changed");
        assert_eq!(StaticLine::parse(""), None);
        let without_placeholders = "/usr/bin/ld.gold\n-static\n-o\n";
        assert_eq!(StaticLine::parse(&format!("{}\n{without_placeholders}", sha256_hex(without_placeholders))), None);
    }
}
