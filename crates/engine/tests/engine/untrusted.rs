//! A design file is written by a stranger: it may ask, never grant; no step
//! can change what another computes; nothing it holds panics, hangs or
//! fills the memory. Each case here was once tried as an attacker would.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use atelier_engine::case::{junit_xml, run_case};
use atelier_engine::protocol::{Call, FailureKind, Outcome, ScriptLimits};
use atelier_engine::trace::{ErrorKind, RunStatus};
use atelier_engine::{run_workflow, LiveGrants, RunOptions, SandboxLimits, WorkerCommand, WorkerPool};
use atelier_model::test_case::TestCase;
use atelier_model::Project;
use serde_json::{json, Value};

use crate::support::{example, id, json_response, pool, pool_with_timeout, project, redirect, serve, worker};

/// The example with its currency source pointed at `base_url`.
fn example_at(base_url: String) -> Project {
    let mut p = example();
    p.sources.get_mut(&id("fx-rates")).unwrap().base_url = base_url;
    let wf = p.workflows.get_mut(&id("expense-approval")).unwrap();
    if let Some(atelier_model::workflow::Step::ApiCall(a)) = wf.workflow.steps.get_mut(&id("fetch-rate")) {
        a.on_error = None;
    }
    p
}

fn fx_options(grants: LiveGrants) -> RunOptions {
    let mut opts = RunOptions::new(json!({"amount": 10, "currency": "USD"}), 0);
    opts.grants = grants;
    opts
}

#[test]
fn a_design_cannot_name_an_environment_variable_as_its_secret() {
    // The variable the source names is set in this process, the host is
    // granted, but the person granted no secret: nothing is read, nothing sent.
    std::env::set_var("FX_API_KEY", "leaked-if-you-see-this");
    let p = example_at("http://127.0.0.1:9/v1".into());
    let grants = LiveGrants { live_hosts: vec!["127.0.0.1".into()], ..LiveGrants::default() };
    let r = run_workflow(&p, &id("expense-approval"), &pool(), &fx_options(grants), &mut |_| None, &mut |_| {}).unwrap();
    let e = r.error.unwrap();
    assert_eq!(e.kind, ErrorKind::Http);
    assert!(e.message.starts_with("secret `FX_API_KEY` is not granted on this machine; set ATELIER_SECRET_FX_API_KEY"), "{}", e.message);
}

#[test]
fn a_redirect_to_another_host_is_refused_and_the_secret_stays_home() {
    // `localhost` and `127.0.0.1` are different hosts to a browser and to us.
    let (port, server) = serve(vec![redirect("http://localhost:9/steal")]);
    let p = example_at(format!("http://127.0.0.1:{port}/v1"));
    let mut grants = LiveGrants { live_hosts: vec!["127.0.0.1".into(), "localhost".into()], ..LiveGrants::default() };
    grants.secrets.insert("FX_API_KEY".into(), "k-123".into());
    let r = run_workflow(&p, &id("expense-approval"), &pool(), &fx_options(grants), &mut |_| None, &mut |_| {}).unwrap();
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 1);
    let e = r.error.unwrap();
    assert_eq!(e.kind, ErrorKind::Http);
    assert!(e.message.contains("a redirect to another host or scheme (`http://localhost:9/steal`) is refused"), "{}", e.message);
}

