//! The TypeScript types of everything that crosses to the UI, generated from
//! the Rust types (one source of truth) into `ui/src/ipc/types.ts`.

use ts_rs::{Config, TS};

macro_rules! decls {
    ($cfg:expr; $($t:ty),* $(,)?) => {{
        let mut out = Vec::new();
        $( out.push(format!("export {}", <$t as TS>::decl($cfg))); )*
        out
    }};
}

/// The whole generated file.
pub fn typescript_declarations() -> String {
    use atelier_engine::trace::*;
    use atelier_model::{
        layout::Layout,
        problem::{Problem, Severity},
        test_case::*,
        workflow::*,
    };
    let cfg = Config::new().with_large_int("number");
    let decls = decls![&cfg;
        serde_json::Value,
        crate::ApiError, crate::ErrorCode,
        crate::ProjectInfo, crate::ArtifactEntry, crate::WorkflowDoc, crate::TestCaseEntry, crate::SaveReport,
        crate::FileChange, crate::CommitEntry, crate::PreviewRequest, crate::PreviewMessage, crate::PreviewEnd, crate::StepLights, crate::NewTestCase, Expectation,
        crate::DiffReport, crate::CompareView, atelier_model::diff::Change, atelier_model::diff::ChangeKind,
        atelier_model::diff::Artifact, atelier_model::diff::Element, atelier_model::diff::ElementKind, atelier_model::manifest::ArtifactKind,
        crate::BranchesView, crate::BranchEntry, crate::RemoteEntry, crate::MergeReport, crate::MergeResult,
        crate::TransferProgress, crate::Conflict,
        crate::SearchResult, crate::SearchHit, crate::References, crate::RefEntry, crate::RenameReport, crate::RunEntry, crate::PastRun, crate::AuditRow, crate::GovernanceRule,
        crate::grants::Permissions, crate::grants::HostPermission, crate::grants::SecretPermission,
        crate::grants::LimitPermission, crate::grants::ProjectGrants,
        atelier_model::Id, Problem, atelier_model::ProblemCode, Severity, atelier_model::problem::Position,
        Workflow, Trigger, HttpMethod, Step, StepKind, ApiCallStep, CodeStep, ConditionStep, Branch, ApprovalStep,
        EndStep, EndStatus, ErrorPolicy, Layout, atelier_model::layout::Position,
        atelier_model::control::ForEachStep, atelier_model::control::ItemErrorPolicy, atelier_model::control::ParallelStep,
        atelier_model::control::ParallelBranch, atelier_model::control::JoinStep, atelier_model::control::JoinMode,
        atelier_model::control::SubWorkflowStep, atelier_model::control::WaitStep,
        Decision, Verdict,
        TraceEvent, RunStatus, StepError, ErrorKind, LogLine, atelier_engine::RunResult, atelier_engine::ApprovalRequest,
        atelier_model::data_model::DataModel, atelier_model::data_model::Entity, atelier_model::data_model::Field,
        atelier_model::data_model::FieldType, atelier_model::data_model::EnumType, atelier_model::data_model::Constraint,
        atelier_model::form::Form, atelier_model::form::Component, atelier_model::form::ComponentKind, atelier_model::form::Texts, atelier_model::form::FormTexts,
        atelier_model::form::Rule, atelier_model::condition::Condition, atelier_model::layout::FormLayout,
        atelier_model::layout::Placement, atelier_model::layout::ModelLayout,
        atelier_model::form_state::FormState, atelier_model::form_state::ComponentState, crate::FormStateChange,
        crate::ModelDoc, crate::FormDoc, crate::SourceDoc, crate::Usage, crate::ImportReport, crate::ModelFormat, crate::BpmnExport, crate::WorkflowImportReport, crate::ImportedFlow, crate::SourceImportReport,
        atelier_model::source::Source, atelier_model::source::Auth, atelier_model::id::SecretName, atelier_model::source::Operation, atelier_model::source::Parameter,
        atelier_model::source::ParameterLocation, atelier_model::source::BodyUse,
    ];
    let mut out = String::from("// Generated from the Rust types by `cargo test -p atelier-api` (UPDATE_TS_TYPES=1). Do not edit.\n\n");
    for d in decls {
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.trim_end().to_owned() + "\n"
}
