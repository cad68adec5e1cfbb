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

/// What kind of problem, stable and machine-readable (`missing-step`): the
/// app and the CLI branch on it, never on a message. Exported to TypeScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemCode {
    BadCron,
    BadErrorPolicy,
    BadFileName,
    BadId,
    BadJoin,
    BadLanguage,
    BadPath,
    BadPattern,
    /// An example record that does not fit its entity.
    BadExample,
    BadPlacement,
    BadRule,
    BadUrl,
    BadWait,
    BrokenSymlink,
    ByteOrderMark,
    CallCycle,
    DanglingExit,
    DeadEnd,
    DuplicateKey,
    EmptyCondition,
    EmptyFile,
    EmptyItems,
    FileTooLarge,
    FormatTooNew,
    InvalidUtf8,
    InvalidValue,
    KindMismatch,
    LimitAboveDefault,
    LimitZero,
    MalformedJson,
    MergeConflict,
    MissingArtifact,
    MissingEntity,
    MissingEnum,
    MissingField,
    MissingFile,
    MissingForm,
    MissingKey,
    MissingManifest,
    MissingModel,
    MissingOption,
    MissingParameter,
    MissingScript,
    MissingSource,
    MissingStep,
    MissingWorkflow,
    NotADirectory,
    NotAFile,
    OrphanNode,
    OrphanScript,
    Policy,
    SameFile,
    SecretInDesign,
    SymlinkOutside,
    TooDeep,
    TruncatedJson,
    UnboundInput,
    UndeclaredSecret,
    UnexpectedFile,
    UnfilledRequired,
    Unfinished,
    UnknownOperation,
    UnreachableStep,
    Unreadable,
}

impl ProblemCode {
    pub fn as_str(&self) -> &'static str {
        match self {
            ProblemCode::BadCron => "bad-cron",
            ProblemCode::BadErrorPolicy => "bad-error-policy",
            ProblemCode::BadFileName => "bad-file-name",
            ProblemCode::BadJoin => "bad-join",
            ProblemCode::BadId => "bad-id",
            ProblemCode::BadLanguage => "bad-language",
            ProblemCode::BadPath => "bad-path",
            ProblemCode::BadPattern => "bad-pattern",
            ProblemCode::BadExample => "bad-example",
            ProblemCode::BadPlacement => "bad-placement",
            ProblemCode::BadRule => "bad-rule",
            ProblemCode::BadWait => "bad-wait",
            ProblemCode::BadUrl => "bad-url",
            ProblemCode::BrokenSymlink => "broken-symlink",
            ProblemCode::CallCycle => "call-cycle",
            ProblemCode::ByteOrderMark => "byte-order-mark",
            ProblemCode::DanglingExit => "dangling-exit",
            ProblemCode::DeadEnd => "dead-end",
            ProblemCode::DuplicateKey => "duplicate-key",
            ProblemCode::EmptyCondition => "empty-condition",
            ProblemCode::EmptyItems => "empty-items",
            ProblemCode::EmptyFile => "empty-file",
            ProblemCode::FileTooLarge => "file-too-large",
            ProblemCode::FormatTooNew => "format-too-new",
            ProblemCode::InvalidUtf8 => "invalid-utf8",
            ProblemCode::InvalidValue => "invalid-value",
            ProblemCode::KindMismatch => "kind-mismatch",
            ProblemCode::LimitAboveDefault => "limit-above-default",
            ProblemCode::LimitZero => "limit-zero",
            ProblemCode::MalformedJson => "malformed-json",
            ProblemCode::MergeConflict => "merge-conflict",
            ProblemCode::MissingArtifact => "missing-artifact",
            ProblemCode::MissingEntity => "missing-entity",
            ProblemCode::MissingEnum => "missing-enum",
            ProblemCode::MissingField => "missing-field",
            ProblemCode::MissingFile => "missing-file",
            ProblemCode::MissingForm => "missing-form",
            ProblemCode::MissingKey => "missing-key",
            ProblemCode::MissingManifest => "missing-manifest",
            ProblemCode::MissingModel => "missing-model",
            ProblemCode::MissingOption => "missing-option",
            ProblemCode::MissingParameter => "missing-parameter",
            ProblemCode::MissingScript => "missing-script",
            ProblemCode::MissingSource => "missing-source",
            ProblemCode::MissingWorkflow => "missing-workflow",
            ProblemCode::MissingStep => "missing-step",
            ProblemCode::NotADirectory => "not-a-directory",
            ProblemCode::NotAFile => "not-a-file",
            ProblemCode::OrphanNode => "orphan-node",
            ProblemCode::OrphanScript => "orphan-script",
            ProblemCode::Policy => "policy",
            ProblemCode::SameFile => "same-file",
            ProblemCode::SecretInDesign => "secret-in-design",
            ProblemCode::SymlinkOutside => "symlink-outside",
            ProblemCode::TooDeep => "too-deep",
            ProblemCode::TruncatedJson => "truncated-json",
            ProblemCode::UnboundInput => "unbound-input",
            ProblemCode::UndeclaredSecret => "undeclared-secret",
            ProblemCode::UnexpectedFile => "unexpected-file",
            ProblemCode::UnfilledRequired => "unfilled-required",
            ProblemCode::Unfinished => "unfinished",
            ProblemCode::UnknownOperation => "unknown-operation",
            ProblemCode::UnreachableStep => "unreachable-step",
            ProblemCode::Unreadable => "unreadable",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So a test (or a reader) can say `problem.code == "missing-step"`.
impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
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
    pub code: ProblemCode,
    pub message: String,
}

impl Problem {
    pub fn error(file: impl Into<String>, code: ProblemCode, message: impl Into<String>) -> Problem {
        Problem { file: file.into(), position: None, element: None, severity: Severity::Error, code, message: message.into() }
    }

    pub fn warning(file: impl Into<String>, code: ProblemCode, message: impl Into<String>) -> Problem {
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
