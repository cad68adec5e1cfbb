//! The workflow interpreter: walks the graph from the start step with a state,
//! one executor per step kind, the error policies and the workflow timeout, on
//! a virtual clock, reporting every step attempt as trace events.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use atelier_model::project::WorkflowBundle;
use atelier_model::test_case::{Decision, Mock, Verdict};
use atelier_model::workflow::{EndStatus, ErrorPolicy, Step, Workflow};
use atelier_model::{Id, Project};
use serde::Serialize;
use serde_json::{json, Value};

use crate::http::{self, HttpRequest};
use crate::pool::{Lease, WorkerPool};
use crate::protocol::{Call, ChainStep, FailureKind, Outcome, Response};
use crate::template::{render_text, render_value};
use crate::trace::{ErrorKind, LogLine, RunStatus, StepError, TraceEvent};

/// Everything a run needs besides the project.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub input: Value,
    /// The preview clock's start, in milliseconds since the epoch.
    pub clock_ms: i64,
    pub seed: u64,
    pub mocks: Vec<Mock>,
    pub approvals: BTreeMap<Id, Decision>,
    /// What the person at the machine allows live calls.
    pub grants: LiveGrants,
    /// Step attempts allowed before the run is stopped (a loop in the graph).
    pub max_attempts: u32,
    /// Set from elsewhere to stop the run: between steps, and during a script call.
    pub cancel: Option<Arc<AtomicBool>>,
    /// The most real time a whole run may take: thousands of steps that each
    /// spend their script time limit must not keep a CI job busy for hours.
    pub wall_limit: std::time::Duration,
}

/// A run's real-time limit when none is set.
pub const DEFAULT_WALL_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

impl RunOptions {
    pub fn new(input: Value, clock_ms: i64) -> RunOptions {
        RunOptions {
            input,
            clock_ms,
            seed: 0,
            mocks: Vec::new(),
            approvals: BTreeMap::new(),
            grants: LiveGrants::default(),
            max_attempts: 10_000,
            cancel: None,
            wall_limit: DEFAULT_WALL_LIMIT,
        }
    }
}

/// What only the person at the machine grants a run, never a design file:
/// the hosts `api_call` may reach for real when no mock answers, and the
/// secrets' values for them.
#[derive(Debug, Clone)]
pub struct LiveGrants {
    pub live_hosts: Vec<String>,
    /// Secret name → value.
    pub secrets: BTreeMap<String, String>,
    /// The longest a live call may take, whatever its source asks.
    pub max_timeout_ms: u64,
}

impl Default for LiveGrants {
    fn default() -> Self {
        LiveGrants { live_hosts: Vec::new(), secrets: BTreeMap::new(), max_timeout_ms: crate::http::MAX_LIVE_TIMEOUT_MS }
    }
}

/// What an approval step asks the person at the screen.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ApprovalRequest {
    pub step: Id,
    pub name: String,
    pub prompt: String,
    pub approvers: Vec<String>,
    pub state: Value,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct RunResult {
    pub status: RunStatus,
    pub end_step: Option<Id>,
    pub output: Option<Value>,
    pub error: Option<StepError>,
    pub attempts: u32,
    pub duration_ms: u64,
}

/// Why a run could not start at all.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("workflow `{0}` does not exist")]
    NoWorkflow(String),
}

/// Runs a workflow of `project`. Every failure inside the run is a step error
/// in the trace and the result; only a missing workflow is an `Err`.
pub fn run_workflow(
    project: &Project,
    workflow: &Id,
    pool: &WorkerPool,
    opts: &RunOptions,
    ask: &mut dyn FnMut(&ApprovalRequest) -> Option<Decision>,
    on_event: &mut dyn FnMut(&TraceEvent),
) -> Result<RunResult, EngineError> {
    let bundle = project.workflows.get(workflow).ok_or_else(|| EngineError::NoWorkflow(workflow.to_string()))?;
    let mut lease = pool.lease();
    lease.cancel_with(opts.cancel.clone());
    let mut run = Run {
        project,
        bundle,
        opts,
        lease,
        clock: opts.clock_ms,
        ask,
        on_event,
        waited_for_people: std::time::Duration::ZERO,
        chain: VecDeque::new(),
    };
    Ok(run.go(workflow))
}

