//! `status`, `commit`, `log`, `diff` and `git-setup`: the project's git
//! history, through `atelier-api` like the app. Branches, merges and remotes
//! are in `team`.

use std::path::Path;

use anyhow::bail;

use crate::term::{line, say, tell};
use crate::Outcome;

pub fn status(dir: &Path, json: bool) -> anyhow::Result<Outcome> {
    let changes = crate::project(dir)?.status()?;
    if json {
        say!("{}", serde_json::to_string_pretty(&changes)?);
    } else if changes.is_empty() {
        say!("nothing changed since the last commit");
    } else {
        for c in &changes {
            say!("  {:<12} {}", c.change, c.path);
        }
    }
    Ok(Outcome::Ok)
}

pub fn commit(dir: &Path, message: &str) -> anyhow::Result<Outcome> {
    let mut project = crate::project(dir)?;
    let c = project.commit(message)?;
    // A work-in-progress design may be committed, but never silently. (The
    // commit has just read the design; asking before would read it twice.)
    let errors = project.problems().iter().filter(|p| p.is_error()).count();
    if errors > 0 {
        tell!("warning: committed a design with {errors} validation error(s); run `atelier validate` to see them");
    }
    say!("committed {}: {}", &c.id[..7], line(&c.summary));
    if !c.left_out.is_empty() {
        tell!("not committed (add them with git if you mean to):");
        for f in &c.left_out {
            tell!("  {}", line(f));
        }
    }
    Ok(Outcome::Ok)
}

pub fn log(dir: &Path, max_count: usize, json: bool) -> anyhow::Result<Outcome> {
    let commits = crate::project(dir)?.log(max_count)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&commits)?);
    } else if commits.is_empty() {
        say!("no commits yet");
    } else {
        for c in &commits {
            say!("{}  {}  {:<20}  {}", &c.id[..7], crate::time::format(c.time, c.offset_minutes), line(&c.author), line(&c.summary));
        }
    }
    Ok(Outcome::Ok)
}

pub fn diff(dir: &Path, revs: &[String], json: bool, no_layout: bool, svg: Option<&Path>) -> anyhow::Result<Outcome> {
    let (old, new) = match revs {
        [] => ("HEAD", None),
        [a] => (a.as_str(), None),
        [a, b] => (a.as_str(), Some(b.as_str())),
        _ => bail!("give at most two revisions"),
    };
    let project = crate::project(dir)?;
    let report = project.diff(old, new)?;
    if let Some(out) = svg {
        std::fs::create_dir_all(out).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
        for (id, picture) in project.diff_pictures(old, new)? {
            let file = out.join(format!("{id}.svg"));
            std::fs::write(&file, picture).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
            tell!("wrote {}", file.display());
        }
    }
    if !report.unreadable.is_empty() {
        tell!("warning: some files cannot be read and are left out of the diff:");
        for p in report.unreadable.iter().take(10) {
            tell!("  {p}");
        }
    }
    let changes: Vec<_> = report.changes.into_iter().filter(|c| !(no_layout && c.layout)).collect();
    if json {
        say!("{}", serde_json::to_string_pretty(&changes)?);
    } else {
        for c in &changes {
            say!("{c}");
        }
    }
    Ok(Outcome::Ok)
}

pub fn git_setup(dir: &Path) -> anyhow::Result<Outcome> {
    let exe = std::env::current_exe()?;
    let root = atelier_api::git_setup(dir, &exe)?;
    say!("git in {} now diffs and merges design files with {}", root.display(), exe.display());
    Ok(Outcome::Ok)
}

/// `render WORKFLOW -o FILE.svg`: the canvas as a picture.
pub fn render(dir: &Path, workflow: &str, rev: Option<&str>, output: &Path) -> anyhow::Result<Outcome> {
    let svg = crate::project(dir)?.render_workflow_svg(workflow, rev)?;
    std::fs::write(output, svg).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", output.display()))?;
    tell!("wrote {}", output.display());
    Ok(Outcome::Ok)
}
