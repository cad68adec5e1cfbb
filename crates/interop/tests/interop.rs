//! SQL DDL and DBML in, SQL out: real DDL of the three dialects, `pg_dump`'s
//! shape (keys and foreign keys added by ALTER TABLE), DBML with refs both
//! ways, and hostile text that must fail cleanly, never panic or hang.

use atelier_interop::dbml::from_dbml;
use atelier_interop::sql_export::{to_sql, Dialect};
use atelier_interop::sql_import::from_sql;
use atelier_interop::{ImportError, Imported};
use atelier_model::data_model::{DataModel, FieldType};
use atelier_model::layout::ModelLayout;
use atelier_model::Id;

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

const POSTGRES: &str = r#"
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE public.employee (
  id BIGSERIAL PRIMARY KEY,
  full_name VARCHAR(120) NOT NULL,
  email TEXT NOT NULL UNIQUE,
  feeling mood DEFAULT 'happy',
  tags TEXT[],
  hired_on DATE,
  active BOOLEAN DEFAULT TRUE
);
CREATE TABLE expense_claim (
  id SERIAL,
  employee_id BIGINT NOT NULL REFERENCES employee (id),
  amount NUMERIC(10, 2) NOT NULL DEFAULT -1.5,
  spent_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id),
  CONSTRAINT one_per_day UNIQUE (employee_id, spent_at)
);
CREATE INDEX claim_by_employee ON expense_claim (employee_id);
"#;

#[test]
fn postgres_ddl_becomes_entities_fields_enums_and_references() {
    let imported = from_sql(POSTGRES, "hr", None).unwrap();
    let m = &imported.model;
    assert_eq!(m.name, "hr");
    let emp = &m.entities[&id("employee")];
    assert_eq!(emp.name, "Employee");
    let name = &emp.fields[&id("full-name")];
    assert_eq!((name.field_type, name.max_length, name.required), (FieldType::String, Some(120), true));
    assert!(emp.fields[&id("id")].key);
    assert!(emp.fields[&id("email")].unique);
    let feeling = &emp.fields[&id("feeling")];
    assert_eq!((feeling.field_type, feeling.enum_type.as_ref()), (FieldType::Enum, Some(&id("mood"))));
    assert_eq!(feeling.default, Some(serde_json::json!("happy")));
    assert_eq!(m.enums[&id("mood")].values, vec!["happy", "sad"]);
    assert!(emp.fields[&id("tags")].list);
    assert_eq!(emp.fields[&id("active")].default, Some(serde_json::json!(true)));
    let claim = &m.entities[&id("expense-claim")];
    let by = &claim.fields[&id("employee-id")];
    assert_eq!((by.field_type, by.entity.as_ref(), by.required), (FieldType::Reference, Some(&id("employee")), true));
    assert!(claim.fields[&id("id")].key, "a table-level PRIMARY KEY marks its column");
    assert_eq!(claim.fields[&id("amount")].default, Some(serde_json::json!(-1.5)));
    assert_eq!(claim.fields[&id("spent-at")].field_type, FieldType::Datetime);
    assert_eq!(claim.constraints.len(), 1, "the two-column UNIQUE becomes an entity constraint");
    assert!(imported.notes.iter().any(|n| n.contains("CREATE INDEX")), "{:?}", imported.notes);
}

#[test]
fn mysql_and_sqlite_ddl_read_too() {
    let mysql = "CREATE TABLE `order` (\n  `id` INT NOT NULL AUTO_INCREMENT,\n  `status` ENUM('new','paid') NOT NULL,\n  `paid` TINYINT(1) DEFAULT 0,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB COMMENT='Orders';";
    let m = from_sql(mysql, "shop", None).unwrap().model;
    let o = &m.entities[&id("order")];
    assert_eq!(o.description, "Orders");
    let status = &o.fields[&id("status")];
    assert_eq!(status.field_type, FieldType::Enum);
    assert_eq!(m.enums[status.enum_type.as_ref().unwrap()].values, vec!["new", "paid"]);
    assert_eq!(o.fields[&id("paid")].field_type, FieldType::Boolean);
    assert!(o.fields[&id("id")].key);

    let sqlite = "CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT, author INTEGER REFERENCES person);\nCREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL);";
    let m = from_sql(sqlite, "notes", Some(Dialect::Sqlite)).unwrap().model;
    assert_eq!(m.entities[&id("note")].fields[&id("author")].entity, Some(id("person")));
}

#[test]
fn pg_dump_keys_and_foreign_keys_from_alter_table() {
    let dump = "SET statement_timeout = 0;\nCREATE TABLE public.a (id integer NOT NULL, b_id integer);\nCREATE TABLE public.b (id integer NOT NULL);\nALTER TABLE ONLY public.a ADD CONSTRAINT a_pkey PRIMARY KEY (id);\nALTER TABLE ONLY public.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES public.b(id);";
    let imported = from_sql(dump, "dump", Some(Dialect::Postgres)).unwrap();
    let a = &imported.model.entities[&id("a")];
    assert!(a.fields[&id("id")].key);
    assert_eq!(a.fields[&id("b-id")].entity, Some(id("b")));
    assert!(imported.notes.iter().any(|n| n.starts_with("`SET")), "{:?}", imported.notes);
}

