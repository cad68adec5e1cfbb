//! An open project: opening, reading and reloading it, what it is granted on
//! this machine, and what the explorer shows. The use cases on it are split
//! by concern: `workflows` (load and save), `history` (status, commit, log),
//! `preview` (runs and tests), `team`, `compare` and `design`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use atelier_engine::{WorkerCommand, WorkerPool};
use atelier_model::problem::ProblemCode;
use atelier_model::{schema, validate, ArtifactKind, Assembled, Id, Manifest, Problem, Project, Severity};
use atelier_store::{git, ProjectDir};
use serde::Serialize;
use ts_rs::TS;

use crate::grants::{effective_limits, LocalConfig, Permissions, ProjectGrants};
use crate::{ApiError, ApiResult, ErrorCode};

/// What the explorer shows of a project.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProjectInfo {
    pub root: String,
    pub name: String,
    pub workflows: Vec<ArtifactEntry>,
    pub forms: Vec<ArtifactEntry>,
    pub models: Vec<ArtifactEntry>,
    pub sources: Vec<ArtifactEntry>,
    pub problems: Vec<Problem>,
    /// The governance rules, with the files that break each one.
    pub rules: Vec<crate::governance::GovernanceRule>,
}

/// One artifact in the explorer, with its validation badge.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ArtifactEntry {
    pub id: String,
    pub name: String,
    pub errors: u32,
    pub warnings: u32,
}

/// An open project: its directory, what was loaded, the preview workers, and
/// what this machine grants it.
pub struct OpenProject {
    pub(crate) dir: ProjectDir,
    /// The design, read on first use: git-only use cases (status, log, diff,
    /// branches) never pay for reading every file. Shared with running
    /// previews, so that a preview never holds the project while it waits.
    pub(crate) assembled: OnceLock<Arc<Assembled>>,
    pub(crate) pool: Arc<WorkerPool>,
    pub(crate) config: LocalConfig,
    /// `.atelier/index.sqlite`, opened on first use.
    pub(crate) index: crate::find::SharedIndex,
    /// Who is asking, for the index and the audit log: `cli`, `app`.
    pub(crate) origin: &'static str,
    /// Keep the index fresh after every read of the project (the app); the
    /// CLI brings it up to date only when it searches.
    pub(crate) keep_index: bool,
    /// When the index was last checked against every file (the app skips checks for a few seconds).
    pub(crate) verified: std::sync::Mutex<Option<std::time::Instant>>,
    /// The background update of the index started by the last read, if it may still run.
    pub(crate) pending: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// A watch of the project's files that the index may trust instead of
    /// walking every file (`watch_index_with`).
    pub(crate) watched: Option<Arc<crate::find::WatchedFiles>>,
    /// Keep every preview in the run history (the app, `atelier run`; not `atelier test`).
    pub keep_history: bool,
    /// The form preview the app has open, if any.
    pub(crate) form_preview: Option<crate::form_preview::FormPreview>,
    /// Read for running some workflows only (`read_for_running`): the
    /// other workflows were not read, so nothing may be saved.
    pub(crate) partial: bool,
}

pub(crate) fn parse_id(s: &str, what: &str) -> ApiResult<Id> {
    Id::new(s).map_err(|e| ApiError::new(ErrorCode::InvalidId, format!("{what} id: {e}")))
}

impl OpenProject {
    /// Opens the project holding `path`, under this user's local settings.
    pub fn open(path: &Path, worker: WorkerCommand) -> ApiResult<OpenProject> {
        OpenProject::open_with(path, worker, LocalConfig::from_env())
    }

