//! What the person at this machine allows a project, kept outside it.
//!
//! A cloned repository is untrusted: it may *ask* for live hosts, name the
//! secrets it needs and lower the sandbox's limits, but only this machine's
//! own settings grant anything. They live in the user's config directory
//! (`$ATELIER_CONFIG_DIR`, else `$XDG_CONFIG_HOME/atelier`, else
//! `~/.config/atelier`), never in the project folder, where a repository could
//! carry its own: `settings.json` holds the maxima and machine-wide secret
//! mappings, `projects/<hash of the root>.json` one project's grants.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use atelier_engine::protocol::ScriptLimits;
use atelier_engine::SandboxLimits;
use atelier_model::validate::url_host;
use atelier_model::Project;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{ApiError, ApiResult, ErrorCode};

/// The highest sandbox limits any project may have on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct MaxLimits {
    pub script_timeout_ms: u64,
    pub script_memory_mb: u64,
    #[ts(type = "number")]
    pub script_loop_iterations: u64,
    pub script_recursion: u32,
    /// Real time one whole run may take (a workflow has no say in it).
    pub run_wall_ms: u64,
}

impl Default for MaxLimits {
    fn default() -> Self {
        MaxLimits {
            script_timeout_ms: 5000,
            script_memory_mb: 256,
            script_loop_iterations: 10_000_000,
            script_recursion: 400,
            run_wall_ms: atelier_engine::interpreter::DEFAULT_WALL_LIMIT.as_millis() as u64,
        }
    }
}

/// `settings.json` in the config directory: this machine's rules for every project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct MachineSettings {
    pub max_limits: MaxLimits,
    /// Secret name → the environment variable that holds it, for every project.
    pub secrets: BTreeMap<String, String>,
}

/// One project's grants: what the person allowed it, in the app or by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectGrants {
    /// The project root these grants are for (a check, and for people reading the file).
    pub root: String,
    /// Hosts `api_call` steps may reach for real in preview.
    pub live_hosts: Vec<String>,
    /// Secret name → the environment variable that holds it.
    pub secrets: BTreeMap<String, String>,
}

/// The config directory and what it says; plus grants given for one command
/// only (`--allow-live`, `--secret`).
#[derive(Debug, Clone, Default)]
pub struct LocalConfig {
    /// None: nothing is read or written (the app or a test chose so).
    pub dir: Option<PathBuf>,
    pub extra_live_hosts: Vec<String>,
    pub extra_secrets: BTreeMap<String, String>,
}

/// The prefix of the environment variable a secret is read from when the
/// person mapped none: `ATELIER_SECRET_FX_API_KEY`.
pub const SECRET_ENV_PREFIX: &str = "ATELIER_SECRET_";

impl LocalConfig {
    /// The user's config directory, from the environment.
    pub fn from_env() -> LocalConfig {
        let dir = std::env::var_os("ATELIER_CONFIG_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()).map(|d| PathBuf::from(d).join("atelier")))
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config/atelier")));
        LocalConfig { dir, ..LocalConfig::default() }
    }

    /// A config that reads and writes `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> LocalConfig {
        LocalConfig { dir: Some(dir.into()), ..LocalConfig::default() }
    }

    pub fn machine(&self) -> ApiResult<MachineSettings> {
        match &self.dir {
            Some(d) => read_json(&d.join("settings.json")),
            None => Ok(MachineSettings::default()),
        }
    }

    fn grants_file(&self, root: &Path) -> Option<PathBuf> {
        let hash = Sha256::digest(root.to_string_lossy().as_bytes());
        let name: String = hash.iter().take(10).map(|b| format!("{b:02x}")).collect();
        self.dir.as_ref().map(|d| d.join("projects").join(format!("{name}.json")))
    }

    /// The grants of the project at `root` (none yet: nothing granted).
    pub fn grants(&self, root: &Path) -> ApiResult<ProjectGrants> {
        let Some(file) = self.grants_file(root) else { return Ok(ProjectGrants::default()) };
        let g: ProjectGrants = read_json(&file)?;
        // A file for another root (a hash collision, a moved folder) grants nothing.
        if !g.root.is_empty() && Path::new(&g.root) != root {
            return Ok(ProjectGrants::default());
        }
        Ok(g)
    }

