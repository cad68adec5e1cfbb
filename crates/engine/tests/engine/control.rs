//! The control-flow steps through whole runs: for_each over a called
//! workflow with each error policy, parallel branches and their join,
//! sub_workflow, wait on the preview clock, and the limits that hold when a
//! design file is wrong (calls in a circle, too many items).

use atelier_engine::trace::{ErrorKind, RunStatus};
use atelier_engine::{run_workflow, RunOptions, TraceEvent};
use atelier_model::project::WorkflowBundle;
use atelier_model::Project;
use serde_json::{json, Value};

use crate::support::{id, pool, project};

/// Step id and code of a workflow's scripts.
type Scripts<'a> = &'a [(&'a str, &'a str)];

/// The example with workflow `w` and more workflows, each `(id, workflow, scripts)`.
fn with_workflows(w: Value, w_scripts: Scripts, more: &[(&str, Value, Scripts)]) -> Project {
    let mut p = project(w, w_scripts);
    for (wid, wf, scripts) in more {
        let scripts = scripts.iter().map(|(k, v)| (id(k), v.to_string())).collect();
        let bundle = WorkflowBundle {
            workflow: serde_json::from_value(wf.clone()).unwrap(),
            layout: Default::default(),
            scripts,
            tests: Default::default(),
        };
        p.workflows.insert(id(wid), bundle);
    }
    p
}

fn run(p: &Project, input: Value) -> (atelier_engine::RunResult, Vec<TraceEvent>) {
    let pool = pool();
    let mut events = Vec::new();
    let r = run_workflow(p, &id("w"), &pool, &RunOptions::new(input, 0), &mut |_| None, &mut |e| events.push(e)).unwrap();
    (r, events)
}

/// `(within, step)` of every finished step, in order.
fn finished(events: &[TraceEvent]) -> Vec<(Option<String>, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            TraceEvent::StepFinished { step, within, .. } => Some((within.clone(), step.clone())),
            _ => None,
        })
        .collect()
}

/// A body that doubles `item.amount`, fails on a negative one, and waits 10 ms.
fn line_body() -> Value {
    json!({"name": "Line", "start": "check", "steps": {
        "check": {"kind": "custom_code", "name": "Check", "next": "pause"},
        "pause": {"kind": "wait", "name": "Pause", "duration_ms": 10, "next": "done"},
        "done": {"kind": "end", "name": "Done", "output": {"line": "{{input.index}}", "doubled": "{{input.doubled}}"}}}})
}
const LINE_CODE: &str =
    "function run(i) { if (i.item.amount < 0) throw new Error('negative amount'); return { ...i, doubled: i.item.amount * 2 }; }";

fn for_each(policy: &str) -> Value {
    json!({"name": "W", "start": "lines", "steps": {
        "lines": {"kind": "for_each", "name": "Lines", "items": "input.lines", "workflow": "line",
                  "save_as": "checked", "on_item_error": policy, "next": "end"},
        "end": {"kind": "end", "name": "End"}}})
}

#[test]
fn for_each_runs_the_body_per_item_and_collects_results() {
    let p = with_workflows(for_each("stop"), &[], &[("line", line_body(), &[("check", LINE_CODE)])]);
    let (r, events) = run(&p, json!({"lines": [{"amount": 1}, {"amount": 5}]}));
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.error);
    let out = r.output.unwrap();
    assert_eq!(out["checked"], json!([{"line": 0, "doubled": 2}, {"line": 1, "doubled": 10}]));
    // Each item's steps are named by the item in the trace, after the parent step starts.
    let steps = finished(&events);
    assert_eq!(steps[0], (Some("lines[0]".into()), "check".into()));
    assert_eq!(steps[3], (Some("lines[1]".into()), "check".into()));
    assert_eq!(steps[6], (None, "lines".into()));
    // Items run one after the other on the preview clock: two waits of 10 ms.
    assert_eq!(r.duration_ms, 20);
}

