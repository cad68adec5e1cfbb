//! Finds secrets written into design files. A design names a secret
//! (`FX_API_KEY`); it never holds one, because design files are shared in git.

use crate::problem::ProblemCode;
use serde_json::Value;

use crate::id::is_secret_name;
use crate::problem::{pointer, Problem};

const HINT: &str = "declare it in secrets.required.json and refer to it by name";

/// Checks every string of a JSON design file.
pub fn scan_value(file: &str, value: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    walk(file, value, None, &mut path, &mut out);
    out
}

/// Checks a script's text for well-known credential shapes.
pub fn scan_text(file: &str, text: &str) -> Vec<Problem> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            known_credential(line).map(|what| {
                Problem::error(file, ProblemCode::SecretInDesign, format!("{what} written into a script; {HINT}")).with_position(i + 1, 1)
            })
        })
        .collect()
}

fn walk(file: &str, value: &Value, key: Option<&str>, path: &mut Vec<String>, out: &mut Vec<Problem>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(k.clone());
                walk(file, v, Some(k), path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(file, v, key, path, out);
                path.pop();
            }
        }
        Value::String(s) => {
            let finding =
                known_credential(s).or_else(|| key.filter(|k| is_credential_key(k) && looks_like_a_value(s)).map(|_| "a credential"));
            if let Some(what) = finding {
                out.push(
                    Problem::error(file, ProblemCode::SecretInDesign, format!("{what} written into a design file; {HINT}"))
                        .at_pointer(pointer(path)),
                );
            }
        }
        _ => {}
    }
}

/// Keys whose string value is, by name, a credential.
fn is_credential_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace(['-', '_'], "");
    ["password", "passwd", "secret", "token", "apikey", "authorization", "privatekey", "clientsecret", "accesskey"]
        .iter()
        .any(|word| k.contains(word))
}

/// A value, as opposed to a secret's name or a `{{secrets.NAME}}` placeholder.
fn looks_like_a_value(s: &str) -> bool {
    let t = s.trim();
    !(t.is_empty() || is_secret_name(t) || (t.starts_with("{{") && t.ends_with("}}")))
}

/// Recognises credentials by shape, wherever they appear.
fn known_credential(s: &str) -> Option<&'static str> {
    if s.contains("-----BEGIN") && s.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    let tokens = s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    for t in tokens {
        if t.len() == 20 && t.starts_with("AKIA") && t[4..].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return Some("an AWS access key");
        }
        if (t.starts_with("ghp_") || t.starts_with("gho_") || t.starts_with("github_pat_")) && t.len() >= 36 {
            return Some("a GitHub token");
        }
        if (t.starts_with("sk_live_") || t.starts_with("rk_live_")) && t.len() >= 20 {
            return Some("a Stripe secret key");
        }
        if (t.starts_with("xoxb-") || t.starts_with("xoxp-")) && t.len() >= 20 {
            return Some("a Slack token");
        }
    }
    if let Some(rest) = s.trim().strip_prefix("Bearer ") {
        if rest.len() >= 16 && !rest.contains("{{") {
            return Some("a bearer token");
        }
    }
    if let Some((scheme, rest)) = s.split_once("://") {
        if scheme.starts_with("http") {
            let authority = rest.split('/').next().unwrap_or("");
            if let Some((userinfo, _)) = authority.rsplit_once('@') {
                if userinfo.contains(':') {
                    return Some("a password in a URL");
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_and_placeholders_are_fine() {
        let v = json!({"auth": {"kind": "bearer", "secret": "FX_API_KEY"}, "headers": {"Authorization": "{{secrets.FX}}"}});
        assert!(scan_value("s.json", &v).is_empty());
    }

    #[test]
    fn values_are_found_where_they_are() {
        let v = json!({"headers": {"X-Api-Token": "abc123def456"}, "url": "https://bob:hunter2@example.com/x"});
        let found: Vec<_> = scan_value("s.json", &v).into_iter().map(|p| p.element.unwrap()).collect();
        assert_eq!(found, ["/headers/X-Api-Token", "/url"]);
    }

    #[test]
    fn scripts_are_scanned_by_shape() {
        let p = scan_text("a.js", "const k = 'AKIAABCDEFGHIJKLMNOP';\n");
        assert_eq!(p.len(), 1);
        assert!(scan_text("a.js", "const token = input.token;\n").is_empty());
    }
}
