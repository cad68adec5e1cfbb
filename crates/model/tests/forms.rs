//! Forms as a person fills them in (`form_state`), the JSON Schema of a
//! model, and that the UI's component registry agrees with the model's.

use std::fs;
use std::path::Path;

use atelier_model::canonical::to_canonical_bytes;
use atelier_model::data_model::{DataModel, Field, FieldType};
use atelier_model::form::{ComponentKind, Form};
use atelier_model::form_state::{form_state, record_errors};
use atelier_model::json_schema::model_schema;
use atelier_model::layout::FormLayout;
use atelier_model::Id;
use serde_json::{json, Value};

fn model() -> DataModel {
    serde_json::from_value(json!({
        "name": "Claims",
        "entities": { "claim": { "name": "Claim", "fields": {
            "amount": { "label": "Amount", "type": "decimal", "required": true, "min": 1, "max": 10000 },
            "kind": { "label": "Kind", "type": "enum", "enum": "kind", "required": true },
            "code": { "label": "Code", "type": "string", "pattern": "^[A-Z]{3}$" },
            "nights": { "label": "Nights", "type": "integer" },
            "email": { "label": "Email", "type": "email" },
            "internal": { "label": "Internal", "type": "string", "required": true }
        } } },
        "enums": { "kind": { "values": ["travel", "meals"] } }
    }))
    .unwrap()
}

fn form() -> (Form, FormLayout) {
    let form = serde_json::from_value(json!({
        "name": "Claim", "model": "claims", "entity": "claim", "language": "en", "submit_label": "Send",
        "translations": { "de": { "name": "Spesen" } },
        "components": {
            "amount": { "kind": "number_input", "label": "Amount", "field": "amount",
                        "rules": [{ "kind": "max", "value": 5000, "message": "Above 5,000 needs a purchase order." }],
                        "translations": { "de": { "label": "Betrag" } } },
            "kind": { "kind": "select", "label": "Kind", "field": "kind" },
            "travel": { "kind": "section", "label": "Travel", "visible_if": { "op": "eq", "field": "kind", "value": "travel" } },
            "nights": { "kind": "number_input", "label": "Nights", "field": "nights",
                        "read_only_if": { "op": "gt", "field": "amount", "value": 1000 } },
            "end": { "kind": "divider", "label": "" },
            "code": { "kind": "text_input", "label": "Code", "field": "code" },
            "email": { "kind": "email_input", "label": "Email", "field": "email" }
        }
    }))
    .unwrap();
    let layout = serde_json::from_value(json!({ "components": {
        "amount": { "row": 0, "column": 0, "width": 6 }, "kind": { "row": 0, "column": 6, "width": 6 },
        "travel": { "row": 1, "column": 0, "width": 12 }, "nights": { "row": 2, "column": 0, "width": 4 },
        "end": { "row": 3, "column": 0, "width": 12 }, "code": { "row": 4, "column": 0, "width": 6 },
        "email": { "row": 4, "column": 6, "width": 6 }
    } }))
    .unwrap();
    (form, layout)
}

#[test]
fn a_form_shows_hides_and_checks_as_data_is_entered() {
    let (f, l) = form();
    let m = model();
    let empty = form_state(&f, &l, &m, &json!({}), None);
    assert_eq!(empty.components["amount"].error.as_deref(), Some("This field is required."));
    assert!(!empty.components["travel"].visible && !empty.components["nights"].visible, "a hidden section hides what follows it");
    assert!(empty.components["end"].visible && empty.components["code"].visible, "a section ends at the next divider");
    assert!(!empty.valid);

    let s = form_state(&f, &l, &m, &json!({ "amount": 9000, "kind": "travel", "nights": "two", "code": "ab", "email": "x" }), Some("de"));
    assert_eq!(s.components["amount"].label, "Betrag", "the translation, where there is one");
    assert_eq!(s.components["kind"].label, "Kind", "the form's own text otherwise");
    assert_eq!((s.title.as_str(), s.submit_label.as_str()), ("Spesen", "Send"), "the form's own texts translate too");
    assert_eq!((empty.title.as_str(), empty.submit_label.as_str()), ("Claim", "Send"));
    assert_eq!(
        s.components["amount"].error.as_deref(),
        Some("Above 5,000 needs a purchase order."),
        "the component's rule, with its message"
    );
    assert!(s.components["nights"].visible && s.components["nights"].read_only, "shown for travel, read-only above 1,000");
    assert_eq!(s.components["nights"].error.as_deref(), Some("Must be a whole number."));
    assert_eq!(s.components["code"].error.as_deref(), Some("Does not have the expected form."));
    assert_eq!(s.components["email"].error.as_deref(), Some("Must be an email address."));
    assert!(
        s.errors.iter().any(|e| e.starts_with("Internal: This field is required")),
        "a required field no component shows: {:?}",
        s.errors
    );

    let ok = form_state(&f, &l, &m, &json!({ "amount": 120.5, "kind": "meals", "nights": 3, "code": "ABC", "internal": "x" }), None);
    assert!(ok.components.values().all(|c| c.error.is_none()), "{:?}", ok.components);
    assert_eq!(ok.record, json!({ "amount": 120.5, "kind": "meals", "code": "ABC" }), "hidden inputs send nothing; unshown fields neither");
}

