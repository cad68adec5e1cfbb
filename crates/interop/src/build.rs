//! What the importers share: column types to field types, and a model built
//! table by table, references resolved at the end, with a note for every
//! thing left out.

use std::collections::BTreeMap;

use atelier_model::data_model::{DataModel, Entity, EnumType, Field, FieldType};
use atelier_model::layout::ModelLayout;
use atelier_model::Id;
use serde_json::Value;

use crate::names::{field_id, label_of};
use crate::{ImportError, Imported, MAX_IMPORT_TABLES};

/// A column type read as a field type: `varchar(80)` → string of at most 80,
/// `text[]` → a list of text. Unknown types become strings, with a note.
pub(crate) struct Typed {
    pub field_type: FieldType,
    pub max_length: Option<u32>,
    pub list: bool,
    /// MySQL's inline `ENUM('a', 'b')`.
    pub inline_enum: Option<Vec<String>>,
    /// A type name that may be an enum declared elsewhere (`CREATE TYPE`, DBML `Enum`).
    pub named: Option<String>,
    pub note: Option<String>,
}

/// Reads a type as written: `character varying(80)`, `INT`, `text[]`, `enum('a','b')`, `public.mood`.
pub(crate) fn type_of(written: &str) -> Typed {
    let t = written.trim();
    if let Some(inner) = t.strip_suffix("[]") {
        return Typed { list: true, ..type_of(inner) };
    }
    let lower = t.to_ascii_lowercase();
    let (base, args) = match lower.find('(') {
        Some(i) => (lower[..i].trim().to_owned(), lower[i + 1..].trim_end_matches(')').to_owned()),
        None => (lower.clone(), String::new()),
    };
    let first_arg = || args.split(',').next().and_then(|a| a.trim().parse::<u32>().ok());
    let typed = |field_type| Typed { field_type, max_length: None, list: false, inline_enum: None, named: None, note: None };
    let base = base.trim_matches('"').trim_matches('`');
    match base {
        "varchar" | "character varying" | "char" | "character" | "nvarchar" | "nchar" | "varchar2" | "string" | "bpchar" => {
            Typed { max_length: first_arg(), ..typed(FieldType::String) }
        }
        "text" | "tinytext" | "mediumtext" | "longtext" | "clob" | "citext" => typed(FieldType::Text),
        "tinyint" if first_arg() == Some(1) => typed(FieldType::Boolean),
        "int" | "integer" | "bigint" | "smallint" | "tinyint" | "mediumint" | "serial" | "bigserial" | "smallserial" | "int2" | "int4"
        | "int8" | "int unsigned" | "integer unsigned" | "bigint unsigned" => typed(FieldType::Integer),
        "decimal" | "numeric" | "real" | "float" | "double" | "double precision" | "money" | "float4" | "float8" | "number" => {
            typed(FieldType::Decimal)
        }
        "bool" | "boolean" => typed(FieldType::Boolean),
        "bit" if first_arg().unwrap_or(1) == 1 => typed(FieldType::Boolean),
        "date" => typed(FieldType::Date),
        "timestamp" | "timestamptz" | "datetime" | "timestamp with time zone" | "timestamp without time zone" | "datetime2" => {
            typed(FieldType::Datetime)
        }
        "uuid" => Typed { max_length: Some(36), ..typed(FieldType::String) },
        "json" | "jsonb" => Typed { note: Some(format!("type `{t}` is kept as text")), ..typed(FieldType::Text) },
        "enum" => {
            let inner = t.find('(').and_then(|i| t.rfind(')').filter(|&j| j > i).map(|j| &t[i + 1..j])).unwrap_or("");
            let values = split_quoted(inner);
            Typed { inline_enum: Some(values), ..typed(FieldType::Enum) }
        }
        other => Typed {
            named: Some(other.rsplit('.').next().unwrap_or(other).trim_matches('"').to_owned()),
            note: Some(format!("type `{t}` is imported as a string")),
            ..typed(FieldType::String)
        },
    }
}

/// `'a', 'b''s'` → `["a", "b's"]`.
pub(crate) fn split_quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut inside = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, inside) {
            ('\'', false) => inside = true,
            ('\'', true) if chars.peek() == Some(&'\'') => {
                chars.next();
                cur.push('\'');
            }
            ('\'', true) => {
                inside = false;
                out.push(std::mem::take(&mut cur));
            }
            (c, true) => cur.push(c),
            _ => {}
        }
    }
    out
}

