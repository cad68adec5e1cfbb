//! The host side of the sandbox: JavaScript runs only in worker processes
//! (the `atelier` binary in worker mode), kept warm in a small pool. The host
//! enforces the wall-clock limit by killing the worker; the worker enforces
//! memory with an rlimit on itself; a worker that dies becomes a clean
//! "limit exceeded" failure, and the next call gets a fresh worker.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::protocol::{Call, ChainStep, FailureKind, Outcome, Request, Response, ScriptLimits};

/// How to start a worker: a program and its arguments (`atelier worker`).
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// The sandbox's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxLimits {
    /// Wall-clock limit of one script call; the worker is killed past it.
    pub timeout: Duration,
    /// Address-space limit of a worker process.
    pub memory_mb: u64,
    pub script: ScriptLimits,
}

impl Default for SandboxLimits {
    fn default() -> Self {
        SandboxLimits { timeout: Duration::from_millis(5000), memory_mb: 256, script: ScriptLimits::default() }
    }
}

/// A small pool of warm workers.
pub struct WorkerPool {
    command: WorkerCommand,
    limits: SandboxLimits,
    idle: Mutex<VecDeque<Worker>>,
    max_idle: usize,
    sessions: AtomicU64,
}

impl WorkerPool {
    pub fn new(command: WorkerCommand, limits: SandboxLimits) -> WorkerPool {
        WorkerPool { command, limits, idle: Mutex::new(VecDeque::new()), max_idle: 2, sessions: AtomicU64::new(1) }
    }

    pub fn limits(&self) -> SandboxLimits {
        self.limits
    }

    /// Starts a worker now, so the next run does not wait for one.
    pub fn prewarm(&self) {
        if let Ok(w) = Worker::spawn(&self.command, self.limits.memory_mb) {
            self.checkin(w);
        }
    }

    /// A worker for one run; calls through it share a JavaScript session.
    pub fn lease(&self) -> Lease<'_> {
        let worker = self.idle.lock().expect("pool lock").pop_front();
        Lease { pool: self, worker, session: self.sessions.fetch_add(1, Ordering::Relaxed), cancel: None, chain: Chain::default() }
    }

    fn checkin(&self, worker: Worker) {
        let mut idle = self.idle.lock().expect("pool lock");
        if idle.len() < self.max_idle {
            idle.push_back(worker);
        }
    }
}

/// Why waiting for a worker's answer ended without one.
enum NoAnswer {
    Timeout,
    Disconnected,
    TooLarge,
    Cancelled,
}

/// A worker lent to one run; given back to the pool when dropped.
pub struct Lease<'a> {
    pool: &'a WorkerPool,
    worker: Option<Worker>,
    session: u64,
    cancel: Option<Arc<AtomicBool>>,
    /// Where the worker is in the chain it is running: a worker given back
    /// (or asked something else) before all its answers came is killed,
    /// since it is still busy with the rest.
    chain: Chain,
}

/// A script of a chain to start, its code borrowed: a worker is sent the
/// code only when it does not have it already (see [`ChainStep`]).
pub struct ChainScript<'a> {
    pub file: String,
    pub code: &'a str,
}

/// The answers a running [`Call::Chain`] or [`Call::Each`] still owes.
#[derive(Debug, Default, Clone, Copy)]
struct Chain {
    /// Scripts in one run of the chain.
    len: usize,
    /// Answers already given in the current run.
    at: usize,
    /// Runs not finished (a chain has one; an `Each` one per input).
    runs_left: usize,
    /// Whether a failed run ends the whole request.
    stop_at_failure: bool,
}