#[test]
fn a_redirect_on_the_same_host_is_followed_with_the_secret() {
    let (port, server) = serve(vec![redirect("/v2/latest"), json_response(200, r#"{"rates": {"EUR": 0.5}}"#)]);
    let p = example_at(format!("http://127.0.0.1:{port}/v1"));
    let mut grants = LiveGrants { live_hosts: vec!["127.0.0.1".into()], ..LiveGrants::default() };
    grants.secrets.insert("FX_API_KEY".into(), "k-123".into());
    let r = run_workflow(&p, &id("expense-approval"), &pool(), &fx_options(grants), &mut |_| None, &mut |_| {}).unwrap();
    let seen = server.join().unwrap();
    assert!(seen[1].starts_with("GET /v2/latest HTTP/1.1"), "{}", seen[1]);
    assert!(seen[1].to_ascii_lowercase().contains("x-api-key: k-123"));
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.error);
}

#[test]
fn no_step_can_change_what_another_step_computes() {
    let wf = json!({"name": "W", "start": "evil", "steps": {
        "evil": {"kind": "custom_code", "name": "Evil", "next": "honest"},
        "honest": {"kind": "custom_code", "name": "Honest", "next": "check"},
        "check": {"kind": "condition", "name": "Check", "branches": [{"when": "typeof leak === 'undefined' && [1].map(x => x + 1)[0] === 2", "next": "done"}]},
        "done": {"kind": "end", "name": "Done"}}});
    let evil = r#"
        // Top-level code of one step, trying everything at once.
        try { globalThis.__atelier_invoke = function () { return '{"forged":true}'; }; } catch (_) {}
        try { atelier = { round: function () { return 42; } }; } catch (_) {}
        try { Array.prototype.map = function () { return [42]; }; } catch (_) {}
        try { Object.prototype.polluted = true; } catch (_) {}
        try { JSON.parse = function () { return {forged: true}; }; } catch (_) {}
        try { Math.round = function () { return 42; }; } catch (_) {}
        try { (0, eval)("var leak = 1"); } catch (_) {}
        leak = "implicit global";
        globalThis.other = "explicit global";
        // The built-ins live on the global object's frozen prototype: a
        // global of the same name shadows them, for this step alone.
        try { Object.defineProperty(globalThis, "Math", { value: { round: () => 42 }, configurable: true, writable: true }); } catch (_) {}
        try { delete Object.getPrototypeOf(globalThis).JSON; } catch (_) {}
        try { Object.getPrototypeOf(globalThis).atelier = { round: () => 42 }; } catch (_) {}
        function run(input) {
            leak2 = 1;
            try { Object.defineProperty(globalThis, "JSON", { value: { parse: () => ({ forged: true }) }, configurable: true }); } catch (_) {}
            return input;
        }
    "#;
    let honest = r#"function run(input) {
        return { ...input, round: atelier.round(2.345, 2), mapped: [1, 2].map(x => x * 2), polluted: ({}).polluted === true,
                 parsed: JSON.parse('{"a":1}'), leak: typeof leak, other: typeof other, leak2: typeof leak2, math: Math.round(2.6) };
    }"#;
    let p = project(wf, &[("evil", evil), ("honest", honest)]);
    let r = run_workflow(&p, &id("w"), &pool(), &RunOptions::new(json!({}), 0), &mut |_| None, &mut |_| {}).unwrap();
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.error);
    assert_eq!(
        r.output.unwrap(),
        json!({"round": 2.35, "mapped": [2, 4], "polluted": false, "parsed": {"a": 1},
               "leak": "undefined", "other": "undefined", "leak2": "undefined", "math": 3})
    );
}