    /// Opens the project holding `path`, with grants and maxima from `config`.
    pub fn open_with(path: &Path, worker: WorkerCommand, config: LocalConfig) -> ApiResult<OpenProject> {
        let dir = ProjectDir::open(path)?;
        // Only the manifest now; the rest when a use case needs it. It is
        // read like every design file: a regular file, within the size limit.
        let bytes = dir.read_design_file(atelier_model::project::MANIFEST_FILE)?;
        let manifest = atelier_model::assemble(&BTreeMap::from([(atelier_model::project::MANIFEST_FILE.to_owned(), bytes)]));
        if !manifest.manifest_ok {
            let why = manifest.problems.iter().find(|p| p.file == atelier_model::project::MANIFEST_FILE).cloned();
            return Err(match why {
                Some(p) => p.into(),
                None => ApiError::new(ErrorCode::InvalidDesign, "atelier.json cannot be read"),
            });
        }
        let max = config.machine()?.max_limits;
        let pool = Arc::new(WorkerPool::new(worker, effective_limits(&manifest.project, &max)));
        Ok(OpenProject {
            dir,
            assembled: OnceLock::new(),
            pool,
            config,
            index: Default::default(),
            origin: "cli",
            keep_index: false,
            keep_history: false,
            verified: Default::default(),
            pending: Default::default(),
            watched: None,
            form_preview: None,
            partial: false,
        })
    }

    /// What the project asks of this machine (live hosts, secrets, limits)
    /// and what it is granted.
    pub fn permissions(&self) -> ApiResult<Permissions> {
        crate::grants::permissions(&self.config, self.dir.root(), self.project())
    }

    /// What this machine grants the project, as kept (without this command's flags).
    pub fn grants(&self) -> ApiResult<ProjectGrants> {
        self.config.grants(self.dir.root())
    }

    /// Grants the project live hosts and secret mappings on this machine
    /// (kept in the user's config directory, never in the project).
    pub fn set_grants(&mut self, grants: ProjectGrants) -> ApiResult<Permissions> {
        self.config.set_grants(self.dir.root(), &grants)?;
        self.permissions()
    }

    /// Adds grants for this process only (`--allow-live`, `--secret`).
    pub fn grant_for_now(&mut self, live_hosts: Vec<String>, secrets: BTreeMap<String, String>) {
        self.config.extra_live_hosts.extend(live_hosts);
        self.config.extra_secrets.extend(secrets);
    }

    /// Creates a project (empty, or the example) in `path` with its git
    /// repository, and opens it. The git drivers call `worker.program` (the
    /// app or CLI binary, which also serves `merge-driver` and `textconv`).
    pub fn create(path: &Path, name: Option<String>, example: bool, worker: WorkerCommand) -> ApiResult<OpenProject> {
        let root = create_project(path, name, example)?;
        git::configure_drivers(&root, &worker.program)?;
        OpenProject::open(&root, worker)
    }

    pub fn root(&self) -> &Path {
        self.dir.root()
    }

    /// The sandbox limits its previews run under (the project's, within this machine's maxima).
    pub fn sandbox_limits(&self) -> atelier_engine::SandboxLimits {
        self.pool.limits()
    }

    /// Runs previews on `pool` (of the same limits) instead of its own: a
    /// process that outlives one command keeps its workers warm between them.
    pub fn use_workers(&mut self, pool: Arc<WorkerPool>) {
        debug_assert_eq!(pool.limits(), self.pool.limits());
        self.pool = pool;
    }

    /// Why the design cannot be read, reading it if not read yet (the folder went
    /// away, too many files, a file system error): a process that keeps
    /// projects between commands does not keep this one.
    pub fn read_error(&self) -> Option<String> {
        let a = Some(self.assembled()).filter(|a| !a.manifest_ok)?;
        Some(a.problems.first().map_or_else(|| "the project could not be read".to_owned(), |p| p.message.clone()))
    }

    /// Uses the index connection of `other`, an earlier opening of the same
    /// project: what it knows about the files stays known.
    pub fn share_index_with(&mut self, other: &OpenProject) {
        debug_assert_eq!(self.root(), other.root());
        self.index = other.index.clone();
    }

    /// Brings the index up to date from what `watched` saw change, instead
    /// of walking every file before each search.
    pub fn watch_index_with(&mut self, watched: Arc<crate::find::WatchedFiles>) {
        self.watched = Some(watched);
    }

    /// Says who uses this project (`app`, `cli`) and whether to keep its index
    /// fresh on every read, in the background (the app does).
    pub fn set_origin(&mut self, origin: &'static str, keep_index: bool) {
        self.origin = origin;
        self.keep_index = keep_index;
        self.keep_history |= keep_index;
        if keep_index {
            // The first read, with the index brought up to date behind it.
            let _ = self.reload();
        }
    }

    pub(crate) fn dir(&self) -> &ProjectDir {
        &self.dir
    }

