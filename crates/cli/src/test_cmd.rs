//! `g2n test [-v] [-run RE] [PKG|DIR ...]`, like `go test`: a package's
//! Test, Benchmark, Fuzz and Example functions, from its internal test files
//! (`package NAME`, compiled with the package's own files) and its external
//! ones (`package NAME_test`), in one test binary per package.
//!
//! The binary is a program made of the external test files and a generated
//! main (`main_source`) that hands every test, benchmark, fuzz test and example to
//! g2n's `testing` package (stdlib/testing), which runs them and prints what
//! Go's test binary prints. The package under test is compiled from its
//! directory with its internal test files (`goroot::set_under_test`), as
//! `go test` compiles it, unless it is one of g2n's own packages: then the
//! internal test files, written against Go's internals, are left out. This
//! command then prints what cmd/go prints around the binary's output: `ok`,
//! `FAIL` or `[build failed]` per package, the binary's output of a failing
//! package (all of it, as it happens, with -v), and exits 1 on a failure.

use crate::build_cmd;
use crate::link;
use g2n_base::go_text::go_quote;
use g2n_syntax::ast;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What `g2n test` was asked besides the packages.
pub struct TestArgs<'a> {
    pub run: Option<&'a str>,
    pub bench: Option<&'a str>,
    pub verbose: bool,
    pub short: bool,
    /// List the tests, benchmarks and examples whose names match instead of
    /// running them (go test's -list; g2n lists them from the test files,
    /// without building).
    pub list: Option<&'a str>,
    /// A test binary running longer is stopped (go test's -timeout).
    pub timeout: Duration,
}

/// One `ExampleXxx` function and what it must print.
#[derive(Debug, PartialEq)]
struct Example {
    name: String,
    /// `None`: no output comment, so compiled but not run (as in Go).
    want: Option<String>,
    unordered: bool,
}

/// The test functions of one file, by kind.
#[derive(Debug, Default, PartialEq)]
struct Functions {
    tests: Vec<String>,
    benchmarks: Vec<String>,
    /// `FuzzXxx(*testing.F)`: run on their seed corpora, as go test does
    /// without -fuzz.
    fuzz_targets: Vec<String>,
    examples: Vec<Example>,
    test_main: bool,
}

impl Functions {
    fn is_empty(&self) -> bool {
        self.tests.is_empty() && self.benchmarks.is_empty() && self.fuzz_targets.is_empty() && self.examples.is_empty() && !self.test_main
    }

    fn extend(&mut self, other: Functions) {
        self.tests.extend(other.tests);
        self.benchmarks.extend(other.benchmarks);
        self.fuzz_targets.extend(other.fuzz_targets);
        self.examples.extend(other.examples);
        self.test_main |= other.test_main;
    }
}

/// A package to test: where it is, its import path, and its test files.
struct Package {
    dir: PathBuf,
    import_path: String,
    /// Internal test files (`package NAME`) and what they declare.
    internal: Vec<PathBuf>,
    internal_functions: Functions,
    /// External test files (`package NAME_test`) and what they declare.
    external: Vec<PathBuf>,
    external_functions: Functions,
    /// The package has non-test files (it is compiled for its tests).
    has_own_files: bool,
}

pub fn test(targets: &[String], args: &TestArgs<'_>) -> i32 {
    let targets: Vec<String> = if targets.is_empty() { vec![".".to_string()] } else { targets.iter().flat_map(|t| expand_pattern(t)).collect() };
    crate::inputs::allow_test_files();
    // As cmd/go: 1 when a test failed, 2 when a package did not build (or
    // could not be found), and a last `FAIL` line after any failure.
    let mut code = 0;
    for target in &targets {
        match test_one(target, args) {
            Outcome::Passed => {}
            Outcome::Failed => code = code.max(1),
            Outcome::NotBuilt => code = 2,
        }
    }
    if code != 0 {
        println!("FAIL");
    }
    code
}

