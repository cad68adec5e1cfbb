//! Working with others: branches, remotes, pull and push with progress,
//! merges, and resolving the conflicts a merge leaves, property by property.

use atelier_model::merge::{conflicts_in, CONFLICT_KEY};
use atelier_model::problem::ProblemCode;
use atelier_store::branches::{self, MergeOutcome};
use atelier_store::{git, remotes};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::project::OpenProject;
use crate::{ApiError, ApiResult, ErrorCode};

/// Branches and remotes, for the branch switcher.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BranchesView {
    pub current: String,
    pub branches: Vec<BranchEntry>,
    pub remotes: Vec<RemoteEntry>,
    /// The message of a merge waiting for its commit, if one is.
    #[ts(optional)]
    pub merging: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BranchEntry {
    pub name: String,
    pub current: bool,
    pub commit: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RemoteEntry {
    pub name: String,
    pub url: String,
}

/// What a merge or a pull did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MergeResult {
    UpToDate,
    FastForward,
    Merged,
    Conflicts,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeReport {
    pub result: MergeResult,
    /// Files with conflicts left to resolve.
    pub files: Vec<String>,
}

impl From<MergeOutcome> for MergeReport {
    fn from(o: MergeOutcome) -> Self {
        let (result, files) = match o {
            MergeOutcome::UpToDate => (MergeResult::UpToDate, Vec::new()),
            MergeOutcome::FastForward => (MergeResult::FastForward, Vec::new()),
            MergeOutcome::Merged => (MergeResult::Merged, Vec::new()),
            MergeOutcome::Conflicts(f) => (MergeResult::Conflicts, f),
        };
        MergeReport { result, files }
    }
}

/// How far a pull or push is.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TransferProgress {
    /// `receiving` or `sending`.
    pub phase: String,
    pub done: u32,
    pub total: u32,
}

/// One open conflict: a property of a design file, or a whole script.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Conflict {
    pub file: String,
    /// JSON pointer to the property; empty for a script.
    pub pointer: String,
    /// Where it is, in the design's words: `step shape: name`.
    pub label: String,
    /// `null` where that side does not have it.
    pub base: Value,
    pub ours: Value,
    pub theirs: Value,
}

fn progress_of(on: &mut dyn FnMut(TransferProgress)) -> impl FnMut(remotes::Progress) + '_ {
    move |p| {
        let phase = match p.phase {
            remotes::Phase::Receiving => "receiving",
            remotes::Phase::Sending => "sending",
        };
        on(TransferProgress { phase: phase.to_owned(), done: p.done as u32, total: p.total as u32 })
    }
}

/// `/steps/shape/name` → `step shape: name`.
fn label_of(file: &str, pointer: &str) -> String {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').filter(|p| !p.is_empty()).collect();
    let what = match parts.as_slice() {
        [] => file.rsplit('/').next().unwrap_or(file).to_owned(),
        ["steps", id] => format!("step {id}"),
        ["steps", id, rest @ ..] => format!("step {id}: {}", rest.join("/")),
        ["nodes", id, ..] => format!("position of {id}"),
        ["entities", id, rest @ ..] => format!("entity {id}: {}", rest.join("/")),
        other => other.join("/"),
    };
    what
}

impl OpenProject {
    pub fn branches(&self) -> ApiResult<BranchesView> {
        let root = self.root();
        Ok(BranchesView {
            current: branches::current(root).unwrap_or_default(),
            branches: branches::list(root)?
                .into_iter()
                .map(|b| BranchEntry { name: b.name, current: b.current, commit: b.commit })
                .collect(),
            remotes: remotes::list(root)?.into_iter().map(|r| RemoteEntry { name: r.name, url: r.url }).collect(),
            merging: branches::merge_in_progress(root)?.map(|m| m.message),
        })
    }

    /// Creates branch `name` at the current commit, and switches to it when asked.
    pub fn create_branch(&mut self, name: &str, switch: bool) -> ApiResult<()> {
        branches::create(self.root(), name)?;
        if switch {
            self.switch_branch(name)?;
        }
        Ok(())
    }

    pub fn switch_branch(&mut self, name: &str) -> ApiResult<()> {
        branches::switch(self.root(), name)?;
        self.reload()
    }

    pub fn delete_branch(&self, name: &str) -> ApiResult<()> {
        Ok(branches::delete(self.root(), name)?)
    }

    /// Merges local branch `name` into the current one.
    pub fn merge_branch(&mut self, name: &str) -> ApiResult<MergeReport> {
        let out = branches::merge(self.root(), name)?;
        self.reload()?;
        let report: MergeReport = out.into();
        self.audit("merge", name, &format!("{:?}", report.result).to_lowercase());
        Ok(report)
    }

    pub fn abort_merge(&mut self) -> ApiResult<()> {
        branches::abort_merge(self.root())?;
        self.reload()
    }

    /// Adds remote `name` (or points it at `url`).
    pub fn set_remote(&self, name: &str, url: &str) -> ApiResult<()> {
        Ok(remotes::set(self.root(), name, url)?)
    }

