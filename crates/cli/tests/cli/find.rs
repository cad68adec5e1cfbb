//! `search`, `refs`, `rename`, `history` and `audit` as a person types them.

use predicates::str::contains;

use crate::support::Sandbox;

fn example() -> Sandbox {
    let s = Sandbox::new();
    s.set_author();
    s.atelier().args(["init", "claims", "--example"]).assert().success();
    s
}

fn out(cmd: &mut assert_cmd::Command) -> String {
    let o = cmd.output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn search_and_refs_speak_in_addresses() {
    let s = example();
    let hits = out(s.atelier().args(["-C", "claims", "search", "fx", "math", "round"]));
    assert!(hits.starts_with("workflows/expense-approval/steps/convert  (step: Convert to EUR)\n"), "{hits}");
    assert!(hits.contains("[Math].[round]"), "the matched words are shown: {hits}");
    s.atelier().args(["-C", "claims", "search", "no-such-thing-anywhere"]).assert().success().stdout(contains("nothing matches"));
    let json: serde_json::Value =
        serde_json::from_slice(&s.atelier().args(["-C", "claims", "search", "exchange", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(json["hits"][0]["address"], "sources/fx-rates");
    insta::assert_snapshot!(
        "refs__field_amount",
        out(s.atelier().args(["-C", "claims", "refs", "models/expense/entities/claim/fields/amount"]))
    );
    s.atelier().args(["-C", "claims", "refs", "workflows/Nope"]).assert().failure().stderr(contains("is not an address"));
}

#[test]
fn rename_shows_its_plan_and_refuses_what_code_would_miss() {
    let s = example();
    insta::assert_snapshot!(
        "rename__step_dry_run",
        out(s.atelier().args(["-C", "claims", "rename", "workflows/expense-approval/steps/convert", "to-eur", "--dry-run"]))
    );
    assert!(s.path("claims/workflows/expense-approval/steps/convert.js").exists(), "a dry run changes nothing");
    let refused =
        s.atelier().args(["-C", "claims", "rename", "workflows/expense-approval/steps/manager-approval", "boss"]).assert().code(1);
    let text = String::from_utf8_lossy(&refused.get_output().stdout).into_owned() + &String::from_utf8_lossy(&refused.get_output().stderr);
    insta::assert_snapshot!("rename__refused", text);
    s.atelier().args(["-C", "claims", "rename", "workflows/expense-approval/steps/convert", "to-eur"]).assert().success();
    assert!(s.path("claims/workflows/expense-approval/steps/to-eur.js").exists());
    s.atelier().args(["-C", "claims", "validate"]).assert().success();
    s.atelier().args(["-C", "claims", "test"]).assert().success();
    s.atelier().args(["-C", "claims", "audit"]).assert().success().stdout(contains("rename")).stdout(contains("Ada Analyst"));
}

#[test]
fn a_run_is_kept_in_the_history_and_a_test_is_not() {
    let s = example();
    s.atelier().args(["-C", "claims", "test"]).assert().success();
    s.atelier().args(["-C", "claims", "history"]).assert().success().stdout(contains("no runs kept yet"));
    s.atelier().args(["-C", "claims", "run", "expense-approval", "--case", "small-claim"]).assert().success();
    let history = out(s.atelier().args(["-C", "claims", "history", "expense-approval"]));
    assert!(history.contains("completed") && history.contains("expense-approval"), "{history}");
    let json: serde_json::Value =
        serde_json::from_slice(&s.atelier().args(["-C", "claims", "history", "--json"]).output().unwrap().stdout).unwrap();
    let id = json[0]["id"].as_i64().unwrap();
    let run = out(s.atelier().args(["-C", "claims", "history", "--show", &id.to_string()]));
    assert!(run.contains("\"step_started\""), "the whole trace is kept: {run}");
    s.atelier().args(["-C", "claims", "history", "--keep-days", "0"]).assert().failure().stderr(contains("1 to 3650 days"));
    s.atelier().args(["-C", "claims", "history", "--keep-days", "30"]).assert().success().stdout(contains("kept 30 days"));
}
