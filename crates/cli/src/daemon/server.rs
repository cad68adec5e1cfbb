//! The daemon's side: accepts this user's commands, keeps a warm worker pool
//! for each set of sandbox limits, and each project it read with a live
//! watch that says when to read it again.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::os::unix::io::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use atelier_api::OpenProject;
use atelier_engine::{SandboxLimits, WorkerPool};
use atelier_store::watch::{LiveWatcher, Seen};

use super::{wire, Answer, Ask, Job, Place};
use crate::term::{say, Stream};

/// The longest request read: an address, a query, a path.
const MAX_ASK: usize = 64 * 1024;
/// How long a cookie may take to come back through the watch before the
/// watch is not trusted for this answer (and is made again for the next).
const COOKIE_WAIT: Duration = Duration::from_secs(2);
/// How long a connection may take to say what it wants.
const ASK_WAIT: Duration = Duration::from_secs(5);
/// Projects kept read (each with a watch and an index connection), and
/// pools of warm workers (one per set of sandbox limits): the least
/// recently used goes first.
const MAX_PROJECTS: usize = 8;
const MAX_POOLS: usize = 4;
/// The stack of a thread that runs a command: the size of a main thread's,
/// where the command runs alone.
const STACK: usize = 8 * 1024 * 1024;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs the daemon in this process until it is stopped or idle for `idle`.
pub fn serve(idle: Duration) -> anyhow::Result<()> {
    let place = super::place(true)?;
    let lock_file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&place.lock)?;
    // SAFETY: flock on a descriptor this process owns; it is held until exit.
    if unsafe { libc::flock(lock_file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        say!("the daemon of this atelier is already running");
        return Ok(());
    }
    // Only a daemon holding the lock removes the socket: one left behind by
    // a daemon that died, since this one holds the lock now.
    let _ = std::fs::remove_file(&place.socket);
    let listener = UnixListener::bind(&place.socket)?;
    let inode = std::fs::metadata(&place.socket)?.ino();
    let daemon = Arc::new(Daemon::new(idle));
    daemon.pool(SandboxLimits::default()).prewarm();
    let watchdog = daemon.clone();
    std::thread::spawn(move || watchdog.watch_idle(&place, inode));
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(_) => {
                // Out of descriptors, say: wait instead of spinning.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if super::peer_uid(&stream) != Some(super::uid()) {
            continue;
        }
        daemon.active.fetch_add(1, Ordering::SeqCst);
        let d = daemon.clone();
        let spawned = std::thread::Builder::new().stack_size(STACK).spawn(move || {
            // Asking whether it runs is not using it: only commands keep it from idling out.
            if d.answer(stream) {
                *lock(&d.last) = Instant::now();
            }
            d.active.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            // The connection closes unanswered; the command runs alone.
            daemon.active.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

struct Daemon {
    started: Instant,
    idle: Duration,
    environment: String,
    last: Mutex<Instant>,
    active: AtomicUsize,
    served: AtomicU64,
    /// Projects read, watches made, and cookies that did not come back in time.
    reads: AtomicU64,
    watches: AtomicU64,
    late: AtomicU64,
    pools: Mutex<Vec<Arc<WorkerPool>>>,
    projects: Mutex<HashMap<PathBuf, Arc<Mutex<Kept>>>>,
}

/// A project the daemon read, and the watch that says whether it still may use it.
struct Kept {
    used: Instant,
    project: Option<OpenProject>,
    flags: Option<Arc<Flags>>,
    /// The watch as the index uses it, kept across readings of the project.
    watched: Option<Arc<atelier_api::WatchedFiles>>,
    watcher: Option<LiveWatcher>,
    /// Why the project is not watched (it is then read for every command,
    /// and a watch is tried again each time).
    unwatched: Option<String>,
}

impl Kept {
    fn new() -> Kept {
        Kept { used: Instant::now(), project: None, flags: None, watched: None, watcher: None, unwatched: None }
    }
}

/// The most changed paths kept for the index; past it, the index walks every file.
const MAX_CHANGES: usize = 10_000;

/// What the live watch has seen, shared with its callback.
#[derive(Default)]
struct Flags {
    /// No change since the project was last read.
    project_clean: AtomicBool,
    /// What changed since the index last asked.
    changes: Mutex<Changes>,
    /// The watch lost track, or a cookie did not come back: make it again.
    broken: AtomicBool,
    cookies: Mutex<HashSet<String>>,
    cookie_seen: Condvar,
    next_cookie: AtomicU64,
}

#[derive(Default)]
struct Changes {
    paths: BTreeSet<String>,
    /// Some changes may have been missed: the index walks every file.
    lost: bool,
}

/// The changes the index has not seen yet, as the index asks for them.
struct IndexChanges(Arc<Flags>);

impl atelier_api::FileWatch for IndexChanges {
    fn take_changes(&self) -> Option<BTreeSet<String>> {
        let taken = std::mem::take(&mut *lock(&self.0.changes));
        (!taken.lost).then_some(taken.paths)
    }
}

impl Flags {
    fn lost(&self) {
        self.project_clean.store(false, Ordering::SeqCst);
        let mut changes = lock(&self.changes);
        changes.lost = true;
        changes.paths.clear();
    }

    fn seen(&self, seen: Seen) {
        match seen {
            Seen::Lost => {
                self.lost();
                self.broken.store(true, Ordering::SeqCst);
                // Every cookie counts as seen: what came before is handled by reading afresh.
                lock(&self.cookies).clear();
                self.cookie_seen.notify_all();
            }
            Seen::Paths(paths) => {
                for p in paths {
                    if lock(&self.cookies).remove(&p) {
                        self.cookie_seen.notify_all();
                    } else if atelier_store::read_by_a_load(&p) {
                        self.project_clean.store(false, Ordering::SeqCst);
                        let mut changes = lock(&self.changes);
                        if !changes.lost {
                            changes.paths.insert(p);
                            if changes.paths.len() > MAX_CHANGES {
                                drop(changes);
                                self.lost();
                            }
                        }
                    }
                }
            }
        }
    }

    /// Waits until the watch has reported every change made before now:
    /// the kernel reports one watch's events in order, so once a file
    /// written now comes back, everything before it has come too.
    /// Some(false): the cookie did not come back in time; None: it could
    /// not even be written (`.atelier/` gone, say).
    fn catch_up(&self, root: &Path) -> Option<bool> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "{}/daemon-cookie-{}-{nanos:08x}-{}",
            atelier_store::watch::CACHE_DIR,
            std::process::id(),
            self.next_cookie.fetch_add(1, Ordering::Relaxed)
        );
        let file = root.join(&name);
        lock(&self.cookies).insert(name.clone());
        // A new file, never through a link a repository may have put there.
        if std::fs::OpenOptions::new().write(true).create_new(true).open(&file).is_err() {
            lock(&self.cookies).remove(&name);
            return None;
        }
        let deadline = Instant::now() + COOKIE_WAIT;
        let mut cookies = lock(&self.cookies);
        let mut back = true;
        while back && cookies.contains(&name) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                back = false;
                break;
            }
            cookies = self.cookie_seen.wait_timeout(cookies, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        cookies.remove(&name);
        drop(cookies);
        let _ = std::fs::remove_file(&file);
        Some(back)
    }
}

impl Daemon {
    fn new(idle: Duration) -> Daemon {
        Daemon {
            started: Instant::now(),
            idle,
            environment: super::environment(),
            last: Mutex::new(Instant::now()),
            active: AtomicUsize::new(0),
            served: AtomicU64::new(0),
            reads: AtomicU64::new(0),
            watches: AtomicU64::new(0),
            late: AtomicU64::new(0),
            pools: Mutex::default(),
            projects: Mutex::default(),
        }
    }

    /// The warm workers for `limits`, shared by every project run under them.
    fn pool(&self, limits: SandboxLimits) -> Arc<WorkerPool> {
        let mut pools = lock(&self.pools);
        if let Some(i) = pools.iter().position(|p| p.limits() == limits) {
            // Most recently used last.
            let p = pools.remove(i);
            pools.push(p.clone());
            return p;
        }
        if pools.len() >= MAX_POOLS {
            // Its idle workers end when the last project using it lets go.
            pools.remove(0);
        }
        let program = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("atelier"));
        let pool = Arc::new(WorkerPool::new(atelier_engine::WorkerCommand { program, args: vec!["worker".into()] }, limits));
        pools.push(pool.clone());
        pool
    }

    /// The project kept for `root`, made room for when new.
    fn kept(&self, root: &Path) -> Arc<Mutex<Kept>> {
        let mut projects = lock(&self.projects);
        if let Some(k) = projects.get(root) {
            return k.clone();
        }
        let mut evicted = None;
        if projects.len() >= MAX_PROJECTS {
            // The least recently used one that no command holds now.
            let idle = projects
                .iter()
                .filter(|(_, k)| Arc::strong_count(k) == 1)
                .filter_map(|(r, k)| k.try_lock().ok().map(|k| (k.used, r.clone())))
                .min()
                .map(|(_, r)| r);
            evicted = idle.and_then(|r| projects.remove(&r));
        }
        let kept = projects.entry(root.to_owned()).or_insert_with(|| Arc::new(Mutex::new(Kept::new()))).clone();
        drop(projects);
        // Its watch's thread ends within a poll: not while others wait for the map.
        drop(evicted);
        kept
    }

    /// Ends the process once idle long enough, or once its socket is gone or
    /// belongs to another daemon.
    fn watch_idle(&self, place: &Place, inode: u64) {
        let tick = (self.idle / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        loop {
            std::thread::sleep(tick);
            let ours = std::fs::metadata(&place.socket).is_ok_and(|m| m.ino() == inode);
            let idle = self.active.load(Ordering::SeqCst) == 0 && lock(&self.last).elapsed() >= self.idle;
            if !ours || idle {
                if ours {
                    let _ = std::fs::remove_file(&place.socket);
                }
                std::process::exit(0);
            }
        }
    }

    /// Answers one connection; says whether it was a command.
    fn answer(&self, stream: UnixStream) -> bool {
        let mut reader = &stream;
        let _ = stream.set_read_timeout(Some(ASK_WAIT));
        let Ok(ask) = wire::receive::<Ask>(&mut reader, MAX_ASK) else { return false };
        let _ = stream.set_read_timeout(None);
        let mut out = &stream;
        let code = match ask.job {
            Job::Status => {
                let _ = wire::send(&mut out, &Answer::Out(self.status()));
                let _ = wire::send(&mut out, &Answer::Done(0));
                return false;
            }
            Job::Stop => {
                if let Ok(place) = super::place(false) {
                    let _ = std::fs::remove_file(place.socket);
                }
                let _ = wire::send(&mut out, &Answer::Out("the daemon stopped".into()));
                let _ = wire::send(&mut out, &Answer::Done(0));
                std::process::exit(0);
            }
            _ if ask.environment != self.environment => {
                let why = "the environment Atelier reads (ATELIER_*, GIT_*, HOME, ...) differs from the daemon's";
                let _ = wire::send(&mut out, &Answer::Declined(why.into()));
                return true;
            }
            job => match self.run(&ask.dir, job, &stream) {
                Some(code) => code,
                None => return true,
            },
        };
        let _ = wire::send(&mut out, &Answer::Done(code));
        true
    }

    /// Runs `job` with its lines sent to `stream`; None when it declined.
    fn run(&self, dir: &Path, job: Job, stream: &UnixStream) -> Option<u8> {
        let Ok(mut to) = stream.try_clone() else { return None };
        // The asker sends nothing more: its end closing (Ctrl+C) is all there
        // is to read, and it stops the job, even midway through a test case.
        let gone = Arc::new(AtomicBool::new(false));
        if let Ok(mut asker) = stream.try_clone() {
            let gone = gone.clone();
            std::thread::spawn(move || {
                let _ = std::io::Read::read(&mut asker, &mut [0u8; 1]);
                gone.store(true, Ordering::SeqCst);
            });
        }
        let sink = Box::new(move |s: Stream, line: &str| {
            let a = match s {
                Stream::Out => Answer::Out(line.to_owned()),
                Stream::Err => Answer::Err(line.to_owned()),
            };
            wire::send(&mut to, &a).is_ok()
        });
        let declined = std::cell::Cell::new(None);
        let code = crate::term::with_sink(sink, gone, || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.run_job(dir, job, &declined)));
            match r {
                Ok(r) => crate::exit_code(r),
                Err(_) => {
                    // The project this command used may be half-changed: forget it.
                    let forgotten = std::mem::take(&mut *lock(&self.projects));
                    drop(forgotten);
                    crate::exit_code(Err(anyhow::anyhow!("the daemon failed on this command; run it again with {}=off", super::DAEMON_ENV)))
                }
            }
        });
        if let Some(why) = declined.take() {
            let _ = wire::send(&mut &*stream, &Answer::Declined(why));
            return None;
        }
        self.served.fetch_add(1, Ordering::Relaxed);
        Some(code)
    }

    fn run_job(&self, dir: &Path, job: Job, declined: &std::cell::Cell<Option<String>>) -> anyhow::Result<crate::Outcome> {
        let decline = |why: &str| {
            declined.set(Some(why.to_owned()));
            Ok(crate::Outcome::Ok)
        };
        // A folder that holds no project: the command alone says so, in its own words.
        let Ok(fresh) = crate::project(dir) else { return decline("no project opens there") };
        let root = fresh.root().canonicalize().unwrap_or_else(|_| fresh.root().to_owned());
        let kept = self.kept(&root);
        let mut kept = lock(&kept);
        let kept = &mut *kept;
        kept.used = Instant::now();
        self.watch(kept, &root);
        let still = match &kept.flags {
            Some(f) => match f.catch_up(&root) {
                Some(true) => f.project_clean.swap(true, Ordering::SeqCst),
                caught => {
                    if caught == Some(false) {
                        self.late.fetch_add(1, Ordering::Relaxed);
                    }
                    f.lost();
                    f.broken.store(true, Ordering::SeqCst);
                    false
                }
            },
            None => false,
        };
        let same_limits = kept.project.as_ref().is_some_and(|p| p.sandbox_limits() == fresh.sandbox_limits());
        if !(still && same_limits) {
            let mut p = fresh;
            p.use_workers(self.pool(p.sandbox_limits()));
            if let Some(old) = &kept.project {
                // The index stays as fresh as the watch says it is.
                p.share_index_with(old);
            }
            if let Some(w) = &kept.watched {
                p.watch_index_with(w.clone());
            }
            kept.project = Some(p);
            self.reads.fetch_add(1, Ordering::Relaxed);
        }
        let project = kept.project.as_ref().expect("kept above");
        match job {
            Job::Test { workflow } => {
                if !project.grants()?.live_hosts.is_empty() {
                    return decline("this machine grants the project live calls, whose secrets are read from the environment");
                }
                if project.read_error().is_some() {
                    // Not kept, and left to the command alone: it reads again
                    // (a passing failure may be gone), and only what it runs.
                    kept.project = None;
                    return decline("the project cannot be read whole");
                }
                crate::preview::tell_asked(project)?;
                crate::preview::test_in(project, workflow, None)
            }
            Job::Search { query, limit, json } => crate::find::search_in(project, &query, limit, json),
            Job::Refs { address, json } => crate::find::refs_in(project, &address, json),
            Job::Status | Job::Stop => Ok(crate::Outcome::Ok),
        }
    }

    /// Makes the project's watch, or makes it again once it lost track.
    fn watch(&self, kept: &mut Kept, root: &Path) {
        if kept.flags.as_ref().is_some_and(|f| f.broken.load(Ordering::SeqCst)) {
            (kept.watcher, kept.flags, kept.watched) = (None, None, None);
        }
        if kept.flags.is_some() {
            return;
        }
        let flags = Arc::new(Flags::default());
        // Until the index has walked every file once, it has nothing to update.
        flags.lost();
        let f = flags.clone();
        match atelier_store::watch::watch_live(root, move |seen| f.seen(seen)) {
            Ok(w) => {
                self.watches.fetch_add(1, Ordering::Relaxed);
                kept.watched = Some(atelier_api::WatchedFiles::new(IndexChanges(flags.clone())));
                (kept.watcher, kept.flags, kept.unwatched) = (Some(w), Some(flags), None);
            }
            Err(e) => kept.unwatched = Some(e.to_string()),
        }
    }

    fn status(&self) -> String {
        let projects = lock(&self.projects);
        let mut lines = vec![
            format!(
                "running: pid {}, for {} s, stops after {} idle seconds",
                std::process::id(),
                self.started.elapsed().as_secs(),
                self.idle.as_secs()
            ),
            format!("commands served: {}", self.served.load(Ordering::Relaxed)),
            format!("projects read: {}", self.reads.load(Ordering::Relaxed)),
            format!("watches made: {}", self.watches.load(Ordering::Relaxed)),
            format!("cookies late: {}", self.late.load(Ordering::Relaxed)),
        ];
        for (root, kept) in projects.iter() {
            // A project a command is using now is not waited for.
            let how = match kept.try_lock().as_deref() {
                Ok(Kept { unwatched: Some(why), .. }) => format!("read for every command: {why}"),
                Ok(_) => "watched".to_owned(),
                Err(_) => "in use".to_owned(),
            };
            lines.push(format!("project: {} ({how})", root.display()));
        }
        lines.join("\n")
    }
}
