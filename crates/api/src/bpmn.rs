//! Workflows to BPMN 2.0 for Camunda 8, for the version the project names.

use serde::Serialize;
use ts_rs::TS;

use crate::project::{parse_id, OpenProject};
use crate::{ApiError, ApiResult, ErrorCode};

/// A BPMN file and what it could not carry over exactly.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BpmnExport {
    pub workflow: String,
    /// The Camunda version it was written for (`8.8`).
    pub camunda_version: String,
    pub xml: String,
    pub notes: Vec<String>,
}

impl OpenProject {
    /// Workflow `id` as BPMN 2.0 with its diagram, for `version` or the project's Camunda version.
    pub fn export_bpmn(&self, id: &str, version: Option<&str>) -> ApiResult<BpmnExport> {
        let wid = parse_id(id, "workflow")?;
        let project = self.project();
        let Some(bundle) = project.workflows.get(&wid) else {
            return Err(ApiError::new(ErrorCode::NotFound, format!("there is no workflow `{wid}`")));
        };
        let version = version
            .map(str::to_owned)
            .or_else(|| project.manifest.settings.camunda_version.clone())
            .unwrap_or_else(|| atelier_interop::bpmn::DEFAULT_CAMUNDA_VERSION.to_owned());
        let valid = version.split_once('.').is_some_and(|(major, minor)| major == "8" && minor.parse::<u32>().is_ok_and(|m| m <= 20));
        if !valid {
            return Err(ApiError::new(ErrorCode::InvalidDesign, format!("`{version}` is not a Camunda 8 version such as 8.8")));
        }
        let exported = atelier_interop::bpmn::export(project, &wid, bundle, &version);
        Ok(BpmnExport { workflow: wid.to_string(), camunda_version: version, xml: exported.xml, notes: exported.notes })
    }
}
