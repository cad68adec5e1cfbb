//! The semantic diff of two versions of a project: artifact → element →
//! property, with before and after, in the design's own words. Layout changes
//! are marked apart so a reviewer can hide them; step code is a unified diff.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::id::Id;
use crate::manifest::ArtifactKind;
use crate::project::Project;

/// What happened to an element or a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// The artifact a change is in: `{"kind": "workflow", "id": "expense-approval"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Artifact {
    pub kind: ArtifactKind,
    pub id: Id,
}

/// What, inside an artifact, a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// A workflow step's own properties.
    Step,
    /// The JavaScript of a step, `steps/<id>.js`.
    StepCode,
    /// Where a step is drawn.
    StepPosition,
    TestCase,
    /// Where a form's fields are placed.
    Placement,
    /// The project's list of the secrets it needs.
    RequiredSecrets,
    /// A model's entity, its fields aside.
    Entity,
    /// A field of an entity (`of` names the entity).
    Field,
    Enum,
    /// Where an entity is drawn.
    EntityPosition,
    /// The order an entity's fields are drawn and exported in.
    FieldOrder,
    /// A form's component.
    Component,
    /// Where a component sits on the form's grid.
    ComponentPlacement,
}

/// An element of an artifact: `{"kind": "step", "id": "check-amount"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Element {
    pub kind: ElementKind,
    /// The step's or test case's id; none for elements there is one of.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    /// What holds the element: the entity of a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub of: Option<String>,
}

impl Element {
    fn of(kind: ElementKind, id: impl Into<String>) -> Option<Element> {
        Some(Element { kind, id: Some(id.into()), of: None })
    }
    fn single(kind: ElementKind) -> Option<Element> {
        Some(Element { kind, id: None, of: None })
    }
    fn field(entity: &str, field: &str) -> Option<Element> {
        Some(Element { kind: ElementKind::Field, id: Some(field.to_owned()), of: Some(entity.to_owned()) })
    }
}

/// One change, as specific as it can be said.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Change {
    /// The artifact changed; none for the project's own files (`atelier.json`, the secrets list).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub artifact: Option<Artifact>,
    /// The element changed, when the change is below the artifact.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub element: Option<Element>,
    /// The property below the element, as a path: `branches/0/when`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub property: Option<String>,
    pub kind: ChangeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<Value>,
    /// True for node positions and form placement: where things are drawn.
    pub layout: bool,
    /// For code: a unified diff of the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text_diff: Option<String>,
}

/// The value without its `key` member, and that member (`{}` when absent).
fn split_off(mut v: Value, key: &str) -> (Value, Value) {
    let part = v.as_object_mut().and_then(|m| m.remove(key)).unwrap_or(Value::Object(Default::default()));
    (v, part)
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("design values serialize")
}

