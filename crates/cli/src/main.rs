//! `atelier`: the command line for reviewers, CI and anyone without the app.
//!
//! Exit codes: 0 success, 1 problems found (invalid design, unformatted files),
//! 2 usage or I/O errors, with the error chain on stderr.

mod cli;
#[cfg(target_os = "linux")]
mod daemon;
mod design;
mod find;
mod history;
mod init;
mod models;
mod permissions;
mod preview;
mod team;
mod term;
mod time;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::term::tell;

/// What a command found: nothing wrong, or problems a user must fix.
pub enum Outcome {
    Ok,
    Problems,
}

fn main() -> ExitCode {
    // The roles Atelier and git start this binary in (worker, merge driver,
    // textconv), served the same way by the app's binary.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = atelier_api::git_drivers::serve_helper(&args) {
        return ExitCode::from(code);
    }
    let cli = Cli::parse();
    #[cfg(target_os = "linux")]
    if let Some(code) = daemon::client::delegate(&cli) {
        return ExitCode::from(code);
    }
    ExitCode::from(exit_code(run(cli)))
}

/// A command's exit code, with its error chain (if any) on standard error.
pub fn exit_code(result: anyhow::Result<Outcome>) -> u8 {
    match result {
        Ok(Outcome::Ok) => 0,
        Ok(Outcome::Problems) => 1,
        Err(err) => {
            // Errors can quote design files: one line each, escaped.
            tell!("error: {}", term::line(&err.to_string()));
            for cause in err.chain().skip(1) {
                tell!("  caused by: {}", term::line(&cause.to_string()));
            }
            2
        }
    }
}

/// The project holding `dir`, opened through `atelier-api` as the app opens
/// it; its preview workers are this binary (`atelier worker`).
pub fn project(dir: &std::path::Path) -> anyhow::Result<atelier_api::OpenProject> {
    let program = std::env::current_exe().map_err(|e| anyhow::anyhow!("cannot find the atelier binary to start workers: {e}"))?;
    Ok(atelier_api::OpenProject::open(dir, atelier_engine::WorkerCommand { program, args: vec!["worker".into()] })?)
}

/// An artifact named by its id or its address: `expense` or `models/expense`.
fn artifact_id<'a>(name: &'a str, dir: &str) -> &'a str {
    name.strip_prefix(dir).and_then(|r| r.strip_prefix('/')).unwrap_or(name).trim_end_matches(".json")
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let dir = cli.directory;
    match cli.command {
        Command::Init { path, example, name } => init::init(&dir.join(path), example, name),
        Command::Validate { json } => design::validate(&dir, json),
        Command::Fmt { check } => design::fmt(&dir, check),
        Command::New { what } => design::new(&dir, what),
        Command::Status { json } => history::status(&dir, json),
        Command::Commit { message } => history::commit(&dir, &message),
        Command::Log { max_count, json } => history::log(&dir, max_count, json),
        Command::Run { workflow, input, case, trace, no_input, clock, seed, form, grants } => {
            preview::run(&dir, preview::RunArgs { workflow, input, case, trace, no_input, clock, seed, form, grants })
        }
        Command::Test { workflow, junit, grants } => preview::test(&dir, workflow, junit, grants),
        Command::Permissions { grant_live, revoke_live, map_secret, json } => {
            permissions::permissions(&dir, permissions::Change { grant_live, revoke_live, map_secret }, json)
        }
        Command::Diff { revs, json, no_layout, svg } => history::diff(&dir, &revs, json, no_layout, svg.as_deref()),
        Command::Render { workflow, rev, output } => history::render(&dir, artifact_id(&workflow, "workflows"), rev.as_deref(), &output),
        Command::GitSetup => history::git_setup(&dir),
        Command::Branch { name, delete } => team::branch(&dir, name, delete),
        Command::Switch { name } => team::switch(&dir, &name),
        Command::Pull { remote } => team::pull(&dir, &remote),
        Command::Push { remote } => team::push(&dir, &remote),
        Command::Merge { branch, abort } => team::merge(&dir, branch, abort),
        Command::Remote { name, url } => team::remote(&dir, name, url),
        Command::Schema { model, entity } => models::schema(&dir, artifact_id(&model, "models"), entity.as_deref()),
        Command::Import(cli::ImportCmd { from: Some(cli::ImportFrom::N8n(args)), .. }) => {
            models::import_flow(&dir, atelier_api::FlowFormat::N8n, args)
        }
        Command::Import(cli::ImportCmd { from: Some(cli::ImportFrom::NodeRed(args)), .. }) => {
            models::import_flow(&dir, atelier_api::FlowFormat::NodeRed, args)
        }
        Command::Import(cli::ImportCmd { from: Some(cli::ImportFrom::Bpmn(args)), .. }) => models::import_bpmn(&dir, args),
        Command::Import(cli::ImportCmd { from: Some(cli::ImportFrom::Openapi { file, source, replace }), .. }) => {
            models::import_openapi(&dir, &file, &source, replace)
        }
        Command::Import(cli::ImportCmd { file, id, format, dialect, replace, .. }) => {
            let file = file.ok_or_else(|| anyhow::anyhow!("name the file to import"))?;
            models::import(&dir, models::ImportArgs { file, id, format, dialect, replace })
        }
        Command::Export(cli::ExportCmd { to: Some(cli::ExportTo::Bpmn { workflow, output, camunda }), .. }) => {
            models::export_bpmn(&dir, artifact_id(&workflow, "workflows"), output.as_deref(), camunda.as_deref())
        }
        Command::Export(cli::ExportCmd { model, format, dialect, .. }) => {
            let model = model.ok_or_else(|| anyhow::anyhow!("name the model to export"))?;
            models::export(&dir, artifact_id(&model, "models"), &format, dialect.as_deref())
        }
        Command::Search { query, limit, json } => find::search(&dir, &query.join(" "), limit, json),
        Command::Refs { address, json } => find::refs(&dir, &address, json),
        Command::Rename { address, new_id, dry_run, force, json } => find::rename(&dir, &address, &new_id, dry_run, force, json),
        Command::History { workflow, show, limit, keep_days, json } => {
            find::history(&dir, workflow.as_deref(), show, limit, keep_days, json)
        }
        Command::Audit { target, limit, json } => find::audit(&dir, target.as_deref(), limit, json),
        #[cfg(target_os = "linux")]
        Command::Daemon { action } => daemon::client::daemon(action),
        #[cfg(not(target_os = "linux"))]
        Command::Daemon { .. } => anyhow::bail!("the daemon runs on Linux only"),
    }
}
