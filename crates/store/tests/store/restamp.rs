//! `restamp`: the stamps a watch-driven update computes from the changed
//! paths alone are the stamps a walk over every file finds.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use proptest::prelude::*;

use crate::project;

/// Paths a person or git may touch: design files at every depth the walk
/// reads (and one below it), hidden names, top-level files, and a folder
/// that is no design at all.
const PATHS: &[&str] = &[
    "atelier.json",
    "secrets.required.json",
    "README.md",
    "docs/notes.md",
    "workflows/approve/workflow.json",
    "workflows/approve/steps/check.js",
    "workflows/approve/tests/t.json",
    "workflows/approve/steps/deep/x.js",
    "workflows/new/workflow.json",
    "workflows/new/steps/a.js",
    "workflows/.hidden/workflow.json",
    "workflows/stray.json",
    "forms/claim.json",
    "forms/claim/part.json",
    "forms/claim/deep/part.json",
    "models/expense.json",
    "models/expense.layout.json",
    "models/dir/inside.json",
    "sources/fx.json",
    "policies/p.json",
];

#[derive(Debug, Clone)]
enum Change {
    Write(usize, u8),
    Remove(usize),
    /// Removes the directory holding the path, with everything in it.
    RemoveDir(usize),
    /// An atomic save: written beside, then renamed over.
    Replace(usize, u8),
}

fn change() -> impl Strategy<Value = Change> {
    let i = 0..PATHS.len();
    prop_oneof![
        (i.clone(), any::<u8>()).prop_map(|(i, n)| Change::Write(i, n)),
        i.clone().prop_map(Change::Remove),
        i.clone().prop_map(Change::RemoveDir),
        (i, any::<u8>()).prop_map(|(i, n)| Change::Replace(i, n)),
    ]
}

/// Applies `c` under `root` and returns the paths a watch reports for it.
fn apply(root: &Path, c: &Change) -> Vec<String> {
    let mut seen = Vec::new();
    let mut made_dirs = |rel: &str| {
        let mut at = String::new();
        for part in rel.split('/').collect::<Vec<_>>().split_last().map_or(&[][..], |(_, dirs)| dirs) {
            at = if at.is_empty() { (*part).to_owned() } else { format!("{at}/{part}") };
            if !root.join(&at).is_dir() {
                let _ = fs::remove_file(root.join(&at));
                fs::create_dir(root.join(&at)).unwrap();
                seen.push(at.clone());
            }
        }
    };
    match *c {
        Change::Write(i, n) | Change::Replace(i, n) => {
            let rel = PATHS[i];
            made_dirs(rel);
            let path = root.join(rel);
            if path.is_dir() {
                return seen;
            }
            let body = "x".repeat(n as usize);
            if matches!(c, Change::Replace(..)) {
                let tmp = format!("{rel}.tmp");
                fs::write(root.join(&tmp), body).unwrap();
                fs::rename(root.join(&tmp), &path).unwrap();
                seen.push(tmp);
            } else {
                fs::write(&path, body).unwrap();
            }
            seen.push(rel.to_owned());
        }
        Change::Remove(i) => {
            if fs::remove_file(root.join(PATHS[i])).is_ok() {
                seen.push(PATHS[i].to_owned());
            }
        }
        Change::RemoveDir(i) => {
            let Some((dir, _)) = PATHS[i].rsplit_once('/') else { return seen };
            if root.join(dir).is_dir() {
                for e in walk(&root.join(dir), dir) {
                    seen.push(e);
                }
                fs::remove_dir_all(root.join(dir)).unwrap();
                seen.push(dir.to_owned());
            }
        }
    }
    seen
}

fn walk(dir: &Path, rel: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let r = format!("{rel}/{}", e.file_name().to_string_lossy());
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path(), &r));
        }
        out.push(r);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn restamping_the_changed_paths_equals_walking_every_file(rounds in prop::collection::vec(prop::collection::vec(change(), 1..6), 1..5)) {
        let (_dir, p) = project();
        let (mut stamps, mut entries) = p.stamps_counted().unwrap();
        for changes in &rounds {
            let changed: BTreeSet<String> = changes.iter().flat_map(|c| apply(p.root(), c)).collect();
            p.restamp(&mut stamps, &mut entries, &changed).unwrap();
            prop_assert_eq!(&stamps, &p.stamps().unwrap(), "after {:?}", changes);
        }
    }
}

#[test]
fn a_file_changed_in_place_gets_its_new_stamp() {
    let (_dir, p) = project();
    let (mut stamps, mut entries) = p.stamps_counted().unwrap();
    let file = "workflows/approve/workflow.json";
    let before = stamps[file];
    fs::write(p.root().join(file), "{}\n").unwrap();
    p.restamp(&mut stamps, &mut entries, &BTreeSet::new()).unwrap();
    assert_eq!(stamps[file], before, "nothing reported, nothing looked at");
    p.restamp(&mut stamps, &mut entries, &[file.to_owned()].into()).unwrap();
    assert_ne!(stamps[file], before);
    assert_eq!(stamps, p.stamps().unwrap());
}

#[test]
fn updates_that_could_pass_the_walk_s_limit_walk_everything_and_say_so_as_it_would() {
    let (_dir, p) = project();
    let mut stamps = p.stamps().unwrap();
    // As if the last whole walk listed just under the limit: an update of
    // one file walks everything again (here well under it: no error).
    let mut entries = atelier_store::MAX_PROJECT_FILES;
    fs::write(p.root().join("workflows/approve/workflow.json"), "{}\n").unwrap();
    p.restamp(&mut stamps, &mut entries, &["workflows/approve/workflow.json".to_owned()].into()).unwrap();
    assert!(entries < 100, "the whole walk counted again: {entries}");
    assert_eq!(stamps, p.stamps().unwrap());
}
