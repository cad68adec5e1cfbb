//! An ssh remote, end to end: a throwaway sshd on 127.0.0.1 and an ssh-agent
//! holding the person's key; `atelier pull` and `push` log in through the agent.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use predicates::str::contains;

use crate::support::Sandbox;

/// sshd with its own host key, config and authorized key, and an ssh-agent.
struct SshServer {
    sshd: Child,
    agent: Child,
    port: u16,
    agent_socket: PathBuf,
    host_key: String,
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl SshServer {
    fn start(dir: &Path) -> SshServer {
        let sshd_bin = Path::new("/usr/sbin/sshd");
        assert!(sshd_bin.exists(), "sshd is missing: run scripts/setup-deps (it installs openssh-server)");
        for name in ["host_key", "id"] {
            run(Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(dir.join(name)));
        }
        fs::copy(dir.join("id.pub"), dir.join("authorized_keys")).unwrap();
        if is_root() {
            fs::create_dir_all("/run/sshd").unwrap(); // sshd's privilege-separation directory
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nPidFile {}\nStrictModes no\nUsePAM no\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin prohibit-password\n",
            dir.join("host_key").display(),
            dir.join("authorized_keys").display(),
            dir.join("sshd.pid").display(),
        );
        fs::write(dir.join("sshd_config"), config).unwrap();
        let sshd = Command::new(sshd_bin).args(["-D", "-e", "-f"]).arg(dir.join("sshd_config")).stderr(Stdio::null()).spawn().unwrap();
        let agent_socket = dir.join("agent.sock");
        let agent = Command::new("ssh-agent").args(["-D", "-a"]).arg(&agent_socket).stdout(Stdio::null()).spawn().unwrap();
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !(agent_socket.exists() && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()) {
            assert!(std::time::Instant::now() < until, "sshd or ssh-agent did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let host_key = fs::read_to_string(dir.join("host_key.pub")).unwrap().split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        SshServer { sshd, agent, port, agent_socket, host_key }
    }

    fn add_key(&self, dir: &Path) {
        run(Command::new("ssh-add").arg(dir.join("id")).env("SSH_AUTH_SOCK", &self.agent_socket));
    }
}

impl Drop for SshServer {
    fn drop(&mut self) {
        for c in [&mut self.sshd, &mut self.agent] {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

#[test]
fn pull_and_push_over_ssh_log_in_through_the_ssh_agent() {
    let s = Sandbox::new();
    s.set_author();
    let keys = s.path("keys");
    fs::create_dir_all(&keys).unwrap();
    let server = SshServer::start(&keys);
    let atelier = || {
        let mut c = s.atelier();
        c.env("SSH_AUTH_SOCK", &server.agent_socket);
        c
    };

    // Ann's project, shared through a bare repository reached over ssh.
    let origin = s.path("origin.git");
    assert!(s.git(s.work.path()).args(["init", "-q", "--bare", "-b", "main"]).arg(&origin).status().unwrap().success());
    atelier().args(["init", "p", "--example"]).assert().success();
    assert!(s.git(&s.path("p")).args(["checkout", "-q", "-b", "main"]).status().unwrap().success());
    atelier().args(["-C", "p", "commit", "-m", "Example"]).assert().success();
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
    let url = format!("ssh://{}@127.0.0.1:{}{}", user.trim(), server.port, origin.display());
    atelier().args(["-C", "p", "remote", "origin", &url]).assert().success();

    // An unknown host is refused, and the message says how to accept it.
    atelier().args(["-C", "p", "push"]).assert().code(2).stderr(contains("host key"));
    // As for any ssh host a person uses: its key goes into known_hosts.
    fs::create_dir_all(s.home.path().join(".ssh")).unwrap();
    fs::write(s.home.path().join(".ssh/known_hosts"), format!("[127.0.0.1]:{} {}\n", server.port, server.host_key)).unwrap();
    // The agent holds no key yet: authentication fails, and says so.
    atelier().args(["-C", "p", "push"]).assert().code(2).stderr(contains("authentication failed"));

    server.add_key(&keys);
    atelier().args(["-C", "p", "push"]).assert().success().stdout("pushed to origin\n");
    assert_eq!(s.last_commit(&origin), "Example");

    // Someone else pushes; Ann pulls over ssh.
    s.bob_pushes_a_rename(&origin);
    atelier().args(["-C", "p", "pull"]).assert().success().stdout("fast-forwarded\n");
    assert!(fs::read_to_string(s.path("p/workflows/expense-approval/workflow.json")).unwrap().contains("\"Convert\""));
}
