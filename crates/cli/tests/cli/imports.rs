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
