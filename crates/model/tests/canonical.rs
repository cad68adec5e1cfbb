//! Property tests of the canonical form: parsing and writing again changes no
//! byte, and neither key order nor step order in the input changes the output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use atelier_model::canonical::{parse, read_json, to_canonical_bytes};
use atelier_model::workflow::{
    ApiCallStep, ApprovalStep, Branch, CodeStep, ConditionStep, EndStatus, EndStep, ErrorPolicy, HttpMethod, Step, Trigger, Workflow,
};
use atelier_model::{assemble, Id};
use proptest::prelude::*;
use serde_json::Value;

fn id() -> impl Strategy<Value = Id> {
    "[a-z][a-z0-9-]{0,12}".prop_map(|s| Id::new(s).unwrap())
}

fn text() -> impl Strategy<Value = String> {
    // Unicode, quotes, escapes and newlines all must round-trip.
    prop_oneof![Just(String::new()), "[ -~]{0,20}", "\\PC{0,12}", Just("quote \" backslash \\ newline \n tab \t".to_owned())]
}

fn policy() -> impl Strategy<Value = Option<ErrorPolicy>> {
    prop_oneof![
        Just(None),
        Just(Some(ErrorPolicy::Fail {})),
        Just(Some(ErrorPolicy::Continue {})),
        id().prop_map(|to| Some(ErrorPolicy::Route { to })),
        (1u32..5, 0u64..5000, 1u32..4, proptest::option::of(id())).prop_map(|(max_attempts, backoff_ms, factor, to)| {
            Some(ErrorPolicy::Retry {
                max_attempts,
                backoff_ms,
                factor,
                max_backoff_ms: None,
                then: to.map(|to| Box::new(ErrorPolicy::Route { to })),
            })
        }),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z_]{1,6}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn step() -> impl Strategy<Value = Step> {
    let next = || proptest::option::of(id());
    prop_oneof![
        (
            text(),
            text(),
            id(),
            next(),
            policy(),
            proptest::option::of(json_value().prop_filter("null is the same as absent", |v| !v.is_null()))
        )
            .prop_map(|(name, description, source, next, on_error, body)| Step::ApiCall(ApiCallStep {
                name,
                description,
                source,
                method: HttpMethod::Post,
                path: "/x/{{input.id}}".into(),
                headers: BTreeMap::from([("Accept".into(), "application/json".into())]),
                body,
                save_as: None,
                next,
                on_error,
                timeout_ms: Some(1000),
            })),
        (text(), next(), policy()).prop_map(|(name, next, on_error)| Step::DataTransform(CodeStep {
            name,
            description: String::new(),
            unfinished: None,
            next,
            on_error,
            timeout_ms: None
        })),
        (text(), next(), policy()).prop_map(|(name, next, on_error)| Step::CustomCode(CodeStep {
            name,
            description: String::new(),
            unfinished: None,
            next,
            on_error,
            timeout_ms: None
        })),
        (text(), prop::collection::vec((text(), text(), proptest::option::of(id())), 0..3), proptest::option::of(id())).prop_map(
            |(name, branches, otherwise)| Step::Condition(ConditionStep {
                name,
                description: String::new(),
                branches: branches.into_iter().map(|(label, when, next)| Branch { label, when, next }).collect(),
                otherwise,
                on_error: None,
            })
        ),
        (text(), proptest::option::of(id()), proptest::option::of(id())).prop_map(|(name, a, r)| Step::Approval(ApprovalStep {
            name,
            description: String::new(),
            approvers: vec!["manager".into()],
            prompt: "ok?".into(),
            next_if_approved: a,
            next_if_rejected: r,
            on_error: None,
            timeout_ms: None,
        })),
        (text(), proptest::option::of(json_value().prop_filter("null is the same as absent", |v| !v.is_null())))
            .prop_map(|(name, output)| Step::End(EndStep { name, description: String::new(), status: EndStatus::Rejected, output })),
    ]
}

fn workflow() -> impl Strategy<Value = Workflow> {
    (text(), text(), id(), prop::collection::btree_map(id(), step(), 1..12), policy()).prop_map(
        |(name, description, start, steps, on_error)| Workflow {
            schema: Some("https://atelier.dev/schema/v1/workflow.schema.json".into()),
            name,
            description,
            triggers: vec![Trigger::Manual {}, Trigger::Schedule { cron: "0 9 * * 1".into(), timezone: None }],
            start,
            steps,
            on_error,
            timeout_ms: Some(60_000),
        },
    )
}

/// Writes JSON text with every object's keys in an order picked by `seed`.
fn write_shuffled(v: &Value, seed: &mut u64, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            for i in (1..entries.len()).rev() {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                entries.swap(i, (*seed % (i as u64 + 1)) as usize);
            }
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push(':');
                write_shuffled(v, seed, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_shuffled(v, seed, out);
            }
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

fn example_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/example")];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else {
                out.push(p)
            }
        }
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn workflow_round_trips_byte_for_byte(w in workflow()) {
        let bytes = to_canonical_bytes(&w);
        let back: Workflow = parse("w.json", &bytes).unwrap();
        prop_assert_eq!(&back, &w);
        prop_assert_eq!(to_canonical_bytes(&back), bytes);
    }

    #[test]
    fn key_and_step_order_never_change_the_output(w in workflow(), seed in 1u64..u64::MAX) {
        let bytes = to_canonical_bytes(&w);
        let value = read_json("w.json", &bytes).unwrap();
        let mut seed = seed;
        let mut shuffled = String::new();
        write_shuffled(&value, &mut seed, &mut shuffled);
        let back: Workflow = parse("w.json", shuffled.as_bytes()).unwrap();
        prop_assert_eq!(to_canonical_bytes(&back), bytes);
    }

    #[test]
    fn example_files_are_canonical_whatever_their_key_order(seed in 1u64..u64::MAX) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/example");
        let mut originals = BTreeMap::new();
        let mut shuffled = BTreeMap::new();
        for path in example_files() {
            let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            let bytes = fs::read(&path).unwrap();
            let text = if rel.ends_with(".json") {
                let mut s = seed;
                let mut out = String::new();
                write_shuffled(&read_json(&rel, &bytes).unwrap(), &mut s, &mut out);
                out.into_bytes()
            } else {
                bytes.clone()
            };
            originals.insert(rel.clone(), bytes);
            shuffled.insert(rel, text);
        }
        let a = assemble(&shuffled);
        prop_assert!(a.problems.is_empty(), "{:?}", a.problems);
        prop_assert_eq!(a.project.files(), originals);
    }
}

#[test]
fn untouched_example_loads_to_exactly_its_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/example");
    let files: BTreeMap<String, Vec<u8>> = example_files()
        .into_iter()
        .map(|p| (p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"), fs::read(&p).unwrap()))
        .collect();
    let a = assemble(&files);
    assert!(a.not_canonical.is_empty(), "{:?}", a.not_canonical);
    assert_eq!(a.project.files(), files);
}
