//! The API used by the app and the CLI, on real directories, git and workers.

use std::path::{Path, PathBuf};

use atelier_api::{ErrorCode, OpenProject, PreviewRequest};
use atelier_engine::{RunStatus, TraceEvent, WorkerCommand};

fn worker() -> WorkerCommand {
    // The engine's stand-alone worker, built alongside the workspace's tests.
    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target").join(if cfg!(debug_assertions) { "debug" } else { "release" });
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).map(|t| t.join(if cfg!(debug_assertions) { "debug" } else { "release" })).unwrap_or(exe);
    WorkerCommand { program: target.join("atelier-js-worker"), args: vec![] }
}

#[test]
fn typescript_types_in_the_ui_are_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/ipc/types.ts");
    let generated = atelier_api::typescript_declarations();
    if std::env::var_os("UPDATE_TS_TYPES").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(on_disk == generated, "ui/src/ipc/types.ts is stale; run `UPDATE_TS_TYPES=1 cargo test -p atelier-api`");
}

#[test]
fn create_edit_save_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let mut p = OpenProject::create(&root, Some("Claims".into()), false, worker()).unwrap();
    assert_eq!(p.info().name, "Claims");
    let doc = p.new_workflow("intake", "Intake").unwrap();
    assert_eq!(doc.workflow.start.as_str(), "done");

    // Moving a node writes only layout.json.
    let mut moved = doc.clone();
    moved.layout.nodes.values_mut().next().unwrap().x = 300;
    let report = p.save_workflow(moved).unwrap();
    assert_eq!(report.written, ["workflows/intake/layout.json"]);

    // An edit with a problem still saves, and reports it.
    let mut broken = p.workflow("intake").unwrap();
    broken.workflow.start = atelier_model::Id::new("nowhere").unwrap();
    let report = p.save_workflow(broken).unwrap();
    assert_eq!(report.written, ["workflows/intake/workflow.json"]);
    assert!(report.problems.iter().any(|x| x.code == "missing-step" && x.element.as_deref() == Some("/start")));
    assert_eq!(p.info().workflows[0].errors, 1, "{:?}", p.info().problems);

    // The author the app asks for once is kept in the repository's own config.
    assert_eq!(p.set_author("", "x").unwrap_err().code, ErrorCode::NoAuthor);
    p.set_author("Ada Analyst", "ada@example.com").unwrap();
    assert_eq!(p.author(), Some(("Ada Analyst".into(), "ada@example.com".into())));
    let c = p.commit("First").unwrap();
    assert_eq!((c.summary.as_str(), c.author.as_str()), ("First", "Ada Analyst"));
    assert!(p.status().unwrap().is_empty());
    assert_eq!(p.commit("again").unwrap_err().code, ErrorCode::NothingToCommit);
}

#[test]
fn errors_cross_as_codes() {
    let dir = tempfile::tempdir().unwrap();
    let e = OpenProject::open(dir.path(), worker()).err().unwrap();
    assert_eq!(e.code, ErrorCode::NotAProject);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["code"], "not_a_project");
    let mut p = OpenProject::create(&dir.path().join("x"), None, true, worker()).unwrap();
    assert_eq!(p.workflow("../etc").unwrap_err().code, ErrorCode::InvalidId);
    assert_eq!(p.workflow("nope").unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(p.new_workflow("expense-approval", "").unwrap_err().code, ErrorCode::InvalidId);
}

#[test]
fn preview_streams_events_and_runs_in_a_worker() {
    let dir = tempfile::tempdir().unwrap();
    let p = OpenProject::create(&dir.path().join("ex"), None, true, worker()).unwrap();
    let mut steps = Vec::new();
    let req = PreviewRequest { workflow: "expense-approval".into(), case: Some("small-claim".into()), input: None, ..Default::default() };
    let r = p
        .preview(&req, &mut |_| None, &mut |e| {
            if let TraceEvent::StepFinished { step, .. } = e {
                steps.push(step.clone())
            }
        })
        .unwrap();
    assert_eq!(r.status, RunStatus::Completed);
    assert_eq!(steps, ["fetch-rate", "convert", "check-amount", "auto-approve", "approved"]);
    assert!(p.test_workflow("expense-approval").unwrap().iter().all(|c| c.passed()));
}

#[test]
fn a_preview_can_be_saved_as_a_test_case_that_then_passes() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = OpenProject::create(&dir.path().join("ex"), None, true, worker()).unwrap();
    let input = serde_json::json!({"amount": 5000, "currency": "EUR"});
    let req = PreviewRequest { workflow: "expense-approval".into(), case: None, input: Some(input.clone()), ..Default::default() };
    let r = p.preview(&req, &mut |_| None, &mut |_| {}).unwrap();
    let case = atelier_api::NewTestCase {
        workflow: "expense-approval".into(),
        id: "no-rate-service".into(),
        name: "Without a rate service".into(),
        input,
        clock: Some("2026-11-03T09:00:00Z".into()),
        approvals: Default::default(),
        expect: Some(atelier_model::test_case::Expectation {
            status: atelier_model::workflow::EndStatus::Failed,
            end_step: r.end_step.clone(),
            output: r.output.clone(),
        }),
    };
    let doc = p.save_test_case(case.clone()).unwrap();
    assert!(doc.tests.iter().any(|t| t.id == "no-rate-service"));
    assert!(dir.path().join("ex/workflows/expense-approval/tests/no-rate-service.json").is_file());
    assert!(p.test_workflow("expense-approval").unwrap().iter().all(|c| c.passed()));
    assert_eq!(p.save_test_case(case).unwrap_err().code, ErrorCode::InvalidId);
}
