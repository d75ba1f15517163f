//! `g2n`: the command line of Go2Network. It parses arguments, runs the
//! pipeline stages in order (each stage lives in its own crate), renders
//! diagnostics, links executables and starts meshes. It is the only crate that
//! does I/O on behalf of the compiler.

// A command line tool: its diagnostics, errors and progress lines go to the
// terminal, so printing is its job (library crates stay denied).
#![allow(clippy::print_stdout, clippy::print_stderr)]

/// The compiler allocates many small, short-lived objects (Cranelift IR,
/// HIR, maps); mimalloc serves them faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod artifacts;
mod broken_pipe;
mod build_cache;
mod build_cmd;
mod certs;
mod deploy;
mod diagnostics;
mod disk_tree;
mod driver;
mod endpoints;
mod fmt_cmd;
mod goroot;
mod host;
mod inputs;
mod lifetime;
mod link;
mod lsp;
mod manifest_cmd;
mod manifest_types;
mod manifests;
mod mesh;
mod module_root;
mod nats;
mod nats_auth;
mod parse_cache;
mod program_merge;
mod progress;
mod split_cmd;
mod start;
mod status;
mod test_cmd;
mod timings;
mod traced_run;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

const LONG_ABOUT: &str = "\
Go2Network compiles Go programs, and meshes of nanoservices written in a Go
dialect, to native code. A program moves between nanoservices with one
statement, `goToNetwork 'name'`; g2n works out which variables travel, compiles
every nanoservice with Cranelift, and runs the mesh with authenticated handoffs.

Inputs are Go files (.go, .g2n) or nanoservice configs (.yaml, .yml) whose
`code:` holds the Go lines and whose `goToNetworks:` says where each target
lives and which credentials to present. As with `go run`, several Go files,
or a directory of them (its _test.go files left out), are one program named
after the directory or the first file; a directory of configs is a mesh.

Examples:
  g2n run examples/hello-world/hello.yaml examples/hello-world/print-hello-world.yaml
  g2n check prog.go
  g2n run .
  g2n check --emit hir --emit plan prog.go
  g2n build hello.yaml print-hello-world.yaml -o out/
  g2n build -o prog main.go util.go
  g2n manifest check out/";

