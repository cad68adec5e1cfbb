//! The parts of a BPMN import that read one element: start events into
//! triggers, tasks into steps (the REST connector back into an `api_call`
//! and its source), boundary events into error routes and time limits.

use std::collections::BTreeMap;

use atelier_model::id::SecretName;
use atelier_model::source::{Auth, Source};
use atelier_model::workflow::{ApiCallStep, CodeStep, ErrorPolicy, HttpMethod, Step, Trigger};
use atelier_model::Id;
use roxmltree::Node;

use super::feel;
use super::import::duration_ms;
use crate::names::field_id;
use crate::ImportError;

const BPMN: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";
const ZEEBE: &str = "http://camunda.org/schema/zeebe/1.0";

pub(super) struct Ctx {
    pub notes: Vec<String>,
    pub sources: BTreeMap<Id, Source>,
    pub scripts: BTreeMap<Id, String>,
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, tag: &str) -> Option<Node<'a, 'i>> {
    n.descendants().find(|c| c.tag_name().namespace() == Some(ns) && c.tag_name().name() == tag)
}

fn refuse(what: &str, why: &str) -> ImportError {
    ImportError::Invalid(format!("{what}: {why}; Atelier cannot represent it"))
}

/// What a start event starts the workflow on.
pub(super) fn trigger(n: &Node, what: &str) -> Result<Trigger, ImportError> {
    let props: BTreeMap<&str, &str> = n
        .descendants()
        .filter(|c| c.tag_name().namespace() == Some(ZEEBE) && c.tag_name().name() == "property")
        .filter_map(|p| Some((p.attribute("name")?, p.attribute("value")?)))
        .collect();
    if props.get("inbound.type") == Some(&"io.camunda:webhook:1") {
        let method = match props.get("inbound.method").map(|m| m.to_ascii_uppercase()).as_deref() {
            Some("GET") => HttpMethod::Get,
            Some("PUT") => HttpMethod::Put,
            Some("PATCH") => HttpMethod::Patch,
            Some("DELETE") => HttpMethod::Delete,
            _ => HttpMethod::Post,
        };
        return Ok(Trigger::Webhook {
            path: format!("/{}", props.get("inbound.context").unwrap_or(&"webhook").trim_start_matches('/')),
            method,
        });
    }
    if let Some(form) = child(*n, ZEEBE, "formDefinition").and_then(|f| f.attribute("formId")) {
        let form = field_id(form).ok_or_else(|| refuse(what, "a form id that is not an Atelier id"))?;
        return Ok(Trigger::FormSubmit { form });
    }
    if let Some(timer) = child(*n, BPMN, "timerEventDefinition") {
        let cycle = child(timer, BPMN, "timeCycle").and_then(|c| c.text()).map(str::trim).unwrap_or("");
        let fields: Vec<&str> = cycle.split_whitespace().collect();
        return match fields.len() {
            6 => Ok(Trigger::Schedule { cron: fields[1..].join(" "), timezone: None }),
            5 => Ok(Trigger::Schedule { cron: cycle.to_owned(), timezone: None }),
            _ => Err(refuse(what, "a timer start that is not a cron cycle")),
        };
    }
    for definition in [
        "messageEventDefinition",
        "signalEventDefinition",
        "conditionalEventDefinition",
        "errorEventDefinition",
        "escalationEventDefinition",
    ] {
        if child(*n, BPMN, definition).is_some() {
            return Err(refuse(what, &format!("a start event with a {}", definition.trim_end_matches("EventDefinition"))));
        }
    }
    Ok(Trigger::Manual {})
}

fn code(ctx: &mut Ctx, sid: &Id, name: String, next: Option<Id>, script: String, unfinished: Option<String>, transform: bool) -> Step {
    ctx.scripts.insert(sid.clone(), script);
    let c = CodeStep { name, description: String::new(), unfinished, next, on_error: None, timeout_ms: None };
    if transform {
        Step::DataTransform(c)
    } else {
        Step::CustomCode(c)
    }
}

fn pass_on(what: &str, why: &str) -> String {
    format!("// Imported from BPMN {}: {why}\nfunction run(input) {{\n  return input;\n}}\n", crate::flows::js_comment_line(what))
}

