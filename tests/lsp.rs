//! `g2n lsp` driven over JSON-RPC as an editor drives it: initialize, open
//! the seed mesh, diagnostics published, hover and go-to-definition across
//! its two configs, an edit that breaks it (the same error `g2n check`
//! reports, at the same YAML bytes), bad requests, shutdown and exit.

#[path = "support/files.rs"]
mod files;
#[path = "support/seed.rs"]
mod seed;

use seed::{SeedCopy, copy_seed};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const G2N: &str = env!("CARGO_BIN_EXE_g2n");
/// How long one answer may take (a debug build on a loaded machine).
const WAIT: Duration = Duration::from_secs(60);

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("g2n-lsp-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A language client: frames JSON-RPC messages onto the server's stdin and
/// reads its stdout on a thread.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for a response.
    pending: Vec<Value>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(G2N)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start g2n lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if send.send(value).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client { child, stdin, messages, next_id: 1, pending: Vec::new() }
    }

    fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).expect("write header");
        stdin.write_all(body).expect("write body");
        stdin.flush().expect("flush");
    }

    fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        match self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from g2n lsp in {WAIT:?}; read so far: {:#?}", self.pending),
            Err(RecvTimeoutError::Disconnected) => panic!("g2n lsp closed its output; read so far: {:#?}", self.pending),
        }
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.next(deadline);
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for `uri` (earlier ones read while
    /// waiting for responses count, oldest first).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for = |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(at) = self.pending.iter().position(is_for) {
            return self.pending.remove(at)["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.next(deadline);
            if is_for(&message) {
                return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            self.pending.push(message);
        }
    }

    /// Waits for the server to exit; its exit code and stderr.
    fn wait_exit(mut self) -> (Option<i32>, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                let mut stderr = String::new();
                if let Some(mut err) = self.child.stderr.take() {
                    let _ = err.read_to_string(&mut stderr);
                }
                return (status.code(), stderr);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("g2n lsp did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `shutdown`, then `exit`: the server exits with code 0.
    fn shut_down(mut self) {
        assert_eq!(self.result("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let (code, stderr) = self.wait_exit();
        assert_eq!(code, Some(0), "{stderr}");
    }

    fn initialize(&mut self, root: &Path) {
        let result = self.result("initialize", json!({"processId": null, "rootUri": uri(root), "capabilities": {}}));
        assert_eq!(result["capabilities"]["hoverProvider"], json!(true), "{result}");
        assert_eq!(result["capabilities"]["definitionProvider"], json!(true), "{result}");
        assert_eq!(result["serverInfo"]["name"], json!("g2n"), "{result}");
        self.notify("initialized", json!({}));
    }

    fn open(&mut self, path: &Path, text: &str) {
        let language = if path.extension().is_some_and(|e| e == "go") { "go" } else { "yaml" };
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri(path), "languageId": language, "version": 1, "text": text}}));
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

/// (line, column) of the first `needle` in `text`, zero-based (ASCII text).
fn find(text: &str, needle: &str) -> (u32, u32) {
    let offset = text.find(needle).expect("needle");
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |p| p + 1);
    (line as u32, column as u32)
}

#[test]
fn the_language_server_answers_on_the_seed_mesh() {
    let dir = temp_dir("seed");
    let SeedCopy { hello, hello_text, print, print_text } = copy_seed(&dir);
    // YAML that is not a nanoservice config sits beside them: left out.
    let workflow = dir.join("ci.yaml");
    std::fs::write(&workflow, "on: push\n").expect("write");
    let (hello_uri, print_uri) = (uri(&hello), uri(&print));

    let mut client = Client::start();
    client.initialize(&dir);
    client.open(&workflow, "on: push\n");
    assert_eq!(client.result("textDocument/hover", at(&uri(&workflow), 0, 1)), Value::Null);

    // Diagnostics on open: the seed's one warning, at `monkey`; the other
    // config of the mesh is published (clean) too.
    client.open(&hello, &hello_text);
    let diagnostics = client.diagnostics(&hello_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let monkey = find(&hello_text, "monkey");
    assert_eq!(diagnostics[0]["range"], range(monkey, (monkey.0, monkey.1 + 6)));
    assert_eq!(diagnostics[0]["severity"], json!(2));
    assert_eq!(diagnostics[0]["code"], json!("g2n::config::plain_password"));
    assert_eq!(client.diagnostics(&print_uri), Vec::<Value>::new());

    // Hover on the hop: where it goes and what travels, with types.
    let hop = find(&hello_text, "goToNetwork");
    let hover = client.result("textDocument/hover", at(&hello_uri, hop.0, hop.1 + 4));
    let markdown = hover["contents"]["value"].as_str().expect("markdown").to_string();
    assert!(markdown.contains("nanoservice `print-hello-world`"), "{markdown}");
    assert!(markdown.contains("| `hello` | `string` | wire value |"), "{markdown}");
    assert_eq!(hover["range"], range(hop, (hop.0, hop.1 + "goToNetwork 'print-hello-world'".len() as u32)));

    // Go-to-definition from the free `hello` of print-hello-world to its
    // declaration in hello.yaml; hover shows its type.
    client.open(&print, &print_text);
    assert_eq!(client.diagnostics(&print_uri), Vec::<Value>::new());
    let used = find(&print_text, "hello)");
    let definition = client.result("textDocument/definition", at(&print_uri, used.0, used.1 + 2));
    let declared = find(&hello_text, "hello :=");
    assert_eq!(definition, json!([{"uri": hello_uri, "range": range(declared, (declared.0, declared.1 + 5))}]));
    let hover = client.result("textDocument/hover", at(&print_uri, used.0, used.1));
    let markdown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(markdown.starts_with("```go\nvar hello string\n```"), "{markdown}");
    // The hop's target jumps to the target's config.
    let target = find(&hello_text, "'print-hello-world'");
    let definition = client.result("textDocument/definition", at(&hello_uri, target.0, target.1 + 3));
    assert_eq!(definition[0]["uri"], json!(print_uri), "{definition}");

    // An edit that breaks the mesh: the error g2n check reports for the
    // same text, at the same bytes of the YAML.
    let broken = print_text.replace("hello)", "hello + 1)");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": print_uri, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let diagnostics = client.diagnostics(&print_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let sum = find(&broken, "hello + 1");
    assert_eq!(diagnostics[0]["range"], range(sum, (sum.0, sum.1 + 9)));
    assert_eq!(diagnostics[0]["severity"], json!(1));
    let message = diagnostics[0]["message"].as_str().expect("message");
    let disk = temp_dir("seed-broken");
    std::fs::write(disk.join("hello.yaml"), &hello_text).expect("write");
    std::fs::write(disk.join("print-hello-world.yaml"), &broken).expect("write");
    let check = Command::new(G2N).arg("check").arg(&disk).output().expect("g2n check");
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1));
    let first_line = message.lines().next().expect("a message");
    assert!(stderr.contains(first_line), "g2n check says\n{stderr}\nthe server says\n{message}");
    assert!(stderr.contains(&format!("print-hello-world.yaml:{}:{}", sum.0 + 1, sum.1 + 1)), "{stderr}");
    let _ = std::fs::remove_dir_all(&disk);

    // Nothing was published for the YAML that is not a config.
    let workflow_uri = uri(&workflow);
    assert!(!client.pending.iter().any(|m| m["params"]["uri"] == json!(workflow_uri)), "{:#?}", client.pending);

    // Bad input gets errors, not a dead server.
    let bad = client.request("textDocument/hover", json!({"bogus": true}));
    assert_eq!(bad["error"]["code"], json!(-32602), "{bad}");
    let unknown = client.request("g2n/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");
    let past_end = client.result("textDocument/hover", at(&print_uri, 999, 999));
    assert_eq!(past_end, Value::Null);
    let unopened = client.result("textDocument/hover", at("file:///nonexistent/x.go", 0, 0));
    assert_eq!(unopened, Value::Null);
    client.notify("textDocument/didChange", json!({"nonsense": [1, 2]}));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": "untitled:1", "languageId": "go", "version": 1, "text": "\u{0}\u{FFFF}"}}));
    let still = client.result("textDocument/hover", at(&hello_uri, hop.0, hop.1));
    assert!(still["contents"]["value"].as_str().is_some_and(|m| m.contains("goToNetwork")), "{still}");

    client.shut_down();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `g2n run --trace` on the mesh in `dir`, as a user runs it; the run's
/// `hop.send` events read back from the trace file.
fn traced_run(dir: &Path, trace: &Path, placement: &[&str]) -> Vec<Value> {
    let before = std::fs::read_to_string(trace).unwrap_or_default().len();
    let output = Command::new(G2N).arg("run").arg("--trace").arg(trace).args(placement).arg(dir).output().expect("g2n run");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "Hello World!");
    let text = std::fs::read_to_string(trace).expect("the trace");
    text[before..]
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|e| e["message"] == "hop.send")
        .collect()
}