/// `DIR/...` (`./...`): DIR and every directory below it holding Go files,
/// sorted, skipping what `go` skips (`testdata`, `vendor`, names starting
/// with `.` or `_`); any other target as it is.
fn expand_pattern(target: &str) -> Vec<String> {
    let Some(root) = target.strip_suffix("...") else { return vec![target.to_string()] };
    let root = match root.trim_end_matches('/') {
        "" => ".",
        root => root,
    };
    if !Path::new(root).is_dir() {
        return vec![target.to_string()];
    }
    let mut found = Vec::new();
    let mut pending = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut has_go = false;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !(name.starts_with('.') || name.starts_with('_') || name == "testdata" || name == "vendor") {
                    pending.push(path);
                }
            } else if name.ends_with(".go") {
                has_go = true;
            }
        }
        if has_go {
            found.push(dir.display().to_string());
        }
    }
    found.sort();
    found
}

/// How one package's tests went.
enum Outcome {
    Passed,
    Failed,
    /// Not found, or its test binary did not build.
    NotBuilt,
}

/// Tests one package and prints its result lines.
fn test_one(target: &str, args: &TestArgs<'_>) -> Outcome {
    let package = match find_package(target) {
        Ok(package) => package,
        Err(message) => {
            eprintln!("error: {message}");
            return Outcome::NotBuilt;
        }
    };
    let label = package.import_path.clone();
    if package.internal.is_empty() && package.external.is_empty() {
        println!("?   \t{label}\t[no test files]");
        return Outcome::Passed;
    }
    if let Some(pattern) = args.list {
        return if list(&package, pattern) { Outcome::Passed } else { Outcome::NotBuilt };
    }
    let scratch = std::env::temp_dir().join(format!("g2n-test-{}-{}", std::process::id(), sanitize(&label)));
    let _ = std::fs::remove_dir_all(&scratch);
    if let Err(e) = std::fs::create_dir_all(&scratch) {
        eprintln!("error: cannot create {}: {e}", scratch.display());
        return Outcome::NotBuilt;
    }
    let outcome = build_and_run(&scratch, &package, args);
    let _ = std::fs::remove_dir_all(&scratch);
    outcome
}

/// `-list`: the names of the package's tests, benchmarks, fuzz tests and
/// examples (with an output comment) that match `pattern`, in go test's order.
fn list(package: &Package, pattern: &str) -> bool {
    let start = Instant::now();
    let filter = match regex::Regex::new(pattern) {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("error: -list: {e}");
            return false;
        }
    };
    let (internal, external) = (&package.internal_functions, &package.external_functions);
    let tests = internal.tests.iter().chain(&external.tests);
    let benchmarks = internal.benchmarks.iter().chain(&external.benchmarks);
    let fuzz_targets = internal.fuzz_targets.iter().chain(&external.fuzz_targets);
    let examples = internal.examples.iter().chain(&external.examples).filter(|e| e.want.is_some()).map(|e| &e.name);
    for name in tests.chain(benchmarks).chain(fuzz_targets).chain(examples).filter(|name| filter.is_match(name)) {
        println!("{name}");
    }
    println!("ok  \t{}\t{:.3}s", package.import_path, start.elapsed().as_secs_f64());
    true
}

