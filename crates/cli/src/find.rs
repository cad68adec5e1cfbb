//! `search`, `refs`, `rename`, `history` and `audit`: finding your way in a
//! big project, through the index kept in `.atelier/index.sqlite`.

use std::path::Path;

use crate::term::{line, say, tell};
use crate::Outcome;

/// A hit's text with its matched words in brackets, on one line.
fn marked(text: &str) -> String {
    let t = text.replace(atelier_api::MARK_START, "[").replace(atelier_api::MARK_END, "]");
    line(&t.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

/// `seconds since the epoch` in UTC, as the log prints commits.
fn when(ms: i64) -> String {
    crate::time::format(ms / 1000, 0)
}

pub fn search(dir: &Path, query: &str, limit: usize, json: bool) -> anyhow::Result<Outcome> {
    search_in(&crate::project(dir)?, query, limit, json)
}

pub fn search_in(project: &atelier_api::OpenProject, query: &str, limit: usize, json: bool) -> anyhow::Result<Outcome> {
    let r = project.search(query, limit)?;
    if let Some(why) = &r.rebuilt {
        tell!("the index was rebuilt: {}", line(why));
    }
    if json {
        say!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(Outcome::Ok);
    }
    if r.hits.is_empty() {
        say!("nothing matches `{}`", line(query));
        return Ok(Outcome::Ok);
    }
    for h in &r.hits {
        say!("{}  ({}: {})", line(&h.address), h.kind, line(&h.name));
        // The matching text of the description, prompt or code; none when only the name or id matched.
        if h.text.contains(atelier_api::MARK_START) {
            say!("    {}", marked(&h.text));
        }
    }
    Ok(Outcome::Ok)
}

pub fn refs(dir: &Path, address: &str, json: bool) -> anyhow::Result<Outcome> {
    refs_in(&crate::project(dir)?, address, json)
}

pub fn refs_in(project: &atelier_api::OpenProject, address: &str, json: bool) -> anyhow::Result<Outcome> {
    let r = project.references(address)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(Outcome::Ok);
    }
    say!("{}{}", line(&r.address), r.name.as_deref().map(|n| format!(" ({})", line(n))).unwrap_or_default());
    let list = |title: &str, rows: &[atelier_api::RefEntry]| {
        say!("{title}:");
        if rows.is_empty() {
            say!("  nothing");
        }
        for e in rows {
            let code = if e.in_code { "  (in code: a rename leaves it to you)" } else { "" };
            say!("  {:<16} {}{code}", e.kind, line(&e.address));
        }
    };
    list("used by", &r.used_by);
    list("uses", &r.uses);
    Ok(Outcome::Ok)
}

pub fn rename(dir: &Path, address: &str, new_id: &str, dry_run: bool, force: bool, json: bool) -> anyhow::Result<Outcome> {
    let r = crate::project(dir)?.rename(address, new_id, !dry_run, force)?;
    let outcome = if r.refused.is_some() { Outcome::Problems } else { Outcome::Ok };
    if json {
        say!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(outcome);
    }
    let verb = if r.applied { "renamed" } else { "would rename" };
    say!("{verb} {} to {} ({} reference(s))", line(&r.from), line(&r.to), r.references);
    for f in &r.written {
        say!("  write   {}", line(f));
    }
    for f in &r.removed {
        say!("  remove  {}", line(f));
    }
    if !r.check_by_hand.is_empty() {
        say!("not changed, check by hand (the old id is named in code or text):");
        for m in &r.check_by_hand {
            say!("  {}", line(m));
        }
    }
    if let Some(why) = &r.refused {
        tell!("not renamed: {}; change them by hand first, or rename anyway with `--force`", line(why));
    }
    Ok(outcome)
}

pub fn history(
    dir: &Path,
    workflow: Option<&str>,
    show: Option<i64>,
    limit: usize,
    keep_days: Option<u32>,
    json: bool,
) -> anyhow::Result<Outcome> {
    let p = crate::project(dir)?;
    if keep_days.is_some() {
        let days = p.retention_days(keep_days)?;
        say!("runs and audit entries are kept {days} days");
        return Ok(Outcome::Ok);
    }
    if let Some(id) = show {
        let run = p.past_run(id)?;
        say!("{}", serde_json::to_string_pretty(&run)?);
        return Ok(Outcome::Ok);
    }
    let runs = p.runs(workflow.map(|w| w.trim_start_matches("workflows/")), limit)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&runs)?);
        return Ok(Outcome::Ok);
    }
    if runs.is_empty() {
        say!("no runs kept yet: previews in the app and `atelier run` are kept here");
    }
    for r in &runs {
        say!("{:>5}  {}  {:<10} {:>6} ms  {}  {}", r.id, when(r.started_at), r.status, r.duration_ms, line(&r.workflow), line(&r.who));
    }
    Ok(Outcome::Ok)
}

pub fn audit(dir: &Path, target: Option<&str>, limit: usize, json: bool) -> anyhow::Result<Outcome> {
    let rows = crate::project(dir)?.audit_log(target, limit)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(Outcome::Ok);
    }
    if rows.is_empty() {
        say!("nothing audited yet");
    }
    for r in &rows {
        say!("{}  {:<8} {:<40} {}  ({}, {})", when(r.at), r.action, line(&r.target), line(&r.detail), line(&r.who), r.origin);
    }
    Ok(Outcome::Ok)
}
