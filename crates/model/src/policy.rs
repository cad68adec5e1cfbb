//! `policies/<id>.json`: governance rules that `atelier validate` checks.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::id::Id;
use crate::problem::Severity;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub rules: BTreeMap<Id, Rule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default = "RuleSeverity::error", skip_serializing_if = "RuleSeverity::is_error")]
    pub severity: RuleSeverity,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub check: Check,
}

/// How a broken rule is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum RuleSeverity {
    Error,
    Warning,
}

impl RuleSeverity {
    fn error() -> RuleSeverity {
        RuleSeverity::Error
    }
    fn is_error(&self) -> bool {
        *self == RuleSeverity::Error
    }
    pub fn severity(&self) -> Severity {
        match self {
            RuleSeverity::Error => Severity::Error,
            RuleSeverity::Warning => Severity::Warning,
        }
    }
}

/// What a rule checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// Every workflow declares an `on_error` policy.
    RequireErrorPolicy {},
    /// Every workflow has at least one preview test case.
    RequireTestCase {},
    /// No workflow has more than `limit` steps.
    MaxSteps { limit: u32 },
    /// Sources may only point at these hosts.
    AllowedHosts { hosts: Vec<String> },
    /// Every workflow that calls an API also has an approval step.
    RequireApprovalWithApiCalls {},
}
