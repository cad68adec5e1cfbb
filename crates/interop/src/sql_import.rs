//! SQL DDL in: `CREATE TABLE` (PostgreSQL, MySQL, SQLite), PostgreSQL's
//! `CREATE TYPE … AS ENUM`, and the keys and foreign keys `ALTER TABLE` adds
//! (as `pg_dump` writes them). Other statements are read past, with a note.

use sqlparser::ast::{
    AlterTableOperation, ColumnOption, CreateTable, CreateTableOptions, Expr, Ident, IndexColumn, ObjectName, SqlOption, Statement,
    TableConstraint, UnaryOperator, UserDefinedTypeRepresentation, Value as SqlValue,
};
use sqlparser::dialect::{Dialect as SqlDialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError};

use crate::build::{Builder, Column};
use crate::sql_export::Dialect;
use crate::{ImportError, Imported, MAX_IMPORT_BYTES};

/// How deep an expression in the input may nest before it is refused.
const RECURSION_LIMIT: usize = 64;

fn last(name: &ObjectName) -> String {
    name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.clone()).unwrap_or_default()
}

fn column_of(ic: &IndexColumn) -> Option<String> {
    match &ic.column.expr {
        Expr::Identifier(id) => Some(id.value.clone()),
        Expr::CompoundIdentifier(v) => v.last().map(|i| i.value.clone()),
        _ => None,
    }
}

fn literal(e: &Expr) -> Option<serde_json::Value> {
    match e {
        Expr::Value(v) => match &v.value {
            SqlValue::Number(n, _) => serde_json::from_str(n).ok(),
            SqlValue::Boolean(b) => Some(serde_json::Value::Bool(*b)),
            SqlValue::Null => None,
            other => other.clone().into_string().map(serde_json::Value::String),
        },
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match literal(expr)? {
            serde_json::Value::Number(n) => serde_json::from_str(&format!("-{n}")).ok(),
            _ => None,
        },
        Expr::Nested(inner) => literal(inner),
        // `'a'::mood`: the literal, cast.
        Expr::Cast { expr, .. } => literal(expr),
        _ => None,
    }
}

/// `… at Line: 3, Column: 5` → 3.
fn line_of(e: &ParserError) -> usize {
    let text = e.to_string();
    text.rsplit_once("Line: ").and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()).unwrap_or(0)
}

