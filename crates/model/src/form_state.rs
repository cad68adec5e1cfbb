//! A form as a person fills it in: which components show, which are
//! read-only, what each says in the chosen language, and what is wrong with
//! each value, checked against the entity's JSON Schema (the one `atelier
//! schema` prints) and the components' own rules. The app's live preview
//! asks this on every keystroke, so nothing here may be slow or unbounded on
//! a stranger's design.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::condition::Condition;
use crate::data_model::{DataModel, Entity};
use crate::form::{ComponentKind, Form, Rule};
use crate::id::Id;
use crate::json_schema::entity_schema;
use crate::layout::FormLayout;

/// The biggest compiled regular expression a design may ask for.
pub const MAX_PATTERN_BYTES: usize = 1 << 20;

/// One component as the person sees it now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ComponentState {
    pub visible: bool,
    pub read_only: bool,
    pub label: String,
    pub help: String,
    pub placeholder: String,
    /// What is wrong with its value, in words for the person filling it in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<String>,
}

/// The whole form as the person sees it now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FormState {
    /// The form's name and its submit button's text, in the chosen language.
    pub title: String,
    pub submit_label: String,
    pub components: BTreeMap<String, ComponentState>,
    /// Problems with the record that belong to no visible component (a
    /// required field the form does not show).
    pub errors: Vec<String>,
    /// True when the record may be submitted.
    pub valid: bool,
    /// The record a submission sends: the values of the visible inputs, empty ones left out.
    pub record: Value,
}

/// A value nobody entered: missing, `null`, `""` or `[]`.
pub fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn same(a: &Value, b: &Value) -> bool {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Orders two values: numbers as numbers, texts (dates among them) as text.
fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => number(a)?.partial_cmp(&number(b)?),
    }
}

/// Whether `c` holds for the data. Nesting is bounded by the reader (and by
/// `validate`, which reports conditions nested too deep).
pub fn holds(c: &Condition, data: &Map<String, Value>) -> bool {
    use std::cmp::Ordering::*;
    let get = |f: &Id| data.get(f.as_str());
    let cmp = |f: &Id, v: &Value, ok: &[std::cmp::Ordering]| get(f).and_then(|x| order(x, v)).is_some_and(|o| ok.contains(&o));
    match c {
        Condition::All { of } => of.iter().all(|c| holds(c, data)),
        Condition::Any { of } => of.iter().any(|c| holds(c, data)),
        Condition::Not { of } => !holds(of, data),
        Condition::Eq { field, value } => get(field).is_some_and(|x| same(x, value)),
        Condition::Ne { field, value } => !get(field).is_some_and(|x| same(x, value)),
        Condition::Gt { field, value } => cmp(field, value, &[Greater]),
        Condition::Ge { field, value } => cmp(field, value, &[Greater, Equal]),
        Condition::Lt { field, value } => cmp(field, value, &[Less]),
        Condition::Le { field, value } => cmp(field, value, &[Less, Equal]),
        Condition::In { field, values } => get(field).is_some_and(|x| values.iter().any(|v| same(x, v))),
        Condition::Empty { field } => is_empty(get(field)),
        Condition::Filled { field } => !is_empty(get(field)),
    }
}

/// A regular expression from a design: linear-time matching, bounded size.
pub fn compile_pattern(p: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(p).size_limit(MAX_PATTERN_BYTES).build().map_err(|e| match e {
        regex::Error::CompiledTooBig(_) => "the pattern is too large".to_owned(),
        e => e.to_string().lines().last().unwrap_or("not a valid pattern").trim().to_owned(),
    })
}

