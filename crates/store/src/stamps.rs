//! A cheap look at the design files: each one's size and modification time,
//! without reading it. Enough for the index to tell what changed since it last
//! read the project, in a fraction of the time a read takes.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

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
        let mut out = Stamps::new();
        for name in [MANIFEST_FILE, SECRETS_FILE] {
            if let Ok(m) = fs::metadata(self.root().join(name)) {
                out.insert(name.to_owned(), stamp(&m));
            }
        }
        let mut entries = 0usize;
        for kind in ArtifactKind::ALL {
            walk(&self.root().join(kind.dir()), kind.dir(), max_depth(kind.dir()), &mut out, &mut entries)?;
        }
        Ok(out)
    }
}

fn walk(dir: &Path, rel: &str, depth: usize, out: &mut Stamps, entries: &mut usize) -> Result<(), StoreError> {
    let Ok(list) = fs::read_dir(dir) else { return Ok(()) };
    for entry in list.flatten() {
        *entries += 1;
        if *entries > MAX_PROJECT_FILES {
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
        // The entry's own type and a stat relative to its directory: no path
        // lookup per file. Only a link is followed, as a read would.
        let Ok(kind) = entry.file_type() else { continue };
        let meta = if kind.is_symlink() { fs::metadata(entry.path()) } else { entry.metadata() };
        let Ok(meta) = meta else { continue };
        if meta.is_dir() {
            if depth > 1 {
                walk(&entry.path(), &child, depth - 1, out, entries)?;
            }
        } else {
            out.insert(child, stamp(&meta));
        }
    }
    Ok(())
}
