//! `atelier.json`: the project's name, format version, settings, and the
//! artifacts' versions and dependencies.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

use crate::id::Id;

/// The file format this Atelier reads and writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The file format version; changed only by an explicit migration.
    pub format: u32,
    #[serde(default, skip_serializing_if = "Settings::is_default")]
    pub settings: Settings,
    /// Versions and dependencies of artifacts, keyed like `workflows/expense-approval`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<ArtifactRef, ArtifactInfo>,
}

impl Manifest {
    /// A new project's manifest: this format, default settings, no artifacts yet.
    pub fn new(name: impl Into<String>) -> Manifest {
        Manifest {
            schema: None,
            name: name.into(),
            description: String::new(),
            format: FORMAT_VERSION,
            settings: Settings::default(),
            artifacts: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "PreviewSettings::is_default")]
    pub preview: PreviewSettings,
    /// The Camunda 8 version BPMN exports are written for (`8.8` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camunda_version: Option<String>,
}

impl Settings {
    fn is_default(&self) -> bool {
        *self == Settings::default()
    }
}

/// Limits and permissions of the preview engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct PreviewSettings {
    /// Wall-clock limit of one JavaScript step.
    #[serde(default = "PreviewSettings::default_timeout")]
    pub script_timeout_ms: u64,
    /// Memory limit of the JavaScript worker process.
    #[serde(default = "PreviewSettings::default_memory")]
    pub script_memory_mb: u64,
    /// Loop iterations one JavaScript call frame may run.
    #[serde(default = "PreviewSettings::default_loops")]
    pub script_loop_iterations: u64,
    /// Deepest JavaScript call recursion.
    #[serde(default = "PreviewSettings::default_recursion")]
    pub script_recursion: u32,
    /// Hosts that `api_call` steps may reach for real in preview; all others need mocks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub live_hosts: Vec<String>,
}

impl Default for PreviewSettings {
    fn default() -> Self {
        PreviewSettings {
            script_timeout_ms: Self::default_timeout(),
            script_memory_mb: Self::default_memory(),
            script_loop_iterations: Self::default_loops(),
            script_recursion: Self::default_recursion(),
            live_hosts: Vec::new(),
        }
    }
}

impl PreviewSettings {
    fn default_timeout() -> u64 {
        5000
    }
    fn default_memory() -> u64 {
        256
    }
    fn default_loops() -> u64 {
        10_000_000
    }
    fn default_recursion() -> u32 {
        400
    }
    fn is_default(&self) -> bool {
        *self == PreviewSettings::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ArtifactInfo {
    /// The artifact's own version, e.g. `1.2.0`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<ArtifactRef>,
}

/// The kinds of artifact a project holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
    Workflow,
    Form,
    Model,
    Source,
    Policy,
}

impl ArtifactKind {
    pub const ALL: [ArtifactKind; 5] =
        [ArtifactKind::Workflow, ArtifactKind::Form, ArtifactKind::Model, ArtifactKind::Source, ArtifactKind::Policy];

    /// The top-level directory holding artifacts of this kind.
    pub fn dir(&self) -> &'static str {
        match self {
            ArtifactKind::Workflow => "workflows",
            ArtifactKind::Form => "forms",
            ArtifactKind::Model => "models",
            ArtifactKind::Source => "sources",
            ArtifactKind::Policy => "policies",
        }
    }

    pub fn from_dir(dir: &str) -> Option<ArtifactKind> {
        ArtifactKind::ALL.into_iter().find(|k| k.dir() == dir)
    }

    /// The main file of artifact `id`, relative to the project root.
    pub fn main_file(&self, id: &Id) -> String {
        match self {
            ArtifactKind::Workflow => format!("workflows/{id}/workflow.json"),
            ArtifactKind::Form => format!("forms/{id}/form.json"),
            other => format!("{}/{id}.json", other.dir()),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            ArtifactKind::Workflow => "workflow",
            ArtifactKind::Form => "form",
            ArtifactKind::Model => "model",
            ArtifactKind::Source => "source",
            ArtifactKind::Policy => "policy",
        }
    }
}

/// Names one artifact: `workflows/expense-approval`, `models/expense`...
#[derive(Debug, Clone, PartialEq, Eq, Hash, TS)]
#[ts(type = "string")]
pub struct ArtifactRef {
    pub kind: ArtifactKind,
    pub id: Id,
}

/// Ordered as written (`forms/...` before `models/...`), so maps keyed by
/// artifact read alphabetically in the file.
impl Ord for ArtifactRef {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.kind.dir(), &self.id).cmp(&(other.kind.dir(), &other.id))
    }
}

impl PartialOrd for ArtifactRef {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ArtifactRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.dir(), self.id)
    }
}

impl std::str::FromStr for ArtifactRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("`{s}` does not name an artifact; expected e.g. `workflows/expense-approval`");
        let (dir, id) = s.split_once('/').ok_or_else(err)?;
        let kind = ArtifactKind::from_dir(dir).ok_or_else(err)?;
        let id = Id::new(id).map_err(|e| e.to_string())?;
        Ok(ArtifactRef { kind, id })
    }
}

impl Serialize for ArtifactRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ArtifactRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(de::Error::custom)
    }
}

impl JsonSchema for ArtifactRef {
    fn schema_name() -> Cow<'static, str> {
        "ArtifactRef".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(workflows|forms|models|sources|policies)/[a-z0-9][a-z0-9-]*$"
        })
    }
}
