//! Tauri commands for working with others (branches, merges, remotes,
//! conflicts, compare), and the watcher that tells the UI when files change
//! underneath it. One-line adapters over `atelier_api`, like commands.rs.

use atelier_api::{ApiResult, BranchesView, CompareView, Conflict, MergeReport};
use serde::Serialize;
use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::commands::{with, AppState};

#[tauri::command]
pub async fn branches(state: State<'_, AppState>) -> ApiResult<BranchesView> {
    with(&state, |p| p.branches())
}

#[tauri::command]
pub async fn create_branch(state: State<'_, AppState>, name: String) -> ApiResult<()> {
    with(&state, |p| p.create_branch(&name, true))
}

#[tauri::command]
pub async fn switch_branch(state: State<'_, AppState>, name: String) -> ApiResult<()> {
    with(&state, |p| p.switch_branch(&name))
}

#[tauri::command]
pub async fn delete_branch(state: State<'_, AppState>, name: String) -> ApiResult<()> {
    with(&state, |p| p.delete_branch(&name))
}

#[tauri::command]
pub async fn merge_branch(state: State<'_, AppState>, name: String) -> ApiResult<MergeReport> {
    with(&state, |p| p.merge_branch(&name))
}

#[tauri::command]
pub async fn abort_merge(state: State<'_, AppState>) -> ApiResult<()> {
    with(&state, |p| p.abort_merge())
}

#[tauri::command]
pub async fn set_remote(state: State<'_, AppState>, name: String, url: String) -> ApiResult<()> {
    with(&state, |p| p.set_remote(&name, &url))
}

/// Pulls on a worker thread; progress is emitted as `git-progress`.
#[tauri::command]
pub async fn pull(app: AppHandle, remote: String) -> ApiResult<MergeReport> {
    blocking(app, move |handle, state| with(&state, |p| p.pull(&remote, &mut |pr| drop(handle.emit("git-progress", pr))))).await
}

#[tauri::command]
pub async fn push(app: AppHandle, remote: String) -> ApiResult<()> {
    blocking(app, move |handle, state| with(&state, |p| p.push(&remote, &mut |pr| drop(handle.emit("git-progress", pr))))).await
}

async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppHandle, State<AppState>) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app, app.state::<AppState>()))
        .await
        .map_err(|e| atelier_api::ApiError::new(atelier_api::ErrorCode::Internal, format!("the git operation stopped: {e}")))?
}

#[tauri::command]
pub async fn conflicts(state: State<'_, AppState>) -> ApiResult<Vec<Conflict>> {
    with(&state, |p| p.conflicts())
}

#[tauri::command]
pub async fn resolve_conflict(state: State<'_, AppState>, file: String, pointer: String, value: Value) -> ApiResult<Vec<Conflict>> {
    with(&state, |p| p.resolve_conflict(&file, &pointer, value))
}

#[tauri::command]
pub async fn compare(state: State<'_, AppState>, from: String, to: Option<String>, workflow: String) -> ApiResult<CompareView> {
    with(&state, |p| p.compare(&from, to.as_deref(), &workflow))
}

/// What the UI hears when files change underneath it.
#[derive(Debug, Clone, Serialize)]
pub struct FilesChanged {
    pub files: Vec<String>,
}

/// Watches the open project; changes that are not the app's own are emitted as `files-changed`.
pub fn watch(app: &AppHandle, root: &std::path::Path) -> Option<atelier_store::watch::ProjectWatcher> {
    let handle = app.clone();
    let watcher = atelier_store::watch::watch(root, std::time::Duration::from_millis(250), move |_paths| {
        let state = handle.state::<AppState>();
        let Ok(mut files) = with(&state, |p| p.changes_on_disk()) else { return };
        // A file caught half-written (a `git pull`, an editor that writes in
        // place) reads as broken JSON: look again once it has settled.
        let half_written = with(&state, |p| Ok(p.half_written(&files)));
        if half_written.unwrap_or(false) {
            std::thread::sleep(std::time::Duration::from_millis(300));
            if let Ok(more) = with(&state, |p| p.changes_on_disk()) {
                files.extend(more);
                files.sort();
                files.dedup();
            }
        }
        if !files.is_empty() {
            let _ = handle.emit("files-changed", FilesChanged { files });
        }
    });
    match watcher {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("atelier: not watching {}: {e}", root.display());
            None
        }
    }
}
