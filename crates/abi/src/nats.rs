//! Names on the NATS engine (docs/protocol.md, "The NATS engine"): the
//! contract between the runtime's engine (crates/runtime-nats), which
//! publishes, and the `g2n` command, which sets meshes up and reads flow
//! results. Plain string functions, no NATS client.

/// A name made safe as one subject token, a stream or a consumer name:
/// every character outside `A-Za-z0-9_-` becomes `_` (NATS forbids `.`,
/// `*`, `>` and white space in them).
pub fn token(name: &str) -> String {
    let t: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if t.is_empty() { "_".into() } else { t }
}

/// The work-queue stream of a mesh's steps: `G2N_<MESH>`.
pub fn step_stream(mesh: &str) -> String {
    format!("G2N_{}", token(mesh).to_ascii_uppercase())
}

/// The stream of a mesh's flow results (output and ends): `G2N_<MESH>_OUT`.
pub fn out_stream(mesh: &str) -> String {
    format!("{}_OUT", step_stream(mesh))
}

/// Every step subject of a mesh (the step stream's subjects).
pub fn step_subjects(mesh: &str) -> String {
    format!("g2n.{}.step.>", token(mesh))
}

/// Where the steps of one nanoservice are published.
pub fn step_subject(mesh: &str, nanoservice: &str) -> String {
    format!("g2n.{}.step.{}", token(mesh), token(nanoservice))
}

/// Where a push consumer delivers the steps of one nanoservice to its
/// hosts (a queue group named after the nanoservice): outside the step
/// stream's subjects, which a delivery must not feed back into.
pub fn deliver_subject(mesh: &str, nanoservice: &str) -> String {
    format!("g2n.{}.deliver.{}", token(mesh), token(nanoservice))
}

/// Every result subject of a mesh (the out stream's subjects).
pub fn out_subjects(mesh: &str) -> String {
    format!("g2n.{}.out.>", token(mesh))
}

/// Where one flow's output and end are published (`flow`: 32 hex digits).
pub fn out_subject(mesh: &str, flow: &str) -> String {
    format!("g2n.{}.out.{}", token(mesh), token(flow))
}

/// The durable pull consumer of one nanoservice, shared by its replicas.
pub fn consumer(nanoservice: &str) -> String {
    token(nanoservice)
}

/// Message ids (`Nats-Msg-Id`): the stream's duplicate window drops a
/// re-publish of the same effect.
pub fn step_msg_id(flow: &str, step: u64) -> String {
    format!("{flow}:{step}")
}

/// The id of output chunk `seq`, published by step `step`.
pub fn output_msg_id(flow: &str, step: u64, seq: u64) -> String {
    format!("{flow}:{step}:o{seq}")
}

/// The id of a flow's end.
pub fn end_msg_id(flow: &str) -> String {
    format!("{flow}:end")
}

/// The reply-subject prefix of a client that connects as `username` under
/// the authorization `g2n build --engine nats` writes: each user may
/// subscribe only below its own prefix, so no user reads another's replies
/// (JetStream API answers, publish acks, pulled steps).
pub fn inbox_prefix(username: &str) -> String {
    format!("_G2N_INBOX.{}", token(username))
}

/// The JetStream API subject of `operation` (e.g. `STREAM.INFO`) on
/// `rest` (e.g. a stream name, or `stream.consumer`).
pub fn js_api(operation: &str, rest: &str) -> String {
    format!("$JS.API.{operation}.{rest}")
}

/// Every ack subject of one consumer of `stream` (acks, naks, in-progress
/// and term are publishes to the delivered message's reply subject).
pub fn ack_subjects(stream: &str, consumer: &str) -> String {
    format!("$JS.ACK.{stream}.{consumer}.>")
}

/// Headers of a result message. `G2N-Kind` is `stdout`, `stderr` or
/// `end`; `G2N-Seq` the chunk's number (for the end: how many chunks came
/// before it); `G2N-Exit` the end's exit code; `G2N-Tag` 64 hex digits of
/// HMAC-SHA256 under the flow key (see the engine's `result` module).
pub const HEADER_KIND: &str = "G2N-Kind";
pub const HEADER_SEQ: &str = "G2N-Seq";
pub const HEADER_EXIT: &str = "G2N-Exit";
pub const HEADER_TAG: &str = "G2N-Tag";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_tokens() {
        assert_eq!(step_stream("hello world.x"), "G2N_HELLO_WORLD_X");
        assert_eq!(out_stream("m"), "G2N_M_OUT");
        assert_eq!(step_subject("m", "print-hello-world"), "g2n.m.step.print-hello-world");
        assert_eq!(step_subject("m", "a.b>"), "g2n.m.step.a_b_");
        assert_eq!(out_subject("m", "00ff"), "g2n.m.out.00ff");
        assert_eq!(token(""), "_");
        assert_eq!(inbox_prefix("hello-world-practice"), "_G2N_INBOX.hello-world-practice");
        assert_eq!(inbox_prefix("a.b"), "_G2N_INBOX.a_b");
        assert_eq!(js_api("STREAM.INFO", "G2N_M"), "$JS.API.STREAM.INFO.G2N_M");
        assert_eq!(ack_subjects("G2N_M", "c"), "$JS.ACK.G2N_M.c.>");
    }
}
