//! `{{input.a.b}}` placeholders in step properties (paths, headers, bodies,
//! end outputs), filled from the run's state.

use serde_json::Value;

/// Fills every placeholder of a string. A string that is exactly one
/// placeholder becomes the value itself (a number stays a number); placeholders
/// inside text are written as text. A missing path is an error naming it.
pub fn render_str(template: &str, state: &Value) -> Result<Value, String> {
    let trimmed = template.trim();
    if let Some(inner) = trimmed.strip_prefix("{{").and_then(|t| t.strip_suffix("}}")) {
        if !inner.contains("{{") && !inner.contains("}}") {
            return lookup(inner.trim(), state).cloned();
        }
    }
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| format!("`{{{{` without `}}}}` in `{template}`"))?;
        let value = lookup(after[..end].trim(), state)?;
        match value {
            Value::String(s) => out.push_str(s),
            other => out.push_str(&other.to_string()),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(Value::String(out))
}

/// Like [`render_str`], but always text (for URLs and headers).
pub fn render_text(template: &str, state: &Value) -> Result<String, String> {
    Ok(match render_str(template, state)? {
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// Fills placeholders in every string of a JSON value.
pub fn render_value(template: &Value, state: &Value) -> Result<Value, String> {
    Ok(match template {
        Value::String(s) => render_str(s, state)?,
        Value::Array(items) => Value::Array(items.iter().map(|v| render_value(v, state)).collect::<Result<_, _>>()?),
        Value::Object(map) => Value::Object(
            map.iter().map(|(k, v)| Ok((k.clone(), render_value(v, state)?))).collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// `input.a.b` (or `input.items.0`) in the state; `input` is the state itself.
fn lookup<'a>(path: &str, state: &'a Value) -> Result<&'a Value, String> {
    let mut parts = path.split('.');
    if parts.next() != Some("input") {
        return Err(format!("placeholder `{{{{{path}}}}}` must start with `input.`"));
    }
    let mut cur = state;
    for part in parts {
        cur = match cur {
            Value::Object(m) => m.get(part),
            Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
        .ok_or_else(|| format!("placeholder `{{{{{path}}}}}`: the state has no `{part}` there"))?;
    }
    Ok(cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_placeholders_keep_their_type() {
        let s = json!({"amount": 12.5, "who": {"name": "Ada"}, "tags": ["a", "b"]});
        assert_eq!(render_str("{{input.amount}}", &s).unwrap(), json!(12.5));
        assert_eq!(render_str("{{ input.who }}", &s).unwrap(), json!({"name": "Ada"}));
        assert_eq!(render_str("/u/{{input.who.name}}/{{input.tags.1}}", &s).unwrap(), json!("/u/Ada/b"));
        assert_eq!(render_str("no placeholders", &s).unwrap(), json!("no placeholders"));
    }

    #[test]
    fn missing_paths_are_named() {
        let e = render_str("{{input.nope.x}}", &json!({})).unwrap_err();
        assert_eq!(e, "placeholder `{{input.nope.x}}`: the state has no `nope` there");
        assert!(render_str("{{secrets.X}}", &json!({})).unwrap_err().contains("must start with `input.`"));
        assert!(render_str("a {{input.x", &json!({"x": 1})).is_err());
    }
}
