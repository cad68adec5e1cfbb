//! The one canonical JSON writer and the careful reader every design file goes through.
//!
//! Canonical form: UTF-8, LF, two-space indent, keys in declared order (structs) or
//! sorted (maps), a trailing newline. Reading refuses what would make a design
//! ambiguous or dangerous: a byte order mark, invalid UTF-8, duplicate keys,
//! absurd sizes or nesting, unknown keys.

use crate::problem::ProblemCode;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::problem::{pointer, Problem};

/// Design files larger than this are refused: they are not hand-made designs.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Serializes a design value in canonical form.
pub fn to_canonical_bytes<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut buf = Vec::with_capacity(1024);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"  ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    // Writing to a Vec cannot fail, and every map in the design types has string keys.
    value.serialize(&mut ser).expect("design values always serialize to JSON");
    buf.push(b'\n');
    buf
}

/// Reads a design file's bytes into a JSON value, refusing anything ambiguous.
/// `file` is the project-relative path used in the problem.
pub fn read_json(file: &str, bytes: &[u8]) -> Result<Value, Problem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Problem::error(
            file,
            ProblemCode::FileTooLarge,
            format!("file is {} bytes; design files are limited to {} bytes", bytes.len(), MAX_FILE_BYTES),
        ));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(Problem::error(
            file,
            ProblemCode::ByteOrderMark,
            "file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM",
        )
        .with_position(1, 1));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(&bytes[..e.valid_up_to()]);
        Problem::error(file, ProblemCode::InvalidUtf8, "file is not valid UTF-8").with_position(line, column)
    })?;
    if text.trim().is_empty() {
        return Err(Problem::error(file, ProblemCode::EmptyFile, "file is empty; expected a JSON object"));
    }
    match serde_json::from_str::<CheckedValue>(text) {
        Ok(CheckedValue(v)) => Ok(v),
        Err(e) => {
            let full = e.to_string();
            let message = match full.rsplit_once(" at line ") {
                Some((m, _)) => m.to_owned(),
                None => full,
            };
            let code = match e.classify() {
                serde_json::error::Category::Eof => ProblemCode::TruncatedJson,
                _ if message.starts_with("duplicate key") => ProblemCode::DuplicateKey,
                _ if message.starts_with("recursion limit") => ProblemCode::TooDeep,
                _ => ProblemCode::MalformedJson,
            };
            let message = match code {
                ProblemCode::TruncatedJson => format!("the file ends too early ({message})"),
                ProblemCode::TooDeep => "nesting is deeper than 128 levels".to_owned(),
                ProblemCode::MalformedJson => format!("invalid JSON: {message}"),
                _ => message,
            };
            Err(Problem::error(file, code, message).with_position(e.line(), e.column()))
        }
    }
}

/// Parses a design file into its typed value: [`read_json`], then the type's
/// own rules (required and unknown keys, ids, enums), naming the element.
pub fn parse<T: DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T, Problem> {
    let value = read_json(file, bytes)?;
    from_value(file, &value)
}

/// Converts a JSON value into a typed design value, naming the failing element.
pub fn from_value<T: DeserializeOwned>(file: &str, value: &Value) -> Result<T, Problem> {
    if !value.is_object() {
        let found = match value {
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            _ => "null",
        };
        return Err(Problem::error(file, ProblemCode::InvalidValue, format!("the file must hold a JSON object, not {found}")));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let segments: Vec<String> = e
            .path()
            .iter()
            .filter_map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        let message = e.inner().to_string();
        Problem::error(file, ProblemCode::InvalidValue, tidy_serde_message(&message)).at_pointer(pointer(&segments))
    })
}

/// serde's messages are good but speak Rust; say the same in the file's terms.
fn tidy_serde_message(m: &str) -> String {
    m.replace("unknown field", "unknown key")
        .replace("missing field", "missing key")
        .replace("duplicate field", "duplicate key")
        .replace("unknown variant", "unknown value")
        .replace("invalid type: map", "invalid type: object")
        .replace("invalid type: sequence", "invalid type: array")
        .replace("expected a sequence", "expected an array")
        .replace("expected a map", "expected an object")
        .replace(", expected struct ", ", expected an object: ")
}

/// Line and column (from 1) just after `prefix`.
fn line_column(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = prefix.len() - prefix.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// A JSON value whose objects are checked for duplicate keys while parsing,
/// which serde_json's own `Value` silently accepts (the last one wins).
struct CheckedValue(Value);

impl<'de> Deserialize<'de> for CheckedValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor).map(CheckedValue)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(CheckedValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                let shown: String = key.chars().take(80).collect();
                return Err(de::Error::custom(format!("duplicate key `{shown}`")));
            }
            let CheckedValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_is_two_space_lf_with_trailing_newline() {
        let v = serde_json::json!({"b": [1, {}], "a": "x"});
        assert_eq!(String::from_utf8(to_canonical_bytes(&v)).unwrap(), "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    {}\n  ]\n}\n");
    }

    #[test]
    fn duplicate_keys_are_refused_with_position() {
        let p = read_json("f.json", b"{\n  \"a\": 1,\n  \"a\": 2\n}").unwrap_err();
        assert_eq!(p.code, "duplicate-key");
        assert_eq!(p.position.unwrap().line, 3);
    }

    #[test]
    fn bom_and_bad_utf8_are_refused() {
        assert_eq!(read_json("f", b"\xEF\xBB\xBF{}").unwrap_err().code, "byte-order-mark");
        let p = read_json("f", b"{\n\"a\": \"\xff\"}").unwrap_err();
        assert_eq!((p.code.as_str(), p.position.unwrap().line, p.position.unwrap().column), ("invalid-utf8", 2, 7));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(read_json("f", deep.as_bytes()).unwrap_err().code, "too-deep");
    }
}
