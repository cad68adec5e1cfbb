//! Finding your way: search, references and safe rename over the project's
//! index, and the run history and audit log kept beside it.

use std::sync::{Arc, Mutex};

use atelier_index::{AuditEntry, Hit, Index, Opened, Refs, RunSummary, Stamps, SyncReport};
use atelier_model::address::Address;
use atelier_model::rename::{rename, RenameError};
use atelier_model::{Id, Project};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::project::OpenProject;
use crate::{ApiError, ApiResult, ErrorCode};

/// The index, opened on first use and shared with previews (which record
/// their runs) and the background task that keeps it fresh.
pub(crate) type SharedIndex = Arc<Mutex<Option<Index>>>;

/// A watch of a project's files, as the index needs it.
pub trait FileWatch: Send + Sync {
    /// The project paths (files or directories) changed since the last
    /// call, every change made before this call included; None when the
    /// watch may have missed some.
    fn take_changes(&self) -> Option<std::collections::BTreeSet<String>>;
}

/// A watch, and the file stamps the index was last brought up to with it;
/// kept by whoever keeps the watch, across openings of the project.
pub struct WatchedFiles {
    watch: Box<dyn FileWatch>,
    stamps: Mutex<Option<LastUpdate>>,
}

/// What the index was last brought up to through a watch.
struct LastUpdate {
    stamps: Stamps,
    /// The entries the walk would count (an upper bound; see `restamp`).
    entries: usize,
    /// The index file (device, inode), and its data version after the update.
    file: Option<(u64, u64)>,
    written: i64,
}

impl WatchedFiles {
    pub fn new(watch: impl FileWatch + 'static) -> Arc<WatchedFiles> {
        Arc::new(WatchedFiles { watch: Box::new(watch), stamps: Mutex::new(None) })
    }
}