#[test]
fn dbml_tables_enums_and_refs_both_ways() {
    let dbml = r#"
Project shop { database_type: 'PostgreSQL' }
// customers buy things
Table customers as C {
  id integer [pk, increment]
  email varchar(200) [not null, unique, note: 'Where receipts go']
  tier tier [default: 'basic']
  Note: 'People who buy'
}
Table orders {
  id integer [pk]
  customer_id integer [ref: > customers.id]
  total "decimal(10,2)" [default: 0]
  indexes { (customer_id, id) [unique] }
}
Table lines {
  id int [pk]
  order_id int
}
Enum tier { basic premium [note: 'pays'] }
Ref: orders.id < lines.order_id
Ref tagged { orders.id <> customers.id }
"#;
    let imported = from_dbml(dbml, "fallback").unwrap();
    let m = &imported.model;
    assert_eq!(m.name, "shop", "the Project block names the model");
    let c = &m.entities[&id("customers")];
    assert_eq!(c.description, "People who buy");
    assert_eq!(c.fields[&id("email")].description, "Where receipts go");
    assert!(c.fields[&id("email")].unique && c.fields[&id("email")].required);
    assert_eq!(c.fields[&id("tier")].enum_type, Some(id("tier")));
    assert_eq!(m.enums[&id("tier")].values, vec!["basic", "premium"]);
    assert_eq!(m.entities[&id("orders")].fields[&id("customer-id")].entity, Some(id("customers")));
    assert_eq!(m.entities[&id("lines")].fields[&id("order-id")].entity, Some(id("orders")), "`<` points from the other side");
    let many = &m.entities[&id("orders")].fields[&id("customers-list")];
    assert!(many.list && many.entity == Some(id("customers")), "`<>` is a list of references");
    assert!(imported.notes.iter().any(|n| n.contains("indexes")), "{:?}", imported.notes);
    // Columns keep their written order, a many-to-many list last; `lines` is in id order already, so it needs none.
    let order = |e: &str| imported.layout.fields.get(&id(e)).map(|o| o.iter().map(|f| f.to_string()).collect::<Vec<_>>());
    assert_eq!(order("orders"), Some(vec!["id".into(), "customer-id".into(), "total".into(), "customers-list".into()]));
    assert_eq!(order("customers"), Some(vec!["id".into(), "email".into(), "tier".into()]));
    assert_eq!(order("lines"), None);
}

#[test]
fn syntax_errors_name_the_line() {
    match from_sql("CREATE TABLE a (id int);\nCREATE TABLE b (id int,, x);", "m", Some(Dialect::Postgres)) {
        Err(ImportError::Syntax { line, .. }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
    match from_dbml("Table a {\n  id int\n  name varchar [not null\n}", "m") {
        Err(ImportError::Syntax { line, message }) => assert!(line >= 3, "{line} {message}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(from_sql("SELECT 1;", "m", None), Err(ImportError::Invalid(_))), "no table is an error");
}

#[test]
fn hostile_input_fails_cleanly() {
    // Deep nesting, unterminated everything, huge identifiers, binary noise.
    let deep = format!("CREATE TABLE t (c int DEFAULT {}1{});", "(".repeat(5000), ")".repeat(5000));
    assert!(from_sql(&deep, "m", None).is_err());
    let mut inputs = vec![
        "Table {".to_owned(),
        "Table a { id int [ref: > ".to_owned(),
        "'''".to_owned(),
        "/* never ends".to_owned(),
        "Enum e {".to_owned(),
    ];
    inputs.push(format!("Table {} {{ id int }}", "x".repeat(100_000)));
    inputs.push(String::from_utf8_lossy(&(0..4096u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>()).into_owned());
    for text in &inputs {
        let _ = from_dbml(text, "m");
        let _ = from_sql(text, "m", None);
    }
    let too_big = "-- x\n".repeat(atelier_interop::MAX_IMPORT_BYTES / 5 + 1);
    assert!(matches!(from_sql(&too_big, "m", None), Err(ImportError::Invalid(_))));
}

#[test]
fn export_is_ddl_that_reads_back() {
    let Imported { model: m, layout, .. } = from_sql(POSTGRES, "hr", None).unwrap();
    let columns = |m: &DataModel, l: &ModelLayout, e: &str| {
        l.field_order(&id(e), &m.entities[&id(e)]).iter().map(|(f, _)| f.to_string()).collect::<Vec<_>>()
    };
    for d in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let sql = to_sql(&m, &layout, d);
        let back = from_sql(&sql, "hr", Some(d)).unwrap_or_else(|e| panic!("{d:?}: {e}\n{sql}"));
        assert_eq!(back.model.entities.keys().collect::<Vec<_>>(), m.entities.keys().collect::<Vec<_>>(), "{d:?}");
        assert_eq!(back.model.entities[&id("expense-claim")].fields[&id("employee-id")].entity, Some(id("employee")), "{d:?}\n{sql}");
        // The columns come back in the order they were written, not by id.
        assert_eq!(columns(&back.model, &back.layout, "expense-claim"), columns(&m, &layout, "expense-claim"), "{d:?}\n{sql}");
    }
    assert_eq!(columns(&m, &layout, "expense-claim"), ["id", "employee-id", "amount", "spent-at"]);
    insta::assert_snapshot!("postgres_export", to_sql(&m, &layout, Dialect::Postgres));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// Any text, DBML-like or not, ends in a model or an error: no panic, no endless loop.
    #[test]
    fn any_text_terminates(text in "(Table|Enum|Ref|\\{|\\}|\\[|\\]|:|,|>|<|-|'|\"|`|\\.|[a-z_]{1,8}|[0-9]{1,3}|\\s|\\PC){0,80}") {
        let _ = from_dbml(&text, "m");
        let _ = from_sql(&text, "m", None);
    }
}
