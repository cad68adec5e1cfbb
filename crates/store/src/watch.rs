//! Watching a project's files (notify, debounced), so the app learns when a
//! `git pull` or an editor changes files underneath an open document.

use std::path::Path;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::StoreError;

/// Keeps watching until dropped.
pub struct ProjectWatcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

/// Calls `on_change` with the project-relative paths of design files that
/// changed, at most every `debounce`. `.git/`, `.atelier/` and temporary
/// files of atomic saves are left out.
pub fn watch(root: &Path, debounce: Duration, on_change: impl Fn(Vec<String>) + Send + 'static) -> Result<ProjectWatcher, StoreError> {
    let root = root.canonicalize().map_err(StoreError::io("watch", root))?;
    let base = root.clone();
    let mut debouncer = new_debouncer(debounce, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: Vec<String> = events
            .iter()
            // Reading files is not changing them: the app's own loads would
            // otherwise wake the watcher, which loads again, forever.
            .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
            .flat_map(|e| e.paths.iter())
            .filter_map(|p| p.strip_prefix(&base).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .filter(|p| {
                !(p.is_empty()
                    || p.starts_with(".git/")
                    || p == ".git"
                    || p.starts_with(".atelier")
                    || p.split('/').any(|part| part.starts_with(".atelier-tmp-")))
            })
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            on_change(paths);
        }
    })
    .map_err(|e| StoreError::Watch { root: root.to_path_buf(), reason: e.to_string() })?;
    debouncer.watch(&root, RecursiveMode::Recursive).map_err(|e| StoreError::Watch { root: root.to_path_buf(), reason: e.to_string() })?;
    Ok(ProjectWatcher { _debouncer: debouncer })
}
