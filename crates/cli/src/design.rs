//! `validate`, `fmt` and `new`: commands over the design files themselves.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};
use atelier_model::data_model::{DataModel, Entity, Field, FieldType};
use atelier_model::form::Form;
use atelier_model::layout::FormLayout;
use atelier_model::project::{FormBundle, WorkflowBundle, MANIFEST_FILE};
use atelier_model::{schema, validate as check, Assembled, Id, Problem, Severity};
use atelier_store::ProjectDir;

use crate::cli::NewArtifact;
use crate::Outcome;

pub fn validate(dir: &Path, json: bool) -> anyhow::Result<Outcome> {
    let project_dir = ProjectDir::open(dir)?;
    let assembled = project_dir.load()?;
    let problems = check(&assembled);
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let warnings = problems.len() - errors;
    if json {
        let out = serde_json::json!({ "errors": errors, "warnings": warnings, "problems": problems });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for p in &problems {
            println!("{p}");
        }
        if problems.is_empty() {
            println!("{}: no problems", project_label(&assembled));
        } else {
            println!("{}: {}, {}", project_label(&assembled), plural(errors, "error"), plural(warnings, "warning"));
        }
    }
    Ok(if errors > 0 { Outcome::Problems } else { Outcome::Ok })
}

fn project_label(a: &Assembled) -> String {
    if a.manifest_ok {
        format!("project `{}`", a.project.manifest.name)
    } else {
        "project".to_owned()
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn fmt(dir: &Path, check_only: bool) -> anyhow::Result<Outcome> {
    let project_dir = ProjectDir::open(dir)?;
    let assembled = project_dir.load()?;
    // Files that could not be read are left exactly as they are.
    let unreadable: Vec<&Problem> = assembled.problems.iter().filter(|p| p.is_error()).collect();
    for p in &unreadable {
        eprintln!("{p}");
    }
    let files = assembled.project.files();
    let pending: Vec<&String> = assembled.not_canonical.iter().collect();
    if check_only {
        for rel in &pending {
            println!("not canonical: {rel}");
        }
        if pending.is_empty() && unreadable.is_empty() {
            println!("all design files are canonical");
        } else if !pending.is_empty() {
            println!("{} to reformat; run `atelier fmt`", plural(pending.len(), "file"));
        }
    } else {
        for rel in &pending {
            let bytes = files.get(*rel).with_context(|| format!("{rel} has no canonical form"))?;
            atelier_store::write_atomic(&project_dir.resolve(rel)?, bytes)?;
            println!("formatted {rel}");
        }
        if pending.is_empty() {
            println!("all design files are canonical");
        }
    }
    let failed = !unreadable.is_empty() || (check_only && !pending.is_empty());
    Ok(if failed { Outcome::Problems } else { Outcome::Ok })
}

pub fn new(dir: &Path, what: NewArtifact) -> anyhow::Result<Outcome> {
    let project_dir = ProjectDir::open(dir)?;
    let mut assembled = project_dir.load()?;
    if !assembled.manifest_ok {
        bail!("{MANIFEST_FILE} cannot be read; run `atelier validate` to see why");
    }
    let project = &mut assembled.project;
    let title = |id: &Id, name: Option<String>| name.unwrap_or_else(|| title_case(id.as_str()));
    let created = match what {
        NewArtifact::Workflow { id, name } => {
            let id = parse_id(&id)?;
            if project.workflows.contains_key(&id) || project_dir.resolve(&format!("workflows/{id}"))?.exists() {
                bail!("workflow `{id}` already exists");
            }
            let bundle = WorkflowBundle::starter(title(&id, name));
            project.workflows.insert(id.clone(), bundle);
            format!("workflows/{id}/workflow.json")
        }
        NewArtifact::Form { id, name, model, entity } => {
            let id = parse_id(&id)?;
            if project.forms.contains_key(&id) || project_dir.resolve(&format!("forms/{id}"))?.exists() {
                bail!("form `{id}` already exists");
            }
            let model_id = parse_id(&model)?;
            let Some(m) = project.models.get(&model_id) else {
                bail!("model `{model_id}` does not exist; create it with `atelier new model {model_id}`");
            };
            let entity = match entity {
                Some(e) => parse_id(&e)?,
                None => m.entities.keys().next().cloned().with_context(|| format!("model `{model_id}` has no entity"))?,
            };
            if !m.entities.contains_key(&entity) {
                bail!("model `{model_id}` has no entity `{entity}`");
            }
            let form = Form {
                schema: Some(schema::url(schema::FORM)),
                name: title(&id, name),
                description: String::new(),
                model: model_id,
                entity,
                components: BTreeMap::new(),
                submit_label: None,
            };
            let layout = FormLayout { schema: Some(schema::url(schema::FORM_LAYOUT)), components: BTreeMap::new() };
            project.forms.insert(id.clone(), FormBundle { form, layout });
            format!("forms/{id}/form.json")
        }
        NewArtifact::Model { id, name } => {
            let id = parse_id(&id)?;
            if project.models.contains_key(&id) || project_dir.resolve(&format!("models/{id}.json"))?.exists() {
                bail!("model `{id}` already exists");
            }
            let field = Field {
                label: "Name".to_owned(),
                field_type: FieldType::String,
                required: true,
                description: String::new(),
                min: None,
                max: None,
                max_length: Some(200),
                enum_type: None,
                entity: None,
            };
            let entity = Entity {
                name: "Record".to_owned(),
                description: String::new(),
                fields: BTreeMap::from([(Id::new("name").expect("a valid id"), field)]),
                constraints: BTreeMap::new(),
            };
            let model = DataModel {
                schema: Some(schema::url(schema::MODEL)),
                name: title(&id, name),
                description: String::new(),
                entities: BTreeMap::from([(Id::new("record").expect("a valid id"), entity)]),
                enums: BTreeMap::new(),
            };
            project.models.insert(id.clone(), model);
            format!("models/{id}.json")
        }
    };
    let report = project_dir.save(&assembled.project, &mut assembled.loaded)?;
    for f in &report.written {
        println!("created {f}");
    }
    if report.written.is_empty() {
        println!("created {created}");
    }
    Ok(Outcome::Ok)
}

fn parse_id(s: &str) -> anyhow::Result<Id> {
    Id::new(s).with_context(|| format!("`{s}` cannot be an id"))
}

/// `expense-approval` → `Expense approval`.
fn title_case(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
