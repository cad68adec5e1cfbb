//! Local branches through git2: list, create, switch, delete, and merging
//! one into the current branch. Design files git cannot merge by lines are
//! merged with Atelier's semantic merge in-process, the same as `git merge`
//! with the driver; true conflicts stay in the files as `$conflict` data and
//! the merge waits (MERGE_HEAD, as git keeps it) for a commit.

use std::path::Path;

use git2::{BranchType, Oid, Repository, RepositoryState};

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

/// The branch HEAD is on.
pub fn current(root: &Path) -> Result<String, StoreError> {
    current_branch(&open(root)?)
}

pub fn create(root: &Path, name: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    if !git2::Branch::name_is_valid(name).unwrap_or(false) {
        return Err(StoreError::Refused(format!("`{name}` cannot be a branch name")));
    }
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(StoreError::git("read HEAD (commit something first)"))?;
    repo.branch(name, &head, false).map_err(StoreError::git(format!("create branch `{name}`")))?;
    Ok(())
}

pub(crate) fn clean(repo: &Repository) -> Result<bool, StoreError> {
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true);
    Ok(repo.statuses(Some(&mut opts)).map_err(StoreError::git("read status"))?.iter().all(|e| e.status().is_ignored()))
}

/// Refuses while the work tree has changes or a merge waits for its commit.
pub(crate) fn ensure_settled(repo: &Repository, doing: &str) -> Result<(), StoreError> {
    if repo.state() == RepositoryState::Merge {
        return Err(StoreError::Refused(format!("a merge is in progress: resolve its conflicts and commit, or abort it, before {doing}")));
    }
    if !clean(repo)? {
        return Err(StoreError::Refused(format!("there are uncommitted changes; commit them before {doing}")));
    }
    Ok(())
}

/// Switches to `name`. Refuses when there are uncommitted changes, so nothing is lost.
pub fn switch(root: &Path, name: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    ensure_settled(&repo, "switching branches")?;
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
        return Err(StoreError::Refused(format!("`{name}` is the current branch; switch to another first")));
    }
    b.delete().map_err(StoreError::git(format!("delete branch `{name}`")))?;
    Ok(())
}

pub(crate) fn current_branch(repo: &Repository) -> Result<String, StoreError> {
    // Before the first commit HEAD names a branch that does not exist yet.
    let head = repo.find_reference("HEAD").map_err(StoreError::git("read HEAD"))?;
    match head.symbolic_target() {
        Ok(Some(target)) => Ok(target.strip_prefix("refs/heads/").unwrap_or(target).to_owned()),
        _ => Err(StoreError::Refused("HEAD is not on a branch (a detached checkout); switch to a branch first".into())),
    }
}

/// What a merge (or a pull) did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeOutcome {
    UpToDate,
    FastForward,
    /// A merge commit; design files merged per property.
    Merged,
    /// Conflicts left in these project-relative files (as `$conflict` data in
    /// JSON, git's markers in code); resolve them, then commit.
    Conflicts(Vec<String>),
}

/// A merge waiting for its commit: which commit is being merged in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MergeInProgress {
    pub theirs: String,
    pub message: String,
}

pub fn merge_in_progress(root: &Path) -> Result<Option<MergeInProgress>, StoreError> {
    let repo = open(root)?;
    if repo.state() != RepositoryState::Merge {
        return Ok(None);
    }
    let read = |f: &str| std::fs::read_to_string(repo.path().join(f)).unwrap_or_default();
    Ok(Some(MergeInProgress {
        theirs: read("MERGE_HEAD").lines().next().unwrap_or("").trim().to_owned(),
        message: read("MERGE_MSG").trim().to_owned(),
    }))
}

/// Gives up a merge with conflicts: the work tree goes back to the last commit.
pub fn abort_merge(root: &Path) -> Result<(), StoreError> {
    let repo = open(root)?;
    if repo.state() != RepositoryState::Merge {
        return Err(StoreError::Refused("no merge is in progress".into()));
    }
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(StoreError::git("read HEAD"))?;
    repo.reset(head.as_object(), git2::ResetType::Hard, None).map_err(StoreError::git("reset to HEAD"))?;
    repo.cleanup_state().map_err(StoreError::git("end the merge"))?;
    Ok(())
}

/// Merges local branch `name` into the current branch.
pub fn merge(root: &Path, name: &str) -> Result<MergeOutcome, StoreError> {
    let repo = open(root)?;
    ensure_settled(&repo, "merging")?;
    let r = repo.find_reference(&format!("refs/heads/{name}")).map_err(StoreError::git(format!("find branch `{name}`")))?;
    let theirs = r.peel_to_commit().map_err(StoreError::git(format!("read branch `{name}`")))?.id();
    merge_commit(&repo, root, theirs, &format!("Merge branch '{name}'"))
}

