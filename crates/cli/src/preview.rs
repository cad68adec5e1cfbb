//! `run` and `test`: previews through the engine, with user JavaScript in
//! worker processes (this same binary, as `atelier worker`).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use atelier_engine::case::{options_for, run_case, junit_xml};
use atelier_engine::clock::parse_rfc3339;
use atelier_engine::trace::{RunStatus, TraceEvent};
use atelier_engine::{run_workflow, ApprovalRequest, RunOptions, TraceWriter, WorkerCommand, WorkerPool};
use atelier_model::test_case::{Decision, Verdict};
use atelier_model::{ArtifactKind, ArtifactRef, Assembled, Id, Project};
use atelier_store::ProjectDir;

use crate::Outcome;

pub struct RunArgs {
    pub workflow: String,
    pub input: Option<PathBuf>,
    pub case: Option<String>,
    pub trace: Option<PathBuf>,
    pub no_input: bool,
    pub clock: Option<String>,
    pub seed: Option<u64>,
}

/// The worker pool, with the project's limits; workers are this binary.
fn pool(project: &Project) -> anyhow::Result<WorkerPool> {
    let program = std::env::current_exe().context("cannot find the atelier binary to start workers")?;
    Ok(WorkerPool::new(WorkerCommand { program, args: vec!["worker".into()] }, atelier_api::preview_limits(project)))
}

fn load(dir: &Path) -> anyhow::Result<Assembled> {
    let assembled = ProjectDir::open(dir)?.load()?;
    if !assembled.manifest_ok {
        bail!("atelier.json cannot be read; run `atelier validate` to see why");
    }
    Ok(assembled)
}

fn workflow_id(a: &Assembled, s: &str) -> anyhow::Result<Id> {
    let id = Id::new(s).with_context(|| format!("`{s}` cannot be a workflow id"))?;
    if a.broken.contains(&ArtifactRef { kind: ArtifactKind::Workflow, id: id.clone() }) {
        bail!("workflow `{id}` has errors; run `atelier validate` to see them");
    }
    if !a.project.workflows.contains_key(&id) {
        let known: Vec<String> = a.project.workflows.keys().map(|k| k.to_string()).collect();
        bail!("workflow `{id}` does not exist (workflows: {})", if known.is_empty() { "none".into() } else { known.join(", ") });
    }
    Ok(id)
}

pub fn run(dir: &Path, args: RunArgs) -> anyhow::Result<Outcome> {
    let assembled = load(dir)?;
    let project = &assembled.project;
    let id = workflow_id(&assembled, &args.workflow)?;
    let bundle = &project.workflows[&id];

    let mut opts = match &args.case {
        Some(c) => {
            let case_id = Id::new(c.as_str()).with_context(|| format!("`{c}` cannot be a test case id"))?;
            let case = bundle.tests.get(&case_id).with_context(|| format!("workflow `{id}` has no test case `{case_id}`"))?;
            options_for(case, project).map_err(anyhow::Error::msg)?
        }
        None => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
            let mut o = RunOptions::new(serde_json::json!({}), now);
            o.live_hosts = project.manifest.settings.preview.live_hosts.clone();
            o
        }
    };
    if let Some(path) = &args.input {
        let text = if path.as_os_str() == "-" {
            std::io::read_to_string(std::io::stdin()).context("cannot read the input from standard input")?
        } else {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
        };
        opts.input = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    }
    if let Some(c) = &args.clock {
        opts.clock_ms = parse_rfc3339(c).map_err(anyhow::Error::msg)?;
    }
    if let Some(s) = args.seed {
        opts.seed = s;
    }

    let pool = pool(project)?;
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
    let result = run_workflow(project, &id, &pool, &opts, &mut ask, &mut show)?;
    if let Some(t) = trace {
        t.into_inner().flush().context("cannot write the trace")?;
    }
    if let Some(e) = trace_error {
        return Err(e).context("cannot write the trace");
    }
    if let Some(out) = &result.output {
        println!("{}", serde_json::to_string_pretty(out)?);
    }
    Ok(if result.status == RunStatus::Failed { Outcome::Problems } else { Outcome::Ok })
}

fn print_event(e: &TraceEvent) {
    match e {
        TraceEvent::RunStarted { workflow, clock, .. } => println!("run {workflow} (preview clock {clock})"),
        TraceEvent::StepStarted { .. } => {}
        TraceEvent::StepFinished { step, kind, attempt, logs, wall_us, error, next, .. } => {
            for l in logs {
                println!("        {step}: console.{}: {}", l.level, l.message);
            }
            let ms = wall_us.map(|us| format!("{:.1} ms", us as f64 / 1000.0)).unwrap_or_default();
            let again = if *attempt > 1 { format!(" (attempt {attempt})") } else { String::new() };
            match (error, next) {
                (Some(err), _) => println!("  fail  {step:<20} {:<15} {ms:>9}{again}  {}", kind.as_str(), err.message),
                (None, Some(n)) => println!("  ok    {step:<20} {:<15} {ms:>9}{again}  → {n}", kind.as_str()),
                (None, None) => println!("  ok    {step:<20} {:<15} {ms:>9}{again}", kind.as_str()),
            }
        }
        TraceEvent::Waited { step, ms } => println!("  wait  {step:<20} {ms} ms on the preview clock before retrying"),
        TraceEvent::RunFinished { status, end_step, error, attempts, .. } => {
            let at = end_step.as_ref().map(|s| format!(" at `{s}`")).unwrap_or_default();
            let why = error.as_ref().map(|e| format!(": {}", e.message)).unwrap_or_default();
            println!("{}{at} after {attempts} step(s){why}", status.as_str());
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
        let _ = write!(err, "approval `{}` ({}): {prompt} [a]pprove / [r]eject: ", req.step, req.name);
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

pub fn test(dir: &Path, workflow: Option<String>, junit: Option<PathBuf>) -> anyhow::Result<Outcome> {
    let assembled = load(dir)?;
    let project = &assembled.project;
    let workflows: Vec<Id> = match &workflow {
        Some(w) => vec![workflow_id(&assembled, w)?],
        None => project.workflows.keys().cloned().collect(),
    };
    let pool = pool(project)?;
    pool.prewarm();
    let mut results = Vec::new();
    for w in &workflows {
        for case in project.workflows[w].tests.keys() {
            let r = run_case(project, w, case, &pool, &mut |_| {})?;
            if r.passed() {
                println!("PASS  {w}/{case}  {}", r.name);
            } else {
                println!("FAIL  {w}/{case}  {}", r.name);
                for f in &r.failures {
                    println!("      {f}");
                }
                if let Some(d) = &r.output_diff {
                    for line in d.lines() {
                        println!("      {line}");
                    }
                }
            }
            results.push(r);
        }
    }
    let failed = results.iter().filter(|r| !r.passed()).count();
    if let Some(path) = junit {
        std::fs::write(&path, junit_xml(&results)).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if results.is_empty() {
        println!("no test cases (add them under workflows/<id>/tests/)");
    }
    println!("{} passed, {failed} failed", results.len() - failed);
    Ok(if failed > 0 { Outcome::Problems } else { Outcome::Ok })
}
