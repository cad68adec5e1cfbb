//! JavaScript over `input` into FEEL over process variables, for the subset
//! that means the same in both: fields of the state, literals, comparisons,
//! `&&`/`||`, arithmetic and parentheses. Anything else is refused (none),
//! and the caller reports it rather than guess.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Path(Vec<String>),
    Num(String),
    Str(String),
    Word(&'static str),
    Op(&'static str),
    Open,
    Close,
}

fn tokens(js: &str) -> Option<Vec<Tok>> {
    let b: Vec<char> = js.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == '.') {
                i += 1;
            }
            out.push(Tok::Num(b[start..i].iter().collect()));
        } else if c == '"' || c == '\'' {
            let mut s = String::new();
            i += 1;
            while i < b.len() && b[i] != c {
                if b[i] == '\\' {
                    i += 1;
                    match b.get(i)? {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        other => s.push(*other),
                    }
                } else {
                    s.push(b[i]);
                }
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '_' || b[i] == '$' || b[i] == '.') {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            out.push(match word.as_str() {
                "true" => Tok::Word("true"),
                "false" => Tok::Word("false"),
                "null" | "undefined" => Tok::Word("null"),
                w => {
                    let parts: Vec<String> = w.split('.').map(str::to_owned).collect();
                    // Only fields of the state: `input.amount`, never `Math.round` or `input` whole.
                    if parts.len() < 2 || parts[0] != "input" || parts.iter().any(|p| p.is_empty() || p == "length" || p.contains('$')) {
                        return None;
                    }
                    Tok::Path(parts[1..].to_vec())
                }
            });
        } else {
            let rest: String = b[i..b.len().min(i + 3)].iter().collect();
            let (op, len): (&'static str, usize) = match () {
                _ if rest.starts_with("===") => ("=", 3),
                _ if rest.starts_with("!==") => ("!=", 3),
                _ if rest.starts_with("==") => ("=", 2),
                _ if rest.starts_with("!=") => ("!=", 2),
                _ if rest.starts_with("<=") => ("<=", 2),
                _ if rest.starts_with(">=") => (">=", 2),
                _ if rest.starts_with("&&") => ("and", 2),
                _ if rest.starts_with("||") => ("or", 2),
                _ => match c {
                    '<' => ("<", 1),
                    '>' => (">", 1),
                    '+' => ("+", 1),
                    '-' => ("-", 1),
                    '*' => ("*", 1),
                    '/' => ("/", 1),
                    '(' => {
                        out.push(Tok::Open);
                        i += 1;
                        continue;
                    }
                    ')' => {
                        out.push(Tok::Close);
                        i += 1;
                        continue;
                    }
                    _ => return None,
                },
            };
            out.push(Tok::Op(op));
            i += len;
        }
    }
    Some(out)
}

/// A FEEL name for a state field; FEEL reads `-` as minus, so such names are refused.
fn name(part: &str) -> Option<&str> {
    part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_').then_some(part)
}

/// `input.amount_eur > 1000 && input.currency !== "EUR"` →
/// `amount_eur > 1000 and currency != "EUR"`; none outside the subset.
pub fn expression(js: &str) -> Option<String> {
    let toks = tokens(js.trim())?;
    if toks.is_empty() {
        return None;
    }
    let mut depth = 0i32;
    let mut out: Vec<String> = Vec::new();
    for t in &toks {
        out.push(match t {
            Tok::Path(p) => p.iter().map(|s| name(s)).collect::<Option<Vec<_>>>()?.join("."),
            Tok::Num(n) => n.clone(),
            Tok::Str(s) => string(s),
            Tok::Word(w) => (*w).to_owned(),
            Tok::Op(o) => (*o).to_owned(),
            Tok::Open => {
                depth += 1;
                "(".to_owned()
            }
            Tok::Close => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
                ")".to_owned()
            }
        });
    }
    (depth == 0).then(|| out.join(" ").replace("( ", "(").replace(" )", ")"))
}

/// A FEEL string literal.
pub fn string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}

/// Atelier's placeholder text (`/latest?base={{input.currency}}`) as a FEEL
/// expression building the same text; none when a placeholder is not a field.
pub fn template(text: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let close = rest[open..].find("}}")? + open;
        if open > 0 {
            parts.push(string(&rest[..open]));
        }
        let inner = rest[open + 2..close].trim();
        let Some(Tok::Path(p)) = tokens(inner)?.into_iter().next().filter(|_| !inner.contains(' ')) else { return None };
        let path = p.iter().map(|s| name(s)).collect::<Option<Vec<_>>>()?.join(".");
        parts.push(format!("string({path})"));
        rest = &rest[close + 2..];
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(string(rest));
    }
    Some(parts.join(" + "))
}

/// `function run(input) { return { ...input, a: E1, b: E2 }; }` → `[(a, E1'), (b, E2')]`
/// in FEEL: a transform that only adds fields computed from the state.
pub fn transform(script: &str) -> Option<Vec<(String, String)>> {
    let code: String = script.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let body = code.trim().strip_prefix("function run(input)")?.trim().strip_prefix('{')?.trim().strip_suffix('}')?.trim();
    let object = body.strip_prefix("return")?.trim().trim_end_matches(';').trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut fields = Vec::new();
    let mut spread = false;
    for part in split_top(object)? {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if part == "...input" {
            spread = true;
            continue;
        }
        let (key, value) = part.split_once(':')?;
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        fields.push((name(key)?.to_owned(), expression(value)?));
    }
    (spread && !fields.is_empty()).then_some(fields)
}

/// Splits at commas outside brackets and strings.
fn split_top(s: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut quote) = (0i32, 0, None);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    (depth == 0 && quote.is_none()).then_some(parts)
}

