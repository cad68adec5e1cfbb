//! `sources/<id>.json` (connectors) and `secrets.required.json`. A source names
//! the secret it needs; the secret's value is never in the repository.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::id::{Id, SecretName};
use crate::workflow::HttpMethod;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where requests go, e.g. `https://api.example.com/v1`.
    pub base_url: String,
    #[serde(default, skip_serializing_if = "Auth::is_none")]
    pub auth: Auth,
    /// Headers sent with every request. Never a credential: use `auth`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// What the service offers, from its OpenAPI description: `api_call`
    /// steps pick one and validation checks calls against them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operations: BTreeMap<Id, Operation>,
}

/// One operation of a service: `GET /latest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub method: HttpMethod,
    /// Below the base URL, with `{name}` for path parameters: `/rates/{currency}`.
    pub path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Whether it takes a request body, and whether one is required.
    #[serde(default, skip_serializing_if = "BodyUse::is_none")]
    pub body: BodyUse,
    /// An example of a successful response body, for test-case mocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum BodyUse {
    #[default]
    None,
    Optional,
    Required,
}

impl BodyUse {
    fn is_none(&self) -> bool {
        *self == BodyUse::None
    }
}

impl Source {
    /// The operation a call of `method` to `path` makes (below the base URL,
    /// with `{{input.x}}` placeholders and maybe a query), if the source lists it.
    pub fn operation_for(&self, method: HttpMethod, path: &str) -> Option<(&Id, &Operation)> {
        self.operations.iter().find(|(_, op)| op.method == method && path_matches(&op.path, path))
    }
}

/// `/rates/{currency}` matches `/rates/{{input.currency}}?x=1` and `/rates/EUR`.
pub fn path_matches(template: &str, call: &str) -> bool {
    let call = call.split(['?', '#']).next().unwrap_or("");
    let (t, c): (Vec<&str>, Vec<&str>) = (template.trim_matches('/').split('/').collect(), call.trim_matches('/').split('/').collect());
    t.len() == c.len()
        && t.iter().zip(&c).all(|(t, c)| {
            let param = t.starts_with('{') && t.ends_with('}');
            (param && !c.is_empty()) || t == c || (c.contains("{{") && !t.is_empty())
        })
}

/// The query parameters a call's path names: `/x?base={{input.c}}&s=EUR` → `base`, `s`.
pub fn query_names(call: &str) -> Vec<&str> {
    call.split_once('?')
        .map(|(_, q)| q.split('&').filter_map(|kv| kv.split('=').next()).filter(|k| !k.is_empty()).collect())
        .unwrap_or_default()
}

/// How requests authenticate: always by the *name* of a secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Auth {
    #[default]
    None,
    /// The secret is sent in a header.
    ApiKey { secret: SecretName, header: String },
    /// `Authorization: Bearer <secret>`.
    Bearer { secret: SecretName },
    /// HTTP basic auth; the password is the secret.
    Basic { username: String, secret: SecretName },
}

impl Auth {
    fn is_none(&self) -> bool {
        *self == Auth::None
    }

    pub fn secret(&self) -> Option<&SecretName> {
        match self {
            Auth::None => None,
            Auth::ApiKey { secret, .. } | Auth::Bearer { secret } | Auth::Basic { secret, .. } => Some(secret),
        }
    }
}

/// `secrets.required.json`: the secrets a project needs, by name and kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SecretsRequired {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub secrets: BTreeMap<SecretName, SecretSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SecretSpec {
    pub kind: SecretKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    ApiKey,
    Token,
    Password,
    Certificate,
}
