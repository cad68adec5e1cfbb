//! Search, references, rename, run history and audit on a real project, with
//! its real SQLite index in `.atelier/`.

use atelier_api::{OpenProject, PreviewRequest};
use atelier_model::Severity;
use serde_json::json;

use super::{git, worker};

fn example() -> (tempfile::TempDir, OpenProject) {
    let dir = tempfile::tempdir().unwrap();
    let p = OpenProject::create(&dir.path().join("p"), None, true, worker()).unwrap();
    (dir, p)
}

fn errors(p: &OpenProject) -> Vec<String> {
    p.problems().into_iter().filter(|x| x.severity == Severity::Error).map(|x| format!("{}: {}", x.file, x.message)).collect()
}

fn tests_pass(p: &OpenProject, workflow: &str) {
    for case in p.test_workflow(workflow).unwrap() {
        assert!(case.failures.is_empty(), "{} failed: {:?}", case.case, case.failures);
    }
}

#[test]
fn search_ranks_names_first_and_finds_words_in_code() {
    let (_dir, p) = example();
    let r = p.search("exchange rate", 10).unwrap();
    assert_eq!(r.hits[0].address, "sources/fx-rates", "{:?}", r.hits);
    // Words inside a step's JavaScript are found, with the match marked.
    let r = p.search("math round", 10).unwrap();
    let convert = r.hits.iter().find(|h| h.address == "workflows/expense-approval/steps/convert").expect("the step whose code rounds");
    assert!(convert.text.contains("\u{2}Math\u{3}"), "{}", convert.text);
    // The last word is a prefix: the palette searches as the person types.
    assert!(p.search("manag", 10).unwrap().hits.iter().any(|h| h.address.ends_with("/steps/manager-approval")));
    // What they type is never FTS syntax.
    for odd in ["\"", "NEAR(", "a OR", "*", "-x", "claim:amount", ""] {
        p.search(odd, 10).unwrap();
    }
}

#[test]
fn the_index_follows_the_files_and_only_rereads_what_changed() {
    let (dir, p) = example();
    assert!(p.search("claim", 5).unwrap().reindexed > 3, "the first search fills the index");
    assert_eq!(p.search("claim", 5).unwrap().reindexed, 0, "a second search reads nothing again");
    // A change by someone else (an editor, git) is seen at the next search.
    let path = dir.path().join("p/sources/fx-rates.json");
    let text = std::fs::read_to_string(&path).unwrap().replace("Exchange rates", "Currency oracle");
    std::fs::write(&path, text).unwrap();
    let r = p.search("oracle", 5).unwrap();
    assert_eq!(r.reindexed, 1);
    assert_eq!(r.hits[0].address, "sources/fx-rates");
    // Its old rows went, and only its: nothing else lost its words.
    let before = p.search("exchange rates", 50).unwrap().hits.len();
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("Currency oracle", "Currency sibyl")).unwrap();
    assert!(p.search("oracle", 5).unwrap().hits.is_empty());
    assert_eq!(p.search("sibyl", 5).unwrap().hits.len(), 1);
    assert_eq!(p.search("exchange rates", 50).unwrap().hits.len(), before);
    assert!(p.search("math round", 10).unwrap().hits.iter().any(|h| h.address == "workflows/expense-approval/steps/convert"));
    // A deleted artifact leaves the index.
    std::fs::remove_file(&path).unwrap();
    assert!(p.search("oracle", 5).unwrap().hits.is_empty());
}

