//! A data model as JSON Schema 2020-12: one `$defs` entry per entity. It is
//! what `atelier schema` prints, what an exported model hands to other tools,
//! and what the preview checks form data and workflow inputs against.

use serde_json::{json, Map, Value};

use crate::data_model::{DataModel, Entity, Field, FieldType};
use crate::id::Id;

pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The whole model: every entity under `$defs`; with `entity`, the document
/// itself describes that entity (`$ref` to its definition).
pub fn model_schema(model: &DataModel, entity: Option<&Id>) -> Value {
    let defs: Map<String, Value> = model.entities.iter().map(|(id, e)| (id.to_string(), entity_schema(model, e))).collect();
    let mut out = Map::new();
    out.insert("$schema".into(), json!(DIALECT));
    out.insert("title".into(), json!(model.name));
    if !model.description.is_empty() {
        out.insert("description".into(), json!(model.description));
    }
    if let Some(e) = entity {
        out.insert("$ref".into(), json!(format!("#/$defs/{e}")));
    }
    out.insert("$defs".into(), Value::Object(defs));
    Value::Object(out)
}

/// One entity as a JSON Schema object: its fields as properties.
pub fn entity_schema(model: &DataModel, e: &Entity) -> Value {
    let properties: Map<String, Value> = e.fields.iter().map(|(id, f)| (id.to_string(), field_schema(model, f))).collect();
    let required: Vec<&str> = e.fields.iter().filter(|(_, f)| f.required).map(|(id, _)| id.as_str()).collect();
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    out.insert("title".into(), json!(e.name));
    if !e.description.is_empty() {
        out.insert("description".into(), json!(e.description));
    }
    out.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".into(), json!(required));
    }
    out.insert("additionalProperties".into(), json!(false));
    if !e.examples.is_empty() {
        out.insert("examples".into(), json!(e.examples));
    }
    Value::Object(out)
}

/// One value of the field's type (a list's item), with its constraints.
fn value_schema(model: &DataModel, f: &Field) -> Map<String, Value> {
    let mut s = Map::new();
    let mut put = |k: &str, v: Value| {
        s.insert(k.to_owned(), v);
    };
    match f.field_type {
        FieldType::String | FieldType::Text => put("type", json!("string")),
        FieldType::Integer => put("type", json!("integer")),
        FieldType::Decimal => put("type", json!("number")),
        FieldType::Boolean => put("type", json!("boolean")),
        FieldType::Date => {
            put("type", json!("string"));
            put("format", json!("date"));
        }
        FieldType::Datetime => {
            put("type", json!("string"));
            put("format", json!("date-time"));
        }
        FieldType::Email => {
            put("type", json!("string"));
            put("format", json!("email"));
        }
        FieldType::Enum => {
            put("type", json!("string"));
            let values = f.enum_type.as_ref().and_then(|e| model.enums.get(e)).map(|e| e.values.clone()).unwrap_or_default();
            put("enum", json!(values));
        }
        FieldType::Reference => {
            // A reference holds the key of a record of the other entity.
            put("type", json!("string"));
            put("minLength", json!(1));
            if let Some(e) = &f.entity {
                put("x-reference", json!(e));
            }
        }
    }
    if let Some(n) = &f.min {
        put("minimum", Value::Number(n.clone()));
    }
    if let Some(n) = &f.max {
        put("maximum", Value::Number(n.clone()));
    }
    if let Some(n) = f.min_length {
        put("minLength", json!(n));
    }
    if let Some(n) = f.max_length {
        put("maxLength", json!(n));
    }
    if let Some(p) = &f.pattern {
        put("pattern", json!(p));
    }
    s
}

fn field_schema(model: &DataModel, f: &Field) -> Value {
    let item = value_schema(model, f);
    let mut s = if f.list {
        let mut s = Map::new();
        s.insert("type".into(), json!("array"));
        s.insert("items".into(), Value::Object(item));
        if f.field_type == FieldType::Reference || f.unique {
            s.insert("uniqueItems".into(), json!(true));
        }
        s
    } else {
        item
    };
    s.insert("title".into(), json!(f.label));
    if !f.description.is_empty() {
        s.insert("description".into(), json!(f.description));
    }
    if let Some(d) = &f.default {
        s.insert("default".into(), d.clone());
    }
    if f.unique && !f.list {
        // Across records, which one record's schema cannot check: said for other tools.
        s.insert("x-unique".into(), json!(true));
    }
    Value::Object(s)
}
