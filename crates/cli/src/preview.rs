//! `run` and `test`: previews through `atelier-api`, as the app runs them,
//! with user JavaScript in worker processes (this same binary, `atelier worker`).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use atelier_api::PreviewRequest;
use atelier_engine::case::junit_xml;
use atelier_engine::trace::{RunStatus, TraceEvent};
use atelier_engine::{ApprovalRequest, TraceWriter};
use atelier_model::test_case::{Decision, Verdict};

use crate::term::{line, say, tell};
use crate::Outcome;

pub struct RunArgs {
    pub workflow: String,
    pub input: Option<PathBuf>,
    pub case: Option<String>,
    pub trace: Option<PathBuf>,
    pub no_input: bool,
    pub clock: Option<String>,
    pub seed: Option<u64>,
    pub form: Option<String>,
    pub grants: Grants,
}

/// Grants for this command only: `--allow-live HOST`, `--secret NAME=VARIABLE`.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct Grants {
    /// Let `api_call` steps reach HOST for real when no mock answers (this command only).
    #[arg(long = "allow-live", value_name = "HOST")]
    pub allow_live: Vec<String>,
    /// Read secret NAME from environment variable VARIABLE (this command only;
    /// otherwise from ATELIER_SECRET_<NAME> or a mapping in `atelier permissions`).
    #[arg(long = "secret", value_name = "NAME=VARIABLE", value_parser = parse_mapping)]
    pub secrets: Vec<(String, String)>,
}

pub fn parse_mapping(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((n, v)) if atelier_model::id::is_secret_name(n) && !v.is_empty() => Ok((n.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not NAME=VARIABLE, with NAME like FX_API_KEY")),
    }
}

/// Opens the project with this command's grants, and says what the project
/// asks that this machine does not give it. With `only`, of the workflows
/// only that one and those it calls are read.
fn open_granted(dir: &Path, grants: Grants, only: Option<&str>) -> anyhow::Result<atelier_api::OpenProject> {
    let mut project = crate::project(dir)?;
    // The worker builds its JavaScript realm in its own process while this
    // one reads the project (which `permissions` does): the two overlap.
    project.prewarm();
    if let Some(w) = only {
        project.read_for_running(w)?;
    }
    project.grant_for_now(grants.allow_live, grants.secrets.into_iter().collect());
    tell_asked(&project)?;
    Ok(project)
}

/// Says what the project asks that this machine does not give it.
pub fn tell_asked(project: &atelier_api::OpenProject) -> anyhow::Result<()> {
    let asked = project.permissions()?;
    for h in asked.hosts.iter().filter(|h| h.asked && !h.granted) {
        tell!(
            "note: the project asks to reach `{}` live; not granted here, so its calls need mocks (grant: --allow-live {} or `atelier permissions --grant-live {}`)",
            line(&h.host),
            line(&h.host),
            line(&h.host)
        );
    }
    for l in asked.limits.iter().filter(|l| l.asked > l.max) {
        tell!("note: atelier.json asks for {} {}; this machine allows at most {}, so {} applies", l.name, l.asked, l.max, l.effective);
    }
    Ok(())
}

pub fn run(dir: &Path, args: RunArgs) -> anyhow::Result<Outcome> {
    let mut project = open_granted(dir, args.grants.clone(), Some(&args.workflow))?;
    // A run a person asked for is kept in the history (`atelier history`); `atelier test` runs are not.
    project.keep_history = true;
    let input = match &args.input {
        Some(path) => {
            let text = if path.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).context("cannot read the input from standard input")?
            } else {
                std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
            };
            Some(serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?)
        }
        None => None,
    };
    let request = PreviewRequest { workflow: args.workflow, case: args.case, input, clock: args.clock, seed: args.seed, form: args.form };
    let mut trace = match &args.trace {
        Some(p) => Some(TraceWriter::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write the trace to {}", p.display()))?,
        ))),
        None => None,
    };
    let mut trace_error = None;
    let no_input = args.no_input;
    let mut ask = |req: &ApprovalRequest| if no_input { None } else { ask_on_terminal(req) };
    let mut show = |e: &TraceEvent| {
        print_event(e);
        if let Some(t) = trace.as_mut() {
            if let Err(err) = t.write(e) {
                trace_error.get_or_insert(err);
            }
        }
    };
    let result = project.preview(&request, &mut ask, &mut show)?;
    if let Some(t) = trace {
        t.into_inner().flush().context("cannot write the trace")?;
    }
    if let Some(e) = trace_error {
        return Err(e).context("cannot write the trace");
    }
    if let Some(out) = &result.output {
        say!("{}", serde_json::to_string_pretty(out)?);
    }
    Ok(if result.status == RunStatus::Failed { Outcome::Problems } else { Outcome::Ok })
}