#[test]
fn a_branch_switch_under_an_open_index_is_seen() {
    let (dir, mut p) = example();
    let root = dir.path().join("p");
    git(&root, &["add", "-A"]);
    git(&root, &["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "base"]);
    assert!(p.search("oracle", 5).unwrap().hits.is_empty());
    git(&root, &["switch", "-qc", "other"]);
    let path = root.join("sources/fx-rates.json");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("Exchange rates", "Currency oracle")).unwrap();
    git(&root, &["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qam", "oracle"]);
    assert_eq!(p.search("oracle", 5).unwrap().hits.len(), 1);
    git(&root, &["switch", "-q", "main"]);
    p.reload().unwrap();
    assert!(p.search("oracle", 5).unwrap().hits.is_empty(), "back on main, the old name is gone from the index");
}

#[test]
fn a_corrupt_or_older_index_is_rebuilt_never_a_crash() {
    let (dir, p) = example();
    let index = dir.path().join("p/.atelier/index.sqlite");
    std::fs::create_dir_all(index.parent().unwrap()).unwrap();
    std::fs::write(&index, b"this is not a database, it is a stranger's file").unwrap();
    let r = p.search("exchange", 5).unwrap();
    assert!(r.rebuilt.as_deref().unwrap_or("").contains("index.sqlite.corrupt"), "{:?}", r.rebuilt);
    assert_eq!(r.hits[0].address, "sources/fx-rates");
    assert!(dir.path().join("p/.atelier/index.sqlite.corrupt").exists(), "the bad file is kept for a person to look at");
    drop(p);
    // A cache table of another version is dropped and refilled; the kept history survives.
    let mut p = OpenProject::open(&dir.path().join("p"), worker()).unwrap();
    p.keep_history = true;
    p.preview(
        &PreviewRequest { workflow: "expense-approval".into(), case: Some("small-claim".into()), ..Default::default() },
        &mut |_| None,
        &mut |_| {},
    )
    .unwrap();
    drop(p);
    let conn = rusqlite::Connection::open(&index).unwrap();
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'table:search'", []).unwrap();
    drop(conn);
    let p = OpenProject::open(&dir.path().join("p"), worker()).unwrap();
    assert_eq!(p.search("exchange", 5).unwrap().hits[0].address, "sources/fx-rates");
    assert_eq!(p.runs(None, 10).unwrap().len(), 1, "run history outlives a rebuild of the cache");
}

#[test]
fn references_name_who_uses_what() {
    let (_dir, p) = example();
    let r = p.references("models/expense/entities/claim/fields/amount").unwrap();
    let used_by: Vec<(&str, &str, bool)> = r.used_by.iter().map(|e| (e.kind.as_str(), e.address.as_str(), e.in_code)).collect();
    assert!(used_by.contains(&("binds", "forms/expense-claim/components/amount", false)), "{used_by:?}");
    assert!(used_by.contains(&("reads", "workflows/expense-approval/steps/convert", true)), "{used_by:?}");
    let r = p.references("sources/fx-rates").unwrap();
    assert_eq!(r.used_by.iter().map(|e| e.address.as_str()).collect::<Vec<_>>(), ["workflows/expense-approval/steps/fetch-rate"]);
    assert_eq!(r.uses.iter().map(|e| e.address.as_str()).collect::<Vec<_>>(), ["secrets/FX_API_KEY"]);
    let r = p.references("forms/expense-claim").unwrap();
    assert!(r.used_by.iter().any(|e| e.kind == "started by" && e.address == "workflows/expense-approval"), "{:?}", r.used_by);
    assert!(p.references("sources/nowhere").is_err());
    assert!(p.references("not an address").unwrap_err().message.contains("is not an address"));
}

#[test]
fn renaming_a_step_a_field_a_form_and_a_source_leaves_a_valid_project_whose_tests_pass() {
    let (dir, mut p) = example();
    let root = dir.path().join("p");
    // A step: its script file, layout, transitions and test cases follow.
    let r = p.rename("workflows/expense-approval/steps/convert", "to-eur", true, false).unwrap();
    assert!(r.applied, "{r:?}");
    assert!(r.removed.contains(&"workflows/expense-approval/steps/convert.js".to_owned()));
    assert!(root.join("workflows/expense-approval/steps/to-eur.js").exists());
    assert_eq!(errors(&p), Vec::<String>::new());
    tests_pass(&p, "expense-approval");
    // A field no code reads: the form's component follows.
    let r = p.rename("models/expense/entities/claim/fields/description", "purpose", true, false).unwrap();
    assert!(r.applied, "{r:?}");
    assert_eq!(
        p.form("expense-claim").unwrap().form.components[&atelier_model::Id::new("description").unwrap()].field.as_ref().unwrap().as_str(),
        "purpose"
    );
    assert_eq!(errors(&p), Vec::<String>::new());
    // A form: its folder, the trigger that names it and the manifest.
    p.rename("forms/expense-claim", "claim-form", true, false).unwrap();
    assert!(root.join("forms/claim-form/form.json").exists() && !root.join("forms/expense-claim").exists());
    // A source: the api_call steps that call it.
    p.rename("sources/fx-rates", "rates", true, false).unwrap();
    assert_eq!(errors(&p), Vec::<String>::new());
    tests_pass(&p, "expense-approval");
    let audit = p.audit_log(None, 20).unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "rename").count(), 4, "{audit:?}");
    // The index knows the new names at once.
    assert!(p.references("sources/rates").unwrap().used_by.iter().any(|e| e.address.ends_with("/steps/fetch-rate")));
}

