//! Whole runs: the example's cases, every step kind and error policy,
//! determinism, live HTTP against a real local server, hostile steps.

use atelier_engine::trace::{ErrorKind, RunStatus};
use atelier_engine::{run_case, run_workflow, LiveGrants, RunOptions, TraceEvent, TraceWriter};
use atelier_model::test_case::Decision;
use atelier_model::{Id, Project};
use serde_json::json;

use crate::support::{example, id, pool, pool_with_timeout, project};

fn run(p: &Project, opts: &RunOptions) -> (atelier_engine::RunResult, Vec<TraceEvent>) {
    let pool = pool();
    let mut events = Vec::new();
    let r = run_workflow(p, &id("w"), &pool, opts, &mut |_| None, &mut |e| events.push(e)).unwrap();
    (r, events)
}

fn attempts_of(events: &[TraceEvent], step: &str) -> Vec<(u32, Option<ErrorKind>)> {
    events
        .iter()
        .filter_map(|e| match e {
            TraceEvent::StepFinished { step: s, attempt, error, .. } if s == step => Some((*attempt, error.as_ref().map(|e| e.kind))),
            _ => None,
        })
        .collect()
}

#[test]
fn the_example_test_cases_pass() {
    let p = example();
    let pool = pool();
    let w = id("expense-approval");
    let cases: Vec<Id> = p.workflows[&w].tests.keys().cloned().collect();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let r = run_case(&p, &w, &case, &pool, &LiveGrants::default(), None, &mut |_| {}).unwrap();
        assert!(r.passed(), "{case}: {:?}\n{}", r.failures, r.output_diff.unwrap_or_default());
    }
}

