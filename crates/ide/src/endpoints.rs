//! A config's `goToNetworks` entries against its `goToNetwork` statements.
//! Nothing fails to build when they disagree (a local run needs no entry),
//! so a misspelt key (`print-helo-world:` for a hop to `print-hello-world`)
//! would only show on deployment: these warnings show it at check time.
//!
//! An entry is expected for every hop of a config that has a `goToNetworks`
//! section (one that describes where its targets live); a config without one
//! is local-only and warned about nothing. Configs written by `g2n split`
//! are left out: their entries are written from the plan.

use g2n_base::{FileId, Span};
use g2n_manifest::config::NanoserviceConfig;
use g2n_manifest::config::edit_distance;
use g2n_split::MeshPlan;
use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum EndpointWarning {
    #[error("goToNetworks entry `{key}` matches no goToNetwork of this config, and goToNetwork '{target}' has no entry: a misspelling?")]
    #[diagnostic(code(g2n::config::misspelt_endpoint), severity(Warning), help("rename `{key}:` to `{target}:` (or the goToNetwork's target to '{key}')"))]
    Misspelt {
        key: String,
        target: String,
        #[label("no goToNetwork goes to `{key}`")]
        key_span: Span,
        #[label("no goToNetworks entry for '{target}'")]
        hop_span: Span,
    },

    #[error("goToNetworks entry `{key}` matches no goToNetwork of this config")]
    #[diagnostic(code(g2n::config::unused_endpoint), severity(Warning), help("remove the entry, or check the targets of the goToNetwork statements"))]
    Unused {
        key: String,
        #[label("no goToNetwork goes to `{key}`")]
        span: Span,
    },

    #[error("goToNetwork '{target}' has no entry in this config's goToNetworks")]
    #[diagnostic(
        code(g2n::config::missing_endpoint),
        severity(Warning),
        help("add `{target}:` under goToNetworks with its host, username and password_env: a deployment needs them (g2n run does not)")
    )]
    Missing {
        target: String,
        #[label("no goToNetworks entry for '{target}'")]
        span: Span,
    },
}

/// Close enough to be a misspelling: the rule of the config's "did you mean".
fn close(a: &str, b: &str) -> bool {
    edit_distance(a, b) <= 2.max(a.len().max(b.len()) / 4)
}

/// One config of a mesh as the analysis read it.
pub struct ConfigUnit<'a> {
    /// The nanoservice's name (the plan's unit name).
    pub name: &'a str,
    /// The file the unit's code was analysed as (the YAML's bytes).
    pub file: FileId,
    pub config: &'a NanoserviceConfig,
}

/// The warnings of every config, checked against `plan`.
pub fn warnings<'a>(configs: impl IntoIterator<Item = ConfigUnit<'a>>, plan: &MeshPlan) -> Vec<EndpointWarning> {
    let mut out = Vec::new();
    // By name: a mesh may have tens of thousands of configs.
    let by_name: std::collections::HashMap<&str, &g2n_split::UnitPlan> =
        plan.units.iter().filter(|u| !u.whole_program).map(|u| (u.name.as_str(), u)).collect();
    for ConfigUnit { name, file, config } in configs {
        if config.go_to_networks.is_empty() || config.source.is_some() {
            continue;
        }
        let Some(unit) = by_name.get(name) else { continue };
        // Spans of the YAML as the unit's file sees it (same bytes).
        let in_file = |span: Span| Span { file, ..span };
        let mut unused: Vec<(&String, Span)> = config
            .go_to_networks
            .iter()
            .filter(|(key, _)| !unit.program.hops.iter().any(|hop| &hop.target == *key))
            .map(|(key, endpoint)| (key, in_file(endpoint.name_span)))
            .collect();
        let mut missing_seen = Vec::new();
        for hop in &unit.program.hops {
            if config.go_to_networks.contains_key(&hop.target) || missing_seen.contains(&hop.target) {
                continue;
            }
            missing_seen.push(hop.target.clone());
            match unused.iter().position(|(key, _)| close(key, &hop.target)) {
                Some(at) => {
                    let (key, key_span) = unused.remove(at);
                    out.push(EndpointWarning::Misspelt { key: key.clone(), target: hop.target.clone(), key_span, hop_span: hop.target_span });
                }
                None => out.push(EndpointWarning::Missing { target: hop.target.clone(), span: hop.target_span }),
            }
        }
        for (key, span) in unused {
            out.push(EndpointWarning::Unused { key: key.clone(), span });
        }
    }
    out
}
