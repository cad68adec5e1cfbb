//! Tauri commands for finding your way: search, references, rename, run
//! history and audit. One-line adapters over `atelier_api::OpenProject`.

use atelier_api::{ApiResult, AuditRow, PastRun, References, RenameReport, RunEntry, SearchResult};
use tauri::State;

use crate::commands::{with, AppState};

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String, limit: usize) -> ApiResult<SearchResult> {
    with(&state, |p| p.search(&query, limit))
}

#[tauri::command]
pub async fn references(state: State<'_, AppState>, address: String) -> ApiResult<References> {
    with(&state, |p| p.references(&address))
}

#[tauri::command]
pub async fn rename(state: State<'_, AppState>, address: String, new_id: String, apply: bool, force: bool) -> ApiResult<RenameReport> {
    with(&state, |p| p.rename(&address, &new_id, apply, force))
}

#[tauri::command]
pub async fn runs(state: State<'_, AppState>, workflow: Option<String>, limit: usize) -> ApiResult<Vec<RunEntry>> {
    with(&state, |p| p.runs(workflow.as_deref(), limit))
}

#[tauri::command]
pub async fn past_run(state: State<'_, AppState>, id: i64) -> ApiResult<PastRun> {
    with(&state, |p| p.past_run(id))
}

#[tauri::command]
pub async fn audit_log(state: State<'_, AppState>, target: Option<String>, limit: usize) -> ApiResult<Vec<AuditRow>> {
    with(&state, |p| p.audit_log(target.as_deref(), limit))
}
