//! The control-flow steps: `sub_workflow` and `for_each` run another
//! workflow of the project as a sub-run; `parallel` walks each branch from
//! the state at the split to its join and merges what they changed; `wait`
//! moves the preview clock. Each reports the preview time it took and leaves
//! the clock where it found it, so the walk's loop advances it once.

use atelier_model::control::{ForEachStep, ItemErrorPolicy, JoinMode, ParallelStep, SubWorkflowStep, WaitStep, MAX_FOR_EACH_ITEMS};
use atelier_model::workflow::Step;
use atelier_model::Id;
use serde_json::{json, Map, Value};
use std::collections::VecDeque;

use super::{elapsed, no_next, Done, Next, Run, Walked};
use crate::pool::ChainScript;
use crate::protocol::Call;
use crate::template::{render_text, render_value};
use crate::trace::{ErrorKind, LogLine, RunStatus, StepError};

/// How deep calls may nest: a cycle of calls (a validation error, but a run
/// does not trust validation) stops here instead of exhausting the stack.
pub(crate) const MAX_CALL_DEPTH: usize = 16;

/// The state with `value` stored under `key` (a state that is not an object becomes one).
pub(super) fn with_key(state: &Value, key: String, value: Value) -> Value {
    let mut s = state.clone();
    match &mut s {
        Value::Object(m) => {
            m.insert(key, value);
        }
        other => *other = json!({ key: value }),
    }
    s
}

