//! The daemon: an `atelier` process that outlives one command, so that the
//! next `test`, `search` or `refs` finds a JavaScript worker already
//! started, the project already read and the index already fresh.
//!
//! - **Who may talk to it:** only this user. Its socket lives in a directory
//!   only this user can open (`$XDG_RUNTIME_DIR/atelier`, else
//!   `/tmp/atelier-<uid>`), checked before every use, and each side checks
//!   the other's user id on the socket (`SO_PEERCRED`).
//! - **Which binary:** the socket is named after this executable (path, size,
//!   time, inode), so a rebuilt or updated `atelier` never asks an old daemon.
//! - **What it serves:** a command whose answer cannot depend on what differs
//!   between the two processes. It declines (and the command runs in its own
//!   process, as without a daemon) when the environment Atelier reads
//!   differs, and for live calls (their secrets are read from the
//!   environment). Commands that read the terminal or write the design are
//!   never sent.
//! - **Its lifetime:** `atelier daemon start` starts it; it stops on
//!   `atelier daemon stop`, after its idle time, or when its socket is gone.
//! - **Fresh answers:** a live watch tells it every change to a project it
//!   has read; before each answer it writes a cookie file and waits until
//!   the watch reports it, so every change made before the command was seen.
//!   A watch that fails or loses events makes it read afresh.

pub mod client;
mod server;
mod wire;

use std::hash::{Hash, Hasher};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::os::unix::io::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use server::serve;

/// `ATELIER_DAEMON=off` (or `0`, `no`, `false`): every command runs in its own process.
pub const DAEMON_ENV: &str = "ATELIER_DAEMON";

/// What a command asks the daemon to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Job {
    /// Without `--junit`: a JUnit file is left to the command (see `client`).
    Test {
        workflow: Option<String>,
    },
    Search {
        query: String,
        limit: usize,
        json: bool,
    },
    Refs {
        address: String,
        json: bool,
    },
    Status,
    Stop,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Ask {
    /// A digest of the environment Atelier reads (see [`environment`]).
    pub environment: String,
    /// The directory the command was started in (`-C`), absolute.
    pub dir: PathBuf,
    pub job: Job,
}

/// The daemon's answers: lines as the command prints them, then how it ended.
#[derive(Debug, Serialize, Deserialize)]
pub enum Answer {
    Out(String),
    Err(String),
    Done(u8),
    /// Not served, and why: the command runs in its own process instead.
    Declined(String),
}

/// Where the daemon of this binary keeps its socket, lock and log.
pub struct Place {
    pub socket: PathBuf,
    pub lock: PathBuf,
    pub log: PathBuf,
}

pub fn uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The directory of this user's daemons, created private; refused when it
/// is not a directory owned by this user that only this user can open.
fn home(create: bool) -> anyhow::Result<PathBuf> {
    let base = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d).join("atelier"),
        None => std::env::temp_dir().join(format!("atelier-{}", uid())),
    };
    if create {
        if let Err(e) = std::fs::DirBuilder::new().mode(0o700).create(&base) {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                anyhow::bail!("cannot create {}: {e}", base.display());
            }
        }
    }
    let meta = std::fs::symlink_metadata(&base).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", base.display()))?;
    if !meta.is_dir() || meta.uid() != uid() || meta.mode() & 0o077 != 0 {
        anyhow::bail!(
            "{} is not a private directory of this user (owner {}, mode {:o}), so no daemon is used",
            base.display(),
            meta.uid(),
            meta.mode() & 0o7777
        );
    }
    Ok(base)
}

/// This executable, as a short name: a rebuilt binary gets another daemon.
fn identity() -> anyhow::Result<String> {
    let exe = std::env::current_exe()?;
    let meta = std::fs::metadata(&exe)?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (exe, meta.len(), meta.mtime(), meta.mtime_nsec(), meta.ino(), env!("CARGO_PKG_VERSION")).hash(&mut h);
    Ok(format!("{:016x}", h.finish()))
}

/// Where the daemon lives; its directory is created only with `create`
/// (by the daemon itself, not by each command looking for it).
pub fn place(create: bool) -> anyhow::Result<Place> {
    let (home, id) = (home(create)?, identity()?);
    Ok(Place { socket: home.join(format!("{id}.sock")), lock: home.join(format!("{id}.lock")), log: home.join(format!("{id}.log")) })
}

/// A digest of every variable Atelier reads, or that a command it serves
/// could: its own (`ATELIER_*`, secrets included), git's, and where the
/// user's settings are. Only the digest crosses the socket.
pub fn environment() -> String {
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned()))
        .filter(|(k, _)| {
            k != DAEMON_ENV
                && (k.starts_with("ATELIER_")
                    || k.starts_with("GIT_")
                    || matches!(k.as_str(), "HOME" | "USER" | "LOGNAME" | "EMAIL" | "XDG_CONFIG_HOME" | "TZ"))
        })
        .collect();
    vars.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    vars.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The user id of the process at the other end of `stream`.
fn peer_uid(stream: &UnixStream) -> Option<u32> {
    let mut cred = libc::ucred { pid: 0, uid: 0, gid: 0 };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are valid for writes of the sizes given, and
    // the descriptor stays open for the call.
    let r = unsafe { libc::getsockopt(stream.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PEERCRED, (&raw mut cred).cast(), &raw mut len) };
    (r == 0).then_some(cred.uid)
}
