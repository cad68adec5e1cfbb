//! Turning a project's files (path → bytes) into a [`Project`], collecting every
//! problem on the way instead of stopping at the first. Pure: the store reads
//! the files, this decides what they mean.

use crate::problem::ProblemCode;
use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;

use crate::canonical::{from_value, read_json, to_canonical_bytes};
use crate::id::Id;
use crate::layout::{FormLayout, Layout};
use crate::manifest::{ArtifactKind, ArtifactRef, Manifest, FORMAT_VERSION};
use crate::problem::Problem;
use crate::project::{FormBundle, Project, WorkflowBundle, MANIFEST_FILE, SECRETS_FILE};
use crate::secrets_scan;
use crate::test_case::TestCase;

/// What reading a project's files gave.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The project, with every artifact that could be read.
    pub project: Project,
    /// Problems found while reading: syntax, types, ids, file layout, secrets.
    pub problems: Vec<Problem>,
    /// Artifacts that could not be read; checks that need them are skipped.
    pub broken: BTreeSet<ArtifactRef>,
    /// Whether `atelier.json` itself could be read.
    pub manifest_ok: bool,
    /// For each file read, the canonical bytes of what it held. A save that
    /// produces the same bytes leaves the file alone, canonical or not.
    pub loaded: BTreeMap<String, Vec<u8>>,
    /// Files whose bytes differ from their canonical form (`atelier fmt` rewrites them).
    pub not_canonical: BTreeSet<String>,
}

/// One file of a project, classified by its path.
enum FileRole {
    Manifest,
    Secrets,
    Workflow(Id),
    WorkflowLayout(Id),
    Script(Id, Id),
    TestCase(Id, Id),
    Form(Id),
    FormLayout(Id),
    ModelLayout(Id),
    Single(ArtifactKind, Id),
}

fn classify(path: &str) -> Result<Option<FileRole>, Problem> {
    let parts: Vec<&str> = path.split('/').collect();
    let id = |s: &str| Id::new(s).map_err(|e| Problem::error(path, ProblemCode::BadId, format!("{e}; the file is skipped")));
    let stem = |name: &'_ str, ext: &str| name.strip_suffix(ext).map(str::to_owned);
    Ok(Some(match parts.as_slice() {
        [MANIFEST_FILE] => FileRole::Manifest,
        [SECRETS_FILE] => FileRole::Secrets,
        ["workflows", w, "workflow.json"] => FileRole::Workflow(id(w)?),
        ["workflows", w, "layout.json"] => FileRole::WorkflowLayout(id(w)?),
        ["workflows", w, "steps", f] if f.ends_with(".js") => FileRole::Script(id(w)?, id(&stem(f, ".js").unwrap_or_default())?),
        ["workflows", w, "tests", f] if f.ends_with(".json") => FileRole::TestCase(id(w)?, id(&stem(f, ".json").unwrap_or_default())?),
        ["forms", f, "form.json"] => FileRole::Form(id(f)?),
        ["forms", f, "layout.json"] => FileRole::FormLayout(id(f)?),
        ["models", f] if f.ends_with(".layout.json") => FileRole::ModelLayout(id(&stem(f, ".layout.json").unwrap_or_default())?),
        [dir @ ("models" | "sources" | "policies"), f] if f.ends_with(".json") => {
            let kind = ArtifactKind::from_dir(dir).expect("matched above");
            FileRole::Single(kind, id(&stem(f, ".json").unwrap_or_default())?)
        }
        [top, ..] if ArtifactKind::from_dir(top).is_some() => {
            return Err(Problem::warning(path, ProblemCode::UnexpectedFile, "Atelier does not know this file and ignores it"))
        }
        _ => return Ok(None),
    }))
}

/// The artifact a project file belongs to, if it belongs to one:
/// `workflows/a/steps/b.js` → `workflows/a`.
pub fn artifact_of(path: &str) -> Option<ArtifactRef> {
    let r = |kind, id: Id| Some(ArtifactRef { kind, id });
    match classify(path).ok()?? {
        FileRole::Workflow(w) | FileRole::WorkflowLayout(w) | FileRole::Script(w, _) | FileRole::TestCase(w, _) => {
            r(ArtifactKind::Workflow, w)
        }
        FileRole::Form(f) | FileRole::FormLayout(f) => r(ArtifactKind::Form, f),
        FileRole::ModelLayout(m) => r(ArtifactKind::Model, m),
        FileRole::Single(kind, id) => r(kind, id),
        FileRole::Manifest | FileRole::Secrets => None,
    }
}

