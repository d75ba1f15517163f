//! Go's goroutine trace for an unrecovered panic: `goroutine 1 [running]:`
//! then a `main.f(...)` line (the frame text as codegen wrote it) and a `\tFILE:LINE +0xOFF` line per frame of
//! generated code, innermost first.
//!
//! Generated code registers a line table before `main` runs
//! ([`g2n_register_lines`]; layout [`g2n_abi::LineFunc`]): every compiled
//! function's code range, Go name, file, and code offsets to lines. When a
//! panic is raised the stack is walked, then symbolized when the panic ends
//! the program. The walk has two halves: the system unwinder (libgcc's
//! `_Unwind_Backtrace`, through the runtime's own frames, which carry
//! unwind tables) up to the first frame of generated code, whose frame
//! pointer it reports; then that code's frame-pointer chain (Cranelift
//! keeps `rbp` as the frame pointer of every function that calls), as long
//! as return addresses are in generated code. Functions inlined into their
//! caller have no frame of their own: their code counts as the caller's.

use g2n_abi::LineFunc;
use std::cell::RefCell;
use std::ffi::c_void;
use std::sync::OnceLock;

/// One registered function, with its strings and lines copied out of the
/// table.
struct Func {
    start: usize,
    end: usize,
    name: String,
    file: String,
    /// (code offset, line), sorted by offset.
    lines: Vec<(u32, u32)>,
}

/// The registered line table as generated code passed it (its functions'
/// address and count, its blob's address and length), read into [`FUNCS`]
/// when a panic, a caller's frame or a trace first needs it: copying every
/// function's name and file before `main` was a sixth of a hello world's
/// start-up, which most programs never use.
static TABLE: OnceLock<(usize, usize, usize, usize)> = OnceLock::new();
static FUNCS: OnceLock<Vec<Func>> = OnceLock::new();

thread_local! {
    /// The return addresses of generated code at the last panic raised on
    /// this thread, innermost first (the first is where it was raised).
    static LAST: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Bounds the walk: a corrupt chain must not loop.
const MAX_FRAMES: usize = 100;

rt_export! { REGISTER_LINES =>
/// Registers the executable's line table (once per process; later calls
/// are ignored).
///
/// # Safety
/// `funcs` must point to `count` [`LineFunc`]s whose ranges lie in the
/// `blob_len` bytes at `blob`; all of it static.
pub unsafe extern "C" fn g2n_register_lines(funcs: *const LineFunc, count: i64, blob: *const u8, blob_len: i64) {
    if funcs.is_null() || blob.is_null() || count <= 0 || blob_len < 0 {
        return;
    }
    let _ = TABLE.set((funcs as usize, count as usize, blob as usize, blob_len as usize));
}
}

/// The registered functions, sorted by address (empty without a table).
fn funcs() -> &'static [Func] {
    let Some(&(funcs, count, blob, blob_len)) = TABLE.get() else { return &[] };
    FUNCS.get_or_init(|| {
        // SAFETY: `g2n_register_lines`'s caller guarantees static arrays
        // of these lengths.
        let (funcs, blob) = unsafe {
            (std::slice::from_raw_parts(funcs as *const LineFunc, count), std::slice::from_raw_parts(blob as *const u8, blob_len))
        };
        read_table(funcs, blob)
    })
}

fn read_table(funcs: &[LineFunc], blob: &[u8]) -> Vec<Func> {
    let text = |offset: u32, len: u32| {
        let range = offset as usize..offset as usize + len as usize;
        String::from_utf8_lossy(blob.get(range).unwrap_or(&[])).into_owned()
    };
    let mut table: Vec<Func> = funcs
        .iter()
        .map(|f| {
            let at = f.lines_offset as usize;
            let pairs = blob.get(at..at + f.nlines as usize * 8).unwrap_or(&[]);
            let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            let lines = pairs.chunks_exact(8).map(|p| (word(&p[..4]), word(&p[4..]))).collect();
            let start = f.code as usize;
            Func { start, end: start + f.code_len as usize, name: text(f.name_offset, f.name_len), file: text(f.file_offset, f.file_len), lines }
        })
        .collect();
    table.sort_by_key(|f| f.start);
    table
}

