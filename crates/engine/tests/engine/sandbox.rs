//! Direct calls into the worker sandbox.

use atelier_engine::protocol::{Call, FailureKind, Outcome};
use serde_json::{json, Value};

use crate::support::{pool, pool_with_timeout};

fn script(code: &str, input: Value) -> Call {
    Call::Script { file: "steps/t.js".into(), code: code.into(), input }
}

fn ok(outcome: Outcome) -> Value {
    match outcome {
        Outcome::Ok { value } => value,
        Outcome::Failed { kind, message } => panic!("{kind:?}: {message}"),
    }
}

fn failure(outcome: Outcome) -> (FailureKind, String) {
    match outcome {
        Outcome::Failed { kind, message } => (kind, message),
        Outcome::Ok { value } => panic!("expected a failure, got {value}"),
    }
}

#[test]
fn runs_a_step_and_returns_its_state_and_logs() {
    let p = pool();
    let mut lease = p.lease();
    let r = lease.call(
        script("function run(input) { console.log('n is', input.n, {a: 1}); return { n: input.n * 2 }; }", json!({"n": 21})),
        0,
        1,
    );
    assert_eq!(ok(r.outcome), json!({"n": 42}));
    assert_eq!(r.logs.len(), 1);
    assert_eq!(r.logs[0].message, "n is 21 {\"a\":1}");
}

#[test]
fn date_and_random_follow_the_preview_clock_and_seed() {
    let p = pool();
    let code = "function run() { return { now: Date.now(), iso: new Date().toISOString(), r: [Math.random(), Math.random()], day: atelier.isoDate() }; }";
    let a = ok(p.lease().call(script(code, json!({})), 1_793_696_400_000, 7).outcome);
    let b = ok(p.lease().call(script(code, json!({})), 1_793_696_400_000, 7).outcome);
    assert_eq!(a, b, "same clock and seed, same answer");
    assert_eq!(a["now"], json!(1_793_696_400_000i64));
    assert_eq!(a["iso"], "2026-11-03T09:00:00.000Z");
    assert_eq!(a["day"], "2026-11-03");
    let c = ok(p.lease().call(script(code, json!({})), 1_793_696_400_000, 8).outcome);
    assert_ne!(a["r"], c["r"], "another seed, other numbers");
}

#[test]
fn conditions_are_expressions_over_input() {
    let p = pool();
    let mut l = p.lease();
    let yes = l.call(Call::Expression { expr: "input.amount > 1000".into(), input: json!({"amount": 1200}) }, 0, 0);
    let no = l.call(Call::Expression { expr: "input.amount > 1000 // a comment".into(), input: json!({"amount": 5}) }, 0, 0);
    assert_eq!((ok(yes.outcome), ok(no.outcome)), (json!(true), json!(false)));
}

#[test]
fn errors_say_what_and_where() {
    let p = pool();
    let mut l = p.lease();
    let (k, m) = failure(l.call(script("function run( {", json!({})), 0, 0).outcome);
    assert_eq!(k, FailureKind::Syntax, "{m}");
    assert!(m.starts_with("steps/t.js: SyntaxError"), "{m}");
    let (k, m) = failure(l.call(script("function run() { throw new TypeError('no rate'); }", json!({})), 0, 0).outcome);
    assert_eq!((k, m.as_str()), (FailureKind::Thrown, "steps/t.js: TypeError: no rate"));
    let (_, m) = failure(l.call(script("function run() { throw {code: 42}; }", json!({})), 0, 0).outcome);
    assert_eq!(m, "steps/t.js: threw {\"code\":42}");
    let (_, m) = failure(l.call(script("const x = 1;", json!({})), 0, 0).outcome);
    assert!(m.contains("does not define `function run(input)`"), "{m}");
}

#[test]
fn a_session_is_fresh_for_every_run() {
    let p = pool();
    let pollute = "function run(input) { Object.prototype.polluted = 'yes'; globalThis.leak = 1; return input; }";
    // Alone, so that no other new global gives it away.
    let index = "function run(input) { globalThis[0] = 'indexed'; return input; }";
    let probe = "function run() { return { polluted: ({}).polluted || null, leak: typeof leak, indexed: globalThis[0] || null }; }";
    {
        let mut l = p.lease();
        ok(l.call(script(pollute, json!({})), 0, 0).outcome);
        ok(l.call(Call::Script { file: "steps/u.js".into(), code: index.into(), input: json!({}) }, 0, 0).outcome);
    }
    // The same worker process serves the next run, in a new realm.
    let v = ok(p.lease().call(script(probe, json!({})), 0, 0).outcome);
    assert_eq!(v, json!({"polluted": null, "leak": "undefined", "indexed": null}));
}

