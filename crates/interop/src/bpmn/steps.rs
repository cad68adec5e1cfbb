//! Each kind of step as the BPMN elements Camunda 8 runs it with.

use atelier_model::control::{ItemErrorPolicy, JoinMode};
use atelier_model::project::{Project, WorkflowBundle};
use atelier_model::source::Auth;
use atelier_model::workflow::{ApiCallStep, EndStatus, ErrorPolicy, Step};
use atelier_model::Id;
use serde_json::Value;

use super::xml::attr;
use super::{duration, element_id, feel, variable, Diagram, Shape};

pub(super) struct Context<'a> {
    pub project: &'a Project,
    pub workflow_id: &'a Id,
    pub bundle: &'a WorkflowBundle,
    /// The centre of a step's element in the diagram.
    pub place: &'a dyn Fn(&Id) -> (i32, i32),
}

const TASK: (i32, i32) = (100, 80);
const GATEWAY: (i32, i32) = (50, 50);
const EVENT: (i32, i32) = (36, 36);

fn shape(id: String, tag: &'static str, name: &str, (cx, cy): (i32, i32), (w, h): (i32, i32)) -> Shape {
    Shape {
        id,
        tag,
        name: name.to_owned(),
        bounds: (cx - w / 2, cy - h / 2, w, h),
        attrs: Vec::new(),
        extensions: String::new(),
        tail: String::new(),
        attached_to: None,
    }
}

