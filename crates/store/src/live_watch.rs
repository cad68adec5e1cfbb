//! The daemon's watch of a project: inotify itself, with only the events
//! that say a file changed. notify (behind the app's debounced watcher)
//! also asks for every open, so each file a tool such as `grep -r` reads
//! would cost the kernel an event, and the reader time.

use std::collections::HashMap;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask, Watches};

use crate::watch::{Seen, CACHE_DIR};
use crate::StoreError;

/// How often the reading thread looks whether the watch was dropped.
const POLL_MS: i32 = 200;

/// Keeps watching until dropped.
pub struct LiveWatcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for LiveWatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn changes() -> WatchMask {
    WatchMask::MODIFY
        | WatchMask::ATTRIB
        | WatchMask::CLOSE_WRITE
        | WatchMask::CREATE
        | WatchMask::DELETE
        | WatchMask::MOVED_FROM
        | WatchMask::MOVED_TO
        | WatchMask::DELETE_SELF
        | WatchMask::MOVE_SELF
        | WatchMask::DONT_FOLLOW
        | WatchMask::ONLYDIR
}

/// The most folders one project's watch takes from the user's inotify watches.
const MAX_WATCHES: usize = 50_000;

/// The watched folders: each watch's folder, project-relative.
struct Folders {
    root: PathBuf,
    watches: Watches,
    by_wd: HashMap<WatchDescriptor, String>,
}

/// How many levels of `rel` the walk over the files lists (as `stamps` walks:
/// a design folder's depth, less the levels below it); 0 for none, or for a
/// hidden name on the way.
fn levels(rel: &str) -> usize {
    let mut parts = rel.split('/');
    let top = parts.next().unwrap_or_default();
    let below: Vec<&str> = parts.collect();
    if below.iter().any(|p| p.starts_with('.')) {
        return 0;
    }
    crate::project_dir::max_depth(top).saturating_sub(below.len())
}

