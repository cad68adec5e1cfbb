//! Checks of forms and their bindings: the model and entity exist, every
//! input edits a field of a kind it can edit, conditions and rules name real
//! fields and real enum options, patterns compile, translations name
//! languages, the layout fits the grid; and, across forms, required fields
//! that no form fills.

use serde_json::Value;

use super::models::short;
use super::Cx;
use crate::condition::{Condition, MAX_CONDITION_DEPTH};
use crate::data_model::{DataModel, Entity, FieldType};
use crate::form::{Component, Rule};
use crate::form_state::compile_pattern;
use crate::id::Id;
use crate::manifest::{ArtifactKind, ArtifactRef};
use crate::problem::{Problem, ProblemCode};
use crate::project::FormBundle;

/// `en`, `de`, `pt-br`, `zh-hant`: a language code as forms name them.
fn is_language(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The kinds that can edit a field of this type, for the message.
fn kinds_for(field: &crate::data_model::Field) -> String {
    let fits: Vec<&str> = crate::form::ComponentKind::ALL.iter().filter(|k| k.fits(field)).map(|k| k.as_str()).collect();
    if fits.is_empty() {
        "none".to_owned()
    } else {
        fits.join(", ")
    }
}

impl Cx<'_> {
    pub(super) fn form(&self, id: &Id, bundle: &FormBundle, problems: &mut Vec<Problem>) {
        let f = &bundle.form;
        let file = format!("forms/{id}/form.json");
        if let Some(l) = f.language.as_deref().filter(|l| !is_language(l)) {
            problems.push(
                Problem::error(&file, ProblemCode::BadLanguage, format!("`{}` is not a language code such as `en` or `pt-br`", short(l)))
                    .at(&["language"]),
            );
        }
        self.placements(id, bundle, problems);
        let model_broken = self.broken.contains(&ArtifactRef { kind: ArtifactKind::Model, id: f.model.clone() });
        if model_broken {
            return;
        }
        let Some(model) = self.project.models.get(&f.model) else {
            problems.push(
                Problem::error(
                    &file,
                    ProblemCode::MissingModel,
                    format!("model `{}` does not exist (no models/{}.json)", f.model, f.model),
                )
                .at(&["model"]),
            );
            return;
        };
        let Some(entity) = model.entities.get(&f.entity) else {
            problems.push(
                Problem::error(&file, ProblemCode::MissingEntity, format!("model `{}` has no entity `{}`", f.model, f.entity))
                    .at(&["entity"]),
            );
            return;
        };
        for (cid, c) in &f.components {
            let at = |rest: &[&str]| -> Vec<String> { ["components", cid.as_str()].iter().chain(rest).map(|s| s.to_string()).collect() };
            self.binding(&file, model, entity, f, cid, c, problems);
            for (name, cond) in [("visible_if", &c.visible_if), ("read_only_if", &c.read_only_if)] {
                if let Some(cond) = cond {
                    condition(&file, model, entity, cond, &at(&[name]), problems);
                }
            }
            for (i, r) in c.rules.iter().enumerate() {
                rule(&file, entity, c, r, &at(&["rules", &i.to_string()]), problems);
            }
            for lang in c.translations.keys().filter(|l| !is_language(l)) {
                problems.push(
                    Problem::error(
                        &file,
                        ProblemCode::BadLanguage,
                        format!("`{}` is not a language code such as `en` or `pt-br`", short(lang)),
                    )
                    .at(&at(&["translations", lang])),
                );
            }
        }
    }

    /// The component's field exists, fits its kind, and its options are the enum's.
    #[allow(clippy::too_many_arguments)]
    fn binding(
        &self,
        file: &str,
        model: &DataModel,
        entity: &Entity,
        f: &crate::form::Form,
        cid: &Id,
        c: &Component,
        problems: &mut Vec<Problem>,
    ) {
        let at = |rest: &[&str]| -> Vec<String> { ["components", cid.as_str()].iter().chain(rest).map(|s| s.to_string()).collect() };
        let field = match &c.field {
            Some(field) => match entity.fields.get(field) {
                Some(def) => (field, def),
                None => {
                    problems.push(
                        Problem::error(
                            file,
                            ProblemCode::MissingField,
                            format!("entity `{}` of model `{}` has no field `{field}`", f.entity, f.model),
                        )
                        .at(&at(&["field"])),
                    );
                    return;
                }
            },
            None if c.kind.is_input() => {
                problems.push(
                    Problem::error(file, ProblemCode::UnboundInput, "an input component needs `field`: the entity field it edits")
                        .at(&at(&[])),
                );
                return;
            }
            None => return,
        };
        let (name, def) = field;
        if c.kind.is_input() && !c.kind.fits(def) {
            let ty = if def.list { format!("list of {}", def.field_type.as_str()) } else { def.field_type.as_str().to_owned() };
            problems.push(
                Problem::error(
                    file,
                    ProblemCode::KindMismatch,
                    format!("a {} cannot edit field `{name}` ({ty}); kinds that can: {}", c.kind.as_str(), kinds_for(def)),
                )
                .at(&at(&["kind"])),
            );
        }
        if let Some(options) = &c.options {
            let values = def.enum_type.as_ref().and_then(|e| model.enums.get(e)).map(|e| e.values.as_slice()).unwrap_or_default();
            for (i, o) in options.iter().enumerate() {
                if def.field_type != FieldType::Enum || !values.iter().any(|v| v == o) {
                    problems.push(
                        Problem::error(file, ProblemCode::MissingOption, format!("option `{}` is not a value of field `{name}`", short(o)))
                            .at(&at(&["options", &i.to_string()])),
                    );
                }
            }
        }
    }

    /// Every required field of an entity that forms fill should be filled by one of them.
    pub(super) fn unfilled_required(&self, problems: &mut Vec<Problem>) {
        let mut by_entity: std::collections::BTreeMap<(&Id, &Id), Vec<&Id>> = Default::default();
        for (fid, b) in &self.project.forms {
            by_entity.entry((&b.form.model, &b.form.entity)).or_default().push(fid);
        }
        for ((mid, eid), forms) in by_entity {
            let Some(entity) = self.project.models.get(mid).and_then(|m| m.entities.get(eid)) else { continue };
            for (field, def) in entity.fields.iter().filter(|(_, d)| d.required && d.default.is_none() && !d.key) {
                let filled = forms.iter().any(|f| self.project.forms[*f].form.components.values().any(|c| c.field.as_ref() == Some(field)));
                if !filled {
                    let names: Vec<String> = forms.iter().map(|f| format!("forms/{f}")).collect();
                    problems.push(
                        Problem::warning(
                            format!("models/{mid}.json"),
                            ProblemCode::UnfilledRequired,
                            format!(
                                "required field `{field}` ({}) of entity `{eid}` is filled by no form ({})",
                                def.label,
                                names.join(", ")
                            ),
                        )
                        .at(&["entities", eid.as_str(), "fields", field.as_str()]),
                    );
                }
            }
        }
    }

    fn placements(&self, id: &Id, bundle: &FormBundle, problems: &mut Vec<Problem>) {
        let f = &bundle.form;
        for cid in bundle.layout.components.keys().filter(|c| !f.components.contains_key(*c)) {
            problems.push(
                Problem::warning(format!("forms/{id}/layout.json"), ProblemCode::OrphanNode, format!("component `{cid}` does not exist"))
                    .at(&["components", cid.as_str()]),
            );
        }
        for (cid, p) in &bundle.layout.components {
            if p.width == 0 || p.width > 12 || p.column + p.width > 12 {
                problems.push(
                    Problem::error(
                        format!("forms/{id}/layout.json"),
                        ProblemCode::BadPlacement,
                        "a component must fit the 12-column grid (column + width <= 12, width >= 1)",
                    )
                    .at(&["components", cid.as_str()]),
                );
            }
        }
    }
}

