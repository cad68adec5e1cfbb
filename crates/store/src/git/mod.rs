//! The git repository around a project, through git2: init, status, commit,
//! log and the drivers' configuration. Reading what a revision holds, and
//! what differs between two, is in `revisions`.

use std::path::Path;

use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature, StatusOptions};

use crate::project_dir::write_atomic;
use crate::StoreError;

/// What `atelier init` puts in `.gitignore`: the local index is a cache.
pub const GITIGNORE: &str = ".atelier/\n";

/// What `atelier init` puts in `.gitattributes`: LF everywhere, and design
/// files routed to Atelier's diff and merge drivers (configured by `atelier git-setup`).
pub const GITATTRIBUTES: &str = "\
* text=auto eol=lf
*.json diff=atelier merge=atelier
";

/// How a file differs from the last commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Modified,
    Deleted,
    Renamed,
    TypeChanged,
    Conflicted,
}

impl Change {
    pub fn as_str(&self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Modified => "modified",
            Change::Deleted => "deleted",
            Change::Renamed => "renamed",
            Change::TypeChanged => "type changed",
            Change::Conflicted => "conflicted",
        }
    }
}

/// One changed file, relative to the repository's root.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileStatus {
    pub path: String,
    pub change: Change,
}

/// One commit of the history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommitInfo {
    pub id: String,
    pub author: String,
    pub email: String,
    /// Seconds since the Unix epoch, and the author's UTC offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    pub summary: String,
}

/// Makes `root` a git repository and writes the `.gitignore` and
/// `.gitattributes` Atelier needs, keeping existing ones. A project inside an
/// existing repository's work tree joins it (a design folder in a monorepo),
/// unless that repository ignores the folder (say, under `target/`).
pub fn init(root: &Path) -> Result<(), StoreError> {
    let joins_existing = Repository::discover(root).ok().is_some_and(|repo| {
        let inside = repo.workdir().and_then(|w| w.canonicalize().ok()).and_then(|w| root.strip_prefix(w).ok().map(Path::to_path_buf));
        match inside {
            Some(rel) if rel.as_os_str().is_empty() => true,
            Some(rel) => !repo.is_path_ignored(&rel).unwrap_or(false),
            None => false,
        }
    });
    if !joins_existing {
        let mut opts = RepositoryInitOptions::new();
        opts.initial_head("main");
        Repository::init_opts(root, &opts).map_err(StoreError::git(format!("init {}", root.display())))?;
    }
    for (name, content) in [(".gitignore", GITIGNORE), (".gitattributes", GITATTRIBUTES)] {
        let path = root.join(name);
        if !path.exists() {
            write_atomic(&path, content.as_bytes())?;
        }
    }
    Ok(())
}

pub(crate) fn open(root: &Path) -> Result<Repository, StoreError> {
    // As git itself does, objects are not re-hashed on every read: a read-only
    // diff of a large history would spend most of its time in SHA-1.
    git2::opts::strict_hash_verification(false);
    Repository::discover(root).map_err(|_| StoreError::NoRepository(root.to_path_buf()))
}

/// The project's directory inside the work tree as a path prefix: `""` at
/// the root, else `design/`.
pub(crate) fn prefix(repo: &Repository, root: &Path) -> Result<String, StoreError> {
    let spec = pathspec(repo, root)?;
    Ok(if spec == "." { String::new() } else { format!("{spec}/") })
}

/// The project's path inside the repository's work tree, as a pathspec.
fn pathspec(repo: &Repository, root: &Path) -> Result<String, StoreError> {
    let workdir = repo.workdir().ok_or_else(|| StoreError::NoRepository(root.to_path_buf()))?;
    let workdir = workdir.canonicalize().map_err(StoreError::io("open", workdir))?;
    let rel = root.strip_prefix(&workdir).unwrap_or(Path::new(""));
    let rel = rel.to_string_lossy().replace('\\', "/");
    Ok(if rel.is_empty() { ".".to_owned() } else { rel })
}

