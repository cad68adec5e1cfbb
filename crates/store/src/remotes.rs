//! Remotes through git2: list and add them; fetch, pull and push with
//! progress. Credentials come the way git finds them: the ssh agent for ssh
//! remotes, git's credential helpers for http(s) (see http_transport.rs). Failures say what happened
//! (authentication, unreachable, rejected) so the app can explain them.

use std::path::Path;

use git2::{ErrorClass, ErrorCode, FetchOptions, PushOptions, RemoteCallbacks, Repository};

use crate::branches::{current_branch, ensure_settled, merge_commit, MergeOutcome};
use crate::git::open;
use crate::{RemoteFailure, StoreError};

/// One configured remote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemoteInfo {
    pub name: String,
    pub url: String,
}

/// How far a transfer is: objects received or sent of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Receiving,
    Sending,
}

pub fn list(root: &Path) -> Result<Vec<RemoteInfo>, StoreError> {
    let repo = open(root)?;
    let names = repo.remotes().map_err(StoreError::git("list remotes"))?;
    let mut out = Vec::new();
    for name in names.iter().flatten().flatten() {
        let r = repo.find_remote(name).map_err(StoreError::git(format!("read remote `{name}`")))?;
        out.push(RemoteInfo { name: name.to_owned(), url: r.url().unwrap_or("").to_owned() });
    }
    Ok(out)
}

/// Adds remote `name`, or points an existing one at `url`.
pub fn set(root: &Path, name: &str, url: &str) -> Result<(), StoreError> {
    let repo = open(root)?;
    if url.trim().is_empty() {
        return Err(StoreError::Refused("a remote needs an address (a path, ssh or https URL)".into()));
    }
    if repo.find_remote(name).is_ok() {
        repo.remote_set_url(name, url.trim()).map_err(StoreError::git(format!("set the address of `{name}`")))?;
    } else {
        repo.remote(name, url.trim()).map_err(StoreError::git(format!("add remote `{name}`")))?;
    }
    Ok(())
}

/// Credentials the way git finds them. Each kind is tried once: libgit2 asks
/// again after a refusal, and answering the same forever would never end.
fn callbacks<'a>(repo: &Repository, progress: &'a mut dyn FnMut(Progress)) -> RemoteCallbacks<'a> {
    let mut cb = RemoteCallbacks::new();
    // The repository's config (local, then global and system), as git reads
    // it: a credential helper may be set for this repository only.
    let config = repo.config().ok();
    let mut tried = git2::CredentialType::empty();
    cb.credentials(move |url, user, allowed| {
        let fresh = allowed - tried;
        if fresh.contains(git2::CredentialType::SSH_KEY) {
            tried |= git2::CredentialType::SSH_KEY;
            return git2::Cred::ssh_key_from_agent(user.unwrap_or("git"));
        }
        if fresh.contains(git2::CredentialType::USER_PASS_PLAINTEXT) {
            tried |= git2::CredentialType::USER_PASS_PLAINTEXT;
            let found = match &config {
                Some(c) => git2::Cred::credential_helper(c, url, user),
                None => git2::Config::open_default().and_then(|c| git2::Cred::credential_helper(&c, url, user)),
            };
            return found.map_err(|_| {
                git2::Error::new(ErrorCode::Auth, ErrorClass::Http, format!("git's credential helpers have no login for {url}"))
            });
        }
        if fresh.contains(git2::CredentialType::DEFAULT) {
            tried |= git2::CredentialType::DEFAULT;
            return git2::Cred::default();
        }
        Err(git2::Error::new(ErrorCode::Auth, ErrorClass::Http, "no credentials were accepted"))
    });
    let progress = std::cell::RefCell::new(progress);
    let progress = std::rc::Rc::new(progress);
    let p = progress.clone();
    cb.transfer_progress(move |s| {
        (p.borrow_mut())(Progress { phase: Phase::Receiving, done: s.received_objects(), total: s.total_objects() });
        true
    });
    cb.push_transfer_progress(move |done, total, _bytes| {
        (progress.borrow_mut())(Progress { phase: Phase::Sending, done, total });
    });
    cb
}