#[test]
fn a_steps_own_top_level_globals_stay_its_own() {
    let p = pool();
    let mut lease = p.lease();
    let a = Call::Script {
        file: "steps/a.js".into(),
        code: "helper = function (x) { return x * 2; };\nfunction run(i) { total = (typeof total === 'number' ? total : 0) + 1; return { h: helper(2), total }; }".into(),
        input: json!({}),
    };
    let b = Call::Script {
        file: "steps/b.js".into(),
        code: "function run(i) { return { helper: typeof helper, total: typeof total }; }".into(),
        input: json!({}),
    };
    let value = |o: Outcome| match o {
        Outcome::Ok { value } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(value(lease.call(a.clone(), 0, 0).outcome), json!({"h": 4, "total": 1}));
    assert_eq!(value(lease.call(b, 0, 0).outcome), json!({"helper": "undefined", "total": "undefined"}));
    // The step's own helper is back for its next call; what one call set is not.
    assert_eq!(value(lease.call(a, 0, 0).outcome), json!({"h": 4, "total": 1}));
}

#[test]
fn common_script_patterns_still_work_on_frozen_built_ins() {
    let code = r#""use strict";
        class Invalid extends Error { constructor(m) { super(m); this.name = "Invalid"; } }
        function run(input) {
            const o = {}; o.toString = () => "mine"; o.constructor = "c";
            const e = new Error("x"); e.message = "changed";
            try { throw new Invalid("bad amount"); } catch (err) {
                return { name: err.name, message: err.message, s: String(o), c: o.constructor, m: e.message, isError: err instanceof Error };
            }
        }"#;
    let r = pool().lease().call(Call::Script { file: "steps/t.js".into(), code: code.into(), input: json!({}) }, 0, 0);
    match r.outcome {
        Outcome::Ok { value } => {
            assert_eq!(value, json!({"name": "Invalid", "message": "bad amount", "s": "mine", "c": "c", "m": "changed", "isError": true}))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_object_a_script_can_reach_from_the_global_scope_is_frozen() {
    // A script's own walk over everything the realm shows it: prototypes,
    // property values and accessors, and the intrinsics no global names.
    let code = r#"function run() {
        const intrinsics = [[][Symbol.iterator](), new Map().entries(), new Set().values(), ""[Symbol.iterator](),
            /a/[Symbol.matchAll](""), Int8Array, function* () {}, async function () {}, async function* () {}, [].values().map((x) => x)];
        const todo = [[globalThis, "globalThis"]].concat(intrinsics.map((o, i) => [Object.getPrototypeOf(o), "intrinsic " + i]));
        const seen = new Set();
        const open = [];
        let walked = 0;
        while (todo.length) {
            const [o, path] = todo.pop();
            if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o)) continue;
            seen.add(o);
            walked += 1;
            if (o !== globalThis && !Object.isFrozen(o)) open.push(path);
            todo.push([Object.getPrototypeOf(o), path + ".__proto__"]);
            for (const k of Reflect.ownKeys(o)) {
                const d = Object.getOwnPropertyDescriptor(o, k);
                const name = path + "." + String(k);
                if (o === globalThis && d.configurable) open.push(name + " (configurable)");
                for (const v of [d.value, d.get, d.set]) todo.push([v, name]);
                // What an accessor hands out (a tamed Object.prototype.toString).
                if (d.get) { try { todo.push([o[k], name + " (got)"]); } catch (_) { /* a getter for instances only */ } }
            }
        }
        return { open: open.slice(0, 20), many: walked > 600, random: Math.random.name + "/" + Math.random.length,
            hasOwn: Object.isFrozen(Object.prototype.hasOwnProperty) && Object.isFrozen(Object.prototype.toString) };
    }"#;
    let r = pool().lease().call(Call::Script { file: "steps/walk.js".into(), code: code.into(), input: json!({}) }, 0, 0);
    match r.outcome {
        Outcome::Ok { value } => assert_eq!(value, json!({"open": [], "many": true, "random": "random/0", "hasOwn": true})),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_global_that_cannot_be_removed_costs_the_realm_not_the_next_step() {
    let p = pool();
    let mut lease = p.lease();
    let stuck = "Object.defineProperty(globalThis, 'stuck', { value: 1, configurable: false });\nfunction run(i) { return i; }";
    let r = lease.call(Call::Script { file: "steps/s.js".into(), code: stuck.into(), input: json!({}) }, 0, 0);
    match r.outcome {
        Outcome::Failed { kind: FailureKind::Thrown, message } => assert!(message.contains("steps may not share globals"), "{message}"),
        other => panic!("{other:?}"),
    }
    let r = lease.call(
        Call::Script { file: "steps/n.js".into(), code: "function run(i) { return { t: typeof stuck }; }".into(), input: json!({}) },
        0,
        0,
    );
    assert!(matches!(r.outcome, Outcome::Ok { value } if value == json!({"t": "undefined"})));
}

#[test]
fn console_output_and_error_messages_are_capped() {
    let p = pool();
    let mut lease = p.lease();
    let flood = "function run(i) { for (let n = 0; n < 5000; n++) console.log('y'.repeat(9000)); return {}; }";
    let r = lease.call(Call::Script { file: "steps/f.js".into(), code: flood.into(), input: json!({}) }, 0, 0);
    let bytes: usize = r.logs.iter().map(|l| l.message.len()).sum();
    assert!(bytes <= 1024 * 1024 + 200, "{bytes} bytes of logs");
    assert!(r.logs.last().unwrap().message.starts_with("limit exceeded: console output"), "{:?}", r.logs.last());
    let huge = "function run(i) { throw new Error('z'.repeat(3000000)); }";
    match lease.call(Call::Script { file: "steps/e.js".into(), code: huge.into(), input: json!({}) }, 0, 0).outcome {
        Outcome::Failed { message, .. } => assert!(message.len() < 2100 && message.ends_with("… (cut)"), "{} bytes", message.len()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_host_reads_no_more_of_a_workers_answer_than_the_limits_allow() {
    // A "worker" that writes 64 MB without a newline: the host stops reading.
    let fake = WorkerCommand {
        program: "sh".into(),
        args: vec!["-c".into(), "head -c 67108864 /dev/zero | tr '\\0' a; sleep 5".into(), "sh".into()],
    };
    let limits = SandboxLimits {
        timeout: Duration::from_secs(20),
        memory_mb: 64,
        script: ScriptLimits { max_output_bytes: 1024, ..ScriptLimits::default() },
    };
    let pool = WorkerPool::new(fake, limits);
    let r = pool.lease().call(Call::Expression { expr: "true".into(), input: json!({}) }, 0, 0);
    match r.outcome {
        Outcome::Failed { kind: FailureKind::Limit, message } => {
            assert!(message.starts_with("limit exceeded: the worker's answer is over 4 MiB"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_worker_dies_with_its_host() {
    // The host (a shell) starts a worker busy in an endless loop, then exits.
    let request = serde_json::to_string(&atelier_engine::protocol::Request {
        session: 1,
        now_ms: 0,
        seed: 0,
        limits: ScriptLimits { loop_iterations: u64::MAX, ..ScriptLimits::default() },
        call: Call::Script { file: "steps/spin.js".into(), code: "function run() { for (;;) {} }".into(), input: json!({}) },
    })
    .unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"(printf '%s\n' "$1"; sleep 30) 2>/dev/null | "$2" --memory-mb 64 > /dev/null 2>&1 & echo $!; sleep 0.5"#)
        .arg("sh")
        .arg(request)
        .arg(&worker().program)
        .output()
        .unwrap();
    let pid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let gone = |pid: u32| match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z')),
    };
    let started = Instant::now();
    while !gone(pid) && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(gone(pid), "worker {pid} outlived its host by {:?}", started.elapsed());
}

#[test]
fn a_running_preview_can_be_cancelled() {
    let wf = json!({"name": "W", "start": "spin", "steps": {
        "spin": {"kind": "custom_code", "name": "Spin", "next": "done"}, "done": {"kind": "end", "name": "Done"}}});
    let p = project(wf, &[("spin", "function run(i) { for (;;) { [3, 1, 2].sort(); } }")]);
    let pool = pool_with_timeout(20_000);
    let cancel = Arc::new(AtomicBool::new(false));
    let mut opts = RunOptions::new(json!({}), 0);
    opts.cancel = Some(cancel.clone());
    let flag = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        flag.store(true, Ordering::Relaxed);
    });
    let started = Instant::now();
    let r = run_workflow(&p, &id("w"), &pool, &opts, &mut |_| None, &mut |_| {}).unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    assert_eq!(r.error.unwrap().kind, ErrorKind::Cancelled);
}

#[test]
fn backoff_near_the_end_of_time_neither_panics_nor_wraps() {
    let wf = json!({"name": "W", "start": "fail", "steps": {
        "fail": {"kind": "custom_code", "name": "Fail", "next": "done",
                 "on_error": {"policy": "retry", "max_attempts": 4, "backoff_ms": 9223372036854775000u64, "factor": 100}},
        "done": {"kind": "end", "name": "Done"}}});
    let p = project(wf, &[("fail", "function run(i) { throw new Error('no'); }")]);
    let r = run_workflow(&p, &id("w"), &pool(), &RunOptions::new(json!({}), i64::MAX - 10), &mut |_| None, &mut |_| {}).unwrap();
    assert_eq!(r.status, RunStatus::Failed);
    assert_eq!(r.attempts, 4);
}

fn case_project(code: &str, case: Value) -> Project {
    let wf = json!({"name": "W", "start": "make", "steps": {
        "make": {"kind": "custom_code", "name": "Make", "next": "done"}, "done": {"kind": "end", "name": "Done"}}});
    let mut p = project(wf, &[("make", code)]);
    let case: TestCase = serde_json::from_value(case).unwrap();
    p.workflows.get_mut(&id("w")).unwrap().tests.insert(id("c"), case);
    p
}

#[test]
fn a_clock_with_multibyte_characters_fails_the_case_instead_of_panicking() {
    let p = case_project("function run(i) { return i; }", json!({"name": "C", "input": {}, "clock": "2026-11-03T09:00:00\u{e9}\u{e9}"}));
    let r = run_case(&p, &id("w"), &id("c"), &pool(), &LiveGrants::default(), None, &mut |_| {}).unwrap();
    assert!(r.failures[0].starts_with("clock: `2026-11-03T09:00:00éé` is not an RFC 3339 time"), "{:?}", r.failures);
}

#[test]
fn a_huge_failing_output_is_summarised_quickly() {
    let p = case_project(
        "function run(i) { return { xs: Array.from({ length: 600000 }, (_, n) => n) }; }",
        json!({"name": "C", "input": {}, "expect": {"status": "completed", "output": {"xs": [1]}}}),
    );
    let started = Instant::now();
    let r = run_case(&p, &id("w"), &id("c"), &pool(), &LiveGrants::default(), None, &mut |_| {}).unwrap();
    let diff = r.output_diff.unwrap();
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert!(diff.contains("too large to show line by line"), "{diff:.300}");
    assert!(diff.len() < 500);
}

#[test]
fn junit_xml_stays_valid_whatever_a_script_printed() {
    let p = case_project(
        "function run(i) { return { title: '\\u001b]0;pwned\\u0007\\u001b]52;c;ZWNobyBoaQ==\\u0007 \\u0000 \\ufffe' }; }",
        json!({"name": "C \u{1b}[31m", "input": {}, "expect": {"status": "failed"}}),
    );
    let r = run_case(&p, &id("w"), &id("c"), &pool(), &LiveGrants::default(), None, &mut |_| {}).unwrap();
    let mut r2 = r.clone();
    r2.failures.push("output: \u{1b}]0;pwned\u{7} \u{0} \u{fffe}".into());
    let xml = junit_xml(&[r2]);
    let bad: Vec<char> =
        xml.chars().filter(|c| (*c < ' ' && !matches!(c, '\n' | '\r' | '\t')) || *c == '\u{fffe}' || *c == '\u{ffff}').collect();
    assert!(bad.is_empty(), "characters XML 1.0 cannot hold: {bad:?}");
    assert!(xml.contains("\\u{1b}]0;pwned\\u{7}"), "{xml}");
}

mod readers {
    use atelier_engine::clock::{format_rfc3339, parse_rfc3339};
    use atelier_engine::template::{render_str, render_value};
    use proptest::prelude::*;
    use serde_json::json;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn the_clock_reader_takes_any_text(s in "\\PC{0,40}|[0-9T:Z+.\u{e9}-]{18,30}") {
            if let Ok(ms) = parse_rfc3339(&s) {
                // A time it accepts formats and reads back to the same instant.
                prop_assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Ok(ms));
            }
        }

        #[test]
        fn placeholders_take_any_template(t in "[{}a-z. \u{e9}]{0,60}|\\PC{0,40}") {
            let state = json!({"a": {"b": [1, "x"]}, "big": "y".repeat(1000)});
            let _ = render_str(&t, &state);
            let _ = render_value(&json!({"k": [t]}), &state);
        }
    }
}

#[test]
fn a_run_has_a_real_time_limit_whatever_its_steps_do() {
    // Each attempt spends its whole script time limit; the policy retries
    // a hundred times. The run stops at its real-time limit instead.
    let wf = json!({"name": "W", "start": "spin", "steps": {
        "spin": {"kind": "custom_code", "name": "Spin", "next": "done",
                 "on_error": {"policy": "retry", "max_attempts": 100, "backoff_ms": 1}},
        "done": {"kind": "end", "name": "Done"}}});
    let p = project(wf, &[("spin", "function run(i) { for (;;) {} }")]);
    let mut opts = RunOptions::new(json!({}), 0);
    opts.wall_limit = Duration::from_millis(500);
    let started = Instant::now();
    let r = run_workflow(&p, &id("w"), &pool_with_timeout(150), &opts, &mut |_| None, &mut |_| {}).unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    let e = r.error.unwrap();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert_eq!(e.message, "limit exceeded: the run took more than 0.5 s of real time");
}

/// Runs `evil` then `honest` in one run; returns what `honest` saw.
fn after_evil(evil: &str, honest: &str) -> Value {
    let wf = json!({"name": "W", "start": "evil", "steps": {
        "evil": {"kind": "custom_code", "name": "Evil", "next": "honest", "on_error": {"policy": "continue"}},
        "honest": {"kind": "custom_code", "name": "Honest", "next": "done"},
        "done": {"kind": "end", "name": "Done"}}});
    let p = project(wf, &[("evil", evil), ("honest", honest)]);
    let r = run_workflow(&p, &id("w"), &pool(), &RunOptions::new(json!({}), 0), &mut |_| None, &mut |_| {}).unwrap();
    assert_eq!(r.status, RunStatus::Completed, "{:?}", r.error);
    r.output.unwrap()
}

#[test]
fn code_that_closes_its_wrapper_is_a_syntax_error_not_a_shared_global() {
    let evil = "})(); let shared = { n: 1 }; const total = 5; (function(){ function run(i) { return i; }";
    let out = after_evil(evil, "function run(i) { return { ...i, shared: typeof shared, total: (() => { try { return total; } catch (e) { return 'none'; } })() }; }");
    // The code is parsed as a function body on its own: it fails, and declares nothing.
    assert_eq!((&out["error"]["step"], &out["shared"], &out["total"]), (&json!("evil"), &json!("undefined"), &json!("none")), "{out}");
    let cond = Call::Expression { expr: "1); let leak = 1; (function(){ return (1".into(), input: json!({}) };
    assert!(matches!(pool().lease().call(cond, 0, 0).outcome, Outcome::Failed { kind: FailureKind::Syntax, .. }));
}

#[test]
fn iterator_helpers_random_numbers_and_thrown_getters_are_not_shared() {
    let evil = r#"
        try { Object.getPrototypeOf([].values().map(x => x)).next = () => ({ done: true }); } catch (_) {}
        try { Object.getPrototypeOf(Iterator.from({ next() { return { done: true }; } })).next = () => ({ done: true }); } catch (_) {}
        function run(i) {
            for (let n = 0; n < 1000; n++) Math.random();
            throw { get message() { globalThis.sneaky = 1; return "x"; }, toJSON() { globalThis.sneaky = 2; return {}; } };
        }"#;
    let honest =
        "function run(i) { return { mapped: [1, 2].values().map(x => x * 2).toArray(), r: Math.random(), sneaky: typeof sneaky }; }";
    let out = after_evil(evil, honest);
    let alone = after_evil("function run(i) { return i; }", honest);
    assert_eq!(out["mapped"], json!([2, 4]));
    assert_eq!(out["sneaky"], json!("undefined"));
    assert_eq!(out["r"], alone["r"], "the honest step's random numbers depend on what another step drew");
}

#[test]
fn two_steps_with_the_same_code_keep_their_own_state() {
    let code = "let calls = 0;\nfunction run(i) { calls += 1; return { ...i, [i.who]: calls, who: 'b' }; }";
    let wf = json!({"name": "W", "start": "a", "steps": {
        "a": {"kind": "custom_code", "name": "A", "next": "b"},
        "b": {"kind": "custom_code", "name": "B", "next": "done"},
        "done": {"kind": "end", "name": "Done"}}});
    let p = project(wf, &[("a", code), ("b", code)]);
    let r = run_workflow(&p, &id("w"), &pool(), &RunOptions::new(json!({"who": "a"}), 0), &mut |_| None, &mut |_| {}).unwrap();
    assert_eq!(r.output.unwrap(), json!({"a": 1, "b": 1, "who": "b"}));
}

#[test]
fn a_live_call_that_never_answers_times_out() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _hold = std::thread::spawn(move || {
        let kept: Vec<_> = listener.incoming().take(3).collect(); // accepts, never answers
        std::thread::sleep(Duration::from_secs(30));
        drop(kept);
    });
    let mut p = example_at(format!("http://127.0.0.1:{port}/v1"));
    p.sources.get_mut(&id("fx-rates")).unwrap().timeout_ms = Some(300);
    let mut grants = LiveGrants { live_hosts: vec!["127.0.0.1".into()], ..LiveGrants::default() };
    grants.secrets.insert("FX_API_KEY".into(), "k".into());
    let started = Instant::now();
    let r = run_workflow(&p, &id("expense-approval"), &pool(), &fx_options(grants), &mut |_| None, &mut |_| {}).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(r.error.unwrap().kind, ErrorKind::Http);
}

#[test]
fn a_step_s_top_level_names_do_not_change_how_another_step_compiles() {
    // Parsed in the realm's scope, `let shared` made every later step take
    // `shared` for a global binding: `typeof shared` threw, and so did
    // assigning it.
    let p = pool();
    let mut lease = p.lease();
    let a = "let shared = 1;\nfunction run(i) { return i; }";
    let b = "function run(i) { const before = typeof shared; shared = 5; return { before, after: typeof shared }; }";
    let mut answer =
        |file: &str, code: &str| lease.call(Call::Script { file: file.into(), code: code.into(), input: json!({}) }, 0, 0).outcome;
    assert!(matches!(answer("steps/a.js", a), Outcome::Ok { .. }));
    match answer("steps/b.js", b) {
        Outcome::Ok { value } => assert_eq!(value, json!({"before": "undefined", "after": "number"})),
        other => panic!("{other:?}"),
    }
}
