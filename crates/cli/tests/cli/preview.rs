//! `atelier run` and `atelier test`, with real worker processes.

use std::fs;

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::Sandbox;

fn example(s: &Sandbox) {
    s.atelier().args(["init", "ex", "--example"]).assert().success();
}

#[test]
fn test_runs_every_case_and_writes_junit() {
    let s = Sandbox::new();
    example(&s);
    s.atelier().args(["-C", "ex", "test", "--junit", "junit.xml"]).assert().success().stdout(
        contains("PASS  expense-approval/small-claim")
            .and(contains("PASS  expense-lines/a-line-rejected"))
            .and(contains("\n8 passed, 0 failed\n")),
    );
    let xml = fs::read_to_string(s.path("junit.xml")).unwrap();
    assert!(xml.contains(r#"<testsuite name="expense-approval" tests="4" failures="0">"#), "{xml}");
    assert!(xml.contains(r#"<testsuite name="expense-lines" tests="2" failures="0">"#), "{xml}");
}

#[test]
fn testing_one_workflow_reads_the_workflows_it_calls() {
    let s = Sandbox::new();
    example(&s);
    // expense-lines calls check-line for each line and notify-owner; an
    // unrelated workflow whose script cannot even be read must not matter.
    let broken = s.path("ex/workflows/expense-approval/steps/convert.js");
    fs::remove_file(&broken).unwrap();
    fs::create_dir(&broken).unwrap();
    s.atelier().args(["-C", "ex", "test", "expense-lines"]).assert().success().stdout(
        contains("PASS  expense-lines/a-line-rejected")
            .and(contains("PASS  expense-lines/all-lines-fine"))
            .and(contains("\n2 passed, 0 failed\n")),
    );
    // Tested itself, it is read whole, and what is wrong with it shows.
    s.atelier()
        .args(["-C", "ex", "test", "expense-approval"])
        .assert()
        .code(1)
        .stdout(contains("the step's code is missing: steps/convert.js"));
}

#[test]
fn a_failing_case_shows_expected_against_actual_and_exits_1() {
    let s = Sandbox::new();
    example(&s);
    let case = s.path("ex/workflows/expense-approval/tests/small-claim.json");
    fs::write(&case, fs::read_to_string(&case).unwrap().replace("\"amount_eur\": 110.4", "\"amount_eur\": 99")).unwrap();
    s.atelier().args(["-C", "ex", "test", "expense-approval", "--junit", "j.xml"]).assert().code(1).stdout(
        contains("FAIL  expense-approval/small-claim")
            .and(contains("-  \"amount_eur\": 99,\n"))
            .and(contains("+  \"amount_eur\": 110.4,\n"))
            .and(contains("3 passed, 1 failed")),
    );
    assert!(fs::read_to_string(s.path("j.xml")).unwrap().contains("<failure message=\"output: differs from the expected output\">"));
}

#[test]
fn run_prints_steps_and_writes_the_same_trace_every_time() {
    let s = Sandbox::new();
    example(&s);
    for t in ["a.jsonl", "b.jsonl"] {
        s.atelier().args(["-C", "ex", "run", "expense-approval", "--case", "small-claim", "--trace", t]).assert().success().stdout(
            contains("  ok    fetch-rate")
                .and(contains("convert: console.log: 120 USD at 0.92 = 110.4 EUR"))
                .and(contains("completed at `approved` after 5 step(s)")),
        );
    }
    let a = fs::read(s.path("a.jsonl")).unwrap();
    assert_eq!(a, fs::read(s.path("b.jsonl")).unwrap());
    assert_eq!(a.iter().filter(|&&b| b == b'\n').count(), 12);
}

#[test]
fn approvals_are_asked_on_the_terminal_unless_no_input() {
    let s = Sandbox::new();
    example(&s);
    fs::write(s.path("in.json"), r#"{"amount": 5000, "currency": "EUR"}"#).unwrap();
    let mocked = s.path("ex/workflows/expense-approval/tests/large-claim-approved.json");
    // Keep the mocks, drop the recorded decision.
    let mut case: serde_json::Value = serde_json::from_str(&fs::read_to_string(&mocked).unwrap()).unwrap();
    case.as_object_mut().unwrap().remove("approvals");
    fs::write(&mocked, serde_json::to_string_pretty(&case).unwrap()).unwrap();

    s.atelier()
        .args(["-C", "ex", "run", "expense-approval", "--case", "large-claim-approved", "--no-input"])
        .assert()
        .code(1)
        .stdout(contains("approval `manager-approval` has no decision"));
    s.atelier()
        .args(["-C", "ex", "run", "expense-approval", "--case", "large-claim-approved"])
        .write_stdin("r\n")
        .assert()
        .success()
        .stderr(contains("approval `manager-approval` (Manager approval): Approve this expense claim?"))
        .stdout(contains("rejected at `rejected`"));
}

#[test]
fn a_runaway_step_fails_quickly_with_a_limit_error() {
    let s = Sandbox::new();
    example(&s);
    let manifest = s.path("ex/atelier.json");
    let m = fs::read_to_string(&manifest).unwrap().replace(
        "\"format\": 1,",
        "\"format\": 1,\n  \"settings\": {\"preview\": {\"script_timeout_ms\": 400, \"script_memory_mb\": 256}},",
    );
    fs::write(&manifest, m).unwrap();
    fs::write(s.path("ex/workflows/expense-approval/steps/convert.js"), "function run(input) { for (;;) { [2, 1].sort(); } }\n").unwrap();
    let started = std::time::Instant::now();
    s.atelier()
        .args(["-C", "ex", "run", "expense-approval", "--case", "small-claim"])
        .assert()
        .code(1)
        .stdout(contains("  fail  convert").and(contains("limit exceeded: time (400 ms)")));
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn run_names_unknown_workflows_and_cases() {
    let s = Sandbox::new();
    example(&s);
    s.atelier()
        .args(["-C", "ex", "run", "nope"])
        .assert()
        .code(2)
        .stderr(contains("workflow `nope` does not exist (workflows: expense-approval, expense-lines, line-check, notify-owner)"));
    s.atelier()
        .args(["-C", "ex", "run", "expense-approval", "--case", "nope"])
        .assert()
        .code(2)
        .stderr(contains("has no test case `nope`"));
}

#[test]
fn run_names_each_sub_run_step_by_the_step_that_called_it() {
    let s = Sandbox::new();
    example(&s);
    s.atelier().args(["-C", "ex", "run", "expense-lines", "--case", "a-line-rejected"]).assert().success().stdout(
        contains("  fail  check-lines[1]/check custom_code")
            .and(contains("line 2 (Dinner) has no positive amount"))
            .and(contains("  ok    check-lines          for_each"))
            .and(contains("  ok    notify/compose       data_transform"))
            .and(contains("  ok    checks               parallel"))
            .and(contains("completed at `done` after 15 step(s)")),
    );
}
