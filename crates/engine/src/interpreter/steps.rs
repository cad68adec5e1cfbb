//! The executor of each step kind that does work: `api_call`, the code
//! steps (chained to the worker when consecutive), `condition`, `approval`,
//! `end`. The control-flow kinds are in `control`.

use std::time::Instant;

use atelier_model::test_case::Verdict;
use atelier_model::workflow::Step;
use atelier_model::Id;
use serde_json::{json, Value};

use super::control::with_key;
use super::{no_next, Done, Next, Run};
use crate::http::{self, HttpRequest};
use crate::interpreter::ApprovalRequest;
use crate::pool::ChainScript;
use crate::protocol::{Call, FailureKind, Outcome, Response};
use crate::template::{render_text, render_value};
use crate::trace::{ErrorKind, LogLine, StepError};

impl Run<'_> {
    pub(super) fn execute(&mut self, id: &Id, step: &Step, state: &Value, logs: &mut Vec<LogLine>) -> Result<Done, StepError> {
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
                Ok(Done { virtual_ms, ..go(next, with_key(state, key, response)) })
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
            Step::ForEach(f) => self.for_each(id, f, state, logs),
            Step::Parallel(p) => self.parallel(id, p, state),
            // The branches met in `parallel`, which merged their states.
            Step::Join(j) => Ok(go(j.next.as_ref().ok_or_else(|| no_next(id))?, state.clone())),
            Step::SubWorkflow(s) => self.sub_workflow(id, s, state),
            Step::Wait(w) => self.wait(id, w, state),
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
        let links = super::chain_of(self.bundle, id);
        if links.len() < 2 {
            let call = Call::Script { file: format!("steps/{id}.js"), code: code.to_owned(), input: state.clone() };
            return self.js(call, logs);
        }
        let scripts: Vec<_> = links.iter().map(|(s, code)| ChainScript { file: format!("steps/{s}.js"), code }).collect();
        self.chain = links.iter().skip(1).map(|(s, _)| s.clone()).collect();
        let resp = match self.lease.start_chain(&scripts, state.clone(), self.clock, self.opts.seed) {
            Ok(()) => self.lease.next_answer(),
            Err(resp) => resp,
        };
        self.answer(resp, logs)
    }

    /// Runs JavaScript in the worker; its console lines go into `logs`.
    pub(super) fn js(&mut self, call: Call, logs: &mut Vec<LogLine>) -> Result<Value, StepError> {
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
