//! `status`, `commit` and `log`: the project's git history.

use std::path::Path;

use anyhow::bail;
use atelier_model::diff::diff_projects;
use atelier_model::{assemble, validate, Project};
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

/// One side of a diff: the project at a revision, or as the files are now.
fn project_at(project_dir: &ProjectDir, rev: Option<&str>) -> anyhow::Result<Project> {
    let (label, assembled) = match rev {
        Some(r) => (r.to_owned(), assemble(&git::files_at(project_dir.root(), r)?)),
        None => ("the working tree".to_owned(), project_dir.load()?),
    };
    let unread: Vec<String> = assembled.problems.iter().filter(|p| p.is_error() && p.code != "missing-manifest").map(|p| p.to_string()).collect();
    if !unread.is_empty() {
        eprintln!("warning: in {label}, some files cannot be read and are left out of the diff:");
        for p in unread.iter().take(10) {
            eprintln!("  {p}");
        }
    }
    Ok(assembled.project)
}

pub fn diff(dir: &Path, revs: &[String], json: bool, no_layout: bool) -> anyhow::Result<Outcome> {
    let project_dir = ProjectDir::open(dir)?;
    let (old, new) = match revs {
        [] => (project_at(&project_dir, Some("HEAD"))?, project_at(&project_dir, None)?),
        [a] => (project_at(&project_dir, Some(a))?, project_at(&project_dir, None)?),
        [a, b] => (project_at(&project_dir, Some(a))?, project_at(&project_dir, Some(b))?),
        _ => bail!("give at most two revisions"),
    };
    let changes: Vec<_> = diff_projects(&old, &new).into_iter().filter(|c| !(no_layout && c.layout)).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&changes)?);
    } else {
        for c in &changes {
            println!("{c}");
        }
    }
    Ok(Outcome::Ok)
}
