//! `status`, `commit` and `log`: the project's git history.

use std::path::Path;

use atelier_model::validate;
use atelier_store::{git, ProjectDir};

use crate::Outcome;

pub fn status(dir: &Path, json: bool) -> anyhow::Result<Outcome> {
    let project_dir = ProjectDir::open(dir)?;
    let changes = git::status(project_dir.root())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&changes)?);
    } else if changes.is_empty() {
        println!("nothing changed since the last commit");
    } else {
        for c in &changes {
            println!("  {:<12} {}", c.change.as_str(), c.path);
        }
    }
    Ok(Outcome::Ok)
}

pub fn commit(dir: &Path, message: &str) -> anyhow::Result<Outcome> {
    let project_dir = ProjectDir::open(dir)?;
    // A work-in-progress design may be committed, but never silently.
    let problems = validate(&project_dir.load()?);
    let errors = problems.iter().filter(|p| p.is_error()).count();
    if errors > 0 {
        eprintln!("warning: committing a design with {errors} validation error(s); run `atelier validate` to see them");
    }
    let id = git::commit(project_dir.root(), message)?;
    println!("committed {}: {}", &id[..7], message.lines().next().unwrap_or(""));
    Ok(Outcome::Ok)
}

pub fn log(dir: &Path, max_count: usize, json: bool) -> anyhow::Result<Outcome> {
    let project_dir = ProjectDir::open(dir)?;
    let commits = git::log(project_dir.root(), max_count)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&commits)?);
    } else if commits.is_empty() {
        println!("no commits yet");
    } else {
        for c in &commits {
            println!("{}  {}  {:<20}  {}", &c.id[..7], crate::time::format(c.time, c.offset_minutes), c.author, c.summary);
        }
    }
    Ok(Outcome::Ok)
}
