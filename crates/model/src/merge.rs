//! Three-way merge of design files, per element and per property. Changes to
//! different steps, or different properties of one step, merge by themselves;
//! a true conflict is written as data — `{"$conflict": {"base", "ours",
//! "theirs"}}` at the property — never as `<<<<<<<` markers. Layout files
//! never conflict: where both sides moved a node, ours wins.

use serde_json::{json, Map, Value};

use crate::assemble::{artifact_of, assemble};
use crate::canonical::to_canonical_bytes;

/// The key that marks an unresolved conflict inside a design file.
pub const CONFLICT_KEY: &str = "$conflict";

/// The merged value and how many conflicts it holds.
pub fn merge_values(base: Option<&Value>, ours: &Value, theirs: &Value, prefer_ours: bool) -> (Value, usize) {
    let mut conflicts = 0;
    let merged = merge_opt(base, Some(ours), Some(theirs), prefer_ours, &mut conflicts).unwrap_or(Value::Null);
    (merged, conflicts)
}

fn merge_opt(b: Option<&Value>, o: Option<&Value>, t: Option<&Value>, prefer_ours: bool, n: &mut usize) -> Option<Value> {
    if o == t {
        return o.cloned();
    }
    if b == o {
        return t.cloned();
    }
    if b == t {
        return o.cloned();
    }
    if let (Some(Value::Object(om)), Some(Value::Object(tm))) = (o, t) {
        let bm = b.and_then(Value::as_object);
        let mut out = Map::new();
        let keys: std::collections::BTreeSet<&String> = om.keys().chain(tm.keys()).chain(bm.into_iter().flat_map(|m| m.keys())).collect();
        for k in keys {
            if let Some(v) = merge_opt(bm.and_then(|m| m.get(k)), om.get(k), tm.get(k), prefer_ours, n) {
                out.insert(k.clone(), v);
            }
        }
        return Some(Value::Object(out));
    }
    // Lists of the same length on all sides (condition branches, triggers):
    // item by item, so two edits to different branches both land.
    if let (Some(Value::Array(oa)), Some(Value::Array(ta)), Some(Value::Array(ba))) = (o, t, b) {
        if oa.len() == ta.len() && ta.len() == ba.len() {
            let items = (0..oa.len()).map(|i| merge_opt(Some(&ba[i]), Some(&oa[i]), Some(&ta[i]), prefer_ours, n).unwrap_or(Value::Null));
            return Some(Value::Array(items.collect()));
        }
    }
    if prefer_ours {
        return o.cloned();
    }
    *n += 1;
    Some(
        json!({ CONFLICT_KEY: { "base": b.cloned().unwrap_or(Value::Null), "ours": o.cloned().unwrap_or(Value::Null), "theirs": t.cloned().unwrap_or(Value::Null) } }),
    )
}

/// Where the open conflicts of a file are, as JSON pointers.
pub fn conflicts_in(v: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    fn walk(v: &Value, path: &mut Vec<String>, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => {
                if let Some(c) = m.get(CONFLICT_KEY) {
                    out.push((crate::problem::pointer(path), c.clone()));
                    return;
                }
                for (k, x) in m {
                    path.push(k.clone());
                    walk(x, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(i.to_string());
                    walk(x, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    walk(v, &mut Vec::new(), &mut out);
    out
}

/// Merges one design file (`path` relative to the project root). Returns the
/// bytes to write and the number of conflicts left in them. Without conflicts
/// the result is in canonical form; with them, sorted JSON the app can open.
pub fn merge_file(path: &str, base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<(Vec<u8>, usize), String> {
    let read = |b: &[u8], side: &str| -> Result<Option<Value>, String> {
        if b.is_empty() {
            return Ok(None);
        }
        crate::canonical::read_json(path, b).map(Some).map_err(|p| format!("{side}: {p}"))
    };
    let (b, o, t) = (read(base, "base")?, read(ours, "ours")?, read(theirs, "theirs")?);
    let layout = path.ends_with("/layout.json");
    let (merged, conflicts) = match (o, t) {
        (Some(o), Some(t)) => merge_values(b.as_ref(), &o, &t, layout),
        (Some(o), None) | (None, Some(o)) => (o, 0),
        (None, None) => return Ok((Vec::new(), 0)),
    };
    if conflicts == 0 {
        // Typed and canonical when the file's kind is known and it reads cleanly.
        let bytes = to_canonical_bytes(&merged);
        if artifact_of(path).is_some() || path == "atelier.json" || path == "secrets.required.json" {
            let one = std::collections::BTreeMap::from([(path.to_owned(), bytes.clone())]);
            let a = assemble(&one);
            if let Some(canonical) = a.loaded.get(path) {
                return Ok((canonical.clone(), 0));
            }
        }
        return Ok((bytes, 0));
    }
    Ok((to_canonical_bytes(&merged), conflicts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_properties_merge_and_same_property_conflicts() {
        let base = json!({"a": 1, "b": 1, "c": {"x": 1}});
        let ours = json!({"a": 2, "b": 1, "c": {"x": 1}});
        let theirs = json!({"a": 1, "b": 3, "c": {"x": 1, "y": 2}});
        assert_eq!(merge_values(Some(&base), &ours, &theirs, false), (json!({"a": 2, "b": 3, "c": {"x": 1, "y": 2}}), 0));
        let theirs = json!({"a": 5, "b": 1, "c": {"x": 1}});
        let (v, n) = merge_values(Some(&base), &ours, &theirs, false);
        assert_eq!(n, 1);
        assert_eq!(v["a"], json!({"$conflict": {"base": 1, "ours": 2, "theirs": 5}}));
        assert_eq!(conflicts_in(&v)[0].0, "/a");
    }

    #[test]
    fn delete_against_edit_conflicts_and_layout_prefers_ours() {
        let base = json!({"s": {"n": 1}});
        let (v, n) = merge_values(Some(&base), &json!({}), &json!({"s": {"n": 2}}), false);
        assert_eq!((n, v["s"]["$conflict"]["ours"].clone()), (1, Value::Null));
        let (v, n) = merge_values(Some(&json!({"x": 1})), &json!({"x": 2}), &json!({"x": 3}), true);
        assert_eq!((v, n), (json!({"x": 2}), 0));
    }
}
