//! `api_call` answers: from the test case's mocks, or, for hosts the project
//! allows live, from a real HTTP request.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use atelier_model::source::{Auth, Source};
use atelier_model::validate::url_host;
use atelier_model::workflow::HttpMethod;
use serde_json::Value;

use atelier_model::test_case::Mock;

use crate::interpreter::LiveGrants;
use crate::template::{render_text, render_value};

/// The longest any live call may take, whatever its source asks for.
pub const MAX_LIVE_TIMEOUT_MS: u64 = 30_000;
/// Redirects followed, each only to the same host (and never from https to http).
const MAX_REDIRECTS: usize = 5;
/// The largest answer read from a live call.
const MAX_LIVE_ANSWER: u64 = 8 * 1024 * 1024;
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
/// A status of 400 or more is an error (so retry policies apply). Live calls
/// go only to hosts in `opts.live_hosts`, which only the person at the
/// machine grants (never the repository), with secrets from `grants.secrets`.
pub fn answer(req: &HttpRequest, source: &Source, mocks: &[Mock], grants: &LiveGrants, state: &Value) -> Result<(Value, u64), StepError> {
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
    if grants.live_hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        let started = Instant::now();
        let (status, body) = live(req, source, grants)?;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        return status_checked(&what, status, body).map(|b| (b, ms));
    }
    Err(StepError::new(
        ErrorKind::NoMock,
        format!(
            "no mock for {what}; add one to the test case, or grant live calls to `{host}` on this machine \
             (`--allow-live {host}`, `atelier permissions --grant-live {host}`, or the app's Permissions)"
        ),
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

/// A real request. The secret's value comes from what the person granted
/// (`grants.secrets`), never from the project. Redirects are followed by hand,
/// only to the same host and scheme, so a secret never goes to another host.
fn live(req: &HttpRequest, source: &Source, grants: &LiveGrants) -> Result<(u16, Value), StepError> {
    let err = |m: String| StepError::new(ErrorKind::Http, m);
    let mut headers: Vec<(String, String)> = req.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(secret) = source.auth.secret() {
        let value = grants.secrets.get(secret.as_str()).ok_or_else(|| {
            err(format!(
                "secret `{secret}` is not granted on this machine; set ATELIER_SECRET_{secret}, or map it to a variable \
                 (`--secret {secret}=VARIABLE`, `atelier permissions --map-secret`, or the app's Permissions)"
            ))
        })?;
        headers.push(match &source.auth {
            Auth::ApiKey { header, .. } => (header.clone(), value.clone()),
            Auth::Bearer { .. } => ("Authorization".into(), format!("Bearer {value}")),
            Auth::Basic { username, .. } => ("Authorization".into(), format!("Basic {}", base64(&format!("{username}:{value}")))),
            Auth::None => unreachable!("a source without auth names no secret"),
        });
    }
    let body = match &req.body {
        Some(b) => {
            headers.push(("Content-Type".into(), "application/json".into()));
            serde_json::to_vec(b).expect("JSON values serialize")
        }
        None => Vec::new(),
    };
    // One deadline for the call and every redirect it follows.
    let timeout = Duration::from_millis(source.timeout_ms.unwrap_or(10_000).clamp(1, grants.max_timeout_ms.max(1)));
    let deadline = Instant::now() + timeout;
    let mut url = req.url.clone();
    for _ in 0..=MAX_REDIRECTS {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(err(format!("{} {url}: timed out after {} ms", req.method.as_str(), timeout.as_millis())));
        }
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(left)).http_status_as_error(false).max_redirects(0).build().into();
        let mut builder = ureq::http::Request::builder().method(req.method.as_str()).uri(&url);
        for (k, v) in &headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let request = builder.body(body.clone()).map_err(|e| err(format!("bad request to {url}: {e}")))?;
        let mut resp = agent.run(request).map_err(|e| err(format!("{} {url} failed: {e}", req.method.as_str())))?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            url = same_host_redirect(&url, &location).map_err(|why| err(format!("HTTP {status} from {url}: {why}")))?;
            continue;
        }
        let text = resp
            .body_mut()
            .with_config()
            .limit(MAX_LIVE_ANSWER)
            .read_to_string()
            .map_err(|e| err(format!("reading the answer of {url} failed: {e}")))?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        return Ok((status, body));
    }
    Err(err(format!("{} {}: more than {MAX_REDIRECTS} redirects", req.method.as_str(), req.url)))
}

/// Where a redirect from `from` to `location` goes, if it stays on the same
/// host with the same scheme; anything else is refused, since the request
/// carries the source's secret.
fn same_host_redirect(from: &str, location: &str) -> Result<String, String> {
    if location.is_empty() {
        return Err("a redirect without a Location".into());
    }
    let scheme = |u: &str| u.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    let target = if location.starts_with('/') && !location.starts_with("//") {
        let (s, rest) = from.split_once("://").ok_or("a redirect from a URL without a scheme")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        format!("{s}://{authority}{location}")
    } else if scheme(location).is_some() {
        location.to_owned()
    } else {
        return Err(format!("a redirect to `{location}`, which is not followed"));
    };
    let authority = |u: &str| {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        let a = rest.split(['/', '?', '#']).next().unwrap_or("");
        a.rsplit_once('@').map_or(a, |(_, h)| h).to_ascii_lowercase()
    };
    if scheme(&target) != scheme(from) || authority(&target) != authority(from) {
        return Err(format!("a redirect to another host or scheme (`{target}`) is refused: the request carries the source's secret"));
    }
    Ok(target)
}

fn base64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn redirects_stay_on_the_same_host_and_scheme() {
        use super::same_host_redirect as r;
        assert_eq!(r("https://a.example/x", "/y?z").unwrap(), "https://a.example/y?z");
        assert_eq!(r("https://a.example:8443/x", "/y").unwrap(), "https://a.example:8443/y");
        assert_eq!(r("https://a.example/x", "https://A.example/y").unwrap(), "https://A.example/y");
        for bad in [
            "https://evil.example/",
            "//evil.example/y",
            "http://a.example/y",
            "https://a.example:9/y",
            "https://a.example@evil.example/",
            "",
            "y",
        ] {
            assert!(r("https://a.example/x", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(super::base64("Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(super::base64("ab"), "YWI=");
    }
}
