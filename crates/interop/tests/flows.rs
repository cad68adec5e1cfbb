//! Workflows from n8n and Node-RED, read from the real exports in
//! `../shared/corpus` (third-party files, read in place, never copied here):
//! what each node becomes, where every path goes, and what is left to finish.

use std::path::PathBuf;

use atelier_interop::flows::{import, FlowFormat, ImportedWorkflow};
use atelier_interop::ImportError;
use atelier_model::workflow::{ErrorPolicy, Step, Trigger};
use atelier_model::Id;

fn corpus(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("the corpus file {} must be beside the clone: {e}", path.display()))
}

fn imported_all(file: &str) -> Vec<ImportedWorkflow> {
    let format = if file.starts_with("n8n") { FlowFormat::N8n } else { FlowFormat::NodeRed };
    import(&corpus(file), format, "Imported").unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The flow the first trigger starts.
fn imported(file: &str) -> ImportedWorkflow {
    imported_all(file).remove(0)
}

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

/// The workflow as lines a reviewer reads: each step, where it goes, what is unfinished.
fn summary(w: &ImportedWorkflow) -> String {
    let wf = &w.bundle.workflow;
    let mut out = format!("name: {}\nstart: {}\n", wf.name, wf.start);
    for t in &wf.triggers {
        out.push_str(&format!("trigger: {}\n", serde_json::to_string(t).unwrap()));
    }
    for (sid, step) in &wf.steps {
        let exits: Vec<String> = step.transitions().iter().map(|t| format!("{}→{}", t.label, t.target)).collect();
        out.push_str(&format!("step {sid} [{}] {}\n", step.kind().as_str(), exits.join(" ")));
        if let Step::Condition(c) = step {
            for b in &c.branches {
                out.push_str(&format!("    when {}\n", b.when));
            }
        }
        if let Step::ApiCall(a) = step {
            out.push_str(&format!("    {} {} {}\n", a.method.as_str(), a.source, a.path));
        }
    }
    for (sid, why) in w.unfinished() {
        out.push_str(&format!("unfinished {sid}: {why}\n"));
    }
    for (sid, s) in &w.sources {
        out.push_str(&format!("source {sid}: {}\n", s.base_url));
    }
    for n in &w.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

const ALL: &[&str] = &[
    "n8n--error-connection-merge-v3.json",
    "n8n--error-outputs-onerror.json",
    "n8n--function-code-if-v1-set.json",
    "n8n--manual-wait-http-request-v3.json",
    "n8n--merge-v3-three-inputs.json",
    "n8n--schedule-code-if-v2.json",
    "n8n--switch-v3-rules.json",
    "n8n--webhook-code-set-v1.json",
    "nodered--delay-queue-release.json",
    "nodered--function-handling-errors.json",
    "nodered--function-multiple-outputs.json",
    "nodered--function-status.json",
    "nodered--http-endpoint.json",
    "nodered--link-call.json",
    "nodered--switch-select-port.json",
    "nodered--trigger-timeout.json",
];

#[test]
fn every_export_of_the_corpus_imports_with_every_node_placed_and_every_exit_connected() {
    for file in ALL {
        let flows = imported_all(file);
        for w in &flows {
            let wf = &w.bundle.workflow;
            assert!(wf.steps.contains_key(&wf.start), "{file}: the start exists");
            for (sid, step) in &wf.steps {
                assert!(w.bundle.layout.nodes.contains_key(sid), "{file}: `{sid}` is placed");
                for t in step.transitions() {
                    assert!(wf.steps.contains_key(t.target), "{file}: `{sid}` goes to `{}`, which exists", t.target);
                }
                if step.kind().has_script() {
                    let script = &w.bundle.scripts[sid];
                    assert!(script.contains("function run(input)"), "{file}: `{sid}` has run(input)");
                }
            }
            let places: std::collections::BTreeSet<_> = w.bundle.layout.nodes.values().map(|p| (p.x, p.y)).collect();
            assert_eq!(places.len(), w.bundle.layout.nodes.len(), "{file}: no two steps share a place");
        }
        let text: Vec<String> = flows.iter().map(summary).collect();
        insta::assert_snapshot!(file.trim_end_matches(".json"), text.join("\n"));
    }
}

#[test]
fn n8n_fan_out_splits_and_joins_where_the_branches_meet() {
    let w = imported("n8n--merge-v3-three-inputs.json");
    let wf = &w.bundle.workflow;
    let Step::Parallel(split) = &wf.steps[&wf.start] else { panic!("the trigger's three branches start with a split: {}", summary(&w)) };
    assert_eq!(split.branches.len(), 3);
    let join = split.join.as_ref().unwrap();
    assert_eq!(join.as_str(), "merge-v3-dynamic-inputs", "the n8n Merge node is the join");
    assert!(matches!(wf.steps[join], Step::Join(_)));
}

#[test]
fn n8n_error_outputs_become_error_routes_and_continue_on_fail_continues() {
    let w = imported("n8n--error-outputs-onerror.json");
    let wf = &w.bundle.workflow;
    let policy = |s: &str| match &wf.steps[&id(s)] {
        Step::CustomCode(c) | Step::DataTransform(c) => c.on_error.clone(),
        other => panic!("{s} is a {}", other.kind().as_str()),
    };
    assert_eq!(policy("throw-error"), Some(ErrorPolicy::Route { to: id("error") }));
    assert_eq!(policy("throw-error2"), Some(ErrorPolicy::Continue {}));
    assert_eq!(policy("throw-error1"), Some(ErrorPolicy::Continue {}), "the legacy continueOnFail");
    let w = imported("n8n--error-connection-merge-v3.json");
    let Step::CustomCode(code1) = &w.bundle.workflow.steps[&id("code1")] else { panic!() };
    assert_eq!(code1.on_error, Some(ErrorPolicy::Route { to: id("merge") }), "the `error` connection key");
}

#[test]
fn n8n_triggers_code_and_requests_carry_over() {
    let w = imported("n8n--schedule-code-if-v2.json");
    assert_eq!(w.bundle.workflow.triggers, vec![Trigger::Schedule { cron: "0 0 * * *".into(), timezone: None }]);
    let Step::Condition(c) = &w.bundle.workflow.steps[&id("if")] else { panic!() };
    assert_eq!(c.branches[0].when, "(input.data) < 5");
    assert!(w.bundle.scripts[&id("code")].contains("    return Array.from({length:10})"), "the code is kept, indented inside run");

    let w = imported("n8n--manual-wait-http-request-v3.json");
    let Step::Wait(wait) = &w.bundle.workflow.steps[&id("wait")] else { panic!() };
    assert_eq!(wait.duration_ms, Some(2_000));
    let Step::ApiCall(call) = &w.bundle.workflow.steps[&id("request")] else { panic!() };
    assert_eq!((call.source.as_str(), call.path.as_str()), ("api-ipify-org", "/?format=json"));
    assert_eq!(w.sources[&id("api-ipify-org")].base_url, "https://api.ipify.org");
}

#[test]
fn code_that_reads_other_nodes_is_marked_unfinished_and_the_import_still_succeeds() {
    let w = imported("n8n--error-outputs-onerror.json");
    let unfinished: Vec<&str> = w.unfinished().iter().map(|(s, _)| s.as_str()).collect();
    assert!(unfinished.contains(&"success"), "`$('Mock Data')` reads another node: {unfinished:?}");
    assert!(!unfinished.contains(&"throw-error"), "plain item code translates: {unfinished:?}");
    let flows = imported_all("nodered--link-call.json");
    assert_eq!(flows.len(), 4, "three inject-started flows and the link-in subroutine");
    assert!(flows[0].unfinished().iter().any(|(_, why)| why.contains("`link call`")), "{}", summary(&flows[0]));
}

#[test]
fn node_red_switch_catch_and_change_carry_over() {
    let w = imported("nodered--switch-select-port.json");
    let wf = &w.bundle.workflow;
    let Step::Condition(c) = &wf.steps[&wf.start] else { panic!("{}", summary(&w)) };
    let whens: Vec<&str> = c.branches.iter().map(|b| b.when.as_str()).collect();
    assert_eq!(whens, ["input[\"payload\"] < 0", "input[\"payload\"] === 0", "input[\"payload\"] > 0"]);
    assert!(w.bundle.scripts[&id("positive")].contains("put(msg, [\"payload\"], \"positive\");"));

    let w = imported("nodered--function-handling-errors.json");
    let Step::CustomCode(f) = &w.bundle.workflow.steps[&id("report-error")] else { panic!("{}", summary(&w)) };
    assert!(matches!(&f.on_error, Some(ErrorPolicy::Route { .. })), "the catch node scoped to the function routes its errors");
}

#[test]
fn what_is_not_an_export_fails_with_a_clear_error() {
    for (text, format, says) in [
        ("{\"nodes\": 3}", FlowFormat::N8n, "no `nodes` list"),
        ("[1, 2", FlowFormat::NodeRed, "not JSON"),
        ("\"flows\"", FlowFormat::NodeRed, "not a list of nodes"),
    ] {
        match import(text, format, "x") {
            Err(ImportError::Invalid(m)) => assert!(m.contains(says), "{m}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    // Stranger shapes still import: nodes without names, types or wires.
    let odd = r#"{"nodes": [{"name": "A"}, {"type": 5}, {"name": "B", "type": "n8n-nodes-base.code", "parameters": {"jsCode": 7}}], "connections": {"A": {"main": [[{"node": "nowhere"}], "x"]}}}"#;
    let flows = import(odd, FlowFormat::N8n, "odd").unwrap();
    let steps: usize = flows.iter().map(|w| w.bundle.workflow.steps.len()).sum();
    assert!(steps >= 2, "{}", summary(&flows[0]));
}

#[test]
fn many_nodes_are_refused_before_any_is_built() {
    let nodes: Vec<String> = (0..2_001).map(|i| format!("{{\"id\": \"n{i}\", \"type\": \"debug\", \"wires\": []}}")).collect();
    let text = format!("[{}]", nodes.join(","));
    assert!(matches!(import(&text, FlowFormat::NodeRed, "big"), Err(ImportError::Invalid(m)) if m.contains("at most 2000")));
}

#[test]
fn a_tab_of_separate_flows_becomes_one_workflow_each_with_its_own_sources() {
    let flows = imported_all("nodered--http-endpoint.json");
    let starts: Vec<&str> = flows.iter().map(|w| w.bundle.workflow.start.as_str()).collect();
    assert_eq!(starts, ["page", "http-request", "http-request"], "the HTTP endpoint first, then the two requests");
    assert!(flows[0].sources.is_empty());
    assert_eq!(flows[1].sources[&id("localhost-1880")].base_url, "http://localhost:1880");
    assert!(flows.iter().all(|w| w.bundle.workflow.triggers.len() == 1));
}

#[test]
fn a_function_with_two_outputs_keeps_both_connections() {
    let w = imported("nodered--function-multiple-outputs.json");
    let Step::Condition(c) = &w.bundle.workflow.steps[&id("return-array-of-messages-outputs")] else { panic!("{}", summary(&w)) };
    assert_eq!(c.branches[0].next.as_ref().map(Id::as_str), Some("debug-2"));
    assert_eq!(c.otherwise.as_ref().map(Id::as_str), Some("debug"));
}
