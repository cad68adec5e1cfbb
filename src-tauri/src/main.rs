//! The Atelier desktop app: a thin Tauri shell. Every command adapts one
//! `atelier-api` use case; preview progress reaches the UI as events. The same
//! binary serves as the preview engine's JavaScript worker (`atelier-app worker`).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod designs;
mod find;
mod handoff;
mod paint;
mod recent;
mod team;
mod trace_batch;

use std::sync::Mutex;

fn main() {
    // The same binary serves the preview engine and git's drivers for the
    // projects the app creates.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = atelier_api::git_drivers::serve_helper(&args) {
        std::process::exit(i32::from(code));
    }
    paint::choose();
    tauri::Builder::default()
        // Registered for the Rust side only (the folder picker): the page gets
        // none of its permissions.
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::AppState {
            project: Mutex::new(None),
            watcher: Mutex::new(None),
            approval: Mutex::new(None),
            cancel: Mutex::new(None),
            shown: Mutex::new(None),
            rest: Mutex::default(),
        })
        .invoke_handler(tauri::generate_handler![
            commands::create_project,
            commands::open_project,
            commands::open_example,
            commands::recent_projects,
            commands::project_info,
            commands::load_workflow,
            commands::save_workflow,
            commands::new_workflow,
            commands::save_test_case,
            find::search,
            find::references,
            find::rename,
            find::runs,
            find::past_run,
            find::audit_log,
            designs::load_model,
            designs::save_source,
            designs::new_source,
            designs::save_model,
            designs::new_model,
            designs::usages,
            designs::import_model,
            designs::model_sql,
            designs::model_schema,
            designs::load_form,
            designs::save_form,
            designs::new_form,
            designs::open_form_preview,
            designs::form_preview_input,
            designs::workflows_started_by,
            designs::diff,
            commands::git_status,
            commands::git_author,
            commands::set_git_author,
            commands::commit,
            commands::git_log,
            commands::run_preview,
            commands::answer_approval,
            commands::preview_shown,
            commands::preview_rest,
            commands::cancel_preview,
            commands::permissions,
            commands::set_grants,
            commands::pick_folder,
            handoff::workflow_svg,
            handoff::workflow_bpmn,
            handoff::save_workflow_export,
            handoff::load_source,
            handoff::import_workflow,
            handoff::import_openapi,
            handoff::compare_picture,
            handoff::save_compare_picture,
            team::branches,
            team::create_branch,
            team::switch_branch,
            team::delete_branch,
            team::merge_branch,
            team::abort_merge,
            team::set_remote,
            team::pull,
            team::push,
            team::conflicts,
            team::resolve_conflict,
            team::compare,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("the Atelier window could not start");
}
