//! Errors as they cross to the app: a stable code the UI can match on, a
//! message for people, and where it happened when known.

use serde::Serialize;
use ts_rs::TS;

/// What kind of failure, for the UI to branch on (never on message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotAProject,
    AlreadyAProject,
    NoProjectOpen,
    NotFound,
    InvalidId,
    InvalidDesign,
    BadPath,
    Io,
    Git,
    NoAuthor,
    NothingToCommit,
    /// Merge conflicts are still open.
    Conflicts,
    /// Refused to protect work: uncommitted changes, a merge in progress.
    Refused,
    /// The remote refused the credentials.
    RemoteAuth,
    /// The remote cannot be reached.
    RemoteOffline,
    /// The remote has commits this clone lacks (pull first).
    RemoteRejected,
    /// No such remote, or no repository at its address.
    RemoteNotFound,
    Remote,
    /// The project is larger than Atelier reads at all.
    TooLarge,
    /// The preview engine failed (a worker could not start, a run could not begin).
    Engine,
    /// Atelier itself failed where the design and the engine are not to blame
    /// (a poisoned lock, a task that stopped, a system dialog): a bug to report.
    Internal,
}

/// An error crossing the IPC boundary: `{code, message, file?, element?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub element: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), file: None, element: None }
    }

    pub fn at(mut self, file: impl Into<String>, element: Option<String>) -> ApiError {
        self.file = Some(file.into());
        self.element = element;
        self
    }
}

impl From<atelier_store::StoreError> for ApiError {
    fn from(e: atelier_store::StoreError) -> Self {
        use atelier_store::{RemoteFailure, StoreError as S};
        let code = match &e {
            S::NotAProject(_) => ErrorCode::NotAProject,
            S::AlreadyAProject(_) => ErrorCode::AlreadyAProject,
            S::BadPath { .. } => ErrorCode::BadPath,
            S::Io { .. } => ErrorCode::Io,
            S::Watch { .. } => ErrorCode::Io,
            S::Git { .. } | S::NoRepository(_) => ErrorCode::Git,
            S::NoAuthor => ErrorCode::NoAuthor,
            S::NothingToCommit => ErrorCode::NothingToCommit,
            S::Refused(_) => ErrorCode::Refused,
            S::TooLarge(_) => ErrorCode::TooLarge,
            S::Unreadable { .. } => ErrorCode::InvalidDesign,
            S::Remote { kind, .. } => match kind {
                RemoteFailure::Auth => ErrorCode::RemoteAuth,
                RemoteFailure::Offline => ErrorCode::RemoteOffline,
                RemoteFailure::NotFastForward => ErrorCode::RemoteRejected,
                RemoteFailure::NotFound => ErrorCode::RemoteNotFound,
                RemoteFailure::Other => ErrorCode::Remote,
            },
        };
        // The whole chain, so "cannot read x: permission denied" keeps its cause.
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        ApiError::new(code, message)
    }
}

impl From<atelier_model::Problem> for ApiError {
    fn from(p: atelier_model::Problem) -> Self {
        ApiError::new(ErrorCode::InvalidDesign, p.message.clone()).at(p.file, p.element)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