    pub(crate) fn project(&self) -> &Project {
        &self.assembled().project
    }

    /// Saves `project` (only changed files are written) and reads it back.
    pub(crate) fn save_project(&mut self, project: &Project) -> ApiResult<atelier_store::SaveReport> {
        let report = self.write(project)?;
        self.reload()?;
        if !report.written.is_empty() || !report.removed.is_empty() {
            let mut artifacts: Vec<String> = report
                .written
                .iter()
                .chain(&report.removed)
                .map(|f| atelier_model::assemble::artifact_of(f).map_or_else(|| f.clone(), |a| a.to_string()))
                .collect();
            artifacts.dedup();
            let n = report.written.len() + report.removed.len();
            self.audit("save", &artifacts.join(", "), &format!("{n} file(s)"));
        }
        Ok(report)
    }

    /// Saves `project` and reports what was written with the problems after it: what the designers' saves return.
    pub(crate) fn save_with_problems(&mut self, project: &Project) -> ApiResult<crate::SaveReport> {
        let report = self.save_project(project)?;
        Ok(crate::SaveReport { written: report.written, removed: report.removed, problems: self.problems() })
    }

    /// Writes the files of `project` whose bytes differ from what was loaded.
    fn write(&mut self, project: &Project) -> ApiResult<atelier_store::SaveReport> {
        if self.partial {
            return Err(ApiError::new(
                ErrorCode::Refused,
                "the project was read for running one workflow and cannot be saved; open it again",
            ));
        }
        let mut loaded = std::mem::take(&mut self.assembled_mut().loaded);
        let report = self.dir.save(project, &mut loaded);
        self.assembled_mut().loaded = loaded;
        Ok(report?)
    }

    /// Reads the project again from disk (after a `git pull`, say).
    pub fn reload(&mut self) -> ApiResult<()> {
        self.reload_as(self.origin)
    }

    fn reload_as(&mut self, origin: &'static str) -> ApiResult<()> {
        // Stamped before the read: a file that changes during it looks stale next time.
        let stamps = if self.keep_index { self.dir.stamps().ok() } else { None };
        let assembled = Arc::new(self.dir.load()?);
        self.assembled = OnceLock::from(assembled.clone());
        self.partial = false;
        if let Some(stamps) = stamps {
            self.index_in_background(assembled, stamps, origin);
        }
        Ok(())
    }

    /// The design as last read. Should reading fail here (the folder went
    /// away after opening), the failure is a problem of the project, shown
    /// like any other.
    pub(crate) fn assembled(&self) -> &Assembled {
        self.assembled.get_or_init(|| {
            Arc::new(self.dir.load().unwrap_or_else(|e| {
                let mut a = atelier_model::assemble(&BTreeMap::new());
                a.problems.push(Problem::error(atelier_model::project::MANIFEST_FILE, ProblemCode::Unreadable, ApiError::from(e).message));
                a
            }))
        })
    }

    fn assembled_mut(&mut self) -> &mut Assembled {
        self.assembled();
        Arc::make_mut(self.assembled.get_mut().expect("loaded just now"))
    }

