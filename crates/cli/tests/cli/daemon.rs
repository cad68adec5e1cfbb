//! `atelier daemon`: a warm process kept between commands. What it answers
//! must be what the command answers on its own, and never from before a change.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Output;

use predicates::str::contains;

use crate::support::Sandbox;

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

    /// How many commands the daemon ran.
    fn served(&self) -> u64 {
        let out = self.0.atelier().args(["daemon", "status"]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().find_map(|l| l.strip_prefix("commands served: ")).unwrap_or_else(|| panic!("no count in {text}"));
        line.parse().unwrap()
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
    assert!(d.served() >= 18);
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
    s.atelier().args(["daemon", "start", "--idle", "1"]).assert().success();
    s.atelier().args(["daemon", "start"]).assert().success().stdout(contains("already running"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while s.atelier().args(["daemon", "status"]).output().unwrap().status.success() {
        assert!(std::time::Instant::now() < deadline, "still running after 20 s idle");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    s.atelier().args(["daemon", "start", "--idle", "120"]).assert().success();
    s.atelier().args(["daemon", "stop"]).assert().success().stdout(contains("the daemon stopped"));
    s.atelier().args(["daemon", "status"]).assert().code(1);
}

#[test]
fn no_daemon_lives_in_a_directory_others_can_open() {
    let s = Sandbox::new();
    let shared = s.home.path().join("atelier");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o777)).unwrap();
    s.atelier().args(["daemon", "start"]).assert().code(2).stderr(contains("is not a private directory of this user"));
    // Commands do not use it, and work as ever.
    s.atelier().args(["init", "ex", "--example"]).assert().success();
    s.atelier().args(["-C", "ex", "test", "expense-lines"]).assert().success().stdout(contains("2 passed, 0 failed"));
}
