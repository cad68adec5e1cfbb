//! `schema`, `import` and `export`: data models to and from other tools,
//! through `atelier-api` like the app.

use std::path::Path;

use atelier_api::ModelFormat;

use crate::term::{line, say, tell};
use crate::Outcome;

pub fn schema(dir: &Path, model: &str, entity: Option<&str>) -> anyhow::Result<Outcome> {
    let schema = crate::project(dir)?.model_schema(model, entity)?;
    say!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(Outcome::Ok)
}

pub struct ImportArgs {
    pub file: std::path::PathBuf,
    pub id: Option<String>,
    pub format: Option<String>,
    pub dialect: Option<String>,
    pub replace: bool,
}

pub fn import(dir: &Path, args: ImportArgs) -> anyhow::Result<Outcome> {
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let format = match args.format.as_deref() {
        Some("sql") => ModelFormat::Sql,
        Some("dbml") => ModelFormat::Dbml,
        Some(other) => anyhow::bail!("`{other}` is not a format Atelier imports: sql or dbml"),
        None => ModelFormat::of_file(&name),
    };
    let text = read_limited(&args.file)?;
    let stem = args.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let id = match args.id {
        Some(id) => id,
        None => atelier_api::slug(&stem).ok_or_else(|| anyhow::anyhow!("`{stem}` makes no model id; give one with --as ID"))?,
    };
    let report = crate::project(dir)?.import_model(&text, format, &id, args.dialect.as_deref(), args.replace)?;
    say!("imported {} entit{} into models/{}.json", report.entities, if report.entities == 1 { "y" } else { "ies" }, report.model);
    for n in &report.notes {
        tell!("  note: {}", line(n));
    }
    Ok(Outcome::Ok)
}

/// `import n8n|node-red FILE`: a workflow, with what is left to finish.
pub fn import_flow(dir: &Path, format: atelier_api::FlowFormat, args: crate::cli::FlowImport) -> anyhow::Result<Outcome> {
    let (text, id) = flow_file(&args)?;
    let report = crate::project(dir)?.import_workflow(&text, format, &id, args.replace)?;
    print_import(&report, args.json)
}

/// `import bpmn FILE`: a workflow from Camunda Modeler.
pub fn import_bpmn(dir: &Path, args: crate::cli::FlowImport) -> anyhow::Result<Outcome> {
    let (text, id) = flow_file(&args)?;
    let report = crate::project(dir)?.import_bpmn(&text, &id, args.replace)?;
    print_import(&report, args.json)
}

fn flow_file(args: &crate::cli::FlowImport) -> anyhow::Result<(String, String)> {
    let text = read_limited(&args.file)?;
    let stem = args.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let id = match &args.id {
        Some(id) => id.clone(),
        None => atelier_api::slug(&stem).ok_or_else(|| anyhow::anyhow!("`{stem}` makes no workflow id; give one with --as ID"))?,
    };
    Ok((text, id))
}

fn print_import(report: &atelier_api::WorkflowImportReport, json: bool) -> anyhow::Result<Outcome> {
    if json {
        say!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(Outcome::Ok);
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    for flow in &report.workflows {
        say!("imported {} step{} into workflows/{}/", flow.steps, plural(flow.steps), flow.workflow);
    }
    for s in &report.sources {
        say!("  source: sources/{s}.json");
    }
    let unfinished: usize = report.workflows.iter().map(|f| f.unfinished.len()).sum();
    if unfinished > 0 {
        say!("{unfinished} step{} to finish (`atelier validate` lists them until done):", plural(unfinished));
        for flow in &report.workflows {
            for (step, why) in &flow.unfinished {
                say!("  workflows/{}/steps/{}: {}", flow.workflow, line(step), line(why));
            }
        }
    }
    for n in &report.notes {
        tell!("  note: {}", line(n));
    }
    Ok(Outcome::Ok)
}

fn read_limited(file: &Path) -> anyhow::Result<String> {
    let meta = std::fs::metadata(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    if meta.len() > atelier_interop_limit() {
        anyhow::bail!("{} is larger than {} MB; Atelier imports smaller files", file.display(), atelier_interop_limit() / 1024 / 1024);
    }
    std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))
}

fn atelier_interop_limit() -> u64 {
    atelier_api::MAX_IMPORT_BYTES as u64
}

pub fn export(dir: &Path, model: &str, format: &str, dialect: Option<&str>) -> anyhow::Result<Outcome> {
    let p = crate::project(dir)?;
    match format {
        "sql" => say!("{}", p.model_sql(model, dialect)?.trim_end()),
        "json-schema" => say!("{}", serde_json::to_string_pretty(&p.model_schema(model, None)?)?),
        other => anyhow::bail!("`{other}` is not a format Atelier exports: sql or json-schema"),
    }
    Ok(Outcome::Ok)
}

/// `export bpmn WORKFLOW`: the file, and on standard error what it could not carry over.
pub fn export_bpmn(dir: &Path, workflow: &str, output: Option<&Path>, camunda: Option<&str>) -> anyhow::Result<Outcome> {
    let export = crate::project(dir)?.export_bpmn(workflow, camunda)?;
    match output {
        Some(path) => {
            std::fs::write(path, &export.xml).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            tell!("wrote {} (BPMN 2.0 for Camunda {})", path.display(), export.camunda_version);
        }
        None => print!("{}", export.xml),
    }
    for n in &export.notes {
        tell!("  not exact: {}", line(n));
    }
    Ok(Outcome::Ok)
}

/// `import openapi FILE --source ID`: a source with its operations.
pub fn import_openapi(dir: &Path, file: &Path, source: &str, replace: bool) -> anyhow::Result<Outcome> {
    let text = read_limited(file)?;
    let report = crate::project(dir)?.import_openapi(&text, source, replace)?;
    say!(
        "imported {} operation{} into sources/{}.json ({})",
        report.operations,
        if report.operations == 1 { "" } else { "s" },
        report.source,
        line(&report.base_url)
    );
    if let Some(secret) = &report.secret {
        say!("  its auth names the secret {secret} (declared in secrets.required.json; map it with `atelier permissions --map-secret {secret}=VAR`)");
    }
    for n in &report.notes {
        tell!("  note: {}", line(n));
    }
    Ok(Outcome::Ok)
}
