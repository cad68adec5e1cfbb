//! n8n workflow exports (`{"nodes": [...], "connections": {...}}`): triggers,
//! Code and Function nodes, Set (Edit Fields), IF, Switch, HTTP Request, Wait,
//! Merge and No-op; error outputs and retries. Everything else becomes a step
//! to finish.

use atelier_model::workflow::{ErrorPolicy, HttpMethod, Trigger};
use serde_json::Value;

use super::graph::{Draft, Graph, Node};
use super::{js, MAX_FLOW_NODES};
use crate::ImportError;

pub(crate) fn read(v: &Value, fallback_name: &str) -> Result<Graph, ImportError> {
    let Some(nodes) = v.get("nodes").and_then(Value::as_array) else {
        return Err(ImportError::Invalid("this is not an n8n workflow: it has no `nodes` list".to_owned()));
    };
    if nodes.len() > MAX_FLOW_NODES {
        return Err(ImportError::Invalid(format!("the workflow has {} nodes; Atelier imports at most {MAX_FLOW_NODES}", nodes.len())));
    }
    let name = v.get("name").and_then(Value::as_str).filter(|n| !n.trim().is_empty()).unwrap_or(fallback_name);
    let connections = v.get("connections").cloned().unwrap_or(Value::Null);
    let mut g = Graph::new(name.to_owned());
    for (i, node) in nodes.iter().enumerate() {
        let Some(name) = node.get("name").and_then(Value::as_str) else {
            g.notes.push(format!("node {} has no name and is left out", i + 1));
            continue;
        };
        let full_type = node.get("type").and_then(Value::as_str).unwrap_or("");
        let kind = full_type.strip_prefix("n8n-nodes-base.").unwrap_or(full_type);
        let version = node.get("typeVersion").and_then(Value::as_f64).unwrap_or(1.0);
        let what = format!("n8n node {} ({kind} v{version})", js::string(name));
        let params = node.get("parameters").cloned().unwrap_or(Value::Null);
        let conn = connections.get(name);
        let mut outputs = outputs_of(conn.and_then(|c| c.get("main")));
        if kind == "stickyNote" {
            let content = params.get("content").and_then(Value::as_str).unwrap_or("").lines().find(|l| !l.trim().is_empty());
            g.notes.push(format!("sticky note {} is left out{}", js::string(name), content.map(|c| format!(": {c}")).unwrap_or_default()));
            continue;
        }
        if let Some(trigger) = trigger_of(kind, &params, &what, &mut g.notes) {
            g.triggers.push((trigger, outputs.into_iter().next().unwrap_or_default(), what));
            continue;
        }
        let draft = draft_of(kind, version, &params, &what, &mut g);
        let normal = match &draft {
            Draft::Condition { branches, otherwise } => branches.len().max(otherwise.map_or(0, |o| o + 1)),
            _ => 1,
        };
        let on_error = node.get("onError").and_then(Value::as_str);
        let mut on_error_to = Vec::new();
        if on_error == Some("continueErrorOutput") {
            if let Some(error) = conn.and_then(|c| c.get("error")) {
                on_error_to = outputs_of(Some(error)).into_iter().next().unwrap_or_default();
            } else if outputs.len() > normal {
                on_error_to = outputs.remove(normal);
            }
        }
        let continues = on_error == Some("continueRegularOutput")
            || node.get("continueOnFail").and_then(Value::as_bool) == Some(true)
            || (on_error == Some("continueErrorOutput") && on_error_to.is_empty());
        let mut policy = continues.then_some(ErrorPolicy::Continue {});
        if node.get("retryOnFail").and_then(Value::as_bool) == Some(true) {
            let tries = node.get("maxTries").and_then(Value::as_u64).unwrap_or(3).clamp(1, 10) as u32;
            let wait = node.get("waitBetweenTries").and_then(Value::as_u64).unwrap_or(1000).min(3_600_000);
            policy = Some(ErrorPolicy::Retry {
                max_attempts: tries,
                backoff_ms: wait,
                factor: 1,
                max_backoff_ms: None,
                then: policy.map(Box::new),
            });
        }
        let draft = if node.get("disabled").and_then(Value::as_bool) == Some(true) {
            g.notes.push(format!("{what} is disabled in n8n; it passes the state on here"));
            Draft::Code { transform: true, script: js::pass_through(&what), unfinished: None }
        } else {
            draft
        };
        let y = node.get("position").and_then(|p| p.get(1)).and_then(Value::as_f64).unwrap_or(0.0);
        g.nodes.push(Node { key: name.to_owned(), name: name.to_owned(), what, y, draft, outputs, on_error_to, on_error: policy });
    }
    Ok(g)
}

