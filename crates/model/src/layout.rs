//! Layout files: where things are drawn, kept apart from logic so that moving a
//! node never touches the workflow or form file.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::data_model::{Entity, Field};
use crate::id::Id;

/// `workflows/<id>/layout.json`: node positions, integers only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(default)]
    pub nodes: BTreeMap<Id, Position>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub x: i32,
    pub y: i32,
}

/// `forms/<id>/layout.json`: where each component sits on a 12-column grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct FormLayout {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(default)]
    pub components: BTreeMap<Id, Placement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub row: u32,
    pub column: u32,
    /// Columns spanned, 1 to 12.
    pub width: u32,
}

/// `models/<id>.layout.json`: where each entity and enum of a model is drawn,
/// kept apart from the model so that moving one never touches it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ModelLayout {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(default)]
    pub entities: BTreeMap<Id, Position>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<Id, Position>,
    /// The order each entity's fields are drawn and exported in (an imported
    /// table keeps its column order); fields not listed follow by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<Id, Vec<Id>>,
}

impl ModelLayout {
    /// The fields of entity `id` in their drawn order: those listed first, as
    /// listed (once each, and only those the entity has), then the rest by id.
    pub fn field_order<'a>(&self, id: &Id, entity: &'a Entity) -> Vec<(&'a Id, &'a Field)> {
        let mut out: Vec<(&'a Id, &'a Field)> = Vec::with_capacity(entity.fields.len());
        for f in self.fields.get(id).into_iter().flatten() {
            if let Some((k, v)) = entity.fields.get_key_value(f) {
                if !out.iter().any(|(seen, _)| *seen == k) {
                    out.push((k, v));
                }
            }
        }
        if out.len() < entity.fields.len() {
            for (k, v) in &entity.fields {
                if !out.iter().any(|(seen, _)| *seen == k) {
                    out.push((k, v));
                }
            }
        }
        out
    }

    /// Whether the file would say nothing.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty() && self.enums.is_empty() && self.fields.is_empty()
    }
}
