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

pub fn run(dir: &Path, args: RunArgs) -> anyhow::Result<Outcome> {
    let project = crate::project(dir)?;
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
    let request = PreviewRequest { workflow: args.workflow, case: args.case, input, clock: args.clock, seed: args.seed };
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
    let project = crate::project(dir)?;
    let workflows: Vec<String> = match workflow {
        Some(w) => vec![w],
        None => project.info().workflows.into_iter().map(|w| w.id).collect(),
    };
    project.prewarm();
    let mut results = Vec::new();
    for w in &workflows {
        for r in project.test_workflow(w)? {
            let case = &r.case;
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
