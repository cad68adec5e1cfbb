//! `workflows/<id>/workflow.json`: triggers, steps keyed by id, transitions,
//! error policy and timeout. Positions live in [`crate::layout`], code in `steps/<id>.js`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::control::{ForEachStep, JoinStep, ParallelStep, SubWorkflowStep, WaitStep};
use crate::id::Id;

/// A workflow: what starts it, its steps and where each goes next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// The step the workflow starts at.
    pub start: Id,
    pub steps: BTreeMap<Id, Step>,
    /// What happens when a step fails and has no policy of its own. Default: fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorPolicy>,
    /// The whole run's time limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

/// What starts a workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// Started by a person from the app.
    Manual {},
    /// Started when a form is submitted; the form's data is the input.
    FormSubmit { form: Id },
    /// Started on a schedule: a five-field cron expression.
    Schedule {
        cron: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timezone: Option<String>,
    },
    /// Started by an HTTP request to `path`.
    Webhook {
        path: String,
        #[serde(default = "HttpMethod::post", skip_serializing_if = "HttpMethod::is_post")]
        method: HttpMethod,
    },
}

/// HTTP methods a step or trigger may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    fn post() -> HttpMethod {
        HttpMethod::Post
    }
    fn is_post(&self) -> bool {
        *self == HttpMethod::Post
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// One step of a workflow; `kind` picks what it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// Calls an HTTP API through a source (`sources/<id>.json`).
    ApiCall(ApiCallStep),
    /// Reshapes data with JavaScript in `steps/<id>.js`.
    DataTransform(CodeStep),
    /// Branches on JavaScript expressions; the first true branch wins.
    Condition(ConditionStep),
    /// Waits for a person to approve or reject.
    Approval(ApprovalStep),
    /// Runs arbitrary JavaScript in `steps/<id>.js`.
    CustomCode(CodeStep),
    /// Ends the run with a status and output.
    End(EndStep),
    /// Runs a workflow once per item of a list.
    ForEach(ForEachStep),
    /// Splits into branches that run side by side until their `join`.
    Parallel(ParallelStep),
    /// Where a `parallel` step's branches meet.
    Join(JoinStep),
    /// Calls another workflow.
    SubWorkflow(SubWorkflowStep),
    /// Waits on the preview clock.
    Wait(WaitStep),
}

/// The kinds of step, without their settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    ApiCall,
    DataTransform,
    Condition,
    Approval,
    CustomCode,
    End,
    ForEach,
    Parallel,
    Join,
    SubWorkflow,
    Wait,
}

impl StepKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            StepKind::ApiCall => "api_call",
            StepKind::DataTransform => "data_transform",
            StepKind::Condition => "condition",
            StepKind::Approval => "approval",
            StepKind::CustomCode => "custom_code",
            StepKind::End => "end",
            StepKind::ForEach => "for_each",
            StepKind::Parallel => "parallel",
            StepKind::Join => "join",
            StepKind::SubWorkflow => "sub_workflow",
            StepKind::Wait => "wait",
        }
    }
    /// Kinds whose one exit is a plain `next` ([`Step::next`]).
    pub fn has_next(&self) -> bool {
        matches!(
            self,
            StepKind::ApiCall
                | StepKind::DataTransform
                | StepKind::CustomCode
                | StepKind::ForEach
                | StepKind::Join
                | StepKind::SubWorkflow
                | StepKind::Wait
        )
    }
    /// Steps whose logic is a `steps/<id>.js` file.
    pub fn has_script(&self) -> bool {
        matches!(self, StepKind::DataTransform | StepKind::CustomCode)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ApiCallStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The source (`sources/<id>.json`) that gives the base URL and auth.
    pub source: Id,
    pub method: HttpMethod,
    /// Path below the source's base URL; `{{input.x}}` placeholders are filled from the state.
    pub path: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// The state key the response body is stored under; default: the step id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_as: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

/// A `data_transform` or `custom_code` step: its code is `steps/<id>.js`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CodeStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Set by an import for a node with no counterpart: what the person must
    /// still write. `validate` lists it until it is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ConditionStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Tried in order; the first whose `when` is true is taken.
    pub branches: Vec<Branch>,
    /// Taken when no branch matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorPolicy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// The label drawn on the edge.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// A JavaScript expression over `input` (the state), e.g. `input.amount > 1000`.
    pub when: String,
    /// Where the branch goes; absent while the branch is not connected yet.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::id::empty_as_none")]
    pub next: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ApprovalStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Roles or groups that may decide.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvers: Vec<String>,
    /// What the approver is asked.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prompt: String,
    /// Where an approval goes; absent while that exit is not connected yet.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::id::empty_as_none")]
    pub next_if_approved: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::id::empty_as_none")]
    pub next_if_rejected: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorPolicy>,
    /// How long to wait for a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct EndStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "EndStatus::is_completed")]
    pub status: EndStatus,
    /// The run's output; `{{...}}` placeholders are filled from the state. Default: the state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum EndStatus {
    #[default]
    Completed,
    Rejected,
    Failed,
}

