use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
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
    WorkerPool::new(worker(), SandboxLimits { timeout: Duration::from_millis(ms), memory_mb: 256, script: ScriptLimits::default() })
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

/// An HTTP server on 127.0.0.1 that answers one request with each of
/// `responses` (whole HTTP responses) in turn, and gives back what it was sent.
pub fn serve(responses: Vec<String>) -> (u16, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for response in responses {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut len = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
                head.push_str(&line);
                if line == "\r\n" || line.is_empty() {
                    break;
                }
            }
            let mut body_in = vec![0; len];
            reader.read_exact(&mut body_in).unwrap();
            stream.write_all(response.as_bytes()).unwrap();
            seen.push(head + &String::from_utf8_lossy(&body_in));
        }
        seen
    });
    (port, handle)
}

/// A whole HTTP response with a JSON body.
pub fn json_response(status: u16, body: &str) -> String {
    format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
}

/// A redirect to `location`.
pub fn redirect(location: &str) -> String {
    format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

pub fn id(s: &str) -> atelier_model::Id {
    atelier_model::Id::new(s).unwrap()
}

/// The example project with a workflow `w` made of `workflow` and `scripts`.
pub fn project(workflow: serde_json::Value, scripts: &[(&str, &str)]) -> Project {
    let mut p = example();
    let wf = serde_json::from_value(workflow).unwrap();
    let scripts = scripts.iter().map(|(k, v)| (id(k), v.to_string())).collect();
    p.workflows.insert(
        id("w"),
        atelier_model::project::WorkflowBundle { workflow: wf, layout: Default::default(), scripts, tests: Default::default() },
    );
    p
}
