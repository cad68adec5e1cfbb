//! Text from design files and scripts shown to a person (a terminal, a CI
//! log, a review): control characters are written out, never obeyed.

use std::borrow::Cow;

/// `s` with every control character written as text (`\x1b`, `\u{202e}`),
/// and the bidirectional overrides that make text read in another order than
/// it runs ("Trojan Source"). With `keep_lines`, newlines and tabs stay as
/// they are (a block of text); without, they are written `\n` and `\t` too,
/// so nothing from a design starts a line of its own.
pub fn escape_controls(s: &str, keep_lines: bool) -> Cow<'_, str> {
    let needs = |c: char| match c {
        '\n' | '\t' => !keep_lines,
        c if c.is_control() => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    };
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            c if !needs(c) => out.push(c),
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
    use super::escape_controls as e;
    use std::borrow::Cow;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(e("\u{1b}]0;pwned\u{7}", false), "\\x1b]0;pwned\\x07");
        assert_eq!(e("\u{1b}]52;c;ZWNobw==\u{7}", false), "\\x1b]52;c;ZWNobw==\\x07");
        assert_eq!(e("ok\nPASS  w/c  forged\r", false), "ok\\nPASS  w/c  forged\\r");
        assert_eq!(e("a\n\tb\u{9b}c\u{202e}d", true), "a\n\tb\\x9bc\\u{202e}d");
        assert!(matches!(e("plain, accented é, emoji 😀", false), Cow::Borrowed(_)));
    }
}
