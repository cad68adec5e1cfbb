//! DBML (dbdiagram.io, dbdocs) in: `Table`, `Enum`, `Ref` and column
//! settings. Projects, table groups, notes on their own and indexes are read
//! past, with a note for what a data model cannot hold.

use serde_json::Value;

use crate::build::{Builder, Column};
use crate::{ImportError, Imported, MAX_IMPORT_BYTES};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A name, plain or `"quoted"`.
    Word(String),
    /// `'text'` or `'''text'''`.
    Str(String),
    /// `` `expression` ``.
    Expr(String),
    Num(String),
    Sym(char),
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    at: usize,
    line: usize,
}

fn err(line: usize, message: impl Into<String>) -> ImportError {
    ImportError::Syntax { line, message: message.into() }
}

impl<'a> Lexer<'a> {
    fn tokens(text: &'a str) -> Result<Vec<(Tok, usize)>, ImportError> {
        let mut lx = Lexer { src: text.as_bytes(), text, at: 0, line: 1 };
        let mut out = Vec::new();
        while let Some(t) = lx.next()? {
            out.push(t);
        }
        Ok(out)
    }

    fn peek(&self, off: usize) -> Option<u8> {
        self.src.get(self.at + off).copied()
    }

    /// Text up to `end` (not included), counting lines; none when it never ends.
    fn until(&mut self, end: &str) -> Option<String> {
        let rest = &self.text[self.at..];
        let i = rest.find(end)?;
        let s = rest[..i].to_owned();
        self.line += s.matches('\n').count();
        self.at += i + end.len();
        Some(s)
    }

