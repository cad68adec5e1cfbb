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

/// Keeps watching until dropped.
pub struct LiveWatcher {
    _watcher: notify::RecommendedWatcher,
}

/// The folder of the index and the daemon's cookies, watched (not below).
pub const CACHE_DIR: &str = ".atelier";

/// Calls `on_seen` for every change to the project's design files as soon
/// as it is read, without debouncing: a process that answers from what it
/// read (and trusts the watch in between) must see every change first.
///
/// Watched: the root and `.atelier/` (their own entries), and each design
/// folder with everything below it; not `.git/` nor any other folder. Links
/// are not followed, so a project that has any in its design folders is
/// refused: what they point to could change unseen. So is a file system
/// whose changes may come from elsewhere (NFS, SMB, FUSE).
pub fn watch_live(root: &Path, on_seen: impl Fn(Seen) + Send + 'static) -> Result<LiveWatcher, StoreError> {
    use notify::Watcher;
    let root = root.canonicalize().map_err(StoreError::io("watch", root))?;
    let refuse = |reason: String| StoreError::Watch { root: root.clone(), reason };
    if !local_file_system(&root) {
        return Err(refuse("it is on a network or FUSE file system, whose changes may not be reported".into()));
    }
    let kinds: Vec<&str> = atelier_model::ArtifactKind::ALL.iter().map(|k| k.dir()).collect();
    for kind in &kinds {
        if let Some(link) = first_link(&root.join(kind)) {
            return Err(refuse(format!("{} is a link, and what it points to could change unseen", link.display())));
        }
    }
    std::fs::create_dir_all(root.join(CACHE_DIR)).map_err(StoreError::io("watch", &root))?;
    let base = root.clone();
    let design: Vec<String> = kinds.iter().map(|k| (*k).to_owned()).collect();
    let handler = move |result: notify::Result<notify::Event>| {
        use notify::event::{CreateKind, ModifyKind, RemoveKind};
        use notify::EventKind;
        let e = match result {
            Ok(e) if !e.need_rescan() => e,
            _ => return on_seen(Seen::Lost),
        };
        if matches!(e.kind, EventKind::Access(_)) {
            return;
        }
        let paths: Vec<String> =
            e.paths.iter().filter_map(|p| p.strip_prefix(&base).ok()).map(|p| p.to_string_lossy().replace('\\', "/")).collect();
        let renamed_folder = matches!(e.kind, EventKind::Modify(ModifyKind::Name(_))) && e.paths.iter().any(|p| p.is_dir());
        let new_link = matches!(e.kind, EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_)))
            && e.paths.iter().any(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()));
        // A design folder made or removed at the root: watched only when the watch is made again.
        let design_folder = matches!(
            e.kind,
            EventKind::Create(CreateKind::Folder | CreateKind::Any)
                | EventKind::Remove(RemoveKind::Folder | RemoveKind::Any)
                | EventKind::Modify(ModifyKind::Name(_))
        ) && paths.iter().any(|p| design.contains(p));
        if renamed_folder || new_link || design_folder {
            on_seen(Seen::Lost);
        } else {
            on_seen(Seen::Paths(paths));
        }
    };
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = notify::RecommendedWatcher::new(handler, config).map_err(|e| refuse(e.to_string()))?;
    watcher.watch(&root, RecursiveMode::NonRecursive).map_err(|e| refuse(e.to_string()))?;
    watcher.watch(&root.join(CACHE_DIR), RecursiveMode::NonRecursive).map_err(|e| refuse(e.to_string()))?;
    for kind in &kinds {
        let dir = root.join(kind);
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive).map_err(|e| refuse(e.to_string()))?;
        }
    }
    Ok(LiveWatcher { _watcher: watcher })
}

/// The first link at or below `dir`, if any (entries' own types: no stat per file).
fn first_link(dir: &Path) -> Option<std::path::PathBuf> {
    let meta = std::fs::symlink_metadata(dir).ok()?;
    if meta.file_type().is_symlink() {
        return Some(dir.to_owned());
    }
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(list) = std::fs::read_dir(&d) else { continue };
        for entry in list.flatten() {
            match entry.file_type() {
                Ok(t) if t.is_symlink() => return Some(entry.path()),
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                _ => {}
            }
        }
    }
    None
}

/// Whether `path` is on a local file system, whose every change the kernel reports.
fn local_file_system(path: &Path) -> bool {
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
