use std::path::PathBuf;

/// What can go wrong reading, writing or versioning a project.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no Atelier project (atelier.json) in {0} or any parent directory")]
    NotAProject(PathBuf),
    #[error("{0} already holds an Atelier project")]
    AlreadyAProject(PathBuf),
    #[error("path `{path}` is not allowed: {reason}")]
    BadPath { path: String, reason: String },
    #[error("cannot {action} {path}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file watcher could not start.
    #[error("cannot watch {}: {reason}", root.display())]
    Watch { root: PathBuf, reason: String },
    #[error("git: {context}")]
    Git {
        context: String,
        #[source]
        source: git2::Error,
    },
    #[error(
        "no git author is set: run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`"
    )]
    NoAuthor,
    /// An operation refused to protect the person's work ("commit first").
    #[error("{0}")]
    Refused(String),
    /// Talking to a remote failed; `kind` says how, for the app to explain.
    #[error("{message}")]
    Remote { kind: RemoteFailure, message: String },
    #[error("nothing to commit: the project has no changes")]
    NothingToCommit,
    #[error("{0} is not inside a git repository; run `atelier init` or `git init` there")]
    NoRepository(PathBuf),
    /// The project is larger than Atelier reads at all.
    #[error("{0}")]
    TooLarge(String),
    /// A design file that cannot be read safely (not a regular file, too large).
    #[error("{file}: {reason}")]
    Unreadable { file: String, reason: String },
}

/// Why a fetch, pull or push failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteFailure {
    /// The remote refused the credentials (or none were found).
    Auth,
    /// The remote could not be reached: no network, wrong host, server down.
    Offline,
    /// The remote has commits this clone does not have.
    NotFastForward,
    /// No such remote, or its address is wrong.
    NotFound,
    Other,
}

impl StoreError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io { action, path, source }
    }

    pub(crate) fn git(context: impl Into<String>) -> impl FnOnce(git2::Error) -> StoreError {
        let context = context.into();
        move |source| StoreError::Git { context, source }
    }
}
