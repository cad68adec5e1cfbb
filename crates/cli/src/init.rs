//! `atelier init`: a new project, empty or from the example, in its own git repository.

use std::path::Path;

use crate::term::say;
use crate::Outcome;

pub fn init(dir: &Path, example: bool, name: Option<String>) -> anyhow::Result<Outcome> {
    let root = atelier_api::create_project(dir, name, example)?;
    // So that plain `git diff` and `git merge` use the semantic drivers.
    atelier_api::git_setup(&root, &std::env::current_exe()?)?;
    let shown = dir.display();
    say!("Created {} project in {shown}", if example { "the example" } else { "a" });
    say!("Next: atelier -C {shown} validate, then atelier -C {shown} commit -m \"First design\"");
    Ok(Outcome::Ok)
}