/// Merges commit `theirs` into HEAD: up to date, fast-forward, a merge
/// commit, or conflicts left for the person with MERGE_HEAD written.
pub(crate) fn merge_commit(repo: &Repository, root: &Path, theirs: Oid, message: &str) -> Result<MergeOutcome, StoreError> {
    let branch = current_branch(repo)?;
    let annotated = repo.find_annotated_commit(theirs).map_err(StoreError::git("read the commit to merge"))?;
    let (analysis, _) = repo.merge_analysis(&[&annotated]).map_err(StoreError::git("analyse the merge"))?;
    if analysis.is_up_to_date() {
        return Ok(MergeOutcome::UpToDate);
    }
    if analysis.is_fast_forward() {
        let obj = repo.find_object(theirs, None).map_err(StoreError::git("read the commit to merge"))?;
        repo.checkout_tree(&obj, Some(git2::build::CheckoutBuilder::new().safe())).map_err(StoreError::git("check out"))?;
        repo.find_reference(&format!("refs/heads/{branch}"))
            .and_then(|mut r| r.set_target(theirs, "atelier: fast-forward"))
            .map_err(StoreError::git("move the branch"))?;
        return Ok(MergeOutcome::FastForward);
    }
    // A real merge: git2 merges the trees; design files it cannot merge by
    // lines are merged semantically, conflicts kept as data.
    let ours_commit = repo.head().and_then(|h| h.peel_to_commit()).map_err(StoreError::git("read HEAD"))?;
    let theirs_commit = repo.find_commit(theirs).map_err(StoreError::git("read the commit to merge"))?;
    let base =
        repo.merge_base(ours_commit.id(), theirs).and_then(|b| repo.find_commit(b)).map_err(StoreError::git("find the merge base"))?;
    let (base_tree, ours_tree, theirs_tree) = (base.tree(), ours_commit.tree(), theirs_commit.tree());
    let (base_tree, ours_tree, theirs_tree) = (
        base_tree.map_err(StoreError::git("read a tree"))?,
        ours_tree.map_err(StoreError::git("read a tree"))?,
        theirs_tree.map_err(StoreError::git("read a tree"))?,
    );
    let mut index = repo.merge_trees(&base_tree, &ours_tree, &theirs_tree, None).map_err(StoreError::git("merge"))?;
    let mut left = Vec::new();
    let conflicts: Vec<_> = index.conflicts().map_err(StoreError::git("read conflicts"))?.filter_map(Result::ok).collect();
    let project_prefix = prefix(repo, root)?;
    for c in conflicts {
        let entry = c.our.as_ref().or(c.their.as_ref()).or(c.ancestor.as_ref()).expect("a conflict has a side");
        let path = String::from_utf8_lossy(&entry.path).into_owned();
        let blob = |e: &Option<git2::IndexEntry>| {
            e.as_ref().and_then(|e| repo.find_blob(e.id).ok()).map(|b| b.content().to_vec()).unwrap_or_default()
        };
        let rel = path.strip_prefix(project_prefix.as_str()).unwrap_or(&path).to_owned();
        let semantic = if path.ends_with(".json") {
            atelier_model::merge::merge_file(&rel, &blob(&c.ancestor), &blob(&c.our), &blob(&c.their)).ok()
        } else {
            None
        };
        let (bytes, n) = match semantic {
            Some(done) => done,
            None => text_merge(repo, &c).unwrap_or_else(|| (blob(&c.our), 1)),
        };
        index.remove_path(Path::new(&path)).map_err(StoreError::git("update the index"))?;
        if n > 0 {
            left.push(rel);
        }
        let oid = repo.blob(&bytes).map_err(StoreError::git("write a blob"))?;
        let resolved = git2::IndexEntry {
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
        index.add(&resolved).map_err(StoreError::git("update the index"))?;
    }
    // Check the merged tree out, keeping the semantically merged files.
    let tree_id = index.write_tree_to(repo).map_err(StoreError::git("write the merged tree"))?;
    let merged = repo.find_tree(tree_id).map_err(StoreError::git("read the merged tree"))?;
    repo.checkout_tree(merged.as_object(), Some(git2::build::CheckoutBuilder::new().force()))
        .map_err(StoreError::git("check out the merge"))?;
    let mut repo_index = repo.index().map_err(StoreError::git("open the index"))?;
    repo_index.read_tree(&merged).map_err(StoreError::git("update the index"))?;
    repo_index.write().map_err(StoreError::git("write the index"))?;
    if !left.is_empty() {
        // As git leaves it: the next commit is the merge commit.
        let write = |f: &str, s: String| std::fs::write(repo.path().join(f), s).map_err(StoreError::io("write", repo.path().join(f)));
        write("MERGE_HEAD", format!("{theirs}\n"))?;
        write("MERGE_MSG", format!("{message}\n"))?;
        left.sort();
        return Ok(MergeOutcome::Conflicts(left));
    }
    let (name, email) = crate::git::author(root)?;
    let sig = git2::Signature::now(&name, &email).map_err(StoreError::git("make the author signature"))?;
    repo.commit(Some("HEAD"), &sig, &sig, message, &merged, &[&ours_commit, &theirs_commit])
        .map_err(StoreError::git("commit the merge"))?;
    Ok(MergeOutcome::Merged)
}

/// git's own line merge for a file that is not JSON (step code): conflict
/// markers where both sides changed the same lines.
fn text_merge(repo: &Repository, c: &git2::IndexConflict) -> Option<(Vec<u8>, usize)> {
    let (a, o, t) = (c.ancestor.as_ref()?, c.our.as_ref()?, c.their.as_ref()?);
    let mut opts = git2::MergeFileOptions::new();
    opts.our_label("ours").their_label("theirs").ancestor_label("base");
    let r = repo.merge_file_from_index(a, o, t, Some(&mut opts)).ok()?;
    Some((r.content().to_vec(), usize::from(!r.is_automergeable())))
}
