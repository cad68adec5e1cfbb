//! `{{input.a.b}}` placeholders in step properties (paths, headers, bodies,
//! end outputs), filled from the run's state, within a size budget.

use std::cell::Cell;

use serde_json::Value;

/// The most text and data one rendering may produce: a design file full of
/// placeholders that each copy a large state must not fill the memory.
pub const MAX_RENDERED_BYTES: usize = 8 * 1024 * 1024;

/// Fills every placeholder of a string. A string that is exactly one
/// placeholder becomes the value itself (a number stays a number); placeholders
/// inside text are written as text. A missing path is an error naming it.
pub fn render_str(template: &str, state: &Value) -> Result<Value, String> {
    render_str_within(template, state, &Cell::new(MAX_RENDERED_BYTES))
}

fn render_str_within(template: &str, state: &Value, budget: &Cell<usize>) -> Result<Value, String> {
    let trimmed = template.trim();
    if let Some(inner) = trimmed.strip_prefix("{{").and_then(|t| t.strip_suffix("}}")) {
        if !inner.contains("{{") && !inner.contains("}}") {
            let value = lookup(inner.trim(), state)?;
            spend(budget, approximate_size(value, budget.get()))?;
            return Ok(value.clone());
        }
    }
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| format!("`{{{{` without `}}}}` in `{}`", shorten(template)))?;
        let value = lookup(after[..end].trim(), state)?;
        spend(budget, approximate_size(value, budget.get()))?;
        match value {
            Value::String(s) => out.push_str(s),
            other => out.push_str(&other.to_string()),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    spend(budget, out.len())?;
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
    render_value_within(template, state, &Cell::new(MAX_RENDERED_BYTES))
}

fn render_value_within(template: &Value, state: &Value, budget: &Cell<usize>) -> Result<Value, String> {
    Ok(match template {
        Value::String(s) => render_str_within(s, state, budget)?,
        Value::Array(items) => Value::Array(items.iter().map(|v| render_value_within(v, state, budget)).collect::<Result<_, _>>()?),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| Ok((k.clone(), render_value_within(v, state, budget)?))).collect::<Result<_, String>>()?)
        }
        other => other.clone(),
    })
}

fn spend(budget: &Cell<usize>, bytes: usize) -> Result<(), String> {
    match budget.get().checked_sub(bytes) {
        Some(left) => {
            budget.set(left);
            Ok(())
        }
        None => Err(format!("limit exceeded: placeholders would make more than {} MiB", MAX_RENDERED_BYTES >> 20)),
    }
}

/// About how many bytes `v` takes as JSON, counting no further than `limit`
/// (so that checking a huge value costs no more than the budget left).
fn approximate_size(v: &Value, limit: usize) -> usize {
    let mut total = 0usize;
    let mut todo = vec![v];
    while let Some(v) = todo.pop() {
        total += match v {
            Value::Null | Value::Bool(_) => 5,
            Value::Number(_) => 24,
            Value::String(s) => s.len() + 2,
            Value::Array(a) => {
                todo.extend(a.iter());
                a.len() + 2
            }
            Value::Object(m) => {
                todo.extend(m.values());
                m.keys().map(|k| k.len() + 4).sum::<usize>() + 2
            }
        };
        if total > limit {
            return total;
        }
    }
    total
}

/// The start of a long template, for an error message.
fn shorten(s: &str) -> String {
    let mut t: String = s.chars().take(80).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
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

    #[test]
    fn a_template_cannot_blow_up_the_memory() {
        let big = json!({"blob": "x".repeat(1 << 20)});
        let many: Vec<Value> = (0..100).map(|_| json!("{{input.blob}}")).collect();
        let e = render_value(&Value::Array(many), &big).unwrap_err();
        assert!(e.contains("limit exceeded"), "{e}");
        let text = "{{input.blob}}".repeat(100);
        assert!(render_str(&text, &big).unwrap_err().contains("limit exceeded"));
        // Within the budget, all is as before.
        assert_eq!(render_value(&json!(["{{input.blob}}"]), &big).unwrap()[0].as_str().unwrap().len(), 1 << 20);
    }
}