fn func_at(pc: usize) -> Option<&'static Func> {
    let funcs = funcs();
    let at = funcs.partition_point(|f| f.start <= pc).checked_sub(1)?;
    let func = &funcs[at];
    (pc < func.end).then_some(func)
}

#[allow(non_camel_case_types)]
type _Unwind_Reason_Code = i32;
const URC_NO_REASON: _Unwind_Reason_Code = 0;
const URC_END_OF_STACK: _Unwind_Reason_Code = 5;
/// DWARF's number of `rbp` on x86-64.
#[cfg(target_arch = "x86_64")]
const FRAME_POINTER_REGISTER: i32 = 6;
/// DWARF's number of `x29` (the frame pointer) on AArch64.
#[cfg(target_arch = "aarch64")]
const FRAME_POINTER_REGISTER: i32 = 29;

unsafe extern "C" {
    fn _Unwind_Backtrace(trace: extern "C" fn(*mut c_void, *mut c_void) -> _Unwind_Reason_Code, arg: *mut c_void) -> _Unwind_Reason_Code;
    fn _Unwind_GetIP(context: *mut c_void) -> usize;
    fn _Unwind_GetGR(context: *mut c_void, register: i32) -> usize;
}

/// What the unwinder found: the first frame of generated code.
struct Found {
    pc: usize,
    frame_pointer: usize,
    frames_seen: usize,
}

extern "C" fn visit(context: *mut c_void, arg: *mut c_void) -> _Unwind_Reason_Code {
    // SAFETY: `arg` is the `Found` that `capture` passed, alive for the walk.
    let found = unsafe { &mut *(arg as *mut Found) };
    found.frames_seen += 1;
    // SAFETY: `context` is the unwinder's, valid during this callback.
    let pc = unsafe { _Unwind_GetIP(context) };
    if func_at(pc.saturating_sub(1)).is_some() {
        found.pc = pc;
        // SAFETY: as above.
        found.frame_pointer = unsafe { _Unwind_GetGR(context, FRAME_POINTER_REGISTER) };
        return URC_END_OF_STACK;
    }
    if found.frames_seen > MAX_FRAMES { URC_END_OF_STACK } else { URC_NO_REASON }
}

/// The return addresses of the generated code on the stack, innermost first.
fn walk() -> Vec<usize> {
    let mut out = Vec::new();
    if funcs().is_empty() {
        return out;
    }
    let mut found = Found { pc: 0, frame_pointer: 0, frames_seen: 0 };
    // SAFETY: `visit` only reads the unwinder's context and writes `found`.
    unsafe { _Unwind_Backtrace(visit, &mut found as *mut Found as *mut c_void) };
    if found.pc == 0 {
        return out;
    }
    out.push(found.pc);
    // The frame-pointer chain: [fp] is the caller's frame pointer, [fp + 8]
    // the return address into the caller. Frames grow down, so a caller's
    // frame pointer is above its callee's; a chain that does not climb, or
    // jumps further than a stack could hold, is not followed.
    let mut fp = found.frame_pointer;
    while out.len() < MAX_FRAMES && fp != 0 && fp.is_multiple_of(8) {
        // SAFETY: `fp` is the frame pointer of a frame of generated code
        // that is still on this stack (checked to be in generated code and
        // climbing); the two words above it are its saved frame pointer and
        // return address.
        let (next, ret) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if func_at(ret.saturating_sub(1)).is_none() {
            break;
        }
        out.push(ret);
        if next <= fp || next - fp > 64 << 20 {
            break;
        }
        fp = next;
    }
    out
}

/// Records the stack of a panic being raised on this thread.
pub(crate) fn capture() {
    let frames = walk();
    LAST.with(|last| *last.borrow_mut() = frames);
}