#[test]
fn a_failed_item_stops_or_is_skipped_or_collected() {
    let lines = json!({"lines": [{"amount": 1}, {"amount": -1}, {"amount": 3}]});
    let body = || [("line", line_body(), &[("check", LINE_CODE)][..])];

    let (r, _) = run(&with_workflows(for_each("stop"), &[], &body()), lines.clone());
    assert_eq!(r.status, RunStatus::Failed);
    let e = r.error.unwrap();
    assert_eq!(e.kind, ErrorKind::Script);
    assert!(e.message.starts_with("item 1: in workflow `line`: steps/check.js: Error: negative amount"), "{}", e.message);

    let (r, _) = run(&with_workflows(for_each("skip"), &[], &body()), lines.clone());
    let out = r.output.unwrap();
    assert_eq!(out["checked"].as_array().unwrap().len(), 2);
    assert!(out.get("checked_errors").is_none());

    let (r, _) = run(&with_workflows(for_each("collect"), &[], &body()), lines);
    let out = r.output.unwrap();
    assert_eq!(out["checked"], json!([{"line": 0, "doubled": 2}, {"line": 2, "doubled": 6}]));
    assert_eq!(out["checked_errors"][0]["index"], 1);
    assert_eq!(out["checked_errors"][0]["kind"], "script");
}

/// A body of two code steps into an end: the worker gets every item in one
/// request. With `on_error: fail` on the workflow (the same behaviour), the
/// items go one call each. Both must give the same trace, event for event.
fn straight_body(policy_on_workflow: bool) -> Value {
    let mut body = json!({"name": "Line", "start": "check", "steps": {
        "check": {"kind": "custom_code", "name": "Check", "next": "mark"},
        "mark": {"kind": "data_transform", "name": "Mark", "next": "done"},
        "done": {"kind": "end", "name": "Done"}}});
    if policy_on_workflow {
        body["on_error"] = json!({"policy": "fail"});
    }
    body
}
const STRAIGHT_CHECK: &str = "let seen = 0;\nfunction run(i) {\n  seen += 1;\n  if (i.item.amount < 0) throw new Error('negative amount');\n  console.log('line', i.index);\n  return { ...i, seen, r: Math.random() };\n}\n";
const STRAIGHT_MARK: &str = "function run(i) { if (i.item.amount === 0) return null; return { ...i, marked: true }; }";

/// The events without real time, which differs run to run.
fn without_wall_time(events: Vec<TraceEvent>) -> Vec<TraceEvent> {
    events
        .into_iter()
        .map(|mut e| {
            if let TraceEvent::StepFinished { wall_us, .. } = &mut e {
                *wall_us = None;
            }
            e
        })
        .collect()
}

