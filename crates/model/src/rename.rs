//! Safe rename: a new id for an element and for every structured reference
//! to it (file names, layouts, test cases and the manifest included). What
//! only JavaScript or expression text names is never rewritten: it is listed
//! for the person to check.

use std::collections::BTreeMap;

use crate::address::Address;
use crate::condition::Condition;
use crate::id::Id;
use crate::manifest::{ArtifactKind, ArtifactRef};
use crate::project::Project;
use crate::workflow::{Step, Trigger};

/// A place in text that names the old id, which the rename leaves alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub file: String,
    pub line: usize,
    pub text: String,
}

/// The project after the rename, and what it changes.
#[derive(Debug, Clone)]
pub struct Renamed {
    pub project: Project,
    pub to: Address,
    /// Structured references that now name the new id.
    pub references: usize,
    /// Text that names the old id and was not changed.
    pub check_by_hand: Vec<Mention>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("{0} does not exist")]
    Missing(Address),
    #[error("{0} already exists; choose another id")]
    Taken(Address),
    #[error("{0} keeps its id: {1}")]
    Unsupported(Address, &'static str),
}

fn moved<V>(map: &mut BTreeMap<Id, V>, old: &Id, new: &Id) -> bool {
    match map.remove(old) {
        Some(v) => {
            map.insert(new.clone(), v);
            true
        }
        None => false,
    }
}

/// Moves the element's entry in its map to the new id: refused when the new id
/// is taken (`to` names it) or the element is not there.
fn take<V>(map: &mut BTreeMap<Id, V>, old: &Id, new: &Id, to: &Address, target: &Address) -> Result<(), RenameError> {
    if map.contains_key(new) {
        return Err(RenameError::Taken(to.clone()));
    }
    if !moved(map, old, new) {
        return Err(RenameError::Missing(target.clone()));
    }
    Ok(())
}

fn swap(slot: &mut Id, old: &Id, new: &Id, count: &mut usize) {
    if slot == old {
        *slot = new.clone();
        *count += 1;
    }
}

