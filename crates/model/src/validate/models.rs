//! Checks of data models: every enum and entity a field names exists, keys
//! and constraints name real fields, patterns compile, defaults fit, and
//! layouts name what the model has.

use serde_json::Value;

use crate::data_model::{DataModel, Field, FieldType, MAX_EXAMPLES};
use crate::form_state::{compile_pattern, record_checker};
use crate::problem::{Problem, ProblemCode};
use crate::project::Project;

pub(super) fn models(project: &Project, problems: &mut Vec<Problem>) {
    for (id, m) in &project.models {
        let file = format!("models/{id}.json");
        for (eid, entity) in &m.entities {
            // A pattern that does not compile is said once, at the pattern.
            let mut bad_pattern = false;
            for (fid, field) in &entity.fields {
                let at = ["entities", eid.as_str(), "fields", fid.as_str()];
                let under = |p: &str| -> Vec<String> { at.iter().chain([&p]).map(|s| s.to_string()).collect() };
                match (field.field_type, &field.enum_type, &field.entity) {
                    (FieldType::Enum, None, _) => problems.push(
                        Problem::error(
                            &file,
                            ProblemCode::MissingKey,
                            "an `enum` field needs `enum`: the name of one of the model's enums",
                        )
                        .at(&at),
                    ),
                    (FieldType::Enum, Some(e), _) if !m.enums.contains_key(e) => problems.push(
                        Problem::error(&file, ProblemCode::MissingEnum, format!("enum `{e}` is not defined in this model's `enums`"))
                            .at(&under("enum")),
                    ),
                    (FieldType::Reference, _, None) => problems.push(
                        Problem::error(&file, ProblemCode::MissingKey, "a `reference` field needs `entity`: the entity it points at")
                            .at(&at),
                    ),
                    (FieldType::Reference, _, Some(e)) if !m.entities.contains_key(e) => problems.push(
                        Problem::error(&file, ProblemCode::MissingEntity, format!("entity `{e}` is not defined in this model"))
                            .at(&under("entity")),
                    ),
                    _ => {}
                }
                if let Some(p) = &field.pattern {
                    if let Err(why) = compile_pattern(p) {
                        bad_pattern = true;
                        problems.push(
                            Problem::error(&file, ProblemCode::BadPattern, format!("pattern `{}` does not compile: {why}", short(p)))
                                .at(&under("pattern")),
                        );
                    }
                }
                if field.key && field.list {
                    problems
                        .push(Problem::error(&file, ProblemCode::InvalidValue, "a list cannot be the key of a record").at(&under("key")));
                }
                if let Some(d) = &field.default {
                    if let Some(why) = default_misfit(m, field, d) {
                        let code = if why.starts_with("option") { ProblemCode::MissingOption } else { ProblemCode::InvalidValue };
                        problems.push(Problem::error(&file, code, format!("the default {why}")).at(&under("default")));
                    }
                }
            }
            if entity.examples.len() > MAX_EXAMPLES {
                problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::BadExample,
                        format!("at most {MAX_EXAMPLES} example records; the rest are not checked"),
                    )
                    .at(&["entities", eid.as_str(), "examples"]),
                );
            }
            if !entity.examples.is_empty() {
                let errors = record_checker(m, entity).map_or_else(
                    // The examples cannot be checked; when a bad pattern is why, that was said.
                    |why| if bad_pattern { Vec::new() } else { vec![(None, None, why)] },
                    |check| {
                        entity
                            .examples
                            .iter()
                            .take(MAX_EXAMPLES)
                            .enumerate()
                            .flat_map(|(i, x)| {
                                let record = serde_json::to_value(x).unwrap_or_default();
                                check(&record).into_iter().map(move |(f, why)| (Some(i), f, why))
                            })
                            .collect()
                    },
                );
                for (i, field, why) in errors {
                    let what = field.map_or(String::new(), |f| format!("`{f}`: "));
                    let problem = match i {
                        Some(i) => Problem::error(&file, ProblemCode::BadExample, format!("example {}: {what}{why}", i + 1)).at(&[
                            "entities",
                            eid.as_str(),
                            "examples",
                            &i.to_string(),
                        ]),
                        None => Problem::error(&file, ProblemCode::BadExample, format!("the examples cannot be checked: {why}")).at(&[
                            "entities",
                            eid.as_str(),
                            "examples",
                        ]),
                    };
                    problems.push(problem);
                }
            }
            for (cid, c) in &entity.constraints {
                if let crate::data_model::Constraint::Unique { fields } = c {
                    for (i, f) in fields.iter().enumerate() {
                        if !entity.fields.contains_key(f) {
                            problems.push(
                                Problem::error(&file, ProblemCode::MissingField, format!("field `{f}` is not a field of entity `{eid}`"))
                                    .at(&["entities", eid.as_str(), "constraints", cid.as_str(), "fields", &i.to_string()]),
                            );
                        }
                    }
                }
            }
        }
    }
    for (id, layout) in &project.model_layouts {
        let file = format!("models/{id}.layout.json");
        let Some(m) = project.models.get(id) else {
            problems.push(Problem::warning(&file, ProblemCode::OrphanNode, format!("model `{id}` does not exist (no models/{id}.json)")));
            continue;
        };
        for eid in layout.entities.keys().filter(|e| !m.entities.contains_key(*e)) {
            problems.push(
                Problem::warning(&file, ProblemCode::OrphanNode, format!("entity `{eid}` does not exist")).at(&["entities", eid.as_str()]),
            );
        }
        for nid in layout.enums.keys().filter(|e| !m.enums.contains_key(*e)) {
            problems.push(
                Problem::warning(&file, ProblemCode::OrphanNode, format!("enum `{nid}` does not exist")).at(&["enums", nid.as_str()]),
            );
        }
        for (eid, order) in &layout.fields {
            let Some(e) = m.entities.get(eid) else {
                problems.push(
                    Problem::warning(&file, ProblemCode::OrphanNode, format!("entity `{eid}` does not exist"))
                        .at(&["fields", eid.as_str()]),
                );
                continue;
            };
            for f in order.iter().filter(|f| !e.fields.contains_key(*f)) {
                problems.push(
                    Problem::warning(&file, ProblemCode::OrphanNode, format!("field `{f}` of entity `{eid}` does not exist"))
                        .at(&["fields", eid.as_str()]),
                );
            }
        }
    }
}