impl Run<'_> {
    /// Runs workflow `workflow` with `input` as a sub-run of step `step`
    /// (`label` names it in the trace); its output, or why it failed.
    /// `batched` lists the body's code steps whose answers the worker's
    /// running [`Call::Each`] already holds for this item, in order.
    fn call_workflow(
        &mut self,
        step: &Id,
        label: String,
        workflow: Option<&Id>,
        input: Value,
        batched: VecDeque<Id>,
    ) -> Result<Value, StepError> {
        let Some(workflow) = workflow else {
            return Err(StepError::new(ErrorKind::Engine, format!("step `{step}` names no workflow to run")));
        };
        if self.within.len() >= MAX_CALL_DEPTH {
            return Err(StepError::new(
                ErrorKind::Limit,
                format!("limit exceeded: calls nest more than {MAX_CALL_DEPTH} deep (does workflow `{workflow}` call itself?)"),
            ));
        }
        let Some(bundle) = self.project.workflows.get(workflow) else {
            return Err(StepError::new(ErrorKind::Engine, format!("step `{step}` calls workflow `{workflow}`, which does not exist")));
        };
        let (caller, caller_started) = (self.bundle, self.frame_started);
        self.bundle = bundle;
        self.frame_started = self.clock;
        // The worker's chain, if any, belongs to the caller's steps, unless
        // it is this item's part of a for_each batch.
        self.chain = batched;
        self.within.push(label);
        let walked = self.walk(bundle.workflow.start.clone(), input, None);
        self.within.pop();
        self.chain.clear();
        self.bundle = caller;
        self.frame_started = caller_started;
        match walked {
            Walked::Ended { status: RunStatus::Failed, step: end, .. } => {
                Err(StepError::new(ErrorKind::Script, format!("workflow `{workflow}` ended as failed at `{end}`")))
            }
            Walked::Ended { output, .. } => Ok(output),
            Walked::Failed(e) => Err(StepError::new(e.kind, format!("in workflow `{workflow}`: {}", e.message))),
            Walked::Reached(_) => unreachable!("a walk without a stop step never stops before one"),
        }
    }

    pub(super) fn sub_workflow(&mut self, id: &Id, s: &SubWorkflowStep, state: &Value) -> Result<Done, StepError> {
        let input = match &s.input {
            Some(t) => render_value(t, state).map_err(|e| StepError::new(ErrorKind::Template, e))?,
            None => state.clone(),
        };
        let next = s.next.as_ref().ok_or_else(|| no_next(id))?;
        let at = self.clock;
        let result = self.call_workflow(id, id.to_string(), s.workflow.as_ref(), input, VecDeque::new());
        let virtual_ms = elapsed(at, self.clock);
        self.clock = at;
        let output = result?;
        let key = s.save_as.clone().unwrap_or_else(|| id.to_string());
        Ok(Done { state: with_key(state, key, output), next: Next::Step(next.clone()), virtual_ms })
    }

    pub(super) fn for_each(&mut self, id: &Id, f: &ForEachStep, state: &Value, logs: &mut Vec<LogLine>) -> Result<Done, StepError> {
        let next = f.next.as_ref().ok_or_else(|| no_next(id))?;
        if f.workflow.is_none() {
            return Err(StepError::new(ErrorKind::Engine, format!("step `{id}` names no workflow to run")));
        }
        let items = match self.js(Call::Value { expr: f.items.clone(), input: state.clone() }, logs)? {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            other => {
                return Err(StepError::new(
                    ErrorKind::Script,
                    format!("`{}` gave {} where a list of items was expected", f.items, kind_of(&other)),
                ))
            }
        };
        let max = f.max_items.unwrap_or(MAX_FOR_EACH_ITEMS).min(MAX_FOR_EACH_ITEMS);
        if items.len() > max as usize {
            return Err(StepError::new(
                ErrorKind::Limit,
                format!("limit exceeded: {} items, and this step runs at most {max}", items.len()),
            ));
        }
        let shared = match &f.input {
            Some(t) => match render_value(t, state).map_err(|e| StepError::new(ErrorKind::Template, e))? {
                Value::Object(m) => m,
                other => return Err(StepError::new(ErrorKind::Template, format!("`input` must give an object, not {}", kind_of(&other)))),
            },
            None => Map::new(),
        };
        let inputs: Vec<Value> = items
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                let mut input = shared.clone();
                input.insert("item".into(), item);
                input.insert("index".into(), json!(index));
                Value::Object(input)
            })
            .collect();
        let at = self.clock;
        let mut batch = self.start_batch(f.workflow.as_ref(), &inputs, f.on_item_error == ItemErrorPolicy::Stop);
        let mut results = Vec::with_capacity(inputs.len());
        let mut errors = Vec::new();
        for (index, input) in inputs.into_iter().enumerate() {
            let expect = match &batch {
                Some(ids) if self.lease.in_chain() && self.lease.at_run_start() => ids.clone(),
                _ => VecDeque::new(),
            };
            let outcome = self.call_workflow(id, format!("{id}[{index}]"), f.workflow.as_ref(), input, expect);
            if batch.is_some() && !self.lease.at_run_start() {
                // The item's walk left the batch mid-way (cancelled, out of
                // time): the rest of the items go one by one.
                self.lease.finish_chain();
                batch = None;
            }
            match outcome {
                Ok(out) => results.push(out),
                Err(e) => match f.on_item_error {
                    ItemErrorPolicy::Stop => {
                        self.lease.finish_chain();
                        self.clock = at;
                        return Err(StepError::new(e.kind, format!("item {index}: {}", e.message)));
                    }
                    ItemErrorPolicy::Skip => {}
                    ItemErrorPolicy::Collect => errors.push(json!({ "index": index, "kind": e.kind, "message": e.message })),
                },
            }
        }
        // One item after the other on the preview clock: the body's own waits add up.
        let virtual_ms = elapsed(at, self.clock);
        self.clock = at;
        let key = f.save_as.clone().unwrap_or_else(|| id.to_string());
        let mut new_state = with_key(state, key.clone(), Value::Array(results));
        if f.on_item_error == ItemErrorPolicy::Collect {
            new_state = with_key(&new_state, format!("{key}_errors"), Value::Array(errors));
        }
        Ok(Done { state: new_state, next: Next::Step(next.clone()), virtual_ms })
    }

    /// Sends every item of a for_each to the worker in one request when the
    /// body is a straight line of code steps into an `end`, with no error
    /// policy of its own: each item's walk then takes its answers as it
    /// reaches its steps, the same calls with the same answers as one by one,
    /// without a round trip each. The steps' ids, when it was sent.
    fn start_batch(&mut self, workflow: Option<&Id>, inputs: &[Value], stop_at_failure: bool) -> Option<VecDeque<Id>> {
        let bundle = self.project.workflows.get(workflow?)?;
        let wf = &bundle.workflow;
        if inputs.len() < 2 || wf.on_error.is_some() || wf.timeout_ms.is_some() {
            return None;
        }
        let links = super::chain_of(bundle, &wf.start);
        let (last, _) = links.last()?;
        let ends = match wf.steps.get(last) {
            Some(Step::DataTransform(c) | Step::CustomCode(c)) => c.next.as_ref().and_then(|n| wf.steps.get(n)),
            _ => None,
        };
        if !matches!(ends, Some(Step::End(_))) || links.iter().any(|(s, _)| wf.steps.get(s).and_then(Step::on_error).is_some()) {
            return None;
        }
        let scripts: Vec<_> = links.iter().map(|(s, code)| ChainScript { file: format!("steps/{s}.js"), code }).collect();
        let ids = links.iter().map(|(s, _)| s.clone()).collect();
        self.lease.start_each(&scripts, inputs.to_vec(), stop_at_failure, self.clock, self.opts.seed).ok()?;
        Some(ids)
    }

    /// Walks each branch from the state at the split until the join, each
    /// from the split's time on the preview clock, in branch order, so the
    /// trace is the same every run. Then merges, by the join's rule.
    pub(super) fn parallel(&mut self, id: &Id, p: &ParallelStep, state: &Value) -> Result<Done, StepError> {
        let join = p.join.as_ref().ok_or_else(|| StepError::new(ErrorKind::Engine, format!("parallel step `{id}` has no join step")))?;
        let mode = match self.bundle.workflow.steps.get(join) {
            Some(Step::Join(j)) => j.wait_for,
            _ => return Err(StepError::new(ErrorKind::Engine, format!("`{join}` is not a join step"))),
        };
        let at = self.clock;
        // (branch label, preview ms it took, its state at the join)
        let mut arrived: Vec<(String, u64, Value)> = Vec::new();
        for (i, b) in p.branches.iter().enumerate() {
            let label = if b.label.is_empty() { format!("branch {}", i + 1) } else { b.label.clone() };
            let first = b.next.as_ref().ok_or_else(|| no_next(id))?;
            self.clock = at;
            self.chain.clear();
            let walked = self.walk(first.clone(), state.clone(), Some(join));
            let took = elapsed(at, self.clock);
            self.clock = at;
            match walked {
                Walked::Reached(s) => arrived.push((label, took, s)),
                Walked::Ended { step, .. } => {
                    return Err(StepError::new(
                        ErrorKind::Engine,
                        format!("branch `{label}` ended at `{step}` before it reached the join `{join}`"),
                    ))
                }
                Walked::Failed(e) => return Err(StepError::new(e.kind, format!("branch `{label}`: {}", e.message))),
            }
        }
        let (merged, virtual_ms) = match mode {
            JoinMode::All => (merge_branches(state, &arrived)?, arrived.iter().map(|a| a.1).max().unwrap_or(0)),
            JoinMode::First => match arrived.iter().min_by_key(|a| a.1) {
                Some((_, took, s)) => (s.clone(), *took),
                None => (state.clone(), 0),
            },
        };
        Ok(Done { state: merged, next: Next::Step(join.clone()), virtual_ms })
    }

    pub(super) fn wait(&mut self, id: &Id, w: &WaitStep, state: &Value) -> Result<Done, StepError> {
        let next = w.next.as_ref().ok_or_else(|| no_next(id))?;
        let virtual_ms = match (&w.duration_ms, &w.until) {
            (Some(ms), None) => *ms,
            (None, Some(until)) => {
                let text = render_text(until, state).map_err(|e| StepError::new(ErrorKind::Template, e))?;
                let when = crate::clock::parse_rfc3339(text.trim())
                    .map_err(|e| StepError::new(ErrorKind::Template, format!("`{text}` is not an RFC 3339 time: {e}")))?;
                elapsed(self.clock, when)
            }
            _ => return Err(StepError::new(ErrorKind::Engine, "a wait step needs either `duration_ms` or `until`")),
        };
        Ok(Done { state: state.clone(), next: Next::Step(next.clone()), virtual_ms })
    }
}