pub(super) fn step(ctx: &mut Context, d: &mut Diagram, sid: &Id, step: &Step) {
    let id = element_id(sid);
    let at = (ctx.place)(sid);
    let name = if step.name().is_empty() { sid.as_str() } else { step.name() };
    let to = |s: &Id| element_id(s);
    match step {
        Step::ApiCall(a) => {
            let mut s = shape(id.clone(), "serviceTask", name, at, TASK);
            let retries = rest_connector(ctx, d, sid, a, &mut s);
            d.shapes.push(s);
            next(d, &id, a.next.as_ref());
            // The connector's own timeout stands for the step's time limit.
            errors(ctx, d, sid, &id, at, step.on_error(), a.next.as_ref(), None, retries);
        }
        Step::DataTransform(c) | Step::CustomCode(c) => {
            let script = ctx.bundle.scripts.get(sid).map(String::as_str).unwrap_or("");
            let fields = matches!(step, Step::DataTransform(_)).then(|| feel::transform(script)).flatten();
            let s = match fields {
                Some(fields) => {
                    let mut s = shape(id.clone(), "scriptTask", name, at, TASK);
                    let result = format!("{}_result", variable(sid.as_str()));
                    let context: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    s.extensions = format!(
                        "<zeebe:script expression=\"{}\" resultVariable=\"{result}\" />",
                        attr(&format!("={{{}}}", context.join(", ")))
                    );
                    let outputs: String =
                        fields.iter().map(|(k, _)| format!("<zeebe:output source=\"={result}.{k}\" target=\"{k}\" />")).collect();
                    s.extensions.push_str(&format!("<zeebe:ioMapping>{outputs}</zeebe:ioMapping>"));
                    s
                }
                None => {
                    d.notes.push(format!(
                        "step {sid}: its JavaScript is more than FEEL says the same way; a service task of type `atelier-script` hands it to a job worker"
                    ));
                    let mut s = shape(id.clone(), "serviceTask", name, at, TASK);
                    s.extensions = format!(
                        "<zeebe:taskDefinition type=\"atelier-script\"{} /><zeebe:taskHeaders><zeebe:header key=\"workflow\" value=\"{}\" /><zeebe:header key=\"step\" value=\"{}\" /><zeebe:header key=\"script\" value=\"workflows/{}/steps/{}.js\" /><zeebe:header key=\"kind\" value=\"{}\" /></zeebe:taskHeaders>",
                        retries_attr(step.on_error().or(ctx.bundle.workflow.on_error.as_ref())),
                        attr(ctx.workflow_id.as_str()),
                        attr(sid.as_str()),
                        attr(ctx.workflow_id.as_str()),
                        attr(sid.as_str()),
                        step.kind().as_str()
                    );
                    s
                }
            };
            let has_retries = s.tag == "serviceTask";
            d.shapes.push(s);
            next(d, &id, c.next.as_ref());
            errors(ctx, d, sid, &id, at, step.on_error(), c.next.as_ref(), c.timeout_ms, has_retries);
        }
        Step::Condition(c) => {
            d.shapes.push(shape(id.clone(), "exclusiveGateway", name, at, GATEWAY));
            for b in &c.branches {
                let Some(target) = &b.next else { continue };
                let condition = match feel::expression(&b.when) {
                    Some(e) => format!("={e}"),
                    None => {
                        d.notes.push(format!("step {sid}: `{}` is not in the JavaScript FEEL says the same way; that branch reads `=false` until it is written in FEEL", b.when));
                        "=false".to_owned()
                    }
                };
                let label = if b.label.is_empty() { b.when.as_str() } else { b.label.as_str() };
                d.flow(&id, &to(target), label, Some(condition), false);
            }
            if let Some(o) = &c.otherwise {
                d.flow(&id, &to(o), "otherwise", None, true);
            }
            if c.on_error.is_some() {
                d.notes.push(format!("step {sid}: a gateway has no error events; its error policy is left out"));
            }
        }
        Step::Approval(a) => {
            let mut s = shape(id.clone(), "userTask", name, at, TASK);
            s.extensions = "<zeebe:userTask />".to_owned();
            if !a.approvers.is_empty() {
                s.extensions.push_str(&format!("<zeebe:assignmentDefinition candidateGroups=\"{}\" />", attr(&a.approvers.join(","))));
            }
            d.shapes.push(s);
            let decision = format!("{id}-decision");
            d.shapes.push(shape(decision.clone(), "exclusiveGateway", "Approved?", (at.0, at.1 + 80), GATEWAY));
            d.flow(&id, &decision, "", None, false);
            if let Some(t) = &a.next_if_approved {
                d.flow(&decision, &to(t), "approved", Some("=approved = true".to_owned()), false);
            }
            if let Some(t) = &a.next_if_rejected {
                d.flow(&decision, &to(t), "rejected", None, true);
            }
            errors(ctx, d, sid, &id, at, step.on_error(), None, a.timeout_ms, false);
        }
        Step::End(e) => {
            d.shapes.push(shape(id.clone(), "endEvent", name, at, EVENT));
            if e.status != EndStatus::Completed {
                d.notes.push(format!(
                    "step {sid}: a plain end event; Camunda has no run status `{}`",
                    if e.status == EndStatus::Failed { "failed" } else { "rejected" }
                ));
            }
            if e.output.is_some() {
                d.notes.push(format!("step {sid}: its output is not mapped; the process ends with its variables"));
            }
        }
        Step::ForEach(f) => {
            let mut s = shape(id.clone(), "callActivity", name, at, TASK);
            s.extensions = called(d, sid, f.workflow.as_ref());
            let items = feel::expression(&f.items).unwrap_or_else(|| {
                d.notes.push(format!(
                    "step {sid}: its items `{}` are not in the JavaScript FEEL says the same way; write the collection in FEEL",
                    f.items
                ));
                "[]".to_owned()
            });
            s.tail = format!(
                "<bpmn:multiInstanceLoopCharacteristics isSequential=\"true\"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection=\"{}\" inputElement=\"item\" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>",
                attr(&format!("={items}"))
            );
            d.notes
                .push(format!("step {sid}: each item's output is not collected under `{}`", f.save_as.as_deref().unwrap_or(sid.as_str())));
            if f.on_item_error != ItemErrorPolicy::Stop {
                d.notes
                    .push(format!("step {sid}: a failed item stops the loop in Camunda; skipping or collecting failed items is left out"));
            }
            if f.input.is_some() {
                d.notes.push(format!("step {sid}: its input mapping is left out; each instance sees the process variables and `item`"));
            }
            d.shapes.push(s);
            next(d, &id, f.next.as_ref());
            errors(ctx, d, sid, &id, at, step.on_error(), f.next.as_ref(), None, false);
        }
        Step::Parallel(p) => {
            d.shapes.push(shape(id.clone(), "parallelGateway", name, at, GATEWAY));
            for b in &p.branches {
                if let Some(t) = &b.next {
                    // bpmnlint finds labels on a fork's flows superfluous.
                    d.flow(&id, &to(t), "", None, false);
                }
            }
            if p.on_error.is_some() {
                d.notes.push(format!("step {sid}: a gateway has no error events; its error policy is left out"));
            }
        }
        Step::Join(j) => {
            d.shapes.push(shape(id.clone(), "parallelGateway", name, at, GATEWAY));
            if j.wait_for != JoinMode::All {
                d.notes.push(format!("step {sid}: a parallel gateway waits for every branch; waiting for the first is left out"));
            }
            next(d, &id, j.next.as_ref());
        }
        Step::SubWorkflow(s) => {
            let mut sh = shape(id.clone(), "callActivity", name, at, TASK);
            sh.extensions = called(d, sid, s.workflow.as_ref());
            if s.input.is_some() || s.save_as.is_some() {
                d.notes.push(format!("step {sid}: its input template and `save_as` are left out; the called process shares the variables"));
            }
            d.shapes.push(sh);
            next(d, &id, s.next.as_ref());
            errors(ctx, d, sid, &id, at, step.on_error(), s.next.as_ref(), None, false);
        }
        Step::Wait(w) => {
            let mut s = shape(id.clone(), "intermediateCatchEvent", name, at, EVENT);
            let ms = match (w.duration_ms, &w.until) {
                (Some(ms), _) => ms,
                (None, until) => {
                    d.notes.push(format!(
                        "step {sid}: it waits until `{}`; the timer waits no time until that is written as a FEEL date",
                        until.as_deref().unwrap_or("")
                    ));
                    0
                }
            };
            s.tail = format!("<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">{}</bpmn:timeDuration></bpmn:timerEventDefinition>", duration(ms));
            d.shapes.push(s);
            next(d, &id, w.next.as_ref());
        }
    }
}

fn next(d: &mut Diagram, from: &str, next: Option<&Id>) {
    if let Some(n) = next {
        d.flow(from, &element_id(n), "", None, false);
    }
}

fn called(d: &mut Diagram, sid: &Id, workflow: Option<&Id>) -> String {
    match workflow {
        Some(w) => format!("<zeebe:calledElement processId=\"{}\" propagateAllChildVariables=\"false\" />", attr(&element_id(w))),
        None => {
            d.notes.push(format!("step {sid}: it calls no workflow yet"));
            String::new()
        }
    }
}

fn retries_attr(policy: Option<&ErrorPolicy>) -> String {
    match policy {
        Some(ErrorPolicy::Retry { max_attempts, .. }) => format!(" retries=\"{max_attempts}\""),
        _ => String::new(),
    }
}

/// The REST connector's inputs for an `api_call`; whether retries apply.
fn rest_connector(ctx: &Context, d: &mut Diagram, sid: &Id, a: &ApiCallStep, s: &mut Shape) -> bool {
    let policy = a.on_error.as_ref().or(ctx.bundle.workflow.on_error.as_ref());
    let mut inputs: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    let source = ctx.project.sources.get(&a.source);
    let base = source.map(|s| s.base_url.trim_end_matches('/').to_owned()).unwrap_or_default();
    if let Some(src) = source {
        headers.extend(src.headers.iter().map(|(k, v)| (k.clone(), feel::string(v))));
        match &src.auth {
            Auth::None => inputs.push(("authentication.type".into(), "noAuth".into())),
            Auth::ApiKey { secret, header } => {
                inputs.push(("authentication.type".into(), "noAuth".into()));
                headers.push((header.clone(), feel::string(&format!("{{{{secrets.{secret}}}}}"))));
            }
            Auth::Bearer { secret } => {
                inputs.push(("authentication.type".into(), "bearer".into()));
                inputs.push(("authentication.token".into(), format!("{{{{secrets.{secret}}}}}")));
            }
            Auth::Basic { username, secret } => {
                inputs.push(("authentication.type".into(), "basic".into()));
                inputs.push(("authentication.username".into(), username.clone()));
                inputs.push(("authentication.password".into(), format!("{{{{secrets.{secret}}}}}")));
            }
        }
    } else {
        d.notes.push(format!("step {sid}: source `{}` does not exist; the URL is only the path", a.source));
    }
    inputs.push(("method".into(), a.method.as_str().to_owned()));
    let url = feel::template(&format!("{base}{}", a.path)).unwrap_or_else(|| {
        d.notes.push(format!("step {sid}: its path `{}` has placeholders FEEL cannot build; the URL is left as written", a.path));
        feel::string(&format!("{base}{}", a.path))
    });
    inputs.push(("url".into(), format!("={url}")));
    for (k, v) in &a.headers {
        headers.push((k.clone(), feel::template(v).unwrap_or_else(|| feel::string(v))));
    }
    if !headers.is_empty() {
        let h: Vec<String> = headers.iter().map(|(k, v)| format!("{}: {v}", feel::string(k))).collect();
        inputs.push(("headers".into(), format!("={{{}}}", h.join(", "))));
    }
    if let Some(body) = &a.body {
        inputs.push(("body".into(), format!("={}", feel_value(body))));
    }
    let timeout = a.timeout_ms.or_else(|| source.and_then(|s| s.timeout_ms));
    if let Some(ms) = timeout {
        inputs.push(("connectionTimeoutInSeconds".into(), ms.div_ceil(1000).max(1).to_string()));
    }
    let key = variable(a.save_as.as_deref().unwrap_or(sid.as_str()));
    let io: String = inputs.iter().map(|(t, v)| format!("<zeebe:input source=\"{}\" target=\"{t}\" />", attr(v))).collect();
    let mut task_headers = format!("<zeebe:header key=\"resultExpression\" value=\"{}\" />", attr(&format!("={{{key}: response.body}}")));
    // A connector only fails the job; an error route needs the failure as a BPMN error.
    let after_retries = match policy {
        Some(ErrorPolicy::Retry { then, .. }) => then.as_deref(),
        other => other,
    };
    if matches!(after_retries, Some(ErrorPolicy::Route { .. } | ErrorPolicy::Continue {})) {
        let raise = "=if error = null then null else bpmnError(\"atelier-failed\", error.message)";
        task_headers.push_str(&format!("<zeebe:header key=\"errorExpression\" value=\"{}\" />", attr(raise)));
        if matches!(policy, Some(ErrorPolicy::Retry { .. })) {
            d.notes.push(format!(
                "step {sid}: with an error route Camunda takes the route at the first failure; the retries are left to incidents"
            ));
        }
    }
    if let Some(ErrorPolicy::Retry { backoff_ms, factor, .. }) = policy {
        task_headers.push_str(&format!("<zeebe:header key=\"retryBackoff\" value=\"{}\" />", duration(*backoff_ms)));
        if *factor != 1 {
            d.notes.push(format!(
                "step {sid}: Camunda waits {} between tries; growing the wait by {factor} each time is left out",
                duration(*backoff_ms)
            ));
        }
    }
    s.extensions = format!(
        "<zeebe:taskDefinition type=\"io.camunda:http-json:1\"{} /><zeebe:ioMapping>{io}</zeebe:ioMapping><zeebe:taskHeaders>{task_headers}</zeebe:taskHeaders>",
        retries_attr(policy)
    );
    true
}

/// A JSON value as FEEL, with `{{input.x}}` placeholders in strings as fields.
fn feel_value(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => feel::template(s).unwrap_or_else(|| feel::string(s)),
        Value::Array(a) => format!("[{}]", a.iter().map(feel_value).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => {
            format!("{{{}}}", o.iter().map(|(k, v)| format!("{}: {}", feel::string(k), feel_value(v))).collect::<Vec<_>>().join(", "))
        }
    }
}

/// Error routes, `continue` and timeouts as boundary events on `element`.
#[allow(clippy::too_many_arguments)]
fn errors(
    ctx: &Context,
    d: &mut Diagram,
    sid: &Id,
    element: &str,
    at: (i32, i32),
    own: Option<&ErrorPolicy>,
    next: Option<&Id>,
    timeout: Option<u64>,
    retries: bool,
) {
    let mut policy = own.or(ctx.bundle.workflow.on_error.as_ref());
    if let Some(ErrorPolicy::Retry { then, .. }) = policy {
        if !retries {
            d.notes.push(format!("step {sid}: retries apply to service tasks only; they are left out here"));
        }
        policy = then.as_deref();
    }
    let target = match policy {
        Some(ErrorPolicy::Route { to }) => Some(element_id(to)),
        Some(ErrorPolicy::Continue {}) => next.map(element_id),
        _ => None,
    };
    let (x, y) = (at.0 + TASK.0 / 2 - 18, at.1 + TASK.1 / 2 - 18);
    if let Some(target) = &target {
        let id = format!("{element}-error");
        let mut s = shape(id.clone(), "boundaryEvent", "Failed", (x, y), EVENT);
        s.bounds = (x, y, EVENT.0, EVENT.1);
        s.attached_to = Some(element.to_owned());
        s.tail = "<bpmn:errorEventDefinition />".to_owned();
        d.shapes.push(s);
        d.flow(&id, target, "", None, false);
    }
    if let Some(ms) = timeout {
        match &target {
            Some(target) => {
                let id = format!("{element}-timeout");
                let mut s = shape(id.clone(), "boundaryEvent", "Timed out", (x, y), EVENT);
                s.bounds = (x - 46, y, EVENT.0, EVENT.1);
                s.attached_to = Some(element.to_owned());
                s.tail = format!("<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">{}</bpmn:timeDuration></bpmn:timerEventDefinition>", duration(ms));
                d.shapes.push(s);
                d.flow(&id, target, "", None, false);
            }
            None => d
                .notes
                .push(format!("step {sid}: its time limit fails the run; Camunda raises an incident only if the task itself gives up")),
        }
    }
}
