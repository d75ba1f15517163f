use crate::{Analysis, Document, LineIndex, Location, Project, Severity, install_library};

#[path = "../tests/support/disk_tree.rs"]
mod disk_tree;

/// The standard library an analysis installs is the process's (g2n-sema's
/// one registry, as in `g2n lsp`, which analyses one project at a time);
/// the tests, which cargo runs on several threads, take turns with it.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LIBRARY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LIBRARY.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// An analysis of `docs` with the library compiled from Go's source, as
/// `g2n lsp` makes it (every program imports fmt, which imports errors and
/// io from source).
fn analysis(docs: Vec<Document>) -> Analysis {
    Analysis::with_library(docs, &disk_tree::goroot_library)
}

const HELLO: &str = include_str!("../../../examples/hello-world/hello.yaml");
const PRINT: &str = include_str!("../../../examples/hello-world/print-hello-world.yaml");

fn seed() -> Analysis {
    analysis(vec![Document::new("hello.yaml", HELLO), Document::new("print-hello-world.yaml", PRINT)])
}

/// The byte offset of the `nth` (0-based) occurrence of `needle` in `text`.
fn at(text: &str, needle: &str, nth: usize) -> u32 {
    text.match_indices(needle).nth(nth).map(|(i, _)| i as u32).expect("needle in text")
}

#[test]
fn the_seed_mesh_has_one_warning_at_its_plain_password() {
    let _library = one_at_a_time();
    let analysis = seed();
    let diagnostics = analysis.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let warning = &diagnostics[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.doc, 0);
    assert_eq!(&HELLO[warning.start as usize..warning.end as usize], "monkey");
    assert!(warning.message.contains("password for `print-hello-world` is in plain text"), "{}", warning.message);
}

#[test]
fn hover_on_a_hop_lists_the_target_and_what_travels() {
    let _library = one_at_a_time();
    let analysis = seed();
    let hover = analysis.hover(0, at(HELLO, "goToNetwork", 0) + 3).expect("a hover");
    assert!(hover.markdown.contains("nanoservice `print-hello-world` (`print-hello-world.yaml`)"), "{}", hover.markdown);
    assert!(hover.markdown.contains("| `hello` | `string` | wire value |"), "{}", hover.markdown);
    assert_eq!(&HELLO[hover.range.start as usize..hover.range.end as usize], "goToNetwork 'print-hello-world'");
}

#[test]
fn a_free_variable_jumps_to_its_declaration_in_the_upstream_config() {
    let _library = one_at_a_time();
    let analysis = seed();
    let use_site = at(PRINT, "hello)", 0);
    let targets = analysis.definition(1, use_site + 1);
    let declared = at(HELLO, "hello :=", 0);
    assert_eq!(targets, vec![Location { doc: 0, start: declared, end: declared + 5 }]);
    let hover = analysis.hover(1, use_site).expect("a hover");
    assert!(hover.markdown.starts_with("```go\nvar hello string\n```"), "{}", hover.markdown);
    assert!(hover.markdown.contains("declared at `hello.yaml:4:7`"), "{}", hover.markdown);
}

#[test]
fn a_hop_target_jumps_to_the_target_config() {
    let _library = one_at_a_time();
    let analysis = seed();
    let targets = analysis.definition(0, at(HELLO, "'print-hello-world'", 0) + 2);
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].doc, 1);
}