    /// Reads the project again and says which design files changed since it
    /// was last loaded or saved: changes made by someone else (an editor, a
    /// `git pull` in a terminal). The app's own saves are already known, so
    /// they never show here.
    pub fn changes_on_disk(&mut self) -> ApiResult<Vec<String>> {
        let before = std::mem::take(&mut self.assembled_mut().loaded);
        let old_problems: std::collections::BTreeSet<Problem> = self.problems().into_iter().collect();
        self.reload_as("watcher")?;
        let after = &self.assembled().loaded;
        let mut changed: std::collections::BTreeSet<String> =
            before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).cloned().collect();
        let new_problems: std::collections::BTreeSet<Problem> = self.problems().into_iter().collect();
        changed.extend(
            old_problems.symmetric_difference(&new_problems).map(|p| p.file.clone()).filter(|f| f.ends_with(".json") || f.ends_with(".js")),
        );
        Ok(changed.into_iter().collect())
    }

    /// Whether any of `files` was caught half-written (a `git pull`, an editor
    /// writing in place): it reads as JSON that ends early or breaks off. The
    /// watcher then looks again once the file has settled.
    pub fn half_written(&self, files: &[String]) -> bool {
        self.problems().iter().any(|x| files.contains(&x.file) && matches!(x.code, ProblemCode::TruncatedJson | ProblemCode::MalformedJson))
    }

    /// Rewrites `file` in canonical form if it is readable and is not (after
    /// a merge or a hand edit).
    pub(crate) fn write_canonical_if_needed(&mut self, file: &str) -> ApiResult<()> {
        if self.assembled().not_canonical.contains(file) {
            if let Some(bytes) = self.assembled().project.files().get(file) {
                atelier_store::write_atomic(&self.dir.resolve(file)?, bytes)?;
                self.reload()?;
            }
        }
        Ok(())
    }

    pub fn problems(&self) -> Vec<Problem> {
        validate(self.assembled())
    }

    pub fn info(&self) -> ProjectInfo {
        let problems = self.problems();
        let p = &self.assembled().project;
        let entry = |kind: ArtifactKind, id: &Id, name: &str| {
            let prefix = match kind {
                ArtifactKind::Workflow | ArtifactKind::Form => format!("{}/{id}/", kind.dir()),
                _ => format!("{}/{id}.json", kind.dir()),
            };
            let mine = problems.iter().filter(|x| x.file.starts_with(&prefix));
            let (e, w) = mine.fold((0, 0), |(e, w), x| if x.severity == Severity::Error { (e + 1, w) } else { (e, w + 1) });
            ArtifactEntry { id: id.to_string(), name: name.to_owned(), errors: e, warnings: w }
        };
        ProjectInfo {
            root: self.dir.root().display().to_string(),
            name: p.manifest.name.clone(),
            workflows: {
                // A workflow that cannot be read (a merge conflict, say) is
                // still listed, by id, with its errors, so it is not lost from view.
                let broken =
                    self.assembled().broken.iter().filter(|r| r.kind == ArtifactKind::Workflow && !p.workflows.contains_key(&r.id));
                let mut all: Vec<ArtifactEntry> =
                    p.workflows.iter().map(|(id, w)| entry(ArtifactKind::Workflow, id, &w.workflow.name)).collect();
                all.extend(broken.map(|r| entry(ArtifactKind::Workflow, &r.id, r.id.as_str())));
                all.sort_by(|a, b| a.id.cmp(&b.id));
                all
            },
            forms: p.forms.iter().map(|(id, f)| entry(ArtifactKind::Form, id, &f.form.name)).collect(),
            models: p.models.iter().map(|(id, m)| entry(ArtifactKind::Model, id, &m.name)).collect(),
            sources: p.sources.iter().map(|(id, s)| entry(ArtifactKind::Source, id, &s.name)).collect(),
            rules: crate::governance::rules(p, &problems),
            problems,
        }
    }
}

/// Sets up the git repository holding the project at `dir` (a clone, say) so
/// that `git diff` and `git merge` use Atelier's drivers, served by
/// `program`. Returns the project's root.
pub fn git_setup(dir: &Path, program: &Path) -> ApiResult<std::path::PathBuf> {
    let project = ProjectDir::open(dir)?;
    git::init(project.root())?;
    git::configure_drivers(project.root(), program)?;
    Ok(project.root().to_path_buf())
}

/// Creates a project (empty, or the example) in `path`, with its git
/// repository, `.gitignore` and `.gitattributes`. Returns its root.
pub fn create_project(path: &Path, name: Option<String>, example: bool) -> ApiResult<std::path::PathBuf> {
    if path.join("atelier.json").exists() {
        return Err(atelier_store::StoreError::AlreadyAProject(path.to_path_buf()).into());
    }
    std::fs::create_dir_all(path).map_err(|e| ApiError::new(ErrorCode::Io, format!("cannot create {}: {e}", path.display())))?;
    let dir = ProjectDir::at(path)?;
    if example {
        crate::write_example(&dir)?;
    } else {
        let name = name.unwrap_or_else(|| dir.root().file_name().map_or("Untitled".into(), |n| n.to_string_lossy().into_owned()));
        let manifest = Manifest { schema: Some(schema::url(schema::MANIFEST)), ..Manifest::new(name) };
        dir.save(&Project::new(manifest), &mut BTreeMap::new())?;
    }
    git::init(dir.root())?;
    Ok(dir.root().to_path_buf())
}
