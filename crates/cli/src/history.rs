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

/// One side of a diff: the changed files at a revision, or as they are now.
/// Only files that differ are read, so a diff costs what the change costs.
fn side(project_dir: &ProjectDir, rev: Option<&str>, paths: &[String]) -> anyhow::Result<Project> {
    let mut files = std::collections::BTreeMap::new();
    let label = rev.unwrap_or("the working tree");
    match rev {
        Some(r) => files = git::files_at_paths(project_dir.root(), r, paths)?,
        None => {
            for p in paths {
                if let Ok(b) = std::fs::read(project_dir.resolve(p)?) {
                    files.insert(p.clone(), b);
                }
            }
        }
    }
    let assembled = assemble(&files);
    let unread: Vec<String> = assembled
        .problems
        .iter()
        .filter(|p| p.is_error() && matches!(p.code.as_str(), "malformed-json" | "truncated-json" | "invalid-value" | "merge-conflict" | "duplicate-key"))
        .map(|p| p.to_string())
        .collect();
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
    let (old_rev, new_rev) = match revs {
        [] => ("HEAD", None),
        [a] => (a.as_str(), None),
        [a, b] => (a.as_str(), Some(b.as_str())),
        _ => bail!("give at most two revisions"),
    };
    let mut paths = git::changed_paths(project_dir.root(), old_rev, new_rev)?;
    // A changed layout, script or test case is read with its workflow (or form).
    let owners: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            match parts.as_slice() {
                ["workflows", w, _, ..] => Some(format!("workflows/{w}/workflow.json")),
                ["forms", f, _, ..] => Some(format!("forms/{f}/form.json")),
                _ => None,
            }
        })
        .collect();
    paths.extend(owners);
    paths.sort();
    paths.dedup();
    let (old, new) = (side(&project_dir, Some(old_rev), &paths)?, side(&project_dir, new_rev, &paths)?);
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

pub fn git_setup(dir: &Path) -> anyhow::Result<Outcome> {
    let project_dir = ProjectDir::open(dir)?;
    let exe = std::env::current_exe()?;
    git::init(project_dir.root())?;
    git::configure_drivers(project_dir.root(), &exe)?;
    println!("git in {} now diffs and merges design files with {}", project_dir.root().display(), exe.display());
    Ok(Outcome::Ok)
}

/// Called by git as `merge-driver %O %A %B %P`: the result goes into OURS.
pub fn merge_driver(base: &Path, ours: &Path, theirs: &Path, path: &str) -> anyhow::Result<Outcome> {
    let read = |p: &Path| std::fs::read(p).unwrap_or_default();
    match atelier_model::merge::merge_file(path, &read(base), &read(ours), &read(theirs)) {
        Ok((bytes, conflicts)) => {
            std::fs::write(ours, bytes)?;
            if conflicts > 0 {
                eprintln!("atelier: {conflicts} conflict(s) in {path}, written as $conflict; resolve them in the app or by hand");
                Ok(Outcome::Problems)
            } else {
                Ok(Outcome::Ok)
            }
        }
        Err(why) => {
            // Not readable JSON on some side: leave ours as it is and report a conflict.
            eprintln!("atelier: cannot merge {path}: {why}");
            Ok(Outcome::Problems)
        }
    }
}

/// Called by git as `textconv FILE`: a design file as one `property: value`
/// line per leaf, in file order, so a line diff is a property diff.
pub fn textconv(file: &Path) -> anyhow::Result<Outcome> {
    let bytes = std::fs::read(file)?;
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(v) => {
            let mut out = String::new();
            flatten(&v, &mut Vec::new(), &mut out);
            print!("{out}");
        }
        // Not JSON (a broken file): show it as it is.
        Err(_) => print!("{}", String::from_utf8_lossy(&bytes)),
    }
    Ok(Outcome::Ok)
}

fn flatten(v: &serde_json::Value, path: &mut Vec<String>, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                if k == "$schema" {
                    continue;
                }
                path.push(k.clone());
                flatten(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                flatten(x, path, out);
                path.pop();
            }
        }
        other => {
            let shown = match other {
                Value::String(s) => s.replace('\n', "\\n"),
                x => x.to_string(),
            };
            out.push_str(&format!("{}: {shown}\n", path.join(".")));
        }
    }
}
