//! git's smart HTTP protocol for http:// and https:// remotes, over ureq
//! (rustls, with the platform's trust store), registered with libgit2 as its
//! transport for those schemes.
//!
//! Why not libgit2's own: built with OpenSSL, libgit2 creates an SSL context
//! as soon as it starts, in every process and every command, even those that
//! never reach a remote (1.4 ms, more than a third of what `git diff` takes,
//! BENCHMARKS.md). Here TLS starts only for a request that needs it.
//!
//! Logins come from git's credential helpers, the way git asks them: a 401
//! asks the helpers of the repository's config once, then the request is
//! repeated with the login; a second refusal is an authentication error.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, Once};

use base64::Engine;
use git2::transport::{Service, SmartSubtransport, SmartSubtransportStream, Transport};
use git2::{Error, ErrorClass, ErrorCode};

thread_local! {
    /// The config of the repository a fetch or push on this thread talks for,
    /// so its credential helpers are asked (libgit2 calls the transport on
    /// the thread that started the transfer).
    static CONFIG: RefCell<Option<git2::Config>> = const { RefCell::new(None) };
}

/// Runs `f` with `config` as the one credential helpers are read from.
pub(crate) fn with_config<T>(config: Option<git2::Config>, f: impl FnOnce() -> T) -> T {
    register();
    CONFIG.with(|c| *c.borrow_mut() = config);
    let out = f();
    CONFIG.with(|c| *c.borrow_mut() = None);
    out
}

/// Makes this transport libgit2's for http:// and https://, once per process.
pub(crate) fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for scheme in ["http", "https"] {
            // SAFETY: registered once, before any transfer, from one thread (`Once`).
            if let Err(e) = unsafe { git2::transport::register(scheme, factory) } {
                eprintln!("atelier: cannot register the {scheme} transport: {e}");
            }
        }
    });
}

fn factory(remote: &git2::Remote<'_>) -> Result<Transport, Error> {
    // A remote that stops answering must not hang a pull or push forever:
    // connecting, sending and the first byte of an answer each have a limit,
    // and a pack that stalls for longer than the body limit ends the transfer.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_resolve(Some(std::time::Duration::from_secs(30)))
        .timeout_connect(Some(std::time::Duration::from_secs(30)))
        .timeout_send_request(Some(std::time::Duration::from_secs(60)))
        .timeout_recv_response(Some(std::time::Duration::from_secs(120)))
        .timeout_recv_body(Some(std::time::Duration::from_secs(30 * 60)))
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::PlatformVerifier).build())
        .user_agent(concat!("git/2.0 (atelier ", env!("CARGO_PKG_VERSION"), ")"))
        .build()
        .into();
    Transport::smart(remote, true, Http { agent, login: Arc::new(Mutex::new(None)) })
}

/// One remote's HTTP session: the agent (its connection pool) and the login
/// once one was needed.
struct Http {
    agent: ureq::Agent,
    login: Arc<Mutex<Option<(String, String)>>>,
}

impl SmartSubtransport for Http {
    fn action(&self, url: &str, action: Service) -> Result<Box<dyn SmartSubtransportStream>, Error> {
        let base = url.trim_end_matches('/');
        let (method, path, service) = match action {
            Service::UploadPackLs => ("GET", "/info/refs?service=git-upload-pack", "git-upload-pack"),
            Service::UploadPack => ("POST", "/git-upload-pack", "git-upload-pack"),
            Service::ReceivePackLs => ("GET", "/info/refs?service=git-receive-pack", "git-receive-pack"),
            Service::ReceivePack => ("POST", "/git-receive-pack", "git-receive-pack"),
        };
        Ok(Box::new(Exchange {
            agent: self.agent.clone(),
            login: self.login.clone(),
            url: format!("{base}{path}"),
            base: base.to_owned(),
            method,
            service,
            body: Vec::new(),
            response: None,
        }))
    }

    fn close(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// One request and its answer: libgit2 writes the request body, then reads
/// the response, which is sent on the first read.
struct Exchange {
    agent: ureq::Agent,
    login: Arc<Mutex<Option<(String, String)>>>,
    url: String,
    base: String,
    method: &'static str,
    service: &'static str,
    body: Vec<u8>,
    response: Option<ureq::BodyReader<'static>>,
}

fn net(message: String) -> Error {
    Error::new(ErrorCode::GenericError, ErrorClass::Net, message)
}

impl Exchange {
    fn send(&self, login: Option<&(String, String)>) -> Result<ureq::http::Response<ureq::Body>, Error> {
        let mut req = ureq::http::Request::builder().method(self.method).uri(&self.url);
        if self.method == "POST" {
            req = req
                .header("Content-Type", format!("application/x-{}-request", self.service))
                .header("Accept", format!("application/x-{}-result", self.service));
        }
        if let Some((user, password)) = login {
            req = req.header(
                "Authorization",
                format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))),
            );
        }
        let req = req.body(self.body.clone()).map_err(|e| net(format!("bad request to {}: {e}", self.url)))?;
        self.agent.run(req).map_err(|e| match e {
            ureq::Error::Io(io) => net(format!("{}: {io}", self.base)),
            other => net(format!("{}: {other}", self.base)),
        })
    }

    /// git's credential helpers, asked the way git asks them, from the
    /// config of the repository this thread's transfer is for.
    fn ask_helpers(&self) -> Option<(String, String)> {
        let config = match CONFIG.with(|c| c.borrow_mut().as_mut().and_then(|c| c.snapshot().ok())) {
            Some(c) => c,
            None => git2::Config::open_default().ok()?,
        };
        git2::CredentialHelper::new(&self.base).config(&config).execute()
    }

    fn respond(&mut self) -> Result<(), Error> {
        let known = self.login.lock().ok().and_then(|l| l.clone());
        let mut resp = self.send(known.as_ref())?;
        if resp.status() == 401 {
            let login = self.ask_helpers().ok_or_else(|| {
                Error::new(
                    ErrorCode::Auth,
                    ErrorClass::Http,
                    format!("{} asks for a login and git's credential helpers have none", self.base),
                )
            })?;
            resp = self.send(Some(&login))?;
            if resp.status() == 401 || resp.status() == 403 {
                return Err(Error::new(ErrorCode::Auth, ErrorClass::Http, format!("{} refused the login of `{}`", self.base, login.0)));
            }
            if let Ok(mut l) = self.login.lock() {
                *l = Some(login);
            }
        }
        match resp.status().as_u16() {
            200..=299 => {}
            403 => return Err(Error::new(ErrorCode::Auth, ErrorClass::Http, format!("{} refused access (HTTP 403)", self.base))),
            404 => return Err(Error::new(ErrorCode::NotFound, ErrorClass::Http, format!("no git repository at {} (HTTP 404)", self.base))),
            s => return Err(Error::new(ErrorCode::GenericError, ErrorClass::Http, format!("{} answered HTTP {s}", self.base))),
        }
        self.response = Some(resp.into_body().into_reader());
        Ok(())
    }
}

impl Read for Exchange {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.response.is_none() {
            // libgit2 reads the error back from the transport's own message.
            self.respond().map_err(|e| std::io::Error::other(e.message().to_owned()))?;
        }
        self.response.as_mut().expect("sent just now").read(buf)
    }
}

impl Write for Exchange {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.body.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
