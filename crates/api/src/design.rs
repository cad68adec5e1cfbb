//! Use cases over the design files themselves: validate, format, and new
//! artifacts. Validate and format work on a project whose manifest is
//! broken too, since they are how a person finds out why.

use std::collections::BTreeMap;
use std::path::Path;

use atelier_model::data_model::{DataModel, Entity, Field, FieldType};
use atelier_model::form::{Component, ComponentKind, Form};
use atelier_model::layout::{FormLayout, Placement};
use atelier_model::project::{FormBundle, WorkflowBundle};
use atelier_model::{schema, validate, ArtifactKind, Id, Problem, Severity};
use atelier_store::ProjectDir;
use serde::Serialize;

use crate::project::OpenProject;
use crate::{ApiError, ApiResult, ErrorCode};

/// Every problem of a project, errors first counted apart.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// The project's name, when its manifest can be read.
    #[serde(skip)]
    pub name: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    pub problems: Vec<Problem>,
}

/// Validates the project holding `path`.
pub fn check_project(path: &Path) -> ApiResult<Validation> {
    let assembled = ProjectDir::open(path)?.load()?;
    let problems = validate(&assembled);
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    Ok(Validation {
        name: assembled.manifest_ok.then(|| assembled.project.manifest.name.clone()),
        errors,
        warnings: problems.len() - errors,
        problems,
    })
}

/// What formatting did (or, checking only, would do).
#[derive(Debug, Clone, Default)]
pub struct FormatReport {
    /// Files not in canonical form: rewritten, or to rewrite.
    pub files: Vec<String>,
    /// Files that cannot be read, left exactly as they are.
    pub unreadable: Vec<Problem>,
}

/// Rewrites every readable design file of the project holding `path` in
/// canonical form; with `check_only`, only says which would change.
pub fn format_project(path: &Path, check_only: bool) -> ApiResult<FormatReport> {
    let dir = ProjectDir::open(path)?;
    let assembled = dir.load()?;
    let unreadable: Vec<Problem> = assembled.problems.iter().filter(|p| p.is_error()).cloned().collect();
    let files = assembled.project.files();
    let pending: Vec<String> = assembled.not_canonical.iter().cloned().collect();
    if !check_only {
        for rel in &pending {
            let bytes = files.get(rel).ok_or_else(|| ApiError::new(ErrorCode::InvalidDesign, format!("{rel} has no canonical form")))?;
            atelier_store::write_atomic(&dir.resolve(rel)?, bytes)?;
        }
    }
    Ok(FormatReport { files: pending, unreadable })
}

/// An artifact to create.
#[derive(Debug, Clone)]
pub enum NewArtifact {
    /// A workflow with one end step, ready to grow.
    Workflow { id: String, name: Option<String> },
    /// A form over an entity of a model (its first entity when none is named).
    Form { id: String, name: Option<String>, model: String, entity: Option<String> },
    /// A data model with one entity and one field.
    Model { id: String, name: Option<String> },
}

fn id_of(s: &str) -> ApiResult<Id> {
    Id::new(s).map_err(|e| ApiError::new(ErrorCode::InvalidId, format!("`{s}` cannot be an id: {e}")))
}

