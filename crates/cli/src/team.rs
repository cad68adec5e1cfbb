//! `branch`, `switch`, `merge`, `pull`, `push` and `remote`: working with a
//! team through git, through `atelier-api` like the app.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::bail;
use atelier_api::{MergeReport, MergeResult, TransferProgress};

use crate::term::say;
use crate::Outcome;

pub fn branch(dir: &Path, name: Option<String>, delete: Option<String>) -> anyhow::Result<Outcome> {
    let mut project = crate::project(dir)?;
    match (name, delete) {
        (Some(n), _) => {
            project.create_branch(&n, false)?;
            say!("created branch {n}");
        }
        (None, Some(d)) => {
            project.delete_branch(&d)?;
            say!("deleted branch {d}");
        }
        (None, None) => {
            for b in project.branches()?.branches {
                say!("{} {}", if b.current { "*" } else { " " }, b.name);
            }
        }
    }
    Ok(Outcome::Ok)
}

pub fn switch(dir: &Path, name: &str) -> anyhow::Result<Outcome> {
    crate::project(dir)?.switch_branch(name)?;
    say!("switched to {name}");
    Ok(Outcome::Ok)
}

fn report(what: &str, r: MergeReport) -> Outcome {
    match r.result {
        MergeResult::UpToDate => say!("already up to date"),
        MergeResult::FastForward => say!("fast-forwarded"),
        MergeResult::Merged => say!("merged {what}; design files merged per property"),
        MergeResult::Conflicts => {
            say!("merged {what} with conflicts, kept as $conflict data in:");
            for f in &r.files {
                say!("  {f}");
            }
            say!("resolve them (atelier validate lists them), then commit; or `atelier merge --abort`");
            return Outcome::Problems;
        }
    }
    Outcome::Ok
}

pub fn merge(dir: &Path, branch: Option<String>, abort: bool) -> anyhow::Result<Outcome> {
    let mut project = crate::project(dir)?;
    match (branch, abort) {
        (_, true) => {
            project.abort_merge()?;
            say!("merge aborted; the work tree is back at the last commit");
            Ok(Outcome::Ok)
        }
        (Some(b), false) => Ok(report(&b, project.merge_branch(&b)?)),
        (None, false) => bail!("name the branch to merge, or give --abort"),
    }
}

/// Prints transfer progress on one terminal line.
fn progress(p: TransferProgress) {
    if p.total > 0 && std::io::stderr().is_terminal() {
        eprint!("\r{} {}/{} objects", p.phase, p.done, p.total);
        if p.done == p.total {
            eprintln!();
        }
    }
}

pub fn pull(dir: &Path, remote: &str) -> anyhow::Result<Outcome> {
    let r = crate::project(dir)?.pull(remote, &mut progress)?;
    Ok(report(remote, r))
}

pub fn push(dir: &Path, remote: &str) -> anyhow::Result<Outcome> {
    crate::project(dir)?.push(remote, &mut progress)?;
    say!("pushed to {remote}");
    Ok(Outcome::Ok)
}

pub fn remote(dir: &Path, name: Option<String>, url: Option<String>) -> anyhow::Result<Outcome> {
    let project = crate::project(dir)?;
    match (name, url) {
        (Some(n), Some(u)) => {
            project.set_remote(&n, &u)?;
            say!("remote {n} is {u}");
        }
        (Some(_), None) => bail!("give the remote's address too: atelier remote NAME URL"),
        _ => {
            for r in project.branches()?.remotes {
                say!("{}\t{}", r.name, r.url);
            }
        }
    }
    Ok(Outcome::Ok)
}