#[test]
fn the_same_code_starts_afresh_in_every_run() {
    // The realm keeps one maker per text between runs; nothing a run does
    // through its top-level code, its closures or the maker may reach the next.
    let p = pool();
    let step = "let calls = 0;\nfunction run() {\n  calls += 1;\n  run.marks = (run.marks || 0) + 1;\n  return { calls, marks: run.marks, arguments: typeof arguments };\n}\n";
    let condition =
        "(typeof input.f === 'function' ? input.f : 0) || (() => { try { return Object.isFrozen(this) } catch (e) { return 'thrown' } })()";
    let mut answers = Vec::new();
    for _ in 0..2 {
        let mut l = p.lease();
        let v = ok(l.call(script(step, json!({})), 0, 0).outcome);
        let again = ok(l.call(script(step, json!({})), 0, 0).outcome);
        let c = ok(l.call(Call::Expression { expr: condition.into(), input: json!({}) }, 0, 0).outcome);
        answers.push((v, again, c));
    }
    let first =
        (json!({"calls": 1, "marks": 1, "arguments": "object"}), json!({"calls": 2, "marks": 2, "arguments": "object"}), json!(false));
    assert_eq!(answers, vec![first.clone(), first], "a run sees its own calls only, and the second run starts where the first did");
}

#[test]
fn what_a_step_s_top_level_code_draws_does_not_depend_on_what_ran_before() {
    let p = pool();
    let top = "const r = Math.random();\nfunction run() { return { r }; }";
    let draw = "function run() { for (let i = 0; i < 7; i++) Math.random(); return {}; }";
    let alone = ok(p.lease().call(script(top, json!({})), 0, 0).outcome);
    let mut l = p.lease();
    ok(l.call(Call::Script { file: "steps/draw.js".into(), code: draw.into(), input: json!({}) }, 0, 0).outcome);
    let after = ok(l.call(script(top, json!({})), 0, 0).outcome);
    assert_eq!(alone, after);
}

#[test]
fn a_runaway_is_killed_at_the_time_limit_and_the_next_call_works() {
    let p = pool_with_timeout(300);
    let mut l = p.lease();
    let started = std::time::Instant::now();
    let (k, m) = failure(l.call(script("function run() { for (;;) { [1,2,3].map(x => x); } }", json!({})), 0, 0).outcome);
    assert_eq!((k, m.as_str()), (FailureKind::Limit, "limit exceeded: time (300 ms)"));
    assert!(started.elapsed().as_millis() < 2000);
    assert_eq!(ok(l.call(script("function run() { return 1; }", json!({})), 0, 0).outcome), json!(1));
}

#[test]
fn a_chain_answers_script_by_script_and_stops_at_the_first_failure() {
    use atelier_engine::pool::ChainScript;
    let step = |file: &str, code| ChainScript { file: file.into(), code };
    let p = pool();
    let mut l = p.lease();
    let add = "function run(i) { console.log('add'); return { n: i.n + 1 }; }";
    let steps = vec![
        step("steps/a.js", add),
        step("steps/b.js", add),
        step("steps/c.js", "function run(i) { throw new Error('stop'); }"),
        step("steps/d.js", add),
    ];
    l.start_chain(&steps, json!({"n": 0}), 0, 0).map_err(|r| format!("{:?}", r.outcome)).unwrap();
    let first = l.next_answer();
    assert_eq!((ok(first.outcome), first.logs.len()), (json!({"n": 1}), 1));
    assert_eq!(ok(l.next_answer().outcome), json!({"n": 2}), "each script gets the one before's result");
    assert!(l.in_chain());
    let (k, m) = failure(l.next_answer().outcome);
    assert_eq!((k, m.as_str()), (FailureKind::Thrown, "steps/c.js: Error: stop"));
    assert!(!l.in_chain(), "the worker stopped at the failure; d never ran");
    assert_eq!(failure(l.next_answer().outcome).1, "no chain is running");
    // The same worker answers the next call.
    assert_eq!(ok(l.call(script("function run() { return 1; }", json!({})), 0, 0).outcome), json!(1));
}

