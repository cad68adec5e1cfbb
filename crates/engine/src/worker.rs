//! Worker mode: read requests from stdin, run them in the sandbox, answer on
//! stdout, one JSON line each. Started by the host's pool, never by hand.

use std::io::{BufRead, Write};

use crate::js::Sandbox;
use crate::protocol::Request;

/// The stack of the thread that runs JavaScript. Large, because boa recurses
/// on the native stack; nesting is also checked before parsing.
const JS_STACK_BYTES: usize = 32 * 1024 * 1024;

/// Serves requests until stdin closes. `memory_mb` caps this process's address
/// space, so a runaway allocation kills the worker, not the app.
pub fn serve(memory_mb: u64) -> std::io::Result<()> {
    // 0 never means unlimited.
    let memory_mb = if memory_mb == 0 { DEFAULT_MEMORY_MB } else { memory_mb.min(MAX_MEMORY_MB) };
    let bytes = memory_mb * 1024 * 1024;
    // RLIMIT_DATA (heap and private mappings) is the memory a script can
    // grow; address space (RLIMIT_AS) would also count reserved, unused stack.
    rlimit::setrlimit(rlimit::Resource::DATA, bytes, bytes)?;
    die_with_parent();
    let js = std::thread::Builder::new().name("atelier-js".into()).stack_size(JS_STACK_BYTES).spawn(|| {
        let stdin = std::io::stdin();
        let mut stdout = std::io::stdout().lock();
        let mut sandbox = Sandbox::warm();
        for line in stdin.lock().lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let response = match serde_json::from_str::<Request>(&line) {
                Ok(req) => sandbox.handle(req),
                Err(e) => crate::protocol::Response {
                    outcome: crate::protocol::Outcome::Failed {
                        kind: crate::protocol::FailureKind::Engine,
                        message: format!("bad request: {e}"),
                    },
                    logs: Vec::new(),
                },
            };
            serde_json::to_writer(&mut stdout, &response)?;
            stdout.write_all(b"\n")?;
            stdout.flush()?;
        }
        Ok(())
    })?;
    js.join().unwrap_or_else(|_| Err(std::io::Error::other("the JavaScript thread panicked")))
}

/// A worker's memory when none (or 0) is given, and the most it may have.
const DEFAULT_MEMORY_MB: u64 = 256;
const MAX_MEMORY_MB: u64 = 64 * 1024;

/// A worker never outlives the process that started it: when the host dies
/// (killed, crashed), stdin closes, but a script in an endless loop never
/// reads it. A watchdog thread sees the parent change and ends the process.
/// (`PR_SET_PDEATHSIG` would fire when the *thread* that spawned the worker
/// ends, and the app spawns workers from short-lived pool threads.)
fn die_with_parent() {
    #[cfg(unix)]
    {
        // SAFETY: getppid has no preconditions.
        let parent = unsafe { libc::getppid() };
        let watch = move || loop {
            // SAFETY: as above; _exit ends the process without running
            // destructors, which a loop-stuck JavaScript thread would block.
            if unsafe { libc::getppid() } != parent {
                unsafe { libc::_exit(3) };
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        let _ = std::thread::Builder::new().name("parent-watch".into()).stack_size(64 * 1024).spawn(watch);
    }
}

/// Parses the worker's arguments: `--memory-mb N`.
pub fn memory_arg(args: impl Iterator<Item = String>) -> u64 {
    let args: Vec<String> = args.collect();
    args.windows(2).find(|w| w[0] == "--memory-mb").and_then(|w| w[1].parse().ok()).unwrap_or(DEFAULT_MEMORY_MB)
}

/// The whole of a stand-alone worker program's `main`.
pub fn main() -> std::process::ExitCode {
    match serve(memory_arg(std::env::args())) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("worker: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