/// What a failed schema check means to the person filling the form in.
fn say(kind: &jsonschema::error::ValidationErrorKind) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    match kind {
        K::Required { .. } => "This field is required.".to_owned(),
        K::Minimum { limit } | K::ExclusiveMinimum { limit } => format!("Must be at least {limit}."),
        K::Maximum { limit } | K::ExclusiveMaximum { limit } => format!("Must be at most {limit}."),
        K::MinLength { limit } => format!("Must be at least {limit} characters long."),
        K::MaxLength { limit } => format!("Must be at most {limit} characters long."),
        K::Pattern { .. } => "Does not have the expected form.".to_owned(),
        K::Enum { options } => {
            let list: Vec<String> =
                options.as_array().map(|a| a.iter().map(|v| v.as_str().map_or(v.to_string(), str::to_owned)).collect()).unwrap_or_default();
            format!("Must be one of: {}.", list.join(", "))
        }
        K::Format { format } => match format.as_str() {
            "date" => "Must be a date (YYYY-MM-DD).".to_owned(),
            "date-time" => "Must be a date and time.".to_owned(),
            "email" => "Must be an email address.".to_owned(),
            other => format!("Must be a valid {other}."),
        },
        K::Type { kind } => format!("Must be {}.", type_words(&format!("{kind:?}"))),
        K::UniqueItems => "Each value may appear only once.".to_owned(),
        K::AdditionalProperties { unexpected } => format!("Unknown field(s): {}.", unexpected.join(", ")),
        other => format!("{other:?}").chars().take(200).collect(),
    }
}

fn type_words(debug: &str) -> &'static str {
    let d = debug.to_ascii_lowercase();
    if d.contains("integer") {
        "a whole number"
    } else if d.contains("number") {
        "a number"
    } else if d.contains("boolean") {
        "yes or no"
    } else if d.contains("array") {
        "a list"
    } else if d.contains("object") {
        "a record"
    } else {
        "text"
    }
}

/// The record without empty values: what a submission would send.
fn without_empty(data: &Map<String, Value>) -> Map<String, Value> {
    data.iter().filter(|(_, v)| !is_empty(Some(v))).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Every problem of `record` against the entity's schema, by field (none:
/// the record as a whole). This is the check a workflow input started from a
/// form gets too.
pub fn record_errors(model: &DataModel, entity: &Entity, record: &Value) -> Vec<(Option<String>, String)> {
    match record_checker(model, entity) {
        Ok(check) => check(record),
        Err(why) => vec![(None, why)],
    }
}

/// The entity's schema compiled once, to check many records with; an error
/// when the model cannot check records at all (a pattern that does not
/// compile, which `validate` reports on its own).
#[allow(clippy::type_complexity)]
pub fn record_checker(model: &DataModel, entity: &Entity) -> Result<impl Fn(&Value) -> Vec<(Option<String>, String)>, String> {
    let schema = entity_schema(model, entity);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_pattern_options(jsonschema::PatternOptions::regex().size_limit(MAX_PATTERN_BYTES))
        .build(&schema)
        .map_err(|e| format!("the model cannot check records: {e}"))?;
    Ok(move |record: &Value| errors_of(&validator, record))
}

fn errors_of(validator: &jsonschema::Validator, record: &Value) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    for e in validator.iter_errors(record) {
        let path = e.instance_path().as_str().to_owned();
        let field = match e.kind() {
            jsonschema::error::ValidationErrorKind::Required { property } => property.as_str().map(str::to_owned),
            _ => path.trim_start_matches('/').split('/').next().filter(|s| !s.is_empty()).map(|s| s.replace("~1", "/").replace("~0", "~")),
        };
        out.push((field, say(e.kind())));
    }
    out
}

fn rule_fails(rule: &Rule, value: &Value) -> bool {
    let text_len = || value.as_str().map(|s| s.chars().count());
    match rule {
        Rule::Required { .. } => false,
        Rule::Min { value: n, .. } => number(value).zip(n.as_f64()).is_some_and(|(v, n)| v < n),
        Rule::Max { value: n, .. } => number(value).zip(n.as_f64()).is_some_and(|(v, n)| v > n),
        Rule::MinLength { value: n, .. } => text_len().is_some_and(|l| l < *n as usize),
        Rule::MaxLength { value: n, .. } => text_len().is_some_and(|l| l > *n as usize),
        Rule::Pattern { pattern, .. } => match (compile_pattern(pattern), value.as_str()) {
            (Ok(re), Some(s)) => !re.is_match(s),
            _ => false,
        },
    }
}

