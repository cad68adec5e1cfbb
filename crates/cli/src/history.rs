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
    Ok(if atelier_api::git_drivers::merge(base, ours, theirs, path)? { Outcome::Ok } else { Outcome::Problems })
}

/// Called by git as `textconv FILE`.
pub fn textconv(file: &Path) -> anyhow::Result<Outcome> {
    print!("{}", atelier_api::git_drivers::textconv(&std::fs::read(file)?));
    Ok(Outcome::Ok)
}

pub fn branch(dir: &Path, name: Option<String>, delete: Option<String>) -> anyhow::Result<Outcome> {
    let root = ProjectDir::open(dir)?.root().to_path_buf();
    use atelier_store::branches;
    match (name, delete) {
        (Some(n), _) => {
            branches::create(&root, &n)?;
            println!("created branch {n}");
        }
        (None, Some(d)) => {
            branches::delete(&root, &d)?;
            println!("deleted branch {d}");
        }
        (None, None) => {
            for b in branches::list(&root)? {
                println!("{} {}", if b.current { "*" } else { " " }, b.name);
            }
        }
    }
    Ok(Outcome::Ok)
}

pub fn switch(dir: &Path, name: &str) -> anyhow::Result<Outcome> {
    atelier_store::branches::switch(ProjectDir::open(dir)?.root(), name)?;
    println!("switched to {name}");
    Ok(Outcome::Ok)
}

pub fn pull(dir: &Path, remote: &str) -> anyhow::Result<Outcome> {
    use atelier_store::branches::PullOutcome;
    Ok(match atelier_store::branches::pull(ProjectDir::open(dir)?.root(), remote)? {
        PullOutcome::UpToDate => (println!("already up to date"), Outcome::Ok).1,
        PullOutcome::FastForward => (println!("fast-forwarded"), Outcome::Ok).1,
        PullOutcome::Merged => (println!("merged {remote}; design files merged per property"), Outcome::Ok).1,
        PullOutcome::Conflicts(files) => {
            println!("merged with conflicts, kept as $conflict data in:");
            for f in files {
                println!("  {f}");
            }
            println!("resolve them (atelier validate lists them), then commit");
            Outcome::Problems
        }
    })
}

pub fn push(dir: &Path, remote: &str) -> anyhow::Result<Outcome> {
    atelier_store::branches::push(ProjectDir::open(dir)?.root(), remote)?;
    println!("pushed to {remote}");
    Ok(Outcome::Ok)
}