/// `[[{"node": "Set", ...}], ...]` → the node names of each output.
fn outputs_of(main: Option<&Value>) -> Vec<Vec<String>> {
    let Some(outs) = main.and_then(Value::as_array) else { return Vec::new() };
    outs.iter()
        .map(|o| {
            o.as_array()
                .map(|targets| targets.iter().filter_map(|t| t.get("node").and_then(Value::as_str).map(str::to_owned)).collect())
                .unwrap_or_default()
        })
        .collect()
}

fn trigger_of(kind: &str, p: &Value, what: &str, notes: &mut Vec<String>) -> Option<Trigger> {
    match kind {
        "manualTrigger" => Some(Trigger::Manual {}),
        "scheduleTrigger" => {
            let rule = p.pointer("/rule/interval/0").cloned().unwrap_or(Value::Null);
            let count = p.pointer("/rule/interval").and_then(Value::as_array).map_or(0, Vec::len);
            if count > 1 {
                notes.push(format!("{what} has {count} rules; only the first is imported"));
            }
            Some(Trigger::Schedule { cron: cron_of(&rule, what, notes), timezone: None })
        }
        "webhook" => {
            let path = p.get("path").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("webhook");
            let method = method_of(p.get("httpMethod").and_then(Value::as_str).unwrap_or("GET"), what, notes);
            Some(Trigger::Webhook { path: format!("/{}", path.trim_start_matches('/')), method })
        }
        k if k.ends_with("Trigger") || k == "cron" || k == "start" => {
            notes.push(format!("{what} has no Atelier counterpart; the workflow is started by hand instead"));
            Some(Trigger::Manual {})
        }
        _ => None,
    }
}

/// An n8n schedule rule as a five-field cron expression.
fn cron_of(rule: &Value, what: &str, notes: &mut Vec<String>) -> String {
    let num = |k: &str, d: u64| rule.get(k).and_then(Value::as_u64).unwrap_or(d);
    let every = |n: u64| if n <= 1 { "*".to_owned() } else { format!("*/{n}") };
    let (h, m) = (num("triggerAtHour", 0).min(23), num("triggerAtMinute", 0).min(59));
    match rule.get("field").and_then(Value::as_str).unwrap_or("days") {
        "cronExpression" => {
            let e = rule.get("expression").and_then(Value::as_str).unwrap_or("").trim();
            let fields: Vec<&str> = e.split_whitespace().collect();
            if fields.len() == 6 {
                notes.push(format!("{what}: the seconds field of `{e}` is dropped"));
                fields[1..].join(" ")
            } else {
                e.to_owned()
            }
        }
        "seconds" => {
            notes.push(format!("{what} runs every few seconds; cron runs at most every minute"));
            "* * * * *".to_owned()
        }
        "minutes" => format!("{} * * * *", every(num("minutesInterval", 5))),
        "hours" => format!("{m} {} * * *", every(num("hoursInterval", 1))),
        "weeks" => {
            let days: Vec<String> = rule
                .get("triggerAtDay")
                .and_then(Value::as_array)
                .map_or(Vec::new(), |d| d.iter().filter_map(Value::as_u64).filter(|d| *d <= 6).map(|d| d.to_string()).collect());
            format!("{m} {h} * * {}", if days.is_empty() { "0".to_owned() } else { days.join(",") })
        }
        "months" => format!("{m} {h} {} {} *", num("triggerAtDayOfMonth", 1).clamp(1, 31), every(num("monthsInterval", 1))),
        _ => format!("{m} {h} {} * *", every(num("daysInterval", 1))),
    }
}

