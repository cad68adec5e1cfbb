//! Ranked full-text search and references, read from the index.

use rusqlite::params;
use serde::Serialize;

use crate::{Index, Result};

/// Marks around the matching words in [`Hit::text`].
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub address: String,
    pub kind: String,
    pub name: String,
    /// The matching text, its words marked with [`MARK_START`] and [`MARK_END`].
    pub text: String,
    /// Lower is better (SQLite's bm25).
    pub rank: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefRow {
    /// The other end of the reference.
    pub address: String,
    pub kind: String,
    /// Its name, when the index knows the element.
    pub name: Option<String>,
    /// Seen only in the text of code: a rename does not change it.
    pub in_code: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refs {
    pub address: String,
    pub name: Option<String>,
    /// Who uses it.
    pub used_by: Vec<RefRow>,
    /// What it uses.
    pub uses: Vec<RefRow>,
}

/// A person's words as an FTS5 query: every word must match, the last as a
/// prefix (they are still typing), and nothing they type is FTS syntax.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(16).map(|w| w.to_lowercase()).collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("\"{w}\"*") } else { format!("\"{w}\"") })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

impl Index {
    /// The best `limit` matches of `query` over names, ids, descriptions, prompts and code.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let Some(q) = fts_query(query) else { return Ok(Vec::new()) };
        // Names weigh most, then ids, then the rest.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT address, kind, name, snippet(search, 5, char(2), char(3), '…', 12), bm25(search, 0, 0, 0, 10.0, 5.0, 1.0) AS r
                 FROM search WHERE search MATCH ?1 ORDER BY r, address LIMIT ?2",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![q, limit as i64], |r| {
                Ok(Hit { address: r.get(0)?, kind: r.get(1)?, name: r.get(2)?, text: r.get(3)?, rank: r.get(4)? })
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }

    /// The element's name, when the index has it.
    pub fn name_of(&self, address: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn.query_row("SELECT name FROM elements WHERE address = ?1", [address], |r| r.get(0)).optional().map_err(self.err())
    }

    /// Who uses `address` and what it uses. An artifact's address covers what it holds.
    pub fn refs(&self, address: &str) -> Result<Refs> {
        let read = |sql: &str| -> Result<Vec<RefRow>> {
            let mut stmt = self.conn.prepare_cached(sql).map_err(self.err())?;
            let rows = stmt
                .query_map(params![address, format!("{}/%", address.replace('\\', "\\\\").replace('_', "\\_"))], |r| {
                    Ok(RefRow { address: r.get(0)?, kind: r.get(1)?, name: r.get(2)?, in_code: r.get(3)? })
                })
                .map_err(self.err())?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
        };
        // References inside one artifact (a step going to another step of it) are not its users.
        let used_by = read(
            "SELECT DISTINCT r.source, r.kind, e.name, r.in_code FROM refs r LEFT JOIN elements e ON e.address = r.source
             WHERE (r.target = ?1 OR r.target LIKE ?2 ESCAPE '\\') AND NOT (r.source = ?1 OR r.source LIKE ?2 ESCAPE '\\') ORDER BY r.source, r.kind",
        )?;
        let uses = read(
            "SELECT DISTINCT r.target, r.kind, e.name, r.in_code FROM refs r LEFT JOIN elements e ON e.address = r.target
             WHERE (r.source = ?1 OR r.source LIKE ?2 ESCAPE '\\') AND NOT (r.target = ?1 OR r.target LIKE ?2 ESCAPE '\\') ORDER BY r.target, r.kind",
        )?;
        Ok(Refs { address: address.to_owned(), name: self.name_of(address)?, used_by, uses })
    }

    /// How many elements the index holds (for reports and tests).
    pub fn element_count(&self) -> Result<usize> {
        self.conn.query_row("SELECT count(*) FROM elements", [], |r| r.get::<_, i64>(0)).map(|n| n as usize).map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn a_query_is_words_never_syntax() {
        assert_eq!(fts_query("fx rate").as_deref(), Some("\"fx\" \"rate\"*"));
        assert_eq!(fts_query("NEAR(\"a\" OR b) *").as_deref(), Some("\"near\" \"a\" \"or\" \"b\"*"));
        assert_eq!(fts_query("  -- ' \" "), None);
    }
}