/// Changed, added and deleted files of the project against the last commit.
pub fn status(root: &Path) -> Result<Vec<FileStatus>, StoreError> {
    let repo = open(root)?;
    let mut opts = StatusOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true).renames_head_to_index(true);
    let spec = pathspec(&repo, root)?;
    if spec != "." {
        opts.pathspec(&spec);
    }
    let statuses = repo.statuses(Some(&mut opts)).map_err(StoreError::git("read status"))?;
    let mut out = Vec::new();
    for entry in statuses.iter() {
        let s = entry.status();
        let change = if s.is_conflicted() {
            Change::Conflicted
        } else if s.is_wt_new() || s.is_index_new() {
            Change::Added
        } else if s.is_wt_deleted() || s.is_index_deleted() {
            Change::Deleted
        } else if s.is_wt_renamed() || s.is_index_renamed() {
            Change::Renamed
        } else if s.is_wt_typechange() || s.is_index_typechange() {
            Change::TypeChanged
        } else if s.is_wt_modified() || s.is_index_modified() {
            Change::Modified
        } else {
            continue; // ignored or unchanged
        };
        let path = entry.path().unwrap_or("<non-UTF-8 path>").to_owned();
        out.push(FileStatus { path, change });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The author for a new commit: `GIT_AUTHOR_NAME`/`GIT_AUTHOR_EMAIL` when set
/// (as git itself does), else `user.name`/`user.email` from git config.
pub fn author(root: &Path) -> Result<(String, String), StoreError> {
    let repo = open(root)?;
    author_of(&repo)
}

/// Sets the commit author in this repository's own (local) git config.
pub fn set_author(root: &Path, name: &str, email: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    let mut cfg = repo.config().and_then(|c| c.open_level(git2::ConfigLevel::Local)).map_err(StoreError::git("open the git config"))?;
    cfg.set_str("user.name", name).map_err(StoreError::git("set user.name"))?;
    cfg.set_str("user.email", email).map_err(StoreError::git("set user.email"))?;
    Ok(())
}

fn author_of(repo: &Repository) -> Result<(String, String), StoreError> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let (Some(name), Some(email)) = (env("GIT_AUTHOR_NAME"), env("GIT_AUTHOR_EMAIL")) {
        return Ok((name, email));
    }
    let sig = repo.signature().map_err(|_| StoreError::NoAuthor)?;
    match (sig.name(), sig.email()) {
        (Ok(n), Ok(e)) if !n.is_empty() && !e.is_empty() => Ok((n.to_owned(), e.to_owned())),
        _ => Err(StoreError::NoAuthor),
    }
}

/// Stages every change of the project (additions, edits, deletions) and
/// commits it. Returns the new commit's id.
pub fn commit(root: &Path, message: &str) -> Result<CommitOutcome, StoreError> {
    let message = message.trim();
    if message.is_empty() {
        return Err(StoreError::Refused("a commit needs a message".to_owned()));
    }
    let repo = open(root)?;
    let (name, email) = author_of(&repo)?;
    let sig = Signature::now(&name, &email).map_err(StoreError::git("make the author signature"))?;
    let spec = pathspec(&repo, root)?;
    let mut index = repo.index().map_err(StoreError::git("open the index"))?;
    // Design files, the project's own files and what git already tracks are
    // staged; anything else new is listed, never silently committed, and a
    // file that looks like a secret is never staged at all.
    let tracked: std::collections::HashSet<Vec<u8>> = index.iter().map(|e| e.path).collect();
    let prefix = if spec == "." { String::new() } else { format!("{spec}/") };
    let mut left_out = Vec::new();
    let mut choose = |path: &Path, _spec: &[u8]| -> i32 {
        let full = path.to_string_lossy().replace('\\', "/");
        let rel = full.strip_prefix(&prefix).unwrap_or(&full);
        let reason = if looks_like_secret(rel) {
            Some(LeftOutReason::LooksLikeSecret)
        } else if tracked.contains(full.as_bytes()) || is_project_file(rel) {
            None
        } else {
            Some(LeftOutReason::NotDesign)
        };
        match reason {
            Some(reason) => {
                left_out.push(LeftOut { path: rel.to_owned(), reason });
                1
            }
            None => 0,
        }
    };
    index.add_all([&spec], IndexAddOption::DEFAULT, Some(&mut choose)).map_err(StoreError::git("stage changes"))?;
    index.update_all([&spec], None).map_err(StoreError::git("stage deletions"))?;
    index.write().map_err(StoreError::git("write the index"))?;
    let tree_id = index.write_tree().map_err(StoreError::git("write the tree"))?;
    let tree = repo.find_tree(tree_id).map_err(StoreError::git("read the tree"))?;
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit().map_err(StoreError::git("read HEAD"))?),
        Err(_) => None, // no commit yet
    };
    // A merge that stopped for conflicts ends with this commit: it gets the
    // merged commit as its second parent, as `git commit` does.
    let merging = repo.state() == git2::RepositoryState::Merge;
    let mut theirs = Vec::new();
    if merging {
        let heads =
            std::fs::read_to_string(repo.path().join("MERGE_HEAD")).map_err(StoreError::io("read", repo.path().join("MERGE_HEAD")))?;
        for line in heads.lines().filter(|l| !l.trim().is_empty()) {
            let oid = git2::Oid::from_str(line.trim()).map_err(StoreError::git("read MERGE_HEAD"))?;
            theirs.push(repo.find_commit(oid).map_err(StoreError::git("read the merged commit"))?);
        }
    }
    if !merging && parent.as_ref().is_some_and(|p| p.tree_id() == tree_id) {
        if left_out.is_empty() {
            return Err(StoreError::NothingToCommit);
        }
        let names: Vec<String> = left_out.iter().map(|l| format!("{} ({})", l.path, l.reason.as_str())).collect();
        return Err(StoreError::Refused(format!(
            "nothing to commit: only files Atelier does not commit changed: {}; add them with git if you mean to",
            names.join(", ")
        )));
    }
    let parents: Vec<&git2::Commit> = parent.iter().chain(theirs.iter()).collect();
    let id = repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents).map_err(StoreError::git("commit"))?;
    if merging {
        repo.cleanup_state().map_err(StoreError::git("end the merge"))?;
    }
    Ok(CommitOutcome { id: id.to_string(), left_out })
}

