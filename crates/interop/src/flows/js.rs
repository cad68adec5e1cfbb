//! The JavaScript an import writes: another tool's code wrapped in
//! `run(input)`, and n8n expressions as expressions over `input`.

use serde_json::Value;

/// A JavaScript string literal of `s`.
pub fn string(s: &str) -> String {
    // JSON strings are JavaScript strings (ES2019 reads U+2028 in them too).
    serde_json::to_string(s).expect("strings serialise")
}

/// `what` safe inside a one-line comment.
pub fn one_line(what: &str) -> String {
    what.chars().map(|c| if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { ' ' } else { c }).collect()
}

/// Lines of `text` as `//` comments.
pub fn comment(text: &str) -> String {
    text.lines().map(|l| format!("// {}\n", one_line(l)).replace("// \n", "//\n")).collect()
}

pub fn indent(code: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    code.lines().map(|l| if l.trim().is_empty() { "\n".to_owned() } else { format!("{pad}{l}\n") }).collect()
}

/// Helpers the generated scripts share: set and delete at a path.
pub const PATH_HELPERS: &str = "\n// Sets or deletes `path` (`a.b` is `[\"a\", \"b\"]`) in `obj`, making objects on the way.\n\
function put(obj, path, value) {\n  let at = obj;\n  for (const key of path.slice(0, -1)) {\n    \
if (typeof at[key] !== \"object\" || at[key] === null) at[key] = {};\n    at = at[key];\n  }\n  at[path[path.length - 1]] = value;\n}\n\
function drop(obj, path) {\n  let at = obj;\n  for (const key of path.slice(0, -1)) {\n    if (typeof at[key] !== \"object\" || at[key] === null) return;\n    \
at = at[key];\n  }\n  delete at[path[path.length - 1]];\n}\n";

/// A step that passes the state on unchanged.
pub fn pass_through(what: &str) -> String {
    format!("// Imported from {}: passes the state on unchanged.\nfunction run(input) {{\n  return input;\n}}\n", one_line(what))
}

/// A step for a node with no counterpart: its settings as a comment, and the
/// state passed on until the person writes what it does.
pub fn placeholder(what: &str, settings: &Value) -> String {
    let settings = serde_json::to_string_pretty(settings).unwrap_or_default();
    let settings: String = settings.chars().take(4_000).collect();
    format!(
        "// Imported from {}, which has no Atelier counterpart.\n// Write what it does here; its settings were:\n{}function run(input) {{\n  return input;\n}}\n",
        one_line(what),
        comment(&settings)
    )
}

