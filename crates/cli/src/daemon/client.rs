//! The command's side: send a command to the daemon when one is running and
//! may serve it; otherwise the command runs in this process as always.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use super::{wire, Answer, Ask, Job};
use crate::cli::{Cli, Command, DaemonAction};
use crate::term::{say, tell};
use crate::Outcome;

/// The largest answer frame read: one line of output.
const MAX_ANSWER: usize = 64 * 1024 * 1024;

fn disabled() -> bool {
    std::env::var(super::DAEMON_ENV).is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "off" | "0" | "no" | "false"))
}

/// The daemon's socket, connected, when a daemon of this binary and user runs.
fn connect() -> Option<UnixStream> {
    let place = super::place(false).ok()?;
    let stream = UnixStream::connect(&place.socket).ok()?;
    (super::peer_uid(&stream) == Some(super::uid())).then_some(stream)
}

/// Has the daemon run `cli`'s command, when it can; returns the exit code.
/// None: run it here (no daemon, not a command it serves, or it declined).
pub fn delegate(cli: &Cli) -> Option<u8> {
    if disabled() {
        return None;
    }
    let job = match &cli.command {
        // A JUnit file is written where the command runs, with its umask and
        // its words for the path should it fail: left to the command.
        Command::Test { workflow, junit: None, grants } if grants.allow_live.is_empty() && grants.secrets.is_empty() => {
            Job::Test { workflow: workflow.clone() }
        }
        Command::Search { query, limit, json } => Job::Search { query: query.join(" "), limit: *limit, json: *json },
        Command::Refs { address, json } => Job::Refs { address: address.clone(), json: *json },
        _ => return None,
    };
    let dir = std::path::absolute(&cli.directory).ok()?;
    let stream = connect()?;
    ask(stream, job, dir)
}

/// Sends `job` and prints what comes back. None when it declined, or when
/// the daemon went away before printing anything.
fn ask(stream: UnixStream, job: Job, dir: std::path::PathBuf) -> Option<u8> {
    let mut w = &stream;
    wire::send(&mut w, &Ask { environment: super::environment(), dir, job }).ok()?;
    let mut r = &stream;
    let mut printed = false;
    loop {
        match wire::receive::<Answer>(&mut r, MAX_ANSWER) {
            Ok(Answer::Out(line)) => {
                printed = true;
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{line}");
            }
            Ok(Answer::Err(line)) => {
                printed = true;
                eprintln!("{line}");
            }
            Ok(Answer::Done(code)) => return Some(code),
            Ok(Answer::Declined(_)) => return None,
            Err(_) if !printed => return None,
            Err(e) => {
                tell!("error: the daemon stopped while answering ({e}); run the command again, or with {}=off", super::DAEMON_ENV);
                return Some(2);
            }
        }
    }
}

/// `atelier daemon start|stop|status|serve`.
pub fn daemon(action: DaemonAction) -> anyhow::Result<Outcome> {
    match action {
        DaemonAction::Serve { idle } => {
            super::serve(Duration::from_secs(idle))?;
            Ok(Outcome::Ok)
        }
        DaemonAction::Status => match connect() {
            Some(s) => Ok(if ask(s, Job::Status, std::path::PathBuf::new()) == Some(0) { Outcome::Ok } else { Outcome::Problems }),
            None => {
                say!("not running (start it with `atelier daemon start`)");
                Ok(Outcome::Problems)
            }
        },
        DaemonAction::Stop => {
            match connect() {
                Some(s) => {
                    ask(s, Job::Stop, std::path::PathBuf::new());
                }
                None => say!("not running"),
            }
            Ok(Outcome::Ok)
        }
        DaemonAction::Start { idle } => {
            if let Some(s) = connect() {
                say!("already running");
                ask(s, Job::Status, std::path::PathBuf::new());
                return Ok(Outcome::Ok);
            }
            let place = super::place(true)?;
            let log = std::fs::OpenOptions::new().create(true).append(true).open(&place.log)?;
            let mut child = std::process::Command::new(std::env::current_exe()?);
            child.args(["daemon", "serve", "--idle", &idle.to_string()]);
            child.stdin(std::process::Stdio::null()).stdout(log.try_clone()?).stderr(log);
            // Its own process group: a Ctrl+C meant for this terminal's command does not stop it.
            std::os::unix::process::CommandExt::process_group(&mut child, 0);
            let mut child = child.spawn()?;
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Some(s) = connect() {
                    ask(s, Job::Status, std::path::PathBuf::new());
                    say!("`atelier test`, `search` and `refs` now run in it; `atelier daemon stop` stops it");
                    return Ok(Outcome::Ok);
                }
                // One that exits at once with success found another daemon
                // starting: wait for that one to answer.
                if let Ok(Some(status)) = child.try_wait() {
                    if !status.success() {
                        anyhow::bail!("the daemon ended at once ({status}); its log is {}", place.log.display());
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            anyhow::bail!("the daemon did not answer within 10 s; its log is {}", place.log.display())
        }
    }
}