/// A commit, and the new files it did not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitOutcome {
    pub id: String,
    pub left_out: Vec<LeftOut>,
}

/// A file a commit did not take, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub path: String,
    pub reason: LeftOutReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOutReason {
    /// Not a design file or one of the project's own files, and not tracked yet.
    NotDesign,
    /// Its name says it holds credentials (`.env`, `id_rsa`, `*.pem`...).
    LooksLikeSecret,
}

impl LeftOutReason {
    pub fn as_str(&self) -> &'static str {
        match self {
            LeftOutReason::NotDesign => "not a design file",
            LeftOutReason::LooksLikeSecret => "looks like a secret",
        }
    }
}

/// Files a project is made of: design files under the artifact folders and
/// the project's own files at its root.
pub fn is_project_file(rel: &str) -> bool {
    const OWN: [&str; 6] = ["atelier.json", "secrets.required.json", ".gitignore", ".gitattributes", "README.md", "SECURITY.md"];
    if OWN.contains(&rel) {
        return true;
    }
    let design_dir = ["workflows/", "forms/", "models/", "sources/", "policies/"].iter().any(|d| rel.starts_with(d));
    design_dir && (rel.ends_with(".json") || rel.ends_with(".js"))
}

/// Whether a file's name says it holds credentials.
pub fn looks_like_secret(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    if name == "secrets.required.json" {
        return false;
    }
    const NAMES: [&str; 9] =
        [".env", ".netrc", ".npmrc", ".pypirc", ".pgpass", "credentials", "credentials.json", "secrets.json", ".git-credentials"];
    const PREFIXES: [&str; 5] = [".env.", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"];
    const SUFFIXES: [&str; 8] = [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".ppk", ".kdbx"];
    NAMES.contains(&name.as_str()) || PREFIXES.iter().any(|p| name.starts_with(p)) || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// The history from HEAD, newest first; empty before the first commit.
pub fn log(root: &Path, limit: usize) -> Result<Vec<CommitInfo>, StoreError> {
    let repo = open(root)?;
    if repo.head().is_err() {
        return Ok(Vec::new());
    }
    let mut walk = repo.revwalk().map_err(StoreError::git("walk history"))?;
    walk.push_head().map_err(StoreError::git("walk history"))?;
    walk.set_sorting(git2::Sort::TIME).map_err(StoreError::git("walk history"))?;
    let mut out = Vec::new();
    for oid in walk.take(limit) {
        let oid = oid.map_err(StoreError::git("walk history"))?;
        let c = repo.find_commit(oid).map_err(StoreError::git("read commit"))?;
        let a = c.author();
        out.push(CommitInfo {
            id: oid.to_string(),
            author: a.name().unwrap_or("").to_owned(),
            email: a.email().unwrap_or("").to_owned(),
            time: a.when().seconds(),
            offset_minutes: a.when().offset_minutes(),
            summary: c.summary().ok().flatten().unwrap_or("").to_owned(),
        });
    }
    Ok(out)
}

/// Configures this repository so that plain `git merge` uses Atelier's
/// semantic merge for design files, and `git diff` / `git log -p` show design
/// files as one line per property. `program` is the `atelier` binary to call.
pub fn configure_drivers(root: &Path, program: &Path) -> Result<(), StoreError> {
    let repo = open(root)?;
    let mut cfg =
        repo.config().and_then(|c| c.open_level(git2::ConfigLevel::Local)).map_err(StoreError::git("open the repository's config"))?;
    let exe = program.display().to_string().replace('\'', "'\\''");
    let set = |cfg: &mut git2::Config, k: &str, v: &str| cfg.set_str(k, v).map_err(StoreError::git(format!("set {k}")));
    set(&mut cfg, "merge.atelier.name", "Atelier semantic merge of design files")?;
    set(&mut cfg, "merge.atelier.driver", &format!("'{exe}' merge-driver %O %A %B %P"))?;
    // A text conversion (rather than an external diff command) so that
    // `git log -p` and every git host's tooling that honours textconv show it too.
    set(&mut cfg, "diff.atelier.textconv", &format!("'{exe}' textconv"))?;
    Ok(())
}

mod revisions;
pub use revisions::{changed_files, changed_paths, file_at, files_at_paths, files_under};
