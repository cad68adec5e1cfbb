//! A cloned repository may ask, never grant; nothing in it may hang, panic
//! or blow up memory; git use cases never write or commit what they should not.

use std::path::Path;
use std::time::{Duration, Instant};

use atelier_api::grants::{LocalConfig, ProjectGrants};
use atelier_api::{ErrorCode, OpenProject, PreviewRequest};
use atelier_engine::trace::ErrorKind;
use serde_json::json;

use super::{git, worker};

/// The example in a temp dir, committed, opened under its own config directory.
fn example() -> (tempfile::TempDir, OpenProject) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let p = OpenProject::create(&root, None, true, worker()).unwrap();
    p.set_author("Ada", "ada@example.com").unwrap();
    drop(p);
    let mut p = OpenProject::open_with(&root, worker(), LocalConfig::at(dir.path().join("config"))).unwrap();
    p.commit("Example").unwrap();
    (dir, p)
}

fn set_preview(root: &Path, preview: serde_json::Value) {
    let path = root.join("atelier.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["settings"] = json!({ "preview": preview });
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

#[test]
fn the_repository_asks_for_live_hosts_and_only_this_machine_grants_them() {
    let (dir, mut p) = example();
    let root = p.root().to_path_buf();
    // The repository asks for a host, and ships a grant file of its own.
    set_preview(&root, json!({ "live_hosts": ["fx.example.com"] }));
    std::fs::create_dir_all(root.join(".atelier")).unwrap();
    std::fs::write(root.join(".atelier/local.json"), r#"{"live_hosts": ["fx.example.com"], "secrets": {"FX_API_KEY": "GITHUB_TOKEN"}}"#)
        .unwrap();
    p.reload().unwrap();
    let view = p.permissions().unwrap();
    let fx = view.hosts.iter().find(|h| h.host == "fx.example.com").unwrap();
    assert!(fx.asked && !fx.granted, "{fx:?}");
    assert_eq!(fx.sources, ["fx-rates"]);
    let secret = &view.secrets[0];
    assert_eq!((secret.name.as_str(), secret.variable.as_str()), ("FX_API_KEY", "ATELIER_SECRET_FX_API_KEY"));

    // A case without a mock for the rate fails for want of a grant.
    let req =
        PreviewRequest { workflow: "expense-approval".into(), input: Some(json!({"amount": 5, "currency": "USD"})), ..Default::default() };
    let mut kinds = Vec::new();
    p.preview(&req, &mut |_| None, &mut |e| {
        if let atelier_engine::TraceEvent::StepFinished { step, error: Some(err), .. } = e {
            kinds.push((step.clone(), err.kind));
        }
    })
    .unwrap();
    assert_eq!(kinds.first(), Some(&("fetch-rate".to_owned(), ErrorKind::NoMock)));

    // The person grants it; the grant is kept outside the project.
    let view = p
        .set_grants(ProjectGrants {
            live_hosts: vec!["fx.example.com".into()],
            secrets: [("FX_API_KEY".into(), "MY_FX_KEY".into())].into(),
            ..Default::default()
        })
        .unwrap();
    assert!(view.hosts.iter().any(|h| h.host == "fx.example.com" && h.granted));
    assert_eq!(view.secrets[0].variable, "MY_FX_KEY");
    let file = view.grants_file.unwrap();
    assert!(file.starts_with(&dir.path().join("config").display().to_string()), "{file}");
    assert!(!file.starts_with(&root.display().to_string()));
    // Another project on this machine is granted nothing by it.
    let other = OpenProject::create(&dir.path().join("q"), None, true, worker()).unwrap();
    drop(other);
    let other = OpenProject::open_with(&dir.path().join("q"), worker(), LocalConfig::at(dir.path().join("config"))).unwrap();
    assert!(other.permissions().unwrap().hosts.iter().all(|h| !h.granted));
}

#[test]
fn the_repository_may_lower_limits_never_raise_or_remove_them() {
    let (_dir, p) = example();
    let root = p.root().to_path_buf();
    drop(p);
    set_preview(
        &root,
        json!({ "script_timeout_ms": 1_000_000_000_000_000u64, "script_memory_mb": 0, "script_loop_iterations": 1000, "script_recursion": 100000 }),
    );
    let config = LocalConfig::at(root.parent().unwrap().join("config"));
    let p = OpenProject::open_with(&root, worker(), config).unwrap();
    let limits: Vec<(String, u64, u64)> = p.permissions().unwrap().limits.into_iter().map(|l| (l.name, l.asked, l.effective)).collect();
    assert_eq!(
        limits,
        [
            ("script_timeout_ms".to_owned(), 1_000_000_000_000_000, 5000),
            ("script_memory_mb".to_owned(), 0, 256),
            ("script_loop_iterations".to_owned(), 1000, 1000),
            ("script_recursion".to_owned(), 100000, 400),
        ]
    );
}

#[test]
fn a_preview_does_not_hold_the_project_and_can_be_cancelled() {
    let (_dir, mut p) = example();
    let mut doc = p.new_workflow("ask", "Ask").unwrap();
    doc.workflow = serde_json::from_value(json!({"name": "Ask", "start": "ask", "steps": {
        "ask": {"kind": "approval", "name": "Ask", "prompt": "OK?", "next_if_approved": "done", "next_if_rejected": "done"},
        "done": {"kind": "end", "name": "Done"}}}))
    .unwrap();
    p.save_workflow(doc).unwrap();
    let mut prepared = p.prepare_preview(&PreviewRequest { workflow: "ask".into(), ..Default::default() }).unwrap();
    let cancel = prepared.cancel_flag();
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = asked.clone();
    let flag = cancel.clone();
    // The preview waits for a person who never answers...
    let waiting = std::thread::spawn(move || {
        let mut ask = |_: &atelier_engine::ApprovalRequest| {
            seen.store(true, std::sync::atomic::Ordering::Relaxed);
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(10));
            }
            None
        };
        prepared.run(&mut ask, &mut |_| {})
    });
    while !asked.load(std::sync::atomic::Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(10));
    }
    // ...while the project goes on being used (and changed) meanwhile.
    let mut doc = p.workflow("ask").unwrap();
    doc.workflow.name = "Ask again".into();
    p.save_workflow(doc).unwrap();
    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let r = waiting.join().unwrap().unwrap();
    assert_eq!(r.error.unwrap().kind, ErrorKind::Cancelled);
}

