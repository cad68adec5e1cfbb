//! What a revision holds, and what differs between two revisions or between a
//! revision and the work tree, read so the cost is the change's, not the
//! project's.

use std::path::Path;

use git2::Repository;

use super::{open, pathspec, prefix};
use crate::StoreError;

/// Project-relative paths that differ between revision `old` and the files
/// in the work tree, untracked ones included. (Two revisions: `changed_files`.)
pub fn changed_paths(root: &Path, old: &str) -> Result<Vec<String>, StoreError> {
    let repo = open(root)?;
    let tree_of =
        |rev: &str| repo.revparse_single(rev).and_then(|o| o.peel_to_tree()).map_err(StoreError::git(format!("read the tree of `{rev}`")));
    let prefix = prefix(&repo, root)?;
    let old_tree = tree_of(old)?;
    let spec = pathspec(&repo, root)?;
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    if spec != "." {
        opts.pathspec(&spec);
    }
    let diff = repo.diff_tree_to_workdir_with_index(Some(&old_tree), Some(&mut opts)).map_err(StoreError::git("compare revisions"))?;
    let mut out = std::collections::BTreeSet::new();
    for d in diff.deltas() {
        for f in [d.old_file(), d.new_file()] {
            if let Some(p) = f.path().and_then(|p| p.to_str()) {
                if let Some(rel) = p.strip_prefix(&prefix) {
                    out.insert(rel.to_owned());
                }
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// The project's own tree at `rev` (`None` if the project is not in it).
fn project_tree<'r>(repo: &'r Repository, rev: &str, prefix: &str) -> Result<Option<git2::Tree<'r>>, StoreError> {
    let tree = repo.revparse_single(rev).and_then(|o| o.peel_to_tree()).map_err(StoreError::git(format!("read the tree of `{rev}`")))?;
    if prefix.is_empty() {
        return Ok(Some(tree));
    }
    Ok(tree.get_path(Path::new(prefix.trim_end_matches('/'))).ok().and_then(|e| repo.find_tree(e.id()).ok()))
}

/// Both sides of the files that differ between commits `old` and `new`, plus
/// the files `with(path)` names for each (a script's workflow, say): path →
/// bytes, absent on a side that does not have it. Only trees whose ids differ
/// are read, so the cost is the change's, not the project's: libgit2's own
/// tree diff reads both trees whole.
pub fn changed_files(
    root: &Path,
    old: &str,
    new: &str,
    with: impl Fn(&str) -> Option<String>,
) -> Result<(crate::Files, crate::Files), StoreError> {
    let repo = open(root)?;
    let prefix = prefix(&repo, root)?;
    let (a, b) = (project_tree(&repo, old, &prefix)?, project_tree(&repo, new, &prefix)?);
    let mut walk = TreeWalk::default();
    walk.compare(&repo, a.as_ref(), b.as_ref(), "")?;
    // Blobs are read by the ids the walk saw: a lookup by path would parse a
    // folder of 1,000 entries again each time (libgit2 caches no tree over 4 KiB).
    let mut wanted = walk.changed.clone();
    for p in walk.changed.keys() {
        if let Some(owner) = with(p) {
            if let Some(ids) = walk.seen.get(&owner) {
                wanted.insert(owner, *ids);
            }
        }
    }
    let (mut before, mut after) = (std::collections::BTreeMap::new(), std::collections::BTreeMap::new());
    for (path, (x, y)) in wanted {
        for (id, side) in [(x, &mut before), (y, &mut after)] {
            if let Some(blob) = id.and_then(|id| design_blob(&repo, id)) {
                side.insert(path.clone(), blob.content().to_vec());
            }
        }
    }
    Ok((before, after))
}

/// Blob ids on either side (`None` where the file is absent), by path.
type SideIds = std::collections::BTreeMap<String, (Option<git2::Oid>, Option<git2::Oid>)>;

/// Two trees compared: the files that differ, and every file of the folders
/// visited on the way.
#[derive(Default)]
struct TreeWalk {
    changed: SideIds,
    seen: SideIds,
}

impl TreeWalk {
    /// Subtrees with the same id on both sides are skipped unread.
    fn compare(&mut self, repo: &Repository, a: Option<&git2::Tree>, b: Option<&git2::Tree>, at: &str) -> Result<(), StoreError> {
        let entries = |t: Option<&git2::Tree>| -> std::collections::BTreeMap<String, (git2::Oid, bool)> {
            t.map(|t| {
                t.iter().filter_map(|e| Some((e.name().ok()?.to_owned(), (e.id(), e.kind() == Some(git2::ObjectType::Tree))))).collect()
            })
            .unwrap_or_default()
        };
        let (ea, eb) = (entries(a), entries(b));
        let names: std::collections::BTreeSet<&String> = ea.keys().chain(eb.keys()).collect();
        for name in names {
            let (x, y) = (ea.get(name), eb.get(name));
            let path = format!("{at}{name}");
            let blob = |e: Option<&(git2::Oid, bool)>| e.filter(|e| !e.1).map(|e| e.0);
            let ids = (blob(x), blob(y));
            if ids != (None, None) {
                self.seen.insert(path.clone(), ids);
            }
            if x.map(|e| e.0) == y.map(|e| e.0) {
                continue;
            }
            if ids != (None, None) {
                self.changed.insert(path.clone(), ids);
            }
            let tree = |e: Option<&(git2::Oid, bool)>| -> Result<Option<git2::Tree>, StoreError> {
                match e {
                    Some((id, true)) => repo.find_tree(*id).map(Some).map_err(StoreError::git("read a tree")),
                    _ => Ok(None),
                }
            };
            let (ta, tb) = (tree(x)?, tree(y)?);
            if ta.is_some() || tb.is_some() {
                self.compare(repo, ta.as_ref(), tb.as_ref(), &format!("{path}/"))?;
            }
        }
        Ok(())
    }
}

/// A blob that can be a design file: its size is looked up first, so a huge
/// blob in a stranger's history is never loaded (it is left out, like a
/// missing file).
fn design_blob(repo: &Repository, id: git2::Oid) -> Option<git2::Blob<'_>> {
    let (size, kind) = repo.odb().ok()?.read_header(id).ok()?;
    if kind != git2::ObjectType::Blob || size > atelier_model::canonical::MAX_FILE_BYTES {
        return None;
    }
    repo.find_blob(id).ok()
}

/// Only the given project-relative files as committed at `rev`; missing ones are left out.
pub fn files_at_paths(root: &Path, rev: &str, paths: &[String]) -> Result<std::collections::BTreeMap<String, Vec<u8>>, StoreError> {
    let repo = open(root)?;
    let mut out = std::collections::BTreeMap::new();
    if let Some(tree) = project_tree(&repo, rev, &prefix(&repo, root)?)? {
        for rel in paths {
            if let Some(blob) = tree.get_path(Path::new(rel)).ok().and_then(|e| design_blob(&repo, e.id())) {
                out.insert(rel.clone(), blob.content().to_vec());
            }
        }
    }
    Ok(out)
}

/// Every file under the project-relative folder `dir` as committed at `rev`.
pub fn files_under(root: &Path, rev: &str, dir: &str) -> Result<std::collections::BTreeMap<String, Vec<u8>>, StoreError> {
    let repo = open(root)?;
    let mut out = std::collections::BTreeMap::new();
    let Some(tree) = project_tree(&repo, rev, &prefix(&repo, root)?)? else { return Ok(out) };
    let Some(sub) = tree.get_path(Path::new(dir)).ok().and_then(|e| repo.find_tree(e.id()).ok()) else { return Ok(out) };
    sub.walk(git2::TreeWalkMode::PreOrder, |parent, e| {
        if let (Ok(name), Some(blob)) = (e.name(), design_blob(&repo, e.id())) {
            out.insert(format!("{dir}/{parent}{name}"), blob.content().to_vec());
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(StoreError::git("read a tree"))?;
    Ok(out)
}

/// One project-relative file as committed at `rev`, if it is there.
pub fn file_at(root: &Path, rev: &str, rel: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(files_at_paths(root, rev, &[rel.to_owned()])?.remove(rel))
}