/// What a search found, and what the index had to catch up on first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchResult {
    pub hits: Vec<SearchHit>,
    /// Artifacts read again before the query because their files had changed.
    pub reindexed: usize,
    /// Set when the index had to be rebuilt, with why.
    #[ts(optional)]
    pub rebuilt: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchHit {
    pub address: String,
    pub kind: String,
    pub name: String,
    /// The matching text of its description, prompt or code, matched words between `\u0002` and `\u0003`; without marks when only its name or id matched.
    pub text: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RefEntry {
    pub address: String,
    pub kind: String,
    #[ts(optional)]
    pub name: Option<String>,
    /// Seen only in code: a rename leaves it for a person to change.
    pub in_code: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct References {
    pub address: String,
    #[ts(optional)]
    pub name: Option<String>,
    pub used_by: Vec<RefEntry>,
    pub uses: Vec<RefEntry>,
}

/// What a rename changes (or changed): files, references, and what a person must check.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RenameReport {
    pub from: String,
    pub to: String,
    /// Files written (or, for a dry run, to be written).
    pub written: Vec<String>,
    pub removed: Vec<String>,
    /// Structured references now naming the new id.
    pub references: usize,
    /// `file:line: text` of code and expressions that still name the old id.
    pub check_by_hand: Vec<String>,
    pub applied: bool,
    /// Why it was not applied: code or text still names the old id and `force` was not given.
    #[ts(optional)]
    pub refused: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RunEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub workflow: String,
    #[ts(type = "number")]
    pub started_at: i64,
    #[ts(type = "number")]
    pub duration_ms: i64,
    pub status: String,
    pub who: String,
    pub origin: String,
}

/// One past run, whole: what the canvas needs to show its trace again.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PastRun {
    pub summary: RunEntry,
    pub input: serde_json::Value,
    #[ts(optional)]
    pub output: Option<serde_json::Value>,
    pub trace: Vec<atelier_engine::TraceEvent>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditRow {
    #[ts(type = "number")]
    pub at: i64,
    pub who: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub origin: String,
}

fn index_error(e: atelier_index::IndexError) -> ApiError {
    ApiError::new(ErrorCode::Io, e.to_string())
}

fn parse_address(text: &str) -> ApiResult<Address> {
    text.parse::<Address>().map_err(|e| ApiError::new(ErrorCode::InvalidId, e.to_string()))
}

fn run_entry(r: RunSummary) -> RunEntry {
    RunEntry {
        id: r.id,
        workflow: r.workflow,
        started_at: r.started_at,
        duration_ms: r.duration_ms,
        status: r.status,
        who: r.who,
        origin: r.origin,
    }
}

/// Who is acting: the git author of the repository, else the login name.
pub(crate) fn who(root: &std::path::Path) -> String {
    atelier_store::git::author(root)
        .map(|(name, email)| format!("{name} <{email}>"))
        .unwrap_or_else(|_| std::env::var("USER").unwrap_or_else(|_| "someone".to_owned()))
}

/// Runs `f` on the index, opening it first if need be. Returns why it was
/// rebuilt, if it was.
pub(crate) fn with_index<T>(
    shared: &SharedIndex,
    root: &std::path::Path,
    f: impl FnOnce(&mut Index) -> ApiResult<T>,
) -> ApiResult<(T, Option<String>)> {
    let mut guard = shared.lock().unwrap_or_else(|p| p.into_inner());
    let mut rebuilt = None;
    if guard.is_none() {
        let (index, opened) = Index::open(root).map_err(index_error)?;
        if let Opened::Rebuilt { why, set_aside } = opened {
            rebuilt = Some(format!("{why}; the old file is kept as {}", set_aside.display()));
        }
        *guard = Some(index);
    }
    let index = guard.as_mut().expect("opened above");
    Ok((f(index)?, rebuilt))
}

impl OpenProject {
    /// Brings the index up to date with the files and returns how many
    /// artifacts it read again. Only changed artifacts are read; when the
    /// project in memory may be older than the files, they are read afresh.
    fn fresh_index(&self) -> ApiResult<(usize, Option<String>)> {
        // The app keeps its index fresh behind every read (saves, the watcher, git): a
        // palette searching on each keystroke need not look at every file each time.
        if let Some(task) = self.pending.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = task.join();
        }
        if let Some(watched) = &self.watched {
            return self.fresh_index_watched(watched);
        }
        let recent = |t: &Option<std::time::Instant>| t.is_some_and(|t| t.elapsed() < std::time::Duration::from_secs(5));
        if self.keep_index && recent(&self.verified.lock().unwrap_or_else(|p| p.into_inner())) {
            return Ok((0, None));
        }
        let stamps = self.dir.stamps()?;
        let (n, rebuilt) = self.sync_to(&stamps)?;
        *self.verified.lock().unwrap_or_else(|p| p.into_inner()) = Some(std::time::Instant::now());
        Ok((n, rebuilt))
    }

    /// The index file's device and inode, if it is there.
    fn index_file(&self) -> Option<(u64, u64)> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(self.dir.root().join(atelier_index::INDEX_FILE)).ok()?;
        Some((m.dev(), m.ino()))
    }

    /// Brings the index up to `stamps` (every file's, taken now): reads again what changed.
    fn sync_to(&self, stamps: &Stamps) -> ApiResult<(usize, Option<String>)> {
        let root = self.dir.root().to_owned();
        with_index(&self.index, &root, |index| {
            let staleness = index.staleness(stamps).map_err(index_error)?;
            if staleness.is_empty() {
                return Ok(0);
            }
            let project = self.read_for_index(stamps, &staleness.changed, &staleness.removed)?;
            Ok(index.apply(&project, staleness, self.origin).map_err(index_error)?.updated.len())
        })
    }

    /// [`Self::fresh_index`] with a watch: the stamps of the last update,
    /// taken again only where the watch saw changes; every file's when it
    /// lost track or no update was made yet.
    fn fresh_index_watched(&self, watched: &WatchedFiles) -> ApiResult<(usize, Option<String>)> {
        let mut last = watched.stamps.lock().unwrap_or_else(|p| p.into_inner());
        let changes = watched.watch.take_changes();
        // Until this update succeeds, the next one starts from every file.
        let previous = last.take();
        // Someone else wrote the index meanwhile (the app, another Atelier
        // that may have remade its tables), or it was removed: open it again
        // and compare every file with it.
        // A connection's data version moves only with other connections'
        // commits, so the one read before this update is the one to compare next time.
        let version = || with_index(&self.index, self.dir.root(), |index| index.data_version().map_err(index_error));
        let file = self.index_file();
        let (mut written, mut rebuilt) = version()?;
        let previous = previous.filter(|p| p.file == file && p.written == written);
        if previous.is_none() {
            *self.index.lock().unwrap_or_else(|p| p.into_inner()) = None;
            let (again, reopened) = version()?;
            (written, rebuilt) = (again, rebuilt.or(reopened));
        }
        let (stamps, entries) = match (changes, previous) {
            (Some(changed), Some(p)) if changed.is_empty() => {
                *last = Some(p);
                return Ok((0, rebuilt));
            }
            (Some(changed), Some(mut p)) => {
                self.dir.restamp(&mut p.stamps, &mut p.entries, &changed)?;
                (p.stamps, p.entries)
            }
            _ => self.dir.stamps_counted()?,
        };
        let (n, rebuilt_now) = self.sync_to(&stamps)?;
        *last = Some(LastUpdate { stamps, entries, file: self.index_file(), written });
        Ok((n, rebuilt.or(rebuilt_now)))
    }

    /// What the index needs read to catch up on `changed`: when only a few
    /// workflows, sources or policies changed, just their files (with the
    /// forms and models their references are resolved against); else the whole project.
    fn read_for_index(
        &self,
        stamps: &Stamps,
        changed: &std::collections::BTreeSet<String>,
        removed: &std::collections::BTreeSet<String>,
    ) -> ApiResult<Project> {
        const FEW: usize = 50;
        // A form or model that changed or went away changes what the workflows it starts read: all are read then.
        let local = changed.len() <= FEW
            && changed.iter().chain(removed).all(|a| ["workflows/", "sources/", "policies/"].iter().any(|k| a.starts_with(k)));
        if !local {
            return Ok(self.dir.load()?.project);
        }
        let mut files = atelier_store::Files::new();
        for path in stamps.keys() {
            let owner = atelier_index::owner(path);
            if changed.contains(&owner) || owner == "project" || owner.starts_with("forms/") || owner.starts_with("models/") {
                // A file that went away meanwhile is simply not there; the next search sees it.
                if let Ok(bytes) = self.dir.read_design_file(path) {
                    files.insert(path.clone(), bytes);
                }
            }
        }
        Ok(atelier_model::assemble(&files).project)
    }

    /// Keeps the index in step with `project`, just read with `stamps`, on a
    /// background thread: the caller does not wait for it. Only for an
    /// open app project (the CLI indexes when it searches).
    pub(crate) fn index_in_background(&self, project: Arc<atelier_model::Assembled>, stamps: Stamps, origin: &'static str) {
        if !self.keep_index {
            return;
        }
        let shared = self.index.clone();
        let root = self.dir.root().to_owned();
        // One update at a time, in order: an older read never lands after a newer one.
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(previous) = pending.take() {
            let _ = previous.join();
        }
        let task = std::thread::spawn(move || {
            let r = with_index(&shared, &root, |index| index.sync(&project.project, &stamps, origin).map_err(index_error));
            if let Err(e) = r {
                eprintln!("atelier: the index was not updated: {}", e.message);
            }
        });
        // A search waits for it, so it never answers from before a save.
        *pending = Some(task);
    }

    /// Brings the index up to date now and says what it did (for tests and benchmarks).
    pub fn sync_index(&self) -> ApiResult<SyncReport> {
        let stamps = self.dir.stamps()?;
        let root = self.dir.root().to_owned();
        Ok(with_index(&self.index, &root, |index| {
            let assembled = self.dir.load()?;
            index.sync(&assembled.project, &stamps, self.origin).map_err(index_error)
        })?
        .0)
    }

    /// The best matches of `query` over every element's name, id, description, prompt and code.
    pub fn search(&self, query: &str, limit: usize) -> ApiResult<SearchResult> {
        let (reindexed, rebuilt) = self.fresh_index()?;
        let (hits, _) = with_index(&self.index, self.dir.root(), |index| index.search(query, limit.clamp(1, 500)).map_err(index_error))?;
        let hits = hits.into_iter().map(|Hit { address, kind, name, text, .. }| SearchHit { address, kind, name, text }).collect();
        Ok(SearchResult { hits, reindexed, rebuilt })
    }

    /// Who uses the element at `address`, and what it uses.
    pub fn references(&self, address: &str) -> ApiResult<References> {
        let a = parse_address(address)?;
        self.fresh_index()?;
        let (refs, _) = with_index(&self.index, self.dir.root(), |index| index.refs(&a.to_string()).map_err(index_error))?;
        let Refs { address, name, used_by, uses } = refs;
        if name.is_none() && used_by.is_empty() && uses.is_empty() {
            return Err(ApiError::new(ErrorCode::NotFound, format!("{address} is not in the project")));
        }
        let entry = |r: atelier_index::RefRow| RefEntry { address: r.address, kind: r.kind, name: r.name, in_code: r.in_code };
        Ok(References { address, name, used_by: used_by.into_iter().map(entry).collect(), uses: uses.into_iter().map(entry).collect() })
    }

    /// Renames the element at `address` to `new_id`, with every structured
    /// reference to it. With `apply` false, only says what it would change.
    /// When code or text still names the old id, the rename is refused
    /// (with that list) unless `force` is set: the person checks it first.
    pub fn rename(&mut self, address: &str, new_id: &str, apply: bool, force: bool) -> ApiResult<RenameReport> {
        let a = parse_address(address)?;
        let new = Id::new(new_id).map_err(|e| ApiError::new(ErrorCode::InvalidId, format!("new id: {e}")))?;
        self.reload()?;
        let problems_before = self.problems().iter().filter(|p| p.is_error()).count();
        let renamed = rename(self.project(), &a, &new).map_err(|e| match e {
            RenameError::Missing(_) => ApiError::new(ErrorCode::NotFound, e.to_string()),
            _ => ApiError::new(ErrorCode::InvalidId, e.to_string()),
        })?;
        let (written, removed) = file_changes(self.project(), &renamed.project);
        let check_by_hand = renamed
            .check_by_hand
            .iter()
            .map(|m| if m.line > 0 { format!("{}:{}: {}", m.file, m.line, m.text) } else { format!("{}: {}", m.file, m.text) })
            .collect();
        let mut report = RenameReport {
            from: a.to_string(),
            to: renamed.to.to_string(),
            written,
            removed,
            references: renamed.references,
            check_by_hand,
            applied: false,
            refused: None,
        };
        if apply && !force && !report.check_by_hand.is_empty() {
            report.refused = Some(format!(
                "{} place(s) in code or text name `{}`, and a rename cannot change them safely",
                report.check_by_hand.len(),
                a.id()
            ));
            return Ok(report);
        }
        if apply {
            let problems_after =
                atelier_model::validate(&atelier_model::Assembled { project: renamed.project.clone(), ..self.assembled().clone() })
                    .iter()
                    .filter(|p| p.is_error())
                    .count();
            if problems_after > problems_before {
                return Err(ApiError::new(
                    ErrorCode::InvalidDesign,
                    format!("renaming {a} to {new} would leave {} more error(s); nothing was changed", problems_after - problems_before),
                ));
            }
            self.save_project(&renamed.project)?;
            report.applied = true;
            let detail = format!("to {}; {} reference(s)", report.to, report.references);
            self.audit("rename", &report.from, &detail);
        }
        Ok(report)
    }

    /// The latest preview runs, newest first, of one workflow or all.
    pub fn runs(&self, workflow: Option<&str>, limit: usize) -> ApiResult<Vec<RunEntry>> {
        let (rows, _) = with_index(&self.index, self.dir.root(), |index| index.runs(workflow, limit).map_err(index_error))?;
        Ok(rows.into_iter().map(run_entry).collect())
    }

    /// One past run with its trace, to show again on the canvas.
    pub fn past_run(&self, id: i64) -> ApiResult<PastRun> {
        let (run, _) = with_index(&self.index, self.dir.root(), |index| index.run(id).map_err(index_error))?;
        let r = run
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("run {id} is not in the history (it may be past the retention)")))?;
        let trace = serde_json::from_value(r.trace.clone()).unwrap_or_default();
        let summary = RunEntry {
            id,
            workflow: r.workflow,
            started_at: r.started_at,
            duration_ms: r.duration_ms,
            status: r.status,
            who: r.who,
            origin: r.origin,
        };
        Ok(PastRun { summary, input: r.input, output: r.output, trace })
    }

    /// The latest audit entries, newest first, about `target` (and what it holds) or everything.
    pub fn audit_log(&self, target: Option<&str>, limit: usize) -> ApiResult<Vec<AuditRow>> {
        let (rows, _) = with_index(&self.index, self.dir.root(), |index| index.audit_entries(target, limit).map_err(index_error))?;
        Ok(rows
            .into_iter()
            .map(|AuditEntry { at, who, action, target, detail, origin, .. }| AuditRow { at, who, action, target, detail, origin })
            .collect())
    }

    /// How many days runs and audit entries are kept; `set` changes it.
    pub fn retention_days(&self, set: Option<u32>) -> ApiResult<u32> {
        Ok(with_index(&self.index, self.dir.root(), |index| {
            if let Some(d) = set {
                index.set_retention_days(d).map_err(|e| ApiError::new(ErrorCode::InvalidDesign, e.to_string()))?;
            }
            index.retention_days().map_err(index_error)
        })?
        .0)
    }

    /// Writes an audit entry; a failure to write one is reported, never fatal to what was audited.
    pub(crate) fn audit(&self, action: &str, target: &str, detail: &str) {
        let who = who(self.dir.root());
        let origin = self.origin;
        if let Err(e) =
            with_index(&self.index, self.dir.root(), |index| index.audit(&who, action, target, detail, origin).map_err(index_error))
        {
            eprintln!("atelier: the audit log was not written: {}", e.message);
        }
    }
}

/// The files that differ between two projects: written (new or changed) and removed.
fn file_changes(before: &Project, after: &Project) -> (Vec<String>, Vec<String>) {
    let (a, b) = (before.files(), after.files());
    let written = b.iter().filter(|(k, v)| a.get(*k) != Some(v)).map(|(k, _)| k.clone()).collect();
    let removed = a.keys().filter(|k| !b.contains_key(*k)).cloned().collect();
    (written, removed)
}
