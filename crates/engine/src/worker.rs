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
    if memory_mb > 0 {
        let bytes = memory_mb * 1024 * 1024;
        // RLIMIT_DATA (heap and private mappings) is the memory a script can
        // grow; address space (RLIMIT_AS) would also count reserved, unused stack.
        rlimit::setrlimit(rlimit::Resource::DATA, bytes, bytes)?;
    }
    let js = std::thread::Builder::new().name("atelier-js".into()).stack_size(JS_STACK_BYTES).spawn(|| {
        let stdin = std::io::stdin();
        let mut stdout = std::io::stdout().lock();
        let mut sandbox = Sandbox::default();
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

/// Parses the worker's arguments: `--memory-mb N`.
pub fn memory_arg(args: impl Iterator<Item = String>) -> u64 {
    let args: Vec<String> = args.collect();
    args.windows(2).find(|w| w[0] == "--memory-mb").and_then(|w| w[1].parse().ok()).unwrap_or(256)
}