/// The state at the split, then each branch's changed top-level keys in
/// branch order; a key two branches set to different values is an error
/// rather than a silent winner.
fn merge_branches(split: &Value, arrived: &[(String, u64, Value)]) -> Result<Value, StepError> {
    let empty = Map::new();
    let before = split.as_object().unwrap_or(&empty);
    let mut merged = before.clone();
    let mut set_by: Map<String, Value> = Map::new();
    for (label, _, s) in arrived {
        let Some(after) = s.as_object() else {
            return Err(StepError::new(ErrorKind::Script, format!("branch `{label}` left a state that is not an object")));
        };
        let removed = before.keys().filter(|k| !after.contains_key(*k));
        let changed = after.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(k, v)| (k, Some(v)));
        for (key, value) in changed.chain(removed.map(|k| (k, None))) {
            if let Some(Value::String(other)) = set_by.get(key) {
                if merged.get(key) != value {
                    return Err(StepError::new(
                        ErrorKind::Script,
                        format!("branches `{other}` and `{label}` both changed `{key}`; give each branch its own key"),
                    ));
                }
            }
            set_by.insert(key.clone(), Value::String(label.clone()));
            match value {
                Some(v) => merged.insert(key.clone(), v.clone()),
                None => merged.remove(key),
            };
        }
    }
    Ok(Value::Object(merged))
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
