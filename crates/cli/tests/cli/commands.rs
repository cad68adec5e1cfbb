//! The commands a reviewer or CI runs, end to end on real directories and git.

use std::fs;

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{copy_tree, fixtures, Sandbox};

#[test]
fn init_creates_a_project_in_its_own_repository() {
    let s = Sandbox::new();
    s.atelier().args(["init", "claims", "--name", "Claims"]).assert().success().stdout(contains("Created a project"));
    let manifest = fs::read_to_string(s.path("claims/atelier.json")).unwrap();
    assert_eq!(
        manifest,
        "{\n  \"$schema\": \"https://atelier.dev/schema/v1/manifest.schema.json\",\n  \"name\": \"Claims\",\n  \"format\": 1\n}\n"
    );
    assert_eq!(fs::read_to_string(s.path("claims/.gitignore")).unwrap(), ".atelier/\n");
    assert!(fs::read_to_string(s.path("claims/.gitattributes")).unwrap().contains("merge=atelier"));
    assert!(s.path("claims/.git").is_dir());
    s.atelier().args(["-C", "claims", "validate"]).assert().success().stdout("project `Claims`: no problems\n");
}

#[test]
fn init_refuses_an_existing_project() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p"]).assert().success();
    s.atelier().args(["init", "p"]).assert().code(2).stderr(contains("already holds an Atelier project"));
}

#[test]
fn example_is_valid_and_canonical_and_matches_the_assets() {
    let s = Sandbox::new();
    s.atelier().args(["init", "ex", "--example"]).assert().success();
    s.atelier().args(["-C", "ex", "validate"]).assert().success().stdout("project `Expense claims`: no problems\n");
    s.atelier().args(["-C", "ex", "fmt", "--check"]).assert().success();
    let assets = crate::support::repo_root().join("assets/example");
    assert_eq!(
        crate::support::tree(&s.path("ex")).keys().filter(|k| !k.starts_with(".git")).count(),
        crate::support::tree(&assets).len() + 2,
        "init --example writes the example plus .gitignore and .gitattributes"
    );
}

#[test]
fn new_artifacts_start_valid() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p"]).assert().success();
    s.atelier()
        .args(["-C", "p", "new", "workflow", "onboarding"])
        .assert()
        .success()
        .stdout(contains("workflows/onboarding/workflow.json"));
    s.atelier().args(["-C", "p", "new", "model", "people"]).assert().success();
    s.atelier().args(["-C", "p", "new", "form", "join", "--model", "people"]).assert().success();
    s.atelier().args(["-C", "p", "validate"]).assert().success().stdout(contains("no problems"));
    s.atelier().args(["-C", "p", "fmt", "--check"]).assert().success();
    let wf = fs::read_to_string(s.path("p/workflows/onboarding/workflow.json")).unwrap();
    assert!(wf.contains("\"name\": \"Onboarding\"") && wf.contains("\"start\": \"done\""), "{wf}");
    assert!(s.path("p/workflows/onboarding/layout.json").is_file());
}

#[test]
fn new_refuses_duplicates_bad_ids_and_missing_models() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p"]).assert().success();
    s.atelier().args(["-C", "p", "new", "workflow", "a"]).assert().success();
    s.atelier().args(["-C", "p", "new", "workflow", "a"]).assert().code(2).stderr(contains("workflow `a` already exists"));
    s.atelier().args(["-C", "p", "new", "workflow", "../evil"]).assert().code(2).stderr(contains("`../evil` cannot be an id"));
    s.atelier().args(["-C", "p", "new", "form", "f", "--model", "nope"]).assert().code(2).stderr(contains("model `nope` does not exist"));
    assert!(!s.path("evil").exists());
}

#[test]
fn validate_json_lists_problems_with_file_and_element() {
    let s = Sandbox::new();
    copy_tree(&fixtures().join("base"), &s.path("q"));
    copy_tree(&fixtures().join("bad/transition-to-missing-step"), &s.path("q"));
    let out = s.atelier().args(["-C", "q", "validate", "--json"]).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["errors"], 4, "{v:#}");
    let first = &v["problems"][0];
    assert_eq!(first["file"], "workflows/approve/workflow.json");
    assert_eq!(first["element"], "/steps/ask");
    assert_eq!(first["code"], "unreachable-step");
    assert_eq!(v["problems"][3]["element"], "/steps/shape/next");
    assert_eq!(v["problems"][3]["code"], "missing-step");
}

