/// The app's own commands; each gets an `allow-<command>` permission that
/// `src-tauri/capabilities/main.json` grants to the main window, and nothing else.
const COMMANDS: &[&str] = &[
    "create_project",
    "open_project",
    "open_example",
    "recent_projects",
    "project_info",
    "load_workflow",
    "save_workflow",
    "new_workflow",
    "save_test_case",
    "load_model",
    "save_model",
    "save_source",
    "new_source",
    "new_model",
    "usages",
    "import_model",
    "model_sql",
    "model_schema",
    "load_form",
    "save_form",
    "new_form",
    "open_form_preview",
    "form_preview_input",
    "workflows_started_by",
    "diff",
    "git_status",
    "git_author",
    "set_git_author",
    "commit",
    "git_log",
    "run_preview",
    "answer_approval",
    "preview_shown",
    "preview_rest",
    "cancel_preview",
    "permissions",
    "set_grants",
    "pick_folder",
    "workflow_svg",
    "workflow_bpmn",
    "save_workflow_export",
    "load_source",
    "import_workflow",
    "import_openapi",
    "compare_picture",
    "save_compare_picture",
    "branches",
    "create_branch",
    "switch_branch",
    "delete_branch",
    "merge_branch",
    "abort_merge",
    "set_remote",
    "pull",
    "push",
    "conflicts",
    "resolve_conflict",
    "compare",
    "search",
    "references",
    "rename",
    "runs",
    "past_run",
    "audit_log",
];

fn main() {
    // tauri.conf.json lives at the repository root, beside ui/ and assets/.
    std::env::set_current_dir("..").expect("the repository root exists");
    println!("cargo:rerun-if-changed=../src-tauri/capabilities");
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    let attrs = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/*.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attrs).expect("tauri-build");
}
