//! The API used by the app and the CLI, on real directories, git and workers.

use std::path::{Path, PathBuf};

use atelier_api::{ErrorCode, OpenProject, PreviewRequest};
use atelier_engine::{RunStatus, TraceEvent, WorkerCommand};

fn worker() -> WorkerCommand {
    // This crate's own worker binary, which cargo builds for these tests.
    WorkerCommand { program: PathBuf::from(env!("CARGO_BIN_EXE_atelier-api-test-worker")), args: vec![] }
}

/// Plain `git` in `dir`; its output.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
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

mod designers;
mod find;
mod untrusted;

mod team {
    use super::*;
    use atelier_api::MergeResult;
    use serde_json::json;

    /// The example, committed, with an author.
    fn example() -> (tempfile::TempDir, OpenProject) {
        let dir = tempfile::tempdir().unwrap();
        let p = OpenProject::create(&dir.path().join("p"), None, true, worker()).unwrap();
        p.set_author("Ada", "ada@example.com").unwrap();
        let mut p = p;
        p.commit("Example").unwrap();
        (dir, p)
    }

    fn rename(p: &mut OpenProject, step: &str, name: &str) {
        let mut doc = p.workflow("expense-approval").unwrap();
        let id = atelier_model::Id::new(step).unwrap();
        let s = doc.workflow.steps.get_mut(&id).unwrap();
        *s = serde_json::from_value({
            let mut v = serde_json::to_value(&*s).unwrap();
            v["name"] = json!(name);
            v
        })
        .unwrap();
        p.save_workflow(doc).unwrap();
    }

    #[test]
    fn a_merge_conflict_is_listed_resolved_and_committed_as_the_merge() {
        let (_d, mut p) = example();
        p.create_branch("bob", true).unwrap();
        rename(&mut p, "convert", "Bob's convert");
        p.commit("Bob").unwrap();
        let main = p.branches().unwrap().branches.iter().find(|b| b.name != "bob").unwrap().name.clone();
        p.switch_branch(&main).unwrap();
        rename(&mut p, "convert", "Ann's convert");
        p.commit("Ann").unwrap();

        let report = p.merge_branch("bob").unwrap();
        assert_eq!(
            (report.result, report.files.as_slice()),
            (MergeResult::Conflicts, ["workflows/expense-approval/workflow.json".to_owned()].as_slice())
        );
        assert_eq!(p.branches().unwrap().merging.as_deref(), Some("Merge branch 'bob'"));
        let conflicts = p.conflicts().unwrap();
        assert_eq!(conflicts.len(), 1);
        let c = &conflicts[0];
        assert_eq!((c.pointer.as_str(), c.label.as_str()), ("/steps/convert/name", "step convert: name"));
        assert_eq!((&c.base, &c.ours, &c.theirs), (&json!("Convert to EUR"), &json!("Ann's convert"), &json!("Bob's convert")));
        // No committing `$conflict` data by accident.
        assert_eq!(p.commit("too soon").unwrap_err().code, ErrorCode::Conflicts);
        assert_eq!(p.resolve_conflict(&c.file, "/steps/nope", json!(1)).unwrap_err().code, ErrorCode::NotFound);

        assert!(p.resolve_conflict(&c.file, &c.pointer, c.theirs.clone()).unwrap().is_empty());
        // Written back in canonical form: `atelier fmt --check` has nothing to say.
        assert!(atelier_api::format_project(p.root(), true).unwrap().files.is_empty());
        assert_eq!(
            p.workflow("expense-approval").unwrap().workflow.steps[&atelier_model::Id::new("convert").unwrap()].name(),
            "Bob's convert"
        );
        p.commit("Merge branch 'bob'").unwrap();
        assert_eq!(git(p.root(), &["log", "-1", "--format=%P"]).split_whitespace().count(), 2);
        assert!(p.branches().unwrap().merging.is_none());
    }

    #[test]
    fn a_script_conflict_is_resolved_with_its_whole_text() {
        let (_d, mut p) = example();
        let code = |p: &OpenProject| p.workflow("expense-approval").unwrap().scripts["convert"].clone();
        let edit = |p: &mut OpenProject, text: String| {
            let mut doc = p.workflow("expense-approval").unwrap();
            doc.scripts.insert("convert".into(), text);
            p.save_workflow(doc).unwrap();
        };
        let base = code(&p);
        let first = base.lines().next().unwrap().to_owned();
        p.create_branch("bob", true).unwrap();
        edit(&mut p, base.replacen(&first, &format!("{first} /* bob */"), 1));
        p.commit("Bob").unwrap();
        let main = p.branches().unwrap().branches.iter().find(|b| b.name != "bob").unwrap().name.clone();
        p.switch_branch(&main).unwrap();
        edit(&mut p, base.replacen(&first, &format!("{first} /* ann */"), 1));
        p.commit("Ann").unwrap();
        assert_eq!(p.merge_branch("bob").unwrap().result, MergeResult::Conflicts);
        let conflicts = p.conflicts().unwrap();
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let c = &conflicts[0];
        assert_eq!((c.file.as_str(), c.pointer.as_str()), ("workflows/expense-approval/steps/convert.js", ""));
        assert!(c.ours.as_str().unwrap().contains("/* ann */") && c.theirs.as_str().unwrap().contains("/* bob */"));
        assert!(p.resolve_conflict(&c.file, "", c.theirs.clone()).unwrap().is_empty());
        p.commit("Merge").unwrap();
        assert!(code(&p).contains("/* bob */"));
    }

