//! Tauri commands of the model, form and source designers: one-line adapters over
//! `atelier_api::OpenProject`, like the rest.

use atelier_api::{ApiResult, DiffReport, FormDoc, FormStateChange, ImportReport, ModelDoc, ModelFormat, SaveReport, SourceDoc, Usage};
use atelier_model::form_state::FormState;
use serde_json::Value;
use tauri::State;

use crate::commands::{with, AppState};

#[tauri::command]
pub async fn load_model(state: State<'_, AppState>, id: String) -> ApiResult<ModelDoc> {
    with(&state, |p| p.model(&id))
}

#[tauri::command]
pub async fn save_source(state: State<'_, AppState>, doc: SourceDoc) -> ApiResult<SaveReport> {
    with(&state, |p| p.save_source(doc))
}

#[tauri::command]
pub async fn new_source(state: State<'_, AppState>, id: String) -> ApiResult<SourceDoc> {
    with(&state, |p| p.new_source(&id))
}

#[tauri::command]
pub async fn save_model(state: State<'_, AppState>, doc: ModelDoc) -> ApiResult<SaveReport> {
    with(&state, |p| p.save_model(doc))
}

#[tauri::command]
pub async fn new_model(state: State<'_, AppState>, id: String, name: String) -> ApiResult<ModelDoc> {
    with(&state, |p| p.new_model(&id, &name))
}

#[tauri::command]
pub async fn usages(state: State<'_, AppState>, model: String, entity: String, field: Option<String>) -> ApiResult<Vec<Usage>> {
    with(&state, |p| p.usages(&model, &entity, field.as_deref()))
}

#[tauri::command]
pub async fn import_model(
    state: State<'_, AppState>,
    text: String,
    format: ModelFormat,
    id: String,
    dialect: Option<String>,
    replace: bool,
) -> ApiResult<ImportReport> {
    with(&state, |p| p.import_model(&text, format, &id, dialect.as_deref(), replace))
}

#[tauri::command]
pub async fn model_sql(state: State<'_, AppState>, id: String, dialect: Option<String>) -> ApiResult<String> {
    with(&state, |p| p.model_sql(&id, dialect.as_deref()))
}

#[tauri::command]
pub async fn model_schema(state: State<'_, AppState>, id: String, entity: Option<String>) -> ApiResult<Value> {
    with(&state, |p| p.model_schema(&id, entity.as_deref()))
}

#[tauri::command]
pub async fn load_form(state: State<'_, AppState>, id: String) -> ApiResult<FormDoc> {
    with(&state, |p| p.form(&id))
}

#[tauri::command]
pub async fn save_form(state: State<'_, AppState>, doc: FormDoc) -> ApiResult<SaveReport> {
    with(&state, |p| p.save_form(doc))
}

#[tauri::command]
pub async fn new_form(state: State<'_, AppState>, id: String, model: String, entity: Option<String>) -> ApiResult<FormDoc> {
    with(&state, |p| p.new_form(&id, &model, entity.as_deref()))
}

#[tauri::command]
pub async fn open_form_preview(state: State<'_, AppState>, doc: FormDoc, data: Value, language: Option<String>) -> ApiResult<FormState> {
    with(&state, |p| p.open_form_preview(doc, &data, language.as_deref()))
}

#[tauri::command]
pub async fn form_preview_input(state: State<'_, AppState>, data: Value, language: Option<String>) -> ApiResult<FormStateChange> {
    with(&state, |p| p.form_preview_input(&data, language.as_deref()))
}

/// The semantic diff between two versions (`to` absent: the working tree).
#[tauri::command]
pub async fn diff(state: State<'_, AppState>, from: String, to: Option<String>) -> ApiResult<DiffReport> {
    with(&state, |p| p.diff(&from, to.as_deref()))
}

#[tauri::command]
pub async fn workflows_started_by(state: State<'_, AppState>, form: String) -> ApiResult<Vec<String>> {
    with(&state, |p| p.workflows_started_by(&form))
}