/// Every change from `old` to `new`.
pub fn diff_projects(old: &Project, new: &Project) -> Vec<Change> {
    let mut out = Vec::new();
    let d =
        |artifact: Option<Artifact>, element: Option<Element>, a: Option<Value>, b: Option<Value>, layout: bool, out: &mut Vec<Change>| {
            diff_element(&artifact, element, a.as_ref(), b.as_ref(), layout, out)
        };
    let of = |kind: ArtifactKind, id: &Id| Some(Artifact { kind, id: id.clone() });
    d(None, None, Some(to_value(&old.manifest)), Some(to_value(&new.manifest)), false, &mut out);
    // Workflows: steps one by one, layout apart, code as text, test cases by id.
    for id in keys(&old.workflows, &new.workflows) {
        let artifact = of(ArtifactKind::Workflow, &id);
        match (old.workflows.get(&id), new.workflows.get(&id)) {
            (Some(a), Some(b)) => {
                let mut wa = to_value(&a.workflow);
                let mut wb = to_value(&b.workflow);
                let sa = wa.as_object_mut().and_then(|m| m.remove("steps")).unwrap_or_default();
                let sb = wb.as_object_mut().and_then(|m| m.remove("steps")).unwrap_or_default();
                d(artifact.clone(), None, Some(wa), Some(wb), false, &mut out);
                for step in value_keys(&sa, &sb) {
                    d(
                        artifact.clone(),
                        Element::of(ElementKind::Step, step.clone()),
                        sa.get(&step).cloned(),
                        sb.get(&step).cloned(),
                        false,
                        &mut out,
                    );
                }
                let (la, lb) = (to_value(&a.layout.nodes), to_value(&b.layout.nodes));
                for node in value_keys(&la, &lb) {
                    d(
                        artifact.clone(),
                        Element::of(ElementKind::StepPosition, node.clone()),
                        la.get(&node).cloned(),
                        lb.get(&node).cloned(),
                        true,
                        &mut out,
                    );
                }
                for step in keys(&a.scripts, &b.scripts) {
                    let (x, y) = (a.scripts.get(&step), b.scripts.get(&step));
                    if x != y {
                        let text = unified_diff(
                            x.map_or("", |s| s.as_str()),
                            y.map_or("", |s| s.as_str()),
                            (&format!("a/steps/{step}.js"), &format!("b/steps/{step}.js")),
                            2,
                        );
                        out.push(Change {
                            artifact: artifact.clone(),
                            element: Element::of(ElementKind::StepCode, step.as_str()),
                            property: None,
                            kind: kind_of(x.is_some(), y.is_some()),
                            before: None,
                            after: None,
                            layout: false,
                            text_diff: Some(text),
                        });
                    }
                }
                for case in keys(&a.tests, &b.tests) {
                    d(
                        artifact.clone(),
                        Element::of(ElementKind::TestCase, case.as_str()),
                        a.tests.get(&case).map(to_value),
                        b.tests.get(&case).map(to_value),
                        false,
                        &mut out,
                    );
                }
            }
            (a, b) => out.push(whole(&artifact, a.map(|w| to_value(&w.workflow)), b.map(|w| to_value(&w.workflow)))),
        }
    }
    for id in keys(&old.forms, &new.forms) {
        let artifact = of(ArtifactKind::Form, &id);
        match (old.forms.get(&id), new.forms.get(&id)) {
            (Some(a), Some(b)) => {
                let (fa, fb) = (split_off(to_value(&a.form), "components"), split_off(to_value(&b.form), "components"));
                d(artifact.clone(), None, Some(fa.0), Some(fb.0), false, &mut out);
                for c in value_keys(&fa.1, &fb.1) {
                    d(
                        artifact.clone(),
                        Element::of(ElementKind::Component, c.clone()),
                        fa.1.get(&c).cloned(),
                        fb.1.get(&c).cloned(),
                        false,
                        &mut out,
                    );
                }
                let (la, lb) = (to_value(&a.layout.components), to_value(&b.layout.components));
                for c in value_keys(&la, &lb) {
                    d(
                        artifact.clone(),
                        Element::of(ElementKind::ComponentPlacement, c.clone()),
                        la.get(&c).cloned(),
                        lb.get(&c).cloned(),
                        true,
                        &mut out,
                    );
                }
            }
            (a, b) => out.push(whole(&artifact, a.map(|f| to_value(&f.form)), b.map(|f| to_value(&f.form)))),
        }
    }
    for id in keys(&old.models, &new.models) {
        let artifact = of(ArtifactKind::Model, &id);
        match (old.models.get(&id), new.models.get(&id)) {
            (Some(a), Some(b)) => {
                let (ma, mb) = (to_value(a), to_value(b));
                let (ra, ea) = split_off(ma, "entities");
                let (rb, eb) = split_off(mb, "entities");
                let (ra, na) = split_off(ra, "enums");
                let (rb, nb) = split_off(rb, "enums");
                d(artifact.clone(), None, Some(ra), Some(rb), false, &mut out);
                for e in value_keys(&ea, &eb) {
                    match (ea.get(&e).cloned(), eb.get(&e).cloned()) {
                        (Some(x), Some(y)) => {
                            let ((xa, fa), (ya, fb)) = (split_off(x, "fields"), split_off(y, "fields"));
                            d(artifact.clone(), Element::of(ElementKind::Entity, e.clone()), Some(xa), Some(ya), false, &mut out);
                            for f in value_keys(&fa, &fb) {
                                d(artifact.clone(), Element::field(&e, &f), fa.get(&f).cloned(), fb.get(&f).cloned(), false, &mut out);
                            }
                        }
                        (x, y) => d(artifact.clone(), Element::of(ElementKind::Entity, e.clone()), x, y, false, &mut out),
                    }
                }
                for n in value_keys(&na, &nb) {
                    d(
                        artifact.clone(),
                        Element::of(ElementKind::Enum, n.clone()),
                        na.get(&n).cloned(),
                        nb.get(&n).cloned(),
                        false,
                        &mut out,
                    );
                }
            }
            (a, b) => out.push(whole(&artifact, a.map(to_value), b.map(to_value))),
        }
        let pos = |p: &Project| p.model_layouts.get(&id).map(|l| to_value(&l.entities)).unwrap_or(Value::Object(Default::default()));
        let (la, lb) = (pos(old), pos(new));
        for e in value_keys(&la, &lb) {
            d(
                artifact.clone(),
                Element::of(ElementKind::EntityPosition, e.clone()),
                la.get(&e).cloned(),
                lb.get(&e).cloned(),
                true,
                &mut out,
            );
        }
        let order = |p: &Project| p.model_layouts.get(&id).map(|l| to_value(&l.fields)).unwrap_or(Value::Object(Default::default()));
        let (oa, ob) = (order(old), order(new));
        // An order is one value: "[a, b] → [b, a]" says more than index by index.
        for e in value_keys(&oa, &ob) {
            let (x, y) = (oa.get(&e).cloned(), ob.get(&e).cloned());
            if x != y {
                out.push(Change { element: Element::of(ElementKind::FieldOrder, e.clone()), layout: true, ..whole(&artifact, x, y) });
            }
        }
    }
    for id in keys(&old.sources, &new.sources) {
        d(of(ArtifactKind::Source, &id), None, old.sources.get(&id).map(to_value), new.sources.get(&id).map(to_value), false, &mut out);
    }
    for id in keys(&old.policies, &new.policies) {
        d(of(ArtifactKind::Policy, &id), None, old.policies.get(&id).map(to_value), new.policies.get(&id).map(to_value), false, &mut out);
    }
    d(
        None,
        Element::single(ElementKind::RequiredSecrets),
        old.secrets.as_ref().map(to_value),
        new.secrets.as_ref().map(to_value),
        false,
        &mut out,
    );
    out
}

