//! Helpers for black-box tests of the `atelier` binary.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

pub fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// An isolated home, so no developer's git config leaks into a test.
pub struct Sandbox {
    pub home: tempfile::TempDir,
    pub work: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { home: tempfile::tempdir().unwrap(), work: tempfile::tempdir().unwrap() }
    }

    /// `atelier` with HOME pointing at an empty directory and no author in the environment.
    pub fn atelier(&self) -> Command {
        Command::from_std(self.atelier_process())
    }

    /// `atelier` as a plain process, for a test that starts it and goes on.
    pub fn atelier_process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("atelier"));
        cmd.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path())
            // Its own place for a daemon: none runs there unless the test starts one.
            .env("XDG_RUNTIME_DIR", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_AUTHOR_NAME")
            .env_remove("GIT_AUTHOR_EMAIL")
            .current_dir(self.work.path());
        cmd
    }

    /// Plain `git`, isolated the same way.
    pub fn git(&self, dir: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new("git");
        cmd.env("HOME", self.home.path()).env("XDG_CONFIG_HOME", self.home.path()).env("GIT_CONFIG_NOSYSTEM", "1").current_dir(dir);
        cmd
    }

    /// Sets an author in the sandbox's global git config.
    pub fn set_author(&self) {
        fs::write(self.home.path().join(".gitconfig"), "[user]\n\tname = Ada Analyst\n\temail = ada@example.com\n").unwrap();
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.work.path().join(rel)
    }

    /// The subject of the last commit on `main` in the bare repository `origin`.
    pub fn last_commit(&self, origin: &Path) -> String {
        let log = self.git(origin).args(["log", "-1", "--format=%s", "main"]).output().unwrap();
        String::from_utf8_lossy(&log.stdout).trim().to_owned()
    }

    /// Bob clones `origin` beside the project, renames the `convert` step
    /// of the example and pushes, so the project has something to pull.
    pub fn bob_pushes_a_rename(&self, origin: &Path) {
        assert!(self.git(self.work.path()).args(["clone", "-q"]).arg(origin).arg("bob").status().unwrap().success());
        let wf = self.path("bob/workflows/expense-approval/workflow.json");
        fs::write(&wf, fs::read_to_string(&wf).unwrap().replace("Convert to EUR", "Convert")).unwrap();
        assert!(self.git(&self.path("bob")).args(["commit", "-qam", "Bob"]).status().unwrap().success());
        assert!(self.git(&self.path("bob")).args(["push", "-q", "origin", "main"]).status().unwrap().success());
    }
}

/// Copies `from` into `to` recursively (regular files and directories only).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every entry under `dir` with its bytes (or its link target), to prove nothing changed.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let ft = entry.file_type().unwrap();
            if ft.is_symlink() {
                out.insert(rel, fs::read_link(&path).unwrap().into_os_string().into_encoded_bytes());
            } else if ft.is_dir() {
                out.insert(rel, b"<dir>".to_vec());
                walk(&path, root, out);
            } else {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// Runs a command and renders exit code, stdout and stderr for a snapshot,
/// with the temporary directory's path replaced by `<project>`.
pub fn transcript(cmd: &mut Command, label: &str, project: &Path) -> String {
    let out = cmd.output().unwrap();
    let clean = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .replace(&project.canonicalize().unwrap().display().to_string(), "<project>")
            .replace(&project.display().to_string(), "<project>")
    };
    format!(
        "$ atelier {label}\nexit: {}\n{}{}",
        out.status.code().map_or("signal".to_owned(), |c| c.to_string()),
        clean(&out.stdout),
        match clean(&out.stderr) {
            e if e.is_empty() => String::new(),
            e => format!("--- stderr\n{e}"),
        }
    )
}

/// The fields of `/proc/PID/stat` after the command name (state first).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    Some(stat.rsplit(')').next()?.split_whitespace().map(str::to_owned).collect())
}

/// The processes whose parent is `pid`, with the CPU time (user + system ticks) each has used.
pub fn children_cpu(pid: u32) -> Vec<(u32, u64)> {
    fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| {
            let f = stat_fields(p)?;
            let tick = |i: usize| f.get(i).and_then(|t| t.parse::<u64>().ok()).unwrap_or(0);
            (f.get(1)?.parse::<u32>().ok()? == pid).then(|| (p, tick(11) + tick(12)))
        })
        .collect()
}

/// Whether `pid` runs (a zombie does not).
pub fn alive(pid: u32) -> bool {
    stat_fields(pid).is_some_and(|f| f.first().is_some_and(|s| s != "Z"))
}