/// Renames `target` to `new`. Refuses an element that does not exist and an id already taken.
pub fn rename(project: &Project, target: &Address, new: &Id) -> Result<Renamed, RenameError> {
    if target.id() == new.as_str() {
        // Nothing to do: the element keeps its id.
        return if exists(project, target) {
            Ok(Renamed { project: project.clone(), to: target.clone(), references: 0, check_by_hand: Vec::new() })
        } else {
            Err(RenameError::Missing(target.clone()))
        };
    }
    let mut p = project.clone();
    let mut n = 0usize;
    let missing = || RenameError::Missing(target.clone());
    let to;
    let mut mentions = Vec::new();
    match target {
        Address::Step { workflow, step } => {
            to = Address::Step { workflow: workflow.clone(), step: new.clone() };
            let b = p.workflows.get_mut(workflow).ok_or_else(missing)?;
            take(&mut b.workflow.steps, step, new, &to, target)?;
            // An api_call keeps its answer in the state under its own id unless it says where:
            // it now says so, so the code that reads `input["<old id>"]` still finds it.
            if let Some(Step::ApiCall(a)) = b.workflow.steps.get_mut(new) {
                if a.save_as.is_none() {
                    a.save_as = Some(step.to_string());
                    n += 1;
                }
            }
            swap(&mut b.workflow.start, step, new, &mut n);
            for s in b.workflow.steps.values_mut() {
                retarget(s, step, new, &mut n);
            }
            if let Some(policy) = &mut b.workflow.on_error {
                policy.routes_mut().into_iter().for_each(|x| swap(x, step, new, &mut n));
            }
            n += moved(&mut b.layout.nodes, step, new) as usize;
            n += moved(&mut b.scripts, step, new) as usize;
            for t in b.tests.values_mut() {
                n += moved(&mut t.approvals, step, new) as usize;
                if let Some(end) = t.expect.as_mut().and_then(|e| e.end_step.as_mut()) {
                    swap(end, step, new, &mut n);
                }
            }
            mentions = workflow_mentions(&p, workflow, step.as_str());
            mentions.extend(test_mentions(&p, workflow, step.as_str()));
        }
        Address::Field { model, entity, field } => {
            to = Address::Field { model: model.clone(), entity: entity.clone(), field: new.clone() };
            let e = p.models.get_mut(model).and_then(|m| m.entities.get_mut(entity)).ok_or_else(missing)?;
            take(&mut e.fields, field, new, &to, target)?;
            if let Some(order) = p.model_layouts.get_mut(model).and_then(|l| l.fields.get_mut(entity)) {
                order.iter_mut().for_each(|f| swap(f, field, new, &mut n));
            }
            let e = p.models.get_mut(model).and_then(|m| m.entities.get_mut(entity)).ok_or_else(missing)?;
            for c in e.constraints.values_mut() {
                match c {
                    crate::data_model::Constraint::Unique { fields } => fields.iter_mut().for_each(|f| swap(f, field, new, &mut n)),
                    crate::data_model::Constraint::Check { rule, .. } => {
                        if names(rule, field.as_str()) {
                            mentions.push(Mention { file: target.file(), line: 0, text: format!("check rule: {rule}") });
                        }
                    }
                }
            }
            let mut started = Vec::new();
            for (fid, fb) in p.forms.iter_mut() {
                if fb.form.model != *model || fb.form.entity != *entity {
                    continue;
                }
                started.push(fid.clone());
                for c in fb.form.components.values_mut() {
                    if let Some(f) = &mut c.field {
                        swap(f, field, new, &mut n);
                    }
                    for cond in [&mut c.visible_if, &mut c.read_only_if].into_iter().flatten() {
                        rename_in_condition(cond, field, new, &mut n);
                    }
                }
            }
            // The workflows those forms start receive the record: their code may read the field.
            let workflows: Vec<Id> = p
                .workflows
                .iter()
                .filter(|(_, b)| b.workflow.triggers.iter().any(|t| matches!(t, Trigger::FormSubmit { form } if started.contains(form))))
                .map(|(id, _)| id.clone())
                .collect();
            for w in workflows {
                mentions.extend(workflow_mentions(&p, &w, field.as_str()));
                for (tid, t) in &p.workflows[&w].tests {
                    if t.input.get(field.as_str()).is_some() {
                        mentions.push(Mention { file: format!("workflows/{w}/tests/{tid}.json"), line: 0, text: format!("input.{field}") });
                    }
                }
            }
        }
        Address::Entity { model, entity } => {
            to = Address::Entity { model: model.clone(), entity: new.clone() };
            let m = p.models.get_mut(model).ok_or_else(missing)?;
            take(&mut m.entities, entity, new, &to, target)?;
            for e in m.entities.values_mut() {
                for f in e.fields.values_mut() {
                    if let Some(t) = &mut f.entity {
                        swap(t, entity, new, &mut n);
                    }
                }
            }
            if let Some(l) = p.model_layouts.get_mut(model) {
                n += moved(&mut l.entities, entity, new) as usize;
                n += moved(&mut l.fields, entity, new) as usize;
            }
            for fb in p.forms.values_mut() {
                if fb.form.model == *model {
                    swap(&mut fb.form.entity, entity, new, &mut n);
                }
            }
        }
        Address::Component { form, component } => {
            to = Address::Component { form: form.clone(), component: new.clone() };
            let fb = p.forms.get_mut(form).ok_or_else(missing)?;
            take(&mut fb.form.components, component, new, &to, target)?;
            n += moved(&mut fb.layout.components, component, new) as usize;
        }
        Address::Form(form) => {
            to = Address::Form(new.clone());
            take(&mut p.forms, form, new, &to, target)?;
            for b in p.workflows.values_mut() {
                for t in &mut b.workflow.triggers {
                    if let Trigger::FormSubmit { form: f } = t {
                        swap(f, form, new, &mut n);
                    }
                }
            }
            n += rename_in_manifest(&mut p, ArtifactKind::Form, form, new);
        }
        Address::Source(source) => {
            to = Address::Source(new.clone());
            take(&mut p.sources, source, new, &to, target)?;
            for b in p.workflows.values_mut() {
                for s in b.workflow.steps.values_mut() {
                    if let Step::ApiCall(a) = s {
                        swap(&mut a.source, source, new, &mut n);
                    }
                }
            }
            n += rename_in_manifest(&mut p, ArtifactKind::Source, source, new);
        }
        Address::Workflow(w) => {
            to = Address::Workflow(new.clone());
            take(&mut p.workflows, w, new, &to, target)?;
            for b in p.workflows.values_mut() {
                for s in b.workflow.steps.values_mut() {
                    if let Some(called) = s.calls_mut() {
                        swap(called, w, new, &mut n);
                    }
                }
            }
            n += rename_in_manifest(&mut p, ArtifactKind::Workflow, w, new);
        }
        Address::Model(m) => {
            to = Address::Model(new.clone());
            take(&mut p.models, m, new, &to, target)?;
            n += moved(&mut p.model_layouts, m, new) as usize;
            for fb in p.forms.values_mut() {
                swap(&mut fb.form.model, m, new, &mut n);
            }
            n += rename_in_manifest(&mut p, ArtifactKind::Model, m, new);
        }
        Address::TestCase { workflow, test } => {
            to = Address::TestCase { workflow: workflow.clone(), test: new.clone() };
            let b = p.workflows.get_mut(workflow).ok_or_else(missing)?;
            take(&mut b.tests, test, new, &to, target)?;
        }
        Address::Enum { .. } | Address::Policy(_) | Address::Secret(_) => {
            return Err(RenameError::Unsupported(
                target.clone(),
                "rename is offered for workflows, steps, test cases, forms, components, models, entities, fields and sources",
            ))
        }
    }
    Ok(Renamed { project: p, to, references: n, check_by_hand: mentions })
}

fn retarget(step: &mut Step, old: &Id, new: &Id, n: &mut usize) {
    for x in step.step_ids_mut() {
        swap(x, old, new, n);
    }
}

