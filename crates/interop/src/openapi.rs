//! Sources from OpenAPI 3.0 and 3.1 descriptions (JSON or YAML): the base
//! URL, the auth scheme by the name of a secret, and every operation with
//! its parameters, whether it takes a body, and an example response for
//! test-case mocks.

use std::collections::{BTreeMap, BTreeSet};

use atelier_model::id::SecretName;
use atelier_model::source::{Auth, BodyUse, Operation, Parameter, ParameterLocation, SecretKind, Source};
use atelier_model::workflow::HttpMethod;
use atelier_model::Id;
use serde_json::Value;

use crate::names::field_id;
use crate::ImportError;

/// The most operations an import builds.
pub const MAX_OPERATIONS: usize = 2_000;
/// Example responses larger than this are left out of the source file.
const MAX_EXAMPLE_BYTES: usize = 16 * 1024;

/// A source read from an OpenAPI description, the secret it needs, and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSource {
    pub source: Source,
    pub secret: Option<(SecretName, SecretKind)>,
    pub notes: Vec<String>,
}

/// Reads JSON or YAML text as a JSON value.
fn parse(text: &str) -> Result<Value, ImportError> {
    if text.len() > crate::MAX_IMPORT_BYTES {
        return Err(ImportError::Invalid(format!("the file is larger than {} MB", crate::MAX_IMPORT_BYTES / 1024 / 1024)));
    }
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| ImportError::Syntax { line: e.line(), message: e.to_string() })
    } else {
        serde_yaml_ng::from_str(text)
            .map_err(|e| ImportError::Syntax { line: e.location().map_or(0, |l| l.line()), message: e.to_string() })
    }
}

/// `#/components/parameters/Currency` → that parameter (local references only, a few deep).
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..8 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else { return v };
        let Some(pointer) = r.strip_prefix('#') else { return v };
        match doc.pointer(pointer) {
            Some(next) => v = next,
            None => return v,
        }
    }
    v
}

pub fn import(text: &str, source_id: &Id) -> Result<ImportedSource, ImportError> {
    let doc = parse(text)?;
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.") {
        let what = if doc.get("swagger").is_some() { "Swagger 2.0".to_owned() } else { format!("version `{version}`") };
        return Err(ImportError::Invalid(format!("this is {what}, not OpenAPI 3.0 or 3.1; convert it first")));
    }
    let mut notes = Vec::new();
    let info = doc.get("info").cloned().unwrap_or(Value::Null);
    let name = info.get("title").and_then(Value::as_str).unwrap_or(source_id.as_str()).to_owned();
    let description: String =
        info.get("description").and_then(Value::as_str).unwrap_or("").lines().next().unwrap_or("").chars().take(300).collect();

    let server = doc.pointer("/servers/0").cloned().unwrap_or(Value::Null);
    let mut base_url = server.get("url").and_then(Value::as_str).unwrap_or("").to_owned();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (k, v) in vars {
            if let Some(d) = v.get("default").and_then(Value::as_str) {
                base_url = base_url.replace(&format!("{{{k}}}"), d);
            }
        }
    }
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        notes.push(format!("the server URL `{base_url}` is not absolute; set the source's base_url"));
        base_url = format!("https://localhost{}", if base_url.starts_with('/') { base_url.as_str() } else { "" });
    }
    let base_url = base_url.trim_end_matches('/').to_owned();

    let (auth, secret) = auth_of(&doc, source_id, &mut notes);

    let mut operations = BTreeMap::new();
    let mut taken = BTreeSet::new();
    let paths = doc.get("paths").and_then(Value::as_object).cloned().unwrap_or_default();
    for (path, item) in &paths {
        let item = resolve(&doc, item);
        let shared: Vec<Value> = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        for (m, op) in item.as_object().into_iter().flatten() {
            let method = match m.as_str() {
                "get" => HttpMethod::Get,
                "post" => HttpMethod::Post,
                "put" => HttpMethod::Put,
                "patch" => HttpMethod::Patch,
                "delete" => HttpMethod::Delete,
                "head" | "options" | "trace" => {
                    notes.push(format!("{} {path}: Atelier does not make {} requests; it is left out", m.to_uppercase(), m.to_uppercase()));
                    continue;
                }
                _ => continue,
            };
            if operations.len() >= MAX_OPERATIONS {
                return Err(ImportError::Invalid(format!("the description has more than {MAX_OPERATIONS} operations")));
            }
            let op_id = op.get("operationId").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(|| format!("{m} {path}"));
            let base = field_id(&op_id).map(|i| i.to_string()).unwrap_or_else(|| "operation".to_owned());
            let mut id = Id::new(base.clone()).expect("slugs are ids");
            let mut k = 2;
            while !taken.insert(id.clone()) {
                id = Id::new(format!("{base}-{k}")).expect("slugs are ids");
                k += 1;
            }
            let mut parameters: Vec<Parameter> = Vec::new();
            let own: Vec<Value> = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            for p in shared.iter().chain(own.iter()) {
                let p = resolve(&doc, p);
                let pname = p.get("name").and_then(Value::as_str).unwrap_or("").to_owned();
                let location = match p.get("in").and_then(Value::as_str) {
                    Some("path") => ParameterLocation::Path,
                    Some("query") => ParameterLocation::Query,
                    Some("header") => ParameterLocation::Header,
                    other => {
                        notes.push(format!("{id}: parameter `{pname}` in {} is left out", other.unwrap_or("?")));
                        continue;
                    }
                };
                let required = location == ParameterLocation::Path || p.get("required").and_then(Value::as_bool).unwrap_or(false);
                // An operation's own parameter replaces the path's of the same name and place.
                parameters.retain(|q| !(q.name == pname && q.location == location));
                parameters.push(Parameter { name: pname, location, required });
            }
            let body = match op.get("requestBody").map(|b| resolve(&doc, b)) {
                None => BodyUse::None,
                Some(b) if b.get("required").and_then(Value::as_bool) == Some(true) => BodyUse::Required,
                Some(_) => BodyUse::Optional,
            };
            let example = example_of(&doc, op);
            let summary: String = op.get("summary").and_then(Value::as_str).unwrap_or("").chars().take(200).collect();
            operations.insert(id, Operation { method, path: path.clone(), summary, parameters, body, example });
        }
    }
    if operations.is_empty() {
        notes.push("the description has no operations".to_owned());
    }
    let source = Source {
        schema: Some(atelier_model::schema::url(atelier_model::schema::SOURCE)),
        name,
        description,
        base_url,
        auth,
        headers: BTreeMap::new(),
        timeout_ms: None,
        operations,
    };
    Ok(ImportedSource { source, secret, notes })
}

