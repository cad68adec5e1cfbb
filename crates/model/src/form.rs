//! `forms/<id>/form.json`: UI components bound to fields of a data model entity.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::id::Id;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Form {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The data model (`models/<id>.json`) the form edits.
    pub model: Id,
    /// The entity of that model one submission creates.
    pub entity: Id,
    pub components: BTreeMap<Id, Component>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub kind: ComponentKind,
    pub label: String,
    /// The entity field this component edits; every input needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Id>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub placeholder: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub help: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    TextInput,
    TextArea,
    NumberInput,
    DatePicker,
    Select,
    Checkbox,
    FileUpload,
    /// Static text; binds to no field.
    Text,
}

impl ComponentKind {
    pub fn is_input(&self) -> bool {
        !matches!(self, ComponentKind::Text)
    }
}
