//! The recent projects list, kept in the app's config directory (not in any project).

use std::path::{Path, PathBuf};

const MAX: usize = 10;

fn file(config_dir: &Path) -> PathBuf {
    config_dir.join("recent-projects.json")
}

pub fn list(config_dir: &Path) -> Vec<String> {
    std::fs::read(file(config_dir))
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| Path::new(p).join("atelier.json").is_file())
        .collect()
}

/// Puts `root` first; a failure to remember is not worth an error.
pub fn remember(config_dir: &Path, root: &str) {
    let mut l = list(config_dir);
    l.retain(|p| p != root);
    l.insert(0, root.to_owned());
    l.truncate(MAX);
    let _ = std::fs::create_dir_all(config_dir);
    let _ = std::fs::write(file(config_dir), serde_json::to_vec_pretty(&l).unwrap_or_default());
}
