//! The runtime linked into every nanoservice: entry shim, scopes, fmt, authenticated handoffs.
//!
//! Layout: [`ffi`] is the C ABI generated code calls; [`origin`] starts flows and
//! collects their output; [`server`] receives handoffs; [`client`] sends frames
//! with retries; [`flow`] is the per-thread flow context; [`wire`] the framed,
//! HMAC-tagged protocol (docs/protocol.md); [`fmt`] Go's formatting.
//! The server, client and origin are plain Rust functions so that tests can run
//! a whole mesh in one process with Rust `extern "C"` functions standing in for
//! compiled unit entries.

// First, so that `rt_export!` is in scope in every module below.
#[macro_use]
pub mod export;

pub mod alloc_stats;
pub mod args;
mod auth_limits;
pub mod builtin;
pub mod chan;
pub mod client;
pub mod config;
mod conn_limits;
pub mod defer;
pub mod engine;
pub mod ffi;
pub mod finalizer;
pub mod flow;
pub mod fmt;
pub mod gc;
pub mod host;
pub mod graph;
pub mod maps;
pub mod memory;
pub mod net;
pub mod stdlib;
pub mod stdlib_reflect;
pub mod stdlib_os;
pub mod stdlib_runtime;
pub mod stdlib_sync;
pub mod stdlib_rand;
pub mod stdlib_time;
pub mod origin;
pub mod poller;
pub mod process;
pub mod sched;
pub mod scope;
pub mod sema;
pub mod server;
pub mod signals;
pub mod stack;
pub mod testing;
pub mod tls;
pub mod trace;
pub mod traceback;
pub mod types;
pub mod wire;

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod rtti_tests;
#[cfg(test)]
mod export_tests;

pub use config::RuntimeConfig;
pub use origin::{OriginOutcome, run_origin, run_origin_captured, run_origin_host, run_origin_host_captured};
pub use host::Host;
pub use server::{Server, serve, serve_host};