impl Folders {
    /// Watches the folder `rel` and, with `below`, each folder under it that
    /// the walk over the files lists. A link in a listed folder is an
    /// error: what it points to could change unseen.
    fn add(&mut self, rel: &str, below: bool) -> Result<(), String> {
        let mut stack = vec![rel.to_owned()];
        while let Some(dir) = stack.pop() {
            if self.by_wd.len() >= MAX_WATCHES {
                return Err(format!("the project has more than {MAX_WATCHES} folders to watch"));
            }
            let path = self.root.join(&dir);
            let wd = match self.watches.add(&path, changes()) {
                Ok(wd) => wd,
                // Gone again already: its removal is reported, and its unit looked at again.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir != rel => continue,
                Err(e) => return Err(format!("cannot watch {}: {e}", path.display())),
            };
            self.by_wd.insert(wd, dir.clone());
            if !below {
                continue;
            }
            let Ok(list) = std::fs::read_dir(&path) else { continue };
            let deeper = levels(&dir) > 1;
            for entry in list.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                match entry.file_type() {
                    Ok(t) if t.is_symlink() => {
                        return Err(format!("{} is a link, and what it points to could change unseen", entry.path().display()))
                    }
                    Ok(t) if t.is_dir() && deeper => stack.push(format!("{dir}/{name}")),
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// Calls `on_seen` with every change to the project's design files, as soon
/// as the kernel reports it, in order: a process that answers from what it
/// read (and trusts the watch in between) must see every change first.
///
/// Watched: the root and `.atelier/` (their own entries), and each design
/// folder with every folder below it; not `.git/` nor any other folder. A
/// project with links in its design folders is refused, and so is a file
/// system whose changes may come from elsewhere (NFS, SMB, FUSE).
pub fn watch_live(root: &Path, on_seen: impl Fn(Seen) + Send + 'static) -> Result<LiveWatcher, StoreError> {
    let root = root.canonicalize().map_err(StoreError::io("watch", root))?;
    let refuse = |reason: String| StoreError::Watch { root: root.clone(), reason };
    if !crate::watch::local_file_system(&root) {
        return Err(refuse("it is on a network or FUSE file system, whose changes may not be reported".into()));
    }
    for name in [atelier_model::project::MANIFEST_FILE, atelier_model::project::SECRETS_FILE, CACHE_DIR] {
        if std::fs::symlink_metadata(root.join(name)).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse(format!("{name} is a link, and what it points to could change unseen")));
        }
    }
    std::fs::create_dir_all(root.join(CACHE_DIR)).map_err(StoreError::io("watch", &root))?;
    let mut inotify = Inotify::init().map_err(|e| refuse(e.to_string()))?;
    let design: Vec<String> = atelier_model::ArtifactKind::ALL.iter().map(|k| k.dir().to_owned()).collect();
    let mut folders = Folders { root: root.clone(), watches: inotify.watches(), by_wd: HashMap::new() };
    folders.add("", false).map_err(&refuse)?;
    folders.add(CACHE_DIR, false).map_err(&refuse)?;
    for kind in &design {
        match std::fs::symlink_metadata(root.join(kind)) {
            Ok(m) if m.file_type().is_symlink() => return Err(refuse(format!("{kind} is a link"))),
            Ok(m) if m.is_dir() => folders.add(kind, true).map_err(&refuse)?,
            _ => {}
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let base = root.clone();
    let thread = std::thread::Builder::new()
        .name("atelier-watch".into())
        .spawn(move || {
            let mut buffer = vec![0u8; 64 * 1024];
            while !stopped.load(Ordering::SeqCst) {
                let mut poll = libc::pollfd { fd: inotify.as_raw_fd(), events: libc::POLLIN, revents: 0 };
                // SAFETY: one valid pollfd, for a descriptor `inotify` keeps open.
                if unsafe { libc::poll(&mut poll, 1, POLL_MS) } <= 0 {
                    continue;
                }
                let events = match inotify.read_events(&mut buffer) {
                    Ok(events) => events,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                    Err(_) => {
                        on_seen(Seen::Lost);
                        return;
                    }
                };
                let mut paths = Vec::new();
                let mut lost = false;
                for e in events {
                    if e.mask.contains(EventMask::Q_OVERFLOW) {
                        lost = true;
                        continue;
                    }
                    let Some(dir) = folders.by_wd.get(&e.wd).cloned() else { continue };
                    if e.mask.contains(EventMask::IGNORED) {
                        folders.by_wd.remove(&e.wd);
                        lost |= dir.is_empty() || dir == CACHE_DIR || design.contains(&dir);
                        continue;
                    }
                    let rel = match e.name {
                        Some(n) if dir.is_empty() => n.to_string_lossy().into_owned(),
                        Some(n) => format!("{dir}/{}", n.to_string_lossy()),
                        None => dir.clone(),
                    };
                    let is_dir = e.mask.contains(EventMask::ISDIR);
                    // A design folder itself made, removed or moved: watched anew when the watch is made again.
                    let top = dir.is_empty() && design.contains(&rel);
                    // The root, `.atelier/` or a design folder itself gone (`git clean -fdx`, say).
                    let self_gone = e.mask.intersects(EventMask::DELETE_SELF | EventMask::MOVE_SELF)
                        && (dir.is_empty() || dir == CACHE_DIR || design.contains(&dir));
                    // Below a renamed folder, the folders' names here would be old.
                    let moved_folder = is_dir && e.mask.intersects(EventMask::MOVED_FROM | EventMask::MOVED_TO);
                    let link = e.mask.intersects(EventMask::CREATE | EventMask::MOVED_TO)
                        && std::fs::symlink_metadata(base.join(&rel)).is_ok_and(|m| m.file_type().is_symlink());
                    if top || self_gone || moved_folder || link {
                        lost = true;
                        continue;
                    }
                    // A new folder in a design folder: watched from now on, and
                    // reported, so that what was made in it before is looked at.
                    if is_dir
                        && e.mask.contains(EventMask::CREATE)
                        && design.iter().any(|d| rel.starts_with(&format!("{d}/")))
                        && levels(&rel) > 0
                        && folders.add(&rel, true).is_err()
                    {
                        lost = true;
                        continue;
                    }
                    paths.push(rel);
                }
                // Lost first: a cookie among these paths must not wake a command
                // that would then trust what this read says was missed.
                if lost {
                    on_seen(Seen::Lost);
                }
                if !paths.is_empty() {
                    on_seen(Seen::Paths(paths));
                }
            }
        })
        .map_err(|e| refuse(e.to_string()))?;
    Ok(LiveWatcher { stop, thread: Some(thread) })
}
