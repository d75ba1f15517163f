//! A drawing of a mesh manifest as SVG: one box per nanoservice, one arrow per
//! edge, labelled with the resume point and the variables the edge carries.
//!
//! The drawing is a pure function of the [`MeshManifest`], so the same build
//! always gives the same bytes (golden tests compare them). The layout is a
//! layered one, top to bottom:
//! - a nanoservice's layer is the length of the longest path to it from the
//!   entry (or from any nanoservice nothing reaches), following edges that do
//!   not close a cycle, found by a depth-first search in manifest order;
//! - within a layer, nanoservices keep the order in which a breadth-first walk
//!   from the entry meets them, then manifest order;
//! - an edge that goes down to a later layer is a straight arrow, its label
//!   just below its source (labels of one source side by side); an edge that
//!   goes back up, stays in its layer or loops on one nanoservice is drawn as
//!   a curve in a lane of its own on the right, so it never hides a box or
//!   another curve's label.
//!
//! Text widths are estimated from character counts in a monospace font, which
//! every SVG viewer has; nothing is measured.

use crate::manifest::MeshManifest;
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

/// Width of one character of the 12 px monospace font used for every label.
const CHAR_WIDTH: f64 = 7.3;
const LINE_HEIGHT: f64 = 15.0;
const BOX_HEIGHT: f64 = 44.0;
const BOX_PAD: f64 = 14.0;
const MIN_BOX_WIDTH: f64 = 120.0;
const COLUMN_GAP: f64 = 60.0;
const MARGIN: f64 = 30.0;
/// Labels list at most this many variables per edge, then "… and N more".
const MAX_LABEL_VARS: usize = 8;

/// One placed nanoservice.
struct Placed {
    name: String,
    hash: String,
    entry: bool,
    layer: usize,
    x: f64,
    y: f64,
    width: f64,
}

