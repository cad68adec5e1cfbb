//! Keeping the cache tables in step with the files, artifact by artifact.

use std::collections::{BTreeMap, BTreeSet};

use atelier_model::address::Address;
use atelier_model::assemble::artifact_of;
use atelier_model::references::{elements, references};
use atelier_model::workflow::Trigger;
use atelier_model::Project;
use rusqlite::params;
use sha2::{Digest, Sha256};

use crate::{now_ms, Index, Result};

/// Each design file's size and modification time (ns), by project path, as
/// the store's cheap walk finds them: enough to tell a changed file.
pub type Stamps = BTreeMap<String, (u64, i64)>;

/// The address of what a file belongs to: its artifact, or `project` for the
/// manifest and the secrets list.
pub fn owner(path: &str) -> String {
    artifact_of(path).map_or_else(|| "project".to_owned(), |a| a.to_string())
}

/// One digest per artifact over the stamps of its files.
pub fn digests(stamps: &Stamps) -> BTreeMap<String, String> {
    let mut by: BTreeMap<String, Sha256> = BTreeMap::new();
    for (path, (size, mtime)) in stamps {
        let h = by.entry(owner(path)).or_default();
        h.update(path.as_bytes());
        h.update(size.to_le_bytes());
        h.update(mtime.to_le_bytes());
    }
    by.into_iter().map(|(a, h)| (a, format!("{:x}", h.finalize()))).collect()
}

/// What a sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Artifacts (re)indexed.
    pub updated: Vec<String>,
    /// Artifacts dropped from the index, their files gone.
    pub removed: Vec<String>,
}

impl SyncReport {
    pub fn is_empty(&self) -> bool {
        self.updated.is_empty() && self.removed.is_empty()
    }
}

/// The artifact an element's rows are filed under (secrets: the project).
fn artifact_key(a: &Address) -> String {
    a.artifact().map_or_else(|| "project".to_owned(), |x| x.to_string())
}

/// How the files differ from what the index holds, artifact by artifact.
#[derive(Debug, Clone, Default)]
pub struct Staleness {
    /// Artifacts whose files changed or are new.
    pub changed: BTreeSet<String>,
    /// Artifacts whose files are gone.
    pub removed: BTreeSet<String>,
    /// Every artifact's digest now, to record once it is indexed.
    digests: BTreeMap<String, String>,
}

impl Staleness {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

impl Index {
    /// The artifacts whose files differ from what the index holds.
    pub fn stale(&self, stamps: &Stamps) -> Result<(BTreeSet<String>, BTreeSet<String>)> {
        let s = self.staleness(stamps)?;
        Ok((s.changed, s.removed))
    }

    /// [`Index::stale`], with what [`Index::apply`] needs to bring the index up to date.
    pub fn staleness(&self, stamps: &Stamps) -> Result<Staleness> {
        let now = digests(stamps);
        let mut stmt = self.conn.prepare_cached("SELECT address, digest FROM artifacts").map_err(self.err())?;
        let stored: BTreeMap<String, String> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(self.err())?.collect::<rusqlite::Result<_>>().map_err(self.err())?;
        let changed = now.iter().filter(|(a, d)| stored.get(*a) != Some(d)).map(|(a, _)| a.clone()).collect();
        let removed = stored.keys().filter(|a| !now.contains_key(*a)).cloned().collect();
        Ok(Staleness { changed, removed, digests: now })
    }

    /// True when the index holds exactly these files.
    pub fn is_fresh(&self, stamps: &Stamps) -> Result<bool> {
        let (changed, removed) = self.stale(stamps)?;
        Ok(changed.is_empty() && removed.is_empty())
    }

    /// Brings the index in step with `project`, whose files had `stamps`
    /// (taken before the project was read, so a file changed meanwhile shows
    /// as stale next time). Only changed artifacts are rewritten. `origin`
    /// says who asked: `cli`, `app`, `watcher`.
    pub fn sync(&mut self, project: &Project, stamps: &Stamps, origin: &str) -> Result<SyncReport> {
        let staleness = self.staleness(stamps)?;
        self.apply(project, staleness, origin)
    }