#[test]
fn go_identifiers_show_their_types_and_functions_their_signatures() {
    let _library = one_at_a_time();
    let text = "package main\n\nimport \"fmt\"\n\nfunc double(n int) int { return n * 2 }\n\nfunc main() {\n\tx := double(21)\n\tfmt.Println(x, 1.5)\n}\n";
    let analysis = analysis(vec![Document::new("prog.go", text)]);
    assert!(analysis.diagnostics().is_empty(), "{:#?}", analysis.diagnostics());
    let hover = analysis.hover(0, at(text, "x, 1.5", 0)).expect("a hover");
    assert_eq!(hover.markdown, "```go\nvar x int\n```");
    let hover = analysis.hover(0, at(text, "double(21)", 0) + 2).expect("a hover");
    assert_eq!(hover.markdown, "```go\nfunc double(n int) int\n```");
    let definition = analysis.definition(0, at(text, "double(21)", 0));
    let declared = at(text, "double", 0);
    assert_eq!(definition, vec![Location { doc: 0, start: declared, end: declared + 6 }]);
    let definition = analysis.definition(0, at(text, "n * 2", 0));
    let declared = at(text, "n int", 0);
    assert_eq!(definition, vec![Location { doc: 0, start: declared, end: declared + 1 }]);
}

#[test]
fn an_error_in_embedded_code_points_at_its_yaml_bytes() {
    let _library = one_at_a_time();
    let broken = PRINT.replace("hello)", "hello + 1)");
    let analysis = analysis(vec![Document::new("hello.yaml", HELLO), Document::new("print-hello-world.yaml", broken.clone())]);
    let errors: Vec<_> = analysis.diagnostics().iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].doc, 1);
    let (line, _) = LineIndex::new(&broken).position(errors[0].start);
    assert_eq!(line, 4, "{errors:#?}");
    assert_eq!(&broken[errors[0].start as usize..errors[0].end as usize], "hello + 1");
    assert!(errors[0].message.contains("mismatched types"), "{}", errors[0].message);
}

#[test]
fn a_directory_of_several_programs_is_analysed_file_by_file() {
    let _library = one_at_a_time();
    let a = Document::new("d/a.go", "package main\nfunc main() {}\n");
    let b = Document::new("d/b.go", "package main\nfunc main() {}\n");
    let util = Document::new("d/util.go", "package main\nfunc helper() int { return 1 }\n");
    let test = Document::new("d/a_test.go", "package main\n");
    assert_eq!(Project::members(&[a.clone(), b.clone()], 0), vec![0]);
    assert_eq!(Project::members(&[a.clone(), util.clone(), test], 1), vec![0, 1]);
    let yaml = Document::new("d/x.yaml", "code:\n- package main\n");
    let workflow = Document::new("d/ci.yaml", "on: push\njobs: {}\n");
    assert_eq!(Project::members(&[a, yaml.clone(), util, workflow.clone(), yaml], 1), vec![1, 4]);
    assert_eq!(Project::members(&[workflow], 0), Vec::<usize>::new());
}

#[test]
fn no_text_makes_the_analysis_panic() {
    let _library = one_at_a_time();
    let texts = ["", "package", "code:\n- package main\n- func main() {\n", "code: [", "\u{feff}code:\n- \u{1F600}", "package main\nfunc main() { goToNetwork 'x' }"];
    for text in texts {
        for name in ["f.go", "f.yaml"] {
            let analysis = analysis(vec![Document::new(name, text)]);
            for offset in 0..=text.len() as u32 + 1 {
                let _ = analysis.hover(0, offset);
                let _ = analysis.definition(0, offset);
            }
        }
    }
}

#[test]
fn positions_count_utf16_units() {
    let _library = one_at_a_time();
    let text = "a\n\u{1F600}b\nc";
    let index = LineIndex::new(text);
    let b = text.find('b').unwrap() as u32;
    assert_eq!(index.position(b), (1, 2));
    assert_eq!(index.offset(1, 2), b);
    assert_eq!(index.offset(9, 0), text.len() as u32);
    assert_eq!(index.offset(1, 99), b + 1);
}

#[test]
fn a_hop_of_a_split_program_lists_what_travels_to_the_next_nanoservice() {
    let _library = one_at_a_time();
    let text = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tn := 6\n\tword := \"six\"\n\tgoToNetwork 'second'\n\tfmt.Println(n, word)\n}\n";
    let analysis = analysis(vec![Document::new("prog.go", text)]);
    assert!(analysis.diagnostics().is_empty(), "{:#?}", analysis.diagnostics());
    let hover = analysis.hover(0, at(text, "goToNetwork", 0)).expect("a hover");
    assert!(hover.markdown.starts_with("**goToNetwork** → nanoservice `second`, resume point 1"), "{}", hover.markdown);
    assert!(hover.markdown.contains("| `n` | `int` | wire value |"), "{}", hover.markdown);
    assert!(hover.markdown.contains("| `word` | `string` | wire value |"), "{}", hover.markdown);
}