#[test]
fn items_sent_to_the_worker_at_once_give_the_trace_of_items_sent_one_by_one() {
    let scripts: Scripts = &[("check", STRAIGHT_CHECK), ("mark", STRAIGHT_MARK)];
    // A throw, a `null` (nothing) and good items, then a second for_each over
    // the same body: each step's own state and random numbers go on as one by one.
    let lines = json!({"lines": [{"amount": 1}, {"amount": -1}, {"amount": 0}, {"amount": 4}, {"amount": 5}]});
    for policy in ["collect", "skip", "stop"] {
        let mut wf = for_each(policy);
        wf["steps"]["lines"]["next"] = json!("again");
        wf["steps"]["again"] = json!({"kind": "for_each", "name": "Again", "items": "input.lines", "workflow": "line",
            "save_as": "again", "on_item_error": "skip", "next": "end"});
        if policy == "stop" {
            wf["steps"]["lines"]["on_error"] = json!({"policy": "route", "to": "again"});
        }
        let batched = with_workflows(wf.clone(), &[], &[("line", straight_body(false), scripts)]);
        let one_by_one = with_workflows(wf, &[], &[("line", straight_body(true), scripts)]);
        let (r1, e1) = run(&batched, lines.clone());
        let (r2, e2) = run(&one_by_one, lines.clone());
        assert_eq!(r1.status, RunStatus::Completed, "{policy}: {:?}", r1.error);
        assert_eq!(r1, r2, "{policy}");
        assert_eq!(without_wall_time(e1), without_wall_time(e2), "{policy}");
    }
    let (r, _) = run(&with_workflows(for_each("collect"), &[], &[("line", straight_body(false), scripts)]), lines);
    let out = r.output.unwrap();
    assert_eq!(out["checked"].as_array().unwrap().iter().map(|l| l["seen"].clone()).collect::<Vec<_>>(), [json!(1), json!(4), json!(5)]);
    let errors: Vec<&str> = out["checked_errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert_eq!(errors.len(), 2);
    assert!(errors[0].contains("negative amount"), "{errors:?}");
    assert!(errors[1].contains("run() returned nothing"), "{errors:?}");
}

#[test]
fn for_each_refuses_more_items_than_its_limit_and_what_is_not_a_list() {
    let mut wf = for_each("stop");
    wf["steps"]["lines"]["max_items"] = json!(2);
    let p = with_workflows(wf, &[], &[("line", line_body(), &[("check", LINE_CODE)])]);
    let (r, events) = run(&p, json!({"lines": [{"amount": 1}, {"amount": 2}, {"amount": 3}]}));
    let e = r.error.unwrap();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert_eq!(e.message, "limit exceeded: 3 items, and this step runs at most 2");
    assert!(finished(&events).iter().all(|(w, _)| w.is_none()), "no item ran");

    let (r, _) = run(&p, json!({"lines": "three"}));
    assert_eq!(r.error.unwrap().message, "`input.lines` gave a string where a list of items was expected");
}

#[test]
fn parallel_branches_merge_their_keys_at_the_join_and_the_clock_takes_the_longest() {
    let wf = json!({"name": "W", "start": "split", "steps": {
        "split": {"kind": "parallel", "name": "Checks", "join": "meet",
                  "branches": [{"label": "budget", "next": "budget"}, {"label": "policy", "next": "policy-wait"}]},
        "budget": {"kind": "custom_code", "name": "Budget", "next": "meet"},
        "policy-wait": {"kind": "wait", "name": "Slow check", "duration_ms": 300, "next": "policy"},
        "policy": {"kind": "custom_code", "name": "Policy", "next": "meet"},
        "meet": {"kind": "join", "name": "Both done", "next": "end"},
        "end": {"kind": "end", "name": "End"}}});
    let scripts = [
        ("budget", "function run(i) { return { ...i, budget_ok: i.amount < 100 }; }"),
        ("policy", "function run(i) { return { ...i, policy_ok: true, seen_budget: i.budget_ok === undefined }; }"),
    ];
    let (r, events) = run(&with_workflows(wf.clone(), &scripts, &[]), json!({"amount": 40}));
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.error);
    // Each branch saw only the state at the split.
    assert_eq!(r.output.unwrap(), json!({"amount": 40, "budget_ok": true, "policy_ok": true, "seen_budget": true}));
    let order: Vec<String> = finished(&events).into_iter().map(|(_, s)| s).collect();
    assert_eq!(order, ["budget", "policy-wait", "policy", "split", "meet", "end"]);
    assert_eq!(r.duration_ms, 300, "side by side: the longest branch, not the sum");

    // The first to arrive wins: the budget branch took no preview time.
    let mut first = wf.clone();
    first["steps"]["meet"]["wait_for"] = json!("first");
    let (r, _) = run(&with_workflows(first, &scripts, &[]), json!({"amount": 40}));
    assert_eq!(r.output.unwrap(), json!({"amount": 40, "budget_ok": true}));
    assert_eq!(r.duration_ms, 0);

    // Two branches that set one key differently fail the join, naming both.
    let clash =
        [("budget", "function run(i) { return { ...i, ok: true }; }"), ("policy", "function run(i) { return { ...i, ok: false }; }")];
    let (r, _) = run(&with_workflows(wf, &clash, &[]), json!({"amount": 40}));
    assert_eq!(r.error.unwrap().message, "branches `budget` and `policy` both changed `ok`; give each branch its own key");
}