/// A task: the REST connector, a FEEL script, or a step to finish.
pub(super) fn task(ctx: &mut Ctx, n: Node, what: &str, sid: &Id, name: String, next: Option<Id>) -> Step {
    let tag = n.tag_name().name();
    match tag {
        "serviceTask" => {
            let definition = child(n, ZEEBE, "taskDefinition");
            let kind = definition.and_then(|d| d.attribute("type")).unwrap_or("");
            let header = |key: &str| {
                n.descendants()
                    .find(|h| h.tag_name().name() == "header" && h.attribute("key") == Some(key))
                    .and_then(|h| h.attribute("value"))
            };
            let retries =
                definition.and_then(|d| d.attribute("retries")).and_then(|r| r.trim().parse::<u32>().ok()).map(|r| r.clamp(1, 100));
            let backoff = header("retryBackoff").and_then(duration_ms).unwrap_or(0);
            let policy =
                retries.map(|r| ErrorPolicy::Retry { max_attempts: r, backoff_ms: backoff, factor: 1, max_backoff_ms: None, then: None });
            let mut step = match kind {
                "io.camunda:http-json:1" => match rest_call(ctx, n, what, sid, name.clone(), next.clone()) {
                    Ok(step) => step,
                    Err(why) => code(ctx, sid, name, next, pass_on(what, &why), Some(why), false),
                },
                "atelier-script" => {
                    let script = header("script").unwrap_or("its script");
                    let why = format!("its JavaScript ran in a job worker: copy {script} here");
                    let transform = header("kind") == Some("data_transform");
                    code(ctx, sid, name, next, pass_on(what, &why), Some(why), transform)
                }
                other => {
                    let why = format!("a job worker of type `{other}` did this; write it in JavaScript");
                    code(ctx, sid, name, next, pass_on(what, &why), Some(why), false)
                }
            };
            if let (Some(p), Step::ApiCall(ApiCallStep { on_error, .. }) | Step::CustomCode(CodeStep { on_error, .. })) =
                (policy, &mut step)
            {
                *on_error = Some(p);
            }
            step
        }
        "scriptTask" => {
            let script = child(n, ZEEBE, "script");
            let expression = script.and_then(|s| s.attribute("expression")).unwrap_or("");
            let result = script.and_then(|s| s.attribute("resultVariable")).unwrap_or("result");
            let outputs: Vec<(&str, &str)> = n
                .descendants()
                .filter(|o| o.tag_name().namespace() == Some(ZEEBE) && o.tag_name().name() == "output")
                .filter_map(|o| Some((o.attribute("source")?, o.attribute("target")?)))
                .collect();
            let fields = script_fields(expression, result, &outputs);
            match fields {
                Some(fields) => {
                    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    let js = format!(
                        "// Imported from BPMN {}: a FEEL script.\nfunction run(input) {{\n  return {{ ...input, {} }};\n}}\n",
                        crate::flows::js_comment_line(what),
                        body.join(", ")
                    );
                    code(ctx, sid, name, next, js, None, true)
                }
                None => {
                    let why = format!("its FEEL `{expression}` is more than Atelier translates; write it in JavaScript");
                    code(ctx, sid, name, next, pass_on(what, &why), Some(why), true)
                }
            }
        }
        "manualTask" | "task" => {
            code(ctx, sid, name, next, pass_on(what, "a task with nothing to run: it passes the state on"), None, true)
        }
        other => {
            let why = format!("a BPMN {other} has no Atelier counterpart; write what it does");
            code(ctx, sid, name, next, pass_on(what, &why), Some(why), false)
        }
    }
}

/// `={total: net * 1.2}` with outputs `total ← result.total`, or `=net * 1.2`
/// into `result`: the fields a transform adds, in JavaScript.
fn script_fields(expression: &str, result: &str, outputs: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
    let body = expression.trim().strip_prefix('=')?.trim();
    let valid = |k: &str| k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !k.is_empty();
    if let Some(inner) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
        let mut fields = Vec::new();
        for part in inner.split(',') {
            let (k, v) = part.split_once(':')?;
            let k = k.trim().trim_matches('"');
            let target = outputs.iter().find(|(s, _)| s.trim_start_matches('=') == format!("{result}.{k}")).map_or(k, |(_, t)| *t);
            if !valid(target) {
                return None;
            }
            fields.push((target.to_owned(), feel::to_js(v)?));
        }
        return (!fields.is_empty()).then_some(fields);
    }
    valid(result).then(|| feel::to_js(body).map(|js| vec![(result.to_owned(), js)])).flatten()
}

