//! HTTP request nodes as `api_call` steps: the URL's origin becomes a source
//! (one per origin), the rest the step's path, with `{{input.x}}` placeholders
//! where the other tool read the item or message.

use std::collections::BTreeMap;

use atelier_model::source::{Auth, Source};
use atelier_model::workflow::HttpMethod;
use atelier_model::Id;
use serde_json::Value;

use super::graph::{Draft, Graph};
use super::js;
use crate::names::field_id;

/// `https://api.example.com:8443/v1/x?y=1` → (`https://api.example.com:8443`, `/v1/x?y=1`).
pub(crate) fn split_url(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    if host.is_empty() || host.contains(['{', '}', ' ', '@']) {
        return None;
    }
    let path = &rest[end..];
    let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
    Some((format!("{scheme}://{host}"), path))
}

/// The source for `origin`, made once per origin; its id is the host's slug.
pub(crate) fn source_for(origin: &str, g: &mut Graph) -> Id {
    origin_source(&mut g.sources, origin, Auth::None, None, "Imported: the origin of an HTTP request node.")
}

/// The source among `sources` for `origin` and `auth`, or a new one whose id
/// is the host's slug (`api-example-com`, then `-2`...). Shared by the imports.
pub(crate) fn origin_source(
    sources: &mut BTreeMap<Id, Source>,
    origin: &str,
    auth: Auth,
    timeout_ms: Option<u64>,
    description: &str,
) -> Id {
    if let Some((id, _)) = sources.iter().find(|(_, s)| s.base_url == origin && s.auth == auth) {
        return id.clone();
    }
    let host = origin.split_once("://").map_or(origin, |(_, h)| h);
    let base = field_id(host).map(|i| i.to_string()).unwrap_or_else(|| "api".to_owned());
    let mut id = Id::new(base.clone()).expect("slugs are ids");
    let mut n = 2;
    while sources.contains_key(&id) {
        id = Id::new(format!("{base}-{n}")).expect("slugs are ids");
        n += 1;
    }
    let source = Source {
        schema: Some(atelier_model::schema::url(atelier_model::schema::SOURCE)),
        name: host.to_owned(),
        description: description.to_owned(),
        base_url: origin.to_owned(),
        auth,
        headers: BTreeMap::new(),
        timeout_ms,
        operations: Default::default(),
    };
    sources.insert(id.clone(), source);
    id
}

/// An n8n expression text (`=https://x/{{ $json.id }}`) as Atelier's
/// placeholder text (`https://x/{{input.id}}`); none when a part reads more
/// than the item's own fields.
pub(crate) fn n8n_template(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s,
        Value::Null => return Some(String::new()),
        other => return Some(other.to_string()),
    };
    let Some(text) = text.strip_prefix('=') else { return Some(text.clone()) };
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let close = rest[open..].find("}}")? + open;
        out.push_str(&rest[..open]);
        let expr = rest[open + 2..close].trim();
        let field = expr.strip_prefix("$json.").filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))?;
        out.push_str(&format!("{{{{input.{field}}}}}"));
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    Some(out)
}

fn method(m: &str) -> Option<HttpMethod> {
    Some(match m.to_ascii_uppercase().as_str() {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        _ => return None,
    })
}

/// Name/value lists, v3+ (`{parameters: [...]}`) and v1/v2 (`{parameter: [...]}`).
fn pairs(v: Option<&Value>) -> Vec<(String, Value)> {
    let list = v.and_then(|v| v.get("parameters").or_else(|| v.get("parameter"))).and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|p| (p.get("name").and_then(Value::as_str).unwrap_or("").to_owned(), p.get("value").cloned().unwrap_or(Value::Null)))
        .collect()
}