impl Lease<'_> {
    /// A call waiting for its worker gives up (and kills it) once `cancel` is set.
    pub fn cancel_with(&mut self, cancel: Option<Arc<AtomicBool>>) {
        self.cancel = cancel;
    }

    /// Runs one call. Never fails as a Rust error: every way the call can go
    /// wrong, a dead or runaway worker included, is an [`Outcome::Failed`].
    pub fn call(&mut self, call: Call, now_ms: i64, seed: u64) -> Response {
        self.abandon_chain();
        match self.send(|_| call, now_ms, seed) {
            Ok(worker) => self.receive(worker, Wait::Spin),
            Err(failure) => failure,
        }
    }

    /// Starts consecutive step scripts in one request; [`Lease::next_answer`]
    /// gives their answers one by one, each as if it had been its own call.
    /// `Err` is the first script's answer when the request could not be sent.
    pub fn start_chain(&mut self, scripts: &[ChainScript<'_>], input: Value, now_ms: i64, seed: u64) -> Result<(), Response> {
        let chain = Chain { len: scripts.len(), at: 0, runs_left: 1, stop_at_failure: true };
        self.start(scripts, chain, |steps| Call::Chain { steps, input }, now_ms, seed)
    }

    /// Starts the same chain once per input in one request (a `for_each`
    /// whose body is only code steps). [`Lease::next_answer`] gives the
    /// answers of the first input's run, then the next's: a run ends after
    /// its last script, or after the first that fails or returns nothing.
    /// With `stop_at_failure`, no run follows one that failed.
    pub fn start_each(
        &mut self,
        scripts: &[ChainScript<'_>],
        inputs: Vec<Value>,
        stop_at_failure: bool,
        now_ms: i64,
        seed: u64,
    ) -> Result<(), Response> {
        let chain = Chain { len: scripts.len(), at: 0, runs_left: inputs.len(), stop_at_failure };
        self.start(scripts, chain, |steps| Call::Each { steps, inputs, stop_at_failure }, now_ms, seed)
    }

    fn start(
        &mut self,
        scripts: &[ChainScript<'_>],
        chain: Chain,
        call: impl FnOnce(Vec<ChainStep>) -> Call,
        now_ms: i64,
        seed: u64,
    ) -> Result<(), Response> {
        self.abandon_chain();
        if chain.len == 0 || chain.runs_left == 0 {
            return Ok(());
        }
        let worker = self.send(|worker| call(worker.steps_for(scripts)), now_ms, seed)?;
        self.worker = Some(worker);
        self.chain = chain;
        Ok(())
    }

    /// The next answer of the running chain, within the time limit of one call.
    pub fn next_answer(&mut self) -> Response {
        let worker = match self.worker.take() {
            Some(w) if self.in_chain() => w,
            other => {
                self.worker = other;
                return failed(FailureKind::Engine, "no chain is running".to_owned());
            }
        };
        let resp = self.receive(worker, Wait::Sleep);
        let c = &mut self.chain;
        let succeeded = matches!(&resp.outcome, Outcome::Ok { value } if !value.is_null());
        if self.worker.is_none() || (!succeeded && c.stop_at_failure) {
            // Dropped (a limit, no answer), or stopped: nothing more comes.
            *c = Chain::default();
        } else if succeeded && c.at + 1 < c.len {
            c.at += 1;
        } else {
            // The worker goes on with the next run, if any.
            c.at = 0;
            c.runs_left -= 1;
        }
        resp
    }

    /// Whether a chain's answers are still to come.
    pub fn in_chain(&self) -> bool {
        self.chain.runs_left > 0
    }

    /// Whether the next answer, if any, is the first of a run of the chain.
    pub fn at_run_start(&self) -> bool {
        self.chain.at == 0
    }

    /// Reads and drops the answers the running chain still owes, so the
    /// worker (and the run's JavaScript state in it) stays for later calls.
    pub fn finish_chain(&mut self) {
        while self.in_chain() {
            self.next_answer();
        }
    }

    /// Kills a worker still busy with a chain the run no longer follows.
    fn abandon_chain(&mut self) {
        if self.in_chain() {
            self.chain = Chain::default();
            if self.worker.take().is_some() {
                self.pool.prewarm();
            }
        }
    }

    /// Sends the call `call` makes for the worker that will answer it.
    fn send(&mut self, call: impl FnOnce(&mut Worker) -> Call, now_ms: i64, seed: u64) -> Result<Worker, Response> {
        let limits = self.pool.limits;
        let mut worker = match self.worker.take() {
            Some(w) => w,
            None => match Worker::spawn(&self.pool.command, limits.memory_mb) {
                Ok(w) => w,
                Err(e) => return Err(failed(FailureKind::Engine, format!("cannot start a JavaScript worker: {e}"))),
            },
        };
        let request = Request { session: self.session, now_ms, seed, limits: limits.script, call: call(&mut worker) };
        let line = serde_json::to_string(&request).expect("requests always serialize");
        let sent = worker.stdin.write_all(line.as_bytes()).and_then(|_| worker.stdin.write_all(b"\n")).and_then(|_| worker.stdin.flush());
        match sent {
            Ok(()) => Ok(worker),
            Err(_) => Err(self.no_answer(worker, NoAnswer::Disconnected)),
        }
    }

    fn receive(&mut self, mut worker: Worker, wait: Wait) -> Response {
        let limits = self.pool.limits;
        match worker.read_line(limits.timeout, max_answer_bytes(&limits), self.cancel.as_deref(), wait) {
            Ok(line) => match serde_json::from_str::<Response>(&line) {
                Ok(resp) => {
                    if matches!(resp.outcome, Outcome::Failed { kind: FailureKind::Limit, .. }) {
                        // boa's limits leave its state doubtful; start clean next time.
                        drop(worker);
                        self.pool.prewarm();
                    } else {
                        if matches!(resp.outcome, Outcome::Failed { kind: FailureKind::Engine, .. }) {
                            // Whatever went wrong, the next chain sends its code whole.
                            worker.known_code.clear();
                        }
                        self.worker = Some(worker);
                    }
                    resp
                }
                Err(e) => failed(FailureKind::Engine, format!("the worker answered nonsense: {e}")),
            },
            Err(n) => self.no_answer(worker, n),
        }
    }

    fn no_answer(&mut self, mut worker: Worker, no_answer: NoAnswer) -> Response {
        let limits = self.pool.limits;
        let (kind, why) = match no_answer {
            NoAnswer::Timeout => (FailureKind::Limit, format!("limit exceeded: time ({} ms)", limits.timeout.as_millis())),
            NoAnswer::TooLarge => {
                (FailureKind::Limit, format!("limit exceeded: the worker's answer is over {} MiB", max_answer_bytes(&limits) >> 20))
            }
            NoAnswer::Cancelled => (FailureKind::Cancelled, "the preview was cancelled".to_owned()),
            NoAnswer::Disconnected => (FailureKind::Limit, worker.death_reason(limits.memory_mb)),
        };
        // A worker that did not answer is killed (dropping it does) and replaced.
        drop(worker);
        self.pool.prewarm();
        failed(kind, why)
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if self.in_chain() {
            // Still running the rest of a chain: it goes, unreturned.
            self.worker = None;
        }
        if let Some(w) = self.worker.take() {
            self.pool.checkin(w);
        }
    }
}

/// The largest answer line the host reads from a worker: a result and the
/// console lines at their limits, with room for JSON escaping.
fn max_answer_bytes(limits: &SandboxLimits) -> usize {
    limits.script.max_output_bytes.saturating_mul(2).saturating_add(4 << 20)
}

fn failed(kind: FailureKind, message: String) -> Response {
    Response { outcome: Outcome::Failed { kind, message }, logs: Vec::new() }
}

/// One worker process. Answers are read on the calling thread, with `poll`
/// for the time limit: no reader thread, so a round trip costs two wake-ups.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    /// Bytes read past the last answer's newline: `pending[taken..]`. A
    /// batch of a chain's answers is taken line by line without moving the rest.
    pending: Vec<u8>,
    taken: usize,
    stderr_tail: Arc<Mutex<String>>,
    /// The code this worker was sent, by file: a chain leaves it out.
    known_code: FxHashMap<String, String>,
}

impl Worker {
    fn spawn(command: &WorkerCommand, memory_mb: u64) -> std::io::Result<Worker> {
        let mut child = Command::new(&command.program)
            .args(&command.args)
            .arg("--memory-mb")
            .arg(memory_mb.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_clear()
            .spawn()?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let stderr_tail = Arc::new(Mutex::new(String::new()));
        let tail = stderr_tail.clone();
        thread::Builder::new().name("worker-stderr".into()).spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut t = tail.lock().expect("stderr lock");
                t.push_str(&String::from_utf8_lossy(&buf[..n]));
                if t.len() > 8192 {
                    let cut = t.len() - 4096;
                    let cut = (cut..t.len()).find(|i| t.is_char_boundary(*i)).unwrap_or(t.len());
                    t.drain(..cut);
                }
            }
        })?;
        Ok(Worker { child, stdin, stdout, pending: Vec::new(), taken: 0, stderr_tail, known_code: FxHashMap::default() })
    }

    /// The chain's steps for this worker: the code it has of a file is left
    /// out, and the code it is about to be sent is noted (it keeps all of a
    /// request's code before running any of it). Only code sent is copied.
    fn steps_for(&mut self, scripts: &[ChainScript<'_>]) -> Vec<ChainStep> {
        scripts
            .iter()
            .map(|s| {
                let known = self.known_code.get(&s.file).is_some_and(|k| k == s.code);
                if !known {
                    self.known_code.insert(s.file.clone(), s.code.to_owned());
                }
                ChainStep { file: s.file.clone(), code: (!known).then(|| s.code.to_owned()) }
            })
            .collect()
    }

    /// The next answer line, waiting at most `timeout`, reading at most
    /// `max_bytes`, and giving up when `cancel` is set.
    fn read_line(&mut self, timeout: Duration, max_bytes: usize, cancel: Option<&AtomicBool>, wait: Wait) -> Result<String, NoAnswer> {
        let deadline = Instant::now() + timeout;
        let mut searched = self.taken;
        loop {
            if let Some(end) = self.pending[searched..].iter().position(|&b| b == b'\n').map(|i| i + searched) {
                let line = String::from_utf8_lossy(&self.pending[self.taken..end]).into_owned();
                self.taken = end + 1;
                if self.taken == self.pending.len() {
                    self.pending.clear();
                    self.taken = 0;
                }
                return Ok(line);
            }
            if self.taken > 0 {
                // Nothing whole left: move the part line to the front before reading more.
                self.pending.drain(..self.taken);
                self.taken = 0;
            }
            searched = self.pending.len();
            if self.pending.len() > max_bytes {
                return Err(NoAnswer::TooLarge);
            }
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(NoAnswer::Cancelled);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(NoAnswer::Timeout);
            }
            // With a cancel flag, wake up now and then to look at it.
            let slice = if cancel.is_some() { left.min(CANCEL_CHECK) } else { left };
            if !wait_readable(&self.stdout, slice, wait) {
                continue;
            }
            let mut buf = [0u8; 64 * 1024];
            match self.stdout.read(&mut buf) {
                Ok(0) | Err(_) => return Err(NoAnswer::Disconnected),
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
            }
        }
    }

    /// Why a worker ended without answering, in the user's terms.
    fn death_reason(&mut self, memory_mb: u64) -> String {
        let status = self.child.wait().ok();
        // Let the stderr thread catch the last words.
        thread::sleep(Duration::from_millis(5));
        let tail = self.stderr_tail.lock().map(|t| t.clone()).unwrap_or_default();
        if tail.contains("memory allocation") || tail.contains("out of memory") || tail.contains("capacity overflow") {
            return format!("limit exceeded: memory ({memory_mb} MB)");
        }
        if tail.contains("overflowed its stack") {
            return "limit exceeded: stack (the script nests or recurses too deeply)".to_owned();
        }
        let how = match status {
            Some(s) => describe_exit(s),
            None => "unknown".to_owned(),
        };
        format!("limit exceeded: the script's worker stopped ({how})")
    }
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("signal {sig}");
        }
    }
    format!("exit status {}", status.code().unwrap_or(-1))
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How often a cancellable call looks at its cancel flag.
const CANCEL_CHECK: Duration = Duration::from_millis(50);

