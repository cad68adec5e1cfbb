//! Tauri commands between Atelier and other tools: a workflow's picture and
//! BPMN (saved where the person chooses with the system's save dialog, the
//! content made here, never taken from the page), and imports of n8n,
//! Node-RED and BPMN workflows and OpenAPI sources from text the person gave.

use atelier_api::{ApiError, ApiResult, BpmnExport, ErrorCode, FlowFormat, SourceImportReport, WorkflowImportReport};
use tauri::{AppHandle, State};

use crate::commands::{with, AppState};

#[tauri::command]
pub async fn workflow_svg(state: State<'_, AppState>, id: String, from: Option<String>, to: Option<String>) -> ApiResult<String> {
    with(&state, |p| match from {
        Some(from) => p.compare_picture(&from, to.as_deref(), &id),
        None => p.render_workflow_svg(&id, None),
    })
}

#[tauri::command]
pub async fn workflow_bpmn(state: State<'_, AppState>, id: String) -> ApiResult<BpmnExport> {
    with(&state, |p| p.export_bpmn(&id, None))
}

/// Saves the workflow's picture (`svg`, between `from` and `to` when given)
/// or its BPMN (`bpmn`); the path the person chose, or none when cancelled.
#[tauri::command]
pub async fn save_workflow_export(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    format: String,
    from: Option<String>,
    to: Option<String>,
) -> ApiResult<Option<String>> {
    let (text, extension) = match format.as_str() {
        "svg" => (
            with(&state, |p| match &from {
                Some(from) => p.compare_picture(from, to.as_deref(), &id),
                None => p.render_workflow_svg(&id, None),
            })?,
            "svg",
        ),
        "bpmn" => (with(&state, |p| p.export_bpmn(&id, None))?.xml, "bpmn"),
        other => return Err(ApiError::new(ErrorCode::InvalidDesign, format!("`{other}` is not a format to save: svg or bpmn"))),
    };
    save_as(app, format!("{id}.{extension}"), text).await
}

#[tauri::command]
pub async fn load_source(state: State<'_, AppState>, id: String) -> ApiResult<atelier_model::source::Source> {
    with(&state, |p| p.source(&id))
}

/// Imports a workflow: `format` is `n8n`, `node-red` or `bpmn`.
#[tauri::command]
pub async fn import_workflow(
    state: State<'_, AppState>,
    text: String,
    format: String,
    id: String,
    replace: bool,
) -> ApiResult<WorkflowImportReport> {
    with(&state, |p| match format.as_str() {
        "n8n" => p.import_workflow(&text, FlowFormat::N8n, &id, replace),
        "node-red" => p.import_workflow(&text, FlowFormat::NodeRed, &id, replace),
        "bpmn" => p.import_bpmn(&text, &id, replace),
        other => Err(ApiError::new(
            ErrorCode::InvalidDesign,
            format!("`{other}` is not a format Atelier imports workflows from: n8n, node-red or bpmn"),
        )),
    })
}

#[tauri::command]
pub async fn import_openapi(state: State<'_, AppState>, text: String, id: String, replace: bool) -> ApiResult<SourceImportReport> {
    with(&state, |p| p.import_openapi(&text, &id, replace))
}

/// A workflow, model or form between two versions, as Compare marks it.
#[tauri::command]
pub async fn compare_picture(state: State<'_, AppState>, kind: String, id: String, from: String, to: Option<String>) -> ApiResult<String> {
    with(&state, |p| p.design_compare_picture(&kind, &from, to.as_deref(), &id))
}

/// Saves that picture where the person chooses; the path, or none when cancelled.
#[tauri::command]
pub async fn save_compare_picture(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: String,
    id: String,
    from: String,
    to: Option<String>,
) -> ApiResult<Option<String>> {
    let text = with(&state, |p| p.design_compare_picture(&kind, &from, to.as_deref(), &id))?;
    save_as(app, format!("{kind}-{id}.svg"), text).await
}

async fn save_as(app: AppHandle, name: String, text: String) -> ApiResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let picked =
        tauri::async_runtime::spawn_blocking(move || app.dialog().file().set_title("Save as").set_file_name(&name).blocking_save_file())
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the save dialog failed: {e}")))?;
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    std::fs::write(&path, text).map_err(|e| ApiError::new(ErrorCode::Io, format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}
