//! Worker mode: read requests from stdin, run them in the sandbox, answer on
//! stdout, one JSON line each. Started by the host's pool, never by hand.

use std::io::{BufRead, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::js::Sandbox;
use crate::protocol::{FailureKind, Outcome, Request, Response};

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
    let out = Arc::new(Answers::default());
    let flusher = out.clone();
    std::thread::Builder::new().name("answer-flush".into()).stack_size(64 * 1024).spawn(move || flusher.flush_while_chains_run())?;
    let js = std::thread::Builder::new().name("atelier-js".into()).stack_size(JS_STACK_BYTES).spawn(move || {
        let stdin = std::io::stdin();
        let mut sandbox = Sandbox::warm();
        for line in stdin.lock().lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Request>(&line) {
                Ok(req) if req.call.is_chain() => {
                    out.chain(true);
                    let mut failed = None;
                    sandbox.handle_chain(req, &mut |line| {
                        if let Err(e) = out.add_line(line) {
                            failed.get_or_insert(e);
                        }
                    });
                    out.chain(false);
                    if let Some(e) = failed {
                        return Err(e);
                    }
                    out.flush()?;
                }
                Ok(req) => {
                    out.add(&sandbox.handle(req))?;
                    out.flush()?;
                }
                Err(e) => {
                    let r = Response {
                        outcome: Outcome::Failed { kind: FailureKind::Engine, message: format!("bad request: {e}") },
                        logs: Vec::new(),
                    };
                    out.add(&r)?;
                    out.flush()?;
                }
            }
        }
        Ok(())
    })?;
    js.join().unwrap_or_else(|_| Err(std::io::Error::other("the JavaScript thread panicked")))
}

/// Answers on their way to the host. A chain's answers are buffered (a
/// write and a wake-up of the host per script would cost more than the
/// script), and a flusher thread sends what is buffered every millisecond
/// while a chain runs: the host sees each answer at most about 1 ms late, so
/// its time limit still starts at the right script and a script that never
/// ends is still the one blamed.
#[derive(Default)]
struct Answers {
    buf: Mutex<(Vec<u8>, bool)>,
    running: Condvar,
}

/// How long a chain's answer may wait in the buffer.
const FLUSH_EVERY: Duration = Duration::from_millis(1);

impl Answers {
    fn add(&self, r: &Response) -> std::io::Result<()> {
        self.add_line(&serde_json::to_string(r)?)
    }

    fn add_line(&self, line: &str) -> std::io::Result<()> {
        let mut b = self.buf.lock().map_err(|_| std::io::Error::other("answer lock"))?;
        b.0.extend_from_slice(line.as_bytes());
        b.0.push(b'\n');
        Ok(())
    }

    fn flush(&self) -> std::io::Result<()> {
        let mut b = self.buf.lock().map_err(|_| std::io::Error::other("answer lock"))?;
        write_out(&mut b.0)
    }

    fn chain(&self, running: bool) {
        if let Ok(mut b) = self.buf.lock() {
            b.1 = running;
        }
        self.running.notify_all();
    }

    fn flush_while_chains_run(&self) {
        let Ok(mut b) = self.buf.lock() else { return };
        loop {
            let waited = if b.1 { self.running.wait_timeout(b, FLUSH_EVERY).map(|(g, _)| g).ok() } else { self.running.wait(b).ok() };
            let Some(g) = waited else { return };
            b = g;
            if b.1 && !b.0.is_empty() && write_out(&mut b.0).is_err() {
                return;
            }
        }
    }
}

fn write_out(buf: &mut Vec<u8>) -> std::io::Result<()> {
    if buf.is_empty() {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(buf)?;
    stdout.flush()?;
    buf.clear();
    Ok(())
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
