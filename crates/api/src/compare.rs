//! Comparing two versions of the project: the semantic diff (`atelier diff`)
//! and the compare view of one workflow on the canvas.

use atelier_model::problem::ProblemCode;
use std::collections::BTreeMap;

use atelier_model::diff::{diff_projects, Change};
use atelier_model::manifest::ArtifactKind;
use atelier_model::{assemble, Id, Project};
use atelier_store::git;
use serde::Serialize;
use ts_rs::TS;

use crate::project::OpenProject;
use crate::workflows::doc_of;
use crate::{ApiError, ApiResult, ErrorCode, WorkflowDoc};

/// Every change between two versions, and what could not be read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DiffReport {
    pub changes: Vec<Change>,
    /// Files left out of the diff because they cannot be read, per side.
    pub unreadable: Vec<String>,
}

/// One workflow in two versions, for the canvas: `None` where it does not exist.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CompareView {
    pub from: String,
    pub to: String,
    pub before: Option<WorkflowDoc>,
    pub after: Option<WorkflowDoc>,
    /// The changes of this workflow only.
    pub changes: Vec<Change>,
}

const WORK_TREE: &str = "the working tree";

impl OpenProject {
    /// Reads only the given files at `rev` (or in the work tree) into a project.
    pub(crate) fn side(&self, rev: Option<&str>, paths: &[String], unreadable: &mut Vec<String>) -> ApiResult<Project> {
        let files = match rev {
            Some(r) => git::files_at_paths(self.root(), r, paths)?,
            None => {
                let mut files = BTreeMap::new();
                for p in paths {
                    // The same checks as any read of a design file: a FIFO or
                    // a huge file is left out, never read.
                    if let Ok(b) = self.dir().read_design_file(p) {
                        files.insert(p.clone(), b);
                    }
                }
                files
            }
        };
        Ok(assemble_side(rev.unwrap_or(WORK_TREE), &files, unreadable))
    }

    /// The semantic diff from `old` to `new` (a revision, or the working tree
    /// when `None`), like `git diff OLD [NEW]`. Only changed files are read,
    /// so a diff costs what the change costs.
    pub fn diff(&self, old: &str, new: Option<&str>) -> ApiResult<DiffReport> {
        let mut unreadable = Vec::new();
        if let Some(new) = new {
            let (a, b) = git::changed_files(self.root(), old, new, owner_of)?;
            let (a, b) = (assemble_side(old, &a, &mut unreadable), assemble_side(new, &b, &mut unreadable));
            return Ok(DiffReport { changes: diff_projects(&a, &b), unreadable });
        }
        let mut paths = git::changed_paths(self.root(), old)?;
        let owners: Vec<String> = paths.iter().filter_map(|p| owner_of(p)).collect();
        paths.extend(owners);
        paths.sort();
        paths.dedup();
        let (a, b) = (self.side(Some(old), &paths, &mut unreadable)?, self.side(None, &paths, &mut unreadable)?);
        Ok(DiffReport { changes: diff_projects(&a, &b), unreadable })
    }

    /// Workflow `id` at `from` and at `to` (the working tree when `None`), with its changes.
    pub fn compare(&self, from: &str, to: Option<&str>, id: &str) -> ApiResult<CompareView> {
        let wid = Id::new(id).map_err(|e| ApiError::new(ErrorCode::InvalidId, format!("workflow id: {e}")))?;
        let dir = format!("workflows/{wid}");
        let mut unreadable = Vec::new();
        let load = |rev: Option<&str>, unreadable: &mut Vec<String>| -> ApiResult<Project> {
            match rev {
                Some(r) => Ok(assemble_side(r, &git::files_under(self.root(), r, &dir)?, unreadable)),
                // The working tree as the project last read it.
                None => {
                    let mut p = Project::new(self.project().manifest.clone());
                    if let Some(b) = self.project().workflows.get(&wid) {
                        p.workflows.insert(wid.clone(), b.clone());
                    }
                    Ok(p)
                }
            }
        };
        let (a, b) = (load(Some(from), &mut unreadable)?, load(to, &mut unreadable)?);
        if !unreadable.is_empty() {
            return Err(ApiError::new(ErrorCode::InvalidDesign, format!("cannot compare: {}", unreadable.join("; "))));
        }
        let ours = |c: &Change| c.artifact.as_ref().is_some_and(|x| x.kind == ArtifactKind::Workflow && x.id == wid);
        let changes = diff_projects(&a, &b).into_iter().filter(ours).collect();
        let before = a.workflows.get(&wid).map(|b| doc_of(&wid, b));
        let after = b.workflows.get(&wid).map(|b| doc_of(&wid, b));
        if before.is_none() && after.is_none() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("workflow `{wid}` is in neither `{from}` nor `{}`", to.unwrap_or(WORK_TREE)),
            ));
        }
        Ok(CompareView { from: from.to_owned(), to: to.unwrap_or(WORK_TREE).to_owned(), before, after, changes })
    }
}

/// A changed layout, script or test case is read with its workflow (or form).
fn owner_of(path: &str) -> Option<String> {
    match path.split('/').collect::<Vec<_>>().as_slice() {
        ["workflows", w, _, ..] => Some(format!("workflows/{w}/workflow.json")),
        ["forms", f, _, ..] => Some(format!("forms/{f}/form.json")),
        _ => None,
    }
}

/// Assembles one side of a diff; files that cannot be read are named in `unreadable`.
fn assemble_side(label: &str, files: &BTreeMap<String, Vec<u8>>, unreadable: &mut Vec<String>) -> Project {
    let assembled = assemble(files);
    unreadable.extend(
        assembled
            .problems
            .iter()
            .filter(|p| {
                p.is_error()
                    && matches!(
                        p.code,
                        ProblemCode::MalformedJson
                            | ProblemCode::TruncatedJson
                            | ProblemCode::InvalidValue
                            | ProblemCode::MergeConflict
                            | ProblemCode::DuplicateKey
                    )
            })
            .map(|p| format!("in {label}: {p}")),
    );
    assembled.project
}
