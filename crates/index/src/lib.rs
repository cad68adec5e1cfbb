//! `.atelier/index.sqlite`: a cache of the project's files for search and
//! references, plus the run history and audit log, which are kept across
//! rebuilds of the cache. The index never decides anything: a missing,
//! stale, corrupt or older index is rebuilt from the files, never a crash.

mod history;
mod schema;
mod search;
mod sync;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use history::{AuditEntry, RunRecord, RunSummary, DEFAULT_RETENTION_DAYS};
pub use search::{fts_query, Hit, RefRow, Refs, MARK_END, MARK_START};
pub use sync::{digests, owner, Staleness, Stamps, SyncReport};

/// Where the index lives in a project.
pub const INDEX_FILE: &str = ".atelier/index.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("the index {path}: {source}")]
    Sql { path: String, source: rusqlite::Error },
    #[error("the index {path}: {what}: {source}")]
    Io { path: String, what: &'static str, source: std::io::Error },
    #[error("{0}")]
    Query(String),
}

pub type Result<T> = std::result::Result<T, IndexError>;

/// How the index was found when it was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Opened as it was (possibly stale: [`Index::sync`] tells).
    Ready,
    /// Created, or a cache table was of another version: it fills on the first sync.
    Empty,
    /// The file could not be read as an index; it was set aside and a new one made.
    Rebuilt { why: String, set_aside: PathBuf },
}

pub struct Index {
    conn: Connection,
    path: PathBuf,
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> IndexError + '_ {
    move |source| IndexError::Sql { path: path.display().to_string(), source }
}

impl Index {
    /// Opens (or makes) the index of the project at `root`.
    pub fn open(root: &Path) -> Result<(Index, Opened)> {
        let path = root.join(INDEX_FILE);
        let dir = path.parent().expect("the index file has a directory");
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io { path: dir.display().to_string(), what: "create", source })?;
        ensure_ignored(dir);
        match Index::try_open(&path) {
            Ok(x) => Ok(x),
            Err(e) => {
                // Unreadable as an index (corrupt, truncated, not SQLite, locked by a broken
                // writer): keep the bytes for a person to look at and start afresh.
                let aside = path.with_extension("sqlite.corrupt");
                for suffix in ["", "-wal", "-shm"] {
                    let from = PathBuf::from(format!("{}{suffix}", path.display()));
                    let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                    let _ = std::fs::rename(&from, &to);
                }
                let (index, _) = Index::try_open(&path)?;
                Ok((index, Opened::Rebuilt { why: e.to_string(), set_aside: aside }))
            }
        }
    }

    fn try_open(path: &Path) -> Result<(Index, Opened)> {
        let existed = path.exists();
        let mut conn = Connection::open(path).map_err(sql(path))?;
        conn.busy_timeout(std::time::Duration::from_secs(3)).map_err(sql(path))?;
        // WAL: the app and a CLI in a terminal read while the other writes.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql(path))?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql(path))?;
        let refill = schema::migrate(&mut conn).map_err(sql(path))?;
        let opened = if !existed || refill { Opened::Empty } else { Opened::Ready };
        Ok((Index { conn, path: path.to_owned() }, opened))
    }

    /// SQLite's `data_version`: changes when another connection commits to this file.
    pub fn data_version(&self) -> Result<i64> {
        self.conn.pragma_query_value(None, "data_version", |r| r.get(0)).map_err(self.err())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> IndexError + '_ {
        sql(&self.path)
    }
}

/// `.atelier/` is the machine's own: a `.gitignore` inside keeps it out of commits.
fn ensure_ignored(dir: &Path) {
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(ignore, "# Atelier's local index and history: never committed.\n*\n");
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
