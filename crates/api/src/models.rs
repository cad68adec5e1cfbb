//! Data models and forms as their designers edit them: load and save (the
//! layout apart), what uses a field before it is deleted, imports from SQL
//! and DBML, exports to SQL and JSON Schema, and a form's live state as a
//! person fills it in.

use atelier_interop::sql_export::Dialect;
use atelier_model::data_model::DataModel;
use atelier_model::form::Form;
use atelier_model::layout::{FormLayout, ModelLayout};
use atelier_model::project::FormBundle;
use atelier_model::workflow::Trigger;
use atelier_model::ArtifactKind;
use atelier_model::{schema, Id};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::project::{parse_id, OpenProject};
use crate::workflows::SaveReport;
use crate::{ApiError, ApiResult, ErrorCode};

/// A data model as its designer edits it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ModelDoc {
    pub id: String,
    pub model: DataModel,
    pub layout: ModelLayout,
}

/// A form as its designer edits it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct FormDoc {
    pub id: String,
    pub form: Form,
    pub layout: FormLayout,
}

/// Something that uses an element of a model: shown before it is deleted.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Usage {
    /// `forms/expense-claim/form.json`.
    pub file: String,
    /// `component amount`, `field employee of entity claim`, `trigger of workflow x`.
    pub what: String,
}

/// What an import made, and what of the input it left out.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportReport {
    pub model: String,
    pub entities: usize,
    pub notes: Vec<String>,
    pub written: Vec<String>,
}

/// The formats a data model imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ModelFormat {
    Sql,
    Dbml,
}

impl ModelFormat {
    /// By the file's name: `.dbml` is DBML, anything else SQL.
    pub fn of_file(name: &str) -> ModelFormat {
        if name.to_ascii_lowercase().ends_with(".dbml") {
            ModelFormat::Dbml
        } else {
            ModelFormat::Sql
        }
    }
}

fn dialect(d: Option<&str>) -> ApiResult<Option<Dialect>> {
    d.map(|s| {
        Dialect::parse(s)
            .ok_or_else(|| ApiError::new(ErrorCode::InvalidDesign, format!("`{s}` is not a SQL dialect: postgres, mysql or sqlite")))
    })
    .transpose()
}

