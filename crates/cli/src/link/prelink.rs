//! The runtime archive prelinked into one relocatable object, made once per
//! archive (on its first link) and linked instead of the archive.
//!
//! `ld.bfd -r --gc-sections` keeps what the runtime's exported functions
//! (every `g2n_` symbol the archive defines: what generated code calls, and
//! `g2n_nats_engine_init`) reach, and `-S` drops the debug sections.
//! `--unique` keeps every input section a section of its own (without it,
//! same-named sections of different members merge, and the executable's
//! `--gc-sections` keeps or drops them together: 2 KB more text), so the
//! executable's own `--gc-sections` still removes what the program does not
//! call. What this saves the linker on every build: the archive's member
//! scan, and the sections, symbols and relocations of code no export
//! reaches (19,000 sections of the whole archive become 9,900) — gold's CPU
//! for fannkuch-redux fell from 347 M to 279 M instructions
//! (docs/performance.md, "The link"). The executable keeps the same code,
//! the same `.init_array` and `.fini_array` entries, and the same symbols
//! but for C library members the archive's unreachable code had pulled in
//! (`posix_spawn`, `pidfd_*`); it is 12 KB smaller (fannkuch-redux; 96 KB
//! with the NATS engine's archive), by those members and by the exception
//! tables of removed functions, which gold keeps.
//!
//! For mold (`Recipe::Static`), the same link takes also the start files,
//! the C library, libm and libgcc from the static link line
//! (`line::StaticLine`), with the entry point and the C functions
//! generated code calls as further roots: the program's link is then its
//! object and this one (a third of gold's CPU, nothing left to take from an
//! archive).
//!
//! Where: next to the archive (`libg2n_runtime.prelinked-vN-SIZE-MTIME.o`:
//! N the recipe's version below, SIZE and MTIME the archive's, so a rebuilt
//! archive gets a new object and the old one is removed;
//! `libg2n_runtime.static-vN-SIZE-MTIME-ID.o` with mold, ID a hash of the
//! other inputs' paths, sizes and times, so an upgraded C library gets a
//! new one), or, when that
//! directory cannot be written, in the build cache's `runtime/`
//! (`build_cache::root`). Not in the build cache first: a build with an
//! empty `G2N_CACHE` (the benchmark's cold build) would pay for the prelink
//! (0.2 to 2 s) that an install pays once.
//!
//! Whatever goes wrong (no `ld.bfd`, an archive without a symbol table, a
//! directory that cannot be written, another g2n making the same object
//! right now) gives `None`: the caller links the archive itself, as
//! before, only slower. A failed prelink leaves `….failed` with its error
//! beside the object's name, so later builds of the same archive do not
//! try again.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

use super::line::StaticLine;

/// The prefix of the runtime's exported functions: the prelink's roots.
const EXPORT_PREFIX: &str = "g2n_";

/// The version of the prelink's recipe (`prelink`'s arguments), in the
/// object's name: a g2n that makes it otherwise does not take an older one.
/// 2: with `SECTIONS` (one exception table, no bitcode).
const RECIPE: u32 = 2;
/// The same for `Recipe::Static` (2: `crtbegin` first, see `prelink`; 3:
/// with `SECTIONS`).
const STATIC_RECIPE: u32 = 3;

/// The prelink's linker script, beside `--unique` (which keeps every other
/// input section apart, for the executable's `--gc-sections`). The
/// functions' exception tables become one section, and so do the inputs'
/// non-executable stack markers: the link of every build then reads 8,900
/// sections instead of 23,000 (fannkuch-redux with mold on one thread:
/// 18.9 ms of CPU instead of 21.2), for 7 KB more executable (the tables of
/// functions the program does not call stay). The LLVM bitcode the Rust
/// libraries embed (9 of the object's 15 MB) and the compilers' notes are
/// dropped: no link reads them. `INSERT` adds these to ld's own script for
/// `-r` instead of replacing it (with only these, every other section was
/// an orphan kept apart by `--unique`, `.eh_frame` too, and the executable
/// crashed at startup).
const SECTIONS: &str = "SECTIONS {
  .gcc_except_table 0 : { *(.gcc_except_table .gcc_except_table.*) }
  .note.GNU-stack 0 : { *(.note.GNU-stack) }
  /DISCARD/ : { *(.llvmbc) *(.llvmcmd) *(.comment) }
}
INSERT AFTER .eh_frame;
";