fn method_of(m: &str, what: &str, notes: &mut Vec<String>) -> HttpMethod {
    match m.to_ascii_uppercase().as_str() {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        other => {
            notes.push(format!("{what}: method {other} is not one Atelier calls; GET is used"));
            HttpMethod::Get
        }
    }
}

fn draft_of(kind: &str, version: f64, p: &Value, what: &str, g: &mut Graph) -> Draft {
    let unfinished = |why: String| Draft::Code { transform: false, script: js::placeholder(what, p), unfinished: Some(why) };
    match kind {
        "code" if p.get("language").and_then(Value::as_str).is_some_and(|l| l != "javaScript") => {
            unfinished("its code is Python; write it in JavaScript".to_owned())
        }
        "code" | "function" | "functionItem" => {
            let code = p.get(if kind == "code" { "jsCode" } else { "functionCode" }).and_then(Value::as_str).unwrap_or("return items;");
            let why = js::foreign_names(code, js::N8N_ONLY);
            Draft::Code {
                transform: false,
                script: js::n8n_code(what, code, kind == "functionItem"),
                unfinished: (!why.is_empty()).then(|| format!("its code {}", why.join(" and "))),
            }
        }
        "set" => set_fields(version, p, what),
        "if" => {
            let (when, faithful) = conditions(p.get("conditions"), p.get("combineOperation"));
            let d = Draft::Condition { branches: vec![("true".to_owned(), when, 0)], otherwise: Some(1) };
            if faithful {
                d
            } else {
                unfinished("its conditions use n8n expressions that read other nodes".to_owned())
            }
        }
        "switch" => switch(version, p).unwrap_or_else(|| unfinished("its switch mode has no Atelier counterpart".to_owned())),
        "httpRequest" => super::http::api_call(p, version, what, g),
        "wait" => {
            let resume = p.get("resume").and_then(Value::as_str).unwrap_or("timeInterval");
            let amount = p.get("amount").and_then(Value::as_f64).unwrap_or(1.0);
            let unit = match p.get("unit").and_then(Value::as_str).unwrap_or("hours") {
                "seconds" => 1_000.0,
                "minutes" => 60_000.0,
                "days" => 86_400_000.0,
                _ => 3_600_000.0,
            };
            if resume == "timeInterval" && amount.is_finite() && amount >= 0.0 {
                Draft::Wait { duration_ms: (amount * unit).min(u64::MAX as f64 / 2.0) as u64 }
            } else {
                unfinished(format!("it waits for `{resume}`; Atelier waits for a time"))
            }
        }
        "merge" => Draft::Merge,
        "noOp" => Draft::Sink,
        other => unfinished(format!("n8n's `{other}` node has no Atelier counterpart")),
    }
}