impl OpenProject {
    fn model_of(&self, id: &str) -> ApiResult<(Id, &DataModel)> {
        let mid = parse_id(id, "model")?;
        let m =
            self.project().models.get(&mid).ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("model `{id}` does not exist")))?;
        Ok((mid, m))
    }

    pub fn model(&self, id: &str) -> ApiResult<ModelDoc> {
        let (mid, m) = self.model_of(id)?;
        let layout = self.project().model_layouts.get(&mid).cloned().unwrap_or_default();
        Ok(ModelDoc { id: mid.to_string(), model: m.clone(), layout })
    }

    /// Saves a model edited in its designer: only files whose bytes change are
    /// written (moving an entity writes only its layout).
    pub fn save_model(&mut self, doc: ModelDoc) -> ApiResult<SaveReport> {
        let mid = parse_id(&doc.id, "model")?;
        let mut project = self.project().clone();
        project.models.insert(mid.clone(), doc.model);
        let mut layout = doc.layout;
        if layout.schema.is_none() {
            layout.schema = Some(schema::url(schema::MODEL_LAYOUT));
        }
        if layout.is_empty() && !project.model_layouts.contains_key(&mid) {
            // Nothing placed yet: no layout file until something is.
        } else {
            project.model_layouts.insert(mid, layout);
        }
        self.save_with_problems(&project)
    }

    /// A new model with one entity, saved at once.
    pub fn new_model(&mut self, id: &str, name: &str) -> ApiResult<ModelDoc> {
        self.create_artifact(crate::NewArtifact::Model { id: id.to_owned(), name: Some(name.trim().to_owned()) })?;
        self.model(id)
    }

    /// A new, empty form over `entity` of `model` (its first entity when none), saved at once.
    pub fn new_form(&mut self, id: &str, model: &str, entity: Option<&str>) -> ApiResult<FormDoc> {
        self.create_artifact(crate::NewArtifact::Form {
            id: id.to_owned(),
            name: None,
            model: model.to_owned(),
            entity: entity.map(str::to_owned),
        })?;
        self.form(id)
    }

    pub fn form(&self, id: &str) -> ApiResult<FormDoc> {
        let fid = parse_id(id, "form")?;
        let b = self.project().forms.get(&fid).ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("form `{id}` does not exist")))?;
        Ok(FormDoc { id: fid.to_string(), form: b.form.clone(), layout: b.layout.clone() })
    }

    /// Saves a form edited in its designer (placement changes write only `layout.json`).
    pub fn save_form(&mut self, doc: FormDoc) -> ApiResult<SaveReport> {
        let fid = parse_id(&doc.id, "form")?;
        let mut project = self.project().clone();
        project.forms.insert(fid, FormBundle { form: doc.form, layout: doc.layout });
        self.save_with_problems(&project)
    }

    /// Everything that uses `entity` (and `field` of it) of `model`: form
    /// components and conditions, forms over the entity, and references from
    /// other entities. The designer lists these before a delete.
    pub fn usages(&self, model: &str, entity: &str, field: Option<&str>) -> ApiResult<Vec<Usage>> {
        let (mid, m) = self.model_of(model)?;
        let eid = parse_id(entity, "entity")?;
        let fid = field.map(|f| parse_id(f, "field")).transpose()?;
        let mut out = Vec::new();
        for (form_id, b) in &self.project().forms {
            if b.form.model != mid || b.form.entity != eid {
                continue;
            }
            let file = format!("forms/{form_id}/form.json");
            match &fid {
                None => out.push(Usage { file: file.clone(), what: format!("form `{form_id}` fills this entity") }),
                Some(f) => {
                    for (cid, c) in &b.form.components {
                        let reads =
                            [&c.visible_if, &c.read_only_if].into_iter().flatten().any(|cond| cond.fields().iter().any(|(x, _)| *x == f));
                        if c.field.as_ref() == Some(f) {
                            out.push(Usage { file: file.clone(), what: format!("component `{cid}` edits it") });
                        } else if reads {
                            out.push(Usage { file: file.clone(), what: format!("component `{cid}` has a condition on it") });
                        }
                    }
                }
            }
        }
        if fid.is_none() {
            for (other, e) in &m.entities {
                for (f, def) in &e.fields {
                    if def.entity.as_ref() == Some(&eid) && *other != eid {
                        out.push(Usage {
                            file: format!("models/{mid}.json"),
                            what: format!("field `{f}` of entity `{other}` references it"),
                        });
                    }
                }
            }
            for (wid, w) in &self.project().workflows {
                for t in &w.workflow.triggers {
                    if let Trigger::FormSubmit { form } = t {
                        if self.project().forms.get(form).is_some_and(|b| b.form.model == mid && b.form.entity == eid) {
                            out.push(Usage { file: format!("workflows/{wid}/workflow.json"), what: format!("starts from form `{form}`") });
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// Imports SQL DDL or DBML as a new model `id` (or replaces it with `replace`).
    pub fn import_model(
        &mut self,
        text: &str,
        format: ModelFormat,
        id: &str,
        dialect_name: Option<&str>,
        replace: bool,
    ) -> ApiResult<ImportReport> {
        let mid = parse_id(id, "model")?;
        if !replace {
            self.check_id_free(ArtifactKind::Model, &mid, true)?;
        }
        let name = mid.as_str().replace('-', " ");
        let imported = match format {
            ModelFormat::Sql => atelier_interop::sql_import::from_sql(text, &name, dialect(dialect_name)?),
            ModelFormat::Dbml => atelier_interop::dbml::from_dbml(text, &name),
        }
        .map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("cannot import: {e}")))?;
        let mut model = imported.model;
        model.schema = Some(schema::url(schema::MODEL));
        let entities = model.entities.len();
        let mut project = self.project().clone();
        project.models.insert(mid.clone(), model);
        // The columns' order, and no positions: the designer lays a new model out.
        project.model_layouts.remove(&mid);
        if !imported.layout.is_empty() {
            let mut layout = imported.layout;
            layout.schema = Some(schema::url(schema::MODEL_LAYOUT));
            project.model_layouts.insert(mid.clone(), layout);
        }
        let report = self.save_project(&project)?;
        Ok(ImportReport { model: mid.to_string(), entities, notes: imported.notes, written: report.written })
    }

    /// The model as SQL DDL.
    pub fn model_sql(&self, id: &str, dialect_name: Option<&str>) -> ApiResult<String> {
        let (mid, m) = self.model_of(id)?;
        let layout = self.project().model_layouts.get(&mid).cloned().unwrap_or_default();
        Ok(atelier_interop::sql_export::to_sql(m, &layout, dialect(dialect_name)?.unwrap_or(Dialect::Postgres)))
    }

    /// The model as JSON Schema 2020-12; with `entity`, the document describes that entity.
    pub fn model_schema(&self, id: &str, entity: Option<&str>) -> ApiResult<Value> {
        let (_, m) = self.model_of(id)?;
        let eid = entity.map(|e| parse_id(e, "entity")).transpose()?;
        if let Some(e) = &eid {
            if !m.entities.contains_key(e) {
                let known: Vec<&str> = m.entities.keys().map(|k| k.as_str()).collect();
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    format!("model `{id}` has no entity `{e}` (entities: {})", known.join(", ")),
                ));
            }
        }
        Ok(atelier_model::json_schema::model_schema(m, eid.as_ref()))
    }

    /// The workflows a submission of `form` starts (their `form_submit` trigger names it).
    pub fn workflows_started_by(&self, form: &str) -> ApiResult<Vec<String>> {
        let fid = parse_id(form, "form")?;
        Ok(self
            .project()
            .workflows
            .iter()
            .filter(|(_, w)| w.workflow.triggers.iter().any(|t| matches!(t, Trigger::FormSubmit { form } if *form == fid)))
            .map(|(id, _)| id.to_string())
            .collect())
    }
}
