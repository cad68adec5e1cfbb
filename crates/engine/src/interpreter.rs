//! The workflow interpreter: walks the graph from the start step with a state,
//! one executor per step kind, the error policies and the workflow timeout, on
//! a virtual clock, reporting every step attempt as trace events.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use atelier_model::project::WorkflowBundle;
use atelier_model::test_case::{Decision, Mock};
use atelier_model::workflow::{EndStatus, ErrorPolicy, Step, Workflow};
use atelier_model::{Id, Project};
use serde::Serialize;
use serde_json::{json, Value};

use crate::pool::{Lease, WorkerPool};
use crate::trace::{ErrorKind, RunStatus, StepError, TraceEvent};

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
    /// Step attempts one walk through a workflow (the run, a sub-run, a
    /// parallel branch) may make before it is stopped (a loop in the graph).
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
    on_event: &mut dyn FnMut(TraceEvent),
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
        wall_start: Instant::now(),
        attempts: 0,
        frame_started: opts.clock_ms,
        within: Vec::new(),
    };
    Ok(run.go(workflow))
}

struct Run<'a> {
    project: &'a Project,
    /// The workflow being walked: the called one while a sub-run goes.
    bundle: &'a WorkflowBundle,
    opts: &'a RunOptions,
    lease: Lease<'a>,
    /// The virtual clock, in milliseconds since the epoch.
    clock: i64,
    ask: &'a mut dyn FnMut(&ApprovalRequest) -> Option<Decision>,
    on_event: &'a mut dyn FnMut(TraceEvent),
    /// Real time spent waiting for people to decide approvals.
    waited_for_people: std::time::Duration,
    /// The code steps whose answers the worker's running chain still owes, in order.
    chain: VecDeque<Id>,
    wall_start: Instant,
    /// Step attempts so far, sub-runs and branches included (reported; the
    /// loop guard counts each walk's own).
    attempts: u32,
    /// When the workflow being walked started, for its own timeout.
    frame_started: i64,
    /// The calling steps of the sub-run being walked (`lines[2]`, `notify`), outermost first.
    within: Vec<String>,
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

/// How a walk through a workflow's graph stopped.
enum Walked {
    /// At an `end` step.
    Ended {
        status: RunStatus,
        step: Id,
        output: Value,
    },
    /// At the step it was told to stop before (a parallel branch at its join).
    Reached(Value),
    Failed(StepError),
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
        (self.on_event)(e);
    }

    /// Where the events of the walk now going belong: absent at the top.
    fn within(&self) -> Option<String> {
        (!self.within.is_empty()).then(|| self.within.join("/"))
    }

    fn go(&mut self, workflow_id: &Id) -> RunResult {
        let started = self.clock;
        self.emit(TraceEvent::RunStarted {
            workflow: workflow_id.to_string(),
            input: self.opts.input.clone(),
            clock: crate::clock::format_rfc3339(started),
            seed: self.opts.seed,
        });
        let start = self.bundle.workflow.start.clone();
        let (status, end_step, output, error) = match self.walk(start, self.opts.input.clone(), None) {
            Walked::Ended { status, step, output } => (status, Some(step), Some(output), None),
            Walked::Failed(e) => (RunStatus::Failed, None, None, Some(e)),
            Walked::Reached(_) => unreachable!("a walk without a stop step never stops before one"),
        };
        let duration_ms = elapsed(started, self.clock);
        let attempts = self.attempts;
        self.emit(TraceEvent::RunFinished {
            status,
            end_step: end_step.as_ref().map(|s| s.to_string()),
            output: output.clone(),
            error: error.clone(),
            attempts,
            duration_ms,
        });
        RunResult { status, end_step, output, error, attempts, duration_ms }
    }

    /// Walks the graph of `self.bundle` from `start` with `state` until an
    /// `end` step, a failure the error policies do not catch, or `stop_before`.
    fn walk(&mut self, start: Id, mut state: Value, stop_before: Option<&Id>) -> Walked {
        let bundle = self.bundle;
        let wf: &Workflow = &bundle.workflow;
        let mut current = start;
        // The loop guard counts this walk's own attempts: a for_each of many
        // items runs many short walks, each within the limit.
        let mut walked = 0u32;
        loop {
            if stop_before == Some(&current) {
                return Walked::Reached(state);
            }
            if let Some(limit) = wf.timeout_ms {
                if elapsed(self.frame_started, self.clock) > limit {
                    return Walked::Failed(StepError::new(ErrorKind::Timeout, format!("the workflow's timeout of {limit} ms ran out")));
                }
            }
            let Some(step) = wf.steps.get(&current) else {
                return Walked::Failed(StepError::new(ErrorKind::Engine, format!("step `{current}` does not exist")));
            };
            let policy = step.on_error().or(wf.on_error.as_ref()).cloned().unwrap_or(ErrorPolicy::Fail {});
            let mut attempt = 1u32;
            let outcome = loop {
                if self.cancelled() {
                    return Walked::Failed(StepError::new(ErrorKind::Cancelled, "the preview was cancelled"));
                }
                // Time a person spends deciding an approval is theirs, not the run's.
                if self.wall_start.elapsed().saturating_sub(self.waited_for_people) > self.opts.wall_limit {
                    return Walked::Failed(StepError::new(
                        ErrorKind::Limit,
                        format!("limit exceeded: the run took more than {} s of real time", self.opts.wall_limit.as_secs_f64()),
                    ));
                }
                if walked >= self.opts.max_attempts {
                    return Walked::Failed(StepError::new(
                        ErrorKind::Timeout,
                        format!("the run stopped after {walked} step attempts; is there a loop in the workflow?"),
                    ));
                }
                walked += 1;
                self.attempts += 1;
                let within = self.within();
                self.emit(TraceEvent::StepStarted {
                    step: current.to_string(),
                    kind: step.kind(),
                    attempt,
                    input: state.clone(),
                    within: within.clone(),
                });
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
                    within: within.clone(),
                });
                match result {
                    Ok(done) => break Ok(done),
                    Err(e) => match &policy {
                        ErrorPolicy::Retry { max_attempts, backoff_ms, factor, max_backoff_ms, .. } if attempt < *max_attempts => {
                            let mut wait = backoff_ms.saturating_mul(u64::from(*factor).saturating_pow(attempt - 1));
                            if let Some(max) = max_backoff_ms {
                                wait = wait.min(*max);
                            }
                            self.emit(TraceEvent::Waited { step: current.to_string(), ms: wait, within });
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
                    return Walked::Ended { status, step: current, output };
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
                        None => return Walked::Failed(error),
                    }
                }
            }
        }
    }
}

mod control;
mod steps;

/// The code steps of `bundle` from `first` on, each the one before's
/// `next`, each at most once, within the chain's limits.
fn chain_of<'b>(bundle: &'b WorkflowBundle, first: &Id) -> Vec<(Id, &'b String)> {
    let mut out = Vec::new();
    // The steps' own keys: found before the request can go, so no copies.
    let mut seen = rustc_hash::FxHashSet::default();
    let mut bytes = 0;
    let mut at = Some(first);
    while let Some(id) = at {
        if out.len() >= MAX_CHAIN {
            break;
        }
        let (Some((id, Step::DataTransform(c) | Step::CustomCode(c))), Some(code)) =
            (bundle.workflow.steps.get_key_value(id), bundle.scripts.get(id))
        else {
            break;
        };
        bytes += code.len();
        if !seen.insert(id) || (bytes > MAX_CHAIN_CODE_BYTES && !out.is_empty()) {
            break;
        }
        at = c.next.as_ref();
        out.push((id.clone(), code));
    }
    out
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