/// The first security scheme the description requires (or defines), by the name of a secret.
fn auth_of(doc: &Value, source_id: &Id, notes: &mut Vec<String>) -> (Auth, Option<(SecretName, SecretKind)>) {
    let schemes = doc.pointer("/components/securitySchemes").and_then(Value::as_object);
    let Some(schemes) = schemes else { return (Auth::None, None) };
    let required = doc.pointer("/security/0").and_then(Value::as_object).and_then(|o| o.keys().next().cloned());
    let Some(key) = required.or_else(|| schemes.keys().next().cloned()) else { return (Auth::None, None) };
    let Some(scheme) = schemes.get(&key).map(|s| resolve(doc, s)) else { return (Auth::None, None) };
    let stem = source_id.as_str().to_ascii_uppercase().replace('-', "_");
    let stem = if stem.starts_with(|c: char| c.is_ascii_uppercase()) { stem } else { format!("API_{stem}") };
    let secret = |suffix: &str| SecretName::new(format!("{stem}_{suffix}")).expect("upper case letters, digits and _");
    match (scheme.get("type").and_then(Value::as_str), scheme.get("scheme").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref())
    {
        (Some("apiKey"), _) if scheme.get("in").and_then(Value::as_str) == Some("header") => {
            let header = scheme.get("name").and_then(Value::as_str).unwrap_or("X-Api-Key").to_owned();
            let s = secret("API_KEY");
            (Auth::ApiKey { secret: s.clone(), header }, Some((s, SecretKind::ApiKey)))
        }
        (Some("http"), Some("bearer")) => {
            let s = secret("TOKEN");
            (Auth::Bearer { secret: s.clone() }, Some((s, SecretKind::Token)))
        }
        (Some("http"), Some("basic")) => {
            let s = secret("PASSWORD");
            notes.push(format!("security scheme `{key}`: set the user name in the source's auth"));
            (Auth::Basic { username: String::new(), secret: s.clone() }, Some((s, SecretKind::Password)))
        }
        (Some("oauth2" | "openIdConnect"), _) => {
            let s = secret("TOKEN");
            notes.push(format!("security scheme `{key}` is OAuth: Atelier sends a token you obtain yourself as a bearer token"));
            (Auth::Bearer { secret: s.clone() }, Some((s, SecretKind::Token)))
        }
        _ => {
            notes.push(format!(
                "security scheme `{key}` has no Atelier counterpart (a key in the query or a cookie); set the source's auth"
            ));
            (Auth::None, None)
        }
    }
}

/// An example body of the first successful JSON response.
fn example_of(doc: &Value, op: &Value) -> Option<Value> {
    let responses = op.get("responses")?.as_object()?;
    let (_, ok) = responses.iter().find(|(code, _)| code.starts_with('2'))?;
    let ok = resolve(doc, ok);
    let media = ok.get("content")?.as_object()?.iter().find(|(t, _)| t.contains("json")).map(|(_, m)| m)?;
    let example = media
        .get("example")
        .cloned()
        .or_else(|| media.get("examples")?.as_object()?.values().next().map(|e| resolve(doc, e)).and_then(|e| e.get("value").cloned()))
        .or_else(|| resolve(doc, media.get("schema")?).get("example").cloned())?;
    (serde_json::to_string(&example).map_or(0, |s| s.len()) <= MAX_EXAMPLE_BYTES).then_some(example)
}