#[test]
fn hover_on_a_hop_shows_the_bytes_it_sent_in_the_last_traced_run() {
    let dir = temp_dir("traced");
    let SeedCopy { hello, hello_text, print, print_text } = copy_seed(&dir);
    let trace = temp_dir("traced-out").join("trace.jsonl");
    let (hello_uri, print_uri) = (uri(&hello), uri(&print));
    let hop = find(&hello_text, "goToNetwork");

    let mut client = Client::start();
    client.initialize(&dir);
    client.open(&hello, &hello_text);
    let _ = client.diagnostics(&hello_uri);
    // No traced run yet: the hover has no such section.
    let markdown = |client: &mut Client| {
        let hover = client.result("textDocument/hover", at(&hello_uri, hop.0, hop.1 + 2));
        hover["contents"]["value"].as_str().expect("markdown").to_string()
    };
    assert!(!markdown(&mut client).contains("Last traced run"));

    // One process per nanoservice: the hop is a frame over a socket.
    let events = traced_run(&dir, &trace, &["--process-per-service"]);
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!((&events[0]["from"], &events[0]["to"], &events[0]["exit"]), (&json!("hello"), &json!("print-hello-world"), &json!(0)));
    let bytes = events[0]["bytes"].as_u64().expect("bytes");
    assert!(bytes > 0, "{events:#?}");
    let shown = markdown(&mut client);
    assert!(shown.contains("**Last traced run** (`trace.jsonl`, "), "{shown}");
    assert!(shown.contains(&format!("- sent 1 time, {bytes} bytes in all, {bytes} bytes per hop on average (whole frames)")), "{shown}");
    assert!(!shown.contains("stale"), "{shown}");

    // An edit to the other config, not saved: the run is of other code.
    let edited = print_text.replace("hello)", "hello, \"!\")");
    client.open(&print, &print_text);
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": print_uri, "version": 2}, "contentChanges": [{"text": edited}]}));
    let shown = markdown(&mut client);
    assert!(shown.contains("— **stale**: print-hello-world.yaml changed since the run"), "{shown}");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": print_uri, "version": 3}, "contentChanges": [{"text": print_text}]}));
    assert!(!markdown(&mut client).contains("stale"));

    // A second run, appended to the same file, on one host: the hover
    // shows that run only (an in-host hop sends no frame).
    let events = traced_run(&dir, &trace, &[]);
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0]["addr"], json!("in-host"), "{events:#?}");
    let shown = markdown(&mut client);
    assert!(shown.contains("- 1 in-host hop: no frame"), "{shown}");
    assert!(!shown.contains("- sent "), "{shown}");

    client.shut_down();
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(trace.parent().expect("trace dir"));
}

