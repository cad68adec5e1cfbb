//! The form preview as a session. The app sends the form once, when the
//! preview opens (and again when the designer changes it); after that each
//! keystroke sends only the entered data, and the answer names only the
//! components whose state changed. On a form of 200 components this turns a
//! keystroke's round trip from the whole form and its whole state (tens of
//! kilobytes each way) into a few hundred bytes, which is most of what stood
//! between a keystroke and its new state on screen.

use std::collections::BTreeMap;

use atelier_model::form_state::{form_state, ComponentState, FormState};
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
        Ok(form_state(&doc.form, &doc.layout, m, data, language))
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
