//! Workflows as the canvas edits them: load, save (only what changed), create,
//! and test cases saved from a preview.

use std::collections::BTreeMap;

use atelier_model::layout::Layout;
use atelier_model::project::WorkflowBundle;
use atelier_model::test_case::Decision;
use atelier_model::workflow::Workflow;
use atelier_model::{schema, Id, Problem};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::project::{parse_id, OpenProject};
use crate::{ApiError, ApiResult, ErrorCode};
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

impl OpenProject {
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
        self.save_with_problems(&project)
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
        let project_sources = project.sources.clone();
        let bundle = project
            .workflows
            .get_mut(&wid)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("workflow `{wid}` does not exist")))?;
        if bundle.tests.contains_key(&cid) || self.dir.resolve(&format!("workflows/{wid}/tests/{cid}.json"))?.exists() {
            return Err(ApiError::new(ErrorCode::InvalidId, format!("test case `{cid}` already exists")));
        }
        let mocks = example_mocks(&project_sources, &bundle.workflow);
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
                mocks,
                approvals,
                expect: case.expect,
            },
        );
        self.save_project(&project)?;
        self.workflow(wid.as_str())
    }
}

/// Mocks for a new test case: each `api_call` whose source lists the
/// operation it makes (from an OpenAPI description) with an example answer
/// gets that example, so the case runs offline from the start.
fn example_mocks(
    sources: &BTreeMap<Id, atelier_model::source::Source>,
    w: &atelier_model::workflow::Workflow,
) -> Vec<atelier_model::test_case::Mock> {
    use atelier_model::test_case::{Mock, MockResponse};
    use atelier_model::workflow::Step;
    let mut mocks = Vec::new();
    for step in w.steps.values() {
        let Step::ApiCall(a) = step else { continue };
        let Some(source) = sources.get(&a.source) else { continue };
        let Some((_, op)) = source.operation_for(a.method, &a.path) else { continue };
        let Some(example) = &op.example else { continue };
        let url = format!("{}{}", source.base_url.trim_end_matches('/'), a.path);
        if mocks.iter().any(|m: &Mock| m.method == a.method && m.url == url) {
            continue;
        }
        let response = MockResponse { status: 200, headers: BTreeMap::new(), body: example.clone() };
        mocks.push(Mock { method: a.method, url, body: None, response });
    }
    mocks
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
