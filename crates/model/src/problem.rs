//! Problems found in a project: each names the file, the element and what is wrong.

use std::fmt;

use serde::Serialize;
use ts_rs::TS;

/// How bad a problem is. Errors fail `atelier validate`; warnings are shown only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A line and column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[ts(rename = "TextPosition")]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One thing wrong with a project.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
pub struct Problem {
    /// The file, relative to the project root, with `/` separators.
    pub file: String,
    /// Where in the file, when the text could be read far enough to know.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub position: Option<Position>,
    /// The element: a JSON pointer into the file (`/steps/check/next`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub element: Option<String>,
    pub severity: Severity,
    /// A stable, machine-readable kind, such as `missing-step`.
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn error(file: impl Into<String>, code: &str, message: impl Into<String>) -> Problem {
        Problem {
            file: file.into(),
            position: None,
            element: None,
            severity: Severity::Error,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    pub fn warning(file: impl Into<String>, code: &str, message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Warning, ..Problem::error(file, code, message) }
    }

    /// Points the problem at an element, given as JSON pointer segments.
    pub fn at<S: AsRef<str>>(mut self, segments: &[S]) -> Problem {
        self.element = if segments.is_empty() { None } else { Some(pointer(segments)) };
        self
    }

    /// Points the problem at an element given as a ready JSON pointer.
    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Problem {
        let p = pointer.into();
        self.element = if p.is_empty() { None } else { Some(p) };
        self
    }

    pub fn with_position(mut self, line: usize, column: usize) -> Problem {
        self.position = Some(Position { line, column });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Builds an RFC 6901 JSON pointer from segments.
pub fn pointer<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::new();
    for s in segments {
        out.push('/');
        out.push_str(&s.as_ref().replace('~', "~0").replace('/', "~1"));
    }
    out
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}", self.file)?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        if let Some(e) = &self.element {
            write!(f, ": {e}")?;
        }
        write!(f, ": {} [{}]", self.message, self.code)
    }
}
