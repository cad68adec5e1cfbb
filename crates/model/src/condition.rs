//! Conditions over a form's data: when a component is shown or read-only. A
//! small declarative language, as JSON, so that a design from a stranger never
//! has code run in the app's webview: the UI interprets it, and `validate`
//! checks every field it names.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::id::Id;

/// `{"op": "gt", "field": "amount", "value": 1000}`,
/// `{"op": "all", "of": [...]}`, `{"op": "empty", "field": "notes"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Every condition holds (true when there are none).
    All {
        of: Vec<Condition>,
    },
    /// At least one condition holds.
    Any {
        of: Vec<Condition>,
    },
    /// The condition does not hold.
    Not {
        of: Box<Condition>,
    },
    /// The field equals the value.
    Eq {
        field: Id,
        value: Value,
    },
    /// The field does not equal the value.
    Ne {
        field: Id,
        value: Value,
    },
    /// The field is a number (or date, compared as text) above the value.
    Gt {
        field: Id,
        value: Value,
    },
    Ge {
        field: Id,
        value: Value,
    },
    Lt {
        field: Id,
        value: Value,
    },
    Le {
        field: Id,
        value: Value,
    },
    /// The field is one of the values.
    In {
        field: Id,
        values: Vec<Value>,
    },
    /// The field has no value: missing, null, `""` or `[]`.
    Empty {
        field: Id,
    },
    /// The field has a value.
    Filled {
        field: Id,
    },
}

/// How deep conditions may nest; deeper ones are a problem, not a stack overflow.
pub const MAX_CONDITION_DEPTH: usize = 16;

impl Condition {
    /// Every field the condition reads, with how deep it sits.
    pub fn fields(&self) -> Vec<(&Id, usize)> {
        let mut out = Vec::new();
        self.walk(0, &mut |c, depth| {
            if let Some(f) = c.field() {
                out.push((f, depth));
            }
        });
        out
    }

    /// How deep the condition nests (1 for a comparison).
    pub fn depth(&self) -> usize {
        let mut max = 0;
        self.walk(0, &mut |_, d| max = max.max(d + 1));
        max
    }

    /// The field a comparison reads; none for `all`, `any`, `not`.
    pub fn field(&self) -> Option<&Id> {
        match self {
            Condition::All { .. } | Condition::Any { .. } | Condition::Not { .. } => None,
            Condition::Eq { field, .. }
            | Condition::Ne { field, .. }
            | Condition::Gt { field, .. }
            | Condition::Ge { field, .. }
            | Condition::Lt { field, .. }
            | Condition::Le { field, .. }
            | Condition::In { field, .. }
            | Condition::Empty { field }
            | Condition::Filled { field } => Some(field),
        }
    }

    /// The field a comparison reads, to change it (a rename).
    pub fn field_mut(&mut self) -> Option<&mut Id> {
        match self {
            Condition::All { .. } | Condition::Any { .. } | Condition::Not { .. } => None,
            Condition::Eq { field, .. }
            | Condition::Ne { field, .. }
            | Condition::Gt { field, .. }
            | Condition::Ge { field, .. }
            | Condition::Lt { field, .. }
            | Condition::Le { field, .. }
            | Condition::In { field, .. }
            | Condition::Empty { field }
            | Condition::Filled { field } => Some(field),
        }
    }

    /// The values a comparison tests the field against.
    pub fn values(&self) -> Vec<&Value> {
        match self {
            Condition::Eq { value, .. }
            | Condition::Ne { value, .. }
            | Condition::Gt { value, .. }
            | Condition::Ge { value, .. }
            | Condition::Lt { value, .. }
            | Condition::Le { value, .. } => vec![value],
            Condition::In { values, .. } => values.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// Visits this condition and every one inside it, with its depth. The
    /// reader bounds nesting (serde_json's recursion limit), so this recursion is bounded too.
    pub fn walk<'a>(&'a self, depth: usize, f: &mut dyn FnMut(&'a Condition, usize)) {
        f(self, depth);
        match self {
            Condition::All { of } | Condition::Any { of } => of.iter().for_each(|c| c.walk(depth + 1, f)),
            Condition::Not { of } => of.walk(depth + 1, f),
            _ => {}
        }
    }
}