/// FEEL over process variables back into JavaScript over `input`, for the
/// same subset: `amount_eur > 1000 and currency != "EUR"` →
/// `input.amount_eur > 1000 && input.currency !== "EUR"`. A leading `=` is allowed.
pub fn to_js(feel: &str) -> Option<String> {
    let text = feel.trim().strip_prefix('=').unwrap_or(feel.trim()).trim();
    let b: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == '.') {
                i += 1;
            }
            out.push(b[start..i].iter().collect());
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                s.push(*b.get(i)?);
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            i += 1;
            out.push(serde_json::to_string(&s).ok()?);
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '_' || b[i] == '.') {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            if !matches!(word.as_str(), "and" | "or") && b[i..].iter().find(|c| !c.is_whitespace()) == Some(&'(') {
                return None; // a function call
            }
            out.push(match word.as_str() {
                "and" => "&&".to_owned(),
                "or" => "||".to_owned(),
                "true" | "false" | "null" => word,
                w if w.split('.').all(|p| !p.is_empty())
                    && !matches!(w, "not" | "if" | "then" | "else" | "for" | "in" | "some" | "every") =>
                {
                    format!("input.{w}")
                }
                _ => return None,
            });
        } else {
            let two: String = b[i..b.len().min(i + 2)].iter().collect();
            let (op, len) = match () {
                _ if two == "!=" => ("!==", 2),
                _ if two == "<=" => ("<=", 2),
                _ if two == ">=" => (">=", 2),
                _ => match c {
                    '=' => ("===", 1),
                    '<' => ("<", 1),
                    '>' => (">", 1),
                    '+' => ("+", 1),
                    '-' => ("-", 1),
                    '*' => ("*", 1),
                    '/' => ("/", 1),
                    '(' => ("(", 1),
                    ')' => (")", 1),
                    _ => return None,
                },
            };
            out.push(op.to_owned());
            i += len;
        }
    }
    (!out.is_empty()).then(|| out.join(" ").replace("( ", "(").replace(" )", ")"))
}

/// A FEEL text built by [`template`] (`"/x?b=" + string(currency)`) back
/// into Atelier's placeholder text (`/x?b={{input.currency}}`).
pub fn untemplate(feel: &str) -> Option<String> {
    let text = feel.trim().strip_prefix('=').unwrap_or(feel.trim());
    let mut out = String::new();
    for part in split_plus(text)? {
        let part = part.trim();
        if let Some(lit) = part.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
            out.push_str(&lit.replace("\\\"", "\"").replace("\\\\", "\\"));
        } else {
            let inner = part.strip_prefix("string(").and_then(|p| p.strip_suffix(')')).unwrap_or(part);
            if !inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') || inner.is_empty() {
                return None;
            }
            out.push_str(&format!("{{{{input.{inner}}}}}"));
        }
    }
    Some(out)
}

/// Splits at `+` outside strings.
fn split_plus(s: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '+' if !quoted => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    (!quoted).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_subset_translates() {
        assert_eq!(expression("input.amount_eur > 1000").as_deref(), Some("amount_eur > 1000"));
        assert_eq!(
            expression("input.a === 'x' && (input.b.c <= 2 || input.d !== null)").as_deref(),
            Some("a = \"x\" and (b.c <= 2 or d != null)")
        );
        assert_eq!(expression("input.total * 2 - 1").as_deref(), Some("total * 2 - 1"));
    }

    #[test]
    fn anything_else_is_refused() {
        for js in [
            "Math.round(input.a)",
            "input",
            "input.lines.length",
            "input.a ? 1 : 2",
            "!input.ok",
            "input['a']",
            "input.a-b > 1",
            "input.a % 2",
            "(input.a",
        ] {
            assert_eq!(expression(js), None, "{js}");
        }
    }

    #[test]
    fn templates_and_simple_transforms_translate() {
        assert_eq!(template("/latest?base={{input.currency}}&x=1").as_deref(), Some("\"/latest?base=\" + string(currency) + \"&x=1\""));
        assert_eq!(template("/plain").as_deref(), Some("\"/plain\""));
        assert_eq!(template("/{{input.a + 1}}"), None);
        let t = transform("// why\nfunction run(input) {\n  return { ...input, total: input.net * 1.2, vat: input.net * 0.2 };\n}\n");
        assert_eq!(t, Some(vec![("total".into(), "net * 1.2".into()), ("vat".into(), "net * 0.2".into())]));
        assert_eq!(transform("function run(input) {\n  const x = 1;\n  return { ...input, x };\n}"), None);
    }

    #[test]
    fn feel_reads_back_as_javascript() {
        assert_eq!(to_js("=amount_eur > 1000").as_deref(), Some("input.amount_eur > 1000"));
        assert_eq!(to_js("=paid = false").as_deref(), Some("input.paid === false"));
        assert_eq!(to_js("= var2=true").as_deref(), Some("input.var2 === true"));
        assert_eq!(to_js("=a != \"x\" or (b <= 2)").as_deref(), Some("input.a !== \"x\" || (input.b <= 2)"));
        assert_eq!(to_js("=count(items) > 1"), None);
        for js in ["input.amount_eur > 1000 && input.currency !== \"EUR\"", "(input.a + 1) * 2 >= input.b.c"] {
            assert_eq!(to_js(&expression(js).unwrap()).as_deref(), Some(js), "round trip of {js}");
        }
        assert_eq!(
            untemplate(&template("https://x.org/latest?base={{input.currency}}&s=EUR").unwrap()).as_deref(),
            Some("https://x.org/latest?base={{input.currency}}&s=EUR")
        );
    }
}
