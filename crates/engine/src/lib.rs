//! The Atelier preview engine: runs a workflow step by step with sample data,
//! with every piece of user JavaScript in a sandboxed worker process, and
//! records a trace of every step attempt.

pub mod case;
pub mod clock;
pub mod http;
pub mod interpreter;
mod js;
pub mod pool;
pub mod protocol;
pub mod template;
pub mod trace;
pub mod worker;

pub use case::{run_case, CaseResult};
pub use interpreter::{run_workflow, ApprovalRequest, EngineError, LiveGrants, RunOptions, RunResult};
pub use pool::{SandboxLimits, WorkerCommand, WorkerPool};
pub use trace::{RunStatus, TraceEvent, TraceWriter};