#[derive(Parser)]
#[command(name = "g2n", version, about = "Compile and run Go programs and networked nanoservice meshes", long_about = LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Go's source tree, from which g2n compiles the standard library
    /// packages it does not write itself (default: the GOROOT variable,
    /// else /usr/share/go-1.19 from Debian's golang-1.19-src).
    #[arg(long, global = true, value_name = "DIR")]
    goroot: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Lay out Go files, and the Go code of nanoservice configs, as gofmt does.
    ///
    /// Without -l or -d, every file whose layout differs is rewritten in
    /// place. A directory stands for the Go files and nanoservice configs
    /// under it. Exit code 1 when a file cannot be read or parsed (gofmt gives 2;
    /// every g2n command gives 1 for bad input).
    Fmt {
        /// Go files, nanoservice configs, or directories of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// List the files whose layout differs from g2n fmt's instead of rewriting them.
        #[arg(short = 'l')]
        list: bool,
        /// Print the diffs instead of rewriting the files.
        #[arg(short = 'd')]
        diff: bool,
    },
    /// Parse and type-check inputs, resolve the mesh, and report diagnostics; builds nothing.
    ///
    /// Exit code 0 when there is no error, 1 otherwise.
    Check {
        /// Go files or nanoservice configs that together form one program or mesh.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also print a text form on stdout: `hir`, the checked program of
        /// every nanoservice (once for a split program, whose nanoservices
        /// share it); `plan`, the nanoservices with their entries, exits,
        /// what travels at each and the edges (docs/architecture.md, "Text forms").
        #[arg(long, value_enum)]
        emit: Vec<CheckEmit>,
    },
    /// Run packages' tests, benchmarks and examples, as `go test` does.
    ///
    /// Each PKG is a directory (default `.`), or an import path in Go's
    /// source tree (GOROOT). A package's Test functions (with g2n's
    /// `testing` package), Example functions (checked against their
    /// `// Output:` comments) and, with -bench, Benchmark functions, from its
    /// internal (`package NAME`) and external (`package NAME_test`) test
    /// files. Prints `ok`, `FAIL` or `[build failed]` per package, the output
    /// of a failing one (all output with -v); exit code 1 when a test fails, 2
    /// when a package does not build, as go test. The flags may be spelled
    /// as go test spells them, with one dash: `-run`, `-bench`, `-short`,
    /// `-timeout`, `-list`, `-v`.
    Test {
        /// The packages: directories or import paths such as `sort`.
        packages: Vec<String>,
        /// Run only the tests and examples whose name matches this regular
        /// expression; `A/B` selects subtest B of tests matching A.
        #[arg(long = "run", value_name = "REGEXP")]
        run: Option<String>,
        /// Also run the benchmarks whose name matches this regular expression.
        #[arg(long = "bench", value_name = "REGEXP")]
        bench: Option<String>,
        /// Tell long-running tests to shorten their run time (testing.Short).
        #[arg(long)]
        short: bool,
        /// List the tests, benchmarks and examples matching this regular
        /// expression instead of running them (read from the test files,
        /// without building).
        #[arg(long = "list", value_name = "REGEXP")]
        list: Option<String>,
        /// Stop a package's test binary that runs longer than this
        /// (`90s`, `10m`; 0: no limit), as go test does.
        #[arg(long, value_name = "DURATION", default_value = "10m")]
        timeout: String,
        /// Print every test's and example's name, result and output.
        #[arg(short, long)]
        verbose: bool,
        /// Build tags that hold besides g2n's own, separated by commas or
        /// spaces, as go's -tags (`-tags timetzdata`: time embeds its zones
        /// from time/tzdata).
        #[arg(long = "tags", value_name = "TAGS")]
        tags: Option<String>,
    },
    /// Compile every nanoservice to a native object and executable, and write manifests.
    ///
    /// The output directory OUT receives, per nanoservice NAME: NAME/NAME.o,
    /// the executable NAME/NAME and NAME/manifest.yaml (captured variables
    /// with their Go types and providers, exits, artifact hashes); plus
    /// mesh.yaml listing every nanoservice and edge. Nanoservice folders
    /// that an earlier build listed in OUT/mesh.yaml and this one no longer
    /// has are removed (nothing else in OUT is touched).
    ///
    /// A program of one nanoservice (no goToNetwork) built with `-o FILE`
    /// is written as the one executable FILE, as `go build -o` does; write
    /// `-o DIR/` (or name an existing directory) for the directory form.
    /// Without `-o`, such a program given as a directory of Go files is one
    /// executable in the current directory named after its package, as `go
    /// build .` writes it.
    Build {
        /// Go files or nanoservice configs that together form one program or
        /// mesh, or a directory of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The output directory (default `out`, or for a directory of Go
        /// files without hops, the executable named after its package), or
        /// the executable of a program of one nanoservice.
        #[arg(short, long, value_name = "OUT|FILE")]
        out: Option<PathBuf>,
        /// Print each stage and each nanoservice's code generation and link
        /// with its time on stderr. (On a terminal, without -v, one status
        /// line shows what is being built and is erased at the end.)
        #[arg(short, long)]
        verbose: bool,
        /// When the build ends, print on stderr how long each phase took:
        /// reading and parsing the program and the library packages from
        /// GOROOT (g2n's own are parsed with the install), checking the library and the
        /// program, lowering, compiling to machine code (with how many
        /// library functions came from the build cache), emitting the object,
        /// linking.
        #[arg(long)]
        timings: bool,
        /// Also write NAME/NAME.clif with the Cranelift IR of each nanoservice.
        #[arg(long, value_enum)]
        emit: Vec<Emit>,
        /// The transport the executables can use between hosts: `tcp` (in
        /// memory and g2n's TCP protocol, no TLS: the smallest executables)
        /// or `nats`, the networked runtime (also NATS JetStream, chosen at
        /// run time by the runtime configuration, and mutual TLS for the TCP
        /// protocol between machines).
        #[arg(long, value_enum, default_value = "tcp")]
        engine: EngineArg,
        /// With --engine nats: the mesh's name on NATS, which the
        /// authorization written to OUT/nats names (default: the entry
        /// nanoservice's name).
        #[arg(long, value_name = "NAME", default_value = "")]
        mesh: String,
        /// For a mesh of separate configs: write one executable FILE (`-o
        /// FILE`, default the entry's name) that holds every config and,
        /// started without a runtime configuration, runs the whole mesh in
        /// one process, every hop in memory (what `g2n run` starts). No
        /// per-config folders or manifests: deploy a config from a build
        /// without this flag.
        #[arg(long)]
        one_host: bool,
    },
    /// Build, then run the program or the whole mesh on this machine.
    ///
    /// A split program, and a mesh of separate configs (linked into one
    /// executable), runs in one host process by default, every hop in
    /// memory (`--hosts N` spreads it over N processes,
    /// `--process-per-service` gives each nanoservice its own, with a
    /// config's own executable). Every `goToNetworks` host is this machine (Unix sockets), so
    /// nothing leaves this machine. Only the program's output goes to stdout, and g2n exits with
    /// the program's exit code.
    ///
    /// Inputs are the leading arguments that end in .go, .g2n, .yaml or .yml,
    /// or a directory given first (`g2n run .`: its Go files are one program,
    /// as with `go run .`; or its configs, as `g2n split` writes them); the
    /// rest (or everything after `--`) are passed to the program.
    Run {
        /// Inputs, then the program's arguments.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        inputs: Vec<String>,
        /// Report build and mesh progress on stderr.
        #[arg(short, long)]
        verbose: bool,
        /// Make every process of the mesh append its runtime events (hops,
        /// retries, rejected frames, flow ends) to FILE as JSON lines, so that
        /// one flow id can be followed across processes. The run is recorded
        /// in .g2n/last-traced-run.json beside its inputs, where `g2n lsp`
        /// finds the bytes each hop sent.
        #[arg(long, value_name = "FILE")]
        trace: Option<PathBuf>,
        /// How a single Go program is split into nanoservices: `block` (the
        /// default) cuts at its own goToNetwork statements; `per-line` makes
        /// every statement line of main its own nanoservice `line-N`.
        #[arg(long, value_enum, default_value = "block")]
        split: SplitArg,
        /// Spread the nanoservices of a split program or of a mesh of
        /// separate configs over N host processes (default 1: the whole
        /// program or mesh in one process, every hop an in-memory handoff).
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        hosts: u32,
        /// One process per nanoservice, every hop over loopback TCP (or NATS).
        #[arg(long, conflicts_with = "hosts")]
        process_per_service: bool,
        /// The transport between host processes: `tcp` (default) or `nats`
        /// (NATS JetStream: durable steps, replicas; needs --nats).
        #[arg(long, value_enum, default_value = "tcp")]
        engine: EngineArg,
        /// NATS server URL(s), e.g. nats://127.0.0.1:4222 (repeat, or
        /// separate with commas, for a cluster's nodes).
        #[arg(long, value_name = "URL")]
        nats: Vec<String>,
        /// The mesh's name on NATS (its streams and subjects); default: the
        /// entry nanoservice's name.
        #[arg(long, value_name = "NAME", default_value = "")]
        mesh: String,
        /// With --engine nats: N processes of every host (`N`), or of the
        /// host of one nanoservice (`NAME=N`); repeatable.
        #[arg(long, value_name = "N|NAME=N")]
        replicas: Vec<String>,
        /// With --engine nats: how long a step may go unacknowledged before
        /// JetStream hands it to another replica (default 30000).
        #[arg(long, value_name = "MS")]
        ack_wait_ms: Option<u64>,
        /// With --engine nats: how hosts receive steps, `push` (a push
        /// consumer per nanoservice delivering to a queue group of its
        /// hosts) or `pull` (nats.delivery; default: the engine's).
        #[arg(long, value_name = "KIND", value_parser = ["push", "pull"])]
        nats_delivery: Option<String>,
        /// With --engine nats: which thread runs a received step, `inline`
        /// (the one that received it) or `handoff` (a step thread woken by
        /// the I/O thread) (nats.receive; default: the engine's).
        #[arg(long, value_name = "HOW", value_parser = ["inline", "handoff"])]
        nats_receive: Option<String>,
        /// With --engine nats: the NATS authorization that `g2n build
        /// --engine nats` wrote (OUT/nats): every host connects as its
        /// nanoservice's user (docs/protocol.md, "Who may send what").
        #[arg(long, value_name = "DIR")]
        nats_auth: Option<PathBuf>,
        /// With --engine nats: connect over TLS only, trusting the CA
        /// certificate (PEM) in FILE.
        #[arg(long, value_name = "FILE")]
        nats_ca: Option<PathBuf>,
        /// With --engine nats: every process's NATS connection binds to a
        /// loopback address of its own, counting up from IP (127.0.0.0/8):
        /// the origin's IP, the hosts' (every replica its own) IP+1, IP+2, …
        /// (the server sees one client address per host).
        #[arg(long, value_name = "IP")]
        bind_from: Option<std::net::Ipv4Addr>,
        /// Host processes talk over loopback TCP with mutual TLS instead
        /// of Unix sockets: every process gets a certificate for this run,
        /// signed by the deployment CA in DIR (`g2n certs`; made there if
        /// DIR has none), or by a CA made for the run without DIR.
        #[arg(long, value_name = "DIR", num_args = 0..=1, require_equals = true)]
        tls: Option<Option<PathBuf>>,
    },
    /// Make a deployment's CA and its hosts' certificates for mutual TLS.
    ///
    /// Writes OUT/ca.pem and OUT/ca-key.pem (the CA, made once: a later run
    /// signs with it), and per HOST OUT/NAME.pem and OUT/NAME-key.pem. A
    /// HOST is `NAME=ADDR[,ADDR...]` (the IP addresses or DNS names peers
    /// dial it by, which its certificate names) or just `NAME` (a DNS name).
    /// Keys are written readable by their owner only. Give each host its
    /// certificate, its key and ca.pem in its runtime configuration's `tls`
    /// (docs/protocol.md, "TLS"); keep ca-key.pem off the hosts.
    ///
    /// `g2n certs revoke --out DIR NAME...` revokes hosts instead.
    #[command(subcommand_negates_reqs = true, args_conflicts_with_subcommands = true)]
    Certs {
        #[command(subcommand)]
        action: Option<CertsCommand>,
        /// Output directory (the deployment's CA lives here).
        #[arg(short, long, required = true)]
        out: Option<PathBuf>,
        /// The hosts: NAME=ADDR[,ADDR...] or NAME.
        #[arg(required = true)]
        hosts: Vec<String>,
    },
    /// Flows on NATS: read a flow's result.
    #[command(subcommand)]
    Flow(FlowCommand),
    /// Split a Go program into nanoservice configs, one per nanoservice.
    ///
    /// Writes OUT/NAME.yaml for every nanoservice: `name`, `entry`, `source`,
    /// the `resume_points` where flows enter it, the program's `code`, and a
    /// `goToNetworks` entry (host 127.0.0.1, username, password_env) per
    /// nanoservice it hands flows to. By default the program is cut at its
    /// own goToNetwork statements (several `goToNetwork 'x'` feed one
    /// nanoservice x); `--per-line` inserts a hop before every statement line
    /// of main, each line its own nanoservice `line-N`. `g2n build OUT` and
    /// `g2n run OUT` give the same program back (see docs/split.md).
    Split {
        /// The Go program: Go files of one package, or a directory of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output directory.
        #[arg(short, long, default_value = "split")]
        out: PathBuf,
        /// Every statement line of main becomes its own nanoservice.
        #[arg(long)]
        per_line: bool,
    },
    /// Inspect build manifests: print their JSON Schema, check a build, compare two builds.
    ///
    /// `g2n build` writes NAME/manifest.yaml per nanoservice and mesh.yaml for
    /// the mesh; deployment tools and CI read them. These subcommands work on
    /// those files only and never compile anything.
    #[command(subcommand)]
    Manifest(ManifestCommand),
    /// Look at a built mesh.
    #[command(subcommand)]
    Mesh(MeshCommand),
    /// Print g2n's version, the ABI version of the executables it builds, and
    /// the platform, as `go version` does.
    Version,
    /// Remove g2n's build cache, as `go clean -cache` does.
    ///
    /// The cache keeps compiled function bodies between builds (the code of
    /// library packages) in $G2N_CACHE, else $XDG_CACHE_HOME/g2n/build,
    /// else ~/.cache/g2n/build (G2N_CACHE=off: no cache).
    Clean {
        /// Remove the whole build cache (the only thing g2n clean removes).
        #[arg(long = "cache", required = true)]
        cache: bool,
    },
    /// Run the language server on stdin/stdout (for editors; see editors/vscode).
    ///
    /// Diagnostics as `g2n check` reports them, hover (types; what travels
    /// at a goToNetwork) and go-to-definition, for Go files and nanoservice
    /// configs. Editors start it; it is not meant to be typed.
    Lsp,
    /// Print a shell completion script for SHELL on stdout.
    ///
    /// Examples:
    ///   g2n completion bash > ~/.local/share/bash-completion/completions/g2n
    ///   g2n completion zsh > "${fpath[1]}/_g2n"
    ///   g2n completion fish > ~/.config/fish/completions/g2n.fish
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Deploy a build to a mesh on NATS: upload its artifacts, record the desired state.
    ///
    /// BUILD_DIR is the output of `g2n build --engine nats`; it must pass
    /// `g2n manifest check`. Executables and manifests go to the mesh's
    /// JetStream object store (named by SHA-256), the desired versions and
    /// replica counts to its key-value bucket; `g2n host` agents converge on
    /// them. A nanoservice that is already deployed is replaced only by a
    /// compatible version (`g2n manifest diff`'s verdict); an incompatible
    /// one is refused with the diff's reasons and nothing changes, unless
    /// --force. See docs/deploy.md.
    Deploy {
        /// The build output directory (the one holding mesh.yaml).
        build: PathBuf,
        /// NATS server URL(s).
        #[arg(long, value_name = "URL", required = true)]
        nats: Vec<String>,
        /// The mesh's name on NATS (default: the entry nanoservice's name).
        #[arg(long, value_name = "NAME")]
        mesh: Option<String>,
        /// Deploy only this nanoservice of the build; the others keep their versions and processes.
        #[arg(long, value_name = "NAME")]
        only: Option<String>,
        /// Deploy even an incompatible replacement.
        #[arg(long)]
        force: bool,
        /// Processes per host of every nanoservice (`N`) or of one (`NAME=N`); default: as deployed, 1 for new ones.
        #[arg(long, value_name = "N|NAME=N")]
        replicas: Vec<String>,
        /// How long a step may go unacknowledged before JetStream hands it to another replica (the mesh's consumers).
        #[arg(long, value_name = "MS")]
        ack_wait_ms: Option<u64>,
        /// The NATS authorization that `g2n build --engine nats` wrote
        /// (OUT/nats, holding credentials.json): connect as the mesh's admin user, the deployer
        /// (docs/deploy.md, "Authorization and TLS").
        #[arg(long, value_name = "DIR")]
        nats_auth: Option<PathBuf>,
        /// Connect over TLS only, trusting the CA certificate (PEM) in FILE.
        #[arg(long, value_name = "FILE")]
        nats_ca: Option<PathBuf>,
    },
    /// Put the previous version of one nanoservice of a deployed mesh back.
    Rollback {
        /// The nanoservice.
        name: String,
        /// NATS server URL(s).
        #[arg(long, value_name = "URL", required = true)]
        nats: Vec<String>,
        /// The mesh (default: the only one deployed).
        #[arg(long, value_name = "NAME")]
        mesh: Option<String>,
        /// The NATS authorization that `g2n build --engine nats` wrote
        /// (OUT/nats, holding credentials.json): connect as the mesh's admin user, the deployer
        /// (docs/deploy.md, "Authorization and TLS").
        #[arg(long, value_name = "DIR")]
        nats_auth: Option<PathBuf>,
        /// Connect over TLS only, trusting the CA certificate (PEM) in FILE.
        #[arg(long, value_name = "FILE")]
        nats_ca: Option<PathBuf>,
    },
    /// Run a deployed mesh's nanoservices on this machine, following its desired state.
    ///
    /// Fetches each served nanoservice's executable from the mesh's object
    /// store, checks its SHA-256 against the manifest and the desired state
    /// (a mismatch is refused with a logged reason), and runs its replicas.
    /// A new version is started before the old one is drained (SIGTERM: it
    /// finishes the steps it holds), so every step runs entirely on one
    /// version. Keeps what runs while the engine is unreachable. Runs until
    /// SIGTERM or SIGINT, then drains its processes.
    Host {
        /// NATS server URL(s).
        #[arg(long, value_name = "URL", required = true)]
        nats: Vec<String>,
        /// The mesh (default: the only one deployed).
        #[arg(long, value_name = "NAME")]
        mesh: Option<String>,
        /// This host's name in `g2n status` (default: machine name and pid).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Serve only these nanoservices (default: every one).
        #[arg(long, value_name = "NAME", num_args = 1..)]
        serve: Vec<String>,
        /// Processes here of every nanoservice (`N`) or of one (`NAME=N`), instead of the deployed count.
        #[arg(long, value_name = "N|NAME=N")]
        replicas: Vec<String>,
        /// Where fetched executables and runtime configurations are kept
        /// (default: $XDG_CACHE_HOME/g2n or ~/.cache/g2n).
        #[arg(long, value_name = "DIR")]
        cache: Option<PathBuf>,
        /// Every process appends its runtime events to FILE (JSON lines).
        #[arg(long, value_name = "FILE")]
        trace: Option<PathBuf>,
        /// How long a replaced process may take to finish its steps (default 10000).
        #[arg(long, value_name = "MS")]
        drain_ms: Option<u64>,
        /// Bind this host's NATS connections, and those of every process it
        /// starts, to IP (for several hosts on one machine, each on its own
        /// loopback address, as a test does: 127.0.0.2, 127.0.0.3, ...).
        #[arg(long, value_name = "IP")]
        bind: Option<std::net::IpAddr>,
        /// The NATS authorization that `g2n build --engine nats` wrote
        /// (OUT/nats, holding credentials.json): connect as the host agents' user; every process it starts connects
        /// as its nanoservice's user
        /// (docs/deploy.md, "Authorization and TLS").
        #[arg(long, value_name = "DIR")]
        nats_auth: Option<PathBuf>,
        /// Connect over TLS only, trusting the CA certificate (PEM) in FILE (its processes too).
        #[arg(long, value_name = "FILE")]
        nats_ca: Option<PathBuf>,
    },
    /// Start a flow in a deployed mesh; print its output and exit with its exit code.
    Start {
        /// The entry nanoservice.
        entry: String,
        /// The program's arguments (after the options, or after `--`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
        /// NATS server URL(s).
        #[arg(long, value_name = "URL", required = true)]
        nats: Vec<String>,
        /// The mesh (default: ENTRY).
        #[arg(long, value_name = "NAME")]
        mesh: Option<String>,
        /// Where the entry's executable is cached (as for `g2n host`).
        #[arg(long, value_name = "DIR")]
        cache: Option<PathBuf>,
        /// The origin appends its runtime events to FILE.
        #[arg(long, value_name = "FILE")]
        trace: Option<PathBuf>,
        /// The NATS authorization that `g2n build --engine nats` wrote
        /// (OUT/nats, holding credentials.json): connect as the host agents' user to read what to start; the
        /// flow's origin connects as the entry nanoservice's user
        /// (docs/deploy.md, "Authorization and TLS").
        #[arg(long, value_name = "DIR")]
        nats_auth: Option<PathBuf>,
        /// Connect over TLS only, trusting the CA certificate (PEM) in FILE (the origin too).
        #[arg(long, value_name = "FILE")]
        nats_ca: Option<PathBuf>,
    },
    /// Show a deployed mesh: versions, replicas, hosts, steps waiting and in flight.
    Status {
        /// NATS server URL(s).
        #[arg(long, value_name = "URL", required = true)]
        nats: Vec<String>,
        /// The mesh (default: the only one deployed).
        #[arg(long, value_name = "NAME")]
        mesh: Option<String>,
        /// Print JSON (for CI) instead of a table.
        #[arg(long)]
        json: bool,
        /// The NATS authorization that `g2n build --engine nats` wrote
        /// (OUT/nats, holding credentials.json): connect as the mesh's admin user, the deployer
        /// (docs/deploy.md, "Authorization and TLS").
        #[arg(long, value_name = "DIR")]
        nats_auth: Option<PathBuf>,
        /// Connect over TLS only, trusting the CA certificate (PEM) in FILE.
        #[arg(long, value_name = "FILE")]
        nats_ca: Option<PathBuf>,
    },
    /// Internal: removes a `g2n run` directory once the g2n that started it is gone.
    #[command(name = "__janitor", hide = true)]
    Janitor { dir: PathBuf },
}