#[test]
fn a_rename_that_code_would_miss_is_refused_with_the_places_to_check() {
    let (_dir, mut p) = example();
    // The approval's decision is read from the state by the step's id.
    let r = p.rename("workflows/expense-approval/steps/manager-approval", "boss", true, false).unwrap();
    assert!(!r.applied && r.refused.is_some(), "{r:?}");
    assert!(r.check_by_hand.iter().any(|m| m.contains("record-decision.js:3") && m.contains("manager-approval")), "{:?}", r.check_by_hand);
    assert!(p.workflow("expense-approval").unwrap().workflow.steps.keys().any(|k| k.as_str() == "manager-approval"), "nothing changed");
    // A taken id, a missing element and a bad id are refused with the reason.
    assert!(p.rename("workflows/expense-approval/steps/convert", "approved", true, false).unwrap_err().message.contains("already exists"));
    assert!(p.rename("workflows/expense-approval/steps/nope", "x", true, false).unwrap_err().message.contains("does not exist"));
    assert!(p.rename("sources/fx-rates", "Bad Id", true, false).is_err());
    // With force, it is renamed and the places are still listed.
    let r = p.rename("workflows/expense-approval/steps/manager-approval", "boss", true, true).unwrap();
    assert!(r.applied && !r.check_by_hand.is_empty());
}

#[test]
fn previews_are_kept_in_the_history_with_their_trace() {
    let (_dir, mut p) = example();
    p.keep_history = true;
    let req = PreviewRequest {
        workflow: "expense-approval".into(),
        input: Some(json!({"amount": 12, "currency": "EUR", "description": "Taxi"})),
        ..Default::default()
    };
    p.preview(&req, &mut |_| None, &mut |_| {}).unwrap();
    let runs = p.runs(Some("expense-approval"), 10).unwrap();
    assert_eq!(runs.len(), 1);
    let past = p.past_run(runs[0].id).unwrap();
    assert_eq!(past.input["description"], "Taxi");
    assert!(past.trace.len() > 3, "the trace is kept whole: {:?}", past.trace.len());
    assert!(p.audit_log(Some("workflows/expense-approval"), 10).unwrap().iter().any(|a| a.action == "run"));
    assert_eq!(p.retention_days(Some(7)).unwrap(), 7);
    assert!(p.retention_days(Some(0)).is_err());
    assert!(p.past_run(9999).is_err());
}

#[test]
fn in_the_app_the_watcher_and_saves_keep_the_index_fresh_in_the_background() {
    let (dir, mut p) = example();
    p.set_origin("app", true);
    assert_eq!(p.search("exchange", 5).unwrap().hits[0].address, "sources/fx-rates");
    // A change on disk, as the watcher reports it: the app reads the project again and
    // the index follows behind, before the next search answers.
    let path = dir.path().join("p/sources/fx-rates.json");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("Exchange rates", "Currency oracle")).unwrap();
    assert_eq!(p.changes_on_disk().unwrap(), ["sources/fx-rates.json"]);
    let r = p.search("oracle", 5).unwrap();
    assert_eq!((r.hits.len(), r.reindexed), (1, 0), "fresh from the watcher's update, not from the search's own check");
    // The app's own save, likewise.
    let mut doc = p.workflow("expense-approval").unwrap();
    doc.workflow.name = "Claims with a zeppelin".into();
    p.save_workflow(doc).unwrap();
    assert_eq!(p.search("zeppelin", 5).unwrap().hits[0].address, "workflows/expense-approval");
    let audit = p.audit_log(Some("workflows/expense-approval"), 5).unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].origin.as_str()), ("save", "app"));
}