fn print_event(e: &TraceEvent) {
    match e {
        TraceEvent::RunStarted { workflow, clock, .. } => say!("run {workflow} (preview clock {clock})"),
        TraceEvent::StepStarted { .. } => {}
        TraceEvent::StepFinished { step, kind, attempt, logs, wall_us, error, next, within, .. } => {
            // A sub-run's steps are named by the steps that called them: `lines[0]/check`.
            let step = &within.as_ref().map_or_else(|| step.clone(), |w| format!("{w}/{step}"));
            for l in logs {
                say!("        {step}: console.{}: {}", line(&l.level), line(&l.message));
            }
            let ms = wall_us.map(|us| format!("{:.1} ms", us as f64 / 1000.0)).unwrap_or_default();
            let again = if *attempt > 1 { format!(" (attempt {attempt})") } else { String::new() };
            match (error, next) {
                (Some(err), _) => say!("  fail  {step:<20} {:<15} {ms:>9}{again}  {}", kind.as_str(), line(&err.message)),
                (None, Some(n)) => say!("  ok    {step:<20} {:<15} {ms:>9}{again}  → {n}", kind.as_str()),
                (None, None) => say!("  ok    {step:<20} {:<15} {ms:>9}{again}", kind.as_str()),
            }
        }
        TraceEvent::Waited { step, ms, .. } => say!("  wait  {step:<20} {ms} ms on the preview clock before retrying"),
        TraceEvent::RunFinished { status, end_step, error, attempts, .. } => {
            let at = end_step.as_ref().map(|s| format!(" at `{s}`")).unwrap_or_default();
            let why = error.as_ref().map(|e| format!(": {}", line(&e.message))).unwrap_or_default();
            say!("{}{at} after {attempts} step(s){why}", status.as_str());
        }
    }
}

/// Asks the person at the terminal for an approval decision.
fn ask_on_terminal(req: &ApprovalRequest) -> Option<Decision> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut err = std::io::stderr();
    let prompt = if req.prompt.is_empty() { "Approve?" } else { req.prompt.as_str() };
    loop {
        let _ = write!(err, "approval `{}` ({}): {} [a]pprove / [r]eject: ", req.step, line(&req.name), line(prompt));
        let _ = err.flush();
        let mut line = String::new();
        if stdin.lock().read_line(&mut line).ok()? == 0 {
            let _ = writeln!(err);
            return None;
        }
        let decision = match line.trim().to_ascii_lowercase().as_str() {
            "a" | "approve" | "y" | "yes" => Verdict::Approve,
            "r" | "reject" | "n" | "no" => Verdict::Reject,
            _ if interactive => continue,
            _ => return None,
        };
        return Some(Decision { decision, by: std::env::var("USER").unwrap_or_default(), comment: String::new() });
    }
}

pub fn test(dir: &Path, workflow: Option<String>, junit: Option<PathBuf>, grants: Grants) -> anyhow::Result<Outcome> {
    let project = open_granted(dir, grants, workflow.as_deref())?;
    test_in(&project, workflow, junit)
}

/// Runs the test cases of `workflow` (or of every workflow) in `project`, opened and granted.
pub fn test_in(project: &atelier_api::OpenProject, workflow: Option<String>, junit: Option<PathBuf>) -> anyhow::Result<Outcome> {
    let workflows: Vec<String> = match workflow {
        Some(w) => vec![w],
        None => project.info().workflows.into_iter().map(|w| w.id).collect(),
    };
    let mut results = Vec::new();
    for w in &workflows {
        // Sent by the daemon to a command that was stopped: nobody waits for the rest.
        if crate::term::gone() {
            break;
        }
        // Each case is told as it ends; a stopped command stops its case too.
        project.test_workflow_with(w, crate::term::gone_flag(), &mut |r| {
            let case = &r.case;
            if r.passed() {
                say!("PASS  {w}/{case}  {}", line(&r.name));
            } else {
                say!("FAIL  {w}/{case}  {}", line(&r.name));
                for f in &r.failures {
                    say!("      {}", line(f));
                }
                if let Some(d) = &r.output_diff {
                    for l in d.lines() {
                        say!("      {}", line(l));
                    }
                }
            }
            results.push(r);
            !crate::term::gone()
        })?;
    }
    let failed = results.iter().filter(|r| !r.passed()).count();
    if let Some(path) = junit {
        std::fs::write(&path, junit_xml(&results)).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if results.is_empty() {
        say!("no test cases (add them under workflows/<id>/tests/)");
    }
    say!("{} passed, {failed} failed", results.len() - failed);
    Ok(if failed > 0 { Outcome::Problems } else { Outcome::Ok })
}