#[test]
fn fmt_rewrites_key_order_and_leaves_broken_files_alone() {
    let s = Sandbox::new();
    let p = s.path("p");
    copy_tree(&fixtures().join("base"), &p);
    let canonical = fs::read_to_string(p.join("sources/payments.json")).unwrap();
    fs::write(
        p.join("sources/payments.json"),
        r#"{"auth":{"secret":"PAY_TOKEN","kind":"bearer"},"base_url":"https://pay.example.com","name":"Payments"}"#,
    )
    .unwrap();
    fs::write(p.join("models/claim.json"), "{ broken").unwrap();
    s.atelier().args(["-C", "p", "fmt", "--check"]).assert().code(1).stdout(contains("not canonical: sources/payments.json"));
    s.atelier().args(["-C", "p", "fmt"]).assert().code(1).stdout(contains("formatted sources/payments.json"));
    assert_eq!(fs::read_to_string(p.join("sources/payments.json")).unwrap(), canonical);
    assert_eq!(fs::read_to_string(p.join("models/claim.json")).unwrap(), "{ broken");
}

#[test]
fn dash_c_finds_the_project_from_a_subdirectory() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    s.atelier().args(["-C", "p/workflows/expense-approval/steps", "validate"]).assert().success();
}

#[test]
fn outside_a_project_is_a_usage_error() {
    let s = Sandbox::new();
    s.atelier().arg("validate").assert().code(2).stderr(contains("no Atelier project (atelier.json)"));
    s.atelier()
        .args(["-C", "does-not-exist", "validate"])
        .assert()
        .code(2)
        .stderr(contains("cannot open does-not-exist: No such file or directory"));
    s.atelier().arg("frobnicate").assert().code(2);
}

#[test]
fn commit_needs_an_author_and_then_records_history() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    s.atelier().args(["-C", "p", "log"]).assert().success().stdout("no commits yet\n");
    s.atelier()
        .args(["-C", "p", "commit", "-m", "First design"])
        .assert()
        .code(2)
        .stderr(contains("no git author is set: run `git config --global user.name"));

    s.set_author();
    s.atelier().args(["-C", "p", "status"]).assert().success().stdout(contains("added        workflows/expense-approval/workflow.json"));
    s.atelier().args(["-C", "p", "commit", "-m", "First design"]).assert().success().stdout(contains(": First design"));
    s.atelier().args(["-C", "p", "status"]).assert().success().stdout("nothing changed since the last commit\n");
    s.atelier().args(["-C", "p", "commit", "-m", "again"]).assert().code(2).stderr(contains("nothing to commit"));

    // Real git sees the same history, with the author from git config.
    let git_log = s.git(&s.path("p")).args(["log", "--format=%an <%ae> %s"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&git_log.stdout), "Ada Analyst <ada@example.com> First design\n");

    // An edit and a deletion show in status and are both committed.
    let wf = s.path("p/workflows/expense-approval/workflow.json");
    fs::write(&wf, fs::read_to_string(&wf).unwrap().replace("Over 1,000 EUR?", "Large claim?")).unwrap();
    fs::remove_file(s.path("p/workflows/expense-approval/tests/small-claim.json")).unwrap();
    s.atelier().args(["-C", "p", "status"]).assert().success().stdout(
        contains("modified     workflows/expense-approval/workflow.json")
            .and(contains("deleted      workflows/expense-approval/tests/small-claim.json")),
    );
    s.atelier().args(["-C", "p", "commit", "-m", "Rename the check"]).assert().success();
    let log = s.atelier().args(["-C", "p", "log", "--json"]).assert().success().get_output().stdout.clone();
    let log: serde_json::Value = serde_json::from_slice(&log).unwrap();
    assert_eq!(log[0]["summary"], "Rename the check");
    assert_eq!(log[1]["summary"], "First design");
    assert_eq!(log[0]["author"], "Ada Analyst");
    let tracked = s.git(&s.path("p")).args(["ls-files"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&tracked.stdout).contains("small-claim.json"));
}

