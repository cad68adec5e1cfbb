//! The UI draws, deletes and pastes transitions from its own step-kind
//! registry (`ui/src/steps`). This test writes what the engine's model says
//! the transitions of every kind are to `ui/src/steps/transitions.fixture.json`,
//! and the UI's test checks its registry against that file: the two cannot
//! drift apart unnoticed. `UPDATE_FIXTURES=1` rewrites the file.

use std::fs;
use std::path::Path;

use atelier_model::canonical::to_canonical_bytes;
use atelier_model::workflow::Workflow;
use serde_json::{json, Value};

fn every_kind() -> Value {
    json!({
        "name": "Every kind",
        "start": "call",
        "steps": {
            "call": { "kind": "api_call", "name": "Call", "source": "api", "method": "GET", "path": "/", "next": "shape",
                      "on_error": { "policy": "retry", "max_attempts": 3, "backoff_ms": 10, "then": { "policy": "route", "to": "failed" } } },
            "shape": { "kind": "data_transform", "name": "Shape", "next": "check", "on_error": { "policy": "route", "to": "failed" } },
            "check": { "kind": "condition", "name": "Check",
                       "branches": [ { "label": "big", "when": "input.n > 1", "next": "ask" }, { "when": "input.n < 0", "next": "failed" }, { "when": "false" } ],
                       "otherwise": "code" },
            "ask": { "kind": "approval", "name": "Ask", "next_if_approved": "code", "next_if_rejected": "failed" },
            "code": { "kind": "custom_code", "name": "Code", "next": "lines", "on_error": { "policy": "continue" } },
            "lines": { "kind": "for_each", "name": "Lines", "items": "input.lines", "workflow": "line", "next": "split",
                       "on_error": { "policy": "route", "to": "failed" } },
            "split": { "kind": "parallel", "name": "Split", "join": "meet",
                       "branches": [ { "label": "left", "next": "pause" }, { "next": "meet" }, {} ] },
            "pause": { "kind": "wait", "name": "Pause", "duration_ms": 5, "next": "meet" },
            "meet": { "kind": "join", "name": "Meet", "next": "tell" },
            "tell": { "kind": "sub_workflow", "name": "Tell", "workflow": "notify", "next": "done" },
            "lonely": { "kind": "custom_code", "name": "No exit yet" },
            "done": { "kind": "end", "name": "Done" },
            "failed": { "kind": "end", "name": "Failed", "status": "failed" }
        }
    })
}

#[test]
fn the_ui_fixture_holds_the_models_transitions() {
    let doc = every_kind();
    let workflow: Workflow = serde_json::from_value(doc.clone()).unwrap();
    let mut transitions = serde_json::Map::new();
    for (id, step) in &workflow.steps {
        let list: Vec<Value> = step
            .transitions()
            .into_iter()
            .map(|t| json!({ "property": t.property.join("/"), "target": t.target.as_str(), "error": t.is_error }))
            .collect();
        transitions.insert(id.as_str().to_owned(), Value::Array(list));
    }
    let fixture = json!({ "workflow": doc, "transitions": transitions });
    let bytes = to_canonical_bytes(&fixture);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/steps/transitions.fixture.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        fs::write(&path, &bytes).unwrap();
    }
    let on_disk = fs::read(&path).unwrap_or_default();
    assert!(on_disk == bytes, "{} is stale; run `UPDATE_FIXTURES=1 cargo test -p atelier-model --test transitions`", path.display());
}