    pub fn pull(&mut self, remote: &str, on_progress: &mut dyn FnMut(TransferProgress)) -> ApiResult<MergeReport> {
        let out = remotes::pull(self.root(), remote, &mut progress_of(on_progress))?;
        self.reload()?;
        let report: MergeReport = out.into();
        self.audit("pull", remote, &format!("{:?}", report.result).to_lowercase());
        Ok(report)
    }

    pub fn push(&self, remote: &str, on_progress: &mut dyn FnMut(TransferProgress)) -> ApiResult<()> {
        remotes::push(self.root(), remote, &mut progress_of(on_progress))?;
        self.audit("push", remote, "");
        Ok(())
    }

    /// Every open conflict, property by property; a script with git's
    /// markers is one conflict with both sides' whole text.
    pub fn conflicts(&self) -> ApiResult<Vec<Conflict>> {
        let mut files: Vec<String> = self.problems().into_iter().filter(|p| p.code == ProblemCode::MergeConflict).map(|p| p.file).collect();
        files.dedup();
        let merging = branches::merge_in_progress(self.root())?;
        let mut out = Vec::new();
        for file in files {
            if file.ends_with(".json") {
                let bytes = std::fs::read(self.dir().resolve(&file)?)
                    .map_err(|e| ApiError::new(ErrorCode::Io, format!("cannot read {file}: {e}")))?;
                let v: Value = serde_json::from_slice(&bytes)
                    .map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("{file}: {e}")).at(&file, None))?;
                for (pointer, c) in conflicts_in(&v) {
                    let side = |k: &str| c.get(k).cloned().unwrap_or(Value::Null);
                    out.push(Conflict {
                        label: label_of(&file, &pointer),
                        file: file.clone(),
                        pointer,
                        base: side("base"),
                        ours: side("ours"),
                        theirs: side("theirs"),
                    });
                }
            } else {
                let text = |rev: Option<&str>| -> ApiResult<Value> {
                    let Some(rev) = rev else { return Ok(Value::Null) };
                    Ok(git::file_at(self.root(), rev, &file)?
                        .map_or(Value::Null, |b| Value::String(String::from_utf8_lossy(&b).into_owned())))
                };
                let theirs = merging.as_ref().map(|m| m.theirs.as_str());
                out.push(Conflict {
                    label: label_of(&file, ""),
                    file: file.clone(),
                    pointer: String::new(),
                    base: Value::Null,
                    ours: text(Some("HEAD"))?,
                    theirs: text(theirs)?,
                });
            }
        }
        Ok(out)
    }

    /// Settles one conflict with `value` (ours, theirs, or an edit). `null`
    /// removes the property (the side that deleted it). A file whose last
    /// conflict is settled is written in canonical form again.
    pub fn resolve_conflict(&mut self, file: &str, pointer: &str, value: Value) -> ApiResult<Vec<Conflict>> {
        // Only a design file with an open conflict is ever written: never
        // `.git/config`, never a file the page names at will.
        if file.split('/').any(|part| part.eq_ignore_ascii_case(".git")) || !atelier_store::git::is_project_file(file) {
            return Err(ApiError::new(ErrorCode::BadPath, format!("`{file}` is not a design file")).at(file, None));
        }
        if !self.conflicts()?.iter().any(|c| c.file == file) {
            return Err(ApiError::new(ErrorCode::NotFound, format!("`{file}` has no open conflict")).at(file, None));
        }
        let path = self.dir().resolve(file)?;
        if !file.ends_with(".json") {
            let Value::String(code) = value else {
                return Err(ApiError::new(ErrorCode::InvalidDesign, "a script's resolution is its whole text").at(file, None));
            };
            atelier_store::write_atomic(&path, code.as_bytes())?;
            self.reload()?;
            return self.conflicts();
        }
        let bytes = std::fs::read(&path).map_err(|e| ApiError::new(ErrorCode::Io, format!("cannot read {file}: {e}")))?;
        let mut doc: Value =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("{file}: {e}")).at(file, None))?;
        let not_here = || ApiError::new(ErrorCode::NotFound, format!("no open conflict at {pointer}")).at(file, Some(pointer.to_owned()));
        if doc.pointer(pointer).is_none_or(|v| v.get(CONFLICT_KEY).is_none()) {
            return Err(not_here());
        }
        let (parent, key) = pointer.rsplit_once('/').ok_or_else(not_here)?;
        let key = key.replace("~1", "/").replace("~0", "~");
        match doc.pointer_mut(parent) {
            Some(Value::Object(m)) if value.is_null() => {
                m.remove(&key);
            }
            Some(Value::Object(m)) => {
                m.insert(key, value);
            }
            Some(Value::Array(a)) => {
                let i: usize = key.parse().map_err(|_| not_here())?;
                *a.get_mut(i).ok_or_else(not_here)? = value;
            }
            _ => return Err(not_here()),
        }
        let mut text = serde_json::to_vec_pretty(&doc).map_err(|e| ApiError::new(ErrorCode::InvalidDesign, e.to_string()))?;
        text.push(b'\n');
        atelier_store::write_atomic(&path, &text)?;
        self.reload()?;
        self.write_canonical_if_needed(file)?;
        self.conflicts()
    }
}