/// The names in `code` that only the other tool gives it, with why each matters.
pub fn foreign_names(code: &str, names: &[(&str, &'static str)]) -> Vec<&'static str> {
    let mut why: Vec<&'static str> = names.iter().filter(|(n, _)| code.contains(n)).map(|(_, w)| *w).collect();
    why.dedup();
    why
}

/// What n8n code may use that the preview does not give it.
pub const N8N_ONLY: &[(&str, &str)] = &[
    ("await ", "awaits a promise (the preview runs code synchronously)"),
    ("$(", "reads another node's output"),
    ("$node", "reads another node's output"),
    ("$items(", "reads another node's output"),
    ("$env", "reads environment variables"),
    ("$workflow", "reads the n8n workflow"),
    ("$execution", "reads the n8n execution"),
    ("this.helpers", "uses n8n helpers"),
    ("require(", "loads modules"),
    ("$getWorkflowStaticData", "keeps n8n static data"),
];

/// What a Node-RED function may use that the preview does not give it.
pub const NODE_RED_ONLY: &[(&str, &str)] = &[
    ("node.send", "sends messages later with node.send"),
    ("setTimeout", "sends messages later with timers"),
    ("setInterval", "sends messages later with timers"),
    ("await ", "awaits a promise (the preview runs code synchronously)"),
    ("global.get", "reads global context"),
    ("flow.get", "reads flow context"),
    ("env.get", "reads environment variables"),
    ("RED.", "uses the Node-RED runtime"),
];

/// An n8n Code or Function node in `run(input)`: the state is the one item.
pub fn n8n_code(what: &str, code: &str, item_variable: bool) -> String {
    let item = if item_variable { "  const item = input;\n" } else { "" };
    format!(
        "// Imported from {what}. n8n runs this code on a list of items; here the\n\
         // state is the one item (`$json`, `$input.all()`, `items`), and the first\n\
         // item the code returns becomes the new state.\n\
         function run(input) {{\n\
         \x20 const items = [{{ json: input }}];\n\
         \x20 const $input = {{ all: () => items, first: () => items[0], last: () => items[0], item: items[0] }};\n\
         \x20 const $json = input;\n\
         {item}\
         \x20 const returned = (() => {{\n\
         {body}\
         \x20 }})();\n\
         \x20 const first = Array.isArray(returned) ? returned[0] : returned;\n\
         \x20 if (first === undefined || first === null) return input;\n\
         \x20 return first.json !== undefined ? first.json : first;\n\
         }}\n",
        what = one_line(what),
        body = indent(code, 4),
    )
}

/// A Node-RED function in `run(input)`: the message `msg` is the state.
pub fn node_red_function(what: &str, code: &str) -> String {
    format!(
        "// Imported from {what}. The message `msg` is the state; the message the\n\
         // function returns (the first, if it returns several) becomes the new state.\n\
         function run(input) {{\n\
         \x20 const memory = {{}};\n\
         \x20 const context = {{ get: (k) => memory[k], set: (k, v) => {{ memory[k] = v; }} }};\n\
         \x20 const node = {{\n\
         \x20   log: (m) => console.log(m),\n\
         \x20   warn: (m) => console.log(m),\n\
         \x20   error: (e) => {{ throw new Error(typeof e === \"string\" ? e : JSON.stringify(e)); }},\n\
         \x20   status: () => {{}},\n\
         \x20   send: () => {{}},\n\
         \x20   done: () => {{}},\n\
         \x20 }};\n\
         \x20 const returned = (function (msg) {{\n\
         {body}\
         \x20 }})(input);\n\
         \x20 const first = Array.isArray(returned) ? returned[0] : returned;\n\
         \x20 return first === undefined || first === null ? input : first;\n\
         }}\n",
        what = one_line(what),
        body = indent(code, 4),
    )
}

/// An n8n parameter value as a JavaScript expression over `input`, and
/// whether it translated faithfully. `={{ $json.total }} EUR` is an
/// expression with text around it; a value without `=` is a literal.
pub fn n8n_value(value: &Value) -> (String, bool) {
    let Some(text) = value.as_str().and_then(|s| s.strip_prefix('=')) else {
        return (serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()), true);
    };
    let mut parts: Vec<(bool, String)> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else { break };
        if open > 0 {
            parts.push((false, rest[..open].to_owned()));
        }
        parts.push((true, rest[open + 2..open + close].trim().to_owned()));
        rest = &rest[open + close + 2..];
    }
    if !rest.is_empty() {
        parts.push((false, rest.to_owned()));
    }
    let mut faithful = true;
    let mut expr = |e: &str| {
        let js = n8n_expression(e);
        faithful &= !has_foreign_dollar(&js);
        js
    };
    let js = match parts.as_slice() {
        [] => string(""),
        [(true, e)] => format!("({})", expr(e)),
        many => {
            let mut t = String::from("`");
            for (is_expr, p) in many {
                if *is_expr {
                    t.push_str(&format!("${{{}}}", expr(p)));
                } else {
                    t.push_str(&p.replace('\\', "\\\\").replace('`', "\\`").replace("${", "\\${"));
                }
            }
            t.push('`');
            t
        }
    };
    (js, faithful)
}

/// `$json.total` → `input.total`: the item is the state.
fn n8n_expression(e: &str) -> String {
    e.replace("$input.item.json", "input").replace("$input.first().json", "input").replace("$json", "input")
}

fn has_foreign_dollar(js: &str) -> bool {
    let b = js.as_bytes();
    b.iter().enumerate().any(|(i, c)| *c == b'$' && b.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || *n == b'(' || *n == b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn n8n_values_become_expressions_over_the_state() {
        assert_eq!(n8n_value(&json!("={{ $json.data }}")), ("(input.data)".to_owned(), true));
        assert_eq!(n8n_value(&json!("=Total: {{ $json.total }} `EUR`")), ("`Total: ${input.total} \\`EUR\\``".to_owned(), true));
        assert_eq!(n8n_value(&json!("plain")), ("\"plain\"".to_owned(), true));
        assert_eq!(n8n_value(&json!(5)), ("5".to_owned(), true));
        assert!(!n8n_value(&json!("={{ $('Code').item.json.x }}")).1);
        assert!(!n8n_value(&json!("={{ $node[\"Set\"].json.x }}")).1);
    }

    #[test]
    fn comments_cannot_end_early() {
        assert_eq!(comment("a\n*/ b\u{2028}c"), "// a\n// */ b c\n");
        assert_eq!(one_line("x\ny"), "x y");
    }
}
