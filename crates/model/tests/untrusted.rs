//! Fuzzing by property: every reader takes any bytes a stranger's repository
//! can hold and answers with a value or a problem, never a panic; and the
//! merge and diff keep their promises on any JSON. Bounded: a fixed number of
//! cases per property, so CI spends seconds, not minutes (PROPTEST_CASES
//! raises it for a longer hunt).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use atelier_model::canonical::read_json;
use atelier_model::diff::{diff_projects, unified_diff};
use atelier_model::id::{Id, SecretName};
use atelier_model::merge::{merge_file, merge_values};
use atelier_model::test_case::TestCase;
use atelier_model::{assemble, validate};
use proptest::prelude::*;
use serde_json::Value;

fn example_files() -> BTreeMap<String, Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/example");
    let mut out = BTreeMap::new();
    let mut stack: Vec<PathBuf> = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"), fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Bytes a hostile file might hold: random bytes, or JSON-ish text.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        "[\\[\\]{}\":,0-9a-z\\\\ \\n\u{feff}\u{1b}-]{0,200}".prop_map(String::into_bytes),
        (1usize..400).prop_map(|n| "[".repeat(n).into_bytes()),
        (1usize..400).prop_map(|n| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)).into_bytes()),
    ]
}

/// One of the example's files, with a few bytes changed, cut or repeated.
fn mutated_example() -> impl Strategy<Value = (String, Vec<u8>)> {
    let files: Vec<(String, Vec<u8>)> = example_files().into_iter().collect();
    (0..files.len(), prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6)).prop_map(move |(i, edits)| {
        let (name, mut bytes) = files[i].clone();
        for (at, byte, how) in edits {
            if bytes.is_empty() {
                break;
            }
            let at = at.index(bytes.len());
            match how {
                0 => bytes[at] = byte,
                1 => bytes.truncate(at),
                _ => {
                    let piece = bytes[at..].iter().take(64).copied().collect::<Vec<u8>>();
                    bytes.splice(at..at, piece);
                }
            }
        }
        (name, bytes)
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-5i64..5).prop_map(Value::from),
        "[a-c]{0,2}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-d]", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = serde_json::Map<String, Value>> {
    prop::collection::btree_map("[a-f]", json_value(), 2..6).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_json_reader_never_panics(bytes in hostile_bytes()) {
        let _ = read_json("workflows/w/workflow.json", &bytes);
    }

    #[test]
    fn a_project_of_mutated_files_loads_and_validates_without_panicking((name, bytes) in mutated_example()) {
        let mut files = example_files();
        files.insert(name, bytes);
        let a = assemble(&files);
        let _ = validate(&a);
    }

    #[test]
    fn any_file_anywhere_is_a_problem_not_a_panic(path in "(workflows|forms|models|sources|policies)/[a-z\\.\u{e9}/-]{0,20}(\\.json|\\.js)?", bytes in hostile_bytes()) {
        let mut files = example_files();
        files.insert(path, bytes);
        let _ = validate(&assemble(&files));
    }

    #[test]
    fn a_test_case_reader_takes_any_json(v in json_value()) {
        let _ = serde_json::from_value::<TestCase>(v);
    }

    #[test]
    fn ids_and_secret_names_take_any_text(s in "\\PC{0,80}|[a-z0-9-]{0,70}|[A-Z0-9_]{0,140}") {
        if let Ok(id) = Id::new(s.clone()) {
            // An id is also a file name: it can never reach outside its folder.
            prop_assert!(!id.as_str().contains('/') && !id.as_str().contains("..") && !id.as_str().is_empty());
        }
        let _ = SecretName::new(s);
    }

    #[test]
    fn the_merge_driver_takes_any_bytes(base in hostile_bytes(), ours in hostile_bytes(), theirs in hostile_bytes()) {
        let _ = merge_file("workflows/w/workflow.json", &base, &ours, &theirs);
        let _ = merge_file("workflows/w/steps/s.js", &base, &ours, &theirs);
    }

    #[test]
    fn merging_with_an_untouched_side_gives_the_other(b in json_value(), x in json_value()) {
        prop_assert_eq!(merge_values(Some(&b), &x, &b, false), (x.clone(), 0));
        prop_assert_eq!(merge_values(Some(&b), &b, &x, false), (x.clone(), 0));
        prop_assert_eq!(merge_values(Some(&b), &x, &x, false), (x, 0));
    }

    #[test]
    fn a_merge_without_conflicts_does_not_depend_on_the_side(b in json_value(), x in json_value(), y in json_value()) {
        let (xy, n) = merge_values(Some(&b), &x, &y, false);
        if n == 0 {
            prop_assert_eq!(merge_values(Some(&b), &y, &x, false), (xy, 0));
        }
    }

    #[test]
    fn independent_edits_both_survive(b in object(), vx in json_value(), vy in json_value(), pick in any::<prop::sample::Index>()) {
        let keys: Vec<String> = b.keys().cloned().collect();
        let (kx, ky) = (&keys[pick.index(keys.len())], &keys[(pick.index(keys.len()) + 1) % keys.len()]);
        let (mut x, mut y) = (b.clone(), b.clone());
        x.insert(kx.clone(), vx.clone());
        y.insert(ky.clone(), vy.clone());
        let (merged, n) = merge_values(Some(&Value::Object(b)), &Value::Object(x), &Value::Object(y), false);
        prop_assert_eq!(n, 0);
        prop_assert_eq!(&merged[kx.as_str()], &vx);
        prop_assert_eq!(&merged[ky.as_str()], &vy);
    }

    #[test]
    fn a_project_has_no_diff_with_itself((name, bytes) in mutated_example()) {
        let mut files = example_files();
        files.insert(name, bytes);
        let p = assemble(&files).project;
        prop_assert!(diff_projects(&p, &p).is_empty());
    }

    #[test]
    fn a_text_diff_is_bounded_for_any_text(a in "[ab\\n]{0,400}", b in "[ab\\n]{0,400}") {
        let d = unified_diff(&a, &b, ("a", "b"), 2);
        prop_assert!(d.len() <= 4 * (a.len() + b.len()) + 200);
        prop_assert_eq!(d.is_empty(), a == b);
    }
}

#[test]
fn a_diff_of_two_large_texts_is_a_summary() {
    let a = "x\n".repeat(600_000);
    let b = "y\n".repeat(600_000);
    let d = unified_diff(&a, &b, ("a/steps/s.js", "b/steps/s.js"), 2);
    assert_eq!(d, "--- a/steps/s.js\n+++ b/steps/s.js\n@@ 1.2 MB → 1.2 MB (600001 → 600001 lines): too large to show line by line @@\n");
}