#[test]
fn resolve_conflict_writes_only_a_design_file_with_an_open_conflict() {
    let (_dir, mut p) = example();
    let before = std::fs::read(p.root().join(".git/config")).unwrap();
    let e = p.resolve_conflict(".git/config", "", json!("[core]\n\tfsmonitor = touch /tmp/pwned\n")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadPath);
    let e = p.resolve_conflict("workflows/expense-approval/steps/convert.js", "", json!("function run(i) { return i; }")).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(std::fs::read(p.root().join(".git/config")).unwrap(), before);
    assert!(p.workflow("expense-approval").unwrap().scripts["convert"].contains("Math.round(input.amount"));
}

#[test]
fn commit_takes_design_files_and_lists_the_rest() {
    let (_dir, mut p) = example();
    let root = p.root().to_path_buf();
    std::fs::write(root.join(".env"), "GITHUB_TOKEN=ghp_x\n").unwrap();
    std::fs::write(root.join("id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n").unwrap();
    std::fs::write(root.join("notes.txt"), "draft\n").unwrap();
    std::fs::write(
        root.join("workflows/expense-approval/tests/extra.json"),
        std::fs::read(root.join("workflows/expense-approval/tests/small-claim.json")).unwrap(),
    )
    .unwrap();
    let c = p.commit("More tests").unwrap();
    assert_eq!(c.left_out, [".env (looks like a secret)", "id_rsa (looks like a secret)", "notes.txt (not a design file)"]);
    let tracked = git(&root, &["ls-files"]);
    assert!(tracked.contains("workflows/expense-approval/tests/extra.json"));
    assert!(!tracked.contains(".env") && !tracked.contains("id_rsa") && !tracked.contains("notes.txt"), "{tracked}");
    // With only those left, there is nothing to commit, and it says why.
    let e = p.commit("Again").unwrap_err();
    assert_eq!(e.code, ErrorCode::Refused);
    assert!(e.message.contains(".env (looks like a secret)"), "{}", e.message);
}

#[cfg(unix)]
#[test]
fn a_fifo_links_and_a_huge_manifest_neither_hang_nor_fill_the_memory() {
    let (_dir, p) = example();
    let root = p.root().to_path_buf();
    drop(p);
    // A FIFO where a model belongs: read without blocking, and refused.
    let fifo = root.join("models/pipe.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    // Fifty links to one model: read once.
    for n in 0..50 {
        std::os::unix::fs::symlink("expense.json", root.join(format!("models/link{n:02}.json"))).unwrap();
    }
    // And a hard link: the same file under another name, too.
    std::fs::hard_link(root.join("models/expense.json"), root.join("models/zz-hard.json")).unwrap();
    let started = Instant::now();
    let v = atelier_api::check_project(&root).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    let codes: Vec<(&str, &str)> =
        v.problems.iter().filter(|p| p.file.starts_with("models/")).map(|p| (p.file.as_str(), p.code.as_str())).collect();
    assert!(codes.contains(&("models/pipe.json", "not-a-file")), "{codes:?}");
    assert_eq!(codes.iter().filter(|(_, c)| *c == "same-file").count(), 51, "{codes:?}");
    std::fs::remove_file(&fifo).unwrap();

    // A 300 MB manifest (sparse: it costs no disk) is refused before it is read.
    let f = std::fs::OpenOptions::new().write(true).open(root.join("atelier.json")).unwrap();
    f.set_len(300 << 20).unwrap();
    let started = Instant::now();
    let e = OpenProject::open(&root, worker()).err().unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e.code, ErrorCode::InvalidDesign);
    assert!(e.message.contains("atelier.json: file is 314572800 bytes; design files are limited to"), "{}", e.message);
}
