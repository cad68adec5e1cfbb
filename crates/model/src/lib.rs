//! The Atelier design language: the serde types of every artifact, the one
//! canonical JSON writer, the careful reader, and validation. Pure: no I/O.

pub mod address;
pub mod assemble;
pub mod canonical;
pub mod condition;
pub mod control;
pub mod data_model;
pub mod diff;
pub mod form;
pub mod form_state;
pub mod id;
pub mod json_schema;
pub mod layout;
pub mod manifest;
pub mod merge;
pub mod policy;
pub mod problem;
pub mod project;
pub mod references;
pub mod rename;
pub mod schema;
pub mod secrets_scan;
pub mod source;
pub mod test_case;
pub mod text;
pub mod validate;
pub mod workflow;

pub use address::Address;
pub use assemble::{assemble, Assembled};
pub use canonical::{parse, to_canonical_bytes};
pub use id::{Id, SecretName};
pub use manifest::{ArtifactKind, ArtifactRef, Manifest};
pub use problem::{Problem, ProblemCode, Severity};
pub use project::Project;
pub use validate::validate;