/// The form as a person sees it with `data` entered, in `language` (the
/// form's own when none or unknown).
pub fn form_state(form: &Form, layout: &FormLayout, model: &DataModel, data: &Value, language: Option<&str>) -> FormState {
    let empty = Map::new();
    let data = data.as_object().unwrap_or(&empty);
    let entity = model.entities.get(&form.entity);
    // Components in reading order; a section's visibility carries to what follows it.
    let mut order: Vec<(&Id, (u32, u32))> =
        form.components.keys().map(|id| (id, layout.components.get(id).map_or((u32::MAX, 0), |p| (p.row, p.column)))).collect();
    order.sort_by_key(|(id, at)| (*at, (*id).clone()));
    let mut section_shown = true;
    let mut states = BTreeMap::new();
    let mut record = Map::new();
    for (id, _) in order {
        let c = &form.components[id];
        let own = c.visible_if.as_ref().is_none_or(|cond| holds(cond, data));
        // A section groups what follows it, until the next section or divider.
        match c.kind {
            ComponentKind::Section => section_shown = own,
            ComponentKind::Divider => section_shown = true,
            _ => {}
        }
        let visible = own && section_shown;
        let read_only = c.read_only || c.read_only_if.as_ref().is_some_and(|cond| holds(cond, data));
        let t = language.filter(|l| Some(*l) != form.language.as_deref()).and_then(|l| c.translations.get(l));
        let pick = |own: &str, tr: Option<&String>| tr.filter(|s| !s.is_empty()).cloned().unwrap_or_else(|| own.to_owned());
        let mut state = ComponentState {
            visible,
            read_only,
            label: pick(&c.label, t.and_then(|t| t.label.as_ref())),
            help: pick(&c.help, t.and_then(|t| t.help.as_ref())),
            placeholder: pick(&c.placeholder, t.and_then(|t| t.placeholder.as_ref())),
            error: None,
        };
        if let (true, Some(field)) = (visible && c.kind.is_input(), &c.field) {
            let value = data.get(field.as_str());
            let def = entity.and_then(|e| e.fields.get(field));
            if is_empty(value) {
                state.error = c.rules.iter().find(|r| matches!(r, Rule::Required { .. })).map(|r| r.message().to_owned());
                if state.error.is_none() && def.is_some_and(|f| f.required) {
                    state.error = Some("This field is required.".to_owned());
                }
            } else if let Some(v) = value {
                record.insert(field.to_string(), v.clone());
                state.error = c.rules.iter().find(|r| rule_fails(r, v)).map(|r| r.message().to_owned());
                if state.error.is_none() {
                    if let (Some(options), Some(s)) = (&c.options, v.as_str()) {
                        if !options.iter().any(|o| o == s) {
                            state.error = Some("Choose one of the options.".to_owned());
                        }
                    }
                }
            }
        }
        states.insert(id.to_string(), state);
    }
    let record = Value::Object(without_empty(&record));
    let mut errors = Vec::new();
    if let Some(entity) = entity {
        for (field, message) in record_errors(model, entity, &record) {
            let shown = field.as_deref().and_then(|f| {
                form.components.iter().find(|(id, c)| c.field.as_ref().is_some_and(|x| x.as_str() == f) && states[id.as_str()].visible)
            });
            match shown {
                Some((id, _)) => {
                    let s = states.get_mut(id.as_str()).expect("every component has a state");
                    s.error.get_or_insert(message);
                }
                None => errors.push(match field {
                    Some(f) => format!(
                        "{}: {message}",
                        entity.fields.iter().find(|(id, _)| id.as_str() == f).map_or(f.as_str(), |(_, x)| x.label.as_str())
                    ),
                    None => message,
                }),
            }
        }
    } else {
        errors.push(format!("model `{}` has no entity `{}`", form.model, form.entity));
    }
    let valid = errors.is_empty() && states.values().all(|s| s.error.is_none());
    let own = language.filter(|l| Some(*l) != form.language.as_deref()).and_then(|l| form.translations.get(l));
    let title = own.and_then(|t| t.name.clone()).filter(|s| !s.is_empty()).unwrap_or_else(|| form.name.clone());
    let submit_label = own
        .and_then(|t| t.submit_label.clone())
        .or_else(|| form.submit_label.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Submit".to_owned());
    FormState { title, submit_label, components: states, errors, valid, record }
}