/// Why a default value does not fit its field, if it does not.
fn default_misfit(m: &DataModel, f: &Field, d: &Value) -> Option<String> {
    if f.list {
        return (!d.is_array()).then(|| "of a list must be a list".to_owned());
    }
    let fits = match f.field_type {
        FieldType::Integer => d.as_i64().is_some(),
        FieldType::Decimal => d.is_number(),
        FieldType::Boolean => d.is_boolean(),
        FieldType::Enum => {
            let values = f.enum_type.as_ref().and_then(|e| m.enums.get(e)).map(|e| e.values.as_slice()).unwrap_or_default();
            return match d.as_str() {
                Some(s) if values.is_empty() || values.iter().any(|v| v == s) => None,
                Some(s) => {
                    Some(format!("option `{}` is not a value of enum `{}`", short(s), f.enum_type.as_ref().map_or("", |e| e.as_str())))
                }
                None => Some("must be one of the enum's values".to_owned()),
            };
        }
        _ => d.is_string(),
    };
    (!fits).then(|| format!("does not fit a {} field", f.field_type.as_str()))
}

/// A value as a message quotes it: one line, at most 60 characters.
pub(super) fn short(s: &str) -> String {
    let first: String = s.chars().take(60).collect();
    let one = crate::text::escape_controls(&first, false).into_owned();
    if s.chars().count() > 60 {
        format!("{one}…")
    } else {
        one
    }
}
