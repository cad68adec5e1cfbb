//! Keeping every path inside the project root: no `..`, no absolute paths, no
//! symlink that leads out.

use std::path::{Component, Path, PathBuf};

use crate::StoreError;

/// Joins a project-relative path (with `/`) to `root` (already canonical),
/// refusing anything that could leave the root.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, StoreError> {
    let bad = |reason: &str| StoreError::BadPath { path: rel.to_owned(), reason: reason.to_owned() };
    if rel.is_empty() {
        return Err(bad("it is empty"));
    }
    if rel.contains('\0') || rel.contains('\\') {
        return Err(bad("it contains a NUL or backslash"));
    }
    let mut out = root.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::ParentDir => return Err(bad("`..` leaves the project")),
            Component::RootDir | Component::Prefix(_) => return Err(bad("absolute paths are not allowed")),
            Component::CurDir => return Err(bad("`.` is not allowed")),
        }
    }
    // The nearest existing ancestor (or the path itself) must resolve inside
    // the root, so a symlinked directory cannot carry a write outside.
    let mut probe = out.as_path();
    loop {
        if probe.symlink_metadata().is_ok() {
            let real = probe.canonicalize().map_err(StoreError::io("resolve", probe))?;
            if !real.starts_with(root) {
                return Err(bad("it leads outside the project through a symlink"));
            }
            break;
        }
        match probe.parent() {
            Some(p) => probe = p,
            None => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for bad in ["../x", "a/../../x", "/etc/passwd", "", "./a", "a\\b"] {
            assert!(resolve(&root, bad).is_err(), "{bad}");
        }
        assert_eq!(resolve(&root, "models/a.json").unwrap(), root.join("models/a.json"));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_out() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("models")).unwrap();
        assert!(resolve(&root, "models/a.json").is_err());
    }
}
