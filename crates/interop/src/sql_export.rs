//! A data model as SQL DDL: a table per entity, a join table per list of
//! references (many-to-many), foreign keys, NOT NULL, UNIQUE, CHECK and
//! DEFAULT from the fields' constraints.

use std::fmt::Write;

use atelier_model::data_model::{Constraint, DataModel, Entity, Field, FieldType};
use atelier_model::layout::ModelLayout;
use atelier_model::Id;
use serde_json::Value;

use crate::names::sql_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Mysql,
    Sqlite,
}

impl Dialect {
    pub fn parse(s: &str) -> Option<Dialect> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Some(Dialect::Postgres),
            "mysql" | "mariadb" => Some(Dialect::Mysql),
            "sqlite" | "sqlite3" => Some(Dialect::Sqlite),
            _ => None,
        }
    }

    fn quote(&self, name: &str) -> String {
        match self {
            Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }
}

fn column_type(d: Dialect, model: &DataModel, f: &Field) -> String {
    let text = |n: Option<u32>| match d {
        Dialect::Sqlite => "TEXT".to_owned(),
        _ => format!("VARCHAR({})", n.unwrap_or(255)),
    };
    match f.field_type {
        FieldType::String => text(f.max_length),
        FieldType::Email => text(Some(f.max_length.unwrap_or(320))),
        FieldType::Text => "TEXT".to_owned(),
        FieldType::Integer => match d {
            Dialect::Postgres => "BIGINT".to_owned(),
            Dialect::Mysql => "BIGINT".to_owned(),
            Dialect::Sqlite => "INTEGER".to_owned(),
        },
        FieldType::Decimal => "NUMERIC".to_owned(),
        FieldType::Boolean => match d {
            Dialect::Sqlite => "INTEGER".to_owned(),
            _ => "BOOLEAN".to_owned(),
        },
        FieldType::Date => match d {
            Dialect::Sqlite => "TEXT".to_owned(),
            _ => "DATE".to_owned(),
        },
        FieldType::Datetime => match d {
            Dialect::Postgres => "TIMESTAMPTZ".to_owned(),
            Dialect::Mysql => "DATETIME".to_owned(),
            Dialect::Sqlite => "TEXT".to_owned(),
        },
        FieldType::Enum => {
            let values = f.enum_type.as_ref().and_then(|e| model.enums.get(e)).map(|e| e.values.clone()).unwrap_or_default();
            match d {
                Dialect::Mysql if !values.is_empty() => {
                    format!("ENUM({})", values.iter().map(|v| literal(v)).collect::<Vec<_>>().join(", "))
                }
                Dialect::Sqlite => "TEXT".to_owned(),
                _ => text(None),
            }
        }
        FieldType::Reference => {
            // The type of the other entity's key.
            let target = f.entity.as_ref().and_then(|e| model.entities.get(e)).and_then(Entity::key);
            match target {
                Some((_, k)) if k.field_type != FieldType::Reference => column_type(d, model, k),
                _ => text(Some(64)),
            }
        }
    }
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn value_literal(d: Dialect, v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(literal(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(match d {
            Dialect::Sqlite => (if *b { "1" } else { "0" }).to_owned(),
            _ => (if *b { "TRUE" } else { "FALSE" }).to_owned(),
        }),
        _ => None,
    }
}

/// The DDL of the whole model, tables in dependency order where there is
/// one, each table's columns in the order the layout draws its fields.
pub fn to_sql(model: &DataModel, layout: &ModelLayout, d: Dialect) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "-- {} (exported by Atelier)", model.name.replace('\n', " "));
    let mut joins = Vec::new();
    for (eid, e) in &model.entities {
        let table = sql_name(eid);
        let mut lines = Vec::new();
        let key = e.key();
        if key.is_none() {
            lines.push(format!("  {} {} PRIMARY KEY", d.quote("id"), column_type(d, model, &implicit_key())));
        }
        let mut tail = Vec::new();
        for (fid, f) in layout.field_order(eid, e) {
            let col = d.quote(&sql_name(fid));
            if f.list && f.field_type == FieldType::Reference {
                joins.push((eid, fid, f));
                continue;
            }
            let mut line = if f.list {
                let ty = match d {
                    Dialect::Postgres => format!("{}[]", column_type(d, model, f)),
                    Dialect::Mysql => "JSON".to_owned(),
                    Dialect::Sqlite => "TEXT".to_owned(),
                };
                format!("  {col} {ty}")
            } else {
                format!("  {col} {}", column_type(d, model, f))
            };
            if f.key {
                line.push_str(" PRIMARY KEY");
            } else if f.required {
                line.push_str(" NOT NULL");
            }
            if f.unique && !f.key {
                line.push_str(" UNIQUE");
            }
            if let Some(v) = f.default.as_ref().and_then(|v| value_literal(d, v)) {
                let _ = write!(line, " DEFAULT {v}");
            }
            lines.push(line);
            if !f.list {
                tail.extend(checks(d, model, &col, f));
            }
            if f.field_type == FieldType::Reference && !f.list {
                if let Some(target) = &f.entity {
                    let tkey = model.entities.get(target).and_then(Entity::key).map_or("id".to_owned(), |(k, _)| sql_name(k));
                    tail.push(format!("  FOREIGN KEY ({col}) REFERENCES {} ({})", d.quote(&sql_name(target)), d.quote(&tkey)));
                }
            }
        }
        for (cid, c) in &e.constraints {
            match c {
                Constraint::Unique { fields } => {
                    let cols: Vec<String> = fields.iter().map(|f| d.quote(&sql_name(f))).collect();
                    tail.push(format!("  CONSTRAINT {} UNIQUE ({})", d.quote(&sql_name(cid)), cols.join(", ")));
                }
                Constraint::Check { rule, .. } => {
                    // A JavaScript rule: SQL cannot run it; said so the reader sees it.
                    lines.push(format!("  -- check {}: {}", sql_name(cid), rule.replace('\n', " ")));
                }
            }
        }
        lines.extend(tail);
        // A comment line must not be followed by a comma: put commas before comments.
        let _ = writeln!(out, "\nCREATE TABLE {} (\n{}\n);", d.quote(&table), join_columns(&lines));
    }
    for (eid, fid, f) in joins {
        let Some(target) = &f.entity else { continue };
        let table = format!("{}_{}", sql_name(eid), sql_name(fid));
        let (a, b) = (format!("{}_id", sql_name(eid)), format!("{}_id", sql_name(target)));
        let (a, b) = if a == b { (format!("{a}_from"), format!("{b}_to")) } else { (a, b) };
        let key_of_entity = |e: &Id| {
            model.entities.get(e).and_then(Entity::key).map_or(("id".to_owned(), implicit_key()), |(k, f)| (sql_name(k), f.clone()))
        };
        let (akey, af) = key_of_entity(eid);
        let (bkey, bf) = key_of_entity(target);
        let _ = writeln!(
            out,
            "\nCREATE TABLE {} (\n  {} {} NOT NULL,\n  {} {} NOT NULL,\n  PRIMARY KEY ({}, {}),\n  FOREIGN KEY ({}) REFERENCES {} ({}),\n  FOREIGN KEY ({}) REFERENCES {} ({})\n);",
            d.quote(&table),
            d.quote(&a),
            column_type(d, model, &af),
            d.quote(&b),
            column_type(d, model, &bf),
            d.quote(&a),
            d.quote(&b),
            d.quote(&a),
            d.quote(&sql_name(eid)),
            d.quote(&akey),
            d.quote(&b),
            d.quote(&sql_name(target)),
            d.quote(&bkey),
        );
    }
    out
}

