//! The trace of a run: every step attempt's input, output, logs, duration and
//! error, as events (streamed while the run goes) and as JSON Lines.

use std::io::Write;

use atelier_model::workflow::StepKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One thing that happened during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TraceEvent {
    RunStarted {
        workflow: String,
        input: Value,
        /// The preview clock's start (RFC 3339).
        clock: String,
        seed: u64,
    },
    StepStarted {
        step: String,
        kind: StepKind,
        attempt: u32,
        input: Value,
        /// The calling steps of the sub-run this step belongs to, outermost
        /// first (`lines[2]/notify`); absent for the workflow itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within: Option<String>,
    },
    StepFinished {
        step: String,
        kind: StepKind,
        attempt: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        output: Option<Value>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        logs: Vec<LogLine>,
        /// Preview time the step took (mocked latency, approvals); deterministic.
        duration_ms: u64,
        /// Real time the step took, in microseconds. Shown live, left out of
        /// trace files so that the same case gives the same bytes every run.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wall_us: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepError>,
        /// Where the run goes next, if anywhere.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<String>,
        /// The calling steps of the sub-run this step belongs to, outermost
        /// first (`lines[2]/notify`); absent for the workflow itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within: Option<String>,
    },
    /// A retry's backoff, on the preview clock: recorded, never slept.
    Waited {
        step: String,
        ms: u64,
        /// The calling steps of the sub-run this step belongs to, outermost
        /// first (`lines[2]/notify`); absent for the workflow itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within: Option<String>,
    },
    RunFinished {
        status: RunStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        end_step: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        output: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepError>,
        /// Step attempts executed.
        attempts: u32,
        /// Preview time the whole run took.
        duration_ms: u64,
    },
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Completed,
    Rejected,
    Failed,
}

impl RunStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            RunStatus::Completed => "completed",
            RunStatus::Rejected => "rejected",
            RunStatus::Failed => "failed",
        }
    }
}

/// Why a step failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct StepError {
    pub kind: ErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A sandbox limit stopped the script: time, memory, stack, loops, recursion, output size.
    Limit,
    /// The script does not parse.
    Syntax,
    /// The script threw, or returned something that is not a state.
    Script,
    /// An HTTP call failed or answered with an error status.
    Http,
    /// An `api_call` had no mock and its host is not allowed live.
    NoMock,
    /// An approval had no decision.
    Approval,
    /// A `{{...}}` placeholder could not be filled.
    Template,
    /// The workflow's own timeout or step budget ran out.
    Timeout,
    /// The engine itself failed (for example, no worker could be started).
    Engine,
    /// The person stopped the preview.
    Cancelled,
}

impl StepError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> StepError {
        StepError { kind, message: message.into() }
    }
}

/// A `console` line from a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LogLine {
    pub level: String,
    pub message: String,
}

/// Writes events as JSON Lines, without wall-clock times, so that the same
/// test case writes the same bytes every run.
pub struct TraceWriter<W: Write> {
    out: W,
}

impl<W: Write> TraceWriter<W> {
    pub fn new(out: W) -> Self {
        TraceWriter { out }
    }

    pub fn write(&mut self, event: &TraceEvent) -> std::io::Result<()> {
        let mut event = event.clone();
        if let TraceEvent::StepFinished { wall_us, .. } = &mut event {
            *wall_us = None;
        }
        serde_json::to_writer(&mut self.out, &event)?;
        self.out.write_all(b"\n")
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}
