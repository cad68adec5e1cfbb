//! Previews and tests: a run prepared from the project (its design as it
//! was, its workers, what this machine grants), then run without holding it.

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use atelier_engine::case::{options_for, run_case, CaseResult};
use atelier_engine::{run_workflow, ApprovalRequest, LiveGrants, RunOptions, RunResult, TraceEvent, WorkerPool};
use atelier_model::test_case::Decision;
use atelier_model::{ArtifactKind, Assembled, Id};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::project::{parse_id, OpenProject};
use crate::{ApiError, ApiResult, ErrorCode};
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
    /// The form whose submission this input is: it is checked against the
    /// form's entity (its JSON Schema) before the run starts.
    #[serde(default)]
    #[ts(optional)]
    pub form: Option<String>,
}

/// What a running preview sends the window on its channel while it runs:
/// batches of its trace events as they happen, an approval it asks the
/// person to decide (after the events that led there, on the same channel,
/// so the dialog never shows before the steps do), and, after the run has
/// answered with its [`PreviewEnd`], word that it is in the run history.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PreviewMessage {
    Events(Vec<TraceEvent>),
    Ask(ApprovalRequest),
    Kept,
}

/// How a preview ended, as its command's answer: the result, and the trace
/// events not sent on the channel yet. An answer reaches the window sooner
/// than a channel message (BENCHMARKS.md, session 13), but not in order with
/// them: the window shows these events after the `batches` sent before.
/// When they are many, the answer carries only how they leave each step
/// (`lights`), and the events follow when the window asks for them: the
/// 2,000 events of a 1,000-step run took 4.5-6 ms on their way to the page
/// and 1-2 ms more in it, before a step could be lit (session 14).
#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewEnd {
    pub batches: u32,
    pub events: Vec<TraceEvent>,
    /// Present when `events` is left empty and the events wait to be asked for.
    pub lights: Option<StepLights>,
    pub result: RunResult,
    /// Real time the app took to prepare and run the preview, in
    /// microseconds: the window shows it beside the result.
    #[ts(type = "number")]
    pub wall_us: u64,
}

/// The steps of the workflow itself (not of its sub-runs) as some trace
/// events leave them, by light: the last event of a step says whether it
/// runs, ended well or failed, as the window's store reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct StepLights {
    pub running: Vec<String>,
    pub ok: Vec<String>,
    pub error: Vec<String>,
}

impl StepLights {
    pub fn of(events: &[TraceEvent]) -> StepLights {
        #[derive(Clone, Copy)]
        enum Light {
            Running,
            Ok,
            Error,
        }
        let mut last: std::collections::BTreeMap<&str, Light> = std::collections::BTreeMap::new();
        for e in events {
            match e {
                TraceEvent::StepStarted { step, within: None, .. } => last.insert(step, Light::Running),
                TraceEvent::StepFinished { step, error, within: None, .. } => {
                    last.insert(step, if error.is_some() { Light::Error } else { Light::Ok })
                }
                _ => None,
            };
        }
        let mut lights = StepLights::default();
        for (step, light) in last {
            let list = match light {
                Light::Running => &mut lights.running,
                Light::Ok => &mut lights.ok,
                Light::Error => &mut lights.error,
            };
            list.push(step.to_owned());
        }
        lights
    }
}

/// A preview ready to run on its own: it holds what it needs (the design as
/// it was, the workers), so the project stays free for other use cases while
/// it runs or waits for an approval.
pub struct PreparedPreview {
    assembled: Arc<Assembled>,
    pool: Arc<WorkerPool>,
    workflow: Id,
    opts: RunOptions,
    /// Where the run is kept in the history, when it is (the app's and `atelier run`'s previews).
    history: Option<(crate::find::SharedIndex, std::path::PathBuf, &'static str)>,
}

impl PreparedPreview {
    /// Set it (from any thread) to stop the run: between steps, during a
    /// script, or while it waits for an approval.
    pub fn cancel_flag(&mut self) -> Arc<AtomicBool> {
        self.opts.cancel.get_or_insert_with(|| Arc::new(AtomicBool::new(false))).clone()
    }

    /// Runs it and keeps it in the history (when this project keeps one).
    pub fn run(
        self,
        ask: &mut dyn FnMut(&ApprovalRequest) -> Option<Decision>,
        on_event: &mut dyn FnMut(&TraceEvent),
    ) -> ApiResult<RunResult> {
        let keep = self.history.is_some();
        let mut trace = Vec::new();
        let (result, unkept) = self.run_unkept(ask, &mut |e| {
            on_event(&e);
            if keep {
                trace.push(e);
            }
        })?;
        unkept.keep(&trace);
        Ok(result)
    }

