//! An open project and the use cases on it.

use atelier_model::problem::ProblemCode;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use atelier_engine::case::{options_for, run_case, CaseResult};
use atelier_engine::{run_workflow, ApprovalRequest, LiveGrants, RunOptions, RunResult, TraceEvent, WorkerCommand, WorkerPool};
use atelier_model::layout::Layout;
use atelier_model::project::WorkflowBundle;
use atelier_model::test_case::Decision;
use atelier_model::workflow::Workflow;
use atelier_model::{schema, validate, ArtifactKind, Assembled, Id, Manifest, Problem, Project, Severity};
use atelier_store::{git, ProjectDir};
use serde::{Deserialize, Serialize};
use serde_json::Value;
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
}

/// One artifact in the explorer, with its validation badge.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ArtifactEntry {
    pub id: String,
    pub name: String,
    pub errors: u32,
    pub warnings: u32,
}

/// A workflow as the canvas edits it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct WorkflowDoc {
    pub id: String,
    pub workflow: Workflow,
    pub layout: Layout,
    /// Step id → code of `steps/<id>.js`.
    pub scripts: BTreeMap<String, String>,
    #[serde(default)]
    pub tests: Vec<TestCaseEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TestCaseEntry {
    pub id: String,
    pub name: String,
    pub input: Value,
}

/// What a save wrote, and the problems of the project after it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SaveReport {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FileChange {
    pub path: String,
    pub change: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CommitEntry {
    pub id: String,
    pub author: String,
    pub email: String,
    /// Seconds since the Unix epoch, and the author's UTC offset in minutes.
    #[ts(type = "number")]
    pub time: i64,
    pub offset_minutes: i32,
    pub summary: String,
    /// New files this commit did not take (not design files, or named like
    /// secrets), each with why: `notes.txt (not a design file)`. Empty in the log.
    #[serde(default)]
    pub left_out: Vec<String>,
}

/// What to preview: a test case, or an input (default `{}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct PreviewRequest {
    pub workflow: String,
    #[serde(default)]
    #[ts(optional)]
    pub case: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub input: Option<Value>,
    /// The preview clock's start (RFC 3339), instead of the case's or now.
    #[serde(default)]
    #[ts(optional)]
    pub clock: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    #[ts(type = "number")]
    pub seed: Option<u64>,
}

/// A test case made from a preview the person just ran ("save as test case").
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewTestCase {
    pub workflow: String,
    pub id: String,
    pub name: String,
    pub input: Value,
    #[serde(default)]
    #[ts(optional)]
    pub clock: Option<String>,
    /// Decisions given in the approval dialog, by step id.
    #[serde(default)]
    pub approvals: BTreeMap<String, Decision>,
    #[serde(default)]
    #[ts(optional)]
    pub expect: Option<atelier_model::test_case::Expectation>,
}

/// An open project: its directory, what was loaded, the preview workers, and
/// what this machine grants it.
pub struct OpenProject {
    dir: ProjectDir,
    /// The design, read on first use: git-only use cases (status, log, diff,
    /// branches) never pay for reading every file. Shared with running
    /// previews, so that a preview never holds the project while it waits.
    assembled: OnceLock<Arc<Assembled>>,
    pool: Arc<WorkerPool>,
    config: LocalConfig,
}

/// A preview ready to run on its own: it holds what it needs (the design as
/// it was, the workers), so the project stays free for other use cases while
/// it runs or waits for an approval.
pub struct PreparedPreview {
    assembled: Arc<Assembled>,
    pool: Arc<WorkerPool>,
    workflow: Id,
    opts: RunOptions,
}

impl PreparedPreview {
    /// Set it (from any thread) to stop the run: between steps, during a
    /// script, or while it waits for an approval.
    pub fn cancel_flag(&mut self) -> Arc<AtomicBool> {
        self.opts.cancel.get_or_insert_with(|| Arc::new(AtomicBool::new(false))).clone()
    }

    pub fn run(
        self,
        ask: &mut dyn FnMut(&ApprovalRequest) -> Option<Decision>,
        on_event: &mut dyn FnMut(&TraceEvent),
    ) -> ApiResult<RunResult> {
        run_workflow(&self.assembled.project, &self.workflow, &self.pool, &self.opts, ask, on_event)
            .map_err(|e| ApiError::new(ErrorCode::NotFound, e.to_string()))
    }
}

