//! Workflows from other tools: n8n and Node-RED exports. Each reader turns the
//! export into a [`graph::Graph`] of drafts, one per node; the graph then
//! becomes an Atelier workflow with its layout, scripts and sources. What has
//! no counterpart becomes a `custom_code` step marked `unfinished`, so the
//! import itself always succeeds and `validate` lists what is left to do.

mod graph;
mod http;
mod js;
pub mod n8n;
pub mod node_red;
mod parts;

use std::collections::BTreeMap;

use atelier_model::project::WorkflowBundle;
use atelier_model::source::Source;
use atelier_model::workflow::Step;
use atelier_model::Id;

use crate::ImportError;

pub(crate) use http::{origin_source, split_url};

/// Text safe inside a one-line JavaScript comment.
pub(crate) fn js_comment_line(what: &str) -> String {
    js::one_line(what)
}

/// The tools whose exports Atelier imports workflows from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowFormat {
    N8n,
    NodeRed,
}

impl FlowFormat {
    pub fn label(&self) -> &'static str {
        match self {
            FlowFormat::N8n => "n8n",
            FlowFormat::NodeRed => "Node-RED",
        }
    }
}

/// An imported workflow: the workflow with its layout and step scripts, the
/// sources its API calls need, and what of the export did not carry over.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedWorkflow {
    pub bundle: WorkflowBundle,
    pub sources: BTreeMap<Id, Source>,
    /// One line each: `sticky note "Read me" is left out`.
    pub notes: Vec<String>,
}

impl ImportedWorkflow {
    /// The steps the person must finish, with why.
    pub fn unfinished(&self) -> Vec<(&Id, &str)> {
        self.bundle
            .workflow
            .steps
            .iter()
            .filter_map(|(id, step)| match step {
                Step::DataTransform(c) | Step::CustomCode(c) => c.unfinished.as_deref().map(|u| (id, u)),
                _ => None,
            })
            .collect()
    }
}

/// The most nodes an import builds; exports of real flows have tens.
pub const MAX_FLOW_NODES: usize = 2_000;

/// Reads an export of `format`; `name` names the workflow when the export
/// does not. One workflow per flow the export holds (flows that no wire
/// joins), the one the first trigger starts first.
pub fn import(text: &str, format: FlowFormat, name: &str) -> Result<Vec<ImportedWorkflow>, ImportError> {
    if text.len() > crate::MAX_IMPORT_BYTES {
        return Err(ImportError::Invalid(format!("the file is larger than {} MB", crate::MAX_IMPORT_BYTES / 1024 / 1024)));
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ImportError::Invalid(format!("the file is not JSON: {e}")))?;
    let graph = match format {
        FlowFormat::N8n => n8n::read(&value, name)?,
        FlowFormat::NodeRed => node_red::read(&value, name)?,
    };
    Ok(graph.into_flows().into_iter().map(graph::Graph::build).collect())
}