/// How long a caller busy-waits for an answer before sleeping.
const SPIN: Duration = Duration::from_micros(300);

/// How to wait for an answer that is not there yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// Busy-wait [`SPIN`] first: a single call answers within tens of microseconds.
    Spin,
    /// Sleep at once: a chain's answers come in batches about a millisecond
    /// apart (the worker's `FLUSH_EVERY`), so spinning between them only
    /// took a core from the worker and, in the app, from the page.
    Sleep,
}

/// Waits until `stdout` has bytes to read (or is closed), at most `timeout`.
#[cfg(unix)]
fn wait_readable(stdout: &ChildStdout, timeout: Duration, wait: Wait) -> bool {
    use std::os::fd::AsRawFd;
    let mut fds = libc::pollfd { fd: stdout.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    // Spin briefly first: an answer usually comes within tens of microseconds,
    // and sleeping in poll costs a wake-up that, on a VM, can take longer.
    let spin_until = Instant::now() + if wait == Wait::Spin { SPIN.min(timeout) } else { Duration::ZERO };
    while Instant::now() < spin_until {
        // SAFETY: one valid pollfd that lives across the call.
        if unsafe { libc::poll(&mut fds, 1, 0) } > 0 {
            return true;
        }
        std::hint::spin_loop();
    }
    let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
    loop {
        // SAFETY: one valid pollfd that lives across the call.
        let r = unsafe { libc::poll(&mut fds, 1, ms) };
        if r >= 0 {
            return r > 0;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return false;
        }
    }
}
