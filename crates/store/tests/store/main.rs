//! The store on real directories and real git repositories.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use atelier_model::Id;
use atelier_store::{git, ProjectDir, StoreError};

mod restamp;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let m = fs::metadata(&p).unwrap().modified().unwrap();
                out.insert(p.clone(), (fs::read(&p).unwrap(), m));
            }
        }
    }
    out
}

fn project() -> (tempfile::TempDir, ProjectDir) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("base"), dir.path());
    let p = ProjectDir::open(dir.path()).unwrap();
    (dir, p)
}

#[test]
fn open_walks_up_to_the_manifest() {
    let (dir, _) = project();
    let p = ProjectDir::open(&dir.path().join("workflows/approve/steps")).unwrap();
    assert_eq!(p.root(), dir.path().canonicalize().unwrap());
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(ProjectDir::open(empty.path()), Err(StoreError::NotAProject(_))));
}

#[test]
fn saving_an_untouched_project_changes_no_byte_even_when_not_canonical() {
    let (dir, p) = project();
    // A CRLF file is not canonical, but untouched it must stay exactly as it is.
    copy_tree(&fixture("bad/crlf-line-endings"), dir.path());
    let before = snapshot(dir.path());
    let mut a = p.load().unwrap();
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(a.not_canonical.len(), 1);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = p.save(&a.project.clone(), &mut a.loaded).unwrap();
    assert!(report.written.is_empty() && report.removed.is_empty(), "{report:?}");
    assert_eq!(before, snapshot(dir.path()), "bytes or modification times changed");
}