/// The REST connector's inputs back into an `api_call` and its source.
fn rest_call(ctx: &mut Ctx, n: Node, what: &str, sid: &Id, name: String, next: Option<Id>) -> Result<Step, String> {
    let inputs: BTreeMap<&str, &str> = n
        .descendants()
        .filter(|i| i.tag_name().namespace() == Some(ZEEBE) && i.tag_name().name() == "input")
        .filter_map(|i| Some((i.attribute("target")?, i.attribute("source")?)))
        .collect();
    let method = match inputs.get("method").map(|m| m.to_ascii_uppercase()).as_deref() {
        Some("GET") | None => HttpMethod::Get,
        Some("POST") => HttpMethod::Post,
        Some("PUT") => HttpMethod::Put,
        Some("PATCH") => HttpMethod::Patch,
        Some("DELETE") => HttpMethod::Delete,
        Some(other) => return Err(format!("it sends {other} requests, which Atelier does not make")),
    };
    let raw = inputs.get("url").copied().unwrap_or("");
    let url = if raw.starts_with('=') { feel::untemplate(raw) } else { Some(raw.to_owned()) };
    let Some((origin, path)) = url.as_deref().and_then(crate::flows::split_url) else {
        return Err(format!("its URL `{raw}` is not a fixed host with FEEL Atelier reads"));
    };
    let mut auth = match inputs.get("authentication.type").copied() {
        Some("bearer") => inputs.get("authentication.token").and_then(|t| secret_in(t)).map(|secret| Auth::Bearer { secret }),
        Some("basic") => inputs
            .get("authentication.password")
            .and_then(|t| secret_in(t))
            .map(|secret| Auth::Basic { username: inputs.get("authentication.username").unwrap_or(&"").to_string(), secret }),
        _ => None,
    };
    let mut headers = BTreeMap::new();
    if let Some(h) = inputs.get("headers") {
        let parsed: Option<BTreeMap<String, String>> = serde_json::from_str(h.trim_start_matches('=')).ok();
        let Some(parsed) = parsed else { return Err("its headers are FEEL Atelier does not read".to_owned()) };
        for (k, v) in parsed {
            match secret_in(&v) {
                Some(secret) if auth.is_none() => auth = Some(Auth::ApiKey { secret, header: k }),
                _ => {
                    headers.insert(k, v);
                }
            }
        }
    }
    let body = match inputs.get("body") {
        None => None,
        Some(b) => match serde_json::from_str::<serde_json::Value>(b.trim_start_matches('=')) {
            Ok(v) => Some(v),
            Err(_) => {
                ctx.notes.push(format!("{what}: its body is FEEL Atelier does not read; it is left out"));
                None
            }
        },
    };
    let timeout_ms = inputs.get("connectionTimeoutInSeconds").and_then(|t| t.trim().parse::<u64>().ok()).map(|s| s.min(3_600) * 1000);
    let result = n
        .descendants()
        .find(|h| h.tag_name().name() == "header" && h.attribute("key") == Some("resultExpression"))
        .and_then(|h| h.attribute("value"));
    let save_as = result
        .and_then(|r| r.trim().strip_prefix("={")?.strip_suffix('}')?.split_once(':').map(|(k, _)| k.trim().to_owned()))
        .filter(|k| *k != sid.as_str().replace('-', "_"));
    let source = crate::flows::origin_source(
        &mut ctx.sources,
        &origin,
        auth.unwrap_or_default(),
        timeout_ms,
        "Imported from a BPMN REST connector task.",
    );
    Ok(Step::ApiCall(ApiCallStep {
        name,
        description: String::new(),
        source,
        method,
        path,
        headers,
        body,
        save_as,
        next,
        on_error: None,
        timeout_ms: None,
    }))
}

/// `{{secrets.FX_API_KEY}}` → `FX_API_KEY`.
fn secret_in(text: &str) -> Option<SecretName> {
    let inner = text.trim().trim_matches('"').strip_prefix("{{secrets.")?.strip_suffix("}}")?;
    SecretName::new(inner).ok()
}

/// An error boundary event (`timeout` none) or a timer boundary event on `step`.
pub(super) fn route(step: &mut Step, to: Id, timeout: Option<u64>, what: &str, notes: &mut Vec<String>) {
    let (policy, limit) = match step {
        Step::ApiCall(a) => (&mut a.on_error, Some(&mut a.timeout_ms)),
        Step::DataTransform(c) | Step::CustomCode(c) => (&mut c.on_error, Some(&mut c.timeout_ms)),
        Step::Approval(a) => (&mut a.on_error, Some(&mut a.timeout_ms)),
        Step::ForEach(f) => (&mut f.on_error, None),
        Step::SubWorkflow(s) => (&mut s.on_error, None),
        _ => {
            notes.push(format!("{what}: its host has no error policy in Atelier; it is left out"));
            return;
        }
    };
    if let Some(ms) = timeout {
        match limit {
            Some(limit) => *limit = Some(ms),
            None => notes.push(format!("{what}: Atelier sets no time limit on this kind of step; only its route is kept")),
        }
    }
    let same = |p: &ErrorPolicy| matches!(p, ErrorPolicy::Route { to: t } if *t == to);
    match policy {
        None => *policy = Some(ErrorPolicy::Route { to }),
        Some(ErrorPolicy::Retry { then, .. }) if then.is_none() => *then = Some(Box::new(ErrorPolicy::Route { to })),
        Some(p) if same(p) => {}
        Some(ErrorPolicy::Retry { then: Some(t), .. }) if same(t) => {}
        Some(_) => notes.push(format!("{what}: the step already routes its errors elsewhere; this route is left out")),
    }
}
