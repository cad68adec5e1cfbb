//! What the host and a JavaScript worker say to each other: one JSON object
//! per line on the worker's stdin and stdout.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::trace::LogLine;

/// One request to run JavaScript.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// Calls of one session share a JavaScript realm and compiled-code cache;
    /// a new session gets a fresh realm, so nothing leaks between runs.
    pub session: u64,
    /// `Date.now()` for this call, on the preview clock.
    pub now_ms: i64,
    /// Seeds `Math.random()` when a session starts.
    pub seed: u64,
    pub limits: ScriptLimits,
    pub call: Call,
}

// Externally tagged, as `Outcome` is: an internally tagged enum is read
// through a buffered copy of the whole request, which for a for_each of
// 10,000 items cost more than running them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    /// A step script defining `function run(input)`; returns its result.
    Script { file: String, code: String, input: Value },
    /// A condition's expression over `input`; returns whether it is truthy.
    Expression { expr: String, input: Value },
    /// An expression over `input` whose value is the answer (a `for_each`'s items).
    Value { expr: String, input: Value },
    /// Consecutive step scripts, each given the one before's result (the
    /// first gets `input`). The worker answers one line per script, as each
    /// ends, exactly as if each had been its own `Script` call, and stops
    /// after the first that fails or returns nothing: the host decides what
    /// comes next (a retry, an error route), as it does for a single call.
    Chain { steps: Vec<ChainStep>, input: Value },
    /// The same chain once for each input, one after the other (the items
    /// of a `for_each` whose body is only code steps): each input's answers
    /// are those of a [`Call::Chain`] of its own, stopping at its first
    /// failure, and the next input's follow; with `stop_at_failure`, none
    /// follow a run that failed or returned nothing (a for_each that stops at
    /// its first failed item must not run the items after it).
    Each { steps: Vec<ChainStep>, inputs: Vec<Value>, stop_at_failure: bool },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_written_by_hand_reads_as_a_response() {
        let logs = [LogLine { level: "log".into(), message: "a \"quoted\" line".into() }];
        let line = ok_answer(r#"{"n":1,"s":"é"}"#, &logs);
        let r: Response = serde_json::from_str(&line).unwrap();
        assert!(matches!(r.outcome, Outcome::Ok { value } if value == serde_json::json!({"n": 1, "s": "é"})));
        assert_eq!(r.logs, logs);
        let written = Response { outcome: Outcome::Ok { value: serde_json::json!({"n": 1, "s": "é"}) }, logs: logs.to_vec() };
        assert_eq!(serde_json::to_string(&written).unwrap(), line);
    }
}

impl Call {
    /// Whether the worker answers this call with one line per script.
    pub fn is_chain(&self) -> bool {
        matches!(self, Call::Chain { .. } | Call::Each { .. })
    }
}

/// One script of a [`Call::Chain`]. Its `code` is left out when this
/// worker was sent that file's code before and it has not changed since
/// (the host keeps count, [`crate::pool`]): a 1,000-step chain's code is
/// 130 KB to copy, write and parse before its first step can run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChainStep {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Limits enforced inside the worker by the interpreter itself. Time and
/// memory are enforced from outside (kill, rlimit), since boa cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptLimits {
    pub loop_iterations: u64,
    pub recursion: usize,
    /// Largest result or log text, in bytes, a script may hand back.
    pub max_output_bytes: usize,
}

impl Default for ScriptLimits {
    fn default() -> Self {
        ScriptLimits { loop_iterations: 10_000_000, recursion: 400, max_output_bytes: 8 * 1024 * 1024 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    pub outcome: Outcome,
    #[serde(default)]
    pub logs: Vec<LogLine>,
}

/// A script's answer that succeeded, written as the worker sends it, around
/// the result's JSON text, which the worker has already written (to check
/// its size): the same bytes as serializing a [`Response`] with
/// [`Outcome::Ok`], without writing the value a second time.
pub fn ok_answer(value_json: &str, logs: &[LogLine]) -> String {
    let mut line = String::with_capacity(value_json.len() + 48);
    line.push_str("{\"outcome\":{\"ok\":{\"value\":");
    line.push_str(value_json);
    line.push_str("}},\"logs\":");
    line.push_str(&serde_json::to_string(logs).expect("log lines serialize"));
    line.push('}');
    line
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok { value: Value },
    Failed { kind: FailureKind, message: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    Syntax,
    Thrown,
    Limit,
    Engine,
    /// The person stopped the preview while the script ran.
    Cancelled,
}