/// A lock older than this was left by a g2n that died while prelinking.
const STALE_LOCK: Duration = Duration::from_secs(120);

/// What is prelinked with the runtime archive.
pub enum Recipe<'a> {
    /// The archive alone (`libg2n_runtime.prelinked-…`): the linker still
    /// takes the start files and the C library's archives.
    Runtime,
    /// Everything a static link of `line` takes but the program's object
    /// (`libg2n_runtime.static-…`): the start files, the runtime, the C
    /// library and libgcc, so that the link of a program is its object and
    /// this one (for mold; gold links such an object into an executable that
    /// crashes at startup). Roots besides the runtime's exports: the entry
    /// point and what generated code calls in the C library.
    Static(&'a StaticLine),
}

/// The C library's functions that generated code may call besides
/// `symbols::LIBC`: Cranelift's libcalls (`cranelift_module::default_libcall_names`
/// for the float roundings, fused multiply-add and memory operations).
const LIBCALLS: &[&str] =
    &["memcpy", "memset", "memmove", "memcmp", "ceil", "ceilf", "floor", "floorf", "trunc", "truncf", "nearbyint", "nearbyintf", "fma", "fmaf"];

/// The prelinked object of `archive`, made now if there is none yet; `None`
/// when it cannot be had (the caller links the archive).
pub fn prelinked(archive: &Path, recipe: &Recipe) -> Option<PathBuf> {
    let metadata = archive.metadata().ok()?;
    let mtime = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    let stem = archive.file_stem()?.to_string_lossy().into_owned();
    let (prefix, version) = match recipe {
        Recipe::Runtime => (format!("{stem}.prelinked-"), format!("v{RECIPE}-{}-{mtime}.o", metadata.len())),
        Recipe::Static(line) => (format!("{stem}.static-"), format!("v{STATIC_RECIPE}-{}-{mtime}-{}.o", metadata.len(), inputs_id(line)?)),
    };
    let beside = archive.parent().map(|dir| (dir.to_path_buf(), prefix.clone()));
    // In the cache, archives of the same name from other directories are
    // told apart by a hash of the archive's path.
    let cached = crate::build_cache::root().map(|root| {
        use sha2::{Digest, Sha256};
        let path = fs::canonicalize(archive).unwrap_or_else(|_| archive.to_path_buf());
        let hash = Sha256::digest(path.as_os_str().as_encoded_bytes());
        let id = g2n_manifest::lower_hex(&hash[..8]);
        (root.join("runtime"), format!("{id}-{prefix}"))
    });
    for (dir, prefix) in beside.into_iter().chain(cached) {
        let object = dir.join(format!("{prefix}{version}"));
        if object.is_file() {
            return Some(object);
        }
        // A prelink of this archive that failed once fails again: do not
        // pay for it on every build.
        if object.with_extension("failed").is_file() {
            return None;
        }
        match make(archive, recipe, &dir, &prefix, &object) {
            Made::Yes => return Some(object),
            // Another g2n is making it: link the archive this time.
            Made::Busy => return None,
            Made::CannotWrite => continue,
            Made::Failed => return None,
        }
    }
    None
}

enum Made {
    Yes,
    Busy,
    CannotWrite,
    Failed,
}

