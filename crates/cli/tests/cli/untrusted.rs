//! `atelier` on a repository written by a stranger, as a reviewer runs it in
//! CI: it may ask, never grant; its text reaches the terminal escaped;
//! nothing it holds hangs the command or outlives it.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{self, Sandbox};

fn example(s: &Sandbox) {
    s.atelier().args(["init", "ex", "--example"]).assert().success();
}

/// An HTTP server on 127.0.0.1 that answers every request with an exchange
/// rate and reports each request it got.
fn rate_server() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let body = r#"{"rates": {"EUR": 0.5}}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tx.send(head);
        }
    });
    (port, rx)
}

/// The example, asking for live calls to a server on 127.0.0.1.
fn asking_example(s: &Sandbox, port: u16) {
    example(s);
    let manifest = s.path("ex/atelier.json");
    let mut m: serde_json::Value = serde_json::from_str(&fs::read_to_string(&manifest).unwrap()).unwrap();
    m["settings"] = serde_json::json!({"preview": {"live_hosts": ["127.0.0.1"]}});
    fs::write(&manifest, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let source = s.path("ex/sources/fx-rates.json");
    let text = fs::read_to_string(&source).unwrap();
    let url = text.lines().find(|l| l.contains("\"base_url\"")).unwrap().to_owned();
    fs::write(&source, text.replace(&url, &format!("  \"base_url\": \"http://127.0.0.1:{port}/v1\","))).unwrap();
    fs::write(s.path("in.json"), r#"{"amount": 10, "currency": "USD", "employee": "ada", "description": "Taxi"}"#).unwrap();
}

#[test]
fn a_repository_cannot_grant_itself_live_calls_or_secrets() {
    let (port, requests) = rate_server();
    let s = Sandbox::new();
    asking_example(&s, port);
    // The repository asks; nothing on this machine grants: no request leaves.
    s.atelier()
        .args(["-C", "ex", "run", "expense-approval", "--input", "in.json", "--no-input"])
        .env("FX_API_KEY", "from-the-environment")
        .env("GITHUB_TOKEN", "ghp_secret")
        .assert()
        .stderr(contains("note: the project asks to reach `127.0.0.1` live; not granted here"))
        .stdout(contains("no mock for GET http://127.0.0.1"));
    assert!(requests.recv_timeout(Duration::from_millis(200)).is_err(), "a request left without a grant");

    // Granted for one command, with the secret from a variable the person named.
    s.atelier()
        .args([
            "-C",
            "ex",
            "run",
            "expense-approval",
            "--input",
            "in.json",
            "--no-input",
            "--allow-live",
            "127.0.0.1",
            "--secret",
            "FX_API_KEY=MY_FX_KEY",
        ])
        .env("MY_FX_KEY", "granted-key")
        .env("FX_API_KEY", "from-the-environment")
        .assert()
        .stdout(contains("  ok    fetch-rate"));
    let request = requests.recv_timeout(Duration::from_secs(5)).unwrap().to_ascii_lowercase();
    assert!(request.contains("x-api-key: granted-key"), "{request}");
    assert!(!request.contains("from-the-environment") && !request.contains("ghp_secret"), "{request}");
}

#[test]
fn permissions_are_granted_outside_the_repository() {
    let s = Sandbox::new();
    asking_example(&s, 9);
    s.set_author();
    s.atelier().args(["-C", "ex", "commit", "-m", "Ask"]).assert().success();
    s.atelier().args(["-C", "ex", "permissions"]).assert().success().stdout(
        contains("127.0.0.1")
            .and(contains("not granted"))
            .and(contains("asked by atelier.json"))
            .and(contains("FX_API_KEY"))
            .and(contains("$ATELIER_SECRET_FX_API_KEY")),
    );
    s.atelier()
        .args(["-C", "ex", "permissions", "--grant-live", "127.0.0.1", "--map-secret", "FX_API_KEY=MY_FX_KEY"])
        .assert()
        .success()
        .stdout(contains("granted ").and(contains("$MY_FX_KEY")));
    // Kept in the user's config directory; the project is untouched.
    let kept: Vec<_> = fs::read_dir(s.home.path().join("atelier/projects")).unwrap().collect();
    assert_eq!(kept.len(), 1);
    s.atelier().args(["-C", "ex", "status"]).assert().success().stdout(contains("nothing changed"));
    let json = s.atelier().args(["-C", "ex", "permissions", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["hosts"][0]["granted"], serde_json::json!(true));
}

#[test]
fn escape_sequences_from_scripts_are_shown_not_obeyed() {
    let s = Sandbox::new();
    example(&s);
    let script = s.path("ex/workflows/expense-approval/steps/convert.js");
    let code = fs::read_to_string(&script).unwrap().replace(
        "function run(input) {",
        "function run(input) {\n  console.log('\\u001b]0;pwned\\u0007\\u001b]52;c;ZWNobyBoaQ==\\u0007\\nPASS  forged/case  yes\\n9 passed, 0 failed');",
    );
    fs::write(&script, code).unwrap();
    let out = s.atelier().args(["-C", "ex", "test"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'), "{stdout}");
    assert!(!stdout.lines().any(|l| l.starts_with("PASS  forged") || l.starts_with("9 passed")), "{stdout}");
    let run = s.atelier().args(["-C", "ex", "run", "expense-approval", "--case", "small-claim"]).output().unwrap();
    let shown = String::from_utf8(run.stdout).unwrap();
    assert!(
        shown.contains(r"console.log: \x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\nPASS  forged/case  yes\n9 passed, 0 failed"),
        "{shown}"
    );
}

#[test]
fn killing_atelier_test_kills_its_worker() {
    let s = Sandbox::new();
    example(&s);
    let script = s.path("ex/workflows/expense-approval/steps/convert.js");
    fs::write(&script, "function run(input) { for (;;) { [3, 1, 2].sort(); } }\n").unwrap();
    let mut child = s.atelier_process().args(["-C", "ex", "test"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    // Wait for the worker to be busy with the endless loop.
    let children = |pid: u32| -> Vec<u32> { support::children_cpu(pid).into_iter().map(|(p, _)| p).collect() };
    let started = Instant::now();
    let mut workers = Vec::new();
    while workers.is_empty() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
        workers = children(child.id());
    }
    assert!(!workers.is_empty(), "no worker started");
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let alive = support::alive;
    let killed = Instant::now();
    while workers.iter().any(|w| alive(*w)) && killed.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(workers.iter().all(|w| !alive(*w)), "workers {workers:?} outlived `atelier test`");
}

#[test]
fn diff_of_two_huge_scripts_summarises_quickly() {
    let s = Sandbox::new();
    s.set_author();
    example(&s);
    let script = s.path("ex/workflows/expense-approval/steps/convert.js");
    let big = |seed: u64| -> String {
        let mut x = seed;
        let mut out = String::from("function run(input) { return input; }\n");
        while out.len() < 3_000_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            out.push_str(&format!("// {x:x}\n"));
        }
        out
    };
    fs::write(&script, big(1)).unwrap();
    s.atelier().args(["-C", "ex", "commit", "-m", "Big"]).assert().success();
    fs::write(&script, big(2)).unwrap();
    let started = Instant::now();
    s.atelier().args(["-C", "ex", "diff"]).assert().success().stdout(contains("too large to show line by line"));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn a_huge_manifest_is_refused_before_it_is_read() {
    let s = Sandbox::new();
    example(&s);
    let f = fs::OpenOptions::new().write(true).open(s.path("ex/atelier.json")).unwrap();
    f.set_len(300 << 20).unwrap(); // sparse: no disk used
    let started = Instant::now();
    s.atelier().args(["-C", "ex", "test"]).assert().code(2).stderr(contains("atelier.json: file is 314572800 bytes"));
    assert!(started.elapsed() < Duration::from_secs(5));
}
