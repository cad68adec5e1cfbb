//! A whole project in memory, and its mapping to files.

use std::collections::BTreeMap;

use crate::canonical::to_canonical_bytes;
use crate::data_model::DataModel;
use crate::form::Form;
use crate::id::Id;
use crate::layout::{FormLayout, Layout};
use crate::manifest::Manifest;
use crate::policy::Policy;
use crate::source::{SecretsRequired, Source};
use crate::test_case::TestCase;
use crate::workflow::Workflow;

/// The manifest's file name; its directory is the project root.
pub const MANIFEST_FILE: &str = "atelier.json";
/// The secrets list's file name.
pub const SECRETS_FILE: &str = "secrets.required.json";

/// Every artifact of a project, as typed values.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub manifest: Manifest,
    pub workflows: BTreeMap<Id, WorkflowBundle>,
    pub forms: BTreeMap<Id, FormBundle>,
    pub models: BTreeMap<Id, DataModel>,
    /// `models/<id>.layout.json`, for the models that have one.
    pub model_layouts: BTreeMap<Id, crate::layout::ModelLayout>,
    pub sources: BTreeMap<Id, Source>,
    pub policies: BTreeMap<Id, Policy>,
    pub secrets: Option<SecretsRequired>,
}

/// A workflow with its layout, step scripts and test cases.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowBundle {
    pub workflow: Workflow,
    pub layout: Layout,
    /// `steps/<id>.js`, keyed by step id; the code is kept byte for byte.
    pub scripts: BTreeMap<Id, String>,
    pub tests: BTreeMap<Id, TestCase>,
}

/// A form with its layout.
#[derive(Debug, Clone, PartialEq)]
pub struct FormBundle {
    pub form: Form,
    pub layout: FormLayout,
}

impl WorkflowBundle {
    /// A new workflow named `name`: a manual trigger and one `end` step, `done`,
    /// at the origin. Valid as it stands, ready to grow.
    pub fn starter(name: String) -> WorkflowBundle {
        use crate::layout::Position;
        use crate::workflow::{EndStatus, EndStep, Step, Trigger};
        let done = Id::new("done").expect("a valid id");
        let end = Step::End(EndStep { name: "Done".to_owned(), description: String::new(), status: EndStatus::Completed, output: None });
        let workflow = Workflow {
            schema: Some(crate::schema::url(crate::schema::WORKFLOW)),
            name,
            description: String::new(),
            triggers: vec![Trigger::Manual {}],
            start: done.clone(),
            steps: BTreeMap::from([(done.clone(), end)]),
            on_error: None,
            timeout_ms: None,
        };
        let layout =
            Layout { schema: Some(crate::schema::url(crate::schema::LAYOUT)), nodes: BTreeMap::from([(done, Position { x: 0, y: 0 })]) };
        WorkflowBundle { workflow, layout, scripts: BTreeMap::new(), tests: BTreeMap::new() }
    }
}

impl Project {
    /// An empty project with only a manifest.
    pub fn new(manifest: Manifest) -> Project {
        Project {
            manifest,
            workflows: BTreeMap::new(),
            forms: BTreeMap::new(),
            models: BTreeMap::new(),
            model_layouts: BTreeMap::new(),
            sources: BTreeMap::new(),
            policies: BTreeMap::new(),
            secrets: None,
        }
    }

    /// Every file of the project with its canonical bytes, keyed by relative path.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        out.insert(MANIFEST_FILE.to_owned(), to_canonical_bytes(&self.manifest));
        if let Some(s) = &self.secrets {
            out.insert(SECRETS_FILE.to_owned(), to_canonical_bytes(s));
        }
        for (id, w) in &self.workflows {
            out.insert(format!("workflows/{id}/workflow.json"), to_canonical_bytes(&w.workflow));
            out.insert(format!("workflows/{id}/layout.json"), to_canonical_bytes(&w.layout));
            for (step, code) in &w.scripts {
                out.insert(format!("workflows/{id}/steps/{step}.js"), code.as_bytes().to_vec());
            }
            for (case, t) in &w.tests {
                out.insert(format!("workflows/{id}/tests/{case}.json"), to_canonical_bytes(t));
            }
        }
        for (id, f) in &self.forms {
            out.insert(format!("forms/{id}/form.json"), to_canonical_bytes(&f.form));
            out.insert(format!("forms/{id}/layout.json"), to_canonical_bytes(&f.layout));
        }
        for (id, m) in &self.models {
            out.insert(format!("models/{id}.json"), to_canonical_bytes(m));
        }
        for (id, l) in &self.model_layouts {
            out.insert(format!("models/{id}.layout.json"), to_canonical_bytes(l));
        }
        for (id, s) in &self.sources {
            out.insert(format!("sources/{id}.json"), to_canonical_bytes(s));
        }
        for (id, p) in &self.policies {
            out.insert(format!("policies/{id}.json"), to_canonical_bytes(p));
        }
        out
    }
}