struct Run<'a> {
    project: &'a Project,
    bundle: &'a WorkflowBundle,
    opts: &'a RunOptions,
    lease: Lease<'a>,
    /// The virtual clock, in milliseconds since the epoch.
    clock: i64,
    ask: &'a mut dyn FnMut(&ApprovalRequest) -> Option<Decision>,
    on_event: &'a mut dyn FnMut(&TraceEvent),
    /// Real time spent waiting for people to decide approvals.
    waited_for_people: std::time::Duration,
    /// The code steps whose answers the worker's running chain still owes, in order.
    chain: VecDeque<Id>,
}

/// The most scripts one chain request carries, and the most code text.
const MAX_CHAIN: usize = 1000;
const MAX_CHAIN_CODE_BYTES: usize = 4 << 20;

/// What a step that succeeded leads to.
struct Done {
    state: Value,
    next: Next,
    virtual_ms: u64,
}

enum Next {
    Step(Id),
    End(EndStatus, Value),
}

impl Run<'_> {
    /// Whether someone asked the run to stop.
    fn cancelled(&self) -> bool {
        self.opts.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Moves the preview clock on; saturates rather than overflows, whatever
    /// backoff a design file asks for.
    fn advance(&mut self, ms: u64) {
        self.clock = self.clock.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX));
    }

    fn emit(&mut self, e: TraceEvent) {
        (self.on_event)(&e);
    }

    fn go(&mut self, workflow_id: &Id) -> RunResult {
        let wf: &Workflow = &self.bundle.workflow;
        let started = self.clock;
        self.emit(TraceEvent::RunStarted {
            workflow: workflow_id.to_string(),
            input: self.opts.input.clone(),
            clock: crate::clock::format_rfc3339(started),
            seed: self.opts.seed,
        });
        let mut state = self.opts.input.clone();
        let mut current = wf.start.clone();
        let wall_start = Instant::now();
        let mut attempts = 0u32;
        let finish = |this: &mut Self,
                      status: RunStatus,
                      end_step: Option<Id>,
                      output: Option<Value>,
                      error: Option<StepError>,
                      attempts: u32| {
            let duration_ms = elapsed(started, this.clock);
            let r = RunResult { status, end_step: end_step.clone(), output: output.clone(), error: error.clone(), attempts, duration_ms };
            this.emit(TraceEvent::RunFinished { status, end_step: end_step.map(|s| s.to_string()), output, error, attempts, duration_ms });
            r
        };
        loop {
            if let Some(limit) = wf.timeout_ms {
                if elapsed(started, self.clock) > limit {
                    let e = StepError::new(ErrorKind::Timeout, format!("the workflow's timeout of {limit} ms ran out"));
                    return finish(self, RunStatus::Failed, None, None, Some(e), attempts);
                }
            }
            let Some(step) = wf.steps.get(&current) else {
                let e = StepError::new(ErrorKind::Engine, format!("step `{current}` does not exist"));
                return finish(self, RunStatus::Failed, None, None, Some(e), attempts);
            };
            let policy = step.on_error().or(wf.on_error.as_ref()).cloned().unwrap_or(ErrorPolicy::Fail {});
            let mut attempt = 1u32;
            let outcome = loop {
                if self.cancelled() {
                    let e = StepError::new(ErrorKind::Cancelled, "the preview was cancelled");
                    return finish(self, RunStatus::Failed, None, None, Some(e), attempts);
                }
                // Time a person spends deciding an approval is theirs, not the run's.
                if wall_start.elapsed().saturating_sub(self.waited_for_people) > self.opts.wall_limit {
                    let e = StepError::new(
                        ErrorKind::Limit,
                        format!("limit exceeded: the run took more than {} s of real time", self.opts.wall_limit.as_secs_f64()),
                    );
                    return finish(self, RunStatus::Failed, None, None, Some(e), attempts);
                }
                if attempts >= self.opts.max_attempts {
                    let e = StepError::new(
                        ErrorKind::Timeout,
                        format!("the run stopped after {attempts} step attempts; is there a loop in the workflow?"),
                    );
                    return finish(self, RunStatus::Failed, None, None, Some(e), attempts);
                }
                attempts += 1;
                self.emit(TraceEvent::StepStarted { step: current.to_string(), kind: step.kind(), attempt, input: state.clone() });
                let wall = Instant::now();
                let mut logs = Vec::new();
                let result = self.execute(&current, step, &state, &mut logs);
                let wall_us = Some(wall.elapsed().as_micros() as u64);
                let virtual_ms = result.as_ref().map_or(0, |d| d.virtual_ms);
                self.advance(virtual_ms);
                let (output, error, next) = match &result {
                    Ok(d) => (
                        Some(match &d.next {
                            Next::End(_, out) => out.clone(),
                            Next::Step(_) => d.state.clone(),
                        }),
                        None,
                        match &d.next {
                            Next::Step(n) => Some(n.to_string()),
                            Next::End(..) => None,
                        },
                    ),
                    Err(e) => (None, Some(e.clone()), None),
                };
                self.emit(TraceEvent::StepFinished {
                    step: current.to_string(),
                    kind: step.kind(),
                    attempt,
                    output,
                    logs,
                    duration_ms: virtual_ms,
                    wall_us,
                    error,
                    next,
                });
                match result {
                    Ok(done) => break Ok(done),
                    Err(e) => match &policy {
                        ErrorPolicy::Retry { max_attempts, backoff_ms, factor, max_backoff_ms, .. } if attempt < *max_attempts => {
                            let mut wait = backoff_ms.saturating_mul(u64::from(*factor).saturating_pow(attempt - 1));
                            if let Some(max) = max_backoff_ms {
                                wait = wait.min(*max);
                            }
                            self.emit(TraceEvent::Waited { step: current.to_string(), ms: wait });
                            self.advance(wait);
                            attempt += 1;
                        }
                        _ => break Err(e),
                    },
                }
            };
            match outcome {
                Ok(Done { state: s, next: Next::Step(n), .. }) => {
                    state = s;
                    current = n;
                }
                Ok(Done { next: Next::End(status, output), .. }) => {
                    let status = match status {
                        EndStatus::Completed => RunStatus::Completed,
                        EndStatus::Rejected => RunStatus::Rejected,
                        EndStatus::Failed => RunStatus::Failed,
                    };
                    return finish(self, status, Some(current), Some(output), None, attempts);
                }
                Err(error) => {
                    // After retries, `then` decides (default: fail).
                    let effective = match &policy {
                        ErrorPolicy::Retry { then, .. } => then.as_deref().cloned().unwrap_or(ErrorPolicy::Fail {}),
                        other => other.clone(),
                    };
                    let target = match &effective {
                        ErrorPolicy::Route { to } => Some(to.clone()),
                        ErrorPolicy::Continue {} => continue_target(step),
                        _ => None,
                    };
                    match target {
                        Some(t) => {
                            if let Value::Object(m) = &mut state {
                                m.insert("error".into(), json!({ "step": current.as_str(), "kind": error.kind, "message": error.message }));
                            }
                            current = t;
                        }
                        None => return finish(self, RunStatus::Failed, None, None, Some(error), attempts),
                    }
                }
            }
        }
    }

    fn execute(&mut self, id: &Id, step: &Step, state: &Value, logs: &mut Vec<LogLine>) -> Result<Done, StepError> {
        let template = |e: String| StepError::new(ErrorKind::Template, e);
        let go = |next: &Id, state: Value| Done { state, next: Next::Step(next.clone()), virtual_ms: 0 };
        match step {
            Step::ApiCall(a) => {
                let source = self
                    .project
                    .sources
                    .get(&a.source)
                    .ok_or_else(|| StepError::new(ErrorKind::Engine, format!("source `{}` does not exist", a.source)))?;
                let path = render_text(&a.path, state).map_err(template)?;
                let url = format!("{}{}", source.base_url.trim_end_matches('/'), path);
                let mut headers = source.headers.clone();
                for (k, v) in &a.headers {
                    headers.insert(k.clone(), render_text(v, state).map_err(template)?);
                }
                let body = a.body.as_ref().map(|b| render_value(b, state)).transpose().map_err(template)?;
                let request = HttpRequest { method: a.method, url, headers, body };
                let (response, virtual_ms) = http::answer(&request, source, &self.opts.mocks, &self.opts.grants, state)?;
                let next = a.next.as_ref().ok_or_else(|| no_next(id))?;
                let key = a.save_as.clone().unwrap_or_else(|| id.to_string());
                let mut new_state = state.clone();
                match &mut new_state {
                    Value::Object(m) => {
                        m.insert(key, response);
                    }
                    other => *other = json!({ key: response }),
                }
                Ok(Done { virtual_ms, ..go(next, new_state) })
            }
            Step::DataTransform(c) | Step::CustomCode(c) => {
                let code = self
                    .bundle
                    .scripts
                    .get(id)
                    .ok_or_else(|| StepError::new(ErrorKind::Script, format!("the step's code is missing: steps/{id}.js")))?;
                let value = self.script(id, code, state, logs)?;
                if value.is_null() {
                    return Err(StepError::new(ErrorKind::Script, "run() returned nothing; return the new state"));
                }
                let next = c.next.as_ref().ok_or_else(|| no_next(id))?;
                Ok(go(next, value))
            }
            Step::Condition(c) => {
                for b in &c.branches {
                    let hit = self.js(Call::Expression { expr: b.when.clone(), input: state.clone() }, logs)?;
                    if hit == Value::Bool(true) {
                        let next = b.next.as_ref().ok_or_else(|| no_next(id))?;
                        return Ok(go(next, state.clone()));
                    }
                }
                match &c.otherwise {
                    Some(o) => Ok(go(o, state.clone())),
                    None => Err(StepError::new(ErrorKind::Script, "no branch matched and there is no `otherwise`")),
                }
            }
            Step::Approval(a) => {
                let decision = match self.opts.approvals.get(id) {
                    Some(d) => Some(d.clone()),
                    None => {
                        let asked = Instant::now();
                        let d = (self.ask)(&ApprovalRequest {
                            step: id.clone(),
                            name: a.name.clone(),
                            prompt: a.prompt.clone(),
                            approvers: a.approvers.clone(),
                            state: state.clone(),
                        });
                        self.waited_for_people += asked.elapsed();
                        d
                    }
                };
                if decision.is_none() && self.cancelled() {
                    return Err(StepError::new(ErrorKind::Cancelled, "the preview was cancelled"));
                }
                let d = decision.ok_or_else(|| {
                    StepError::new(ErrorKind::Approval, format!("approval `{id}` has no decision; add it to the test case's `approvals`"))
                })?;
                let mut new_state = state.clone();
                let verdict = match d.decision {
                    Verdict::Approve => "approve",
                    Verdict::Reject => "reject",
                };
                if let Value::Object(m) = &mut new_state {
                    m.insert(id.to_string(), json!({ "decision": verdict, "by": d.by, "comment": d.comment }));
                }
                let next = match d.decision {
                    Verdict::Approve => &a.next_if_approved,
                    Verdict::Reject => &a.next_if_rejected,
                };
                let next = next.as_ref().ok_or_else(|| no_next(id))?;
                Ok(go(next, new_state))
            }
            Step::End(e) => {
                let output = match &e.output {
                    Some(t) => render_value(t, state).map_err(template)?,
                    None => state.clone(),
                };
                Ok(Done { state: state.clone(), next: Next::End(e.status, output), virtual_ms: 0 })
            }
        }
    }

    /// Runs the code step `id`. When the steps after it are code steps too,
    /// they go to the worker as one chain and their answers are taken as the
    /// run reaches them: the same calls, the same answers, one round trip.
    fn script(&mut self, id: &Id, code: &str, state: &Value, logs: &mut Vec<LogLine>) -> Result<Value, StepError> {
        if self.lease.in_chain() && self.chain.front() == Some(id) {
            self.chain.pop_front();
            let resp = self.lease.next_answer();
            return self.answer(resp, logs);
        }
        self.chain.clear();
        let links = self.chain_from(id);
        if links.len() < 2 {
            let call = Call::Script { file: format!("steps/{id}.js"), code: code.to_owned(), input: state.clone() };
            return self.js(call, logs);
        }
        let steps = links.iter().map(|(s, code)| ChainStep { file: format!("steps/{s}.js"), code: (*code).clone() }).collect();
        self.chain = links.iter().skip(1).map(|(s, _)| s.clone()).collect();
        let resp = match self.lease.start_chain(steps, state.clone(), self.clock, self.opts.seed) {
            Ok(()) => self.lease.next_answer(),
            Err(resp) => resp,
        };
        self.answer(resp, logs)
    }

    /// The code steps from `first` on, each the one before's `next`, each at most once.
    fn chain_from(&self, first: &Id) -> Vec<(Id, &String)> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut bytes = 0;
        let mut at = Some(first.clone());
        while let Some(id) = at {
            if out.len() >= MAX_CHAIN || !seen.insert(id.clone()) {
                break;
            }
            let (Some(Step::DataTransform(c) | Step::CustomCode(c)), Some(code)) =
                (self.bundle.workflow.steps.get(&id), self.bundle.scripts.get(&id))
            else {
                break;
            };
            bytes += code.len();
            if bytes > MAX_CHAIN_CODE_BYTES && !out.is_empty() {
                break;
            }
            at = c.next.clone();
            out.push((id, code));
        }
        out
    }

    /// Runs JavaScript in the worker; its console lines go into `logs`.
    fn js(&mut self, call: Call, logs: &mut Vec<LogLine>) -> Result<Value, StepError> {
        let resp = self.lease.call(call, self.clock, self.opts.seed);
        self.answer(resp, logs)
    }

    fn answer(&mut self, resp: Response, logs: &mut Vec<LogLine>) -> Result<Value, StepError> {
        logs.extend(resp.logs);
        match resp.outcome {
            Outcome::Ok { value } => Ok(value),
            Outcome::Failed { kind, message } => Err(StepError::new(
                match kind {
                    FailureKind::Syntax => ErrorKind::Syntax,
                    FailureKind::Thrown => ErrorKind::Script,
                    FailureKind::Limit => ErrorKind::Limit,
                    FailureKind::Engine => ErrorKind::Engine,
                    FailureKind::Cancelled => ErrorKind::Cancelled,
                },
                message,
            )),
        }
    }
}

/// Preview milliseconds from `start` to `now`, never negative, never overflowing.
fn elapsed(start: i64, now: i64) -> u64 {
    u64::try_from(now.saturating_sub(start)).unwrap_or(0)
}

fn no_next(id: &Id) -> StepError {
    StepError::new(ErrorKind::Engine, format!("step `{id}` has no next step"))
}

/// Where `continue` goes after a failed step: its plain next, or a condition's `otherwise`.
fn continue_target(step: &Step) -> Option<Id> {
    match step {
        Step::Condition(c) => c.otherwise.clone(),
        other => other.next().cloned(),
    }
}
