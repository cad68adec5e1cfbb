//! `tests/fixtures/hostile/*.js`: scripts that try to hang, exhaust or escape
//! the sandbox. Each must end as a clear step error within its limit, the host
//! must survive, and the call after it must succeed.

use std::time::{Duration, Instant};

use atelier_engine::protocol::{Call, FailureKind, Outcome};
use serde_json::json;

use crate::support::{pool_with_timeout, repo_root};

/// `// expect: limit time|loop iterations` → (kind, alternatives).
fn expectation(code: &str) -> (FailureKind, Vec<String>) {
    let line = code.lines().next().unwrap();
    let rest = line.strip_prefix("// expect: ").expect("first line is `// expect: KIND TEXT|TEXT`");
    let (kind, alts) = rest.split_once(' ').unwrap();
    let kind = match kind {
        "limit" => FailureKind::Limit,
        "thrown" => FailureKind::Thrown,
        "syntax" => FailureKind::Syntax,
        other => panic!("unknown kind {other}"),
    };
    (kind, alts.split('|').map(str::to_owned).collect())
}

#[test]
fn every_hostile_script_ends_as_a_clear_error_and_the_host_survives() {
    const LIMIT_MS: u64 = 2000;
    let pool = pool_with_timeout(LIMIT_MS);
    let dir = repo_root().join("tests/fixtures/hostile");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 20, "at least 20 hostile scripts, found {}", files.len());
    let mut report = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let code = std::fs::read_to_string(&path).unwrap();
        let (want_kind, alternatives) = expectation(&code);
        let mut lease = pool.lease();
        let started = Instant::now();
        let call = Call::Script { file: format!("steps/{name}"), code, input: json!({}) };
        let outcome = lease.call(call, 0, 0).outcome;
        let took = started.elapsed();
        match outcome {
            Outcome::Failed { kind, message } => {
                // A killed worker can also be the honest answer to a script
                // expected to throw (memory runs out before the engine's error).
                let kind_ok = kind == want_kind || kind == FailureKind::Limit;
                assert!(
                    kind_ok && alternatives.iter().any(|a| message.contains(a.as_str())),
                    "{name}: expected {want_kind:?} containing one of {alternatives:?}, got {kind:?}: {message}"
                );
                report.push(format!("{name}: {message} ({} ms)", took.as_millis()));
            }
            Outcome::Ok { value } => panic!("{name}: finished with {value:.200}"),
        }
        assert!(took < Duration::from_millis(LIMIT_MS + 1500), "{name} took {took:?}");
        // The same lease (a fresh worker when the last one was killed) runs the next script.
        let next = lease.call(
            Call::Script { file: "steps/ok.js".into(), code: "function run(i) { return {ok: true}; }".into(), input: json!({}) },
            0,
            0,
        );
        assert!(matches!(next.outcome, Outcome::Ok { .. }), "{name}: the call after it failed: {:?}", next.outcome);
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn code_that_nests_without_brackets_costs_its_worker_not_the_host() {
    // The bracket count before parsing sees none of this; boa's parser
    // recurses once an operator and overflows the worker's stack. The host
    // says so, and the next call gets a fresh worker.
    let pool = pool_with_timeout(5000);
    let mut lease = pool.lease();
    let code = format!("function run(input) {{ return {}input; }}", "!".repeat(200_000));
    match lease.call(Call::Script { file: "steps/flood.js".into(), code, input: json!({}) }, 0, 0).outcome {
        Outcome::Failed { kind, message } => {
            assert_eq!((kind, message.as_str()), (FailureKind::Limit, "limit exceeded: stack (the script nests or recurses too deeply)"))
        }
        other => panic!("{other:?}"),
    }
    let next = lease.call(
        Call::Script { file: "steps/ok.js".into(), code: "function run(i) { return {ok: true}; }".into(), input: json!({}) },
        0,
        0,
    );
    assert!(matches!(next.outcome, Outcome::Ok { .. }), "{:?}", next.outcome);
}