impl EndStatus {
    fn is_completed(&self) -> bool {
        *self == EndStatus::Completed
    }
}

/// What happens when a step fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "policy", rename_all = "snake_case", deny_unknown_fields)]
pub enum ErrorPolicy {
    /// The run fails.
    Fail {},
    /// The error is recorded and the run goes on to the step's next step.
    Continue {},
    /// The run goes on at another step (an error route).
    Route { to: Id },
    /// The step is tried again, waiting `backoff_ms`, then `backoff_ms * factor`, ...
    Retry {
        /// Attempts in all, the first included.
        max_attempts: u32,
        backoff_ms: u64,
        #[serde(default = "default_factor", skip_serializing_if = "is_default_factor")]
        factor: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_backoff_ms: Option<u64>,
        /// What happens when every attempt failed. Default: fail.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        then: Option<Box<ErrorPolicy>>,
    },
}

fn default_factor() -> u32 {
    2
}
fn is_default_factor(f: &u32) -> bool {
    *f == 2
}

/// A named exit from a step, for drawing edges and checking the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition<'a> {
    /// JSON pointer segments, below the step, of the property naming the target.
    pub property: Vec<String>,
    /// The edge label: `next`, a branch label, `approved`, `error`...
    pub label: String,
    pub target: &'a Id,
    /// True for error routes, drawn apart.
    pub is_error: bool,
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Step::ApiCall(_) => StepKind::ApiCall,
            Step::DataTransform(_) => StepKind::DataTransform,
            Step::Condition(_) => StepKind::Condition,
            Step::Approval(_) => StepKind::Approval,
            Step::CustomCode(_) => StepKind::CustomCode,
            Step::End(_) => StepKind::End,
            Step::ForEach(_) => StepKind::ForEach,
            Step::Parallel(_) => StepKind::Parallel,
            Step::Join(_) => StepKind::Join,
            Step::SubWorkflow(_) => StepKind::SubWorkflow,
            Step::Wait(_) => StepKind::Wait,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Step::ApiCall(s) => &s.name,
            Step::DataTransform(s) | Step::CustomCode(s) => &s.name,
            Step::Condition(s) => &s.name,
            Step::Approval(s) => &s.name,
            Step::End(s) => &s.name,
            Step::ForEach(s) => &s.name,
            Step::Parallel(s) => &s.name,
            Step::Join(s) => &s.name,
            Step::SubWorkflow(s) => &s.name,
            Step::Wait(s) => &s.name,
        }
    }

    pub fn description(&self) -> &str {
        match self {
            Step::ApiCall(s) => &s.description,
            Step::DataTransform(s) | Step::CustomCode(s) => &s.description,
            Step::Condition(s) => &s.description,
            Step::Approval(s) => &s.description,
            Step::End(s) => &s.description,
            Step::ForEach(s) => &s.description,
            Step::Parallel(s) => &s.description,
            Step::Join(s) => &s.description,
            Step::SubWorkflow(s) => &s.description,
            Step::Wait(s) => &s.description,
        }
    }

    /// The expressions and templates a step holds (not its script): a
    /// condition's `when`s, an api_call's path and body, an end's output.
    pub fn expression_texts(&self) -> Vec<String> {
        match self {
            Step::Condition(c) => c.branches.iter().map(|br| br.when.clone()).collect(),
            Step::ApiCall(a) => std::iter::once(a.path.clone()).chain(a.body.iter().map(|v| v.to_string())).collect(),
            Step::End(e) => e.output.iter().map(|v| v.to_string()).collect(),
            Step::ForEach(f) => std::iter::once(f.items.clone()).chain(f.input.iter().map(|v| v.to_string())).collect(),
            Step::SubWorkflow(s) => s.input.iter().map(|v| v.to_string()).collect(),
            Step::Wait(w) => w.until.iter().cloned().collect(),
            _ => Vec::new(),
        }
    }

    pub fn on_error(&self) -> Option<&ErrorPolicy> {
        match self {
            Step::ApiCall(s) => s.on_error.as_ref(),
            Step::DataTransform(s) | Step::CustomCode(s) => s.on_error.as_ref(),
            Step::Condition(s) => s.on_error.as_ref(),
            Step::Approval(s) => s.on_error.as_ref(),
            Step::ForEach(s) => s.on_error.as_ref(),
            Step::Parallel(s) => s.on_error.as_ref(),
            Step::SubWorkflow(s) => s.on_error.as_ref(),
            Step::End(_) | Step::Join(_) | Step::Wait(_) => None,
        }
    }

    /// The plain `next` of steps that have one.
    pub fn next(&self) -> Option<&Id> {
        match self {
            Step::ApiCall(s) => s.next.as_ref(),
            Step::DataTransform(s) | Step::CustomCode(s) => s.next.as_ref(),
            Step::ForEach(s) => s.next.as_ref(),
            Step::Join(s) => s.next.as_ref(),
            Step::SubWorkflow(s) => s.next.as_ref(),
            Step::Wait(s) => s.next.as_ref(),
            _ => None,
        }
    }

    /// Every step id this step names, to change in place: its exits, its
    /// error routes and a parallel step's join. The same ids
    /// [`Step::transitions`] reads, plus the join.
    pub fn step_ids_mut(&mut self) -> Vec<&mut Id> {
        let mut out: Vec<&mut Id> = Vec::new();
        let policy = match self {
            Step::ApiCall(s) => {
                out.extend(s.next.as_mut());
                s.on_error.as_mut()
            }
            Step::DataTransform(s) | Step::CustomCode(s) => {
                out.extend(s.next.as_mut());
                s.on_error.as_mut()
            }
            Step::Condition(c) => {
                out.extend(c.branches.iter_mut().filter_map(|b| b.next.as_mut()));
                out.extend(c.otherwise.as_mut());
                c.on_error.as_mut()
            }
            Step::Approval(a) => {
                out.extend(a.next_if_approved.as_mut());
                out.extend(a.next_if_rejected.as_mut());
                a.on_error.as_mut()
            }
            Step::End(_) => None,
            Step::ForEach(s) => {
                out.extend(s.next.as_mut());
                s.on_error.as_mut()
            }
            Step::Parallel(p) => {
                out.extend(p.branches.iter_mut().filter_map(|b| b.next.as_mut()));
                out.extend(p.join.as_mut());
                p.on_error.as_mut()
            }
            Step::Join(s) => {
                out.extend(s.next.as_mut());
                None
            }
            Step::SubWorkflow(s) => {
                out.extend(s.next.as_mut());
                s.on_error.as_mut()
            }
            Step::Wait(s) => {
                out.extend(s.next.as_mut());
                None
            }
        };
        if let Some(p) = policy {
            out.extend(p.routes_mut());
        }
        out
    }

    /// The workflow a `for_each` or `sub_workflow` step calls.
    pub fn calls(&self) -> Option<&Id> {
        match self {
            Step::ForEach(f) => f.workflow.as_ref(),
            Step::SubWorkflow(s) => s.workflow.as_ref(),
            _ => None,
        }
    }

    pub fn calls_mut(&mut self) -> Option<&mut Id> {
        match self {
            Step::ForEach(f) => f.workflow.as_mut(),
            Step::SubWorkflow(s) => s.workflow.as_mut(),
            _ => None,
        }
    }

    /// Every transition out of this step, error routes included.
    pub fn transitions(&self) -> Vec<Transition<'_>> {
        fn t<'a>(property: &[&str], label: &str, target: &'a Id, is_error: bool) -> Transition<'a> {
            let property = property.iter().map(|s| s.to_string()).collect();
            Transition { property, label: label.to_owned(), target, is_error }
        }
        let mut out: Vec<Transition<'_>> = self.next().map(|n| t(&["next"], "next", n, false)).into_iter().collect();
        match self {
            Step::Parallel(p) => {
                for (i, b) in p.branches.iter().enumerate() {
                    let label = if b.label.is_empty() { format!("branch {}", i + 1) } else { b.label.clone() };
                    out.extend(b.next.as_ref().map(|n| t(&["branches", &i.to_string(), "next"], &label, n, false)));
                }
            }
            Step::Condition(c) => {
                for (i, b) in c.branches.iter().enumerate() {
                    let label = if b.label.is_empty() { &b.when } else { &b.label };
                    out.extend(b.next.as_ref().map(|n| t(&["branches", &i.to_string(), "next"], label, n, false)));
                }
                out.extend(c.otherwise.as_ref().map(|o| t(&["otherwise"], "otherwise", o, false)));
            }
            Step::Approval(a) => {
                out.extend(a.next_if_approved.as_ref().map(|n| t(&["next_if_approved"], "approved", n, false)));
                out.extend(a.next_if_rejected.as_ref().map(|n| t(&["next_if_rejected"], "rejected", n, false)));
            }
            _ => {}
        }
        if let Some(policy) = self.on_error() {
            for (mut property, target) in policy.routes() {
                property.insert(0, "on_error".to_owned());
                out.push(Transition { property, label: "error".to_owned(), target, is_error: true });
            }
        }
        out
    }
}

impl ErrorPolicy {
    /// The steps this policy may route to, to change in place.
    pub fn routes_mut(&mut self) -> Vec<&mut Id> {
        match self {
            ErrorPolicy::Route { to } => vec![to],
            ErrorPolicy::Retry { then: Some(then), .. } => then.routes_mut(),
            _ => Vec::new(),
        }
    }

    /// Steps this policy may route to, with the pointer segments naming them.
    pub fn routes(&self) -> Vec<(Vec<String>, &Id)> {
        match self {
            ErrorPolicy::Route { to } => vec![(vec!["to".to_owned()], to)],
            ErrorPolicy::Retry { then: Some(then), .. } => then
                .routes()
                .into_iter()
                .map(|(mut p, t)| {
                    p.insert(0, "then".to_owned());
                    (p, t)
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}