/// Reads every file of a project. `files` maps project-relative paths (with `/`)
/// to their bytes; files outside the design layout (README, .git...) are ignored.
pub fn assemble(files: &BTreeMap<String, Vec<u8>>) -> Assembled {
    let mut a = Assembled {
        project: Project::new(placeholder_manifest()),
        problems: Vec::new(),
        broken: BTreeSet::new(),
        manifest_ok: false,
        loaded: BTreeMap::new(),
        not_canonical: BTreeSet::new(),
    };
    let mut workflows: BTreeMap<Id, Option<crate::workflow::Workflow>> = BTreeMap::new();
    let mut layouts: BTreeMap<Id, Layout> = BTreeMap::new();
    let mut scripts: BTreeMap<Id, BTreeMap<Id, String>> = BTreeMap::new();
    let mut tests: BTreeMap<Id, BTreeMap<Id, TestCase>> = BTreeMap::new();
    let mut forms: BTreeMap<Id, Option<crate::form::Form>> = BTreeMap::new();
    let mut form_layouts: BTreeMap<Id, FormLayout> = BTreeMap::new();
    let mut manifest_seen = false;

    for (path, bytes) in files {
        let role = match classify(path) {
            Ok(Some(role)) => role,
            Ok(None) => continue,
            Err(p) => {
                a.problems.push(p);
                continue;
            }
        };
        match role {
            FileRole::Manifest => {
                manifest_seen = true;
                if let Some(m) = a.read::<Manifest>(path, bytes) {
                    if m.format > FORMAT_VERSION {
                        a.problems.push(
                            Problem::error(
                                path,
                                ProblemCode::FormatTooNew,
                                format!("format {} is newer than this Atelier understands ({FORMAT_VERSION}); update Atelier", m.format),
                            )
                            .at(&["format"]),
                        );
                    } else {
                        a.project.manifest = m;
                        a.manifest_ok = true;
                    }
                }
            }
            FileRole::Secrets => a.project.secrets = a.read(path, bytes),
            FileRole::Workflow(w) => {
                let parsed = a.read(path, bytes);
                if parsed.is_none() {
                    a.broken.insert(ArtifactRef { kind: ArtifactKind::Workflow, id: w.clone() });
                }
                workflows.insert(w, parsed);
            }
            FileRole::WorkflowLayout(w) => {
                if let Some(l) = a.read(path, bytes) {
                    layouts.insert(w, l);
                }
            }
            FileRole::Script(w, step) => match String::from_utf8(bytes.clone()) {
                Ok(code) => {
                    a.problems.extend(secrets_scan::scan_text(path, &code));
                    // git's text merge of a script can leave conflict markers.
                    if let Some(line) = code.lines().position(|l| l.starts_with("<<<<<<< ") || l == "=======" || l.starts_with(">>>>>>> "))
                    {
                        a.problems.push(
                            Problem::error(
                                path,
                                ProblemCode::MergeConflict,
                                "open merge conflict: git's conflict markers are in the script",
                            )
                            .with_position(line + 1, 1),
                        );
                    }
                    a.loaded.insert(path.clone(), bytes.clone());
                    scripts.entry(w).or_default().insert(step, code);
                }
                Err(_) => a.problems.push(Problem::error(path, ProblemCode::InvalidUtf8, "script is not valid UTF-8")),
            },
            FileRole::TestCase(w, case) => {
                if let Some(t) = a.read(path, bytes) {
                    tests.entry(w).or_default().insert(case, t);
                }
            }
            FileRole::Form(f) => {
                let parsed = a.read(path, bytes);
                if parsed.is_none() {
                    a.broken.insert(ArtifactRef { kind: ArtifactKind::Form, id: f.clone() });
                }
                forms.insert(f, parsed);
            }
            FileRole::FormLayout(f) => {
                if let Some(l) = a.read(path, bytes) {
                    form_layouts.insert(f, l);
                }
            }
            FileRole::ModelLayout(m) => {
                if let Some(l) = a.read(path, bytes) {
                    a.project.model_layouts.insert(m, l);
                }
            }
            FileRole::Single(kind, id) => {
                let ok = match kind {
                    ArtifactKind::Model => a.read(path, bytes).map(|v| a.project.models.insert(id.clone(), v)).is_some(),
                    ArtifactKind::Source => a.read(path, bytes).map(|v| a.project.sources.insert(id.clone(), v)).is_some(),
                    ArtifactKind::Policy => a.read(path, bytes).map(|v| a.project.policies.insert(id.clone(), v)).is_some(),
                    ArtifactKind::Workflow | ArtifactKind::Form => unreachable!("classified as bundles"),
                };
                if !ok {
                    a.broken.insert(ArtifactRef { kind, id });
                }
            }
        }
    }
    if !manifest_seen {
        a.problems.push(Problem::error(MANIFEST_FILE, ProblemCode::MissingManifest, "no atelier.json: this is not an Atelier project"));
    }

    // Bundles: a layout, scripts or tests without their main file are orphans.
    let orphan_dirs: BTreeSet<&Id> =
        layouts.keys().chain(scripts.keys()).chain(tests.keys()).filter(|w| !workflows.contains_key(*w)).collect();
    for w in orphan_dirs {
        a.problems.push(Problem::error(
            format!("workflows/{w}/workflow.json"),
            ProblemCode::MissingFile,
            "the workflow's directory has files but no workflow.json",
        ));
    }
    for (id, wf) in workflows {
        let layout_path = format!("workflows/{id}/layout.json");
        let layout = layouts.remove(&id).unwrap_or_else(|| {
            a.loaded.entry(layout_path).or_insert_with(|| to_canonical_bytes(&Layout::default()));
            Layout::default()
        });
        let scripts = scripts.remove(&id).unwrap_or_default();
        let tests = tests.remove(&id).unwrap_or_default();
        if let Some(workflow) = wf {
            a.project.workflows.insert(id, WorkflowBundle { workflow, layout, scripts, tests });
        }
    }
    for f in form_layouts.keys().filter(|f| !forms.contains_key(*f)) {
        a.problems.push(Problem::error(
            format!("forms/{f}/form.json"),
            ProblemCode::MissingFile,
            "the form's directory has a layout.json but no form.json",
        ));
    }
    for (id, form) in forms {
        let layout_path = format!("forms/{id}/layout.json");
        let layout = form_layouts.remove(&id).unwrap_or_else(|| {
            a.loaded.entry(layout_path).or_insert_with(|| to_canonical_bytes(&FormLayout::default()));
            FormLayout::default()
        });
        if let Some(form) = form {
            a.project.forms.insert(id, FormBundle { form, layout });
        }
    }
    a
}