    #[test]
    fn compare_and_diff_see_an_unsaved_to_git_change() {
        let (_d, mut p) = example();
        rename(&mut p, "check-amount", "Over 500 EUR?");
        let view = p.compare("HEAD", None, "expense-approval").unwrap();
        assert_eq!(view.changes.len(), 1, "{:?}", view.changes);
        assert_eq!(view.changes[0].to_string(), "workflow expense-approval: step check-amount: name `Over 1,000 EUR?` → `Over 500 EUR?`");
        assert!(view.before.is_some() && view.after.is_some());
        assert_eq!(p.diff("HEAD", None).unwrap().changes, view.changes);
        assert_eq!(p.compare("HEAD", None, "nope").unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn changes_on_disk_are_others_not_the_apps_own() {
        let (_d, mut p) = example();
        assert!(p.changes_on_disk().unwrap().is_empty());
        rename(&mut p, "convert", "Saved by the app");
        assert!(p.changes_on_disk().unwrap().is_empty(), "the app's own save is known");
        let wf = p.root().join("workflows/expense-approval/workflow.json");
        std::fs::write(&wf, std::fs::read_to_string(&wf).unwrap().replace("Saved by the app", "Edited elsewhere")).unwrap();
        assert_eq!(p.changes_on_disk().unwrap(), ["workflows/expense-approval/workflow.json"]);
        assert!(p.changes_on_disk().unwrap().is_empty(), "reported once");
    }

    #[test]
    fn a_file_caught_half_written_is_looked_at_again() {
        let (_d, mut p) = example();
        let wf = p.root().join("workflows/expense-approval/workflow.json");
        let whole = std::fs::read_to_string(&wf).unwrap();
        std::fs::write(&wf, &whole[..whole.len() / 2]).unwrap();
        let changed = p.changes_on_disk().unwrap();
        assert!(p.half_written(&changed), "{changed:?}");
        std::fs::write(&wf, whole.replace("Convert to EUR", "Settled")).unwrap();
        let changed = p.changes_on_disk().unwrap();
        assert_eq!(changed, ["workflows/expense-approval/workflow.json"]);
        assert!(!p.half_written(&changed));
    }
}

#[test]
fn an_unfinished_design_always_saves_and_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = OpenProject::create(&dir.path().join("p"), None, false, worker()).unwrap();
    let mut doc = p.new_workflow("intake", "Intake").unwrap();
    // As the app sends it: an approval just added, a branch not yet connected (`""`).
    doc.workflow = serde_json::from_value(serde_json::json!({"name": "Intake", "start": "ask", "steps": {
        "ask": {"kind": "approval", "name": "Ask", "next_if_rejected": ""},
        "check": {"kind": "condition", "name": "Check", "branches": [{"when": "true", "next": ""}], "otherwise": "done"},
        "done": {"kind": "end", "name": "Done"}}}))
    .unwrap();
    let report = p.save_workflow(doc).unwrap();
    assert_eq!(report.written, ["workflows/intake/workflow.json"]);
    let dangling: Vec<(&str, Option<&str>)> =
        report.problems.iter().filter(|x| x.code == "dangling-exit").map(|x| (x.message.as_str(), x.element.as_deref())).collect();
    assert_eq!(
        dangling,
        [
            ("the approved exit of approval step `ask` leads nowhere; connect it to a step", Some("/steps/ask/next_if_approved")),
            ("the rejected exit of approval step `ask` leads nowhere; connect it to a step", Some("/steps/ask/next_if_rejected")),
            ("the branch exit of condition step `check` leads nowhere; connect it to a step", Some("/steps/check/branches/0/next")),
        ]
    );
    // Written without the empty ids, and read back the same.
    let text = std::fs::read_to_string(p.root().join("workflows/intake/workflow.json")).unwrap();
    assert!(!text.contains("\"\""), "{text}");
    assert!(p.workflow("intake").unwrap().workflow.steps.contains_key(&atelier_model::Id::new("ask").unwrap()));
}
