//! The project's git history as the app shows it: status, the author, commits and the log.

use atelier_model::problem::ProblemCode;
use atelier_model::Problem;
use atelier_store::git;
use serde::Serialize;
use ts_rs::TS;

use crate::project::OpenProject;
use crate::{ApiError, ApiResult, ErrorCode};
#[derive(Debug, Clone, Serialize, TS)]
pub struct FileChange {
    pub path: String,
    pub change: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CommitEntry {
    pub id: String,
    pub author: String,
    pub email: String,
    /// Seconds since the Unix epoch, and the author's UTC offset in minutes.
    #[ts(type = "number")]
    pub time: i64,
    pub offset_minutes: i32,
    pub summary: String,
    /// New files this commit did not take (not design files, or named like
    /// secrets), each with why: `notes.txt (not a design file)`. Empty in the log.
    #[serde(default)]
    pub left_out: Vec<String>,
}

impl OpenProject {
    pub fn status(&self) -> ApiResult<Vec<FileChange>> {
        Ok(git::status(self.dir.root())?.into_iter().map(|s| FileChange { path: s.path, change: s.change.as_str().to_owned() }).collect())
    }

    /// The commit author git would use, if one is set.
    pub fn author(&self) -> Option<(String, String)> {
        git::author(self.dir.root()).ok()
    }

    /// Sets the author in this repository's own git config (asked once by the app).
    pub fn set_author(&self, name: &str, email: &str) -> ApiResult<()> {
        if name.trim().is_empty() || !email.contains('@') {
            return Err(ApiError::new(ErrorCode::NoAuthor, "a commit author needs a name and an email address"));
        }
        Ok(git::set_author(self.dir.root(), name.trim(), email.trim())?)
    }

    /// Commits every change. Refused while merge conflicts are open, so
    /// `$conflict` data never lands in history by accident.
    pub fn commit(&mut self, message: &str) -> ApiResult<CommitEntry> {
        self.reload()?;
        let open: Vec<Problem> = self.problems().into_iter().filter(|p| p.code == ProblemCode::MergeConflict).collect();
        if let Some(first) = open.first() {
            return Err(ApiError::new(
                ErrorCode::Conflicts,
                format!("{} merge conflict(s) are still open; resolve them first", open.len()),
            )
            .at(first.file.clone(), first.element.clone()));
        }
        let outcome = git::commit(self.dir.root(), message)?;
        let mut entry = self.log(1)?.into_iter().next().ok_or_else(|| ApiError::new(ErrorCode::Git, "the commit is not in the history"))?;
        entry.left_out = outcome.left_out.iter().map(|l| format!("{} ({})", l.path, l.reason.as_str())).collect();
        self.audit("commit", &entry.id.chars().take(12).collect::<String>(), message.lines().next().unwrap_or(""));
        Ok(entry)
    }

    pub fn log(&self, limit: usize) -> ApiResult<Vec<CommitEntry>> {
        Ok(git::log(self.dir.root(), limit)?
            .into_iter()
            .map(|c| CommitEntry {
                id: c.id,
                author: c.author,
                email: c.email,
                time: c.time,
                offset_minutes: c.offset_minutes,
                summary: c.summary,
                left_out: Vec::new(),
            })
            .collect())
    }
}