#[test]
fn records_are_checked_against_the_entity_schema() {
    let m = model();
    let e = &m.entities[&Id::new("claim").unwrap()];
    let errors = record_errors(&m, e, &json!({ "amount": 0, "kind": "bus", "internal": "x", "extra": 1 }));
    let by: Vec<(Option<&str>, &str)> = errors.iter().map(|(f, m)| (f.as_deref(), m.as_str())).collect();
    assert!(by.contains(&(Some("amount"), "Must be at least 1.")), "{by:?}");
    assert!(by.contains(&(Some("kind"), "Must be one of: travel, meals.")), "{by:?}");
    assert!(by.iter().any(|(f, m)| f.is_none() && m.contains("extra")), "{by:?}");
    assert!(record_errors(&m, e, &json!({ "amount": 5, "kind": "meals", "internal": "x" })).is_empty());
}

#[test]
fn a_stranger_s_pattern_runs_in_linear_time() {
    // Catastrophic for a backtracking engine; the regex crate has none.
    let mut m = model();
    let e = m.entities.get_mut(&Id::new("claim").unwrap()).unwrap();
    e.fields.get_mut(&Id::new("code").unwrap()).unwrap().pattern = Some("^(a+)+$".into());
    let e = &m.entities[&Id::new("claim").unwrap()];
    let started = std::time::Instant::now();
    let errors = record_errors(&m, e, &json!({ "amount": 5, "kind": "meals", "internal": "x", "code": format!("{}!", "a".repeat(5000)) }));
    assert!(errors.iter().any(|(f, _)| f.as_deref() == Some("code")));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
}

#[test]
fn the_example_model_as_json_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/example/models/expense.json");
    let m: DataModel = serde_json::from_slice(&fs::read(root).unwrap()).unwrap();
    let schema = model_schema(&m, Some(&Id::new("claim").unwrap()));
    assert_eq!(schema["$ref"], "#/$defs/claim");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    insta::assert_snapshot!("example_schema", String::from_utf8(to_canonical_bytes(&schema)).unwrap());
}

/// The UI's `COMPONENT_KINDS[kind].fits` is checked against this file;
/// `UPDATE_FIXTURES=1` rewrites it.
#[test]
fn the_ui_fixture_holds_which_kinds_fit_which_fields() {
    let types = [
        FieldType::String,
        FieldType::Text,
        FieldType::Integer,
        FieldType::Decimal,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Email,
        FieldType::Enum,
        FieldType::Reference,
    ];
    let mut out = serde_json::Map::new();
    for kind in ComponentKind::ALL {
        let mut fits = Vec::new();
        for t in types {
            for list in [false, true] {
                let f = Field { list, ..Field::new("x", t) };
                if kind.fits(&f) {
                    fits.push(Value::String(format!("{}{}", t.as_str(), if list { "[]" } else { "" })));
                }
            }
        }
        out.insert(kind.as_str().to_owned(), Value::Array(fits));
    }
    let bytes = to_canonical_bytes(&Value::Object(out));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/forms/fits.fixture.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        fs::write(&path, &bytes).unwrap();
    }
    assert!(
        fs::read(&path).unwrap_or_default() == bytes,
        "{} is stale; run `UPDATE_FIXTURES=1 cargo test -p atelier-model --test forms`",
        path.display()
    );
}

