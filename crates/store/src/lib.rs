//! An Atelier project on disk: finding it, reading every design file safely,
//! saving atomically and only what changed, and the git repository around it.

pub mod branches;
mod error;
pub mod git;
mod http_transport;
#[cfg(target_os = "linux")]
mod live_watch;
mod paths;
mod project_dir;
pub mod remotes;
mod stamps;
pub mod watch;

pub use error::{RemoteFailure, StoreError};
pub use project_dir::{read_by_a_load, write_atomic, Files, ProjectDir, SaveReport, MAX_PROJECT_FILES};
pub use stamps::Stamps;
