//! The form preview as a session. The app sends the form once, when the
//! preview opens (and again when the designer changes it); after that each
//! keystroke sends only the entered data, and the answer names only the
//! components whose state changed. On a form of 200 components this turns a
//! keystroke's round trip from the whole form and its whole state (tens of
//! kilobytes each way) into a few hundred bytes, which is most of what stood
//! between a keystroke and its new state on screen.

use std::collections::BTreeMap;

use atelier_engine::protocol::{Call, Outcome};
use atelier_model::data_model::{Constraint, Entity};
use atelier_model::form_state::{form_state, ComponentState, FormState};
use atelier_model::Id;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::models::FormDoc;
use crate::project::OpenProject;
use crate::{ApiError, ApiResult, ErrorCode};

/// The open preview: the form as the designer had it and what the person saw last.
pub(crate) struct FormPreview {
    doc: FormDoc,
    shown: FormState,
}

/// What changed since the last answer of this preview.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FormStateChange {
    pub title: String,
    pub submit_label: String,
    /// The components whose state differs from the last answer, whole.
    pub components: BTreeMap<String, ComponentState>,
    /// Problems that belong to no visible component (always whole: it is short).
    pub errors: Vec<String>,
    pub valid: bool,
    /// The record a submission sends.
    pub record: Value,
}

impl FormStateChange {
    fn between(before: &FormState, now: &FormState) -> FormStateChange {
        FormStateChange {
            title: now.title.clone(),
            submit_label: now.submit_label.clone(),
            components: now
                .components
                .iter()
                .filter(|(id, s)| before.components.get(*id) != Some(s))
                .map(|(id, s)| (id.clone(), s.clone()))
                .collect(),
            errors: now.errors.clone(),
            valid: now.valid,
            record: now.record.clone(),
        }
    }
}

impl OpenProject {
    /// The form (as edited, maybe unsaved) as a person sees it with `data`
    /// entered, in `language`. The model is the project's as saved.
    fn state_of(&self, doc: &FormDoc, data: &Value, language: Option<&str>) -> ApiResult<FormState> {
        let m = self
            .project()
            .models
            .get(&doc.form.model)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("model `{}` does not exist", doc.form.model)))?;
        let mut state = form_state(&doc.form, &doc.layout, m, data, language);
        // The entity's check rules judge a whole record: asked once every
        // field is right, in the sandbox (they are a stranger's JavaScript).
        if state.valid {
            if let Some(entity) = m.entities.get(&doc.form.entity) {
                state.errors = self.failed_checks(entity, &state.record);
                state.valid = state.errors.is_empty();
            }
        }
        Ok(state)
    }

    /// The messages of the entity's check rules that `record` fails, each
    /// rule run in the sandbox as an expression over the record's fields.
    pub(crate) fn failed_checks(&self, entity: &Entity, record: &Value) -> Vec<String> {
        let checks: Vec<(&Id, &String, &String)> = entity
            .constraints
            .iter()
            .filter_map(|(id, c)| match c {
                Constraint::Check { rule, message } => Some((id, rule, message)),
                Constraint::Unique { .. } => None,
            })
            .collect();
        if checks.is_empty() {
            return Vec::new();
        }
        // Every field is there, `null` when not entered: a rule naming an
        // empty field reads null rather than failing on an unknown name.
        let mut whole = serde_json::Map::new();
        for f in entity.fields.keys() {
            whole.insert(f.to_string(), record.get(f.as_str()).cloned().unwrap_or(Value::Null));
        }
        let whole = Value::Object(whole);
        let mut lease = self.pool.lease();
        let mut out = Vec::new();
        for (id, rule, message) in checks {
            let call = Call::Expression { expr: check_expression(rule), input: whole.clone() };
            match lease.call(call, 0, 0).outcome {
                Outcome::Ok { value: Value::Bool(true) } => {}
                Outcome::Ok { .. } => out.push(message.clone()),
                Outcome::Failed { message: why, .. } => {
                    out.push(format!("The check `{id}` could not run: {}", why.chars().take(200).collect::<String>()))
                }
            }
        }
        out
    }

    /// Opens (or reopens, for a changed form) the preview of `doc` with
    /// `data` entered, and returns the whole state.
    pub fn open_form_preview(&mut self, doc: FormDoc, data: &Value, language: Option<&str>) -> ApiResult<FormState> {
        let shown = self.state_of(&doc, data, language)?;
        self.form_preview = Some(FormPreview { doc, shown: shown.clone() });
        Ok(shown)
    }

    /// The open preview with `data` entered, in `language`: what changed since its last answer.
    pub fn form_preview_input(&mut self, data: &Value, language: Option<&str>) -> ApiResult<FormStateChange> {
        let preview = self.form_preview.take().ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no form preview is open"))?;
        let now = match self.state_of(&preview.doc, data, language) {
            Ok(now) => now,
            Err(e) => {
                self.form_preview = Some(preview);
                return Err(e);
            }
        };
        let change = FormStateChange::between(&preview.shown, &now);
        self.form_preview = Some(FormPreview { doc: preview.doc, shown: now });
        Ok(change)
    }
}

/// A check rule as the sandbox's condition runs it: the record's fields by
/// name (`amount > 0`), or through `record` (`record["spent-on"] <= today`).
fn check_expression(rule: &str) -> String {
    // `with` is the one way to give an expression bare field names without
    // knowing them in advance; the condition's wrapper is sloppy-mode code.
    format!("(function(record){{with(record){{return (\n{rule}\n);}}}})(input)")
}