/// Draws `mesh` as a standalone SVG document.
pub fn mesh_svg(mesh: &MeshManifest) -> String {
    let names: Vec<&str> = mesh.nanoservices.iter().map(|n| n.name.as_str()).collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<(usize, usize)> = mesh
        .edges
        .iter()
        .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
        .collect();

    let layers = layers(names.len(), index.get(mesh.entry.as_str()).copied(), &edges);
    let order = walk_order(names.len(), index.get(mesh.entry.as_str()).copied(), &edges);

    // Rows of nanoservices, each row in walk order.
    let layer_count = layers.iter().copied().max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for &node in &order {
        rows[layers[node]].push(node);
    }

    // The gap between rows leaves room for the tallest label of an edge that
    // leaves the row above.
    let label_lines = |e: &crate::manifest::Edge| 1 + e.vars.len().min(MAX_LABEL_VARS + 1);
    let mut row_gap = vec![70.0_f64; layer_count];
    for (edge, &(from, _)) in mesh.edges.iter().zip(&edges) {
        let needed = 40.0 + label_lines(edge) as f64 * LINE_HEIGHT;
        row_gap[layers[from]] = row_gap[layers[from]].max(needed);
    }

    let mut placed: Vec<Option<Placed>> = (0..names.len()).map(|_| None).collect();
    let mut y = MARGIN;
    let mut width_needed: f64 = 0.0;
    for (layer, row) in rows.iter().enumerate() {
        let mut x = MARGIN;
        for &node in row {
            let unit = &mesh.nanoservices[node];
            let hash = short_hash(&unit.content_hash);
            let text = unit.name.chars().count().max(hash.chars().count()) as f64;
            let width = (text * CHAR_WIDTH + 2.0 * BOX_PAD).max(MIN_BOX_WIDTH);
            placed[node] = Some(Placed {
                name: unit.name.clone(),
                hash,
                entry: unit.name == mesh.entry,
                layer,
                x,
                y,
                width,
            });
            x += width + COLUMN_GAP;
        }
        width_needed = width_needed.max(x);
        y += BOX_HEIGHT + row_gap[layer];
    }
    let placed: Vec<Placed> = placed.into_iter().map(|p| p.expect("every node is in one row")).collect();

    let mut body = String::new();
    let mut right_edge = width_needed;
    // Curved edges each get a lane of their own to the right of every box,
    // wide enough for their label, so no two curves or labels overlap.
    let mut next_lane = width_needed;
    // Labels of straight edges leaving one nanoservice sit side by side.
    let mut next_label_x: Vec<Option<f64>> = vec![None; placed.len()];
    for (edge, &(from, to)) in mesh.edges.iter().zip(&edges) {
        let (a, b) = (&placed[from], &placed[to]);
        let mut label = vec![format!("rp {}", edge.resume_point)];
        for var in edge.vars.iter().take(MAX_LABEL_VARS) {
            label.push(format!("{} {}", var.name, var.go_type));
        }
        if edge.vars.len() > MAX_LABEL_VARS {
            label.push(format!("\u{2026} and {} more", edge.vars.len() - MAX_LABEL_VARS));
        }
        let label_width = label.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * CHAR_WIDTH;
        let title = format!("{} \u{2192} {} (resume point {})", edge.from, edge.to, edge.resume_point);
        let _ = writeln!(body, "  <g class=\"edge\"><title>{}</title>", xml(&title));
        let (label_x, label_y);
        if b.layer > a.layer {
            let (x1, y1) = (a.x + a.width / 2.0, a.y + BOX_HEIGHT);
            let (x2, y2) = (b.x + b.width / 2.0, b.y);
            let _ = writeln!(
                body,
                "    <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" marker-end=\"url(#arrow)\"/>",
                num(x1),
                num(y1),
                num(x2),
                num(y2)
            );
            label_x = next_label_x[from].unwrap_or(x1 + 8.0);
            next_label_x[from] = Some(label_x + label_width + 16.0);
            label_y = y1 + 18.0;
        } else {
            // Back, sideways or self edge: leave the source's right side and
            // enter the target's right side through a curve to the right.
            let (x1, y1) = (a.x + a.width, a.y + BOX_HEIGHT * 0.35);
            let (x2, y2) = (b.x + b.width, b.y + BOX_HEIGHT * 0.65);
            let bulge = next_lane.max(x1.max(x2) + 50.0);
            next_lane = bulge + label_width + 30.0;
            let _ = writeln!(
                body,
                "    <path d=\"M {} {} C {} {}, {} {}, {} {}\" fill=\"none\" marker-end=\"url(#arrow)\"/>",
                num(x1),
                num(y1),
                num(bulge),
                num(y1),
                num(bulge),
                num(y2),
                num(x2),
                num(y2)
            );
            label_x = bulge + 4.0;
            label_y = (y1 + y2) / 2.0 - (label.len() as f64 * LINE_HEIGHT) / 2.0;
        }
        right_edge = right_edge.max(label_x + label_width + MARGIN);
        let _ = write!(body, "    <text x=\"{}\" y=\"{}\" class=\"label\">", num(label_x), num(label_y));
        for (i, line) in label.iter().enumerate() {
            let dy = if i == 0 { 0.0 } else { LINE_HEIGHT };
            let _ = write!(body, "<tspan x=\"{}\" dy=\"{}\">{}</tspan>", num(label_x), num(dy), xml(line));
        }
        let _ = writeln!(body, "</text>\n  </g>");
    }
    for p in &placed {
        let class = if p.entry { "node entry" } else { "node" };
        let _ = writeln!(body, "  <g class=\"{class}\"><title>{}</title>", xml(&p.name));
        let _ = writeln!(
            body,
            "    <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
            num(p.x),
            num(p.y),
            num(p.width),
            num(BOX_HEIGHT)
        );
        let cx = p.x + p.width / 2.0;
        let _ = writeln!(body, "    <text x=\"{}\" y=\"{}\" class=\"name\">{}</text>", num(cx), num(p.y + 19.0), xml(&p.name));
        let _ = writeln!(body, "    <text x=\"{}\" y=\"{}\" class=\"hash\">{}</text>", num(cx), num(p.y + 35.0), xml(&p.hash));
        let _ = writeln!(body, "  </g>");
    }

    let width = right_edge.max(MARGIN * 2.0);
    let height = (y - row_gap.last().copied().unwrap_or(0.0) + MARGIN).max(MARGIN * 2.0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"monospace\" font-size=\"12\">",
        w = num(width),
        h = num(height)
    );
    let _ = writeln!(out, "  <title>mesh {}</title>", xml(&mesh.entry));
    out.push_str(concat!(
        "  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">",
        "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444\"/></marker></defs>\n",
        "  <style>\n",
        "    .edge line, .edge path { stroke: #444; stroke-width: 1.3; }\n",
        "    .node rect { fill: #eef3fb; stroke: #35598a; stroke-width: 1.3; }\n",
        "    .node.entry rect { fill: #dff0df; stroke: #2e6b2e; stroke-width: 2; }\n",
        "    .name { text-anchor: middle; font-weight: bold; }\n",
        "    .hash { text-anchor: middle; fill: #666; font-size: 10px; }\n",
        "    .label { fill: #333; }\n",
        "  </style>\n",
    ));
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// Longest-path layers over the edges that do not close a cycle.
fn layers(count: usize, entry: Option<usize>, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(from, to) in edges {
        out_edges[from].push(to);
    }
    // Depth-first from the entry, then from every node not yet seen, marking
    // edges into a node still on the stack as back edges.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnStack,
        Done,
    }
    let mut mark = vec![Mark::New; count];
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut finish_order = Vec::with_capacity(count);
    let starts = entry.into_iter().chain(0..count);
    for start in starts {
        if mark[start] != Mark::New {
            continue;
        }
        // An explicit stack of (node, next edge index), so a 65,535-node
        // chain cannot overflow the thread's stack.
        let mut stack = vec![(start, 0usize)];
        mark[start] = Mark::OnStack;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = out_edges[node].get(*next) {
                *next += 1;
                match mark[to] {
                    Mark::New => {
                        forward[node].push(to);
                        mark[to] = Mark::OnStack;
                        stack.push((to, 0));
                    }
                    Mark::Done => forward[node].push(to),
                    Mark::OnStack => {} // closes a cycle: not used for layers
                }
            } else {
                mark[node] = Mark::Done;
                finish_order.push(node);
                stack.pop();
            }
        }
    }
    // Reverse finishing order is a topological order of the forward edges.
    let mut layer = vec![0usize; count];
    for &node in finish_order.iter().rev() {
        for &to in &forward[node] {
            layer[to] = layer[to].max(layer[node] + 1);
        }
    }
    layer
}

