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
    escape(s, false)
}

/// Text of several lines (a diff, a block of output): newlines and tabs are
/// kept, every other control character is escaped.
pub fn text(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn needs_escape(c: char, keep_lines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_lines,
        // C0, DEL and C1 controls; the bidirectional overrides that make
        // text read in another order than it runs ("Trojan Source").
        c if c.is_control() => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

fn escape(s: &str, keep_lines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c, keep_lines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !needs_escape(c, keep_lines) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(line("\u{1b}]0;pwned\u{7}"), "\\x1b]0;pwned\\x07");
        assert_eq!(line("\u{1b}]52;c;ZWNobw==\u{7}"), "\\x1b]52;c;ZWNobw==\\x07");
        assert_eq!(line("ok\nPASS  w/c  forged\r"), "ok\\nPASS  w/c  forged\\r");
        assert_eq!(text("a\n\tb\u{9b}c\u{202e}d"), "a\n\tb\\x9bc\\u{202e}d");
        assert!(matches!(line("plain, accented é, emoji 😀"), Cow::Borrowed(_)));
    }
}