/// A model's field order lives in its layout file: a rename follows it, the
/// diff calls a reorder a layout change, and a stale name is a warning.
#[test]
fn the_field_order_is_layout_that_renames_follow() {
    use atelier_model::diff::{diff_projects, ElementKind};
    use atelier_model::rename::rename;
    use atelier_model::{assemble, validate, Address};
    use std::collections::BTreeMap;
    use std::str::FromStr;
    let files = |layout: &str| -> BTreeMap<String, Vec<u8>> {
        [
            ("atelier.json", "{\n  \"name\": \"Order\",\n  \"format\": 1\n}\n".to_owned()),
            ("models/claims.json", serde_json::to_string_pretty(&model()).unwrap()),
            ("models/claims.layout.json", layout.to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_bytes()))
        .collect()
    };
    let ordered = assemble(&files(r#"{"entities": {}, "fields": {"claim": ["kind", "amount"]}}"#));
    assert!(validate(&ordered).is_empty(), "{:#?}", validate(&ordered));
    let p = &ordered.project;
    let names = |p: &atelier_model::Project| -> Vec<String> {
        p.model_layouts[&Id::new("claims").unwrap()]
            .field_order(&Id::new("claim").unwrap(), &p.models[&Id::new("claims").unwrap()].entities[&Id::new("claim").unwrap()])
            .iter()
            .map(|(f, _)| f.to_string())
            .collect()
    };
    assert_eq!(names(p), ["kind", "amount", "code", "email", "internal", "nights"], "listed first, the rest by id");

    let r = rename(p, &Address::from_str("models/claims/entities/claim/fields/kind").unwrap(), &Id::new("category").unwrap()).unwrap();
    assert_eq!(names(&r.project), ["category", "amount", "code", "email", "internal", "nights"]);
    let r = rename(p, &Address::from_str("models/claims/entities/claim").unwrap(), &Id::new("expense").unwrap()).unwrap();
    let layout = &r.project.model_layouts[&Id::new("claims").unwrap()];
    assert_eq!(layout.fields.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["expense"]);

    let plain = assemble(&files(r#"{"entities": {}}"#));
    let changes = diff_projects(&plain.project, p);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert!(changes[0].layout && changes[0].element.as_ref().is_some_and(|e| e.kind == ElementKind::FieldOrder));
    assert_eq!(changes[0].to_string(), "model claims: order of the fields of entity claim added");
    let other = assemble(&files(r#"{"entities": {}, "fields": {"claim": ["amount", "kind"]}}"#));
    let changes = diff_projects(p, &other.project);
    assert_eq!(
        changes.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["model claims: order of the fields of entity claim `[\"kind\",\"amount\"]` → `[\"amount\",\"kind\"]`"]
    );

    let stale = assemble(&files(r#"{"entities": {}, "fields": {"claim": ["gone"], "nobody": []}}"#));
    let warnings: Vec<String> = validate(&stale).iter().map(|w| w.message.clone()).collect();
    assert_eq!(warnings, ["field `gone` of entity `claim` does not exist", "entity `nobody` does not exist"]);
}

#[test]
fn a_pattern_that_does_not_compile_is_said_once_even_with_examples() {
    use atelier_model::{assemble, validate};
    let mut m = serde_json::to_value(model()).unwrap();
    m["entities"]["claim"]["fields"]["code"]["pattern"] = json!("([A-Z]");
    m["entities"]["claim"]["examples"] = json!([{ "amount": 5, "kind": "travel", "internal": "x" }]);
    let files = [
        ("atelier.json", "{\n  \"name\": \"Patterns\",\n  \"format\": 1\n}\n".to_owned()),
        ("models/claims.json", serde_json::to_string_pretty(&m).unwrap()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_bytes()))
    .collect();
    let problems: Vec<String> = validate(&assemble(&files)).iter().map(|p| format!("{:?}: {}", p.code, p.message)).collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].starts_with("BadPattern: pattern `([A-Z]` does not compile"), "{problems:#?}");
}
