//! An https remote, end to end: `git http-backend` behind TLS and Basic auth
//! on 127.0.0.1, a test certificate authority, and git's credential store.

use std::fs;
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use predicates::str::contains;

use crate::support::{repo_root, Sandbox};

struct HttpsServer(Child, u16);

impl Drop for HttpsServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A certificate authority and a certificate for 127.0.0.1 signed by it.
fn certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Atelier test CA",
        ],
    );
    openssl(dir, &["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
    fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ],
    );
}

fn start(root: &Path, certs: &Path) -> HttpsServer {
    let script = repo_root().join("crates/store/tests/store/git_http.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(root)
        .args(["ann", "s3cret"])
        .arg(certs.join("server.pem"))
        .arg(certs.join("server.key"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    HttpsServer(child, line.trim().parse().unwrap())
}

#[test]
fn pull_and_push_over_https_log_in_through_gits_credential_helpers() {
    let s = Sandbox::new();
    s.set_author();
    let certs = s.path("certs");
    fs::create_dir_all(&certs).unwrap();
    certificates(&certs);
    let served = s.path("served");
    fs::create_dir_all(&served).unwrap();
    let origin = served.join("team.git");
    assert!(s.git(&served).args(["init", "-q", "--bare", "-b", "main"]).arg(&origin).status().unwrap().success());
    assert!(s.git(&origin).args(["config", "http.receivepack", "true"]).status().unwrap().success());
    let server = start(&served, &certs);

    s.atelier().args(["init", "p", "--example"]).assert().success();
    assert!(s.git(&s.path("p")).args(["checkout", "-q", "-b", "main"]).status().unwrap().success());
    s.atelier().args(["-C", "p", "commit", "-m", "Example"]).assert().success();
    let url = format!("https://127.0.0.1:{}/team.git", server.1);
    s.atelier().args(["-C", "p", "remote", "origin", &url]).assert().success();

    // The test authority is not trusted yet: the certificate is refused, and said so.
    s.atelier().args(["-C", "p", "push"]).assert().code(2).stderr(contains("certificate is not trusted"));
    // Trusted (as a company's authority would be in the system's store), but no login yet.
    let trusted = |c: &mut assert_cmd::Command| {
        c.env("SSL_CERT_FILE", certs.join("ca.pem"));
    };
    let mut push = s.atelier();
    trusted(&mut push);
    push.args(["-C", "p", "push"]).assert().code(2).stderr(contains("authentication failed"));

    // git's own credential store holds the login.
    let store = s.path("credentials");
    fs::write(&store, format!("https://ann:s3cret@127.0.0.1:{}\n", server.1)).unwrap();
    assert!(s
        .git(&s.path("p"))
        .args(["config", "credential.helper"])
        .arg(format!("store --file={}", store.display()))
        .status()
        .unwrap()
        .success());
    let mut push = s.atelier();
    trusted(&mut push);
    push.args(["-C", "p", "push"]).assert().success().stdout("pushed to origin\n");
    assert_eq!(s.last_commit(&origin), "Example");

    // Someone else's commit arrives by pull.
    s.bob_pushes_a_rename(&origin);
    let mut pull = s.atelier();
    trusted(&mut pull);
    pull.args(["-C", "p", "pull"]).assert().success().stdout("fast-forwarded\n");
    assert!(fs::read_to_string(s.path("p/workflows/expense-approval/workflow.json")).unwrap().contains("\"Convert\""));
}
