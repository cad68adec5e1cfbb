//! Pictures for review: a workflow as SVG (now or at a revision), and one
//! picture per workflow changed between two revisions, marked as the
//! Compare view marks it.

use std::collections::BTreeMap;

use atelier_interop::svg::{render, Side};
use atelier_interop::svg_designs::{render_form, render_model};
use atelier_model::data_model::DataModel;
use atelier_model::form::Form;
use atelier_model::layout::{FormLayout, ModelLayout};
use atelier_model::manifest::ArtifactKind;
use atelier_model::project::Project;
use atelier_model::Id;

use crate::project::{parse_id, OpenProject};
use crate::workflows::WorkflowDoc;
use crate::{ApiError, ApiResult, ErrorCode};

fn scripts_of(doc: &WorkflowDoc) -> BTreeMap<Id, String> {
    doc.scripts.iter().filter_map(|(k, v)| Id::new(k.clone()).ok().map(|id| (id, v.clone()))).collect()
}

fn side<'a>(doc: &'a WorkflowDoc, scripts: &'a BTreeMap<Id, String>) -> Side<'a> {
    Side { workflow: &doc.workflow, layout: &doc.layout, scripts }
}

impl OpenProject {
    /// Workflow `id` as the canvas draws it, in the working tree or at `rev`.
    pub fn render_workflow_svg(&self, id: &str, rev: Option<&str>) -> ApiResult<String> {
        let wid = parse_id(id, "workflow")?;
        let doc = match rev {
            None => {
                let bundle = self
                    .project()
                    .workflows
                    .get(&wid)
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("there is no workflow `{wid}`")))?;
                crate::workflows::doc_of(&wid, bundle)
            }
            Some(r) => self
                .compare(r, None, wid.as_str())?
                .before
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("there is no workflow `{wid}` at `{r}`")))?,
        };
        let scripts = scripts_of(&doc);
        let title = match rev {
            Some(r) => format!("{} ({wid} at {r})", doc.workflow.name),
            None => format!("{} ({wid})", doc.workflow.name),
        };
        Ok(render(&title, &side(&doc, &scripts), None))
    }

    /// One picture per workflow changed from `from` to `to` (the working tree when `None`).
    pub fn diff_pictures(&self, from: &str, to: Option<&str>) -> ApiResult<Vec<(String, String)>> {
        let report = self.diff(from, to)?;
        let mut changed: Vec<(ArtifactKind, Id)> =
            report.changes.iter().filter_map(|c| c.artifact.as_ref().map(|a| (a.kind, a.id.clone()))).collect();
        changed.sort_by(|a, b| format!("{:?}", a.0).cmp(&format!("{:?}", b.0)).then(a.1.cmp(&b.1)));
        changed.dedup();
        let mut out = Vec::new();
        for (kind, id) in changed {
            let picture = match kind {
                ArtifactKind::Workflow => self.picture_of_change(from, to, &id)?.map(|svg| (format!("workflow-{id}"), svg)),
                ArtifactKind::Model | ArtifactKind::Form => self.design_picture(kind, from, to, &id)?,
                _ => None,
            };
            out.extend(picture);
        }
        Ok(out)
    }

    /// A data model or form (`kind` `model` or `form`) between `from` and `to`, marked.
    pub fn design_compare_picture(&self, kind: &str, from: &str, to: Option<&str>, id: &str) -> ApiResult<String> {
        let kind = match kind {
            "model" => ArtifactKind::Model,
            "form" => ArtifactKind::Form,
            "workflow" => return self.compare_picture(from, to, id),
            other => return Err(ApiError::new(ErrorCode::InvalidDesign, format!("`{other}` has no picture: workflow, model or form"))),
        };
        let did = parse_id(id, "design")?;
        self.design_picture(kind, from, to, &did)?
            .map(|(_, svg)| svg)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("there is no {kind:?} `{did}` in either version").to_lowercase()))
    }

    /// A data model or form between two versions, as its designer draws it,
    /// marked; one added or removed is drawn against an empty one.
    fn design_picture(&self, kind: ArtifactKind, from: &str, to: Option<&str>, id: &Id) -> ApiResult<Option<(String, String)>> {
        let paths: Vec<String> = match kind {
            ArtifactKind::Model => vec![format!("models/{id}.json"), format!("models/{id}.layout.json")],
            _ => vec![format!("forms/{id}/form.json"), format!("forms/{id}/layout.json")],
        };
        let mut unreadable = Vec::new();
        let (a, b) = (self.side(Some(from), &paths, &mut unreadable)?, self.side(to, &paths, &mut unreadable)?);
        let to_name = to.unwrap_or("the working tree");
        if kind == ArtifactKind::Model {
            let side = |p: &Project| p.models.get(id).map(|m| (m.clone(), p.model_layouts.get(id).cloned().unwrap_or_default()));
            let (before, after) = match (side(&a), side(&b)) {
                (None, None) => return Ok(None),
                (Some(b), None) => (
                    (b.0.clone(), b.1.clone()),
                    (DataModel { entities: Default::default(), enums: Default::default(), ..b.0 }, ModelLayout::default()),
                ),
                (None, Some(a)) => {
                    ((DataModel { entities: Default::default(), enums: Default::default(), ..a.0.clone() }, ModelLayout::default()), a)
                }
                (Some(b), Some(a)) => (b, a),
            };
            let title = format!("{} (models/{id}): {from} → {to_name}", after.0.name);
            return Ok(Some((format!("model-{id}"), render_model(&title, (&after.0, &after.1), Some((&before.0, &before.1))))));
        }
        let side = |p: &Project| p.forms.get(id).map(|f| (f.form.clone(), f.layout.clone()));
        let (before, after) = match (side(&a), side(&b)) {
            (None, None) => return Ok(None),
            (Some(b), None) => ((b.0.clone(), b.1.clone()), (Form { components: Default::default(), ..b.0 }, FormLayout::default())),
            (None, Some(a)) => ((Form { components: Default::default(), ..a.0.clone() }, FormLayout::default()), a),
            (Some(b), Some(a)) => (b, a),
        };
        let title = format!("{} (forms/{id}): {from} → {to_name}", after.0.name);
        Ok(Some((format!("form-{id}"), render_form(&title, (&after.0, &after.1), Some((&before.0, &before.1))))))
    }

    /// Workflow `id` between `from` and `to` (the working tree when `None`), marked.
    pub fn compare_picture(&self, from: &str, to: Option<&str>, id: &str) -> ApiResult<String> {
        let wid = parse_id(id, "workflow")?;
        self.picture_of_change(from, to, &wid)?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("there is no workflow `{wid}`")))
    }

    fn picture_of_change(&self, from: &str, to: Option<&str>, id: &Id) -> ApiResult<Option<String>> {
        let view = self.compare(from, to, id.as_str())?;
        let to_name = to.unwrap_or("the working tree");
        let (b_scripts, a_scripts) =
            (view.before.as_ref().map(scripts_of).unwrap_or_default(), view.after.as_ref().map(scripts_of).unwrap_or_default());
        // A workflow added or removed is drawn against an empty one: every step marked.
        let empty = |doc: &WorkflowDoc| {
            let mut e = doc.clone();
            e.workflow.steps.clear();
            e.layout.nodes.clear();
            e
        };
        let none = BTreeMap::new();
        let svg = match (&view.before, &view.after) {
            (Some(b), Some(a)) => {
                render(&format!("{} ({id}): {from} → {to_name}", a.workflow.name), &side(a, &a_scripts), Some(&side(b, &b_scripts)))
            }
            (None, Some(a)) => {
                let e = empty(a);
                render(&format!("{} ({id}): added in {to_name}", a.workflow.name), &side(a, &a_scripts), Some(&side(&e, &none)))
            }
            (Some(b), None) => {
                let e = empty(b);
                render(&format!("{} ({id}): removed in {to_name}", b.workflow.name), &side(&e, &none), Some(&side(b, &b_scripts)))
            }
            (None, None) => return Ok(None),
        };
        Ok(Some(svg))
    }
}