fn rename_in_condition(c: &mut Condition, old: &Id, new: &Id, n: &mut usize) {
    match c {
        Condition::All { of } | Condition::Any { of } => of.iter_mut().for_each(|c| rename_in_condition(c, old, new, n)),
        Condition::Not { of } => rename_in_condition(of, old, new, n),
        comparison => {
            if let Some(field) = comparison.field_mut() {
                swap(field, old, new, n)
            }
        }
    }
}

fn rename_in_manifest(p: &mut Project, kind: ArtifactKind, old: &Id, new: &Id) -> usize {
    let from = ArtifactRef { kind, id: old.clone() };
    let to = ArtifactRef { kind, id: new.clone() };
    let mut n = 0;
    if let Some(info) = p.manifest.artifacts.remove(&from) {
        p.manifest.artifacts.insert(to.clone(), info);
        n += 1;
    }
    for info in p.manifest.artifacts.values_mut() {
        for d in &mut info.depends_on {
            if *d == from {
                *d = to.clone();
                n += 1;
            }
        }
    }
    n
}

/// True when `text` names `id` as a whole word (ids hold `-`, so `a-b` is one word).
fn names(text: &str, id: &str) -> bool {
    word_at(text, id).next().is_some()
}

fn word_at<'a>(text: &'a str, id: &'a str) -> impl Iterator<Item = usize> + 'a {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    text.match_indices(id).map(|(i, _)| i).filter(move |&i| {
        let bytes = text.as_bytes();
        let before = i == 0 || !word(bytes[i - 1]);
        let end = i + id.len();
        let after = end >= bytes.len() || !word(bytes[end]);
        before && after
    })
}

/// Lines of a workflow's code, conditions and templates that name `id`.
fn workflow_mentions(p: &Project, workflow: &Id, id: &str) -> Vec<Mention> {
    let Some(b) = p.workflows.get(workflow) else { return Vec::new() };
    let mut out = Vec::new();
    for (sid, code) in &b.scripts {
        for (i, line) in code.lines().enumerate() {
            if names(line, id) {
                out.push(Mention {
                    file: format!("workflows/{workflow}/steps/{sid}.js"),
                    line: i + 1,
                    text: line.trim().chars().take(200).collect(),
                });
            }
        }
    }
    let file = format!("workflows/{workflow}/workflow.json");
    for (sid, s) in &b.workflow.steps {
        let texts: Vec<String> = s
            .expression_texts()
            .into_iter()
            .chain(match s {
                Step::ApiCall(a) => a.save_as.clone(),
                _ => None,
            })
            .collect();
        for t in texts.iter().filter(|t| names(t, id)) {
            out.push(Mention { file: file.clone(), line: 0, text: format!("step {sid}: {}", t.chars().take(200).collect::<String>()) });
        }
    }
    out
}

/// Test cases of a workflow whose expectations or mocks name `id` (an approval's
/// decision or a step's answer kept in the state under its id).
fn test_mentions(p: &Project, workflow: &Id, id: &str) -> Vec<Mention> {
    let Some(b) = p.workflows.get(workflow) else { return Vec::new() };
    let mut out = Vec::new();
    for (tid, t) in &b.tests {
        let texts = t
            .expect
            .iter()
            .filter_map(|e| e.output.as_ref())
            .map(|v| v.to_string())
            .chain(t.mocks.iter().map(|m| format!("{} {}", m.url, m.body.as_ref().map(|b| b.to_string()).unwrap_or_default())));
        for text in texts.filter(|t| names(t, id)) {
            out.push(Mention { file: format!("workflows/{workflow}/tests/{tid}.json"), line: 0, text: text.chars().take(200).collect() });
        }
    }
    out
}

/// Whether the element at `a` is in the project.
fn exists(p: &Project, a: &Address) -> bool {
    match a {
        Address::Workflow(w) => p.workflows.contains_key(w),
        Address::Step { workflow, step } => p.workflows.get(workflow).is_some_and(|b| b.workflow.steps.contains_key(step)),
        Address::TestCase { workflow, test } => p.workflows.get(workflow).is_some_and(|b| b.tests.contains_key(test)),
        Address::Form(f) => p.forms.contains_key(f),
        Address::Component { form, component } => p.forms.get(form).is_some_and(|b| b.form.components.contains_key(component)),
        Address::Model(m) => p.models.contains_key(m),
        Address::Entity { model, entity } => p.models.get(model).is_some_and(|m| m.entities.contains_key(entity)),
        Address::Field { model, entity, field } => {
            p.models.get(model).and_then(|m| m.entities.get(entity)).is_some_and(|e| e.fields.contains_key(field))
        }
        Address::Enum { model, name } => p.models.get(model).is_some_and(|m| m.enums.contains_key(name)),
        Address::Source(s) => p.sources.contains_key(s),
        Address::Policy(x) => p.policies.contains_key(x),
        Address::Secret(s) => p.secrets.as_ref().is_some_and(|x| x.secrets.contains_key(s)),
    }
}
