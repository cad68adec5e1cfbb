//! How deeply code nests its brackets, counted before it is parsed: boa's
//! parser recurses without a limit (see `MAX_NESTING`). What this misses
//! (long chains of unary operators, say) still ends as a clear stack limit
//! when the worker's stack overflows (`pool.rs`, `death_reason`).

/// What an opening character started.
#[derive(Clone, Copy, PartialEq)]
enum Frame {
    /// `(`, `[` or `{` in code.
    Bracket,
    /// A template literal's text, between backticks.
    Template,
    /// A template's `${ ... }`: code again, one level deeper.
    Substitution,
}

/// The deepest nesting of `(`, `[`, `{` and template substitutions (`${`)
/// outside strings, comments and template text.
pub(super) fn max_nesting(code: &str) -> usize {
    let b = code.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    let mut frames: Vec<Frame> = Vec::new();
    while i < b.len() {
        if frames.last() == Some(&Frame::Template) {
            match b[i] {
                b'\\' => i += 1,
                b'`' => {
                    frames.pop();
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    frames.push(Frame::Substitution);
                    depth += 1;
                    max = max.max(depth);
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => frames.push(Frame::Template),
            b'(' | b'[' | b'{' => {
                frames.push(Frame::Bracket);
                depth += 1;
                max = max.max(depth);
            }
            // A `}` that closes a substitution goes back to its template's text.
            b')' | b']' | b'}' if frames.pop().is_some() => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    max
}

#[cfg(test)]
mod tests {
    use super::max_nesting;

    #[test]
    fn nesting_ignores_strings_and_comments() {
        assert_eq!(max_nesting("f([{a: 1}])"), 3);
        assert_eq!(max_nesting("'((((' + \"[[\" // ((((\n /* {{{ */ x"), 0);
        assert_eq!(max_nesting(&"(".repeat(300)), 300);
    }

    #[test]
    fn template_substitutions_nest_and_template_text_does_not() {
        assert_eq!(max_nesting("`(((( [[ {{ \\${ ${x}`"), 1);
        assert_eq!(max_nesting("`${`${`${f(x)}`}`}`"), 4);
        assert_eq!(max_nesting("`${ {a: [1]} }` + (b)"), 3);
        let deep = format!("{}x{}", "`${".repeat(300), "}`".repeat(300));
        assert_eq!(max_nesting(&deep), 300);
    }
}