fn sanitize(label: &str) -> String {
    label.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// Whether `go test` would compile the package with its internal test
/// files here: not for g2n's own (hand-written) packages, which replace
/// Go's and lack the internals those files use.
fn compiles_from_source(import_path: &str) -> bool {
    g2n_packages::FROM_SOURCE.contains(&import_path) || g2n_sema::hand_written().package(import_path).is_none()
}

fn build_and_run(scratch: &Path, package: &Package, args: &TestArgs<'_>) -> Outcome {
    let label = &package.import_path;
    let from_source = compiles_from_source(label);
    let mut internal = &package.internal_functions;
    let none = Functions::default();
    if !from_source && !package.internal.is_empty() {
        let stand_in = if g2n_sema::hand_written().has_test_files(label) { "; g2n's own internal test files stand in for them" } else { "" };
        eprintln!(
            "g2n: {label} is g2n's own package: its {} internal test file(s) are left out (they use Go's internals){stand_in}",
            package.internal.len()
        );
        internal = &none;
    }
    let package_name = package
        .external
        .first()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .map(|text| g2n_syntax::parse_file(g2n_base::FileId(0), &text).0.package.name)
        .unwrap_or_else(|| "main".to_string());
    let main = scratch.join("testmain.go");
    if let Err(e) = std::fs::write(&main, main_source(&package_name, label, internal, &package.external_functions)) {
        eprintln!("error: cannot write {}: {e}", main.display());
        return Outcome::NotBuilt;
    }
    let mut inputs = vec![main];
    inputs.extend(package.external.iter().cloned());
    let exe = scratch.join("pkg.test");
    crate::goroot::set_under_test(Some(crate::goroot::UnderTest {
        path: label.clone(),
        dir: package.dir.clone(),
        from_source: from_source && (package.has_own_files || !package.internal.is_empty()),
    }));
    let built = build_cmd::build(&inputs, Some(&exe), false, link::Engine::Tcp, false);
    crate::goroot::set_under_test(None);
    let _ = std::io::stderr().flush();
    if built != 0 {
        println!("FAIL\t{label} [build failed]");
        return Outcome::NotBuilt;
    }
    if run_binary(&exe, &package.dir, label, args) { Outcome::Passed } else { Outcome::Failed }
}

/// Runs the test binary in the package's directory (as go test does), its
/// standard output and error merged; prints what cmd/go prints.
fn run_binary(exe: &Path, dir: &Path, label: &str, args: &TestArgs<'_>) -> bool {
    let mut command = std::process::Command::new(exe);
    command.current_dir(dir);
    if args.verbose {
        command.arg("-test.v=true");
    }
    if args.short {
        command.arg("-test.short=true");
    }
    if let Some(run) = args.run {
        command.arg(format!("-test.run={run}"));
    }
    if let Some(bench) = args.bench {
        command.arg(format!("-test.bench={bench}"));
    }
    let (mut reader, writer) = match std::io::pipe() {
        Ok(pipe) => pipe,
        Err(e) => {
            eprintln!("error: cannot make a pipe: {e}");
            return false;
        }
    };
    let Ok(writer_err) = writer.try_clone() else {
        eprintln!("error: cannot make a pipe");
        return false;
    };
    command.stdout(writer).stderr(writer_err).stdin(std::process::Stdio::null());
    let start = Instant::now();
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("error: cannot run {}: {e}", exe.display());
            return false;
        }
    };
    // The command holds the pipe's writing ends until it is dropped.
    drop(command);
    // As cmd/go: output as it comes with -v or -bench; else only a failing
    // package's, at its end.
    let streamed = args.verbose || args.bench.is_some();
    let collector = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if streamed {
                        let mut out = std::io::stdout().lock();
                        let _ = out.write_all(&chunk[..n]);
                        let _ = out.flush();
                    }
                    all.extend_from_slice(&chunk[..n]);
                }
            }
        }
        all
    });
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > args.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                timed_out = true;
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let output = collector.join().unwrap_or_default();
    let seconds = start.elapsed().as_secs_f64();
    let mut text = String::from_utf8_lossy(&output).into_owned();
    const NO_TESTS: &str = "testing: warning: no tests to run\n";
    let no_tests = text.contains(NO_TESTS);
    if no_tests {
        text = text.replacen(NO_TESTS, "", 1);
    }
    let passed = status.is_some_and(|s| s.success());
    if !streamed && !passed {
        print!("{text}");
    }
    if timed_out {
        println!("panic: test timed out after {}", go_duration(args.timeout));
    }
    if passed {
        let suffix = if no_tests { " [no tests to run]" } else { "" };
        println!("ok  \t{label}\t{seconds:.3}s{suffix}");
    } else {
        println!("FAIL\t{label}\t{seconds:.3}s");
    }
    passed
}

/// A duration as Go's time.Duration prints it (`10m0s`, `30s`).
fn go_duration(d: Duration) -> String {
    let total = d.as_secs();
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}