#[derive(Subcommand)]
enum ManifestCommand {
    /// Print the JSON Schema (draft 2020-12) of a unit or mesh manifest.
    ///
    /// The text is the same as the published docs/schema/unit.schema.json and
    /// docs/schema/mesh.schema.json, so any JSON Schema validator can check
    /// manifests, e.g. `g2n manifest schema unit > unit.schema.json`.
    Schema {
        /// Which schema: `unit` for NAME/manifest.yaml, `mesh` for mesh.yaml.
        #[arg(value_enum)]
        kind: manifest_cmd::SchemaKind,
    },
    /// Check that a build output directory is complete and untouched.
    ///
    /// Reads DIR/mesh.yaml and every unit manifest it lists, validates each
    /// against its JSON Schema, recomputes the SHA-256 of every object and
    /// executable and compares it with the recorded hash, and cross-checks
    /// the mesh's edges against the units' resume points and exits.
    ///
    /// Exit code 0 when everything agrees (a one-line summary on stdout);
    /// 1 otherwise, with one diagnostic per problem on stderr.
    Check {
        /// The output directory of `g2n build` (the one holding mesh.yaml).
        dir: PathBuf,
    },
    /// Say, per nanoservice, whether a new build can replace an old one.
    ///
    /// A new version is a compatible replacement when it has the same resume
    /// points capturing the same variables with the same Go types, and the
    /// same exits (target, resume point) sending the same variables and types:
    /// that is what the runtime checks at every handoff. Code, line numbers
    /// and artifacts may change freely. Prints one line per nanoservice:
    /// unchanged, compatible, incompatible (with the reasons), added or
    /// removed.
    ///
    /// Exit code 0 when every nanoservice present in both builds is unchanged
    /// or compatible (added and removed ones are reported but do not count),
    /// 1 when at least one is incompatible, 2 when a build cannot be read.
    Diff {
        /// The build output directory of the version running now.
        old: PathBuf,
        /// The build output directory of the candidate replacement.
        new: PathBuf,
    },
}