impl Assembled {
    /// Reads one JSON design file: syntax, secrets, then the typed value.
    fn read<T: DeserializeOwned + serde::Serialize>(&mut self, path: &str, bytes: &[u8]) -> Option<T> {
        let value = match read_json(path, bytes) {
            Ok(v) => v,
            Err(p) => {
                self.problems.push(p);
                return None;
            }
        };
        self.problems.extend(secrets_scan::scan_value(path, &value));
        // A merge left conflicts as data: list them, and read the rest of the project.
        let conflicts = crate::merge::conflicts_in(&value);
        if !conflicts.is_empty() {
            for (at, c) in conflicts {
                let show = |v: &serde_json::Value| v.to_string().chars().take(80).collect::<String>();
                self.problems.push(
                    Problem::error(
                        path,
                        ProblemCode::MergeConflict,
                        format!(
                            "open merge conflict: ours {}, theirs {} (base {})",
                            show(&c["ours"]),
                            show(&c["theirs"]),
                            show(&c["base"])
                        ),
                    )
                    .at_pointer(at),
                );
            }
            return None;
        }
        match from_value::<T>(path, &value) {
            Ok(typed) => {
                let canonical = to_canonical_bytes(&typed);
                if canonical != bytes {
                    self.not_canonical.insert(path.to_owned());
                }
                self.loaded.insert(path.to_owned(), canonical);
                Some(typed)
            }
            Err(p) => {
                self.problems.push(p);
                None
            }
        }
    }
}

fn placeholder_manifest() -> Manifest {
    Manifest::new("")
}
