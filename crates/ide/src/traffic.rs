//! What the hops of a mesh sent in its last traced run (`g2n run --trace`),
//! as the hover on a `goToNetwork` shows it. The caller reads the run's
//! record and trace file (docs/editors.md, "Bytes of the last traced run")
//! and hands the `hop.send` events over, summed per sending nanoservice and
//! exit; this module only matches them to hop sites (one site: one exit
//! index, sent by every nanoservice that runs the statement) and words them.

/// The `hop.send` events of one run from one nanoservice through one exit,
/// summed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TracedHop {
    /// The sending nanoservice (the event's `from`).
    pub from: String,
    /// The target (the event's `to`).
    pub to: String,
    /// The exit index (the hop's index in its program's `hops`); `None` for
    /// events of runtimes that do not say (the NATS engine): such events
    /// count for a hop only when it is its nanoservice's one hop to `to`.
    pub exit: Option<u32>,
    /// Hops sent over the network (a frame each).
    pub sent: u64,
    /// Their frames' bytes, summed (the event's `bytes`).
    pub frame_bytes: u64,
    /// Hops inside one process (no frame; `bytes` 0 in the event).
    pub in_host: u64,
    /// The encoded scope graphs of the in-host hops (`graph_bytes`), summed.
    pub in_host_graph_bytes: u64,
}

/// One traced run, as far as the hover needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TracedRun {
    /// How the run is named in the hover (trace file and time).
    pub label: String,
    /// Why the run no longer describes the code, when it does not (a file
    /// changed since, or is new or gone).
    pub stale: Option<String>,
    pub hops: Vec<TracedHop>,
}

impl TracedRun {
    /// The events of the hop at exit `exit` to `to`, sent by any of the
    /// nanoservices `senders`; `only_exit_to_target`: that exit is each
    /// sender's only one to `to`, so events without an exit index are its.
    fn for_hop(&self, senders: &[&str], exit: u32, to: &str, only_exit_to_target: bool) -> TracedHop {
        let mut sum = TracedHop { from: senders.join(", "), to: to.to_string(), exit: Some(exit), ..TracedHop::default() };
        let own = |h: &&TracedHop| {
            senders.contains(&h.from.as_str()) && (h.exit == Some(exit) || (h.exit.is_none() && h.to == to && only_exit_to_target))
        };
        for hop in self.hops.iter().filter(own) {
            sum.sent += hop.sent;
            sum.frame_bytes += hop.frame_bytes;
            sum.in_host += hop.in_host;
            sum.in_host_graph_bytes += hop.in_host_graph_bytes;
        }
        sum
    }

    /// The hover's section for the hop at exit `exit`, sent by `senders`.
    pub(crate) fn describe(&self, senders: &[&str], exit: u32, to: &str, only_exit_to_target: bool) -> String {
        let hop = self.for_hop(senders, exit, to, only_exit_to_target);
        let mut text = format!("\n\n**Last traced run** ({})", self.label);
        if let Some(why) = &self.stale {
            text.push_str(&format!(" — **stale**: {why}"));
        }
        text.push_str(":\n");
        if hop.sent == 0 && hop.in_host == 0 {
            text.push_str("- this hop was not taken\n");
            return text;
        }
        if let Some(mean) = hop.frame_bytes.checked_div(hop.sent) {
            text.push_str(&format!(
                "- sent {} {}, {} bytes in all, {mean} bytes per hop on average (whole frames)\n",
                hop.sent,
                plural(hop.sent, "time", "times"),
                hop.frame_bytes
            ));
        }
        if hop.in_host > 0 {
            text.push_str(&format!(
                "- {} in-host {}: no frame, nothing on a wire (both nanoservices ran in one process)",
                hop.in_host,
                plural(hop.in_host, "hop", "hops")
            ));
            if hop.in_host_graph_bytes > 0
                && let Some(mean) = hop.in_host_graph_bytes.checked_div(hop.in_host)
            {
                text.push_str(&format!("; the scope graph encoded to {} bytes in all, {mean} per hop", hop.in_host_graph_bytes));
            }
            text.push('\n');
        }
        text
    }
}

fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