/// Says what a failed transfer means for the person.
fn explain(remote: &str, doing: &str, e: git2::Error) -> StoreError {
    let text = e.message().to_owned();
    let lower = text.to_lowercase();
    let auth = e.code() == ErrorCode::Auth
        || lower.contains("login")
        || lower.contains("http 401")
        || lower.contains("http 403")
        || (e.class() == ErrorClass::Ssh && lower.contains("auth"));
    let (kind, why) = if lower.contains("certificate") {
        (
            RemoteFailure::Other,
            format!("the server's TLS certificate is not trusted ({text}); its certificate authority must be in the system's trust store"),
        )
    } else if lower.contains("hostkey") || lower.contains("host key") {
        (
            RemoteFailure::Auth,
            format!("the server's host key is unknown or has changed ({text}); connect once with `ssh` to check it and add it to ~/.ssh/known_hosts"),
        )
    } else if auth {
        (RemoteFailure::Auth, format!("authentication failed; check your credentials (git credential helper, ssh agent): {text}"))
    } else if e.code() == ErrorCode::NotFastForward {
        (RemoteFailure::NotFastForward, "rejected: the remote has commits you do not have; pull first".to_owned())
    } else if e.code() == ErrorCode::NotFound || e.class() == ErrorClass::Repository || lower.contains("no git repository") {
        (RemoteFailure::NotFound, format!("no repository there: {text}"))
    } else if matches!(e.class(), ErrorClass::Net | ErrorClass::Os | ErrorClass::Ssl | ErrorClass::Http) {
        (RemoteFailure::Offline, format!("cannot reach the remote (offline, or a wrong address?): {text}"))
    } else {
        (RemoteFailure::Other, text)
    };
    StoreError::Remote { kind, message: format!("{doing} `{remote}`: {why}") }
}

fn find<'r>(repo: &'r Repository, remote: &str) -> Result<git2::Remote<'r>, StoreError> {
    repo.find_remote(remote)
        .map_err(|_| StoreError::Remote { kind: RemoteFailure::NotFound, message: format!("there is no remote `{remote}`; add one first") })
}

pub fn fetch(root: &Path, remote: &str, progress: &mut dyn FnMut(Progress)) -> Result<(), StoreError> {
    let repo = open(root)?;
    let mut r = find(&repo, remote)?;
    let mut opts = FetchOptions::new();
    opts.remote_callbacks(callbacks(&repo, progress));
    crate::http_transport::with_config(repo.config().ok(), || r.fetch(&[] as &[&str], Some(&mut opts), None))
        .map_err(|e| explain(remote, "fetch from", e))?;
    Ok(())
}

/// Pushes the current branch. A rejected (non-fast-forward) push says to pull first.
pub fn push(root: &Path, remote: &str, progress: &mut dyn FnMut(Progress)) -> Result<(), StoreError> {
    let repo = open(root)?;
    let branch = current_branch(&repo)?;
    let mut r = find(&repo, remote)?;
    let rejected = std::rc::Rc::new(std::cell::RefCell::new(None));
    let rej = rejected.clone();
    let mut cb = callbacks(&repo, progress);
    cb.push_update_reference(move |refname, status| {
        if let Some(s) = status {
            *rej.borrow_mut() = Some(format!("{refname}: {s}"));
        }
        Ok(())
    });
    let mut opts = PushOptions::new();
    opts.remote_callbacks(cb);
    let spec = format!("refs/heads/{branch}:refs/heads/{branch}");
    crate::http_transport::with_config(repo.config().ok(), || r.push(&[&spec], Some(&mut opts)))
        .map_err(|e| explain(remote, "push to", e))?;
    if let Some(why) = rejected.borrow().clone() {
        return Err(StoreError::Remote {
            kind: RemoteFailure::NotFastForward,
            message: format!("push to `{remote}` was rejected ({why}); pull first"),
        });
    }
    // Remember what the remote has now, as `git push` does.
    if let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) {
        let _ = repo.reference(&format!("refs/remotes/{remote}/{branch}"), head.id(), true, "atelier push");
    }
    Ok(())
}

/// Fetches, then merges the remote's copy of the current branch.
pub fn pull(root: &Path, remote: &str, progress: &mut dyn FnMut(Progress)) -> Result<MergeOutcome, StoreError> {
    {
        let repo = open(root)?;
        ensure_settled(&repo, "pulling")?;
    }
    fetch(root, remote, progress)?;
    let repo = open(root)?;
    let branch = current_branch(&repo)?;
    let theirs = match repo.find_reference(&format!("refs/remotes/{remote}/{branch}")) {
        Ok(r) => r.peel_to_commit().map_err(StoreError::git("read the fetched commit"))?.id(),
        Err(_) => return Ok(MergeOutcome::UpToDate), // the remote does not have this branch yet
    };
    merge_commit(&repo, root, theirs, &format!("Merge {remote}/{branch}"))
}