/// Parses go test's -timeout values: `90s`, `10m`, `1h30m`, `0` (none).
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    if text == "0" {
        return Ok(Duration::from_secs(u64::MAX / 4));
    }
    let mut total = 0f64;
    let mut number = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            rest = &rest[1..];
            continue;
        }
        let (unit, scale) = if rest.starts_with("ms") {
            ("ms", 0.001)
        } else if rest.starts_with('h') {
            ("h", 3600.0)
        } else if rest.starts_with('m') {
            ("m", 60.0)
        } else if rest.starts_with('s') {
            ("s", 1.0)
        } else {
            return Err(format!("invalid duration {text:?}"));
        };
        let value: f64 = number.parse().map_err(|_| format!("invalid duration {text:?}"))?;
        total += value * scale;
        number.clear();
        rest = &rest[unit.len()..];
    }
    if !number.is_empty() {
        return Err(format!("missing unit in duration {text:?}"));
    }
    Ok(Duration::from_secs_f64(total))
}

/// A directory as given, else an import path in Go's source tree; its
/// import path is GOROOT's, or its module's (go.mod) plus the directory.
fn find_package(target: &str) -> Result<Package, String> {
    let as_dir = Path::new(target);
    let (dir, import_path) = if as_dir.is_dir() {
        (as_dir.to_path_buf(), import_path_of(as_dir).unwrap_or_else(|| target.trim_end_matches('/').to_string()))
    } else {
        let root = crate::goroot::find().map_err(|reason| format!("{target} is not a directory, and {reason}"))?;
        let dir = root.join("src").join(target);
        if !dir.is_dir() {
            return Err(format!("{target} is neither a directory nor a package of {}", root.join("src").display()));
        }
        (dir, target.to_string())
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let context = crate::goroot::build_context();
    let context = if names.iter().any(|n| n.ends_with(".s")) { context.without_arch() } else { context };
    let mut package = Package {
        dir: dir.clone(),
        import_path,
        internal: Vec::new(),
        internal_functions: Functions::default(),
        external: Vec::new(),
        external_functions: Functions::default(),
        has_own_files: false,
    };
    for name in &names {
        let is_test = context.matches_test_file_name(name);
        if !is_test && !context.matches_file_name(name) {
            continue;
        }
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if !context.matches_source(&text).unwrap_or(true) {
            continue;
        }
        if !is_test {
            package.has_own_files = true;
            continue;
        }
        // A file that does not parse is still part of the build, where
        // its syntax errors are reported.
        let (file, _) = g2n_syntax::parse_file(g2n_base::FileId(0), &text);
        let functions = functions_in(&file, &text);
        if file.package.name.ends_with("_test") {
            package.external.push(path);
            package.external_functions.extend(functions);
        } else {
            package.internal.push(path);
            package.internal_functions.extend(functions);
        }
    }
    Ok(package)
}

/// The import path of a directory: its path under GOROOT/src, else its
/// module's path (the nearest go.mod's `module` line) joined with the
/// directory's path below the module's root.
fn import_path_of(dir: &Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    if let Ok(root) = crate::goroot::find()
        && let Ok(src) = root.join("src").canonicalize()
        && let Ok(rel) = dir.strip_prefix(&src)
    {
        return Some(rel.to_string_lossy().into_owned());
    }
    for ancestor in dir.ancestors() {
        let Ok(text) = std::fs::read_to_string(ancestor.join("go.mod")) else {
            continue;
        };
        let module = text.lines().find_map(|l| l.trim().strip_prefix("module ").map(|m| m.trim().trim_matches('"').to_string()))?;
        let rel = dir.strip_prefix(ancestor).ok()?.to_string_lossy().into_owned();
        return Some(if rel.is_empty() { module } else { format!("{module}/{rel}") });
    }
    None
}

/// The generated main: the tests, benchmarks, fuzz tests and examples,
/// internal ones through the package under test, handed to
/// testing.MainStart; with fuzz tests, also the function through which
/// testing calls a fuzz function (`FUZZ_FUNC`).
fn main_source(package: &str, import_path: &str, internal: &Functions, external: &Functions) -> String {
    const ALIAS: &str = "g2n_under_test";
    let uses_internal = !internal.is_empty();
    let fuzzes = !internal.fuzz_targets.is_empty() || !external.fuzz_targets.is_empty();
    let mut text = format!("// Generated by g2n test.\npackage {package}\n\nimport (\n\t\"os\"\n\t\"testing\"\n");
    if uses_internal {
        text.push_str(&format!("\t{ALIAS} {}\n", go_quote(import_path)));
    }
    if fuzzes {
        text.push_str("\tg2n_reflect \"reflect\"\n");
    }
    text.push_str(")\n\nfunc main() {\n\ttests := []testing.InternalTest{\n");
    let qualified = |name: &str, internal: bool| {
        if internal { format!("{ALIAS}.{name}") } else { name.to_string() }
    };
    for (functions, is_internal) in [(internal, true), (external, false)] {
        for name in &functions.tests {
            text.push_str(&format!("\t\t{{Name: {}, F: {}}},\n", go_quote(name), qualified(name, is_internal)));
        }
    }
    text.push_str("\t}\n\tbenchmarks := []testing.InternalBenchmark{\n");
    for (functions, is_internal) in [(internal, true), (external, false)] {
        for name in &functions.benchmarks {
            text.push_str(&format!("\t\t{{Name: {}, F: {}}},\n", go_quote(name), qualified(name, is_internal)));
        }
    }
    text.push_str("\t}\n\tfuzzTargets := []testing.InternalFuzzTarget{\n");
    for (functions, is_internal) in [(internal, true), (external, false)] {
        for name in &functions.fuzz_targets {
            text.push_str(&format!("\t\t{{Name: {}, Fn: {}}},\n", go_quote(name), qualified(name, is_internal)));
        }
    }
    text.push_str("\t}\n\texamples := []testing.InternalExample{\n");
    for (functions, is_internal) in [(internal, true), (external, false)] {
        for example in &functions.examples {
            let Some(want) = &example.want else { continue };
            text.push_str(&format!(
                "\t\t{{Name: {}, F: {}, Output: {}, Unordered: {}}},\n",
                go_quote(&example.name),
                qualified(&example.name, is_internal),
                go_quote(want),
                example.unordered
            ));
        }
    }
    let fuzz_func = if fuzzes { "g2n_fuzzFunc" } else { "nil" };
    text.push_str(&format!(
        "\t}}\n\tm := testing.MainStart({}, tests, benchmarks, fuzzTargets, examples, {fuzz_func})\n",
        go_quote(import_path)
    ));
    let test_main = if external.test_main {
        "TestMain".to_string()
    } else if internal.test_main {
        format!("{ALIAS}.TestMain")
    } else {
        "nil".to_string()
    };
    text.push_str(&format!("\tos.Exit(testing.RunMain(m, {test_main}))\n}}\n"));
    if fuzzes {
        text.push_str(FUZZ_FUNC);
    }
    text
}

/// How testing's `F.Fuzz` calls a fuzz function whose parameters it knows
/// only at run time: through reflect, which testing does not import (every
/// test binary would then load it; stdlib/testing/fuzz.go).
const FUZZ_FUNC: &str = "
func g2n_fuzzFunc(ff any) (params []string, results int, call func(args []any), ok bool) {
\tfn := g2n_reflect.ValueOf(ff)
\tif fn.Kind() != g2n_reflect.Func {
\t\treturn nil, 0, nil, false
\t}
\tft := fn.Type()
\tfor i := 0; i < ft.NumIn(); i++ {
\t\tparams = append(params, ft.In(i).String())
\t}
\tcall = func(args []any) {
\t\tin := make([]g2n_reflect.Value, len(args))
\t\tfor i, arg := range args {
\t\t\tin[i] = g2n_reflect.ValueOf(arg)
\t\t}
\t\tfn.Call(in)
\t}
\treturn params, ft.NumOut(), call, true
}
";


/// Whether `name` is `prefix` followed by nothing or by a character that
/// is not a lower-case letter (Go's rule for Test, Benchmark, Fuzz, Example).
fn has_test_prefix(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || !rest.starts_with(|c: char| c.is_lowercase()))
}

