//! The JSON Schemas in `assets/schema/` are generated from the Rust types.
//! This test fails when they are stale; `UPDATE_SCHEMAS=1` rewrites them.

use std::fs;
use std::path::Path;

use atelier_model::{canonical::to_canonical_bytes, schema};

#[test]
fn schemas_in_assets_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/schema");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (file, schema) in schema::all() {
        let bytes = to_canonical_bytes(&schema);
        let path = dir.join(&file);
        if fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
            if update {
                fs::create_dir_all(&dir).unwrap();
                fs::write(&path, &bytes).unwrap();
            } else {
                stale.push(file);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas in assets/schema: {stale:?}; run `UPDATE_SCHEMAS=1 cargo test -p atelier-model --test schemas`"
    );
}

#[test]
fn every_example_file_names_its_schema() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/example");
    let names: Vec<String> = schema::all().into_iter().map(|(f, _)| schema::url(&f)).collect();
    let mut checked = 0;
    let mut stack = vec![example];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let v: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
                let s = v["$schema"].as_str().unwrap_or_else(|| panic!("{} has no $schema", path.display()));
                assert!(names.iter().any(|n| n == s), "{} names unknown schema {s}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} example files checked");
}