#[test]
fn a_variable_passed_through_a_middle_config_jumps_to_the_first() {
    let _library = one_at_a_time();
    let first = "code:\n- package main\n- func main() {\n-   greeting := \"hi\"\n-   goToNetwork 'middle'\n- }\n";
    let middle = "code:\n- package main\n- func main() {\n-   goToNetwork 'last'\n- }\n";
    let last = "code:\n- package main\n- import \"fmt\"\n- func main() {\n-   fmt.Println(greeting)\n- }\n";
    let analysis = analysis(vec![Document::new("first.yaml", first), Document::new("middle.yaml", middle), Document::new("last.yaml", last)]);
    assert!(analysis.diagnostics().is_empty(), "{:#?}", analysis.diagnostics());
    let declared = at(first, "greeting", 0);
    let targets = analysis.definition(2, at(last, "greeting", 0));
    assert_eq!(targets, vec![Location { doc: 0, start: declared, end: declared + 8 }]);
    // The middle config sends it on without using it. (Since separate
    // configs carry every type, a received variable has a local of its own
    // in the plan, so the hover no longer tells it apart as "passed on".)
    let hover = analysis.hover(1, at(middle, "goToNetwork", 0)).expect("a hover");
    assert!(hover.markdown.contains("| `greeting` | `string` | wire value |"), "{}", hover.markdown);
}

#[test]
fn hover_on_a_hop_shows_what_it_sent_in_the_last_traced_run() {
    let _library = one_at_a_time();
    use crate::{TracedHop, TracedRun};
    let analysis = seed();
    let offset = at(HELLO, "goToNetwork", 0) + 3;
    let hop = |exit: Option<u32>, sent, frame_bytes, in_host| TracedHop {
        from: "hello".into(),
        to: "print-hello-world".into(),
        exit,
        sent,
        frame_bytes,
        in_host,
        in_host_graph_bytes: 0,
    };
    let run = |hops: Vec<TracedHop>, stale: Option<&str>| TracedRun { label: "`t.jsonl`, then".into(), stale: stale.map(String::from), hops };
    let hover = |traced: TracedRun| analysis.hover_with_trace(0, offset, &|| Some(traced.clone())).expect("a hover").markdown;

    let markdown = hover(run(vec![hop(Some(0), 2, 410, 0), hop(Some(3), 9, 9, 0)], None));
    assert!(markdown.contains("**Last traced run** (`t.jsonl`, then):\n- sent 2 times, 410 bytes in all, 205 bytes per hop on average"), "{markdown}");
    assert!(!markdown.contains("stale"), "{markdown}");
    // Events without an exit index count for the sender's one hop to their target.
    let markdown = hover(run(vec![hop(None, 1, 198, 0), hop(Some(0), 0, 0, 3)], Some("hello.yaml changed since the run")));
    assert!(markdown.contains("— **stale**: hello.yaml changed since the run"), "{markdown}");
    assert!(markdown.contains("- sent 1 time, 198 bytes in all, 198 bytes per hop"), "{markdown}");
    assert!(markdown.contains("- 3 in-host hops: no frame"), "{markdown}");
    let markdown = hover(run(vec![hop(Some(0), 1, 5, 0)].into_iter().map(|h| TracedHop { from: "other".into(), ..h }).collect(), None));
    assert!(markdown.contains("- this hop was not taken"), "{markdown}");
    // Without a trace, no such section.
    assert!(!analysis.hover(0, offset).expect("a hover").markdown.contains("traced"));
}

