//! BPMN 2.0 files from Camunda Modeler back into workflows, within the subset
//! the export writes: start events, service tasks (the REST connector, job
//! workers), script tasks, user tasks, exclusive and parallel gateways, call
//! activities, timers, end events, error and timer boundary events. What
//! Atelier cannot represent (pools, lanes, sub-processes, message events...)
//! is refused with the element named.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use atelier_model::control::{ForEachStep, JoinMode, JoinStep, ParallelBranch, ParallelStep, SubWorkflowStep, WaitStep};
use atelier_model::layout::{Layout, Position};
use atelier_model::project::WorkflowBundle;
use atelier_model::source::Source;
use atelier_model::workflow::{ApprovalStep, Branch, ConditionStep, EndStatus, EndStep, Step, Workflow};
use atelier_model::Id;
use roxmltree::{Document, Node, ParsingOptions};

use super::feel;
use crate::names::field_id;
use crate::ImportError;

const BPMN: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";
const ZEEBE: &str = "http://camunda.org/schema/zeebe/1.0";

/// A workflow read from BPMN, the sources its REST connector tasks call, and what changed.
#[derive(Debug, Clone, PartialEq)]
pub struct BpmnImported {
    pub bundle: WorkflowBundle,
    pub sources: BTreeMap<Id, Source>,
    pub notes: Vec<String>,
}

struct Flow<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    name: &'a str,
    condition: Option<String>,
}

fn refuse(what: &str, why: &str) -> ImportError {
    ImportError::Invalid(format!("{what}: {why}; Atelier cannot represent it"))
}

fn named(n: &Node) -> String {
    let tag = n.tag_name().name();
    match (n.attribute("name").filter(|s| !s.is_empty()), n.attribute("id")) {
        (Some(name), Some(id)) => format!("{tag} \"{name}\" ({id})"),
        (None, Some(id)) => format!("{tag} {id}"),
        _ => tag.to_owned(),
    }
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, tag: &str) -> Option<Node<'a, 'i>> {
    n.descendants().find(|c| c.tag_name().namespace() == Some(ns) && c.tag_name().name() == tag)
}

/// ISO 8601 durations the export writes and Modeler users type: `PT1H30M`, `P2D`, `PT0.5S`.
pub fn duration_ms(iso: &str) -> Option<u64> {
    let s = iso.trim().strip_prefix('P')?;
    let (days, time) = match s.split_once('T') {
        Some((d, t)) => (d, t),
        None => (s, ""),
    };
    let mut ms: f64 = 0.0;
    let mut read = |text: &str, units: &[(char, f64)]| -> Option<()> {
        let mut num = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
            } else {
                let unit = units.iter().find(|(u, _)| *u == c)?.1;
                ms += num.parse::<f64>().ok()? * unit;
                num.clear();
            }
        }
        num.is_empty().then_some(())
    };
    read(days, &[('D', 86_400_000.0), ('W', 604_800_000.0)])?;
    read(time, &[('H', 3_600_000.0), ('M', 60_000.0), ('S', 1_000.0)])?;
    (ms.is_finite() && ms < 1e15).then_some(ms.round() as u64)
}

