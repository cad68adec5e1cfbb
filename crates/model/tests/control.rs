//! The control-flow steps through the pure parts of the model: a project
//! with a `for_each`, a `parallel` with its `join`, a `sub_workflow` and a
//! `wait` reads and validates clean, its canonical bytes round-trip, its
//! references name the called workflows, and a rename of a called workflow
//! or of a join follows every step that names it.

use std::collections::BTreeMap;
use std::str::FromStr;

use atelier_model::references::{references, RefKind};
use atelier_model::rename::rename;
use atelier_model::{assemble, validate, Address, Id, Project};

const MAIN: &str = r#"{
  "name": "Claim",
  "start": "lines",
  "steps": {
    "checks": {
      "kind": "parallel",
      "name": "Checks",
      "branches": [
        {
          "label": "budget",
          "next": "cool-off"
        },
        {
          "label": "policy",
          "next": "meet"
        }
      ],
      "join": "meet"
    },
    "cool-off": {
      "kind": "wait",
      "name": "Cool off",
      "duration_ms": 60000,
      "next": "meet"
    },
    "done": {
      "kind": "end",
      "name": "Done"
    },
    "lines": {
      "kind": "for_each",
      "name": "Each line",
      "items": "input.lines",
      "workflow": "notify",
      "on_item_error": "collect",
      "next": "checks"
    },
    "meet": {
      "kind": "join",
      "name": "Both done",
      "wait_for": "first",
      "next": "tell"
    },
    "tell": {
      "kind": "sub_workflow",
      "name": "Tell",
      "workflow": "notify",
      "input": {
        "to": "{{input.owner}}"
      },
      "next": "done"
    }
  }
}
"#;

const NOTIFY: &str = r#"{
  "name": "Notify",
  "start": "done",
  "steps": {
    "done": {
      "kind": "end",
      "name": "Done"
    }
  }
}
"#;

fn project() -> Project {
    let files: BTreeMap<String, Vec<u8>> = [
        ("atelier.json", "{\n  \"name\": \"Control\",\n  \"format\": 1\n}\n"),
        ("workflows/claim/workflow.json", MAIN),
        ("workflows/notify/workflow.json", NOTIFY),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.as_bytes().to_vec()))
    .collect();
    let a = assemble(&files);
    let problems = validate(&a);
    assert!(problems.is_empty(), "{problems:#?}");
    a.project
}

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

#[test]
fn control_steps_read_validate_and_write_back_the_same_bytes() {
    let p = project();
    let bytes = atelier_model::to_canonical_bytes(&p.workflows[&id("claim")].workflow);
    assert_eq!(String::from_utf8(bytes).unwrap(), MAIN);
}

#[test]
fn calls_are_references_to_the_called_workflow() {
    let refs = references(&project());
    let calls: Vec<String> =
        refs.iter().filter(|r| r.kind == RefKind::Calls && r.to == Address::Workflow(id("notify"))).map(|r| r.from.to_string()).collect();
    assert_eq!(calls, ["workflows/claim/steps/lines", "workflows/claim/steps/tell"]);
}

#[test]
fn renaming_a_called_workflow_or_a_join_follows_every_step_that_names_it() {
    let p = project();
    let r = rename(&p, &Address::Workflow(id("notify")), &id("alert")).unwrap();
    let json = serde_json::to_value(&r.project.workflows[&id("claim")].workflow).unwrap();
    assert_eq!(json["steps"]["lines"]["workflow"], "alert");
    assert_eq!(json["steps"]["tell"]["workflow"], "alert");
    assert_eq!(r.references, 2);

    let r = rename(&p, &Address::from_str("workflows/claim/steps/meet").unwrap(), &id("both-done")).unwrap();
    let json = serde_json::to_value(&r.project.workflows[&id("claim")].workflow).unwrap();
    assert_eq!(json["steps"]["checks"]["join"], "both-done");
    assert_eq!(json["steps"]["checks"]["branches"][1]["next"], "both-done");
    assert_eq!(json["steps"]["cool-off"]["next"], "both-done");
}
