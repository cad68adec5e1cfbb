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

#[test]
fn pictures_for_review_draw_the_canvas_and_mark_what_changed() {
    let s = Sandbox::new();
    s.set_author();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    s.atelier().args(["-C", "p", "render", "workflows/expense-approval", "-o", "now.svg"]).assert().success();
    let now = fs::read_to_string(s.path("now.svg")).unwrap();
    insta::assert_snapshot!("render_expense_approval", now);
    s.atelier().args(["-C", "p", "commit", "-m", "first"]).assert().success();

    let wf = s.path("p/workflows/expense-approval/workflow.json");
    edit(&wf, "input.amount_eur > 1000", "input.amount_eur > 500");
    edit(&s.path("p/workflows/expense-approval/layout.json"), "\"x\": 540", "\"x\": 600");
    s.atelier().args(["-C", "p", "rename", "workflows/expense-approval/steps/auto-approve", "approve-at-once"]).assert().success();
    // A field more in the model, a component fewer in the form.
    let model = s.path("p/models/expense.json");
    let mut m: serde_json::Value = serde_json::from_str(&fs::read_to_string(&model).unwrap()).unwrap();
    m["entities"]["claim"]["fields"]["project-code"] = serde_json::json!({"label": "Project code", "type": "string"});
    fs::write(&model, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let form = s.path("p/forms/expense-claim/form.json");
    let mut f: serde_json::Value = serde_json::from_str(&fs::read_to_string(&form).unwrap()).unwrap();
    let gone = f["components"].as_object().unwrap().keys().next_back().unwrap().clone();
    f["components"].as_object_mut().unwrap().remove(&gone);
    fs::write(&form, serde_json::to_string_pretty(&f).unwrap()).unwrap();
    let layout = s.path("p/forms/expense-claim/layout.json");
    let mut l: serde_json::Value = serde_json::from_str(&fs::read_to_string(&layout).unwrap()).unwrap();
    l["components"].as_object_mut().unwrap().remove(&gone);
    fs::write(&layout, serde_json::to_string_pretty(&l).unwrap()).unwrap();
    s.atelier().args(["-C", "p", "fmt"]).assert().success();
    s.atelier().args(["-C", "p", "commit", "-m", "second"]).assert().success();

    s.atelier().args(["-C", "p", "diff", "HEAD~1", "HEAD", "--svg", "pictures"]).assert().success();
    let mut files: Vec<String> =
        fs::read_dir(s.path("pictures")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["form-expense-claim.svg", "model-expense.svg", "workflow-expense-approval.svg"], "one picture per changed design");
    let model = fs::read_to_string(s.path("pictures/model-expense.svg")).unwrap();
    let claim = model.split("<g data-entity=").find(|c| c.starts_with("\"claim\"")).expect("the claim entity is drawn");
    assert!(claim.contains(">changed</text>") && claim.contains("project-code"), "{claim}");
    let form = fs::read_to_string(s.path("pictures/form-expense-claim.svg")).unwrap();
    let removed = form.split("<g data-component=").find(|c| c.starts_with(&format!("\"{gone}\""))).expect("the removed component is drawn");
    assert!(removed.contains(">removed</text>"), "{removed}");
    let picture = fs::read_to_string(s.path("pictures/workflow-expense-approval.svg")).unwrap();
    for (step, mark) in
        [("approve-at-once", "added"), ("auto-approve", "removed"), ("check-amount", "changed"), ("rate-unavailable", "moved")]
    {
        let card =
            picture.split("<g data-step=").find(|c| c.starts_with(&format!("\"{step}\""))).unwrap_or_else(|| panic!("{step} is drawn"));
        assert!(card.contains(&format!(">{mark}</text>")), "{step} is marked {mark}: {card}");
    }
    assert!(
        picture.contains("1 added") && picture.contains("1 removed") && picture.contains("1 changed") && picture.contains("1 moved"),
        "the legend counts: {picture}"
    );
    assert!(picture.len() < 20_000, "small enough to attach to a pull request: {} bytes", picture.len());
    // The picture at a revision is the one of that commit.
    s.atelier().args(["-C", "p", "render", "expense-approval", "--rev", "HEAD~1", "-o", "then.svg"]).assert().success();
    assert!(fs::read_to_string(s.path("then.svg")).unwrap().contains("data-step=\"auto-approve\""));
}
