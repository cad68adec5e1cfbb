//! A cheap look at the design files: each one's size and modification time,
//! without reading it. Enough for the index to tell what changed since it last
//! read the project, in a fraction of the time a read takes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use atelier_model::project::{MANIFEST_FILE, SECRETS_FILE};
use atelier_model::ArtifactKind;

use crate::project_dir::{max_depth, MAX_PROJECT_FILES};
use crate::{ProjectDir, StoreError};

/// Size and modification time (ns since the epoch) by project path.
pub type Stamps = BTreeMap<String, (u64, i64)>;

fn stamp(meta: &fs::Metadata) -> (u64, i64) {
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as i64);
    (meta.len(), mtime)
}

impl ProjectDir {
    /// The stamps of the files a [`ProjectDir::load`] would read (the same
    /// directories, depths and hidden-file rule; links followed).
    pub fn stamps(&self) -> Result<Stamps, StoreError> {
        Ok(self.stamps_counted()?.0)
    }

    /// [`ProjectDir::stamps`], and how many entries the walk listed (what
    /// its limit counts: files, folders and hidden names).
    pub fn stamps_counted(&self) -> Result<(Stamps, usize), StoreError> {
        let mut out = Stamps::new();
        for name in [MANIFEST_FILE, SECRETS_FILE] {
            if let Ok(m) = fs::metadata(self.root().join(name)) {
                out.insert(name.to_owned(), stamp(&m));
            }
        }
        let entries = AtomicUsize::new(0);
        // The first level here; each directory below it (a workflow's, a
        // form's) is a task. The walk is system calls, a stat per file, and
        // those run side by side on as many threads as there are cores.
        let mut tasks = Vec::new();
        for kind in ArtifactKind::ALL {
            walk(&self.root().join(kind.dir()), kind.dir(), max_depth(kind.dir()), &mut out, &entries, &mut |task| tasks.push(task))?;
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(tasks.len().max(1));
        let next = AtomicUsize::new(0);
        let parts: Vec<Result<Stamps, StoreError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Stamps::new();
                        loop {
                            let Some((dir, rel, depth)) = tasks.get(next.fetch_add(1, Ordering::Relaxed)) else { return Ok(mine) };
                            // Deeper directories (a workflow's steps/) are walked by the same thread.
                            walk_all(dir, rel, *depth, &mut mine, &entries)?;
                        }
                    })
                })
                .collect();
            // A walker that panicked is a bug: it panics here too.
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        for part in parts {
            out.extend(part?);
        }
        Ok((out, entries.into_inner()))
    }
}

impl ProjectDir {
    /// Brings `stamps`, taken by [`ProjectDir::stamps_counted`] earlier, up
    /// to date after the files at `changed` (project paths a watch reported)
    /// changed, looking again only where they are: each changed path's
    /// artifact directory or file is walked again as the whole walk would.
    /// `entries` starts as the whole walk's count and grows by what each
    /// update lists (never shrinks): once it could pass the whole walk's
    /// limit, the whole walk runs instead, and says so as it would.
    pub fn restamp(
        &self,
        stamps: &mut Stamps,
        entries: &mut usize,
        changed: &std::collections::BTreeSet<String>,
    ) -> Result<(), StoreError> {
        if changed.iter().any(|p| p.is_empty()) || *entries > MAX_PROJECT_FILES {
            (*stamps, *entries) = self.stamps_counted()?;
            return Ok(());
        }
        // What to look at again: a top-level file, a whole kind's directory,
        // or one entry of it (an artifact's file or directory).
        let mut units = std::collections::BTreeSet::new();
        for p in changed {
            let mut parts = p.splitn(3, '/');
            let (top, second) = (parts.next().unwrap_or_default(), parts.next());
            if top == MANIFEST_FILE || top == SECRETS_FILE {
                units.insert(top.to_owned());
            } else if ArtifactKind::ALL.iter().any(|k| k.dir() == top) {
                units.insert(second.map_or_else(|| top.to_owned(), |s| format!("{top}/{s}")));
            }
        }
        let listed = AtomicUsize::new(0);
        for unit in &units {
            let prefix = format!("{unit}/");
            stamps.retain(|k, _| k != unit && !k.starts_with(&prefix));
            let path = self.root().join(unit);
            let Some((top, name)) = unit.split_once('/') else {
                if unit == MANIFEST_FILE || unit == SECRETS_FILE {
                    if let Ok(m) = fs::metadata(&path) {
                        stamps.insert(unit.clone(), stamp(&m));
                    }
                } else {
                    walk_all(&path, unit, max_depth(unit), stamps, &listed)?;
                }
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            match fs::metadata(&path) {
                Ok(m) if m.is_dir() => {
                    if max_depth(top) > 1 {
                        walk_all(&path, unit, max_depth(top) - 1, stamps, &listed)?;
                    }
                }
                Ok(m) => {
                    stamps.insert(unit.clone(), stamp(&m));
                }
                Err(_) => {}
            }
        }
        *entries += listed.into_inner() + units.len();
        if *entries > MAX_PROJECT_FILES {
            (*stamps, *entries) = self.stamps_counted()?;
        }
        Ok(())
    }
}

/// Every file below `dir`, in its subdirectories too (within `depth`), on this thread.
fn walk_all(dir: &Path, rel: &str, depth: usize, out: &mut Stamps, entries: &AtomicUsize) -> Result<(), StoreError> {
    let mut below = Vec::new();
    walk(dir, rel, depth, out, entries, &mut |task| below.push(task))?;
    for (d, r, n) in below {
        walk_all(&d, &r, n, out, entries)?;
    }
    Ok(())
}

/// The files of `dir` into `out`; each directory in it (within `depth`) goes to `below`.
fn walk(
    dir: &Path,
    rel: &str,
    depth: usize,
    out: &mut Stamps,
    entries: &AtomicUsize,
    below: &mut dyn FnMut((PathBuf, String, usize)),
) -> Result<(), StoreError> {
    let Ok(list) = fs::read_dir(dir) else { return Ok(()) };
    for entry in list.flatten() {
        if entries.fetch_add(1, Ordering::Relaxed) >= MAX_PROJECT_FILES {
            return Err(StoreError::TooLarge(format!(
                "the project has more than {MAX_PROJECT_FILES} entries; Atelier reads at most that many"
            )));
        }
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let child = format!("{rel}/{name}");
        // The entry's own type (from the directory listing, so a directory
        // costs no stat) and a stat relative to its directory: no path lookup
        // per file. Only a link is followed, as a read would.
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if depth > 1 {
                below((entry.path(), child, depth - 1));
            }
            continue;
        }
        let meta = if kind.is_symlink() { fs::metadata(entry.path()) } else { entry.metadata() };
        let Ok(meta) = meta else { continue };
        if meta.is_dir() {
            if depth > 1 {
                below((entry.path(), child, depth - 1));
            }
        } else {
            out.insert(child, stamp(&meta));
        }
    }
    Ok(())
}
