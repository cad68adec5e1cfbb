//! `forms/<id>/form.json`: UI components bound to fields of a data model
//! entity, with conditions, validation rules and translations. Where each
//! component sits is `layout.json` (a 12-column grid of rows).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Number;
use ts_rs::TS;

use crate::condition::Condition;
use crate::data_model::{Field, FieldType};
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
    /// The language the form's own texts are written in (`en`); others are translations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The form's name and submit button in other languages, by language code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, FormTexts>,
}

/// The form's own texts in one language; what is missing falls back to the form's own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct FormTexts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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
    /// Shown only while this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<Condition>,
    /// Read-only while this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_if: Option<Condition>,
    /// Checks beyond the field's own constraints, each with the message the person sees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// For a select or radio group on an enum: only these of its values, in this order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// The texts in other languages, by language code (`de`, `pt-br`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Texts>,
}

impl Component {
    /// A component of `kind` editing `field`, with nothing else set.
    pub fn bound(kind: ComponentKind, label: &str, field: Id) -> Component {
        Component {
            kind,
            label: label.to_owned(),
            field: Some(field),
            placeholder: String::new(),
            help: String::new(),
            read_only: false,
            visible_if: None,
            read_only_if: None,
            rules: Vec::new(),
            options: None,
            translations: BTreeMap::new(),
        }
    }
}

/// A component's texts in one language; what is missing falls back to the form's own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
}

/// A check of a component's value, with the message shown when it fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// A value must be given (even where the field is optional).
    Required { message: String },
    /// A number at least this.
    Min { value: Number, message: String },
    /// A number at most this.
    Max { value: Number, message: String },
    /// A text at least this long.
    MinLength { value: u32, message: String },
    /// A text at most this long.
    MaxLength { value: u32, message: String },
    /// A text matching this regular expression (Rust `regex` syntax, linear time).
    Pattern { pattern: String, message: String },
}

impl Rule {
    pub fn message(&self) -> &str {
        match self {
            Rule::Required { message }
            | Rule::Min { message, .. }
            | Rule::Max { message, .. }
            | Rule::MinLength { message, .. }
            | Rule::MaxLength { message, .. }
            | Rule::Pattern { message, .. } => message,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Rule::Required { .. } => "required",
            Rule::Min { .. } => "min",
            Rule::Max { .. } => "max",
            Rule::MinLength { .. } => "min_length",
            Rule::MaxLength { .. } => "max_length",
            Rule::Pattern { .. } => "pattern",
        }
    }
}

/// The component kinds, declared once: what each binds to is [`ComponentKind::fits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    TextInput,
    TextArea,
    NumberInput,
    DatePicker,
    DatetimePicker,
    Select,
    Radio,
    Checkbox,
    EmailInput,
    /// A reference to a file (its name or address), not the bytes.
    FileUpload,
    /// Rows of a list field, each row one value.
    Table,
    /// A titled group: the components below it, until the next section or divider.
    Section,
    Heading,
    /// Help text; binds to no field.
    Text,
    Divider,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 15] = [
        ComponentKind::TextInput,
        ComponentKind::TextArea,
        ComponentKind::NumberInput,
        ComponentKind::DatePicker,
        ComponentKind::DatetimePicker,
        ComponentKind::Select,
        ComponentKind::Radio,
        ComponentKind::Checkbox,
        ComponentKind::EmailInput,
        ComponentKind::FileUpload,
        ComponentKind::Table,
        ComponentKind::Section,
        ComponentKind::Heading,
        ComponentKind::Text,
        ComponentKind::Divider,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            ComponentKind::TextInput => "text_input",
            ComponentKind::TextArea => "text_area",
            ComponentKind::NumberInput => "number_input",
            ComponentKind::DatePicker => "date_picker",
            ComponentKind::DatetimePicker => "datetime_picker",
            ComponentKind::Select => "select",
            ComponentKind::Radio => "radio",
            ComponentKind::Checkbox => "checkbox",
            ComponentKind::EmailInput => "email_input",
            ComponentKind::FileUpload => "file_upload",
            ComponentKind::Table => "table",
            ComponentKind::Section => "section",
            ComponentKind::Heading => "heading",
            ComponentKind::Text => "text",
            ComponentKind::Divider => "divider",
        }
    }

    /// Whether the component edits a value (and so needs a field).
    pub fn is_input(&self) -> bool {
        !matches!(self, ComponentKind::Section | ComponentKind::Heading | ComponentKind::Text | ComponentKind::Divider)
    }

    /// The kind a new form uses for `field`: the plainest one that fits.
    pub fn best_for(field: &Field) -> ComponentKind {
        use FieldType as T;
        match (field.field_type, field.list) {
            (T::Enum, true) => ComponentKind::Checkbox,
            (T::Reference, _) | (T::Enum, false) => ComponentKind::Select,
            (_, true) => ComponentKind::Table,
            (T::Text, _) => ComponentKind::TextArea,
            (T::Integer | T::Decimal, _) => ComponentKind::NumberInput,
            (T::Boolean, _) => ComponentKind::Checkbox,
            (T::Date, _) => ComponentKind::DatePicker,
            (T::Datetime, _) => ComponentKind::DatetimePicker,
            (T::Email, _) => ComponentKind::EmailInput,
            (T::String, _) => ComponentKind::TextInput,
        }
    }

    /// Whether this kind can edit `field`: a date picker edits dates, a select
    /// an enum or a reference, a table any list.
    pub fn fits(&self, field: &Field) -> bool {
        use FieldType as T;
        let t = field.field_type;
        match self {
            ComponentKind::Table => field.list,
            ComponentKind::Select => matches!(t, T::Enum | T::Reference),
            ComponentKind::Checkbox => (t == T::Boolean && !field.list) || (t == T::Enum && field.list),
            _ if field.list => false,
            ComponentKind::TextInput => matches!(t, T::String | T::Text | T::Email),
            ComponentKind::TextArea => matches!(t, T::String | T::Text),
            ComponentKind::NumberInput => matches!(t, T::Integer | T::Decimal),
            ComponentKind::DatePicker => t == T::Date,
            ComponentKind::DatetimePicker => t == T::Datetime,
            ComponentKind::Radio => matches!(t, T::Enum | T::Boolean),
            ComponentKind::EmailInput => t == T::Email,
            ComponentKind::FileUpload => t == T::String,
            ComponentKind::Section | ComponentKind::Heading | ComponentKind::Text | ComponentKind::Divider => false,
        }
    }
}