pub fn import(xml: &str, fallback_name: &str) -> Result<BpmnImported, ImportError> {
    if xml.len() > crate::MAX_IMPORT_BYTES {
        return Err(ImportError::Invalid(format!("the file is larger than {} MB", crate::MAX_IMPORT_BYTES / 1024 / 1024)));
    }
    let options = ParsingOptions { allow_dtd: false, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(xml, options)
        .map_err(|e| ImportError::Syntax { line: e.pos().row as usize, message: e.to_string() })?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(BPMN) || root.tag_name().name() != "definitions" {
        return Err(ImportError::Invalid("this is not a BPMN 2.0 file: its root is not bpmn:definitions".into()));
    }
    for n in root.descendants().filter(|n| n.tag_name().namespace() == Some(BPMN)) {
        match n.tag_name().name() {
            "participant" | "collaboration" => return Err(refuse(&named(&n), "a pool (participant) of a collaboration")),
            "lane" | "laneSet" => return Err(refuse(&named(&n), "a lane")),
            _ => {}
        }
    }
    let processes: Vec<Node> = root.children().filter(|n| n.tag_name().name() == "process").collect();
    let process = match processes.as_slice() {
        [p] => *p,
        [] => return Err(ImportError::Invalid("the file has no process".into())),
        many => return Err(ImportError::Invalid(format!("the file has {} processes; import one at a time", many.len()))),
    };
    let from_atelier = root.attribute("exporter") == Some("Atelier");
    let mut ctx = super::import_steps::Ctx { notes: Vec::new(), sources: BTreeMap::new(), scripts: BTreeMap::new() };
    let mut flows: Vec<Flow> = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut description = String::new();
    for n in process.children().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        match tag {
            "sequenceFlow" => flows.push(Flow {
                id: n.attribute("id").unwrap_or(""),
                from: n.attribute("sourceRef").unwrap_or(""),
                to: n.attribute("targetRef").unwrap_or(""),
                name: n.attribute("name").unwrap_or(""),
                condition: child(n, BPMN, "conditionExpression").and_then(|c| c.text()).map(|t| t.trim().to_owned()),
            }),
            "documentation" => description = n.text().unwrap_or("").trim().to_owned(),
            "extensionElements" => {}
            "textAnnotation" | "association" | "dataObject" | "dataObjectReference" | "dataStoreReference" | "group" => {
                ctx.notes.push(format!("{} is left out", named(&n)));
            }
            "subProcess" if n.attribute("triggeredByEvent") == Some("true") => return Err(refuse(&named(&n), "an event sub-process")),
            "subProcess" | "adHocSubProcess" | "transaction" => return Err(refuse(&named(&n), "an embedded sub-process")),
            "startEvent"
            | "endEvent"
            | "serviceTask"
            | "scriptTask"
            | "userTask"
            | "manualTask"
            | "task"
            | "businessRuleTask"
            | "sendTask"
            | "receiveTask"
            | "exclusiveGateway"
            | "parallelGateway"
            | "callActivity"
            | "intermediateCatchEvent"
            | "boundaryEvent" => nodes.push(n),
            other => return Err(refuse(&named(&n), &format!("a {other}"))),
        }
    }
    if nodes.len() > crate::flows::MAX_FLOW_NODES {
        return Err(ImportError::Invalid(format!(
            "the process has {} elements; Atelier imports at most {}",
            nodes.len(),
            crate::flows::MAX_FLOW_NODES
        )));
    }
    let by_id: HashMap<&str, Node> = nodes.iter().filter_map(|n| n.attribute("id").map(|id| (id, *n))).collect();
    let out_of = |id: &str| -> Vec<&Flow> { flows.iter().filter(|f| f.from == id).collect() };
    let into = |id: &str| flows.iter().filter(|f| f.to == id).count();
    let kind = |id: &str| by_id.get(id).map(|n| n.tag_name().name()).unwrap_or("");

    // Approval gateways: the exclusive gateway right after a user task that
    // decides on `approved` is part of the approval step.
    let mut absorbed: BTreeSet<&str> = BTreeSet::new();
    for n in &nodes {
        if n.tag_name().name() == "userTask" {
            if let [f] = out_of(n.attribute("id").unwrap_or("")).as_slice() {
                let decides = kind(f.to) == "exclusiveGateway"
                    && out_of(f.to).iter().any(|g| g.condition.as_deref().is_some_and(|c| c.contains("approved")));
                if decides && into(f.to) == 1 {
                    absorbed.insert(f.to);
                }
            }
        }
    }
    // Step ids: an Atelier file's element ids are its step ids; Modeler's
    // (`Activity_0x1y2z`) say less than the names.
    let mut taken: BTreeSet<Id> = BTreeSet::new();
    let mut ids: HashMap<&str, Id> = HashMap::new();
    for n in &nodes {
        let id = n.attribute("id").unwrap_or("");
        if matches!(n.tag_name().name(), "startEvent" | "boundaryEvent") || absorbed.contains(id) {
            continue;
        }
        let base = if from_atelier {
            id.trim_start_matches('_').to_owned()
        } else {
            n.attribute("name").filter(|s| !s.trim().is_empty()).unwrap_or(id).to_owned()
        };
        let slug = field_id(&base).or_else(|| field_id(id)).map(|i| i.to_string()).unwrap_or_else(|| "step".into());
        let mut candidate = Id::new(slug.clone()).expect("slugs are ids");
        let mut k = 2;
        while !taken.insert(candidate.clone()) {
            candidate = Id::new(format!("{slug}-{k}")).expect("slugs are ids");
            k += 1;
        }
        ids.insert(id, candidate);
    }
    let mut done: Option<Id> = None;
    let mut stop = |taken: &mut BTreeSet<Id>| -> Id {
        done.get_or_insert_with(|| {
            let mut id = Id::new("done").expect("an id");
            let mut k = 2;
            while taken.contains(&id) {
                id = Id::new(format!("done-{k}")).expect("an id");
                k += 1;
            }
            taken.insert(id.clone());
            id
        })
        .clone()
    };
    let step_of = |target: &str| -> Result<Id, ImportError> {
        ids.get(target)
            .cloned()
            .ok_or_else(|| ImportError::Invalid(format!("sequence flow to `{target}`, which is not a step Atelier reads")))
    };

    let mut steps: BTreeMap<Id, Step> = BTreeMap::new();
    let mut triggers = Vec::new();
    let mut start: Option<Id> = None;
    for n in &nodes {
        let id = n.attribute("id").unwrap_or("");
        let tag = n.tag_name().name();
        let what = named(n);
        let unnamed = match tag {
            "endEvent" => "End",
            "exclusiveGateway" => "Decision",
            "parallelGateway" => "Parallel",
            "intermediateCatchEvent" => "Wait",
            _ => id,
        };
        let name = n.attribute("name").filter(|s| !s.trim().is_empty()).unwrap_or(unnamed).to_owned();
        let outs = out_of(id);
        let single = |taken: &mut BTreeSet<Id>, stop: &mut dyn FnMut(&mut BTreeSet<Id>) -> Id| -> Result<Option<Id>, ImportError> {
            match outs.as_slice() {
                [] => Ok(Some(stop(taken))),
                [f] => step_of(f.to).map(Some),
                many => Err(refuse(&what, &format!("{} outgoing flows without a gateway (an implicit split)", many.len()))),
            }
        };
        let step = match tag {
            "startEvent" => {
                let target = match outs.as_slice() {
                    [f] => step_of(f.to)?,
                    _ => return Err(refuse(&what, "a start event needs exactly one outgoing flow")),
                };
                let trigger = super::import_steps::trigger(n, &what)?;
                match &start {
                    None => start = Some(target),
                    Some(s) if *s != target => {
                        ctx.notes.push(format!("{what} starts at another element than the first start event; it is left out"));
                        continue;
                    }
                    _ => {}
                }
                if !triggers.contains(&trigger) {
                    triggers.push(trigger);
                }
                continue;
            }
            "boundaryEvent" => continue, // after the steps: they change their host's error policy
            _ if absorbed.contains(id) => continue,
            "endEvent" => {
                if child(*n, BPMN, "terminateEventDefinition").is_some() || child(*n, BPMN, "errorEventDefinition").is_some() {
                    ctx.notes.push(format!("{what} ends the process in a special way; it is a plain `end` step"));
                }
                Step::End(EndStep { name, description: String::new(), status: EndStatus::Completed, output: None })
            }
            "exclusiveGateway" => {
                let default = n.attribute("default");
                let mut branches = Vec::new();
                let mut otherwise = None;
                for f in &outs {
                    if Some(f.id) == default {
                        otherwise = Some(step_of(f.to)?);
                        continue;
                    }
                    let when = match f.condition.as_deref().map(feel::to_js) {
                        Some(Some(js)) => js,
                        Some(None) => {
                            ctx.notes.push(format!("{what}: the condition `{}` is more FEEL than Atelier translates; the branch reads `false` until it is written in JavaScript", f.condition.as_deref().unwrap_or("")));
                            "false".to_owned()
                        }
                        None if outs.len() == 1 => {
                            otherwise = Some(step_of(f.to)?);
                            continue;
                        }
                        None => "true".to_owned(),
                    };
                    branches.push(Branch { label: f.name.to_owned(), when, next: Some(step_of(f.to)?) });
                }
                Step::Condition(ConditionStep { name, description: String::new(), branches, otherwise, on_error: None })
            }
            "parallelGateway" if outs.len() > 1 => {
                let join = find_join(id, &flows, &kind)
                    .ok_or_else(|| refuse(&what, "a parallel split whose branches never meet at a parallel gateway"))?;
                let branches = outs
                    .iter()
                    .map(|f| Ok(ParallelBranch { label: f.name.to_owned(), next: Some(step_of(f.to)?) }))
                    .collect::<Result<_, ImportError>>()?;
                Step::Parallel(ParallelStep { name, description: String::new(), branches, join: Some(step_of(join)?), on_error: None })
            }
            "parallelGateway" => {
                Step::Join(JoinStep { name, description: String::new(), wait_for: JoinMode::All, next: single(&mut taken, &mut stop)? })
            }
            "userTask" => {
                let (mut approved, mut rejected) = (None, None);
                if let [f] = outs.as_slice() {
                    if absorbed.contains(f.to) {
                        let gateway = by_id[f.to];
                        for g in out_of(f.to) {
                            let target = Some(step_of(g.to)?);
                            if g.condition.as_deref().is_some_and(|c| c.contains("approved = true") || c.contains("approved=true")) {
                                approved = target;
                            } else if Some(g.id) == gateway.attribute("default") || rejected.is_none() {
                                rejected = target;
                            }
                        }
                    }
                }
                if approved.is_none() {
                    let next = single(&mut taken, &mut stop)?;
                    ctx.notes.push(format!(
                        "{what}: the process goes on the same way whatever the decision; both exits of the approval lead there"
                    ));
                    approved.clone_from(&next);
                    rejected = next;
                }
                let approvers = child(*n, ZEEBE, "assignmentDefinition")
                    .and_then(|a| a.attribute("candidateGroups"))
                    .map(|g| g.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
                    .unwrap_or_default();
                Step::Approval(ApprovalStep {
                    name,
                    description: String::new(),
                    approvers,
                    prompt: String::new(),
                    next_if_approved: approved,
                    next_if_rejected: rejected,
                    on_error: None,
                    timeout_ms: None,
                })
            }
            "callActivity" => {
                let workflow = child(*n, ZEEBE, "calledElement").and_then(|c| c.attribute("processId")).and_then(field_id);
                let next = single(&mut taken, &mut stop)?;
                match child(*n, ZEEBE, "loopCharacteristics") {
                    Some(l) => {
                        let collection = l.attribute("inputCollection").unwrap_or("");
                        let items = feel::to_js(collection).unwrap_or_else(|| {
                            ctx.notes.push(format!(
                                "{what}: its collection `{collection}` is more FEEL than Atelier translates; write the items in JavaScript"
                            ));
                            "[]".to_owned()
                        });
                        Step::ForEach(ForEachStep {
                            name,
                            description: String::new(),
                            items,
                            workflow,
                            input: None,
                            save_as: None,
                            on_item_error: Default::default(),
                            max_items: None,
                            next,
                            on_error: None,
                        })
                    }
                    None => Step::SubWorkflow(SubWorkflowStep {
                        name,
                        description: String::new(),
                        workflow,
                        input: None,
                        save_as: None,
                        next,
                        on_error: None,
                    }),
                }
            }
            "intermediateCatchEvent" => {
                let Some(timer) = child(*n, BPMN, "timerEventDefinition") else {
                    return Err(refuse(&what, "an intermediate event that waits for a message or signal"));
                };
                let duration = child(timer, BPMN, "timeDuration").and_then(|d| d.text()).and_then(duration_ms);
                let Some(ms) = duration else { return Err(refuse(&what, "a timer that waits for a date or a cycle")) };
                Step::Wait(WaitStep {
                    name,
                    description: String::new(),
                    duration_ms: Some(ms),
                    until: None,
                    next: single(&mut taken, &mut stop)?,
                })
            }
            _ => {
                let next = single(&mut taken, &mut stop)?;
                super::import_steps::task(&mut ctx, *n, &what, &ids[id], name, next)
            }
        };
        steps.insert(ids[id].clone(), step);
    }
    // Boundary events: an error route, or a time limit with its route.
    for n in nodes.iter().filter(|n| n.tag_name().name() == "boundaryEvent") {
        let what = named(n);
        let host = n
            .attribute("attachedToRef")
            .and_then(|h| ids.get(h))
            .ok_or_else(|| refuse(&what, "a boundary event on an element Atelier does not read"))?;
        if n.attribute("cancelActivity") == Some("false") {
            return Err(refuse(&what, "a non-interrupting boundary event"));
        }
        let to = match out_of(n.attribute("id").unwrap_or("")).as_slice() {
            [f] => step_of(f.to)?,
            _ => return Err(refuse(&what, "a boundary event needs exactly one outgoing flow")),
        };
        let timeout = match (child(*n, BPMN, "errorEventDefinition"), child(*n, BPMN, "timerEventDefinition")) {
            (Some(_), _) => None,
            (None, Some(t)) => Some(
                child(t, BPMN, "timeDuration")
                    .and_then(|d| d.text())
                    .and_then(duration_ms)
                    .ok_or_else(|| refuse(&what, "a timer that is not a duration"))?,
            ),
            _ => return Err(refuse(&what, "a boundary event that is neither an error nor a timer")),
        };
        super::import_steps::route(steps.get_mut(host).expect("hosts are steps"), to, timeout, &what, &mut ctx.notes);
    }
    let Some(start) = start.or_else(|| {
        nodes.iter().find(|n| into(n.attribute("id").unwrap_or("")) == 0).and_then(|n| ids.get(n.attribute("id").unwrap_or("")).cloned())
    }) else {
        return Err(ImportError::Invalid("the process has no start event".into()));
    };
    if let Some(d) = &done {
        steps.insert(
            d.clone(),
            Step::End(EndStep { name: "Done".into(), description: String::new(), status: EndStatus::Completed, output: None }),
        );
    }
    let sources = std::mem::take(&mut ctx.sources);
    let scripts = std::mem::take(&mut ctx.scripts);
    let layout = layout(root, &ids, from_atelier, done.as_ref(), &steps);
    let workflow = Workflow {
        schema: Some(atelier_model::schema::url(atelier_model::schema::WORKFLOW)),
        name: process.attribute("name").filter(|s| !s.trim().is_empty()).unwrap_or(fallback_name).to_owned(),
        description,
        triggers,
        start,
        steps,
        on_error: None,
        timeout_ms: None,
    };
    Ok(BpmnImported { bundle: WorkflowBundle { workflow, layout, scripts, tests: BTreeMap::new() }, sources, notes: ctx.notes })
}

/// The first parallel gateway with several inputs that every branch of `split` reaches.
fn find_join<'a>(split: &str, flows: &[Flow<'a>], kind: &dyn Fn(&str) -> &'a str) -> Option<&'a str> {
    let starts: Vec<&str> = flows.iter().filter(|f| f.from == split).map(|f| f.to).collect();
    let reach = |from: &'a str| -> Vec<&'a str> {
        let mut seen: Vec<&'a str> = Vec::new();
        let mut queue: VecDeque<&'a str> = VecDeque::from([from]);
        while let Some(n) = queue.pop_front() {
            if seen.contains(&n) || n == split {
                continue;
            }
            seen.push(n);
            queue.extend(flows.iter().filter(|f| f.from == n).map(|f| f.to));
        }
        seen
    };
    let reaches: Vec<Vec<&str>> = starts.iter().map(|s| reach(s)).collect();
    let first = reaches.first()?;
    first
        .iter()
        .copied()
        .find(|n| kind(n) == "parallelGateway" && flows.iter().filter(|f| f.to == *n).count() > 1 && reaches.iter().all(|r| r.contains(n)))
}

