//! What a project holds, element by element, and what refers to what: the
//! raw material of search, "find references" and rename. Pure: computed from
//! a [`Project`] in memory.

use std::collections::{BTreeMap, BTreeSet};

use crate::address::Address;
use crate::data_model::FieldType;
use crate::id::Id;
use crate::project::Project;
use crate::workflow::{Step, Trigger};

/// One element as search sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub address: Address,
    /// Its name or label, as a person calls it.
    pub name: String,
    /// Everything else worth finding it by: description, prompt, help, JavaScript.
    pub text: String,
}

/// How one element uses another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefKind {
    /// A form component edits this field.
    Binds,
    /// A form's visibility or read-only condition reads this field.
    ConditionReads,
    /// A form edits records of this entity.
    FormOf,
    /// A `form_submit` trigger starts the workflow from this form.
    StartedBy,
    /// An `api_call` step calls this source; a `for_each` or `sub_workflow` step, this workflow.
    Calls,
    /// A source authenticates with this secret.
    UsesSecret,
    /// A reference field points at this entity.
    RefersTo,
    /// An enum field takes its values from this enum.
    ValuesOf,
    /// A step goes on to this step.
    GoesTo,
    /// A workflow starts at this step.
    StartsAt,
    /// A test case decides this approval step or expects to end at this step.
    TestedBy,
    /// A step's JavaScript, condition or template reads this field (as far as the text shows).
    Reads,
}

impl RefKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            RefKind::Binds => "binds",
            RefKind::ConditionReads => "condition reads",
            RefKind::FormOf => "form of",
            RefKind::StartedBy => "started by",
            RefKind::Calls => "calls",
            RefKind::UsesSecret => "uses secret",
            RefKind::RefersTo => "refers to",
            RefKind::ValuesOf => "values of",
            RefKind::GoesTo => "goes to",
            RefKind::StartsAt => "starts at",
            RefKind::TestedBy => "tests",
            RefKind::Reads => "reads",
        }
    }

    /// Read from the text of code, not from a structured property: a rename
    /// cannot change it safely.
    pub fn in_code(&self) -> bool {
        matches!(self, RefKind::Reads)
    }
}

/// `from` uses `to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    pub from: Address,
    pub to: Address,
    pub kind: RefKind,
}

/// Every element of the project, artifacts first, then what they hold.
pub fn elements(project: &Project) -> Vec<Element> {
    let mut out = Vec::new();
    let mut push = |address: Address, name: &str, text: Vec<&str>| {
        let text = text.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n");
        out.push(Element { address, name: name.to_owned(), text });
    };
    for (wid, b) in &project.workflows {
        let w = &b.workflow;
        push(Address::Workflow(wid.clone()), &w.name, vec![&w.description]);
        for (sid, step) in &w.steps {
            let mut text = vec![step.description()];
            let when: Vec<String> = match step {
                Step::Condition(c) => c.branches.iter().map(|br| format!("{} {}", br.label, br.when)).collect(),
                Step::Approval(a) => vec![a.prompt.clone(), a.approvers.join(" ")],
                Step::ApiCall(a) => vec![a.path.clone()],
                Step::ForEach(f) => vec![f.items.clone()],
                _ => Vec::new(),
            };
            text.extend(when.iter().map(String::as_str));
            if let Some(code) = b.scripts.get(sid) {
                text.push(code);
            }
            push(Address::Step { workflow: wid.clone(), step: sid.clone() }, step.name(), text);
        }
        for (tid, t) in &b.tests {
            push(Address::TestCase { workflow: wid.clone(), test: tid.clone() }, &t.name, vec![&t.description]);
        }
    }
    for (fid, b) in &project.forms {
        let f = &b.form;
        push(Address::Form(fid.clone()), &f.name, vec![&f.description]);
        for (cid, c) in &f.components {
            push(Address::Component { form: fid.clone(), component: cid.clone() }, &c.label, vec![&c.help, &c.placeholder]);
        }
    }
    for (mid, m) in &project.models {
        push(Address::Model(mid.clone()), &m.name, vec![&m.description]);
        for (eid, e) in &m.entities {
            push(Address::Entity { model: mid.clone(), entity: eid.clone() }, &e.name, vec![&e.description]);
            for (xid, x) in &e.fields {
                push(Address::Field { model: mid.clone(), entity: eid.clone(), field: xid.clone() }, &x.label, vec![&x.description]);
            }
        }
        for (nid, n) in &m.enums {
            let values = n.values.join(" ");
            push(Address::Enum { model: mid.clone(), name: nid.clone() }, nid.as_str(), vec![&values]);
        }
    }
    for (sid, s) in &project.sources {
        push(Address::Source(sid.clone()), &s.name, vec![&s.description, &s.base_url]);
    }
    for (pid, p) in &project.policies {
        let rules: Vec<&str> = p.rules.values().map(|r| r.description.as_str()).collect();
        let mut text = vec![p.description.as_str()];
        text.extend(rules);
        push(Address::Policy(pid.clone()), &p.name, text);
    }
    if let Some(s) = &project.secrets {
        for (name, spec) in &s.secrets {
            push(Address::Secret(name.clone()), name.as_str(), vec![&spec.description]);
        }
    }
    out
}