/// The frames of the last panic raised on this thread, as Go prints them:
/// `main.f(...)` then `\tFILE:LINE +0xOFFSET` (empty without a line table).
pub(crate) fn frames_text() -> String {
    let frames = LAST.with(|last| last.borrow().clone());
    let mut out = String::new();
    for pc in frames {
        // A return address points after its call: the call's line is the
        // byte before it. The innermost pc is a return address too (into
        // the runtime function that raised the panic).
        let Some(func) = func_at(pc.saturating_sub(1)) else { continue };
        let offset = (pc - 1 - func.start) as u32;
        let at = func.lines.partition_point(|&(start, _)| start <= offset);
        let line = at.checked_sub(1).map(|i| func.lines[i].1);
        if func.name.is_empty() {
            // A wrapper or adapter: Go shows none.
            continue;
        }
        out.push_str(&format!("{}\n", func.name));
        match line {
            Some(line) => out.push_str(&format!("\t{}:{line} +{:#x}\n", func.file, pc - func.start)),
            None => out.push_str(&format!("\t{} +{:#x}\n", func.file, pc - func.start)),
        }
    }
    out
}

/// The return addresses of generated code on the running stack, innermost
/// first, without the frames of wrappers (nameless in the line table), as
/// `runtime.Callers` gives them.
pub(crate) fn current_pcs() -> Vec<usize> {
    walk().into_iter().filter(|&pc| func_at(pc.saturating_sub(1)).is_some_and(|f| !f.name.is_empty())).collect()
}

/// Go's name of a function of the line table as `runtime.FuncForPC` and
/// `runtime.Frame` spell it: the frame text codegen wrote without its
/// argument part (`main.f(...)` is `main.f`, `main.(*T).m()` is
/// `main.(*T).m`).
fn go_name(text: &str) -> &str {
    for suffix in ["(...)", "()"] {
        if let Some(name) = text.strip_suffix(suffix) {
            return name;
        }
    }
    text
}

/// What the line table says of the instruction at `pc`: the function's Go
/// name, its file, its entry, and the line of `pc` (0 when the table has
/// none for it). `None` when `pc` is in no registered function.
pub(crate) fn lookup(pc: usize) -> Option<(&'static str, &'static str, usize, u32)> {
    let func = func_at(pc)?;
    let offset = (pc - func.start) as u32;
    let at = func.lines.partition_point(|&(start, _)| start <= offset);
    let line = at.checked_sub(1).map_or(0, |i| func.lines[i].1);
    Some((go_name(&func.name), func.file.as_str(), func.start, line))
}

/// The running goroutine's trace as a panic prints it, for `runtime.Stack`
/// and the deadlock report:
/// `main.f(...)` then `\tFILE:LINE +0xOFFSET` a frame, from the caller of
/// the `runtime` function that asks (Go shows no frame of its own there).
pub(crate) fn current_text() -> String {
    let mut out = String::new();
    let pcs = current_pcs();
    let own = pcs.iter().take_while(|&&pc| func_at(pc - 1).is_some_and(|f| f.name.starts_with("runtime."))).count();
    for pc in pcs.into_iter().skip(own) {
        let Some(func) = func_at(pc - 1) else { continue };
        let offset = (pc - 1 - func.start) as u32;
        let at = func.lines.partition_point(|&(start, _)| start <= offset);
        match at.checked_sub(1).map(|i| func.lines[i].1) {
            Some(line) => out.push_str(&format!("{}\n\t{}:{line} +{:#x}\n", func.name, func.file, pc - func.start)),
            None => out.push_str(&format!("{}\n\t{} +{:#x}\n", func.name, func.file, pc - func.start)),
        }
    }
    out
}

/// The frames of generated code on the running stack, innermost first, as
/// `(function, file, line)`: what `runtime.Callers` and `runtime.FuncForPC`
/// give Go's testing package to name the line a `t.Log` comes from.
pub(crate) fn current_frames() -> Vec<(&'static str, &'static str, u32)> {
    let mut out = Vec::new();
    for pc in walk() {
        let Some(func) = func_at(pc.saturating_sub(1)) else { continue };
        if func.name.is_empty() {
            continue;
        }
        let offset = (pc - 1 - func.start) as u32;
        let at = func.lines.partition_point(|&(start, _)| start <= offset);
        let line = at.checked_sub(1).map_or(0, |i| func.lines[i].1);
        out.push((func.name.as_str(), func.file.as_str(), line));
    }
    out
}
