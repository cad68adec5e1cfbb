//! `api_call` answers: from the test case's mocks, or, for hosts the project
//! allows live, from a real HTTP request.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use atelier_model::source::{Auth, Source};
use atelier_model::test_case::Mock;
use atelier_model::validate::url_host;
use atelier_model::workflow::HttpMethod;
use serde_json::Value;

use crate::template::{render_text, render_value};
use crate::trace::{ErrorKind, StepError};

/// The request an `api_call` step makes, after placeholders are filled.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: HttpMethod,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub body: Option<Value>,
}

/// Answers a request: the response body and the preview time it took.
/// A status of 400 or more is an error (so retry policies apply).
pub fn answer(
    req: &HttpRequest,
    source: &Source,
    mocks: &[Mock],
    live_hosts: &[String],
    state: &Value,
) -> Result<(Value, u64), StepError> {
    let what = format!("{} {}", req.method.as_str(), req.url);
    for mock in mocks {
        if mock.method != req.method {
            continue;
        }
        let url = render_text(&mock.url, state).map_err(|e| StepError::new(ErrorKind::Template, format!("mock url: {e}")))?;
        if url != req.url {
            continue;
        }
        if let Some(expected) = &mock.body {
            let expected = render_value(expected, state).map_err(|e| StepError::new(ErrorKind::Template, format!("mock body: {e}")))?;
            if req.body.as_ref() != Some(&expected) {
                continue;
            }
        }
        return status_checked(&what, mock.response.status, mock.response.body.clone()).map(|b| (b, 0));
    }
    let host = url_host(&req.url);
    if live_hosts.iter().any(|h| h == host) {
        let started = Instant::now();
        let (status, body) = live(req, source)?;
        let ms = started.elapsed().as_millis() as u64;
        return status_checked(&what, status, body).map(|b| (b, ms));
    }
    Err(StepError::new(
        ErrorKind::NoMock,
        format!("no mock for {what}; add one to the test case, or allow live calls to `{host}` in atelier.json (settings.preview.live_hosts)"),
    ))
}

fn status_checked(what: &str, status: u16, body: Value) -> Result<Value, StepError> {
    if status >= 400 {
        let mut text = match &body {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if text.len() > 200 {
            let cut = (200..text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            text.truncate(cut);
            text.push('…');
        }
        return Err(StepError::new(ErrorKind::Http, format!("HTTP {status} from {what}: {text}")));
    }
    Ok(body)
}

/// A real request. Secrets come from environment variables named like the
/// secret (`FX_API_KEY`), never from the project.
fn live(req: &HttpRequest, source: &Source) -> Result<(u16, Value), StepError> {
    let err = |m: String| StepError::new(ErrorKind::Http, m);
    let mut builder = ureq::http::Request::builder().method(req.method.as_str()).uri(&req.url);
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    if let Some(secret) = source.auth.secret() {
        let value = std::env::var(secret.as_str())
            .map_err(|_| err(format!("secret `{secret}` is not set; export it as an environment variable for live calls")))?;
        builder = match &source.auth {
            Auth::ApiKey { header, .. } => builder.header(header.as_str(), value),
            Auth::Bearer { .. } => builder.header("Authorization", format!("Bearer {value}")),
            Auth::Basic { username, .. } => {
                builder.header("Authorization", format!("Basic {}", base64(&format!("{username}:{value}"))))
            }
            Auth::None => builder,
        };
    }
    let body = match &req.body {
        Some(b) => {
            builder = builder.header("Content-Type", "application/json");
            serde_json::to_vec(b).expect("JSON values serialize")
        }
        None => Vec::new(),
    };
    let request = builder.body(body).map_err(|e| err(format!("bad request to {}: {e}", req.url)))?;
    let timeout = Duration::from_millis(source.timeout_ms.unwrap_or(10_000));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent.run(request).map_err(|e| err(format!("{} {} failed: {e}", req.method.as_str(), req.url)))?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(8 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| err(format!("reading the answer of {} failed: {e}", req.url)))?;
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok((status, body))
}

fn base64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(super::base64("Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(super::base64("ab"), "YWI=");
    }
}
