//! One function per Atelier use case — open, create, load, save, validate,
//! status, commit, log, preview — the single surface for the desktop app and
//! the CLI. Errors cross as [`ApiError`] (`{code, message, file?, element?}`).

mod bpmn;
mod compare;
mod design;
mod error;
mod example;
mod find;
mod form_preview;
pub mod git_drivers;
mod governance;
pub mod grants;
mod history;
mod imports;
mod models;
mod pictures;
mod preview;
mod project;
mod sources;
mod team;
mod types;
mod workflows;

pub use atelier_index::{MARK_END, MARK_START};
pub use atelier_interop::flows::FlowFormat;
pub use bpmn::BpmnExport;
pub use compare::{CompareView, DiffReport};
pub use design::{check_project, format_project, FormatReport, NewArtifact, Validation};
pub use error::{ApiError, ApiResult, ErrorCode};
pub use example::write_example;
pub use find::{AuditRow, FileWatch, PastRun, RefEntry, References, RenameReport, RunEntry, SearchHit, SearchResult, WatchedFiles};
pub use form_preview::FormStateChange;
pub use governance::GovernanceRule;
pub use history::{CommitEntry, FileChange};
pub use imports::{ImportedFlow, SourceImportReport, WorkflowImportReport};
pub use models::{FormDoc, ImportReport, ModelDoc, ModelFormat, Usage};
pub use sources::SourceDoc;

/// The largest file an import reads.
pub const MAX_IMPORT_BYTES: usize = atelier_interop::MAX_IMPORT_BYTES;

/// A name made into an id: `Expense Claims.sql` → `expense-claims-sql`.
pub fn slug(s: &str) -> Option<String> {
    atelier_interop::field_id(s).map(|id| id.to_string())
}
pub use preview::{PreparedPreview, PreviewEnd, PreviewMessage, PreviewRequest, StepLights, UnkeptRun};
pub use project::{create_project, git_setup, ArtifactEntry, OpenProject, ProjectInfo};
pub use team::{BranchEntry, BranchesView, Conflict, MergeReport, MergeResult, RemoteEntry, TransferProgress};
pub use types::typescript_declarations;
pub use workflows::{NewTestCase, SaveReport, TestCaseEntry, WorkflowDoc};
