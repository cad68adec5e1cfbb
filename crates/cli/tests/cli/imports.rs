//! `atelier import n8n|node-red`: every real export of `../shared/corpus`
//! imports into one project that validates (unfinished steps are warnings),
//! is canonical, and runs in the preview.

use std::fs;
use std::path::PathBuf;

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{repo_root, Sandbox};

fn corpus() -> PathBuf {
    repo_root().join("../shared/corpus")
}

fn exports(prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("../shared/corpus is beside the clone")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_export_imports_into_a_project_that_validates_and_is_canonical() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p"]).assert().success();
    let mut count = 0;
    for (format, prefix) in [("n8n", "n8n--"), ("node-red", "nodered--")] {
        for file in exports(prefix) {
            s.atelier().args(["-C", "p", "import", format]).arg(&file).assert().success().stdout(contains("imported "));
            count += 1;
        }
    }
    assert_eq!(count, 16, "the corpus has 8 n8n and 8 Node-RED exports");
    s.atelier()
        .args(["-C", "p", "validate"])
        .assert()
        .success()
        .stdout(contains("warning: workflows/n8n-error-outputs-onerror/workflow.json").and(contains("is not finished")));
    s.atelier().args(["-C", "p", "fmt", "--check"]).assert().success();
}

#[test]
fn an_import_lists_what_to_finish_and_refuses_to_overwrite() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p"]).assert().success();
    let file = corpus().join("nodered--link-call.json");
    s.atelier().args(["-C", "p", "import", "node-red", "--as", "calls"]).arg(&file).assert().success().stdout(
        contains("imported ")
            .and(contains("to finish"))
            .and(contains("workflows/calls/steps/link-call: Node-RED's `link call` node has no Atelier counterpart")),
    );
    s.atelier().args(["-C", "p", "import", "node-red", "--as", "calls"]).arg(&file).assert().code(2).stderr(contains("already exists"));
    s.atelier().args(["-C", "p", "import", "node-red", "--as", "calls", "--replace"]).arg(&file).assert().success();
    s.atelier()
        .args(["-C", "p", "import", "n8n", "--as", "wrong"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("cannot import this n8n export: this is not an n8n workflow"));
}

#[test]
fn imported_flows_run_in_the_preview() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p"]).assert().success();
    s.atelier()
        .args(["-C", "p", "import", "node-red", "--as", "sign"])
        .arg(corpus().join("nodered--switch-select-port.json"))
        .assert()
        .success();
    for (payload, word) in [("-10", "negative"), ("0", "zero"), ("10", "positive")] {
        fs::write(s.path("in.json"), format!("{{\"payload\": {payload}}}")).unwrap();
        s.atelier()
            .args(["-C", "p", "run", "sign", "--input", "in.json", "--no-input"])
            .assert()
            .success()
            .stdout(contains(format!("\"payload\": \"{word}\"")));
    }
    s.atelier()
        .args(["-C", "p", "import", "n8n", "--as", "items"])
        .arg(corpus().join("n8n--error-outputs-onerror.json"))
        .assert()
        .success();
    // The first mock item is from the US: `Throw Error` throws and its error output takes over.
    s.atelier().args(["-C", "p", "run", "items", "--no-input"]).assert().stdout(contains("throw-error"));
}

#[test]
fn an_openapi_description_becomes_a_source_whose_operations_check_the_calls() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    let spec = repo_root().join("tests/fixtures/openapi/fx-rates.yaml");
    s.atelier()
        .args(["-C", "p", "import", "openapi", "--source", "fx-rates"])
        .arg(&spec)
        .assert()
        .code(2)
        .stderr(contains("source `fx-rates` already exists"));
    s.atelier()
        .args(["-C", "p", "import", "openapi", "--source", "fx-rates", "--replace"])
        .arg(&spec)
        .assert()
        .success()
        .stdout(
            contains("imported 3 operations into sources/fx-rates.json (https://fx.example.com/v1)")
                .and(contains("the secret FX_RATES_API_KEY")),
        )
        .stderr(contains("HEAD /alerts: Atelier does not make HEAD requests"));
    let source: serde_json::Value = serde_json::from_str(&fs::read_to_string(s.path("p/sources/fx-rates.json")).unwrap()).unwrap();
    assert_eq!(source["auth"], serde_json::json!({"kind": "api_key", "secret": "FX_RATES_API_KEY", "header": "X-Api-Key"}));
    assert_eq!(source["operations"]["get-latest"]["parameters"][0], serde_json::json!({"name": "base", "in": "query", "required": true}));
    assert_eq!(source["operations"]["get-latest"]["example"]["rates"]["EUR"], 0.92);
    assert_eq!(source["operations"]["get-rates-currency-history"]["example"][0]["rate"], 0.91);
    assert_eq!(source["operations"]["create-alert"]["body"], "required");
    let secrets = fs::read_to_string(s.path("p/secrets.required.json")).unwrap();
    assert!(secrets.contains("FX_RATES_API_KEY"), "{secrets}");
    s.atelier().args(["-C", "p", "fmt", "--check"]).assert().success();
    // The example's call, `GET /latest?base=...&symbols=EUR`, is one of the operations.
    let out = s.atelier().args(["-C", "p", "validate"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!said.contains("unknown-operation") && !said.contains("missing-parameter"), "{said}");
    // A new test case is mocked from the description's example answer and runs offline.
    fs::write(s.path("claim.json"), r#"{"amount": 100, "currency": "USD"}"#).unwrap();
    s.atelier()
        .args(["-C", "p", "new", "test", "expense-approval", "from-examples", "--input", "claim.json"])
        .assert()
        .success()
        .stdout(contains("created workflows/expense-approval/tests/from-examples.json"));
    let case: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(s.path("p/workflows/expense-approval/tests/from-examples.json")).unwrap()).unwrap();
    assert_eq!(case["mocks"][0]["url"], "https://fx.example.com/v1/latest?base={{input.currency}}&symbols=EUR", "{case:#}");
    assert_eq!(case["mocks"][0]["response"]["body"]["rates"]["EUR"], 0.92);
    s.atelier()
        .args(["-C", "p", "run", "expense-approval", "--case", "from-examples", "--no-input"])
        .assert()
        .success()
        .stdout(contains("\"amount_eur\": 92"));
    // A call to no operation, and one without a required parameter, are errors naming both.
    let wf = s.path("p/workflows/expense-approval/workflow.json");
    let text = fs::read_to_string(&wf).unwrap();
    fs::write(&wf, text.replace("/latest?base={{input.currency}}&symbols=EUR", "/latest?symbols=EUR")).unwrap();
    s.atelier()
        .args(["-C", "p", "validate"])
        .assert()
        .code(1)
        .stdout(contains("/steps/fetch-rate/path: operation `get-latest` needs the query parameter `base` [missing-parameter]"));
    fs::write(&wf, text.replace("/latest?base=", "/lates?base=")).unwrap();
    s.atelier().args(["-C", "p", "validate"]).assert().code(1).stdout(contains(
        "`GET /lates` is not an operation of source `fx-rates` (sources/fx-rates.json); it offers POST /alerts, GET /latest, GET /rates/{currency}/history [unknown-operation]",
    ));
    s.atelier()
        .args(["-C", "p", "import", "openapi", "--source", "old"])
        .arg(repo_root().join("tests/fixtures/openapi/fx-rates.yaml").with_file_name("nope.yaml"))
        .assert()
        .code(2)
        .stderr(contains("cannot read"));
}