/// Texts larger than this (both sides together) are summarised, not diffed
/// line by line: a diff's cost grows with the product of the sizes.
pub const MAX_TEXT_DIFF_BYTES: usize = 1024 * 1024;
/// The most lines either side may have for a line-by-line diff.
pub const MAX_TEXT_DIFF_LINES: usize = 20_000;
/// How long one line diff may search for the smallest answer before it
/// settles for a larger, still correct, one.
const TEXT_DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_millis(300);

/// A unified diff of two texts with `headers` (from, to), or, for texts too
/// large to show line by line, a one-line summary of the change's size.
/// Bounded in time and memory for any input.
pub fn unified_diff(a: &str, b: &str, headers: (&str, &str), context: usize) -> String {
    let lines = |t: &str| t.bytes().filter(|&c| c == b'\n').count() + 1;
    if a.len() + b.len() > MAX_TEXT_DIFF_BYTES || lines(a) > MAX_TEXT_DIFF_LINES || lines(b) > MAX_TEXT_DIFF_LINES {
        return format!(
            "--- {}\n+++ {}\n@@ {} → {} ({} → {} lines): too large to show line by line @@\n",
            headers.0,
            headers.1,
            size(a.len()),
            size(b.len()),
            lines(a),
            lines(b)
        );
    }
    similar::TextDiff::configure()
        .deadline(std::time::Instant::now() + TEXT_DIFF_DEADLINE)
        .diff_lines(a, b)
        .unified_diff()
        .context_radius(context)
        .header(headers.0, headers.1)
        .to_string()
}

/// `3.1 MB`, `120 KB`, `512 bytes`.
fn size(n: usize) -> String {
    match n {
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{} KB", n / 1000),
        n => format!("{n} bytes"),
    }
}

fn keys<K: Ord + Clone, V>(a: &BTreeMap<K, V>, b: &BTreeMap<K, V>) -> Vec<K> {
    let set: BTreeSet<K> = a.keys().chain(b.keys()).cloned().collect();
    set.into_iter().collect()
}

fn value_keys(a: &Value, b: &Value) -> Vec<String> {
    let mut set = BTreeSet::new();
    for v in [a, b] {
        if let Value::Object(m) = v {
            set.extend(m.keys().cloned());
        }
    }
    set.into_iter().collect()
}

fn kind_of(before: bool, after: bool) -> ChangeKind {
    match (before, after) {
        (false, true) => ChangeKind::Added,
        (true, false) => ChangeKind::Removed,
        _ => ChangeKind::Changed,
    }
}

fn whole(artifact: &Option<Artifact>, a: Option<Value>, b: Option<Value>) -> Change {
    Change {
        artifact: artifact.clone(),
        element: None,
        property: None,
        kind: kind_of(a.is_some(), b.is_some()),
        before: a,
        after: b,
        layout: false,
        text_diff: None,
    }
}