/// A column as an importer read it.
#[derive(Default)]
pub(crate) struct Column {
    pub name: String,
    pub written_type: String,
    pub key: bool,
    pub not_null: bool,
    pub unique: bool,
    pub default: Option<Value>,
    pub description: String,
    /// `(table, column)` this column references.
    pub references: Option<(String, Option<String>)>,
}

/// A model built from tables and enums, in the order read.
#[derive(Default)]
pub(crate) struct Builder {
    pub name: String,
    tables: Vec<(String, String, Vec<Column>)>,
    enums: Vec<(String, Vec<String>)>,
    /// `(table, column)` → `(table, column)`, declared apart from the columns.
    refs: Vec<(String, String, String, Option<String>)>,
    /// Many-to-many: a list of references on `table` to `other`.
    many: Vec<(String, String)>,
    /// Key columns and unique sets declared apart from the columns (`ALTER TABLE`, table constraints).
    keys: Vec<(String, String)>,
    uniques: Vec<(String, Vec<String>)>,
    pub notes: Vec<String>,
}

impl Builder {
    pub fn named(name: &str) -> Builder {
        Builder { name: name.to_owned(), ..Builder::default() }
    }

    pub fn table(&mut self, name: &str, description: String, columns: Vec<Column>) -> Result<(), ImportError> {
        if self.tables.len() >= MAX_IMPORT_TABLES {
            return Err(ImportError::Invalid(format!("more than {MAX_IMPORT_TABLES} tables")));
        }
        self.tables.push((name.to_owned(), description, columns));
        Ok(())
    }

    pub fn enumeration(&mut self, name: &str, values: Vec<String>) {
        self.enums.push((name.to_owned(), values));
    }

    pub fn reference(&mut self, table: &str, column: &str, to_table: &str, to_column: Option<String>) {
        self.refs.push((table.to_owned(), column.to_owned(), to_table.to_owned(), to_column));
    }

    pub fn many_to_many(&mut self, table: &str, other: &str) {
        self.many.push((table.to_owned(), other.to_owned()));
    }

    pub fn key(&mut self, table: &str, column: &str) {
        self.keys.push((table.to_ascii_lowercase(), column.to_ascii_lowercase()));
    }

