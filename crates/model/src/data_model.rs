//! `models/<id>.json`: entities, their fields, types, constraints and enums.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};
use ts_rs::TS;

use crate::id::Id;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct DataModel {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub entities: BTreeMap<Id, Entity>,
    /// Named lists of allowed values, used by `enum` fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<Id, EnumType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub fields: BTreeMap<Id, Field>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<Id, Constraint>,
    /// Example records, checked against the entity's schema: the form preview
    /// offers them where a reference to this entity is chosen (by the key
    /// field), and the JSON Schema carries them as `examples`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<BTreeMap<Id, Value>>,
}

/// The most example records an entity may carry; the rest are not checked or offered.
pub const MAX_EXAMPLES: usize = 200;

impl Entity {
    /// The field that identifies a record (the one references hold), if any.
    pub fn key(&self) -> Option<(&Id, &Field)> {
        self.fields.iter().find(|(_, f)| f.key && !f.list)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// A list of values of the type; a list of references is a many-to-many.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub list: bool,
    /// The field identifies a record (the primary key); references hold its value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub key: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// No two records share a value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// The value a new record starts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Smallest allowed value (`integer`, `decimal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Number>,
    /// Largest allowed value (`integer`, `decimal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Number>,
    /// Shortest allowed text (`string`, `text`, `email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Longest allowed text (`string`, `text`, `email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// A regular expression the whole text must match (Rust `regex` syntax:
    /// no look-around or back-references, so matching takes linear time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The enum (in `enums`) an `enum` field takes its values from.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_type: Option<Id>,
    /// The entity a `reference` field points at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<Id>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    String,
    Text,
    Integer,
    Decimal,
    Boolean,
    Date,
    Datetime,
    Email,
    Enum,
    Reference,
}

impl FieldType {
    pub fn as_str(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Integer => "integer",
            FieldType::Decimal => "decimal",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Email => "email",
            FieldType::Enum => "enum",
            FieldType::Reference => "reference",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct EnumType {
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Constraint {
    /// No two records share these fields' values.
    Unique { fields: Vec<Id> },
    /// A JavaScript expression over the record that must be true.
    Check { rule: String, message: String },
}

impl Field {
    /// A field with only its label and type.
    pub fn new(label: impl Into<String>, field_type: FieldType) -> Field {
        Field {
            label: label.into(),
            field_type,
            list: false,
            key: false,
            required: false,
            unique: false,
            default: None,
            description: String::new(),
            min: None,
            max: None,
            min_length: None,
            max_length: None,
            pattern: None,
            enum_type: None,
            entity: None,
        }
    }
}