fn implicit_key() -> Field {
    serde_json::from_value(serde_json::json!({ "label": "Id", "type": "string", "max_length": 64, "key": true })).expect("a valid field")
}

fn join_columns(lines: &[String]) -> String {
    let real: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].trim_start().starts_with("--")).collect();
    let last = real.last().copied();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| if l.trim_start().starts_with("--") || Some(i) == last { l.clone() } else { format!("{l},") })
        .collect::<Vec<_>>()
        .join("\n")
}

fn checks(d: Dialect, model: &DataModel, col: &str, f: &Field) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = &f.min {
        out.push(format!("  CHECK ({col} >= {n})"));
    }
    if let Some(n) = &f.max {
        out.push(format!("  CHECK ({col} <= {n})"));
    }
    let len = match d {
        Dialect::Postgres => "char_length",
        Dialect::Mysql => "CHAR_LENGTH",
        Dialect::Sqlite => "length",
    };
    if let Some(n) = f.min_length {
        out.push(format!("  CHECK ({len}({col}) >= {n})"));
    }
    if let (Some(n), Dialect::Sqlite | Dialect::Postgres) = (f.max_length, d) {
        if matches!(f.field_type, FieldType::Text) || d == Dialect::Sqlite {
            out.push(format!("  CHECK ({len}({col}) <= {n})"));
        }
    }
    if f.field_type == FieldType::Enum && d != Dialect::Mysql {
        if let Some(e) = f.enum_type.as_ref().and_then(|e| model.enums.get(e)) {
            if !e.values.is_empty() {
                out.push(format!("  CHECK ({col} IN ({}))", e.values.iter().map(|v| literal(v)).collect::<Vec<_>>().join(", ")));
            }
        }
    }
    out
}