/// Breadth-first order from the entry, then every other node in manifest
/// order (each followed by what it reaches).
fn walk_order(count: usize, entry: Option<usize>, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(from, to) in edges {
        out_edges[from].push(to);
    }
    let mut seen = vec![false; count];
    let mut order = Vec::with_capacity(count);
    for start in entry.into_iter().chain(0..count) {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            order.push(node);
            for &to in &out_edges[node] {
                if !seen[to] {
                    seen[to] = true;
                    queue.push_back(to);
                }
            }
        }
    }
    order
}

/// `sha256:` and the first 12 hex digits, enough to tell versions apart.
fn short_hash(content_hash: &str) -> String {
    let hex = content_hash.strip_prefix("sha256:").unwrap_or(content_hash);
    format!("sha256:{}", hex.chars().take(12).collect::<String>())
}

/// Numbers with at most one decimal, without a trailing `.0`, so the output
/// is short and stable.
fn num(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{}", rounded as i64) } else { format!("{rounded:.1}") }
}

/// Escapes text for SVG character data and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Edge, MeshUnit, SentVar};

    /// An edge: from, to, and the (name, Go type) of each variable it carries.
    type TestEdge<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

    fn mesh(names: &[&str], edges: &[TestEdge<'_>]) -> MeshManifest {
        MeshManifest {
            generated_by: "test".into(),
            abi_version: 1,
            entry: names[0].into(),
            nanoservices: names
                .iter()
                .map(|n| MeshUnit { name: (*n).into(), manifest: format!("{n}/manifest.yaml"), content_hash: format!("sha256:{:0>64}", n.len()) })
                .collect(),
            edges: edges
                .iter()
                .enumerate()
                .map(|(i, (from, to, vars))| Edge {
                    from: (*from).into(),
                    to: (*to).into(),
                    resume_point: i as u32 + 1,
                    vars: vars.iter().map(|(n, t)| SentVar { name: (*n).into(), go_type: (*t).into() }).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn chain_layers_follow_the_edges_and_cycles_do_not_loop() {
        let edges = [(0, 1), (1, 2), (2, 0), (1, 1), (0, 2)];
        assert_eq!(layers(4, Some(0), &edges), vec![0, 1, 2, 0]);
        assert_eq!(walk_order(4, Some(0), &edges), vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_long_chain_does_not_use_the_call_stack() {
        let n = 65_535;
        let edges: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let l = layers(n, Some(0), &edges);
        assert_eq!(l[n - 1], n - 1);
    }

    #[test]
    fn names_and_types_are_escaped() {
        let m = mesh(&["a", "b"], &[("a", "b", &[("m", "map[string]<-chan int"), ("q", "\"x\"&")])]);
        let svg = mesh_svg(&m);
        assert!(svg.contains("m map[string]&lt;-chan int"), "{svg}");
        assert!(svg.contains("q &quot;x&quot;&amp;"), "{svg}");
        assert!(!svg.contains("<-chan"));
    }

    #[test]
    fn back_and_self_edges_are_curves_and_long_labels_are_cut() {
        let many: Vec<(String, String)> = (0..12).map(|i| (format!("v{i}"), "int".to_string())).collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let m = mesh(&["a", "b"], &[("a", "b", &many), ("b", "a", &[]), ("b", "b", &[])]);
        let svg = mesh_svg(&m);
        assert_eq!(svg.matches("<line ").count(), 1);
        assert_eq!(svg.matches("fill=\"none\" marker-end").count(), 2);
        assert!(svg.contains("\u{2026} and 4 more"));
        assert!(svg.contains("class=\"node entry\""));
    }
}
