//! Workflows from other tools (n8n, Node-RED): the import writes the workflow
//! with its layout and scripts, and the sources its calls need, in one save.

use std::collections::BTreeSet;

use atelier_interop::flows::{self, FlowFormat};
use atelier_model::source::{Auth, SecretKind, SecretSpec, SecretsRequired};
use atelier_model::workflow::Step;
use atelier_model::{ArtifactKind, Id};
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

/// What an OpenAPI import wrote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SourceImportReport {
    pub source: String,
    pub base_url: String,
    pub operations: usize,
    /// The secret its auth names, declared in `secrets.required.json`.
    pub secret: Option<String>,
    pub notes: Vec<String>,
    pub written: Vec<String>,
}

impl OpenProject {
    /// Source `id` as the inspector reads it: base URL, auth and operations.
    pub fn source(&self, id: &str) -> ApiResult<atelier_model::source::Source> {
        let sid = parse_id(id, "source")?;
        self.project().sources.get(&sid).cloned().ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("there is no source `{sid}`")))
    }

    /// Imports an OpenAPI 3.0/3.1 description (JSON or YAML) as source `id`.
    pub fn import_openapi(&mut self, text: &str, id: &str, replace: bool) -> ApiResult<SourceImportReport> {
        let sid = parse_id(id, "source")?;
        if !replace {
            self.check_id_free(ArtifactKind::Source, &sid, true)?;
        }
        let imported = atelier_interop::openapi::import(text, &sid)
            .map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("cannot import this OpenAPI description: {e}")))?;
        let mut project = self.project().clone();
        if let Some((secret, kind)) = &imported.secret {
            declare_secret(&mut project, secret, *kind, format!("Used by sources/{sid}.json (from its OpenAPI description)."));
        }
        let report = SourceImportReport {
            source: sid.to_string(),
            base_url: imported.source.base_url.clone(),
            operations: imported.source.operations.len(),
            secret: imported.secret.as_ref().map(|(s, _)| s.as_str().to_owned()),
            notes: imported.notes,
            written: Vec::new(),
        };
        project.sources.insert(sid, imported.source);
        let written = self.save_project(&project)?.written;
        Ok(SourceImportReport { written, ..report })
    }

    /// Imports an export of `format` as workflow `id` (and `id-2`, `id-3`...
    /// for the other flows it holds); `replace` overwrites workflows of those ids.
    pub fn import_workflow(&mut self, text: &str, format: FlowFormat, id: &str, replace: bool) -> ApiResult<WorkflowImportReport> {
        let wid = parse_id(id, "workflow")?;
        let name = wid.as_str().replace('-', " ");
        let flows = flows::import(text, format, &name)
            .map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("cannot import this {} export: {e}", format.label())))?;
        self.save_imports(&wid, flows, replace)
    }

    /// Imports a BPMN 2.0 file (Camunda Modeler's, or Atelier's own export) as workflow `id`.
    pub fn import_bpmn(&mut self, text: &str, id: &str, replace: bool) -> ApiResult<WorkflowImportReport> {
        let wid = parse_id(id, "workflow")?;
        let name = wid.as_str().replace('-', " ");
        let imported = atelier_interop::bpmn::import(text, &name)
            .map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("cannot import this BPMN file: {e}")))?;
        let flow = flows::ImportedWorkflow { bundle: imported.bundle, sources: imported.sources, notes: imported.notes };
        self.save_imports(&wid, vec![flow], replace)
    }

    fn save_imports(&mut self, wid: &Id, flows: Vec<flows::ImportedWorkflow>, replace: bool) -> ApiResult<WorkflowImportReport> {
        let mut project = self.project().clone();
        let mut report = WorkflowImportReport { workflows: Vec::new(), sources: Vec::new(), notes: Vec::new(), written: Vec::new() };
        for (k, mut imported) in flows.into_iter().enumerate() {
            let fid = if k == 0 { wid.clone() } else { parse_id(&format!("{wid}-{}", k + 1), "workflow")? };
            if !replace {
                self.check_id_free(ArtifactKind::Workflow, &fid, true)?;
            }
            // A call to a URL under one of the project's sources (same auth) uses that source.
            for step in imported.bundle.workflow.steps.values_mut() {
                let Step::ApiCall(a) = step else { continue };
                let Some(own) = imported.sources.get(&a.source) else { continue };
                let url = format!("{}{}", own.base_url, a.path);
                let under = project
                    .sources
                    .iter()
                    .filter(|(_, s)| s.auth == own.auth && url.starts_with(s.base_url.trim_end_matches('/')))
                    .max_by_key(|(_, s)| s.base_url.len());
                if let Some((id, s)) = under {
                    let rest = &url[s.base_url.trim_end_matches('/').len()..];
                    if rest.is_empty() || rest.starts_with(['/', '?']) {
                        a.path = if rest.starts_with('/') { rest.to_owned() } else { format!("/{rest}") };
                        a.source = id.clone();
                    }
                }
            }
            let used: BTreeSet<Id> = imported
                .bundle
                .workflow
                .steps
                .values()
                .filter_map(|s| if let Step::ApiCall(a) = s { Some(a.source.clone()) } else { None })
                .collect();
            imported.sources.retain(|id, _| used.contains(id));
            // A source of the same id and origin is shared; another origin gets an id of its own.
            for (sid, source) in std::mem::take(&mut imported.sources) {
                // The project's own source for the same origin and auth serves.
                let same =
                    project.sources.iter().find(|(_, s)| s.base_url == source.base_url && s.auth == source.auth).map(|(id, _)| id.clone());
                let mut target = same.unwrap_or_else(|| sid.clone());
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
                    // A secret the source names is declared, so that `validate` asks for it by name.
                    if let Some(secret) = source.auth.secret() {
                        let kind = match &source.auth {
                            Auth::Bearer { .. } => SecretKind::Token,
                            Auth::Basic { .. } => SecretKind::Password,
                            _ => SecretKind::ApiKey,
                        };
                        declare_secret(&mut project, secret, kind, format!("Used by sources/{target}.json (imported)."));
                    }
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

/// Declares `secret` in `secrets.required.json` (made when missing), so that
/// `validate` and Permissions ask for it by name; an existing entry is kept.
pub(crate) fn declare_secret(
    project: &mut atelier_model::project::Project,
    secret: &atelier_model::id::SecretName,
    kind: SecretKind,
    description: String,
) {
    let declared = project.secrets.get_or_insert_with(SecretsRequired::default);
    if declared.schema.is_none() {
        declared.schema = Some(atelier_model::schema::url(atelier_model::schema::SECRETS));
    }
    declared.secrets.entry(secret.clone()).or_insert(SecretSpec { kind, description });
}