#[test]
fn a_chain_s_code_is_sent_once_and_again_when_it_changes() {
    use atelier_engine::pool::ChainScript;
    fn step<'a>(file: &str, code: &'a str) -> ChainScript<'a> {
        ChainScript { file: file.into(), code }
    }
    let add = |n: u32| format!("function run(i) {{ return {{ n: i.n + {n} }}; }}");
    let (add1, add5, add10, add100) = (add(1), add(5), add(10), add(100));
    let p = pool();
    let mut l = p.lease();
    let mut run = |steps: Vec<ChainScript>| {
        l.start_chain(&steps, json!({"n": 0}), 0, 0).map_err(|r| format!("{:?}", r.outcome)).unwrap();
        let mut last = Value::Null;
        while l.in_chain() {
            match l.next_answer().outcome {
                Outcome::Ok { value } => last = value,
                other => return Err(format!("{other:?}")),
            }
        }
        Ok(last)
    };
    // The second run's request carries no code: the worker runs what it kept.
    let chain = || vec![step("steps/a.js", &add1), step("steps/b.js", &add10)];
    assert_eq!(run(chain()), Ok(json!({"n": 11})));
    assert_eq!(run(chain()), Ok(json!({"n": 11})));
    // A file whose code changed is sent again, and changed back again.
    assert_eq!(run(vec![step("steps/a.js", &add1), step("steps/b.js", &add100)]), Ok(json!({"n": 101})));
    assert_eq!(run(chain()), Ok(json!({"n": 11})));
    // A chain that stops at a failure has had all of its code kept: the
    // steps after the failure run in the next chain.
    let stop = "function run(i) { if (i.n === 1) throw new Error('stop'); return i; }";
    let with_stop = || vec![step("steps/a.js", &add1), step("steps/s.js", stop), step("steps/c.js", &add5)];
    assert!(run(with_stop()).unwrap_err().contains("stop"));
    assert_eq!(run(vec![step("steps/c.js", &add5), step("steps/a.js", &add1)]), Ok(json!({"n": 6})));
}

#[test]
fn a_chain_step_whose_code_the_worker_was_never_sent_is_a_clear_engine_error() {
    use std::io::{BufRead, BufReader, Write};
    let mut worker = std::process::Command::new(crate::support::worker().program)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let request = json!({"session": 1, "now_ms": 0, "seed": 0, "limits": {"loop_iterations": 1000, "recursion": 100, "max_output_bytes": 1000},
        "call": {"chain": {"steps": [{"file": "steps/never.js"}], "input": {}}}});
    writeln!(worker.stdin.take().unwrap(), "{request}").unwrap();
    let mut line = String::new();
    BufReader::new(worker.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let answer: atelier_engine::protocol::Response = serde_json::from_str(&line).unwrap();
    let (k, m) = failure(answer.outcome);
    assert_eq!((k, m.as_str()), (FailureKind::Engine, "the worker was not sent the code of steps/never.js"));
    worker.wait().unwrap();
}

#[test]
fn results_read_as_json_stringify_reads_them_and_their_getters_are_cleaned_up_after() {
    let cases = [
        (
            "function run() { return { when: new Date(0), n: 2.5, big: 1152921504606846976 }; }",
            json!({"when": "1970-01-01T00:00:00.000Z", "n": 2.5, "big": 1152921504606847000u64}),
        ),
        ("function run() { return { toJSON() { return { made: 'by toJSON' }; } }; }", json!({"made": "by toJSON"})),
        (
            "function run() { return { f() {}, u: undefined, list: [undefined, () => 1], nan: NaN }; }",
            json!({"list": [null, null], "nan": null}),
        ),
        ("function run() { return { get g() { globalThis.leaked = 1; return 'got'; } }; }", json!({"g": "got"})),
    ];
    for (code, want) in cases {
        let pool = pool();
        let mut l = pool.lease();
        assert_eq!(ok(l.call(script(code, json!({})), 0, 0).outcome), want, "{code}");
        let after = l.call(script("function run() { return { leaked: typeof leaked }; }", json!({})), 0, 0);
        assert_eq!(ok(after.outcome), json!({"leaked": "undefined"}), "a getter read with the result added a global: {code}");
    }
}