    /// Columns whose values together are unique; one column is the field's own `unique`.
    pub fn unique(&mut self, table: &str, columns: Vec<String>) {
        self.uniques.push((table.to_ascii_lowercase(), columns));
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    pub fn finish(mut self) -> Result<Imported, ImportError> {
        let mut model = DataModel {
            schema: None,
            name: self.name.clone(),
            description: String::new(),
            entities: BTreeMap::new(),
            enums: BTreeMap::new(),
        };
        let mut enum_ids: BTreeMap<String, Id> = BTreeMap::new();
        for (name, values) in std::mem::take(&mut self.enums) {
            let Some(id) = field_id(&name) else {
                self.note(format!("enum `{name}`: its name makes no id; left out"));
                continue;
            };
            enum_ids.insert(name.to_ascii_lowercase(), id.clone());
            model.enums.insert(id, EnumType { values: dedupe(values) });
        }
        let mut table_ids: BTreeMap<String, Id> = BTreeMap::new();
        for (name, _, _) in &self.tables {
            if let Some(id) = field_id(name) {
                table_ids.insert(name.to_ascii_lowercase(), id);
            }
        }
        let mut refs: BTreeMap<(String, String), (String, Option<String>)> = BTreeMap::new();
        for (t, c, tt, tc) in std::mem::take(&mut self.refs) {
            refs.insert((t.to_ascii_lowercase(), c.to_ascii_lowercase()), (tt, tc));
        }
        let keys: std::collections::BTreeSet<(String, String)> = std::mem::take(&mut self.keys).into_iter().collect();
        let uniques = std::mem::take(&mut self.uniques);
        let mut orders: BTreeMap<Id, Vec<Id>> = BTreeMap::new();
        for (table, description, columns) in std::mem::take(&mut self.tables) {
            let Some(eid) = field_id(&table) else {
                self.note(format!("table `{table}`: its name makes no id; left out"));
                continue;
            };
            if model.entities.contains_key(&eid) {
                self.note(format!("table `{table}`: a second table named like it is left out"));
                continue;
            }
            let mut fields = BTreeMap::new();
            let mut order = Vec::new();
            for col in columns {
                let Some(fid) = field_id(&col.name) else {
                    self.note(format!("table `{table}`: column `{}` makes no id; left out", col.name));
                    continue;
                };
                let typed = type_of(&col.written_type);
                let mut field = Field::new(label_of(&col.name), typed.field_type);
                field.max_length = typed.max_length;
                field.list = typed.list;
                let lower = (table.to_ascii_lowercase(), col.name.to_ascii_lowercase());
                field.key = col.key || keys.contains(&lower);
                let single_unique = uniques.iter().any(|(t, cs)| *t == lower.0 && cs.len() == 1 && cs[0].eq_ignore_ascii_case(&col.name));
                field.required = col.not_null || field.key;
                field.unique = (col.unique || single_unique) && !field.key;
                field.description = col.description.clone();
                field.default = col.default.clone();
                if let Some(values) = typed.inline_enum {
                    let id = field_id(&format!("{table}-{}", col.name)).unwrap_or_else(|| fid.clone());
                    model.enums.insert(id.clone(), EnumType { values: dedupe(values) });
                    field.enum_type = Some(id);
                } else if let Some(named) = typed.named.as_ref().and_then(|n| enum_ids.get(&n.to_ascii_lowercase())) {
                    field.field_type = FieldType::Enum;
                    field.enum_type = Some(named.clone());
                } else if let Some(note) = typed.note {
                    self.note(format!("table `{table}`, column `{}`: {note}", col.name));
                }
                let target =
                    col.references.clone().or_else(|| refs.get(&(table.to_ascii_lowercase(), col.name.to_ascii_lowercase())).cloned());
                if let Some((to_table, _)) = target {
                    let short = to_table.rsplit('.').next().unwrap_or(&to_table).to_ascii_lowercase();
                    match table_ids.get(&short) {
                        Some(to) => {
                            field.field_type = FieldType::Reference;
                            field.entity = Some(to.clone());
                            field.enum_type = None;
                            field.max_length = None;
                        }
                        None => self
                            .note(format!("table `{table}`, column `{}`: it references `{to_table}`, which is not in the input", col.name)),
                    }
                }
                if fields.insert(fid.clone(), field).is_none() {
                    order.push(fid);
                }
            }
            let mut constraints = BTreeMap::new();
            for (i, (_, cols)) in uniques.iter().filter(|(t, cs)| *t == table.to_ascii_lowercase() && cs.len() > 1).enumerate() {
                let fields: Vec<Id> = cols.iter().filter_map(|c| field_id(c)).filter(|f| fields.contains_key(f)).collect();
                let cid = Id::new(format!("unique-{}", i + 1)).expect("a valid id");
                constraints.insert(cid, atelier_model::data_model::Constraint::Unique { fields });
            }
            orders.insert(eid.clone(), order);
            model.entities.insert(eid, Entity { name: label_of(&table), description, fields, constraints, examples: Vec::new() });
        }
        for (table, other) in std::mem::take(&mut self.many) {
            let (Some(a), Some(b)) = (table_ids.get(&table.to_ascii_lowercase()), table_ids.get(&other.to_ascii_lowercase())) else {
                continue;
            };
            let fid = field_id(&format!("{other}-list")).expect("made of ids");
            if let Some(e) = model.entities.get_mut(a) {
                let mut f = Field::new(label_of(&other), FieldType::Reference);
                f.list = true;
                f.entity = Some(b.clone());
                if e.fields.insert(fid.clone(), f).is_none() {
                    orders.entry(a.clone()).or_default().push(fid);
                }
            }
        }
        // Only orders that say something: columns already in id order need no list.
        orders.retain(|_, order| order.windows(2).any(|w| w[0] > w[1]));
        let layout = ModelLayout { fields: orders, ..ModelLayout::default() };
        if model.entities.is_empty() {
            return Err(ImportError::Invalid("the input has no table".into()));
        }
        Ok(Imported { model, layout, notes: self.notes })
    }
}

fn dedupe(values: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    values.into_iter().filter(|v| seen.insert(v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_types_read_as_field_types() {
        let t = type_of("character varying(80)");
        assert_eq!((t.field_type, t.max_length), (FieldType::String, Some(80)));
        assert_eq!(type_of("BIGSERIAL").field_type, FieldType::Integer);
        assert_eq!(type_of("tinyint(1)").field_type, FieldType::Boolean);
        assert_eq!(type_of("NUMERIC(10,2)").field_type, FieldType::Decimal);
        assert_eq!(type_of("timestamp with time zone").field_type, FieldType::Datetime);
        let l = type_of("text[]");
        assert!(l.list && l.field_type == FieldType::Text);
        assert_eq!(type_of("ENUM('a','b''s')").inline_enum, Some(vec!["a".to_owned(), "b's".to_owned()]));
        let odd = type_of("public.mood");
        assert_eq!((odd.field_type, odd.named.as_deref()), (FieldType::String, Some("mood")));
    }
}