#[test]
fn a_branch_that_ends_before_its_join_fails_the_split() {
    let wf = json!({"name": "W", "start": "split", "steps": {
        "split": {"kind": "parallel", "name": "Split", "join": "meet",
                  "branches": [{"next": "stop"}, {"next": "meet"}]},
        "stop": {"kind": "end", "name": "Stop"},
        "meet": {"kind": "join", "name": "Meet", "next": "end"},
        "end": {"kind": "end", "name": "End"}}});
    let (r, _) = run(&with_workflows(wf, &[], &[]), json!({}));
    assert_eq!(r.error.unwrap().message, "branch `branch 1` ended at `stop` before it reached the join `meet`");
}

#[test]
fn sub_workflow_maps_its_input_and_saves_the_output() {
    let wf = json!({"name": "W", "start": "notify", "steps": {
        "notify": {"kind": "sub_workflow", "name": "Notify", "workflow": "notify",
                   "input": {"to": "{{input.owner}}"}, "save_as": "sent", "next": "end"},
        "end": {"kind": "end", "name": "End"}}});
    let notify = json!({"name": "Notify", "start": "send", "steps": {
        "send": {"kind": "custom_code", "name": "Send", "next": "done"},
        "done": {"kind": "end", "name": "Done"}}});
    let p = with_workflows(
        wf,
        &[],
        &[("notify", notify, &[("send", "function run(i) { return { message: 'hello ' + i.to, keys: Object.keys(i) }; }")])],
    );
    let (r, events) = run(&p, json!({"owner": "ana", "secret_of_caller": 1}));
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.error);
    assert_eq!(r.output.unwrap()["sent"], json!({"message": "hello ana", "keys": ["to"]}));
    assert_eq!(finished(&events)[0], (Some("notify".into()), "send".into()));
}

#[test]
fn calls_in_a_circle_stop_at_the_depth_limit() {
    let wf = json!({"name": "W", "start": "again", "steps": {
        "again": {"kind": "sub_workflow", "name": "Again", "workflow": "w", "next": "end"},
        "end": {"kind": "end", "name": "End"}}});
    let (r, _) = run(&with_workflows(wf, &[], &[]), json!({}));
    let e = r.error.unwrap();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.contains("calls nest more than 16 deep"), "{}", e.message);
}

#[test]
fn wait_moves_the_preview_clock_by_a_duration_or_until_a_time() {
    let wf = json!({"name": "W", "start": "a", "steps": {
        "a": {"kind": "wait", "name": "A", "duration_ms": 1500, "next": "b"},
        "b": {"kind": "wait", "name": "B", "until": "{{input.due}}", "next": "c"},
        "c": {"kind": "wait", "name": "Already past", "until": "1970-01-01T00:00:00Z", "next": "end"},
        "end": {"kind": "end", "name": "End"}}});
    let started = std::time::Instant::now();
    let (r, _) = run(&with_workflows(wf, &[], &[]), json!({"due": "1970-01-01T00:01:00Z"}));
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.error);
    assert_eq!(r.duration_ms, 60_000, "1.5 s, then until one minute after the clock's start, then nothing");
    assert!(started.elapsed().as_secs() < 30, "recorded, never slept");
}

#[test]
fn each_item_gets_only_its_item_index_and_what_input_maps() {
    let mut wf = for_each("stop");
    wf["steps"]["lines"]["input"] = json!({"owner": "{{input.owner}}"});
    let body = json!({"name": "Keys", "start": "look", "steps": {
        "look": {"kind": "custom_code", "name": "Look", "next": "done"},
        "done": {"kind": "end", "name": "Done", "output": "{{input.keys}}"}}});
    let p = with_workflows(
        wf,
        &[],
        &[("line", body, &[("look", "function run(i) { return { keys: Object.keys(i).sort().concat([i.owner]) }; }")])],
    );
    let (r, _) = run(&p, json!({"owner": "ana", "lines": [1, 2], "big": "not passed on"}));
    assert_eq!(r.output.unwrap()["checked"], json!([["index", "item", "owner", "ana"], ["index", "item", "owner", "ana"]]));
}
