//! The walk of the prelude's lockdown, made natively: it visits every
//! built-in object once (a few thousand properties), and in JavaScript it
//! was most of a worker's start-up time. What it does is the prelude's to
//! say (see `hostHarden` in prelude.js); this only walks and freezes.

use std::collections::HashSet;

use boa_engine::object::IntegrityLevel;
use boa_engine::property::PropertyKey;
use boa_engine::{Context, JsNativeError, JsObject, JsResult, JsValue};

/// Keys a script may set on its own objects although a frozen prototype
/// has them: the prelude's `tame` makes them accessors that define the
/// property on the object assigned to.
const OVERRIDABLE: [&str; 10] = [
    "constructor",
    "toString",
    "toLocaleString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "name",
    "message",
    "toJSON",
];

/// `hostHarden(roots, tame, global)`: walks from `roots` (an array) through
/// prototypes, property values and accessors; every object met, once, and
/// never `global`, has `tame(object, key)` called for its overridable keys
/// and is then frozen.
pub(super) fn host_harden(_this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let arg = |i: usize| args.get(i).and_then(JsValue::as_object);
    let (Some(roots), Some(tame), Some(global)) = (arg(0), arg(1), arg(2)) else {
        return Err(JsNativeError::typ().with_message("hostHarden(roots, tame, global)").into());
    };
    let mut seen: HashSet<JsObject> = HashSet::new();
    let mut todo = vec![roots];
    while let Some(o) = todo.pop() {
        if o == global || !seen.insert(o.clone()) {
            continue;
        }
        if let Some(proto) = o.prototype() {
            todo.push(proto);
        }
        let is_function = o.is_callable();
        for key in o.own_property_keys(ctx)? {
            let name = match &key {
                PropertyKey::String(s) => Some(s.to_std_string_escaped()),
                _ => None,
            };
            let name = name.as_deref();
            // A function's own `length` and `name` are numbers and strings.
            if is_function && matches!(name, Some("length" | "name")) {
                continue;
            }
            if let Some(n) = name.filter(|n| OVERRIDABLE.contains(n)) {
                // The value goes behind an accessor that still hands it out
                // (`Object.prototype.toString`): it is walked and frozen too.
                todo.extend(o.borrow().properties().get(&key).and_then(|d| d.value().and_then(JsValue::as_object)));
                tame.call(&JsValue::undefined(), &[o.clone().into(), JsValue::from(boa_engine::JsString::from(n))], ctx)?;
            }
            let Some(d) = o.borrow().properties().get(&key) else { continue };
            if d.is_accessor_descriptor() {
                todo.extend(d.get().and_then(JsValue::as_object));
                todo.extend(d.set().and_then(JsValue::as_object));
            } else if let Some(v) = d.value().and_then(JsValue::as_object) {
                todo.push(v);
            }
        }
        o.set_integrity_level(IntegrityLevel::Frozen, ctx)?;
    }
    Ok(JsValue::undefined())
}
