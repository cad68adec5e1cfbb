//! `atelier init`: a new project, empty or from the example, in its own git repository.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context};
use atelier_model::manifest::FORMAT_VERSION;
use atelier_model::project::MANIFEST_FILE;
use atelier_model::{schema, Manifest, Project};
use atelier_store::{git, ProjectDir, StoreError};
use include_dir::{include_dir, Dir};

use crate::Outcome;

/// The example project, built into the binary so `init --example` needs no files around it.
static EXAMPLE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../assets/example");

pub fn init(dir: &Path, example: bool, name: Option<String>) -> anyhow::Result<Outcome> {
    if dir.join(MANIFEST_FILE).exists() {
        return Err(StoreError::AlreadyAProject(dir.to_path_buf()).into());
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let project_dir = ProjectDir::at(dir)?;
    if example {
        write_example(&project_dir)?;
    } else {
        let name = match name {
            Some(n) => n,
            None => project_dir
                .root()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Untitled".to_owned()),
        };
        let manifest = Manifest {
            schema: Some(schema::url(schema::MANIFEST)),
            name,
            description: String::new(),
            format: FORMAT_VERSION,
            settings: Default::default(),
            artifacts: BTreeMap::new(),
        };
        project_dir.save(&Project::new(manifest), &mut BTreeMap::new())?;
    }
    git::init(project_dir.root())?;
    let shown = dir.display();
    println!("Created {} project in {shown}", if example { "the example" } else { "a" });
    println!("Next: atelier -C {shown} validate, then atelier -C {shown} commit -m \"First design\"");
    Ok(Outcome::Ok)
}

fn write_example(project_dir: &ProjectDir) -> anyhow::Result<()> {
    let mut files = Vec::new();
    collect(&EXAMPLE, &mut files);
    if files.is_empty() {
        bail!("this atelier was built without its example project");
    }
    for (rel, bytes) in files {
        let path = project_dir.resolve(&rel)?;
        atelier_store::write_atomic(&path, bytes)?;
    }
    Ok(())
}

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<(String, &'a [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}