#[test]
fn a_go_program_of_two_files_gets_diagnostics_types_and_definitions() {
    let dir = temp_dir("program");
    let main_text = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tn := twice(21)\n\tfmt.Println(n)\n}\n";
    let util_text = "package main\n\nfunc twice(x int) int {\n\treturn x * 2\n}\n";
    let (main, util) = (dir.join("main.go"), dir.join("util.go"));
    std::fs::write(&main, main_text).expect("write");
    std::fs::write(&util, util_text).expect("write");
    let (main_uri, util_uri) = (uri(&main), uri(&util));

    let mut client = Client::start();
    client.initialize(&dir);
    client.open(&main, main_text);
    assert_eq!(client.diagnostics(&main_uri), Vec::<Value>::new());
    assert_eq!(client.diagnostics(&util_uri), Vec::<Value>::new());

    // A function of the other file: its signature, and its name there.
    let call = find(main_text, "twice(21)");
    let hover = client.result("textDocument/hover", at(&main_uri, call.0, call.1 + 1));
    assert_eq!(hover["contents"]["value"], json!("```go\nfunc twice(x int) int\n```"));
    let definition = client.result("textDocument/definition", at(&main_uri, call.0, call.1));
    let declared = find(util_text, "twice");
    assert_eq!(definition, json!([{"uri": util_uri, "range": range(declared, (declared.0, declared.1 + 5))}]));
    let used = find(main_text, "n)");
    let hover = client.result("textDocument/hover", at(&main_uri, used.0, used.1));
    assert_eq!(hover["contents"]["value"], json!("```go\nvar n int\n```"));

    // A syntax error as typed, then fixed.
    let broken = main_text.replace("twice(21)", "twice(21");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": broken}]}));
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["severity"], json!(1));
    assert_eq!(diagnostics[0]["range"]["start"]["line"], json!(5), "{diagnostics:#?}");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": main_uri, "version": 3}, "contentChanges": [{"text": main_text}]}));
    assert_eq!(client.diagnostics(&main_uri), Vec::<Value>::new());

    client.shut_down();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn edits_of_a_program_importing_go_source_packages_check_against_the_library_each_time() {
    // strconv is compiled from GOROOT's source; the server loads it once and
    // reuses it while the imports stay (docs/editors.md): every edit below
    // must still be checked against it.
    let dir = temp_dir("strconv");
    let text = "package main\n\nimport (\n\t\"fmt\"\n\t\"strconv\"\n)\n\nfunc main() {\n\tn, err := strconv.Atoi(\"42\")\n\tfmt.Println(n, err)\n}\n";
    let main = dir.join("main.go");
    std::fs::write(&main, text).expect("write");
    let main_uri = uri(&main);
    let mut client = Client::start();
    client.initialize(&dir);
    client.open(&main, text);
    assert_eq!(client.diagnostics(&main_uri), Vec::<Value>::new());
    let change = |client: &mut Client, version: i64, text: &str| {
        client.notify("textDocument/didChange", json!({"textDocument": {"uri": main_uri, "version": version}, "contentChanges": [{"text": text}]}));
        client.diagnostics(&main_uri)
    };
    for version in 2..5 {
        // A wrong argument to a function of the library: its signature known.
        let broken = text.replace("Atoi(\"42\")", &format!("Atoi({version})"));
        let diagnostics = change(&mut client, version * 2, &broken);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0]["range"]["start"]["line"], json!(8), "{diagnostics:#?}");
        assert!(diagnostics[0]["message"].as_str().is_some_and(|m| m.contains("string")), "{diagnostics:#?}");
        assert_eq!(change(&mut client, version * 2 + 1, text), Vec::<Value>::new());
    }
    let call = find(text, "Atoi(");
    let hover = client.result("textDocument/hover", at(&main_uri, call.0, call.1 + 1));
    assert!(hover["contents"]["value"].as_str().is_some_and(|m| m.contains("Atoi(s string) (int, error)")), "{hover}");
    // Another import: loaded then, and checked.
    let more = text.replace("\"strconv\"\n", "\"strconv\"\n\t\"strings\"\n").replace("fmt.Println(n, err)", "fmt.Println(n, err, strings.Repeat(1, 2))");
    let diagnostics = change(&mut client, 20, &more);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(change(&mut client, 21, &more.replace("Repeat(1, 2)", "Repeat(\"a\", 2)")), Vec::<Value>::new());

    client.shut_down();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A program of a Go module imports the module's own packages (go.mod's
