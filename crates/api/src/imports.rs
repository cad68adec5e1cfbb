//! Workflows from other tools (n8n, Node-RED): the import writes the workflow
//! with its layout and scripts, and the sources its calls need, in one save.

use atelier_interop::flows::{self, FlowFormat};
use atelier_model::workflow::Step;
use atelier_model::Id;
use serde::Serialize;
use ts_rs::TS;

use crate::project::{parse_id, OpenProject};
use crate::{ApiError, ApiResult, ErrorCode};

/// What a workflow import made, what is left to finish, and what it left out.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WorkflowImportReport {
    /// One per flow of the export, the one its first trigger starts first.
    pub workflows: Vec<ImportedFlow>,
    /// The sources it wrote (one per origin the export called).
    pub sources: Vec<String>,
    pub notes: Vec<String>,
    pub written: Vec<String>,
}

/// One workflow an import wrote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportedFlow {
    pub workflow: String,
    pub steps: usize,
    /// `(step id, what to finish)` for each step marked unfinished.
    pub unfinished: Vec<(String, String)>,
}

impl OpenProject {
    /// Imports an export of `format` as workflow `id` (and `id-2`, `id-3`...
    /// for the other flows it holds); `replace` overwrites workflows of those ids.
    pub fn import_workflow(&mut self, text: &str, format: FlowFormat, id: &str, replace: bool) -> ApiResult<WorkflowImportReport> {
        let wid = parse_id(id, "workflow")?;
        let name = wid.as_str().replace('-', " ");
        let flows = flows::import(text, format, &name)
            .map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("cannot import this {} export: {e}", format.label())))?;
        let mut project = self.project().clone();
        let mut report = WorkflowImportReport { workflows: Vec::new(), sources: Vec::new(), notes: Vec::new(), written: Vec::new() };
        for (k, mut imported) in flows.into_iter().enumerate() {
            let fid = if k == 0 { wid.clone() } else { parse_id(&format!("{wid}-{}", k + 1), "workflow")? };
            if !replace && (project.workflows.contains_key(&fid) || self.dir.resolve(&format!("workflows/{fid}"))?.exists()) {
                return Err(ApiError::new(
                    ErrorCode::InvalidId,
                    format!("workflow `{fid}` already exists; choose another id or replace it"),
                ));
            }
            // A source of the same id and origin is shared; another origin gets an id of its own.
            for (sid, source) in std::mem::take(&mut imported.sources) {
                let mut target = sid.clone();
                let mut n = 2;
                while project.sources.get(&target).is_some_and(|s| s.base_url != source.base_url) {
                    target = Id::new(format!("{sid}-{n}")).map_err(|e| ApiError::new(ErrorCode::InvalidId, e.to_string()))?;
                    n += 1;
                }
                for step in imported.bundle.workflow.steps.values_mut() {
                    if let Step::ApiCall(a) = step {
                        if a.source == sid {
                            a.source = target.clone();
                        }
                    }
                }
                if !project.sources.contains_key(&target) {
                    project.sources.insert(target.clone(), source);
                    report.sources.push(target.to_string());
                }
            }
            let unfinished = imported.unfinished().into_iter().map(|(s, why)| (s.to_string(), why.to_owned())).collect();
            let steps = imported.bundle.workflow.steps.len();
            report.notes.append(&mut imported.notes);
            report.workflows.push(ImportedFlow { workflow: fid.to_string(), steps, unfinished });
            project.workflows.insert(fid, imported.bundle);
        }
        report.written = self.save_project(&project)?.written;
        Ok(report)
    }
}
