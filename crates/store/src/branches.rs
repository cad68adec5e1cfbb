//! Branches and remotes through git2: list, create, switch, delete; fetch,
//! pull and push. A pull that needs a real merge merges design files with
//! Atelier's semantic merge in-process, the same as `git merge` with the driver.

use std::path::Path;

use git2::{BranchType, FetchOptions, PushOptions, RemoteCallbacks, Repository};

use crate::git::{open, prefix};
use crate::StoreError;

/// One local branch.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BranchInfo {
    pub name: String,
    pub current: bool,
    pub commit: String,
}

pub fn list(root: &Path) -> Result<Vec<BranchInfo>, StoreError> {
    let repo = open(root)?;
    let mut out = Vec::new();
    for b in repo.branches(Some(BranchType::Local)).map_err(StoreError::git("list branches"))? {
        let (b, _) = b.map_err(StoreError::git("list branches"))?;
        let name = b.name().ok().flatten().unwrap_or("").to_owned();
        let commit = b.get().target().map(|o| o.to_string()).unwrap_or_default();
        out.push(BranchInfo { name, current: b.is_head(), commit });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

pub fn create(root: &Path, name: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(StoreError::git("read HEAD (commit something first)"))?;
    repo.branch(name, &head, false).map_err(StoreError::git(format!("create branch `{name}`")))?;
    Ok(())
}

fn clean(repo: &Repository) -> Result<bool, StoreError> {
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true);
    Ok(repo.statuses(Some(&mut opts)).map_err(StoreError::git("read status"))?.iter().all(|e| e.status().is_ignored()))
}

/// Switches to `name`. Refuses when there are uncommitted changes, so nothing is lost.
pub fn switch(root: &Path, name: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    if !clean(&repo)? {
        return Err(StoreError::Invalid("there are uncommitted changes; commit them before switching branches".into()));
    }
    let refname = format!("refs/heads/{name}");
    let obj = repo.revparse_single(&refname).map_err(StoreError::git(format!("find branch `{name}`")))?;
    repo.checkout_tree(&obj, Some(git2::build::CheckoutBuilder::new().safe())).map_err(StoreError::git(format!("check out `{name}`")))?;
    repo.set_head(&refname).map_err(StoreError::git(format!("switch to `{name}`")))?;
    Ok(())
}

pub fn delete(root: &Path, name: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    let mut b = repo.find_branch(name, BranchType::Local).map_err(StoreError::git(format!("find branch `{name}`")))?;
    if b.is_head() {
        return Err(StoreError::Invalid(format!("`{name}` is the current branch; switch to another first")));
    }
    b.delete().map_err(StoreError::git(format!("delete branch `{name}`")))?;
    Ok(())
}

/// Credentials the way git finds them: the ssh agent for ssh remotes. (git's
/// credential helpers for https need git2's `https` feature, not built yet.)
fn callbacks(_repo: &Repository) -> RemoteCallbacks<'static> {
    let mut cb = RemoteCallbacks::new();
    cb.credentials(move |_url, user, allowed| {
        if allowed.contains(git2::CredentialType::SSH_KEY) {
            return git2::Cred::ssh_key_from_agent(user.unwrap_or("git"));
        }
        git2::Cred::default()
    });
    cb
}

fn current_branch(repo: &Repository) -> Result<String, StoreError> {
    let head = repo.head().map_err(StoreError::git("read HEAD"))?;
    head.shorthand().ok().map(str::to_owned).ok_or_else(|| StoreError::Invalid("HEAD is not on a branch".into()))
}

pub fn fetch(root: &Path, remote: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    let mut r = repo.find_remote(remote).map_err(StoreError::git(format!("find remote `{remote}`")))?;
    let mut opts = FetchOptions::new();
    opts.remote_callbacks(callbacks(&repo));
    r.fetch(&[] as &[&str], Some(&mut opts), None).map_err(StoreError::git(format!("fetch from `{remote}`")))?;
    Ok(())
}

/// Pushes the current branch. A rejected (non-fast-forward) push says so.
pub fn push(root: &Path, remote: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    let branch = current_branch(&repo)?;
    let mut r = repo.find_remote(remote).map_err(StoreError::git(format!("find remote `{remote}`")))?;
    let mut cb = callbacks(&repo);
    let rejected = std::rc::Rc::new(std::cell::RefCell::new(None));
    let rej = rejected.clone();
    cb.push_update_reference(move |refname, status| {
        if let Some(s) = status {
            *rej.borrow_mut() = Some(format!("{refname}: {s}"));
        }
        Ok(())
    });
    let mut opts = PushOptions::new();
    opts.remote_callbacks(cb);
    let spec = format!("refs/heads/{branch}:refs/heads/{branch}");
    r.push(&[&spec], Some(&mut opts)).map_err(|e| {
        let context = if e.code() == git2::ErrorCode::NotFastForward {
            format!("push to `{remote}` was rejected: the remote has commits you do not have; pull first")
        } else {
            format!("push to `{remote}`")
        };
        StoreError::Git { context, source: e }
    })?;
    if let Some(why) = rejected.borrow().clone() {
        return Err(StoreError::Invalid(format!("push to `{remote}` was rejected ({why}); pull first")));
    }
    Ok(())
}

/// What a pull did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PullOutcome {
    UpToDate,
    FastForward,
    /// A merge commit; design files merged semantically.
    Merged,
    /// Conflicts left in the files (as `$conflict` data); commit after resolving them.
    Conflicts(Vec<String>),
}

