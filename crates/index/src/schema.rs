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
        // 2: each row's rowid is its element's.
        version: 2,
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
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<bool> {
    // All or nothing: a crash halfway never leaves digests that claim a cache that is not there.
    let tx = conn.transaction()?;
    let refill = migrate_in(&tx)?;
    tx.commit()?;
    Ok(refill)
}

fn migrate_in(conn: &Connection) -> rusqlite::Result<bool> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")?;
    let mut refill = false;
    for t in TABLES {
        let key = format!("table:{}", t.name);
        let raw: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| r.get::<_, String>(0)).optional()?;
        // A version that is not a number reads as 0: unknown, and refused below for a kept table.
        let have: Option<i64> = raw.map(|v| v.parse().unwrap_or(0));
        let exists: bool = conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = ?1", [t.name], |r| r.get::<_, i64>(0))? > 0;
        let have = if have.is_none() && exists && t.kept { Some(0) } else { have };
        match have {
            Some(v) if v == t.version => continue,
            Some(v) if t.kept && (1..t.version).contains(&v) && t.migrations.len() + 1 >= t.version as usize => {
                for step in &t.migrations[(v - 1) as usize..(t.version - 1) as usize] {
                    conn.execute_batch(step)?;
                }
            }
            // A kept table this build cannot read (a newer Atelier wrote it, or its version
            // is nonsense) is never dropped: the caller sets the whole file aside instead.
            Some(v) if t.kept => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
                    Some(format!("table `{}` is at version {v}; this Atelier reads version {}", t.name, t.version)),
                ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_tables_are_never_dropped_for_a_version_this_build_cannot_read() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert!(migrate(&mut conn).unwrap(), "a new index is empty");
        assert!(!migrate(&mut conn).unwrap(), "and then current");
        conn.execute("INSERT INTO runs (workflow, started_at, duration_ms, status, input, trace, who, origin) VALUES ('w', 1, 1, 'completed', '{}', '[]', 'a', 'cli')", []).unwrap();
        for version in ["99", "-1", "0", "x"] {
            conn.execute("UPDATE meta SET value = ?1 WHERE key = 'table:runs'", [version]).unwrap();
            assert!(migrate(&mut conn).is_err(), "version {version}");
            let kept: i64 = conn.query_row("SELECT count(*) FROM runs", [], |r| r.get(0)).unwrap();
            assert_eq!(kept, 1, "version {version}: the run history is still there");
        }
    }
}
