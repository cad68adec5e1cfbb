//! The index's tables. Each table owns its version and its migration: a
//! cache table of an older version is dropped and refilled from the files; a
//! kept table (run history, audit) is migrated step by step, never dropped.

use rusqlite::{params, Connection, OptionalExtension};

/// A table and how it comes to be.
pub struct Table {
    pub name: &'static str,
    pub version: i64,
    /// Cache tables are refilled from the files; kept ones hold history.
    pub kept: bool,
    /// Statements that create the table at `version`.
    pub create: &'static str,
    /// For kept tables: the statements that lift version `i + 1` to `i + 2`.
    pub migrations: &'static [&'static str],
}

pub const TABLES: &[Table] = &[
    Table {
        name: "artifacts",
        version: 1,
        kept: false,
        create: "CREATE TABLE artifacts (address TEXT PRIMARY KEY, digest TEXT NOT NULL, origin TEXT NOT NULL, indexed_at INTEGER NOT NULL)",
        migrations: &[],
    },
    Table {
        name: "elements",
        version: 1,
        kept: false,
        create: "CREATE TABLE elements (address TEXT PRIMARY KEY, artifact TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL);
                 CREATE INDEX elements_artifact ON elements(artifact)",
        migrations: &[],
    },
    Table {
        name: "search",
        version: 1,
        kept: false,
        // `ident` is the address with its separators as spaces, so ids are found by their words.
        create: "CREATE VIRTUAL TABLE search USING fts5(address UNINDEXED, artifact UNINDEXED, kind UNINDEXED, name, ident, body, tokenize = 'unicode61 remove_diacritics 2')",
        migrations: &[],
    },
    Table {
        name: "refs",
        version: 1,
        kept: false,
        create: "CREATE TABLE refs (source TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, in_code INTEGER NOT NULL, artifact TEXT NOT NULL);
                 CREATE INDEX refs_source ON refs(source);
                 CREATE INDEX refs_target ON refs(target);
                 CREATE INDEX refs_artifact ON refs(artifact)",
        migrations: &[],
    },
    Table {
        name: "runs",
        version: 1,
        kept: true,
        create: "CREATE TABLE runs (id INTEGER PRIMARY KEY, workflow TEXT NOT NULL, started_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL,
                   status TEXT NOT NULL, input TEXT NOT NULL, output TEXT, trace TEXT NOT NULL, who TEXT NOT NULL, origin TEXT NOT NULL);
                 CREATE INDEX runs_workflow ON runs(workflow, started_at)",
        migrations: &[],
    },
    Table {
        name: "audit",
        version: 1,
        kept: true,
        create: "CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
                   detail TEXT NOT NULL, origin TEXT NOT NULL);
                 CREATE INDEX audit_at ON audit(at)",
        migrations: &[],
    },
];

/// Brings every table to its version. Returns true when a cache table was
/// (re)created, so the caller knows the cache is empty and must be refilled.
pub fn migrate(conn: &Connection) -> rusqlite::Result<bool> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")?;
    let mut refill = false;
    for t in TABLES {
        let key = format!("table:{}", t.name);
        let have: Option<i64> = conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|v| v.parse().ok());
        match have {
            Some(v) if v == t.version => continue,
            Some(v) if t.kept && v < t.version => {
                for step in &t.migrations[(v as usize).saturating_sub(1)..(t.version as usize - 1)] {
                    conn.execute_batch(step)?;
                }
            }
            _ => {
                // Missing, newer than we know, or a cache table of another version: start it afresh.
                conn.execute_batch(&format!("DROP TABLE IF EXISTS {}", t.name))?;
                conn.execute_batch(t.create)?;
                if !t.kept {
                    refill = true;
                }
            }
        }
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![key, t.version.to_string()])?;
    }
    if refill {
        // A cache table was remade: every other cache table is refilled with it.
        for t in TABLES.iter().filter(|t| !t.kept) {
            conn.execute(&format!("DELETE FROM {}", t.name), [])?;
        }
    }
    Ok(refill)
}
