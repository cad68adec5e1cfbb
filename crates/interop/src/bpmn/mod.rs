//! Workflows to BPMN 2.0 for Camunda 8 (Zeebe): one process with its diagram.
//! Each step becomes the element Camunda runs it with (the REST connector for
//! `api_call`, a user task for `approval`, gateways, call activities, timer
//! events); error routes and timeouts become boundary events. What cannot be
//! carried over exactly is reported in [`Exported::notes`], never silently changed.

mod feel;
mod import;
mod import_steps;
mod steps;
mod xml;

use atelier_model::project::{Project, WorkflowBundle};
use atelier_model::workflow::Trigger;
use atelier_model::Id;

pub use feel::expression as feel_expression;
pub use import::{import, BpmnImported};

/// The Camunda 8 version a file is written for when the project names none.
pub const DEFAULT_CAMUNDA_VERSION: &str = "8.8";

/// A BPMN file and what it could not carry over exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub xml: String,
    /// One line each: `step convert: its JavaScript ... a job worker runs it`.
    pub notes: Vec<String>,
}

/// An element of the process, with where the diagram draws it.
#[derive(Debug, Clone)]
struct Shape {
    id: String,
    /// `serviceTask`, `exclusiveGateway`, `startEvent`...
    tag: &'static str,
    name: String,
    bounds: (i32, i32, i32, i32),
    attrs: Vec<(&'static str, String)>,
    /// Inside `extensionElements`.
    extensions: String,
    /// After `incoming`/`outgoing`: loop characteristics, event definitions.
    tail: String,
    attached_to: Option<String>,
}

#[derive(Debug, Clone)]
struct Flow {
    id: String,
    from: String,
    to: String,
    name: String,
    /// A FEEL condition, `=` included.
    condition: Option<String>,
    is_default: bool,
}

/// The process being drawn.
#[derive(Default)]
struct Diagram {
    shapes: Vec<Shape>,
    flows: Vec<Flow>,
    notes: Vec<String>,
    /// `bpmn:message` elements the webhook start events use: (id, name).
    messages: Vec<(String, String)>,
}

impl Diagram {
    fn flow(&mut self, from: &str, to: &str, name: &str, condition: Option<String>, is_default: bool) {
        let n = self.flows.iter().filter(|f| f.from == from && f.to == to).count();
        let id = format!("Flow_{}_{}{}", from, to, if n > 0 { format!("_{}", n + 1) } else { String::new() });
        self.flows.push(Flow { id, from: from.to_owned(), to: to.to_owned(), name: name.to_owned(), condition, is_default });
    }
}

/// An element id from a step id: ids are XML names, so one that starts with a digit gets `_`.
fn element_id(step: &Id) -> String {
    let s = step.as_str();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s.to_owned()
    }
}

/// A process variable from a state key: FEEL reads `-` as minus.
fn variable(key: &str) -> String {
    key.replace('-', "_")
}

/// `500` ms → `PT0.5S`.
fn duration(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("PT{}S", ms / 1000)
    } else {
        let fraction = format!("{:03}", ms % 1000);
        format!("PT{}.{}S", ms / 1000, fraction.trim_end_matches('0'))
    }
}

/// Exports workflow `id` of `project` for Camunda `version` (`8.8`).
pub fn export(project: &Project, id: &Id, bundle: &WorkflowBundle, version: &str) -> Exported {
    let mut d = Diagram::default();
    let w = &bundle.workflow;
    let place = |step: &Id| -> (i32, i32) {
        let p = bundle.layout.nodes.get(step).copied().unwrap_or(atelier_model::layout::Position { x: 0, y: 0 });
        // Atelier's cards are wider and closer; BPMN's shapes need room for gateways between rows.
        (p.x.saturating_mul(6) / 5 + 100, p.y.saturating_mul(3) / 2 + 190)
    };
    let mut ctx = steps::Context { project, workflow_id: id, bundle, place: &place };
    for (sid, step) in &w.steps {
        steps::step(&mut ctx, &mut d, sid, step);
    }
    triggers(&mut d, w.triggers.as_slice(), &element_id(&w.start), place(&w.start));
    if w.timeout_ms.is_some() {
        d.notes.push("the workflow's time limit has no BPMN counterpart here; set one on the process instance".to_owned());
    }
    let process_id = element_id(id);
    let xml = xml::write(&d, &process_id, &w.name, &w.description, version);
    Exported { xml, notes: d.notes }
}

