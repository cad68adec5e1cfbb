//! What happened here: every preview run with its trace, and an audit log of
//! saves, commits, merges, pulls, pushes and runs. Both are kept across
//! rebuilds of the cache, for as many days as the retention setting says.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::Value;

use crate::{now_ms, Index, IndexError, Result};

/// How long runs and audit entries are kept unless set otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
/// The largest trace kept whole; a bigger one is kept as its summary.
pub const MAX_TRACE_BYTES: usize = 4 << 20;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRecord {
    pub workflow: String,
    pub started_at: i64,
    pub duration_ms: i64,
    /// `completed`, `rejected`, `failed`, `cancelled`...
    pub status: String,
    pub input: Value,
    pub output: Option<Value>,
    pub trace: Value,
    pub who: String,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    pub id: i64,
    pub workflow: String,
    pub started_at: i64,
    pub duration_ms: i64,
    pub status: String,
    pub who: String,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub who: String,
    /// `save`, `commit`, `merge`, `pull`, `push`, `run`, `rename`...
    pub action: String,
    /// What it acted on: an address, a branch, a remote.
    pub target: String,
    pub detail: String,
    pub origin: String,
}

impl Index {
    /// Keeps a run; returns its id.
    pub fn record_run(&mut self, run: &RunRecord) -> Result<i64> {
        let mut trace = run.trace.to_string();
        if trace.len() > MAX_TRACE_BYTES {
            trace = serde_json::json!({ "truncated": true, "bytes": trace.len() }).to_string();
        }
        let output = run.output.as_ref().map(|v| v.to_string());
        self.conn
            .execute(
                "INSERT INTO runs (workflow, started_at, duration_ms, status, input, output, trace, who, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![run.workflow, run.started_at, run.duration_ms, run.status, run.input.to_string(), output, trace, run.who, run.origin],
            )
            .map_err(self.err())?;
        let id = self.conn.last_insert_rowid();
        self.prune()?;
        Ok(id)
    }

    /// The latest runs, newest first, of one workflow or all.
    pub fn runs(&self, workflow: Option<&str>, limit: usize) -> Result<Vec<RunSummary>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, workflow, started_at, duration_ms, status, who, origin FROM runs
                 WHERE ?1 IS NULL OR workflow = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![workflow, limit as i64], |r| {
                Ok(RunSummary {
                    id: r.get(0)?,
                    workflow: r.get(1)?,
                    started_at: r.get(2)?,
                    duration_ms: r.get(3)?,
                    status: r.get(4)?,
                    who: r.get(5)?,
                    origin: r.get(6)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// One run, whole: its input, output and trace.
    pub fn run(&self, id: i64) -> Result<Option<RunRecord>> {
        let row = self
            .conn
            .query_row(
                "SELECT workflow, started_at, duration_ms, status, input, output, trace, who, origin FROM runs WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()
            .map_err(self.err())?;
        let Some((workflow, started_at, duration_ms, status, input, output, trace, who, origin)) = row else { return Ok(None) };
        let json = |s: &str| serde_json::from_str(s).unwrap_or(Value::Null);
        Ok(Some(RunRecord {
            workflow,
            started_at,
            duration_ms,
            status,
            input: json(&input),
            output: output.as_deref().map(json),
            trace: json(&trace),
            who,
            origin,
        }))
    }

    /// Writes one audit entry.
    pub fn audit(&mut self, who: &str, action: &str, target: &str, detail: &str, origin: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO audit (at, who, action, target, detail, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![now_ms(), who, action, target, detail, origin],
            )
            .map_err(self.err())?;
        self.prune()
    }

    /// The latest audit entries, newest first; `target` keeps those about one
    /// address or anything inside it.
    pub fn audit_entries(&self, target: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, at, who, action, target, detail, origin FROM audit
                 WHERE ?1 IS NULL OR target = ?1 OR substr(target, 1, length(?1) + 1) = ?1 || '/'
                 ORDER BY at DESC, id DESC LIMIT ?2",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![target, limit as i64], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    who: r.get(2)?,
                    action: r.get(3)?,
                    target: r.get(4)?,
                    detail: r.get(5)?,
                    origin: r.get(6)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// How many days runs and audit entries are kept.
    pub fn retention_days(&self) -> Result<u32> {
        let v: Option<String> =
            self.conn.query_row("SELECT value FROM meta WHERE key = 'retention_days'", [], |r| r.get(0)).optional().map_err(self.err())?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// Sets the retention (1 to 3650 days) and drops what is older.
    pub fn set_retention_days(&mut self, days: u32) -> Result<()> {
        if !(1..=3650).contains(&days) {
            return Err(IndexError::Query(format!("retention must be 1 to 3650 days, not {days}")));
        }
        self.conn
            .execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('retention_days', ?1)", [days.to_string()])
            .map_err(self.err())?;
        self.prune()
    }

    fn prune(&mut self) -> Result<()> {
        let cutoff = now_ms() - i64::from(self.retention_days()?) * 86_400_000;
        self.conn.execute("DELETE FROM runs WHERE started_at < ?1", [cutoff]).map_err(self.err())?;
        self.conn.execute("DELETE FROM audit WHERE at < ?1", [cutoff]).map_err(self.err())?;
        Ok(())
    }
}
