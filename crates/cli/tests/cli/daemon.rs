//! `atelier daemon`: a warm process kept between commands. What it answers
//! must be what the command answers on its own, and never from before a change.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Output;
use std::time::{Duration, Instant};

use predicates::str::contains;

use crate::support::{self, Sandbox};

/// A sandbox with the example project and a running daemon, stopped when dropped.
struct Daemon(Sandbox);

impl Daemon {
    fn start() -> Daemon {
        let s = Sandbox::new();
        s.set_author();
        s.atelier().args(["init", "ex", "--example"]).assert().success();
        s.atelier().args(["daemon", "start", "--idle", "120"]).assert().success().stdout(contains("running: pid"));
        Daemon(s)
    }

    /// A count from `atelier daemon status`: `commands served`, `projects read`, ...
    fn count(&self, what: &str) -> u64 {
        let out = self.0.atelier().args(["daemon", "status"]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().find_map(|l| l.strip_prefix(&format!("{what}: "))).unwrap_or_else(|| panic!("no {what} in {text}"));
        line.parse().unwrap()
    }

    /// How many commands the daemon ran.
    fn served(&self) -> u64 {
        self.count("commands served")
    }

    /// `atelier -C ex ARGS`, through the daemon when it serves it.
    fn run(&self, args: &[&str]) -> Output {
        self.0.atelier().arg("-C").arg("ex").args(args).output().unwrap()
    }

    /// The same, in its own process.
    fn alone(&self, args: &[&str]) -> Output {
        self.0.atelier().env("ATELIER_DAEMON", "off").arg("-C").arg("ex").args(args).output().unwrap()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.atelier().args(["daemon", "stop"]).output();
    }
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_daemon_answers_as_the_command_does_alone() {
    let d = Daemon::start();
    // A case that fails (exit 1), an unrelated workflow that cannot be read,
    // an unknown workflow (exit 2), a search, references.
    let case = d.0.path("ex/workflows/expense-approval/tests/small-claim.json");
    fs::write(&case, fs::read_to_string(&case).unwrap().replace("\"amount_eur\": 110.4", "\"amount_eur\": 99")).unwrap();
    let commands: [&[&str]; 7] = [
        &["test"],
        &["test", "expense-approval"],
        &["test", "nope"],
        &["search", "fx", "math", "round"],
        &["search", "exchange", "--json"],
        &["refs", "models/expense/entities/claim/fields/amount"],
        &["refs", "workflows/nope"],
    ];
    for (i, args) in commands.iter().enumerate() {
        let (through, alone) = (d.run(args), d.alone(args));
        assert_eq!(text(&through), text(&alone), "{args:?}");
        assert_eq!(d.served(), i as u64 + 1, "{args:?} went through the daemon");
    }
    assert_eq!(d.run(&["test", "expense-approval"]).status.code(), Some(1));
    assert_eq!(d.run(&["test", "nope"]).status.code(), Some(2));
    // Read once, used for every command since: nothing a read sees changed
    // (a README at the root and a hidden file are not read).
    fs::write(d.0.path("ex/README.md"), "notes\n").unwrap();
    fs::write(d.0.path("ex/workflows/.notes"), "notes\n").unwrap();
    assert_eq!(d.run(&["test", "expense-approval"]).status.code(), Some(1));
    assert_eq!(d.count("projects read"), 1);
    // A workflow that cannot be read does not stop the others from running.
    let broken = d.0.path("ex/workflows/expense-approval/steps/convert.js");
    fs::remove_file(&broken).unwrap();
    fs::create_dir(&broken).unwrap();
    for args in [&["test", "expense-lines"][..], &["test"]] {
        assert_eq!(text(&d.run(args)), text(&d.alone(args)), "{args:?}");
    }
    assert!(text(&d.run(&["test", "expense-lines"])).contains("2 passed, 0 failed"));
    assert_eq!((d.count("projects read"), d.served(), d.count("cookies late")), (2, 13, 0));
    // A folder with no project: the command alone says so, with the path as given.
    let o = d.0.atelier().args(["-C", "nowhere", "test"]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("nowhere"), "{}", text(&o));
    assert_eq!(d.served(), 13);
}

#[test]
fn every_change_made_before_a_command_is_seen_by_it() {
    let d = Daemon::start();
    let step = d.0.path("ex/workflows/expense-approval/steps/convert.js");
    let original = fs::read_to_string(&step).unwrap();
    assert!(String::from_utf8_lossy(&d.run(&["test", "expense-approval"]).stdout).contains("4 passed, 0 failed"));
    for round in 0..5 {
        // Written in place and searched at once: no pause for the watch.
        let word = format!("zebra{round}quokka");
        fs::write(&step, format!("{original}\n// {word}\n")).unwrap();
        let hits = String::from_utf8_lossy(&d.run(&["search", &word]).stdout).into_owned();
        assert!(hits.contains("workflows/expense-approval/steps/convert"), "round {round}: {hits}");
        // A changed step changes what the test run sees, at once too.
        fs::write(&step, original.replace("Math.round", "Math.floor")).unwrap();
        let out = text(&d.run(&["test", "expense-approval"]));
        assert!(out.contains("FAIL  expense-approval/large-claim-rejected"), "round {round}: {out}");
        fs::write(&step, &original).unwrap();
        let out = text(&d.run(&["test", "expense-approval"]));
        assert!(out.contains("4 passed, 0 failed"), "round {round}: {out}");
    }
    // A branch switch under the daemon: the files change behind its back.
    let git = |args: &[&str]| {
        let o = d.0.git(&d.0.path("ex")).args(args).output().unwrap();
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["add", "-A"]);
    git(&["commit", "-qm", "the example"]);
    git(&["switch", "-q", "-c", "renamed"]);
    fs::write(&step, format!("{original}\n// walrusonbranch\n")).unwrap();
    git(&["commit", "-qam", "a word on a branch"]);
    assert!(String::from_utf8_lossy(&d.run(&["search", "walrusonbranch"]).stdout).contains("steps/convert"));
    git(&["switch", "-q", "main"]);
    assert!(String::from_utf8_lossy(&d.run(&["search", "walrusonbranch"]).stdout).contains("nothing matches"));
    // 1 + 5 × 3 + 2 commands, each through the daemon, none of its cookies late.
    assert_eq!((d.served(), d.count("cookies late"), d.count("watches made")), (18, 0, 1));
    // A folder renamed: the watch cannot follow what is below it, so it is made again.
    fs::rename(d.0.path("ex/workflows/expense-approval"), d.0.path("ex/workflows/claims")).unwrap();
    let hits = String::from_utf8_lossy(&d.run(&["search", "convert"]).stdout).into_owned();
    assert!(hits.contains("workflows/claims/steps/convert") && !hits.contains("expense-approval"), "{hits}");
    assert_eq!(d.count("watches made"), 2);
    fs::write(d.0.path("ex/workflows/claims/steps/convert.js"), format!("{original}\n// ocelotafter\n")).unwrap();
    assert!(String::from_utf8_lossy(&d.run(&["search", "ocelotafter"]).stdout).contains("workflows/claims/steps/convert"));
    // A new workflow's folders are watched from when they are made: a later edit in them is seen too.
    support::copy_tree(&d.0.path("ex/workflows/claims"), &d.0.path("ex/workflows/copy"));
    assert!(String::from_utf8_lossy(&d.run(&["search", "ocelotafter"]).stdout).contains("workflows/copy/steps/convert"));
    fs::write(d.0.path("ex/workflows/copy/steps/convert.js"), format!("{original}\n// lynxlater\n")).unwrap();
    let hits = String::from_utf8_lossy(&d.run(&["search", "lynxlater"]).stdout).into_owned();
    assert!(hits.contains("workflows/copy/steps/convert"), "{hits}");
    assert_eq!(d.count("watches made"), 2);
    // The index removed under it (`git clean -fdX`): made again, as the command alone would.
    fs::remove_dir_all(d.0.path("ex/.atelier")).unwrap();
    let hits = String::from_utf8_lossy(&d.run(&["search", "lynxlater"]).stdout).into_owned();
    assert!(hits.contains("workflows/copy/steps/convert"), "{hits}");
    assert!(d.0.path("ex/.atelier/index.sqlite").is_file());
    assert_eq!(d.count("cookies late"), 0);
}

#[test]
fn a_project_with_links_is_read_for_every_command() {
    let d = Daemon::start();
    // What a link points to can change without a word to the watch.
    let elsewhere = d.0.path("ex/lib/convert.js");
    fs::create_dir(d.0.path("ex/lib")).unwrap();
    let step = d.0.path("ex/workflows/expense-approval/steps/convert.js");
    fs::rename(&step, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &step).unwrap();
    assert!(text(&d.run(&["test", "expense-approval"])).contains("4 passed, 0 failed"));
    let original = fs::read_to_string(&elsewhere).unwrap();
    fs::write(&elsewhere, original.replace("Math.round", "Math.floor")).unwrap();
    assert!(text(&d.run(&["test", "expense-approval"])).contains("3 passed, 1 failed"));
    let status = String::from_utf8_lossy(&d.0.atelier().args(["daemon", "status"]).output().unwrap().stdout).into_owned();
    assert!(status.contains("read for every command") && status.contains("is a link"), "{status}");
    assert_eq!((d.served(), d.count("projects read")), (2, 2));
}

#[test]
fn what_the_daemon_cannot_answer_alike_runs_in_the_command_s_own_process() {
    let d = Daemon::start();
    let expected = text(&d.alone(&["test", "expense-approval"]));
    // Another environment (a secret's variable), and grants for this command only.
    let o = d.0.atelier().env("ATELIER_SECRET_FX_API_KEY", "k").args(["-C", "ex", "test", "expense-approval"]).output().unwrap();
    assert_eq!(text(&o), expected);
    let o = d.run(&["test", "expense-approval", "--allow-live", "api.example.com"]);
    assert!(o.status.success(), "{}", text(&o));
    // Live calls granted on this machine: their secrets come from the environment.
    d.0.atelier().args(["-C", "ex", "permissions", "--grant-live", "api.frankfurter.app"]).assert().success();
    assert!(d.run(&["test", "expense-approval"]).status.success());
    // `run` reads the terminal: never sent.
    d.run(&["run", "expense-approval", "--case", "small-claim"]);
    assert_eq!(d.served(), 0);
}

#[test]
fn a_runaway_step_costs_its_worker_not_the_daemon() {
    let d = Daemon::start();
    let manifest = d.0.path("ex/atelier.json");
    let m = fs::read_to_string(&manifest)
        .unwrap()
        .replace("\"format\": 1,", "\"format\": 1,\n  \"settings\": {\"preview\": {\"script_timeout_ms\": 300}},");
    fs::write(&manifest, m).unwrap();
    let step = d.0.path("ex/workflows/expense-approval/steps/convert.js");
    let original = fs::read_to_string(&step).unwrap();
    fs::write(&step, "function run(input) { for (;;) {} }\n").unwrap();
    let out = text(&d.run(&["test", "expense-approval"]));
    assert!(out.contains("limit exceeded") && out.contains("exit Some(1)"), "{out}");
    fs::write(&step, original).unwrap();
    assert!(text(&d.run(&["test", "expense-approval"])).contains("4 passed, 0 failed"));
    assert_eq!(d.served(), 2);
}

#[test]
fn the_daemon_stops_when_asked_or_idle() {
    let s = Sandbox::new();
    s.atelier().args(["daemon", "status"]).assert().code(1).stdout(contains("not running"));
    s.atelier().args(["daemon", "start", "--idle", "3"]).assert().success();
    s.atelier().args(["daemon", "start"]).assert().success().stdout(contains("already running"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while s.atelier().args(["daemon", "status"]).output().unwrap().status.success() {
        assert!(std::time::Instant::now() < deadline, "still running after 20 s, idle for 3");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    s.atelier().args(["daemon", "start", "--idle", "120"]).assert().success();
    s.atelier().args(["daemon", "stop"]).assert().success().stdout(contains("the daemon stopped"));
    s.atelier().args(["daemon", "status"]).assert().code(1);
}

#[test]
fn no_daemon_lives_in_a_directory_others_can_open() {
    let d = Daemon::start();
    let place = d.0.home.path().join("atelier");
    let ask = || d.0.atelier().args(["-C", "ex", "test", "expense-lines"]).assert().success().stdout(contains("2 passed, 0 failed"));
    ask();
    assert_eq!(d.served(), 1);
    // Opened to others (anyone could have put a socket there): not used, not even asked.
    fs::set_permissions(&place, fs::Permissions::from_mode(0o777)).unwrap();
    ask();
    d.0.atelier().args(["daemon", "start"]).assert().code(2).stderr(contains("is not a private directory of this user"));
    d.0.atelier().args(["daemon", "status"]).assert().code(1);
    fs::set_permissions(&place, fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(d.served(), 1);
}

#[test]
fn a_manifest_that_is_a_link_is_read_for_every_command() {
    let d = Daemon::start();
    let manifest = d.0.path("ex/atelier.json");
    fs::create_dir(d.0.path("ex/lib")).unwrap();
    fs::rename(&manifest, d.0.path("ex/lib/atelier.json")).unwrap();
    std::os::unix::fs::symlink("lib/atelier.json", &manifest).unwrap();
    let alone = text(&d.alone(&["test", "expense-lines"]));
    assert_eq!(text(&d.run(&["test", "expense-lines"])), alone);
    let status = String::from_utf8_lossy(&d.0.atelier().args(["daemon", "status"]).output().unwrap().stdout).into_owned();
    assert!(status.contains("atelier.json is a link"), "{status}");
}

#[test]
fn a_test_stopped_by_ctrl_c_stops_its_case_in_the_daemon() {
    let d = Daemon::start();
    // A step that runs for minutes within limits this machine grants and
    // the project asks for: only stopping its case ends it soon.
    let config = d.0.home.path().join("atelier");
    fs::create_dir_all(&config).unwrap();
    let big = r#"{"max_limits": {"script_timeout_ms": 600000, "script_loop_iterations": 100000000000, "run_wall_ms": 600000}}"#;
    fs::write(config.join("settings.json"), big).unwrap();
    let manifest = d.0.path("ex/atelier.json");
    let asks = r#""settings": {"preview": {"script_timeout_ms": 600000, "script_loop_iterations": 100000000000}},"#;
    let m = fs::read_to_string(&manifest).unwrap().replace("\"format\": 1,", &format!("\"format\": 1,\n  {asks}"));
    fs::write(&manifest, m).unwrap();
    fs::write(d.0.path("ex/workflows/expense-approval/steps/convert.js"), "function run(input) { for (;;) { [3, 1, 2].sort(); } }\n")
        .unwrap();
    let daemon: u32 = {
        let status = String::from_utf8_lossy(&d.0.atelier().args(["daemon", "status"]).output().unwrap().stdout).into_owned();
        status.split("pid ").nth(1).and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next()).and_then(|p| p.parse().ok()).unwrap()
    };
    let mut asker =
        d.0.atelier_process().args(["-C", "ex", "test", "expense-approval"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    // The daemon's worker busy with the loop: the child of the daemon whose CPU time grows.
    let busy = || -> Option<u32> {
        let before = support::children_cpu(daemon);
        std::thread::sleep(Duration::from_millis(300));
        support::children_cpu(daemon).into_iter().find(|(pid, t)| before.iter().any(|(p, b)| p == pid && t > b)).map(|(pid, _)| pid)
    };
    let started = Instant::now();
    let mut worker = None;
    while worker.is_none() && started.elapsed() < Duration::from_secs(30) {
        worker = busy();
    }
    let worker = worker.expect("a worker of the daemon runs the endless step");
    asker.kill().unwrap();
    asker.wait().unwrap();
    // Stopped, its case's worker goes, and the daemon answers the next command.
    let stopped = Instant::now();
    while support::alive(worker) {
        assert!(stopped.elapsed() < Duration::from_secs(60), "the stopped test's case still runs");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(text(&d.run(&["search", "rate"])).contains("exit Some(0)"));
}
