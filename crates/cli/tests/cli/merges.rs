//! Three-way merges through plain `git merge`, with the driver `atelier init`
//! configures: real repositories, real git, two branches per scenario.

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use crate::support::Sandbox;

const WF: &str = "workflows/expense-approval/workflow.json";
const LAYOUT: &str = "workflows/expense-approval/layout.json";
const JS: &str = "workflows/expense-approval/steps/convert.js";

type Edit = Box<dyn Fn(&Path)>;

fn json_edit(file: &'static str, f: impl Fn(&mut Value) + 'static) -> Edit {
    Box::new(move |root: &Path| {
        let p = root.join(file);
        let mut v: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
        f(&mut v);
        fs::write(&p, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
    })
}

fn text_edit(file: &'static str, from: &'static str, to: &'static str) -> Edit {
    Box::new(move |root: &Path| {
        let p = root.join(file);
        let t = fs::read_to_string(&p).unwrap();
        assert!(t.contains(from), "{from}");
        fs::write(&p, t.replacen(from, to, 1)).unwrap();
    })
}

fn step(name: &str) -> Value {
    json!({"kind": "end", "name": name})
}

/// Runs one scenario; returns what it looked like, for the snapshot.
fn scenario(ours: Vec<Edit>, theirs: Vec<Edit>) -> String {
    let s = Sandbox::new();
    s.set_author();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    let root = s.path("p");
    let git = |args: &[&str]| s.git(&root).args(args).output().unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-qm", "base"]);
    git(&["checkout", "-qb", "theirs"]);
    theirs.iter().for_each(|e| e(&root));
    git(&["commit", "-qam", "theirs"]);
    git(&["checkout", "-q", "main"]);
    ours.iter().for_each(|e| e(&root));
    git(&["commit", "-qam", "ours"]);
    let merge = git(&["merge", "-q", "--no-edit", "theirs"]);
    let mut out = format!("git merge: {}\n", if merge.status.success() { "clean" } else { "conflict" });
    let validate = s.atelier().args(["-C", "p", "validate"]).output().unwrap();
    out += &String::from_utf8_lossy(&validate.stdout);
    for file in [WF, LINES] {
        let wf = fs::read_to_string(root.join(file)).unwrap();
        assert!(!wf.contains("<<<<<<<"), "markers in a design file:\n{wf}");
    }
    if merge.status.success() {
        let diff = s.atelier().args(["-C", "p", "diff", "HEAD~2", "HEAD"]).output().unwrap();
        out += "--- atelier diff base..merge\n";
        out += &String::from_utf8_lossy(&diff.stdout);
    }
    out
}

macro_rules! merge_test {
    ($name:ident, ours: [$($o:expr),*], theirs: [$($t:expr),*]) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), scenario(vec![$($o),*], vec![$($t),*]));
        }
    };
}

merge_test!(both_edit_different_steps,
    ours: [json_edit(WF, |v| v["steps"]["convert"]["name"] = json!("Convert"))],
    theirs: [json_edit(WF, |v| v["steps"]["rejected"]["name"] = json!("Rejected"))]);
merge_test!(same_property_different_values,
    ours: [text_edit(WF, "input.amount_eur > 1000", "input.amount_eur > 500")],
    theirs: [text_edit(WF, "input.amount_eur > 1000", "input.amount_eur > 700")]);
merge_test!(same_property_same_value,
    ours: [text_edit(WF, "input.amount_eur > 1000", "input.amount_eur > 500")],
    theirs: [text_edit(WF, "input.amount_eur > 1000", "input.amount_eur > 500")]);
merge_test!(different_properties_of_one_step,
    ours: [json_edit(WF, |v| v["steps"]["fetch-rate"]["path"] = json!("/rates?base={{input.currency}}"))],
    theirs: [json_edit(WF, |v| v["steps"]["fetch-rate"]["save_as"] = json!("rates"))]);
merge_test!(delete_vs_edit,
    ours: [json_edit(WF, |v| { v["steps"].as_object_mut().unwrap().remove("record-decision"); v["steps"]["manager-approval"]["next_if_approved"] = json!("approved"); })],
    theirs: [json_edit(WF, |v| v["steps"]["record-decision"]["name"] = json!("Record it"))]);
merge_test!(both_add_different_steps,
    ours: [json_edit(WF, |v| { v["steps"]["notify"] = step("Notify"); v["steps"]["rejected"]["kind"] = json!("end"); })],
    theirs: [json_edit(WF, |v| v["steps"]["audit"] = step("Audit"))]);