pub fn pull(root: &Path, remote: &str) -> Result<PullOutcome, StoreError> {
    fetch(root, remote)?;
    let repo = open(root)?;
    if !clean(&repo)? {
        return Err(StoreError::Invalid("there are uncommitted changes; commit them before pulling".into()));
    }
    let branch = current_branch(&repo)?;
    let theirs_ref = repo
        .find_reference(&format!("refs/remotes/{remote}/{branch}"))
        .map_err(StoreError::git(format!("find `{remote}/{branch}`")))?;
    let theirs = repo.reference_to_annotated_commit(&theirs_ref).map_err(StoreError::git("read the fetched commit"))?;
    let (analysis, _) = repo.merge_analysis(&[&theirs]).map_err(StoreError::git("analyse the merge"))?;
    if analysis.is_up_to_date() {
        return Ok(PullOutcome::UpToDate);
    }
    if analysis.is_fast_forward() {
        let target = theirs.id();
        let obj = repo.find_object(target, None).map_err(StoreError::git("read the fetched commit"))?;
        repo.checkout_tree(&obj, Some(git2::build::CheckoutBuilder::new().safe())).map_err(StoreError::git("check out"))?;
        repo.find_reference(&format!("refs/heads/{branch}"))
            .and_then(|mut r| r.set_target(target, "atelier pull: fast-forward"))
            .map_err(StoreError::git("move the branch"))?;
        return Ok(PullOutcome::FastForward);
    }
    // A real merge: git2 merges the trees; design files it cannot merge by
    // lines are merged semantically, conflicts kept as data.
    let ours_commit = repo.head().and_then(|h| h.peel_to_commit()).map_err(StoreError::git("read HEAD"))?;
    let theirs_commit = repo.find_commit(theirs.id()).map_err(StoreError::git("read the fetched commit"))?;
    let base = repo.merge_base(ours_commit.id(), theirs_commit.id()).and_then(|b| repo.find_commit(b)).map_err(StoreError::git("find the merge base"))?;
    let mut index = repo
        .merge_trees(&base.tree().map_err(StoreError::git("read"))?, &ours_commit.tree().map_err(StoreError::git("read"))?, &theirs_commit.tree().map_err(StoreError::git("read"))?, None)
        .map_err(StoreError::git("merge"))?;
    let mut left = Vec::new();
    let conflicts: Vec<_> = index.conflicts().map_err(StoreError::git("read conflicts"))?.filter_map(Result::ok).collect();
    let workdir = repo.workdir().ok_or_else(|| StoreError::NoRepository(root.to_path_buf()))?.to_path_buf();
    let project_prefix = prefix(&repo, root)?;
    for c in conflicts {
        let entry = c.our.as_ref().or(c.their.as_ref()).or(c.ancestor.as_ref()).expect("a conflict has a side");
        let path = String::from_utf8_lossy(&entry.path).into_owned();
        let blob = |e: &Option<git2::IndexEntry>| e.as_ref().and_then(|e| repo.find_blob(e.id).ok()).map(|b| b.content().to_vec()).unwrap_or_default();
        let rel = path.strip_prefix(project_prefix.as_str()).unwrap_or(&path).to_owned();
        let merged = if path.ends_with(".json") { atelier_model::merge::merge_file(&rel, &blob(&c.ancestor), &blob(&c.our), &blob(&c.their)).ok() } else { None };
        let (bytes, n) = merged.unwrap_or_else(|| (blob(&c.our), 1));
        std::fs::write(workdir.join(&path), &bytes).map_err(StoreError::io("write", workdir.join(&path)))?;
        index.remove_path(Path::new(&path)).map_err(StoreError::git("update the index"))?;
        if n > 0 {
            left.push(path.clone());
        }
        let oid = repo.blob(&bytes).map_err(StoreError::git("write a blob"))?;
        let e = git2::IndexEntry {
            ctime: entry.ctime,
            mtime: entry.mtime,
            dev: entry.dev,
            ino: entry.ino,
            mode: entry.mode,
            uid: entry.uid,
            gid: entry.gid,
            file_size: bytes.len() as u32,
            id: oid,
            flags: entry.flags & !0x3000, // stage 0: resolved
            flags_extended: entry.flags_extended,
            path: entry.path.clone(),
        };
        index.add(&e).map_err(StoreError::git("update the index"))?;
    }
    // Check the merged tree out, keeping the semantically merged files.
    let tree_id = index.write_tree_to(&repo).map_err(StoreError::git("write the merged tree"))?;
    let tree = repo.find_tree(tree_id).map_err(StoreError::git("read the merged tree"))?;
    repo.checkout_tree(tree.as_object(), Some(git2::build::CheckoutBuilder::new().force())).map_err(StoreError::git("check out the merge"))?;
    let mut repo_index = repo.index().map_err(StoreError::git("open the index"))?;
    repo_index.read_tree(&tree).map_err(StoreError::git("update the index"))?;
    repo_index.write().map_err(StoreError::git("write the index"))?;
    if !left.is_empty() {
        return Ok(PullOutcome::Conflicts(left));
    }
    let (name, email) = crate::git::author(root)?;
    let sig = git2::Signature::now(&name, &email).map_err(StoreError::git("make the author signature"))?;
    let msg = format!("Merge {remote}/{branch}");
    repo.commit(Some("HEAD"), &sig, &sig, &msg, &tree, &[&ours_commit, &theirs_commit]).map_err(StoreError::git("commit the merge"))?;
    Ok(PullOutcome::Merged)
}