#[test]
fn governance_rules_say_what_they_ask_and_who_breaks_them() {
    let (_dir, mut p) = example();
    let tested = |p: &OpenProject| p.info().rules.into_iter().find(|r| r.rule == "tested").expect("the example's rule");
    let r = tested(&p);
    assert_eq!((r.policy.as_str(), r.applies_to.as_str()), ("policies/governance", "workflows"));
    assert!(r.broken_by.is_empty(), "{:?}", r.broken_by);
    p.new_workflow("intake", "Intake").unwrap();
    assert_eq!(tested(&p).broken_by, ["workflows/intake/workflow.json"]);
    let hosts = p.info().rules.into_iter().find(|r| r.rule == "known-hosts").unwrap();
    assert_eq!((hosts.applies_to.as_str(), hosts.asks.as_str()), ("sources", "sources call only fx.example.com"));
}

#[test]
fn a_branch_switch_seen_by_the_watcher_reaches_the_index_of_the_open_app() {
    use std::sync::mpsc;
    use std::time::Duration;
    let (dir, mut p) = example();
    let root = dir.path().join("p");
    git(&root, &["add", "-A"]);
    git(&root, &["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "base"]);
    git(&root, &["switch", "-qc", "other"]);
    let path = root.join("sources/fx-rates.json");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("Exchange rates", "Currency oracle")).unwrap();
    git(&root, &["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qam", "oracle"]);
    git(&root, &["switch", "-q", "main"]);
    p.set_origin("app", true);
    assert!(p.search("oracle", 5).unwrap().hits.is_empty());
    // The app's watcher (notify, debounced): what it reports, the app reads again.
    let (tx, rx) = mpsc::channel();
    let _watcher = atelier_store::watch::watch(&root, Duration::from_millis(100), move |paths| {
        let _ = tx.send(paths);
    })
    .unwrap();
    git(&root, &["switch", "-q", "other"]);
    // The switch may arrive in more than one debounced batch.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while !seen.iter().any(|f: &String| f == "sources/fx-rates.json") {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        seen.extend(rx.recv_timeout(left).unwrap_or_else(|_| panic!("the watcher reports the switch; it saw {seen:?}")));
    }
    assert_eq!(p.changes_on_disk().unwrap(), ["sources/fx-rates.json"]);
    let r = p.search("oracle", 5).unwrap();
    assert_eq!((r.hits.len(), r.reindexed), (1, 0), "the index followed the switch behind the watcher's read");
}

#[test]
fn a_renamed_api_call_keeps_its_answer_where_the_code_reads_it() {
    let (_dir, mut p) = example();
    // `fetch-rate` saves as `fx`; a call without `save_as` keeps its answer under its id.
    let mut doc = p.workflow("expense-approval").unwrap();
    if let atelier_model::workflow::Step::ApiCall(a) = doc.workflow.steps.get_mut(&atelier_model::Id::new("fetch-rate").unwrap()).unwrap() {
        a.save_as = None;
    }
    let code = doc.scripts.get_mut("convert").unwrap();
    *code = code.replace("input.fx.rates", r#"input["fetch-rate"].rates"#);
    p.save_workflow(doc).unwrap();
    tests_pass(&p, "expense-approval");
    let r = p.rename("workflows/expense-approval/steps/fetch-rate", "get-rate", true, true).unwrap();
    assert!(r.applied);
    tests_pass(&p, "expense-approval");
    // Renaming to the same id changes nothing; a missing element is still refused.
    let r = p.rename("sources/fx-rates", "fx-rates", true, false).unwrap();
    assert!(r.written.is_empty() && r.references == 0, "{r:?}");
    assert!(p.rename("sources/nope", "nope", true, false).is_err());
}