/// An element added or removed as a whole, or changed property by property.
fn diff_element(
    artifact: &Option<Artifact>,
    element: Option<Element>,
    a: Option<&Value>,
    b: Option<&Value>,
    layout: bool,
    out: &mut Vec<Change>,
) {
    match (a, b) {
        (None, None) => {}
        (Some(x), Some(y)) => {
            let mut path = Vec::new();
            leaves(x, y, &mut path, &mut |property, before, after| {
                out.push(Change {
                    artifact: artifact.clone(),
                    element: element.clone(),
                    property: if property.is_empty() { None } else { Some(property) },
                    kind: kind_of(before.is_some(), after.is_some()),
                    before: before.cloned(),
                    after: after.cloned(),
                    layout,
                    text_diff: None,
                })
            });
        }
        (x, y) => out.push(Change { element, layout, ..whole(artifact, x.cloned(), y.cloned()) }),
    }
}

/// Walks two values in step, reporting each differing leaf (or whole array).
fn leaves<'a>(a: &'a Value, b: &'a Value, path: &mut Vec<String>, report: &mut dyn FnMut(String, Option<&'a Value>, Option<&'a Value>)) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let ks: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in ks {
                path.push(k.clone());
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => leaves(p, q, path, report),
                    (p, q) => report(path.join("/"), p, q),
                }
                path.pop();
            }
        }
        // Arrays of equal length are compared item by item (branches, triggers).
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                path.push(i.to_string());
                leaves(p, q, path, report);
                path.pop();
            }
        }
        _ if a != b => report(path.join("/"), Some(a), Some(b)),
        _ => {}
    }
}

/// A value in a line of text: strings in backticks, the rest as JSON.
fn show(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // One line, whatever the value holds: a newline in a design string must
    // not start a line of its own in a review.
    let first: String = text.chars().take(120).collect();
    let short = crate::text::escape_controls(&first, false);
    let cut = text.chars().count() > 120;
    if cut {
        format!("`{short}…`")
    } else {
        format!("`{short}`")
    }
}

/// `workflow expense-approval`, `model expense`.
impl fmt::Display for Artifact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ArtifactKind::Workflow => "workflow",
            ArtifactKind::Form => "form",
            ArtifactKind::Model => "model",
            ArtifactKind::Source => "source",
            ArtifactKind::Policy => "policy",
        };
        write!(f, "{kind} {}", self.id)
    }
}

/// `step check-amount`, `code of step convert`, `test case small-claim`, `placement`.
impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.id.as_deref().unwrap_or_default();
        match self.kind {
            ElementKind::Step => write!(f, "step {id}"),
            ElementKind::StepCode => write!(f, "code of step {id}"),
            ElementKind::StepPosition => write!(f, "position of step {id}"),
            ElementKind::TestCase => write!(f, "test case {id}"),
            ElementKind::Placement => write!(f, "placement"),
            ElementKind::RequiredSecrets => write!(f, "required secrets"),
            ElementKind::Entity => write!(f, "entity {id}"),
            ElementKind::Field => write!(f, "field {id} of entity {}", self.of.as_deref().unwrap_or_default()),
            ElementKind::Enum => write!(f, "enum {id}"),
            ElementKind::EntityPosition => write!(f, "position of entity {id}"),
            ElementKind::FieldOrder => write!(f, "order of the fields of entity {id}"),
            ElementKind::Component => write!(f, "component {id}"),
            ElementKind::ComponentPlacement => write!(f, "placement of component {id}"),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.artifact {
            Some(a) => write!(f, "{a}")?,
            None => write!(f, "project")?,
        }
        if let Some(e) = &self.element {
            write!(f, ": {e}")?;
        }
        if let Some(p) = &self.property {
            write!(f, ": {}", p.replace('/', "."))?;
        }
        match (&self.text_diff, self.kind, &self.before, &self.after) {
            (Some(t), kind, _, _) => {
                let what = match kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Removed => "removed",
                    ChangeKind::Changed => "changed",
                };
                write!(f, " {what}\n{}", t.trim_end())
            }
            (None, ChangeKind::Added, _, Some(a)) if self.property.is_some() => write!(f, " set to {}", show(a)),
            (None, ChangeKind::Added, _, _) => write!(f, " added"),
            (None, ChangeKind::Removed, Some(b), _) if self.property.is_some() => write!(f, " unset (was {})", show(b)),
            (None, ChangeKind::Removed, _, _) => write!(f, " removed"),
            (None, ChangeKind::Changed, Some(b), Some(a)) => write!(f, " {} → {}", show(b), show(a)),
            _ => write!(f, " changed"),
        }
    }
}