/// `module` line), which the editor resolves as `g2n run` does: no unknown
/// package, their functions' signatures known; a package changed on disk is
/// loaded again.
#[test]
fn a_module_program_resolves_the_modules_own_packages() {
    let dir = temp_dir("module");
    files::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/modules/app"), &dir);
    let main = dir.join("main.go");
    let text = std::fs::read_to_string(&main).expect("main.go");
    let main_uri = uri(&main);
    let mut client = Client::start();
    client.initialize(&dir);
    client.open(&main, &text);
    assert_eq!(client.diagnostics(&main_uri), Vec::<Value>::new());
    let call = find(&text, "Hello(name)");
    let hover = client.result("textDocument/hover", at(&main_uri, call.0, call.1 + 1));
    assert_eq!(hover["contents"]["value"], json!("```go\nfunc Hello(name string) string\n```"), "{hover}");
    // A wrong argument: the module package's signature is known.
    let broken = text.replace("hi.Hello(name)", "hi.Hello(len(name))");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": broken}]}));
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], json!(call.0), "{diagnostics:#?}");
    // The package takes an int now, on disk: the edit checks against that.
    let greet = dir.join("greet/greet.go");
    let greet_text = std::fs::read_to_string(&greet).expect("greet.go");
    let greet_text = greet_text.replace("func Hello(name string) string { return words.Salute + \", \" + name }", "func Hello(n int) string { return words.Salute }");
    std::fs::write(&greet, greet_text.replace("Greeting(Hello(name))", "Greeting(Hello(len(name)))")).expect("write greet.go");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": main_uri, "version": 3}, "contentChanges": [{"text": broken.clone() + "\n"}]}));
    assert_eq!(client.diagnostics(&main_uri), Vec::<Value>::new());

    client.shut_down();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_server_exits_on_exit_and_on_a_malformed_frame_without_panicking() {
    // `exit` without `shutdown`: exit code 1, as the protocol says.
    let mut client = Client::start();
    client.initialize(&std::env::temp_dir());
    client.notify("exit", Value::Null);
    let (code, stderr) = client.wait_exit();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // A body that is not JSON: the server says so on stderr and stops.
    let mut client = Client::start();
    client.initialize(&std::env::temp_dir());
    client.send_raw(b"{not json");
    let (code, stderr) = client.wait_exit();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("malformed"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // stdin closed before initialize.
    let client = Client::start();
    let (code, stderr) = client.wait_exit();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