fn parse(text: &str, dialect: Option<Dialect>) -> Result<Vec<Statement>, ImportError> {
    let run = |d: &dyn SqlDialect| Parser::new(d).with_recursion_limit(RECURSION_LIMIT).try_with_sql(text)?.parse_statements();
    let tries: Vec<Box<dyn SqlDialect>> = match dialect {
        Some(Dialect::Postgres) => vec![Box::new(PostgreSqlDialect {})],
        Some(Dialect::Mysql) => vec![Box::new(MySqlDialect {})],
        Some(Dialect::Sqlite) => vec![Box::new(SQLiteDialect {})],
        // Each dialect reads what the others refuse (backticks, `AUTOINCREMENT`, `text[]`).
        None => vec![Box::new(PostgreSqlDialect {}), Box::new(MySqlDialect {}), Box::new(SQLiteDialect {}), Box::new(GenericDialect {})],
    };
    let mut first = None;
    for d in &tries {
        match run(d.as_ref()) {
            Ok(s) => return Ok(s),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    let e = first.expect("tried one dialect at least");
    let message = e.to_string().replace("sql parser error: ", "");
    let message = message.rsplit_once(" at Line: ").map_or(message.clone(), |(m, _)| m.to_owned());
    Err(ImportError::Syntax { line: line_of(&e), message })
}

fn table(b: &mut Builder, t: &CreateTable) -> Result<(), ImportError> {
    let name = last(&t.name);
    let mut columns = Vec::new();
    for c in &t.columns {
        let mut col = Column { name: c.name.value.clone(), written_type: c.data_type.to_string(), ..Column::default() };
        for o in &c.options {
            match &o.option {
                ColumnOption::NotNull => col.not_null = true,
                ColumnOption::PrimaryKey(_) => col.key = true,
                ColumnOption::Unique(_) => col.unique = true,
                ColumnOption::Default(e) => col.default = literal(e),
                ColumnOption::Comment(s) => col.description = s.clone(),
                ColumnOption::ForeignKey(fk) => {
                    col.references = Some((last(&fk.foreign_table), fk.referred_columns.first().map(|i| i.value.clone())))
                }
                ColumnOption::Check(_) => b.note(format!("table `{name}`, column `{}`: its CHECK is left out", c.name.value)),
                _ => {}
            }
        }
        columns.push(col);
    }
    for k in &t.constraints {
        constraint(b, &name, k, &mut columns);
    }
    let description = match &t.table_options {
        CreateTableOptions::Plain(opts) | CreateTableOptions::Options(opts) | CreateTableOptions::With(opts) => opts
            .iter()
            .find_map(|o| match o {
                SqlOption::Comment(c) => Some(comment_text(c)),
                _ => None,
            })
            .unwrap_or_default(),
        _ => t.comment.as_ref().map(comment_text).unwrap_or_default(),
    };
    b.table(&name, description, columns)
}

fn comment_text(c: &sqlparser::ast::CommentDef) -> String {
    match c {
        sqlparser::ast::CommentDef::WithEq(s) | sqlparser::ast::CommentDef::WithoutEq(s) => s.clone(),
    }
}

/// A table constraint, from `CREATE TABLE` (`columns` given) or `ALTER TABLE`.
fn constraint(b: &mut Builder, table: &str, k: &TableConstraint, columns: &mut [Column]) {
    let idents = |v: &[Ident]| v.iter().map(|i| i.value.clone()).collect::<Vec<_>>();
    match k {
        TableConstraint::PrimaryKey(pk) => {
            for c in pk.columns.iter().filter_map(column_of) {
                match columns.iter_mut().find(|x| x.name.eq_ignore_ascii_case(&c)) {
                    Some(col) => col.key = true,
                    None => b.key(table, &c),
                }
            }
        }
        TableConstraint::Unique(u) => b.unique(table, u.columns.iter().filter_map(column_of).collect()),
        TableConstraint::ForeignKey(fk) => {
            let (from, to) = (idents(&fk.columns), idents(&fk.referred_columns));
            if from.len() > 1 {
                b.note(format!("table `{table}`: a foreign key over {} columns is left out", from.len()));
            } else if let Some(c) = from.first() {
                b.reference(table, c, &last(&fk.foreign_table), to.first().cloned());
            }
        }
        TableConstraint::Check(_) => b.note(format!("table `{table}`: a CHECK constraint is left out")),
        _ => {}
    }
}

/// Reads SQL DDL into a data model named `name`. With no dialect, the first
/// of PostgreSQL, MySQL, SQLite and generic SQL that reads the whole text wins.
pub fn from_sql(text: &str, name: &str, dialect: Option<Dialect>) -> Result<Imported, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::Invalid(format!("the input is larger than {} MB", MAX_IMPORT_BYTES / 1024 / 1024)));
    }
    let statements = parse(text, dialect)?;
    let mut b = Builder::named(name);
    for s in &statements {
        match s {
            Statement::CreateTable(t) => table(&mut b, t)?,
            Statement::CreateType { name, representation: Some(UserDefinedTypeRepresentation::Enum { labels }) } => {
                b.enumeration(&last(name), labels.iter().map(|l| l.value.clone()).collect());
            }
            Statement::AlterTable(a) => {
                let t = last(&a.name);
                for op in &a.operations {
                    match op {
                        AlterTableOperation::AddConstraint { constraint: k, .. } => constraint(&mut b, &t, k, &mut []),
                        other => b.note(format!("ALTER TABLE `{t}`: `{}` is left out", short(&other.to_string()))),
                    }
                }
            }
            other => b.note(format!("`{}` is left out", short(&other.to_string()))),
        }
    }
    b.finish()
}

fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        format!("{}…", one.chars().take(59).collect::<String>())
    } else {
        one
    }
}