fn parse_id(s: &str, what: &str) -> ApiResult<Id> {
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
        Ok(OpenProject { dir, assembled: OnceLock::new(), pool, config })
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

    /// What the person granted live calls, with the secrets' values read now.
    fn live_grants(&self) -> ApiResult<LiveGrants> {
        Ok(LiveGrants {
            live_hosts: self.config.live_hosts(self.dir.root())?,
            secrets: self.config.secret_values(self.dir.root(), self.project())?,
            ..LiveGrants::default()
        })
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
        Ok(report)
    }

    /// Writes the files of `project` whose bytes differ from what was loaded.
    fn write(&mut self, project: &Project) -> ApiResult<atelier_store::SaveReport> {
        let mut loaded = std::mem::take(&mut self.assembled_mut().loaded);
        let report = self.dir.save(project, &mut loaded);
        self.assembled_mut().loaded = loaded;
        Ok(report?)
    }

    /// Reads the project again from disk (after a `git pull`, say).
    pub fn reload(&mut self) -> ApiResult<()> {
        self.assembled = OnceLock::from(Arc::new(self.dir.load()?));
        Ok(())
    }

    /// The design as last read. Should reading fail here (the folder went
    /// away after opening), the failure is a problem of the project, shown
    /// like any other.
    fn assembled(&self) -> &Assembled {
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
        self.reload()?;
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
            problems,
        }
    }

    pub fn workflow(&self, id: &str) -> ApiResult<WorkflowDoc> {
        let wid = parse_id(id, "workflow")?;
        let b = self
            .assembled()
            .project
            .workflows
            .get(&wid)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("workflow `{id}` does not exist")))?;
        Ok(doc_of(&wid, b))
    }

    /// Saves a workflow edited in the app: only files whose bytes change are
    /// written (moving a node writes only `layout.json`); removed steps' scripts are deleted.
    pub fn save_workflow(&mut self, doc: WorkflowDoc) -> ApiResult<SaveReport> {
        let wid = parse_id(&doc.id, "workflow")?;
        let mut scripts = BTreeMap::new();
        for (k, v) in doc.scripts {
            scripts.insert(parse_id(&k, "step")?, v);
        }
        let tests = self.assembled().project.workflows.get(&wid).map(|b| b.tests.clone()).unwrap_or_default();
        let mut project = self.assembled().project.clone();
        project.workflows.insert(wid, WorkflowBundle { workflow: doc.workflow, layout: doc.layout, scripts, tests });
        let report = self.write(&project)?;
        self.reload()?;
        Ok(SaveReport { written: report.written, removed: report.removed, problems: self.problems() })
    }

    /// A new workflow with one `end` step, saved at once.
    pub fn new_workflow(&mut self, id: &str, name: &str) -> ApiResult<WorkflowDoc> {
        let wid = parse_id(id, "workflow")?;
        self.create_artifact(crate::NewArtifact::Workflow { id: wid.to_string(), name: Some(name.trim().to_owned()) })?;
        self.workflow(wid.as_str())
    }

    /// Writes `workflows/<workflow>/tests/<id>.json`; an existing case is never overwritten.
    pub fn save_test_case(&mut self, case: NewTestCase) -> ApiResult<WorkflowDoc> {
        let wid = parse_id(&case.workflow, "workflow")?;
        let cid = parse_id(&case.id, "test case")?;
        let mut project = self.assembled().project.clone();
        let bundle = project
            .workflows
            .get_mut(&wid)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("workflow `{wid}` does not exist")))?;
        if bundle.tests.contains_key(&cid) || self.dir.resolve(&format!("workflows/{wid}/tests/{cid}.json"))?.exists() {
            return Err(ApiError::new(ErrorCode::InvalidId, format!("test case `{cid}` already exists")));
        }
        let mut approvals = BTreeMap::new();
        for (k, d) in case.approvals {
            approvals.insert(parse_id(&k, "step")?, d);
        }
        bundle.tests.insert(
            cid,
            atelier_model::test_case::TestCase {
                schema: Some(schema::url(schema::TEST_CASE)),
                name: if case.name.trim().is_empty() { case.id.clone() } else { case.name.trim().to_owned() },
                description: String::new(),
                input: case.input,
                clock: case.clock,
                seed: None,
                mocks: Vec::new(),
                approvals,
                expect: case.expect,
            },
        );
        self.write(&project)?;
        self.reload()?;
        self.workflow(wid.as_str())
    }

    pub fn status(&self) -> ApiResult<Vec<FileChange>> {
        Ok(git::status(self.dir.root())?.into_iter().map(|s| FileChange { path: s.path, change: s.change.as_str().to_owned() }).collect())
    }

    /// The commit author git would use, if one is set.
    pub fn author(&self) -> Option<(String, String)> {
        git::author(self.dir.root()).ok()
    }

    /// Sets the author in this repository's own git config (asked once by the app).
    pub fn set_author(&self, name: &str, email: &str) -> ApiResult<()> {
        if name.trim().is_empty() || !email.contains('@') {
            return Err(ApiError::new(ErrorCode::NoAuthor, "a commit author needs a name and an email address"));
        }
        Ok(git::set_author(self.dir.root(), name.trim(), email.trim())?)
    }

    /// Commits every change. Refused while merge conflicts are open, so
    /// `$conflict` data never lands in history by accident.
    pub fn commit(&mut self, message: &str) -> ApiResult<CommitEntry> {
        self.reload()?;
        let open: Vec<Problem> = self.problems().into_iter().filter(|p| p.code == ProblemCode::MergeConflict).collect();
        if let Some(first) = open.first() {
            return Err(ApiError::new(
                ErrorCode::Conflicts,
                format!("{} merge conflict(s) are still open; resolve them first", open.len()),
            )
            .at(first.file.clone(), first.element.clone()));
        }
        let outcome = git::commit(self.dir.root(), message)?;
        let mut entry = self.log(1)?.into_iter().next().ok_or_else(|| ApiError::new(ErrorCode::Git, "the commit is not in the history"))?;
        entry.left_out = outcome.left_out.iter().map(|l| format!("{} ({})", l.path, l.reason.as_str())).collect();
        Ok(entry)
    }

    pub fn log(&self, limit: usize) -> ApiResult<Vec<CommitEntry>> {
        Ok(git::log(self.dir.root(), limit)?
            .into_iter()
            .map(|c| CommitEntry {
                id: c.id,
                author: c.author,
                email: c.email,
                time: c.time,
                offset_minutes: c.offset_minutes,
                summary: c.summary,
                left_out: Vec::new(),
            })
            .collect())
    }

    /// Runs a preview; every event goes to `on_event` as it happens.
    pub fn preview(
        &self,
        req: &PreviewRequest,
        ask: &mut dyn FnMut(&ApprovalRequest) -> Option<Decision>,
        on_event: &mut dyn FnMut(&TraceEvent),
    ) -> ApiResult<RunResult> {
        self.prepare_preview(req)?.run(ask, on_event)
    }

    /// Everything a preview needs, taken now, so it can run without the project.
    pub fn prepare_preview(&self, req: &PreviewRequest) -> ApiResult<PreparedPreview> {
        let p = &self.assembled().project;
        let wid = self.runnable(&req.workflow)?;
        let bundle = &p.workflows[&wid];
        let grants = self.live_grants()?;
        let mut opts = match &req.case {
            Some(c) => {
                let case = bundle
                    .tests
                    .get(&parse_id(c, "test case")?)
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("workflow `{wid}` has no test case `{c}`")))?;
                options_for(case, &grants).map_err(|e| ApiError::new(ErrorCode::InvalidDesign, e))?
            }
            None => {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
                let mut o = RunOptions::new(serde_json::json!({}), now);
                o.grants = grants;
                o
            }
        };
        if let Some(input) = &req.input {
            opts.input = input.clone();
        }
        if let Some(c) = &req.clock {
            opts.clock_ms =
                atelier_engine::clock::parse_rfc3339(c).map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("clock: {e}")))?;
        }
        if let Some(seed) = req.seed {
            opts.seed = seed;
        }
        opts.wall_limit = std::time::Duration::from_millis(self.config.machine()?.max_limits.run_wall_ms.max(1));
        let assembled = self.assembled.get().expect("read above").clone();
        Ok(PreparedPreview { assembled, pool: self.pool.clone(), workflow: wid, opts })
    }

    /// A workflow that exists and can run: not left out for errors.
    fn runnable(&self, workflow: &str) -> ApiResult<Id> {
        let wid = parse_id(workflow, "workflow")?;
        if self.assembled().broken.contains(&atelier_model::ArtifactRef { kind: ArtifactKind::Workflow, id: wid.clone() }) {
            return Err(ApiError::new(
                ErrorCode::InvalidDesign,
                format!("workflow `{wid}` has errors; `atelier validate` or the problems list shows them"),
            ));
        }
        if !self.assembled().project.workflows.contains_key(&wid) {
            let known: Vec<String> = self.assembled().project.workflows.keys().map(|k| k.to_string()).collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            return Err(ApiError::new(ErrorCode::NotFound, format!("workflow `{wid}` does not exist (workflows: {known})")));
        }
        Ok(wid)
    }

    /// Starts a preview worker now, so the first run does not wait for one.
    pub fn prewarm(&self) {
        self.pool.prewarm();
    }

    /// Runs every test case of a workflow.
    pub fn test_workflow(&self, workflow: &str) -> ApiResult<Vec<CaseResult>> {
        let wid = self.runnable(workflow)?;
        let p = &self.assembled().project;
        let bundle = &p.workflows[&wid];
        let grants = self.live_grants()?;
        bundle
            .tests
            .keys()
            .map(|c| run_case(p, &wid, c, &self.pool, &grants, &mut |_| {}).map_err(|e| ApiError::new(ErrorCode::Engine, e.to_string())))
            .collect()
    }
}

/// A workflow bundle as the canvas edits it.
pub(crate) fn doc_of(id: &Id, b: &WorkflowBundle) -> WorkflowDoc {
    WorkflowDoc {
        id: id.to_string(),
        workflow: b.workflow.clone(),
        layout: b.layout.clone(),
        scripts: b.scripts.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        tests: b.tests.iter().map(|(k, t)| TestCaseEntry { id: k.to_string(), name: t.name.clone(), input: t.input.clone() }).collect(),
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
