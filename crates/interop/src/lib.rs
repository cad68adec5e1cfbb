//! Atelier's designs to and from other tools' formats. Today: data models as
//! SQL DDL (PostgreSQL, MySQL, SQLite) both ways, and DBML in. Every importer
//! reads a stranger's text: it never panics, bounds what it builds, and says
//! what it left out.

pub mod bpmn;
mod build;
pub mod dbml;
pub mod flows;
mod names;
pub mod openapi;
pub mod sql_export;
pub mod sql_import;
pub mod svg;
pub mod svg_designs;

pub use names::{field_id, sql_name};

/// An import: the model, and what of the input it could not carry over.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub model: atelier_model::data_model::DataModel,
    /// The column order of each table whose columns are not already in id
    /// order (no positions: the designer lays a new model out).
    pub layout: atelier_model::layout::ModelLayout,
    /// One line each: `table "audit": the trigger is left out`.
    pub notes: Vec<String>,
}

/// Why an input could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// The largest input an importer reads: DDL of thousands of tables fits.
pub const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;
/// The most tables (entities) and enums an import builds.
pub const MAX_IMPORT_TABLES: usize = 5_000;
