//! `sources/<id>.json` (connectors) and `secrets.required.json`. A source names
//! the secret it needs; the secret's value is never in the repository.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::id::SecretName;

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
