//! `atelier permissions`: what a project asks of this machine and what it is
//! granted. Grants are kept in the user's config directory, never in the
//! project, so a cloned repository cannot grant itself anything.

use std::path::Path;

use crate::term::{line, say};
use crate::Outcome;

/// What to change in the project's grants.
pub struct Change {
    pub grant_live: Vec<String>,
    pub revoke_live: Vec<String>,
    pub map_secret: Vec<(String, String)>,
}

pub fn permissions(dir: &Path, change: Change, json: bool) -> anyhow::Result<Outcome> {
    let mut project = crate::project(dir)?;
    let mut view = project.permissions()?;
    if !change.grant_live.is_empty() || !change.revoke_live.is_empty() || !change.map_secret.is_empty() {
        let mut grants = project.grants()?;
        grants.live_hosts.extend(change.grant_live.iter().map(|h| h.to_ascii_lowercase()));
        grants.live_hosts.retain(|h| !change.revoke_live.iter().any(|r| r.eq_ignore_ascii_case(h)));
        grants.live_hosts.sort();
        grants.live_hosts.dedup();
        grants.secrets.extend(change.map_secret);
        view = project.set_grants(grants)?;
    }
    if json {
        say!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(Outcome::Ok);
    }
    say!("live hosts (api_call steps reach them for real when no mock answers):");
    if view.hosts.is_empty() {
        say!("  none");
    }
    for h in &view.hosts {
        let state = if h.granted { "granted" } else { "not granted" };
        let asked = if h.asked { "asked by atelier.json" } else { "not asked" };
        let used = if h.sources.is_empty() { String::new() } else { format!("; sources: {}", h.sources.join(", ")) };
        say!("  {:<30} {state:<12} {asked}{used}", line(&h.host));
    }
    say!("secrets (read only from the variable shown; values are never printed):");
    if view.secrets.is_empty() {
        say!("  none");
    }
    for s in &view.secrets {
        let set = if s.available { "set" } else { "not set" };
        say!("  {:<24} from ${:<32} {set}", s.name, line(&s.variable));
    }
    say!("sandbox limits (the project may lower them, never raise them):");
    for l in &view.limits {
        say!("  {:<24} asked {:<12} max {:<12} in effect {}", l.name, l.asked, l.max, l.effective);
    }
    if let Some(f) = &view.grants_file {
        say!("grants for this project are kept in {}", line(f));
    }
    Ok(Outcome::Ok)
}
