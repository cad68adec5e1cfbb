//! Engine costs, each beside what it is made of: overhead per non-JS step, a
//! warm JS call through the worker, a cold worker, and a 1,000-step run of
//! small JS transforms end to end.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use atelier_engine::protocol::{Call, ScriptLimits};
use atelier_engine::{run_workflow, RunOptions, SandboxLimits, WorkerCommand, WorkerPool};
use atelier_model::project::WorkflowBundle;
use atelier_model::source::Source;
use atelier_model::test_case::{Mock, MockResponse};
use atelier_model::workflow::{ApiCallStep, CodeStep, EndStep, HttpMethod, Step, Workflow};
use atelier_model::{Id, Manifest, Project};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

fn pool() -> WorkerPool {
    let cmd = WorkerCommand { program: PathBuf::from(env!("CARGO_BIN_EXE_atelier-js-worker")), args: vec![] };
    WorkerPool::new(cmd, SandboxLimits { timeout: Duration::from_secs(5), memory_mb: 256, script: ScriptLimits::default() })
}

fn id(s: String) -> Id {
    Id::new(s).unwrap()
}

/// A linear workflow of `n` steps made by `make(i, next)`, then an end step.
fn linear(n: usize, make: impl Fn(usize, Id) -> Step, scripts: Option<&str>) -> Project {
    let mut p = Project::new(Manifest::new("Bench"));
    p.sources.insert(
        id("api".into()),
        Source {
            schema: None,
            name: "API".into(),
            description: String::new(),
            base_url: "https://api.example.com".into(),
            auth: Default::default(),
            headers: BTreeMap::new(),
            timeout_ms: None,
            operations: Default::default(),
        },
    );
    let mut steps = BTreeMap::new();
    let mut code = BTreeMap::new();
    for i in 0..n {
        steps.insert(id(format!("s{i:05}")), make(i, id(format!("s{:05}", i + 1))));
        if let Some(c) = scripts {
            code.insert(id(format!("s{i:05}")), c.to_owned());
        }
    }
    steps.insert(
        id(format!("s{n:05}")),
        Step::End(EndStep { name: "End".into(), description: String::new(), status: Default::default(), output: None }),
    );
    let workflow = Workflow {
        schema: None,
        name: "Linear".into(),
        description: String::new(),
        triggers: vec![],
        start: id("s00000".into()),
        steps,
        on_error: None,
        timeout_ms: None,
    };
    p.workflows.insert(id("w".into()), WorkflowBundle { workflow, layout: Default::default(), scripts: code, tests: BTreeMap::new() });
    p
}

const ADD_AND_SUM: &str =
    "function run(input) {\n  const sum = [1, 2, 3, 4, 5].reduce((a, b) => a + b, 0);\n  return { counter: input.counter + 1, sum };\n}\n";

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.sample_size(20);

    // Overhead per non-JS step: 1,000 mocked api_calls in a row.
    let api = linear(
        1000,
        |i, next| {
            Step::ApiCall(ApiCallStep {
                name: format!("Call {i}"),
                description: String::new(),
                source: id("api".into()),
                method: HttpMethod::Get,
                path: "/ping".into(),
                headers: BTreeMap::new(),
                body: None,
                save_as: Some("ping".into()),
                next: Some(next),
                on_error: None,
                timeout_ms: None,
            })
        },
        None,
    );
    let mut opts = RunOptions::new(json!({"counter": 0}), 0);
    opts.mocks = vec![Mock {
        method: HttpMethod::Get,
        url: "https://api.example.com/ping".into(),
        body: None,
        response: MockResponse { status: 200, headers: BTreeMap::new(), body: json!({"ok": true}) },
    }];
    let p = pool();
    g.bench_function("non_js_steps_x1000", |b| {
        b.iter(|| run_workflow(&api, &id("w".into()), &p, &opts, &mut |_| None, &mut |_| {}).unwrap())
    });

    // A warm JS call: same worker, same session, compiled code cached.
    let mut lease = p.lease();
    let call = Call::Script { file: "steps/s.js".into(), code: ADD_AND_SUM.into(), input: json!({"counter": 1}) };
    g.bench_function("warm_js_call_round_trip", |b| b.iter(|| lease.call(call.clone(), 0, 0)));
    drop(lease);

    // A cold worker: process start, realm, prelude, compile, first call.
    g.bench_function("cold_worker_first_call", |b| {
        b.iter(|| {
            let fresh = pool();
            let mut l = fresh.lease();
            l.call(call.clone(), 0, 0)
        })
    });

    // 1,000 small JS transforms end to end, warm pool.
    let js = linear(
        1000,
        |i, next| {
            Step::DataTransform(CodeStep {
                name: format!("Add {i}"),
                description: String::new(),
                unfinished: None,
                next: Some(next),
                on_error: None,
                timeout_ms: None,
            })
        },
        Some(ADD_AND_SUM),
    );
    let opts = RunOptions::new(json!({"counter": 0}), 0);
    let r = run_workflow(&js, &id("w".into()), &p, &opts, &mut |_| None, &mut |_| {}).unwrap();
    assert_eq!(r.output.unwrap()["counter"], json!(1000));
    g.bench_function("js_linear_x1000_end_to_end", |b| {
        b.iter(|| run_workflow(&js, &id("w".into()), &p, &opts, &mut |_| None, &mut |_| {}).unwrap())
    });

    // A runaway killed at a 100 ms limit, and the next call served by its
    // replacement: the time past 100 ms is the cost of kill and replace.
    let strict = WorkerPool::new(
        WorkerCommand { program: PathBuf::from(env!("CARGO_BIN_EXE_atelier-js-worker")), args: vec![] },
        SandboxLimits { timeout: Duration::from_millis(100), memory_mb: 256, script: ScriptLimits::default() },
    );
    strict.prewarm();
    let spin =
        Call::Script { file: "steps/spin.js".into(), code: "function run() { for (;;) { [2, 1].sort(); } }".into(), input: json!({}) };
    g.sample_size(10);
    g.bench_function("runaway_100ms_limit_kill_replace_next_call", |b| {
        b.iter(|| {
            let mut l = strict.lease();
            l.call(spin.clone(), 0, 0);
            l.call(call.clone(), 0, 0)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
