//! The model and form designers' use cases on a real project: saves that
//! touch only what changed, what uses a field before it goes, imports, and a
//! form's state through the API.

use atelier_api::{ModelFormat, OpenProject};
use serde_json::json;

fn id(s: &str) -> atelier_model::Id {
    atelier_model::Id::new(s).unwrap()
}

use super::worker;

fn example() -> (tempfile::TempDir, OpenProject) {
    let dir = tempfile::tempdir().unwrap();
    let p = OpenProject::create(&dir.path().join("p"), None, true, worker()).unwrap();
    (dir, p)
}

#[test]
fn moving_an_entity_writes_only_the_model_layout() {
    let (dir, mut p) = example();
    let mut doc = p.model("expense").unwrap();
    doc.layout.entities.insert(atelier_model::Id::new("claim").unwrap(), atelier_model::layout::Position { x: 40, y: 80 });
    let report = p.save_model(doc.clone()).unwrap();
    assert_eq!(report.written, ["models/expense.layout.json"]);
    let bytes = std::fs::read_to_string(dir.path().join("p/models/expense.layout.json")).unwrap();
    assert!(bytes.contains("\"x\": 40"), "{bytes}");
    // And a label edit writes only the model.
    doc.model.entities.get_mut(&atelier_model::Id::new("claim").unwrap()).unwrap().name = "Claim".into();
    assert_eq!(p.save_model(doc).unwrap().written, ["models/expense.json"]);
    assert!(p.problems().is_empty(), "{:?}", p.problems());
}

#[test]
fn a_field_s_users_are_listed_before_it_goes() {
    let (_dir, p) = example();
    let uses = p.usages("expense", "claim", Some("amount")).unwrap();
    assert_eq!(uses.len(), 1, "{uses:?}");
    assert_eq!(uses[0].file, "forms/expense-claim/form.json");
    assert!(uses[0].what.contains("component `amount`"));
    let entity = p.usages("expense", "employee", None).unwrap();
    assert!(entity.iter().any(|u| u.what.contains("field `employee` of entity `claim` references it")), "{entity:?}");
    let claim = p.usages("expense", "claim", None).unwrap();
    assert!(claim.iter().any(|u| u.file == "workflows/expense-approval/workflow.json"), "the workflow the form starts: {claim:?}");
}

#[test]
fn a_sql_import_is_a_new_model_and_refuses_to_overwrite() {
    let (dir, mut p) = example();
    let r = p
        .import_model(
            "CREATE TABLE a (id INT PRIMARY KEY, b_id INT REFERENCES b(id)); CREATE TABLE b (id INT PRIMARY KEY);",
            ModelFormat::Sql,
            "shop",
            None,
            false,
        )
        .unwrap();
    assert_eq!((r.model.as_str(), r.entities), ("shop", 2));
    // The columns' order goes to the layout (the model keeps fields by id, for small diffs).
    assert_eq!(r.written, ["models/shop.json", "models/shop.layout.json"]);
    assert!(dir.path().join("p/models/shop.json").is_file());
    assert_eq!(p.model("shop").unwrap().layout.fields, [(id("a"), vec![id("id"), id("b-id")])].into_iter().collect());
    let again = p.import_model("CREATE TABLE c (id INT);", ModelFormat::Sql, "shop", None, false).unwrap_err();
    assert!(again.message.contains("already exists"), "{}", again.message);
    let bad = p.import_model("CREATE TABLE (", ModelFormat::Sql, "other", None, false).unwrap_err();
    assert!(bad.message.starts_with("cannot import: line 1"), "{}", bad.message);
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    let sql = p.model_sql("shop", Some("sqlite")).unwrap();
    assert!(sql.contains("CREATE TABLE \"a\"") && sql.contains("REFERENCES \"b\""), "{sql}");
    assert!(sql.find("\"id\" INTEGER PRIMARY KEY") < sql.find("\"b_id\""), "columns in their imported order: {sql}");
}

#[test]
fn a_form_filled_in_through_the_api() {
    let (_dir, mut p) = example();
    let doc = p.form("expense-claim").unwrap();
    assert!(p.form_preview_input(&json!({}), None).unwrap_err().message.contains("no form preview is open"));
    let s = p.open_form_preview(doc, &json!({ "amount": -3, "currency": "USD" }), None).unwrap();
    assert_eq!(s.components["amount"].error.as_deref(), Some("Must be at least 0.01."));
    assert_eq!(s.components["category"].error.as_deref(), Some("This field is required."));
    assert!(!s.valid);
    // A keystroke's answer names only what changed: the amount is mended, nothing else moved.
    let change = p.form_preview_input(&json!({ "amount": 12, "currency": "USD" }), None).unwrap();
    assert_eq!(change.components.keys().collect::<Vec<_>>(), ["amount"]);
    assert_eq!(change.components["amount"].error, None);
    assert_eq!(change.record, json!({ "amount": 12, "currency": "USD" }));
    assert!(!change.valid);
    let same = p.form_preview_input(&json!({ "amount": 12, "currency": "USD" }), None).unwrap();
    assert!(same.components.is_empty());
    assert_eq!(p.workflows_started_by("expense-claim").unwrap(), ["expense-approval"]);
    let schema = p.model_schema("expense", Some("claim")).unwrap();
    assert_eq!(schema["$ref"], "#/$defs/claim");
    assert!(p.model_schema("expense", Some("nope")).unwrap_err().message.contains("entities: claim, employee"));
}