/// Makes `object` from `archive` in `dir` (under a lock, through a
/// temporary file renamed into place, so a concurrent link sees the whole
/// object or none), then removes older objects of the same archive.
fn make(archive: &Path, recipe: &Recipe, dir: &Path, prefix: &str, object: &Path) -> Made {
    if fs::create_dir_all(dir).is_err() {
        return Made::CannotWrite;
    }
    let lock = object.with_extension("lock");
    let mut locked = OpenOptions::new().write(true).create_new(true).open(&lock);
    if locked.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::AlreadyExists) {
        let age = fs::metadata(&lock).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if age.is_none_or(|age| age < STALE_LOCK) {
            return Made::Busy;
        }
        let _ = fs::remove_file(&lock);
        locked = OpenOptions::new().write(true).create_new(true).open(&lock);
    }
    if locked.is_err() {
        return Made::CannotWrite;
    }
    let temporary = object.with_extension(format!("tmp{}", std::process::id()));
    let made = prelink(archive, recipe, &temporary).and_then(|()| fs::rename(&temporary, object).map_err(|e| e.to_string()));
    let _ = fs::remove_file(&temporary);
    if let Err(error) = &made {
        let _ = fs::write(object.with_extension("failed"), error);
    }
    let _ = fs::remove_file(&lock);
    if made.is_err() {
        return Made::Failed;
    }
    // Older objects (and failures) of the same archive, before it was
    // rebuilt.
    let current = object.file_name().map(|n| n.to_os_string());
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        let older = text.starts_with(prefix) && (text.ends_with(".o") || text.ends_with(".failed"));
        if older && Some(&name) != current.as_ref() {
            let _ = fs::remove_file(entry.path());
        }
    }
    Made::Yes
}

/// `ld.bfd -r` of the whole archive (with the recipe's other inputs) into
/// `output`, keeping what the roots reach (gold cannot garbage-collect a
/// relocatable link).
fn prelink(archive: &Path, recipe: &Recipe, output: &Path) -> Result<(), String> {
    let roots = exported_symbols(archive)?;
    if roots.is_empty() {
        return Err(format!("{} exports no {EXPORT_PREFIX} symbol", archive.display()));
    }
    let linker = super::program_of(&super::cc(), "ld.bfd");
    let script = output.with_extension("ld");
    fs::write(&script, SECTIONS).map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    let mut command = Command::new(&linker);
    command.args(["-r", "-S", "--unique", "--gc-sections", "-T"]).arg(&script);
    for root in &roots {
        command.arg("-u").arg(root);
    }
    let whole = [OsString::from("--whole-archive"), archive.into(), OsString::from("--no-whole-archive")];
    match recipe {
        Recipe::Runtime => {
            command.args(whole);
        }
        Recipe::Static(line) => {
            let c_library = g2n_abi::symbols::LIBC.iter().map(|f| f.name).chain(LIBCALLS.iter().copied());
            for root in ["_start", "_init", "_fini"].into_iter().chain(c_library) {
                command.arg("-u").arg(root);
            }
            // GCC's `crtbegin*.o` first: its `frame_dummy` registers the
            // executable's unwind tables from its `__EH_FRAME_BEGIN__`, an
            // offset into the object's merged `.eh_frame`, and mold rewrites
            // `.eh_frame` (dropping the records of removed functions), so
            // only offset 0, the start of the object's records, still means
            // what it meant. Elsewhere, the executable's unwinder read
            // garbage as its first panic or traceback walked the stack.
            let mut inputs = line.inputs_but_object(&whole);
            let crtbegin = |word: &OsString| Path::new(word).file_name().is_some_and(|n| n.to_string_lossy().starts_with("crtbegin"));
            if let Some(at) = inputs.iter().position(crtbegin) {
                let word = inputs.remove(at);
                inputs.insert(0, word);
            }
            command.arg("-Bstatic").args(inputs);
        }
    }
    let result = command.arg("-o").arg(output).output();
    let _ = fs::remove_file(&script);
    let result = result.map_err(|e| format!("cannot run {linker}: {e}"))?;
    if result.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&result.stderr).into_owned()) }
}

