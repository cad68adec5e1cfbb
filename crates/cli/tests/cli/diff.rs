//! `atelier diff`: what changed between commits, in the design's own words.

use std::fs;

use crate::support::Sandbox;

fn edit(path: &std::path::Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn diff_between_commits_speaks_of_steps_properties_layout_and_code() {
    let s = Sandbox::new();
    s.set_author();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    s.atelier().args(["-C", "p", "commit", "-m", "first"]).assert().success();
    let wf = s.path("p/workflows/expense-approval/workflow.json");
    edit(&wf, "input.amount_eur > 1000", "input.amount_eur > 500");
    edit(&wf, "\"next\": \"approved\"\n    },\n    \"check-amount\"", "\"next\": \"record-decision\"\n    },\n    \"check-amount\"");
    edit(&s.path("p/workflows/expense-approval/layout.json"), "\"x\": 540", "\"x\": 600");
    edit(&s.path("p/workflows/expense-approval/steps/convert.js"), "return { ...input, rate", "return { ...input, checked: true, rate");
    fs::remove_file(s.path("p/workflows/expense-approval/tests/small-claim.json")).unwrap();
    s.atelier().args(["-C", "p", "commit", "-m", "second"]).assert().success();

    let out = s.atelier().args(["-C", "p", "diff", "HEAD~1", "HEAD"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!("diff_two_commits", String::from_utf8(out).unwrap());

    let no_layout = s.atelier().args(["-C", "p", "diff", "HEAD~1", "HEAD", "--no-layout"]).assert().success().get_output().stdout.clone();
    assert!(!String::from_utf8_lossy(&no_layout).contains("position of step"));

    let json = s.atelier().args(["-C", "p", "diff", "HEAD~1", "HEAD", "--json"]).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    // Where a change is, as data: no label to parse.
    assert_eq!(v[0]["artifact"], serde_json::json!({ "kind": "workflow", "id": "expense-approval" }));
    assert_eq!(v[0]["element"], serde_json::json!({ "kind": "step", "id": "auto-approve" }));
    assert_eq!(v[0]["property"], "next");
    assert_eq!((v[0]["before"].as_str(), v[0]["after"].as_str()), (Some("approved"), Some("record-decision")));

    // Without revisions: HEAD against the files, so nothing yet.
    s.atelier().args(["-C", "p", "diff"]).assert().success().stdout("");
    // An edit in the work tree, and a layout-only edit, show against HEAD.
    edit(&wf, "\"Convert to EUR\"", "\"Convert\"");
    edit(&s.path("p/workflows/expense-approval/layout.json"), "\"x\": 600", "\"x\": 640");
    s.atelier().args(["-C", "p", "diff"]).assert().success().stdout(
        "workflow expense-approval: step convert: name `Convert to EUR` → `Convert`\nworkflow expense-approval: position of step rate-unavailable: x `600` → `640`\n",
    );
    s.atelier()
        .args(["-C", "p", "diff", "--no-layout"])
        .assert()
        .success()
        .stdout("workflow expense-approval: step convert: name `Convert to EUR` → `Convert`\n");
}
