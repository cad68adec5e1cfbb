//! The example project, built into the binary so it needs no files around it.

use include_dir::{include_dir, Dir};

use crate::{ApiError, ApiResult, ErrorCode};
use atelier_store::ProjectDir;

static EXAMPLE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../assets/example");

/// Writes the expense-claims example into `project_dir`.
pub fn write_example(project_dir: &ProjectDir) -> ApiResult<()> {
    let mut files = Vec::new();
    collect(&EXAMPLE, &mut files);
    if files.is_empty() {
        return Err(ApiError::new(ErrorCode::NotFound, "this build of Atelier has no example project"));
    }
    for (rel, bytes) in files {
        atelier_store::write_atomic(&project_dir.resolve(&rel)?, bytes)?;
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
