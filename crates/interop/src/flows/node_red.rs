//! Node-RED flow exports (a flat array of nodes wired by id): inject and
//! `http in` as triggers, function, switch, change, template, delay, HTTP
//! request, debug and HTTP response nodes, catch nodes as error routes.
//! Everything else becomes a step to finish.

use atelier_model::workflow::{HttpMethod, Trigger};
use serde_json::Value;

use super::graph::{Draft, Graph, Node};
use super::{js, MAX_FLOW_NODES};
use crate::ImportError;

pub(crate) fn read(v: &Value, fallback_name: &str) -> Result<Graph, ImportError> {
    let nodes = match v {
        Value::Array(nodes) => nodes,
        Value::Object(o) => match o.get("flows") {
            Some(Value::Array(nodes)) => nodes,
            _ => return Err(ImportError::Invalid("this is not a Node-RED flow: it is neither a list of nodes nor has `flows`".into())),
        },
        _ => return Err(ImportError::Invalid("this is not a Node-RED flow: it is not a list of nodes".into())),
    };
    if nodes.len() > MAX_FLOW_NODES {
        return Err(ImportError::Invalid(format!("the flow has {} nodes; Atelier imports at most {MAX_FLOW_NODES}", nodes.len())));
    }
    let s = |n: &Value, k: &str| n.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let tabs: Vec<&Value> = nodes.iter().filter(|n| s(n, "type") == "tab").collect();
    let subflows: Vec<String> = nodes.iter().filter(|n| s(n, "type") == "subflow").map(|n| s(n, "id")).collect();
    let mut g =
        Graph::new(tabs.first().map(|t| s(t, "label")).filter(|l| !l.trim().is_empty()).unwrap_or_else(|| fallback_name.to_owned()));
    if tabs.len() > 1 {
        g.notes.push(format!("the export has {} flows; only the first, {}, is imported", tabs.len(), js::string(&g.name)));
    }
    if !subflows.is_empty() {
        g.notes.push(format!("{} subflow(s) are left out; import each as its own workflow", subflows.len()));
    }
    let first_tab = tabs.first().map(|t| s(t, "id"));
    let mut comments = Vec::new();
    let mut catches: Vec<(Option<Vec<String>>, Vec<String>)> = Vec::new();
    for n in nodes {
        let kind = s(n, "type");
        let z = s(n, "z");
        if kind == "tab" || kind == "subflow" || subflows.contains(&z) || first_tab.as_ref().is_some_and(|t| !z.is_empty() && *t != z) {
            continue;
        }
        let label = s(n, "name");
        let what = if label.is_empty() { format!("Node-RED {kind} node") } else { format!("Node-RED {kind} node {}", js::string(&label)) };
        let name = if label.is_empty() { title(&kind) } else { label.clone() };
        let outputs: Vec<Vec<String>> = n
            .get("wires")
            .and_then(Value::as_array)
            .map(|w| {
                w.iter()
                    .map(|o| o.as_array().map(|t| t.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default();
        let draft = match kind.as_str() {
            "comment" => {
                comments.push(label);
                continue;
            }
            "group" => continue,
            "catch" => {
                let scope =
                    n.get("scope").and_then(Value::as_array).map(|s| s.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect());
                catches.push((scope, outputs.into_iter().next().unwrap_or_default()));
                continue;
            }
            "inject" => {
                g.triggers.push((inject(n, &what, &mut g.notes), outputs.into_iter().next().unwrap_or_default(), what));
                continue;
            }
            "http in" => {
                let method = match s(n, "method").as_str() {
                    "post" => HttpMethod::Post,
                    "put" => HttpMethod::Put,
                    "patch" => HttpMethod::Patch,
                    "delete" => HttpMethod::Delete,
                    _ => HttpMethod::Get,
                };
                let path = format!("/{}", s(n, "url").trim_start_matches('/'));
                g.triggers.push((Trigger::Webhook { path, method }, outputs.into_iter().next().unwrap_or_default(), what));
                continue;
            }
            _ if n.get("wires").is_none() && n.get("x").is_none() => {
                g.notes.push(format!("configuration node {} ({kind}) is left out", js::string(&name)));
                continue;
            }
            "function" => function(n, &what, &outputs),
            "switch" => switch(n, &what, &mut g.notes),
            "change" => change(n, &what),
            "template" => template(n, &what),
            "http request" => super::http::node_red_request(n, &what, &mut g),
            "delay" if s(n, "pauseType") == "delay" => {
                let amount: f64 = s(n, "timeout").parse().unwrap_or(5.0);
                let unit = match s(n, "timeoutUnits").as_str() {
                    "milliseconds" => 1.0,
                    "minutes" => 60_000.0,
                    "hours" => 3_600_000.0,
                    "days" => 86_400_000.0,
                    _ => 1_000.0,
                };
                Draft::Wait { duration_ms: (amount.max(0.0) * unit).min(1e15) as u64 }
            }
            "debug" | "http response" => Draft::Sink,
            "junction" => Draft::Code { transform: true, script: js::pass_through(&what), unfinished: None },
            other => placeholder(n, &what, format!("Node-RED's `{other}` node has no Atelier counterpart")),
        };
        let y = n.get("y").and_then(Value::as_f64).unwrap_or(0.0);
        g.nodes.push(Node { key: s(n, "id"), name, what, y, draft, outputs, on_error_to: Vec::new(), on_error: None });
    }
    for (scope, to) in catches {
        match scope {
            None => g.on_error_to = to,
            Some(ids) => {
                for node in g.nodes.iter_mut().filter(|n| ids.contains(&n.key)) {
                    node.on_error_to = to.clone();
                }
            }
        }
    }
    let description: String = comments.iter().filter(|c| !c.trim().is_empty()).cloned().collect::<Vec<_>>().join("\n");
    g.description = description.chars().take(2_000).collect();
    Ok(g)
}

/// `http request` → `HTTP request`: a name for a node that has none.
fn title(kind: &str) -> String {
    let mut c = kind.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_else(|| "Node".to_owned())
}

fn placeholder(n: &Value, what: &str, why: String) -> Draft {
    let mut settings = n.clone();
    if let Some(o) = settings.as_object_mut() {
        for k in ["id", "z", "x", "y", "wires", "g"] {
            o.remove(k);
        }
    }
    Draft::Code { transform: false, script: js::placeholder(what, &settings), unfinished: Some(why) }
}

/// An inject node: a schedule when it repeats, otherwise started by hand.
fn inject(n: &Value, what: &str, notes: &mut Vec<String>) -> Trigger {
    let crontab = n.get("crontab").and_then(Value::as_str).unwrap_or("").trim();
    let repeat: u64 = n.get("repeat").and_then(Value::as_str).and_then(|r| r.trim().parse::<f64>().ok()).map_or(0, |r| r.max(0.0) as u64);
    let payload = n.get("payload").and_then(Value::as_str).unwrap_or("");
    let payload_type = n.get("payloadType").and_then(Value::as_str).unwrap_or("date");
    if !payload.is_empty() && matches!(payload_type, "str" | "num" | "json" | "bool") {
        let value = match payload_type {
            "str" => js::string(payload),
            _ => payload.to_owned(),
        };
        notes.push(format!("{what} sends msg.payload = {value}: give it as the run's input, {{\"payload\": {value}}}"));
    }
    if !crontab.is_empty() {
        return Trigger::Schedule { cron: crontab.to_owned(), timezone: None };
    }
    if repeat == 0 {
        return Trigger::Manual {};
    }
    let cron = if repeat % 3600 == 0 && repeat / 3600 < 24 {
        format!("0 */{} * * *", repeat / 3600)
    } else if repeat % 60 == 0 && repeat / 60 < 60 {
        format!("*/{} * * * *", repeat / 60)
    } else {
        notes.push(format!("{what} repeats every {repeat} s; the schedule runs every minute"));
        "* * * * *".to_owned()
    };
    Trigger::Schedule { cron: cron.replace("*/1 ", "* "), timezone: None }
}

fn function(n: &Value, what: &str, outputs: &[Vec<String>]) -> Draft {
    let code = n.get("func").and_then(Value::as_str).unwrap_or("return msg;");
    let mut why: Vec<String> = js::foreign_names(code, js::NODE_RED_ONLY).into_iter().map(str::to_owned).collect();
    let wired = outputs.iter().skip(1).filter(|o| !o.is_empty()).count();
    if wired > 0 {
        why.push(format!("sends to {} outputs: write when each is taken in the condition after it", outputs.len()));
    }
    for k in ["initialize", "finalize"] {
        if n.get(k).and_then(Value::as_str).is_some_and(|c| !c.trim().is_empty()) {
            why.push(format!("has {k} code"));
        }
    }
    if n.get("libs").and_then(Value::as_array).is_some_and(|l| !l.is_empty()) {
        why.push("loads modules".to_owned());
    }
    let unfinished = (!why.is_empty()).then(|| format!("the function {}", why.join(", ")));
    Draft::Code { transform: false, script: js::node_red_function(what, code), unfinished }
}

/// `payload.total` → `input["payload"]["total"]`.
fn msg_path(p: &str) -> String {
    let mut out = String::from("input");
    for part in p.split('.').filter(|s| !s.is_empty()) {
        out.push_str(&format!("[{}]", js::string(part)));
    }
    out
}

/// A typed value of Node-RED (`v` with `vt`) as JavaScript; none when it reads
/// flow or global context, environment or JSONata.
fn typed(v: &str, vt: &str) -> Option<String> {
    Some(match vt {
        "num" => v.trim().parse::<f64>().ok().filter(|f| f.is_finite()).map_or_else(|| js::string(v), |f| f.to_string()),
        "str" | "" | "re" => js::string(v),
        "bool" => (v.trim() == "true").to_string(),
        "json" => serde_json::from_str::<Value>(v).ok()?.to_string(),
        "msg" => msg_path(v),
        "date" => "Date.now()".to_owned(),
        _ => return None,
    })
}

fn switch(n: &Value, what: &str, notes: &mut Vec<String>) -> Draft {
    let s = |k: &str| n.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    if !matches!(s("propertyType").as_str(), "msg" | "") {
        return placeholder(n, what, "it switches on flow, global or JSONata values".to_owned());
    }
    let left = msg_path(&s("property"));
    let rules = n.get("rules").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut branches = Vec::new();
    let mut otherwise = None;
    for (i, r) in rules.iter().enumerate() {
        let t = r.get("t").and_then(Value::as_str).unwrap_or("eq");
        let v = r.get("v").and_then(Value::as_str).unwrap_or("");
        let vt = r.get("vt").and_then(Value::as_str).unwrap_or("str");
        if t == "else" {
            otherwise = Some(i);
            continue;
        }
        let Some(right) = typed(v, vt) else { return placeholder(n, what, format!("rule {} compares with a context value", i + 1)) };
        let when = match t {
            "btwn" => {
                let v2 = r.get("v2").and_then(Value::as_str).unwrap_or("");
                let vt2 = r.get("v2t").and_then(Value::as_str).unwrap_or("num");
                let Some(hi) = typed(v2, vt2) else { return placeholder(n, what, format!("rule {} compares with a context value", i + 1)) };
                Some(format!("{left} >= {right} && {left} <= {hi}"))
            }
            "regex" => Some(format!(
                "new RegExp({right}{}).test(String({left}))",
                if r.get("case") == Some(&Value::Bool(true)) { ", \"i\"" } else { "" }
            )),
            "empty" => super::n8n::operation("empty", &left, &right),
            "nempty" => super::n8n::operation("notEmpty", &left, &right),
            "istype" => Some(match v {
                "array" => format!("Array.isArray({left})"),
                "null" => format!("{left} === null"),
                "undefined" => format!("{left} === undefined"),
                t => format!("typeof {left} === {}", js::string(t)),
            }),
            other => super::n8n::operation(other, &left, &right),
        };
        let Some(when) = when else { return placeholder(n, what, format!("rule {} uses `{t}`, which Atelier does not translate", i + 1)) };
        let label = match t {
            "eq" => format!("= {v}"),
            "neq" => format!("≠ {v}"),
            "lt" => format!("< {v}"),
            "lte" => format!("≤ {v}"),
            "gt" => format!("> {v}"),
            "gte" => format!("≥ {v}"),
            other => format!("{other} {v}").trim().to_owned(),
        };
        branches.push((label, when, i));
    }
    if s("checkall") != "false" && branches.len() > 1 {
        notes.push(format!("{what} sends to every rule that matches; the workflow takes the first"));
    }
    Draft::Condition { branches, otherwise }
}

fn path_list(p: &str) -> String {
    let parts: Vec<String> = p.split('.').filter(|s| !s.is_empty()).map(js::string).collect();
    format!("[{}]", parts.join(", "))
}

/// A change node: set, change (text replace), move and delete on `msg`.
fn change(n: &Value, what: &str) -> Draft {
    let mut body = String::from("  const msg = JSON.parse(JSON.stringify(input));\n");
    let rules = n.get("rules").and_then(Value::as_array).cloned().unwrap_or_default();
    for (i, r) in rules.iter().enumerate() {
        let g = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        if !matches!(g("pt").as_str(), "msg" | "") {
            return placeholder(n, what, format!("rule {} changes flow or global context", i + 1));
        }
        let path = path_list(&g("p"));
        let line = match g("t").as_str() {
            "set" => typed(&g("to"), &g("tot")).map(|v| format!("  put(msg, {path}, {});\n", v.replace("input[", "msg["))),
            "delete" => Some(format!("  drop(msg, {path});\n")),
            "move" => Some(format!(
                "  put(msg, {}, {});\n  drop(msg, {path});\n",
                path_list(&g("to")),
                msg_path(&g("p")).replacen("input", "msg", 1)
            )),
            "change" if matches!(g("fromt").as_str(), "str" | "num") => typed(&g("to"), &g("tot")).map(|to| {
                let at = msg_path(&g("p")).replacen("input", "msg", 1);
                format!("  put(msg, {path}, String({at}).split({}).join({to}));\n", js::string(&g("from")))
            }),
            _ => None,
        };
        let Some(line) = line else {
            return placeholder(n, what, format!("rule {} uses a kind of change Atelier does not translate", i + 1));
        };
        body.push_str(&line);
    }
    let script = format!(
        "// Imported from {}: changes the message.\nfunction run(input) {{\n{body}  return msg;\n}}\n{}",
        js::one_line(what),
        js::PATH_HELPERS
    );
    Draft::Code { transform: true, script, unfinished: None }
}

/// A template node with plain `{{msg.x}}`/`{{x}}` mustache tags: a text built from the message.
fn template(n: &Value, what: &str) -> Draft {
    let text = n.get("template").and_then(Value::as_str).unwrap_or("");
    let field = n.get("field").and_then(Value::as_str).filter(|f| !f.is_empty()).unwrap_or("payload");
    if n.get("fieldType").and_then(Value::as_str).is_some_and(|t| t != "msg") || text.contains("{{#") || text.contains("{{^") {
        return placeholder(n, what, "its template uses sections or writes to context".to_owned());
    }
    let mut t = String::from("`");
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(len) = rest[open..].find("}}") else { break };
        t.push_str(&escape_template(&rest[..open]));
        let tag = rest[open + 2..open + len].trim_matches(|c| c == '{' || c == '}' || c == ' ');
        let tag = tag.strip_prefix("msg.").unwrap_or(tag);
        t.push_str(&format!("${{{} ?? \"\"}}", msg_path(tag)));
        rest = rest[open + len + 2..].trim_start_matches('}');
    }
    t.push_str(&escape_template(rest));
    t.push('`');
    let value = if n.get("output").and_then(Value::as_str) == Some("json") { format!("JSON.parse({t})") } else { t };
    let script = format!(
        "// Imported from {}: fills a template from the message.\nfunction run(input) {{\n  const msg = {{ ...input }};\n  put(msg, {}, {value});\n  return msg;\n}}\n{}",
        js::one_line(what),
        path_list(field),
        js::PATH_HELPERS
    );
    Draft::Code { transform: true, script, unfinished: None }
}

fn escape_template(s: &str) -> String {
    s.replace('\\', "\\\\").replace('`', "\\`").replace("${", "\\${")
}
