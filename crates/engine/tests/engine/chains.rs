//! Consecutive code steps go to the worker as one chain: the run must be the
//! same as with one call each (answers, console, random numbers, clock,
//! error policies), a script that never ends must still be the one blamed,
//! and a run that stops halfway must not leave its worker's later answers
//! to the next run.

use atelier_engine::trace::{ErrorKind, RunStatus};
use atelier_engine::{run_workflow, RunOptions, TraceEvent, WorkerPool};
use atelier_model::Project;
use serde_json::{json, Value};

use crate::support::{id, pool_with_timeout, project};

fn run_on(pool: &WorkerPool, p: &Project, opts: &RunOptions) -> (atelier_engine::RunResult, Vec<TraceEvent>) {
    let mut events = Vec::new();
    let r = run_workflow(p, &id("w"), pool, opts, &mut |_| None, &mut |e| events.push(e)).unwrap();
    (r, events)
}

/// A code step as it ran: id, input, output, console, error.
type Ran = (String, Value, Option<Value>, Vec<String>, Option<String>);

/// Each code step as it ran, in order.
fn code_steps(events: &[TraceEvent]) -> Vec<Ran> {
    let mut inputs = std::collections::VecDeque::new();
    let mut out = Vec::new();
    for e in events {
        match e {
            TraceEvent::StepStarted { step, input, .. } if step.starts_with('s') => inputs.push_back(input.clone()),
            TraceEvent::StepFinished { step, output, logs, error, .. } if step.starts_with('s') => out.push((
                step.clone(),
                inputs.pop_front().unwrap(),
                output.clone(),
                logs.iter().map(|l| l.message.clone()).collect(),
                error.as_ref().map(|e| e.message.clone()),
            )),
            _ => {}
        }
    }
    out
}

const STEP: &str = "function run(i) { console.log(`at ${i.n}`); return { ...i, n: i.n + 1, r: Math.random(), t: Date.now() }; }";

/// Steps s0..s{n-1} of `STEP`, each going to the next; with `apart`, a condition between each two keeps them from chaining.
fn chain(n: usize, apart: bool) -> Project {
    let mut steps = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 < n {
            if apart {
                format!("c{i}")
            } else {
                format!("s{}", i + 1)
            }
        } else {
            "done".to_owned()
        };
        steps.insert(format!("s{i}"), json!({"kind": "data_transform", "name": format!("S{i}"), "next": next}));
        if apart && i + 1 < n {
            steps.insert(
                format!("c{i}"),
                json!({"kind": "condition", "name": "C", "branches": [{"when": "true", "next": format!("s{}", i + 1)}]}),
            );
        }
    }
    steps.insert("done".into(), json!({"kind": "end", "name": "Done"}));
    let scripts: Vec<(String, &str)> = (0..n).map(|i| (format!("s{i}"), STEP)).collect();
    let scripts: Vec<(&str, &str)> = scripts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    project(json!({"name": "W", "start": "s0", "steps": steps}), &scripts)
}

#[test]
fn a_chain_runs_as_one_call_per_step_would() {
    let pool = pool_with_timeout(5000);
    let opts = RunOptions::new(json!({"n": 0}), 7);
    let (chained, a) = run_on(&pool, &chain(5, false), &opts);
    let (apart, b) = run_on(&pool, &chain(5, true), &opts);
    assert_eq!(chained.status, RunStatus::Completed);
    assert_eq!(chained.output, apart.output, "the same answer, random numbers and clock included");
    assert_eq!(code_steps(&a), code_steps(&b));
    assert_eq!(code_steps(&a)[4].3, ["at 4"], "each step's console is its own");
}

#[test]
fn a_script_that_never_ends_inside_a_chain_is_the_one_blamed() {
    let wf = json!({"name": "W", "start": "s0", "steps": {
        "s0": {"kind": "data_transform", "name": "A", "next": "s1"},
        "s1": {"kind": "data_transform", "name": "B", "next": "s2"},
        "s2": {"kind": "data_transform", "name": "C", "next": "done"},
        "done": {"kind": "end", "name": "Done"}
    }});
    let p = project(wf, &[("s0", STEP), ("s1", "function run() { for (;;) { [1, 2, 3].map(x => x); } }"), ("s2", STEP)]);
    let pool = pool_with_timeout(300);
    let (r, events) = run_on(&pool, &p, &RunOptions::new(json!({"n": 0}), 0));
    assert_eq!(r.status, RunStatus::Failed);
    let steps = code_steps(&events);
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert_eq!((steps[0].0.as_str(), steps[0].4.as_deref()), ("s0", None));
    assert_eq!((steps[1].0.as_str(), steps[1].4.as_deref()), ("s1", Some("limit exceeded: time (300 ms)")));
    // The next run gets a fresh worker and the whole chain.
    let (again, _) = run_on(&pool, &chain(3, false), &RunOptions::new(json!({"n": 0}), 0));
    assert_eq!(again.output.unwrap()["n"], 3);
}

#[test]
fn a_failure_inside_a_chain_follows_the_step_s_policy() {
    let wf = json!({"name": "W", "start": "s0", "steps": {
        "s0": {"kind": "data_transform", "name": "A", "next": "s1"},
        "s1": {"kind": "data_transform", "name": "B", "next": "s2", "on_error": {"policy": "route", "to": "s3"}},
        "s2": {"kind": "data_transform", "name": "C", "next": "done"},
        "s3": {"kind": "data_transform", "name": "Handle", "next": "s4"},
        "s4": {"kind": "data_transform", "name": "After", "next": "done"},
        "done": {"kind": "end", "name": "Done"}
    }});
    let p = project(
        wf,
        &[
            ("s0", STEP),
            ("s1", "function run(i) { throw new Error('no rate'); }"),
            ("s2", STEP),
            ("s3", "function run(i) { return { ...i, handled: i.error.message }; }"),
            ("s4", STEP),
        ],
    );
    let pool = pool_with_timeout(5000);
    let (r, events) = run_on(&pool, &p, &RunOptions::new(json!({"n": 0}), 0));
    assert_eq!(r.status, RunStatus::Completed);
    let ran: Vec<String> = code_steps(&events).into_iter().map(|s| s.0).collect();
    assert_eq!(ran, ["s0", "s1", "s3", "s4"], "s2 never ran");
    let out = r.output.unwrap();
    assert_eq!(out["handled"], "steps/s1.js: Error: no rate");
    assert_eq!(out["n"], 2);
}

#[test]
fn a_run_stopped_halfway_leaves_no_answers_to_the_next_run() {
    let pool = pool_with_timeout(5000);
    let mut opts = RunOptions::new(json!({"n": 0}), 0);
    opts.max_attempts = 3;
    let (r, events) = run_on(&pool, &chain(50, false), &opts);
    assert_eq!(r.status, RunStatus::Failed);
    assert_eq!(r.error.unwrap().kind, ErrorKind::Timeout);
    assert_eq!(code_steps(&events).len(), 3);
    // A different workflow on the same pool: its answers are its own.
    let (next, _) = run_on(&pool, &chain(2, false), &RunOptions::new(json!({"n": 100}), 0));
    assert_eq!(next.output.unwrap()["n"], 102);
}