/// Names the files a static line takes besides the runtime (their paths,
/// sizes and modification times, and the line itself), so that an upgraded
/// C library or compiler gets an object of its own; `None` when one is
/// missing.
fn inputs_id(line: &StaticLine) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for word in line.inputs_but_object(&[]) {
        hasher.update(word.as_encoded_bytes());
        hasher.update([0]);
    }
    for file in line.input_files()? {
        let metadata = file.metadata().ok()?;
        let mtime = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
        hasher.update(format!("{}\0{}\0{mtime}\0", file.display(), metadata.len()).as_bytes());
    }
    Some(g2n_manifest::lower_hex(&hasher.finalize()[..8]))
}

/// The `g2n_` symbols that `archive` defines, from its symbol table (the
/// GNU or 64-bit `ar` index, which names every global symbol a member
/// defines).
fn exported_symbols(archive: &Path) -> Result<Vec<String>, String> {
    let mut file = File::open(archive).map_err(|e| format!("cannot open {}: {e}", archive.display()))?;
    let mut head = [0u8; 8 + 60];
    file.read_exact(&mut head).map_err(|e| format!("cannot read {}: {e}", archive.display()))?;
    let (magic, header) = head.split_at(8);
    let size = std::str::from_utf8(&header[48..58]).ok().and_then(|s| s.trim().parse::<u64>().ok());
    let (Some(size), b"!<arch>\n") = (size, magic) else {
        return Err(format!("{} is not an ar archive", archive.display()));
    };
    let word = match &header[..16] {
        b"/               " => 4,
        b"/SYM64/         " => 8,
        _ => return Err(format!("{} has no symbol index", archive.display())),
    };
    let mut index = Vec::new();
    file.take(size).read_to_end(&mut index).map_err(|e| format!("cannot read {}: {e}", archive.display()))?;
    let corrupt = || format!("{}: corrupt symbol index", archive.display());
    let count = index.get(..word).map(|bytes| bytes.iter().fold(0usize, |n, b| n << 8 | usize::from(*b))).ok_or_else(corrupt)?;
    let names = index.get(word + count.checked_mul(word).ok_or_else(corrupt)?..).ok_or_else(corrupt)?;
    let mut symbols: Vec<String> = names
        .split(|b| *b == 0)
        .take(count)
        .filter(|name| name.starts_with(EXPORT_PREFIX.as_bytes()))
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    symbols.sort();
    symbols.dedup();
    Ok(symbols)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An archive with a GNU symbol index of the given names.
    fn archive(names: &[&str]) -> Vec<u8> {
        let mut index = (names.len() as u32).to_be_bytes().to_vec();
        for _ in names {
            index.extend(0u32.to_be_bytes());
        }
        for name in names {
            index.extend(name.as_bytes());
            index.push(0);
        }
        let mut bytes = b"!<arch>\n".to_vec();
        bytes.extend(format!("{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n", "/", 0, 0, 0, 0, index.len()).as_bytes());
        bytes.extend(index);
        bytes
    }

    #[test]
    fn the_roots_are_the_exported_g2n_symbols_of_the_index() {
        let path = std::env::temp_dir().join(format!("g2n-prelink-index-{}.a", std::process::id()));
        fs::write(&path, archive(&["memcpy", "g2n_rt_main", "_ZN3std2io5stdio6_print", "g2n_alloc", "g2n_alloc"])).unwrap();
        let symbols = exported_symbols(&path);
        fs::write(&path, b"!<arch>\nnot an index").unwrap();
        let truncated = exported_symbols(&path);
        let _ = fs::remove_file(&path);
        assert_eq!(symbols, Ok(vec!["g2n_alloc".to_string(), "g2n_rt_main".to_string()]));
        assert!(truncated.is_err());
    }

    #[test]
    fn a_file_that_is_no_archive_has_no_roots() {
        let path = std::env::temp_dir().join(format!("g2n-prelink-none-{}.a", std::process::id()));
        fs::write(&path, vec![b'x'; 200]).unwrap();
        let symbols = exported_symbols(&path);
        let _ = fs::remove_file(&path);
        assert!(symbols.is_err_and(|e| e.contains("not an ar archive")));
    }
}
