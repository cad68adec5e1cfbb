//! Preview test cases: run a workflow with a case's input, mocks, approvals,
//! clock and seed, then compare what happened with what the case expects.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use atelier_model::test_case::TestCase;
use atelier_model::workflow::EndStatus;
use atelier_model::{Id, Project};
use serde_json::Value;

use crate::clock::parse_rfc3339;
use crate::interpreter::{run_workflow, EngineError, LiveGrants, RunOptions, RunResult};
use crate::pool::WorkerPool;
use crate::trace::{RunStatus, TraceEvent};

/// The clock of a case that names none, so every case is deterministic.
pub const DEFAULT_CASE_CLOCK: &str = "2026-01-01T00:00:00Z";

/// The outcome of one test case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub workflow: Id,
    pub case: Id,
    pub name: String,
    pub result: RunResult,
    /// What differs from the expectation, one readable line each; empty when it passed.
    pub failures: Vec<String>,
    /// Expected and actual output as a unified diff, when they differ.
    pub output_diff: Option<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The run options a test case describes. A case grants nothing: live hosts
/// and secrets come from `grants`, which only the person at the machine gives.
pub fn options_for(case: &TestCase, grants: &LiveGrants) -> Result<RunOptions, String> {
    let clock = parse_rfc3339(case.clock.as_deref().unwrap_or(DEFAULT_CASE_CLOCK))?;
    let mut opts = RunOptions::new(case.input.clone(), clock);
    opts.seed = case.seed.unwrap_or(0);
    opts.mocks = case.mocks.clone();
    opts.approvals = case.approvals.clone();
    opts.grants = grants.clone();
    Ok(opts)
}

/// Runs one case; never asks a person (a missing approval fails the case).
/// Setting `cancel` stops it, as it stops a preview.
pub fn run_case(
    project: &Project,
    workflow: &Id,
    case_id: &Id,
    pool: &WorkerPool,
    grants: &LiveGrants,
    cancel: Option<Arc<AtomicBool>>,
    on_event: &mut dyn FnMut(TraceEvent),
) -> Result<CaseResult, EngineError> {
    let bundle = project.workflows.get(workflow).ok_or_else(|| EngineError::NoWorkflow(workflow.to_string()))?;
    let case = bundle.tests.get(case_id).ok_or_else(|| EngineError::NoWorkflow(format!("{workflow}/tests/{case_id}")))?;
    let mut failures = Vec::new();
    let mut opts = match options_for(case, grants) {
        Ok(o) => o,
        Err(e) => {
            failures.push(format!("clock: {e}"));
            RunOptions::new(case.input.clone(), 0)
        }
    };
    opts.cancel = cancel;
    let result = run_workflow(project, workflow, pool, &opts, &mut |_| None, on_event)?;
    let mut output_diff = None;
    if let Some(expect) = &case.expect {
        let want = match expect.status {
            EndStatus::Completed => RunStatus::Completed,
            EndStatus::Rejected => RunStatus::Rejected,
            EndStatus::Failed => RunStatus::Failed,
        };
        if result.status != want {
            let why = result.error.as_ref().map(|e| format!(": {}", e.message)).unwrap_or_default();
            failures.push(format!("status: expected {}, got {}{why}", want.as_str(), result.status.as_str()));
        }
        if let Some(end) = &expect.end_step {
            if result.end_step.as_ref() != Some(end) {
                let got = result.end_step.as_ref().map_or("no end step".to_owned(), |s| format!("`{s}`"));
                failures.push(format!("end step: expected `{end}`, got {got}"));
            }
        }
        if let Some(want) = &expect.output {
            let got = result.output.clone().unwrap_or(Value::Null);
            if &got != want {
                failures.push("output: differs from the expected output".to_owned());
                output_diff = Some(json_diff(want, &got));
            }
        }
    }
    Ok(CaseResult { workflow: workflow.clone(), case: case_id.clone(), name: case.name.clone(), result, failures, output_diff })
}

/// A unified diff of two JSON values, pretty-printed with sorted keys;
/// summarised when they are too large to show line by line.
pub fn json_diff(expected: &Value, actual: &Value) -> String {
    let a = serde_json::to_string_pretty(expected).expect("JSON values serialize") + "\n";
    let b = serde_json::to_string_pretty(actual).expect("JSON values serialize") + "\n";
    atelier_model::diff::unified_diff(&a, &b, ("expected", "actual"), 3)
}

/// Text for XML content and attribute values: markup escaped, and characters
/// XML 1.0 cannot hold at all (most control characters, U+FFFE, U+FFFF)
/// written as `\u{1b}`, so the file stays valid whatever a script printed.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML for CI systems: one test suite per workflow.
pub fn junit_xml(results: &[CaseResult]) -> String {
    let esc = |s: &str| xml_text(s).replace('\n', "&#10;").replace('\r', "&#13;").replace('\t', "&#9;");
    let failed = results.iter().filter(|r| !r.passed()).count();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"atelier\" tests=\"{}\" failures=\"{failed}\">\n",
        results.len()
    );
    let mut workflows: Vec<&Id> = results.iter().map(|r| &r.workflow).collect();
    workflows.dedup();
    for w in workflows {
        let cases: Vec<&CaseResult> = results.iter().filter(|r| &r.workflow == w).collect();
        let f = cases.iter().filter(|r| !r.passed()).count();
        out += &format!("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\">\n", esc(w.as_str()), cases.len());
        for c in cases {
            out += &format!("    <testcase classname=\"{}\" name=\"{}\"", esc(w.as_str()), esc(c.case.as_str()));
            if c.passed() {
                out += "/>\n";
            } else {
                let mut text = c.failures.join("\n");
                if let Some(d) = &c.output_diff {
                    text += "\n";
                    text += d;
                }
                out += &format!(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n", esc(&c.failures[0]), xml_text(&text));
            }
        }
        out += "  </testsuite>\n";
    }
    out + "</testsuites>\n"
}
