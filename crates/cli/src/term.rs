//! Text from design files and scripts on its way to a terminal or a CI log:
//! control characters are shown, never obeyed. An escape sequence in a step's
//! log cannot set the window title, write the clipboard (OSC 52) or forge a
//! `PASS` line; it is printed as `\x1b]0;...`.

use std::borrow::Cow;

/// Prints a line, with control characters shown as text (newlines kept).
macro_rules! say {
    ($($arg:tt)*) => { println!("{}", $crate::term::text(&format!($($arg)*))) };
}

/// Like [`say!`], on standard error.
macro_rules! tell {
    ($($arg:tt)*) => { eprintln!("{}", $crate::term::text(&format!($($arg)*))) };
}

pub(crate) use {say, tell};

/// One line of text: every control character escaped, newlines included, so
/// nothing from a design or a script starts a line of its own.
pub fn line(s: &str) -> Cow<'_, str> {
    atelier_model::text::escape_controls(s, false)
}

/// Text of several lines (a diff, a block of output): newlines and tabs are
/// kept, every other control character is escaped.
pub fn text(s: &str) -> Cow<'_, str> {
    atelier_model::text::escape_controls(s, true)
}