/// Positions from the diagram: an Atelier export's inverted exactly, a
/// Modeler drawing spread out for Atelier's wider cards.
fn layout(root: Node, ids: &HashMap<&str, Id>, from_atelier: bool, done: Option<&Id>, steps: &BTreeMap<Id, Step>) -> Layout {
    let mut centres: Vec<(Id, i32, i32)> = Vec::new();
    for s in root.descendants().filter(|n| n.tag_name().name() == "BPMNShape") {
        let (Some(el), Some(b)) = (s.attribute("bpmnElement"), s.children().find(|c| c.tag_name().name() == "Bounds")) else { continue };
        let Some(id) = ids.get(el) else { continue };
        let num =
            |k: &str| b.attribute(k).and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite() && v.abs() < 1e7).unwrap_or(0.0) as i32;
        centres.push((id.clone(), num("x") + num("width") / 2, num("y") + num("height") / 2));
    }
    let (min_x, min_y) = (centres.iter().map(|c| c.1).min().unwrap_or(0), centres.iter().map(|c| c.2).min().unwrap_or(0));
    let mut nodes = BTreeMap::new();
    for (id, cx, cy) in centres {
        let p = if from_atelier {
            Position { x: (cx - 100) * 5 / 6, y: (cy - 190) * 2 / 3 }
        } else {
            Position { x: (cx - min_x) * 2, y: (cy - min_y) * 3 / 2 }
        };
        nodes.insert(id, p);
    }
    // Steps the diagram does not place (and the end made for paths that stop) go below.
    let mut bottom = nodes.values().map(|p: &Position| p.y).max().unwrap_or(-130) + 130;
    for id in steps.keys().filter(|id| !nodes.contains_key(*id)).cloned().collect::<Vec<_>>().into_iter().chain(done.cloned()) {
        nodes.entry(id).or_insert_with(|| {
            bottom += 130;
            Position { x: 0, y: bottom - 130 }
        });
    }
    Layout { schema: Some(atelier_model::schema::url(atelier_model::schema::LAYOUT)), nodes }
}