#[test]
fn the_same_case_writes_a_byte_identical_trace() {
    let p = example();
    let w = id("expense-approval");
    let trace = |case: &str| {
        let pool = pool();
        let mut writer = TraceWriter::new(Vec::new());
        run_case(&p, &w, &id(case), &pool, &LiveGrants::default(), None, &mut |e| writer.write(&e).unwrap()).unwrap();
        String::from_utf8(writer.into_inner()).unwrap()
    };
    let a = trace("rate-service-down");
    assert_eq!(a, trace("rate-service-down"));
    assert!(!a.contains("wall_us"));
    // Retries wait on the virtual clock: 500 ms, then 1000 ms, recorded not slept.
    assert!(a.contains(r#"{"event":"waited","step":"fetch-rate","ms":500}"#), "{a}");
    assert!(a.contains(r#"{"event":"waited","step":"fetch-rate","ms":1000}"#), "{a}");
    insta::assert_snapshot!("trace_large_claim_approved", trace("large-claim-approved"));
}

#[test]
fn a_failing_expectation_shows_expected_against_actual() {
    let mut p = example();
    let w = id("expense-approval");
    let case = p.workflows.get_mut(&w).unwrap().tests.get_mut(&id("small-claim")).unwrap();
    case.expect.as_mut().unwrap().output = Some(json!({"amount_eur": 111, "approved_by": "system", "status": "approved"}));
    let r = run_case(&p, &w, &id("small-claim"), &pool(), &LiveGrants::default(), None, &mut |_| {}).unwrap();
    assert_eq!(r.failures, ["output: differs from the expected output"]);
    insta::assert_snapshot!("failing_case_diff", r.output_diff.unwrap());
}

#[test]
fn retry_then_continue_then_route() {
    let wf = json!({
        "name": "W", "start": "flaky",
        "steps": {
            "flaky": {"kind": "custom_code", "name": "Flaky", "next": "shape",
                      "on_error": {"policy": "retry", "max_attempts": 3, "backoff_ms": 100, "factor": 3, "then": {"policy": "continue"}}},
            "shape": {"kind": "data_transform", "name": "Shape", "next": "done",
                      "on_error": {"policy": "route", "to": "handler"}},
            "handler": {"kind": "end", "name": "Handled", "status": "failed", "output": {"why": "{{input.error.message}}"}},
            "done": {"kind": "end", "name": "Done"}
        }
    });
    let p = project(
        wf,
        &[("flaky", "function run(i) { throw new Error('down'); }"), ("shape", "function run(i) { return i.error.missing.x; }")],
    );
    let (r, events) = run(&p, &RunOptions::new(json!({"n": 1}), 0));
    assert_eq!(attempts_of(&events, "flaky"), [(1, Some(ErrorKind::Script)), (2, Some(ErrorKind::Script)), (3, Some(ErrorKind::Script))]);
    let waits: Vec<u64> = events.iter().filter_map(|e| if let TraceEvent::Waited { ms, .. } = e { Some(*ms) } else { None }).collect();
    assert_eq!(waits, [100, 300]);
    assert_eq!(r.duration_ms, 400, "the virtual clock moved by the waits");
    assert_eq!(r.status, RunStatus::Failed);
    assert_eq!(r.end_step, Some(id("handler")));
    assert_eq!(r.output, Some(json!({"why": "steps/shape.js: TypeError: cannot convert 'null' or 'undefined' to object"})));
}

#[test]
fn fail_policy_ends_the_run_with_the_step_error() {
    let wf = json!({"name": "W", "start": "a", "steps": {
        "a": {"kind": "custom_code", "name": "A", "next": "b"}, "b": {"kind": "end", "name": "B"}}});
    let p = project(wf, &[("a", "function run(i) { throw 'plain text'; }")]);
    let (r, _) = run(&p, &RunOptions::new(json!({}), 0));
    assert_eq!(r.status, RunStatus::Failed);
    assert_eq!(r.error.unwrap().message, "steps/a.js: threw \"plain text\"");
}

#[test]
fn conditions_branch_and_approvals_decide() {
    let wf = json!({"name": "W", "start": "big", "steps": {
        "big": {"kind": "condition", "name": "Big?", "branches": [{"when": "input.n > 10", "next": "ask"}], "otherwise": "small"},
        "ask": {"kind": "approval", "name": "Ask", "next_if_approved": "yes", "next_if_rejected": "no"},
        "small": {"kind": "end", "name": "Small", "output": "{{input.n}}"},
        "yes": {"kind": "end", "name": "Yes", "output": {"by": "{{input.ask.by}}"}},
        "no": {"kind": "end", "name": "No", "status": "rejected"}}});
    let p = project(wf, &[]);
    let (r, _) = run(&p, &RunOptions::new(json!({"n": 3}), 0));
    assert_eq!((r.end_step, r.output), (Some(id("small")), Some(json!(3))));

    // No decision in the options: the person at the screen is asked.
    let pool = pool();
    let mut asked = Vec::new();
    let r = run_workflow(
        &p,
        &id("w"),
        &pool,
        &RunOptions::new(json!({"n": 30}), 0),
        &mut |req| {
            asked.push(req.step.to_string());
            Some(Decision { decision: atelier_model::test_case::Verdict::Approve, by: "ada".into(), comment: String::new() })
        },
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(asked, ["ask"]);
    assert_eq!(r.output, Some(json!({"by": "ada"})));

    // Nobody answers: a clear approval error.
    let (r, _) = run(&p, &RunOptions::new(json!({"n": 30}), 0));
    assert_eq!(r.error.unwrap().kind, ErrorKind::Approval);
}

#[test]
fn api_calls_without_a_mock_say_so() {
    let p = example();
    let pool = pool();
    let r = run_workflow(
        &p,
        &id("expense-approval"),
        &pool,
        &RunOptions::new(json!({"amount": 5, "currency": "USD"}), 0),
        &mut |_| None,
        &mut |_| {},
    )
    .unwrap();
    // The retry policy runs three attempts, then routes to rate-unavailable.
    assert_eq!(r.end_step, Some(id("rate-unavailable")));
    let mut events = Vec::new();
    let mut p2 = p.clone();
    if let Some(atelier_model::workflow::Step::ApiCall(a)) =
        p2.workflows.get_mut(&id("expense-approval")).unwrap().workflow.steps.get_mut(&id("fetch-rate"))
    {
        a.on_error = None;
    }
    let r = run_workflow(
        &p2,
        &id("expense-approval"),
        &pool,
        &RunOptions::new(json!({"amount": 5, "currency": "USD"}), 0),
        &mut |_| None,
        &mut |e| events.push(e),
    )
    .unwrap();
    let e = r.error.unwrap();
    assert_eq!(e.kind, ErrorKind::NoMock);
    assert_eq!(e.message, "no mock for GET https://fx.example.com/v1/latest?base=USD&symbols=EUR; add one to the test case, or grant live calls to `fx.example.com` on this machine (`--allow-live fx.example.com`, `atelier permissions --grant-live fx.example.com`, or the app's Permissions)");
}

fn serve_once(status: u16, body: &'static str) -> (u16, std::thread::JoinHandle<String>) {
    let (port, handle) = crate::support::serve(vec![crate::support::json_response(status, body)]);
    (port, std::thread::spawn(move || handle.join().unwrap().remove(0)))
}

#[test]
fn live_calls_reach_granted_hosts_with_the_granted_secret() {
    let (port, server) = serve_once(200, r#"{"rates": {"EUR": 0.5}}"#);
    let mut p = example();
    let src = p.sources.get_mut(&id("fx-rates")).unwrap();
    src.base_url = format!("http://127.0.0.1:{port}/v1");
    let mut opts = RunOptions::new(json!({"amount": 10, "currency": "USD"}), 0);
    opts.grants.live_hosts = vec!["127.0.0.1".into()];
    opts.grants.secrets.insert("FX_API_KEY".into(), "test-key-123".into());
    let pool = pool();
    let mut events = Vec::new();
    let r = run_workflow(&p, &id("expense-approval"), &pool, &opts, &mut |_| None, &mut |e| events.push(e)).unwrap();
    let request = server.join().unwrap();
    assert!(request.starts_with("GET /v1/latest?base=USD&symbols=EUR HTTP/1.1"), "{request}");
    let lower = request.to_ascii_lowercase();
    assert!(lower.contains("x-api-key: test-key-123"), "{request}");
    assert!(lower.contains("accept: application/json"), "{request}");
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.error);
    assert_eq!(r.output.unwrap()["amount_eur"], json!(5));
}

#[test]
fn an_error_status_from_a_live_call_is_an_http_error() {
    let (port, server) = serve_once(503, r#"{"error": "maintenance"}"#);
    let mut p = example();
    p.sources.get_mut(&id("fx-rates")).unwrap().base_url = format!("http://127.0.0.1:{port}/v1");
    p.sources.get_mut(&id("fx-rates")).unwrap().auth = Default::default();
    let wf = p.workflows.get_mut(&id("expense-approval")).unwrap();
    if let Some(atelier_model::workflow::Step::ApiCall(a)) = wf.workflow.steps.get_mut(&id("fetch-rate")) {
        a.on_error = None;
    }
    let mut opts = RunOptions::new(json!({"amount": 10, "currency": "USD"}), 0);
    opts.grants.live_hosts = vec!["127.0.0.1".into()];
    let r = run_workflow(&p, &id("expense-approval"), &pool(), &opts, &mut |_| None, &mut |_| {}).unwrap();
    server.join().unwrap();
    let e = r.error.unwrap();
    assert_eq!(e.kind, ErrorKind::Http);
    assert_eq!(
        e.message,
        format!("HTTP 503 from GET http://127.0.0.1:{port}/v1/latest?base=USD&symbols=EUR: {{\"error\":\"maintenance\"}}")
    );
}

#[test]
fn a_hostile_step_fails_its_node_and_the_next_run_succeeds() {
    let wf = json!({"name": "W", "start": "spin", "steps": {
        "spin": {"kind": "custom_code", "name": "Spin", "next": "done"}, "done": {"kind": "end", "name": "Done"}}});
    let p = project(wf.clone(), &[("spin", "function run(i) { for (;;) { [3,1,2].sort(); } }")]);
    let pool = pool_with_timeout(500);
    let mut events = Vec::new();
    let r = run_workflow(&p, &id("w"), &pool, &RunOptions::new(json!({}), 0), &mut |_| None, &mut |e| events.push(e)).unwrap();
    assert_eq!(r.status, RunStatus::Failed);
    assert_eq!(r.error.as_ref().unwrap().message, "limit exceeded: time (500 ms)");
    assert_eq!(attempts_of(&events, "spin"), [(1, Some(ErrorKind::Limit))]);
    let ok = project(wf, &[("spin", "function run(i) { return {fine: true}; }")]);
    let r = run_workflow(&ok, &id("w"), &pool, &RunOptions::new(json!({}), 0), &mut |_| None, &mut |_| {}).unwrap();
    assert_eq!(r.status, RunStatus::Completed);
}

#[test]
fn a_loop_in_the_graph_and_the_workflow_timeout_stop_the_run() {
    let wf = json!({"name": "W", "start": "a", "steps": {
        "a": {"kind": "custom_code", "name": "A", "next": "a"}}});
    let p = project(wf, &[("a", "function run(i) { return i; }")]);
    let mut opts = RunOptions::new(json!({}), 0);
    opts.max_attempts = 50;
    let (r, _) = run(&p, &opts);
    assert_eq!(r.error.unwrap().message, "the run stopped after 50 step attempts; is there a loop in the workflow?");

    let wf = json!({"name": "W", "start": "a", "timeout_ms": 1000, "steps": {
        "a": {"kind": "custom_code", "name": "A", "next": "b", "on_error": {"policy": "retry", "max_attempts": 5, "backoff_ms": 400, "factor": 1, "then": {"policy": "continue"}}},
        "b": {"kind": "end", "name": "B"}}});
    let p = project(wf, &[("a", "function run(i) { throw new Error('no'); }")]);
    let (r, _) = run(&p, &RunOptions::new(json!({}), 0));
    let e = r.error.unwrap();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Timeout, "the workflow's timeout of 1000 ms ran out"));
}

#[test]
fn console_output_is_in_the_trace() {
    let p = example();
    let mut logs = Vec::new();
    run_case(&p, &id("expense-approval"), &id("small-claim"), &pool(), &LiveGrants::default(), None, &mut |e| {
        if let TraceEvent::StepFinished { step, logs: l, .. } = e {
            for line in l {
                logs.push(format!("{step}: {}", line.message));
            }
        }
    })
    .unwrap();
    assert_eq!(logs, ["convert: 120 USD at 0.92 = 110.4 EUR"]);
}