/// An n8n HTTP Request node (v1 to v4).
pub(crate) fn api_call(p: &Value, version: f64, what: &str, g: &mut Graph) -> Draft {
    let unfinished = |why: String| Draft::Code { transform: false, script: js::placeholder(what, p), unfinished: Some(why) };
    let key = if version >= 3.0 { "method" } else { "requestMethod" };
    let m = p.get(key).and_then(Value::as_str).unwrap_or("GET");
    let Some(method) = method(m) else { return unfinished(format!("it sends {m} requests, which Atelier does not make")) };
    let Some(url) = p.get("url").and_then(n8n_template) else {
        return unfinished("its URL reads other nodes; write the call by hand".to_owned());
    };
    let Some((origin, mut path)) = split_url(&url) else {
        return unfinished(format!("its URL {} does not name a fixed http(s) host", js::string(&url)));
    };
    let (query, headers, body) = if version >= 3.0 {
        let on = |k: &str| p.get(k).and_then(Value::as_bool).unwrap_or(false);
        let q = if on("sendQuery") { pairs(p.get("queryParameters")) } else { Vec::new() };
        let h = if on("sendHeaders") { pairs(p.get("headerParameters")) } else { Vec::new() };
        let body = if !on("sendBody") {
            None
        } else if p.get("specifyBody").and_then(Value::as_str) == Some("json") {
            Some(p.get("jsonBody").cloned().unwrap_or(Value::Null))
        } else {
            Some(Value::Object(pairs(p.get("bodyParameters")).into_iter().collect()))
        };
        (q, h, body)
    } else {
        let body = pairs(p.get("bodyParametersUi"));
        let body = (!body.is_empty()).then(|| Value::Object(body.into_iter().collect()));
        (pairs(p.get("queryParametersUi")), pairs(p.get("headerParametersUi")), body)
    };
    for (i, (name, value)) in query.iter().enumerate() {
        let Some(value) = n8n_template(value) else {
            return unfinished(format!("its query parameter {} reads other nodes", js::string(name)));
        };
        path.push(if i == 0 && !path.contains('?') { '?' } else { '&' });
        path.push_str(&format!("{name}={value}"));
    }
    let mut header_map = BTreeMap::new();
    for (name, value) in headers {
        let Some(value) = n8n_template(&value) else { return unfinished(format!("its header {} reads other nodes", js::string(&name))) };
        header_map.insert(name, value);
    }
    let body = match body {
        Some(Value::String(text)) => match text.strip_prefix('=').unwrap_or(&text).trim() {
            t if t.starts_with('{') || t.starts_with('[') => match serde_json::from_str::<Value>(t) {
                Ok(v) => Some(v),
                Err(_) => return unfinished("its JSON body is an expression; write it as a template over `input`".to_owned()),
            },
            _ => return unfinished("its JSON body is an expression; write it as a template over `input`".to_owned()),
        },
        Some(Value::Object(fields)) => {
            let mut out = serde_json::Map::new();
            for (k, v) in fields {
                let Some(t) = n8n_template(&v) else { return unfinished(format!("its body field {} reads other nodes", js::string(&k))) };
                out.insert(k, Value::String(t));
            }
            Some(Value::Object(out))
        }
        other => other,
    };
    if p.get("authentication").and_then(Value::as_str).is_some_and(|a| a != "none") {
        g.notes.push(format!("{what}: its n8n credentials are not imported; name a secret in the source's `auth`"));
    }
    let source = source_for(&origin, g);
    Draft::Api { source, method, path, headers: header_map, body }
}

/// A Node-RED `http request` node: the URL is fixed, or set by `msg.url`.
pub(crate) fn node_red_request(n: &Value, what: &str, g: &mut Graph) -> Draft {
    let unfinished = |why: String| Draft::Code { transform: false, script: js::placeholder(what, n), unfinished: Some(why) };
    let m = n.get("method").and_then(Value::as_str).unwrap_or("GET");
    let Some(method) = method(m) else { return unfinished(format!("its method is {m}; set it in the step")) };
    let url = n.get("url").and_then(Value::as_str).unwrap_or("");
    // Node-RED fills `{{{msg.x}}}` and `{{msg.x}}` in the URL from the message.
    let url = url.replace("{{{", "{{").replace("}}}", "}}").replace("{{msg.", "{{input.");
    let Some((origin, path)) = split_url(&url) else {
        return unfinished("its URL comes from `msg.url`; choose a source and a path".to_owned());
    };
    if n.get("authType").and_then(Value::as_str).is_some_and(|a| !a.is_empty()) {
        g.notes.push(format!("{what}: its credentials are not imported; name a secret in the source's `auth`"));
    }
    let source = source_for(&origin, g);
    Draft::Api { source, method, path, headers: BTreeMap::new(), body: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls_split_into_origin_and_path() {
        assert_eq!(split_url("https://api.ipify.org?format=json"), Some(("https://api.ipify.org".into(), "/?format=json".into())));
        assert_eq!(split_url("http://localhost:1880/hello"), Some(("http://localhost:1880".into(), "/hello".into())));
        assert_eq!(split_url("ftp://x/y"), None);
        assert_eq!(split_url("https://{{input.host}}/y"), None);
    }

    #[test]
    fn n8n_url_expressions_become_placeholders() {
        assert_eq!(n8n_template(&json!("=https://x.org/users/{{ $json.id }}")).as_deref(), Some("https://x.org/users/{{input.id}}"));
        assert_eq!(n8n_template(&json!("=https://x.org/{{ $('A').item.json.id }}")), None);
    }
}