#[test]
fn commit_takes_the_author_from_the_environment_like_git() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p"]).assert().success();
    s.atelier()
        .args(["-C", "p", "commit", "-m", "Start"])
        .env("GIT_AUTHOR_NAME", "Env Author")
        .env("GIT_AUTHOR_EMAIL", "env@example.com")
        .assert()
        .success();
    s.atelier().args(["-C", "p", "log"]).assert().success().stdout(contains("Env Author").and(contains("Start")));
}

#[test]
fn commit_warns_about_an_invalid_design_but_keeps_the_work() {
    let s = Sandbox::new();
    s.set_author();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    fs::write(s.path("p/models/expense.json"), "{").unwrap();
    s.atelier().args(["-C", "p", "commit", "-m", "WIP"]).assert().success().stderr(contains("validation error"));
}

#[test]
fn branches_and_a_push_pull_round_trip_through_a_bare_remote() {
    let s = Sandbox::new();
    s.set_author();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    s.atelier().args(["-C", "p", "commit", "-m", "first"]).assert().success();
    s.atelier().args(["-C", "p", "branch", "draft"]).assert().success().stdout("created branch draft\n");
    s.atelier().args(["-C", "p", "branch"]).assert().success().stdout("  draft\n* main\n");
    s.atelier().args(["-C", "p", "switch", "draft"]).assert().success();
    s.atelier().args(["-C", "p", "branch"]).assert().success().stdout("* draft\n  main\n");
    s.atelier().args(["-C", "p", "switch", "main"]).assert().success();
    s.atelier().args(["-C", "p", "branch", "-d", "draft"]).assert().success();

    let origin = s.path("origin.git");
    assert!(s.git(s.work.path()).args(["init", "-q", "--bare", "-b", "main"]).arg(&origin).status().unwrap().success());
    assert!(s.git(&s.path("p")).args(["remote", "add", "origin"]).arg(&origin).status().unwrap().success());
    s.atelier().args(["-C", "p", "push"]).assert().success().stdout("pushed to origin\n");
    s.atelier().args(["-C", "p", "pull"]).assert().success().stdout("already up to date\n");
    s.atelier().args(["-C", "p", "pull", "nowhere"]).assert().code(2).stderr(contains("there is no remote `nowhere`; add one first"));
}

#[test]
fn schema_import_and_export_of_data_models() {
    let s = Sandbox::new();
    s.atelier().args(["init", "p", "--example"]).assert().success();
    let out = s.atelier().args(["-C", "p", "schema", "models/expense", "--entity", "claim"]).assert().success().get_output().stdout.clone();
    let schema: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["$ref"], "#/$defs/claim");
    assert_eq!(schema["$defs"]["claim"]["properties"]["spent-on"]["format"], "date");
    s.atelier().args(["-C", "p", "schema", "expense", "--entity", "nope"]).assert().code(2).stderr(contains("has no entity `nope`"));

    fs::write(
        s.path("Shop Orders.dbml"),
        "Table orders { id int [pk]\n  customer_id int [ref: > customers.id] }\nTable customers { id int [pk] }\nTableGroup g { orders }\n",
    )
    .unwrap();
    s.atelier()
        .args(["-C", "p", "import", "Shop Orders.dbml"])
        .assert()
        .success()
        .stdout(contains("imported 2 entities into models/shop-orders.json"))
        .stderr(contains("note: line 4: `TableGroup` is left out"));
    s.atelier().args(["-C", "p", "import", "Shop Orders.dbml"]).assert().code(2).stderr(contains("already exists"));
    s.atelier().args(["-C", "p", "validate"]).assert().success();
    s.atelier()
        .args(["-C", "p", "export", "shop-orders", "--dialect", "mysql"])
        .assert()
        .success()
        .stdout(contains("CREATE TABLE `orders`").and(contains("FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`)")));
    s.atelier().args(["-C", "p", "export", "shop-orders", "--format", "yaml"]).assert().code(2).stderr(contains("sql or json-schema"));
}