    fn next(&mut self) -> Result<Option<(Tok, usize)>, ImportError> {
        loop {
            match self.peek(0) {
                None => return Ok(None),
                Some(b'\n') => {
                    self.line += 1;
                    self.at += 1;
                }
                Some(c) if c.is_ascii_whitespace() => self.at += 1,
                Some(b'/') if self.peek(1) == Some(b'/') => {
                    while self.peek(0).is_some_and(|c| c != b'\n') {
                        self.at += 1;
                    }
                }
                Some(b'/') if self.peek(1) == Some(b'*') => {
                    self.at += 2;
                    self.until("*/").ok_or_else(|| err(self.line, "a comment that never ends"))?;
                }
                Some(_) => break,
            }
        }
        let line = self.line;
        let c = self.peek(0).expect("not at the end");
        let tok = match c {
            b'\'' if self.text[self.at..].starts_with("'''") => {
                self.at += 3;
                Tok::Str(self.until("'''").ok_or_else(|| err(line, "a ''' string that never ends"))?)
            }
            b'\'' => {
                self.at += 1;
                let mut s = String::new();
                loop {
                    match self.text[self.at..].chars().next() {
                        None | Some('\n') => return Err(err(line, "a string that never ends")),
                        Some('\\') => {
                            self.at += 1;
                            if let Some(n) = self.text[self.at..].chars().next() {
                                s.push(n);
                                self.at += n.len_utf8();
                            }
                        }
                        Some('\'') => {
                            self.at += 1;
                            break;
                        }
                        Some(ch) => {
                            s.push(ch);
                            self.at += ch.len_utf8();
                        }
                    }
                }
                Tok::Str(s)
            }
            b'"' => {
                self.at += 1;
                Tok::Word(self.until("\"").ok_or_else(|| err(line, "a quoted name that never ends"))?)
            }
            b'`' => {
                self.at += 1;
                Tok::Expr(self.until("`").ok_or_else(|| err(line, "an expression that never ends"))?)
            }
            c if c.is_ascii_digit() || (c == b'-' && self.peek(1).is_some_and(|d| d.is_ascii_digit())) => {
                let start = self.at;
                self.at += 1;
                while self.peek(0).is_some_and(|d| d.is_ascii_digit() || d == b'.') {
                    self.at += 1;
                }
                Tok::Num(self.text[start..self.at].to_owned())
            }
            _ if self.text[self.at..].chars().next().is_some_and(|ch| ch.is_alphanumeric() || ch == '_') => {
                let start = self.at;
                while let Some(ch) = self.text[self.at..].chars().next().filter(|ch| ch.is_alphanumeric() || *ch == '_') {
                    self.at += ch.len_utf8();
                }
                Tok::Word(self.text[start..self.at].to_owned())
            }
            _ => {
                let ch = self.text[self.at..].chars().next().expect("not at the end");
                self.at += ch.len_utf8();
                Tok::Sym(ch)
            }
        };
        Ok(Some((tok, line)))
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    at: usize,
    b: Builder,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|t| &t.0)
    }
    fn line(&self) -> usize {
        self.toks.get(self.at).or(self.toks.last()).map_or(1, |t| t.1)
    }
    fn bump(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).map(|t| t.0.clone());
        self.at += 1;
        t
    }
    fn is_sym(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Sym(c))
    }
    fn eat_sym(&mut self, c: char) -> bool {
        let yes = self.is_sym(c);
        if yes {
            self.at += 1;
        }
        yes
    }
    fn expect_sym(&mut self, c: char) -> Result<(), ImportError> {
        if self.eat_sym(c) {
            Ok(())
        } else {
            Err(err(self.line(), format!("expected `{c}`")))
        }
    }
    fn word(&mut self) -> Result<String, ImportError> {
        match self.bump() {
            Some(Tok::Word(w)) => Ok(w),
            _ => Err(err(self.line(), "expected a name")),
        }
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    /// `schema.table` → `table`; `table.column` stays two parts for refs.
    fn dotted(&mut self) -> Result<Vec<String>, ImportError> {
        let mut parts = vec![self.word()?];
        while self.is_sym('.') {
            self.at += 1;
            if self.is_sym('(') {
                return Err(err(self.line(), "composite references are not supported"));
            }
            parts.push(self.word()?);
        }
        Ok(parts)
    }

    /// Skips a balanced `{ ... }` (or `[ ... ]`) starting at the opener.
    fn skip_block(&mut self) -> Result<(), ImportError> {
        let line = self.line();
        let (open, close) = match self.bump() {
            Some(Tok::Sym('{')) => ('{', '}'),
            Some(Tok::Sym('[')) => ('[', ']'),
            _ => return Err(err(line, "expected a block")),
        };
        let mut depth = 1usize;
        while depth > 0 {
            match self.bump() {
                None => return Err(err(line, format!("a `{open}` that is never closed"))),
                Some(Tok::Sym(c)) if c == open => depth += 1,
                Some(Tok::Sym(c)) if c == close => depth -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    fn file(&mut self) -> Result<(), ImportError> {
        while let Some(t) = self.peek().cloned() {
            let line = self.line();
            match t {
                Tok::Word(w) if w.eq_ignore_ascii_case("table") => {
                    self.at += 1;
                    self.table()?;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("enum") => {
                    self.at += 1;
                    self.enumeration()?;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("ref") => {
                    self.at += 1;
                    self.reference()?;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("project") => {
                    self.at += 1;
                    let name = self.word()?;
                    self.b.name = name;
                    self.skip_block()?;
                }
                Tok::Word(w) if ["tablegroup", "tablepartial", "note", "records"].iter().any(|k| w.eq_ignore_ascii_case(k)) => {
                    self.at += 1;
                    while !self.is_sym('{') && !self.is_sym(':') && self.peek().is_some() {
                        self.at += 1;
                    }
                    if self.eat_sym(':') {
                        self.bump();
                    } else {
                        self.skip_block()?;
                    }
                    self.b.note(format!("line {line}: `{w}` is left out"));
                }
                _ => return Err(err(line, "expected `Table`, `Enum`, `Ref` or `Project`")),
            }
        }
        Ok(())
    }

    fn table(&mut self) -> Result<(), ImportError> {
        let name = self.dotted()?.pop().expect("one part at least");
        if self.is_word("as") {
            self.at += 1;
            self.word()?;
        }
        if self.is_sym('[') {
            self.skip_block()?;
        }
        self.expect_sym('{')?;
        let mut columns = Vec::new();
        let mut description = String::new();
        loop {
            let line = self.line();
            match self.peek().cloned() {
                None => return Err(err(line, format!("table `{name}` is never closed"))),
                Some(Tok::Sym('}')) => {
                    self.at += 1;
                    break;
                }
                Some(Tok::Word(w))
                    if w.eq_ignore_ascii_case("note") && matches!(self.toks.get(self.at + 1), Some((Tok::Sym(':' | '{'), _))) =>
                {
                    self.at += 1;
                    if self.eat_sym(':') {
                        if let Some(Tok::Str(s)) = self.bump() {
                            description = s;
                        }
                    } else {
                        self.skip_block()?;
                    }
                }
                Some(Tok::Word(w))
                    if w.eq_ignore_ascii_case("indexes") && matches!(self.toks.get(self.at + 1), Some((Tok::Sym('{'), _))) =>
                {
                    self.at += 1;
                    self.skip_block()?;
                    self.b.note(format!("table `{name}`: indexes are left out"));
                }
                Some(Tok::Word(_)) => columns.push(self.column(&name)?),
                Some(_) => return Err(err(line, format!("table `{name}`: expected a column"))),
            }
        }
        self.b.table(&name, description, columns)
    }

    fn column(&mut self, table: &str) -> Result<Column, ImportError> {
        let line = self.line();
        let name = self.word()?;
        let mut written_type = match self.bump() {
            Some(Tok::Word(w)) => w,
            _ => return Err(err(line, format!("table `{table}`, column `{name}`: expected a type"))),
        };
        // `schema.type`, `varchar(80)`, `decimal(10, 2)`, `int[]`.
        while self.eat_sym('.') {
            written_type = self.word()?;
        }
        if self.is_sym('(') {
            self.at += 1;
            let mut args = Vec::new();
            while !self.eat_sym(')') {
                match self.bump() {
                    Some(Tok::Num(n)) | Some(Tok::Word(n)) => args.push(n),
                    Some(Tok::Str(s)) => args.push(format!("'{}'", s.replace('\'', "''"))),
                    Some(Tok::Sym(',')) => {}
                    _ => return Err(err(line, format!("table `{table}`, column `{name}`: a type's arguments are not closed"))),
                }
            }
            written_type = format!("{written_type}({})", args.join(","));
        }
        if self.is_sym('[') && matches!(self.toks.get(self.at + 1), Some((Tok::Sym(']'), _))) {
            self.at += 2;
            written_type.push_str("[]");
        }
        let mut col = Column { name, written_type, ..Column::default() };
        if self.eat_sym('[') {
            self.settings(table, &mut col)?;
        }
        Ok(col)
    }

    /// `[pk, not null, unique, default: 1, note: 'x', ref: > users.id]`, after the `[`.
    fn settings(&mut self, table: &str, col: &mut Column) -> Result<(), ImportError> {
        loop {
            let line = self.line();
            let mut words = Vec::new();
            while let Some(Tok::Word(w)) = self.peek().cloned() {
                words.push(w.to_ascii_lowercase());
                self.at += 1;
            }
            let key = words.join(" ");
            if self.eat_sym(':') {
                match key.as_str() {
                    "default" => col.default = self.value(),
                    "note" => {
                        if let Some(Tok::Str(s)) = self.bump() {
                            col.description = s;
                        }
                    }
                    "ref" => {
                        let op = self.ref_op()?;
                        let mut to = self.dotted()?;
                        let column = if to.len() > 1 { to.pop() } else { None };
                        let to_table = to.pop().unwrap_or_default();
                        match op.as_str() {
                            ">" | "-" => col.references = Some((to_table, column)),
                            "<" => self.b.reference(&to_table, column.as_deref().unwrap_or("id"), table, Some(col.name.clone())),
                            _ => self.b.many_to_many(table, &to_table),
                        }
                    }
                    _ => {
                        self.bump();
                    }
                }
            } else {
                match key.as_str() {
                    "pk" | "primary key" => col.key = true,
                    "not null" => col.not_null = true,
                    "unique" => col.unique = true,
                    "null" | "increment" | "" => {}
                    other => self.b.note(format!("line {line}: table `{table}`, column `{}`: setting `{other}` is left out", col.name)),
                }
            }
            if self.eat_sym(',') {
                continue;
            }
            if self.eat_sym(']') {
                return Ok(());
            }
            return Err(err(line, format!("table `{table}`, column `{}`: expected `,` or `]` in its settings", col.name)));
        }
    }

    fn value(&mut self) -> Option<Value> {
        match self.bump()? {
            Tok::Str(s) => Some(Value::String(s)),
            Tok::Num(n) => serde_json::from_str(&n).ok(),
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
            // `now()`, `null`: an expression the database computes, not a design default.
            _ => None,
        }
    }

    fn ref_op(&mut self) -> Result<String, ImportError> {
        let line = self.line();
        let op = match self.bump() {
            Some(Tok::Sym('<')) if self.eat_sym('>') => "<>",
            Some(Tok::Sym('<')) => "<",
            Some(Tok::Sym('>')) => ">",
            Some(Tok::Sym('-')) => "-",
            _ => return Err(err(line, "expected a relation: `>`, `<`, `-` or `<>`")),
        };
        Ok(op.to_owned())
    }

    /// `Ref name: a.b > c.d [settings]`, or `Ref name { a.b > c.d }`.
    fn reference(&mut self) -> Result<(), ImportError> {
        if let Some(Tok::Word(_)) = self.peek() {
            self.at += 1;
        }
        let braced = if self.eat_sym(':') {
            false
        } else {
            self.expect_sym('{')?;
            true
        };
        let line = self.line();
        let mut from = self.dotted()?;
        let op = self.ref_op()?;
        let mut to = self.dotted()?;
        if from.len() < 2 || to.len() < 2 {
            return Err(err(line, "a reference names `table.column` on both sides"));
        }
        let (fc, tc) = (from.pop().expect("two parts"), to.pop().expect("two parts"));
        let (ft, tt) = (from.pop().expect("two parts"), to.pop().expect("two parts"));
        match op.as_str() {
            ">" | "-" => self.b.reference(&ft, &fc, &tt, Some(tc)),
            "<" => self.b.reference(&tt, &tc, &ft, Some(fc)),
            _ => self.b.many_to_many(&ft, &tt),
        }
        if self.is_sym('[') {
            self.skip_block()?;
        }
        if braced {
            self.expect_sym('}')?;
        }
        Ok(())
    }

    fn enumeration(&mut self) -> Result<(), ImportError> {
        let name = self.dotted()?.pop().expect("one part at least");
        self.expect_sym('{')?;
        let mut values = Vec::new();
        loop {
            let line = self.line();
            match self.bump() {
                Some(Tok::Sym('}')) => break,
                Some(Tok::Word(v)) | Some(Tok::Str(v)) | Some(Tok::Num(v)) => {
                    values.push(v);
                    if self.is_sym('[') {
                        self.skip_block()?;
                    }
                }
                _ => return Err(err(line, format!("enum `{name}`: expected a value or `}}`"))),
            }
        }
        self.b.enumeration(&name, values);
        Ok(())
    }
}

/// Reads DBML into a data model named `name` (a `Project` block's name wins).
pub fn from_dbml(text: &str, name: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::Invalid(format!("the input is larger than {} MB", MAX_IMPORT_BYTES / 1024 / 1024)));
    }
    let toks = Lexer::tokens(text)?;
    let mut p = Parser { toks, at: 0, b: Builder::named(name) };
    p.file()?;
    p.b.finish()
}