    /// Runs it, giving each trace event to `on_event`; the history is
    /// written when the caller gives the trace back ([`UnkeptRun::keep`]),
    /// so that it can show the result first and copies no event on the way.
    pub fn run_unkept(
        self,
        ask: &mut dyn FnMut(&ApprovalRequest) -> Option<Decision>,
        on_event: &mut dyn FnMut(TraceEvent),
    ) -> ApiResult<(RunResult, UnkeptRun)> {
        let started_at = atelier_index::now_ms();
        let clock = std::time::Instant::now();
        let result = run_workflow(&self.assembled.project, &self.workflow, &self.pool, &self.opts, ask, on_event)
            .map_err(|e| ApiError::new(ErrorCode::NotFound, e.to_string()))?;
        let unkept = UnkeptRun {
            history: self.history.map(|(index, root, origin)| {
                let status = result.status.as_str().to_owned();
                let record = atelier_index::RunRecord {
                    workflow: self.workflow.to_string(),
                    started_at,
                    // Real time taken (the run's own clock may be a test case's, frozen).
                    duration_ms: clock.elapsed().as_millis() as i64,
                    status,
                    input: self.opts.input,
                    output: result.output.clone(),
                    // Filled in by `keep`: serialising the trace and asking
                    // git who the person is are not for the answer to wait on.
                    trace: Value::Null,
                    who: String::new(),
                    origin: origin.to_string(),
                };
                (index, root, record)
            }),
        };
        Ok((result, unkept))
    }
}

/// A finished preview not yet written to the run history.
pub struct UnkeptRun {
    history: Option<(crate::find::SharedIndex, std::path::PathBuf, atelier_index::RunRecord)>,
}

impl UnkeptRun {
    /// Writes it to the history with its `trace` (the events the run gave,
    /// in order), with an audit entry. A failure is reported on stderr: the
    /// run itself has already been shown.
    pub fn keep(self, trace: &[TraceEvent]) {
        let Some((index, root, mut record)) = self.history else { return };
        record.trace = serde_json::to_value(trace).unwrap_or_default();
        record.who = crate::find::who(&root);
        let kept = crate::find::with_index(&index, &root, |i| {
            i.record_run(&record).map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
            i.audit(&record.who, "run", &format!("workflows/{}", record.workflow), &record.status, &record.origin)
                .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))
        });
        if let Err(e) = kept {
            eprintln!("atelier: the run was not kept in the history: {}", e.message);
        }
    }
}