#[test]
fn a_cached_library_is_loaded_once_per_set_of_imports_and_file_count() {
    let _library = one_at_a_time();
    use std::cell::Cell;
    let loads = Cell::new(0);
    let load = |_: &[&g2n_syntax::ast::File], db: &mut g2n_base::SourceDb| {
        loads.set(loads.get() + 1);
        // A library file the load registers, as GOROOT's would be.
        db.add("/goroot/src/lib/lib.go", "package lib\n".to_string());
        Some(g2n_packages::Loaded::default())
    };
    // Packages that import nothing compiled from source (the fake load
    // provides none): runtime and sync/atomic, g2n's own.
    let program = |import: &str, body: &str| format!("package main\n\nimport \"{import}\"\n\nfunc main() {{\n\t{body}\n}}\n");
    let mut cache = crate::LibraryCache::default();
    let mut analyse = |docs: Vec<Document>| Analysis::with_cached_library(docs, &load, "/goroot", &mut cache);
    let first = analyse(vec![Document::new("main.go", program("runtime", "_ = runtime.NumCPU()"))]);
    assert!(first.diagnostics().is_empty(), "{:#?}", first.diagnostics());
    // An edit keeping the imports: no load, the library's file at the same id.
    let edited = analyse(vec![Document::new("main.go", program("runtime", "_ = runtime.GOMAXPROCS(1)"))]);
    assert_eq!(loads.get(), 1);
    assert!(edited.diagnostics().is_empty(), "{:#?}", edited.diagnostics());
    assert_eq!(edited.db.files().map(|(_, f)| f.name.clone()).collect::<Vec<_>>(), ["main.go", "/goroot/src/lib/lib.go"]);
    // Another import, or another number of files before the library: loaded.
    let _ = analyse(vec![Document::new("main.go", program("sync/atomic", "var n int32\n\tatomic.AddInt32(&n, 1)"))]);
    assert_eq!(loads.get(), 2);
    let _ = analyse(vec![Document::new("main.go", program("runtime", "_ = runtime.GOMAXPROCS(f())")), Document::new("f.go", "package main\n\nfunc f() int { return 1 }\n")]);
    assert_eq!(loads.get(), 3);
    // The first set again: still cached.
    let _ = analyse(vec![Document::new("main.go", program("runtime", "_ = runtime.NumGoroutine()"))]);
    assert_eq!(loads.get(), 3);
}

#[test]
fn a_hop_in_a_loop_of_a_split_program_counts_every_nanoservice_that_sends_it() {
    let _library = one_at_a_time();
    use crate::{TracedHop, TracedRun};
    // Iteration 0 reaches the hop from `prog`, the next ones from `back`
    // (where the previous iteration ended): one site, one exit, two senders.
    let text = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tgoToNetwork 'there'\n\t\tfmt.Println(i)\n\t\tgoToNetwork 'back'\n\t}\n}\n";
    let analysis = analysis(vec![Document::new("prog.go", text)]);
    assert!(analysis.diagnostics().is_empty(), "{:#?}", analysis.diagnostics());
    let sent = |from: &str, exit: u32, to: &str, frame_bytes: u64| TracedHop { from: from.into(), to: to.into(), exit: Some(exit), sent: 1, frame_bytes, ..TracedHop::default() };
    let run = TracedRun { label: "t".into(), stale: None, hops: vec![sent("prog", 0, "there", 100), sent("back", 0, "there", 300), sent("there", 1, "back", 7)] };
    let hover = analysis.hover_with_trace(0, at(text, "goToNetwork 'there'", 0) + 2, &|| Some(run.clone())).expect("a hover");
    assert!(hover.markdown.contains("- sent 2 times, 400 bytes in all, 200 bytes per hop on average"), "{}", hover.markdown);
    let hover = analysis.hover_with_trace(0, at(text, "goToNetwork 'back'", 0) + 2, &|| Some(run.clone())).expect("a hover");
    assert!(hover.markdown.contains("- sent 1 time, 7 bytes in all"), "{}", hover.markdown);
}