#[test]
fn a_new_form_fills_its_entity_from_the_start() {
    let (_dir, mut p) = example();
    let f = p.new_form("second-claim", "expense", Some("claim")).unwrap();
    assert_eq!(f.form.components.len(), 6);
    assert_eq!(f.form.components[&atelier_model::Id::new("spent-on").unwrap()].kind, atelier_model::form::ComponentKind::DatePicker);
    assert!(p.problems().is_empty(), "{:?}", p.problems());
}

#[test]
fn a_submission_that_does_not_fit_the_form_s_entity_does_not_run() {
    let (_dir, p) = example();
    let req = atelier_api::PreviewRequest {
        workflow: "expense-approval".into(),
        input: Some(json!({ "amount": "lots", "currency": "XYZ" })),
        form: Some("expense-claim".into()),
        ..Default::default()
    };
    let e = p.prepare_preview(&req).err().expect("refused");
    assert!(e.message.starts_with("the submitted record does not fit entity `claim`: "), "{}", e.message);
    assert!(e.message.contains("amount: Must be a number."), "{}", e.message);
}

#[test]
fn a_source_made_and_saved_in_its_designer_declares_its_secret() {
    use atelier_model::id::SecretName;
    use atelier_model::source::Auth;
    let (dir, mut p) = example();
    let mut doc = p.new_source("crm").unwrap();
    assert!(dir.path().join("p/sources/crm.json").is_file());
    assert!(p.new_source("crm").unwrap_err().message.contains("already exists"));
    assert!(p.new_source("../x").is_err(), "an id is a slug");
    doc.source.base_url = "https://fx.example.com/crm".into();
    doc.source.auth = Auth::Bearer { secret: SecretName::new("CRM_TOKEN").unwrap() };
    let r = p.save_source(doc).unwrap();
    assert_eq!(r.written, ["secrets.required.json", "sources/crm.json"]);
    let secrets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("p/secrets.required.json")).unwrap()).unwrap();
    assert_eq!(secrets["secrets"]["CRM_TOKEN"]["kind"], "token");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    // A host the policy does not allow is a problem of the source's file.
    let mut doc = atelier_api::SourceDoc { id: "crm".into(), source: p.source("crm").unwrap() };
    doc.source.base_url = "https://crm.elsewhere.example".into();
    let r = p.save_source(doc).unwrap();
    assert!(r.problems.iter().any(|x| x.file == "sources/crm.json" && x.message.contains("crm.elsewhere.example")), "{:?}", r.problems);
}

#[test]
fn an_entity_s_check_rules_judge_a_complete_record_in_the_sandbox() {
    use atelier_model::data_model::Constraint;
    let (_dir, mut p) = example();
    let mut m = p.model("expense").unwrap();
    let claim = m.model.entities.get_mut(&id("claim")).unwrap();
    claim.constraints.insert(
        id("large-needs-why"),
        Constraint::Check { rule: "amount <= 1000 || description".into(), message: "Say what a claim above 1,000 was for.".into() },
    );
    claim.constraints.insert(id("broken"), Constraint::Check { rule: "nosuch.field > 1".into(), message: "never shown".into() });
    p.save_model(m).unwrap();
    let doc = p.form("expense-claim").unwrap();
    let full = json!({ "amount": 2000, "category": "meals", "currency": "USD", "employee": "e-1042", "spent-on": "2026-11-02" });
    let s = p.open_form_preview(doc, &full, None).unwrap();
    assert!(!s.valid);
    assert_eq!(s.errors.len(), 2, "{:?}", s.errors);
    assert!(s.errors.contains(&"Say what a claim above 1,000 was for.".to_owned()), "{:?}", s.errors);
    assert!(s.errors.iter().any(|e| e.starts_with("The check `broken` could not run:") && e.contains("nosuch")), "{:?}", s.errors);
    // Not asked while a field is still wrong: the person sees that first.
    let partial = p.form_preview_input(&json!({ "amount": 2000 }), None).unwrap();
    assert!(partial.errors.is_empty(), "{:?}", partial.errors);
    // With a description the first rule holds; the broken one still says so.
    let mut described = full.clone();
    described["description"] = json!("Team dinner");
    let s = p.form_preview_input(&described, None).unwrap();
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(!s.valid);
    // A submission that fails a check does not start the workflow either.
    let req = atelier_api::PreviewRequest {
        workflow: "expense-approval".into(),
        input: Some(full),
        form: Some("expense-claim".into()),
        ..Default::default()
    };
    let e = p.prepare_preview(&req).err().expect("refused");
    assert!(e.message.contains("Say what a claim above 1,000 was for."), "{}", e.message);
}

#[test]
fn a_project_read_for_running_one_workflow_runs_it_and_refuses_to_save() {
    let (_dir, mut p) = example();
    p.read_for_running("expense-lines").unwrap();
    let results = p.test_workflow("expense-lines").unwrap();
    assert!(results.len() == 2 && results.iter().all(|r| r.passed()), "the workflows it calls were read too");
    let doc = p.model("expense").unwrap();
    let refused = p.save_model(doc).unwrap_err();
    assert!(refused.message.contains("cannot be saved"), "{}", refused.message);
}