/// Every reference between elements, each once, in a stable order.
pub fn references(project: &Project) -> Vec<Reference> {
    let mut out = BTreeSet::new();
    let mut add = |from: Address, to: Address, kind: RefKind| {
        out.insert(Reference { from, to, kind });
    };
    for (fid, b) in &project.forms {
        let f = &b.form;
        let entity = Address::Entity { model: f.model.clone(), entity: f.entity.clone() };
        add(Address::Form(fid.clone()), entity, RefKind::FormOf);
        let field = |x: &Id| Address::Field { model: f.model.clone(), entity: f.entity.clone(), field: x.clone() };
        for (cid, c) in &f.components {
            let from = Address::Component { form: fid.clone(), component: cid.clone() };
            if let Some(x) = &c.field {
                add(from.clone(), field(x), RefKind::Binds);
            }
            for cond in [&c.visible_if, &c.read_only_if].into_iter().flatten() {
                for (x, _) in cond.fields() {
                    add(from.clone(), field(x), RefKind::ConditionReads);
                }
            }
        }
    }
    for (mid, m) in &project.models {
        for (eid, e) in &m.entities {
            for (xid, x) in &e.fields {
                let from = Address::Field { model: mid.clone(), entity: eid.clone(), field: xid.clone() };
                match x.field_type {
                    FieldType::Reference => {
                        if let Some(t) = &x.entity {
                            add(from, Address::Entity { model: mid.clone(), entity: t.clone() }, RefKind::RefersTo);
                        }
                    }
                    FieldType::Enum => {
                        if let Some(n) = &x.enum_type {
                            add(from, Address::Enum { model: mid.clone(), name: n.clone() }, RefKind::ValuesOf);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for (sid, s) in &project.sources {
        if let Some(secret) = s.auth.secret() {
            add(Address::Source(sid.clone()), Address::Secret(secret.clone()), RefKind::UsesSecret);
        }
    }
    for (wid, b) in &project.workflows {
        let w = &b.workflow;
        let step = |s: &Id| Address::Step { workflow: wid.clone(), step: s.clone() };
        add(Address::Workflow(wid.clone()), step(&w.start), RefKind::StartsAt);
        // The fields the workflow's input has: those of the entities its forms edit.
        let mut input_fields: BTreeMap<&str, Vec<Address>> = BTreeMap::new();
        for t in &w.triggers {
            if let Trigger::FormSubmit { form } = t {
                add(Address::Workflow(wid.clone()), Address::Form(form.clone()), RefKind::StartedBy);
                let Some(fb) = project.forms.get(form) else { continue };
                let Some(e) = project.models.get(&fb.form.model).and_then(|m| m.entities.get(&fb.form.entity)) else { continue };
                for xid in e.fields.keys() {
                    let a = Address::Field { model: fb.form.model.clone(), entity: fb.form.entity.clone(), field: xid.clone() };
                    input_fields.entry(xid.as_str()).or_default().push(a);
                }
            }
        }
        for (sid, s) in &w.steps {
            for t in s.transitions() {
                add(step(sid), step(t.target), RefKind::GoesTo);
            }
            if let Step::ApiCall(a) = s {
                add(step(sid), Address::Source(a.source.clone()), RefKind::Calls);
            }
            if let Some(called) = s.calls() {
                add(step(sid), Address::Workflow(called.clone()), RefKind::Calls);
            }
            if let Step::Parallel(p) = s {
                if let Some(join) = &p.join {
                    add(step(sid), step(join), RefKind::GoesTo);
                }
            }
            let mut texts = s.expression_texts();
            if let Some(code) = b.scripts.get(sid) {
                texts.push(code.clone());
            }
            for text in &texts {
                for name in input_reads(text) {
                    for a in input_fields.get(name.as_str()).into_iter().flatten() {
                        add(step(sid), a.clone(), RefKind::Reads);
                    }
                }
            }
        }
        for (tid, t) in &b.tests {
            let from = Address::TestCase { workflow: wid.clone(), test: tid.clone() };
            for s in t.approvals.keys() {
                add(from.clone(), step(s), RefKind::TestedBy);
            }
            if let Some(end) = t.expect.as_ref().and_then(|e| e.end_step.as_ref()) {
                add(from.clone(), step(end), RefKind::TestedBy);
            }
        }
    }
    out.into_iter().collect()
}

/// The names read from `input` in a text of JavaScript or a template:
/// `input.amount`, `input["cost-center"]`, `input['x']`, `{{input.currency}}`.
/// As far as the text shows: a name built at run time is not seen.
pub fn input_reads(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(found) = text[at..].find("input") {
        let start = at + found;
        let end = start + "input".len();
        at = end;
        let before_ok = start == 0 || !(is_ident(bytes[start - 1]) || bytes[start - 1] == b'.');
        if !before_ok || end >= bytes.len() {
            continue;
        }
        let rest = &text[end..];
        let name = if let Some(r) = rest.strip_prefix('.') {
            r.bytes().take_while(|b| is_ident(*b)).map(char::from).collect::<String>()
        } else if let Some(r) = rest.strip_prefix('[') {
            let r = r.trim_start();
            match r.chars().next() {
                Some(q @ ('"' | '\'' | '`')) => {
                    r[1..].split(q).next().filter(|n| n.len() <= 64 && !n.contains('\n')).unwrap_or("").to_owned()
                }
                _ => String::new(),
            }
        } else {
            String::new()
        };
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_from_input_are_seen_in_their_usual_spellings() {
        let code = r#"const a = input.amount; const b = input["cost-center"]; x.input.no; myinput.nope; `${input['currency']}` {{input.note}} input[key]"#;
        let names: Vec<String> = input_reads(code).into_iter().collect();
        assert_eq!(names, ["amount", "cost-center", "currency", "note"]);
    }

    #[test]
    fn odd_text_does_not_trip_the_reader() {
        for t in ["input", "input.", "input[", "input[\"", "ééinput.é", "input['\u{1F600}']"] {
            let _ = input_reads(t);
        }
    }
}