#[derive(Subcommand)]
enum MeshCommand {
    /// Draw a built mesh as SVG: one box per nanoservice (its name and the
    /// start of its content hash; the entry in green), one arrow per edge
    /// labelled with the resume point and every variable the edge carries
    /// with its Go type.
    ///
    /// Reads DIR/mesh.yaml as written by `g2n build`. Example:
    ///   g2n build hello.yaml print-hello-world.yaml -o out/
    ///   g2n mesh svg out/ -o mesh.svg
    Svg {
        /// The output directory of `g2n build` (the one holding mesh.yaml).
        dir: PathBuf,
        /// Write the SVG to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CertsCommand {
    /// Revoke hosts' certificates: writes OUT/crl.pem, the deployment CA's
    /// certificate revocation list, listing every host revoked so far.
    ///
    /// Copy crl.pem to every host and name it in its runtime configuration's
    /// `tls.crl_file`: hosts re-read it when it changes and refuse a revoked
    /// certificate at either end of a connection. The list expires after
    /// --days (every peer is then refused): run this again, without NAME,
    /// to issue a fresh one before then (docs/protocol.md, "Revoking a host").
    Revoke {
        /// The directory of the deployment's CA (`g2n certs --out`).
        #[arg(short, long)]
        out: PathBuf,
        /// Days until the list must be replaced.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
        /// The hosts to revoke, by the NAME their certificate was made
        /// with (OUT/NAME.pem).
        names: Vec<String>,
    },
}

#[derive(Subcommand)]
enum FlowCommand {
    /// Print the output of a flow that ran on NATS and exit with its exit code.
    ///
    /// ID is the flow id (32 hex digits, the `flow` of the trace's
    /// `flow.start`). The result stays retrievable for the result stream's
    /// max age, also when the origin that started the flow died.
    Result {
        /// The flow id.
        id: String,
        /// NATS server URL(s).
        #[arg(long, value_name = "URL", required = true)]
        nats: Vec<String>,
        /// The mesh's name on NATS.
        #[arg(long, value_name = "NAME")]
        mesh: String,
        /// How long to wait for the flow's end, in seconds.
        #[arg(long, value_name = "SECS", default_value_t = 10)]
        wait: u64,
        /// Connect as the mesh's admin user of this NATS authorization
        /// (OUT/nats of `g2n build --engine nats`).
        #[arg(long, value_name = "DIR")]
        nats_auth: Option<PathBuf>,
        /// Connect over TLS only, trusting the CA certificate in FILE.
        #[arg(long, value_name = "FILE")]
        nats_ca: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum EngineArg {
    /// In memory and g2n's TCP protocol.
    Tcp,
    /// NATS JetStream.
    Nats,
}

impl EngineArg {
    fn link(self) -> link::Engine {
        match self {
            EngineArg::Tcp => link::Engine::Tcp,
            EngineArg::Nats => link::Engine::Nats,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum SplitArg {
    /// At the program's goToNetwork statements.
    Block,
    /// Every statement line of main on its own nanoservice.
    PerLine,
}

/// What `g2n check --emit` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum CheckEmit {
    /// The checked program (HIR) of every nanoservice.
    Hir,
    /// The mesh plan.
    Plan,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Emit {
    /// Cranelift IR text.
    Clif,
}

/// `--nats-auth DIR` and `--nats-ca FILE` of the deployed-mesh commands:
/// the CA as an absolute path (the host's processes get it), the
/// credentials read once here so a wrong DIR fails before anything runs.
fn deploy_access(nats_auth: Option<PathBuf>, nats_ca: Option<PathBuf>) -> Result<nats::Access, String> {
    let access = nats::Access { auth: nats_auth, ca_file: nats::absolute(nats_ca.as_deref())? };
    deploy::credentials(&access)?;
    Ok(access)
}

fn fail(message: &str) -> i32 {
    eprintln!("error: {message}");
    1
}

/// `g2n test -run X` as `go test` spells it: the one-dash long flags
/// (-run, -bench, -short, -timeout, -list, -tags) are read as `--run` and so on.
fn go_test_flags(args: impl Iterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = args.collect();
    if args.get(1).is_some_and(|a| a == "test") {
        for arg in args.iter_mut().skip(2) {
            for flag in ["run", "bench", "short", "timeout", "list", "tags"] {
                let dashed = format!("-{flag}");
                if *arg == *dashed {
                    *arg = format!("--{flag}").into();
                } else if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix(&format!("{dashed}="))) {
                    *arg = format!("--{flag}={value}").into();
                }
            }
        }
    }
    args
}

/// `g2n clean -cache` as `go clean` spells it: read as `--cache`.
fn go_clean_flags(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if args.get(1).is_some_and(|a| a == "clean") {
        for arg in args.iter_mut().skip(2).filter(|a| *a == "-cache") {
            *arg = "--cache".into();
        }
    }
    args
}

fn main() -> ExitCode {
    broken_pipe::install();
    let cli = Cli::parse_from(go_clean_flags(go_test_flags(std::env::args_os())));
    if let Some(goroot) = cli.goroot {
        goroot::set_flag(goroot);
    }
    if let Command::Test { tags: Some(tags), .. } = &cli.command {
        goroot::set_tags(tags.split([',', ' ']).filter(|t| !t.is_empty()).map(str::to_string).collect());
    }
    if let Command::Build { timings: true, .. } = &cli.command {
        timings::enable();
    }
    let code = match cli.command {
        Command::Fmt { paths, list, diff } => fmt_cmd::fmt(&paths, &fmt_cmd::FmtArgs { list, diff }),
        Command::Check { files, emit } => driver::check(&files, emit.contains(&CheckEmit::Hir), emit.contains(&CheckEmit::Plan)),
        Command::Build { files, out, emit, engine: EngineArg::Nats, mesh, .. } => {
            nats_auth::build(&files, out.as_deref().unwrap_or(std::path::Path::new("out")), emit.contains(&Emit::Clif), &mesh)
        }
        Command::Build { mesh, .. } if !mesh.is_empty() => {
            eprintln!("error: --mesh needs --engine nats");
            1
        }
        Command::Build { files, out, emit, engine, verbose, one_host: true, .. } => {
            build_cmd::build_one_host(&files, out.as_deref(), emit.contains(&Emit::Clif), engine.link(), verbose)
        }
        Command::Build { files, out, emit, engine, verbose, .. } => {
            build_cmd::build(&files, out.as_deref(), emit.contains(&Emit::Clif), engine.link(), verbose)
        }
        Command::Split { files, out, per_line } => split_cmd::split(&files, &out, per_line),
        Command::Test { packages, run, bench, short, list, timeout, verbose, tags: _ } => match test_cmd::parse_timeout(&timeout) {
            Ok(timeout) => {
                let args = test_cmd::TestArgs { run: run.as_deref(), bench: bench.as_deref(), verbose, short, list: list.as_deref(), timeout };
                test_cmd::test(&packages, &args)
            }
            Err(message) => fail(&format!("-timeout: {message}")),
        },
        Command::Certs { action: Some(CertsCommand::Revoke { out, days, names }), .. } => certs::revoke_command(&out, &names, days),
        Command::Certs { action: None, out, hosts } => certs::command(out.as_deref().unwrap_or(std::path::Path::new(".")), &hosts),
        Command::Run { inputs, verbose, trace, split, hosts, process_per_service, engine, nats, mesh, replicas, ack_wait_ms, nats_delivery, nats_receive, nats_auth, nats_ca, bind_from, tls } => {
            let placement = if process_per_service { mesh::Placement::PerService } else { mesh::Placement::Hosts(hosts as usize) };
            let split = match split {
                SplitArg::Block => driver::SplitMode::Block,
                SplitArg::PerLine => driver::SplitMode::PerLine,
            };
            let (files, args) = split_run_inputs(&inputs);
            let nats = match (engine, nats::Replicas::parse(&replicas)) {
                (_, Err(e)) => Err(e),
                (EngineArg::Tcp, Ok(_))
                    if !nats.is_empty()
                        || !replicas.is_empty()
                        || !mesh.is_empty()
                        || ack_wait_ms.is_some()
                        || nats_delivery.is_some()
                        || nats_receive.is_some()
                        || nats_auth.is_some()
                        || nats_ca.is_some()
                        || bind_from.is_some() =>
                {
                    Err("--nats, --mesh, --replicas, --ack-wait-ms, --nats-delivery, --nats-receive, --nats-auth, --nats-ca and --bind-from need --engine nats".to_string())
                }
                (EngineArg::Tcp, Ok(_)) => Ok(None),
                (EngineArg::Nats, Ok(_)) if nats.is_empty() => Err("--engine nats needs --nats URL".to_string()),
                (EngineArg::Nats, Ok(replicas)) => nats::absolute(nats_ca.as_deref()).map(|ca_file| {
                    Some(nats::NatsRun { servers: nats::servers(&nats), mesh, replicas, ack_wait_ms, delivery: nats_delivery, receive: nats_receive, auth: nats_auth, ca_file, bind_from })
                }),
            };
            match nats {
                Err(e) => {
                    eprintln!("error: {e}");
                    1
                }
                Ok(_) if files.is_empty() => {
                    match args.first().filter(|first| std::path::Path::new(first).is_file()) {
                        // A file where the inputs start: name it rather than run nothing.
                        Some(first) => eprintln!("error: {first}: not an input g2n reads: Go files end in .go or .g2n, nanoservice configs in .yaml or .yml"),
                        None => eprintln!("error: g2n run needs at least one .go, .g2n, .yaml or .yml input"),
                    }
                    1
                }
                Ok(Some(_)) if tls.is_some() => {
                    eprintln!("error: --tls is for g2n's TCP transport; on NATS, --nats-ca makes the connections TLS");
                    1
                }
                Ok(nats) => mesh::run(&files, &args, verbose, trace.as_deref(), split, placement, nats.as_ref(), tls.as_ref().map(Option::as_deref)),
            }
        }
        Command::Flow(FlowCommand::Result { id, nats, mesh, wait, nats_auth, nats_ca }) => {
            let access = nats::Access { auth: nats_auth, ca_file: nats_ca.map(|p| p.to_string_lossy().into_owned()) };
            nats::flow_result(&id, &nats::servers(&nats), &mesh, std::time::Duration::from_secs(wait), &access)
        }
        Command::Deploy { build, nats, mesh, only, force, replicas, ack_wait_ms, nats_auth, nats_ca } => match (nats::Replicas::parse(&replicas), deploy_access(nats_auth, nats_ca)) {
            (Ok(replicas), Ok(access)) => deploy::deploy(&deploy::DeployArgs { build: &build, servers: nats::servers(&nats), mesh, only, force, replicas, ack_wait_ms, access }),
            (Err(e), _) | (_, Err(e)) => fail(&e),
        },
        Command::Rollback { name, nats, mesh, nats_auth, nats_ca } => match deploy_access(nats_auth, nats_ca) {
            Ok(access) => deploy::rollback(&name, &nats::servers(&nats), mesh.as_deref(), &access),
            Err(e) => fail(&e),
        },
        Command::Host { nats, mesh, name, serve, replicas, cache, trace, drain_ms, bind, nats_auth, nats_ca } => match (nats::Replicas::parse(&replicas), deploy_access(nats_auth, nats_ca)) {
            (Ok(replicas), Ok(access)) => host::host(host::HostArgs { servers: nats::servers(&nats), mesh, name, serve, replicas, cache, trace, drain_ms, bind, access }),
            (Err(e), _) | (_, Err(e)) => fail(&e),
        },
        Command::Start { entry, args, nats, mesh, cache, trace, nats_auth, nats_ca } => match deploy_access(nats_auth, nats_ca) {
            Ok(access) => start::start(start::StartArgs { entry, args, servers: nats::servers(&nats), mesh, cache, trace, access }),
            Err(e) => fail(&e),
        },
        Command::Status { nats, mesh, json, nats_auth, nats_ca } => match deploy_access(nats_auth, nats_ca) {
            Ok(access) => status::status(&nats::servers(&nats), mesh.as_deref(), json, &access),
            Err(e) => fail(&e),
        },
        Command::Manifest(ManifestCommand::Schema { kind }) => manifest_cmd::schema(kind),
        Command::Manifest(ManifestCommand::Check { dir }) => manifest_cmd::check(&dir),
        Command::Manifest(ManifestCommand::Diff { old, new }) => manifest_cmd::diff(&old, &new),
        Command::Mesh(MeshCommand::Svg { dir, out }) => manifest_cmd::svg(&dir, out.as_deref()),
        Command::Lsp => lsp::run(),
        Command::Clean { .. } => build_cache::clean(),
        Command::Version => {
            println!("{}", version_line());
            0
        }
        Command::Completion { shell } => {
            use clap::CommandFactory;
            use std::io::Write;
            // Into a buffer first: clap_complete panics on a write error
            // (a closed pipe), and a panic in g2n is a bug.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "g2n", &mut script);
            match std::io::stdout().write_all(&script) {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    eprintln!("error: cannot write the completion script: {e}");
                    1
                }
            }
        }
        Command::Janitor { dir } => lifetime::janitor(&dir),
    };
    if let Some(report) = timings::report() {
        eprint!("{report}");
    }
    ExitCode::from(code.clamp(0, 255) as u8)
}

/// `g2n version`: `g2n version 0.1.0 (abi 3) linux/x86_64`.
fn version_line() -> String {
    format!("g2n version {} (abi {}) {}/{}", env!("CARGO_PKG_VERSION"), g2n_abi::ABI_VERSION, std::env::consts::OS, std::env::consts::ARCH)
}

/// Leading inputs with a source extension are files; the rest, or everything
/// after `--`, are program arguments.
fn split_run_inputs(inputs: &[String]) -> (Vec<PathBuf>, Vec<String>) {
    let is_source = |s: &str| [".go", ".g2n", ".yaml", ".yml"].iter().any(|ext| s.ends_with(ext));
    let mut files = Vec::new();
    let mut rest = inputs.iter();
    for input in rest.by_ref() {
        if input == "--" {
            break;
        }
        // A directory first is the output of `g2n split`.
        if is_source(input) || (files.is_empty() && std::path::Path::new(input).is_dir()) {
            files.push(PathBuf::from(input));
        } else {
            let mut args = vec![input.clone()];
            args.extend(rest.cloned());
            return (files, args);
        }
    }
    (files, rest.cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_inputs_split_at_first_non_source() {
        let inputs: Vec<String> = ["a.yaml", "b.yaml", "x", "y.go"].iter().map(|s| s.to_string()).collect();
        let (files, args) = split_run_inputs(&inputs);
        assert_eq!(files, vec![PathBuf::from("a.yaml"), PathBuf::from("b.yaml")]);
        assert_eq!(args, vec!["x".to_string(), "y.go".to_string()]);
    }

    #[test]
    fn run_inputs_split_at_double_dash() {
        let inputs: Vec<String> = ["p.go", "--", "q.go"].iter().map(|s| s.to_string()).collect();
        let (files, args) = split_run_inputs(&inputs);
        assert_eq!(files, vec![PathBuf::from("p.go")]);
        assert_eq!(args, vec!["q.go".to_string()]);
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