/// Start events above the start step: one per kind of trigger.
fn triggers(d: &mut Diagram, triggers: &[Trigger], start: &str, (cx, cy): (i32, i32)) {
    // (id, name, extensions, event definition, attributes) of each start event.
    type Start = (String, String, String, String, Vec<(&'static str, String)>);
    let mut starts: Vec<Start> = Vec::new();
    let form = triggers.iter().find_map(|t| match t {
        Trigger::FormSubmit { form } => Some(form.clone()),
        _ => None,
    });
    let manual = triggers.iter().any(|t| matches!(t, Trigger::Manual {})) || triggers.is_empty();
    if let Some(form) = &form {
        let ext = format!("<zeebe:formDefinition formId=\"{}\" />", xml::attr(form.as_str()));
        starts.push(("start-form".into(), format!("Form {form} submitted"), ext, String::new(), Vec::new()));
        if manual {
            d.notes.push(
                "the manual start and the form start are one start event (Camunda allows one plain start event); it opens the form"
                    .to_owned(),
            );
        }
    } else if manual {
        starts.push(("start".into(), "Started by hand".into(), String::new(), String::new(), Vec::new()));
    }
    let mut schedules = 0;
    let mut hooks = 0;
    for t in triggers {
        match t {
            Trigger::Schedule { cron, timezone } => {
                schedules += 1;
                if timezone.is_some() {
                    d.notes.push(format!("schedule `{cron}`: its time zone is the engine's in Camunda"));
                }
                let tail = format!(
                    "<bpmn:timerEventDefinition><bpmn:timeCycle xsi:type=\"bpmn:tFormalExpression\">0 {}</bpmn:timeCycle></bpmn:timerEventDefinition>",
                    xml::text(cron)
                );
                starts.push((format!("start-schedule-{schedules}"), format!("Schedule {cron}"), String::new(), tail, Vec::new()));
            }
            Trigger::Webhook { path, method } => {
                hooks += 1;
                let message = format!("Message_webhook_{hooks}");
                d.messages.push((message.clone(), format!("webhook {}", path.trim_start_matches('/'))));
                let ext = format!(
                    "<zeebe:properties><zeebe:property name=\"inbound.type\" value=\"io.camunda:webhook:1\" /><zeebe:property name=\"inbound.method\" value=\"{}\" /><zeebe:property name=\"inbound.context\" value=\"{}\" /><zeebe:property name=\"inbound.shouldValidateHmac\" value=\"disabled\" /><zeebe:property name=\"inbound.auth.type\" value=\"NONE\" /></zeebe:properties>",
                    method.as_str().to_ascii_lowercase(),
                    xml::attr(path.trim_start_matches('/'))
                );
                let tail = format!("<bpmn:messageEventDefinition messageRef=\"{message}\" />");
                let attrs = vec![
                    ("zeebe:modelerTemplate", "io.camunda.connectors.webhook.WebhookConnectorStartMessage.v1".to_owned()),
                    ("zeebe:modelerTemplateVersion", "1".to_owned()),
                ];
                starts.push((format!("start-webhook-{hooks}"), format!("{} {path}", method.as_str()), ext, tail, attrs));
            }
            _ => {}
        }
    }
    let n = starts.len() as i32;
    for (k, (id, name, extensions, tail, attrs)) in starts.into_iter().enumerate() {
        let x = cx - 18 + (k as i32 * 2 - (n - 1)) * 50;
        d.shapes.push(Shape {
            id: id.clone(),
            tag: "startEvent",
            name,
            bounds: (x, cy - 40 - 110, 36, 36),
            attrs,
            extensions,
            tail,
            attached_to: None,
        });
        d.flow(&id, start, "", None, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(duration(500), "PT0.5S");
        assert_eq!(duration(3_000), "PT3S");
        assert_eq!(duration(604_800_000), "PT604800S");
        assert_eq!(duration(1_250), "PT1.25S");
    }
}