/// A condition names fields of the entity, compares enums with their options, and nests within bounds.
fn condition(file: &str, model: &DataModel, entity: &Entity, c: &Condition, at: &[String], problems: &mut Vec<Problem>) {
    if c.depth() > MAX_CONDITION_DEPTH {
        problems.push(
            Problem::error(file, ProblemCode::TooDeep, format!("the condition nests deeper than {MAX_CONDITION_DEPTH} levels")).at(at),
        );
        return;
    }
    c.walk(0, &mut |c, _| {
        let Some(field) = c.field() else { return };
        let Some(def) = entity.fields.get(field) else {
            problems.push(
                Problem::error(
                    file,
                    ProblemCode::MissingField,
                    format!("the condition reads field `{field}`, which the entity does not have"),
                )
                .at(at),
            );
            return;
        };
        if def.field_type == FieldType::Enum {
            let values = def.enum_type.as_ref().and_then(|e| model.enums.get(e)).map(|e| e.values.as_slice()).unwrap_or_default();
            for v in c.values() {
                if let Value::String(s) = v {
                    if !values.is_empty() && !values.iter().any(|x| x == s) {
                        problems.push(
                            Problem::error(
                                file,
                                ProblemCode::MissingOption,
                                format!("the condition compares `{field}` with `{}`, which is not one of its options", short(s)),
                            )
                            .at(at),
                        );
                    }
                }
            }
        }
    });
}

/// A rule fits the field it checks, and its pattern compiles.
fn rule(file: &str, entity: &Entity, c: &Component, r: &Rule, at: &[String], problems: &mut Vec<Problem>) {
    let ty = c.field.as_ref().and_then(|f| entity.fields.get(f)).map(|d| (d.field_type, d.list));
    let numeric = matches!(ty, Some((FieldType::Integer | FieldType::Decimal, false)));
    let textual = matches!(ty, Some((FieldType::String | FieldType::Text | FieldType::Email, false)));
    let misfit = match r {
        Rule::Required { .. } => !c.kind.is_input(),
        Rule::Min { .. } | Rule::Max { .. } => !numeric,
        Rule::MinLength { .. } | Rule::MaxLength { .. } | Rule::Pattern { .. } => !textual,
    };
    if misfit {
        problems
            .push(Problem::error(file, ProblemCode::BadRule, format!("a {} rule does not fit a {}", r.as_str(), c.kind.as_str())).at(at));
    }
    if let Rule::Pattern { pattern, .. } = r {
        if let Err(why) = compile_pattern(pattern) {
            problems.push(
                Problem::error(file, ProblemCode::BadPattern, format!("pattern `{}` does not compile: {why}", short(pattern))).at(&[
                    at,
                    &["pattern".to_owned()],
                ]
                .concat()),
            );
        }
    }
}