/// Set (Edit Fields): a `data_transform` that sets each field.
fn set_fields(version: f64, p: &Value, what: &str) -> Draft {
    let mut fields: Vec<(String, Value)> = Vec::new();
    if version >= 3.3 {
        for a in p.pointer("/assignments/assignments").and_then(Value::as_array).into_iter().flatten() {
            fields.push((str_of(a, "name"), a.get("value").cloned().unwrap_or(Value::Null)));
        }
    } else if version >= 3.0 {
        for f in p.pointer("/fields/values").and_then(Value::as_array).into_iter().flatten() {
            let value = ["stringValue", "numberValue", "booleanValue", "arrayValue", "objectValue"]
                .iter()
                .find_map(|k| f.get(*k).cloned())
                .unwrap_or(Value::Null);
            fields.push((str_of(f, "name"), value));
        }
    } else {
        for kind in ["string", "number", "boolean"] {
            for f in p.pointer(&format!("/values/{kind}")).and_then(Value::as_array).into_iter().flatten() {
                fields.push((str_of(f, "name"), f.get("value").cloned().unwrap_or(Value::Null)));
            }
        }
    }
    // Whether the other fields of the item are kept differs by version.
    let keep_others = if version >= 3.3 {
        p.get("includeOtherFields").and_then(Value::as_bool).unwrap_or(false)
    } else if version >= 3.0 {
        p.get("include").and_then(Value::as_str).unwrap_or("all") == "all"
    } else {
        !p.get("keepOnlySet").and_then(Value::as_bool).unwrap_or(false)
    };
    let mut faithful = true;
    let mut body = String::from(if keep_others { "  const out = { ...input };\n" } else { "  const out = {};\n" });
    for (name, value) in &fields {
        let (js, ok) = js::n8n_value(value);
        faithful &= ok;
        let path: Vec<String> = name.split('.').map(js::string).collect();
        body.push_str(&format!("  put(out, [{}], {js});\n", path.join(", ")));
    }
    let script = format!(
        "// Imported from {}: sets fields on the state.\nfunction run(input) {{\n{body}  return out;\n}}\n{}",
        js::one_line(what),
        js::PATH_HELPERS
    );
    let unfinished = (!faithful).then(|| "its values use n8n expressions that read other nodes; rewrite them over `input`".to_owned());
    Draft::Code { transform: true, script, unfinished }
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

/// IF conditions, v1 (`{boolean: [...], number: [...]}`) or v2 (a filter), as
/// one JavaScript expression, and whether it translated faithfully.
fn conditions(c: Option<&Value>, combine_v1: Option<&Value>) -> (String, bool) {
    let Some(c) = c else { return ("false".to_owned(), false) };
    let mut parts = Vec::new();
    let mut faithful = true;
    let mut push = |left: &Value, op: &str, right: &Value, faithful: &mut bool| {
        let (l, ok1) = js::n8n_value(left);
        let (r, ok2) = js::n8n_value(right);
        match operation(op, &l, &r) {
            Some(e) => {
                *faithful &= ok1 && ok2;
                parts.push(e)
            }
            None => *faithful = false,
        }
    };
    let joiner;
    if let Some(list) = c.get("conditions").and_then(Value::as_array) {
        for k in list {
            let op = k.pointer("/operator/operation").and_then(Value::as_str).unwrap_or("equals");
            push(k.get("leftValue").unwrap_or(&Value::Null), op, k.get("rightValue").unwrap_or(&Value::Null), &mut faithful);
        }
        joiner = if c.get("combinator").and_then(Value::as_str) == Some("or") { " || " } else { " && " };
    } else {
        for (kind, default_op) in [("boolean", "equal"), ("number", "smaller"), ("string", "equal"), ("dateTime", "after")] {
            for k in c.get(kind).and_then(Value::as_array).into_iter().flatten() {
                let op = k.get("operation").and_then(Value::as_str).unwrap_or(default_op);
                let right = k.get("value2").cloned().unwrap_or(if kind == "boolean" { Value::Bool(false) } else { Value::Null });
                push(k.get("value1").unwrap_or(&Value::Null), op, &right, &mut faithful);
            }
        }
        joiner = if combine_v1.and_then(Value::as_str) == Some("any") { " || " } else { " && " };
    }
    if parts.is_empty() {
        return ("true".to_owned(), faithful);
    }
    let wrapped: Vec<String> = if parts.len() > 1 { parts.iter().map(|p| format!("({p})")).collect() } else { parts };
    (wrapped.join(joiner), faithful)
}

/// One comparison of n8n's, v1 and v2 names alike.
pub(crate) fn operation(op: &str, l: &str, r: &str) -> Option<String> {
    let empty = format!("([undefined, null, \"\"].includes({l}) || (typeof {l} === \"object\" && Object.keys({l}).length === 0))");
    Some(match op {
        "equals" | "equal" | "eq" => format!("{l} === {r}"),
        "notEquals" | "notEqual" | "neq" => format!("{l} !== {r}"),
        "gt" | "larger" => format!("{l} > {r}"),
        "gte" | "largerEqual" => format!("{l} >= {r}"),
        "lt" | "smaller" => format!("{l} < {r}"),
        "lte" | "smallerEqual" => format!("{l} <= {r}"),
        "after" => format!("new Date({l}) > new Date({r})"),
        "before" => format!("new Date({l}) < new Date({r})"),
        "contains" | "cont" => format!("(Array.isArray({l}) ? {l} : String({l})).includes({r})"),
        "notContains" => format!("!(Array.isArray({l}) ? {l} : String({l})).includes({r})"),
        "startsWith" => format!("String({l}).startsWith({r})"),
        "notStartsWith" => format!("!String({l}).startsWith({r})"),
        "endsWith" => format!("String({l}).endsWith({r})"),
        "notEndsWith" => format!("!String({l}).endsWith({r})"),
        "regex" => format!("new RegExp({r}).test(String({l}))"),
        "notRegex" => format!("!new RegExp({r}).test(String({l}))"),
        "exists" | "nnull" => format!("{l} !== undefined && {l} !== null"),
        "notExists" | "null" => format!("{l} === undefined || {l} === null"),
        "empty" | "isEmpty" | "empty_" => empty,
        "notEmpty" | "isNotEmpty" => format!("!{empty}"),
        "true" => format!("{l} === true"),
        "false" => format!("{l} === false"),
        "lengthEquals" => format!("{l}.length === {r}"),
        _ => return None,
    })
}

/// Switch in rules mode: v3 rules are filters like IF v2's; v1 and v2 compare
/// one value with each rule's.
fn switch(version: f64, p: &Value) -> Option<Draft> {
    if p.get("mode").and_then(Value::as_str).unwrap_or("rules") != "rules" {
        return None;
    }
    let mut branches = Vec::new();
    let rules: Vec<Value>;
    let fallback = if version >= 3.0 {
        rules = p.pointer("/rules/values").and_then(Value::as_array).cloned().unwrap_or_default();
        for (i, rule) in rules.iter().enumerate() {
            let (when, faithful) = conditions(rule.get("conditions"), None);
            if !faithful {
                return None;
            }
            let label = rule.get("outputKey").and_then(Value::as_str).filter(|_| rule.get("renameOutput") == Some(&Value::Bool(true)));
            branches.push((label.map_or_else(|| format!("rule {}", i + 1), str::to_owned), when, i));
        }
        p.pointer("/options/fallbackOutput")
    } else {
        rules = p.pointer("/rules/rules").and_then(Value::as_array).cloned().unwrap_or_default();
        let value1 = p.get("value1").cloned().unwrap_or(Value::Null);
        for (i, rule) in rules.iter().enumerate() {
            let op = rule.get("operation").and_then(Value::as_str).unwrap_or("equal");
            let (l, ok1) = js::n8n_value(&value1);
            let (r, ok2) = js::n8n_value(rule.get("value2").unwrap_or(&Value::Null));
            let output = rule.get("output").and_then(Value::as_u64).map_or(i, |o| o as usize).min(64);
            branches.push((format!("rule {}", i + 1), operation(op, &l, &r).filter(|_| ok1 && ok2)?, output));
        }
        p.get("fallbackOutput")
    };
    let otherwise = match fallback {
        Some(Value::String(s)) if s == "extra" => Some(rules.len()),
        Some(Value::Number(n)) => n.as_u64().map(|n| (n as usize).min(64)),
        _ => None,
    };
    Some(Draft::Condition { branches, otherwise })
}
