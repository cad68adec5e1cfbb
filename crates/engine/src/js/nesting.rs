//! How deeply code nests its brackets, counted before it is parsed: boa's
//! parser recurses without a limit (see `MAX_NESTING`).

/// The deepest nesting of `(`, `[` and `{` outside strings and comments.
pub(super) fn max_nesting(code: &str) -> usize {
    let b = code.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < b.len() {
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
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
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
}