impl OpenProject {
    /// What the person granted live calls, with the secrets' values read now.
    fn live_grants(&self) -> ApiResult<LiveGrants> {
        Ok(LiveGrants {
            live_hosts: self.config.live_hosts(self.dir.root())?,
            secrets: self.config.secret_values(self.dir.root(), self.project())?,
            ..LiveGrants::default()
        })
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
        if let (Some(form), Some(input)) = (&req.form, &req.input) {
            self.check_submission(form, input)?;
        }
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
        let history = self.keep_history.then(|| (self.index.clone(), self.dir.root().to_owned(), self.origin));
        Ok(PreparedPreview { assembled, pool: self.pool.clone(), workflow: wid, opts, history })
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

    /// Reads, of the workflows, only `workflow` and those it calls (every
    /// other design file as usual): for a command that runs one workflow
    /// and saves nothing, in a project whose other workflows would take
    /// most of its time to read. Saving is refused afterwards. A workflow
    /// that does not exist leaves the project to be read whole.
    pub fn read_for_running(&mut self, workflow: &str) -> ApiResult<()> {
        let workflow = parse_id(workflow, "workflow")?.to_string();
        if !self.dir.root().join("workflows").join(&workflow).is_dir() {
            // Read whole on first use, so that "does not exist" can list what does.
            return Ok(());
        }
        let mut only = BTreeSet::from([workflow]);
        loop {
            let a = self.dir.load_workflows(&only)?;
            let called: BTreeSet<String> = a
                .project
                .workflows
                .iter()
                .filter(|(id, _)| only.contains(id.as_str()))
                .flat_map(|(_, b)| b.workflow.steps.values().filter_map(|s| s.calls()).map(|id| id.to_string()))
                .collect();
            if called.is_subset(&only) {
                self.assembled = std::sync::OnceLock::from(Arc::new(a));
                self.partial = true;
                return Ok(());
            }
            only.extend(called);
        }
    }

    /// Starts a preview worker now, so the first run does not wait for one.
    pub fn prewarm(&self) {
        self.pool.prewarm();
    }

    /// Runs every test case of a workflow.
    pub fn test_workflow(&self, workflow: &str) -> ApiResult<Vec<CaseResult>> {
        let mut results = Vec::new();
        self.test_workflow_with(workflow, None, &mut |r| {
            results.push(r);
            true
        })?;
        Ok(results)
    }

    /// Runs the test cases of a workflow one by one, giving each result to
    /// `each` as it comes. Stops after a result `each` answers false to, and
    /// stops the case that runs once `stop` is set (the person pressed Ctrl+C).
    pub fn test_workflow_with(
        &self,
        workflow: &str,
        stop: Option<Arc<AtomicBool>>,
        each: &mut dyn FnMut(CaseResult) -> bool,
    ) -> ApiResult<()> {
        let wid = self.runnable(workflow)?;
        let p = &self.assembled().project;
        let grants = self.live_grants()?;
        for c in p.workflows[&wid].tests.keys() {
            if stop.as_ref().is_some_and(|s| s.load(std::sync::atomic::Ordering::SeqCst)) {
                break;
            }
            let r = run_case(p, &wid, c, &self.pool, &grants, stop.clone(), &mut |_| {})
                .map_err(|e| ApiError::new(ErrorCode::Engine, e.to_string()))?;
            if !each(r) {
                break;
            }
        }
        Ok(())
    }

    /// A form's record must fit the form's entity before a workflow runs on it.
    fn check_submission(&self, form: &str, input: &Value) -> ApiResult<()> {
        let fid = parse_id(form, "form")?;
        let p = &self.assembled().project;
        let b = p.forms.get(&fid).ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("form `{form}` does not exist")))?;
        let Some(entity) = p.models.get(&b.form.model).and_then(|m| m.entities.get(&b.form.entity).map(|e| (m, e))) else {
            return Err(ApiError::new(ErrorCode::InvalidDesign, format!("form `{form}` names an entity that does not exist")));
        };
        let errors = atelier_model::form_state::record_errors(entity.0, entity.1, input);
        // The entity's check rules, once the fields themselves fit.
        let said: Vec<String> = if errors.is_empty() {
            self.failed_checks(entity.1, input)
        } else {
            errors.iter().take(5).map(|(f, m)| f.as_ref().map_or(m.clone(), |f| format!("{f}: {m}"))).collect()
        };
        if said.is_empty() {
            return Ok(());
        }
        Err(ApiError::new(
            ErrorCode::InvalidDesign,
            format!("the submitted record does not fit entity `{}`: {}", b.form.entity, said.join("; ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use atelier_engine::trace::{ErrorKind, StepError};
    use atelier_model::workflow::StepKind;
    use serde_json::json;

    use super::*;

    fn started(step: &str, within: Option<&str>) -> TraceEvent {
        TraceEvent::StepStarted {
            step: step.into(),
            kind: StepKind::CustomCode,
            attempt: 1,
            input: json!({}),
            within: within.map(Into::into),
        }
    }

    fn finished(step: &str, error: bool) -> TraceEvent {
        TraceEvent::StepFinished {
            step: step.into(),
            kind: StepKind::CustomCode,
            attempt: 1,
            output: None,
            logs: Vec::new(),
            duration_ms: 0,
            wall_us: None,
            error: error.then(|| StepError::new(ErrorKind::Script, "boom")),
            next: None,
            within: None,
        }
    }

    #[test]
    fn a_step_s_light_is_its_last_event_and_sub_runs_light_nothing() {
        let events = [
            started("a", None),
            finished("a", false),
            started("b", None),
            finished("b", true),
            // A retry of b that is still running when the events end.
            started("b", None),
            started("c", None),
            finished("c", false),
            started("a", Some("c")),
            started("inner", Some("c")),
        ];
        let lights = StepLights::of(&events);
        assert_eq!(lights, StepLights { running: vec!["b".into()], ok: vec!["a".into(), "c".into()], error: vec![] });
        let failed = StepLights::of(&events[..4]);
        assert_eq!(failed, StepLights { running: vec![], ok: vec!["a".into()], error: vec!["b".into()] });
    }
}