    pub fn set_grants(&self, root: &Path, grants: &ProjectGrants) -> ApiResult<()> {
        let file = self
            .grants_file(root)
            .ok_or_else(|| ApiError::new(ErrorCode::Io, "no config directory to keep grants in (set ATELIER_CONFIG_DIR or HOME)"))?;
        for host in &grants.live_hosts {
            if host.is_empty() || host.contains(['/', ' ', '@']) {
                return Err(ApiError::new(ErrorCode::InvalidDesign, format!("`{host}` is not a host name")));
            }
        }
        for (name, var) in &grants.secrets {
            if !atelier_model::id::is_secret_name(name) || var.is_empty() || var.contains(['=', '\0']) {
                return Err(ApiError::new(ErrorCode::InvalidDesign, format!("cannot map secret `{name}` to variable `{var}`")));
            }
        }
        let stored = ProjectGrants { root: root.to_string_lossy().into_owned(), ..grants.clone() };
        let mut bytes = serde_json::to_vec_pretty(&stored).expect("grants serialize");
        bytes.push(b'\n');
        atelier_store::write_atomic(&file, &bytes)?;
        Ok(())
    }

    /// Hosts granted for live calls: the project's grants and this command's flags.
    pub fn live_hosts(&self, root: &Path) -> ApiResult<Vec<String>> {
        let mut hosts: BTreeSet<String> = self.grants(root)?.live_hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect();
        hosts.extend(self.extra_live_hosts.iter().map(|h| h.to_ascii_lowercase()));
        Ok(hosts.into_iter().collect())
    }

    /// Where the value of each secret in `names` is read from: the variable
    /// this command, the project's grants or the machine mapped, else
    /// `ATELIER_SECRET_<NAME>`. The grants and settings are read once.
    pub fn secret_variables(&self, root: &Path, names: &BTreeSet<String>) -> ApiResult<BTreeMap<String, String>> {
        let (grants, machine) = (self.grants(root)?, self.machine()?);
        Ok(names
            .iter()
            .map(|name| {
                let mapped = self.extra_secrets.get(name).or_else(|| grants.secrets.get(name)).or_else(|| machine.secrets.get(name));
                (name.clone(), mapped.cloned().unwrap_or_else(|| format!("{SECRET_ENV_PREFIX}{name}")))
            })
            .collect())
    }

    /// The values of the secrets `project`'s sources name, read only from the
    /// variables above; a secret with no value is left out (a live call
    /// needing it then says how to grant it).
    pub fn secret_values(&self, root: &Path, project: &Project) -> ApiResult<BTreeMap<String, String>> {
        let variables = self.secret_variables(root, &secrets_asked(project))?;
        Ok(variables.into_iter().filter_map(|(name, var)| std::env::var(&var).ok().map(|value| (name, value))).collect())
    }
}