    /// [`Index::sync`] with the staleness just found: `project` must have
    /// been read after the stamps it was found from were taken.
    pub fn apply(&mut self, project: &Project, staleness: Staleness, origin: &str) -> Result<SyncReport> {
        let Staleness { mut changed, removed, digests: digest } = staleness;
        if changed.is_empty() && removed.is_empty() {
            return Ok(SyncReport::default());
        }
        // A workflow's reads of its input depend on the form that starts it and that form's model.
        let touched: BTreeSet<String> = changed.iter().chain(&removed).cloned().collect();
        for (wid, b) in &project.workflows {
            let depends = b.workflow.triggers.iter().any(|t| match t {
                Trigger::FormSubmit { form } => {
                    touched.contains(&format!("forms/{form}"))
                        || project.forms.get(form).is_some_and(|f| touched.contains(&format!("models/{}", f.form.model)))
                }
                _ => false,
            });
            if depends {
                changed.insert(format!("workflows/{wid}"));
            }
        }
        if touched.contains("project") {
            changed.insert("project".to_owned());
        }
        let all_elements = elements(project);
        let all_refs = references(project);
        let err = crate::sql(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        {
            let mut del_elements = tx.prepare_cached("DELETE FROM elements WHERE artifact = ?1").map_err(&err)?;
            // A search row has its element's rowid (the search table's version 2): found
            // through the elements' index, where `artifact = ?` would read every row of it.
            let mut del_search =
                tx.prepare_cached("DELETE FROM search WHERE rowid IN (SELECT rowid FROM elements WHERE artifact = ?1)").map_err(&err)?;
            let mut del_refs = tx.prepare_cached("DELETE FROM refs WHERE artifact = ?1").map_err(&err)?;
            let mut del_artifact = tx.prepare_cached("DELETE FROM artifacts WHERE address = ?1").map_err(&err)?;
            for a in changed.iter().chain(&removed) {
                del_search.execute([a]).map_err(&err)?;
                del_elements.execute([a]).map_err(&err)?;
                del_refs.execute([a]).map_err(&err)?;
                del_artifact.execute([a]).map_err(&err)?;
            }
            // Addresses are unique by how they are made; should one come twice,
            // the first is kept, in both tables.
            let mut add_element = tx
                .prepare_cached("INSERT OR IGNORE INTO elements (address, artifact, kind, name) VALUES (?1, ?2, ?3, ?4)")
                .map_err(&err)?;
            let mut add_search = tx
                .prepare_cached(
                    "INSERT INTO search (rowid, address, artifact, kind, name, ident, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(&err)?;
            for e in &all_elements {
                let artifact = artifact_key(&e.address);
                if !changed.contains(&artifact) {
                    continue;
                }
                let address = e.address.to_string();
                let ident = address.replace(['/', '-', '_'], " ");
                if add_element.execute(params![address, artifact, e.address.kind(), e.name]).map_err(&err)? == 1 {
                    let rowid = tx.last_insert_rowid();
                    add_search.execute(params![rowid, address, artifact, e.address.kind(), e.name, ident, e.text]).map_err(&err)?;
                }
            }
            let mut add_ref = tx
                .prepare_cached("INSERT INTO refs (source, target, kind, in_code, artifact) VALUES (?1, ?2, ?3, ?4, ?5)")
                .map_err(&err)?;
            for r in &all_refs {
                let artifact = artifact_key(&r.from);
                if !changed.contains(&artifact) {
                    continue;
                }
                add_ref
                    .execute(params![r.from.to_string(), r.to.to_string(), r.kind.as_str(), r.kind.in_code(), artifact])
                    .map_err(&err)?;
            }
            let mut add_artifact = tx
                .prepare_cached("INSERT OR REPLACE INTO artifacts (address, digest, origin, indexed_at) VALUES (?1, ?2, ?3, ?4)")
                .map_err(&err)?;
            let at = now_ms();
            for a in &changed {
                // An artifact with no files (a dependent workflow just deleted) is not recorded.
                if let Some(d) = digest.get(a) {
                    add_artifact.execute(params![a, d, origin, at]).map_err(&err)?;
                }
            }
        }
        tx.commit().map_err(&err)?;
        Ok(SyncReport { updated: changed.into_iter().collect(), removed: removed.into_iter().collect() })
    }

    /// Empties the cache (history and audit stay): the next sync reads every artifact.
    pub fn clear_cache(&mut self) -> Result<()> {
        self.conn.execute_batch("DELETE FROM artifacts; DELETE FROM elements; DELETE FROM search; DELETE FROM refs").map_err(self.err())
    }
}
