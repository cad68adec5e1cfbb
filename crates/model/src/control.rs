//! The control-flow steps: `for_each`, `parallel` with its `join`,
//! `sub_workflow` and `wait`. Their place in [`crate::workflow::Step`] is the
//! same as every other kind's; this file holds only their settings.
//!
//! A `for_each` body is a named workflow of the project, not a group drawn
//! inside the caller: each workflow stays one flat graph (so diff, merge,
//! layout, rename and the index treat it as they treat every workflow), the
//! body has test cases of its own, and it is what BPMN calls a multi-instance
//! call activity.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::id::Id;
use crate::workflow::ErrorPolicy;

/// The most items a `for_each` runs in preview; a design file may ask for fewer.
pub const MAX_FOR_EACH_ITEMS: u32 = 10_000;

/// Runs a workflow of the project once per item of a list in the state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ForEachStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// A JavaScript expression over `input` (the state) that gives the list, e.g. `input.lines`.
    pub items: String,
    /// The workflow run for each item (absent while not chosen yet). Its input
    /// is `item`, `index` (from 0) and what `input` maps.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::id::empty_as_none")]
    pub workflow: Option<Id>,
    /// More of the state each run gets, as an object whose `{{input.x}}`
    /// placeholders are filled once, before the first item. Not the whole
    /// state by default: a list of 10,000 items would go to each of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// The state key the list of results (each run's output, in item order) is
    /// stored under; default: the step id. Errors collected by
    /// `on_item_error: collect` go under the same key followed by `_errors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_as: Option<String>,
    /// What one item's failure does.
    #[serde(default, skip_serializing_if = "ItemErrorPolicy::is_stop")]
    pub on_item_error: ItemErrorPolicy,
    /// The most items this step runs (more is an error); at most 10,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorPolicy>,
}

/// What a failed item of a `for_each` does to the step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemErrorPolicy {
    /// The step fails with the item's error (then the step's error policy decides).
    #[default]
    Stop,
    /// The item is left out of the results.
    Skip,
    /// The item is left out of the results and its error is listed under `<save_as>_errors`.
    Collect,
}

impl ItemErrorPolicy {
    fn is_stop(&self) -> bool {
        *self == ItemErrorPolicy::Stop
    }
}

/// Splits the run into branches that run side by side, each from its own
/// first step until it reaches the `join` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ParallelStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub branches: Vec<ParallelBranch>,
    /// The `join` step where the branches meet; absent while not chosen yet.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::id::empty_as_none")]
    pub join: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorPolicy>,
}

/// One branch of a `parallel` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ParallelBranch {
    /// The label drawn on the edge.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The branch's first step; absent while the branch is not connected yet.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::id::empty_as_none")]
    pub next: Option<Id>,
}

/// Where the branches of a `parallel` step meet. The state after it: the
/// state at the split, then each branch's changed keys, in branch order; two
/// branches that set one key to different values make the join fail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct JoinStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Wait for every branch, or take only the first to arrive (on the
    /// preview clock; a tie goes to the earlier branch).
    #[serde(default, skip_serializing_if = "JoinMode::is_all")]
    pub wait_for: JoinMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Id>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum JoinMode {
    #[default]
    All,
    First,
}

impl JoinMode {
    fn is_all(&self) -> bool {
        *self == JoinMode::All
    }
}

/// Calls another workflow of the project and saves its output in the state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SubWorkflowStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The workflow called; absent while not chosen yet.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::id::empty_as_none")]
    pub workflow: Option<Id>,
    /// The called workflow's input; `{{input.x}}` placeholders are filled from
    /// the state. Default: the whole state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// The state key its output is stored under; default: the step id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_as: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorPolicy>,
}

/// Waits on the preview clock (recorded, never slept): a duration, or until a
/// time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct WaitStep {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// An RFC 3339 time, or a `{{input.x}}` placeholder that gives one; a time
    /// already past does not wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Id>,
}