fn read_json<T: Default + for<'de> Deserialize<'de>>(file: &Path) -> ApiResult<T> {
    match std::fs::read(file) {
        Ok(bytes) if bytes.len() <= 1 << 20 => {
            serde_json::from_slice(&bytes).map_err(|e| ApiError::new(ErrorCode::InvalidDesign, format!("{}: {e}", file.display())))
        }
        Ok(_) => Err(ApiError::new(ErrorCode::InvalidDesign, format!("{}: larger than 1 MiB", file.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
        Err(e) => Err(ApiError::new(ErrorCode::Io, format!("cannot read {}: {e}", file.display()))),
    }
}

/// The secrets a project's sources name, and those in `secrets.required.json`.
pub fn secrets_asked(project: &Project) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = project.sources.values().filter_map(|s| s.auth.secret()).map(|s| s.to_string()).collect();
    if let Some(req) = &project.secrets {
        names.extend(req.secrets.keys().map(|k| k.to_string()));
    }
    names
}

/// The hosts a project asks to reach live: `settings.preview.live_hosts`.
pub fn hosts_asked(project: &Project) -> BTreeSet<String> {
    project.manifest.settings.preview.live_hosts.iter().map(|h| h.to_ascii_lowercase()).collect()
}

/// The sandbox limits a run gets: what the project asks, never above this
/// machine's maxima; a 0 (or a missing value) is the maximum, never "unlimited".
pub fn effective_limits(project: &Project, max: &MaxLimits) -> SandboxLimits {
    let s = &project.manifest.settings.preview;
    let pick = |asked: u64, max: u64| if asked == 0 { max } else { asked.min(max) };
    SandboxLimits {
        timeout: Duration::from_millis(pick(s.script_timeout_ms, max.script_timeout_ms.max(1))),
        memory_mb: pick(s.script_memory_mb, max.script_memory_mb.max(16)),
        script: ScriptLimits {
            loop_iterations: pick(s.script_loop_iterations, max.script_loop_iterations.max(1)),
            recursion: pick(u64::from(s.script_recursion), u64::from(max.script_recursion.max(1))) as usize,
            ..ScriptLimits::default()
        },
    }
}

/// What a project asks of this machine and what it is granted, for the app's
/// permissions panel and `atelier permissions`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Permissions {
    pub hosts: Vec<HostPermission>,
    pub secrets: Vec<SecretPermission>,
    pub limits: Vec<LimitPermission>,
    /// Where the grants are kept, to show the person.
    #[ts(optional)]
    pub grants_file: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct HostPermission {
    pub host: String,
    /// The project lists it in `settings.preview.live_hosts`.
    pub asked: bool,
    pub granted: bool,
    /// Sources whose base URL is on this host.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SecretPermission {
    pub name: String,
    /// The environment variable its value is read from.
    pub variable: String,
    /// Whether that variable is set (its value is never shown).
    pub available: bool,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct LimitPermission {
    pub name: String,
    #[ts(type = "number")]
    pub asked: u64,
    #[ts(type = "number")]
    pub max: u64,
    #[ts(type = "number")]
    pub effective: u64,
}

/// What `project` (at `root`) asks and is granted under `config`.
pub fn permissions(config: &LocalConfig, root: &Path, project: &Project) -> ApiResult<Permissions> {
    let granted: BTreeSet<String> = config.live_hosts(root)?.into_iter().collect();
    let asked = hosts_asked(project);
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, s) in &project.sources {
        by_host.entry(url_host(&s.base_url).to_ascii_lowercase()).or_default().push(id.to_string());
    }
    for h in asked.iter().chain(granted.iter()) {
        by_host.entry(h.clone()).or_default();
    }
    let hosts = by_host
        .into_iter()
        .filter(|(h, _)| !h.is_empty())
        .map(|(host, sources)| HostPermission { asked: asked.contains(&host), granted: granted.contains(&host), host, sources })
        .collect();
    let mut secrets = Vec::new();
    for (name, variable) in config.secret_variables(root, &secrets_asked(project))? {
        let sources = project
            .sources
            .iter()
            .filter(|(_, s)| s.auth.secret().is_some_and(|n| n.as_str() == name))
            .map(|(id, _)| id.to_string())
            .collect();
        secrets.push(SecretPermission { available: std::env::var_os(&variable).is_some(), name, variable, sources });
    }
    let max = config.machine()?.max_limits;
    let eff = effective_limits(project, &max);
    let s = &project.manifest.settings.preview;
    let limits = vec![
        LimitPermission {
            name: "script_timeout_ms".into(),
            asked: s.script_timeout_ms,
            max: max.script_timeout_ms,
            effective: eff.timeout.as_millis() as u64,
        },
        LimitPermission { name: "script_memory_mb".into(), asked: s.script_memory_mb, max: max.script_memory_mb, effective: eff.memory_mb },
        LimitPermission {
            name: "script_loop_iterations".into(),
            asked: s.script_loop_iterations,
            max: max.script_loop_iterations,
            effective: eff.script.loop_iterations,
        },
        LimitPermission {
            name: "script_recursion".into(),
            asked: u64::from(s.script_recursion),
            max: u64::from(max.script_recursion),
            effective: eff.script.recursion as u64,
        },
    ];
    Ok(Permissions { hosts, secrets, limits, grants_file: config.grants_file(root).map(|p| p.display().to_string()) })
}