/// The tests, benchmarks, fuzz tests, examples and TestMain a file declares.
fn functions_in(file: &ast::File, text: &str) -> Functions {
    let testing =
        file.imports.iter().find(|i| i.path == "testing").map(|i| i.alias.as_ref().map_or("testing".to_string(), |a| a.name.clone()));
    let param_type = |func: &ast::FuncDecl| -> Option<String> {
        let [param] = func.sig.params.as_slice() else {
            return None;
        };
        let span = param.ty.span;
        text.get(span.start as usize..span.end as usize).map(|t| t.split_whitespace().collect::<String>())
    };
    let mut functions = Functions::default();
    for decl in &file.decls {
        let ast::Decl::Func(func) = decl else {
            continue;
        };
        if func.recv.is_some() || !func.sig.results.is_empty() || func.body.is_none() || !func.type_params.is_empty() {
            continue;
        }
        let name = &func.name.name;
        let typed = |t: &str| testing.as_ref().is_some_and(|alias| param_type(func).as_deref() == Some(&format!("*{alias}.{t}")));
        if name == "TestMain" && typed("M") {
            functions.test_main = true;
        } else if has_test_prefix(name, "Test") && typed("T") {
            functions.tests.push(name.clone());
        } else if has_test_prefix(name, "Benchmark") && typed("B") {
            functions.benchmarks.push(name.clone());
        } else if has_test_prefix(name, "Fuzz") && typed("F") {
            functions.fuzz_targets.push(name.clone());
        } else if has_test_prefix(name, "Example") && func.sig.params.is_empty() {
            let Some(body) = &func.body else { continue };
            let body_text = text.get(body.span.start as usize..body.span.end as usize).unwrap_or("");
            let (want, unordered) = output_comment(body_text).map_or((None, false), |(w, u)| (Some(w), u));
            functions.examples.push(Example { name: name.clone(), want, unordered });
        }
    }
    functions
}