/// `expense-approval` → `Expense approval`.
pub(crate) fn title_case(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl OpenProject {
    /// An error unless `id` is free for a new artifact of `kind`: the project
    /// has none by that id, and nothing is on disk where its files would go
    /// (a folder left behind counts). `or_replace`: the caller offers to
    /// write over it (an import).
    pub(crate) fn check_id_free(&self, kind: ArtifactKind, id: &Id, or_replace: bool) -> ApiResult<()> {
        let p = self.project();
        let known = match kind {
            ArtifactKind::Workflow => p.workflows.contains_key(id),
            ArtifactKind::Form => p.forms.contains_key(id),
            ArtifactKind::Model => p.models.contains_key(id),
            ArtifactKind::Source => p.sources.contains_key(id),
            ArtifactKind::Policy => p.policies.contains_key(id),
        };
        let place = match kind {
            ArtifactKind::Workflow | ArtifactKind::Form => format!("{}/{id}", kind.dir()),
            _ => kind.main_file(id),
        };
        if known || self.dir().resolve(&place)?.exists() {
            let hint = if or_replace { "choose another id or replace it" } else { "choose another id" };
            return Err(ApiError::new(ErrorCode::InvalidId, format!("{} `{id}` already exists; {hint}", kind.as_str())));
        }
        Ok(())
    }

    /// Creates a workflow, form or model and saves it; returns the files written.
    pub fn create_artifact(&mut self, what: NewArtifact) -> ApiResult<Vec<String>> {
        let mut project = self.project().clone();
        let title = |id: &Id, name: Option<String>| name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| title_case(id.as_str()));
        match what {
            NewArtifact::Workflow { id, name } => {
                let id = id_of(&id)?;
                self.check_id_free(ArtifactKind::Workflow, &id, false)?;
                project.workflows.insert(id.clone(), WorkflowBundle::starter(title(&id, name)));
            }
            NewArtifact::Form { id, name, model, entity } => {
                let id = id_of(&id)?;
                self.check_id_free(ArtifactKind::Form, &id, false)?;
                let model_id = id_of(&model)?;
                let m = project.models.get(&model_id).ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::NotFound,
                        format!("model `{model_id}` does not exist; create it with `atelier new model {model_id}`"),
                    )
                })?;
                let entity = match entity {
                    Some(e) => id_of(&e)?,
                    None => m
                        .entities
                        .keys()
                        .next()
                        .cloned()
                        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("model `{model_id}` has no entity")))?,
                };
                if !m.entities.contains_key(&entity) {
                    return Err(ApiError::new(ErrorCode::NotFound, format!("model `{model_id}` has no entity `{entity}`")));
                }
                // One component per field, one row each, in the model's field
                // order: a form that fills the entity from the start.
                let order = project.model_layouts.get(&model_id).cloned().unwrap_or_default();
                let fields: Vec<_> = order.field_order(&entity, &m.entities[&entity]).into_iter().filter(|(_, f)| !f.key).collect();
                let components: BTreeMap<Id, Component> = fields
                    .iter()
                    .map(|(fid, f)| ((*fid).clone(), Component::bound(ComponentKind::best_for(f), &f.label, (*fid).clone())))
                    .collect();
                let placements = fields
                    .iter()
                    .enumerate()
                    .map(|(row, (cid, _))| ((*cid).clone(), Placement { row: row as u32, column: 0, width: 12 }))
                    .collect();
                let form = Form {
                    schema: Some(schema::url(schema::FORM)),
                    name: title(&id, name),
                    description: String::new(),
                    model: model_id,
                    entity,
                    components,
                    submit_label: None,
                    translations: Default::default(),
                    language: None,
                };
                let layout = FormLayout { schema: Some(schema::url(schema::FORM_LAYOUT)), components: placements };
                project.forms.insert(id, FormBundle { form, layout });
            }
            NewArtifact::Model { id, name } => {
                let id = id_of(&id)?;
                self.check_id_free(ArtifactKind::Model, &id, false)?;
                let field = Field { required: true, max_length: Some(200), ..Field::new("Name", FieldType::String) };
                let entity = Entity {
                    name: "Record".to_owned(),
                    description: String::new(),
                    fields: BTreeMap::from([(Id::new("name").expect("a valid id"), field)]),
                    constraints: BTreeMap::new(),
                    examples: Vec::new(),
                };
                let model = DataModel {
                    schema: Some(schema::url(schema::MODEL)),
                    name: title(&id, name),
                    description: String::new(),
                    entities: BTreeMap::from([(Id::new("record").expect("a valid id"), entity)]),
                    enums: BTreeMap::new(),
                };
                project.models.insert(id, model);
            }
        }
        Ok(self.save_project(&project)?.written)
    }
}
