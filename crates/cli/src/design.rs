//! `validate`, `fmt` and `new`: commands over the design files themselves,
//! through `atelier-api`.

use std::path::Path;

use atelier_api::{check_project, format_project, NewArtifact as New};

use crate::cli::NewArtifact;
use crate::term::{line, say, tell};
use crate::Outcome;

pub fn validate(dir: &Path, json: bool) -> anyhow::Result<Outcome> {
    let v = check_project(dir)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for p in &v.problems {
            say!("{}", line(&p.to_string()));
        }
        let label = v.name.as_ref().map_or("project".to_owned(), |n| format!("project `{}`", line(n)));
        if v.problems.is_empty() {
            say!("{label}: no problems");
        } else {
            say!("{label}: {}, {}", plural(v.errors, "error"), plural(v.warnings, "warning"));
        }
    }
    Ok(if v.errors > 0 { Outcome::Problems } else { Outcome::Ok })
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn fmt(dir: &Path, check_only: bool) -> anyhow::Result<Outcome> {
    let report = format_project(dir, check_only)?;
    for p in &report.unreadable {
        tell!("{}", line(&p.to_string()));
    }
    for rel in &report.files {
        say!("{} {rel}", if check_only { "not canonical:" } else { "formatted" });
    }
    if report.files.is_empty() {
        if report.unreadable.is_empty() || !check_only {
            say!("all design files are canonical");
        }
    } else if check_only {
        say!("{} to reformat; run `atelier fmt`", plural(report.files.len(), "file"));
    }
    let failed = !report.unreadable.is_empty() || (check_only && !report.files.is_empty());
    Ok(if failed { Outcome::Problems } else { Outcome::Ok })
}

pub fn new(dir: &Path, what: NewArtifact) -> anyhow::Result<Outcome> {
    let what = match what {
        NewArtifact::Workflow { id, name } => New::Workflow { id, name },
        NewArtifact::Form { id, name, model, entity } => New::Form { id, name, model, entity },
        NewArtifact::Model { id, name } => New::Model { id, name },
        NewArtifact::Test { workflow, id, input } => return new_test(dir, workflow, id, input),
    };
    for f in crate::project(dir)?.create_artifact(what)? {
        say!("created {f}");
    }
    Ok(Outcome::Ok)
}

/// `new test WORKFLOW ID`: a test case, with mocks from the sources' OpenAPI examples.
fn new_test(dir: &Path, workflow: String, id: String, input: Option<std::path::PathBuf>) -> anyhow::Result<Outcome> {
    let input: serde_json::Value = match input {
        Some(f) => {
            let text = std::fs::read_to_string(&f).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?;
            serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{} is not JSON: {e}", f.display()))?
        }
        None => serde_json::json!({}),
    };
    let case = atelier_api::NewTestCase {
        workflow: workflow.clone(),
        id: id.clone(),
        name: String::new(),
        input,
        clock: None,
        approvals: Default::default(),
        expect: None,
    };
    crate::project(dir)?.save_test_case(case)?;
    say!("created workflows/{workflow}/tests/{id}.json");
    Ok(Outcome::Ok)
}
