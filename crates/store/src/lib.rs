//! An Atelier project on disk: finding it, reading every design file safely,
//! saving atomically and only what changed, and the git repository around it.

mod error;
pub mod branches;
pub mod git;
mod http_transport;
mod paths;
pub mod remotes;
mod project_dir;
pub mod watch;

pub use error::{RemoteFailure, StoreError};
pub use project_dir::{write_atomic, ProjectDir, SaveReport};
