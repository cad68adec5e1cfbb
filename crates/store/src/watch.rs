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

/// What a live watch saw: the project-relative paths changed, in the order
/// the kernel reported them (`.git/` and `.atelier/` included), or that
/// some changes may have been missed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Paths(Vec<String>),
    Lost,
}

/// Keeps watching until dropped.
pub struct LiveWatcher {
    _watcher: notify::RecommendedWatcher,
}

/// Calls `on_seen` for every change under `root` as soon as it is read,
/// without debouncing: a process that answers from what it has read (and
/// trusts the watch in between) must see every change before it answers.
/// Reads are left out, as in [`watch`].
pub fn watch_live(root: &Path, on_seen: impl Fn(Seen) + Send + 'static) -> Result<LiveWatcher, StoreError> {
    use notify::Watcher;
    let root = root.canonicalize().map_err(StoreError::io("watch", root))?;
    let base = root.clone();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| match result {
        Ok(e) if e.need_rescan() => on_seen(Seen::Lost),
        Ok(e) if matches!(e.kind, notify::EventKind::Access(_)) => {}
        Ok(e) => {
            let paths: Vec<String> =
                e.paths.iter().filter_map(|p| p.strip_prefix(&base).ok()).map(|p| p.to_string_lossy().replace('\\', "/")).collect();
            on_seen(Seen::Paths(paths));
        }
        Err(_) => on_seen(Seen::Lost),
    })
    .map_err(|e| StoreError::Watch { root: root.to_path_buf(), reason: e.to_string() })?;
    watcher.watch(&root, RecursiveMode::Recursive).map_err(|e| StoreError::Watch { root: root.to_path_buf(), reason: e.to_string() })?;
    Ok(LiveWatcher { _watcher: watcher })
}
