//! A script's result as JSON, read straight from boa's objects when it is
//! plain data, the usual case: ordinary objects and arrays of strings,
//! numbers, booleans and null. Anything else (a Date, a getter, `toJSON`,
//! a proxy, a number JSON.stringify would print rounded) is left to the
//! realm's own `JSON.stringify`, so every result means what JSON.stringify
//! says it means. boa's stringify costs more than a small step's whole run.

use boa_engine::property::PropertyKey;
use boa_engine::value::JsVariant;
use boa_engine::{js_string, Context, JsObject, JsValue};
use serde_json::{Map, Number, Value};

/// Deeper than this, the result is left to JSON.stringify (which also meets cycles).
const MAX_DEPTH: usize = 128;
/// Longer arrays are left to JSON.stringify (a sparse array's length may be huge).
const MAX_ARRAY: u64 = 1 << 20;
/// Integers a double holds exactly print the same through JSON.stringify and serde.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// The JSON value of `v` as JSON.stringify would give it, when `v` is plain
/// data; `None` when it is not (or may not be). `undefined` is not plain.
pub(super) fn plain_json(v: &JsValue, ctx: &mut Context) -> Option<Value> {
    let protos =
        Protos { object: ctx.intrinsics().constructors().object().prototype(), array: ctx.intrinsics().constructors().array().prototype() };
    value(v, &protos, ctx, 0)
}

struct Protos {
    object: JsObject,
    array: JsObject,
}

fn value(v: &JsValue, protos: &Protos, ctx: &mut Context, depth: usize) -> Option<Value> {
    Some(match v.variant() {
        JsVariant::Null => Value::Null,
        JsVariant::Boolean(b) => Value::Bool(b),
        JsVariant::Integer32(i) => Value::from(i),
        JsVariant::Float64(f) => number(f)?,
        JsVariant::String(s) => Value::String(s.to_std_string().ok()?),
        JsVariant::Object(o) if depth < MAX_DEPTH => object(&o, protos, ctx, depth)?,
        _ => return None,
    })
}

fn number(f: f64) -> Option<Value> {
    if !f.is_finite() {
        // JSON.stringify writes NaN and the infinities as null.
        return Some(Value::Null);
    }
    if f.fract() == 0.0 && f.abs() <= MAX_SAFE {
        // -0 prints as 0, and 3.0 as 3 (an integer, as parsing "3" gives).
        return Some(Value::from(f as i64));
    }
    if f.fract() == 0.0 {
        // JSON.stringify rounds big integers' digits ("1152921504606847000").
        return None;
    }
    Number::from_f64(f).map(Value::Number)
}

fn object(o: &JsObject, protos: &Protos, ctx: &mut Context, depth: usize) -> Option<Value> {
    let proto = o.prototype();
    if o.is_array() {
        if proto.as_ref() != Some(&protos.array) {
            return None;
        }
        // An array's `length` is its own data property, never a getter.
        let len = o.borrow().properties().get(&js_string!("length").into())?.value()?.as_number()?;
        if !(0.0..=MAX_ARRAY as f64).contains(&len) {
            return None;
        }
        let len = len as u64;
        let mut out = Vec::with_capacity(len as usize);
        for i in 0..len as u32 {
            let found = o.borrow().properties().get(&PropertyKey::from(i));
            match found {
                // A hole reads from Array.prototype, which is frozen and has no elements.
                None => out.push(Value::Null),
                Some(d) if d.is_data_descriptor() => match d.value() {
                    Some(v) if v.is_undefined() => out.push(Value::Null),
                    Some(v) => out.push(value(v, protos, ctx, depth + 1)?),
                    None => out.push(Value::Null),
                },
                Some(_) => return None,
            }
        }
        return Some(Value::Array(out));
    }
    if !o.is_ordinary() || !(proto.is_none() || proto.as_ref() == Some(&protos.object)) {
        return None;
    }
    let keys = o.own_property_keys(ctx).ok()?;
    let mut out = Map::new();
    for key in keys {
        let name = match &key {
            PropertyKey::Symbol(_) => continue,
            PropertyKey::String(s) => s.to_std_string().ok()?,
            PropertyKey::Index(i) => i.get().to_string(),
        };
        if name == "toJSON" {
            return None;
        }
        let d = o.borrow().properties().get(&key)?;
        if !d.is_data_descriptor() {
            return None;
        }
        if !d.expect_enumerable() {
            continue;
        }
        let v = d.value().cloned().unwrap_or_default();
        if v.is_undefined() {
            continue;
        }
        out.insert(name, value(&v, protos, ctx, depth + 1)?);
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use boa_engine::Source;

    /// What the fast path makes of `expr`, beside JSON.stringify's text parsed.
    fn both(expr: &str) -> (Option<Value>, Option<Value>) {
        let mut ctx = Context::default();
        let v = ctx.eval(Source::from_bytes(&format!("({expr})"))).unwrap();
        let fast = plain_json(&v, &mut ctx);
        let text = ctx.eval(Source::from_bytes(&format!("JSON.stringify({expr})"))).unwrap();
        let slow = text.as_string().and_then(|s| serde_json::from_str(&s.to_std_string_escaped()).ok());
        (fast, slow)
    }

    #[test]
    fn plain_data_reads_as_json_stringify_gives_it() {
        for expr in [
            r#"{ a: 1, b: "two", c: [1, 2.5, null, true], d: { e: -0, f: 3.0, g: NaN, h: Infinity } }"#,
            r#"{ skipped: undefined, list: [undefined, , 4], "1": "index key", "é": "ü" }"#,
            r#"Object.assign(Object.create(null), { n: 123456.789, small: 1e-7, neg: -12.75 })"#,
            r#"[[[]], {}, "", 0, 9007199254740991]"#,
        ] {
            let (fast, slow) = both(expr);
            assert!(fast.is_some(), "{expr} is plain");
            assert_eq!(fast, slow, "{expr}");
        }
    }

    #[test]
    fn what_is_not_plain_is_left_to_json_stringify() {
        for expr in [
            "new Date(0)",
            "{ when: new Date(0) }",
            "{ get x() { return 1; } }",
            "{ toJSON() { return 1; } }",
            "{ f() {} }",
            "new Proxy({}, {})",
            "[1152921504606846976]",
            "{ s: '\\ud800' }",
            "Object.defineProperty([], 0, { get() { return 1; } })",
        ] {
            assert_eq!(both(expr).0, None, "{expr}");
        }
        let mut ctx = Context::default();
        let deep = ctx.eval(Source::from_bytes("let o = {}; o.self = o; o")).unwrap();
        assert_eq!(plain_json(&deep, &mut ctx), None, "a cycle");
    }
}
