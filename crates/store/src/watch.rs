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
/// the kernel reported them, or that some changes may have been missed (or
/// can no longer be seen: a folder renamed, a link added, a design folder
/// created or removed); then the watch should be made again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Paths(Vec<String>),
    Lost,
}

pub use crate::live_watch::{watch_live, LiveWatcher};

/// The folder of the index and the daemon's cookies.
pub const CACHE_DIR: &str = ".atelier";

/// Whether `path` is on a local file system, whose every change the kernel reports.
pub(crate) fn local_file_system(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else { return false };
        // SAFETY: `c` is a valid C string and `fs` is valid for writes of a statfs.
        let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(c.as_ptr(), &mut fs) } != 0 {
            return false;
        }
        // ext2/3/4, XFS, Btrfs, tmpfs, overlayfs, ZFS, F2FS, bcachefs.
        const LOCAL: [i64; 8] = [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0x794C_7630, 0x2FC1_2FC1, 0xF2F5_2010, 0xCA45_1A4E];
        LOCAL.contains(&(fs.f_type as i64))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        false
    }
}