/// The expected output of an example body: the text of its last comment
/// group when that starts with `Output:` or `Unordered output:` (any case),
/// comment markers and the first space of each line removed.
fn output_comment(body: &str) -> Option<(String, bool)> {
    let lines: Vec<&str> = body.lines().collect();
    // The last group of consecutive `//` lines.
    let end = lines.iter().rposition(|l| l.trim_start().starts_with("//"))?;
    if lines[end + 1..].iter().any(|l| !matches!(l.trim(), "" | "}")) {
        return None;
    }
    let mut start = end;
    while start > 0 && lines[start - 1].trim_start().starts_with("//") {
        start -= 1;
    }
    let text: Vec<&str> = lines[start..=end]
        .iter()
        .map(|l| {
            let rest = l.trim_start().trim_start_matches("//");
            rest.strip_prefix(' ').unwrap_or(rest)
        })
        .collect();
    let joined = text.join("\n");
    let trimmed = joined.trim_start();
    let lower = trimmed.to_lowercase();
    let (rest, unordered) = if lower.starts_with("output:") {
        (&trimmed["output:".len()..], false)
    } else if lower.starts_with("unordered output:") {
        (&trimmed["unordered output:".len()..], true)
    } else {
        return None;
    };
    Some((rest.to_string(), unordered))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tests_benchmarks_fuzz_tests_and_examples_with_their_output() {
        let text = "package p_test\n\nimport (\n\t\"fmt\"\n\tt2 \"testing\"\n)\n\nfunc ExampleA() {\n\tfmt.Println(1)\n\t// Output:\n\t// 1\n\t//  two\n}\n\nfunc ExampleB() {\n\tfmt.Println(2)\n}\n\nfunc ExampleC() {\n\t// Unordered output: x\n\t// y\n}\n\nfunc Examplelower() {}\n\nfunc ExampleD() {\n\t// Output: late\n\tfmt.Println()\n}\n\nfunc TestX(t *t2.T) {}\n\nfunc Testy(t *t2.T) {}\n\nfunc TestWrongType(t *testing.T) {}\n\nfunc Test_z(t *t2.T) {}\n\nfunc BenchmarkQ(b *t2.B) {}\n\nfunc FuzzR(f *t2.F) {}\n\nfunc Fuzzr(f *t2.F) {}\n\nfunc FuzzWrongType(f *t2.T) {}\n\nfunc TestMain(m *t2.M) {}\n";
        let (file, errors) = g2n_syntax::parse_file(g2n_base::FileId(0), text);
        assert!(errors.is_empty(), "{errors:?}");
        let functions = functions_in(&file, text);
        assert_eq!(
            functions.examples,
            [
                Example { name: "ExampleA".to_string(), want: Some("\n1\n two".to_string()), unordered: false },
                Example { name: "ExampleB".to_string(), want: None, unordered: false },
                Example { name: "ExampleC".to_string(), want: Some(" x\ny".to_string()), unordered: true },
                Example { name: "ExampleD".to_string(), want: None, unordered: false },
            ]
        );
        assert_eq!(functions.tests, ["TestX", "Test_z"]);
        assert_eq!(functions.benchmarks, ["BenchmarkQ"]);
        assert_eq!(functions.fuzz_targets, ["FuzzR"]);
        assert!(functions.test_main);
    }

    #[test]
    fn generated_main_quotes_outputs_and_qualifies_internal_tests() {
        let internal = Functions { tests: vec!["TestIn".to_string()], test_main: true, ..Functions::default() };
        let external = Functions {
            examples: vec![
                Example { name: "ExampleE".to_string(), want: Some("\"q\"\n\ttab \\".to_string()), unordered: true },
                Example { name: "ExampleNoOutput".to_string(), want: None, unordered: false },
            ],
            ..Functions::default()
        };
        let text = main_source("p_test", "example.com/p", &internal, &external);
        assert!(text.contains("\tg2n_under_test \"example.com/p\"\n"), "{text}");
        assert!(text.contains("{Name: \"TestIn\", F: g2n_under_test.TestIn},"), "{text}");
        assert!(text.contains("{Name: \"ExampleE\", F: ExampleE, Output: \"\\\"q\\\"\\n\\ttab \\\\\", Unordered: true},"), "{text}");
        assert!(!text.contains("ExampleNoOutput"), "{text}");
        assert!(text.contains("os.Exit(testing.RunMain(m, g2n_under_test.TestMain))"), "{text}");
        // Without fuzz tests the binary does not load reflect.
        assert!(!text.contains("reflect"), "{text}");
        assert!(text.contains("testing.MainStart(\"example.com/p\", tests, benchmarks, fuzzTargets, examples, nil)"), "{text}");
    }

    #[test]
    fn generated_main_hands_fuzz_tests_a_reflect_caller() {
        let internal = Functions { fuzz_targets: vec!["FuzzIn".to_string()], ..Functions::default() };
        let external = Functions { fuzz_targets: vec!["FuzzOut".to_string()], ..Functions::default() };
        let text = main_source("p_test", "example.com/p", &internal, &external);
        assert!(text.contains("\tg2n_reflect \"reflect\"\n"), "{text}");
        assert!(text.contains("{Name: \"FuzzIn\", Fn: g2n_under_test.FuzzIn},\n\t\t{Name: \"FuzzOut\", Fn: FuzzOut},"), "{text}");
        assert!(text.contains("fuzzTargets, examples, g2n_fuzzFunc)"), "{text}");
        assert!(text.contains("func g2n_fuzzFunc(ff any)"), "{text}");
    }

    #[test]
    fn timeouts_parse_as_go_durations() {
        assert_eq!(parse_timeout("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_timeout("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_timeout("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_timeout("10").is_err());
        assert!(parse_timeout("5x").is_err());
        assert_eq!(go_duration(Duration::from_secs(600)), "10m0s");
        assert_eq!(go_duration(Duration::from_secs(45)), "45s");
    }
}