merge_test!(same_new_id_different_content,
    ours: [json_edit(WF, |v| v["steps"]["notify"] = step("Notify by mail"))],
    theirs: [json_edit(WF, |v| v["steps"]["notify"] = step("Notify by chat"))]);
merge_test!(same_new_id_same_content,
    ours: [json_edit(WF, |v| v["steps"]["notify"] = step("Notify"))],
    theirs: [json_edit(WF, |v| v["steps"]["notify"] = step("Notify"))]);
merge_test!(both_move_the_same_node,
    ours: [json_edit(LAYOUT, |v| v["nodes"]["convert"]["x"] = json!(100))],
    theirs: [json_edit(LAYOUT, |v| v["nodes"]["convert"]["x"] = json!(300))]);
merge_test!(move_vs_rename,
    ours: [json_edit(LAYOUT, |v| v["nodes"]["convert"]["y"] = json!(140))],
    theirs: [json_edit(WF, |v| v["steps"]["convert"]["name"] = json!("Convert"))]);
merge_test!(reordered_keys_vs_edit,
    ours: [Box::new(|root: &Path| {
        // The same workflow with every key reordered: no change in meaning.
        let v: Value = serde_json::from_str(&fs::read_to_string(root.join(WF)).unwrap()).unwrap();
        fs::write(root.join(WF), serde_json::to_string(&v).unwrap()).unwrap();
    })],
    theirs: [json_edit(WF, |v| v["steps"]["approved"]["name"] = json!("Approved"))]);
merge_test!(transition_vs_name_of_one_step,
    ours: [json_edit(WF, |v| v["steps"]["auto-approve"]["next"] = json!("record-decision"))],
    theirs: [json_edit(WF, |v| v["steps"]["auto-approve"]["name"] = json!("Auto"))]);
merge_test!(same_transition_to_different_steps,
    ours: [json_edit(WF, |v| v["steps"]["auto-approve"]["next"] = json!("record-decision"))],
    theirs: [json_edit(WF, |v| v["steps"]["auto-approve"]["next"] = json!("rejected"))]);
merge_test!(js_edited_in_different_lines,
    ours: [text_edit(JS, "const rate =", "const rate = /* ours */")],
    theirs: [text_edit(JS, "return { ...input", "return { checked: true, ...input")]);
merge_test!(js_edited_in_the_same_line,
    ours: [text_edit(JS, "return { ...input", "return { a: 1, ...input")],
    theirs: [text_edit(JS, "return { ...input", "return { b: 2, ...input")]);
merge_test!(rename_step_id_vs_edit,
    ours: [json_edit(WF, |v| {
        let s = v["steps"].as_object_mut().unwrap().remove("auto-approve").unwrap();
        v["steps"]["auto-ok"] = s;
        v["steps"]["check-amount"]["otherwise"] = json!("auto-ok");
    }), Box::new(|root: &Path| fs::rename(root.join("workflows/expense-approval/steps/auto-approve.js"), root.join("workflows/expense-approval/steps/auto-ok.js")).unwrap())],
    theirs: [json_edit(WF, |v| v["steps"]["auto-approve"]["description"] = json!("No manager needed."))]);
merge_test!(model_field_edit_and_new_field,
    ours: [json_edit("models/expense.json", |v| v["entities"]["claim"]["fields"]["amount"]["label"] = json!("Amount claimed"))],
    theirs: [json_edit("models/expense.json", |v| v["entities"]["claim"]["fields"]["project"] = json!({"label": "Project", "type": "string"}))]);
merge_test!(manifest_description_and_version,
    ours: [json_edit("atelier.json", |v| v["description"] = json!("Claims, approvals."))],
    theirs: [json_edit("atelier.json", |v| v["artifacts"]["workflows/expense-approval"]["version"] = json!("1.2.0"))]);

const LINES: &str = "workflows/expense-lines/workflow.json";
merge_test!(control_steps_edited_on_both_sides,
    ours: [json_edit(LINES, |v| { v["steps"]["both-checked"]["wait_for"] = json!("first"); v["steps"]["check-lines"]["max_items"] = json!(50); })],
    theirs: [json_edit(LINES, |v| { v["steps"]["check-lines"]["on_item_error"] = json!("skip"); v["steps"]["notify"]["save_as"] = json!("told"); })]);
merge_test!(branch_of_a_split_edited_on_both_sides,
    ours: [json_edit(LINES, |v| v["steps"]["checks"]["branches"][0]["label"] = json!("money"))],
    theirs: [json_edit(LINES, |v| v["steps"]["checks"]["branches"][0]["label"] = json!("budget limit"))]);
