//! `g2n status --nats URL [--json]`: every nanoservice of a deployed mesh,
//! its desired version, its replicas desired and running, the hosts that
//! run it, and its steps waiting and in flight (its consumer's
//! `num_pending` and `num_ack_pending`). With `--nats-auth` it connects
//! as the deployer (the build's admin user).

use serde_json::json;

/// `g2n status`.
pub fn status(servers: &[String], mesh: Option<&str>, as_json: bool, access: &crate::nats::Access) -> i32 {
    let result = crate::deploy::runtime().and_then(|rt| rt.block_on(gather(servers, mesh, access)));
    match result {
        Ok(value) => {
            if as_json {
                println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
            } else {
                print!("{}", table(&value));
            }
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

fn short(hash: &str) -> String {
    let hex = g2n_deploy::names::object_name(hash);
    hex[..hex.len().min(12)].to_string()
}

async fn gather(servers: &[String], mesh: Option<&str>, access: &crate::nats::Access) -> Result<serde_json::Value, String> {
    // The deployer's user: it reads the hosts bucket and the consumers.
    let (_client, store) = crate::deploy::open(servers, mesh, false, access, crate::deploy::Role::Deployer).await?;
    let (desired, revision) = store.desired().await?.ok_or_else(|| format!("mesh '{}' has nothing deployed", store.mesh))?;
    let hosts = store.hosts().await?;
    let mut units = Vec::new();
    for (name, state) in &desired.units {
        let serving: Vec<&g2n_deploy::HostReport> = hosts.iter().filter(|h| h.serves.as_ref().is_none_or(|s| s.contains(name))).collect();
        let running: Vec<serde_json::Value> = hosts
            .iter()
            .flat_map(|h| h.units.get(name).into_iter().flatten().map(move |p| (h, p)))
            .filter(|(_, p)| p.version == state.current.executable && p.state == "ready")
            .map(|(h, p)| json!({ "host": h.host, "pid": p.pid }))
            .collect();
        let refused: Vec<serde_json::Value> = hosts.iter().filter_map(|h| h.refused.get(name).map(|r| json!({ "host": h.host, "reason": r }))).collect();
        let steps = store.steps(name).await;
        units.push(json!({
            "name": name,
            "version": state.current.executable,
            "manifest": state.current.manifest,
            "previous": state.previous.as_ref().map(|p| p.executable.clone()),
            "replicas_per_host": state.replicas,
            "desired": state.replicas as usize * serving.len(),
            "running": running.len(),
            "processes": running,
            "refused": refused,
            "waiting": steps.map(|s| s.0),
            "in_flight": steps.map(|s| s.1),
        }));
    }
    Ok(json!({
        "mesh": desired.mesh,
        "entry": desired.entry,
        "revision": revision,
        "nanoservices": units,
        "hosts": hosts,
    }))
}

fn table(v: &serde_json::Value) -> String {
    let hosts = v["hosts"].as_array().cloned().unwrap_or_default();
    let mut out = format!("mesh {} (entry {}, revision {}), {} host(s)\n", v["mesh"].as_str().unwrap_or(""), v["entry"].as_str().unwrap_or(""), v["revision"], hosts.len());
    let mut rows = vec![["NANOSERVICE".to_string(), "VERSION".into(), "REPLICAS".into(), "HOSTS".into(), "WAITING".into(), "IN FLIGHT".into()]];
    for u in v["nanoservices"].as_array().into_iter().flatten() {
        let mut on: Vec<String> = u["processes"].as_array().into_iter().flatten().filter_map(|p| p["host"].as_str().map(String::from)).collect();
        on.dedup();
        let count = |key: &str| u[key].as_u64().map_or("-".to_string(), |n| n.to_string());
        rows.push([
            u["name"].as_str().unwrap_or("").to_string(),
            short(u["version"].as_str().unwrap_or("")),
            format!("{}/{}", u["running"], u["desired"]),
            if on.is_empty() { "-".into() } else { on.join(",") },
            count("waiting"),
            count("in_flight"),
        ]);
    }
    let widths: Vec<usize> = (0..6).map(|c| rows.iter().map(|r| r[c].len()).max().unwrap_or(0)).collect();
    for row in &rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    for u in v["nanoservices"].as_array().into_iter().flatten() {
        for r in u["refused"].as_array().into_iter().flatten() {
            out.push_str(&format!("refused on {}: {} {}\n", r["host"].as_str().unwrap_or(""), u["name"].as_str().unwrap_or(""), r["reason"].as_str().unwrap_or("")));
        }
    }
    out
}