#[test]
fn saving_writes_only_the_changed_file_atomically() {
    let (dir, p) = project();
    let mut a = p.load().unwrap();
    let mut project = a.project.clone();
    let wf = project.workflows.get_mut(&Id::new("approve").unwrap()).unwrap();
    wf.layout.nodes.get_mut(&Id::new("done").unwrap()).unwrap().x = 640;
    let report = p.save(&project, &mut a.loaded).unwrap();
    assert_eq!(report.written, ["workflows/approve/layout.json"]);
    let text = fs::read_to_string(dir.path().join("workflows/approve/layout.json")).unwrap();
    assert!(text.contains("\"x\": 640"));
    // No temporary files are left behind.
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("workflows/approve"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".atelier-tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // Saving again with the updated baseline writes nothing.
    assert!(p.save(&project, &mut a.loaded).unwrap().written.is_empty());
}

#[test]
fn removing_a_step_script_and_a_workflow_deletes_their_files() {
    let (dir, p) = project();
    p.save(&p.load().unwrap().project, &mut BTreeMap::new()).unwrap();
    let mut a = p.load().unwrap();
    let mut project = a.project.clone();
    project.workflows.clear();
    let report = p.save(&project, &mut a.loaded).unwrap();
    assert_eq!(report.removed.len(), 4, "{report:?}");
    assert!(!dir.path().join("workflows/approve").exists(), "empty directories are removed");
    assert!(dir.path().join("workflows").exists(), "the kind's own directory stays");
}

#[cfg(unix)]
#[test]
fn a_save_never_writes_through_a_symlink_out_of_the_project() {
    let (dir, p) = project();
    let outside = tempfile::tempdir().unwrap();
    fs::remove_dir_all(dir.path().join("models")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("models")).unwrap();
    let mut project = p.load().unwrap().project;
    let model = atelier_model::parse("models/claim.json", &fs::read(fixture("base/models/claim.json")).unwrap()).unwrap();
    project.models.insert(Id::new("claim").unwrap(), model);
    let err = p.save(&project, &mut BTreeMap::new()).unwrap_err();
    assert!(err.to_string().contains("leads outside the project through a symlink"), "{err}");
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn git_init_status_commit_log() {
    let (dir, p) = project();
    git::init(p.root()).unwrap();
    assert!(dir.path().join(".git").is_dir());
    assert_eq!(fs::read_to_string(dir.path().join(".gitignore")).unwrap(), git::GITIGNORE);
    assert!(git::log(p.root(), 10).unwrap().is_empty());
    let status = git::status(p.root()).unwrap();
    assert!(status.iter().all(|s| s.change == git::Change::Added));
    assert!(status.iter().any(|s| s.path == "workflows/approve/steps/shape.js"));

    // The author comes from the repository's config here.
    let repo = git2::Repository::open(p.root()).unwrap();
    let mut cfg = repo.config().unwrap();
    cfg.set_str("user.name", "Repo Author").unwrap();
    cfg.set_str("user.email", "repo@example.com").unwrap();
    let id = git::commit(p.root(), "Start\n\nWith a body.").unwrap().id;
    assert_eq!(id.len(), 40);
    let log = git::log(p.root(), 10).unwrap();
    assert_eq!((log[0].author.as_str(), log[0].summary.as_str()), ("Repo Author", "Start"));
    assert!(git::status(p.root()).unwrap().is_empty());
    assert!(matches!(git::commit(p.root(), "again"), Err(StoreError::NothingToCommit)));
    assert!(matches!(git::commit(p.root(), "  "), Err(StoreError::Refused(_))));

    // .atelier/ is ignored.
    fs::create_dir_all(dir.path().join(".atelier")).unwrap();
    fs::write(dir.path().join(".atelier/index.db"), b"x").unwrap();
    assert!(git::status(p.root()).unwrap().is_empty());
}

#[test]
fn a_project_in_a_subdirectory_commits_only_its_own_files() {
    let outer = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(outer.path()).unwrap();
    let mut cfg = repo.config().unwrap();
    cfg.set_str("user.name", "A").unwrap();
    cfg.set_str("user.email", "a@example.com").unwrap();
    fs::write(outer.path().join("unrelated.txt"), "x").unwrap();
    copy_tree(&fixture("base"), &outer.path().join("design"));
    let p = ProjectDir::open(&outer.path().join("design")).unwrap();
    assert!(git::status(p.root()).unwrap().iter().all(|s| s.path.starts_with("design/")));
    git::commit(p.root(), "Design only").unwrap();
    let head = repo.head().unwrap().peel_to_tree().unwrap();
    assert!(head.get_name("unrelated.txt").is_none());
    assert!(head.get_name("design").is_some());
}

#[test]
fn init_in_an_ignored_folder_of_another_repository_makes_its_own() {
    let outer = tempfile::tempdir().unwrap();
    git2::Repository::init(outer.path()).unwrap();
    fs::write(outer.path().join(".gitignore"), "build/\n").unwrap();
    let ignored = outer.path().join("build/design");
    let tracked = outer.path().join("design");
    for d in [&ignored, &tracked] {
        copy_tree(&fixture("base"), d);
        git::init(&d.canonicalize().unwrap()).unwrap();
    }
    assert!(ignored.join(".git").is_dir(), "an ignored folder gets its own repository");
    assert!(!tracked.join(".git").exists(), "a tracked folder joins the outer repository");
}

mod remotes {
    use super::*;
    use atelier_store::branches::{self, MergeOutcome as PullOutcome};
    use atelier_store::{remotes, RemoteFailure, StoreError};
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A bare remote with the base project, and two clones of it.
    fn team() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let origin = t.path().join("origin.git");
        git(t.path(), &["init", "-q", "--bare", "-b", "main", origin.to_str().unwrap()]);
        let a = t.path().join("a");
        copy_tree(&fixture("base"), &a);
        git(&a, &["init", "-q", "-b", "main"]);
        git(&a, &["config", "user.name", "Ann"]);
        git(&a, &["config", "user.email", "ann@example.com"]);
        git(&a, &["add", "-A"]);
        git(&a, &["commit", "-qm", "base"]);
        git(&a, &["remote", "add", "origin", origin.to_str().unwrap()]);
        remotes::push(&a, "origin", &mut |_| {}).unwrap();
        let b = t.path().join("b");
        git(t.path(), &["clone", "-q", origin.to_str().unwrap(), "b"]);
        git(&b, &["config", "user.name", "Bob"]);
        git(&b, &["config", "user.email", "bob@example.com"]);
        (t, a, b)
    }

    /// Bob changes `theirs` and pushes; Ann changes `ours` and commits.
    fn diverge(a: &Path, b: &Path, theirs: (&str, &str), ours: (&str, &str)) {
        edit(b, theirs.0, theirs.1);
        git(b, &["commit", "-qam", "bob"]);
        git(b, &["push", "-q", "origin", "main"]);
        edit(a, ours.0, ours.1);
        git(a, &["commit", "-qam", "ann"]);
    }

    fn edit(root: &Path, from: &str, to: &str) {
        let p = root.join("workflows/approve/workflow.json");
        let t = fs::read_to_string(&p).unwrap();
        assert!(t.contains(from));
        fs::write(&p, t.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn branches_list_create_switch_delete() {
        let (_t, a, _) = team();
        branches::create(&a, "draft").unwrap();
        let names: Vec<_> = branches::list(&a).unwrap().into_iter().map(|b| (b.name, b.current)).collect();
        assert_eq!(names, [("draft".to_owned(), false), ("main".to_owned(), true)]);
        branches::switch(&a, "draft").unwrap();
        edit(&a, "\"Shape\"", "\"Shape it\"");
        assert!(branches::switch(&a, "main").unwrap_err().to_string().contains("uncommitted changes"));
        git(&a, &["commit", "-qam", "draft edit"]);
        branches::switch(&a, "main").unwrap();
        assert!(fs::read_to_string(a.join("workflows/approve/workflow.json")).unwrap().contains("\"Shape\""));
        assert!(branches::delete(&a, "main").unwrap_err().to_string().contains("current branch"));
        branches::delete(&a, "draft").unwrap();
    }

    #[test]
    fn push_rejected_then_pull_merges_edits_to_different_steps() {
        let (_t, a, b) = team();
        diverge(&a, &b, ("\"Shape\"", "\"Shape it\""), ("\"Ask\"", "\"Ask the manager\""));
        let err = remotes::push(&a, "origin", &mut |_| {}).unwrap_err().to_string();
        assert!(err.contains("rejected") && err.contains("pull first"), "{err}");
        assert_eq!(remotes::pull(&a, "origin", &mut |_| {}).unwrap(), PullOutcome::Merged);
        let wf = fs::read_to_string(a.join("workflows/approve/workflow.json")).unwrap();
        assert!(wf.contains("\"Shape it\"") && wf.contains("\"Ask the manager\""), "{wf}");
        assert_eq!(git(&a, &["status", "--porcelain"]), "");
        remotes::push(&a, "origin", &mut |_| {}).unwrap();
        assert_eq!(remotes::pull(&b, "origin", &mut |_| {}).unwrap(), PullOutcome::FastForward);
        assert_eq!(remotes::pull(&b, "origin", &mut |_| {}).unwrap(), PullOutcome::UpToDate);
    }

    #[test]
    fn pull_keeps_a_true_conflict_as_data() {
        let (_t, a, b) = team();
        diverge(&a, &b, ("\"Shape\"", "\"Bob's shape\""), ("\"Shape\"", "\"Ann's shape\""));
        assert_eq!(
            remotes::pull(&a, "origin", &mut |_| {}).unwrap(),
            PullOutcome::Conflicts(vec!["workflows/approve/workflow.json".into()])
        );
        let wf = fs::read_to_string(a.join("workflows/approve/workflow.json")).unwrap();
        assert!(wf.contains("$conflict") && !wf.contains("<<<<<<<"), "{wf}");
        let problems = atelier_model::validate(&ProjectDir::open(&a).unwrap().load().unwrap());
        assert!(problems.iter().any(|p| p.code == "merge-conflict" && p.element.as_deref() == Some("/steps/shape/name")), "{problems:?}");
        // The merge waits for its commit: no switching, no second pull.
        assert!(branches::merge_in_progress(&a).unwrap().is_some_and(|m| m.message == "Merge origin/main"));
        let err = remotes::pull(&a, "origin", &mut |_| {}).unwrap_err().to_string();
        assert!(err.contains("a merge is in progress"), "{err}");
        // Resolved by hand, the commit is the merge commit with both parents.
        fs::write(
            a.join("workflows/approve/workflow.json"),
            fs::read_to_string(fixture("base").join("workflows/approve/workflow.json")).unwrap(),
        )
        .unwrap();
        atelier_store::git::commit(&a, "Merge origin/main").unwrap();
        assert_eq!(git(&a, &["rev-list", "--parents", "-n1", "HEAD"]).split_whitespace().count(), 3);
        assert!(branches::merge_in_progress(&a).unwrap().is_none());
        remotes::push(&a, "origin", &mut |_| {}).unwrap();
    }

    #[test]
    fn abort_merge_restores_the_last_commit() {
        let (_t, a, b) = team();
        diverge(&a, &b, ("\"Shape\"", "\"Bob's shape\""), ("\"Shape\"", "\"Ann's shape\""));
        assert!(matches!(remotes::pull(&a, "origin", &mut |_| {}).unwrap(), PullOutcome::Conflicts(_)));
        branches::abort_merge(&a).unwrap();
        assert!(fs::read_to_string(a.join("workflows/approve/workflow.json")).unwrap().contains("Ann's shape"));
        assert!(branches::merge_in_progress(&a).unwrap().is_none());
        assert_eq!(git(&a, &["status", "--porcelain"]), "");
    }

    #[test]
    fn merging_a_local_branch_fast_forwards_or_merges_per_property() {
        let (_t, a, _) = team();
        branches::create(&a, "draft").unwrap();
        branches::switch(&a, "draft").unwrap();
        edit(&a, "\"Shape\"", "\"Shape it\"");
        git(&a, &["commit", "-qam", "draft"]);
        branches::switch(&a, "main").unwrap();
        assert_eq!(branches::merge(&a, "draft").unwrap(), PullOutcome::FastForward);
        branches::switch(&a, "draft").unwrap();
        edit(&a, "\"Ask\"", "\"Ask twice\"");
        git(&a, &["commit", "-qam", "draft 2"]);
        branches::switch(&a, "main").unwrap();
        edit(&a, "\"Shape it\"", "\"Shape it well\"");
        git(&a, &["commit", "-qam", "main 2"]);
        assert_eq!(branches::merge(&a, "draft").unwrap(), PullOutcome::Merged);
        let wf = fs::read_to_string(a.join("workflows/approve/workflow.json")).unwrap();
        assert!(wf.contains("Shape it well") && wf.contains("Ask twice"), "{wf}");
        assert_eq!(git(&a, &["log", "-1", "--format=%s"]).trim(), "Merge branch 'draft'");
    }

    #[test]
    fn code_edited_on_the_same_line_gets_git_markers() {
        let (_t, a, b) = team();
        let js = |root: &Path| root.join("workflows/approve/steps/shape.js");
        let code = fs::read_to_string(js(&a)).unwrap();
        fs::write(js(&b), code.replacen("return", "return /* bob */", 1)).unwrap();
        git(&b, &["commit", "-qam", "bob"]);
        git(&b, &["push", "-q", "origin", "main"]);
        fs::write(js(&a), code.replacen("return", "return /* ann */", 1)).unwrap();
        git(&a, &["commit", "-qam", "ann"]);
        assert_eq!(
            remotes::pull(&a, "origin", &mut |_| {}).unwrap(),
            PullOutcome::Conflicts(vec!["workflows/approve/steps/shape.js".into()])
        );
        let merged = fs::read_to_string(js(&a)).unwrap();
        assert!(merged.contains("<<<<<<< ours") && merged.contains("/* bob */") && merged.contains(">>>>>>> theirs"), "{merged}");
    }

    #[test]
    fn remote_failures_say_what_happened() {
        let (_t, a, _) = team();
        let kind = |e: StoreError| match e {
            StoreError::Remote { kind, message } => (kind, message),
            other => panic!("not a remote error: {other}"),
        };
        let (k, m) = kind(remotes::push(&a, "nowhere", &mut |_| {}).unwrap_err());
        assert_eq!(k, RemoteFailure::NotFound, "{m}");
        // Nothing listens on this port: unreachable, as when offline.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        remotes::set(&a, "down", &format!("http://127.0.0.1:{port}/team.git")).unwrap();
        let (k, m) = kind(remotes::pull(&a, "down", &mut |_| {}).unwrap_err());
        assert_eq!(k, RemoteFailure::Offline, "{m}");
        // A server that wants credentials nobody has.
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = server.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for s in server.incoming().take(4).flatten() {
                use std::io::{Read, Write};
                let mut s = s;
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(
                    b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        remotes::set(&a, "locked", &format!("http://127.0.0.1:{port}/team.git")).unwrap();
        let (k, m) = kind(remotes::fetch(&a, "locked", &mut |_| {}).unwrap_err());
        assert_eq!(k, RemoteFailure::Auth, "{m}");
        let urls: Vec<_> = remotes::list(&a).unwrap().into_iter().map(|r| r.name).collect();
        assert_eq!(urls, ["down", "locked", "origin"]);
    }

    /// A real git server over HTTP (git http-backend) that wants a login.
    struct HttpServer(std::process::Child, u16);

    impl HttpServer {
        fn start(root: &Path) -> HttpServer {
            use std::io::BufRead;
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/store/git_http.py");
            let mut child = Command::new("python3")
                .arg(script)
                .args([root.to_str().unwrap(), "ann", "s3cret"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut line = String::new();
            std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
            HttpServer(child, line.trim().parse().unwrap())
        }
    }

    impl Drop for HttpServer {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    #[test]
    fn https_style_remotes_log_in_through_gits_credential_helpers() {
        let (t, a, b) = team();
        git(&t.path().join("origin.git"), &["config", "http.receivepack", "true"]);
        let server = HttpServer::start(t.path());
        remotes::set(&a, "web", &format!("http://127.0.0.1:{}/origin.git", server.1)).unwrap();
        // No login anywhere: authentication fails, and says so.
        let err = remotes::fetch(&a, "web", &mut |_| {}).unwrap_err();
        assert!(matches!(err, StoreError::Remote { kind: RemoteFailure::Auth, .. }), "{err}");
        // git's own credential store, configured as a person would.
        let store = t.path().join("credentials");
        fs::write(&store, format!("http://ann:s3cret@127.0.0.1:{}\n", server.1)).unwrap();
        git(&a, &["config", "credential.helper", &format!("store --file={}", store.display())]);
        edit(&b, "\"Shape\"", "\"Shape it\"");
        git(&b, &["commit", "-qam", "bob"]);
        git(&b, &["push", "-q", "origin", "main"]);
        assert_eq!(remotes::pull(&a, "web", &mut |_| {}).unwrap(), PullOutcome::FastForward);
        assert!(fs::read_to_string(a.join("workflows/approve/workflow.json")).unwrap().contains("Shape it"));
        edit(&a, "\"Ask\"", "\"Ask twice\"");
        git(&a, &["commit", "-qam", "ann"]);
        remotes::push(&a, "web", &mut |_| {}).unwrap();
        assert_eq!(git(&t.path().join("origin.git"), &["log", "-1", "--format=%s", "main"]).trim(), "ann");
    }

    #[test]
    fn fetch_reports_progress() {
        let (_t, a, b) = team();
        edit(&b, "\"Shape\"", "\"Shape it\"");
        git(&b, &["commit", "-qam", "bob"]);
        git(&b, &["push", "-q", "origin", "main"]);
        let mut seen = Vec::new();
        remotes::fetch(&a, "origin", &mut |p| seen.push(p)).unwrap();
        assert!(seen.last().is_some_and(|p| p.done == p.total && p.total > 0), "{seen:?}");
    }
}

#[test]
fn the_watcher_reports_changed_design_files_and_not_git_internals() {
    let (dir, p) = project();
    let (tx, rx) = std::sync::mpsc::channel();
    let _w = atelier_store::watch::watch(p.root(), std::time::Duration::from_millis(100), move |paths| {
        let _ = tx.send(paths);
    })
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join(".git/ignored"), "x").unwrap();
    let wf = dir.path().join("workflows/approve/workflow.json");
    fs::write(&wf, fs::read_to_string(&wf).unwrap().replace("\"Ask\"", "\"Ask now\"")).unwrap();
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains(&"workflows/approve/workflow.json".to_owned()) && std::time::Instant::now() < deadline {
        if let Ok(batch) = rx.recv_timeout(std::time::Duration::from_millis(500)) {
            seen.extend(batch);
        }
    }
    assert!(seen.contains(&"workflows/approve/workflow.json".to_owned()), "{seen:?}");
    assert!(seen.iter().all(|p| !p.starts_with(".git")), "{seen:?}");
}

/// The stamps (walked on several threads) name exactly the files a load reads,
/// steps and test cases of every workflow included, and see a change in place.
#[test]
fn stamps_name_exactly_the_files_a_load_reads() {
    let (_dir, p) = project();
    // More workflows than threads, so that threads share them out.
    for i in 0..12 {
        let w = p.root().join(format!("workflows/extra-{i}"));
        fs::create_dir_all(w.join("steps")).unwrap();
        fs::create_dir_all(w.join("tests")).unwrap();
        fs::copy(p.root().join("workflows/approve/workflow.json"), w.join("workflow.json")).unwrap();
        fs::write(w.join("steps/a.js"), "function run(input) { return input; }\n").unwrap();
        fs::write(w.join("tests/t.json"), "{}\n").unwrap();
    }
    let (files, _) = p.read_files().unwrap();
    let stamps = p.stamps().unwrap();
    assert_eq!(stamps.keys().collect::<Vec<_>>(), files.keys().collect::<Vec<_>>());
    let script = p.root().join("workflows/extra-7/steps/a.js");
    fs::write(&script, "function run(input) { return { ...input, more: true }; }\n").unwrap();
    let again = p.stamps().unwrap();
    let changed: Vec<&String> = again.iter().filter(|(k, v)| stamps.get(*k) != Some(v)).map(|(k, _)| k).collect();
    assert_eq!(changed, ["workflows/extra-7/steps/a.js"]);
}

#[test]
fn a_load_for_some_workflows_leaves_the_others_unread() {
    let (_dir, p) = project();
    let other = p.root().join("workflows/other");
    fs::create_dir_all(other.join("steps")).unwrap();
    fs::create_dir_all(other.join("tests")).unwrap();
    fs::copy(p.root().join("workflows/approve/workflow.json"), other.join("workflow.json")).unwrap();
    fs::write(other.join("steps/a.js"), "function run(input) { return input; }\n").unwrap();
    fs::write(other.join("tests/t.json"), r#"{"name": "t", "input": {}, "expect": {"status": "completed"}}"#).unwrap();
    let whole = p.load().unwrap();
    let some = p.load_workflows(&["approve".to_owned()].into()).unwrap();
    let left_out: Vec<&String> = whole.loaded.keys().filter(|k| !some.loaded.contains_key(*k)).collect();
    assert_eq!(
        left_out,
        ["workflows/other/layout.json", "workflows/other/steps/a.js", "workflows/other/tests/t.json", "workflows/other/workflow.json"]
    );
    let approve =
        |a: &atelier_model::Assembled| format!("{:?}", a.project.workflows.iter().find(|(id, _)| id.as_str() == "approve").map(|(_, b)| b));
    assert_eq!(approve(&some), approve(&whole), "the workflow asked for is read whole");
    assert!(!some.project.workflows.keys().any(|id| id.as_str() == "other"), "the other is not read at all");
}
