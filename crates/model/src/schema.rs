//! JSON Schemas of the file format, generated from the Rust types.

use schemars::{generate::SchemaSettings, JsonSchema, Schema};

use crate::data_model::DataModel;
use crate::form::Form;
use crate::layout::{FormLayout, Layout, ModelLayout};
use crate::manifest::Manifest;
use crate::policy::Policy;
use crate::source::{SecretsRequired, Source};
use crate::test_case::TestCase;
use crate::workflow::Workflow;

/// Where the schemas are published; each design file names its schema by this
/// prefix in `$schema`, and `assets/schema/` holds the same files.
pub const SCHEMA_BASE: &str = "https://atelier.dev/schema/v1/";

/// The schema file name for each kind of design file.
pub const MANIFEST: &str = "manifest.schema.json";
pub const WORKFLOW: &str = "workflow.schema.json";
pub const LAYOUT: &str = "layout.schema.json";
pub const FORM: &str = "form.schema.json";
pub const FORM_LAYOUT: &str = "form-layout.schema.json";
pub const MODEL: &str = "model.schema.json";
pub const MODEL_LAYOUT: &str = "model-layout.schema.json";
pub const SOURCE: &str = "source.schema.json";
pub const POLICY: &str = "policy.schema.json";
pub const SECRETS: &str = "secrets.schema.json";
pub const TEST_CASE: &str = "test-case.schema.json";

/// The `$schema` value for a schema file name.
pub fn url(file: &str) -> String {
    format!("{SCHEMA_BASE}{file}")
}

fn one<T: JsonSchema>(file: &str) -> (String, Schema) {
    let mut schema = SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<T>();
    schema.insert("$id".to_owned(), url(file).into());
    (file.to_owned(), schema)
}

/// Every schema, by file name.
pub fn all() -> Vec<(String, Schema)> {
    vec![
        one::<Manifest>(MANIFEST),
        one::<Workflow>(WORKFLOW),
        one::<Layout>(LAYOUT),
        one::<Form>(FORM),
        one::<FormLayout>(FORM_LAYOUT),
        one::<DataModel>(MODEL),
        one::<ModelLayout>(MODEL_LAYOUT),
        one::<Source>(SOURCE),
        one::<Policy>(POLICY),
        one::<SecretsRequired>(SECRETS),
        one::<TestCase>(TEST_CASE),
    ]
}
