use std::path::{Path, PathBuf};
use std::time::Duration;

use atelier_engine::protocol::ScriptLimits;
use atelier_engine::{SandboxLimits, WorkerCommand, WorkerPool};
use atelier_model::{assemble, Project};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

pub fn worker() -> WorkerCommand {
    WorkerCommand { program: PathBuf::from(env!("CARGO_BIN_EXE_atelier-js-worker")), args: vec![] }
}

/// A pool with a short time limit, so runaway scripts end quickly in tests.
pub fn pool_with_timeout(ms: u64) -> WorkerPool {
    WorkerPool::new(
        worker(),
        SandboxLimits { timeout: Duration::from_millis(ms), memory_mb: 256, script: ScriptLimits::default() },
    )
}

pub fn pool() -> WorkerPool {
    pool_with_timeout(5000)
}

/// Loads a project directory through the same assembly the store uses.
fn load(dir: &Path) -> Project {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let a = assemble(&files);
    assert!(a.problems.iter().all(|p| !p.is_error()), "{:?}", a.problems);
    a.project
}

pub fn example() -> Project {
    load(&repo_root().join("assets/example"))
}
