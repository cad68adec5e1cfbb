//! Every broken project under `tests/fixtures/bad/` (an overlay on
//! `tests/fixtures/base/`), plus the ones that cannot live in git (symlinks,
//! non-UTF-8 names, a 10 MB string): each gives an exact, snapshotted error
//! text, nothing panics, and nothing on disk changes.

use std::fs;
use std::path::Path;

use crate::support::{copy_tree, fixtures, transcript, tree, Sandbox};

/// Builds the base project with the fixture laid over it.
fn build(overlay: &Path, into: &Path) {
    copy_tree(&fixtures().join("base"), into);
    if overlay.join("_remove").exists() {
        for rel in fs::read_to_string(overlay.join("_remove")).unwrap().lines().filter(|l| !l.is_empty()) {
            fs::remove_file(into.join(rel)).unwrap();
        }
    }
    copy_tree(overlay, into);
    let _ = fs::remove_file(into.join("_remove"));
}

/// Runs `validate` and `fmt --check`, asserts the tree is untouched, returns the transcript.
fn check(sandbox: &Sandbox, project: &Path) -> String {
    let before = tree(project);
    let mut out = transcript(sandbox.atelier().arg("-C").arg(project).arg("validate"), "validate", project);
    out += &transcript(sandbox.atelier().arg("-C").arg(project).args(["fmt", "--check"]), "fmt --check", project);
    assert_eq!(before, tree(project), "reading a broken project changed files on disk");
    for line in out.lines() {
        assert!(!line.contains("panicked"), "{out}");
    }
    out
}

#[test]
fn every_bad_fixture_reports_its_exact_error() {
    let dir = fixtures().join("bad");
    let mut names: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert!(names.len() >= 30, "expected at least 30 bad fixtures, found {}", names.len());
    for name in names {
        let sandbox = Sandbox::new();
        let project = sandbox.path("project");
        build(&dir.join(&name), &project);
        let out = check(&sandbox, &project);
        insta::assert_snapshot!(format!("bad__{name}"), out);
        // A fixture that reports nothing wrong proves nothing (except the warnings-only one).
        if !name.contains("warnings-only") {
            assert!(out.contains("exit: 1") || out.contains("exit: 2"), "{name} reported no problem:\n{out}");
        }
    }
}

#[test]
fn base_fixture_is_valid() {
    let sandbox = Sandbox::new();
    let project = sandbox.path("project");
    copy_tree(&fixtures().join("base"), &project);
    sandbox.atelier().arg("-C").arg(&project).arg("validate").assert().success();
}

#[cfg(unix)]
#[test]
fn symlinked_file_outside_the_project_is_not_read() {
    let sandbox = Sandbox::new();
    let project = sandbox.path("project");
    copy_tree(&fixtures().join("base"), &project);
    let outside = sandbox.path("outside.json");
    fs::write(&outside, fs::read(project.join("models/claim.json")).unwrap()).unwrap();
    fs::remove_file(project.join("models/claim.json")).unwrap();
    std::os::unix::fs::symlink(&outside, project.join("models/claim.json")).unwrap();
    insta::assert_snapshot!("generated__symlink_file_outside", check(&sandbox, &project));
}

#[cfg(unix)]
#[test]
fn symlinked_directory_outside_the_project_is_not_read() {
    let sandbox = Sandbox::new();
    let project = sandbox.path("project");
    copy_tree(&fixtures().join("base"), &project);
    let outside = sandbox.path("elsewhere");
    fs::rename(project.join("workflows"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, project.join("workflows")).unwrap();
    insta::assert_snapshot!("generated__symlink_dir_outside", check(&sandbox, &project));
}

#[cfg(unix)]
#[test]
fn symlink_inside_the_project_is_followed() {
    let sandbox = Sandbox::new();
    let project = sandbox.path("project");
    copy_tree(&fixtures().join("base"), &project);
    fs::rename(project.join("models/claim.json"), project.join("claim-model.json")).unwrap();
    std::os::unix::fs::symlink(project.join("claim-model.json"), project.join("models/claim.json")).unwrap();
    sandbox.atelier().arg("-C").arg(&project).arg("validate").assert().success();
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_name_is_reported() {
    use std::os::unix::ffi::OsStrExt;
    let sandbox = Sandbox::new();
    let project = sandbox.path("project");
    copy_tree(&fixtures().join("base"), &project);
    let name = std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9.json");
    fs::write(project.join("models").join(name), b"{}").unwrap();
    insta::assert_snapshot!("generated__non_utf8_file_name", check(&sandbox, &project));
}

#[test]
fn ten_megabyte_string_is_refused_without_reading_it_all() {
    let sandbox = Sandbox::new();
    let project = sandbox.path("project");
    copy_tree(&fixtures().join("base"), &project);
    let big = format!("{{\"name\": \"Claims\", \"description\": \"{}\", \"entities\": {{}}}}\n", "x".repeat(10 * 1024 * 1024));
    fs::write(project.join("models/claim.json"), big).unwrap();
    insta::assert_snapshot!("generated__ten_megabyte_string", check(&sandbox, &project));
}
