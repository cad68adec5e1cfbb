//! `atelier export bpmn`: every workflow of the example and of the imported
//! corpus exports to a file that Camunda's own checks pass (bpmnlint's
//! recommended rules with bpmnlint-plugin-camunda-compat for 8.8, bpmn-moddle's
//! and bpmn-js's import), run here as a real `node` process.

use std::fs;
use std::process::Command;

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{repo_root, Sandbox};

#[test]
fn every_workflow_exports_to_bpmn_that_camunda_8_8_checks_pass() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    let corpus = repo_root().join("../shared/corpus");
    for entry in fs::read_dir(&corpus).expect("../shared/corpus is beside the clone") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let format = if name.starts_with("n8n--") {
            "n8n"
        } else if name.starts_with("nodered--") {
            "node-red"
        } else {
            continue;
        };
        s.atelier().args(["-C", "p", "import", format]).arg(&path).assert().success();
    }
    // A transform FEEL says the same way becomes a script task; a wait, a timer.
    let vat = s.path("p/workflows/vat");
    fs::create_dir_all(vat.join("steps")).unwrap();
    fs::write(
        vat.join("workflow.json"),
        r#"{"name": "VAT", "triggers": [{"kind": "schedule", "cron": "0 6 * * 1"}, {"kind": "webhook", "path": "/vat"}], "start": "add-vat",
            "steps": {"add-vat": {"kind": "data_transform", "name": "Add VAT", "next": "pause"},
                      "pause": {"kind": "wait", "name": "Cool off", "duration_ms": 90000, "next": "done"},
                      "done": {"kind": "end", "name": "Done"}}}"#,
    )
    .unwrap();
    fs::write(
        vat.join("steps/add-vat.js"),
        "function run(input) {\n  return { ...input, vat: input.net * 0.2, total: input.net * 1.2 };\n}\n",
    )
    .unwrap();
    fs::write(
        vat.join("layout.json"),
        r#"{"nodes": {"add-vat": {"x": 0, "y": 0}, "pause": {"x": 0, "y": 130}, "done": {"x": 0, "y": 260}}}"#,
    )
    .unwrap();
    s.atelier().args(["-C", "p", "fmt"]).assert().success();
    s.atelier().args(["-C", "p", "export", "bpmn", "vat"]).assert().success().stdout(
        contains(r#"<bpmn:scriptTask id="add-vat""#)
            .and(contains(r#"expression="={vat: net * 0.2, total: net * 1.2}""#))
            .and(contains("<bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">PT90S</bpmn:timeDuration>"))
            .and(contains("<bpmn:timeCycle xsi:type=\"bpmn:tFormalExpression\">0 0 6 * * 1</bpmn:timeCycle>"))
            .and(contains("io.camunda:webhook:1")),
    );
    let out = s.path("bpmn");
    fs::create_dir(&out).unwrap();
    let mut files = Vec::new();
    for entry in fs::read_dir(s.path("p/workflows")).unwrap() {
        let id = entry.unwrap().file_name().to_string_lossy().into_owned();
        let file = out.join(format!("{id}.bpmn"));
        s.atelier()
            .args(["-C", "p", "export", "bpmn", &id, "-o"])
            .arg(&file)
            .assert()
            .success()
            .stderr(contains("BPMN 2.0 for Camunda 8.8"));
        files.push(file);
    }
    assert!(files.len() >= 26, "the example's 4 workflows, the corpus's 21 and vat");
    let checker = repo_root().join("tests/bpmn");
    assert!(checker.join("node_modules/bpmnlint").exists(), "scripts/setup-deps installs tests/bpmn's packages");
    let run = Command::new("node").arg(checker.join("check.mjs")).args(["--version", "8.8"]).args(&files).output().expect("node runs");
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{report}{}", String::from_utf8_lossy(&run.stderr));
    assert!(report.contains(&format!("{} passed, 0 failed", files.len())), "{report}");
    // The checker can fail: a shape taken out of the diagram is what bpmn-js warns about.
    let whole = fs::read_to_string(out.join("expense-approval.bpmn")).unwrap();
    let start = whole.find("<bpmndi:BPMNShape id=\"convert_di\"").unwrap();
    let end = start + whole[start..].find("</bpmndi:BPMNShape>").unwrap() + "</bpmndi:BPMNShape>".len();
    let broken = out.join("broken.bpmn");
    fs::write(&broken, format!("{}{}", &whole[..start], &whole[end..])).unwrap();
    let run = Command::new("node").arg(checker.join("check.mjs")).arg(&broken).output().expect("node runs");
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(!run.status.success() && said.contains("bpmn-js import warning") && said.contains("no-bpmndi"), "{said}");
}

#[test]
fn the_example_exports_with_connectors_gateways_and_what_is_not_exact() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    let run = s.atelier().args(["-C", "p", "export", "bpmn", "workflows/expense-approval"]).assert().success();
    let out = run.get_output();
    let xml = String::from_utf8_lossy(&out.stdout);
    let notes = String::from_utf8_lossy(&out.stderr);
    insta::assert_snapshot!("expense_approval_bpmn", xml);
    insta::assert_snapshot!("expense_approval_bpmn_notes", notes);
    s.atelier()
        .args(["-C", "p", "export", "bpmn", "expense-approval", "--camunda", "7.21"])
        .assert()
        .code(2)
        .stderr(contains("not a Camunda 8 version"));
    s.atelier().args(["-C", "p", "export", "bpmn", "nope"]).assert().code(2).stderr(contains("there is no workflow `nope`"));
    // The project's setting picks the version.
    let manifest = s.path("p/atelier.json");
    let text = fs::read_to_string(&manifest).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["settings"]["camunda_version"] = "8.6".into();
    fs::write(&manifest, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    s.atelier()
        .args(["-C", "p", "export", "bpmn", "line-check"])
        .assert()
        .success()
        .stdout(contains("modeler:executionPlatformVersion=\"8.6.0\"").and(contains("<bpmn:callActivity").not()));
}

#[test]
fn camunda_modeler_files_import_within_the_subset_and_the_rest_is_refused_by_name() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p"]).assert().success();
    let corpus = repo_root().join("../shared/corpus");
    for file in ["camunda--order-process.bpmn", "camunda--typical-process-timers.bpmn", "camunda--user-task-boundary-timer.bpmn"] {
        s.atelier().args(["-C", "p", "import", "bpmn"]).arg(corpus.join(file)).assert().success().stdout(contains("imported "));
    }
    for (file, says) in [
        ("camunda--boundary-error-event-subprocess.bpmn", "subProcess \"Error Sub Process\" (errorSubProcess): an event sub-process"),
        ("camunda--subprocess-call-activity.bpmn", "subProcess \"Shipping Sub Process\" (shippingSubProcess): an embedded sub-process"),
        (
            "camunda--parallel-gateway-complex.bpmn",
            "parallelGateway \"Start 4 threads\" (inclGatewayFork): a parallel split whose branches never meet",
        ),
        ("bpmnjs--conditions.bpmn", "serviceTask ServiceTask_1: 2 outgoing flows without a gateway"),
    ] {
        s.atelier()
            .args(["-C", "p", "import", "bpmn"])
            .arg(corpus.join(file))
            .assert()
            .code(2)
            .stderr(contains(says).and(contains("Atelier cannot represent it")));
    }
    // Job-worker tasks are steps to finish; everything else is valid as imported.
    s.atelier().args(["-C", "p", "validate"]).assert().success().stdout(contains("[unfinished]").and(contains("0 errors")));
    let order: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(s.path("p/workflows/camunda-order-process/workflow.json")).unwrap()).unwrap();
    let branches = &order["steps"]["payment-ok"]["branches"];
    assert_eq!(branches[0]["when"], "input.paid === false", "{order:#}");
    assert_eq!(branches[1]["when"], "input.paid === true", "{order:#}");
    assert_eq!(order["steps"]["request-for-payment"]["next"], "check-payment", "the loop back");
    let timer: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(s.path("p/workflows/camunda-user-task-boundary-timer/workflow.json")).unwrap()).unwrap();
    let approval = timer["steps"].as_object().unwrap().values().find(|s| s["kind"] == "approval").expect("the user task");
    assert_eq!(approval["timeout_ms"], 3000, "the boundary timer PT3S: {timer:#}");
}

#[test]
fn an_exported_workflow_imports_back_with_the_same_steps_and_paths() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    for w in ["expense-approval", "expense-lines"] {
        let file = s.path(&format!("{w}.bpmn"));
        s.atelier().args(["-C", "p", "export", "bpmn", w, "-o"]).arg(&file).assert().success();
        s.atelier().args(["-C", "p", "import", "bpmn", "--as", &format!("back-{w}")]).arg(&file).assert().success();
        let read = |dir: &str| -> serde_json::Value {
            serde_json::from_str(&fs::read_to_string(s.path(&format!("p/workflows/{dir}/workflow.json"))).unwrap()).unwrap()
        };
        let (before, after) = (read(w), read(&format!("back-{w}")));
        let shape = |wf: &serde_json::Value| -> Vec<(String, String, Vec<String>)> {
            wf["steps"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(id, st)| {
                    let mut exits: Vec<String> = ["next", "otherwise", "next_if_approved", "next_if_rejected", "join"]
                        .iter()
                        .filter_map(|k| st[*k].as_str().map(|t| format!("{k}→{t}")))
                        .collect();
                    for b in st["branches"].as_array().into_iter().flatten() {
                        exits.push(format!("branch {}→{}", b["when"].as_str().unwrap_or(""), b["next"].as_str().unwrap_or("")));
                    }
                    if let Some(to) = st["on_error"]["to"].as_str().or(st["on_error"]["then"]["to"].as_str()) {
                        exits.push(format!("error→{to}"));
                    }
                    (id.clone(), st["kind"].as_str().unwrap().to_owned(), exits)
                })
                .collect()
        };
        assert_eq!(shape(&after), shape(&before), "{w}: {after:#}");
        assert_eq!(after["start"], before["start"]);
        let positions = |dir: &str| fs::read_to_string(s.path(&format!("p/workflows/{dir}/layout.json"))).unwrap();
        let (lb, la): (serde_json::Value, serde_json::Value) =
            (serde_json::from_str(&positions(w)).unwrap(), serde_json::from_str(&positions(&format!("back-{w}"))).unwrap());
        for (id, p) in lb["nodes"].as_object().unwrap() {
            let q = &la["nodes"][id];
            for axis in ["x", "y"] {
                let d = (p[axis].as_i64().unwrap() - q[axis].as_i64().unwrap()).abs();
                assert!(d <= 1, "{w}: {id} moved on {axis}: {p} → {q}");
            }
        }
    }
    let back = fs::read_to_string(s.path("p/workflows/back-expense-approval/workflow.json")).unwrap();
    assert!(back.contains("\"source\": \"fx-rates\""), "the project's source for that origin and key is reused: {back}");
}
